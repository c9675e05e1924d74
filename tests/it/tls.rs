//! HTTPS that must fail: a real TLS server on 127.0.0.1 with a self-signed
//! certificate (made here with rcgen, served with rustls), and a server that
//! answers a ClientHello with bytes that are not TLS at all. Each fetch must
//! end quickly in one classified `tls` error, and the store must hold nothing
//! from it.

use crate::common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::Output;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use common::server::{Reply, TestServer};
use common::{assert_ok, fixture, stet, store_files, Json};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName};

const PAGE: &str = "<html><head><title>Secret</title></head><body><article>\
<p>This page must never be stored: its certificate is not trusted.</p></article></body></html>";

/// What a [`RawServer`] does with each accepted connection.
#[derive(Clone)]
enum Behaviour {
    /// A TLS handshake with this configuration, then one HTTP answer.
    Tls(Arc<rustls::ServerConfig>),
    /// Read the ClientHello, answer with these bytes, close.
    Garbage(&'static [u8]),
}

/// A thread server on 127.0.0.1 that accepts connections until dropped
/// (polling, so it stops within 20 ms), each handled on its own thread with
/// 5 s socket timeouts.
struct RawServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    accepted: Arc<AtomicUsize>,
    thread: Option<JoinHandle<()>>,
}

impl RawServer {
    fn start(behaviour: Behaviour) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().expect("local addr");
        let stop = Arc::new(AtomicBool::new(false));
        let accepted = Arc::new(AtomicUsize::new(0));
        let (stop2, accepted2) = (stop.clone(), accepted.clone());
        let thread = std::thread::spawn(move || {
            // Never longer than a minute, whatever the test does.
            let deadline = Instant::now() + Duration::from_secs(60);
            while !stop2.load(Ordering::SeqCst) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((conn, _)) => {
                        accepted2.fetch_add(1, Ordering::SeqCst);
                        let b = behaviour.clone();
                        std::thread::spawn(move || serve(conn, b));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(20)),
                }
            }
        });
        RawServer {
            addr,
            stop,
            accepted,
            thread: Some(thread),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("https://{}{path}", self.addr)
    }

    fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn serve(conn: TcpStream, behaviour: Behaviour) {
    let _ = conn.set_nonblocking(false);
    let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = conn.set_write_timeout(Some(Duration::from_secs(5)));
    match behaviour {
        Behaviour::Tls(config) => {
            let Ok(tls) = rustls::ServerConnection::new(config) else {
                return;
            };
            let mut stream = rustls::StreamOwned::new(tls, conn);
            // The handshake happens on the first read; a client that rejects
            // the certificate ends it here with an alert.
            let mut request = Vec::new();
            let mut buf = [0u8; 4096];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 65_536 {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let answer = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n{PAGE}",
                PAGE.len()
            );
            let _ = stream.write_all(answer.as_bytes());
            stream.conn.send_close_notify();
            let _ = stream.flush();
        }
        Behaviour::Garbage(bytes) => {
            let mut conn = conn;
            let mut buf = [0u8; 4096];
            let _ = conn.read(&mut buf);
            let _ = conn.write_all(bytes);
            let _ = conn.flush();
        }
    }
}

/// A self-signed certificate for 127.0.0.1 and localhost, its DER and a
/// rustls server configuration that presents it.
fn self_signed() -> (CertificateDer<'static>, Arc<rustls::ServerConfig>) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let key = rcgen::generate_simple_self_signed(vec!["127.0.0.1".into(), "localhost".into()])
        .expect("self-signed certificate");
    let cert = key.cert.der().clone();
    let private = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.signing_key.serialize_der()));
    let config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![cert.clone()], private)
        .expect("server config");
    (cert, Arc::new(config))
}

