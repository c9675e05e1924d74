//! `stet.toml`: targets, selection by tag, name and shard, and errors that
//! name the line.

use crate::common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Output;

use common::server::{Reply, TestServer};
use common::{stet, Json};

fn run_in(dir: &Path, args: &[&str]) -> Output {
    stet(&dir.join("store"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run stet")
}

fn snapshot_targets(dir: &Path, extra: &[&str]) -> (Output, Vec<String>) {
    let mut args = vec!["snapshot", "--format", "json"];
    args.extend_from_slice(extra);
    let out = run_in(dir, &args);
    let rows: Vec<Json> = serde_json::from_slice(&out.stdout).unwrap_or_default();
    let targets = rows
        .iter()
        .filter_map(|r| r["target"].as_str().map(String::from))
        .collect();
    (out, targets)
}

fn setup() -> (TestServer, tempfile::TempDir) {
    let server = TestServer::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut toml = String::from("[defaults]\ntimeout = 5\n\n");
    for i in 0..12 {
        server.route(
            &format!("/p{i}"),
            Reply::ok(format!(
                "<article><p>Page number {i} of the set.</p></article>"
            )),
        );
        let tag = if i % 2 == 0 { "even" } else { "odd" };
        toml.push_str(&format!(
            "[[target]]\nname = \"p{i}\"\nurl = \"{}\"\ntags = [\"{tag}\"]\n\n",
            server.url(&format!("/p{i}"))
        ));
    }
    std::fs::write(
        dir.path().join("page.html"),
        "<article><p>A local page.</p></article>",
    )
    .expect("write");
    toml.push_str("[[target]]\nname = \"local\"\npath = \"*.html\"\ntags = [\"files\"]\n");
    std::fs::write(dir.path().join("stet.toml"), toml).expect("write");
    (server, dir)
}

#[test]
fn snapshot_without_sources_takes_the_configured_targets() {
    let (_server, dir) = setup();
    let (out, targets) = snapshot_targets(dir.path(), &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(targets.len(), 13);
    assert!(
        targets.last().is_some_and(|t| t.ends_with("page.html")),
        "{targets:?}"
    );

    let (_, even) = snapshot_targets(dir.path(), &["--tag", "even"]);
    assert_eq!(even.len(), 6);
    assert!(even
        .iter()
        .all(|t| t.trim_end_matches(char::is_numeric).ends_with("/p")));
    let (_, named) = snapshot_targets(dir.path(), &["--target", "p3", "--target", "local"]);
    assert_eq!(named.len(), 2);
    assert!(named[0].ends_with("/p3"));
}

#[test]
fn shards_split_the_targets_without_overlap() {
    let (_server, dir) = setup();
    let mut seen = BTreeSet::new();
    let mut total = 0;
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let (out, targets) = snapshot_targets(dir.path(), &["--shard", &shard]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        total += targets.len();
        seen.extend(targets);
    }
    assert_eq!(total, 13);
    assert_eq!(seen.len(), 13);
    // By host: the twelve pages of the one test server share a shard.
    let (_, first) = snapshot_targets(dir.path(), &["--shard", "1/3"]);
    let (_, second) = snapshot_targets(dir.path(), &["--shard", "2/3"]);
    let (_, third) = snapshot_targets(dir.path(), &["--shard", "3/3"]);
    let urls = |ts: &[String]| ts.iter().filter(|t| t.starts_with("http")).count();
    let mut counts = [urls(&first), urls(&second), urls(&third)];
    counts.sort();
    assert_eq!(counts, [0, 0, 12]);
    // A Kubernetes Indexed Job's index (0-based) is shard index + 1.
    for (k, expected) in [(0, &first), (1, &second), (2, &third)] {
        let out = stet(&dir.path().join("store"))
            .current_dir(dir.path())
            .env("JOB_COMPLETION_INDEX", k.to_string())
            .args(["snapshot", "--format", "json"])
            .args([
                "--shard-index-env",
                "JOB_COMPLETION_INDEX",
                "--shard-count",
                "3",
            ])
            .output()
            .expect("run stet");
        let rows: Vec<Json> = serde_json::from_slice(&out.stdout).unwrap_or_default();
        let targets: Vec<String> = rows
            .iter()
            .filter_map(|r| r["target"].as_str().map(String::from))
            .collect();
        assert_eq!(&targets, expected, "index {k}");
    }
    // The same split every time.
    let (_, first) = snapshot_targets(dir.path(), &["--shard", "2/3"]);
    let (_, again) = snapshot_targets(dir.path(), &["--shard", "2/3"]);
    assert_eq!(first, again);
}

#[test]
fn selection_errors_are_one_line() {
    let (_server, dir) = setup();
    for (args, expected) in [
        (
            vec!["snapshot", "--target", "nope"],
            "no target named `nope`",
        ),
        (
            vec!["snapshot", "--tag", "nope"],
            "no target of stet.toml matches",
        ),
        (vec!["snapshot", "--shard", "4/3"], "expected K/N"),
        (vec!["snapshot", "--shard", "x"], "expected K/N"),
        (
            vec![
                "snapshot",
                "--shard-index-env",
                "STET_TEST_UNSET_INDEX",
                "--shard-count",
                "2",
            ],
            "STET_TEST_UNSET_INDEX is not set",
        ),
        (vec!["snapshot", "--shard-count", "2"], "--shard-index-env"),
        (
            vec!["snapshot", "--tag", "even", "page.html"],
            "give them without SOURCE",
        ),
    ] {
        let out = run_in(dir.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(err.contains(expected), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

/// With no SOURCE and no targets, the error says where targets were
/// looked for: the `--config` file, `./stet.toml`, or neither.
#[test]
fn no_targets_says_where_it_looked() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("other.toml"), "[defaults]\n").expect("write");
    let mut errors = Vec::new();
    for args in [vec!["audit"], vec!["--config", "other.toml", "snapshot"]] {
        let out = run_in(dir.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        errors.push(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    std::fs::write(dir.path().join("stet.toml"), "[defaults]\n").expect("write");
    let out = run_in(dir.path(), &["audit"]);
    errors.push(String::from_utf8_lossy(&out.stderr).into_owned());
    assert_eq!(
        errors.concat(),
        "stet: error: no SOURCE given and no [[target]] to take (no stet.toml here and no --config FILE)\n\
         stet: error: no SOURCE given and no [[target]] to take (other.toml)\n\
         stet: error: no SOURCE given and no [[target]] to take (stet.toml)\n"
    );
}

#[test]
fn config_errors_name_file_line_and_suggestion() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("stet.toml"),
        "[defaults]\nstore = \"s\"\n\n[[target]]\nurl = \"https://example.org/\"\ntgas = [\"x\"]\n",
    )
    .expect("write");
    let out = run_in(dir.path(), &["log", "https://example.org/"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        err.trim_end(),
        "stet: error: stet.toml:6:1: unknown key `tgas` (did you mean `tags`?)"
    );
    // --config names another file; a missing one is an error too.
    let out = run_in(dir.path(), &["--config", "missing.toml", "verify"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.toml"));
}

#[test]
fn each_target_is_read_alone_with_its_errors_placed_in_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let write = |text: &str| std::fs::write(dir.path().join("stet.toml"), text).expect("write");
    let error = |args: &[&str]| {
        let out = run_in(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        String::from_utf8_lossy(&out.stderr).trim_end().to_string()
    };
    // The third target's mistake, after a multi-line string holding a
    // header and an array spread over lines.
    let head = "[defaults]\nstore = \"s\"\n\n[[target]]\nname = \"a\"\nurl = \"https://a.example/\"\nignore = [\n  \".ad\",\n]\n[target.headers]\nx-note = \"\"\"\n[[target]]\n\"\"\"\n\n[[target]]\nname = \"b\"\nurl = \"https://b.example/\"\n\n";
    write(&format!(
        "{head}[[target]]\nurl = \"https://c.example/\"\nrender = \"yes\"\n"
    ));
    assert_eq!(
        error(&["log", "a"]),
        "stet: error: stet.toml:21:10: invalid type: string \"yes\", expected a boolean"
    );
    write(&format!(
        "{head}[[target]]\nurl = \"https://c.example/\"\nrendr = true\n"
    ));
    assert_eq!(
        error(&["log", "a"]),
        "stet: error: stet.toml:21:1: unknown key `rendr` (did you mean `render`?)"
    );
    // The same page twice is one mistake, not two audits of it.
    write(&format!("{head}[[target]]\nurl = \"https://a.example/\"\n"));
    assert_eq!(
        error(&["audit", "--offline"]),
        "stet: error: stet.toml:19:1: `https://a.example/` is listed twice (first at line 4); give each page one [[target]]"
    );
    // Written right, the three targets are read, in order: the first one's
    // table and string holding a header start no target of their own.
    write(&format!(
        "{head}[[target]]\nname = \"c\"\nurl = \"https://c.example/\"\n"
    ));
    let audit = ["audit", "--offline", "--format", "json"];
    // No store yet: one error line, and no half a report on stdout.
    let out = run_in(dir.path(), &audit);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
    std::fs::write(dir.path().join("page.html"), "<p>A page.</p>").expect("write");
    let out = run_in(dir.path(), &["snapshot", "page.html"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run_in(dir.path(), &audit);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json report");
    let names: Vec<&str> = report["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .map(|t| t["name"].as_str().unwrap_or("?"))
        .collect();
    assert_eq!(
        names,
        ["a", "b", "c"],
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn defaults_apply_and_the_command_line_wins() {
    let server = TestServer::start();
    server.route(
        "/slow",
        Reply::ok("<p>slow</p>").delay(std::time::Duration::from_secs(3)),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("stet.toml"),
        "[defaults]\ntimeout = 1\nstore = \"from-config\"\n",
    )
    .expect("write");
    let url = server.url("/slow");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_stet"))
        .current_dir(dir.path())
        .env_remove("STET_STORE")
        .args(["snapshot", &url])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(2),
        "timeout = 1 from stet.toml applies"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("timed out after 1 s"));
    assert!(
        dir.path().join("from-config").is_dir(),
        "store from stet.toml"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_stet"))
        .current_dir(dir.path())
        .env_remove("STET_STORE")
        .args(["snapshot", "--timeout", "10", &url])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn fetches_to_one_host_are_limited() {
    let server = TestServer::start();
    let mut urls = Vec::new();
    for i in 0..8 {
        server.route(
            &format!("/h{i}"),
            Reply::ok(format!("<p>page {i}</p>")).delay(std::time::Duration::from_millis(150)),
        );
        urls.push(server.url(&format!("/h{i}")));
    }
    let dir = tempfile::tempdir().expect("tempdir");
    // Page fetches only: robots.txt's own request is not what is counted.
    let mut args = vec![
        "snapshot",
        "-j",
        "8",
        "--host-concurrency",
        "2",
        "--ignore-robots",
    ];
    args.extend(urls.iter().map(String::as_str));
    let out = run_in(dir.path(), &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Two slots, both used, never more: the server answered 2 requests at
    // once at most. (Counting connections instead raced with keep-alive: a
    // slot freed before its connection was back in the pool opened a third.)
    assert_eq!(server.most_in_flight(), 2);
}

/// Five pages of one host with `interval` between fetch starts: all
/// fetched, the last no sooner than four intervals after the first.
fn paced(dir: &std::path::Path, extra: &[&str]) -> std::time::Duration {
    let server = TestServer::start();
    let mut urls = Vec::new();
    for i in 0..5 {
        server.route(&format!("/p{i}"), Reply::ok(format!("<p>page {i}</p>")));
        urls.push(server.url(&format!("/p{i}")));
    }
    let mut args = vec!["snapshot", "-j", "8"];
    args.extend_from_slice(extra);
    args.extend(urls.iter().map(String::as_str));
    let started = std::time::Instant::now();
    let out = run_in(dir, &args);
    let took = started.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for i in 0..5 {
        assert_eq!(server.hits(&format!("/p{i}")), 1);
    }
    took
}

#[test]
fn page_fetches_from_one_host_are_spaced_by_the_host_interval() {
    let dir = tempfile::tempdir().expect("tempdir");
    let took = paced(dir.path(), &["--host-interval", "250"]);
    assert!(took >= std::time::Duration::from_millis(1000), "{took:?}");

    // The same from `[defaults]` in stet.toml.
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("stet.toml"),
        "[defaults]\nhost_interval = 250\n",
    )
    .expect("write stet.toml");
    let took = paced(dir.path(), &[]);
    assert!(took >= std::time::Duration::from_millis(1000), "{took:?}");
}

#[test]
fn quiet_audit_prints_nothing_at_all_when_nothing_changed() {
    let server = TestServer::start();
    server.route(
        "/clean",
        Reply::ok("<html><head><title>Clean</title></head><body><article><h1>Clean</h1><p>An article with nothing to report: no images, no links, just text that is long enough.</p></article></body></html>"),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let url = server.url("/clean");
    let first = run_in(dir.path(), &["--quiet", "audit", &url]);
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let again = run_in(dir.path(), &["--quiet", "audit", &url]);
    assert_eq!(again.status.code(), Some(0));
    assert!(
        again.stdout.is_empty() && again.stderr.is_empty(),
        "{:?} {:?}",
        again.stdout,
        again.stderr
    );
    // A change is reported even with --quiet.
    server.route(
        "/clean",
        Reply::ok("<html><head><title>Clean</title></head><body><article><h1>Clean</h1><p>An article with nothing to report: no images, no links, just text that is long enough, or so it said in 2024.</p></article></body></html>"),
    );
    let changed = run_in(dir.path(), &["--quiet", "audit", &url]);
    assert_eq!(changed.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&changed.stdout).contains("FAIL"));
}

/// Found by `benches/fuzz.sh` (config target): a bad regex in `ignore` gave
/// the regex crate's three-line message, printed as escaped `\u{a}`s. The
/// same holds for `[links]` regexes, `--exclude` and `stet extract --ignore`.
#[test]
fn bad_regexes_are_one_plain_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("stet.toml"),
        "[[target]]\nurl = \"https://example.org/a\"\nignore = [\"nav\", \"/[9-0] views/\"]\n",
    )
    .expect("write");
    let out = run_in(dir.path(), &["snapshot"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        err.trim_end(),
        "stet: error: stet.toml:1:1: target #1: ignore regex /[9-0] views/: \
         invalid character class range, the start must be <= the end (at `9-0`)"
    );
    std::fs::write(
        dir.path().join("stet.toml"),
        "[links]\nexclude = [\"(ads\"]\n",
    )
    .expect("write");
    let page = dir.path().join("page.html");
    std::fs::write(&page, "<p>text</p>").expect("write");
    let page = page.to_str().expect("utf-8 path");
    for (args, config) in [
        (vec!["links", page], true),
        (vec!["links", "--exclude", "a{5,2}", page], false),
        (vec!["extract", "--ignore", "/(/", page], false),
    ] {
        if !config {
            let _ = std::fs::remove_file(dir.path().join("stet.toml"));
        }
        let out = run_in(dir.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(!err.contains("\\u{a}") && !err.contains("^^"), "{err}");
    }
}

#[test]
fn a_store_in_stet_toml_is_beside_the_file_from_any_directory() {
    // cron runs `stet --config /srv/news/stet.toml audit` from its home
    // directory: the store the file names is the one beside the file.
    let server = TestServer::start();
    server.route(
        "/a",
        Reply::ok(
            "<html><body><article><p>One paragraph of the article.</p></article></body></html>",
        )
        .header("content-type", "text/html"),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let project = dir.path().join("news");
    let elsewhere = dir.path().join("home");
    for d in [&project, &elsewhere] {
        std::fs::create_dir(d).expect("mkdir");
    }
    let toml = project.join("stet.toml");
    std::fs::write(
        &toml,
        format!(
            "[defaults]\nstore = \"archive/snapshots\"\n\n[[target]]\nurl = \"{}\"\n",
            server.url("/a")
        ),
    )
    .expect("write");
    let config = toml.to_string_lossy().into_owned();
    // Without `--store` (which `stet()` gives): the file's store.
    let out = assert_cmd::Command::cargo_bin("stet")
        .expect("the stet binary is built")
        .env_remove("STET_STORE")
        .current_dir(&elsewhere)
        .args(["--config", &config, "snapshot"])
        .output()
        .expect("run stet");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut made: Vec<String> = walk(dir.path())
        .into_iter()
        .filter(|p| p.ends_with("STET-STORE"))
        .map(|p| {
            p.strip_prefix(dir.path())
                .unwrap_or(&p)
                .display()
                .to_string()
        })
        .collect();
    made.sort();
    assert_eq!(made, ["news/archive/snapshots/STET-STORE"]);
    // From a third directory, the same file finds the same history.
    let out = assert_cmd::Command::cargo_bin("stet")
        .expect("the stet binary is built")
        .env_remove("STET_STORE")
        .current_dir(dir.path())
        .args(["--config", &config, "log", &server.url("/a")])
        .output()
        .expect("run stet");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The target, then its one snapshot.
    let log = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 2, "{log}");
    assert_eq!(lines[0], server.url("/a"));
    assert!(lines[1].ends_with("(reference)"), "{log}");
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
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

#[test]
fn a_path_target_is_the_same_target_from_any_directory() {
    // An archive's CI runs `stet --config archive/stet.toml` from the
    // repository's root; its editors run `stet` in `archive/`. Both name
    // the files as stet.toml does, and record the same snapshots.
    let dir = tempfile::tempdir().expect("tempdir");
    let archive = dir.path().join("archive");
    std::fs::create_dir_all(archive.join("2024")).expect("mkdir");
    std::fs::copy(
        common::fixture("article-v1.html"),
        archive.join("2024/soft-power.html"),
    )
    .expect("copy");
    std::fs::write(
        archive.join("stet.toml"),
        "[defaults]\nstore = \"snapshots\"\n\n[[target]]\nname = \"pages\"\npath = \"2024/*.html\"\n",
    )
    .expect("write");
    let run = |cwd: &Path, config: Option<&str>, args: &[&str]| {
        let mut cmd = assert_cmd::Command::cargo_bin("stet").expect("the stet binary is built");
        cmd.env_remove("STET_STORE")
            .env("STET_NOW", "2026-12-04T06:00:00Z")
            .current_dir(cwd);
        if let Some(c) = config {
            cmd.args(["--config", c]);
        }
        let out = cmd.args(args).output().expect("run stet");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let from_root = run(dir.path(), Some("archive/stet.toml"), &["snapshot"]);
    let id = from_root
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        from_root,
        format!("new       {id}     -     12427 B  2024/soft-power.html\n")
    );
    // The same file, unchanged, from stet.toml's own directory.
    assert_eq!(
        run(&archive, None, &["snapshot"]),
        format!("unchanged {id}     -     12427 B  2024/soft-power.html\n")
    );
    // And the same target in the log, wherever it is asked from.
    let log = run(dir.path(), Some("archive/stet.toml"), &["log", "pages/1"]);
    assert_eq!(log, run(&archive, None, &["log", "pages/1"]));
    assert_eq!(
        log,
        format!(
            "pages/1 2024/soft-power.html\n\
             2026-12-04T06:00:00Z  {id}  file       12427 B  text +3866 chars  (reference)\n\
             last checked 2026-12-04T06:00:00Z: unchanged ({id})\n"
        )
    );
}
