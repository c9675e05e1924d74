//! The link checker's result cache: one canonical JSON file,
//! `links/cache.json`, mapping each checked URL to its last result and the
//! times of its failures since it last worked (for `--confirm N`).
//! Written atomically under the writers' lock like everything else.

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
        match self.read(&path)? {
            Some(bytes) => serde_json::from_slice(&bytes).map_err(|e| StoreError::Corrupt {
                path,
                detail: e.to_string(),
            }),
            None => Ok(LinkCache {
                schema_version: crate::model::SCHEMA_VERSION,
                entries: BTreeMap::new(),
            }),
        }
    }
}

impl Writer {
    /// Replace the link cache.
    pub fn save_link_cache(&self, cache: &LinkCache) -> Result<(), StoreError> {
        let path = self.store.link_cache_path();
        let mut bytes = canonical_json(cache).map_err(|e| StoreError::Encode(e.to_string()))?;
        bytes.push(b'\n');
        if let Some(done) = self.shared_put(&path, &bytes) {
            return done;
        }
        if let Some(dir) = path.parent() {
            atomic::create_dirs(dir)?;
        }
        atomic::replace(&path, &bytes)
    }
}
