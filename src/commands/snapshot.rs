use super::{format_of, Output};
use crate::config::{Config, Format};
use crate::error::{exit, Error};
use crate::model::ExtractSettings;
use crate::report;
use crate::snapshot::{self, Job, JobResult, Outcome, SnapshotOptions};
use crate::store::Store;
use crate::target::Target;

pub(super) fn run(
    config: &Config,
    out: &Output,
    sources: &[String],
    as_target: Option<&str>,
    extract: Option<&ExtractSettings>,
    options: &SnapshotOptions,
) -> Result<u8, Error> {
    let format = format_of(config, &[Format::Text, Format::Json], "snapshot")?;
    let as_target = as_target.map(Target::parse).transpose()?;
    if as_target.is_some() && sources.len() != 1 {
        return Err(Error::Usage("--as takes exactly one SOURCE".to_string()));
    }
    let mut jobs = Vec::with_capacity(sources.len());
    let mut failed_early = Vec::new();
    for s in sources {
        let failed = |error: String, reason: &str| JobResult {
            target: s.clone(),
            source: s.clone(),
            outcome: Outcome::Failed {
                error,
                reason: reason.to_string(),
            },
        };
        match Target::parse(s) {
            Ok(source) if config.offline && !source.is_file() => {
                failed_early.push(failed(format!("{s}: not fetched (--offline)"), "offline"));
            }
            Ok(source) => {
                let target = as_target.clone().unwrap_or_else(|| source.clone());
                let extract = match extract {
                    Some(e) => e.clone(),
                    None => config
                        .target_settings(&target)
                        .map(|t| t.extract_settings())
                        .unwrap_or_default(),
                };
                jobs.push(Job {
                    target,
                    source,
                    extract,
                })
            }
            Err(e) => failed_early.push(failed(e.to_string(), "invalid_source")),
        }
    }
    let mut any_failed = false;
    let mut rows = 0usize;
    let mut print_error: Option<Error> = None;
    let progress = report::progress::Progress::new(sources.len(), "sources", out.quiet);
    let mut emit = |result: JobResult| {
        progress.inc();
        if let Outcome::Failed { error, .. } = &result.outcome {
            any_failed = true;
            progress.println(&format!("stet: error: {}", report::sanitize::line(error)));
        }
        let text = match format {
            Format::Json => {
                let sep = if rows == 0 { "[" } else { "," };
                let row = report::snapshot::json_row(&result);
                format!("{sep}{}", row.trim_end())
            }
            Format::Text if out.quiet => String::new(),
            // `format_of` admitted text and json only.
            _ => report::snapshot::text(std::slice::from_ref(&result), out.color),
        };
        rows += 1;
        // Keep storing even if stdout went away; report that at the end.
        if print_error.is_none() {
            if let Err(e) = progress.suspend(|| out.print(&text)) {
                print_error = Some(e);
            }
        }
    };
    failed_early.into_iter().for_each(&mut emit);
    if !jobs.is_empty() {
        let store = Store::open_or_create(&config.store)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(Error::Runtime)?;
        runtime.block_on(snapshot::run(&store, &jobs, options, &mut emit))?;
    }
    if let Some(e) = print_error {
        return Err(e);
    }
    if format == Format::Json {
        out.print(if rows == 0 { "[]\n" } else { "]\n" })?;
    }
    Ok(if any_failed { exit::ERROR } else { exit::OK })
}