/// GET `/` over TLS from a client that trusts `cert`: proves the server is a
/// working HTTPS server, so that stet's failure is about trust alone.
fn get_trusting(addr: SocketAddr, cert: CertificateDer<'static>) -> String {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert).expect("add the test root");
    let config = rustls::ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = ServerName::try_from("127.0.0.1").expect("server name");
    let tls = rustls::ClientConnection::new(Arc::new(config), name).expect("client connection");
    let tcp = TcpStream::connect(addr).expect("connect");
    tcp.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut stream = rustls::StreamOwned::new(tls, tcp);
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .expect("send request");
    let mut answer = Vec::new();
    // A close without close_notify is an error for rustls; the bytes count.
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

fn run(store: &Path, args: &[&str]) -> Output {
    stet(store).args(args).output().expect("run stet")
}

fn rows(out: &Output) -> Vec<Json> {
    serde_json::from_slice(&out.stdout).expect("json rows on stdout")
}

/// A store with one good snapshot, so that what a failure leaves behind can
/// be checked against it.
fn store_with_one_snapshot(dir: &Path) -> std::path::PathBuf {
    let store = dir.join("s");
    let f = fixture("article-v1.html");
    let out = run(&store, &["snapshot", f.to_str().expect("utf-8 path")]);
    assert_ok(&out);
    store
}

/// The store holds exactly what it held before (`manifests`, `objects`),
/// and `stet verify` calls it intact.
fn assert_store_unchanged(store: &Path, manifests: usize, objects: usize) {
    assert_eq!(store_files(store, "manifests").len(), manifests);
    assert_eq!(store_files(store, "objects").len(), objects);
    let out = run(store, &["verify", "--format", "json"]);
    let v: Json = serde_json::from_slice(&out.stdout).expect("verify json");
    assert_eq!(v["intact"], true, "{}", v["problems"]);
    assert!(out.status.success());
}

#[test]
fn an_untrusted_certificate_is_a_tls_error_and_stores_nothing() {
    let (cert, config) = self_signed();
    let server = RawServer::start(Behaviour::Tls(config));
    let answer = get_trusting(server.addr, cert);
    assert!(
        answer.starts_with("HTTP/1.1 200 OK") && answer.contains("never be stored"),
        "the test server must work for a client that trusts it: {answer:?}"
    );

    let dir = tempfile::tempdir().unwrap();
    let store = store_with_one_snapshot(dir.path());
    let (manifests, objects) = (
        store_files(&store, "manifests").len(),
        store_files(&store, "objects").len(),
    );
    let plain = TestServer::start();
    plain.route("/fine", Reply::ok(PAGE));

    let started = Instant::now();
    let out = run(
        &store,
        &[
            "snapshot",
            "--format",
            "json",
            "--timeout",
            "5",
            &server.url("/article"),
            &plain.url("/fine"),
        ],
    );
    let took = started.elapsed();
    assert!(took < Duration::from_secs(10), "{took:?}");
    assert_eq!(out.status.code(), Some(2));
    let rows = rows(&out);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0]["outcome"], "error", "{}", rows[0]);
    assert_eq!(rows[0]["reason"], "tls", "{}", rows[0]);
    let error = rows[0]["error"].as_str().unwrap();
    assert!(error.contains("TLS failure"), "{error}");
    assert!(error.to_lowercase().contains("certificate"), "{error}");
    // The same page over plain HTTP is stored: the failure was the TLS one.
    assert_eq!(rows[1]["outcome"], "new", "{}", rows[1]);

    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(server.accepted() >= 1, "stet reached the TLS server");

    // One new snapshot (the plain page: its body, document and the two
    // heads of its exchange), nothing from the HTTPS one.
    assert_store_unchanged(&store, manifests + 1, objects + 4);
    let log = run(&store, &["log", &server.url("/article")]);
    assert_ne!(log.status.code(), Some(0), "no history for the TLS target");
}

#[test]
fn the_link_checker_calls_an_untrusted_certificate_a_tls_error() {
    let (_, config) = self_signed();
    let server = RawServer::start(Behaviour::Tls(config));
    let page = TestServer::start();
    page.route(
        "/a",
        Reply::ok(format!(
            "<html><body><article><p>See <a href=\"{}\">the secure page</a> \
             for the details of this story.</p></article></body></html>",
            server.url("/secure")
        )),
    );
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let out = run(
        &store,
        &[
            "links",
            "--format",
            "json",
            "--timeout",
            "5",
            &page.url("/a"),
        ],
    );
    let rows: Vec<Json> = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    let secure = rows
        .iter()
        .find(|r| {
            r["url"]
                .as_str()
                .unwrap_or_default()
                .starts_with("https://")
        })
        .unwrap_or_else(|| panic!("{rows:?}"));
    assert_eq!(secure["class"], "error", "{secure}");
    assert_eq!(secure["reason"], "tls", "{secure}");
}

#[test]
fn garbage_instead_of_a_server_hello_is_a_tls_error() {
    let cases: [&'static [u8]; 3] = [
        // An HTTP server on the HTTPS port.
        b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n",
        // Noise.
        b"\x00\xff\x13\x37 this is not a ServerHello \x00\x00\x00\x00\x00\x00",
        // A handshake record header claiming 64 KB (a ServerHello of 16 MB), then EOF.
        b"\x16\x03\x03\xff\xff\x02\xff\xff\xff",
    ];
    let servers: Vec<RawServer> = cases
        .iter()
        .map(|bytes| RawServer::start(Behaviour::Garbage(bytes)))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_one_snapshot(dir.path());
    let (manifests, objects) = (
        store_files(&store, "manifests").len(),
        store_files(&store, "objects").len(),
    );

    let mut args = vec![
        "snapshot".to_string(),
        "--format".into(),
        "json".into(),
        "--timeout".into(),
        "3".into(),
    ];
    args.extend(servers.iter().map(|s| s.url("/article")));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let started = Instant::now();
    let out = run(&store, &args);
    let took = started.elapsed();
    // Every server closes after its answer: no case waits for the timeout.
    assert!(took < Duration::from_secs(8), "{took:?}");
    assert_eq!(out.status.code(), Some(2));
    let rows = rows(&out);
    assert_eq!(rows.len(), cases.len(), "{rows:?}");
    for (row, server) in rows.iter().zip(&servers) {
        assert_eq!(row["outcome"], "error", "{row}");
        assert_eq!(row["reason"], "tls", "{row}");
        assert!(
            row["error"].as_str().unwrap().contains("TLS failure"),
            "{row}"
        );
        assert!(server.accepted() >= 1);
    }
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_store_unchanged(&store, manifests, objects);
}
