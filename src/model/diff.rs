//! The value a diff produces: edits of the text, changes of fields, the
//! block alignment, with their classes. `diff` computes it; renderers read it.

use serde::{Deserialize, Serialize};

use super::BlockKind;

/// The version of `similar` whose output this module's results depend on.
pub const SIMILAR_VERSION: &str = "3.2.1";

/// Version of the diff rules (alignment, merging, classification). Reports
/// record it: a change here may change the edits found for the same inputs.
pub const DIFF_VERSION: &str = "stet-diff/1";

/// How much an edit matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EditClass {
    /// Whitespace, quote or dash style, Unicode form, letter case.
    Cosmetic,
    /// A change of wording that touches none of the substantive markers.
    Minor,
    /// Changes a number, date, name, negation or quoted speech.
    Substantive,
}

impl EditClass {
    pub fn as_str(self) -> &'static str {
        match self {
            EditClass::Cosmetic => "cosmetic",
            EditClass::Minor => "minor",
            EditClass::Substantive => "substantive",
        }
    }
}

/// Why an edit is substantive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    Number,
    Date,
    Name,
    Negation,
    Quote,
    /// Who says it: "said", "according to", "reportedly", …
    Attribution,
    /// A word put in place of its opposite: "oldest" → "newest", "rose" →
    /// "fell", "legal" → "illegal".
    Opposite,
    /// A hedge added or removed: "was arrested" → "may have been arrested".
    Hedge,
    /// Someone's legal status: "arrested" → "charged" → "convicted",
    /// "pleaded guilty" → "was convicted", or the offence: "murder" →
    /// "manslaughter".
    LegalStatus,
    /// A whole sentence added or removed: a statement the article did not
    /// make, or no longer makes.
    Sentence,
    /// Who did it: "shot by police" → "shot", "made by the board" → "made
    /// by the chief executive", "were killed" → "died".
    Agent,
    /// What something or someone is called: "clashes" → "massacre",
    /// "protesters" → "rioters", "damaged" → "destroyed", "tear gas" →
    /// "live ammunition".
    Characterization,
    /// Another thing of the same kind: "shot in the back" → "in the
    /// chest", "tested on mice" → "on humans", "profit" → "revenue", "the
    /// mayor" → "the governor".
    Detail,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Number => "number",
            Reason::Date => "date",
            Reason::Name => "name",
            Reason::Negation => "negation",
            Reason::Quote => "quote",
            Reason::Attribution => "attribution",
            Reason::Opposite => "opposite",
            Reason::Hedge => "hedge",
            Reason::LegalStatus => "legal_status",
            Reason::Sentence => "sentence",
            Reason::Agent => "agent",
            Reason::Characterization => "characterization",
            Reason::Detail => "detail",
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
/// version's article text, [`Document::text`](super::Document::text).
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

/// A change to one field of the document outside the article text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// Dotted path of the field: `title`, `bylines`, `canonical_url`,
    /// `claims.source[0].url`, `meta.article:published_time`,
    /// `json_ld[0].date_modified`, `images[2].caption`, `images[2]` (an
    /// image added or removed: before/after are its `src`), `links[3].href`,
    /// `links[3]` (a link of the article added or removed).
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub class: EditClass,
}

/// What a notice says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    Correction,
    Clarification,
    Update,
    EditorsNote,
}

impl NoticeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Correction => "correction",
            NoticeKind::Clarification => "clarification",
            NoticeKind::Update => "update",
            NoticeKind::EditorsNote => "editors_note",
        }
    }
}

/// A block recognised as a notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub kind: NoticeKind,
    /// The notice as written (the whole block).
    pub text: String,
    /// The date the notice states, `YYYY-MM-DD`, when it states one.
    pub date: Option<String>,
}

/// What happened to a notice between two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeAction {
    Added,
    Changed,
    Removed,
}

impl NoticeAction {
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeAction::Added => "added",
            NoticeAction::Changed => "changed",
            NoticeAction::Removed => "removed",
        }
    }
}

/// A notice added, changed or removed between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeChange {
    pub action: NoticeAction,
    /// The notice as it is now (as it was, when removed).
    pub notice: Notice,
    /// The old block's text (changed and removed notices).
    pub before: Option<String>,
    /// The new block's text (added and changed notices).
    pub after: Option<String>,
    /// Index of the old block, if there is one.
    pub old_block: Option<usize>,
    /// Index of the new block, if there is one.
    pub new_block: Option<usize>,
}
