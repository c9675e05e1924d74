//! `stet log TARGET --format html`: a target's whole history on one
//! self-contained page (the diff page's styles, CSP and markup; no scripts).

use std::fmt::Write as _;

use super::audit::findings_table;
use super::html::{diff_section, esc, page_start, PAGE_END};
use super::{plural, short_id};
use crate::model::diff::NoticeAction;
use crate::model::{HistoryPage, Step, Verdict};

/// The page: versions, findings against the reference, corrections,
/// acknowledgements, then what changed at each step and against the
/// reference.
pub fn html(p: &HistoryPage) -> String {
    let h = &p.history;
    let shown_name = h.name.as_deref().unwrap_or(&h.target);
    let title = format!("stet log: {shown_name}");
    let mut out = page_start(&title);
    let _ = writeln!(out, "<h1>History of {}</h1>", esc(shown_name));
    let version = |i: usize| format!("v{}", i + 1);
    let index_of = |id: &str| h.entries.iter().position(|e| e.id == id);
    let _ = write!(out, "<p class=\"sub\">");
    if h.name.is_some() {
        let _ = write!(out, "<code>{}</code> · ", esc(&h.target));
    }
    let _ = write!(
        out,
        "{} version{}",
        h.entries.len(),
        if h.entries.len() == 1 { "" } else { "s" }
    );
    if let Some(r) = h.reference.as_deref() {
        let at = index_of(r).map(version).unwrap_or_default();
        let _ = write!(
            out,
            " · reference {at} <code class=\"id\">{}</code>",
            esc(short_id(r))
        );
    }
    if let Some(last) = h.entries.last() {
        let _ = write!(
            out,
            " · latest v{} <code class=\"id\">{}</code> fetched {}",
            h.entries.len(),
            esc(short_id(&last.id)),
            esc(&last.fetched_at)
        );
    }
    out.push_str("</p>\n");
    if let Some(c) = &h.last_check {
        let _ = writeln!(
            out,
            "<p class=\"tag\">last checked {}: {} (<code class=\"id\">{}</code>)</p>",
            esc(&c.checked_at),
            esc(&c.outcome.replace('_', " ")),
            esc(short_id(&c.snapshot))
        );
    }
    if let Some(a) = &p.audit {
        let class = match a.verdict {
            Verdict::Clean => "clean",
            Verdict::Changed | Verdict::Notice => "changed",
            Verdict::Fail | Verdict::Error => "fail",
        };
        let failing = a.findings.iter().filter(|f| f.fails).count();
        let says = match (a.findings.len(), failing) {
            _ if a.error.is_some() => "could not be audited".to_string(),
            (0, _) => "no findings".to_string(),
            (n, 0) => format!("{n} finding{}, none fails the policy", plural(n)),
            (n, k) => format!(
                "{n} finding{}, {k} fail{} the policy",
                plural(n),
                if k == 1 { "s" } else { "" }
            ),
        };
        let _ = writeln!(
            out,
            "<p class=\"verdict {class}\"><strong>{}</strong> · the latest version against its reference: {says}</p>",
            a.verdict.as_str().to_uppercase(),
        );
    }

    versions_table(&mut out, p);
    screenshots(&mut out, p);

    if let Some(a) = &p.audit {
        out.push_str("<h2>Findings against the reference</h2>\n");
        if let Some(e) = &a.error {
            let _ = writeln!(out, "<p class=\"note\">{}</p>", esc(e));
        }
        if a.findings.is_empty() {
            out.push_str("<p class=\"same\">None.</p>\n");
        }
        findings_table(&mut out, &a.findings);
    }

    corrections(&mut out, p);

    out.push_str("<h2>Acknowledgements and pins</h2>\n");
    if p.acknowledgements.is_empty() {
        out.push_str("<p class=\"tag\">None recorded.</p>\n");
    } else {
        out.push_str(
            "<table class=\"findings\">\n<tr><th>when</th><th>who</th><th>accepted</th><th>note</th></tr>\n",
        );
        for a in &p.acknowledgements {
            let fingerprint = a
                .fingerprint
                .as_deref()
                .map(|f| format!(" <code class=\"id\">{}</code>", esc(short_id(f))))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}{fingerprint}</td><td>{}</td></tr>",
                esc(&a.at),
                esc(a.by.as_deref().unwrap_or("—")),
                esc(&a.what),
                esc(a.note.as_deref().unwrap_or(""))
            );
        }
        out.push_str("</table>\n");
    }

    if !p.steps.is_empty() {
        out.push_str("<h2>Changes, version by version</h2>\n");
    }
    for step in &p.steps {
        step_section(&mut out, p, step);
    }

    let last = h.entries.len().saturating_sub(1);
    let reference_at = h.reference.as_deref().and_then(index_of);
    if let (None, Some(r), Some(latest)) = (&p.against_reference, reference_at, h.entries.last()) {
        let same_document =
            h.entries.get(r).map(|e| &e.document_sha256) == Some(&latest.document_sha256);
        if !same_document && last > 0 {
            let _ = writeln!(
                out,
                "<p class=\"tag\" id=\"against-reference\">The latest version against the reference v{}: the change <a href=\"#v{}\">v{} → v{}</a> above.</p>",
                r + 1,
                last + 1,
                last,
                last + 1
            );
        }
    }
    if let (Some(d), Some(r)) = (&p.against_reference, h.reference.as_deref()) {
        let from = index_of(r).map(version).unwrap_or_default();
        let to = version(h.entries.len().saturating_sub(1));
        let _ = writeln!(
            out,
            "<section class=\"step\" id=\"against-reference\">\n<h2>Latest against the reference: {from} → {to}</h2>"
        );
        diff_section(&mut out, d);
        out.push_str("</section>\n");
    }
    out.push_str(PAGE_END);
    out
}

