//! Living with stet from cron and CI: what makes a finding the same finding
//! from one audit to the next ([`fingerprint`]), and what changed since the
//! previous audit ([`delta`]). Pure functions over plain values; the audit
//! journal that keeps them is in [`crate::store::journal`].

pub mod delta;
pub mod fingerprint;
pub mod select;

pub use delta::{delta, Delta};
pub use fingerprint::{fingerprint, short_fingerprint, SHORT_FINGERPRINT};
pub use select::{select, SelectError};
