//! Living with stet from cron: a scripted week of nightly
//! `stet --quiet audit --new` against a local server whose article changes,
//! acknowledgements, pins, and the audit journal under SIGKILL and damage.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::Duration;

use common::server::{Reply, TestServer};
use common::{fixture, stet, Json};

/// A store under a fresh directory with a stet.toml watching `url` as
/// `soft-power` (no link checks: tests stay on 127.0.0.1).
fn desk(url: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("stet.toml"),
        format!("[[target]]\nname = \"soft-power\"\nurl = \"{url}\"\nlinks = false\n"),
    )
    .expect("write stet.toml");
    let store = dir.path().join("snapshots");
    (dir, store)
}

/// A desk watching `soft-power`, served `article-v1.html` by a local
/// server: the server (kept alive, and to change the page), the desk's
/// directory, its store and the article's URL.
fn watching_v1() -> (TestServer, tempfile::TempDir, PathBuf, String) {
    let server = TestServer::start();
    server.route("/soft-power", v1());
    let url = server.url("/soft-power");
    let (dir, store) = desk(&url);
    (server, dir, store, url)
}

/// Run stet on `day` of November 2026 (the clock of the journal).
fn on(day: u32, store: &Path, args: &[&str]) -> Output {
    stet(store)
        .env("STET_NOW", format!("2026-11-{day:02}T03:00:00Z"))
        .env("STET_USER", "desk")
        .args(args)
        .output()
        .expect("run stet")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Exit code, with everything stet said when it is not the expected one.
#[track_caller]
fn assert_exit(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        stdout(out),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn json(out: &Output) -> Json {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

fn v1() -> Reply {
    Reply::file(fixture("article-v1.html"))
}

fn edited() -> Reply {
    Reply::file(fixture("article-v3-edited.html"))
}

#[test]
fn a_scripted_week_of_nightly_audits() {
    let (server, _dir, store, _) = watching_v1();
    let quiet_new = ["--quiet", "audit", "--new"];

    // Monday: the first audit. The placeholder alt text stands below the
    // default policy: a notice, not a change, and exit 0.
    let out = on(2, &store, &["audit", "--format", "json"]);
    assert_exit(&out, 0);
    let v = json(&out);
    assert_eq!(v["targets"][0]["verdict"], "notice", "{v}");
    let findings = v["targets"][0]["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!findings.is_empty());
    assert!(findings
        .iter()
        .all(|f| f["fingerprint"].as_str().map(str::len) == Some(64)));
    let out = on(2, &store, &["--quiet", "audit"]);
    assert_exit(&out, 0);
    assert_eq!(stdout(&out), "", "--quiet prints only targets that fail");

    // Tuesday night: nothing new, nothing printed.
    let out = on(3, &store, &quiet_new);
    assert_exit(&out, 0);
    assert_eq!(stdout(&out), "");

    // Wednesday: the article is edited. One report, with the edits only.
    server.route("/soft-power", edited());
    let out = on(4, &store, &quiet_new);
    assert_exit(&out, 1);
    let report = stdout(&out);
    assert!(report.contains("soft-power"), "{report}");
    assert!(
        report.contains("“dozens”") && report.contains("“hundreds”"),
        "{report}"
    );
    assert!(
        !report.contains("Responsive Image"),
        "standing findings are not repeated: {report}"
    );

    // Thursday night: the same edits, already reported: silence.
    let out = on(5, &store, &quiet_new);
    assert_exit(&out, 0);
    assert_eq!(stdout(&out), "");
    // CI without --new still fails: the reference is unchanged.
    let out = on(5, &store, &["audit"]);
    assert_exit(&out, 1);
    assert!(stdout(&out).contains("FAIL"), "{}", stdout(&out));

    // Friday: the edit is reverted (A→B→A). The resolved edits are
    // reported once; nothing fails.
    server.route("/soft-power", v1());
    let out = on(6, &store, &["audit", "--new"]);
    assert_exit(&out, 0);
    let report = stdout(&out);
    assert!(
        report.starts_with("stet audit --new: 1 target: 5 resolved\n"),
        "{report}"
    );
    assert!(report.contains("“dozens”"), "{report}");
    assert!(report.contains("changed back"), "{report}");
    // Reported once: a second run the same day has nothing resolved.
    let out = on(6, &store, &["audit", "--new", "--format", "json"]);
    assert_exit(&out, 0);
    let v = json(&out);
    assert_eq!(
        v["targets"][0]["resolved"].as_array().map(Vec::len),
        Some(0),
        "{v}"
    );
    let out = on(7, &store, &["audit", "--new"]);
    assert_exit(&out, 0);
    assert_eq!(stdout(&out), "stet audit --new: 1 target: nothing new\n");
    let out = on(7, &store, &quiet_new);
    assert_eq!(stdout(&out), "");

    // Saturday: edited again, and this time the desk accepts the edit.
    server.route("/soft-power", edited());
    let out = on(8, &store, &quiet_new);
    assert_exit(&out, 1);
    assert!(stdout(&out).contains("“hundreds”"));
    let out = on(8, &store, &["audit"]);
    assert_exit(&out, 1);
    let out = on(
        8,
        &store,
        &["pin", "soft-power", "--note", "confirmed with the WSJ desk"],
    );
    assert_exit(&out, 0);
    let out = on(8, &store, &["audit"]);
    assert_exit(&out, 0);
    // Sunday: quiet again.
    let out = on(9, &store, &quiet_new);
    assert_exit(&out, 0);
    assert_eq!(stdout(&out), "");

    // The journal kept the week: the pin with its user and note, and a
    // store that verifies.
    let journal = std::fs::read_to_string(journal_of(&store)).expect("journal");
    assert!(journal.contains("\"type\":\"pin\"") && journal.contains("\"by\":\"desk\""));
    let out = on(9, &store, &["verify"]);
    assert_exit(&out, 0);
    // `stet log` says who accepted which version, and when.
    let out = on(9, &store, &["log", "soft-power"]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains(
            "2026-11-08T03:00:00Z  pinned v4 as the reference by desk: “confirmed with the WSJ desk”\n"
        ),
        "{}",
        stdout(&out)
    );
}

#[test]
fn an_acknowledged_finding_passes_until_it_changes() {
    let (server, _dir, store, url) = watching_v1();
    let policy = ["--fail-on", "placeholder-alt"];
    let audit = |day, extra: &[&str]| {
        let mut args = vec!["audit"];
        args.extend_from_slice(&policy);
        args.extend_from_slice(extra);
        on(day, &store, &args)
    };

    let out = audit(2, &["--format", "json"]);
    assert_exit(&out, 1);
    let v = json(&out);
    let alt = v["targets"][0]["findings"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["kind"] == "placeholder_alt"))
        .cloned()
        .expect("a placeholder_alt finding");
    let fingerprint = alt["fingerprint"].as_str().unwrap_or_default().to_string();
    assert_eq!(fingerprint.len(), 64);
    // The text report shows the fingerprint as `stet ack` takes it, in a
    // hint that names the target by its name.
    let out = audit(2, &[]);
    assert!(
        stdout(&out).contains(&format!(
            "hint: `stet ack soft-power {} --note WHY` accepts the placeholder_alt",
            &fingerprint[..12]
        )),
        "{}",
        stdout(&out)
    );

    let out = on(
        2,
        &store,
        &[
            "ack",
            "soft-power",
            &fingerprint[..12],
            "--note",
            "the CMS default; asked the desk",
        ],
    );
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("acknowledged"), "{}", stdout(&out));

    let out = audit(3, &["--format", "json"]);
    assert_exit(&out, 0);
    let v = json(&out);
    let alt = v["targets"][0]["findings"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["kind"] == "placeholder_alt"))
        .cloned()
        .expect("still reported");
    assert_eq!(alt["acknowledged"], true, "{alt}");
    assert_eq!(alt["fails"], false, "{alt}");
    let out = audit(3, &[]);
    assert!(stdout(&out).contains("acknowledged"), "{}", stdout(&out));
    // The CI formats mark it too: one line each that names the finding.
    for format in ["github", "markdown", "junit"] {
        let text = stdout(&audit(3, &["--format", format]));
        let unmarked = text
            .lines()
            .filter(|l| l.contains("placeholder_alt"))
            .filter(|l| !l.contains("acknowledged placeholder_alt"))
            .count();
        assert!(
            unmarked == 0 && text.contains("acknowledged placeholder_alt"),
            "{format}: {text}"
        );
    }
    let out = on(
        3,
        &store,
        &["--quiet", "audit", "--new", "--fail-on", "placeholder-alt"],
    );
    assert_exit(&out, 0);
    assert_eq!(stdout(&out), "");

    // The alt text changes (to another placeholder): a new finding, failing again.
    let page = std::fs::read_to_string(fixture("article-v1.html"))
        .expect("fixture")
        .replace("alt=\"Responsive Image\"", "alt=\"image\"");
    server.route("/soft-power", Reply::ok(page));
    let out = on(
        4,
        &store,
        &["--quiet", "audit", "--new", "--fail-on", "placeholder-alt"],
    );
    assert_exit(&out, 1);
    assert!(stdout(&out).contains("“image”"), "{}", stdout(&out));
    let out = audit(4, &[]);
    assert_exit(&out, 1);

    // No FINDING: every finding of the last audit; a second ack says so.
    let out = on(4, &store, &["ack", "soft-power", "--note", "fine for now"]);
    assert_exit(&out, 0);
    let out = audit(5, &[]);
    assert_exit(&out, 0);
    let out = on(5, &store, &["ack", &url, "--note", "again"]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("already acknowledged"),
        "{}",
        stdout(&out)
    );

    // Bad input: one line, exit 2.
    for args in [
        vec!["ack", url.as_str(), "ffffffffffff", "--note", "x"],
        vec!["ack", url.as_str(), "zz", "--note", "x"],
        vec!["ack", url.as_str(), "--note", " "],
        vec!["ack", "https://unknown.example/", "--note", "x"],
    ] {
        let out = on(5, &store, &args);
        assert_exit(&out, 2);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.matches("error").count(), 1, "{args:?}: {err}");
    }
    let journal = std::fs::read_to_string(journal_of(&store)).expect("journal");
    assert!(journal.contains("the CMS default; asked the desk"));
    let out = on(5, &store, &["log", "soft-power"]);
    let log = stdout(&out);
    assert!(
        log.contains(&format!(
            "2026-11-02T03:00:00Z  acknowledged placeholder_alt at {} [{}] by desk: “the CMS default; asked the desk”\n",
            server.url("/images/ai-weiwei-banner.jpg"),
            &fingerprint[..12]
        )),
        "{log}"
    );
}

