//! A real HTTP/1.1 server on `127.0.0.1` for integration tests.
//!
//! Built on `std::net::TcpListener`: one thread accepts, one thread serves
//! each connection, no async runtime. Unlike hyper or axum it can answer
//! badly on purpose: truncated bodies, lying `Content-Length`, invalid status
//! lines, endless or trickling bodies, stalls before the status line.
//!
//! ```ignore
//! let server = TestServer::start();
//! server.route("/a", Reply::file(fixture("article-v1.html")).etag("\"v1\""));
//! server.route("/old", Reply::redirect(301, "/a"));
//! server.route("/flaky", Reply::sequence(vec![Reply::status(503, "busy"), Reply::ok("fine")]));
//! let url = server.url("/a");
//! // ... run `stet` against `url` ...
//! assert_eq!(server.hits("/a"), 1);
//! ```
//!
//! Everything is bounded: sockets time out, every sleep is cut into short
//! slices that watch a shutdown flag, and dropping the [`TestServer`] stops
//! the accept loop and joins every connection thread.
//!
//! Keep-alive is supported (a client such as reqwest reuses connections);
//! `Connection: close` from the client, HTTP/1.0 without keep-alive, and the
//! hostile replies ([`Reply::raw`], [`Reply::close_after`],
//! [`Reply::wrong_length`], [`Reply::endless`]) close the connection after
//! the response.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// Longest request line accepted (bytes); longer answers 414 and closes.
const MAX_REQUEST_LINE: usize = 8 * 1024;
/// Largest request head (request line + headers) accepted; larger answers 431.
const MAX_HEAD: usize = 64 * 1024;
/// Most header lines accepted in one request; more answers 431.
const MAX_HEADERS: usize = 100;
/// Largest request body read (and discarded); larger answers 413 and closes.
const MAX_REQUEST_BODY: usize = 16 * 1024 * 1024;
/// How long an idle keep-alive connection is kept open.
const IDLE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a started request may take to arrive completely.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a blocked write may stall before the connection is dropped.
const WRITE_STALL_TIMEOUT: Duration = Duration::from_secs(30);
/// Granularity of every wait: how quickly a connection notices shutdown.
const TICK: Duration = Duration::from_millis(50);
/// Body size of one chunk of an [`Reply::endless`] body (when not trickling).
const ENDLESS_CHUNK: usize = 16 * 1024;

/// One request as the server saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The method, as sent (`GET`, `HEAD`, ...).
    pub method: String,
    /// The request target: path with query, e.g. `/a?x=1` (an absolute-form
    /// target is reduced to its path and query).
    pub path: String,
    /// The request headers in order, names lower-cased, values trimmed.
    pub headers: Vec<(String, String)>,
}

impl Recorded {
    /// The first value of header `name` (case-insensitive), if sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What a route answers. Build one with [`Reply::ok`], [`Reply::status`],
/// [`Reply::redirect`], [`Reply::file`], [`Reply::raw`] or
/// [`Reply::sequence`], then refine it with the builder methods.
///
/// Builder methods called on a [`Reply::sequence`] apply to every reply in
/// it. On a [`Reply::raw`] reply only [`Reply::delay`] has an effect.
#[derive(Debug, Clone)]
pub struct Reply {
    kind: Kind,
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    etag: Option<String>,
    last_modified: Option<String>,
    /// `Content-Encoding` of `body` (already compressed): `gzip` or `br`.
    encoding: Option<&'static str>,
    delay: Duration,
    trickle: Option<(usize, Duration)>,
    close_after: Option<usize>,
    wrong_length: Option<usize>,
    chunked: bool,
    endless: bool,
    /// Answer this reply only to requests whose header (name) contains
    /// the text; the other reply to the rest.
    guard: Option<(String, String, Box<Reply>)>,
}

#[derive(Debug, Clone)]
enum Kind {
    Normal,
    Raw(Vec<u8>),
    Sequence(Vec<Reply>),
}

impl Reply {
    fn base(status: u16, content_type: Option<&str>, body: Vec<u8>) -> Reply {
        let mut headers = Vec::new();
        if let Some(ct) = content_type {
            headers.push(("Content-Type".to_string(), ct.to_string()));
        }
        Reply {
            kind: Kind::Normal,
            status,
            headers,
            body,
            etag: None,
            last_modified: None,
            encoding: None,
            delay: Duration::ZERO,
            trickle: None,
            close_after: None,
            wrong_length: None,
            chunked: false,
            endless: false,
            guard: None,
        }
    }

