//! The plain configuration the core runs on, built once from the command
//! line and `stet.toml` (command line first, then the file, then defaults).

pub mod file;
pub mod names;
mod options;
mod sections;

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::cli::{self, Cli};
use crate::diff::DiffOptions;
use crate::error::Error;
use crate::fetch::FetchOptions;
use crate::model::ExtractSettings;
use crate::model::FailPolicy;
pub use crate::model::Format;
use crate::target::Target;
use file::{Defaults, FileConfig, TargetConfig};
pub use options::{
    AuditOptions, AuditTarget, SnapshotOptions, DEFAULT_CONCURRENCY, DEFAULT_HOST_CONCURRENCY,
};

/// Default store directory.
pub const DEFAULT_STORE: &str = "snapshots";

/// The configuration file read when `--config` is not given, if present.
pub const DEFAULT_CONFIG: &str = "stet.toml";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub store: crate::store::Location,
    /// `None`: the command's default.
    pub format: Option<Format>,
    pub quiet: bool,
    pub color: ColorChoice,
    pub offline: bool,
    pub lock_timeout: Duration,
    /// The targets of `stet.toml`, resolved (globs expanded); empty for an
    /// `audit` of stet.toml's targets, which moves them into its command.
    pub targets: Vec<TargetConfig>,
    /// `[defaults]` of `stet.toml`, for settings the commands read themselves.
    pub defaults: Defaults,
    pub sign: SignSettings,
    /// `[archive]` of `stet.toml`.
    pub archive: file::ArchiveFile,
    pub command: Command,
}

#[derive(Debug, Clone)]
pub enum Command {
    Snapshot {
        sources: Vec<String>,
        as_target: Option<String>,
        /// Extraction settings from the command line; `None`: per target from stet.toml.
        extract: Option<ExtractSettings>,
        options: SnapshotOptions,
    },
    Diff {
        old: String,
        new: String,
        /// The versions as the user named them (a name, before expansion).
        labels: (String, String),
        strict: bool,
        extract: Option<ExtractSettings>,
        fetch: FetchOptions,
    },
    Audit {
        targets: Vec<AuditTarget>,
        options: Box<AuditOptions>,
        webhook: Option<String>,
    },
    Extract {
        source: String,
        extract: Option<ExtractSettings>,
        fetch: FetchOptions,
    },
    Log {
        /// `None`: list the stored targets.
        target: Option<String>,
    },
    Show {
        snapshot: String,
        text: bool,
    },
    Pin {
        target: String,
        snapshot: Option<String>,
        note: Option<String>,
    },
    Ack {
        target: String,
        findings: Vec<String>,
        note: String,
    },
    Verify {
        reextract: bool,
        require_signed: bool,
    },
    Links(Box<LinksCommand>),
    Keygen {
        out: PathBuf,
        identity: String,
    },
    Prove {
        snapshot: String,
        out: PathBuf,
    },
    Export {
        /// WARC file to write (else `wacz`).
        warc: Option<PathBuf>,
        wacz: Option<PathBuf>,
        targets: Vec<String>,
    },
    Import {
        /// The files in the order given, WARC files first, each with its format.
        files: Vec<(PathBuf, crate::warc::read::Format)>,
        max_body: u64,
    },
}

/// `[sign]` of stet.toml with the command line's overrides: what signs and
/// timestamps new snapshots, and what `verify` and `prove` trust.
#[derive(Debug, Clone, Default)]
pub struct SignSettings {
    pub key: Option<PathBuf>,
    pub identity: Option<String>,
    pub tsa: Option<String>,
    pub allowed_signers: Option<PathBuf>,
    pub tsa_ca: Option<PathBuf>,
}

/// `stet links`, resolved.
#[derive(Debug, Clone)]
pub struct LinksCommand {
    pub source: String,
    pub all_links: bool,
    pub options: crate::links::LinkOptions,
    /// `None`: no cache.
    pub cache: Option<crate::links::cache::CachePolicy>,
    pub fail_on: FailPolicy,
}

