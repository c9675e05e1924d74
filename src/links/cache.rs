//! The result cache in the store: successes younger than `max_age` are
//! replayed instead of re-checked; failures never are (a link is reported
//! failing only when it failed now). Each failure's time is kept until the
//! link works again, so `--confirm N` can ask for N failing runs at least a
//! day apart before a failure fails the run.

use std::time::Duration;

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::page::Candidate;
use super::{LinkClass, LinkResult};
use crate::store::link_cache::{LinkCache, LinkCacheEntry, MAX_FAILURES_KEPT};

/// How the cache is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CachePolicy {
    /// Successes younger than this are replayed.
    pub max_age: Duration,
    /// Failing runs, at least a day apart, before a failure counts (1: now).
    pub confirm: u32,
}

/// Default maximum age of a replayed success: one day.
pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(24 * 3600);
const DAY: time::Duration = time::Duration::hours(24);

impl Default for CachePolicy {
    fn default() -> Self {
        CachePolicy {
            max_age: DEFAULT_MAX_AGE,
            confirm: 1,
        }
    }
}

fn parse(t: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(t, &Rfc3339).ok()
}

/// Split candidates into those to check and results replayed from `cache`.
pub fn replay(
    cache: &LinkCache,
    candidates: Vec<Candidate>,
    now: &str,
    policy: &CachePolicy,
) -> (Vec<Candidate>, Vec<LinkResult>) {
    let now = parse(now);
    let max_age = time::Duration::try_from(policy.max_age).unwrap_or(time::Duration::MAX);
    let mut check = Vec::new();
    let mut replayed = Vec::new();
    for c in candidates {
        let Candidate::Check(url) = &c else {
            check.push(c);
            continue;
        };
        let fresh = cache.entries.get(url.as_str()).filter(|e| {
            let alive = matches!(e.class.as_str(), "ok" | "redirect");
            let young = match (now, parse(&e.checked_at)) {
                (Some(now), Some(at)) => at <= now && now - at <= max_age,
                _ => false,
            };
            alive && young
        });
        match fresh {
            Some(e) => replayed.push(LinkResult {
                url: url.to_string(),
                final_url: e.final_url.clone(),
                status: e.status,
                class: LinkClass::parse(&e.class).unwrap_or(LinkClass::Ok),
                reason: None,
                redirects: Vec::new(),
                attempts: 0,
                elapsed_ms: 0,
                detail: Some(format!("cached: checked at {}", e.checked_at)),
                cached: true,
                unconfirmed: false,
                archive: None,
            }),
            None => check.push(c),
        }
    }
    (check, replayed)
}

/// Record fresh results in `cache`, and mark failures not yet seen on
/// `policy.confirm` runs a day apart as `unconfirmed`.
pub fn record(cache: &mut LinkCache, results: &mut [LinkResult], now: &str, policy: &CachePolicy) {
    for r in results.iter_mut() {
        if r.cached || r.class == LinkClass::Skipped {
            continue;
        }
        let entry = cache
            .entries
            .entry(r.url.clone())
            .or_insert_with(|| LinkCacheEntry {
                class: String::new(),
                status: None,
                final_url: None,
                checked_at: String::new(),
                failures: Vec::new(),
            });
        entry.class = r.class.as_str().to_string();
        entry.status = r.status;
        entry.final_url = r.final_url.clone();
        entry.checked_at = now.to_string();
        if r.class.is_failure() {
            entry.failures.push(now.to_string());
            let excess = entry.failures.len().saturating_sub(MAX_FAILURES_KEPT);
            entry.failures.drain(..excess);
            if policy.confirm > 1 && days_apart(&entry.failures) < policy.confirm {
                r.unconfirmed = true;
            }
        } else {
            entry.failures.clear();
        }
    }
}

/// How many of `times` (oldest first) are at least a day apart, counting
/// back from the latest.
pub fn days_apart(times: &[String]) -> u32 {
    let mut count = 0;
    let mut last: Option<OffsetDateTime> = None;
    for t in times.iter().rev().filter_map(|t| parse(t)) {
        match last {
            Some(l) if l - t < DAY => {}
            _ => {
                count += 1;
                last = Some(t);
            }
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(url: &str, class: LinkClass) -> LinkResult {
        let mut r = LinkResult::skipped(url, super::super::Reason::Http4xx, None);
        r.class = class;
        r.status = Some(if class == LinkClass::Ok { 200 } else { 404 });
        r
    }

    #[test]
    fn successes_replay_failures_confirm_over_days() {
        let policy = CachePolicy {
            max_age: DEFAULT_MAX_AGE,
            confirm: 2,
        };
        let mut cache = LinkCache::default();
        let mut rs = vec![
            result("https://a.example/", LinkClass::Ok),
            result("https://b.example/", LinkClass::Dead),
        ];
        record(&mut cache, &mut rs, "2026-01-01T00:00:00Z", &policy);
        assert!(rs[1].unconfirmed, "one failing run is not two");

        let urls = ["https://a.example/", "https://b.example/"];
        let cands: Vec<Candidate> = urls
            .iter()
            .filter_map(|u| url::Url::parse(u).ok())
            .map(Candidate::Check)
            .collect();
        let (check, replayed) = replay(&cache, cands.clone(), "2026-01-01T12:00:00Z", &policy);
        assert_eq!(replayed.len(), 1);
        assert!(replayed[0].cached);
        assert_eq!(check.len(), 1, "failures are never replayed");
        let (check, _) = replay(&cache, cands, "2026-01-03T00:00:00Z", &policy);
        assert_eq!(check.len(), 2, "too old to replay");

        // Same day: still unconfirmed. A day later: confirmed.
        let mut again = vec![result("https://b.example/", LinkClass::Dead)];
        record(&mut cache, &mut again, "2026-01-01T18:00:00Z", &policy);
        assert!(again[0].unconfirmed);
        let mut later = vec![result("https://b.example/", LinkClass::Dead)];
        record(&mut cache, &mut later, "2026-01-02T01:00:00Z", &policy);
        assert!(!later[0].unconfirmed);
        // Working again clears the history.
        let mut ok = vec![result("https://b.example/", LinkClass::Ok)];
        record(&mut cache, &mut ok, "2026-01-03T00:00:00Z", &policy);
        assert!(cache.entries["https://b.example/"].failures.is_empty());
    }
}
