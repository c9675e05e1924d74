//! Share buttons and the bars that hold them.
//!
//! A share button is known by its link ([`is_share_intent`]), whatever its
//! class. A share bar ([`share_bars`]) is the element around two share
//! buttons or more whose other words are the bar's own controls ("Show more
//! sharing options", "Copy Link", "Print", a share count): none of it is the
//! article's, and content detection, finding it inside the article's
//! container, would keep those words as the first lines of the text.

use dom_query::NodeRef;
use html5ever::local_name;

/// Whether `href` asks a social site to share the page (a share button's
/// link, whatever its class): `facebook.com/sharer…`, `twitter.com/share`,
/// `…/intent/tweet`, `pinterest.com/pin/create/…`, `wa.me/?text=`, a mail
/// with no recipient (`mailto:?subject=…&body=…`), … Never
/// a source of the article, and its icon is no picture of it.
pub(crate) fn is_share_intent(href: &str) -> bool {
    let h = href.trim().to_ascii_lowercase();
    // "Share by email": a mail with no recipient, the page in its body.
    if h.starts_with("mailto:?") {
        return true;
    }
    let rest = h
        .strip_prefix("https://")
        .or_else(|| h.strip_prefix("http://"))
        .or_else(|| h.strip_prefix("//"));
    let Some(rest) = rest else {
        return false;
    };
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    [
        "facebook.com/sharer",
        "facebook.com/share.php",
        "facebook.com/dialog/share",
        "facebook.com/dialog/feed",
        "twitter.com/share",
        "twitter.com/intent/tweet",
        "x.com/intent/tweet",
        "x.com/share",
        "pinterest.com/pin/create",
        "linkedin.com/sharearticle",
        "linkedin.com/sharing/share-offsite",
        "reddit.com/submit",
        "tumblr.com/share",
        "tumblr.com/widgets/share",
        "wa.me/?",
        "api.whatsapp.com/send",
        "web.whatsapp.com/send",
        "t.me/share",
        "telegram.me/share",
        "vk.com/share.php",
        "getpocket.com/save",
        "getpocket.com/edit",
        "bsky.app/intent/compose",
        "news.ycombinator.com/submitlink",
        "addthis.com/bookmark",
    ]
    .iter()
    .any(|p| rest.starts_with(p))
}

/// Whether `node` is a share (or print) button drawn as a picture with a
/// script behind it (`<img class="socialIcon" onclick="shareGDM('Facebook')">`,
/// `onclick="window.print()"`): it, or an element just around it, shares
/// or prints on click.
pub(crate) fn is_share_control(node: &NodeRef) -> bool {
    std::iter::once(*node)
        .chain(node.ancestors_it(Some(2)))
        .filter_map(|n| n.attr("onclick"))
        .any(|js| {
            let js = js.to_ascii_lowercase();
            js.contains("share") || js.contains("print(")
        })
}

/// Words of a share bar's own controls, lower-cased: its labels ("Share",
/// "Show more sharing options", "Copy Link URL", "Copied!", "Print",
/// "Close"), the names of the services its buttons go to, and the words of
/// a count ("1.2K shares", "12 comments").
const BAR_WORDS: &[&str] = &[
    "article",
    "bluesky",
    "bookmark",
    "close",
    "comment",
    "comments",
    "copied",
    "copy",
    "email",
    "extra",
    "facebook",
    "flipboard",
    "gift",
    "link",
    "linkedin",
    "mail",
    "messenger",
    "more",
    "on",
    "option",
    "options",
    "page",
    "pin",
    "pinterest",
    "pocket",
    "post",
    "print",
    "reddit",
    "save",
    "send",
    "share",
    "shared",
    "shares",
    "sharing",
    "show",
    "sms",
    "story",
    "telegram",
    "this",
    "threads",
    "to",
    "tumblr",
    "tweet",
    "twitter",
    "url",
    "via",
    "whatsapp",
    "x",
];

