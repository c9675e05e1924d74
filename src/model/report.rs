//! The values the commands other than `audit` produce: diff, history,
//! verify, snapshot rows, show, pin, links. Renderers take these.

use serde::{Deserialize, Serialize};

use super::links::LinkResult;
use super::policy::FailPolicy;
use super::{Document, Manifest, Provenance, SCHEMA_VERSION};
use crate::model::diff::DocDiff;

/// An output format (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
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

impl Format {
    pub const ALL: [Format; 8] = [
        Format::Text,
        Format::Json,
        Format::Html,
        Format::Unified,
        Format::Junit,
        Format::Github,
        Format::Markdown,
        Format::Timemap,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Html => "html",
            Format::Unified => "unified",
            Format::Junit => "junit",
            Format::Github => "github",
            Format::Markdown => "markdown",
            Format::Timemap => "timemap",
        }
    }

    pub fn parse(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// One side of a diff: where the version came from, and its hashes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Side {
    /// How the user named it (a version spec, a file name, a URL).
    pub label: String,
    /// Snapshot id, when the version is a stored snapshot.
    pub snapshot_id: Option<String>,
    /// The normalised target it is a version of.
    pub target: Option<String>,
    /// When it was fetched (RFC 3339 UTC, from the manifest).
    pub fetched_at: Option<String>,
    pub final_url: Option<String>,
    /// HTTP status of the fetch.
    pub status: Option<u16>,
    /// sha256 of the raw body.
    pub body_sha256: Option<String>,
    /// sha256 of the article text ([`Document::text`]).
    pub text_sha256: String,
    /// The extractor that produced the document.
    pub extractor_version: String,
}

impl Side {
    /// A side known only by its label and document (a local file, say).
    pub fn from_document(label: impl Into<String>, doc: &Document) -> Self {
        Side {
            label: label.into(),
            snapshot_id: None,
            target: None,
            fetched_at: None,
            final_url: None,
            status: None,
            body_sha256: None,
            text_sha256: doc.text_sha256(),
            extractor_version: doc.extractor_version.clone(),
        }
    }

    /// The side of a stored snapshot.
    pub fn stored(label: &str, id: &str, m: &Manifest) -> Self {
        Side {
            label: label.to_string(),
            snapshot_id: Some(id.to_string()),
            target: Some(m.target.clone()),
            fetched_at: Some(m.fetch.fetched_at.clone()),
            final_url: Some(m.fetch.final_url.clone()),
            status: m.fetch.status,
            body_sha256: Some(m.body.sha256.clone()),
            text_sha256: m.text_sha256.clone(),
            extractor_version: m.extractor_version.clone(),
        }
    }

    /// The first 12 digits of the snapshot id, else of the body's hash (a
    /// file or a page fetched now), else of the article text's.
    pub fn short_id(&self) -> String {
        let id = self
            .snapshot_id
            .as_deref()
            .or(self.body_sha256.as_deref())
            .unwrap_or(&self.text_sha256);
        id.chars().take(12).collect()
    }
}

/// Everything a diff renderer needs: both sides, both documents, the diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffReport {
    pub old: Side,
    pub new: Side,
    pub old_doc: Document,
    pub new_doc: Document,
    pub diff: DocDiff,
    /// Any change counts, cosmetic ones included (`--strict`).
    pub strict: bool,
}

impl DiffReport {
    /// True when a stored snapshot is compared with a version of another
    /// target (two files or pages named outright are different on purpose).
    pub fn different_targets(&self) -> bool {
        let stored = self.old.snapshot_id.is_some() || self.new.snapshot_id.is_some();
        stored && matches!((&self.old.target, &self.new.target), (Some(a), Some(b)) if a != b)
    }

    /// The verdict: do the two versions differ (per `strict`)?
    pub fn differs(&self) -> bool {
        self.diff.differs(self.strict)
    }
}

/// The last fetch of a target that found nothing new: a 304, or a body
/// identical to the latest snapshot's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastCheck {
    pub schema_version: u32,
    pub checked_at: String,
    pub status: Option<u16>,
    /// `not_modified` (304) or `unchanged` (same content).
    pub outcome: String,
    /// The snapshot the page still matches.
    pub snapshot: String,
    /// The validators of that answer (`ETag`, `Last-Modified`), sent back
    /// on the next fetch: a server may send them first on an unchanged page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

/// One snapshot in a target's history.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub id: String,
    pub fetched_at: String,
    pub status: Option<u16>,
    pub body_size: u64,
    /// Characters of article text.
    pub text_chars: u64,
    /// Characters of article text gained (+) or lost (-) since the previous snapshot.
    pub text_delta: i64,
    /// The article text is the same as the previous snapshot's.
    pub same_text: bool,
    /// The headline (the page's `<h1>`, which is not part of the article
    /// text) differs from the previous snapshot's, both read by the same
    /// extractor.
    pub headline_changed: bool,
    pub is_reference: bool,
    /// sha256 of the raw body.
    pub body_sha256: String,
    /// sha256 of the extracted document.
    pub document_sha256: String,
    /// sha256 of the article text.
    pub text_sha256: String,
}

/// `stet log`: a target's snapshots, oldest first.
#[derive(Debug, Clone, Serialize)]
pub struct History {
    pub schema_version: u32,
    pub target: String,
    /// Its name in stet.toml, if it has one.
    pub name: Option<String>,
    pub reference: Option<String>,
    pub entries: Vec<Entry>,
    /// The last fetch that found nothing new, if any.
    pub last_check: Option<LastCheck>,
    /// Findings acknowledged and references pinned, oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub acknowledgements: Vec<super::history::Acknowledgement>,
}

