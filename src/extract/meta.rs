//! Page-level metadata: title, `<meta>` tags, canonical URL, language,
//! `<base href>`, JSON-LD article records.

use std::collections::BTreeMap;

use dom_query::{Document, NodeRef};
use serde_json::Value;

use super::normalize::normalize_text;
use super::urls::resolve;
use crate::model::ArticleLd;

/// What the head of a page says.
#[derive(Debug, Default)]
pub(crate) struct PageMeta {
    pub title_tag: Option<String>,
    pub meta: BTreeMap<String, String>,
    pub canonical: Option<String>,
    pub lang: Option<String>,
    /// `<base href>` resolved against the page URL.
    pub base: Option<String>,
    pub json_ld: Vec<ArticleLd>,
}

/// Meta names kept besides every `og:*`, `article:*`, `twitter:*`, `dc.*`,
/// `dcterms.*` and `citation_*`.
const KEPT_NAMES: &[&str] = &[
    "author",
    "byl",
    "copyright",
    "date",
    "description",
    "keywords",
    "news_keywords",
    "original-source",
    "publisher",
    "syndication-source",
    "sailthru.author",
    "parsely-author",
    "parsely-pub-date",
];

fn kept(name: &str) -> bool {
    [
        "og:",
        "article:",
        "twitter:",
        "dc.",
        "dcterms.",
        "citation_",
    ]
    .iter()
    .any(|p| name.starts_with(p))
        || KEPT_NAMES.contains(&name)
}

/// Reads the page metadata in one pass over the elements that carry it.
pub(crate) fn page_meta(doc: &Document, page_url: &str) -> PageMeta {
    let mut pm = PageMeta::default();
    let mut ld_sources: Vec<String> = Vec::new();
    for node in doc.root().descendants_it() {
        let Some(name) = node.qual_name_ref().map(|q| q.local.clone()) else {
            continue;
        };
        let node = &node;
        match &*name {
            "html" if pm.lang.is_none() => {
                pm.lang = attr(node, "lang").filter(|s| !s.is_empty());
            }
            "title" if pm.title_tag.is_none() && !in_svg(node) => {
                pm.title_tag = Some(normalize_text(&node.text())).filter(|s| !s.is_empty());
            }
            "base" if pm.base.is_none() => {
                if let Some(href) = attr(node, "href") {
                    pm.base = resolve(page_url, &href);
                }
            }
            "meta" => {
                let key = attr(node, "property")
                    .or_else(|| attr(node, "name"))
                    .or_else(|| attr(node, "itemprop"))
                    .map(|k| k.trim().to_ascii_lowercase());
                let content = attr(node, "content").map(|c| normalize_text(&c));
                if let (Some(key), Some(content)) = (key, content) {
                    for key in key.split_ascii_whitespace() {
                        if kept(key) && !content.is_empty() {
                            pm.meta
                                .entry(key.to_owned())
                                .or_insert_with(|| content.clone());
                        }
                    }
                }
            }
            "link" if pm.canonical.is_none() && has_rel(node, "canonical") => {
                pm.canonical = attr(node, "href").and_then(|h| resolve(page_url, &h));
            }
            "script" if is_json_ld(node) => {
                ld_sources.push(node.text().to_string());
            }
            _ => {}
        }
    }
    // Canonical links resolve against the page, not <base>: done above
    // with page_url; a relative canonical is rare either way.
    for src in ld_sources {
        json_ld_articles(&src, &mut pm.json_ld);
    }
    pm
}

fn attr(node: &NodeRef, name: &str) -> Option<String> {
    node.attr(name).map(|v| v.to_string())
}

fn has_rel(node: &NodeRef, rel: &str) -> bool {
    attr(node, "rel").is_some_and(|r| {
        r.split_ascii_whitespace()
            .any(|t| t.eq_ignore_ascii_case(rel))
    })
}

fn is_json_ld(node: &NodeRef) -> bool {
    attr(node, "type").is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
}

fn in_svg(node: &NodeRef) -> bool {
    node.ancestors_it(Some(8))
        .any(|a| a.qual_name_ref().is_some_and(|q| &*q.local == "svg"))
}

