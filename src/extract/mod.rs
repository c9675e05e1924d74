//! The `extract` stage: the bytes of a page → [`Document`].
//!
//! Pure and deterministic: the same bytes, content type, URL and options give
//! the same `Document`. One HTML5 parse (html5ever's tree builder fed by
//! html5gum's tokenizer, see [`parse`], into a `dom_query` tree)
//! serves the metadata, the content detection (`dom_smoothie`, a port of
//! Mozilla's Readability) and the block walk.
//!
//! Steps: [`decode`] (WHATWG charset rules) → parse → page metadata (title,
//! meta, canonical, JSON-LD) → `ignore` selectors removed → article root
//! (the `selector`, or content detection narrowed to the element holding
//! all its prose paragraphs, see [`anchor`]) → blocks, images, links →
//! `ignore` patterns → provenance (claims, bylines) from the blocks.

pub mod decode;
pub mod normalize;

mod anchor;
mod author_note;
mod breaks;
mod byline_element;
mod content;
mod depth;
mod footnote;
mod headline;
mod hover_card;
mod meta;
mod parse;
pub(crate) mod promo;
mod provenance;
mod rejoin;
mod scope;
mod share;
mod sign_up;
mod tokens;
mod urls;

use std::panic::{catch_unwind, AssertUnwindSafe};

use dom_query::{Matcher, NodeRef};
use regex::Regex;

pub use decode::{decode, DecodeSource, Decoded};
use normalize::unspaced;
pub use normalize::{fold, normalize_text};
pub(crate) use provenance::iso as iso_date;
pub use provenance::{credit_from_text, parse_date};

use crate::diff::resource::{resource_key, ResourceKind};
use crate::model::{Block, BlockKind, Claim, ClaimKind, Document, Image, Link, SCHEMA_VERSION};

/// Version of the extraction and normalisation rules. Bump when the output
/// for the same input changes; it is recorded in every manifest.
pub const EXTRACTOR_VERSION: &str = "stet-extract/49";

/// Per-target control of extraction.
#[derive(Debug, Clone, Default)]
pub struct ExtractOptions {
    /// CSS selector of the article body; overrides content detection.
    pub selector: Option<String>,
    /// CSS selectors of elements removed before extraction.
    pub ignore_selectors: Vec<String>,
    /// Regexes: matching text is removed from blocks (emptied blocks are dropped).
    pub ignore_patterns: Vec<String>,
}

impl From<&crate::model::ExtractSettings> for ExtractOptions {
    fn from(s: &crate::model::ExtractSettings) -> Self {
        ExtractOptions {
            selector: s.selector.clone(),
            ignore_selectors: s.ignore_selectors.clone(),
            ignore_patterns: s.ignore_patterns.clone(),
        }
    }
}

/// What can make extraction fail: only bad options. Bad pages give a
/// `Document` with notes instead.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("invalid CSS selector {selector:?}")]
    InvalidSelector { selector: String },
    #[error("invalid ignore pattern {pattern:?}: {}", regex_message(source))]
    InvalidPattern {
        pattern: String,
        #[source]
        source: regex::Error,
    },
}

/// Options compiled once.
struct Compiled {
    selector: Option<(String, Matcher)>,
    ignore: Vec<Matcher>,
    patterns: Vec<Regex>,
}

fn compile(opts: &ExtractOptions) -> Result<Compiled, ExtractError> {
    let matcher = |s: &str| {
        Matcher::new(s).map_err(|_| ExtractError::InvalidSelector {
            selector: s.to_owned(),
        })
    };
    Ok(Compiled {
        selector: match &opts.selector {
            Some(s) => Some((s.clone(), matcher(s)?)),
            None => None,
        },
        ignore: opts
            .ignore_selectors
            .iter()
            .map(|s| matcher(s))
            .collect::<Result<_, _>>()?,
        patterns: opts
            .ignore_patterns
            .iter()
            .map(|p| {
                Regex::new(p).map_err(|source| ExtractError::InvalidPattern {
                    pattern: p.clone(),
                    source,
                })
            })
            .collect::<Result<_, _>>()?,
    })
}

/// Whether extraction can use these options (selectors that parse,
/// patterns that compile): what a configuration is checked with before
/// anything runs.
pub fn check_options(opts: &ExtractOptions) -> Result<(), ExtractError> {
    compile(opts).map(|_| ())
}

/// Notes a reader of the Document should know about.
pub const NOTE_NO_ARTICLE: &str = "no article content found";

fn empty_document() -> Document {
    Document {
        schema_version: SCHEMA_VERSION,
        extractor_version: EXTRACTOR_VERSION.to_owned(),
        ..Document::default()
    }
}

/// What the body of a response is, from its content type and first bytes.
#[derive(Debug, PartialEq, Eq)]
enum BodyKind {
    Html,
    Plain,
    Binary,
}

/// The media type of a `Content-Type` value, lower-cased, without its
/// parameters.
pub fn mime_essence(content_type: Option<&str>) -> Option<String> {
    let ct = content_type?;
    let essence = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    (!essence.is_empty()).then_some(essence)
}

/// Magic numbers of common binary formats.
fn has_binary_magic(bytes: &[u8]) -> bool {
    const MAGIC: &[&[u8]] = &[
        b"\x89PNG",
        b"GIF8",
        b"\xFF\xD8\xFF",
        b"%PDF-",
        b"PK\x03\x04",
        b"\x1F\x8B",
        b"BM",
        b"RIFF",
        b"\x00\x00\x01\x00",
        b"OggS",
        b"ID3",
        b"fLaC",
        b"\x7FELF",
        b"MZ",
        b"wOFF",
        b"wOF2",
        b"\x28\xB5\x2F\xFD",
        b"BZh",
        b"\xFD7zXZ",
        b"7z\xBC\xAF",
    ];
    MAGIC.iter().any(|m| bytes.starts_with(m)) || (bytes.len() >= 12 && &bytes[4..8] == b"ftyp")
}

/// True when the first bytes are not text: a binary magic number, or NUL
/// and other control bytes where no UTF-16 encoding explains them.
fn looks_binary(bytes: &[u8], content_type: Option<&str>) -> bool {
    if has_binary_magic(bytes) {
        return true;
    }
    let (enc, _) = decode::sniff(bytes, content_type);
    if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        return false;
    }
    let head = &bytes[..bytes.len().min(8192)];
    let controls = head
        .iter()
        .filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B)))
        .count();
    head.contains(&0) || controls * 20 > head.len().max(1)
}

fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .chars()
        .take(4096)
        .collect::<String>()
        .to_ascii_lowercase();
    [
        "<!doctype",
        "<html",
        "<head",
        "<body",
        "<meta",
        "<title",
        "<p>",
        "<p ",
        "<div",
        "<article",
        "<h1",
        "<br",
        "<a ",
        "<table",
        "<script",
        "<!--",
        "<?xml",
    ]
    .iter()
    .any(|t| head.contains(t))
}

fn body_kind(bytes: &[u8], content_type: Option<&str>) -> BodyKind {
    let essence = mime_essence(content_type);
    if let Some(e) = &essence {
        let texty = e.starts_with("text/")
            || e == "application/xhtml+xml"
            || e == "application/xml"
            || e.ends_with("+xml");
        if !texty {
            return BodyKind::Binary;
        }
    }
    if looks_binary(bytes, content_type) {
        return BodyKind::Binary;
    }
    match essence.as_deref() {
        Some("text/plain") => BodyKind::Plain,
        Some(_) => BodyKind::Html,
        None => BodyKind::Html, // decided after decoding, see `extract`
    }
}

/// The `Content-Type` stet reads a body that declares none as (a local
/// file's): `text/html` or `text/plain`, with the charset it decodes it
/// by, as [`extract`] reads it; `None` for a body that is not text.
pub fn undeclared_content_type(bytes: &[u8]) -> Option<String> {
    if body_kind(bytes, None) == BodyKind::Binary {
        return None;
    }
    let decoded = decode(bytes, None);
    let essence = if looks_like_html(&decoded.text) {
        "text/html"
    } else {
        "text/plain"
    };
    Some(format!("{essence}; charset={}", decoded.encoding))
}

/// Bytes of a page (any charset) → Document. `content_type` is the HTTP
/// header if any; `base_url` the page's final URL (or `file://` URL).
pub fn extract(
    bytes: &[u8],
    content_type: Option<&str>,
    base_url: &str,
    opts: &ExtractOptions,
) -> Result<Document, ExtractError> {
    let compiled = compile(opts)?;
    let kind = body_kind(bytes, content_type);
    if kind == BodyKind::Binary {
        let mut doc = empty_document();
        doc.notes
            .push(format!("{NOTE_NO_ARTICLE}: body is not text"));
        return Ok(doc);
    }
    let decoded = decode(bytes, content_type);
    let plain = kind == BodyKind::Plain
        || (mime_essence(content_type).is_none() && !looks_like_html(&decoded.text));
    let mut doc = if plain {
        plain_document(&decoded.text, &compiled)
    } else {
        html_document(&decoded.text, base_url, &compiled)
    };
    if decoded.had_errors {
        doc.notes.push(format!(
            "invalid byte sequences for {} replaced with U+FFFD",
            decoded.encoding
        ));
    }
    if let Some(declared) = decoded.declared {
        doc.notes.push(format!(
            "declared as {declared}, but the bytes are UTF-8: read as UTF-8"
        ));
    }
    if decoded.source == DecodeSource::Detected {
        doc.notes.push(format!(
            "encoding {} detected (none declared)",
            decoded.encoding
        ));
    }
    Ok(doc)
}

/// Decoded HTML → Document.
pub fn extract_html(
    html: &str,
    base_url: &str,
    opts: &ExtractOptions,
) -> Result<Document, ExtractError> {
    let compiled = compile(opts)?;
    Ok(html_document(html, base_url, &compiled))
}

fn plain_document(text: &str, opts: &Compiled) -> Document {
    let mut doc = empty_document();
    let mut para: Vec<&str> = Vec::new();
    let mut blocks = Vec::new();
    for line in text.lines().chain(std::iter::once("")) {
        if line.trim().is_empty() {
            // Lines of a paragraph join with a space (what normalisation
            // makes of the line break anyway).
            let t = match para.as_slice() {
                [] => String::new(),
                [one] => normalize_text(one),
                lines => normalize_text(&lines.join(" ")),
            };
            if !t.is_empty() {
                blocks.push(Block {
                    kind: BlockKind::Paragraph,
                    text: t,
                });
            }
            para.clear();
        } else {
            para.push(line);
        }
    }
    doc.blocks = apply_patterns(blocks, &opts.patterns);
    for b in &doc.blocks {
        doc.claims.extend(provenance::claims_in(&b.text, None));
    }
    if doc.blocks.is_empty() {
        doc.notes.push(format!("{NOTE_NO_ARTICLE}: empty text"));
    }
    doc
}

