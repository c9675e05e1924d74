//! What can go wrong while signing, timestamping or proving.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum EvidenceError {
    #[error("signing key {0}: no such file (make one with `stet keygen`, or set [sign] key in stet.toml)")]
    KeyMissing(PathBuf),
    #[error("signing key {path}: {source}")]
    KeyUnreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "signing key {path} is accessible by others (mode {mode:04o}); run `chmod 600 {path}`"
    )]
    KeyPermissions { path: PathBuf, mode: u32 },
    #[error("signing key {path}: {detail}")]
    KeyInvalid { path: PathBuf, detail: String },
    #[error("{0} exists already; stet keygen never overwrites a key")]
    KeyExists(PathBuf),
    #[error("could not write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("signing failed: {0}")]
    Sign(String),
    #[error("{path}:{line}: {detail}")]
    AllowedSigners {
        path: String,
        line: usize,
        detail: String,
    },
    #[error("{path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("timestamp authority {url}: {detail}")]
    Timestamp { url: String, detail: String },
    #[error("trusted timestamp CA {path}: {detail}")]
    TsaCa { path: PathBuf, detail: String },
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error("could not encode a timestamp request: {0}")]
    Encode(String),
}
