//! `stet export` and `stet import` output.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::render::{Look, Render};
use super::sanitize::line;
use super::{json_line, short_id};
use crate::model::{ExportSummary, Format, ImportReport, RecordOutcome, TimeMap};

impl Render for ExportSummary {
    const FORMATS: &'static [Format] = &[Format::Text, Format::Json];

    fn render(&self, format: Format, look: Look, w: &mut dyn Write) -> io::Result<()> {
        let text = match format {
            Format::Json => json_line(self),
            _ if look.quiet => String::new(),
            _ => export_text(self),
        };
        w.write_all(text.as_bytes())
    }
}

impl Render for ImportReport {
    const FORMATS: &'static [Format] = &[Format::Text, Format::Json];

    fn render(&self, format: Format, look: Look, w: &mut dyn Write) -> io::Result<()> {
        let text = match format {
            Format::Json => json_line(self),
            _ => import_text(self, look.quiet),
        };
        w.write_all(text.as_bytes())
    }
}

impl Render for TimeMap {
    const FORMATS: &'static [Format] = &[Format::Timemap];

    fn render(&self, _: Format, _: Look, w: &mut dyn Write) -> io::Result<()> {
        w.write_all(super::timemap::render(self).as_bytes())
    }
}

pub fn export_text(s: &ExportSummary) -> String {
    let states = match s.states {
        0 => String::new(),
        n => format!("; the journals and pins of {n} targets"),
    };
    format!(
        "wrote {} ({}): {} snapshots as {} responses, {} revisits, {} resources{states}\n",
        line(&s.file),
        s.format,
        s.snapshots,
        s.responses,
        s.revisits,
        s.resources
    )
}

/// One line per stored or refused record, skips counted by reason, and a
/// line per file.
pub fn import_text(report: &ImportReport, quiet: bool) -> String {
    let mut out = String::new();
    for r in &report.records {
        let uri = r.uri.as_deref().map(line).unwrap_or_default();
        match r.outcome.as_str() {
            "restored" | "merged"
                if !quiet && r.record_type == "metadata" && r.evidence.is_none() =>
            {
                let _ = writeln!(
                    out,
                    "{:<9}journal of {}: {}",
                    r.outcome,
                    uri,
                    line(r.detail.as_deref().unwrap_or_default())
                );
            }
            "new" | "restored" if !quiet && r.evidence.is_none() => {
                let _ = writeln!(
                    out,
                    "{:<9}{}  {}",
                    r.outcome,
                    short_id(r.snapshot.as_deref().unwrap_or_default()),
                    uri
                );
                if let Some(detail) = &r.detail {
                    let _ = writeln!(out, "         note: {}", line(detail));
                }
            }
            "refused" => {
                let _ = writeln!(
                    out,
                    "refused  {} record {}at byte {} ({}): {}",
                    line(&r.file),
                    super::manifest::spaced(&line(&r.record_id)),
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
        let (evidence, records): (Vec<&RecordOutcome>, Vec<&RecordOutcome>) = report
            .records
            .iter()
            .filter(|r| r.file == f.file)
            .partition(|r| r.evidence.is_some());
        let (states, mine): (Vec<&RecordOutcome>, Vec<&RecordOutcome>) = records
            .into_iter()
            .partition(|r| r.record_type == "metadata");
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
        if !states.is_empty() {
            let count = |o: &str| states.iter().filter(|r| r.outcome == o).count();
            let _ = writeln!(
                out,
                "  journals and pins of {} targets: {} restored, {} merged, {} already stored, {} refused",
                states.len(),
                count("restored"),
                count("merged"),
                count("present"),
                count("refused")
            );
        }
        if !evidence.is_empty() {
            let count = |o: &str| evidence.iter().filter(|r| r.outcome == o).count();
            let _ = writeln!(
                out,
                "  signatures and timestamps: {} restored, {} already stored, {} of what the store does not hold, {} refused",
                count("restored"),
                count("present"),
                count("skipped"),
                count("refused")
            );
        }
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
