//! The audit and its journal: every finding gets its fingerprint,
//! acknowledged findings stop failing, each target's outcome is appended to
//! its journal, and with `--new` the findings are narrowed to those new
//! since the previous audit, with the resolved ones.

use std::collections::BTreeSet;
use std::io::ErrorKind;
use std::time::Duration;

use super::{AuditReport, Finding, FindingKind, Resolved, TargetAudit, Verdict};
use crate::store::journal::{AuditRecord, FindingRecord, Journal};
use crate::store::{Store, StoreError};
use crate::watch::{delta, fingerprint};

/// What a fingerprint is taken over: kind, a stable location (never an
/// offset or a block number that an insertion elsewhere would shift),
/// before and after.
struct Key<'a> {
    kind: &'static str,
    location: String,
    before: Option<&'a str>,
    after: Option<String>,
}

fn key(f: &Finding) -> Key<'_> {
    let url = || f.url.clone().unwrap_or_default();
    let (location, before, after) = match f.kind {
        // The kind of block (paragraph, heading…), not its number.
        FindingKind::Edit => (
            f.edit
                .as_ref()
                .map(|e| e.kind.as_str().to_string())
                .unwrap_or_default(),
            f.before.as_deref(),
            f.after.clone(),
        ),
        // A field path (`title`, `claims[0].url`, `images[0].caption`).
        FindingKind::ProvenanceChanged | FindingKind::CaptionChanged => (
            f.location.clone().unwrap_or_default(),
            f.before.as_deref(),
            f.after.clone(),
        ),
        FindingKind::DeadLink | FindingKind::MissingCaption => (url(), None, None),
        // A new placeholder is a new finding.
        FindingKind::PlaceholderAlt => (url(), None, f.alt.clone()),
        FindingKind::TargetDead => (url(), None, f.status.map(|s| s.to_string())),
    };
    Key {
        kind: f.kind.as_str(),
        location,
        before,
        after,
    }
}

/// Fingerprint the findings, apply acknowledgements, record each target in
/// its journal (under the store lock), and with `report.new` narrow the
/// findings to the new ones. A journal that cannot be read makes its
/// target an error; one that cannot be written stops the audit.
pub fn record(
    store: &Store,
    report: &mut AuditReport,
    at: &str,
    lock_timeout: Duration,
) -> Result<(), StoreError> {
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
        Err(e) => return Err(e),
    };
    for t in &mut report.targets {
        let journal = match store.journal(&t.target) {
            Ok(j) => j,
            Err(e) => {
                t.verdict = Verdict::Error;
                t.error = Some(format!("audit journal: {e}"));
                t.findings.clear();
                continue;
            }
        };
        let records = acknowledge(t, &journal);
        if let Some(writer) = &writer {
            writer.record_audit(
                &t.target,
                AuditRecord {
                    at: at.to_string(),
                    reference: t.reference.as_ref().map(|r| r.id.clone()),
                    current: t.current.as_ref().map(|c| c.id.clone()),
                    verdict: t.verdict.as_str().to_string(),
                    error: t.error.clone(),
                    findings: records,
                },
            )?;
        }
        if report.new {
            narrow(t, &journal);
        }
    }
    Ok(())
}

/// Fingerprint each finding, clear `fails` of the acknowledged ones and
/// judge the target again. Returns the findings as the journal keeps them.
fn acknowledge(t: &mut TargetAudit, journal: &Journal) -> Vec<FindingRecord> {
    let acked: BTreeSet<&str> = journal
        .acks()
        .into_iter()
        .map(|a| a.fingerprint.as_str())
        .collect();
    let mut records = Vec::with_capacity(t.findings.len());
    for f in &mut t.findings {
        let k = key(f);
        let fp = fingerprint(k.kind, &k.location, k.before, k.after.as_deref());
        let record = FindingRecord {
            kind: k.kind.to_string(),
            location: k.location,
            before: k.before.map(FindingRecord::clipped),
            after: k.after.as_deref().map(FindingRecord::clipped),
            fails: false,
            acknowledged: acked.contains(fp.as_str()),
            fingerprint: fp,
        };
        f.acknowledged = record.acknowledged;
        f.fails &= !f.acknowledged;
        f.fingerprint = record.fingerprint.clone();
        records.push(FindingRecord {
            fails: f.fails,
            ..record
        });
    }
    t.judge();
    records
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
