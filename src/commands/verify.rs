use super::{format_of, Output};
use crate::config::{Config, Format};
use crate::error::{exit, Error};
use crate::report;
use crate::store::{Store, VerifyOptions};

pub(super) fn run(config: &Config, out: &Output, reextract: bool) -> Result<u8, Error> {
    let format = format_of(config, &[Format::Text, Format::Json], "verify")?;
    let store = Store::open(&config.store)?;
    let _lock = store.reader_lock(config.lock_timeout)?;
    let reextract_fn = |manifest: &crate::model::Manifest,
                        body: &[u8]|
     -> Result<crate::store::Reextracted, String> {
        crate::commands::reextract_document_sha(manifest, body)
    };
    let options = VerifyOptions {
        reextract: if reextract { Some(&reextract_fn) } else { None },
        threads: 0,
    };
    let report = store.verify(&options)?;
    let text = match format {
        Format::Json => report::verify::json(&report),
        Format::Text if out.quiet && report.intact() => String::new(),
        // `format_of` admitted text and json only.
        _ => report::verify::text(&report, out.color),
    };
    out.print(&text)?;
    Ok(if report.intact() {
        exit::OK
    } else {
        exit::FINDINGS
    })
}
