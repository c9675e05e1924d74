//! The edits of a diff: word diffs of changed block pairs and whole-block
//! inserts, deletes and moves, made on worker threads.
//!
//! The block pass (in `mod.rs`) only *plans* the edits: each becomes a
//! [`Job`], in reading order, that remembers where its coarse reason goes.
//! [`run`] then makes them. The jobs whose blocks fit the limits by their
//! byte length (a text of n bytes has at most n tokens) cannot meet a limit
//! whatever came before them: that leading run is made in parallel. The
//! jobs after it go one by one, against the running token count. Every
//! job's result is a pure function of its blocks, and the results come
//! back in plan order, so the output does not depend on the number of
//! threads.

use crate::parallel;
use std::ops::Range;

use similar::{capture_diff_slices_deadline, Algorithm, DiffOp};

use super::classify::{classify, QuoteIndex, SideRef};
use super::words::{self, is_word};
use super::{DiffOptions, Edit, EditClass, EditOp, Side, Span};
use crate::model::BlockKind;

/// An edit to make.
pub(super) enum Work {
    /// The word diff of old block `i` and new block `j`.
    Pair { i: usize, j: usize },
    /// A whole-block insert, delete or move; `anchor` is the block index on
    /// the other side before which the change sits (for empty spans).
    Whole {
        op: EditOp,
        old: Option<usize>,
        new: Option<usize>,
        anchor: usize,
    },
}

/// A planned edit and where its coarse reason goes among the reasons
/// planned before it.
pub(super) struct Job {
    pub work: Work,
    pub reason_at: usize,
}

/// What one job produced.
#[derive(Default)]
pub(super) struct Outcome {
    pub edits: Vec<Edit>,
    /// Why the pair was compared as whole blocks, if a limit was met.
    pub reason: Option<String>,
}

/// Diffs every job; returns the outcomes in job order and the tokens that
/// went through the word diff.
pub(super) fn run(
    o: &Side<'_>,
    n: &Side<'_>,
    opts: &DiffOptions,
    jobs: &[Job],
) -> (Vec<Outcome>, usize) {
    // The leading jobs that fit the limits by byte length.
    let mut safe = 0;
    let mut bytes = 0usize;
    for job in jobs {
        if let Work::Pair { i, j } = job.work {
            let (a, b) = (o.text(i), n.text(j));
            let size = a.len() + b.len();
            if a.len().max(b.len()) > opts.max_block_tokens || bytes + size > opts.max_total_tokens
            {
                break;
            }
            bytes += size;
        }
        safe += 1;
    }
    let (leading, rest) = jobs.split_at(safe);
    let made = make_all(o, n, opts, leading);
    let mut outcomes = Vec::with_capacity(jobs.len());
    let mut tokens_compared = 0;
    for (edits, tokens) in made {
        tokens_compared += tokens;
        outcomes.push(Outcome {
            edits,
            reason: None,
        });
    }
    // The rest, one by one against the running count.
    let mut budget_hit = false;
    for job in rest {
        outcomes.push(match job.work {
            Work::Pair { i, j } => limited(o, n, opts, i, j, &mut tokens_compared, &mut budget_hit),
            Work::Whole {
                op,
                old,
                new,
                anchor,
            } => Outcome {
                edits: vec![whole_block(o, n, op, old, new, anchor)],
                reason: None,
            },
        });
    }
    (outcomes, tokens_compared)
}

/// [`make`] of every job, in order, in parallel when they are large.
pub(super) fn make_all(
    o: &Side<'_>,
    n: &Side<'_>,
    opts: &DiffOptions,
    jobs: &[Job],
) -> Vec<(Vec<Edit>, usize)> {
    let weight = |job: &Job| match job.work {
        Work::Pair { i, j } => o.text(i).len() + n.text(j).len(),
        Work::Whole { old, new, .. } => {
            old.map_or(0, |i| o.text(i).len()) + new.map_or(0, |j| n.text(j).len())
        }
    };
    parallel::map(jobs, opts.threads, parallel::MIN_WEIGHT, weight, |job| {
        make(o, n, opts, &job.work)
    })
}

/// The edits of `work` when it fits the limits, and the tokens compared.
pub(super) fn make(
    o: &Side<'_>,
    n: &Side<'_>,
    opts: &DiffOptions,
    work: &Work,
) -> (Vec<Edit>, usize) {
    match *work {
        Work::Pair { i, j } => {
            let (a, b) = (o.text(i), n.text(j));
            word_diff(o, n, opts, i, j, &tokens(a), &tokens(b))
        }
        Work::Whole {
            op,
            old,
            new,
            anchor,
        } => (vec![whole_block(o, n, op, old, new, anchor)], 0),
    }
}

