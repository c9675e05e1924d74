use std::path::Path;

use super::Output;
use crate::error::{exit, Error};
use crate::evidence::{key, Signer, SNAPSHOT_NAMESPACE};

pub(super) fn run(out: &Output, path: &Path, identity: &str) -> Result<u8, Error> {
    let signer = Signer::generate(path, identity)?;
    if !out.quiet {
        out.print(&crate::report::evidence::keygen_text(
            path,
            &key::public_path(path),
            &signer.fingerprint(),
            &signer.allowed_signers_line(&[SNAPSHOT_NAMESPACE]),
        ))?;
    }
    Ok(exit::OK)
}
