//! An ordered parallel map for independent pieces of work.
//!
//! The items are cut into contiguous chunks of about equal weight, several
//! per thread; the calling thread and its helpers take the next chunk until
//! none is left, so a helper that starts late (or a core that is busy)
//! costs its share of the work, not a wait. Results come back in item
//! order, and each is a pure function of its item, so the output never
//! depends on the number of threads or on who did which chunk. Small jobs
//! run inline: starting a thread costs more than they do.

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// Below this total weight (about bytes of text) the work runs inline: a
/// helper thread costs about half a millisecond here (its start, its malloc
/// arena, unmapping its stack) before it does any work, and starts late.
/// Measured with `benches/diff.sh`-style texts that share nothing: two
/// threads lose 0.4 ms on 2 × 100 KB, win 1 ms on 2 × 300 KB.
pub(crate) const MIN_WEIGHT: usize = 256 * 1024;

/// Chunks per thread: small enough to even out, large enough to be cheap.
const CHUNKS_PER_THREAD: usize = 8;

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
    if items.len() < 2 || total < min_weight {
        return items.iter().map(f).collect();
    }
    let workers = self::threads(threads).min(items.len());
    if workers <= 1 {
        return items.iter().map(f).collect();
    }
    let chunks = chunks(&weights, total, workers * CHUNKS_PER_THREAD);
    let next = AtomicUsize::new(0);
    // Takes chunks until none is left; returns them with their numbers.
    let work = || {
        let mut done: Vec<(usize, Vec<R>)> = Vec::new();
        loop {
            let k = next.fetch_add(1, Ordering::Relaxed);
            let Some(range) = chunks.get(k) else {
                return done;
            };
            done.push((k, items[range.clone()].iter().map(&f).collect()));
        }
    };
    let mut done = std::thread::scope(|s| {
        let helpers: Vec<_> = (1..workers)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .name("stet-work".to_string())
                    .spawn_scoped(s, work)
                    .ok()
            })
            .collect();
        let mut done = work();
        for helper in helpers {
            // A helper that panicked leaves its chunks undone: they are
            // done below (the same pure computation).
            if let Ok(theirs) = helper.join() {
                done.extend(theirs);
            }
        }
        done
    });
    done.sort_unstable_by_key(|(k, _)| *k);
    let mut out = Vec::with_capacity(items.len());
    let mut expected = 0;
    for (k, results) in done {
        for missing in &chunks[expected..k] {
            out.extend(items[missing.clone()].iter().map(&f));
        }
        out.extend(results);
        expected = k + 1;
    }
    for missing in &chunks[expected.min(chunks.len())..] {
        out.extend(items[missing.clone()].iter().map(&f));
    }
    out
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
