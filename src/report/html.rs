//! The HTML diff: one self-contained page, side-by-side blocks with the
//! changed words marked, provenance of both versions in the header.
//!
//! No scripts, no external assets; a Content-Security-Policy that forbids
//! both; every piece of page text escaped.

use std::fmt::Write as _;
use std::ops::Range;

use super::{sanitize, DiffReport, Side};
use crate::model::diff::{Edit, RowStatus, DIFF_VERSION, SIMILAR_VERSION};
use crate::model::{Document, TOOL_NAME, TOOL_VERSION};

const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const CSS: &str = "body{font:15px/1.5 system-ui,sans-serif;margin:1.5em;color:#1b1b1b;background:#fff}\
h1{font-size:1.3em;margin:0 0 .5em}table{border-collapse:collapse;width:100%}\
th,td{border:1px solid #ddd;padding:.3em .5em;vertical-align:top;text-align:left}\
th{background:#f4f4f4;font-weight:600}.prov td{font-family:ui-monospace,monospace;font-size:.85em;word-break:break-all}\
.sbs td.n{width:2.5em;color:#888;text-align:right;font-size:.85em}.sbs td.t{width:48%}\
tr.deleted td.o,tr.moved_from td.o{background:#fdecea}tr.inserted td.w,tr.moved_to td.w{background:#e9f7ec}\
tr.changed td{background:#fffbea}del{background:#f7c6c0;text-decoration:line-through}\
ins{background:#bfe8c8;text-decoration:none}.note{color:#7a4b00}.same{color:#276b2f}.differs{color:#a11}\
.tag{font-size:.8em;color:#666}\
h2{font-size:1.1em;margin:1.6em 0 .5em}h3{font-size:1em;margin:0 0 .6em}.sub{color:#444;margin:0 0 .8em}\
code,.hash{font-family:ui-monospace,monospace;word-break:break-all}code{font-size:.88em}code.id{white-space:nowrap;word-break:normal}\
.hash{font-size:.78em;color:#555;line-height:1.45}a{color:#1f4e9c}\
section.step{margin-top:1.6em;padding-top:.9em;border-top:2px solid #e6e6e6}\
tr.ref td{background:#f3f7ff}.badge{font-size:.72em;font-weight:600;background:#dfe9fb;color:#1f4e9c;border-radius:3px;padding:.05em .4em;margin-left:.4em;vertical-align:.1em}\
.verdict{padding:.45em .7em;border-left:4px solid #bbb;background:#fafafa}.verdict.fail{border-color:#a11}\
.verdict.fail strong{color:#a11}.verdict.clean{border-color:#276b2f}.verdict.clean strong{color:#276b2f}.verdict.changed{border-color:#c08a00}tr.fails td:first-child{color:#a11;font-weight:600}";