impl Config {
    /// Build the configuration: command line first, then `stet.toml`
    /// (`--config`, or `./stet.toml` when present), then built-in defaults.
    pub fn from_cli(cli: Cli) -> Result<Config, Error> {
        let g = cli.global;
        let (file, mut targets) = match &g.config {
            Some(path) => file::load(path)?,
            None if Path::new(DEFAULT_CONFIG).is_file() => file::load(Path::new(DEFAULT_CONFIG))?,
            None => (FileConfig::default(), Vec::new()),
        };
        // Where targets were looked for, for the error when there are none.
        let read_from = match &g.config {
            Some(path) => path.display().to_string(),
            None if Path::new(DEFAULT_CONFIG).is_file() => DEFAULT_CONFIG.to_string(),
            None => format!("no {DEFAULT_CONFIG} here and no --config FILE"),
        };
        let d = &file.defaults;
        let mut sign = SignSettings {
            key: file.sign.key.clone(),
            identity: file.sign.identity.clone(),
            tsa: file.sign.tsa.clone(),
            allowed_signers: file.sign.allowed_signers.clone(),
            tsa_ca: file.sign.tsa_ca.clone(),
        };
        let lock_timeout = Duration::from_secs(g.lock_timeout.or(d.lock_timeout).unwrap_or(30));
        let command = match cli.command {
            cli::Command::Snapshot(cli::Deferred(a)) => {
                let sources = if a.sources.is_empty() {
                    select_targets(&targets, &Selection::from_args(&a.select)?, &read_from)?
                        .iter()
                        .map(|t| t.target.to_string())
                        .collect()
                } else {
                    Selection::from_args(&a.select)?.reject_with_sources()?;
                    a.sources
                        .iter()
                        .map(|s| names::expand(&targets, s))
                        .collect()
                };
                Command::Snapshot {
                    sources,
                    as_target: a.as_target,
                    extract: extract_settings(&a.extract),
                    options: SnapshotOptions {
                        fetch: fetch_options(&a.fetch, d)?,
                        concurrency: concurrency(a.concurrency, d),
                        lock_timeout,
                        conditional: !a.no_conditional,
                        host_concurrency: host_concurrency(a.host_concurrency, d),
                        host_interval: host_interval(a.host_interval, d),
                        evidence: evidence(&a.sign, &mut sign, g.offline)?,
                    },
                }
            }
            cli::Command::Extract(cli::Deferred(a)) => Command::Extract {
                source: names::expand(&targets, &a.source),
                extract: extract_settings(&a.extract),
                fetch: fetch_options(&a.fetch, d)?,
            },
            cli::Command::Diff(cli::Deferred(a)) => Command::Diff {
                old: names::expand(&targets, &a.old),
                new: names::expand(&targets, &a.new),
                labels: (a.old, a.new),
                strict: a.strict,
                extract: extract_settings(&a.extract),
                fetch: fetch_options(&a.fetch, d)?,
            },
            cli::Command::Audit(cli::Deferred(a)) => {
                let fail_on = match a.fail_on.as_deref() {
                    Some(text) => FailPolicy::parse(&[text]).map_err(Error::Usage)?,
                    None => match &d.fail_on {
                        Some(tokens) => FailPolicy::parse(tokens)
                            .map_err(|e| Error::Usage(format!("stet.toml: {e}")))?,
                        None => FailPolicy::default_policy(),
                    },
                };
                let selection = Selection::from_args(&a.select)?;
                // Each target, and whether stet.toml lists it.
                let chosen: Vec<(TargetConfig, bool)> = if a.targets.is_empty() {
                    select_targets(&targets, &selection, &read_from)?;
                    // The audited targets are moved, not copied: nothing
                    // else of an audit reads them from the configuration.
                    std::mem::take(&mut targets)
                        .into_iter()
                        .filter(|t| selection.matches(t))
                        .map(|t| (t, true))
                        .collect()
                } else {
                    selection.reject_with_sources()?;
                    a.targets
                        .iter()
                        .map(|t| {
                            let target = crate::target::Target::parse(&names::expand(&targets, t))?;
                            Ok(match targets.iter().find(|c| c.target == target) {
                                // Only the targets asked for: not their glob's others.
                                Some(listed) => (
                                    TargetConfig {
                                        glob: None,
                                        ..listed.clone()
                                    },
                                    true,
                                ),
                                None => (TargetConfig::bare(target), false),
                            })
                        })
                        .collect::<Result<_, Error>>()?
                };
                // Converted in place (one list of targets at a time).
                let audit_targets = chosen
                    .into_iter()
                    .map(|(t, listed)| {
                        let fail_on = match &t.fail_on {
                            Some(tokens) => Some(
                                FailPolicy::parse(tokens)
                                    .map_err(|e| Error::Usage(format!("stet.toml: {e}")))?,
                            ),
                            None => None,
                        };
                        Ok(AuditTarget {
                            links: t.links.or(d.links).unwrap_or(true),
                            extract: t.extract_settings(),
                            listed,
                            request: t.request,
                            fetch: t.fetch,
                            glob: t.glob,
                            target: t.target,
                            read: t.read,
                            name: t.name,
                            fail_on,
                        })
                    })
                    .collect::<Result<Vec<_>, Error>>()?;
                if let Some(hook) = &a.webhook {
                    crate::target::Target::parse(hook)
                        .ok()
                        .filter(|t| !t.is_file())
                        .ok_or_else(|| {
                            Error::Usage(format!("--webhook `{hook}` is not an http(s) URL"))
                        })?;
                }
                Command::Audit {
                    webhook: a.webhook,
                    targets: audit_targets,
                    options: Box::new(AuditOptions {
                        offline: g.offline,
                        snapshot: SnapshotOptions {
                            fetch: fetch_options(&a.fetch, d)?,
                            concurrency: concurrency(a.concurrency, d),
                            lock_timeout,
                            conditional: true,
                            host_concurrency: host_concurrency(a.host_concurrency, d),
                            host_interval: host_interval(a.host_interval, d),
                            evidence: evidence(&a.sign, &mut sign, g.offline)?,
                        },
                        diff: DiffOptions::default(),
                        strict: a.strict,
                        fail_on,
                        links: if g.offline || a.no_links {
                            None
                        } else {
                            let mut l = file_link_options(&file.links, d, a.suggest_archive)?;
                            l.robots &= !a.fetch.ignore_robots;
                            Some(l)
                        },
                        new: a.new,
                    }),
                }
            }
            cli::Command::Log(cli::Deferred(a)) => Command::Log {
                target: a.target.map(|t| names::expand(&targets, &t)),
            },
            cli::Command::Show(cli::Deferred(a)) => Command::Show {
                snapshot: names::expand(&targets, &a.snapshot),
                text: a.text,
            },
            cli::Command::Pin(cli::Deferred(a)) => Command::Pin {
                target: names::expand(&targets, &a.target),
                snapshot: a.snapshot.map(|s| names::expand(&targets, &s)),
                note: a.note,
            },
            cli::Command::Ack(cli::Deferred(a)) => Command::Ack {
                target: names::expand(&targets, &a.target),
                findings: a.findings,
                note: a.note,
            },
            cli::Command::Verify(cli::Deferred(a)) => {
                if a.allowed_signers.is_some() {
                    sign.allowed_signers = a.allowed_signers;
                }
                if a.tsa_ca.is_some() {
                    sign.tsa_ca = a.tsa_ca;
                }
                Command::Verify {
                    reextract: a.reextract,
                    require_signed: a.require_signed,
                }
            }
            cli::Command::Keygen(cli::Deferred(a)) => Command::Keygen {
                out: a
                    .out
                    .or_else(|| sign.key.clone())
                    .unwrap_or_else(|| PathBuf::from(DEFAULT_KEY)),
                identity: a
                    .identity
                    .or_else(|| sign.identity.clone())
                    .unwrap_or_else(|| crate::evidence::key::DEFAULT_IDENTITY.to_string()),
            },
            cli::Command::Prove(cli::Deferred(a)) => Command::Prove {
                snapshot: a.snapshot,
                out: a.out,
            },
            cli::Command::Links(cli::Deferred(mut a)) => {
                a.source = names::expand(&targets, &a.source);
                Command::Links(Box::new(links_command(a, &file.links, d)?))
            }
            cli::Command::Export(cli::Deferred(a)) => Command::Export {
                warc: a.warc,
                wacz: a.wacz,
                targets: a.targets,
            },
            cli::Command::Import(cli::Deferred(a)) => Command::Import {
                files: (a.warc.into_iter())
                    .map(|f| (f, crate::warc::read::Format::Warc))
                    .chain(
                        a.arc
                            .into_iter()
                            .map(|f| (f, crate::warc::read::Format::Arc)),
                    )
                    .collect(),
                max_body: a
                    .max_body
                    .or(d.max_body)
                    .unwrap_or(crate::fetch::DEFAULT_MAX_BODY),
            },
        };
        let format = match g.format {
            Some(cli::FormatArg::Text) => Some(Format::Text),
            Some(cli::FormatArg::Json) => Some(Format::Json),
            Some(cli::FormatArg::Html) => Some(Format::Html),
            Some(cli::FormatArg::Unified) => Some(Format::Unified),
            Some(cli::FormatArg::Junit) => Some(Format::Junit),
            Some(cli::FormatArg::Github) => Some(Format::Github),
            Some(cli::FormatArg::Markdown) => Some(Format::Markdown),
            Some(cli::FormatArg::Timemap) => Some(Format::Timemap),
            None => match d.format.as_deref() {
                None => None,
                Some(name) => Some(Format::parse(name).ok_or_else(|| {
                    Error::Usage(format!("stet.toml: unknown format `{name}` in [defaults]"))
                })?),
            },
        };
        Ok(Config {
            store: crate::store::Location::parse(
                &g.store
                    .or_else(|| d.store.clone())
                    .unwrap_or_else(|| PathBuf::from(DEFAULT_STORE)),
            )
            .map_err(|e| Error::Usage(e.to_string()))?,
            format,
            quiet: g.quiet,
            color: match g.color {
                cli::ColorArg::Auto => ColorChoice::Auto,
                cli::ColorArg::Always => ColorChoice::Always,
                cli::ColorArg::Never => ColorChoice::Never,
            },
            offline: g.offline,
            lock_timeout,
            targets,
            defaults: file.defaults,
            sign,
            archive: file.archive,
            command,
        })
    }
}

