//! A floor under the word similarity of two ASCII blocks, from the bytes
//! they share at both ends. Most changed blocks of an edited article differ
//! in a few words in the middle; for a one-to-one changed region this floor
//! is enough to know that the two blocks pair, without their word lists.
//!
//! The floor is exact reasoning on UAX #29 for ASCII (see `words`): the
//! segmenter always breaks on both sides of a space run and never between
//! two letters, digits or `_`, so whole words before the last shared space
//! of the common prefix (and after the first shared space of the common
//! suffix) are the same tokens in both blocks.

/// Letters, digits and `_`, by byte.
static WORDISH: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || c == b'_';
        b += 1;
    }
    t
};

/// Most word tokens `b` can hold: each starts a run of letters, digits and
/// `_` (a word token never starts inside such a run).
fn max_words(b: &[u8]) -> usize {
    let mut n = 0;
    let mut prev = false;
    for &c in b {
        let w = WORDISH[usize::from(c)];
        n += usize::from(w & !prev);
        prev = w;
    }
    n
}

/// Fewest word tokens `b` holds: a letter or digit at the start or after a
/// space begins a token of its own, and that token is a word.
fn min_words(b: &[u8]) -> usize {
    let mut n = 0;
    let mut prev_space = true;
    for &c in b {
        n += usize::from(prev_space & c.is_ascii_alphanumeric());
        prev_space = c == b' ';
    }
    n
}

/// Length of the common prefix of `x` and `y`, eight bytes at a time.
fn common_prefix(x: &[u8], y: &[u8]) -> usize {
    let mut at = 0;
    for (p, q) in x.chunks_exact(8).zip(y.chunks_exact(8)) {
        let (mut a, mut b) = ([0u8; 8], [0u8; 8]);
        a.copy_from_slice(p);
        b.copy_from_slice(q);
        let diff = u64::from_le_bytes(a) ^ u64::from_le_bytes(b);
        if diff != 0 {
            return at + (diff.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at + x[at..]
        .iter()
        .zip(&y[at..])
        .take_while(|(p, q)| p == q)
        .count()
}

/// Length of the common suffix of `x` and `y`, eight bytes at a time.
fn common_suffix(x: &[u8], y: &[u8]) -> usize {
    let mut at = 0;
    for (p, q) in x.rchunks_exact(8).zip(y.rchunks_exact(8)) {
        let (mut a, mut b) = ([0u8; 8], [0u8; 8]);
        a.copy_from_slice(p);
        b.copy_from_slice(q);
        let diff = u64::from_be_bytes(a) ^ u64::from_be_bytes(b);
        if diff != 0 {
            return at + (diff.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at + x[..x.len() - at]
        .iter()
        .rev()
        .zip(y[..y.len() - at].iter().rev())
        .take_while(|(p, q)| p == q)
        .count()
}

/// A lower bound of `similarity` (Dice, permille) of the word lists of `a`
/// and `b`, or `None` when the bound does not apply: non-ASCII text, no
/// words, or more words than the signature keeps (`cap`).
pub(super) fn similarity_floor(a: &str, b: &str, cap: usize) -> Option<usize> {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if !a.is_ascii() || !b.is_ascii() {
        return None;
    }
    let (ux, uy) = (max_words(x), max_words(y));
    if ux == 0 || uy == 0 || ux > cap || uy > cap {
        return None;
    }
    let shortest = x.len().min(y.len());
    let prefix = common_prefix(x, y);
    let suffix = common_suffix(x, y).min(shortest - prefix);
    // Whole words before the last space inside the common prefix.
    let head = x[..prefix]
        .iter()
        .rposition(|&c| c == b' ')
        .map_or(0, |s| min_words(&x[..s]));
    // Whole words after the first space inside the common suffix.
    let tail_start = x.len() - suffix;
    let tail = x[tail_start..]
        .iter()
        .position(|&c| c == b' ')
        .map_or(0, |s| min_words(&x[tail_start + s..]));
    Some(2000 * (head + tail) / (ux + uy))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn one_word_changed_in_a_long_block_is_similar() {
        let a = "The committee met on Tuesday and agreed that dozens of writers were held.";
        let b = "The committee met on Tuesday and agreed that hundreds of writers were held.";
        let floor = similarity_floor(a, b, 512).unwrap_or(0);
        assert!(floor >= 700, "{floor}");
    }

    #[test]
    fn not_applicable() {
        assert_eq!(similarity_floor("café au lait", "café noir", 512), None);
        assert_eq!(similarity_floor("...", "a b", 512), None);
        assert_eq!(similarity_floor("a b c", "a b d", 2), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, .. ProptestConfig::default() })]
        #[test]
        fn common_ends_are_byte_by_byte(a in "[ab]{0,40}", b in "[ab]{0,40}") {
            let (x, y) = (a.as_bytes(), b.as_bytes());
            let prefix = x.iter().zip(y).take_while(|(p, q)| p == q).count();
            let suffix = x.iter().rev().zip(y.iter().rev()).take_while(|(p, q)| p == q).count();
            prop_assert_eq!(common_prefix(x, y), prefix);
            prop_assert_eq!(common_suffix(x, y), suffix);
        }

        /// The floor never exceeds the similarity of the signatures.
        #[test]
        fn never_above_the_similarity(
            a in "[a-c0-1 .,'_:-]{0,40}",
            edit in "[a-c0-1 .,'_:-]{0,6}",
            at in 0usize..40,
        ) {
            let at = at.min(a.len());
            let b = format!("{}{}{}", &a[..at], edit, &a[at..]);
            if let Some(floor) = similarity_floor(&a, &b, 512) {
                let sim = super::super::pairing::similarity(&super::super::pairing::signature(&a), &super::super::pairing::signature(&b));
                prop_assert!(floor <= sim, "{floor} > {sim}: {a:?} {b:?}");
            }
        }
    }
}
