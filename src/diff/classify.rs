//! Edit classes: `cosmetic`, `minor`, `substantive`.
//!
//! The rules (also in the README):
//!
//! * **cosmetic**: the two sides are equal once folded (Unicode NFC,
//!   whitespace collapsed, typographic quotes, dashes and ellipses written as
//!   ASCII), or equal apart from letter case.
//! * **substantive**: otherwise, when a changed word (on either side) is a
//!   number (has a digit, or is a number word such as "dozens"), a date word
//!   (month, weekday), a negation ("not", "no", "never", "…n't", …), a name (a
//!   capitalised word that does not merely start a sentence with a common
//!   word), an attribution ("said", "told", "according", "reportedly", …:
//!   who stands behind a claim), or when the change touches quoted speech
//!   (it lies between quotation marks, or adds or removes one), or when it
//!   puts a word's opposite in its place ("oldest" → "newest", "legal" →
//!   "illegal": see [`super::opposites`]), adds or removes a hedge ("may",
//!   "is believed to"), or qualifies a number ("at least 50": see
//!   [`super::qualifiers`]), or changes someone's legal status ("arrested"
//!   → "charged": see [`super::legal`]). Size does not matter.
//! * **minor**: everything else.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use super::words::lower_words;
use crate::extract::normalize::fold;
pub use crate::model::diff::{EditClass, Reason};

/// Number words: zero to nineteen, then the tens twenty to ninety, in
/// order (see [`number_value`]), then words of magnitude and quantity.
pub(super) const NUMBER_WORDS: &[&str] = &[
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "million",
    "millions",
    "billion",
    "billions",
    "trillion",
    "trillions",
    "dozen",
    "dozens",
    "score",
    "scores",
    "half",
    "once",
    "twice",
    "thrice",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "single",
    "double",
    "triple",
    "percent",
    "several",
    "few",
    "many",
    "most",
    "all",
    "none",
    "some",
    "majority",
    "minority",
];

const DATE_WORDS: &[&str] = &[
    "january",
    "february",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "yesterday",
    "today",
    "tomorrow",
    "tonight",
];

/// The value of a number word from "zero" to "ninety" ([`NUMBER_WORDS`]'s
/// order), and whether it is a ten (it combines with a unit: "twenty-two").
pub(super) fn number_value(word: &str) -> Option<(usize, bool)> {
    match NUMBER_WORDS.iter().position(|w| *w == word)? {
        unit @ 0..=19 => Some((unit, false)),
        ten @ 20..=27 => Some(((ten - 18) * 10, true)),
        _ => None,
    }
}

/// Month names that are also common words: a date only when capitalised.
const CAPITALISED_DATE_WORDS: &[&str] = &["march", "may"];

const NEGATIONS: &[&str] = &[
    "not", "no", "never", "none", "nobody", "nothing", "nowhere", "neither", "nor", "cannot",
    "without", "hardly", "barely", "scarcely", "deny", "denied", "denies", "false", "untrue",
];

/// Words that place a time relative to now, before a unit of time or a
/// date word: "next month" → "last month" is another date.
const RELATIVE_TIMES: &[&str] = &[
    "next",
    "last",
    "this",
    "previous",
    "past",
    "coming",
    "following",
    "upcoming",
    "earlier",
    "later",
    "ago",
];

/// Units of time: after a relative word or a number ("next week", "two
/// years") they are a date or a duration.
const TIME_UNITS: &[&str] = &[
    "minute",
    "minutes",
    "hour",
    "hours",
    "day",
    "days",
    "night",
    "nights",
    "morning",
    "afternoon",
    "evening",
    "week",
    "weeks",
    "weekend",
    "month",
    "months",
    "quarter",
    "season",
    "spring",
    "summer",
    "autumn",
    "fall",
    "winter",
    "year",
    "years",
    "decade",
    "decades",
    "century",
];

/// Words that say who stands behind a claim: adding ", officials said" or
/// turning "said" into "claimed" changes what the article asserts. Two
/// lists, one flag ([`ATTRIBUTION`]): the verbs that follow their speaker
/// ("the mayor said", see [`speaker`]), and the words that follow anything
/// ("the alleged", "has reportedly", "according to").
pub(super) const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "claimed",
    "claims",
    "claiming",
    "stated",
    "asserted",
    "insisted",
    "contended",
    "testified",
    "acknowledged",
    "admitted",
    "confirmed",
    "announced",
];
const OTHER_ATTRIBUTIONS: &[&str] = &[
    "saying",
    "according",
    "alleged",
    "alleges",
    "allegedly",
    "reportedly",
    "purportedly",
    "supposedly",
];

