//! The SURT form of a URL (Sort-friendly URI Reordering Transform), as the
//! `surt` Python package writes it by default (`surt.surt(url)`): the key
//! cdxj-indexer writes into CDXJ indexes and pywb looks captures up by. A
//! port of its `handyurl.parse`, `GoogleURLCanonicalizer`,
//! `IAURLCanonicalizer` and `geturl_bytes(surt=True, with_scheme=False)`,
//! on the URL's bytes as a WARC record holds them:
//!
//! - host: percent-decoded, IDNA-encoded, `..` made `.`, dots trimmed,
//!   numeric forms of an IPv4 address written dotted (`2130706433` →
//!   `127.0.0.1`), a leading `www`, `www2`… dropped, lower-cased, labels
//!   reversed and comma-separated (addresses too: `1,0,0,127`); an IPv6
//!   address without its brackets; user and password dropped; the
//!   scheme's default port dropped;
//! - path: percent-decoded until nothing changes (`%2f` is a `/`), `.` and
//!   `..` segments resolved, empty segments dropped, re-escaped (controls,
//!   space, `#`, `%` and non-ASCII bytes), lower-cased, ASP.NET session
//!   segments dropped, a trailing `/` dropped;
//! - query: decoded and re-escaped likewise, session ids (`jsessionid`,
//!   `phpsessid`, `sid`, `aspsessionid…`, `cfid`/`cftoken`) dropped,
//!   lower-cased, its arguments sorted; an empty query dropped;
//! - the fragment and the scheme dropped (kept for URLs without a host:
//!   `urn:…`, `file:/…`).

use std::sync::LazyLock;

use regex::bytes::Regex;

/// The SURT key of `url`; `url` itself when the `surt` package could not
/// make one (a port that is not a number of 0 to 65535), as cdxj-indexer
/// then writes.
pub fn surt(url: &str) -> String {
    match key(url.as_bytes()) {
        Some(k) => String::from_utf8_lossy(&k).into_owned(),
        None => url.to_string(),
    }
}

/// A URL in parts, as `handyurl` holds it (`None`: absent; the
/// canonicalizers treat an empty part as absent too).
struct Parts {
    scheme: Vec<u8>,
    host: Option<Vec<u8>>,
    port: Option<u32>,
    path: Option<Vec<u8>>,
    query: Option<Vec<u8>>,
}

fn key(url: &[u8]) -> Option<Vec<u8>> {
    if url.is_empty() {
        return Some(b"-".to_vec());
    }
    if url.starts_with(b"filedesc") {
        return Some(url.to_vec());
    }
    let mut parts = parse(url)?;
    google(&mut parts);
    internet_archive(&mut parts);
    Some(write(&parts))
}