#[test]
fn a_finding_keeps_its_fingerprint_when_paragraphs_move_around_it() {
    let (server, _dir, store, _) = watching_v1();
    assert_exit(&on(2, &store, &["audit"]), 0);
    server.route("/soft-power", edited());
    let out = on(3, &store, &["audit", "--new", "--format", "json"]);
    assert_exit(&out, 1);
    let count = |kind: &str| {
        json(&out)["targets"][0]["findings"]
            .as_array()
            .map(|a| a.iter().filter(|f| f["kind"] == kind).count())
    };
    assert_eq!(count("edit"), Some(4));
    assert_eq!(count("correction"), Some(1), "the appended correction");

    // A paragraph is added at the top: every later block moves down one,
    // but the four edits and the correction are the same findings. Only
    // the insertion is new.
    let added = "<p>Editor’s addition: this post was updated with the latest figures from the dialogue.</p>";
    let page = std::fs::read_to_string(fixture("article-v3-edited.html"))
        .expect("fixture")
        .replacen(
            "    <p>With Beijing",
            &format!("    {added}\n    <p>With Beijing"),
            1,
        );
    server.route("/soft-power", Reply::ok(page));
    let out = on(4, &store, &["audit", "--new", "--format", "json"]);
    let v = json(&out);
    let t = &v["targets"][0];
    let new: Vec<&str> = t["findings"]
        .as_array()
        .map(|a| a.iter().filter_map(|f| f["after"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(new.len(), 1, "{t}");
    assert!(new[0].contains("Editor’s addition"), "{t}");
    assert_eq!(t["resolved"].as_array().map(Vec::len), Some(0), "{t}");
    assert_eq!(
        t["standing"], 6,
        "four edits, the correction and the alt text stand: {t}"
    );
}

#[test]
fn a_target_never_stored_gets_no_journal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("s");
    let url = common::server::closed_port_url();
    for _ in 0..2 {
        let out = on(
            2,
            &store,
            &["--quiet", "audit", "--new", "--no-links", &url],
        );
        assert_exit(&out, 2);
        assert!(stdout(&out).starts_with("ERROR "), "{}", stdout(&out));
    }
    let targets = std::fs::read_dir(store.join("targets")).map_or(0, |d| d.count());
    assert_eq!(
        targets, 0,
        "no directory for a target that was never stored"
    );
}

/// The journal of the only target in `store`.
fn journal_of(store: &Path) -> PathBuf {
    let targets = std::fs::read_dir(store.join("targets")).expect("targets");
    let mut found: Vec<PathBuf> = targets
        .flatten()
        .map(|e| e.path().join("journal"))
        .filter(|p| p.exists())
        .collect();
    found.sort();
    found.into_iter().next().expect("a journal")
}

#[test]
fn killed_audits_leave_a_journal_that_verifies() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("s");
    let urls: Vec<String> = (0..8).map(|i| server.url(&format!("/k{i}"))).collect();
    let serve = |round: u64| {
        for i in 0..8 {
            let page = if (round + i).is_multiple_of(2) {
                v1()
            } else {
                edited()
            };
            server.route(
                &format!("/k{i}"),
                page.header("X-Round", &round.to_string()),
            );
        }
    };
    serve(0);
    let mut args = vec!["audit".to_string(), "--no-links".to_string()];
    args.extend(urls.iter().cloned());
    let out = stet(&store).args(&args).output().expect("run stet");
    assert_exit(&out, 0);

    // Twenty audits killed: ten online ones at 100 ms .. 1 s (fetching,
    // then writing journals), ten offline ones at 2 ms .. 20 ms (mostly
    // journal writes); the store verifies after each.
    let mut offline = args.clone();
    offline.insert(0, "--offline".to_string());
    let mut kills = 0;
    for round in 1..=20u64 {
        serve(round);
        let (args, delay) = if !round.is_multiple_of(2) {
            (&args, 100 * round.div_ceil(2))
        } else {
            (&offline, round)
        };
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_stet"))
            .arg("--store")
            .arg(&store)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn stet");
        std::thread::sleep(Duration::from_millis(delay));
        if child.try_wait().ok().flatten().is_none() {
            let _ = child.kill();
            kills += 1;
        }
        let _ = child.wait();
        let out = stet(&store)
            .args(["verify", "--format", "json"])
            .output()
            .expect("verify");
        let v = json(&out);
        assert_eq!(v["intact"], true, "round {round}: {}", v["problems"]);
    }
    eprintln!("{kills} of 20 audits killed mid-way");
    assert!(kills > 0, "no audit was killed mid-way");

    // Every journal still reads, and a flipped byte in one is named.
    let out = stet(&store).args(&args).output().expect("run stet");
    assert!(
        out.status.code() != Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let journal = journal_of(&store);
    let mut bytes = std::fs::read(&journal).expect("read journal");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&journal, &bytes).expect("write journal");
    let out = stet(&store).args(["verify"]).output().expect("verify");
    assert_exit(&out, 1);
    let rel = journal
        .strip_prefix(&store)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    assert!(
        stdout(&out).contains(&rel),
        "{rel} not named: {}",
        stdout(&out)
    );
    // An audit does not build on a damaged journal: that target errs (the
    // others are audited), and the journal is left for inspection.
    let out = stet(&store)
        .arg("--offline")
        .args(&args)
        .output()
        .expect("run stet");
    assert_exit(&out, 2);
    let report = stdout(&out);
    assert_eq!(report.matches("ERROR").count(), 1, "{report}");
    assert!(report.contains("audit journal:"), "{report}");
    assert_eq!(std::fs::read(&journal).expect("journal"), bytes);
}

/// `audit --new --offline` in `format` on `day`, run on a copy of the
/// store (the journal of `store` does not move on), exiting with `code`.
fn audit_new_on_a_copy(day: u32, store: &Path, format: &str, code: i32) -> String {
    let copy = copy_of(store, &format!("copy-{day}-{format}"));
    let out = on(
        day,
        &copy,
        &["--offline", "audit", "--new", "--format", format],
    );
    assert_exit(&out, code);
    stdout(&out)
}

/// A copy of the store.
fn copy_of(store: &Path, name: &str) -> PathBuf {
    let to = store.with_file_name(name);
    let status = std::process::Command::new("cp")
        .arg("-r")
        .arg(store)
        .arg(&to)
        .status()
        .expect("cp");
    assert!(status.success());
    to
}

#[test]
fn audit_new_speaks_markdown_github_and_html_too() {
    let (server, _dir, store, _) = watching_v1();
    assert_exit(&on(2, &store, &["audit"]), 0);

    // Edited: the new findings only, in every CI format.
    server.route("/soft-power", edited());
    assert_exit(&on(4, &store, &["snapshot", "soft-power"]), 0);
    let md = audit_new_on_a_copy(4, &store, "markdown", 1);
    assert!(md.contains("| verdict | target | new findings |"), "{md}");
    assert!(md.contains("“hundreds”") && md.contains("**✗**"), "{md}");
    assert!(!md.contains("Responsive Image"), "{md}");
    assert!(
        md.contains("1 finding standing since the previous audit"),
        "{md}"
    );
    let gh = audit_new_on_a_copy(4, &store, "github", 1);
    assert!(gh.contains("::error title=stet%3A soft-power::"), "{gh}");
    assert!(
        gh.contains("“hundreds”") && !gh.contains("Responsive Image"),
        "{gh}"
    );
    assert_exit(&on(4, &store, &["--offline", "audit", "--new"]), 1);
    let md = audit_new_on_a_copy(4, &store, "markdown", 0);
    assert!(
        md.starts_with("## stet audit --new (offline): 1 target: nothing new\n"),
        "{md}"
    );
    assert!(!md.contains("| verdict"), "{md}");

    // Reverted: the edits are resolved, and each format says so.
    server.route("/soft-power", v1());
    assert_exit(&on(6, &store, &["snapshot", "soft-power"]), 0);
    let md = audit_new_on_a_copy(6, &store, "markdown", 0);
    assert!(
        md.contains("✓ resolved edit (paragraph): “dozens” → “hundreds”"),
        "{md}"
    );
    let gh = audit_new_on_a_copy(6, &store, "github", 0);
    assert!(
        gh.contains(
            "::notice title=stet%3A soft-power::resolved edit (paragraph): “dozens” → “hundreds”"
        ),
        "{gh}"
    );
    assert!(!gh.contains("::error"), "{gh}");
    let html = audit_new_on_a_copy(6, &store, "html", 0);
    assert!(html.contains("Resolved since the previous audit"), "{html}");
    assert!(html.contains("<del>dozens</del>"), "{html}");
}

#[test]
fn the_ack_hint_names_the_target_by_its_name() {
    let (_server, _dir, store, url) = watching_v1();
    assert_exit(&on(2, &store, &["snapshot", "soft-power"]), 0);
    let out = on(2, &store, &["ack", "soft-power", "--note", "known"]);
    assert_exit(&out, 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no audit of soft-power is recorded: run `stet audit soft-power` first"),
        "{err}"
    );
    assert!(!err.contains(&url), "{err}");
}

/// The bundled example (stet.toml, its store, the archive copy's file) in a
/// fresh directory.
fn bundled_example() -> (tempfile::TempDir, PathBuf) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("tempdir");
    for part in ["stet.toml", "snapshots", "fixtures"] {
        let status = std::process::Command::new("cp")
            .arg("-r")
            .arg(root.join(part))
            .arg(dir.path())
            .status()
            .expect("cp");
        assert!(status.success());
    }
    let store = dir.path().join("snapshots");
    (dir, store)
}

