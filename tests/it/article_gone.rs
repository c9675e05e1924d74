//! A page that no longer shows its article (a paywall, a consent or login
//! wall, a removal notice, an empty page, a redirect to another page) is
//! one `article_gone` finding,
//! not every paragraph deleted; an article edited, even heavily, is not
//! gone. Over every page of the three corpora in `../shared/corpus` with
//! enough text, as the reference.
//!
//! Skips with a message when the corpora are missing (a fresh clone),
//! unless `STET_REQUIRE_ALL=1`.

use crate::common;

use common::corpus::document as doc;
use stet::audit::article_gone;
use stet::diff::{diff_documents, DiffOptions};
use stet::model::{BlockKind, Document, FindingKind};

/// Pages that stand where an article stood.
const WALLS: &[&str] = &[
    "<html><head><title>Subscribe to continue reading</title></head><body><div class=\"paywall\">\
     <h2>Subscribe to continue reading</h2><p>Get unlimited access for just $1 a week. \
     Already a subscriber? <a href=\"/login\">Log in</a>.</p></div></body></html>",
    "<html><head><title>Before you continue</title></head><body><div id=\"consent\">\
     <p>We and our partners use cookies to store and access information on your device. \
     Select Accept all to consent.</p><button>Accept all</button><button>Reject all</button>\
     </div></body></html>",
    "<html><head><title>Article removed</title></head><body><article>\
     <p>This article has been removed at the request of the subject.</p></article></body></html>",
    "<html><head><title>Loading…</title></head><body><div id=\"root\"></div>\
     <script>window.app()</script></body></html>",
];

fn gone(a: &Document, b: &Document) -> Option<FindingKind> {
    let d = diff_documents(a, b, &DiffOptions::default());
    article_gone(("https://example.org/a", Some(200), false, None), a, b, &d)
}

/// [`gone`], for a page reached at another address (a redirect away).
fn gone_elsewhere(a: &Document, b: &Document) -> Option<FindingKind> {
    let d = diff_documents(a, b, &DiffOptions::default());
    article_gone(("https://example.org/", Some(200), true, None), a, b, &d)
}

/// `d` with only the blocks `keep` says to keep.
fn with_blocks(d: &Document, keep: impl Fn(usize, usize) -> bool) -> Document {
    let n = d.blocks.len();
    let mut out = d.clone();
    out.blocks = d
        .blocks
        .iter()
        .enumerate()
        .filter(|(i, _)| keep(*i, n))
        .map(|(_, b)| b.clone())
        .collect();
    out
}

/// `d` with a word of every block changed (a line edit of the whole text).
fn every_block_edited(d: &Document) -> Document {
    let mut out = d.clone();
    for b in &mut out.blocks {
        b.text = format!("{} (updated)", b.text);
    }
    out
}

#[test]
fn a_wall_is_the_article_gone_and_an_edit_is_not() {
    let Some(pages) = common::corpus::pages_or_skip() else {
        return;
    };
    let walls: Vec<Document> = WALLS.iter().filter_map(|w| doc(w)).collect();
    assert_eq!(walls.len(), WALLS.len(), "every wall extracts");
    let articles: Vec<(&str, Document)> = pages
        .iter()
        .filter_map(|(name, html)| Some((name.as_str(), doc(html)?)))
        .filter(|(_, d)| d.text().chars().count() >= 1500)
        .collect();
    let (mut cases, mut wrong) = (0, Vec::new());
    for (name, article) in &articles {
        cases += 1;
        for (k, wall) in walls.iter().enumerate() {
            if gone(article, wall).is_none() {
                wrong.push(format!("{name}: wall {k} not taken for the article gone"));
            }
        }
        // Edits, however heavy, are edits: the first half of the text
        // deleted, all but the first third deleted, every paragraph edited.
        let edited = [
            ("second half kept", with_blocks(article, |i, n| i >= n / 2)),
            (
                "first third kept",
                with_blocks(article, |i, n| i < n.div_ceil(3)),
            ),
            ("every paragraph edited", every_block_edited(article)),
        ];
        for (what, e) in &edited {
            if e.text().chars().count() * 3 >= article.text().chars().count()
                && gone(article, e).is_some()
            {
                wrong.push(format!("{name}: {what} taken for the article gone"));
            }
        }
        // Redirected to another page as long as itself (another corpus
        // article stands for a front page): gone; to its new address with
        // its text: not gone.
        if let Some((_, other)) = articles
            .iter()
            .find(|(n, d)| n != name && d.text().len() >= article.text().len())
        {
            if gone_elsewhere(article, other).is_none() {
                wrong.push(format!(
                    "{name}: a redirect to another page not taken for gone"
                ));
            }
        }
        if gone_elsewhere(article, &every_block_edited(article)).is_some() {
            wrong.push(format!(
                "{name}: a new address with the text taken for gone"
            ));
        }
        // And the article back after a wall is no finding of this kind.
        if gone(&walls[0], article).is_some() {
            wrong.push(format!("{name}: the article after a wall taken for gone"));
        }
    }
    eprintln!("{cases} articles, {} wrong", wrong.len());
    assert!(cases >= 250, "only {cases} articles");
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// What a metered paywall puts after the article's first paragraphs.
const METER: &str = "<div class=\"paywall\"><h2>Subscribe to continue reading</h2>\
    <p>You have read all of your free articles this month. Get unlimited access for just \
    $1 a week. Already a subscriber? <a href=\"/login\">Log in</a>.</p></div>";

fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The page's HTML as a metered paywall serves it: the article's
/// container (the element holding all its paragraphs, a `<p>` whose text
/// is a paragraph of `article`) cut after its `keep`-th paragraph, the wall
/// put there; the rest of the page as it was. `None` when the page has
/// fewer than `keep + 3` such paragraphs.
fn metered(html: &str, article: &Document, keep: usize) -> Option<String> {
    let paragraphs: std::collections::HashSet<String> = article
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Paragraph)
        .map(|b| words(&b.text))
        .collect();
    let dom = dom_query::Document::from(html);
    let found: Vec<_> = dom
        .select("p")
        .nodes()
        .iter()
        .filter(|p| paragraphs.contains(&words(&p.text())))
        .copied()
        .collect();
    if found.len() < keep + 3 {
        return None;
    }
    // The container: the nearest ancestor of the first paragraph that
    // holds the last one too.
    let last = found.last()?;
    let container = found[0]
        .ancestors_it(None)
        .find(|a| last.ancestors_it(None).any(|b| b.id == a.id))?;
    let cut = found[keep - 1];
    let mut at = cut;
    while at.id != container.id {
        while let Some(next) = at.next_sibling() {
            next.remove_from_parent();
        }
        at = at.parent()?;
    }
    cut.after_html(METER);
    Some(dom.html().to_string())
}

