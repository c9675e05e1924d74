//! Terms: what an article calls a thing, sorted into classes that say
//! different things about it. An edit that puts a term of one class where
//! another class's stood ("clashes" → "massacre", "police said" →
//! "witnesses said") changes the claim; one that swaps terms of one class
//! ("militants" → "fighters") rewords it.
//!
//! A [`Lexicon`] is a list of domains (what is named: an event of
//! violence, an armed group, a source), each a list of classes, each the
//! forms of its terms written out (no stemmer), separated by spaces, with
//! `_` between the words of a term of several ("tear_gas"; a hyphen, as in
//! "sit-in", parts words too, as the diff's word splitting does). A form may be
//! in several domains ("killings": an event, a manner of death).
//!
//! [`Lexicon::named`] finds the terms of an edit's side: the longest term
//! at each word of the text around the change, kept when it overlaps the
//! change, so "rubber bullets" → "live bullets" reads two whole terms
//! although only one word changed.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::words::{for_each_word, head, tail};
use super::FxBuild;

/// Bytes read on each side of a change for the rest of its terms.
const NEAR: usize = 48;

/// Where a term is in a lexicon: its domain and its class in the domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Place {
    pub domain: u16,
    pub class: u16,
}

/// A term found in a text: where it is listed, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub place: Place,
    pub span: Range<usize>,
}

/// The terms of a lexicon, by their first word.
pub(crate) struct Lexicon {
    by_first: HashMap<&'static str, Vec<(Vec<&'static str>, Place)>, FxBuild>,
    /// Every word of every term.
    words: HashSet<&'static str, FxBuild>,
}

