//! From hrefs to the distinct URLs to check, and (for `--all-links`, or a
//! page without article links) every link of a whole HTML page.

use std::collections::BTreeSet;

use url::Url;

use super::{LinkClass, LinkOptions, LinkResult, Reason};
use crate::model::Link;

/// A link after normalisation: a URL to check, or a result without a request.
#[derive(Debug, Clone, PartialEq)]
pub enum Candidate {
    Check(Url),
    Done(LinkResult),
}

impl Candidate {
    pub fn key(&self) -> &str {
        match self {
            Candidate::Check(u) => u.as_str(),
            Candidate::Done(r) => &r.url,
        }
    }
}

/// Normalise `hrefs` into distinct candidates, in first-seen order.
/// Relative hrefs are resolved against `page`; fragments are dropped (a link
/// to the page itself plus a fragment is an in-page anchor: `skipped`);
/// schemes other than http(s) are `skipped`; `exclude`/`include` apply to
/// the normalised URL.
pub fn candidates<'a>(
    hrefs: impl IntoIterator<Item = &'a str>,
    page: Option<&Url>,
    options: &LinkOptions,
) -> Vec<Candidate> {
    let page_base = page.map(|p| {
        let mut p = p.clone();
        p.set_fragment(None);
        p
    });
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for href in hrefs {
        let href = href.trim();
        if href.is_empty() {
            continue;
        }
        let candidate = one(href, page_base.as_ref(), options);
        if seen.insert(candidate.key().to_string()) {
            out.push(candidate);
        }
    }
    out
}

fn one(href: &str, page: Option<&Url>, options: &LinkOptions) -> Candidate {
    let parsed = match page {
        Some(base) => base.join(href),
        None => Url::parse(href),
    };
    let mut url = match parsed {
        Ok(u) => u,
        Err(e) => {
            let mut r =
                LinkResult::skipped(href, Reason::Protocol, Some(format!("malformed URL: {e}")));
            r.class = LinkClass::Error;
            return Candidate::Done(r);
        }
    };
    if !matches!(url.scheme(), "http" | "https") {
        let scheme = url.scheme().to_string();
        return Candidate::Done(LinkResult::skipped(
            url.as_str(),
            Reason::UnsupportedScheme,
            Some(format!("`{scheme}:` links are not checked")),
        ));
    }
    let had_fragment = url.fragment().is_some();
    url.set_fragment(None);
    if had_fragment && page.is_some_and(|p| *p == url) {
        return Candidate::Done(LinkResult::skipped(
            href,
            Reason::Fragment,
            Some("an anchor in the page itself".to_string()),
        ));
    }
    let text = url.as_str();
    if let Some(re) = options.exclude.iter().find(|re| re.is_match(text)) {
        return Candidate::Done(LinkResult::skipped(
            text,
            Reason::Excluded,
            Some(format!("matches --exclude {}", re.as_str())),
        ));
    }
    if !options.include.is_empty() && !options.include.iter().any(|re| re.is_match(text)) {
        return Candidate::Done(LinkResult::skipped(
            text,
            Reason::Excluded,
            Some("matches no --include".to_string()),
        ));
    }
    Candidate::Check(url)
}

/// Every `<a href>` and `<area href>` of an HTML page, resolved against
/// `<base href>` and the page URL, in document order.
pub fn page_links(html: &str, page: &Url) -> Vec<Link> {
    let doc = scraper::Html::parse_document(html);
    let base = scraper::Selector::parse("base[href]")
        .ok()
        .and_then(|sel| doc.select(&sel).next())
        .and_then(|e| e.value().attr("href"))
        .and_then(|h| page.join(h.trim()).ok())
        .unwrap_or_else(|| page.clone());
    let Ok(sel) = scraper::Selector::parse("a[href], area[href]") else {
        return Vec::new();
    };
    doc.select(&sel)
        .filter_map(|e| {
            let href = e.value().attr("href")?.trim();
            let href = base
                .join(href)
                .map_or_else(|_| href.to_string(), |u| u.to_string());
            let text = e.text().collect::<Vec<_>>().join(" ");
            Some(Link {
                href,
                text: text.split_whitespace().collect::<Vec<_>>().join(" "),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(c: &[Candidate]) -> Vec<String> {
        c.iter()
            .map(|c| match c {
                Candidate::Check(u) => format!("check {u}"),
                Candidate::Done(r) => format!(
                    "{} {} {}",
                    r.class.as_str(),
                    r.reason.map_or("-", Reason::as_str),
                    r.url
                ),
            })
            .collect()
    }

    #[test]
    fn schemes_fragments_duplicates_and_excludes() {
        let page = Url::parse("https://news.example/2011/article.html").ok();
        let options = LinkOptions {
            exclude: regex::Regex::new("ads\\.example").into_iter().collect(),
            ..LinkOptions::default()
        };
        let hrefs = [
            "https://Example.org:443/a#x",
            "https://example.org/a",
            "mailto:desk@news.example",
            "tel:+15551234",
            "javascript:void(0)",
            "#comments",
            "/about",
            "http://ads.example/track",
            "http://exa mple.org/",
            "",
        ];
        let got = keys(&candidates(hrefs, page.as_ref(), &options));
        assert_eq!(
            got,
            vec![
                "check https://example.org/a",
                "skipped unsupported_scheme mailto:desk@news.example",
                "skipped unsupported_scheme tel:+15551234",
                "skipped unsupported_scheme javascript:void(0)",
                "skipped fragment #comments",
                "check https://news.example/about",
                "skipped excluded http://ads.example/track",
                "error protocol http://exa mple.org/",
            ]
        );
    }

    #[test]
    fn page_links_honour_base_href() {
        let html = r#"<html><head><base href="https://cdn.example/dir/"></head><body>
            <p><a href="x.html">X <b>y</b></a> <a href="https://o.example/">o</a></p>
            <map><area href="/m" alt="m"></map><a name="no-href">n</a></body></html>"#;
        let Ok(page) = Url::parse("https://news.example/p") else {
            return;
        };
        let links: Vec<(String, String)> = page_links(html, &page)
            .into_iter()
            .map(|l| (l.href, l.text))
            .collect();
        assert_eq!(
            links,
            vec![
                (
                    "https://cdn.example/dir/x.html".to_string(),
                    "X y".to_string()
                ),
                ("https://o.example/".to_string(), "o".to_string()),
                ("https://cdn.example/m".to_string(), String::new()),
            ]
        );
    }
}
