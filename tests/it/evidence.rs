//! Evidence a stranger can check: signatures `ssh-keygen -Y verify`
//! accepts, timestamps from a local RFC 3161 authority (`openssl ts -reply`
//! behind a small HTTP server on 127.0.0.1) that `openssl ts -verify`
//! accepts, `stet verify`'s evidence notes, and `stet prove` bundles whose
//! VERIFY.sh passes, and fails after one flipped byte.

use crate::common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use common::{assert_ok, fixture, stet, Json};

/// True when every tool is on PATH; otherwise the shared helper says why
/// the test is skipped (or fails it under STET_REQUIRE_ALL=1).
fn have_tools(tools: &[&str]) -> bool {
    tools.iter().all(|tool| {
        common::require::program(tool, "the stock verifiers check stet's evidence").is_some()
    })
}

fn run(cmd: &mut Process) -> std::process::Output {
    cmd.output().expect("tool runs")
}

/// A store with one snapshot of a fixture, signed by a new key.
struct Signed {
    dir: tempfile::TempDir,
    store: PathBuf,
    allowed: PathBuf,
    id: String,
}

fn keygen(dir: &Path, identity: &str) -> (PathBuf, PathBuf) {
    let key = dir.join("id_stet");
    let out = stet(&dir.join("snapshots"))
        .args(["keygen", "--out"])
        .arg(&key)
        .args(["--identity", identity])
        .output()
        .unwrap();
    assert_ok(&out);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    // The last line of keygen's output is the allowed_signers line.
    let line = text.lines().last().unwrap().to_string();
    assert!(
        line.starts_with(&format!(
            "{identity} namespaces=\"stet-snapshot,stet-journal\" ssh-ed25519 "
        )),
        "{text}"
    );
    let allowed = dir.join("allowed_signers");
    std::fs::write(&allowed, format!("{line}\n")).unwrap();
    (key, allowed)
}

fn snapshot(store: &Path, source: &Path, extra: &[&str]) -> String {
    let out = stet(store)
        .args(["--format", "json", "snapshot"])
        .arg(source)
        .args(extra)
        .output()
        .unwrap();
    assert_ok(&out);
    let v: Json = serde_json::from_slice(&out.stdout).unwrap();
    v[0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{v}"))
        .to_string()
}

fn signed_store() -> Signed {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("snapshots");
    let (key, allowed) = keygen(dir.path(), "newsroom@example.org");
    let key_arg = key.to_str().unwrap().to_string();
    let id = snapshot(&store, &fixture("article-v1.html"), &["--key", &key_arg]);
    Signed {
        store,
        allowed,
        id,
        dir,
    }
}

fn manifest_path(store: &Path, id: &str) -> PathBuf {
    store
        .join("manifests")
        .join(&id[..2])
        .join(format!("{id}.json"))
}

fn signature_path(store: &Path, id: &str) -> PathBuf {
    store
        .join("signatures")
        .join(&id[..2])
        .join(format!("{id}.sig"))
}

fn timestamp_path(store: &Path, id: &str) -> PathBuf {
    store
        .join("timestamps")
        .join(&id[..2])
        .join(format!("{id}.tsr"))
}

fn flip(path: &Path, at: usize) {
    let mut bytes = std::fs::read(path).unwrap();
    let i = at.min(bytes.len() - 1);
    bytes[i] ^= 0x01;
    std::fs::write(path, bytes).unwrap();
}

fn ssh_verify(allowed: &Path, id: &str, sig: &Path, message: &Path) -> bool {
    run(Process::new("ssh-keygen")
        .args(["-Y", "verify", "-f"])
        .arg(allowed)
        .args(["-I", id, "-n", "stet-snapshot", "-s"])
        .arg(sig)
        .stdin(std::fs::File::open(message).unwrap()))
    .status
    .success()
}

fn verify_json(store: &Path, args: &[&str]) -> (i32, Json) {
    let out = stet(store)
        .args(["--format", "json", "verify"])
        .args(args)
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), v)
}

