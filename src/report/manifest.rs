//! `stet show` output: a snapshot's manifest and the page's own claims.

use std::fmt::Write as _;

use super::sanitize::line;
use super::{json_line, Styles};
use crate::model::{Document, SnapshotView};

pub fn text(v: &SnapshotView, color: bool) -> String {
    let s = Styles::new(color);
    let m = &v.manifest;
    let f = &m.fetch;
    let mut out = String::new();
    let mut field = |name: &str, value: &str| {
        let _ = writeln!(out, "{}{name:<12}{:#} {}", s.dim, s.dim, line(value));
    };
    field("snapshot", &v.id);
    field("target", &m.target);
    field("reference", if v.is_reference { "yes" } else { "no" });
    field(
        "fetched",
        &format!("{} ({} ms)", f.fetched_at, f.elapsed_ms),
    );
    field("requested", &f.requested_url);
    for hop in &f.redirects {
        field("redirect", &format!("{} {}", hop.status, hop.url));
    }
    field("final", &f.final_url);
    field(
        "status",
        &f.status
            .map_or("(local file)".to_string(), |c| c.to_string()),
    );
    for (name, value) in &f.headers {
        field("header", &format!("{name}: {value}"));
    }
    field(
        "body",
        &format!("sha256:{} ({} bytes)", m.body.sha256, m.body.size),
    );
    field(
        "document",
        &format!("sha256:{} ({} bytes)", m.document.sha256, m.document.size),
    );
    if let Some(r) = &m.rendered {
        let w = &r.wait;
        field(
            "rendered",
            &format!(
                "{} · {} · waited for {} ms of quiet network, at most {} ms{}",
                r.browser,
                r.final_url,
                w.idle_ms,
                w.timeout_ms,
                if w.settled {
                    ""
                } else {
                    " (never quiet: taken at the cap)"
                }
            ),
        );
        field(
            "dom",
            &format!(
                "sha256:{} ({} bytes), the document's source",
                r.dom.sha256, r.dom.size
            ),
        );
        if let Some(s) = &r.screenshot {
            field(
                "screenshot",
                &format!(
                    "sha256:{} ({} bytes), PNG {}×{}{}",
                    s.object.sha256,
                    s.object.size,
                    s.width,
                    s.height,
                    if s.full_page { "" } else { " (cut)" }
                ),
            );
        }
    }
    field("text", &format!("sha256:{}", m.text_sha256));
    field(
        "tool",
        &format!(
            "{} {}, extractor {}",
            m.tool.name, m.tool.version, m.extractor_version
        ),
    );
    field("parent", m.parent.as_deref().unwrap_or("none"));
    match &m.exchange {
        Some(x) => {
            field("exchange", &x.http_version);
            if let Some(r) = &x.request_head {
                field(
                    "request",
                    &format!("sha256:{} ({} bytes)", r.sha256, r.size),
                );
            }
            let r = &x.response_head;
            field(
                "response",
                &format!("sha256:{} ({} bytes)", r.sha256, r.size),
            );
            if let Some(e) = &x.encoded_body {
                field(
                    "encoded",
                    &format!("sha256:{} ({} bytes)", e.sha256, e.size),
                );
            }
            for note in &x.notes {
                field("note", note);
            }
        }
        None => field("exchange", "not kept (selected headers only)"),
    }
    if let Some(o) = &m.origin {
        field(
            "origin",
            &format!(
                // ARC records have no id: the offset names them.
                "{} (sha256:{}) {} record {}at byte {}",
                o.warc,
                o.warc_sha256,
                o.record_type,
                spaced(&o.record_id),
                o.offset
            ),
        );
    }
    let p = &v.provenance;
    if let Some(t) = &p.title {
        field("title", t);
    }
    if let Some(h) = p.headline.as_ref().filter(|h| p.title.as_ref() != Some(*h)) {
        field("headline", h);
    }
    for b in &p.bylines {
        field("byline", b);
    }
    for c in &p.claims {
        let mut text = c.text.clone();
        if let Some(pubr) = &c.publisher {
            let _ = write!(text, " [publisher: {pubr}]");
        }
        if let Some(d) = &c.date {
            let _ = write!(text, " [date: {d}]");
        }
        if let Some(u) = &c.url {
            let _ = write!(text, " [url: {u}]");
        }
        field("claim", &text);
    }
    if let Some(u) = &p.canonical_url {
        field("canonical", u);
    }
    for ld in &p.json_ld {
        let mut text = ld.kind.clone();
        for (k, val) in [
            ("published", &ld.date_published),
            ("modified", &ld.date_modified),
            ("publisher", &ld.publisher),
            ("based on", &ld.is_based_on),
        ] {
            if let Some(val) = val {
                let _ = write!(text, " {k}: {val};");
            }
        }
        field("json-ld", &text);
    }
    out
}

pub fn json(v: &SnapshotView) -> String {
    json_line(v)
}

/// The article text, one block per line, sanitised for a terminal.
pub fn article_text(doc: &Document) -> String {
    let mut out = String::new();
    for b in &doc.blocks {
        out.push_str(&line(&b.text));
        out.push('\n');
    }
    out
}

/// `id ` with its space, or nothing for an empty id (ARC records have none).
pub(super) fn spaced(id: &str) -> String {
    match id {
        "" => String::new(),
        id => format!("{id} "),
    }
}