    /// This reply only to requests whose header `name` contains `text`
    /// (a cookie, a token); `otherwise` to the others (a 403).
    pub fn requires_header(mut self, name: &str, text: &str, otherwise: Reply) -> Reply {
        self.guard = Some((name.to_string(), text.to_string(), Box::new(otherwise)));
        self
    }

    /// The reply a request gets after the header guard, if any.
    fn guarded(self, req: &Request) -> Reply {
        match &self.guard {
            Some((name, text, otherwise))
                if !req.header(name).is_some_and(|v| v.contains(text.as_str())) =>
            {
                (**otherwise).clone()
            }
            _ => self,
        }
    }

    /// `200 OK` with `Content-Type: text/html; charset=utf-8` and `body`.
    pub fn ok(body: impl Into<Vec<u8>>) -> Reply {
        Reply::status(200, body)
    }

    /// Status `code` (with its standard reason phrase) and `body`, as
    /// `text/html; charset=utf-8`. For 1xx, 204 and 304 no body is sent.
    pub fn status(code: u16, body: impl Into<Vec<u8>>) -> Reply {
        Reply::base(code, Some("text/html; charset=utf-8"), body.into())
    }

    /// A redirect (`301`, `302`, `303`, `307` or `308`; any code is sent as
    /// given) to `location`, which is sent verbatim (relative or absolute),
    /// with a small HTML body.
    pub fn redirect(code: u16, location: &str) -> Reply {
        let body = format!(
            "<!DOCTYPE html><html><head><title>{code} {}</title></head>\
             <body><p>Moved to <a href=\"{location}\">{location}</a>.</p></body></html>\n",
            reason(code)
        );
        Reply::status(code, body).header("Location", location)
    }

    /// `200 OK` with the bytes of the file at `path` (read now; panics with
    /// the path if it cannot be read). The content type comes from the
    /// extension; HTML is sent as plain `text/html` with **no** charset
    /// parameter, so that fixtures in legacy encodings are not mislabelled.
    /// Add `.header("Content-Type", ...)` to declare a charset.
    pub fn file(path: impl AsRef<Path>) -> Reply {
        let path = path.as_ref();
        let body = std::fs::read(path)
            .unwrap_or_else(|e| panic!("Reply::file: cannot read {}: {e}", path.display()));
        Reply::base(200, Some(content_type_for(path)), body)
    }

    /// Write exactly `bytes` as the whole response (status line, headers and
    /// body: nothing is added), then close the connection. For invalid status
    /// lines, HTTP/0.9 answers, garbage and the like.
    pub fn raw(bytes: impl Into<Vec<u8>>) -> Reply {
        let mut r = Reply::base(200, None, Vec::new());
        r.kind = Kind::Raw(bytes.into());
        r
    }

    /// The n-th request to the route gets the n-th reply; once the list is
    /// used up the last one repeats (e.g. `503` then `200`). Counting starts
    /// again when the route is replaced with [`TestServer::route`].
    /// Panics on an empty list.
    pub fn sequence(replies: Vec<Reply>) -> Reply {
        assert!(
            !replies.is_empty(),
            "Reply::sequence needs at least one reply"
        );
        let mut r = Reply::base(200, None, Vec::new());
        r.kind = Kind::Sequence(replies);
        r
    }

