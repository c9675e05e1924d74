//! Pairing the old and new blocks of a changed region by their words.
//!
//! Each block gets a signature: its words, folded, lower-cased and hashed.
//! Two blocks pair when the Dice similarity of their signatures reaches
//! [`PAIR_THRESHOLD`]; a region's pairs are the monotone alignment that
//! maximises the summed similarity (dynamic programming), or a greedy
//! window past [`DiffOptions::max_pair_cells`]. Floors from the bytes two
//! blocks share at their ends (`overlap`) settle the common case, blocks
//! edited in place, without signatures.

use crate::parallel;
use std::collections::HashMap;

use super::classify::{self, Classed};
use super::words;
use super::{overlap, DiffOptions, FxBuild, Side};
use crate::extract::normalize::fold;

/// Words a signature keeps.
const SIGNATURE_CAP: usize = 512;

/// A block's signature: its first [`SIGNATURE_CAP`] words, folded,
/// lower-cased and hashed (64 bits, a fixed hash: the same on every
/// machine), sorted, for the similarity measure. Hashes make each
/// comparison an integer compare without a shared table.
pub(super) fn signature(text: &str) -> Vec<u64> {
    let mut ids = Signature::for_text(text);
    words::for_each_word(text, |_, w| ids.push(w));
    ids.finish()
}

/// The word hashes of a block's signature, in text order (unsorted), and
/// its class when inserted or deleted whole, from one pass over its words.
pub(super) fn word_hashes_and_class(text: &str) -> (Vec<u64>, Classed) {
    let mut ids = Signature::for_text(text);
    let class = classify::whole_class(text, |w| ids.push(w));
    (ids.ids, class)
}

/// A signature being built, word by word.
struct Signature {
    ids: Vec<u64>,
    /// Scratch for folded non-ASCII words.
    lower: String,
}

impl Signature {
    /// Room for the words of `text` (prose has a word every six bytes or
    /// so): no growing by doubling, word by word.
    fn for_text(text: &str) -> Self {
        Signature {
            ids: Vec::with_capacity((text.len() / 5 + 1).min(SIGNATURE_CAP)),
            lower: String::new(),
        }
    }

    #[inline(always)]
    fn push(&mut self, word: &str) {
        if self.ids.len() >= SIGNATURE_CAP {
            return;
        }
        let b = word.as_bytes();
        match words::halves(b) {
            // Most words: short, ASCII (which folds to itself).
            Some((x, y)) if (x | y) & words::HIGH == 0 => {
                self.ids.push(hash_halves(x, y, b.len()));
            }
            _ => self.push_other(word),
        }
    }

    /// [`Signature::push`] of a long or non-ASCII word.
    #[inline(never)]
    fn push_other(&mut self, word: &str) {
        let id = if word.is_ascii() {
            word_hash(word.as_bytes())
        } else {
            self.lower.clear();
            self.lower.push_str(&fold(word).to_lowercase());
            word_hash(self.lower.as_bytes())
        };
        self.ids.push(id);
    }

    fn finish(mut self) -> Vec<u64> {
        self.ids.sort_unstable();
        self.ids
    }
}

const HASH_K: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// One step of the word hash: FxHash's multiply-rotate.
#[inline]
fn mix(h: u64, x: u64) -> u64 {
    (h.rotate_left(5) ^ x).wrapping_mul(HASH_K)
}

/// Eight bytes with each one in `A`..=`Z` lower-cased: 0x20 added, eight
/// at a time (a byte with its high bit set is not ASCII, and stays).
#[inline]
fn lower(x: u64) -> u64 {
    let upper = words::bytes_in_range(x & !words::HIGH, b'A', b'Z') & !x;
    x | (upper >> 2)
}

/// [`word_hash`] of a word of `len` (1 to 16) bytes given its
/// [`words::halves`].
#[inline(always)]
fn hash_halves(x: u64, y: u64, len: usize) -> u64 {
    let h = mix(0, lower(x));
    let h = if len > 8 { mix(h, lower(y)) } else { h };
    mix(h, len as u64)
}

/// The hash of a word with its ASCII letters lower-cased: FxHash's
/// multiply-rotate over 8-byte words (the last one zero-padded), then the
/// length. Fixed, the same on every machine.
pub(super) fn word_hash(word: &[u8]) -> u64 {
    if let Some((x, y)) = words::halves(word) {
        return hash_halves(x, y, word.len());
    }
    let mut h = 0;
    let mut chunks = word.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = mix(h, lower(u64::from_le_bytes(w)));
    }
    // The zero-padded last word (none when the length is a multiple of 8).
    if let Some(x) = words::packed(chunks.remainder()) {
        h = mix(h, lower(x));
    }
    mix(h, word.len() as u64)
}

