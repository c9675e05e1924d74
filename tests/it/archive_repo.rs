//! An archive repository checked in CI: HTML files found by a `path` glob,
//! their `snapshots/` and a `stet.toml`. A file deleted after it was stored
//! is `target_dead`, whether stet.toml is read from its directory or from
//! elsewhere, not dropped from the audit without a word; back, it is clean.

use crate::common;

use std::path::Path;
use std::process::Output;

use common::{fixture, stet};

const TOML: &str = "[[target]]\npath = \"archive/**/*.html\"\nlinks = false\n";

/// `stet ARGS` on November `day`, in `dir` (the store: `dir/snapshots`).
fn on(day: u32, dir: &Path, args: &[&str]) -> Output {
    stet(&dir.join("snapshots"))
        .env("STET_NOW", format!("2026-11-{day:02}T06:00:00Z"))
        .args(args)
        .output()
        .expect("run stet")
}

/// Stdout, with the exit code checked (stderr shown when it is not `code`).
#[track_caller]
fn out(output: &Output, code: i32) -> String {
    assert_eq!(
        output.status.code(),
        Some(code),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Two archived articles under `archive/`, snapshotted on November 1.
fn archive() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let articles = dir.path().join("archive/2011");
    std::fs::create_dir_all(&articles).expect("mkdir");
    for (name, from) in [
        ("soft-power.html", "article-v1.html"),
        ("edited.html", "article-v3-edited.html"),
    ] {
        std::fs::copy(fixture(from), articles.join(name)).expect("copy");
    }
    std::fs::write(dir.path().join("stet.toml"), TOML).expect("write");
    out(&on(1, dir.path(), &["--quiet", "snapshot"]), 0);
    dir
}

#[test]
fn a_deleted_archive_file_is_dead_not_dropped() {
    let dir = archive();
    let file = dir.path().join("archive/2011/edited.html");
    let kept = std::fs::read(&file).expect("read");
    out(&on(2, dir.path(), &["--offline", "audit"]), 0);
    std::fs::remove_file(&file).expect("delete");
    let offline = out(&on(3, dir.path(), &["--offline", "audit"]), 1);
    insta::assert_snapshot!("archive-file-deleted-offline", offline);
    // Online (files are read again) the same; twice the same bytes.
    let online = out(&on(3, dir.path(), &["audit"]), 1);
    assert_eq!(
        online.replace("(stored)", "").replace("(unchanged)", ""),
        offline
            .replace("stet audit (offline):", "stet audit:")
            .replace("(stored)", "")
    );
    assert_eq!(out(&on(3, dir.path(), &["--offline", "audit"]), 1), offline);
    // Cron: said once.
    out(&on(4, dir.path(), &["--quiet", "audit", "--new"]), 0);
    // The file back: nothing dead.
    std::fs::write(&file, kept).expect("restore");
    out(&on(5, dir.path(), &["--offline", "audit"]), 0);
}

#[test]
fn a_deleted_file_of_a_stet_toml_read_from_elsewhere_is_dead_too() {
    let dir = archive();
    std::fs::remove_file(dir.path().join("archive/2011/soft-power.html")).expect("delete");
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("stet.toml");
    let report = stet(&dir.path().join("snapshots"))
        .current_dir(elsewhere.path())
        .args(["--offline", "audit", "--format", "json", "--config"])
        .arg(&config)
        .output()
        .expect("run stet");
    let json: common::Json = serde_json::from_str(&out(&report, 1)).expect("json");
    let dead: Vec<(String, String)> = json["targets"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|t| t["findings"].as_array().into_iter().flatten())
        .map(|f| (f["kind"].to_string(), f["url"].to_string()))
        .collect();
    // The other file's own finding, and the deleted one's death.
    let expected = [
        ("placeholder_alt", "file:///images/ai-weiwei-banner.jpg"),
        ("target_dead", "archive/2011/soft-power.html"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(kind, url)| (format!("{kind:?}"), format!("{url:?}")))
        .collect();
    assert_eq!(dead, expected);
}

#[test]
fn a_listed_file_never_stored_and_not_there_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("stet.toml"),
        "[[target]]\npath = \"missing.html\"\nlinks = false\n",
    )
    .expect("write");
    let report = out(&on(1, dir.path(), &["audit"]), 2);
    assert_eq!(
        report,
        "stet audit: 1 target: 1 error\n\nERROR   missing.html\n        missing.html: no such file\n"
    );
}
