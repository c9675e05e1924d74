//! The HTML reports in a real browser: headless Chromium (Debian's
//! `chromium`, which `.ci/run` installs) renders the diff and audit pages;
//! markup in article text shows as text and nothing runs.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::stet;

/// Looked up on `PATH` (Debian installs `/usr/bin/chromium`).
const CHROMIUM: &str = "chromium";

fn page(hostile: &str) -> String {
    format!(
        "<html><head><title>Report test</title><script>document.title='PWNED-HEAD'</script></head>\
         <body><article><h1>Report test</h1>\
         <p>The first paragraph is long enough to count as the text of an article, with several words.</p>\
         <p>Quoted markup {hostile} stays text, and the sentence goes on for a while after it.</p>\
         <p>A <a href=\"javascript:document.title='PWNED-LINK'\">javascript link</a> in a paragraph that is long enough.</p>\
         </article></body></html>"
    )
}

/// Run Chromium headless on `file` with `args`, killed after 60 s.
fn chromium(file: &Path, profile: &Path, args: &[String]) -> String {
    let mut child = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=2000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", file.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    // Read stdout while waiting: a DOM larger than the pipe buffer would
    // otherwise block Chromium until the timeout.
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stdout, &mut buf);
        buf
    });
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("chromium did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    String::from_utf8_lossy(&reader.join().expect("stdout reader")).into_owned()
}

/// The text a reader sees: the serialized DOM without its tags, entities
/// decoded (in a serialized DOM every `<` of text is `&lt;`, so stripping
/// `<...>` removes only elements).
fn visible_text(dom: &str) -> String {
    let body = dom.split("<body").nth(1).unwrap_or(dom);
    let text = regex::Regex::new(r"<[^>]*>")
        .expect("regex")
        .replace_all(body, "");
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

fn check(report: &Path, dir: &Path, name: &str) {
    let dom = chromium(
        report,
        &dir.join(format!("profile-{name}")),
        &["--dump-dom".to_string()],
    );
    assert!(dom.contains("<body"), "{name}: no DOM: {dom}");
    // The page text mentions PWNED (as text); a script that ran would have
    // put it in the title.
    let title = dom
        .split("<title>")
        .nth(1)
        .and_then(|t| t.split("</title>").next())
        .unwrap_or_default();
    assert!(
        !title.is_empty() && !title.contains("PWNED"),
        "{name}: title {title:?}"
    );
    assert!(
        !dom.to_lowercase().contains("<script"),
        "{name}: a script element"
    );
    assert!(
        !dom.to_lowercase().contains("<img"),
        "{name}: an img element"
    );
    let handler = regex::Regex::new(r"<[a-zA-Z][^<>]*\son[a-z]+\s*=").expect("regex");
    assert!(
        !handler.is_match(&dom),
        "{name}: an element with an event handler attribute"
    );
    assert!(
        !dom.contains("href=\"javascript:"),
        "{name}: a javascript: link"
    );
    assert!(
        dom.contains("Content-Security-Policy")
            && dom.contains("default-src 'none'; style-src 'unsafe-inline'; img-src data:"),
        "{name}: no CSP meta tag"
    );
    // Both hostile strings read as text, whole (the diff may wrap parts of
    // them in <del>/<ins>, which the visible text ignores).
    let text = visible_text(&dom);
    for shown in [
        "<script>document.title='PWNED'</script>",
        "<img src=x onerror=\"document.title='PWNED'\">",
    ] {
        assert!(
            text.contains(shown),
            "{name}: {shown:?} is not shown as text in: {text}"
        );
    }
    let png: PathBuf = dir.join(format!("{name}.png"));
    chromium(
        report,
        &dir.join(format!("profile-{name}-shot")),
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1200,900".to_string(),
        ],
    );
    let size = std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
    assert!(size > 5_000, "{name}: screenshot of {size} bytes");
}

