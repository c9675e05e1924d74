use super::{format_of, Output};
use crate::config::{Config, Format};
use crate::error::{exit, Error};
use crate::fetch::{FetchError, FetchOptions, Fetcher};
use crate::model::ExtractSettings;
use crate::report;
use crate::snapshot::document_for;
use crate::target::Target;

pub(super) fn run(
    config: &Config,
    out: &Output,
    source: &str,
    extract: Option<&ExtractSettings>,
    fetch: &FetchOptions,
) -> Result<u8, Error> {
    let format = format_of(config, &[Format::Text, Format::Json], "extract")?;
    let target = Target::parse(source)?;
    if config.offline && !target.is_file() {
        return Err(Error::Usage(format!("{target}: not fetched (--offline)")));
    }
    let settings = match extract {
        Some(e) => e.clone(),
        None => config
            .target_settings(&target)
            .map(|t| t.extract_settings())
            .unwrap_or_default(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(Error::Runtime)?;
    let fetched = runtime.block_on(async {
        let fetcher = Fetcher::new(fetch.clone())?;
        fetcher.fetch(&target, None).await
    })?;
    let document = document_for(&fetched.body, &fetched.facts, &settings).map_err(|e| {
        FetchError::Extract {
            url: fetched.facts.final_url.clone(),
            detail: e.to_string(),
        }
    })?;
    let text = match format {
        Format::Json => report::json_line(&document),
        Format::Text => report::manifest::article_text(&document),
    };
    out.print(&text)?;
    for note in &document.notes {
        if !config.quiet {
            eprintln!("stet: note: {}", report::sanitize::line(note));
        }
    }
    Ok(exit::OK)
}
