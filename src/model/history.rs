//! `stet log` values: the stored targets, and a target's whole history as
//! the history page shows it.

use serde::Serialize;

use super::diff::NoticeChange;
use super::{DiffReport, History, TargetAudit};

/// One stored target, for `stet log` without a target.
#[derive(Debug, Clone, Serialize)]
pub struct TargetRow {
    /// Its name in stet.toml, if it has one.
    pub name: Option<String>,
    pub target: String,
    /// Snapshots stored.
    pub versions: usize,
    /// `fetched_at` of the latest snapshot.
    pub last_fetch: Option<String>,
    pub latest: Option<String>,
    pub reference: Option<String>,
}

/// Every stored target.
#[derive(Debug, Clone, Serialize)]
pub struct TargetList {
    pub schema_version: u32,
    pub targets: Vec<TargetRow>,
}

/// What changed from one version of a target to the next.
#[derive(Debug, Clone)]
pub struct Step {
    /// Indexes into [`History::entries`].
    pub from: usize,
    pub to: usize,
    /// The diff of the two documents; `None` when they are the same
    /// document (only the page around the article changed, or nothing).
    pub diff: Option<DiffReport>,
    /// Correction notices added, changed or removed in this step.
    pub corrections: Vec<NoticeChange>,
}

/// An acceptance recorded in the target's journal: a finding acknowledged
/// with `stet ack`, or a reference moved with `stet pin`.
#[derive(Debug, Clone, Serialize)]
pub struct Acknowledgement {
    /// When it was recorded (RFC 3339 UTC).
    pub at: String,
    /// Who recorded it, when known.
    pub by: Option<String>,
    /// What was accepted, in words: `placeholder_alt at …`, `pinned 1aefdf047037`.
    pub what: String,
    /// The finding's fingerprint (acknowledgements only).
    pub fingerprint: Option<String>,
    /// Why (acknowledgements only).
    pub note: Option<String>,
}

/// Everything the history page shows: every version, each step's diff, the
/// latest version against the reference, its findings, the corrections and
/// the acknowledgements.
#[derive(Debug, Clone)]
pub struct HistoryPage {
    pub history: History,
    pub steps: Vec<Step>,
    /// Reference → latest, when they are different documents.
    pub against_reference: Option<DiffReport>,
    /// The audit of the latest version against the reference (offline).
    pub audit: Option<TargetAudit>,
    pub acknowledgements: Vec<Acknowledgement>,
    /// Screenshots of the latest rendered versions, oldest first (at most
    /// [`PAGE_SCREENSHOTS`]).
    pub screenshots: Vec<VersionScreenshot>,
    /// Versions with a screenshot that the page leaves out (older ones).
    pub screenshots_left_out: usize,
}

/// Most screenshots one history page carries (they are inlined).
pub const PAGE_SCREENSHOTS: usize = 6;

/// A stored screenshot of one version (`screenshot = true`).
#[derive(Debug, Clone)]
pub struct VersionScreenshot {
    /// Index of the version in the history (0-based).
    pub version: usize,
    pub sha256: String,
    pub width: u32,
    pub height: u32,
    pub full_page: bool,
    pub png: Vec<u8>,
}

/// What `stet log` prints: the stored targets, a target's history, or its
/// history page.
#[derive(Debug, Clone)]
pub enum LogView {
    Targets(TargetList),
    History(Box<History>),
    Page(Box<HistoryPage>),
}
