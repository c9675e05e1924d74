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

/// `html` with each script's content blanked (its bytes set to spaces, so
/// offsets stay): where to look for the page's own markup and text, not
/// the copies a JSON-LD `articleBody` or an app's state holds.
pub fn scripts_blanked(html: &str) -> String {
    let script = regex::Regex::new(r"(?is)(<script\b[^>]*>)(.*?)(</script>)").expect("regex");
    script
        .replace_all(html, |c: &regex::Captures| {
            format!("{}{}{}", &c[1], " ".repeat(c[2].len()), &c[3])
        })
        .into_owned()
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

/// `f` applied to `name` where it is set alone in an element of its own
/// (a block's tag since the text before it: not a word in bold inside a
/// sentence), not a link's words (a redesign that links the name does not
/// nest links) and not after a "by" of its own.
pub fn byline_set_alone(html: &str, name: &str, f: &dyn Fn(&str) -> String) -> String {
    let markup =
        regex::Regex::new(r"(?is)<script\b.*?</script>|<style\b.*?</style>|<!--.*?-->|<[^>]*>")
            .expect("regex");
    let mut out = String::with_capacity(html.len() + 64);
    let block = regex::Regex::new(
        r"(?i)^</?(div|p|span|li|ul|header|footer|section|address|figure|figcaption|h[1-6]|td|br|time)\b",
    )
    .expect("regex");
    let (mut last, mut links, mut text, mut apart) = (0usize, 0usize, "", true);
    for m in markup.find_iter(html) {
        let t = &html[last..m.start()];
        let in_link = links > 0;
        let after_by = text.trim_end().to_lowercase().ends_with("by");
        if t.trim() == name && !in_link && !after_by && apart {
            out.push_str(&t.replace(name, &f(name)));
        } else {
            out.push_str(t);
        }
        if !t.trim().is_empty() {
            text = t;
            apart = false;
        }
        apart |= block.is_match(m.as_str());
        out.push_str(m.as_str());
        let tag = m.as_str().to_ascii_lowercase();
        if tag.starts_with("<a ") || tag == "<a>" {
            links += 1;
        } else if tag.starts_with("</a") {
            links = links.saturating_sub(1);
        }
        last = m.end();
    }
    out.push_str(&html[last..]);
    out
}
