//! `stet verify` output.

use std::fmt::Write as _;

use super::sanitize::line;
use super::{json_line, plural, Styles};
use crate::model::{VerifyReport, SCHEMA_VERSION};

pub fn text(r: &VerifyReport, color: bool) -> String {
    let s = Styles::new(color);
    let mut out = String::new();
    for p in &r.problems {
        let _ = writeln!(
            out,
            "{}damaged{:#}  {}  {}: {}",
            s.bad,
            s.bad,
            line(&p.path),
            p.kind,
            line(&p.detail)
        );
    }
    // Notes are harmless: show a few, count the rest (JSON lists them all).
    const SHOWN_NOTES: usize = 10;
    for n in r.notes.iter().take(SHOWN_NOTES) {
        let _ = writeln!(
            out,
            "{}note{:#}     {}  {}: {}",
            s.dim,
            s.dim,
            line(&n.path),
            n.kind,
            line(&n.detail)
        );
    }
    if r.notes.len() > SHOWN_NOTES {
        let _ = writeln!(
            out,
            "{}note{:#}     … and {} more (--format json lists them all)",
            s.dim,
            s.dim,
            r.notes.len() - SHOWN_NOTES
        );
    }
    let mut summary = format!(
        "{} object{} ({} bytes), {} manifest{}, {} target{}, {} snapshot{}",
        r.objects,
        plural(r.objects),
        r.bytes,
        r.manifests,
        plural(r.manifests),
        r.targets,
        plural(r.targets),
        r.snapshots,
        plural(r.snapshots),
    );
    if let Some(n) = r.signed {
        let _ = write!(summary, ", {n} signed");
    }
    if let Some(n) = r.timestamped {
        let _ = write!(summary, ", {n} timestamped");
    }
    if r.reextracted > 0 {
        let _ = write!(summary, ", {} re-extracted", r.reextracted);
    }
    if r.intact() {
        let _ = writeln!(out, "{}intact{:#}: {summary}", s.good, s.good);
    } else {
        let _ = writeln!(
            out,
            "{}DAMAGED{:#}: {} problem{} in {summary}",
            s.bad,
            s.bad,
            r.problems.len(),
            plural(r.problems.len())
        );
    }
    out
}

pub fn json(r: &VerifyReport) -> String {
    #[derive(serde::Serialize)]
    struct View<'a> {
        schema_version: u32,
        intact: bool,
        #[serde(flatten)]
        report: &'a VerifyReport,
    }
    json_line(&View {
        schema_version: SCHEMA_VERSION,
        intact: r.intact(),
        report: r,
    })
}
