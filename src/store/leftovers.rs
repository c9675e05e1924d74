//! Temporary files a killed writer left behind (`.tmp-*`, see `atomic`):
//! where they can be (for `verify`, which notes them), and their removal
//! by the next writer of a local store.
//!
//! A temporary file lives only while its writer writes: every writer holds
//! the store's exclusive lock, and a temporary file it does not rename is
//! removed when it is dropped. So a temporary file older than the moment a
//! writer took the lock belongs to no live writer: it was left by one that
//! was killed. The one exception is the store's marker, written before any
//! lock exists: a temporary file beside it is removed only once it is
//! [`ROOT_GRACE`] old, longer than any creation of a store takes.
//!
//! Only stet's own temporary files are removed: regular files (not
//! directories, not links) named as `tempfile` names them with stet's
//! prefix, `.tmp-` and six letters or digits, in the store's own
//! directories.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::atomic::TEMP_PREFIX;
use super::layout::Layout;

/// How old a temporary file at the store's root must be to be removed.
pub const ROOT_GRACE: Duration = Duration::from_secs(600);

/// Random characters `tempfile` puts after the prefix.
const RANDOM_LEN: usize = 6;

/// Every entry of the store's directories whose name starts with the
/// temporary prefix, sorted.
pub(super) fn temp_files(layout: &Layout) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in directories(layout) {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        out.extend(
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().starts_with(TEMP_PREFIX))
                .map(|e| e.path()),
        );
    }
    out.sort();
    out
}

/// Remove the temporary files no live writer can own: those last written
/// before `since`, the moment the caller took the exclusive lock. Returns
/// how many were removed. Best effort: a file that cannot be removed stays
/// (and `verify` notes it).
pub(super) fn sweep(layout: &Layout, since: SystemTime) -> usize {
    let mut removed = 0;
    for path in temp_files(layout) {
        let Ok(meta) = fs::symlink_metadata(&path) else {
            continue;
        };
        let at_root = path.parent() == Some(layout.root());
        let abandoned = meta.modified().is_ok_and(|m| {
            m < since && (!at_root || since.duration_since(m).unwrap_or_default() >= ROOT_GRACE)
        });
        if meta.file_type().is_file()
            && is_ours(&path)
            && abandoned
            && fs::remove_file(&path).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

/// Whether `path` is named as stet's temporary files are.
fn is_ours(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.strip_prefix(TEMP_PREFIX).is_some_and(|rest| {
        rest.len() == RANDOM_LEN && rest.bytes().all(|b| b.is_ascii_alphanumeric())
    })
}

/// The directories stet writes files in: the root, the link cache's, the
/// targets' and each target's, and each fan-out directory.
fn directories(layout: &Layout) -> Vec<PathBuf> {
    let root = layout.root();
    let mut dirs = vec![
        root.to_path_buf(),
        root.join(super::link_cache::LINKS_DIR),
        layout.targets_dir(),
    ];
    let subdirs = |dir: &Path| -> Vec<PathBuf> {
        let Ok(entries) = fs::read_dir(dir) else {
            return Vec::new();
        };
        entries
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .map(|e| e.path())
            .collect()
    };
    dirs.extend(subdirs(&layout.targets_dir()));
    for fan in [
        layout.objects_dir(),
        layout.manifests_dir(),
        layout.signatures_dir(),
        layout.timestamps_dir(),
    ] {
        dirs.extend(subdirs(&fan));
    }
    dirs
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file at `path`, last written `age` ago.
    fn file(path: &Path, age: Duration) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        let f = fs::File::create(path)?;
        f.set_modified(SystemTime::now() - age)?;
        Ok(())
    }

    #[test]
    fn only_stets_abandoned_temporary_files_go() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let layout = Layout::new(dir.path());
        let hour = Duration::from_secs(3600);
        let old = [
            "objects/ab/.tmp-AbC123",
            "manifests/cd/.tmp-x1y2z3",
            "targets/a-0123456789abcdef/.tmp-Qq0Ww9",
            "links/.tmp-llllll",
            ".tmp-rooted",
        ];
        let kept = [
            // Not named as stet names them.
            "objects/ab/.tmp-AbC123.json",
            "objects/ab/.tmp-ab",
            "objects/ab/x.tmp-abcdef",
            // Somewhere stet does not write.
            "elsewhere/.tmp-abcdef",
            "objects/ab/deeper/.tmp-abcdef",
        ];
        for p in old.iter().chain(&kept) {
            file(&dir.path().join(p), hour)?;
        }
        // Written after the lock was taken, or at the root too recently.
        file(&dir.path().join("objects/ab/.tmp-fresh1"), Duration::ZERO)?;
        file(&dir.path().join(".tmp-young1"), Duration::from_secs(60))?;
        // A directory and a link with a temporary file's name.
        fs::create_dir_all(dir.path().join("objects/ab/.tmp-dir123"))?;
        std::os::unix::fs::symlink(
            dir.path().join("elsewhere/.tmp-abcdef"),
            dir.path().join("objects/ab/.tmp-lnk123"),
        )?;
        let since = SystemTime::now() - Duration::from_secs(1);
        assert_eq!(sweep(&layout, since), old.len());
        for p in old {
            assert!(!dir.path().join(p).exists(), "{p} stayed");
        }
        for p in kept.iter().chain(&[
            "objects/ab/.tmp-fresh1",
            ".tmp-young1",
            "objects/ab/.tmp-dir123",
            "objects/ab/.tmp-lnk123",
        ]) {
            assert!(
                fs::symlink_metadata(dir.path().join(p)).is_ok(),
                "{p} was removed"
            );
        }
        Ok(())
    }
}
