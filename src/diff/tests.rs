use proptest::prelude::*;

use super::*;
use crate::model::Block;

pub(crate) fn doc(blocks: &[&str]) -> Document {
    Document {
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

/// The edits explain the difference exactly (see [`DocDiff::explains`]).
fn check_apply(old: &Document, new: &Document, d: &DocDiff) -> Result<(), String> {
    d.explains(old, new).map_err(|e| e.to_string())
}

#[test]
fn identical_documents_have_no_edits() {
    let a = doc(&["One paragraph.", "Two paragraphs, with “quotes”."]);
    let d = diff_documents(&a, &a, &DiffOptions::default());
    assert!(d.edits.is_empty() && d.fields.is_empty());
    assert!(!d.differs(true));
}

#[test]
fn word_replacement_with_context() -> Result<(), String> {
    let a = doc(&["Beijing has seen dozens of writers arrested."]);
    let b = doc(&["Beijing has seen hundreds of writers arrested."]);
    let d = diff_documents(&a, &b, &DiffOptions::default());
    check_apply(&a, &b, &d)?;
    assert_eq!(d.edits.len(), 1);
    let e = &d.edits[0];
    assert_eq!(
        (e.before.as_str(), e.after.as_str()),
        ("dozens", "hundreds")
    );
    assert_eq!(e.op, EditOp::Replace);
    assert_eq!(e.class, EditClass::Substantive);
    assert_eq!(e.context_before, "Beijing has seen ");
    assert_eq!(e.context_after, " of writers arrested.");
    assert_eq!(e.old_span, Span { start: 17, end: 23 });
    Ok(())
}

#[test]
fn deleted_inserted_and_moved_blocks() -> Result<(), String> {
    let a = doc(&[
        "Alpha one two.",
        "Bravo three four.",
        "Charlie five six.",
        "Delta seven.",
    ]);
    let b = doc(&[
        "Charlie five six.",
        "Alpha one two.",
        "Delta seven eight.",
        "Echo new.",
    ]);
    let d = diff_documents(&a, &b, &DiffOptions::default());
    check_apply(&a, &b, &d)?;
    let ops: Vec<_> = d
        .edits
        .iter()
        .map(|e| (e.op, e.before.as_str(), e.after.as_str()))
        .collect();
    assert!(
        ops.contains(&(EditOp::Delete, "Bravo three four.", "")),
        "{ops:?}"
    );
    assert!(ops.contains(&(EditOp::Insert, "", "Echo new.")), "{ops:?}");
    assert!(ops.iter().any(|o| o.0 == EditOp::Move), "{ops:?}");
    assert!(ops.contains(&(EditOp::Insert, "", " eight")), "{ops:?}");
    Ok(())
}

#[test]
fn cosmetic_only_change_is_not_a_difference() -> Result<(), String> {
    let a = doc(&["He didn\u{2019}t say \u{201C}soft power\u{201D} \u{2014} ever."]);
    let b = doc(&["He didn't say \"soft power\" - ever."]);
    let d = diff_documents(&a, &b, &DiffOptions::default());
    check_apply(&a, &b, &d)?;
    assert!(!d.edits.is_empty());
    assert!(
        d.edits.iter().all(|e| e.class == EditClass::Cosmetic),
        "{:?}",
        d.edits
    );
    assert!(!d.differs(false) && d.differs(true));
    Ok(())
}

#[test]
fn multi_word_changes_merge_across_spaces() {
    let a = doc(&["they spent lavishly abroad"]);
    let b = doc(&["they invested heavily abroad"]);
    let d = diff_documents(&a, &b, &DiffOptions::default());
    assert_eq!(d.edits.len(), 1);
    assert_eq!(d.edits[0].before, "spent lavishly");
    assert_eq!(d.edits[0].after, "invested heavily");
    assert_eq!(d.edits[0].class, EditClass::Minor);
}

#[test]
fn fields_are_compared_on_their_own() {
    let mut a = doc(&["Text."]);
    let mut b = a.clone();
    a.title = Some("Soft Power Gone Hard?".into());
    b.title = Some("Soft Power Gone Soft?".into());
    b.canonical_url = Some("https://example.com/x".into());
    let d = diff_documents(&a, &b, &DiffOptions::default());
    assert!(d.edits.is_empty());
    let f: Vec<_> = d.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(f, vec!["title", "canonical_url"]);
    assert!(d.fields.iter().all(|f| f.class == EditClass::Substantive));
}

fn img(src: &str) -> crate::model::Image {
    crate::model::Image {
        src: src.into(),
        alt: Some("A server room".into()),
        caption: Some("The crash.".into()),
        credit: None,
    }
}

fn link(href: &str, text: &str) -> crate::model::Link {
    crate::model::Link {
        href: href.into(),
        text: text.into(),
    }
}

/// (field, class) of each field change.
fn field_classes(d: &DocDiff) -> Vec<(String, EditClass)> {
    d.fields
        .iter()
        .map(|f| (f.field.clone(), f.class))
        .collect()
}

#[test]
fn an_image_url_with_a_cache_buster_is_the_same_image() {
    let mut a = doc(&["Text."]);
    let mut b = a.clone();
    a.images = vec![img("https://x.example/up/server-crash-640x426.jpg")];
    b.images = vec![img("https://x.example/up/server-crash-640x426.jpg?v=4256")];
    let d = diff_documents(&a, &b, &DiffOptions::default());
    assert_eq!(
        field_classes(&d),
        vec![("images[0].src".to_string(), EditClass::Cosmetic)]
    );
    assert!(!d.differs(false) && d.differs(true));
    // Another file is another picture.
    b.images = vec![img("https://x.example/up/server-fire-640x426.jpg")];
    let d = diff_documents(&a, &b, &DiffOptions::default());
    assert_eq!(
        field_classes(&d),
        vec![("images[0].src".to_string(), EditClass::Substantive)]
    );
}

#[test]
fn images_pair_by_resource_across_a_reorder() {
    let mut a = doc(&["Text."]);
    let mut b = a.clone();
    a.images = vec![
        img("https://x.example/a.jpg"),
        img("https://x.example/b.jpg"),
    ];
    b.images = vec![
        img("http://www.x.example/b.jpg?w=300"),
        img("//x.example/a-300x200.jpg"),
    ];
    let d = diff_documents(&a, &b, &DiffOptions::default());
    assert!(d.fields.iter().all(|f| f.class == EditClass::Cosmetic));
    assert_eq!(d.fields.len(), 2);
}

#[test]
fn links_are_compared_by_resource() {
    let mut a = doc(&["Said in a statement: China Real Time, Human Rights in China, Ai Weiwei."]);
    let mut b = a.clone();
    a.links = vec![
        link("https://www.state.gov/", "in a statement"),
        link("http://blogs.wsj.com/chinarealtime/", "China Real Time"),
        link("https://www.hrichina.org/", "Human Rights in China"),
    ];
    b.links = vec![
        link(
            "https://state.gov?utm_source=rss&fbclid=x",
            "in a statement",
        ),
        link(
            "https://www.wsj.com/news/types/china-real-time",
            "China Real Time",
        ),
        link("https://en.wikipedia.org/wiki/Ai_Weiwei", "Ai Weiwei"),
    ];
    let d = diff_documents(&a, &b, &DiffOptions::default());
    assert_eq!(
        field_classes(&d),
        vec![
            ("links[0].href".to_string(), EditClass::Cosmetic),
            ("links[1].href".to_string(), EditClass::Substantive),
            ("links[2] (added)".to_string(), EditClass::Substantive),
            ("links[2] (removed)".to_string(), EditClass::Substantive),
        ]
    );
    let added = &d.fields[2];
    assert_eq!(added.before, None);
    assert_eq!(
        added.after.as_deref(),
        Some("https://en.wikipedia.org/wiki/Ai_Weiwei")
    );
    let removed = &d.fields[3];
    assert_eq!(removed.before.as_deref(), Some("https://www.hrichina.org/"));
    assert_eq!(removed.after, None);
}

#[test]
fn a_link_added_to_a_page_of_the_site_is_minor_and_one_elsewhere_is_not() {
    let mut a = doc(&["The flood gates at the harbour, the council said, cost $40m."]);
    a.canonical_url = Some("https://www.gazette.example/news/harbour".into());
    let mut b = a.clone();
    b.links = vec![
        link("https://gazette.example/topic/flood-gates", "flood gates"),
        link("https://council.example/report.pdf", "the council said"),
    ];
    let d = diff_documents(&a, &b, &DiffOptions::default());
    assert_eq!(
        field_classes(&d),
        vec![
            ("links[0] (added)".to_string(), EditClass::Minor),
            ("links[1] (added)".to_string(), EditClass::Substantive),
        ]
    );
    // Removed, the same.
    let d = diff_documents(&b, &a, &DiffOptions::default());
    assert_eq!(
        field_classes(&d),
        vec![
            ("links[0] (removed)".to_string(), EditClass::Minor),
            ("links[1] (removed)".to_string(), EditClass::Substantive),
        ]
    );
}

#[test]
fn links_outside_the_text_are_not_compared() {
    // A rotating "Read more:" rail the extractor left out of the text, and
    // a share icon with no words: the article did not change.
    let mut a = doc(&["The harbour plan was approved on Tuesday."]);
    let mut b = a.clone();
    a.links = vec![
        link("https://example.org/news/harbour", "Harbour plan approved"),
        link("https://wa.me/?text=a", ""),
        link("https://example.org/plan", "harbour plan"),
    ];
    b.links = vec![
        link("https://example.org/news/rail", "Rail strike called off"),
        link("https://wa.me/?text=b", ""),
        link("https://example.org/plan-2027", "harbour plan"),
    ];
    let d = diff_documents(&a, &b, &DiffOptions::default());
    assert_eq!(
        field_classes(&d),
        vec![("links[2].href".to_string(), EditClass::Substantive)]
    );
}

#[test]
fn a_link_on_a_writers_name_is_the_bylines_not_the_articles() {
    // A redesign links the byline's name to the writer's page (or moves
    // that page); the bylines are compared as a field, and stay the same.
    // The name is in the text too (a wire story's dateline).
    let mut a = doc(&["ISLAMABAD (Reuters) - The commission ruled on Monday."]);
    a.bylines = vec!["Reuters".into()];
    let mut b = a.clone();
    b.links = vec![
        link("https://www.example.com/author/reuters", "Reuters"),
        link(
            "https://www.example.com/commission-ruling",
            "The commission ruled",
        ),
    ];
    let mut c = b.clone();
    c.links[0] = link("https://www.example.com/people/reuters", "By Reuters");
    let d = diff_documents(&a, &b, &DiffOptions::default());
    assert_eq!(
        field_classes(&d),
        vec![("links[1] (added)".to_string(), EditClass::Substantive)]
    );
    let d = diff_documents(&b, &c, &DiffOptions::default());
    assert_eq!(field_classes(&d), vec![]);
    // Words that are no byline of the version are compared.
    c.bylines = vec!["Asif Shahzad".into()];
    c.links[0].text = "Reuters".into();
    let d = diff_documents(&b, &c, &DiffOptions::default());
    assert_eq!(
        field_classes(&d),
        vec![
            ("bylines".to_string(), EditClass::Substantive),
            ("links[0] (added)".to_string(), EditClass::Substantive),
        ]
    );
}

#[test]
fn empty_documents() -> Result<(), String> {
    let e = doc(&[]);
    let a = doc(&["Something."]);
    for (x, y) in [(&e, &e), (&e, &a), (&a, &e)] {
        check_apply(x, y, &diff_documents(x, y, &DiffOptions::default()))?;
    }
    Ok(())
}

#[test]
fn huge_block_falls_back_to_coarse() -> Result<(), String> {
    let a = doc(&[&"alpha beta gamma ".repeat(2000)]);
    let b = doc(&[&"alpha beta delta ".repeat(2000)]);
    let opts = DiffOptions {
        max_block_tokens: 1000,
        ..DiffOptions::default()
    };
    let d = diff_documents(&a, &b, &opts);
    check_apply(&a, &b, &d)?;
    assert!(d.coarse && d.edits.len() == 1 && d.edits[0].coarse);
    assert!(d.coarse_reasons[0].contains("per-block limit"));
    Ok(())
}

#[test]
fn large_rewrite_is_bounded() -> Result<(), String> {
    // Many paragraphs, all rewritten: greedy pairing and the token budget kick in.
    let olds: Vec<String> = (0..3000)
        .map(|i| format!("Old paragraph {i} says words {}.", i * 7))
        .collect();
    let news: Vec<String> = (0..3000)
        .map(|i| format!("New text {i} reads otherwise {}.", i * 3))
        .collect();
    let a = doc(&olds.iter().map(String::as_str).collect::<Vec<_>>());
    let b = doc(&news.iter().map(String::as_str).collect::<Vec<_>>());
    let opts = DiffOptions {
        max_total_tokens: 10_000,
        ..DiffOptions::default()
    };
    let d = diff_documents(&a, &b, &opts);
    check_apply(&a, &b, &d)?;
    assert!(d.coarse);
    Ok(())
}

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("the".to_string()),
        Just("a".to_string()),
        Just("Beijing".to_string()),
        Just("2004".to_string()),
        Just("not".to_string()),
        Just("\u{201C}said\u{201D}".to_string()),
        Just("don\u{2019}t".to_string()),
        Just("é".to_string()),
        Just("e\u{301}".to_string()),
        "[a-z]{1,6}",
    ]
}

