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
