//! Command-line types (clap). Nothing outside `cli` and `config` sees them.

use std::path::PathBuf;

use clap::{ArgMatches, Args, FromArgMatches, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "stet",
    version,
    about = "Reproducible document-diff and provenance auditor",
    long_about = "stet snapshots article URLs over time, hashes every version, diffs the article \
                  text against a stored reference, and reports edits, dead links and missing \
                  captions together with provenance metadata.",
    after_help = "Exit codes: 0 nothing to report, 1 findings (differences, damage), 2 error."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The snapshot store: a directory, or s3://BUCKET/PREFIX (S3-compatible storage).
    #[arg(long, global = true, env = "STET_STORE", value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// Configuration file (default: ./stet.toml when present).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format.
    #[arg(long, global = true, value_enum, value_name = "FMT")]
    pub format: Option<FormatArg>,
    /// Print nothing unless there is something to report.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// When to colour output (NO_COLOR is honoured by `auto`).
    #[arg(long, global = true, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN")]
    pub color: ColorArg,
    /// Never touch the network.
    #[arg(long, global = true)]
    pub offline: bool,
    /// Seconds to wait for another stet holding the store lock [default: 30].
    #[arg(long, global = true, value_name = "SECS")]
    pub lock_timeout: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Text,
    Json,
    Html,
    Unified,
    Junit,
    Github,
    Markdown,
    /// RFC 7089 Memento TimeMap (link-format), for `stet log`.
    Timemap,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fetch, extract, hash and store sources; say `new` or `unchanged` for each.
    Snapshot(Deferred<SnapshotArgs>),
    /// Diff two versions: exit 0 same, 1 different, 2 error.
    Diff(Deferred<DiffArgs>),
    /// Audit targets against their references: edits, captions, provenance, a dead target.
    Audit(Deferred<AuditArgs>),
    /// Print the article extracted from a source (text: one block per line; json: the Document).
    Extract(Deferred<ExtractCmdArgs>),
    /// The history of a target: time, short id, status, change size (no
    /// TARGET: every stored target).
    Log(Deferred<LogArgs>),
    /// A snapshot's manifest and provenance.
    Show(Deferred<ShowArgs>),
    /// Make a snapshot (default: the latest) the target's reference.
    Pin(Deferred<PinArgs>),
    /// Acknowledge standing findings: they stop failing the audit until they change.
    Ack(Deferred<AckArgs>),
    /// Check the integrity of the whole store (exit 1 if anything is damaged).
    Verify(Deferred<VerifyArgs>),
    /// Check every link of an article (exit 1 if links are dead).
    Links(Deferred<LinksArgs>),
    /// Make an ed25519 signing key (OpenSSH format, no passphrase, mode 0600).
    Keygen(Deferred<KeygenArgs>),
    /// Write a bundle that proves a snapshot with sha256sum, ssh-keygen and openssl alone.
    Prove(Deferred<ProveArgs>),
    /// Write snapshots as a web archive: WARC 1.1 (--warc) or WACZ 1.1.1 (--wacz).
    Export(Deferred<ExportArgs>),
    /// Import the HTML pages of WARC files (any tool's) as snapshots (exit 1 if records were refused).
    Import(Deferred<ImportArgs>),
}

/// A subcommand's arguments, built only when that subcommand runs (or its
/// help is asked for): clap otherwise builds every subcommand's arguments
/// on every run, a good part of a short run's time.
#[derive(Debug)]
pub struct Deferred<T>(pub T);

impl<T: FromArgMatches> FromArgMatches for Deferred<T> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(matches).map(Deferred)
    }

    fn from_arg_matches_mut(matches: &mut ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches_mut(matches).map(Deferred)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }

    fn update_from_arg_matches_mut(&mut self, matches: &mut ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches_mut(matches)
    }
}

impl<T: Args> Args for Deferred<T> {
    fn group_id() -> Option<clap::Id> {
        T::group_id()
    }

    fn augment_args(cmd: clap::Command) -> clap::Command {
        cmd.defer(T::augment_args)
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        cmd.defer(T::augment_args_for_update)
    }
}

