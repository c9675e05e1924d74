//! The whole HTTP exchange of a snapshot fetch: the request head stet sent,
//! the response head as received, and the body before and after its
//! `Content-Encoding` was decoded (snapshot fetches decode it here, not in
//! reqwest, which would drop `Content-Encoding` and `Content-Length`).

use std::io::Read;

use reqwest::header::{
    HeaderMap, HeaderValue, ACCEPT, ACCEPT_ENCODING, CONTENT_ENCODING, USER_AGENT,
};
use url::Url;

use super::FetchError;

/// What a snapshot fetch keeps besides the decoded body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Captured {
    /// `HTTP/1.1`, `HTTP/2.0`, …
    pub http_version: String,
    pub request_head: Vec<u8>,
    pub response_head: Vec<u8>,
    /// The body as received, when it was content-encoded.
    pub encoded_body: Option<Vec<u8>>,
    /// Where the heads differ from the bytes on the wire.
    pub notes: Vec<String>,
}

/// The encodings a snapshot fetch asks for and decodes.
pub const ACCEPTED_ENCODINGS: &str = "gzip, br";

/// Note: hyper gives the status code and version, not the reason phrase.
pub const NOTE_REASON: &str =
    "status line rebuilt from the version and code (canonical reason phrase)";
/// Note: HTTP/2 and later have no status line.
pub const NOTE_HTTP2: &str = "HTTP/2 has no status or request line: both written HTTP/1.1-style";
/// Note: header names arrive lower-cased from hyper, grouped by name.
pub const NOTE_HEADERS: &str =
    "header names lower-cased; values in order of receipt, a repeated name's values together";
/// Note: the Host line is not set by stet but by the HTTP library.
pub const NOTE_HOST: &str = "request Host line written from the URL (the HTTP library sends it)";

/// The headers every snapshot request carries, set by stet so that the
/// request head records exactly them (reqwest adds its defaults only when absent).
pub fn request_headers(user_agent: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(user_agent) {
        headers.insert(USER_AGENT, v);
    }
    headers.insert(ACCEPT, HeaderValue::from_static("*/*"));
    headers.insert(
        ACCEPT_ENCODING,
        HeaderValue::from_static(ACCEPTED_ENCODINGS),
    );
    headers
}

/// The version as a head writes it, and whether it is HTTP/2 or later.
fn version_text(version: reqwest::Version) -> (&'static str, bool) {
    match version {
        reqwest::Version::HTTP_09 => ("HTTP/0.9", false),
        reqwest::Version::HTTP_10 => ("HTTP/1.0", false),
        reqwest::Version::HTTP_11 => ("HTTP/1.1", false),
        reqwest::Version::HTTP_2 => ("HTTP/2.0", true),
        reqwest::Version::HTTP_3 => ("HTTP/3.0", true),
        _ => ("HTTP/1.1", true),
    }
}

fn push_headers(out: &mut Vec<u8>, headers: &HeaderMap) {
    for (name, value) in headers {
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
}

/// The request line's target: path and query.
fn request_target(url: &Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    }
}

/// `host[:port]` as the Host header gives it.
fn host_value(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

/// The heads of one exchange, with the notes on their fidelity.
pub fn heads(
    method: &reqwest::Method,
    url: &Url,
    sent: &HeaderMap,
    version: reqwest::Version,
    status: reqwest::StatusCode,
    received: &HeaderMap,
) -> (String, Vec<u8>, Vec<u8>, Vec<String>) {
    let (version_name, synthetic) = version_text(version);
    let line_version = if synthetic { "HTTP/1.1" } else { version_name };
    let mut request = format!(
        "{method} {} {line_version}\r\nhost: {}\r\n",
        request_target(url),
        host_value(url)
    )
    .into_bytes();
    push_headers(&mut request, sent);
    request.extend_from_slice(b"\r\n");
    let mut response = format!(
        "{line_version} {} {}\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Unknown")
    )
    .into_bytes();
    push_headers(&mut response, received);
    response.extend_from_slice(b"\r\n");
    let mut notes = vec![
        if synthetic { NOTE_HTTP2 } else { NOTE_REASON }.to_string(),
        NOTE_HEADERS.to_string(),
        NOTE_HOST.to_string(),
    ];
    notes.sort();
    (version_name.to_string(), request, response, notes)
}

/// The content codings of a response, outermost last, lower-cased
/// (`identity` dropped).
pub fn content_codings(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(CONTENT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|c| c.trim().to_ascii_lowercase())
        .filter(|c| !c.is_empty() && c != "identity")
        .collect()
}

/// Whether `data` opens with a zlib header (RFC 1950: the deflate method,
/// and the two bytes a multiple of 31).
fn has_zlib_header(data: &[u8]) -> bool {
    match data {
        [cmf, flg, ..] => cmf & 0x0f == 8 && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0,
        _ => false,
    }
}