    /// Apply a builder step to this reply, or to every reply of a sequence.
    fn apply(mut self, f: &dyn Fn(Reply) -> Reply) -> Reply {
        if let Kind::Sequence(items) = self.kind {
            self.kind = Kind::Sequence(items.into_iter().map(|r| r.apply(f)).collect());
            self
        } else {
            f(self)
        }
    }

    /// Set response header `name: value`, replacing any header of the same
    /// name (case-insensitive), including the default `Content-Type`.
    /// An empty `value` removes the header instead (e.g. no Content-Type).
    /// `Content-Length`, `Transfer-Encoding` and `Connection` are managed by
    /// the server; use [`Reply::wrong_length`], [`Reply::chunked`] or
    /// [`Reply::raw`] to lie about framing.
    pub fn header(self, name: &str, value: &str) -> Reply {
        let (name, value) = (name.to_string(), value.to_string());
        self.apply(&move |mut r| {
            r.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
            if !value.is_empty() {
                r.headers.push((name.clone(), value.clone()));
            }
            r
        })
    }

    /// Send `ETag: tag` (give the quotes: `"\"v1\""`); a request whose
    /// `If-None-Match` lists the same tag (or `*`) gets `304 Not Modified`
    /// with no body.
    pub fn etag(self, tag: &str) -> Reply {
        let tag = tag.to_string();
        self.apply(&move |mut r| {
            r.etag = Some(tag.clone());
            r
        })
    }

    /// Send `Last-Modified: date`; a request whose `If-Modified-Since` is
    /// exactly the same string gets `304 Not Modified` with no body.
    /// (`If-None-Match` takes precedence when both are sent, as in RFC 9110.)
    pub fn last_modified(self, date: &str) -> Reply {
        let date = date.to_string();
        self.apply(&move |mut r| {
            r.last_modified = Some(date.clone());
            r
        })
    }

    /// Compress the body with gzip (once, here) and send
    /// `Content-Encoding: gzip`, whatever the request's `Accept-Encoding` says.
    pub fn gzip(self) -> Reply {
        self.encoded("gzip", gzip)
    }

    /// Compress the body with brotli (once, here) and send
    /// `Content-Encoding: br`, whatever the request's `Accept-Encoding` says.
    pub fn brotli(self) -> Reply {
        self.encoded("br", brotli)
    }

    /// Length of the body as it goes on the wire (after [`Reply::gzip`] or
    /// [`Reply::brotli`]).
    pub fn body_len(&self) -> usize {
        self.body.len()
    }

    fn encoded(self, name: &'static str, compress: fn(&[u8]) -> Vec<u8>) -> Reply {
        self.apply(&|mut r| {
            r.body = compress(&r.body);
            r.encoding = Some(name);
            r
        })
    }

    /// Wait `d` after reading the request, before sending the status line.
    pub fn delay(self, d: Duration) -> Reply {
        self.apply(&move |mut r| {
            r.delay = d;
            r
        })
    }

    /// Send the body `chunk` bytes at a time (at least 1), sleeping `every`
    /// after each piece. With [`Reply::chunked`] or [`Reply::endless`], each
    /// piece is one HTTP chunk.
    pub fn trickle(self, chunk: usize, every: Duration) -> Reply {
        self.apply(&move |mut r| {
            r.trickle = Some((chunk.max(1), every));
            r
        })
    }

    /// Send the headers with the full `Content-Length`, then only the first
    /// `n` body bytes, then close the connection (a truncated download).
    pub fn close_after(self, n: usize) -> Reply {
        self.apply(&move |mut r| {
            r.close_after = Some(n);
            r
        })
    }

    /// Advertise `Content-Length: n` while sending the real body in full,
    /// then close the connection (its framing can't be trusted any more).
    pub fn wrong_length(self, n: usize) -> Reply {
        self.apply(&move |mut r| {
            r.wrong_length = Some(n);
            r
        })
    }

