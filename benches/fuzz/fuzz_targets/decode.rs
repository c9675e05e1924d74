//! Charset decoding (BOM, HTTP charset, `<meta>` prescan, detection).
//!
//! Input: one header byte choosing the content type (see `common.rs`), then
//! the bytes. Checks: no panic; a body that is valid UTF-8 declared or
//! sniffed as UTF-8 decodes to itself (less a BOM) without errors.

#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use stet::extract::decode;

fuzz_target!(|data: &[u8]| {
    let Some((&head, rest)) = data.split_first() else {
        return;
    };
    let (ct, body) = common::content_type(head % 16, rest);
    let decoded = decode(body, ct.as_deref());
    if decoded.encoding == "UTF-8" {
        if let Ok(s) = std::str::from_utf8(body) {
            assert!(!decoded.had_errors, "valid UTF-8 reported as malformed");
            assert_eq!(decoded.text, s.strip_prefix('\u{feff}').unwrap_or(s));
        }
    }
    let _ = decoded.source.as_str();
});