/// Dice similarity of two sorted word lists, in permille (no floats).
pub(super) fn similarity(a: &[u64], b: &[u64]) -> usize {
    if a.is_empty() && b.is_empty() {
        return 1000;
    }
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2000 * common / (a.len() + b.len())
}

/// For each old block, the new blocks whose `similarity` with it reaches
/// `at_least`, with the similarity (in no particular order), from the
/// blocks' word hashes in any order. Each word of the new blocks gets a
/// chain of postings (new block, count), newest first; each old block then
/// visits only the new blocks that share one of its words, so the work
/// follows the overlap (two texts that share nothing cost almost nothing),
/// and the memory is that of the words, not of the block pairs.
pub(super) fn similar_pairs(
    so: &[Vec<u64>],
    sn: &[Vec<u64>],
    at_least: usize,
) -> Vec<Vec<(usize, usize)>> {
    const END: u32 = u32::MAX;
    let l = sn.len();
    let total: usize = sn.iter().map(Vec::len).sum();
    // Each word's newest posting (prose repeats words: room for half as
    // many words as there are to start with).
    let mut newest: HashMap<WordKey, u32, FxBuild> =
        HashMap::with_capacity_and_hasher(total / 2, FxBuild::default());
    // (new block, count, next posting of the same word).
    let mut postings: Vec<(u32, u32, u32)> = Vec::with_capacity(total);
    for (b, words) in sn.iter().enumerate() {
        let block = u32::try_from(b).unwrap_or(END);
        for &w in words {
            let at = u32::try_from(postings.len()).unwrap_or(END);
            let head = newest.entry(WordKey::of(w)).or_insert(END);
            match postings.get_mut(*head as usize) {
                // Again in the same block: one more.
                Some(p) if p.0 == block => p.1 += 1,
                _ => {
                    postings.push((block, 1, *head));
                    *head = at;
                }
            }
        }
    }
    // Two blocks without words are alike.
    let wordless_new: Vec<usize> = (0..l).filter(|&b| sn[b].is_empty()).collect();
    let mut rows = Vec::with_capacity(so.len());
    // An old block's count of each word, by the word's newest posting.
    let mut counts = vec![0u32; postings.len()];
    let mut held = Vec::new();
    let mut common = vec![0u32; l];
    let mut touched = Vec::new();
    for words in so {
        for &w in words {
            if let Some(&head) = newest.get(&WordKey::of(w)) {
                if let Some(c) = counts.get_mut(head as usize) {
                    if *c == 0 {
                        held.push(head);
                    }
                    *c += 1;
                }
            }
        }
        for &head in &held {
            let na = counts.get_mut(head as usize).map_or(0, std::mem::take);
            let mut at = head;
            while let Some(&(b, nb, next)) = postings.get(at as usize) {
                let b = b as usize;
                if common[b] == 0 {
                    touched.push(b);
                }
                common[b] += na.min(nb);
                at = next;
            }
        }
        held.clear();
        let mut row = Vec::new();
        for &b in &touched {
            let s = 2000 * common[b] as usize / (words.len() + sn[b].len());
            if s >= at_least {
                row.push((b, s));
            }
            common[b] = 0;
        }
        touched.clear();
        if words.is_empty() && 1000 >= at_least {
            row.extend(wordless_new.iter().map(|&b| (b, 1000)));
        }
        rows.push(row);
    }
    rows
}

/// A word hash as a map key of two halves: a slot of key and `u32` value
/// takes 12 bytes instead of 16 (the table is the largest allocation of a
/// pairing).
#[derive(Clone, Copy, PartialEq, Eq)]
struct WordKey([u32; 2]);

impl WordKey {
    fn of(hash: u64) -> Self {
        // Truncations keep the halves.
        WordKey([hash as u32, (hash >> 32) as u32])
    }
}

impl std::hash::Hash for WordKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(u64::from(self.0[0]) | (u64::from(self.0[1]) << 32));
    }
}

/// Pairs need at least this similarity (permille).
const PAIR_THRESHOLD: usize = 400;

/// True when floors under the similarities of the diagonal pairs of a k × k
/// region prove that pairing old block t with new block t, for every t, is
/// what the optimal monotone alignment of `pair_blocks` picks. A monotone
/// pairing of k × k blocks with k pairs is the diagonal; any other has at
/// most k − 1 pairs of at most 1000 each. So when every diagonal floor
/// reaches the threshold and the floors sum to more than (k − 1) × 1000,
/// the diagonal is the one best pairing, and (the same holding for every
/// leading sub-square) the backtrace takes it.
fn diagonal_is_optimal(floors: impl Iterator<Item = usize>) -> bool {
    let (mut k, mut sum) = (0usize, 0usize);
    for f in floors {
        if f < PAIR_THRESHOLD {
            return false;
        }
        k += 1;
        sum += f;
    }
    k > 0 && sum > (k - 1) * 1000
}

/// Floors of this much settle a diagonal pair without its word lists.
const STRONG_FLOOR: usize = 900;

