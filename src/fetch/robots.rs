//! robots.txt: fetched once per origin per run, matched on stet's product
//! token `stet` with `texting_robots` (a parser that passes Google's
//! robots.txt conformance tests).
//!
//! RFC 9309 §2.3.1: a 2xx is parsed; a 4xx (a missing robots.txt) allows
//! everything; a 5xx disallows everything (the server is unreachable in the
//! RFC's sense). A fetch that gets no answer at all allows: the page fetch
//! that follows reports the real error instead of hiding it as `robots`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use url::Url;

use super::{request, BodyCap, RequestSpec};

/// The product token stet matches in `User-agent:` lines.
pub const PRODUCT_TOKEN: &str = "stet";
/// The longest `Crawl-delay` honoured; a longer one is capped to this.
pub const MAX_CRAWL_DELAY: Duration = Duration::from_secs(10);
/// The most of a robots.txt read (RFC 9309 asks parsers to read 500 KiB).
const MAX_ROBOTS_BYTES: u64 = 500 * 1024;

/// What one origin's robots.txt says to stet.
#[derive(Debug)]
pub enum Rules {
    AllowAll,
    DisallowAll,
    Parsed(texting_robots::Robot),
}

/// Whether a URL may be fetched, and how long to wait between fetches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    pub allowed: bool,
    /// `Crawl-delay`, capped at [`MAX_CRAWL_DELAY`].
    pub delay: Option<Duration>,
}

impl Rules {
    /// The rules of an answer to `GET /robots.txt`.
    pub fn from_answer(status: u16, body: &[u8]) -> Rules {
        match status {
            200..=299 => match texting_robots::Robot::new(PRODUCT_TOKEN, body) {
                Ok(robot) => Rules::Parsed(robot),
                // Unparseable is treated like a file without rules.
                Err(_) => Rules::AllowAll,
            },
            500..=599 => Rules::DisallowAll,
            _ => Rules::AllowAll,
        }
    }

    pub fn verdict(&self, url: &Url) -> Verdict {
        match self {
            Rules::AllowAll => Verdict {
                allowed: true,
                delay: None,
            },
            Rules::DisallowAll => Verdict {
                allowed: false,
                delay: None,
            },
            Rules::Parsed(robot) => Verdict {
                allowed: robot.allowed(url.as_str()),
                delay: robot
                    .delay
                    .filter(|d| d.is_finite() && *d > 0.0)
                    .map(|d| Duration::from_secs_f32(d).min(MAX_CRAWL_DELAY)),
            },
        }
    }
}

/// robots.txt of every origin met in a run, each fetched once.
#[derive(Debug, Default)]
pub struct RobotsCache {
    origins: tokio::sync::Mutex<HashMap<String, Arc<tokio::sync::OnceCell<Arc<Rules>>>>>,
}

impl RobotsCache {
    pub fn new() -> Self {
        RobotsCache::default()
    }

    /// The verdict for `url`, fetching its origin's robots.txt on first use
    /// (concurrent callers for one origin wait for the one fetch).
    pub async fn verdict(&self, client: &reqwest::Client, timeout: Duration, url: &Url) -> Verdict {
        let origin = url.origin().ascii_serialization();
        let cell = {
            let mut origins = self.origins.lock().await;
            Arc::clone(origins.entry(origin.clone()).or_default())
        };
        let rules = cell
            .get_or_init(|| async { Arc::new(fetch_rules(client, timeout, &origin).await) })
            .await;
        rules.verdict(url)
    }
}

async fn fetch_rules(client: &reqwest::Client, timeout: Duration, origin: &str) -> Rules {
    let Ok(robots_url) = Url::parse(&format!("{origin}/robots.txt")) else {
        return Rules::AllowAll;
    };
    let spec = RequestSpec {
        method: reqwest::Method::GET,
        timeout,
        max_redirects: 5,
        body_cap: BodyCap::Truncate(MAX_ROBOTS_BYTES),
        validators: None,
        deny_private: false,
        credentials: None,
        capture: None,
    };
    match request(client, &robots_url, &spec).await {
        Ok(answer) => Rules::from_answer(answer.status, &answer.body),
        Err(_) => Rules::AllowAll,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(status: u16, body: &str, url: &str) -> Result<Verdict, url::ParseError> {
        Ok(Rules::from_answer(status, body.as_bytes()).verdict(&Url::parse(url)?))
    }

    #[test]
    fn matches_the_stet_group_and_caps_the_delay() -> Result<(), url::ParseError> {
        let txt = "User-agent: *\nDisallow: /\n\n\
                   User-agent: stet\nDisallow: /private\nAllow: /private/ok\nCrawl-delay: 60\n";
        let page = verdict(200, txt, "http://h.example/article")?;
        assert!(page.allowed);
        assert_eq!(page.delay, Some(MAX_CRAWL_DELAY));
        assert!(!verdict(200, txt, "http://h.example/private/x")?.allowed);
        assert!(verdict(200, txt, "http://h.example/private/ok/x")?.allowed);
        let small = verdict(
            200,
            "User-agent: stet\nCrawl-delay: 2\n",
            "http://h.example/",
        )?;
        assert_eq!(small.delay, Some(Duration::from_secs(2)));
        Ok(())
    }

    #[test]
    fn status_codes_follow_rfc_9309() -> Result<(), url::ParseError> {
        assert!(verdict(404, "Disallow: /", "http://h.example/a")?.allowed);
        assert!(!verdict(503, "", "http://h.example/a")?.allowed);
        assert!(verdict(200, "", "http://h.example/a")?.allowed);
        Ok(())
    }
}
