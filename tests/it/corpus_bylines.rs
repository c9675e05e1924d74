//! Bylines over every page of the three corpora (`../shared/corpus`): a
//! byline names its authors, not what the page sets beside the name in
//! elements of their own (the author's title, the date) and content
//! detection joined to it without a space.

use crate::common;

use stet::model::Document;

/// Words that open a date line.
const DATE_WORDS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan.",
    "Feb.",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Whether `text` opens with a date word and a number ("November 15").
fn opens_with_date_word(text: &str) -> bool {
    DATE_WORDS.iter().any(|w| {
        text.strip_prefix(*w)
            .and_then(|r| r.strip_prefix(' '))
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
    })
}

/// The authors the page's metadata names (JSON-LD, `<meta name=author>`).
fn metadata_authors(doc: &Document) -> Vec<String> {
    let mut names: Vec<String> = doc
        .json_ld
        .iter()
        .flat_map(|l| l.authors.iter().cloned())
        .collect();
    names.extend(doc.meta.get("author").cloned());
    names
}

/// What is wrong with `byline`, if anything: a date word or more of a
/// title run into the name, a date after a separator, punctuation at the
/// end.
fn not_names(byline: &str, authors: &[String]) -> Option<String> {
    if byline.ends_with([',', ';', ':', '|', '-', '·']) {
        return Some("ends in punctuation".to_owned());
    }
    if opens_with_date_word(byline) {
        return Some("a date line, not a byline".to_owned());
    }
    // A weekday, not a month: "Theresa May" is a name.
    if let Some(w) = byline
        .rsplit(' ')
        .next()
        .filter(|w| w.ends_with("day") && DATE_WORDS.contains(w))
    {
        return Some(format!("ends in the weekday {w:?}"));
    }
    for sep in [" - ", " | ", " · ", ", ", " "] {
        for (i, _) in byline.match_indices(sep) {
            let rest = &byline[i + sep.len()..];
            let iso = rest.len() >= 10
                && rest.as_bytes()[..10].iter().enumerate().all(|(j, b)| {
                    if j == 4 || j == 7 {
                        *b == b'-'
                    } else {
                        b.is_ascii_digit()
                    }
                });
            if iso || opens_with_date_word(rest) {
                return Some(format!("a date after {sep:?}"));
            }
        }
    }
    run_together(byline, authors)
}

/// [`not_names`] for a date word or a title joined to the name.
fn run_together(byline: &str, authors: &[String]) -> Option<String> {
    let chars: Vec<(usize, char)> = byline.char_indices().collect();
    for pair in chars.windows(2) {
        let [(_, a), (i, b)] = pair else { continue };
        if !(a.is_lowercase() && b.is_uppercase()) {
            continue;
        }
        let rest = &byline[*i..];
        if let Some(w) = DATE_WORDS.iter().find(|w| {
            rest.strip_prefix(**w)
                .is_some_and(|r| r.starts_with([' ', ',']))
        }) {
            return Some(format!("date word {w:?} run into the name"));
        }
        if let Some(a) = authors.iter().find(|a| byline[..*i].trim() == a.trim()) {
            return Some(format!("text run into the author's name {a:?}"));
        }
    }
    None
}

#[test]
fn bylines_are_names_without_titles_dates_or_trailing_punctuation() {
    let Some(pages) = common::corpus::pages_or_skip() else {
        return;
    };
    let mut wrong = Vec::new();
    let mut with_bylines = 0;
    for (name, html) in &pages {
        let Some(doc) = common::corpus::document(html) else {
            continue;
        };
        with_bylines += usize::from(!doc.bylines.is_empty());
        let authors = metadata_authors(&doc);
        for b in &doc.bylines {
            if let Some(why) = not_names(b, &authors) {
                wrong.push(format!("{name}: {b:?}: {why}"));
            }
        }
    }
    assert_eq!(wrong, Vec::<String>::new());
    // The bylines are still there: cutting never empties one.
    assert!(
        with_bylines * 2 > pages.len(),
        "{with_bylines} of {} pages have a byline",
        pages.len()
    );
}

/// The field changes of `doc` against itself with `bylines` instead.
fn byline_classes(doc: &Document, bylines: Vec<String>) -> Vec<stet::diff::EditClass> {
    common::corpus::field_classes(doc, |d| d.bylines = bylines)
}

#[test]
fn the_corpora_bylines_joined_another_way_are_the_same_bylines() {
    use stet::diff::EditClass;
    let Some(documents) = common::corpus::documents_or_skip() else {
        return;
    };
    let (mut cases, mut wrong) = (0, Vec::new());
    for (name, doc) in &documents {
        // Every name of the page's bylines, in order.
        let names: Vec<String> = doc
            .bylines
            .iter()
            .flat_map(|b| b.split(" and ").flat_map(|p| p.split(", ")))
            .map(str::to_owned)
            .collect();
        if names.len() < 2 {
            continue;
        }
        cases += 1;
        let (last, first) = names.split_last().expect("two names");
        let redesigns = [
            vec![names.join(", ")],
            vec![names.join(" & ")],
            vec![format!("{} and {last}", first.join(", "))],
            names.clone(),
        ];
        for bylines in redesigns {
            let got = byline_classes(doc, bylines.clone());
            if got.iter().any(|c| *c != EditClass::Cosmetic) {
                wrong.push(format!("{name}: {:?} → {bylines:?}: {got:?}", doc.bylines));
            }
        }
        // Another order is a change, if a minor one; a name gone is more.
        let mut reversed = names.clone();
        reversed.reverse();
        let got = byline_classes(doc, vec![reversed.join(", ")]);
        if got != [EditClass::Minor] {
            wrong.push(format!("{name}: reversed: {got:?}"));
        }
        let got = byline_classes(doc, vec![first.join(", ")]);
        if got != [EditClass::Substantive] {
            wrong.push(format!("{name}: {last} dropped: {got:?}"));
        }
    }
    println!("bylines of two names or more: {cases} pages");
    assert_eq!(wrong, Vec::<String>::new());
    assert!(cases >= 10, "{cases} pages with two names or more");
}
