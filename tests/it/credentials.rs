//! Per-target `headers` and `cookies_file`: the server sees them, a
//! cross-origin redirect drops them, and no byte stet writes (store,
//! stdout, stderr, every format) holds a secret value.

use crate::common;

use std::path::Path;
use std::process::Output;

use common::server::{Reply, TestServer};
use common::stet;

const TOKEN: &str = "tok-9f8e7d6c5b4a";
const SESSION: &str = "sess-1a2b3c4d5e6f";
const FILE_COOKIE: &str = "jar-0a9b8c7d6e5f";

fn run(dir: &Path, args: &[&str], with_env: bool) -> Output {
    let mut cmd = stet(&dir.join("store"));
    cmd.current_dir(dir).args(args);
    if with_env {
        cmd.env("STET_TEST_TOKEN", TOKEN)
            .env("STET_TEST_SESSION", SESSION);
    } else {
        cmd.env_remove("STET_TEST_TOKEN")
            .env_remove("STET_TEST_SESSION");
    }
    cmd.output().expect("run stet")
}

fn setup() -> (TestServer, TestServer, tempfile::TempDir) {
    let server = TestServer::start();
    let other = TestServer::start();
    let article = "<article><h1>Members only</h1><p>The paragraph behind the login wall \
                   reads the same for every subscriber.</p></article>";
    server.route("/start", Reply::redirect(302, "/page"));
    server.route("/page", Reply::ok(article));
    server.route("/away", Reply::redirect(302, &other.url("/landing")));
    other.route("/landing", Reply::ok(article));
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("cookies.txt"),
        format!(
            "# Netscape HTTP Cookie File\n\
             127.0.0.1\tFALSE\t/\tFALSE\t0\tjar\t{FILE_COOKIE}\n\
             127.0.0.1\tFALSE\t/elsewhere\tFALSE\t0\tnot_here\tx\n\
             127.0.0.1\tFALSE\t/\tFALSE\t1000\texpired\ty\n"
        ),
    )
    .expect("write cookies");
    std::fs::write(
        dir.path().join("stet.toml"),
        format!(
            "[defaults]\ntimeout = 5\n\n\
             [[target]]\nname = \"paywalled\"\nurl = \"{}\"\n\
             headers = {{ Authorization = \"Bearer ${{STET_TEST_TOKEN}}\", Cookie = \"session=${{STET_TEST_SESSION}}\" }}\n\
             cookies_file = \"cookies.txt\"\n\n\
             [[target]]\nname = \"hops\"\nurl = \"{}\"\n\
             headers = {{ Authorization = \"Bearer ${{STET_TEST_TOKEN}}\" }}\n",
            server.url("/start"),
            server.url("/away"),
        ),
    )
    .expect("write stet.toml");
    (server, other, dir)
}

fn files_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn assert_no_secret(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for secret in [TOKEN, SESSION, FILE_COOKIE] {
        assert!(!text.contains(secret), "{what} holds a secret: {text}");
    }
}

#[test]
fn headers_and_cookies_reach_the_server_and_nowhere_else() {
    let (server, other, dir) = setup();
    let mut outputs = Vec::new();
    for args in [
        &["snapshot", "--format", "json"][..],
        &["snapshot", "--format", "text"],
        &["extract", "paywalled"],
        &["log", "--format", "json", "paywalled"],
        &["show", "--format", "json", "paywalled"],
    ] {
        let out = run(dir.path(), args, true);
        outputs.push((format!("{args:?}"), out));
    }
    for format in ["text", "json", "html", "junit", "github", "markdown"] {
        let args = ["audit", "--no-links", "--format", format];
        outputs.push((format!("{args:?}"), run(dir.path(), &args, true)));
    }
    let first = &outputs[0].1;
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    for (what, out) in &outputs {
        assert_no_secret(&format!("stdout of {what}"), &out.stdout);
        assert_no_secret(&format!("stderr of {what}"), &out.stderr);
    }

    // The server saw the headers and the live, matching cookies, on the
    // first hop and the same-origin redirect.
    let requests = server.requests();
    let pages: Vec<_> = requests
        .iter()
        .filter(|r| r.path == "/start" || r.path == "/page")
        .collect();
    assert!(pages.len() >= 2, "{requests:?}");
    for r in &pages {
        assert_eq!(
            r.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        assert_eq!(
            r.header("cookie"),
            Some(format!("session={SESSION}; jar={FILE_COOKIE}").as_str())
        );
    }
    let away: Vec<_> = requests.iter().filter(|r| r.path == "/away").collect();
    assert!(away
        .iter()
        .all(|r| r.header("authorization") == Some(format!("Bearer {TOKEN}").as_str())));
    // A cross-origin redirect carries nothing configured.
    let landed = other.requests();
    assert!(!landed.is_empty());
    for r in &landed {
        assert_eq!(r.header("authorization"), None, "{r:?}");
        assert_eq!(r.header("cookie"), None, "{r:?}");
    }

    // Every file stet wrote is free of the secrets; the manifests name
    // what was sent.
    let mut files = Vec::new();
    files_under(&dir.path().join("store"), &mut files);
    let mut named = false;
    for f in &files {
        let bytes = std::fs::read(f).expect("read store file");
        assert_no_secret(&f.display().to_string(), &bytes);
        named |= String::from_utf8_lossy(&bytes)
            .contains(r#""sent_headers":["Authorization","Cookie"]"#);
    }
    assert!(named, "no manifest records the headers sent");
}

#[test]
fn a_missing_variable_is_one_line_naming_it_and_the_target() {
    let (server, _other, dir) = setup();
    let out = run(dir.path(), &["snapshot", "--target", "paywalled"], false);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let first = stderr.lines().next().unwrap_or_default();
    assert!(
        first.contains("paywalled") && first.contains("${STET_TEST_"),
        "{stderr}"
    );
    assert!(server.requests().is_empty(), "nothing is fetched");
}
