//! `stet snapshot` against a real HTTP server on 127.0.0.1: redirects,
//! conditional GETs, status codes, compression, limits, failures, and the
//! store on disk afterwards.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use common::server::{closed_port_url, Reply, TestServer};
use common::{fixture, read_object, stet, store_files, Json};

fn run(store: &Path, args: &[&str]) -> Output {
    stet(store).args(args).output().expect("run stet")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn snapshot_json(store: &Path, sources: &[&str]) -> (Output, Vec<Json>) {
    let mut args = vec!["snapshot", "--format", "json"];
    args.extend_from_slice(sources);
    let out = run(store, &args);
    let rows: Vec<Json> = serde_json::from_slice(&out.stdout).unwrap_or_default();
    (out, rows)
}

fn manifest_of(store: &Path, id: &str) -> Json {
    let path = store
        .join("manifests")
        .join(&id[..2])
        .join(format!("{id}.json"));
    serde_json::from_slice(&std::fs::read(path).expect("manifest file")).expect("manifest json")
}

#[test]
fn same_page_twice_is_one_snapshot_and_one_object() {
    let server = TestServer::start();
    server.route("/article", Reply::file(fixture("article-v1.html")));
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let url = server.url("/article");

    let (out, rows) = snapshot_json(&store, &[&url]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(rows[0]["outcome"], "new");
    assert_eq!(rows[0]["status"], 200);
    let id = rows[0]["id"].as_str().unwrap().to_string();

    let (out, rows) = snapshot_json(&store, &[&url]);
    assert!(out.status.success());
    assert_eq!(rows[0]["outcome"], "unchanged");
    assert_eq!(rows[0]["id"], id.as_str());

    let objects = store_files(&store, "objects");
    let manifests = store_files(&store, "manifests");
    assert_eq!(manifests.len(), 1, "{manifests:?}");
    // One raw body, one document and the two heads of the exchange.
    assert_eq!(objects.len(), 4, "{objects:?}");
    let body = std::fs::read(fixture("article-v1.html")).unwrap();
    let m = manifest_of(&store, &id);
    let head = |name: &str| {
        let sha = m["exchange"][name]["sha256"].as_str().unwrap().to_string();
        String::from_utf8(read_object(&store, &sha)).unwrap()
    };
    assert_eq!(
        head("response_head"),
        format!(
            "HTTP/1.1 200 OK\r\nserver: stet-test-server\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: keep-alive\r\n\r\n",
            body.len()
        )
    );
    let host = url.trim_start_matches("http://").split('/').next().unwrap();
    assert_eq!(
        head("request_head"),
        format!(
            "GET /article HTTP/1.1\r\nhost: {host}\r\nuser-agent: {}\r\naccept: */*\r\naccept-encoding: gzip, br\r\n\r\n",
            server.requests()[0].header("user-agent").unwrap()
        )
    );
    assert_eq!(m["exchange"]["http_version"], "HTTP/1.1");
    assert!(m["exchange"].get("encoded_body").is_none());
    assert_eq!(m["body"]["size"], body.len() as u64);
    let stored = read_object(&store, m["body"]["sha256"].as_str().unwrap());
    assert_eq!(stored, body);
    // The request named stet.
    let ua = server.requests()[0]
        .header("user-agent")
        .unwrap_or_default()
        .to_string();
    assert!(ua.starts_with("stet/"), "{ua}");
}

#[test]
fn manifest_records_the_fetch() {
    let server = TestServer::start();
    server.route(
        "/a",
        Reply::file(fixture("article-v1.html"))
            .etag("\"v1\"")
            .last_modified("Wed, 27 Apr 2011 10:00:00 GMT"),
    );
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let url = server.url("/a");
    let (out, rows) = snapshot_json(&store, &[&url]);
    assert!(out.status.success(), "{}", stderr(&out));
    let m = manifest_of(&store, rows[0]["id"].as_str().unwrap());
    assert_eq!(m["schema_version"], 1);
    assert_eq!(m["target"], url.as_str());
    assert_eq!(m["requested_url"], url.as_str());
    assert_eq!(m["final_url"], url.as_str());
    assert_eq!(m["status"], 200);
    assert_eq!(m["headers"]["etag"], "\"v1\"");
    assert_eq!(m["headers"]["server"], "stet-test-server");
    assert_eq!(
        m["headers"]["last-modified"],
        "Wed, 27 Apr 2011 10:00:00 GMT"
    );
    assert!(m["headers"]["content-type"]
        .as_str()
        .unwrap()
        .starts_with("text/html"));
    assert_eq!(m["tool"]["name"], "stet");
    assert!(m["parent"].is_null());
    let fetched_at = m["fetched_at"].as_str().unwrap();
    assert!(
        fetched_at.ends_with('Z') && fetched_at.len() == 20,
        "{fetched_at}"
    );
    // The id is the sha256 of the manifest's bytes, which are canonical JSON.
    let id = rows[0]["id"].as_str().unwrap();
    let bytes = std::fs::read(
        store
            .join("manifests")
            .join(&id[..2])
            .join(format!("{id}.json")),
    )
    .unwrap();
    assert_eq!(stet::digest::sha256_hex(&bytes), id);
    assert_eq!(stet::digest::canonical_json(&m).unwrap(), bytes);
}

#[test]
fn redirect_chain_is_recorded_hop_by_hop() {
    let server = TestServer::start();
    server.route("/r1", Reply::redirect(301, "/r2"));
    server.route("/r2", Reply::redirect(302, &server.url("/r3")));
    server.route("/r3", Reply::redirect(307, "r4"));
    server.route("/r4", Reply::redirect(308, "/final#frag"));
    server.route("/final", Reply::file(fixture("article-v1.html")));
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let (out, rows) = snapshot_json(&store, &[&server.url("/r1")]);
    assert!(out.status.success(), "{}", stderr(&out));
    let m = manifest_of(&store, rows[0]["id"].as_str().unwrap());
    let hops: Vec<(String, u64)> = m["redirects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["url"].as_str().unwrap().to_string(),
                h["status"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        hops,
        vec![
            (server.url("/r1"), 301),
            (server.url("/r2"), 302),
            (server.url("/r3"), 307),
            (server.url("/r4"), 308),
        ]
    );
    assert_eq!(m["final_url"], server.url("/final").as_str());
    assert_eq!(m["target"], server.url("/r1").as_str());
}

#[test]
fn redirect_loops_and_long_chains_are_errors_and_store_nothing() {
    let server = TestServer::start();
    server.route("/loop-a", Reply::redirect(302, "/loop-b"));
    server.route("/loop-b", Reply::redirect(302, "/loop-a"));
    for i in 0..12 {
        server.route(
            &format!("/hop{i}"),
            Reply::redirect(301, &format!("/hop{}", i + 1)),
        );
    }
    server.route("/hop12", Reply::ok("<p>end</p>"));
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let (out, rows) = snapshot_json(&store, &[&server.url("/loop-a"), &server.url("/hop0")]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(rows[0]["outcome"], "error");
    assert_eq!(rows[0]["reason"], "too_many_redirects");
    assert!(rows[0]["error"].as_str().unwrap().contains("redirect loop"));
    assert_eq!(rows[1]["outcome"], "error");
    assert!(rows[1]["error"]
        .as_str()
        .unwrap()
        .contains("more than 10 redirects"));
    assert!(store_files(&store, "manifests").is_empty());
    // With a higher limit the chain is followed.
    let out = run(
        &store,
        &["snapshot", "--max-redirects", "12", &server.url("/hop0")],
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn not_modified_is_unchanged_and_sends_validators() {
    let server = TestServer::start();
    server.route(
        "/a",
        Reply::file(fixture("article-v1.html")).etag("\"abc\""),
    );
    server.route(
        "/b",
        Reply::file(fixture("article-v1.html")).last_modified("Wed, 27 Apr 2011 10:00:00 GMT"),
    );
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let (a, b) = (server.url("/a"), server.url("/b"));
    let (out, rows) = snapshot_json(&store, &[&a, &b]);
    assert!(out.status.success(), "{}", stderr(&out));
    let first = [rows[0]["id"].clone(), rows[1]["id"].clone()];

    let (out, rows) = snapshot_json(&store, &[&a, &b]);
    assert!(out.status.success(), "{}", stderr(&out));
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row["outcome"], "unchanged");
        assert_eq!(row["status"], 304);
        assert_eq!(row["id"], first[i]);
    }
    let reqs = server.requests();
    let second_a = reqs.iter().filter(|r| r.path == "/a").nth(1).unwrap();
    assert_eq!(second_a.header("if-none-match"), Some("\"abc\""));
    let second_b = reqs.iter().filter(|r| r.path == "/b").nth(1).unwrap();
    assert_eq!(
        second_b.header("if-modified-since"),
        Some("Wed, 27 Apr 2011 10:00:00 GMT")
    );
    assert_eq!(store_files(&store, "manifests").len(), 2);
    // The check is recorded for the log.
    let log = run(&store, &["log", &a, "--format", "json"]);
    let log: Json = serde_json::from_slice(&log.stdout).unwrap();
    assert_eq!(log["last_check"]["outcome"], "not_modified");
    assert_eq!(log["last_check"]["status"], 304);
    // --no-conditional sends nothing and compares the body itself.
    let (_, rows) = snapshot_json(&store, &["--no-conditional", &a]);
    assert_eq!(rows[0]["outcome"], "unchanged");
    assert_eq!(rows[0]["status"], 200);
}

#[test]
fn a_change_in_the_second_of_the_last_fetch_is_seen() {
    // A page whose Last-Modified is the second of its response: a change
    // later in that second keeps the date, and a server compares dates.
    let server = TestServer::start();
    let (at, later) = (
        "Wed, 27 Apr 2011 10:00:00 GMT",
        "Wed, 27 Apr 2011 10:00:01 GMT",
    );
    let page = |file: &str, date: &str| {
        Reply::file(fixture(file))
            .last_modified(at)
            .header("Date", date)
    };
    server.route("/c", page("article-v1.html", at));
    server.route("/d", page("article-v1.html", later));
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let (c, d) = (server.url("/c"), server.url("/d"));
    let (out, rows) = snapshot_json(&store, &[&c, &d]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        (&rows[0]["outcome"], &rows[1]["outcome"]),
        (&"new".into(), &"new".into())
    );

    server.route("/c", page("article-v3-edited.html", at));
    let (out, rows) = snapshot_json(&store, &[&c, &d]);
    assert!(out.status.success(), "{}", stderr(&out));
    let seen: Vec<(&Json, &Json)> = rows.iter().map(|r| (&r["outcome"], &r["status"])).collect();
    assert_eq!(
        seen,
        [
            (&"new".into(), &200.into()),
            (&"unchanged".into(), &304.into())
        ]
    );
    let reqs = server.requests();
    let second = |path: &str| reqs.iter().filter(|r| r.path == path).nth(1).unwrap();
    assert_eq!(second("/c").header("if-modified-since"), None);
    // A date a second before its response is a validator as before.
    assert_eq!(second("/d").header("if-modified-since"), Some(at));
}

#[test]
fn dead_pages_are_snapshots_with_their_status() {
    let server = TestServer::start();
    server.route("/gone", Reply::status(410, "<h1>Gone</h1>"));
    server.route("/err", Reply::status(500, "<h1>Oops</h1>"));
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let (out, rows) = snapshot_json(
        &store,
        &[
            &server.url("/missing"),
            &server.url("/gone"),
            &server.url("/err"),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let statuses: Vec<_> = rows
        .iter()
        .map(|r| (r["outcome"].clone(), r["status"].clone()))
        .collect();
    assert_eq!(
        statuses,
        vec![
            ("new".into(), 404.into()),
            ("new".into(), 410.into()),
            ("new".into(), 500.into())
        ]
    );
}

#[test]
fn gzip_and_brotli_bodies_are_stored_decoded() {
    let server = TestServer::start();
    server.route("/z", Reply::file(fixture("article-v1.html")).gzip());
    server.route("/br", Reply::file(fixture("article-v1.html")).brotli());
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let (out, rows) = snapshot_json(&store, &[&server.url("/z"), &server.url("/br")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(rows.len(), 2);
    let original = std::fs::read(fixture("article-v1.html")).unwrap();
    let sent = [
        Reply::file(fixture("article-v1.html")).gzip().body_len(),
        Reply::file(fixture("article-v1.html")).brotli().body_len(),
    ];
    for (row, (coding, sent)) in rows.iter().zip(["gzip", "br"].into_iter().zip(sent)) {
        let m = manifest_of(&store, row["id"].as_str().unwrap());
        assert_eq!(
            m["body"]["sha256"],
            stet::digest::sha256_hex(&original).as_str()
        );
        // The body as sent is kept, and the head says how it was encoded.
        assert_eq!(m["exchange"]["encoded_body"]["size"], sent as u64);
        let sha = m["exchange"]["response_head"]["sha256"].as_str().unwrap();
        let head = String::from_utf8(read_object(&store, sha)).unwrap();
        assert!(
            head.contains(&format!(
                "\r\ncontent-encoding: {coding}\r\ncontent-length: {sent}\r\n"
            )),
            "{head}"
        );
    }
    let requests = server.requests();
    let page = requests.iter().find(|r| r.path != "/robots.txt").unwrap();
    let accept = page
        .header("accept-encoding")
        .unwrap_or_default()
        .to_string();
    assert!(accept.contains("gzip") && accept.contains("br"), "{accept}");
}

#[test]
fn body_cap_applies_to_decoded_bytes() {
    let server = TestServer::start();
    // 2 MB of one byte compresses to a few KB: the cap must see 2 MB.
    server.route("/bomb", Reply::ok(vec![b'a'; 2 << 20]).gzip());
    server.route("/big", Reply::ok(vec![b'b'; 300_000]));
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let (out, rows) = snapshot_json(
        &store,
        &[
            "--max-body",
            "100000",
            &server.url("/bomb"),
            &server.url("/big"),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    for row in &rows {
        assert_eq!(row["reason"], "body_too_large");
        assert!(row["error"]
            .as_str()
            .unwrap()
            .contains("limit of 100000 bytes"));
    }
    assert!(store_files(&store, "manifests").is_empty());
}

#[test]
fn a_brotli_bomb_stops_at_the_default_cap() {
    // 50 MB of zeros is 89 bytes of brotli; the default cap is 16 MiB decoded.
    let bomb = Reply::ok(vec![0u8; 50 << 20]).brotli();
    assert!(
        bomb.body_len() < 1_000,
        "{} bytes of brotli",
        bomb.body_len()
    );
    let server = TestServer::start();
    server.route("/br-bomb", bomb);
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let started = Instant::now();
    let (out, rows) = snapshot_json(&store, &[&server.url("/br-bomb")]);
    let took = started.elapsed();
    assert!(took < Duration::from_secs(20), "{took:?}");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["reason"], "body_too_large", "{}", rows[0]);
    let error = rows[0]["error"].as_str().unwrap();
    assert!(error.contains("limit of 16777216 bytes"), "{error}");
    assert!(store_files(&store, "manifests").is_empty());
    assert!(store_files(&store, "objects").is_empty());
}

#[test]
fn slow_bodies_time_out_within_the_limit() {
    let server = TestServer::start();
    server.route(
        "/slow",
        Reply::ok(vec![b'x'; 10_000]).trickle(10, Duration::from_millis(200)),
    );
    server.route(
        "/late",
        Reply::ok("<p>late</p>").delay(Duration::from_secs(5)),
    );
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let started = Instant::now();
    let (out, rows) = snapshot_json(
        &store,
        &["--timeout", "1", &server.url("/slow"), &server.url("/late")],
    );
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(out.status.code(), Some(2));
    for row in &rows {
        assert_eq!(row["reason"], "timeout", "{row}");
    }
    assert!(store_files(&store, "manifests").is_empty());
}

#[test]
fn broken_answers_are_errors_not_snapshots() {
    let server = TestServer::start();
    server.route(
        "/cut",
        Reply::file(fixture("article-v1.html")).close_after(100),
    );
    server.route("/garbage", Reply::raw(b"NOT HTTP AT ALL\r\n\r\n".to_vec()));
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let (out, rows) = snapshot_json(
        &store,
        &[
            &server.url("/cut"),
            &server.url("/garbage"),
            &closed_port_url(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r["outcome"] == "error"), "{rows:?}");
    assert_eq!(rows[2]["reason"], "refused");
    assert!(store_files(&store, "manifests").is_empty());
}

#[test]
fn one_failing_source_does_not_stop_the_others() {
    let server = TestServer::start();
    server.route("/ok", Reply::file(fixture("article-v1.html")));
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let out = run(
        &store,
        &[
            "snapshot",
            &closed_port_url(),
            &server.url("/ok"),
            "ftp://example.com/x",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out);
    assert!(
        text.lines()
            .any(|l| l.starts_with("new ") && l.ends_with("/ok")),
        "{text}"
    );
    assert!(text.lines().any(|l| l.starts_with("error ")), "{text}");
    let err = stderr(&out);
    assert!(err.contains("connection refused"), "{err}");
    assert!(err.contains("unsupported URL scheme `ftp:`"), "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn history_chains_versions_and_specs_resolve() {
    let server = TestServer::start();
    let url = server.url("/a");
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let mut ids = Vec::new();
    for v in [
        "article-v1.html",
        "article-v3-edited.html",
        "article-v4-no-caption.html",
    ] {
        server.route("/a", Reply::file(fixture(v)));
        let (out, rows) = snapshot_json(&store, &[&url]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(rows[0]["outcome"], "new");
        ids.push(rows[0]["id"].as_str().unwrap().to_string());
    }
    assert_eq!(manifest_of(&store, &ids[0])["parent"], Json::Null);
    assert_eq!(manifest_of(&store, &ids[1])["parent"], ids[0].as_str());
    assert_eq!(manifest_of(&store, &ids[2])["parent"], ids[1].as_str());

    let show_id = |spec: &str| -> String {
        let out = run(&store, &["show", spec, "--format", "json"]);
        assert!(out.status.success(), "{spec}: {}", stderr(&out));
        let v: Json = serde_json::from_slice(&out.stdout).unwrap();
        v["id"].as_str().unwrap().to_string()
    };
    assert_eq!(show_id(&format!("{url}@ref")), ids[0]);
    assert_eq!(show_id(&format!("{url}@latest")), ids[2]);
    assert_eq!(show_id(&format!("{url}@2")), ids[1]);
    assert_eq!(show_id(&format!("{url}@-1")), ids[2]);
    assert_eq!(show_id(&format!("{url}@-3")), ids[0]);
    assert_eq!(show_id(&ids[1][..8]), ids[1]);
    // Normalised target spelling finds the same history.
    let loud = url.replace("http://", "HTTP://") + "#section";
    assert_eq!(show_id(&format!("{loud}@1")), ids[0]);

    let out = run(&store, &["show", &format!("{url}@4")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("has 3 snapshots; there is no snapshot 4"),
        "{}",
        stderr(&out)
    );

    // log lists all three, oldest first, the first as reference.
    let out = run(&store, &["log", &url]);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().skip(1).collect();
    assert_eq!(lines.len(), 3, "{text}");
    for (line, id) in lines.iter().zip(&ids) {
        assert!(line.contains(&id[..12]), "{line}");
    }
    assert!(lines[0].ends_with("(reference)"));

    // pin moves the reference; a snapshot of another target is refused.
    let out = run(&store, &["pin", &url, &ids[1][..10]]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(show_id(&format!("{url}@ref")), ids[1]);
    let out = run(&store, &["pin", &url]);
    assert!(out.status.success());
    assert_eq!(show_id(&format!("{url}@ref")), ids[2]);
    server.route("/other", Reply::ok("<p>other</p>"));
    let (_, rows) = snapshot_json(&store, &[&server.url("/other")]);
    let other = rows[0]["id"].as_str().unwrap();
    let out = run(&store, &["pin", &url, other]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is of"), "{}", stderr(&out));

    let out = run(&store, &["verify"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
}

#[test]
fn imported_copies_become_versions_of_a_target() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let target = "https://www.rightsmonitor.example/2011/04/27/soft-power/";
    for v in ["article-v1.html", "article-v3-edited.html"] {
        let f = fixture(v);
        let out = run(&store, &["snapshot", "--as", target, f.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let out = run(&store, &["log", target, "--format", "json"]);
    let log: Json = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(log["entries"].as_array().unwrap().len(), 2);
    let out = run(&store, &["snapshot", "--as", target, "a", "b"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--as takes exactly one SOURCE"));
}

#[test]
fn hostile_urls_cannot_write_outside_the_store() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("inner").join("store");
    let paths = [
        "/%2e%2e/%2e%2e/%2e%2e/escape",
        "/..%2f..%2f..%2fescape",
        "/a/../../../../escape",
        &format!("/{}", "long-segment/".repeat(400)),
        "/%00%0d%0a%1b[31m",
        "/\u{202e}fdp.exe",
    ];
    for p in paths {
        server.route("/", Reply::ok("<p>x</p>"));
        let url = format!("{}{}", server.url(""), p.trim_start_matches('/'));
        let out = run(&store, &["snapshot", &url]);
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    }
    // Everything written is under the store, one level below targets/.
    let mut outside = Vec::new();
    for entry in walk(dir.path()) {
        if !entry.starts_with(&store) && entry != dir.path().join("inner") {
            outside.push(entry);
        }
    }
    assert!(outside.is_empty(), "{outside:?}");
    for t in std::fs::read_dir(store.join("targets")).unwrap() {
        let name = t.unwrap().file_name().into_string().unwrap();
        assert!(
            !name.starts_with('.') && name.len() <= 97 && name.is_ascii(),
            "{name}"
        );
    }
    let out = run(&store, &["verify"]);
    assert!(out.status.success(), "{}", stdout(&out));
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p.clone());
            }
            out.push(p);
        }
    }
    out
}

#[test]
fn version_spec_errors_are_clear() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let f = fixture("article-v1.html");
    assert!(run(&store, &["snapshot", f.to_str().unwrap()])
        .status
        .success());
    // Two manifests sharing a prefix (crafted: only the names matter here).
    let fake_a = format!("abcdef{}", "0".repeat(58));
    let fake_b = format!("abcdef{}", "1".repeat(58));
    let fan = store.join("manifests").join("ab");
    std::fs::create_dir_all(&fan).unwrap();
    std::fs::write(fan.join(format!("{fake_a}.json")), "{}").unwrap();
    std::fs::write(fan.join(format!("{fake_b}.json")), "{}").unwrap();
    let out = run(&store, &["show", "abcdef"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("`abcdef` is ambiguous: it matches abcdef000000, abcdef111111"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    let out = run(&store, &["show", "fedcba98"]);
    assert!(stderr(&out).contains("no snapshot matches `fedcba98`"));
    let out = run(&store, &["show", "not-a-spec"]);
    assert!(stderr(&out).contains("is not a stored snapshot"));
    let out = run(&store, &["log", "https://never.example/"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no snapshots of https://never.example/"));
    // The crafted files are damage to verify.
    let out = run(&store, &["verify"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn bad_inputs_get_one_error_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let file_store = dir.path().join("plain-file");
    std::fs::write(&file_store, "x").unwrap();
    let not_a_store = dir.path().join("full");
    std::fs::create_dir(&not_a_store).unwrap();
    std::fs::write(not_a_store.join("precious.txt"), "keep me").unwrap();
    let f = fixture("article-v1.html");
    let f = f.to_str().unwrap();
    let cases: Vec<(PathBuf, Vec<&str>, &str)> = vec![
        (
            store.clone(),
            vec!["snapshot", "http://exa mple.com/"],
            "malformed URL",
        ),
        (
            store.clone(),
            vec!["snapshot", "gopher://example.com/"],
            "unsupported URL scheme",
        ),
        (
            store.clone(),
            vec!["snapshot", "/no/such/file.html"],
            "no such file",
        ),
        (
            store.clone(),
            vec!["snapshot", dir.path().to_str().unwrap()],
            "is a directory",
        ),
        (
            file_store.clone(),
            vec!["snapshot", f],
            "is not a directory",
        ),
        (
            not_a_store.clone(),
            vec!["snapshot", f],
            "is not a stet store",
        ),
        (dir.path().join("none"), vec!["log", f], "no store at"),
        (dir.path().join("none"), vec!["verify"], "no store at"),
    ];
    for (s, args, expected) in cases {
        let out = run(&s, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    }
    assert_eq!(
        std::fs::read_to_string(not_a_store.join("precious.txt")).unwrap(),
        "keep me"
    );
    assert_eq!(std::fs::read_dir(&not_a_store).unwrap().count(), 1);
}

#[test]
fn odd_bodies_are_stored_as_they_came() {
    let server = TestServer::start();
    server.route("/empty", Reply::ok(Vec::new()));
    server.route(
        "/binary",
        Reply::ok((0u8..=255).cycle().take(5000).collect::<Vec<u8>>()),
    );
    server.route(
        "/latin1",
        Reply::ok(b"<p>caf\xe9 \xff\xfe invalid utf-8</p>".to_vec()),
    );
    server.route(
        "/json",
        Reply::ok("{\"a\":1}").header("Content-Type", "application/json"),
    );
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let urls: Vec<String> = ["/empty", "/binary", "/latin1", "/json"]
        .iter()
        .map(|p| server.url(p))
        .collect();
    let args: Vec<&str> = urls.iter().map(String::as_str).collect();
    let (out, rows) = snapshot_json(&store, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(rows.iter().all(|r| r["outcome"] == "new"), "{rows:?}");
    assert_eq!(rows[0]["size"], 0);
    assert_eq!(rows[1]["size"], 5000);
    let out = run(&store, &["verify"]);
    assert!(out.status.success(), "{}", stdout(&out));
}

#[test]
fn snapshot_text_output_names_each_source() {
    let server = TestServer::start();
    server.route("/a", Reply::file(fixture("article-v1.html")));
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let out = run(&store, &["snapshot", &server.url("/a")]);
    let text = stdout(&out);
    let line = text.lines().next().unwrap();
    let fields: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(fields[0], "new");
    assert_eq!(fields[1].len(), 12);
    assert_eq!(fields[2], "200");
    assert_eq!(fields.last().copied(), Some(server.url("/a").as_str()));
    assert!(!text.contains('\u{1b}'), "no colour when piped");
    let out = run(&store, &["--quiet", "snapshot", &server.url("/a")]);
    assert!(out.stdout.is_empty());
}

#[test]
fn hostile_servers_are_bounded_and_store_nothing_partial() {
    let server = TestServer::start();
    server.route("/endless", Reply::ok("<p>and on</p>").endless());
    server.route(
        "/long-claim",
        Reply::ok(vec![b'x'; 1000]).wrong_length(5000),
    );
    server.route(
        "/chunked",
        Reply::file(fixture("article-v1.html")).chunked(),
    );
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let started = Instant::now();
    let (out, rows) = snapshot_json(
        &store,
        &[
            "--max-body",
            "200000",
            "--timeout",
            "5",
            &server.url("/endless"),
            &server.url("/long-claim"),
            &server.url("/chunked"),
        ],
    );
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(rows[0]["reason"], "body_too_large", "{}", rows[0]);
    // A body shorter than its Content-Length is a broken answer, not a snapshot.
    assert_eq!(rows[1]["outcome"], "error", "{}", rows[1]);
    // Chunked transfer is fine.
    assert_eq!(rows[2]["outcome"], "new", "{}", rows[2]);
    assert_eq!(store_files(&store, "manifests").len(), 1);
}

#[test]
fn a_saved_copy_imported_from_two_directories_is_the_same_page() {
    // Relative links and images of a saved copy resolve against the page it
    // is a copy of (`--as URL`), not against the file's directory.
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let html = std::fs::read_to_string(fixture("article-v1.html"))
        .unwrap()
        .replace("\"/images/ai-weiwei", "\"images/ai-weiwei");
    let target = "https://www.rightsmonitor.example/2011/04/27/soft-power/";
    for (sub, extra) in [("monday", ""), ("tuesday", "<!-- saved again -->\n")] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
        let f = dir.path().join(sub).join("page.html");
        std::fs::write(&f, format!("{html}{extra}")).unwrap();
        let out = run(&store, &["snapshot", "--as", target, f.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let out = run(
        &store,
        &[
            "diff",
            "--format",
            "json",
            &format!("{target}@1"),
            &format!("{target}@2"),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let out = run(&store, &["--offline", "audit", "--format", "json", target]);
    let v: Json = serde_json::from_slice(&out.stdout).unwrap();
    let images: Vec<&Json> = v["targets"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f.get("url"))
        .collect();
    assert_eq!(
        images,
        [&Json::from(
            "https://www.rightsmonitor.example/2011/04/27/soft-power/images/ai-weiwei-banner.jpg"
        )]
    );
}

/// Every file of a store and its bytes, but the hints an unchanged run
/// writes (`last-check`, `journal-pending`) and the lock.
fn store_state(store: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut dirs = vec![store.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                dirs.push(path);
            } else if !["last-check", "journal-pending", "lock"].contains(&name.as_str()) {
                out.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

#[test]
fn validators_first_sent_on_an_unchanged_page_are_sent_back() {
    let server = TestServer::start();
    let v1 = fixture("article-v1.html");
    server.route("/a", Reply::file(&v1));
    server.route("/b", Reply::file(&v1));
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let (a, b) = (server.url("/a"), server.url("/b"));
    let snap = |now: &str| {
        let out = stet(&store)
            .env("STET_NOW", now)
            .args(["snapshot", "--format", "json", &a, &b])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let rows: Vec<Json> = serde_json::from_slice(&out.stdout).unwrap();
        rows.iter()
            .map(|r| format!("{} {}", r["outcome"], r["status"]))
            .collect::<Vec<_>>()
    };
    assert_eq!(snap("2026-01-01T00:00:00Z"), ["\"new\" 200"; 2]);
    // The same pages, now with validators.
    let modified = "Wed, 27 Apr 2011 10:00:00 GMT";
    server.route("/a", Reply::file(&v1).etag("\"e1\""));
    server.route("/b", Reply::file(&v1).last_modified(modified));
    assert_eq!(snap("2026-01-02T00:00:00Z"), ["\"unchanged\" 200"; 2]);
    let before = store_state(&store);
    for day in 3..=4 {
        let now = format!("2026-01-0{day}T00:00:00Z");
        assert_eq!(snap(&now), ["\"unchanged\" 304"; 2], "{now}");
    }
    let conditional = |path: &str, header: &str| {
        server
            .requests()
            .iter()
            .filter(|r| r.path == path && r.header(header).is_some())
            .count()
    };
    assert_eq!(
        (
            conditional("/a", "if-none-match"),
            conditional("/b", "if-modified-since")
        ),
        (2, 2),
        "the runs after the validators came were conditional"
    );
    // Runs that changed nothing wrote only their hint.
    assert_eq!(before, store_state(&store));
    let check = |target: &str| {
        let key = stet::store::layout::target_key(target);
        std::fs::read_to_string(store.join("targets").join(key).join("last-check")).unwrap()
    };
    let checks = format!("{}{}", check(&a), check(&b));
    let id = |t: &str| {
        let key = stet::store::layout::target_key(t);
        std::fs::read_to_string(store.join("targets").join(key).join("history"))
            .unwrap()
            .trim()
            .to_string()
    };
    assert_eq!(
        checks
            .replace(&id(&a), "A")
            .replace(&id(&b), "B"),
        "{\"checked_at\":\"2026-01-04T00:00:00Z\",\"etag\":\"\\\"e1\\\"\",\"outcome\":\"not_modified\",\"schema_version\":1,\"snapshot\":\"A\",\"status\":304}\n\
         {\"checked_at\":\"2026-01-04T00:00:00Z\",\"last_modified\":\"Wed, 27 Apr 2011 10:00:00 GMT\",\"outcome\":\"not_modified\",\"schema_version\":1,\"snapshot\":\"B\",\"status\":304}\n"
    );
}
