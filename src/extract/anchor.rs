//! Where the article's text is, decided by the text alone.
//!
//! Content detection (Readability's scoring) picks its top candidate by
//! comparing scores: a paragraph added to the article can move the pick a
//! level up (and a footer comes in) or down (and a date line falls out).
//! What it keeps is steadier than where it starts: the article's prose
//! paragraphs. The article is the element of the page holding all of them,
//! nothing above it; a paragraph added beside one of them is inside that
//! element already and changes nothing else.

use dom_query::{NodeId, NodeRef};

use super::content::{class_id, is_caption_class, is_marked_meta, linked_chars};
use super::scope::Outline;

/// Characters from which a paragraph (not a photo caption) counts as prose.
const PROSE_CHARS: usize = 150;

/// Whether paragraph `p` is the one paragraph of a block that shows a
/// photo (`<div class="image"><img><p>In this file photo …</p></div>`):
/// its caption, whatever the block's class.
fn beside_photo(p: &NodeRef) -> bool {
    let Some(block) = p.parent() else {
        return false;
    };
    // Content detection sets a lone image in a paragraph of its own.
    let photo = |c: &NodeRef| {
        c.normalized_char_count() == 0
            && std::iter::once(*c)
                .chain(c.descendants_it())
                .any(|d| d.is_element() && (d.has_name("img") || d.has_name("picture")))
    };
    let others: Vec<NodeRef> = block
        .element_children()
        .into_iter()
        .filter(|c| c.id != p.id)
        .collect();
    others.iter().all(|c| !c.has_name("p") || photo(c)) && others.iter().any(photo)
}

/// The element of the page (before detection, `outline`) holding all the
/// prose paragraphs content detection kept in `root` (see [`prose_root`]): the paragraphs' innermost common ancestor.
fn prose_holder(root: &NodeRef, outline: &Outline, made: &[NodeId]) -> Option<NodeId> {
    let mut paths: Vec<Vec<NodeId>> = Vec::new();
    let mut split: Vec<Vec<NodeId>> = Vec::new();
    for p in root.descendants_it() {
        if !p.is_element() || !p.has_name("p") {
            continue;
        }
        let n = p.normalized_char_count();
        if n < PROSE_CHARS {
            continue;
        }
        if linked_chars(&p) * 4 >= n {
            continue;
        }
        // A photo's caption stands beside the article's text as often as
        // in it.
        let in_caption = p
            .ancestors_it(None)
            .take_while(|a| a.id != root.id)
            .any(|a| {
                a.has_name("figure")
                    || a.has_name("figcaption")
                    || a.has_attr("class") && is_caption_class(&class_id(&a))
            });
        if in_caption || p.has_attr("class") && is_caption_class(&class_id(&p)) || beside_photo(&p)
        {
            continue;
        }
        // A paragraph detection made (of loose text) is not on the page,
        // and one split at a double line break (`made`) counts only when
        // the page has no other.
        if !outline.has(p.id) {
            continue;
        }
        let mut path: Vec<NodeId> = outline.ancestors(p.id).skip(1).collect();
        path.reverse();
        if made.contains(&p.id) {
            split.push(path);
        } else {
            paths.push(path);
        }
    }
    if paths.is_empty() {
        paths = split;
    }
    let first = paths.first()?;
    let mut common = first.len();
    for path in &paths[1..] {
        common = common.min(first.iter().zip(path).take_while(|(a, b)| a == b).count());
    }
    first.get(common.checked_sub(1)?).copied()
}

