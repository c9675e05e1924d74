use std::path::PathBuf;

use super::Output;
use crate::config::{Config, Format};
use crate::error::{exit, Error};
use crate::report::archive;
use crate::store::Store;
use crate::warc::import::{import, scan_all, ImportOptions};

pub(super) fn run(
    config: &Config,
    out: &Output,
    files: &[PathBuf],
    max_body: u64,
) -> Result<u8, Error> {
    let format = super::format_of(config, &[Format::Text, Format::Json], "import")?;
    let scanned = scan_all(files)?;
    let store = Store::open_or_create(&config.store)?;
    let writer = store.writer(config.lock_timeout)?;
    let settings = |target: &crate::target::Target| {
        config
            .target_settings(target)
            .map(|t| t.extract_settings())
            .unwrap_or_default()
    };
    let report = import(&writer, &scanned, &ImportOptions { max_body }, &settings)?;
    drop(writer);
    let text = match format {
        Format::Json => crate::report::json_line(&archive::ImportJson::of(&report)),
        _ => archive::import_text(&report, out.quiet),
    };
    out.print(&text)?;
    Ok(if report.count("refused") > 0 {
        exit::FINDINGS
    } else {
        exit::OK
    })
}
