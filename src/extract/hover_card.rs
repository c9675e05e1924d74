//! Hover cards: a box set in a paragraph right after a link, which a
//! script shows while the reader points at the link (The Hill's card after
//! a politician's name: their portrait, the name again and the headlines
//! of the site's latest articles about them). Its words are not the
//! article's, and its headlines change whenever the site publishes another
//! such article: left in, a page nobody edited would read as edited, and
//! its portrait as an article picture with no caption.

use dom_query::{Document, NodeRef};

use super::urls::Base;
use crate::diff::resource::{resource_key, ResourceKind};

/// Ancestors of a link looked at for the paragraph that holds it.
const PARAGRAPH_DEPTH: usize = 4;

/// Removes each hover card before the page's links are recorded and its
/// article detected.
pub(crate) fn remove_hover_cards(dom: &Document, base: &Base) {
    let cards: Vec<NodeRef> = dom
        .select("p a[href]")
        .nodes()
        .iter()
        .filter_map(|link| card_after(link, base))
        .collect();
    for card in cards {
        card.remove_from_parent();
    }
}

/// The hover card right after `link`: an element (no text but white space
/// between them, and not a link itself) holding a link to where `link`
/// goes (the name again, whatever tracking parameters either carries) and
/// at least one to elsewhere, whose words are
/// for the most part its links' words (a card lists links; a sentence
/// that goes on after a link is prose). `link` shows words (a name in the
/// text; a picture's link is a teaser's) and stands in a paragraph.
fn card_after<'a>(link: &NodeRef<'a>, base: &Base) -> Option<NodeRef<'a>> {
    let href = link.attr("href")?;
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') || href.starts_with("javascript:") {
        return None;
    }
    if link.text().trim().is_empty()
        || !link
            .ancestors_it(Some(PARAGRAPH_DEPTH))
            .any(|a| a.has_name("p"))
    {
        return None;
    }
    let mut next = link.next_sibling();
    let card = loop {
        let node = next?;
        if node.is_element() {
            break node;
        }
        if node.is_text() && !node.text().trim().is_empty() {
            return None;
        }
        next = node.next_sibling();
    };
    if card.has_name("a") {
        return None;
    }
    let links: Vec<NodeRef> = card.descendants_it().filter(|d| d.has_name("a")).collect();
    if links.len() < 2 {
        return None;
    }
    // Only now the addresses: most links in a paragraph have no element
    // after them, or none holding two links.
    let key = |h: &str| {
        base.resolve(h)
            .map(|u| resource_key(&u, ResourceKind::Link))
    };
    let target = key(href)?;
    let goes = |a: &NodeRef, same: bool| {
        a.attr("href")
            .and_then(|h| key(&h))
            .is_some_and(|k| (k == target) == same)
    };
    if !links.iter().any(|a| goes(a, true)) || !links.iter().any(|a| goes(a, false)) {
        return None;
    }
    let chars = |n: &NodeRef| -> usize { n.text().split_whitespace().map(str::len).sum() };
    let link_chars: usize = links.iter().map(chars).sum();
    (link_chars * 10 >= chars(&card) * 8).then_some(card)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Base {
        Base::of_page("https://x.example/news/story", std::iter::empty())
    }

    fn text_after(html: &str) -> String {
        let dom = Document::from(html);
        remove_hover_cards(&dom, &base());
        dom.select("body")
            .text()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn the_card_after_a_name_goes_and_the_name_stays() {
        // The Hill's markup (aeb 6ebac05…), shortened.
        let html = "<p>He threatened to kill Rep. <span class=\"rollover-people\">\
            <a href=\"/people/ilhan-omar?utm_source=twitter\">Ilhan Omar</a><span class=\"rollover-people-block\">\
            <span><img src=\"/thumb_100/omar.jpg\"><a class=\"name\" href=\"/people/ilhan-omar\">\
            Ilhan Omar</a><a href=\"/policy/471175-hillicon-valley\">Hillicon Valley: \
            Progressives oppose funding bill</a> <a href=\"/homenews/471100-omar\">Omar \
            responds to critics</a></span></span></span> (D-Minn.), the office said.</p>";
        assert_eq!(
            text_after(html),
            "He threatened to kill Rep. Ilhan Omar (D-Minn.), the office said."
        );
    }

    #[test]
    fn prose_links_teasers_and_menus_stay() {
        for html in [
            // Prose after a link, with a link to the same page in it.
            "<p>Read <a href=\"/a\">the report</a> <span>which <a href=\"/a\">the \
             report</a> says was written by <a href=\"/b\">the committee</a> over \
             two years of hearings</span>.</p>",
            // Text between the link and the box.
            "<p><a href=\"/a\">Name</a>, <span><a href=\"/a\">Name</a> \
             <a href=\"/b\">Other story</a></span></p>",
            // A teaser's picture link (no words), then its headline and section.
            "<p><a href=\"/x\"><img src=\"/x.jpg\"></a><span><a href=\"/x\">A headline \
             of another story</a> <a href=\"/world\">World</a></span></p>",
            // A menu, in no paragraph.
            "<ul><li><a href=\"/news\">News</a><ul><li><a href=\"/news\">All news</a>\
             </li><li><a href=\"/news/world\">World</a></li></ul></li></ul>",
            // A link to a place in the page.
            "<p><a href=\"#top\">Top</a><span><a href=\"#top\">Back to top</a> \
             <a href=\"/b\">Next</a></span></p>",
        ] {
            let dom = Document::from(html);
            let before = dom.select("body").text().to_string();
            remove_hover_cards(&dom, &base());
            assert_eq!(dom.select("body").text().to_string(), before, "{html}");
        }
    }
}
