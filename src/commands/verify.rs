use super::{format_of, Output};
use crate::config::{Config, Format};
use crate::error::{exit, Error};
use crate::report;
use crate::store::{Store, VerifyOptions};

pub(super) fn run(
    config: &Config,
    out: &Output,
    reextract: bool,
    require_signed: bool,
) -> Result<u8, Error> {
    let format = format_of(config, &[Format::Text, Format::Json], "verify")?;
    let store = Store::open(&config.store)?;
    let _lock = store.reader_lock(config.lock_timeout)?;
    let reextract_fn = |manifest: &crate::model::Manifest, body: &[u8]| -> Result<String, String> {
        crate::commands::reextract_document_sha(manifest, body)
    };
    let options = VerifyOptions {
        reextract: if reextract { Some(&reextract_fn) } else { None },
        threads: 0,
    };
    let trust = crate::evidence::check::load_trust(
        config.sign.allowed_signers.as_deref(),
        config.sign.tsa_ca.as_deref(),
    )?;
    let mut report = store.verify(&options)?;
    if let Some(evidence) = crate::evidence::check::check_store(&store, &trust, require_signed)? {
        report.signed = Some(evidence.signed);
        report.timestamped = Some(evidence.timestamped);
        report.problems.extend(evidence.problems);
        report.notes.extend(evidence.notes);
        report.problems.sort();
        report.notes.sort();
    }
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
