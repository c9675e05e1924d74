use super::*;
use crate::diff::{diff_documents, DiffOptions};
use crate::model::{Block, BlockKind, Document};

fn doc(blocks: &[&str]) -> Document {
    Document {
        extractor_version: "test/1".into(),
        blocks: blocks
            .iter()
            .map(|t| Block {
                kind: BlockKind::Paragraph,
                text: (*t).to_string(),
            })
            .collect(),
        ..Document::default()
    }
}

fn report(a: &[&str], b: &[&str]) -> DiffReport {
    report_of(doc(a), doc(b))
}

fn report_of(old_doc: Document, new_doc: Document) -> DiffReport {
    let diff = diff_documents(&old_doc, &new_doc, &DiffOptions::default());
    DiffReport {
        old: Side::from_document("a.html", &old_doc),
        new: Side::from_document("b.html", &new_doc),
        old_doc,
        new_doc,
        diff,
        strict: false,
    }
}

#[test]
fn sanitize_makes_controls_visible() {
    assert_eq!(sanitize("plain"), "plain");
    assert_eq!(sanitize("a\u{1b}[31mb"), "a\\u{1b}[31mb");
    assert_eq!(sanitize("x\u{202e}y\u{9b}z"), "x\\u{202e}y\\u{9b}z");
}

#[test]
fn text_plain_and_colour() {
    let r = report(
        &["seen dozens of writers", "Gone."],
        &["seen hundreds of writers"],
    );
    let plain = diff_text(&r, false);
    assert!(
        plain.contains("…seen [-dozens-]{+hundreds+} of writers"),
        "{plain}"
    );
    assert!(plain.contains("[-Gone.-]"), "{plain}");
    assert!(
        plain.ends_with(
            "different: 2 edits, 0 field changes (1 substantive, 1 minor, 0 cosmetic)\n"
        ),
        "{plain}"
    );
    assert!(!plain.contains('\u{1b}'));
    let colour = diff_text(&r, true);
    assert!(colour.contains('\u{1b}') && !colour.contains("[-"));
}

#[test]
fn hostile_text_never_reaches_the_terminal_or_the_page() {
    let evil =
        "x \u{1b}]0;pwned\u{7} <script>alert(1)</script> <img src=x onerror=alert(2)> \u{202e}";
    let r = report(&["safe"], &[evil]);
    let t = diff_text(&r, false);
    assert!(!t
        .chars()
        .any(|c| c == '\u{1b}' || c == '\u{7}' || c == '\u{202e}'));
    let u = diff_unified(&r);
    assert!(!u.chars().any(|c| c == '\u{1b}' || c == '\u{202e}'));
    let h = diff_html(&r);
    assert!(!h.contains("<script") && !h.contains("<img"));
    assert!(h.contains("&lt;script&gt;") && h.contains("default-src 'none'"));
}

#[test]
fn unified_hunks() {
    let r = report(
        &["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"],
        &["a", "b", "c", "d", "E", "f", "g", "h", "i", "j", "k"],
    );
    let u = diff_unified(&r);
    assert!(u.starts_with("--- a.html\t"), "{u}");
    assert!(
        u.ends_with("@@ -2,9 +2,10 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n i\n j\n+k\n"),
        "{u}"
    );
    let r = report(
        &["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"],
        &["A", "b", "c", "d", "e", "f", "g", "h", "i", "j"],
    );
    assert!(diff_unified(&r).ends_with("@@ -1,4 +1,4 @@\n-a\n+A\n b\n c\n d\n"));
    let r = report(&["a", "b"], &["a", "b", "c"]);
    assert!(diff_unified(&r).ends_with("@@ -1,2 +1,3 @@\n a\n b\n+c\n"));
    assert_eq!(diff_unified(&report(&["same"], &["same"])), "");
}

/// A change outside the text (here the headline alone) is in the unified
/// diff, ahead of its headers, where `patch` skips it; with no text change
/// it is all the diff says.
#[test]
fn unified_shows_field_changes_before_the_hunks() {
    let (mut a, mut b) = (doc(&["same", "old words"]), doc(&["same", "new words"]));
    a.headline = Some("Council votes on harbour".into());
    b.headline = Some("Council delays harbour vote".into());
    let field = "field headline · substantive\n  \
                 - \"Council votes on harbour\"\n  \
                 + \"Council delays harbour vote\"\n";
    let r = report_of(a.clone(), b.clone());
    let (old, new) = (r.old.short_id(), r.new.short_id());
    assert_eq!(
        diff_unified(&r),
        format!(
            "{field}\n--- a.html\t{old}\n+++ b.html\t{new}\n\
             @@ -1,2 +1,2 @@\n same\n-old words\n+new words\n"
        )
    );
    b.blocks = a.blocks.clone();
    assert_eq!(diff_unified(&report_of(a, b)), field);
}

#[test]
fn json_is_canonical_and_deterministic() -> Result<(), ReportError> {
    let r = report(&["seen dozens of writers"], &["seen hundreds of writers"]);
    let a = diff_json(&r)?;
    assert_eq!(a, diff_json(&r)?);
    let v: serde_json::Value = serde_json::from_str(&a)?;
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["engine"]["similar"], "3.2.1");
    assert_eq!(v["edits"][0]["before"], "dozens");
    assert_eq!(v["differs"], true);
    assert!(!a.contains('.') || !a.contains("e+"), "no floats");
    Ok(())
}

proptest::proptest! {
    /// `clip` keeps the first `max` chars and counts the rest, whatever the
    /// text (its ASCII and short-text shortcuts included).
    #[test]
    fn clip_keeps_max_chars(s in "[a é中\u{1b}]{0,12}", max in 0usize..14) {
        let chars: Vec<char> = s.chars().collect();
        let expected = if chars.len() <= max {
            s.clone()
        } else {
            format!(
                "{}… [{} more characters]",
                chars[..max].iter().collect::<String>(),
                chars.len() - max
            )
        };
        let clipped = clip(&s, max);
        proptest::prop_assert_eq!(clipped.as_ref(), expected.as_str());
    }

    /// The byte-level test of `sanitize` agrees with the general rule.
    #[test]
    fn sanitize_shortcut_agrees(s in "[ -~\t\n\u{7f}\u{9b}\u{202e}\u{2068}\u{2069}\u{2028}\u{61c}\u{80}\u{a0}\u{201c}é]{0,70}") {
        let escaped = s.chars().any(super::sanitize::is_unsafe);
        let out = sanitize(&s);
        proptest::prop_assert_eq!(matches!(out, Cow::Owned(_)), escaped);
        proptest::prop_assert!(!out.chars().any(super::sanitize::is_unsafe));
    }
}
