//! `stet verify`'s evidence half: every snapshot's signature checked against
//! the trusted keys, every timestamp against the trusted CAs. Unsigned,
//! untrusted and untimestamped snapshots are notes (damage with
//! `--require-signed`); a signature or token that does not match its
//! manifest is damage.

use std::path::Path;

use serde::Serialize;

use super::allowed::{AllowedSigners, SigCheck};
use super::seal::decode_hex32;
use super::timestamp::{self, TrustedCas};
use super::{JOURNAL_NAMESPACE, SNAPSHOT_NAMESPACE};
use crate::model::Problem;
use crate::store::{Store, StoreError};

/// What `verify` trusts.
#[derive(Debug, Clone, Default)]
pub struct Trust {
    pub allowed_signers: Option<AllowedSigners>,
    pub tsa_cas: Option<TrustedCas>,
}

/// Counts, damage and notes of the evidence check.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EvidenceReport {
    /// Snapshots with a signature by a trusted key.
    pub signed: usize,
    /// Snapshots with a timestamp (checked against the CAs when they are set).
    pub timestamped: usize,
    #[serde(skip)]
    pub problems: Vec<Problem>,
    #[serde(skip)]
    pub notes: Vec<Problem>,
}

/// Check the evidence of every manifest of `store`. Returns `None` when the
/// store holds no evidence and nothing asks for it (a store that never
/// signed is not noted snapshot by snapshot).
pub fn check_store(
    store: &Store,
    trust: &Trust,
    require_signed: bool,
) -> Result<Option<EvidenceReport>, StoreError> {
    let ids = store.manifest_ids()?;
    let layout = store.layout();
    // Listed once: whether evidence is in use, and the orphans below.
    let signatures = store.list_files(&layout.signatures_dir())?;
    let in_use = require_signed
        || trust.allowed_signers.is_some()
        || trust.tsa_cas.is_some()
        || covers_a_manifest(&signatures, &ids, ".sig")
        || covers_a_manifest(&store.list_files(&layout.timestamps_dir())?, &ids, ".tsr");
    if !in_use {
        return Ok(None);
    }
    let mut report = EvidenceReport::default();
    let rel = |path: Option<std::path::PathBuf>| {
        path.as_deref()
            .and_then(|p| p.strip_prefix(layout.root()).ok())
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default()
    };
    let empty = AllowedSigners::default();
    for id in &ids {
        // A manifest that does not hash to its id is damage reported already.
        let Ok(bytes) = store.manifest_bytes(id) else {
            continue;
        };
        let sig_path = rel(layout.signature(id));
        let mut finding = |damage: bool, path: &str, kind: &str, detail: String| {
            let p = Problem {
                path: path.to_string(),
                kind: kind.to_string(),
                detail,
            };
            if damage {
                report.problems.push(p);
            } else {
                report.notes.push(p);
            }
        };
        match store.signature(id)? {
            None => finding(
                require_signed,
                &rel(layout.manifest(id)),
                "unsigned",
                format!("snapshot {} has no signature", &id[..12]),
            ),
            Some(armored) => {
                let allowed = trust.allowed_signers.as_ref().unwrap_or(&empty);
                match allowed.check(SNAPSHOT_NAMESPACE, &bytes, &armored) {
                    SigCheck::Good { .. } => report.signed += 1,
                    SigCheck::Untrusted { fingerprint } => finding(
                        require_signed,
                        &sig_path,
                        "untrusted_signature",
                        if trust.allowed_signers.is_some() {
                            format!("signed by {fingerprint}, a key allowed_signers does not list")
                        } else {
                            format!(
                                "signed by {fingerprint}; set [sign] allowed_signers to trust a key"
                            )
                        },
                    ),
                    SigCheck::Bad { detail } => finding(true, &sig_path, "bad_signature", detail),
                }
            }
        }
        let tsr_path = rel(layout.timestamp(id));
        match (store.timestamp(id)?, decode_hex32(id)) {
            (None, _) | (_, None) => finding(
                require_signed,
                &rel(layout.manifest(id)),
                "untimestamped",
                format!("snapshot {} has no trusted timestamp", &id[..12]),
            ),
            (Some(reply), Some(digest)) => match &trust.tsa_cas {
                Some(cas) => match timestamp::verify(&reply, &digest, cas) {
                    Ok(_) => report.timestamped += 1,
                    Err(e) => finding(true, &tsr_path, "bad_timestamp", e),
                },
                None => match timestamp::check_digest(&reply, &digest) {
                    Ok(facts) => {
                        report.timestamped += 1;
                        finding(
                            require_signed,
                            &tsr_path,
                            "unchecked_timestamp",
                            format!(
                                "stamped {}; set [sign] tsa_ca to check who stamped it",
                                facts.gen_time
                            ),
                        )
                    }
                    Err(e) => finding(true, &tsr_path, "bad_timestamp", e),
                },
            },
        }
    }
    let lines = check_journals(store, trust, require_signed, &mut report)?;
    // A journal line is never taken back: a signature of one that no
    // journal holds is what a deleted journal (or its cut lines) leaves.
    // (Not with a journal that does not parse, damage reported already.)
    let (signatures, lines) = match lines {
        Some(lines) => (signatures, lines),
        None => (Vec::new(), Vec::new()),
    };
    for (path, name) in signatures {
        let Some(hash) = name.strip_suffix(".sig") else {
            continue;
        };
        let signs_something = ids.binary_search_by(|i| i.as_str().cmp(hash)).is_ok()
            || lines.binary_search_by(|l| l.as_str().cmp(hash)).is_ok();
        if !signs_something {
            report.problems.push(Problem {
                path: rel(Some(path)),
                kind: "orphan_signature".to_string(),
                detail: format!(
                    "signs {}, which no snapshot is and no journal holds: \
                     a journal, or lines of one, deleted",
                    &hash[..hash.len().min(12)]
                ),
            });
        }
    }
    report.problems.sort();
    report.notes.sort();
    Ok(Some(report))
}

