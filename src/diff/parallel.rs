//! An ordered parallel map for the diff's independent pieces of work.
//!
//! The items are cut into contiguous chunks of about equal weight, one per
//! thread; the calling thread takes the first. Results come back in item
//! order, and each is a pure function of its item, so the output never
//! depends on the number of threads. Small jobs run inline: starting a
//! thread costs more than they do.

use std::ops::Range;
use std::sync::OnceLock;

/// Below this total weight (about bytes of text) the work runs inline.
pub(super) const MIN_WEIGHT: usize = 64 * 1024;

/// Threads to use when asked for `threads` (0: one per available core).
pub(super) fn threads(threads: usize) -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    if threads > 0 {
        threads
    } else {
        *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, usize::from))
    }
}

/// `f` of every item, in order, on up to `threads` threads (0: one per
/// core) when the items weigh at least [`MIN_WEIGHT`] in all.
pub(super) fn map<T, R, W, F>(items: &[T], threads: usize, weight: W, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    W: Fn(&T) -> usize,
    F: Fn(&T) -> R + Sync,
{
    let weights: Vec<usize> = items.iter().map(&weight).collect();
    let total: usize = weights.iter().sum();
    if items.len() < 2 || total < MIN_WEIGHT {
        return items.iter().map(f).collect();
    }
    let parts = self::threads(threads).min(items.len());
    if parts <= 1 {
        return items.iter().map(f).collect();
    }
    let chunks = chunks(&weights, total, parts);
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .iter()
            .skip(1)
            .map(|chunk| {
                let part = &items[chunk.clone()];
                std::thread::Builder::new()
                    .name("stet-diff".to_string())
                    .spawn_scoped(s, move || part.iter().map(f).collect::<Vec<R>>())
                    .ok()
            })
            .collect();
        let first = chunks.first().cloned().unwrap_or(0..0);
        let mut out: Vec<R> = items[first].iter().map(f).collect();
        for (handle, chunk) in handles.into_iter().zip(chunks.iter().skip(1)) {
            match handle.map(|h| h.join()) {
                Some(Ok(done)) => out.extend(done),
                // The thread could not start or did not finish: do its part
                // here (the same pure computation).
                _ => out.extend(items[chunk.clone()].iter().map(f)),
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
            let got = map(&items, threads, |_| 100, |i| i * 3);
            assert_eq!(got, want, "{threads} threads");
        }
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
