//! Who did it: an edit that removes, adds or changes the agent of an act
//! ("were shot by police" → "were shot", "was made by the board" → "was
//! made by the chief executive"), or that turns a killing into a death
//! ("were killed" → "died", "12 killed" → "12 dead"), changes whom the
//! article holds responsible, however short it is.
//!
//! The agent is the phrase after "by" that follows a past participle
//! ("shot", "made", "approved"). "by" before a time, a number or a means
//! ("by Tuesday", "by 5 percent", "by car") names no one: `is_other` tells
//! the time and number words, [`MEANS`] lists the rest.

use std::borrow::Cow;
use std::ops::Range;

use super::words::{for_each_word, head, tail};

/// Forms of killing: an act with someone who did it.
const KILLING: &[&str] = &[
    "kill",
    "kills",
    "killed",
    "killing",
    "killings",
    "murder",
    "murders",
    "murdered",
    "slay",
    "slew",
    "slain",
    "execute",
    "executes",
    "executed",
    "massacre",
    "massacred",
    "slaughter",
    "slaughtered",
    "assassinate",
    "assassinated",
];

/// Forms of dying: a death without anyone who caused it.
const DYING: &[&str] = &[
    "die", "dies", "died", "dying", "dead", "death", "deaths", "perish", "perished", "perishes",
];

/// Past participles that do not end in "-ed".
const IRREGULAR: &[&str] = &[
    "beaten",
    "bitten",
    "broken",
    "brought",
    "built",
    "bought",
    "caught",
    "chosen",
    "cut",
    "done",
    "drawn",
    "driven",
    "eaten",
    "fought",
    "found",
    "given",
    "held",
    "hit",
    "hung",
    "hurt",
    "kept",
    "known",
    "led",
    "made",
    "overrun",
    "overthrown",
    "paid",
    "run",
    "seen",
    "sent",
    "set",
    "shaken",
    "shot",
    "slain",
    "sold",
    "spent",
    "stolen",
    "stricken",
    "struck",
    "sworn",
    "taken",
    "thrown",
    "told",
    "torn",
    "won",
    "written",
];

/// Words after "by" that name a means, a manner or a measure, not who.
const MEANS: &[&str] = &[
    "far",
    "then",
    "now",
    "hand",
    "phone",
    "telephone",
    "email",
    "mail",
    "post",
    "car",
    "bus",
    "train",
    "air",
    "sea",
    "road",
    "foot",
    "default",
    "design",
    "chance",
    "nature",
    "law",
    "night",
    "day",
    "contrast",
    "comparison",
    "percent",
    "per",
    "half",
    "double",
    "itself",
    "themselves",
    "himself",
    "herself",
    "midday",
    "noon",
    "midnight",
    "dawn",
    "dusk",
    "end",
    "start",
    "beginning",
    "middle",
    "close",
    "time",
    "way",
    "mistake",
    "accident",
];

