//! The audit and its journal: acknowledged findings stop failing, each
//! target's outcome is appended to its journal, and with `--new` the
//! findings are narrowed to those new since the previous audit, with the
//! resolved ones.

use std::collections::BTreeSet;
use std::io::ErrorKind;
use std::time::Duration;

use crate::model::{FindingKind, Resolved, TargetAudit, Verdict};
use crate::store::journal::{AuditRecord, FindingRecord, Journal};
use crate::store::{Store, StoreError, Writer};
use crate::watch::delta;

/// Apply the acknowledgements of `t`'s journal and, with `new`, narrow its
/// findings to the new ones; the record of the audit for its journal (none
/// for a target never stored: a typo, a first fetch that failed, gets no
/// directory in the store just for its journal). A journal that cannot be
/// read makes the target an error. `links_checked`: whether this audit
/// checked the page's links (not offline, not `--no-links`).
pub fn judge(
    store: &Store,
    t: &mut TargetAudit,
    at: &str,
    new: bool,
    links_checked: bool,
) -> Result<Option<AuditRecord>, StoreError> {
    let journal = match store.journal(&t.target) {
        Ok(j) => j,
        Err(e) => {
            t.verdict = Verdict::Error;
            t.error = Some(format!("audit journal: {e}"));
            t.findings.clear();
            t.diff = None;
            return Ok(None);
        }
    };
    let mut records = acknowledge(t, &journal);
    let unseen = unseen(t, &journal, links_checked);
    records.extend(unseen.iter().cloned());
    let stored = t.current.is_some() || !store.history(&t.target)?.is_empty();
    let record = stored.then(|| AuditRecord {
        at: at.to_string(),
        reference: t.reference.as_ref().map(|r| r.id.clone()),
        current: t.current.as_ref().map(|c| c.id.clone()),
        verdict: t.verdict.as_str().to_string(),
        error: t.error.clone(),
        findings: records,
    });
    if new {
        narrow(t, &journal, &unseen);
    }
    Ok(record)
}

/// The previous audit's findings that this one could not see, kept in the
/// journal as they were so that they come back as standing, not new, and
/// `ack` still finds them: everything found in the page when it now
/// answers 404 or 410 or no longer shows the article (a paywall: such a
/// page shows no text, images or links of the article to judge), its
/// dead links when this audit did not check links
/// (offline, or `--no-links`: not checking a link does not revive it), and
/// robots.txt's refusal when this audit did not fetch (offline: not asking
/// does not make the page allowed).
fn unseen(t: &TargetAudit, journal: &Journal, links_checked: bool) -> Vec<FindingRecord> {
    if t.verdict == Verdict::Error {
        return Vec::new();
    }
    let dead = t.findings.iter().any(|f| {
        matches!(
            f.kind,
            FindingKind::TargetDead { .. } | FindingKind::ArticleGone { .. }
        )
    });
    let fetched = !matches!(t.fetch, None | Some("stored"));
    let still_dead = |f: &FindingRecord| {
        f.kind == FindingKind::DEAD_LINK
            && !t.findings.iter().any(|n| n.fingerprint == f.fingerprint)
    };
    let unseen = |f: &FindingRecord| {
        let robots = f.kind == FindingKind::ROBOTS_DISALLOWED;
        (robots && !fetched)
            || if dead {
                !robots && f.kind != FindingKind::TARGET_DEAD && f.kind != FindingKind::ARTICLE_GONE
            } else {
                !links_checked && still_dead(f)
            }
    };
    journal
        .baseline()
        .map(|b| b.findings.as_slice())
        .unwrap_or_default()
        .iter()
        .filter(|f| unseen(f))
        .cloned()
        .collect()
}

/// Records audits in their journals (under the store lock), a batch at a
/// time: two flushes a batch, and memory bounded by the batch.
pub struct Recorder<'a> {
    /// None: a read-only store (an archive checked out read-only), audited
    /// all the same; only the journal is not written.
    writer: Option<Writer>,
    signer: Option<&'a crate::evidence::Signer>,
    batch: Vec<(String, AuditRecord)>,
}

/// Records written together.
const BATCH: usize = 1024;

impl<'a> Recorder<'a> {
    /// Take the store lock (waiting up to `lock_timeout`); `signer` signs
    /// each journal written.
    pub fn open(
        store: &Store,
        lock_timeout: Duration,
        signer: Option<&'a crate::evidence::Signer>,
    ) -> Result<Self, StoreError> {
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
        Ok(Recorder::with_writer(writer, signer))
    }

    /// Record under a store lock already held (`None`: write nothing).
    pub fn with_writer(
        writer: Option<Writer>,
        signer: Option<&'a crate::evidence::Signer>,
    ) -> Self {
        Recorder {
            writer,
            signer,
            batch: Vec::new(),
        }
    }

