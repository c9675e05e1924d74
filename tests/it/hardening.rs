//! The store under hostile conditions: a full disk and a read-only store
//! (each a real tmpfs, mounted when the tests run as root, as in CI), and
//! SIGKILL at many points of a run. Nothing may damage a stored snapshot.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use common::server::{Reply, TestServer};
use common::{assert_ok, fixture, stet, Json};

fn run(store: &Path, args: &[&str]) -> Output {
    stet(store).args(args).output().expect("run stet")
}

fn verify(store: &Path) -> Json {
    let out = run(store, &["verify", "--format", "json"]);
    serde_json::from_slice(&out.stdout).expect("verify json")
}

/// A tmpfs of `size` mounted at a new directory, unmounted on drop. `None`
/// when mounting is not allowed here (not root), after saying so.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        common::require_or_skip(ok, "a tmpfs mount", "mounting one needs root");
        ok.then_some(Tmpfs { dir })
    }

    fn path(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    fn remount_read_only(&self) -> bool {
        Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(self.dir.path())
            .status()
            .is_ok_and(|s| s.success())
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

#[test]
fn a_full_disk_fails_cleanly_and_keeps_earlier_snapshots() {
    let Some(fs) = Tmpfs::mount("160k") else {
        return;
    };
    let store = fs.path().join("store");
    let f = fixture("article-v1.html");
    let out = run(&store, &["snapshot", f.to_str().expect("utf-8 path")]);
    assert_ok(&out);
    let before = verify(&store);
    assert_eq!(before["intact"], true);

    // 40 KB pages until the disk is full.
    let server = TestServer::start();
    let mut urls = Vec::new();
    for i in 0..12 {
        let body = format!(
            "<article><p>{}</p></article>",
            format!("word{i} ").repeat(5000)
        );
        server.route(&format!("/big{i}"), Reply::ok(body));
        urls.push(server.url(&format!("/big{i}")));
    }
    let mut args = vec!["snapshot", "--format", "json"];
    args.extend(urls.iter().map(String::as_str));
    let out = run(&store, &args);
    assert_eq!(out.status.code(), Some(2), "the disk must have filled up");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("No space left on device"), "{err}");
    assert!(!err.contains("panicked"));
    // Each error names its file once (a temporary file's error named it
    // twice: "… (os error 28) at path \"…\"").
    assert!(!err.contains(" at path "), "{err}");
    let rows: Vec<Json> = serde_json::from_slice(&out.stdout).expect("json rows");
    assert!(rows.iter().any(|r| r["outcome"] == "new"), "some fitted");
    assert!(rows.iter().any(|r| r["reason"] == "store"), "some did not");

    let after = verify(&store);
    assert_eq!(after["intact"], true, "{}", after["problems"]);
    let out = run(&store, &["log", f.to_str().expect("utf-8 path")]);
    assert!(out.status.success());
}

#[test]
fn a_read_only_store_can_be_read_and_verified_but_not_written() {
    let Some(fs) = Tmpfs::mount("4m") else {
        return;
    };
    let store = fs.path().join("store");
    let f = fixture("article-v1.html");
    let f = f.to_str().expect("utf-8 path");
    assert!(run(&store, &["snapshot", f]).status.success());
    assert!(fs.remount_read_only());

    let out = run(&store, &["verify"]);
    assert_ok(&out);
    let out = run(&store, &["show", &format!("{f}@latest")]);
    assert_ok(&out);
    let out = run(&store, &["log", f]);
    assert!(out.status.success());

    let v3 = fixture("article-v3-edited.html");
    let out = run(
        &store,
        &["snapshot", "--as", f, v3.to_str().expect("utf-8 path")],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Read-only file system"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

/// 200 runs killed with SIGKILL at spread-out moments; `verify` after every
/// tenth and at the end.
#[test]
fn two_hundred_kills_never_damage_the_store() {
    let server = TestServer::start();
    for i in 0..20 {
        server.route(&format!("/k{i}"), Reply::file(fixture("article-v1.html")));
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("store");
    let f = fixture("article-v1.html");
    assert!(run(&store, &["snapshot", f.to_str().expect("utf-8 path")])
        .status
        .success());
    let mut killed_mid_run = 0;
    for round in 0..200u64 {
        let urls: Vec<String> = (0..20)
            .map(|i| format!("{}?round={round}", server.url(&format!("/k{i}"))))
            .collect();
        let mut child = Command::new(env!("CARGO_BIN_EXE_stet"))
            .arg("--store")
            .arg(&store)
            .arg("snapshot")
            .args(&urls)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        // 0..40 ms, spread over the rounds.
        std::thread::sleep(Duration::from_micros((round * 7919) % 40_000));
        if child.try_wait().expect("try_wait").is_none() {
            let _ = child.kill();
            killed_mid_run += 1;
        }
        let _ = child.wait();
        if round % 10 == 9 {
            let v = verify(&store);
            assert_eq!(v["intact"], true, "round {round}: {}", v["problems"]);
        }
    }
    let v = verify(&store);
    assert_eq!(v["intact"], true, "{}", v["problems"]);
    let out = run(&store, &["log", f.to_str().expect("utf-8 path")]);
    assert!(out.status.success(), "the first snapshot survives");
    assert!(
        killed_mid_run >= 150,
        "only {killed_mid_run} of 200 runs were killed mid-way"
    );
    eprintln!("{killed_mid_run} of 200 runs killed mid-way; store intact");
}

#[test]
fn terminal_escapes_and_bidi_controls_never_reach_the_terminal_raw() {
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("evil.html");
    std::fs::write(
        &page,
        "<html><head><title>Evil \u{1b}]0;owned\u{7} \u{1b}[2J title \u{202e}txt.exe</title></head><body><article>\
         <h1>Evil</h1><p>Paragraph with \u{1b}[31mred\u{1b}[0m text and a \u{2066}bidi\u{2069} isolate, long enough to be article text.</p>\
         <p>Second paragraph of the article with <a href=\"https://example.org/\u{1b}[5m\">a link</a> that is odd.</p></article></body></html>",
    )
    .expect("write");
    let store = dir.path().join("s");
    let page = page.to_string_lossy().into_owned();
    assert!(run(&store, &["snapshot", &page]).status.success());
    for args in [
        vec!["show", &format!("{page}@latest")],
        vec!["show", "--text", &format!("{page}@latest")],
        vec!["extract", page.as_str()],
        vec!["--offline", "audit", page.as_str()],
        vec!["log", page.as_str()],
    ] {
        let out = run(&store, &args);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.contains('\u{1b}'), "{args:?}: raw ESC in {text}");
        assert!(
            !text.contains('\u{202e}') && !text.contains('\u{2066}'),
            "{args:?}: raw bidi control"
        );
        assert!(!text.contains('\u{7}'), "{args:?}: raw BEL");
    }
}

/// A full disk under cron's log: stderr and stdout that cannot be written
/// (`/dev/full`) lose stet's words, not its exit code, and it does not
/// panic (exit 101).
#[test]
fn an_unwritable_stderr_is_no_panic() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        common::require_or_skip(false, "/dev/full", "this system has none");
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("s");
    for args in [
        &["--offline", "audit", "https://unknown.example/"][..],
        &["no-such-command"][..],
        &["verify"][..],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_stet"))
            .current_dir(dir.path())
            .env_remove("STET_STORE")
            .arg("--store")
            .arg(&store)
            .args(args)
            .stdout(full.try_clone().expect("dup"))
            .stderr(full.try_clone().expect("dup"))
            .status()
            .expect("run stet");
        assert_eq!(out.code(), Some(2), "{args:?}");
    }
}
