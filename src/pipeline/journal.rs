//! The audit and its journal: acknowledged findings stop failing, each
//! target's outcome is appended to its journal, and with `--new` the
//! findings are narrowed to those new since the previous audit, with the
//! resolved ones.

use std::collections::BTreeSet;
use std::io::ErrorKind;
use std::time::Duration;

use crate::model::{AuditReport, Resolved, TargetAudit, Verdict};
use crate::store::journal::{AuditRecord, FindingRecord, Journal};
use crate::store::{Store, StoreError};
use crate::watch::delta;

/// Apply acknowledgements, record each target in its journal (under the
/// store lock), and with `report.new` narrow the findings to the new ones.
/// A journal that cannot be read makes its target an error; one that
/// cannot be written stops the audit.
pub fn record(
    store: &Store,
    report: &mut AuditReport,
    at: &str,
    lock_timeout: Duration,
    signer: Option<&crate::evidence::Signer>,
) -> Result<(), crate::error::Error> {
    // A read-only store (an archive checked out read-only) is audited all
    // the same; only the journal is not written.
    let writer = match store.writer(lock_timeout) {
        Ok(w) => Some(w),
        Err(StoreError::Io { source, .. })
            if matches!(
                source.kind(),
                ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem
            ) =>
        {
            None
        }
        Err(e) => return Err(e.into()),
    };
    // Records are written together at the end (two flushes for the lot).
    let mut batch = Vec::new();
    let mut recorded = Vec::new();
    for t in &mut report.targets {
        let journal = match store.journal(&t.target) {
            Ok(j) => j,
            Err(e) => {
                t.verdict = Verdict::Error;
                t.error = Some(format!("audit journal: {e}"));
                t.findings.clear();
                t.diff = None;
                continue;
            }
        };
        let records = acknowledge(t, &journal);
        // A target never stored (a typo, a first fetch that failed) gets no
        // directory in the store just for its journal.
        let stored = t.current.is_some() || !store.history(&t.target)?.is_empty();
        if writer.is_some() && stored {
            batch.push((
                t.target.clone(),
                AuditRecord {
                    at: at.to_string(),
                    reference: t.reference.as_ref().map(|r| r.id.clone()),
                    current: t.current.as_ref().map(|c| c.id.clone()),
                    verdict: t.verdict.as_str().to_string(),
                    error: t.error.clone(),
                    findings: records,
                },
            ));
            recorded.push(t.target.clone());
        }
        if report.new {
            narrow(t, &journal);
        }
    }
    if let Some(writer) = &writer {
        writer.record_audits(batch)?;
        if let Some(signer) = signer {
            for target in &recorded {
                crate::evidence::seal::sign_journal(writer, signer, target)?;
            }
        }
    }
    Ok(())
}

/// Apply the acknowledgements of `t`'s journal, writing nothing.
pub fn acknowledged(store: &Store, t: &mut TargetAudit) -> Result<(), StoreError> {
    let journal = store.journal(&t.target)?;
    acknowledge(t, &journal);
    Ok(())
}

/// Clear `fails` of the acknowledged findings and judge the target again.
/// Returns the findings as the journal keeps them.
fn acknowledge(t: &mut TargetAudit, journal: &Journal) -> Vec<FindingRecord> {
    let acked: BTreeSet<&str> = journal
        .acks()
        .into_iter()
        .map(|a| a.fingerprint.as_str())
        .collect();
    for f in &mut t.findings {
        f.acknowledged = acked.contains(f.fingerprint.as_str());
        f.fails &= !f.acknowledged;
    }
    t.judge();
    t.findings
        .iter()
        .map(|f| {
            let id = f.kind.identity();
            FindingRecord {
                fingerprint: f.fingerprint.clone(),
                kind: id.kind.to_string(),
                location: id.location,
                before: id.before.map(FindingRecord::clipped),
                after: id.after.as_deref().map(FindingRecord::clipped),
                fails: f.fails,
                acknowledged: f.acknowledged,
            }
        })
        .collect()
}

/// Keep the findings new since the journal's last audit; list the ones
/// that went away. A target in error is compared with nothing: a failed
/// fetch resolves nothing.
fn narrow(t: &mut TargetAudit, journal: &Journal) {
    if t.verdict == Verdict::Error {
        t.resolved = Some(Vec::new());
        return;
    }
    let previous = journal
        .baseline()
        .map(|b| b.findings.as_slice())
        .unwrap_or_default();
    let before: Vec<&str> = previous.iter().map(|f| f.fingerprint.as_str()).collect();
    let now: Vec<&str> = t.findings.iter().map(|f| f.fingerprint.as_str()).collect();
    let d = delta(&before, &now);
    t.standing = Some(d.standing.len());
    t.resolved = Some(
        d.resolved
            .iter()
            .map(|&i| {
                let f = &previous[i];
                Resolved {
                    fingerprint: f.fingerprint.clone(),
                    kind: f.kind.clone(),
                    location: f.location.clone(),
                    before: f.before.clone(),
                    after: f.after.clone(),
                }
            })
            .collect(),
    );
    let keep: BTreeSet<usize> = d.new.into_iter().collect();
    let mut i = 0;
    t.findings.retain(|_| {
        let kept = keep.contains(&i);
        i += 1;
        kept
    });
}
