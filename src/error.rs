//! Errors of the tool itself (not findings) and the exit codes.

use crate::fetch::FetchError;
use crate::model::{
    AckReport, AuditReport, AuditTally, DiffReport, Document, History, KeygenReport, LinksReport,
    PinReport, ProofBundle, Shown, SnapshotRun, Verdict, VerifyReport,
};
use crate::store::StoreError;
use crate::target::TargetError;

/// Exit codes, decided in one place ([`ExitStatus`], below) and documented in the README.
pub mod exit {
    /// Success: nothing to report (same / intact / clean).
    pub const OK: u8 = 0;
    /// Findings: versions differ, the store is damaged, the audit failed its policy.
    pub const FINDINGS: u8 = 1;
    /// stet could not do its job (bad input, unreachable source, unreadable store).
    pub const ERROR: u8 = 2;
}

/// Why stet could not do what it was asked.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error(transparent)]
    Target(#[from] TargetError),
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Config(#[from] crate::config::file::ConfigError),
    #[error(transparent)]
    Credentials(#[from] crate::fetch::CredentialsError),
    #[error(transparent)]
    Evidence(#[from] crate::evidence::EvidenceError),
    #[error(transparent)]
    Bundle(#[from] crate::evidence::bundle::BundleError),
    #[error("could not write output: {0}")]
    Output(#[source] std::io::Error),
    #[error("could not start the async runtime: {0}")]
    Runtime(#[source] std::io::Error),
    #[error(transparent)]
    Archive(#[from] crate::warc::WarcError),
}

impl Error {
    /// What the user can do about it, when there is something to say.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            Error::Store(StoreError::Missing(_)) => {
                Some("take a first snapshot with `stet snapshot URL`, or point --store / STET_STORE at a store")
            }
            Error::Store(StoreError::LockTimeout { .. }) => {
                Some("another stet is writing to this store; wait for it or raise --lock-timeout")
            }
            // Most say it themselves: once is enough.
            Error::Store(StoreError::Corrupt { detail, .. }) if !detail.contains("stet verify") => {
                Some("run `stet verify` to see what is damaged")
            }
            Error::Store(StoreError::AmbiguousPrefix { .. }) => Some("give more digits of the id"),
            Error::Store(StoreError::UnknownTarget(_)) => {
                Some("`stet log` lists the stored targets; give a name from stet.toml, or the URL or path as snapshotted")
            }
            _ => None,
        }
    }

    /// True for a closed stdout (`stet log | head`): not worth a message.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

/// The exit code a command's value asks for: the one place it is decided.
pub trait ExitStatus {
    fn exit_code(&self) -> u8;
}

impl ExitStatus for Error {
    /// A closed stdout (`stet log | head`) is no failure.
    fn exit_code(&self) -> u8 {
        if self.is_broken_pipe() {
            exit::OK
        } else {
            exit::ERROR
        }
    }
}

impl ExitStatus for AuditReport {
    /// See [`AuditTally`]'s.
    fn exit_code(&self) -> u8 {
        self.tally().exit_code()
    }
}

impl ExitStatus for AuditTally {
    /// Errors, then failures of the policy; changes below it pass.
    /// With `--new`, only new findings fail.
    fn exit_code(&self) -> u8 {
        match self.outcome() {
            Verdict::Error => exit::ERROR,
            Verdict::Fail => exit::FINDINGS,
            _ => exit::OK,
        }
    }
}

impl ExitStatus for crate::model::LogView {
    fn exit_code(&self) -> u8 {
        exit::OK
    }
}

impl ExitStatus for DiffReport {
    fn exit_code(&self) -> u8 {
        if self.differs() {
            exit::FINDINGS
        } else {
            exit::OK
        }
    }
}

impl ExitStatus for VerifyReport {
    fn exit_code(&self) -> u8 {
        if self.intact() {
            exit::OK
        } else {
            exit::FINDINGS
        }
    }
}

impl ExitStatus for crate::model::ExportSummary {
    fn exit_code(&self) -> u8 {
        exit::OK
    }
}

impl ExitStatus for crate::model::TimeMap {
    fn exit_code(&self) -> u8 {
        exit::OK
    }
}

impl ExitStatus for crate::model::ImportReport {
    /// A refused record is a finding: the rest was imported.
    fn exit_code(&self) -> u8 {
        if self.count("refused") > 0 {
            exit::FINDINGS
        } else {
            exit::OK
        }
    }
}

impl ExitStatus for LinksReport {
    fn exit_code(&self) -> u8 {
        if self.failing().next().is_some() {
            exit::FINDINGS
        } else {
            exit::OK
        }
    }
}

impl ExitStatus for SnapshotRun {
    /// A source that could not be snapshotted is an error of the run.
    fn exit_code(&self) -> u8 {
        if self.failed > 0 {
            exit::ERROR
        } else {
            exit::OK
        }
    }
}

/// Values that only inform: `log`, `show`, `pin`, `extract`.
macro_rules! informs {
    ($($t:ty),*) => {$(
        impl ExitStatus for $t {
            fn exit_code(&self) -> u8 {
                exit::OK
            }
        }
    )*};
}
informs!(
    History,
    Shown,
    PinReport,
    AckReport,
    Document,
    KeygenReport,
    ProofBundle
);
