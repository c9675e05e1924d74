//! The seed fixtures come out with every field right.

use std::path::PathBuf;

use stet::extract::{decode, extract, ExtractOptions};
use stet::model::{BlockKind, ClaimKind, Document};

const URL: &str =
    "https://www.rightsmonitor.example/2011/04/27/us-china-human-rights-dialogue-soft-power-gone-hard/";
const WSJ: &str =
    "http://blogs.wsj.com/chinarealtime/2011/04/27/u-s-china-human-rights-dialogue-soft-power-gone-hard/";

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn doc(name: &str) -> Document {
    html_doc(&fixture(name))
}

/// An HTML page at the fixtures' URL, extracted with default options.
fn html_doc(html: &[u8]) -> Document {
    match extract(html, Some("text/html"), URL, &ExtractOptions::default()) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn v1_every_field() {
    let d = doc("article-v1.html");
    assert_eq!(
        d.title.as_deref(),
        Some("U.S.-China Human Rights Dialogue: Soft Power Gone Hard?")
    );
    assert_eq!(d.canonical_url.as_deref(), Some(URL));
    assert_eq!(d.lang.as_deref(), Some("en-US"));
    assert_eq!(
        d.meta.get("og:site_name").map(String::as_str),
        Some("Rights Monitor")
    );
    assert_eq!(
        d.meta.get("article:published_time").map(String::as_str),
        Some("2011-04-27")
    );

    // Byline: the closing sign-off (the meta author is part of it).
    assert_eq!(
        d.bylines,
        vec!["Brian Spegele, with contributions from Josh Chin"]
    );

    // The origin claim.
    let origin: Vec<_> = d
        .claims
        .iter()
        .filter(|c| c.kind == ClaimKind::OriginallyPublished)
        .collect();
    assert_eq!(origin.len(), 1);
    assert_eq!(origin[0].publisher.as_deref(), Some("Wall Street Journal"));
    assert_eq!(origin[0].date.as_deref(), Some("2011-04-27"));
    assert_eq!(
        origin[0].text,
        "Originally published by Wall Street Journal, April 27 2011"
    );
    // The source line and the JSON-LD isBasedOn both point at the WSJ URL.
    assert!(d
        .claims
        .iter()
        .any(|c| c.kind == ClaimKind::Source && c.url.as_deref() == Some(WSJ)));
    assert!(d
        .claims
        .iter()
        .any(|c| c.kind == ClaimKind::IsBasedOn && c.url.as_deref() == Some(WSJ)));
    assert_eq!(d.json_ld.len(), 1);
    assert_eq!(d.json_ld[0].kind, "NewsArticle");
    assert_eq!(d.json_ld[0].authors, vec!["Brian Spegele"]);
    assert_eq!(d.json_ld[0].publisher.as_deref(), Some("Rights Monitor"));
    assert_eq!(d.json_ld[0].is_based_on.as_deref(), Some(WSJ));

    // The image: absolute src, placeholder alt, credit outside the caption.
    assert_eq!(d.images.len(), 1);
    let img = &d.images[0];
    assert_eq!(
        img.src,
        "https://www.rightsmonitor.example/images/ai-weiwei-banner.jpg"
    );
    assert_eq!(img.alt.as_deref(), Some("Responsive Image"));
    assert_eq!(
        img.credit.as_deref(),
        Some("By Kin Cheung/Associated Press")
    );
    let caption = img.caption.as_deref().unwrap_or_default();
    assert!(caption.starts_with("Pro-democracy protesters and artists hold a banner"));
    assert!(caption.ends_with("the U.S. State Department said."));

    // Links: absolute, share box and chrome excluded, the source link kept.
    let hrefs: Vec<(&str, &str)> = d
        .links
        .iter()
        .map(|l| (l.href.as_str(), l.text.as_str()))
        .collect();
    assert_eq!(
        hrefs,
        vec![
            (
                "https://www.rightsmonitor.example/2011/01/18/china-image-ad-times-square/",
                "Times Square"
            ),
            ("https://www.state.gov/", "in a statement"),
            ("https://www.hrichina.org/", "Human Rights in China"),
            ("http://blogs.wsj.com/chinarealtime/", "China Real Time"),
            (
                "https://www.rightsmonitor.example/topics/confucius-institutes/",
                "Confucius Institutes"
            ),
            (
                "https://www.rightsmonitor.example/authors/brian-spegele/",
                "Brian Spegele"
            ),
            ("https://twitter.com/bspegele", "@bspegele"),
            (WSJ, WSJ),
        ]
    );

    // The article text: the 13 body paragraphs and the source line; no
    // chrome, no empty &nbsp; block. The sign-off (`p.byline`) is article
    // metadata: it gave the bylines above and is not text to diff.
    let texts: Vec<&str> = d.blocks.iter().map(|b| b.text.as_str()).collect();
    assert!(texts[0].starts_with("With Beijing in the midst of unyielding crackdown"));
    assert!(texts.contains(&"That was then."));
    assert!(!texts.iter().any(|t| t.contains("Brian Spegele")));
    assert_eq!(
        texts.last().copied(),
        Some(format!("Source: {WSJ}").as_str())
    );
    assert!(d.blocks.iter().all(|b| b.kind == BlockKind::Paragraph));
    assert_eq!(d.blocks.len(), 14);
    let all = d.text();
    for chrome in ["cookie", "Most read", "Related", "Share", "©"] {
        assert!(
            !all.contains(chrome),
            "{chrome:?} leaked into the article text"
        );
    }
    assert!(d.notes.is_empty(), "{:?}", d.notes);
}

#[test]
fn v2_boilerplate_changes_nothing() {
    let (v1, v2) = (doc("article-v1.html"), doc("article-v2-boilerplate.html"));
    assert_eq!(v1.blocks, v2.blocks);
    assert_eq!(v1.title, v2.title);
    assert_eq!(v1.claims, v2.claims);
    assert_eq!(v1.images, v2.images);
    assert_eq!(v1.links, v2.links);
    assert_eq!(v1.bylines, v2.bylines);
}

#[test]
fn v3_v4_v5_differ_where_they_should() {
    let v1 = doc("article-v1.html");
    let v3 = doc("article-v3-edited.html");
    assert_ne!(v1.blocks, v3.blocks);
    assert!(v3.text().contains("hundreds of writers"));
    assert!(!v3.text().contains("Security, in other words"));
    assert!(v3
        .blocks
        .last()
        .is_some_and(|b| b.text.starts_with("Correction: An earlier version")));

    let v4 = doc("article-v4-no-caption.html");
    assert_eq!(v4.images.len(), 1);
    assert_eq!(v4.images[0].caption, None);
    assert_eq!(v4.images[0].alt.as_deref(), Some("Responsive Image"));
    assert_eq!(
        v4.images[0].credit.as_deref(),
        Some("By Kin Cheung/Associated Press")
    );
    assert_eq!(v1.blocks, v4.blocks);

    let v5 = doc("article-v5-links-changed.html");
    assert!(v5
        .links
        .iter()
        .any(|l| l.href == "https://www.wsj.com/articles/BL-CJB-13622"));
    assert!(!v5
        .links
        .iter()
        .any(|l| l.href == "http://blogs.wsj.com/chinarealtime/"));
    assert!(v5.links.iter().any(|l| l.href
        == "https://en.wikipedia.org/wiki/2011_Chinese_pro-democracy_protests"
        && l.text == "Jasmine Revolution"));
}

#[test]
fn base_href_resolves_every_url() {
    let d = match extract(
        &fixture("article-base-href.html"),
        None,
        "http://127.0.0.1:8080/served/page.html",
        &ExtractOptions::default(),
    ) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    assert!(d
        .images
        .iter()
        .any(|i| i.src == "https://archive.example.org/mirror/images/ai-weiwei-banner.jpg"));
    for l in &d.links {
        assert!(
            !l.href.starts_with("http://127.0.0.1"),
            "{} resolved against the page URL, not <base>",
            l.href
        );
    }
    assert!(d
        .links
        .iter()
        .any(|l| l.href == "https://www.hrichina.org/"));
}

#[test]
fn charsets_decode_to_expected_text() {
    let expected: std::collections::BTreeMap<String, String> =
        match serde_json::from_slice(&fixture("charset/expected.json")) {
            Ok(m) => m,
            Err(e) => panic!("expected.json: {e}"),
        };
    assert_eq!(expected.len(), 7);
    let opts = ExtractOptions {
        selector: Some("h1, p".to_owned()),
        ..ExtractOptions::default()
    };
    for (file, want) in &expected {
        let bytes = fixture(&format!("charset/{file}"));
        let d = match extract(&bytes, Some("text/html"), "file:///charset/x.html", &opts) {
            Ok(d) => d,
            Err(e) => panic!("{file}: {e}"),
        };
        let got: Vec<&str> = d.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(&got.join("\n\n"), want, "{file}");
        let decoded = decode::decode(&bytes, None);
        let enc = decoded.encoding;
        let want_enc = match file.as_str() {
            "euc-kr.html" => "EUC-KR",
            "gbk.html" => "GBK",
            "iso-8859-2.html" => "ISO-8859-2",
            "shift_jis.html" => "Shift_JIS",
            "utf-16le-bom.html" => "UTF-16LE",
            _ => "windows-1252",
        };
        assert_eq!(enc, want_enc, "{file}");
    }
}

#[test]
fn same_bytes_same_document() {
    for name in [
        "article-v1.html",
        "article-v2-boilerplate.html",
        "article-base-href.html",
        "charset/shift_jis.html",
    ] {
        let bytes = fixture(name);
        let once = extract(&bytes, None, URL, &ExtractOptions::default())
            .map(|d| stet::digest::canonical_json(&d));
        let twice = extract(&bytes, None, URL, &ExtractOptions::default())
            .map(|d| stet::digest::canonical_json(&d));
        match (once, twice) {
            (Ok(Ok(a)), Ok(Ok(b))) => assert_eq!(a, b, "{name}"),
            other => panic!("{name}: {other:?}"),
        }
    }
}

/// The v1 page with what publishers print around an article and change
/// from one fetch to the next: a time stamp, a breadcrumb, a tag list, a
/// newsletter call to action and a copyright line at the end.
fn v1_with_page_metadata(stamp: &str, year: &str) -> Document {
    let html = String::from_utf8(fixture("article-v1.html")).expect("utf-8 fixture");
    let html = html
        .replacen(
            r#"<div class="entry-content css-53u8mv" itemprop="articleBody">"#,
            &format!(
                r#"<div class="entry-content css-53u8mv" itemprop="articleBody">
    <nav class="crumbs"><a href="/">Home</a> › <a href="/china/">China</a></nav>
    <p class="storyDate">Updated {stamp}</p>"#
            ),
            1,
        )
        .replacen(
            "</article>",
            &format!(
                r#"<p>Sign up for our <a href="/newsletter/">daily newsletter</a> and get the news that matters.</p>
  <p>Copyright {year} Rights Monitor. All rights reserved.</p>
  <div class="post-tags">Tags: China, human rights, diplomacy</div>
</article>"#
            ),
            1,
        );
    html_doc(html.as_bytes())
}

#[test]
fn page_metadata_around_the_article_is_not_text() {
    let plain = doc("article-v1.html");
    let a = v1_with_page_metadata("5:27 am CST, Wednesday, November 20, 2019", "2019");
    let b = v1_with_page_metadata("11:21 pm CST, Tuesday, November 26, 2019", "2020");
    // A new time stamp or copyright year changes no article text.
    assert_eq!(a.blocks, b.blocks);
    assert_eq!(a.blocks, plain.blocks, "{:#?}", a.blocks);
    // The metadata still serves provenance: the sign-off byline and the
    // origin claim are found as before.
    assert_eq!(a.bylines, plain.bylines);
    assert_eq!(a.claims, plain.claims);
}

/// A lazy loader's markup gives the real image, not its placeholder: the
/// seed's lead image written five ways comes out as the same `src` (the
/// srcset candidate keeps the commas of a CDN URL).
#[test]
fn lazy_loaded_images_give_the_real_src() {
    let v1 = String::from_utf8_lossy(&fixture("article-v1.html")).into_owned();
    let plain = r#"<img src="/images/ai-weiwei-banner.jpg""#;
    assert!(v1.contains(plain));
    let real = "https://www.rightsmonitor.example/images/ai-weiwei-banner.jpg";
    let pixel = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";
    for (markup, want) in [
        (plain.to_string(), real.to_string()),
        (
            format!(r#"<img src="{pixel}" data-src="/images/ai-weiwei-banner.jpg""#),
            real.to_string(),
        ),
        (
            r#"<img src="/images/blank.gif" data-lazy-src="/images/ai-weiwei-banner.jpg""#
                .to_string(),
            real.to_string(),
        ),
        (
            format!(
                r#"<img src="{pixel}" data-srcset="/images/ai-weiwei-banner.jpg 1x, /images/ai-weiwei-banner.jpg?w=1240 2x""#
            ),
            real.to_string(),
        ),
        (
            r#"<img srcset="https://res.cloudinary.com/rm/image/upload/c_fill,w_620,q_auto/v1/ai-weiwei-banner.jpg 620w, https://res.cloudinary.com/rm/image/upload/c_fill,w_1240/v1/ai-weiwei-banner.jpg 1240w""#
                .to_string(),
            "https://res.cloudinary.com/rm/image/upload/c_fill,w_620,q_auto/v1/ai-weiwei-banner.jpg"
                .to_string(),
        ),
    ] {
        let d = html_doc(v1.replacen(plain, &markup, 1).as_bytes());
        let srcs: Vec<&str> = d.images.iter().map(|i| i.src.as_str()).collect();
        assert_eq!(srcs, vec![want.as_str()], "{markup}");
    }
}

/// A correction the publisher sets aside inside the article (`<aside
/// class="correction">`, `<div class="editors-note">`) is article text:
/// it comes out as a block where it stands, and the article's other
/// blocks are unchanged.
#[test]
fn corrections_set_aside_are_kept() {
    let plain = doc("article-v1.html");
    let v1 = String::from_utf8(fixture("article-v1.html")).expect("utf-8 fixture");
    let anchor = "<p>That was then.</p>";
    assert!(v1.contains(anchor));
    let notes = [
        r#"<aside class="correction">Correction: An earlier version of this post misstated the year the talks resumed.</aside>"#,
        r#"<aside class="article-correction"><p>Correction: An earlier version of this post misstated the year the talks resumed.</p></aside>"#,
        r#"<div class="editors-note">Editor’s note: An earlier version of this post misstated the year the talks resumed.</div>"#,
        r#"<p class="clarification">Clarification: An earlier version of this post misstated the year the talks resumed.</p>"#,
    ];
    for note in notes {
        let html = v1.replacen(anchor, &format!("{anchor}\n    {note}"), 1);
        let d = html_doc(html.as_bytes());
        let at = d
            .blocks
            .iter()
            .position(|b| b.text.ends_with("misstated the year the talks resumed."))
            .unwrap_or_else(|| panic!("{note}: correction dropped: {:#?}", d.blocks));
        assert_eq!(d.blocks[at - 1].text, "That was then.", "{note}");
        let mut rest = d.blocks.clone();
        rest.remove(at);
        assert_eq!(rest, plain.blocks, "{note}");
    }
}

/// An article with `img` where each image stands; `img` is a function of
/// the image's address.
fn page_with_images(img: &dyn Fn(&str) -> String) -> Vec<u8> {
    let para = "The council met on Tuesday evening and voted to extend the library's opening hours after a long debate about its budget.";
    format!(
        "<html><head><title>Library hours</title></head><body><article><h1>Library hours</h1>\
         <p>{para}</p>\
         <figure>{}<figcaption>The reading room (Photo: Jane Doe)</figcaption></figure>\
         <p>{para} Residents spoke for and against.</p>\
         <div class=\"thumb\"><div class=\"thumbinner\"><a href=\"/file/plan.png\" class=\"image\">{}</a>\
         <div class=\"thumbcaption\">The new plan</div></div></div>\
         <p>{para} The vote was seven to two.</p><p>{para} It takes effect in May.</p>\
         </article></body></html>",
        img("https://cdn.example/room.jpg"),
        img("https://cdn.example/plan.png"),
    )
    .into_bytes()
}

#[test]
fn picture_and_lazy_srcset_extract_as_the_bare_image() {
    let bare = html_doc(&page_with_images(&|u| {
        format!("<img src=\"{u}\" alt=\"x\">")
    }));
    let srcs: Vec<&str> = bare.images.iter().map(|i| i.src.as_str()).collect();
    assert_eq!(
        srcs,
        [
            "https://cdn.example/room.jpg",
            "https://cdn.example/plan.png"
        ]
    );
    assert_eq!(bare.images[0].credit.as_deref(), Some("Photo: Jane Doe"));
    let picture = html_doc(&page_with_images(&|u| {
        format!(
            "<picture><source type=\"image/avif\" srcset=\"{u}.avif\">\
             <source type=\"image/webp\" srcset=\"{u}.webp\"><img src=\"{u}\" alt=\"x\"></picture>"
        )
    }));
    assert_eq!(format!("{picture:?}"), format!("{bare:?}"));
    // A lazy loader's srcset holds the image; another image-like
    // attribute (`datasrc`, a larger size) is not it.
    let lazy = html_doc(&page_with_images(&|u| {
        format!(
            "<img src=\"data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7\" \
             data-srcset=\"{u} 1x, {u} 2x\" datasrc=\"{u}?w=976\" alt=\"x\">"
        )
    }));
    let lazy_srcs: Vec<&str> = lazy.images.iter().map(|i| i.src.as_str()).collect();
    assert_eq!(lazy_srcs, srcs);
}
