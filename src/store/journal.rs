//! The audit journal of a target (`targets/<key>/journal`): what every audit
//! found, and every acknowledgement and pin, in order.
//!
//! One record a line: `<sha256 of the JSON> <canonical JSON>`. Each record
//! names the hash of the line before it (`prev`), so the journal is a chain
//! like a target's history: a changed, dropped or reordered line breaks it,
//! and `stet verify` names the file and the line.
//!
//! Bounded: an audit that finds exactly what the previous one found (same
//! reference and current snapshot, verdict and findings) adds no line; a
//! `repeat` record after the audit counts such runs and keeps the last
//! one's time. The journal grows by one line per change, acknowledgement or
//! pin, not per run. The whole file is rewritten atomically under the store
//! lock, so a killed audit leaves it as it was.
//!
//! A run that repeats the last outcome does not rewrite the journal: it
//! counts itself in `journal-pending` (one small write in place, no sync,
//! no rename), which names the hash of the journal's last line. The count
//! is folded into the journal's `repeat` record when the next record is
//! written. A crash may lose or tear the pending count; a torn one, or one
//! naming another last line, is ignored. Losing it loses how many quiet
//! runs there were since the last write, never a finding, an
//! acknowledgement or a pin, and never damages the journal.
//!
//! A shared store (S3) has no lock and no pending hint: every record,
//! repeat counts included, is a compare-and-swap of the journal (retried on
//! conflict), so workers auditing the same target at once all land.

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{atomic, layout, Store, StoreError, Writer};
use crate::digest::{canonical_json, is_sha256_hex, sha256_hex};

/// Version of the journal records written by this build.
pub const JOURNAL_VERSION: u32 = 1;

/// Longest `before` / `after` kept in the journal, in characters. The
/// fingerprint is taken over the whole text; the journal keeps enough to
/// say what a resolved finding was.
pub const KEPT_CHARS: usize = 240;

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub schema_version: u32,
    /// Hash of the previous line's JSON (`None` on the first line).
    pub prev: Option<String>,
    #[serde(flatten)]
    pub record: Record,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Record {
    Audit(AuditRecord),
    Repeat(RepeatRecord),
    Ack(AckRecord),
    Pin(PinRecord),
}

impl Record {
    /// The snapshots the record names: an audit's reference and current
    /// version, a pin's reference and the one it replaced.
    pub fn snapshots(&self) -> Vec<&String> {
        match self {
            Record::Audit(a) => a.reference.iter().chain(a.current.iter()).collect(),
            Record::Pin(p) => std::iter::once(&p.reference)
                .chain(p.previous.iter())
                .collect(),
            Record::Repeat(_) | Record::Ack(_) => Vec::new(),
        }
    }
}

/// What one audit of the target found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// When the audit ran (RFC 3339 UTC).
    pub at: String,
    pub reference: Option<String>,
    pub current: Option<String>,
    /// `clean`, `changed`, `notice`, `fail` or `error`.
    pub verdict: String,
    /// Why the target could not be audited (verdict `error`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub findings: Vec<FindingRecord>,
}

impl AuditRecord {
    /// Same outcome as `other`, whenever it ran.
    pub fn same_outcome(&self, other: &AuditRecord) -> bool {
        self.reference == other.reference
            && self.current == other.current
            && self.verdict == other.verdict
            && self.error == other.error
            && self.findings == other.findings
    }
}

/// A finding as the journal keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingRecord {
    pub fingerprint: String,
    pub kind: String,
    /// The stable location the fingerprint was taken over.
    pub location: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// Whether it failed the target's policy.
    pub fails: bool,
    /// Whether an acknowledgement covered it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub acknowledged: bool,
}

impl FindingRecord {
    /// `before` / `after` clipped to [`KEPT_CHARS`] (with `…` when cut).
    pub fn clipped(text: &str) -> String {
        match text.char_indices().nth(KEPT_CHARS) {
            None => text.to_string(),
            Some((end, _)) => format!("{}…", &text[..end]),
        }
    }
}

/// Further runs with the outcome of the audit record before it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepeatRecord {
    pub runs: u64,
    /// When the last of them ran.
    pub last_at: String,
}

/// A standing finding accepted as known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AckRecord {
    pub at: String,
    /// Who acknowledged it (the user name, when known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    pub note: String,
    pub fingerprint: String,
    pub kind: String,
    pub location: String,
}

/// A reference moved by `stet pin`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinRecord {
    pub at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    pub reference: String,
    pub previous: Option<String>,
    /// Why the version was accepted, when the pin said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One parsed line: its hash and its entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub hash: String,
    pub entry: Entry,
}