/// Whether the changed words of one side name a killing and the other's a
/// death, neither both.
pub(crate) fn killing_became_death(old: &[Cow<'_, str>], new: &[Cow<'_, str>]) -> bool {
    let has = |words: &[Cow<'_, str>], set: &[&str]| words.iter().any(|w| set.contains(&&**w));
    let (ok, od) = (has(old, KILLING), has(old, DYING));
    let (nk, nd) = (has(new, KILLING), has(new, DYING));
    (ok && !od && nd && !nk) || (nk && !nd && od && !ok)
}

/// Whether either side's change is in an agent phrase: it starts with
/// "by" after a participle, or is the agent right after such a "by" (or
/// "by the") and ends where the agent's noun ends.
pub(crate) fn agent_changed(
    old: (&str, Range<usize>),
    new: (&str, Range<usize>),
    is_other: impl Fn(&str) -> bool,
) -> bool {
    [old, new]
        .iter()
        .any(|(text, range)| agent_at(text, range.clone(), &is_other))
}

/// Words that may stand between "by" and a changed agent ("by *the*
/// board" → "by *the* chief executive").
const DETERMINERS: &[&str] = &["the", "a", "an", "its", "their", "his", "her", "our"];

/// Bytes read on each side of a change (a participle, "by", a determiner
/// and the agent's first words fit).
const NEAR: usize = 96;

/// Words that may follow an agent's noun: a preposition, a conjunction or
/// a time ("by police *in* the north", "by the board *on* Monday").
const AFTER_AGENT: &[&str] = &[
    "in",
    "on",
    "at",
    "of",
    "and",
    "or",
    "but",
    "after",
    "before",
    "during",
    "for",
    "to",
    "with",
    "from",
    "near",
    "outside",
    "inside",
    "last",
    "this",
    "that",
    "who",
    "which",
    "when",
    "while",
    "as",
    "since",
    "earlier",
    "later",
    "yesterday",
    "today",
    "overnight",
];

fn agent_at(text: &str, range: Range<usize>, is_other: &impl Fn(&str) -> bool) -> bool {
    let range_end = range.end;
    let (Some(before), Some(changed)) = (text.get(..range.start), text.get(range)) else {
        return false;
    };
    // Only the last words before the change and the first of it matter:
    // an edit in a long paragraph reads no more than these.
    let before = tail(before, NEAR);
    let changed = head(changed, NEAR);
    let has_by = |t: &str| {
        t.as_bytes()
            .windows(2)
            .any(|w| w.eq_ignore_ascii_case(b"by"))
    };
    if !has_by(before) && !has_by(changed) {
        return false;
    }
    let mut words: Vec<&str> = Vec::new();
    for_each_word(before, |_, w| words.push(w));
    let mut changed_words: Vec<&str> = Vec::new();
    for_each_word(changed, |_, w| changed_words.push(w));
    let is = |w: &&str, word: &str| w.eq_ignore_ascii_case(word);
    // Where "by" stands (an index into `words`, or the change's own first
    // word) and the agent's words from it.
    let (by_at, agent): (usize, Vec<&str>) = match changed_words.split_first() {
        Some((first, rest)) if is(first, "by") => (words.len(), rest.to_vec()),
        _ => {
            let last = words.len().checked_sub(1);
            let by_at = match last.map(|i| (i, words[i])) {
                Some((i, w)) if is(&w, "by") => i,
                Some((i, w))
                    if i > 0
                        && DETERMINERS.iter().any(|d| is(&w, d))
                        && is(&words[i - 1], "by") =>
                {
                    i - 1
                }
                _ => return false,
            };
            // Nothing but spaces between the last word and the change.
            if !before.trim_end().ends_with(char::is_alphanumeric) {
                return false;
            }
            // The change ends the agent: a word changed before the noun
            // ("by *angry* protesters") describes it, and is no other agent.
            let after = text.get(range_end..).unwrap_or("");
            let mut next = None;
            for_each_word(after, |off, w| {
                if next.is_none() {
                    next = Some((off, w));
                }
            });
            if let Some((off, w)) = next {
                let lower = w.to_lowercase();
                if after[..off].trim().is_empty() && !AFTER_AGENT.contains(&lower.as_str()) {
                    return false;
                }
            }
            (
                by_at,
                words[by_at + 1..]
                    .iter()
                    .chain(&changed_words)
                    .copied()
                    .collect(),
            )
        }
    };
    let named = agent
        .iter()
        .map(|w| w.to_lowercase())
        .find(|w| !DETERMINERS.contains(&w.as_str()));
    if named
        .as_deref()
        .is_none_or(|w| MEANS.contains(&w) || is_other(w) || w.bytes().any(|b| b.is_ascii_digit()))
    {
        return false;
    }
    // The word before "by" is a participle.
    let Some(participle) = by_at.checked_sub(1).and_then(|i| words.get(i)) else {
        return false;
    };
    let participle = participle.to_lowercase();
    (participle.len() >= 5 && participle.ends_with("ed"))
        || IRREGULAR.contains(&participle.as_str())
}

#[cfg(test)]
mod tests {
    fn deaths(old: &str, new: &str) -> bool {
        super::super::on_words(old, new, super::killing_became_death)
    }

    /// The edit between two texts as the diff cuts it (common prefix and
    /// suffix left out).
    fn agent(old: &str, new: &str) -> bool {
        let (o, n) = super::super::cut(old, new);
        let (start, oe, ne) = (o.start, o.end, n.end);
        // Whole words, as the diff cuts them.
        let mid_word = |t: &str| {
            t[..start].ends_with(char::is_alphanumeric)
                && t[start..].starts_with(char::is_alphanumeric)
        };
        let start = if mid_word(old) || mid_word(new) {
            old[..start].rfind(' ').map_or(0, |i| i + 1)
        } else {
            start
        };
        let word_end = |text: &str, end: usize| {
            end + text[end..]
                .find(|c: char| !c.is_alphanumeric())
                .unwrap_or(text.len() - end)
        };
        let (oe, ne) = (word_end(old, oe.max(start)), word_end(new, ne.max(start)));
        let time = |w: &str| ["tuesday", "monday", "morning", "million"].contains(&w);
        super::agent_changed((old, start..oe), (new, start..ne), time)
    }

    #[test]
    fn killings_and_deaths() {
        assert!(deaths("were killed", "died"));
        assert!(deaths("died", "were killed"));
        assert!(deaths("killed", "dead"));
        assert!(deaths("were murdered", "lost their lives in a death"));
        assert!(!deaths("killed", "murdered"));
        assert!(!deaths("died", "perished"));
        assert!(!deaths("killed", "injured"));
        assert!(!deaths("were killed", "were killed and died"));
    }

    #[test]
    fn who_did_it() {
        for (old, new) in [
            (
                "The protesters were shot by police.",
                "The protesters were shot.",
            ),
            (
                "The protesters were shot.",
                "The protesters were shot by soldiers.",
            ),
            (
                "The decision was made by the board.",
                "The decision was made by the chief executive.",
            ),
            (
                "The village was attacked by rebels.",
                "The village was attacked by government troops.",
            ),
            (
                "It was approved by the council on Monday.",
                "It was approved on Monday.",
            ),
            ("He was struck by a police car.", "He was struck by a car."),
        ] {
            assert!(agent(old, new), "{old} → {new}");
        }
        for (old, new) in [
            (
                "The work was finished by Tuesday.",
                "The work was finished.",
            ),
            (
                "Prices increased by 5 percent.",
                "Prices increased by 6 percent.",
            ),
            ("She travelled by car.", "She travelled by train."),
            (
                "The plan was approved by far the largest majority.",
                "The plan was approved.",
            ),
            ("He stood by the door.", "He stood by the window."),
            (
                "The report was written by the committee.",
                "The report was written by the committee last year.",
            ),
            (
                "The road was blocked by angry protesters.",
                "The road was blocked by furious protesters.",
            ),
            (
                "They were shot by police, witnesses said.",
                "They were shot by police, residents said.",
            ),
            (
                "The bill was passed by the end of the session.",
                "The bill was passed.",
            ),
        ] {
            assert!(!agent(old, new), "{old} → {new}");
        }
    }
}
