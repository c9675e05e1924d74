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

mod classify;
mod fields;
mod overlap;
mod words;

use std::collections::{BTreeMap, VecDeque};
use std::ops::Range;

use serde::{Deserialize, Serialize};
use similar::{capture_diff_slices_deadline, Algorithm, DiffOp};

pub use classify::{EditClass, Reason};
pub use fields::FieldChange;

use crate::extract::normalize::fold;
use classify::{classify, QuoteIndex, SideRef};

use crate::model::{BlockKind, Document};

/// The version of `similar` whose output this module's results depend on.
pub const SIMILAR_VERSION: &str = "3.2.1";

/// Version of the diff rules (alignment, merging, classification). Reports
/// record it: a change here may change the edits found for the same inputs.
pub const DIFF_VERSION: &str = "stet-diff/1";

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
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions {
            max_block_tokens: 50_000,
            max_total_tokens: 2_000_000,
            max_pair_cells: 40_000,
            context_words: 4,
        }
    }
}

/// What an edit does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EditOp {
    Replace,
    Insert,
    Delete,
    Move,
}

impl EditOp {
    pub fn as_str(self) -> &'static str {
        match self {
            EditOp::Replace => "replace",
            EditOp::Insert => "insert",
            EditOp::Delete => "delete",
            EditOp::Move => "move",
        }
    }
}

/// A half-open range of character (Unicode scalar value) offsets into a
/// version's article text, [`Document::text`].
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// One change to the article text.
///
/// `before` is the text of `old_span` in the old version and `after` the text
/// of `new_span` in the new version, except for whole-block operations
/// (`insert`/`delete` of a block, `move`, a coarse replace of a whole
/// block): their spans also cover the line's newline, which `before` and
/// `after` leave out. An insertion's `old_span` (and a deletion's
/// `new_span`) is empty and marks where it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    pub op: EditOp,
    pub class: EditClass,
    /// Why the edit is substantive (empty otherwise).
    pub reasons: Vec<Reason>,
    /// Kind of the block (the new one, or the old one for a deletion).
    pub kind: BlockKind,
    pub before: String,
    pub after: String,
    /// A few words before the change, as they read in the new version.
    pub context_before: String,
    /// A few words after the change, as they read in the new version.
    pub context_after: String,
    pub old_block: Option<usize>,
    pub new_block: Option<usize>,
    pub old_span: Span,
    pub new_span: Span,
    /// True when the whole block was compared as one unit (size limit).
    pub coarse: bool,
}

/// How a block of one version relates to the other version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    /// Same text (possibly with cosmetic differences: see the edits).
    Equal,
    /// Paired blocks whose words differ.
    Changed,
    Deleted,
    Inserted,
    /// Where a moved block was in the old version.
    MovedFrom,
    /// Where a moved block is in the new version.
    MovedTo,
}

/// One row of the side-by-side alignment of the two versions' blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub status: RowStatus,
    pub old: Option<usize>,
    pub new: Option<usize>,
}

/// Sizes of what was compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DiffStats {
    pub old_blocks: usize,
    pub new_blocks: usize,
    pub old_chars: usize,
    pub new_chars: usize,
    /// Tokens that went through the word diff (both sides).
    pub tokens_compared: usize,
}

/// The difference between two documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocDiff {
    /// Text edits in new-document order.
    pub edits: Vec<Edit>,
    /// Changes to fields outside the article text.
    pub fields: Vec<FieldChange>,
    /// True when a size limit made part of the diff coarser than word level.
    pub coarse: bool,
    pub coarse_reasons: Vec<String>,
    pub stats: DiffStats,
    /// Block alignment, in reading order, for side-by-side renderers.
    pub rows: Vec<Row>,
}

impl DocDiff {
    /// The highest class among edits and field changes, if any.
    pub fn max_class(&self) -> Option<EditClass> {
        let e = self.edits.iter().map(|e| e.class);
        let f = self.fields.iter().map(|f| f.class);
        e.chain(f).max()
    }

    /// True when the documents differ: any change at all when `strict`,
    /// otherwise any change that is not cosmetic.
    pub fn differs(&self, strict: bool) -> bool {
        match self.max_class() {
            None => false,
            Some(c) => strict || c > EditClass::Cosmetic,
        }
    }