/// A target's journal, oldest record first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Journal {
    pub lines: Vec<Line>,
    /// Runs after the last line that repeated its outcome, not yet written
    /// into the journal (see the module documentation).
    pub pending: Option<RepeatRecord>,
}

/// The `journal-pending` hint: runs that repeated the outcome of the
/// journal whose last line hashes to `after`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Pending {
    after: String,
    #[serde(flatten)]
    repeat: RepeatRecord,
}

/// An audit record with the runs that repeated it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRun<'a> {
    pub record: &'a AuditRecord,
    /// Runs with this outcome, the first included.
    pub runs: u64,
    /// When the last of them ran.
    pub last_at: &'a str,
}

impl Journal {
    /// Every audit record, oldest first, with its repeats.
    pub fn audits(&self) -> Vec<AuditRun<'_>> {
        let mut out: Vec<AuditRun<'_>> = Vec::new();
        let mut last_audit: Option<usize> = None;
        for line in &self.lines {
            match &line.entry.record {
                Record::Audit(a) => {
                    last_audit = Some(out.len());
                    out.push(AuditRun {
                        record: a,
                        runs: 1,
                        last_at: &a.at,
                    });
                }
                Record::Repeat(r) => {
                    if let Some(run) = last_audit.and_then(|i| out.get_mut(i)) {
                        run.runs += r.runs;
                        run.last_at = &r.last_at;
                    }
                }
                Record::Ack(_) | Record::Pin(_) => {}
            }
        }
        if let Some(p) = &self.pending {
            if let Some(run) = last_audit.and_then(|i| out.get_mut(i)) {
                run.runs += p.runs;
                run.last_at = &p.last_at;
            }
        }
        out
    }

    /// The last audit that could look at the target (errors keep the
    /// previous findings as the baseline: a failed fetch resolves nothing).
    pub fn baseline(&self) -> Option<&AuditRecord> {
        self.lines.iter().rev().find_map(|l| match &l.entry.record {
            Record::Audit(a) if a.verdict != "error" => Some(a),
            _ => None,
        })
    }

    /// Every acknowledgement, oldest first.
    pub fn acks(&self) -> Vec<&AckRecord> {
        self.lines
            .iter()
            .filter_map(|l| match &l.entry.record {
                Record::Ack(a) => Some(a),
                _ => None,
            })
            .collect()
    }

    /// Every pin recorded, oldest first.
    pub fn pins(&self) -> Vec<&PinRecord> {
        self.lines
            .iter()
            .filter_map(|l| match &l.entry.record {
                Record::Pin(p) => Some(p),
                _ => None,
            })
            .collect()
    }
}

/// What is wrong with a journal's bytes: the 1-based line and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    pub line: usize,
    pub kind: &'static str,
    pub detail: String,
}

/// Parse and check a journal: every line's hash, the chain, the records,
/// and that a `repeat` follows an audit or a repeat of one.
pub fn parse(bytes: &[u8]) -> Result<Journal, Damage> {
    let mut journal = Journal::default();
    if bytes.is_empty() {
        return Ok(journal);
    }
    let Some(body) = bytes.strip_suffix(b"\n") else {
        return Err(Damage {
            line: bytes.split(|b| *b == b'\n').count(),
            kind: "journal_truncated",
            detail: "the last line does not end in a newline".to_string(),
        });
    };
    for (i, raw) in body.split(|b| *b == b'\n').enumerate() {
        let n = i + 1;
        let damage = |kind: &'static str, detail: String| Damage {
            line: n,
            kind,
            detail,
        };
        let (hash, json) = match raw.iter().position(|b| *b == b' ') {
            Some(64) => (&raw[..64], &raw[65..]),
            _ => {
                return Err(damage(
                    "journal_invalid",
                    "not `<sha256> <record>`".to_string(),
                ))
            }
        };
        let hash = std::str::from_utf8(hash)
            .ok()
            .filter(|h| is_sha256_hex(h))
            .ok_or_else(|| damage("journal_invalid", "no sha256 at the start".to_string()))?;
        let actual = sha256_hex(json);
        if actual != hash {
            return Err(damage(
                "journal_corrupt",
                format!("the record hashes to {actual}, the line says {hash}"),
            ));
        }
        let entry: Entry =
            serde_json::from_slice(json).map_err(|e| damage("journal_invalid", e.to_string()))?;
        if canonical_json(&entry).ok().as_deref() != Some(json) {
            return Err(damage(
                "journal_invalid",
                "the record is not canonical JSON".to_string(),
            ));
        }
        let expected = journal.lines.last().map(|l| l.hash.as_str());
        if entry.prev.as_deref() != expected {
            return Err(damage(
                "journal_chain",
                format!(
                    "prev is {}, the line before hashes to {}",
                    entry.prev.as_deref().unwrap_or("none"),
                    expected.unwrap_or("none")
                ),
            ));
        }
        if let Record::Repeat(_) = entry.record {
            let follows_audit = journal
                .lines
                .last()
                .is_some_and(|l| matches!(l.entry.record, Record::Audit(_)));
            if !follows_audit {
                return Err(damage(
                    "journal_invalid",
                    "a repeat record that does not follow an audit record".to_string(),
                ));
            }
        }
        journal.lines.push(Line {
            hash: hash.to_string(),
            entry,
        });
    }
    Ok(journal)
}