fn kinds(v: &Json, list: &str) -> Vec<String> {
    v[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn ssh_keygen_verifies_a_snapshot_signature_and_rejects_flipped_bytes() {
    if !have_tools(&["ssh-keygen"]) {
        return;
    }
    let s = signed_store();
    let manifest = manifest_path(&s.store, &s.id);
    let sig = signature_path(&s.store, &s.id);
    let text = std::fs::read_to_string(&sig).unwrap();
    assert!(
        text.starts_with("-----BEGIN SSH SIGNATURE-----\n"),
        "{text}"
    );
    // The signature is not inside the signed bytes.
    assert!(!std::fs::read_to_string(&manifest)
        .unwrap()
        .contains("SIGNATURE"));
    assert!(ssh_verify(
        &s.allowed,
        "newsroom@example.org",
        &sig,
        &manifest
    ));
    // Another principal, or another namespace, is refused.
    assert!(!ssh_verify(&s.allowed, "someone@else.org", &sig, &manifest));

    let copy = s.dir.path().join("manifest.json");
    std::fs::copy(&manifest, &copy).unwrap();
    flip(&copy, 40);
    assert!(!ssh_verify(&s.allowed, "newsroom@example.org", &sig, &copy));
    let bad_sig = s.dir.path().join("bad.sig");
    std::fs::copy(&sig, &bad_sig).unwrap();
    // A byte inside the base64 of the signature blob (past the key).
    flip(&bad_sig, text.len() - 60);
    assert!(!ssh_verify(
        &s.allowed,
        "newsroom@example.org",
        &bad_sig,
        &manifest
    ));
}

#[test]
fn verify_tells_signed_unsigned_untrusted_and_badly_signed_apart() {
    let s = signed_store();
    let allowed = s.allowed.to_str().unwrap();
    let (code, v) = verify_json(&s.store, &["--allowed-signers", allowed]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(
        (v["signed"].as_u64(), v["intact"].as_bool()),
        (Some(1), Some(true))
    );
    assert_eq!(kinds(&v, "notes"), ["untimestamped"]);

    // No trusted keys configured: a valid signature is a note, not damage.
    let (code, v) = verify_json(&s.store, &[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["signed"], 0);
    assert_eq!(kinds(&v, "notes"), ["untimestamped", "untrusted_signature"]);

    // An unsigned snapshot (no key this time) next to the signed one.
    let id2 = snapshot(&s.store, &fixture("article-v2-boilerplate.html"), &[]);
    let (code, v) = verify_json(&s.store, &["--allowed-signers", allowed]);
    assert_eq!(code, 0, "{v}");
    assert!(kinds(&v, "notes").contains(&"unsigned".to_string()), "{v}");
    let (code, v) = verify_json(
        &s.store,
        &["--allowed-signers", allowed, "--require-signed"],
    );
    assert_eq!(code, 1, "{v}");
    assert!(
        kinds(&v, "problems").contains(&"unsigned".to_string()),
        "{v}"
    );

    // A signature over other bytes (the other snapshot's) is damage.
    std::fs::create_dir_all(signature_path(&s.store, &id2).parent().unwrap()).unwrap();
    std::fs::copy(
        signature_path(&s.store, &s.id),
        signature_path(&s.store, &id2),
    )
    .unwrap();
    let (code, v) = verify_json(&s.store, &["--allowed-signers", allowed]);
    assert_eq!(code, 1, "{v}");
    assert_eq!(kinds(&v, "problems"), ["bad_signature"], "{v}");
    let text = stet(&s.store)
        .args(["verify", "--allowed-signers", allowed])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("bad_signature") && text.contains("DAMAGED"),
        "{text}"
    );
}

#[test]
fn key_problems_are_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("snapshots");
    let missing = dir.path().join("nope");
    let out = stet(&store)
        .arg("snapshot")
        .arg(fixture("article-v1.html"))
        .arg("--key")
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("no such file") && err.contains("stet keygen"),
        "{err}"
    );
    assert!(
        !store.join("manifests").exists(),
        "nothing stored without the key"
    );

    let out = stet(&store)
        .arg("snapshot")
        .arg(fixture("article-v1.html"))
        .arg("--require-signed")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--require-signed"));

    let (key, _) = keygen(dir.path(), "a");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o640)).unwrap();
        let out = stet(&store)
            .arg("snapshot")
            .arg(fixture("article-v1.html"))
            .arg("--key")
            .arg(&key)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("mode 0640") && err.contains("chmod 600"),
            "{err}"
        );
    }
    // keygen never overwrites.
    let out = stet(&store)
        .args(["keygen", "--out"])
        .arg(&key)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("never overwrites"));
}

