//! The commands that only read (or pin) the store: log, show, pin, verify.

use crate::config::Config;
use crate::error::Error;
use crate::model::{Entry, History, Manifest, PinReport, Shown, SnapshotView, VerifyReport};
use crate::store::journal::PinRecord;
use crate::store::{Selector, Store, StoreError, VerifyOptions};

use super::{resolve_stored, target_text};

/// `stet log TARGET`: every snapshot of a target, with its text's growth.
pub fn history(config: &Config, target: &str) -> Result<History, Error> {
    let store = Store::open(&config.store)?;
    let target = target_text(target)?;
    let ids = store.history(&target)?;
    if ids.is_empty() {
        return Err(StoreError::UnknownTarget(target).into());
    }
    let reference = store.reference(&target)?;
    let mut history = History::new(target.clone(), reference.clone());
    let mut previous: Option<(String, u64)> = None;
    for id in ids {
        let manifest = store.manifest(&id)?;
        let text_chars = store.document(&manifest)?.text().chars().count() as u64;
        let (same_text, text_delta) = match &previous {
            Some((sha, chars)) => (
                *sha == manifest.text_sha256,
                i64::try_from(text_chars).unwrap_or(i64::MAX)
                    - i64::try_from(*chars).unwrap_or(i64::MAX),
            ),
            None => (false, i64::try_from(text_chars).unwrap_or(i64::MAX)),
        };
        previous = Some((manifest.text_sha256.clone(), text_chars));
        history.entries.push(Entry {
            is_reference: reference.as_deref() == Some(id.as_str()),
            id,
            fetched_at: manifest.fetch.fetched_at,
            status: manifest.fetch.status,
            body_size: manifest.body.size,
            text_chars,
            text_delta,
            same_text,
        });
    }
    history.last_check = store.last_check(&target)?;
    Ok(history)
}

/// `stet show SNAPSHOT`.
pub fn show(config: &Config, spec: &str, text_only: bool) -> Result<Shown, Error> {
    let store = Store::open(&config.store)?;
    let id = resolve_stored(&store, spec)?;
    let manifest = store.manifest(&id)?;
    let document = store.document(&manifest)?;
    if text_only {
        return Ok(Shown::Text(Box::new(document)));
    }
    let is_reference = store.reference(&manifest.target)?.as_deref() == Some(id.as_str());
    Ok(Shown::Snapshot(Box::new(SnapshotView::new(
        id,
        is_reference,
        manifest,
        &document,
    ))))
}

/// `stet pin TARGET [SNAPSHOT]`: make a snapshot (the latest by default)
/// the reference of its target.
pub fn pin(config: &Config, target: &str, spec: Option<&str>) -> Result<PinReport, Error> {
    let store = Store::open(&config.store)?;
    let target = target_text(target)?;
    let writer = store.writer(config.lock_timeout)?;
    let id = match spec {
        Some(spec) => resolve_stored(&store, spec)?,
        None => store.resolve_at(&target, Selector::Latest)?,
    };
    let manifest = store.manifest(&id)?;
    if manifest.target != target {
        return Err(StoreError::WrongTarget {
            id: crate::report::short_id(&id).to_string(),
            actual: manifest.target,
            expected: target,
        }
        .into());
    }
    let previous = store.reference(&target)?;
    writer.set_reference(&target, &id)?;
    // The pin is evidence too: who accepted which version, and when.
    writer.record_pin(
        &target,
        PinRecord {
            at: crate::fetch::now_rfc3339(),
            by: super::who(),
            reference: id.clone(),
            previous: previous.clone(),
        },
    )?;
    Ok(PinReport {
        schema_version: crate::model::SCHEMA_VERSION,
        target,
        reference: id,
        previous,
    })
}

/// `stet verify [--reextract]`: re-hash the whole store.
pub fn verify(config: &Config, reextract: bool) -> Result<VerifyReport, Error> {
    let store = Store::open(&config.store)?;
    let _lock = store.reader_lock(config.lock_timeout)?;
    let reextract_fn = |manifest: &Manifest, body: &[u8]| -> Result<String, String> {
        super::reextract_document_sha(manifest, body)
    };
    let options = VerifyOptions {
        reextract: if reextract { Some(&reextract_fn) } else { None },
        threads: 0,
    };
    Ok(store.verify(&options)?)
}
