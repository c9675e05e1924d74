use super::diff::side_of;
use super::{format_of, target_text, Output};
use crate::config::{names, Config, Format};
use crate::diff::diff_documents;
use crate::error::{exit, Error};
use crate::report::history::{Entry, History, HistoryPage, Step, TargetList};
use crate::report::{self, DiffReport};
use crate::store::{Store, StoreError};

pub(super) fn run(config: &Config, out: &Output, target: Option<&str>) -> Result<u8, Error> {
    let Some(target) = target else {
        return list(config, out);
    };
    let format = format_of(config, &[Format::Text, Format::Json, Format::Html], "log")?;
    let store = Store::open(&config.store)?;
    let target = target_text(target)?;
    let ids = store.history(&target)?;
    if ids.is_empty() {
        return Err(StoreError::UnknownTarget(target).into());
    }
    let reference = store.reference(&target)?;
    let mut history = History::new(target.clone(), reference.clone());
    history.name = names::name_of(&config.targets, &target).map(str::to_string);
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
            body_sha256: manifest.body.sha256,
            document_sha256: manifest.document.sha256,
            text_sha256: manifest.text_sha256,
        });
    }
    history.last_check = store.last_check(&target)?;
    let text = match format {
        Format::Json => report::history::json(&history),
        Format::Html => report::history_html::html(&history_page(config, &store, history)?),
        // `format_of` admitted text, json and html only.
        _ => report::history::text(&history, out.color),
    };
    out.print(&text)?;
    Ok(exit::OK)
}

/// The history page's value: each step's diff and corrections, the latest
/// version against the reference and its audit (offline, as `stet audit
/// --offline` would report it).
fn history_page(config: &Config, store: &Store, history: History) -> Result<HistoryPage, Error> {
    let mut docs = Vec::with_capacity(history.entries.len());
    for e in &history.entries {
        let manifest = store.manifest(&e.id)?;
        let document = store.document(&manifest)?;
        docs.push((manifest, document));
    }
    let label = |i: usize| format!("v{}", i + 1);
    let diff_of = |a: usize, b: usize| -> Option<DiffReport> {
        let ((old_m, old_doc), (new_m, new_doc)) = (docs.get(a)?, docs.get(b)?);
        let (old_e, new_e) = (history.entries.get(a)?, history.entries.get(b)?);
        if old_m.document.sha256 == new_m.document.sha256 {
            return None;
        }
        Some(DiffReport {
            old: side_of(&label(a), &old_e.id, old_m),
            new: side_of(&label(b), &new_e.id, new_m),
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
    let audit = audit_latest(config, store, &history.target)?;
    Ok(HistoryPage {
        history,
        steps,
        against_reference,
        audit,
        acknowledgements: Vec::new(),
    })
}

/// The offline audit of `target`: its latest version against its reference.
fn audit_latest(
    config: &Config,
    store: &Store,
    target: &str,
) -> Result<Option<crate::audit::TargetAudit>, Error> {
    use crate::audit::{AuditOptions, AuditTarget, FailPolicy};
    let parsed = crate::target::Target::parse(target)?;
    let settings = config.target_settings(&parsed);
    let policy = |tokens: &[String]| {
        FailPolicy::parse(tokens).map_err(|e| Error::Usage(format!("stet.toml: {e}")))
    };
    let fail_on = match &config.defaults.fail_on {
        Some(tokens) => policy(tokens)?,
        None => FailPolicy::default_policy(),
    };
    let audit_target = AuditTarget {
        target: parsed.clone(),
        name: settings.and_then(|t| t.name.clone()),
        extract: settings.map(|t| t.extract_settings()).unwrap_or_default(),
        fail_on: settings
            .and_then(|t| t.fail_on.as_deref())
            .map(policy)
            .transpose()?,
        links: false,
    };
    let options = AuditOptions {
        offline: true,
        snapshot: Default::default(),
        diff: Default::default(),
        strict: false,
        fail_on,
        links: None,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(Error::Runtime)?;
    let report = runtime
        .block_on(crate::audit::run(
            store,
            &[audit_target],
            &options,
            &mut || {},
        ))
        .map_err(|e| match e {
            crate::audit::AuditError::Store(e) => Error::Store(e),
            crate::audit::AuditError::Snapshot(e) => e.into(),
        })?;
    Ok(report.targets.into_iter().next())
}

/// `stet log` without a target: every stored target, with its name.
fn list(config: &Config, out: &Output) -> Result<u8, Error> {
    let format = format_of(config, &[Format::Text, Format::Json], "log")?;
    let store = Store::open(&config.store)?;
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
        list.targets.push(report::history::TargetRow {
            name: names::name_of(&config.targets, &target).map(str::to_string),
            versions: history.len(),
            last_fetch,
            latest,
            reference: store.reference(&target)?,
            target,
        });
    }
    let text = match format {
        Format::Json => report::history::list_json(&list),
        // `format_of` admitted text and json only.
        _ => report::history::list_text(&list, out.color),
    };
    out.print(&text)?;
    Ok(exit::OK)
}
