//! The JSON diff: canonical (RFC 8785), no floats, every input named by hash.

use serde::Serialize;

use super::{DiffReport, ReportError, Side};
use crate::digest::canonical_json;
use crate::model::diff::{DiffStats, Edit, EditClass, FieldChange, DIFF_VERSION, SIMILAR_VERSION};
use crate::model::{Tool, SCHEMA_VERSION};

#[derive(Serialize)]
struct Summary {
    edits: usize,
    fields: usize,
    cosmetic: usize,
    minor: usize,
    substantive: usize,
}

#[derive(Serialize)]
struct Engine {
    diff: &'static str,
    similar: &'static str,
}

#[derive(Serialize)]
struct JsonDiff<'a> {
    schema_version: u32,
    kind: &'static str,
    tool: Tool,
    engine: Engine,
    old: &'a Side,
    new: &'a Side,
    different_targets: bool,
    strict: bool,
    differs: bool,
    max_class: Option<EditClass>,
    summary: Summary,
    coarse: bool,
    coarse_reasons: &'a [String],
    stats: DiffStats,
    edits: &'a [Edit],
    fields: &'a [FieldChange],
}

/// Renders a diff as one canonical JSON object (sorted keys, no
/// insignificant whitespace) followed by a newline.
pub fn diff_json(r: &DiffReport) -> Result<String, ReportError> {
    let (cosmetic, minor, substantive) = r.diff.class_counts();
    let value = JsonDiff {
        schema_version: SCHEMA_VERSION,
        kind: "diff",
        tool: Tool::current(),
        engine: Engine {
            diff: DIFF_VERSION,
            similar: SIMILAR_VERSION,
        },
        old: &r.old,
        new: &r.new,
        different_targets: r.different_targets(),
        strict: r.strict,
        differs: r.differs(),
        max_class: r.diff.max_class(),
        summary: Summary {
            edits: r.diff.edits.len(),
            fields: r.diff.fields.len(),
            cosmetic,
            minor,
            substantive,
        },
        coarse: r.diff.coarse,
        coarse_reasons: &r.diff.coarse_reasons,
        stats: r.diff.stats,
        edits: &r.diff.edits,
        fields: &r.diff.fields,
    };
    let mut bytes = canonical_json(&value)?;
    bytes.push(b'\n');
    // Canonical JSON of `&str`s is UTF-8.
    String::from_utf8(bytes)
        .map_err(|e| ReportError::Io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
}