impl Lexicon {
    /// A lexicon from its domains (see the module's documentation).
    pub(crate) fn new(domains: &[&[&'static str]]) -> Self {
        let mut by_first: HashMap<&'static str, Vec<(Vec<&'static str>, Place)>, FxBuild> =
            HashMap::default();
        let mut all: HashSet<&'static str, FxBuild> = HashSet::default();
        for (domain, classes) in (0u16..).zip(domains) {
            for (class, forms) in (0u16..).zip(classes.iter()) {
                for form in forms.split_ascii_whitespace() {
                    // A hyphen parts words as the diff's words do:
                    // "sit-in" is the two words "sit" and "in".
                    let words: Vec<&'static str> = form.split(['_', '-']).collect();
                    all.extend(&words);
                    let place = Place { domain, class };
                    by_first.entry(words[0]).or_default().push((words, place));
                }
            }
        }
        // Longest first, so the first that matches is the longest.
        for terms in by_first.values_mut() {
            terms.sort_by_key(|(words, _)| std::cmp::Reverse(words.len()));
        }
        Lexicon {
            by_first,
            words: all,
        }
    }

    /// Whether each side's changed words (in lower case) hold a word of a
    /// term: without one, a side names no term (a cheap test first).
    pub(crate) fn touches_both(&self, old: &[Cow<'_, str>], new: &[Cow<'_, str>]) -> bool {
        let touches = |words: &[Cow<'_, str>]| words.iter().any(|w| self.words.contains(base(w)));
        touches(old) && touches(new)
    }

    /// The terms of `text` that overlap `range` (a side of an edit), in
    /// order, each the longest that starts at its word.
    pub(crate) fn named(&self, text: &str, range: Range<usize>) -> Vec<Found> {
        let (Some(before), Some(after), true) = (
            text.get(..range.start),
            text.get(range.end..),
            range.start <= range.end,
        ) else {
            return Vec::new();
        };
        let before = tail(before, NEAR);
        let after = head(after, NEAR);
        let start = range.start - before.len();
        let window = &text[start..range.end + after.len()];
        // A term reaches the change from a word or two away, so a word
        // the window's edge cuts is never part of one that overlaps it.
        let mut words: Vec<(Range<usize>, &str)> = Vec::new();
        for_each_word(window, |at, w| {
            words.push((start + at..start + at + w.len(), base(w)));
        });
        let mut found = Vec::new();
        let mut lower = String::new();
        let mut i = 0;
        while i < words.len() {
            // Terms are ASCII in lower case: a word is looked up in lower
            // case, the rest of a term compared without case.
            let first = words[i].1;
            let key = if first.bytes().any(|b| b.is_ascii_uppercase()) {
                lower.clear();
                lower.push_str(first);
                lower.make_ascii_lowercase();
                lower.as_str()
            } else {
                first
            };
            let hit = self.by_first.get(key).and_then(|terms| {
                terms.iter().find(|(t, _)| {
                    t.len() <= words.len() - i
                        && t.iter()
                            .zip(&words[i..])
                            .all(|(a, (_, b))| a.eq_ignore_ascii_case(b))
                })
            });
            match hit {
                Some((t, place)) => {
                    let span = words[i].0.start..words[i + t.len() - 1].0.end;
                    if span.start < range.end && span.end > range.start {
                        found.push(Found {
                            place: *place,
                            span,
                        });
                    }
                    i += t.len();
                }
                None => i += 1,
            }
        }
        found
    }
}

impl Lexicon {
    /// Whether the two sides of an edit (each a text and its changed
    /// range) name, in one domain, terms of other classes.
    pub(crate) fn other_classes(
        &self,
        old: (&str, Range<usize>),
        new: (&str, Range<usize>),
    ) -> bool {
        if old.1.is_empty() || new.1.is_empty() {
            return false;
        }
        reclassed(&self.named(old.0, old.1), &self.named(new.0, new.1))
    }

    /// Whether the two sides' changes are terms of the same classes and
    /// nothing else: "troops" → "soldiers", "militants" → "fighters". Such
    /// an edit names the same thing, whatever other rules read in its place.
    pub(crate) fn same_terms(&self, old: (&str, Range<usize>), new: (&str, Range<usize>)) -> bool {
        let places = |(text, range): (&str, Range<usize>)| {
            let found = self.named(text, range.clone());
            let mut covered = true;
            if let Some(changed) = text.get(range.clone()) {
                for_each_word(changed, |at, w| {
                    let word = range.start + at..range.start + at + w.len();
                    covered &= found
                        .iter()
                        .any(|f| f.span.start <= word.start && word.end <= f.span.end);
                });
            }
            let mut places: Vec<Place> = found.iter().map(|f| f.place).collect();
            places.sort_unstable();
            places.dedup();
            (covered, places)
        };
        let (a, b) = (places(old), places(new));
        a.0 && b.0 && !a.1.is_empty() && a.1 == b.1
    }
}

/// Whether the edit between two texts (as [`super::cut`] cuts it) names
/// terms of other classes of `lexicon`.
#[cfg(test)]
pub(crate) fn other_classes_between(lexicon: &Lexicon, old: &str, new: &str) -> bool {
    super::on_sides(old, new, |o, n| lexicon.other_classes(o, n))
}

/// A word without its possessive ending: "mayor's" names a mayor.
fn base(word: &str) -> &str {
    ["'s", "\u{2019}s", "'", "\u{2019}"]
        .iter()
        .find_map(|end| word.strip_suffix(end))
        .unwrap_or(word)
}

/// The classes of `domain` among `found`, sorted, once each.
fn classes(found: &[Found], domain: u16) -> Vec<u16> {
    let mut out: Vec<u16> = found
        .iter()
        .filter(|f| f.place.domain == domain)
        .map(|f| f.place.class)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Whether the two sides name, in one domain, terms of other classes:
/// each side at least one term of the domain, and not the same classes.
pub(crate) fn reclassed(old: &[Found], new: &[Found]) -> bool {
    let mut domains: Vec<u16> = old.iter().map(|f| f.place.domain).collect();
    domains.sort_unstable();
    domains.dedup();
    domains.into_iter().any(|d| {
        let (a, b) = (classes(old, d), classes(new, d));
        !a.is_empty() && !b.is_empty() && a != b
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> Lexicon {
        Lexicon::new(&[
            &[
                "tear_gas rubber_bullets",
                "live_ammunition live_bullets bullets",
            ],
            &["clash clashes", "massacre"],
        ])
    }

    fn named(text: &str, changed: &str) -> Vec<(u16, u16, String)> {
        let at = text.find(changed).expect("changed text in text");
        lexicon()
            .named(text, at..at + changed.len())
            .into_iter()
            .map(|f| (f.place.domain, f.place.class, text[f.span].to_owned()))
            .collect()
    }

    #[test]
    fn the_longest_term_overlapping_the_change() {
        let t = |d, c, s: &str| (d, c, s.to_owned());
        assert_eq!(
            named("Police fired rubber bullets at them", "rubber"),
            [t(0, 0, "rubber bullets")]
        );
        assert_eq!(
            named("Police fired live bullets at them", "live"),
            [t(0, 1, "live bullets")]
        );
        assert_eq!(
            named("Police fired Tear Gas.", "Tear Gas"),
            [t(0, 0, "Tear Gas")]
        );
        // A hyphenated term is its words.
        let lex = Lexicon::new(&[&["sit-in", "riot"]]);
        let spans: Vec<(usize, usize)> = lex
            .named("a sit-in outside", 2..8)
            .iter()
            .map(|f| (f.span.start, f.span.end))
            .collect();
        assert_eq!(spans, [(2, 8)]);
        // A possessive names what it ends.
        assert_eq!(
            named("the massacre’s toll", "massacre’s"),
            [t(1, 1, "massacre’s")]
        );
        // Terms beside the change are not its terms.
        assert_eq!(named("clashes and then a massacre", "then"), []);
        assert_eq!(
            named("clashes and then a massacre", "and then a massacre"),
            [t(1, 1, "massacre")]
        );
    }

    #[test]
    fn other_classes_of_one_domain() {
        let lex = lexicon();
        let found = |text: &str| lex.named(text, 0..text.len());
        assert!(reclassed(&found("clashes"), &found("a massacre")));
        assert!(reclassed(&found("tear gas"), &found("live ammunition")));
        assert!(!reclassed(&found("clash"), &found("clashes")));
        assert!(!reclassed(&found("tear gas"), &found("a massacre")));
        assert!(!reclassed(&found("clashes"), &found("fighting")));
    }
}
