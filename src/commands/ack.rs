use std::collections::BTreeSet;

use super::{format_of, target_text, who, Output};
use crate::config::{Config, Format};
use crate::error::{exit, Error};
use crate::report::{self, ack::AckOutcome};
use crate::store::journal::AckRecord;
use crate::store::Store;
use crate::watch;

/// Acknowledge findings of the target's last audit (all of them when none
/// is named), recording each with the time, the user and the note.
pub(super) fn run(
    config: &Config,
    out: &Output,
    target: &str,
    prefixes: &[String],
    note: &str,
) -> Result<u8, Error> {
    let format = format_of(config, &[Format::Text, Format::Json], "ack")?;
    let store = Store::open(&config.store)?;
    let target = target_text(target)?;
    let shown = report::sanitize::line(&target).into_owned();
    if note.trim().is_empty() {
        return Err(Error::Usage(
            "--note is empty: say why the findings are accepted".to_string(),
        ));
    }
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
    let chosen = watch::select(&fingerprints, prefixes)
        .map_err(|e| Error::Usage(format!("{shown}: {e}")))?;
    if chosen.is_empty() {
        return Err(Error::Usage(format!(
            "the last audit of {shown} found nothing to acknowledge"
        )));
    }
    let known: BTreeSet<&str> = journal
        .acks()
        .into_iter()
        .map(|a| a.fingerprint.as_str())
        .collect();
    let at = crate::fetch::now_rfc3339();
    let by = who();
    let mut outcome = AckOutcome {
        target: target.clone(),
        acknowledged: Vec::new(),
        already: Vec::new(),
    };
    for i in chosen {
        let f = &last.findings[i];
        if known.contains(f.fingerprint.as_str()) {
            outcome.already.push(f.fingerprint.clone());
            continue;
        }
        outcome.acknowledged.push(AckRecord {
            at: at.clone(),
            by: by.clone(),
            note: note.to_string(),
            fingerprint: f.fingerprint.clone(),
            kind: f.kind.clone(),
            location: f.location.clone(),
        });
    }
    writer.record_acks(&target, outcome.acknowledged.clone())?;
    drop(writer);
    let text = match format {
        Format::Json => report::ack::json(&outcome),
        Format::Text if out.quiet => String::new(),
        // `format_of` admitted text and json only.
        _ => report::ack::text(&outcome, out.color),
    };
    out.print(&text)?;
    Ok(exit::OK)
}
