//! An article body the template closes before an interruption and opens
//! again after it: `<div class="body">A</div><div class="ad"></div><div
//! class="body">B</div>`.
//!
//! A reader sees one body with an ad slot in it, as in `<div
//! class="body">A<div class="ad"></div>B</div>`, and the same article may
//! be served either way from one deploy to the next (an ad slot moved,
//! one added). Split, content detection and the walk see two containers
//! and their parent, and the parent brings in what stands beside the body
//! (the lead photo's caption, the standfirst, a box). The parts are joined
//! back into the first before detection: sibling elements of one name,
//! class and id, each holding a paragraph of prose, with an ad or share
//! slot between them and nothing else but what shows no text. Parts with
//! no slot between them are left as they are: a body set in one section
//! per few paragraphs, or a block per paragraph with photos between, is a
//! layout of its own, not an interrupted one.

use dom_query::{Document, NodeRef};

use super::content::{has_own_text, is_boilerplate, lone_paragraph, Furniture};
use super::tokens::has_word;

/// Characters from which a paragraph counts as prose for a part.
const PROSE_CHARS: usize = 100;

/// Characters from which a paragraph is a line of the article's text for
/// the part after the slot ("San Francisco is going to be a ghost town if
/// it continues down this road.").
const LINE_CHARS: usize = 40;

/// Names of the elements a template splits its body's container in.
fn is_container(n: &NodeRef) -> bool {
    n.has_name("div") || n.has_name("section") || n.has_name("article")
}

/// Whether `a` and `b` are the same container's open tags: one name, the
/// same class and id (both absent, or equal); a container marked by other
/// attributes only (`<section data-page="1">`), the same attributes. A
/// bare `div` or `section` is any part of a page; a bare `article` is the
/// article's element.
fn same_open_tag(a: &NodeRef, b: &NodeRef) -> bool {
    let name = |n: &NodeRef| n.qual_name_ref().map(|q| q.local.clone());
    if name(a) != name(b) {
        return false;
    }
    if a.has_attr("class") || a.has_attr("id") || a.has_name("article") {
        a.attr("class") == b.attr("class") && a.attr("id") == b.attr("id")
    } else {
        let attrs = a.attrs();
        !attrs.is_empty() && attrs == b.attrs()
    }
}

/// Whether `n` may be a split body's part: a container marked by some
/// attribute, or an `article`.
fn is_candidate(n: &NodeRef) -> bool {
    n.has_name("article")
        || is_container(n) && n.element_ref().is_some_and(|el| !el.attrs.is_empty())
}

/// Whether `n` holds a paragraph of at least `chars` characters.
fn holds_paragraph(n: &NodeRef, chars: usize) -> bool {
    n.descendants_it()
        .any(|p| p.has_name("p") && p.normalized_char_count() >= chars)
}

/// What a sibling between two parts is.
#[derive(PartialEq)]
enum Between {
    /// An ad or share slot (its label, "Advertisement", may be text).
    Slot,
    /// Whitespace, a comment, a script, an element showing no text.
    Blank,
    /// Anything else: the parts are two containers.
    Other,
}

fn between(n: &NodeRef) -> Between {
    if n.is_comment() || n.is_text() && n.text().trim().is_empty() {
        return Between::Blank;
    }
    let Some(name) = n
        .is_element()
        .then(|| n.qual_name_ref().map(|q| q.local.to_string()))
        .flatten()
    else {
        return Between::Other;
    };
    if is_boilerplate(n, &name, Furniture::Light) {
        return Between::Slot;
    }
    let empty = !shows_text(n);
    let ad_named = ["class", "id"]
        .iter()
        .any(|a| n.attr(a).is_some_and(|v| has_word(&v, AD_WORDS)));
    if empty && ad_named {
        Between::Slot
    } else if empty || name == "script" || name == "style" {
        Between::Blank
    } else {
        Between::Other
    }
}

/// Whether `n` shows any text: a script setting up an ad slot
/// (`googletag.display(…)`) is none. Stops at the first word, as most
/// siblings looked at are whole sections of the page.
fn shows_text(n: &NodeRef) -> bool {
    n.descendants_it().any(|d| {
        d.is_text()
            && !d.text().trim().is_empty()
            && !d.parent().is_some_and(|p| {
                ["script", "style", "noscript", "template"]
                    .iter()
                    .any(|t| p.has_name(t))
            })
    })
}

