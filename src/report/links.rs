//! `stet links` output: a canonical JSON array sorted by URL, or text
//! grouped by class (failures first, `ok` only counted).

use std::fmt::Write as _;

use super::sanitize::line;
use super::{json_line, Styles};
use crate::model::links::{LinkClass, LinkResult, Reason};
use crate::model::FailPolicy;

/// The JSON array, one object per distinct link, sorted by URL.
pub fn json(results: &[LinkResult]) -> String {
    let mut sorted: Vec<&LinkResult> = results.iter().collect();
    sorted.sort_by(|a, b| a.url.cmp(&b.url));
    json_line(&sorted)
}

/// Text: one group per class with a line per link (`ok` is only counted),
/// then a summary line. `quiet`: the failing links alone.
pub fn text(results: &[LinkResult], policy: &FailPolicy, color: bool, quiet: bool) -> String {
    let st = Styles::new(color);
    let mut out = String::new();
    for class in LinkClass::ALL {
        let mut group: Vec<&LinkResult> = results.iter().filter(|r| r.class == class).collect();
        if quiet {
            group.retain(|r| policy.fails_link(r));
        }
        if group.is_empty() || class == LinkClass::Ok {
            continue;
        }
        group.sort_by(|a, b| a.url.cmp(&b.url));
        let style = match class {
            LinkClass::Dead | LinkClass::Error | LinkClass::Timeout => st.bad,
            LinkClass::Redirect => st.strong,
            LinkClass::Skipped | LinkClass::Ok => st.dim,
        };
        let _ = writeln!(out, "{style}{} ({}){style:#}", class.as_str(), group.len());
        for r in group {
            // A redirect shows how it started (301, 308, ...), the rest how it ended.
            let shown = match (class, r.redirects.first()) {
                (LinkClass::Redirect, Some(hop)) => Some(hop.status),
                _ => r.status,
            };
            let status = shown.map_or_else(|| "---".to_string(), |s| s.to_string());
            let _ = write!(out, "  {status}  {}", line(&r.url));
            if let Some(reason) = r.reason {
                let _ = write!(out, "  {}{}{:#}", st.dim, reason.as_str(), st.dim);
            }
            if class == LinkClass::Redirect || r.reason == Some(Reason::Soft404) {
                if let Some(f) = &r.final_url {
                    let _ = write!(out, " → {}", line(f));
                }
            }
            if r.attempts > 1 {
                let _ = write!(out, "  ({} attempts)", r.attempts);
            }
            if r.unconfirmed {
                let _ = write!(out, "  (unconfirmed)");
            }
            out.push('\n');
            if let Some(d) = r.detail.as_deref().filter(|_| class != LinkClass::Redirect) {
                if r.reason != Some(Reason::Soft404) {
                    let _ = writeln!(out, "       {}{}{:#}", st.dim, line(d), st.dim);
                }
            }
            if let Some(a) = &r.archive {
                let _ = writeln!(out, "       archived: {}", line(&a.url));
            }
        }
    }
    if !quiet {
        let order = [
            LinkClass::Ok,
            LinkClass::Redirect,
            LinkClass::Dead,
            LinkClass::Error,
            LinkClass::Timeout,
            LinkClass::Skipped,
        ];
        let counts: Vec<String> = order
            .iter()
            .map(|c| (c, results.iter().filter(|r| r.class == *c).count()))
            .filter(|(_, n)| *n > 0)
            .map(|(c, n)| format!("{n} {}", c.as_str()))
            .collect();
        let cached = results.iter().filter(|r| r.cached).count();
        let _ = write!(
            out,
            "{} link{}",
            results.len(),
            if results.len() == 1 { "" } else { "s" }
        );
        if !counts.is_empty() {
            let _ = write!(out, ": {}", counts.join(", "));
        }
        if cached > 0 {
            let _ = write!(out, " ({cached} from the cache)");
        }
        out.push('\n');
    }
    out
}
