//! The link checker against a real HTTP server on 127.0.0.1: the library
//! API on a known mix of outcomes, politeness, `--deny-private`, the
//! Wayback suggestion, and `stet links` end to end (JSON, text, exit codes,
//! the cache and `--confirm`).

use crate::common;

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use common::server::{closed_port_url, Reply, TestServer};
use common::{fixture, stet, Json};
use stet::links::{check_urls, LinkClass, LinkOptions, LinkResult, Reason};

/// Fast settings so that retries and timeouts stay well under a second each.
fn fast() -> LinkOptions {
    LinkOptions {
        host_interval: Duration::ZERO,
        timeout: Duration::from_millis(800),
        backoff: Duration::from_millis(20),
        ..LinkOptions::default()
    }
}

fn check(urls: &[String], options: &LinkOptions) -> Vec<LinkResult> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(check_urls(urls, options)).expect("client")
}

fn by_url<'a>(results: &'a [LinkResult], url: &str) -> &'a LinkResult {
    results
        .iter()
        .find(|r| r.url == url)
        .unwrap_or_else(|| panic!("no result for {url}: {results:#?}"))
}

#[test]
fn a_known_mix_of_outcomes_is_classified_exactly() {
    let s = TestServer::start();
    s.route("/ok", Reply::ok("fine"));
    s.route("/final", Reply::ok("landed"));
    s.route("/r301", Reply::redirect(301, "/final"));
    s.route("/r302", Reply::redirect(302, "/r307"));
    s.route("/r307", Reply::redirect(307, "/r308"));
    s.route("/r308", Reply::redirect(308, "/final"));
    s.route("/gone404", Reply::status(404, "no"));
    s.route("/gone410", Reply::status(410, "gone"));
    s.route("/boom", Reply::status(500, "boom"));
    s.route("/forbidden", Reply::status(403, "no"));
    s.route(
        "/flaky",
        Reply::sequence(vec![Reply::status(503, "busy"), Reply::ok("back")]),
    );
    s.route(
        "/limited",
        Reply::sequence(vec![
            Reply::status(429, "slow down").header("Retry-After", "1"),
            Reply::ok("welcome"),
        ]),
    );
    s.route("/hang", Reply::ok("late").delay(Duration::from_secs(3)));
    s.route("/loop-a", Reply::redirect(302, "/loop-b"));
    s.route("/loop-b", Reply::redirect(302, "/loop-a"));
    s.route("/2011/04/27/story/", Reply::redirect(302, "/"));
    s.route("/", Reply::ok("home"));
    s.route(
        "/head-refused",
        Reply::sequence(vec![Reply::status(405, ""), Reply::ok("get works")]),
    );
    s.route("/old-path", Reply::redirect(301, "/gone404"));
    let closed = closed_port_url();
    let mut urls: Vec<String> = [
        "/ok",
        "/r301",
        "/r302",
        "/gone404",
        "/gone410",
        "/boom",
        "/forbidden",
        "/flaky",
        "/limited",
        "/hang",
        "/loop-a",
        "/2011/04/27/story/",
        "/head-refused",
        "/old-path",
    ]
    .iter()
    .map(|p| s.url(p))
    .collect();
    urls.push(closed.clone());
    urls.push("mailto:desk@news.example".to_string());
    urls.push(s.url("/ok#section")); // the same URL once fragments are dropped

    let started = Instant::now();
    let results = check(&urls, &fast());
    assert!(started.elapsed() < Duration::from_secs(15));
    assert_eq!(results.len(), 16, "each distinct URL once");
    let mut sorted = results.clone();
    sorted.sort_by(|a, b| a.url.cmp(&b.url));
    assert_eq!(results, sorted, "sorted by URL");

    let expect = |path: &str, class: LinkClass, reason: Option<Reason>, status: Option<u16>| {
        let url = if path.contains(':') {
            path.to_string()
        } else {
            s.url(path)
        };
        let r = by_url(&results, &url);
        assert_eq!(
            (r.class, r.reason, r.status),
            (class, reason, status),
            "{r:#?}"
        );
        r.clone()
    };
    let ok = expect("/ok", LinkClass::Ok, None, Some(200));
    assert_eq!(ok.attempts, 1);
    let r = expect("/r302", LinkClass::Redirect, None, Some(200));
    let chain: Vec<u16> = r.redirects.iter().map(|h| h.status).collect();
    assert_eq!(chain, vec![302, 307, 308]);
    assert_eq!(r.final_url.as_deref(), Some(s.url("/final").as_str()));
    expect("/r301", LinkClass::Redirect, None, Some(200));
    expect(
        "/gone404",
        LinkClass::Dead,
        Some(Reason::Http4xx),
        Some(404),
    );
    expect(
        "/gone410",
        LinkClass::Dead,
        Some(Reason::Http4xx),
        Some(410),
    );
    let boom = expect("/boom", LinkClass::Error, Some(Reason::Http5xx), Some(500));
    assert_eq!(boom.attempts, 4, "HEAD, GET, then two retries");
    expect(
        "/forbidden",
        LinkClass::Error,
        Some(Reason::Http4xx),
        Some(403),
    );
    expect("/flaky", LinkClass::Ok, None, Some(200));
    let limited = expect("/limited", LinkClass::Ok, None, Some(200));
    assert_eq!(limited.attempts, 2);
    assert!(limited.elapsed_ms >= 1000, "Retry-After: 1 honoured");
    expect("/hang", LinkClass::Timeout, Some(Reason::Timeout), None);
    expect(
        "/loop-a",
        LinkClass::Error,
        Some(Reason::TooManyRedirects),
        None,
    );
    let soft = expect(
        "/2011/04/27/story/",
        LinkClass::Dead,
        Some(Reason::Soft404),
        Some(200),
    );
    assert_eq!(soft.final_url.as_deref(), Some(s.url("/").as_str()));
    expect("/head-refused", LinkClass::Ok, None, Some(200));
    let moved = expect(
        "/old-path",
        LinkClass::Dead,
        Some(Reason::Http4xx),
        Some(404),
    );
    assert_eq!(
        moved.redirects.len(),
        1,
        "the chain survives the GET fallback"
    );
    expect(&closed, LinkClass::Error, Some(Reason::Refused), None);
    expect(
        "mailto:desk@news.example",
        LinkClass::Skipped,
        Some(Reason::UnsupportedScheme),
        None,
    );

    // HEAD first: a live page is never downloaded; the hang was retried.
    let requests = s.requests();
    let methods = |path: &str| -> Vec<String> {
        requests
            .iter()
            .filter(|r| r.path == path)
            .map(|r| r.method.clone())
            .collect()
    };
    assert_eq!(methods("/ok"), vec!["HEAD"]);
    assert_eq!(methods("/head-refused"), vec!["HEAD", "GET"]);
    assert_eq!(
        methods("/limited"),
        vec!["HEAD", "HEAD"],
        "no GET while rate-limited"
    );
    assert_eq!(s.hits("/hang"), 3, "a timeout is retried twice");
}

