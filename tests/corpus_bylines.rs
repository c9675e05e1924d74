//! Bylines over every page of the three corpora (`../shared/corpus`): a
//! byline names its authors, not what the page sets beside the name in
//! elements of their own (the author's title, the date) and content
//! detection joined to it without a space.

mod common;

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
/// title run into the name.
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
fn no_byline_has_a_title_or_date_run_into_the_name() {
    let pages = match common::corpus::pages() {
        Ok(p) => p,
        Err(why) => {
            common::require_or_skip(false, "the corpora in ../shared/corpus", &why);
            return;
        }
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
            if let Some(why) = run_together(b, &authors) {
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