/// A local RFC 3161 authority: `openssl ts -reply` behind HTTP on 127.0.0.1,
/// with a CA and a TSA certificate made at test time.
struct Tsa {
    dir: tempfile::TempDir,
    url: String,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Tsa {
    fn start() -> Tsa {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(
            d.join("tsa.cnf"),
            "[ tsa ]\ndefault_tsa = tsa1\n[ tsa1 ]\ndir = .\nserial = $dir/serial\n\
             crypto_device = builtin\nsigner_digest = sha256\ndefault_policy = 1.2.3.4.1\n\
             digests = sha256, sha384, sha512\naccuracy = secs:1\nordering = no\ntsa_name = no\n\
             ess_cert_id_chain = no\ness_cert_id_alg = sha256\n\
             [ ca_ext ]\nbasicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign\n\
             subjectKeyIdentifier = hash\n\
             [ tsa_ext ]\nbasicConstraints = critical, CA:FALSE\n\
             keyUsage = critical, digitalSignature, nonRepudiation\n\
             extendedKeyUsage = critical, timeStamping\nsubjectKeyIdentifier = hash\n\
             authorityKeyIdentifier = keyid\n",
        )
        .unwrap();
        std::fs::write(d.join("serial"), "01\n").unwrap();
        let openssl = |args: &[&str]| {
            let out = run(Process::new("openssl").args(args).current_dir(d));
            assert!(
                out.status.success(),
                "openssl {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=stet test CA",
            "-config",
            "tsa.cnf",
            "-extensions",
            "ca_ext",
        ]);
        openssl(&[
            "req",
            "-new",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "tsa.key",
            "-out",
            "tsa.csr",
            "-subj",
            "/CN=stet test TSA",
        ]);
        openssl(&[
            "x509",
            "-req",
            "-in",
            "tsa.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "tsa.pem",
            "-days",
            "2",
            "-extfile",
            "tsa.cnf",
            "-extensions",
            "tsa_ext",
        ]);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}/tsa", listener.local_addr().unwrap());
        let stop = Arc::new(AtomicBool::new(false));
        let (stop2, root) = (stop.clone(), d.to_path_buf());
        let thread = std::thread::spawn(move || {
            let mut n = 0;
            while !stop2.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((mut conn, _)) => {
                        n += 1;
                        let _ = conn.set_nonblocking(false);
                        let _ = conn.set_read_timeout(Some(std::time::Duration::from_secs(10)));
                        answer(&mut conn, &root, n);
                    }
                    Err(_) => std::thread::sleep(std::time::Duration::from_millis(5)),
                }
            }
        });
        Tsa {
            dir,
            url,
            stop,
            thread: Some(thread),
        }
    }

    fn ca(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    fn cert(&self) -> PathBuf {
        self.dir.path().join("tsa.pem")
    }
}

impl Drop for Tsa {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Serve one HTTP/1.1 request: the body is a time-stamp query.
fn answer(conn: &mut std::net::TcpStream, root: &Path, n: usize) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        match conn.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(k) => buf.extend_from_slice(&chunk[..k]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        match conn.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(k) => buf.extend_from_slice(&chunk[..k]),
        }
    }
    let query = root.join(format!("q{n}.tsq"));
    let reply = root.join(format!("r{n}.tsr"));
    std::fs::write(&query, &buf[head_end..head_end + length]).unwrap();
    let ok = head.contains("content-type: application/timestamp-query")
        && Process::new("openssl")
            .args(["ts", "-reply", "-config", "tsa.cnf", "-queryfile"])
            .arg(&query)
            .args(["-signer", "tsa.pem", "-inkey", "tsa.key", "-out"])
            .arg(&reply)
            .current_dir(root)
            .output()
            .is_ok_and(|o| o.status.success());
    let (status, body) = match std::fs::read(&reply) {
        Ok(body) if ok => ("200 OK", body),
        _ => ("400 Bad Request", b"bad query".to_vec()),
    };
    let _ = write!(
        conn,
        "HTTP/1.1 {status}\r\nContent-Type: application/timestamp-reply\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = conn.write_all(&body);
}

