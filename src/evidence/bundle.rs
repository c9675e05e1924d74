//! `stet prove`: a directory that proves one snapshot to someone who does
//! not trust stet, with `sha256sum`, `ssh-keygen` and `openssl` alone.
//!
//! ```text
//! manifest.json        the manifest's exact bytes (sha256 = the snapshot id)
//! manifest.json.sig    its SSH signature (namespace stet-snapshot)
//! manifest.json.tsr    its RFC 3161 timestamp, when it has one
//! tsa-ca.pem           the trusted timestamp CA, when configured
//! allowed_signers      the key that signed it, as ssh-keygen -Y verify reads it
//! objects/<sha256>     the raw body and the extracted document
//! chain/<id>.json      each parent manifest back to the reference (.sig/.tsr beside)
//! VERIFY.sh            checks all of the above; exit 0 only if everything holds
//! README.txt           what was proven and how to check it by hand
//! ```

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use super::allowed::{signer_of, AllowedSigners};
use super::key::allowed_signers_line;
use super::{EvidenceError, SNAPSHOT_NAMESPACE};
use crate::digest::sha256_hex;
use crate::model::ProofBundle as Bundle;
use crate::store::{Store, StoreError};

/// Principal written into a bundle's `allowed_signers` when no trusted
/// file names the key.
pub const UNLISTED_PRINCIPAL: &str = "signer";

/// Why no bundle could be written.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Evidence(#[from] EvidenceError),
    #[error("snapshot {0} is not signed: a bundle would prove only its hashes (sign new snapshots with [sign] key or --key)")]
    Unsigned(String),
    #[error("{0} exists and is not an empty directory; give a new --out")]
    OutExists(PathBuf),
}

/// Write the bundle of snapshot `id` into `out` (created; must be new or empty).
pub fn write(
    store: &Store,
    id: &str,
    allowed: Option<&AllowedSigners>,
    tsa_ca: Option<&Path>,
    out: &Path,
) -> Result<Bundle, BundleError> {
    let manifest_bytes = store.manifest_bytes(id)?;
    let manifest = store.manifest(id)?;
    let sig = store
        .signature(id)?
        .ok_or_else(|| BundleError::Unsigned(id.to_string()))?;
    let key = signer_of(&sig).ok_or_else(|| {
        BundleError::Evidence(EvidenceError::Sign(format!(
            "the stored signature of {id} does not parse (run `stet verify`)"
        )))
    })?;
    let fingerprint = key.fingerprint(ssh_key::HashAlg::Sha256).to_string();
    let trusted_line = allowed.and_then(|a| a.lines_for(&sig));
    let principal = trusted_line
        .as_deref()
        .and_then(|l| l.split([' ', ',']).next())
        .filter(|p| shell_safe(p))
        .unwrap_or(UNLISTED_PRINCIPAL)
        .to_string();
    let allowed_text = match &trusted_line {
        Some(lines) if principal != UNLISTED_PRINCIPAL => lines.clone(),
        _ => allowed_signers_line(&principal, &key, &[SNAPSHOT_NAMESPACE]),
    };
    let timestamp = store.timestamp(id)?;
    let ca = match (timestamp.is_some(), tsa_ca) {
        (true, Some(path)) => Some(fs::read(path).map_err(|source| EvidenceError::Read {
            path: path.to_path_buf(),
            source,
        })?),
        _ => None,
    };

    // The parents back to the reference (or the first snapshot).
    let reference = store.reference(&manifest.target)?;
    let mut chain = Vec::new();
    let mut next = manifest.parent.clone();
    if reference.as_deref() != Some(id) {
        while let Some(parent) = next {
            let m = store.manifest(&parent)?;
            let done = reference.as_deref() == Some(parent.as_str());
            chain.push(parent);
            if done {
                break;
            }
            next = m.parent;
        }
    }

    prepare_dir(out)?;
    let mut files = Vec::new();
    let mut put = |name: &str, bytes: &[u8]| -> Result<(), BundleError> {
        let path = out.join(name);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|source| write_err(dir, source))?;
        }
        fs::write(&path, bytes).map_err(|source| write_err(&path, source))?;
        files.push(name.to_string());
        Ok(())
    };
    put("manifest.json", &manifest_bytes)?;
    put("manifest.json.sig", &sig)?;
    if let Some(tsr) = &timestamp {
        put("manifest.json.tsr", tsr)?;
    }
    if let Some(ca) = &ca {
        put("tsa-ca.pem", ca)?;
    }
    put("allowed_signers", allowed_text.as_bytes())?;
    for object in [&manifest.body, &manifest.document] {
        let bytes = store.object(&object.sha256)?;
        put(&format!("objects/{}", object.sha256), &bytes)?;
    }
    for parent in &chain {
        put(
            &format!("chain/{parent}.json"),
            &store.manifest_bytes(parent)?,
        )?;
        if let Some(s) = store.signature(parent)? {
            put(&format!("chain/{parent}.json.sig"), &s)?;
        }
        if let Some(t) = store.timestamp(parent)? {
            put(&format!("chain/{parent}.json.tsr"), &t)?;
        }
    }
    let bundle = Bundle {
        dir: out.display().to_string(),
        snapshot: id.to_string(),
        target: manifest.target.clone(),
        principal: principal.clone(),
        fingerprint,
        key_trusted: trusted_line.is_some() && principal != UNLISTED_PRINCIPAL,
        timestamped: timestamp.is_some(),
        tsa_ca: ca.is_some(),
        chain,
        files: Vec::new(),
    };
    put("VERIFY.sh", verify_script(&bundle).as_bytes())?;
    set_executable(&out.join("VERIFY.sh"))?;
    put(
        "README.txt",
        readme(&bundle, &manifest.fetch.fetched_at).as_bytes(),
    )?;
    debug_assert_eq!(sha256_hex(&manifest_bytes), id);
    files.sort();
    Ok(Bundle { files, ..bundle })
}

