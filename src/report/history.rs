//! `stet log` output.

use std::fmt::Write as _;

use serde::Serialize;

use super::sanitize::line;
use super::DiffReport;
use super::{json_line, short_id, Styles};
use crate::audit::TargetAudit;
use crate::diff::NoticeChange;
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
    /// sha256 of the raw body.
    pub body_sha256: String,
    /// sha256 of the extracted document.
    pub document_sha256: String,
    /// sha256 of the article text.
    pub text_sha256: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct History {
    pub schema_version: u32,
    pub target: String,
    /// Its name in stet.toml, if it has one.
    pub name: Option<String>,
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
            name: None,
            reference,
            entries: Vec::new(),
            last_check: None,
        }
    }
}

pub fn text(h: &History, color: bool) -> String {
    let s = Styles::new(color);
    let mut out = String::new();
    match &h.name {
        Some(name) => {
            let _ = writeln!(
                out,
                "{}{}{:#} {}",
                s.strong,
                line(name),
                s.strong,
                line(&h.target)
            );
        }
        None => {
            let _ = writeln!(out, "{}{}{:#}", s.strong, line(&h.target), s.strong);
        }
    }
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

/// What changed from one version of a target to the next.
#[derive(Debug, Clone)]
pub struct Step {
    /// Indexes into [`History::entries`].
    pub from: usize,
    pub to: usize,
    /// The diff of the two documents; `None` when they are the same
    /// document (only the page around the article changed, or nothing).
    pub diff: Option<DiffReport>,
    /// Correction notices added, changed or removed in this step.
    pub corrections: Vec<NoticeChange>,
}

/// An acknowledged finding, as `stet ack` records it.
#[derive(Debug, Clone, Serialize)]
pub struct Acknowledgement {
    /// When it was recorded (RFC 3339 UTC).
    pub at: String,
    /// The finding acknowledged, in words.
    pub finding: String,
    pub note: String,
}

/// Everything the history page shows: every version, each step's diff, the
/// latest version against the reference, its findings, the corrections and
/// the acknowledgements.
#[derive(Debug, Clone)]
pub struct HistoryPage {
    pub history: History,
    pub steps: Vec<Step>,
    /// Reference → latest, when they are different documents.
    pub against_reference: Option<DiffReport>,
    /// The audit of the latest version against the reference (offline).
    pub audit: Option<TargetAudit>,
    pub acknowledgements: Vec<Acknowledgement>,
}

/// One stored target, for `stet log` without a target.
#[derive(Debug, Clone, Serialize)]
pub struct TargetRow {
    /// Its name in stet.toml, if it has one.
    pub name: Option<String>,
    pub target: String,
    /// Snapshots stored.
    pub versions: usize,
    /// `fetched_at` of the latest snapshot.
    pub last_fetch: Option<String>,
    pub latest: Option<String>,
    pub reference: Option<String>,
}

/// Every stored target.
#[derive(Debug, Clone, Serialize)]
pub struct TargetList {
    pub schema_version: u32,
    pub targets: Vec<TargetRow>,
}

/// A table of the stored targets: name, versions, last fetch, reference, target.
pub fn list_text(list: &TargetList, color: bool) -> String {
    let s = Styles::new(color);
    let mut out = String::new();
    if list.targets.is_empty() {
        out.push_str("no targets in the store\n");
        return out;
    }
    let width = list
        .targets
        .iter()
        .filter_map(|t| t.name.as_deref().map(|n| line(n).chars().count()))
        .chain([4])
        .max()
        .unwrap_or(4);
    let _ = writeln!(
        out,
        "{}{:<width$}  {:>8}  {:<20}  {:<12}  TARGET{:#}",
        s.dim, "NAME", "VERSIONS", "LAST FETCH", "REFERENCE", s.dim
    );
    for t in &list.targets {
        let _ = writeln!(
            out,
            "{}{:<width$}{:#}  {:>8}  {:<20}  {:<12}  {}",
            s.strong,
            line(t.name.as_deref().unwrap_or("-")),
            s.strong,
            t.versions,
            t.last_fetch.as_deref().unwrap_or("-"),
            t.reference.as_deref().map_or("-", short_id),
            line(&t.target)
        );
    }
    out
}

pub fn list_json(list: &TargetList) -> String {
    json_line(list)
}