/// Common words that start sentences: capitalised there without being names.
const SENTENCE_STARTERS: &[&str] = &[
    "a",
    "an",
    "the",
    "this",
    "that",
    "these",
    "those",
    "it",
    "its",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "his",
    "her",
    "their",
    "our",
    "my",
    "your",
    "in",
    "on",
    "at",
    "by",
    "for",
    "from",
    "of",
    "to",
    "with",
    "as",
    "after",
    "before",
    "during",
    "since",
    "until",
    "while",
    "when",
    "where",
    "what",
    "which",
    "who",
    "why",
    "how",
    "if",
    "but",
    "and",
    "or",
    "so",
    "yet",
    "still",
    "also",
    "then",
    "there",
    "here",
    "now",
    "some",
    "many",
    "most",
    "all",
    "each",
    "every",
    "such",
    "other",
    "another",
    "one",
    "both",
    "however",
    "meanwhile",
    "instead",
    "although",
    "though",
    "because",
    "even",
    "only",
    "just",
    "perhaps",
    "moreover",
    "indeed",
    "ahead",
    "prior",
    "comments",
    "correction",
    "update",
    "editor",
    "note",
];

/// Quotation marks that open, close, or do both (straight quotes).
const OPEN_QUOTES: &[char] = &['\u{201C}', '\u{201E}', '\u{00AB}'];
const CLOSE_QUOTES: &[char] = &['\u{201D}', '\u{00BB}'];
const STRAIGHT_QUOTE: char = '"';

/// Positions of the quotation marks of a text, to tell in O(log n) whether
/// a position lies inside quoted speech.
#[derive(Debug, Default)]
pub(crate) struct QuoteIndex {
    opens: Vec<usize>,
    closes: Vec<usize>,
    straight: Vec<usize>,
}

impl QuoteIndex {
    pub(crate) fn new(text: &str) -> Self {
        // A byte scan: every quotation mark is `"` or starts with 0xE2
        // (U+201C..U+201E) or 0xC2 (U+00AB, U+00BB).
        let mut q = QuoteIndex::default();
        let b = text.as_bytes();
        let mut i = 0;
        while let Some(k) = memchr::memchr3(b'"', 0xE2, 0xC2, &b[i..]) {
            let at = i + k;
            i = at + 1;
            let c = text.get(at..).and_then(|t| t.chars().next());
            match c {
                Some(c) if OPEN_QUOTES.contains(&c) => q.opens.push(at),
                Some(c) if CLOSE_QUOTES.contains(&c) => q.closes.push(at),
                Some(STRAIGHT_QUOTE) => q.straight.push(at),
                _ => {}
            }
        }
        q
    }

    /// True when a quotation mark starts in the byte range `r` (that is,
    /// lies in it: `r` is cut at char boundaries).
    fn any_in(&self, r: &Range<usize>) -> bool {
        [&self.opens, &self.closes, &self.straight]
            .iter()
            .any(|at| {
                at.get(at.partition_point(|&p| p < r.start))
                    .is_some_and(|&p| p < r.end)
            })
    }

    /// True when byte position `pos` is inside a quotation.
    fn inside(&self, pos: usize) -> bool {
        if self.opens.is_empty() && self.straight.is_empty() {
            return false;
        }
        let opens = self.opens.partition_point(|&p| p < pos);
        let closes = self.closes.partition_point(|&p| p < pos);
        let straight = self.straight.partition_point(|&p| p < pos);
        opens > closes || straight % 2 == 1
    }
}

/// One side of an edit: the whole block text, its quote index (of `text`)
/// and the byte range that changed.
pub(crate) struct SideRef<'a> {
    pub text: &'a str,
    pub quotes: &'a QuoteIndex,
    pub range: Range<usize>,
}

/// An edit's class and, when substantive, why.
pub(crate) type Classed = (EditClass, Vec<Reason>);

/// Classifies an edit from its two sides (either may be an empty range).
pub(crate) fn classify(old: &SideRef<'_>, new: &SideRef<'_>) -> Classed {
    let before = old.text.get(old.range.clone()).unwrap_or("");
    let after = new.text.get(new.range.clone()).unwrap_or("");
    if is_cosmetic(before, after) {
        return (EditClass::Cosmetic, Vec::new());
    }
    // The rules of a local edit, on its changed words in lower case.
    let local = |text| lower_words(text, super::opposites::MAX_WORDS);
    let words = (local(before), local(after));
    if words.0.is_some() && words.1.is_some() && super::style::same_in_style(before, after) {
        return (EditClass::Minor, Vec::new());
    }
    let mut reasons = Vec::new();
    scan(old, &mut reasons);
    scan(new, &mut reasons);
    if let (Some(o), Some(n)) = words {
        if super::opposites::reverses(&o, &n) {
            reasons.push(Reason::Opposite);
        }
        if super::qualifiers::hedge_changed(&o, &n) {
            reasons.push(Reason::Hedge);
        }
        if super::legal::status_changed(&o, &n) {
            reasons.push(Reason::LegalStatus);
        }
        if super::agent::killing_became_death(&o, &n) {
            reasons.push(Reason::Agent);
        }
        // Terms of other classes (see `terms`), each lexicon asked only
        // when both sides' changed words hold a word of its terms.
        let sides = || ((old.text, old.range.clone()), (new.text, new.range.clone()));
        for (lexicon, reason) in [
            (&*super::characterization::LEXICON, Reason::Characterization),
            (&*super::details::LEXICON, Reason::Detail),
        ] {
            if lexicon.touches_both(&o, &n) && {
                let (a, b) = sides();
                lexicon.other_classes(a, b)
            } {
                reasons.push(reason);
            }
        }
        if !reasons.contains(&Reason::Attribution)
            && super::sources::LEXICON.touches_both(&o, &n)
            && {
                let (a, b) = sides();
                super::sources::source_changed(a, b)
            }
        {
            reasons.push(Reason::Attribution);
        }
        if !reasons.contains(&Reason::Number)
            && super::qualifiers::qualifies_number(
                (&o, &n),
                (old.text, old.range.clone()),
                (new.text, new.range.clone()),
                |w| listed(w) & NUMBER != 0,
            )
        {
            reasons.push(Reason::Number);
        }
    }
    if !reasons.contains(&Reason::LegalStatus)
        && (super::legal::attempt_changed(
            (old.text, old.range.clone()),
            (new.text, new.range.clone()),
        ) || super::legal::plea_changed(
            (old.text, old.range.clone()),
            (new.text, new.range.clone()),
        ))
    {
        reasons.push(Reason::LegalStatus);
    }
    if !reasons.contains(&Reason::Number)
        && super::units::unit_changed(
            (old.text, old.range.clone()),
            (new.text, new.range.clone()),
            |w| listed(w) & NUMBER != 0,
        )
    {
        reasons.push(Reason::Number);
    }
    if !reasons.contains(&Reason::Agent)
        && super::agent::agent_changed(
            (old.text, old.range.clone()),
            (new.text, new.range.clone()),
            |w| listed(w) & (NUMBER | DATE | CAPITALISED_DATE | RELATIVE_TIME | TIME_UNIT) != 0,
        )
        && !super::characterization::LEXICON
            .same_terms((old.text, old.range.clone()), (new.text, new.range.clone()))
    {
        reasons.push(Reason::Agent);
    }
    if is_sentence(before, after) || is_sentence(after, before) {
        reasons.push(Reason::Sentence);
    }
    verdict(reasons)
}

