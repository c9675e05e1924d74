//! The checker: every distinct URL once, concurrently, politely.
//!
//! Politeness: a global limit on requests in flight, a per-host limit, and
//! a minimum interval between the starts of two checks of one host (each
//! retry waits its turn again, keeping its host slot through the backoff).
//! A `Retry-After` is always waited for before
//! the URL is retried; a host answering 429 for three URLs within 5 s is
//! rate-limiting the checker, and the whole host waits.
//! One check is a HEAD, then at once a GET of the same final URL when HEAD
//! answers anything but 2xx/3xx (servers refuse HEAD with 403/404/405/501),
//! the GET body read no further than a small cap.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::stream::{FuturesUnordered, StreamExt};
use reqwest::header::RETRY_AFTER;
use reqwest::Method;
use tokio::sync::Semaphore;
use url::Url;

use super::classify::{classify_answer, classify_error, error_is_transient, status_is_transient};
use super::page::Candidate;
use super::{LinkOptions, LinkResult};
use crate::fetch::{
    build_client_with, request, Answer, BodyCap, FetchError, FetchOptions, RequestSpec,
};

/// Check URLs (or hrefs: anything [`super::candidates`] accepts, without a
/// page to resolve against). Results in URL order.
pub async fn check_urls(
    urls: &[String],
    options: &LinkOptions,
) -> Result<Vec<LinkResult>, FetchError> {
    let candidates = super::candidates(urls.iter().map(String::as_str), None, options);
    check_candidates(candidates, options).await
}

/// Check normalised candidates. `Err` only when no HTTP client can be built.
pub async fn check_candidates(
    candidates: Vec<Candidate>,
    options: &LinkOptions,
) -> Result<Vec<LinkResult>, FetchError> {
    Ok(Checker::new(options)?.check_all(candidates).await)
}

impl<'a> Checker<'a> {
    /// A checker whose politeness (per-host limits and turns, robots.txt)
    /// holds across every check it makes. `Err` when no HTTP client can
    /// be built.
    pub fn new(options: &'a LinkOptions) -> Result<Self, FetchError> {
        let fetch_options = FetchOptions {
            connect_timeout: options.connect_timeout,
            timeout: options.timeout,
            max_body: options.body_cap,
            max_redirects: options.max_redirects,
            user_agent: options.user_agent.clone(),
            robots: true,
            ..FetchOptions::default()
        };
        let client = build_client_with(&fetch_options, options.deny_private)?;
        Ok(Checker {
            client,
            options,
            global: Semaphore::new(options.concurrency.max(1)),
            hosts: Mutex::new(HashMap::new()),
            robots: crate::fetch::robots::RobotsCache::new(),
        })
    }

    pub fn options(&self) -> &'a LinkOptions {
        self.options
    }

    /// Check `candidates`: results in URL order.
    pub async fn check_all(&self, candidates: Vec<Candidate>) -> Vec<LinkResult> {
        let mut results = Vec::with_capacity(candidates.len());
        let mut pending = FuturesUnordered::new();
        for c in candidates {
            match c {
                Candidate::Done(r) => results.push(r),
                Candidate::Check(url) => pending.push(self.check(url)),
            }
        }
        while let Some(r) = pending.next().await {
            results.push(r);
        }
        drop(pending);
        if let Some(endpoint) = &self.options.archive_endpoint {
            super::archive::suggest(&self.client, endpoint, self.options, &mut results).await;
        }
        super::sort_results(&mut results);
        results
    }
}

struct Host {
    slots: Semaphore,
    /// When the next check of this host may start.
    next: crate::fetch::pace::Pace,
    /// When the host last answered 429, and for which URL.
    throttled: Mutex<Vec<(Instant, String)>>,
    /// No request to the host before this (turns reserved earlier included).
    hold: Mutex<Option<Instant>>,
}

