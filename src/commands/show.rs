use super::{format_of, resolve_stored, Output};
use crate::config::{Config, Format};
use crate::error::{exit, Error};
use crate::report::{self, manifest::SnapshotView};
use crate::store::Store;

pub(super) fn run(config: &Config, out: &Output, spec: &str, text_only: bool) -> Result<u8, Error> {
    let format = format_of(config, &[Format::Text, Format::Json], "show")?;
    let store = Store::open(&config.store)?;
    let id = resolve_stored(&store, spec)?;
    let manifest = store.manifest(&id)?;
    let document = store.document(&manifest)?;
    let text = if text_only {
        match format {
            Format::Json => report::json_line(&document),
            // `format_of` admitted text and json only.
            _ => report::manifest::article_text(&document),
        }
    } else {
        let is_reference = store.reference(&manifest.target)?.as_deref() == Some(id.as_str());
        let view = SnapshotView::new(id, is_reference, manifest, &document);
        match format {
            Format::Json => report::manifest::json(&view),
            // `format_of` admitted text and json only.
            _ => report::manifest::text(&view, out.color),
        }
    };
    out.print(&text)?;
    Ok(exit::OK)
}