/// Words of class names and ids that name an ad slot: `ad-slot`,
/// `div-gpt-ad-3`, `row-mid-content-ad`, `dynamicMpu` (a mid-page unit).
const AD_WORDS: &[&str] = &["ad", "ads", "advert", "advertisement", "dfp", "gpt", "mpu"];

/// Whether `part` is one of a block per paragraph, not a split body's
/// part: it holds one paragraph and nothing else, and two of its siblings
/// of its tag stand next to each other, nothing but blanks between
/// (`<div class="block"><p>…</p></div>`, with an ad slot between some of
/// them: joining two such blocks left one holding two paragraphs, which
/// content detection then dropped with the blocks around it).
fn laid_out_in(part: &NodeRef) -> bool {
    let Some(parent) = part.parent() else {
        return false;
    };
    let one_paragraph = |n: &NodeRef| lone_paragraph(n).is_some() && !has_own_text(n);
    if !one_paragraph(part) {
        return false;
    }
    let mut last_twin = false;
    for n in parent.children_it(false) {
        if n.is_element() && is_container(&n) && same_open_tag(part, &n) && one_paragraph(&n) {
            if last_twin {
                return true;
            }
            last_twin = true;
        } else if between(&n) != Between::Blank {
            last_twin = false;
        }
    }
    false
}

