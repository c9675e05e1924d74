use std::path::Path;

use super::{format_of, resolve_stored, Output};
use crate::config::{Config, Format};
use crate::error::{exit, Error};
use crate::evidence::{allowed::AllowedSigners, bundle};
use crate::report;
use crate::store::Store;

pub(super) fn run(config: &Config, out: &Output, spec: &str, dir: &Path) -> Result<u8, Error> {
    let format = format_of(config, &[Format::Text, Format::Json], "prove")?;
    let store = Store::open(&config.store)?;
    let _lock = store.reader_lock(config.lock_timeout)?;
    let id = resolve_stored(&store, spec)?;
    // Trusted keys: the allowed_signers file, else this user's own key.
    let allowed = match (&config.sign.allowed_signers, &config.sign.key) {
        (Some(path), _) => Some(AllowedSigners::load(path)?),
        (None, Some(key)) => {
            let signer = crate::evidence::Signer::load(key, config.sign.identity.as_deref())?;
            let line = signer.allowed_signers_line(&[crate::evidence::SNAPSHOT_NAMESPACE]);
            Some(AllowedSigners::parse(&key.display().to_string(), &line)?)
        }
        (None, None) => None,
    };
    let bundle = bundle::write(
        &store,
        &id,
        allowed.as_ref(),
        config.sign.tsa_ca.as_deref(),
        dir,
    )?;
    let text = match format {
        Format::Json => report::evidence::bundle_json(&bundle),
        Format::Text if out.quiet => String::new(),
        _ => report::evidence::bundle_text(&bundle),
    };
    out.print(&text)?;
    Ok(exit::OK)
}