/// `handyurl.parse`.
fn parse(url: &[u8]) -> Option<Parts> {
    // Python's `bytes.strip()`: space, \t, \n, \v, \f and \r.
    let space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r');
    let start = url.iter().take_while(|b| space(b)).count();
    let end = url.len() - url[start..].iter().rev().take_while(|b| space(b)).count();
    let url: Vec<u8> = url[start..end]
        .iter()
        .copied()
        .filter(|b| !matches!(b, b'\n' | b'\r' | b'\t'))
        .collect();
    let mut url = if scheme_len(&url).is_some() {
        url
    } else {
        [b"http://".as_slice(), &url].concat()
    };
    // `http://https://host/` → `https://host/`.
    let mut at = 0;
    let mut last = None;
    while let Some(p) = [b"http://".as_slice(), b"https://"]
        .into_iter()
        .find(|p| url[at..].starts_with(p))
    {
        last = Some(at);
        at += p.len();
    }
    if let Some(start) = last {
        url.drain(..start);
    }
    let colon = scheme_len(&url)?;
    let scheme = url[..colon].to_vec();
    let rest = &url[colon + 1..];
    let rest = match rest.iter().position(|&b| b == b'#') {
        Some(i) => &rest[..i],
        None => rest,
    };
    let (netloc, rest) = match rest.strip_prefix(b"//") {
        Some(after) => {
            let end = after
                .iter()
                .position(|b| matches!(b, b'/' | b'?'))
                .unwrap_or(after.len());
            after.split_at(end)
        }
        None => (&b""[..], rest),
    };
    let (path, query) = match rest.iter().position(|&b| b == b'?') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &b""[..]),
    };
    let mut netloc = netloc;
    while let Some(n) = netloc.strip_suffix(b":") {
        netloc = n;
    }
    let (host, port) = host_and_port(netloc)?;
    let mut host = Some(host).filter(|h| !h.is_empty());
    let mut path = Some(path.to_vec()).filter(|p| !p.is_empty());
    // `http:////host/path`, `http:/host/path`: the host is in the path.
    if scheme.starts_with(b"http") && host.is_none() {
        if let Some(p) = &path {
            let slashes = p.iter().take_while(|&&b| b == b'/').count();
            let trimmed = &p[slashes..];
            let (h, tail) = match trimmed.iter().position(|&b| b == b'/') {
                Some(i) => (&trimmed[..i], &trimmed[i + 1..]),
                None => (trimmed, &b""[..]),
            };
            host = Some(h.to_vec());
            path = Some([b"/".as_slice(), tail].concat());
        }
    }
    Some(Parts {
        scheme,
        host,
        port,
        path,
        query: Some(query.to_vec()).filter(|q| !q.is_empty()),
    })
}

/// Length of the scheme before its `:`, when `url` starts with one.
fn scheme_len(url: &[u8]) -> Option<usize> {
    let first = url.first()?;
    if !first.is_ascii_alphabetic() {
        return None;
    }
    let len = url
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')))?;
    (url[len] == b':').then_some(len)
}

/// The host (lower-cased, an IPv6 address without brackets) and port of
/// an authority, as Python's `urlsplit` reads them; `None` when the port
/// is not a number of 0 to 65535 (Python raises).
fn host_and_port(netloc: &[u8]) -> Option<(Vec<u8>, Option<u32>)> {
    let hostinfo = match netloc.iter().rposition(|&b| b == b'@') {
        Some(i) => &netloc[i + 1..],
        None => netloc,
    };
    let (host, port) = match hostinfo.iter().position(|&b| b == b'[') {
        Some(open) => {
            let bracketed = &hostinfo[open + 1..];
            let (host, after) = split_once(bracketed, b']');
            (host, split_once(after, b':').1)
        }
        None => split_once(hostinfo, b':'),
    };
    let port = if port.is_empty() {
        None
    } else if port.iter().all(u8::is_ascii_digit) {
        let digits = std::str::from_utf8(port).ok()?;
        let n: u32 = match digits.trim_start_matches('0') {
            "" => 0,
            d if d.len() > 5 => return None,
            d => d.parse().ok()?,
        };
        if n > 65535 {
            return None;
        }
        Some(n).filter(|&n| n != 0)
    } else {
        return None;
    };
    Some((host.to_ascii_lowercase(), port))
}

/// `bytes.partition`: before and after the first `sep` (after: empty when
/// there is none).
fn split_once(bytes: &[u8], sep: u8) -> (&[u8], &[u8]) {
    match bytes.iter().position(|&b| b == sep) {
        Some(i) => (&bytes[..i], &bytes[i + 1..]),
        None => (bytes, &[]),
    }
}

/// `GoogleURLCanonicalizer.canonicalize`.
fn google(parts: &mut Parts) {
    if let Some(q) = parts.query.as_mut() {
        *q = escape_once(&unescape_repeatedly(q));
    }
    let has_host = match parts.host.as_mut() {
        Some(h) if !h.is_empty() => {
            let mut host = unescape_repeatedly(h);
            if !host.is_ascii() {
                if let Some(ascii) = idna(&host) {
                    host = ascii;
                }
            }
            let host = replace_double_dots(&host);
            let host = trim_dots(&host);
            *h = match ip_address(host) {
                Some(ip) => ip.into_bytes(),
                None => escape_once(&host.to_ascii_lowercase()),
            };
            !h.is_empty()
        }
        _ => false,
    };
    let path = parts.path.as_deref().map(unescape_repeatedly);
    let path = if has_host {
        Some(normalize_path(path.as_deref().unwrap_or_default()))
    } else {
        path
    };
    parts.path = path.map(|p| escape_once(&p));
}

