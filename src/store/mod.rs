//! The `store` stage: snapshots on disk as plain, content-addressed files.
//! Only this module reads or writes the store. The layout is documented in
//! [`layout`] and in the README.

pub(crate) mod atomic;
pub mod backend;
pub mod codec;
mod error;
mod group;
pub mod journal;
pub mod layout;
mod leftovers;
pub mod link_cache;
pub mod location;
mod lock;
mod pin;
mod resolve;
#[cfg(feature = "s3")]
pub mod s3;
mod shared;
pub mod state;
mod verify;

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::digest::{canonical_json, is_sha256_hex, sha256_hex};
pub use crate::model::LastCheck;
use crate::model::{Document, Manifest, ObjectRef};

pub use error::StoreError;
pub use group::{NewSnapshot, Recorded};
pub use layout::{target_key, Layout};
pub use location::{Location, LocationError};
pub use lock::{LockMode, StoreLock};
pub use resolve::{Selector, VersionSpec};
pub use state::{Restored, TargetState};
pub use verify::{Problem, Reextracted, VerifyOptions, VerifyReport};

/// Default time a writer waits for another to release the lock.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(30);

/// A snapshot store on disk (or on a shared [`backend::Backend`]), for
/// reading. [`Store::writer`] takes the lock and gives the writing half.
#[derive(Debug, Clone)]
pub struct Store {
    layout: Layout,
    /// `None`: a local directory, `layout.root()`.
    shared: Option<Arc<dyn backend::Backend>>,
}

impl Store {
    /// Open the existing store at `location`.
    pub fn at(location: &Location) -> Result<Store, StoreError> {
        match location {
            Location::Local(root) => Store::open(root),
            Location::S3 { .. } => Store::on_backend(remote(location)?, false),
        }
    }