/// Where `stet keygen` writes a key when neither `--out` nor `[sign] key` says.
pub const DEFAULT_KEY: &str = "stet_ed25519";

/// The signer and timestamp authority of a run that writes snapshots: the
/// flags, else `[sign]`. The key is read (and checked) here, once.
fn evidence(
    a: &cli::SignArgs,
    sign: &mut SignSettings,
    offline: bool,
) -> Result<crate::evidence::Evidence, Error> {
    if a.key.is_some() {
        sign.key = a.key.clone();
    }
    if a.tsa.is_some() {
        sign.tsa = a.tsa.clone();
    }
    let signer = match &sign.key {
        Some(path) => Some(std::sync::Arc::new(crate::evidence::Signer::load(
            path,
            sign.identity.as_deref(),
        )?)),
        None if a.require_signed => {
            return Err(Error::Usage(
                "--require-signed: no signing key (give --key PATH or set [sign] key in stet.toml; `stet keygen` makes one)"
                    .to_string(),
            ))
        }
        None => None,
    };
    if let Some(tsa) = &sign.tsa {
        let ok = url::Url::parse(tsa).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
        if !ok {
            return Err(Error::Usage(format!("--tsa `{tsa}` is not an http(s) URL")));
        }
    }
    Ok(crate::evidence::Evidence {
        signer,
        // Offline runs store no new snapshot from the network; a local file
        // still gets a signature, but no timestamp can be asked for.
        tsa: if offline { None } else { sign.tsa.clone() },
    })
}