/// The characters of `article`'s blocks that `page` still shows word for
/// word (each place in the page standing for one block).
fn shown(article: &Document, page: &Document) -> usize {
    let mut text = words(&page.text());
    let mut kept = 0;
    for b in &article.blocks {
        let t = words(&b.text);
        if !t.is_empty() && text.contains(t.as_str()) {
            text = text.replacen(t.as_str(), "\u{1}", 1);
            kept += t.chars().count();
        }
    }
    kept
}

/// A metered paywall that shows the article's opening paragraphs, under a
/// quarter of its text, then asks for a subscription, is the article gone
/// (quoting the wall), not every later paragraph deleted; one that shows
/// a third of the text or more is edits. Over the corpora's pages, with
/// one, two and three paragraphs shown.
#[test]
fn a_metered_paywall_after_the_opening_is_the_article_gone() {
    let Some(pages) = common::corpus::pages_or_skip() else {
        return;
    };
    let (mut gone_cases, mut edit_cases, mut filled, mut wrong) = (0, 0, 0, Vec::new());
    for (name, html) in &pages {
        let Some(article) = doc(html) else { continue };
        let total: usize = article
            .blocks
            .iter()
            .map(|b| words(&b.text).chars().count())
            .sum();
        if total < 1500 {
            continue;
        }
        for keep in 1..=3 {
            let Some(page) = metered(html, &article, keep) else {
                continue;
            };
            let Some(preview) = doc(&page) else { continue };
            let kept = shown(&article, &preview);
            let found = gone(&article, &preview);
            let size: usize = preview
                .blocks
                .iter()
                .map(|b| words(&b.text).chars().count())
                .sum();
            if kept * 4 < total && size * 2 >= total {
                // Content detection found other text as long as half the
                // article (comments, a list): as for a rewrite, edits.
                filled += 1;
            } else if kept * 4 < total {
                gone_cases += 1;
                match &found {
                    // It quotes what stands instead of the article, not
                    // the opening it keeps.
                    Some(FindingKind::ArticleGone { after, .. }) => {
                        let opening = article.blocks.iter().map(|b| words(&b.text)).find(|t| {
                            t.chars().count() >= 40
                                && after.starts_with(&t.chars().take(40).collect::<String>())
                        });
                        if let Some(t) = opening {
                            wrong.push(format!("{name}, {keep} shown: quotes the article “{t}”"));
                        }
                    }
                    _ => wrong.push(format!("{name}, {keep} shown: not taken for gone")),
                }
            } else if kept * 3 >= total {
                edit_cases += 1;
                if found.is_some() {
                    wrong.push(format!("{name}, {keep} shown: a third kept taken for gone"));
                }
            }
        }
    }
    eprintln!(
        "{gone_cases} previews, {filled} filled with other text, {edit_cases} long previews, {} wrong",
        wrong.len()
    );
    assert!(gone_cases >= 500, "only {gone_cases} previews");
    assert!(wrong.is_empty(), "{wrong:#?}");
}
