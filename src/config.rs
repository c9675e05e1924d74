//! The plain configuration the core runs on, built once from the command line.

use std::path::PathBuf;
use std::time::Duration;

use crate::cli::{self, Cli};
use crate::fetch::{default_user_agent, FetchOptions};
use crate::snapshot::SnapshotOptions;

/// Default store directory.
pub const DEFAULT_STORE: &str = "snapshots";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub store: PathBuf,
    /// `None`: the command's default.
    pub format: Option<Format>,
    pub quiet: bool,
    pub color: ColorChoice,
    pub offline: bool,
    pub lock_timeout: Duration,
    pub command: Command,
}

#[derive(Debug, Clone)]
pub enum Command {
    Snapshot {
        sources: Vec<String>,
        as_target: Option<String>,
        options: SnapshotOptions,
    },
    Log {
        target: String,
    },
    Show {
        snapshot: String,
        text: bool,
    },
    Pin {
        target: String,
        snapshot: Option<String>,
    },
    Verify {
        reextract: bool,
    },
}

impl Config {
    pub fn from_cli(cli: Cli) -> Config {
        let g = cli.global;
        let lock_timeout = Duration::from_secs(g.lock_timeout);
        let command = match cli.command {
            cli::Command::Snapshot(a) => Command::Snapshot {
                sources: a.sources,
                as_target: a.as_target,
                options: SnapshotOptions {
                    fetch: fetch_options(&a.fetch),
                    concurrency: a.concurrency.max(1),
                    lock_timeout,
                    conditional: !a.no_conditional,
                },
            },
            cli::Command::Log(a) => Command::Log { target: a.target },
            cli::Command::Show(a) => Command::Show {
                snapshot: a.snapshot,
                text: a.text,
            },
            cli::Command::Pin(a) => Command::Pin {
                target: a.target,
                snapshot: a.snapshot,
            },
            cli::Command::Verify(a) => Command::Verify {
                reextract: a.reextract,
            },
        };
        Config {
            store: g.store.unwrap_or_else(|| PathBuf::from(DEFAULT_STORE)),
            format: g.format.map(|f| match f {
                cli::FormatArg::Text => Format::Text,
                cli::FormatArg::Json => Format::Json,
            }),
            quiet: g.quiet,
            color: match g.color {
                cli::ColorArg::Auto => ColorChoice::Auto,
                cli::ColorArg::Always => ColorChoice::Always,
                cli::ColorArg::Never => ColorChoice::Never,
            },
            offline: g.offline,
            lock_timeout,
            command,
        }
    }
}

fn fetch_options(a: &cli::FetchArgs) -> FetchOptions {
    FetchOptions {
        connect_timeout: Duration::from_secs(a.connect_timeout.max(1)),
        timeout: Duration::from_secs(a.timeout.max(1)),
        max_body: a.max_body,
        max_redirects: a.max_redirects,
        user_agent: a.user_agent.clone().unwrap_or_else(default_user_agent),
    }
}
