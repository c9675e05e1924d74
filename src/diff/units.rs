//! A number's unit or currency: "$5 million" → "€5 million", "12 km" →
//! "12 miles" change the figure an article reports, though no digit
//! changed. The same unit written another way ("km" → "kilometres", "%"
//! → "percent", "£" → "pounds") is house style, not a change.
//!
//! Only a swap counts: a unit on both sides of the edit, none shared,
//! and a number right next to the change. The diff may cut a swap in two:
//! "$5 million" → "5 million euros" is "$" dropped and "euros" added, each
//! a swap when the other text has another unit beside the same place
//! (within [`WINDOW`] words) that the edit's own text does not. A unit
//! written another way ("$5 million" → "5 million dollars") is no swap.

use std::ops::Range;

use super::qualifiers::number_beside;
use super::words::for_each_word;

/// Units, each with its spellings in lower case (symbols included). A
/// spelling may name two units ("pounds": sterling and weight).
const UNITS: &[&[&str]] = &[
    &["$", "dollar", "dollars", "usd"],
    &["€", "euro", "euros", "eur"],
    &["£", "pound", "pounds", "sterling", "gbp", "quid"],
    &["¥", "yen", "jpy"],
    &["yuan", "renminbi", "rmb", "cny"],
    &["₹", "rupee", "rupees", "inr"],
    &["₽", "rouble", "roubles", "ruble", "rubles"],
    &["franc", "francs", "chf"],
    &["cent", "cents"],
    &["%", "percent", "pct", "per cent"],
    &["point", "points", "pp"],
    &["km", "kilometre", "kilometres", "kilometer", "kilometers"],
    &["metre", "metres", "meter", "meters"],
    &[
        "cm",
        "centimetre",
        "centimetres",
        "centimeter",
        "centimeters",
    ],
    &[
        "mm",
        "millimetre",
        "millimetres",
        "millimeter",
        "millimeters",
    ],
    &["mile", "miles"],
    &["ft", "foot", "feet"],
    &["yard", "yards", "yd"],
    &["inch", "inches"],
    &["kg", "kilogram", "kilograms", "kilo", "kilos"],
    &["gram", "grams"],
    &["lb", "lbs", "pound", "pounds"],
    &["oz", "ounce", "ounces"],
    &["tonne", "tonnes", "ton", "tons"],
    &["litre", "litres", "liter", "liters"],
    &["gallon", "gallons"],
    &["barrel", "barrels", "bbl"],
    &["acre", "acres"],
    &["hectare", "hectares"],
    &["mph"],
    &["kph"],
    &["celsius", "centigrade"],
    &["fahrenheit"],
    &["kw", "kilowatt", "kilowatts"],
    &["mw", "megawatt", "megawatts"],
    &["gw", "gigawatt", "gigawatts"],
];

/// Symbols that are units on their own (not words).
const SYMBOLS: &[char] = &['$', '€', '£', '¥', '₹', '₽', '%'];

