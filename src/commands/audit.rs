use super::{format_of, Output};
use crate::audit::{self, AuditOptions, AuditReport, AuditTarget, Verdict};
use crate::config::{Config, Format};
use crate::diff::diff_documents;
use crate::error::{exit, Error};
use crate::report::{self, DiffReport};
use crate::store::Store;

pub(super) fn run(
    config: &Config,
    out: &Output,
    targets: &[AuditTarget],
    options: &AuditOptions,
    webhook: Option<&str>,
) -> Result<u8, Error> {
    let format = format_of(
        config,
        &[
            Format::Text,
            Format::Json,
            Format::Html,
            Format::Junit,
            Format::Github,
            Format::Markdown,
        ],
        "audit",
    )?;
    let store = if options.offline {
        Store::open(&config.store)?
    } else {
        Store::open_or_create(&config.store)?
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(Error::Runtime)?;
    // Each target ticks once when fetched (online) and once when audited.
    let steps = if options.offline {
        targets.len()
    } else {
        2 * targets.len()
    };
    let progress = report::progress::Progress::new(steps, "steps", out.quiet);
    let report = runtime
        .block_on(audit::run(&store, targets, options, &mut || progress.inc()))
        .map_err(|e| match e {
            audit::AuditError::Store(e) => Error::Store(e),
            audit::AuditError::Snapshot(e) => e.into(),
        })?;
    drop(progress);
    let text = match format {
        Format::Json => report::audit::json(&report),
        Format::Html => report::audit::html(&report, &diff_reports(&store, &report)),
        Format::Junit => report::ci::junit(&report),
        Format::Markdown => report::ci::markdown(&report),
        Format::Github => report::ci::github(&report, &|target| {
            // Only local files have lines to point at.
            let path = std::path::Path::new(target);
            (!target.contains("://"))
                .then(|| std::fs::read_to_string(path).ok())
                .flatten()
        }),
        // `format_of` admitted only the formats above and text.
        _ => report::audit::text(&report, out.color, out.quiet),
    };
    out.print(&text)?;
    let has_findings = report
        .targets
        .iter()
        .any(|t| !t.findings.is_empty() || t.error.is_some());
    if let (Some(url), true) = (webhook, has_findings) {
        let body = report::audit::json(&report).into_bytes();
        let posted = runtime.block_on(crate::fetch::webhook::post_json(
            url,
            body,
            &options.snapshot.fetch,
        ));
        if let Err(e) = posted {
            // The report is printed already: a failed post loses nothing.
            eprintln!(
                "stet: error: webhook: {}",
                report::sanitize::line(&e.to_string())
            );
            return Ok(exit::ERROR);
        }
    }
    Ok(match report.outcome() {
        Verdict::Error => exit::ERROR,
        Verdict::Fail => exit::FINDINGS,
        _ => exit::OK,
    })
}

/// The reference-to-current diff of each target with text edits, for the
/// HTML page.
fn diff_reports(store: &Store, report: &AuditReport) -> Vec<Option<DiffReport>> {
    report
        .targets
        .iter()
        .map(|t| {
            let (reference, current) = (t.reference.as_ref()?, t.current.as_ref()?);
            if reference.document_sha256 == current.document_sha256 {
                return None;
            }
            let old_m = store.manifest(&reference.id).ok()?;
            let new_m = store.manifest(&current.id).ok()?;
            let old_doc = store.document(&old_m).ok()?;
            let new_doc = store.document(&new_m).ok()?;
            let diff = diff_documents(&old_doc, &new_doc, &Default::default());
            Some(DiffReport {
                old: super::diff::side_of("reference", &reference.id, &old_m),
                new: super::diff::side_of("current", &current.id, &new_m),
                old_doc,
                new_doc,
                diff,
                strict: false,
            })
        })
        .collect()
}
