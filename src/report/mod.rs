//! Rendering: values in, text out. Nothing else in the crate prints.
//! Renderers are pure functions from report values to bytes.
//!
//! Nothing here touches the network, the store or the clock: the same value
//! renders to the same bytes on every machine. Text that came from a page is
//! passed through [`sanitize`] before it reaches a terminal, and escaped
//! before it reaches HTML.

pub mod ack;
pub mod archive;
pub mod audit;
pub mod audit_stream;
pub mod ci;
pub mod evidence;
pub mod history;
pub mod history_html;
mod html;
mod json;
pub mod links;
pub mod manifest;
pub mod progress;
mod render;
pub mod sanitize;
pub mod snapshot;
mod text;
pub mod timemap;
mod unified;
pub mod usage;
pub mod verify;

use std::borrow::Cow;

use serde::Serialize;

pub use crate::model::{DiffReport, Side};
pub use html::diff_html;
pub use json::diff_json;
pub use render::{render, Look, Render};
pub use sanitize::line as sanitize;
pub use text::{diff_text, write_diff_text};
pub use unified::diff_unified;

/// An error of a renderer (the values themselves cannot be wrong).
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("cannot serialise the report: {0}")]
    Json(#[from] serde_json::Error),
    #[error("cannot write the report: {0}")]
    Io(#[from] std::io::Error),
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
pub fn error_line(message: &str, hint: Option<&str>) {
    match hint {
        Some(hint) => stderr_line(&format!(
            "stet: error: {} (hint: {hint})",
            sanitize::line(message)
        )),
        None => stderr_line(&format!("stet: error: {}", sanitize::line(message))),
    }
}

/// Print a remark on stderr (`stet: note: …`), sanitised.
pub fn note_line(note: &str) {
    stderr_line(&format!("stet: note: {}", sanitize::line(note)));
}

/// Write a line on stderr. A stderr that cannot be written (a full disk
/// under cron's log, a closed descriptor) loses the line; it does not make
/// stet panic, and the exit code still tells.
pub fn stderr_line(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// Longest changed text shown whole in the text, audit and CI formats: a
/// paragraph inserted, deleted or rewritten is shown with every word (the
/// longest block of the 391 corpus pages has 3,894 characters, one in five
/// has more than 300). Only a pathological block (a page whose text is one
/// block) is clipped, and says how much was left out.
pub(crate) const SHOWN_CHARS: usize = 5_000;

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

/// A finding's class as the reports show it: "substantive", or with the
/// rules that made an edit so, "substantive (opposite, number)"; `nested`
/// (for a label already in parentheses): "substantive; opposite, number".
pub(crate) fn class_label(kind: &crate::model::FindingKind, nested: bool) -> Option<String> {
    let class = kind.class()?.as_str();
    let reasons: Vec<&str> = match kind {
        crate::model::FindingKind::Edit { edit, .. } => {
            edit.reasons.iter().map(|r| r.as_str()).collect()
        }
        _ => Vec::new(),
    };
    let reasons = reasons.join(", ");
    Some(match (reasons.is_empty(), nested) {
        (true, _) => class.to_string(),
        (false, false) => format!("{class} ({reasons})"),
        (false, true) => format!("{class}; {reasons}"),
    })
}

/// What a resolved finding said of a thing that is not a change: a dead
/// target's status (`answered`, `404`), what a page showed instead of its
/// article (`showed`, the text), an image's placeholder alt text (`alt
/// text`, the text). None for a change, shown as before → after.
pub(crate) fn resolved_state(f: &crate::model::Resolved) -> Option<(&'static str, &str)> {
    let after = f.after.as_deref()?;
    match f.kind.as_str() {
        crate::model::FindingKind::TARGET_DEAD => Some(("answered", after)),
        crate::model::FindingKind::ARTICLE_GONE => Some(("showed", after)),
        crate::model::FindingKind::PLACEHOLDER_ALT => Some(("alt text", after)),
        _ => None,
    }
}

/// What a resolved finding was, in one line: [`resolved_state`]'s words
/// or `before → after`, each text quoted by `quote`.
pub(crate) fn resolved_was(
    f: &crate::model::Resolved,
    quote: impl Fn(Option<&str>) -> String,
) -> String {
    match resolved_state(f) {
        Some((what, value)) => format!("{what} {}", quote(Some(value))),
        None => format!(
            "{} → {}",
            quote(f.before.as_deref()),
            quote(f.after.as_deref())
        ),
    }
}

#[cfg(test)]
mod tests;

/// The plural ending of a count's noun: "1 target", "2 targets".
pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
