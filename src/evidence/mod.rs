//! Evidence a stranger can check without trusting stet: SSH signatures over
//! the exact bytes of a record ([`key`], [`allowed`]), RFC 3161 timestamps
//! over a manifest's sha256 ([`timestamp`]), and proof bundles that stock
//! tools verify ([`bundle`]). Private keys stay in [`key::Signer`] and never
//! reach the store, a report or a log.

pub mod allowed;
pub mod bundle;
pub mod check;
mod error;
pub mod key;
pub mod seal;
pub mod timestamp;

use std::sync::Arc;

pub use error::EvidenceError;
pub use key::Signer;

/// The SSH signature namespace of snapshot manifests.
pub const SNAPSHOT_NAMESPACE: &str = "stet-snapshot";

/// The SSH signature namespace of audit journal entries.
pub const JOURNAL_NAMESPACE: &str = "stet-journal";

/// What a run that writes snapshots adds to each new one: a signature when
/// a key is set, a timestamp when an authority is.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    pub signer: Option<Arc<Signer>>,
    /// RFC 3161 timestamp authority URL.
    pub tsa: Option<String>,
}

impl Evidence {
    pub fn is_empty(&self) -> bool {
        self.signer.is_none() && self.tsa.is_none()
    }
}