#[test]
fn politeness_spaces_requests_to_one_host_and_caps_retry_after() {
    let s = TestServer::start();
    s.route("/p", Reply::ok("x"));
    s.route(
        "/wait-long",
        Reply::status(429, "later").header("Retry-After", "3600"),
    );
    let urls: Vec<String> = (0..5).map(|i| s.url(&format!("/p?{i}"))).collect();
    let options = LinkOptions {
        host_interval: Duration::from_millis(150),
        host_concurrency: 1,
        ..fast()
    };
    let started = Instant::now();
    let results = check(&urls, &options);
    let took = started.elapsed();
    assert!(results.iter().all(|r| r.class == LinkClass::Ok));
    assert!(
        took >= Duration::from_millis(600),
        "5 checks 150 ms apart took {took:?}"
    );

    let results = check(&[s.url("/wait-long")], &fast());
    let r = &results[0];
    assert_eq!(
        (r.class, r.reason),
        (LinkClass::Error, Some(Reason::RateLimited))
    );
    assert_eq!(
        r.attempts, 1,
        "a Retry-After beyond the cap is not waited for"
    );
    assert!(r.detail.as_deref().unwrap_or("").contains("3600"));
}

#[test]
fn deny_private_refuses_loopback_literals_and_names() {
    let s = TestServer::start();
    s.route("/p", Reply::ok("x"));
    let by_name = s.url("/p").replace("127.0.0.1", "localhost");
    let options = LinkOptions {
        deny_private: true,
        ..fast()
    };
    let results = check(&[s.url("/p"), by_name], &options);
    for r in &results {
        assert_eq!(
            (r.class, r.reason),
            (LinkClass::Skipped, Some(Reason::PrivateAddress)),
            "{r:#?}"
        );
    }
    assert_eq!(s.hits("/p"), 0);
}

