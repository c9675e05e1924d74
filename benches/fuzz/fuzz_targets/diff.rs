//! The document diff on two arbitrary texts.
//!
//! Input: one header byte (odd: tiny size limits, so the coarse paths run
//! too), the old text, a 0xFF byte, the new text. Each line of a text is one
//! paragraph, normalised as extraction does. Checks (as in the diff's unit
//! properties): applying the edits to the old text gives the new one
//! (`DocDiff::explains`); every block of each side is in exactly one row;
//! a document diffed with itself has no edits.

#![no_main]

use libfuzzer_sys::fuzz_target;
use stet::diff::{diff_documents, DiffOptions, RowStatus};
use stet::extract::normalize_text;
use stet::model::{Block, BlockKind, Document};

fn document(bytes: &[u8]) -> Document {
    let text = String::from_utf8_lossy(bytes);
    Document {
        blocks: text
            .lines()
            .map(normalize_text)
            .filter(|t| !t.is_empty())
            .map(|text| Block {
                kind: BlockKind::Paragraph,
                text,
            })
            .collect(),
        ..Document::default()
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&head, rest)) = data.split_first() else {
        return;
    };
    let cut = rest.iter().position(|&b| b == 0xff).unwrap_or(rest.len());
    let old = document(&rest[..cut]);
    let new = document(rest.get(cut + 1..).unwrap_or(&[]));
    let opts = if head & 1 == 1 {
        DiffOptions {
            max_block_tokens: 6,
            max_total_tokens: 20,
            max_pair_cells: 2,
            context_words: 2,
            threads: 2,
        }
    } else {
        DiffOptions::default()
    };
    let d = diff_documents(&old, &new, &opts);
    if let Err(e) = d.explains(&old, &new) {
        panic!("{e}");
    }
    let olds = d
        .rows
        .iter()
        .filter(|r| r.status != RowStatus::MovedTo)
        .filter_map(|r| r.old)
        .count();
    let news = d
        .rows
        .iter()
        .filter(|r| r.status != RowStatus::MovedFrom)
        .filter_map(|r| r.new)
        .count();
    assert_eq!((olds, news), (old.blocks.len(), new.blocks.len()));
    if head & 2 == 2 {
        assert!(diff_documents(&old, &old, &opts).edits.is_empty());
    }
});
