//! Provenance found in the article text: origin claims, sign-off bylines,
//! photo credits, and the dates they carry.

use std::sync::LazyLock;

use regex::Regex;

use super::promo;
use crate::model::{Claim, ClaimKind};

/// A constant pattern. A bad one yields `None`, which the unit tests catch.
fn re(pattern: &str) -> Option<Regex> {
    Regex::new(pattern).ok()
}

type Re = LazyLock<Option<Regex>>;

fn caps<'t>(re: &Re, text: &'t str) -> Option<regex::Captures<'t>> {
    re.as_ref()?.captures(text)
}

/// False only when `text` cannot match a case-insensitive pattern that
/// needs one of `needles` (ASCII, lower case): a test that costs far less
/// than compiling the pattern, which most texts never need. Under Unicode
/// case folding two non-ASCII letters also match ASCII ones (U+017F `ſ` is
/// `s`, U+212A KELVIN SIGN is `k`): a text holding either goes to the
/// pattern.
fn may_hold(text: &str, needles: &[&str]) -> bool {
    if text.contains(['\u{17F}', '\u{212A}']) {
        return true;
    }
    let hay = text.as_bytes();
    needles.iter().any(|n| {
        let n = n.as_bytes();
        let Some(&first) = n.first() else {
            return true;
        };
        // Candidates start with the needle's first letter, in either case.
        memchr::memchr2_iter(first.to_ascii_lowercase(), first.to_ascii_uppercase(), hay).any(
            |at| {
                hay.get(at..at + n.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(n))
            },
        )
    })
}

static ORIGIN: Re = LazyLock::new(|| {
    re(
        r"(?i)\b(?:originally|first)\s+(?:published|appeared|posted|ran|printed)\s+(?:by|in|on|at|with)\s+(.+)",
    )
});
static REPRINTED: Re = LazyLock::new(|| {
    re(
        r"(?i)\b(?:reprinted|republished|reproduced)\s+(?:here\s+)?(?:with\s+(?:the\s+)?permission\s+)?(?:from|by|of|courtesy\s+of)\s+(.+)",
    )
});
static SOURCE: Re = LazyLock::new(|| re(r"(?i)^(?:sources?|quelle|fuente|fonte)\s*:\s*(.+)"));
static VIA: Re = LazyLock::new(|| re(r"(?i)^(?:\[\s*)?via\s*:?\s+(.+)"));

static CREDIT_PAREN: Re = LazyLock::new(|| {
    re(
        r"\(((?:[^()]*?\b(?:Photo|Photograph|Photos|Image|Pictures?|Credit|Foto)\b[^()]*?)|(?:AP|Reuters|AFP|Getty Images|EPA|Bloomberg)[^()]*)\)\s*\.?$",
    )
});
static CREDIT_LABEL: Re = LazyLock::new(|| {
    re(
        r"(?i)(?:^|[\s.;|])((?:photo(?:graph)?|image|picture|credit|photo credit|illustration|foto)s?\s*(?::|by)\s*.+)$",
    )
});
/// "Name/Agency", each side at most [`AGENCY_SIDE`] characters (checked in
/// code: a counted repetition of `\p{L}` compiles to a very large automaton,
/// tens of milliseconds at every start of the program).
static CREDIT_BY_AGENCY: Re = LazyLock::new(|| {
    re(r"^(?:(?:Photo\s+)?By\s+)?(\p{Lu}[\p{L}.'’\- ]+)/\s*(\p{Lu}[\p{L}.&'’\- ]+)$")
});
const AGENCY_SIDE: usize = 61;

static SIGN_OFF: Re = LazyLock::new(|| {
    re(
        r"^(?:[-–—―]{1,2}|~)\s*(\p{Lu}[\p{L}'’.\-]*(?:\s+(?:\p{Lu}[\p{L}'’.\-]*|de|van|von|al|bin|da|di|la|le)){0,4}(?:\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)(?:with\s+)?(?:contributions|additional reporting|reporting|research|contributing)\s+(?:from|by)\s+[^.;]+|\s*(?:,|and|&)\s*\p{Lu}[\p{L}'’.\-]*(?:\s+\p{Lu}[\p{L}'’.\-]*){0,3})*)",
    )
});

