//! Running the real `stet` binary against a store, and looking at the store.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub type Json = serde_json::Value;

/// The `stet` binary with `--store STORE`, a clean environment (no `STET_*`,
/// no forced colour), run from the store's parent directory (so no
/// `stet.toml` of the repository is picked up).
pub fn stet(store: &Path) -> Command {
    let mut cmd = Command::cargo_bin("stet").expect("the stet binary is built");
    cmd.env_remove("STET_STORE")
        .env_remove("STET_NOW")
        .env_remove("CLICOLOR_FORCE")
        .current_dir(
            store
                .ancestors()
                .skip(1)
                .find(|p| p.is_dir())
                .unwrap_or(Path::new("/")),
        )
        .arg("--store")
        .arg(store)
        .timeout(std::time::Duration::from_secs(60));
    cmd
}

/// Files under `store/<part>` (`objects` or `manifests`), sorted, skipping
/// temporary files.
/// The bytes of object `sha` in `store`: `objects/ab/<sha>.zst` decoded
/// (a compressed object), else `objects/ab/<sha>` as it is.
pub fn read_object(store: &Path, sha: &str) -> Vec<u8> {
    let dir = store.join("objects").join(&sha[..2]);
    match std::fs::read(dir.join(format!("{sha}.zst"))) {
        Ok(frame) => stet::store::codec::decode(&frame, 1 << 30).unwrap(),
        Err(_) => std::fs::read(dir.join(sha)).unwrap(),
    }
}

pub fn store_files(store: &Path, part: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(fans) = std::fs::read_dir(store.join(part)) else {
        return out;
    };
    for fan in fans.flatten() {
        let Ok(files) = std::fs::read_dir(fan.path()) else {
            continue;
        };
        for f in files.flatten() {
            if !f.file_name().to_string_lossy().starts_with(".tmp-") {
                out.push(f.path());
            }
        }
    }
    out.sort();
    out
}

/// Fails the test with stet's stderr unless `out` is a success.
#[track_caller]
pub fn assert_ok(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