#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Seconds allowed to connect [default: 10].
    #[arg(long, value_name = "SECS")]
    pub connect_timeout: Option<u64>,
    /// Seconds allowed for a whole fetch, all redirects and the body [default: 30].
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<u64>,
    /// Largest body accepted, in bytes after decompression [default: 16 MiB].
    #[arg(long, value_name = "BYTES")]
    pub max_body: Option<u64>,
    /// Most redirects followed [default: 10].
    #[arg(long, value_name = "N")]
    pub max_redirects: Option<usize>,
    /// User-Agent header (default names stet and its version).
    #[arg(long, value_name = "TEXT")]
    pub user_agent: Option<String>,
    /// Fetch pages robots.txt disallows (for your own sites).
    #[arg(long)]
    pub ignore_robots: bool,
    /// Render pages in headless Chromium too; extraction reads the rendered DOM.
    #[arg(long)]
    pub render: bool,
    /// Keep a screenshot of each rendered page (implies --render).
    #[arg(long)]
    pub screenshot: bool,
    /// Seconds a rendered page has to load and go quiet [default: 20].
    #[arg(long, value_name = "SECS")]
    pub render_timeout: Option<u64>,
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// URLs (http, https, file) or local paths [default: the targets of stet.toml].
    #[arg(value_name = "SOURCE")]
    pub sources: Vec<String>,
    /// Record the snapshot as a version of this target (import a saved copy).
    #[arg(long = "as", value_name = "TARGET")]
    pub as_target: Option<String>,
    /// Sources fetched at once [default: 16].
    #[arg(long, short = 'j', value_name = "N")]
    pub concurrency: Option<usize>,
    /// Do not send If-None-Match / If-Modified-Since.
    #[arg(long)]
    pub no_conditional: bool,
    /// Fetches in flight to one host at once [default: 10].
    #[arg(long, value_name = "N")]
    pub host_concurrency: Option<usize>,
    /// Minimum milliseconds between the starts of two page fetches from one
    /// host [default: 0].
    #[arg(long, value_name = "MS")]
    pub host_interval: Option<u64>,
    #[command(flatten)]
    pub fetch: FetchArgs,
    #[command(flatten)]
    pub extract: ExtractArgs,
    #[command(flatten)]
    pub select: SelectArgs,
    #[command(flatten)]
    pub sign: SignArgs,
}

// Signing and timestamping new snapshots ([sign] of stet.toml). Not doc
// comments on these argument groups: clap makes them the about text of
// every command that flattens them.
#[derive(Debug, Args)]
pub struct SignArgs {
    /// Sign new snapshots with this ed25519 OpenSSH key [default: [sign] key].
    #[arg(long, value_name = "PATH")]
    pub key: Option<PathBuf>,
    /// Timestamp new snapshots with this RFC 3161 authority [default: [sign] tsa].
    #[arg(long, value_name = "URL")]
    pub tsa: Option<String>,
    /// Refuse to run without a signing key.
    #[arg(long)]
    pub require_signed: bool,
}

#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Where to write the key (and PATH.pub) [default: [sign] key, else ./stet_ed25519].
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// The principal the key signs as [default: [sign] identity, else stet].
    #[arg(long, value_name = "ID")]
    pub identity: Option<String>,
}

