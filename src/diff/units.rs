//! A number's unit or currency: "$5 million" → "€5 million", "12 km" →
//! "12 miles" change the figure an article reports, though no digit
//! changed. The same unit written another way ("km" → "kilometres", "%"
//! → "percent", "£" → "pounds") is house style, not a change.
//!
//! Only a swap counts: a unit on both sides of the edit, none shared,
//! and a number right next to the change. A unit added or dropped alone
//! ("$5 million" → "5 million dollars" is two such edits) is left to the
//! other rules.

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

/// True when the changed ranges of `old` and `new` (a text and the range
/// that changed) name units, none of them the same, and a number stands
/// right next to the change on either side (or in it): `is_number` tells
/// a number word.
pub(crate) fn unit_changed(
    old: (&str, Range<usize>),
    new: (&str, Range<usize>),
    is_number: impl Fn(&str) -> bool,
) -> bool {
    // A swap has two sides.
    if old.1.is_empty() || new.1.is_empty() {
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

#[cfg(test)]
mod tests {
    fn changed(old: &str, new: &str) -> bool {
        // The edit is what differs between the two texts, as the diff cuts it.
        let start = old
            .char_indices()
            .zip(new.chars())
            .find(|((_, a), b)| a != b)
            .map_or(old.len().min(new.len()), |((i, _), _)| i);
        let common_end = old[start..]
            .chars()
            .rev()
            .zip(new[start..].chars().rev())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| a.len_utf8())
            .sum::<usize>();
        let (oe, ne) = (old.len() - common_end, new.len() - common_end);
        super::unit_changed((old, start..oe), (new, start..ne), |w| w == "million")
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
