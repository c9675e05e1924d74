//! Asking an RFC 3161 timestamp authority: one HTTP POST of a DER query
//! (`application/timestamp-query`), the DER answer back, capped in size.

use super::{build_client, FetchError, FetchOptions};

/// The largest answer accepted (a token with a certificate chain is a few KiB).
pub const MAX_REPLY: usize = 256 * 1024;

/// POST `query` to `url` and return the answer's bytes (2xx only).
pub async fn post_query(
    url: &str,
    query: Vec<u8>,
    options: &FetchOptions,
) -> Result<Vec<u8>, FetchError> {
    let client = build_client(options)?;
    let mut response = client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/timestamp-query")
        .header(reqwest::header::ACCEPT, "application/timestamp-reply")
        .body(query)
        .timeout(options.timeout)
        .send()
        .await
        .map_err(|e| FetchError::from_reqwest(url, &e, options.timeout.as_secs()))?;
    if !response.status().is_success() {
        return Err(FetchError::Protocol {
            url: url.to_string(),
            detail: format!(
                "timestamp authority answered {}",
                response.status().as_u16()
            ),
        });
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| FetchError::from_reqwest(url, &e, options.timeout.as_secs()))?
    {
        if body.len() + chunk.len() > MAX_REPLY {
            return Err(FetchError::BodyTooLarge {
                url: url.to_string(),
                limit: MAX_REPLY as u64,
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
