//! `Document × Document → DocDiff` (pure).
//!
//! Two passes, difftastic-style bounded by input size rather than by a clock:
//!
//! 1. **Blocks.** The two block lists are aligned with Myers on their folded
//!    text (so a block whose quotes or spaces changed still lines up). Blocks
//!    left over on both sides with the same folded text are *moves*. In each
//!    remaining changed region, old and new blocks are paired by word overlap
//!    (a monotone alignment that maximises the summed similarity); unpaired
//!    blocks are whole-block deletes and inserts.
//! 2. **Words.** Each paired block is diffed by Unicode word (UAX #29) with
//!    Myers and no deadline. Changes separated only by spaces or punctuation
//!    are merged into one edit, and each edit gets a few words of context.
//!
//! Limits ([`DiffOptions`]): a block pair with more tokens than
//! `max_block_tokens`, or beyond the document's `max_total_tokens`, is
//! reported as one whole-block replace; a changed region with more block
//! pairs than `max_pair_cells` is paired greedily within a window. Either
//! sets [`DocDiff::coarse`] and says why in [`DocDiff::coarse_reasons`].

mod agent;
mod bylines;
mod characterization;
mod classify;
mod common_words;
pub mod corrections;
mod credits;
mod details;
mod fields;
mod legal;
mod opposites;
mod overlap;
mod pairing;
mod pairs;
mod qualifiers;
pub mod resource;
mod slide;
mod sources;
mod splits;
mod style;
mod terms;
mod units;

mod words;

use crate::parallel;
use std::collections::{BTreeMap, VecDeque};
use std::ops::Range;

use similar::{capture_diff_slices_deadline, Algorithm, DiffOp};

pub use crate::model::diff::{
    DiffStats, DocDiff, Edit, EditClass, EditOp, FieldChange, Reason, Row, RowStatus, Span,
    DIFF_VERSION, SIMILAR_VERSION,
};
pub use corrections::corrections;

use crate::extract::normalize::fold;
use pairing::pair_blocks;
use pairs::Work;

use crate::model::{BlockKind, Document};

/// Size limits of a diff. The defaults keep a 20 MB rewrite within seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffOptions {
    /// Tokens (words, spaces, punctuation) of one side of one block pair
    /// above which the pair is reported as a whole-block replace.
    pub max_block_tokens: usize,
    /// Tokens word-diffed in the whole document; block pairs beyond it are
    /// reported as whole-block replaces.
    pub max_total_tokens: usize,
    /// Old × new blocks of one changed region above which blocks are paired
    /// greedily in a window instead of by the optimal monotone alignment.
    pub max_pair_cells: usize,
    /// Words of context on each side of an edit.
    pub context_words: usize,
    /// Threads for the word diffs of large documents (0: one per core).
    /// The result does not depend on it.
    pub threads: usize,
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions {
            max_block_tokens: 50_000,
            max_total_tokens: 2_000_000,
            max_pair_cells: 40_000,
            context_words: 4,
            threads: 0,
        }
    }
}

/// Why a [`DocDiff`] does not account for the difference between two texts
/// (see [`DocDiff::explains`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unexplained {
    #[error("edit text mismatch: {edit} (found {found_before:?} / {found_after:?})")]
    EditText {
        edit: String,
        found_before: String,
        found_after: String,
    },
    #[error("overlapping spans at {0:?}")]
    Overlap(Span),
    #[error("span {0:?} is outside the text")]
    OutOfRange(Span),
    #[error("residues differ:\n{old:?}\n{new:?}")]
    Residue { old: String, new: String },
}

