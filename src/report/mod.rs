//! Renderers: pure functions from report values to bytes.
//!
//! Nothing here touches the network, the store or the clock: the same value
//! renders to the same bytes on every machine. Text that came from a page is
//! passed through [`sanitize`] before it reaches a terminal, and escaped
//! before it reaches HTML.

mod html;
mod json;
mod text;
mod unified;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

pub use html::diff_html;
pub use json::diff_json;
pub use text::diff_text;
pub use unified::diff_unified;

use crate::diff::DocDiff;
use crate::digest::sha256_hex;
use crate::model::Document;

/// Version of the report records (`schema_version` in JSON reports).
pub const REPORT_SCHEMA_VERSION: u32 = 1;

/// An error of a renderer (the values themselves cannot be wrong).
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("cannot serialise the report: {0}")]
    Json(#[from] serde_json::Error),
    #[error("cannot write the report: {0}")]
    Io(#[from] std::io::Error),
}

/// One side of a diff: where the version came from, and its hashes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Side {
    /// How the user named it (a version spec, a file name, a URL).
    pub label: String,
    /// Snapshot id, when the version is a stored snapshot.
    pub snapshot_id: Option<String>,
    /// The normalised target it is a version of.
    pub target: Option<String>,
    /// When it was fetched (RFC 3339 UTC, from the manifest).
    pub fetched_at: Option<String>,
    pub final_url: Option<String>,
    /// HTTP status of the fetch.
    pub status: Option<u16>,
    /// sha256 of the raw body.
    pub body_sha256: Option<String>,
    /// sha256 of the article text ([`Document::text`]).
    pub text_sha256: String,
    /// The extractor that produced the document.
    pub extractor_version: String,
}

impl Side {
    /// A side known only by its label and document (a local file, say).
    pub fn from_document(label: impl Into<String>, doc: &Document) -> Self {
        Side {
            label: label.into(),
            snapshot_id: None,
            target: None,
            fetched_at: None,
            final_url: None,
            status: None,
            body_sha256: None,
            text_sha256: sha256_hex(doc.text().as_bytes()),
            extractor_version: doc.extractor_version.clone(),
        }
    }

    /// The snapshot id's first 12 digits, or the text hash's.
    pub fn short_id(&self) -> String {
        let id = self.snapshot_id.as_deref().unwrap_or(&self.text_sha256);
        id.chars().take(12).collect()
    }
}

/// Everything a diff renderer needs: both sides, both documents, the diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffReport {
    pub old: Side,
    pub new: Side,
    pub old_doc: Document,
    pub new_doc: Document,
    pub diff: DocDiff,
    /// Any change counts, cosmetic ones included (`--strict`).
    pub strict: bool,
}

impl DiffReport {
    /// True when the two sides name different targets.
    pub fn different_targets(&self) -> bool {
        matches!((&self.old.target, &self.new.target), (Some(a), Some(b)) if a != b)
    }

    /// The verdict: do the two versions differ (per `strict`)?
    pub fn differs(&self) -> bool {
        self.diff.differs(self.strict)
    }
}

/// Makes page text safe for a terminal: C0 and C1 control characters, DEL,
/// ESC, line and paragraph separators and bidirectional overrides, embeddings,
/// isolates and marks are written as visible `\u{…}` escapes.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// Clips `s` to `max` characters, saying how much was left out.
pub(crate) fn clip(s: &str, max: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => Cow::Borrowed(s),
        Some((at, _)) => {
            let rest = s[at..].chars().count();
            Cow::Owned(format!("{}… [{rest} more characters]", &s[..at]))
        }
    }
}

#[cfg(test)]
mod tests;
