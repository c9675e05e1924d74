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

use std::borrow::Cow;

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

/// A word of one to eight bytes as a little-endian `u64`, zero-padded
/// (its first byte lowest), from two overlapping loads instead of a loop
/// over its bytes; `None` for an empty or longer word.
#[inline(always)]
pub(super) fn packed(b: &[u8]) -> Option<u64> {
    let n = b.len();
    // The two loads overlap in the middle, where they agree.
    let two = |lo: [u8; 2], hi: [u8; 2], shift: usize| {
        u64::from(u16::from_le_bytes(lo)) | u64::from(u16::from_le_bytes(hi)) << (8 * shift)
    };
    let four = |lo: [u8; 4], hi: [u8; 4], shift: usize| {
        u64::from(u32::from_le_bytes(lo)) | u64::from(u32::from_le_bytes(hi)) << (8 * shift)
    };
    match *b {
        [a] => Some(u64::from(a)),
        [a, b1] => Some(two([a, b1], [a, b1], 0)),
        [a, b1, c] => Some(two([a, b1], [b1, c], 1)),
        [a, b1, c, d, ..] if n <= 8 => {
            let t = &b[n - 4..];
            Some(four([a, b1, c, d], [t[0], t[1], t[2], t[3]], n - 4))
        }
        _ => None,
    }
}

/// A word of 1 to 16 bytes as [`packed`] of its first eight bytes and of
/// the rest (0 when there is no rest); `None` for an empty or longer word.
#[inline(always)]
pub(super) fn halves(b: &[u8]) -> Option<(u64, u64)> {
    match b.len() {
        1..=8 => Some((packed(b)?, 0)),
        9..=16 => Some((packed(b.get(..8)?)?, packed(b.get(8..)?)?)),
        _ => None,
    }
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
    // One call of `f`, which the compiler can then inline.
    while start < b.len() {
        // A token has at least one byte.
        let end = next_ascii_break(b, start + 1);
        f(base + start, &s[start..end]);
        start = end;
    }
}

/// The first word break of ASCII `b` at `i` or after it (its length when
/// there is none).
#[inline(always)]
fn next_ascii_break(b: &[u8], mut i: usize) -> usize {
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
            return i;
        }
        i += 1;
    }
    b.len()
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
/// a word ([`is_word`]). Always inlined, with `f`: it is the loop of every
/// word-level pass, and with `f` in line each word costs a few instructions.
#[inline(always)]
pub(crate) fn for_each_word<'a>(s: &'a str, mut f: impl FnMut(usize, &'a str)) {
    let mut word = |off, token| {
        if is_word(token) {
            f(off, token);
        }
    };
    if s.is_ascii() {
        // `ascii_bounds`, written out: passing `word` to it keeps the
        // compiler from inlining `word` (measured: 2% more instructions
        // for a 100 KB diff).
        let b = s.as_bytes();
        let mut start = 0;
        while start < b.len() {
            let end = next_ascii_break(b, start + 1);
            word(start, &s[start..end]);
            start = end;
        }
    } else {
        for_each_bound(s, word);
    }
}

/// The last `n` bytes of `s` or a few more, cut at a char boundary.
pub(crate) fn tail(s: &str, n: usize) -> &str {
    let mut at = s.len().saturating_sub(n);
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    &s[at..]
}

/// The first `n` bytes of `s` or a few more, cut at a char boundary.
pub(crate) fn head(s: &str, n: usize) -> &str {
    let mut at = n.min(s.len());
    while !s.is_char_boundary(at) {
        at += 1;
    }
    &s[..at]
}

/// The words of a text in lower case, or `None` when it has more than
/// `max` of them.
pub(crate) fn lower_words(text: &str, max: usize) -> Option<Vec<Cow<'_, str>>> {
    // A run of non-spaces with a letter or digit holds a word at least:
    // more such runs than `max` settle it without segmenting a long text
    // (a coarse diff's whole block).
    let runs = text
        .split_whitespace()
        .filter(|r| r.chars().any(char::is_alphanumeric));
    if runs.take(max + 1).count() > max {
        return None;
    }
    let mut all = Vec::with_capacity(max);
    let mut over = false;
    for_each_word(text, |_, w| {
        if all.len() == max {
            over = true;
        } else if !over {
            all.push(if w.bytes().all(|b| b.is_ascii_lowercase()) {
                Cow::Borrowed(w)
            } else {
                Cow::Owned(w.to_lowercase())
            });
        }
    });
    (!over).then_some(all)
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

    use super::{for_each_bound, halves, packed};

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

    #[test]
    fn packed_and_halves_are_the_zero_padded_little_endian_word() {
        let bytes: Vec<u8> = (1..=20).map(|k| k * 11).collect();
        for n in 0..=bytes.len() {
            let b = &bytes[..n];
            let mut w = [0u8; 8];
            let expected = (1..=8).contains(&n).then(|| {
                w[..n].copy_from_slice(b);
                u64::from_le_bytes(w)
            });
            assert_eq!(packed(b), expected, "{n} bytes");
            let halves_expected = (1..=16).contains(&n).then(|| {
                let mut w = [0u8; 16];
                w[..n].copy_from_slice(b);
                let (lo, hi) = w.split_at(8);
                let le = |h: &[u8]| u64::from_le_bytes(h.try_into().unwrap_or_default());
                (le(lo), le(hi))
            });
            assert_eq!(halves(b), halves_expected, "{n} bytes");
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
        /// The shortcut past `max` runs agrees with counting the words.
        #[test]
        fn lower_words_stops_past_max_exactly(s in "[a-zA-Z0-9 \u{2014}.,'\u{E9}-]{0,60}", max in 0usize..6) {
            let mut n = 0;
            super::for_each_word(&s, |_, _| n += 1);
            let got = super::lower_words(&s, max);
            prop_assert_eq!(got.is_some(), n <= max, "{:?}", s);
            if let Some(words) = got {
                prop_assert_eq!(words.len(), n);
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

        /// The words of ASCII and other texts (their own loops) are the
        /// word tokens of the bounds.
        #[test]
        fn words_are_the_word_tokens(s in "[a-cA-C0-2 .,;:'_\n!?é’中 -]{0,40}", ascii in any::<bool>()) {
            let s = if ascii { s.replace(|c: char| !c.is_ascii(), "x") } else { s };
            let mut words = Vec::new();
            super::for_each_word(&s, |o, t| words.push((o, t)));
            let tokens: Vec<_> = ours(&s).into_iter().filter(|(_, t)| super::is_word(t)).collect();
            prop_assert_eq!(words, tokens);
        }

        #[test]
        fn is_word_is_has_a_letter_or_digit(s in "[a-cA-C0-2 .,;:'\"_\t\r\n!?()’“”é\u{301}\u{345}中 -]{0,40}") {
            for (_, t) in ours(&s) {
                prop_assert_eq!(super::is_word(t), t.chars().any(char::is_alphanumeric), "{:?}", t);
            }
        }
    }
}
