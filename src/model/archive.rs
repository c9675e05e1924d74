//! The values of the web archive commands: `export`, `import` and
//! `log --format timemap`.

use serde::Serialize;

use super::{History, SCHEMA_VERSION};

/// What `stet export` wrote.
#[derive(Debug, Clone, Serialize)]
pub struct ExportSummary {
    pub schema_version: u32,
    pub file: String,
    /// `warc` or `wacz`.
    pub format: String,
    pub snapshots: usize,
    pub responses: usize,
    pub revisits: usize,
    pub resources: usize,
    /// Targets whose journal (audits, acknowledgements, pins) and pinned
    /// reference were written.
    pub states: usize,
    /// Bytes of the WARC (compressed).
    pub warc_bytes: u64,
}

/// What became of one record of an imported WARC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordOutcome {
    pub file: String,
    pub record_id: String,
    pub record_type: String,
    pub offset: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    /// A record of evidence (`signature`, `timestamp` or
    /// `journal_signatures`): `restored`, `present`, `skipped` (what it
    /// signs is not in the store) or `refused` (it does not verify).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// `new`, `restored` (a stet snapshot taken back as it was), `present`
    /// (already in the store), `skipped` (not a page) or `refused` (damaged).
    /// A target's journal and pinned reference (`record_type` `metadata`,
    /// `uri` the target): `restored`, `present`, `merged` or `refused`.
    pub outcome: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// One file read by `stet import`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileSummary {
    pub file: String,
    pub sha256: String,
    pub records: usize,
}

/// `stet import --warc`.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub schema_version: u32,
    pub files: Vec<FileSummary>,
    pub records: Vec<RecordOutcome>,
}

impl Default for ImportReport {
    fn default() -> Self {
        ImportReport {
            schema_version: SCHEMA_VERSION,
            files: Vec::new(),
            records: Vec::new(),
        }
    }
}

impl ImportReport {
    pub fn count(&self, outcome: &str) -> usize {
        self.records.iter().filter(|r| r.outcome == outcome).count()
    }
}

/// `stet log --format timemap`: a target's history and where its
/// mementos are replayed.
#[derive(Debug, Clone)]
pub struct TimeMap {
    pub history: History,
    /// URI-M = PREFIX + 14-digit time + `/` + URI-R.
    pub replay_prefix: String,
    /// TimeGate = this + URI-R, when there is one.
    pub timegate: Option<String>,
}
