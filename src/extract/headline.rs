//! The article's headline as the page shows it: its `<h1>`.
//!
//! Content detection leaves the headline out of the text when it repeats
//! the page title, so an edit of the headline alone (the `<title>` and
//! `og:title` kept as they were) would pass unseen. The headline is kept
//! as a field of its own and compared like the article's words.
//!
//! Which `<h1>` is the headline is decided by the titles the page gives
//! itself, not by position: a page may also have a logo, a cookie banner or
//! a "most read" box in an `<h1>`, and one added by a redeploy must not
//! change the answer. The headline is each `<h1>` (outside navigation,
//! sidebars, footers and hidden text, and not the site's name linked to its
//! front page) that shares at least half of its words with one of the
//! page's titles, and at least half of that title's words. A page that
//! shows its headline twice (a sticky bar, a copy for search engines) with
//! different words has both, joined by ` / `, so that an edit of either is
//! seen. A page with no such `<h1>` has, in this order: copies of one
//! `<h1>` shown more than once (alike in words, as above); the first
//! `<h2>` or `<h3>` like a title or a title's first part (a blog's theme
//! titles a post so, under the blog's name in the `<h1>`); its only
//! `<h1>`. Otherwise it has none.

use std::sync::LazyLock;

use dom_query::NodeRef;

use super::content::{hidden_by, is_permalink};
use super::normalize::normalize_text;
use super::tokens::{has_word, ClassTokens};

/// An `<h1>` longer than this is not a headline but a misused container.
const MAX_CHARS: usize = 400;

/// What joins the versions of a headline shown more than once.
const JOIN: &str = " / ";

/// The headline under `roots` (in document order), given the page's
/// titles (`<title>`, `og:title`, JSON-LD `headline`).
pub(crate) fn headline(roots: &[NodeRef], raw_titles: &[&str]) -> Option<String> {
    let mut shown: Vec<String> = Vec::new();
    // How many `<h1>`s show a headline, a copy counted again.
    let mut elements = 0;
    for h1 in roots
        .iter()
        .flat_map(|r| std::iter::once(*r).chain(r.descendants_it()))
        .filter(|n| n.has_name("h1") && !set_aside(n) && !is_site_name(n))
    {
        let text = heading_text(&h1);
        if !text.is_empty()
            && text.chars().count() <= MAX_CHARS
            && text.chars().any(char::is_alphanumeric)
        {
            elements += 1;
            if !shown.contains(&text) {
                shown.push(text);
            }
        }
    }
    let titles: Vec<Vec<String>> = raw_titles.iter().map(|t| words(t)).collect();
    let like: Vec<&str> = shown
        .iter()
        .filter(|h| {
            let own = words(h);
            titles.iter().any(|t| alike(&own, t))
        })
        .map(String::as_str)
        .collect();
    if !like.is_empty() {
        return Some(like.join(JOIN));
    }
    // No `<h1>` like the titles (the page titles itself otherwise): a
    // headline shown more than once (a photo's title block and the post's
    // title), of which a partial edit may have reached only one copy.
    let copies_of_one = match shown.as_slice() {
        [first, rest @ ..] => {
            let first = words(first);
            rest.iter().all(|h| alike(&first, &words(h)))
        }
        [] => false,
    };
    if copies_of_one && elements > 1 {
        return Some(shown.join(JOIN));
    }
    // Else the first `<h2>` or `<h3>` like the titles, or like a title's
    // first part ("Conversations with a Cryptid - Chapter 1 - author -
    // fandom"): a blog's theme titles the post so under the blog's name,
    // a news site under its section's. Only the first: below the post, "3
    // thoughts on …" says the title again with a count that changes.
    let mut titles = titles;
    titles.extend(raw_titles.iter().filter_map(|t| first_part(t)).map(words));
    let subheading = roots
        .iter()
        .flat_map(|r| std::iter::once(*r).chain(r.descendants_it()))
        .filter(|n| (n.has_name("h2") || n.has_name("h3")) && !set_aside(n))
        .map(|n| heading_text(&n))
        .find(|text| {
            text.chars().count() <= MAX_CHARS && {
                let own = words(text);
                titles.iter().any(|t| alike(&own, t))
            }
        });
    // Else a lone `<h1>`.
    match (subheading, shown.as_slice()) {
        (Some(heading), _) => Some(heading),
        (None, [only]) => Some(only.clone()),
        _ => None,
    }
}