fn block() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            word(),
            prop_oneof![Just(" "), Just(", "), Just(". "), Just("  ")],
        ),
        0..12,
    )
    .prop_map(|ws| {
        ws.into_iter()
            .map(|(w, s)| format!("{w}{s}"))
            .collect::<String>()
            .trim_end()
            .to_string()
    })
}

fn document() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(block(), 0..8)
}

/// A mutation of a document: blocks dropped, duplicated, swapped, words edited.
fn mutated() -> impl Strategy<Value = (Vec<String>, Vec<String>)> {
    document()
        .prop_flat_map(|a| {
            let n = a.len();
            (
                Just(a),
                prop::collection::vec((0..4u8, 0..n.max(1), block()), 0..5),
            )
        })
        .prop_map(|(a, muts)| {
            let mut b = a.clone();
            for (m, at, text) in muts {
                let at = at.min(b.len());
                match m {
                    0 => b.insert(at, text),
                    1 if at < b.len() => {
                        b.remove(at);
                    }
                    2 if at < b.len() => {
                        let x = b.remove(at);
                        b.push(x);
                    }
                    _ if at < b.len() => {
                        let t = format!("{} {}", b[at], text);
                        b[at] = t;
                    }
                    _ => {}
                }
            }
            (a, b)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    #[test]
    fn edits_explain_the_difference((a, b) in mutated()) {
        let da = doc(&a.iter().map(String::as_str).collect::<Vec<_>>());
        let db = doc(&b.iter().map(String::as_str).collect::<Vec<_>>());
        let d = diff_documents(&da, &db, &DiffOptions::default());
        prop_assert_eq!(check_apply(&da, &db, &d), Ok(()));
        // Deterministic.
        prop_assert_eq!(&d, &diff_documents(&da, &db, &DiffOptions::default()));
        // Every block of both sides appears in exactly one row.
        let olds = d.rows.iter().filter(|r| r.status != RowStatus::MovedTo).filter_map(|r| r.old).count();
        let news = d.rows.iter().filter(|r| r.status != RowStatus::MovedFrom).filter_map(|r| r.new).count();
        prop_assert_eq!((olds, news), (a.len(), b.len()));
    }

    #[test]
    fn same_document_no_edits(a in document()) {
        let da = doc(&a.iter().map(String::as_str).collect::<Vec<_>>());
        let d = diff_documents(&da, &da, &DiffOptions::default());
        prop_assert!(d.edits.is_empty());
    }

    #[test]
    fn tiny_limits_still_explain((a, b) in mutated()) {
        let da = doc(&a.iter().map(String::as_str).collect::<Vec<_>>());
        let db = doc(&b.iter().map(String::as_str).collect::<Vec<_>>());
        let opts = DiffOptions { max_block_tokens: 6, max_total_tokens: 20, max_pair_cells: 2, context_words: 2, threads: 0 };
        let d = diff_documents(&da, &db, &opts);
        prop_assert_eq!(check_apply(&da, &db, &d), Ok(()));
    }
}

#[test]
fn similar_pairs_are_those_of_pairwise_similarity() {
    // Small pseudo-random word lists with repeats, shared and unshared words.
    let mut seed = 12345u32;
    let mut next = || {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        (seed >> 16) % 40
    };
    // Unsorted, as the matrix takes them.
    let mut list = |n: usize| -> Vec<u64> { (0..n).map(|_| u64::from(next())).collect() };
    let so: Vec<Vec<u64>> = (0..9).map(|i| list(i * 3)).collect();
    // Empty lists on both sides: two wordless blocks are alike.
    let sn: Vec<Vec<u64>> = (0..7).map(|i| list(i * 5)).collect();
    let sorted = |v: &Vec<u64>| {
        let mut v = v.clone();
        v.sort_unstable();
        v
    };
    for at_least in [0, 1, 400, 1000] {
        let rows = super::pairing::similar_pairs(&so, &sn, at_least);
        assert_eq!(rows.len(), so.len());
        for (a, x) in so.iter().enumerate() {
            let mut found = rows[a].clone();
            found.sort_unstable();
            let expected: Vec<(usize, usize)> = sn
                .iter()
                .enumerate()
                .map(|(b, y)| (b, super::pairing::similarity(&sorted(x), &sorted(y))))
                .filter(|&(_, s)| s >= at_least && (at_least > 0 || s > 0))
                .collect();
            assert_eq!(found, expected, "row {a}, at least {at_least}");
        }
    }
}

/// A large edited document pair (about 400 KB a side): words replaced in
/// place (sometimes several in one paragraph), paragraphs inserted,
/// deleted, moved and rewritten, some with quotes, numbers and non-ASCII.
fn large_edited_pair() -> (Document, Document) {
    let seed = std::cell::Cell::new(0x5eed_u64);
    let next = |n: u64| {
        seed.set(
            seed.get()
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407),
        );
        (seed.get() >> 33) % n
    };
    const WORDS: &[&str] = &[
        "the",
        "minister",
        "said",
        "dozens",
        "of",
        "writers",
        "were",
        "held",
        "in",
        "Beijing",
        "“quoted",
        "speech”",
        "not",
        "2019",
        "café",
        "naïve",
        "report",
        "and",
        "a",
        "week",
    ];
    let para = |len: u64| -> String {
        let words: Vec<&str> = (0..len)
            .map(|_| WORDS[next(WORDS.len() as u64) as usize])
            .collect();
        words.join(" ")
    };
    let old: Vec<String> = (0..1500).map(|_| para(20 + next(80))).collect();
    let mut new: Vec<String> = Vec::new();
    for p in &old {
        match next(20) {
            0 => {} // deleted
            1 => {
                new.push(para(30)); // inserted before
                new.push(p.clone());
            }
            2 => new.push(para(40)), // rewritten
            3..=9 => {
                let mut ws: Vec<&str> = p.split(' ').collect();
                for _ in 0..=next(3) {
                    let k = next(ws.len() as u64) as usize;
                    ws[k] = WORDS[next(WORDS.len() as u64) as usize];
                }
                new.push(ws.join(" "));
            }
            _ => new.push(p.clone()),
        }
    }
    // A few moves.
    for k in 0..5 {
        let from = (k * 97 + 13) % new.len();
        let block = new.remove(from);
        new.insert((k * 311 + 7) % new.len(), block);
    }
    let as_doc = |v: &[String]| doc(&v.iter().map(String::as_str).collect::<Vec<_>>());
    (as_doc(&old), as_doc(&new))
}

#[test]
fn the_result_does_not_depend_on_the_threads() -> Result<(), String> {
    let (a, b) = large_edited_pair();
    let with = |threads: usize, max_total_tokens: usize| {
        diff_documents(
            &a,
            &b,
            &DiffOptions {
                threads,
                max_total_tokens,
                ..DiffOptions::default()
            },
        )
    };
    let one = with(1, 2_000_000);
    check_apply(&a, &b, &one)?;
    assert!(one.edits.len() > 500, "{}", one.edits.len());
    assert!(one.edits.iter().any(|e| e.op == EditOp::Move));
    assert!(!one.coarse);
    for threads in [2, 3, 8] {
        assert_eq!(with(threads, 2_000_000), one, "{threads} threads");
    }
    // With a token budget that runs out part-way, the leading pairs are
    // diffed in parallel and the rest one by one: still the same result.
    let budget = with(1, 60_000);
    check_apply(&a, &b, &budget)?;
    assert!(budget.coarse);
    for threads in [2, 8] {
        assert_eq!(with(threads, 60_000), budget, "{threads} threads, budget");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, .. ProptestConfig::default() })]
    /// Versions that share no block skip Myers' search and get what it
    /// would give.
    #[test]
    fn disjoint_versions_align_as_myers_does(
        old_raw in proptest::collection::vec(0u32..20, 0..40),
        new_raw in prop_oneof![
            proptest::collection::vec(0u32..60, 0..40),
            proptest::collection::vec(20u32..60, 0..40),
        ],
    ) {
        // Interned as `diff_documents` does: ids by first appearance, the
        // old version first.
        let mut ids = std::collections::HashMap::new();
        let mut intern = |raw: &[u32]| -> Vec<u32> {
            raw.iter()
                .map(|r| {
                    let next = u32::try_from(ids.len()).unwrap_or(u32::MAX);
                    *ids.entry(*r).or_insert(next)
                })
                .collect()
        };
        let old = intern(&old_raw);
        let new = intern(&new_raw);
        let ours = super::align_blocks(&old, &new);
        let theirs = similar::capture_diff_slices_deadline(similar::Algorithm::Myers, &old, &new, None);
        prop_assert_eq!(ours, theirs);
    }
}

