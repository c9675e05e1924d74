//! Web archives: `stet export --warc` checked by warcio, `stet import --warc`
//! on warcio's own test files, and the round trip export → import → export.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use common::server::{Reply, TestServer};
use common::{fixture, read_object, stet, store_files, Json};

/// `warcio`: `$STET_WARCIO`, else on PATH.
pub(crate) fn warcio() -> Option<PathBuf> {
    let name = std::env::var("STET_WARCIO").unwrap_or_else(|_| "warcio".to_string());
    common::require::program(
        &name,
        "PyPI warcio checks stet's WARC files; .ci/run installs it",
    )
}

/// `wacz` (py-wacz): `$STET_WACZ`, else on PATH.
fn wacz_tool() -> Option<PathBuf> {
    let name = std::env::var("STET_WACZ").unwrap_or_else(|_| "wacz".to_string());
    common::require::program(
        &name,
        "PyPI wacz validates stet's WACZ packages; .ci/run installs it",
    )
}

/// `cdxj-indexer` (PyPI cdxj-indexer, which wacz installs):
/// `$STET_CDXJ_INDEXER`, else on PATH.
fn cdxj_indexer() -> Option<PathBuf> {
    let name = std::env::var("STET_CDXJ_INDEXER").unwrap_or_else(|_| "cdxj-indexer".to_string());
    common::require::program(
        &name,
        "PyPI cdxj-indexer (installed with wacz) writes the CDXJ keys pywb looks up; .ci/run installs it",
    )
}

/// warcio's test files in ../shared.
fn corpus(name: &str) -> Option<PathBuf> {
    common::require::shared(&format!("corpus/warc/warcio/{name}"))
}

/// `warcio check -v FILE`, which must pass with no failed digest; what it said.
pub(crate) fn warcio_check(warcio: &Path, file: &Path) -> String {
    let said = passes(Process::new(warcio).arg("check").arg("-v").arg(file));
    assert!(!said.contains("fail"), "{said}");
    said
}

/// What an outside checker says, which must succeed.
fn passes(check: &mut Process) -> String {
    let check = check.output().expect("the checker runs");
    let said = String::from_utf8_lossy(&check.stdout).into_owned();
    assert!(
        check.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&check.stderr)
    );
    said
}

fn run(cmd: &mut assert_cmd::Command) -> std::process::Output {
    cmd.output().expect("stet runs")
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &std::process::Output) -> Json {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            stderr(out)
        )
    })
}

/// A store with plain, gzip, chunked and unchanged captures, a file import
/// and a changed version.
fn sample_store(dir: &Path) -> (PathBuf, TestServer) {
    let server = TestServer::start();
    let v1 = fixture("article-v1.html");
    let v3 = fixture("article-v3-edited.html");
    server.route(
        "/a",
        Reply::sequence(vec![Reply::file(&v1), Reply::file(&v3).gzip()]),
    );
    server.route("/same", Reply::file(&v1));
    server.route("/chunked", Reply::file(&v3).chunked().brotli());
    let store = dir.join("store");
    for (now, urls) in [
        (
            "2026-01-02T03:04:05Z",
            vec![
                server.url("/a"),
                server.url("/same"),
                server.url("/chunked"),
            ],
        ),
        ("2026-01-03T00:00:00Z", vec![server.url("/a")]),
    ] {
        let out = run(stet(&store)
            .env("STET_NOW", now)
            .arg("snapshot")
            .args(&urls));
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let out = run(stet(&store)
        .env("STET_NOW", "2026-01-02T03:04:06Z")
        .args(["snapshot", "--as", "https://example.org/saved"])
        .arg(fixture("article-v2-boilerplate.html")));
    assert!(out.status.success(), "{}", stderr(&out));
    (store, server)
}

fn export(store: &Path, file: &Path) -> Json {
    let out = run(stet(store)
        .args(["--format", "json", "export", "--warc"])
        .arg(file));
    assert!(out.status.success(), "{}", stderr(&out));
    json(&out)
}

#[test]
fn export_is_deterministic_and_round_trips_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _server) = sample_store(dir.path());
    let first = dir.path().join("one/archive.warc.gz");
    std::fs::create_dir_all(first.parent().unwrap()).unwrap();
    let summary = export(&store, &first);
    assert_eq!(summary["snapshots"], 5);
    // /same repeats /a's first body: a revisit. The file import: a resource.
    assert_eq!(
        (
            &summary["responses"],
            &summary["revisits"],
            &summary["resources"]
        ),
        (&Json::from(3), &Json::from(1), &Json::from(1))
    );
    let bytes = std::fs::read(&first).unwrap();
    let again = dir.path().join("two/archive.warc.gz");
    std::fs::create_dir_all(again.parent().unwrap()).unwrap();
    export(&store, &again);
    assert_eq!(
        bytes,
        std::fs::read(&again).unwrap(),
        "same store, same bytes"
    );

    // Import into an empty store restores every snapshot as it was.
    let restored = dir.path().join("restored");
    let out = run(stet(&restored)
        .args(["--format", "json", "import", "--warc"])
        .arg(&first));
    assert!(out.status.success(), "{}", stderr(&out));
    let report = json(&out);
    let outcomes: Vec<&str> = report["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["restored"; 5]);
    let third = dir.path().join("three/archive.warc.gz");
    std::fs::create_dir_all(third.parent().unwrap()).unwrap();
    export(&restored, &third);
    assert_eq!(
        bytes,
        std::fs::read(&third).unwrap(),
        "export → import → export"
    );
    let ids = |s: &Path| {
        store_files(s, "manifests")
            .iter()
            .map(|p| p.file_name().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&store), ids(&restored));
    let out = run(stet(&restored).arg("verify"));
    assert!(out.status.success(), "{}", stderr(&out));

    // Importing again adds nothing.
    let before = store_files(&restored, "objects");
    let out = run(stet(&restored)
        .args(["--format", "json", "import", "--warc"])
        .arg(&first));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(json(&out)["records"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["outcome"] == "present"));
    assert_eq!(before, store_files(&restored, "objects"));
}