impl DocDiff {
    /// Checks that the edits explain the difference exactly: each edit's
    /// text is found at its spans, and removing every edit's span from both
    /// texts leaves the same residue (so applying the edits to the old text
    /// gives the new text). Used by the tests and the fuzz targets.
    pub fn explains(&self, old: &Document, new: &Document) -> Result<(), Unexplained> {
        let (ot, nt) = (old.text(), new.text());
        let (oc, nc): (Vec<char>, Vec<char>) = (ot.chars().collect(), nt.chars().collect());
        let slice = |c: &[char], span: Span| -> Result<String, Unexplained> {
            c.get(span.start..span.end)
                .map(|c| c.iter().collect())
                .ok_or(Unexplained::OutOfRange(span))
        };
        let mut old_spans = Vec::new();
        let mut new_spans = Vec::new();
        for e in &self.edits {
            let (b, a) = (slice(&oc, e.old_span)?, slice(&nc, e.new_span)?);
            let whole =
                e.op == EditOp::Move || e.old_block.is_none() || e.new_block.is_none() || e.coarse;
            let (b, a) = if whole {
                (
                    b.trim_end_matches('\n').to_string(),
                    a.trim_end_matches('\n').to_string(),
                )
            } else {
                (b, a)
            };
            if b != e.before || a != e.after {
                return Err(Unexplained::EditText {
                    edit: format!("{e:?}"),
                    found_before: b,
                    found_after: a,
                });
            }
            old_spans.push(e.old_span);
            new_spans.push(e.new_span);
        }
        let residue = |c: &[char], mut spans: Vec<Span>| -> Result<String, Unexplained> {
            spans.sort();
            let mut out = String::new();
            let mut at = 0;
            for s in spans {
                if s.start < at {
                    return Err(Unexplained::Overlap(s));
                }
                out.extend(&c[at..s.start]);
                at = s.end;
            }
            out.extend(&c[at.min(c.len())..]);
            Ok(out)
        };
        let (old, new) = (residue(&oc, old_spans)?, residue(&nc, new_spans)?);
        if old != new {
            return Err(Unexplained::Residue { old, new });
        }
        Ok(())
    }
}

