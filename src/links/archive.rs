//! `--suggest-archive`: the closest archived capture of each dead link,
//! from a Wayback availability endpoint (`GET BASE?url=URL` answering
//! `{"archived_snapshots": {"closest": {"available": true, "url": …,
//! "timestamp": …}}}`). The base URL is configurable, so tests (and
//! private archives) can play the Internet Archive.

use futures_util::stream::{self, StreamExt};
use url::Url;

use super::{ArchiveCapture, LinkClass, LinkOptions, LinkResult};
use crate::fetch::{request, BodyCap, RequestSpec};

/// Queries to the archive in flight at once.
const ARCHIVE_CONCURRENCY: usize = 4;

/// Fill `archive` for every dead link the archive has a capture of. An
/// archive that fails or does not know the page leaves the field empty.
pub async fn suggest(
    client: &reqwest::Client,
    endpoint: &str,
    options: &LinkOptions,
    results: &mut [LinkResult],
) {
    let Ok(base) = Url::parse(endpoint) else {
        return;
    };
    let wanted: Vec<(usize, String)> = results
        .iter()
        .enumerate()
        .filter(|(_, r)| r.class == LinkClass::Dead)
        .map(|(i, r)| (i, r.url.clone()))
        .collect();
    let found: Vec<(usize, Option<ArchiveCapture>)> = stream::iter(wanted)
        .map(|(i, url)| {
            let base = &base;
            async move { (i, closest(client, base, &url, options).await) }
        })
        .buffer_unordered(ARCHIVE_CONCURRENCY)
        .collect()
        .await;
    for (i, capture) in found {
        if let Some(r) = results.get_mut(i) {
            r.archive = capture;
        }
    }
}

async fn closest(
    client: &reqwest::Client,
    base: &Url,
    url: &str,
    options: &LinkOptions,
) -> Option<ArchiveCapture> {
    let mut query = base.clone();
    query.query_pairs_mut().append_pair("url", url);
    let spec = RequestSpec {
        method: reqwest::Method::GET,
        timeout: options.timeout,
        max_redirects: options.max_redirects,
        body_cap: BodyCap::Fail(1024 * 1024),
        validators: None,
        deny_private: false,
        credentials: None,
        capture: None,
    };
    let answer = request(client, &query, &spec).await.ok()?;
    if answer.status != 200 {
        return None;
    }
    parse_availability(&answer.body)
}

/// The closest available capture in a Wayback availability answer.
pub fn parse_availability(body: &[u8]) -> Option<ArchiveCapture> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    let closest = v.get("archived_snapshots")?.get("closest")?;
    if closest
        .get("available")
        .and_then(serde_json::Value::as_bool)
        == Some(false)
    {
        return None;
    }
    let url = closest.get("url")?.as_str()?;
    let parsed = Url::parse(url).ok()?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return None;
    }
    Some(ArchiveCapture {
        url: parsed.to_string(),
        timestamp: closest
            .get("timestamp")
            .and_then(serde_json::Value::as_str)
            .map(str::to_string),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn availability_answers() {
        let yes = br#"{"url":"x","archived_snapshots":{"closest":{"status":"200","available":true,"url":"http://web.archive.org/web/20110427000000/http://x/","timestamp":"20110427000000"}}}"#;
        assert_eq!(
            parse_availability(yes),
            Some(ArchiveCapture {
                url: "http://web.archive.org/web/20110427000000/http://x/".to_string(),
                timestamp: Some("20110427000000".to_string()),
            })
        );
        assert_eq!(parse_availability(br#"{"archived_snapshots":{}}"#), None);
        assert_eq!(parse_availability(b"<html>"), None);
        assert_eq!(
            parse_availability(br#"{"archived_snapshots":{"closest":{"url":"javascript:x"}}}"#),
            None
        );
    }
}
