//! Noise and edits on real pages: Mozilla Readability's 130 test pages
//! (`../shared/corpus`), changed the ways publishers change pages.
//!
//! Noise (must give no substantive or minor change, in the text or in a
//! field): whitespace between tags, cache-busting query strings on assets,
//! tracking attributes, hashed class names, `’` written as an entity,
//! navigation and footer text, ad slots and share boxes between paragraphs;
//! image URL noise (a cache buster, CDN size and format parameters, a
//! lazy-loading `data-src` or `data-srcset` swap behind a placeholder),
//! link URL noise (`utm_*` added, `http` → `https`, protocol-relative), a
//! consent banner, a live "Updated N minutes ago", a comment count that
//! moved, a rotating "Most read" rail between paragraphs, A/B test
//! attributes. None of them changes the article's words: a kind that did
//! would be an edit. Edits (must each be found with the changed words): a
//! word replaced, a number changed, a sentence deleted, a correction
//! paragraph inserted mid-article and one appended. Targets: at most 1% of
//! unchanged articles reported as changed, at least 99% of edits found.
//!
//! Skips with a message when `../shared/corpus` is missing (a fresh clone),
//! unless `STET_REQUIRE_ALL=1`.

mod common;

use std::path::PathBuf;
use std::sync::Mutex;

use stet::diff::{diff_documents, DiffOptions, EditClass};
use stet::extract::{extract, ExtractOptions};
use stet::model::{BlockKind, Document};

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

/// Non-cosmetic changes between two documents, as (before, after): text
/// edits, then field changes (an image's `src`, a link, a caption …).
fn changes(a: &Document, b: &Document) -> Vec<(String, String)> {
    let d = diff_documents(a, b, &DiffOptions::default());
    let edits = d
        .edits
        .into_iter()
        .filter(|e| e.class != EditClass::Cosmetic)
        .map(|e| (e.before, e.after));
    let fields = d
        .fields
        .into_iter()
        .filter(|f| f.class != EditClass::Cosmetic)
        .map(|f| {
            (
                format!("{}: {}", f.field, f.before.unwrap_or_default()),
                f.after.unwrap_or_default(),
            )
        });
    edits.chain(fields).collect()
}

/// A 1x1 transparent gif: what lazy loaders leave in `src`.
const PIXEL: &str =
    "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";

/// `url` with `params` added to its query (before any fragment).
fn with_params(url: &str, params: &str) -> String {
    let (head, frag) = url
        .split_once('#')
        .map_or((url, ""), |(h, _)| (h, &url[h.len()..]));
    let sep = if head.contains('?') { "&amp;" } else { "?" };
    format!("{head}{sep}{params}{frag}")
}

