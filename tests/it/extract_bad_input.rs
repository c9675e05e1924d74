//! Bad input: no panic, no stack overflow, bounded time; notes say what happened.

use proptest::prelude::*;
use stet::extract::{extract, extract_html, ExtractError, ExtractOptions};
use stet::model::Document;

const URL: &str = "https://example.org/a/b.html";

fn run(bytes: &[u8], ct: Option<&str>) -> Document {
    match extract(bytes, ct, URL, &ExtractOptions::default()) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    }
}

fn has_note(d: &Document, needle: &str) -> bool {
    d.notes.iter().any(|n| n.contains(needle))
}

#[test]
fn deep_nesting_100k_levels() {
    let html = format!(
        "<html><body>{}<p>Deep text survives.</p>{}</body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let d = run(html.as_bytes(), Some("text/html"));
    assert!(has_note(&d, "nested deeper"));
    let unclosed = format!("<body>{}tail", "<span><b><i>".repeat(40_000));
    let _ = run(unclosed.as_bytes(), None);
}

#[test]
fn truncated_and_unclosed_markup() {
    let full = "<html><head><title>T</title></head><body><article><h1>T</h1><p>One paragraph of text that is long enough to be an article for sure, really.</p><p>Two <a href=\"/x\">links</a> and <img src=\"i.png\" alt=\"a\"> more text.</p></article></body></html>";
    for cut in 0..full.len() {
        if full.is_char_boundary(cut) {
            let _ = run(&full.as_bytes()[..cut], Some("text/html"));
        }
    }
    let d = run(b"<p>unclosed <b>bold <i>italic <p>next", Some("text/html"));
    assert!(d.text().contains("unclosed bold italic"));
}

#[test]
fn binary_labelled_html_is_not_text() {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend((0..4096u32).map(|i| (i * 7 % 251) as u8));
    let d = run(&png, Some("text/html"));
    assert!(d.blocks.is_empty());
    assert!(has_note(&d, "body is not text"));
    let noise: Vec<u8> = (0..10_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let d = run(&noise, Some("text/html; charset=utf-8"));
    assert!(d.blocks.is_empty());
    let d = run(b"%PDF-1.7 ...", Some("application/pdf"));
    assert!(has_note(&d, "body is not text"));
}

#[test]
fn invalid_byte_sequences_are_replaced_and_noted() {
    let d = run(
        b"<html><body><article><p>caf\xc3 au lait \xff\xfe and more words to make this paragraph long enough for detection to keep it around.</p></article></body></html>",
        Some("text/html; charset=utf-8"),
    );
    assert!(has_note(&d, "invalid byte sequences"));
    assert!(d.text().contains('\u{fffd}'));
}

#[test]
fn page_without_article_says_so() {
    let d = run(
        b"<html><body><nav><a href='/'>Home</a></nav></body></html>",
        None,
    );
    assert!(d.blocks.is_empty());
    assert!(has_note(&d, "no article content found"));
    let d = run(b"", Some("text/html"));
    assert!(d.blocks.is_empty());
}

#[test]
fn plain_text_becomes_paragraphs() {
    let d = run(
        b"First para\nstill first.\n\n\nSecond.\r\n\r\nOriginally published by The Times, May 1 2020\n",
        Some("text/plain; charset=utf-8"),
    );
    let texts: Vec<&str> = d.blocks.iter().map(|b| b.text.as_str()).collect();
    assert_eq!(
        texts,
        vec![
            "First para still first.",
            "Second.",
            "Originally published by The Times, May 1 2020"
        ]
    );
    assert_eq!(d.claims.len(), 1);
    assert_eq!(d.claims[0].date.as_deref(), Some("2020-05-01"));
}

#[test]
fn options_selector_ignore_and_patterns() {
    let html = "<html><body><div id=main><p>Keep this.</p><p class=ad>Buy now!</p><p>Updated 5 minutes ago. Real text.</p></div><p>Outside.</p></body></html>";
    let opts = ExtractOptions {
        selector: Some("#main".into()),
        ignore_selectors: vec![".ad".into()],
        ignore_patterns: vec![r"Updated \d+ minutes ago\.".into()],
    };
    let d = match extract_html(html, URL, &opts) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let texts: Vec<&str> = d.blocks.iter().map(|b| b.text.as_str()).collect();
    assert_eq!(texts, vec!["Keep this.", "Real text."]);

    let none = ExtractOptions {
        selector: Some("#nope".into()),
        ..Default::default()
    };
    let d = match extract_html(html, URL, &none) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    assert!(d.blocks.is_empty());
    assert!(has_note(&d, "selector matched nothing"));

    let bad_sel = ExtractOptions {
        selector: Some("p[".into()),
        ..Default::default()
    };
    assert!(matches!(
        extract_html(html, URL, &bad_sel),
        Err(ExtractError::InvalidSelector { .. })
    ));
    let bad_re = ExtractOptions {
        ignore_patterns: vec!["(".into()],
        ..Default::default()
    };
    assert!(matches!(
        extract(b"x", None, URL, &bad_re),
        Err(ExtractError::InvalidPattern { .. })
    ));
}

/// 50 MB of article: linear fallback, a few seconds in release.
/// `cargo test --release --test it extract_bad_input -- --ignored`
#[test]
#[ignore = "50 MB; run in release"]
fn fifty_megabyte_page() {
    let mut html = String::from("<html><body><article>");
    let mut i = 0;
    while html.len() < 50 * 1024 * 1024 {
        html.push_str(&format!(
            "<p>Paragraph {i} of a very long article with words.</p>"
        ));
        i += 1;
    }
    html.push_str("</article></body></html>");
    let d = run(html.as_bytes(), Some("text/html"));
    assert!(has_note(&d, "content detection skipped"));
    assert!(d.blocks.len() > 100_000);
}

/// A page far above the element limit still comes out quickly in debug.
#[test]
fn many_elements_use_the_linear_fallback() {
    let mut html = String::from("<html><body><nav>menu</nav><article>");
    for i in 0..20_000 {
        html.push_str(&format!("<p>Paragraph {i}.</p>"));
    }
    html.push_str("</article></body></html>");
    let d = run(html.as_bytes(), Some("text/html"));
    assert!(has_note(&d, "content detection skipped"));
    assert_eq!(d.blocks.len(), 20_000);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048),
                                   ct in proptest::option::of("[a-z/+;= -]{0,30}")) {
        let a = extract(&bytes, ct.as_deref(), URL, &ExtractOptions::default());
        let b = extract(&bytes, ct.as_deref(), URL, &ExtractOptions::default());
        prop_assert!(a.is_ok());
        prop_assert_eq!(a.ok(), b.ok());
    }

    #[test]
    fn arbitrary_markup_never_panics(parts in proptest::collection::vec(
        prop_oneof![
            Just("<div>".to_string()), Just("</div>".to_string()), Just("<p>".to_string()),
            Just("<article>".to_string()), Just("<figure><img src=x alt=y>".to_string()),
            Just("<figcaption>".to_string()), Just("<a href='/x'>".to_string()), Just("</a>".to_string()),
            Just("<script>".to_string()), Just("<!--".to_string()), Just("<base href='//h/'>".to_string()),
            Just("<table><tr><td>".to_string()), Just("–Jane Doe".to_string()),
            Just("Originally published by X, May 1 2020".to_string()),
            "[a-zA-Z <>&;\"'/=.-]{0,40}",
        ], 0..80)) {
        let html = parts.concat();
        let r = extract(html.as_bytes(), Some("text/html"), URL, &ExtractOptions::default());
        prop_assert!(r.is_ok());
    }
}
