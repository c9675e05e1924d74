//! What a user set up for a target beyond its snapshots: its journal
//! (audits, acknowledgements, pins) and its pinned reference, as one value
//! that travels with the store (`stet export --warc`, `stet import`).
//!
//! Taken back into a store, a state is merged with the target's own:
//!
//! - no journal yet, or one the imported journal continues (its lines are
//!   the first lines of the imported one): the imported journal and
//!   reference are taken whole (`restored`), so the store audits as the
//!   exported one did;
//! - a journal that already holds every imported line: nothing changes
//!   (`present`);
//! - two journals that went apart: the target keeps its own journal and
//!   audits (what its own `audit --new` has reported), and gains the
//!   imported acknowledgements it lacks and the imported last pin when that
//!   pin is later than its own last pin (`merged`).

use serde::{Deserialize, Serialize};

use super::journal::{self, AckRecord, Journal, PinRecord};
use super::{Store, StoreError, Writer};

/// Version of [`TargetState`] written by this build.
pub const STATE_VERSION: u32 = 1;

/// A target's journal and pinned reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetState {
    pub schema_version: u32,
    pub target: String,
    /// The pinned reference (`None`: the first snapshot is the reference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The journal's lines, as stored (runs not yet written into it
    /// folded in).
    pub journal: String,
}

impl TargetState {
    /// When its journal was last written to: the time of its last record.
    pub fn last_at(&self) -> Option<String> {
        let journal = journal::parse(self.journal.as_bytes()).ok()?;
        journal.lines.last().map(|l| match &l.entry.record {
            journal::Record::Audit(a) => a.at.clone(),
            journal::Record::Repeat(r) => r.last_at.clone(),
            journal::Record::Ack(a) => a.at.clone(),
            journal::Record::Pin(p) => p.at.clone(),
        })
    }
}

/// What [`Writer::restore_state`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Restored {
    /// The imported journal and reference are the target's now.
    Restored,
    /// The store held all of it already.
    Present,
    /// The journals went apart: `acks` acknowledgements added, and the
    /// imported last pin taken (`pinned`) when it was the later one.
    Merged { acks: usize, pinned: Option<String> },
}

impl Store {
    /// The state of `target`: `None` when it has no journal and no pinned
    /// reference.
    pub fn target_state(&self, target: &str) -> Result<Option<TargetState>, StoreError> {
        let path = journal::journal_path(self, target);
        let (bytes, journal) = journal::load_all(self, target)?;
        let bytes = journal::folded(bytes, &journal, [])?;
        let reference = self.pinned(target)?;
        if bytes.is_empty() && reference.is_none() {
            return Ok(None);
        }
        let journal = String::from_utf8(bytes).map_err(|_| StoreError::Corrupt {
            path,
            detail: "not UTF-8 (run `stet verify`)".to_string(),
        })?;
        Ok(Some(TargetState {
            schema_version: STATE_VERSION,
            target: target.to_string(),
            reference,
            journal,
        }))
    }
}

/// What to do with a target's journal given an imported one.
enum Plan {
    Present,
    Replace,
    Merge {
        acks: Vec<AckRecord>,
        pin: Option<PinRecord>,
    },
}

fn plan(local: &Journal, imported: &Journal) -> Plan {
    let hashes = |j: &Journal| j.lines.iter().map(|l| l.hash.clone()).collect::<Vec<_>>();
    let (mine, theirs) = (hashes(local), hashes(imported));
    if theirs.len() <= mine.len() && mine.starts_with(&theirs) {
        return Plan::Present;
    }
    if theirs.starts_with(&mine) {
        return Plan::Replace;
    }
    let known = local.acks();
    let acks = imported
        .acks()
        .into_iter()
        .filter(|a| !known.contains(a))
        .cloned()
        .collect();
    let latest = |j: &Journal| j.pins().last().map(|p| (*p).clone());
    let pin = match (latest(local), latest(imported)) {
        (_, None) => None,
        (None, theirs) => theirs,
        (Some(mine), Some(theirs)) => {
            (later(&theirs.at, &mine.at) && theirs.reference != mine.reference).then_some(theirs)
        }
    };
    Plan::Merge { acks, pin }
}

/// Whether time `a` is after time `b` (as instants when both are RFC 3339
/// dates, else as text).
fn later(a: &str, b: &str) -> bool {
    use time::format_description::well_known::Rfc3339;
    let instant = |t: &str| time::OffsetDateTime::parse(t, &Rfc3339).ok();
    match (instant(a), instant(b)) {
        (Some(a), Some(b)) => a > b,
        _ => a > b,
    }
}

