//! `report::render(value, format, look)`: each command's value, in each
//! format it prints. The one dispatch from a value to its renderer.

use std::io::{self, Write};

use super::{audit, ci, history, history_html, json_line, links, manifest, short_id, verify};
use crate::model::{
    AckReport, AuditReport, DiffReport, Document, Format, History, KeygenReport, LinksReport,
    LogView, PinReport, ProofBundle, Shown, VerifyReport,
};

/// How text output looks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Look {
    /// ANSI colours.
    pub color: bool,
    /// `--quiet`: only what is wrong (nothing when all is well).
    pub quiet: bool,
}

/// A value a command prints.
pub trait Render {
    /// The formats it prints (`text` first).
    const FORMATS: &'static [Format];

    /// Write the value in `format` (one of [`Render::FORMATS`]; any other
    /// prints as text).
    fn render(&self, format: Format, look: Look, w: &mut dyn Write) -> io::Result<()>;
}

/// Write `value` in `format`.
pub fn render<T: Render>(
    value: &T,
    format: Format,
    look: Look,
    w: &mut dyn Write,
) -> io::Result<()> {
    value.render(format, look, w)
}

const TEXT_JSON: &[Format] = &[Format::Text, Format::Json];

impl Render for AuditReport {
    const FORMATS: &'static [Format] = &[
        Format::Text,
        Format::Json,
        Format::Html,
        Format::Junit,
        Format::Github,
        Format::Markdown,
    ];

    /// `github` here has no file lines: see [`ci::github`]. Quiet, the
    /// machine formats hold only the targets that fail or err: what
    /// [`super::audit_stream::AuditStream`] writes of them.
    fn render(&self, format: Format, look: Look, w: &mut dyn Write) -> io::Result<()> {
        if look.quiet && format != Format::Text {
            let mut stream =
                super::audit_stream::AuditStream::new(self.head(), format, look, &|_| None, w)?;
            for t in &self.targets {
                stream.target(t)?;
            }
            return stream.finish().map(|_| ());
        }
        let text = match format {
            Format::Json => audit::json(self),
            Format::Html => audit::html(self),
            Format::Junit => ci::junit(self),
            Format::Markdown => ci::markdown(self),
            Format::Github => ci::github(self, &|_| None),
            _ => audit::text(self, look.color, look.quiet),
        };
        w.write_all(text.as_bytes())
    }
}

impl Render for DiffReport {
    const FORMATS: &'static [Format] = &[Format::Text, Format::Json, Format::Unified, Format::Html];

    fn render(&self, format: Format, look: Look, w: &mut dyn Write) -> io::Result<()> {
        if look.quiet && !self.differs() {
            return Ok(());
        }
        match format {
            Format::Json => {
                let text = super::diff_json(self).map_err(io::Error::other)?;
                w.write_all(text.as_bytes())
            }
            Format::Unified => w.write_all(super::diff_unified(self).as_bytes()),
            Format::Html => w.write_all(super::diff_html(self).as_bytes()),
            _ => super::write_diff_text(self, look.color, &mut { w }),
        }
    }
}

impl Render for VerifyReport {
    const FORMATS: &'static [Format] = TEXT_JSON;

    fn render(&self, format: Format, look: Look, w: &mut dyn Write) -> io::Result<()> {
        let text = match format {
            Format::Json => verify::json(self),
            _ if look.quiet && self.intact() => String::new(),
            _ => verify::text(self, look.color),
        };
        w.write_all(text.as_bytes())
    }
}

impl Render for KeygenReport {
    const FORMATS: &'static [Format] = TEXT_JSON;

    fn render(&self, format: Format, look: Look, w: &mut dyn Write) -> io::Result<()> {
        let text = match format {
            Format::Json => super::evidence::keygen_json(self),
            _ if look.quiet => String::new(),
            _ => super::evidence::keygen_text(self),
        };
        w.write_all(text.as_bytes())
    }
}

impl Render for ProofBundle {
    const FORMATS: &'static [Format] = TEXT_JSON;

    fn render(&self, format: Format, look: Look, w: &mut dyn Write) -> io::Result<()> {
        let text = match format {
            Format::Json => super::evidence::bundle_json(self),
            _ if look.quiet => String::new(),
            _ => super::evidence::bundle_text(self),
        };
        w.write_all(text.as_bytes())
    }
}

impl Render for History {
    const FORMATS: &'static [Format] = TEXT_JSON;

    fn render(&self, format: Format, look: Look, w: &mut dyn Write) -> io::Result<()> {
        let text = match format {
            Format::Json => history::json(self),
            _ => history::text(self, look.color),
        };
        w.write_all(text.as_bytes())
    }
}

impl Render for LogView {
    /// `html` is the history page of one target.
    const FORMATS: &'static [Format] = &[Format::Text, Format::Json, Format::Html];

    fn render(&self, format: Format, look: Look, w: &mut dyn Write) -> io::Result<()> {
        match self {
            LogView::Targets(list) => {
                let text = match format {
                    Format::Json => history::list_json(list),
                    _ => history::list_text(list, look.color),
                };
                w.write_all(text.as_bytes())
            }
            LogView::History(h) => h.render(format, look, w),
            LogView::Page(page) => match format {
                Format::Html => w.write_all(history_html::html(page).as_bytes()),
                _ => page.history.render(format, look, w),
            },
        }
    }
}

impl Render for LinksReport {
    const FORMATS: &'static [Format] = TEXT_JSON;

    fn render(&self, format: Format, look: Look, w: &mut dyn Write) -> io::Result<()> {
        let text = match format {
            Format::Json => links::json(&self.results),
            _ => links::text(&self.results, &self.fail_on, look.color, look.quiet),
        };
        w.write_all(text.as_bytes())
    }
}

impl Render for Document {
    const FORMATS: &'static [Format] = TEXT_JSON;

    /// The article: its JSON, or its text one block a line.
    fn render(&self, format: Format, _: Look, w: &mut dyn Write) -> io::Result<()> {
        let text = match format {
            Format::Json => json_line(self),
            _ => manifest::article_text(self),
        };
        w.write_all(text.as_bytes())
    }
}

impl Render for Shown {
    const FORMATS: &'static [Format] = TEXT_JSON;

    fn render(&self, format: Format, look: Look, w: &mut dyn Write) -> io::Result<()> {
        match self {
            Shown::Text(document) => document.render(format, look, w),
            Shown::Snapshot(view) => {
                let text = match format {
                    Format::Json => manifest::json(view),
                    _ => manifest::text(view, look.color),
                };
                w.write_all(text.as_bytes())
            }
        }
    }
}

impl Render for AckReport {
    const FORMATS: &'static [Format] = TEXT_JSON;

    fn render(&self, format: Format, look: Look, w: &mut dyn Write) -> io::Result<()> {
        let text = match format {
            Format::Json => json_line(self),
            _ if look.quiet => String::new(),
            _ => super::ack::text(self, look.color),
        };
        w.write_all(text.as_bytes())
    }
}

impl Render for PinReport {
    const FORMATS: &'static [Format] = TEXT_JSON;

    fn render(&self, format: Format, look: Look, w: &mut dyn Write) -> io::Result<()> {
        let text = match format {
            Format::Json => json_line(self),
            _ if look.quiet => String::new(),
            _ => format!(
                "pinned {} as the reference of {}\n",
                short_id(&self.reference),
                super::sanitize::line(&self.target)
            ),
        };
        w.write_all(text.as_bytes())
    }
}
