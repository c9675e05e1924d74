use super::{format_of, Output};
use crate::config::{Config, Format};
use crate::error::{exit, Error};
use crate::fetch::FetchOptions;
use crate::model::ExtractSettings;
use crate::report;
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
    let (_, document) = super::fetch_document(config, &target, extract, fetch)?;
    let text = match format {
        Format::Json => report::json_line(&document),
        // `format_of` admitted text and json only.
        _ => report::manifest::article_text(&document),
    };
    out.print(&text)?;
    for note in &document.notes {
        if !config.quiet {
            eprintln!("stet: note: {}", report::sanitize::line(note));
        }
    }
    Ok(exit::OK)
}
