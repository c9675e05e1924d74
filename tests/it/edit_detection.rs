//! Noise and edits on real pages: Mozilla Readability's 130 test pages
//! (`../shared/corpus`), changed the ways publishers change pages.
//!
//! Noise (must give no substantive or minor change, in the text or in a
//! field), as redeploys make it:
//! - markup: whitespace between tags, tracking and A/B test attributes,
//!   hashed class names added, every class name renamed by a build (CSS
//!   modules, Next.js) or given a version suffix, `rel`/`target` on links,
//!   inline scripts and bundle names that change per build, JSON-LD
//!   written out another way, "last modified" stamps (JSON-LD, meta tags)
//!   moved by a re-save;
//! - asset and image URLs: cache busters on CSS/JS and images, CDN size and
//!   format parameters, a WordPress size suffix in the file name, the image
//!   re-encoded as WebP, `srcset`/`sizes`, `<picture>` with WebP/AVIF
//!   sources, lazy loading (`data-src`, `data-srcset`, `data-lazy-src` with
//!   a `<noscript>` fallback);
//! - link URLs: `utm_*`, click ids and referrers (`fbclid`, `gclid`,
//!   `mc_cid`, `ref`), `http` → `https`, protocol-relative, the `www.` alias;
//! - text written another way: `’` as a named or numeric entity, `&nbsp;`
//!   after short words, the CMS's smart quotes (same words);
//! - furniture: navigation and footer text, a consent banner, a live
//!   "Updated N minutes ago", comment and share counts, ad slots, a rotating
//!   sponsored ad, share boxes, a newsletter box, rotating "Most read" and
//!   "Related" rails, a "Read more:" line between paragraphs and a plain
//!   paragraph pointing to another article ("Related: <link>", "MORE:
//!   <link>", "[Related: <link>]"), a hover card after a name linked in
//!   the text (the name again and headlines that rotate);
//! - layout: the body's element closed before a mid-article ad slot and
//!   opened again after it, two paragraphs set as one with a double line
//!   break between, a footnote reference written another way
//!   (`<sup>1</sup>`, `<sup><a href="#fn1">[1]</a></sup>`, a linked
//!   number) with its footnotes' list in another template.
//!
//! None of them changes the article's words: a kind that did would be an
//! edit. Edits (each must be found, and its changed words must be in the
//! text report a user reads): a word replaced, a number changed, a sentence
//! deleted, a sentence inserted, words changed inside a quotation, a link
//! of the article pointed at another page, an image replaced by another
//! file, a correction inserted mid-article and one appended, and the words
//! of a photo caption that Readability's ground truth counts as the
//! article's (chosen from that truth, not from stet's text: a caption stet
//! leaves out of the text must still be reported), and a word inside a
//! link or inline element of a paragraph of that truth (whatever its
//! class: a company link classed `meta-org` is the sentence's). Targets: at
//! most 1% of unchanged articles reported as changed, at least 99% of edits
//! found. Per-kind figures are printed (`-- --nocapture`).
//!
//! Skips with a message when `../shared/corpus` is missing (a fresh clone),
//! unless `STET_REQUIRE_ALL=1`.

use crate::common;

use common::corpus::{document as doc, BASE};
use common::markup::{
    build_hash, byline_set_alone, outside_scripts, scripts_blanked, with_class_tokens,
};

use std::path::PathBuf;
use std::sync::Mutex;

use stet::diff::corrections::{corrections, NoticeAction, NoticeKind};
use stet::diff::{diff_documents, DiffOptions, EditClass};
use stet::model::{BlockKind, Document};

/// Non-cosmetic changes between two documents, as (before, after): text
/// edits, then field changes (an image's `src`, a link, a caption …).
fn changes(a: &Document, b: &Document) -> Vec<(String, String)> {
    changes_in(diff_documents(a, b, &DiffOptions::default()))
}

fn changes_in(d: stet::diff::DocDiff) -> Vec<(String, String)> {
    let edits = d
        .edits
        .into_iter()
        .filter(|e| e.class != EditClass::Cosmetic)
        .map(|e| (e.before, e.after));
    let fields = d
        .fields
        .into_iter()
        .filter(|f| f.class != EditClass::Cosmetic)
        .map(|f| {
            (
                format!("{}: {}", f.field, f.before.unwrap_or_default()),
                f.after.unwrap_or_default(),
            )
        });
    edits.chain(fields).collect()
}

/// A 1x1 transparent gif: what lazy loaders leave in `src`.
const PIXEL: &str =
    "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";

/// `url` with `params` added to its query (before any fragment).
fn with_params(url: &str, params: &str) -> String {
    let (head, frag) = url
        .split_once('#')
        .map_or((url, ""), |(h, _)| (h, &url[h.len()..]));
    let sep = if head.contains('?') { "&amp;" } else { "?" };
    format!("{head}{sep}{params}{frag}")
}