fn openssl_ts_verify(id: &str, tsr: &Path, tsa: &Tsa) -> bool {
    run(Process::new("openssl")
        .args(["ts", "-verify", "-digest", id, "-in"])
        .arg(tsr)
        .arg("-CAfile")
        .arg(tsa.ca())
        .arg("-untrusted")
        .arg(tsa.cert()))
    .status
    .success()
}

#[test]
fn a_local_tsa_stamps_new_snapshots_and_openssl_accepts_the_token() {
    if !have_tools(&["openssl"]) {
        return;
    }
    let tsa = Tsa::start();
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("snapshots");
    let id = snapshot(&store, &fixture("article-v1.html"), &["--tsa", &tsa.url]);
    let tsr = timestamp_path(&store, &id);
    assert!(openssl_ts_verify(&id, &tsr, &tsa));
    // The token is over this manifest's sha256, not another's.
    let other = "0".repeat(64);
    assert!(!openssl_ts_verify(&other, &tsr, &tsa));

    let ca = tsa.ca();
    let ca = ca.to_str().unwrap();
    let (code, v) = verify_json(&store, &["--tsa-ca", ca]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["timestamped"], 1, "{v}");
    assert_eq!(kinds(&v, "notes"), ["unsigned"], "{v}");

    // A CA that did not issue the TSA's certificate is not trusted.
    let (code, v) = verify_json(&store, &["--tsa-ca", tsa.cert().to_str().unwrap()]);
    assert_eq!(code, 1, "{v}");
    assert_eq!(kinds(&v, "problems"), ["bad_timestamp"], "{v}");

    // One flipped byte in the token (in the stamped TSTInfo, in the
    // signature at the end): openssl and stet both refuse it.
    let len = std::fs::metadata(&tsr).unwrap().len() as usize;
    for at in [110, len - 20] {
        let copy = dir.path().join(format!("flipped-{at}.tsr"));
        std::fs::copy(&tsr, &copy).unwrap();
        flip(&copy, at);
        assert!(!openssl_ts_verify(&id, &copy, &tsa), "byte {at}");
        std::fs::copy(&copy, &tsr).unwrap();
        let (code, v) = verify_json(&store, &["--tsa-ca", ca]);
        assert_eq!(code, 1, "byte {at}: {v}");
        assert_eq!(kinds(&v, "problems"), ["bad_timestamp"], "byte {at}: {v}");
    }
}

