//! The bundled example (`stet.toml`, `fixtures/`, `snapshots/`) copied as a
//! fresh clone has it: what an audit of it writes and git does not keep
//! (journals, the lock; `.gitignore`'s `/snapshots/…` lines) is left behind,
//! whatever has been run in this working tree.

use std::collections::BTreeMap;
use std::path::Path;

/// The repository.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Copy the example into `to` as git keeps it.
pub fn copy_example(to: &Path) {
    for rel in ["stet.toml", "fixtures", "snapshots"] {
        let out = std::process::Command::new("cp")
            .args(["-R", "--"])
            .arg(root().join(rel))
            .arg(to)
            .output()
            .expect("cp");
        assert!(out.status.success(), "cp {rel}");
    }
    let patterns = ignore_patterns();
    let snapshots = to.join("snapshots");
    for rel in files(&snapshots).into_keys() {
        if ignored(&patterns, &format!("snapshots/{rel}")) {
            std::fs::remove_file(snapshots.join(&rel)).expect("remove ignored file");
        }
    }
}

/// `.gitignore`'s lines for the example store (`/snapshots/…`).
pub fn ignore_patterns() -> Vec<String> {
    let gitignore = std::fs::read_to_string(root().join(".gitignore")).expect(".gitignore");
    gitignore
        .lines()
        .filter(|l| l.starts_with("/snapshots/"))
        .map(str::to_string)
        .collect()
}

/// Every file under `dir`, relative to it, with its bytes.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else {
                let rel = p.strip_prefix(dir).expect("under dir");
                out.insert(
                    rel.to_string_lossy().into_owned(),
                    std::fs::read(&p).expect("read file"),
                );
            }
        }
    }
    out
}

/// Whether `path` (relative to the repository) matches a `.gitignore` line
/// of the form `/a/*/b` (the only form the example's lines take).
pub fn ignored(patterns: &[String], path: &str) -> bool {
    patterns.iter().any(|p| {
        let parts: Vec<&str> = p.trim_start_matches('/').split('/').collect();
        let segs: Vec<&str> = path.split('/').collect();
        parts.len() == segs.len() && parts.iter().zip(&segs).all(|(p, s)| *p == "*" || p == s)
    })
}
