//! Posting a report to a webhook: a JSON body, a timeout per attempt, and
//! retries with backoff for timeouts, connection failures and 5xx answers.

use std::time::Duration;

use super::{build_client, FetchError, FetchOptions};

/// Attempts made before a webhook post is given up.
pub const WEBHOOK_ATTEMPTS: u32 = 3;

/// POST `body` (JSON) to `url`. Ok with the final status when the endpoint
/// answered 2xx; an error naming the last failure otherwise.
pub async fn post_json(
    url: &str,
    body: Vec<u8>,
    options: &FetchOptions,
) -> Result<u16, FetchError> {
    let client = build_client(options)?;
    let mut backoff = Duration::from_millis(500);
    let mut last = None;
    for attempt in 1..=WEBHOOK_ATTEMPTS {
        let sent = client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.clone())
            .timeout(options.timeout)
            .send()
            .await;
        match sent {
            Ok(r) if r.status().is_success() => return Ok(r.status().as_u16()),
            Ok(r) if r.status().is_server_error() || r.status().as_u16() == 429 => {
                last = Some(FetchError::Protocol {
                    url: url.to_string(),
                    detail: format!("webhook answered {}", r.status().as_u16()),
                });
            }
            Ok(r) => {
                return Err(FetchError::Protocol {
                    url: url.to_string(),
                    detail: format!("webhook answered {}", r.status().as_u16()),
                })
            }
            Err(e) => last = Some(FetchError::from_reqwest(url, &e, options.timeout.as_secs())),
        }
        if attempt < WEBHOOK_ATTEMPTS {
            tokio::time::sleep(backoff).await;
            backoff *= 2;
        }
    }
    Err(last.unwrap_or_else(|| FetchError::Client("webhook: no attempt made".to_string())))
}