#[test]
fn an_extractor_upgrade_is_not_a_page_change() {
    let (_dir, store) = bundled_example();
    // The archive copy, snapshotted again by this build: the same bytes,
    // a document from today's extractor.
    let out = on(20, &store, &["snapshot", "archive-copy"]);
    assert_exit(&out, 0);
    let out = on(
        20,
        &store,
        &["--offline", "audit", "archive-copy", "--format", "json"],
    );
    assert_exit(&out, 0);
    let v = json(&out);
    let t = &v["targets"][0];
    let stored = t["reference"]["extractor_version"].as_str().unwrap_or("");
    if stored == stet::extract::EXTRACTOR_VERSION {
        eprintln!("skipped: the bundled store was made by today's extractor");
        return;
    }
    assert_ne!(t["reference"]["id"], t["current"]["id"], "{t}");
    assert_eq!(t["verdict"], "notice", "{t}");
    assert!(
        t["findings"]
            .as_array()
            .is_some_and(|f| f.iter().all(|f| f["kind"] != "edit")),
        "{t}"
    );
    let notes = t["notes"].to_string();
    assert!(
        notes.contains(&format!("was extracted by {stored}"))
            && notes.contains(stet::extract::EXTRACTOR_VERSION),
        "{t}"
    );
    // Said as a note in the text report too.
    let out = on(20, &store, &["--offline", "audit", "archive-copy"]);
    let text = stdout(&out);
    assert!(text.contains("note: the reference"), "{text}");
    assert!(
        text.starts_with("stet audit (offline): 1 target: 1 notice"),
        "{text}"
    );
}