const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "NewsArticle",
    "AnalysisNewsArticle",
    "AskPublicNewsArticle",
    "BackgroundNewsArticle",
    "OpinionNewsArticle",
    "ReportageNewsArticle",
    "ReviewNewsArticle",
    "BlogPosting",
    "LiveBlogPosting",
    "SocialMediaPosting",
    "DiscussionForumPosting",
    "ScholarlyArticle",
    "TechArticle",
    "Report",
    "SatiricalArticle",
];

fn type_names(v: &Value) -> Vec<String> {
    match v.get("@type") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|t| t.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// `src` with the control characters inside its strings escaped, or
/// `None` when it has none. JSON forbids a raw line break in a string, but
/// CMSs paste an article's body into `articleBody` with its line breaks
/// (a minifier that sets each tag on a line of its own does too), and
/// search engines read such metadata all the same: refusing it lost the
/// page's type, authors and dates.
fn control_chars_escaped(src: &str) -> Option<String> {
    let mut out = String::with_capacity(src.len() + 16);
    let (mut in_string, mut escaped, mut changed) = (false, false, false);
    for c in src.chars() {
        if in_string && !escaped && c < ' ' {
            changed = true;
            match c {
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                _ => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            }
            continue;
        }
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
        }
        out.push(c);
    }
    changed.then_some(out)
}

/// Every article-typed object of a JSON-LD script, in document order,
/// through arrays and `@graph` (iteratively; serde_json caps nesting).
fn json_ld_articles(src: &str, out: &mut Vec<ArticleLd>) {
    let src = src.trim();
    let src = src
        .strip_prefix("<![CDATA[")
        .and_then(|s| s.strip_suffix("]]>"))
        .unwrap_or(src);
    let parsed = serde_json::from_str::<Value>(src).or_else(|e| {
        control_chars_escaped(src).map_or(Err(e), |s| serde_json::from_str::<Value>(&s))
    });
    let Ok(root) = parsed else {
        return;
    };
    let mut stack = vec![&root];
    let mut found = Vec::new();
    while let Some(v) = stack.pop() {
        match v {
            Value::Array(items) => stack.extend(items.iter().rev()),
            Value::Object(map) => {
                let types = type_names(v);
                if let Some(t) = types
                    .iter()
                    .find(|t| ARTICLE_TYPES.contains(&t.trim_start_matches("schema:")))
                {
                    found.push(article_ld(t, v));
                }
                if let Some(graph) = map.get("@graph") {
                    stack.push(graph);
                }
                if let Some(main) = map
                    .get("mainEntity")
                    .or_else(|| map.get("mainEntityOfPage"))
                {
                    if main.is_object() && !type_names(main).is_empty() {
                        stack.push(main);
                    }
                }
            }
            _ => {}
        }
    }
    out.extend(found);
}

fn article_ld(kind: &str, v: &Value) -> ArticleLd {
    ArticleLd {
        kind: kind.to_owned(),
        headline: text_of(v.get("headline")).or_else(|| text_of(v.get("name"))),
        authors: names(v.get("author")),
        publisher: names(v.get("publisher")).into_iter().next(),
        date_published: text_of(v.get("datePublished")),
        date_modified: text_of(v.get("dateModified")),
        is_based_on: v.get("isBasedOn").and_then(|b| match b {
            Value::Array(a) => a.first().and_then(url_or_name),
            other => url_or_name(other),
        }),
        url: text_of(v.get("url")),
    }
}

fn text_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(normalize_text(s)).filter(|s| !s.is_empty()),
        Value::Array(a) => a.iter().find_map(|x| text_of(Some(x))),
        Value::Object(o) => text_of(o.get("@value")),
        _ => None,
    }
}

fn url_or_name(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(normalize_text(s)).filter(|s| !s.is_empty()),
        Value::Object(o) => text_of(o.get("url"))
            .or_else(|| text_of(o.get("@id")))
            .or_else(|| text_of(o.get("name"))),
        _ => None,
    }
}

fn names(v: Option<&Value>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let items: Vec<&Value> = match v {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(other) => vec![other],
        None => Vec::new(),
    };
    for item in items {
        let name = match item {
            Value::String(s) => Some(normalize_text(s)),
            Value::Object(o) => text_of(o.get("name")),
            _ => None,
        };
        if let Some(n) = name.filter(|n| !n.is_empty()) {
            if !out.contains(&n) {
                out.push(n);
            }
        }
    }
    out
}