/// A number, or the end of a rounded one ("1.2K" splits into "1" and
/// "2K").
fn is_count(word: &str) -> bool {
    let digits = word.trim_end_matches(['k', 'K', 'm', 'M']);
    !digits.is_empty()
        && digits.len() + 1 >= word.len()
        && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Ancestors of a share button looked at for its bar.
const BAR_DEPTH: usize = 6;

/// The share bars of a page: for each share button, its farthest
/// ancestor (within [`BAR_DEPTH`]) that holds two share buttons or more
/// and nothing else but controls ([`is_control`]), [`BAR_WORDS`] and
/// numbers: no paragraph, heading, picture or video outside the buttons.
/// Each bar once, none inside another.
pub(crate) fn share_bars<'a>(buttons: &[NodeRef<'a>]) -> Vec<NodeRef<'a>> {
    if buttons.len() < 2 {
        return Vec::new();
    }
    let ids: std::collections::HashSet<_> = buttons.iter().map(|b| b.id).collect();
    let mut bars: Vec<NodeRef<'a>> = Vec::new();
    for button in buttons {
        let mut bar = None;
        for up in button.ancestors_it(Some(BAR_DEPTH)) {
            let Some(el) = up.element_ref() else { break };
            if matches!(
                el.name.local,
                local_name!("body")
                    | local_name!("html")
                    | local_name!("article")
                    | local_name!("main")
            ) {
                break;
            }
            match controls_only(&up, &ids) {
                Some(n) if n >= 2 => bar = Some(up),
                Some(_) => {}
                None => break,
            }
        }
        if let Some(b) = bar {
            if !bars.iter().any(|o| o.id == b.id) {
                bars.push(b);
            }
        }
    }
    // A bar inside another goes with it.
    let all: Vec<_> = bars.iter().map(|b| b.id).collect();
    bars.retain(|b| !b.ancestors_it(None).any(|a| all.contains(&a.id)));
    bars
}

/// Words of a control's label ([`is_control`]) in a share bar.
const CONTROL_WORDS: usize = 6;

/// Whether `node` is a control rather than a link or text: a `<button>`,
/// an element with a button's or a menu item's role, or a link that goes
/// nowhere (no `href`, `#…`, `javascript:…`), which a script opens a menu
/// or copies the link with.
fn is_control(node: &NodeRef) -> bool {
    if node.has_name("button") {
        return true;
    }
    if node
        .attr("role")
        .is_some_and(|r| matches!(r.trim(), "button" | "menuitem"))
    {
        return true;
    }
    node.has_name("a")
        && node.attr("href").is_none_or(|h| {
            let h = h.trim();
            h.starts_with('#')
                || h.get(..11)
                    .is_some_and(|s| s.eq_ignore_ascii_case("javascript:"))
        })
}

/// The number of share buttons (`ids`) in `node` when everything else in
/// it is a bar's control; `None` when it holds anything else.
fn controls_only(
    node: &NodeRef,
    ids: &std::collections::HashSet<dom_query::NodeId>,
) -> Option<usize> {
    let mut buttons = 0;
    let mut stack = vec![*node];
    while let Some(n) = stack.pop() {
        if ids.contains(&n.id) {
            buttons += 1;
            continue;
        }
        if n.is_text() {
            let text = n.text();
            let controls = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .all(|w| is_count(w) || BAR_WORDS.contains(&w.to_lowercase().as_str()));
            if !controls {
                return None;
            }
            continue;
        }
        if let Some(el) = n.element_ref() {
            match el.name.local {
                // Code, style and icons of the bar's widget: no words of it.
                local_name!("script")
                | local_name!("svg")
                | local_name!("style")
                | local_name!("template")
                | local_name!("noscript") => continue,
                local_name!("p")
                | local_name!("h1")
                | local_name!("h2")
                | local_name!("h3")
                | local_name!("h4")
                | local_name!("h5")
                | local_name!("h6")
                | local_name!("img")
                | local_name!("picture")
                | local_name!("video")
                | local_name!("iframe")
                | local_name!("figure")
                | local_name!("blockquote")
                | local_name!("table") => return None,
                _ => {}
            }
            // A control's label, whatever its words ("More ways to share"
            // after a redesign renamed "Show more sharing options"); a
            // picture in it is still looked at.
            if is_control(&n)
                && n.text().split_whitespace().count() <= CONTROL_WORDS
                && !n.descendants_it().any(|d| {
                    d.element_ref().is_some_and(|e| {
                        matches!(
                            e.name.local,
                            local_name!("img") | local_name!("picture") | local_name!("video")
                        )
                    })
                })
            {
                continue;
            }
        }
        let mut child = n.first_child();
        while let Some(c) = child {
            child = c.next_sibling();
            stack.push(c);
        }
    }
    Some(buttons)
}

