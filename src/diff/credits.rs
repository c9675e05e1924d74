//! Photo credits and image texts compared by what they say, not how a
//! template sets them: a credit restyled ("Photo: Jane Doe/Reuters" →
//! "(Jane Doe / Reuters)") names the same people; a caption whose credit
//! was restyled says the same; an alt text a CMS labels ("Image: …")
//! describes the same picture.

use crate::extract::normalize::fold;

/// Words that label a credit rather than name anyone ("Photo:", "Foto:",
/// "Image:", "Credit:", "Photo by"), at its start; "©" and the brackets,
/// slashes and colons around the names are no words at all.
const CREDIT_LABELS: &[&str] = &[
    "photo",
    "photos",
    "photograph",
    "photographs",
    "picture",
    "pictures",
    "image",
    "images",
    "foto",
    "fotos",
    "credit",
    "credits",
    "by",
];

/// Labels a CMS sets before an image's alt text ("Image: …").
const ALT_LABELS: &[&str] = &["image", "photo", "picture", "foto", "photograph"];

/// The names of a credit: its words, folded and in lower case, without
/// the labels that open it (see [`CREDIT_LABELS`]).
fn credit_names(credit: &str) -> Vec<String> {
    let folded = fold(credit).to_lowercase();
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let labels = words
        .iter()
        .take_while(|w| CREDIT_LABELS.contains(w))
        .count();
    words[labels..].iter().map(|w| (*w).to_owned()).collect()
}

/// Whether two credits name the same people in the same order, whatever
/// their labels, brackets, separators and spacing.
pub(super) fn same_credit(a: &str, b: &str) -> bool {
    let names = credit_names(a);
    !names.is_empty() && names == credit_names(b)
}

/// `caption` without `credit` (the last place it stands, with brackets
/// around it), whitespace collapsed: what the caption says besides the
/// credit. `None` when the caption does not hold the credit.
pub(super) fn without_credit(caption: &str, credit: &str) -> Option<String> {
    let credit = credit.trim();
    if credit.is_empty() {
        return None;
    }
    let at = caption.rfind(credit)?;
    let head = caption[..at].trim_end().trim_end_matches(['(', '[']);
    let tail = caption[at + credit.len()..]
        .trim_start()
        .trim_start_matches([')', ']']);
    Some(
        format!("{head} {tail}")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// `text` without a label a CMS sets before it ("Image: ", "Photo - ").
pub(super) fn unlabelled(text: &str) -> &str {
    let t = text.trim_start();
    let word_end = t.find(|c: char| !c.is_alphabetic()).unwrap_or(t.len());
    let (word, rest) = t.split_at(word_end);
    if !ALT_LABELS.iter().any(|l| word.eq_ignore_ascii_case(l)) {
        return text;
    }
    let rest = rest.trim_start();
    match rest.strip_prefix([':', '-', '–', '—', '|']) {
        Some(r) if !r.trim().is_empty() => r.trim_start(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_credit_restyled_names_the_same_people() {
        let a = "Photo: Jane Doe/Reuters";
        for same in [
            "(Jane Doe / Reuters)",
            "Foto: Jane Doe / Reuters",
            "Image: Jane Doe, Reuters",
            "Credit: JANE DOE/REUTERS",
            "© Jane Doe/Reuters",
            "Photo by Jane Doe/Reuters",
            "[Jane Doe | Reuters]",
        ] {
            assert!(same_credit(a, same), "{same}");
        }
        for other in [
            "(John Roe / Reuters)",
            "Jane Doe/AP",
            "Reuters/Jane Doe",
            "Photo:",
            "Jane Doe/Reuters/AFP",
        ] {
            assert!(!same_credit(a, other), "{other}");
        }
        assert!(same_credit(
            "AP Photo/Ng Han Guan",
            "(AP Photo / Ng Han Guan)"
        ));
        assert!(!same_credit("Photo:", "Image:"));
    }

    #[test]
    fn a_caption_without_its_credit() {
        assert_eq!(
            without_credit(
                "A crane on Monday. (Jane Doe / Reuters)",
                "(Jane Doe / Reuters)"
            )
            .as_deref(),
            Some("A crane on Monday.")
        );
        assert_eq!(
            without_credit("A crane. (AP Photo/Ng Han Guan)", "AP Photo/Ng Han Guan").as_deref(),
            Some("A crane.")
        );
        assert_eq!(
            without_credit("A crane. Photo: Jane Doe", "Photo: Jane Doe").as_deref(),
            Some("A crane.")
        );
        assert_eq!(without_credit("A crane.", "Jane Doe"), None);
    }

    #[test]
    fn a_label_before_an_alt_text() {
        assert_eq!(
            unlabelled("Image: A crane at the harbour"),
            "A crane at the harbour"
        );
        assert_eq!(unlabelled("Photo - A crane"), "A crane");
        assert_eq!(
            unlabelled("A crane at the harbour"),
            "A crane at the harbour"
        );
        // A word that is the description's own.
        assert_eq!(unlabelled("Image of a crane"), "Image of a crane");
        assert_eq!(
            unlabelled("Photographer: Jane Doe"),
            "Photographer: Jane Doe"
        );
        assert_eq!(unlabelled("Image:"), "Image:");
    }
}
