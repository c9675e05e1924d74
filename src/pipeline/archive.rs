//! Web archives: `stet export` (WARC, WACZ), `stet import --warc` and the
//! TimeMap of `stet log --format timemap`.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::error::Error;
use crate::model::{ExportSummary, ImportReport, TimeMap, SCHEMA_VERSION};
use crate::store::Store;
use crate::target::Target;
use crate::warc::export::{snapshots_of, write_warc, ExportOptions};
use crate::warc::import::{import as import_scanned, scan_all, ImportOptions};
use crate::warc::read::{file_name, Format};
use crate::warc::{wacz, write_atomically};

/// Default replay prefix of mementos: pywb's layout for a collection named `web`.
pub const DEFAULT_REPLAY_PREFIX: &str = "/web/";

/// `stet export --warc FILE` or `--wacz FILE`, of `targets` (default: all).
pub fn export(
    config: &Config,
    warc: Option<&Path>,
    wacz_path: Option<&Path>,
    targets: &[String],
) -> Result<ExportSummary, Error> {
    let store = Store::at(&config.store)?;
    let _lock = store.reader_lock(config.lock_timeout)?;
    let targets = targets
        .iter()
        .map(|t| Ok(Target::parse(t)?.to_string()))
        .collect::<Result<Vec<_>, Error>>()?;
    let ids = snapshots_of(&store, &targets)?;
    let operator = config.archive.operator.clone();
    let (path, format, exported) = match (warc, wacz_path) {
        (Some(path), _) => {
            let options = ExportOptions {
                filename: file_name(path),
                operator,
            };
            let exported = write_atomically(path, |w| write_warc(&store, &ids, &options, w))?;
            (path, "warc", exported)
        }
        (None, Some(path)) => {
            let options = ExportOptions {
                filename: wacz::WARC_NAME.to_string(),
                operator,
            };
            (path, "wacz", wacz::write(&store, &ids, &options, path)?)
        }
        (None, None) => return Err(Error::Usage("give --warc FILE or --wacz FILE".to_string())),
    };
    Ok(ExportSummary {
        schema_version: SCHEMA_VERSION,
        file: path.display().to_string(),
        format: format.to_string(),
        snapshots: exported.snapshots,
        responses: exported.count("response"),
        revisits: exported.count("revisit"),
        resources: exported.count("resource"),
        states: exported.states,
        warc_bytes: exported.bytes,
    })
}

/// `stet import --warc FILE... --arc FILE...`: every file is read through
/// before the store is opened, so a damaged file leaves it untouched.
pub fn import(
    config: &Config,
    files: &[(PathBuf, Format)],
    max_body: u64,
) -> Result<ImportReport, Error> {
    let scanned = scan_all(files)?;
    let store = Store::at_or_create(&config.store)?;
    let writer = store.writer(config.lock_timeout)?;
    let settings = |target: &Target| super::settings_for(config, target, None);
    Ok(import_scanned(
        &writer,
        &scanned,
        &ImportOptions { max_body },
        &settings,
    )?)
}

/// `stet log TARGET --format timemap`.
pub fn timemap(config: &Config, target: &str) -> Result<TimeMap, Error> {
    Ok(TimeMap {
        history: super::history(config, target)?,
        replay_prefix: config
            .archive
            .replay_prefix
            .clone()
            .unwrap_or_else(|| DEFAULT_REPLAY_PREFIX.to_string()),
        timegate: config.archive.timegate.clone(),
    })
}