/// Joins every split body of the page back into its first part: the
/// interruptions and the later parts' children are moved into it, in
/// order, and the later parts removed. Returns how many parts were joined.
pub(crate) fn join_split_bodies(dom: &Document) -> usize {
    let mut joined = 0;
    let candidates: Vec<NodeRef> = dom
        .select("div, section, article")
        .nodes()
        .iter()
        .filter(|n| is_candidate(n))
        .copied()
        .collect();
    for first in candidates {
        // A part joined into an earlier one is gone from the tree.
        if first.parent().is_none() {
            continue;
        }
        loop {
            let mut moved = Vec::new();
            let mut slot = false;
            let mut next = first.next_sibling();
            let mut twin = None;
            while let Some(n) = next {
                if n.is_element() && is_container(&n) && same_open_tag(&first, &n) {
                    twin = Some(n);
                    break;
                }
                match between(&n) {
                    Between::Slot => slot = true,
                    Between::Blank => {}
                    Between::Other => break,
                }
                moved.push(n);
                next = n.next_sibling();
            }
            let Some(twin) = twin else { break };
            // The part after the slot may be the article's last lines.
            if !slot
                || !holds_paragraph(&first, PROSE_CHARS)
                || !holds_paragraph(&twin, LINE_CHARS)
                || laid_out_in(&first)
            {
                break;
            }
            for b in moved {
                first.append_child(&b);
            }
            let mut child = twin.first_child();
            while let Some(c) = child {
                child = c.next_sibling();
                first.append_child(&c);
            }
            twin.remove_from_parent();
            joined += 1;
        }
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ad_slot_names() {
        for yes in [
            "ad",
            "ad-slot",
            "div-gpt-ad-mid",
            "row-mid-content-ad full-bleed-ad",
            "dynamicMpu section",
            "AdUnit",
            "ADS_TOP",
        ] {
            assert!(has_word(yes, AD_WORDS), "{yes}");
        }
        for no in [
            "header",
            "shadow",
            "load-more",
            "adventure",
            "gradient",
            "head",
            "Badge",
            "readMore",
        ] {
            assert!(!has_word(no, AD_WORDS), "{no}");
        }
    }

    fn join(html: &str) -> String {
        let dom = Document::from(html);
        join_split_bodies(&dom);
        dom.select("body").inner_html().to_string()
    }

    const P1: &str = "<p>The council voted on Tuesday to close the library on Elm Street, citing the cost of repairs to its roof and heating.</p>";
    const P2: &str = "<p>Residents who spoke at the meeting said the branch was the only place nearby where children could study after school.</p>";

    #[test]
    fn a_body_split_by_an_ad_slot_is_one_body() {
        let split = format!(
            "<figure>photo</figure><div class=\"body\">{P1}</div>\
             <div class=\"ad-wrapper\"><div id=\"div-gpt-ad-mid\" class=\"ad\"></div></div>\
             <div class=\"body\">{P2}</div><p>After</p>"
        );
        assert_eq!(
            join(&split),
            format!(
                "<figure>photo</figure><div class=\"body\">{P1}\
                 <div class=\"ad-wrapper\"><div id=\"div-gpt-ad-mid\" class=\"ad\"></div></div>\
                 {P2}</div><p>After</p>"
            )
        );
        // An ad slot holding the script that fills it.
        let scripted = format!(
            "<div class=\"body\">{P1}</div><div id=\"div-gpt-ad-1\"><script>googletag.display('div-gpt-ad-1');</script></div>\
             <div class=\"body\">{P2}</div>"
        );
        assert_eq!(
            join(&scripted),
            format!(
                "<div class=\"body\">{P1}<div id=\"div-gpt-ad-1\"><script>googletag.display('div-gpt-ad-1');</script></div>\
                 {P2}</div>"
            )
        );
        // Three parts, and an ad slot with its label.
        let three = format!(
            "<section class=\"b\">{P1}</section><div class=\"advert\">Advertisement</div>\
             <section class=\"b\">{P2}</section><div id=\"ad-slot-2\"></div><section class=\"b\">{P1}</section>"
        );
        assert_eq!(
            join(&three),
            format!(
                "<section class=\"b\">{P1}<div class=\"advert\">Advertisement</div>\
                 {P2}<div id=\"ad-slot-2\"></div>{P1}</section>"
            )
        );
        // A bare `article`, a section marked by data attributes alone, and
        // a last part holding the article's closing line.
        let ad = "<div class=\"ad-wrapper\"><div class=\"ad\"></div></div>";
        let end = "<p>The vote is set for next Tuesday at noon.</p>";
        for (open, close) in [
            ("<article>", "</article>"),
            (
                "<section data-page=\"1\" data-autolink=\"true\">",
                "</section>",
            ),
            ("<div class=\"body\">", "</div>"),
        ] {
            assert_eq!(
                join(&format!("{open}{P1}{P2}{close}{ad}{open}{end}{close}")),
                format!("{open}{P1}{P2}{ad}{end}{close}")
            );
        }
    }

    #[test]
    fn blocks_of_one_paragraph_each_with_ad_slots_between_some_stay() {
        let ad = "<div class=\"ad-container\"><div class=\"ad\"></div></div>";
        let html = format!(
            "<div class=\"block\">{P1}</div>{ad}<div class=\"block\">{P2}</div>\
             <div class=\"block\">{P1}</div>{ad}<div class=\"block\">{P2}</div>"
        );
        assert_eq!(join(&html), html);
    }

    #[test]
    fn parts_without_an_interruption_or_prose_stay() {
        for html in [
            // One section per few paragraphs: nothing between them.
            format!("<section class=\"chunk\">{P1}</section> <section class=\"chunk\">{P2}</section>"),
            // An empty element between them, no slot.
            format!("<div class=\"b\">{P1}</div><div></div><div class=\"b\">{P2}</div>"),
            // A photo between blocks of one paragraph each.
            format!("<div class=\"block\">{P1}</div><img src=\"a.jpg\"><div class=\"block\">{P2}</div>"),
            // Text between the parts.
            format!("<div class=\"b\">{P1}</div><p>Read more</p><div class=\"b\">{P2}</div>"),
            // Other classes, or none at all.
            format!("<div class=\"a\">{P1}</div><div></div><div class=\"b\">{P2}</div>"),
            format!("<div>{P1}</div><div></div><div>{P2}</div>"),
            // Bare elements, or other attributes, with a slot between.
            format!("<div>{P1}</div><div class=\"ad\"></div><div>{P2}</div>"),
            format!(
                "<section data-page=\"1\">{P1}</section><div class=\"ad\"></div>\
                 <section data-page=\"2\">{P2}</section>"
            ),
            // A last part with no line of text.
            format!("<div class=\"b\">{P1}</div><div class=\"ad\"></div><div class=\"b\"><p>Share</p></div>"),
            // Cards of teasers, no prose.
            "<div class=\"card\"><p>Short</p></div><div></div><div class=\"card\"><p>Short</p></div>"
                .to_owned(),
        ] {
            assert_eq!(join(&html), html);
        }
    }
}