#[test]
fn warcio_checks_and_indexes_the_export_and_catches_a_flipped_byte() {
    let Some(warcio) = warcio() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (store, _server) = sample_store(dir.path());
    let file = dir.path().join("a.warc.gz");
    export(&store, &file);
    let said = warcio_check(&warcio, &file);
    // Every record but the revisit had its digests verified.
    let passes = said.matches("digest pass").count();
    let records = said.matches("WARC-Record-ID").count();
    assert_eq!(passes + 1, records, "{said}");
    let index = Process::new(&warcio)
        .args(["index", "-f", "warc-type,warc-target-uri,offset,length"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        index.status.success(),
        "{}",
        String::from_utf8_lossy(&index.stderr)
    );
    let types: Vec<String> = String::from_utf8_lossy(&index.stdout)
        .lines()
        .map(|l| {
            serde_json::from_str::<Json>(l).unwrap()["warc-type"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(types.first().map(String::as_str), Some("warcinfo"));
    assert_eq!(types.iter().filter(|t| *t == "metadata").count(), 5);

    // A flipped byte inside the third record's block.
    let bytes = std::fs::read(&file).unwrap();
    let plain = {
        let mut out = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::MultiGzDecoder::new(bytes.as_slice()),
            &mut out,
        )
        .unwrap();
        out
    };
    let at = plain
        .windows(6)
        .position(|w| w == b"<html>" || w == b"<!DOCT")
        .unwrap();
    let mut flipped = plain.clone();
    flipped[at + 3] ^= 0x20;
    let plain_file = dir.path().join("flipped.warc");
    std::fs::write(&plain_file, &flipped).unwrap();
    let check = Process::new(&warcio)
        .arg("check")
        .arg(&plain_file)
        .output()
        .unwrap();
    assert!(!check.status.success(), "warcio accepted a flipped byte");
}

#[test]
fn warcio_test_files_import_and_their_captures_diff() {
    let (Some(plain), Some(gz)) = (corpus("example.warc"), corpus("example.warc.gz")) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let out = run(stet(&store)
        .args(["--format", "json", "import", "--warc"])
        .arg(&gz));
    assert!(out.status.success(), "{}", stderr(&out));
    let report = json(&out);
    let records = report["records"].as_array().unwrap();
    // A response and a revisit of it, each a snapshot dated by its WARC-Date.
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["outcome"], "new");
    assert_eq!(records[1]["outcome"], "new");
    assert_eq!(records[1]["record_type"], "revisit");
    let ids: Vec<String> = records
        .iter()
        .map(|r| r["snapshot"].as_str().unwrap().to_string())
        .collect();
    let show = run(stet(&store).args(["--format", "json", "show"]).arg(&ids[0]));
    assert!(show.status.success(), "{}", stderr(&show));
    let manifest = json(&show);
    let m = manifest.get("manifest").unwrap_or(&manifest);
    assert_eq!(m["fetched_at"], "2017-03-06T04:02:06Z");
    assert_eq!(m["origin"]["warc"], "example.warc.gz");
    assert_eq!(
        m["origin"]["record_id"],
        "<urn:uuid:a9c51e3e-0221-11e7-bf66-0242ac120005>"
    );
    assert_eq!(
        m["origin"]["warc_sha256"],
        stet::digest::sha256_hex(&std::fs::read(&gz).unwrap()).as_str()
    );
    // The same captures from the plain file are already there.
    let out = run(stet(&store)
        .args(["--format", "json", "import", "--warc"])
        .arg(&plain));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(json(&out)["records"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["outcome"] == "present"));
    // log, diff and an offline audit work on the archive's captures.
    let log = run(stet(&store).args(["log", "http://example.com/"]));
    assert!(log.status.success(), "{}", stderr(&log));
    assert_eq!(
        String::from_utf8_lossy(&log.stdout)
            .matches("2017-03-06")
            .count(),
        2
    );
    let diff = run(stet(&store).args(["diff", "http://example.com/@1", "http://example.com/@2"]));
    assert_eq!(diff.status.code(), Some(0), "{}", stderr(&diff));
    let audit = run(stet(&store).args(["--offline", "audit", "--no-links", "http://example.com/"]));
    assert_eq!(
        audit.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&audit.stdout),
        stderr(&audit)
    );
}

#[test]
fn chunked_responses_are_stored_dechunked_and_resources_imported() {
    let (Some(chunked), Some(resource)) = (
        corpus("example-iana.org-chunked.warc"),
        corpus("example-resource.warc.gz"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let out = run(stet(&store)
        .args(["--format", "json", "import", "--warc"])
        .arg(&chunked)
        .arg(&resource));
    assert!(out.status.success(), "{}", stderr(&out));
    let report = json(&out);
    let new: Vec<&Json> = report["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["outcome"] == "new")
        .collect();
    assert_eq!(new.len(), 2, "{report}");
    let text = run(stet(&store).args(["show", "--text", "http://www.iana.org/@1"]));
    assert!(text.status.success(), "{}", stderr(&text));
    let body = run(stet(&store).args(["--format", "json", "show", "http://www.iana.org/@1"]));
    let manifest = json(&body);
    let m = manifest.get("manifest").unwrap_or(&manifest);
    let sha = m["body"]["sha256"].as_str().unwrap();
    let stored = read_object(&store, sha);
    assert!(
        stored.starts_with(b"<!doctype html>") || stored.starts_with(b"<!DOCTYPE html>"),
        "{:?}",
        String::from_utf8_lossy(&stored[..40.min(stored.len())])
    );
    assert!(m.get("exchange").is_some());
}

/// The snapshot `import` made of `file`'s only page (`flag`: `--warc` or
/// `--arc`): its import report and its manifest.
fn import_one_page(store: &Path, flag: &str, file: &Path) -> (Json, Json) {
    let out = run(stet(store)
        .args(["--format", "json", "import", flag])
        .arg(file));
    assert!(out.status.success(), "{}", stderr(&out));
    let report = json(&out);
    let pages: Vec<&Json> = report["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["snapshot"].is_string())
        .collect();
    assert_eq!(pages.len(), 1, "{report}");
    let show = run(stet(store)
        .args(["--format", "json", "show"])
        .arg(pages[0]["snapshot"].as_str().unwrap()));
    assert!(show.status.success(), "{}", stderr(&show));
    let shown = json(&show);
    let manifest = shown.get("manifest").unwrap_or(&shown).clone();
    (pages[0].clone(), manifest)
}

#[test]
fn arc_files_import_as_their_warcio_conversion_does() {
    let (Some(arc), Some(arc_gz)) = (corpus("example.arc"), corpus("example.arc.gz")) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let (record, m) = import_one_page(&store, "--arc", &arc);
    assert_eq!(record["outcome"], "new");
    assert_eq!(record["record_type"], "response");
    assert_eq!(record["record_id"], "");
    assert_eq!(record["offset"], 151);
    assert_eq!(record["uri"], "http://example.com/");
    assert_eq!(m["fetched_at"], "2014-02-16T05:02:21Z");
    assert_eq!(m["origin"]["warc"], "example.arc");
    // The body is the HTTP payload after the record's response head.
    let bytes = std::fs::read(&arc).unwrap();
    let start = bytes.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let payload = &bytes[start..start + 1270];
    assert!(payload.ends_with(b"</html>\n"));
    assert_eq!(
        m["body"]["sha256"],
        stet::digest::sha256_hex(payload).as_str()
    );
    // The gzip ARC holds the same capture.
    let (record, _) = import_one_page(&store, "--arc", &arc_gz);
    assert_eq!(record["outcome"], "present");
    // warcio's own conversion of the ARC to WARC is the same capture.
    let Some(warcio) = warcio() else { return };
    let converted = dir.path().join("converted.warc.gz");
    let out = Process::new(&warcio)
        .arg("recompress")
        .arg(&arc)
        .arg(&converted)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let (record, _) = import_one_page(&store, "--warc", &converted);
    assert_eq!(record["outcome"], "present");
}

/// An ARC version 2 file (10 fields a header, as the Internet Archive's
/// crawlers wrote): `gz` compresses each record as its own gzip member.
fn arc_v2(gz: bool) -> Vec<u8> {
    let page = "<html><head><title>Old news</title></head><body><article>\
                <h1>Old news</h1><p>The council met on Tuesday and voted to close \
                the old library on the first of March.</p></article></body></html>";
    let http = |status: &str, body: &str| {
        format!(
            "HTTP/1.0 {status}\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
    };
    let version = "2 0 Test Crawl\nURL IP-address Archive-date Content-type Result-code \
                   Checksum Location Offset Filename Archive-length\n";
    let records = [
        (
            "filedesc://crawl.arc",
            "text/plain",
            "200",
            version.to_string(),
        ),
        (
            "dns:news.example",
            "text/dns",
            "200",
            "20010101000000\nnews.example. 3600 IN A 192.0.2.1\n".to_string(),
        ),
        (
            "http://news.example/old story.html",
            "text/html",
            "200",
            http("200 OK", page),
        ),
        (
            "http://news.example/gone.html",
            "text/html",
            "404",
            http("404 Not Found", "gone"),
        ),
    ];
    let mut out = Vec::new();
    for (url, content_type, status, block) in records {
        let record = format!(
            "{url} 192.0.2.1 20010911120000 {content_type} {status} - - 0 crawl.arc {}\n{block}\n",
            block.len()
        );
        if gz {
            use std::io::Write;
            let mut member = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            member.write_all(record.as_bytes()).unwrap();
            out.extend(member.finish().unwrap());
        } else {
            out.extend(record.as_bytes());
        }
    }
    out
}

#[test]
fn arc_version_2_files_plain_and_gzip_import_their_pages() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let plain = dir.path().join("crawl.arc");
    let gz = dir.path().join("crawl.arc.gz");
    std::fs::write(&plain, arc_v2(false)).unwrap();
    std::fs::write(&gz, arc_v2(true)).unwrap();
    let out = run(stet(&store).args(["import", "--arc"]).arg(&plain));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout).replace(&plain.display().to_string(), "FILE");
    let ids: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1))
        .collect();
    // A 404 is a capture too: the page was gone then.
    assert_eq!(
        text,
        format!(
            "new      {}  http://news.example/gone.html\n\
             new      {}  http://news.example/old story.html\n\
             FILE (sha256 {}): 4 records; 2 new, 0 restored, 0 already stored, 1 skipped, 0 refused\n  \
             skipped 1: not an HTML page (text/dns)\n",
            ids[0],
            ids[1],
            &stet::digest::sha256_hex(&std::fs::read(&plain).unwrap())[..12]
        )
    );
    let out = run(stet(&store)
        .args(["--format", "json", "import", "--arc"])
        .arg(&gz));
    assert!(out.status.success(), "{}", stderr(&out));
    let outcomes: Vec<Json> = json(&out)["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["outcome"].clone())
        .collect();
    assert_eq!(outcomes, ["skipped", "present", "present"]);
    let show = run(stet(&store).args([
        "--format",
        "json",
        "show",
        "http://news.example/old%20story.html",
    ]));
    let shown = json(&show);
    let m = shown.get("manifest").unwrap_or(&shown);
    assert_eq!(m["fetched_at"], "2001-09-11T12:00:00Z");
    assert_eq!(m["origin"]["warc"], "crawl.arc");
    let shown = run(stet(&store).args(["show", "--text", "http://news.example/old%20story.html"]));
    assert_eq!(
        String::from_utf8_lossy(&shown.stdout),
        "The council met on Tuesday and voted to close the old library on the first of March.\n"
    );
    // A record cut short is refused, and the file with it.
    let mut cut = arc_v2(false);
    cut.truncate(cut.len() - 10);
    std::fs::write(&plain, cut).unwrap();
    let other = dir.path().join("other");
    let out = run(stet(&other).args(["import", "--arc"]).arg(&plain));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(!other.exists());
}

#[test]
fn each_format_is_read_only_when_named() {
    let dir = tempfile::tempdir().unwrap();
    let arc = dir.path().join("crawl.arc.gz");
    std::fs::write(&arc, arc_v2(true)).unwrap();
    let warc = fixture("article-v1.html");
    let store = dir.path().join("s");
    let out = run(stet(&store).args(["import", "--warc"]).arg(&arc));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "stet: error: {}: an ARC file, not a WARC file (`stet import --arc FILE` reads ARC \
             files) (at byte 0); nothing imported from it\n",
            arc.display()
        )
    );
    let out = run(stet(&store).args(["import", "--arc"]).arg(&warc));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "stet: error: {}: not an ARC file: it does not start with an ARC version block \
             (`filedesc://`); WARC files go to --warc (at byte 0); nothing imported from it\n",
            warc.display()
        )
    );
    assert!(!store.exists());
}