impl Host {
    fn new(slots: usize) -> Host {
        Host {
            slots: Semaphore::new(slots.max(1)),
            next: crate::fetch::pace::Pace::new(),
            throttled: Mutex::new(Vec::new()),
            hold: Mutex::new(None),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// Sleep until `start`, then through any hold set meanwhile.
async fn sleep_through(host: &Host, start: Instant) {
    tokio::time::sleep_until(start.into()).await;
    loop {
        let hold = *lock(&host.hold);
        match hold {
            Some(h) if h > Instant::now() => tokio::time::sleep_until(h.into()).await,
            _ => return,
        }
    }
}

/// Distinct URLs answering 429 within [`THROTTLE_WINDOW`] that make a
/// host, not just one URL, wait for its `Retry-After`.
const THROTTLE_COUNT: usize = 3;
const THROTTLE_WINDOW: Duration = Duration::from_secs(5);

/// Checks links, politely: see the module's documentation.
pub struct Checker<'a> {
    client: reqwest::Client,
    options: &'a LinkOptions,
    global: Semaphore,
    hosts: Mutex<HashMap<String, Arc<Host>>>,
    robots: crate::fetch::robots::RobotsCache,
}

/// What one attempt (HEAD, maybe GET) came to.
enum Attempt {
    Answer(Box<Answer>, Vec<crate::model::Hop>),
    Failed(FetchError),
}

impl Checker<'_> {
    fn host(&self, url: &Url) -> Arc<Host> {
        let key = url.host_str().unwrap_or("").to_ascii_lowercase();
        let mut hosts = match self.hosts.lock() {
            Ok(h) => h,
            Err(poisoned) => poisoned.into_inner(),
        };
        Arc::clone(
            hosts
                .entry(key)
                .or_insert_with(|| Arc::new(Host::new(self.options.host_concurrency))),
        )
    }

    /// Reserve the next start time of `host` and sleep until it, and
    /// past any hold the host got meanwhile (a `Retry-After`).
    async fn wait_turn(&self, host: &Host) {
        let start = host.next.reserve(self.options.host_interval);
        sleep_through(host, start).await;
    }

    /// Record a 429; true when the host has said it often enough lately
    /// that the whole host, not one URL, should wait.
    fn throttled(host: &Host, url: &Url) -> bool {
        let now = Instant::now();
        let mut seen = lock(&host.throttled);
        seen.retain(|(t, u)| now.duration_since(*t) < THROTTLE_WINDOW && u != url.as_str());
        seen.push((now, url.to_string()));
        seen.len() >= THROTTLE_COUNT
    }

    /// Keep every check of `host` back until `until` (a `Retry-After`).
    fn push_back(host: &Host, until: Instant) {
        host.next.hold_until(until);
        let mut hold = lock(&host.hold);
        if hold.is_none_or(|h| h < until) {
            *hold = Some(until);
        }
    }

    async fn check(&self, url: Url) -> LinkResult {
        let host = self.host(&url);
        // The host slot is kept across retries and their backoff: a retry
        // does not queue again behind every other link of the host, and a
        // failing host gets fewer requests at once.
        let Ok(_slot) = host.slots.acquire().await else {
            return LinkResult::skipped(url.as_str(), super::Reason::Protocol, None);
        };
        if self.options.robots
            && !self
                .robots
                .verdict(&self.client, self.options.timeout, &url)
                .await
                .allowed
        {
            return LinkResult::skipped(url.as_str(), super::Reason::Robots, None);
        }
        let mut started = None;
        let mut attempts = 0u32;
        let mut retries = 0u32;
        let mut method = Method::HEAD;
        loop {
            let attempt = self
                .attempt(&host, &url, &mut method, &mut attempts, &mut started)
                .await;
            let wait = match &attempt {
                Attempt::Answer(a, _) if status_is_transient(a.status) => {
                    let retry_after = retry_after(a);
                    match retry_after {
                        Some(d) if d > self.options.max_retry_after => None,
                        Some(d) => {
                            if a.status == 429 && Self::throttled(&host, &url) {
                                Self::push_back(&host, Instant::now() + d);
                            }
                            Some(d.max(self.backoff(retries)))
                        }
                        None => Some(self.backoff(retries)),
                    }
                }
                Attempt::Failed(e) if error_is_transient(e) => Some(self.backoff(retries)),
                _ => None,
            };
            match wait {
                Some(d) if retries < self.options.retries => {
                    retries += 1;
                    tokio::time::sleep(d).await;
                }
                _ => {
                    let started = started.unwrap_or_else(Instant::now);
                    return self.finish(&url, attempt, attempts, started);
                }
            }
        }
    }

    fn backoff(&self, retry: u32) -> Duration {
        self.options.backoff.saturating_mul(1u32 << retry.min(10))
    }

    /// One turn: a HEAD (or a GET once HEAD was refused), and at once a GET
    /// of the final URL when HEAD answers anything but 2xx/3xx.
    async fn attempt(
        &self,
        host: &Host,
        url: &Url,
        method: &mut Method,
        attempts: &mut u32,
        started: &mut Option<Instant>,
    ) -> Attempt {
        let Ok(_global) = self.global.acquire().await else {
            return Attempt::Failed(FetchError::Client("the checker was shut down".to_string()));
        };
        self.wait_turn(host).await;
        started.get_or_insert_with(Instant::now);
        *attempts += 1;
        let first = match request(&self.client, url, &self.spec(method.clone())).await {
            Ok(a) => a,
            Err(e) => return Attempt::Failed(e),
        };
        let ok = (200..400).contains(&first.status);
        // A 429 is about the pace, not the method: wait, do not GET at once.
        if ok || first.status == 429 || *method == Method::GET {
            return Attempt::Answer(Box::new(first), Vec::new());
        }
        // HEAD refused or failed: ask again with GET, from where HEAD ended.
        *method = Method::GET;
        *attempts += 1;
        let before = first.redirects.clone();
        match request(&self.client, &first.final_url, &self.spec(Method::GET)).await {
            Ok(a) => Attempt::Answer(Box::new(a), before),
            Err(e) => Attempt::Failed(e),
        }
    }

    fn spec(&self, method: Method) -> RequestSpec<'static> {
        RequestSpec {
            method,
            timeout: self.options.timeout,
            max_redirects: self.options.max_redirects,
            body_cap: BodyCap::Truncate(self.options.body_cap),
            validators: None,
            deny_private: self.options.deny_private,
            credentials: None,
            capture: None,
        }
    }

