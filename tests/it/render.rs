//! Rendering in headless Chromium (`render = true`, `--render`,
//! `screenshot = true`) against pages served on 127.0.0.1: script-built
//! articles, pages that never go quiet or loop forever, a page behind a
//! cookie. Needs Debian's `chromium` (`.ci/run` installs it); skips
//! without it unless `STET_REQUIRE_ALL=1`. Also per-target `ignore_robots`,
//! which needs no browser.

use crate::common;

use std::path::Path;
use std::process::Output;

use common::server::{Reply, TestServer};
use common::{stet, Json};

const SESSION: &str = "sess-7c6b5a4d3e2f";

/// An article whose paragraphs a script inserts after the page loaded
/// (the served HTML has none of them).
fn scripted(paragraphs: &[&str]) -> String {
    let list = paragraphs
        .iter()
        .map(|p| format!("{p:?}"))
        .collect::<Vec<_>>()
        .join(",");
    format!(
        "<!DOCTYPE html><html><head><title>Scripted article</title></head><body>\
         <article id=\"a\"><h1>Scripted article</h1></article>\
         <script>setTimeout(function(){{var a=document.getElementById('a');\
         [{list}].forEach(function(t){{var p=document.createElement('p');p.textContent=t;a.appendChild(p);}});}},50);\
         </script></body></html>"
    )
}

const FIRST: &str =
    "The council approved the new harbour budget on Tuesday after a long debate about dredging.";
const SECOND: &str =
    "Opponents said the plan ignored the fishing fleet, which uses the old quay every morning.";
const EDITED: &str =
    "Opponents said the plan ignored the fishing fleet, which uses the old quay most mornings.";

fn chromium() -> bool {
    let found = std::env::var_os("STET_CHROMIUM")
        .map(std::path::PathBuf::from)
        .filter(|p| p.is_file())
        .or_else(|| {
            common::program(
                "chromium",
                "renders pages for --render; apt-get install chromium",
            )
        });
    found.is_some()
}

fn run(dir: &Path, args: &[&str]) -> Output {
    let tmp = dir.join("tmp");
    std::fs::create_dir_all(&tmp).expect("tmp dir");
    let mut cmd = stet(&dir.join("store"));
    cmd.current_dir(dir)
        .env("TMPDIR", &tmp)
        .env("STET_TEST_SESSION", SESSION)
        .args(args);
    cmd.output().expect("run stet")
}