#[cfg(test)]
mod tests {
    fn text(html: &str) -> Vec<String> {
        extracted(html).blocks.into_iter().map(|b| b.text).collect()
    }

    fn bylines(html: &str) -> Vec<String> {
        extracted(html).bylines
    }

    /// The document of `html` set in an article.
    fn extracted(html: &str) -> crate::model::Document {
        crate::extract::extracted(&format!(
            "<html><head><title>T</title></head><body><article><h1>A headline</h1>\
             {html}</article></body></html>"
        ))
    }

    fn images(html: &str) -> Vec<String> {
        extracted(html).images.into_iter().map(|i| i.src).collect()
    }

    const PARAGRAPHS: &str = "<p>The council voted on Tuesday to close the old bridge to \
        traffic for the winter, citing a report on its cables.</p>\
        <p>Repairs are expected to take until the spring, the mayor said, and will cost \
        about four million.</p><p>Residents have asked for a ferry in the meantime, which \
        the council will discuss next month at its regular meeting.</p>";

    const BUTTONS: &str = "<a href=\"https://www.facebook.com/sharer/sharer.php?u=x\">\
        Facebook</a><a href=\"https://twitter.com/intent/tweet?url=x\">Twitter</a>";

    #[test]
    fn a_share_bars_controls_are_not_article_text() {
        // The LA Times' action bar: a menu opener, a drop-down with its
        // heading, copy-link and print controls that are no links.
        let bar = format!(
            "<div class=\"action-bar\"><ul><li>{BUTTONS}</li><li><a href=\"#\">\
             <span>Show more sharing options</span></a></li></ul><div><div><span>Share</span>\
             <button><span>Close extra sharing options</span></button></div><ul><li>\
             <span data-social-service=\"copylink\">Copy Link URL<span>Copied!</span></span>\
             </li><li><span>Print</span></li><li><span>1.2K shares</span></li></ul></div></div>"
        );
        let plain = text(PARAGRAPHS);
        assert_eq!(text(&format!("{bar}{PARAGRAPHS}")), plain);
        // A redesign renames the menu's opener: still the bar's.
        let renamed = bar.replace("Show more sharing options", "More ways to pass this on");
        assert_eq!(text(&format!("{renamed}{PARAGRAPHS}")), plain);
        assert_eq!(text(&format!("{PARAGRAPHS}{bar}")), plain);
        assert_eq!(plain.len(), 4, "{plain:#?}");
    }

    #[test]
    fn a_byline_or_a_picture_beside_share_buttons_stays() {
        let byline = format!(
            "<div class=\"meta\"><span>By Jane Roe</span><div>{BUTTONS}<span>Print</span></div>\
             </div>{PARAGRAPHS}"
        );
        assert_eq!(bylines(&byline), ["Jane Roe"]);
        // One share button is no bar: the word beside it is not taken.
        let one = format!(
            "<div><a href=\"https://twitter.com/intent/tweet?url=x\">Tweet</a> <span>Print</span>\
             </div>{PARAGRAPHS}"
        );
        assert!(text(&one).iter().any(|b| b == "Print"), "{:#?}", text(&one));
        // A picture with share buttons on it is the article's picture.
        let picture = format!(
            "<div><img src=\"https://x.example/p.jpg\" width=\"600\" height=\"400\">\
             {BUTTONS}<span>Share</span></div>{PARAGRAPHS}"
        );
        assert_eq!(images(&picture), ["https://x.example/p.jpg"]);
        // Also in a link that opens a lightbox.
        let lightbox = picture
            .replace("<div><img", "<div><a href=\"#gallery\"><img")
            .replace("height=\"400\">", "height=\"400\"></a>");
        assert_ne!(lightbox, picture);
        assert_eq!(images(&lightbox), ["https://x.example/p.jpg"]);
    }
}