/// Compares two documents: article text by block and by word, and the
/// provenance fields on their own. Deterministic; the work is bounded by the
/// input size through `opts`.
pub fn diff_documents(old: &Document, new: &Document, opts: &DiffOptions) -> DocDiff {
    let o = Side::new(old);
    let n = Side::new(new);
    let mut st = State::default();

    // Block alignment on interned keys: the same alignment as on the
    // strings, with integer compares in Myers' inner loop.
    let mut key_ids: std::collections::HashMap<&str, u32, FxBuild> = Default::default();
    let mut old_ids = Vec::with_capacity(o.len());
    let mut new_ids = Vec::with_capacity(n.len());
    for (keys, ids) in [(&o.keys, &mut old_ids), (&n.keys, &mut new_ids)] {
        for k in keys {
            let next = u32::try_from(key_ids.len()).unwrap_or(u32::MAX);
            ids.push(*key_ids.entry(k.as_ref()).or_insert(next));
        }
    }
    let ops = align_blocks(&old_ids, &new_ids);

    // Moves: blocks deleted on one side and inserted on the other with the
    // same folded text (first come, first paired).
    let mut deleted: BTreeMap<&str, VecDeque<usize>> = BTreeMap::new();
    for op in &ops {
        if !matches!(op, DiffOp::Equal { .. }) {
            for i in op.old_range() {
                if !o.keys[i].is_empty() {
                    deleted.entry(o.keys[i].as_ref()).or_default().push_back(i);
                }
            }
        }
    }
    let mut move_of_old: Vec<Option<usize>> = vec![None; o.len()];
    let mut move_of_new: Vec<Option<usize>> = vec![None; n.len()];
    for op in &ops {
        if !matches!(op, DiffOp::Equal { .. }) {
            for j in op.new_range() {
                if let Some(i) = deleted
                    .get_mut(n.keys[j].as_ref())
                    .and_then(VecDeque::pop_front)
                {
                    move_of_old[i] = Some(j);
                    move_of_new[j] = Some(i);
                }
            }
        }
    }

    // Each changed region is paired on its own. Blocks of an Equal row
    // whose texts differ (cosmetically) are word-diffed too.
    let regions: Vec<&DiffOp> = ops
        .iter()
        .filter(|op| !matches!(op, DiffOp::Equal { .. }))
        .collect();
    let region_bytes = |op: &&DiffOp| -> usize {
        let o_bytes: usize = op.old_range().map(|i| o.text(i).len()).sum();
        o_bytes + op.new_range().map(|j| n.text(j).len()).sum::<usize>()
    };
    // A region's old and new blocks, less the moved ones, paired.
    let pair_region = |op: &&DiffOp| -> (Vec<(usize, usize)>, Option<String>) {
        let olds: Vec<usize> = op
            .old_range()
            .filter(|&i| move_of_old[i].is_none())
            .collect();
        let news: Vec<usize> = op
            .new_range()
            .filter(|&j| move_of_new[j].is_none())
            .collect();
        pair_blocks(&o, &n, opts, &olds, &news)
    };
    // Aligned blocks whose texts differ (cosmetically), per op.
    let restyled: Vec<Vec<(usize, usize)>> = ops
        .iter()
        .map(|op| match *op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => (0..len)
                .map(|k| (old_index + k, new_index + k))
                .filter(|&(i, j)| o.doc.blocks[i].text != n.doc.blocks[j].text)
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    let equal_rows = |st: &mut State, op: &DiffOp| {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = *op
        {
            st.rows.extend((0..len).map(|k| Row {
                status: RowStatus::Equal,
                old: Some(old_index + k),
                new: Some(new_index + k),
            }));
        }
    };

    // Regions are paired (in parallel), then their edits planned in
    // reading order and made by `pairs::run`, which spends the token budget
    // in that order.
    let mut edits = Vec::new();
    let mut reasons = Vec::new();
    let pairings = parallel::map(
        &regions,
        opts.threads,
        parallel::MIN_WEIGHT,
        region_bytes,
        pair_region,
    );
    let mut pairings = pairings.into_iter();
    for (op, restyled) in ops.iter().zip(&restyled) {
        if matches!(op, DiffOp::Equal { .. }) {
            equal_rows(&mut st, op);
            for &(i, j) in restyled {
                st.plan(Work::Pair { i, j });
            }
        } else {
            let (pairs, reason) = pairings.next().unwrap_or_default();
            st.coarse_reasons.extend(reason);
            st.region(
                op.old_range(),
                op.new_range(),
                &pairs,
                &move_of_old,
                &move_of_new,
            );
        }
    }
    // The planned edits, with the reasons put back where they were
    // planned.
    let (outcomes, tokens_compared) = pairs::run(&o, &n, opts, &st.jobs);
    let mut planned_reasons = std::mem::take(&mut st.coarse_reasons).into_iter();
    let mut reasons_taken = 0;
    for (job, outcome) in st.jobs.iter().zip(outcomes) {
        reasons.extend(planned_reasons.by_ref().take(job.reason_at - reasons_taken));
        reasons_taken = job.reason_at;
        edits.extend(outcome.edits);
        reasons.extend(outcome.reason);
    }
    reasons.extend(planned_reasons);

    edits.sort_by(|a, b| {
        (
            a.new_span.start,
            a.new_span.end,
            a.old_span.start,
            a.old_span.end,
            a.op,
        )
            .cmp(&(
                b.new_span.start,
                b.new_span.end,
                b.old_span.start,
                b.old_span.end,
                b.op,
            ))
    });
    splits::settle(old, new, &st.rows, &mut edits);
    bylines::settle(old, new, &mut edits);
    let stats = DiffStats {
        old_blocks: o.len(),
        new_blocks: n.len(),
        old_chars: o.total_chars(),
        new_chars: n.total_chars(),
        tokens_compared,
    };
    DocDiff {
        edits,
        fields: fields::compare_fields(old, new),
        coarse: !reasons.is_empty(),
        coarse_reasons: reasons,
        stats,
        rows: st.rows,
    }
}

/// Myers' alignment of the interned block keys. Ids follow first
/// appearance, the old version's first, so the old version holds exactly
/// the ids up to its largest; two versions that share no block are one
/// replacement: what Myers finds too, at the cost of its full search.
fn align_blocks(old_ids: &[u32], new_ids: &[u32]) -> Vec<DiffOp> {
    let shares_nothing = old_ids
        .iter()
        .max()
        .is_some_and(|&last_old| new_ids.iter().all(|&id| id > last_old));
    if shares_nothing && !new_ids.is_empty() {
        return vec![DiffOp::Replace {
            old_index: 0,
            old_len: old_ids.len(),
            new_index: 0,
            new_len: new_ids.len(),
        }];
    }
    capture_diff_slices_deadline(Algorithm::Myers, old_ids, new_ids, None)
}

/// One version: its document, folded block keys and block start offsets.
struct Side<'a> {
    doc: &'a Document,
    keys: Vec<std::borrow::Cow<'a, str>>,
    /// Char offset of each block's start in `Document::text()`, plus the total.
    starts: Vec<usize>,
    /// Each block's class when inserted or deleted whole, once known
    /// (pairing learns it while making the block's signature).
    whole: Vec<std::sync::OnceLock<classify::Classed>>,
}