/// An export that cannot be written (its directory is missing) is one line
/// naming the file asked for, not the temporary file beside it.
#[test]
fn an_export_into_a_missing_directory_is_one_line_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _server) = sample_store(dir.path());
    let file = dir.path().join("missing/out.warc.gz");
    let out = run(stet(&store).args(["export", "--warc"]).arg(&file));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "stet: error: {}: No such file or directory (os error 2)\n",
            file.display()
        )
    );
}

#[test]
fn damaged_files_are_refused_whole_with_one_line() {
    let names = [
        "example-bad.warc.gz.bad",
        "example-trunc.warc",
        "example-wrong-chunks.warc.gz",
        // ARC files, given as WARC.
        "bad.arc",
        "example.arc.gz",
    ];
    let arc_names = [
        "bad.arc",
        // Its header lines lost their CRs after its length was written:
        // the last record ends 12 bytes short.
        "example-space-in-url.arc",
    ];
    let dir = tempfile::tempdir().unwrap();
    let named = |flag: &'static str| move |name: &'static str| (flag, name);
    let cases = (names.into_iter().map(named("--warc"))).chain(arc_names.map(named("--arc")));
    for (flag, name) in cases {
        let Some(file) = corpus(name) else { return };
        let store = dir.path().join("s");
        let out = run(stet(&store).args(["import", flag]).arg(&file));
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{name}: {err}");
        assert!(
            err.contains(name) && err.contains("nothing imported"),
            "{err}"
        );
        assert!(!store.exists(), "{name}: the store was touched");
    }
    // A good file and a damaged one: nothing of either is written.
    let (Some(good), Some(bad)) = (corpus("example.warc.gz"), corpus("example-trunc.warc")) else {
        return;
    };
    let store = dir.path().join("s");
    let out = run(stet(&store).args(["import", "--warc"]).arg(&good).arg(&bad));
    assert_eq!(out.status.code(), Some(2));
    assert!(!store.exists());
}

#[test]
fn a_record_whose_digest_fails_is_refused_by_name_and_the_rest_imported() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _server) = sample_store(dir.path());
    let file = dir.path().join("a.warc.gz");
    export(&store, &file);
    // The same records, uncompressed, with one byte of the first page flipped.
    let mut plain = plain_warc(&file);
    let at = plain
        .windows(5)
        .position(|w| w == b"<html" || w == b"<!DOC")
        .unwrap();
    plain[at + 2] ^= 0x20;
    let damaged = dir.path().join("damaged.warc");
    std::fs::write(&damaged, &plain).unwrap();
    let fresh = dir.path().join("fresh");
    let out = run(stet(&fresh).args(["import", "--warc"]).arg(&damaged));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    let refused: Vec<&str> = said.lines().filter(|l| l.starts_with("refused")).collect();
    // The damaged response, and the revisit that refers to it.
    assert_eq!(refused.len(), 2, "{said}");
    let damaged_id = refused
        .iter()
        .find(|l| l.contains("its WARC-Block-Digest does not match its block"))
        .and_then(|l| l.split_whitespace().nth(3))
        .unwrap_or_else(|| panic!("{said}"));
    assert!(
        refused.iter().any(|l| l.contains(&format!(
            "a revisit of {damaged_id}, whose digest does not match"
        ))),
        "{said}"
    );
    // The other three snapshots are imported.
    let stored = said
        .lines()
        .filter(|l| l.starts_with("new") || l.starts_with("restored"))
        .count();
    assert_eq!(stored, 3, "{said}");
    let out = run(stet(&fresh).arg("verify"));
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn wacz_packages_validate_and_are_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _server) = sample_store(dir.path());
    let file = dir.path().join("a.wacz");
    let out = run(stet(&store)
        .args(["--format", "json", "export", "--wacz"])
        .arg(&file));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json(&out)["format"], "wacz");
    let again = dir.path().join("b.wacz");
    let out = run(stet(&store).args(["export", "--wacz"]).arg(&again));
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = std::fs::read(&file).unwrap();
    assert_eq!(bytes, std::fs::read(&again).unwrap());
    // Entries in order, all stored (method 0) so that replay can seek.
    let names: Vec<String> = {
        let mut names = Vec::new();
        let mut at = 0;
        while let Some(i) = bytes[at..].windows(4).position(|w| w == b"PK\x03\x04") {
            let h = at + i;
            let method = u16::from_le_bytes([bytes[h + 8], bytes[h + 9]]);
            assert_eq!(method, 0, "entry at {h} is compressed");
            let len = usize::from(u16::from_le_bytes([bytes[h + 26], bytes[h + 27]]));
            names.push(String::from_utf8_lossy(&bytes[h + 30..h + 30 + len]).into_owned());
            at = h + 30 + len;
        }
        names
    };
    assert_eq!(
        names,
        [
            "archive/data.warc.gz",
            "indexes/index.cdxj",
            "pages/pages.jsonl",
            "datapackage.json",
            "datapackage-digest.json"
        ]
    );
    let Some(wacz) = wacz_tool() else { return };
    let said = passes(Process::new(&wacz).args(["validate", "-f"]).arg(&file));
    assert!(said.contains("Validation succeeded"), "{said}");
}

#[test]
fn log_writes_a_memento_timemap() {
    let dir = tempfile::tempdir().unwrap();
    let (store, server) = sample_store(dir.path());
    let config = dir.path().join("stet.toml");
    std::fs::write(
        &config,
        "[archive]\nreplay_prefix = \"https://replay.example/web/\"\ntimegate = \"https://replay.example/web/\"\n",
    )
    .unwrap();
    let url = server.url("/a");
    let out = run(stet(&store)
        .arg("--config")
        .arg(&config)
        .args(["log", "--format", "timemap"])
        .arg(&url));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!(
            "<{url}>; rel=\"original\",\n\
             <https://replay.example/web/timemap/link/{url}>; rel=\"self\"; type=\"application/link-format\"; from=\"Fri, 02 Jan 2026 03:04:05 GMT\"; until=\"Sat, 03 Jan 2026 00:00:00 GMT\",\n\
             <https://replay.example/web/{url}>; rel=\"timegate\",\n\
             <https://replay.example/web/20260102030405/{url}>; rel=\"first memento\"; datetime=\"Fri, 02 Jan 2026 03:04:05 GMT\",\n\
             <https://replay.example/web/20260103000000/{url}>; rel=\"last memento\"; datetime=\"Sat, 03 Jan 2026 00:00:00 GMT\"\n"
        )
    );
}

/// One uncompressed WARC/1.1 record: its type, id `<urn:test:NAME>`,
/// `fields`, the `Content-Length` of `block`, and `block`.
pub(crate) fn warc_record(
    kind: &str,
    name: &str,
    fields: &[(&str, &str)],
    block: &[u8],
) -> Vec<u8> {
    let mut head =
        format!("WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:test:{name}>\r\n");
    for (field, value) in fields {
        head.push_str(&format!("{field}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", block.len()));
    let mut out = head.into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

/// An article page whose text is `text`.
fn article(text: &str) -> String {
    format!(
        "<!doctype html><html><head><title>Council vote</title></head><body><article>\
         <h1>Council vote</h1><p>{text}</p><p>Opponents said the plan would cost at least \
         40 million dollars over five years.</p></article></body></html>"
    )
}

/// An HTTP 200 response of the HTML `body`, its head saying
/// `Content-Length: declared`.
fn http_page(body: &str, declared: usize) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\
         Content-Length: {declared}\r\n\r\n{body}"
    )
    .into_bytes()
}

