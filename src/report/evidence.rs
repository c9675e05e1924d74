//! Output of `stet keygen` and `stet prove`.

use std::fmt::Write as _;

use super::json_line;
use super::sanitize::line;
use crate::model::{KeygenReport, ProofBundle as Bundle};

pub fn keygen_text(k: &KeygenReport) -> String {
    format!(
        "wrote {key} (private, mode 0600) and {public}\n\
         fingerprint {fingerprint}\n\
         sign with it: [sign] key = \"{key}\" in stet.toml, or --key\n\
         its allowed_signers line (publish it; verifiers put it in their allowed_signers):\n{allowed}",
        key = line(&k.key),
        public = line(&k.public_key),
        fingerprint = k.fingerprint,
        allowed = k.allowed_signers,
    )
}

pub fn keygen_json(k: &KeygenReport) -> String {
    #[derive(serde::Serialize)]
    struct View<'a> {
        schema_version: u32,
        #[serde(flatten)]
        report: &'a KeygenReport,
    }
    json_line(&View {
        schema_version: crate::model::SCHEMA_VERSION,
        report: k,
    })
}

pub fn bundle_text(b: &Bundle) -> String {
    let mut out = format!(
        "proof of {} written to {}\n  signed by {} ({}{})\n",
        &b.snapshot[..12],
        line(&b.dir),
        b.principal,
        b.fingerprint,
        if b.key_trusted {
            ", a trusted key"
        } else {
            ", key taken from the signature: compare the fingerprint"
        }
    );
    if b.timestamped {
        let _ = writeln!(
            out,
            "  timestamped{}",
            if b.tsa_ca {
                ""
            } else {
                " (no [sign] tsa_ca: the verifier supplies the authority's CA as TSA_CA)"
            }
        );
    }
    if !b.chain.is_empty() {
        let _ = writeln!(
            out,
            "  {} earlier version(s) back to the reference",
            b.chain.len()
        );
    }
    let _ = writeln!(out, "  check it: {}/VERIFY.sh", line(&b.dir));
    out
}

pub fn bundle_json(b: &Bundle) -> String {
    #[derive(serde::Serialize)]
    struct View<'a> {
        schema_version: u32,
        #[serde(flatten)]
        bundle: &'a Bundle,
    }
    json_line(&View {
        schema_version: crate::model::SCHEMA_VERSION,
        bundle: b,
    })
}
