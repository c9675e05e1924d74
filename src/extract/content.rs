//! From an article subtree to ordered text blocks, images and links.
//!
//! The walk is iterative (an explicit stack), so nesting depth costs heap,
//! never call stack.

use std::collections::btree_map::Entry;
use std::sync::LazyLock;

use dom_query::NodeRef;
use html5ever::{local_name, LocalName};

use super::normalize::normalize_text;
use super::promo;
use super::provenance::credit_from_text;
use super::share;
use super::tokens::{has_word, ClassTokens};
use super::urls::Base;
use crate::diff::resource::{resource_key, ResourceKind};
use crate::model::{BlockKind, Image, Link};

/// A block before normalisation, with the links it contains.
#[derive(Debug)]
pub(crate) struct RawBlock {
    pub kind: BlockKind,
    /// Normalised ([`normalize_text`]) once here for every later use.
    pub text: String,
    /// Bytes of the text as walked, trimmed, before normalisation.
    pub raw_len: usize,
    /// Indices into the walk's links.
    pub links: Vec<usize>,
    /// Page metadata around the article (a byline, a date stamp, a
    /// breadcrumb, a tag list): read for provenance, left out of the text.
    pub furniture: bool,
}

#[derive(Debug, Default)]
pub(crate) struct Walked {
    pub blocks: Vec<RawBlock>,
    pub images: Vec<Image>,
    pub links: Vec<Link>,
}

/// How an element takes part in the text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Not text at all (scripts, styles, form controls, embedded documents).
    Skip,
    /// Starts and ends a block; `Some(kind)` sets the kind of its text.
    Block(Option<BlockKind>),
    /// A line break inside a block.
    Break,
    /// A table cell: a space between cells.
    Cell,
    Inline,
}

fn role(name: &str) -> Role {
    match name {
        "script" | "style" | "noscript" | "template" | "head" | "title" | "meta" | "link"
        | "svg" | "math" | "iframe" | "object" | "embed" | "canvas" | "video" | "audio"
        | "button" | "input" | "select" | "textarea" | "option" | "datalist" | "dialog" => {
            Role::Skip
        }
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Role::Block(Some(BlockKind::Heading)),
        "li" | "dt" | "dd" => Role::Block(Some(BlockKind::ListItem)),
        "blockquote" => Role::Block(Some(BlockKind::Quote)),
        "figcaption" | "caption" | "figure" => Role::Block(Some(BlockKind::Caption)),
        "pre" => Role::Block(Some(BlockKind::Preformatted)),
        "p" | "div" | "section" | "article" | "main" | "header" | "footer" | "aside" | "nav"
        | "ul" | "ol" | "dl" | "table" | "tbody" | "thead" | "tfoot" | "tr" | "address"
        | "center" | "details" | "summary" | "fieldset" | "legend" | "form" | "hgroup" | "hr"
        | "menu" | "dir" | "body" | "html" => Role::Block(None),
        "br" => Role::Break,
        "td" | "th" => Role::Cell,
        _ => Role::Inline,
    }
}

enum Step<'a> {
    Enter(NodeRef<'a>),
    Leave { block: bool, kind: bool, meta: bool },
}

struct Walker<'b> {
    base: &'b Base,
    out: Walked,
    cur: String,
    cur_links: Vec<usize>,
    kinds: Vec<BlockKind>,
    /// Identities of the images already recorded (see
    /// [`crate::diff::resource`]), each with its index in the images.
    seen_images: std::collections::BTreeMap<String, usize>,
    /// How many metadata elements (see [`is_meta_line`]) the walk is in.
    meta_depth: usize,
}

impl Walker<'_> {
    fn kind(&self) -> BlockKind {
        self.kinds.last().copied().unwrap_or(BlockKind::Paragraph)
    }

    fn flush(&mut self) {
        let raw_len = self.cur.trim().len();
        if raw_len == 0 {
            self.cur.clear();
            self.cur_links.clear();
            return;
        }
        let kind = self.kind();
        let text = normalize_text(&self.cur);
        self.cur.clear();
        self.out.blocks.push(RawBlock {
            kind,
            text,
            raw_len,
            links: std::mem::take(&mut self.cur_links),
            furniture: self.meta_depth > 0,
        });
    }
}

/// How much page furniture a walk leaves out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Furniture {
    /// Keep everything (an explicit selector).
    Keep,
    /// Ads, share buttons, cookie banners, newsletter boxes: for content
    /// that detection has already cleaned.
    Light,
    /// Also navigation, sidebars, related and comment boxes, hidden elements.
    Full,
}

/// Walks `roots` (in order) into blocks, images and links. `base` is the URL
/// relative references resolve against.
///
/// With `boilerplate` set, elements that are page furniture (navigation,
/// sidebars, share/related/comment boxes, ads, cookie banners, hidden
/// elements) are left out; an explicit selector walks everything.
pub(crate) fn walk(roots: &[NodeRef], base: &Base, boilerplate: Furniture) -> Walked {
    let mut w = Walker {
        base,
        out: Walked::default(),
        cur: String::new(),
        cur_links: Vec::new(),
        kinds: Vec::new(),
        seen_images: Default::default(),
        meta_depth: 0,
    };
    for root in roots {
        let mut stack = vec![Step::Enter(*root)];
        while let Some(step) = stack.pop() {
            match step {
                Step::Leave { block, kind, meta } => {
                    if block {
                        w.flush();
                    }
                    if kind {
                        w.kinds.pop();
                    }
                    if meta {
                        w.meta_depth = w.meta_depth.saturating_sub(1);
                    }
                }
                Step::Enter(node) => {
                    if node.is_text() {
                        w.cur.push_str(&node.text());
                        continue;
                    }
                    if !node.is_element() {
                        if node.is_document() || node.is_fragment() {
                            push_children(&mut stack, &node);
                        }
                        continue;
                    }
                    let Some(name) = node.qual_name_ref().map(|q| q.local.clone()) else {
                        continue;
                    };
                    let mut r = role(&name);
                    if r == Role::Block(None)
                        && node.has_attr("class")
                        && is_caption_class(&class_id(&node))
                    {
                        r = Role::Block(Some(BlockKind::Caption));
                    }
                    if boilerplate != Furniture::Keep
                        && r != Role::Skip
                        && is_boilerplate(&node, &name, boilerplate)
                    {
                        continue;
                    }
                    let meta = boilerplate != Furniture::Keep
                        && r != Role::Skip
                        && w.meta_depth == 0
                        && is_meta_line(&node)
                        && !(r == Role::Inline && in_running_text(&node));
                    if meta {
                        w.flush();
                        w.meta_depth += 1;
                    }
                    match r {
                        Role::Skip => continue,
                        Role::Break => {
                            w.flush();
                            if meta {
                                w.meta_depth -= 1;
                            }
                            continue;
                        }
                        Role::Cell => w.cur.push(' '),
                        Role::Block(kind) => {
                            w.flush();
                            let set = kind.is_some_and(|k| {
                                k == BlockKind::Heading || w.kind() == BlockKind::Paragraph
                            }) || kind == Some(BlockKind::Caption);
                            if let (true, Some(k)) = (set, kind) {
                                w.kinds.push(k);
                            }
                            stack.push(Step::Leave {
                                block: true,
                                kind: set,
                                meta,
                            });
                            push_children(&mut stack, &node);
                            continue;
                        }
                        Role::Inline => {}
                    }
                    match &*name {
                        "a" => {
                            if let Some(href) = node.attr("href") {
                                if !href.trim_start().starts_with('#') {
                                    if let Some(abs) = w.base.resolve(&href) {
                                        w.cur_links.push(w.out.links.len());
                                        w.out.links.push(Link {
                                            href: abs,
                                            text: text_norm(&node),
                                        });
                                    }
                                }
                            }
                        }
                        "img" => {
                            if let Some(img) = image(&node, w.base) {
                                // One entry per picture: the same file behind
                                // two cache keys or sizes is one image.
                                let key = resource_key(&img.src, ResourceKind::Image);
                                match w.seen_images.entry(key) {
                                    Entry::Vacant(e) => {
                                        e.insert(w.out.images.len());
                                        w.out.images.push(img);
                                    }
                                    // Shown again with a caption: the picture has one.
                                    Entry::Occupied(e) => {
                                        if let Some(first) =
                                            w.out.images.get_mut(*e.get()).filter(|f| {
                                                f.caption.is_none() && img.caption.is_some()
                                            })
                                        {
                                            first.caption = img.caption;
                                            first.credit = first.credit.take().or(img.credit);
                                        }
                                    }
                                }
                            }
                        }
                        _ => {}
                    }
                    stack.push(Step::Leave {
                        block: meta,
                        kind: false,
                        meta,
                    });
                    push_children(&mut stack, &node);
                }
            }
        }
        w.flush();
    }
    w.out
}