#[test]
fn dead_links_get_the_closest_archived_capture() {
    let s = TestServer::start();
    s.route("/gone", Reply::status(404, "no"));
    s.route(
        "/wayback/available",
        Reply::ok(
            r#"{"archived_snapshots":{"closest":{"available":true,"status":"200","timestamp":"20110427120000","url":"http://web.archive.org/web/20110427120000/http://example.org/gone"}}}"#,
        )
        .header("Content-Type", "application/json"),
    );
    let options = LinkOptions {
        archive_endpoint: Some(s.url("/wayback/available")),
        ..fast()
    };
    let results = check(&[s.url("/gone")], &options);
    let archive = results[0].archive.as_ref().expect("a capture");
    assert_eq!(archive.timestamp.as_deref(), Some("20110427120000"));
    assert!(archive.url.starts_with("http://web.archive.org/web/2011"));
    let asked: Vec<String> = s
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/wayback/available"))
        .map(|r| r.path)
        .collect();
    assert_eq!(asked.len(), 1);
    assert!(asked[0].contains("url=http%3A%2F%2F127.0.0.1"), "{asked:?}");
}

// ---- stet links, end to end -------------------------------------------------

fn run(store: &Path, args: &[&str], now: Option<&str>) -> Output {
    let mut cmd = stet(store);
    if let Some(now) = now {
        cmd.env("STET_NOW", now);
    }
    cmd.args(args).output().expect("run stet")
}

fn rows(o: &Output) -> Vec<Json> {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stdout)))
}

fn page(links: &[String]) -> String {
    let items: String = links
        .iter()
        .map(|l| format!("<li><a href=\"{l}\">link</a></li>"))
        .collect();
    format!("<!doctype html><html><head><title>Links</title></head><body><h1>Links</h1><ul>{items}</ul></body></html>")
}

const FAST: &[&str] = &["--host-interval", "0", "--backoff", "10", "--timeout", "2"];

