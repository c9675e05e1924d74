//! Tests of the test server itself (`tests/it/common/server.rs`), with plain
//! `std::net::TcpStream` requests, so that the integration tests built on it
//! can trust what it sends.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::server::{closed_port_url, Reply, TestServer};

/// A response as read off the wire.
#[derive(Debug)]
struct Resp {
    status: u16,
    status_line: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A client connection that may carry several requests.
struct Client {
    reader: BufReader<TcpStream>,
}

impl Client {
    fn connect(server: &TestServer) -> Client {
        let stream = TcpStream::connect(server.addr()).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        Client {
            reader: BufReader::new(stream),
        }
    }

    /// Send `GET path` (or another method) with extra header lines.
    fn send(&mut self, method: &str, path: &str, extra: &[&str]) {
        let mut req = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for h in extra {
            req.push_str(h);
            req.push_str("\r\n");
        }
        req.push_str("\r\n");
        self.reader.get_mut().write_all(req.as_bytes()).unwrap();
    }

    /// Read one response; `head` is true for a HEAD request (no body).
    fn read(&mut self, head: bool) -> Resp {
        let mut status_line = String::new();
        self.reader.read_line(&mut status_line).unwrap();
        let status_line = status_line.trim_end().to_string();
        let status: u16 = status_line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let (n, v) = line.split_once(':').unwrap();
            headers.push((n.trim().to_string(), v.trim().to_string()));
        }
        let mut resp = Resp {
            status,
            status_line,
            headers,
            body: Vec::new(),
        };
        if head || status == 304 || status == 204 {
            return resp;
        }
        if resp.header("transfer-encoding") == Some("chunked") {
            loop {
                let mut size = String::new();
                self.reader.read_line(&mut size).unwrap();
                let n = usize::from_str_radix(size.trim(), 16).unwrap();
                let mut chunk = vec![0; n + 2];
                self.reader.read_exact(&mut chunk).unwrap();
                assert_eq!(&chunk[n..], b"\r\n");
                if n == 0 {
                    break;
                }
                resp.body.extend_from_slice(&chunk[..n]);
            }
        } else if let Some(len) = resp.header("content-length") {
            let mut body = vec![0; len.parse().unwrap()];
            self.reader.read_exact(&mut body).unwrap();
            resp.body = body;
        } else {
            self.reader.read_to_end(&mut resp.body).unwrap();
        }
        resp
    }

    /// Everything until the server closes the connection.
    fn read_to_close(&mut self) -> Vec<u8> {
        let mut all = Vec::new();
        self.reader.read_to_end(&mut all).unwrap();
        all
    }
}

/// One GET on a fresh connection.
fn get(server: &TestServer, path: &str, extra: &[&str]) -> Resp {
    let mut c = Client::connect(server);
    c.send("GET", path, extra);
    c.read(false)
}

#[test]
fn status_reason_and_unknown_path_404() {
    let server = TestServer::start();
    server.route("/teapot", Reply::status(418, "short and stout"));
    server.route("/", Reply::ok("<p>home</p>"));

    let r = get(&server, "/teapot", &[]);
    assert_eq!(r.status_line, "HTTP/1.1 418 I'm a teapot");
    assert_eq!(r.body, b"short and stout");

    let r = get(&server, "/", &[]);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(r.body, b"<p>home</p>");

    let r = get(&server, "/nowhere", &[]);
    assert_eq!(r.status_line, "HTTP/1.1 404 Not Found");
    assert!(String::from_utf8_lossy(&r.body).contains("Not Found"));

    assert!(server.url("x").ends_with("/x"));
    assert_eq!(server.url("/x"), format!("http://{}/x", server.addr()));
}

#[test]
fn redirect_sends_location() {
    let server = TestServer::start();
    for code in [301, 302, 303, 307, 308] {
        let path = format!("/r{code}");
        server.route(&path, Reply::redirect(code, "/target?x=1"));
        let r = get(&server, &path, &[]);
        assert_eq!(r.status, code);
        assert_eq!(r.header("location"), Some("/target?x=1"));
    }
}

#[test]
fn etag_and_last_modified_answer_304() {
    let server = TestServer::start();
    let lm = "Wed, 27 Apr 2011 10:00:00 GMT";
    server.route("/a", Reply::ok("body").etag("\"v1\"").last_modified(lm));

    let r = get(&server, "/a", &[]);
    assert_eq!((r.status, r.body.as_slice()), (200, &b"body"[..]));
    assert_eq!(r.header("etag"), Some("\"v1\""));
    assert_eq!(r.header("last-modified"), Some(lm));

    // Matching validators: 304 and no body, on a connection that stays usable.
    let mut c = Client::connect(&server);
    c.send("GET", "/a", &["If-None-Match: \"v0\", \"v1\""]);
    let r = c.read(false);
    assert_eq!(r.status, 304);
    assert_eq!(r.header("etag"), Some("\"v1\""));
    assert_eq!(r.header("content-length"), None);
    c.send("GET", "/a", &[&format!("If-Modified-Since: {lm}")]);
    assert_eq!(c.read(false).status, 304);
    c.send("GET", "/a", &["If-None-Match: \"v2\""]);
    let r = c.read(false);
    assert_eq!((r.status, r.body.as_slice()), (200, &b"body"[..]));
}