/// Detection's title, mended where it cut a `--` typed for a dash in two
/// ("History -- extension for Mercurial" became "History -"): without the
/// dangling half, and, as detection does when a cut leaves four words or
/// fewer, the page's whole `<title>` instead, so that the title reads as
/// it does when the dash is typeset ("History — extension …").
pub(crate) fn whole_dash(title: String, title_tag: Option<&str>) -> String {
    let body = title.trim_end_matches(['-', '\u{2013}', '\u{2014}']);
    if body.len() == title.len() || !body.ends_with(' ') {
        return title;
    }
    let body = body.trim_end();
    match title_tag {
        Some(tag) if body.split_whitespace().count() <= 4 => tag.to_owned(),
        _ => body.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_graph_and_arrays() {
        let mut out = Vec::new();
        json_ld_articles(
            r#"[{"@context":"https://schema.org","@graph":[{"@type":"WebPage"},
               {"@type":["NewsArticle"],"headline":"H","author":[{"@type":"Person","name":"A B"},"C D"],
                "publisher":{"@type":"Organization","name":"P"},"datePublished":"2011-04-27",
                "isBasedOn":{"url":"http://x/y"}}]}]"#,
            &mut out,
        );
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].kind, "NewsArticle");
        assert_eq!(out[0].authors, vec!["A B", "C D"]);
        assert_eq!(out[0].publisher.as_deref(), Some("P"));
        assert_eq!(out[0].is_based_on.as_deref(), Some("http://x/y"));
    }

    /// A page's title as detection reads it, in its folded form.
    fn title_of(title: &str) -> Option<String> {
        let html = format!(
            "<html><head><title>{title}</title></head><body><article>\
             <p>The harbour reopened on Tuesday after a week of storms.</p>\
             <p>Fishing boats left at dawn, the first in nine days.</p>\
             <p>The port authority said the breakwater held.</p></article></body></html>"
        );
        let doc = crate::extract::extract(
            html.as_bytes(),
            Some("text/html"),
            "https://example.com/a",
            &crate::extract::ExtractOptions::default(),
        )
        .ok()?;
        doc.title.map(|t| crate::extract::normalize::fold(&t))
    }

    #[test]
    fn a_dash_typed_as_two_hyphens_cuts_the_title_as_a_typeset_one_does() {
        for typeset in [
            "Evolve: Shared Mutable History \u{2014} evolve extension for Mercurial",
            "Dare to Play 3 / October pack \u{2013} Vortex Cannon Entertainment",
            "Harbour reopens after the storms \u{2014} Daily Post",
        ] {
            let typed = typeset.replace(['\u{2013}', '\u{2014}'], "--");
            let (a, b) = (title_of(typeset), title_of(&typed));
            assert!(a.is_some(), "{typeset}");
            assert_eq!(a, b, "{typed}");
        }
        // A title that ends in a hyphen of its own word keeps it.
        assert_eq!(
            title_of("Harbour reopens after the storms, say all-").as_deref(),
            Some("Harbour reopens after the storms, say all-")
        );
    }

    #[test]
    fn a_line_break_inside_a_json_ld_string_is_read_as_an_escaped_one() {
        let strict = r#"{"@type":"NewsArticle","headline":"H","articleBody":"<p>One</p>\n<p>Two</p>\t","author":{"@type":"Person","name":"A B"}}"#;
        let raw = strict.replace("\\n", "\n").replace("\\t", "\t");
        assert!(serde_json::from_str::<Value>(&raw).is_err());
        let (mut a, mut b) = (Vec::new(), Vec::new());
        json_ld_articles(strict, &mut a);
        json_ld_articles(&raw, &mut b);
        assert_eq!(a.len(), 1);
        assert_eq!(a, b);
        // Line breaks between a document's values are JSON's own.
        assert_eq!(control_chars_escaped("{\n\"a\": \"b\"\n}"), None);
        assert_eq!(
            control_chars_escaped("{\"a\": \"x\\\"\ny\u{1}\"}").as_deref(),
            Some("{\"a\": \"x\\\"\\ny\\u0001\"}")
        );
    }
}