/// A `response` record `name` of `uri` at `date`: `body` served whole.
fn page_record(name: &str, uri: &str, date: &str, body: &str) -> Vec<u8> {
    let fields = [
        ("WARC-Target-URI", uri),
        ("WARC-Date", date),
        ("Content-Type", "application/http; msgtype=response"),
    ];
    warc_record("response", name, &fields, &http_page(body, body.len()))
}

/// `import --format json` of `files` into `store`: uri → (outcome, detail)
/// of each record, in report order.
fn import_outcomes(store: &Path, files: &[&Path]) -> Vec<(String, String, String)> {
    let out = run(stet(store)
        .args(["--format", "json", "import", "--warc"])
        .args(files));
    let report = json(&out);
    report["records"]
        .as_array()
        .unwrap_or_else(|| panic!("{report}"))
        .iter()
        .map(|r| {
            (
                r["uri"].as_str().unwrap_or_default().to_string(),
                r["outcome"].as_str().unwrap_or_default().to_string(),
                r["detail"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn truncated_and_segmented_records_are_refused_not_imported() {
    let dir = tempfile::tempdir().unwrap();
    let whole = article("The council voted 7 to 2 on Tuesday to approve the budget.");
    let cut = &whole[..whole.len() - 60];
    let response = [("Content-Type", "application/http; msgtype=response")];
    let with = |uri: &'static str, extra: &[(&'static str, &'static str)]| {
        let mut fields = vec![
            ("WARC-Target-URI", uri),
            ("WARC-Date", "2024-01-01T00:00:00Z"),
        ];
        fields.extend_from_slice(&response);
        fields.extend_from_slice(extra);
        fields
    };
    let mut file = Vec::new();
    // Cut short by the crawler, and said so; its HTTP head is consistent.
    file.extend(warc_record(
        "response",
        "truncated",
        &with(
            "http://news.test/truncated",
            &[("WARC-Truncated", "length")],
        ),
        &http_page(cut, cut.len()),
    ));
    // The first segment of a record continued in the next one.
    file.extend(warc_record(
        "response",
        "segment",
        &with(
            "http://news.test/segmented",
            &[("WARC-Segment-Number", "1")],
        ),
        &http_page(cut, whole.len()),
    ));
    file.extend(warc_record(
        "continuation",
        "segment-2",
        &[
            ("WARC-Target-URI", "http://news.test/segmented"),
            ("WARC-Date", "2024-01-01T00:00:00Z"),
            ("WARC-Segment-Number", "2"),
            ("WARC-Segment-Origin-ID", "<urn:test:segment>"),
            ("WARC-Segment-Total-Length", "999"),
        ],
        &whole.as_bytes()[cut.len()..],
    ));
    // Cut short and not said so: the HTTP body is short of its length.
    file.extend(warc_record(
        "response",
        "short",
        &with("http://news.test/short", &[]),
        &http_page(cut, whole.len()),
    ));
    // A revisit, a month later, of the truncated record.
    file.extend(warc_record(
        "revisit",
        "revisit",
        &[
            ("WARC-Target-URI", "http://news.test/truncated"),
            ("WARC-Date", "2024-02-01T00:00:00Z"),
            ("Content-Type", "application/http; msgtype=response"),
            ("WARC-Refers-To", "<urn:test:truncated>"),
            (
                "WARC-Profile",
                "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest",
            ),
        ],
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",
    ));
    file.extend(page_record(
        "whole",
        "http://news.test/whole",
        "2024-01-01T00:00:00Z",
        &whole,
    ));
    // A truncated video is no page: skipped, as any video.
    file.extend(warc_record(
        "response",
        "video",
        &with("http://news.test/video", &[("WARC-Truncated", "length")]),
        b"HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nContent-Length: 9999\r\n\r\nftyp",
    ));
    let path = dir.path().join("cut.warc");
    std::fs::write(&path, &file).unwrap();
    let store = dir.path().join("s");
    let outcomes = import_outcomes(&store, &[&path]);
    let of = |uri: &str| -> Vec<(&str, &str)> {
        outcomes
            .iter()
            .filter(|(u, _, _)| u == uri)
            .map(|(_, o, d)| (o.as_str(), d.as_str()))
            .collect()
    };
    assert_eq!(
        of("http://news.test/truncated"),
        [
            (
                "refused",
                "truncated by the tool that wrote it (WARC-Truncated: length): not a whole capture"
            ),
            (
                "refused",
                "a revisit of <urn:test:truncated>: truncated by the tool that wrote it \
                 (WARC-Truncated: length): not a whole capture"
            ),
        ],
        "{outcomes:?}"
    );
    assert_eq!(
        of("http://news.test/segmented"),
        [(
            "refused",
            "one segment of a segmented record (WARC-Segment-Number: 1); stet does not join \
             segments: not a whole capture"
        )]
    );
    assert_eq!(
        of("http://news.test/short"),
        [(
            "refused",
            format!(
                "its HTTP body is {} bytes, shorter than its Content-Length ({}): not a whole \
                 capture",
                cut.len(),
                whole.len()
            )
            .as_str()
        )]
    );
    assert_eq!(of("http://news.test/whole"), [("new", "")]);
    assert_eq!(
        of("http://news.test/video"),
        [("skipped", "not an HTML page (video/mp4)")]
    );
    assert_eq!(outcomes.len(), 6, "{outcomes:?}");
    // Only the whole page is in the store.
    let log = run(stet(&store).args(["--format", "json", "log", "http://news.test/truncated"]));
    assert!(
        !log.status.success(),
        "{}",
        String::from_utf8_lossy(&log.stdout)
    );
    assert_eq!(store_files(&store, "manifests").len(), 1);
}

/// The `fetched_at` of the snapshot `spec` (`URL@latest`, an id) names.
fn fetched_at(store: &Path, spec: &str) -> Json {
    let show = run(stet(store).args(["--format", "json", "show", spec]));
    assert!(show.status.success(), "{}", stderr(&show));
    let shown = json(&show);
    shown.get("manifest").unwrap_or(&shown)["fetched_at"].clone()
}

#[test]
fn warc_dates_with_an_offset_are_imported_in_utc() {
    let dir = tempfile::tempdir().unwrap();
    let mut file = page_record(
        "offset",
        "http://news.test/offset",
        "2024-01-02T00:00:00+02:00",
        &article("The council voted 7 to 2 on Tuesday to approve the budget."),
    );
    file.extend(page_record(
        "utc",
        "http://news.test/utc",
        "2024-01-01T00:00:00.123450Z",
        &article("The council voted 6 to 3 on Tuesday to approve the budget."),
    ));
    let path = dir.path().join("dates.warc");
    std::fs::write(&path, &file).unwrap();
    let store = dir.path().join("s");
    let outcomes = import_outcomes(&store, &[&path]);
    assert!(outcomes.iter().all(|(_, o, _)| o == "new"), "{outcomes:?}");
    assert_eq!(
        fetched_at(&store, "http://news.test/offset"),
        "2024-01-01T22:00:00Z"
    );
    // A date in UTC is kept as written, to the byte.
    assert_eq!(
        fetched_at(&store, "http://news.test/utc"),
        "2024-01-01T00:00:00.123450Z"
    );
}

#[test]
fn an_archive_older_than_the_store_is_skipped_and_dates_order_as_instants() {
    let dir = tempfile::tempdir().unwrap();
    let url = "http://news.test/o";
    let v1 = article("The council voted 7 to 2 on Tuesday to approve the budget.");
    let v2 = article("The council voted 6 to 3 on Tuesday to approve the budget.");
    // 2024-01-31T23:00:00-02:00 is an hour after 2024-02-01T00:00:00Z,
    // though its text sorts before it.
    let mut newer = page_record("z", url, "2024-02-01T00:00:00Z", &v1);
    newer.extend(page_record("offset", url, "2024-01-31T23:00:00-02:00", &v2));
    let newer_file = dir.path().join("newer.warc");
    std::fs::write(&newer_file, &newer).unwrap();
    let store = dir.path().join("s");
    let outcomes = import_outcomes(&store, &[&newer_file]);
    assert_eq!(
        outcomes
            .iter()
            .map(|(_, o, _)| o.as_str())
            .collect::<Vec<_>>(),
        ["new", "new"]
    );
    assert_eq!(
        fetched_at(&store, &format!("{url}@latest")),
        "2024-02-01T01:00:00Z"
    );
    // An older archive would become the current version: skipped, saying so.
    let older_file = dir.path().join("older.warc");
    std::fs::write(
        &older_file,
        page_record("old", url, "2023-12-01T00:00:00Z", &v2),
    )
    .unwrap();
    let outcomes = import_outcomes(&store, &[&older_file]);
    assert_eq!(
        outcomes,
        [(
            url.to_string(),
            "skipped".to_string(),
            "older than the store's latest capture of this target (2024-02-01T01:00:00Z): it \
             would become the current version; import older archives first, or into a new store"
                .to_string()
        )]
    );
    assert_eq!(
        fetched_at(&store, &format!("{url}@latest")),
        "2024-02-01T01:00:00Z"
    );
    // Into a new store, the older archive first, then the newer: all new.
    let fresh = dir.path().join("fresh");
    let outcomes = import_outcomes(&fresh, &[&older_file, &newer_file]);
    assert!(outcomes.iter().all(|(_, o, _)| o == "new"), "{outcomes:?}");
    let out = run(stet(&fresh).arg("verify"));
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_history_out_of_date_order_round_trips_with_its_ids() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    // The second snapshot is dated before the first (a clock set back).
    for (now, file) in [
        ("2026-01-03T00:00:00Z", "article-v1.html"),
        ("2026-01-02T00:00:00Z", "article-v3-edited.html"),
    ] {
        let out = run(stet(&store)
            .env("STET_NOW", now)
            .args(["snapshot", "--as", "https://example.org/saved"])
            .arg(fixture(file)));
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let file = dir.path().join("a.warc.gz");
    export(&store, &file);
    let restored = dir.path().join("restored");
    let out = run(stet(&restored)
        .args(["--format", "json", "import", "--warc"])
        .arg(&file));
    assert!(out.status.success(), "{}", stderr(&out));
    let report = json(&out);
    let outcomes: Vec<&str> = report["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["restored"; 2], "{report}");
    assert_eq!(
        store_files(&restored, "manifests")
            .iter()
            .map(|p| p.file_name().unwrap().to_owned())
            .collect::<Vec<_>>(),
        store_files(&store, "manifests")
            .iter()
            .map(|p| p.file_name().unwrap().to_owned())
            .collect::<Vec<_>>()
    );
    let out = run(stet(&restored).arg("verify"));
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn foreign_records_of_local_files_are_skipped_and_stets_own_restored() {
    let dir = tempfile::tempdir().unwrap();
    let page = article("The council voted 7 to 2 on Tuesday to approve the budget.");
    let mut file = Vec::new();
    for (name, uri) in [
        ("relative", "../../etc/passwd"),
        ("file", "file:///etc/passwd"),
        ("web", "http://news.test/web"),
    ] {
        file.extend(page_record(name, uri, "2024-01-01T00:00:00Z", &page));
    }
    let path = dir.path().join("paths.warc");
    std::fs::write(&path, &file).unwrap();
    let store = dir.path().join("s");
    let mut outcomes = import_outcomes(&store, &[&path]);
    outcomes.sort();
    assert_eq!(
        outcomes,
        [
            (
                "../../etc/passwd".to_string(),
                "skipped".to_string(),
                "WARC-Target-URI `../../etc/passwd` is not an http(s) URL: not a web capture"
                    .to_string()
            ),
            (
                "file:///etc/passwd".to_string(),
                "skipped".to_string(),
                "WARC-Target-URI `file:///etc/passwd` is not an http(s) URL: not a web capture"
                    .to_string()
            ),
            (
                "http://news.test/web".to_string(),
                "new".to_string(),
                String::new()
            ),
        ]
    );
    assert_eq!(store_files(&store, "manifests").len(), 1);
    // stet's own snapshot of a local file comes back from its export.
    let own = dir.path().join("own");
    let out = run(stet(&own)
        .env("STET_NOW", "2026-01-02T00:00:00Z")
        .arg("snapshot")
        .arg(fixture("article-v1.html")));
    assert!(out.status.success(), "{}", stderr(&out));
    let exported = dir.path().join("own.warc.gz");
    export(&own, &exported);
    let outcomes = import_outcomes(&dir.path().join("back"), &[&exported]);
    assert_eq!(
        outcomes
            .iter()
            .map(|(_, o, _)| o.as_str())
            .collect::<Vec<_>>(),
        ["restored"],
        "{outcomes:?}"
    );
}

/// The uncompressed bytes of the gzip WARC `file`.
pub(crate) fn plain_warc(file: &Path) -> Vec<u8> {
    let mut plain = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::MultiGzDecoder::new(std::fs::read(file).unwrap().as_slice()),
        &mut plain,
    )
    .unwrap();
    plain
}

/// The records of an uncompressed WARC: each one's fields, in order.
fn warc_heads(plain: &[u8]) -> Vec<Vec<(String, String)>> {
    warc_records(plain)
        .into_iter()
        .map(|(head, _)| head)
        .collect()
}

/// A record of a WARC: its fields and its bytes.
type WarcRecord<'a> = (Vec<(String, String)>, &'a [u8]);

/// The records of an uncompressed WARC, in order.
fn warc_records(plain: &[u8]) -> Vec<WarcRecord<'_>> {
    let mut records = Vec::new();
    let mut at = 0;
    while at < plain.len() {
        let end = at
            + plain[at..]
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .unwrap_or_else(|| panic!("no record head at {at}"));
        let text = String::from_utf8_lossy(&plain[at..end]).into_owned();
        let fields: Vec<(String, String)> = text
            .lines()
            .skip(1)
            .filter_map(|l| l.split_once(": "))
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        let length: usize = fields
            .iter()
            .find(|(n, _)| n == "Content-Length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or_else(|| panic!("no Content-Length at {at}"));
        let next = end + 4 + length + 4;
        records.push((fields, &plain[at..next]));
        at = next;
    }
    records
}

fn field<'a>(head: &'a [(String, String)], name: &str) -> Option<&'a str> {
    head.iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

#[test]
fn metadata_records_have_a_uri_of_their_own_and_old_exports_still_import() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _server) = sample_store(dir.path());
    let file = dir.path().join("a.warc.gz");
    export(&store, &file);
    let plain = plain_warc(&file);
    let heads = warc_heads(&plain);
    let main_uri = |id: &str| {
        heads
            .iter()
            .find(|h| field(h, "WARC-Record-ID") == Some(id))
            .and_then(|h| field(h, "WARC-Target-URI"))
            .unwrap_or_else(|| panic!("no record {id}"))
            .to_string()
    };
    let mut old_form = plain.clone();
    let metadata: Vec<_> = heads
        .iter()
        .filter(|h| field(h, "WARC-Type") == Some("metadata"))
        .collect();
    assert_eq!(metadata.len(), 5);
    for head in metadata {
        let uri = field(head, "WARC-Target-URI").unwrap();
        let snapshot = uri
            .strip_prefix("urn:stet:snapshot:")
            .unwrap_or_else(|| panic!("metadata record of {uri}"));
        assert!(
            store_files(&store, "manifests").iter().any(|p| p
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(snapshot)),
            "{snapshot} is not a snapshot of the store"
        );
        let page = main_uri(field(head, "WARC-Concurrent-To").unwrap());
        assert_ne!(page, uri);
        // As stet wrote it before: the page's own URI.
        let was = format!("WARC-Target-URI: {uri}\r\n");
        let at = old_form
            .windows(was.len())
            .position(|w| w == was.as_bytes())
            .unwrap();
        old_form.splice(
            at..at + was.len(),
            format!("WARC-Target-URI: {page}\r\n").into_bytes(),
        );
    }
    let old_file = dir.path().join("old.warc");
    std::fs::write(&old_file, &old_form).unwrap();
    for (into, exported) in [("new-form", &file), ("old-form", &old_file)] {
        let outcomes = import_outcomes(&dir.path().join(into), &[exported]);
        assert_eq!(
            outcomes
                .iter()
                .map(|(_, o, _)| o.as_str())
                .collect::<Vec<_>>(),
            ["restored"; 5],
            "{}: {outcomes:?}",
            exported.display()
        );
    }
}

#[test]
fn a_reference_to_another_targets_snapshot_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let (a, b) = ("https://example.org/a", "https://example.org/b");
    for (target, file) in [(a, "article-v1.html"), (b, "article-v3-edited.html")] {
        let out = run(stet(&store)
            .env("STET_NOW", "2026-01-02T00:00:00Z")
            .args(["snapshot", "--as", target])
            .arg(fixture(file)));
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let dir_of = |target: &str| {
        let key = stet::store::layout::target_key(target);
        store.join("targets").join(key)
    };
    // a's reference (its first snapshot) pinned as b's.
    let a_first = std::fs::read_to_string(dir_of(a).join("history")).unwrap();
    let a_first = a_first.lines().next().unwrap();
    let reference = dir_of(b).join("reference");
    std::fs::write(&reference, format!("{a_first}\n")).unwrap();
    let out = run(stet(&store).args(["--offline", "audit", "--no-links", b]));
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        stderr(&out)
    );
    // The audit's report names the target's error in one line.
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    let lines: Vec<&str> = said
        .lines()
        .filter(|l| l.contains(&reference.display().to_string()))
        .collect();
    assert_eq!(lines.len(), 1, "{said}");
    assert_eq!(
        lines[0].trim(),
        format!(
            "{}: corrupt record: snapshot {a_first} is not in the history of {b}",
            reference.display()
        ),
        "{said}"
    );
    // `stet pin` repairs it: the target's own snapshot is its reference again.
    let out = run(stet(&store).args(["pin", b]));
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(stet(&store).args(["--offline", "audit", "--no-links", b]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// A store whose targets carry what a user set up: audits in the journal
/// (the baseline of `audit --new`), an acknowledgement and a pin.
fn store_with_state(dir: &Path) -> PathBuf {
    let store = dir.join("store");
    let step = |now: &str, args: &[&str], file: Option<&str>| {
        let mut cmd = stet(&store);
        cmd.env("STET_NOW", now).args(args);
        // A copy beside the store, named relatively (as stet keeps local
        // paths): the snapshots' ids do not depend on the checkout's path.
        if let Some(f) = file {
            std::fs::copy(fixture(f), dir.join(f)).unwrap();
            cmd.arg(f);
        }
        let out = run(&mut cmd);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{args:?}: {}",
            stderr(&out)
        );
    };
    let (a, b) = ("https://example.org/a", "https://example.org/b");
    for (now, target, file) in [
        ("2026-01-01T00:00:00Z", a, "article-v1.html"),
        ("2026-01-01T00:00:00Z", b, "article-v1.html"),
        ("2026-01-02T00:00:00Z", a, "article-v3-edited.html"),
        ("2026-01-02T00:00:00Z", b, "article-v3-edited.html"),
        ("2026-01-03T00:00:00Z", b, "article-v5-links-changed.html"),
    ] {
        step(now, &["snapshot", "--as", target], Some(file));
    }
    step(
        "2026-01-04T00:00:00Z",
        &["--offline", "audit", "--new", a, b],
        None,
    );
    step(
        "2026-01-05T00:00:00Z",
        &["ack", a, "--note", "checked"],
        None,
    );
    let pinned = format!("{b}@2");
    step(
        "2026-01-06T00:00:00Z",
        &["pin", b, &pinned, "--note", "accepted"],
        None,
    );
    step("2026-01-07T00:00:00Z", &["--offline", "audit", a, b], None);
    store
}

/// Stdout and exit code of `stet ARGS` on `store` at `now`.
fn said(store: &Path, now: &str, args: &[&str]) -> (String, Option<i32>) {
    let out = run(stet(store).env("STET_NOW", now).args(args));
    assert!(out.status.code() != Some(2), "{args:?}: {}", stderr(&out));
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code(),
    )
}

/// The WARC without stet's target records, as stet wrote it before they
/// existed (plain, not gzip).
fn without_target_records(file: &Path) -> Vec<u8> {
    let plain = plain_warc(file);
    let mut out = Vec::new();
    for (head, bytes) in warc_records(&plain) {
        if field(&head, "Content-Type") != Some("application/vnd.stet.target+json") {
            out.extend_from_slice(bytes);
        }
    }
    out
}

#[test]
fn pins_acks_and_the_journal_travel_with_the_warc() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_state(dir.path());
    let file = dir.path().join("moved.warc.gz");
    let summary = export(&store, &file);
    assert_eq!(
        (&summary["snapshots"], &summary["states"]),
        (&Json::from(5), &Json::from(2))
    );
    if let Some(warcio) = warcio() {
        warcio_check(&warcio, &file);
    }

    let moved = dir.path().join("moved");
    let out = run(stet(&moved).args(["import", "--warc"]).arg(&file));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout).replace(&file.display().to_string(), "FILE");
    insta::assert_snapshot!("import-with-state", text);
    let out = run(stet(&moved).arg("verify"));
    assert!(out.status.success(), "{}", stderr(&out));

    // The moved store audits as the original does, in full and as cron.
    let (a, b) = ("https://example.org/a", "https://example.org/b");
    let now = "2026-01-08T00:00:00Z";
    for args in [
        &["--offline", "audit", "--format", "json", a, b][..],
        &["--offline", "audit", "--new", a, b],
        &["--offline", "audit", "--new", "--format", "json", a, b],
        &["log", a],
        &["log", b],
    ] {
        assert_eq!(said(&moved, now, args), said(&store, now, args), "{args:?}");
    }
    for s in [&store, &moved] {
        assert_eq!(
            said(s, now, &["--offline", "audit", "--new", a, b]),
            (
                "stet audit --new (offline): 2 targets: nothing new\n".to_string(),
                Some(0)
            )
        );
    }
    // Their journals went on alike: the same export, byte for byte.
    let (one, two) = (
        dir.path().join("one/a.warc.gz"),
        dir.path().join("two/a.warc.gz"),
    );
    for f in [&one, &two] {
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
    }
    export(&store, &one);
    export(&moved, &two);
    assert!(
        std::fs::read(&one).unwrap() == std::fs::read(&two).unwrap(),
        "the moved store exports other bytes"
    );

    // Imported again: nothing changes.
    let outcomes = import_outcomes(&moved, &[&two]);
    assert!(
        outcomes.len() == 7 && outcomes.iter().all(|(_, o, _)| o == "present"),
        "{outcomes:?}"
    );

    // A WARC written before the journals travelled imports as it did.
    let old = dir.path().join("old.warc");
    std::fs::write(&old, without_target_records(&file)).unwrap();
    let outcomes = import_outcomes(&dir.path().join("old-store"), &[&old]);
    assert_eq!(
        outcomes
            .iter()
            .map(|(_, o, _)| o.as_str())
            .collect::<Vec<_>>(),
        ["restored"; 5],
        "{outcomes:?}"
    );
    let old_store = dir.path().join("old-store");
    let (report, code) = said(&old_store, now, &["--offline", "audit", "--new", a, b]);
    assert_eq!(code, Some(1), "no journal: every finding is new\n{report}");
}

