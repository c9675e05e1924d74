//! URL resolution for hrefs and image sources.

use url::Url;

/// A page's base URL, parsed once for all the references of the page.
pub(crate) struct Base(Option<Url>);

impl Base {
    pub(crate) fn new(base: &str) -> Base {
        Base(Url::parse(base).ok())
    }

    /// Whether the base is a URL (a page's base may be anything a `<base>`
    /// element says).
    pub(crate) fn is_url(&self) -> bool {
        self.0.is_some()
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
        match &self.0 {
            Some(b) => b.join(href).ok().map(String::from),
            None => Url::parse(href).ok().map(String::from),
        }
    }
}

/// `href` resolved against `base` (see [`Base::resolve`]).
pub(crate) fn resolve(base: &str, href: &str) -> Option<String> {
    Base::new(base).resolve(href)
}