/// The pictures of the article's lead photo blocks (see
/// [`super::anchor::lead_media`]), each block walked on its own: a block
/// showing one picture for which no caption was found by its markup gives
/// it its own text, since such a block holds a photo and its caption only
/// (`<div class="image"><img><p>In this file photo … (AP Photo)</p></div>`).
pub(crate) fn lead_pictures(blocks: &[NodeRef], base: &Base) -> Vec<Image> {
    let mut out = Vec::new();
    for block in blocks {
        let w = walk(&[*block], base, Furniture::Light);
        let mut images = w.images;
        if let [only] = images.as_mut_slice() {
            let text = normalize_text(
                &w.blocks
                    .iter()
                    .map(|b| b.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            if only.caption.is_none() && !text.is_empty() {
                only.credit = only.credit.take().or_else(|| credit_from_text(&text));
                only.caption = Some(text);
            }
        }
        out.extend(images);
    }
    out
}

/// Class tokens (or prefixes, ending in `-`/`_`) of page furniture.
pub(crate) const BOILERPLATE_TOKENS: &[&str] = &[
    "ad",
    "ads",
    "advert",
    "advertisement",
    "ad-",
    "ads-",
    "adsbygoogle",
    "ad-slot",
    "ad-label",
    "share",
    "sharing",
    "share-",
    "social",
    "social-",
    "sharedaddy",
    "addthis",
    "related",
    "related-",
    "relatedposts",
    "more-stories",
    "recommended",
    "recommended-",
    "recirc",
    "comments",
    "comment-",
    "comments-",
    "newsletter",
    "newsletter-",
    "subscribe",
    "signup",
    "promo",
    "promo-",
    "cookie",
    "cookie-",
    "consent",
    "gdpr",
    "breadcrumb",
    "breadcrumbs",
    "sidebar",
    "widget",
    "sponsor",
    "sponsored",
    "outbrain",
    "taboola",
    "print-",
    "toolbar",
    "popup",
    "modal",
    "post-tags",
    "tags",
    "tag-list",
    "jp-relatedposts",
    "screen-reader-text",
    "sr-only",
    "visually-hidden",
    "hidden",
    "nav",
    "navbar",
    "menu",
    "skip-link",
    "author-bio",
    "about-author",
    "donate",
    "follow-us",
];

/// The subset of [`BOILERPLATE_TOKENS`] never used for article text.
const LIGHT_TOKENS: &[&str] = &[
    "ad",
    "ads",
    "advert",
    "advertisement",
    "ad-",
    "ads-",
    "adsbygoogle",
    "ad-slot",
    "ad-label",
    "share",
    "sharing",
    "share-",
    "sharedaddy",
    "addthis",
    "cookie",
    "cookie-",
    "consent",
    "gdpr",
    "newsletter",
    "newsletter-",
    "outbrain",
    "taboola",
    "jp-relatedposts",
    // A video player's chrome: its "Watch: …" title, "Up next", its
    // controls, set in or beside the article by a redeploy.
    "video-player",
    "video-player-",
    "videoplayer",
    "jwplayer",
    "jw-player",
];

/// [`BOILERPLATE_TOKENS`], [`LIGHT_TOKENS`] and [`HIDDEN_TOKENS`], ready for matching.
pub(crate) static BOILERPLATE: LazyLock<ClassTokens> =
    LazyLock::new(|| ClassTokens::new(BOILERPLATE_TOKENS));
static LIGHT: LazyLock<ClassTokens> = LazyLock::new(|| ClassTokens::new(LIGHT_TOKENS));
/// Words of the class or id of a box of other articles' headlines
/// ("Related Links", "Most Read", "Trending", "Latest News"), which a
/// template may set inside the body (`multi-related-article-links`,
/// `most-read__content`, `trendingNow`, `latest-news-box`).
const RECIRCULATION_WORDS: &[&str] = &[
    "related",
    "recirc",
    "recirculation",
    "recommended",
    "recommendations",
    "most",
    "mostread",
    "mostpopular",
    "popular",
    "trending",
    "latest",
];

/// Most characters a box of headlines holds outside its links and
/// headings (a separator, a "More:").
const HEADLINE_BOX_OWN_CHARS: usize = 20;

/// Whether `node` is a box of other articles' headlines: marked so by its
/// class or id, holding blocks (a list, teasers) and nothing but links and
/// headings (its title, "Most Read"). Content detection cleans such a box away or keeps it as
/// its scores go (a paragraph added elsewhere tips them; a kept box whose
/// headings went is a lone "Most Read" line), and unwraps the element
/// that says what it is: it goes before detection.
fn is_headline_box(node: &NodeRef, class: Option<&str>, id: Option<&str>) -> bool {
    // A box, not a line: a "Related: …" line of links in the body (a
    // paragraph, or a div of running text) is the article's, its sources.
    if node.has_name("p") || node.element_children().iter().all(is_phrasing) {
        return false;
    }
    if ![class, id]
        .iter()
        .flatten()
        .any(|c| has_word(c, RECIRCULATION_WORDS))
    {
        return false;
    }
    let mut own = 0;
    for t in node.descendants_it().filter(NodeRef::is_text) {
        let labelled = t
            .ancestors_it(None)
            .take_while(|a| a.id != node.id)
            .any(|a| {
                a.qual_name_ref().is_some_and(|q| {
                    q.local == local_name!("a")
                        || role(&q.local) == Role::Block(Some(BlockKind::Heading))
                })
            });
        if !labelled && !is_rank(&t.text()) {
            own += t.text().chars().filter(|c| !c.is_whitespace()).count();
            if own > HEADLINE_BOX_OWN_CHARS {
                return false;
            }
        }
    }
    true
}

/// Whether a text is a headline's rank in a numbered box ("1", "12.",
/// "#3"): a label, however many headlines the box numbers.
fn is_rank(text: &str) -> bool {
    let t = text.trim();
    let t = t.strip_prefix('#').unwrap_or(t);
    let t = t.strip_suffix('.').unwrap_or(t);
    (1..=3).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
}

static HIDDEN: LazyLock<ClassTokens> = LazyLock::new(|| ClassTokens::new(HIDDEN_TOKENS));
static WP_POST_IMAGE: LazyLock<ClassTokens> =
    LazyLock::new(|| ClassTokens::new(&["wp-post-image"]));

/// Visible characters below which a furniture-classed element is removed
/// before content detection.
const SMALL_FURNITURE: usize = 200;

/// Whether `node` holds fewer than [`SMALL_FURNITURE`] characters other
/// than whitespace (counting stops there: a furniture-classed container
/// may hold the whole page).
fn is_small(node: &NodeRef) -> bool {
    let mut left = SMALL_FURNITURE;
    for t in node.descendants_it().filter(NodeRef::is_text) {
        let n = t.text().chars().filter(|c| !c.is_whitespace()).count();
        if n >= left {
            return false;
        }
        left -= n;
    }
    true
}

/// Elements of running text: what a paragraph holds.
const PHRASING: &[&str] = &[
    "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "br", "cite", "code", "data", "del", "dfn",
    "em", "font", "i", "ins", "kbd", "mark", "nobr", "q", "s", "samp", "small", "span", "strike",
    "strong", "sub", "sup", "time", "tt", "u", "var", "wbr",
];

/// A `<div>` holding running text and nothing else (text, links,
/// emphasis; no block; no image, but among such divs) is a paragraph, as
/// a `<p>` would be, and becomes one before content detection.
/// Readability's own rule is the same, but content detection applies it
/// only after its cleaning, which takes a div for a box and drops the
/// short and the linked ones: a redeploy that rewrote `<p>` as `<div
/// class="paragraph">` lost every "Read the full transcript" line and
/// every "Related: …" link of the article, and the page's date and
/// section lines came in when no `<p>` was left to say where the article
/// was. With the rename, the same words in either markup are the same
/// article.
pub(crate) fn paragraph_divs(dom: &dom_query::Document) {
    let divs = dom.select("div");
    let divs = divs.nodes();
    let plain: Vec<bool> = divs.iter().map(|d| is_paragraph_div(d, false)).collect();
    // A template that sets its paragraphs as divs sets the one holding a
    // picture so too, in the same class (`<div class="paragraph"><a>…</a>
    // <img></div>` among `<div class="paragraph">`s); elsewhere a div with
    // a picture and words is a photo and its caption, or a box.
    let key = |d: &NodeRef| {
        d.parent()
            .map(|p| (p.id, d.attr("class").map(String::from)))
    };
    let mut set_as_divs: rustc_hash::FxHashMap<_, usize> = Default::default();
    for (d, _) in divs.iter().zip(&plain).filter(|(_, &p)| p) {
        if let Some(k) = key(d) {
            *set_as_divs.entry(k).or_default() += 1;
        }
    }
    let pictured = |d: &NodeRef| {
        key(d).is_some_and(|k| set_as_divs.get(&k).is_some_and(|&n| n >= 2))
            && is_paragraph_div(d, true)
    };
    let renamed: Vec<NodeRef> = divs
        .iter()
        .zip(&plain)
        .filter(|(d, &p)| p || pictured(d))
        .map(|(d, _)| *d)
        .collect();
    for div in renamed {
        div.rename("p");
    }
}

/// Whether `div` holds running text and nothing else; `pictures`: images
/// count as running text.
fn is_paragraph_div(div: &NodeRef, pictures: bool) -> bool {
    let mut text = false;
    for n in div.descendants_it() {
        if n.is_text() {
            text = text || n.text().chars().any(|c| !c.is_whitespace());
        } else if n.is_element() && !is_phrasing(&n) && !(pictures && n.has_name("img")) {
            return false;
        }
    }
    text
}

/// Whether an element is running text: a [`PHRASING`] element, a
/// formula set in the sentence (MathML, or an image of one: Wikipedia's
/// "A square matrix <math>A</math> is Hermitian…"), or, as HTML counts
/// them, an inline SVG (the icon a link carries: "Trust Principles ↗")
/// and a custom element (a hyphen in its name: Healthline's
/// `<hl-trusted-source>` around a reference's number).
fn is_phrasing(n: &NodeRef) -> bool {
    n.qual_name_ref().is_some_and(|q| {
        q.ns == html5ever::ns!(mathml)
            || q.ns == html5ever::ns!(svg)
            || PHRASING.contains(&&*q.local)
            || q.ns == html5ever::ns!(html) && q.local.contains('-')
            || q.local == local_name!("img")
                && is_formula(n.attr("alt").as_deref(), &n.attr("src").unwrap_or_default())
    })
}

/// A `<div>` around a lone `<p>` and no text of its own, when the page has
/// another such div of the same class, is a template's block for one
/// paragraph (`<div class="block"><p>…</p></div>`, one per paragraph): the
/// div is replaced by its paragraph, and its class joins the paragraph's.
/// Content detection unwraps such a div only while under a quarter of its
/// text is linked and cleans the others away as link boxes, so a redeploy
/// that set each paragraph in a block of its own lost every paragraph with
/// a link in it. A box used once around a paragraph (a tag list, an ad
/// inserter's "Trending:" line) is left to content detection.
pub(crate) fn paragraph_wrappers(dom: &dom_query::Document) {
    // A block inside a block (`<div class="rich-text"><div class="block">`)
    // is a wrapper once the inner one is gone: a few rounds, each only
    // after the one before unwrapped something.
    for _ in 0..WRAPPER_ROUNDS {
        if !unwrap_paragraph_blocks(dom) {
            break;
        }
    }
}

/// Most nested blocks around one paragraph that [`paragraph_wrappers`]
/// takes away.
const WRAPPER_ROUNDS: usize = 4;

/// One round of [`paragraph_wrappers`]; whether it unwrapped anything.
fn unwrap_paragraph_blocks(dom: &dom_query::Document) -> bool {
    let is_wrapper = |div: &NodeRef| lone_paragraph(div).is_some() && !has_own_text(div);
    let mut by_class: std::collections::BTreeMap<Option<String>, Vec<NodeRef>> = Default::default();
    for div in dom.select("div").nodes().iter().filter(|d| is_wrapper(d)) {
        let class = div.attr("class").map(|c| c.to_string());
        by_class.entry(class).or_default().push(*div);
    }
    let mut unwrapped = false;
    // A box used once is a template's block too when it stands among the
    // body's paragraphs and its own holds a sentence (a lede set in `<div
    // class="article-intro">`): content detection judges a box by its
    // links (a lede's name links, their hover cards) and may drop it.
    let in_body = |d: &NodeRef| {
        lone_paragraph(d).is_some_and(|p| holds_sentence(&p))
            && d.parent().is_some_and(|body| {
                body.element_children()
                    .iter()
                    .any(|c| c.id != d.id && c.has_name("p") && holds_sentence(c))
            })
    };
    let kept = |g: &Vec<NodeRef>| g.len() >= 2 || g.iter().all(in_body);
    for divs in by_class.into_values().filter(kept) {
        for div in divs {
            let Some(p) = lone_paragraph(&div) else {
                continue;
            };
            if let Some(class) = div.attr("class") {
                let joined = match p.attr("class") {
                    Some(own) => format!("{own} {class}"),
                    None => class.to_string(),
                };
                p.set_attr("class", &joined);
            }
            div.replace_with(&p);
            unwrapped = true;
        }
    }
    unwrapped
}

/// A `<picture>` is its `<img>`: the `<source>` alternatives (WebP, AVIF,
/// other sizes of the same picture) are dropped and the image stands where
/// the `<picture>` stood, so that content detection sees the same tree as
/// for a bare `<img>`. An image without a source of its own takes the first
/// alternative's.
pub(crate) fn unwrap_pictures(dom: &dom_query::Document) {
    let pictures: Vec<NodeRef> = dom.select("picture").nodes().to_vec();
    for picture in pictures {
        let children = picture.element_children();
        let Some(img) = children.iter().find(|c| c.has_name("img")) else {
            continue;
        };
        let sources: Vec<&NodeRef> = children.iter().filter(|c| c.has_name("source")).collect();
        if image_src(img).is_none() {
            if let Some(set) = sources.iter().find_map(|s| s.attr("srcset")) {
                img.set_attr("srcset", &set);
            }
        }
        for s in sources {
            s.remove_from_parent();
        }
        img.unwrap_node();
    }
}

/// An AMP page's image (`<amp-img>`, `<amp-anim>`) is an `<img>` of the
/// same attributes, standing where it stood: the same article served as
/// AMP, or a redeploy that turns its images into AMP's, shows the same
/// pictures and captions. What the element holds (a `<noscript>` copy, a
/// fallback image) goes with it.
pub(crate) fn amp_images(dom: &dom_query::Document) {
    let amp: Vec<NodeRef> = dom.select("amp-img, amp-anim").nodes().to_vec();
    for a in amp {
        let nested = a
            .ancestors_it(None)
            .any(|p| p.has_name("amp-img") || p.has_name("amp-anim"));
        if nested {
            continue;
        }
        // Renamed in place, not replaced: the element keeps its place in
        // page order (see `anchor::lead_media`), its fallback content goes.
        for child in a.children() {
            child.remove_from_parent();
        }
        a.rename("img");
    }
}

/// Author links whose `rel` lists more than `author` (`rel="author
/// noopener"`, which themes add to links opening a new tab) marked
/// `rel="author"` alone: content detection takes a byline only from an
/// exact `rel="author"`, so a theme update would otherwise move the byline.
pub(crate) fn plain_author_rel(dom: &dom_query::Document) {
    for a in dom.select("[rel~=author]").nodes() {
        if a.attr("rel").is_some_and(|r| r.trim() != "author") {
            a.set_attr("rel", "author");
        }
    }
}

/// Remove, before content detection, the elements whose class marks them as
/// furniture that never holds article text (ads, share boxes, cookie and
/// newsletter boxes): content detection may rewrite such an element into a
/// plain paragraph and lose the class that gave it away. Also boxes of
/// other articles' headlines ([`is_headline_box`]), drawings, text no
/// reader sees, share buttons and the bars around them
/// ([`share::share_bars`]).
///
/// A correction or editor's note set aside from the text (`<aside
/// class="correction">`) becomes a plain block: it is what the publisher
/// says about the article, and content detection drops every `aside`.
/// A caption-classed element around a lone paragraph gives the paragraph
/// its class, for the same reason.
pub(crate) fn remove_light_furniture(dom: &dom_query::Document) {
    let mut asides = Vec::new();
    let mut captions = Vec::new();
    let mut buttons = Vec::new();
    let mut figures = Vec::new();
    let mut forged = Vec::new();
    let mut marked_nav = Vec::new();
    let mark = LocalName::from(FIGURE_MARK);
    let mut marked: Vec<NodeRef> = dom
        .root()
        .descendants_it()
        .filter(|n| {
            // The element's name and attributes, read in place: this runs
            // on every element of the page.
            let Some(el) = n.element_ref() else {
                return false;
            };
            let attr = |name: &LocalName| attr_of(&el, name);
            let name = &el.name.local;
            let class = attr(&local_name!("class"));
            if *name == local_name!("aside") && is_correction(n) {
                asides.push(*n);
                return false;
            }
            if matches!(*name, local_name!("ul") | local_name!("ol")) {
                if let Some(nav) = in_page_navigation(n) {
                    marked_nav.push(nav);
                }
            }
            if *name == local_name!("figure") {
                figures.push(*n);
            } else if attr(&mark).is_some() {
                // The page's own, not ours.
                forged.push(*n);
            }
            if let Some(p) = class.and_then(|_| caption_paragraph(n)) {
                if is_caption_class(&class_id(n)) {
                    captions.push(p);
                }
            }
            let share_button = *name == local_name!("a")
                && attr(&local_name!("href")).is_some_and(share::is_share_intent)
                && is_small(n);
            if share_button {
                buttons.push(*n);
            }
            // Drawings hold no text, and content detection takes a link
            // with an icon in it for a block and splits the paragraph there.
            *name == local_name!("svg")
                || *name == local_name!("a") && is_permalink(n, attr(&local_name!("href")))
                || share_button
                || hidden_by(class, attr(&local_name!("style")))
                || class.is_some_and(|c| LIGHT.matches(c))
                    // Furniture is small; a large element with such a class
                    // is a container the page misnamed, and content
                    // detection judges it.
                    && is_small(n)
                || is_headline_box(n, class, attr(&local_name!("id")))
        })
        .collect();
    marked.extend(share::share_bars(&buttons));
    marked.extend(marked_nav);
    for node in marked {
        node.remove_from_parent();
    }
    for node in asides {
        node.rename("div");
    }
    for node in figures {
        node.set_attr(FIGURE_MARK, "");
    }
    for node in forged {
        node.remove_attr(FIGURE_MARK);
    }
    // Content detection replaces a wrapper around a lone paragraph by the
    // paragraph, and a caption's class would go with the wrapper.
    for p in captions {
        let class = p.attr("class").map(|c| format!("{c} caption"));
        p.set_attr("class", class.as_deref().unwrap_or("caption"));
    }
}

/// Removes the paragraphs pointing to other articles ("Related: <a
/// headline, linked>", see [`super::promo::is_pointer`]) before content
/// detection: one added between paragraphs moved what detection kept on 3
/// of 57 pages. Called once the page's links are recorded
/// ([`super::scope::Outline`]): a pointer inside the article's container
/// is not text, but its links are the article's, to be checked.
pub(crate) fn remove_pointers(dom: &dom_query::Document) {
    for p in dom.select("p").nodes() {
        if is_pointer(p) {
            p.remove_from_parent();
        }
    }
}

/// A paragraph pointing to another article.
fn is_pointer(p: &NodeRef) -> bool {
    let text = p.text();
    let text = text.trim();
    if !text.starts_with(|c: char| c.is_alphabetic() || c == '[' || c == '(') {
        return false;
    }
    super::promo::is_pointer(&super::normalize_text(text), || {
        p.descendants_it()
            .filter(|d| d.has_name("a") && d.has_attr("href"))
            .map(|a| a.text().trim().len())
            .sum()
    })
}

/// Marks a `<figure>` before content detection, which renames a figure it
/// appends to the article (a sibling of the text's container: often the
/// lead photo) into a `<div>`, as Readability does; [`restore_figures`]
/// makes it a figure again, so that its caption stays its picture's.
const FIGURE_MARK: &str = "data-stet-figure";

/// The figures under `root` that content detection renamed, figures again
/// (see [`FIGURE_MARK`]).
pub(crate) fn restore_figures(root: &NodeRef) {
    for node in root.find_descendants(&format!("[{FIGURE_MARK}]")) {
        if !node.has_name("figure") {
            node.rename("figure");
        }
        node.remove_attr(FIGURE_MARK);
    }
}

/// Whether a link is a heading's or a paragraph's permalink: a link to a
/// place on the same page (`href="#…"`) that reads as a mark, not words
/// ("¶", "#", "§", "🔗", "^", or an icon; not a picture). Documentation and blog
/// themes add them to every heading; they are no more the article's words
/// than its links are the article's sources.
pub(crate) fn is_permalink(a: &NodeRef, href: Option<&str>) -> bool {
    if !href.is_some_and(|h| h.starts_with('#')) {
        return false;
    }
    let mut marks = 0;
    for t in a.descendants_it() {
        // A picture in a link is the picture's link (a gallery's opener).
        if ["img", "picture", "video"].iter().any(|m| t.has_name(m)) {
            return false;
        }
        if !t.is_text() {
            continue;
        }
        for c in t.text().chars().filter(|c| !c.is_whitespace()) {
            marks += 1;
            if c.is_alphanumeric() || marks > 2 {
                return false;
            }
        }
    }
    true
}

/// A list of links to places of the page itself (`#block-3`): a live
/// blog's "Key events", a table of contents. Its entries repeat the page's
/// own headings or change with every post; they are not text. Returns what
/// to remove: the list, or the box holding it with its title alone.
fn in_page_navigation<'a>(list: &NodeRef<'a>) -> Option<NodeRef<'a>> {
    let mut items = 0;
    for li in list.element_children() {
        let mut links = li.element_children().into_iter();
        let only = links.next().filter(|_| links.next().is_none())?;
        let href = only.attr("href")?;
        if !only.has_name("a") || !href.trim_start().starts_with('#') || has_own_text(&li) {
            return None;
        }
        items += 1;
    }
    if items < 2 {
        return None;
    }
    // The box around it, when it holds the list and a short title alone.
    let parent = list
        .parent()
        .filter(|p| p.is_element() && !has_own_text(p))?;
    let others: Vec<NodeRef> = parent
        .element_children()
        .into_iter()
        .filter(|c| c.id != list.id)
        .collect();
    let titled = match others.as_slice() {
        [] => false,
        [title] => {
            ["h2", "h3", "h4", "h5", "h6", "p", "div", "span", "strong"]
                .iter()
                .any(|h| title.has_name(h))
                && title.text().split_whitespace().count() <= 4
        }
        _ => return Some(*list),
    };
    Some(if titled { parent } else { *list })
}