/// Escapes text for HTML element content and attribute values, after
/// making control and bidi characters visible.
pub(crate) fn esc(s: &str) -> String {
    let s = sanitize(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Char offset of each block's start in the document's text.
fn starts(d: &Document) -> Vec<usize> {
    let mut at = 0;
    d.blocks
        .iter()
        .map(|b| {
            let s = at;
            at += b.text.chars().count() + 1;
            s
        })
        .collect()
}

/// `text` with the char ranges wrapped in `<tag>`, everything escaped.
fn mark(text: &str, mut ranges: Vec<Range<usize>>, tag: &str) -> String {
    ranges.sort_by_key(|r| (r.start, r.end));
    let chars: Vec<char> = text.chars().collect();
    let piece = |r: Range<usize>| -> String {
        chars
            .get(r)
            .map(|c| c.iter().collect::<String>())
            .unwrap_or_default()
    };
    let mut out = String::new();
    let mut at = 0;
    for r in ranges {
        let (s, e) = (r.start.max(at).min(chars.len()), r.end.min(chars.len()));
        if s >= e {
            continue;
        }
        out.push_str(&esc(&piece(at..s)));
        let _ = write!(out, "<{tag}>{}</{tag}>", esc(&piece(s..e)));
        at = e;
    }
    out.push_str(&esc(&piece(at..chars.len())));
    out
}

fn is_word_level(e: &Edit) -> bool {
    e.old_block.is_some()
        && e.new_block.is_some()
        && !e.coarse
        && e.op != crate::model::diff::EditOp::Move
}

/// Renders a diff as a single self-contained HTML page.
pub fn diff_html(r: &DiffReport) -> String {
    let title = format!("stet diff: {} → {}", r.old.label, r.new.label);
    let mut out = page_start(&title);
    let _ = writeln!(out, "<h1>{}</h1>", esc(&title));
    diff_section(&mut out, r);
    out.push_str(PAGE_END);
    out
}

/// The end of a page begun by [`page_start`].
pub(crate) const PAGE_END: &str = "</body>\n</html>\n";

/// The head of a self-contained page (inline CSS, restrictive CSP, no scripts)
/// and the opening `<body>`.
pub(crate) fn page_start(title: &str) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta name=\"generator\" content=\"{TOOL_NAME} {TOOL_VERSION}\">\n\
<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        esc(title)
    );
    out
}

/// Provenance of both sides, the field changes and the side-by-side article.
pub(crate) fn diff_section(out: &mut String, r: &DiffReport) {
    let (os, ns) = (starts(&r.old_doc), starts(&r.new_doc));
    provenance(out, r);

    let (c, m, s) = r.diff.class_counts();
    let (cls, verdict) = if r.differs() {
        ("differs", "different")
    } else {
        ("same", "same")
    };
    let _ = writeln!(
        out,
        "<p class=\"{cls}\"><strong>{verdict}</strong>: {} edits, {} field changes ({s} substantive, {m} minor, {c} cosmetic)</p>",
        r.diff.edits.len(),
        r.diff.fields.len()
    );
    if r.different_targets() {
        out.push_str("<p class=\"note\">The two versions are of different targets.</p>\n");
    }
    for reason in &r.diff.coarse_reasons {
        let _ = writeln!(out, "<p class=\"note\">Coarse diff: {}</p>", esc(reason));
    }

    if !r.diff.fields.is_empty() {
        out.push_str("<h2>Fields</h2>\n<table class=\"fields\">\n<tr><th>field</th><th>before</th><th>after</th><th>class</th></tr>\n");
        for f in &r.diff.fields {
            let v = |x: &Option<String>| {
                x.as_deref().map_or_else(
                    || "<em>(none)</em>".to_string(),
                    |x| format!("<del>{}</del>", esc(x)),
                )
            };
            let w = |x: &Option<String>| {
                x.as_deref().map_or_else(
                    || "<em>(none)</em>".to_string(),
                    |x| format!("<ins>{}</ins>", esc(x)),
                )
            };
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&f.field),
                v(&f.before),
                w(&f.after),
                f.class.as_str()
            );
        }
        out.push_str("</table>\n");
    }

    out.push_str("<h2>Article</h2>\n<table class=\"sbs\">\n<tr><th></th><th>old</th><th></th><th>new</th></tr>\n");
    for row in &r.diff.rows {
        let status = match row.status {
            RowStatus::Equal => "equal",
            RowStatus::Changed => "changed",
            RowStatus::Deleted => "deleted",
            RowStatus::Inserted => "inserted",
            RowStatus::MovedFrom => "moved_from",
            RowStatus::MovedTo => "moved_to",
        };
        let (left, right) = cells(r, row.status, row.old, row.new, &os, &ns);
        let num = |i: Option<usize>| i.map_or_else(String::new, |i| (i + 1).to_string());
        let (lo, rn) = match row.status {
            RowStatus::MovedFrom => (num(row.old), String::new()),
            RowStatus::MovedTo => (String::new(), num(row.new)),
            _ => (num(row.old), num(row.new)),
        };
        let _ = writeln!(
            out,
            "<tr class=\"{status}\"><td class=\"n\">{lo}</td><td class=\"t o\">{left}</td><td class=\"n\">{rn}</td><td class=\"t w\">{right}</td></tr>"
        );
    }
    out.push_str("</table>\n");
}

