//! A store shared by many machines on a [`Backend`] (S3-compatible
//! storage), without a lock server:
//!
//! - objects, manifests and target names are written create-only
//!   (`If-None-Match: *`): they are named by their content, so an existing
//!   one is the same bytes and counts as written;
//! - each target's history and journal is updated by compare-and-swap on
//!   its ETag (`If-Match`), re-read and retried on conflict: two workers
//!   that snapshot one target at once both land, in some order, and no
//!   entry is lost or duplicated; a swap refused because its own write
//!   landed and the answer was lost (then retried) counts as written, told
//!   from another writer's by the writer tag each swap sets (see
//!   [`super::s3`]);
//! - a history names a manifest only after the manifest and its objects are
//!   stored, so a worker killed mid-write leaves unlisted objects at worst.
//!
//! - a pin is a journal line then the reference, both by compare-and-swap
//!   (see [`super::pin`]); the link cache is merged by compare-and-swap
//!   (see [`super::link_cache`]);
//! - `last-check` is a hint: one plain PUT per capture that found nothing
//!   new (the last writer wins; either is true), none per new snapshot.
//!   It names the snapshot it matched and is ignored once that is not the
//!   latest.
//! - signatures and timestamps are plain PUTs named by what they cover: a
//!   replaced one covers the same bytes.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::backend::{self, Backend};
use super::layout::{self, is_target_key};
use super::{
    check_marker, id_lines, parse_id_lines, NewSnapshot, Recorded, Store, StoreError, Writer,
};
use crate::digest::{canonical_json, sha256_hex};
use crate::model::LastCheck;

impl Store {
    /// Open the store on `backend` (`create`: make it if it has no marker).
    pub fn on_backend(backend: Arc<dyn Backend>, create: bool) -> Result<Store, StoreError> {
        let root = PathBuf::from(backend.url(""));
        let marker = match backend.get(layout::MARKER)? {
            Some(m) => Some(m.bytes),
            None if create => {
                // Not empty: another worker's new store (its marker is there
                // now), or something else, not to be written into.
                if !backend.list("")?.is_empty() && !backend.exists(layout::MARKER)? {
                    return Err(StoreError::NotAStore(root));
                }
                let text = format!("stet store\nlayout {}\n", layout::LAYOUT_VERSION);
                backend.create(layout::MARKER, text.as_bytes())?;
                backend.get(layout::MARKER)?.map(|m| m.bytes)
            }
            None => None,
        };
        let Some(marker) = marker else {
            // No store made yet, or no bucket, or no S3 server there at
            // all: a listing tells them apart (the error is its own).
            backend.list_dirs("")?;
            return Err(StoreError::Missing(root));
        };
        let marker_path = root.join(layout::MARKER);
        check_marker(&marker_path, &String::from_utf8_lossy(&marker))?;
        Ok(Store {
            layout: super::Layout::new(root),
            shared: Some(backend),
        })
    }

    /// The backend of a shared store; `None` for a local directory.
    pub(crate) fn backend(&self) -> Option<&dyn Backend> {
        self.shared.as_deref()
    }