/// The only element child of `node`, if it is a `<p>`.
pub(crate) fn lone_paragraph<'a>(node: &NodeRef<'a>) -> Option<NodeRef<'a>> {
    let p = node.first_element_child()?;
    (p.has_name("p") && p.next_element_sibling().is_none()).then_some(p)
}

/// Characters of text outside links from which a paragraph says something
/// of its own (a sentence; a "Trending:" or "Related:" line of links has a
/// word).
const SENTENCE_CHARS: usize = 40;

/// Whether a paragraph holds a sentence: [`SENTENCE_CHARS`] of text or more
/// outside its links.
fn holds_sentence(p: &NodeRef) -> bool {
    p.normalized_char_count().saturating_sub(linked_chars(p)) >= SENTENCE_CHARS
}

/// Characters of the text inside the links under `node` (its own, if it
/// is one).
pub(crate) fn linked_chars(node: &NodeRef) -> usize {
    std::iter::once(*node)
        .chain(node.descendants_it())
        .filter(|a| a.is_element() && a.has_name("a"))
        .map(|a| a.normalized_char_count())
        .sum()
}

/// [`lone_paragraph`] of a caption, also through wrappers a template adds
/// (`<div class="caption"><div><p>…</p></div></div>`, a redeploy away from
/// the bare paragraph): each a `div` of one element and no text.
fn caption_paragraph<'a>(node: &NodeRef<'a>) -> Option<NodeRef<'a>> {
    let mut outer = *node;
    for _ in 0..MAX_WRAPPERS {
        if let Some(p) = lone_paragraph(&outer) {
            return Some(p);
        }
        let child = outer.first_element_child()?;
        if !child.has_name("div") || child.next_element_sibling().is_some() || has_own_text(&child)
        {
            return None;
        }
        outer = child;
    }
    None
}

