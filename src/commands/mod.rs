//! One function per command: gather the values, hand them to `report`,
//! return the exit code. [`run`] is the only entry point.

mod audit;
mod diff;
mod extract;
mod links;
mod log;
mod pin;
mod show;
mod snapshot;
mod verify;

use std::io::{IsTerminal, Write};

use crate::config::{ColorChoice, Command, Config, Format};
use crate::error::Error;
use crate::store::{Store, VersionSpec};
use crate::target::Target;

/// Run a command; the result is the process exit code (see [`crate::error::exit`]).
pub fn run(config: Config) -> Result<u8, Error> {
    let out = Output::new(&config);
    match &config.command {
        Command::Snapshot {
            sources,
            as_target,
            extract,
            options,
        } => snapshot::run(
            &config,
            &out,
            sources,
            as_target.as_deref(),
            extract.as_ref(),
            options,
        ),
        Command::Diff {
            old,
            new,
            strict,
            extract,
            fetch,
        } => diff::run(&config, &out, old, new, *strict, extract.as_ref(), fetch),
        Command::Audit {
            targets,
            options,
            webhook,
        } => audit::run(&config, &out, targets, options, webhook.as_deref()),
        Command::Extract {
            source,
            extract,
            fetch,
        } => extract::run(&config, &out, source, extract.as_ref(), fetch),
        Command::Log { target } => log::run(&config, &out, target),
        Command::Show { snapshot, text } => show::run(&config, &out, snapshot, *text),
        Command::Pin { target, snapshot } => pin::run(&config, &out, target, snapshot.as_deref()),
        Command::Verify { reextract } => verify::run(&config, &out, *reextract),
        Command::Links(cmd) => links::run(&config, &out, cmd),
    }
}

/// Where rendered output goes, and whether it may be coloured.
pub(crate) struct Output {
    pub color: bool,
    pub quiet: bool,
}

impl Output {
    fn new(config: &Config) -> Self {
        let stdout_tty = std::io::stdout().is_terminal();
        let env_set =
            |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
        let color = match config.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                if env_set("NO_COLOR") {
                    false
                } else if env_set("CLICOLOR_FORCE") {
                    true
                } else {
                    stdout_tty && std::env::var("TERM").map_or(true, |t| t != "dumb")
                }
            }
        };
        Output {
            color,
            quiet: config.quiet,
        }
    }

    /// Write rendered text to stdout.
    pub fn print(&self, text: &str) -> Result<(), Error> {
        self.stream(|w| w.write_all(text.as_bytes()))
    }

    /// Write to stdout as `render` goes, then flush.
    pub fn stream(
        &self,
        render: impl FnOnce(&mut std::io::StdoutLock<'static>) -> std::io::Result<()>,
    ) -> Result<(), Error> {
        let mut stdout = std::io::stdout().lock();
        render(&mut stdout)
            .and_then(|()| stdout.flush())
            .map_err(Error::Output)
    }
}

/// The format a command prints, checked against those it supports.
pub(crate) fn format_of(
    config: &Config,
    supported: &[Format],
    command: &str,
) -> Result<Format, Error> {
    let format = config.format.unwrap_or(Format::Text);
    if supported.contains(&format) {
        Ok(format)
    } else {
        Err(Error::Usage(format!(
            "`stet {command}` does not print --format {}; it prints {}",
            format.name(),
            supported
                .iter()
                .map(|f| f.name())
                .collect::<Vec<_>>()
                .join(", ")
        )))
    }
}

/// The full id of a stored snapshot named by a version spec.
pub(crate) fn resolve_stored(store: &Store, spec: &str) -> Result<String, Error> {
    match VersionSpec::parse(spec) {
        VersionSpec::Id(prefix) => Ok(store.resolve_prefix(&prefix)?),
        VersionSpec::At { target, selector } => {
            let target = Target::parse(&target)?;
            Ok(store.resolve_at(&target.to_string(), selector)?)
        }
        VersionSpec::Source(s) => Err(Error::Usage(format!(
            "`{}` is not a stored snapshot: give an id (6+ hex digits) or TARGET@ref|latest|N|-N",
            crate::report::sanitize::line(&s)
        ))),
    }
}

/// A target as the store knows it.
pub(crate) fn target_text(input: &str) -> Result<String, Error> {
    Ok(Target::parse(input)?.to_string())
}

/// The document that extraction gives today for a stored body: its sha256
/// and extractor.
pub(crate) fn reextract_document_sha(
    manifest: &crate::model::Manifest,
    body: &[u8],
) -> Result<crate::store::Reextracted, String> {
    let document = crate::snapshot::document_for(body, &manifest.fetch, &manifest.extract)
        .map_err(|e| e.to_string())?;
    let sha256 = crate::digest::canonical_json(&document)
        .map(|bytes| crate::digest::sha256_hex(&bytes))
        .map_err(|e| e.to_string())?;
    Ok(crate::store::Reextracted {
        sha256,
        extractor_version: document.extractor_version,
    })
}

/// Fetch a source now and extract it with the settings given on the command
/// line, else those stet.toml gives the target (what `extract` and a live
/// side of `diff` share).
pub(crate) fn fetch_document(
    config: &Config,
    target: &Target,
    extract: Option<&crate::model::ExtractSettings>,
    fetch: &crate::fetch::FetchOptions,
) -> Result<(crate::fetch::Fetched, crate::model::Document), Error> {
    if config.offline && !target.is_file() {
        return Err(Error::Usage(format!("{target}: not fetched (--offline)")));
    }
    let settings = match extract {
        Some(e) => e.clone(),
        None => config
            .target_settings(target)
            .map(|t| t.extract_settings())
            .unwrap_or_default(),
    };
    let fetcher = crate::fetch::Fetcher::new(fetch.clone())?;
    let fetched = match target {
        // A local file needs no runtime.
        Target::File(path) => fetcher.read_file(path)?,
        Target::Url(_) => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(Error::Runtime)?
            .block_on(fetcher.fetch(target, None))?,
    };
    let document = crate::snapshot::document_for(&fetched.body, &fetched.facts, &settings)
        .map_err(|e| crate::fetch::FetchError::Extract {
            url: fetched.facts.final_url.clone(),
            detail: e.to_string(),
        })?;
    Ok((fetched, document))
}
