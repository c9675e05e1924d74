//! A byline's label: templates write a writer's name alone or after "By"
//! ("Roisin O'Connor" / "By Roisin O'Connor", each entry of a live blog),
//! and a redesign adds or drops the word. A line that differs from the
//! other version's only by a leading "By" before one of the versions'
//! bylines reads the same: its edits are cosmetic.

use crate::extract::normalize::name_key;
use crate::model::diff::{Edit, EditClass};
use crate::model::Document;

/// `words` without a leading "By " (any case).
pub(crate) fn strip_by(words: &str) -> &str {
    match words.get(..3) {
        Some(by) if by.eq_ignore_ascii_case("by ") => words[3..].trim_start(),
        _ => words,
    }
}

/// Whether `name` is one of `doc`'s bylines: any case, "By" aside, and
/// quotes and dashes as [`name_key`] reads them (a template that sets
/// "Roisin O’Connor" beside the metadata's "Roisin O'Connor").
pub(crate) fn is_byline(doc: &Document, name: &str) -> bool {
    let name = name_key(strip_by(name));
    doc.bylines
        .iter()
        .any(|b| name_key(strip_by(b.trim())) == name)
}

/// Makes cosmetic the edits of each pair of blocks that differ only by a
/// "By" before a byline of either version.
pub(crate) fn settle(old: &Document, new: &Document, edits: &mut [Edit]) {
    for e in edits.iter_mut().filter(|e| e.class != EditClass::Cosmetic) {
        let (Some(a), Some(b)) = (text(old, e.old_block), text(new, e.new_block)) else {
            continue;
        };
        let (bare, labelled) = if a.len() < b.len() { (a, b) } else { (b, a) };
        if bare.len() == labelled.len() || strip_by(labelled) != bare {
            continue;
        }
        let names = old.bylines.iter().chain(&new.bylines);
        if names
            .map(|n| strip_by(n.trim()))
            .any(|n| !n.is_empty() && starts_with_ignore_case(bare, n))
        {
            e.class = EditClass::Cosmetic;
            e.reasons.clear();
        }
    }
}

/// The text of block `i` of `d`.
fn text(d: &Document, i: Option<usize>) -> Option<&str> {
    i.and_then(|i| d.blocks.get(i)).map(|b| b.text.as_str())
}

fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

#[cfg(test)]
mod tests {
    use crate::diff::tests::doc;
    use crate::diff::{diff_documents, DiffOptions};
    use crate::model::diff::EditClass;

    fn classes(bylines: &[&str], a: &[&str], b: &[&str]) -> Vec<EditClass> {
        let (mut a, mut b) = (doc(a), doc(b));
        for d in [&mut a, &mut b] {
            d.bylines = bylines.iter().map(|s| s.to_string()).collect();
        }
        let d = diff_documents(&a, &b, &DiffOptions::default());
        d.edits.iter().map(|e| e.class).collect()
    }

    const BODY: &str = "The singer won her third award of the night for best pop act.";

    #[test]
    fn a_by_before_a_bylines_name_is_cosmetic_and_before_other_words_is_not() {
        let entry = "Roisin O'Connor2 March 2024 22:17";
        let labelled = "By Roisin O'Connor2 March 2024 22:17";
        let names = ["Roisin O'Connor"];
        assert_eq!(
            classes(&names, &[BODY, entry], &[BODY, labelled]),
            vec![EditClass::Cosmetic]
        );
        assert_eq!(
            classes(&names, &[BODY, labelled], &[BODY, entry]),
            vec![EditClass::Cosmetic]
        );
        // Not a byline of the page: a sentence's first word.
        let (sentence, by) = (
            "Tuesday the ministry will publish the figures.",
            "By Tuesday the ministry will publish the figures.",
        );
        assert_ne!(
            classes(&names, &[BODY, sentence], &[BODY, by]),
            vec![EditClass::Cosmetic]
        );
        // Another name after the label is another writer.
        assert_ne!(
            classes(
                &names,
                &[BODY, entry],
                &[BODY, "By Oliver O'Connell2 March 2024 22:17"]
            ),
            vec![EditClass::Cosmetic]
        );
    }

    #[test]
    fn a_name_is_a_byline_in_any_case_and_quote_style_and_no_other_name_is() {
        let mut d = crate::diff::tests::doc(&[BODY]);
        d.bylines = vec!["Roisin O'Connor".into()];
        for name in [
            "Roisin O'Connor",
            "By Roisin O\u{2019}Connor",
            "ROISIN O\u{2019}CONNOR",
        ] {
            assert!(super::is_byline(&d, name), "{name}");
        }
        d.bylines = vec!["José Álvarez".into()];
        for name in ["JOSÉ ÁLVAREZ", "By josé álvarez"] {
            assert!(super::is_byline(&d, name), "{name}");
        }
        for name in ["Roisin O'Connell", "Roisin", "By Roisin O'Connor Jr"] {
            assert!(!super::is_byline(&d, name), "{name}");
        }
    }
}