/// The element inside `root` (the article content detection built) that
/// holds all its prose paragraphs, when they can be traced back to the
/// page's shape before detection (`outline`; a paragraph split at a
/// double line break, and those split off it, in `made`, only when no
/// other is) and hold at least half its text.
pub(crate) fn prose_root<'a>(
    root: &NodeRef<'a>,
    outline: &Outline,
    made: &[NodeId],
) -> Option<NodeRef<'a>> {
    let lca = prose_holder(root, outline, made)?;
    // The same element in the detected tree, inside `root`.
    let mut found = root.tree.get(&lca)?;
    // The split paragraphs alone in a block of their own (one paragraph
    // in a block on the page): the article is what holds the block, as it
    // holds the paragraph when the page sets none.
    if found.id != root.id
        && !found.element_children().is_empty()
        && found
            .element_children()
            .iter()
            .all(|c| made.contains(&c.id))
    {
        found = found.parent()?;
    }
    if found.id != root.id && !found.ancestors_it(None).any(|a| a.id == root.id) {
        return None;
    }
    // A quotation is part of an article, never all of it: when the long
    // paragraphs are all quoted (a transcript between short lines of the
    // writer's own), the article is what holds the quotation.
    let quote = std::iter::once(found)
        .chain(found.ancestors_it(None).take_while(|a| a.id != root.id))
        .filter(|a| a.has_name("blockquote"))
        .last();
    let found = match quote {
        Some(q) => q.parent().unwrap_or(*root),
        None => found,
    };
    // Prose that is a small part of the article (a standfirst over lists
    // and tables) does not say where the article is. Links do not count:
    // lists of other articles' headlines ("Top Video", "Don't Miss") that
    // detection took in with the body are not the article's text.
    let unlinked = root
        .normalized_char_count()
        .saturating_sub(linked_chars(root));
    (found.normalized_char_count() * 2 >= unlinked).then_some(found)
}

/// Longest element text looked at as a possible notice (a correction or
/// update line is a sentence or two).
const NOTICE_CHARS: usize = 1500;

/// What to walk for the article: `prose` (from [`prose_root`]) and, in
/// document order around it, every correction or update notice that
/// content detection kept in `root` outside it. Publishers set such a
/// notice after (or before) the body's container, at the article's end;
/// the prose root alone would drop it, and an appended correction must be
/// kept whatever its length.
pub(crate) fn with_notices<'a>(root: &NodeRef<'a>, prose: NodeRef<'a>) -> Vec<NodeRef<'a>> {
    let mut nodes: Vec<NodeRef<'a>> = Vec::new();
    let mut prose_placed = false;
    for n in root.descendants_it() {
        if n.id == prose.id {
            nodes.push(prose);
            prose_placed = true;
            continue;
        }
        if !n.is_element() || !(n.has_name("p") || n.has_name("div") || n.has_name("aside")) {
            continue;
        }
        // Inside the prose root, or inside a notice already taken.
        let inside = |outer: &NodeRef<'a>| n.ancestors_it(None).any(|a| a.id == outer.id);
        if inside(&prose) || nodes.iter().any(inside) {
            continue;
        }
        // Holding the prose root: not a notice.
        if prose.ancestors_it(None).any(|a| a.id == n.id) {
            continue;
        }
        if n.normalized_char_count() > NOTICE_CHARS {
            continue;
        }
        let text = n.text();
        if crate::diff::corrections::notice(&text).is_some() {
            nodes.push(n);
        }
    }
    if !prose_placed {
        nodes.insert(0, prose);
    }
    nodes
}

/// Most characters of text a lead photo's block holds (its caption and
/// credit; a caption runs to a few sentences).
const LEAD_TEXT_CHARS: usize = 600;

/// The photos just before the prose root `prose` (see [`prose_root`]):
/// elements preceding it or its parent, holding an image and no more text
/// than a caption. A publisher often sets the lead photo at the head of
/// the article's body, beside the element holding its paragraphs; it and
/// its caption are the article's. Where content detection kept less than
/// those two levels in `root`, the photos the page set there (see
/// [`left_before`]): whether detection's container holds the photo's level
/// moves with its scores, and the lead photo must not move with them.
pub(crate) fn lead_media<'a>(
    root: &NodeRef<'a>,
    prose: NodeRef<'a>,
    outline: &Outline,
) -> Vec<NodeRef<'a>> {
    let mut found = Vec::new();
    let mut at = prose;
    // Past `root`, the level's element on the page.
    let mut on_page: Option<NodeId> = None;
    // The prose root's level and its parent's: a photo farther out is the
    // page's, not the article's.
    for _ in 0..2 {
        if let Some(id) = on_page {
            let Some(holder) = outline.parent_of(id) else {
                break;
            };
            found.splice(0..0, left_before(root, outline, holder, id));
            on_page = Some(holder);
            continue;
        }
        if at.id == root.id {
            break;
        }
        let mut before = Vec::new();
        let mut sibling = at.prev_element_sibling();
        while let Some(s) = sibling {
            before.push(s);
            sibling = s.prev_element_sibling();
        }
        // Outer levels first, each in page order: the result is in page order.
        before.reverse();
        let media = before.into_iter().filter(is_lead_photo);
        found.splice(0..0, media);
        let Some(parent) = at.parent() else { break };
        if parent.id == root.id {
            // Detection moved `at` out of its place: what the page still
            // holds there is the same level.
            let Some(holder) = outline.parent_of(at.id) else {
                break;
            };
            found.splice(0..0, left_before(root, outline, holder, at.id));
            on_page = Some(holder);
        }
        at = parent;
    }
    found
}