impl<'a> Side<'a> {
    fn new(doc: &'a Document) -> Self {
        let mut keys = Vec::with_capacity(doc.blocks.len());
        let mut starts = Vec::with_capacity(doc.blocks.len() + 1);
        let mut at = 0;
        for b in &doc.blocks {
            let k = key(&b.text);
            starts.push(at);
            // A borrowed key is plain ASCII: one char a byte.
            at += match k {
                std::borrow::Cow::Borrowed(_) => b.text.len(),
                std::borrow::Cow::Owned(_) => b.text.chars().count(),
            } + 1;
            keys.push(k);
        }
        starts.push(at);
        let whole = std::iter::repeat_with(Default::default)
            .take(doc.blocks.len())
            .collect();
        Side {
            doc,
            keys,
            starts,
            whole,
        }
    }

    /// Block `i`'s class when inserted or deleted whole.
    fn whole_class(&self, i: usize) -> classify::Classed {
        match self.whole.get(i) {
            Some(known) => known
                .get_or_init(|| classify::whole_class(self.text(i), |_| {}))
                .clone(),
            None => classify::whole_class(self.text(i), |_| {}),
        }
    }

    /// Block `i`'s signature word hashes, unsorted (see `pairing`); its
    /// whole class is learnt on the same pass.
    fn word_hashes(&self, i: usize) -> Vec<u64> {
        let (ids, class) = pairing::word_hashes_and_class(self.text(i));
        if let Some(known) = self.whole.get(i) {
            // Already known: the same value.
            let _ = known.set(class);
        }
        ids
    }

    fn len(&self) -> usize {
        self.doc.blocks.len()
    }

    fn total_chars(&self) -> usize {
        self.starts.last().copied().unwrap_or(0)
    }

    fn text(&self, i: usize) -> &'a str {
        self.doc.blocks.get(i).map_or("", |b| b.text.as_str())
    }

    fn kind(&self, i: usize) -> BlockKind {
        self.doc
            .blocks
            .get(i)
            .map_or(BlockKind::Paragraph, |b| b.kind)
    }

    fn start(&self, i: usize) -> usize {
        self.starts
            .get(i)
            .copied()
            .unwrap_or_else(|| self.total_chars())
    }

    /// The block's whole line, newline included.
    fn line_span(&self, i: usize) -> Span {
        Span {
            start: self.start(i),
            end: self.start(i + 1),
        }
    }

    /// The block's text, newline excluded.
    fn text_span(&self, i: usize) -> Span {
        Span {
            start: self.start(i),
            end: self.start(i + 1).saturating_sub(1).max(self.start(i)),
        }
    }
}

/// The block pass's output: rows, coarse reasons, and the edits to make,
/// as jobs (see `pairs`).
#[derive(Default)]
struct State {
    rows: Vec<Row>,
    coarse_reasons: Vec<String>,
    /// Changed block pairs whose word diff is planned (see `pairs`).
    jobs: Vec<pairs::Job>,
}

/// The alignment key of a block: its folded text. ASCII text without
/// tabs, newlines, doubled or edge spaces or doubled hyphens folds to
/// itself: that common case borrows the text and skips the Unicode
/// normalisation.
fn key(text: &str) -> std::borrow::Cow<'_, str> {
    if crate::extract::normalize::folds_to_itself(text) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(fold(text))
    }
}

/// A fast hasher for the diff's maps of words and block keys. Only speed
/// depends on it: nothing iterates these maps, and interned ids follow
/// first appearance.
pub(crate) type FxBuild = rustc_hash::FxBuildHasher;

