//! Words that qualify a claim without being its facts:
//!
//! * **a hedge** ("may", "possibly", "is believed to", "suspected") added
//!   where the other side has none, or removed: "was arrested" → "may have
//!   been arrested" turns a fact into a possibility. One hedge for another
//!   ("might" → "may") is not a change of certainty.
//! * **a number's qualifier** ("at least", "nearly", "more than", "up
//!   to") added, removed or changed next to a number: "killed 50" →
//!   "killed at least 50" changes the figure an article reports, though no
//!   digit changed.
//!
//! Like opposites, only a local edit counts (each side of at most
//! [`super::opposites::MAX_WORDS`] words).

use std::borrow::Cow;
use std::ops::Range;

use super::words::for_each_word;

/// Words that make a claim less than certain, or less than whole
/// ("largely", "partly"). Not "possible", "expected",
/// "potential" or "apparent": as adjectives ("the best possible outcome",
/// "as expected") they hedge nothing; "appeared" only before "to"
/// ([`HEDGES_BEFORE_TO`]).
const HEDGES: &[&str] = &[
    "may",
    "might",
    "could",
    "possibly",
    "probably",
    "perhaps",
    "maybe",
    "apparently",
    "presumably",
    "seemingly",
    "seems",
    "seem",
    "seemed",
    "suspected",
    "suspect",
    "believed",
    "likely",
    "unlikely",
    "potentially",
    "unconfirmed",
    "unclear",
    "uncertain",
    "rumored",
    "rumoured",
    // Degree: "responsible" → "largely responsible" claims less.
    "largely",
    "partly",
    "partially",
    "mostly",
    "mainly",
    "primarily",
    "somewhat",
];

/// Words that qualify a number ("at least 50", "nearly half", "50 or
/// more"), by what they say of it.
const NUMBER_QUALIFIERS: &[(&str, Bound)] = &[
    ("about", Bound::Approximate),
    ("around", Bound::Approximate),
    ("roughly", Bound::Approximate),
    ("approximately", Bound::Approximate),
    ("some", Bound::Approximate),
    ("estimated", Bound::Approximate),
    ("least", Bound::AtLeast),
    ("more", Bound::AtLeast),
    ("over", Bound::AtLeast),
    ("above", Bound::AtLeast),
    ("beyond", Bound::AtLeast),
    ("upwards", Bound::AtLeast),
    ("plus", Bound::AtLeast),
    ("most", Bound::AtMost),
    ("up", Bound::AtMost),
    ("under", Bound::AtMost),
    ("below", Bound::AtMost),
    ("less", Bound::AtMost),
    ("fewer", Bound::AtMost),
    ("many", Bound::AtMost),
    ("much", Bound::AtMost),
    ("nearly", Bound::Nearly),
    ("almost", Bound::Nearly),
    ("close", Bound::Nearly),
    ("exactly", Bound::Exactly),
    ("precisely", Bound::Exactly),
    ("only", Bound::Only),
    ("just", Bound::Only),
    ("barely", Bound::Only),
    ("mere", Bound::Only),
    ("additional", Bound::Added),
    ("another", Bound::Added),
    ("extra", Bound::Added),
];

/// Words that only join a qualifier to its number ("more *than*", "*at*
/// least", "up *to*", "*as* many *as*").
const JOINERS: &[&str] = &["than", "at", "to", "as", "or", "an", "a", "well", "of"];

/// What a qualifier says of its number.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Bound {
    Approximate,
    AtLeast,
    AtMost,
    Nearly,
    Exactly,
    Only,
    Added,
}

