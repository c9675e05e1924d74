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

pub use checker::{check_candidates, check_urls, Checker};
pub use page::{candidates, page_links, Candidate};

pub use crate::model::links::{ArchiveCapture, LinkClass, LinkResult, Reason};
pub use crate::model::FailPolicy;

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
    /// Skip links robots.txt disallows for `stet` (class `skipped`,
    /// reason `robots`).
    pub robots: bool,
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
            robots: true,
            exclude: Vec::new(),
            include: Vec::new(),
            archive_endpoint: None,
        }
    }
}

/// Check the links of an extracted document (what `audit` calls): hrefs
/// resolved against `page_url`, each distinct URL once, sorted by URL.
/// `checker`'s politeness holds across the documents it checks.
pub async fn check_document(
    checker: &Checker<'_>,
    document: &crate::model::Document,
    page_url: Option<&url::Url>,
) -> Vec<LinkResult> {
    let found = candidates(
        document.links.iter().map(|l| l.href.as_str()),
        page_url,
        checker.options(),
    );
    checker.check_all(found).await
}

/// The results that fail `policy`: what `audit` turns into `dead_link`
/// findings (each carries `url`, `status`, `class`, `reason`, `final_url`
/// and, with `--suggest-archive`, `archive`).
pub fn dead_links<'a>(
    results: &'a [LinkResult],
    policy: &'a FailPolicy,
) -> impl Iterator<Item = &'a LinkResult> + 'a {
    results.iter().filter(move |r| policy.fails_link(r))
}

/// Results sorted by URL: the order of every output, for reproducibility.
pub fn sort_results(results: &mut [LinkResult]) {
    results.sort_by(|a, b| a.url.cmp(&b.url));
}