/// True when `text` is one or more whole sentences (from a capital to a
/// full stop, question or exclamation mark; two words at least, not an
/// abbreviation such as "Inc.") and `other` is nothing: a statement added
/// or removed.
fn is_sentence(text: &str, other: &str) -> bool {
    const OPENING: &[char] = &['"', '\'', '\u{201c}', '\u{2018}', '(', '['];
    const CLOSING: &[char] = &['"', '\'', '\u{201d}', '\u{2019}', ')', ']'];
    if !other.trim().is_empty() {
        return false;
    }
    let text = text.trim();
    let starts = text
        .trim_start_matches(OPENING)
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_numeric());
    let ends = text
        .trim_end_matches(CLOSING)
        .ends_with(['.', '!', '?', '\u{2026}']);
    starts && ends && text.split_whitespace().nth(1).is_some()
}

/// A change that is not cosmetic: substantive for its reasons (sorted),
/// minor without any.
fn verdict(mut reasons: Vec<Reason>) -> Classed {
    reasons.sort_unstable();
    reasons.dedup();
    if reasons.is_empty() {
        (EditClass::Minor, reasons)
    } else {
        (EditClass::Substantive, reasons)
    }
}

/// Equal once folded, or equal apart from case.
pub(crate) fn is_cosmetic(before: &str, after: &str) -> bool {
    if before.is_ascii() && after.is_ascii() {
        return ascii_cosmetic(before, after);
    }
    let (a, b) = (fold(before), fold(after));
    a == b || a.to_lowercase() == b.to_lowercase()
}

/// [`is_cosmetic`] of two ASCII texts without allocating: for ASCII, folding
/// only collapses and trims whitespace and makes a run of hyphens one (and
/// drops nothing else), so the test is equality of the texts so collapsed,
/// ignoring case. Stops at the first difference, so a rewrite of a huge
/// block costs nothing.
fn ascii_cosmetic(a: &str, b: &str) -> bool {
    fn collapsed(s: &str) -> impl Iterator<Item = u8> + '_ {
        // `char::is_whitespace` on ASCII: TAB, LF, VT, FF, CR, space.
        s.split(|c: char| matches!(c, '\t'..='\r' | ' '))
            .filter(|w| !w.is_empty())
            .enumerate()
            .flat_map(|(k, w)| (k > 0).then_some(b' ').into_iter().chain(w.bytes()))
            .scan(0u8, |previous, c| {
                let repeat = c == b'-' && *previous == b'-';
                *previous = c;
                Some((!repeat).then_some(c))
            })
            .flatten()
    }
    collapsed(a)
        .map(|c| c.to_ascii_lowercase())
        .eq(collapsed(b).map(|c| c.to_ascii_lowercase()))
}

/// The class of a block inserted or deleted whole: [`classify`] of its
/// text against nothing. Calls `each_word` with each of the block's words,
/// in order, on the same pass (signatures are made of them).
pub(crate) fn whole_class(text: &str, each_word: impl FnMut(&str)) -> Classed {
    let quotes = QuoteIndex::new(text);
    let side = SideRef {
        text,
        quotes: &quotes,
        range: 0..text.len(),
    };
    let mut reasons = Vec::new();
    // One call site of `each_word`, for the compiler to inline: the words
    // of a cosmetic block (one of blank space) are scanned too.
    scan_words(&side, &mut reasons, each_word);
    if is_cosmetic(text, "") {
        return (EditClass::Cosmetic, Vec::new());
    }
    if is_sentence(text, "") {
        reasons.push(Reason::Sentence);
    }
    verdict(reasons)
}

