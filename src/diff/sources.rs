//! Sources named by a noun: an edit that puts another kind of source in
//! a source's place ("police said" → "witnesses said", "according to
//! police" → "according to the family", "officials say" → "activists
//! say") changes who stands behind the claim. A source of the same kind
//! ("Critics say" → "Opponents say", "officials" → "authorities") is the
//! same source reworded. Pronouns and names are read by
//! [`super::classify`]; titles ("the mayor" → "the governor") are not
//! judged.
//!
//! A term counts where it is a source: right before a speech verb ("police
//! said", "witnesses have told"), after "according to" ("according to
//! local residents"), or after "said" ("…, said police").

use std::ops::Range;
use std::sync::LazyLock;

use super::classify::{next_word, previous_word, SPEECH_VERBS};
use super::terms::{reclassed, Found, Lexicon};

/// One domain, the kinds of source (see [`super::terms`]).
const KINDS: &[&[&str]] = &[&[
    "police policeman policemen police_officers police_spokesman police_spokeswoman cops law_enforcement",
    "officials official authorities government ministry spokesman spokeswoman spokesperson administration",
    "military army troops soldiers armed_forces",
    "witnesses witness eyewitnesses eyewitness residents resident locals neighbours neighbors villagers onlookers bystanders",
    "family relatives relative parents family_members",
    "activists activist rights_groups human_rights_groups campaigners monitors",
    "doctors doctor medics paramedics nurses hospital hospital_officials",
    "lawyer lawyers attorney attorneys",
    "prosecutors prosecutor",
    "analysts analyst experts expert economists economist researchers scientists",
    "critics opponents detractors",
    "supporters proponents",
    "media state_media local_media",
]];

pub(super) static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::new(KINDS));

/// Words between a source and its verb ("police *have* said").
const BETWEEN: &[&str] = &[
    "have",
    "has",
    "had",
    "also",
    "later",
    "previously",
    "earlier",
];

/// Words between "according to" and a source ("according to *the local*
/// residents").
const BEFORE: &[&str] = &[
    "the", "a", "an", "local", "his", "her", "their", "its", "some",
];

/// Whether the two sides of an edit (each a text and its changed range)
/// name sources of other kinds.
pub(crate) fn source_changed(old: (&str, Range<usize>), new: (&str, Range<usize>)) -> bool {
    if old.1.is_empty() || new.1.is_empty() {
        return false;
    }
    let sources = |(text, range): (&str, Range<usize>)| -> Vec<Found> {
        LEXICON
            .named(text, range)
            .into_iter()
            .filter(|f| is_source(text, &f.span))
            .collect()
    };
    reclassed(&sources(old), &sources(new))
}

/// Whether the term at `span` of `text` stands where a source does.
fn is_source(text: &str, span: &Range<usize>) -> bool {
    let is = |w: &str, list: &[&str]| list.iter().any(|l| w.eq_ignore_ascii_case(l));
    let offset = |w: &str| w.as_ptr() as usize - text.as_ptr() as usize;
    // After: a speech verb, perhaps after an auxiliary.
    let mut at = span.end;
    for _ in 0..3 {
        let w = next_word(text, at);
        if is(w, SPEECH_VERBS) {
            return true;
        }
        if w.is_empty() || !is(w, BETWEEN) {
            break;
        }
        at = offset(w) + w.len();
    }
    // Before: "according to", perhaps with determiners; or "said".
    let mut at = span.start;
    for _ in 0..4 {
        let w = previous_word(text, at);
        if w.eq_ignore_ascii_case("said") || w.eq_ignore_ascii_case("says") {
            // At the sentence's end only: "he said police were wrong"
            // reports what he said of them.
            return next_word(text, span.end).is_empty();
        }
        if w.eq_ignore_ascii_case("to") {
            return previous_word(text, offset(w)).eq_ignore_ascii_case("according");
        }
        if w.is_empty() || !is(w, BEFORE) {
            return false;
        }
        at = offset(w);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changed(old: &str, new: &str) -> bool {
        super::super::on_sides(old, new, source_changed)
    }

    #[test]
    fn another_kind_of_source() {
        for (old, new) in [
            (
                "Three people were injured, police said.",
                "Three people were injured, witnesses said.",
            ),
            (
                "The man was unarmed, according to police.",
                "The man was unarmed, according to the family.",
            ),
            (
                "Officials say the dam is safe.",
                "Activists say the dam is safe.",
            ),
            (
                "The army has said the strike hit a depot.",
                "Residents have said the strike hit a depot.",
            ),
            (
                "The toll rose to 12, said police.",
                "The toll rose to 12, said doctors.",
            ),
            (
                "The toll rose, said the police.",
                "The toll rose, said the family.",
            ),
            (
                "according to local residents",
                "according to the authorities",
            ),
        ] {
            assert!(changed(old, new), "{old} → {new}");
        }
    }

    #[test]
    fn the_same_source_or_no_source() {
        for (old, new) in [
            (
                "Critics say the plan is flawed.",
                "Opponents say the plan is flawed.",
            ),
            (
                "Officials said it was safe.",
                "Authorities said it was safe.",
            ),
            // No source: the police did something, nobody said anything.
            (
                "Police arrived at the scene.",
                "Witnesses arrived at the scene.",
            ),
            (
                "He told police he was innocent.",
                "He told doctors he was innocent.",
            ),
            ("police said on Monday", "police said on Tuesday"),
            ("He said police were wrong.", "He said doctors were wrong."),
        ] {
            assert!(!changed(old, new), "{old} → {new}");
        }
    }
}