/// What separates a title's parts: the headline, the section, the site.
const TITLE_SEPARATORS: &[&str] = &[" - ", " | ", " \u{2013} ", " \u{2014} ", " \u{b7} ", " :: "];

/// A title's first part, when separators divide it into parts.
fn first_part(title: &str) -> Option<&str> {
    TITLE_SEPARATORS
        .iter()
        .filter_map(|sep| title.find(sep))
        .min()
        .map(|at| title[..at].trim())
        .filter(|part| !part.is_empty())
}

/// A heading's words: its text but for a permalink set in it (a "¶"
/// linking to the heading's place on the page, see
/// [`is_permalink`]), which themes add to or drop from every heading.
fn heading_text(heading: &NodeRef) -> String {
    fn walk(n: &NodeRef, out: &mut String) {
        for c in n.children_it(false) {
            if c.is_text() {
                out.push_str(&c.text());
            } else if !(c.has_name("a") && is_permalink(&c, c.attr("href").as_deref())) {
                walk(&c, out);
            }
        }
    }
    let mut out = String::new();
    walk(heading, &mut out);
    normalize_text(&out)
}

/// A standfirst is a sentence or two: shorter is a label, longer is text.
const STANDFIRST_CHARS: std::ops::RangeInclusive<usize> = 20..=400;

/// Class and id words of a standfirst, in the languages of the corpora.
static STANDFIRST: LazyLock<ClassTokens> = LazyLock::new(|| {
    let tokens: Vec<&'static str> = STANDFIRST_WORDS
        .iter()
        .copied()
        .chain(STANDFIRST_TOKENS.iter().copied())
        .collect();
    ClassTokens::new(&tokens)
});

/// Words that say "standfirst" as a class or id token and wherever they
/// stand in a compound class name or id (`c-entry-summary p-dek`,
/// `article-subline`, `m-detail-header--dek`, `ContentHeaderDek-bIqFFZ`).
const STANDFIRST_WORDS: &[&str] = &[
    "dek",
    "standfirst",
    "summary",
    "subline",
    "subtitle",
    "subheadline",
    "subhead",
    "subheading",
    "strapline",
    "sapo",
    "chapo",
    "chapeau",
    "bajada",
    "entradilla",
    "sottotitolo",
];

/// The other class and id tokens of a standfirst, whole: written as one
/// token, or words that name other things in compounds (`intro-video`,
/// `teaser-image`).
const STANDFIRST_TOKENS: &[&str] = &[
    "deck",
    "stand-first",
    "article-summary",
    "sub-title",
    "sub-headline",
    "intro",
    "lede",
    "excerpt",
    "description",
    "teaser",
    "abstract",
];

/// Whether an element says it is a standfirst: by a class or id token
/// (see [`STANDFIRST`]), a `data-` attribute's value (`data-gu-name`,
/// `data-component`, `data-testid`) or schema.org's `itemprop`; or, less
/// surely, by a word of a compound class name or id ([`STANDFIRST_WORDS`]).
fn marked_standfirst(node: &NodeRef) -> bool {
    surely_standfirst(node)
        || ["class", "id"]
            .iter()
            .any(|a| node.attr(a).is_some_and(|v| has_word(&v, STANDFIRST_WORDS)))
}

/// [`marked_standfirst`]'s sure marks: a whole class or id token, a
/// `data-` value, an `itemprop`. What they mark is the standfirst even
/// with its byline in it (the Guardian's).
fn surely_standfirst(node: &NodeRef) -> bool {
    let data = node.element_ref().is_some_and(|el| {
        el.attrs
            .iter()
            .any(|a| a.name.local.starts_with("data-") && STANDFIRST.matches(&a.value))
    });
    data || ["class", "id"]
        .iter()
        .any(|a| node.attr(a).is_some_and(|v| STANDFIRST.matches(&v)))
        || node.attr("itemprop").is_some_and(|v| {
            v.split_ascii_whitespace()
                .any(|p| matches!(p, "description" | "alternativeHeadline" | "abstract"))
        })
}