#[derive(Debug, Args)]
pub struct ProveArgs {
    /// A snapshot id, a prefix (6+ hex digits) or TARGET@ref|latest|N|-N.
    #[arg(value_name = "SNAP")]
    pub snapshot: String,
    /// The bundle's directory (created; must not exist or be empty).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

// Which configured targets to work on (when no SOURCE / TARGET is given).
#[derive(Debug, Args)]
pub struct SelectArgs {
    /// Only targets with this tag (repeatable: any of them).
    #[arg(long, value_name = "TAG")]
    pub tag: Vec<String>,
    /// Only the target with this name (repeatable).
    #[arg(long = "target", value_name = "NAME")]
    pub names: Vec<String>,
    /// Only shard K of N (1-based): a stable split by the targets' host (a
    /// site's targets stay together, so its politeness limits hold), for
    /// several machines sharing the work.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Take the shard from environment variable VAR, a 0-based index (a
    /// Kubernetes Indexed Job's JOB_COMPLETION_INDEX), of --shard-count.
    #[arg(
        long,
        value_name = "VAR",
        requires = "shard_count",
        conflicts_with = "shard"
    )]
    pub shard_index_env: Option<String>,
    /// How many shards there are, with --shard-index-env.
    #[arg(long, value_name = "N", requires = "shard_index_env")]
    pub shard_count: Option<u64>,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// CSS selector of the article body (overrides stet.toml and detection).
    #[arg(long, value_name = "CSS")]
    pub selector: Option<String>,
    /// Remove before diffing: a CSS selector, or `/regex/` for text (repeatable).
    #[arg(long, value_name = "RULE")]
    pub ignore: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ExtractCmdArgs {
    /// A URL (http, https, file) or a local path.
    #[arg(value_name = "SOURCE")]
    pub source: String,
    #[command(flatten)]
    pub fetch: FetchArgs,
    #[command(flatten)]
    pub extract: ExtractArgs,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Old version: id, prefix, TARGET@ref|latest|N|-N, a file or a URL.
    #[arg(value_name = "A")]
    pub old: String,
    /// New version, in the same forms.
    #[arg(value_name = "B")]
    pub new: String,
    /// Cosmetic changes (whitespace, quotes, case) count as differences.
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub fetch: FetchArgs,
    #[command(flatten)]
    pub extract: ExtractArgs,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Targets (URLs or paths) [default: the targets of stet.toml].
    #[arg(value_name = "TARGET")]
    pub targets: Vec<String>,
    /// Finding kinds that fail the audit (comma-separated): substantive, edits,
    /// minor, cosmetic (changes of the text, the headline, captions and images),
    /// corrections, dead-links, missing-captions, placeholder-alt, caption-changed
    /// (any caption change), image-changed (any image replaced, added or removed),
    /// headline-changed (any headline change), provenance, target-dead, article-gone
    /// (the page no longer shows the article), robots-disallowed (robots.txt keeps
    /// stet from watching the page), all, none [default:
    /// substantive,corrections,dead-links,missing-captions,target-dead,article-gone,robots-disallowed].
    #[arg(long, value_name = "KINDS")]
    pub fail_on: Option<String>,
    /// Report cosmetic edits too.
    #[arg(long)]
    pub strict: bool,
    /// Report only what changed since each target's previous audit: new
    /// findings (exit 1 only when one meets the policy) and resolved ones.
    #[arg(long)]
    pub new: bool,
    /// Do not check links (links are checked online unless a target says `links = false`).
    #[arg(long)]
    pub no_links: bool,
    /// For a dead link, ask the Wayback availability endpoint for the closest capture.
    #[arg(long)]
    pub suggest_archive: bool,
    /// POST the JSON report to this URL when there are findings (3 attempts);
    /// a failed post is an error line, the report is printed all the same.
    #[arg(long, value_name = "URL")]
    pub webhook: Option<String>,
    /// Targets fetched at once [default: 16].
    #[arg(long, short = 'j', value_name = "N")]
    pub concurrency: Option<usize>,
    /// Fetches in flight to one host at once [default: 10].
    #[arg(long, value_name = "N")]
    pub host_concurrency: Option<usize>,
    /// Minimum milliseconds between the starts of two page fetches from one
    /// host [default: 0].
    #[arg(long, value_name = "MS")]
    pub host_interval: Option<u64>,
    #[command(flatten)]
    pub fetch: FetchArgs,
    #[command(flatten)]
    pub select: SelectArgs,
    #[command(flatten)]
    pub sign: SignArgs,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// A name from stet.toml, a URL or a path, as snapshotted. Without it:
    /// every stored target.
    #[arg(value_name = "TARGET")]
    pub target: Option<String>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Write a WARC 1.1 file (one gzip member per record), each target's
    /// journal (audits, acknowledgements, pins) and pinned reference with
    /// its snapshots.
    #[arg(long, value_name = "FILE", required_unless_present = "wacz")]
    pub warc: Option<PathBuf>,
    /// Write a WACZ 1.1.1 package (the WARC, its CDXJ index and a page list).
    #[arg(long, value_name = "FILE", conflicts_with = "warc")]
    pub wacz: Option<PathBuf>,
    /// Targets to export [default: every target in the store].
    #[arg(value_name = "TARGET")]
    pub targets: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// WARC files (plain or gzip, WARC 1.0 or 1.1). A stet export's
    /// journals and pins come back with its snapshots: whole into a target
    /// whose own journal is empty or their start; into one whose journal
    /// went on apart, its own stays, with their acknowledgements added and
    /// their last pin taken if later than its own.
    #[arg(long = "warc", value_name = "FILE", required_unless_present = "arc", num_args = 1..)]
    pub warc: Vec<PathBuf>,
    /// ARC files (the format before WARC; plain or gzip, ARC 1 or 2), read
    /// as `warcio recompress` converts them.
    #[arg(long = "arc", value_name = "FILE", num_args = 1..)]
    pub arc: Vec<PathBuf>,
    /// Largest record imported, in bytes [default: 16 MiB].
    #[arg(long, value_name = "BYTES")]
    pub max_body: Option<u64>,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A snapshot id, a prefix (6+ hex digits), TARGET@ref|latest|N|-N, or
    /// TARGET (its latest snapshot). TARGET: a name from stet.toml, a URL or
    /// a path.
    #[arg(value_name = "SNAP")]
    pub snapshot: String,
    /// Print the snapshot's article text instead.
    #[arg(long)]
    pub text: bool,
}

