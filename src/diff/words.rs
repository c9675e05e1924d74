//! Word segmentation (UAX #29 word bounds), fast on mostly-ASCII text.
//!
//! The text is cut at runs of ASCII spaces that sit between two ASCII
//! non-space characters: UAX #29 always breaks there (WB3d joins only
//! spaces, and neither neighbour can be an `Extend`/`Format` character that
//! WB4 would attach to a space). Pieces that are pure ASCII are segmented by
//! [`ascii_bounds`], a transcription of the UAX #29 rules restricted to
//! ASCII; other pieces go to `unicode-segmentation`. The result is the same
//! as `split_word_bound_indices` on the whole text (a property test checks
//! it), several times faster on English prose.

use unicode_segmentation::UnicodeSegmentation;

/// UAX #29 word-break classes of the ASCII characters.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wb {
    Letter,
    Numeric,
    MidLetter,
    MidNumLet,
    SingleQuote,
    MidNum,
    ExtendNumLet,
    Space,
    Cr,
    Lf,
    Newline,
    Other,
}

/// [`class_of`] of every byte, looked up in the hot loop.
static CLASSES: [Wb; 256] = {
    let mut t = [Wb::Other; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = class_of(b as u8);
        b += 1;
    }
    t
};

#[inline]
fn class(b: u8) -> Wb {
    CLASSES[usize::from(b)]
}

const fn class_of(b: u8) -> Wb {
    match b {
        b'A'..=b'Z' | b'a'..=b'z' => Wb::Letter,
        b'0'..=b'9' => Wb::Numeric,
        b':' => Wb::MidLetter,
        b'.' => Wb::MidNumLet,
        b'\'' => Wb::SingleQuote,
        b',' | b';' => Wb::MidNum,
        b'_' => Wb::ExtendNumLet,
        b' ' => Wb::Space,
        b'\r' => Wb::Cr,
        b'\n' => Wb::Lf,
        0x0B | 0x0C => Wb::Newline,
        _ => Wb::Other,
    }
}

fn mid_letter_q(c: Wb) -> bool {
    matches!(c, Wb::MidLetter | Wb::MidNumLet | Wb::SingleQuote)
}

fn mid_num_q(c: Wb) -> bool {
    matches!(c, Wb::MidNum | Wb::MidNumLet | Wb::SingleQuote)
}

/// True when UAX #29 puts a word boundary before `b[i]` (0 < i < len) of
/// an ASCII text.
#[inline]
fn is_break(b: &[u8], i: usize) -> bool {
    let (l, r) = (class(b[i - 1]), class(b[i]));
    let ll = i.checked_sub(2).map(|k| class(b[k]));
    let rr = b.get(i + 1).map(|&c| class(c));
    use Wb::*;
    match (l, r) {
        (Cr, Lf) => false,                                                   // WB3
        (Cr | Lf | Newline, _) | (_, Cr | Lf | Newline) => true,             // WB3a, WB3b
        (Space, Space) => false,                                             // WB3d
        (Letter, Letter) => false,                                           // WB5
        (Letter, m) if mid_letter_q(m) && rr == Some(Letter) => false,       // WB6
        (m, Letter) if mid_letter_q(m) && ll == Some(Letter) => false,       // WB7
        (Numeric, Numeric) | (Letter, Numeric) | (Numeric, Letter) => false, // WB8-10
        (m, Numeric) if mid_num_q(m) && ll == Some(Numeric) => false,        // WB11
        (Numeric, m) if mid_num_q(m) && rr == Some(Numeric) => false,        // WB12
        (Letter | Numeric | ExtendNumLet, ExtendNumLet) => false,            // WB13a
        (ExtendNumLet, Letter | Numeric) => false,                           // WB13b
        _ => true,                                                           // WB999
    }
}

/// Eight bytes at a time: a byte of ones, and the high bit of every byte.
pub(super) const ONES: u64 = 0x0101_0101_0101_0101;
pub(super) const HIGH: u64 = ONES * 0x80;