#[test]
fn gzip_body_decodes_to_original() {
    let server = TestServer::start();
    let original = std::fs::read(common::fixture("article-v1.html")).unwrap();
    server.route("/z", Reply::ok(original.clone()).gzip());
    let r = get(&server, "/z", &["Accept-Encoding: gzip"]);
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    assert!(r.body.len() < original.len());
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(r.body.as_slice())
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded, original);
}

#[test]
fn sequence_order_then_last_repeats_and_route_replacement_resets() {
    let server = TestServer::start();
    server.route(
        "/flaky",
        Reply::sequence(vec![Reply::status(503, "busy"), Reply::ok("fine")]).header("X-Seq", "1"),
    );
    let statuses: Vec<u16> = (0..3).map(|_| get(&server, "/flaky", &[]).status).collect();
    assert_eq!(statuses, [503, 200, 200]);
    assert_eq!(get(&server, "/flaky", &[]).header("x-seq"), Some("1"));

    server.route(
        "/flaky",
        Reply::sequence(vec![Reply::status(500, "x"), Reply::ok("y")]),
    );
    assert_eq!(get(&server, "/flaky", &[]).status, 500);
    assert_eq!(get(&server, "/flaky", &[]).body, b"y");
}

#[test]
fn hits_and_recorded_requests() {
    let server = TestServer::start();
    server.route("/a", Reply::ok("a"));
    server.route("/a?v=2", Reply::ok("a2"));
    assert_eq!(get(&server, "/a", &["X-Probe: One"]).body, b"a");
    assert_eq!(get(&server, "/a?v=1", &[]).body, b"a");
    assert_eq!(get(&server, "/a?v=2", &[]).body, b"a2");
    get(&server, "/missing", &[]);

    assert_eq!(server.hits("/a"), 3);
    assert_eq!(server.hits("/a?v=2"), 1);
    assert_eq!(server.hits("/missing"), 1);
    assert_eq!(server.hits("/b"), 0);

    let reqs = server.requests();
    assert_eq!(reqs.len(), 4);
    assert_eq!(reqs[0].method, "GET");
    assert_eq!(reqs[0].path, "/a");
    assert_eq!(reqs[0].header("X-PROBE"), Some("One"));
    assert!(reqs[0].headers.iter().any(|(n, _)| n == "x-probe"));
    assert_eq!(reqs[1].path, "/a?v=1");
}

#[test]
fn keep_alive_two_requests_on_one_connection_then_close() {
    let server = TestServer::start();
    server.route("/one", Reply::ok("first"));
    server.route("/two", Reply::ok("second").chunked());
    let mut c = Client::connect(&server);
    c.send("GET", "/one", &[]);
    let r = c.read(false);
    assert_eq!(r.body, b"first");
    assert_eq!(r.header("connection"), Some("keep-alive"));
    c.send("GET", "/two", &["Connection: close"]);
    let r = c.read(false);
    assert_eq!(r.body, b"second");
    assert_eq!(r.header("transfer-encoding"), Some("chunked"));
    assert_eq!(r.header("content-length"), None);
    assert_eq!(r.header("connection"), Some("close"));
    assert!(
        c.read_to_close().is_empty(),
        "server closes after Connection: close"
    );
}