/// Wrappers looked through for a caption's lone paragraph.
const MAX_WRAPPERS: usize = 4;

/// Whether an element has text of its own (not inside a child element).
pub(crate) fn has_own_text(node: &NodeRef) -> bool {
    node.children_it(false)
        .any(|c| c.is_text() && !c.text().trim().is_empty())
}

/// Whether an element's class or id marks it as a correction, a
/// clarification or an editor's note.
pub(crate) fn is_correction(node: &NodeRef) -> bool {
    ["class", "id"].iter().any(|a| {
        node.attr(a).is_some_and(|v| {
            let v: String = v
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            [
                "correction",
                "clarification",
                "editorsnote",
                "editornote",
                "erratum",
            ]
            .iter()
            .any(|w| v.contains(w))
        })
    })
}

/// Text no reader sees, by an element's class and style: screen-reader-only
/// labels ("opens new tab") and elements hidden by their own inline style.
pub(crate) fn hidden_by(class: Option<&str>, style: Option<&str>) -> bool {
    if class.is_some_and(|c| HIDDEN.matches(c)) {
        return true;
    }
    style.is_some_and(|st| {
        let st: String = st
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        let clipped = st.find("clip:rect(").is_some_and(|i| {
            st[i + 10..]
                .split(')')
                .next()
                .is_some_and(|r| r.chars().all(|c| matches!(c, '0' | '1' | 'p' | 'x' | ',')))
        });
        clipped || st.contains("display:none") || st.contains("visibility:hidden")
    })
}

