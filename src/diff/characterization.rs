//! Characterization: an edit that calls an event, a group, a harm or a
//! place by a term that says something else about it ("clashes" →
//! "massacre", "protesters" → "rioters", "militants" → "terrorists",
//! "damaged" → "destroyed", "tear gas" → "live ammunition", "unanimous"
//! → "narrow", "refugees" → "migrants", "government" → "regime") changes
//! what the article asserts, the more so in the articles archivists and
//! human-rights researchers keep; a term of the same class ("militants"
//! → "fighters", "razed" → "destroyed") rewords it. See [`super::terms`]
//! for how terms are found.
//!
//! Words of many senses are left out ("hit", "strike", "event",
//! "group", "officers", "people"): "hit a record" is no damage.

use std::sync::LazyLock;

use super::terms::Lexicon;

/// The domains, each a list of classes (see [`super::terms`]).
const DOMAINS: &[&[&str]] = &[
    // What happened.
    &[
        "massacre massacres massacred slaughter slaughtered atrocity atrocities bloodbath pogrom pogroms",
        "genocide genocidal ethnic_cleansing",
        "killings killing",
        "clash clashes clashed fighting skirmish skirmishes confrontation confrontations scuffle scuffles",
        "riot riots rioting unrest disturbance disturbances looting",
        "protest protests demonstration demonstrations rally rallies vigil vigils sit-in",
        "attack attacks raid raids ambush ambushes",
        "incident incidents",
        "uprising uprisings revolt revolts rebellion insurrection insurgency revolution",
        "crackdown crackdowns repression",
        "terror_attack terror_attacks terrorist_attack terrorist_attacks",
    ],
    // Who: armed groups, crowds, forces.
    &[
        "terrorist terrorists jihadist jihadists extremist extremists",
        "militant militants gunman gunmen fighter fighters insurgent insurgents rebel rebels guerrilla guerrillas guerillas combatant combatants paramilitary paramilitaries militia militias militiamen separatist separatists",
        "freedom_fighters resistance_fighters",
        "civilian civilians villagers bystanders non-combatants noncombatants",
        "protester protesters protestor protestors demonstrator demonstrators marchers",
        "rioter rioters mob mobs looter looters thugs vandals hooligans",
        "police policeman policemen policewoman policewomen riot_police police_officers police_officer cops",
        "soldier soldiers troops army military armed_forces",
        "security_forces",
    ],
    // The harm done to a place.
    &[
        "destroyed destroy destroys destruction razed flattened levelled leveled obliterated demolished gutted",
        "damaged damage damages",
        "spared untouched intact unscathed unharmed",
    ],
    // How a death is told.
    &[
        "executed execution executions extrajudicial_killing extrajudicial_killings",
        "assassinated assassination assassinations",
        "killed slain",
        "died death deaths",
    ],
    // The force used.
    &[
        "tear_gas teargas pepper_spray water_cannon water_cannons rubber_bullets rubber-coated_bullets plastic_bullets stun_grenades batons",
        "live_ammunition live_fire live_rounds live_bullets bullets gunfire",
    ],
    // A vote or a win.
    &[
        "unanimous unanimously",
        "overwhelming overwhelmingly landslide",
        "narrow narrowly razor-thin",
    ],
    // Land held.
    &[
        "occupied occupation occupying",
        "disputed contested",
        "annexed annexation",
        "liberated liberation",
    ],
    // People who move.
    &[
        "refugee refugees",
        "asylum_seeker asylum_seekers",
        "migrant migrants immigrant immigrants",
        "illegal_immigrants illegal_immigrant illegal_migrants illegal_migrant illegal_aliens illegal_alien illegals",
        "undocumented_immigrants undocumented_immigrant undocumented_migrants undocumented_migrant undocumented",
        "local locals native natives citizen citizens",
    ],
    // Who governs.
    &[
        "government governments administration",
        "regime regimes junta juntas dictatorship dictatorships",
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
    fn domains_are_well_formed() {
        for classes in DOMAINS {
            let mut seen = std::collections::HashSet::new();
            for forms in *classes {
                for w in forms.split_ascii_whitespace() {
                    assert!(
                        w.chars()
                            .all(|c| c.is_ascii_lowercase() || "_-".contains(c)),
                        "{w}"
                    );
                    assert!(seen.insert(w), "{w} twice in a domain");
                }
            }
        }
    }

    #[test]
    fn another_characterization() {
        for (old, new) in [
            (
                "Soldiers carried out a massacre in the village.",
                "Soldiers were involved in clashes in the village.",
            ),
            (
                "The militants attacked the base.",
                "The terrorists attacked the base.",
            ),
            (
                "Police fired tear gas at protesters.",
                "Police fired live ammunition at protesters.",
            ),
            (
                "Police fired rubber bullets at them.",
                "Police fired live bullets at them.",
            ),
            (
                "The board approved it in a unanimous vote.",
                "The board approved it in a narrow vote.",
            ),
            (
                "Protesters gathered outside the embassy.",
                "Rioters gathered outside the embassy.",
            ),
            (
                "The strike destroyed the hospital.",
                "The strike damaged the hospital.",
            ),
            (
                "Refugees arrived at the border.",
                "Migrants arrived at the border.",
            ),
            ("illegal immigrants", "undocumented immigrants"),
            ("They staged a sit-in.", "They staged a riot."),
            (
                "Police fired rubber-coated bullets.",
                "Police fired live rounds.",
            ),
            (
                "The man was a migrant worker.",
                "The man was a local worker.",
            ),
            ("in the occupied territories", "in the disputed territories"),
            ("the government said", "the regime said"),
            ("He was executed by the army.", "He was killed by the army."),
            ("Police fired on the crowd.", "Soldiers fired on the crowd."),
        ] {
            assert!(changed(old, new), "{old} → {new}");
        }
    }

    #[test]
    fn the_same_characterization_reworded() {
        for (old, new) in [
            (
                "The militants attacked the base.",
                "The fighters attacked the base.",
            ),
            (
                "Protesters gathered outside the embassy.",
                "Demonstrators gathered outside the embassy.",
            ),
            (
                "The strike razed the hospital.",
                "The strike destroyed the hospital.",
            ),
            ("a massacre", "a slaughter"),
            ("migrants", "immigrants"),
            (
                "Police fired tear gas.",
                "Police fired tear gas and water cannon.",
            ),
            ("clashes", "violent clashes"),
            ("the clashes", "the reports"),
            ("prices hit a record", "prices reached a record"),
            ("destroyed", ""),
        ] {
            assert!(!changed(old, new), "{old} → {new}");
        }
    }

    #[test]
    fn terms_of_one_class_and_nothing_else() {
        let same = |old: &str, new: &str| {
            super::super::on_sides(old, new, |o, n| LEXICON.same_terms(o, n))
        };
        assert!(same("shot by troops", "shot by soldiers"));
        assert!(same("The militants fled", "The fighters fled"));
        assert!(!same("shot by troops", "shot by police"));
        assert!(!same("shot by troops", "shot by angry soldiers"));
        assert!(!same("shot by the board", "shot by the council"));
    }
}