/// The `<h1>` that shows `headline` (as [`headline`] gives it), and the
/// root it is under.
fn shown_h1<'r, 'a>(
    roots: &'r [NodeRef<'a>],
    headline: &str,
) -> Option<(&'r NodeRef<'a>, NodeRef<'a>)> {
    let shown: Vec<&str> = headline.split(JOIN).collect();
    roots.iter().find_map(|r| {
        std::iter::once(*r)
            .chain(r.descendants_it())
            .find(|n| {
                n.has_name("h1")
                    && !set_aside(n)
                    && shown.contains(&normalize_text(&n.text()).as_str())
            })
            .map(|h1| (r, h1))
    })
}

/// Most characters (not counting white space) of the block around the
/// headline that can be its lead photo's: the headline, a kicker, a
/// caption and credit.
const HERO_CHARS: usize = 400;

/// How far above the `<h1>` its block may be: the Guardian's header sets
/// the lead photo nine levels from the headline's element.
const HERO_LEVELS: usize = 12;

/// The block that sets the page's headline (`headline`, as [`headline`]
/// gives it) over or beside a picture: the nearest element around the
/// `<h1>` (never the page's `<body>`) holding an image outside the `<h1>`
/// (in a `<figure>`, above the `<h1>`'s grandparent) and little more text
/// than the headline and a caption. A template may
/// set the lead photo there, in the page's header, away from the article's
/// body.
pub(crate) fn hero_block<'a>(roots: &[NodeRef<'a>], headline: &str) -> Option<NodeRef<'a>> {
    let (_, h1) = shown_h1(roots, headline)?;
    // Beyond the `<h1>`'s grandparent, a photo set as one: in a `<figure>`
    // (not an author's head shot beside the byline).
    let pictured = |(level, block): &(usize, NodeRef)| {
        block.descendants_it().any(|n| {
            n.has_name("img")
                && !n.ancestors_it(None).any(|a| a.id == h1.id)
                && (*level < 2
                    || n.ancestors_it(None)
                        .take_while(|a| a.id != block.id)
                        .any(|a| a.has_name("figure")))
        })
    };
    std::iter::successors(h1.parent(), NodeRef::parent)
        .take(HERO_LEVELS)
        .take_while(|b| !b.has_name("body") && !b.has_name("html"))
        .enumerate()
        .take_while(|(_, b)| {
            let mut chars = 0;
            for t in b.descendants_it().filter(NodeRef::is_text) {
                chars += t.text().chars().filter(|c| !c.is_whitespace()).count();
                if chars > HERO_CHARS {
                    return false;
                }
            }
            true
        })
        .find(pictured)
        .map(|(_, b)| b)
}

/// The summary right under the headline (a dek, a standfirst: "The vote
/// ends two years of debate, but opponents say …"): the first element with
/// words after the `<h1>` that shows `headline` (after its wrapper's end
/// when it closes one), when its class, id or `itemprop` says it is one,
/// or when it is a heading (`<h2>`, `<h3>`) saying much what one of the
/// page's `descriptions` (its meta description) says; and it is a sentence
/// or two, not a byline. Edits of it are edits a reader sees first;
/// content detection often leaves it out of the text.
pub(crate) fn standfirst(
    roots: &[NodeRef],
    headline: &str,
    descriptions: &[&str],
) -> Option<String> {
    let (root, h1) = shown_h1(roots, headline)?;
    let echoes = |n: &NodeRef| {
        let own = words(&n.text());
        (n.has_name("h2") || n.has_name("h3"))
            && descriptions.iter().any(|d| alike(&own, &words(d)))
    };
    let fits = |next: NodeRef| {
        let text = normalize_text(&shown_text(&next));
        let fits = ["p", "h2", "h3", "div", "span"]
            .iter()
            .any(|t| next.has_name(t))
            && STANDFIRST_CHARS.contains(&text.chars().count())
            && text
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphabetic))
                .count()
                >= 4
            && !set_aside(&next)
            && (surely_standfirst(&next) || !holds_meta(&next) && !opens_text(&next))
            && super::provenance::byline(&text).is_none();
        fits.then_some(text)
    };
    following(&h1)
        .filter(|n| marked_standfirst(n) || echoes(n))
        .and_then(fits)
        .or_else(|| marked_after(root, &h1, fits))
}

/// Whether `node` is a paragraph among the article's: its parent holds
/// two more of prose (150 characters or more). TechCrunch marks its first
/// paragraph `speakable-summary`; a standfirst stands apart from the text.
fn opens_text(node: &NodeRef) -> bool {
    node.has_name("p")
        && node.parent().is_some_and(|parent| {
            parent
                .element_children()
                .iter()
                .filter(|p| p.id != node.id && p.has_name("p"))
                .filter(|p| p.text().chars().count() >= 150)
                .nth(1)
                .is_some()
        })
}

