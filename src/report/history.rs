//! `stet log` output.

use std::fmt::Write as _;

use super::sanitize::line;
use super::{json_line, short_id, Styles};
use crate::model::History;

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