/// A byline set as a paragraph of its own: "By Jane Roe", "By Jane Roe and
/// John Doe", "Par Jean Dupont", "Von Anna Schmidt": the word for "by", then
/// two to eight capitalised names joined by "and", "&" or commas, and
/// nothing else.
static BYLINE: Re = LazyLock::new(|| {
    re(
        r"^(?:By|BY|by|Par|Von|Por|Door)\s+(\p{Lu}[\p{L}'’.\-]*(?:(?:\s+|\s*,\s*|\s+(?:and|&|und|et|y|en)\s+)(?:\p{Lu}[\p{L}'’.\-]*|de|van|von|der|da|di|la|le|du|del)){1,7})$",
    )
});

/// The names of a byline set as a paragraph of its own (see [`BYLINE`]).
pub(crate) fn byline(text: &str) -> Option<String> {
    if text.chars().count() > 120 {
        return None;
    }
    let names = caps(&BYLINE, text.trim())?.get(1)?.as_str().trim();
    Some(names.to_owned())
}

/// A byline as content detection read it, cut to the names. Cut off:
/// what the page set beside the name in elements of their own, where the
/// texts were joined without a space (a title when `authors`, the page's
/// metadata, name the author before it: "David LauterSenior Editor"; a date
/// whatever the metadata says: "Carrie ArnoldNovember 15, 2019", "Lucas
/// Nolan22 Dec 2016"); a date after a separator or a space, with its label
/// ("admin - 2018-09-16", "Jane Roe Published Nov. 3, 2019"); a label
/// such as a reading time ("Jane Roe · 5 min read", see
/// [`promo::is_label`]); a title after a name the metadata gives in full
/// (see [`titled`]); punctuation left at the end ("Reuters,"). A byline
/// that is a date line ("Last Updated: January 7, 2025") or a label ("5
/// min read") comes back empty. A name written with a capital inside
/// ("Kevin McCoy", "Mike LaChance") is left whole, in capitals too ("JEFF
/// FOUSTMonday, November 18, 2019" is "JEFF FOUST").
pub(crate) fn byline_names<'a>(text: &'a str, authors: &[&str]) -> &'a str {
    let text = unglued(text, authors);
    if opens_with_date(text.trim_start()) || promo::is_label(text) {
        // A date line or a reading time, not a byline.
        return "";
    }
    let cut = SEPARATORS
        .iter()
        .flat_map(|sep| text.match_indices(sep).map(move |(i, _)| (i, sep.len())))
        .filter(|&(i, len)| {
            let rest = &text[i + len..];
            opens_with_date(rest) || promo::is_label(rest)
        })
        .map(|(i, _)| i)
        .min();
    let trim =
        |s: &'a str| s.trim_end_matches(|c: char| c.is_whitespace() || ",;:|·-–—".contains(c));
    let Some(cut) = cut else {
        return titled(trim(text), authors);
    };
    // The label of the date that was cut off ("Published", "Last
    // updated on") goes with it.
    let mut names = trim(&text[..cut]);
    loop {
        let (rest, last) = names.rsplit_once(' ').unwrap_or(("", names));
        if last.is_empty() || !DATE_LABELS.iter().any(|l| last.eq_ignore_ascii_case(l)) {
            // What is left may be a label or a date itself, before the
            // one cut off ("Updated 10 minutes ago · 24 comments").
            return byline_names(names, authors);
        }
        names = trim(rest);
    }
}

/// `text` without a label set after its name ("By Jane Roe · Updated 10
/// minutes ago", "AP Photo | 2 min read"; see [`promo::is_label`]): a
/// credit line that shares the byline's element. The label comes with the
/// page, not with the picture, and changes by itself.
pub(crate) fn without_label(text: &str) -> &str {
    SEPARATORS
        .iter()
        .flat_map(|sep| text.match_indices(sep).map(move |(i, _)| (i, sep.len())))
        .filter(|&(i, len)| promo::is_label(&text[i + len..]))
        .map(|(i, _)| i)
        .min()
        .map_or(text, |i| {
            text[..i].trim_end_matches(|c: char| c.is_whitespace() || ",;:|·-–—".contains(c))
        })
}