impl State {
    /// Plans an edit: made later by `pairs::run`, in this order.
    fn plan(&mut self, work: Work) {
        self.jobs.push(pairs::Job {
            work,
            reason_at: self.coarse_reasons.len(),
        });
    }

    /// Emits the rows of one changed region and plans its edits, in
    /// reading order.
    fn region(
        &mut self,
        olds: Range<usize>,
        news: Range<usize>,
        pairs: &[(usize, usize)],
        move_of_old: &[Option<usize>],
        move_of_new: &[Option<usize>],
    ) {
        let (mut i, mut j) = (olds.start, news.start);
        let mut pairs = pairs.iter().peekable();
        while i < olds.end || j < news.end {
            let next_pair = pairs.peek().copied();
            // Old blocks before the next pair (or all that are left).
            if i < olds.end && next_pair.is_none_or(|&(pi, _)| i < pi) {
                if let Some(to) = move_of_old[i] {
                    self.rows.push(Row {
                        status: RowStatus::MovedFrom,
                        old: Some(i),
                        new: Some(to),
                    });
                } else {
                    self.rows.push(Row {
                        status: RowStatus::Deleted,
                        old: Some(i),
                        new: None,
                    });
                    self.plan(Work::Whole {
                        op: EditOp::Delete,
                        old: Some(i),
                        new: None,
                        anchor: j,
                    });
                }
                i += 1;
                continue;
            }
            if j < news.end && next_pair.is_none_or(|&(_, pj)| j < pj) {
                if let Some(from) = move_of_new[j] {
                    self.rows.push(Row {
                        status: RowStatus::MovedTo,
                        old: Some(from),
                        new: Some(j),
                    });
                    self.plan(Work::Whole {
                        op: EditOp::Move,
                        old: Some(from),
                        new: Some(j),
                        anchor: i,
                    });
                } else {
                    self.rows.push(Row {
                        status: RowStatus::Inserted,
                        old: None,
                        new: Some(j),
                    });
                    self.plan(Work::Whole {
                        op: EditOp::Insert,
                        old: None,
                        new: Some(j),
                        anchor: i,
                    });
                }
                j += 1;
                continue;
            }
            if let Some((pi, pj)) = pairs.next().copied() {
                self.rows.push(Row {
                    status: RowStatus::Changed,
                    old: Some(pi),
                    new: Some(pj),
                });
                self.plan(Work::Pair { i: pi, j: pj });
                i = pi + 1;
                j = pj + 1;
            } else {
                break;
            }
        }
    }
}

/// `rule` on the words of two edit sides in lower case (false when a side
/// has more words than the local rules read).
#[cfg(test)]
pub(crate) fn on_words(
    old: &str,
    new: &str,
    rule: impl Fn(&[std::borrow::Cow<'_, str>], &[std::borrow::Cow<'_, str>]) -> bool,
) -> bool {
    let local = |s| words::lower_words(s, opposites::MAX_WORDS);
    match (local(old), local(new)) {
        (Some(o), Some(n)) => rule(&o, &n),
        _ => false,
    }
}

/// `rule` on the two sides of the edit between two texts, as [`cut`] cuts
/// it: each side's text and changed range.
#[cfg(test)]
pub(crate) fn on_sides(
    old: &str,
    new: &str,
    rule: impl Fn((&str, std::ops::Range<usize>), (&str, std::ops::Range<usize>)) -> bool,
) -> bool {
    let (o, n) = cut(old, new);
    rule((old, o), (new, n))
}

/// The ranges of `old` and `new` that differ: what is left between their
/// common start and common end (the edit as a diff of two texts cuts it).
#[cfg(test)]
pub(crate) fn cut(old: &str, new: &str) -> (std::ops::Range<usize>, std::ops::Range<usize>) {
    let start = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map_or(old.len().min(new.len()), |((i, _), _)| i);
    let common_end = old[start..]
        .chars()
        .rev()
        .zip(new[start..].chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum::<usize>();
    (start..old.len() - common_end, start..new.len() - common_end)
}

#[cfg(test)]
mod tests;
