//! The unified diff: line-oriented and patch-like, one block per line.

use std::fmt::Write as _;

use super::{sanitize, DiffReport};
use crate::model::diff::RowStatus;
use crate::model::Document;

/// Lines of context around each hunk.
const CONTEXT: usize = 3;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tag {
    Same,
    Del,
    Ins,
}

struct Line<'a> {
    tag: Tag,
    text: &'a str,
    /// 1-based line numbers before this line, on each side.
    old_at: usize,
    new_at: usize,
}

fn emit<'a>(lines: &mut Vec<Line<'a>>, o: &mut usize, n: &mut usize, tag: Tag, text: &'a str) {
    lines.push(Line {
        tag,
        text,
        old_at: *o,
        new_at: *n,
    });
    if tag != Tag::Ins {
        *o += 1;
    }
    if tag != Tag::Del {
        *n += 1;
    }
}

/// Renders a diff as a unified diff of the article texts (one block a line,
/// `---`/`+++` headers naming both versions by label and id). Cosmetic
/// differences show as changed lines, moves as a deletion and an insertion.
///
/// Changes outside the text (title, headline, captions, images, links) come
/// first, as the text diff shows them: `patch` and `git apply` skip what
/// precedes the first `---`, and a diff of the headline alone is not empty.
pub fn diff_unified(r: &DiffReport) -> String {
    let mut out = String::new();
    for f in &r.diff.fields {
        super::text::plain_field(&mut out, f);
    }
    let mut out = out.trim_start_matches('\n').to_owned();
    let hunks = text_hunks(r);
    if !out.is_empty() && !hunks.is_empty() {
        out.push('\n');
    }
    out.push_str(&hunks);
    out
}

/// The `---`/`+++` headers and hunks of the article texts; empty when the
/// texts are the same.
fn text_hunks(r: &DiffReport) -> String {
    fn text(d: &Document, i: Option<usize>) -> &str {
        i.and_then(|i| d.blocks.get(i))
            .map_or("", |b| b.text.as_str())
    }
    let mut lines = Vec::new();
    let (mut o, mut n) = (0usize, 0usize);
    for row in &r.diff.rows {
        let (ot, nt) = (text(&r.old_doc, row.old), text(&r.new_doc, row.new));
        match row.status {
            RowStatus::Equal if ot == nt => emit(&mut lines, &mut o, &mut n, Tag::Same, nt),
            RowStatus::Equal | RowStatus::Changed => {
                emit(&mut lines, &mut o, &mut n, Tag::Del, ot);
                emit(&mut lines, &mut o, &mut n, Tag::Ins, nt);
            }
            RowStatus::Deleted | RowStatus::MovedFrom => {
                emit(&mut lines, &mut o, &mut n, Tag::Del, ot)
            }
            RowStatus::Inserted | RowStatus::MovedTo => {
                emit(&mut lines, &mut o, &mut n, Tag::Ins, nt)
            }
        }
    }

    let mut out = String::new();
    if lines.iter().all(|l| l.tag == Tag::Same) {
        return out;
    }
    let _ = writeln!(out, "--- {}\t{}", sanitize(&r.old.label), r.old.short_id());
    let _ = writeln!(out, "+++ {}\t{}", sanitize(&r.new.label), r.new.short_id());

    // Hunks: runs of changed lines with CONTEXT lines around them, merged
    // when their contexts touch.
    let changed: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.tag != Tag::Same)
        .map(|(k, _)| k)
        .collect();
    let mut hunks: Vec<(usize, usize)> = Vec::new();
    for &k in &changed {
        let (s, e) = (
            k.saturating_sub(CONTEXT),
            (k + CONTEXT + 1).min(lines.len()),
        );
        match hunks.last_mut() {
            Some(last) if s <= last.1 => last.1 = e,
            _ => hunks.push((s, e)),
        }
    }
    for (s, e) in hunks {
        let part = &lines[s..e];
        let old_len = part.iter().filter(|l| l.tag != Tag::Ins).count();
        let new_len = part.iter().filter(|l| l.tag != Tag::Del).count();
        let start = |at: usize, len: usize| if len == 0 { at } else { at + 1 };
        let (os, ns) = part.first().map_or((0, 0), |l| (l.old_at, l.new_at));
        let _ = writeln!(
            out,
            "@@ -{},{old_len} +{},{new_len} @@",
            start(os, old_len),
            start(ns, new_len)
        );
        for l in part {
            let mark = match l.tag {
                Tag::Same => ' ',
                Tag::Del => '-',
                Tag::Ins => '+',
            };
            let _ = writeln!(out, "{mark}{}", sanitize(l.text));
        }
    }
    out
}