#[test]
fn an_unreachable_tsa_is_an_error_and_the_snapshot_stays() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("snapshots");
    // A port nothing listens on.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = stet(&store)
        .arg("snapshot")
        .arg(fixture("article-v1.html"))
        .args(["--tsa", &format!("http://127.0.0.1:{port}/")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is stored, but not timestamped"), "{err}");
    let (code, v) = verify_json(&store, &[]);
    assert_eq!((code, v["snapshots"].as_u64()), (0, Some(1)), "{v}");
    let (code, v) = verify_json(&store, &["--require-signed"]);
    assert_eq!(code, 1, "{v}");
    assert_eq!(kinds(&v, "problems"), ["unsigned", "untimestamped"], "{v}");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

fn verify_sh(dir: &Path) -> (bool, String) {
    let out = run(Process::new("sh").arg(dir.join("VERIFY.sh")));
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn a_proof_bundle_verifies_with_stock_tools_and_fails_after_a_flipped_byte() {
    if !have_tools(&["ssh-keygen", "openssl", "sha256sum"]) {
        return;
    }
    let tsa = Tsa::start();
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("snapshots");
    let (key, allowed) = keygen(dir.path(), "newsroom@example.org");
    let key = key.to_str().unwrap().to_string();
    let target = fixture("article-v1.html");
    let target = target.to_str().unwrap();
    // Three versions of one target: v1 (the reference), v2, v3.
    let mut ids = Vec::new();
    for (i, v) in [
        "article-v1.html",
        "article-v2-boilerplate.html",
        "article-v3-edited.html",
    ]
    .iter()
    .enumerate()
    {
        let mut args = vec!["--key", key.as_str(), "--tsa", tsa.url.as_str()];
        if i > 0 {
            args.extend(["--as", target]);
        }
        ids.push(snapshot(&store, &fixture(v), &args));
    }
    let config = dir.path().join("stet.toml");
    std::fs::write(
        &config,
        format!(
            "[sign]\nallowed_signers = {:?}\ntsa_ca = {:?}\n",
            allowed.to_str().unwrap(),
            tsa.ca().to_str().unwrap()
        ),
    )
    .unwrap();
    let bundle = dir.path().join("proof");
    let out = stet(&store)
        .arg("--config")
        .arg(&config)
        .args(["prove", &ids[2][..12], "--out"])
        .arg(&bundle)
        .output()
        .unwrap();
    assert_ok(&out);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("signed by newsroom@example.org"), "{text}");
    assert!(text.contains("2 earlier version(s)"), "{text}");
    let v = stet(&store)
        .arg("--config")
        .arg(&config)
        .args(["--format", "json", "verify"])
        .output()
        .unwrap();
    let v: Json = serde_json::from_slice(&v.stdout).unwrap();
    assert_eq!(
        (v["signed"].as_u64(), v["timestamped"].as_u64()),
        (Some(3), Some(3)),
        "{v}"
    );
    assert_eq!(v["notes"], serde_json::json!([]), "{v}");

    // The stock tools directly, on the bundle's files.
    let manifest = bundle.join("manifest.json");
    assert!(ssh_verify(
        &bundle.join("allowed_signers"),
        "newsroom@example.org",
        &bundle.join("manifest.json.sig"),
        &manifest
    ));
    assert!(openssl_ts_verify(
        &ids[2],
        &bundle.join("manifest.json.tsr"),
        &tsa
    ));
    for parent in &ids[..2] {
        assert!(bundle
            .join("chain")
            .join(format!("{parent}.json"))
            .is_file());
    }

    // VERIFY.sh in a copy of the bundle: passes, then fails after a flip.
    let clean = dir.path().join("copy");
    copy_dir(&bundle, &clean);
    let (ok, said) = verify_sh(&clean);
    assert!(ok, "{said}");
    assert!(said.ends_with("VERIFIED: every check passed\n"), "{said}");
    assert!(!said.contains("FAIL"), "{said}");

    let m: Json = serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    let body = format!("objects/{}", m["body"]["sha256"].as_str().unwrap());
    let cases = [
        (body.as_str(), 500),
        ("manifest.json", 100),
        ("manifest.json.sig", 200),
        ("manifest.json.tsr", 400),
    ];
    for (name, at) in cases {
        let copy = dir.path().join(format!("flip-{}", name.replace('/', "_")));
        copy_dir(&bundle, &copy);
        flip(&copy.join(name), at);
        let (ok, said) = verify_sh(&copy);
        assert!(!ok, "{name}: {said}");
        assert!(
            said.contains("FAIL") && said.ends_with("NOT VERIFIED: see the FAIL lines above\n"),
            "{name}: {said}"
        );
    }
    // A parent manifest altered breaks the chain.
    let copy = dir.path().join("flip-chain");
    copy_dir(&bundle, &copy);
    flip(&copy.join("chain").join(format!("{}.json", ids[0])), 30);
    assert!(!verify_sh(&copy).0);

    // The bundle directory must be new.
    let out = stet(&store)
        .args(["prove", &ids[2], "--out"])
        .arg(&bundle)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an empty directory"));
}

#[test]
fn an_unsigned_snapshot_gets_no_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("snapshots");
    let id = snapshot(&store, &fixture("article-v1.html"), &[]);
    let out = stet(&store)
        .args(["prove", &id, "--out"])
        .arg(dir.path().join("proof"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not signed"), "{err}");
    assert!(!dir.path().join("proof").exists());
}

/// Runs that sign and timestamp, killed with SIGKILL at spread-out moments:
/// `verify` (trusting the key and the CA) finds no damage, only unsigned or
/// untimestamped snapshots where a run died between the manifest and its
/// evidence.
#[test]
fn sigkill_while_signing_and_timestamping_never_damages_the_store() {
    if !have_tools(&["openssl"]) {
        return;
    }
    let tsa = Tsa::start();
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("snapshots");
    let (key, allowed) = keygen(dir.path(), "a");
    let page = std::fs::read_to_string(fixture("article-v1.html")).unwrap();
    let ca = tsa.ca();
    let trust = [
        "--allowed-signers",
        allowed.to_str().unwrap(),
        "--tsa-ca",
        ca.to_str().unwrap(),
    ];
    let mut killed = 0;
    for round in 0..25u64 {
        let files: Vec<PathBuf> = (0..6)
            .map(|i| {
                let f = dir.path().join(format!("p{i}.html"));
                std::fs::write(&f, format!("{page}<!-- round {round} -->")).unwrap();
                f
            })
            .collect();
        let mut child = Process::new(env!("CARGO_BIN_EXE_stet"))
            .arg("--store")
            .arg(&store)
            .arg("snapshot")
            .args(&files)
            .arg("--key")
            .arg(&key)
            .args(["--tsa", &tsa.url])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // 0..1.2 s (a debug run of six pages takes about 1 s), spread over the rounds.
        std::thread::sleep(std::time::Duration::from_micros(
            (round * 79_193) % 1_200_000,
        ));
        if child.try_wait().unwrap().is_none() {
            let _ = child.kill();
            killed += 1;
        }
        let _ = child.wait();
    }
    let (code, v) = verify_json(&store, &trust);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["problems"], serde_json::json!([]), "{v}");
    for kind in kinds(&v, "notes") {
        assert!(
            [
                "unsigned",
                "untimestamped",
                "temporary_file",
                "unlisted_manifest",
                "no_history"
            ]
            .contains(&kind.as_str()),
            "{v}"
        );
    }
    assert!(v["signed"].as_u64() > Some(0), "{v}");
    eprintln!("{killed} of 25 runs killed mid-way; store intact");
}

/// Audit journal lines are signed too (namespace `stet-journal`): by
/// `audit --key`, and by `pin` with `[sign] key`; `verify` checks them.
/// `stet pin FILE` with a stet.toml (beside `store`, returned) whose
/// `[sign] key` is `key`.
fn signed_pin(store: &Path, key: &Path, file: &Path) -> PathBuf {
    let config = store.with_file_name("stet.toml");
    std::fs::write(
        &config,
        format!("[sign]\nkey = {:?}\n", key.to_str().unwrap()),
    )
    .unwrap();
    let out = stet(store)
        .arg("--config")
        .arg(&config)
        .arg("pin")
        .arg(file)
        .output()
        .unwrap();
    assert_ok(&out);
    config
}

#[test]
fn journal_lines_are_signed_and_checked() {
    let s = signed_store();
    let dir = s.dir.path();
    let key = dir.join("id_stet");
    let file = fixture("article-v1.html");
    let out = stet(&s.store)
        .args(["audit", "--no-links", "--key"])
        .arg(&key)
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.code() == Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let allowed = s.allowed.to_str().unwrap();
    let (code, v) = verify_json(&s.store, &["--allowed-signers", allowed]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(kinds(&v, "notes"), ["untimestamped"], "{v}");

    // A pin with [sign] key signs its journal line.
    signed_pin(&s.store, &key, &file);
    let (code, v) = verify_json(&s.store, &["--allowed-signers", allowed]);
    assert_eq!(
        (code, kinds(&v, "notes")),
        (0, vec!["untimestamped".to_string()]),
        "{v}"
    );

    // The journal deleted: the reference names a pin no journal holds,
    // and the signatures of its two lines sign nothing that is left.
    let journal = common::store_files(&s.store, "targets")
        .into_iter()
        .find(|p| p.ends_with("journal"))
        .unwrap();
    let kept = std::fs::read(&journal).unwrap();
    std::fs::remove_file(&journal).unwrap();
    let (code, v) = verify_json(&s.store, &["--allowed-signers", allowed]);
    assert_eq!(
        (code, kinds(&v, "problems")),
        (
            1,
            vec![
                "orphan_signature".to_string(),
                "orphan_signature".to_string(),
                "pin_not_in_journal".to_string()
            ]
        ),
        "{v}"
    );
    std::fs::write(&journal, kept).unwrap();

    // Swap the signatures of two journal lines: both are bad.
    let mut sigs: Vec<PathBuf> = common::store_files(&s.store, "signatures")
        .into_iter()
        .filter(|p| !p.ends_with(format!("{}.sig", s.id)))
        .collect();
    sigs.sort();
    assert_eq!(sigs.len(), 2, "{sigs:?}");
    let a = std::fs::read(&sigs[0]).unwrap();
    std::fs::copy(&sigs[1], &sigs[0]).unwrap();
    std::fs::write(&sigs[1], a).unwrap();
    let (code, v) = verify_json(&s.store, &["--allowed-signers", allowed]);
    assert_eq!(code, 1, "{v}");
    assert_eq!(
        kinds(&v, "problems"),
        ["bad_signature", "bad_signature"],
        "{v}"
    );

    // Without a key, a new line is unsigned: a note, damage when required.
    std::fs::remove_file(&sigs[0]).unwrap();
    std::fs::remove_file(&sigs[1]).unwrap();
    let (code, v) = verify_json(&s.store, &["--allowed-signers", allowed]);
    assert_eq!(code, 0, "{v}");
    assert!(
        kinds(&v, "notes").contains(&"unsigned_journal".to_string()),
        "{v}"
    );
    let (code, _) = verify_json(
        &s.store,
        &["--allowed-signers", allowed, "--require-signed"],
    );
    assert_eq!(code, 1);
}

/// The evidence records of an import report: (kind, outcome, detail).
fn evidence_outcomes(report: &Json) -> Vec<(String, String, String)> {
    report["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["evidence"].is_string())
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or_default().to_string();
            (s("evidence"), s("outcome"), s("detail"))
        })
        .collect()
}

#[test]
fn signatures_timestamps_and_signed_journal_lines_travel_with_the_warc() {
    if !have_tools(&["ssh-keygen", "openssl", "sh"]) {
        return;
    }
    let Some(warcio) = crate::warc::warcio() else {
        return;
    };
    let tsa = Tsa::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let store = d.join("snapshots");
    let (key, allowed) = keygen(d, "newsroom@example.org");
    let key = key.to_str().unwrap();
    let file = fixture("article-v1.html");
    let id = snapshot(&store, &file, &["--key", key, "--tsa", &tsa.url]);
    // A signed journal: an audit, and a pin with [sign] key.
    let out = stet(&store)
        .args(["audit", "--no-links", "--key", key])
        .arg(&file)
        .output()
        .unwrap();
    assert_ok(&out);
    let config = signed_pin(&store, Path::new(key), &file);
    let ca = tsa.ca();
    let trust = [
        "--allowed-signers",
        allowed.to_str().unwrap(),
        "--tsa-ca",
        ca.to_str().unwrap(),
        "--require-signed",
    ];
    let (code, source) = verify_json(&store, &trust);
    assert_eq!(code, 0, "{source}");

    let export = |from: &Path, sub: &str| {
        let warc = d.join(sub).join("store.warc.gz");
        std::fs::create_dir_all(warc.parent().unwrap()).unwrap();
        assert_ok(
            &stet(from)
                .args(["export", "--warc"])
                .arg(&warc)
                .output()
                .unwrap(),
        );
        warc
    };
    let warc = export(&store, "one");
    let checked = crate::warc::warcio_check(&warcio, &warc);
    assert_eq!(checked.matches("digest pass").count(), 7, "{checked}");
    let types: Vec<String> = crate::warc::plain_warc(&warc)
        .split(|&b| b == b'\n')
        .filter_map(|l| l.strip_prefix(b"Content-Type: application/"))
        .map(|t| String::from_utf8_lossy(t).trim().to_string())
        .collect();
    assert_eq!(
        types,
        [
            "warc-fields",
            "vnd.stet.snapshot+json",
            "vnd.stet.ssh-signature",
            "timestamp-reply",
            "vnd.stet.target+json",
            "vnd.stet.journal-signatures+json"
        ]
    );

    // Into an empty store: the same snapshot, signed and timestamped, its
    // journal lines signed; `verify --require-signed` as on the source.
    let restored = d.join("restored");
    let out = stet(&restored)
        .args(["--format", "json", "import", "--warc"])
        .arg(&warc)
        .output()
        .unwrap();
    assert_ok(&out);
    let report: Json = serde_json::from_slice(&out.stdout).unwrap();
    let outcomes = evidence_outcomes(&report);
    let short = &id[..12];
    assert_eq!(
        outcomes,
        [
            (
                "signature".to_string(),
                "restored".to_string(),
                format!("signature of snapshot {short}")
            ),
            (
                "timestamp".to_string(),
                "restored".to_string(),
                format!("timestamp of snapshot {short}")
            ),
            (
                "journal_signatures".to_string(),
                "restored".to_string(),
                format!(
                    "journal of {}: 2 line signatures restored, 0 already stored",
                    file.display()
                )
            ),
        ]
    );
    let (code, v) = verify_json(&restored, &trust);
    assert_eq!(code, 0, "{v}");
    assert_eq!(
        (&v["signed"], &v["timestamped"]),
        (&Json::from(1), &Json::from(1))
    );
    assert_eq!(v["notes"], source["notes"]);
    // The same bytes out again.
    assert_eq!(
        std::fs::read(&warc).unwrap(),
        std::fs::read(export(&restored, "two")).unwrap()
    );
    // `prove` works on the restored store, and its bundle checks.
    let bundle = d.join("proof");
    assert_ok(
        &stet(&restored)
            .arg("--config")
            .arg(&config)
            .args(["prove", &id, "--out"])
            .arg(&bundle)
            .output()
            .unwrap(),
    );
    let out = run(Process::new("sh")
        .arg(bundle.join("VERIFY.sh"))
        .env("TSA_CA", tsa.ca()));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    // A signature record that does not verify (the journal's pin line
    // signature, given as the snapshot's) is refused and never written.
    let sig = std::fs::read(signature_path(&store, &id)).unwrap();
    let plain = crate::warc::plain_warc(&warc);
    let text = String::from_utf8_lossy(&plain);
    let start = text.find("\"signatures\":{").unwrap();
    let armored = text[start..]
        .split("\"")
        .nth(5)
        .unwrap()
        .replace("\\n", "\n");
    assert!(
        armored.starts_with("-----BEGIN SSH SIGNATURE-----"),
        "{armored}"
    );
    let uri = format!("urn:stet:snapshot:{id}");
    let mut forged = plain.clone();
    forged.extend(crate::warc::warc_record(
        "metadata",
        "forged",
        &[
            ("WARC-Target-URI", &uri),
            ("WARC-Date", "2026-01-01T00:00:00Z"),
            ("Content-Type", "application/vnd.stet.ssh-signature"),
        ],
        armored.as_bytes(),
    ));
    let forged_file = d.join("forged.warc");
    std::fs::write(&forged_file, forged).unwrap();
    let other = d.join("other");
    let out = stet(&other)
        .args(["import", "--warc"])
        .arg(&forged_file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "a record refused");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains(&format!(
            "refused  {} record <urn:test:forged> at byte",
            forged_file.display()
        )) && said.contains(&format!(
            "the signature of snapshot {short} does not verify (signed for namespace \
             `stet-journal`, not `stet-snapshot`): not kept"
        )) && said.contains(
            "signatures and timestamps: 3 restored, 0 already stored, 0 of what the store \
             does not hold, 1 refused"
        ),
        "{said}"
    );
    assert_eq!(std::fs::read(signature_path(&other, &id)).unwrap(), sig);
}