    /// Send the body with `Transfer-Encoding: chunked` and no
    /// `Content-Length`.
    pub fn chunked(self) -> Reply {
        self.apply(&|mut r| {
            r.chunked = true;
            r
        })
    }

    /// A chunked body that never ends: the body (or filler text when it is
    /// empty) is repeated until the client goes away or the server is
    /// dropped. Without [`Reply::trickle`], pieces of 16 KiB are sent as fast
    /// as the client reads them.
    pub fn endless(self) -> Reply {
        self.apply(&|mut r| {
            r.endless = true;
            r.chunked = true;
            r
        })
    }

    /// Pick the reply for the `n`-th (0-based) request to a route.
    fn pick(&self, n: usize) -> &Reply {
        match &self.kind {
            Kind::Sequence(items) => items[n.min(items.len() - 1)].pick(n),
            _ => self,
        }
    }
}

/// A route: its reply and how many requests it answered since it was set.
struct Route {
    reply: Reply,
    served: usize,
}

struct Shared {
    addr: SocketAddr,
    shutdown: AtomicBool,
    connections: AtomicUsize,
    /// Requests being answered now, and the most ever at once.
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
    routes: Mutex<HashMap<String, Route>>,
    requests: Mutex<Vec<Recorded>>,
    conns: Mutex<Vec<JoinHandle<()>>>,
}

impl Shared {
    fn stopping(&self) -> bool {
        self.shutdown.load(Ordering::SeqCst)
    }
}

/// Lock a mutex, ignoring poisoning (a panicking test thread must not hide
/// the recorded requests from the test's own assertions).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A running server on `127.0.0.1:<random port>`. Stops on drop: the accept
/// loop ends and every connection thread is joined (each notices the
/// shutdown within a few tens of milliseconds).
pub struct TestServer {
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
}

impl TestServer {
    /// Bind `127.0.0.1:0` and start serving. No routes are set: every path
    /// answers 404 until [`TestServer::route`] is called.
    pub fn start() -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local_addr");
        let shared = Arc::new(Shared {
            addr,
            shutdown: AtomicBool::new(false),
            connections: AtomicUsize::new(0),
            in_flight: AtomicUsize::new(0),
            most_in_flight: AtomicUsize::new(0),
            routes: Mutex::new(HashMap::new()),
            requests: Mutex::new(Vec::new()),
            conns: Mutex::new(Vec::new()),
        });
        let s = Arc::clone(&shared);
        let accept = thread::Builder::new()
            .name(format!("test-server-accept-{}", addr.port()))
            .spawn(move || accept_loop(listener, s))
            .expect("spawn accept thread");
        TestServer {
            shared,
            accept: Some(accept),
        }
    }

    /// `http://127.0.0.1:PORT/path` (a missing leading `/` is added).
    pub fn url(&self, path: &str) -> String {
        let sep = if path.starts_with('/') { "" } else { "/" };
        format!("http://{}{sep}{path}", self.shared.addr)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.shared.addr
    }

    /// Set or replace what `path` answers; takes effect for the next
    /// request, also on open connections. A `path` with a `?query` matches
    /// only that exact target; a `path` without one matches any query
    /// (an exact match wins).
    pub fn route(&self, path: &str, reply: Reply) {
        lock(&self.shared.routes).insert(path.to_string(), Route { reply, served: 0 });
    }

    /// How many requests were made to `path` so far (any method). A `path`
    /// without `?` counts requests to that path with any query; a `path`
    /// with `?` counts exact targets only. Unknown paths (404s) count too.
    pub fn hits(&self, path: &str) -> usize {
        lock(&self.shared.requests)
            .iter()
            .filter(|r| {
                if path.contains('?') {
                    r.path == path
                } else {
                    strip_query(&r.path) == path
                }
            })
            .count()
    }

    /// The most requests this server was answering at one moment.
    pub fn most_in_flight(&self) -> usize {
        self.shared.most_in_flight.load(Ordering::SeqCst)
    }

