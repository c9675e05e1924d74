//! From an answer (or its absence) to a [`LinkClass`] and a [`Reason`],
//! soft 404s included, and which outcomes deserve a retry.

use url::Url;

use super::{LinkClass, Reason};
use crate::fetch::FetchError;
use crate::model::Hop;

/// Class, reason and a line of detail for a final HTTP answer.
pub fn classify_answer(
    requested: &Url,
    final_url: &Url,
    redirects: &[Hop],
    status: u16,
) -> (LinkClass, Option<Reason>, Option<String>) {
    match status {
        200..=299 | 304 => {
            if redirects.is_empty() {
                return (LinkClass::Ok, None, None);
            }
            match soft_404(requested, final_url) {
                Some(why) => (LinkClass::Dead, Some(Reason::Soft404), Some(why)),
                None => (LinkClass::Redirect, None, None),
            }
        }
        404 | 410 => (LinkClass::Dead, Some(Reason::Http4xx), None),
        429 => (LinkClass::Error, Some(Reason::RateLimited), None),
        400..=499 => (LinkClass::Error, Some(Reason::Http4xx), None),
        500..=599 => (LinkClass::Error, Some(Reason::Http5xx), None),
        other => (
            LinkClass::Error,
            Some(Reason::Protocol),
            Some(format!("unexpected final status {other}")),
        ),
    }
}

/// Class and reason for a request that got no answer.
pub fn classify_error(e: &FetchError) -> (LinkClass, Reason) {
    match e {
        FetchError::Timeout { .. } => (LinkClass::Timeout, Reason::Timeout),
        FetchError::Dns { .. } => (LinkClass::Dead, Reason::Dns),
        FetchError::Refused { .. } => (LinkClass::Error, Reason::Refused),
        FetchError::Tls { .. } => (LinkClass::Error, Reason::Tls),
        FetchError::TooManyRedirects { .. } | FetchError::RedirectLoop { .. } => {
            (LinkClass::Error, Reason::TooManyRedirects)
        }
        FetchError::RedirectScheme { .. } => (LinkClass::Skipped, Reason::UnsupportedScheme),
        FetchError::PrivateAddress { .. } => (LinkClass::Skipped, Reason::PrivateAddress),
        FetchError::Robots { .. } => (LinkClass::Skipped, Reason::Robots),
        FetchError::Connect { .. } => (LinkClass::Error, Reason::Connect),
        FetchError::Client(_)
        | FetchError::BadRedirect { .. }
        | FetchError::BodyTooLarge { .. }
        | FetchError::Protocol { .. }
        | FetchError::File { .. }
        | FetchError::Extract { .. }
        | FetchError::Browser { .. }
        | FetchError::RenderTimeout { .. }
        | FetchError::Render { .. } => (LinkClass::Error, Reason::Protocol),
    }
}

/// Worth another try: timeouts, resets and other connection trouble. Not
/// refusals, DNS failures, TLS failures or redirect trouble (they do not
/// recover in seconds).
pub fn error_is_transient(e: &FetchError) -> bool {
    matches!(
        e,
        FetchError::Timeout { .. } | FetchError::Connect { .. } | FetchError::Protocol { .. }
    )
}

/// Worth another try: 429, and 5xx but 501 (Not Implemented does not recover).
pub fn status_is_transient(status: u16) -> bool {
    status == 429 || ((500..=599).contains(&status) && status != 501)
}

/// A redirect that lands on a page saying "not here": the site's home page
/// for a deep link, or a not-found page. `None` for honest redirects.
pub fn soft_404(requested: &Url, final_url: &Url) -> Option<String> {
    let deep = !is_home(requested);
    if deep && is_home(final_url) {
        return Some(format!(
            "a deep link redirected to the home page {final_url}"
        ));
    }
    if !looks_not_found(requested) && looks_not_found(final_url) {
        return Some(format!("redirected to a not-found page {final_url}"));
    }
    None
}

