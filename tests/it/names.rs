//! Names from stet.toml work wherever a target is accepted, `stet log`
//! lists the stored targets, and errors are one line, printed once, with a
//! hint that works: end to end with the binary on a copy of the bundled
//! example.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{stet, Json};

const URL: &str = "https://www.rightsmonitor.example/2011/04/27/us-china-human-rights-dialogue-soft-power-gone-hard/";

/// A copy of the bundled example (stet.toml, fixtures, snapshots): `pin`
/// writes to it.
fn example() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    common::example::copy_example(dir.path());
    let store = dir.path().join("snapshots");
    (dir, store)
}

fn run(dir: &Path, store: &Path, args: &[&str]) -> Output {
    stet(store)
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run stet")
}

fn json(out: &Output) -> Json {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not json ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn log_without_target_lists_the_stored_targets() {
    let (dir, store) = example();
    let out = run(dir.path(), &store, &["log", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    let rows: Vec<(String, String, u64, String)> = v["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .map(|t| {
            (
                t["name"].as_str().unwrap_or("-").to_string(),
                t["target"].as_str().unwrap_or_default().to_string(),
                t["versions"].as_u64().unwrap_or(0),
                t["last_fetch"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "archive-copy".to_string(),
                "fixtures/article-v1.html".to_string(),
                1,
                "2026-11-01T06:00:00Z".to_string()
            ),
            (
                "soft-power".to_string(),
                URL.to_string(),
                3,
                "2026-11-15T06:00:00Z".to_string()
            ),
        ]
    );
    let text = run(dir.path(), &store, &["log"]);
    let text = String::from_utf8_lossy(&text.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].starts_with("NAME"), "{text}");
    assert!(
        lines[2].starts_with("soft-power") && lines[2].ends_with(URL),
        "{text}"
    );
    assert!(lines[2].contains("1506b62799aa"), "the reference: {text}");
}

#[test]
fn names_work_in_every_command() {
    let (dir, store) = example();
    let d = dir.path();
    let ids = |out: &Output| -> Vec<String> {
        json(out)["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .filter_map(|e| e["id"].as_str().map(str::to_string))
            .collect()
    };
    let by_name = run(d, &store, &["log", "soft-power", "--format", "json"]);
    let by_url = run(d, &store, &["log", URL, "--format", "json"]);
    assert_eq!(by_name.stdout, by_url.stdout);
    let history = ids(&by_name);
    assert_eq!(history.len(), 3);

    let shown = |spec: &str| -> String {
        let out = run(d, &store, &["show", spec, "--format", "json"]);
        assert_eq!(out.status.code(), Some(0), "show {spec}");
        json(&out)["id"].as_str().unwrap_or_default().to_string()
    };
    assert_eq!(shown("soft-power@-1"), history[2]);
    assert_eq!(shown("soft-power@1"), history[0]);
    assert_eq!(shown("soft-power@ref"), history[0]);
    assert_eq!(shown("soft-power@latest"), history[2]);
    assert_eq!(
        shown("soft-power"),
        history[2],
        "a target alone: its latest"
    );

    let diff = run(d, &store, &["diff", "soft-power@ref", "soft-power@-1"]);
    assert_eq!(diff.status.code(), Some(1), "the versions differ");
    let text = String::from_utf8_lossy(&diff.stdout);
    assert!(
        text.starts_with(&format!(
            "--- soft-power@ref ({}) 2026-11-01T06:00:00Z\n+++ soft-power@-1 ({})",
            &history[0][..12],
            &history[2][..12]
        )),
        "each side as the user named it: {text}"
    );
    let diff = run(d, &store, &["diff", "soft-power@1", "soft-power@2"]);
    assert_eq!(diff.status.code(), Some(0), "v2 changed only boilerplate");
    // Bare ids name the versions by their targets: the ids are there already.
    let (a, b) = (&history[0][..12], &history[2][..12]);
    let unified = run(d, &store, &["diff", a, b, "--format", "unified"]);
    let text = String::from_utf8_lossy(&unified.stdout);
    let head: Vec<&str> = text.lines().take(2).collect();
    assert_eq!(
        head,
        [
            format!("--- soft-power\t{a}"),
            format!("+++ soft-power\t{b}")
        ],
        "{text}"
    );
    let example = run(d, &store, &["diff", a, "fixtures/article-v1.html"]);
    let text = String::from_utf8_lossy(&example.stdout);
    let head: Vec<&str> = text.lines().take(2).collect();
    assert_eq!(
        head[0],
        format!("--- soft-power ({a}) 2026-11-01T06:00:00Z"),
        "{text}"
    );
    assert!(
        head[1].starts_with("+++ fixtures/article-v1.html ("),
        "{text}"
    );

    let audit = run(
        d,
        &store,
        &["--offline", "audit", "soft-power", "--format", "json"],
    );
    let v = json(&audit);
    assert_eq!(v["targets"][0]["target"], URL);
    assert_eq!(v["targets"][0]["name"], "soft-power");
    assert_eq!(v["targets"][0]["verdict"], "fail");

    let pin = run(d, &store, &["pin", "soft-power", "soft-power@2"]);
    assert_eq!(pin.status.code(), Some(0));
    assert_eq!(shown("soft-power@ref"), history[1]);
    let pin = run(d, &store, &["pin", "soft-power"]);
    assert_eq!(pin.status.code(), Some(0));
    assert_eq!(shown("soft-power@ref"), history[2]);
    let list = json(&run(d, &store, &["log", "--format", "json"]));
    assert_eq!(list["targets"][1]["reference"], history[2].as_str());

    // A file target's name.
    let copy = run(d, &store, &["log", "archive-copy", "--format", "json"]);
    assert_eq!(json(&copy)["target"], "fixtures/article-v1.html");

    // `links` takes a name too (here it stops at --offline, not at the name).
    let links = run(d, &store, &["--offline", "links", "soft-power"]);
    let err = String::from_utf8_lossy(&links.stderr);
    assert!(
        err.contains("--offline") && !err.contains("no such file"),
        "{err}"
    );
}

#[test]
fn errors_are_one_line_printed_once_with_a_hint_that_works() {
    let (dir, store) = example();
    let d = dir.path();
    for args in [
        &["log", "nope"][..],
        &["show", "nope@ref"],
        &["pin", "nope"],
        &["diff", "nope@1", "soft-power@1"],
    ] {
        let out = run(d, &store, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.ends_with('\n'), "{args:?}: {err:?}");
        assert!(
            err.starts_with("stet: error: no snapshots of nope in the store (hint: `stet log` lists the stored targets"),
            "{args:?}: {err}"
        );
    }
    // Usage errors too: one line, with the usage as the hint.
    for (args, says) in [
        (&["pin"][..], "stet: error: the following required arguments were not provided: <TARGET> (hint: usage: stet pin <TARGET> [SNAP])\n"),
        (&["log", "--bogus"], "stet: error: unexpected argument '--bogus' found (hint: usage: stet log [OPTIONS] [TARGET]; to pass '--bogus' as a value, use '-- --bogus')\n"),
    ] {
        let out = run(d, &store, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), says);
    }
    // The hint's command works.
    let out = run(d, &store, &["log"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("soft-power"));

    // A source that fails: the error once on stderr, the row says which.
    let out = run(d, &store, &["snapshot", "no-such-file.html"]);
    assert_eq!(out.status.code(), Some(2));
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.ends_with("no-such-file.html: no such file\n"),
        "{stderr:?}"
    );
    assert!(!stdout.contains("no such file"), "{stdout}");
    assert!(
        stdout.starts_with("error ") && stdout.ends_with("  no-such-file.html\n"),
        "{stdout}"
    );
}

#[test]
fn history_page_of_the_bundled_example() {
    let (dir, store) = example();
    let out = run(
        dir.path(),
        &store,
        &["log", "soft-power", "--format", "html"],
    );
    assert_eq!(out.status.code(), Some(0));
    let html = String::from_utf8_lossy(&out.stdout);
    for shown in [
        "<h1>History of soft-power</h1>",
        "<strong>FAIL</strong> · the latest version against its reference: 6 findings, 4 fail the policy",
        "<tr class=\"fails\"><td>correction (added)</td><td>block 14</td><td><ins>Correction: An earlier version of this post misstated the year the talks were suspended.</ins></td>",
        "Same article: only the page around it changed",
        "the change <a href=\"#v3\">v2 → v3</a> above.",
        "<del>dozens</del>",
        "<ins>hundreds</ins>",
    ] {
        assert!(html.contains(shown), "{shown:?} is not on the page");
    }
    assert!(!html.to_lowercase().contains("<script"));
    // Same store, same bytes; and the page writes nothing to the store.
    let again = run(
        dir.path(),
        &store,
        &["log", "soft-power", "--format", "html"],
    );
    assert_eq!(out.stdout, again.stdout);
    let journals = || {
        walk(&store)
            .iter()
            .filter(|p| p.ends_with("journal"))
            .count()
    };
    assert_eq!(journals(), 0, "a page that reads wrote a journal");

    // Acceptances (by name) are shown with who, when and why.
    let audit = run(dir.path(), &store, &["--offline", "audit", "soft-power"]);
    assert_eq!(audit.status.code(), Some(1));
    let ack = run(
        dir.path(),
        &store,
        &[
            "ack",
            "soft-power",
            "--note",
            "the banner's alt text is known",
        ],
    );
    assert_eq!(
        ack.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ack.stderr)
    );
    let pin = run(dir.path(), &store, &["pin", "soft-power"]);
    assert_eq!(pin.status.code(), Some(0));
    let out = run(
        dir.path(),
        &store,
        &["log", "soft-power", "--format", "html"],
    );
    let html = String::from_utf8_lossy(&out.stdout);
    assert!(
        html.contains("the banner&#39;s alt text is known"),
        "{html}"
    );
    assert!(html.contains("placeholder_alt at "), "{html}");
    assert!(html.contains("pinned v3 as the reference"), "{html}");
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