/// The host's labels in ASCII (Python's `idna` codec), when they can be.
fn idna(host: &[u8]) -> Option<Vec<u8>> {
    // `decode('utf-8', 'ignore')`: bytes that are not UTF-8 are dropped.
    let text: String = String::from_utf8_lossy(host)
        .chars()
        .filter(|&c| c != char::REPLACEMENT_CHARACTER)
        .collect();
    match url::Host::parse(&text).ok()? {
        url::Host::Domain(d) => Some(d.into_bytes()),
        _ => None,
    }
}

/// `host.replace(b'..', b'.')`: each pair, left to right, once.
fn replace_double_dots(host: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(host.len());
    let mut i = 0;
    while i < host.len() {
        if host[i..].starts_with(b"..") {
            out.push(b'.');
            i += 2;
        } else {
            out.push(host[i]);
            i += 1;
        }
    }
    out
}

fn trim_dots(host: &[u8]) -> &[u8] {
    let start = host.iter().take_while(|&&b| b == b'.').count();
    let end = host.len()
        - host[start..]
            .iter()
            .rev()
            .take_while(|&&b| b == b'.')
            .count();
    &host[start..end]
}

/// `attemptIPFormats`: a host that is a number, or dotted numbers in
/// decimal or octal, as a dotted IPv4 address (as `inet_aton` reads it).
fn ip_address(host: &[u8]) -> Option<String> {
    if !host.is_empty() && host.iter().all(u8::is_ascii_digit) {
        // The lower four bytes of the number.
        let n = host.iter().fold(0u32, |n, &d| {
            n.wrapping_mul(10).wrapping_add(u32::from(d - b'0'))
        });
        return Some(std::net::Ipv4Addr::from(n).to_string());
    }
    let dotted = |first: &dyn Fn(&[u8]) -> bool, digit: &dyn Fn(&u8) -> bool| {
        let labels: Vec<&[u8]> = host.split(|&b| b == b'.').collect();
        labels.len() <= 4
            && first(labels[0])
            && labels[1..]
                .iter()
                .all(|l| !l.is_empty() && l.iter().all(digit))
    };
    let decimal = dotted(
        &|l| {
            l.first().is_some_and(|&b| (b'1'..=b'9').contains(&b))
                && l.iter().all(u8::is_ascii_digit)
        },
        &u8::is_ascii_digit,
    );
    let octal = dotted(
        &|l| l.first() == Some(&b'0') && l.iter().all(|b| (b'0'..=b'7').contains(b)),
        &|b| (b'0'..=b'7').contains(b),
    );
    if decimal || octal {
        inet_aton(host).map(|ip| ip.to_string())
    } else {
        None
    }
}

/// `inet_aton`: one to four numbers (decimal, `0` octal, `0x` hex), the
/// last filling the bytes left.
fn inet_aton(host: &[u8]) -> Option<std::net::Ipv4Addr> {
    let text = std::str::from_utf8(host).ok()?;
    let mut numbers = Vec::new();
    for part in text.split('.') {
        let n = if let Some(hex) = part.strip_prefix("0x").or_else(|| part.strip_prefix("0X")) {
            u64::from_str_radix(hex, 16).ok()?
        } else if part.len() > 1 && part.starts_with('0') {
            u64::from_str_radix(&part[1..], 8).ok()?
        } else {
            part.parse::<u64>().ok()?
        };
        numbers.push(n);
    }
    let (last, head) = numbers.split_last()?;
    if head.len() > 3 || head.iter().any(|&n| n > 255) {
        return None;
    }
    // The last number fills 4, 3, 2 or 1 bytes.
    if *last >= 1u64 << (8 * (4 - head.len() as u32)) {
        return None;
    }
    let mut value = *last;
    for (i, &n) in head.iter().enumerate() {
        value |= n << (24 - 8 * i as u32);
    }
    Some(std::net::Ipv4Addr::from(u32::try_from(value).ok()?))
}

