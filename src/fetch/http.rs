//! HTTP fetches: redirects followed hop by hop (each recorded), the whole
//! fetch under one deadline, and the body streamed under a decoded-size cap.
//! [`request`] is the one hop loop: snapshots use it for GETs of whole
//! pages, the link checker for HEADs and capped GETs.

use std::collections::{BTreeMap, HashSet};
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, IF_MODIFIED_SINCE, IF_NONE_MATCH, LOCATION};
use url::Url;

use super::capture::{self, Captured};
use super::{now_rfc3339, FetchError, FetchOptions, Fetched, Validators};
use crate::model::{FetchFacts, Hop, KEPT_HEADERS};

/// What to do with a body longer than the cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyCap {
    /// Fail with [`FetchError::BodyTooLarge`] (a snapshot must be whole).
    Fail(u64),
    /// Stop reading and keep what was read (a link check needs no more).
    Truncate(u64),
}

/// One request (HEAD or GET) and the redirects it leads to.
#[derive(Debug, Clone)]
pub struct RequestSpec<'a> {
    pub method: reqwest::Method,
    /// Deadline of the whole request: every hop and the body.
    pub timeout: Duration,
    pub max_redirects: usize,
    pub body_cap: BodyCap,
    /// `If-None-Match` / `If-Modified-Since`, sent on every hop.
    pub validators: Option<&'a Validators>,
    /// Refuse IP-literal hosts that are private, on every hop (names are
    /// checked after resolution by the client of
    /// [`super::build_client_with`]).
    pub deny_private: bool,
    /// The target's own headers and cookies (page fetches only; never link
    /// checks of other hosts).
    pub credentials: Option<&'a super::Credentials>,
    /// Keep the whole exchange, sending this User-Agent (needs a client
    /// that leaves content decoding to stet: [`super::build_capture_client`]).
    pub capture: Option<&'a str>,
}

/// The final answer of a request, with the redirects before it.
#[derive(Debug, Clone)]
pub struct Answer {
    pub final_url: Url,
    /// Every hop that answered with a redirect, in order.
    pub redirects: Vec<Hop>,
    pub status: u16,
    /// Headers of the final answer.
    pub headers: HeaderMap,
    /// The decoded body (empty for HEAD), at most the cap.
    pub body: Vec<u8>,
    /// The body was longer than a [`BodyCap::Truncate`] cap.
    pub truncated: bool,
    /// The whole exchange, when the spec asked for it.
    pub captured: Option<Captured>,
}

pub(super) async fn fetch(
    client: &reqwest::Client,
    options: &FetchOptions,
    url: &Url,
    validators: Option<&Validators>,
    credentials: Option<&super::Credentials>,
) -> Result<Fetched, FetchError> {
    let fetched_at = now_rfc3339();
    let started = Instant::now();
    let spec = RequestSpec {
        method: reqwest::Method::GET,
        timeout: options.timeout,
        max_redirects: options.max_redirects,
        body_cap: BodyCap::Fail(options.max_body),
        validators,
        deny_private: false,
        credentials,
        capture: Some(&options.user_agent),
    };
    let sent_headers = credentials
        .map(|c| c.names_for(url, super::credentials::unix_now()))
        .unwrap_or_default();
    let answer = request(client, url, &spec).await?;
    Ok(Fetched {
        facts: FetchFacts {
            requested_url: url.to_string(),
            final_url: answer.final_url.to_string(),
            redirects: answer.redirects,
            status: Some(answer.status),
            headers: kept_headers(&answer.headers),
            fetched_at,
            elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            sent_headers,
        },
        body: answer.body,
        captured: answer.captured,
    })
}

/// Perform one request, following redirects hop by hop under one deadline.
/// Any HTTP status is an [`Answer`]; an error means no answer was had.
pub async fn request(
    client: &reqwest::Client,
    start: &Url,
    spec: &RequestSpec<'_>,
) -> Result<Answer, FetchError> {
    match tokio::time::timeout(spec.timeout, request_inner(client, start, spec)).await {
        Ok(result) => result,
        Err(_) => Err(FetchError::Timeout {
            url: start.to_string(),
            seconds: spec.timeout.as_secs(),
        }),
    }
}

