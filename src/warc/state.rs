//! The targets' journals and pinned references in a WARC stet exported
//! (metadata records of type [`STET_TARGET_TYPE`]), taken back after the
//! snapshots they name: checked whole, then merged into the store (see
//! `store::state`). A WARC without them imports as before.

use super::read::RecordHead;
use super::STET_TARGET_TYPE;
use crate::model::RecordOutcome;
use crate::store::journal;
use crate::store::state::STATE_VERSION;
use crate::store::{Restored, StoreError, TargetState, Writer};
use crate::target::Target;

/// Largest state record read, in bytes (a journal grows by a line per
/// change, acknowledgement or pin, not per run).
const MAX_STATE: u64 = 64 << 20;

/// A state record as the first pass read it: its head and its state, or
/// why it cannot be taken.
pub struct StateRecord {
    pub head: RecordHead,
    state: Result<TargetState, String>,
}

/// Whether the first pass keeps this record's block.
pub fn is_state(head: &RecordHead) -> bool {
    head.kind() == "metadata" && head.get("Content-Type") == Some(STET_TARGET_TYPE)
}

/// Whether a state record's block is small enough to be read.
pub fn readable(head: &RecordHead) -> bool {
    is_state(head) && head.length <= MAX_STATE
}

/// What the first pass learnt of a state record.
pub fn scanned(head: &RecordHead, block: Option<Vec<u8>>, digest_ok: Option<bool>) -> StateRecord {
    let state = match block {
        _ if digest_ok == Some(false) => {
            Err("its WARC-Block-Digest does not match its block".to_string())
        }
        None => Err(format!(
            "a target's journal of {} bytes, larger than the limit of {MAX_STATE} bytes",
            head.length
        )),
        Some(block) => serde_json::from_slice::<TargetState>(&block)
            .map_err(|e| format!("not a target's journal and reference: {e}")),
    };
    StateRecord {
        head: head.clone(),
        state,
    }
}

/// Restore every state record of `records` (each file's, in file order),
/// after the snapshots: one outcome each.
pub fn restore_all(
    writer: &Writer,
    file: &str,
    records: &[StateRecord],
) -> Result<Vec<RecordOutcome>, StoreError> {
    let mut out = Vec::with_capacity(records.len());
    for r in records {
        let mut outcome = super::import::outcome_of(file, &r.head);
        let checked = match &r.state {
            Ok(state) => {
                outcome.uri = Some(state.target.clone());
                check(writer, state)?.map(|()| state)
            }
            Err(why) => Err(why.clone()),
        };
        let state = match checked {
            Ok(state) => state,
            Err(why) => {
                outcome.detail = Some(why);
                out.push(outcome);
                continue;
            }
        };
        let lines = journal::parse(state.journal.as_bytes()).map_or(0, |j| j.lines.len());
        let (name, detail, reference) = match writer.restore_state(state)? {
            Restored::Restored => (
                "restored",
                format!("{lines} records"),
                state.reference.clone(),
            ),
            Restored::Present => ("present", "already stored".to_string(), None),
            Restored::Merged { acks, pinned } => (
                "merged",
                format!(
                    "this store's own went on apart: kept, {acks} acknowledgements added{}",
                    if pinned.is_some() {
                        ", the later pin taken"
                    } else {
                        ""
                    }
                ),
                pinned,
            ),
        };
        outcome.outcome = name.to_string();
        outcome.detail = Some(detail);
        outcome.snapshot = reference;
        out.push(outcome);
    }
    Ok(out)
}

/// Whether `state` can be taken: a target stet can store, a whole
/// journal, and a reference (and last pin) and every snapshot the
/// journal names among the target's snapshots;
/// `Ok(Err(why))` when it cannot.
fn check(writer: &Writer, state: &TargetState) -> Result<Result<(), String>, StoreError> {
    if state.schema_version > STATE_VERSION {
        return Ok(Err(format!(
            "a target's journal of version {}; this stet reads version {STATE_VERSION}",
            state.schema_version
        )));
    }
    match Target::parse(&state.target) {
        Ok(t) if t.to_string() == state.target => {}
        _ => {
            return Ok(Err(format!(
                "`{}` is not a target stet stores",
                state.target.escape_debug()
            )))
        }
    }
    let journal = match journal::parse(state.journal.as_bytes()) {
        Ok(j) => j,
        Err(d) => return Ok(Err(format!("its journal, line {}: {}", d.line, d.detail))),
    };
    let history = writer.store().history(&state.target)?;
    if history.is_empty() {
        return Ok(Err(format!(
            "no snapshot of {} in the store to go with its journal",
            state.target
        )));
    }
    let last_pin = journal.pins().last().map(|p| p.reference.clone());
    for id in state.reference.iter().chain(last_pin.iter()) {
        if !history.contains(id) {
            return Ok(Err(format!(
                "it pins {id}, which is not a snapshot of {} in the store",
                state.target
            )));
        }
    }
    // Every snapshot its lines name, or the journal would be damage in
    // this store (`stet verify`: journal_unknown_snapshot).
    for (i, line) in journal.lines.iter().enumerate() {
        if let Some(id) = line
            .entry
            .record
            .snapshots()
            .into_iter()
            .find(|id| !history.contains(id))
        {
            return Ok(Err(format!(
                "its journal, line {}, names snapshot {id}, which is not a snapshot of {} \
                 in the store (import into an empty store to keep the journal)",
                i + 1,
                state.target
            )));
        }
    }
    Ok(Ok(()))
}
