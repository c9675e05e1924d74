//! Bytes to text, choosing the encoding the way a browser does (WHATWG):
//! byte-order mark, then the HTTP `charset`, then a `<meta>` prescan, then
//! detection (chardetng, Firefox's detector), then UTF-8.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252, X_USER_DEFINED};

/// How the encoding of a page was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DecodeSource {
    Bom,
    Header,
    Meta,
    Detected,
    Default,
    /// A header or `<meta>` named a legacy encoding, but the bytes are valid
    /// UTF-8 with non-ASCII text in it: a page saved or served as UTF-8
    /// under its old declaration. Read as UTF-8 (see [`decode`]).
    Mislabelled,
}

impl DecodeSource {
    pub fn as_str(self) -> &'static str {
        match self {
            DecodeSource::Bom => "bom",
            DecodeSource::Header => "header",
            DecodeSource::Meta => "meta",
            DecodeSource::Detected => "detected",
            DecodeSource::Default => "default",
            DecodeSource::Mislabelled => "mislabelled",
        }
    }
}

/// A decoded page: borrowed from the bytes when they are already UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a> {
    pub text: std::borrow::Cow<'a, str>,
    /// The WHATWG name of the encoding used (e.g. `"Shift_JIS"`).
    pub encoding: &'static str,
    pub source: DecodeSource,
    /// True when malformed byte sequences were replaced by U+FFFD.
    pub had_errors: bool,
    /// The encoding the page declared, when it was not used
    /// ([`DecodeSource::Mislabelled`]).
    pub declared: Option<&'static str>,
}

/// How many bytes the `<meta>` prescan looks at (WHATWG says 1024; pages in
/// the wild put long comments or scripts first, so we look a little further).
const PRESCAN_LIMIT: usize = 4096;
/// How many bytes the detector is fed.
const DETECT_LIMIT: usize = 64 * 1024;

/// Decodes `bytes`, with `content_type` the HTTP header value if any.
pub fn decode<'a>(bytes: &'a [u8], content_type: Option<&str>) -> Decoded<'a> {
    let (encoding, source) = sniff(bytes, content_type);
    // Valid UTF-8 without a BOM is its own text: what `Encoding::decode`
    // gives, without its run-time CPU feature probe.
    if encoding == UTF_8 && source != DecodeSource::Bom {
        if let Ok(text) = std::str::from_utf8(bytes) {
            return Decoded {
                text: std::borrow::Cow::Borrowed(text),
                encoding: UTF_8.name(),
                source,
                had_errors: false,
                declared: None,
            };
        }
    }
    // A declared legacy encoding over bytes that are valid UTF-8 with
    // non-ASCII text: the declaration outlived a conversion. Text in a
    // legacy encoding almost never forms valid UTF-8 sequences (a lone
    // `é` is 0xE9, which UTF-8 never has alone), and read the declared way
    // every non-ASCII character of the page would be mojibake.
    if matches!(source, DecodeSource::Header | DecodeSource::Meta)
        && encoding != UTF_8
        && encoding != UTF_16LE
        && encoding != UTF_16BE
        && !bytes.is_ascii()
    {
        if let Ok(text) = std::str::from_utf8(bytes) {
            return Decoded {
                text: std::borrow::Cow::Borrowed(text),
                encoding: UTF_8.name(),
                source: DecodeSource::Mislabelled,
                had_errors: false,
                declared: Some(encoding.name()),
            };
        }
    }
    let (text, used, had_errors) = encoding.decode(bytes);
    Decoded {
        text,
        encoding: used.name(),
        source,
        had_errors,
        declared: None,
    }
}

/// Chooses the encoding without decoding.
pub fn sniff(bytes: &[u8], content_type: Option<&str>) -> (&'static Encoding, DecodeSource) {
    if let Some((enc, _)) = Encoding::for_bom(bytes) {
        return (enc, DecodeSource::Bom);
    }
    if let Some(enc) = content_type.and_then(header_charset) {
        return (enc, DecodeSource::Header);
    }
    if let Some(enc) = meta_prescan(&bytes[..bytes.len().min(PRESCAN_LIMIT)]) {
        return (enc, DecodeSource::Meta);
    }
    let head = &bytes[..bytes.len().min(DETECT_LIMIT)];
    if let Some(enc) = utf16_without_bom(head) {
        return (enc, DecodeSource::Detected);
    }
    if head.is_ascii() {
        return (UTF_8, DecodeSource::Default);
    }
    // Valid UTF-8 with non-ASCII bytes is UTF-8 (what the detector would
    // say too, at a fraction of the cost). A cut sequence at the end of the
    // sample does not count against it.
    match std::str::from_utf8(head) {
        Ok(_) => return (UTF_8, DecodeSource::Detected),
        Err(e) if e.error_len().is_none() && head.len() < bytes.len() => {
            return (UTF_8, DecodeSource::Detected)
        }
        Err(_) => {}
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    // `last` only when the whole body was fed; a cut in the middle of a
    // multi-byte sequence must not count against UTF-8.
    let complete = head.len() == bytes.len();
    let fed = if complete {
        head
    } else {
        // Back off to a character boundary for UTF-8's sake.
        let mut end = head.len();
        while end > 0 && end > head.len().saturating_sub(4) && (head[end - 1] & 0xC0) == 0x80 {
            end -= 1;
        }
        if end > 0 && head[end - 1] >= 0xC0 {
            end -= 1;
        }
        &head[..end]
    };
    detector.feed(fed, complete);
    (
        detector.guess(None, chardetng::Utf8Detection::Allow),
        DecodeSource::Detected,
    )
}

/// The encoding named by a `Content-Type` header's `charset` parameter.
fn header_charset(content_type: &str) -> Option<&'static Encoding> {
    for param in content_type.split(';').skip(1) {
        let Some((name, value)) = param.split_once('=') else {
            continue;
        };
        if name.trim().eq_ignore_ascii_case("charset") {
            let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
            return Encoding::for_label(value.as_bytes());
        }
    }
    None
}

