//! Noise and edits on real pages: Mozilla Readability's 130 test pages
//! (`../shared/corpus`), changed the ways publishers change pages.
//!
//! Noise (must give no edit): whitespace between tags, cache-busting query
//! strings, tracking attributes, hashed class names, `’` written as an
//! entity, navigation and footer text, ad slots and share boxes inserted
//! between article paragraphs. Edits (must each be found with the changed
//! words): a word replaced, a number changed, a sentence deleted, a
//! correction paragraph appended. Targets: at most 1% of unchanged articles
//! reported as changed, at least 99% of edits found.

mod common;

use std::path::PathBuf;
use std::sync::Mutex;

use stet::diff::{diff_documents, DiffOptions, EditClass};
use stet::extract::{extract, ExtractOptions};
use stet::model::Document;

const BASE: &str = "http://fakehost/test/page.html";

fn doc(html: &str) -> Option<Document> {
    extract(
        html.as_bytes(),
        Some("text/html"),
        BASE,
        &ExtractOptions::default(),
    )
    .ok()
}

/// Non-cosmetic edits between two documents, as (before, after).
fn edits(a: &Document, b: &Document) -> Vec<(String, String)> {
    diff_documents(a, b, &DiffOptions::default())
        .edits
        .into_iter()
        .filter(|e| e.class != EditClass::Cosmetic)
        .map(|e| (e.before, e.after))
        .collect()
}

fn noise(html: &str) -> Vec<(&'static str, String)> {
    // Whitespace between block-level tags only: between inline tags it is
    // text ("W</b> <i>hale" reads differently), so a redeploy keeps it.
    let blocks = regex::Regex::new(r"><(/?(?:p|div|section|article|ul|ol|li|h[1-6]|header|footer|nav|aside|figure|table|tbody|tr|td|th|script|style|meta|link|head|body)\b)")
        .expect("regex");
    let assets = regex::Regex::new(r#"((?:src|href)="[^"]+\.(?:css|js))""#).expect("regex");
    let mut out = vec![
        (
            "whitespace between tags",
            blocks.replace_all(html, ">\n   <$1").into_owned(),
        ),
        (
            "cache-busting query strings",
            assets.replace_all(html, "$1?v=20261128\"").into_owned(),
        ),
        (
            "tracking attributes",
            html.replace("<p>", "<p data-track=\"t-81f3\">")
                .replace("<a ", "<a data-ga=\"click\" "),
        ),
        (
            "hashed class names",
            html.replace("class=\"", "class=\"css-1x9q2z "),
        ),
        ("’ as an entity", html.replace('’', "&rsquo;")),
    ];
    if html.contains("</nav>") || html.contains("</footer>") {
        out.push((
            "navigation and footer text",
            html.replace("</nav>", "<a href=\"/new-section\">New section</a></nav>")
                .replace(
                    "</footer>",
                    "<p>© 2027 The Example Times. All rights reserved.</p></footer>",
                ),
        ));
    }
    if let Some(at) = html.match_indices("</p>").nth(1).map(|(i, _)| i + 4) {
        let mut s = html.to_string();
        s.insert_str(
            at,
            "<div class=\"ad-slot advertisement\"><span>Advertisement</span></div>\
             <div class=\"share-box social-share\"><a href=\"https://twitter.com/share\">Share on Twitter</a> <a href=\"mailto:?\">Email</a></div>",
        );
        out.push(("ad slot and share box between paragraphs", s));
    }
    out
}

/// An edit applied to the HTML and the words the diff must report.
struct Edit {
    what: &'static str,
    html: String,
    /// A word or phrase that must appear in an edit's before or after.
    evidence: String,
}

fn unique(html: &str, needle: &str) -> bool {
    needle.len() >= 4 && html.matches(needle).count() == 1
}

fn edits_for(html: &str, original: &Document) -> Vec<Edit> {
    let mut out = Vec::new();
    let paragraphs: Vec<&str> = original
        .blocks
        .iter()
        .map(|b| b.text.as_str())
        .filter(|t| t.split_whitespace().count() >= 12)
        .collect();
    // A word replaced: a long word found once in the page.
    'word: for p in &paragraphs {
        for w in p.split_whitespace() {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            if w.len() >= 7
                && w.chars().all(|c| c.is_ascii_lowercase())
                && unique(html, &format!(" {w} "))
            {
                out.push(Edit {
                    what: "word replaced",
                    html: html.replacen(&format!(" {w} "), " zanzibarian ", 1),
                    evidence: "zanzibarian".into(),
                });
                break 'word;
            }
        }
    }
    // A number changed.
    'number: for p in &paragraphs {
        for w in p.split_whitespace() {
            let n = w.trim_matches(|c: char| !c.is_ascii_digit());
            if (2..=4).contains(&n.len())
                && n.chars().all(|c| c.is_ascii_digit())
                && unique(html, &format!(" {n} "))
            {
                let changed: u32 = n.parse::<u32>().unwrap_or(0) + 7;
                out.push(Edit {
                    what: "number changed",
                    html: html.replacen(&format!(" {n} "), &format!(" {changed} "), 1),
                    evidence: changed.to_string(),
                });
                break 'number;
            }
        }
    }
    // A sentence deleted: a whole sentence found once, in plain text.
    'sentence: for p in &paragraphs {
        for s in p.split_inclusive(". ") {
            let s = s.trim();
            if s.split_whitespace().count() >= 6 && s.ends_with('.') && unique(html, s) {
                out.push(Edit {
                    what: "sentence deleted",
                    html: html.replacen(s, "", 1),
                    evidence: s.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
                });
                break 'sentence;
            }
        }
    }
    // A correction appended after the last paragraph of the article.
    if let Some(last) = paragraphs.last() {
        let tail: String = last
            .chars()
            .rev()
            .take(24)
            .collect::<String>()
            .chars()
            .rev()
            .collect();
        if unique(html, &tail) {
            if let Some(at) = html
                .find(&tail)
                .and_then(|i| html[i..].find("</p>").map(|j| i + j + 4))
            {
                let mut s = html.to_string();
                s.insert_str(at, "<p>Correction: An earlier version of this article misstated the date of the meeting.</p>");
                out.push(Edit {
                    what: "correction appended",
                    html: s,
                    evidence: "Correction: An earlier version".into(),
                });
            }
        }
    }
    out
}

