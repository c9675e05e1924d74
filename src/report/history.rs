//! `stet log` output.

use std::fmt::Write as _;

use super::sanitize::line;
use super::{json_line, short_id, Styles};
use crate::model::{History, TargetList};

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
        let mut change = if e.same_text {
            "same text".to_string()
        } else {
            format!("text {:+} chars", e.text_delta)
        };
        if e.headline_changed {
            change.push_str(", new headline");
        }
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
    for a in &h.acknowledgements {
        let verb = if a.fingerprint.is_some() {
            "acknowledged "
        } else {
            ""
        };
        let _ = write!(out, "{}  {verb}{}", a.at, line(&a.what));
        if let Some(fp) = &a.fingerprint {
            let _ = write!(out, " [{}]", crate::watch::short_fingerprint(fp));
        }
        if let Some(by) = &a.by {
            let _ = write!(out, " by {}", line(by));
        }
        if let Some(note) = &a.note {
            let _ = write!(out, ": “{}”", line(note));
        }
        out.push('\n');
    }
    out
}

pub fn json(h: &History) -> String {
    json_line(h)
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