/// A redeploy that only puts cache busters on the images and tracking
/// parameters on the links is nothing new for cron: the image findings
/// (the placeholder alt text) stand, none is new and none resolved.
#[test]
fn a_redeploy_with_cache_busters_is_nothing_new() {
    let (server, _dir, store, _) = watching_v1();
    assert_exit(&on(2, &store, &["audit"]), 0);
    let page = std::fs::read_to_string(fixture("article-v1.html")).expect("fixture");
    let redeployed = regex::Regex::new(r#"(<img\b[^>]*?\ssrc="[^"?]+)""#)
        .expect("regex")
        .replace_all(&page, r#"${1}?v=1700000018""#)
        .replace(".html\"", ".html?utm_source=twitter\"");
    assert_ne!(redeployed, page, "the fixture has images to bust");
    server.route("/soft-power", Reply::ok(redeployed));
    let t = nothing_new(3, &store);
    assert_eq!(t["standing"], 1, "the placeholder alt text stands: {t}");
}

/// `audit --new` on `day`, which must find nothing new and nothing
/// resolved (exit 0); the target's row.
#[track_caller]
fn nothing_new(day: u32, store: &Path) -> Json {
    let out = on(day, store, &["audit", "--new", "--format", "json"]);
    assert_exit(&out, 0);
    let t = json(&out)["targets"][0].clone();
    assert_eq!(t["findings"], Json::Array(Vec::new()), "{t}");
    assert_eq!(t["resolved"], Json::Array(Vec::new()), "{t}");
    t
}

/// A "More stories" list inside the article whose teasers rotate between
/// nights: the teasers' pictures are the other stories', so neither the
/// first audit (no missing caption) nor the night a teaser is replaced (no
/// image changed, no finding new or resolved) reports anything of them.
#[test]
fn a_rotating_more_stories_list_is_nothing_new() {
    let (server, _dir, store, _) = watching_v1();
    let page = std::fs::read_to_string(fixture("article-v1.html")).expect("fixture");
    let teaser = |slug: &str, headline: &str| {
        format!(
            "<li><a href=\"/2011/05/{slug}/\"><img src=\"/images/{slug}-300x200.jpg\" alt=\"\"></a> \
             <a href=\"/2011/05/{slug}/\">{headline}</a></li>"
        )
    };
    let with_stories = |stories: &[String]| {
        page.replacen(
            "  <div class=\"share-box\"",
            &format!(
                "  <div><h3>More from Rights Monitor</h3><ul>{}</ul></div>\n  <div class=\"share-box\"",
                stories.concat()
            ),
            1,
        )
    };
    let night2 = with_stories(&[
        teaser("tibet-monastery", "Monks leave a Tibetan monastery"),
        teaser("lawyers-detained", "Three more lawyers detained in Beijing"),
    ]);
    assert_ne!(night2, page, "the fixture has a share box to insert before");
    server.route("/soft-power", Reply::ok(night2));
    let out = on(2, &store, &["audit", "--format", "json"]);
    assert_exit(&out, 0);
    let images = json(&out)["targets"][0]["findings"]
        .as_array()
        .map(|f| f.iter().filter(|f| f["kind"] == "missing_caption").count());
    assert_eq!(images, Some(0), "{}", stdout(&out));
    server.route(
        "/soft-power",
        Reply::ok(with_stories(&[
            teaser("tibet-monastery", "Monks leave a Tibetan monastery"),
            teaser("artist-released", "Artist released on bail after 81 days"),
        ])),
    );
    nothing_new(3, &store);
}

/// The report of a `--new` audit without its `reference … → current …`
/// line (snapshot ids and fetch times).
fn without_versions(report: &str) -> String {
    report
        .lines()
        .filter(|l| !l.trim_start().starts_with("reference "))
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn a_page_gone_for_a_night_resolves_nothing_but_its_death() {
    let (server, _dir, store, url) = watching_v1();
    let new = ["audit", "--new", "--color", "never"];

    // Monday: the placeholder alt text, a notice.
    let out = on(2, &store, &new);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("placeholder_alt"), "{}", stdout(&out));
    let monday = reference_of(&stdout(&out));

    // Tuesday: the page answers 404. The page's death is new; what was
    // found in its text and images is unseen, not resolved.
    server.route("/soft-power", Reply::status(404, "<h1>Not found</h1>"));
    let out = on(3, &store, &new);
    assert_exit(&out, 1);
    assert_eq!(
        without_versions(&stdout(&out)),
        format!(
            "stet audit --new: 1 target: 1 new finding (1 failing)\n\
             \n\
             FAIL    soft-power {url}\n        \
             target_dead answered 404: {url} answered 404 [{dead}]\n        \
             hint: `stet ack soft-power {dead} --note WHY` accepts the target_dead\n        \
             1 finding standing since the previous audit (not repeated)\n",
            dead = dead_fingerprint(&stdout(&out)),
        )
    );

    // Wednesday: still dead, nothing new.
    let out = on(4, &store, &["--quiet", "audit", "--new"]);
    assert_exit(&out, 0);
    assert_eq!(stdout(&out), "");

    // Thursday: the page is back as it was. Its death is resolved; the
    // placeholder alt text is the one found on Monday, not a new finding.
    server.route("/soft-power", v1());
    let out = on(5, &store, &new);
    assert_exit(&out, 0);
    let report = stdout(&out);
    assert_eq!(
        without_versions(&report),
        format!(
            "stet audit --new: 1 target: 1 resolved\n\
             \n\
             NOTICE  soft-power {url}\n        \
             the current text is the one of {reference} (changed back)\n        \
             resolved target_dead {url}: answered “404” [{dead}]\n        \
             1 finding standing since the previous audit (not repeated)\n",
            reference = monday,
            dead = dead_fingerprint(&report),
        )
    );

    // Friday: nothing new.
    let out = on(6, &store, &["--quiet", "audit", "--new"]);
    assert_exit(&out, 0);
    assert_eq!(stdout(&out), "");
}

/// The short fingerprint of the report's `target_dead` finding.
#[track_caller]
fn dead_fingerprint(report: &str) -> String {
    let line = report
        .lines()
        .find(|l| l.contains("target_dead"))
        .unwrap_or_else(|| panic!("no target_dead in {report}"));
    let open = line.rfind('[').expect("a fingerprint");
    line[open + 1..line.len() - 1].to_string()
}

/// The reference's short id in a report.
#[track_caller]
fn reference_of(report: &str) -> String {
    let line = report
        .lines()
        .find(|l| l.trim_start().starts_with("reference "))
        .unwrap_or_else(|| panic!("no reference in {report}"));
    line.split_whitespace().nth(1).expect("an id").to_string()
}

/// A CI job or a person running `stet --offline audit` between two nights
/// does not check links: the dead link the cron reported is not gone, so
/// the next night stays silent and `stet ack` still finds it.
#[test]
fn an_offline_audit_between_nights_does_not_revive_a_dead_link() {
    let server = TestServer::start();
    let report = server.url("/report.pdf"); // never routed: 404
    let page = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Council approves budget</title></head><body><article>\n\
         <h1>Council approves budget</h1>\n\
         <p>The city council approved a 41 million dollar budget on Tuesday after a long debate, according to <a href=\"{report}\">the council's published report</a>, which was released in the morning.</p>\n\
         <p>Council members said the spending plan would add money for schools, parks and road repairs over the next fiscal year, and keep property taxes flat.</p>\n\
         <p>The mayor said she would sign the budget later this week after reviewing the final version with her staff.</p>\n\
         </article></body></html>\n"
    );
    server.route("/budget", Reply::ok(page));
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("stet.toml"),
        format!(
            "[defaults]\nignore_robots = true\n\n[[target]]\nname = \"budget\"\nurl = \"{}\"\n",
            server.url("/budget")
        ),
    )
    .expect("write stet.toml");
    let store = dir.path().join("snapshots");
    let night = |day| on(day, &store, &["--quiet", "audit", "--new"]);

    let first = night(1);
    assert_exit(&first, 1);
    let lines: Vec<String> = stdout(&first)
        .lines()
        .filter(|l| l.trim_start().starts_with("dead_link"))
        .map(str::to_string)
        .collect();
    let fingerprint = fingerprint_in(&stdout(&first));
    assert_eq!(fingerprint.len(), 12, "{}", stdout(&first));
    assert_eq!(
        lines,
        [format!(
            "        dead_link link “the council's published report”: {report} (404) [{fingerprint}]"
        )],
        "{}",
        stdout(&first)
    );
    for day in 2..=3 {
        assert_exit(&on(day, &store, &["--offline", "audit"]), 0);
        let out = night(day);
        assert_exit(&out, 0);
        assert_eq!(stdout(&out), "", "night {day}");
    }
    let ack = on(
        3,
        &store,
        &["ack", "budget", "--note", "the council moved it"],
    );
    assert_exit(&ack, 0);
    assert!(
        stdout(&ack).starts_with("acknowledged "),
        "{}",
        stdout(&ack)
    );
}

