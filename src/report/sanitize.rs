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

/// True when every byte is printable ASCII (the common case), checked 32
/// bytes at a time without a branch inside (vectorised).
fn printable_ascii(b: &[u8]) -> bool {
    // A byte outside 0x20..0x7f is one whose distance from 0x20 (wrapping)
    // is 0x5f or more.
    b.chunks(32).all(|chunk| {
        chunk
            .iter()
            .fold(0u8, |bad, &c| bad | u8::from(c.wrapping_sub(0x20) >= 0x5f))
            == 0
    })
}

/// One line of untrusted text, with unsafe characters escaped as `\u{..}`
/// (tabs and newlines too: the result is always a single line).
pub fn line(text: &str) -> Cow<'_, str> {
    if printable_ascii(text.as_bytes()) || !text.chars().any(is_unsafe) {
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
}