#[test]
fn cli_prints_sorted_json_text_groups_and_exit_codes() {
    let s = TestServer::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("snapshots");
    s.route("/b-ok", Reply::ok("x"));
    s.route("/a-moved", Reply::redirect(301, "/b-ok"));
    s.route("/c-gone", Reply::status(404, "x"));
    s.route("/d-boom", Reply::status(502, "x"));
    s.route(
        "/article",
        Reply::ok(page(&[
            "/c-gone".to_string(),
            "/b-ok".to_string(),
            "/a-moved".to_string(),
            "/d-boom".to_string(),
            "mailto:x@example.org".to_string(),
            "#top".to_string(),
        ])),
    );
    s.route("/clean", Reply::ok(page(&["/b-ok".to_string()])));
    let article = s.url("/article");

    let mut args = vec!["links", article.as_str(), "--format", "json"];
    args.extend_from_slice(FAST);
    let out = run(&store, &args, None);
    assert_eq!(out.status.code(), Some(1), "a dead link fails the run");
    let rows = rows(&out);
    let urls: Vec<&str> = rows.iter().filter_map(|r| r["url"].as_str()).collect();
    let mut sorted = urls.clone();
    sorted.sort_unstable();
    assert_eq!(urls, sorted);
    assert_eq!(rows.len(), 5, "the in-page anchor is not an article link");
    let row = |suffix: &str| {
        rows.iter()
            .find(|r| r["url"].as_str().is_some_and(|u| u.ends_with(suffix)))
            .unwrap_or_else(|| panic!("{suffix}: {rows:#?}"))
    };
    assert_eq!(row("/c-gone")["class"], "dead");
    assert_eq!(row("/c-gone")["status"], 404);
    assert_eq!(row("/a-moved")["class"], "redirect");
    assert_eq!(row("/a-moved")["redirects"][0]["status"], 301);
    assert_eq!(row("/d-boom")["class"], "error");
    assert_eq!(row("/d-boom")["reason"], "http_5xx");
    assert_eq!(row("example.org")["class"], "skipped");
    for key in [
        "url",
        "final_url",
        "status",
        "class",
        "reason",
        "redirects",
        "attempts",
        "elapsed_ms",
    ] {
        assert!(row("/b-ok").get(key).is_some(), "{key}");
    }
    assert!(
        !store.exists(),
        "no cache asked for: the store is not created"
    );

    // Errors alone do not fail the run unless asked.
    let mut args = vec!["links", article.as_str(), "--exclude", "c-gone"];
    args.extend_from_slice(FAST);
    let out = run(&store, &args, None);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("error (1)\n  502  "), "{text}");
    assert!(text.contains("redirect (1)\n  301  "), "{text}");
    assert!(text.contains("skipped (2)"), "{text}");
    assert!(
        text.ends_with("5 links: 1 ok, 1 redirect, 1 error, 2 skipped\n"),
        "{text}"
    );
    args.extend_from_slice(&["--fail-on", "dead,error"]);
    assert_eq!(run(&store, &args, None).status.code(), Some(1));

    let clean = s.url("/clean");
    let out = run(&store, &["links", clean.as_str(), "--quiet"], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());

    // Operational errors: exit 2.
    let out = run(&store, &["links", "--offline", clean.as_str()], None);
    assert_eq!(out.status.code(), Some(2));
    let missing = s.url("/no-such-article");
    let out = run(&store, &["links", missing.as_str()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("404"));
    let out = run(&store, &["links", clean.as_str(), "--exclude", "("], None);
    assert_eq!(out.status.code(), Some(2));

    // [links] in stet.toml: the same settings as the flags.
    let toml = dir.path().join("stet.toml");
    std::fs::write(
        &toml,
        "[links]\nhost_interval = 0\nbackoff = 10\nexclude = [\"c-gone\"]\nfail_on = [\"error\"]\n",
    )
    .expect("write stet.toml");
    let config = toml.to_string_lossy().into_owned();
    let out = run(
        &store,
        &["links", article.as_str(), "--config", config.as_str()],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("c-gone  excluded"));
    std::fs::write(&toml, "[links]\nhost_intervall = 0\n").expect("write stet.toml");
    let out = run(
        &store,
        &["links", article.as_str(), "--config", config.as_str()],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `host_interval`"));
}

#[test]
fn cli_cache_replays_successes_and_confirm_waits_for_a_second_day() {
    let s = TestServer::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("snapshots");
    s.route("/alive", Reply::ok("x"));
    s.route("/gone", Reply::status(410, "x"));
    s.route(
        "/article",
        Reply::ok(page(&["/alive".to_string(), "/gone".to_string()])),
    );
    let article = s.url("/article");
    let mut args = vec![
        "links",
        article.as_str(),
        "--format",
        "json",
        "--confirm",
        "2",
    ];
    args.extend_from_slice(FAST);

    let day1 = run(&store, &args, Some("2026-03-01T10:00:00Z"));
    assert_eq!(
        day1.status.code(),
        Some(0),
        "one failing run is not confirmed"
    );
    let r = rows(&day1);
    assert_eq!(r[1]["class"], "dead");
    assert_eq!(r[1]["unconfirmed"], true);
    assert!(store.join("links").join("cache.json").is_file());
    let alive_hits = s.hits("/alive");

    let later = run(&store, &args, Some("2026-03-01T20:00:00Z"));
    assert_eq!(later.status.code(), Some(0), "same day: still unconfirmed");
    let r = rows(&later);
    assert_eq!(r[0]["cached"], true, "a recent success is replayed");
    assert_eq!(s.hits("/alive"), alive_hits);
    assert_eq!(s.hits("/gone"), 4, "a failure is never replayed");

    let day2 = run(&store, &args, Some("2026-03-02T10:30:00Z"));
    assert_eq!(
        day2.status.code(),
        Some(1),
        "failed on two runs a day apart"
    );
    assert!(rows(&day2)[1].get("unconfirmed").is_none());
    let out = run(&store, &["verify"], None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "the cache does not upset verify"
    );
}

#[test]
fn cli_checks_the_links_of_the_seed_article() {
    let s = TestServer::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = "/2011/04/27/us-china-human-rights-dialogue-soft-power-gone-hard/";
    s.route(path, Reply::file(fixture("article-v1.html")));
    s.route("/world/", Reply::ok("world"));
    s.route("/about/", Reply::redirect(301, "/"));
    s.route("/", Reply::ok("home"));
    let article = s.url(path);
    // Only links to the test server: the fixture's external links would need the internet.
    let mut args = vec![
        "links",
        article.as_str(),
        "--all-links",
        "--format",
        "json",
        "--include",
        "^http://127\\.0\\.0\\.1",
    ];
    args.extend_from_slice(FAST);
    let out = run(&dir.path().join("s"), &args, None);
    let rows = rows(&out);
    let class_of = |u: &str| {
        rows.iter()
            .find(|r| r["url"] == u)
            .map(|r| r["class"].as_str().unwrap_or("").to_string())
            .unwrap_or_else(|| panic!("{u} missing"))
    };
    assert_eq!(class_of(&s.url("/world/")), "ok");
    assert_eq!(class_of(&s.url("/")), "ok");
    assert_eq!(
        class_of(&s.url("/about/")),
        "dead",
        "a section page sent home is a soft 404"
    );
    assert_eq!(class_of(&s.url("/opinion/")), "dead");
    assert_eq!(class_of("https://www.state.gov/"), "skipped");
    assert_eq!(class_of("javascript:window.print()"), "skipped");
    let anchor = rows.iter().find(|r| {
        r["url"]
            .as_str()
            .is_some_and(|u| u.ends_with("#post-13622"))
    });
    assert_eq!(
        anchor.map(|r| r["reason"].clone()),
        Some(Json::from("fragment"))
    );
    assert_eq!(out.status.code(), Some(1));
}

/// The GET after a refused HEAD reads no further than the body cap (64 KiB
/// by default, README "Links"): an endless body and a 50 MB brotli bomb
/// are each a live link, answered long before the timeout.
#[test]
fn link_bodies_are_read_no_further_than_the_cap() {
    let s = TestServer::start();
    let refuse_head_then = |get: Reply| Reply::sequence(vec![Reply::status(405, ""), get]);
    s.route(
        "/endless",
        refuse_head_then(Reply::ok("<p>and on</p>").endless()),
    );
    s.route(
        "/bomb",
        refuse_head_then(Reply::ok(vec![0u8; 50 << 20]).brotli()),
    );
    let options = LinkOptions {
        timeout: Duration::from_secs(10),
        ..fast()
    };
    assert_eq!(options.body_cap, 64 * 1024);
    let urls = [s.url("/endless"), s.url("/bomb")];
    let started = Instant::now();
    let results = check(&urls, &options);
    let took = started.elapsed();
    assert!(took < Duration::from_secs(5), "{took:?}");
    for url in &urls {
        let r = by_url(&results, url);
        assert_eq!((r.class, r.status), (LinkClass::Ok, Some(200)), "{r:?}");
    }
    let methods = |path: &str| -> Vec<String> {
        s.requests()
            .into_iter()
            .filter(|q| q.path == path)
            .map(|q| q.method)
            .collect()
    };
    assert_eq!(methods("/endless"), vec!["HEAD", "GET"]);
    assert_eq!(methods("/bomb"), vec!["HEAD", "GET"]);
}

/// A page built like the seed, without an `article` element: a `Related:`
/// line of five links inside `div.article-body`, left out of the diffed
/// text, is the article's; the menu, the sidebar, the share box and the
/// footer are not. Each related link is checked and classified.
#[test]
fn cli_checks_the_related_line_inside_the_article_body() {
    let s = TestServer::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let refused = closed_port_url();
    let html = std::fs::read_to_string(fixture("article-related-links.html"))
        .expect("fixture")
        .replace("https://refused.example/", &refused);
    s.route("/2011/04/27/article/", Reply::ok(html));
    s.route(
        "/2011/04/25/ai-weiwei-detention-week-three/",
        Reply::ok("live"),
    );
    s.route(
        "/2011/04/20/jasmine-crackdown-lawyers/",
        Reply::status(404, "gone"),
    );
    s.route(
        "/2011/04/12/confucius-institutes-expand/",
        Reply::redirect(301, "/2011/04/12/confucius-institutes-expand-abroad/"),
    );
    s.route(
        "/2011/04/12/confucius-institutes-expand-abroad/",
        Reply::ok("moved"),
    );
    s.route(
        "/2011/01/18/china-image-ad-times-square/",
        Reply::status(410, "gone"),
    );
    s.route(
        "/chinarealtime/2011/04/27/u-s-china-human-rights-dialogue-soft-power-gone-hard/",
        Reply::ok("source"),
    );
    let article = s.url("/2011/04/27/article/");
    let mut args = vec!["links", article.as_str(), "--format", "json"];
    args.extend_from_slice(FAST);
    let out = run(&dir.path().join("s"), &args, None);
    let rows = rows(&out);
    let classes: Vec<(String, String)> = rows
        .iter()
        .map(|r| {
            let url = r["url"].as_str().unwrap_or("").replace(&s.url("/"), "/");
            let url = url.replace(&refused, "REFUSED/");
            (url, r["class"].as_str().unwrap_or("").to_string())
        })
        .collect();
    let mut expected: Vec<(String, String)> = [
        ("/2011/04/25/ai-weiwei-detention-week-three/", "ok"),
        ("/2011/04/20/jasmine-crackdown-lawyers/", "dead"),
        ("/2011/04/12/confucius-institutes-expand/", "redirect"),
        ("REFUSED/2011/03/30/tibet-monastery-sealed/", "error"),
        ("/2011/01/18/china-image-ad-times-square/", "dead"),
        (
            "/chinarealtime/2011/04/27/u-s-china-human-rights-dialogue-soft-power-gone-hard/",
            "ok",
        ),
    ]
    .iter()
    .map(|(u, c)| (u.to_string(), c.to_string()))
    .collect();
    let mut got = classes.clone();
    got.sort();
    expected.sort();
    assert_eq!(got, expected, "exactly the article's links: {rows:#?}");
    let refused_row = rows
        .iter()
        .find(|r| r["class"] == "error")
        .expect("refused row");
    assert_eq!(refused_row["reason"], "refused", "{refused_row:#?}");
    // Navigation, sidebar and footer were not asked for.
    for path in ["/world/", "/2011/04/26/most-read-one/", "/about/", "/"] {
        assert_eq!(s.hits(path), 0, "{path} is not the article's");
    }
    assert_eq!(out.status.code(), Some(1), "dead links fail by default");
}