    /// How many TCP connections were accepted so far (to check that a
    /// client reuses keep-alive connections).
    pub fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.shared.requests).clone()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.shared.shutdown.store(true, Ordering::SeqCst);
        // Wake the accept loop, which blocks in accept().
        let _ = TcpStream::connect_timeout(&self.shared.addr, Duration::from_secs(1));
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
        let conns = std::mem::take(&mut *lock(&self.shared.conns));
        for h in conns {
            let _ = h.join();
        }
    }
}

/// `http://127.0.0.1:PORT/` for a port that was just bound and released:
/// connecting to it is refused (barring a race with another process that
/// binds the same port in between, which is unlikely).
pub fn closed_port_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local_addr");
    drop(listener);
    format!("http://{addr}/")
}

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        let accepted = listener.accept();
        if shared.stopping() {
            return;
        }
        match accepted {
            Ok((stream, _)) => {
                shared.connections.fetch_add(1, Ordering::SeqCst);
                let s = Arc::clone(&shared);
                let spawned = thread::Builder::new()
                    .name("test-server-conn".to_string())
                    .spawn(move || {
                        let _ = serve_connection(stream, &s);
                    });
                if let Ok(h) = spawned {
                    let mut conns = lock(&shared.conns);
                    conns.retain(|h| !h.is_finished());
                    conns.push(h);
                }
            }
            // E.g. too many open files: back off instead of spinning.
            Err(_) => thread::sleep(TICK),
        }
    }
}

/// Why a connection stops being served.
enum Stop {
    /// Client went away, idle timeout, shutdown or I/O error: just close.
    Close,
    /// The request was bad: answer with this status, then close.
    Bad(u16),
}

impl From<io::Error> for Stop {
    fn from(_: io::Error) -> Stop {
        Stop::Close
    }
}

/// Bytes read from the socket but not consumed yet (pipelined requests).
struct Conn<'a> {
    stream: TcpStream,
    buf: Vec<u8>,
    shared: &'a Shared,
}

impl Conn<'_> {
    /// Read more bytes into `buf`, waiting at most until `deadline`.
    fn fill(&mut self, deadline: Instant) -> Result<(), Stop> {
        let mut tmp = [0u8; 8192];
        loop {
            if self.shared.stopping() || Instant::now() >= deadline {
                return Err(Stop::Close);
            }
            match self.stream.read(&mut tmp) {
                Ok(0) => return Err(Stop::Close),
                Ok(n) => {
                    self.buf.extend_from_slice(&tmp[..n]);
                    return Ok(());
                }
                Err(e) if is_timeout(&e) || e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => return Err(Stop::Close),
            }
        }
    }

    /// Read one request head; returns it without the blank line.
    fn read_head(&mut self) -> Result<Vec<u8>, Stop> {
        let mut deadline = Instant::now() + IDLE_TIMEOUT;
        let mut started = false;
        loop {
            if let Some(end) = find_head_end(&self.buf) {
                let head = self.buf[..end.0].to_vec();
                self.buf.drain(..end.1);
                return Ok(head);
            }
            if !started && !self.buf.is_empty() {
                started = true;
                deadline = Instant::now() + REQUEST_TIMEOUT;
            }
            let line_len = self
                .buf
                .iter()
                .position(|&b| b == b'\n')
                .unwrap_or(self.buf.len());
            if line_len > MAX_REQUEST_LINE {
                return Err(Stop::Bad(414));
            }
            if self.buf.len() > MAX_HEAD {
                return Err(Stop::Bad(431));
            }
            self.fill(deadline)?;
        }
    }

    /// Read and discard `n` body bytes.
    fn skip_body(&mut self, mut n: usize) -> Result<(), Stop> {
        let deadline = Instant::now() + REQUEST_TIMEOUT;
        loop {
            let take = n.min(self.buf.len());
            self.buf.drain(..take);
            n -= take;
            if n == 0 {
                return Ok(());
            }
            self.fill(deadline)?;
        }
    }

    /// Write all of `data`, riding out write timeouts until shutdown or a
    /// long stall. Partial writes are continued, so framing stays intact.
    fn send(&mut self, mut data: &[u8]) -> Result<(), Stop> {
        let mut last_progress = Instant::now();
        while !data.is_empty() {
            if self.shared.stopping() || last_progress.elapsed() > WRITE_STALL_TIMEOUT {
                return Err(Stop::Close);
            }
            match self.stream.write(data) {
                Ok(0) => return Err(Stop::Close),
                Ok(n) => {
                    data = &data[n..];
                    last_progress = Instant::now();
                }
                Err(e) if is_timeout(&e) || e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => return Err(Stop::Close),
            }
        }
        Ok(())
    }

    /// Sleep `d` in short slices; fails when the server shuts down.
    fn pause(&self, d: Duration) -> Result<(), Stop> {
        let end = Instant::now() + d;
        loop {
            if self.shared.stopping() {
                return Err(Stop::Close);
            }
            let now = Instant::now();
            if now >= end {
                return Ok(());
            }
            thread::sleep((end - now).min(TICK));
        }
    }
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// Position of the end of the head (before the blank line) and of the first
/// byte after it. Accepts CRLF and bare LF line ends.
fn find_head_end(buf: &[u8]) -> Option<(usize, usize)> {
    let mut i = 0;
    while let Some(p) = buf[i..].iter().position(|&b| b == b'\n') {
        let nl = i + p;
        let rest = &buf[nl + 1..];
        if rest.starts_with(b"\r\n") {
            return Some((nl + 1, nl + 3));
        }
        if rest.starts_with(b"\n") {
            return Some((nl + 1, nl + 2));
        }
        i = nl + 1;
    }
    None
}