/// UTF-16 text without a BOM: mostly-ASCII text shows NUL in every other
/// byte. Only used after header and meta said nothing.
fn utf16_without_bom(head: &[u8]) -> Option<&'static Encoding> {
    let sample = &head[..head.len().min(1024) & !1];
    if sample.len() < 8 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even_nul = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nul = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    if odd_nul * 10 >= pairs * 7 && even_nul * 10 <= pairs {
        Some(UTF_16LE)
    } else if even_nul * 10 >= pairs * 7 && odd_nul * 10 <= pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// WHATWG "prescan a byte stream to determine its encoding", simplified:
/// walks `<meta>` tags (skipping comments) and reads `charset=` or an
/// `http-equiv=content-type` with `content="…charset=…"`.
fn meta_prescan(bytes: &[u8]) -> Option<&'static Encoding> {
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"<!--") {
            i = find(bytes, i + 4, b"-->").map_or(bytes.len(), |p| p + 3);
            continue;
        }
        if bytes[i] == b'<'
            && bytes.len() > i + 5
            && bytes[i + 1..i + 5].eq_ignore_ascii_case(b"meta")
            && matches!(bytes[i + 5], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/')
        {
            let end = find(bytes, i, b">").unwrap_or(bytes.len());
            if let Some(enc) = meta_tag_charset(&bytes[i + 5..end]) {
                // A meta can't say UTF-16: the bytes we read were ASCII.
                let enc = if enc == UTF_16LE || enc == UTF_16BE {
                    UTF_8
                } else if enc == X_USER_DEFINED {
                    WINDOWS_1252
                } else {
                    enc
                };
                return Some(enc);
            }
            i = end;
            continue;
        }
        i += 1;
    }
    None
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// Attributes of one `<meta …>` tag (the bytes between `<meta` and `>`).
fn meta_tag_charset(attrs: &[u8]) -> Option<&'static Encoding> {
    let mut charset = None;
    let mut http_equiv_ct = false;
    let mut content_charset = None;
    for (name, value) in parse_attrs(attrs) {
        if name.eq_ignore_ascii_case(b"charset") {
            charset = charset.or_else(|| Encoding::for_label(value.trim_ascii()));
        } else if name.eq_ignore_ascii_case(b"http-equiv") {
            http_equiv_ct = value.trim_ascii().eq_ignore_ascii_case(b"content-type");
        } else if name.eq_ignore_ascii_case(b"content") {
            content_charset = charset_from_content(value);
        }
    }
    charset.or(if http_equiv_ct { content_charset } else { None })
}

fn charset_from_content(value: &[u8]) -> Option<&'static Encoding> {
    let lower = value.to_ascii_lowercase();
    let pos = find(&lower, 0, b"charset")?;
    let mut rest = value[pos + 7..].trim_ascii_start();
    rest = rest.strip_prefix(b"=")?.trim_ascii_start();
    let (quote, rest) = match rest.first() {
        Some(&q @ (b'"' | b'\'')) => (Some(q), &rest[1..]),
        _ => (None, rest),
    };
    let end = rest
        .iter()
        .position(|&b| {
            Some(b) == quote || b == b';' || (quote.is_none() && b.is_ascii_whitespace())
        })
        .unwrap_or(rest.len());
    Encoding::for_label(&rest[..end])
}

