//! The bundled example (`stet.toml`, `fixtures/`, `snapshots/`) stays sound:
//! the store verifies, re-extraction gives the stored documents (so a change
//! of extraction output without `fixtures/make-example-store.sh` fails
//! here).

mod common;

use std::path::Path;

use common::{stet, Json};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn bundled_store_verifies_with_reextraction() {
    let out = stet(&root().join("snapshots"))
        .current_dir(root())
        .args(["verify", "--reextract", "--format", "json"])
        .output()
        .expect("run stet");
    let v: Json = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["intact"], true, "{}", v["problems"]);
    assert_eq!(v["reextracted"], 4);
    assert_eq!(v["targets"], 2);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn bundled_store_history_is_the_documented_one() {
    let url = "https://www.rightsmonitor.example/2011/04/27/us-china-human-rights-dialogue-soft-power-gone-hard/";
    let out = stet(&root().join("snapshots"))
        .current_dir(root())
        .args(["log", url, "--format", "json"])
        .output()
        .expect("run stet");
    let v: Json = serde_json::from_slice(&out.stdout).expect("json");
    let entries = v["entries"].as_array().expect("entries");
    let times: Vec<&str> = entries
        .iter()
        .filter_map(|e| e["fetched_at"].as_str())
        .collect();
    assert_eq!(
        times,
        [
            "2026-11-01T06:00:00Z",
            "2026-11-08T06:00:00Z",
            "2026-11-15T06:00:00Z"
        ]
    );
    assert_eq!(entries[0]["is_reference"], true);
    // v2 changed only boilerplate: the same article text.
    assert_eq!(entries[1]["same_text"], true);
    assert_eq!(entries[2]["same_text"], false);
}

/// Every file under `dir`, relative to it, with its bytes.
fn files(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
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
fn ignored(patterns: &[String], path: &str) -> bool {
    patterns.iter().any(|p| {
        let parts: Vec<&str> = p.trim_start_matches('/').split('/').collect();
        let segs: Vec<&str> = path.split('/').collect();
        parts.len() == segs.len() && parts.iter().zip(&segs).all(|(p, s)| *p == "*" || p == s)
    })
}

/// The README's first command, on a copy of the example as a fresh clone
/// has it, changes no file git keeps: whatever an audit writes into the
/// example store (its journals, the lock) is left out of git.
#[test]
fn the_readme_audit_leaves_the_example_as_committed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let copy = |rel: &str| {
        let out = std::process::Command::new("cp")
            .args(["-R", "--"])
            .arg(root().join(rel))
            .arg(dir.path())
            .output()
            .expect("cp");
        assert!(out.status.success(), "cp {rel}");
    };
    for rel in ["stet.toml", "fixtures", "snapshots"] {
        copy(rel);
    }
    // A fresh clone has no journal: they are not in git.
    let gitignore = std::fs::read_to_string(root().join(".gitignore")).expect(".gitignore");
    let patterns: Vec<String> = gitignore
        .lines()
        .filter(|l| l.starts_with("/snapshots/"))
        .map(str::to_string)
        .collect();
    let snapshots = dir.path().join("snapshots");
    for (rel, _) in files(&snapshots) {
        if ignored(&patterns, &format!("snapshots/{rel}")) {
            std::fs::remove_file(snapshots.join(&rel)).expect("remove ignored file");
        }
    }
    let before = files(&snapshots);
    for run in 0..2 {
        let out = assert_cmd::Command::cargo_bin("stet")
            .expect("the stet binary is built")
            .env_remove("STET_STORE")
            .env_remove("STET_NOW")
            .env_remove("CLICOLOR_FORCE")
            .current_dir(dir.path())
            .args(["audit", "--offline"])
            .output()
            .expect("run stet");
        assert_eq!(
            out.status.code(),
            Some(1),
            "run {run}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let after = files(&snapshots);
    let changed: Vec<&String> = after
        .iter()
        .filter(|(rel, bytes)| before.get(*rel) != Some(*bytes))
        .map(|(rel, _)| rel)
        .filter(|rel| !ignored(&patterns, &format!("snapshots/{rel}")))
        .collect();
    let gone: Vec<&String> = before
        .keys()
        .filter(|rel| !after.contains_key(*rel))
        .collect();
    assert_eq!(
        (changed, gone),
        (Vec::<&String>::new(), Vec::<&String>::new())
    );
    // The audits did write their journals, where git does not look.
    assert!(after.keys().any(|rel| rel.ends_with("/journal")));
}