struct Request {
    method: String,
    target: String,
    version: String,
    headers: Vec<(String, String)>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn has_token(&self, name: &str, token: &str) -> bool {
        self.headers
            .iter()
            .filter(|(n, _)| n == name)
            .flat_map(|(_, v)| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case(token))
    }

    /// Whether the connection stays open after this exchange.
    fn keep_alive(&self) -> bool {
        if self.has_token("connection", "close") {
            return false;
        }
        self.version != "HTTP/1.0" || self.has_token("connection", "keep-alive")
    }
}

fn parse_head(head: &[u8]) -> Result<Request, Stop> {
    let text = String::from_utf8_lossy(head);
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let line = lines.next().unwrap_or("");
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Stop::Bad(400));
    };
    if method.is_empty() || !version.starts_with("HTTP/1.") {
        return Err(Stop::Bad(400));
    }
    let mut headers = Vec::new();
    for l in lines.filter(|l| !l.is_empty()) {
        let Some((name, value)) = l.split_once(':') else {
            return Err(Stop::Bad(400));
        };
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        if headers.len() > MAX_HEADERS {
            return Err(Stop::Bad(431));
        }
    }
    Ok(Request {
        method: method.to_string(),
        target: origin_form(target),
        version: version.to_string(),
        headers,
    })
}

/// `http://host:port/p?q` → `/p?q`; other forms unchanged.
fn origin_form(target: &str) -> String {
    for scheme in ["http://", "https://"] {
        if let Some(rest) = target.strip_prefix(scheme) {
            return match rest.find('/') {
                Some(i) => rest[i..].to_string(),
                None => "/".to_string(),
            };
        }
    }
    target.to_string()
}

fn strip_query(target: &str) -> &str {
    target.split_once('?').map_or(target, |(p, _)| p)
}

