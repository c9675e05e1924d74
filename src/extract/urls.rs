//! URL resolution for hrefs and image sources.

use std::cell::OnceCell;
use std::collections::HashSet;

use url::Url;

use super::promo;

/// Extensions of a page's path that name a page, not a file.
const PAGE_EXTENSIONS: [&str; 7] = ["html", "htm", "shtml", "php", "asp", "aspx", "jsp"];

/// A page's base URL, parsed once for all the references of the page,
/// and the addresses the page goes by (where it was fetched, its canonical
/// URL), which tell its links to other pages of its site.
pub(crate) struct Base {
    url: Option<Url>,
    /// The page's own addresses, without query or fragment.
    own: Vec<Url>,
    /// Their sites ([`promo::site_of`]).
    sites: Vec<String>,
    /// The targets of the page's headline links, once asked for.
    headline_links: OnceCell<HashSet<String>>,
}

impl Base {
    pub(crate) fn new(base: &str) -> Base {
        Base {
            url: Url::parse(base).ok(),
            own: Vec::new(),
            sites: Vec::new(),
            headline_links: OnceCell::new(),
        }
    }

    /// The base, for a page that goes by `addresses` (its URL, its
    /// canonical URL, its `og:url`).
    pub(crate) fn of_page<'a>(base: &str, addresses: impl IntoIterator<Item = &'a str>) -> Base {
        let mut b = Base::new(base);
        for a in addresses {
            if let Some(mut u) = Url::parse(a).ok().filter(|u| !u.cannot_be_a_base()) {
                u.set_query(None);
                u.set_fragment(None);
                if let Some(site) = promo::site_of(u.as_str()) {
                    if !b.sites.contains(&site) {
                        b.sites.push(site);
                    }
                }
                b.own.push(u);
            }
        }
        b
    }

    /// The keys of the pages the page's headline links go to, made by
    /// `find` the first time they are asked for: one walk of the page for
    /// all its pictures.
    pub(crate) fn headline_links(
        &self,
        find: impl FnOnce() -> HashSet<String>,
    ) -> &HashSet<String> {
        self.headline_links.get_or_init(find)
    }

    /// Whether the base is a URL (a page's base may be anything a `<base>`
    /// element says).
    pub(crate) fn is_url(&self) -> bool {
        self.url.is_some()
    }

    /// Whether `href` goes to another page of the page's site: not to the
    /// page itself or below it (a photo's attachment page, a gallery of
    /// the article), not to a file (a picture, a PDF).
    pub(crate) fn is_other_page(&self, href: &str) -> bool {
        let Some(u) = self.resolve(href).and_then(|h| Url::parse(&h).ok()) else {
            return false;
        };
        if !promo::is_page_of(u.as_str(), &self.sites) {
            return false;
        }
        let path = u.path().trim_end_matches('/');
        if self.own.iter().any(|o| {
            let own = o.path().trim_end_matches('/');
            path == own || path.strip_prefix(own).is_some_and(|r| r.starts_with('/'))
        }) {
            return false;
        }
        let last = path.rsplit('/').next().unwrap_or_default();
        match last.rsplit_once('.') {
            Some((_, ext)) => PAGE_EXTENSIONS.iter().any(|p| ext.eq_ignore_ascii_case(p)),
            None => true,
        }
    }

    /// `href` resolved against the base; `None` for empty, `javascript:` and
    /// unparsable references. An unparsable base leaves absolute URLs as
    /// they are.
    pub(crate) fn resolve(&self, href: &str) -> Option<String> {
        let href = href.trim_matches(|c: char| c.is_ascii_whitespace() || c == '\u{a0}');
        if href.is_empty() {
            return None;
        }
        let scheme = href.get(..11).unwrap_or(href);
        if scheme.eq_ignore_ascii_case("javascript:") {
            return None;
        }
        match &self.url {
            Some(b) => b.join(href).ok().map(String::from),
            None => Url::parse(href).ok().map(String::from),
        }
    }
}

/// `href` resolved against `base` (see [`Base::resolve`]).
pub(crate) fn resolve(base: &str, href: &str) -> Option<String> {
    Base::new(base).resolve(href)
}
