//! Footnote references in running text: `council<sup>1</sup>`,
//! `council<sup><a href="#fn1">[1]</a></sup>`, `council<a href="#fn1">1</a>`.
//!
//! Templates write the same reference in many ways, and read as text they
//! glue the number to the word (`council1`, `council[1]`): a redeploy that
//! changes the reference's markup alone would read as an edit of the word.
//! A reference is set apart from its word and written one way, ` [1]`,
//! before anything reads the text.

use dom_query::NodeRef;

/// Longest footnote number read as a reference.
const MAX_DIGITS: usize = 3;

/// The number of a footnote reference's text: `1`, `[1]`, `(1)`.
fn number(text: &str) -> Option<&str> {
    let t = text.trim();
    let inner = t
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .or_else(|| t.strip_prefix('(').and_then(|r| r.strip_suffix(')')))
        .unwrap_or(t)
        .trim();
    (!inner.is_empty() && inner.len() <= MAX_DIGITS && inner.bytes().all(|b| b.is_ascii_digit()))
        .then_some(inner)
}

/// Whether `n` is a link to a place on the page itself.
fn is_in_page_link(n: &NodeRef) -> bool {
    n.has_name("a")
        && n.attr("href")
            .is_some_and(|h| h.trim_start().starts_with('#'))
}

/// Whether the text before `n` ends a word of three letters or more, or a
/// clause or quotation (or, with `stop`, a sentence): where a footnote's
/// number stands, not a power's (`10<sup>6</sup>`, `km<sup>2</sup>`) or a
/// table of contents' page number (`Introduction.....2`).
fn follows_word(n: &NodeRef, stop: bool) -> bool {
    let Some(prev) = n.prev_sibling().filter(|p| p.is_text()) else {
        return false;
    };
    let text = prev.text();
    let mut letters = 0;
    for c in text.chars().rev() {
        if c.is_alphabetic() {
            letters += 1;
        } else {
            return if letters > 0 {
                letters >= 3
            } else {
                matches!(c, ',' | ';' | ':' | '"' | '”' | '’' | ')') || stop && c == '.'
            };
        }
    }
    letters >= 3
}

/// Rewrites every footnote reference of the page as ` [N]`: a `<sup>`
/// holding a footnote number (in brackets, linked to a place on the page,
/// or set after a word), and a link to a place on the page whose text is a
/// footnote number.
pub(crate) fn mark_references(dom: &dom_query::Document) {
    let mut refs: Vec<(NodeRef, String)> = Vec::new();
    for n in dom.select("sup, a[href^='#']").nodes() {
        if refs
            .iter()
            .any(|(r, _)| n.ancestors_it(None).any(|a| a.id == r.id))
        {
            continue;
        }
        let text = n.text();
        let Some(num) = number(&text) else {
            continue;
        };
        let is_ref = if n.has_name("sup") {
            text.trim_start().starts_with(['[', '('])
                || n.descendants_it().any(|d| is_in_page_link(&d))
                || follows_word(n, true)
        } else {
            is_in_page_link(n)
                && follows_word(n, false)
                && !n.ancestors_it(None).any(|a| a.has_name("pre"))
        };
        if is_ref {
            refs.push((*n, format!(" [{num}]")));
        }
    }
    for (n, text) in refs {
        n.set_text(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(html: &str) -> String {
        let dom = dom_query::Document::from(html);
        mark_references(&dom);
        super::super::normalize_text(&dom.select("p").text())
    }

    #[test]
    fn every_markup_of_a_reference_reads_the_same() {
        let forms = [
            "<p>The council<sup>1</sup> met.</p>",
            "<p>The council<sup>[1]</sup> met.</p>",
            "<p>The council<sup><a href=\"#fn:1\" class=\"footnote\">1</a></sup> met.</p>",
            "<p>The council<sup id=\"fnref1\" class=\"footnote-ref\"><a href=\"#fn1\">[1]</a></sup> met.</p>",
            "<p>The council<a href=\"#fn1\">1</a> met.</p>",
            "<p>The council <sup>(1)</sup> met.</p>",
        ];
        for f in forms {
            assert_eq!(text_of(f), "The council [1] met.", "{f}");
        }
    }

    #[test]
    fn powers_and_other_links_are_text() {
        for (html, text) in [
            (
                "<p>An area of 40 km<sup>2</sup> and 10<sup>6</sup> cells.</p>",
                "An area of 40 km2 and 106 cells.",
            ),
            ("<p>The 1<sup>st</sup> of May.</p>", "The 1st of May."),
            (
                "<p>See <a href=\"#part2\">part two</a> and <a href=\"/p/2\">2</a>.</p>",
                "See part two and 2.",
            ),
            ("<p>Page<sup>1234</sup>.</p>", "Page1234."),
            (
                "<p>1. Introduction.....<a href=\"#p2\">2</a></p>",
                "1. Introduction.....2",
            ),
            (
                "<p><a href=\"#s1\">1</a>. Introduction</p>",
                "1. Introduction",
            ),
        ] {
            assert_eq!(text_of(html), text, "{html}");
        }
    }
}