    /// Edit and field-change counts per class: (cosmetic, minor, substantive).
    pub fn class_counts(&self) -> (usize, usize, usize) {
        let mut c = (0, 0, 0);
        let classes = self
            .edits
            .iter()
            .map(|e| e.class)
            .chain(self.fields.iter().map(|f| f.class));
        for class in classes {
            match class {
                EditClass::Cosmetic => c.0 += 1,
                EditClass::Minor => c.1 += 1,
                EditClass::Substantive => c.2 += 1,
            }
        }
        c
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
    let mut st = State {
        opts,
        edits: Vec::new(),
        rows: Vec::new(),
        coarse_reasons: Vec::new(),
        tokens_compared: 0,
        total_budget_hit: false,
    };

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
    let ops = capture_diff_slices_deadline(Algorithm::Myers, &old_ids, &new_ids, None);

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

    for op in &ops {
        match *op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for k in 0..len {
                    let (i, j) = (old_index + k, new_index + k);
                    st.rows.push(Row {
                        status: RowStatus::Equal,
                        old: Some(i),
                        new: Some(j),
                    });
                    if o.doc.blocks[i].text != n.doc.blocks[j].text {
                        st.pair(&o, &n, i, j);
                    }
                }
            }
            _ => {
                let olds: Vec<usize> = op
                    .old_range()
                    .filter(|&i| move_of_old[i].is_none())
                    .collect();
                let news: Vec<usize> = op
                    .new_range()
                    .filter(|&j| move_of_new[j].is_none())
                    .collect();
                let pairs = st.pair_blocks(&o, &n, &olds, &news);
                st.region(
                    &o,
                    &n,
                    op.old_range(),
                    op.new_range(),
                    &pairs,
                    &move_of_old,
                    &move_of_new,
                );
            }
        }
    }

    st.edits.sort_by(|a, b| {
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
    let stats = DiffStats {
        old_blocks: o.len(),
        new_blocks: n.len(),
        old_chars: o.total_chars(),
        new_chars: n.total_chars(),
        tokens_compared: st.tokens_compared,
    };
    DocDiff {
        edits: st.edits,
        fields: fields::compare_fields(old, new),
        coarse: !st.coarse_reasons.is_empty(),
        coarse_reasons: st.coarse_reasons,
        stats,
        rows: st.rows,
    }
}

/// One version: its document, folded block keys and block start offsets.
struct Side<'a> {
    doc: &'a Document,
    keys: Vec<std::borrow::Cow<'a, str>>,
    /// Char offset of each block's start in `Document::text()`, plus the total.
    starts: Vec<usize>,
}

impl<'a> Side<'a> {
    fn new(doc: &'a Document) -> Self {
        let keys = doc.blocks.iter().map(|b| key(&b.text)).collect();
        let mut starts = Vec::with_capacity(doc.blocks.len() + 1);
        let mut at = 0;
        for b in &doc.blocks {
            starts.push(at);
            at += b.text.chars().count() + 1;
        }
        starts.push(at);
        Side { doc, keys, starts }
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

struct State<'o> {
    opts: &'o DiffOptions,
    edits: Vec<Edit>,
    rows: Vec<Row>,
    coarse_reasons: Vec<String>,
    tokens_compared: usize,
    total_budget_hit: bool,
}

/// A token of a block: byte range, char offset within the block, text.
struct Tok<'a> {
    byte: usize,
    chr: usize,
    text: &'a str,
}

/// Number of word-bound tokens of `s` (a text of n bytes has at most n).
fn count_tokens(s: &str) -> usize {
    let mut n = 0;
    words::for_each_bound(s, |_, _| n += 1);
    n
}

fn tokens(s: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut chr = 0;
    words::for_each_bound(s, |byte, text| {
        out.push(Tok { byte, chr, text });
        chr += if text.is_ascii() {
            text.len()
        } else {
            text.chars().count()
        };
    });
    out
}

use words::is_word;

