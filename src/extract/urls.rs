//! URL resolution for hrefs and image sources.

use url::Url;

/// `href` resolved against `base`; `None` for empty, `javascript:` and
/// unparsable references. An unparsable base leaves absolute URLs as they are.
pub(crate) fn resolve(base: &str, href: &str) -> Option<String> {
    let href = href.trim_matches(|c: char| c.is_ascii_whitespace() || c == '\u{a0}');
    if href.is_empty() {
        return None;
    }
    let lower = href.get(..11).unwrap_or(href).to_ascii_lowercase();
    if lower.starts_with("javascript:") {
        return None;
    }
    match Url::parse(base) {
        Ok(b) => b.join(href).ok().map(String::from),
        Err(_) => Url::parse(href).ok().map(String::from),
    }
}
