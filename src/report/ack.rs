//! `stet ack` output: what was acknowledged, and what already was.

use std::fmt::Write as _;

use super::sanitize::line;
use super::Styles;
use crate::model::audit::short_fingerprint;
use crate::model::AckReport;

pub fn text(r: &AckReport, color: bool) -> String {
    let s = Styles::new(color);
    let mut out = String::new();
    if r.acknowledged.is_empty() && r.already.is_empty() {
        let _ = writeln!(
            out,
            "nothing to acknowledge: the last audit of {} found nothing",
            line(&r.target)
        );
    }
    for a in &r.acknowledged {
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
    for fp in &r.already {
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