fn serve_connection(stream: TcpStream, shared: &Shared) -> Result<(), Stop> {
    stream.set_read_timeout(Some(TICK))?;
    stream.set_write_timeout(Some(TICK))?;
    let _ = stream.set_nodelay(true);
    let mut conn = Conn {
        stream,
        buf: Vec::new(),
        shared,
    };
    let result = serve_requests(&mut conn);
    if let Err(Stop::Bad(code)) = result {
        let body = format!(
            "<!DOCTYPE html><html><body><h1>{code} {}</h1></body></html>\n",
            reason(code)
        );
        let head = format!(
            "HTTP/1.1 {code} {}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            reason(code),
            body.len()
        );
        let _ = conn.send(head.as_bytes());
        let _ = conn.send(body.as_bytes());
    }
    let _ = conn.stream.shutdown(Shutdown::Write);
    // Give the client a moment to read what was sent before the socket is
    // closed (closing with unread input may turn into a reset).
    let _ = conn
        .stream
        .set_read_timeout(Some(Duration::from_millis(20)));
    let mut sink = [0u8; 1024];
    let _ = conn.stream.read(&mut sink);
    result
}

fn serve_requests(conn: &mut Conn<'_>) -> Result<(), Stop> {
    loop {
        let head = conn.read_head()?;
        let req = parse_head(&head)?;
        // Request body: Content-Length is read and ignored; a chunked
        // request body is not supported, so the connection closes after.
        let mut keep_alive = req.keep_alive();
        if req.header("transfer-encoding").is_some() {
            keep_alive = false;
        } else if let Some(cl) = req.header("content-length") {
            let n: usize = cl.parse().map_err(|_| Stop::Bad(400))?;
            if n > MAX_REQUEST_BODY {
                return Err(Stop::Bad(413));
            }
            conn.skip_body(n)?;
        }

        let reply = {
            let mut routes = lock(&conn.shared.routes);
            let route = if routes.contains_key(&req.target) {
                routes.get_mut(&req.target)
            } else {
                routes.get_mut(strip_query(&req.target))
            };
            route.map(|r| {
                let picked = r.reply.pick(r.served).clone();
                r.served += 1;
                picked
            })
        };
        lock(&conn.shared.requests).push(Recorded {
            method: req.method.clone(),
            path: req.target.clone(),
            headers: req.headers.clone(),
        });
        let reply = reply.unwrap_or_else(not_found).guarded(&req);
        let now = conn.shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        conn.shared.most_in_flight.fetch_max(now, Ordering::SeqCst);
        let answered = respond(conn, &req, &reply, keep_alive);
        conn.shared.in_flight.fetch_sub(1, Ordering::SeqCst);
        if !answered? {
            return Ok(());
        }
    }
}

fn not_found() -> Reply {
    Reply::status(
        404,
        "<!DOCTYPE html><html><head><title>404 Not Found</title></head>\
         <body><h1>Not Found</h1><p>No such page on this test server.</p></body></html>\n",
    )
}