/// `word_hash` written plainly: ASCII lower-casing byte by byte, then the
/// same mixing.
fn plain_word_hash(word: &[u8]) -> u64 {
    const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let lower = word.to_ascii_lowercase();
    let mut h = 0u64;
    for chunk in lower.chunks(8) {
        let mut w = [0u8; 8];
        w[..chunk.len()].copy_from_slice(chunk);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    (h.rotate_left(5) ^ word.len() as u64).wrapping_mul(K)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, .. ProptestConfig::default() })]
    /// The eight-at-a-time lower-casing changes `A`..=`Z` and nothing else
    /// (bytes around the letters and non-ASCII bytes included).
    #[test]
    fn word_hash_lowercases_ascii_letters_only(s in "[@-\\`-|AZaz0-9 \u{80}-\u{ff}É中]{0,40}") {
        let b = s.as_bytes();
        prop_assert_eq!(super::pairing::word_hash(b), plain_word_hash(b));
        prop_assert_eq!(super::pairing::word_hash(b), super::pairing::word_hash(s.to_ascii_uppercase().as_bytes()));
    }
}

#[test]
fn a_moved_modified_stamp_is_cosmetic_and_a_publication_date_is_not() {
    let mut a = doc(&["The harbour plan was approved."]);
    a.meta.insert(
        "article:modified_time".into(),
        "2026-11-01T06:00:00Z".into(),
    );
    a.meta.insert(
        "article:published_time".into(),
        "2026-10-30T06:00:00Z".into(),
    );
    let mut b = a.clone();
    b.meta.insert(
        "article:modified_time".into(),
        "2026-11-02T09:30:00Z".into(),
    );
    let d = diff_documents(&a, &b, &DiffOptions::default());
    assert_eq!(
        field_classes(&d),
        vec![(
            "meta.article:modified_time".to_string(),
            EditClass::Cosmetic
        )]
    );
    assert!(!d.differs(false));
    b.meta.insert(
        "article:published_time".into(),
        "2026-11-02T06:00:00Z".into(),
    );
    let d = diff_documents(&a, &b, &DiffOptions::default());
    assert!(d.differs(false));
}