/// Class tokens of text for screen readers only.
const HIDDEN_TOKENS: &[&str] = &[
    "screen-reader-text",
    "sr-only",
    "visually-hidden",
    "visuallyhidden",
];

/// Words that, as a part of a class or id ("post-date", "storyDate",
/// "dateline__updated", "entry-meta"), mark the metadata printed around an
/// article: bylines, date stamps, breadcrumbs, tag lists, author boxes.
const META_WORDS: &[&str] = &[
    "author",
    "authors",
    "breadcrumb",
    "breadcrumbs",
    "byline",
    "bylines",
    "date",
    "dateline",
    "dates",
    "meta",
    "posted",
    "pubdate",
    "tags",
    "timestamp",
    "updated",
];

/// Words that, as a part of a class or id, mark a photo gallery: its
/// images belong to the article, its repeated captions and controls
/// ("Image 1 of 8", "Close") do not belong to the text.
const GALLERY_WORDS: &[&str] = &["carousel", "gallery", "lightbox", "slideshow"];

/// Characters (other than whitespace) of text around an inline element
/// from which it stands in a sentence.
const RUNNING_TEXT: usize = 40;

/// Whether the inline element `node` stands in running text: the text
/// beside it in its parent (blocks apart) is a sentence, not the few words
/// of a byline or date line ("By", "|", "Updated"). A link to a company
/// page classed `meta-org` in "Yahoo's $4.8 billion sale to Verizon is …",
/// or a `<time class="date">` in "On March 3, the council voted …", is
/// the article's text, not its metadata.
fn in_running_text(node: &NodeRef) -> bool {
    let is_inline = |n: &NodeRef| {
        n.qual_name_ref()
            .is_some_and(|q| matches!(role(&q.local), Role::Inline))
    };
    let mut seen = 0;
    // The text beside it, then beside each inline element around it, up
    // to the block that holds them.
    let mut cur = *node;
    while let Some(parent) = cur.parent() {
        for c in parent.children_it(false) {
            if c.id == cur.id || !(c.is_text() || c.is_element() && is_inline(&c)) {
                continue;
            }
            seen += c.text().chars().filter(|ch| !ch.is_whitespace()).count();
            if seen >= RUNNING_TEXT {
                return true;
            }
        }
        if !(parent.is_element() && is_inline(&parent)) {
            break;
        }
        cur = parent;
    }
    false
}

/// An element whose class or id marks it as article metadata (when small)
/// or as a photo gallery.
fn is_meta_line(node: &NodeRef) -> bool {
    marked_by(node, &[GALLERY_WORDS]) || marked_by(node, &[META_WORDS]) && is_small(node)
}

/// Whether an element's class or id marks it as article metadata (a
/// byline, a date line) or a site graphic (an avatar, a logo, an icon),
/// whatever its size.
pub(crate) fn is_marked_meta(node: &NodeRef) -> bool {
    const GRAPHIC_WORDS: &[&str] = &["avatar", "logo", "icon", "headshot"];
    marked_by(node, &[META_WORDS, GRAPHIC_WORDS])
}

/// Whether the element's class or id has a word of one of `lists` (see
/// [`has_word`]); attributes read in place.
fn marked_by(node: &NodeRef, lists: &[&[&str]]) -> bool {
    let Some(el) = node.element_ref() else {
        return false;
    };
    [
        attr_of(&el, &local_name!("class")),
        attr_of(&el, &local_name!("id")),
    ]
    .iter()
    .flatten()
    .any(|c| lists.iter().any(|words| has_word(c, words)))
}

pub(crate) fn is_boilerplate(node: &NodeRef, name: &str, level: Furniture) -> bool {
    let el = node.element_ref();
    let attr = |name: &LocalName| el.as_deref().and_then(|el| attr_of(el, name));
    if level == Furniture::Light {
        return name == "nav" || attr(&local_name!("class")).is_some_and(|c| LIGHT.matches(c));
    }
    if matches!(name, "nav" | "aside" | "footer" | "form" | "menu") {
        return true;
    }
    attr(&local_name!("hidden")).is_some()
        || attr(&local_name!("aria-hidden")).is_some_and(|v| v.trim() == "true")
        || attr(&local_name!("role")).is_some_and(|r| {
            matches!(
                r.trim(),
                "navigation" | "complementary" | "banner" | "contentinfo" | "dialog" | "alert"
            )
        })
        || attr(&local_name!("style")).is_some_and(|st| {
            let st: String = st
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            st.contains("display:none") || st.contains("visibility:hidden")
        })
        || attr(&local_name!("class")).is_some_and(|c| BOILERPLATE.matches(c))
        || attr(&local_name!("id")).is_some_and(|i| BOILERPLATE.matches(i))
}

/// An attribute's value, read in place (`NodeRef::attr` copies it, and
/// compares names as strings): for the checks that run on every element of
/// a page.
pub(crate) fn attr_of<'a>(el: &'a dom_query::Element, name: &LocalName) -> Option<&'a str> {
    el.attrs
        .iter()
        .find(|a| a.name.local == *name)
        .map(|a| &*a.value)
}

fn push_children<'a>(stack: &mut Vec<Step<'a>>, node: &NodeRef<'a>) {
    let mut child = node.last_child();
    while let Some(c) = child {
        child = c.prev_sibling();
        stack.push(Step::Enter(c));
    }
}

fn local_name(node: &NodeRef) -> Option<String> {
    node.qual_name_ref().map(|q| q.local.to_string())
}

/// class and id, lower-cased.
pub(crate) fn class_id(node: &NodeRef) -> String {
    let mut s = String::new();
    if let Some(c) = node.attr("class") {
        s.push_str(&c);
    }
    if let Some(i) = node.attr("id") {
        s.push(' ');
        s.push_str(&i);
    }
    s.make_ascii_lowercase();
    s
}

pub(crate) fn is_caption_class(ci: &str) -> bool {
    [
        "caption",
        "cutline",
        "legend",
        "figcaption",
        "wp-caption-text",
        "image-desc",
    ]
    .iter()
    .any(|k| ci.contains(k))
}

fn is_credit_class(ci: &str) -> bool {
    [
        "credit",
        "copyright",
        "photographer",
        "attribution",
        "byline",
        "source",
    ]
    .iter()
    .any(|k| ci.contains(k))
}

/// Where an image's address may be, in the order asked, and whether the
/// attribute holds a srcset. A lazy loader keeps the real image in a data
/// attribute (a URL or a srcset) and a placeholder (a 1x1 gif, a blurred
/// preview) in `src` until it runs; content detection may copy any
/// image-like attribute into `src`. The lazy attributes come first, then
/// `src`, then `srcset`.
const IMAGE_ATTRS: [(&str, bool); 8] = [
    ("data-src", false),
    ("data-lazy-src", false),
    ("data-original", false),
    ("data-url", false),
    ("data-srcset", true),
    ("data-lazy-srcset", true),
    ("src", false),
    ("srcset", true),
];

fn image_src(node: &NodeRef) -> Option<String> {
    let usable = |v: &str| {
        let v = v.trim();
        !(v.is_empty() || v.starts_with("data:") && v.len() < 200)
    };
    for (a, is_set) in IMAGE_ATTRS {
        let Some(v) = node.attr(a) else { continue };
        let v = if is_set {
            // A candidate's URL runs to the next whitespace (it may hold
            // commas, as CDN URLs do); trailing commas end the candidate.
            v.split_ascii_whitespace()
                .next()
                .map(|u| u.trim_end_matches(','))
                .unwrap_or_default()
        } else {
            v.trim()
        };
        if usable(v) {
            return Some(v.to_owned());
        }
    }
    None
}

fn image(node: &NodeRef, base: &Base) -> Option<Image> {
    if is_pixel(node) {
        return None;
    }
    let raw = image_src(node)?;
    let src = if raw.starts_with("data:") {
        raw
    } else {
        base.resolve(&raw)?
    };
    let alt = node.attr("alt").map(|a| a.to_string());
    let (caption, mut credit) = caption_and_credit(node);
    if caption.is_none()
        && (decorative(node, &src)
            || is_formula(alt.as_deref(), &src)
            || in_teaser_link(node, base))
    {
        return None;
    }
    if credit.is_none() {
        credit = caption.as_deref().and_then(credit_from_text);
    }
    Some(Image {
        src,
        alt,
        caption,
        credit,
    })
}