/// A job after the leading run: counted first, so a huge block is never
/// materialised as tokens, and compared as whole blocks past a limit.
fn limited(
    o: &Side<'_>,
    n: &Side<'_>,
    opts: &DiffOptions,
    i: usize,
    j: usize,
    tokens_compared: &mut usize,
    budget_hit: &mut bool,
) -> Outcome {
    let (a, b) = (o.text(i), n.text(j));
    let fits = a.len().max(b.len()) <= opts.max_block_tokens
        && *tokens_compared + a.len() + b.len() <= opts.max_total_tokens;
    let materialised = fits.then(|| (tokens(a), tokens(b)));
    let (ca, cb) = match &materialised {
        Some((ta, tb)) => (ta.len(), tb.len()),
        None => (count_tokens(a), count_tokens(b)),
    };
    let size = ca + cb;
    let too_big = ca.max(cb) > opts.max_block_tokens;
    let over_budget = *tokens_compared + size > opts.max_total_tokens;
    if too_big || over_budget {
        let reason = if too_big {
            Some(format!(
                "blocks {i}→{j}: {ca} / {cb} tokens exceed the per-block limit ({}); compared as whole blocks",
                opts.max_block_tokens
            ))
        } else if !*budget_hit {
            *budget_hit = true;
            Some(format!(
                "word-diff budget of {} tokens used up at blocks {i}→{j}; later changed blocks compared as whole blocks",
                opts.max_total_tokens
            ))
        } else {
            None
        };
        return Outcome {
            edits: vec![coarse_replace(o, n, i, j)],
            reason,
        };
    }
    *tokens_compared += size;
    let (ta, tb) = materialised.unwrap_or_else(|| (tokens(a), tokens(b)));
    let (edits, _) = word_diff(o, n, opts, i, j, &ta, &tb);
    Outcome {
        edits,
        reason: None,
    }
}

/// A whole-block insert, delete or move. `anchor` is the block index on
/// the other side before which the change sits (for empty spans).
fn whole_block(
    o: &Side<'_>,
    n: &Side<'_>,
    op: EditOp,
    oi: Option<usize>,
    nj: Option<usize>,
    anchor: usize,
) -> Edit {
    let old_span = oi.map_or(
        Span {
            start: o.start(anchor),
            end: o.start(anchor),
        },
        |i| o.line_span(i),
    );
    let new_span = nj.map_or(
        Span {
            start: n.start(anchor),
            end: n.start(anchor),
        },
        |j| n.line_span(j),
    );
    let before = oi.map_or("", |i| o.text(i));
    let after = nj.map_or("", |j| n.text(j));
    let (class, reasons) = match (op, oi, nj) {
        (EditOp::Move, _, _) => (EditClass::Minor, Vec::new()),
        (_, Some(i), None) => o.whole_class(i),
        (_, None, Some(j)) => n.whole_class(j),
        _ => {
            let (qo, qn) = (QuoteIndex::new(before), QuoteIndex::new(after));
            classify(
                &SideRef {
                    text: before,
                    quotes: &qo,
                    range: 0..before.len(),
                },
                &SideRef {
                    text: after,
                    quotes: &qn,
                    range: 0..after.len(),
                },
            )
        }
    };
    let kind = nj
        .map(|j| n.kind(j))
        .or(oi.map(|i| o.kind(i)))
        .unwrap_or(BlockKind::Paragraph);
    Edit {
        op,
        class,
        reasons,
        kind,
        before: before.to_string(),
        after: after.to_string(),
        context_before: String::new(),
        context_after: String::new(),
        old_block: oi,
        new_block: nj,
        old_span,
        new_span,
        coarse: false,
    }
}

/// Old block `i` and new block `j` as one whole-block replace.
fn coarse_replace(o: &Side<'_>, n: &Side<'_>, i: usize, j: usize) -> Edit {
    let (a, b) = (o.text(i), n.text(j));
    let (qo, qn) = (QuoteIndex::new(a), QuoteIndex::new(b));
    let (class, reasons) = classify(
        &SideRef {
            text: a,
            quotes: &qo,
            range: 0..a.len(),
        },
        &SideRef {
            text: b,
            quotes: &qn,
            range: 0..b.len(),
        },
    );
    Edit {
        op: EditOp::Replace,
        class,
        reasons,
        kind: n.kind(j),
        before: a.to_string(),
        after: b.to_string(),
        context_before: String::new(),
        context_after: String::new(),
        old_block: Some(i),
        new_block: Some(j),
        old_span: o.text_span(i),
        new_span: n.text_span(j),
        coarse: true,
    }
}

