//! What can go wrong with the store.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no store at {0}")]
    Missing(PathBuf),
    #[error("store path {0} is not a directory")]
    NotADirectory(PathBuf),
    #[error("{0} is not a stet store (no STET-STORE marker) and is not empty; refusing to write into it")]
    NotAStore(PathBuf),
    #[error("store {path} has layout version {found}; this stet reads layout {expected}")]
    Layout {
        path: PathBuf,
        found: String,
        expected: u32,
    },
    #[error(
        "store is locked by another stet process; gave up after {seconds} s (see --lock-timeout)"
    )]
    LockTimeout { seconds: u64 },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: corrupt record: {detail}")]
    Corrupt { path: PathBuf, detail: String },
    #[error("object {0} is not in the store")]
    MissingObject(String),
    #[error("no snapshot matches `{0}`")]
    UnknownSnapshot(String),
    #[error("`{prefix}` is ambiguous: it matches {}", .candidates.join(", "))]
    AmbiguousPrefix {
        prefix: String,
        candidates: Vec<String>,
    },
    #[error("no snapshots of {0} in the store")]
    UnknownTarget(String),
    #[error("{target} has {count} snapshots; there is no snapshot {index}")]
    NoSuchVersion {
        target: String,
        index: String,
        count: usize,
    },
    #[error("snapshot {id} is of {actual}, not of {expected}")]
    WrongTarget {
        id: String,
        actual: String,
        expected: String,
    },
    #[error("could not encode a record: {0}")]
    Encode(String),
    #[error("{url}: {detail}")]
    Remote { url: String, detail: String },
    #[error("{url}: still changing under other writers after {attempts} attempts; try again")]
    Contention { url: String, attempts: u32 },
}

impl StoreError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        StoreError::Io {
            path: path.into(),
            source,
        }
    }
}