/// The alignment key of a block: its folded text. ASCII text without
/// tabs, newlines, doubled or edge spaces folds to itself: that common case
/// borrows the text and skips the Unicode normalisation.
fn key(text: &str) -> std::borrow::Cow<'_, str> {
    if crate::extract::normalize::is_plain_ascii(text) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(fold(text))
    }
}

/// A fast, deterministic hasher for short keys (FxHash's multiply-rotate).
/// Only speed depends on it: interned ids follow first appearance.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.write(&n.to_le_bytes());
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

pub(crate) type FxBuild = std::hash::BuildHasherDefault<FxHasher>;

/// Words of a block, folded, lower-cased and hashed (64 bits, a fixed
/// hash: the same on every machine), sorted, for the similarity measure
/// (capped). Hashes make each comparison an integer compare without a
/// shared table.
/// Words a signature keeps.
const SIGNATURE_CAP: usize = 512;

fn signature(text: &str) -> Vec<u64> {
    use std::hash::Hasher;
    const CAP: usize = SIGNATURE_CAP;
    let mut ids: Vec<u64> = Vec::new();
    let mut lower = String::new();
    words::for_each_bound(text, |_, w| {
        if ids.len() >= CAP || !is_word(w) {
            return;
        }
        lower.clear();
        if w.is_ascii() {
            // An ASCII word folds to itself.
            lower.push_str(w);
            lower.make_ascii_lowercase();
        } else {
            lower.push_str(&fold(w).to_lowercase());
        }
        let mut h = FxHasher::default();
        h.write(lower.as_bytes());
        ids.push(h.finish());
    });
    ids.sort_unstable();
    ids
}

/// Dice similarity of two sorted word lists, in permille (no floats).
fn similarity(a: &[u64], b: &[u64]) -> usize {
    if a.is_empty() && b.is_empty() {
        return 1000;
    }
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2000 * common / (a.len() + b.len())
}

/// `similarity` of every old × new pair, row-major. Shared words are found
/// through an index of the new blocks' words, so the work follows the
/// overlap: two texts that share nothing cost almost nothing.
fn similarity_matrix(so: &[Vec<u64>], sn: &[Vec<u64>]) -> Vec<usize> {
    let l = sn.len();
    let counted = |ids: &[u64]| -> Vec<(u64, usize)> {
        let mut out: Vec<(u64, usize)> = Vec::new();
        for &id in ids {
            match out.last_mut() {
                Some((last, n)) if *last == id => *n += 1,
                _ => out.push((id, 1)),
            }
        }
        out
    };
    let mut index: std::collections::HashMap<u64, Vec<(usize, usize)>, FxBuild> =
        std::collections::HashMap::default();
    for (b, ids) in sn.iter().enumerate() {
        for (id, n) in counted(ids) {
            index.entry(id).or_default().push((b, n));
        }
    }
    let mut sim = vec![0usize; so.len() * l];
    let mut common = vec![0usize; l];
    for (a, ids) in so.iter().enumerate() {
        common.iter_mut().for_each(|c| *c = 0);
        for (id, na) in counted(ids) {
            if let Some(postings) = index.get(&id) {
                for &(b, nb) in postings {
                    common[b] += na.min(nb);
                }
            }
        }
        for b in 0..l {
            let total = ids.len() + sn[b].len();
            sim[a * l + b] = (2000 * common[b]).checked_div(total).unwrap_or(1000);
        }
    }
    sim
}

/// Pairs need at least this similarity (permille).
const PAIR_THRESHOLD: usize = 400;
/// Window of the greedy pairing used for very large regions.
const GREEDY_WINDOW: usize = 8;

