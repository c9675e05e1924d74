//! Markup rewritten the ways a redeploy rewrites it, for tests that check
//! that the article stays the same.

/// `f` applied to the page outside its `<script>` elements (a redeploy
/// that writes text differently leaves the JSON in scripts alone).
pub fn outside_scripts(html: &str, f: &dyn Fn(&str) -> String) -> String {
    let script = regex::Regex::new(r"(?s)<script\b.*?</script>").expect("regex");
    let mut out = String::with_capacity(html.len());
    let mut last = 0;
    for m in script.find_iter(html) {
        out.push_str(&f(&html[last..m.start()]));
        out.push_str(m.as_str());
        last = m.end();
    }
    out.push_str(&f(&html[last..]));
    out
}

/// Every token of every double-quoted `class` attribute, outside scripts,
/// through `f`.
pub fn with_class_tokens(html: &str, f: &dyn Fn(&str) -> String) -> String {
    let class = regex::Regex::new(r#"(\sclass=")([^"]*)""#).expect("regex");
    outside_scripts(html, &|t| {
        class
            .replace_all(t, |c: &regex::Captures| {
                let tokens: Vec<String> = c[2].split_ascii_whitespace().map(f).collect();
                format!("{}{}\"", &c[1], tokens.join(" "))
            })
            .into_owned()
    })
}

/// Five characters of a build's hash of `token`, in css-loader's base64
/// alphabet (letters of both cases, digits, `-`, `_`).
pub fn build_hash(token: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in token.bytes().chain(*b"build-2027") {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    (0..5)
        .map(|i| char::from(ALPHABET[((h >> (i * 6)) & 63) as usize]))
        .collect()
}

/// The page with each caption's lone paragraph (`<div class="caption"><p>`)
/// set in one more `<div>`, as a template change does; `None` when the
/// page has no such caption.
pub fn caption_paragraphs_wrapped(html: &str) -> Option<String> {
    let caption = regex::Regex::new(
        r#"(?s)(<(?:div|span|figcaption)\b[^>]*\bclass="[^"]*(?:caption|cutline|legend)[^"]*"[^>]*>\s*)(<p[\s>].*?</p>)"#,
    )
    .expect("regex");
    caption.is_match(html).then(|| {
        outside_scripts(html, &|t| {
            caption
                .replace_all(t, "$1<div class=\"media-text\">$2</div>")
                .into_owned()
        })
    })
}

/// Byte offsets just after the `</p>` that closes each article paragraph
/// whose last words are found once in the page, in text order.
pub fn paragraph_ends(html: &str, d: &stet::model::Document) -> Vec<usize> {
    d.blocks
        .iter()
        .filter_map(|b| paragraph_end(html, &b.text))
        .collect()
}

/// The byte offset just after the `</p>` that closes the paragraph of
/// `text` (40 characters or more), when its last words are found once in
/// the page.
pub fn paragraph_end(html: &str, text: &str) -> Option<usize> {
    let closing_inline = regex::Regex::new(
        r"^(?:\s|</(?:a|em|strong|span|b|i|u|small|sup|sub|font|mark|q|cite)>)*</p>",
    )
    .expect("regex");
    let chars: Vec<char> = text.chars().collect();
    if chars.len() < 40 {
        return None;
    }
    let tail: String = chars[chars.len() - 24..].iter().collect();
    if html.matches(&tail).count() != 1 {
        return None;
    }
    let at = html.find(&tail)? + tail.len();
    closing_inline.find(&html[at..]).map(|m| at + m.end())
}