/// The screenshots of rendered versions, inline (`data:` URIs keep the
/// page self-contained; the CSP allows images from `data:` only).
fn screenshots(out: &mut String, p: &HistoryPage) {
    if p.screenshots.is_empty() {
        return;
    }
    out.push_str("<h2>Screenshots</h2>\n");
    if p.screenshots_left_out > 0 {
        let _ = writeln!(
            out,
            "<p class=\"tag\">The latest {} shown; {} older screenshot{} in the store.</p>",
            p.screenshots.len(),
            p.screenshots_left_out,
            plural(p.screenshots_left_out)
        );
    }
    for s in &p.screenshots {
        let v = s.version + 1;
        let when = p
            .history
            .entries
            .get(s.version)
            .map(|e| e.fetched_at.as_str())
            .unwrap_or_default();
        let cut = if s.full_page {
            ""
        } else {
            ", cut at this height"
        };
        let _ = writeln!(
            out,
            "<figure class=\"shot\" id=\"shot-v{v}\"><figcaption><a href=\"#v{v}\">v{v}</a> · {} · {}×{} px{cut} · <code class=\"id\">{}</code></figcaption>\n<img src=\"data:image/png;base64,{}\" width=\"{}\" height=\"{}\" alt=\"Screenshot of v{v} as rendered\" style=\"max-width:100%;height:auto;border:1px solid #ccc\"></figure>",
            esc(when),
            s.width,
            s.height,
            esc(short_id(&s.sha256)),
            data_encoding::BASE64.encode(&s.png),
            s.width,
            s.height,
        );
    }
}

fn versions_table(out: &mut String, p: &HistoryPage) {
    out.push_str("<h2>Versions</h2>\n<table class=\"versions\">\n<tr><th>version</th><th>fetched at</th><th>status</th><th>article text</th><th>hashes (sha256)</th></tr>\n");
    for (i, e) in p.history.entries.iter().enumerate() {
        let status = e.status.map_or("file".to_string(), |c| c.to_string());
        let mut change = if i == 0 {
            format!("{} characters", e.text_chars)
        } else if e.same_text {
            "same text".to_string()
        } else {
            format!("<a href=\"#v{}\">{:+} characters</a>", i + 1, e.text_delta)
        };
        if e.headline_changed {
            let _ = write!(change, ", <a href=\"#v{}\">new headline</a>", i + 1);
        }
        let mark = if e.is_reference {
            " <span class=\"badge\">reference</span>"
        } else {
            ""
        };
        let bad = if e.status.is_some_and(|s| s >= 400) {
            " class=\"differs\""
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<tr{}><td><strong>v{}</strong>{mark}</td><td>{}</td><td{bad}>{}</td><td>{change}</td>\
<td class=\"hash\">snapshot {}<br>body {}<br>document {}<br>text {}</td></tr>",
            if e.is_reference { " class=\"ref\"" } else { "" },
            i + 1,
            esc(&e.fetched_at),
            esc(&status),
            esc(&e.id),
            esc(&e.body_sha256),
            esc(&e.document_sha256),
            esc(&e.text_sha256),
        );
    }
    out.push_str("</table>\n");
}

/// Every correction notice that came, changed or went, version by version.
fn corrections(out: &mut String, p: &HistoryPage) {
    out.push_str("<h2>Corrections and updates</h2>\n");
    let all: Vec<_> = p
        .steps
        .iter()
        .flat_map(|s| s.corrections.iter().map(move |c| (s, c)))
        .collect();
    if all.is_empty() {
        out.push_str("<p class=\"tag\">No correction, update or editor's note was added, changed or removed.</p>\n");
        return;
    }
    out.push_str("<table class=\"findings\">\n<tr><th>version</th><th>notice</th><th>stated date</th><th>text</th></tr>\n");
    for (step, c) in all {
        let text = match c.action {
            NoticeAction::Added => format!("<ins>{}</ins>", esc(&c.notice.text)),
            NoticeAction::Removed => format!("<del>{}</del>", esc(&c.notice.text)),
            NoticeAction::Changed => format!(
                "<del>{}</del> → <ins>{}</ins>",
                esc(c.before.as_deref().unwrap_or_default()),
                esc(c.after.as_deref().unwrap_or_default())
            ),
        };
        let _ = writeln!(
            out,
            "<tr><td><a href=\"#v{}\">v{}</a></td><td>{} {}</td><td>{}</td><td>{text}</td></tr>",
            step.to + 1,
            step.to + 1,
            esc(c.notice.kind.as_str().replace('_', " ").as_str()),
            c.action.as_str(),
            esc(c.notice.date.as_deref().unwrap_or("—")),
        );
    }
    out.push_str("</table>\n");
}

fn step_section(out: &mut String, p: &HistoryPage, step: &Step) {
    let entries = &p.history.entries;
    let (Some(from), Some(to)) = (entries.get(step.from), entries.get(step.to)) else {
        return;
    };
    let _ = writeln!(
        out,
        "<section class=\"step\" id=\"v{}\">\n<h3>v{} → v{} <span class=\"tag\">{} → {}</span></h3>",
        step.to + 1,
        step.from + 1,
        step.to + 1,
        esc(&from.fetched_at),
        esc(&to.fetched_at)
    );
    match &step.diff {
        None if from.body_sha256 == to.body_sha256 => {
            out.push_str("<p class=\"same\">Same page, byte for byte.</p>\n");
        }
        None => out.push_str(
            "<p class=\"same\">Same article: only the page around it changed (the raw body differs, the extracted document does not).</p>\n",
        ),
        Some(d) => diff_section(out, d),
    }
    out.push_str("</section>\n");
}
