use std::io::{BufWriter, Read, Seek};

use super::{format_of, Output};
use crate::config::{AuditOptions, AuditTarget, Config, Format};
use crate::error::{exit, Error, ExitStatus};
use crate::model::AuditReport;
use crate::report::audit_stream::AuditStream;
use crate::{pipeline, report};

pub(super) fn run(
    config: &Config,
    out: &Output,
    targets: &[AuditTarget],
    options: &AuditOptions,
    webhook: Option<&str>,
) -> Result<u8, Error> {
    let format = format_of::<AuditReport>(config, "audit")?;
    // Each target ticks once when fetched (online) and once when audited.
    let steps = if options.offline {
        targets.len()
    } else {
        2 * targets.len()
    };
    let progress = report::progress::Progress::new(steps, "steps", out.look.quiet);
    let head = pipeline::audit_head(options);
    // Annotations point at the lines of local files.
    let source = |target: &str| match format {
        Format::Github => pipeline::local_source(target),
        _ => None,
    };
    let stdout = BufWriter::new(std::io::stdout().lock());
    let mut printed =
        AuditStream::new(head.clone(), format, out.look, &source, stdout).map_err(Error::Output)?;
    // The webhook is sent the JSON report: kept in a temporary file.
    let mut posted = match webhook {
        Some(_) => Some(
            // The whole report, quiet or not.
            AuditStream::new(
                head,
                Format::Json,
                report::Look {
                    quiet: false,
                    ..out.look
                },
                &|_| None,
                spool()?,
            )
            .map_err(Error::Output)?,
        ),
        None => None,
    };
    // A failed write stops the output, not the audit: every journal is
    // still recorded.
    let mut failed: Option<std::io::Error> = None;
    let mut delivered = 0usize;
    let audited = pipeline::audit(
        &config.store,
        targets,
        options,
        &mut || progress.inc(),
        &mut |audit| {
            delivered += 1;
            if failed.is_none() {
                if let Err(e) = progress.suspend(|| printed.target(&audit)) {
                    failed = Some(e);
                }
            }
            if let Some(json) = &mut posted {
                if let Err(e) = json.target(&audit) {
                    failed.get_or_insert(e);
                }
            }
        },
    );
    drop(progress);
    if let Some(e) = failed {
        return Err(Error::Output(e));
    }
    // A store lost mid-run (journals not written): the report of what was
    // audited is finished and printed all the same, then the error. One
    // that failed before any target (the lock, no store) prints no report.
    let audited = match (audited, delivered) {
        (Err(e), 0) => return Err(e),
        (audited, _) => audited,
    };
    let (tally, _) = printed.finish().map_err(Error::Output)?;
    audited?;
    let mut code = tally.exit_code();
    if let (Some(url), Some(json), true) = (webhook, posted, tally.has_findings()) {
        let body = json
            .finish()
            .and_then(|(_, file)| read_back(file))
            .map_err(Error::Output)?;
        // A webhook that could not be posted to is an error.
        if let Err(e) = pipeline::post_webhook(url, body, &options.snapshot.fetch) {
            report::error_line(&format!("webhook: {e}"), None);
            code = exit::ERROR;
        }
    }
    Ok(code)
}

/// An anonymous temporary file for the webhook's report.
fn spool() -> Result<BufWriter<std::fs::File>, Error> {
    tempfile::tempfile()
        .map(BufWriter::new)
        .map_err(Error::Output)
}

/// The bytes written to `file`.
fn read_back(file: BufWriter<std::fs::File>) -> std::io::Result<Vec<u8>> {
    let mut file = file
        .into_inner()
        .map_err(std::io::IntoInnerError::into_error)?;
    file.rewind()?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}
