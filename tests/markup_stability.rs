//! The same article in other markup is the same article, on every page of
//! the three corpora in `../shared/corpus` (Mozilla Readability's test
//! pages, the article-extraction-benchmark, the fundus-evaluation pages):
//! a redeploy that renames every class name (CSS modules, Next.js, a
//! version suffix) or sets each photo caption's paragraph in one more
//! `<div>` changes no word, caption or link of the article (no change but
//! cosmetic ones). `tests/edit_detection.rs` has the other kinds of noise,
//! on Readability's pages.
//!
//! Skips with a message when the corpora are missing (a fresh clone),
//! unless `STET_REQUIRE_ALL=1`.

mod common;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use common::corpus::document as doc;
use common::markup::{build_hash, caption_paragraphs_wrapped, with_class_tokens};
use stet::diff::{diff_documents, DiffOptions, EditClass};
use stet::model::Document;

/// The first change that is not cosmetic, as "before → after".
fn first_change(a: &Document, b: &Document) -> Option<String> {
    let d = diff_documents(a, b, &DiffOptions::default());
    let edit = d
        .edits
        .into_iter()
        .find(|e| e.class != EditClass::Cosmetic)
        .map(|e| format!("{:?} → {:?}", e.before, e.after));
    edit.or_else(|| {
        d.fields
            .into_iter()
            .find(|f| f.class != EditClass::Cosmetic)
            .map(|f| format!("{}: {:?} → {:?}", f.field, f.before, f.after))
    })
}

/// Each kind of redeploy: its name and the page it makes (`None`: the page
/// has nothing it would change).
fn redeploys(html: &str) -> Vec<(&'static str, Option<String>)> {
    vec![
        (
            "CSS-module class names",
            Some(with_class_tokens(html, &|t| {
                format!("{t}_{}", build_hash(t))
            })),
        ),
        (
            "Next.js CSS-module class names",
            Some(with_class_tokens(html, &|t| {
                format!("styles_{t}__{}", build_hash(t))
            })),
        ),
        (
            "versioned class names",
            Some(with_class_tokens(html, &|t| format!("{t}-v2"))),
        ),
        (
            "caption paragraphs in one more div",
            caption_paragraphs_wrapped(html),
        ),
    ]
}

#[test]
fn a_redeploy_of_the_markup_changes_no_article() {
    let pages = match common::corpus::pages() {
        Ok(p) => p,
        Err(why) => {
            common::require_or_skip(false, "the corpora in ../shared/corpus", &why);
            return;
        }
    };
    // kind → (pages, pages changed); and what changed on each.
    let kinds = Mutex::new(BTreeMap::<&str, (usize, usize)>::new());
    let changed = Mutex::new(Vec::<String>::new());
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                while let Some((name, html)) = pages.get(next.fetch_add(1, Ordering::Relaxed)) {
                    if let Some(original) = doc(html) {
                        for (kind, after) in redeploys(html) {
                            let Some(after) = after else { continue };
                            let change = doc(&after).map_or(Some("no document".to_string()), |d| {
                                first_change(&original, &d)
                            });
                            let mut k = kinds.lock().expect("lock");
                            let counts = k.entry(kind).or_default();
                            counts.0 += 1;
                            if let Some(c) = change {
                                counts.1 += 1;
                                changed
                                    .lock()
                                    .expect("lock")
                                    .push(format!("{name}: {kind}: {c}"));
                            }
                        }
                    }
                }
            });
        }
    });
    let kinds = kinds.into_inner().expect("lock");
    let mut changed = changed.into_inner().expect("lock");
    changed.sort();
    eprintln!("redeploys (pages changed of pages):");
    for (k, (n, c)) in &kinds {
        eprintln!("  {k}: {c} of {n}");
    }
    for c in &changed {
        eprintln!("  {c}");
    }
    assert!(pages.len() >= 390, "{} pages", pages.len());
    // Every page is renamed; only pages with such captions are wrapped.
    assert_eq!(kinds["CSS-module class names"].0, pages.len());
    assert!(kinds["caption paragraphs in one more div"].0 >= 20);
    // A redeploy changes every page of a site at once: at most 1%.
    for (k, (n, c)) in &kinds {
        assert!(c * 100 <= *n, "{k}: {c} of {n} pages changed");
    }
}
