use std::path::Path;

use super::{format_of, target_text, Output};
use crate::config::{Config, Format};
use crate::error::{exit, Error};
use crate::report::archive::{self, ExportSummary};
use crate::store::Store;
use crate::warc::export::{snapshots_of, write_warc, ExportOptions};
use crate::warc::{read::file_name, wacz, write_atomically};

pub(super) fn run(
    config: &Config,
    out: &Output,
    warc: Option<&Path>,
    wacz_path: Option<&Path>,
    targets: &[String],
) -> Result<u8, Error> {
    let format = format_of(config, &[Format::Text, Format::Json], "export")?;
    let store = Store::open(&config.store)?;
    let _lock = store.reader_lock(config.lock_timeout)?;
    let targets = targets
        .iter()
        .map(|t| target_text(t))
        .collect::<Result<Vec<_>, _>>()?;
    let ids = snapshots_of(&store, &targets)?;
    let (path, kind, exported) = match (warc, wacz_path) {
        (Some(path), _) => {
            let options = ExportOptions {
                filename: file_name(path),
                operator: config.archive.operator.clone(),
            };
            let exported = write_atomically(path, |w| write_warc(&store, &ids, &options, w))?;
            (path, "warc", exported)
        }
        (None, Some(path)) => {
            let options = ExportOptions {
                filename: wacz::WARC_NAME.to_string(),
                operator: config.archive.operator.clone(),
            };
            let exported = wacz::write(&store, &ids, &options, path)?;
            (path, "wacz", exported)
        }
        (None, None) => return Err(Error::Usage("give --warc FILE or --wacz FILE".to_string())),
    };
    let summary = ExportSummary::of(path, kind, &exported);
    let text = match format {
        Format::Json => crate::report::json_line(&summary),
        _ => archive::export_text(&summary),
    };
    if !out.quiet || format == Format::Json {
        out.print(&text)?;
    }
    Ok(exit::OK)
}
