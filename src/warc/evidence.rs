//! Signatures and timestamps in a WARC stet exported, and back.
//!
//! Each signed snapshot gets a `metadata` record of type
//! [`SIGNATURE_TYPE`] (its armored SSH signature over the manifest's exact
//! bytes, namespace `stet-snapshot`), each timestamped one a `metadata`
//! record of type [`TIMESTAMP_TYPE`] (the RFC 3161 answer over the
//! manifest id), both named `urn:stet:snapshot:ID`, `WARC-Refers-To` the
//! snapshot's stet metadata record and `WARC-Concurrent-To` its capture.
//! A target's signed journal lines travel in one `metadata` record of type
//! [`JOURNAL_SIGNATURES_TYPE`] named `urn:stet:target:KEY`, referring to
//! the target's state record.
//!
//! On import they are taken back after the snapshots and journals, only
//! for what the store holds exactly (the manifest id or journal line hash
//! they sign), and only once checked: a signature that does not verify, or
//! a token that is not over the manifest id, is refused and never written.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::read::RecordHead;
use crate::evidence::allowed::{AllowedSigners, SigCheck};
use crate::evidence::seal::decode_hex32;
use crate::evidence::{timestamp, JOURNAL_NAMESPACE, SNAPSHOT_NAMESPACE};
use crate::model::RecordOutcome;
use crate::store::{journal, Store, StoreError, TargetState, Writer};

/// `Content-Type` of a snapshot's signature record: an armored SSH
/// signature (`ssh-keygen -Y verify -n stet-snapshot`) of the manifest in
/// the stet metadata record it refers to.
pub const SIGNATURE_TYPE: &str = "application/vnd.stet.ssh-signature";

/// `Content-Type` of a snapshot's timestamp record: the RFC 3161
/// `TimeStampResp` over the manifest id (RFC 3161's own media type).
pub const TIMESTAMP_TYPE: &str = "application/timestamp-reply";

/// `Content-Type` of a target's journal signatures ([`JournalSignatures`]).
pub const JOURNAL_SIGNATURES_TYPE: &str = "application/vnd.stet.journal-signatures+json";

/// Version of [`JournalSignatures`] written by this build.
const JOURNAL_SIGNATURES_VERSION: u32 = 1;

/// Largest signature or timestamp record read, in bytes.
const MAX_TOKEN: u64 = 1 << 20;

/// Largest journal signatures record read, in bytes.
const MAX_JOURNAL: u64 = 64 << 20;

/// The signatures of a target's journal lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalSignatures {
    pub schema_version: u32,
    pub target: String,
    /// Line hash (sha256 of its canonical JSON) → armored SSH signature.
    pub signatures: BTreeMap<String, String>,
}

/// The evidence records of snapshot `id` the store holds, in the order
/// written: `(Content-Type, block)`.
pub fn of_snapshot(store: &Store, id: &str) -> Result<Vec<(&'static str, Vec<u8>)>, StoreError> {
    let mut out = Vec::new();
    if let Some(sig) = store.signature(id)? {
        out.push((SIGNATURE_TYPE, sig));
    }
    if let Some(tsr) = store.timestamp(id)? {
        out.push((TIMESTAMP_TYPE, tsr));
    }
    Ok(out)
}

/// The signatures of the lines of an exported target state; `None` when
/// no line is signed.
pub fn of_journal(
    store: &Store,
    state: &TargetState,
) -> Result<Option<JournalSignatures>, StoreError> {
    let Ok(journal) = journal::parse(state.journal.as_bytes()) else {
        return Ok(None);
    };
    let mut signatures = BTreeMap::new();
    for line in &journal.lines {
        if let Some(sig) = store.signature(&line.hash)? {
            signatures.insert(
                line.hash.clone(),
                String::from_utf8_lossy(&sig).into_owned(),
            );
        }
    }
    Ok((!signatures.is_empty()).then(|| JournalSignatures {
        schema_version: JOURNAL_SIGNATURES_VERSION,
        target: state.target.clone(),
        signatures,
    }))
}

/// What an evidence record holds.
enum Held {
    Signature { id: String, armored: Vec<u8> },
    Timestamp { id: String, reply: Vec<u8> },
    Journal(JournalSignatures),
}

/// An evidence record as the first pass read it.
pub struct EvidenceRecord {
    head: RecordHead,
    held: Result<Held, String>,
}

