//! `stet audit` output written as the audit goes: each target is rendered
//! when it is done, then dropped; only the counts of the targets
//! ([`AuditTally`]) are kept for the summary. The bytes are those of the
//! whole-report renderers in [`super::audit`] and [`super::ci`], which are
//! made of the same pieces.
//!
//! A format whose start holds the summary (text, HTML, JUnit, Markdown)
//! keeps its targets in an anonymous temporary file until the last is
//! done; JSON, GitHub annotations and quiet text go out at once.

use std::fs::File;
use std::io::{self, BufWriter, Seek, Write};

use super::{audit, ci, Look};
use crate::model::{AuditReport, AuditTally, Format, TargetAudit};

/// The renderer of one streamed audit report, writing to `W`.
pub struct AuditStream<'a, W: Write> {
    head: AuditReport,
    format: Format,
    look: Look,
    source: &'a dyn Fn(&str) -> Option<String>,
    tally: AuditTally,
    /// No target was written (or shown, in quiet text) yet.
    first: bool,
    /// The targets, until the summary can be written.
    spool: Option<BufWriter<File>>,
    out: W,
}

impl<'a, W: Write> AuditStream<'a, W> {
    /// Start the report of `head` (a report's settings and versions; its
    /// targets are not read) in `format` (`github`: `source` gives a local
    /// target's file, for annotation lines).
    pub fn new(
        head: AuditReport,
        format: Format,
        look: Look,
        source: &'a dyn Fn(&str) -> Option<String>,
        out: W,
    ) -> io::Result<Self> {
        let summary_first = match format {
            Format::Json | Format::Github => false,
            Format::Html | Format::Junit | Format::Markdown => true,
            _ => !look.quiet,
        };
        // Nothing is written before the first target: a run that stops
        // before any (no store, say) leaves no half a report on stdout.
        let spool = if summary_first {
            Some(BufWriter::new(tempfile::tempfile()?))
        } else {
            None
        };
        Ok(AuditStream {
            head,
            format,
            look,
            source,
            tally: AuditTally::default(),
            first: true,
            spool,
            out,
        })
    }

    /// The counts of the targets written so far.
    pub fn tally(&self) -> &AuditTally {
        &self.tally
    }

    /// Render the next target. Quiet, every format shows only the targets
    /// that fail or err (with `--new`: newly), as quiet text does.
    pub fn target(&mut self, t: &TargetAudit) -> io::Result<()> {
        self.tally.add(self.head.new, t);
        let r = &self.head;
        if self.look.quiet && !r.alerts(t) {
            return Ok(());
        }
        let text = match self.format {
            Format::Json if self.first => audit::json_ends(r).0 + &audit::json_target(t, true),
            Format::Json => audit::json_target(t, false),
            Format::Html => audit::html_target(t),
            Format::Junit => ci::junit_target(r, t),
            Format::Markdown => ci::markdown_target(r, t),
            Format::Github => ci::github_target(t, self.source),
            // Quiet text: `first` stays set until a target is shown.
            _ => {
                let mut first = self.first;
                let text = audit::text_target(r, t, self.look.color, self.look.quiet, &mut first);
                self.first = first;
                return self.write(&text);
            }
        };
        self.first = false;
        self.write(&text)
    }

    fn write(&mut self, text: &str) -> io::Result<()> {
        match &mut self.spool {
            Some(spool) => spool.write_all(text.as_bytes()),
            None => self.out.write_all(text.as_bytes()),
        }
    }

    /// Write the rest of the report; the counts of its targets, and the
    /// writer.
    pub fn finish(mut self) -> io::Result<(AuditTally, W)> {
        let (r, tally, look) = (&self.head, &self.tally, self.look);
        let (start, end) = match self.format {
            Format::Json => {
                let (open, close) = audit::json_ends(r);
                (
                    String::new(),
                    if self.first { open + &close } else { close },
                )
            }
            Format::Html => (
                audit::html_head(r, tally),
                super::html::PAGE_END.to_string(),
            ),
            Format::Junit => (ci::junit_head(r, tally), ci::JUNIT_END.to_string()),
            Format::Markdown => (ci::markdown_head(r, tally), ci::markdown_foot(r)),
            Format::Github => (String::new(), String::new()),
            _ => (
                audit::text_head(r, tally, look.color, look.quiet),
                String::new(),
            ),
        };
        if let Some(spool) = self.spool.take() {
            let mut file = spool.into_inner().map_err(io::IntoInnerError::into_error)?;
            self.out.write_all(start.as_bytes())?;
            file.rewind()?;
            io::copy(&mut file, &mut self.out)?;
        }
        self.out.write_all(end.as_bytes())?;
        self.out.flush()?;
        Ok((self.tally, self.out))
    }
}