/// `/`, `/index.html`, `/home`, a language root like `/en/`, with no query.
fn is_home(url: &Url) -> bool {
    if url.query().is_some_and(|q| !q.is_empty()) {
        return false;
    }
    let path = url.path().trim_end_matches('/').to_ascii_lowercase();
    let path = path.trim_start_matches('/');
    if path.is_empty() {
        return true;
    }
    let is_lang = |s: &str| {
        (s.len() == 2 && s.chars().all(|c| c.is_ascii_lowercase()))
            || (s.len() == 5
                && s.as_bytes()
                    .get(2)
                    .is_some_and(|b| *b == b'-' || *b == b'_'))
    };
    matches!(
        path,
        "index.html" | "index.htm" | "index.php" | "home" | "default.aspx" | "index"
    ) || is_lang(path)
}

/// A path or query that names a not-found page.
fn looks_not_found(url: &Url) -> bool {
    let lower = url.path().to_ascii_lowercase();
    let in_path = lower.split('/').any(|seg| {
        let seg = seg
            .trim_end_matches(".html")
            .trim_end_matches(".htm")
            .trim_end_matches(".php")
            .trim_end_matches(".aspx");
        matches!(
            seg,
            "404"
                | "not-found"
                | "notfound"
                | "not_found"
                | "page-not-found"
                | "pagenotfound"
                | "error404"
                | "404-error"
                | "error-404"
                | "page-missing"
        )
    });
    let in_query = url.query().is_some_and(|q| {
        let q = q.to_ascii_lowercase();
        q.contains("error=404") || q.contains("notfound") || q.contains("aspxerrorpath=")
    });
    in_path || in_query
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        match Url::parse(s) {
            Ok(u) => u,
            Err(e) => panic!("{s}: {e}"),
        }
    }

    fn hop() -> Vec<Hop> {
        vec![Hop {
            url: "x".to_string(),
            status: 301,
        }]
    }

    #[test]
    fn reasons_serialise_as_documented() {
        for r in [
            Reason::Http4xx,
            Reason::Http5xx,
            Reason::Soft404,
            Reason::TooManyRedirects,
        ] {
            assert_eq!(
                serde_json::to_string(&r).ok(),
                Some(format!("\"{}\"", r.as_str()))
            );
        }
    }

    #[test]
    fn statuses() {
        let a = u("https://e.org/a/b");
        let c = |s| classify_answer(&a, &a, &[], s).0;
        assert_eq!(c(200), LinkClass::Ok);
        assert_eq!(c(404), LinkClass::Dead);
        assert_eq!(c(410), LinkClass::Dead);
        assert_eq!(c(403), LinkClass::Error);
        assert_eq!(c(500), LinkClass::Error);
        assert_eq!(
            classify_answer(&a, &a, &[], 429).1,
            Some(Reason::RateLimited)
        );
    }

    #[test]
    fn soft_404s_and_honest_redirects() {
        let deep = u("https://news.example/2011/04/27/story/");
        let cases = [
            ("https://news.example/", Some(Reason::Soft404)),
            ("https://www.news.example/index.html", Some(Reason::Soft404)),
            ("https://news.example/en/", Some(Reason::Soft404)),
            (
                "https://news.example/errors/404.html",
                Some(Reason::Soft404),
            ),
            (
                "https://news.example/search?error=404",
                Some(Reason::Soft404),
            ),
            ("https://news.example/2011/04/27/story", None),
            ("https://www.news.example/2011/04/27/story/", None),
            ("https://news.example/?p=123", None),
        ];
        for (to, reason) in cases {
            let got = classify_answer(&deep, &u(to), &hop(), 200);
            assert_eq!(got.1, reason, "{to}");
            let expected = if reason.is_some() {
                LinkClass::Dead
            } else {
                LinkClass::Redirect
            };
            assert_eq!(got.0, expected, "{to}");
        }
        // The home page redirecting to another home page is not a soft 404.
        let home = u("http://news.example/");
        assert_eq!(
            classify_answer(&home, &u("https://news.example/"), &hop(), 200).0,
            LinkClass::Redirect
        );
    }
}