/// A forgiving attribute tokenizer: `name`, `name=value`, `name="value"`.
fn parse_attrs(s: &[u8]) -> Vec<(&[u8], &[u8])> {
    let mut out = Vec::new();
    let mut i = 0;
    let n = s.len();
    while i < n {
        while i < n && (s[i].is_ascii_whitespace() || s[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < n && !s[i].is_ascii_whitespace() && s[i] != b'=' && s[i] != b'/' {
            i += 1;
        }
        let name = &s[start..i];
        while i < n && s[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value: &[u8] = b"";
        if i < n && s[i] == b'=' {
            i += 1;
            while i < n && s[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < n && (s[i] == b'"' || s[i] == b'\'') {
                let q = s[i];
                i += 1;
                let vs = i;
                while i < n && s[i] != q {
                    i += 1;
                }
                value = &s[vs..i];
                i += 1;
            } else {
                let vs = i;
                while i < n && !s[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = &s[vs..i];
            }
        }
        if !name.is_empty() {
            out.push((name, value));
        } else if i == start {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The UTF-8 shortcut gives what `Encoding::decode` gives.
        #[test]
        fn utf8_shortcut_is_what_encoding_rs_gives(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just(b"caf\xc3\xa9 ".to_vec()),
                    proptest::strategy::Just(b"\xef\xbb\xbf".to_vec()),
                    proptest::strategy::Just(b"\xff\xfe".to_vec()),
                    proptest::strategy::Just(b"\xe2\x80".to_vec()),
                    proptest::strategy::Just(b"<p>plain</p>".to_vec()),
                    proptest::collection::vec(proptest::prelude::any::<u8>(), 0..4),
                ],
                0..6,
            ),
            header in proptest::option::of(proptest::strategy::Just("text/html; charset=utf-8")),
        ) {
            let bytes = parts.concat();
            let ours = decode(&bytes, header);
            let (encoding, _) = sniff(&bytes, header);
            let (text, used, had_errors) = encoding.decode(&bytes);
            proptest::prop_assert_eq!(ours.text.as_ref(), text.as_ref());
            proptest::prop_assert_eq!(ours.encoding, used.name());
            proptest::prop_assert_eq!(ours.had_errors, had_errors);
        }
    }

    #[test]
    fn valid_utf8_under_a_legacy_declaration_is_utf8() {
        let page = "<meta charset=\"gb2312\"><p>腾讯新闻 — café</p>";
        let d = decode(page.as_bytes(), None);
        assert_eq!(
            (d.text.as_ref(), d.encoding, d.source, d.declared),
            (page, "UTF-8", DecodeSource::Mislabelled, Some("GBK"))
        );
        let d = decode(page.as_bytes(), Some("text/html; charset=windows-1252"));
        assert_eq!((d.encoding, d.declared), ("UTF-8", Some("windows-1252")));
        // Real legacy bytes stay in their encoding: 0xE9 alone is no UTF-8.
        let latin = b"<meta charset=\"iso-8859-1\"><p>caf\xe9</p>";
        let d = decode(latin, None);
        assert_eq!(
            (d.text.as_ref(), d.source, d.declared),
            (
                "<meta charset=\"iso-8859-1\"><p>café</p>",
                DecodeSource::Meta,
                None
            )
        );
        // ASCII is the same either way: the declaration stands.
        let d = decode(b"<meta charset=\"gb2312\"><p>news</p>", None);
        assert_eq!((d.encoding, d.source), ("GBK", DecodeSource::Meta));
    }

    #[test]
    fn bom_wins_over_header_and_meta() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice(b"<meta charset=shift_jis>caf\xc3\xa9");
        let d = decode(&bytes, Some("text/html; charset=iso-8859-1"));
        assert_eq!((d.encoding, d.source), ("UTF-8", DecodeSource::Bom));
        assert!(d.text.ends_with("caf\u{e9}"));
    }

    #[test]
    fn header_then_meta() {
        let d = decode(
            b"<meta charset=utf-8>caf\xe9",
            Some("text/html; charset=\"windows-1252\""),
        );
        assert_eq!(
            (d.encoding, d.source),
            ("windows-1252", DecodeSource::Header)
        );
        assert!(d.text.ends_with("caf\u{e9}"));
        let d = decode(
            b"<!-- <meta charset=utf-8> --><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-2\">\xb1",
            None,
        );
        assert_eq!((d.encoding, d.source), ("ISO-8859-2", DecodeSource::Meta));
        assert!(d.text.ends_with('\u{105}'));
    }

    #[test]
    fn detects_and_defaults() {
        let d = decode(b"<p>plain</p>", None);
        assert_eq!((d.encoding, d.source), ("UTF-8", DecodeSource::Default));
        let sjis = encoding_rs::SHIFT_JIS
            .encode("<p>日本語のテキストです。これは文字コードの検出のテストです。</p>")
            .0;
        let d = decode(&sjis, None);
        assert_eq!(
            (d.encoding, d.source),
            ("Shift_JIS", DecodeSource::Detected)
        );
        let utf16: Vec<u8> = "<p>hello world</p>"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let d = decode(&utf16, None);
        assert_eq!(d.encoding, "UTF-16LE");
        assert_eq!(d.text, "<p>hello world</p>");
    }
}