/// Whether a record is one of stet's evidence records.
pub fn is_evidence(head: &RecordHead) -> bool {
    head.kind() == "metadata"
        && matches!(
            head.get("Content-Type"),
            Some(SIGNATURE_TYPE | TIMESTAMP_TYPE | JOURNAL_SIGNATURES_TYPE)
        )
        && head
            .target_uri()
            .is_some_and(|u| u.starts_with("urn:stet:"))
}

/// What an evidence record is, for the import report: `signature`,
/// `timestamp` or `journal_signatures`.
fn kind_of(head: &RecordHead) -> &'static str {
    match head.get("Content-Type") {
        Some(SIGNATURE_TYPE) => "signature",
        Some(TIMESTAMP_TYPE) => "timestamp",
        _ => "journal_signatures",
    }
}

fn limit(head: &RecordHead) -> u64 {
    if head.get("Content-Type") == Some(JOURNAL_SIGNATURES_TYPE) {
        MAX_JOURNAL
    } else {
        MAX_TOKEN
    }
}

/// Whether an evidence record's block is small enough to be read.
pub fn readable(head: &RecordHead) -> bool {
    is_evidence(head) && head.length <= limit(head)
}

/// What the first pass learnt of an evidence record.
pub fn scanned(
    head: &RecordHead,
    block: Option<Vec<u8>>,
    digest_ok: Option<bool>,
) -> EvidenceRecord {
    let held = match block {
        _ if digest_ok == Some(false) => {
            Err("its WARC-Block-Digest does not match its block".to_string())
        }
        None => Err(format!(
            "a record of {} bytes, larger than the limit of {} bytes",
            head.length,
            limit(head)
        )),
        Some(block) => held(head, block),
    };
    EvidenceRecord {
        head: head.clone(),
        held,
    }
}

fn held(head: &RecordHead, block: Vec<u8>) -> Result<Held, String> {
    let snapshot = || {
        head.target_uri()
            .and_then(|u| u.strip_prefix("urn:stet:snapshot:"))
            .filter(|id| decode_hex32(id).is_some())
            .map(str::to_string)
            .ok_or_else(|| "its WARC-Target-URI names no snapshot".to_string())
    };
    match head.get("Content-Type") {
        Some(SIGNATURE_TYPE) => Ok(Held::Signature {
            id: snapshot()?,
            armored: block,
        }),
        Some(TIMESTAMP_TYPE) => Ok(Held::Timestamp {
            id: snapshot()?,
            reply: block,
        }),
        _ => match serde_json::from_slice::<JournalSignatures>(&block) {
            Ok(j) if j.schema_version > JOURNAL_SIGNATURES_VERSION => Err(format!(
                "journal signatures of version {}; this stet reads version \
                 {JOURNAL_SIGNATURES_VERSION}",
                j.schema_version
            )),
            Ok(j) => Ok(Held::Journal(j)),
            Err(e) => Err(format!("not a journal's signatures: {e}")),
        },
    }
}

/// Take back every evidence record of `records` (one file's, in file
/// order), after the snapshots and journals: one outcome each.
pub fn restore_all(
    writer: &Writer,
    file: &str,
    records: &[EvidenceRecord],
) -> Result<Vec<RecordOutcome>, StoreError> {
    let mut out = Vec::with_capacity(records.len());
    for r in records {
        let mut outcome = RecordOutcome {
            uri: r.head.target_uri().map(str::to_string),
            evidence: Some(kind_of(&r.head).to_string()),
            ..super::import::outcome_of(file, &r.head)
        };
        let done = match &r.held {
            Err(why) => Done::Refused(why.clone()),
            Ok(Held::Signature { id, armored }) => {
                outcome.snapshot = Some(id.clone());
                signature(writer, id, armored)?
            }
            Ok(Held::Timestamp { id, reply }) => {
                outcome.snapshot = Some(id.clone());
                token(writer, id, reply)?
            }
            Ok(Held::Journal(j)) => journal_lines(writer, j)?,
        };
        let (name, detail) = match done {
            Done::Restored(d) => ("restored", d),
            Done::Present(d) => ("present", d),
            Done::Skipped(d) => ("skipped", d),
            Done::Refused(d) => ("refused", d),
        };
        outcome.outcome = name.to_string();
        outcome.detail = Some(detail);
        out.push(outcome);
    }
    Ok(out)
}