#[test]
fn a_standfirst_is_compared_as_the_article_is_unless_it_is_in_the_text() {
    let mut a = doc(&["The council voted on Tuesday."]);
    a.standfirst = Some("Opponents say local businesses will pay for it.".into());
    let mut b = a.clone();
    b.standfirst = Some("Opponents say local businesses will never pay for it.".into());
    let d = diff_documents(&a, &b, &DiffOptions::default());
    assert_eq!(
        field_classes(&d),
        vec![("standfirst".to_string(), EditClass::Substantive)]
    );
    b.standfirst = Some("Opponents say local businesses will pay for it!".into());
    let d = diff_documents(&a, &b, &DiffOptions::default());
    assert_eq!(
        field_classes(&d),
        vec![("standfirst".to_string(), EditClass::Minor)]
    );
    // In the text of both versions, its edit is a text edit, not twice.
    let mut a = doc(&[
        "Opponents say local businesses will pay for it.",
        "The council voted.",
    ]);
    a.standfirst = Some(a.blocks[0].text.clone());
    let mut b = doc(&[
        "Opponents say local businesses will never pay for it.",
        "The council voted.",
    ]);
    b.standfirst = Some(b.blocks[0].text.clone());
    let d = diff_documents(&a, &b, &DiffOptions::default());
    assert_eq!(field_classes(&d), vec![]);
    assert_eq!(d.edits.len(), 1);
}

