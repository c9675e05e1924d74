//! Details: an edit that puts another thing of the same kind in a thing's
//! place ("shot in the back" → "shot in the chest", "tested on mice" →
//! "tested on humans", "profit" → "revenue", "the mayor" → "the
//! governor", "a teenager" → "an adult", "cures" → "treats", "Monday
//! morning" → "Monday evening", "ban" → "restrict") states
//! another fact, as corrections of such details do; another word for the
//! same thing ("kids" → "children", "sales" → "revenue") rewords it. See
//! [`super::terms`] for how terms are found.
//!
//! Words of many senses are left out ("chair", "head of", "hand" as in
//! "on the other hand" is kept only as a body part beside another).

use std::sync::LazyLock;

use super::terms::Lexicon;

/// The domains, each a list of classes (see [`super::terms`]).
const DOMAINS: &[&[&str]] = &[
    // Where on the body: the detail of a shooting or an injury.
    &[
        "back backs",
        "chest chests",
        "head heads",
        "neck",
        "face",
        "leg legs thigh",
        "arm arms",
        "stomach abdomen",
        "shoulder shoulders",
        "hand hands",
        "foot feet",
    ],
    // Who a study was done on.
    &[
        "mice mouse rats rat rodents animals monkeys primates",
        "humans human patients volunteers participants",
    ],
    // How old.
    &[
        "child children kid kids toddler toddlers baby babies infant infants boy boys girl girls",
        "teenager teenagers teen teens adolescent adolescents",
        "adult adults",
        "pensioner pensioners elderly",
    ],
    // What a company reported.
    &[
        "profit profits earnings net_income",
        "revenue revenues sales turnover",
        "debt debts",
    ],
    // What a treatment does.
    &[
        "cure cures cured",
        "treat treats treated",
        "prevent prevents prevented",
    ],
    // When in the day.
    &[
        "morning mornings dawn",
        "afternoon afternoons noon midday lunchtime",
        "evening evenings dusk",
        "night nights overnight midnight",
    ],
    // What a rule does.
    &[
        "ban bans banned banning prohibit prohibits prohibited outlaw outlaws outlawed",
        "restrict restricts restricted restricting limit limits limited curb curbs curbed",
        "regulate regulates regulated regulating",
    ],
    // Offices: who someone is.
    &[
        "mayor",
        "governor",
        "president",
        "vice_president",
        "prime_minister premier",
        "minister",
        "senator",
        "congressman congresswoman representative",
        "chief_executive ceo",
        "chairman chairwoman",
        "judge",
        "prosecutor",
        "sheriff",
        "police_chief",
        "ambassador",
    ],
];

pub(super) static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::new(DOMAINS));

#[cfg(test)]
mod tests {
    use super::*;

    fn changed(old: &str, new: &str) -> bool {
        super::super::terms::other_classes_between(&LEXICON, old, new)
    }

    #[test]
    fn another_detail() {
        for (old, new) in [
            (
                "The suspect was shot in the back.",
                "The suspect was shot in the chest.",
            ),
            (
                "The vaccine was tested on mice.",
                "The vaccine was tested on humans.",
            ),
            ("The victim was a teenager.", "The victim was an adult."),
            ("The company's profit rose.", "The company's revenue rose."),
            (
                "The mayor said the plan would go ahead.",
                "The governor said the plan would go ahead.",
            ),
            (
                "The drug cures the disease.",
                "The drug treats the disease.",
            ),
            ("the prime minister", "the president"),
            ("on Monday morning", "on Monday evening"),
            (
                "The bill would ban the sale of guns.",
                "The bill would restrict the sale of guns.",
            ),
        ] {
            assert!(changed(old, new), "{old} → {new}");
        }
    }

    #[test]
    fn the_same_detail_or_none() {
        for (old, new) in [
            ("The kids were safe.", "The children were safe."),
            ("sales rose", "revenue rose"),
            ("the chief executive", "the CEO"),
            ("the minister", "the prime minister"),
            ("The law banned it.", "The law prohibited it."),
            ("late at night", "late at midnight"),
            ("He came back.", "He came home."),
            ("the back of the queue", "the end of the queue"),
        ] {
            assert!(!changed(old, new), "{old} → {new}");
        }
    }
}
