use super::{formats, Output};
use crate::config::{Config, Format, SnapshotOptions};
use crate::error::{Error, ExitStatus};
use crate::model::{ExtractSettings, Outcome, SnapshotRow};
use crate::{pipeline, report};

/// Rows are printed as each source is stored.
pub(super) fn run(
    config: &Config,
    out: &Output,
    sources: &[String],
    as_target: Option<&str>,
    extract: Option<&ExtractSettings>,
    options: &SnapshotOptions,
) -> Result<u8, Error> {
    let format = formats(config, &[Format::Text, Format::Json], "snapshot")?;
    let mut rows = 0usize;
    let mut print_error: Option<Error> = None;
    let progress = report::progress::Progress::new(sources.len(), "sources", out.look.quiet);
    let emit = |result: SnapshotRow| {
        progress.inc();
        if let Outcome::Failed { error, .. } = &result.outcome {
            progress.println(&format!("stet: error: {}", report::sanitize::line(error)));
        }
        let text = match format {
            Format::Json => {
                let sep = if rows == 0 { "[" } else { "," };
                let row = report::snapshot::json_row(&result);
                format!("{sep}{}", row.trim_end())
            }
            Format::Text if out.look.quiet => String::new(),
            // `format_of` admitted text and json only.
            _ => report::snapshot::text(std::slice::from_ref(&result), out.look.color),
        };
        rows += 1;
        // Keep storing even if stdout went away; report that at the end.
        if print_error.is_none() {
            if let Err(e) = progress.suspend(|| out.print(&text)) {
                print_error = Some(e);
            }
        }
    };
    let run = pipeline::snapshot(config, sources, as_target, extract, options, emit)?;
    if let Some(e) = print_error {
        return Err(e);
    }
    if format == Format::Json {
        out.print(if run.rows == 0 { "[]\n" } else { "]\n" })?;
    }
    Ok(run.exit_code())
}
