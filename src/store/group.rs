//! Group commit: many snapshots made durable together. The single-snapshot
//! path ([`Writer::commit_snapshot`]) syncs every file and directory it
//! touches (about ten fsyncs a snapshot); a group pays three flushes of the
//! whole file system, however many snapshots it holds:
//!
//! 1. every new file (objects, manifests, target names, the new histories)
//!    is written under a temporary name; **flush**;
//! 2. objects, manifests and target names get their final names; **flush**;
//! 3. the histories replace the old ones; **flush**.
//!
//! A crash at any point leaves the previous histories, or the new ones
//! naming only files that were durable before them; a final name is never
//! given to bytes that could still be lost. Leftovers are `.tmp-*` files,
//! which readers and `verify` skip.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use tempfile::TempPath;

use super::atomic::TEMP_PREFIX;
use super::{layout, StoreError, Writer};
use crate::digest::{canonical_json, sha256_hex};
use crate::model::{Manifest, ObjectRef};

/// A snapshot to commit: the objects its manifest names, with their bytes.
/// The caller computed each [`ObjectRef`] from those bytes.
#[derive(Debug, Clone)]
pub struct NewSnapshot {
    pub objects: Vec<(ObjectRef, Vec<u8>)>,
    pub manifest: Manifest,
}

/// What a group commit recorded for one snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The id in the target's history.
    pub id: String,
    /// On a shared store, another worker recorded the same capture first
    /// (the history already ends at it): nothing was added for this one.
    pub by_another: bool,
}

impl Recorded {
    pub(super) fn own(id: String) -> Recorded {
        Recorded {
            id,
            by_another: false,
        }
    }
}

/// A file written under a temporary name, waiting for its final one.
pub(super) struct Staged {
    pub(super) tmp: TempPath,
    pub(super) path: PathBuf,
}

impl Writer {
    /// Commit `snapshots` together (in order: a target's later snapshot may
    /// follow its earlier one in the same group). Returns what each became;
    /// once this returns, every one of them is durable.
    pub fn commit_group(&self, snapshots: &[NewSnapshot]) -> Result<Vec<Recorded>, StoreError> {
        if let Some(done) = self.shared_commit(snapshots) {
            return done;
        }
        let layout = &self.store.layout;
        let mut created = BTreeSet::new();
        let mut content = Vec::new();
        let mut staged_names = BTreeSet::new();
        let mut staged_objects = BTreeSet::new();
        let mut histories: BTreeMap<String, (PathBuf, Vec<String>, bool)> = BTreeMap::new();
        let mut ids = Vec::with_capacity(snapshots.len());
        for snapshot in snapshots {
            for (object, bytes) in &snapshot.objects {
                // Raw or compressed, an object is stored once.
                if !staged_objects.insert(object.sha256.clone()) {
                    continue;
                }
                let Some((path, stored)) = self.store.object_to_store(&object.sha256, bytes)?
                else {
                    continue;
                };
                stage_once(path, &stored, &mut created, &mut staged_names, &mut content)?;
            }
            let manifest = &snapshot.manifest;
            let bytes = canonical_json(manifest).map_err(|e| StoreError::Encode(e.to_string()))?;
            let id = sha256_hex(&bytes);
            let path = layout
                .manifest(&id)
                .ok_or_else(|| StoreError::UnknownSnapshot(id.clone()))?;
            stage_once(path, &bytes, &mut created, &mut staged_names, &mut content)?;

            let dir = layout.target_dir(&manifest.target);
            let target_file = dir.join(layout::TARGET_FILE);
            let name = format!("{}\n", manifest.target);
            stage_once(
                target_file,
                name.as_bytes(),
                &mut created,
                &mut staged_names,
                &mut content,
            )?;
            let entry = match histories.entry(manifest.target.clone()) {
                std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::btree_map::Entry::Vacant(e) => {
                    let history = self.store.history(&manifest.target)?;
                    e.insert((dir, history, false))
                }
            };
            if !entry.1.contains(&id) {
                entry.1.push(id.clone());
                entry.2 = true;
            }
            ids.push(id);
        }
        let mut new_histories = Vec::new();
        for (dir, history, changed) in histories.into_values() {
            if changed {
                let path = dir.join(layout::HISTORY_FILE);
                new_histories.push(stage(path, super::id_lines(&history).as_bytes())?);
            }
        }
        if content.is_empty() && new_histories.is_empty() {
            return Ok(ids.into_iter().map(Recorded::own).collect());
        }
        self.flush()?;
        for staged in content {
            match staged.tmp.persist_noclobber(&staged.path) {
                Ok(()) => {}
                // Content-addressed: an existing file has these very bytes.
                Err(e) if e.error.kind() == ErrorKind::AlreadyExists => {}
                Err(e) => return Err(StoreError::io(&staged.path, e.error)),
            }
        }
        self.flush()?;
        for staged in new_histories {
            let dir = staged.path.parent().map(Path::to_path_buf);
            staged
                .tmp
                .persist(&staged.path)
                .map_err(|e| StoreError::io(&staged.path, e.error))?;
            // A check recorded against the previous snapshot is stale now.
            if let Some(dir) = dir {
                let check = dir.join(layout::LAST_CHECK_FILE);
                match fs::remove_file(&check) {
                    Ok(()) => {}
                    Err(e) if e.kind() == ErrorKind::NotFound => {}
                    Err(e) => return Err(StoreError::io(check, e)),
                }
            }
        }
        self.flush()?;
        Ok(ids.into_iter().map(Recorded::own).collect())
    }

    /// Make everything written so far durable.
    pub(super) fn flush(&self) -> Result<(), StoreError> {
        let root = self.store.root();
        let dir = fs::File::open(root).map_err(|e| StoreError::io(root, e))?;
        rustix::fs::syncfs(&dir).map_err(|e| StoreError::io(root, e.into()))
    }
}

/// Stage a content-named file unless it exists (or is staged) already.
fn stage_once(
    path: PathBuf,
    bytes: &[u8],
    created: &mut BTreeSet<PathBuf>,
    staged_names: &mut BTreeSet<PathBuf>,
    out: &mut Vec<Staged>,
) -> Result<(), StoreError> {
    if staged_names.contains(&path) || path.exists() {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        create_dirs(dir, created)?;
    }
    staged_names.insert(path.clone());
    out.push(stage(path, bytes)?);
    Ok(())
}

/// Write `bytes` to a temporary file next to `path` (not yet synced).
pub(super) fn stage(path: PathBuf, bytes: &[u8]) -> Result<Staged, StoreError> {
    let dir = path
        .parent()
        .ok_or_else(|| StoreError::io(&path, std::io::Error::other("no parent directory")))?;
    let mut tmp =
        super::atomic::temp_file_in(dir, TEMP_PREFIX).map_err(|e| StoreError::io(dir, e))?;
    // Through the file itself (see `atomic::write`): the error names the
    // path once.
    tmp.as_file_mut()
        .write_all(bytes)
        .map_err(|e| StoreError::io(tmp.path(), e))?;
    Ok(Staged {
        tmp: tmp.into_temp_path(),
        path,
    })
}

/// Create `dir` and its missing parents (made durable by the next flush).
fn create_dirs(dir: &Path, created: &mut BTreeSet<PathBuf>) -> Result<(), StoreError> {
    if created.contains(dir) || dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
    created.insert(dir.to_path_buf());
    Ok(())
}