/// A tracking pixel or beacon: an image declared at most 2×2 pixels. It
/// is no picture of the article, has no caption to take from the figure
/// beside it, and an analytics script changes it at will. Whatever
/// attribute holds its address: a redeploy that makes an image lazy moves
/// the address, not the declared size.
fn is_pixel(node: &NodeRef) -> bool {
    let tiny = |a: &str| {
        node.attr(a).is_some_and(|v| {
            let v = v.trim();
            let digits = v.trim_end_matches("px").trim();
            digits.parse::<f32>().is_ok_and(|n| n <= 2.0)
        })
    };
    tiny("width") && tiny("height")
}

/// A site's logo, an icon, an avatar, a spacer or a video player's overlay
/// rather than a picture of the article, as its URL's path names it
/// (`/logos/…`, `site-logo.png`, `logoprint.jpg`, `/avatar/…`,
/// `play_overlay.png`), or the author's picture in the link to the author's page
/// (`<a rel="author"><img …></a>`, a byline's portrait), a share button
/// ([`share::is_share_control`]), or a rendition at an icon's size
/// (`…/23px-…`, as MediaWiki names them). Only uncaptioned images are
/// asked (a captioned one is the article's, whatever its name). The path
/// and the link, not the class or a declared size: a lazy
/// loader's `<noscript>` copy of an image often has neither, and one
/// picture must not be decorative in one version and not the next.
fn decorative(node: &NodeRef, src: &str) -> bool {
    const WORDS: [&str; 16] = [
        "icon",
        "icons",
        "overlay",
        "overlays",
        "sprite",
        "sprites",
        "avatar",
        "avatars",
        "favicon",
        "emoji",
        "emojis",
        "spacer",
        "headshot",
        "headshots",
        "author",
        "authors",
    ];
    // WordPress marks the post's own picture (its "featured image").
    if node
        .attr("class")
        .is_some_and(|c| WP_POST_IMAGE.matches(&c))
    {
        return false;
    }
    if in_author_link(node) || share::is_share_control(node) {
        return true;
    }
    // A `data:` URL has no path to name it.
    let Some(url) = url::Url::parse(src).ok().filter(|u| !u.cannot_be_a_base()) else {
        return false;
    };
    // A rendition at an icon's size (MediaWiki's `…/23px-Flag_of_X.svg.png`).
    let icon_size = url
        .path_segments()
        .and_then(|mut s| s.next_back())
        .and_then(|last| last.split_once("px-"))
        .and_then(|(n, _)| n.parse::<u32>().ok())
        .is_some_and(|n| n <= 50);
    icon_size
        || url
            .path()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| {
                // A size or a number after the word: Blogger's edit
                // pencil `icon18_edit.gif`, `avatar2.png`.
                let stem = w.trim_end_matches(|c: char| c.is_ascii_digit());
                // `logo`, `logos`, `logoprint`, `logo2`.
                w.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("logo"))
                    || WORDS.iter().any(|k| stem.eq_ignore_ascii_case(k))
            })
}

/// Whether `node` is a teaser's picture (a "Most popular", "Related
/// articles" or "Trending now" list the article's container holds): inside
/// a link to another page of the site, not to the picture itself, the
/// article or a page below it, with a headline of that page in the link or
/// in another link of the page to it, or to a numbered slide of such a
/// page (a gallery's thumbnails). An uncaptioned picture in a
/// teaser is the other article's, not this one's missing caption. A photo
/// linked to its album page (no headline) and links to other sites (a
/// product, the photographer's page) keep theirs.
fn in_teaser_link(node: &NodeRef, base: &Base) -> bool {
    let Some(link) = node.ancestors_it(Some(4)).find(|a| a.has_name("a")) else {
        return false;
    };
    let Some(href) = link.attr("href").filter(|h| base.is_other_page(h)) else {
        return false;
    };
    if is_headline(&link) {
        return true;
    }
    // A headline elsewhere on the page linking to the same page (wherever
    // the markup puts it, whatever click ids its link carries).
    let Some(target) = base.resolve(&href) else {
        return false;
    };
    let root = link.ancestors_it(None).last().unwrap_or(link);
    let headlines = base.headline_links(|| headline_targets(&root, base));
    let key = resource_key(&target, ResourceKind::Link);
    headlines.contains(&key) || slide_of(&key).is_some_and(|page| headlines.contains(page))
}

/// The page whose numbered slide `key` is (`…/pictures/best-gifts/2` →
/// `…/pictures/best-gifts`): the thumbnails of another gallery set in the
/// article link to its slides, its headline to the gallery. Not a
/// section's numbered page (`…/photos/12345` under a menu's "Photo
/// galleries"): the page has two path segments or more.
fn slide_of(key: &str) -> Option<&str> {
    let (page, n) = key.rsplit_once('/')?;
    let numbered = !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit());
    (numbered && page.matches('/').count() >= 2).then_some(page)
}

/// Reads the page's headline links (see [`in_teaser_link`]) from the whole
/// page, before content detection keeps only the article: it may drop a
/// "Read more" list's headlines and keep their pictures.
pub(crate) fn note_headline_links(root: &NodeRef, base: &Base) {
    base.headline_links(|| headline_targets(root, base));
}

/// The keys of the pages the headline links under `root` go to.
fn headline_targets(root: &NodeRef, base: &Base) -> std::collections::HashSet<String> {
    root.descendants_it()
        .filter(|a| a.has_name("a") && is_headline(a))
        .filter_map(|a| a.attr("href").and_then(|h| base.resolve(&h)))
        .map(|h| resource_key(&h, ResourceKind::Link))
        .collect()
}

/// Whether a link reads as a headline: two words or more.
fn is_headline(link: &NodeRef) -> bool {
    link.text().split_whitespace().nth(1).is_some()
}

/// Whether an image is a typeset formula, not a picture: its `alt` is TeX
/// (`{\displaystyle A^{\mathsf {H}}}`, `\lambda _{j}`) or a TeX renderer
/// made it (MediaWiki's `/math/render/`, `latex.php`, `latex.codecogs.com`).
/// A formula has no caption to miss.
fn is_formula(alt: Option<&str>, src: &str) -> bool {
    let tex = alt.is_some_and(|a| {
        a.contains("^{")
            || a.contains("_{")
            || a.split('\\')
                .skip(1)
                .any(|w| w.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
    });
    tex || url::Url::parse(src).is_ok_and(|u| {
        let path = u.path().to_ascii_lowercase();
        path.contains("/math/render/")
            || path.ends_with("/latex.php")
            || path.ends_with(".latex")
            || u.host_str().is_some_and(|h| h.starts_with("latex."))
    })
}

/// Whether `node` is inside a link to the page's author (`rel="author"`,
/// a few levels up: a `<picture>` or a wrapper may stand between).
fn in_author_link(node: &NodeRef) -> bool {
    node.ancestors_it(Some(4)).any(|a| {
        a.has_name("a")
            && a.attr("rel").is_some_and(|r| {
                r.split_ascii_whitespace()
                    .any(|t| t.eq_ignore_ascii_case("author"))
            })
    })
}

/// The text of `node` as a reader sees it: its blocks (a caption's
/// paragraphs, a credit's lines) apart, not run together as the DOM's text
/// content runs them ("…in 2023.Credit…"), and without what is not text
/// (buttons, scripts).
pub(super) fn text_norm(node: &NodeRef) -> String {
    let mut text = String::new();
    let mut stack = vec![Step::Enter(*node)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Leave { block, .. } => {
                if block {
                    text.push(' ');
                }
            }
            Step::Enter(n) if n.is_text() => text.push_str(&n.text()),
            Step::Enter(n) => {
                let r = n.qual_name_ref().map_or(Role::Inline, |q| role(&q.local));
                if r == Role::Skip {
                    continue;
                }
                let block = r != Role::Inline;
                if block {
                    text.push(' ');
                }
                stack.push(Step::Leave {
                    block,
                    kind: false,
                    meta: false,
                });
                push_children(&mut stack, &n);
            }
        }
    }
    normalize_text(&text)
}

/// Levels above an image where its `<figure>` (and that figure's caption)
/// is looked for: Medium sets an image six wrappers deep in its figure.
const FIGURE_DEPTH: usize = 8;

