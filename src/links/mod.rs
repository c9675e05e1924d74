//! The `links` stage: check every link of a [`Document`](crate::model::Document).
//!
//! A broken link is a *result* ([`LinkResult`] with a [`LinkClass`] and a
//! [`Reason`]), never an error of the tool. The checker is polite (a global
//! and a per-host concurrency limit, a minimum interval between requests to
//! one host, `Retry-After` honoured) and exact (HEAD first, a capped GET
//! when HEAD is refused, redirects followed hop by hop, soft 404s told from
//! real redirects, retries only for what can recover).
//!
//! ```no_run
//! # async fn demo() -> Result<(), stet::fetch::FetchError> {
//! let options = stet::links::LinkOptions::default();
//! let urls = vec!["https://example.org/a".to_string(), "mailto:x@example.org".to_string()];
//! let results = stet::links::check_urls(&urls, &options).await?;
//! for dead in stet::links::dead_links(&results, &stet::links::FailPolicy::default()) {
//!     println!("{} {:?}", dead.url, dead.status);
//! }
//! # Ok(()) }
//! ```

pub mod archive;
pub mod cache;
mod checker;
pub mod classify;
pub mod page;

use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use checker::{check_candidates, check_urls};
pub use page::{candidates, page_links, Candidate};

use crate::model::Hop;

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

/// Settings of a link check. Every field has a flag and a `stet.toml` key
/// (`[links]`); the defaults are documented on the constants below.
#[derive(Debug, Clone)]
pub struct LinkOptions {
    /// Requests in flight at once, all hosts together.
    pub concurrency: usize,
    /// Requests in flight at once to one host.
    pub host_concurrency: usize,
    /// Minimum time between the starts of two checks of one host (redirect
    /// hops and the GET after a refused HEAD follow at once).
    pub host_interval: Duration,
    /// Time allowed for one request, every hop included.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Retries after a timeout, a reset, a 429 or a 5xx (not after a refusal
    /// or a DNS failure).
    pub retries: u32,
    /// First backoff; doubled for each further retry.
    pub backoff: Duration,
    /// Longest `Retry-After` waited for; a longer one ends the check as
    /// `error`/`rate_limited` instead.
    pub max_retry_after: Duration,
    pub max_redirects: usize,
    /// Most body bytes read from a GET.
    pub body_cap: u64,
    pub user_agent: String,
    /// Refuse private, loopback, link-local and metadata addresses.
    pub deny_private: bool,
    /// Links matching any of these are `skipped`/`excluded` ...
    pub exclude: Vec<regex::Regex>,
    /// ... and, when this is not empty, links matching none of these.
    pub include: Vec<regex::Regex>,
    /// Ask this Wayback availability endpoint about dead links.
    pub archive_endpoint: Option<String>,
}

pub const DEFAULT_CONCURRENCY: usize = 64;
pub const DEFAULT_HOST_CONCURRENCY: usize = 10;
pub const DEFAULT_HOST_INTERVAL: Duration = Duration::from_millis(50);
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
pub const DEFAULT_RETRIES: u32 = 2;
pub const DEFAULT_BACKOFF: Duration = Duration::from_millis(500);
pub const DEFAULT_MAX_RETRY_AFTER: Duration = Duration::from_secs(30);
pub const DEFAULT_BODY_CAP: u64 = 64 * 1024;
/// The Internet Archive's Wayback availability API.
pub const DEFAULT_ARCHIVE_ENDPOINT: &str = "https://archive.org/wayback/available";

impl Default for LinkOptions {
    fn default() -> Self {
        LinkOptions {
            concurrency: DEFAULT_CONCURRENCY,
            host_concurrency: DEFAULT_HOST_CONCURRENCY,
            host_interval: DEFAULT_HOST_INTERVAL,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retries: DEFAULT_RETRIES,
            backoff: DEFAULT_BACKOFF,
            max_retry_after: DEFAULT_MAX_RETRY_AFTER,
            max_redirects: crate::fetch::DEFAULT_MAX_REDIRECTS,
            body_cap: DEFAULT_BODY_CAP,
            user_agent: crate::fetch::default_user_agent(),
            deny_private: false,
            exclude: Vec::new(),
            include: Vec::new(),
            archive_endpoint: None,
        }
    }
}

/// Check the links of an extracted document (what `audit` calls): hrefs
/// resolved against `page_url`, each distinct URL once, sorted by URL.
pub async fn check_document(
    document: &crate::model::Document,
    page_url: Option<&url::Url>,
    options: &LinkOptions,
) -> Result<Vec<LinkResult>, crate::fetch::FetchError> {
    let found = candidates(
        document.links.iter().map(|l| l.href.as_str()),
        page_url,
        options,
    );
    check_candidates(found, options).await
}

/// Which failures fail a run (exit 1) and become `dead_link` findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailPolicy {
    /// Default: `dead` only, so CI fails on what is really gone.
    pub classes: Vec<LinkClass>,
}

impl Default for FailPolicy {
    fn default() -> Self {
        FailPolicy {
            classes: vec![LinkClass::Dead],
        }
    }
}

impl FailPolicy {
    pub fn fails(&self, r: &LinkResult) -> bool {
        self.classes.contains(&r.class) && !r.unconfirmed
    }
}

/// The results that fail `policy`: what `audit` turns into `dead_link`
/// findings (each carries `url`, `status`, `class`, `reason`, `final_url`
/// and, with `--suggest-archive`, `archive`).
pub fn dead_links<'a>(
    results: &'a [LinkResult],
    policy: &'a FailPolicy,
) -> impl Iterator<Item = &'a LinkResult> + 'a {
    results.iter().filter(move |r| policy.fails(r))
}

/// Results sorted by URL: the order of every output, for reproducibility.
pub fn sort_results(results: &mut [LinkResult]) {
    results.sort_by(|a, b| a.url.cmp(&b.url));
}
