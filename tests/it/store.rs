//! The store as evidence: `verify` finds any flipped byte, writers are
//! serialised, and a killed writer never leaves a damaged store.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use common::server::{Reply, TestServer};
use common::{fixture, stet, store_files, Json};

fn run(store: &Path, args: &[&str]) -> Output {
    stet(store).args(args).output().expect("run stet")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A store with three versions of one target and one of another.
fn sample_store(dir: &Path) -> PathBuf {
    let store = dir.join("store");
    let t = "https://www.rightsmonitor.example/2011/04/27/soft-power/";
    for v in [
        "article-v1.html",
        "article-v3-edited.html",
        "article-v4-no-caption.html",
    ] {
        let f = fixture(v);
        let out = run(&store, &["snapshot", "--as", t, f.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let f = fixture("article-base-href.html");
    assert!(run(&store, &["snapshot", f.to_str().unwrap()])
        .status
        .success());
    store
}

/// Every file of a directory tree with its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.clone(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn copy_tree(from: &Path, to: &Path) {
    for (path, bytes) in tree(from) {
        let dest = to.join(path.strip_prefix(from).unwrap());
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::write(dest, bytes).unwrap();
    }
}

#[test]
fn verify_passes_an_intact_store_and_never_writes() {
    let dir = tempfile::tempdir().unwrap();
    let store = sample_store(dir.path());
    let before = tree(&store);
    let out = run(&store, &["verify"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("intact: 8 objects"), "{text}");
    assert!(
        text.contains("4 manifests, 2 targets, 4 snapshots"),
        "{text}"
    );
    let out = run(&store, &["verify", "--reextract", "--format", "json"]);
    assert!(out.status.success());
    let v: Json = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["intact"], true);
    assert_eq!(v["reextracted"], 4);
    assert_eq!(tree(&store), before);
}

#[test]
fn verify_detects_one_flipped_byte_in_any_object_or_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let store = sample_store(dir.path());
    let mut files = store_files(&store, "objects");
    files.extend(store_files(&store, "manifests"));
    assert_eq!(files.len(), 12);
    for (n, file) in files.iter().enumerate() {
        let copy = dir.path().join(format!("copy{n}"));
        copy_tree(&store, &copy);
        let target = copy.join(file.strip_prefix(&store).unwrap());
        let mut bytes = std::fs::read(&target).unwrap();
        let at = bytes.len() / 2;
        bytes[at] ^= 0x01;
        std::fs::write(&target, &bytes).unwrap();
        let out = run(&copy, &["verify", "--format", "json"]);
        assert_eq!(out.status.code(), Some(1), "{}", target.display());
        let v: Json = serde_json::from_slice(&out.stdout).unwrap();
        let rel = file
            .strip_prefix(&store)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let named = v["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["path"] == rel.as_str());
        assert!(named, "{rel} not named in {}", v["problems"]);
        std::fs::remove_dir_all(&copy).unwrap();
    }
}

#[test]
fn verify_detects_broken_histories_and_references() {
    let dir = tempfile::tempdir().unwrap();
    let store = sample_store(dir.path());
    let target_dir = std::fs::read_dir(store.join("targets"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().contains("rightsmonitor"))
        .unwrap();
    let history = std::fs::read_to_string(target_dir.join("history")).unwrap();
    let ids: Vec<&str> = history.lines().collect();

    // Reordered history: the chain breaks.
    let copy = dir.path().join("reordered");
    copy_tree(&store, &copy);
    let h = copy
        .join(target_dir.strip_prefix(&store).unwrap())
        .join("history");
    std::fs::write(&h, format!("{}\n{}\n{}\n", ids[1], ids[0], ids[2])).unwrap();
    let out = run(&copy, &["verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("broken_chain"));

    // A line of garbage appended to the history: that line is the one
    // problem, and the snapshots it lists are still checked (and listed).
    let copy = dir.path().join("garbage");
    copy_tree(&store, &copy);
    let rel = target_dir.strip_prefix(&store).unwrap().join("history");
    std::fs::write(copy.join(&rel), format!("{history}garbage\n")).unwrap();
    let out = run(&copy, &["--format", "json", "verify"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v: Json = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (&v["problems"], &v["notes"]),
        (
            &serde_json::json!([{
                "path": rel.to_string_lossy(),
                "kind": "history_invalid",
                "detail": format!("line {}: `garbage` is not a snapshot id", ids.len() + 1),
            }]),
            &serde_json::json!([])
        )
    );

    // A reference to a snapshot that is not in the history.
    let copy = dir.path().join("badref");
    copy_tree(&store, &copy);
    let r = copy
        .join(target_dir.strip_prefix(&store).unwrap())
        .join("reference");
    std::fs::write(&r, format!("{}\n", "0".repeat(64))).unwrap();
    let out = run(&copy, &["verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("bad_reference"));

    // A pin interrupted between its journal line and the reference write:
    // a note naming both.
    let copy = dir.path().join("torn_pin");
    copy_tree(&store, &copy);
    let t = "https://www.rightsmonitor.example/2011/04/27/soft-power/";
    let out = run(&copy, &["pin", t, &format!("{t}@3")]);
    assert!(out.status.success(), "{}", stderr(&out));
    // (The first pin: before it, no reference file, the first snapshot.)
    let rel = target_dir.strip_prefix(&store).unwrap().join("reference");
    std::fs::remove_file(copy.join(&rel)).unwrap();
    let out = run(&copy, &["--format", "json", "verify"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Json = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["notes"],
        serde_json::json!([{
            "path": rel.to_string_lossy(),
            "kind": "reference_behind_pin",
            "detail": format!(
                "the journal's last pin is {}, the reference {} (an interrupted pin: pin again)",
                &ids[2][..12],
                &ids[0][..12]
            ),
        }])
    );

    // A pinned target whose journal was deleted (or cut before the pin):
    // the reference names a pin no journal records.
    let copy = dir.path().join("journal_lost");
    copy_tree(&store, &copy);
    let out = run(&copy, &["pin", t, &format!("{t}@2")]);
    assert!(out.status.success(), "{}", stderr(&out));
    let target_rel = target_dir.strip_prefix(&store).unwrap();
    std::fs::remove_file(copy.join(target_rel).join("journal")).unwrap();
    let out = run(&copy, &["--format", "json", "verify"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v: Json = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (&v["problems"], &v["notes"]),
        (
            &serde_json::json!([{
                "path": target_rel.join("reference").to_string_lossy(),
                "kind": "pin_not_in_journal",
                "detail": format!(
                    "the reference is {}, but the journal records no pin of it \
                     (the journal, or its last lines, deleted)",
                    &ids[1][..12]
                ),
            }]),
            &serde_json::json!([])
        )
    );

    // A deleted object.
    let copy = dir.path().join("lost");
    copy_tree(&store, &copy);
    let victim = store_files(&copy, "objects").remove(0);
    std::fs::remove_file(&victim).unwrap();
    let out = run(&copy, &["verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("missing_object"));
}

#[test]
fn a_corrupt_manifest_is_a_clear_error_for_readers() {
    let dir = tempfile::tempdir().unwrap();
    let store = sample_store(dir.path());
    let manifest = store_files(&store, "manifests").remove(0);
    let id = manifest.file_stem().unwrap().to_string_lossy().into_owned();
    std::fs::write(&manifest, b"{not json").unwrap();
    let out = run(&store, &["show", &id]);
    assert_eq!(out.status.code(), Some(2));
    // One line, saying once what to do.
    assert_eq!(
        stderr(&out),
        format!(
            "stet: error: {}: corrupt record: content does not match its id (run `stet verify`)\n",
            manifest.display()
        )
    );
}

#[test]
fn a_second_writer_waits_for_the_lock_then_gives_up_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let store = sample_store(dir.path());
    let before = tree(&store);
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(store.join("lock"))
        .unwrap();
    lock.lock().unwrap();
    let f = fixture("article-v2-boilerplate.html");
    let started = Instant::now();
    let out = run(
        &store,
        &["snapshot", "--lock-timeout", "1", f.to_str().unwrap()],
    );
    let waited = started.elapsed();
    assert_eq!(out.status.code(), Some(2));
    assert!(waited >= Duration::from_millis(900), "{waited:?}");
    let err = stderr(&out);
    assert!(
        err.contains("store is locked by another stet process"),
        "{err}"
    );
    assert_eq!(tree(&store), before, "nothing touched");
    drop(lock);
    let out = run(
        &store,
        &["snapshot", "--lock-timeout", "1", f.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn concurrent_writers_are_serialised() {
    let server = TestServer::start();
    for i in 0..20 {
        server.route(
            &format!("/p{i}"),
            Reply::ok(format!("<article><p>page {i}</p></article>"))
                .delay(Duration::from_millis(20)),
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let urls: Vec<String> = (0..20).map(|i| server.url(&format!("/p{i}"))).collect();
    let spawn = |urls: &[String]| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_stet"));
        cmd.arg("--store")
            .arg(&store)
            .arg("snapshot")
            .arg("-j")
            .arg("2")
            .args(urls);
        cmd.stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    // Both runs share half of their targets.
    let a = spawn(&urls[..12]);
    let b = spawn(&urls[8..]);
    let a = a.wait_with_output().unwrap();
    let b = b.wait_with_output().unwrap();
    assert!(a.status.success(), "{}", stderr(&a));
    assert!(b.status.success(), "{}", stderr(&b));
    let out = run(&store, &["verify", "--format", "json"]);
    let v: Json = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["intact"], true, "{v}");
    assert_eq!(v["targets"], 20);
    // The shared targets were stored once and found unchanged the second time.
    assert_eq!(v["snapshots"], 20);
    assert!(v["notes"].as_array().unwrap().is_empty(), "{v}");
}

#[test]
fn killed_writers_leave_a_store_that_verifies() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let store = sample_store(dir.path());
    for i in 0..40 {
        server.route(
            &format!("/k{i}"),
            Reply::file(fixture("article-v1.html")).header("X-N", &i.to_string()),
        );
    }
    let earlier: BTreeMap<PathBuf, Vec<u8>> = tree(&store)
        .into_iter()
        .filter(|(p, _)| !p.ends_with("lock"))
        .collect();
    let mut kills = 0;
    // Temporary files the killed runs left, as `verify` saw them.
    let mut left = 0;
    for round in 0..12u64 {
        let urls: Vec<String> = (0..40)
            .map(|i| format!("{}?r={round}", server.url(&format!("/k{i}"))))
            .collect();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_stet"))
            .arg("--store")
            .arg(&store)
            .arg("snapshot")
            .args(&urls)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Kill at a different moment each round (5 ms .. 115 ms).
        std::thread::sleep(Duration::from_millis(5 + round * 10));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            kills += 1;
        }
        child.wait().unwrap();
        let out = run(&store, &["verify", "--format", "json"]);
        let v: Json = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["intact"], true, "round {round}: {}", v["problems"]);
        left += v["notes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["kind"] == "temporary_file")
            .count();
        // Earlier snapshots are untouched.
        for (path, bytes) in &earlier {
            if path.to_string_lossy().contains("/objects/")
                || path.to_string_lossy().contains("/manifests/")
            {
                assert_eq!(&std::fs::read(path).unwrap(), bytes, "{}", path.display());
            }
        }
    }
    assert!(kills >= 6, "only {kills} runs were killed mid-way");
    // The next writer removes whatever the last killed run left.
    let out = run(
        &store,
        &[
            "pin",
            "https://www.rightsmonitor.example/2011/04/27/soft-power/",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(noted(&store, "temporary_file"), Vec::<String>::new());
    eprintln!("{kills} runs killed; verify saw {left} temporary files they left");
}

/// A batched first run killed at varied moments: the store verifies, and
/// every snapshot printed as `new` before the kill is in its history.
#[test]
fn every_printed_new_snapshot_survives_a_kill() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let article = std::fs::read_to_string(fixture("article-v1.html")).unwrap();
    let mut kills = 0;
    let mut printed = 0;
    // How long a whole run takes here, so that the kills fall inside runs
    // on a fast machine and on a loaded one alike.
    let whole = {
        let urls: Vec<String> = (0..60)
            .map(|i| {
                let path = format!("/calibrate/p{i}");
                let body = article.replace("That was then.", &format!("Then ({i})."));
                server.route(&path, Reply::ok(body));
                server.url(&path)
            })
            .collect();
        let started = std::time::Instant::now();
        let out = run(
            &dir.path().join("calibrate"),
            &[
                &["snapshot"][..],
                &urls.iter().map(String::as_str).collect::<Vec<_>>(),
            ]
            .concat(),
        );
        assert!(out.status.success(), "{}", stderr(&out));
        started.elapsed()
    };
    for round in 0..15u64 {
        let urls: Vec<String> = (0..60)
            .map(|i| {
                let path = format!("/r{round}/p{i}");
                let body = article.replace("That was then.", &format!("Then ({round}, {i})."));
                server.route(&path, Reply::ok(body));
                server.url(&path)
            })
            .collect();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_stet"))
            .arg("--store")
            .arg(&store)
            .arg("snapshot")
            .args(&urls)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Kill at a different moment each round (1/16 .. 15/16 of a whole run).
        std::thread::sleep(whole * (round as u32 + 1) / 16);
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            kills += 1;
        }
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        if !store.join("STET-STORE").exists() {
            // Killed before the store was made: nothing can have been printed.
            assert!(!stdout.contains("new "), "{stdout}");
            continue;
        }
        let out = run(&store, &["verify", "--format", "json"]);
        let v: Json =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", stderr(&out)));
        assert_eq!(v["intact"], true, "round {round}: {}", v["problems"]);
        // Every id in every history (the files `log` reads).
        let histories: Vec<String> = tree(&store)
            .into_iter()
            .filter(|(p, _)| p.ends_with("history"))
            .flat_map(|(_, b)| {
                let text = String::from_utf8(b).unwrap();
                text.lines().map(str::to_string).collect::<Vec<_>>()
            })
            .collect();
        for line in stdout.lines().filter(|l| l.starts_with("new ")) {
            let id = line.split_whitespace().nth(1).unwrap();
            assert!(
                histories.iter().any(|h| h.starts_with(id)),
                "round {round}: printed `{line}`, but no history has it"
            );
            printed += 1;
        }
    }
    assert!(kills >= 5, "only {kills} runs were killed mid-way");
    assert!(printed > 0, "no run printed a new snapshot before its kill");
}

/// A run that finds every page unchanged changes no file of the store but
/// the `last-check` hints, and adds none but those.
#[test]
fn an_unchanged_run_rewrites_nothing_but_check_hints() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let urls: Vec<String> = (0..12)
        .map(|i| {
            let path = format!("/u{i}");
            server.route(
                &path,
                Reply::file(fixture("article-v1.html")).header("X-N", &i.to_string()),
            );
            server.url(&path)
        })
        .collect();
    let args: Vec<&str> = ["snapshot"]
        .into_iter()
        .chain(urls.iter().map(String::as_str))
        .collect();
    common::assert_ok(&run(&store, &args));
    let before = tree(&store);
    let out = run(&store, &args);
    common::assert_ok(&out);
    let rows = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        rows.lines().filter(|l| l.starts_with("unchanged ")).count(),
        12,
        "{rows}"
    );
    let after = tree(&store);
    let hints: Vec<&PathBuf> = after.keys().filter(|p| p.ends_with("last-check")).collect();
    assert_eq!(hints.len(), 12);
    let rest = |t: &BTreeMap<PathBuf, Vec<u8>>| -> BTreeMap<PathBuf, Vec<u8>> {
        t.iter()
            .filter(|(p, _)| !p.ends_with("last-check"))
            .map(|(p, b)| (p.clone(), b.clone()))
            .collect()
    };
    assert_eq!(rest(&before), rest(&after));
}

/// A document that another extractor made is expected to differ when
/// extracted today: `verify --reextract` says so in a note, not as damage;
/// the same extractor giving another document is damage.
#[test]
fn reextraction_by_another_extractor_is_a_note_not_damage() {
    use stet::store::{Reextracted, Store, VerifyOptions};
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(sample_store(dir.path())).unwrap();
    let verify = |version: &str| {
        let version = version.to_owned();
        let f = move |_: &stet::model::Manifest, _: &[u8]| {
            Ok(Reextracted {
                sha256: "0".repeat(64),
                extractor_version: version.clone(),
            })
        };
        store
            .verify(&VerifyOptions {
                reextract: Some(&f),
                threads: 1,
            })
            .unwrap()
    };
    let newer = verify("stet-extract/999");
    assert!(newer.intact(), "{:?}", newer.problems);
    assert_eq!(newer.notes.len(), 4, "{:?}", newer.notes);
    assert!(newer.notes.iter().all(|n| n.kind == "extractor_changed"
        && n.detail.starts_with(&format!(
            "made by extractor {}, today stet-extract/999",
            stet::extract::EXTRACTOR_VERSION
        ))));
    let same = verify(stet::extract::EXTRACTOR_VERSION);
    assert!(!same.intact());
    assert_eq!(same.problems.len(), 4);
    assert!(same.problems.iter().all(|p| p.kind == "reextract_differs"));
}

#[test]
fn raw_and_compressed_objects_read_alike() {
    let dir = tempfile::tempdir().unwrap();
    let store = sample_store(dir.path());
    let t = "https://www.rightsmonitor.example/2011/04/27/soft-power/";
    let views = |s: &Path| {
        let show = run(s, &["show", "--text", &format!("{t}@1")]);
        let diff = run(
            s,
            &[
                "--format",
                "json",
                "diff",
                &format!("{t}@1"),
                &format!("{t}@2"),
            ],
        );
        assert!(show.status.success(), "{}", stderr(&show));
        assert_eq!(diff.status.code(), Some(1), "{}", stderr(&diff));
        (show.stdout, diff.stdout)
    };
    let before = views(&store);
    // Pages and documents are compressed.
    let is_zst = |p: &PathBuf| p.extension().is_some_and(|e| e == "zst");
    let objects = store_files(&store, "objects");
    assert_eq!(
        objects.iter().filter(|p| is_zst(p)).count(),
        8,
        "{objects:?}"
    );
    for path in &objects {
        let stored = std::fs::read(path).unwrap();
        // Standard zstd: any decoder reads it (the seal is a skippable frame).
        let plain = zstd::stream::decode_all(stored.as_slice()).unwrap();
        assert!(stored.len() * 2 < plain.len(), "{}", path.display());
        let name = path.file_stem().unwrap().to_str().unwrap();
        assert_eq!(stet::digest::sha256_hex(&plain), name);
    }

    // A store written before compression (every object raw) reads the same.
    let copy = dir.path().join("raw");
    copy_tree(&store, &copy);
    for path in store_files(&copy, "objects") {
        if path.extension().is_some_and(|e| e == "zst") {
            let plain =
                stet::store::codec::decode(&std::fs::read(&path).unwrap(), 1 << 30).unwrap();
            std::fs::write(path.with_extension(""), plain).unwrap();
            std::fs::remove_file(&path).unwrap();
        }
    }
    assert_eq!(views(&copy), before);
    let out = run(&copy, &["verify"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // New snapshots into it compress; an object stored raw already (the
    // v1 page) is not stored again.
    for f in ["article-v1.html", "article-v5-links-changed.html"] {
        let f = fixture(f);
        let out = run(
            &copy,
            &[
                "snapshot",
                "--as",
                "https://other.example/a",
                f.to_str().unwrap(),
            ],
        );
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let after = store_files(&copy, "objects");
    let added: Vec<_> = after
        .iter()
        .filter(|p| {
            !objects
                .iter()
                .any(|o| o.with_extension("").file_name() == p.file_name())
        })
        .collect();
    assert!(
        !added.is_empty() && added.iter().all(|p| is_zst(p)),
        "{added:?}"
    );
    for path in after.iter().filter(|p| is_zst(p)) {
        assert!(!path.with_extension("").exists(), "{}", path.display());
    }
    assert!(run(&copy, &["verify"]).status.success());
}

#[test]
fn audits_killed_at_any_moment_leave_whole_journals() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let article = std::fs::read_to_string(fixture("article-v1.html")).unwrap();
    let mut toml = String::new();
    for i in 0..40 {
        toml.push_str(&format!(
            "[[target]]\nurl = \"{}\"\n",
            server.url(&format!("/p{i}"))
        ));
    }
    let config = dir.path().join("stet.toml");
    std::fs::write(&config, toml).unwrap();
    let audit = |round: u64| {
        // Every page changes every round: every journal gets a record.
        for i in 0..40 {
            let body = article.replace("That was then.", &format!("Then ({round}, {i})."));
            server.route(&format!("/p{i}"), Reply::ok(body));
        }
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_stet"));
        cmd.arg("--store").arg(&store).args([
            "--format",
            "json",
            "audit",
            "--no-links",
            "--config",
        ]);
        cmd.arg(&config)
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        cmd
    };
    let started = Instant::now();
    let out = audit(0).output().unwrap();
    assert!(out.status.code().is_some_and(|c| c < 2));
    let whole = started.elapsed();
    for round in 1..=8u64 {
        let mut child = audit(round).spawn().unwrap();
        std::thread::sleep(whole * round as u32 / 9);
        let _ = child.kill();
        child.wait().unwrap();
        let out = run(&store, &["verify", "--format", "json"]);
        let v: Json = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["intact"], true, "round {round}: {}", v["problems"]);
    }
    // A whole run: every target's journal ends with what the report says.
    let out = audit(9).output().unwrap();
    let report: Json = serde_json::from_slice(&out.stdout).unwrap();
    let targets = report["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 40);
    for t in targets {
        let key = stet::store::target_key(t["target"].as_str().unwrap());
        let journal =
            std::fs::read_to_string(store.join("targets").join(key).join("journal")).unwrap();
        let last = journal.lines().last().unwrap();
        assert!(
            last.contains(t["current"]["id"].as_str().unwrap()),
            "{last}"
        );
    }
}

/// The notes of `verify` of a kind, by path.
fn noted(store: &Path, kind: &str) -> Vec<String> {
    let out = run(store, &["verify", "--format", "json"]);
    let v: Json = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["intact"], true, "{v}");
    v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == kind)
        .map(|n| n["path"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_next_writer_removes_what_killed_runs_left_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let store = sample_store(dir.path());
    let object = store_files(&store, "objects")[0].clone();
    let manifest = store_files(&store, "manifests")[0].clone();
    let target = std::fs::read_dir(store.join("targets"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let rel = |p: &Path| {
        p.strip_prefix(&store)
            .unwrap()
            .to_string_lossy()
            .into_owned()
    };
    // What a killed run leaves: an object, a manifest and a history half
    // written under their temporary names; a link cache at the store's
    // root. And two files with a temporary file's look that are not stet's.
    let left = [
        object.with_file_name(".tmp-K1ll3d"),
        manifest.with_file_name(".tmp-M4nfst"),
        target.join(".tmp-H1stry"),
        store.join("links/.tmp-L1nksC"),
        store.join(".tmp-R00ted"),
    ];
    let foreign = [
        object.with_file_name(".tmp-notes.txt"),
        target.join(".tmp-mine"),
    ];
    let hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
    for path in left.iter().chain(&foreign) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let f = std::fs::File::create(path).unwrap();
        std::io::Write::write_all(&mut &f, b"half a record").unwrap();
        f.set_modified(hour_ago).unwrap();
    }
    let mut all: Vec<String> = left.iter().chain(&foreign).map(|p| rel(p)).collect();
    all.sort();
    // `verify` names them all, and removes none (it never writes).
    assert_eq!(noted(&store, "temporary_file"), all);
    assert_eq!(noted(&store, "temporary_file"), all);
    // The next writer (here a pin) removes stet's own.
    let name = std::fs::read_to_string(target.join("target")).unwrap();
    let out = run(&store, &["pin", name.trim()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut kept: Vec<String> = foreign.iter().map(|p| rel(p)).collect();
    kept.sort();
    assert_eq!(noted(&store, "temporary_file"), kept);
    for path in &foreign {
        assert_eq!(std::fs::read(path).unwrap(), b"half a record");
    }
}