/// A byline of one author the metadata names in full, then a title after
/// a space ("Mark Di Stefano BuzzFeed News Reporter"), cut to the name.
/// More names after it ("… and John Doe", "…, Reuters", "… - Jo Li")
/// stay.
fn titled<'a>(text: &'a str, authors: &[&str]) -> &'a str {
    let author = authors.iter().map(|a| a.trim()).find(|a| {
        a.contains(' ')
            && text
                .get(..a.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(a))
            && text[a.len()..].starts_with(' ')
    });
    match author {
        Some(a)
            if !text[a.len()..].contains([',', '&', '-', '–', '—', '|', '/', ';'])
                && !text.contains(" and ") =>
        {
            &text[..a.len()]
        }
        _ => text,
    }
}

/// Words that say what a date is: cut off with it.
const DATE_LABELS: &[&str] = &[
    "updated",
    "published",
    "posted",
    "modified",
    "last",
    "on",
    "at",
];

/// What a byline's parts are set apart by.
const SEPARATORS: &[&str] = &[" - ", " – ", " — ", " | ", " · ", ", ", " "];

/// Whether `text` opens with an ISO date ("2018-09-16").
fn iso_date(text: &str) -> bool {
    caps(&DATE_ISO, text).is_some_and(|c| c.get(0).is_some_and(|m| m.start() == 0))
}

/// [`byline_names`] for a title or date joined to the name.
/// The name may be in capitals ("JEFF FOUSTMonday, November 18"): then
/// the next part starts at a capital followed by a small letter.
fn unglued<'a>(text: &'a str, authors: &[&str]) -> &'a str {
    let mut prev: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let glued = match prev {
            Some(p) if p.is_lowercase() => c.is_uppercase() || c.is_ascii_digit(),
            Some(p) if p.is_uppercase() => {
                c.is_ascii_digit() || c.is_uppercase() && next.is_some_and(char::is_lowercase)
            }
            _ => false,
        };
        prev = Some(c);
        if !glued {
            continue;
        }
        let (name, rest) = text.split_at(i);
        let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let said = words(name);
        let said = said.strip_prefix("By ").unwrap_or(&said);
        let named = authors.iter().any(|a| said.eq_ignore_ascii_case(&words(a)));
        if named || opens_with_date(rest) || promo::is_label(rest) {
            return name.trim_end();
        }
    }
    text
}

/// Whether `text` opens with a date: a month and a day ("November 15,
/// 2019", "Nov. 15"), a day and a month ("22 Dec 2016"), either after a
/// word and a comma ("Monday, November 18"), an ISO date, or a time of
/// day ("11:11 PM EST Nov 19, 2019").
fn opens_with_date(text: &str) -> bool {
    month_day(text)
        || day_month(text)
        || iso_date(text)
        || clock_time(text)
        || text.split_once(", ").is_some_and(|(word, rest)| {
            !word.is_empty() && word.chars().all(char::is_alphabetic) && month_day(rest)
        })
}

/// How many ASCII digits `text` opens with.
fn leading_digits(text: &str) -> usize {
    text.find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len())
}

/// A time of day: "11:11", "6:01 am".
fn clock_time(text: &str) -> bool {
    let hours = leading_digits(text);
    let Some(rest) = text[hours..].strip_prefix(':') else {
        return false;
    };
    (1..=2).contains(&hours) && leading_digits(rest) == 2
}

/// A day and a month: "22 Dec", "3 March".
fn day_month(text: &str) -> bool {
    let digits = leading_digits(text);
    let Some(rest) = text[digits..].strip_prefix(' ') else {
        return false;
    };
    let word_end = rest
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(rest.len());
    (1..=2).contains(&digits) && month(&rest[..word_end]).is_some()
}