#[test]
fn the_pages_description_is_compared_unless_the_page_shows_it() {
    let said = "Opponents say local businesses will pay for the harbour wall.";
    let mut a = doc(&["The council voted on Tuesday."]);
    a.meta.insert("description".into(), said.into());
    a.meta.insert("og:description".into(), said.into());
    // Its words changed: a field of its own, read as the article's words.
    let mut b = a.clone();
    let edited = said.replace("local businesses", "taxpayers");
    b.meta.insert("description".into(), edited.clone());
    let d = diff_documents(&a, &b, &DiffOptions::default());
    assert_eq!(
        field_classes(&d),
        vec![("description".to_string(), EditClass::Substantive)]
    );
    // The meta description dropped, the social card's kept: the same.
    let mut c = a.clone();
    c.meta.remove("description");
    c.meta
        .insert("twitter:description".into(), format!(" {said} "));
    let d = diff_documents(&a, &c, &DiffOptions::default());
    assert_eq!(field_classes(&d), vec![]);
    // Shown as the standfirst on both: reported there, not twice.
    let (mut a2, mut b2) = (a.clone(), b.clone());
    a2.standfirst = Some(said.into());
    b2.standfirst = Some(edited);
    let d = diff_documents(&a2, &b2, &DiffOptions::default());
    assert_eq!(
        field_classes(&d),
        vec![("standfirst".to_string(), EditClass::Substantive)]
    );
}

