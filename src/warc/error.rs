use std::path::PathBuf;

use crate::store::StoreError;

/// Why a web archive could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum WarcError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file is not a WARC stet can read; nothing of it was imported.
    #[error("{}: {detail} (at byte {offset}); nothing imported from it", path.display())]
    Malformed {
        path: PathBuf,
        offset: u64,
        detail: String,
    },
    #[error("{0}")]
    Nothing(String),
    #[error("could not encode {what}: {detail}")]
    Encode { what: &'static str, detail: String },
}

impl WarcError {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        WarcError::Io {
            path: path.into(),
            source,
        }
    }
}
