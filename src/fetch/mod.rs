//! The `fetch` stage: a source (URL or local file) → raw bytes plus the HTTP
//! facts of how they were obtained. Only `fetch` and `links` touch the network.

pub mod address;
mod capture;
mod client;
pub mod credentials;
mod error;
mod file;
mod http;
pub(crate) mod pace;
pub mod render;
pub mod robots;
pub mod tsa;
pub mod webhook;

use std::time::Duration;

use crate::model::FetchFacts;
use crate::target::Target;

pub use capture::{decode_body, Captured};
pub use client::{build_capture_client, build_client, build_client_with};
pub use credentials::{redact_request_header, Credentials, CredentialsError};
pub use error::FetchError;
pub use http::{request, Answer, BodyCap, RequestSpec};

/// Limits and identity of every fetch. The defaults suit article pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchOptions {
    /// Time allowed to open a connection (TCP + TLS).
    pub connect_timeout: Duration,
    /// Time allowed for the whole fetch: every redirect hop and the body.
    pub timeout: Duration,
    /// The largest body accepted, counted after gzip/brotli decoding.
    pub max_body: u64,
    /// The most redirects followed before giving up.
    pub max_redirects: usize,
    pub user_agent: String,
    /// Honour robots.txt (matched on `stet`) and its `Crawl-delay`.
    pub robots: bool,
    /// Which pages are rendered in a browser too, and how.
    pub render: render::RenderOptions,
}

/// Default cap on a body: 16 MiB of decoded bytes.
pub const DEFAULT_MAX_BODY: u64 = 16 * 1024 * 1024;
/// Default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default total timeout of one fetch.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default redirect limit.
pub const DEFAULT_MAX_REDIRECTS: usize = 10;

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            max_body: DEFAULT_MAX_BODY,
            max_redirects: DEFAULT_MAX_REDIRECTS,
            user_agent: default_user_agent(),
            robots: true,
            render: render::RenderOptions::default(),
        }
    }
}

/// `stet/VERSION (+repository URL)`.
pub fn default_user_agent() -> String {
    format!(
        "stet/{} (+https://github.com/stet-archive/stet; provenance auditor)",
        crate::model::TOOL_VERSION
    )
}

/// Validators from a previous fetch, sent as `If-None-Match` /
/// `If-Modified-Since` so an unchanged page can answer 304.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Validators {
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// The result of one fetch.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub facts: FetchFacts,
    /// The body after content decoding. Empty for a 304.
    pub body: Vec<u8>,
    /// The whole HTTP exchange (`None` for local files).
    pub captured: Option<Captured>,
}

impl Fetched {
    /// The server said the page has not changed since the validators sent.
    pub fn not_modified(&self) -> bool {
        self.facts.status == Some(304)
    }
}

/// Fetches sources with one shared HTTP client (connection reuse), built
/// on the first URL: reading local files never loads the TLS roots.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: std::sync::OnceLock<reqwest::Client>,
    options: FetchOptions,
    robots: std::sync::Arc<robots::RobotsCache>,
    /// `Crawl-delay` turns per origin.
    crawl_turns: std::sync::Arc<
        std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<pace::Pace>>>,
    >,
}

impl Fetcher {
    pub fn new(options: FetchOptions) -> Result<Self, FetchError> {
        Ok(Fetcher {
            client: std::sync::OnceLock::new(),
            options,
            robots: Default::default(),
            crawl_turns: Default::default(),
        })
    }

    fn client(&self) -> Result<&reqwest::Client, FetchError> {
        if let Some(c) = self.client.get() {
            return Ok(c);
        }
        let built = build_capture_client(&self.options)?;
        Ok(self.client.get_or_init(|| built))
    }

    pub fn options(&self) -> &FetchOptions {
        &self.options
    }

    /// Fetch a target. A page answering 404/410/5xx is a successful fetch
    /// (the status is a fact to record); an error means no answer was had.
    pub async fn fetch(
        &self,
        target: &Target,
        validators: Option<&Validators>,
    ) -> Result<Fetched, FetchError> {
        self.fetch_with(target, validators, None).await
    }

    /// [`Self::fetch`], sending a target's own headers and cookies.
    pub async fn fetch_with(
        &self,
        target: &Target,
        validators: Option<&Validators>,
        credentials: Option<&Credentials>,
    ) -> Result<Fetched, FetchError> {
        self.fetch_for(target, validators, credentials, None).await
    }

    /// [`Self::fetch_with`], `robots` (a target's own setting) deciding
    /// over the run's whether robots.txt is honoured.
    pub async fn fetch_for(
        &self,
        target: &Target,
        validators: Option<&Validators>,
        credentials: Option<&Credentials>,
        robots: Option<bool>,
    ) -> Result<Fetched, FetchError> {
        match target {
            Target::Url(url) => {
                let client = self.client()?;
                if robots.unwrap_or(self.options.robots) {
                    self.obey_robots(client, url).await?;
                }
                http::fetch(client, &self.options, url, validators, credentials).await
            }
            Target::File(path) => self.read_file(path),
        }
    }

    /// Refuse a URL robots.txt disallows; wait out its `Crawl-delay`.
    async fn obey_robots(
        &self,
        client: &reqwest::Client,
        url: &url::Url,
    ) -> Result<(), FetchError> {
        let verdict = self.robots.verdict(client, self.options.timeout, url).await;
        if !verdict.allowed {
            return Err(FetchError::Robots {
                url: url.to_string(),
            });
        }
        if let Some(delay) = verdict.delay {
            let origin = url.origin().ascii_serialization();
            let turns = match self.crawl_turns.lock() {
                Ok(mut map) => Some(std::sync::Arc::clone(
                    map.entry(origin)
                        .or_insert_with(|| std::sync::Arc::new(pace::Pace::new())),
                )),
                Err(_) => None,
            };
            if let Some(turns) = turns {
                tokio::time::sleep_until(turns.reserve(delay).into()).await;
            }
        }
        Ok(())
    }

    /// Reads a local file as a fetch (no runtime needed).
    pub fn read_file(&self, path: &std::path::Path) -> Result<Fetched, FetchError> {
        file::read(path, path, self.options.max_body)
    }

    /// Read the file at `path`, recorded as `recorded` (a stet.toml `path`
    /// target read from another directory: what it is from stet.toml's).
    pub fn read_file_as(
        &self,
        path: &std::path::Path,
        recorded: &std::path::Path,
    ) -> Result<Fetched, FetchError> {
        file::read(path, recorded, self.options.max_body)
    }
}

/// "Now" as RFC 3339 UTC with second precision: the one clock of the crate.
/// `STET_NOW` (an RFC 3339 time) fixes it, for reproducible examples and tests.
pub fn now_rfc3339() -> String {
    use time::format_description::well_known::Rfc3339;
    let fixed = std::env::var("STET_NOW")
        .ok()
        .and_then(|s| time::OffsetDateTime::parse(&s, &Rfc3339).ok());
    let now = fixed.unwrap_or_else(time::OffsetDateTime::now_utc);
    let now = now
        .to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(0)
        .unwrap_or(now);
    now.format(&Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_string())
}