/// Sources fetched at once: the flag, else `[defaults]`, else 16.
fn concurrency(flag: Option<usize>, d: &Defaults) -> usize {
    flag.or(d.concurrency).unwrap_or(DEFAULT_CONCURRENCY).max(1)
}

/// Fetches to one host at once: the flag, else `[defaults]`, else 10.
fn host_concurrency(flag: Option<usize>, d: &Defaults) -> usize {
    flag.or(d.host_concurrency)
        .unwrap_or(DEFAULT_HOST_CONCURRENCY)
        .max(1)
}

/// Time between two page fetches from one host: the flag, else
/// `[defaults]`, else none.
fn host_interval(flag: Option<u64>, d: &Defaults) -> std::time::Duration {
    std::time::Duration::from_millis(flag.or(d.host_interval).unwrap_or(0))
}

/// `--tag`, `--target NAME`, `--shard K/N`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub tags: Vec<String>,
    pub names: Vec<String>,
    /// `(k, n)`, 1 ≤ k ≤ n.
    pub shard: Option<(u64, u64)>,
}

impl Selection {
    pub fn from_args(a: &cli::SelectArgs) -> Result<Selection, Error> {
        let shard = match (&a.shard, &a.shard_index_env, a.shard_count) {
            (_, Some(var), Some(n)) => Some(shard_from_env(var, n, std::env::var(var).ok())?),
            (None, _, _) => None,
            (Some(text), _, _) => {
                let parsed = text
                    .split_once('/')
                    .and_then(|(k, n)| {
                        Some((k.trim().parse::<u64>().ok()?, n.trim().parse::<u64>().ok()?))
                    })
                    .filter(|&(k, n)| k >= 1 && k <= n);
                Some(parsed.ok_or_else(|| {
                    Error::Usage(format!(
                        "--shard `{text}`: expected K/N with 1 <= K <= N, e.g. 2/4"
                    ))
                })?)
            }
        };
        Ok(Selection {
            tags: a.tag.clone(),
            names: a.names.clone(),
            shard,
        })
    }

