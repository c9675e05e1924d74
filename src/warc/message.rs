//! HTTP messages inside WARC records: the head split from the payload,
//! the status line and headers read, chunked payloads de-chunked.

use std::collections::BTreeMap;

use crate::model::KEPT_HEADERS;

/// A response head and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response<'a> {
    /// The head, status line to the empty line included.
    pub head: &'a [u8],
    /// The bytes after it.
    pub payload: &'a [u8],
    pub version: String,
    pub status: u16,
    /// Every header, names lower-cased, in order.
    pub headers: Vec<(String, String)>,
}

impl Response<'_> {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The headers a manifest keeps.
    pub fn kept(&self) -> BTreeMap<String, String> {
        KEPT_HEADERS
            .iter()
            .filter_map(|k| Some(((*k).to_string(), self.header(k)?.to_string())))
            .collect()
    }

    pub fn is_chunked(&self) -> bool {
        self.header("transfer-encoding")
            .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"))
    }
}

/// Where the head ends (after its empty line).
fn head_end(block: &[u8]) -> Option<usize> {
    let crlf = memchr::memmem::find(block, b"\r\n\r\n").map(|i| i + 4);
    let lf = memchr::memmem::find(block, b"\n\n").map(|i| i + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Split and read a response block. `None` when it is not an HTTP response.
pub fn parse_response(block: &[u8]) -> Option<Response<'_>> {
    let end = head_end(block).unwrap_or(block.len());
    let (head, payload) = block.split_at(end);
    let text = String::from_utf8_lossy(head);
    let mut lines = text.lines();
    let status_line = lines.next()?;
    let mut parts = status_line.split_whitespace();
    let version = parts.next()?.to_string();
    if !version.starts_with("HTTP/") {
        return None;
    }
    let status = parts.next()?.parse::<u16>().ok()?;
    let headers = lines
        .filter_map(|l| {
            let (n, v) = l.split_once(':')?;
            Some((n.trim().to_ascii_lowercase(), v.trim().to_string()))
        })
        .collect();
    Some(Response {
        head,
        payload,
        version,
        status,
        headers,
    })
}

/// A chunked payload de-chunked; `None` when the chunks do not add up (the
/// payload is then taken as it is, as warcio and browsers do).
pub fn dechunk(payload: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(payload.len());
    let mut rest = payload;
    loop {
        let line_end = memchr::memchr(b'\n', rest)?;
        let line = std::str::from_utf8(&rest[..line_end]).ok()?.trim();
        let size_text = line.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        rest = &rest[line_end + 1..];
        if size == 0 {
            return Some(out);
        }
        if rest.len() < size {
            return None;
        }
        out.extend_from_slice(&rest[..size]);
        rest = &rest[size..];
        rest = rest
            .strip_prefix(b"\r\n")
            .or_else(|| rest.strip_prefix(b"\n"))?;
    }
}

/// The MIME type of a Content-Type value, lower-cased, parameters dropped.
pub fn mime(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// An HTML page, by its MIME type.
pub fn is_html(content_type: Option<&str>) -> bool {
    matches!(
        content_type.map(mime).as_deref(),
        Some("text/html" | "application/xhtml+xml")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_split_at_their_empty_line() {
        let r = parse_response(
            b"HTTP/1.0 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\nX: 1\r\n\r\n<p>\r\n\r\n",
        )
        .unwrap_or_else(|| panic!("not parsed"));
        assert_eq!((r.version.as_str(), r.status), ("HTTP/1.0", 200));
        assert_eq!(r.payload, b"<p>\r\n\r\n");
        assert_eq!(r.header("content-type"), Some("text/html; charset=UTF-8"));
        assert!(is_html(r.header("content-type")));
        assert_eq!(r.kept().len(), 1);
        assert!(parse_response(b"GET / HTTP/1.1\r\n\r\n").is_none());
    }

    #[test]
    fn chunks_join_or_fail() {
        assert_eq!(
            dechunk(b"3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n"),
            Some(b"abcde".to_vec())
        );
        assert_eq!(dechunk(b"9\r\nabc\r\n0\r\n\r\n"), None);
        assert_eq!(dechunk(b"<html>"), None);
    }
}
