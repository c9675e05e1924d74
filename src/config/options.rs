//! The settings of the commands that fetch: snapshot and audit.

use std::time::Duration;

use crate::diff::DiffOptions;
use crate::fetch::FetchOptions;
use crate::links::LinkOptions;
use crate::model::{ExtractSettings, FailPolicy};
use crate::target::Target;

/// Settings of a snapshot run.
#[derive(Debug, Clone)]
pub struct SnapshotOptions {
    pub fetch: FetchOptions,
    /// Sources fetched at once.
    pub concurrency: usize,
    /// How long to wait for another stet holding the store lock.
    pub lock_timeout: Duration,
    /// Send `If-None-Match` / `If-Modified-Since` from the latest snapshot.
    pub conditional: bool,
    /// Fetches in flight to one host at once (politeness to each site).
    pub host_concurrency: usize,
    /// Minimum time between the starts of two fetches from one host.
    pub host_interval: Duration,
    /// Signature and timestamp added to each new snapshot.
    pub evidence: crate::evidence::Evidence,
}

/// Default number of sources fetched at once.
pub const DEFAULT_CONCURRENCY: usize = 16;

/// Default number of fetches in flight to one host.
pub const DEFAULT_HOST_CONCURRENCY: usize = 10;

impl Default for SnapshotOptions {
    fn default() -> Self {
        SnapshotOptions {
            fetch: FetchOptions::default(),
            concurrency: DEFAULT_CONCURRENCY,
            lock_timeout: crate::store::DEFAULT_LOCK_TIMEOUT,
            conditional: true,
            host_concurrency: DEFAULT_HOST_CONCURRENCY,
            host_interval: Duration::ZERO,
            evidence: crate::evidence::Evidence::default(),
        }
    }
}

/// What an audit is asked to do.
#[derive(Debug, Clone)]
pub struct AuditOptions {
    /// Use the latest stored snapshot instead of fetching.
    pub offline: bool,
    pub snapshot: SnapshotOptions,
    pub diff: DiffOptions,
    /// Report cosmetic edits too.
    pub strict: bool,
    /// Default policy for targets that set none.
    pub fail_on: FailPolicy,
    /// Check the links of targets that do not opt out (`None`: no link
    /// checking, as with `--offline`).
    pub links: Option<LinkOptions>,
    /// Report what changed since each target's previous audit.
    pub new: bool,
}

/// One target to audit.
#[derive(Debug, Clone)]
pub struct AuditTarget {
    pub target: Target,
    /// Where its file is read (a `path` target of a stet.toml in another
    /// directory); `None`: the target itself.
    pub read: Option<std::path::PathBuf>,
    pub name: Option<String>,
    pub extract: ExtractSettings,
    /// stet.toml lists this target: both versions are compared as
    /// `extract` reads them (rules added since the reference was taken
    /// apply to it too); else each as it was snapshotted.
    pub listed: bool,
    /// This target's own policy, if it has one.
    pub fail_on: Option<FailPolicy>,
    /// Check this target's links (when the audit checks links at all).
    pub links: bool,
    /// Headers and cookies of the page fetch.
    pub request: super::file::RequestAuth,
    /// Rendering and robots.txt settings of the page fetch.
    pub fetch: super::file::TargetFetch,
    /// The `path` glob of stet.toml that found this target's file, when the
    /// audit is of stet.toml's targets: the glob's stored targets whose
    /// files are gone are audited too.
    pub glob: Option<std::sync::Arc<super::file::GlobOrigin>>,
}