    fn is_empty(&self) -> bool {
        self == &Selection::default()
    }

    fn reject_with_sources(&self) -> Result<(), Error> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(Error::Usage(
                "--tag, --target and --shard select among the targets of stet.toml; give them without SOURCE".to_string(),
            ))
        }
    }

    fn matches(&self, t: &TargetConfig) -> bool {
        let tag_ok = self.tags.is_empty() || t.tags.iter().any(|tag| self.tags.contains(tag));
        let name_ok = self.names.is_empty()
            || t.name.as_ref().is_some_and(|n| {
                self.names.iter().any(|want| {
                    n == want
                        || n.strip_prefix(want.as_str())
                            .is_some_and(|r| r.starts_with('/'))
                })
            });
        let shard_ok = self.shard.is_none_or(|(k, n)| shard_of(&t.target, n) == k);
        tag_ok && name_ok && shard_ok
    }
}

/// `--shard-index-env VAR --shard-count N`: shard `$VAR + 1` of `n` (the
/// variable holds a 0-based index, as Kubernetes Indexed Jobs set it).
fn shard_from_env(var: &str, n: u64, value: Option<String>) -> Result<(u64, u64), Error> {
    let value = value.ok_or_else(|| {
        Error::Usage(format!(
            "--shard-index-env: environment variable {var} is not set"
        ))
    })?;
    match value.trim().parse::<u64>() {
        Ok(index) if n >= 1 && index < n => Ok((index + 1, n)),
        _ => Err(Error::Usage(format!(
            "--shard-index-env: {var} is `{}`; expected an index from 0 to {} (--shard-count {n})",
            value.escape_debug(),
            n.saturating_sub(1)
        ))),
    }
}

/// The shard (1-based, of `n`) a target belongs to: from the sha256 of its
/// host (of its path, for a file), so one site's targets share a shard and
/// its politeness limits hold; the split is the same on every machine and
/// does not move when targets are added.
pub fn shard_of(target: &Target, n: u64) -> u64 {
    let key = match target {
        Target::Url(url) => url.host_str().unwrap_or_default().to_string(),
        Target::File(path) => path.to_string_lossy().into_owned(),
    };
    let digest = crate::digest::sha256_hex(key.as_bytes());
    let head = u64::from_str_radix(&digest[..16], 16).unwrap_or(0);
    head % n.max(1) + 1
}