fn scan(side: &SideRef<'_>, reasons: &mut Vec<Reason>) {
    scan_words(side, reasons, |_| {});
}

/// [`scan`], calling `each_word` with every word of the changed range.
fn scan_words(side: &SideRef<'_>, reasons: &mut Vec<Reason>, mut each_word: impl FnMut(&str)) {
    let Some(changed) = side.text.get(side.range.clone()) else {
        return;
    };
    if changed.is_empty() {
        return;
    }
    if side.quotes.inside(side.range.start) || side.quotes.any_in(&side.range) {
        push(reasons, Reason::Quote);
    }
    // An ASCII text has ASCII words: their rules go straight to the fast path.
    let ascii = changed.is_ascii();
    super::words::for_each_word(changed, |off, word| {
        each_word(word);
        // Every reason a word can give found already: nothing more to learn.
        if reasons.len() == 6 {
            return;
        }
        let pos = side.range.start + off;
        if side.quotes.inside(pos) {
            push(reasons, Reason::Quote);
        }
        let reason = if ascii {
            ascii_word_reason(side.text, pos, word.as_bytes())
        } else {
            word_reason(side.text, pos, word)
        };
        if let Some(r) = reason {
            push(reasons, r);
        }
    });
}

fn push(reasons: &mut Vec<Reason>, r: Reason) {
    if !reasons.contains(&r) {
        reasons.push(r);
    }
}

/// Which word lists a lower-case word is on: one lookup per word.
const NUMBER: u8 = 1;
const DATE: u8 = 2;
const CAPITALISED_DATE: u8 = 4;
const NEGATION: u8 = 8;
const STARTER: u8 = 16;
const ATTRIBUTION: u8 = 32;
const RELATIVE_TIME: u8 = 64;
const TIME_UNIT: u8 = 128;

/// Longest word on any list: a longer word is on none.
const LONGEST_LISTED: usize = 16;

/// Each list and its flag.
const LIST_FLAGS: [(&[&str], u8); 9] = [
    (NUMBER_WORDS, NUMBER),
    (DATE_WORDS, DATE),
    (CAPITALISED_DATE_WORDS, CAPITALISED_DATE),
    (NEGATIONS, NEGATION),
    (SENTENCE_STARTERS, STARTER),
    (SPEECH_VERBS, ATTRIBUTION),
    (OTHER_ATTRIBUTIONS, ATTRIBUTION),
    (RELATIVE_TIMES, RELATIVE_TIME),
    (TIME_UNITS, TIME_UNIT),
];

static LISTS: LazyLock<HashMap<&'static str, u8, super::FxBuild>> = LazyLock::new(|| {
    let mut m: HashMap<&'static str, u8, super::FxBuild> = HashMap::default();
    for (words, flag) in LIST_FLAGS {
        for w in words {
            *m.entry(w).or_default() |= flag;
        }
    }
    m
});

/// Where a word's (first byte, last byte, length) falls in [`SHAPES`].
fn shape(b: &[u8]) -> Option<usize> {
    let (&first, &last) = (b.first()?, b.last()?);
    (b.len() <= LONGEST_LISTED).then(|| shape_index(first, last, b.len()))
}

const fn shape_index(first: u8, last: u8, len: usize) -> usize {
    ((first & 31) as usize * 32 + (last & 31) as usize) * (LONGEST_LISTED + 1) + len
}

/// The shapes of the listed words, one bit each (built at compile time):
/// most words are ruled out by a bit test before any hashing.
static SHAPES: [u64; (32 * 32 * (LONGEST_LISTED + 1)).div_ceil(64)] = {
    let mut bits = [0u64; (32 * 32 * (LONGEST_LISTED + 1)).div_ceil(64)];
    let mut list = 0;
    while list < LIST_FLAGS.len() {
        let words = LIST_FLAGS[list].0;
        let mut w = 0;
        while w < words.len() {
            let b = words[w].as_bytes();
            if !b.is_empty() && b.len() <= LONGEST_LISTED {
                let k = shape_index(b[0], b[b.len() - 1], b.len());
                bits[k / 64] |= 1 << (k % 64);
            }
            w += 1;
        }
        list += 1;
    }
    bits
};

/// True when a word of this shape may be listed. The shape ignores ASCII
/// case (a letter's low five bits are the same in both cases).
#[inline]
fn may_be_listed(word: &[u8]) -> bool {
    shape(word).is_some_and(|k| SHAPES.get(k / 64).is_some_and(|w| w & (1 << (k % 64)) != 0))
}

/// The lists `lower` is on.
fn listed(lower: &str) -> u8 {
    if !may_be_listed(lower.as_bytes()) {
        return 0;
    }
    LISTS.get(lower).copied().unwrap_or(0)
}

/// The lists an ASCII word is on, whatever its case.
#[inline]
fn listed_ascii(word: &[u8]) -> u8 {
    if may_be_listed(word) {
        looked_up_ascii(word)
    } else {
        0
    }
}

