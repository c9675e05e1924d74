//! The text diff: short, exact, readable in a terminal or in cron mail.

use std::fmt::Write as _;
use std::io;

use anstyle::{AnsiColor, Effects, Style};

use super::{clip, plural, sanitize, DiffReport, Side, SHOWN_CHARS};
use crate::model::diff::{Edit, EditClass, EditOp, FieldChange};

struct Styles {
    header: Style,
    del: Style,
    ins: Style,
    dim: Style,
    substantive: Style,
}

impl Styles {
    fn new(color: bool) -> Self {
        if !color {
            let p = Style::new();
            return Styles {
                header: p,
                del: p,
                ins: p,
                dim: p,
                substantive: p,
            };
        }
        Styles {
            header: Style::new().effects(Effects::BOLD),
            del: Style::new()
                .fg_color(Some(AnsiColor::Red.into()))
                .effects(Effects::STRIKETHROUGH),
            ins: Style::new()
                .fg_color(Some(AnsiColor::Green.into()))
                .effects(Effects::UNDERLINE),
            dim: Style::new().effects(Effects::DIMMED),
            substantive: Style::new()
                .fg_color(Some(AnsiColor::Yellow.into()))
                .effects(Effects::BOLD),
        }
    }
}

/// Renders a diff as text. With `color`, changed words are marked by ANSI
/// styles; without, by `[-deleted-]` and `{+inserted+}` as in
/// `git diff --word-diff=plain`. Block numbers are 1-based.
pub fn diff_text(r: &DiffReport, color: bool) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail, and the report is UTF-8.
    let _ = write_diff_text(r, color, &mut out);
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Bytes of report held before they are written out.
const CHUNK: usize = 64 * 1024;

/// [`diff_text`], written to `w` as it is made: a report as large as its
/// documents is never whole in memory.
pub fn write_diff_text(r: &DiffReport, color: bool, w: &mut impl io::Write) -> io::Result<()> {
    let s = Styles::new(color);
    // Room for a chunk and one more edit (clipped: see [`SHOWN_CHARS`]).
    let mut out = String::with_capacity(CHUNK + 16 * 1024);
    let h = s.header;
    let _ = writeln!(out, "{h}--- {}{h:#}", side_line(&r.old));
    let _ = writeln!(out, "{h}+++ {}{h:#}", side_line(&r.new));
    if r.different_targets() {
        let _ = writeln!(out, "note: the two versions are of different targets");
    }
    for reason in &r.diff.coarse_reasons {
        let _ = writeln!(out, "note: coarse diff: {}", sanitize(reason));
    }
    for e in &r.diff.edits {
        edit(&mut out, &s, e, color);
        if out.len() >= CHUNK {
            w.write_all(out.as_bytes())?;
            out.clear();
        }
    }
    for f in &r.diff.fields {
        field(&mut out, &s, f);
    }
    let (c, m, sub) = r.diff.class_counts();
    let verdict = if r.differs() { "different" } else { "same" };
    if !r.diff.edits.is_empty() || !r.diff.fields.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "{}: {} edit{}, {} field change{} ({sub} substantive, {m} minor, {c} cosmetic)",
        verdict,
        r.diff.edits.len(),
        plural(r.diff.edits.len()),
        r.diff.fields.len(),
        plural(r.diff.fields.len()),
    );
    w.write_all(out.as_bytes())
}

fn side_line(side: &Side) -> String {
    let mut line = sanitize(&side.label).into_owned();
    let _ = write!(line, " ({})", side.short_id());
    if let Some(t) = &side.fetched_at {
        let _ = write!(line, " {}", sanitize(t));
    }
    if let Some(st) = side.status {
        let _ = write!(line, " HTTP {st}");
    }
    line
}

/// "block N", "block N (old)" or "block N → M" (1-based), written to `out`.
fn block_ref(out: &mut String, e: &Edit) {
    let n = |out: &mut String, i: Option<usize>| {
        let _ = match i {
            Some(i) => write!(out, "{}", i + 1),
            None => write!(out, "-"),
        };
    };
    out.push_str("block ");
    match e.op {
        EditOp::Move => {
            n(out, e.old_block);
            out.push_str(" → ");
            n(out, e.new_block);
        }
        EditOp::Delete if e.new_block.is_none() => {
            n(out, e.old_block);
            out.push_str(" (old)");
        }
        _ => n(out, e.new_block),
    }
}

fn edit(out: &mut String, s: &Styles, e: &Edit, color: bool) {
    let class = if e.class == EditClass::Substantive {
        s.substantive
    } else {
        s.dim
    };
    let coarse = if e.coarse { " [coarse]" } else { "" };
    out.push('\n');
    block_ref(out, e);
    let _ = write!(
        out,
        " ({}) · {} · {class}{}",
        e.kind.as_str(),
        e.op.as_str(),
        e.class.as_str(),
    );
    for (k, r) in e.reasons.iter().enumerate() {
        out.push_str(if k == 0 { " (" } else { ", " });
        out.push_str(r.as_str());
    }
    if !e.reasons.is_empty() {
        out.push(')');
    }
    let _ = writeln!(out, "{class:#}{coarse}");
    // Written straight into `out`: a large diff has thousands of edits.
    let (d, i, dim) = (s.del, s.ins, s.dim);
    let cb = sanitize(&e.context_before);
    let ca = sanitize(&e.context_after);
    let lead = if cb.is_empty() { "" } else { "…" };
    let _ = write!(out, "  {dim}{lead}{cb}{dim:#}");
    let del = |out: &mut String| {
        let clipped = clip(&e.before, SHOWN_CHARS);
        let t = sanitize(&clipped);
        let _ = if color {
            write!(out, "{d}{t}{d:#}")
        } else {
            write!(out, "[-{t}-]")
        };
    };
    let ins = |out: &mut String| {
        let clipped = clip(&e.after, SHOWN_CHARS);
        let t = sanitize(&clipped);
        let _ = if color {
            write!(out, "{i}{t}{i:#}")
        } else {
            write!(out, "{{+{t}+}}")
        };
    };
    match e.op {
        EditOp::Move => out.push_str(&sanitize(&clip(&e.after, SHOWN_CHARS))),
        EditOp::Insert => ins(out),
        EditOp::Delete => del(out),
        EditOp::Replace => {
            del(out);
            ins(out);
        }
    }
    let tail = if ca.is_empty() { "" } else { "…" };
    let _ = writeln!(out, "{dim}{ca}{tail}{dim:#}");
}

/// A field change as the text diff shows it, without colour: a `field …`
/// line after a blank line, then its values before and after.
pub(super) fn plain_field(out: &mut String, f: &FieldChange) {
    field(out, &Styles::new(false), f);
}

fn field(out: &mut String, s: &Styles, f: &FieldChange) {
    let class = if f.class == EditClass::Substantive {
        s.substantive
    } else {
        s.dim
    };
    let _ = writeln!(
        out,
        "\nfield {} · {class}{}{class:#}",
        sanitize(&f.field),
        f.class.as_str()
    );
    let (d, i) = (s.del, s.ins);
    let show = |v: &Option<String>| {
        v.as_deref().map_or_else(
            || "(none)".to_string(),
            |v| format!("{:?}", sanitize(&clip(v, SHOWN_CHARS)).as_ref()),
        )
    };
    let _ = writeln!(out, "  - {d}{}{d:#}", show(&f.before));
    let _ = writeln!(out, "  + {i}{}{i:#}", show(&f.after));
}
