//! An ordered parallel map for independent pieces of work.
//!
//! The items are cut into one contiguous part of about equal weight per
//! thread, each mapped on a scoped thread (the first on the calling one),
//! and the parts joined in order. Each result is a pure function of its
//! item, so the output never depends on the number of threads. Small jobs
//! run inline: starting a thread costs more than they do.

use std::ops::Range;
use std::sync::OnceLock;

/// Below this total weight (about bytes of text) the work runs inline: a
/// helper thread costs about half a millisecond here (its start, its malloc
/// arena, unmapping its stack) before it does any work, and starts late.
/// Measured with `benches/diff.sh`-style texts that share nothing: two
/// threads lose 0.4 ms on 2 × 100 KB, win 1 ms on 2 × 300 KB.
pub(crate) const MIN_WEIGHT: usize = 256 * 1024;

/// Threads to use when asked for `threads` (0: one per available core).
pub(crate) fn threads(threads: usize) -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    if threads > 0 {
        threads
    } else {
        *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, usize::from))
    }
}

/// `f` of every item, in order, on up to `threads` threads (0: one per
/// core) when the items weigh at least `min_weight` in all.
pub(crate) fn map<T, R, W, F>(
    items: &[T],
    threads: usize,
    min_weight: usize,
    weight: W,
    f: F,
) -> Vec<R>
where
    T: Sync,
    R: Send,
    W: Fn(&T) -> usize,
    F: Fn(&T) -> R + Sync,
{
    let weights: Vec<usize> = items.iter().map(&weight).collect();
    let total: usize = weights.iter().sum();
    let workers = self::threads(threads).min(items.len());
    if workers <= 1 || total < min_weight {
        return items.iter().map(f).collect();
    }
    let parts = chunks(&weights, total, workers);
    let Some((first, rest)) = parts.split_first() else {
        return Vec::new();
    };
    let part = |range: &Range<usize>| -> Vec<R> { items[range.clone()].iter().map(&f).collect() };
    std::thread::scope(|s| {
        // A helper that cannot be started leaves its part to the caller.
        let helpers: Vec<_> = rest
            .iter()
            .map(|range| {
                let helper = std::thread::Builder::new()
                    .name("stet-work".to_string())
                    .spawn_scoped(s, || part(range));
                (range, helper.ok())
            })
            .collect();
        let mut out = part(first);
        for (range, helper) in helpers {
            match helper.map(|h| h.join()) {
                Some(Ok(results)) => out.extend(results),
                Some(Err(panic)) => std::panic::resume_unwind(panic),
                None => out.extend(part(range)),
            }
        }
        out
    })
}

/// Cuts `weights` into at most `parts` contiguous ranges of about equal
/// weight.
fn chunks(weights: &[usize], total: usize, parts: usize) -> Vec<Range<usize>> {
    let share = total.div_ceil(parts).max(1);
    let mut out = Vec::with_capacity(parts);
    let (mut start, mut acc) = (0, 0);
    for (k, w) in weights.iter().enumerate() {
        acc += w;
        if acc >= share && out.len() + 1 < parts {
            out.push(start..k + 1);
            start = k + 1;
            acc = 0;
        }
    }
    if start < weights.len() {
        out.push(start..weights.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_are_in_order_whatever_the_threads() {
        let items: Vec<usize> = (0..5000).collect();
        let want: Vec<usize> = items.iter().map(|i| i * 3).collect();
        for threads in [1, 2, 3, 8] {
            let got = map(&items, threads, MIN_WEIGHT, |_| 100, |i| i * 3);
            assert_eq!(got, want, "{threads} threads");
        }
    }

    #[test]
    fn uneven_work_is_still_in_order() {
        // Some items are much slower than others.
        let items: Vec<u64> = (0..300).collect();
        let slow =
            |&i: &u64| -> u64 { (0..(i % 7) * 20_000).fold(i, |a, b| a ^ b.wrapping_mul(31)) };
        let want: Vec<u64> = items.iter().map(slow).collect();
        assert_eq!(map(&items, 4, 1, |_| 1, slow), want);
    }

    #[test]
    fn chunks_cover_everything_once() {
        let weights = [5, 1, 1, 1, 9, 0, 3];
        for parts in 1..=9 {
            let c = chunks(&weights, 20, parts);
            assert!(c.len() <= parts);
            let flat: Vec<usize> = c.iter().flat_map(|r| r.clone()).collect();
            assert_eq!(flat, (0..weights.len()).collect::<Vec<_>>());
        }
    }
}