/// `normalizePath`: `.` and `..` resolved, empty segments dropped (a
/// trailing `/` kept). The first segment (before the first `/`) goes.
fn normalize_path(path: &[u8]) -> Vec<u8> {
    if path.is_empty() {
        return b"/".to_vec();
    }
    let mut kept: Vec<&[u8]> = Vec::new();
    for p in path.split(|&b| b == b'/').skip(1) {
        match p {
            b"." => {}
            b".." if !kept.is_empty() => {
                kept.pop();
            }
            _ => kept.push(p),
        }
    }
    let mut out = b"/".to_vec();
    if let Some((last, head)) = kept.split_last() {
        for p in head.iter().filter(|p| !p.is_empty()) {
            out.extend_from_slice(p);
            out.push(b'/');
        }
        out.extend_from_slice(last);
    }
    out
}

/// `unquote_to_bytes` until nothing changes.
fn unescape_repeatedly(input: &[u8]) -> Vec<u8> {
    let mut cur = input.to_vec();
    loop {
        let next = unquote(&cur);
        if next == cur {
            return cur;
        }
        cur = next;
    }
}

/// Each `%XX` (two hex digits) as its byte, left to right.
fn unquote(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        if input[i] == b'%' {
            if let (Some(h), Some(l)) = (
                input.get(i + 1).and_then(|&b| hex_value(b)),
                input.get(i + 2).and_then(|&b| hex_value(b)),
            ) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(input[i]);
        i += 1;
    }
    out
}

fn hex_value(b: u8) -> Option<u8> {
    char::from(b)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

/// `escapeOnce`: controls, space, `#`, `%` and bytes outside ASCII as
/// `%XX` (upper case); everything else as it is.
fn escape_once(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    for &b in input {
        if b <= b' ' || b == b'#' || b == b'%' || b >= 0x7f {
            out.extend_from_slice(format!("%{b:02X}").as_bytes());
        } else {
            out.push(b);
        }
    }
    out
}

/// A constant pattern. A bad one yields `None`, which the unit tests catch.
fn re(pattern: &str) -> Option<Regex> {
    Regex::new(pattern).ok()
}

/// ASP.NET session segments of a path (`/(S(…))/page.aspx`).
static PATH_SESSION_IDS: LazyLock<[Option<Regex>; 2]> = LazyLock::new(|| {
    [
        re(r"(?i-u)^(.*/)(\((?:[a-z]\([0-9a-z]{24}\))+\)/)([^?]+\.aspx.*)$"),
        re(r"(?i-u)^(.*/)(\([0-9a-z]{24}\)/)([^?]+\.aspx.*)$"),
    ]
});

/// Session ids in a query.
static QUERY_SESSION_IDS: LazyLock<[Option<Regex>; 5]> = LazyLock::new(|| {
    [
        re(r"(?i-u)^(.*)(?:jsessionid=[0-9a-zA-Z]{32})(?:&(.*))?$"),
        re(r"(?i-u)^(.*)(?:phpsessid=[0-9a-zA-Z]{32})(?:&(.*))?$"),
        re(r"(?i-u)^(.*)(?:sid=[0-9a-zA-Z]{32})(?:&(.*))?$"),
        re(r"(?i-u)^(.*)(?:ASPSESSIONID[a-zA-Z]{8}=[a-zA-Z]{24})(?:&(.*))?$"),
        re(r"(?i-u)^(.*)(?:cfid=[^&]+&cftoken=[^&]+)(?:&(.*))?$"),
    ]
});

/// `stripPathSessionID` (`keep` 1 and 3) and `stripQuerySessionID`
/// (`keep` 1 and 2): each pattern in turn, the match replaced by the
/// groups around the session id.
fn strip_session_ids(patterns: &[Option<Regex>], keep: [usize; 2], mut bytes: Vec<u8>) -> Vec<u8> {
    for re in patterns.iter().flatten() {
        if let Some(c) = re.captures(&bytes) {
            let joined = [group(&c, keep[0]), group(&c, keep[1])].concat();
            bytes = joined;
        }
    }
    bytes
}

fn group<'a>(c: &regex::bytes::Captures<'a>, i: usize) -> &'a [u8] {
    c.get(i).map(|m| m.as_bytes()).unwrap_or_default()
}

