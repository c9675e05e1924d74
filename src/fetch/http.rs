//! HTTP fetches: redirects followed hop by hop (each recorded), the whole
//! fetch under one deadline, and the body streamed under a decoded-size cap.

use std::collections::{BTreeMap, HashSet};
use std::time::Instant;

use reqwest::header::{HeaderMap, IF_MODIFIED_SINCE, IF_NONE_MATCH, LOCATION};
use url::Url;

use super::{now_rfc3339, FetchError, FetchOptions, Fetched, Validators};
use crate::model::{FetchFacts, Hop, KEPT_HEADERS};

pub(super) async fn fetch(
    client: &reqwest::Client,
    options: &FetchOptions,
    url: &Url,
    validators: Option<&Validators>,
) -> Result<Fetched, FetchError> {
    let fetched_at = now_rfc3339();
    let started = Instant::now();
    let seconds = options.timeout.as_secs();
    let work = fetch_inner(client, options, url, validators, fetched_at);
    match tokio::time::timeout(options.timeout, work).await {
        Ok(result) => result.map(|mut fetched| {
            fetched.facts.elapsed_ms =
                u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            fetched
        }),
        Err(_) => Err(FetchError::Timeout {
            url: url.to_string(),
            seconds,
        }),
    }
}

async fn fetch_inner(
    client: &reqwest::Client,
    options: &FetchOptions,
    start: &Url,
    validators: Option<&Validators>,
    fetched_at: String,
) -> Result<Fetched, FetchError> {
    let seconds = options.timeout.as_secs();
    let mut current = start.clone();
    let mut redirects: Vec<Hop> = Vec::new();
    let mut seen: HashSet<Url> = HashSet::new();
    seen.insert(current.clone());
    loop {
        let mut request = client.get(current.clone());
        if let Some(v) = validators {
            if let Some(etag) = &v.etag {
                request = request.header(IF_NONE_MATCH, etag);
            }
            if let Some(lm) = &v.last_modified {
                request = request.header(IF_MODIFIED_SINCE, lm);
            }
        }
        let response = request
            .send()
            .await
            .map_err(|e| FetchError::from_reqwest(current.as_str(), &e, seconds))?;
        let status = response.status().as_u16();
        if response.status().is_redirection() && status != 304 {
            let next = redirect_target(&current, response.headers())?;
            redirects.push(Hop {
                url: current.to_string(),
                status,
            });
            if !seen.insert(next.clone()) {
                return Err(FetchError::RedirectLoop {
                    url: start.to_string(),
                    to: next.to_string(),
                });
            }
            if redirects.len() > options.max_redirects {
                return Err(FetchError::TooManyRedirects {
                    url: start.to_string(),
                    limit: options.max_redirects,
                });
            }
            current = next;
            continue;
        }
        let headers = kept_headers(response.headers());
        let body = read_capped(response, current.as_str(), options.max_body, seconds).await?;
        return Ok(Fetched {
            facts: FetchFacts {
                requested_url: start.to_string(),
                final_url: current.to_string(),
                redirects,
                status: Some(status),
                headers,
                fetched_at,
                elapsed_ms: 0,
            },
            body,
        });
    }
}

/// Where a redirect points, resolved against the URL that answered.
fn redirect_target(current: &Url, headers: &HeaderMap) -> Result<Url, FetchError> {
    let bad = |detail: &str| FetchError::BadRedirect {
        url: current.to_string(),
        detail: detail.to_string(),
    };
    let location = headers
        .get(LOCATION)
        .ok_or_else(|| bad("no Location header"))?
        .to_str()
        .map_err(|_| bad("Location is not ASCII"))?;
    let mut next = current
        .join(location.trim())
        .map_err(|e| bad(&format!("Location `{}`: {e}", location.escape_debug())))?;
    if !matches!(next.scheme(), "http" | "https") {
        return Err(FetchError::RedirectScheme {
            url: current.to_string(),
            scheme: next.scheme().to_string(),
        });
    }
    next.set_fragment(None);
    Ok(next)
}

/// The headers DESIGN.md keeps, lower-cased names, values as text.
fn kept_headers(headers: &HeaderMap) -> BTreeMap<String, String> {
    KEPT_HEADERS
        .iter()
        .filter_map(|name| {
            let value = headers.get(*name)?;
            let text = String::from_utf8_lossy(value.as_bytes()).into_owned();
            Some(((*name).to_string(), text))
        })
        .collect()
}

/// Stream the (already content-decoded) body, stopping at the cap.
async fn read_capped(
    mut response: reqwest::Response,
    url: &str,
    max_body: u64,
    seconds: u64,
) -> Result<Vec<u8>, FetchError> {
    let mut body = Vec::new();
    loop {
        let chunk = response
            .chunk()
            .await
            .map_err(|e| FetchError::from_reqwest(url, &e, seconds))?;
        let Some(chunk) = chunk else { break };
        if body.len() as u64 + chunk.len() as u64 > max_body {
            return Err(FetchError::BodyTooLarge {
                url: url.to_string(),
                limit: max_body,
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