/// The 12-digit fingerprint in a dead_link line of a text report.
fn fingerprint_in(text: &str) -> String {
    text.lines()
        .find(|l| l.trim_start().starts_with("dead_link"))
        .and_then(|l| {
            l.rsplit_once('[')
                .map(|(_, f)| f.trim_end_matches(']').to_string())
        })
        .unwrap_or_default()
}

#[test]
fn acknowledging_an_audit_that_found_nothing_is_no_failure() {
    // A script that acknowledges after each reviewed night must not fail
    // on a night with nothing to acknowledge.
    let server = TestServer::start();
    server.route(
        "/plain",
        Reply::ok(
            "<html><head><title>Plain</title></head><body><article><p>A paragraph of an \
             article with no picture and no link, long enough to be its text.</p></article></body></html>",
        )
        .header("content-type", "text/html"),
    );
    let url = server.url("/plain");
    let (_dir, store) = desk(&url);
    assert_exit(&on(2, &store, &["audit", "soft-power"]), 0);
    let journal = common::store_files(&store, "targets")
        .into_iter()
        .find(|p| p.ends_with("journal"))
        .expect("a journal");
    let before = std::fs::read(&journal).expect("journal");
    let out = on(2, &store, &["ack", "soft-power", "--note", "reviewed"]);
    assert_exit(&out, 0);
    assert_eq!(
        stdout(&out),
        format!("nothing to acknowledge: the last audit of {url} found nothing\n")
    );
    // Nothing was written.
    assert_eq!(std::fs::read(&journal).expect("journal"), before);
    // A fingerprint that is not there is still a mistake.
    assert_exit(
        &on(
            2,
            &store,
            &["ack", "soft-power", "0a90568e69de", "--note", "x"],
        ),
        2,
    );
}

/// A rewritten headline is a new version whose article text is the same:
/// `stet log` says both, in text and in JSON, not just "same text".
#[test]
fn the_log_says_when_only_the_headline_changed() {
    let (server, _dir, store, _) = watching_v1();
    assert_exit(&on(1, &store, &["audit"]), 0);
    let page = std::fs::read_to_string(fixture("article-v1.html")).expect("fixture");
    let old = ">U.S.-China Human Rights Dialogue: Soft Power Gone Hard?</h1>";
    assert!(page.contains(old));
    let rewritten = page.replace(old, ">Rights Talks With China Collapse</h1>");
    server.route("/soft-power", Reply::ok(rewritten));
    assert_exit(&on(2, &store, &["audit"]), 1);

    let out = on(2, &store, &["log", "soft-power"]);
    assert_exit(&out, 0);
    let log = stdout(&out);
    let changes: Vec<&str> = log
        .lines()
        .skip(1)
        .take(2)
        .map(|l| l.split(" B  ").nth(1).unwrap_or(l))
        .collect();
    assert_eq!(changes[1], "same text, new headline", "{log}");
    assert!(changes[0].ends_with("(reference)"), "{log}");
    assert!(!changes[0].contains("headline"), "{log}");

    let out = on(2, &store, &["log", "soft-power", "--format", "json"]);
    assert_exit(&out, 0);
    let entries = &json(&out)["entries"];
    assert_eq!(
        [
            &entries[0]["headline_changed"],
            &entries[1]["headline_changed"],
            &entries[1]["same_text"]
        ],
        [&Json::Bool(false), &Json::Bool(true), &Json::Bool(true)]
    );
}

