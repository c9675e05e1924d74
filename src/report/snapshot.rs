//! `stet snapshot` output.

use std::fmt::Write as _;

use serde::Serialize;

use super::sanitize::line;
use super::{json_line, short_id, Styles};
use crate::model::{Outcome, SnapshotRow};

#[derive(Serialize)]
struct Row<'a> {
    source: &'a str,
    target: &'a str,
    outcome: &'static str,
    id: Option<&'a str>,
    status: Option<u16>,
    size: Option<u64>,
    error: Option<&'a str>,
    reason: Option<&'a str>,
}

fn row(r: &SnapshotRow) -> Row<'_> {
    let (outcome, id, status, size, error, reason) = match &r.outcome {
        Outcome::New { id, manifest } => (
            "new",
            Some(id.as_str()),
            manifest.fetch.status,
            Some(manifest.body.size),
            None,
            None,
        ),
        Outcome::Unchanged {
            id,
            manifest,
            not_modified,
        } => (
            "unchanged",
            Some(id.as_str()),
            if *not_modified {
                Some(304)
            } else {
                manifest.fetch.status
            },
            Some(manifest.body.size),
            None,
            None,
        ),
        Outcome::Skipped { detail, reason } => (
            "skipped",
            None,
            None,
            None,
            Some(detail.as_str()),
            Some(reason.as_str()),
        ),
        Outcome::Failed { error, reason } => (
            "error",
            None,
            None,
            None,
            Some(error.as_str()),
            Some(reason.as_str()),
        ),
    };
    Row {
        source: &r.source,
        target: &r.target,
        outcome,
        id,
        status,
        size,
        error,
        reason,
    }
}

/// One line per source: outcome, short id, status, size, source.
pub fn text(results: &[SnapshotRow], color: bool) -> String {
    let s = Styles::new(color);
    let mut out = String::new();
    for r in results {
        let row = row(r);
        let style = match row.outcome {
            "new" => s.strong,
            "error" => s.bad,
            _ => s.dim,
        };
        let status = row.status.map_or("-".to_string(), |c| c.to_string());
        let size = row.size.map_or("-".to_string(), |n| format!("{n} B"));
        let shown = if r.source == r.target {
            line(&r.source).into_owned()
        } else {
            format!("{} (as {})", line(&r.source), line(&r.target))
        };
        let _ = write!(
            out,
            "{style}{:<9}{style:#} {:<12}  {:>4}  {:>10}  {shown}",
            row.outcome,
            row.id.map_or("-", short_id),
            status,
            size,
        );
        // The error itself is said once, on stderr (json rows carry it).
        out.push('\n');
    }
    out
}

/// One result as a canonical JSON object (the elements of `--format json`'s array).
pub fn json_row(result: &SnapshotRow) -> String {
    json_line(&row(result))
}