/// `IAURLCanonicalizer.canonicalize` with its defaults.
fn internet_archive(parts: &mut Parts) {
    if let Some(h) = parts.host.as_mut().filter(|h| !h.is_empty()) {
        h.make_ascii_lowercase();
        // `www`, `www2`… and its dot.
        let digits = h[3.min(h.len())..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if h.starts_with(b"www") && h.get(3 + digits) == Some(&b'.') {
            h.drain(..4 + digits);
        }
    }
    if !parts.scheme.is_empty() {
        let default = match parts.scheme.to_ascii_lowercase().as_slice() {
            b"http" => 80,
            b"https" => 443,
            _ => 0,
        };
        if parts.port == Some(default) {
            parts.port = None;
        }
    }
    if let Some(p) = parts.path.take().filter(|p| !p.is_empty()) {
        let mut p = strip_session_ids(&*PATH_SESSION_IDS, [1, 3], p.to_ascii_lowercase());
        if p.len() > 1 && p.ends_with(b"/") {
            p.pop();
        }
        parts.path = Some(p);
    }
    parts.query = parts
        .query
        .take()
        .filter(|q| !q.is_empty())
        .map(|q| {
            sort_query(&strip_session_ids(&*QUERY_SESSION_IDS, [1, 2], q).to_ascii_lowercase())
        })
        .filter(|q| !q.is_empty());
}

/// `alphaReorderQuery`: the arguments sorted by name, then value (an
/// argument without `=` before one with it).
fn sort_query(query: &[u8]) -> Vec<u8> {
    if query.len() <= 1 {
        return query.to_vec();
    }
    let mut args: Vec<(&[u8], Option<&[u8]>)> = query
        .split(|&b| b == b'&')
        .map(|a| match a.iter().position(|&b| b == b'=') {
            Some(i) => (&a[..i], Some(&a[i + 1..])),
            None => (a, None),
        })
        .collect();
    args.sort();
    let mut out = Vec::with_capacity(query.len());
    for (i, (name, value)) in args.into_iter().enumerate() {
        if i > 0 {
            out.push(b'&');
        }
        out.extend_from_slice(name);
        if let Some(v) = value {
            out.push(b'=');
            out.extend_from_slice(v);
        }
    }
    out
}

/// `geturl_bytes(surt=True, with_scheme=False)`.
fn write(parts: &Parts) -> Vec<u8> {
    let mut out = Vec::new();
    match parts.host.as_deref().filter(|h| !h.is_empty()) {
        Some(host) => {
            let mut labels: Vec<&[u8]> = host.split(|&b| b == b'.').collect();
            labels.reverse();
            out.extend_from_slice(&labels.join(&b','));
            if let Some(port) = parts.port {
                out.extend_from_slice(format!(":{port}").as_bytes());
            }
            out.push(b')');
        }
        None => {
            out.extend_from_slice(&parts.scheme);
            out.push(b':');
        }
    }
    match parts.path.as_deref().filter(|p| !p.is_empty()) {
        Some(path) => out.extend_from_slice(path),
        None if parts.query.is_some() => out.push(b'/'),
        None => {}
    }
    if let Some(q) = &parts.query {
        out.push(b'?');
        out.extend_from_slice(q);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_patterns_compile() {
        assert!(PATH_SESSION_IDS.iter().all(Option::is_some));
        assert!(QUERY_SESSION_IDS.iter().all(Option::is_some));
    }

    /// What `surt.surt(url)` of the `surt` package (0.3.1, the one
    /// cdxj-indexer 1.5 runs) returns for each URL.
    #[test]
    fn keys_are_the_surt_packages() {
        let cases = [
            ("http://127.0.0.1:18937/news/a/", "1,0,0,127:18937)/news/a"),
            ("http://127.0.0.1:18937/news/a", "1,0,0,127:18937)/news/a"),
            (
                "https://WWW.Example.COM/Path/Story?b=2&a=1",
                "com,example)/path/story?a=1&b=2",
            ),
            (
                "http://example.com:8080/a%2fb/?utm_source=x&id=5",
                "com,example:8080)/a/b?id=5&utm_source=x",
            ),
            ("https://[2001:db8::1]/v6page", "2001:db8::1)/v6page"),
            ("https://[2001:DB8::1]:8443/x/", "2001:db8::1:8443)/x"),
            (
                "https://example.com/search?q=caf%C3%A9&lang=fr",
                "com,example)/search?lang=fr&q=caf%c3%a9",
            ),
            ("https://example.com/x?B=1", "com,example)/x?b=1"),
            ("https://sub.domain.example.net/", "net,example,domain,sub)/"),
            (
                "https://www.example.co.uk/news/world-123456",
                "uk,co,example)/news/world-123456",
            ),
            (
                "https://www2.example.org:443/a/./b/../c//d?jsessionid=0123456789abcdef0123456789ABCDEF&z=1",
                "org,example)/a/c/d?z=1",
            ),
            ("http://example.com:80/", "com,example)/"),
            ("http://example.com", "com,example)/"),
            ("http://example.com/?", "com,example)/"),
            ("http://example.com/path#frag", "com,example)/path"),
            ("http://user:pw@Example.com/p", "com,example)/p"),
            (
                "http://example.com/%7Euser/%2541/a b",
                "com,example)/~user/a/a%20b",
            ),
            (
                "http://example.com/caf\u{e9}?x=\u{e9}",
                "com,example)/caf%c3%a9?x=%c3%a9",
            ),
            ("http://xn--caf-dma.example/", "example,xn--caf-dma)/"),
            ("http://caf\u{e9}.example/", "example,xn--caf-dma)/"),
            (
                "http://example.com/a?b&a=&c=3&a=1",
                "com,example)/a?a=&a=1&b&c=3",
            ),
            ("http://example.com/..", "com,example)/.."),
            ("http://example.com/a/b/../../../c", "com,example)/../c"),
            ("http://2130706433/", "1,0,0,127)/"),
            ("http://1.2.3/", "3,0,2,1)/"),
            ("http://0177.0.0.1/", "1,0,0,127)/"),
            ("http://example.com./x", "com,example)/x"),
            ("http://a..b.example/", "example,b,a)/"),
            (
                "file:fixtures/article-v1.html",
                "file:fixtures/article-v1.html",
            ),
            ("file:///tmp/x/A.html", "file:/tmp/x/a.html"),
            ("urn:stet:snapshot:ABC", "urn:stet:snapshot:abc"),
            (
                "http://example.com/(S(abcdefghijklmnopqrstuvwx))/page.aspx",
                "com,example)/page.aspx",
            ),
            (
                "http://example.com/p?PHPSESSID=0123456789abcdef0123456789abcdef",
                "com,example)/p",
            ),
            ("http://example.com:0/x", "com,example)/x"),
            ("http://www.example.com/%", "com,example)/%25"),
            ("https://example.com:443", "com,example)/"),
            (
                "http://example.com/a%23b?c%26d=1",
                "com,example)/a%23b?c&d=1",
            ),
            ("HTTP://Example.com/", "com,example)/"),
            ("http:/example.com/x", "com,example)/x"),
            ("ftp://example.com:21/x", "com,example:21)/x"),
            // The package raises; cdxj-indexer writes the URL.
            ("http://example.com:99999/x", "http://example.com:99999/x"),
        ];
        for (url, want) in cases {
            assert_eq!(surt(url), want, "{url}");
        }
    }
}
