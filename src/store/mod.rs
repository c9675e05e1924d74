//! The `store` stage: snapshots on disk as plain, content-addressed files.
//! Only this module reads or writes the store. The layout is documented in
//! [`layout`] and in the README.

mod atomic;
pub mod codec;
mod error;
mod group;
pub mod journal;
pub mod layout;
pub mod link_cache;
mod lock;
mod resolve;
mod verify;

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::digest::{canonical_json, is_sha256_hex, sha256_hex};
pub use crate::model::LastCheck;
use crate::model::{Document, Manifest, ObjectRef};

pub use error::StoreError;
pub use group::NewSnapshot;
pub use layout::{target_key, Layout};
pub use lock::{LockMode, StoreLock};
pub use resolve::{Selector, VersionSpec};
pub use verify::{Problem, Reextracted, VerifyOptions, VerifyReport};

/// Default time a writer waits for another to release the lock.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(30);

/// A snapshot store on disk, for reading. [`Store::writer`] takes the lock
/// and gives the writing half.
#[derive(Debug, Clone)]
pub struct Store {
    layout: Layout,
}

impl Store {
    /// Open an existing store for reading.
    pub fn open(root: impl Into<PathBuf>) -> Result<Store, StoreError> {
        let layout = Layout::new(root);
        let root = layout.root();
        match fs::metadata(root) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => return Err(StoreError::NotADirectory(root.to_path_buf())),
            Err(e) if e.kind() == ErrorKind::NotFound => {
                return Err(StoreError::Missing(root.to_path_buf()))
            }
            Err(e) => return Err(StoreError::io(root, e)),
        }
        let marker = layout.marker();
        match fs::read_to_string(&marker) {
            Ok(text) => check_marker(&marker, &text)?,
            Err(e) if e.kind() == ErrorKind::NotFound => {
                return Err(StoreError::Missing(root.to_path_buf()))
            }
            Err(e) => return Err(StoreError::io(marker, e)),
        }
        Ok(Store { layout })
    }

    /// Open a store, creating it (an empty or missing directory) if needed.
    pub fn open_or_create(root: impl Into<PathBuf>) -> Result<Store, StoreError> {
        let layout = Layout::new(root);
        let root = layout.root().to_path_buf();
        match fs::metadata(&root) {
            Ok(m) if !m.is_dir() => return Err(StoreError::NotADirectory(root)),
            Ok(_) => {
                if !layout.marker().exists() {
                    // Empty, or only what a concurrent creator has begun.
                    let entries = fs::read_dir(&root).map_err(|e| StoreError::io(&root, e))?;
                    let foreign = entries.filter_map(Result::ok).any(|e| {
                        let name = e.file_name();
                        let name = name.to_string_lossy();
                        !(name == layout::LOCK
                            || name == layout::MARKER
                            || name.starts_with(atomic::TEMP_PREFIX))
                    });
                    if foreign {
                        return Err(StoreError::NotAStore(root));
                    }
                }
            }
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(StoreError::io(&root, e)),
        }
        if !layout.marker().exists() {
            atomic::create_dirs(&root)?;
            // Two processes may create a store at once: the first marker wins.
            atomic::create_once(
                &layout.marker(),
                format!("stet store\nlayout {}\n", layout::LAYOUT_VERSION).as_bytes(),
            )?;
        }
        Store::open(root)
    }

    pub fn root(&self) -> &Path {
        self.layout.root()
    }

    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Take the writers' lock, waiting up to `timeout`.
    pub fn writer(&self, timeout: Duration) -> Result<Writer, StoreError> {
        let lock = StoreLock::acquire(&self.layout.lock(), LockMode::Exclusive, timeout)?;
        Ok(Writer {
            store: self.clone(),
            _lock: std::sync::Arc::new(lock),
        })
    }

    /// Take a shared lock (no writer runs while it is held). Falls back to
    /// no lock at all when the store is read-only.
    pub fn reader_lock(&self, timeout: Duration) -> Result<Option<StoreLock>, StoreError> {
        match StoreLock::acquire(&self.layout.lock(), LockMode::Shared, timeout) {
            Ok(lock) => Ok(Some(lock)),
            Err(StoreError::Io { source, .. })
                if matches!(
                    source.kind(),
                    ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem
                ) =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// The bytes of an object (decoded if stored compressed), checked
    /// against its name.
    pub fn object(&self, sha256: &str) -> Result<Vec<u8>, StoreError> {
        let missing = || StoreError::MissingObject(sha256.to_string());
        let zst = self.layout.object_zst(sha256).ok_or_else(missing)?;
        let (path, bytes) = match fs::read(&zst) {
            Ok(frame) => {
                let bytes =
                    codec::decode(&frame, codec::MAX_DECODED).map_err(|e| StoreError::Corrupt {
                        path: zst.clone(),
                        detail: format!("{e} (run `stet verify`)"),
                    })?;
                (zst, bytes)
            }
            Err(e) if e.kind() == ErrorKind::NotFound => {
                let path = self.layout.object(sha256).ok_or_else(missing)?;
                match fs::read(&path) {
                    Ok(b) => (path, b),
                    Err(e) if e.kind() == ErrorKind::NotFound => return Err(missing()),
                    Err(e) => return Err(StoreError::io(path, e)),
                }
            }
            Err(e) => return Err(StoreError::io(zst, e)),
        };
        if sha256_hex(&bytes) != sha256 {
            return Err(StoreError::Corrupt {
                path,
                detail: "content does not match its hash (run `stet verify`)".to_string(),
            });
        }
        Ok(bytes)
    }

    /// True if the object is stored, raw or compressed.
    pub fn has_object(&self, sha256: &str) -> bool {
        [self.layout.object_zst(sha256), self.layout.object(sha256)]
            .into_iter()
            .flatten()
            .any(|p| p.exists())
    }

    /// A manifest by full id, checked against its id.
    pub fn manifest(&self, id: &str) -> Result<Manifest, StoreError> {
        let bytes = self.manifest_bytes(id)?;
        serde_json::from_slice(&bytes).map_err(|e| StoreError::Corrupt {
            path: self.layout.manifest(id).unwrap_or_default(),
            detail: e.to_string(),
        })
    }

    /// The extracted document of a snapshot.
    pub fn document(&self, manifest: &Manifest) -> Result<Document, StoreError> {
        let bytes = self.object(&manifest.document.sha256)?;
        serde_json::from_slice(&bytes).map_err(|e| StoreError::Corrupt {
            path: self
                .layout
                .object(&manifest.document.sha256)
                .unwrap_or_default(),
            detail: e.to_string(),
        })
    }

    /// Every target with a directory in the store, sorted.
    pub fn targets(&self) -> Result<Vec<String>, StoreError> {
        let dir = self.layout.targets_dir();
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(StoreError::io(dir, e)),
        };
        let mut targets = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| StoreError::io(&dir, e))?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if !layout::is_target_key(name) {
                continue;
            }
            let file = entry.path().join(layout::TARGET_FILE);
            match fs::read_to_string(&file) {
                Ok(text) => targets.push(text.trim_end_matches('\n').to_string()),
                Err(e) if e.kind() == ErrorKind::NotFound => continue,
                Err(e) => return Err(StoreError::io(file, e)),
            }
        }
        targets.sort();
        Ok(targets)
    }

    /// Snapshot ids of `target`, oldest first. Empty if the target is unknown.
    pub fn history(&self, target: &str) -> Result<Vec<String>, StoreError> {
        let path = self.layout.target_dir(target).join(layout::HISTORY_FILE);
        let text = match fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(StoreError::io(path, e)),
        };
        parse_id_lines(&path, &text)
    }

    /// The latest snapshot id of `target`.
    pub fn latest(&self, target: &str) -> Result<Option<String>, StoreError> {
        Ok(self.history(target)?.pop())
    }

    /// The reference snapshot of `target`: the pinned one, else the first.
    pub fn reference(&self, target: &str) -> Result<Option<String>, StoreError> {
        let path = self.layout.target_dir(target).join(layout::REFERENCE_FILE);
        match fs::read_to_string(&path) {
            Ok(text) => {
                let id = text.trim();
                if !is_sha256_hex(id) {
                    return Err(StoreError::Corrupt {
                        path,
                        detail: "not a snapshot id".to_string(),
                    });
                }
                Ok(Some(id.to_string()))
            }
            Err(e) if e.kind() == ErrorKind::NotFound => {
                Ok(self.history(target)?.into_iter().next())
            }
            Err(e) => Err(StoreError::io(path, e)),
        }
    }

    /// The last fetch of `target` that found nothing new, if recorded. A
    /// hint, written without syncing: one a crash tore reads as none.
    pub fn last_check(&self, target: &str) -> Result<Option<LastCheck>, StoreError> {
        let path = self.layout.target_dir(target).join(layout::LAST_CHECK_FILE);
        match fs::read(&path) {
            Ok(bytes) => Ok(serde_json::from_slice(&bytes).ok()),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::io(path, e)),
        }
    }

    /// The stored signature of the bytes hashing to `sha256`, if any.
    pub fn signature(&self, sha256: &str) -> Result<Option<Vec<u8>>, StoreError> {
        read_optional(self.layout.signature(sha256))
    }

    /// The stored RFC 3161 answer over `sha256`, if any.
    pub fn timestamp(&self, sha256: &str) -> Result<Option<Vec<u8>>, StoreError> {
        read_optional(self.layout.timestamp(sha256))
    }

    /// The exact stored bytes of a manifest (what its id and signature are of).
    pub fn manifest_bytes(&self, id: &str) -> Result<Vec<u8>, StoreError> {
        let path = self
            .layout
            .manifest(id)
            .ok_or_else(|| StoreError::UnknownSnapshot(id.to_string()))?;
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == ErrorKind::NotFound => {
                return Err(StoreError::UnknownSnapshot(id.to_string()))
            }
            Err(e) => return Err(StoreError::io(path, e)),
        };
        if sha256_hex(&bytes) != id {
            return Err(StoreError::Corrupt {
                path,
                detail: "content does not match its id (run `stet verify`)".to_string(),
            });
        }
        Ok(bytes)
    }

    /// Every manifest id in the store, sorted.
    pub fn manifest_ids(&self) -> Result<Vec<String>, StoreError> {
        let mut ids = Vec::new();
        for (path, name) in list_fanout(&self.layout.manifests_dir())? {
            if let Some(id) = name.strip_suffix(".json").filter(|id| is_sha256_hex(id)) {
                ids.push(id.to_string());
            } else {
                let _ = path;
            }
        }
        ids.sort();
        Ok(ids)
    }
}