async fn request_inner(
    client: &reqwest::Client,
    start: &Url,
    spec: &RequestSpec<'_>,
) -> Result<Answer, FetchError> {
    let seconds = spec.timeout.as_secs();
    let mut current = start.clone();
    let mut redirects: Vec<Hop> = Vec::new();
    let mut seen: HashSet<Url> = HashSet::new();
    seen.insert(current.clone());
    loop {
        if spec.deny_private {
            check_literal(&current)?;
        }
        let mut request = client.request(spec.method.clone(), current.clone());
        let sent = spec.capture.map(capture::request_headers);
        if let Some(sent) = &sent {
            request = request.headers(sent.clone());
        }
        if let Some(v) = spec.validators {
            if let Some(etag) = &v.etag {
                request = request.header(IF_NONE_MATCH, etag);
            }
            if let Some(lm) = &v.last_modified {
                request = request.header(IF_MODIFIED_SINCE, lm);
            }
        }
        if let Some(c) = spec.credentials {
            for (name, value) in c.headers_for(start, &current, super::credentials::unix_now()) {
                request = request.header(name, value);
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
            if redirects.len() > spec.max_redirects {
                return Err(FetchError::TooManyRedirects {
                    url: start.to_string(),
                    limit: spec.max_redirects,
                });
            }
            current = next;
            continue;
        }
        let headers = response.headers().clone();
        let version = response.version();
        let status_code = response.status();
        let (mut body, mut truncated) = if spec.method == reqwest::Method::HEAD {
            (Vec::new(), false)
        } else {
            read_capped(response, current.as_str(), spec.body_cap, seconds).await?
        };
        let captured = match &sent {
            Some(sent) => {
                let (http_version, request_head, response_head, notes) =
                    capture::heads(&spec.method, &current, sent, version, status_code, &headers);
                let codings = capture::content_codings(&headers);
                let encoded_body = if codings.is_empty() || body.is_empty() {
                    None
                } else {
                    let (limit, cut) = match spec.body_cap {
                        BodyCap::Fail(n) => (n, false),
                        BodyCap::Truncate(n) => (n, true),
                    };
                    match capture::decode_body(current.as_str(), &codings, &body, limit)? {
                        Some(decoded) => Some(std::mem::replace(&mut body, decoded)),
                        None if cut => {
                            truncated = true;
                            None
                        }
                        None => {
                            return Err(FetchError::BodyTooLarge {
                                url: current.to_string(),
                                limit,
                            })
                        }
                    }
                };
                Some(Captured {
                    http_version,
                    request_head,
                    response_head,
                    encoded_body,
                    notes,
                })
            }
            None => None,
        };
        return Ok(Answer {
            final_url: current,
            redirects,
            status,
            headers,
            body,
            truncated,
            captured,
        });
    }
}

/// `--deny-private` for hosts written as IP addresses (no resolver runs).
fn check_literal(url: &Url) -> Result<(), FetchError> {
    let ip = match url.host() {
        Some(url::Host::Ipv4(ip)) => std::net::IpAddr::V4(ip),
        Some(url::Host::Ipv6(ip)) => std::net::IpAddr::V6(ip),
        _ => return Ok(()),
    };
    if super::address::is_private(ip) {
        return Err(FetchError::PrivateAddress {
            url: url.to_string(),
            detail: ip.to_string(),
        });
    }
    Ok(())
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
    cap: BodyCap,
    seconds: u64,
) -> Result<(Vec<u8>, bool), FetchError> {
    let mut body = Vec::new();
    let (limit, truncate) = match cap {
        BodyCap::Fail(n) => (n, false),
        BodyCap::Truncate(n) => (n, true),
    };
    loop {
        let chunk = response
            .chunk()
            .await
            .map_err(|e| FetchError::from_reqwest(url, &e, seconds))?;
        let Some(chunk) = chunk else { break };
        if body.len() as u64 + chunk.len() as u64 > limit {
            if truncate {
                let room = usize::try_from(limit)
                    .unwrap_or(usize::MAX)
                    .saturating_sub(body.len());
                body.extend_from_slice(&chunk[..room.min(chunk.len())]);
                return Ok((body, true));
            }
            return Err(FetchError::BodyTooLarge {
                url: url.to_string(),
                limit,
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body, false))
}
