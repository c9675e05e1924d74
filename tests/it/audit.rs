//! `stet diff` and `stet audit` on the seed fixtures: boilerplate changes
//! are no edit, real edits are each found with their words, captions, alt
//! text, provenance and a dead target are findings, and output is
//! byte-identical across runs and store locations.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::server::{Reply, TestServer};
use common::{fixture, stet, Json};

const URL: &str = "https://www.rightsmonitor.example/2011/04/27/soft-power/";

fn run(store: &Path, args: &[&str]) -> Output {
    stet(store).args(args).output().expect("run stet")
}

fn f(name: &str) -> String {
    fixture(name).to_string_lossy().into_owned()
}

/// A store with the given fixtures imported, in order, as versions of URL.
fn store_with(dir: &Path, versions: &[&str]) -> PathBuf {
    let store = dir.join("store");
    for (i, v) in versions.iter().enumerate() {
        snapshot_as_url(&store, Path::new(&f(v)), i + 1);
    }
    store
}

/// The seed article with its first `from` replaced by `to`, written to
/// `dir/name`.
fn seed_edited(dir: &Path, name: &str, from: &str, to: &str) -> PathBuf {
    let html = std::fs::read_to_string(fixture("article-v1.html")).expect("fixture");
    let edited = html.replacen(from, to, 1);
    assert_ne!(html, edited, "the seed article has {from:?}");
    let path = dir.join(name);
    std::fs::write(&path, edited).expect("write");
    path
}

/// Snapshot the page at `page` as a version of URL, taken on November `day`.
fn snapshot_as_url(store: &Path, page: &Path, day: usize) {
    let out = stet(store)
        .env("STET_NOW", format!("2026-11-{day:02}T06:00:00Z"))
        .args(["snapshot", "--as", URL, &page.to_string_lossy()])
        .output()
        .expect("run stet");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn audit_json(store: &Path, extra: &[&str]) -> (Output, Json) {
    let mut args = vec!["--offline", "audit", "--format", "json"];
    args.extend_from_slice(extra);
    args.push(URL);
    let out = run(store, &args);
    let v: Json = serde_json::from_slice(&out.stdout).unwrap_or(Json::Null);
    (out, v)
}

fn findings<'a>(v: &'a Json, kind: &str) -> Vec<&'a Json> {
    v["targets"][0]["findings"]
        .as_array()
        .map(|a| a.iter().filter(|f| f["kind"] == kind).collect())
        .unwrap_or_default()
}