#[test]
fn request_body_is_read_and_ignored() {
    let server = TestServer::start();
    server.route("/post", Reply::ok("got it"));
    let mut c = Client::connect(&server);
    c.reader
        .get_mut()
        .write_all(b"POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
        .unwrap();
    assert_eq!(c.read(false).body, b"got it");
    c.send("GET", "/post", &[]);
    assert_eq!(c.read(false).body, b"got it");
    assert_eq!(server.requests()[0].method, "POST");
}

#[test]
fn head_has_headers_but_no_body() {
    let server = TestServer::start();
    server.route("/h", Reply::ok("0123456789"));
    let mut c = Client::connect(&server);
    c.send("HEAD", "/h", &[]);
    let r = c.read(true);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-length"), Some("10"));
    // Were a body sent, it would show up in front of the next response.
    c.send("GET", "/h", &[]);
    let r = c.read(false);
    assert_eq!(r.status, 200);
    assert_eq!(r.body, b"0123456789");
}

#[test]
fn close_after_sends_fewer_bytes_than_advertised() {
    let server = TestServer::start();
    server.route("/cut", Reply::ok(vec![b'x'; 1000]).close_after(10));
    let mut c = Client::connect(&server);
    c.send("GET", "/cut", &[]);
    let all = c.read_to_close();
    let text = String::from_utf8_lossy(&all);
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    assert!(head.contains("Content-Length: 1000"), "{head}");
    assert_eq!(body, "x".repeat(10));
}

#[test]
fn wrong_length_lies_about_content_length() {
    let server = TestServer::start();
    server.route("/lie", Reply::ok("twelve bytes").wrong_length(50));
    let mut c = Client::connect(&server);
    c.send("GET", "/lie", &[]);
    let all = c.read_to_close();
    let text = String::from_utf8_lossy(&all);
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    assert!(head.contains("Content-Length: 50"), "{head}");
    assert_eq!(body, "twelve bytes");
}

#[test]
fn raw_bytes_are_sent_verbatim() {
    let server = TestServer::start();
    let raw = b"HTTP/1.1 2OO Okay-ish\r\nX: y\r\n\r\nnot http".to_vec();
    server.route("/raw", Reply::raw(raw.clone()));
    let mut c = Client::connect(&server);
    c.send("GET", "/raw", &[]);
    assert_eq!(c.read_to_close(), raw);
}

#[test]
fn file_serves_bytes_with_type_from_extension() {
    let server = TestServer::start();
    let path = common::fixture("charset/shift_jis.html");
    server.route("/sjis", Reply::file(&path));
    let r = get(&server, "/sjis", &[]);
    assert_eq!(r.header("content-type"), Some("text/html"));
    assert_eq!(r.body, std::fs::read(&path).unwrap());

    server.route(
        "/typed",
        Reply::file(&path).header("content-type", "text/html; charset=Shift_JIS"),
    );
    let r = get(&server, "/typed", &[]);
    assert_eq!(
        r.header("content-type"),
        Some("text/html; charset=Shift_JIS")
    );
    assert_eq!(
        r.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("content-type"))
            .count(),
        1
    );
}

#[test]
fn delay_and_trickle_take_time() {
    let server = TestServer::start();
    server.route("/slow", Reply::ok("late").delay(Duration::from_millis(150)));
    server.route(
        "/drip",
        Reply::ok("abcdef").trickle(2, Duration::from_millis(40)),
    );
    let t = Instant::now();
    assert_eq!(get(&server, "/slow", &[]).body, b"late");
    assert!(t.elapsed() >= Duration::from_millis(150));
    let t = Instant::now();
    assert_eq!(get(&server, "/drip", &[]).body, b"abcdef");
    assert!(t.elapsed() >= Duration::from_millis(80));
}

#[test]
fn endless_body_never_ends_and_drop_stops_it() {
    let server = TestServer::start();
    server.route("/forever", Reply::ok("").endless());
    let mut c = Client::connect(&server);
    c.send("GET", "/forever", &[]);
    let mut status = String::new();
    c.reader.read_line(&mut status).unwrap();
    assert!(status.starts_with("HTTP/1.1 200"));
    let mut buf = vec![0; 256 * 1024];
    c.reader.read_exact(&mut buf).unwrap();
    // The client stops reading but keeps the socket open: dropping the
    // server must still be quick.
    let t = Instant::now();
    drop(server);
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
}

#[test]
fn drop_is_quick_with_idle_keep_alive_connection() {
    let server = TestServer::start();
    server.route("/", Reply::ok("x"));
    let mut c = Client::connect(&server);
    c.send("GET", "/", &[]);
    assert_eq!(c.read(false).body, b"x");
    let t = Instant::now();
    drop(server);
    assert!(t.elapsed() < Duration::from_secs(1), "{:?}", t.elapsed());
    assert!(c.read_to_close().is_empty());
}

#[test]
fn malformed_request_gets_400() {
    let server = TestServer::start();
    let mut c = Client::connect(&server);
    c.reader.get_mut().write_all(b"NONSENSE\r\n\r\n").unwrap();
    assert_eq!(c.read(false).status, 400);
}

#[test]
fn closed_port_refuses_connections() {
    let url = closed_port_url();
    let addr = url
        .strip_prefix("http://")
        .unwrap()
        .trim_end_matches('/')
        .to_string();
    let err = TcpStream::connect(addr).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::ConnectionRefused);
}

/// The client stet really uses: reqwest reuses the keep-alive connection,
/// decodes gzip, and sees a truncated body as an error.
#[test]
fn reqwest_reuses_connections_and_sees_truncation() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let server = TestServer::start();
    let page = std::fs::read(common::fixture("article-v1.html")).unwrap();
    server.route("/a", Reply::ok(page.clone()).gzip());
    server.route("/cut", Reply::ok(page.clone()).close_after(100));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        for _ in 0..3 {
            let r = client.get(server.url("/a")).send().await.unwrap();
            assert_eq!(r.status(), 200);
            assert_eq!(r.bytes().await.unwrap(), page);
        }
        assert_eq!(server.connections(), 1, "keep-alive connection reused");
        let r = client.get(server.url("/cut")).send().await.unwrap();
        assert!(r.bytes().await.is_err(), "truncated body is an error");
    });
    assert_eq!(server.hits("/a"), 3);
    assert_eq!(
        server.requests()[0]
            .header("accept-encoding")
            .map(|v| v.contains("gzip")),
        Some(true)
    );
}
