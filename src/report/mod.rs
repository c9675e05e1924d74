//! Rendering: values in, text out. Nothing else in the crate prints.

pub mod history;
pub mod links;
pub mod manifest;
pub mod progress;
pub mod sanitize;
pub mod snapshot;
pub mod verify;

use serde::Serialize;

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
