//! One function per command: parse what it was given, call the
//! [`pipeline`](crate::pipeline) for its value, render the value with
//! [`report::render`], and exit with the value's
//! [`exit_code`](crate::error::ExitStatus). [`run`] is the only entry point.

mod audit;
mod snapshot;

use std::io::{IsTerminal, Write};

use crate::config::{ColorChoice, Command, Config, Format};
use crate::error::{Error, ExitStatus};
use crate::report::{self, Look, Render};

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
            labels,
            strict,
            extract,
            fetch,
        } => {
            let format = format_of::<crate::model::DiffReport>(&config, "diff")?;
            let mut report =
                crate::pipeline::diff(&config, old, new, *strict, extract.as_ref(), fetch)?;
            // Label each side as the user named it (a name, not its
            // expansion), unless that was a bare snapshot id: the id is in
            // the header already, so the side keeps its target's name.
            for (side, label) in [(&mut report.old, &labels.0), (&mut report.new, &labels.1)] {
                if !matches!(
                    crate::store::VersionSpec::parse(label),
                    crate::store::VersionSpec::Id(_)
                ) {
                    side.label.clone_from(label);
                }
            }
            out.finish(&report, format)
        }
        Command::Audit {
            targets,
            options,
            webhook,
        } => audit::run(&config, &out, targets, options, webhook.as_deref()),
        Command::Extract {
            source,
            extract,
            fetch,
        } => {
            let format = format_of::<crate::model::Document>(&config, "extract")?;
            let document = crate::pipeline::extract(&config, source, extract.as_ref(), fetch)?;
            let code = out.finish(&document, format)?;
            if !config.quiet {
                document.notes.iter().for_each(|n| report::note_line(n));
            }
            Ok(code)
        }
        Command::Links(cmd) => {
            let format = format_of::<crate::model::LinksReport>(&config, "links")?;
            let links = crate::pipeline::links(&config, cmd)?;
            if !config.quiet {
                links.notes.iter().for_each(|n| report::note_line(n));
            }
            out.finish(&links, format)
        }
        Command::Log { target } if config.format == Some(Format::Timemap) => {
            let Some(target) = target else {
                return Err(Error::Usage(
                    "`stet log --format timemap` is one target's TimeMap: give TARGET".to_string(),
                ));
            };
            let timemap = crate::pipeline::timemap(&config, target)?;
            out.finish(&timemap, Format::Timemap)
        }
        Command::Log { target } => {
            let format = format_of::<crate::model::LogView>(&config, "log")?;
            let view = match target {
                None if format == Format::Html => {
                    return Err(Error::Usage(
                        "`stet log --format html` shows one target's history: give TARGET"
                            .to_string(),
                    ))
                }
                None => crate::model::LogView::Targets(crate::pipeline::targets(&config)?),
                Some(target) if format == Format::Html => crate::model::LogView::Page(Box::new(
                    crate::pipeline::history_page(&config, target)?,
                )),
                Some(target) => crate::model::LogView::History(Box::new(crate::pipeline::history(
                    &config, target,
                )?)),
            };
            out.finish(&view, format)
        }
        Command::Export {
            warc,
            wacz,
            targets,
        } => {
            let format = format_of::<crate::model::ExportSummary>(&config, "export")?;
            let summary =
                crate::pipeline::export(&config, warc.as_deref(), wacz.as_deref(), targets)?;
            out.finish(&summary, format)
        }
        Command::Import { files, max_body } => {
            let format = format_of::<crate::model::ImportReport>(&config, "import")?;
            out.finish(&crate::pipeline::import(&config, files, *max_body)?, format)
        }
        Command::Show { snapshot, text } => {
            let format = format_of::<crate::model::Shown>(&config, "show")?;
            out.finish(&crate::pipeline::show(&config, snapshot, *text)?, format)
        }
        Command::Pin {
            target,
            snapshot,
            note,
        } => {
            let format = format_of::<crate::model::PinReport>(&config, "pin")?;
            let pinned =
                crate::pipeline::pin(&config, target, snapshot.as_deref(), note.as_deref())?;
            out.finish(&pinned, format)
        }
        Command::Ack {
            target,
            findings,
            note,
        } => {
            let format = format_of::<crate::model::AckReport>(&config, "ack")?;
            let report = crate::pipeline::ack(&config, target, findings, note)?;
            out.finish(&report, format)
        }
        Command::Verify {
            reextract,
            require_signed,
        } => {
            let format = format_of::<crate::model::VerifyReport>(&config, "verify")?;
            let report = crate::pipeline::verify(&config, *reextract, *require_signed)?;
            out.finish(&report, format)
        }
        Command::Keygen {
            out: path,
            identity,
        } => {
            let format = format_of::<crate::model::KeygenReport>(&config, "keygen")?;
            out.finish(&crate::pipeline::keygen(path, identity)?, format)
        }
        Command::Prove { snapshot, out: dir } => {
            let format = format_of::<crate::model::ProofBundle>(&config, "prove")?;
            out.finish(&crate::pipeline::prove(&config, snapshot, dir)?, format)
        }
    }
}

/// Where rendered output goes, and how it looks.
pub(crate) struct Output {
    pub look: Look,
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
            look: Look {
                color,
                quiet: config.quiet,
            },
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

    /// Print a value in `format`; its exit code.
    pub fn finish<T: Render + ExitStatus>(&self, value: &T, format: Format) -> Result<u8, Error> {
        self.stream(|w| report::render(value, format, self.look, w))?;
        Ok(value.exit_code())
    }
}

/// The format a command prints, checked against those its value renders to.
pub(crate) fn format_of<T: Render>(config: &Config, command: &str) -> Result<Format, Error> {
    formats(config, T::FORMATS, command)
}

/// The format a command prints, checked against those it supports.
pub(crate) fn formats(
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