/// The words of a standfirst's element as a reader takes them: without
/// the widgets a template sets in it (a reading time, "This article is
/// more than 5 years old", a gift counter, buttons), whose lines change by
/// themselves; its blocks apart.
fn shown_text(node: &NodeRef) -> String {
    fn walk(n: &NodeRef, out: &mut String) {
        for c in n.children_it(false) {
            if c.is_text() {
                out.push_str(&c.text());
                continue;
            }
            let skipped = ["button", "script", "style", "template"];
            if !c.is_element() || skipped.iter().any(|t| c.has_name(t)) {
                continue;
            }
            let block = ["p", "div", "li", "h2", "h3", "h4", "br", "section"]
                .iter()
                .any(|t| c.has_name(t));
            let line = normalize_text(&c.text());
            let widget = super::promo::is_widget_line(&line) || super::promo::is_label(&line);
            if block {
                out.push(' ');
            }
            if !widget {
                walk(&c, out);
            }
            if block {
                out.push(' ');
            }
        }
    }
    let mut out = String::new();
    walk(node, &mut out);
    out
}

/// Class words of a byline's element.
const AUTHOR_WORDS: &[&str] = &["author", "byline"];

/// Class words of a date's element.
const DATE_WORDS: &[&str] = &["date", "dateline", "timestamp"];

/// Whether `node` holds the article's byline or date, or is in one (a
/// `<time>`, an element marked as the author or a date, a list of them): a
/// header's "subhead" or "subline" is often that.
fn holds_meta(node: &NodeRef) -> bool {
    let author = |n: &NodeRef| {
        n.attr("itemprop").is_some_and(|v| v.contains("author"))
            || n.attr("class").is_some_and(|v| has_word(&v, AUTHOR_WORDS))
    };
    node.ancestors_it(Some(3)).any(|a| author(&a))
        || std::iter::once(*node)
            .chain(node.descendants_it())
            .filter(NodeRef::is_element)
            .any(|n| {
                author(&n)
                    || n.has_name("time")
                    || n.has_name("ul")
                    || n.has_name("ol")
                    || n.attr("itemprop").is_some_and(|v| v.contains("date"))
                    || n.attr("class").is_some_and(|v| has_word(&v, DATE_WORDS))
            })
}

/// Elements looked through after the headline for one marked as the
/// standfirst, when it does not follow the headline at once (the
/// Guardian sets the lead picture between them).
const MARKED_WITHIN: usize = 300;

/// What `fits` makes of the first element after `h1` (in `root`, in
/// document order) marked as a standfirst that it takes, before the
/// article's prose begins (a paragraph of 150 characters or more) and
/// within [`MARKED_WITHIN`] elements.
fn marked_after<'a>(
    root: &NodeRef<'a>,
    h1: &NodeRef<'a>,
    fits: impl Fn(NodeRef<'a>) -> Option<String>,
) -> Option<String> {
    let mut after = root
        .descendants_it()
        .filter(NodeRef::is_element)
        .skip_while(|n| n.id != h1.id)
        .skip(1)
        .filter(|n| !n.ancestors_it(None).any(|a| a.id == h1.id));
    for n in after.by_ref().take(MARKED_WITHIN) {
        if let Some(text) = marked_standfirst(&n).then(|| fits(n)).flatten() {
            return Some(text);
        }
        if n.has_name("p") && n.text().chars().count() >= 150 {
            return None;
        }
    }
    None
}

/// The first element with words after `node`: a later sibling, or one of
/// its wrappers' (a few levels up).
fn following<'a>(node: &NodeRef<'a>) -> Option<NodeRef<'a>> {
    let mut at = *node;
    for _ in 0..3 {
        let mut sibling = at.next_element_sibling();
        while let Some(s) = sibling {
            let shown = !["script", "style", "noscript", "template"]
                .iter()
                .any(|t| s.has_name(t));
            if shown && s.text().chars().any(char::is_alphanumeric) {
                return Some(s);
            }
            sibling = s.next_element_sibling();
        }
        at = at.parent().filter(|p| !p.has_name("body"))?;
    }
    None
}

