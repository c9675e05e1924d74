//! A person's legal status: an edit that changes where someone stands in
//! the law's process ("arrested" → "charged", "charged" → "convicted",
//! "convicted" → "acquitted", "questioned" → "arrested", "arrested and
//! charged" → "arrested") changes what the article asserts about them,
//! however short it is. Two words of the same stage ("arrested" →
//! "detained") do not.
//!
//! So does an edit that changes the offence ("charged with murder" →
//! "charged with manslaughter", "convicted of fraud" → "convicted of
//! fraud and bribery", "raped" → "assaulted"): the forms of one offence
//! ("murder", "murdered") are one.
//!
//! Words of several senses are left out ("released", "cleared", "tried",
//! "held", "charge", "fine", "assault"): "released a report" is no release
//! from custody, "in charge of" no criminal charge, "an assault rifle" no
//! assault.

use std::borrow::Cow;
use std::ops::Range;

use super::classify::next_word;
use super::words::for_each_word;

/// The stages, each with the forms of its words.
const STAGES: &[&[&str]] = &[
    &["questioned", "interviewed", "interrogated"],
    &[
        "arrest",
        "arrests",
        "arrested",
        "detain",
        "detains",
        "detained",
        "detention",
        "custody",
    ],
    &["accuse", "accuses", "accused"],
    &[
        "charges",
        "charged",
        "indict",
        "indicts",
        "indicted",
        "indictment",
        "prosecute",
        "prosecuted",
        "prosecution",
    ],
    &[
        "convict",
        "convicts",
        "convicted",
        "conviction",
        "sentence",
        "sentenced",
        "jailed",
        "imprisoned",
        "guilty",
    ],
    &[
        "acquit",
        "acquits",
        "acquitted",
        "acquittal",
        "exonerated",
        "innocent",
    ],
    &["pardon", "pardons", "pardoned"],
    &["sue", "sues", "sued", "lawsuit"],
    &["fined"],
    &[
        "extradite",
        "extradited",
        "extradition",
        "deport",
        "deported",
        "deportation",
    ],
];

/// Offences, each with the forms of its words.
const OFFENCES: &[&[&str]] = &[
    &["murder", "murders", "murdered", "murdering"],
    &["manslaughter"],
    &["homicide", "homicides"],
    &["rape", "rapes", "raped"],
    &["assaulted", "assaulting", "battery"],
    &["robbery", "robberies", "robbed"],
    &["burglary", "burglaries", "burgled", "burglarized"],
    &["theft", "thefts", "stole", "stolen", "larceny"],
    &["fraud", "frauds", "defrauded", "defrauding"],
    &["bribery", "bribes", "bribed"],
    &["embezzlement", "embezzled"],
    &["laundering"],
    &["extortion", "extorted", "blackmail", "blackmailed"],
    &["kidnapping", "kidnapped", "abduction", "abducted"],
    &["trafficking", "trafficked"],
    &["terrorism"],
    &["treason", "sedition"],
    &["espionage", "spying"],
    &["torture", "tortured"],
    &["genocide"],
    &["perjury"],
    &["harassment", "harassed"],
    &["arson"],
    &["smuggling", "smuggled"],
];