/// [`listed_ascii`] past the shape test.
fn looked_up_ascii(word: &[u8]) -> u8 {
    let mut buf = [0u8; LONGEST_LISTED];
    let Some(lower) = buf.get_mut(..word.len()) else {
        return 0;
    };
    lower.copy_from_slice(word);
    lower.make_ascii_lowercase();
    std::str::from_utf8(lower).map_or(0, |l| LISTS.get(l).copied().unwrap_or(0))
}

fn word_reason(text: &str, pos: usize, word: &str) -> Option<Reason> {
    if word.is_ascii() {
        return ascii_word_reason(text, pos, word.as_bytes());
    }
    if word.chars().any(|c| c.is_numeric()) {
        return Some(Reason::Number);
    }
    let lower = word.to_lowercase();
    let lower = lower.as_str();
    let capitalised = word.chars().next().is_some_and(char::is_uppercase);
    let on = listed(lower);
    let stem = || {
        let stem = lower.trim_end_matches(['\'', '\u{2019}']);
        let stem_on = if stem.len() == lower.len() {
            on
        } else {
            listed(stem)
        };
        (
            stem_on,
            stem.ends_with("n't") || stem.ends_with("n\u{2019}t"),
        )
    };
    list_rules(on, stem, capitalised, text, pos, word.len(), || {
        super::common_words::is_common(lower.as_bytes())
    })
}

/// The rules of a word without digits, from the lists it is on (`on`): a
/// number word; a date word (some only when capitalised); a negation, by
/// its stem (the word without closing quotes: `stem` gives the lists the
/// stem is on and whether it ends in "n't"); an attribution; a capitalised
/// word, unless it starts a sentence and is a sentence starter or a common
/// word (`common`, see [`capital_is_name`]).
fn list_rules(
    on: u8,
    stem: impl FnOnce() -> (u8, bool),
    capitalised: bool,
    text: &str,
    pos: usize,
    len: usize,
    common: impl FnOnce() -> bool,
) -> Option<Reason> {
    if on & NUMBER != 0 {
        return Some(Reason::Number);
    }
    if on & DATE != 0 || (capitalised && on & CAPITALISED_DATE != 0) {
        return Some(Reason::Date);
    }
    let (stem_on, nt) = stem();
    if stem_on & NEGATION != 0 || nt {
        return Some(Reason::Negation);
    }
    if on & ATTRIBUTION != 0 {
        return Some(Reason::Attribution);
    }
    if on & (RELATIVE_TIME | TIME_UNIT) != 0 && in_time_phrase(on, text, pos, len) {
        return Some(Reason::Date);
    }
    capital_is_name(capitalised, text, pos, || on & STARTER != 0 || common())
        .or_else(|| speaker(text, pos, len))
}

/// Whether the word at `pos..pos + len` is a personal pronoun saying who
/// speaks: before an attribution ("he said", "she told", "they claimed").
/// Another word there is another source: "he said" → "she said", "he
/// said" → "officials said". A noun there is not judged: "Critics say" →
/// "Opponents say" is the same source reworded, "The mayor said" → "The
/// governor said" another, and the words alone do not tell them apart.
fn speaker(text: &str, pos: usize, len: usize) -> Option<Reason> {
    let word = text.get(pos..pos + len)?;
    if !PRONOUNS.iter().any(|p| word.eq_ignore_ascii_case(p)) {
        return None;
    }
    let after = next_word(text, pos + len);
    SPEECH_VERBS
        .iter()
        .any(|v| after.eq_ignore_ascii_case(v))
        .then_some(Reason::Attribution)
}

/// The personal pronouns that can say something (all on
/// [`SENTENCE_STARTERS`], so only listed words are asked).
const PRONOUNS: &[&str] = &["he", "she", "they", "we", "i", "it"];

/// Whether the word at `pos..pos + len` (on the lists `on`) is part of a
/// relative date or a duration: a relative word before a unit of time or a
/// date word ("next week", "last Tuesday") or after a unit ("two days
/// later", "years ago"), or a unit after a relative word or a number or
/// before a relative word ("next week", "two years", "months ago").
fn in_time_phrase(on: u8, text: &str, pos: usize, len: usize) -> bool {
    let word_on = |w: &str| listed(&w.to_lowercase());
    let (before, after) = (previous_word(text, pos), next_word(text, pos + len));
    let (on_before, on_after) = (word_on(before), word_on(after));
    let relative = on & RELATIVE_TIME != 0
        && (on_after & (TIME_UNIT | DATE | CAPITALISED_DATE) != 0 || on_before & TIME_UNIT != 0);
    // "fall" and "spring" are verbs too: "prices fall later" is no date.
    let verb = text
        .get(pos..pos + len)
        .is_some_and(|w| w.eq_ignore_ascii_case("fall") || w.eq_ignore_ascii_case("spring"));
    let unit = on & TIME_UNIT != 0
        && (on_before & (RELATIVE_TIME | NUMBER) != 0
            || before.bytes().any(|b| b.is_ascii_digit())
            || (!verb && on_after & RELATIVE_TIME != 0));
    relative || unit
}

