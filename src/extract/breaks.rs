//! Paragraphs joined by a double line break: `<p>A<br><br>B</p>`.
//!
//! A reader sees two paragraphs, as in `<p>A</p><p>B</p>`, and a template
//! may write either. Content detection (Readability) wraps what follows a
//! run of breaks in a paragraph of its own, but only up to the first node
//! it does not count as phrasing content (a comment, a link holding a
//! block), so the second paragraph came out cut in two at a place the
//! markup chose. The paragraph is split at the run of breaks before
//! detection, into paragraphs of the same attributes.

use dom_query::{NodeId, NodeRef};

/// Whether `n` is whitespace-only text.
fn is_blank(n: &NodeRef) -> bool {
    n.is_text() && n.text().trim().is_empty()
}

/// Where the first run of two line breaks or more among `p`'s children
/// starts and ends (both `<br>`), if there is one.
fn break_run<'a>(p: &NodeRef<'a>) -> Option<(NodeRef<'a>, NodeRef<'a>)> {
    let mut child = p.first_child();
    while let Some(c) = child {
        child = c.next_sibling();
        if !c.has_name("br") {
            continue;
        }
        let mut last = None;
        let mut next = c.next_sibling();
        while let Some(n) = next {
            if n.has_name("br") {
                last = Some(n);
            } else if !is_blank(&n) {
                break;
            }
            next = n.next_sibling();
        }
        if let Some(last) = last {
            return Some((c, last));
        }
    }
    None
}

/// Splits every paragraph of the page at each run of two line breaks or
/// more among its children: what follows a run goes to a new paragraph
/// after it, with the same attributes. A run at either end leaves no
/// empty paragraph behind that counts for anything: an empty paragraph
/// has no text. Returns the paragraphs split, and the new ones: for where
/// the page's prose is ([`super::anchor`]) they are no paragraphs of the
/// page, as they were not when detection split them (it made a `<div>` of
/// the paragraph it split).
pub(crate) fn split_paragraphs(dom: &dom_query::Document) -> Vec<NodeId> {
    let mut made = Vec::new();
    for p in dom.select("p").nodes() {
        let mut at = *p;
        while let Some((first, last)) = break_run(&at) {
            if at.id == p.id {
                made.push(p.id);
            }
            let next = dom.tree.new_element("p");
            for a in at.attrs() {
                next.set_attr(&a.name.local, &a.value);
            }
            let mut moved = last.next_sibling();
            while let Some(m) = moved {
                moved = m.next_sibling();
                next.append_child(&m);
            }
            let mut gone = Some(first);
            while let Some(g) = gone {
                gone = g.next_sibling();
                g.remove_from_parent();
            }
            at.insert_after(&next);
            made.push(next.id);
            at = next;
        }
    }
    made
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(html: &str) -> String {
        let dom = dom_query::Document::from(html);
        split_paragraphs(&dom);
        dom.select("body").inner_html().to_string()
    }

    #[test]
    fn a_double_break_is_a_paragraph_break() {
        assert_eq!(
            split("<p class=\"x\">A <!-- -->one<br> <br>B <!-- -->two <a href=\"/\">link</a>.</p>"),
            "<p class=\"x\">A <!-- -->one</p><p class=\"x\">B <!-- -->two <a href=\"/\">link</a>.</p>"
        );
        assert_eq!(
            split("<p>A<br><br><br>B<br><br>C</p>"),
            "<p>A</p><p>B</p><p>C</p>"
        );
    }

    #[test]
    fn a_single_break_or_a_nested_run_stays() {
        for html in [
            "<p>A<br>B</p>",
            "<p>A<br>text<br>B</p>",
            "<p><span>A<br><br>B</span></p>",
            "<div>A<br><br>B</div>",
        ] {
            assert_eq!(split(html), html);
        }
    }
}