fn json(out: &Output) -> Json {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn manifest(dir: &Path, spec: &str) -> Json {
    let out = run(dir, &["--format", "json", "show", spec]);
    common::assert_ok(&out);
    json(&out)["manifest"].clone()
}

#[test]
fn script_built_articles_are_read_from_the_rendered_dom_and_edits_are_audited() {
    if !chromium() {
        return;
    }
    let server = TestServer::start();
    server.route("/story", Reply::ok(scripted(&[FIRST, SECOND])));
    let dir = tempfile::tempdir().expect("tempdir");
    let url = server.url("/story");

    // The page as served has no paragraph; rendered, it has both.
    let raw = run(dir.path(), &["extract", "--format", "text", &url]);
    common::assert_ok(&raw);
    assert!(!text(&raw).contains(FIRST), "{}", text(&raw));
    let rendered = run(
        dir.path(),
        &["extract", "--render", "--format", "text", &url],
    );
    common::assert_ok(&rendered);
    assert_eq!(text(&rendered), format!("{FIRST}\n{SECOND}\n"));

    std::fs::write(
        dir.path().join("stet.toml"),
        format!(
            "[defaults]\ntimeout = 5\n\n[[target]]\nname = \"story\"\nurl = \"{url}\"\n\
             render = true\nscreenshot = true\nlinks = false\n"
        ),
    )
    .expect("write stet.toml");
    let first = run(dir.path(), &["--format", "json", "snapshot"]);
    common::assert_ok(&first);
    assert_eq!(json(&first)[0]["outcome"], "new", "{}", text(&first));
    let m = manifest(dir.path(), "story@latest");
    let r = &m["rendered"];
    assert!(
        r["browser"].as_str().is_some_and(|b| b.contains('/')),
        "{r}"
    );
    assert_eq!(r["final_url"], url.as_str());
    assert_eq!(r["wait"]["settled"], true);
    assert_eq!(r["wait"]["idle_ms"], 500);
    // Raw and rendered are both kept, and differ.
    assert_ne!(r["dom"]["sha256"], m["body"]["sha256"]);
    let shot = &r["screenshot"];
    assert_eq!(shot["width"], 1280);
    assert!(
        shot["height"].as_u64().is_some_and(|h| h > 0 && h <= 8000),
        "{shot}"
    );

    // The same page renders to the same DOM: nothing new to store.
    let again = run(dir.path(), &["--format", "json", "snapshot"]);
    common::assert_ok(&again);
    assert_eq!(json(&again)[0]["outcome"], "unchanged", "{}", text(&again));

    // The screenshot is an object like any other: verify re-hashes it.
    let verify = run(dir.path(), &["verify", "--reextract"]);
    common::assert_ok(&verify);

    // The script now writes an edited paragraph: audit finds the edit.
    server.route("/story", Reply::ok(scripted(&[FIRST, EDITED])));
    let audit = run(dir.path(), &["--format", "json", "audit"]);
    let report = json(&audit);
    let audited = [&report["targets"][0], &report[0], &report]
        .into_iter()
        .find(|t| t["findings"].is_array())
        .cloned()
        .unwrap_or_else(|| panic!("no audited target: {report}"));
    // The report names the rendering among its inputs.
    assert_eq!(audited["provenance"]["rendered"]["final_url"], url.as_str());
    let findings = audited["findings"].as_array().cloned().unwrap_or_default();
    let edit = findings
        .iter()
        .find(|f| f["kind"] == "edit")
        .unwrap_or_else(|| panic!("no edit found: {report}"));
    let edit = edit.to_string();
    assert!(
        edit.contains("every morning") && edit.contains("most mornings"),
        "{edit}"
    );

    // The history page shows the screenshot inline beside the text.
    let page = run(dir.path(), &["log", "story", "--format", "html"]);
    common::assert_ok(&page);
    let html = text(&page);
    assert!(
        html.contains("src=\"data:image/png;base64,iVBORw0KGgo"),
        "no inline screenshot"
    );
}

#[test]
fn pages_that_never_go_quiet_or_never_finish_are_bounded_per_target() {
    if !chromium() {
        return;
    }
    let server = TestServer::start();
    server.route(
        "/busy",
        Reply::ok(
            "<!DOCTYPE html><html><head><title>Busy</title></head><body><article><h1>Busy</h1>\
             <p>This page asks the server for more every tenth of a second, so its network never goes quiet.</p>\
             </article><script>setInterval(function(){fetch('/ping?'+Math.random())},100);</script></body></html>",
        ),
    );
    server.route("/ping", Reply::ok("pong"));
    server.route(
        "/loop",
        Reply::ok(
            "<!DOCTYPE html><html><head><title>Loop</title></head><body><p>Stuck.</p>\
             <script>while(true){}</script></body></html>",
        ),
    );
    server.route("/calm", Reply::ok(scripted(&[FIRST])));
    let dir = tempfile::tempdir().expect("tempdir");
    // The looping page gets --render-timeout; the others their own, longer
    // caps (a loaded machine must not make the calm page time out).
    std::fs::write(
        dir.path().join("stet.toml"),
        format!(
            "[[target]]\nurl = \"{}\"\nrender_timeout = 4\n\n[[target]]\nurl = \"{}\"\nrender_timeout = 30\n",
            server.url("/busy"),
            server.url("/calm")
        ),
    )
    .expect("write stet.toml");
    let out = run(
        dir.path(),
        &[
            "--format",
            "json",
            "snapshot",
            "--render",
            "--render-timeout",
            "2",
            "--ignore-robots",
            &server.url("/loop"),
            &server.url("/busy"),
            &server.url("/calm"),
        ],
    );
    // One target failed: exit 2, the others stored.
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = json(&out);
    assert_eq!(rows[0]["outcome"], "error", "{rows}");
    assert_eq!(rows[0]["reason"], "render_timeout", "{rows}");
    assert_eq!(rows[1]["outcome"], "new", "{rows}");
    assert_eq!(rows[2]["outcome"], "new", "{rows}");
    let busy = manifest(dir.path(), &format!("{}@latest", server.url("/busy")));
    assert_eq!(busy["rendered"]["wait"]["settled"], false, "{busy}");
    assert_eq!(busy["rendered"]["wait"]["timeout_ms"], 4000);
    let calm = manifest(dir.path(), &format!("{}@latest", server.url("/calm")));
    assert_eq!(calm["rendered"]["wait"]["settled"], true, "{calm}");
    // The browser's profile (made under TMPDIR) is gone.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("tmp"))
        .expect("tmp dir")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_cookie_protected_page_is_rendered_with_the_targets_cookie() {
    if !chromium() {
        return;
    }
    let server = TestServer::start();
    let forbidden = Reply::status(
        403,
        "<!DOCTYPE html><html><head><title>Forbidden</title></head><body><p>Log in first.</p></body></html>",
    );
    server.route(
        "/members",
        Reply::ok(scripted(&[FIRST, SECOND])).requires_header(
            "cookie",
            &format!("session={SESSION}"),
            forbidden,
        ),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let url = server.url("/members");
    let config = |headers: &str| {
        format!(
            "[defaults]\ntimeout = 5\n\n[[target]]\nname = \"members\"\nurl = \"{url}\"\n\
             render = true\nlinks = false\n{headers}"
        )
    };
    // Without the cookie: 403, and the browser sees the refusal too.
    std::fs::write(dir.path().join("stet.toml"), config("")).expect("write stet.toml");
    let out = run(dir.path(), &["extract", "--format", "text", "members"]);
    assert!(!text(&out).contains(FIRST), "{}", text(&out));

    std::fs::write(
        dir.path().join("stet.toml"),
        config("headers = { Cookie = \"session=${STET_TEST_SESSION}\" }\n"),
    )
    .expect("write stet.toml");
    let before = server.requests().len();
    let out = run(dir.path(), &["--format", "json", "snapshot"]);
    common::assert_ok(&out);
    let m = manifest(dir.path(), "members@latest");
    assert_eq!(m["status"], 200, "{m}");
    let doc = run(dir.path(), &["show", "--text", "members@latest"]);
    assert!(text(&doc).contains(SECOND), "{}", text(&doc));
    // The browser's own request (it says Sec-Fetch-Mode) carried the cookie.
    let browser_requests: Vec<_> = server
        .requests()
        .into_iter()
        .skip(before)
        .filter(|r| r.path == "/members" && r.header("sec-fetch-mode").is_some())
        .collect();
    assert!(!browser_requests.is_empty());
    assert!(browser_requests
        .iter()
        .all(|r| r.header("cookie").is_some_and(|c| c.contains(SESSION))));
    // The secret is nowhere in the store.
    let mut files = Vec::new();
    collect(&dir.path().join("store"), &mut files);
    for f in files {
        let bytes = std::fs::read(&f).expect("read");
        assert!(
            !String::from_utf8_lossy(&bytes).contains(SESSION),
            "{} holds the secret",
            f.display()
        );
    }
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn ignore_robots_applies_to_its_own_target_only() {
    let server = TestServer::start();
    server.route(
        "/robots.txt",
        Reply::ok("User-agent: *\nDisallow: /\n").header("Content-Type", "text/plain"),
    );
    let page = "<article><h1>Own site</h1><p>A page of the archivist's own site, fetched whatever robots.txt says.</p></article>";
    server.route("/mine", Reply::ok(page));
    server.route("/theirs", Reply::ok(page));
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("stet.toml"),
        format!(
            "[[target]]\nurl = \"{}\"\nignore_robots = true\n\n[[target]]\nurl = \"{}\"\n",
            server.url("/mine"),
            server.url("/theirs")
        ),
    )
    .expect("write stet.toml");
    let out = run(dir.path(), &["--format", "json", "snapshot"]);
    let rows = json(&out);
    assert_eq!(rows[0]["outcome"], "new", "{rows}");
    assert_eq!(rows[1]["outcome"], "skipped", "{rows}");
    assert_eq!(rows[1]["reason"], "robots", "{rows}");
    assert_eq!(server.hits("/theirs"), 0);
}

#[test]
fn offline_never_starts_a_browser() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run(
        dir.path(),
        &[
            "--offline",
            "extract",
            "--render",
            "http://127.0.0.1:9/page",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not fetched (--offline)"), "{err}");
    // No browser profile was ever made.
    let made: Vec<_> = std::fs::read_dir(dir.path().join("tmp"))
        .expect("tmp dir")
        .flatten()
        .collect();
    assert!(made.is_empty());
}