/// The photos before the article's text when content detection built
/// `root` of pieces it moved out of the page's element holding the prose
/// (its top candidate and the siblings it appended: a byline's block
/// beside the body's): the photos that element still holds, set before
/// the last piece on the page (see [`left_before`]). Which pieces
/// detection moves changes with its scores (a paragraph added under the
/// body can make it take the body and the byline's block instead of
/// their parent), and the lead photo must not change with them.
pub(crate) fn lead_media_left<'a>(
    root: &NodeRef<'a>,
    outline: &Outline,
    made: &[NodeId],
) -> Vec<NodeRef<'a>> {
    let Some(holder) = prose_holder(root, outline, made) else {
        return Vec::new();
    };
    let pieces = root.element_children();
    let moved = |c: &NodeRef| outline.parent_of(c.id) == Some(holder);
    match (pieces.iter().map(|c| c.id).max(), pieces.iter().all(moved)) {
        (Some(last), true) => left_before(root, outline, holder, last),
        _ => Vec::new(),
    }
}

/// The photos (see [`is_lead_photo`]) the page's element `holder` still
/// holds, set before its element `before` on the page: what content
/// detection left there when it moved the article's pieces out.
fn left_before<'a>(
    root: &NodeRef<'a>,
    outline: &Outline,
    holder: NodeId,
    before: NodeId,
) -> Vec<NodeRef<'a>> {
    let Some(holder) = root.tree.get(&holder) else {
        return Vec::new();
    };
    // Node ids are in parse order, page order; detection rebuilds some
    // elements (a block holding only an image), whose place is that of
    // the first element of the page they hold.
    let placed = |c: &NodeRef| {
        std::iter::once(*c)
            .chain(c.descendants_it())
            .map(|d| d.id)
            .find(|id| outline.has(*id))
    };
    holder
        .element_children()
        .into_iter()
        .filter(|c| placed(c).is_some_and(|at| at < before) && is_lead_photo(c))
        .collect()
}

/// An element holding an image and no more text than a caption, not
/// mostly links; a byline's avatar, a publisher's logo or a breadcrumb
/// trail's channel badge is not a photo of the article.
fn is_lead_photo(s: &NodeRef) -> bool {
    let inside = || std::iter::once(*s).chain(s.descendants_it());
    let chars = s.normalized_char_count();
    // A picture linking to another page (a channel's badge, a teaser) is
    // that page's; one linking to its own larger file is a photo. (A logo
    // by its file name is left out by the walk, see `content::decorative`.)
    let photo = |img: &NodeRef| {
        !std::iter::once(*img)
            .chain(img.ancestors_it(None).take_while(|a| a.id != s.id))
            .chain(std::iter::once(*s))
            .any(|a| a.has_name("a") && a.attr("href").is_some_and(|h| !is_image_file(&h)))
    };
    inside().any(|d| d.is_element() && d.has_name("img") && photo(&d))
        && !inside().any(|d| is_marked_meta(&d))
        && chars <= LEAD_TEXT_CHARS
        && (chars == 0 || linked_chars(s) * 2 < chars)
}

/// Whether a link's target is an image file (by its path's extension).
fn is_image_file(href: &str) -> bool {
    let path = href.split(['?', '#']).next().unwrap_or_default();
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    ["jpg", "jpeg", "png", "gif", "webp", "avif"]
        .iter()
        .any(|x| x.eq_ignore_ascii_case(ext))
}