impl Writer {
    /// Take `state` back into the store (see the module documentation).
    /// Its journal must be whole, and its reference and every snapshot
    /// its journal names snapshots of the target already stored: the
    /// caller checks.
    pub fn restore_state(&self, state: &TargetState) -> Result<Restored, StoreError> {
        let store = self.store();
        let target = state.target.as_str();
        let path = journal::journal_path(store, target);
        let imported =
            journal::parse(state.journal.as_bytes()).map_err(|d| StoreError::Corrupt {
                path: path.clone(),
                detail: format!("imported journal, line {}: {}", d.line, d.detail),
            })?;
        // The target's own journal as it would be written now: its
        // pending runs folded in, as an export writes it.
        let (bytes, own) = journal::load_all(store, target)?;
        let local = journal::parse(&journal::folded(bytes, &own, [])?).map_err(|d| {
            StoreError::Corrupt {
                path: path.clone(),
                detail: format!("line {}: {} (run `stet verify`)", d.line, d.detail),
            }
        })?;
        match plan(&local, &imported) {
            Plan::Present => {
                if store.pinned(target)?.is_none() {
                    if let Some(id) = &state.reference {
                        self.set_reference(target, id)?;
                        return Ok(Restored::Restored);
                    }
                }
                Ok(Restored::Present)
            }
            Plan::Replace => {
                self.replace_journal(target, state.journal.as_bytes())?;
                if let Some(id) = &state.reference {
                    self.set_reference(target, id)?;
                }
                Ok(Restored::Restored)
            }
            Plan::Merge { acks, pin } => {
                let added = acks.len();
                if !acks.is_empty() {
                    self.record_acks(target, acks)?;
                }
                let pinned = match pin {
                    Some(p) => {
                        self.pin(
                            target,
                            &p.reference,
                            &p.at,
                            p.by.as_deref(),
                            p.note.as_deref(),
                        )?;
                        Some(p.reference)
                    }
                    None => None,
                };
                Ok(Restored::Merged {
                    acks: added,
                    pinned,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::journal::AuditRecord;

    const T: &str = "https://example.org/a";

    fn audit(at: &str) -> AuditRecord {
        AuditRecord {
            at: at.into(),
            reference: None,
            current: None,
            verdict: "clean".into(),
            error: None,
            findings: Vec::new(),
        }
    }

    fn ack(at: &str) -> AckRecord {
        AckRecord {
            at: at.into(),
            by: None,
            note: "known".into(),
            fingerprint: "f".repeat(64),
            kind: "edit".into(),
            location: "paragraph".into(),
        }
    }

    fn pin(at: &str, reference: &str) -> PinRecord {
        PinRecord {
            at: at.into(),
            by: None,
            reference: reference.into(),
            previous: None,
            note: None,
        }
    }

    fn journal_of(w: &Writer) -> Result<Journal, StoreError> {
        w.store().journal(T)
    }

    #[test]
    fn journals_that_went_apart_keep_their_audits_and_gain_acks_and_a_later_pin(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let w = Store::open_or_create(dir.path().join("s"))?.writer(Default::default())?;
        let (x, y) = ("a".repeat(64), "b".repeat(64));
        w.record_audit(T, audit("2026-01-01T00:00:00Z"))?;
        let common = journal_of(&w)?;
        w.record_pin(T, pin("2026-01-02T00:00:00Z", &x))?;
        let mine = journal_of(&w)?;
        // Theirs: the same first line, then an ack and a later pin.
        let other = tempfile::tempdir()?;
        let w2 = Store::open_or_create(other.path().join("s"))?.writer(Default::default())?;
        w2.record_audit(T, audit("2026-01-01T00:00:00Z"))?;
        w2.record_acks(T, vec![ack("2026-01-03T00:00:00Z")])?;
        w2.record_pin(T, pin("2026-01-04T00:00:00Z", &y))?;
        let theirs = journal_of(&w2)?;
        match plan(&mine, &theirs) {
            Plan::Merge { acks, pin } => {
                assert_eq!(acks, vec![ack("2026-01-03T00:00:00Z")]);
                assert_eq!(pin.map(|p| p.reference), Some(y.clone()));
            }
            _ => panic!("not a merge"),
        }
        // An earlier imported pin does not move the reference.
        match plan(&theirs, &mine) {
            Plan::Merge { acks, pin } => {
                assert!(acks.is_empty());
                assert_eq!(pin, None);
            }
            _ => panic!("not a merge"),
        }
        assert!(matches!(plan(&mine, &common), Plan::Present));
        assert!(matches!(plan(&common, &mine), Plan::Replace));
        assert!(matches!(plan(&Journal::default(), &mine), Plan::Replace));
        Ok(())
    }

    /// A state taken from a local store into a shared one (and back) is
    /// the same state: the journal byte for byte, the pinned reference.
    #[test]
    fn pins_are_ordered_by_their_instants() {
        assert!(!later("2026-01-02T00:00:00+02:00", "2026-01-01T23:00:00Z"));
        assert!(later("2026-01-02T00:00:00.5Z", "2026-01-02T00:00:00Z"));
    }

    #[cfg(feature = "s3")]
    #[test]
    fn a_state_moves_between_backends_unchanged() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let local = Store::open_or_create(dir.path().join("s"))?;
        let w = local.writer(Default::default())?;
        let x = "a".repeat(64);
        w.record_audit(T, audit("2026-01-01T00:00:00Z"))?;
        w.record_audit(T, audit("2026-01-02T00:00:00Z"))?;
        w.record_acks(T, vec![ack("2026-01-03T00:00:00Z")])?;
        w.pin(T, &x, "2026-01-04T00:00:00Z", None, Some("why"))?;
        let state = local.target_state(T)?.ok_or("no state")?;
        assert_eq!(state.reference.as_deref(), Some(x.as_str()));
        let shared = Store::on_backend(
            std::sync::Arc::new(crate::store::s3::S3Backend::in_memory("state")?),
            true,
        )?;
        let sw = shared.writer(Default::default())?;
        assert_eq!(sw.restore_state(&state)?, Restored::Restored);
        assert_eq!(shared.target_state(T)?.as_ref(), Some(&state));
        assert_eq!(sw.restore_state(&state)?, Restored::Present);
        let other = tempfile::tempdir()?;
        let back = Store::open_or_create(other.path().join("s"))?;
        let bw = back.writer(Default::default())?;
        assert_eq!(bw.restore_state(&state)?, Restored::Restored);
        assert_eq!(back.target_state(T)?.as_ref(), Some(&state));
        Ok(())
    }
}
