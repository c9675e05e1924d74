//! Rendering: values in, text out. Nothing else in the crate prints.
//! Renderers are pure functions from report values to bytes.
//!
//! Nothing here touches the network, the store or the clock: the same value
//! renders to the same bytes on every machine. Text that came from a page is
//! passed through [`sanitize`] before it reaches a terminal, and escaped
//! before it reaches HTML.

pub mod archive;
pub mod audit;
pub mod ci;
pub mod history;
mod html;
mod json;
pub mod links;
pub mod manifest;
pub mod progress;
pub mod sanitize;
pub mod snapshot;
mod text;
pub mod timemap;
mod unified;
pub mod verify;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

pub use html::diff_html;
pub use json::diff_json;
pub use sanitize::line as sanitize;
pub use text::{diff_text, write_diff_text};
pub use unified::diff_unified;

use crate::diff::DocDiff;
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
            text_sha256: doc.text_sha256(),
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

/// Canonical JSON (sorted keys) followed by a newline, for `--format json`.
pub fn json_line<T: Serialize>(value: &T) -> String {
    match crate::digest::canonical_json(value) {
        Ok(bytes) => {
            let mut s = String::from_utf8_lossy(&bytes).into_owned();
            s.push('\n');
            s
        }
        Err(e) => format!("{{\"error\":{:?}}}\n", e.to_string()),
    }
}

/// The first 12 hex digits of an id: what people type and read.
pub fn short_id(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

/// Bold / colour styles, empty when colour is off.
pub(crate) struct Styles {
    pub good: anstyle::Style,
    pub bad: anstyle::Style,
    pub dim: anstyle::Style,
    pub strong: anstyle::Style,
}

impl Styles {
    pub fn new(color: bool) -> Self {
        use anstyle::{AnsiColor, Style};
        if color {
            Styles {
                good: Style::new().fg_color(Some(AnsiColor::Green.into())),
                bad: Style::new().fg_color(Some(AnsiColor::Red.into())).bold(),
                dim: Style::new().dimmed(),
                strong: Style::new().bold(),
            }
        } else {
            Styles {
                good: Style::new(),
                bad: Style::new(),
                dim: Style::new(),
                strong: Style::new(),
            }
        }
    }
}

/// Print an error of the tool on stderr: one line, with a hint when there is one.
pub fn error_line(e: &crate::error::Error) {
    match e.hint() {
        Some(hint) => eprintln!(
            "stet: error: {} (hint: {hint})",
            sanitize::line(&e.to_string())
        ),
        None => eprintln!("stet: error: {}", sanitize::line(&e.to_string())),
    }
}

/// Clips `s` to `max` characters, saying how much was left out.
pub(crate) fn clip(s: &str, max: usize) -> Cow<'_, str> {
    // A char takes at least a byte: a text this short is whole.
    if s.len() <= max {
        return Cow::Borrowed(s);
    }
    // One char a byte in ASCII: the cut is at `max`.
    let cut = if s.is_ascii() {
        Some(max)
    } else {
        s.char_indices().nth(max).map(|(at, _)| at)
    };
    match cut {
        None => Cow::Borrowed(s),
        Some(at) => {
            let rest = s[at..].chars().count();
            Cow::Owned(format!("{}… [{rest} more characters]", &s[..at]))
        }
    }
}

#[cfg(test)]
mod tests;
