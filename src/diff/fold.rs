//! Text folding for cosmetic-change detection.
//!
//! A local stand-in for `extract::normalize::fold` until the extraction
//! module lands in this tree; the two must agree (same folding table).

use unicode_normalization::UnicodeNormalization;

/// NFC, whitespace runs (including no-break and other Unicode spaces)
/// collapsed to one ASCII space and trimmed, zero-width characters dropped,
/// typographic quotes, dashes and ellipses folded to ASCII.
pub(crate) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfc() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if matches!(
            c,
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{00AD}' | '\u{FEFF}'
        ) {
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{2035}'
            | '\u{02BC}' | '\u{FF07}' => out.push('\''),
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{2036}'
            | '\u{00AB}' | '\u{00BB}' | '\u{FF02}' => out.push('"'),
            '\u{2039}' => out.push('<'),
            '\u{203A}' => out.push('>'),
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
            | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => out.push('-'),
            '\u{2026}' => out.push_str("..."),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_typography_and_space() {
        assert_eq!(
            fold("\u{201c}It\u{2019}s\u{201d} \u{2014}  well\u{2026}"),
            "\"It's\" - well..."
        );
        assert_eq!(fold(" a\u{a0}\u{202f}b "), "a b");
        assert_eq!(fold("e\u{301}"), "\u{e9}");
    }
}