/// The configured targets a selection picks, in file order (`read_from`:
/// the file they were read from, for the error when there are none). An
/// empty result
/// is an error (a typo in a tag should not look like a clean run), except
/// for a shard, which may legitimately be empty.
pub fn select_targets<'a>(
    targets: &'a [TargetConfig],
    selection: &Selection,
    read_from: &str,
) -> Result<Vec<&'a TargetConfig>, Error> {
    if targets.is_empty() {
        return Err(Error::Usage(format!(
            "no SOURCE given and no [[target]] to take ({read_from})"
        )));
    }
    for name in &selection.names {
        let known = targets.iter().any(|t| {
            t.name.as_ref().is_some_and(|n| {
                n == name
                    || n.strip_prefix(name.as_str())
                        .is_some_and(|r| r.starts_with('/'))
            })
        });
        if !known {
            return Err(Error::Usage(format!(
                "no target named `{name}` in stet.toml"
            )));
        }
    }
    let picked: Vec<&TargetConfig> = targets.iter().filter(|t| selection.matches(t)).collect();
    if picked.is_empty() && selection.shard.is_none() {
        return Err(Error::Usage(
            "no target of stet.toml matches the selection".to_string(),
        ));
    }
    Ok(picked)
}

/// `--selector` / `--ignore`, when either is given.
pub fn extract_settings(a: &cli::ExtractArgs) -> Option<ExtractSettings> {
    if a.selector.is_none() && a.ignore.is_empty() {
        return None;
    }
    let (ignore_patterns, ignore_selectors) = file::split_ignore_rules(&a.ignore);
    Some(ExtractSettings {
        selector: a.selector.clone(),
        ignore_selectors,
        ignore_patterns,
    })
}

impl Config {
    /// The extraction settings stet.toml gives `target`, if it lists it.
    pub fn target_settings(&self, target: &crate::target::Target) -> Option<&TargetConfig> {
        self.targets.iter().find(|t| &t.target == target)
    }
}

/// The largest integer canonical JSON (RFC 8785, numbers as IEEE doubles)
/// writes exactly; sizes in hashed records must stay below it.
pub const MAX_EXACT_INTEGER: u64 = (1 << 53) - 1;

fn fetch_options(a: &cli::FetchArgs, d: &Defaults) -> Result<FetchOptions, Error> {
    let defaults = FetchOptions::default();
    let max_body = a.max_body.or(d.max_body).unwrap_or(defaults.max_body);
    if max_body > MAX_EXACT_INTEGER {
        return Err(Error::Usage(format!(
            "--max-body {max_body} is above the largest size a manifest records exactly ({MAX_EXACT_INTEGER})"
        )));
    }
    Ok(FetchOptions {
        connect_timeout: a
            .connect_timeout
            .or(d.connect_timeout)
            .map_or(defaults.connect_timeout, |s| Duration::from_secs(s.max(1))),
        timeout: a
            .timeout
            .or(d.timeout)
            .map_or(defaults.timeout, |s| Duration::from_secs(s.max(1))),
        max_body,
        max_redirects: a
            .max_redirects
            .or(d.max_redirects)
            .unwrap_or(defaults.max_redirects),
        user_agent: a
            .user_agent
            .clone()
            .or_else(|| d.user_agent.clone())
            .unwrap_or(defaults.user_agent),
        robots: !(a.ignore_robots || d.ignore_robots.unwrap_or(false)),
        render: render_options(a, d),
    })
}

/// Which pages are rendered, from `--render`/`--screenshot` and `[defaults]`.
fn render_options(a: &cli::FetchArgs, d: &Defaults) -> crate::fetch::render::RenderOptions {
    let defaults = crate::fetch::render::RenderOptions::default();
    crate::fetch::render::RenderOptions {
        all: a.render || a.screenshot,
        default: d.render.unwrap_or(false),
        screenshot: a.screenshot || d.screenshot.unwrap_or(false),
        timeout: a
            .render_timeout
            .or(d.render_timeout)
            .map_or(defaults.timeout, |s| Duration::from_secs(s.max(1))),
        concurrency: d.render_concurrency.unwrap_or(defaults.concurrency).max(1),
        ..defaults
    }
}