/// A finding the desk was told of as passing, that fails from one night on
/// (the policy or stet's rules changed, not the page), is news that night:
/// `--new` reports it once, then it stands.
#[test]
fn a_finding_that_starts_failing_is_news() {
    let (server, _dir, store, _) = watching_v1();
    let quiet_new = ["--quiet", "audit", "--new"];
    assert_exit(&on(2, &store, &quiet_new), 0);
    let page = std::fs::read_to_string(fixture("article-v1.html")).expect("fixture");
    let fixed = page.replacen("rolling out an glossy", "rolling out a glossy", 1);
    assert_ne!(fixed, page, "the fixture has the typo");
    server.route("/soft-power", Reply::ok(fixed));
    // A minor edit: below the default policy, so nothing to say.
    let night3 = on(3, &store, &quiet_new);
    assert_exit(&night3, 0);
    assert_eq!(stdout(&night3), "");
    // Minor edits fail from tonight on: the edit is news once, then stands.
    let strict = [
        "--quiet",
        "audit",
        "--new",
        "--fail-on",
        "edits",
        "--format",
        "json",
    ];
    let night4 = on(4, &store, &strict);
    assert_exit(&night4, 1);
    let t = json(&night4)["targets"][0].clone();
    let findings = t["findings"].as_array().cloned().unwrap_or_default();
    assert_eq!(findings.len(), 1, "{t}");
    assert_eq!(findings[0]["kind"], "edit", "{t}");
    assert_eq!(findings[0]["class"], "minor", "{t}");
    assert_eq!(findings[0]["fails"], true, "{t}");
    assert_eq!(t["standing"], 1, "the placeholder alt text stands: {t}");
    // Nothing new fails: quiet, no target; the report without `--quiet`
    // says what stands.
    let night5 = on(5, &store, &strict[1..]);
    assert_exit(&night5, 0);
    let t = json(&night5)["targets"][0].clone();
    assert_eq!(t["findings"], Json::Array(Vec::new()), "{t}");
    assert_eq!(t["standing"], 2, "{t}");
}

/// Nights 1 and 2 of a watched article: the first audit, then an edit,
/// reported once.
fn audited_and_edited() -> (TestServer, tempfile::TempDir, PathBuf) {
    let (server, dir, store, _) = watching_v1();
    let quiet_new = ["--quiet", "audit", "--new"];
    assert_exit(&on(1, &store, &quiet_new), 0);
    server.route("/soft-power", edited());
    assert_exit(&on(2, &store, &quiet_new), 1);
    (server, dir, store)
}

/// The edited article back on `day`: nothing new, only the
/// `article_gone` resolves; the output.
#[track_caller]
fn article_back(day: u32, server: &TestServer, store: &Path) -> Output {
    server.route("/soft-power", edited());
    let out = on(day, store, &["audit", "--new", "--format", "json"]);
    assert_exit(&out, 0);
    let t = json(&out)["targets"][0].clone();
    assert_eq!(t["findings"], Json::Array(Vec::new()), "{t}");
    assert_eq!(kinds(&t, "resolved"), ["article_gone"], "{t}");
    out
}

/// A night the page shows a paywall instead of the article is one
/// `article_gone` finding, not every paragraph deleted; the findings the
/// article had stand meanwhile, and the night it is back nothing is news
/// (before, every edit of the article was reported again).
#[test]
fn a_paywall_for_a_night_is_one_finding_and_nothing_when_it_lifts() {
    let (server, _dir, store) = audited_and_edited();
    let standing = |out: &Output| json(out)["targets"][0]["standing"].as_u64();
    let wall = "<html><head><title>Subscribe to continue reading</title></head><body>\
                <div class=\"paywall\"><h2>Subscribe to continue reading</h2><p>Get unlimited \
                access for just $1 a week. Already a subscriber? <a href=\"/login\">Log in</a>.\
                </p></div></body></html>";
    server.route("/soft-power", Reply::ok(wall.to_string()));
    let t = only_article_gone(3, &store);
    assert_eq!(
        t["resolved"],
        Json::Array(Vec::new()),
        "nothing resolved: {t}"
    );
    let night4 = on(4, &store, &["audit", "--new", "--format", "json"]);
    assert_exit(&night4, 0);
    assert_eq!(
        json(&night4)["targets"][0]["findings"],
        Json::Array(Vec::new())
    );
    // The article is back, edited as before: only the wall resolves.
    let out = article_back(5, &server, &store);
    // What the article had stands as it stood, less the wall.
    assert_eq!(standing(&out).map(|n| n + 1), standing(&night4));
}

/// A metered paywall that shows the article's first two paragraphs and
/// then asks for a subscription is one `article_gone` finding quoting the
/// wall, not every later paragraph, the byline and the correction deleted;
/// the night the article is back nothing is news.
#[test]
fn a_metered_paywall_after_the_lede_is_one_finding() {
    let (server, _dir, store) = audited_and_edited();
    let html = std::fs::read_to_string(fixture("article-v3-edited.html")).expect("fixture");
    let (from, to) = (
        html.find("<p>At a press conference")
            .expect("third paragraph"),
        html.find("  </div>\n  <div class=\"share-box\"")
            .expect("end of the text"),
    );
    let metered = format!(
        "{}<div class=\"paywall\"><h2>Subscribe to continue reading</h2><p>You have read \
         all of your free articles this month. Get unlimited access for just $1 a week. \
         Already a subscriber? <a href=\"/login\">Log in</a>.</p></div>\n{}",
        &html[..from],
        &html[to..]
    );
    server.route("/soft-power", Reply::ok(metered));
    let t = only_article_gone(3, &store);
    let f = &t["findings"][0];
    assert_eq!(
        (f["location"].as_str(), f["after"].as_str()),
        (
            Some("14% of the text left, its opening"),
            Some(
                "Subscribe to continue reading You have read all of your free articles this \
                 month. Get unlimited access for just $1 a wee…"
            )
        ),
        "{t}"
    );
    assert_exit(&on(4, &store, &["--quiet", "audit", "--new"]), 0);
    article_back(5, &server, &store);
}

/// An article taken down by redirecting its URL to the front page (as long
/// as the article, all other stories) is `article_gone` too, not the
/// front page's text as an edit of the article.
#[test]
fn an_article_redirected_to_the_front_page_is_gone() {
    let (server, _dir, store, _) = watching_v1();
    assert_exit(&on(1, &store, &["--quiet", "audit", "--new"]), 0);
    let front: String = (1..=40)
        .map(|i| {
            format!(
                "<article><h2><a href=\"/story-{i}\">Story number {i} of the day</a></h2>\
                 <p>The council of district {i} met on Tuesday to debate the harbour plan, \
                 the budget and the schools, and voted to meet again next month.</p></article>"
            )
        })
        .collect();
    server.route(
        "/",
        Reply::ok(format!(
            "<html><head><title>Rights Monitor</title></head><body><main>{front}</main></body></html>"
        )),
    );
    server.route("/soft-power", Reply::redirect(301, "/"));
    only_article_gone(2, &store);
}