enum Done {
    Restored(String),
    Present(String),
    Skipped(String),
    Refused(String),
}

/// The stored bytes of manifest `id`; `None` when the store has no such
/// snapshot.
fn manifest_bytes(store: &Store, id: &str) -> Result<Option<Vec<u8>>, StoreError> {
    match store.manifest_bytes(id) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(StoreError::UnknownSnapshot(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

fn not_stored(id: &str) -> Done {
    Done::Skipped(format!(
        "snapshot {} is not in the store as it was signed (not restored as it was)",
        short(id)
    ))
}

fn short(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

fn signature(writer: &Writer, id: &str, armored: &[u8]) -> Result<Done, StoreError> {
    let store = writer.store();
    let Some(bytes) = manifest_bytes(store, id)? else {
        return Ok(not_stored(id));
    };
    if let SigCheck::Bad { detail } =
        AllowedSigners::default().check(SNAPSHOT_NAMESPACE, &bytes, armored)
    {
        return Ok(Done::Refused(format!(
            "the signature of snapshot {} does not verify ({detail}): not kept",
            short(id)
        )));
    }
    keep("signature", id, store.signature(id)?, armored, || {
        writer.put_signature(id, armored)
    })
}

/// Store `new`, the `what` of snapshot `id`, unless the store has one
/// (`own`): the store's own is kept.
fn keep(
    what: &str,
    id: &str,
    own: Option<Vec<u8>>,
    new: &[u8],
    put: impl FnOnce() -> Result<(), StoreError>,
) -> Result<Done, StoreError> {
    Ok(match own {
        Some(own) if own == new => Done::Present("already stored".to_string()),
        Some(_) => Done::Present(format!(
            "snapshot {} has a {what} of its own in the store: kept",
            short(id)
        )),
        None => {
            put()?;
            Done::Restored(format!("{what} of snapshot {}", short(id)))
        }
    })
}

fn token(writer: &Writer, id: &str, reply: &[u8]) -> Result<Done, StoreError> {
    let store = writer.store();
    let (Some(_), Some(digest)) = (manifest_bytes(store, id)?, decode_hex32(id)) else {
        return Ok(not_stored(id));
    };
    if let Err(e) = timestamp::check_digest(reply, &digest) {
        return Ok(Done::Refused(format!(
            "the timestamp of snapshot {} is not one of it ({e}): not kept",
            short(id)
        )));
    }
    keep("timestamp", id, store.timestamp(id)?, reply, || {
        writer.put_timestamp(id, reply)
    })
}

fn journal_lines(writer: &Writer, signed: &JournalSignatures) -> Result<Done, StoreError> {
    let store = writer.store();
    // A journal that does not parse is damage `verify` reports.
    let Ok(journal) = store.journal(&signed.target) else {
        return Ok(Done::Skipped(format!(
            "the store's journal of {} cannot be read",
            signed.target
        )));
    };
    let (mut restored, mut present, mut absent, mut bad) = (0, 0, 0, 0);
    for (hash, armored) in &signed.signatures {
        let Some(line) = journal.lines.iter().find(|l| &l.hash == hash) else {
            absent += 1;
            continue;
        };
        let Ok(bytes) = crate::digest::canonical_json(&line.entry) else {
            bad += 1;
            continue;
        };
        let armored = armored.as_bytes();
        if let SigCheck::Bad { .. } =
            AllowedSigners::default().check(JOURNAL_NAMESPACE, &bytes, armored)
        {
            bad += 1;
            continue;
        }
        if store.signature(hash)?.is_some() {
            present += 1;
        } else {
            writer.put_signature(hash, armored)?;
            restored += 1;
        }
    }
    let mut detail = format!(
        "journal of {}: {restored} line signatures restored, {present} already stored",
        signed.target
    );
    if absent > 0 {
        detail.push_str(&format!(", {absent} of lines the journal does not hold"));
    }
    if bad > 0 {
        detail.push_str(&format!(", {bad} that do not verify: not kept"));
        return Ok(Done::Refused(detail));
    }
    Ok(match (restored, present) {
        (r, _) if r > 0 => Done::Restored(detail),
        (_, p) if p > 0 => Done::Present(detail),
        _ => Done::Skipped(detail),
    })
}