/// Whether two texts' words (see [`words`]) are mostly the same: each
/// shares at least half of its words with the other.
fn alike(a: &[String], b: &[String]) -> bool {
    let shared = a.iter().filter(|w| b.contains(w)).count();
    shared > 0 && shared * 2 >= a.len() && shared * 2 >= b.len()
}

/// The distinct lower-case words of `s`.
fn words(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let w = w.to_lowercase();
        if !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

/// Whether an `<h1>` is the site's name: all its words a link to the
/// site's front page (`<h1 class="site-title"><a href="/" rel="home">`,
/// Sphinx's `<h1><a href="index.html">`), as themes set their logo. Its
/// words are often part of the title ("… — evolve extension for
/// Mercurial"), and it is no headline.
fn is_site_name(h1: &NodeRef) -> bool {
    let links: Vec<NodeRef> = h1.descendants_it().filter(|n| n.has_name("a")).collect();
    let [link] = links.as_slice() else {
        return false;
    };
    let home = link.attr("rel").is_some_and(|r| {
        r.split_ascii_whitespace()
            .any(|t| t.eq_ignore_ascii_case("home"))
    }) || link.attr("href").is_some_and(|h| is_front_page(h.trim()));
    home && normalize_text(&link.text()) == normalize_text(&h1.text())
}

/// Whether an `href` names a site's front page: its root, or the root's
/// index file, whatever its query (a campaign's `?utm_source=…`), and
/// written absolute, protocol-relative or relative.
fn is_front_page(href: &str) -> bool {
    let href = href.split(['?', '#']).next().unwrap_or_default();
    let after_host = href
        .split_once("://")
        .map(|(_, rest)| rest)
        .or_else(|| href.strip_prefix("//"));
    let path = match after_host {
        Some(rest) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => href,
    };
    let path = path.trim_start_matches("./").trim_start_matches('/');
    path.is_empty() || matches!(path, "index.html" | "index.htm" | "index.php")
}

/// Whether `node` is in navigation, a sidebar, a footer, or hidden. Not
/// [`super::content::is_boilerplate`]'s landmark rule: a page's
/// `role="banner"` header (or a `<form>` around the page) often holds the
/// headline itself.
fn set_aside(node: &NodeRef) -> bool {
    std::iter::once(*node)
        .chain(node.ancestors_it(None))
        .filter_map(|n| n.element_ref().map(|el| (n, el)))
        .any(|(n, el)| {
            let attr = |name: &str| n.attr(name);
            matches!(
                &*el.name.local,
                "nav" | "aside" | "footer" | "menu" | "template"
            ) || attr("hidden").is_some()
                || attr("aria-hidden").is_some_and(|v| v.trim() == "true")
                || attr("role").is_some_and(|r| {
                    matches!(r.trim(), "navigation" | "complementary" | "contentinfo")
                })
                || hidden_by(attr("class").as_deref(), attr("style").as_deref())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(html: &str, titles: &[&str]) -> Option<String> {
        let dom = super::super::parse::document(html);
        let root = dom.root();
        headline(&[root], titles)
    }

    #[test]
    fn the_h1_sharing_the_titles_words_is_the_headline_wherever_it_stands() {
        let page = |extra: &str| {
            format!(
                "<body>{extra}<header><h1><a href=\"/\">Harbour Gazette</a></h1></header>\
                 <article><h1>Harbour closes after the storm</h1><p>Text.</p></article></body>"
            )
        };
        let titles = ["Harbour closes after the storm | Harbour Gazette"];
        let want = Some("Harbour closes after the storm".to_owned());
        assert_eq!(of(&page(""), &titles), want);
        // A banner's h1 added by a redeploy changes nothing.
        assert_eq!(
            of(
                &page("<div class=\"banner\"><h1>We value your privacy</h1></div>"),
                &titles
            ),
            want
        );
        // An edited headline is still found, and read as it is now.
        assert_eq!(
            of(&page("").replace("closes", "reopens"), &titles),
            Some("Harbour reopens after the storm".to_owned())
        );
    }

    /// A paragraph of the article's prose.
    const PROSE: &str =
        "The council met on Tuesday to discuss the harbour plan, which has divided \
                         residents for years and drawn objections from fishermen, shop owners and \
                         the harbour master.";

    fn standfirst_of(html: &str) -> Option<String> {
        described(html, &[])
    }

    fn described(html: &str, descriptions: &[&str]) -> Option<String> {
        let dom = super::super::parse::document(html);
        let root = dom.root();
        let h = headline(&[root], &["Council approves harbour wall plan"])?;
        standfirst(&[root], &h, descriptions)
    }

    #[test]
    fn the_summary_marked_under_the_headline_is_the_standfirst() {
        let dek = "The vote ends two years of debate, but opponents say businesses will pay.";
        let want = Some(dek.to_owned());
        for html in [
            format!("<header><h1>Council approves harbour wall plan</h1><p class=\"standfirst\">{dek}</p></header>"),
            // After the headline's wrapper, past a script, marked by its id.
            format!("<div><h1><span>Council approves harbour wall plan</span></h1></div><script>var a = 1;</script>\
                     <p id=\"article-summary\" class=\"css-1ifw933\">{dek}</p>"),
            format!("<h1>Council approves harbour wall plan</h1><h2 class=\"c-article__dek_x7Yz1\">{dek}</h2>"),
            format!("<h1>Council approves harbour wall plan</h1><div itemprop=\"description\">{dek}</div>"),
            // A word of a compound class name, a BEM modifier, a styled
            // component's name.
            format!("<h1>Council approves harbour wall plan</h1><p class=\"c-entry-summary p-dek\">{dek}</p>"),
            format!("<h1>Council approves harbour wall plan</h1><h2 class=\"article-subline\">{dek}</h2>"),
            format!("<h1>Council approves harbour wall plan</h1><div class=\"m-detail-header--dek\">{dek}</div>"),
            format!("<h1>Council approves harbour wall plan</h1><div class=\"BaseWrap-sc-gjQpdd ContentHeaderDek-bIqFFZ jpMtme\">{dek}</div>"),
            // Past a header's "subhead" holding the byline and the date.
            format!("<h1>Council approves harbour wall plan</h1><div class=\"articleHeader--subhead\">\
                     <span class=\"articleHeader--subhead-name\">JANIE HAR</span>\
                     <time datetime=\"2019-11-20\">Nov. 20, 2019</time></div><p class=\"dek\">{dek}</p>"),
            // Further down, past a byline and the lead picture's caption,
            // marked by a data attribute (the Guardian's).
            format!("<header><h1>Council approves harbour wall plan</h1></header><main>\
                     <p class=\"byline\">Sarah Lind</p><figure><img src=\"/a.jpg\">\
                     <figcaption>The harbour wall. Photo: Jane Doe</figcaption></figure>\
                     <div data-gu-name=\"standfirst\"><div><p>{dek}</p></div></div></main>"),
        ] {
            assert_eq!(standfirst_of(&html), want, "{html}");
        }
        // Not a standfirst: a byline, an unmarked first paragraph, a marked
        // element further down, a label.
        for html in [
            "<h1>Council approves harbour wall plan</h1><p class=\"summary\">By Sarah Lind</p>".to_owned(),
            format!("<h1>Council approves harbour wall plan</h1><p>{dek}</p>"),
            // Marked after the article's prose has begun.
            format!("<h1>Council approves harbour wall plan</h1><p>{PROSE}</p><p class=\"dek\">{dek}</p>"),
            "<h1>Council approves harbour wall plan</h1><p class=\"intro\">Analysis</p>".to_owned(),
            "<h1>Council approves harbour wall plan</h1><div class=\"summary_data\"><ul><li>by Lighthouse \
             Patent Office / 2016.12.01</li></ul></div>"
                .to_owned(),
            // The article's first paragraph, marked for voice assistants.
            format!("<h1>Council approves harbour wall plan</h1><div><p id=\"speakable-summary\">{dek}</p><p>{PROSE}</p><p>{PROSE}</p></div>"),
            // `intro` in a compound name is something else.
            format!("<h1>Council approves harbour wall plan</h1><div class=\"intro-video\">{dek}</div>"),
        ] {
            assert_eq!(standfirst_of(&html), None, "{html}");
        }
    }

    #[test]
    fn a_widget_set_in_the_standfirst_is_not_its_words() {
        let dek = "The vote ends two years of debate, but opponents say businesses will pay.";
        let page = |widgets: &str| {
            format!(
                "<h1>Council approves harbour wall plan</h1><div class=\"article-title__dek\">\
                 {widgets}<p>{dek}</p></div>"
            )
        };
        for widgets in [
            "<p class=\"byline-meta\"><span class=\"reading-time\">6 min read</span></p>",
            "<div>This article is more than 5 years old</div>",
            "<div class=\"toolbar\"><button>Gift this article</button><button>Save</button>\
             <span>You have 10 gift articles to give each month.</span></div>",
        ] {
            assert_eq!(
                standfirst_of(&page(widgets)),
                Some(dek.to_owned()),
                "{widgets}"
            );
        }
        // Its paragraphs apart, its inline words together.
        assert_eq!(
            standfirst_of(
                "<h1>Council approves harbour wall plan</h1><div class=\"dek\"><p>The vote ends \
                 <em>two</em> years of debate.</p><p>Opponents say businesses will pay.</p></div>"
            ),
            Some(
                "The vote ends two years of debate. Opponents say businesses will pay.".to_owned()
            )
        );
    }

    #[test]
    fn a_heading_under_the_headline_saying_what_the_description_says_is_the_standfirst() {
        let dek = "The vote ends two years of debate, but opponents say businesses will pay.";
        let page = |shown: &str, tag: &str| {
            format!(
                "<div class=\"arti-hd\"><h1>Council approves harbour wall plan</h1>\
                 <{tag} class=\"pb10 hidden-xs\">{shown}</{tag}></div><p>{PROSE}</p>"
            )
        };
        assert_eq!(described(&page(dek, "h2"), &[dek]), Some(dek.to_owned()));
        // Edited on the page and not in the metadata: still the standfirst,
        // as the page shows it.
        let edited = dek.replace("two years", "three years");
        assert_eq!(
            described(&page(&edited, "h3"), &[dek]),
            Some(edited.clone())
        );
        // A heading saying something else, no description, or a paragraph
        // (the lede often repeats the description, and is the article's).
        assert_eq!(
            described(&page("Where the money comes from", "h2"), &[dek]),
            None
        );
        assert_eq!(described(&page(dek, "h2"), &[]), None);
        assert_eq!(described(&page(dek, "p"), &[dek]), None);
    }

    #[test]
    fn a_lone_h1_is_the_headline_and_two_unlike_the_title_are_none() {
        assert_eq!(
            of("<h1>Port shut</h1><p>x</p>", &["Something else"]),
            Some("Port shut".to_owned())
        );
        assert_eq!(of("<h1>Port shut</h1>", &[]), Some("Port shut".to_owned()));
        assert_eq!(of("<h1>One</h1><h1>Two</h1>", &["Three"]), None);
    }

    /// A theme's logo, the site's name in an `<h1>` linking to the front
    /// page, is no headline, even when the title ends with the site's name.
    #[test]
    fn the_sites_name_linked_to_its_front_page_is_no_headline() {
        for logo in [
            "<h1 class=\"site-title\"><a href=\"https://blog.example/\" rel=\"home\">Silicon Exposed</a></h1>",
            "<h1><a href=\"/\">Silicon Exposed</a></h1>",
            "<h1 class=\"heading\"><a href=\"index.html\"><span>Silicon Exposed</span></a></h1>",
            "<h1><a href=\"//blog.example/?utm_source=feed#top\">Silicon Exposed</a></h1>",
        ] {
            let title = ["Open flow for programmable logic — Silicon Exposed"];
            assert_eq!(of(&format!("{logo}<h2>Open flow</h2>"), &title), None, "{logo}");
            // Beside the page's own `<h1>`: that one, whose edit is seen.
            for h1 in [
                "Open flow for programmable logic",
                "Open flow for reprogrammable logic",
            ] {
                assert_eq!(
                    of(&format!("{logo}<h1>{h1}</h1>"), &title),
                    Some(h1.to_owned()),
                    "{logo}"
                );
            }
        }
        // A headline linked to the article, or to another page, stays.
        for h1 in [
            "<h1><a href=\"/2024/03/open-flow\">Open flow</a></h1>",
            "<h1><a href=\"/\">Open</a> flow</h1>",
        ] {
            assert_eq!(
                of(h1, &["Something else"]),
                Some("Open flow".to_owned()),
                "{h1}"
            );
        }
    }

    /// Blogger's themes: the blog's name in the `<h1>`, the post's title
    /// in an `<h3>`, and the title again over the comments.
    #[test]
    fn a_post_titled_in_a_subheading_under_the_blogs_name_has_that_headline() {
        let page = |post: &str, comments: u32| {
            format!(
                "<h1>Silicon Exposed</h1><h2 class=\"date-header\">Monday, 4 March 2024</h2>\
                 <h3 class=\"post-title\">{post}</h3><p>Text.</p>\
                 <h3>{comments} thoughts on \u{201c}Open flow for programmable logic\u{201d}</h3>"
            )
        };
        let title_of_post = ["Silicon Exposed: Open flow for programmable logic"];
        for (post, comments) in [
            ("Open flow for programmable logic", 3),
            ("Open flow for programmable logic", 4),
            ("Open flow for reprogrammable logic", 3),
        ] {
            assert_eq!(
                of(&page(post, comments), &title_of_post),
                Some(post.to_owned())
            );
        }
        // A title of parts (the work, the chapter, the author, the
        // fandom): the subheading like its first part.
        let work = "<h1><a href=\"/\">Archive of Our Own</a></h1><h3>Site Navigation</h3>\
                    <h2 class=\"title heading\">Conversations with a Cryptid</h2>\
                    <h3>Chapter 1</h3>";
        let title = "Conversations with a Cryptid - Chapter 1 - AMournfulHowl - \
                     Boku no Hero Academia | Archive of Our Own";
        assert_eq!(
            of(work, &[title]),
            Some("Conversations with a Cryptid".to_owned())
        );
        // A permalink set in the heading is not its words.
        assert_eq!(
            of(
                "<h3>Open flow for programmable logic<a class=\"headerlink\" href=\"#t\">\u{b6}</a></h3>",
                &title_of_post
            ),
            Some("Open flow for programmable logic".to_owned())
        );
        // A subheading unlike the titles is a section's, not the headline.
        assert_eq!(
            of(
                "<h1>Silicon Exposed</h1><h2>Open flow</h2>",
                &["Silicon Exposed: Open flow for programmable logic"]
            ),
            Some("Silicon Exposed".to_owned())
        );
    }

    #[test]
    fn a_headline_shown_twice_with_different_words_is_both() {
        let page = |sticky: &str| {
            format!(
                "<div class=\"sticky\"><h1>{sticky}</h1></div>\
                 <article><h1>Harbour closes after the storm</h1></article>"
            )
        };
        let titles = ["Harbour closes after the storm"];
        assert_eq!(
            of(&page("Harbour closes after the storm"), &titles),
            Some("Harbour closes after the storm".to_owned())
        );
        assert_eq!(
            of(&page("Harbour reopens after the storm"), &titles),
            Some("Harbour reopens after the storm / Harbour closes after the storm".to_owned())
        );
    }

    /// The Intercept titles a page by its subject ("The Story Behind …")
    /// and shows a quoted headline twice, over the photo and over the
    /// text: an edit that reaches one copy is an edit of the headline,
    /// not its loss.
    #[test]
    fn a_headline_unlike_the_title_shown_twice_is_seen_when_one_copy_changes() {
        let page = |over_photo: &str| {
            format!(
                "<div class=\"photo-title\"><h1>{over_photo}</h1></div>\
                 <article><h1>\u{201c}Between the Hammer and the Anvil\u{201d}</h1></article>"
            )
        };
        let titles = ["The Story Behind the New York Times October 7 Expos\u{e9}"];
        assert_eq!(
            of(
                &page("\u{201c}Between the Hammer and the Anvil\u{201d}"),
                &titles
            ),
            Some("\u{201c}Between the Hammer and the Anvil\u{201d}".to_owned())
        );
        assert_eq!(
            of(
                &page("\u{201c}Caught Between the Hammer and the Anvil\u{201d}"),
                &titles
            ),
            Some(
                "\u{201c}Caught Between the Hammer and the Anvil\u{201d} / \
                 \u{201c}Between the Hammer and the Anvil\u{201d}"
                    .to_owned()
            )
        );
        // Two headlines of unlike words are two stories: none.
        assert_eq!(of(&page("Harbour closes after the storm"), &titles), None);
    }

    #[test]
    fn navigation_sidebars_and_hidden_text_hold_no_headline() {
        let titles = ["Harbour closes"];
        for html in [
            "<nav><h1>Harbour closes</h1></nav>",
            "<aside><h1>Harbour closes</h1></aside>",
            "<footer><h1>Harbour closes</h1></footer>",
            "<h1 class=\"sr-only\">Harbour closes</h1>",
            "<div hidden><h1>Harbour closes</h1></div>",
        ] {
            assert_eq!(of(html, &titles), None, "{html}");
        }
    }
}
