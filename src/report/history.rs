//! `stet log` output.

use std::fmt::Write as _;

use serde::Serialize;

use super::sanitize::line;
use super::{json_line, short_id, Styles};
use crate::model::SCHEMA_VERSION;

/// One snapshot in a target's history.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub id: String,
    pub fetched_at: String,
    pub status: Option<u16>,
    pub body_size: u64,
    /// Characters of article text.
    pub text_chars: u64,
    /// Characters of article text gained (+) or lost (-) since the previous snapshot.
    pub text_delta: i64,
    /// The article text is the same as the previous snapshot's.
    pub same_text: bool,
    pub is_reference: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct History {
    pub schema_version: u32,
    pub target: String,
    pub reference: Option<String>,
    pub entries: Vec<Entry>,
    /// The last fetch that found nothing new, if any.
    pub last_check: Option<crate::store::LastCheck>,
}

impl History {
    pub fn new(target: String, reference: Option<String>) -> Self {
        History {
            schema_version: SCHEMA_VERSION,
            target,
            reference,
            entries: Vec::new(),
            last_check: None,
        }
    }
}

pub fn text(h: &History, color: bool) -> String {
    let s = Styles::new(color);
    let mut out = String::new();
    let _ = writeln!(out, "{}{}{:#}", s.strong, line(&h.target), s.strong);
    for e in &h.entries {
        let status = e.status.map_or("file".to_string(), |c| c.to_string());
        let change = if e.same_text {
            "same text".to_string()
        } else {
            format!("text {:+} chars", e.text_delta)
        };
        let mark = if e.is_reference { "  (reference)" } else { "" };
        let _ = writeln!(
            out,
            "{}  {}{}{:#}  {:>4}  {:>10} B  {change}{mark}",
            e.fetched_at,
            s.strong,
            short_id(&e.id),
            s.strong,
            status,
            e.body_size,
        );
    }
    if let Some(c) = &h.last_check {
        let _ = writeln!(
            out,
            "{}last checked {}: {} ({}){:#}",
            s.dim,
            c.checked_at,
            c.outcome.replace('_', " "),
            short_id(&c.snapshot),
            s.dim
        );
    }
    out
}

pub fn json(h: &History) -> String {
    json_line(h)
}