fn apply_patterns(blocks: Vec<Block>, patterns: &[Regex]) -> Vec<Block> {
    if patterns.is_empty() {
        return blocks;
    }
    blocks
        .into_iter()
        .filter_map(|mut b| {
            for p in patterns {
                if p.is_match(&b.text) {
                    b.text = normalize_text(&p.replace_all(&b.text, " "));
                }
            }
            (!b.text.is_empty()).then_some(b)
        })
        .collect()
}

/// Pages with more elements skip content detection (whose cost grows faster
/// than linearly) for a linear walk, and say so. The largest page of the
/// measured corpora has about 10,000.
const MAX_ELEMENTS: usize = 12_000;

enum Detected {
    /// Title, byline, the article's walk, its links when known, and the
    /// images of its lead photos (see [`anchor::lead_media`]).
    Article(
        String,
        Option<String>,
        content::Walked,
        Option<Vec<Link>>,
        Vec<Image>,
    ),
    TooLarge(content::Walked),
    Nothing,
}

fn html_document(html: &str, base_url: &str, opts: &Compiled) -> Document {
    let mut doc = empty_document();
    let (html, flattened) = depth::limit_depth(html);
    if flattened {
        doc.notes.push(format!(
            "markup nested deeper than {} levels was flattened",
            depth::MAX_DEPTH
        ));
    }
    let dom = parse::document(&html);
    let pm = meta::page_meta(&dom, base_url);
    let base = pm.base.clone().unwrap_or_else(|| base_url.to_owned());
    let resolver = urls::Base::of_page(
        &base,
        [
            Some(base_url),
            pm.canonical.as_deref(),
            pm.meta.get("og:url").map(String::as_str),
        ]
        .into_iter()
        .flatten(),
    );

    for m in &opts.ignore {
        dom.select_matcher(m).remove();
    }
    // The headline as the page shows it, before furniture is taken out
    // (a sticky header may hold it): within the selected elements when a
    // selector says where the article is.
    let titles: Vec<&str> = [
        pm.title_tag.as_deref(),
        pm.meta.get("og:title").map(String::as_str),
    ]
    .into_iter()
    .flatten()
    .chain(pm.json_ld.iter().filter_map(|l| l.headline.as_deref()))
    .collect();
    let roots: Vec<NodeRef> = match &opts.selector {
        Some((_, m)) => dom.select_matcher(m).nodes().to_vec(),
        None => vec![dom.root()],
    };
    doc.headline = headline::headline(&roots, &titles);
    content::amp_images(&dom);
    content::unwrap_pictures(&dom);
    footnote::mark_references(&dom);
    let split_off = breaks::split_paragraphs(&dom);
    content::plain_author_rel(&dom);
    if opts.selector.is_none() {
        hover_card::remove_hover_cards(&dom, &resolver);
        sign_up::remove_sign_up_boxes(&dom);
        content::paragraph_divs(&dom);
        rejoin::join_split_bodies(&dom);
        content::remove_light_furniture(&dom);
        content::paragraph_wrappers(&dom);
    }
    let descriptions: Vec<&str> = crate::model::descriptions(&pm.meta).collect();
    // The standfirst once the light furniture is out (a heading's
    // permalink, a share bar set in it).
    doc.standfirst = doc
        .headline
        .as_deref()
        .and_then(|h| headline::standfirst(&roots, h, &descriptions));

    // The picture of the block that sets the headline, when the page sets
    // the lead photo there (see [`headline::hero_block`]): one photo, not a
    // row of icons, and not a placeholder for one loaded later.
    let hero: Vec<Image> = match (&opts.selector, doc.headline.as_deref()) {
        (None, Some(h)) => headline::hero_block(&roots, h)
            .map(|b| content::walk(&[b], &resolver, content::Furniture::Light).images)
            .filter(|i| matches!(i.as_slice(), [one] if one.src.starts_with("http")))
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let mut readability_title = None;
    let mut readability_byline = None;
    // The links inside the article's container (see [`scope`]), when known.
    let mut article_links: Option<Vec<Link>> = None;
    // The article's lead photos, outside the element holding its text.
    let mut lead_images: Vec<Image> = Vec::new();
    // `walked` gives the article text; `aux`, when set, is the article
    // container around it, which gives images, links and claims.
    let (walked, aux) = if let Some((sel, m)) = &opts.selector {
        let roots: Vec<NodeRef> = dom.select_matcher(m).nodes().to_vec();
        // Matches nested in other matches are walked with their ancestor.
        let ids: std::collections::BTreeSet<_> = roots.iter().map(|n| n.id).collect();
        let roots: Vec<NodeRef> = roots
            .into_iter()
            .filter(|n| !n.ancestors_it(None).any(|a| ids.contains(&a.id)))
            .collect();
        if roots.is_empty() {
            doc.notes.push(format!("selector matched nothing: {sel}"));
        }
        (
            content::walk(&roots, &resolver, content::Furniture::Keep),
            None,
        )
    } else {
        // Article containers, walked before content detection takes the
        // tree: Readability often keeps the body and loses the header and
        // lead figure (the origin line, the photo and its credit) beside it.
        let outline = scope::Outline::record(&dom);
        let containers: Vec<content::Walked> = outline
            .containers()
            .iter()
            .take(6)
            .filter_map(|id| dom.tree.get(id))
            .map(|n| content::walk(&[n], &resolver, content::Furniture::Full))
            .collect();
        let cfg = dom_smoothie::Config {
            keep_classes: true,
            max_elements_to_parse: MAX_ELEMENTS,
            ..Default::default()
        };
        content::note_headline_links(&dom.root(), &resolver);
        content::remove_pointers(&dom);
        // Read before detection, which takes its own byline element out.
        let byline_element = byline_element::find(&dom);
        let url = resolver.is_url().then_some(base.as_str());
        let result = catch_unwind(AssertUnwindSafe(|| {
            let Ok(mut r) = dom_smoothie::Readability::with_document(dom, url, Some(cfg)) else {
                return Detected::Nothing;
            };
            match r.parse() {
                Ok(article) => {
                    let root = r.doc.select("#readability-page-1");
                    let roots: Vec<NodeRef> = root.nodes().to_vec();
                    for root in &roots {
                        content::restore_figures(root);
                    }
                    let light = content::Furniture::Light;
                    let (walked, lead) = match roots.as_slice() {
                        [root] => match anchor::prose_root(root, &outline, &split_off) {
                            Some(p) => (
                                content::walk(&anchor::with_notices(root, p), &resolver, light),
                                content::lead_pictures(
                                    &anchor::lead_media(root, p, &outline),
                                    &resolver,
                                ),
                            ),
                            None => (
                                content::walk(&roots, &resolver, light),
                                content::lead_pictures(
                                    &anchor::lead_media_left(root, &outline, &split_off),
                                    &resolver,
                                ),
                            ),
                        },
                        _ => (content::walk(&roots, &resolver, light), Vec::new()),
                    };
                    let links = outline.article_links(&roots, &resolver);
                    Detected::Article(article.title, article.byline, walked, links, lead)
                }
                Err(dom_smoothie::ReadabilityError::TooManyElements(..)) => {
                    // Linear fallback: the first article-like container, or
                    // the body, without page furniture.
                    let root = r
                        .doc
                        .select("article, [itemprop=articleBody], main, body")
                        .nodes()
                        .first()
                        .copied();
                    let walked = root.map_or_else(content::Walked::default, |n| {
                        content::walk(&[n], &resolver, content::Furniture::Full)
                    });
                    Detected::TooLarge(walked)
                }
                Err(_) => Detected::Nothing,
            }
        }));
        match result {
            Ok(Detected::Article(title, byline, walked, links, lead)) => {
                lead_images = if lead.is_empty() { hero } else { lead };
                readability_title = Some(title);
                // Detection's byline, unless it names no one (a reading
                // time, an empty name): then the first byline element
                // that does.
                readability_byline = byline
                    .filter(|b| byline_element::names_someone(b))
                    .or(byline_element);
                // Nothing but links (a menu, a link list) is not an article.
                let text_len: usize = walked.blocks.iter().map(|b| b.raw_len).sum();
                let link_len: usize = walked.links.iter().map(|l| l.text.len()).sum();
                let walked = if link_len * 10 >= text_len * 9 {
                    content::Walked::default()
                } else {
                    walked
                };
                let mut containers = containers;
                if !walked.blocks.is_empty() {
                    article_links = links;
                }
                let cov = Coverage::of(&walked, &containers);
                match wider_article(&walked, &containers, &cov) {
                    Some(i) => (containers.swap_remove(i), None),
                    None => {
                        let aux = container_of(&cov).map(|i| containers.swap_remove(i));
                        (walked, aux)
                    }
                }
            }
            Ok(Detected::TooLarge(walked)) => {
                doc.notes.push(format!(
                    "page has more than {MAX_ELEMENTS} elements: content detection skipped, \
                     article container or body used without page furniture"
                ));
                (walked, None)
            }
            Ok(Detected::Nothing) => (content::Walked::default(), None),
            Err(_) => {
                doc.notes
                    .push("content detection failed on this page; no article text".to_owned());
                (content::Walked::default(), None)
            }
        }
    };

    let (all_blocks, block_links, mut furniture) = finish_blocks(walked.blocks, &opts.patterns);
    let mut byline_lines: Vec<String> = Vec::new();
    if opts.selector.is_none() {
        let site: Vec<&str> = [
            Some(base_url),
            pm.canonical.as_deref(),
            pm.meta.get("og:url").map(String::as_str),
        ]
        .into_iter()
        .flatten()
        .collect();
        mark_promos(
            &all_blocks,
            &block_links,
            &walked.links,
            &site,
            &mut furniture,
        );
        let authors = author_note::Authors::new(
            readability_byline
                .as_deref()
                .into_iter()
                .chain(metadata_authors(&pm)),
        );
        let images = aux.as_ref().map_or(&walked.images, |a| &a.images);
        mark_notes(&all_blocks, &authors, images, &mut furniture);
        byline_lines = mark_bylines(&all_blocks, &mut furniture);
    }
    let blocks: Vec<Block> = all_blocks
        .iter()
        .zip(&furniture)
        .filter(|(_, &f)| !f)
        .map(|(b, _)| b.clone())
        .collect();
    // Provenance reads the metadata lines (bylines, date stamps) too.
    let (links, images, prov_blocks, prov_links) = match aux {
        Some(a) => {
            let (b, l, _) = finish_blocks(a.blocks, &opts.patterns);
            (a.links, a.images, b, l)
        }
        None => (walked.links, walked.images, all_blocks, block_links),
    };

    // Provenance from the blocks.
    let n = prov_blocks.len();
    let mut sign_offs = Vec::new();
    for (i, (b, bl)) in prov_blocks.iter().zip(&prov_links).enumerate() {
        let url = bl
            .first()
            .and_then(|&li| links.get(li))
            .map(|l| l.href.as_str());
        doc.claims.extend(provenance::claims_in(&b.text, url));
        // A quote's attribution ("— City Officials (@cityofficials)
        // February 12, 2024", an embedded post's) signs the quote, not the
        // article.
        if i + 4 >= n && b.kind != BlockKind::Quote {
            if let Some(s) = provenance::sign_off(&b.text) {
                sign_offs.push(s);
            }
        }
    }
    // A bare URL at the end of the article is where an origin claim points.
    if let Some(last_url) = prov_blocks
        .iter()
        .rev()
        .take(3)
        .find(|b| is_bare_url(&b.text))
        .map(|b| b.text.clone())
    {
        for c in &mut doc.claims {
            if c.kind == ClaimKind::OriginallyPublished && c.url.is_none() {
                c.url = resolver.resolve(&last_url);
            }
        }
    }
    for ld in &pm.json_ld {
        if let Some(b) = &ld.is_based_on {
            doc.claims.push(Claim {
                kind: ClaimKind::IsBasedOn,
                text: b.clone(),
                publisher: None,
                date: None,
                url: resolver.resolve(b),
            });
        }
    }

    let mut bylines: Vec<String> = Vec::new();
    let named: Vec<&str> = metadata_authors(&pm).collect();
    let mut add_byline = |s: &str| {
        let s = normalize_text(s);
        let s = s
            .strip_prefix("By ")
            .or_else(|| s.strip_prefix("by "))
            .unwrap_or(&s)
            .trim();
        let s = provenance::byline_names(s, &named).to_owned();
        // The same name in capitals (a byline set in small caps, a
        // sign-off) or other quotes is the same writer.
        let key = normalize::name_key(&s);
        if !s.is_empty() && !bylines.iter().any(|b| normalize::name_key(b) == key) {
            bylines.push(s);
        }
    };
    if let Some(b) = &readability_byline {
        add_byline(b);
    }
    for s in sign_offs.iter().chain(&byline_lines) {
        add_byline(s);
    }

    doc.title = readability_title
        .map(|t| meta::whole_dash(normalize_text(&t), pm.title_tag.as_deref()))
        .filter(|t| !t.is_empty())
        .or_else(|| pm.json_ld.iter().find_map(|l| l.headline.clone()))
        .or_else(|| pm.meta.get("og:title").cloned())
        .or_else(|| pm.title_tag.clone());
    // "Brian Spegele" (meta) is part of "Brian Spegele, with contributions
    // from Josh Chin" (sign-off): keep the fuller one.
    let all = bylines.clone();
    bylines.retain(|b| !all.iter().any(|o| o != b && o.contains(b.as_str())));
    // The authors, whose own pictures are no pictures of the article.
    let authors = author_note::Authors::new(
        bylines
            .iter()
            .map(String::as_str)
            .chain(metadata_authors(&pm)),
    );
    doc.bylines = bylines;
    doc.canonical_url = pm.canonical;
    doc.meta = pm.meta;
    doc.json_ld = pm.json_ld;
    doc.lang = pm.lang;
    // One entry per picture (by resource identity), as in a walk.
    let picture = |i: &Image| resource_key(&i.src, ResourceKind::Image);
    let listed: std::collections::BTreeSet<String> = images.iter().map(picture).collect();
    lead_images.retain(|l| !listed.contains(&picture(l)));
    lead_images.extend(images);
    lead_images.retain(|i| i.caption.is_some() || !authors.pictured(i.alt.as_deref(), &i.src));
    doc.images = lead_images;
    doc.links = article_links.unwrap_or(links);
    doc.blocks = blocks;
    if doc.blocks.is_empty() && opts.selector.is_none() {
        doc.notes.push(NOTE_NO_ARTICLE.to_owned());
    }
    doc
}

/// The authors a page's metadata names: its JSON-LD, then its `<meta>`
/// tags.
fn metadata_authors(pm: &meta::PageMeta) -> impl Iterator<Item = &str> {
    let meta = ["author", "parsely-author", "sailthru.author"]
        .into_iter()
        .filter_map(|k| pm.meta.get(k).map(String::as_str));
    pm.json_ld
        .iter()
        .flat_map(|l| l.authors.iter().map(String::as_str))
        .chain(meta)
}

/// Normalised blocks (ignore patterns applied, empty ones dropped), the
/// links of each, and whether each is page metadata rather than text.
fn finish_blocks(
    raw: Vec<content::RawBlock>,
    patterns: &[Regex],
) -> (Vec<Block>, Vec<Vec<usize>>, Vec<bool>) {
    let mut blocks = Vec::with_capacity(raw.len());
    let mut links = Vec::with_capacity(raw.len());
    let mut furniture = Vec::with_capacity(raw.len());
    for rb in raw {
        let mut text = rb.text;
        for p in patterns {
            if p.is_match(&text) {
                text = normalize_text(&p.replace_all(&text, " "));
            }
        }
        if text.is_empty() {
            continue;
        }
        furniture.push(rb.furniture);
        blocks.push(Block {
            kind: rb.kind,
            text,
        });
        links.push(rb.links);
    }
    (blocks, links, furniture)
}

/// Marks as furniture the calls to action and rights lines (see
/// [`promo`]), each block judged on its own.
fn mark_promos(
    blocks: &[Block],
    block_links: &[Vec<usize>],
    links: &[crate::model::Link],
    site: &[&str],
    furniture: &mut [bool],
) {
    let hosts: Vec<String> = site.iter().filter_map(|u| promo::site_of(u)).collect();
    for ((b, l), f) in blocks.iter().zip(block_links).zip(furniture.iter_mut()) {
        let linked: usize = l
            .iter()
            .filter_map(|&i| links.get(i))
            .map(|k| k.text.len())
            .sum();
        let to_this_site = || {
            l.iter()
                .filter_map(|&i| links.get(i))
                .all(|k| promo::is_page_of(&k.href, &hosts))
        };
        if promo::is_promo(&b.text, !l.is_empty())
            || promo::is_label(&b.text)
            || promo::is_widget_line(&b.text)
            || promo::is_pointer(&b.text, || linked)
            || (b.kind == BlockKind::Paragraph && promo::is_teaser(&b.text, linked))
            || (b.kind == BlockKind::ListItem
                && promo::is_headline_link(&b.text, linked)
                && to_this_site())
        {
            *f = true;
        }
    }
}

/// Marks the bylines set as paragraphs of their own ("By Jane Roe") as
/// furniture, and returns their names: they say who wrote the article, not
/// what it says.
fn mark_bylines(blocks: &[Block], furniture: &mut [bool]) -> Vec<String> {
    let mut names = Vec::new();
    for (b, f) in blocks.iter().zip(furniture.iter_mut()) {
        if b.kind != BlockKind::Paragraph {
            continue;
        }
        if let Some(n) = provenance::byline(&b.text) {
            *f = true;
            names.push(n);
        }
    }
    names
}

/// Marks as furniture what is about the article rather than the article:
/// photo captions (each image keeps its own, see [`content`]; in the text
/// they would report a caption edit twice) and the author's name and note
/// (see [`author_note`]). Each block is judged on its own. A caption stays
/// in the text unless an image of the article carries all its words (its
/// caption and credit): words in no image would otherwise be in no field,
/// and an edit of them would go unreported.
fn mark_notes(
    blocks: &[Block],
    authors: &author_note::Authors,
    images: &[Image],
    furniture: &mut [bool],
) {
    // Most pages have no caption block: nothing to compare then.
    let has_captions = blocks.iter().any(|b| b.kind == BlockKind::Caption);
    let images = if has_captions { images } else { &[] };
    let carried: Vec<String> = images
        .iter()
        .flat_map(|i| {
            let (caption, credit) = (i.caption.as_deref(), i.credit.as_deref());
            let (caption, credit) = (caption.unwrap_or_default(), credit.unwrap_or_default());
            [
                unspaced(&format!("{caption}{credit}")),
                unspaced(&format!("{credit}{caption}")),
            ]
        })
        .filter(|s| !s.is_empty())
        .collect();
    for (b, f) in blocks.iter().zip(furniture.iter_mut()) {
        let caption_of_an_image = || {
            let text = unspaced(&b.text);
            carried.iter().any(|c| c.contains(&text))
        };
        if (b.kind == BlockKind::Caption && caption_of_an_image()) || authors.is_note(&b.text) {
            *f = true;
        }
    }
}

/// How much of what content detection found each article container holds.
struct Coverage {
    /// The found blocks' text, normalised, one block a line.
    found: String,
    /// Bytes of the found blocks' text (blocks empty once normalised left
    /// out).
    total: usize,
    /// Per container: the bytes of its text, one block a line, and the
    /// bytes of found blocks that appear in it.
    containers: Vec<(usize, usize)>,
}

impl Coverage {
    fn of(found: &content::Walked, containers: &[content::Walked]) -> Coverage {
        let texts: Vec<&str> = found
            .blocks
            .iter()
            .filter(|b| !b.furniture)
            .map(|b| b.text.as_str())
            .filter(|t| !t.is_empty())
            .collect();
        let total = texts.iter().map(|t| t.len()).sum();
        let containers = containers
            .iter()
            .map(|c| {
                let lines: Vec<&str> = c.blocks.iter().map(|b| b.text.as_str()).collect();
                let joined = lines.join("\n");
                // A found block equal to one of the container's is in its
                // text; only the others need a search.
                let whole: rustc_hash::FxHashSet<&str> = lines.iter().copied().collect();
                let here = texts
                    .iter()
                    .filter(|t| whole.contains(*t) || joined.contains(*t))
                    .map(|t| t.len())
                    .sum();
                (joined.len(), here)
            })
            .collect();
        Coverage {
            found: texts.join("\n"),
            total,
            containers,
        }
    }
}

/// Characters of a block from which it counts as prose.
pub(crate) const PROSE_CHARS: usize = 120;

/// Prose blocks of a walk: long, not furniture, mostly not link text.
fn prose(w: &content::Walked) -> impl Iterator<Item = &str> + '_ {
    w.blocks.iter().filter_map(|b| {
        if b.furniture {
            return None;
        }
        let t = b.text.as_str();
        let linked: usize = b
            .links
            .iter()
            .filter_map(|&i| w.links.get(i))
            .map(|l| l.text.len())
            .sum();
        (t.len() >= PROSE_CHARS && linked * 5 < t.len()).then_some(t)
    })
}