/// A lower bound of the similarity of blocks `a` and `b` for
/// [`diagonal_is_optimal`]: the shared-ends floor when it is strong, the
/// exact similarity otherwise (a block with a few changes far apart).
fn diagonal_floor(a: &str, b: &str) -> usize {
    match overlap::similarity_floor(a, b, SIGNATURE_CAP) {
        Some(f) if f >= STRONG_FLOOR => f,
        _ => similarity(&signature(a), &signature(b)),
    }
}

/// Window of the greedy pairing used for very large regions.
const GREEDY_WINDOW: usize = 8;

/// Pairs the old and new blocks of a changed region (monotone), and says
/// why when the region is too large for the optimal alignment.
pub(super) fn pair_blocks(
    o: &Side<'_>,
    n: &Side<'_>,
    opts: &DiffOptions,
    olds: &[usize],
    news: &[usize],
) -> (Vec<(usize, usize)>, Option<String>) {
    if olds.is_empty() || news.is_empty() {
        return (Vec::new(), None);
    }
    // As many old blocks as new ones, each edited in place: the diagonal
    // pairs alone often prove the pairing (see `diagonal_is_optimal`),
    // mostly from their shared ends, without the whole matrix.
    if olds.len() == news.len()
        && olds.len().saturating_mul(news.len()) <= opts.max_pair_cells
        && diagonal_is_optimal(
            olds.iter()
                .zip(news)
                .map(|(&i, &j)| diagonal_floor(o.text(i), n.text(j))),
        )
    {
        return (
            olds.iter().copied().zip(news.iter().copied()).collect(),
            None,
        );
    }
    // Word lists of both sides, in one parallel pass for a large region.
    let blocks: Vec<(&Side<'_>, usize)> = olds
        .iter()
        .map(|&i| (o, i))
        .chain(news.iter().map(|&j| (n, j)))
        .collect();
    let mut so = parallel::map(
        &blocks,
        opts.threads,
        parallel::MIN_WEIGHT,
        |&(side, i)| side.text(i).len(),
        |&(side, i)| side.word_hashes(i),
    );
    let mut sn = so.split_off(olds.len());
    let (k, l) = (olds.len(), news.len());
    if k.saturating_mul(l) > opts.max_pair_cells {
        for ids in so.iter_mut().chain(sn.iter_mut()) {
            ids.sort_unstable();
        }
        let reason = format!(
                "{k} old × {l} new changed blocks exceed the pairing limit ({}); blocks paired within a window of {GREEDY_WINDOW}",
                opts.max_pair_cells
            );
        let mut pairs = Vec::new();
        let mut next = 0;
        for (a, sa) in so.iter().enumerate() {
            let mut best: Option<(usize, usize)> = None;
            for (b, sb) in sn.iter().enumerate().skip(next).take(GREEDY_WINDOW) {
                let s = similarity(sa, sb);
                if s >= PAIR_THRESHOLD && best.is_none_or(|(_, bs)| s > bs) {
                    best = Some((b, s));
                }
            }
            if let Some((b, _)) = best {
                pairs.push((olds[a], news[b]));
                next = b + 1;
            }
        }
        return (pairs, Some(reason));
    }
    let rows = similar_pairs(&so, &sn, PAIR_THRESHOLD);
    // No pair reaches the threshold: the alignment pairs nothing.
    if rows.iter().all(Vec::is_empty) {
        return (Vec::new(), None);
    }
    // The similarities the alignment can use (the rest count as 0).
    let mut sim = vec![0usize; k * l];
    for (a, row) in rows.iter().enumerate() {
        for &(b, s) in row {
            sim[a * l + b] = s;
        }
    }
    // dp[a][b]: best summed similarity pairing olds[..a] with news[..b].
    let w = l + 1;
    let mut dp = vec![0usize; (k + 1) * w];
    for a in 1..=k {
        for b in 1..=l {
            let s = sim[(a - 1) * l + (b - 1)];
            let diag = if s >= PAIR_THRESHOLD {
                dp[(a - 1) * w + (b - 1)] + s
            } else {
                0
            };
            dp[a * w + b] = diag.max(dp[(a - 1) * w + b]).max(dp[a * w + (b - 1)]);
        }
    }
    let mut pairs = Vec::new();
    let (mut a, mut b) = (k, l);
    while a > 0 && b > 0 {
        let s = sim[(a - 1) * l + (b - 1)];
        if s >= PAIR_THRESHOLD && dp[a * w + b] == dp[(a - 1) * w + (b - 1)] + s {
            pairs.push((olds[a - 1], news[b - 1]));
            a -= 1;
            b -= 1;
        } else if dp[a * w + b] == dp[(a - 1) * w + b] {
            a -= 1;
        } else {
            b -= 1;
        }
    }
    pairs.reverse();
    (pairs, None)
}