fn cells(
    r: &DiffReport,
    status: RowStatus,
    old: Option<usize>,
    new: Option<usize>,
    os: &[usize],
    ns: &[usize],
) -> (String, String) {
    let ot = old
        .and_then(|i| r.old_doc.blocks.get(i))
        .map_or("", |b| b.text.as_str());
    let nt = new
        .and_then(|j| r.new_doc.blocks.get(j))
        .map_or("", |b| b.text.as_str());
    let whole = |t: &str, tag: &str| format!("<{tag}>{}</{tag}>", esc(t));
    match status {
        RowStatus::Deleted => (whole(ot, "del"), String::new()),
        RowStatus::Inserted => (String::new(), whole(nt, "ins")),
        RowStatus::MovedFrom => (
            format!(
                "{} <span class=\"tag\">(moved to {})</span>",
                whole(ot, "del"),
                new.map_or(0, |j| j + 1)
            ),
            String::new(),
        ),
        RowStatus::MovedTo => (
            String::new(),
            format!(
                "{} <span class=\"tag\">(moved from {})</span>",
                whole(nt, "ins"),
                old.map_or(0, |i| i + 1)
            ),
        ),
        RowStatus::Equal | RowStatus::Changed => {
            let (Some(i), Some(j)) = (old, new) else {
                return (esc(ot), esc(nt));
            };
            let edits: Vec<&Edit> = r
                .diff
                .edits
                .iter()
                .filter(|e| e.old_block == Some(i) && e.new_block == Some(j))
                .collect();
            if edits.iter().any(|e| e.coarse) {
                return (whole(ot, "del"), whole(nt, "ins"));
            }
            let (ob, nb) = (
                os.get(i).copied().unwrap_or(0),
                ns.get(j).copied().unwrap_or(0),
            );
            let dels = edits
                .iter()
                .filter(|e| is_word_level(e))
                .map(|e| e.old_span.start.saturating_sub(ob)..e.old_span.end.saturating_sub(ob))
                .collect();
            let inss = edits
                .iter()
                .filter(|e| is_word_level(e))
                .map(|e| e.new_span.start.saturating_sub(nb)..e.new_span.end.saturating_sub(nb))
                .collect();
            (mark(ot, dels, "del"), mark(nt, inss, "ins"))
        }
    }
}

fn provenance(out: &mut String, r: &DiffReport) {
    out.push_str("<table class=\"prov\">\n<tr><th></th><th>old</th><th>new</th></tr>\n");
    let row = |out: &mut String, name: &str, f: &dyn Fn(&Side) -> String| {
        let _ = writeln!(
            out,
            "<tr><th>{name}</th><td>{}</td><td>{}</td></tr>",
            esc(&f(&r.old)),
            esc(&f(&r.new))
        );
    };
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    row(out, "version", &|s| s.label.clone());
    row(out, "snapshot", &|s| opt(&s.snapshot_id));
    row(out, "target", &|s| opt(&s.target));
    row(out, "fetched at", &|s| opt(&s.fetched_at));
    row(out, "final URL", &|s| opt(&s.final_url));
    row(out, "HTTP status", &|s| {
        s.status.map(|x| x.to_string()).unwrap_or_default()
    });
    row(out, "body sha256", &|s| opt(&s.body_sha256));
    row(out, "text sha256", &|s| s.text_sha256.clone());
    row(out, "extractor", &|s| s.extractor_version.clone());
    let _ = writeln!(
        out,
        "<tr><th>tool</th><td colspan=\"2\">{} {} · {} · similar {}</td></tr>\n</table>",
        TOOL_NAME,
        esc(TOOL_VERSION),
        DIFF_VERSION,
        SIMILAR_VERSION
    );
}
