//! `stet export` and `stet import` output.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use super::sanitize::line;
use super::short_id;
use crate::model::SCHEMA_VERSION;
use crate::warc::export::Exported;
use crate::warc::import::{FileSummary, ImportReport, RecordOutcome};

/// What an export wrote.
#[derive(Debug, Clone, Serialize)]
pub struct ExportSummary {
    pub schema_version: u32,
    pub file: String,
    /// `warc` or `wacz`.
    pub format: String,
    pub snapshots: usize,
    pub responses: usize,
    pub revisits: usize,
    pub resources: usize,
    /// Bytes of the WARC (compressed).
    pub warc_bytes: u64,
}

impl ExportSummary {
    pub fn of(path: &Path, format: &str, e: &Exported) -> Self {
        ExportSummary {
            schema_version: SCHEMA_VERSION,
            file: path.display().to_string(),
            format: format.to_string(),
            snapshots: e.snapshots,
            responses: e.count("response"),
            revisits: e.count("revisit"),
            resources: e.count("resource"),
            warc_bytes: e.bytes,
        }
    }
}

pub fn export_text(s: &ExportSummary) -> String {
    format!(
        "wrote {} ({}): {} snapshots as {} responses, {} revisits, {} resources\n",
        line(&s.file),
        s.format,
        s.snapshots,
        s.responses,
        s.revisits,
        s.resources
    )
}

/// `stet import --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct ImportJson<'a> {
    pub schema_version: u32,
    pub files: &'a [FileSummary],
    pub records: &'a [RecordOutcome],
}

impl<'a> ImportJson<'a> {
    pub fn of(report: &'a ImportReport) -> Self {
        ImportJson {
            schema_version: SCHEMA_VERSION,
            files: &report.files,
            records: &report.records,
        }
    }
}

/// One line per stored or refused record, skips counted by reason, and a
/// line per file.
pub fn import_text(report: &ImportReport, quiet: bool) -> String {
    let mut out = String::new();
    for r in &report.records {
        let uri = r.uri.as_deref().map(line).unwrap_or_default();
        match r.outcome.as_str() {
            "new" | "restored" if !quiet => {
                let _ = writeln!(
                    out,
                    "{:<9}{}  {}",
                    r.outcome,
                    short_id(r.snapshot.as_deref().unwrap_or_default()),
                    uri
                );
            }
            "refused" => {
                let _ = writeln!(
                    out,
                    "refused  {} record {} at byte {} ({}): {}",
                    line(&r.file),
                    line(&r.record_id),
                    r.offset,
                    uri,
                    line(r.detail.as_deref().unwrap_or_default())
                );
            }
            _ => {}
        }
    }
    if quiet {
        return out;
    }
    for f in &report.files {
        let mine: Vec<&RecordOutcome> =
            report.records.iter().filter(|r| r.file == f.file).collect();
        let count = |o: &str| mine.iter().filter(|r| r.outcome == o).count();
        let _ = writeln!(
            out,
            "{} (sha256 {}): {} records; {} new, {} restored, {} already stored, {} skipped, {} refused",
            line(&f.file),
            short_id(&f.sha256),
            f.records,
            count("new"),
            count("restored"),
            count("present"),
            count("skipped"),
            count("refused")
        );
        let mut why: BTreeMap<&str, usize> = BTreeMap::new();
        for r in mine.iter().filter(|r| r.outcome == "skipped") {
            *why.entry(r.detail.as_deref().unwrap_or_default())
                .or_default() += 1;
        }
        for (reason, n) in why {
            let _ = writeln!(out, "  skipped {n}: {}", line(reason));
        }
    }
    out
}
