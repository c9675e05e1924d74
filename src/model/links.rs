//! The results of a link check: what became of each link, and why.

use serde::{Deserialize, Serialize};

use super::Hop;

/// What became of a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkClass {
    /// Answered 2xx without a redirect.
    Ok,
    /// Redirected, and the chain ends in a live page.
    Redirect,
    /// Really gone: 404, 410, a soft 404, a name that does not resolve.
    Dead,
    /// No usable answer: 5xx, 403, 429, TLS, refused, redirect loops, ...
    Error,
    /// No answer in time, after the retries.
    Timeout,
    /// Not checked: excluded, unsupported scheme, in-page fragment, private address.
    Skipped,
}

impl LinkClass {
    pub const ALL: [LinkClass; 6] = [
        LinkClass::Dead,
        LinkClass::Error,
        LinkClass::Timeout,
        LinkClass::Redirect,
        LinkClass::Skipped,
        LinkClass::Ok,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LinkClass::Ok => "ok",
            LinkClass::Redirect => "redirect",
            LinkClass::Dead => "dead",
            LinkClass::Error => "error",
            LinkClass::Timeout => "timeout",
            LinkClass::Skipped => "skipped",
        }
    }

    /// `dead`, `error` or `timeout`: the link did not lead to a live page.
    pub fn is_failure(self) -> bool {
        matches!(
            self,
            LinkClass::Dead | LinkClass::Error | LinkClass::Timeout
        )
    }

    pub fn parse(s: &str) -> Option<LinkClass> {
        LinkClass::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// Why a link is in its class (machine-readable; `None` for plain `ok`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    #[serde(rename = "http_4xx")]
    Http4xx,
    #[serde(rename = "http_5xx")]
    Http5xx,
    Dns,
    Refused,
    Tls,
    Timeout,
    TooManyRedirects,
    #[serde(rename = "soft_404")]
    Soft404,
    RateLimited,
    Excluded,
    PrivateAddress,
    UnsupportedScheme,
    /// An in-page anchor (`#section` of the page itself).
    Fragment,
    /// A bad `Location`, a reset or broken connection, a malformed URL.
    Protocol,
    /// Could not connect for another reason than a refusal.
    Connect,
    /// robots.txt disallows it for `stet`.
    Robots,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Http4xx => "http_4xx",
            Reason::Http5xx => "http_5xx",
            Reason::Dns => "dns",
            Reason::Refused => "refused",
            Reason::Tls => "tls",
            Reason::Timeout => "timeout",
            Reason::TooManyRedirects => "too_many_redirects",
            Reason::Soft404 => "soft_404",
            Reason::RateLimited => "rate_limited",
            Reason::Excluded => "excluded",
            Reason::PrivateAddress => "private_address",
            Reason::Robots => "robots",
            Reason::UnsupportedScheme => "unsupported_scheme",
            Reason::Fragment => "fragment",
            Reason::Protocol => "protocol",
            Reason::Connect => "connect",
        }
    }
}

/// The outcome of checking one distinct URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkResult {
    /// The link (fragment removed; as written when it is not a URL).
    pub url: String,
    /// Where the redirects ended (`None` when nothing was fetched).
    pub final_url: Option<String>,
    /// HTTP status of the final answer, if there was one.
    pub status: Option<u16>,
    pub class: LinkClass,
    pub reason: Option<Reason>,
    /// Every hop that answered with a redirect.
    pub redirects: Vec<Hop>,
    /// Requests chains made (HEAD, GET fallback, retries); 0 when not checked.
    pub attempts: u32,
    /// From the first request to the answer, retries and their waits
    /// included (not the wait for the first turn at the host).
    pub elapsed_ms: u64,
    /// One line of detail for people (the error, the soft-404 evidence).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The result was replayed from the store's link cache (successes only).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cached: bool,
    /// With `--confirm N`: this failure has not yet been seen on N runs a
    /// day apart, so it does not fail the run.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unconfirmed: bool,
    /// With `--suggest-archive`: the closest archived capture of a dead link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive: Option<ArchiveCapture>,
}

impl LinkResult {
    /// A link that was not fetched.
    pub fn skipped(url: impl Into<String>, reason: Reason, detail: Option<String>) -> Self {
        LinkResult {
            url: url.into(),
            final_url: None,
            status: None,
            class: LinkClass::Skipped,
            reason: Some(reason),
            redirects: Vec::new(),
            attempts: 0,
            elapsed_ms: 0,
            detail,
            cached: false,
            unconfirmed: false,
            archive: None,
        }
    }
}

/// An archived copy of a page (Wayback availability API, Memento).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchiveCapture {
    pub url: String,
    /// `YYYYMMDDhhmmss`, as the archive gives it.
    pub timestamp: Option<String>,
}
