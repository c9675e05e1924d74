//! Where a deleted or inserted run of words stands when it could stand in
//! more than one place. Deleting "The letter did not reach him. " from
//! "The letter did not reach him. The powder is harmless." leaves the same
//! text whether the run is taken as "The letter … him. " or as
//! "letter … him. The ": the word diff may give either, and the second
//! reads as a cut through two sentences ("…The [-letter … him. The -]powder").
//! Of the places a run can slide to, one that starts a sentence is chosen.

use similar::DiffOp;

/// Slides each lone deletion or insertion (an equal run on both sides) to
/// start at a sentence's start when one of its places does; else it stays.
pub(super) fn to_sentences(ops: &mut [DiffOp], old: &[&str], new: &[&str]) {
    for k in 1..ops.len().saturating_sub(1) {
        let (before, after) = match (&ops[k - 1], &ops[k + 1]) {
            (DiffOp::Equal { len: b, .. }, DiffOp::Equal { len: a, .. }) => (*b, *a),
            _ => continue,
        };
        let (toks, start, len) = match ops[k] {
            DiffOp::Delete {
                old_index, old_len, ..
            } => (old, old_index, old_len),
            DiffOp::Insert {
                new_index, new_len, ..
            } => (new, new_index, new_len),
            _ => continue,
        };
        let Some(shift) = best_shift(toks, start, len, before, after) else {
            continue;
        };
        shift_op(ops, k, shift);
    }
}

/// The shift (tokens, negative to the left) that puts the run
/// `toks[start..start + len]` at a sentence's start, the smallest such;
/// `None` when it starts one already or cannot.
fn best_shift(
    toks: &[&str],
    start: usize,
    len: usize,
    room_left: usize,
    room_right: usize,
) -> Option<isize> {
    if len == 0 || starts_sentence(toks, start) {
        return None;
    }
    // Left: while the token before the run equals its last.
    let mut left = 0;
    while left < room_left && toks[start - left - 1] == toks[start + len - left - 1] {
        left += 1;
        if starts_sentence(toks, start - left) {
            return Some(-(left as isize));
        }
    }
    // Right: while the run's first token equals the one after it.
    let mut right = 0;
    while right < room_right && toks.get(start + len + right) == toks.get(start + right) {
        right += 1;
        if starts_sentence(toks, start + right) {
            return Some(right as isize);
        }
    }
    None
}

/// Whether token `at` begins a sentence: the text's first token, or a word
/// (or an opening quote) after a sentence's end (".", "!", "?" or "…",
/// with any closing quotes or brackets) and a space.
fn starts_sentence(toks: &[&str], at: usize) -> bool {
    if at == 0 {
        return true;
    }
    let opens = |c: char| {
        c.is_alphanumeric() || matches!(c, '"' | '\'' | '\u{201C}' | '\u{2018}' | '(' | '[')
    };
    if !toks[at].chars().next().is_some_and(opens) {
        return false;
    }
    let mut k = at;
    let mut spaced = false;
    while k > 0 {
        k -= 1;
        let t = toks[k];
        if t.chars().all(char::is_whitespace) {
            spaced = true;
        } else if t
            .chars()
            .all(|c| matches!(c, '"' | '\'' | '\u{201D}' | '\u{2019}' | ')' | ']'))
        {
            continue;
        } else {
            return spaced && t.ends_with(['.', '!', '?', '\u{2026}']);
        }
    }
    false
}

/// Moves op `k` (a deletion or insertion between two equal runs) by
/// `shift` tokens, the equal runs around it giving or taking them.
fn shift_op(ops: &mut [DiffOp], k: usize, shift: isize) {
    let moved = |i: usize| i.checked_add_signed(shift).unwrap_or(i);
    if let DiffOp::Equal { len, .. } = &mut ops[k - 1] {
        *len = len.checked_add_signed(shift).unwrap_or(*len);
    }
    match &mut ops[k] {
        DiffOp::Delete {
            old_index,
            new_index,
            ..
        }
        | DiffOp::Insert {
            old_index,
            new_index,
            ..
        } => {
            *old_index = moved(*old_index);
            *new_index = moved(*new_index);
        }
        _ => {}
    }
    if let DiffOp::Equal {
        old_index,
        new_index,
        len,
    } = &mut ops[k + 1]
    {
        *old_index = moved(*old_index);
        *new_index = moved(*new_index);
        *len = len.checked_add_signed(-shift).unwrap_or(*len);
    }
}

#[cfg(test)]
mod tests {
    use crate::diff::tests::doc;
    use crate::diff::{diff_documents, DiffOptions};

    /// The deleted or inserted words of each edit from `a` to `b`.
    fn runs(a: &str, b: &str) -> Vec<(String, String)> {
        diff_documents(&doc(&[a]), &doc(&[b]), &DiffOptions::default())
            .edits
            .into_iter()
            .map(|e| (e.before, e.after))
            .collect()
    }

    const TEXT: &str = "The letter did not reach the judge, and the attack caused only a brief \
                        scare. The powder is being analysed. It was harmless.";

    #[test]
    fn a_deleted_or_inserted_sentence_is_the_sentence() {
        let without_first = "The powder is being analysed. It was harmless.";
        let first = "The letter did not reach the judge, and the attack caused only a brief \
                     scare. ";
        assert_eq!(
            runs(TEXT, without_first),
            vec![(first.to_owned(), String::new())]
        );
        assert_eq!(
            runs(without_first, TEXT),
            vec![(String::new(), first.to_owned())]
        );
        // A quoted sentence, with its quotes.
        let quoted = "\u{201C}It was late,\u{201D} she said. \u{201C}I was tired,\u{201D} she \
                      said. \u{201C}We left.\u{201D}";
        assert_eq!(
            runs(
                quoted,
                "\u{201C}It was late,\u{201D} she said. \u{201C}We left.\u{201D}"
            ),
            vec![(
                "\u{201C}I was tired,\u{201D} she said. ".to_owned(),
                String::new()
            )]
        );
        // In the middle, after a sentence that ends as the run does.
        let text = "It was late. The letter came. The powder was harmless.";
        assert_eq!(
            runs(text, "It was late. The powder was harmless."),
            vec![("The letter came. ".to_owned(), String::new())]
        );
    }

    #[test]
    fn a_run_that_starts_no_sentence_wherever_it_stands_stays_where_it_is() {
        let toks = ["It", " ", "was", " ", "very", " ", "very", " ", "late", "."];
        // "very " deleted at tokens 6..8 could stand at 4..6; neither place
        // starts a sentence.
        assert_eq!(super::best_shift(&toks, 6, 2, 6, 2), None);
        assert_eq!(super::best_shift(&toks, 4, 2, 4, 4), None);
        // "It was " taken as "was It" one place on, from a text that says
        // it twice: slid back to the text's start.
        let toks = ["It", " ", "was", " ", "It", " ", "was", "."];
        assert_eq!(super::best_shift(&toks, 2, 4, 2, 2), Some(-2));
        let (before, after) = runs("It was very very late.", "It was very late.")
            .pop()
            .unwrap_or_default();
        assert_eq!((before.trim(), after.as_str()), ("very", ""));
    }
}