/// The units `text` names, as indices into [`UNITS`], sorted, once each.
fn units(text: &str) -> Vec<usize> {
    let mut spellings: Vec<String> = text
        .chars()
        .filter(|c| SYMBOLS.contains(c))
        .map(String::from)
        .collect();
    let mut previous = String::new();
    for_each_word(text, |_, w| {
        let w = w.to_lowercase();
        // "per cent" is a percentage, not a coin.
        if previous == "per" && w == "cent" {
            spellings.push("per cent".to_owned());
        } else {
            spellings.push(w.clone());
        }
        previous = w;
    });
    let mut out: Vec<usize> = spellings
        .iter()
        .flat_map(|s| {
            UNITS
                .iter()
                .enumerate()
                .filter(move |(_, u)| u.contains(&s.as_str()))
                .map(|(i, _)| i)
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Words on each side of a one-sided edit in which the other text's unit
/// is looked for ("5 million euros": three words).
const WINDOW: usize = 3;

/// True when the changed ranges of `old` and `new` (a text and the range
/// that changed) name units, none of them the same, and a number stands
/// right next to the change on either side (or in it): `is_number` tells
/// a number word. A unit added or dropped alone counts when the other text
/// has another unit there (see the module's notes).
pub(crate) fn unit_changed(
    old: (&str, Range<usize>),
    new: (&str, Range<usize>),
    is_number: impl Fn(&str) -> bool,
) -> bool {
    if old.1.is_empty() != new.1.is_empty() {
        return unit_moved(old, new, &is_number);
    }
    if old.1.is_empty() {
        return false;
    }
    let (a, b) = (
        units(old.0.get(old.1.clone()).unwrap_or("")),
        units(new.0.get(new.1.clone()).unwrap_or("")),
    );
    if a.is_empty() || b.is_empty() || a.iter().any(|u| b.contains(u)) {
        return false;
    }
    let digits = |(text, range): &(&str, Range<usize>)| {
        text.get(range.clone())
            .is_some_and(|c| c.bytes().any(|b| b.is_ascii_digit()))
    };
    digits(&old) || digits(&new) || number_beside(&[old, new], is_number)
}

/// One half of a swap the diff cut in two: the changed side's range names
/// a unit beside a number, and around the same place the other text has a
/// unit of another kind that the changed side's own surroundings lack.
fn unit_moved(
    old: (&str, Range<usize>),
    new: (&str, Range<usize>),
    is_number: &impl Fn(&str) -> bool,
) -> bool {
    let (changed, other) = if old.1.is_empty() {
        (new, old)
    } else {
        (old, new)
    };
    let mine = units(changed.0.get(changed.1.clone()).unwrap_or(""));
    if mine.is_empty() || !number_beside(std::slice::from_ref(&changed), is_number) {
        return false;
    }
    let own = units(&around(&changed));
    let theirs: Vec<usize> = units(&around(&other))
        .into_iter()
        .filter(|u| !own.contains(u))
        .collect();
    !theirs.is_empty() && theirs.iter().all(|u| !mine.contains(u))
}

/// The text around a range, without it: up to [`WINDOW`] words before and
/// after, with a symbol stuck to the outermost ones ("$5").
fn around((text, range): &(&str, Range<usize>)) -> String {
    let before = text.get(..range.start).unwrap_or("");
    let after = text.get(range.end..).unwrap_or("");
    let mut starts = Vec::new();
    for_each_word(before, |off, _| starts.push(off));
    let from = starts
        .len()
        .checked_sub(WINDOW)
        .and_then(|i| starts.get(i))
        .or(starts.first())
        .copied()
        .unwrap_or(before.len());
    let from = before[..from]
        .char_indices()
        .rev()
        .take_while(|(_, c)| !c.is_whitespace())
        .last()
        .map_or(from, |(i, _)| i);
    let mut ends = Vec::new();
    for_each_word(after, |off, w| ends.push(off + w.len()));
    let to = ends.get(WINDOW - 1).or(ends.last()).copied().unwrap_or(0);
    let to = to
        + after[to..]
            .char_indices()
            .find(|(_, c)| c.is_whitespace())
            .map_or(after.len() - to, |(i, _)| i);
    format!("{} {}", &before[from..], &after[..to])
}

#[cfg(test)]
mod tests {
    fn changed(old: &str, new: &str) -> bool {
        super::super::on_sides(old, new, |o, n| {
            super::unit_changed(o, n, |w| w == "million")
        })
    }

    /// One edit of a swap the diff cut in two: `cut` removed from `old`
    /// (or, `added`, `cut` added to `new`), the rest the same.
    fn half(old: &str, new: &str, cut: &str, added: bool) -> bool {
        let (with, without) = if added { (new, old) } else { (old, new) };
        let at = with.find(cut).expect("the cut is in the text");
        // Where the cut stands in the other text: after the same prefix,
        // or before the same suffix.
        let (prefix, suffix) = (&with[..at], &with[at + cut.len()..]);
        let there = if without.starts_with(prefix) {
            prefix.len()
        } else {
            assert!(
                without.ends_with(suffix),
                "{without:?} ends with {suffix:?}"
            );
            without.len() - suffix.len()
        };
        let (w, wo) = ((with, at..at + cut.len()), (without, there..there));
        let (o, n) = if added { (wo, w) } else { (w, wo) };
        super::unit_changed(o, n, |w| w == "million")
    }

    #[test]
    fn a_swap_cut_in_two_is_a_swap() {
        // "$5 million" → "5 million euros": "$" dropped, "euros" added.
        let (old, new) = (
            "it cost $5 million last year",
            "it cost 5 million euros last year",
        );
        assert!(half(old, new, "$", false));
        assert!(half(old, new, " euros", true));
        let (old, new) = ("a fine of £38 and costs", "a fine of 38 dollars and costs");
        assert!(half(old, new, "£", false));
        assert!(half(old, new, " dollars", true));
        // The same unit written another way is no swap.
        let (old, new) = (
            "it cost $5 million last year",
            "it cost 5 million dollars last year",
        );
        assert!(!half(old, new, "$", false));
        assert!(!half(old, new, " dollars", true));
        let (old, new) = ("rose 2% on Monday", "rose 2 percent on Monday");
        assert!(!half(old, new, "%", false));
        // A unit added where the other text has the same one nearby.
        let (old, new) = (
            "$5 million, or about 5 million",
            "$5 million, or about 5 million dollars",
        );
        assert!(!half(old, new, " dollars", true));
        // A unit added with no other unit around: left to the other rules.
        let (old, new) = (
            "it cost 5 million last year",
            "it cost 5 million euros last year",
        );
        assert!(!half(old, new, " euros", true));
        // No number beside the unit.
        let (old, new) = ("paid in dollars, not", "paid in euros and dollars, not");
        assert!(!half(old, new, " euros and", true));
    }

    #[test]
    fn a_units_swap_next_to_a_number() {
        for (old, new) in [
            ("cost $5 million", "cost €5 million"),
            ("cost $5 million", "cost £5 million"),
            ("within 12 km of", "within 12 miles of"),
            ("rose 2 percent", "rose 2 cents"),
            ("weighs 5 kg", "weighs 5 lb"),
        ] {
            assert!(changed(old, new), "{old} → {new}");
        }
        for (old, new) in [
            ("within 12 km of", "within 12 kilometres of"),
            ("rose 2%", "rose 2 percent"),
            ("rose 2 per cent", "rose 2 percent"),
            ("cost £5", "cost 5 pounds"),
            ("the km marker", "the mile marker"),
            ("cost $5 million", "cost 5 million"),
            ("a big cost", "a large cost"),
        ] {
            assert!(!changed(old, new), "{old} → {new}");
        }
    }
}