#[test]
fn journals_that_went_apart_keep_their_own_and_gain_acks_and_later_pins() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_state(dir.path());
    let (a, b) = ("https://example.org/a", "https://example.org/b");
    let first = dir.path().join("first.warc.gz");
    export(&store, &first);
    let moved = dir.path().join("moved");
    let out = run(stet(&moved).args(["import", "--warc"]).arg(&first));
    assert!(out.status.success(), "{}", stderr(&out));
    // The first machine pins a and acknowledges b's findings; the second
    // pins b later.
    let step = |s: &Path, now: &str, args: &[&str]| {
        let out = run(stet(s).env("STET_NOW", now).args(args));
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    };
    let (a2, b3) = (format!("{a}@2"), format!("{b}@3"));
    step(&store, "2026-01-09T00:00:00Z", &["pin", a, &a2]);
    step(
        &store,
        "2026-01-09T00:00:00Z",
        &["ack", b, "--note", "seen"],
    );
    step(&moved, "2026-01-10T00:00:00Z", &["pin", b, &b3]);
    let second = dir.path().join("second.warc.gz");
    export(&store, &second);
    let out = run(stet(&moved).args(["import", "--warc"]).arg(&second));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout).replace(&second.display().to_string(), "FILE");
    insta::assert_snapshot!("import-merged-state", text);
    let reference = |s: &Path, target: &str| {
        let key = stet::store::layout::target_key(target);
        std::fs::read_to_string(s.join("targets").join(key).join("reference")).unwrap()
    };
    let history = |s: &Path, target: &str| {
        let key = stet::store::layout::target_key(target);
        std::fs::read_to_string(s.join("targets").join(key).join("history")).unwrap()
    };
    // a: the first machine's pin, taken whole; b: the second's own, later pin.
    assert_eq!(reference(&moved, a), reference(&store, a));
    assert_eq!(
        reference(&moved, b).trim(),
        history(&moved, b).lines().nth(2).unwrap()
    );
    // b's acknowledgements from the first machine count on the second.
    let acked = |s: &Path| {
        let out = run(stet(s).env("STET_NOW", "2026-01-11T00:00:00Z").args([
            "--offline",
            "--format",
            "json",
            "audit",
            b,
        ]));
        json(&out)
    };
    let report = acked(&moved);
    let findings = report["targets"][0]["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    assert!(
        findings.iter().all(|f| f["acknowledged"] == true),
        "{report:#}"
    );
    let out = run(stet(&moved).arg("verify"));
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_damaged_or_foreign_journal_record_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_state(dir.path());
    let file = dir.path().join("moved.warc.gz");
    export(&store, &file);
    let moved = dir.path().join("moved");
    let out = run(stet(&moved).args(["import", "--warc"]).arg(&file));
    assert!(out.status.success(), "{}", stderr(&out));
    let journal_of = |target: &str| {
        let key = stet::store::layout::target_key(target);
        std::fs::read(moved.join("targets").join(key).join("journal")).unwrap()
    };
    let (a, b) = ("https://example.org/a", "https://example.org/b");
    let before = journal_of(a);
    let b_first = std::fs::read_to_string(
        moved
            .join("targets")
            .join(stet::store::layout::target_key(b))
            .join("history"),
    )
    .unwrap()[..64]
        .to_string();
    let state = |target: &str, reference: Option<&str>, journal: &str| {
        let mut v = serde_json::json!({"schema_version": 1, "target": target, "journal": journal});
        if let Some(r) = reference {
            v["reference"] = r.into();
        }
        v.to_string()
    };
    let records = [
        state("https://example.org/none", None, ""),
        state(a, None, "not a journal\n"),
        state(a, Some(&b_first), ""),
        "{\"target\":".to_string(),
    ];
    let mut warc = Vec::new();
    for (i, block) in records.iter().enumerate() {
        warc.extend(warc_record(
            "metadata",
            &format!("s{i}"),
            &[
                ("WARC-Date", "2026-01-09T00:00:00Z"),
                ("WARC-Target-URI", "urn:stet:target:x"),
                ("Content-Type", "application/vnd.stet.target+json"),
            ],
            block.as_bytes(),
        ));
    }
    let crafted = dir.path().join("crafted.warc");
    std::fs::write(&crafted, &warc).unwrap();
    let out = run(stet(&moved).args(["import", "--warc"]).arg(&crafted));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout)
        .replace(&crafted.display().to_string(), "FILE")
        .replace(&stet::digest::sha256_hex(&warc)[..12], "SHA256")
        .replace(&b_first, "B1");
    insta::assert_snapshot!("import-refused-state", said);
    assert_eq!(journal_of(a), before);
    assert!(!moved
        .join("targets")
        .join(stet::store::layout::target_key("https://example.org/none"))
        .exists());
}