/// The groups of `table` a side's words name, sorted, once each.
fn named(table: &[&[&str]], words: &[Cow<'_, str>]) -> Vec<usize> {
    let mut out: Vec<usize> = words
        .iter()
        .filter_map(|w| table.iter().position(|s| s.contains(&w.as_ref())))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// True when the two sides of an edit (their changed words in lower case)
/// name different stages of the law's process, or different offences.
pub(crate) fn status_changed(old: &[Cow<'_, str>], new: &[Cow<'_, str>]) -> bool {
    named(STAGES, old) != named(STAGES, new) || named(OFFENCES, old) != named(OFFENCES, new)
}

/// Whether one side adds or takes out "attempted" right before an offence
/// ("charged with murder" → "charged with attempted murder"): another
/// offence, though the offence's word did not change.
pub(crate) fn attempt_changed(old: (&str, Range<usize>), new: (&str, Range<usize>)) -> bool {
    let attempt = |(text, range): &(&str, Range<usize>)| {
        text.get(range.clone())
            .is_some_and(|w| w.trim().eq_ignore_ascii_case("attempted"))
            && {
                let next = next_word(text, range.end).to_lowercase();
                OFFENCES.iter().any(|o| o.contains(&next.as_str()))
            }
    };
    (attempt(&old) && new.1.is_empty()) || (attempt(&new) && old.1.is_empty())
}

/// A plea in court: one of these verbs before what is pleaded ("pleaded
/// guilty", "pleads not guilty", "pled no contest", "pleaded innocent").
/// Before anything else the verb asks ("pleaded with officials").
const PLEA_VERBS: &[&str] = &["plead", "pleads", "pleaded", "pled", "pleading"];
/// What is pleaded, the word after the verb.
const PLEAS: &[&str] = &["guilty", "not", "no", "innocent"];

/// Whether one side of the edit has someone plead and the other not
/// ("pleaded guilty" → "was convicted", "was found guilty" → "pleaded
/// guilty"): a plea is no verdict, though both end in a conviction, the
/// stage [`STAGES`] gives "guilty".
pub(crate) fn plea_changed(old: (&str, Range<usize>), new: (&str, Range<usize>)) -> bool {
    pleads(old) != pleads(new)
}

/// Whether the words the edit changes on one side, taken whole, hold a
/// plea (the next word may be outside them: "pleaded" → "was found" before
/// an unchanged "guilty").
fn pleads((text, range): (&str, Range<usize>)) -> bool {
    let is_letter = |c: char| c.is_alphabetic();
    let (Some(head), Some(tail)) = (text.get(..range.start), text.get(range.end..)) else {
        return false;
    };
    let start = head.trim_end_matches(is_letter).len();
    let end = range.end + (tail.len() - tail.trim_start_matches(is_letter).len());
    let Some(span) = text.get(start..end) else {
        return false;
    };
    // Every plea verb starts so: most edits hold none.
    let verb = |w: &[u8]| w.eq_ignore_ascii_case(b"plea") || w.eq_ignore_ascii_case(b"pled");
    if !span.as_bytes().windows(4).any(verb) {
        return false;
    }
    let mut plea = false;
    for_each_word(span, |at, w| {
        plea |= PLEA_VERBS.iter().any(|v| w.eq_ignore_ascii_case(v))
            && PLEAS.contains(
                &next_word(text, start + at + w.len())
                    .to_lowercase()
                    .as_str(),
            );
    });
    plea
}

#[cfg(test)]
mod tests {
    fn changed(old: &str, new: &str) -> bool {
        super::super::on_words(old, new, super::status_changed)
    }

    #[test]
    fn stages_of_the_law() {
        for (old, new) in [
            ("was arrested", "was charged"),
            ("Charged", "convicted"),
            ("convicted", "acquitted"),
            ("questioned", "arrested"),
            ("and charged", ""),
            ("", "was sued"),
            ("found guilty", "found innocent"),
            ("with murder", "with manslaughter"),
            ("of fraud", "of fraud and bribery"),
            ("raped", "assaulted"),
            ("kidnapping", "murder"),
        ] {
            assert!(changed(old, new), "{old} → {new}");
        }
        for (old, new) in [
            ("arrested", "detained"),
            ("released a report", "published a report"),
            ("quickly", "rapidly"),
            ("charged", "indicted"),
            ("in charge of", "leading"),
            ("the weather was fine", "the weather was good"),
            ("murdered", "murder"),
            ("kidnapped", "abducted"),
            ("an assault rifle", "a semi-automatic rifle"),
        ] {
            assert!(!changed(old, new), "{old} → {new}");
        }
    }

    #[test]
    fn an_attempt_is_another_offence() {
        let attempt =
            |old: &str, new: &str| super::super::on_sides(old, new, super::attempt_changed);
        assert!(attempt(
            "charged with murder",
            "charged with attempted murder"
        ));
        assert!(attempt(
            "convicted of attempted robbery",
            "convicted of robbery"
        ));
        assert!(!attempt("he tried to flee", "he attempted to flee"));
        assert!(!attempt("he fled", "he attempted flight"));
        assert!(!attempt("charged with murder", "charged with manslaughter"));
    }

    #[test]
    fn a_plea_is_no_verdict() {
        let plea = |old: &str, new: &str| super::super::on_sides(old, new, super::plea_changed);
        for (old, new) in [
            (
                "A man pleaded guilty to charges he threatened",
                "A man was convicted of charges he threatened",
            ),
            (
                "He was found guilty of fraud.",
                "He pleaded guilty to fraud.",
            ),
            ("She pled no contest.", "She was convicted."),
            ("He pleaded guilty and was sentenced.", "He was sentenced."),
        ] {
            assert!(plea(old, new), "{old} → {new}");
        }
        for (old, new) in [
            ("He pleaded guilty.", "He pled guilty."),
            (
                "She pleaded with officials to act.",
                "She urged officials to act.",
            ),
            (
                "He was convicted of fraud.",
                "He was found guilty of fraud.",
            ),
            ("Pleading guilty, he wept.", "Pleading guilty, he cried."),
        ] {
            assert!(!plea(old, new), "{old} → {new}");
        }
    }
}
