use super::{format_of, target_text, Output};
use crate::config::{Config, Format};
use crate::error::{exit, Error};
use crate::report::{self, history::Entry, history::History};
use crate::store::{Store, StoreError};

pub(super) fn run(config: &Config, out: &Output, target: &str) -> Result<u8, Error> {
    let format = format_of(
        config,
        &[Format::Text, Format::Json, Format::Timemap],
        "log",
    )?;
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
        Format::Timemap => report::timemap::render(
            &history,
            &report::timemap::Replay {
                prefix: config
                    .archive
                    .replay_prefix
                    .as_deref()
                    .unwrap_or(report::timemap::DEFAULT_REPLAY_PREFIX),
                timegate: config.archive.timegate.as_deref(),
            },
        ),
        // `format_of` admitted text and json only.
        _ => report::history::text(&history, out.color),
    };
    out.print(&text)?;
    Ok(exit::OK)
}