/// Whether `files` (of the signatures or timestamps directory, as
/// `Store::list_files` gives them) hold a `<id><suffix>` for one of the
/// manifest `ids` (sorted).
fn covers_a_manifest(files: &[(std::path::PathBuf, String)], ids: &[String], suffix: &str) -> bool {
    files.iter().any(|(_, name)| {
        name.strip_suffix(suffix)
            .is_some_and(|id| ids.binary_search_by(|i| i.as_str().cmp(id)).is_ok())
    })
}

/// Every audit journal line's signature (namespace `stet-journal`): a bad
/// one is damage; unsigned lines are one note a journal. Returns the hashes
/// of every journal's lines, sorted (`None`: a journal did not parse).
fn check_journals(
    store: &Store,
    trust: &Trust,
    require_signed: bool,
    report: &mut EvidenceReport,
) -> Result<Option<Vec<String>>, StoreError> {
    let mut hashes = Vec::new();
    let mut every_journal = true;
    let layout = store.layout();
    let empty = AllowedSigners::default();
    let allowed = trust.allowed_signers.as_ref().unwrap_or(&empty);
    for target in store.targets()? {
        // A journal that does not parse is damage `verify` reports already.
        let Ok(journal) = store.journal(&target) else {
            every_journal = false;
            continue;
        };
        let mut unsigned = 0;
        hashes.extend(journal.lines.iter().map(|l| l.hash.clone()));
        for line in &journal.lines {
            let Some(armored) = store.signature(&line.hash)? else {
                unsigned += 1;
                continue;
            };
            let Ok(bytes) = crate::digest::canonical_json(&line.entry) else {
                continue;
            };
            let path = layout
                .signature(&line.hash)
                .and_then(|p| {
                    p.strip_prefix(layout.root())
                        .ok()
                        .map(|p| p.to_string_lossy().replace('\\', "/"))
                })
                .unwrap_or_default();
            let problem = |kind: &str, detail: String| Problem {
                path: path.clone(),
                kind: kind.to_string(),
                detail,
            };
            match allowed.check(JOURNAL_NAMESPACE, &bytes, &armored) {
                SigCheck::Good { .. } => {}
                SigCheck::Untrusted { fingerprint } => {
                    let p = problem(
                        "untrusted_signature",
                        format!("journal line of {target} signed by {fingerprint}, a key not trusted for {JOURNAL_NAMESPACE}"),
                    );
                    if require_signed {
                        report.problems.push(p);
                    } else {
                        report.notes.push(p);
                    }
                }
                SigCheck::Bad { detail } => report.problems.push(problem(
                    "bad_signature",
                    format!("journal line of {target}: {detail}"),
                )),
            }
        }
        if unsigned > 0 {
            let p = Problem {
                path: format!("targets/{}/journal", crate::store::target_key(&target)),
                kind: "unsigned_journal".to_string(),
                detail: format!(
                    "{unsigned} of {} lines have no signature",
                    journal.lines.len()
                ),
            };
            if require_signed {
                report.problems.push(p);
            } else {
                report.notes.push(p);
            }
        }
    }
    hashes.sort();
    Ok(every_journal.then_some(hashes))
}

/// Read what `[sign]` names for `verify`.
pub fn load_trust(
    allowed_signers: Option<&Path>,
    tsa_ca: Option<&Path>,
) -> Result<Trust, super::EvidenceError> {
    Ok(Trust {
        allowed_signers: allowed_signers.map(AllowedSigners::load).transpose()?,
        tsa_cas: tsa_ca.map(TrustedCas::load).transpose()?,
    })
}
