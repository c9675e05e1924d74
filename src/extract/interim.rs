//! Interim extraction: the decoded text of the body.

use crate::model::{Block, BlockKind, Document, SCHEMA_VERSION};

pub fn document(bytes: &[u8], _content_type: Option<&str>) -> Document {
    let text = String::from_utf8_lossy(bytes);
    let blocks = text
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .map(|text| Block {
            kind: BlockKind::Paragraph,
            text,
        })
        .collect();
    Document {
        schema_version: SCHEMA_VERSION,
        extractor_version: super::EXTRACTOR_VERSION.to_string(),
        blocks,
        ..Document::default()
    }
}