/// The word (letters, digits, hyphens) starting after the spaces at `at`.
pub(super) fn next_word(text: &str, at: usize) -> &str {
    let rest = text.get(at..).unwrap_or("").trim_start();
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '-'))
        .unwrap_or(rest.len());
    &rest[..end]
}

/// The word (letters, digits, hyphens) ending before the spaces before `at`.
pub(super) fn previous_word(text: &str, at: usize) -> &str {
    let head = text.get(..at).unwrap_or("").trim_end();
    let start = head
        .rfind(|c: char| !(c.is_alphanumeric() || c == '-'))
        .map_or(0, |i| {
            i + head[i..].chars().next().map_or(1, char::len_utf8)
        });
    &head[start..]
}

/// A capitalised word is a name, unless it starts a sentence and is a
/// sentence starter or a common word (`common`: "Security was tight",
/// "Critics say"; not "Brown said", a name SCOWL lists).
fn capital_is_name(
    capitalised: bool,
    text: &str,
    pos: usize,
    common: impl FnOnce() -> bool,
) -> Option<Reason> {
    (capitalised && !currency_code(text, pos) && !(sentence_initial(text, pos) && common()))
        .then_some(Reason::Name)
}

/// Whether the word at `pos` is a currency's code before its amount
/// ("US$5", "A$5", "GBP 38", "USD 1.2 billion", "Rs 500"): house style,
/// no name.
fn currency_code(text: &str, pos: usize) -> bool {
    let word = next_word(text, pos);
    let rest = text.get(pos + word.len()..).unwrap_or("");
    let symbol = rest.starts_with(['$', '€', '£', '¥']);
    let amount = symbol
        || rest
            .strip_prefix(' ')
            .unwrap_or(rest)
            .starts_with(|c: char| c.is_ascii_digit());
    match word {
        "US" | "A" | "AU" | "C" | "CA" | "NZ" | "HK" | "S" | "R" | "NT" => symbol,
        "USD" | "AUD" | "CAD" | "NZD" | "HKD" | "SGD" | "GBP" | "EUR" | "JPY" | "CNY" | "RMB"
        | "CHF" | "INR" | "Rs" | "ZAR" | "MXN" | "BRL" => amount,
        _ => false,
    }
}

/// [`word_reason`] of an ASCII word, without copying it unless its shape
/// is that of a listed word. The same rules: for ASCII, lower-casing is
/// ASCII lower-casing, "numeric" is a digit, a closing quote is `'`.
#[inline(always)]
fn ascii_word_reason(text: &str, pos: usize, word: &[u8]) -> Option<Reason> {
    // Most words: at most sixteen bytes, tested eight at a time (zero
    // padding is in no range), and settled by a digit, or else by their
    // first letter when they are on no list and without an apostrophe (the
    // rules of `listed_word_reason`).
    if let Some((x, y)) = super::words::halves(word) {
        let any = |lo, hi| {
            (super::words::bytes_in_range(x, lo, hi) | super::words::bytes_in_range(y, lo, hi)) != 0
        };
        if any(b'0', b'9') {
            return Some(Reason::Number);
        }
        if !any(b'\'', b'\'') && !may_be_listed(word) {
            let capitalised = word.first().is_some_and(u8::is_ascii_uppercase);
            return capital_is_name(capitalised, text, pos, || {
                super::common_words::is_common(word)
            });
        }
    }
    listed_word_reason(text, pos, word)
}

/// [`ascii_word_reason`] of any ASCII word (longer than sixteen bytes,
/// listed, or with an apostrophe).
#[inline(never)]
fn listed_word_reason(text: &str, pos: usize, word: &[u8]) -> Option<Reason> {
    // One pass, no early exit: words are short.
    let (digit, apostrophe) = word.iter().fold((false, false), |(d, a), &b| {
        (d | b.is_ascii_digit(), a | (b == b'\''))
    });
    if digit {
        return Some(Reason::Number);
    }
    let capitalised = word.first().is_some_and(u8::is_ascii_uppercase);
    // Most words: on no list and without "n't", only a capital can make
    // them a reason (and then never a sentence starter, which is listed).
    let common = || super::common_words::is_common(word);
    if !apostrophe && !may_be_listed(word) {
        return capital_is_name(capitalised, text, pos, common);
    }
    let on = listed_ascii(word);
    let stem = || {
        let stem_len = word.len() - word.iter().rev().take_while(|&&b| b == b'\'').count();
        let stem = &word[..stem_len];
        let stem_on = if stem_len == word.len() {
            on
        } else {
            listed_ascii(stem)
        };
        let nt = stem_len >= 3 && stem[stem_len - 3..].eq_ignore_ascii_case(b"n't");
        (stem_on, nt)
    };
    list_rules(on, stem, capitalised, text, pos, word.len(), common)
}