fn write_err(path: &Path, source: std::io::Error) -> BundleError {
    BundleError::Evidence(EvidenceError::Write {
        path: path.to_path_buf(),
        source,
    })
}

fn prepare_dir(out: &Path) -> Result<(), BundleError> {
    match fs::read_dir(out) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(BundleError::OutExists(out.to_path_buf()));
            }
            Ok(())
        }
        Err(e) if e.kind() == ErrorKind::NotFound => {
            fs::create_dir_all(out).map_err(|source| write_err(out, source))
        }
        Err(e) if e.kind() == ErrorKind::NotADirectory => {
            Err(BundleError::OutExists(out.to_path_buf()))
        }
        Err(source) => Err(write_err(out, source)),
    }
}

#[cfg(unix)]
fn set_executable(path: &Path) -> Result<(), BundleError> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755))
        .map_err(|source| write_err(path, source))
}

#[cfg(not(unix))]
fn set_executable(_: &Path) -> Result<(), BundleError> {
    Ok(())
}

/// Safe inside single quotes and as an `ssh-keygen -I` identity.
fn shell_safe(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"@._+-".contains(&b))
}

/// The shell script of a bundle. Every value in it is hex or a checked
/// principal; nothing from the page reaches it.
fn verify_script(b: &Bundle) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        r#"#!/bin/sh
# Verifies this bundle with sha256sum, ssh-keygen and openssl alone.
# Exit 0 only if every check passes. Written by stet {version}.
set -u
cd "$(dirname "$0")" || exit 2
ID='{id}'
PRINCIPAL='{principal}'
TSA_CA="${{TSA_CA:-tsa-ca.pem}}"
failed=0
ok()   {{ printf 'ok    %s\n' "$1"; }}
fail() {{ printf 'FAIL  %s\n' "$1"; failed=1; }}
sha()  {{ sha256sum < "$1" | cut -d ' ' -f 1; }}
# The sha256 a canonical manifest gives for "KEY":{{"sha256":"..."}}.
named() {{ grep -o "\"$2\":{{\"sha256\":\"[0-9a-f]\{{64\}}\"" "$1" | grep -o '[0-9a-f]\{{64\}}'; }}
parent() {{ grep -o '"parent":"[0-9a-f]\{{64\}}"' "$1" | grep -o '[0-9a-f]\{{64\}}'; }}

if [ "$(sha manifest.json)" = "$ID" ]; then ok "manifest.json is snapshot $ID"
else fail "manifest.json does not hash to $ID"; fi

for kind in body document; do
  want=$(named manifest.json "$kind")
  if [ -n "$want" ] && [ -f "objects/$want" ] && [ "$(sha "objects/$want")" = "$want" ]; then
    ok "objects/$want is the $kind the manifest names"
  else fail "the $kind the manifest names (${{want:-none}}) is missing or altered"; fi
done

if said=$(ssh-keygen -Y verify -f allowed_signers -I "$PRINCIPAL" -n {ns} \
     -s manifest.json.sig < manifest.json 2>&1); then
  ok "manifest.json.sig: $said"