#[test]
fn html_reports_render_and_run_nothing() {
    if common::program(CHROMIUM, ".ci/run installs Debian's chromium package").is_none() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("a.html");
    let b = dir.path().join("b.html");
    std::fs::write(
        &a,
        page("&lt;script&gt;document.title='PWNED'&lt;/script&gt;"),
    )
    .expect("write");
    std::fs::write(
        &b,
        page("&lt;img src=x onerror=\"document.title='PWNED'\"&gt;"),
    )
    .expect("write");
    let store = dir.path().join("s");
    let (a, b) = (
        a.to_string_lossy().into_owned(),
        b.to_string_lossy().into_owned(),
    );

    let out = stet(&store)
        .args(["diff", "--format", "html", &a, &b])
        .output()
        .expect("stet diff");
    assert_eq!(out.status.code(), Some(1));
    let diff = dir.path().join("diff.html");
    std::fs::write(&diff, &out.stdout).expect("write");
    check(&diff, dir.path(), "diff");

    for f in [&a, &b] {
        let out = stet(&store)
            .args(["snapshot", "--as", "https://example.org/a", f])
            .output()
            .expect("stet snapshot");
        assert!(out.status.success());
    }
    let out = stet(&store)
        .args([
            "--offline",
            "audit",
            "--format",
            "html",
            "https://example.org/a",
        ])
        .output()
        .expect("stet audit");
    let audit = dir.path().join("audit.html");
    std::fs::write(&audit, &out.stdout).expect("write");
    check(&audit, dir.path(), "audit");
    if let Ok(keep) = std::env::var("STET_KEEP_SCREENSHOTS") {
        for name in ["diff", "audit"] {
            let _ = std::fs::copy(
                dir.path().join(format!("{name}.png")),
                Path::new(&keep).join(format!("{name}.png")),
            );
        }
    }
}

#[test]
fn history_page_renders_and_runs_nothing() {
    if common::program(CHROMIUM, ".ci/run installs Debian's chromium package").is_none() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let versions = [
        page("&lt;script&gt;document.title='PWNED'&lt;/script&gt;"),
        page("&lt;img src=x onerror=\"document.title='PWNED'\"&gt;"),
        page("&lt;img src=x onerror=\"document.title='PWNED'\"&gt;").replace(
            "</article>",
            "<p><em>Correction, Nov. 3, 2026: An earlier version of this article misquoted the markup.</em></p></article>",
        ),
    ];
    let store = dir.path().join("s");
    for (i, html) in versions.iter().enumerate() {
        let file = dir.path().join(format!("v{}.html", i + 1));
        std::fs::write(&file, html).expect("write");
        let out = stet(&store)
            .args(["snapshot", "--as", "https://example.org/a"])
            .arg(&file)
            .output()
            .expect("stet snapshot");
        assert!(out.status.success());
    }
    let out = stet(&store)
        .args(["log", "https://example.org/a", "--format", "html"])
        .output()
        .expect("stet log");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = String::from_utf8(out.stdout).expect("utf-8");
    let history = dir.path().join("history.html");
    std::fs::write(&history, &html).expect("write");
    check(&history, dir.path(), "history");
    let dom = chromium(
        &history,
        &dir.path().join("profile-history-text"),
        &["--dump-dom".to_string()],
    );
    let text = visible_text(&dom);
    for shown in [
        "History of https://example.org/a",
        "3 versions · reference v1",
        "v1 → v2",
        "v2 → v3",
        "Latest against the reference: v1 → v3",
        "correction added",
        "2026-11-03",
        "Correction, Nov. 3, 2026: An earlier version of this article misquoted the markup.",
        "Acknowledgements",
    ] {
        assert!(text.contains(shown), "{shown:?} is not on the page: {text}");
    }
    // The correction is a finding against the reference, and fails.
    assert!(
        html.contains("<tr class=\"fails\"><td>correction (added)</td>"),
        "{html}"
    );
    if let Ok(keep) = std::env::var("STET_KEEP_SCREENSHOTS") {
        let _ = std::fs::copy(
            dir.path().join("history.png"),
            Path::new(&keep).join("history.png"),
        );
    }
}