/// The caption and credit of an image: a `figcaption` of its `figure`, a
/// caption- or credit-classed element of its container, or the caption
/// block right after it.
fn caption_and_credit(img: &NodeRef) -> (Option<String>, Option<String>) {
    let mut caption: Option<String> = None;
    let mut credit: Option<String> = None;
    // A `<picture>` around the image (with its `<source>` alternatives) is
    // the image itself: it stands where a bare `<img>` would.
    let img = &img
        .parent()
        .filter(|p| local_name(p).as_deref() == Some("picture"))
        .unwrap_or(*img);
    // The containers to search: ancestors up to the figure (however deep a
    // lazy loader's wrappers set the image in it) or 3 levels.
    // Each with whether it is the image's own (its figure, a
    // caption-classed wrapper) or may hold it among other things (its
    // parent or grandparent: the article's body, often).
    let mut containers: Vec<(NodeRef, bool)> = Vec::new();
    for (depth, anc) in img.ancestors_it(Some(FIGURE_DEPTH)).enumerate() {
        let name = local_name(&anc).unwrap_or_default();
        let is_figure = name == "figure";
        let captioned = depth < 4 && is_caption_class(&class_id(&anc));
        if is_figure || depth < 2 || captioned {
            containers.push((anc, is_figure || captioned));
        }
        if is_figure || matches!(name.as_str(), "article" | "main" | "body") {
            break;
        }
    }
    for (container, own) in &containers {
        for d in container.descendants_it() {
            if !d.is_element() || d.id == img.id {
                continue;
            }
            let name = local_name(&d).unwrap_or_default();
            if matches!(name.as_str(), "img" | "source") || is_ancestor(&d, img) {
                continue;
            }
            let ci = class_id(&d);
            let is_caption = caption.is_none() && (name == "figcaption" || is_caption_class(&ci));
            let is_credit =
                !is_caption && credit.is_none() && is_credit_class(&ci) && !is_articles_byline(&d);
            // Another figure's caption or credit is not this image's, however
            // close the two figures stand.
            if (is_caption || is_credit)
                && (in_other_figure(&d, container, img) || !own && !beside(&d, container, img))
            {
                continue;
            }
            if is_caption {
                caption = Some(text_norm(&d)).filter(|t| !t.is_empty());
            } else if is_credit {
                // A label beside the byline ("5 min read" in a
                // `byline-meta` element) names no one.
                // A label after the name goes.
                credit = Some(text_norm(&d))
                    .map(|t| super::provenance::without_label(&t).to_owned())
                    .filter(|t| !t.is_empty() && t.chars().count() <= 150 && !promo::is_label(t));
            }
        }
        if caption.is_some() {
            break;
        }
    }
    // Adjacent blocks after the image (or after its innermost container):
    // a caption-classed block, or a short credit line.
    if caption.is_none() || credit.is_none() {
        let anchor = containers
            .first()
            .map(|(c, _)| c)
            .filter(|c| c.element_children().len() == 1)
            .copied()
            .unwrap_or(*img);
        let mut sib = anchor.next_element_sibling();
        let mut seen = 0;
        while let Some(s) = sib {
            seen += 1;
            if seen > 3 {
                break;
            }
            let ci = class_id(&s);
            let text = text_norm(&s);
            if text.is_empty() {
                sib = s.next_element_sibling();
                seen -= 1;
                continue;
            }
            if credit.is_none() && text.chars().count() <= 150 {
                if let Some(c) = credit_from_text(&text) {
                    if c == text || is_credit_class(&ci) && !is_articles_byline(&s) {
                        credit = Some(c);
                        sib = s.next_element_sibling();
                        continue;
                    }
                }
            }
            if caption.is_none()
                && (is_caption_class(&ci) || local_name(&s).as_deref() == Some("figcaption"))
            {
                caption = Some(text);
            }
            break;
        }
    }
    (caption, credit)
}

/// Whether a credit-classed element (`article-byline`) is the article's
/// byline, not a photo's: it links to its writer's page (`rel="author"`,
/// `itemprop="author"`) or dates the article (`<time>`), as no photo
/// credit does.
fn is_articles_byline(n: &NodeRef) -> bool {
    n.descendants_it().any(|d| {
        d.has_name("time")
            || ["rel", "itemprop"].iter().any(|a| {
                d.attr(a).is_some_and(|v| {
                    v.split_ascii_whitespace()
                        .any(|t| t.eq_ignore_ascii_case("author"))
                })
            })
    })
}

/// Whether `d` (inside `container`) is in a `<figure>` that does not hold
/// `img`: the caption or credit of another picture.
fn in_other_figure(d: &NodeRef, container: &NodeRef, img: &NodeRef) -> bool {
    std::iter::once(*d)
        .chain(d.ancestors_it(None).take_while(|a| a.id != container.id))
        .any(|a| a.has_name("figure") && !is_ancestor(&a, img))
}

/// Siblings looked through for an image's caption set apart from it (a
/// share bar between them).
const NEAR_SIBLINGS: usize = 3;

/// Whether `d`, in a `container` that holds `img` among other things, is
/// beside it: in the same child of the container, or in one a few
/// siblings off ([`NEAR_SIBLINGS`], no other picture between: a credit
/// line under a photo set in a paragraph) showing no picture of its own
/// and only captions and credits. Another picture's caption, or an audio
/// player's credit line beside its button, is not the image's.
fn beside<'a>(d: &NodeRef<'a>, container: &NodeRef<'a>, img: &NodeRef<'a>) -> bool {
    let branch = |n: &NodeRef<'a>| -> Option<NodeRef<'a>> {
        std::iter::once(*n)
            .chain(n.ancestors_it(None))
            .find(|a| a.parent().is_some_and(|p| p.id == container.id))
    };
    let (Some(at), Some(mine)) = (branch(d), branch(img)) else {
        return false;
    };
    if at.id == mine.id {
        return true;
    }
    let pictured = |b: &NodeRef<'a>| {
        b.descendants_it()
            .any(|x| x.has_name("img") || x.has_name("picture") || x.has_name("video"))
    };
    // Within a few siblings either way, no other picture between.
    let reach = |step: fn(&NodeRef<'a>) -> Option<NodeRef<'a>>| {
        let mut sib = step(&mine);
        for _ in 0..NEAR_SIBLINGS {
            let Some(b) = sib else { return false };
            if b.id == at.id {
                return true;
            }
            if pictured(&b) {
                return false;
            }
            sib = step(&b);
        }
        false
    };
    let next_to = reach(NodeRef::next_element_sibling) || reach(NodeRef::prev_element_sibling);
    // All its words are captions' and credits' (a caption and its credit
    // under a photo), none a widget's own ("Listen to this article").
    let labelled = |n: &NodeRef<'a>| {
        std::iter::once(*n)
            .chain(n.ancestors_it(None).take_while(|a| a.id != container.id))
            .any(|a| {
                a.has_name("figcaption") || {
                    let ci = class_id(&a);
                    is_caption_class(&ci) || is_credit_class(&ci)
                }
            })
    };
    let only_captions = at
        .descendants_it()
        .filter(|t| t.is_text() && t.text().chars().any(char::is_alphanumeric))
        .all(|t| labelled(&t));
    next_to && !pictured(&at) && only_captions
}

fn is_ancestor(a: &NodeRef, of: &NodeRef) -> bool {
    of.ancestors_it(Some(64)).any(|x| x.id == a.id)
}

#[cfg(test)]
mod tests {
    use crate::extract::{extract, ExtractOptions};

    /// A long paragraph of running text.
    const PROSE: &str = "The council met on Tuesday to discuss the harbour plan, which has \
                         divided residents for years and drawn objections from fishermen.";

    #[test]
    fn a_list_of_links_to_places_of_the_page_is_no_text() {
        let page = |nav: &str| {
            format!(
                "<html><body><article><p>{PROSE}</p>{nav}<p>{PROSE} Again.</p>\
                 <p>{PROSE} Once more.</p></article></body></html>"
            )
        };
        let events = "<div><h2>Key events</h2><ul>\
                      <li><a href=\"#block-1\"><time>2h ago</time> Vote delayed until evening</a></li>\
                      <li><a href=\"#block-2\"><time>3h ago</time> Minister arrives for talks</a></li>\
                      </ul></div>";
        assert_eq!(article_text(&page(events)), article_text(&page("")));
        // Links elsewhere, or words of their own, are the article's.
        let sources = "<ul><li><a href=\"https://e.org/report\">The council's report on the harbour</a></li>\
                       <li><a href=\"https://e.org/minutes\">Minutes of the meeting in March</a></li></ul>";
        assert!(article_text(&page(sources)).contains("Minutes of the meeting"));
        let steps = "<ol><li>First <a href=\"#s1\">the survey</a> of the wall</li>\
                     <li>Then <a href=\"#s2\">the vote</a> on the plan</li></ol>";
        assert!(article_text(&page(steps)).contains("Then the vote on the plan"));
    }