/// The line of an entry, newline included, and its hash.
fn encode(entry: &Entry) -> Result<(String, Vec<u8>), StoreError> {
    let json = canonical_json(entry).map_err(|e| StoreError::Encode(e.to_string()))?;
    let hash = sha256_hex(&json);
    let mut line = Vec::with_capacity(json.len() + 66);
    line.extend_from_slice(hash.as_bytes());
    line.push(b' ');
    line.extend_from_slice(&json);
    line.push(b'\n');
    Ok((hash, line))
}

pub(super) fn journal_path(store: &Store, target: &str) -> PathBuf {
    store.layout().target_dir(target).join(layout::JOURNAL_FILE)
}

/// The bytes of a journal (none if it does not exist) and what they say.
fn load(store: &Store, path: &Path) -> Result<(Vec<u8>, Journal), StoreError> {
    let bytes = store.read(path)?.unwrap_or_default();
    parsed(path, bytes)
}

fn parsed(path: &Path, bytes: Vec<u8>) -> Result<(Vec<u8>, Journal), StoreError> {
    let journal = parse(&bytes).map_err(|d| StoreError::Corrupt {
        path: path.to_path_buf(),
        detail: format!("line {}: {} (run `stet verify`)", d.line, d.detail),
    })?;
    Ok((bytes, journal))
}

fn pending_path(store: &Store, target: &str) -> PathBuf {
    store
        .layout()
        .target_dir(target)
        .join(layout::JOURNAL_PENDING_FILE)
}

/// The pending repeats of `journal`, if the hint is whole and names its
/// last line, which must be an audit or its repeat record. A shared store
/// has none: its runs are counted in the journal itself.
fn load_pending(store: &Store, target: &str, journal: &Journal) -> Option<RepeatRecord> {
    if store.backend().is_some() {
        return None;
    }
    let last = journal.lines.last()?;
    if !matches!(last.entry.record, Record::Audit(_) | Record::Repeat(_)) {
        return None;
    }
    let bytes = fs::read(pending_path(store, target)).ok()?;
    let pending: Pending = serde_json::from_slice(&bytes).ok()?;
    (pending.after == last.hash && pending.repeat.runs > 0).then_some(pending.repeat)
}

/// A journal with its pending repeats.
pub(super) fn load_all(store: &Store, target: &str) -> Result<(Vec<u8>, Journal), StoreError> {
    let (bytes, mut journal) = load(store, &journal_path(store, target))?;
    journal.pending = load_pending(store, target, &journal);
    Ok((bytes, journal))
}

impl Store {
    /// The audit journal of `target` (empty if it has none), with the
    /// runs that repeated its last outcome since it was last written.
    pub fn journal(&self, target: &str) -> Result<Journal, StoreError> {
        load_all(self, target).map(|(_, journal)| journal)
    }

    /// The acknowledgements of `target`, oldest first.
    pub fn acks(&self, target: &str) -> Result<Vec<AckRecord>, StoreError> {
        Ok(self.journal(target)?.acks().into_iter().cloned().collect())
    }
}

/// What [`Writer::record_audit`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    /// A new audit record.
    Appended,
    /// Same outcome as the last audit: counted in its repeat record.
    Repeated,
}