    /// Record the audit of `target` (in a while: see [`Recorder::finish`]).
    pub fn push(&mut self, target: String, record: AuditRecord) -> Result<(), crate::error::Error> {
        if self.writer.is_some() {
            self.batch.push((target, record));
        }
        if self.batch.len() >= BATCH {
            self.write()?;
        }
        Ok(())
    }

    fn write(&mut self) -> Result<(), crate::error::Error> {
        let batch = std::mem::take(&mut self.batch);
        let Some(writer) = &self.writer else {
            return Ok(());
        };
        let targets: Vec<String> = match self.signer {
            Some(_) => batch.iter().map(|(t, _)| t.clone()).collect(),
            None => Vec::new(),
        };
        writer.record_audits(batch)?;
        if let Some(signer) = self.signer {
            for target in &targets {
                crate::evidence::seal::sign_journal(writer, signer, target)?;
            }
        }
        Ok(())
    }

    /// Write what is left, and let the store lock go.
    pub fn finish(mut self) -> Result<(), crate::error::Error> {
        self.write()
    }
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
    // What the last audit recorded as acknowledged stays so: an
    // acknowledgement made by an earlier version names the finding by an
    // earlier fingerprint, which its URL's next redeploy would no longer
    // give; the last audit's record carries it under today's.
    let carried: BTreeSet<&str> = journal
        .baseline()
        .map(|b| b.findings.as_slice())
        .unwrap_or_default()
        .iter()
        .filter(|f| f.acknowledged)
        .map(|f| f.fingerprint.as_str())
        .collect();
    for f in &mut t.findings {
        f.acknowledged = acked.contains(f.fingerprint.as_str())
            || carried.contains(f.fingerprint.as_str())
            || f.kind
                .legacy_fingerprints()
                .iter()
                .any(|l| acked.contains(l.as_str()));
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
                // What a gone article's page showed instead, to say when
                // it resolves (it is no part of the finding's identity).
                after: match &f.kind {
                    FindingKind::ArticleGone { after, .. } => Some(FindingRecord::clipped(after)),
                    _ => id.after.as_deref().map(FindingRecord::clipped),
                },
                fails: f.fails,
                acknowledged: f.acknowledged,
            }
        })
        .collect()
}

/// Keep the findings new since the journal's last audit; list the ones
/// that went away. A target in error is compared with nothing: a failed
/// fetch resolves nothing; neither does a dead page (`unseen`: the findings
/// it keeps standing, see [`unseen_while_dead`]).
fn narrow(t: &mut TargetAudit, journal: &Journal, unseen: &[FindingRecord]) {
    if t.verdict == Verdict::Error {
        t.resolved = Some(Vec::new());
        return;
    }
    let previous = journal
        .baseline()
        .map(|b| b.findings.as_slice())
        .unwrap_or_default();
    let before: Vec<&str> = previous.iter().map(|f| f.fingerprint.as_str()).collect();
    // A finding the previous audit recorded under an earlier fingerprint
    // (see `FindingKind::legacy_fingerprints`) is that finding, not a new one.
    let known: BTreeSet<&str> = before.iter().copied().collect();
    let legacy: Vec<Vec<String>> = t
        .findings
        .iter()
        .map(|f| {
            if known.contains(f.fingerprint.as_str()) {
                Vec::new()
            } else {
                f.kind.legacy_fingerprints()
            }
        })
        .collect();
    let now: Vec<&str> = t
        .findings
        .iter()
        .zip(&legacy)
        .map(|(f, l)| {
            if known.contains(f.fingerprint.as_str()) {
                return f.fingerprint.as_str();
            }
            l.iter()
                .find(|l| known.contains(l.as_str()))
                .map_or(f.fingerprint.as_str(), String::as_str)
        })
        .chain(unseen.iter().map(|f| f.fingerprint.as_str()))
        .collect();
    let d = delta(&before, &now);
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
                    failed: f.fails,
                }
            })
            .collect(),
    );
    // A finding that passed before and fails now (the policy or stet's
    // rules changed, not the page) is news too: the desk was never told.
    let failed_before: BTreeSet<&str> = previous
        .iter()
        .filter(|f| f.fails)
        .map(|f| f.fingerprint.as_str())
        .collect();
    let started_failing = t
        .findings
        .iter()
        .zip(&now)
        .enumerate()
        .filter(|(_, (f, id))| f.fails && known.contains(*id) && !failed_before.contains(*id))
        .map(|(i, _)| i)
        .collect::<Vec<_>>();
    t.standing = Some(d.standing.len().saturating_sub(started_failing.len()));
    let keep: BTreeSet<usize> = d.new.into_iter().chain(started_failing).collect();
    let mut i = 0;
    t.findings.retain(|_| {
        let kept = keep.contains(&i);
        i += 1;
        kept
    });
}