/// The bounds a side's words state (sorted, once each), or `None` when a
/// word is neither a qualifier nor a joiner.
fn bounds(words: &[Cow<'_, str>]) -> Option<Vec<Bound>> {
    let mut out = Vec::new();
    for w in words {
        match NUMBER_QUALIFIERS.iter().find(|(q, _)| *q == w.as_ref()) {
            Some(&(_, b)) => out.push(b),
            None if JOINERS.contains(&w.as_ref()) => {}
            None => return None,
        }
    }
    out.sort_unstable();
    out.dedup();
    Some(out)
}

/// Verbs that hedge only before "to": "appeared to flee", not "appeared
/// in court".
const HEDGES_BEFORE_TO: &[&str] = &["appear", "appears", "appeared"];

/// Whether words hold a hedge.
fn hedges(words: &[Cow<'_, str>]) -> bool {
    words.iter().enumerate().any(|(i, w)| {
        HEDGES.contains(&w.as_ref())
            || (HEDGES_BEFORE_TO.contains(&w.as_ref())
                && words.get(i + 1).is_some_and(|n| n == "to"))
    })
}

/// True when one side of an edit (its changed words in lower case) has a
/// hedge and the other none.
pub(crate) fn hedge_changed(old: &[Cow<'_, str>], new: &[Cow<'_, str>]) -> bool {
    hedges(old) != hedges(new)
}

/// True when the edit's changed words (`old_words`, `new_words`, in lower
/// case, of the ranges of `old` and `new`: a text and the range that
/// changed) are a number's qualifiers and their joiners, the two sides say
/// different things of the number ("about" → "around" says the same), and
/// a number stands right next to the change on either side: `is_number`
/// tells a number word.
pub(crate) fn qualifies_number(
    (old_words, new_words): (&[Cow<'_, str>], &[Cow<'_, str>]),
    old: (&str, Range<usize>),
    new: (&str, Range<usize>),
    is_number: impl Fn(&str) -> bool,
) -> bool {
    let (Some(a), Some(b)) = (bounds(old_words), bounds(new_words)) else {
        return false;
    };
    if a == b {
        return false;
    }
    number_beside(&[old, new], is_number)
}

/// Whether a number (digits, or a word `is_number` tells) stands right
/// before or after the changed range of one of the sides (a text and the
/// range that changed).
pub(super) fn number_beside(
    sides: &[(&str, Range<usize>)],
    is_number: impl Fn(&str) -> bool,
) -> bool {
    let numeric =
        |w: Option<&str>| w.is_some_and(|w| w.bytes().any(|b| b.is_ascii_digit()) || is_number(w));
    sides.iter().any(|(text, range)| {
        let after = text.get(range.end..).unwrap_or("");
        let before = text.get(..range.start).unwrap_or("");
        numeric(first_word(after).as_deref()) || numeric(last_word(before).as_deref())
    })
}

/// The first word of a text, in lower case, if nothing but spaces comes
/// before it; past an article ("nearly *a* million", "more than *a*
/// dozen").
fn first_word(text: &str) -> Option<String> {
    let trimmed = text.trim_start();
    let mut words = Vec::new();
    let mut next = 0;
    for_each_word(trimmed, |off, w| {
        if words.len() < 2
            && trimmed
                .get(next..off)
                .is_some_and(|gap| gap.trim().is_empty())
        {
            words.push(w.to_lowercase());
            next = off + w.len();
        }
    });
    match words.as_slice() {
        [a, b] if a == "a" || a == "an" => Some(b.clone()),
        [a, ..] => Some(a.clone()),
        [] => None,
    }
}

/// The last word of a text, in lower case, if nothing but spaces comes
/// after it.
fn last_word(text: &str) -> Option<String> {
    let trimmed = text.trim_end();
    let mut last = None;
    for_each_word(trimmed, |off, w| {
        if off + w.len() == trimmed.len() {
            last = Some(w.to_lowercase());
        }
    });
    last
}

#[cfg(test)]
mod tests {
    use super::super::opposites::MAX_WORDS;
    use super::super::words::lower_words;
    use super::*;

    fn words(s: &str) -> Vec<Cow<'_, str>> {
        lower_words(s, MAX_WORDS).unwrap_or_default()
    }

    fn hedge_changed(old: &str, new: &str) -> bool {
        super::super::on_words(old, new, super::hedge_changed)
    }

    fn number_word(w: &str) -> bool {
        matches!(w, "half" | "dozens" | "fifty" | "million")
    }

    /// `old` and `new` with the changed part in brackets.
    fn qualifies(old: &str, new: &str) -> bool {
        let cut = |s: &str| {
            let a = s.find('[').unwrap_or(0);
            let b = s.find(']').unwrap_or(0);
            let text = format!("{}{}{}", &s[..a], &s[a + 1..b], &s[b + 1..]);
            (text, a..b - 1)
        };
        let ((o, or), (n, nr)) = (cut(old), cut(new));
        let (ow, nw) = (words(&o[or.clone()]), words(&n[nr.clone()]));
        qualifies_number((&ow, &nw), (&o, or), (&n, nr), number_word)
    }

    #[test]
    fn number_qualifiers() {
        assert!(qualifies(
            "killed [] 50 people",
            "killed [at least ]50 people"
        ));
        assert!(qualifies("killed [nearly ]50", "killed [more than ]50"));
        assert!(qualifies("[about ]half of them", "[]half of them"));
        assert!(qualifies("50[] were hurt", "50[ or more] were hurt"));
        assert!(qualifies("[some ]fifty", "[]fifty"));
        assert!(qualifies("[as many as ]50", "[]50"));
        assert!(qualifies(
            "have [more than] a million",
            "have [nearly] a million"
        ));
        // The same bound in other words.
        assert!(!qualifies("[about ]50", "[around ]50"));
        assert!(!qualifies("[more than ]50", "[over ]50"));
        // Not a qualifier, or no number beside it.
        assert!(!qualifies(
            "killed [] 50 people",
            "killed [protesters and ]50 people"
        ));
        assert!(!qualifies("went [] home", "went [at least ]home"));
        assert!(!qualifies("[] 50 people", "[] 50 people"));
    }

    #[test]
    fn hedges() {
        assert!(hedge_changed("was arrested", "may have been arrested"));
        assert!(hedge_changed("is believed to have", "has"));
        assert!(hedge_changed("will", "could"));
        assert!(!hedge_changed("might", "may"));
        assert!(!hedge_changed(
            "the best possible outcome",
            "the best outcome"
        ));
        assert!(!hedge_changed("appeared in court", "was in court"));
        assert!(hedge_changed("appeared to have fled", "fled"));
        assert!(!hedge_changed("as expected", "as predicted"));
        assert!(!hedge_changed("quickly", "rapidly"));
        // A rewrite is not a local edit.
        assert!(!hedge_changed(
            "the council may vote on the plan next week after hearing from residents",
            "the council votes"
        ));
    }
}
