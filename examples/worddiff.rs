//! A whole-process word diff of two plain-text files (one block a line),
//! printed as stet's plain text report: `benches/compare-git.sh` times it
//! against `git diff --no-index --word-diff`.

use stet::diff::{diff_documents, DiffOptions};
use stet::model::{Block, BlockKind, Document};
use stet::report::{diff_text, DiffReport, Side};

fn doc(text: &str) -> Document {
    Document {
        blocks: text
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| Block {
                kind: BlockKind::Paragraph,
                text: l.to_string(),
            })
            .collect(),
        ..Document::default()
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [a, b] = args.as_slice() else {
        return Err("usage: worddiff OLD NEW".into());
    };
    let (old_doc, new_doc) = (
        doc(&std::fs::read_to_string(a)?),
        doc(&std::fs::read_to_string(b)?),
    );
    let diff = diff_documents(&old_doc, &new_doc, &DiffOptions::default());
    let report = DiffReport {
        old: Side::from_document(a.as_str(), &old_doc),
        new: Side::from_document(b.as_str(), &new_doc),
        old_doc,
        new_doc,
        diff,
        strict: false,
    };
    let differs = report.differs();
    print!("{}", diff_text(&report, false));
    std::process::exit(i32::from(differs));
}