/// Send one response. Returns whether the connection may be reused.
fn respond(
    conn: &mut Conn<'_>,
    req: &Request,
    reply: &Reply,
    keep_alive: bool,
) -> Result<bool, Stop> {
    if !reply.delay.is_zero() {
        conn.pause(reply.delay)?;
    }
    if let Kind::Raw(bytes) = &reply.kind {
        conn.send(bytes)?;
        return Ok(false);
    }

    let not_modified = match (&reply.etag, req.header("if-none-match")) {
        (Some(tag), Some(inm)) => inm.split(',').any(|t| {
            let t = t.trim();
            t == "*" || t == tag || t.strip_prefix("W/") == Some(tag.as_str())
        }),
        (_, Some(_)) => false,
        (_, None) => matches!(
            (&reply.last_modified, req.header("if-modified-since")),
            (Some(lm), Some(ims)) if lm == ims
        ),
    };
    let status = if not_modified { 304 } else { reply.status };
    let bodyless_status = status == 204 || status == 304 || (100..200).contains(&status);
    let head_only = req.method.eq_ignore_ascii_case("HEAD");

    let body: Vec<u8> = reply.body.clone();

    let hostile = reply.close_after.is_some() || reply.wrong_length.is_some() || reply.endless;
    let keep_alive = keep_alive && !hostile;

    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    head.push_str("Server: stet-test-server\r\n");
    for (n, v) in &reply.headers {
        if not_modified && n.eq_ignore_ascii_case("content-type") {
            continue;
        }
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    if let Some(tag) = &reply.etag {
        head.push_str(&format!("ETag: {tag}\r\n"));
    }
    if let Some(lm) = &reply.last_modified {
        head.push_str(&format!("Last-Modified: {lm}\r\n"));
    }
    if let Some(encoding) = reply.encoding.filter(|_| !not_modified) {
        head.push_str(&format!("Content-Encoding: {encoding}\r\n"));
    }
    if !bodyless_status {
        if reply.chunked {
            head.push_str("Transfer-Encoding: chunked\r\n");
        } else {
            let len = reply.wrong_length.unwrap_or(body.len());
            head.push_str(&format!("Content-Length: {len}\r\n"));
        }
    }
    head.push_str(if keep_alive {
        "Connection: keep-alive\r\n"
    } else {
        "Connection: close\r\n"
    });
    head.push_str("\r\n");
    conn.send(head.as_bytes())?;

    if bodyless_status || head_only {
        return Ok(keep_alive);
    }

    let limit = reply.close_after.unwrap_or(usize::MAX);
    if reply.endless {
        let filler: &[u8] = if body.is_empty() {
            b"<p>and on, and on, and on</p>\n"
        } else {
            &body
        };
        let piece = reply.trickle.map_or(ENDLESS_CHUNK, |(c, _)| c);
        let mut sent = 0usize;
        let mut pos = 0usize;
        loop {
            // Next `piece` bytes of the filler, repeated cyclically.
            let mut chunk = Vec::with_capacity(piece);
            while chunk.len() < piece {
                let take = (piece - chunk.len()).min(filler.len() - pos);
                chunk.extend_from_slice(&filler[pos..pos + take]);
                pos = (pos + take) % filler.len();
            }
            if sent >= limit {
                return Ok(false);
            }
            send_chunk(conn, &chunk)?;
            sent += chunk.len();
            if let Some((_, every)) = reply.trickle {
                conn.pause(every)?;
            }
        }
    }

    let body = &body[..body.len().min(limit)];
    let piece = reply.trickle.map_or(body.len().max(1), |(c, _)| c);
    for part in body.chunks(piece) {
        if reply.chunked {
            send_chunk(conn, part)?;
        } else {
            conn.send(part)?;
        }
        if let Some((_, every)) = reply.trickle {
            conn.pause(every)?;
        }
    }
    if reply.close_after.is_some() {
        return Ok(false);
    }
    if reply.chunked {
        conn.send(b"0\r\n\r\n")?;
    }
    Ok(keep_alive)
}

fn send_chunk(conn: &mut Conn<'_>, data: &[u8]) -> Result<(), Stop> {
    if data.is_empty() {
        return Ok(());
    }
    let mut framed = format!("{:x}\r\n", data.len()).into_bytes();
    framed.extend_from_slice(data);
    framed.extend_from_slice(b"\r\n");
    conn.send(&framed)
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).expect("gzip into a Vec");
    enc.finish().expect("gzip into a Vec")
}

fn brotli(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    // Quality 5: fast even in a debug build, and 50 MB of one byte still
    // comes out at a few KB.
    let params = brotli::enc::BrotliEncoderParams {
        quality: 5,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &data[..], &mut out, &params).expect("brotli into a Vec");
    out
}

fn content_type_for(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html",
        "css" => "text/css",
        "js" => "text/javascript",
        "json" => "application/json",
        "txt" => "text/plain",
        "xml" => "application/xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// Standard reason phrase of a status code ("Unknown" for others).
pub fn reason(code: u16) -> &'static str {
    match code {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        206 => "Partial Content",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        408 => "Request Timeout",
        410 => "Gone",
        413 => "Content Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        418 => "I'm a teapot",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    }
}
