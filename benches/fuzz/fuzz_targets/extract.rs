//! HTML extraction on arbitrary bytes with an arbitrary content type, and
//! optionally an arbitrary CSS selector and ignore regex.
//!
//! Input: one header byte (low 4 bits: content type, see `common.rs`;
//! bit 4: a selector line follows; bit 5: an ignore-regex line follows),
//! the header lines, then the body.
//! Checks: no panic; default options never fail; the document serialises
//! to canonical JSON (as the store does); no block is empty.

#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use stet::extract::{extract, ExtractOptions};

fuzz_target!(|data: &[u8]| {
    let Some((&head, rest)) = data.split_first() else {
        return;
    };
    let (ct, mut rest) = common::content_type(head & 0x0f, rest);
    let mut opts = ExtractOptions::default();
    if head & 0x10 != 0 {
        let (selector, r) = common::line(rest);
        opts.selector = Some(selector);
        rest = r;
    }
    if head & 0x20 != 0 {
        let (pattern, r) = common::line(rest);
        opts.ignore_patterns.push(pattern);
        rest = r;
    }
    let custom = opts.selector.is_some() || !opts.ignore_patterns.is_empty();
    let doc = match extract(rest, ct.as_deref(), "https://example.org/a/b.html", &opts) {
        Ok(doc) => doc,
        // A bad selector or regex is a clean error; default options never fail.
        Err(e) if custom => {
            let _ = e.to_string();
            return;
        }
        Err(e) => panic!("default options failed: {e}"),
    };
    stet::digest::canonical_json(&doc).expect("a document serialises to canonical JSON");
    // Empty blocks are dropped by extraction.
    for block in &doc.blocks {
        assert!(!block.text.is_empty(), "empty block in {:?}", doc.blocks);
    }
});