else fail "the signature manifest.json.sig does not verify"; fi
"#,
        version = crate::model::TOOL_VERSION,
        id = b.snapshot,
        principal = b.principal,
        ns = SNAPSHOT_NAMESPACE,
    ));
    if b.timestamped {
        s.push_str(
            r#"
if [ ! -f "$TSA_CA" ]; then
  fail "no timestamp CA to check manifest.json.tsr against (set TSA_CA=the authority's CA certificate)"
elif openssl ts -verify -digest "$ID" -in manifest.json.tsr -CAfile "$TSA_CA" >/dev/null 2>&1; then
  ok "manifest.json.tsr: $(openssl ts -reply -in manifest.json.tsr -text 2>/dev/null | grep '^Time stamp:')"
else fail "the timestamp manifest.json.tsr does not verify against $TSA_CA"; fi
"#,
        );
    }
    if !b.chain.is_empty() {
        s.push_str("\nchild=manifest.json\n");
        for parent in &b.chain {
            s.push_str(&format!(
                r#"p='{parent}'
if [ "$(parent "$child")" = "$p" ] && [ -f "chain/$p.json" ] && [ "$(sha "chain/$p.json")" = "$p" ]; then
  ok "chain/$p.json is the parent of $child"
else fail "chain/$p.json is missing, altered or not the parent of $child"; fi
if [ -f "chain/$p.json.sig" ]; then
  if ssh-keygen -Y verify -f allowed_signers -I "$PRINCIPAL" -n {ns} -s "chain/$p.json.sig" < "chain/$p.json" >/dev/null 2>&1; then
    ok "chain/$p.json is signed by $PRINCIPAL"
  else fail "the signature chain/$p.json.sig does not verify"; fi
fi
child="chain/$p.json"
"#,
                ns = SNAPSHOT_NAMESPACE,
            ));
        }
    }
    s.push_str(
        r#"
if [ "$failed" -eq 0 ]; then echo "VERIFIED: every check passed"; exit 0; fi
echo "NOT VERIFIED: see the FAIL lines above"; exit 1
"#,
    );
    s
}

fn readme(b: &Bundle, fetched_at: &str) -> String {
    let target = crate::report::sanitize::line(&b.target);
    let mut s = format!(
        "Proof of snapshot {id}\n\
         of {target}\n\
         fetched at {fetched_at} (the fetcher's clock; the timestamp, if any, is the authority's)\n\n\
         Run ./VERIFY.sh (needs sha256sum, ssh-keygen and openssl). By hand:\n\n\
         1. The manifest is the snapshot:\n\
         \x20   sha256sum manifest.json          # prints {id}\n\n\
         2. The body and document are those the manifest names (its \"body\" and\n\
         \x20   \"document\" sha256): sha256sum objects/*\n\n\
         3. The signature:\n\
         \x20   ssh-keygen -Y verify -f allowed_signers -I {principal} -n {ns} \\\n\
         \x20     -s manifest.json.sig < manifest.json\n",
        id = b.snapshot,
        principal = b.principal,
        ns = SNAPSHOT_NAMESPACE,
    );
    if b.key_trusted {
        s.push_str(&format!(
            "   allowed_signers is the signer's entry from the trusted list; its key\n   fingerprint is {}.\n",
            b.fingerprint
        ));
    } else {
        s.push_str(&format!(
            "   allowed_signers was made from the signature itself: it proves only that\n   the holder of this key signed:\n     {}\n   Compare that fingerprint (ssh-keygen prints it too) with the one the\n   signer publishes.\n",
            b.fingerprint
        ));
    }
    if b.timestamped {
        s.push_str(&format!(
            "\n4. The trusted timestamp (RFC 3161) over the manifest's sha256:\n\
             \x20   openssl ts -verify -digest {id} -in manifest.json.tsr -CAfile {ca}\n\
             \x20   openssl ts -reply -in manifest.json.tsr -text    # shows the time\n",
            id = b.snapshot,
            ca = if b.tsa_ca {
                "tsa-ca.pem"
            } else {
                "AUTHORITY-CA.pem   # the authority's CA certificate"
            },
        ));
    }
    if !b.chain.is_empty() {
        s.push_str(&format!(
            "\n5. chain/ holds the {} earlier version(s) back to the reference: each\n\
             \x20  chain/<id>.json hashes to <id>, and each manifest's \"parent\" is the\n\
             \x20  id of the next one.\n",
            b.chain.len()
        ));
    }
    s
}