/// Rewrites the value of every `attr="…"` of `<tag …>` elements.
fn rewrite_attr(html: &str, tag: &str, attr: &str, f: &dyn Fn(&str) -> String) -> String {
    let re = regex::Regex::new(&format!(r#"(<{tag}\b[^>]*?\s{attr}=")([^"]+)(")"#)).expect("regex");
    re.replace_all(html, |c: &regex::Captures| {
        format!("{}{}{}", &c[1], f(c[2].trim()), &c[3])
    })
    .into_owned()
}

/// The byte offset right after the `n`-th `</p>` outside scripts, if any.
fn after_paragraph(html: &str, n: usize) -> Option<usize> {
    scripts_blanked(html)
        .match_indices("</p>")
        .nth(n)
        .map(|(i, _)| i + 4)
}

/// The byte offset of the `<p` that opens the first article paragraph.
fn before_first_paragraph(html: &str, original: &Document) -> Option<usize> {
    let first = original
        .blocks
        .iter()
        .find(|b| b.kind == BlockKind::Paragraph && b.text.split_whitespace().count() >= 12)?;
    let words: String = first
        .text
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    // The page's paragraph, not a copy in a script (JSON-LD's
    // `articleBody`).
    let html = scripts_blanked(html);
    let at = html.find(&words)?;
    // The paragraph's own tag, not an SVG's `<path>` or a `<picture>`.
    html[..at]
        .rmatch_indices("<p")
        .map(|(p, _)| p)
        .find(|&p| html[p + 2..].starts_with(['>', ' ', '\n', '\t']))
}

/// The byte offset right after the `</p>` that closes the `n`-th article
/// paragraph (of 12 words or more), if it can be found once in the page.
fn after_article_paragraph(html: &str, original: &Document, n: usize) -> Option<usize> {
    let p = original
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Paragraph && b.text.split_whitespace().count() >= 12)
        .nth(n)?;
    let tail: String = p
        .text
        .chars()
        .rev()
        .take(24)
        .collect::<String>()
        .chars()
        .rev()
        .collect();
    let html = scripts_blanked(html);
    if html.matches(&tail).count() != 1 {
        return None;
    }
    let i = html.find(&tail)?;
    html[i..].find("</p>").map(|j| i + j + 4)
}

/// `html` with each `from` that opens a tag replaced by `to`: never inside
/// another tag's attribute values, a comment or a script, where a
/// publisher's template engine would not touch it either.
fn in_markup(html: &str, from: &str, to: &str) -> String {
    outside_scripts(html, &|t| {
        let mut out = String::with_capacity(t.len());
        let mut quote: Option<char> = None;
        let mut in_tag = false;
        let mut i = 0;
        while let Some(c) = t[i..].chars().next() {
            if !in_tag && t[i..].starts_with("<!--") {
                let end = t[i..].find("-->").map_or(t.len(), |e| i + e + 3);
                out.push_str(&t[i..end]);
                i = end;
                continue;
            }
            if !in_tag && t[i..].starts_with(from) {
                out.push_str(to);
                i += from.len();
                in_tag = from.starts_with('<') && !from.ends_with('>');
                continue;
            }
            match (in_tag, quote, c) {
                (false, _, '<') => in_tag = true,
                (true, None, '"' | '\'') => quote = Some(c),
                (true, Some(q), _) if c == q => quote = None,
                (true, None, '>') => in_tag = false,
                _ => {}
            }
            out.push(c);
            i += c.len_utf8();
        }
        out
    })
}

/// Every link given `rel="noopener noreferrer"` and `target="_blank"`, as a
/// CMS theme update does: merged into a `rel` the link already has.
fn with_rel_target(html: &str) -> String {
    outside_scripts(html, &with_rel_target_here)
}

fn with_rel_target_here(html: &str) -> String {
    let a = regex::Regex::new(r"<a\s[^>]*>").expect("regex");
    let rel = regex::Regex::new(r#"\srel="([^"]*)""#).expect("regex");
    a.replace_all(html, |c: &regex::Captures| {
        let tag = &c[0];
        if rel.is_match(tag) {
            rel.replace(tag, " rel=\"$1 noopener noreferrer\"")
                .replacen("<a ", "<a target=\"_blank\" ", 1)
        } else {
            tag.replacen(
                "<a ",
                "<a rel=\"noopener noreferrer\" target=\"_blank\" ",
                1,
            )
        }
    })
    .into_owned()
}

/// The byte offset right after the `</p>` that closes the paragraph whose
/// text is `paragraph`, found by its last 24 characters when they occur
/// once in the page.
fn after_paragraph_ending(html: &str, paragraph: &str) -> Option<usize> {
    let skip = paragraph.chars().count().saturating_sub(24);
    let tail: String = paragraph.chars().skip(skip).collect();
    if !unique(html, &tail) {
        return None;
    }
    let i = html.find(&tail)?;
    html[i..].find("</p>").map(|j| i + j + 4)
}

fn insert(html: &str, at: usize, what: &str) -> String {
    let mut s = html.to_string();
    s.insert_str(at, what);
    s
}

/// `f` applied to the text between tags (not to markup, scripts, styles
/// or comments): what a CMS that re-encodes text changes.
fn in_text(html: &str, f: &dyn Fn(&str) -> String) -> String {
    let markup = regex::Regex::new(
        r#"(?is)<script\b.*?</script>|<style\b.*?</style>|<textarea\b.*?</textarea>|<pre\b.*?</pre>|<!--.*?-->|<(?:[^>"']|"[^"]*"|'[^']*')*>"#,
    )
    .expect("regex");
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut last = 0;
    for m in markup.find_iter(html) {
        out.push_str(&f(&html[last..m.start()]));
        out.push_str(m.as_str());
        last = m.end();
    }
    out.push_str(&f(&html[last..]));
    out
}

/// A URL of the page's own resources (not inline data, not a script
/// action, not a mail address, not an anchor).
fn is_resource_url(u: &str) -> bool {
    !(u.is_empty()
        || u.starts_with('#')
        || u.starts_with("data:")
        || u.starts_with("mailto:")
        || u.starts_with("javascript:")
        || u.starts_with("tel:"))
}

/// The same URL on its host alias: `www.` added, or dropped when present.
fn host_alias(u: &str) -> String {
    for scheme in ["https://", "http://", "//"] {
        if let Some(rest) = u.strip_prefix(scheme) {
            let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            let host = &rest[..host_end];
            // A site's own name and its `www.` alias (`example.org`,
            // `www.example.org`); a subdomain such as `cdn.` has none.
            return match host.strip_prefix("www.") {
                Some(bare) => format!("{scheme}{bare}{}", &rest[host_end..]),
                None if host.matches('.').count() == 1 && !host.ends_with('.') => {
                    format!("{scheme}www.{rest}")
                }
                None => u.to_string(),
            };
        }
    }
    u.to_string()
}

/// The same URL on another server of its CDN: the first label of a host of
/// three labels or more numbered (`i.` → `i2.`) or renumbered (`s1.` →
/// `s2.`, `static09.` → `static10.`); other URLs as they are.
fn cdn_shard(u: &str) -> String {
    for scheme in ["https://", "http://", "//"] {
        if let Some(rest) = u.strip_prefix(scheme) {
            let host_end = rest.find(['/', '?', '#', ':']).unwrap_or(rest.len());
            let host = &rest[..host_end];
            let Some((first, domain)) = host.split_once('.') else {
                return u.to_string();
            };
            // Not a site's own name, nor an address.
            let address = !host.bytes().any(|b| b.is_ascii_alphabetic());
            if first == "www" || !domain.contains('.') || address {
                return u.to_string();
            }
            let digits: String = first.chars().filter(char::is_ascii_digit).collect();
            let name: String = first.chars().filter(|c| !c.is_ascii_digit()).collect();
            let number = digits.parse::<u64>().map_or(2, |n| n + 1);
            return format!("{scheme}{name}{number}.{domain}{}", &rest[host_end..]);
        }
    }
    u.to_string()
}

/// Rewrites every `<img>` tag whose `src` is a plain URL with `f(tag, src)`.
fn rewrite_img(html: &str, f: &dyn Fn(&str, &str) -> String) -> String {
    let img = regex::Regex::new(r#"<img\b[^>]*>"#).expect("regex");
    let src = regex::Regex::new(r#"\ssrc="([^"]+)""#).expect("regex");
    img.replace_all(html, |c: &regex::Captures| {
        let tag = &c[0];
        match src.captures(tag) {
            Some(m) if is_resource_url(m[1].trim()) => f(tag, m[1].trim()),
            _ => tag.to_string(),
        }
    })
    .into_owned()
}

/// `url` with its file name's extension replaced by `ext`, if it has one.
fn with_extension(url: &str, ext: &str) -> Option<String> {
    let end = url.find(['?', '#']).unwrap_or(url.len());
    let (path, rest) = url.split_at(end);
    let slash = path.rfind('/')?;
    let dot = path[slash..].rfind('.')? + slash;
    let old = &path[dot + 1..];
    if !matches!(
        old.to_ascii_lowercase().as_str(),
        "jpg" | "jpeg" | "png" | "gif" | "webp"
    ) {
        return None;
    }
    Some(format!("{}.{ext}{rest}", &path[..dot]))
}

/// The byte offsets of the `n`-th article paragraph (of 12 words or
/// more): where its `<p` opens, where its inner HTML starts and ends
/// (before its `</p>`), if it can be found once in the page.
fn article_paragraph(html: &str, original: &Document, n: usize) -> Option<(usize, usize, usize)> {
    let end = after_article_paragraph(html, original, n)? - 4;
    let open = html[..end].rfind("<p")?;
    if !html[open + 2..].starts_with(['>', ' ']) || html[open..end].contains("</p>") {
        return None;
    }
    let inner = open + html[open..].find('>')? + 1;
    Some((open, inner, end))
}

/// The element open at byte `at` of `html` (its name and start tag), read
/// as a template writes it: every tag closed, no tag inside a script or a
/// comment.
fn open_element_at(html: &str, at: usize) -> Option<(String, String)> {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "param",
    ];
    let mut stack: Vec<(String, String)> = Vec::new();
    let mut i = 0;
    while let Some(lt) = html[i..at].find('<').map(|j| i + j) {
        if html[lt..].starts_with("<!--") {
            i = html[lt..].find("-->").map_or(html.len(), |e| lt + e + 3);
            continue;
        }
        let gt = lt + html[lt..].find('>')?;
        let tag = &html[lt..=gt];
        let closing = tag.starts_with("</");
        let name: String = tag[if closing { 2 } else { 1 }..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        i = gt + 1;
        if name.is_empty() {
            continue;
        }
        if closing {
            if let Some(k) = stack.iter().rposition(|(n, _)| *n == name) {
                stack.truncate(k);
            }
        } else if name == "script" || name == "style" {
            i = html[i..]
                .find(&format!("</{name}"))
                .map_or(html.len(), |e| i + e);
        } else if !VOID.contains(&name.as_str()) && !tag.ends_with("/>") {
            stack.push((name, tag.to_string()));
        }
    }
    stack.pop()
}

/// The middle article paragraph's index, when the article has three or
/// more of 12 words or more.
fn middle_paragraph(original: &Document) -> Option<usize> {
    let n = original
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Paragraph && b.text.split_whitespace().count() >= 12)
        .count();
    (n >= 3).then_some(n / 2)
}

/// The page with `markup` inserted after its `n`-th article paragraph
/// (12 words or more), if that paragraph can be found.
fn between_paragraphs(html: &str, original: &Document, n: usize, markup: &str) -> Option<String> {
    after_article_paragraph(html, original, n).map(|at| insert(html, at, markup))
}

fn rail(items: &[&str]) -> String {
    let li: String = items
        .iter()
        .map(|t| format!("<li><a href=\"/news/{}\">{t}</a></li>", t.len()))
        .collect();
    format!("<aside class=\"most-read\" aria-label=\"Most read\"><h2>Most read</h2><ol>{li}</ol></aside>")
}

/// One kind of noise: the reference and the redeployed HTML.
type Noise = (&'static str, String, String);

fn noise(html: &str, original: &Document) -> Vec<Noise> {
    // Whitespace between block-level tags only: between inline tags it is
    // text ("W</b> <i>hale" reads differently), so a redeploy keeps it.
    let blocks = regex::Regex::new(r"><(/?(?:p|div|section|article|ul|ol|li|h[1-6]|header|footer|nav|aside|figure|table|tbody|tr|td|th|script|style|meta|link|head|body)\b)")
        .expect("regex");
    let assets = regex::Regex::new(r#"(<(?:link|script)\b[^>]*?(?:src|href)="[^"]+\.(?:css|js))""#)
        .expect("regex");
    let same = |what: &'static str, after: String| (what, html.to_string(), after);
    let mut out = vec![
        same(
            "whitespace between tags",
            outside_scripts(html, &|t| blocks.replace_all(t, ">\n   <$1").into_owned()),
        ),
        same(
            "cache-busting query strings",
            assets.replace_all(html, "$1?v=20261128\"").into_owned(),
        ),
        same(
            "tracking attributes",
            in_markup(
                &in_markup(html, "<p>", "<p data-track=\"t-81f3\">"),
                "<a ",
                "<a data-ga=\"click\" ",
            ),
        ),
        same(
            "hashed class names",
            html.replace("class=\"", "class=\"css-1x9q2z "),
        ),
        // A build that hashes class names (CSS modules, as css-loader's
        // `[local]_[hash:base64:5]` and Next.js's `[name]_[local]__[hash]`
        // write them) or versions them in a redesign: every class token
        // renamed, the same words.
        same(
            "CSS-module class names",
            with_class_tokens(html, &|t| format!("{t}_{}", build_hash(t))),
        ),
        same(
            "Next.js CSS-module class names",
            with_class_tokens(html, &|t| format!("styles_{t}__{}", build_hash(t))),
        ),
        same(
            "versioned class names",
            with_class_tokens(html, &|t| format!("{t}-v2")),
        ),
        same(
            "’ as an entity",
            outside_scripts(html, &|t| t.replace('’', "&rsquo;")),
        ),
        same(
            "A/B test attributes",
            outside_scripts(
                &in_markup(
                    &in_markup(
                        html,
                        "<body",
                        "<body data-ab-test=\"headline-2027\" data-variant=\"b\"",
                    ),
                    "<p>",
                    "<p data-variant=\"b\">",
                ),
                &|t| t.replace("class=\"", "class=\"ab-variant-b "),
            ),
        ),
    ];
    // A template that sets paragraphs as `div`s (a CMS block editor's
    // `<div class="paragraph">`): the same words in other markup. Only on
    // pages that close every paragraph, since an implied `</p>` has no
    // `</div>` to become.
    let opens = regex::Regex::new(r"<p[\s>]").expect("regex");
    if opens.find_iter(html).count() == html.matches("</p>").count() {
        // `<p` and its attributes may be parted by a line break: one space,
        // so that every opening tag is rewritten with its `</p>`.
        let html = &[("<p\n", "<p "), ("<p\r", "<p "), ("<p\t", "<p ")]
            .iter()
            .fold(html.to_string(), |h, (from, to)| in_markup(&h, from, to));
        out.push(same(
            "paragraphs set as divs",
            in_markup(
                &in_markup(
                    &in_markup(html, "<p>", "<div class=\"paragraph\">"),
                    "<p ",
                    "<div ",
                ),
                "</p>",
                "</div>",
            ),
        ));
        // A block editor's template: each paragraph in a block of its own.
        out.push(same(
            "each paragraph in a block of its own",
            in_markup(
                &in_markup(
                    &in_markup(html, "<p>", "<div class=\"block\"><p>"),
                    "<p ",
                    "<div class=\"block\"><p ",
                ),
                "</p>",
                "</p></div>",
            ),
        ));
    }
    // A theme that gives each heading a permalink, as Sphinx and many blog
    // themes do: a "¶" linking to the heading's own place on the page.
    let heading = regex::Regex::new(r"<(h[23])([^>]*)>([^<]*)</h[23]>").expect("regex");
    if heading.is_match(html) {
        let n = std::cell::Cell::new(0u32);
        let linked = |c: &regex::Captures| {
            n.set(n.get() + 1);
            format!(
                "<{0} id=\"s-{1}\"{2}>{3}<a class=\"headerlink\" href=\"#s-{1}\" \
                 title=\"Permalink to this heading\">¶</a></{0}>",
                &c[1],
                n.get(),
                &c[2],
                &c[3]
            )
        };
        out.push(same(
            "permalinks on headings",
            outside_scripts(html, &|t| heading.replace_all(t, linked).into_owned()),
        ));
    }
    let is_absolute = |u: &str| u.starts_with("http://") || u.starts_with("https://");
    if html.contains("<img") {
        // Each image gets a key of its own, as per-derivative signatures
        // (Drupal's `itok`) and per-file modification times do: the same
        // picture shown twice may come back under two keys.
        let n = std::cell::Cell::new(0u32);
        out.push(same(
            "image cache buster",
            rewrite_attr(html, "img", "src", &|u| {
                if u.starts_with("data:") {
                    u.to_string()
                } else {
                    n.set(n.get() + 1);
                    with_params(u, &format!("v=4256{}", n.get()))
                }
            }),
        ));
        out.push(same(
            "image on another server of its CDN",
            rewrite_attr(html, "img", "src", &|u| cdn_shard(u)),
        ));
        out.push(same(
            "image CDN size and format parameters",
            rewrite_attr(html, "img", "src", &|u| {
                if u.starts_with("data:") {
                    u.to_string()
                } else {
                    with_params(
                        u,
                        "w=640&amp;h=426&amp;fit=crop&amp;auto=format,compress&amp;q=75",
                    )
                }
            }),
        ));
        // Images that had no lazy loading of their own gain it (an image
        // already lazy, inline or scripted is left as it is).
        let lazy = |markup: &str| {
            let img = regex::Regex::new(r#"<img\b[^>]*>"#).expect("regex");
            let src = regex::Regex::new(r#"\ssrc="([^"]+)""#).expect("regex");
            img.replace_all(html, |c: &regex::Captures| {
                let tag = &c[0];
                let plain = !(tag.contains("srcset")
                    || tag.contains("data-")
                    || tag.contains("lazy")
                    || tag.contains("this.")
                    || tag.contains("src=\"data:"));
                match src.captures(tag) {
                    Some(m) if plain => {
                        let url = m[1].trim();
                        tag.replacen(&m[0], &markup.replace("URL", url), 1)
                    }
                    _ => tag.to_string(),
                }
            })
            .into_owned()
        };
        out.push(same(
            "lazy-loading data-src swap",
            lazy(&format!(" src=\"{PIXEL}\" data-src=\"URL\"")),
        ));
        out.push(same(
            "lazy-loading data-srcset swap",
            lazy(&format!(" src=\"{PIXEL}\" data-srcset=\"URL 1x, URL 2x\"")),
        ));
    }
    if html.contains("<a ") {
        out.push(same(
            "utm parameters on links",
            rewrite_attr(html, "a", "href", &|u| {
                if is_absolute(u) {
                    with_params(
                        u,
                        "utm_source=newsletter&amp;utm_medium=email&amp;utm_campaign=daily",
                    )
                } else {
                    u.to_string()
                }
            }),
        ));
    }
    if html.contains("=\"http://") {
        out.push(same(
            "http to https",
            html.replace("href=\"http://", "href=\"https://")
                .replace("src=\"http://", "src=\"https://"),
        ));
    }
    if html.contains("=\"https://") || html.contains("=\"http://") {
        out.push(same(
            "protocol-relative URLs",
            html.replace("href=\"https://", "href=\"//")
                .replace("href=\"http://", "href=\"//")
                .replace("src=\"https://", "src=\"//")
                .replace("src=\"http://", "src=\"//"),
        ));
    }
    if let Some(at) = scripts_blanked(html)
        .find("<body")
        .and_then(|i| html[i..].find('>').map(|j| i + j + 1))
    {
        out.push(same(
            "consent banner",
            insert(
                html,
                at,
                "<div id=\"onetrust-consent-sdk\" class=\"cookie-consent\" role=\"dialog\" aria-label=\"Cookie banner\">\
                 <p>We value your privacy. We and our 842 partners store and access information on your device.\
                 <a href=\"/privacy\">Privacy policy</a></p><button>Accept all</button></div>",
            ),
        ));
    }
    if let Some(at) = before_first_paragraph(html, original) {
        let updated = |n: &str| {
            format!("<div class=\"article-meta\"><time class=\"updated\" datetime=\"2027-01-01\">Updated {n} ago</time></div>")
        };
        out.push((
            "live \"updated N minutes ago\"",
            insert(html, at, &updated("5 minutes")),
            insert(html, at, &updated("2 hours")),
        ));
        // The same, set as a paragraph whose class says nothing, and beside
        // the author's name in a byline.
        let plain = |n: &str| format!("<p>Updated {n} ago</p>");
        out.push((
            "\"updated N minutes ago\" as a paragraph",
            insert(html, at, &plain("5 minutes")),
            insert(html, at, &plain("an hour")),
        ));
        let byline = |n: &str| format!("<div class=\"byline\">By Jane Roe · Updated {n} ago</div>");
        out.push((
            "the time since the update in the byline",
            insert(html, at, &byline("10 minutes")),
            insert(html, at, &byline("3 hours")),
        ));
        let comments = |n: u32| {
            format!("<div class=\"entry-meta\"><span class=\"comments-link\"><a href=\"#comments\">{n} Comments</a></span></div>")
        };
        out.push((
            "comment count",
            insert(html, at, &comments(12)),
            insert(html, at, &comments(15)),
        ));
    }
    if let Some(at) = after_article_paragraph(html, original, 1) {
        out.push((
            "rotating \"most read\" rail between paragraphs",
            insert(
                html,
                at,
                &rail(&["Storm closes schools", "Mayor resigns", "Markets rally"]),
            ),
            insert(
                html,
                at,
                &rail(&[
                    "Markets rally",
                    "Bridge reopens after repairs",
                    "Storm closes schools",
                ]),
            ),
        ));
    }
    if let Some(at) = after_article_paragraph(html, original, 3) {
        // The same rail in a plain `div` whose class says nothing: its
        // entries are known by being headlines linking to the site.
        let rail = |items: &[&str]| {
            let li: String = items
                .iter()
                .map(|t| format!("<li><a href=\"/2026/story-{}\">{t}</a></li>", t.len()))
                .collect();
            format!("<div class=\"c-list sc-9f2k1\"><h3>Popular now</h3><ol>{li}</ol></div>")
        };
        out.push((
            "rotating headlines in a plain div between paragraphs",
            insert(
                html,
                at,
                &rail(&[
                    "Council approves new budget after marathon session",
                    "Mayor resigns",
                ]),
            ),
            insert(
                html,
                at,
                &rail(&[
                    "Police appeal for witnesses after bridge collision",
                    "Museum reopens east wing",
                ]),
            ),
        ));
    }
    if let Some(at) = after_article_paragraph(html, original, 4) {
        // An ad slot's label and a reading time, in plain `div`s whose
        // classes say nothing: known by their words alone.
        out.push((
            "ad label and reading time in plain divs between paragraphs",
            html.to_string(),
            insert(
                html,
                at,
                "<div class=\"x7f3q\"><span>Advertisement</span></div>\
                 <div class=\"meta-k2\"><p>6 min read</p></div>",
            ),
        ));
    }
    if let Some(at) = after_article_paragraph(html, original, 2) {
        // An analytics beacon added by the redeploy, and the author's photo
        // in a new byline box: neither is a picture of the article.
        out.push((
            "tracking pixel added between paragraphs",
            html.to_string(),
            insert(
                html,
                at,
                "<img src=\"https://pixel.example-analytics.net/b.gif?id=42&amp;r=9\" width=\"1\" height=\"1\" alt=\"\" border=\"0\">",
            ),
        ));
    }
    if let Some(at) = after_article_paragraph(html, original, 3) {
        // A video player set between paragraphs by a redeploy, with its
        // poster, its "Watch:" title and an "Up next" line: the player's
        // chrome, not the article's words or pictures.
        out.push((
            "video player with its title inserted between paragraphs",
            html.to_string(),
            insert(
                html,
                at,
                "<div class=\"jwplayer jw-state-idle\"><video poster=\"/media/flood-clip.jpg\" \
                 src=\"/media/flood-clip.mp4\"></video><p class=\"jw-title\">Watch: Drone footage \
                 shows the flooded valley</p><div class=\"jw-next\">Up next: Rescue crews reach \
                 the village</div></div>",
            ),
        ));
    }
    if html.contains("</nav>") || html.contains("</footer>") {
        out.push(same(
            "navigation and footer text",
            html.replace("</nav>", "<a href=\"/new-section\">New section</a></nav>")
                .replace(
                    "</footer>",
                    "<p>© 2027 The Example Times. All rights reserved.</p></footer>",
                ),
        ));
    }
    if let Some(at) = after_paragraph(html, 1) {
        out.push(same(
            "ad slot and share box between paragraphs",
            insert(
                html,
                at,
                "<div class=\"ad-slot advertisement\"><span>Advertisement</span></div>\
                 <div class=\"share-box social-share\"><a href=\"https://twitter.com/share\">Share on Twitter</a> <a href=\"mailto:?\">Email</a></div>",
            ),
        ));
    }

    // --- Link URL noise beyond utm_*: click ids, mailing-list and
    // referrer parameters, on relative links too; host aliases; the
    // attributes a CMS adds to outgoing links.
    if html.contains("<a ") {
        let n = std::cell::Cell::new(0usize);
        out.push(same(
            "click ids and referrers on links",
            rewrite_attr(html, "a", "href", &|u| {
                // Web links only: an app link (`whatsapp:`) gets no click id.
                let scheme = u
                    .split_once(':')
                    .map(|(s, _)| s)
                    .filter(|s| !s.contains('/'));
                if !is_resource_url(u) || scheme.is_some_and(|s| !matches!(s, "http" | "https")) {
                    return u.to_string();
                }
                n.set(n.get() + 1);
                let p = match n.get() % 8 {
                    0 => "fbclid=IwAR2xQk81fZ9Lr_aB3",
                    1 => "gclid=Cj0KCQiA4NWrBhD&amp;gclsrc=aw.ds",
                    2 => "mc_cid=4f1b2c3d4e&amp;mc_eid=9a8b7c6d5e",
                    3 => "xtor=RSS-3208",
                    4 => "CMP=share_btn_tw",
                    5 => "pk_campaign=newsletter&amp;pk_source=email",
                    6 => "guccounter=1&amp;guce_referrer=aHR0cHM6Ly93d3cuZ29vZ2xlLmNvbS8",
                    _ => "ref=homepage",
                };
                with_params(u, p)
            }),
        ));
        out.push(same(
            "rel and target attributes on links",
            with_rel_target(html),
        ));
    }
    if html.contains("=\"http") || html.contains("=\"//") {
        let alias = |h: &str| {
            let h = rewrite_attr(h, "a", "href", &|u| host_alias(u));
            rewrite_attr(&h, "img", "src", &|u| host_alias(u))
        };
        out.push(same("host alias (www.) on links and images", alias(html)));
    }
    // --- Image markup a redeploy changes around the same picture.
    if html.contains("<img") {
        let srcset = regex::Regex::new(r#"\s(?:srcset|sizes)="[^"]*""#).expect("regex");
        out.push(same(
            "responsive srcset and sizes",
            rewrite_img(html, &|tag, u| {
                let bare = srcset.replace_all(tag, "");
                let set = format!(
                    " srcset=\"{} 480w, {} 960w, {} 1920w\" sizes=\"(max-width: 600px) 100vw, 600px\"",
                    with_params(u, "w=480"),
                    with_params(u, "w=960"),
                    with_params(u, "w=1920")
                );
                bare.replacen("<img", &format!("<img{set}"), 1)
            }),
        ));
        out.push(same(
            "<picture> with WebP and AVIF sources",
            rewrite_img(html, &|tag, u| {
                let webp = with_extension(u, "webp").unwrap_or_else(|| with_params(u, "fm=webp"));
                let avif = with_extension(u, "avif").unwrap_or_else(|| with_params(u, "fm=avif"));
                format!(
                    "<picture><source type=\"image/avif\" srcset=\"{avif}\"><source type=\"image/webp\" srcset=\"{webp}\">{tag}</picture>"
                )
            }),
        ));
        out.push(same(
            "lazy loading with a noscript fallback",
            rewrite_img(html, &|tag, u| {
                if tag.contains("data-") || tag.contains("srcset") {
                    return tag.to_string();
                }
                let lazy = tag.replacen(
                    &format!("src=\"{u}\""),
                    &format!("src=\"{PIXEL}\" data-lazy-src=\"{u}\""),
                    1,
                );
                // The loader's class joins the image's own.
                let class = regex::Regex::new(r#"\sclass=""#).expect("regex");
                let lazy = if class.is_match(&lazy) {
                    class
                        .replace(&lazy, " loading=\"lazy\" class=\"lazyload ")
                        .into_owned()
                } else {
                    lazy.replacen("<img", "<img loading=\"lazy\" class=\"lazyload\"", 1)
                };
                format!("{lazy}<noscript>{tag}</noscript>")
            }),
        ));
        out.push(same(
            "image size suffix in the file name",
            rewrite_img(html, &|tag, u| match with_extension(u, "") {
                // `with_extension` found an image file name: size it.
                Some(_) => {
                    let end = u.find(['?', '#']).unwrap_or(u.len());
                    let dot = u[..end].rfind('.').unwrap_or(end);
                    tag.replacen(u, &format!("{}-1024x683{}", &u[..dot], &u[dot..]), 1)
                }
                None => tag.to_string(),
            }),
        ));
        // The same page served as AMP's images: `<amp-img>` with a
        // `<noscript>` copy of the image inside.
        out.push(same(
            "images as AMP's <amp-img>",
            rewrite_img(html, &|tag, _| {
                let attrs = tag
                    .trim_start_matches("<img")
                    .trim_end_matches('>')
                    .trim_end_matches('/');
                format!(
                    "<amp-img{attrs} layout=\"responsive\"><noscript>{tag}</noscript></amp-img>"
                )
            }),
        ));
        out.push(same(
            "image re-encoded as WebP",
            rewrite_img(html, &|tag, u| match with_extension(u, "webp") {
                Some(x) => tag.replacen(u, &x, 1),
                None => tag.to_string(),
            }),
        ));
    }
    // --- Text the CMS writes another way (the same words). Only on pages
    // read whole as UTF-8 (this harness reads the others lossily).
    let declared = regex::Regex::new(r#"(?i)charset=["']?([\w-]+)"#).expect("regex");
    let utf8 = !html.contains('\u{FFFD}')
        && declared.captures(html).is_none_or(|c| {
            c[1].eq_ignore_ascii_case("utf-8") || c[1].eq_ignore_ascii_case("utf8")
        });
    if utf8 {
        out.push(same(
            "numeric character references",
            in_text(html, &|t| {
                t.replace('’', "&#8217;")
                    .replace('‘', "&#8216;")
                    .replace('“', "&#8220;")
                    .replace('”', "&#8221;")
                    .replace('—', "&#8212;")
                    .replace('–', "&#8211;")
                    .replace('é', "&#233;")
                    .replace('…', "&#8230;")
            }),
        ));
        let short_word = regex::Regex::new(r"(\b\w{1,2}) (\w)").expect("regex");
        out.push(same(
            "no-break spaces after short words",
            in_text(html, &|t| {
                short_word.replace_all(t, "$1&nbsp;$2").into_owned()
            }),
        ));
        let dq = regex::Regex::new(r#""([^"<>]{1,200})""#).expect("regex");
        let apos = regex::Regex::new(r"(\w)'(\w)").expect("regex");
        out.push(same(
            "smart quotes from the CMS",
            in_text(html, &|t| {
                let t = dq.replace_all(t, "“$1”");
                apos.replace_all(&t, "$1’$2").into_owned()
            }),
        ));
        // The reverse, and for dashes too: a redeploy without the
        // typographer shows the `--` and `...` the writers typed.
        if html.contains(['—', '–']) {
            out.push(same(
                "typographer off: dashes and ellipses as typed",
                in_text(html, &|t| {
                    t.replace(['—', '–'], "--")
                        .replace('…', "...")
                        .replace(['“', '”'], "\"")
                        .replace(['‘', '’'], "'")
                }),
            ));
        }
    }
    // --- Scripts and structured data.
    if let Some(at) = html.find("</head>") {
        let build = |id: &str| {
            format!(
                "<script>window.__APP__={{\"build\":\"{id}\",\"ab\":{{\"headline\":\"b\"}}}};</script>\
                 <script async src=\"/static/app.{id}.js\"></script>"
            )
        };
        out.push((
            "inline script and bundle names",
            insert(html, at, &build("a81f3c")),
            insert(html, at, &build("9d02e7")),
        ));
    }
    let ld = regex::Regex::new(r#"(?is)(<script[^>]*application/ld\+json[^>]*>)(.*?)(</script>)"#)
        .expect("regex");
    if ld.is_match(html) {
        out.push(same(
            "JSON-LD re-serialised",
            ld.replace_all(html, |c: &regex::Captures| {
                match serde_json::from_str::<serde_json::Value>(c[2].trim()) {
                    Ok(v) => format!(
                        "{}{}{}",
                        &c[1],
                        serde_json::to_string_pretty(&v).unwrap_or_else(|_| c[2].to_string()),
                        &c[3]
                    ),
                    Err(_) => c[0].to_string(),
                }
            })
            .into_owned(),
        ));
    }
    // A re-save moves the "last modified" stamps (JSON-LD and meta tags).
    let ld_modified = regex::Regex::new(r#"("dateModified"\s*:\s*")[^"]*(")"#).expect("regex");
    let meta_modified = regex::Regex::new(
        r#"(<meta\b[^>]*(?:article:modified_time|og:updated_time)[^>]*\scontent=")[^"]*(")"#,
    )
    .expect("regex");
    if ld_modified.is_match(html) || meta_modified.is_match(html) {
        let bumped = ld_modified.replace_all(html, "${1}2027-01-02T03:04:05+00:00${2}");
        out.push(same(
            "\"last modified\" stamps moved",
            meta_modified
                .replace_all(&bumped, "${1}2027-01-02T03:04:05+00:00${2}")
                .into_owned(),
        ));
    }
    // --- Furniture between and around the paragraphs.
    if let Some(at) = before_first_paragraph(html, original) {
        let shares = |n: &str| {
            format!("<div class=\"share-bar\"><span class=\"share-count\">{n}</span> shares <a href=\"https://www.facebook.com/sharer.php\">Facebook</a></div>")
        };
        out.push((
            "share count",
            insert(html, at, &shares("1.2K")),
            insert(html, at, &shares("1.5K")),
        ));
    }
    let related = |items: &[(&str, &str)]| {
        let li: String = items
            .iter()
            .map(|(slug, t)| format!("<li><a href=\"/news/{slug}\">{t}</a></li>"))
            .collect();
        format!("<div class=\"related-articles\"><h3>Related</h3><ul>{li}</ul></div>")
    };
    if let (Some(a), Some(b)) = (
        between_paragraphs(
            html,
            original,
            2,
            &related(&[
                ("harbour", "Harbour plan approved"),
                ("rates", "Rates held again"),
            ]),
        ),
        between_paragraphs(
            html,
            original,
            2,
            &related(&[
                ("rail", "Rail strike called off"),
                ("harbour", "Harbour plan approved"),
            ]),
        ),
    ) {
        out.push(("rotating \"related\" rail between paragraphs", a, b));
    }
    let read_more = |slug: &str, t: &str| {
        format!("<p class=\"read-more\"><strong>Read more:</strong> <a href=\"/news/{slug}\">{t}</a></p>")
    };
    if let (Some(a), Some(b)) = (
        between_paragraphs(
            html,
            original,
            1,
            &read_more("harbour", "Harbour plan approved after long delay"),
        ),
        between_paragraphs(
            html,
            original,
            1,
            &read_more("rail", "Rail strike called off at the last minute"),
        ),
    ) {
        out.push(("rotating \"Read more:\" line between paragraphs", a, b));
    }
    // A pointer to another article set as a plain paragraph, no class to
    // tell it by: its label and its link say what it is.
    if let (Some(a), Some(b)) = (
        between_paragraphs(
            html,
            original,
            1,
            "<p>Related: <a href=\"/news/harbour\">Harbour plan approved after long delay</a></p>",
        ),
        between_paragraphs(
            html,
            original,
            1,
            "<p><strong>MORE:</strong> <a href=\"/news/rail\">Rail strike called off at the last minute</a></p>",
        ),
    ) {
        out.push(("rotating \"Related:\" line between paragraphs", a, b));
    }
    // A hover card after a name linked in the text (The Hill's politicians):
    // shown while the reader points at the name, holding the name again and
    // the site's latest headlines about them, which change from day to day.
    // In the paragraph: not after a `<div>` set in it (an ad slot), which
    // closes the paragraph where the parser meets it.
    let in_paragraph = |at: &usize| html[..*at].rfind("<div") < html[..*at].rfind("<p");
    if let Some(at) = after_article_paragraph(html, original, 1)
        .map(|end| end - "</p>".len())
        .filter(in_paragraph)
    {
        let name = "<a href=\"/people/jane-roe\">Jane Roe</a>";
        let card = |headlines: &[(&str, &str)]| {
            let links: String = headlines
                .iter()
                .map(|(slug, t)| format!("<a href=\"/news/{slug}\">{t}</a> "))
                .collect();
            format!(
                " <span class=\"person\">{name}<span class=\"person-card\">\
                 <img src=\"/img/people/jane-roe-100.jpg\" alt=\"\">\
                 <a class=\"name\" href=\"/people/jane-roe\">Jane Roe</a>{links}</span></span>"
            )
        };
        let monday = card(&[
            ("harbour", "Harbour plan approved after long delay"),
            ("rates", "Rates held again as inflation eases"),
        ]);
        let tuesday = card(&[
            ("rail", "Rail strike called off at the last minute"),
            ("harbour", "Harbour plan approved after long delay"),
        ]);
        out.push((
            "hover card after a linked name, its headlines rotating",
            insert(html, at, &monday),
            insert(html, at, &tuesday),
        ));
        out.push((
            "hover card added after a linked name",
            insert(html, at, &format!(" <span class=\"person\">{name}</span>")),
            insert(html, at, &monday),
        ));
    }
    if let Some(a) = between_paragraphs(
        html,
        original,
        2,
        "<p><em>[Related: <a href=\"https://elsewhere.example/2019/budget\">The 15 budget fights that shaped the year</a>]</em></p>",
    ) {
        out.push(same("a \"[Related: …]\" line added between paragraphs", a));
    }
    if let Some(a) = between_paragraphs(
        html,
        original,
        2,
        "<div class=\"newsletter-signup\" data-component=\"newsletter\"><h3>Get our morning briefing</h3>\
         <p>The day's top stories, in your inbox every weekday.</p>\
         <form action=\"/newsletter\"><input type=\"email\" placeholder=\"Your email\"><button>Sign up</button></form></div>",
    ) {
        out.push(same("newsletter insert between paragraphs", a));
    }
    // Widgets in plain boxes (no telling class): what they say marks them.
    if let Some(a) = between_paragraphs(
        html,
        original,
        2,
        "<div class=\"c-x9\"><p>You have read 3 of 5 free articles this month. Subscribe for unlimited access for just $1 a week.</p>\
         <a href=\"/subscribe\">Subscribe now</a></div>",
    ) {
        out.push(same("paywall meter between paragraphs", a));
    }
    if let Some(a) = between_paragraphs(
        html,
        original,
        1,
        "<div><button>Gift this article</button><span>You have 10 gift articles to give each month.</span></div>\
         <div><button aria-label=\"Play\">Listen to this article</button> <span>7:42</span>\
         <p>Audio generated by AI voice.</p></div>",
    ) {
        out.push(same("gift counter and audio player between paragraphs", a));
    }
    if let Some(at) = before_first_paragraph(html, original) {
        let age = |n: &str| format!("<div><p>This article is more than {n} years old</p></div>");
        out.push((
            "archive age warning that grows",
            insert(html, at, &age("4")),
            insert(html, at, &age("5")),
        ));
        let key_events = |items: &[&str]| {
            let li: String = items
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    format!("<li><a href=\"#block-{i}\"><time>{i}h ago</time> {t}</a></li>")
                })
                .collect();
            format!("<div><h2>Key events</h2><ul>{li}</ul></div>")
        };
        let a = between_paragraphs(
            html,
            original,
            1,
            &key_events(&["Vote delayed", "Minister arrives"]),
        );
        let b = between_paragraphs(
            html,
            original,
            1,
            &key_events(&["Talks resume", "Vote delayed", "Minister arrives"]),
        );
        if let (Some(a), Some(b)) = (a, b) {
            out.push(("live blog key events", a, b));
        }
    }
    let sponsored = |t: &str| {
        format!("<div class=\"ad-container\" data-ad-slot=\"mid-article\"><div class=\"sponsored-label\">Sponsored</div><a href=\"https://ads.example.net/c?id=7\">{t}</a></div>")
    };
    if let (Some(a), Some(b)) = (
        between_paragraphs(
            html,
            original,
            1,
            &sponsored("Doctors are stunned by this one simple trick"),
        ),
        between_paragraphs(
            html,
            original,
            1,
            &sponsored("The 10 best credit cards of the year"),
        ),
    ) {
        out.push(("rotating sponsored ad between paragraphs", a, b));
    }
    if let Some(at) = before_first_paragraph(html, original) {
        // A reading time in the byline's row, which grows as the article
        // does: no byline, no photo credit.
        let read = |n: u32| {
            format!("<p class=\"byline-meta\"><span class=\"reading-time\">{n} min read</span></p>")
        };
        out.push((
            "reading time beside the byline",
            insert(html, at, &read(5)),
            insert(html, at, &read(6)),
        ));
    }
    // Layout-only redeploys of the article's body.
    if let Some(mid) = middle_paragraph(original) {
        // The template closes the body's element before a mid-article ad
        // slot and opens it again after it.
        if let Some((open, _, _)) = article_paragraph(html, original, mid) {
            if let Some((name, tag)) = open_element_at(html, open)
                .filter(|(n, _)| !["p", "span", "a", "html", "body"].contains(&n.as_str()))
            {
                out.push(same(
                    "body split by a mid-article ad slot",
                    insert(
                        html,
                        open,
                        &format!(
                            "</{name}><div class=\"ad-wrapper\"><div id=\"div-gpt-ad-mid\" \
                             class=\"ad\"></div></div>{tag}"
                        ),
                    ),
                ));
            }
        }
        // Two paragraphs set as one, with a double line break between.
        if let (Some((_, _, a_end)), Some((b_open, b_inner, _))) = (
            article_paragraph(html, original, mid),
            article_paragraph(html, original, mid + 1),
        ) {
            if html
                .get(a_end + 4..b_open)
                .is_some_and(|between| between.trim().is_empty())
            {
                out.push(same(
                    "two paragraphs joined by a double line break",
                    format!("{}<br><br>{}", &html[..a_end], &html[b_inner..]),
                ));
            }
        }
        // A footnote reference after a word, written another way, and the
        // footnotes' list in another template.
        let word = regex::Regex::new(r"[a-z]{4,}[.,] ").expect("regex");
        if let Some((_, inner, end)) = article_paragraph(html, original, mid) {
            let last = original
                .blocks
                .iter()
                .filter(|b| b.kind == BlockKind::Paragraph)
                .count()
                .saturating_sub(1);
            let at = word
                .find(&html[inner..end])
                .filter(|m| !html[inner..inner + m.end()].contains('<'))
                .map(|m| inner + m.end() - 2);
            if let (Some(at), Some(close)) = (
                at,
                after_article_paragraph(html, original, last).filter(|&c| c > end),
            ) {
                let with = |reference: &str, notes: &str| {
                    format!(
                        "{}{reference}{}{notes}{}",
                        &html[..at],
                        &html[at..close],
                        &html[close..]
                    )
                };
                out.push((
                    "footnote reference markup",
                    with(
                        "<sup><a href=\"#fn:1\" class=\"footnote\">1</a></sup>",
                        "<div class=\"footnotes\"><ol><li id=\"fn:1\"><p>See the full report \
                         for details. <a href=\"#fnref:1\">&#8617;</a></p></li></ol></div>",
                    ),
                    with(
                        "<sup id=\"fnref1\" class=\"footnote-ref\"><a href=\"#fn1\">[1]</a></sup>",
                        "<section class=\"footnotes\"><hr><ol><li id=\"fn1\"><p>See the full \
                         report for details. <a href=\"#fnref1\" class=\"footnote-back\">\u{21a9}\u{fe0e}</a></p>\
                         </li></ol></section>",
                    ),
                ));
                out.push((
                    "footnote reference as a plain or linked number",
                    with("<sup>1</sup>", ""),
                    with("<a href=\"#fn1\">1</a>", ""),
                ));
            }
        }
    }
    // The byline's markup as a redesign changes it: the name linked to an
    // author page and given a "By" where it is set alone in its element,
    // written in capitals wherever it is. The first of the page's bylines
    // that its text shows.
    let shown = |name: &str| {
        let seen = std::cell::Cell::new(false);
        in_text(html, &|t| {
            seen.set(seen.get() || t.contains(name));
            String::new()
        });
        seen.get()
    };
    if let Some(name) = original
        .bylines
        .iter()
        .find(|n| n.chars().count() > 4 && shown(n))
    {
        let slug = name.to_lowercase().replace(' ', "-");
        let alone = |f: &dyn Fn(&str) -> String| byline_set_alone(html, name, f);
        let linked = alone(&|n| format!("<a rel=\"author\" href=\"/author/{slug}\">{n}</a>"));
        if linked != html {
            out.push(same("byline name linked to an author page", linked));
            out.push(same(
                "\"By\" before the byline name",
                alone(&|n| format!("By {n}")),
            ));
        }
        out.push(same(
            "byline name in capitals",
            in_text(html, &|t| t.replace(name.as_str(), &name.to_uppercase())),
        ));
    }
    out
}

/// An edit applied to the HTML and the words the diff must report.
struct Edit {
    what: &'static str,
    html: String,
    /// A word or phrase that must appear in an edit's before or after.
    evidence: String,
    /// Chosen from the article as Readability's ground truth has it, not
    /// from stet's own text: found even when stet's text is unchanged.
    in_truth: bool,
}

fn unique(html: &str, needle: &str) -> bool {
    needle.len() >= 4 && html.matches(needle).count() == 1
}

/// The words of an HTML fragment: tags and scripts dropped, entities of
/// the common kinds read, whitespace collapsed.
fn words_of(fragment: &str) -> String {
    let scripts = regex::Regex::new(r"(?is)<(script|style)\b.*?</(script|style)>").expect("regex");
    let tags = regex::Regex::new(r"(?s)<[^>]*>").expect("regex");
    let visible = scripts.replace_all(fragment, " ");
    let text = tags.replace_all(&visible, " ");
    let text = text
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .replace("&#39;", "'")
        .replace("&quot;", "\"");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `html` with the word at `a..b`, chosen from Readability's ground truth,
/// replaced by one no page has.
fn truth_edit(what: &'static str, html: &str, a: usize, b: usize) -> Edit {
    Edit {
        what,
        html: format!("{}quetzalcoatl{}", &html[..a], &html[b..]),
        evidence: "quetzalcoatl".into(),
        in_truth: true,
    }
}

/// A word of a photo caption changed: a caption (`figcaption` or
/// caption-classed element) that Readability's ground truth has as part
/// of the article. stet keeps a caption as the image's caption or in the
/// text; either way its edit must be reported.
fn caption_edit(html: &str, truth: &str) -> Option<Edit> {
    let captions = regex::Regex::new(
        r#"(?is)<(figcaption)\b[^>]*>(.*?)</figcaption>|<(?:p|div|span)\b[^>]*?class="[^"]*caption[^"]*"[^>]*>(.*?)</(?:p|div|span)>"#,
    )
    .expect("regex");
    let word = regex::Regex::new(r"\b[a-z]{5,}\b").expect("regex");
    for c in captions.captures_iter(html) {
        let Some(inner) = c.get(2).or_else(|| c.get(3)) else {
            continue;
        };
        let words = words_of(inner.as_str());
        if words.len() < 20 || !truth.contains(&words) {
            continue;
        }
        // The first long lowercase word of the caption's text (not of a tag
        // inside it), replaced where it stands.
        if let Some((a, b)) = word_outside_tags(inner, &word) {
            return Some(truth_edit("caption words changed", html, a, b));
        }
    }
    None
}

/// Where in the page the first match of `word` in the text of `inner` (not
/// inside one of its tags) stands.
fn word_outside_tags(inner: regex::Match, word: &regex::Regex) -> Option<(usize, usize)> {
    let tags = regex::Regex::new(r"(?s)<[^>]*>").expect("regex");
    let mut at = 0;
    let mut runs: Vec<(usize, usize)> = tags
        .find_iter(inner.as_str())
        .map(|t| {
            let run = (at, t.start());
            at = t.end();
            run
        })
        .collect();
    runs.push((at, inner.len()));
    runs.into_iter().find_map(|(from, to)| {
        let w = word.find(&inner.as_str()[from..to])?;
        Some((
            inner.start() + from + w.start(),
            inner.start() + from + w.end(),
        ))
    })
}

/// A word inside a link or an inline element, in a sentence of the
/// article as Readability's ground truth has it ("<a class="meta-org">
/// Yahoo</a>'s $4.8 billion sale to …"): whatever the element's class,
/// words in running text are the article's, and their edit is reported.
fn inline_words_edit(html: &str, truth: &str) -> Option<Edit> {
    let paragraphs = regex::Regex::new(r"(?is)<p\b[^>]*>(.*?)</p>").expect("regex");
    let inline = regex::Regex::new(
        r#"(?is)<(a|span|time|em|strong|b|i)\b[^>]*>([^<]{3,60})</(?:a|span|time|em|strong|b|i)>"#,
    )
    .expect("regex");
    let word = regex::Regex::new(r"\b[A-Za-z]{4,}\b").expect("regex");
    for p in paragraphs.captures_iter(html) {
        let Some(inner) = p.get(1) else { continue };
        let words = words_of(inner.as_str());
        if words.len() < 80 || !truth.contains(&words) {
            continue;
        }
        for e in inline.captures_iter(inner.as_str()) {
            let Some(text) = e.get(2) else { continue };
            // In a sentence: most of the paragraph is outside the element.
            if words_of(text.as_str()).len() * 4 > words.len() {
                continue;
            }
            let Some(w) = word.find(text.as_str()) else {
                continue;
            };
            let a = inner.start() + text.start() + w.start();
            let b = inner.start() + text.start() + w.end();
            return Some(truth_edit(
                "words in a link or inline element changed",
                html,
                a,
                b,
            ));
        }
    }
    None
}

/// A word of the page's headline changed, and only there (`<title>` and
/// `og:title` kept): the first word of four letters or more in the first
/// `<h1>` showing the extractor's headline, or else in the first `<h2>` or
/// `<h3>` of three words or more that the page's title holds (a blog
/// titles its post so under the blog's name in the `<h1>`). Content
/// detection leaves the headline out of the text when it repeats the
/// title; its edit must still be reported.
fn headline_edit(html: &str, original: &Document) -> Option<Edit> {
    let h1 = regex::Regex::new(r"(?is)<h1\b[^>]*>(.*?)</h1>").expect("regex");
    let h23 = regex::Regex::new(r"(?is)<h[23]\b[^>]*>(.*?)</h[23]>").expect("regex");
    let word = regex::Regex::new(r"\b[A-Za-z][a-z]{3,}\b").expect("regex");
    let blanked = scripts_blanked(html);
    // The first heading of the page (not one in a script's string) whose
    // words, but for a permalink ("¶"), are `shows`: a later copy may be
    // the hidden one of a sticky bar.
    let first = |heading: &regex::Regex, shows: &dyn Fn(&str) -> bool| {
        heading
            .captures_iter(&blanked)
            .filter_map(|c| c.get(1))
            .find(|inner| {
                let words = words_of(inner.as_str()).replace('¶', "");
                let words = words.trim();
                !words.is_empty() && shows(words)
            })
    };
    // An `<h1>` showing the article's headline (or one of its copies,
    // joined by " / "), not a logo's or a hidden caption's.
    let by_h1 = original
        .headline
        .as_deref()
        .and_then(|headline| first(&h1, &|words| headline.contains(words)));
    let titles: Vec<&str> = original
        .title
        .iter()
        .chain(original.meta.get("og:title"))
        .map(String::as_str)
        .collect();
    let shown = by_h1.or_else(|| {
        first(&h23, &|words| {
            words.split_whitespace().count() >= 3 && titles.iter().any(|t| t.contains(words))
        })
    });
    let (a, b) = word_outside_tags(shown?, &word)?;
    Some(Edit {
        what: "headline word changed",
        html: format!("{}Quetzalcoatl{}", &html[..a], &html[b..]),
        evidence: "Quetzalcoatl".into(),
        // Seen by every reader, whatever the extractor keeps.
        in_truth: true,
    })
}

fn edits_for(html: &str, original: &Document, truth: Option<&str>) -> Vec<Edit> {
    let mut out = Vec::new();
    out.extend(truth.and_then(|t| caption_edit(html, t)));
    out.extend(truth.and_then(|t| inline_words_edit(html, t)));
    out.extend(headline_edit(html, original));
    let paragraphs: Vec<&str> = original
        .blocks
        .iter()
        .map(|b| b.text.as_str())
        .filter(|t| t.split_whitespace().count() >= 12)
        .collect();
    // A word replaced: a long word found once in the page.
    'word: for p in &paragraphs {
        for w in p.split_whitespace() {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            if w.len() >= 7
                && w.chars().all(|c| c.is_ascii_lowercase())
                && unique(html, &format!(" {w} "))
            {
                out.push(Edit {
                    what: "word replaced",
                    html: html.replacen(&format!(" {w} "), " zanzibarian ", 1),
                    evidence: "zanzibarian".into(),
                    in_truth: false,
                });
                break 'word;
            }
        }
    }
    // A number changed.
    'number: for p in &paragraphs {
        for w in p.split_whitespace() {
            let n = w.trim_matches(|c: char| !c.is_ascii_digit());
            if (2..=4).contains(&n.len())
                && n.chars().all(|c| c.is_ascii_digit())
                && unique(html, &format!(" {n} "))
            {
                let changed: u32 = n.parse::<u32>().unwrap_or(0) + 7;
                out.push(Edit {
                    what: "number changed",
                    html: html.replacen(&format!(" {n} "), &format!(" {changed} "), 1),
                    evidence: changed.to_string(),
                    in_truth: false,
                });
                break 'number;
            }
        }
    }
    // A sentence deleted: a whole sentence found once, in plain text.
    'sentence: for p in &paragraphs {
        for s in p.split_inclusive(". ") {
            let s = s.trim();
            if s.split_whitespace().count() >= 6 && s.ends_with('.') && unique(html, s) {
                out.push(Edit {
                    what: "sentence deleted",
                    html: html.replacen(s, "", 1),
                    evidence: s.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
                    in_truth: false,
                });
                break 'sentence;
            }
        }
    }
    // A sentence inserted before a sentence in the middle of the article.
    'insert: for p in paragraphs.iter().skip(paragraphs.len() / 2) {
        for (i, _) in p.match_indices(". ") {
            let next: String = p[i + 2..]
                .split_whitespace()
                .take(4)
                .collect::<Vec<_>>()
                .join(" ");
            if next.split_whitespace().count() == 4
                && next.starts_with(|c: char| c.is_uppercase())
                && unique(html, &next)
            {
                let added = "Officials declined to comment on the zanzibarian harbour plan. ";
                out.push(Edit {
                    what: "sentence inserted",
                    html: html.replacen(&next, &format!("{added}{next}"), 1),
                    evidence: "declined to comment on the zanzibarian".into(),
                    in_truth: false,
                });
                break 'insert;
            }
        }
    }
    // Words changed inside quoted speech.
    let quoted = regex::Regex::new(r#"[“"]([^”"]{12,300})[”"]"#).expect("regex");
    'quote: for p in &paragraphs {
        for q in quoted.captures_iter(p) {
            for w in q[1].split_whitespace() {
                let w = w.trim_matches(|c: char| !c.is_alphanumeric());
                if w.len() >= 5
                    && w.chars().all(|c| c.is_ascii_lowercase())
                    && unique(html, &format!(" {w} "))
                {
                    out.push(Edit {
                        what: "quote changed",
                        html: html.replacen(&format!(" {w} "), " quixotically ", 1),
                        evidence: "quixotically".into(),
                        in_truth: false,
                    });
                    break 'quote;
                }
            }
        }
    }
    // A link of the article pointed at another page (same words).
    let base = url::Url::parse(BASE).expect("base");
    let text = original
        .text()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let hrefs = regex::Regex::new(r##"<a\b[^>]*?\shref="([^"#][^"]*)""##).expect("regex");
    'link: for c in hrefs.captures_iter(html) {
        let raw = c[1].trim();
        let Ok(abs) = base.join(raw) else { continue };
        if !matches!(abs.scheme(), "http" | "https")
            || !unique(html, &format!("\"{raw}\""))
            || !original.links.iter().any(|l| {
                // A link in the article's words (not in a line of furniture
                // the extractor left out of the text, not the writer's name
                // linked to her page: the byline's).
                let words = l.text.split_whitespace().collect::<Vec<_>>().join(" ");
                l.href == abs.as_str()
                    && words.len() >= 4
                    && text.contains(&words)
                    && !original
                        .bylines
                        .iter()
                        .any(|b| b.eq_ignore_ascii_case(&words))
            })
        {
            continue;
        }
        let moved = format!(
            "{}://{}/zanzibar-inquiry-2027",
            abs.scheme(),
            abs.host_str().unwrap_or("fakehost")
        );
        out.push(Edit {
            what: "link target changed",
            html: html.replacen(&format!("\"{raw}\""), &format!("\"{moved}\""), 1),
            evidence: "zanzibar-inquiry-2027".into(),
            in_truth: false,
        });
        break 'link;
    }
    // An image of the article replaced by another picture (another file).
    let attrs = regex::Regex::new(
        r#"<img\b[^>]*?\s(?:data-src|data-lazy-src|data-original|src)="([^"]+)""#,
    )
    .expect("regex");
    'image: for c in attrs.captures_iter(html) {
        let raw = c[1].trim();
        let Ok(abs) = base.join(raw) else { continue };
        let (Some(slash), true) = (raw.rfind('/'), is_resource_url(raw)) else {
            continue;
        };
        if !unique(html, &format!("\"{raw}\""))
            || !original.images.iter().any(|i| i.src == abs.as_str())
        {
            continue;
        }
        let file = &raw[slash + 1..];
        let ext = file.find('.').map_or("", |d| {
            &file[d..file[d..].find(['?', '#']).map_or(file.len(), |e| d + e)]
        });
        let other = format!("{}zanzibar-harbour-2027{ext}", &raw[..slash + 1]);
        out.push(Edit {
            what: "image replaced",
            html: html.replacen(&format!("\"{raw}\""), &format!("\"{other}\""), 1),
            evidence: "zanzibar-harbour-2027".into(),
            in_truth: false,
        });
        break 'image;
    }
    // A correction inserted after a paragraph in the middle of the
    // article, and one appended after its last paragraph, in one of the
    // forms newsrooms and agencies write (chosen by the page).
    let (mid, appended) = (&NOTICES[0], &NOTICES[1 + html.len() % (NOTICES.len() - 1)]);
    let corrections = [
        (
            paragraphs.get(paragraphs.len() / 2),
            "correction inserted mid-article",
            mid,
        ),
        (paragraphs.last(), "correction appended", appended),
    ];
    for (paragraph, what, (text, evidence, _)) in corrections {
        if let Some(at) = paragraph.and_then(|p| after_paragraph_ending(html, p)) {
            out.push(Edit {
                what,
                html: insert(html, at, &format!("<p>{text}</p>")),
                evidence: (*evidence).into(),
                in_truth: false,
            });
        }
    }
    out
}

/// Correction notices (their text, the words that show it was found, and
/// the notice it must be reported as).
const NOTICES: &[(&str, &str, NoticeKind)] = &[
    (
        "Update: This article has been corrected to say the ministry spoke on Tuesday, not Wednesday.",
        "Update: This article has been corrected",
        NoticeKind::Update,
    ),
    (
        "Correction: An earlier version of this article misstated the date of the meeting.",
        "Correction: An earlier version",
        NoticeKind::Correction,
    ),
    (
        "(Corrects paragraph 2 to show the ministry spoke on Tuesday, not Wednesday)",
        "(Corrects paragraph 2",
        NoticeKind::Correction,
    ),
    (
        "Editor’s note, March 5: This story was updated with the ministry’s response.",
        "This story was updated",
        NoticeKind::EditorsNote,
    ),
    (
        "Korrekturhinweis: In einer früheren Version dieses Artikels stand ein falsches Datum.",
        "Korrekturhinweis",
        NoticeKind::Correction,
    ),
    (
        "Fe de errores: una versión anterior de este artículo indicaba una fecha equivocada.",
        "Fe de errores",
        NoticeKind::Correction,
    ),
    (
        "Rettifica: una versione precedente di questo articolo riportava una data errata.",
        "Rettifica",
        NoticeKind::Correction,
    ),
    (
        "Correção: uma versão anterior desta reportagem informava a data errada da reunião.",
        "Correção",
        NoticeKind::Correction,
    ),
    (
        "Correctie: in een eerdere versie van dit artikel stond een verkeerde datum.",
        "Correctie",
        NoticeKind::Correction,
    ),
    (
        "[Updated at 3 p.m. with the ministry’s response]",
        "[Updated at 3 p.m.",
        NoticeKind::Update,
    ),
    (
        "Corrected to show the ministry spoke on Tuesday, not Wednesday.",
        "Corrected to show",
        NoticeKind::Correction,
    ),
    (
        "We have amended this article to correct the date of the meeting.",
        "We have amended this article",
        NoticeKind::Correction,
    ),
];

#[derive(Default)]
struct Tally {
    noise_cases: usize,
    false_changes: Vec<String>,
    /// Per noise kind: (cases, false changes).
    kinds: std::collections::BTreeMap<&'static str, (usize, usize)>,
    edit_cases: usize,
    missed: Vec<String>,
    /// Per edit kind: (cases, missed).
    edit_kinds: std::collections::BTreeMap<&'static str, (usize, usize)>,
}

/// A page of the corpora: its name, its HTML, and the words of its
/// expected article when the corpus gives one.
struct Page {
    name: String,
    html: String,
    truth: Option<String>,
}

fn run_page(page: &Page, t: &mut Tally) {
    let (name, html) = (&page.name, &page.html);
    let Some(original) = doc(html) else { return };
    if original.blocks.len() < 3 {
        return;
    }
    for (what, before, after) in noise(html, &original) {
        let reference = if before == *html {
            Some(original.clone())
        } else {
            doc(&before)
        };
        let (Some(a), Some(b)) = (reference, doc(&after)) else {
            continue;
        };
        t.noise_cases += 1;
        let kind = t.kinds.entry(what).or_default();
        kind.0 += 1;
        let c = changes(&a, &b);
        if !c.is_empty() {
            kind.1 += 1;
            t.false_changes
                .push(format!("{name}: {what}: {:?}", c.first()));
        }
    }
    for edit in edits_for(html, &original, page.truth.as_deref()) {
        let Some(d) = doc(&edit.html) else { continue };
        // The HTML change landed outside the article (a meta description,
        // hidden markup): not an article edit.
        if !edit.in_truth
            && d.text() == original.text()
            && d.links == original.links
            && d.images == original.images
        {
            continue;
        }
        t.edit_cases += 1;
        let kind = t.edit_kinds.entry(edit.what).or_default();
        kind.0 += 1;
        let diff = diff_documents(&original, &d, &DiffOptions::default());
        // A correction notice is reported as one, of its kind.
        let notice = NOTICES.iter().find(|n| n.1 == edit.evidence).map(|n| n.2);
        let as_notice = notice.is_none_or(|kind| {
            corrections(&original, &d, &diff)
                .iter()
                .any(|c| c.action == NoticeAction::Added && c.notice.kind == kind)
        });
        // The changed words must be in what a user reads, too.
        let shown = rendered(&original, &d, diff.clone()).contains(&edit.evidence);
        let found = changes_in(diff)
            .iter()
            .any(|(b, a)| b.contains(&edit.evidence) || a.contains(&edit.evidence));
        if !found || !shown || !as_notice {
            kind.1 += 1;
            t.missed.push(format!(
                "{name}: {} ({}){}",
                edit.what,
                edit.evidence,
                if !found {
                    ""
                } else if !shown {
                    ": not in the text report"
                } else {
                    ": not reported as a notice of its kind"
                }
            ));
        }
    }
}

/// The text report of the diff (`stet diff A B`, no colour).
fn rendered(a: &Document, b: &Document, diff: stet::diff::DocDiff) -> String {
    let r = stet::model::DiffReport {
        old: stet::model::Side::from_document("old", a),
        new: stet::model::Side::from_document("new", b),
        diff,
        old_doc: a.clone(),
        new_doc: b.clone(),
        strict: false,
    };
    stet::report::diff_text(&r, false)
}

/// Readability's test pages, each with its expected article's words.
fn readability_pages(dir: &std::path::Path) -> Vec<Page> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("corpus dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("source.html").is_file())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .map(|d| Page {
            name: d
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            html: String::from_utf8_lossy(&std::fs::read(d.join("source.html")).expect("page"))
                .into_owned(),
            truth: std::fs::read_to_string(d.join("expected.html"))
                .ok()
                .map(|t| words_of(&t)),
        })
        .collect()
}

/// Readability's 130 test pages; with `STET_EDIT_DETECTION=all`, every page
/// of the three corpora (391, the news pages among them: a few minutes in a
/// release build, so not by default).
#[test]
fn noise_is_no_edit_and_edits_are_found_on_real_pages() {
    let Some(dir) = common::shared("corpus/readability/test/test-pages") else {
        return;
    };
    let all = std::env::var("STET_EDIT_DETECTION").is_ok_and(|v| v == "all");
    let pages: Vec<Page> = if all {
        let Some(pages) = common::corpus::pages_or_skip() else {
            return;
        };
        let truths: std::collections::HashMap<String, String> = readability_pages(&dir)
            .into_iter()
            .filter_map(|p| Some((p.name, p.truth?)))
            .collect();
        pages
            .into_iter()
            .map(|(name, html)| Page {
                truth: truths.get(&name).cloned(),
                name,
                html,
            })
            .collect()
    } else {
        readability_pages(&dir)
    };
    let tally = Mutex::new(Tally::default());
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(page) = pages.get(i) else { break };
                let mut local = Tally::default();
                run_page(page, &mut local);
                let mut t = tally.lock().expect("tally");
                t.noise_cases += local.noise_cases;
                t.false_changes.extend(local.false_changes);
                for (k, (n, f)) in local.kinds {
                    let e = t.kinds.entry(k).or_default();
                    e.0 += n;
                    e.1 += f;
                }
                t.edit_cases += local.edit_cases;
                t.missed.extend(local.missed);
                for (k, (n, m)) in local.edit_kinds {
                    let e = t.edit_kinds.entry(k).or_default();
                    e.0 += n;
                    e.1 += m;
                }
            });
        }
    });
    let mut t = tally.into_inner().expect("tally");
    t.false_changes.sort();
    t.missed.sort();
    let fp = 100.0 * t.false_changes.len() as f64 / t.noise_cases.max(1) as f64;
    let found = t.edit_cases - t.missed.len();
    let recall = 100.0 * found as f64 / t.edit_cases.max(1) as f64;
    eprintln!(
        "noise: {} of {} unchanged articles reported as changed (FP {fp:.2}%); \
         edits: {found} of {} found (recall {recall:.2}%)",
        t.false_changes.len(),
        t.noise_cases,
        t.edit_cases,
    );
    eprintln!("noise kinds (false changes of cases):");
    for (k, (n, f)) in &t.kinds {
        eprintln!("  {k}: {f} of {n}");
    }
    eprintln!("edit kinds (missed of cases):");
    for (k, (n, m)) in &t.edit_kinds {
        eprintln!("  {k}: {m} of {n}");
    }
    for f in t.false_changes.iter().chain(&t.missed) {
        eprintln!("  {f}");
    }
    assert!(
        t.noise_cases >= 1800 && t.edit_cases >= 300,
        "{} noise cases, {} edit cases",
        t.noise_cases,
        t.edit_cases
    );
    assert!(
        t.false_changes.len() * 100 <= t.noise_cases,
        "more than 1% false changes"
    );
    assert!(
        t.missed.len() * 100 <= t.edit_cases,
        "fewer than 99% of edits found"
    );
    // A kind of noise reported systematically is a false finding that
    // every such redeploy makes, even when its cases are few. Class names
    // renamed by a build change on every page of a site at each deploy:
    // at most 1% there.
    // Known gaps, held where they stand until fixed: a body split by an ad
    // slot still moves what content detection keeps on one page (tumblr's,
    // split after the post's heading, before its only paragraph: the
    // heading's part holds no prose to join; 15 of 55 before the parts
    // were joined back, `extract::rejoin`, 6 of 276 over all the corpora
    // before bare `<article>`s and data-marked sections were).
    const KNOWN_GAPS: &[(&str, usize)] = &[("body split by a mid-article ad slot", 1)];
    for (k, (n, f)) in &t.kinds {
        if let Some((_, most)) = KNOWN_GAPS.iter().find(|(name, _)| name == k) {
            assert!(
                f <= most,
                "{k}: {f} of {n} unchanged articles reported as changed (at most {most})"
            );
            continue;
        }
        let per = if k.ends_with("class names") { 100 } else { 20 };
        assert!(
            f * per <= *n,
            "{k}: {f} of {n} unchanged articles reported as changed"
        );
    }
    // A kind of edit missed systematically is a blind spot even when its
    // cases are few among all the edits.
    // A headline is what every reader sees first: each of its edits.
    for (k, (n, m)) in &t.edit_kinds {
        let most = if *k == "headline word changed" {
            0
        } else {
            n / 10
        };
        assert!(*m <= most, "{k}: {m} of {n} missed");
    }
}