impl Writer {
    /// Record an audit of `target`. A run with the outcome of the journal's
    /// last record is counted rather than written out again.
    pub fn record_audit(&self, target: &str, audit: AuditRecord) -> Result<Recorded, StoreError> {
        if let Some(done) = self.shared_edit(target, |bytes, mut journal| {
            if !repeats(&journal, &audit) {
                let bytes = folded(bytes, &journal, [Record::Audit(audit.clone())])?;
                return Ok((bytes, Recorded::Appended));
            }
            // No pending hint on a shared store: the repeat record is
            // rewritten by compare-and-swap.
            journal.pending = Some(RepeatRecord {
                runs: 1,
                last_at: audit.at.clone(),
            });
            Ok((folded(bytes, &journal, [])?, Recorded::Repeated))
        }) {
            return done;
        }
        let (bytes, journal) = load_all(self.store(), target)?;
        if self.count_repeat(target, &journal, &audit)? {
            return Ok(Recorded::Repeated);
        }
        self.append_to(target, bytes, &journal, [Record::Audit(audit)])?;
        Ok(Recorded::Appended)
    }

    /// Record the audits of many targets, made durable together: every
    /// changed journal is written under a temporary name, one flush, the
    /// renames, one flush (two `syncfs` for the lot instead of an fsync of
    /// each file and its directory). Repeats only count themselves (see
    /// [`Writer::record_audit`]). Once this returns, every record is
    /// durable; a crash before leaves each journal old or new, never torn.
    pub fn record_audits(
        &self,
        audits: Vec<(String, AuditRecord)>,
    ) -> Result<Vec<Recorded>, StoreError> {
        if self.store().backend().is_some() {
            // Each journal is its own compare-and-swap on a shared store.
            return audits
                .into_iter()
                .map(|(target, audit)| self.record_audit(&target, audit))
                .collect();
        }
        let store = self.store();
        let mut out = Vec::with_capacity(audits.len());
        let mut staged: Vec<(super::group::Staged, Option<PathBuf>)> = Vec::new();
        let mut in_group = std::collections::BTreeSet::new();
        for (target, audit) in audits {
            // A target audited twice in one run: its first record must be
            // in place before the second reads the journal.
            if !in_group.insert(target.clone()) {
                self.commit_journals(std::mem::take(&mut staged))?;
                in_group = std::collections::BTreeSet::from([target.clone()]);
            }
            let (bytes, journal) = load_all(store, &target)?;
            if self.count_repeat(&target, &journal, &audit)? {
                out.push(Recorded::Repeated);
                continue;
            }
            let bytes = folded(bytes, &journal, [Record::Audit(audit)])?;
            let dir = store.layout().target_dir(&target);
            if !dir.join(layout::TARGET_FILE).exists() {
                // Never stored (rare here): the one-file path creates it.
                write(store, &target, &journal_path(store, &target), &bytes)?;
            } else {
                let pending = journal
                    .pending
                    .is_some()
                    .then(|| pending_path(store, &target));
                staged.push((
                    super::group::stage(journal_path(store, &target), &bytes)?,
                    pending,
                ));
            }
            out.push(Recorded::Appended);
        }
        self.commit_journals(staged)?;
        Ok(out)
    }

    /// Flush, give staged journals their names, flush; then drop the
    /// pending counts they folded in.
    fn commit_journals(
        &self,
        staged: Vec<(super::group::Staged, Option<PathBuf>)>,
    ) -> Result<(), StoreError> {
        if staged.is_empty() {
            return Ok(());
        }
        self.flush()?;
        let mut pendings = Vec::new();
        for (file, pending) in staged {
            file.tmp
                .persist(&file.path)
                .map_err(|e| StoreError::io(&file.path, e.error))?;
            pendings.extend(pending);
        }
        self.flush()?;
        for pending in pendings {
            remove_if_present(&pending)?;
        }
        Ok(())
    }

    /// If `audit` repeats the outcome of the journal's last audit, count it
    /// in the pending hint and return true.
    fn count_repeat(
        &self,
        target: &str,
        journal: &Journal,
        audit: &AuditRecord,
    ) -> Result<bool, StoreError> {
        let Some(last) = journal.lines.last().filter(|_| repeats(journal, audit)) else {
            return Ok(false);
        };
        let pending = Pending {
            after: last.hash.clone(),
            repeat: RepeatRecord {
                runs: journal.pending.as_ref().map_or(0, |p| p.runs) + 1,
                last_at: audit.at.clone(),
            },
        };
        let mut hint = canonical_json(&pending).map_err(|e| StoreError::Encode(e.to_string()))?;
        hint.push(b'\n');
        let path = pending_path(self.store(), target);
        fs::write(&path, hint).map_err(|e| StoreError::io(path, e))?;
        Ok(true)
    }

    /// Record acknowledgements (in one write: all of them or none).
    pub fn record_acks(&self, target: &str, acks: Vec<AckRecord>) -> Result<(), StoreError> {
        self.append(target, acks.into_iter().map(Record::Ack))
    }

