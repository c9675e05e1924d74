//! Paragraphs split or joined: an editor breaks a long paragraph in two
//! (", and he asked" → ". And he asked", a new paragraph) or joins two.
//! The alignment shows the first part changed and the rest inserted (or
//! deleted): edits that hold no new word. Once the blocks' words are the
//! same on both sides (letters and digits, any case), those edits are
//! `minor`: the punctuation and the paragraphs changed, the statements
//! did not.

use crate::model::diff::{Edit, EditClass, Row, RowStatus};
use crate::model::Document;

/// Makes `minor` the edits of each split or joined paragraph of `rows`.
pub(crate) fn settle(old: &Document, new: &Document, rows: &[Row], edits: &mut [Edit]) {
    for (at, row) in rows.iter().enumerate() {
        let (RowStatus::Changed, Some(i), Some(j)) = (row.status, row.old, row.new) else {
            continue;
        };
        // Split: old block i is new blocks …, j, … (inserted around j);
        // joined, the mirror: old blocks …, i, … (deleted around i) are new
        // block j. The "whole" side has one block, the other the parts.
        for split in [true, false] {
            let (whole, middle, whole_doc, parts_doc) = if split {
                (i, j, old, new)
            } else {
                (j, i, new, old)
            };
            // An edit's block on the whole side, or on the side of the parts.
            let block = |e: &Edit, whole_side: bool| {
                if whole_side == split {
                    e.old_block
                } else {
                    e.new_block
                }
            };
            // The parts' rows next to the pair, before and after it.
            let status = if split {
                RowStatus::Inserted
            } else {
                RowStatus::Deleted
            };
            let index = |r: &Row| if split { r.new } else { r.old };
            let mut before: Vec<usize> = rows[..at]
                .iter()
                .rev()
                .take_while(|r| r.status == status)
                .filter_map(index)
                .collect();
            before.reverse();
            let after: Vec<usize> = rows[at + 1..]
                .iter()
                .take_while(|r| r.status == status)
                .filter_map(index)
                .collect();
            // The nearest blocks first: a new paragraph may stand beside.
            let found = (0..=before.len().min(MAX_PARTS))
                .flat_map(|b| (0..=after.len().min(MAX_PARTS)).map(move |a| (b, a)))
                .filter(|&(b, a)| b + a > 0)
                .map(|(b, a)| -> Vec<usize> {
                    before[before.len() - b..]
                        .iter()
                        .copied()
                        .chain([middle])
                        .chain(after[..a].iter().copied())
                        .collect()
                })
                .find(|parts| {
                    same_words(
                        [text(whole_doc, whole)].into_iter(),
                        parts.iter().map(|&k| text(parts_doc, k)),
                    )
                });
            if let Some(parts) = found {
                settle_edits(edits, |e| {
                    block(e, true) == Some(whole)
                        || (block(e, true).is_none()
                            && block(e, false).is_some_and(|k| parts.contains(&k)))
                });
                break;
            }
        }
    }
}

/// Most blocks on either side of a pair taken for parts of it.
const MAX_PARTS: usize = 4;

fn text(d: &Document, i: usize) -> &str {
    d.blocks.get(i).map_or("", |b| b.text.as_str())
}

/// True when both sequences of texts hold the same words (runs of letters
/// and digits, compared without case).
fn same_words<'a>(a: impl Iterator<Item = &'a str>, b: impl Iterator<Item = &'a str>) -> bool {
    let words = |t: &'a str| {
        t.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
    };
    let mut b = b.flat_map(words);
    for w in a.flat_map(words) {
        match b.next() {
            Some(v)
                if v.chars()
                    .flat_map(char::to_lowercase)
                    .eq(w.chars().flat_map(char::to_lowercase)) => {}
            _ => return false,
        }
    }
    b.next().is_none()
}

fn settle_edits(edits: &mut [Edit], of_blocks: impl Fn(&Edit) -> bool) {
    for e in edits
        .iter_mut()
        .filter(|e| of_blocks(e) && e.class == EditClass::Substantive)
    {
        e.class = EditClass::Minor;
        e.reasons.clear();
    }
}

#[cfg(test)]
mod tests {
    use crate::diff::tests::doc;
    use crate::diff::{diff_documents, DiffOptions};
    use crate::model::diff::EditClass;

    fn classes(a: &[&str], b: &[&str]) -> Vec<EditClass> {
        let d = diff_documents(&doc(a), &doc(b), &DiffOptions::default());
        d.edits.iter().map(|e| e.class).collect()
    }

    const LEAD: &str = "The council met on Tuesday.";
    const TAIL: &str = "Pat Okafor, who chairs it, said the vote was close, and Sam Reyes agreed.";

    #[test]
    fn a_split_or_joined_paragraph_is_minor_and_a_changed_word_is_not() {
        let whole = "Pat Okafor, who chairs it, said the vote was close. And Sam Reyes agreed.";
        let parts = [
            "Pat Okafor, who chairs it, said the vote was close.",
            "And Sam Reyes agreed.",
        ];
        let split = [LEAD, parts[0], parts[1]];
        assert!(classes(&[LEAD, whole], &split)
            .iter()
            .all(|c| *c == EditClass::Minor));
        assert!(classes(&split, &[LEAD, whole])
            .iter()
            .all(|c| *c == EditClass::Minor));
        // Three parts, and a new paragraph beside the parts.
        let three = [
            LEAD,
            "Pat Okafor, who chairs it,",
            "said the vote was close.",
            "And Sam Reyes agreed.",
        ];
        assert!(classes(&[LEAD, whole], &three)
            .iter()
            .all(|c| *c == EditClass::Minor));
        let beside = [LEAD, parts[0], parts[1], "Ana Lima disagreed."];
        let c = classes(&[LEAD, whole], &beside);
        assert_eq!(
            c.iter().filter(|c| **c == EditClass::Substantive).count(),
            1,
            "{c:?}"
        );
        // A split that changes a word is the edit it is.
        let changed = [LEAD, parts[0], "And Sam Rivera agreed."];
        assert!(classes(&[LEAD, TAIL], &changed).contains(&EditClass::Substantive));
    }
}