/// A month and a day: "November 18", "Nov. 18".
fn month_day(text: &str) -> bool {
    let word_end = text
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(text.len());
    let (word, after) = text.split_at(word_end);
    month(word).is_some()
        && after
            .trim_start_matches('.')
            .trim_start()
            .starts_with(|c: char| c.is_ascii_digit())
}

static MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("sept", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
];

fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .find(|(name, _)| {
            *name == w || (w.len() == 3 && name.starts_with(&w)) || (w == "sept" && *name == "sept")
        })
        .map(|&(_, m)| m)
}

static DATE_ISO: Re = LazyLock::new(|| re(r"\b(\d{4})-(\d{1,2})-(\d{1,2})(?:\D|$)"));
static DATE_MDY: Re =
    LazyLock::new(|| re(r"\b([A-Za-z]{3,9}\.?)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b"));
static DATE_DMY: Re = LazyLock::new(|| {
    re(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([A-Za-z]{3,9}\.?),?\s+(\d{4})\b")
});

/// `YYYY-MM-DD` when the year, month and day make a real date.
pub(crate) fn iso(y: u32, m: u32, d: u32) -> Option<String> {
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        _ => return None,
    };
    ((1000..=9999).contains(&y) && (1..=days).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// The first date written in `s`, as `YYYY-MM-DD`: "April 27 2011",
/// "Apr. 27, 2011", "27 April 2011", "2011-04-27".
pub fn parse_date(s: &str) -> Option<String> {
    let mut best: Option<(usize, String)> = None;
    let mut consider = |pos: usize, date: Option<String>| {
        if let Some(d) = date {
            if best.as_ref().is_none_or(|(p, _)| pos < *p) {
                best = Some((pos, d));
            }
        }
    };
    if let Some(c) = caps(&DATE_ISO, s) {
        let n = |i| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        if let (Some(y), Some(m), Some(d), Some(all)) = (n(1), n(2), n(3), c.get(0)) {
            consider(all.start(), iso(y, m, d));
        }
    }
    for c in DATE_MDY.iter().flat_map(|r| r.captures_iter(s)) {
        let (Some(all), Some(mw), Some(d), Some(y)) = (c.get(0), c.get(1), c.get(2), c.get(3))
        else {
            continue;
        };
        if let (Some(m), Ok(d), Ok(y)) =
            (month(mw.as_str()), d.as_str().parse(), y.as_str().parse())
        {
            consider(all.start(), iso(y, m, d));
            break;
        }
    }
    for c in DATE_DMY.iter().flat_map(|r| r.captures_iter(s)) {
        let (Some(all), Some(d), Some(mw), Some(y)) = (c.get(0), c.get(1), c.get(2), c.get(3))
        else {
            continue;
        };
        if let (Some(m), Ok(d), Ok(y)) =
            (month(mw.as_str()), d.as_str().parse(), y.as_str().parse())
        {
            consider(all.start(), iso(y, m, d));
            break;
        }
    }
    best.map(|(_, d)| d)
}

/// Splits "Wall Street Journal, April 27 2011" into publisher and rest.
fn publisher_and_rest(s: &str) -> (Option<String>, &str) {
    let cut = [", ", " on ", " in ", "; ", " at ", " | ", " (", ". "]
        .iter()
        .filter_map(|sep| s.find(sep))
        .min()
        .unwrap_or(s.len());
    let mut p = s[..cut]
        .trim()
        .trim_end_matches(['.', ',', ':', ';'])
        .trim();
    if let Some(rest) = p.strip_prefix("the ") {
        p = rest;
    }
    let publisher =
        (!p.is_empty() && p.chars().count() <= 80 && parse_date(p).is_none()).then(|| p.to_owned());
    (publisher, &s[cut..])
}

fn first_sentence(s: &str) -> &str {
    let mut prev_upper_initial = false;
    for (i, c) in s.char_indices() {
        if c == '.' {
            let next = s[i + 1..].chars().next();
            // "U.S." and initials are not sentence ends.
            if next.is_none_or(char::is_whitespace) && !prev_upper_initial {
                return &s[..i];
            }
        }
        prev_upper_initial = c.is_uppercase()
            && s[..i]
                .chars()
                .next_back()
                .is_none_or(|p| !p.is_alphanumeric());
    }
    s
}

/// [`may_hold`] for a pattern anchored at the start of the text.
fn may_start(text: &str, needles: &[&str]) -> bool {
    if text.contains(['\u{17F}', '\u{212A}']) {
        return true;
    }
    needles.iter().any(|n| {
        text.as_bytes()
            .get(..n.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(n.as_bytes()))
    })
}

/// Claims made by one block of article text. `url` is the block's first link.
pub(crate) fn claims_in(text: &str, url: Option<&str>) -> Vec<Claim> {
    let mut out = Vec::new();
    let short = text.chars().count() <= 300;
    let mut push = |kind, publisher: Option<String>, date: Option<String>| {
        out.push(Claim {
            kind,
            text: text.to_owned(),
            publisher,
            date,
            url: url.map(str::to_owned),
        });
    };
    if !short {
        return out;
    }
    // What each pattern cannot match without (see `may_hold`).
    let origin = may_hold(text, &["originally", "first"])
        && may_hold(text, &["published", "appeared", "posted", "ran", "printed"]);
    let reprinted = may_hold(text, &["reprinted", "republished", "reproduced"]);
    let source = text.contains(':') && may_start(text, &["source", "quelle", "fuente", "fonte"]);
    let via = may_start(text, &["via", "["]);
    if let Some(c) = origin
        .then(|| caps(&ORIGIN, text))
        .flatten()
        .and_then(|c| c.get(1))
    {
        let (publisher, rest) = publisher_and_rest(c.as_str());
        let date = parse_date(if publisher.is_some() {
            rest
        } else {
            c.as_str()
        });
        push(ClaimKind::OriginallyPublished, publisher, date);
    } else if let Some(c) = reprinted
        .then(|| caps(&REPRINTED, text))
        .flatten()
        .and_then(|c| c.get(1))
    {
        let (publisher, rest) = publisher_and_rest(c.as_str());
        push(ClaimKind::ReprintedFrom, publisher, parse_date(rest));
    } else if let Some(c) = source
        .then(|| caps(&SOURCE, text))
        .flatten()
        .and_then(|c| c.get(1))
    {
        let (publisher, rest) = publisher_and_rest(first_sentence(c.as_str()));
        push(ClaimKind::Source, publisher, parse_date(rest));
    } else if let Some(c) = via
        .then(|| caps(&VIA, text))
        .flatten()
        .and_then(|c| c.get(1))
    {
        if text.chars().count() <= 120 {
            let (publisher, _) = publisher_and_rest(c.as_str().trim_end_matches(']'));
            push(ClaimKind::Via, publisher, None);
        }
    }
    out
}

/// A closing sign-off such as "–Brian Spegele, with contributions from Josh
/// Chin. Follow Brian on Twitter" → "Brian Spegele, with contributions from
/// Josh Chin".
pub(crate) fn sign_off(text: &str) -> Option<String> {
    // The pattern starts with a dash or a tilde.
    if text.chars().count() > 300 || !text.starts_with(['-', '–', '—', '―', '~']) {
        return None;
    }
    let c = caps(&SIGN_OFF, text)?.get(1)?;
    let s = c.as_str().trim().trim_end_matches([',', '.', ';']).trim();
    let end = c.end();
    // The sign-off must end the sentence (or the block).
    let after = text[end..].trim_start();
    if !(after.is_empty()
        || after.starts_with(['.', ';', '|', '('])
        || text[end..].starts_with(". "))
    {
        return None;
    }
    (!s.is_empty()).then(|| s.to_owned())
}

/// A photo credit in a caption or credit line: "(AP Photo/Ng Han Guan)",
/// "Photo: Reuters", "By Kin Cheung/Associated Press".
pub fn credit_from_text(text: &str) -> Option<String> {
    let text = without_label(text.trim());
    if let Some(c) = caps(&CREDIT_PAREN, text).and_then(|c| c.get(1)) {
        return Some(c.as_str().trim().to_owned());
    }
    if text.chars().count() <= 150 {
        if let Some(c) = caps(&CREDIT_BY_AGENCY, text) {
            let short = |i| {
                c.get(i)
                    .is_some_and(|m| m.as_str().chars().count() <= AGENCY_SIDE)
            };
            if short(1) && short(2) {
                return Some(text.to_owned());
            }
        }
    }
    if let Some(c) = caps(&CREDIT_LABEL, text).and_then(|c| c.get(1)) {
        let c = c.as_str().trim();
        if c.chars().count() <= 120 {
            return Some(c.to_owned());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Whatever the text and the metadata, the names are the byline's
        /// start (never text it does not have), and a second cut changes
        /// nothing.
        #[test]
        fn byline_names_are_a_start_of_the_byline(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "Jane", " ", "Roe", "roe", "Nov.", "November", "May", "3", "22", ", ", " - ",
                " | ", " — ", "Monday", "Published", "Updated", "on", ",", "2019-04-10", "Mc",
                "Coy", "Senior", "Editor", " and ", "É", "ärger", "日本", "By ",
            ]), 0..10),
            other in "\\PC{0,20}",
            author in proptest::sample::select(vec!["Jane Roe", "Jane", "", "Roe Senior"]),
        ) {
            let byline = parts.concat() + &other;
            let names = byline_names(&byline, &[author]);
            proptest::prop_assert!(byline.starts_with(names), "{:?} → {:?}", byline, names);
            proptest::prop_assert_eq!(byline_names(names, &[author]), names);
        }
    }

    #[test]
    fn a_title_or_date_beside_the_bylines_name_is_cut_off() {
        let ld: &[&str] = &["David Lauter"];
        for (byline, authors, names) in [
            ("David LauterSenior Editor", ld, "David Lauter"),
            ("By David LauterSenior Editor", ld, "By David Lauter"),
            (
                " By\n  David\u{a0}LauterSenior Editor",
                ld,
                " By\n  David\u{a0}Lauter",
            ),
            // A date needs no metadata.
            ("Carrie ArnoldNovember 15, 2019", &[], "Carrie Arnold"),
            ("Jeff FoustMonday, November 18, 2019", &[], "Jeff Foust"),
            // In capitals.
            ("JEFF FOUSTMonday, November 18, 2019", &[], "JEFF FOUST"),
            ("LUCAS NOLAN22 Dec 2016651", &[], "LUCAS NOLAN"),
            ("DAVID LAUTERSenior Editor", ld, "DAVID LAUTER"),
            // A reading time beside the name, or alone.
            ("Jane Roe · 5 min read", &[], "Jane Roe"),
            // The time since the update, which changes by itself: cut off,
            // and alone (before a comment count) no byline.
            ("Jane Roe · Updated 3 hours ago", &[], "Jane Roe"),
            ("Updated 10 minutes ago 24 comments", &[], ""),
            ("3 hours ago", &[], ""),
            ("Jane Roe5 min read", &[], "Jane Roe"),
            ("5 min read", &[], ""),
            ("Ann LeeSept. 3", &[], "Ann Lee"),
            ("Lucas Nolan22 Dec 2016651", &[], "Lucas Nolan"),
            // A date after a separator (with its label), and punctuation
            // at the end.
            ("admin - 2018-09-16", &[], "admin"),
            ("Jane Roe | Nov. 3, 2019", &[], "Jane Roe"),
            ("Jane Roe, Monday, May 4", &[], "Jane Roe"),
            (
                "Joe Wee Monday, February 29, 2016 @ 11:10 PM UTC",
                &[],
                "Joe Wee",
            ),
            ("Jane Roe Published Nov. 3, 2019", &[], "Jane Roe"),
            (
                "Detroit News wire services Published 11:11 PM EST Nov 19, 2019",
                &[],
                "Detroit News wire services",
            ),
            ("Reuters,", &[], "Reuters"),
            ("PTI,", &["PTI"], "PTI"),
            // A title after the name the metadata gives.
            (
                "Mark Di Stefano BuzzFeed News Reporter",
                &["Mark Di Stefano"],
                "Mark Di Stefano",
            ),
            // A date line is no byline.
            ("Last Updated: January 7, 2025", &[], ""),
            ("April 28, 2019 at 6:01 am Updated April 29", &[], ""),
        ] {
            assert_eq!(byline_names(byline, authors), names, "{byline:?}");
        }
        // Capitals inside a name, a title with no metadata to tell it
        // from one, and a month that is a name: left as they are.
        for whole in [
            "Kevin Johnson and Kevin McCoy",
            "Mike LaChance",
            "Sandee LaMotte, CNN",
            "Bryan DeArdo",
            "AppleInsider",
            "David LauterSenior Editor",
            "Kate JuneBug",
            "Ann MayField",
            "Tanza Loudenback, Business Insider",
            "Jeremy Scahill, Ryan Grim, Daniel Boguslaw",
            "Jane Roe - May Smith",
            "Agence France-Presse",
            "Theresa May",
            "Jane Roe and 3 others",
            "Marie-Claire Dupont",
            "JEFF FOUST",
            "AP Staff",
        ] {
            let ld: &[&str] = if whole.starts_with("David") {
                &[]
            } else {
                &[
                    "Mike LaChance",
                    "Kevin Johnson",
                    "Tanza Loudenback",
                    "Jane Roe",
                    "Theresa",
                ]
            };
            assert_eq!(byline_names(whole, ld), whole, "{whole}");
        }
    }

    #[test]
    fn a_byline_paragraph_names_its_authors_and_a_sentence_is_no_byline() {
        for (text, names) in [
            ("By Jane Doe", "Jane Doe"),
            ("By Jane Doe and John Roe", "Jane Doe and John Roe"),
            ("BY Maria de la Cruz, Tom Li", "Maria de la Cruz, Tom Li"),
            ("Par Jean Dupont", "Jean Dupont"),
        ] {
            assert_eq!(byline(text).as_deref(), Some(names), "{text}");
        }
        for text in [
            "By Tuesday the council had voted.",
            "By Reuters",
            "By the way, the harbour reopens.",
            "Jane Doe",
        ] {
            assert_eq!(byline(text), None, "{text}");
        }
    }

    /// The cheap tests before the patterns never hide a match.
    fn prefilters_admit(text: &str) {
        let matches = |re: &Re| re.as_ref().is_some_and(|r| r.is_match(text));
        if matches(&ORIGIN) {
            assert!(
                may_hold(text, &["originally", "first"])
                    && may_hold(text, &["published", "appeared", "posted", "ran", "printed"]),
                "{text:?}"
            );
        }
        if matches(&REPRINTED) {
            assert!(
                may_hold(text, &["reprinted", "republished", "reproduced"]),
                "{text:?}"
            );
        }
        if matches(&SOURCE) {
            assert!(
                text.contains(':') && may_start(text, &["source", "quelle", "fuente", "fonte"]),
                "{text:?}"
            );
        }
        if matches(&VIA) {
            assert!(may_start(text, &["via", "["]), "{text:?}");
        }
        if matches(&SIGN_OFF) {
            assert!(text.starts_with(['-', '–', '—', '―', '~']), "{text:?}");
        }
    }

    #[test]
    fn prefilters_admit_every_match() {
        for text in [
            "Originally published by The Times on May 2.",
            "FIRST APPEARED IN Le Monde",
            "This story was firſt publiſhed by ProPublica",
            "Reprinted with permission from Wired",
            "Sources: Reuters, AP",
            "ſource: the ministry",
            "Via: AP",
            "[ via The Guardian]",
            "VIA Reuters",
            "—Brian Spegele, with contributions from Josh Chin",
            "~ Ana K",
        ] {
            // Each of these matches a pattern, so the check is not vacuous.
            let matched = [&ORIGIN, &REPRINTED, &SOURCE, &VIA, &SIGN_OFF]
                .iter()
                .any(|re| re.as_ref().is_some_and(|r| r.is_match(text)));
            assert!(matched, "{text:?} matches no pattern");
            prefilters_admit(text);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, .. Default::default() })]
        #[test]
        fn prefilters_never_hide_a_match(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "originally", "First", "firſt", "published", "publiſhed", "ran", "by", "in", " ",
                    "reprinted", "from", "source", "Sources", "ſource", ":", "via", "[", "]", "VIA",
                    "—", "-", "~", "Ana", "Kelvin", "\u{212A}", "and", "The Times", ".",
                ]),
                0..10,
            )
        ) {
            prefilters_admit(&parts.concat());
        }
    }

    #[test]
    fn every_pattern_compiles() {
        for r in [
            &ORIGIN,
            &REPRINTED,
            &SOURCE,
            &VIA,
            &CREDIT_PAREN,
            &CREDIT_LABEL,
            &CREDIT_BY_AGENCY,
            &SIGN_OFF,
            &DATE_ISO,
            &DATE_MDY,
            &DATE_DMY,
        ] {
            assert!(r.is_some());
        }
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("April 27 2011").as_deref(), Some("2011-04-27"));
        assert_eq!(
            parse_date("on Apr. 27, 2011.").as_deref(),
            Some("2011-04-27")
        );
        assert_eq!(
            parse_date("27th of April, 2011").as_deref(),
            Some("2011-04-27")
        );
        assert_eq!(
            parse_date("2011-04-27T10:00Z").as_deref(),
            Some("2011-04-27")
        );
        assert_eq!(parse_date("February 30 2011"), None);
        assert_eq!(parse_date("May I say 12 things 2011"), None);
    }

    #[test]
    fn origin_claim() {
        let c = claims_in(
            "Originally published by Wall Street Journal, April 27 2011",
            None,
        );
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].kind, ClaimKind::OriginallyPublished);
        assert_eq!(c[0].publisher.as_deref(), Some("Wall Street Journal"));
        assert_eq!(c[0].date.as_deref(), Some("2011-04-27"));
        let c = claims_in(
            "This article first appeared in The Atlantic on March 3, 2020.",
            None,
        );
        assert_eq!(c[0].publisher.as_deref(), Some("The Atlantic"));
        assert_eq!(c[0].date.as_deref(), Some("2020-03-03"));
        let c = claims_in("Source: Reuters", Some("http://r/"));
        assert_eq!(
            (c[0].kind, c[0].publisher.as_deref()),
            (ClaimKind::Source, Some("Reuters"))
        );
        let c = claims_in("Reprinted with permission from Foreign Policy.", None);
        assert_eq!(c[0].publisher.as_deref(), Some("Foreign Policy"));
        let c = claims_in("Via Hacker News", None);
        assert_eq!(c[0].kind, ClaimKind::Via);
        assert!(claims_in("Nothing to see here.", None).is_empty());
    }

    #[test]
    fn sign_offs() {
        assert_eq!(
            sign_off("–Brian Spegele, with contributions from Josh Chin. Follow Brian on Twitter @bspegele.").as_deref(),
            Some("Brian Spegele, with contributions from Josh Chin")
        );
        assert_eq!(sign_off("— Jane Doe").as_deref(), Some("Jane Doe"));
        assert_eq!(sign_off("- this is just a list item about things"), None);
    }

    #[test]
    fn credits() {
        assert_eq!(
            credit_from_text("By Kin Cheung/Associated Press").as_deref(),
            Some("By Kin Cheung/Associated Press")
        );
        assert_eq!(
            credit_from_text("Protesters march. (AP Photo/Ng Han Guan)").as_deref(),
            Some("AP Photo/Ng Han Guan")
        );
        assert_eq!(
            credit_from_text("A view. Photo: Reuters").as_deref(),
            Some("Photo: Reuters")
        );
        assert_eq!(credit_from_text("A plain caption."), None);
        // The byline's element holding a credit and the time since the
        // page was updated.
        assert_eq!(
            credit_from_text("By Kin Cheung/Associated Press · Updated 3 hours ago").as_deref(),
            Some("By Kin Cheung/Associated Press")
        );
    }
}