    fn finish(&self, url: &Url, attempt: Attempt, attempts: u32, started: Instant) -> LinkResult {
        let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        match attempt {
            Attempt::Answer(a, mut redirects) => {
                redirects.extend(a.redirects.iter().cloned());
                let (class, reason, mut detail) =
                    classify_answer(url, &a.final_url, &redirects, a.status);
                if a.status == 429 {
                    if let Some(d) = retry_after(&a).filter(|d| *d > self.options.max_retry_after) {
                        detail = Some(format!(
                            "Retry-After of {} s is longer than the cap of {} s",
                            d.as_secs(),
                            self.options.max_retry_after.as_secs()
                        ));
                    }
                }
                LinkResult {
                    url: url.to_string(),
                    final_url: Some(a.final_url.to_string()),
                    status: Some(a.status),
                    class,
                    reason,
                    redirects,
                    attempts,
                    elapsed_ms,
                    detail,
                    cached: false,
                    unconfirmed: false,
                    archive: None,
                }
            }
            Attempt::Failed(e) => {
                let (class, reason) = classify_error(&e);
                LinkResult {
                    url: url.to_string(),
                    final_url: None,
                    status: None,
                    class,
                    reason: Some(reason),
                    redirects: Vec::new(),
                    attempts,
                    elapsed_ms,
                    detail: Some(e.to_string()),
                    cached: false,
                    unconfirmed: false,
                    archive: None,
                }
            }
        }
    }
}

/// `Retry-After` in seconds (an HTTP date counts as "some time": the
/// backoff applies).
fn retry_after(a: &Answer) -> Option<Duration> {
    let v = a.headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    v.parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hold_delays_turns_reserved_before_it() {
        let host = Host::new(4);
        let t0 = Instant::now();
        let turn = host.next.reserve(Duration::ZERO);
        Checker::push_back(&host, t0 + Duration::from_millis(200));
        sleep_through(&host, turn).await;
        assert!(t0.elapsed() >= Duration::from_millis(200));
        // 429s for three URLs within the window hold the host; for one URL
        // (however often) they do not.
        let url = |p: &str| Url::parse(&format!("http://h.example/{p}"));
        let (Ok(a), Ok(b), Ok(c)) = (url("a"), url("b"), url("c")) else {
            return;
        };
        assert!(!Checker::throttled(&host, &a));
        assert!(!Checker::throttled(&host, &a));
        assert!(!Checker::throttled(&host, &b));
        assert!(!Checker::throttled(&host, &a));
        assert!(Checker::throttled(&host, &c));
    }
}