/// An article replaced by a PDF (or an image) is `article_gone` saying what
/// the page is now and that it shows no text, not a quote of nothing (`“”`).
#[test]
fn an_article_turned_pdf_is_gone_and_says_what_it_is() {
    let (server, _dir, store) = audited_and_edited();
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    server.route(
        "/soft-power",
        Reply::ok(pdf).header("Content-Type", "application/pdf"),
    );
    let t = only_article_gone(3, &store);
    let f = &t["findings"][0];
    assert_eq!(
        (f["location"].as_str(), f["after"].as_str()),
        (Some("0% of the text left, now application/pdf"), Some("")),
        "{t}"
    );
    // The target's findings as the text report shows them, whole.
    let text = stdout(&on(3, &store, &["--offline", "audit"]));
    let fp = f["fingerprint"].as_str().unwrap_or_default();
    let fp = fp.get(..12).unwrap_or(fp);
    let shown: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.contains(" → current "))
        .skip(1)
        .collect();
    assert_eq!(
        shown,
        [
            format!(
                "        article_gone 0% of the text left, now application/pdf: {} \
                 no longer shows the article; it shows no text [{fp}]",
                server.url("/soft-power")
            ),
            format!("        hint: `stet ack soft-power {fp} --note WHY` accepts the article_gone"),
        ],
        "{text}"
    );
}