#[test]
fn a_publication_time_written_another_way_is_cosmetic() {
    let mut a = doc(&["The harbour plan was approved."]);
    a.meta.insert(
        "article:published_time".into(),
        "2024-02-12T15:30:00Z".into(),
    );
    for same in [
        "2024-02-12T15:30:00+00:00",
        "2024-02-12T15:30:00.000Z",
        "2024-02-12T10:30:00.000-05:00",
        "2024-02-12T16:30:00+0100",
        // Written to the millisecond, or to the minute only.
        "2024-02-12T15:30:00.556Z",
        "2024-02-12T10:30-05:00",
    ] {
        let mut b = a.clone();
        b.meta.insert("article:published_time".into(), same.into());
        let d = diff_documents(&a, &b, &DiffOptions::default());
        assert!(!d.differs(false), "{same}: {:?}", field_classes(&d));
    }
    for other in [
        "2024-02-12T15:31:00Z",
        "2024-02-12T15:30:01Z",
        "2024-02-12T15:30:00-05:00",
        "2024-02-12",
    ] {
        let mut b = a.clone();
        b.meta.insert("article:published_time".into(), other.into());
        let d = diff_documents(&a, &b, &DiffOptions::default());
        assert_eq!(
            field_classes(&d),
            vec![(
                "meta.article:published_time".to_string(),
                EditClass::Substantive
            )],
            "{other}"
        );
    }
}