#[derive(Debug, Args)]
pub struct PinArgs {
    /// A name from stet.toml, a URL or a path.
    #[arg(value_name = "TARGET")]
    pub target: String,
    /// Default: the latest snapshot of TARGET.
    #[arg(value_name = "SNAP")]
    pub snapshot: Option<String>,
    /// Why the version is accepted (kept with the pin in the journal).
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct AckArgs {
    /// A URL or path, as audited, or its name in stet.toml.
    #[arg(value_name = "TARGET")]
    pub target: String,
    /// Fingerprints or their prefixes, as the report shows them
    /// [default: every finding of the target's last audit].
    #[arg(value_name = "FINDING")]
    pub findings: Vec<String>,
    /// Why the findings are accepted (kept with the acknowledgement).
    #[arg(long, value_name = "TEXT", required = true)]
    pub note: String,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Also re-run extraction on every stored raw body and compare hashes.
    #[arg(long)]
    pub reextract: bool,
    /// Unsigned, untrusted or untimestamped snapshots are damage, not notes.
    #[arg(long)]
    pub require_signed: bool,
    /// Trusted signing keys [default: [sign] allowed_signers].
    #[arg(long, value_name = "FILE")]
    pub allowed_signers: Option<PathBuf>,
    /// Trusted timestamp CA certificates, PEM [default: [sign] tsa_ca].
    #[arg(long, value_name = "FILE")]
    pub tsa_ca: Option<PathBuf>,
}

// `stet links`. Every default can also be set in `[links]` of stet.toml.
#[derive(Debug, Args)]
#[command(
    after_help = "Classes: ok, redirect, dead (404, 410, soft 404, unknown host), error (5xx, 403, \
                  429, TLS, refused, redirect loop), timeout, skipped.\n\
                  Exit codes: 0 no failing link, 1 failing links (--fail-on, default dead), 2 error.\n\
                  --deny-private is off by default: turn it on for untrusted pages."
)]
pub struct LinksArgs {
    /// The article: a URL or a local file.
    #[arg(value_name = "SOURCE")]
    pub source: String,
    /// Check every link of the page, not only the article's.
    #[arg(long)]
    pub all_links: bool,
    /// Requests in flight at once [default: 64].
    #[arg(long, short = 'j', value_name = "N")]
    pub concurrency: Option<usize>,
    /// Requests in flight at once to one host [default: 10].
    #[arg(long, value_name = "N")]
    pub host_concurrency: Option<usize>,
    /// Minimum milliseconds between two checks of one host [default: 50].
    #[arg(long, value_name = "MS")]
    pub host_interval: Option<u64>,
    /// Seconds allowed for one request, redirects included [default: 10].
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<u64>,
    /// Seconds allowed to connect [default: 5].
    #[arg(long, value_name = "SECS")]
    pub connect_timeout: Option<u64>,
    /// Retries after timeouts, resets, 429 and 5xx [default: 2].
    #[arg(long, value_name = "N")]
    pub retries: Option<u32>,
    /// First retry delay in milliseconds, doubled each retry [default: 500].
    #[arg(long, value_name = "MS")]
    pub backoff: Option<u64>,
    /// Longest Retry-After honoured, in seconds; longer ends the check [default: 30].
    #[arg(long, value_name = "SECS")]
    pub max_retry_after: Option<u64>,
    /// Most redirects followed [default: 10].
    #[arg(long, value_name = "N")]
    pub max_redirects: Option<usize>,
    /// User-Agent header (default names stet and its version).
    #[arg(long, value_name = "TEXT")]
    pub user_agent: Option<String>,
    /// Refuse links to loopback, private, link-local and metadata addresses (every hop).
    #[arg(long)]
    pub deny_private: bool,
    /// Check links robots.txt disallows (for your own sites).
    #[arg(long)]
    pub ignore_robots: bool,
    /// Skip links matching this regex (repeatable).
    #[arg(long, value_name = "REGEX")]
    pub exclude: Vec<String>,
    /// Check only links matching one of these regexes (repeatable).
    #[arg(long, value_name = "REGEX")]
    pub include: Vec<String>,
    /// Ask a Wayback availability endpoint for the closest capture of each dead link.
    #[arg(long)]
    pub suggest_archive: bool,
    /// The availability endpoint [default: https://archive.org/wayback/available].
    #[arg(long, value_name = "URL")]
    pub archive_endpoint: Option<String>,
    /// Use the store's link cache: replay recent successes, record failures.
    #[arg(long)]
    pub cache: bool,
    /// Oldest cached success replayed, in seconds [default: 86400].
    #[arg(long, value_name = "SECS")]
    pub max_age: Option<u64>,
    /// Fail on a link only once it failed on N runs at least a day apart (implies --cache).
    #[arg(long, value_name = "N")]
    pub confirm: Option<u32>,
    /// Classes that make the exit code 1, comma-separated [default: dead].
    #[arg(long, value_name = "CLASSES", value_delimiter = ',')]
    pub fail_on: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// clap's own consistency checks, over every (deferred) subcommand.
    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    /// Deferred subcommands still parse their own arguments and the global
    /// ones, on either side of the subcommand, and still reject strangers.
    #[test]
    fn deferred_subcommands_parse_their_arguments() -> Result<(), clap::Error> {
        let cli = Cli::try_parse_from([
            "stet",
            "--store",
            "s",
            "diff",
            "a.html",
            "b.html",
            "--strict",
            "--timeout",
            "5",
            "--format",
            "json",
        ])?;
        assert_eq!(cli.global.store, Some(PathBuf::from("s")));
        assert_eq!(cli.global.format, Some(FormatArg::Json));
        match cli.command {
            Command::Diff(Deferred(d)) => {
                assert_eq!((d.old.as_str(), d.new.as_str()), ("a.html", "b.html"));
                assert!(d.strict);
                assert_eq!(d.fetch.timeout, Some(5));
            }
            other => panic!("parsed as {other:?}"),
        }
        let err = Cli::try_parse_from(["stet", "diff", "a", "b", "--bogus"])
            .err()
            .map(|e| e.kind());
        assert_eq!(err, Some(clap::error::ErrorKind::UnknownArgument));
        let err = Cli::try_parse_from(["stet", "pin"]).err().map(|e| e.kind());
        assert_eq!(err, Some(clap::error::ErrorKind::MissingRequiredArgument));
        // `stet log` without a target lists the stored targets.
        let cli = Cli::try_parse_from(["stet", "log"])?;
        assert!(matches!(
            cli.command,
            Command::Log(Deferred(LogArgs { target: None }))
        ));
        Ok(())
    }

    /// A subcommand's help names its own options and the global ones.
    #[test]
    fn deferred_subcommand_help_is_whole() {
        let help = Cli::try_parse_from(["stet", "diff", "--help"])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        for option in ["--strict", "--timeout", "--store", "--format", "<A>"] {
            assert!(help.contains(option), "{option} missing from:\n{help}");
        }
    }
}
