//! `stet keygen` and `stet prove`: a new signing key, a proof bundle.

use std::path::Path;

use crate::config::Config;
use crate::error::Error;
use crate::evidence::allowed::AllowedSigners;
use crate::evidence::{bundle, key, Signer, JOURNAL_NAMESPACE, SNAPSHOT_NAMESPACE};
use crate::model::{KeygenReport, ProofBundle};
use crate::store::Store;

/// The signing key of `[sign] key`, read and checked, if one is set (for
/// commands that sign journal lines: `pin`, `ack`).
pub(super) fn configured_signer(config: &Config) -> Result<Option<Signer>, Error> {
    match &config.sign.key {
        Some(key) => Ok(Some(Signer::load(key, config.sign.identity.as_deref())?)),
        None => Ok(None),
    }
}

/// Make a new ed25519 key at `path` (and `path.pub`).
pub fn keygen(path: &Path, identity: &str) -> Result<KeygenReport, Error> {
    let signer = Signer::generate(path, identity)?;
    Ok(KeygenReport {
        key: path.display().to_string(),
        public_key: key::public_path(path).display().to_string(),
        fingerprint: signer.fingerprint(),
        allowed_signers: signer.allowed_signers_line(&[SNAPSHOT_NAMESPACE, JOURNAL_NAMESPACE]),
    })
}

/// Write the proof bundle of the snapshot `spec` names into `out`.
pub fn prove(config: &Config, spec: &str, out: &Path) -> Result<ProofBundle, Error> {
    let store = Store::at(&config.store)?;
    let _lock = store.reader_lock(config.lock_timeout)?;
    let id = super::resolve_stored(&store, spec)?;
    // Trusted keys: the allowed_signers file, else this user's own key.
    let allowed = match (&config.sign.allowed_signers, &config.sign.key) {
        (Some(path), _) => Some(AllowedSigners::load(path)?),
        (None, Some(key)) => {
            let signer = Signer::load(key, config.sign.identity.as_deref())?;
            let line = signer.allowed_signers_line(&[SNAPSHOT_NAMESPACE]);
            Some(AllowedSigners::parse(&key.display().to_string(), &line)?)
        }
        (None, None) => None,
    };
    Ok(bundle::write(
        &store,
        &id,
        allowed.as_ref(),
        config.sign.tsa_ca.as_deref(),
        out,
    )?)
}