#[test]
fn a_byline_run_together_or_apart_is_the_same_byline() {
    let mut a = doc(&["Text."]);
    let mut b = a.clone();
    a.bylines = vec!["Lucas Nolan22 Dec 2016651".into()];
    b.bylines = vec!["Lucas Nolan 22 Dec 2016 651".into()];
    let d = diff_documents(&a, &b, &DiffOptions::default());
    assert_eq!(
        field_classes(&d),
        vec![("bylines".to_string(), EditClass::Cosmetic)]
    );
    // Another name is another byline.
    b.bylines = vec!["Lucas Noland 22 Dec 2016 651".into()];
    let d = diff_documents(&a, &b, &DiffOptions::default());
    assert_eq!(
        field_classes(&d),
        vec![("bylines".to_string(), EditClass::Substantive)]
    );
}

#[test]
fn the_same_names_joined_another_way_are_the_same_byline() {
    let class = |before: &[&str], after: &[&str]| {
        let mut a = doc(&["Text."]);
        let mut b = a.clone();
        a.bylines = before.iter().map(|s| s.to_string()).collect();
        b.bylines = after.iter().map(|s| s.to_string()).collect();
        field_classes(&diff_documents(&a, &b, &DiffOptions::default()))
            .into_iter()
            .map(|(_, c)| c)
            .collect::<Vec<_>>()
    };
    let two = ["Jane Doe and John Roe"];
    for same in [
        &["Jane Doe, John Roe"][..],
        &["Jane Doe & John Roe"],
        &["Jane Doe", "John Roe"],
        &["JANE DOE AND JOHN ROE"],
        &["By Jane Doe and John Roe"],
        &["Posted by Jane Doe", "by John Roe"],
    ] {
        assert_eq!(class(&two, same), vec![EditClass::Cosmetic], "{same:?}");
    }
    assert_eq!(
        class(&two, &["John Roe and Jane Doe"]),
        vec![EditClass::Minor]
    );
    for other in [
        &["Jane Doe"][..],
        &["Jane Doe, John Roe, Reuters"],
        &["Jane Doe and Jon Roe"],
        &["Jane Doe with John Roe"],
    ] {
        assert_eq!(
            class(&two, other),
            vec![EditClass::Substantive],
            "{other:?}"
        );
    }
}

/// Each `(before, after, class, reasons)` of one-paragraph documents is
/// one edit of that class, for those reasons.
fn each_one_edit(cases: &[(&str, &str, EditClass, Vec<Reason>)]) {
    for (before, after, class, reasons) in cases {
        let d = diff_documents(&doc(&[before]), &doc(&[after]), &DiffOptions::default());
        let got: Vec<_> = d
            .edits
            .iter()
            .map(|e| (e.class, e.reasons.clone()))
            .collect();
        assert_eq!(got, vec![(*class, reasons.clone())], "{before} → {after}");
    }
}

#[test]
fn a_change_of_who_says_it_is_substantive() {
    // (before, after, class, reasons): each one edit.
    let cases = [
        (
            "The plant will close next year.",
            "The plant will close next year, officials said.",
            EditClass::Substantive,
            vec![Reason::Attribution],
        ),
        (
            "The mayor said the plan had failed.",
            "The mayor claimed the plan had failed.",
            EditClass::Substantive,
            vec![Reason::Attribution],
        ),
        (
            "The council reportedly met in secret.",
            "The council met in secret.",
            EditClass::Substantive,
            vec![Reason::Attribution],
        ),
        (
            "According to police, the road was closed.",
            "The road was closed.",
            EditClass::Substantive,
            vec![Reason::Attribution],
        ),
        // Another pronoun before "said" is another speaker.
        (
            "The plan had failed, he said.",
            "The plan had failed, she said.",
            EditClass::Substantive,
            vec![Reason::Attribution, Reason::Opposite],
        ),
        (
            "The plan had failed, they told reporters.",
            "The plan had failed, officials told reporters.",
            EditClass::Substantive,
            vec![Reason::Attribution],
        ),
        // Words that attribute nothing stay minor.
        (
            "The council met in secret.",
            "The council met in private.",
            EditClass::Minor,
            vec![],
        ),
    ];
    each_one_edit(&cases);
}

