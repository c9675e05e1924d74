//! The bundled example (`stet.toml`, `fixtures/`, `snapshots/`) stays sound:
//! the store verifies, re-extraction gives the stored documents (so a change
//! of extraction output without `fixtures/make-example-store.sh` fails
//! here).

use crate::common;

use common::example::{copy_example, files, ignore_patterns, ignored, root};
use common::{stet, Json};

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

/// The README's first command, on a copy of the example as a fresh clone
/// has it, changes no file git keeps: whatever an audit writes into the
/// example store (its journals, the lock) is left out of git.
#[test]
fn the_readme_audit_leaves_the_example_as_committed() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A fresh clone has no journal: they are not in git.
    copy_example(dir.path());
    let snapshots = dir.path().join("snapshots");
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
    let patterns = ignore_patterns();
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

/// The example's snapshots were extracted by `stet-extract/3`, which read
/// no headline. A new snapshot of the same article, extracted today, finds
/// one: `stet log` must not call that a new headline.
#[test]
fn an_extractor_upgrade_is_no_new_headline_in_the_log() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_example(dir.path());
    let fixture = dir.path().join("fixtures/article-v1.html");
    let mut page = std::fs::read_to_string(&fixture).expect("fixture");
    page.push_str("<!-- redeployed -->\n");
    std::fs::write(&fixture, page).expect("write fixture");
    let run = |args: &[&str]| {
        stet(&dir.path().join("snapshots"))
            .current_dir(dir.path())
            .args(args)
            .output()
            .expect("run stet")
    };
    assert_eq!(run(&["snapshot", "archive-copy"]).status.code(), Some(0));
    let out = run(&["log", "archive-copy", "--format", "json"]);
    let v: Json = serde_json::from_slice(&out.stdout).expect("json");
    let entries = v["entries"].as_array().expect("entries");
    let seen: Vec<(&Json, &Json)> = entries
        .iter()
        .map(|e| (&e["same_text"], &e["headline_changed"]))
        .collect();
    assert_eq!(
        seen,
        [
            (&Json::Bool(false), &Json::Bool(false)),
            (&Json::Bool(true), &Json::Bool(false))
        ]
    );
}
