//! The commands that only read (or pin) the store: log, show, pin, verify.

use crate::config::{names, Config};
use crate::diff::diff_documents;
use crate::error::Error;
use crate::model::{
    Acknowledgement, DiffReport, Document, Entry, FailPolicy, History, HistoryPage, Manifest,
    PinReport, Shown, Side, SnapshotView, Step, TargetAudit, TargetList, TargetRow, VerifyReport,
    VersionScreenshot, PAGE_SCREENSHOTS,
};
use crate::store::{Selector, Store, StoreError, VerifyOptions};

use super::{resolve_stored, target_text};
use crate::report::short_id;

/// `stet log TARGET`: every snapshot of a target, with its text's growth.
pub fn history(config: &Config, target: &str) -> Result<History, Error> {
    let store = Store::at(&config.store)?;
    read_history(config, &store, target, |_, _| ())
}

/// The history of `target`, handing each version's manifest and document
/// to `keep` as it is read (each is read once).
fn read_history(
    config: &Config,
    store: &Store,
    target: &str,
    mut keep: impl FnMut(Manifest, Document),
) -> Result<History, Error> {
    let target = target_text(target)?;
    let ids = store.history(&target)?;
    if ids.is_empty() {
        return Err(StoreError::UnknownTarget(target).into());
    }
    let reference = store.reference_in(&target, &ids)?;
    let mut history = History::new(target.clone(), reference.clone());
    history.name = names::name_of(&config.targets, &target).map(str::to_string);
    // The previous version's text hash and length, extractor and headline.
    let mut previous: Option<(String, u64, String, Option<String>)> = None;
    for id in ids {
        let manifest = store.manifest(&id)?;
        let document = store.document(&manifest)?;
        let text_chars = document.text().chars().count() as u64;
        let (same_text, text_delta, headline_changed) = match &previous {
            Some((sha, chars, extractor, headline)) => (
                *sha == manifest.text_sha256,
                i64::try_from(text_chars).unwrap_or(i64::MAX)
                    - i64::try_from(*chars).unwrap_or(i64::MAX),
                // Extractors before stet-extract/7 read no headline: across
                // an upgrade, a headline found is not a headline changed.
                *extractor == document.extractor_version && *headline != document.headline,
            ),
            None => (false, i64::try_from(text_chars).unwrap_or(i64::MAX), false),
        };
        previous = Some((
            manifest.text_sha256.clone(),
            text_chars,
            document.extractor_version.clone(),
            document.headline.clone(),
        ));
        history.entries.push(Entry {
            is_reference: reference.as_deref() == Some(id.as_str()),
            id,
            fetched_at: manifest.fetch.fetched_at.clone(),
            status: manifest.fetch.status,
            body_size: manifest.body.size,
            text_chars,
            text_delta,
            same_text,
            headline_changed,
            body_sha256: manifest.body.sha256.clone(),
            document_sha256: manifest.document.sha256.clone(),
            text_sha256: manifest.text_sha256.clone(),
        });
        keep(manifest, document);
    }
    history.last_check = store.last_check(&target)?;
    history.acknowledgements = acknowledgements(store, &history)?;
    Ok(history)
}

/// The target's acknowledgements and pins, from its journal, oldest first.
fn acknowledgements(store: &Store, history: &History) -> Result<Vec<Acknowledgement>, Error> {
    let journal = store.journal(&history.target)?;
    let mut acknowledgements: Vec<Acknowledgement> = journal
        .acks()
        .into_iter()
        .map(|a| Acknowledgement {
            at: a.at.clone(),
            by: a.by.clone(),
            what: format!("{} at {}", a.kind, a.location),
            fingerprint: Some(a.fingerprint.clone()),
            note: Some(a.note.clone()),
        })
        .collect();
    let version_of = |id: &str| {
        history
            .entries
            .iter()
            .position(|e| e.id == id)
            .map_or_else(|| short_id(id).to_string(), |i| format!("v{}", i + 1))
    };
    acknowledgements.extend(journal.pins().into_iter().map(|p| Acknowledgement {
        at: p.at.clone(),
        by: p.by.clone(),
        what: format!("pinned {} as the reference", version_of(&p.reference)),
        fingerprint: None,
        note: p.note.clone(),
    }));
    acknowledgements.sort_by(|a, b| a.at.cmp(&b.at));
    Ok(acknowledgements)
}

/// `stet log` without a target: every stored target, with its name.
pub fn targets(config: &Config) -> Result<TargetList, Error> {
    let store = Store::at(&config.store)?;
    let mut list = TargetList {
        schema_version: crate::model::SCHEMA_VERSION,
        targets: Vec::new(),
    };
    for target in store.targets()? {
        let history = store.history(&target)?;
        let latest = history.last().cloned();
        let last_fetch = match &latest {
            Some(id) => Some(store.manifest(id)?.fetch.fetched_at),
            None => None,
        };
        list.targets.push(TargetRow {
            name: names::name_of(&config.targets, &target).map(str::to_string),
            versions: history.len(),
            last_fetch,
            latest,
            reference: store.reference_in(&target, &history)?,
            target,
        });
    }
    Ok(list)
}