fn read_optional(path: Option<PathBuf>) -> Result<Option<Vec<u8>>, StoreError> {
    let Some(path) = path else { return Ok(None) };
    match fs::read(&path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StoreError::io(path, e)),
    }
}

fn check_marker(path: &Path, text: &str) -> Result<(), StoreError> {
    let layout = text
        .lines()
        .find_map(|l| l.strip_prefix("layout "))
        .map(str::trim);
    match layout {
        Some(v) if v == layout::LAYOUT_VERSION.to_string() => Ok(()),
        Some(v) => Err(StoreError::Layout {
            path: path.to_path_buf(),
            found: v.to_string(),
            expected: layout::LAYOUT_VERSION,
        }),
        None => Err(StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: "no `layout N` line".to_string(),
        }),
    }
}

fn parse_id_lines(path: &Path, text: &str) -> Result<Vec<String>, StoreError> {
    text.lines()
        .filter(|l| !l.is_empty())
        .map(|line| {
            if is_sha256_hex(line) {
                Ok(line.to_string())
            } else {
                Err(StoreError::Corrupt {
                    path: path.to_path_buf(),
                    detail: format!("`{}` is not a snapshot id", line.escape_debug()),
                })
            }
        })
        .collect()
}

/// Files of a two-level fan-out directory (`dir/ab/name`), skipping
/// temporary files. Returns `(path, file name)`.
fn list_fanout(dir: &Path) -> Result<Vec<(PathBuf, String)>, StoreError> {
    let mut out = Vec::new();
    let top = match fs::read_dir(dir) {
        Ok(t) => t,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(StoreError::io(dir, e)),
    };
    for sub in top {
        let sub = sub.map_err(|e| StoreError::io(dir, e))?;
        if !sub
            .file_type()
            .map_err(|e| StoreError::io(sub.path(), e))?
            .is_dir()
        {
            continue;
        }
        let sub_path = sub.path();
        for entry in fs::read_dir(&sub_path).map_err(|e| StoreError::io(&sub_path, e))? {
            let entry = entry.map_err(|e| StoreError::io(&sub_path, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(atomic::TEMP_PREFIX) {
                continue;
            }
            out.push((entry.path(), name));
        }
    }
    Ok(out)
}

/// The writing half of the store; holds the lock until its last clone is
/// dropped. Clones may write concurrently from several threads, as long as
/// writes to one target's history are not concurrent (callers serialise
/// per target).
#[derive(Debug, Clone)]
pub struct Writer {
    store: Store,
    _lock: std::sync::Arc<StoreLock>,
}

impl Writer {
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Store bytes as an object (once: identical bytes share one file),
    /// compressed when that pays (see [`codec`]).
    pub fn put_object(&self, bytes: &[u8]) -> Result<ObjectRef, StoreError> {
        let sha256 = sha256_hex(bytes);
        let object = ObjectRef {
            sha256,
            size: bytes.len() as u64,
        };
        if self.store.has_object(&object.sha256) {
            return Ok(object);
        }
        let (path, stored) = self.encoded_object(&object.sha256, bytes)?;
        atomic::create_dirs(path.parent().unwrap_or(self.store.root()))?;
        atomic::create_once(&path, &stored)?;
        Ok(object)
    }

    /// Where an object goes and the bytes that go there: a zstd frame in
    /// `<sha256>.zst` when compression pays, else the raw bytes in
    /// `<sha256>`.
    fn encoded_object<'b>(
        &self,
        sha256: &str,
        bytes: &'b [u8],
    ) -> Result<(PathBuf, std::borrow::Cow<'b, [u8]>), StoreError> {
        let layout = &self.store.layout;
        let missing = || StoreError::MissingObject(sha256.to_string());
        let frame = codec::encode(bytes).map_err(|e| StoreError::Encode(e.to_string()))?;
        Ok(match frame {
            Some(frame) => (layout.object_zst(sha256).ok_or_else(missing)?, frame.into()),
            None => (layout.object(sha256).ok_or_else(missing)?, bytes.into()),
        })
    }

    /// Store a document as a canonical JSON object.
    pub fn put_document(&self, document: &Document) -> Result<ObjectRef, StoreError> {
        let bytes = canonical_json(document).map_err(|e| StoreError::Encode(e.to_string()))?;
        self.put_object(&bytes)
    }

    /// Write a snapshot: its manifest, then the target's history. Returns
    /// the snapshot id. The objects it names must have been put first. The
    /// first snapshot is the reference until one is pinned.
    pub fn commit_snapshot(&self, manifest: &Manifest) -> Result<String, StoreError> {
        let bytes = canonical_json(manifest).map_err(|e| StoreError::Encode(e.to_string()))?;
        let id = sha256_hex(&bytes);
        let layout = &self.store.layout;
        let path = layout
            .manifest(&id)
            .ok_or_else(|| StoreError::UnknownSnapshot(id.clone()))?;
        atomic::create_dirs(path.parent().unwrap_or(self.store.root()))?;
        atomic::create_once(&path, &bytes)?;

        let dir = layout.target_dir(&manifest.target);
        atomic::create_dirs(&dir)?;
        let target_file = dir.join(layout::TARGET_FILE);
        if !target_file.exists() {
            atomic::replace(&target_file, format!("{}\n", manifest.target).as_bytes())?;
        }
        let mut history = self.store.history(&manifest.target)?;
        if !history.contains(&id) {
            history.push(id.clone());
            atomic::replace(
                &dir.join(layout::HISTORY_FILE),
                id_lines(&history).as_bytes(),
            )?;
        }
        // A check recorded against the previous snapshot is stale now (if
        // the removal is lost in a crash, the stale check is harmless).
        match fs::remove_file(dir.join(layout::LAST_CHECK_FILE)) {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(StoreError::io(dir.join(layout::LAST_CHECK_FILE), e)),
        }
        Ok(id)
    }

    /// Store the signature of the bytes hashing to `sha256` (replacing an
    /// older one atomically). Written after what it signs, so a crash
    /// leaves an unsigned record, never a signature of nothing.
    pub fn put_signature(&self, sha256: &str, armored: &[u8]) -> Result<(), StoreError> {
        let path = self
            .store
            .layout
            .signature(sha256)
            .ok_or_else(|| StoreError::UnknownSnapshot(sha256.to_string()))?;
        atomic::create_dirs(path.parent().unwrap_or(self.store.root()))?;
        atomic::replace(&path, armored)
    }

    /// Store an RFC 3161 answer over `sha256`.
    pub fn put_timestamp(&self, sha256: &str, der: &[u8]) -> Result<(), StoreError> {
        let path = self
            .store
            .layout
            .timestamp(sha256)
            .ok_or_else(|| StoreError::UnknownSnapshot(sha256.to_string()))?;
        atomic::create_dirs(path.parent().unwrap_or(self.store.root()))?;
        atomic::replace(&path, der)
    }

    /// Make `id` the reference of its target.
    pub fn set_reference(&self, target: &str, id: &str) -> Result<(), StoreError> {
        let dir = self.store.layout.target_dir(target);
        atomic::create_dirs(&dir)?;
        atomic::replace(
            &dir.join(layout::REFERENCE_FILE),
            format!("{id}\n").as_bytes(),
        )
    }

    /// Record a fetch that found nothing new: one small write in place, no
    /// sync, no rename (a run that changes nothing writes next to nothing;
    /// a crash may lose or tear this hint, which readers then ignore).
    pub fn record_check(&self, target: &str, check: &LastCheck) -> Result<(), StoreError> {
        let dir = self.store.layout.target_dir(target);
        atomic::create_dirs(&dir)?;
        let mut bytes = canonical_json(check).map_err(|e| StoreError::Encode(e.to_string()))?;
        bytes.push(b'\n');
        let path = dir.join(layout::LAST_CHECK_FILE);
        fs::write(&path, &bytes).map_err(|e| StoreError::io(path, e))
    }
}

fn id_lines(ids: &[String]) -> String {
    let mut out = String::with_capacity(ids.len() * 65);
    for id in ids {
        out.push_str(id);
        out.push('\n');
    }
    out
}
