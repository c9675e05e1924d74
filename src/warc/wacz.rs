//! WACZ 1.1.1 packages (filled in next).

use std::path::Path;

use super::export::{ExportOptions, Exported};
use super::WarcError;
use crate::store::Store;

/// The WARC's name inside the package.
pub const WARC_NAME: &str = "data.warc.gz";

pub fn write(
    _store: &Store,
    _ids: &[String],
    _options: &ExportOptions,
    _path: &Path,
) -> Result<Exported, WarcError> {
    Err(WarcError::Nothing(
        "WACZ export is not built yet".to_string(),
    ))
}
