//! The article's own links: every link inside the article's container,
//! even in a line of furniture left out of the text (a `Related: …` line,
//! a byline); never site navigation, sidebars, footers, share buttons or
//! comments.
//!
//! Content detection rewrites the tree, so the page's shape is recorded
//! first ([`Outline::record`]): each element's parent and each link. After
//! detection, the article's text nodes (which detection moves, never
//! copies) are traced back to the element that held nearly all of them;
//! the `article` element around it, if any, is the container.

use std::sync::LazyLock;

use dom_query::{Document as Dom, NodeId, NodeRef};
use html5ever::local_name;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::content::{attr_of, is_boilerplate, Furniture, BOILERPLATE};
use super::tokens::ClassTokens;
use super::urls::Base;
use crate::model::Link;

/// Class tokens of furniture whose links are the article's own: an
/// editor's list of related articles inside the article body.
static ARTICLE_LINK: LazyLock<ClassTokens> =
    LazyLock::new(|| ClassTokens::new(&["related", "related-", "relatedposts", "relatedlinks"]));

/// A link of the page as it was before content detection.
struct Anchor {
    id: NodeId,
    /// The `href` as written: resolved only for the links the article
    /// keeps (most of a page's links are not the article's).
    href: String,
    text: String,
    /// The elements around it, innermost first, with whether each is
    /// furniture for links.
    chain: Vec<(NodeId, bool)>,
}

/// The page's shape before content detection.
pub(crate) struct Outline {
    parent: HashMap<NodeId, NodeId>,
    /// The article containers (`article`, schema.org `Article` and
    /// `BlogPosting`), in page order.
    containers: Vec<NodeId>,
    anchors: Vec<Anchor>,
}

/// Whether the links inside an element are not the article's.
fn is_link_furniture(node: &NodeRef, name: &str) -> bool {
    if !is_boilerplate(node, name, Furniture::Full) {
        return false;
    }
    let marks = format!(
        "{} {}",
        node.attr("class").as_deref().unwrap_or(""),
        node.attr("id").as_deref().unwrap_or("")
    );
    if !ARTICLE_LINK.matches(&marks) {
        return true;
    }
    // Furniture because it is marked `related`: its links are the article's
    // unless something else marks it as site furniture too.
    let others: Vec<&str> = marks
        .split_ascii_whitespace()
        .filter(|t| !ARTICLE_LINK.matches(t))
        .collect();
    matches!(name, "nav" | "aside" | "footer" | "form" | "menu")
        || BOILERPLATE.matches(&others.join(" "))
}

impl Outline {
    /// Records the tree under `dom`'s root (after ignore rules and light
    /// furniture were removed, before content detection).
    pub(crate) fn record(dom: &Dom) -> Outline {
        let mut parent = HashMap::default();
        let mut containers = Vec::new();
        let mut anchors = Vec::new();
        let mut furniture: HashMap<NodeId, bool> = HashMap::default();
        for node in dom.root().descendants_it() {
            let Some(el) = node.element_ref() else {
                continue;
            };
            if let Some(p) = node.parent() {
                parent.insert(node.id, p.id);
            }
            let name = &el.name.local;
            // A page typed as an article as a whole (`<html itemtype=…>`)
            // holds its menus, logo and footer too: no container.
            let page = matches!(*name, local_name!("html") | local_name!("body"));
            if *name == local_name!("article")
                || !page
                    && attr_of(&el, &local_name!("itemtype"))
                        .is_some_and(|t| t.contains("Article") || t.contains("BlogPosting"))
            {
                containers.push(node.id);
            }
            if *name != local_name!("a") {
                continue;
            }
            let Some(href) = attr_of(&el, &local_name!("href")) else {
                continue;
            };
            if href.trim_start().starts_with('#') {
                continue;
            }
            let chain = node
                .ancestors_it(None)
                .filter(|a| a.is_element())
                .map(|a| {
                    let f = *furniture.entry(a.id).or_insert_with(|| {
                        a.qual_name_ref()
                            .is_some_and(|q| is_link_furniture(&a, &q.local))
                    });
                    (a.id, f)
                })
                .collect();
            anchors.push(Anchor {
                id: node.id,
                href: href.to_string(),
                text: super::content::text_norm(&node),
                chain,
            });
        }
        Outline {
            parent,
            containers,
            anchors,
        }
    }

