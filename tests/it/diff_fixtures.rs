//! The diff stage on the real fixtures, extracted by the real extractor.

use std::path::Path;

use stet::diff::{diff_documents, DiffOptions, EditClass, EditOp};
use stet::extract::{extract, ExtractOptions};
use stet::model::Document;
use stet::report::{diff_html, diff_json, diff_text, diff_unified, DiffReport, Side};

type R = Result<(), Box<dyn std::error::Error>>;

const BASE: &str = "https://www.rightsmonitor.example/2011/04/27/us-china-human-rights-dialogue-soft-power-gone-hard/";

fn load(name: &str) -> Result<Document, Box<dyn std::error::Error>> {
    let bytes = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(name),
    )?;
    Ok(extract(
        &bytes,
        Some("text/html"),
        BASE,
        &ExtractOptions::default(),
    )?)
}

fn report(a: &str, b: &str) -> Result<DiffReport, Box<dyn std::error::Error>> {
    let (old_doc, new_doc) = (load(a)?, load(b)?);
    let diff = diff_documents(&old_doc, &new_doc, &DiffOptions::default());
    Ok(DiffReport {
        old: Side::from_document(a, &old_doc),
        new: Side::from_document(b, &new_doc),
        old_doc,
        new_doc,
        diff,
        strict: false,
    })
}

#[test]
fn boilerplate_change_gives_no_edit() -> R {
    let r = report("article-v1.html", "article-v2-boilerplate.html")?;
    assert!(r.diff.edits.is_empty(), "{:#?}", r.diff.edits);
    assert!(r.diff.fields.is_empty(), "{:#?}", r.diff.fields);
    assert!(!r.diff.differs(true));
    Ok(())
}

#[test]
fn v3_edits_are_found_and_nothing_else() -> R {
    let r = report("article-v1.html", "article-v3-edited.html")?;
    let got: Vec<(EditOp, &str, &str)> = r
        .diff
        .edits
        .iter()
        .map(|e| (e.op, e.before.as_str(), e.after.as_str()))
        .collect();
    let want = vec![
        (EditOp::Replace, "dozens", "hundreds"),
        (EditOp::Delete, "Security, in other words, appears to have taken precedence over soft power.", ""),
        (EditOp::Replace, "2004", "2005"),
        (EditOp::Replace, "lavishly", "heavily"),
        (
            EditOp::Insert,
            "",
            "Correction: An earlier version of this post misstated the year the talks were suspended.",
        ),
    ];
    assert_eq!(got, want);
    assert!(r.diff.fields.is_empty(), "{:#?}", r.diff.fields);
    let classes: Vec<EditClass> = r.diff.edits.iter().map(|e| e.class).collect();
    assert_eq!(classes[0], EditClass::Substantive); // a number word
    assert_eq!(classes[2], EditClass::Substantive); // a year
    assert_eq!(classes[3], EditClass::Minor);
    let first = &r.diff.edits[0];
    assert!(first.context_before.ends_with("has seen "), "{first:?}");
    assert!(first.context_after.starts_with(" of writers"), "{first:?}");
    // The offsets point into Document::text().
    let text: Vec<char> = r.old_doc.text().chars().collect();
    let s: String = text[first.old_span.start..first.old_span.end]
        .iter()
        .collect();
    assert_eq!(s, "dozens");

    // The rendered reports of this pair, and of the v4 (caption removed)
    // and v5 (source URL changed) pairs, are pinned whole in
    // tests/it/golden.rs.
    Ok(())
}

#[test]
fn every_renderer_is_deterministic() -> R {
    for pair in [
        ("article-v1.html", "article-v3-edited.html"),
        ("article-v1.html", "article-v5-links-changed.html"),
    ] {
        let (a, b) = (report(pair.0, pair.1)?, report(pair.0, pair.1)?);
        assert_eq!(diff_json(&a)?, diff_json(&b)?);
        assert_eq!(diff_text(&a, true), diff_text(&b, true));
        assert_eq!(diff_unified(&a), diff_unified(&b));
        assert_eq!(diff_html(&a), diff_html(&b));
    }
    Ok(())
}