    /// Record a pin.
    pub fn record_pin(&self, target: &str, pin: PinRecord) -> Result<(), StoreError> {
        self.append(target, [Record::Pin(pin)])
    }

    /// Record the pin `make` builds from the journal it is appended to (on
    /// a shared store, built again on each retry); returns it.
    pub(crate) fn record_pin_from(
        &self,
        target: &str,
        mut make: impl FnMut(&Journal) -> Result<PinRecord, StoreError>,
    ) -> Result<PinRecord, StoreError> {
        if let Some(done) = self.shared_edit(target, |bytes, journal| {
            let pin = make(&journal)?;
            let bytes = folded(bytes, &journal, [Record::Pin(pin.clone())])?;
            Ok((bytes, pin))
        }) {
            return done;
        }
        let (bytes, journal) = load_all(self.store(), target)?;
        let pin = make(&journal)?;
        self.append_to(target, bytes, &journal, [Record::Pin(pin.clone())])?;
        Ok(pin)
    }

    fn append(
        &self,
        target: &str,
        records: impl IntoIterator<Item = Record>,
    ) -> Result<(), StoreError> {
        let records: Vec<Record> = records.into_iter().collect();
        if let Some(done) = self.shared_edit(target, |bytes, journal| {
            Ok((folded(bytes, &journal, records.iter().cloned())?, ()))
        }) {
            return done;
        }
        let (bytes, journal) = load_all(self.store(), target)?;
        self.append_to(target, bytes, &journal, records)
    }

    /// On a shared store, rewrite the journal of `target` with `change`
    /// (current bytes and what they say → new bytes) by compare-and-swap,
    /// retried on conflict; `None` on a local store.
    fn shared_edit<T>(
        &self,
        target: &str,
        mut change: impl FnMut(Vec<u8>, Journal) -> Result<(Vec<u8>, T), StoreError>,
    ) -> Option<Result<T, StoreError>> {
        let path = journal_path(self.store(), target);
        self.shared_update(target, layout::JOURNAL_FILE, |current| {
            let (bytes, journal) = parsed(&path, current.unwrap_or_default().to_vec())?;
            change(bytes, journal).map(|(bytes, out)| (Some(bytes), out))
        })
    }

    /// Replace the journal of `target` with `bytes`, a whole journal
    /// (see `state`: one that continues the target's own).
    pub(super) fn replace_journal(&self, target: &str, bytes: &[u8]) -> Result<(), StoreError> {
        if let Some(done) = self.shared_update(target, layout::JOURNAL_FILE, |_| {
            Ok((Some(bytes.to_vec()), ()))
        }) {
            return done;
        }
        let store = self.store();
        write(store, target, &journal_path(store, target), bytes)?;
        // Its count names a line of the journal replaced.
        remove_if_present(&pending_path(store, target))
    }

    /// Write `journal` (stored as `bytes`) with its pending repeats folded
    /// into its repeat record, then `records`, atomically.
    fn append_to(
        &self,
        target: &str,
        bytes: Vec<u8>,
        journal: &Journal,
        records: impl IntoIterator<Item = Record>,
    ) -> Result<(), StoreError> {
        let store = self.store();
        let bytes = folded(bytes, journal, records)?;
        write(store, target, &journal_path(store, target), &bytes)?;
        // Folded in; left behind by a crash, it names a line that is no
        // longer last and is ignored.
        if journal.pending.is_some() {
            remove_if_present(&pending_path(store, target))?;
        }
        Ok(())
    }
}

/// Whether `audit` has the outcome of the journal's last audit (its last
/// line, or the repeat record after it).
fn repeats(journal: &Journal, audit: &AuditRecord) -> bool {
    let lines = &journal.lines;
    let Some(last) = lines.last() else {
        return false;
    };
    let previous = match &last.entry.record {
        Record::Audit(a) => Some(a),
        Record::Repeat(_) => match lines.len().checked_sub(2).map(|i| &lines[i]) {
            Some(Line {
                entry:
                    Entry {
                        record: Record::Audit(a),
                        ..
                    },
                ..
            }) => Some(a),
            _ => None,
        },
        _ => None,
    };
    previous.is_some_and(|p| p.same_outcome(audit))
}

