//! An edit's class on real sentences: the paragraphs of the three corpora
//! in `../shared/corpus`, each page edited in its HTML and extracted again.
//!
//! - A fact reversed (a word put in place of its opposite: "rose" →
//!   "fell", "approved" → "rejected", "legal" → "illegal") is a
//!   substantive edit, with reason `opposite`, whatever sentence it is in.
//! - A word put in place of another of the same meaning ("rose" →
//!   "climbed", "biggest" → "largest") is no reversal.
//!
//! The swaps are this test's own table, written from corrections
//! newsrooms publish, not copied from the classifier's lexicon.
//!
//! Skips with a message when the corpora are missing (a fresh clone),
//! unless `STET_REQUIRE_ALL=1`.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use common::corpus::document as doc;
use stet::diff::{diff_documents, DiffOptions, EditClass, Reason};
use stet::model::Document;

/// A word and its opposite, as a correction reverses a claim.
const REVERSALS: &[(&str, &str)] = &[
    ("rose", "fell"),
    ("fell", "rose"),
    ("increased", "decreased"),
    ("increase", "decrease"),
    ("higher", "lower"),
    ("lower", "higher"),
    ("largest", "smallest"),
    ("biggest", "smallest"),
    ("oldest", "newest"),
    ("before", "after"),
    ("after", "before"),
    ("approved", "rejected"),
    ("accepted", "rejected"),
    ("won", "lost"),
    ("lost", "won"),
    ("legal", "illegal"),
    ("likely", "unlikely"),
    ("possible", "impossible"),
    ("supported", "opposed"),
    ("support", "oppose"),
    ("allowed", "banned"),
    ("growth", "decline"),
    ("gained", "lost"),
    ("strong", "weak"),
    ("best", "worst"),
    ("better", "worse"),
    ("early", "late"),
    ("public", "private"),
    ("above", "below"),
    ("open", "closed"),
    ("killed", "injured"),
    ("guilty", "innocent"),
    ("success", "failure"),
    ("positive", "negative"),
    ("agree", "disagree"),
    ("able", "unable"),
    ("more", "fewer"),
    ("good", "bad"),
    ("high", "low"),
    ("long", "short"),
    ("new", "old"),
    ("young", "old"),
    ("always", "never"),
    ("true", "false"),
    ("started", "ended"),
    ("opened", "closed"),
    ("bought", "sold"),
    ("joined", "left"),
    ("hired", "fired"),
    ("entered", "left"),
    ("dead", "alive"),
    ("his", "her"),
    ("he", "she"),
    ("men", "women"),
    ("for", "against"),
    ("include", "exclude"),
    ("included", "excluded"),
    ("correct", "incorrect"),
    ("known", "unknown"),
    ("common", "uncommon"),
    ("honest", "dishonest"),
    ("useful", "useless"),
];

/// A word and another of the same meaning: a rewording, not a reversal.
const REWORDINGS: &[(&str, &str)] = &[
    ("rose", "climbed"),
    ("fell", "dropped"),
    ("biggest", "largest"),
    ("big", "large"),
    ("small", "little"),
    ("began", "started"),
    ("help", "assist"),
    ("buy", "purchase"),
    ("quickly", "rapidly"),
    ("important", "significant"),
    ("about", "around"),
    ("often", "frequently"),
    ("very", "extremely"),
    ("people", "individuals"),
    ("show", "display"),
    ("use", "utilise"),
    ("car", "vehicle"),
    ("house", "home"),
    ("increase", "rise"),
    ("reduced", "lowered"),
    ("banned", "prohibited"),
    ("approved", "accepted"),
    ("form", "shape"),
    ("to", "toward"),
    ("come", "arrive"),
    ("side", "flank"),
    ("put", "placed"),
];

/// `html` with the first word of `swaps` found once in the page, as
/// " word ", and in a paragraph of the article, replaced: (from, to, html).
fn swapped(
    html: &str,
    original: &Document,
    swaps: &[(&'static str, &'static str)],
) -> Option<(&'static str, &'static str, String)> {
    let paragraphs = original
        .blocks
        .iter()
        .map(|b| b.text.as_str())
        .filter(|t| t.split_whitespace().count() >= 12);
    for p in paragraphs {
        for &(from, to) in swaps {
            let needle = format!(" {from} ");
            if p.contains(&needle) && html.matches(&needle).count() == 1 {
                return Some((from, to, html.replacen(&needle, &format!(" {to} "), 1)));
            }
        }
    }
    None
}

/// The reasons of the non-cosmetic text edits between two documents, or
/// `None` when the swap changed no word of the text (it was outside it).
fn reasons(a: &Document, b: &Document) -> Option<Vec<(EditClass, Vec<Reason>)>> {
    if a.text() == b.text() {
        return None;
    }
    let d = diff_documents(a, b, &DiffOptions::default());
    Some(
        d.edits
            .into_iter()
            .filter(|e| e.class != EditClass::Cosmetic)
            .map(|e| (e.class, e.reasons))
            .collect(),
    )
}

/// Runs `check` on each page's swap, two pages at a time: (cases, failures).
fn over_corpus(
    pages: &[(String, String)],
    swaps: &[(&'static str, &'static str)],
    check: impl Fn(&[(EditClass, Vec<Reason>)]) -> bool + Sync,
) -> (usize, Vec<String>) {
    let cases = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                while let Some((name, html)) = pages.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let Some(original) = doc(html) else { continue };
                    let Some((from, to, after)) = swapped(html, &original, swaps) else {
                        continue;
                    };
                    let Some(edits) = doc(&after).and_then(|d| reasons(&original, &d)) else {
                        continue;
                    };
                    cases.fetch_add(1, Ordering::Relaxed);
                    if !check(&edits) {
                        failures
                            .lock()
                            .expect("lock")
                            .push(format!("{name}: {from} → {to}: {edits:?}"));
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().expect("lock");
    failures.sort();
    (cases.into_inner(), failures)
}

#[test]
fn a_reversed_fact_is_substantive_on_real_sentences() {
    let Some(pages) = common::corpus::pages_or_skip() else {
        return;
    };
    let (cases, failures) = over_corpus(&pages, REVERSALS, |edits| {
        edits
            .iter()
            .any(|(class, r)| *class == EditClass::Substantive && r.contains(&Reason::Opposite))
    });
    eprintln!(
        "facts reversed: {cases} pages, {} not substantive",
        failures.len()
    );
    assert!(cases >= 180, "only {cases} pages had a word to reverse");
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn a_reworded_sentence_is_no_reversal() {
    let Some(pages) = common::corpus::pages_or_skip() else {
        return;
    };
    let (cases, failures) = over_corpus(&pages, REWORDINGS, |edits| {
        !edits.is_empty() && edits.iter().all(|(_, r)| !r.contains(&Reason::Opposite))
    });
    eprintln!(
        "rewordings: {cases} pages, {} taken for reversals",
        failures.len()
    );
    assert!(cases >= 150, "only {cases} pages had a word to reword");
    assert!(failures.is_empty(), "{failures:#?}");
}
