//! The link checker's result cache: one canonical JSON file,
//! `links/cache.json`, mapping each checked URL to its last result and the
//! times of its failures since it last worked (for `--confirm N`).
//! Written atomically under the writers' lock like everything else; on a
//! shared store, by compare-and-swap (see [`Writer::update_link_cache`]).

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{atomic, Store, StoreError, Writer};
use crate::digest::canonical_json;

/// Directory of the link cache, under the store root.
pub const LINKS_DIR: &str = "links";
/// The cache file in [`LINKS_DIR`].
pub const LINK_CACHE_FILE: &str = "cache.json";
/// Failure times kept per URL.
pub const MAX_FAILURES_KEPT: usize = 32;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkCache {
    pub schema_version: u32,
    pub entries: BTreeMap<String, LinkCacheEntry>,
}

/// The last check of one URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkCacheEntry {
    /// `ok`, `redirect`, `dead`, `error`, `timeout`.
    pub class: String,
    pub status: Option<u16>,
    pub final_url: Option<String>,
    /// RFC 3339 UTC.
    pub checked_at: String,
    /// When it failed, oldest first, since it last worked (at most
    /// [`MAX_FAILURES_KEPT`]).
    #[serde(default)]
    pub failures: Vec<String>,
}

impl Store {
    fn link_cache_path(&self) -> PathBuf {
        self.root().join(LINKS_DIR).join(LINK_CACHE_FILE)
    }

    /// The link cache; empty when none was written yet.
    pub fn link_cache(&self) -> Result<LinkCache, StoreError> {
        let path = self.link_cache_path();
        let bytes = self.read(&path)?;
        parse(path, bytes.as_deref())
    }
}

impl Writer {
    /// Change the link cache with `change`, on the cache as it is now: read
    /// under the writers' lock on a local store; on a shared store, changed
    /// by compare-and-swap (`change` runs again on each retry), so runs
    /// that record at once all keep their entries.
    pub fn update_link_cache<T>(
        &self,
        mut change: impl FnMut(&mut LinkCache) -> T,
    ) -> Result<T, StoreError> {
        let path = self.store.link_cache_path();
        let mut edit = |current: Option<&[u8]>| -> Result<(Vec<u8>, T), StoreError> {
            let mut cache = parse(path.clone(), current)?;
            let out = change(&mut cache);
            let mut bytes =
                canonical_json(&cache).map_err(|e| StoreError::Encode(e.to_string()))?;
            bytes.push(b'\n');
            Ok((bytes, out))
        };
        if let Some(b) = self.store.backend() {
            let key = self.store.key(&path);
            return super::backend::update(b, &key, |current| {
                edit(current).map(|(bytes, out)| (Some(bytes), out))
            });
        }
        let (bytes, out) = edit(self.store.read(&path)?.as_deref())?;
        if let Some(dir) = path.parent() {
            atomic::create_dirs(dir)?;
        }
        atomic::replace(&path, &bytes)?;
        Ok(out)
    }
}

/// The cache stored as `bytes` at `path` (`None`: none yet, empty).
fn parse(path: PathBuf, bytes: Option<&[u8]>) -> Result<LinkCache, StoreError> {
    match bytes {
        Some(bytes) => serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt {
            path,
            detail: e.to_string(),
        }),
        None => Ok(LinkCache {
            schema_version: crate::model::SCHEMA_VERSION,
            entries: BTreeMap::new(),
        }),
    }
}