impl State<'_> {
    /// Pairs the old and new blocks of a changed region (monotone).
    fn pair_blocks(
        &mut self,
        o: &Side<'_>,
        n: &Side<'_>,
        olds: &[usize],
        news: &[usize],
    ) -> Vec<(usize, usize)> {
        if olds.is_empty() || news.is_empty() {
            return Vec::new();
        }
        // One block for one: pairs when the similarity reaches the
        // threshold, which the shared ends often prove at once.
        if let ([i], [j]) = (olds, news) {
            let floor = overlap::similarity_floor(o.text(*i), n.text(*j), SIGNATURE_CAP);
            if floor.is_some_and(|f| f >= PAIR_THRESHOLD) {
                return vec![(*i, *j)];
            }
        }
        let so: Vec<Vec<u64>> = olds.iter().map(|&i| signature(o.text(i))).collect();
        let sn: Vec<Vec<u64>> = news.iter().map(|&j| signature(n.text(j))).collect();
        let (k, l) = (olds.len(), news.len());
        if k.saturating_mul(l) > self.opts.max_pair_cells {
            self.coarse_reasons.push(format!(
                "{k} old × {l} new changed blocks exceed the pairing limit ({}); blocks paired within a window of {GREEDY_WINDOW}",
                self.opts.max_pair_cells
            ));
            let mut pairs = Vec::new();
            let mut next = 0;
            for (a, sa) in so.iter().enumerate() {
                let mut best: Option<(usize, usize)> = None;
                for (b, sb) in sn.iter().enumerate().skip(next).take(GREEDY_WINDOW) {
                    let s = similarity(sa, sb);
                    if s >= PAIR_THRESHOLD && best.is_none_or(|(_, bs)| s > bs) {
                        best = Some((b, s));
                    }
                }
                if let Some((b, _)) = best {
                    pairs.push((olds[a], news[b]));
                    next = b + 1;
                }
            }
            return pairs;
        }
        // dp[a][b]: best summed similarity pairing olds[..a] with news[..b].
        let w = l + 1;
        let sim = similarity_matrix(&so, &sn);
        let mut dp = vec![0usize; (k + 1) * w];
        for a in 1..=k {
            for b in 1..=l {
                let s = sim[(a - 1) * l + (b - 1)];
                let diag = if s >= PAIR_THRESHOLD {
                    dp[(a - 1) * w + (b - 1)] + s
                } else {
                    0
                };
                dp[a * w + b] = diag.max(dp[(a - 1) * w + b]).max(dp[a * w + (b - 1)]);
            }
        }
        let mut pairs = Vec::new();
        let (mut a, mut b) = (k, l);
        while a > 0 && b > 0 {
            let s = sim[(a - 1) * l + (b - 1)];
            if s >= PAIR_THRESHOLD && dp[a * w + b] == dp[(a - 1) * w + (b - 1)] + s {
                pairs.push((olds[a - 1], news[b - 1]));
                a -= 1;
                b -= 1;
            } else if dp[a * w + b] == dp[(a - 1) * w + b] {
                a -= 1;
            } else {
                b -= 1;
            }
        }
        pairs.reverse();
        pairs
    }

    /// Emits the rows and edits of one changed region, in reading order.
    #[allow(clippy::too_many_arguments)]
    fn region(
        &mut self,
        o: &Side<'_>,
        n: &Side<'_>,
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
                    self.whole_block(o, n, EditOp::Delete, Some(i), None, j);
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
                    self.whole_block(o, n, EditOp::Move, Some(from), Some(j), i);
                } else {
                    self.rows.push(Row {
                        status: RowStatus::Inserted,
                        old: None,
                        new: Some(j),
                    });
                    self.whole_block(o, n, EditOp::Insert, None, Some(j), i);
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
                self.pair(o, n, pi, pj);
                i = pi + 1;
                j = pj + 1;
            } else {
                break;
            }
        }
    }

    /// A whole-block insert, delete or move. `anchor` is the block index on
    /// the other side before which the change sits (for empty spans).
    fn whole_block(
        &mut self,
        o: &Side<'_>,
        n: &Side<'_>,
        op: EditOp,
        oi: Option<usize>,
        nj: Option<usize>,
        anchor: usize,
    ) {
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
        let (qo, qn) = (QuoteIndex::new(before), QuoteIndex::new(after));
        let (class, reasons) = if op == EditOp::Move {
            (EditClass::Minor, Vec::new())
        } else {
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
        };
        let kind = nj
            .map(|j| n.kind(j))
            .or(oi.map(|i| o.kind(i)))
            .unwrap_or(BlockKind::Paragraph);
        self.edits.push(Edit {
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
        });
    }

    /// Word diff of a pair of blocks (or a coarse replace when too large).
    fn pair(&mut self, o: &Side<'_>, n: &Side<'_>, i: usize, j: usize) {
        let (a, b) = (o.text(i), n.text(j));
        // A text of n bytes has at most n tokens: blocks that fit the limits
        // by their byte length are tokenised at once; others are counted
        // first, so a huge block is never materialised as tokens.
        let fits = a.len().max(b.len()) <= self.opts.max_block_tokens
            && self.tokens_compared + a.len() + b.len() <= self.opts.max_total_tokens;
        let materialised = fits.then(|| (tokens(a), tokens(b)));
        let (ca, cb) = match &materialised {
            Some((ta, tb)) => (ta.len(), tb.len()),
            None => (count_tokens(a), count_tokens(b)),
        };
        let size = ca + cb;
        let too_big = ca.max(cb) > self.opts.max_block_tokens;
        let over_budget = self.tokens_compared + size > self.opts.max_total_tokens;
        if too_big || over_budget {
            if too_big {
                self.coarse_reasons.push(format!(
                    "blocks {i}→{j}: {ca} / {cb} tokens exceed the per-block limit ({}); compared as whole blocks",
                    self.opts.max_block_tokens
                ));
            } else if !self.total_budget_hit {
                self.total_budget_hit = true;
                self.coarse_reasons.push(format!(
                    "word-diff budget of {} tokens used up at blocks {i}→{j}; later changed blocks compared as whole blocks",
                    self.opts.max_total_tokens
                ));
            }
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
            self.edits.push(Edit {
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
            });
            return;
        }
        self.tokens_compared += size;
        let (ta, tb) = materialised.unwrap_or_else(|| (tokens(a), tokens(b)));
        let sa: Vec<&str> = ta.iter().map(|t| t.text).collect();
        let sb: Vec<&str> = tb.iter().map(|t| t.text).collect();
        let ops = capture_diff_slices_deadline(Algorithm::Myers, &sa, &sb, None);

        // Changed chunks as token ranges, merged across gaps of spaces and
        // punctuation.
        let mut chunks: Vec<(Range<usize>, Range<usize>)> = Vec::new();
        for op in &ops {
            if matches!(op, DiffOp::Equal { .. }) {
                continue;
            }
            let (or, nr) = (op.old_range(), op.new_range());
            if let Some(last) = chunks.last_mut() {
                let gap = &sa[last.0.end..or.start];
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
        let byte = |t: &[Tok<'_>], k: usize, s: &str| t.get(k).map_or(s.len(), |t| t.byte);
        let chr = |t: &[Tok<'_>], k: usize, s: &str| {
            t.get(k).map_or_else(|| s.chars().count(), |t| t.chr)
        };
        for (or, nr) in chunks {
            let ob = byte(&ta, or.start, a)..byte(&ta, or.end, a);
            let nbr = byte(&tb, nr.start, b)..byte(&tb, nr.end, b);
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
            self.edits.push(Edit {
                op,
                class,
                reasons,
                kind: n.kind(j),
                before: a.get(ob).unwrap_or("").to_string(),
                after: b.get(nbr).unwrap_or("").to_string(),
                context_before: context(&tb, nr.start, self.opts.context_words, true),
                context_after: context(&tb, nr.end, self.opts.context_words, false),
                old_block: Some(i),
                new_block: Some(j),
                old_span: Span {
                    start: oa + chr(&ta, or.start, a),
                    end: oa + chr(&ta, or.end, a),
                },
                new_span: Span {
                    start: nb + chr(&tb, nr.start, b),
                    end: nb + chr(&tb, nr.end, b),
                },
                coarse: false,
            });
        }
    }
}

/// Up to `words` words of context before token `at` (or from it onwards).
fn context(toks: &[Tok<'_>], at: usize, words: usize, backwards: bool) -> String {
    let mut seen = 0;
    if backwards {
        let mut from = at;
        while from > 0 && seen < words {
            from -= 1;
            if is_word(toks[from].text) {
                seen += 1;
            }
        }
        toks[from..at].iter().map(|t| t.text).collect()
    } else {
        let mut to = at;
        while to < toks.len() && seen < words {
            if is_word(toks[to].text) {
                seen += 1;
            }
            to += 1;
        }
        toks[at.min(to)..to].iter().map(|t| t.text).collect()
    }
}

#[cfg(test)]
mod tests;
