//! `stet ack` output: what was acknowledged, and what already was.

use std::fmt::Write as _;

use serde::Serialize;

use super::sanitize::line;
use super::{json_line, Styles};
use crate::store::journal::AckRecord;
use crate::watch::short_fingerprint;

/// What one `stet ack` did.
#[derive(Debug, Clone, Serialize)]
pub struct AckOutcome {
    pub target: String,
    /// Recorded now.
    pub acknowledged: Vec<AckRecord>,
    /// Fingerprints named that an earlier acknowledgement covers already.
    pub already: Vec<String>,
}

pub fn text(o: &AckOutcome, color: bool) -> String {
    let s = Styles::new(color);
    let mut out = String::new();
    for a in &o.acknowledged {
        let _ = writeln!(
            out,
            "{}acknowledged{:#} {}  {}  {}",
            s.good,
            s.good,
            short_fingerprint(&a.fingerprint),
            a.kind,
            line(&a.location)
        );
    }
    for fp in &o.already {
        let _ = writeln!(
            out,
            "{}already acknowledged{:#} {}",
            s.dim,
            s.dim,
            short_fingerprint(fp)
        );
    }
    out
}

pub fn json(o: &AckOutcome) -> String {
    #[derive(Serialize)]
    struct View<'a> {
        schema_version: u32,
        #[serde(flatten)]
        outcome: &'a AckOutcome,
    }
    json_line(&View {
        schema_version: super::REPORT_SCHEMA_VERSION,
        outcome: o,
    })
}
