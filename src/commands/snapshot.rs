use super::{format_of, Output};
use crate::config::{Config, Format};
use crate::error::{exit, Error};
use crate::report;
use crate::snapshot::{self, Job, Outcome, SnapshotOptions};
use crate::store::Store;
use crate::target::Target;

pub(super) fn run(
    config: &Config,
    out: &Output,
    sources: &[String],
    as_target: Option<&str>,
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
        match Target::parse(s) {
            Ok(source) => {
                if config.offline && !source.is_file() {
                    failed_early.push(format!("{s}: not fetched (--offline)"));
                    continue;
                }
                jobs.push(Job {
                    target: as_target.clone().unwrap_or_else(|| source.clone()),
                    source,
                })
            }
            Err(e) => failed_early.push(e.to_string()),
        }
    }
    for e in &failed_early {
        eprintln!("stet: error: {}", report::sanitize::line(e));
    }
    let results = if jobs.is_empty() {
        Vec::new()
    } else {
        let store = Store::open_or_create(&config.store)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(Error::Runtime)?;
        runtime.block_on(snapshot::run(&store, &jobs, options))?
    };
    let mut any_failed = !failed_early.is_empty();
    for r in &results {
        if let Outcome::Failed { error, .. } = &r.outcome {
            any_failed = true;
            eprintln!("stet: error: {}", report::sanitize::line(error));
        }
    }
    let text = match format {
        Format::Json => report::snapshot::json(&results),
        Format::Text if out.quiet => String::new(),
        Format::Text => report::snapshot::text(&results, out.color),
    };
    out.print(&text)?;
    Ok(if any_failed { exit::ERROR } else { exit::OK })
}
