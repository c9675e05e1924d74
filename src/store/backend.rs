//! The store's backend interface: what a shared store needs from object
//! storage. The local filesystem is the embedded default and keeps its own
//! lock and atomic renames (see [`super::atomic`] and [`super::group`]); a
//! store shared by many machines without a lock server runs on a
//! [`Backend`] instead (S3-compatible storage: [`super::s3`]).
//!
//! Keys are `/`-separated paths relative to the store's root, the same
//! relative paths as on disk (`objects/ab/abcd…`, `targets/<key>/history`),
//! so the layout is one and [`super::layout`] builds every key.

use std::fmt;
use std::time::Duration;

use super::StoreError;

/// Bytes read from a backend with the version they had (the ETag on S3).
#[derive(Debug, Clone)]
pub struct Versioned {
    pub bytes: Vec<u8>,
    pub version: Option<String>,
}

/// Object storage with conditional writes. Every call is one atomic
/// operation of the backend; none leaves partial bytes visible.
pub trait Backend: Send + Sync + fmt::Debug {
    /// Where `key` lives, for messages (`s3://bucket/prefix/key`).
    fn url(&self, key: &str) -> String;
    /// The bytes at `key` and their version; `None` if absent.
    fn get(&self, key: &str) -> Result<Option<Versioned>, StoreError>;
    /// Whether `key` exists (a HEAD request).
    fn exists(&self, key: &str) -> Result<bool, StoreError>;
    /// Write `bytes` at `key` unless it exists (`If-None-Match: *`).
    /// Returns whether it was written; an existing key is not an error.
    fn create(&self, key: &str, bytes: &[u8]) -> Result<bool, StoreError>;
    /// Create every `(key, bytes)` (as [`Backend::create`]), several at once
    /// where the backend can.
    fn create_all(&self, items: &[(String, &[u8])]) -> Result<(), StoreError> {
        for (key, bytes) in items {
            self.create(key, bytes)?;
        }
        Ok(())
    }
    /// Replace `key` only if it still has `expected` (`If-Match`), or create
    /// it only if absent when `expected` is `None`. Returns `false` when
    /// another writer got there first (nothing written).
    fn swap(&self, key: &str, expected: Option<&str>, bytes: &[u8]) -> Result<bool, StoreError>;
    /// Write `bytes` at `key`, replacing whatever is there (hints, caches,
    /// evidence named by what it covers).
    fn put(&self, key: &str, bytes: &[u8]) -> Result<(), StoreError>;
    /// Remove `key`; absent is fine.
    fn delete(&self, key: &str) -> Result<(), StoreError>;
    /// Every key under `prefix` (a directory-like prefix ending in `/`),
    /// sorted.
    fn list(&self, prefix: &str) -> Result<Vec<String>, StoreError>;
    /// The immediate "subdirectories" of `prefix` (`targets/` → each
    /// `targets/<key>/`), sorted.
    fn list_dirs(&self, prefix: &str) -> Result<Vec<String>, StoreError>;
}

/// Most attempts of one compare-and-swap before giving up.
pub const SWAP_ATTEMPTS: u32 = 40;

/// Read-modify-write of `key` with compare-and-swap: `change` gets the
/// current bytes (`None`: absent) and returns the new ones (`None`: nothing
/// to write). On a conflict (another writer changed the key in between)
/// it reads again and retries after a jittered, growing pause, at most
/// [`SWAP_ATTEMPTS`] times. Returns what the last `change` returned
/// alongside.
pub fn update<T>(
    backend: &dyn Backend,
    key: &str,
    mut change: impl FnMut(Option<&[u8]>) -> Result<(Option<Vec<u8>>, T), StoreError>,
) -> Result<T, StoreError> {
    for attempt in 0..SWAP_ATTEMPTS {
        let current = backend.get(key)?;
        let (new, out) = change(current.as_ref().map(|c| c.bytes.as_slice()))?;
        let Some(new) = new else { return Ok(out) };
        let expected = match &current {
            Some(c) => match c.version.as_deref() {
                Some(v) => Some(v),
                None => {
                    return Err(StoreError::Remote {
                        url: backend.url(key),
                        detail: "the server gave no ETag: it cannot update safely".to_string(),
                    })
                }
            },
            None => None,
        };
        if backend.swap(key, expected, &new)? {
            return Ok(out);
        }
        std::thread::sleep(backoff(attempt));
    }
    Err(StoreError::Contention {
        url: backend.url(key),
        attempts: SWAP_ATTEMPTS,
    })
}

/// Pause before retry `attempt` (0-based): up to 5 ms × 2^attempt, capped
/// at 500 ms, with full jitter so racing writers spread out.
fn backoff(attempt: u32) -> Duration {
    use std::hash::{BuildHasher, Hasher};
    let cap = 5u64.saturating_mul(1 << attempt.min(7)).min(500);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(attempt);
    Duration::from_millis(1 + h.finish() % cap)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_bounded_and_grows() {
        for attempt in 0..SWAP_ATTEMPTS {
            let d = backoff(attempt);
            assert!(d >= Duration::from_millis(1) && d <= Duration::from_millis(501));
        }
        assert!(backoff(0) <= Duration::from_millis(6));
    }
}
