//! `stet ack TARGET [FINDING…] --note TEXT`: acknowledge findings of the
//! target's last audit (all of them when none is named), recorded in its
//! journal with the time, the user and the note.

use std::collections::BTreeSet;

use super::{target_text, who};
use crate::config::Config;
use crate::error::Error;
use crate::model::{AckReport, Acknowledged, SCHEMA_VERSION};
use crate::report::sanitize::line;
use crate::store::journal::AckRecord;
use crate::store::Store;
use crate::watch;

pub fn ack(
    config: &Config,
    target: &str,
    prefixes: &[String],
    note: &str,
) -> Result<AckReport, Error> {
    if note.trim().is_empty() {
        return Err(Error::Usage(
            "--note is empty: say why the findings are accepted".to_string(),
        ));
    }
    let store = Store::at(&config.store)?;
    let target = target_text(target)?;
    // Hints name the target as the user does: by its stet.toml name.
    let shown = line(crate::config::names::name_of(&config.targets, &target).unwrap_or(&target))
        .into_owned();
    let writer = store.writer(config.lock_timeout)?;
    let journal = store.journal(&target)?;
    let last = journal.baseline().ok_or_else(|| {
        Error::Usage(format!(
            "no audit of {shown} is recorded: run `stet audit {shown}` first, then acknowledge what it found"
        ))
    })?;
    let fingerprints: Vec<&str> = last
        .findings
        .iter()
        .map(|f| f.fingerprint.as_str())
        .collect();
    // (Nothing chosen: the last audit found nothing, and none was named.
    // Nothing to do is no failure: the report says so.)
    let chosen = watch::select(&fingerprints, prefixes)
        .map_err(|e| Error::Usage(format!("{shown}: {e}")))?;
    let known: BTreeSet<&str> = journal
        .acks()
        .into_iter()
        .map(|a| a.fingerprint.as_str())
        .collect();
    let mut report = AckReport {
        schema_version: SCHEMA_VERSION,
        target: target.clone(),
        at: crate::fetch::now_rfc3339(),
        by: who(),
        note: note.to_string(),
        acknowledged: Vec::new(),
        already: Vec::new(),
    };
    for i in chosen {
        let f = &last.findings[i];
        if known.contains(f.fingerprint.as_str()) {
            report.already.push(f.fingerprint.clone());
        } else {
            report.acknowledged.push(Acknowledged {
                fingerprint: f.fingerprint.clone(),
                kind: f.kind.clone(),
                location: f.location.clone(),
            });
        }
    }
    let records = report
        .acknowledged
        .iter()
        .map(|a| AckRecord {
            at: report.at.clone(),
            by: report.by.clone(),
            note: report.note.clone(),
            fingerprint: a.fingerprint.clone(),
            kind: a.kind.clone(),
            location: a.location.clone(),
        })
        .collect();
    if report.acknowledged.is_empty() && report.already.is_empty() {
        return Ok(report);
    }
    writer.record_acks(&target, records)?;
    if let Some(signer) = super::evidence::configured_signer(config)? {
        crate::evidence::seal::sign_journal(&writer, &signer, &target)?;
    }
    Ok(report)
}