    /// The article text of a page's HTML.
    fn article_text(html: &str) -> String {
        match extract(
            html.as_bytes(),
            Some("text/html"),
            "https://x.example/a",
            &ExtractOptions::default(),
        ) {
            Ok(doc) => doc.text(),
            Err(e) => panic!("does not extract: {e}"),
        }
    }

    /// The article text of a page whose paragraph `odd` is marked up as
    /// `tag`, between long paragraphs.
    fn text_with(tag: &str, odd: &str) -> String {
        let para = format!("<p>{PROSE}</p>");
        let name = tag.split_whitespace().next().unwrap_or(tag);
        let html = format!(
            "<html><head><title>Harbour</title></head><body><article>{p}{p}{p}\
             <{tag}>{odd}</{name}>{p}{p}{p}</article></body></html>",
            p = para.repeat(2)
        );
        article_text(&html)
    }

    /// A link's text is its words as shown: no style sheet or script set
    /// in it, its lines and labels apart ("First Person I escaped …", not
    /// ".label{color: red}First PersonI escaped …").
    #[test]
    fn link_text_is_the_words_shown() {
        let para = format!("<p>{PROSE}</p>").repeat(4);
        let html = format!(
            "<html><head><title>Harbour</title></head><body><article>{para}\
             <div>See <a href=\"/b\"><style>.label{{color: red}}</style><span \
             class=\"label\">First Person</span><div>I escaped</div><script>x()</script></a>\
             and <a href=\"/c\">the plan<div>Read more</div></a>.</div>{para}</article></body></html>"
        );
        let doc = extract(
            html.as_bytes(),
            Some("text/html"),
            "https://x.example/a",
            &ExtractOptions::default(),
        )
        .map_err(|e| e.to_string());
        let texts: Vec<(String, String)> = doc
            .iter()
            .flat_map(|d| &d.links)
            .map(|l| (l.href.clone(), l.text.clone()))
            .collect();
        assert_eq!(
            texts,
            [
                (
                    "https://x.example/b".to_owned(),
                    "First Person I escaped".to_owned()
                ),
                (
                    "https://x.example/c".to_owned(),
                    "the plan Read more".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn a_short_paragraph_with_a_link_is_kept_whether_p_or_div() {
        let odd = "The <a href=\"https://x.example/spec\">harbour plan</a> is set out \
                   in three parts:";
        let as_p = text_with("p", odd);
        assert!(as_p.contains("is set out in three parts:"), "{as_p}");
        assert_eq!(text_with("div", odd), as_p);
        assert_eq!(text_with("div class=\"paragraph\"", odd), as_p);
    }

    /// A heading's permalink ("¶", "#") is not the heading's words; a link
    /// to a place on the page that has words stays.
    #[test]
    fn permalinks_are_not_words() {
        let para = format!("<p>{PROSE}</p>");
        let page = |h2: &str| {
            article_text(&format!(
                "<html><head><title>Harbour</title></head><body><article>{p}{p}\
                 <h2 id=\"vote\">The vote{h2}</h2>{p}{p}<p>See <a href=\"#vote\">the \
                 vote</a> above.</p></article></body></html>",
                p = para.repeat(2)
            ))
        };
        let plain = page("");
        assert!(plain.contains("\nThe vote\n"), "{plain}");
        assert!(plain.contains("See the vote above."), "{plain}");
        for mark in ["¶", "#", " § ", "🔗", ""] {
            let with = format!("<a class=\"headerlink\" href=\"#vote\">{mark}</a>");
            assert_eq!(page(&with), plain, "{mark}");
        }
        assert_ne!(page("<a href=\"#vote\">(results)</a>"), plain);
    }

    /// The article text of a page whose paragraphs are each set in `open`
    /// and `close` (empty: bare `<p>`).
    fn text_wrapped(open: &str, close: &str) -> String {
        let para = PROSE;
        let lines = [
            para,
            para,
            "Source: <a href=\"https://x.example/report\">Harbour authority annual report</a>",
            para,
            "The <a href=\"https://x.example/spec\">harbour plan</a> is set out in three parts:",
            para,
            para,
        ];
        let body: String = lines
            .iter()
            .map(|l| format!("{open}<p>{l}</p>{close}"))
            .collect();
        let html = format!(
            "<html><head><title>Harbour</title></head><body><article>{body}</article></body></html>"
        );
        article_text(&html)
    }

    /// A template that sets each paragraph in a block of its own keeps
    /// every paragraph, the linked ones too.
    #[test]
    fn paragraphs_each_in_a_block_of_their_own_are_the_same_article() {
        let bare = text_wrapped("", "");
        assert_eq!(bare.lines().count(), 7, "{bare}");
        assert_eq!(text_wrapped("<div class=\"block\">", "</div>"), bare);
        assert_eq!(
            text_wrapped(
                "<div class=\"rich-text\"><div class=\"block\">",
                "</div></div>"
            ),
            bare
        );
    }

    /// A line that is all or mostly a link (a source, a transcript) is the
    /// article's whether the template sets it as `<p>` or as `<div>`.
    #[test]
    fn a_linked_line_is_kept_whether_p_or_div() {
        for odd in [
            "Source: <a href=\"https://x.example/report\">Harbour authority annual report</a>",
            "<a href=\"https://x.example/t\">Read the full transcript of the meeting</a>",
            "<em>Photo: <a href=\"https://x.example/p\">Jane Roe</a></em>",
            // A link with its icon ("opens in a new tab"), set in SVG.
            "Our standards: <a href=\"https://x.example/trust\">The Trust Principles.<svg \
             viewBox=\"0 0 24 24\"><path d=\"M14 3v2h3.6l-9.8 9.8 1.4 1.4L19 6.4V10h2V3z\">\
             </path></svg></a>",
        ] {
            let as_p = text_with("p", odd);
            assert_eq!(as_p.lines().count(), 13, "{as_p}");
            assert_eq!(text_with("div class=\"paragraph\"", odd), as_p);
            assert_eq!(text_with("div", odd), as_p);
        }
    }

    /// A template that sets every paragraph as a `div` sets those holding
    /// a picture, or a custom element around a reference, so too: the same
    /// article as with `<p>`, pictures and links included.
    #[test]
    fn paragraphs_set_as_divs_with_pictures_and_custom_elements_are_the_same_article() {
        let page = |open: &str, close: &str| {
            let lines = [
                PROSE,
                PROSE,
                "<a href=\"https://shop.example/item/7\">https://shop.example/item/7</a> \
                 <img src=\"/p/charger.jpg\" alt=\"\">",
                PROSE,
                "Binge eating is the most common eating disorder (<hl-trusted-source \
                 source=\"PubMed\"><a href=\"https://x.example/ref/1\">1</a></hl-trusted-source>).",
                PROSE,
                PROSE,
            ];
            let body: String = lines.iter().map(|l| format!("{open}{l}{close}")).collect();
            crate::extract::extracted(&format!(
                "<html><head><title>Harbour</title></head><body><article>{body}</article></body></html>"
            ))
        };
        let as_p = page("<p>", "</p>");
        let as_div = page("<div class=\"paragraph\">", "</div>");
        assert_eq!(as_p.blocks.len(), 7, "{}", as_p.text());
        let pictures: Vec<&str> = as_p.images.iter().map(|i| i.src.as_str()).collect();
        assert_eq!(pictures, ["https://x.example/p/charger.jpg"]);
        assert_eq!(as_div.blocks, as_p.blocks);
        assert_eq!(as_div.images, as_p.images);
        assert_eq!(as_div.links, as_p.links);
    }

    /// Among paragraphs set as divs, a div of their class with a picture
    /// is a paragraph; a box of another class with a picture and words is
    /// not, nor is a picture's div among `<p>`s.
    #[test]
    fn a_picture_div_is_a_paragraph_only_among_paragraph_divs_of_its_class() {
        let names = |html: &str| {
            let dom = dom_query::Document::from(html);
            super::paragraph_divs(&dom);
            dom.select("body > *")
                .nodes()
                .iter()
                .map(|n| n.node_name().map(|t| t.to_string()).unwrap_or_default())
                .collect::<Vec<_>>()
        };
        let para = "<div class=\"paragraph\">The council met on Tuesday.</div>";
        let pictured =
            "<div class=\"paragraph\"><a href=\"/s\">Charger</a> <img src=\"/c.jpg\"></div>";
        let boxed =
            "<div class=\"code-block\"><img src=\"/logo.png\"> Dear reader: support us.</div>";
        assert_eq!(
            names(&format!("{para}{pictured}{boxed}{para}")),
            ["p", "p", "div", "p"]
        );
        assert_eq!(
            names(&format!(
                "<p>The council met.</p>{pictured}<p>It voted.</p>"
            )),
            ["p", "div", "p"]
        );
    }
}