/// The ids of `target`'s history in `store`, oldest first.
fn history_of(store: &Path, target: &str) -> Vec<String> {
    let key = stet::store::layout::target_key(target);
    std::fs::read_to_string(store.join("targets").join(key).join("history"))
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

/// The manifest of snapshot `id` in `store`.
fn manifest_of(store: &Path, id: &str) -> Json {
    let path = store
        .join("manifests")
        .join(&id[..2])
        .join(format!("{id}.json"));
    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap()
}

#[test]
fn an_export_into_a_store_that_has_its_target_keeps_the_target_and_refuses_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start();
    // The target answers with a redirect to the page.
    server.route("/news/a", Reply::redirect(301, "/news/a/"));
    server.route(
        "/news/a/",
        Reply::sequence(vec![
            Reply::file(fixture("article-v1.html")),
            Reply::file(fixture("article-v3-edited.html")),
        ]),
    );
    let target = server.url("/news/a");
    let first = dir.path().join("first");
    for (now, args) in [
        ("2026-01-02T00:00:00Z", &["snapshot", target.as_str()][..]),
        ("2026-01-03T00:00:00Z", &["snapshot", target.as_str()]),
        (
            "2026-01-04T00:00:00Z",
            &["--offline", "audit", target.as_str()],
        ),
    ] {
        let out = run(stet(&first).env("STET_NOW", now).args(args));
        assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    }
    let file = dir.path().join("first.warc.gz");
    export(&first, &file);
    // Another store has an earlier capture of the same target.
    let other = dir.path().join("other");
    let out = run(stet(&other)
        .env("STET_NOW", "2026-01-01T00:00:00Z")
        .args(["snapshot", "--as", &target])
        .arg(fixture("article-v2-boilerplate.html")));
    assert!(out.status.success(), "{}", stderr(&out));

    let out = run(stet(&other).args(["import", "--warc"]).arg(&file));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let (was, now) = (history_of(&first, &target), history_of(&other, &target));
    assert_eq!(now.len(), 3, "{now:?}");
    let mut text = String::from_utf8_lossy(&out.stdout)
        .replace(&file.display().to_string(), "FILE")
        .replace(server.url("").trim_end_matches('/'), "http://SERVER");
    for (names, ids) in [(["F1", "F2"].as_slice(), &was), (&["O1", "O2", "O3"], &now)] {
        for (name, id) in names.iter().zip(ids.iter()) {
            text = text.replace(id.as_str(), name).replace(&id[..12], name);
        }
    }
    let text = regex::Regex::new(r"<urn:uuid:[0-9a-f-]+> at byte \d+|sha256 [0-9a-f]{12}")
        .unwrap()
        .replace_all(&text, "…");
    insta::assert_snapshot!("import-into-a-store-with-the-target", text);
    // Each capture is a version of the target, fetched as it was: through
    // the redirect.
    for (id, was) in now[1..].iter().zip(&was) {
        let (m, w) = (manifest_of(&other, id), manifest_of(&first, was));
        assert_eq!(m["target"], w["target"]);
        for fact in [
            "requested_url",
            "final_url",
            "redirects",
            "status",
            "headers",
        ] {
            assert_eq!(m[fact], w[fact], "{fact}");
        }
        assert_eq!(m["redirects"][0]["status"], 301);
    }
    // The journal named the other store's snapshots: refused, not damage.
    let out = run(stet(&other).arg("verify"));
    assert!(out.status.success(), "{}", stderr(&out));
    let journal = other
        .join("targets")
        .join(stet::store::layout::target_key(&target))
        .join("journal");
    assert!(!journal.exists());
}