/// The word diff of old block `i` (tokens `ta`) and new block `j` (`tb`):
/// its edits and the tokens compared.
fn word_diff(
    o: &Side<'_>,
    n: &Side<'_>,
    opts: &DiffOptions,
    i: usize,
    j: usize,
    ta: &[&str],
    tb: &[&str],
) -> (Vec<Edit>, usize) {
    let (a, b) = (o.text(i), n.text(j));
    let mut ops = capture_diff_slices_deadline(Algorithm::Myers, ta, tb, None);
    super::slide::to_sentences(&mut ops, ta, tb);

    // Changed chunks as token ranges, merged across gaps of spaces and
    // punctuation.
    let mut chunks: Vec<(Range<usize>, Range<usize>)> = Vec::new();
    for op in &ops {
        if matches!(op, DiffOp::Equal { .. }) {
            continue;
        }
        let (or, nr) = (op.old_range(), op.new_range());
        if let Some(last) = chunks.last_mut() {
            let gap = &ta[last.0.end..or.start];
            if gap.len() <= 3 && !gap.iter().any(|t| is_word(t)) {
                last.0.end = or.end;
                last.1.end = nr.end;
                continue;
            }
        }
        chunks.push((or, nr));
    }

    let (qo, qn) = (QuoteIndex::new(a), QuoteIndex::new(b));
    let (oa, nb) = (o.start(i), n.start(j));
    // Offsets of token k (the text's end past the last token): in bytes,
    // and in chars (the same for ASCII).
    let byte = |t: &[&str], k: usize, s: &str| t.get(k).map_or(s.len(), |t| offset_in(s, t));
    let (a_ascii, b_ascii) = (a.is_ascii(), b.is_ascii());
    let chr = |t: &[&str], k: usize, s: &str, ascii: bool| {
        let at = byte(t, k, s);
        if ascii {
            at
        } else {
            s.get(..at).map_or(0, |head| head.chars().count())
        }
    };
    let mut edits = Vec::with_capacity(chunks.len());
    for (or, nr) in chunks {
        let ob = byte(ta, or.start, a)..byte(ta, or.end, a);
        let nbr = byte(tb, nr.start, b)..byte(tb, nr.end, b);
        let (class, reasons) = classify(
            &SideRef {
                text: a,
                quotes: &qo,
                range: ob.clone(),
            },
            &SideRef {
                text: b,
                quotes: &qn,
                range: nbr.clone(),
            },
        );
        let op = match (or.is_empty(), nr.is_empty()) {
            (true, _) => EditOp::Insert,
            (_, true) => EditOp::Delete,
            _ => EditOp::Replace,
        };
        edits.push(Edit {
            op,
            class,
            reasons,
            kind: n.kind(j),
            before: a.get(ob).unwrap_or("").to_string(),
            after: b.get(nbr).unwrap_or("").to_string(),
            context_before: context(tb, nr.start, opts.context_words, true),
            context_after: context(tb, nr.end, opts.context_words, false),
            old_block: Some(i),
            new_block: Some(j),
            old_span: Span {
                start: oa + chr(ta, or.start, a, a_ascii),
                end: oa + chr(ta, or.end, a, a_ascii),
            },
            new_span: Span {
                start: nb + chr(tb, nr.start, b, b_ascii),
                end: nb + chr(tb, nr.end, b, b_ascii),
            },
            coarse: false,
        });
    }
    (edits, ta.len() + tb.len())
}

/// Up to `words` words of context before token `at` (or from it onwards).
fn context(toks: &[&str], at: usize, words: usize, backwards: bool) -> String {
    let mut seen = 0;
    if backwards {
        let mut from = at;
        while from > 0 && seen < words {
            from -= 1;
            if is_word(toks[from]) {
                seen += 1;
            }
        }
        toks[from..at].concat()
    } else {
        let mut to = at;
        while to < toks.len() && seen < words {
            if is_word(toks[to]) {
                seen += 1;
            }
            to += 1;
        }
        toks[at.min(to)..to].concat()
    }
}

/// Byte offset of `token`, a piece of `text`, within it.
fn offset_in(text: &str, token: &str) -> usize {
    (token.as_ptr() as usize).saturating_sub(text.as_ptr() as usize)
}

/// Number of word-bound tokens of `s` (a text of n bytes has at most n).
fn count_tokens(s: &str) -> usize {
    let mut n = 0;
    words::for_each_bound(s, |_, _| n += 1);
    n
}

/// The word-bound tokens of `s`, as pieces of it.
fn tokens(s: &str) -> Vec<&str> {
    // About one token for every four bytes of prose.
    let mut out = Vec::with_capacity(s.len() / 4 + 1);
    words::for_each_bound(s, |_, t| out.push(t));
    out
}