/// Link-check settings from `[links]` and `[defaults]` (for `audit`, which
/// has no link flags of its own beyond `--no-links` / `--suggest-archive`).
fn file_link_options(
    f: &file::LinksFile,
    d: &Defaults,
    suggest: bool,
) -> Result<crate::links::LinkOptions, Error> {
    use crate::links::{self, LinkOptions};
    let defaults = LinkOptions::default();
    let regexes = |key: &str, list: &[String]| {
        list.iter()
            .map(|p| {
                regex::Regex::new(p).map_err(|e| {
                    Error::Usage(format!(
                        "stet.toml [links] {key} `{p}`: {}",
                        crate::extract::regex_message(&e)
                    ))
                })
            })
            .collect::<Result<Vec<_>, Error>>()
    };
    Ok(LinkOptions {
        concurrency: f.concurrency.unwrap_or(defaults.concurrency).max(1),
        host_concurrency: f
            .host_concurrency
            .unwrap_or(defaults.host_concurrency)
            .max(1),
        host_interval: f
            .host_interval
            .map_or(defaults.host_interval, Duration::from_millis),
        timeout: f
            .timeout
            .map_or(defaults.timeout, |s| Duration::from_secs(s.max(1))),
        connect_timeout: f
            .connect_timeout
            .map_or(defaults.connect_timeout, |s| Duration::from_secs(s.max(1))),
        retries: f.retries.unwrap_or(defaults.retries),
        backoff: f.backoff.map_or(defaults.backoff, Duration::from_millis),
        max_retry_after: f
            .max_retry_after
            .map_or(defaults.max_retry_after, Duration::from_secs),
        max_redirects: f.max_redirects.unwrap_or(defaults.max_redirects),
        body_cap: defaults.body_cap,
        user_agent: d.user_agent.clone().unwrap_or(defaults.user_agent),
        deny_private: f.deny_private.unwrap_or(false),
        robots: !d.ignore_robots.unwrap_or(false),
        exclude: regexes("exclude", &f.exclude)?,
        include: regexes("include", &f.include)?,
        archive_endpoint: (suggest || f.archive_endpoint.is_some()).then(|| {
            f.archive_endpoint
                .clone()
                .unwrap_or_else(|| links::DEFAULT_ARCHIVE_ENDPOINT.to_string())
        }),
    })
}