    /// Open the store at `location`, creating it if needed.
    pub fn at_or_create(location: &Location) -> Result<Store, StoreError> {
        match location {
            Location::Local(root) => Store::open_or_create(root),
            Location::S3 { .. } => Store::on_backend(remote(location)?, true),
        }
    }

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
        Ok(Store {
            layout,
            shared: None,
        })
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
        if self.shared.is_some() {
            // Shared stores need no lock: see `shared`.
            return Ok(Writer {
                store: self.clone(),
                _lock: None,
            });
        }
        let lock = StoreLock::acquire(&self.layout.lock(), LockMode::Exclusive, timeout)?;
        // No other writer now: temporary files older than this moment were
        // left by killed runs (see `leftovers`).
        leftovers::sweep(&self.layout, std::time::SystemTime::now());
        Ok(Writer {
            store: self.clone(),
            _lock: Some(Arc::new(lock)),
        })
    }

    /// Take a shared lock (no writer runs while it is held). Falls back to
    /// no lock at all when the store is read-only.
    pub fn reader_lock(&self, timeout: Duration) -> Result<Option<StoreLock>, StoreError> {
        if self.shared.is_some() {
            return Ok(None);
        }
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
        let (path, bytes) = match self.read(&zst)? {
            Some(frame) => {
                let bytes =
                    codec::decode(&frame, codec::MAX_DECODED).map_err(|e| StoreError::Corrupt {
                        path: zst.clone(),
                        detail: format!("{e} (run `stet verify`)"),
                    })?;
                (zst, bytes)
            }
            None => {
                let path = self.layout.object(sha256).ok_or_else(missing)?;
                match self.read(&path)? {
                    Some(b) => (path, b),
                    None => return Err(missing()),
                }
            }
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
    pub fn has_object(&self, sha256: &str) -> Result<bool, StoreError> {
        for path in [self.layout.object_zst(sha256), self.layout.object(sha256)]
            .into_iter()
            .flatten()
        {
            let found = match self.backend() {
                Some(b) => b.exists(&self.key(&path))?,
                None => path.exists(),
            };
            if found {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Where an object goes and the bytes that go there (see [`Encoded`]), or `None` if it is
    /// stored already (raw or compressed): a zstd frame in `<sha256>.zst`
    /// when compression pays, else the raw bytes in `<sha256>`. One rule
    /// for both backends.
    pub(crate) fn object_to_store<'b>(
        &self,
        sha256: &str,
        bytes: &'b [u8],
    ) -> Result<Option<Encoded<'b>>, StoreError> {
        if self.has_object(sha256)? {
            return Ok(None);
        }
        let missing = || StoreError::MissingObject(sha256.to_string());
        let frame = codec::encode(bytes).map_err(|e| StoreError::Encode(e.to_string()))?;
        Ok(Some(match frame {
            Some(frame) => (
                self.layout.object_zst(sha256).ok_or_else(missing)?,
                frame.into(),
            ),
            None => (
                self.layout.object(sha256).ok_or_else(missing)?,
                bytes.into(),
            ),
        }))
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
        if self.shared.is_some() {
            return self.shared_targets();
        }
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
        let Some(bytes) = self.read(&path)? else {
            return Ok(Vec::new());
        };
        parse_id_lines(&path, &String::from_utf8_lossy(&bytes))
    }

    /// The latest snapshot id of `target`.
    pub fn latest(&self, target: &str) -> Result<Option<String>, StoreError> {
        Ok(self.history(target)?.pop())
    }

    /// The reference snapshot of `target`: the pinned one, else the first.
    /// A pinned id that is not in the target's history (another target's
    /// snapshot) is an error: the audit would compare another page.
    pub fn reference(&self, target: &str) -> Result<Option<String>, StoreError> {
        self.reference_in(target, &self.history(target)?)
    }

    /// [`Self::reference`] of a target whose `history` the caller has read
    /// already.
    pub fn reference_in(
        &self,
        target: &str,
        history: &[String],
    ) -> Result<Option<String>, StoreError> {
        let Some(id) = self.pinned(target)? else {
            return Ok(history.first().cloned());
        };
        // Read again before calling it damage: a snapshot pinned since
        // `history` was read is in the history now.
        let listed = |h: &[String]| h.contains(&id);
        if !listed(history) && !listed(&self.history(target)?) {
            return Err(StoreError::Corrupt {
                path: self.layout.target_dir(target).join(layout::REFERENCE_FILE),
                detail: format!("snapshot {id} is not in the history of {target}"),
            });
        }
        Ok(Some(id))
    }

    /// The id the target's `reference` file names, if it has one (a pin;
    /// not checked against the target's history).
    pub(crate) fn pinned(&self, target: &str) -> Result<Option<String>, StoreError> {
        let path = self.layout.target_dir(target).join(layout::REFERENCE_FILE);
        let Some(bytes) = self.read(&path)? else {
            return Ok(None);
        };
        let text = String::from_utf8_lossy(&bytes);
        let id = reference_id(&text);
        if !is_sha256_hex(id) {
            return Err(StoreError::Corrupt {
                path,
                detail: "not a snapshot id".to_string(),
            });
        }
        Ok(Some(id.to_string()))
    }

    /// The last fetch of `target` that found nothing new, if recorded. A
    /// hint, written without syncing: one a crash tore, or one about a
    /// snapshot that is no longer the latest (another worker's new one
    /// landed after it, on a shared store), reads as none.
    pub fn last_check(&self, target: &str) -> Result<Option<LastCheck>, StoreError> {
        match self.latest(target)? {
            Some(latest) => self.last_check_of(target, &latest),
            None => Ok(None),
        }
    }

    /// [`Self::last_check`] of a target whose latest snapshot the caller
    /// has read already.
    pub fn last_check_of(
        &self,
        target: &str,
        latest: &str,
    ) -> Result<Option<LastCheck>, StoreError> {
        let path = self.layout.target_dir(target).join(layout::LAST_CHECK_FILE);
        Ok(self
            .read(&path)?
            .and_then(|bytes| serde_json::from_slice::<LastCheck>(&bytes).ok())
            .filter(|check| check.snapshot == latest))
    }

    /// The stored signature of the bytes hashing to `sha256`, if any.
    pub fn signature(&self, sha256: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.read_optional(self.layout.signature(sha256))
    }

    /// The stored RFC 3161 answer over `sha256`, if any.
    pub fn timestamp(&self, sha256: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.read_optional(self.layout.timestamp(sha256))
    }

    /// The exact stored bytes of a manifest (what its id and signature are of).
    pub fn manifest_bytes(&self, id: &str) -> Result<Vec<u8>, StoreError> {
        let path = self
            .layout
            .manifest(id)
            .ok_or_else(|| StoreError::UnknownSnapshot(id.to_string()))?;
        let Some(bytes) = self.read(&path)? else {
            return Err(StoreError::UnknownSnapshot(id.to_string()));
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
        for (path, name) in self.list_files(&self.layout.manifests_dir())? {
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

impl Store {
    fn read_optional(&self, path: Option<PathBuf>) -> Result<Option<Vec<u8>>, StoreError> {
        match path {
            Some(path) => self.read(&path),
            None => Ok(None),
        }
    }
}

/// The backend of a store URL.
#[cfg(feature = "s3")]
fn remote(location: &Location) -> Result<Arc<dyn backend::Backend>, StoreError> {
    match location {
        Location::S3 { bucket, prefix } => Ok(Arc::new(s3::S3Backend::from_env(bucket, prefix)?)),
        Location::Local(root) => Err(StoreError::NotADirectory(root.clone())),
    }
}

#[cfg(not(feature = "s3"))]
fn remote(location: &Location) -> Result<Arc<dyn backend::Backend>, StoreError> {
    Err(StoreError::Remote {
        url: location.to_string(),
        detail: "this stet was built without S3 support".to_string(),
    })
}

/// An object's path in the layout and the bytes stored there.
pub(crate) type Encoded<'b> = (PathBuf, std::borrow::Cow<'b, [u8]>);

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

/// The snapshot id of a `reference` file: its first line. (A pin on a
/// shared store writes its place in the journal on a second line; see
/// `pin`.)
fn reference_id(text: &str) -> &str {
    text.lines().next().unwrap_or_default().trim()
}

fn parse_id_lines(path: &Path, text: &str) -> Result<Vec<String>, StoreError> {
    numbered_ids(text)
        .map(|(n, line)| {
            line.map(str::to_string).map_err(|bad| StoreError::Corrupt {
                path: path.to_path_buf(),
                detail: format!("line {n}: `{}` is not a snapshot id", bad.escape_debug()),
            })
        })
        .collect()
}

/// The lines of a file of snapshot ids (a history), numbered from 1: each
/// an id, or the text that is not one. Empty lines are skipped.
fn numbered_ids(text: &str) -> impl Iterator<Item = (usize, Result<&str, &str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.is_empty())
        .map(|(i, l)| (i + 1, if is_sha256_hex(l) { Ok(l) } else { Err(l) }))
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
    /// `None` on a shared store (no lock: see `shared`).
    _lock: Option<Arc<StoreLock>>,
}

impl Writer {
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Store bytes as an object (once: identical bytes share one file),
    /// compressed when that pays (see [`codec`]).
    pub fn put_object(&self, bytes: &[u8]) -> Result<ObjectRef, StoreError> {
        let object = ObjectRef {
            sha256: sha256_hex(bytes),
            size: bytes.len() as u64,
        };
        let Some((path, stored)) = self.store.object_to_store(&object.sha256, bytes)? else {
            return Ok(object);
        };
        if let Some(done) = self.shared_create(&path, &stored) {
            return done.map(|()| object);
        }
        atomic::create_dirs(path.parent().unwrap_or(self.store.root()))?;
        atomic::create_once(&path, &stored)?;
        Ok(object)
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
        let one = NewSnapshot {
            objects: Vec::new(),
            manifest: manifest.clone(),
        };
        if let Some(done) = self.shared_commit(std::slice::from_ref(&one)) {
            return done.and_then(|ids| {
                ids.into_iter()
                    .next()
                    .map(|r| r.id)
                    .ok_or_else(|| StoreError::Encode("snapshot not committed".to_string()))
            });
        }
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
        if let Some(done) = self.shared_put(&path, armored) {
            return done;
        }
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
        if let Some(done) = self.shared_put(&path, der) {
            return done;
        }
        atomic::create_dirs(path.parent().unwrap_or(self.store.root()))?;
        atomic::replace(&path, der)
    }

    /// Make `id` the reference of its target.
    pub fn set_reference(&self, target: &str, id: &str) -> Result<(), StoreError> {
        let dir = self.store.layout.target_dir(target);
        let line = format!("{id}\n");
        if let Some(done) = self.shared_put(&dir.join(layout::REFERENCE_FILE), line.as_bytes()) {
            return done;
        }
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
        if let Some(done) = self.shared_record_check(target, check) {
            return done;
        }
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
