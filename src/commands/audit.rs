use super::{format_of, Output};
use crate::config::{AuditOptions, AuditTarget, Config, Format};
use crate::error::{Error, ExitStatus};
use crate::model::AuditReport;
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
    let mut report = pipeline::audit(&config.store, targets, options, &mut || progress.inc())?;
    drop(progress);
    match format {
        // Annotations point at the lines of local files.
        Format::Github => out.print(&report::ci::github(&report, &pipeline::local_source))?,
        _ => out.stream(|w| report::render(&report, format, out.look, w))?,
    }
    if let (Some(url), true) = (webhook, report.has_findings()) {
        if let Err(e) = pipeline::post_webhook(url, &report, &options.snapshot.fetch) {
            let message = format!("webhook: {e}");
            report::error_line(&message, None);
            report.webhook_error = Some(message);
        }
    }
    Ok(report.exit_code())
}
