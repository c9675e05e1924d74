//! A guard against pathological nesting, applied before parsing.
//!
//! An HTML5 tree builder checks element scopes by walking its stack of open
//! elements, so 100,000 nested tags cost on the order of 10^10 steps, and
//! recursive tree code further on could exhaust the call stack. A byte-level
//! scan estimates the nesting depth; when it exceeds [`MAX_DEPTH`], tags below
//! that depth are dropped (their text is kept).

use std::borrow::Cow;

/// Deeper markup is flattened. Real pages stay well under 100.
pub(crate) const MAX_DEPTH: usize = 512;

/// What a start tag's name (any case) says about its content.
#[derive(PartialEq)]
enum Content {
    /// A void element: the tag opens nothing.
    Void,
    /// Raw text up to the matching end tag.
    RawText,
    Normal,
}

fn content_of(name: &[u8]) -> Content {
    // Lowercased into a buffer as long as the longest name below.
    let mut lower = [0u8; 9];
    let Some(lower) = lower.get_mut(..name.len()) else {
        return Content::Normal;
    };
    lower.copy_from_slice(name);
    lower.make_ascii_lowercase();
    match &*lower {
        b"area" | b"base" | b"br" | b"col" | b"embed" | b"hr" | b"img" | b"input" | b"link"
        | b"meta" | b"param" | b"source" | b"track" | b"wbr" | b"keygen" | b"basefont"
        | b"bgsound" | b"frame" => Content::Void,
        b"script" | b"style" | b"textarea" | b"title" | b"xmp" | b"iframe" | b"noembed"
        | b"noframes" | b"plaintext" => Content::RawText,
        _ => Content::Normal,
    }
}

enum Token {
    /// Comment, doctype, processing instruction, or a stray `<`.
    Other,
    Open {
        raw_text: bool,
        name_end: usize,
    },
    Close,
}

/// Scans one tag starting at `bytes[i] == b'<'`; returns its kind and the
/// index just past it.
fn tag(bytes: &[u8], i: usize) -> (Token, usize) {
    let n = bytes.len();
    // The index just past `needle` at or after `from`, or the end. A
    // one-byte needle goes to memchr: cheaper than setting up a memmem search.
    let find = |from: usize, needle: &[u8]| {
        bytes
            .get(from..)
            .and_then(|rest| match needle {
                [b] => memchr::memchr(*b, rest),
                _ => memchr::memmem::find(rest, needle),
            })
            .map_or(n, |p| from + p + needle.len())
    };
    match bytes.get(i + 1) {
        Some(b'!') if bytes[i..].starts_with(b"<!--") => (Token::Other, find(i + 4, b"-->")),
        Some(b'!' | b'?') => (Token::Other, find(i + 1, b">")),
        Some(b'/') if bytes.get(i + 2).is_some_and(u8::is_ascii_alphabetic) => {
            (Token::Close, find(i + 2, b">"))
        }
        Some(c) if c.is_ascii_alphabetic() => {
            let mut j = i + 1;
            while j < n
                && !matches!(
                    bytes[j],
                    b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>'
                )
            {
                j += 1;
            }
            let content = content_of(&bytes[i + 1..j]);
            // Attributes, honouring quotes.
            let mut k = j;
            while let Some(p) = bytes
                .get(k..)
                .and_then(|r| memchr::memchr3(b'"', b'\'', b'>', r))
            {
                k += p;
                if bytes[k] == b'>' {
                    break;
                }
                // Skip to the closing quote (or the end).
                let q = bytes[k];
                k = bytes
                    .get(k + 1..)
                    .and_then(|r| memchr::memchr(q, r))
                    .map_or(n, |p| k + 1 + p + 1);
            }
            let k = k.min(n);
            let end = (k + 1).min(n);
            let self_closing = k > 0 && bytes.get(k - 1) == Some(&b'/');
            if self_closing || content == Content::Void {
                (Token::Other, end)
            } else {
                (
                    Token::Open {
                        raw_text: content == Content::RawText,
                        name_end: j,
                    },
                    end,
                )
            }
        }
        _ => (Token::Other, i + 1),
    }
}

/// Skips the content of a raw-text element opened by `bytes[i..name_end]`.
fn skip_raw_text(bytes: &[u8], i: usize, name_end: usize, from: usize) -> usize {
    let name = &bytes[i + 1..name_end];
    let n = bytes.len();
    let mut k = from;
    while let Some(p) = bytes.get(k..).and_then(|r| memchr::memchr(b'<', r)) {
        k += p;
        if bytes.get(k + 1) == Some(&b'/')
            && bytes
                .get(k + 2..k + 2 + name.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(name))
        {
            return k;
        }
        k += 1;
    }
    n
}

/// One pass; with `out`, writes the flattened text.
fn scan(html: &str, mut out: Option<&mut String>) -> usize {
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    let mut max = 0usize;
    let mut i = 0;
    let mut copied = 0;
    while let Some(p) = bytes.get(i..).and_then(|r| memchr::memchr(b'<', r)) {
        i += p;
        let (tok, end) = tag(bytes, i);
        let end = end.max(i + 1);
        match tok {
            Token::Open { raw_text, name_end } => {
                depth += 1;
                max = max.max(depth);
                if depth > MAX_DEPTH {
                    if let Some(o) = out.as_deref_mut() {
                        o.push_str(&html[copied..i]);
                        o.push(' ');
                        copied = end;
                    }
                }
                i = if raw_text {
                    depth -= 1;
                    skip_raw_text(bytes, i, name_end, end)
                } else {
                    end
                };
            }
            Token::Close => {
                if depth > MAX_DEPTH {
                    if let Some(o) = out.as_deref_mut() {
                        o.push_str(&html[copied..i]);
                        o.push(' ');
                        copied = end;
                    }
                }
                depth = depth.saturating_sub(1);
                i = end;
            }
            Token::Other => i = end,
        }
        // `end` may fall inside a multi-byte character only for a stray `<`
        // at the very end; keep `copied` on a boundary.
        while copied < html.len() && !html.is_char_boundary(copied) {
            copied += 1;
        }
        while i < html.len() && !html.is_char_boundary(i) {
            i += 1;
        }
    }
    if let Some(o) = out {
        o.push_str(&html[copied.min(html.len())..]);
    }
    max
}

/// `html` with tags nested deeper than [`MAX_DEPTH`] removed, and whether
/// anything was removed.
pub(crate) fn limit_depth(html: &str) -> (Cow<'_, str>, bool) {
    if scan(html, None) <= MAX_DEPTH {
        return (Cow::Borrowed(html), false);
    }
    let mut out = String::with_capacity(html.len());
    scan(html, Some(&mut out));
    (Cow::Owned(out), true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallow_pages_are_untouched() {
        let html = "<html><body><div><p>a<br>b<img src=x></p><script>if (a<b) {}</script></div></body></html>";
        let (out, changed) = limit_depth(html);
        assert!(!changed);
        assert_eq!(out, html);
    }

    #[test]
    fn deep_nesting_is_flattened_text_kept() {
        let html = format!(
            "{}<p>deep</p>{}",
            "<div>".repeat(2000),
            "</div>".repeat(2000)
        );
        let (out, changed) = limit_depth(&html);
        assert!(changed);
        assert!(out.contains("deep"));
        assert_eq!(out.matches("<div>").count(), MAX_DEPTH);
        assert!(scan(&out, None) <= MAX_DEPTH);
    }
}