/// Rewrites the value of every `attr="…"` of `<tag …>` elements.
fn rewrite_attr(html: &str, tag: &str, attr: &str, f: &dyn Fn(&str) -> String) -> String {
    let re = regex::Regex::new(&format!(r#"(<{tag}\b[^>]*?\s{attr}=")([^"]+)(")"#)).expect("regex");
    re.replace_all(html, |c: &regex::Captures| {
        format!("{}{}{}", &c[1], f(c[2].trim()), &c[3])
    })
    .into_owned()
}

/// The byte offset right after the `n`-th `</p>`, if any.
fn after_paragraph(html: &str, n: usize) -> Option<usize> {
    html.match_indices("</p>").nth(n).map(|(i, _)| i + 4)
}

/// The byte offset of the `<p` that opens the first article paragraph.
fn before_first_paragraph(html: &str, original: &Document) -> Option<usize> {
    let first = original
        .blocks
        .iter()
        .find(|b| b.kind == BlockKind::Paragraph && b.text.split_whitespace().count() >= 12)?;
    let words: String = first
        .text
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    let at = html.find(&words)?;
    html[..at].rfind("<p")
}

/// The byte offset right after the `</p>` that closes the `n`-th article
/// paragraph (of 12 words or more), if it can be found once in the page.
fn after_article_paragraph(html: &str, original: &Document, n: usize) -> Option<usize> {
    let p = original
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Paragraph && b.text.split_whitespace().count() >= 12)
        .nth(n)?;
    let tail: String = p
        .text
        .chars()
        .rev()
        .take(24)
        .collect::<String>()
        .chars()
        .rev()
        .collect();
    if html.matches(&tail).count() != 1 {
        return None;
    }
    let i = html.find(&tail)?;
    html[i..].find("</p>").map(|j| i + j + 4)
}

/// `f` applied to the page outside its `<script>` elements (a redeploy
/// that writes text differently leaves the JSON in scripts alone).
fn outside_scripts(html: &str, f: &dyn Fn(&str) -> String) -> String {
    let script = regex::Regex::new(r"(?s)<script\b.*?</script>").expect("regex");
    let mut out = String::with_capacity(html.len());
    let mut last = 0;
    for m in script.find_iter(html) {
        out.push_str(&f(&html[last..m.start()]));
        out.push_str(m.as_str());
        last = m.end();
    }
    out.push_str(&f(&html[last..]));
    out
}

fn insert(html: &str, at: usize, what: &str) -> String {
    let mut s = html.to_string();
    s.insert_str(at, what);
    s
}

fn rail(items: &[&str]) -> String {
    let li: String = items
        .iter()
        .map(|t| format!("<li><a href=\"/news/{}\">{t}</a></li>", t.len()))
        .collect();
    format!("<aside class=\"most-read\" aria-label=\"Most read\"><h2>Most read</h2><ol>{li}</ol></aside>")
}

/// One kind of noise: the reference and the redeployed HTML.
type Noise = (&'static str, String, String);

fn noise(html: &str, original: &Document) -> Vec<Noise> {
    // Whitespace between block-level tags only: between inline tags it is
    // text ("W</b> <i>hale" reads differently), so a redeploy keeps it.
    let blocks = regex::Regex::new(r"><(/?(?:p|div|section|article|ul|ol|li|h[1-6]|header|footer|nav|aside|figure|table|tbody|tr|td|th|script|style|meta|link|head|body)\b)")
        .expect("regex");
    let assets = regex::Regex::new(r#"(<(?:link|script)\b[^>]*?(?:src|href)="[^"]+\.(?:css|js))""#)
        .expect("regex");
    let same = |what: &'static str, after: String| (what, html.to_string(), after);
    let mut out = vec![
        same(
            "whitespace between tags",
            blocks.replace_all(html, ">\n   <$1").into_owned(),
        ),
        same(
            "cache-busting query strings",
            assets.replace_all(html, "$1?v=20261128\"").into_owned(),
        ),
        same(
            "tracking attributes",
            html.replace("<p>", "<p data-track=\"t-81f3\">")
                .replace("<a ", "<a data-ga=\"click\" "),
        ),
        same(
            "hashed class names",
            html.replace("class=\"", "class=\"css-1x9q2z "),
        ),
        same(
            "’ as an entity",
            outside_scripts(html, &|t| t.replace('’', "&rsquo;")),
        ),
        same(
            "A/B test attributes",
            html.replacen(
                "<body",
                "<body data-ab-test=\"headline-2027\" data-variant=\"b\"",
                1,
            )
            .replace("<p>", "<p data-variant=\"b\">")
            .replace("class=\"", "class=\"ab-variant-b "),
        ),
    ];
    let is_absolute = |u: &str| u.starts_with("http://") || u.starts_with("https://");
    if html.contains("<img") {
        out.push(same(
            "image cache buster",
            rewrite_attr(html, "img", "src", &|u| {
                if u.starts_with("data:") {
                    u.to_string()
                } else {
                    with_params(u, "v=4256")
                }
            }),
        ));
        out.push(same(
            "image CDN size and format parameters",
            rewrite_attr(html, "img", "src", &|u| {
                if u.starts_with("data:") {
                    u.to_string()
                } else {
                    with_params(
                        u,
                        "w=640&amp;h=426&amp;fit=crop&amp;auto=format,compress&amp;q=75",
                    )
                }
            }),
        ));
        // Images that had no lazy loading of their own gain it (an image
        // already lazy, inline or scripted is left as it is).
        let lazy = |markup: &str| {
            let img = regex::Regex::new(r#"<img\b[^>]*>"#).expect("regex");
            let src = regex::Regex::new(r#"\ssrc="([^"]+)""#).expect("regex");
            img.replace_all(html, |c: &regex::Captures| {
                let tag = &c[0];
                let plain = !(tag.contains("srcset")
                    || tag.contains("data-")
                    || tag.contains("lazy")
                    || tag.contains("this.")
                    || tag.contains("src=\"data:"));
                match src.captures(tag) {
                    Some(m) if plain => {
                        let url = m[1].trim();
                        tag.replacen(&m[0], &markup.replace("URL", url), 1)
                    }
                    _ => tag.to_string(),
                }
            })
            .into_owned()
        };
        out.push(same(
            "lazy-loading data-src swap",
            lazy(&format!(" src=\"{PIXEL}\" data-src=\"URL\"")),
        ));
        out.push(same(
            "lazy-loading data-srcset swap",
            lazy(&format!(" src=\"{PIXEL}\" data-srcset=\"URL 1x, URL 2x\"")),
        ));
    }
    if html.contains("<a ") {
        out.push(same(
            "utm parameters on links",
            rewrite_attr(html, "a", "href", &|u| {
                if is_absolute(u) {
                    with_params(
                        u,
                        "utm_source=newsletter&amp;utm_medium=email&amp;utm_campaign=daily",
                    )
                } else {
                    u.to_string()
                }
            }),
        ));
    }
    if html.contains("=\"http://") {
        out.push(same(
            "http to https",
            html.replace("href=\"http://", "href=\"https://")
                .replace("src=\"http://", "src=\"https://"),
        ));
    }
    if html.contains("=\"https://") || html.contains("=\"http://") {
        out.push(same(
            "protocol-relative URLs",
            html.replace("href=\"https://", "href=\"//")
                .replace("href=\"http://", "href=\"//")
                .replace("src=\"https://", "src=\"//")
                .replace("src=\"http://", "src=\"//"),
        ));
    }
    if let Some(at) = html
        .find("<body")
        .and_then(|i| html[i..].find('>').map(|j| i + j + 1))
    {
        out.push(same(
            "consent banner",
            insert(
                html,
                at,
                "<div id=\"onetrust-consent-sdk\" class=\"cookie-consent\" role=\"dialog\" aria-label=\"Cookie banner\">\
                 <p>We value your privacy. We and our 842 partners store and access information on your device.\
                 <a href=\"/privacy\">Privacy policy</a></p><button>Accept all</button></div>",
            ),
        ));
    }
    if let Some(at) = before_first_paragraph(html, original) {
        let updated = |n: &str| {
            format!("<div class=\"article-meta\"><time class=\"updated\" datetime=\"2027-01-01\">Updated {n} ago</time></div>")
        };
        out.push((
            "live \"updated N minutes ago\"",
            insert(html, at, &updated("5 minutes")),
            insert(html, at, &updated("2 hours")),
        ));
        let comments = |n: u32| {
            format!("<div class=\"entry-meta\"><span class=\"comments-link\"><a href=\"#comments\">{n} Comments</a></span></div>")
        };
        out.push((
            "comment count",
            insert(html, at, &comments(12)),
            insert(html, at, &comments(15)),
        ));
    }
    if let Some(at) = after_article_paragraph(html, original, 1) {
        out.push((
            "rotating \"most read\" rail between paragraphs",
            insert(
                html,
                at,
                &rail(&["Storm closes schools", "Mayor resigns", "Markets rally"]),
            ),
            insert(
                html,
                at,
                &rail(&[
                    "Markets rally",
                    "Bridge reopens after repairs",
                    "Storm closes schools",
                ]),
            ),
        ));
    }
    if html.contains("</nav>") || html.contains("</footer>") {
        out.push(same(
            "navigation and footer text",
            html.replace("</nav>", "<a href=\"/new-section\">New section</a></nav>")
                .replace(
                    "</footer>",
                    "<p>© 2027 The Example Times. All rights reserved.</p></footer>",
                ),
        ));
    }
    if let Some(at) = after_paragraph(html, 1) {
        out.push(same(
            "ad slot and share box between paragraphs",
            insert(
                html,
                at,
                "<div class=\"ad-slot advertisement\"><span>Advertisement</span></div>\
                 <div class=\"share-box social-share\"><a href=\"https://twitter.com/share\">Share on Twitter</a> <a href=\"mailto:?\">Email</a></div>",
            ),
        ));
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
    // A correction inserted after a paragraph in the middle of the article.
    if let Some(mid) = paragraphs.get(paragraphs.len() / 2) {
        let tail: String = mid
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
                s.insert_str(at, "<p>Update: This article has been corrected to say the ministry spoke on Tuesday, not Wednesday.</p>");
                out.push(Edit {
                    what: "correction inserted mid-article",
                    html: s,
                    evidence: "Update: This article has been corrected".into(),
                });
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

#[derive(Default)]
struct Tally {
    noise_cases: usize,
    false_changes: Vec<String>,
    /// Per noise kind: (cases, false changes).
    kinds: std::collections::BTreeMap<&'static str, (usize, usize)>,
    edit_cases: usize,
    missed: Vec<String>,
}

fn run_page(page: &std::path::Path, t: &mut Tally) {
    let html = String::from_utf8_lossy(&std::fs::read(page).expect("page")).into_owned();
    let Some(original) = doc(&html) else { return };
    if original.blocks.len() < 3 {
        return;
    }
    let name = page
        .parent()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    for (what, before, after) in noise(&html, &original) {
        let reference = if before == html {
            Some(original.clone())
        } else {
            doc(&before)
        };
        let (Some(a), Some(b)) = (reference, doc(&after)) else {
            continue;
        };
        t.noise_cases += 1;
        let kind = t.kinds.entry(what).or_default();
        kind.0 += 1;
        let c = changes(&a, &b);
        if !c.is_empty() {
            kind.1 += 1;
            t.false_changes
                .push(format!("{name}: {what}: {:?}", c.first()));
        }
    }
    for edit in edits_for(&html, &original) {
        let Some(d) = doc(&edit.html) else { continue };
        // The HTML change landed outside the article (a meta description,
        // hidden markup): not an article edit.
        if d.text() == original.text() {
            continue;
        }
        t.edit_cases += 1;
        let found = changes(&original, &d)
            .iter()
            .any(|(b, a)| b.contains(&edit.evidence) || a.contains(&edit.evidence));
        if !found {
            t.missed
                .push(format!("{name}: {} ({})", edit.what, edit.evidence));
        }
    }
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
    let tally = Mutex::new(Tally::default());
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(page) = pages.get(i) else { break };
                let mut local = Tally::default();
                run_page(page, &mut local);
                let mut t = tally.lock().expect("tally");
                t.noise_cases += local.noise_cases;
                t.false_changes.extend(local.false_changes);
                for (k, (n, f)) in local.kinds {
                    let e = t.kinds.entry(k).or_default();
                    e.0 += n;
                    e.1 += f;
                }
                t.edit_cases += local.edit_cases;
                t.missed.extend(local.missed);
            });
        }
    });
    let mut t = tally.into_inner().expect("tally");
    t.false_changes.sort();
    t.missed.sort();
    let fp = 100.0 * t.false_changes.len() as f64 / t.noise_cases.max(1) as f64;
    let found = t.edit_cases - t.missed.len();
    let recall = 100.0 * found as f64 / t.edit_cases.max(1) as f64;
    eprintln!(
        "noise: {} of {} unchanged articles reported as changed (FP {fp:.2}%); \
         edits: {found} of {} found (recall {recall:.2}%)",
        t.false_changes.len(),
        t.noise_cases,
        t.edit_cases,
    );
    for (k, (n, f)) in &t.kinds {
        eprintln!("  {k}: {f} of {n}");
    }
    for f in t.false_changes.iter().chain(&t.missed) {
        eprintln!("  {f}");
    }
    assert!(
        t.noise_cases >= 1800 && t.edit_cases >= 300,
        "{} noise cases, {} edit cases",
        t.noise_cases,
        t.edit_cases
    );
    assert!(
        t.false_changes.len() * 100 <= t.noise_cases,
        "more than 1% false changes"
    );
    assert!(
        t.missed.len() * 100 <= t.edit_cases,
        "fewer than 99% of edits found"
    );
}