/// `stet log TARGET --format html`: the history, each step's diff and
/// corrections, the latest version against the reference and its audit
/// (offline, as `stet audit --offline` reports it).
pub fn history_page(config: &Config, target: &str) -> Result<HistoryPage, Error> {
    let store = Store::at(&config.store)?;
    let mut docs: Vec<(Manifest, Document)> = Vec::new();
    let history = read_history(config, &store, target, |m, d| docs.push((m, d)))?;
    let label = |i: usize| format!("v{}", i + 1);
    let diff_of = |a: usize, b: usize| -> Option<DiffReport> {
        let ((old_m, old_doc), (new_m, new_doc)) = (docs.get(a)?, docs.get(b)?);
        let (old_e, new_e) = (history.entries.get(a)?, history.entries.get(b)?);
        if old_m.document.sha256 == new_m.document.sha256 {
            return None;
        }
        Some(DiffReport {
            old: Side::stored(&label(a), &old_e.id, old_m),
            new: Side::stored(&label(b), &new_e.id, new_m),
            old_doc: old_doc.clone(),
            new_doc: new_doc.clone(),
            diff: diff_documents(old_doc, new_doc, &Default::default()),
            strict: false,
        })
    };
    let steps: Vec<Step> = (1..history.entries.len())
        .map(|to| {
            let diff = diff_of(to - 1, to);
            let corrections = diff
                .as_ref()
                .map(|d| crate::diff::corrections(&d.old_doc, &d.new_doc, &d.diff))
                .unwrap_or_default();
            Step {
                from: to - 1,
                to,
                diff,
                corrections,
            }
        })
        .collect();
    let last = history.entries.len().saturating_sub(1);
    let reference_at = history
        .reference
        .as_deref()
        .and_then(|r| history.entries.iter().position(|e| e.id == r));
    // Reference → latest, unless the last step shows that change already
    // (the version before the latest holds the reference's document).
    let document = |i: usize| history.entries.get(i).map(|e| &e.document_sha256);
    let against_reference = reference_at
        .filter(|&r| r != last && document(r) != document(last.saturating_sub(1)))
        .and_then(|r| diff_of(r, last));
    let mut audit = audit_latest(config, &store, &history.target)?;
    // The page shows its own diffs.
    audit.diff = None;
    let acknowledgements = history.acknowledgements.clone();
    let shot_of = |(i, (m, _)): (usize, &(Manifest, Document))| {
        let s = m.rendered.as_ref()?.screenshot.as_ref()?;
        Some((i, s.clone()))
    };
    let shots: Vec<_> = docs.iter().enumerate().filter_map(shot_of).collect();
    let screenshots_left_out = shots.len().saturating_sub(PAGE_SCREENSHOTS);
    let screenshots = shots
        .into_iter()
        .skip(screenshots_left_out)
        .map(|(version, s)| {
            Ok(VersionScreenshot {
                version,
                png: store.object(&s.object.sha256)?,
                sha256: s.object.sha256,
                width: s.width,
                height: s.height,
                full_page: s.full_page,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(HistoryPage {
        screenshots,
        screenshots_left_out,
        history,
        steps,
        against_reference,
        audit: Some(audit),
        acknowledgements,
    })
}

/// The offline audit of `target`: its latest version against its
/// reference, its acknowledgements applied, recorded nowhere.
fn audit_latest(config: &Config, store: &Store, target: &str) -> Result<TargetAudit, Error> {
    let parsed = crate::target::Target::parse(target)?;
    let settings = config.target_settings(&parsed);
    let policy = |tokens: &[String]| {
        FailPolicy::parse(tokens).map_err(|e| Error::Usage(format!("stet.toml: {e}")))
    };
    let fail_on = match settings.and_then(|t| t.fail_on.as_deref()) {
        Some(tokens) => policy(tokens)?,
        None => match &config.defaults.fail_on {
            Some(tokens) => policy(tokens)?,
            None => FailPolicy::default_policy(),
        },
    };
    super::audit::audit_unrecorded(
        store,
        target,
        settings.and_then(|t| t.name.clone()),
        &fail_on,
    )
}

/// `stet show SNAPSHOT`.
pub fn show(config: &Config, spec: &str, text_only: bool) -> Result<Shown, Error> {
    let store = Store::at(&config.store)?;
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

/// `stet pin TARGET [SNAPSHOT] [--note TEXT]`: make a snapshot (the latest
/// by default) the reference of its target.
pub fn pin(
    config: &Config,
    target: &str,
    spec: Option<&str>,
    note: Option<&str>,
) -> Result<PinReport, Error> {
    let store = Store::at(&config.store)?;
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
    // The pin is evidence too: who accepted which version, and when.
    let previous = writer.pin(
        &target,
        &id,
        &crate::fetch::now_rfc3339(),
        super::who().as_deref(),
        note,
    )?;
    if let Some(signer) = super::evidence::configured_signer(config)? {
        crate::evidence::seal::sign_journal(&writer, &signer, &target)?;
    }
    Ok(PinReport {
        schema_version: crate::model::SCHEMA_VERSION,
        target,
        reference: id,
        previous,
    })
}

/// `stet verify [--reextract]`: re-hash the whole store.
pub fn verify(
    config: &Config,
    reextract: bool,
    require_signed: bool,
) -> Result<VerifyReport, Error> {
    let store = Store::at(&config.store)?;
    let _lock = store.reader_lock(config.lock_timeout)?;
    let reextract_fn =
        |manifest: &Manifest, body: &[u8]| -> Result<crate::store::Reextracted, String> {
            super::reextract_document_sha(manifest, body)
        };
    let options = VerifyOptions {
        reextract: if reextract { Some(&reextract_fn) } else { None },
        threads: 0,
    };
    let trust = crate::evidence::check::load_trust(
        config.sign.allowed_signers.as_deref(),
        config.sign.tsa_ca.as_deref(),
    )?;
    let mut report = store.verify(&options)?;
    if let Some(evidence) = crate::evidence::check::check_store(&store, &trust, require_signed)? {
        report.signed = Some(evidence.signed);
        report.timestamped = Some(evidence.timestamped);
        report.problems.extend(evidence.problems);
        report.notes.extend(evidence.notes);
        report.problems.sort();
        report.notes.sort();
    }
    Ok(report)
}
