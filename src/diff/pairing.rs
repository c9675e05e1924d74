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
use std::ops::Range;

use super::words::{self, is_word};
use super::{overlap, DiffOptions, FxBuild, FxHasher, Side};
use crate::extract::normalize::fold;

/// Words of a block, folded, lower-cased and hashed (64 bits, a fixed
/// hash: the same on every machine), sorted, for the similarity measure
/// (capped). Hashes make each comparison an integer compare without a
/// shared table.
/// Words a signature keeps.
const SIGNATURE_CAP: usize = 512;

pub(super) fn signature(text: &str) -> Vec<u64> {
    use std::hash::Hasher;
    const CAP: usize = SIGNATURE_CAP;
    let mut ids: Vec<u64> = Vec::new();
    let mut lower = String::new();
    words::for_each_bound(text, |_, w| {
        if ids.len() >= CAP || !is_word(w) {
            return;
        }
        lower.clear();
        if w.is_ascii() {
            // An ASCII word folds to itself.
            lower.push_str(w);
            lower.make_ascii_lowercase();
        } else {
            lower.push_str(&fold(w).to_lowercase());
        }
        let mut h = FxHasher::default();
        h.write(lower.as_bytes());
        ids.push(h.finish());
    });
    ids.sort_unstable();
    ids
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

/// `similarity` of every old × new pair, row-major. Shared words are found
/// through an index of the new blocks' words, and only the pairs that share
/// a word are computed, so the work follows the overlap: two texts that
/// share nothing cost almost nothing.
pub(super) fn similarity_matrix(so: &[Vec<u64>], sn: &[Vec<u64>]) -> Vec<usize> {
    let l = sn.len();
    // Each word of a sorted list once, with its count.
    let runs = |ids: &[u64]| -> Vec<(u64, usize)> {
        ids.chunk_by(|x, y| x == y)
            .map(|run| (run[0], run.len()))
            .collect()
    };
    // (word, new block, count), sorted: each word's postings are one run.
    let mut postings: Vec<(u64, usize, usize)> = Vec::with_capacity(sn.iter().map(Vec::len).sum());
    for (b, ids) in sn.iter().enumerate() {
        postings.extend(runs(ids).into_iter().map(|(id, n)| (id, b, n)));
    }
    postings.sort_unstable();
    let mut index: std::collections::HashMap<u64, Range<usize>, FxBuild> =
        std::collections::HashMap::with_capacity_and_hasher(postings.len(), FxBuild::default());
    let mut start = 0;
    for run in postings.chunk_by(|x, y| x.0 == y.0) {
        index.insert(run[0].0, start..start + run.len());
        start += run.len();
    }
    // Two blocks without words are alike.
    let wordless_new: Vec<usize> = (0..l).filter(|&b| sn[b].is_empty()).collect();
    let mut sim = vec![0usize; so.len() * l];
    let mut common = vec![0usize; l];
    let mut touched = Vec::new();
    for (a, ids) in so.iter().enumerate() {
        for (id, na) in runs(ids) {
            if let Some(range) = index.get(&id) {
                for &(_, b, nb) in &postings[range.clone()] {
                    if common[b] == 0 {
                        touched.push(b);
                    }
                    common[b] += na.min(nb);
                }
            }
        }
        for &b in &touched {
            sim[a * l + b] = 2000 * common[b] / (ids.len() + sn[b].len());
            common[b] = 0;
        }
        touched.clear();
        if ids.is_empty() {
            for &b in &wordless_new {
                sim[a * l + b] = 1000;
            }
        }
    }
    sim
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
    // Word lists, in parallel for a large region.
    let so = parallel::map(
        olds,
        opts.threads,
        parallel::MIN_WEIGHT,
        |&i| o.text(i).len(),
        |&i| signature(o.text(i)),
    );
    let sn = parallel::map(
        news,
        opts.threads,
        parallel::MIN_WEIGHT,
        |&j| n.text(j).len(),
        |&j| signature(n.text(j)),
    );
    let (k, l) = (olds.len(), news.len());
    if k.saturating_mul(l) > opts.max_pair_cells {
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
    // dp[a][b]: best summed similarity pairing olds[..a] with news[..b].
    let w = l + 1;
    let sim = similarity_matrix(&so, &sn);
    // No pair reaches the threshold: the alignment pairs nothing.
    if sim.iter().all(|&s| s < PAIR_THRESHOLD) {
        return (Vec::new(), None);
    }
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