/// An article container that holds what content detection found and much
/// more prose besides: an article whose body the page splits into several
/// sections (chunks between ad rails, the entries of a live blog), of
/// which detection took one. The container, walked without page furniture,
/// is then the article.
fn wider_article(
    found: &content::Walked,
    containers: &[content::Walked],
    cov: &Coverage,
) -> Option<usize> {
    if cov.total == 0 {
        return None;
    }
    let found_prose: std::collections::BTreeSet<&str> = prose(found).collect();
    let mut best: Option<(usize, usize)> = None;
    for (i, (c, &(len, here))) in containers.iter().zip(&cov.containers).enumerate() {
        if here * 10 < cov.total * 9 {
            continue;
        }
        // Normalised text has no line breaks: a prose block is inside a
        // found block exactly when it is inside their lines.
        let extra: usize = prose(c)
            .filter(|t| !found_prose.contains(t) && !cov.found.contains(t))
            .map(|t| t.len())
            .sum();
        if extra * 2 >= cov.total && best.is_none_or(|(_, l)| len < l) {
            best = Some((i, len));
        }
    }
    best.map(|(i, _)| i)
}

/// The article container that holds (nearly) all of what content detection
/// found and not much more, if any.
fn container_of(cov: &Coverage) -> Option<usize> {
    if cov.total == 0 {
        return None;
    }
    let total = cov.total;
    let mut best: Option<(usize, usize, usize)> = None;
    for (i, &(len, here)) in cov.containers.iter().enumerate() {
        let fits = here * 10 >= total * 9 && len <= total * 2 + 2000;
        if fits && best.is_none_or(|(bc, bl, _)| here > bc || (here == bc && len < bl)) {
            best = Some((here, len, i));
        }
    }
    best.map(|(_, _, i)| i)
}

