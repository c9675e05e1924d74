//! Text normalisation (versioned with [`super::EXTRACTOR_VERSION`]).
//!
//! [`normalize_text`] is what every block goes through: Unicode NFC, every
//! kind of whitespace (no-break spaces included) collapsed to one ASCII space,
//! zero-width characters and soft hyphens dropped, trimmed. Typographic quotes,
//! dashes and ellipses are kept. [`fold`] additionally maps those to ASCII so
//! that the diff stage can class a change of quote style as cosmetic.

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Characters that are dropped outright: zero-width space / non-joiner /
/// joiner, word joiner, BOM (zero-width no-break space), soft hyphen.
fn is_dropped(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// Whitespace in the widest sense: Unicode `White_Space` (which includes
/// U+00A0, U+2007, U+202F) plus the other separators.
fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{180E}'
}

/// True for text that normalisation leaves as it is: printable ASCII, no
/// space at either end, no two spaces in a row.
pub(crate) fn is_plain_ascii(s: &str) -> bool {
    let bytes = s.as_bytes();
    // Chunks folded without a branch per byte, so the check vectorises.
    bytes.chunks(64).all(|c| {
        c.iter()
            .fold(true, |ok, &b| ok & (b.wrapping_sub(0x20) < 0x5f))
    }) && bytes.first() != Some(&b' ')
        && bytes.last() != Some(&b' ')
        && memchr::memmem::find(bytes, b"  ").is_none()
}

/// True for text that [`fold`] leaves as it is: [`is_plain_ascii`] without
/// a run of hyphens.
pub(crate) fn folds_to_itself(s: &str) -> bool {
    is_plain_ascii(s) && memchr::memmem::find(s.as_bytes(), b"--").is_none()
}

/// NFC, whitespace collapsed, zero-width characters dropped, trimmed.
pub fn normalize_text(s: &str) -> String {
    let bytes = s.as_bytes();
    if is_plain_ascii(s) {
        return s.to_owned();
    }
    if s.is_ascii() {
        return collapse_ascii(bytes);
    }
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    let mut push = |c: char, out: &mut String| {
        if is_dropped(c) {
            return;
        }
        if is_space(c) {
            pending_space = !out.is_empty();
            return;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    };
    if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        for c in s.chars() {
            push(c, &mut out);
        }
    } else {
        for c in s.nfc() {
            push(c, &mut out);
        }
    }
    out
}

/// ASCII text with its whitespace runs (space, tab, line breaks) collapsed
/// to one space and trimmed: ASCII is already NFC and has nothing to drop.
fn collapse_ascii(bytes: &[u8]) -> String {
    let mut out = Vec::with_capacity(bytes.len());
    let mut pending_space = false;
    for &b in bytes {
        if b == b' ' || (0x09..=0x0D).contains(&b) {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(b' ');
                pending_space = false;
            }
            out.push(b);
        }
    }
    // Only ASCII bytes were copied.
    String::from_utf8(out).unwrap_or_default()
}

/// What two spellings of one person's name share: [`fold`]ed, in lower
/// case in any script ("ROISIN O’CONNOR", "Roisin O'Connor"; "JOSÉ",
/// "José").
pub(crate) fn name_key(s: &str) -> String {
    fold(s).to_lowercase()
}

/// [`normalize_text`], then typographic quotes, dashes and ellipses folded to
/// ASCII: the form in which a change of quote style compares equal. A run of
/// dashes is one `-`: a typographer turns the `--` typed for a dash into
/// `–` or `—`.
pub fn fold(s: &str) -> String {
    let n = normalize_text(s);
    let mut out = String::with_capacity(n.len());
    for c in n.chars() {
        if is_dash(c) {
            if !out.ends_with('-') {
                out.push('-');
            }
            continue;
        }
        match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{2035}'
            | '\u{02BC}' | '\u{FF07}' => out.push('\''),
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{2036}'
            | '\u{00AB}' | '\u{00BB}' | '\u{FF02}' => out.push('"'),
            '\u{2039}' => out.push('<'),
            '\u{203A}' => out.push('>'),
            '\u{2026}' => out.push_str("..."),
            _ => out.push(c),
        }
    }
    out
}

/// A hyphen or dash of any width, the minus sign among them.
fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'
            | '\u{2011}'
            | '\u{2012}'
            | '\u{2013}'
            | '\u{2014}'
            | '\u{2015}'
            | '\u{2212}'
            | '\u{FE58}'
            | '\u{FE63}'
            | '\u{FF0D}'
    )
}

/// `s` without its whitespace: the same words compare equal whether the
/// markup ran them together or set them apart ("plan.Photo by" read from
/// the DOM's text content, "plan. Photo by" as a reader sees the two lines).
pub fn unspaced(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapses_and_trims() {
        assert_eq!(normalize_text("  a \u{a0}\u{202f} b\n\tc  "), "a b c");
        assert_eq!(normalize_text("plain text"), "plain text");
        assert_eq!(normalize_text(""), "");
        assert_eq!(normalize_text(" \u{a0} "), "");
        assert_eq!(normalize_text("\ta  b\r\n c \x0b"), "a b c");
        assert_eq!(normalize_text(" \n "), "");
    }

    #[test]
    fn drops_zero_width_and_composes() {
        assert_eq!(normalize_text("a\u{200b}b\u{ad}c\u{feff}"), "abc");
        assert_eq!(normalize_text("e\u{301}"), "\u{e9}");
    }

    #[test]
    fn keeps_typography_but_fold_does_not() {
        let s = "\u{201c}It\u{2019}s\u{201d} \u{2014} well\u{2026}";
        assert_eq!(normalize_text(s), s);
        assert_eq!(fold(s), "\"It's\" - well...");
        assert_eq!(fold("a mistake -- and"), fold("a mistake \u{2014} and"));
        assert_eq!(fold("1990---95"), "1990-95");
    }

    #[test]
    fn unspaced_drops_every_kind_of_whitespace() {
        assert_eq!(
            unspaced(" Jane Roe\u{a0}22\tDec\n2016 "),
            "JaneRoe22Dec2016"
        );
        assert_eq!(
            unspaced("Jane Roe22 Dec 2016"),
            unspaced("Jane Roe 22 Dec 2016")
        );
        assert_ne!(unspaced("Jane Roe"), unspaced("Jane Rae"));
    }

    proptest::proptest! {
        /// The diff borrows a block's text as its folded key when this
        /// says so: it must never be wrong.
        #[test]
        fn what_folds_to_itself_does(s in "[ a-z'\".\t-]{0,12}|\\PC{0,8}") {
            if folds_to_itself(&s) {
                proptest::prop_assert_eq!(fold(&s), s);
            }
        }
    }
}