#[test]
fn noise_is_no_edit_and_edits_are_found_on_real_pages() {
    let Some(dir) = common::shared("corpus/readability/test/test-pages") else {
        return;
    };
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus dir")
        .flatten()
        .map(|e| e.path().join("source.html"))
        .filter(|p| p.is_file())
        .collect();
    pages.sort();
    let tally = Mutex::new((0usize, Vec::<String>::new(), 0usize, Vec::<String>::new()));
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(page) = pages.get(i) else { break };
                let html =
                    String::from_utf8_lossy(&std::fs::read(page).expect("page")).into_owned();
                let Some(original) = doc(&html) else { continue };
                if original.blocks.len() < 3 {
                    continue;
                }
                let name = page
                    .parent()
                    .and_then(|p| p.file_name())
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let mut local = (0usize, Vec::new(), 0usize, Vec::new());
                for (what, changed) in noise(&html) {
                    local.0 += 1;
                    let Some(d) = doc(&changed) else { continue };
                    let e = edits(&original, &d);
                    if !e.is_empty() {
                        local.1.push(format!("{name}: {what}: {:?}", e.first()));
                    }
                }
                for edit in edits_for(&html, &original) {
                    let Some(d) = doc(&edit.html) else { continue };
                    // The HTML change landed outside the article (a meta
                    // description, hidden markup): not an article edit.
                    if d.text() == original.text() {
                        continue;
                    }
                    local.2 += 1;
                    let found = edits(&original, &d)
                        .iter()
                        .any(|(b, a)| b.contains(&edit.evidence) || a.contains(&edit.evidence));
                    if !found {
                        local
                            .3
                            .push(format!("{name}: {} ({})", edit.what, edit.evidence));
                    }
                }
                let mut t = tally.lock().expect("tally");
                t.0 += local.0;
                t.1.extend(local.1);
                t.2 += local.2;
                t.3.extend(local.3);
            });
        }
    });
    let (noise_cases, false_edits, edit_cases, missed) = tally.into_inner().expect("tally");
    eprintln!(
        "noise: {} of {noise_cases} unchanged articles reported as changed; edits: {} of {edit_cases} found",
        false_edits.len(),
        edit_cases - missed.len()
    );
    for f in false_edits.iter().chain(&missed) {
        eprintln!("  {f}");
    }
    assert!(
        noise_cases >= 500 && edit_cases >= 250,
        "{noise_cases} noise cases, {edit_cases} edit cases"
    );
    assert!(
        false_edits.len() * 100 <= noise_cases,
        "more than 1% false edits"
    );
    assert!(
        missed.len() * 100 <= edit_cases,
        "fewer than 99% of edits found"
    );
}