/// True when the word at byte `pos` starts a sentence (or the block).
fn sentence_initial(text: &str, pos: usize) -> bool {
    let head = text.get(..pos).unwrap_or("").trim_end();
    match head.chars().next_back() {
        None => true,
        Some(c) => matches!(
            c,
            '.' | '!'
                | '?'
                | ':'
                | ';'
                | '"'
                | '\u{201C}'
                | '\u{201D}'
                | '('
                | '\u{2014}'
                | '\u{2013}'
                | '-'
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The quote index answers "does this range hold a quotation mark"
        /// as a scan of the range would.
        #[test]
        fn quote_index_finds_the_marks_of_a_range(
            s in "[a \"\u{201C}\u{201D}\u{201E}\u{AB}\u{BB}\u{2019}\u{C0}]{0,16}",
            from in 0usize..20,
            len in 0usize..20,
        ) {
            let cuts: Vec<usize> = s.char_indices().map(|(k, _)| k).chain([s.len()]).collect();
            let start = cuts[from % cuts.len()];
            let end = cuts[(from + len) % cuts.len()].max(start);
            let range = start..end;
            let part = &s[range.clone()];
            let scanned = part.contains(OPEN_QUOTES)
                || part.contains(CLOSE_QUOTES)
                || part.contains(STRAIGHT_QUOTE);
            proptest::prop_assert_eq!(QuoteIndex::new(&s).any_in(&range), scanned);
        }

        #[test]
        fn ascii_cosmetic_agrees_with_fold(a in "[aAbB \t\n\x0b\x0c\r\x1c.-]{0,12}", b in "[aAbB \t\n\x0b\x0c\r\x1c.-]{0,12}") {
            let (fa, fb) = (fold(&a), fold(&b));
            let slow = fa == fb || fa.to_lowercase() == fb.to_lowercase();
            proptest::prop_assert_eq!(ascii_cosmetic(&a, &b), slow);
        }
    }

    fn class_of(
        old: &str,
        o: Range<usize>,
        new: &str,
        n: Range<usize>,
    ) -> (EditClass, Vec<Reason>) {
        let (qo, qn) = (QuoteIndex::new(old), QuoteIndex::new(new));
        classify(
            &SideRef {
                text: old,
                quotes: &qo,
                range: o,
            },
            &SideRef {
                text: new,
                quotes: &qn,
                range: n,
            },
        )
    }

    /// The general rules, whatever the text (the ASCII path's reference).
    fn general_word_reason(text: &str, pos: usize, word: &str) -> Option<Reason> {
        if word.chars().any(|c| c.is_numeric()) {
            return Some(Reason::Number);
        }
        let lower = word.to_lowercase();
        let capitalised = word.chars().next().is_some_and(char::is_uppercase);
        let on = LISTS.get(lower.as_str()).copied().unwrap_or(0);
        if on & NUMBER != 0 {
            return Some(Reason::Number);
        }
        if on & DATE != 0 || (capitalised && on & CAPITALISED_DATE != 0) {
            return Some(Reason::Date);
        }
        let stem = lower.trim_end_matches(['\'', '\u{2019}']);
        let stem_on = LISTS.get(stem).copied().unwrap_or(0);
        if stem_on & NEGATION != 0 || stem.ends_with("n't") || stem.ends_with("n\u{2019}t") {
            return Some(Reason::Negation);
        }
        if on & ATTRIBUTION != 0 {
            return Some(Reason::Attribution);
        }
        if on & (RELATIVE_TIME | TIME_UNIT) != 0 && in_time_phrase(on, text, pos, word.len()) {
            return Some(Reason::Date);
        }
        let common = on & STARTER != 0 || super::super::common_words::is_common(lower.as_bytes());
        if capitalised && !currency_code(text, pos) && !(common && sentence_initial(text, pos)) {
            return Some(Reason::Name);
        }
        speaker(text, pos, word.len())
    }

    proptest::proptest! {
        #[test]
        fn ascii_words_follow_the_general_rules(
            head in "[a-z .]{0,6}",
            word in proptest::sample::select(vec![
                "not", "NOT", "Not", "isn't", "ISN'T", "dozens", "Dozens", "May", "may", "March",
                "The", "the", "Beijing", "x2", "2019", "none'", "never''", "today", "Comments",
                "writers", "a", "I", "nor", "n't", "wasn't'", "Seventeen", "sept", "SEPT",
                "said", "Says", "SaY", "Security", "Critics", "Brown", "Meanwhile",
            ]),
        ) {
            let text = format!("{head}{word}");
            let pos = head.len();
            proptest::prop_assert_eq!(word_reason(&text, pos, word), general_word_reason(&text, pos, word), "{:?}", word);
        }

        /// Random ASCII words too: letters of either case, digits,
        /// apostrophes, listed words among them by chance or by case.
        #[test]
        fn random_ascii_words_follow_the_general_rules(
            head in "[a-z .]{0,6}",
            word in "[a-zA-Z0-9']{1,9}|(?i:not|no|none|dozens?|may|march|sept|the|isn't|won't|today)'{0,2}",
        ) {
            let text = format!("{head}{word}");
            let pos = head.len();
            proptest::prop_assert_eq!(word_reason(&text, pos, &word), general_word_reason(&text, pos, &word), "{:?}", word);
        }
    }

    #[test]
    fn every_listed_word_is_found() {
        for (words, flag) in LIST_FLAGS {
            for w in words {
                assert!(w.len() <= LONGEST_LISTED, "{w}");
                assert_ne!(listed(w) & flag, 0, "{w}");
            }
        }
        assert_eq!(listed("writers"), 0);
    }

    /// A whole sentence added or removed is a statement; a fragment, a
    /// label or a word is not, and the opening word of a sentence that is
    /// a common word is no name.
    #[test]
    fn sentences_and_openings() {
        let t = "The vote was close. Security was tight at the meeting.";
        let whole = 19..t.len();
        assert_eq!(
            class_of(t, whole.clone(), "The vote was close.", 19..19),
            (EditClass::Substantive, vec![Reason::Sentence])
        );
        assert_eq!(
            class_of("The vote was close.", 19..19, t, whole),
            (EditClass::Substantive, vec![Reason::Sentence])
        );
        assert_eq!(
            whole_class("\u{201c}We will not stop.\u{201d}", |_| {}).1,
            [Reason::Negation, Reason::Quote, Reason::Sentence]
        );
        for fragment in [
            "and the budget",
            "Advertisement",
            "was tight.",
            "Read more",
            "Inc.",
        ] {
            let (_, reasons) = whole_class(fragment, |_| {});
            assert!(!reasons.contains(&Reason::Sentence), "{fragment}");
        }
        let (a, b) = ("Security was tight.", "Safety was tight.");
        assert_eq!(class_of(a, 0..8, b, 0..6).0, EditClass::Minor);
        let (a, b) = ("Brown said so.", "Green said so.");
        assert_eq!(
            class_of(a, 0..5, b, 0..5),
            (EditClass::Substantive, vec![Reason::Name])
        );
    }

    #[test]
    fn cosmetic_changes() {
        assert_eq!(
            class_of("didn\u{2019}t", 0..8, "didn't", 0..6).0,
            EditClass::Cosmetic
        );
        assert_eq!(class_of("a  b", 0..4, "a b", 0..3).0, EditClass::Cosmetic);
        assert_eq!(
            class_of("Soft Power", 0..10, "soft power", 0..10).0,
            EditClass::Cosmetic
        );
        assert_eq!(
            class_of("a\u{2014}b", 0..5, "a-b", 0..3).0,
            EditClass::Cosmetic
        );
        // A typographer's dash for the hyphens typed, and back.
        assert!(is_cosmetic("a mistake -- and", "a mistake \u{2014} and"));
        assert!(is_cosmetic("a mistake -- and", "A mistake - and"));
        assert!(!is_cosmetic("a mistake -- and", "a mistake, and"));
    }

    #[test]
    fn a_currency_code_before_its_amount_is_no_name() {
        assert_eq!(
            class_of("cost $5 now", 5..5, "cost US$5 now", 5..7),
            (EditClass::Minor, vec![])
        );
        assert_eq!(
            class_of("cost £38 now", 5..7, "cost GBP 38 now", 5..9),
            (EditClass::Minor, vec![])
        );
        // Elsewhere a code is a name: another country, another currency.
        assert_eq!(
            class_of("the US said", 4..6, "the UK said", 4..6),
            (EditClass::Substantive, vec![Reason::Name])
        );
        assert_eq!(
            class_of("cost USD 5 now", 5..8, "cost EUR 5 now", 5..8).0,
            EditClass::Substantive
        );
    }

    #[test]
    fn substantive_markers() {
        let t = "seen dozens of writers";
        let u = "seen hundreds of writers";
        assert_eq!(
            class_of(t, 5..11, u, 5..13),
            (EditClass::Substantive, vec![Reason::Number])
        );
        assert_eq!(
            class_of("in 2004 in", 3..7, "in 2005 in", 3..7).1,
            vec![Reason::Number]
        );
        assert_eq!(
            class_of("he did go", 3..6, "he did not go", 3..10).1,
            vec![Reason::Negation]
        );
        assert_eq!(
            class_of("met Hom", 4..7, "met Lee", 4..7).1,
            vec![Reason::Name]
        );
        assert_eq!(
            class_of("on Tuesday", 3..10, "on Monday", 3..9).1,
            vec![Reason::Date]
        );
        let q = "said \u{201C}it was fine\u{201D} today";
        let r = "said \u{201C}it was good\u{201D} today";
        assert_eq!(class_of(q, 15..19, r, 15..19).1, vec![Reason::Quote]);
    }

    #[test]
    fn opposites_are_substantive() {
        let t = "one of the oldest oceanariums";
        let u = "one of the newest oceanariums";
        assert_eq!(
            class_of(t, 11..17, u, 11..17),
            (EditClass::Substantive, vec![Reason::Opposite])
        );
        // With another reason: both, sorted.
        assert_eq!(
            class_of("it rose 5%", 3..7, "it fell 5%", 3..7).1,
            vec![Reason::Opposite]
        );
        assert_eq!(
            class_of("Sales rose 5%", 6..12, "Sales fell 4%", 6..12).1,
            vec![Reason::Number, Reason::Opposite]
        );
    }

    #[test]
    fn minor_wording() {
        assert_eq!(
            class_of("spent lavishly", 6..14, "spent heavily", 6..13).0,
            EditClass::Minor
        );
        // A common word starting a sentence is not a name.
        assert_eq!(
            class_of("x. The cat", 3..6, "x. A cat", 3..4).0,
            EditClass::Minor
        );
    }
}
