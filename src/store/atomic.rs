//! Atomic file writes: a temporary file in the same directory, fsync,
//! rename, fsync the directory. A crash leaves either the old file or the
//! new one, never a mix; leftovers are `.tmp-*` files that readers ignore
//! and the next writer removes (see `leftovers`).

use std::fs::{self, File};

use std::io::Write;
use std::path::Path;

use super::StoreError;

/// Prefix of temporary files; `verify` and listings skip them.
pub const TEMP_PREFIX: &str = ".tmp-";

/// Write `bytes` to `path`, replacing it atomically.
pub fn replace(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    write(path, bytes, true).map(|_| ())
}

/// Write `bytes` to `path` unless it exists already (content-addressed
/// files: the existing file has the same name, hence the same content).
/// Returns whether a new file was written.
pub fn create_once(path: &Path, bytes: &[u8]) -> Result<bool, StoreError> {
    if path.exists() {
        return Ok(false);
    }
    write(path, bytes, false)
}

/// A new temporary file in `dir`, named `prefix` and six random letters or
/// digits. A failure is the system's own error, as for any file: `tempfile`
/// adds the temporary file's name to it, which the caller's error (naming
/// the file it was for) would only repeat.
pub(crate) fn temp_file_in(dir: &Path, prefix: &str) -> std::io::Result<tempfile::NamedTempFile> {
    tempfile::Builder::new()
        .prefix(prefix)
        .tempfile_in(dir)
        .map_err(|e| {
            // `tempfile` keeps the system's error private, in a message of
            // its own: "{error} at path {name:?}".
            let text = e.to_string();
            match text.split_once(" at path \"") {
                Some((error, _)) => std::io::Error::new(e.kind(), error.to_string()),
                None => e,
            }
        })
}

fn write(path: &Path, bytes: &[u8], overwrite: bool) -> Result<bool, StoreError> {
    // The caller has created the directory (see `create_dirs`).
    let dir = path
        .parent()
        .ok_or_else(|| StoreError::io(path, std::io::Error::other("no parent directory")))?;
    let mut tmp = temp_file_in(dir, TEMP_PREFIX).map_err(|e| StoreError::io(dir, e))?;
    // Through the file itself: the temporary file's own writer names its
    // path in the error again, and the store's error names it once.
    tmp.as_file_mut()
        .write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| StoreError::io(tmp.path(), e))?;
    let written = if overwrite {
        tmp.persist(path)
            .map_err(|e| StoreError::io(path, e.error))?;
        true
    } else {
        match tmp.persist_noclobber(path) {
            Ok(_) => true,
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => false,
            Err(e) => return Err(StoreError::io(path, e.error)),
        }
    };
    sync_dir(dir)?;
    Ok(written)
}

/// fsync a directory so a rename in it is durable.
pub fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| StoreError::io(dir, e))
}

/// Create `dir` and its missing parents, syncing each new one's parent.
pub fn create_dirs(dir: &Path) -> Result<(), StoreError> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent() {
        create_dirs(parent)?;
    }
    match fs::create_dir(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(StoreError::io(dir, e)),
    }
    if let Some(parent) = dir.parent() {
        if !parent.as_os_str().is_empty() {
            sync_dir(parent)?;
        }
    }
    Ok(())
}