    /// The key of a layout path (relative to the store's root).
    pub(super) fn key(&self, path: &Path) -> String {
        let rel = path.strip_prefix(self.layout.root()).unwrap_or(path);
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// The bytes at a layout path; `None` when absent.
    pub(crate) fn read(&self, path: &Path) -> Result<Option<Vec<u8>>, StoreError> {
        match self.backend() {
            Some(b) => Ok(b.get(&self.key(path))?.map(|v| v.bytes)),
            None => match std::fs::read(path) {
                Ok(b) => Ok(Some(b)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(StoreError::io(path, e)),
            },
        }
    }

    /// Files of a two-level fan-out directory (`dir/ab/name`) as
    /// `(path, file name)`.
    pub(crate) fn list_files(&self, dir: &Path) -> Result<Vec<(PathBuf, String)>, StoreError> {
        let Some(b) = self.backend() else {
            return super::list_fanout(dir);
        };
        let prefix = format!("{}/", self.key(dir));
        Ok(b.list(&prefix)?
            .into_iter()
            .filter_map(|key| {
                let rest = key.strip_prefix(&prefix)?;
                let (_, name) = rest.split_once('/')?;
                Some((self.layout.root().join(&key), name.to_string()))
            })
            .collect())
    }

    /// Names of the files directly in `dir` of a shared store (`None`: a
    /// local directory, read by the caller).
    pub(crate) fn file_names(&self, dir: &Path) -> Option<Result<Vec<String>, StoreError>> {
        let b = self.backend()?;
        let prefix = format!("{}/", self.key(dir));
        Some(b.list(&prefix).map(|keys| {
            keys.iter()
                .filter_map(|k| k.strip_prefix(&prefix))
                .filter(|rest| !rest.contains('/'))
                .map(str::to_string)
                .collect()
        }))
    }

    /// Each target directory of the store, sorted.
    pub(crate) fn target_dirs(&self) -> Result<Vec<PathBuf>, StoreError> {
        let dir = self.layout.targets_dir();
        let Some(b) = self.backend() else {
            let mut dirs = match std::fs::read_dir(&dir) {
                Ok(e) => e
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .collect::<Vec<_>>(),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
                Err(e) => return Err(StoreError::io(dir, e)),
            };
            dirs.sort();
            return Ok(dirs);
        };
        Ok(b.list_dirs(&format!("{}/", self.key(&dir)))?
            .into_iter()
            .map(|k| self.layout.root().join(k.trim_end_matches('/')))
            .collect())
    }

    /// Every target of a shared store, sorted.
    pub(crate) fn shared_targets(&self) -> Result<Vec<String>, StoreError> {
        let mut targets = Vec::new();
        for dir in self.target_dirs()? {
            let named = dir
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(is_target_key);
            if !named {
                continue;
            }
            if let Some(bytes) = self.read(&dir.join(layout::TARGET_FILE))? {
                targets.push(
                    String::from_utf8_lossy(&bytes)
                        .trim_end_matches('\n')
                        .to_string(),
                );
            }
        }
        targets.sort();
        Ok(targets)
    }
}

impl Writer {
    fn shared(&self) -> Option<(&dyn Backend, &Store)> {
        self.store.backend().map(|b| (b, &self.store))
    }

    /// Create the bytes at a layout path unless it exists (`None`: not a
    /// shared store).
    pub(crate) fn shared_create(
        &self,
        path: &Path,
        bytes: &[u8],
    ) -> Option<Result<(), StoreError>> {
        let (b, store) = self.shared()?;
        Some(b.create(&store.key(path), bytes).map(|_| ()))
    }

    /// Commit `snapshots` to a shared store: every object, manifest and
    /// target name (create-only, many at once), then each target's history
    /// by compare-and-swap. Returns what each became, in order.
    pub(crate) fn shared_commit(
        &self,
        snapshots: &[NewSnapshot],
    ) -> Option<Result<Vec<Recorded>, StoreError>> {
        let (b, store) = self.shared()?;
        Some(commit(b, store, snapshots))
    }

    /// Replace the bytes at a layout path (`None`: not a shared store).
    pub(crate) fn shared_put(&self, path: &Path, bytes: &[u8]) -> Option<Result<(), StoreError>> {
        let (b, store) = self.shared()?;
        Some(b.put(&store.key(path), bytes))
    }

    pub(crate) fn shared_record_check(
        &self,
        target: &str,
        check: &LastCheck,
    ) -> Option<Result<(), StoreError>> {
        let path = self
            .store
            .layout
            .target_dir(target)
            .join(layout::LAST_CHECK_FILE);
        let mut bytes = match canonical_json(check) {
            Ok(b) => b,
            Err(e) => return Some(Err(StoreError::Encode(e.to_string()))),
        };
        bytes.push(b'\n');
        self.shared_put(&path, &bytes)
    }

    /// Read-modify-write of a target's file by compare-and-swap, the
    /// target's name written first (`None`: not a shared store).
    pub(crate) fn shared_update<T>(
        &self,
        target: &str,
        file: &str,
        change: impl FnMut(Option<&[u8]>) -> Result<(Option<Vec<u8>>, T), StoreError>,
    ) -> Option<Result<T, StoreError>> {
        let (b, store) = self.shared()?;
        let dir = store.layout.target_dir(target);
        let name = store.key(&dir.join(layout::TARGET_FILE));
        let key = store.key(&dir.join(file));
        Some(
            b.create(&name, format!("{target}\n").as_bytes())
                .and_then(|_| backend::update(b, &key, change)),
        )
    }
}

fn commit(
    b: &dyn Backend,
    store: &Store,
    snapshots: &[NewSnapshot],
) -> Result<Vec<Recorded>, StoreError> {
    let layout = &store.layout;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut ids = Vec::with_capacity(snapshots.len());
    let mut wanted: Vec<(&str, &[u8])> = snapshots
        .iter()
        .flat_map(|s| &s.objects)
        .map(|(object, bytes)| (object.sha256.as_str(), &bytes[..]))
        .collect();
    wanted.sort();
    wanted.dedup_by(|a, b| a.0 == b.0);
    // Raw or compressed, as on a local store: looked up and encoded at once.
    let encoded = crate::parallel::map(
        &wanted,
        PARALLEL_HISTORIES,
        0,
        |_| 1,
        |(sha256, bytes)| store.object_to_store(sha256, bytes),
    );
    let mut objects: Vec<(String, std::borrow::Cow<[u8]>)> = Vec::new();
    for found in encoded {
        if let Some((path, stored)) = found? {
            objects.push((store.key(&path), stored));
        }
    }
    for snapshot in snapshots {
        let manifest = &snapshot.manifest;
        let bytes = canonical_json(manifest).map_err(|e| StoreError::Encode(e.to_string()))?;
        let id = sha256_hex(&bytes);
        let path = layout
            .manifest(&id)
            .ok_or_else(|| StoreError::UnknownSnapshot(id.clone()))?;
        files.push((store.key(&path), bytes));
        let name = layout
            .target_dir(&manifest.target)
            .join(layout::TARGET_FILE);
        files.push((
            store.key(&name),
            format!("{}\n", manifest.target).into_bytes(),
        ));
        ids.push(id);
    }
    // Objects first, then the manifests naming them: a writer killed in
    // between leaves unnamed objects, never a manifest without its objects.
    let objects: Vec<(String, &[u8])> = objects.iter().map(|(k, v)| (k.clone(), &v[..])).collect();
    b.create_all(&objects)?;
    files.sort();
    files.dedup_by(|a, b| a.0 == b.0);
    let items: Vec<(String, &[u8])> = files.iter().map(|(k, v)| (k.clone(), &v[..])).collect();
    b.create_all(&items)?;
    // Histories only now: they name nothing that is not stored. Targets
    // differ within a group (the pipeline holds each until committed):
    // their histories are updated at once.
    let pairs: Vec<(&NewSnapshot, &String)> = snapshots.iter().zip(&ids).collect();
    let targets: std::collections::BTreeSet<&str> = snapshots
        .iter()
        .map(|s| s.manifest.target.as_str())
        .collect();
    let threads = if targets.len() == snapshots.len() {
        PARALLEL_HISTORIES
    } else {
        1
    };
    crate::parallel::map(
        &pairs,
        threads,
        0,
        |_| 1,
        |(snapshot, id)| record(b, store, snapshot, id),
    )
    .into_iter()
    .collect()
}

/// Histories updated at once by one group commit.
const PARALLEL_HISTORIES: usize = 16;

/// Append `id` (the id of `snapshot`'s manifest) to its target's history
/// by compare-and-swap; returns what was recorded. Another worker's
/// capture of the same response, there first, is recorded `by_another`
/// (even one with this very id: two fetches in the same second of the
/// same bytes make the same manifest), so one worker reports it new.
fn record(
    b: &dyn Backend,
    store: &Store,
    snapshot: &NewSnapshot,
    id: &String,
) -> Result<Recorded, StoreError> {
    let layout = &store.layout;
    let dir = layout.target_dir(&snapshot.manifest.target);
    let key = store.key(&dir.join(layout::HISTORY_FILE));
    let path = dir.join(layout::HISTORY_FILE);
    let by_another = |id: String| Recorded {
        id,
        by_another: true,
    };
    // Manifests this writer made (its own, and each re-parented one) and
    // the history as the last attempt read it.
    let mut made = vec![id.clone()];
    let mut seen = Vec::new();
    let recorded = backend::update(b, &key, |current| {
        let mut history = match current {
            Some(bytes) => parse_id_lines(&path, &String::from_utf8_lossy(bytes))?,
            None => Vec::new(),
        };
        if history.contains(id) {
            seen = history;
            return Ok((None, by_another(id.clone())));
        }
        let id = match rebase(b, store, &snapshot.manifest, history.last())? {
            Rebased::Same => id.clone(),
            Rebased::Unchanged(head) => {
                seen = history;
                return Ok((None, by_another(head)));
            }
            Rebased::New(id) => {
                made.push(id.clone());
                id
            }
        };
        history.push(id.clone());
        seen = history.clone();
        Ok((Some(id_lines(&history).into_bytes()), Recorded::own(id)))
    })?;
    // A manifest made here and not in the history: its parent is no longer
    // the head of a history that only grows, so nothing will ever list it.
    // Taken away, so that `verify` does not note it as an interrupted
    // snapshot (left, a note, where the bucket refuses deletes).
    for unlisted in made.iter().filter(|m| !seen.contains(m)) {
        if let Some(path) = layout.manifest(unlisted) {
            let _ = b.delete(&store.key(&path));
        }
    }
    // A check recorded against the previous snapshot is stale now; it is
    // left for the next one to replace: it names that snapshot, which
    // readers ignore once it is not the latest (no request per snapshot).
    Ok(recorded)
}

/// What a manifest becomes when its target's history has moved on since
/// it was made (another worker snapshotted the target meanwhile).
enum Rebased {
    /// The history still ends at the manifest's parent.
    Same,
    /// The new head captured the same response: nothing to add.
    Unchanged(String),
    /// Re-parented onto the new head and stored under this id.
    New(String),
}

fn rebase(
    b: &dyn Backend,
    store: &Store,
    manifest: &crate::model::Manifest,
    head: Option<&String>,
) -> Result<Rebased, StoreError> {
    if head == manifest.parent.as_ref() {
        return Ok(Rebased::Same);
    }
    if let Some(head) = head {
        let current = store.manifest(head)?;
        if current.body.sha256 == manifest.body.sha256
            && current.document.sha256 == manifest.document.sha256
            && current.fetch.status == manifest.fetch.status
            && current.fetch.final_url == manifest.fetch.final_url
        {
            return Ok(Rebased::Unchanged(head.clone()));
        }
    }
    let mut moved = manifest.clone();
    moved.parent = head.cloned();
    let bytes = canonical_json(&moved).map_err(|e| StoreError::Encode(e.to_string()))?;
    let id = sha256_hex(&bytes);
    let path = store
        .layout
        .manifest(&id)
        .ok_or_else(|| StoreError::UnknownSnapshot(id.clone()))?;
    b.create(&store.key(&path), &bytes)?;
    Ok(Rebased::New(id))
}

#[cfg(all(test, feature = "s3"))]
mod tests {
    use super::*;
    use crate::store::journal::PinRecord;
    use crate::store::s3::S3Backend;

    #[test]
    fn concurrent_journal_writers_lose_nothing() -> Result<(), Box<dyn std::error::Error>> {
        let backend: Arc<dyn Backend> = Arc::new(S3Backend::in_memory("j")?);
        let store = Store::on_backend(backend, true)?;
        let writer = store.writer(std::time::Duration::ZERO)?;
        let id = sha256_hex(b"a snapshot");
        std::thread::scope(|s| {
            for worker in 0..8 {
                let writer = writer.clone();
                let id = id.clone();
                s.spawn(move || {
                    for n in 0..5 {
                        let pin = PinRecord {
                            at: format!("2026-12-02T00:00:{worker}{n}Z"),
                            by: Some(format!("worker {worker}")),
                            reference: id.clone(),
                            previous: None,
                            note: None,
                        };
                        if let Err(e) = writer.record_pin("https://example.com/a", pin) {
                            panic!("worker {worker}: {e}");
                        }
                    }
                });
            }
        });
        let journal = store.journal("https://example.com/a")?;
        let mut times: Vec<String> = journal.pins().iter().map(|p| p.at.clone()).collect();
        times.sort();
        times.dedup();
        assert_eq!(times.len(), 40);
        assert_eq!(store.targets()?, vec!["https://example.com/a".to_string()]);
        Ok(())
    }

    #[test]
    fn a_prefix_with_foreign_keys_is_not_taken() -> Result<(), Box<dyn std::error::Error>> {
        let backend: Arc<dyn Backend> = Arc::new(S3Backend::in_memory("f")?);
        backend.put("photos/cat.jpg", b"meow")?;
        assert!(matches!(
            Store::on_backend(backend.clone(), true),
            Err(StoreError::NotAStore(_))
        ));
        assert!(matches!(
            Store::on_backend(backend, false),
            Err(StoreError::Missing(_))
        ));
        Ok(())
    }
}
