use super::{format_of, resolve_stored, target_text, Output};
use crate::config::{Config, Format};
use crate::error::{exit, Error};
use crate::report;
use crate::store::journal::PinRecord;
use crate::store::{Selector, Store, StoreError};

pub(super) fn run(
    config: &Config,
    out: &Output,
    target: &str,
    spec: Option<&str>,
) -> Result<u8, Error> {
    let format = format_of(config, &[Format::Text, Format::Json], "pin")?;
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
            id: report::short_id(&id).to_string(),
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
    let text = match format {
        Format::Json => report::json_line(&serde_json::json!({
            "schema_version": crate::model::SCHEMA_VERSION,
            "target": target,
            "reference": id,
            "previous": previous,
        })),
        Format::Text if out.quiet => String::new(),
        // `format_of` admitted text and json only.
        _ => format!(
            "pinned {} as the reference of {}\n",
            report::short_id(&id),
            report::sanitize::line(&target)
        ),
    };
    out.print(&text)?;
    Ok(exit::OK)
}