#[test]
fn a_relative_date_or_duration_moved_is_a_date() {
    // (before, after, class, reasons): each one edit.
    let cases = [
        (
            "The cleanup of the river starts next month.",
            "The cleanup of the river starts last month.",
            EditClass::Substantive,
            vec![Reason::Date],
        ),
        (
            "The plant closed two years ago.",
            "The plant closed two months ago.",
            EditClass::Substantive,
            vec![Reason::Date],
        ),
        (
            "The mayor resigned three days later.",
            "The mayor resigned three days earlier.",
            EditClass::Substantive,
            vec![Reason::Date, Reason::Opposite],
        ),
        (
            "The vote is set for next Tuesday.",
            "The vote is set for last Tuesday.",
            EditClass::Substantive,
            vec![Reason::Date],
        ),
        // "last", "day", "later" that say no time stay minor, as does a
        // relative time in other words.
        (
            "Prices could fall later this year, the bank said.",
            "Prices could drop later this year, the bank said.",
            EditClass::Minor,
            vec![],
        ),
        (
            "The council voted again the next day.",
            "The council voted again the following day.",
            EditClass::Minor,
            vec![],
        ),
        (
            "It was the last time the two met.",
            "It was the final time the two met.",
            EditClass::Minor,
            vec![],
        ),
        (
            "The day of reckoning has come for the council.",
            "The hour of reckoning has come for the council.",
            EditClass::Minor,
            vec![],
        ),
        (
            "The report, published later, was revised.",
            "The report, published afterwards, was revised.",
            EditClass::Minor,
            vec![],
        ),
    ];
    each_one_edit(&cases);
}

/// A photo credit restyled by a template ("Photo: Jane Doe/Reuters" →
/// "(Jane Doe / Reuters)") names the same people, in its credit and in the
/// caption that holds it; a CMS that labels alt texts ("Image: …")
/// describes the same picture. Another name, or other words, are not.
#[test]
fn a_credit_restyled_or_an_alt_text_labelled_is_cosmetic() {
    let classes = |before: (&str, &str, &str), after: (&str, &str, &str)| {
        let mut a = doc(&["Text."]);
        let mut b = a.clone();
        let image = |(caption, credit, alt): (&str, &str, &str)| crate::model::Image {
            src: "https://example.com/crane.jpg".into(),
            alt: Some(alt.into()),
            caption: Some(format!("{caption} {credit}")),
            credit: Some(credit.into()),
        };
        a.images = vec![image(before)];
        b.images = vec![image(after)];
        field_classes(&diff_documents(&a, &b, &DiffOptions::default()))
    };
    let was = ("A crane on Monday.", "Photo: Jane Doe/Reuters", "A crane");
    let cosmetic = |field: &str| (format!("images[0].{field}"), EditClass::Cosmetic);
    assert_eq!(
        classes(
            was,
            ("A crane on Monday.", "(Jane Doe / Reuters)", "A crane")
        ),
        vec![cosmetic("caption"), cosmetic("credit")]
    );
    assert_eq!(
        classes(
            was,
            (
                "A crane on Monday.",
                "Photo: Jane Doe/Reuters",
                "Image: A crane"
            )
        ),
        vec![cosmetic("alt")]
    );
    let substantive = |field: &str| (format!("images[0].{field}"), EditClass::Substantive);
    assert_eq!(
        classes(
            was,
            ("A crane on Monday.", "(John Roe / Reuters)", "A crane")
        ),
        vec![substantive("caption"), substantive("credit")]
    );
    assert_eq!(
        classes(
            was,
            ("A crane on Tuesday.", "(Jane Doe / Reuters)", "A crane")
        ),
        vec![substantive("caption"), cosmetic("credit")]
    );
    // Another picture described: read as the text it is.
    let boat = classes(
        was,
        (
            "A crane on Monday.",
            "Photo: Jane Doe/Reuters",
            "Image: A boat",
        ),
    );
    assert!(
        boat.iter().all(|(_, c)| *c != EditClass::Cosmetic),
        "{boat:?}"
    );
}
