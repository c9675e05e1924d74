//! `stet audit` writes each target's report as it is done: the streamed
//! output of every format is byte for byte the report rendered whole, on
//! a real audit of several targets (edits, a dead link, a dead target,
//! targets in error), and two runs print the same bytes.

use crate::common;

use std::path::Path;

use clap::Parser;
use common::server::{Reply, TestServer};
use common::{fixture, stet};
use stet::config::{Command, Config, Format};
use stet::model::AuditReport;
use stet::report::audit_stream::AuditStream;
use stet::report::{render, Look, Render};

/// Every format `stet audit` prints.
const FORMATS: &[Format] = <AuditReport as Render>::FORMATS;

fn read(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).expect("fixture")
}

fn page(body: &str) -> String {
    format!(
        "<html><head><title>Page</title></head><body><article><h1>A page</h1>{body}</article></body></html>"
    )
}

fn paragraph(words: &str) -> String {
    format!("<p>{words}, and the paragraph goes on long enough to be read as the text of an article.</p>")
}

/// A `stet.toml` of six targets: one to be edited, one with a dead link,
/// one to answer 500, one clean, one to be gone (404), and a missing file.
fn setup(server: &TestServer, dir: &Path) -> std::path::PathBuf {
    server.route("/edited", Reply::ok(read("article-v1.html")));
    let links = page(&format!(
        "{}{}",
        paragraph(&format!(
            "It cites <a href=\"{}\">a living source</a>",
            server.url("/alive")
        )),
        paragraph(&format!(
            "And <a href=\"{}\">a source that is gone</a>",
            server.url("/gone")
        ))
    ));
    server.route("/links", Reply::ok(links));
    server.route("/alive", Reply::ok("<p>here</p>"));
    server.route("/gone", Reply::status(410, "gone"));
    let clean = page(&paragraph("Nothing changes here"));
    server.route("/breaks", Reply::ok(clean.clone()));
    server.route("/clean", Reply::ok(clean.clone()));
    server.route("/dies", Reply::ok(clean));
    let missing = dir.join("missing.html");
    let mut toml = String::from("[defaults]\nstore = \"store\"\n");
    for (name, url) in [
        ("edited", server.url("/edited")),
        ("links", server.url("/links")),
        ("breaks", server.url("/breaks")),
        ("clean", server.url("/clean")),
        ("dies", server.url("/dies")),
    ] {
        toml.push_str(&format!("[[target]]\nname = \"{name}\"\nurl = \"{url}\"\n"));
        // The fixture links to hosts far away: its links are not checked.
        if name == "edited" {
            toml.push_str("links = false\n");
        }
    }
    toml.push_str(&format!(
        "[[target]]\nname = \"missing\"\npath = \"{}\"\n",
        missing.display()
    ));
    let config = dir.join("stet.toml");
    std::fs::write(&config, toml).expect("write stet.toml");
    config
}

/// Audit with `args` through the library: each format streamed as the
/// targets come, and the targets kept for the report rendered whole.
fn audit_both_ways(config: &Path, args: &[&str], look: Look) -> Vec<(Format, Vec<u8>, Vec<u8>)> {
    let config_arg = config.to_string_lossy().into_owned();
    let store = config
        .with_file_name("store")
        .to_string_lossy()
        .into_owned();
    let mut argv = vec!["stet", "--config", &config_arg, "--store", &store];
    argv.extend_from_slice(args);
    let cli = stet::cli::Cli::try_parse_from(argv).expect("arguments");
    let config = Config::from_cli(cli).expect("config");
    let Command::Audit {
        targets, options, ..
    } = &config.command
    else {
        panic!("not an audit");
    };
    let mut held = stet::pipeline::audit_head(options);
    let none = |_: &str| None;
    let mut streams: Vec<AuditStream<Vec<u8>>> = FORMATS
        .iter()
        .map(|f| AuditStream::new(held.head(), *f, look, &none, Vec::new()).expect("start"))
        .collect();
    stet::pipeline::audit(&config.store, targets, options, &mut || {}, &mut |t| {
        for s in &mut streams {
            s.target(&t).expect("render");
        }
        held.targets.push(t);
    })
    .expect("audit");
    FORMATS
        .iter()
        .zip(streams)
        .map(|(format, stream)| {
            let (tally, streamed) = stream.finish().expect("finish");
            assert_eq!(tally, held.tally());
            let mut whole = Vec::new();
            render(&held, *format, look, &mut whole).expect("render");
            (*format, streamed, whole)
        })
        .collect()
}

fn assert_same(runs: &[(Format, Vec<u8>, Vec<u8>)]) {
    for (format, streamed, whole) in runs {
        assert!(!whole.is_empty(), "{format:?} printed nothing");
        assert_eq!(
            String::from_utf8_lossy(streamed),
            String::from_utf8_lossy(whole),
            "{format:?}: streamed output differs from the whole report"
        );
    }
}

#[test]
fn the_streamed_report_is_the_whole_report_in_every_format() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let config = setup(&server, dir.path());
    let config_arg = config.to_string_lossy().into_owned();
    let store = dir.path().join("store");
    // The first fetch of each target: the references.
    let first = stet(&store)
        .args(["--config", &config_arg, "audit", "--quiet"])
        .output()
        .expect("run stet");
    assert_eq!(first.status.code(), Some(2), "{first:?}");
    server.route("/edited", Reply::ok(read("article-v3-edited.html")));
    server.route("/breaks", Reply::status(500, "down"));
    server.route("/dies", Reply::status(404, "gone"));

    let runs = audit_both_ways(&config, &["audit"], Look::default());
    assert_same(&runs);
    let json = &runs[1].2;
    let report: serde_json::Value = serde_json::from_slice(json).expect("one JSON document");
    let verdicts: Vec<&str> = report["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .map(|t| t["verdict"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        verdicts,
        ["fail", "fail", "error", "clean", "fail", "error"],
        "{report}"
    );
    let kinds = |i: usize| -> Vec<String> {
        report["targets"][i]["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| f["kind"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert!(kinds(0).iter().any(|k| k == "edit"), "{report}");
    assert_eq!(kinds(1), ["dead_link"], "{report}");
    assert_eq!(kinds(4), ["target_dead"], "{report}");

    // Offline, quiet, and with `--new`: the same, every way.
    assert_same(&audit_both_ways(
        &config,
        &["--offline", "audit"],
        Look {
            color: true,
            quiet: true,
        },
    ));
    assert_same(&audit_both_ways(
        &config,
        &["--offline", "audit", "--new"],
        Look::default(),
    ));

    // Two runs of the binary print the same bytes.
    for format in ["text", "json", "html", "junit", "github", "markdown"] {
        let run = || {
            stet(&store)
                .args([
                    "--config",
                    &config_arg,
                    "--offline",
                    "audit",
                    "--format",
                    format,
                ])
                .output()
                .expect("run stet")
        };
        let (a, b) = (run(), run());
        assert_eq!(a.status.code(), Some(2), "{format}: {a:?}");
        assert!(!a.stdout.is_empty(), "{format}");
        assert_eq!(a.stdout, b.stdout, "{format}");
    }
}