impl History {
    pub fn new(target: String, reference: Option<String>) -> Self {
        History {
            schema_version: SCHEMA_VERSION,
            target,
            name: None,
            reference,
            entries: Vec::new(),
            last_check: None,
            acknowledgements: Vec::new(),
        }
    }
}

/// One thing found wrong in a store (or, in `notes`, worth knowing).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Problem {
    /// Path relative to the store root.
    pub path: String,
    pub kind: String,
    pub detail: String,
}

/// `stet verify`: what was checked, and what was found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VerifyReport {
    pub objects: usize,
    pub manifests: usize,
    pub targets: usize,
    pub snapshots: usize,
    pub bytes: u64,
    /// Damage: anything here makes `verify` fail.
    pub problems: Vec<Problem>,
    /// Harmless leftovers (temporary files of an interrupted writer,
    /// manifests no history names).
    pub notes: Vec<Problem>,
    pub reextracted: usize,
    /// Snapshots signed by a trusted key (when the store holds evidence).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signed: Option<usize>,
    /// Snapshots with a timestamp (when the store holds evidence).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamped: Option<usize>,
}

/// `stet keygen`: where the new key is and how others will trust it.
#[derive(Debug, Clone, Serialize)]
pub struct KeygenReport {
    /// The private key's file (mode 0600); never its content.
    pub key: String,
    pub public_key: String,
    /// `SHA256:…`, as `ssh-keygen -l` prints it.
    pub fingerprint: String,
    /// The line verifiers put in their `allowed_signers`.
    pub allowed_signers: String,
}

/// `stet prove`: what a proof bundle holds.
#[derive(Debug, Clone, Serialize)]
pub struct ProofBundle {
    pub dir: String,
    pub snapshot: String,
    pub target: String,
    pub principal: String,
    pub fingerprint: String,
    /// The key's line came from the trusted allowed_signers (else from the
    /// signature itself: compare the fingerprint with the signer's).
    pub key_trusted: bool,
    pub timestamped: bool,
    pub tsa_ca: bool,
    /// Parent manifests included, newest first.
    pub chain: Vec<String>,
    pub files: Vec<String>,
}

impl VerifyReport {
    pub fn intact(&self) -> bool {
        self.problems.is_empty()
    }
}

/// What happened to one source of `stet snapshot`.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// A new version was stored.
    New { id: String, manifest: Box<Manifest> },
    /// The page is as the latest snapshot has it (`not_modified`: the
    /// server said so with a 304).
    Unchanged {
        id: String,
        manifest: Box<Manifest>,
        not_modified: bool,
    },
    /// No answer could be had, or it could not be stored.
    Failed { error: String, reason: String },
    /// Not fetched, and not an error (`reason`: `robots` when robots.txt
    /// disallows the page).
    Skipped { detail: String, reason: String },
}

/// One source of `stet snapshot` and what became of it.
#[derive(Debug, Clone)]
pub struct SnapshotRow {
    pub target: String,
    pub source: String,
    pub outcome: Outcome,
}

/// A whole `stet snapshot` run (its rows are handed out as they are stored).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SnapshotRun {
    pub rows: usize,
    pub failed: usize,
}

/// `stet show`: a snapshot's manifest and the page's own claims.
#[derive(Debug, Clone, Serialize)]
pub struct SnapshotView {
    pub schema_version: u32,
    pub id: String,
    pub is_reference: bool,
    pub manifest: Manifest,
    pub provenance: Provenance,
}

impl SnapshotView {
    pub fn new(id: String, is_reference: bool, manifest: Manifest, doc: &Document) -> Self {
        SnapshotView {
            schema_version: SCHEMA_VERSION,
            id,
            is_reference,
            manifest,
            provenance: Provenance::of(doc),
        }
    }
}

/// What `stet show` shows: the snapshot, or (`--text`) its article text.
#[derive(Debug, Clone)]
pub enum Shown {
    Snapshot(Box<SnapshotView>),
    Text(Box<Document>),
}

/// `stet pin`: the new reference of a target, and the one it replaced.
#[derive(Debug, Clone, Serialize)]
pub struct PinReport {
    pub schema_version: u32,
    pub target: String,
    pub reference: String,
    pub previous: Option<String>,
}

/// `stet ack`: the findings acknowledged now, and those an earlier
/// acknowledgement covers already.
#[derive(Debug, Clone, Serialize)]
pub struct AckReport {
    pub schema_version: u32,
    pub target: String,
    pub at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    pub note: String,
    pub acknowledged: Vec<Acknowledged>,
    /// Fingerprints named that were acknowledged before.
    pub already: Vec<String>,
}

/// One acknowledged finding.
#[derive(Debug, Clone, Serialize)]
pub struct Acknowledged {
    pub fingerprint: String,
    pub kind: String,
    pub location: String,
}

/// `stet links`: every distinct link and what became of it.
#[derive(Debug, Clone)]
pub struct LinksReport {
    pub results: Vec<LinkResult>,
    pub fail_on: FailPolicy,
    /// Remarks for the user (on stderr), such as "the article has no links".
    pub notes: Vec<String>,
}

impl LinksReport {
    /// The links that fail the run.
    pub fn failing(&self) -> impl Iterator<Item = &LinkResult> {
        self.results.iter().filter(|r| self.fail_on.fails_link(r))
    }
}
