//! Sealing a new snapshot: its manifest's exact bytes signed, its sha256
//! timestamped. Each is stored after the manifest, so a crash in between
//! leaves an unsigned or untimestamped snapshot (a note of `verify`),
//! never a damaged store.

use crate::digest::canonical_json;
use crate::fetch::FetchOptions;
use crate::model::Manifest;
use crate::store::Writer;

use super::{timestamp, EvidenceError, Signer, SNAPSHOT_NAMESPACE};

/// Sign any record's exact bytes in `namespace` (e.g. [`super::JOURNAL_NAMESPACE`])
/// and store the signature under the bytes' sha256, which it returns. For
/// records other than manifests, such as audit journal entries: call it
/// after the record itself is durably written.
pub fn sign_record(
    writer: &Writer,
    signer: &Signer,
    namespace: &str,
    bytes: &[u8],
) -> Result<String, String> {
    let sha256 = crate::digest::sha256_hex(bytes);
    let armored = signer.sign(namespace, bytes).map_err(|e| e.to_string())?;
    writer
        .put_signature(&sha256, armored.as_bytes())
        .map_err(|e| e.to_string())?;
    Ok(sha256)
}

/// Sign every line of `target`'s audit journal that has no signature yet
/// (new lines, and a repeat count rewritten in place), each over its
/// canonical JSON (whose sha256 the line carries) in namespace
/// [`super::JOURNAL_NAMESPACE`]. Returns how many lines were signed.
pub fn sign_journal(
    writer: &Writer,
    signer: &Signer,
    target: &str,
) -> Result<usize, EvidenceError> {
    let store = writer.store();
    let mut signed = 0;
    for line in store.journal(target)?.lines {
        if store.signature(&line.hash)?.is_some() {
            continue;
        }
        let bytes = canonical_json(&line.entry).map_err(|e| EvidenceError::Sign(e.to_string()))?;
        if crate::digest::sha256_hex(&bytes) != line.hash {
            return Err(EvidenceError::Sign(format!(
                "a journal line of {target} does not re-encode to its hash"
            )));
        }
        let armored = signer.sign(super::JOURNAL_NAMESPACE, &bytes)?;
        writer.put_signature(&line.hash, armored.as_bytes())?;
        signed += 1;
    }
    Ok(signed)
}

/// Sign the manifest stored as `id` and store the signature.
pub fn sign_manifest(
    writer: &Writer,
    signer: &Signer,
    id: &str,
    manifest: &Manifest,
) -> Result<(), String> {
    let bytes = canonical_json(manifest).map_err(|e| e.to_string())?;
    if crate::digest::sha256_hex(&bytes) != id {
        return Err(format!("manifest {id} does not re-encode to its id"));
    }
    let armored = signer
        .sign(SNAPSHOT_NAMESPACE, &bytes)
        .map_err(|e| e.to_string())?;
    writer
        .put_signature(id, armored.as_bytes())
        .map_err(|e| e.to_string())
}

/// Ask `tsa` for a token over the manifest id (its sha256), check the
/// answer, store it. Returns the token's time.
pub async fn timestamp_manifest(
    writer: &Writer,
    tsa: &str,
    id: &str,
    fetch: &FetchOptions,
) -> Result<String, String> {
    let digest = decode_hex32(id).ok_or_else(|| format!("`{id}` is not a sha256"))?;
    let request = timestamp::request(&digest).map_err(|e| e.to_string())?;
    let reply = crate::fetch::tsa::post_query(tsa, request.der.clone(), fetch)
        .await
        .map_err(|e| e.to_string())?;
    let facts = timestamp::check_reply(&request, &reply).map_err(|e| format!("{tsa}: {e}"))?;
    let writer = writer.clone();
    let id = id.to_string();
    tokio::task::spawn_blocking(move || writer.put_timestamp(&id, &reply))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
    Ok(facts.gen_time)
}

/// 64 hex digits → 32 bytes.
pub fn decode_hex32(hex: &str) -> Option<[u8; 32]> {
    if hex.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}