fn is_bare_url(s: &str) -> bool {
    (s.starts_with("http://") || s.starts_with("https://")) && !s.contains(' ')
}

/// A regex error on one line. The regex crate's syntax errors take several
/// lines (the pattern, a line of carets under the fault, `error: …`), which
/// would reach the terminal as escaped `\u{a}`s: keep the message, and the
/// text under the carets.
pub fn regex_message(e: &regex::Error) -> String {
    let text = e.to_string();
    let lines: Vec<&str> = text.lines().collect();
    let Some(message) = lines.iter().rev().find_map(|l| l.strip_prefix("error: ")) else {
        return lines
            .iter()
            .map(|l| l.trim())
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
    };
    let at = lines.windows(2).find_map(|w| {
        let (start, end) = (w[1].find('^')?, w[1].rfind('^')? + 1);
        w[1].trim_start().starts_with('^').then(|| {
            w[0].chars()
                .skip(start)
                .take(end - start)
                .collect::<String>()
        })
    });
    match at {
        Some(at) if !at.trim().is_empty() => format!("{message} (at `{at}`)"),
        _ => message.to_string(),
    }
}

#[cfg(test)]
mod regex_tests {
    use super::regex_message;

    #[test]
    fn regex_errors_are_one_line() {
        let cases = [
            ("[9-0] views", "invalid character class range"),
            ("(", "unclosed group"),
            ("a{5,2}", "invalid repetition"),
            ("\\p{Nope}", "Unicode property not found"),
        ];
        for (pattern, says) in cases {
            let Err(e) = regex::Regex::new(pattern) else {
                panic!("{pattern} compiled");
            };
            let m = regex_message(&e);
            assert!(!m.contains('\n'), "{m:?}");
            assert!(m.contains(says), "{pattern}: {m}");
        }
        // Through a variable: clippy checks literal patterns.
        let bad = String::from("[9-0]");
        let Err(e) = regex::Regex::new(&bad) else {
            panic!("compiled");
        };
        assert!(
            regex_message(&e).ends_with("(at `9-0`)"),
            "{}",
            regex_message(&e)
        );
        let Err(e) = regex::RegexBuilder::new("a{1000}{1000}")
            .size_limit(1000)
            .build()
        else {
            panic!("compiled");
        };
        assert!(!regex_message(&e).contains('\n'));
    }
}

/// The document of `html` as served at `https://x.example/a`, for tests.
#[cfg(test)]
pub(crate) fn extracted(html: &str) -> Document {
    match extract(
        html.as_bytes(),
        Some("text/html"),
        "https://x.example/a",
        &ExtractOptions::default(),
    ) {
        Ok(doc) => doc,
        Err(e) => panic!("does not extract: {e}"),
    }
}

#[cfg(test)]
mod byline_tests {
    use super::extracted;

    /// A paragraph of the article's running text.
    const PARA: &str = "<p>The council met on Tuesday to discuss the harbour plan, which has \
                        divided residents for years and drawn objections from fishermen.</p>";

    #[test]
    fn a_byline_box_added_before_the_text_is_a_byline_not_a_paragraph() {
        let page = |byline: &str| {
            format!(
                "<html><head><title>Harbour</title><meta name=\"author\" content=\"Ann Lee\">\
                 </head><body><article>{byline}{p}</article></body></html>",
                p = PARA.repeat(6)
            )
        };
        let before = extracted(&page(""));
        let after = extracted(&page(
            "<div class=\"byline\"><img class=\"avatar\" src=\"/authors/jane-doe.jpg\" \
             alt=\"Jane Doe\"> <span>By Jane Doe</span></div>",
        ));
        assert_eq!(after.text(), before.text());
        assert!(
            after.bylines.contains(&"Jane Doe".to_owned()),
            "{:?}",
            after.bylines
        );
    }

    #[test]
    fn a_writers_name_in_capitals_is_the_same_byline() {
        let page = |meta: &str, name: &str| {
            format!(
                "<html><head><title>Harbour</title><meta name=\"author\" content=\"{meta}\">\
                 </head><body><article><div class=\"byline\"><span>By \
                 <a href=\"/people/david-lauter\">{name}</a></span></div>{p}</article></body>\
                 </html>",
                p = PARA.repeat(6)
            )
        };
        let one = |meta: &str, name: &str| extracted(&page(meta, name)).bylines;
        assert_eq!(one("David Lauter", "David Lauter"), ["David Lauter"]);
        assert_eq!(one("David Lauter", "DAVID LAUTER").len(), 1);
        // Other quotes, or capitals outside ASCII: the same writer too.
        assert_eq!(one("Roisin O'Connor", "Roisin O\u{2019}Connor").len(), 1);
        assert_eq!(one("José Álvarez", "JOSÉ ÁLVAREZ").len(), 1);
    }

    /// The Los Angeles Times sets the author's title in a span right after
    /// the name's link, and Readability joins their texts: the byline is
    /// the name its JSON-LD gives, not "David LauterSenior Editor".
    #[test]
    fn a_title_in_the_element_after_the_name_is_not_part_of_the_byline() {
        let html = format!(
            "<html><head><title>Harbour</title><script type=\"application/ld+json\">\
             {{\"@type\":\"NewsArticle\",\"headline\":\"Harbour\",\
             \"author\":[{{\"@type\":\"Person\",\"name\":\"David Lauter\",\
             \"jobTitle\":\"Senior Editor\"}}]}}</script></head><body>\
             <article class=\"story\"><div class=\"byline\"><div class=\"authors\">\
             <div class=\"author-name\"><span class=\"byline-prefix\">By</span> \
             <a class=\"link\" href=\"/people/david-lauter\">David Lauter</a>\
             <span class=\"author-title\">Senior Editor&nbsp;</span></div></div></div>\
             {p}</article></body></html>",
            p = PARA.repeat(6)
        );
        assert_eq!(extracted(&html).bylines, ["David Lauter"]);
    }

    /// Detection takes the first byline element, whatever it says: a
    /// reading time in the byline's row is passed over for the name, and
    /// is no photo's credit either.
    #[test]
    fn a_reading_time_beside_the_byline_is_no_byline_and_no_credit() {
        let page = |minutes: u32| {
            format!(
                "<html><head><title>Harbour</title></head><body><article>\
                 <div><div><p class=\"byline-meta\"><span>{minutes} min read</span></p>\
                 <img src=\"/photos/harbour.jpg\" alt=\"The harbour\"></div></div>\
                 <p class=\"byline\">By <span class=\"author\">Sarah Lind</span></p>\
                 {p}</article></body></html>",
                p = PARA.repeat(6)
            )
        };
        for minutes in [5, 6] {
            let doc = extracted(&page(minutes));
            assert_eq!(doc.bylines, ["Sarah Lind"]);
            assert!(
                doc.images.iter().all(|i| i.credit.is_none()),
                "{:?}",
                doc.images
            );
        }
    }

    /// A redeploy that links the name inside the name's own link: the
    /// parser moves the inner link out of the `itemprop="name"` element,
    /// which is left empty. The byline is the element's.
    #[test]
    fn a_byline_whose_name_part_is_left_empty_is_read_whole() {
        let page = |name: &str| {
            format!(
                "<html><head><title>Harbour</title></head><body><article>\
                 <p itemprop=\"author\">By <a href=\"/column/jamelle-bouie\">\
                 <span itemprop=\"name\">{name}</span></a></p>{p}</article></body></html>",
                p = PARA.repeat(6)
            )
        };
        assert_eq!(extracted(&page("Jamelle Bouie")).bylines, ["Jamelle Bouie"]);
        assert_eq!(
            extracted(&page(
                "<a rel=\"author\" href=\"/author/jamelle-bouie\">Jamelle Bouie</a>"
            ))
            .bylines,
            ["Jamelle Bouie"]
        );
    }
}

#[cfg(test)]
mod caption_tests {
    use super::extracted;
    use crate::model::BlockKind;

    #[test]
    fn an_embedded_posts_attribution_is_no_byline() {
        let page = format!(
            "<html><body><article><p class=\"byline\">By Sarah Lind</p>{}\
             <blockquote class=\"twitter-tweet\"><p>We are monitoring the situation closely.</p>\
             &mdash; City Officials (@cityofficials) <a href=\"https://twitter.com/cityofficials/status/1\">February 12, 2024</a>\
             </blockquote></article></body></html>",
            paragraphs(4)
        );
        assert_eq!(extracted(&page).bylines, ["Sarah Lind"]);
    }

