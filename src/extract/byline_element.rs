//! The page's byline element, found as content detection (Readability)
//! finds it: the first element marked as the author's (`rel="author"`,
//! `itemprop="author"`, or a class or id saying "byline", "author",
//! "dateline", "writtenby"), shorter than 100 characters; its
//! `itemprop="name"` part when it has one.
//!
//! Detection takes the first such element whatever it says. This search
//! passes over one that names no one: a label in the byline's row ("5 min
//! read" in a `byline-meta` element, see [`promo::is_label`]), or a name
//! part left empty (a redeploy that wraps the name in an author link
//! inside the name's link: the HTML parser moves a link out of another,
//! and out of the `itemprop="name"` element with it). It is read before
//! detection, which removes the element it takes from the page.

use dom_query::{Document as Dom, NodeRef};
use html5ever::{local_name, LocalName};

use super::content::attr_of;
use super::promo;

/// What a class or id of a byline element says (Readability's list).
const MARKS: &[&str] = &["byline", "author", "dateline", "writtenby", "p-author"];

/// Longer elements are no byline (Readability's limit).
const MAX_CHARS: usize = 100;

/// The text of the first byline element that names someone, whitespace
/// collapsed, if any.
pub(crate) fn find(dom: &Dom) -> Option<String> {
    dom.body()?
        .descendants_it()
        .filter(is_marked)
        .find_map(|n| named(&n))
}

/// Whether an element is marked as a byline. Its attributes are read in
/// place, without copies: this runs on every element of every page.
fn is_marked(n: &NodeRef) -> bool {
    let Some(el) = n.element_ref() else {
        return false;
    };
    let attr = |name: &LocalName| attr_of(&el, name);
    attr(&local_name!("rel")).is_some_and(|r| r.eq_ignore_ascii_case("author"))
        || attr(&local_name!("itemprop")).is_some_and(|p| contains_ignoring_case(p, "author"))
        || [local_name!("class"), local_name!("id")]
            .iter()
            .filter_map(attr)
            .any(|v| MARKS.iter().any(|m| contains_ignoring_case(v, m)))
}

/// Whether `haystack` holds `needle` (lower case), ASCII case ignored.
fn contains_ignoring_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The byline an element gives, when it is one and names someone.
fn named(n: &NodeRef) -> Option<String> {
    let collapse = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = collapse(&n.text());
    let chars = text.chars().count();
    if chars == 0 || chars >= MAX_CHARS {
        return None;
    }
    let name = n
        .descendants_it()
        .find(|d| d.attr("itemprop").is_some_and(|p| &*p == "name"))
        .map(|d| collapse(&d.text()))
        .filter(|t| !t.is_empty())
        .unwrap_or(text);
    names_someone(&name).then_some(name)
}

/// Whether a byline as detection read it names someone: not empty, not a
/// label.
pub(crate) fn names_someone(byline: &str) -> bool {
    !byline.trim().is_empty() && !promo::is_label(byline)
}

#[cfg(test)]
mod tests {
    use super::find;

    fn byline(body: &str) -> Option<String> {
        find(&dom_query::Document::from(format!(
            "<html><body>{body}</body></html>"
        )))
    }

    #[test]
    fn a_label_or_an_empty_name_in_a_byline_element_is_passed_over() {
        let name = "<p class=\"byline\">By <span class=\"author\">Sarah Lind</span></p>";
        assert_eq!(byline(name).as_deref(), Some("By Sarah Lind"));
        let label = "<p class=\"byline-meta\"><span>5 min read</span></p>";
        assert_eq!(
            byline(&format!("{label}{name}")).as_deref(),
            Some("By Sarah Lind")
        );
        // A link in the name's link: the parser leaves the name's element
        // empty.
        let nested = "<p itemprop=\"author\">By <a href=\"/c/jb\"><span itemprop=\"name\">\
                      <a rel=\"author\" href=\"/author/jb\">Jamelle Bouie</a></span></a></p>";
        assert_eq!(byline(nested).as_deref(), Some("By Jamelle Bouie"));
        assert_eq!(byline(label), None);
        assert_eq!(byline("<p>By Sarah Lind</p>"), None);
    }
}