/// The bytes of entry `name` of the zip file at `path`.
fn zip_entry(path: &Path, name: &str) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut entry = zip.by_name(name).unwrap();
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
    bytes
}

#[test]
fn wacz_index_keys_are_the_surt_keys_of_cdxj_indexer() {
    let dir = tempfile::tempdir().unwrap();
    // Pages at URLs that SURT canonicalises: an address, a trailing slash,
    // case, `www`, ports, `%2f`, arguments out of order, an IPv6 address,
    // escapes, `.` and `..`, a session id, a fragment.
    let uris = [
        "http://127.0.0.1:18937/news/a/",
        "https://WWW.Example.COM/Path/Story?b=2&a=1",
        "http://example.com:8080/a%2fb/?utm_source=x&id=5",
        "https://[2001:db8::1]/v6page",
        "https://example.com/search?q=caf%C3%A9&lang=fr",
        "https://example.com/x?B=1",
        "https://sub.domain.example.net/",
        "https://www2.example.org:443/a/./b/../c//d?jsessionid=0123456789abcdef0123456789ABCDEF&z=1",
        "http://example.com:80/p#frag",
        "http://example.com/a?b&a=&c=3&a=1",
        "http://example.com/%7Euser/a%20b",
    ];
    let mut warc = Vec::new();
    for (i, uri) in uris.iter().enumerate() {
        let date = format!("2024-01-{:02}T00:00:00Z", i + 1);
        let page = article(&format!("The council voted {i} to 2 on Tuesday."));
        warc.extend(page_record(&format!("p{i}"), uri, &date, &page));
    }
    let file = dir.path().join("pages.warc");
    std::fs::write(&file, &warc).unwrap();
    let store = dir.path().join("s");
    let outcomes = import_outcomes(&store, &[&file]);
    assert!(
        outcomes.len() == uris.len() && outcomes.iter().all(|(_, o, _)| o == "new"),
        "{outcomes:?}"
    );
    let wacz = dir.path().join("a.wacz");
    let out = run(stet(&store).args(["export", "--wacz"]).arg(&wacz));
    assert!(out.status.success(), "{}", stderr(&out));
    // Key and timestamp of each line.
    let keys = |index: &[u8]| -> Vec<String> {
        String::from_utf8_lossy(index)
            .lines()
            .filter(|l| !l.starts_with("urn:stet:"))
            .map(|l| l.splitn(3, ' ').take(2).collect::<Vec<_>>().join(" "))
            .collect()
    };
    let ours = keys(&zip_entry(&wacz, "indexes/index.cdxj"));
    insta::assert_snapshot!("wacz-index-keys", ours.join("\n"));
    let Some(indexer) = cdxj_indexer() else {
        return;
    };
    let data = dir.path().join("data.warc.gz");
    std::fs::write(&data, zip_entry(&wacz, "archive/data.warc.gz")).unwrap();
    let said = passes(Process::new(&indexer).arg(&data));
    let mut theirs = keys(said.as_bytes());
    theirs.sort();
    assert_eq!(ours, theirs);
}

