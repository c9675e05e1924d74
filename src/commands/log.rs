use super::{format_of, target_text, Output};
use crate::config::{names, Config, Format};
use crate::error::{exit, Error};
use crate::report::{self, history::Entry, history::History, history::TargetList};
use crate::store::{Store, StoreError};

pub(super) fn run(config: &Config, out: &Output, target: Option<&str>) -> Result<u8, Error> {
    let Some(target) = target else {
        return list(config, out);
    };
    let format = format_of(config, &[Format::Text, Format::Json], "log")?;
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
    let text = match format {
        Format::Json => report::history::json(&history),
        // `format_of` admitted text and json only.
        _ => report::history::text(&history, out.color),
    };
    out.print(&text)?;
    Ok(exit::OK)
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