    /// The page's article containers (elements named `article` or typed
    /// `…Article` or `…BlogPosting`), in page order.
    pub(crate) fn containers(&self) -> &[NodeId] {
        &self.containers
    }

    /// `id` and the elements around it on the page, innermost first.
    pub(crate) fn ancestors(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors(Some(id), |i| self.parent_of(*i))
    }

    /// Whether the element `id` was on the page before content detection.
    pub(crate) fn has(&self, id: NodeId) -> bool {
        self.parent_of(id).is_some()
    }

    /// The element that held `id` on the page.
    pub(crate) fn parent_of(&self, id: NodeId) -> Option<NodeId> {
        self.parent.get(&id).copied()
    }

    /// The article's links, in page order, given the subtrees content
    /// detection kept; `None` when the container cannot be told.
    pub(crate) fn article_links(&self, kept: &[NodeRef], base: &Base) -> Option<Vec<Link>> {
        // Text length under each original element that held kept text.
        let mut direct: HashMap<NodeId, usize> = HashMap::default();
        let mut kept_anchors: HashSet<NodeId> = HashSet::default();
        for root in kept {
            for n in root.descendants_it() {
                if n.is_text() {
                    let len = n.text().trim().len();
                    if let Some(p) = n.parent().filter(|_| len > 0) {
                        *direct.entry(p.id).or_default() += len;
                    }
                } else if n.is_element() && n.has_name("a") {
                    kept_anchors.insert(n.id);
                }
            }
        }
        let mut under: HashMap<NodeId, usize> = HashMap::default();
        let mut total = 0;
        for (&id, &len) in &direct {
            if !self.has(id) {
                continue; // an element content detection made
            }
            total += len;
            for a in self.ancestors(id) {
                *under.entry(a).or_default() += len;
            }
        }
        if total == 0 {
            return None;
        }
        let depth = |id: NodeId| self.ancestors(id).count();
        let container = under
            .iter()
            .filter(|&(_, &n)| n * 10 >= total * 9)
            .map(|(&id, _)| id)
            .max_by_key(|&id| (depth(id), id))?;
        let scope = self
            .ancestors(container)
            .find(|a| self.containers.contains(a))
            .unwrap_or(container);
        // Other articles inside this one: the teaser cards of a "More
        // videos" strip or a "Read next" list (HTML: an `article` nested in
        // another is a related one, such as a comment), unless they hold
        // the text. Only inside an article container: where there is none,
        // an `article` element may hold this article's own header.
        let around: HashSet<NodeId> = self.ancestors(container).collect();
        let others: HashSet<NodeId> = if self.containers.contains(&scope) {
            self.containers
                .iter()
                .copied()
                .filter(|c| !around.contains(c))
                .collect()
        } else {
            HashSet::default()
        };
        let links = self
            .anchors
            .iter()
            .filter(|a| {
                // Inside the container (or kept by content detection), and
                // in no furniture or other article below it.
                let below = a.chain.iter().take_while(|(id, _)| *id != scope);
                let inside = below.clone().count() < a.chain.len();
                let kept = kept_anchors.contains(&a.id);
                (inside || kept)
                    && below.clone().all(|(_, f)| !f)
                    && (kept || below.clone().all(|(id, _)| !others.contains(id)))
            })
            .filter_map(|a| {
                base.resolve(&a.href).map(|href| Link {
                    href,
                    text: a.text.clone(),
                })
            })
            .collect();
        Some(links)
    }
}