#[test]
fn local_files_are_exported_with_the_type_stet_read_them_as() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("article-v1.html"), dir.path().join("page.html")).unwrap();
    std::fs::copy(
        fixture("charset/windows-1252-undeclared.html"),
        dir.path().join("legacy.html"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("notes.txt"),
        "The council voted 7 to 2 on Tuesday.\n\nOpponents said the plan would cost more.\n",
    )
    .unwrap();
    let store = dir.path().join("s");
    // Named relatively: stet runs beside the store.
    let out = run(stet(&store).env("STET_NOW", "2026-01-02T00:00:00Z").args([
        "snapshot",
        "page.html",
        "legacy.html",
        "notes.txt",
    ]));
    assert!(out.status.success(), "{}", stderr(&out));
    let file = dir.path().join("local.warc.gz");
    export(&store, &file);
    let plain = plain_warc(&file);
    let resources: Vec<String> = warc_heads(&plain)
        .iter()
        .filter(|h| field(h, "WARC-Type") == Some("resource"))
        .map(|h| {
            format!(
                "{}  {}",
                field(h, "WARC-Target-URI").unwrap_or_default(),
                field(h, "Content-Type").unwrap_or_default()
            )
        })
        .collect();
    insta::assert_snapshot!("local-file-types", resources.join("\n"));
    if let Some(warcio) = warcio() {
        warcio_check(&warcio, &file);
    }
    // Imported back, they are the same snapshots.
    let outcomes = import_outcomes(&dir.path().join("back"), &[&file]);
    assert!(
        outcomes.iter().all(|(_, o, _)| o == "restored"),
        "{outcomes:?}"
    );
}

#[test]
fn record_ids_are_never_shared_by_different_records() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_state(dir.path());
    // The same store under two names, then again after an acknowledgement
    // changed a journal.
    let files = ["one", "two", "again/one"].map(|n| dir.path().join(format!("{n}.warc.gz")));
    export(&store, &files[0]);
    export(&store, &files[1]);
    let acked = said(
        &store,
        "2026-01-08T00:00:00Z",
        &["ack", "https://example.org/b", "--note", "seen"],
    );
    assert_eq!(acked.1, Some(0), "{}", acked.0);
    std::fs::create_dir_all(dir.path().join("again")).unwrap();
    export(&store, &files[2]);
    // Record id → the records written with it.
    let mut by_id: std::collections::BTreeMap<String, std::collections::BTreeSet<Vec<u8>>> =
        Default::default();
    let plains: Vec<Vec<u8>> = files.iter().map(|f| plain_warc(f)).collect();
    for plain in &plains {
        let records = warc_records(plain);
        let ids: std::collections::BTreeSet<&str> = records
            .iter()
            .map(|(h, _)| field(h, "WARC-Record-ID").unwrap())
            .collect();
        assert_eq!(ids.len(), records.len(), "an id twice in one file");
        for (head, bytes) in records {
            by_id
                .entry(field(&head, "WARC-Record-ID").unwrap().to_string())
                .or_default()
                .insert(bytes.to_vec());
        }
    }
    let shared: Vec<String> = by_id
        .iter()
        .filter(|(_, records)| records.len() > 1)
        .map(|(id, records)| {
            let heads: Vec<String> = records
                .iter()
                .map(|r| String::from_utf8_lossy(&r[..r.len().min(400)]).into_owned())
                .collect();
            format!("{id}:\n{}", heads.join("\n--\n"))
        })
        .collect();
    assert!(shared.is_empty(), "{}", shared.join("\n\n"));
    // Written again under the same name: the same records, the same ids.
    let same = dir.path().join("same/one.warc.gz");
    std::fs::create_dir_all(same.parent().unwrap()).unwrap();
    export(&store, &same);
    assert!(std::fs::read(&same).unwrap() == std::fs::read(&files[2]).unwrap());
}

#[test]
fn redirects_are_exported_as_synthesised_responses_that_replay_tools_index() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start();
    server.route("/news/a", Reply::redirect(301, "/news/a/"));
    server.route("/news/a/", Reply::file(fixture("article-v1.html")));
    let store = dir.path().join("store");
    let out = run(stet(&store)
        .env("STET_NOW", "2026-01-02T03:04:05Z")
        .arg("snapshot")
        .arg(server.url("/news/a")));
    assert!(out.status.success(), "{}", stderr(&out));
    let (target, page) = (server.url("/news/a"), server.url("/news/a/"));

    let wacz = |name: &str| {
        let file = dir.path().join(name).join("a.wacz");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        let out = run(stet(&store).args(["export", "--wacz"]).arg(&file));
        assert!(out.status.success(), "{}", stderr(&out));
        file
    };
    let file = wacz("one");
    assert_eq!(
        std::fs::read(&file).unwrap(),
        std::fs::read(wacz("two")).unwrap()
    );
    if let Some(tool) = wacz_tool() {
        passes(Process::new(tool).args(["validate", "-f"]).arg(&file));
    }
    let data = dir.path().join("data.warc.gz");
    std::fs::write(&data, zip_entry(&file, "archive/data.warc.gz")).unwrap();
    if let Some(warcio) = warcio() {
        warcio_check(&warcio, &data);
    }
    // The hop: a response of the target's URL, 301 to the page, said to be
    // synthesised; then the page's request and response.
    let plain = plain_warc(&data);
    let records = warc_heads(&plain);
    let pages: Vec<(&str, &str)> = records
        .iter()
        .filter(|h| field(h, "WARC-Type") != Some("metadata"))
        .map(|h| {
            (
                field(h, "WARC-Type").unwrap(),
                field(h, "WARC-Target-URI").unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        pages,
        [
            ("warcinfo", ""),
            ("response", target.as_str()),
            ("request", page.as_str()),
            ("response", page.as_str())
        ]
    );
    assert_eq!(
        field(&records[1], "WARC-Stet-Synthesised"),
        Some("redirect 1 of 1 from the snapshot's manifest (its status and Location only)")
    );
    let text = String::from_utf8_lossy(&plain);
    assert!(
        text.contains(&format!(
            "HTTP/1.1 301 Moved Permanently\r\nLocation: {page}\r\nContent-Length: 0\r\n\r\n"
        )),
        "{text}"
    );
    // Its index: the lines cdxj-indexer writes (the target's URL among
    // them); its page list: the page alone.
    let index = zip_entry(&file, "indexes/index.cdxj");
    let lines = |index: &str| -> Vec<(String, Json)> {
        index
            .lines()
            .filter(|l| !l.starts_with("urn:stet:"))
            .map(|l| {
                let (key, json) = l.split_at(l.find('{').unwrap());
                (key.to_string(), serde_json::from_str(json).unwrap())
            })
            .collect()
    };
    let ours = lines(&String::from_utf8_lossy(&index));
    assert_eq!(ours.len(), 2, "{ours:?}");
    assert_eq!(ours[0].1["url"], target.as_str());
    assert_eq!(ours[0].1["status"], "301");
    if let Some(indexer) = cdxj_indexer() {
        assert_eq!(ours, lines(&passes(Process::new(&indexer).arg(&data))));
    }
    let page_list = String::from_utf8_lossy(&zip_entry(&file, "pages/pages.jsonl")).into_owned();
    assert_eq!(page_list.lines().count(), 2, "{page_list}");
    assert!(page_list.contains(&format!("\"url\":\"{page}\"")));

    // Imported into an empty store: the snapshot restored as it was, the hop
    // passed over.
    let restored = dir.path().join("restored");
    let out = run(stet(&restored)
        .args(["--format", "json", "import", "--warc"])
        .arg(&data));
    assert!(out.status.success(), "{}", stderr(&out));
    let outcomes: Vec<String> = json(&out)["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["outcome"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(outcomes, ["restored"]);
    assert_eq!(
        store_files(&store, "manifests"),
        store_files(&restored, "manifests")
            .iter()
            .map(|p| store.join(p.strip_prefix(&restored).unwrap()))
            .collect::<Vec<_>>()
    );
    let out = run(stet(&restored).arg("verify"));
    assert!(out.status.success(), "{}", stderr(&out));
}
