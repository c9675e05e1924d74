//! `stet snapshot` of N pages served by a local server, and `stet verify`
//! of the store it makes. Run: `cargo bench --bench snapshot` (N=1000;
//! `STET_BENCH_PAGES=10000` for more). Prints wall time, pages/s and the
//! peak RSS of the stet process (from `/usr/bin/time`, when present).
//! `STET_BENCH_ARGS` adds flags to `stet snapshot` (e.g. `-j 64`).

#[path = "../tests/it/common/server.rs"]
mod server;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use server::{Reply, TestServer};

fn main() {
    let pages: usize = std::env::var("STET_BENCH_PAGES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let article = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/article-v1.html"),
    )
    .expect("fixture");
    let server = TestServer::start();
    let mut urls = Vec::with_capacity(pages);
    for i in 0..pages {
        // Distinct pages: each carries its number in the article text.
        let body = article.replace("That was then.", &format!("That was then ({i})."));
        server.route(&format!("/a/{i}"), Reply::ok(body));
        urls.push(server.url(&format!("/a/{i}")));
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("store");
    let list = dir.path().join("urls.txt");
    std::fs::write(&list, urls.join("\n")).expect("url list");

    for (label, expect_new) in [
        ("first run (all new)", true),
        ("second run (all unchanged)", false),
    ] {
        let (secs, rss) = timed(&store, &urls);
        let outcome = if expect_new { "new" } else { "unchanged" };
        println!(
            "snapshot {pages} pages, {label}: {secs:.2} s, {:.0} pages/s, peak RSS {rss} ({outcome})",
            pages as f64 / secs
        );
    }

    let started = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_stet"))
        .arg("--store")
        .arg(&store)
        .args(["verify", "--quiet"])
        .status()
        .expect("run verify");
    assert!(status.success());
    println!(
        "verify of that store: {:.2} s",
        started.elapsed().as_secs_f64()
    );
}

fn timed(store: &Path, urls: &[String]) -> (f64, String) {
    let time = Path::new("/usr/bin/time");
    let mut cmd = if time.exists() {
        let mut c = Command::new(time);
        c.args(["-f", "%M"]).arg(env!("CARGO_BIN_EXE_stet"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_stet"))
    };
    let extra = std::env::var("STET_BENCH_ARGS").unwrap_or_default();
    cmd.arg("--store")
        .arg(store)
        .args(["--quiet", "snapshot"])
        .args(extra.split_whitespace())
        .args(urls);
    let started = Instant::now();
    let out = cmd.output().expect("run stet");
    let secs = started.elapsed().as_secs_f64();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rss = String::from_utf8_lossy(&out.stderr)
        .lines()
        .last()
        .and_then(|l| l.trim().parse::<u64>().ok())
        .map_or("n/a".to_string(), |kb| {
            format!("{:.1} MiB", kb as f64 / 1024.0)
        });
    (secs, rss)
}