#[test]
fn boilerplate_only_changes_are_no_edit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run(
        &dir.path().join("s"),
        &[
            "diff",
            &f("article-v1.html"),
            &f("article-v2-boilerplate.html"),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let store = store_with(
        dir.path(),
        &["article-v1.html", "article-v2-boilerplate.html"],
    );
    let (out, v) = audit_json(&store, &[]);
    assert_eq!(out.status.code(), Some(0), "{v}");
    assert!(findings(&v, "edit").is_empty(), "{v}");
    assert!(findings(&v, "provenance_changed").is_empty(), "{v}");
    assert_eq!(
        v["targets"][0]["verdict"], "notice",
        "the same article: only the placeholder alt stands"
    );
    assert_eq!(
        findings(&v, "placeholder_alt")[0]["alt"],
        "Responsive Image"
    );
}

#[test]
fn every_real_edit_is_found_with_its_words_and_nothing_else() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_with(dir.path(), &["article-v1.html", "article-v3-edited.html"]);
    let (out, v) = audit_json(&store, &[]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "substantive edits fail by default"
    );
    let t = &v["targets"][0];
    assert_eq!(t["verdict"], "fail");
    let edits: Vec<(String, String, String)> = findings(&v, "edit")
        .iter()
        .map(|e| {
            (
                e["before"].as_str().unwrap_or_default().to_string(),
                e["after"].as_str().unwrap_or_default().to_string(),
                e["class"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let expected = [
        ("dozens", "hundreds", "substantive"),
        (
            "Security, in other words, appears to have taken precedence over soft power.",
            "",
            "substantive",
        ),
        ("2004", "2005", "substantive"),
        ("lavishly", "heavily", "minor"),
    ];
    assert_eq!(edits.len(), expected.len(), "{edits:?}");
    for (got, want) in edits.iter().zip(expected) {
        assert_eq!((got.0.as_str(), got.1.as_str(), got.2.as_str()), want);
    }
    // The appended correction is a finding of its own, and fails by default.
    let corrections = findings(&v, "correction");
    assert_eq!(corrections.len(), 1, "{v}");
    let c = corrections[0];
    assert_eq!(c["action"], "added");
    assert_eq!(c["fails"], true);
    assert_eq!(c["notice"]["kind"], "correction");
    assert_eq!(
        c["notice"]["text"],
        "Correction: An earlier version of this post misstated the year the talks were suspended."
    );
    assert_eq!(c["notice"]["date"], serde_json::Value::Null);
    // Each edit carries its location in both versions.
    let first = findings(&v, "edit")[0];
    assert_eq!(first["edit"]["old_block"], first["edit"]["new_block"]);
    assert!(first["edit"]["old_span"]["start"].as_u64().is_some());
    assert!(findings(&v, "provenance_changed").is_empty(), "{v}");
    assert!(findings(&v, "missing_caption").is_empty());
    // Inputs are named by hash, with the tool versions.
    assert_eq!(
        t["reference"]["text_sha256"].as_str().map(str::len),
        Some(64)
    );
    assert_eq!(v["similar_version"], "3.2.1");
    assert!(v["extractor_version"]
        .as_str()
        .is_some_and(|s| s.starts_with("stet-extract/")));
}

#[test]
fn a_removed_caption_and_changed_links_are_findings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_with(
        dir.path(),
        &["article-v1.html", "article-v4-no-caption.html"],
    );
    let (out, v) = audit_json(&store, &[]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "missing captions fail by default"
    );
    assert_eq!(findings(&v, "missing_caption").len(), 1, "{v}");
    assert_eq!(findings(&v, "caption_changed").len(), 1, "{v}");
    assert!(findings(&v, "edit").is_empty(), "{v}");

    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_with(
        dir.path(),
        &["article-v1.html", "article-v5-links-changed.html"],
    );
    let (_, v) = audit_json(&store, &["--fail-on", "provenance"]);
    let prov = findings(&v, "provenance_changed");
    assert!(
        prov.iter().any(|p| p["after"]
            .as_str()
            .is_some_and(|a| a.contains("BL-CJB-13622"))),
        "the moved source URL is a provenance change: {v}"
    );
    assert_eq!(v["targets"][0]["verdict"], "fail");
}

#[test]
fn fail_on_policy_decides_the_exit_code() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_with(dir.path(), &["article-v1.html", "article-v3-edited.html"]);
    let (out, _) = audit_json(&store, &["--fail-on", "none"]);
    assert_eq!(out.status.code(), Some(0));
    let (out, v) = audit_json(&store, &["--fail-on", "placeholder-alt"]);
    assert_eq!(out.status.code(), Some(1));
    let fails: Vec<&Json> = v["targets"][0]["findings"]
        .as_array()
        .map(|a| a.iter().filter(|f| f["fails"] == true).collect())
        .unwrap_or_default();
    assert_eq!(fails.len(), 1);
    let out = run(&store, &["--offline", "audit", "--fail-on", "edit", URL]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown --fail-on kind `edit`"));
}

#[test]
fn diff_and_offline_audit_are_byte_identical_across_runs_and_store_paths() {
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    let store_a = store_with(a.path(), &["article-v1.html", "article-v3-edited.html"]);
    let store_b = store_with(
        &b.path().join("elsewhere/deeper"),
        &["article-v1.html", "article-v3-edited.html"],
    );
    for format in ["json", "text", "html"] {
        let args = ["--offline", "audit", "--format", format, URL];
        let one = run(&store_a, &args).stdout;
        let two = run(&store_a, &args).stdout;
        let three = run(&store_b, &args).stdout;
        assert!(!one.is_empty());
        assert_eq!(one, two, "{format}: two runs");
        assert_eq!(one, three, "{format}: two store locations");
    }
    for format in ["json", "text", "unified", "html"] {
        let args = [
            "diff",
            "--format",
            format,
            &format!("{URL}@1"),
            &format!("{URL}@2"),
        ];
        let one = run(&store_a, &args);
        assert_eq!(one.status.code(), Some(1));
        assert_eq!(one.stdout, run(&store_a, &args).stdout, "{format}");
        assert_eq!(one.stdout, run(&store_b, &args).stdout, "{format}");
    }
}

#[test]
fn a_page_that_dies_is_a_target_dead_finding() {
    let server = TestServer::start();
    server.route("/a", Reply::file(fixture("article-v1.html")));
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("s");
    let url = server.url("/a");
    // --no-links: the fixture links to real hosts, and tests stay on 127.0.0.1.
    let out = run(
        &store,
        &["audit", "--no-links", "--fail-on", "target-dead", &url],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    server.route("/a", Reply::status(410, "<h1>Gone</h1>"));
    let out = run(&store, &["audit", "--no-links", "--format", "json", &url]);
    assert_eq!(out.status.code(), Some(1));
    let v: Json = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(findings(&v, "target_dead")[0]["status"], 410, "{v}");
    assert_eq!(v["targets"][0]["fetch"], "new");
}

#[test]
fn a_change_back_to_an_earlier_text_is_said_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_with(
        dir.path(),
        &[
            "article-v1.html",
            "article-v3-edited.html",
            "article-v2-boilerplate.html",
        ],
    );
    let (out, v) = audit_json(&store, &[]);
    assert_eq!(out.status.code(), Some(0), "{v}");
    let t = &v["targets"][0];
    assert!(findings(&v, "edit").is_empty());
    assert_eq!(t["seen_before"], t["reference"]["id"], "{t}");
    let text = run(&store, &["--offline", "audit", URL]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("changed back"));
}

#[test]
fn the_html_report_escapes_page_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let evil_a = dir.path().join("a.html");
    let evil_b = dir.path().join("b.html");
    let page = |p: &str| {
        format!("<html><head><title>T</title></head><body><article><h1>T</h1><p>The first paragraph is long enough to be an article paragraph, surely, with words.</p><p>{p}</p></article></body></html>")
    };
    std::fs::write(&evil_a, page("Quoted markup &lt;script&gt;alert(1)&lt;/script&gt; stays text, and so does this sentence here.")).expect("write");
    std::fs::write(&evil_b, page("Quoted markup &lt;img src=x onerror=alert(2)&gt; stays text, and so does this sentence here.")).expect("write");
    let out = run(
        &dir.path().join("s"),
        &[
            "diff",
            "--format",
            "html",
            &evil_a.to_string_lossy(),
            &evil_b.to_string_lossy(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let html = String::from_utf8_lossy(&out.stdout);
    // The page's markup is shown as text (split by <del>/<ins> marks), never as tags.
    assert!(html.contains("Quoted markup &lt;"), "{html}");
    assert!(
        html.contains("script&gt;") && html.contains("img src=x onerror="),
        "{html}"
    );
    assert!(
        !html.contains("<script") && !html.contains("<img"),
        "{html}"
    );
    assert!(html.contains("Content-Security-Policy"));
}

#[test]
fn quiet_audit_prints_nothing_when_clean() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_with(
        dir.path(),
        &["article-v1.html", "article-v2-boilerplate.html"],
    );
    let out = run(
        &store,
        &["--quiet", "--offline", "audit", "--fail-on", "edits", URL],
    );
    assert_eq!(out.status.code(), Some(0));
    // The placeholder alt stands below the policy: a notice, not printed.
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    // A failing target is printed alone: no summary line.
    let out = run(
        &store,
        &["--quiet", "--offline", "audit", "--fail-on", "all", URL],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("FAIL "), "{text}");
    assert!(!text.contains("stet audit"), "{text}");
    let out = run(
        &store,
        &[
            "--quiet",
            "--offline",
            "audit",
            "--fail-on",
            "edits",
            "fixtures/none.html",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn dead_links_of_the_article_are_findings() {
    let server = TestServer::start();
    let page = format!(
        "<html><head><title>Links</title></head><body><article><h1>Links</h1>\
         <p>The report cites <a href=\"{}\">a living source</a> and the paragraph is long enough to count as article text.</p>\
         <p>It also cites <a href=\"{}\">a source that is gone</a>, which an archivist must know about at once.</p>\
         <p>And <a href=\"/moved\">a moved page</a> that redirects to where it lives now, which is fine.</p>\
         </article></body></html>",
        server.url("/alive"),
        server.url("/gone")
    );
    server.route("/article", Reply::ok(page));
    server.route("/alive", Reply::ok("<p>here</p>"));
    server.route("/gone", Reply::status(410, "gone"));
    server.route("/moved", Reply::redirect(301, "/alive"));
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("s");
    let out = run(
        &store,
        &["audit", "--format", "json", &server.url("/article")],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Json = serde_json::from_slice(&out.stdout).expect("json");
    let dead = findings(&v, "dead_link");
    assert_eq!(dead.len(), 1, "{v}");
    assert_eq!(dead[0]["url"], server.url("/gone").as_str());
    assert_eq!(dead[0]["status"], 410);
    assert_eq!(dead[0]["link_class"], "dead");
    assert_eq!(dead[0]["fails"], true);
    // Offline audits never touch the network: no link check.
    let hits = server.hits("/gone");
    let out = run(
        &store,
        &[
            "--offline",
            "audit",
            "--format",
            "json",
            &server.url("/article"),
        ],
    );
    let v: Json = serde_json::from_slice(&out.stdout).expect("json");
    assert!(findings(&v, "dead_link").is_empty());
    assert_eq!(server.hits("/gone"), hits);
}

#[test]
fn findings_are_posted_to_a_webhook_with_retries() {
    let server = TestServer::start();
    server.route(
        "/hook",
        Reply::sequence(vec![Reply::status(503, "busy"), Reply::ok("thanks")]),
    );
    server.route("/broken-hook", Reply::status(500, "no"));
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_with(dir.path(), &["article-v1.html", "article-v3-edited.html"]);
    let out = run(
        &store,
        &["--offline", "audit", "--webhook", &server.url("/hook"), URL],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let posts: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.path == "/hook")
        .collect();
    assert_eq!(posts.len(), 2, "one 503, then a success");
    assert!(posts
        .iter()
        .all(|r| r.method == "POST" && r.header("content-type") == Some("application/json")));

    let out = run(
        &store,
        &[
            "--offline",
            "audit",
            "--webhook",
            &server.url("/broken-hook"),
            URL,
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("FAIL"),
        "the report is printed all the same"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("webhook answered 500"), "{err}");
    assert_eq!(server.hits("/broken-hook"), 3);

    // Nothing to say, nothing posted.
    let plain = dir.path().join("plain.html");
    std::fs::write(&plain, "<article><h1>Plain</h1><p>A page with nothing to report, long enough to be an article.</p></article>").expect("write");
    let plain = plain.to_string_lossy().into_owned();
    let clean = dir.path().join("clean");
    assert!(run(&clean, &["snapshot", &plain]).status.success());
    let before = server.hits("/hook");
    let out = run(
        &clean,
        &[
            "--offline",
            "audit",
            "--webhook",
            &server.url("/hook"),
            &plain,
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(server.hits("/hook"), before);
}

#[test]
fn ci_formats_parse_and_point_at_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_with(dir.path(), &["article-v1.html", "article-v3-edited.html"]);
    let out = run(&store, &["--offline", "audit", "--format", "junit", URL]);
    assert_eq!(out.status.code(), Some(1));
    // A real XML parser reads it: one testsuite, one testcase, one failure.
    let junit = dir.path().join("junit.xml");
    std::fs::write(&junit, &out.stdout).expect("write");
    if let Some(python) = common::program("python3", "its XML parser reads the JUnit report") {
        let parsed = std::process::Command::new(python)
            .arg("-c")
            .arg(
                "import sys, xml.etree.ElementTree as ET\n\
                 root = ET.parse(sys.argv[1]).getroot()\n\
                 suites = root.findall('testsuite'); cases = root.findall('testsuite/testcase')\n\
                 fails = root.findall('testsuite/testcase/failure')\n\
                 print(len(suites), len(cases), len(fails), root.get('failures'), fails[0].text.count('substantive'))",
            )
            .arg(&junit)
            .output()
            .expect("python3");
        assert!(
            parsed.status.success(),
            "{}",
            String::from_utf8_lossy(&parsed.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&parsed.stdout).trim(), "1 1 1 1 3");
    }

    // GitHub annotations name the file and the line of a local target.
    let local = dir.path().join("article.html");
    std::fs::copy(fixture("article-v3-edited.html"), &local).expect("copy");
    let local = local.to_string_lossy().into_owned();
    assert!(run(&store, &["snapshot", &local]).status.success());
    let out = run(
        &store,
        &[
            "--offline",
            "audit",
            "--format",
            "github",
            "--fail-on",
            "placeholder-alt",
            &local,
        ],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("::error"))
        .unwrap_or_default();
    let html = std::fs::read_to_string(&local).expect("read");
    let alt_line = html
        .lines()
        .position(|l| l.contains("ai-weiwei-banner.jpg"))
        .map(|i| i + 1);
    assert!(
        alt_line.is_some_and(|n| line.contains(&format!(",line={n},"))),
        "{line} (image on line {alt_line:?})"
    );
    assert!(
        line.contains(&format!(
            "file={}",
            local.replace(':', "%3A").replace(',', "%2C")
        )),
        "{line}"
    );

    let out = run(&store, &["--offline", "audit", "--format", "markdown", URL]);
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.starts_with("## stet audit (offline): 1 target: 1 fail"),
        "{md}"
    );
    assert!(md.contains("| fail |"));
}

#[test]
fn an_overlapping_audit_waits_for_the_lock_then_gives_up_cleanly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_with(dir.path(), &["article-v1.html", "article-v3-edited.html"]);
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(store.join("lock"))
        .expect("lock file");
    lock.lock().expect("lock");
    let v3 = f("article-v3-edited.html");
    let started = std::time::Instant::now();
    let out = run(&store, &["--lock-timeout", "1", "audit", "--no-links", &v3]);
    assert_eq!(out.status.code(), Some(2));
    assert!(started.elapsed() >= std::time::Duration::from_millis(900));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("store is locked by another stet process"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    drop(lock);
    let out = run(
        &store,
        &[
            "--lock-timeout",
            "1",
            "audit",
            "--no-links",
            "--fail-on",
            "none",
            &v3,
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The diff's work bound (README: "bounded by input size, never by a
/// clock"): a paragraph of 30,000 words (60,000 tokens, above the per-block
/// limit of 50,000) is compared as a whole block and the report says so,
/// while a small paragraph next to it still gets its word-level edit. The
/// output is the same bytes on every run.
#[test]
fn a_block_above_the_token_limit_is_diffed_coarsely_and_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let words = |changed: &str| -> String {
        (0..30_000)
            .map(|i| match i {
                15_000 => changed.to_string(),
                _ => format!("w{}", i % 997),
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let page = |small: &str, changed: &str| {
        format!(
            "<html><head><title>Long</title></head><body><article><h1>Long</h1>\
             <p>The committee met on {small} to discuss the long report below.</p>\
             <p>{}</p></article></body></html>",
            words(changed)
        )
    };
    let (a, b) = (dir.path().join("a.html"), dir.path().join("b.html"));
    std::fs::write(&a, page("Monday", "before")).expect("write");
    std::fs::write(&b, page("Tuesday", "after")).expect("write");
    let (a, b) = (a.to_string_lossy(), b.to_string_lossy());
    let store = dir.path().join("s");

    let started = std::time::Instant::now();
    let out = run(&store, &["diff", "--format", "json", &a, &b]);
    let took = started.elapsed();
    assert!(took < std::time::Duration::from_secs(30), "{took:?}");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Json = serde_json::from_slice(&out.stdout).expect("diff json");
    assert_eq!(v["coarse"], true, "{}", v["coarse_reasons"]);
    let reasons = v["coarse_reasons"].as_array().expect("reasons");
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    let reason = reasons[0].as_str().expect("text");
    assert!(
        reason.contains("exceed the per-block limit (50000)"),
        "{reason}"
    );
    let edits = v["edits"].as_array().expect("edits");
    let small = edits
        .iter()
        .find(|e| e["coarse"] == false)
        .unwrap_or_else(|| panic!("{edits:?}"));
    assert_eq!(
        (&small["before"], &small["after"]),
        (&"Monday".into(), &"Tuesday".into())
    );
    let whole = edits
        .iter()
        .find(|e| e["coarse"] == true)
        .unwrap_or_else(|| panic!("{edits:?}"));
    assert!(whole["before"].as_str().expect("text").contains(" before "));
    assert!(whole["after"].as_str().expect("text").contains(" after "));
    assert_eq!(edits.len(), 2, "{edits:?}");

    // Same bytes again; the text format names the fallback.
    let again = run(&store, &["diff", "--format", "json", &a, &b]);
    assert_eq!(again.stdout, out.stdout);
    let text = run(&store, &["diff", "--color", "never", &a, &b]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("note: coarse diff: blocks"),
        "{}",
        &text[..text.len().min(2000)]
    );
}

#[test]
fn only_a_stored_version_of_another_target_is_noted_as_such() {
    let dir = tempfile::tempdir().expect("tempdir");
    let page = |word: &str| {
        format!("<html><body><article><h1>T</h1><p>The {word} paragraph of a story about the port.</p></article></body></html>")
    };
    let (a, b) = (dir.path().join("a.html"), dir.path().join("b.html"));
    std::fs::write(&a, page("first")).expect("write");
    std::fs::write(&b, page("second")).expect("write");
    let (a, b) = (a.to_string_lossy(), b.to_string_lossy());
    let store = dir.path().join("s");
    let out = run(&store, &["snapshot", &a, &b]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let note = "note: the two versions are of different targets";
    let text = |args: &[&str]| {
        let out = run(&store, args);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // Two stored snapshots, or one beside a file: the user may have taken
    // one target's version for another's.
    for (old, new) in [
        (format!("{a}@1"), format!("{b}@1")),
        (format!("{a}@1"), b.to_string()),
    ] {
        let shown = text(&["diff", "--color", "never", &old, &new]);
        assert_eq!(shown.lines().filter(|l| *l == note).count(), 1, "{shown}");
    }
    // Two files named outright are different on purpose.
    let shown = text(&["diff", "--color", "never", &a, &b]);
    assert!(!shown.contains(note), "{shown}");
}

#[test]
fn large_files_are_read_at_once_and_diffed_the_same_every_time() {
    // Two texts of about 300 KB each (large enough to be read on two
    // threads and diffed on all cores): one word in forty changed.
    let words = [
        "the",
        "minister",
        "said",
        "dozens",
        "of",
        "writers",
        "were",
        "held",
        "in",
        "Beijing",
        "and",
        "a",
        "report",
        "week",
        "“quoted”",
        "café",
        "not",
        "2019",
    ];
    let mut seed = 7u64;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(seed >> 33).unwrap_or(0) % n
    };
    let (mut old, mut new) = (String::new(), String::new());
    while old.len() < 300_000 {
        for _ in 0..60 {
            let w = words[next(words.len())];
            old.push_str(w);
            new.push_str(if next(40) == 0 { "hundreds" } else { w });
            old.push(' ');
            new.push(' ');
        }
        old.push_str("\n\n");
        new.push_str("\n\n");
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (dir.path().join("old.txt"), dir.path().join("new.txt"));
    std::fs::write(&a, &old).expect("write");
    std::fs::write(&b, &new).expect("write");
    let store = dir.path().join("s");
    let (a, b) = (a.to_string_lossy(), b.to_string_lossy());
    let args = ["diff", "--format", "json", &a, &b];
    let one = run(&store, &args);
    assert_eq!(
        one.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
    for _ in 0..2 {
        assert_eq!(run(&store, &args).stdout, one.stdout);
    }
    let v: Json = serde_json::from_slice(&one.stdout).expect("json");
    let edits = v["edits"].as_array().map_or(0, Vec::len);
    assert!(edits > 100, "{edits} edits");
    assert!(v["edits"]
        .as_array()
        .into_iter()
        .flatten()
        .all(|e| e["after"].as_str().is_some_and(|s| s.contains("hundreds"))));

    // Both versions missing: the old one's error is the one said.
    let missing = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let out = run(
        &store,
        &["diff", &missing("gone-old.txt"), &missing("gone-new.txt")],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("gone-old.txt") && !err.contains("gone-new.txt"),
        "{err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
}

#[test]
fn placeholder_alt_reads_as_the_text_that_is_there_not_as_a_deletion() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_with(dir.path(), &["article-v1.html"]);
    let out = run(&store, &["--offline", "audit", "--format", "html", URL]);
    let html = String::from_utf8_lossy(&out.stdout);
    let row = html
        .lines()
        .find(|l| l.contains("<td>placeholder_alt</td>"))
        .unwrap_or_else(|| panic!("no placeholder_alt row: {html}"));
    assert!(!row.contains("<del>") && !row.contains("<ins>"), "{row}");
    assert!(
        row.contains(
            "has the placeholder alt text <q>Responsive Image</q>, which describes nothing"
        ),
        "{row}"
    );
}

/// The seed article with `notice` appended as its last paragraph (none: as it is).
fn with_notice(dir: &Path, name: &str, notice: Option<&str>) -> String {
    let html = std::fs::read_to_string(fixture("article-v1.html")).expect("fixture");
    let html = match notice {
        Some(n) => html.replacen("</article>", &format!("<p><em>{n}</em></p></article>"), 1),
        None => html,
    };
    let path = dir.join(name);
    std::fs::write(&path, html).expect("write");
    path.to_string_lossy().into_owned()
}

#[test]
fn a_notice_added_changed_or_removed_is_a_correction_finding() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("store");
    let versions = [
        with_notice(dir.path(), "a.html", None),
        with_notice(
            dir.path(),
            "b.html",
            Some("Update, Nov. 3, 2026: The ministry answered our questions after publication."),
        ),
        with_notice(
            dir.path(),
            "c.html",
            Some("Update, Nov. 4, 2026: The ministry answered our questions after publication and denied the report."),
        ),
        with_notice(dir.path(), "d.html", None),
    ];
    let mut seen = Vec::new();
    for (i, v) in versions.iter().enumerate() {
        let out = run(&store, &["snapshot", "--as", URL, v]);
        assert!(out.status.success());
        if i == 0 {
            continue;
        }
        // Each version against the one before it.
        let out = run(&store, &["pin", URL, &format!("{URL}@-2")]);
        assert!(out.status.success());
        let (out, v) = audit_json(&store, &[]);
        let c = findings(&v, "correction");
        assert!(
            findings(&v, "edit").is_empty(),
            "the notice is no edit: {v}"
        );
        assert_eq!(c.len(), 1, "{v}");
        assert_eq!(out.status.code(), Some(1), "corrections fail by default");
        seen.push((
            c[0]["action"].as_str().unwrap_or_default().to_string(),
            c[0]["notice"]["kind"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            c[0]["notice"]["date"].as_str().unwrap_or("-").to_string(),
            c[0]["before"].is_string(),
            c[0]["after"].is_string(),
        ));
    }
    let row = |a: &str, d: &str, before, after| {
        (
            a.to_string(),
            "update".to_string(),
            d.to_string(),
            before,
            after,
        )
    };
    assert_eq!(
        seen,
        [
            row("added", "2026-11-03", false, true),
            row("changed", "2026-11-04", true, true),
            row("removed", "2026-11-04", true, false),
        ]
    );
    // Below the policy when the policy leaves corrections out.
    let (out, v) = audit_json(&store, &["--fail-on", "substantive"]);
    assert_eq!(out.status.code(), Some(0), "{v}");
    assert_eq!(findings(&v, "correction")[0]["fails"], false);
}

#[test]
fn the_html_report_diffs_with_the_audits_own_strictness() {
    let dir = tempfile::tempdir().expect("tempdir");
    let v1 = std::fs::read_to_string(fixture("article-v1.html")).expect("fixture");
    assert!(v1.contains("<p>That was then."));
    let store = dir.path().join("store");
    // Only typographic quotes change: a cosmetic edit.
    for (i, quoted) in ["“then”", "\"then\""].iter().enumerate() {
        let page = dir.path().join(format!("v{i}.html"));
        std::fs::write(
            &page,
            v1.replace("<p>That was then.", &format!("<p>That was {quoted}.")),
        )
        .expect("write");
        snapshot_as_url(&store, &page, i + 1);
    }
    let page = |extra: &[&str]| {
        let mut args = vec!["--offline", "audit", "--format", "html"];
        args.extend_from_slice(extra);
        args.push(URL);
        String::from_utf8_lossy(&run(&store, &args).stdout).into_owned()
    };
    let lenient = page(&[]);
    assert!(
        lenient.contains("<strong>same</strong>: 2 edits"),
        "{lenient}"
    );
    let strict = page(&["--strict"]);
    assert!(
        strict.contains("<strong>different</strong>: 2 edits"),
        "{strict}"
    );
}

#[test]
fn an_edit_line_shows_the_change_where_it_is_in_the_text() {
    // Words added before a full stop, with no space between them and it.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seed_edited(
        dir.path(),
        "edited.html",
        "precedence over soft power.",
        "precedence over soft power, officials said.",
    );
    let store = store_with(dir.path(), &["article-v1.html"]);
    snapshot_as_url(&store, &path, 2);
    let out = run(&store, &["--offline", "audit", "--color", "never", URL]);
    let text = String::from_utf8_lossy(&out.stdout);
    let edits: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with("edit "))
        .map(|l| l.trim_start().rsplit_once(" [").map_or(l, |(line, _)| line))
        .collect();
    assert_eq!(
        edits,
        ["edit substantive (attribution) block 6 (paragraph): …precedence over soft power[∅ → “, officials said”].…"],
        "{text}"
    );
}

#[test]
fn an_image_without_alt_text_is_said_to_have_none_in_text_and_github_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seed_edited(dir.path(), "bare.html", " alt=\"Responsive Image\"", "");
    let store = dir.path().join("store");
    snapshot_as_url(&store, &path, 1);
    let said = |format: &str| -> Vec<String> {
        let out = run(&store, &["--offline", "audit", "--format", format, URL]);
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.contains("placeholder_alt"))
            .map(|l| l.trim().to_string())
            .collect()
    };
    assert_eq!(
        said("text"),
        ["placeholder_alt images[0]: image https://www.rightsmonitor.example/images/ai-weiwei-banner.jpg has no alt text [b306af47e5b6]"]
    );
    assert_eq!(
        said("github"),
        ["::warning title=stet%3A https%3A//www.rightsmonitor.example/2011/04/27/soft-power/::placeholder_alt: image https://www.rightsmonitor.example/images/ai-weiwei-banner.jpg has no alt text"]
    );
}

/// A cron's run at `now`: `stet --quiet --offline audit --new` of the
/// seed article's URL.
fn nightly_new(store: &Path, now: &str) -> Output {
    stet(store)
        .env("STET_NOW", now)
        .args([
            "--quiet",
            "--offline",
            "audit",
            "--new",
            "--color",
            "never",
            URL,
        ])
        .output()
        .expect("run stet")
}

#[test]
fn a_rewritten_caption_fails_the_nightly_run_once() {
    // A photo caption is the article's words: a substantive change to it
    // is printed by `--quiet audit --new` and fails, the next night not.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seed_edited(
        dir.path(),
        "edited.html",
        "hold a banner of detained",
        "burn a banner of detained",
    );
    let store = store_with(dir.path(), &["article-v1.html"]);
    let nightly = |day: &str| nightly_new(&store, day);
    let first = nightly("2026-11-01T07:00:00Z");
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stdout)
    );
    assert_eq!(String::from_utf8_lossy(&first.stdout), "");
    snapshot_as_url(&store, &path, 2);
    let changed = nightly("2026-11-02T07:00:00Z");
    assert_eq!(changed.status.code(), Some(1));
    let text = String::from_utf8_lossy(&changed.stdout);
    let kinds: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim_start().split_once(' '))
        .map(|(kind, _)| kind)
        .filter(|k| k.contains('_') || *k == "edit")
        .collect();
    assert_eq!(kinds, ["caption_changed"], "{text}");
    let again = nightly("2026-11-03T07:00:00Z");
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&again.stdout), "");
}

#[test]
fn an_inserted_paragraph_is_shown_with_every_word_in_audit_diff_and_github_output() {
    // One paragraph in five of the corpora is longer than 300 characters:
    // the words an edit added are all in the output, not the first few.
    let added: String = (1..=60)
        .map(|i| format!("Witness {i} described the events of that night in detail."))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(added.len() > 3_000);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seed_edited(
        dir.path(),
        "added.html",
        "<p>Security, in other words,",
        &format!("<p>{added}</p>\n<p>Security, in other words,"),
    );
    let store = store_with(dir.path(), &["article-v1.html"]);
    snapshot_as_url(&store, &path, 2);
    let lines = |args: &[&str], marker: &str| -> Vec<String> {
        let out = run(&store, args);
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.contains(marker))
            .map(|l| l.trim().to_string())
            .collect()
    };
    let audit = lines(&["--offline", "audit", "--color", "never", URL], "edit ");
    assert_eq!(audit.len(), 1, "{audit:?}");
    assert!(
        audit[0].starts_with(&format!(
            "edit substantive (number, sentence) block 6 (paragraph): ∅ → “{added}” ["
        )),
        "{audit:?}"
    );
    let github = lines(
        &["--offline", "audit", "--format", "github", URL],
        "::error",
    );
    assert_eq!(github.len(), 1, "{github:?}");
    assert!(github[0].ends_with(&format!("∅ → “{added}”")), "{github:?}");
    let diff = lines(
        &[
            "diff",
            "--color",
            "never",
            &format!("{URL}@1"),
            &format!("{URL}@2"),
        ],
        "{+",
    );
    assert_eq!(diff, [format!("{{+{added}+}}")]);
}

#[test]
fn a_headline_edited_only_in_its_h1_fails_as_a_headline_change() {
    // Content detection leaves the headline out of the text when it
    // repeats the title; an edit of the <h1> alone (<title> and og:title
    // kept) is still the article's words changing.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seed_edited(
        dir.path(),
        "edited.html",
        "itemprop=\"headline\">U.S.-China Human Rights Dialogue: Soft Power Gone Hard?",
        "itemprop=\"headline\">U.S.-China Human Rights Dialogue: Soft Power Gone Soft?",
    );
    let store = store_with(dir.path(), &["article-v1.html"]);
    snapshot_as_url(&store, &path, 2);
    let out = stet(&store)
        .env("STET_NOW", "2026-11-02T07:00:00Z")
        .args(["--offline", "audit", "--color", "never", URL])
        .output()
        .expect("run stet");
    assert_eq!(out.status.code(), Some(1));
    // Snapshot ids name the files they were imported from.
    let text = String::from_utf8_lossy(&out.stdout);
    let id = regex::Regex::new(r"(reference|current) [0-9a-f]{12}").expect("regex");
    assert_eq!(
        id.replace_all(&text, "$1 <id>"),
        "stet audit (offline): 1 target: 1 fail

FAIL    https://www.rightsmonitor.example/2011/04/27/soft-power/
        reference <id> 2026-11-01T06:00:00Z → current <id> 2026-11-02T06:00:00Z (stored)
        headline_changed substantive headline: “U.S.-China Human Rights Dialogue: Soft Power Gone Hard?” → “U.S.-China Human Rights Dialogue: Soft Power Gone Soft?” [4010db1ab19e]
        placeholder_alt images[0]: image https://www.rightsmonitor.example/images/ai-weiwei-banner.jpg has the placeholder alt text “Responsive Image” [567b076ad311]
        hint: `stet pin https://www.rightsmonitor.example/2011/04/27/soft-power/` accepts the changes
"
    );
}

/// The text report of an offline audit of URL, its snapshot ids written
/// `ID` (they cover the pages' paths, which differ from machine to
/// machine), and the run.
fn offline_audit_without_ids(store: &Path) -> (String, Output) {
    let out = run(store, &["--offline", "audit", "--color", "never", URL]);
    let ids = regex::Regex::new("(reference|current) [0-9a-f]{12} ").expect("regex");
    let text = ids
        .replace_all(&String::from_utf8_lossy(&out.stdout), "$1 ID ")
        .into_owned();
    (text, out)
}

#[test]
fn a_redeploy_that_changes_no_words_is_clean_not_changed() {
    // Cache busters on every image, hashed class names, a build stamp: a
    // new snapshot (other bytes, another document hash) of the same article.
    let dir = tempfile::tempdir().expect("tempdir");
    let v1 = std::fs::read_to_string(fixture("article-v1.html")).expect("fixture");
    let redeployed = v1
        .replace(".jpg\"", ".jpg?v=123\"")
        .replace(".png\"", ".png?v=123\"")
        .replace("class=\"wp-caption ", "class=\"wp-caption_x7Yz1 ")
        .replace("</body>", "<!-- build 2027.01.07-4f2a --></body>");
    assert_ne!(redeployed, v1);
    let page = dir.path().join("redeployed.html");
    std::fs::write(&page, &redeployed).expect("write");
    let store = store_with(dir.path(), &["article-v1.html"]);
    snapshot_as_url(&store, &page, 2);
    let (text, out) = offline_audit_without_ids(&store);
    // The page's standing finding, and no `CHANGED`.
    assert_eq!(
        text,
        "stet audit (offline): 1 target: 1 notice\n\n\
         NOTICE  https://www.rightsmonitor.example/2011/04/27/soft-power/\n        \
         reference ID 2026-11-01T06:00:00Z → current ID 2026-11-02T06:00:00Z (stored)\n        \
         placeholder_alt images[0]: image https://www.rightsmonitor.example/images/ai-weiwei-banner.jpg?v=123 \
         has the placeholder alt text “Responsive Image” [567b076ad311]\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_picture_added_above_a_changed_caption_is_not_that_change_again() {
    // Night 2 the lead photo's caption is rewritten (reported); night 3
    // another picture is set above it, so the caption's picture is second
    // in the list: the picture added is new, the caption change is not.
    let dir = tempfile::tempdir().expect("tempdir");
    let v1 = std::fs::read_to_string(fixture("article-v1.html")).expect("fixture");
    let edited = v1.replacen("hold a banner of detained", "burn a banner of detained", 1);
    let above = edited.replacen(
        "<figure class=\"wp-caption lead-image\">",
        "<figure class=\"wp-caption\"><img src=\"/images/beijing-talks.jpg\" alt=\"Talks\">\
         <figcaption class=\"wp-caption-text\">Delegations meet in Beijing on Wednesday.\
         </figcaption></figure><figure class=\"wp-caption lead-image\">",
        1,
    );
    assert!(edited != v1 && above != edited);
    let store = store_with(dir.path(), &["article-v1.html"]);
    let night = |day: usize, html: &str| {
        let page = dir.path().join(format!("night{day}.html"));
        std::fs::write(&page, html).expect("write");
        snapshot_as_url(&store, &page, day);
        let out = nightly_new(&store, &format!("2026-11-{day:02}T07:00:00Z"));
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let kinds: Vec<String> = text
            .lines()
            .filter_map(|l| l.trim_start().split_once(' '))
            .map(|(kind, _)| kind.to_string())
            .filter(|k| k.contains('_') || k == "edit")
            .collect();
        (kinds, text)
    };
    nightly_new(&store, "2026-11-01T07:00:00Z");
    let (kinds, text) = night(2, &edited);
    assert_eq!(kinds, ["caption_changed"], "{text}");
    let (kinds, text) = night(3, &above);
    assert_eq!(kinds, ["image_changed"], "{text}");
}

#[test]
fn a_cache_buster_on_a_swapped_photo_is_not_reported_again() {
    // Night 2 the lead photo is replaced (reported); night 3 a redeploy
    // adds `?v=123` to the new picture's address: the same change,
    // `--new` says nothing. Night 4 yet another picture: reported.
    let dir = tempfile::tempdir().expect("tempdir");
    let photo = "<img src=\"/images/ai-weiwei-banner.jpg\"";
    let swapped = |name: &str, src: &str| {
        seed_edited(dir.path(), name, photo, &format!("<img src=\"{src}\""))
    };
    let store = store_with(dir.path(), &["article-v1.html"]);
    let nightly = |day: usize| {
        let out = nightly_new(&store, &format!("2026-11-{day:02}T07:00:00Z"));
        let changes: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.trim_start().starts_with("image_changed"))
            .map(|l| l.trim().to_string())
            .collect();
        (out.status.code(), changes)
    };
    nightly(1);
    let night = |day: usize, src: &str| {
        snapshot_as_url(&store, &swapped(&format!("night{day}.html"), src), day);
        nightly(day)
    };
    let (code, changes) = night(2, "/images/protest-crowd-2011.jpg");
    assert_eq!((code, changes.len()), (Some(1), 1), "{changes:?}");
    assert_eq!(
        night(3, "/images/protest-crowd-2011.jpg?v=123"),
        (Some(0), Vec::new())
    );
    let (code, changes) = night(4, "/images/police-line-2011.jpg");
    assert_eq!((code, changes.len()), (Some(1), 1), "{changes:?}");
    assert!(changes[0].contains("police-line-2011.jpg"), "{changes:?}");
}

#[test]
fn a_swapped_photo_fails_the_default_policy() {
    // Another picture in the lead photo's place: what the article shows
    // changed, as much as its words would have.
    let dir = tempfile::tempdir().expect("tempdir");
    let page = seed_edited(
        dir.path(),
        "swapped.html",
        "<img src=\"/images/ai-weiwei-banner.jpg\"",
        "<img src=\"/images/protest-crowd-2011.jpg\"",
    );
    let store = store_with(dir.path(), &["article-v1.html"]);
    snapshot_as_url(&store, &page, 2);
    let (text, out) = offline_audit_without_ids(&store);
    assert_eq!(
        text,
        "stet audit (offline): 1 target: 1 fail\n\n\
         FAIL    https://www.rightsmonitor.example/2011/04/27/soft-power/\n        \
         reference ID 2026-11-01T06:00:00Z → current ID 2026-11-02T06:00:00Z (stored)\n        \
         image_changed substantive images[0].src: \
         “https://www.rightsmonitor.example/images/ai-weiwei-banner.jpg” → \
         “https://www.rightsmonitor.example/images/protest-crowd-2011.jpg” [0fd249924c05]\n        \
         placeholder_alt images[0]: image https://www.rightsmonitor.example/images/protest-crowd-2011.jpg \
         has the placeholder alt text “Responsive Image” [8278fadd6813]\n        \
         hint: `stet pin https://www.rightsmonitor.example/2011/04/27/soft-power/` accepts the changes\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(1));
    // Not failing on edits at all, it is reported but passes.
    let out = run(
        &store,
        &["--offline", "audit", "--fail-on", "corrections", URL],
    );
    assert_eq!(out.status.code(), Some(0));
}