/// The high bit of each byte of `x` (all bytes below 0x80) that lies in
/// `lo..=hi`, and no other bit.
#[inline]
pub(super) fn bytes_in_range(x: u64, lo: u8, hi: u8) -> u64 {
    (x + ONES * u64::from(0x80 - lo)) & !(x + ONES * u64::from(0x7f - hi)) & HIGH
}

/// Length of the run of ASCII letters and digits that starts `b`, found
/// eight bytes at a time (no branch per byte: a word's end is not
/// predictable).
#[inline]
fn alnum_run(b: &[u8]) -> usize {
    let mut n = 0;
    while let Some(chunk) = b.get(n..n + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let x = u64::from_le_bytes(w);
        let low7 = x & !HIGH;
        // Setting 0x20 folds upper-case letters onto lower-case ones and
        // moves nothing else into `a..=z`.
        let alnum =
            bytes_in_range(low7, b'0', b'9') | bytes_in_range(low7 | (ONES * 0x20), b'a', b'z');
        let stop = (!alnum | x) & HIGH;
        if stop != 0 {
            return n + (stop.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    n + b.get(n..).map_or(0, |t| {
        t.iter().take_while(|c| c.is_ascii_alphanumeric()).count()
    })
}

/// Word bounds of an ASCII string: calls `f(offset, token)` in order.
fn ascii_bounds<'a>(s: &'a str, base: usize, f: &mut impl FnMut(usize, &'a str)) {
    let b = s.as_bytes();
    let mut start = 0;
    let mut i = 1;
    while i < b.len() {
        // Between two letters or digits (most of prose) there is never a
        // break (WB5, WB8-10), nor between two spaces (WB3d): such runs
        // are skipped whole. Elsewhere the full rules decide.
        if b[i - 1].is_ascii_alphanumeric() {
            i += b.get(i..).map_or(0, alnum_run);
        } else if b[i - 1] == b' ' {
            while b.get(i) == Some(&b' ') {
                i += 1;
            }
        }
        let (Some(&p), Some(&c)) = (b.get(i - 1), b.get(i)) else {
            break;
        };
        // A space next to anything else: always a break (WB3d joins only
        // spaces; no rule joins a space to a letter, digit or mark).
        if p == b' ' || c == b' ' || is_break(b, i) {
            f(base + start, &s[start..i]);
            start = i;
        }
        i += 1;
    }
    if start < s.len() {
        f(base + start, &s[start..]);
    }
}

/// Calls `f(byte_offset, token)` for each UAX #29 word-bound token of `s`.
pub(crate) fn for_each_bound<'a>(s: &'a str, mut f: impl FnMut(usize, &'a str)) {
    let bytes = s.as_bytes();
    if s.is_ascii() {
        // One piece: no cutting needed.
        ascii_bounds(s, 0, &mut f);
        return;
    }
    let emit = |from: usize, to: usize, f: &mut dyn FnMut(usize, &'a str)| {
        let piece = &s[from..to];
        if piece.is_ascii() {
            let mut g = |o, t| f(o, t);
            ascii_bounds(piece, from, &mut g);
        } else {
            for (o, t) in piece.split_word_bound_indices() {
                f(from + o, t);
            }
        }
    };
    // Cut points: both edges of every run of spaces whose neighbours are
    // ASCII non-space characters.
    let mut piece = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b' ' {
            i += 1;
            continue;
        }
        let run = i;
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        let before_ok = run > 0 && bytes[run - 1].is_ascii() && bytes[run - 1] != b' ';
        let after_ok = i < bytes.len() && bytes[i].is_ascii();
        if before_ok && after_ok {
            if piece < run {
                emit(piece, run, &mut f);
            }
            f(run, &s[run..i]);
            piece = i;
        }
    }
    if piece < bytes.len() {
        emit(piece, bytes.len(), &mut f);
    }
}

/// Calls `f(byte_offset, word)` for each token of [`for_each_bound`] that is
/// a word ([`is_word`]).
pub(crate) fn for_each_word<'a>(s: &'a str, mut f: impl FnMut(usize, &'a str)) {
    for_each_bound(s, |off, token| {
        if is_word(token) {
            f(off, token);
        }
    });
}

/// True when a token is a word (has a letter or digit), as `unicode_words`.
#[inline]
pub(crate) fn is_word(t: &str) -> bool {
    match t.as_bytes() {
        // Most tokens: a word that starts with a letter or digit, or one
        // space or punctuation character.
        [b, ..] if b.is_ascii_alphanumeric() => true,
        [b] if b.is_ascii() => false,
        _ => is_word_general(t),
    }
}

fn is_word_general(t: &str) -> bool {
    if t.is_ascii() {
        // An ASCII token that starts with anything but a letter, digit or
        // `_` is one punctuation character or a run of spaces (see
        // `ascii_bounds`).
        match t.as_bytes().first() {
            Some(b) if b.is_ascii_alphanumeric() => true,
            Some(b'_') => t.bytes().any(|b| b.is_ascii_alphanumeric()),
            _ => false,
        }
    } else {
        t.chars().any(char::is_alphanumeric)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use unicode_segmentation::UnicodeSegmentation;

    use super::for_each_bound;

    fn ours(s: &str) -> Vec<(usize, &str)> {
        let mut v = Vec::new();
        for_each_bound(s, |o, t| v.push((o, t)));
        v
    }

    #[test]
    fn known_cases() {
        for s in [
            "",
            " ",
            "a",
            "U.S. officials, 1,000.5 people",
            "can't  stop: a:b 3.4.5 x_1 _y",
            "line\r\nnext\n\nend",
            "“quoted” didn’t é e\u{301} 中文 🇫🇷🇫🇷",
            "a \u{301}b",
            "  \u{301} ",
            "x\u{200D} y",
            "tab\there",
            "end. ",
            "'a' \"b\" a'b a.b a:1 1:a 1'2 1;2 1,a",
        ] {
            let theirs: Vec<_> = s.split_word_bound_indices().collect();
            assert_eq!(ours(s), theirs, "{s:?}");
        }
    }

    /// Every byte value ends a run or not as `is_ascii_alphanumeric` says,
    /// wherever it sits in the eight-byte word.
    #[test]
    fn alnum_run_every_byte() {
        for byte in 0..=255u8 {
            for at in 0..19 {
                let mut b = vec![b'q'; at];
                b.push(byte);
                b.extend_from_slice(b"7 ");
                let want = if byte.is_ascii_alphanumeric() {
                    at + 2
                } else {
                    at
                };
                assert_eq!(super::alnum_run(&b), want, "{byte:#x} at {at}");
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, .. ProptestConfig::default() })]
        /// Every byte value, at every position of a word of any length.
        #[test]
        fn alnum_run_counts_letters_and_digits(b in proptest::collection::vec(any::<u8>(), 0..40), cut in 0usize..40) {
            let mut b = b;
            // Mostly letters and digits, so that runs are long.
            for (k, c) in b.iter_mut().enumerate() {
                if k < cut {
                    *c = b"aZ09mN"[usize::from(*c) % 6];
                }
            }
            let plain = b.iter().take_while(|c| c.is_ascii_alphanumeric()).count();
            prop_assert_eq!(super::alnum_run(&b), plain);
        }

        #[test]
        fn same_as_unicode_segmentation(s in "[a-cA-C0-2 .,;:'\"_\t\r\n\u{b}\u{c}!?()’“”é\u{301}\u{200D}\u{a0}中🇫 -]{0,40}") {
            let theirs: Vec<_> = s.split_word_bound_indices().collect();
            prop_assert_eq!(ours(&s), theirs);
        }

        #[test]
        fn is_word_is_has_a_letter_or_digit(s in "[a-cA-C0-2 .,;:'\"_\t\r\n!?()’“”é\u{301}\u{345}中 -]{0,40}") {
            for (_, t) in ours(&s) {
                prop_assert_eq!(super::is_word(t), t.chars().any(char::is_alphanumeric), "{:?}", t);
            }
        }
    }
}
