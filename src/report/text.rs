//! The text diff: short, exact, readable in a terminal or in cron mail.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Effects, Style};

use super::{clip, sanitize, DiffReport, Side};
use crate::diff::{Edit, EditClass, EditOp, FieldChange};

/// Characters of a before/after text shown before it is clipped.
const CLIP: usize = 600;

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
    let s = Styles::new(color);
    let mut out = String::new();
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
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
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

fn block_ref(e: &Edit) -> String {
    let n = |i: Option<usize>| i.map_or_else(|| "-".to_string(), |i| (i + 1).to_string());
    match e.op {
        EditOp::Move => format!("block {} → {}", n(e.old_block), n(e.new_block)),
        EditOp::Delete if e.new_block.is_none() => format!("block {} (old)", n(e.old_block)),
        _ => format!("block {}", n(e.new_block)),
    }
}

fn edit(out: &mut String, s: &Styles, e: &Edit, color: bool) {
    let class = if e.class == EditClass::Substantive {
        s.substantive
    } else {
        s.dim
    };
    let reasons: Vec<&str> = e.reasons.iter().map(|r| r.as_str()).collect();
    let reasons = if reasons.is_empty() {
        String::new()
    } else {
        format!(" ({})", reasons.join(", "))
    };
    let coarse = if e.coarse { " [coarse]" } else { "" };
    let _ = writeln!(
        out,
        "\n{} ({}) · {} · {class}{}{reasons}{class:#}{coarse}",
        block_ref(e),
        e.kind.as_str(),
        e.op.as_str(),
        e.class.as_str(),
    );
    let (d, i) = (s.del, s.ins);
    let before = sanitize(&clip(&e.before, CLIP)).into_owned();
    let after = sanitize(&clip(&e.after, CLIP)).into_owned();
    let del = |t: &str| {
        if color {
            format!("{d}{t}{d:#}")
        } else {
            format!("[-{t}-]")
        }
    };
    let ins = |t: &str| {
        if color {
            format!("{i}{t}{i:#}")
        } else {
            format!("{{+{t}+}}")
        }
    };
    let body = match e.op {
        EditOp::Move => format!("{}", sanitize(&clip(&e.after, CLIP))),
        EditOp::Insert => ins(&after),
        EditOp::Delete => del(&before),
        EditOp::Replace => format!("{}{}", del(&before), ins(&after)),
    };
    let dim = s.dim;
    let cb = sanitize(&e.context_before).into_owned();
    let ca = sanitize(&e.context_after).into_owned();
    let lead = if cb.is_empty() { "" } else { "…" };
    let tail = if ca.is_empty() { "" } else { "…" };
    let _ = writeln!(out, "  {dim}{lead}{cb}{dim:#}{body}{dim}{ca}{tail}{dim:#}");
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
            |v| format!("{:?}", sanitize(&clip(v, CLIP)).as_ref()),
        )
    };
    let _ = writeln!(out, "  - {d}{}{d:#}", show(&f.before));
    let _ = writeln!(out, "  + {i}{}{i:#}", show(&f.after));
}