/// Decode a body by its content codings, producing at most `limit` bytes.
/// Returns `Ok(None)` when the body is larger than the limit once decoded.
pub fn decode_body(
    url: &str,
    codings: &[String],
    raw: &[u8],
    limit: u64,
) -> Result<Option<Vec<u8>>, FetchError> {
    let mut current = raw.to_vec();
    for coding in codings.iter().rev() {
        let bad = |e: std::io::Error| FetchError::Protocol {
            url: url.to_string(),
            detail: format!("could not decode the {coding} body: {e}"),
        };
        let mut out = Vec::new();
        let reader: Box<dyn Read + '_> = match coding.as_str() {
            "gzip" | "x-gzip" => Box::new(flate2::read::MultiGzDecoder::new(current.as_slice())),
            // RFC 9110's deflate is zlib; servers also send raw deflate,
            // which browsers read as well: told apart by zlib's header.
            "deflate" if has_zlib_header(&current) => {
                Box::new(flate2::read::ZlibDecoder::new(current.as_slice()))
            }
            "deflate" => Box::new(flate2::read::DeflateDecoder::new(current.as_slice())),
            "br" => Box::new(brotli::Decompressor::new(current.as_slice(), 8192)),
            other => {
                return Err(FetchError::Protocol {
                    url: url.to_string(),
                    detail: format!("unsupported Content-Encoding `{}`", other.escape_debug()),
                })
            }
        };
        reader
            .take(limit.saturating_add(1))
            .read_to_end(&mut out)
            .map_err(bad)?;
        if out.len() as u64 > limit {
            return Ok(None);
        }
        current = out;
    }
    Ok(Some(current))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn deflate_bodies_read_as_zlib_or_raw() {
        let page = b"<html><body><p>The harbour plan was approved.</p></body></html>".repeat(20);
        let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        let mut raw =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        zlib.write_all(&page).expect("zlib");
        raw.write_all(&page).expect("deflate");
        let codings = ["deflate".to_string()];
        for body in [zlib.finish().expect("zlib"), raw.finish().expect("deflate")] {
            let decoded = decode_body("http://e.org/", &codings, &body, 1 << 20);
            assert_eq!(decoded.ok().flatten().as_deref(), Some(page.as_slice()));
        }
        // Neither: one clear error.
        let e = decode_body("http://e.org/", &codings, b"\xff\xfe not deflate", 1 << 20);
        assert!(e.is_err());
    }

    #[test]
    fn heads_keep_every_header_in_order_of_receipt() -> Result<(), url::ParseError> {
        let mut received = HeaderMap::new();
        received.append("content-type", HeaderValue::from_static("text/html"));
        received.append("set-cookie", HeaderValue::from_static("a=1"));
        received.append("set-cookie", HeaderValue::from_static("b=2"));
        received.append("x-z", HeaderValue::from_static("last"));
        let url = Url::parse("http://example.org:8080/a/b?c=d#f")?;
        let (version, request, response, notes) = heads(
            &reqwest::Method::GET,
            &url,
            &request_headers("ua/1"),
            reqwest::Version::HTTP_11,
            reqwest::StatusCode::NOT_FOUND,
            &received,
        );
        assert_eq!(version, "HTTP/1.1");
        assert_eq!(
            String::from_utf8_lossy(&request),
            "GET /a/b?c=d HTTP/1.1\r\nhost: example.org:8080\r\nuser-agent: ua/1\r\naccept: */*\r\naccept-encoding: gzip, br\r\n\r\n"
        );
        assert_eq!(
            String::from_utf8_lossy(&response),
            "HTTP/1.1 404 Not Found\r\ncontent-type: text/html\r\nset-cookie: a=1\r\nset-cookie: b=2\r\nx-z: last\r\n\r\n"
        );
        assert!(notes.iter().any(|n| n == NOTE_REASON));
        let (version, _, response, notes) = heads(
            &reqwest::Method::GET,
            &url,
            &HeaderMap::new(),
            reqwest::Version::HTTP_2,
            reqwest::StatusCode::OK,
            &HeaderMap::new(),
        );
        assert_eq!(version, "HTTP/2.0");
        assert_eq!(response, b"HTTP/1.1 200 OK\r\n\r\n");
        assert!(notes.iter().any(|n| n == NOTE_HTTP2));
        Ok(())
    }

    #[test]
    fn bodies_decode_by_their_codings_under_the_limit() -> Result<(), Box<dyn std::error::Error>> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"<p>hello</p>")?;
        let gz = gz.finish()?;
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_ENCODING, HeaderValue::from_static("GZIP, identity"));
        let codings = content_codings(&headers);
        assert_eq!(codings, ["gzip"]);
        assert_eq!(
            decode_body("u", &codings, &gz, 100)?,
            Some(b"<p>hello</p>".to_vec())
        );
        assert_eq!(decode_body("u", &codings, &gz, 5)?, None);
        assert!(decode_body("u", &codings, b"not gzip", 100).is_err());
        assert!(decode_body("u", &["zstd".to_string()], b"x", 100).is_err());
        Ok(())
    }
}
