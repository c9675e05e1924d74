//! robots.txt: a disallowed page is `skipped` with reason `robots` (not an
//! error), robots.txt is fetched once per host per run, a 5xx disallows
//! everything (RFC 9309), and `--ignore-robots` fetches anyway.

use crate::common;

use std::path::Path;
use std::process::Output;

use common::server::{Reply, TestServer};
use common::{assert_ok, stet, Json};

const ROBOTS: &str = "User-agent: *\nDisallow: /\n\n\
                      User-agent: stet\nDisallow: /private\nAllow: /private/open\nCrawl-delay: 1\n";
const ARTICLE: &str =
    "<article><p>A page that robots.txt may or may not let stet read.</p></article>";

fn snapshot(store: &Path, args: &[&str]) -> (Output, Vec<Json>) {
    let out = stet(store)
        .args(["snapshot", "--format", "json"])
        .args(args)
        .output()
        .expect("run stet");
    let rows: Vec<Json> = serde_json::from_slice(&out.stdout).unwrap_or_default();
    (out, rows)
}

fn outcomes(rows: &[Json]) -> Vec<(String, String)> {
    rows.iter()
        .map(|r| {
            (
                r["outcome"].as_str().unwrap_or_default().to_string(),
                r["reason"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn disallowed_pages_are_skipped_and_robots_txt_is_read_once() {
    let server = TestServer::start();
    server.route("/robots.txt", Reply::ok(ROBOTS));
    for p in ["/news/a", "/private/b", "/private/open/c"] {
        server.route(p, Reply::ok(ARTICLE));
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("store");
    let urls: Vec<String> = ["/news/a", "/private/b", "/private/open/c"]
        .iter()
        .map(|p| server.url(p))
        .collect();
    let args: Vec<&str> = urls.iter().map(String::as_str).collect();
    let (out, rows) = snapshot(&store, &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        outcomes(&rows),
        vec![
            ("new".to_string(), String::new()),
            ("skipped".to_string(), "robots".to_string()),
            ("new".to_string(), String::new()),
        ]
    );
    let requests = server.requests();
    let paths: Vec<&str> = requests.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths.iter().filter(|p| **p == "/robots.txt").count(),
        1,
        "{paths:?}"
    );
    assert!(!paths.contains(&"/private/b"), "{paths:?}");

    let (out, rows) = snapshot(&store, &["--ignore-robots", &urls[1]]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(outcomes(&rows), vec![("new".to_string(), String::new())]);
}

#[test]
fn a_server_error_on_robots_txt_disallows_and_a_404_allows() {
    let failing = TestServer::start();
    failing.route("/robots.txt", Reply::status(503, "busy"));
    failing.route("/a", Reply::ok(ARTICLE));
    let missing = TestServer::start();
    missing.route("/a", Reply::ok(ARTICLE));
    let dir = tempfile::tempdir().expect("tempdir");
    let (out, rows) = snapshot(
        &dir.path().join("store"),
        &[&failing.url("/a"), &missing.url("/a")],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        outcomes(&rows),
        vec![
            ("skipped".to_string(), "robots".to_string()),
            ("new".to_string(), String::new()),
        ]
    );
}

#[test]
fn local_files_never_ask_for_robots_txt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("page.html");
    std::fs::write(&page, ARTICLE).expect("write");
    let (out, rows) = snapshot(&dir.path().join("store"), &[page.to_str().expect("utf-8")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(outcomes(&rows), vec![("new".to_string(), String::new())]);
}

#[test]
fn link_checks_skip_what_robots_txt_disallows() {
    let site = TestServer::start();
    site.route(
        "/robots.txt",
        Reply::ok("User-agent: stet\nDisallow: /hidden\n"),
    );
    site.route("/shown", Reply::ok("x"));
    site.route("/hidden", Reply::ok("x"));
    let page = TestServer::start();
    page.route(
        "/article",
        Reply::ok(format!(
            "<article><p>Read <a href=\"{}\">this</a> and <a href=\"{}\">that</a> \
             for the whole story of the page.</p></article>",
            site.url("/shown"),
            site.url("/hidden")
        )),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let run = |extra: &[&str]| -> Vec<(String, String, String)> {
        let out = stet(&dir.path().join("store"))
            .args(["links", "--format", "json"])
            .args(extra)
            .arg(page.url("/article"))
            .output()
            .expect("run stet");
        let rows: Vec<Json> = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
            panic!("{}", String::from_utf8_lossy(&out.stderr));
        });
        rows.iter()
            .map(|l| {
                let s = |k: &str| l[k].as_str().unwrap_or_default().to_string();
                (s("url"), s("class"), s("reason"))
            })
            .collect()
    };
    let results = run(&[]);
    assert_eq!(
        results,
        vec![
            (
                site.url("/hidden"),
                "skipped".to_string(),
                "robots".to_string()
            ),
            (site.url("/shown"), "ok".to_string(), String::new()),
        ]
    );
    assert!(!site.requests().iter().any(|r| r.path == "/hidden"));
    let ignored = run(&["--ignore-robots"]);
    assert_eq!(ignored[0].1, "ok", "{ignored:?}");
}

/// A watched page that robots.txt comes to disallow is not silently
/// clean: the audit says it was not fetched and fails (`robots_disallowed`)
/// until that is accepted; then JUnit counts it skipped.
#[test]
fn an_audit_says_when_robots_txt_kept_it_from_fetching() {
    let server = TestServer::start();
    server.route("/robots.txt", Reply::ok("User-agent: *\nAllow: /\n"));
    server.route("/news/a", Reply::ok(ARTICLE));
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("store");
    let url = server.url("/news/a");
    let audit = |format: &str| {
        stet(&store)
            .args(["audit", "--no-links", "--format", format, &url])
            .output()
            .expect("run stet")
    };
    let out = audit("json");
    assert_eq!(out.status.code(), Some(0));
    let v: Json = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["targets"][0]["notes"], Json::Null, "{v}");

    server.route("/robots.txt", Reply::ok("User-agent: *\nDisallow: /news\n"));
    let out = audit("json");
    assert_eq!(out.status.code(), Some(1));
    let v: Json = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["targets"][0]["fetch"], "skipped_robots", "{v}");
    assert_eq!(
        v["targets"][0]["notes"],
        serde_json::json!([
            "not fetched: robots.txt disallows it (`ignore_robots = true` for your own sites); what is stored was compared"
        ])
    );
    let findings = &v["targets"][0]["findings"];
    assert_eq!(
        (
            &findings[0]["kind"],
            &findings[0]["url"],
            &findings[0]["fails"]
        ),
        (
            &"robots_disallowed".into(),
            &url.clone().into(),
            &true.into()
        ),
        "{v}"
    );
    let junit = String::from_utf8_lossy(&audit("junit").stdout).into_owned();
    assert!(
        junit.contains("skipped=\"0\"") && junit.contains("failures=\"1\""),
        "{junit}"
    );
    // Accepted: no longer failing, and JUnit counts the target skipped.
    assert_ok(
        &stet(&store)
            .args(["ack", &url, "--note", "a mirror of our own"])
            .output()
            .expect("run stet"),
    );
    let out = audit("junit");
    assert_eq!(out.status.code(), Some(0));
    let junit = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(junit.contains("skipped=\"1\""), "{junit}");
    assert_eq!(
        junit.matches("<skipped message=\"not fetched: robots.txt disallows it; what is stored was compared\"/>").count(),
        1,
        "{junit}"
    );
}

/// `audit --new` (cron) says once that robots.txt stopped the watch, is
/// silent while it lasts (offline runs too), says when it is allowed again,
/// and says it again when it is disallowed again.
#[test]
fn audit_new_says_once_that_robots_txt_stopped_the_watch() {
    let server = TestServer::start();
    let (allow, disallow) = (
        "User-agent: *\nAllow: /\n",
        "User-agent: *\nDisallow: /news\n",
    );
    server.route("/robots.txt", Reply::ok(allow));
    server.route("/news/a", Reply::ok(ARTICLE));
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("store");
    let url = server.url("/news/a");
    let mut said = String::new();
    let mut run = |step: &str, args: &[&str]| {
        let out = stet(&store)
            .env("STET_NOW", "2026-01-01T00:00:00Z")
            .args(args)
            .args(["--no-links", &url])
            .output()
            .expect("run stet");
        assert_ne!(
            out.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        said.push_str(&format!(
            "## {step}: exit {}\n{}",
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).replace(&server.url(""), "http://SERVER/")
        ));
    };
    let cron = ["--quiet", "audit", "--new"];
    run("allowed", &cron);
    server.route("/robots.txt", Reply::ok(disallow));
    run("disallowed", &cron);
    run("still disallowed", &cron);
    run("offline", &["--offline", "--quiet", "audit", "--new"]);
    server.route("/robots.txt", Reply::ok(allow));
    run("allowed again", &["audit", "--new"]);
    server.route("/robots.txt", Reply::ok(disallow));
    run("disallowed again", &cron);
    // The server's port is in the target, hence in the snapshot's id and
    // the finding's fingerprint.
    let key = stet::store::layout::target_key(&url);
    let history =
        std::fs::read_to_string(store.join("targets").join(key).join("history")).expect("history");
    let fingerprint = stet::model::FindingKind::RobotsDisallowed {
        url: url.clone(),
        location: "robots.txt".to_string(),
    }
    .fingerprint();
    let said = said
        .replace(&history[..12], "SNAPSHOT")
        .replace(&fingerprint[..12], "FINGERPRINT");
    insta::assert_snapshot!("audit-new-robots", said);
}