/// The bytes of `journal` (stored as `bytes`) with its pending repeats
/// folded into its repeat record, then `records`.
pub(super) fn folded(
    mut bytes: Vec<u8>,
    journal: &Journal,
    records: impl IntoIterator<Item = Record>,
) -> Result<Vec<u8>, StoreError> {
    let last = journal.lines.last();
    let mut prev = last.map(|l| l.hash.clone());
    if let (Some(pending), Some(last)) = (&journal.pending, last) {
        let repeat = match &last.entry.record {
            Record::Repeat(r) => {
                // Replace the trailing repeat record with the sum.
                let keep = bytes.len() - line_len(&bytes, last);
                bytes.truncate(keep);
                prev = last.entry.prev.clone();
                RepeatRecord {
                    runs: r.runs + pending.runs,
                    last_at: pending.last_at.clone(),
                }
            }
            _ => pending.clone(),
        };
        let (hash, line) = encode(&entry(prev, Record::Repeat(repeat)))?;
        bytes.extend_from_slice(&line);
        prev = Some(hash);
    }
    for record in records {
        let (hash, line) = encode(&entry(prev, record))?;
        bytes.extend_from_slice(&line);
        prev = Some(hash);
    }
    Ok(bytes)
}

fn remove_if_present(path: &Path) -> Result<(), StoreError> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
        Err(e) => Err(StoreError::io(path, e)),
    }
}

fn entry(prev: Option<String>, record: Record) -> Entry {
    Entry {
        schema_version: JOURNAL_VERSION,
        prev,
        record,
    }
}

/// Bytes of `line` as stored (hash, space, JSON, newline).
fn line_len(bytes: &[u8], line: &Line) -> usize {
    let json = canonical_json(&line.entry).map_or(0, |j| j.len());
    (json + 66).min(bytes.len())
}

