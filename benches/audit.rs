//! `stet audit` of N targets (a stet.toml) served by a local server at
//! 10-way concurrency, against a bare floor: the same pages fetched on 10
//! threads and hashed, nothing else. Run: `cargo bench --bench audit`
//! (`STET_BENCH_PAGES`, default 500; the workload is 500 and 1,000).

#[path = "../tests/it/common/server.rs"]
mod server;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use server::{Reply, TestServer};

fn main() {
    let pages: usize = std::env::var("STET_BENCH_PAGES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(500);
    let article = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/article-v1.html"),
    )
    .expect("fixture");
    let server = TestServer::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut toml = String::from("[defaults]\nstore = \"store\"\n\n");
    let mut paths = Vec::with_capacity(pages);
    for i in 0..pages {
        let body = article.replace("That was then.", &format!("That was then ({i})."));
        let path = format!("/a/{i}");
        server.route(&path, Reply::ok(body));
        toml.push_str(&format!(
            "[[target]]\nurl = \"{}\"\nlinks = false\n",
            server.url(&path)
        ));
        paths.push(path);
    }
    std::fs::write(dir.path().join("stet.toml"), toml).expect("stet.toml");

    let floor = bare_floor(&server, &paths);
    println!("bare floor: {pages} pages fetched on 10 threads + sha256: {floor:.2} s");
    for label in ["first run (all new)", "second run (all unchanged)"] {
        let started = Instant::now();
        // Peak RSS from /usr/bin/time when present.
        let time = Path::new("/usr/bin/time");
        let mut cmd = if time.exists() {
            let mut c = Command::new(time);
            c.args(["-f", "%M"]).arg(env!("CARGO_BIN_EXE_stet"));
            c
        } else {
            Command::new(env!("CARGO_BIN_EXE_stet"))
        };
        let out = cmd
            .current_dir(dir.path())
            .args(["--quiet", "audit", "-j", "10", "--fail-on", "none"])
            .output()
            .expect("run stet");
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
        println!(
            "stet audit, {pages} targets, {label}: {secs:.2} s ({:.0} pages/s), peak RSS {rss}",
            pages as f64 / secs
        );
    }
}

/// GET every page over keep-alive connections on 10 threads and sha256 it.
fn bare_floor(server: &TestServer, paths: &[String]) -> f64 {
    let next = AtomicUsize::new(0);
    let addr = server.addr();
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..10 {
            s.spawn(|| {
                let conn = TcpStream::connect(addr).expect("connect");
                conn.set_nodelay(true).expect("nodelay");
                let mut writer = conn.try_clone().expect("clone");
                let mut reader = BufReader::new(conn);
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = paths.get(i) else { break };
                    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n");
                    writer.write_all(request.as_bytes()).expect("write");
                    let body = read_response(&mut reader);
                    std::hint::black_box(stet::digest::sha256_hex(&body));
                }
            });
        }
    });
    started.elapsed().as_secs_f64()
}

fn read_response(conn: &mut BufReader<TcpStream>) -> Vec<u8> {
    let mut len = 0;
    loop {
        let mut line = String::new();
        if conn.read_line(&mut line).expect("read") == 0 || line == "\r\n" {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            len = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0u8; len];
    conn.read_exact(&mut body).expect("body");
    body
}