    /// `n` paragraphs of an article's prose.
    fn paragraphs(n: usize) -> String {
        let para = "The council met on Tuesday to discuss the harbour plan, which has divided \
                    residents for years and drawn objections from fishermen and shop owners.";
        (0..n)
            .map(|i| format!("<p>{para} Point {i}.</p>"))
            .collect()
    }

    fn page(figures: &str) -> String {
        let paras = paragraphs(6);
        format!(
            "<html><head><title>Harbour</title></head><body><article><h1>Harbour</h1>\
             {figures}{paras}</article></body></html>"
        )
    }

    /// The texts of a document's caption blocks.
    fn caption_blocks(doc: &crate::model::Document) -> Vec<String> {
        doc.blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Caption)
            .map(|b| b.text.clone())
            .collect()
    }

    /// Each image's address, caption and credit.
    fn image_lines(doc: &crate::model::Document) -> Vec<(&str, Option<&str>, Option<&str>)> {
        doc.images
            .iter()
            .map(|i| (i.src.as_str(), i.caption.as_deref(), i.credit.as_deref()))
            .collect()
    }

    /// Each image's address and caption.
    fn image_captions(doc: &crate::model::Document) -> Vec<(&str, Option<&str>)> {
        doc.images
            .iter()
            .map(|i| (i.src.as_str(), i.caption.as_deref()))
            .collect()
    }

    #[test]
    fn another_pictures_caption_or_a_widgets_credit_is_not_an_images() {
        let p = "<p>The council met on Tuesday to discuss the harbour plan, which has divided \
                 residents for years and drawn objections from fishermen and shop owners.</p>";
        let html = format!(
            "<html><head><title>Harbour</title></head><body><article><h1>Harbour</h1>\
             <div class=\"body\">{p}<p><img src=\"/wall.jpg\" alt=\"\"></p>\
             <p class=\"photo-credit\">Photo: Jane Roe</p>{p}{p}\
             <div class=\"audio-player\"><button>Listen to this article</button> <span>7:42</span>\
             <p class=\"audio-credit\">Audio generated by AI voice.</p></div>{p}\
             <div class=\"image-wrap\"><img src=\"/crane.jpg\" alt=\"A crane\">\
             <p class=\"caption\">A crane unloads containers.</p></div>{p}\
             <p><img src=\"/quay.jpg\" alt=\"\"></p>{p}</div></article></body></html>"
        );
        let doc = extracted(&html);
        assert_eq!(
            image_lines(&doc),
            vec![
                ("https://x.example/wall.jpg", None, Some("Photo: Jane Roe")),
                (
                    "https://x.example/crane.jpg",
                    Some("A crane unloads containers."),
                    None
                ),
                ("https://x.example/quay.jpg", None, None),
            ]
        );
    }

    /// The article's byline set under the lead photo, in an element
    /// named for a byline (`article-byline`), is the article's, not the
    /// photo's credit: it names the writer (`rel="author"`) and the date.
    #[test]
    fn the_articles_byline_under_a_photo_is_not_the_photos_credit() {
        let p = "<p>The council met on Tuesday to discuss the harbour plan, which has divided \
                 residents for years and drawn objections from fishermen and shop owners.</p>";
        let byline = |inner: &str| {
            format!(
                "<html><head><title>Harbour</title></head><body><article><header><h1>Harbour</h1>\
                 <div class=\"lead\"><img src=\"/harbour.jpg\" alt=\"\">\
                 <div class=\"article-byline\">{inner}</div></div></header>\
                 <div class=\"body\">{p}{p}{p}</div></article></body></html>"
            )
        };
        for inner in [
            "<a rel=\"author\" href=\"/staff/jane-roe/\">Jane Roe</a> \
             <time datetime=\"2024-03-02\">March 2 2024, 12:36 p.m.</time>",
            "<a rel=\"author\" href=\"/staff/jane-roe/\">Jane Roe</a>",
            "By Jane Roe <time datetime=\"2024-03-02\">March 2 2024</time>",
        ] {
            let doc = extracted(&byline(inner));
            assert_eq!(
                image_lines(&doc),
                vec![("https://x.example/harbour.jpg", None, None)],
                "{inner}"
            );
        }
        // A photo's own byline names the photographer.
        let doc = extracted(&byline("Photo: Ann Lee"));
        assert_eq!(
            image_lines(&doc),
            vec![(
                "https://x.example/harbour.jpg",
                None,
                Some("Photo: Ann Lee")
            )]
        );
    }

    #[test]
    fn an_amp_image_is_an_image() {
        let plain = page(
            "<figure><img src=\"/harbour.jpg\" alt=\"The harbour\" width=\"800\">\
             <figcaption>The harbour at dawn. Photo: Jane Roe</figcaption></figure>\
             <p><img src=\"/wall.gif\" alt=\"The new wall\"></p>",
        );
        let amp = page(
            "<figure><amp-img src=\"/harbour.jpg\" alt=\"The harbour\" width=\"800\" layout=\"responsive\">\
             <noscript><img src=\"/harbour-small.jpg\"></noscript></amp-img>\
             <figcaption>The harbour at dawn. Photo: Jane Roe</figcaption></figure>\
             <p><amp-anim src=\"/wall.gif\" alt=\"The new wall\"></amp-anim></p>",
        );
        let (plain, amp) = (extracted(&plain), extracted(&amp));
        assert_eq!(
            image_captions(&plain),
            vec![
                (
                    "https://x.example/harbour.jpg",
                    Some("The harbour at dawn. Photo: Jane Roe")
                ),
                ("https://x.example/wall.gif", None)
            ]
        );
        assert_eq!(image_captions(&amp), image_captions(&plain));
        assert_eq!(amp.blocks, plain.blocks);
    }

    #[test]
    fn a_caption_reads_as_its_lines_and_stays_with_its_image() {
        let html = page(
            "<figure><img src=\"/harbour.jpg\" alt=\"\"><figcaption><p>The harbour at dawn.</p>\
             <p>Photo: Jane Roe</p></figcaption></figure>",
        );
        let doc = extracted(&html);
        assert_eq!(
            image_lines(&doc),
            vec![(
                "https://x.example/harbour.jpg",
                Some("The harbour at dawn. Photo: Jane Roe"),
                Some("Photo: Jane Roe")
            )]
        );
        assert!(doc.blocks.iter().all(|b| b.kind != BlockKind::Caption));
    }

    /// A 1×1 beacon set just before a figure is no image of the article and
    /// does not take the figure's caption; an author's photo (by its path)
    /// is no image of the article either.
    #[test]
    fn a_tracking_pixel_and_an_authors_photo_are_not_the_articles_images() {
        let html = page(
            "<p>Harbour news <img src=\"https://pixel.example-analytics.net/b.gif?id=1\" \
             width=\"1\" height=\"1px\" alt=\"\"><figure><img src=\"/harbour.jpg\" alt=\"\">\
             <figcaption>The harbour at dawn.</figcaption></figure></p>\
             <div class=\"byline\"><img src=\"/img/authors/jane-roe-96x96.jpg\" alt=\"Jane Roe\">\
             By Jane Roe</div>",
        );
        assert_eq!(
            image_captions(&extracted(&html)),
            vec![(
                "https://x.example/harbour.jpg",
                Some("The harbour at dawn.")
            )]
        );
    }

    /// A picture shown twice (a small copy, then the figure with its
    /// caption) is one image, with the caption.
    #[test]
    fn a_picture_shown_again_with_its_caption_has_that_caption() {
        let html = page(
            "<p><img src=\"/harbour.jpg?w=300\" alt=\"The harbour\"></p>\
             <figure><img src=\"/harbour.jpg?w=1200\" alt=\"The harbour\">\
             <figcaption>The harbour at dawn. Photo: Jane Roe</figcaption></figure>",
        );
        let doc = extracted(&html);
        assert_eq!(
            image_captions(&doc),
            [(
                "https://x.example/harbour.jpg?w=300",
                Some("The harbour at dawn. Photo: Jane Roe")
            )]
        );
        assert_eq!(doc.images[0].credit.as_deref(), Some("Photo: Jane Roe"));
        // The caption is the image's, not a block of the text as well.
        assert_eq!(caption_blocks(&doc), Vec::<String>::new());
    }

    /// An uncaptioned photo straight under the article, beside another
    /// figure: the other figure's caption and credit are not the photo's.
    /// A caption that is the article's own child still is.
    #[test]
    fn another_figures_caption_is_not_lent_to_an_uncaptioned_image() {
        let html = page(
            "<img src=\"/lead.jpg\" alt=\"The harbour\">\
             <figure><img src=\"/promo.jpg\" alt=\"\"><figcaption>Subscribe to our magazine.\
             </figcaption><span class=\"credit\">Photo: Promo Desk</span></figure>",
        );
        let captioned =
            |doc: &crate::model::Document| -> Vec<(String, Option<String>, Option<String>)> {
                doc.images
                    .iter()
                    .map(|i| (i.src.clone(), i.caption.clone(), i.credit.clone()))
                    .collect()
            };
        assert_eq!(
            captioned(&extracted(&html)),
            vec![
                ("https://x.example/lead.jpg".to_owned(), None, None),
                (
                    "https://x.example/promo.jpg".to_owned(),
                    Some("Subscribe to our magazine.".to_owned()),
                    Some("Photo: Promo Desk".to_owned())
                ),
            ]
        );
        let html = page(
            "<img src=\"/lead.jpg\" alt=\"The harbour\">\
             <p class=\"caption\">The harbour at dawn.</p>",
        );
        assert_eq!(
            captioned(&extracted(&html)),
            vec![(
                "https://x.example/lead.jpg".to_owned(),
                Some("The harbour at dawn.".to_owned()),
                None
            )]
        );
    }

    #[test]
    fn a_caption_no_image_carries_stays_in_the_text() {
        // The picture is drawn by a script: no image holds the caption.
        let html = page(
            "<figure><div class=\"chart\"></div><figcaption>Votes cast for the plan, by ward.\
             </figcaption></figure>",
        );
        let doc = extracted(&html);
        assert_eq!(
            caption_blocks(&doc),
            vec!["Votes cast for the plan, by ward."]
        );
    }

    /// A metadata-classed element in running text (a company link classed
    /// `meta-org`, a date in a sentence) is the article's text; the same
    /// classes on a byline or date line of their own are its metadata.
    #[test]
    fn metadata_classes_in_a_sentence_are_text() {
        let html = page(
            "<p class=\"byline\">By <a class=\"author\" href=\"/jr\">Jane Roe</a> | \
             <time class=\"date\">May 1, 2024</time></p>\
             <p><a class=\"meta-org\" href=\"/yahoo\">Yahoo</a>\u{2019}s sale to \
             <a class=\"meta-org\" href=\"/vz\">Verizon</a> is a complicated beast, say \
             lawyers.</p><p>On <span class=\"date\">March 3</span>, the council voted to \
             approve the plan after a long debate.</p>",
        );
        let doc = extracted(&html);
        let texts: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            &texts[..2],
            [
                "Yahoo\u{2019}s sale to Verizon is a complicated beast, say lawyers.",
                "On March 3, the council voted to approve the plan after a long debate.",
            ]
        );
        assert!(!texts.iter().any(|t| t.contains("Jane Roe")), "{texts:?}");
    }

    /// The same picture shown twice, each copy behind its own cache key:
    /// one image, the first, whichever keys the page uses; the second
    /// copy's caption stays in the text either way.
    #[test]
    fn a_picture_shown_twice_is_one_image_whatever_its_cache_keys() {
        let figures = |a: &str, b: &str| {
            page(&format!(
                "<figure><img src=\"/chart.png{a}\" alt=\"Requests by hour\">\
                 <figcaption>Requests by hour</figcaption></figure>\
                 <figure><img src=\"/chart.png{b}\" alt=\"Errors at noon\">\
                 <figcaption>Errors at noon</figcaption></figure>"
            ))
        };
        let seen = |html: &str| {
            let doc = extracted(html);
            let images: Vec<(String, Option<String>)> = doc
                .images
                .iter()
                .map(|i| (i.src.clone(), i.caption.clone()))
                .collect();
            (images, caption_blocks(&doc))
        };
        let plain = seen(&figures("", ""));
        let keyed = seen(&figures("?itok=1a2b", "?itok=9f8e"));
        assert_eq!(
            plain,
            (
                vec![(
                    "https://x.example/chart.png".to_string(),
                    Some("Requests by hour".to_string())
                )],
                vec!["Errors at noon".to_string()]
            )
        );
        assert_eq!(
            keyed,
            (
                vec![(
                    "https://x.example/chart.png?itok=1a2b".to_string(),
                    Some("Requests by hour".to_string())
                )],
                plain.1
            )
        );
    }

    /// Logos, icons, avatars, spacers and player overlays, named so by their
    /// URL's path, are
    /// not the article's pictures (an audit would report each as a missing
    /// caption); an uncaptioned photo is, and so is a captioned picture
    /// whatever its file is called.
    #[test]
    fn logos_icons_avatars_portraits_and_teasers_are_not_article_images() {
        let doc = extracted(&page(
            "<div><p><img src=\"/images/logos/print.png\" alt=\"The Times\"></p></div>\
             <div><p><img src=\"/assets/site-logo-185x26.png\" alt=\"The Times\"></p></div>\
             <div><p><img src=\"/gallery/icons/ic_share.svg\" alt=\"\"></p></div>\
             <div><p><a href=\"https://www.blogger.com/post-edit.g?postID=9\">\
             <img class=\"icon-action\" src=\"https://resources.blogblog.com/img/icon18_edit_allbkg.gif\" alt=\"\">\
             </a></p></div>\
             <div><p><img src=\"/designimages/play_overlay.png\" alt=\"\"></p></div>\
             <div><p><img src=\"https://avatar.example/avatar/1d53?s=80\" alt=\"Jane Roe\"></p></div>\
             <div><p><img class=\"avatar\" src=\"/harbour.jpg\" width=\"16\" alt=\"The harbour\"></p></div>\
             <div><p><img class=\"wp-post-image\" src=\"/logo-row-getty.jpg\" alt=\"\"></p></div>\
             <div><p><img class=\"socialIcon\" src=\"/d/Social-Facebook-34.png\" \
             onclick=\"shareGDM('Facebook')\"></p></div>\
             <div><p><a rel=\"author\" href=\"/staff/jane-roe/\">\
             <img src=\"/uploads/2023/08/jane-roe-120x120.jpg\" alt=\"\"></a></p></div>\
             <div class=\"recommended-stories-element\"><a href=\"/sport/davis-cup/\">\
             <img src=\"/uploads/shapovalov-470x264.jpg\" alt=\"\">\
             <div class=\"recommended-stories-title\">Canada beats U.S.</div></a></div>\
             <div><p><a href=\"/uploads/harbour-night.jpg\">\
             <img src=\"/uploads/harbour-night-300x200.jpg\" alt=\"\"></a></p></div>\
             <figure><img src=\"/logo-dispute.jpg\" alt=\"The old logo\">\
             <figcaption>The logo at the heart of the dispute</figcaption></figure>",
        ));
        let images = image_captions(&doc);
        assert_eq!(
            images,
            [
                ("https://x.example/harbour.jpg", None),
                ("https://x.example/logo-row-getty.jpg", None),
                ("https://x.example/uploads/harbour-night-300x200.jpg", None),
                (
                    "https://x.example/logo-dispute.jpg",
                    Some("The logo at the heart of the dispute")
                ),
            ]
        );
    }

    /// Medium sets a lazy image six wrappers deep in its figure, beside an
    /// empty `<img>` and a `<noscript>` copy: the figure's caption is still
    /// the picture's.
    #[test]
    fn a_deeply_wrapped_picture_has_its_figures_caption() {
        let doc = extracted(&page(
            "<figure class=\"paragraph-image\"><div><div><div><div><div>\
             <img src=\"https://miro.medium.com/max/60/1*leak.png?q=20\" width=\"1894\" height=\"970\">\
             </div><img width=\"1894\" height=\"970\"><noscript><img \
             src=\"https://miro.medium.com/max/3788/1*leak.png\"></noscript></div></div></div></div>\
             <figcaption>Memory leak in action</figcaption></figure>",
        ));
        assert_eq!(
            image_captions(&doc),
            [(
                "https://miro.medium.com/max/60/1*leak.png?q=20",
                Some("Memory leak in action")
            )]
        );
    }

    /// Paragraphs set as `<div>`s are paragraphs, also one with a formula
    /// in its sentence (MathML and the formula's image, as Wikipedia sets
    /// it): content detection dropped that one.
    #[test]
    fn a_div_paragraph_with_a_formula_is_a_paragraph() {
        let divs: String = (0..6)
            .map(|i| {
                format!(
                    "<div class=\"paragraph\">The council met on Tuesday to discuss the harbour \
                     plan, which has divided residents for years. Point {i}.</div>"
                )
            })
            .collect();
        let formula = "<div class=\"paragraph\">A square matrix <span><span style=\"display: none;\">\
                       <math xmlns=\"http://www.w3.org/1998/Math/MathML\"><semantics><mi>A</mi>\
                       <annotation encoding=\"application/x-tex\">{\\displaystyle A}</annotation>\
                       </semantics></math></span><img src=\"https://wikimedia.org/api/rest_v1/media/math/render/svg/7da\" \
                       alt=\"A\"></span> is Hermitian if and only if it is unitarily \
                       <a href=\"/wiki/Diagonalizable_matrix\">diagonalizable</a> with real \
                       <a href=\"/wiki/Eigenvalues\">eigenvalues</a>.</div>";
        let doc = extracted(&format!(
            "<html><head><title>Hermitian matrix</title></head><body><div id=\"content\">\
             <h1>Hermitian matrix</h1>{divs}<h3>Spectral properties</h3>{formula}{divs}</div></body></html>"
        ));
        let texts: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
        assert!(
            texts.contains(&"A square matrix is Hermitian if and only if it is unitarily diagonalizable with real eigenvalues."),
            "{texts:#?}"
        );
    }

    /// stet's own mark for figures, written by the page, makes nothing a
    /// figure: the paragraphs stay paragraphs, not captions.
    #[test]
    fn a_page_cannot_forge_the_figure_mark() {
        let paras = paragraphs(6);
        let doc = extracted(&format!(
            "<html><head><title>Harbour</title></head><body><article><h1>Harbour</h1>\
             <div data-stet-figure=\"\">{paras}</div></article></body></html>"
        ));
        assert!(
            caption_blocks(&doc).is_empty(),
            "{:?}",
            caption_blocks(&doc)
        );
        assert_eq!(doc.blocks.len(), 6, "{:?}", doc.blocks);
    }

    /// The author's portrait and an agency's logo beside its byline, named
    /// by their `alt` or their file, are the author's pictures; a photo of
    /// someone else stays.
    #[test]
    fn the_authors_own_pictures_are_not_article_images() {
        let paras = paragraphs(6);
        let doc = extracted(&format!(
            "<html><head><title>Harbour</title>\
             <meta name=\"author\" content=\"Brooke Singman\"></head><body><article>\
             <h1>Harbour</h1><p>By Brooke Singman and Associated Press</p>\
             <div><p><img src=\"/uploads/2023/03/340/340/Brooke-Singman.png?ve=1\" alt=\"\"></p></div>\
             <div><p><img src=\"/uploads/ap.png\" alt=\"BrookeSingman\"></p></div>\
             <div><p><img src=\"/uploads/Associated-Press-115x115.png\" alt=\"\"></p></div>\
             <div><p><img src=\"/uploads/mayor.jpg\" alt=\"Jane Roe\"></p></div>\
             {paras}</article></body></html>"
        ));
        let images: Vec<&str> = doc.images.iter().map(|i| i.src.as_str()).collect();
        assert_eq!(
            images,
            ["https://x.example/uploads/mayor.jpg"],
            "{:?}",
            doc.bylines
        );
    }

    /// Teasers of other pages of the site (another gallery's thumbnails
    /// linked to its slides among them), formulas and flag icons are not
    /// the article's pictures; a photo linked to its album page, to
    /// another site or to the article itself is.
    #[test]
    fn teasers_formulas_and_icon_renditions_are_not_article_images() {
        let doc = extracted(&page(
            "<ul><li><a href=\"/news/other-story?mod=related\"><img src=\"/t/other-300x200.jpg\" alt=\"\"></a>\
             <h4><a href=\"/news/other-story?mod=related\">The council delays the vote</a></h4></li>\
             <li><a href=\"/news/third-story\"><img src=\"/t/third-300x200.jpg\" alt=\"\">\
             <span>A ferry for the winter</span></a></li></ul>\
             <div><p><a href=\"/album/photo/12345\"><img src=\"/p/bridge.jpg\" alt=\"\"></a></p></div>\
             <div><a href=\"/pictures/best-gifts/\">Best gifts for co-workers</a>\
             <a href=\"/pictures/best-gifts/\"><img src=\"/g/gift-1.jpg\" alt=\"\"></a>\
             <a href=\"/pictures/best-gifts/2/\"><img src=\"/g/gift-2.jpg\" alt=\"\"></a></div>\
             <div><a href=\"/photos\">Photo galleries</a><p><a href=\"/photos/12345\">\
             <img src=\"/p/ferry.jpg\" alt=\"\"></a></p></div>\
             <div><p><a href=\"https://shop.example/item/9\"><img src=\"/p/charger.jpg\" alt=\"\"></a>\
             <a href=\"https://shop.example/item/9\">Buy the charger here</a></p></div>\
             <div><p><a href=\"/a\"><img src=\"/p/lead.jpg\" alt=\"\"></a> <a href=\"/a\">Harbour at night</a></p></div>\
             <p>The matrix <img src=\"https://wikimedia.org/api/rest_v1/media/math/render/svg/28a0\" \
             alt=\"{\\displaystyle A^{\\mathsf {H}}}\"> is Hermitian; its inverse \
             <img src=\"/render/x.png\" alt=\"\\lambda _{j}\"> is too.</p>\
             <p>The rule <img src=\"https://s0.wp.com/latex.php?latex=x%5E2\" alt=\"x^2\"> and \
             <img src=\"https://latex.codecogs.com/png.latex?y\" alt=\"y\"> hold.</p>\
             <div><p><img src=\"/uploads/latex-gloves.jpg\" alt=\"\"></p></div>\
             <div><p><img src=\"https://upload.wikimedia.org/thumb/3/3e/Flag.svg/23px-Flag.svg.png\" alt=\"\">\
             <img src=\"https://upload.wikimedia.org/thumb/7/7b/Bridge.jpg/220px-Bridge.jpg\" alt=\"\"></p></div>",
        ));
        let images: Vec<&str> = doc.images.iter().map(|i| i.src.as_str()).collect();
        assert_eq!(
            images,
            [
                "https://x.example/p/bridge.jpg",
                "https://x.example/p/ferry.jpg",
                "https://x.example/p/charger.jpg",
                "https://x.example/p/lead.jpg",
                "https://x.example/uploads/latex-gloves.jpg",
                "https://upload.wikimedia.org/thumb/7/7b/Bridge.jpg/220px-Bridge.jpg",
            ]
        );
    }

    /// A page set like the Washington Post's: the lead photo at the head of
    /// the article's body, beside the element holding its paragraphs, and
    /// a byline with the writer's avatar.
    fn lead_photo_page(caption: &str) -> String {
        let paras = paragraphs(8);
        format!(
            "<html><head><title>Harbour</title></head><body><div class=\"menu\"><a href=\"/\">Home</a></div>\
             <div id=\"article-body\" class=\"article-body\">\
             <div class=\"inline-content inline-photo\"><img src=\"/photos/harbour.jpg\"><br>\
             <span class=\"pb-caption\">{caption}</span></div>\
             <div class=\"sig-line\"><span class=\"pb-byline\"><img src=\"/people/jane.jpg\">By Jane Roe</span></div>\
             <article>{paras}</article></div><div class=\"footer\">© Harbour News</div></body></html>"
        )
    }

    #[test]
    fn a_lead_photo_beside_the_articles_paragraphs_is_the_articles_and_so_is_its_caption() {
        let caption =
            "The mayor visits the harbour on Monday after the vote. (Jane Roe/Harbour News)";
        let doc = extracted(&lead_photo_page(caption));
        let images = image_captions(&doc);
        // Not the byline's avatar.
        assert_eq!(
            images,
            [("https://x.example/photos/harbour.jpg", Some(caption))]
        );
        // An edit of the caption is an edit of the document.
        let edited = extracted(&lead_photo_page(&caption.replace("visits", "tours")));
        assert_eq!(edited.blocks, doc.blocks);
        assert_eq!(
            edited.images[0].caption.as_deref(),
            Some("The mayor tours the harbour on Monday after the vote. (Jane Roe/Harbour News)")
        );
    }

    /// A writer's bio box as a template sets it under the article.
    const AUTHOR_BIO: &str = "<div class=\"author-bio\"><img src=\"/authors/jane-doe.jpg\" \
        alt=\"Jane Doe\"><p><strong>Jane Doe</strong> is a senior correspondent who covers \
        politics and the environment. She previously reported from Brussels and Nairobi.</p>\
        <a href=\"/authors/jane-doe\">More from Jane Doe</a></div>";

    /// A short article in its `<article>`, the lead photo above the body,
    /// with or without the writer's bio box under it.
    fn bio_page(bio: &str) -> String {
        let paras = paragraphs(7);
        format!(
            "<html><head><title>Harbour</title></head><body><nav><a href=\"/\">Home</a></nav>\
             <article class=\"story\"><h1>Council votes on the harbour</h1>\
             <div class=\"lead-art\"><img src=\"/photos/harbour.jpg\">\
             <p class=\"caption\">The harbour on Monday. (Jane Roe)</p></div>\
             <div class=\"story-body\">{paras}{bio}</div></article>\
             <footer>© Harbour News</footer></body></html>"
        )
    }

    #[test]
    fn a_bio_box_under_the_article_costs_it_no_photo() {
        let plain = extracted(&bio_page(""));
        let with_bio = extracted(&bio_page(AUTHOR_BIO));
        let lead = [(
            "https://x.example/photos/harbour.jpg",
            Some("The harbour on Monday. (Jane Roe)"),
        )];
        assert_eq!(image_captions(&plain), lead);
        // Content detection keeps the box's lines, which the article's
        // container leaves out as furniture: they are not counted against
        // the container, whose pictures are the article's.
        assert_eq!(image_captions(&with_bio), lead);
        assert_eq!(with_bio.blocks, plain.blocks);
    }

    /// A body with a "Most Read" box between its paragraphs, the box's
    /// title set as `label`.
    fn most_read_page(label: &str) -> String {
        let paras = paragraphs(8);
        let (first, rest) = paras.split_at(paras.len() / 2);
        format!(
            "<html><head><title>Harbour</title></head><body><article><h1>Harbour</h1>\
             <div class=\"body\">{first}<div class=\"most-read\"><div class=\"most-read__content\">\
             {label}<div class=\"most-read__promos\"><a href=\"/2024/storm\"><img src=\"/t/storm.jpg\">\
             <div class=\"most-read__title\">Storm hits the coast overnight</div></a>\
             <a href=\"/2024/ferry\"><img src=\"/t/ferry.jpg\"><div class=\"most-read__title\">Ferry \
             service resumes after repairs</div></a></div></div></div>{rest}</div></article></body></html>"
        )
    }

    #[test]
    fn a_box_of_other_articles_headlines_is_not_the_articles_text_whatever_its_title_markup() {
        let heading = extracted(&most_read_page("<h2>Most Read</h2>"));
        let bold = extracted(&most_read_page("<p><strong>Most Read</strong></p>"));
        assert_eq!(heading.blocks.len(), 8);
        assert!(heading
            .blocks
            .iter()
            .all(|b| b.text.starts_with("The council met")));
        // Content detection drops the box as a link list, and keeps its
        // title once it is a paragraph: the box goes before detection.
        assert_eq!(bold.blocks, heading.blocks);
        assert!(bold.images.is_empty() && heading.images.is_empty());
    }

    /// The article's links as `(href, text)`.
    fn link_pairs(doc: &crate::model::Document) -> Vec<(&str, &str)> {
        doc.links
            .iter()
            .map(|l| (l.href.as_str(), l.text.as_str()))
            .collect()
    }

    /// The body's one link, a source, in the second paragraph.
    const SOURCE_LINK: &str = "<p>The plan was set out in <a href=\"https://gov.example/plan.pdf\">the \
         council's report</a> last spring, and the vote is due next month after a consultation.</p>";

    const SOURCE_PAIR: (&str, &str) = ("https://gov.example/plan.pdf", "the council's report");

    #[test]
    fn a_numbered_box_of_headlines_is_furniture_however_many_it_ranks() {
        // Fifteen ranked headlines beside the body, inside the article: the
        // ranks ("1" … "15") are labels, not text of the box's own.
        let items: String = (1..=15)
            .map(|i| {
                format!(
                    "<li><span>{i}</span><h5><a href=\"/news/story-{i}.php\">Story number {i} \
                     of the day</a></h5></li>"
                )
            })
            .collect();
        let html = format!(
            "<html><head><title>Harbour</title></head><body><article><h1>Harbour</h1>\
             <div id=\"content\"><div class=\"article-body\">{}{SOURCE_LINK}{}</div>\
             <div class=\"article-rail\"><div class=\"most-popular\"><div class=\"header\">\
             <h2>Most Popular</h2></div><div class=\"content\"><ul>{items}</ul></div></div></div>\
             </div></article></body></html>",
            paragraphs(3),
            paragraphs(3)
        );
        let doc = extracted(&html);
        assert_eq!(link_pairs(&doc), [SOURCE_PAIR]);
        assert_eq!(doc.blocks.len(), 7);
    }

    #[test]
    fn a_box_of_the_sites_latest_headlines_is_furniture() {
        // CBS Sports' "Latest News" box under the body, in the article.
        let items: String = ["Manager fired after five years", "Expansion draft results"]
            .iter()
            .enumerate()
            .map(|(i, h)| {
                format!(
                    "<li><a href=\"/soccer/news/{i}/\"><img src=\"/t/{i}.jpg\"></a>\
                     <a href=\"/soccer/news/{i}/\">{h}</a></li>"
                )
            })
            .collect();
        let html = format!(
            "<html><head><title>Harbour</title></head><body><article><h1>Harbour</h1>\
             <div class=\"article-body\">{}{SOURCE_LINK}{}</div><div class=\"latest-news-box\">\
             <h3>Latest News</h3><ul class=\"latest-news-box-row\">{items}</ul></div>\
             </article></body></html>",
            paragraphs(3),
            paragraphs(3)
        );
        let doc = extracted(&html);
        assert_eq!(link_pairs(&doc), [SOURCE_PAIR]);
        assert!(doc.images.is_empty());
    }

    #[test]
    fn teaser_cards_set_as_articles_in_the_article_are_not_its_links() {
        // CNN's "More Videos" strip inside the story's `<article>`: each
        // card an `<article>` of its own, its picture and headline linked to
        // another story. A nested article is another one (HTML's rule);
        // outside any article container, an `<article>` may be this one's
        // header, and its links stay the article's.
        let cards: String = ["Trade talks going well", "Censors take on the league"]
            .iter()
            .enumerate()
            .map(|(i, h)| {
                format!(
                    "<div class=\"carousel__item\"><article class=\"cd cd--card\">\
                     <a href=\"/videos/{i}/\"><img src=\"/t/{i}.jpg\"></a>\
                     <h3 class=\"cd__headline\"><a href=\"/videos/{i}/\">{h}</a></h3>\
                     </article></div>"
                )
            })
            .collect();
        let html = format!(
            "<html><head><title>Harbour</title></head><body><article class=\"pg\">\
             <h1>Harbour</h1><div class=\"media-strip\">{cards}</div>\
             <div class=\"article-body\">{}{SOURCE_LINK}{}</div></article></body></html>",
            paragraphs(3),
            paragraphs(3)
        );
        assert_eq!(link_pairs(&extracted(&html)), [SOURCE_PAIR]);
        // The Spokesman's story: its header and byline in an `<article>`,
        // its text beside it in the same section.
        let html = format!(
            "<html><head><title>Harbour</title></head><body><section class=\"story\">\
             <article><h1>Harbour</h1><div class=\"byline\">\
             <a href=\"/staff/megan-rowe/\">Megan Rowe</a></div></article>\
             {}{SOURCE_LINK}{}</section></body></html>",
            paragraphs(3),
            paragraphs(3)
        );
        assert_eq!(
            link_pairs(&extracted(&html)),
            [
                ("https://x.example/staff/megan-rowe/", "Megan Rowe"),
                SOURCE_PAIR
            ]
        );
    }

    #[test]
    fn a_page_typed_as_an_article_as_a_whole_is_the_same_article() {
        // `<html itemtype=…/Article>`: the logo and menus above the article
        // and the links below it are in that "article", but are not the
        // article's images or links. Typed or not, the same document.
        let menu: String = ["World", "Business", "Opinion", "Tech", "Radio", "Video"]
            .iter()
            .map(|s| format!("<li><a href=\"/{}/\">{s}</a></li>", s.to_lowercase()))
            .collect();
        let page = |typed: &str| {
            format!(
                "<html{typed}><head><title>Harbour</title></head><body><div class=\"page\">\
                 <div class=\"topbar\"><a href=\"/\"><img src=\"/logo.svg\" alt=\"Harbour News\"></a>\
                 <ul>{menu}</ul></div><div class=\"header\"><h1>Council votes on the harbour</h1></div>\
                 <div class=\"main\"><div class=\"maincolumn\"><div class=\"lead\">{}</div>\
                 <div class=\"text\">{SOURCE_LINK}{}</div></div></div>\
                 <div class=\"bottom\"><a href=\"/archive/\">All news</a> \
                 <a href=\"/about/\">About us</a></div></div></body></html>",
                paragraphs(1),
                paragraphs(5)
            )
        };
        let plain = extracted(&page(""));
        let typed = extracted(&page(" itemscope itemtype=\"http://schema.org/Article\""));
        assert_eq!(link_pairs(&typed), [SOURCE_PAIR]);
        assert!(typed.images.is_empty(), "{:?}", typed.images);
        assert_eq!(typed.blocks, plain.blocks);
        assert_eq!(typed.images, plain.images);
        assert_eq!(typed.links, plain.links);
    }

    /// A page that sets its lead photo beside the headline in its header,
    /// away from the body; `header` goes in the header after the `<h1>`.
    fn hero_page(header: &str) -> String {
        format!(
            "<html><head><title>Council votes on the harbour</title></head><body>\
             <div class=\"page\"><div class=\"topbar\"><a href=\"/\">Home</a></div>\
             <div class=\"header\"><div class=\"article-header\"><h1>Council votes on the \
             harbour</h1>{header}</div></div><div class=\"main\"><div class=\"maincolumn\">\
             <div class=\"text\">{}</div></div></div></div></body></html>",
            paragraphs(6)
        )
    }

    #[test]
    fn a_lead_photo_beside_the_headline_in_the_pages_header_is_the_articles() {
        let photo = "<img src=\"/photos/harbour.jpg\" alt=\"Boats in the harbour\">";
        let doc = extracted(&hero_page(photo));
        assert_eq!(
            image_captions(&doc),
            [("https://x.example/photos/harbour.jpg", None)]
        );
        assert_eq!(doc.blocks, extracted(&hero_page("")).blocks);
        // A row of icons there (a share bar drawn with pictures) is none,
        // nor is a placeholder a script replaces.
        let icons: String = ["facebook", "twitter", "email"]
            .iter()
            .map(|i| format!("<img src=\"/img/{i}.png\">"))
            .collect();
        assert!(extracted(&hero_page(&icons)).images.is_empty());
        let placeholder = "<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"\">";
        assert!(extracted(&hero_page(placeholder)).images.is_empty());
    }

    #[test]
    fn a_lead_photo_in_the_pages_header_far_from_the_headline_is_the_articles() {
        // The Guardian's header: the photo in a `<figure>` of one branch,
        // the `<h1>` deep in another; a reporter's head shot beside the
        // byline there is no lead photo.
        let page = |media: &str| {
            format!(
                "<html><head><title>Council votes on the harbour</title></head><body>\
                 <header class=\"hdr\"><div class=\"a\"><div class=\"b\">{media}</div></div>\
                 <div class=\"c\"><section><div><div><div><h1>Council votes on the harbour</h1>\
                 </div></div></div></section></div></header><main><article><div class=\"text\">{}\
                 </div></article></main></body></html>",
                paragraphs(6)
            )
        };
        let photo = "<figure><picture><img src=\"/photos/harbour.jpg\" alt=\"Boats\"></picture>\
                     <figcaption>Boats in the harbour.</figcaption></figure>";
        let doc = extracted(&page(photo));
        assert_eq!(
            image_captions(&doc),
            [(
                "https://x.example/photos/harbour.jpg",
                Some("Boats in the harbour.")
            )]
        );
        let head_shot = "<div class=\"Author-authorInfo\">\
                         <img src=\"/api/v1/image/1040-BOORSTIN.jpg?w=60&amp;h=60\" alt=\"thumbnail\"></div>";
        assert!(extracted(&page(head_shot)).images.is_empty());
        assert_eq!(extracted(&page(head_shot)).blocks, doc.blocks);
    }

    /// A wire story as a broadcaster sets it: the photo and its caption in
    /// a block under the headline, the body two levels below, other
    /// stories' headlines beside it; `extra` goes under the body.
    fn wire_page(extra: &str) -> String {
        let paras = paragraphs(4);
        format!(
            "<html><head><title>Harbour</title></head><body><div class=\"menu\"><a href=\"/\">Home</a></div>\
             <div class=\"content-primary\"><section class=\"story\"><div class=\"element article\">\
             <h1>Council votes on the harbour</h1><div class=\"image top\"><img src=\"/photos/harbour.jpg\">\
             <p>In this file photo, fishing boats sit in the harbour on Monday, a day before the \
             council's vote on the plan. (Jane Roe/Harbour News)</p></div>\
             <div class=\"tools\"><a href=\"/print\">Print</a></div><div class=\"clearfix\">\
             <p class=\"s-data\">The Associated Press</p><div class=\"articleBody\">{paras}{extra}</div>\
             </div></div></section><div class=\"sideItems\"><h2>Top Video</h2><ul>\
             <li><a href=\"/v/1\">Storm hits the coast overnight</a></li>\
             <li><a href=\"/v/2\">Mayor answers questions</a></li></ul><h2>Don't Miss</h2><ul>\
             <li><a href=\"/n/1\">Hockey changes age names</a></li></ul></div></div>\
             <div class=\"footer\">© Harbour News</div></body></html>"
        )
    }

    #[test]
    fn a_lead_photo_is_the_articles_wherever_detection_stops() {
        let plain = extracted(&wire_page(""));
        let with_bio = extracted(&wire_page(AUTHOR_BIO));
        // Detection keeps the body alone; the photo block above it, left on
        // the page, is the article's, and its paragraph is the caption.
        let lead = [(
            "https://x.example/photos/harbour.jpg",
            Some(
                "In this file photo, fishing boats sit in the harbour on Monday, a day before \
                 the council's vote on the plan. (Jane Roe/Harbour News)",
            ),
        )];
        assert_eq!(image_captions(&plain), lead);
        // A bio box under the body moves none of it (on the real CTV
        // page it made detection keep the whole column, headline lists and
        // all: `tests/it/markup_stability.rs` holds that page).
        assert_eq!(image_captions(&with_bio), lead);
        assert_eq!(with_bio.blocks, plain.blocks);
        assert_eq!(plain.blocks.len(), 4);
    }

    /// An article set as the Washington Post set one: a gallery's promo
    /// picture at the head of the `<article>`, the paragraphs in an element
    /// of their own. `split`: the template closes the article before an ad
    /// slot mid-text and opens another after it.
    fn gallery_page(split: bool) -> String {
        let para = |i: usize| {
            format!(
                "<p>The council met on Tuesday to discuss the harbour plan, which has divided \
                 residents for years and drawn objections from fishermen. Point {i}.</p>"
            )
        };
        let first: String = (0..5).map(para).collect();
        let second: String = (5..10).map(para).collect();
        let ad = if split {
            "</div></article><div class=\"ad-wrapper\"><div id=\"div-gpt-ad-mid\" class=\"ad\"></div>\
             </div><article><div class=\"body\">"
        } else {
            ""
        };
        format!(
            "<html><head><title>Harbour</title></head><body><div class=\"menu\"><a href=\"/\">Home</a></div>\
             <article><div class=\"gallery\"><div class=\"gal-promo\"><span>Harbour in pictures</span>\
             <img src=\"/photos/harbour-gallery.jpg\"><div>View Photos</div></div></div>\
             <div class=\"body\">{first}{ad}{second}</div></article>\
             <div class=\"footer\">© Harbour News</div></body></html>"
        )
    }

    #[test]
    fn an_article_element_closed_and_opened_again_around_an_ad_is_one_article() {
        let whole = extracted(&gallery_page(false));
        let split = extracted(&gallery_page(true));
        assert_eq!(whole.blocks.len(), 10);
        assert_eq!(split.blocks, whole.blocks);
        assert_eq!(image_lines(&split), image_lines(&whole));
        assert_eq!(split.links, whole.links);
    }
}