fn write(store: &Store, target: &str, path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let dir = store.layout().target_dir(target);
    atomic::create_dirs(&dir)?;
    let target_file = dir.join(layout::TARGET_FILE);
    if !target_file.exists() {
        atomic::replace(&target_file, format!("{target}\n").as_bytes())?;
    }
    atomic::replace(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(fp: &str) -> FindingRecord {
        FindingRecord {
            fingerprint: fp.repeat(64 / fp.len()),
            kind: "edit".into(),
            location: "paragraph".into(),
            before: Some("2004".into()),
            after: Some("2005".into()),
            fails: true,
            acknowledged: false,
        }
    }

    fn audit(at: &str, findings: Vec<FindingRecord>) -> AuditRecord {
        AuditRecord {
            at: at.into(),
            reference: Some("a".repeat(64)),
            current: Some("b".repeat(64)),
            verdict: if findings.is_empty() { "clean" } else { "fail" }.into(),
            error: None,
            findings,
        }
    }

    /// A new store and its writer.
    fn writer() -> Result<(tempfile::TempDir, Store, Writer), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let store = Store::open_or_create(dir.path().join("s"))?;
        let writer = store.writer(std::time::Duration::from_secs(1))?;
        Ok((dir, store, writer))
    }

    fn record(
        w: &Writer,
        at: &str,
        findings: Vec<FindingRecord>,
    ) -> Result<Recorded, Box<dyn std::error::Error>> {
        Ok(w.record_audit(T, audit(at, findings))?)
    }

    const T: &str = "https://example.org/a";

    #[test]
    fn unchanged_runs_are_counted_not_written_out() -> Result<(), Box<dyn std::error::Error>> {
        let (_dir, store, w) = writer()?;
        let r = |at: &str, f: Vec<FindingRecord>| record(&w, at, f);
        assert_eq!(
            r("2026-01-01T00:00:00Z", vec![finding("1")])?,
            Recorded::Appended
        );
        assert_eq!(
            r("2026-01-02T00:00:00Z", vec![finding("1")])?,
            Recorded::Repeated
        );
        let written = fs::read(journal_path(&store, T))?;
        for day in 3..=9 {
            let at = format!("2026-01-0{day}T00:00:00Z");
            assert_eq!(r(&at, vec![finding("1")])?, Recorded::Repeated);
        }
        let j = store.journal(T)?;
        assert_eq!(j.lines.len(), 1, "one audit record");
        assert_eq!(
            fs::read(journal_path(&store, T))?,
            written,
            "repeats do not rewrite the journal"
        );
        let audits = j.audits();
        assert_eq!(audits.len(), 1);
        assert_eq!(
            (audits[0].runs, audits[0].last_at),
            (9, "2026-01-09T00:00:00Z")
        );

        // A change is a new record, after the repeats folded into one; the
        // baseline follows it.
        assert_eq!(
            r("2026-01-10T00:00:00Z", vec![finding("2")])?,
            Recorded::Appended
        );
        let j = store.journal(T)?;
        assert_eq!(j.lines.len(), 3);
        assert_eq!(j.pending, None);
        assert_eq!(
            j.baseline().map(|b| b.findings[0].fingerprint.clone()),
            Some("2".repeat(64))
        );
        let runs: Vec<_> = j.audits().iter().map(|a| (a.runs, a.last_at)).collect();
        assert_eq!(
            runs,
            vec![(9, "2026-01-09T00:00:00Z"), (1, "2026-01-10T00:00:00Z")]
        );

        // Repeats of a journal ending in a repeat record add to it.
        for day in 11..=12 {
            r(&format!("2026-01-{day}T00:00:00Z"), vec![finding("2")])?;
        }
        w.record_acks(
            T,
            vec![AckRecord {
                at: "2026-01-13T00:00:00Z".into(),
                by: None,
                note: "known".into(),
                fingerprint: "2".repeat(64),
                kind: "edit".into(),
                location: "paragraph".into(),
            }],
        )?;
        r("2026-01-14T00:00:00Z", vec![finding("2")])?;
        r("2026-01-15T00:00:00Z", vec![finding("2")])?;
        let j = store.journal(T)?;
        let runs: Vec<_> = j.audits().iter().map(|a| (a.runs, a.last_at)).collect();
        assert_eq!(
            runs,
            vec![
                (9, "2026-01-09T00:00:00Z"),
                (3, "2026-01-12T00:00:00Z"),
                (2, "2026-01-15T00:00:00Z")
            ]
        );
        assert!(parse(&fs::read(journal_path(&store, T))?).is_ok());
        Ok(())
    }

    #[test]
    fn audits_of_many_targets_are_recorded_together() -> Result<(), Box<dyn std::error::Error>> {
        let (_dir, store, w) = writer()?;
        let targets = ["https://a.example/1", "https://b.example/2", T];
        // Journals are only written for stored targets (a `target` file).
        for t in targets {
            let dir = store.layout().target_dir(t);
            fs::create_dir_all(&dir)?;
            fs::write(dir.join(layout::TARGET_FILE), format!("{t}\n"))?;
        }
        let day = |d: u32, t: &str, f: &str| {
            (
                t.to_string(),
                audit(&format!("2026-01-0{d}T00:00:00Z"), vec![finding(f)]),
            )
        };
        let first = w.record_audits(targets.iter().map(|t| day(1, t, "1")).collect())?;
        assert_eq!(first, vec![Recorded::Appended; 3]);
        // Repeats, a change, and one target twice in the same batch.
        let second = w.record_audits(vec![
            day(2, targets[0], "1"),
            day(2, targets[1], "2"),
            day(2, T, "1"),
            day(3, T, "3"),
        ])?;
        assert_eq!(
            second,
            vec![
                Recorded::Repeated,
                Recorded::Appended,
                Recorded::Repeated,
                Recorded::Appended
            ]
        );
        let runs = |t: &str| -> Result<Vec<(u64, String)>, StoreError> {
            Ok(store
                .journal(t)?
                .audits()
                .iter()
                .map(|a| (a.runs, a.last_at.to_string()))
                .collect())
        };
        assert_eq!(
            runs(targets[0])?,
            vec![(2, "2026-01-02T00:00:00Z".to_string())]
        );
        assert_eq!(runs(targets[1])?.len(), 2);
        assert_eq!(
            runs(T)?,
            vec![
                (2, "2026-01-02T00:00:00Z".to_string()),
                (1, "2026-01-03T00:00:00Z".to_string())
            ]
        );
        for t in targets {
            assert!(parse(&fs::read(journal_path(&store, t))?).is_ok());
        }
        Ok(())
    }

    #[test]
    fn a_lost_or_torn_pending_count_is_ignored() -> Result<(), Box<dyn std::error::Error>> {
        let (_dir, store, w) = writer()?;
        for day in 1..=4 {
            record(&w, &format!("2026-01-0{day}T00:00:00Z"), vec![finding("1")])?;
        }
        let count = |s: &Store| s.journal(T).map(|j| j.audits()[0].runs);
        assert_eq!(count(&store)?, 4);
        let pending = pending_path(&store, T);
        let whole = fs::read(&pending)?;
        // Torn at every length: never an error, never a wrong count.
        for len in 0..whole.len() - 1 {
            fs::write(&pending, &whole[..len])?;
            assert_eq!(count(&store)?, 1, "torn at {len}");
        }
        fs::write(&pending, &whole)?;
        // The journal written since (an error run): the old count is stale.
        let mut failed = audit("2026-01-05T00:00:00Z", vec![]);
        failed.verdict = "error".into();
        w.record_audit(T, failed)?;
        fs::write(&pending, &whole)?;
        let j = store.journal(T)?;
        assert_eq!(j.pending, None);
        assert_eq!(j.audits()[0].runs, 4);
        drop(w);
        assert!(store
            .verify(&Default::default())?
            .problems
            .iter()
            .all(|p| !p.kind.starts_with("journal_c")));
        Ok(())
    }

    #[test]
    fn errors_do_not_move_the_baseline_and_acks_break_repeats(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let (_dir, store, w) = writer()?;
        record(&w, "2026-01-01T00:00:00Z", vec![finding("1")])?;
        let mut failed = audit("2026-01-02T00:00:00Z", vec![]);
        failed.verdict = "error".into();
        failed.error = Some("connection refused".into());
        w.record_audit(T, failed)?;
        let j = store.journal(T)?;
        assert_eq!(j.baseline().map(|b| b.findings.len()), Some(1));

        w.record_acks(
            T,
            vec![AckRecord {
                at: "2026-01-03T00:00:00Z".into(),
                by: Some("desk".into()),
                note: "known".into(),
                fingerprint: "1".repeat(64),
                kind: "edit".into(),
                location: "paragraph".into(),
            }],
        )?;
        let again = record(&w, "2026-01-04T00:00:00Z", vec![finding("1")])?;
        assert_eq!(again, Recorded::Appended);
        let acks = store.acks(T)?;
        assert_eq!(acks.len(), 1);
        assert_eq!(acks[0].note, "known");
        Ok(())
    }

    #[test]
    fn any_flipped_byte_is_found() -> Result<(), Box<dyn std::error::Error>> {
        let (_dir, store, w) = writer()?;
        record(&w, "2026-01-01T00:00:00Z", vec![finding("1")])?;
        record(&w, "2026-01-02T00:00:00Z", vec![finding("1")])?;
        record(&w, "2026-01-03T00:00:00Z", vec![])?;
        let bytes = fs::read(journal_path(&store, T))?;
        assert!(parse(&bytes).is_ok());
        for i in 0..bytes.len() {
            for bit in [0x01, 0x20, 0x80] {
                let mut damaged = bytes.clone();
                damaged[i] ^= bit;
                assert!(parse(&damaged).is_err(), "byte {i} ^ {bit:#x} not found");
            }
        }
        // Dropping a whole line breaks the chain.
        let text = String::from_utf8(bytes)?;
        let lines: Vec<&str> = text.lines().collect();
        let dropped = format!("{}\n{}\n", lines[0], lines[2]);
        assert_eq!(
            parse(dropped.as_bytes()).map_err(|d| d.kind),
            Err("journal_chain")
        );
        Ok(())
    }

    #[test]
    fn verify_names_a_damaged_journal() -> Result<(), Box<dyn std::error::Error>> {
        let (_dir, store, w) = writer()?;
        let mut first = audit("2026-01-01T00:00:00Z", vec![]);
        first.reference = None;
        first.current = None;
        w.record_audit(T, first)?;
        record(&w, "2026-01-02T00:00:00Z", vec![finding("1")])?;
        drop(w);
        let report = store.verify(&Default::default())?;
        let journal = format!("targets/{}/journal", layout::target_key(T));
        // No snapshot of the target: the ids of the second audit are unknown.
        assert_eq!(
            report
                .problems
                .iter()
                .map(|p| (p.path.as_str(), p.kind.as_str()))
                .collect::<Vec<_>>(),
            vec![
                (journal.as_str(), "journal_unknown_snapshot"),
                (journal.as_str(), "journal_unknown_snapshot")
            ]
        );
        let path = journal_path(&store, T);
        let mut bytes = fs::read(&path)?;
        let i = bytes.len() / 2;
        bytes[i] ^= 0x04;
        fs::write(&path, &bytes)?;
        let report = store.verify(&Default::default())?;
        assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
        assert_eq!(report.problems[0].path, journal);
        assert!(store.journal(T).is_err());
        Ok(())
    }

    #[test]
    fn long_texts_are_clipped() -> Result<(), Box<dyn std::error::Error>> {
        let long = "é".repeat(KEPT_CHARS + 10);
        let clipped = FindingRecord::clipped(&long);
        assert_eq!(clipped.chars().count(), KEPT_CHARS + 1);
        assert!(clipped.ends_with('…'));
        assert_eq!(FindingRecord::clipped("short"), "short");
        Ok(())
    }
}