fn links_command(
    a: cli::LinksArgs,
    f: &file::LinksFile,
    d: &Defaults,
) -> Result<LinksCommand, Error> {
    use crate::links::{self, cache::CachePolicy, FailPolicy, LinkClass, LinkOptions};
    let ms = Duration::from_millis;
    let secs = Duration::from_secs;
    let regexes = |flag: &str, cli: Vec<String>, file: &[String]| {
        cli.iter()
            .chain(file)
            .map(|p| {
                regex::Regex::new(p).map_err(|e| {
                    Error::Usage(format!(
                        "--{flag} `{p}`: {}",
                        crate::extract::regex_message(&e)
                    ))
                })
            })
            .collect::<Result<Vec<_>, Error>>()
    };
    let defaults = LinkOptions::default();
    let suggest = a.suggest_archive || a.archive_endpoint.is_some();
    let options = LinkOptions {
        concurrency: a
            .concurrency
            .or(f.concurrency)
            .unwrap_or(defaults.concurrency)
            .max(1),
        host_concurrency: a
            .host_concurrency
            .or(f.host_concurrency)
            .unwrap_or(defaults.host_concurrency)
            .max(1),
        host_interval: a
            .host_interval
            .or(f.host_interval)
            .map_or(defaults.host_interval, ms),
        timeout: a
            .timeout
            .or(f.timeout)
            .map_or(defaults.timeout, |s| secs(s.max(1))),
        connect_timeout: a
            .connect_timeout
            .or(f.connect_timeout)
            .map_or(defaults.connect_timeout, |s| secs(s.max(1))),
        retries: a.retries.or(f.retries).unwrap_or(defaults.retries),
        backoff: a.backoff.or(f.backoff).map_or(defaults.backoff, ms),
        max_retry_after: a
            .max_retry_after
            .or(f.max_retry_after)
            .map_or(defaults.max_retry_after, secs),
        max_redirects: a
            .max_redirects
            .or(f.max_redirects)
            .unwrap_or(defaults.max_redirects),
        body_cap: defaults.body_cap,
        user_agent: a
            .user_agent
            .or_else(|| d.user_agent.clone())
            .unwrap_or(defaults.user_agent),
        deny_private: a.deny_private || f.deny_private.unwrap_or(false),
        robots: !(a.ignore_robots || d.ignore_robots.unwrap_or(false)),
        exclude: regexes("exclude", a.exclude, &f.exclude)?,
        include: regexes("include", a.include, &f.include)?,
        archive_endpoint: suggest.then(|| {
            a.archive_endpoint
                .or_else(|| f.archive_endpoint.clone())
                .unwrap_or_else(|| links::DEFAULT_ARCHIVE_ENDPOINT.to_string())
        }),
    };
    let confirm = a.confirm.or(f.confirm).unwrap_or(1).max(1);
    let cache = (a.cache || a.confirm.is_some() || f.cache.unwrap_or(false)).then(|| CachePolicy {
        max_age: a
            .max_age
            .or(f.max_age)
            .map_or(links::cache::DEFAULT_MAX_AGE, secs),
        confirm,
    });
    let fail_on = if a.fail_on.is_empty() {
        f.fail_on.clone().unwrap_or_default()
    } else {
        a.fail_on
    };
    let fail_on = if fail_on.is_empty() {
        FailPolicy::default()
    } else {
        let classes = fail_on
            .iter()
            .map(|c| match LinkClass::parse(c.trim()) {
                Some(class) if class.is_failure() => Ok(class),
                _ => Err(Error::Usage(format!(
                    "--fail-on `{c}`: expected dead, error or timeout"
                ))),
            })
            .collect::<Result<Vec<_>, Error>>()?;
        FailPolicy::links(classes)
    };
    Ok(LinksCommand {
        source: a.source,
        all_links: a.all_links,
        options,
        cache,
        fail_on,
    })
}

#[cfg(test)]
mod shard_tests {
    use super::*;
    use std::collections::BTreeSet;

    fn target(s: &str) -> Result<Target, Box<dyn std::error::Error>> {
        Ok(Target::parse(s)?)
    }

    #[test]
    fn one_host_is_one_shard_and_hosts_spread() -> Result<(), Box<dyn std::error::Error>> {
        let n = 4;
        let mut used = BTreeSet::new();
        for h in 0..40 {
            let shards: BTreeSet<u64> = (0..10)
                .map(|p| target(&format!("https://site{h}.example/news/{p}?page={p}")))
                .map(|t| t.map(|t| shard_of(&t, n)))
                .collect::<Result<_, _>>()?;
            assert_eq!(shards.len(), 1, "site{h} split over {shards:?}");
            used.extend(shards);
        }
        assert_eq!(used, (1..=n).collect::<BTreeSet<_>>());
        // Scheme, port and path do not move a host; case is normalised.
        let a = shard_of(&target("https://News.Example/a")?, 7);
        assert_eq!(a, shard_of(&target("http://news.example:8080/b")?, 7));
        Ok(())
    }

    #[test]
    fn shard_index_from_the_environment() {
        assert!(matches!(
            shard_from_env("I", 3, Some("0".into())),
            Ok((1, 3))
        ));
        assert!(matches!(
            shard_from_env("I", 3, Some("2\n".into())),
            Ok((3, 3))
        ));
        for bad in [
            Some("3".to_string()),
            Some("-1".into()),
            Some("x".into()),
            None,
        ] {
            let Err(Error::Usage(msg)) = shard_from_env("JOB_COMPLETION_INDEX", 3, bad.clone())
            else {
                panic!("{bad:?} accepted")
            };
            assert!(msg.contains("JOB_COMPLETION_INDEX"), "{msg}");
        }
        assert!(shard_from_env("I", 0, Some("0".into())).is_err());
    }
}