/// The kinds of a target row's findings (`field`: "findings", "resolved").
fn kinds(t: &Json, field: &str) -> Vec<String> {
    t[field]
        .as_array()
        .map(|f| {
            f.iter()
                .filter_map(|f| f["kind"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// `audit --new` on `day`, which must fail with one new finding,
/// `article_gone`; the target's row.
#[track_caller]
fn only_article_gone(day: u32, store: &Path) -> Json {
    let out = on(day, store, &["audit", "--new", "--format", "json"]);
    assert_exit(&out, 1);
    let t = json(&out)["targets"][0].clone();
    assert_eq!(kinds(&t, "findings"), ["article_gone"], "{t}");
    t
}

/// A page with one picture, on `server` of a CDN, alt text a placeholder.
fn picture_on(server: &str) -> Reply {
    Reply::ok(format!(
        "<html><head><title>Harbour plan approved</title></head><body><article>\
         <h1>Harbour plan approved</h1>\
         <p>The council approved the harbour plan on Monday after a long debate that drew hundreds of residents.</p>\
         <figure><img src=\"https://{server}.media.example.org/photos/harbour.jpg\" alt=\"Responsive Image\"></figure>\
         <p>Opponents said they would keep campaigning against the plan in the coming weeks and months.</p>\
         </article></body></html>"
    ))
}

#[test]
fn an_acknowledgement_by_an_earlier_version_survives_the_next_redeploy() {
    let server = TestServer::start();
    server.route("/soft-power", picture_on("s1"));
    let url = server.url("/soft-power");
    let (_dir, store) = desk(&url);
    let night = |day| {
        on(
            day,
            &store,
            &["--quiet", "audit", "--new", "--fail-on", "placeholder-alt"],
        )
    };
    assert_exit(&night(1), 1);
    // An acknowledgement as stet-extract/24 and earlier wrote it: the
    // picture named by its key under their rules (the server's number kept).
    let earlier = stet::watch::fingerprint(
        "placeholder_alt",
        "s1.media.example.org/photos/harbour",
        None,
        Some("Responsive Image"),
    );
    stet::store::Store::open(&store)
        .and_then(|s| s.writer(Duration::from_secs(5)))
        .and_then(|w| {
            w.record_acks(
                &url,
                vec![stet::store::journal::AckRecord {
                    at: "2026-11-01T04:00:00Z".into(),
                    by: Some("desk".into()),
                    note: "placeholder accepted".into(),
                    fingerprint: earlier,
                    kind: "placeholder_alt".into(),
                    location: "https://s1.media.example.org/photos/harbour.jpg".into(),
                }],
            )
        })
        .expect("record the acknowledgement");
    let out = night(2);
    assert_exit(&out, 0);
    assert_eq!(stdout(&out), "");
    // The redeploy moves the picture to another server of its CDN: the same
    // picture, still acknowledged, and nothing to say.
    server.route("/soft-power", picture_on("s2"));
    let out = night(3);
    assert_exit(&out, 0);
    assert_eq!(stdout(&out), "");
    let out = on(
        3,
        &store,
        &["audit", "--offline", "--fail-on", "placeholder-alt"],
    );
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("acknowledged placeholder_alt images[0]: image https://s2.media"),
        "{}",
        stdout(&out)
    );
}

/// v1 of the article with `from` replaced by `to` (once each).
fn v1_with(edits: &[(&str, &str)]) -> Reply {
    let mut html = std::fs::read_to_string(fixture("article-v1.html")).expect("fixture");
    for (from, to) in edits {
        assert!(html.contains(from), "{from}");
        html = html.replacen(from, to, 1);
    }
    Reply::ok(html)
}

/// A quiet night never tells of a minor edit; when it goes away on a night
/// that alerts, the quiet report does not list it as resolved (the desk
/// never heard of it). Without `--quiet` it is listed.
#[test]
fn a_quiet_report_lists_as_resolved_only_what_it_told_of() {
    let minor = ("lavishly", "heavily");
    let number = ("dozens", "hundreds");
    for quiet in [true, false] {
        let (server, _dir, store, _) = watching_v1();
        let args: &[&str] = if quiet {
            &["--quiet", "audit", "--new"]
        } else {
            &["audit", "--new"]
        };
        assert_exit(&on(2, &store, args), 0);
        // A minor edit: nothing fails.
        server.route("/soft-power", v1_with(&[minor]));
        let out = on(3, &store, args);
        assert_exit(&out, 0);
        assert_eq!(stdout(&out).is_empty(), quiet, "{}", stdout(&out));
        // The minor edit undone, a number changed: an alert.
        server.route("/soft-power", v1_with(&[number]));
        let out = on(4, &store, args);
        assert_exit(&out, 1);
        let report = stdout(&out);
        let lines: Vec<&str> = report.lines().map(str::trim).collect();
        let resolved: Vec<&&str> = lines.iter().filter(|l| l.starts_with("resolved")).collect();
        if quiet {
            assert_eq!(lines.len(), 5, "{report}");
            assert!(lines[0].starts_with("FAIL    soft-power "), "{report}");
            assert!(lines[1].starts_with("reference "), "{report}");
            assert!(
                lines[2].starts_with("edit substantive (number) block 5 (paragraph): …dissent that has seen [“dozens” → “hundreds”]"),
                "{report}"
            );
            assert_eq!(lines[3], "hint: `stet pin soft-power` accepts the changes");
            // The placeholder alt text: known, not repeated.
            assert_eq!(
                lines[4],
                "1 finding standing since the previous audit (not repeated)"
            );
        } else {
            assert_eq!(resolved.len(), 1, "{report}");
            assert!(
                resolved[0].starts_with("resolved edit paragraph: “lavishly” → “heavily” ["),
                "{report}"
            );
        }
    }
}

/// The edit findings of an audit's JSON report: (fingerprint, fails).
fn edit_findings(v: &Json) -> Vec<(String, bool)> {
    v["targets"][0]["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|f| f["kind"] == "edit")
                .map(|f| {
                    (
                        f["fingerprint"].as_str().unwrap_or_default().to_string(),
                        f["fails"] == true,
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_same_words_inserted_twice_are_two_findings_and_one_ack_covers_one() {
    let (server, _dir, store, _) = watching_v1();
    let page = std::fs::read_to_string(fixture("article-v1.html")).expect("fixture");
    let with = |from: &str, to: &str| {
        let out = page.replace(from, to);
        assert_ne!(out, page, "{from}");
        out
    };
    let v2 = with(
        "Beijing suspended the dialogues in 2004 in protest over a U.S-sponsored UN resolution criticizing China, agreed",
        "Beijing reportedly suspended the dialogues in 2004 in protest over a U.S-sponsored UN resolution criticizing China, reportedly agreed",
    );
    assert_exit(&on(2, &store, &["audit"]), 0);
    server.route("/soft-power", Reply::ok(v2.clone()));
    let out = on(3, &store, &["audit", "--format", "json"]);
    assert_exit(&out, 1);
    let night3 = edit_findings(&json(&out));
    assert_eq!(night3.len(), 2, "{night3:?}");
    assert_ne!(night3[0].0, night3[1].0, "two insertions, one fingerprint");

    // The desk accepts the first insertion only.
    let out = on(
        3,
        &store,
        &["ack", "soft-power", &night3[0].0[..12], "--note", "sourced"],
    );
    assert_exit(&out, 0);
    let out = on(3, &store, &["audit", "--format", "json"]);
    assert_exit(&out, 1);
    let fails: Vec<bool> = edit_findings(&json(&out)).iter().map(|f| f.1).collect();
    assert_eq!(fails, [false, true]);
    let out = on(
        4,
        &store,
        &["ack", "soft-power", &night3[1].0[..12], "--note", "sourced"],
    );
    assert_exit(&out, 0);
    assert_exit(&on(4, &store, &["--quiet", "audit", "--new"]), 0);

    // A third "reportedly" in the same paragraph is a new edit, failing.
    server.route(
        "/soft-power",
        Reply::ok(v2.replace("then boycotted", "then reportedly boycotted")),
    );
    let out = on(5, &store, &["--quiet", "audit", "--new"]);
    assert_exit(&out, 1);
    assert_eq!(
        stdout(&out).matches("edit substantive").count(),
        1,
        "{}",
        stdout(&out)
    );
}

/// The desk's stet.toml for `soft-power` with extra target lines.
fn watch_with(dir: &Path, url: &str, extra: &str) {
    std::fs::write(
        dir.join("stet.toml"),
        format!("[[target]]\nname = \"soft-power\"\nurl = \"{url}\"\nlinks = false\n{extra}"),
    )
    .expect("write stet.toml");
}

#[test]
fn an_ignore_rule_added_later_applies_to_the_reference_too() {
    let (server, dir, store, url) = watching_v1();
    assert_exit(&on(2, &store, &["audit"]), 0);
    // The desk cuts a sentence it does not want compared; the page is the same.
    watch_with(
        dir.path(),
        &url,
        "ignore = [\"/Security, in other words, appears to have taken precedence over soft power\\\\./\"]\n",
    );
    let out = on(3, &store, &["--quiet", "audit", "--new"]);
    assert_exit(&out, 0);
    assert_eq!(stdout(&out), "");
    let out = on(3, &store, &["--offline", "audit", "--format", "json"]);
    assert_exit(&out, 0);
    let v = json(&out);
    assert_eq!(edit_findings(&v), [], "{v}");
    let notes = v["targets"][0]["notes"].to_string();
    assert!(
        notes.contains("with the target's settings in stet.toml"),
        "{notes}"
    );

    // A real edit elsewhere is still one finding, and the cut sentence none.
    let page = std::fs::read_to_string(fixture("article-v1.html")).expect("fixture");
    let edited = page.replace("dozens of writers", "hundreds of writers");
    assert_ne!(edited, page);
    server.route("/soft-power", Reply::ok(edited));
    let out = on(4, &store, &["audit", "--format", "json"]);
    assert_exit(&out, 1);
    let edits: Vec<String> = json(&out)["targets"][0]["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|f| f["kind"] == "edit")
                .map(|f| format!("{} → {}", f["before"], f["after"]))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(edits, ["\"dozens\" → \"hundreds\""]);
}

#[test]
fn a_selector_that_does_not_parse_is_an_error_before_anything_runs() {
    let (_server, dir, store, url) = watching_v1();
    assert_exit(&on(2, &store, &["audit"]), 0);
    watch_with(dir.path(), &url, "selector = \"div[[[\"\n");
    for args in [&["--offline", "audit"][..], &["audit"][..]] {
        let out = on(3, &store, args);
        assert_exit(&out, 2);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("invalid CSS selector \"div[[[\""), "{err}");
    }
}

/// Quiet, every format shows only what fails or errs, as quiet text does:
/// a night with nothing new is an empty report, not every target.
#[test]
fn quiet_machine_formats_show_only_what_fails() {
    let (server, _dir, store, _) = watching_v1();
    assert_exit(&on(1, &store, &["audit"]), 0);
    let quiet = |day, format: &str| {
        on(
            day,
            &store,
            &["--quiet", "audit", "--new", "--format", format],
        )
    };
    let out = quiet(2, "json");
    assert_exit(&out, 0);
    assert_eq!(json(&out)["targets"], serde_json::json!([]));
    let junit = stdout(&quiet(2, "junit"));
    assert_eq!(junit.matches("<testcase").count(), 0, "{junit}");
    assert_eq!(stdout(&quiet(2, "github")), "");

    server.route("/soft-power", edited());
    let out = quiet(3, "json");
    assert_exit(&out, 1);
    let v = json(&out);
    assert_eq!(v["targets"].as_array().map(Vec::len), Some(1), "{v}");
    assert_eq!(v["targets"][0]["verdict"], "fail");
    // Not quiet, the JSON report lists every target.
    let out = on(4, &store, &["audit", "--new", "--format", "json"]);
    assert_eq!(json(&out)["targets"].as_array().map(Vec::len), Some(1));
}
