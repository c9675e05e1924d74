//! Untrusted text (titles, URLs, article text, server headers) on its way
//! to a terminal: control characters and bidirectional overrides are shown
//! escaped, never emitted raw.

use std::borrow::Cow;
use std::fmt::Write as _;

/// True for characters that must not reach a terminal raw: C0 and C1
/// controls, DEL, and the Unicode bidi embedding/override/isolate marks.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{061C}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

/// True when `text` holds a character [`is_unsafe`] finds, from its bytes:
/// 32 at a time, a chunk without a control byte or the first byte of an
/// unsafe character (`C2` of the C1 controls, `D8` of U+061C, `E2` of the
/// bidi marks and separators) is passed over whole (vectorised); in the
/// rest, those bytes are read with the one or two after them. UTF-8 puts
/// a first byte only where a character starts.
fn has_unsafe(text: &str) -> bool {
    let b = text.as_bytes();
    let suspect = |c: u8| c < 0x20 || c == 0x7f || c == 0xc2 || c == 0xd8 || c == 0xe2;
    let unsafe_at = |i: usize| {
        let next = |k: usize| b.get(i + k).copied().unwrap_or(0);
        match b[i] {
            0xc2 => (0x80..=0x9f).contains(&next(1)),
            0xd8 => next(1) == 0x9c,
            0xe2 => matches!(
                (next(1), next(2)),
                (0x80, 0x8e | 0x8f | 0xa8..=0xae) | (0x81, 0xa6..=0xa9)
            ),
            c => c < 0x20 || c == 0x7f,
        }
    };
    b.chunks(32).enumerate().any(|(k, chunk)| {
        let suspicious = chunk.iter().fold(false, |any, &c| any | suspect(c));
        suspicious && (0..chunk.len()).any(|j| unsafe_at(k * 32 + j))
    })
}

/// One line of untrusted text, with unsafe characters escaped as `\u{..}`
/// (tabs and newlines too: the result is always a single line).
pub fn line(text: &str) -> Cow<'_, str> {
    if !has_unsafe(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_controls_and_bidi() {
        assert_eq!(line("plain “quoted” text"), "plain “quoted” text");
        assert_eq!(line("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(line("evil\u{202e}txt.exe"), "evil\\u{202e}txt.exe");
        assert_eq!(line("two\nlines\r"), "two\\u{a}lines\\u{d}");
        assert_eq!(line("c1\u{9b}31m"), "c1\\u{9b}31m");
    }

    /// Every character alone, and those up to U+3000 (all the unsafe ones
    /// and their neighbours) across a chunk boundary among others.
    #[test]
    fn byte_test_agrees_with_is_unsafe_on_every_char() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            assert_eq!(
                has_unsafe(c.encode_utf8(&mut [0; 4])),
                is_unsafe(c),
                "{c:?}"
            );
            if u32::from(c) <= 0x3000 {
                let among = format!("{}{c}{}", "a".repeat(31), "“b”");
                assert_eq!(has_unsafe(&among), is_unsafe(c), "{c:?}");
            }
        }
    }
}
