//! Sign-up boxes: a form asking for the reader's email address, with the
//! words around it ("Join Fox News for access to this content", "Please
//! enter a valid email address", the terms it agrees to). A registration
//! gate over the body, a newsletter box: never the article's text,
//! whatever their classes, and a redeploy that moves one must not move
//! what content detection keeps.

use dom_query::{Document, NodeRef};

/// Most characters of a sign-up box: its title, its pitch, its
/// error messages and its legal lines.
const MAX_BOX_CHARS: usize = 800;

/// Words of the class or id of a box around a sign-up form
/// (`article-gating gated-overlay`, `newsletter-signup`, `field-email`):
/// the box's words go with the form. A form in any other box goes alone.
const BOX_WORDS: &[&str] = &[
    "newsletter",
    "newsletters",
    "signup",
    "sign",
    "subscribe",
    "subscription",
    "gate",
    "gating",
    "gated",
    "registration",
    "regwall",
    "optin",
    "email",
    "inbox",
];

/// Removes each sign-up box before content detection.
pub(crate) fn remove_sign_up_boxes(dom: &Document) {
    let fields: Vec<NodeRef> = dom
        .select("input")
        .nodes()
        .iter()
        .filter(|input| asks_for_email(input) && !takes_a_message(input))
        .copied()
        .collect();
    for field in fields {
        // An earlier box may hold this field already (removed with it).
        if field.ancestors_it(None).any(|a| a.has_name("html")) {
            box_of(&field).remove_from_parent();
        }
    }
}

/// Whether the form of `input` takes a message too (a comment form, a
/// contact form): not a sign-up; what is around it is left to content
/// detection (reader comments, an author's contact box).
fn takes_a_message(input: &NodeRef) -> bool {
    input
        .ancestors_it(None)
        .find(|a| a.has_name("form"))
        .is_some_and(|form| form.descendants_it().any(|d| d.has_name("textarea")))
}

/// Whether `input` is a field for an email address.
fn asks_for_email(input: &NodeRef) -> bool {
    let attr = |name: &str| input.attr(name).map(|v| v.to_ascii_lowercase());
    match attr("type").as_deref() {
        Some("email") => true,
        None | Some("text") => ["name", "id", "placeholder"]
            .iter()
            .any(|a| attr(a).is_some_and(|v| v.contains("email") || v.contains("e-mail"))),
        _ => false,
    }
}

/// The field with the words around it: its form (when small) and the
/// ancestors named as a sign-up box ([`BOX_WORDS`]), up to the article's
/// landmarks (its element, its headline), its prose, or the first that
/// holds more text than a sign-up box says. (A page whose whole body is
/// one `<form>`, as ASP.NET's are, keeps it: only a small form is the
/// box.)
fn box_of<'a>(field: &NodeRef<'a>) -> NodeRef<'a> {
    let mut inner = field
        .ancestors_it(None)
        .find(|a| a.has_name("form"))
        .filter(|form| form.normalized_char_count() <= MAX_BOX_CHARS && !is_landmark(form))
        .unwrap_or(*field);
    while let Some(parent) = inner.parent() {
        // The attribute test first: the others walk the parent's subtree.
        let named = ["class", "id"].iter().any(|a| {
            parent
                .attr(a)
                .is_some_and(|v| super::tokens::has_word(&v, BOX_WORDS))
        });
        if !named
            || parent.normalized_char_count() > MAX_BOX_CHARS
            || is_landmark(&parent)
            || holds_prose(&parent, &inner)
        {
            break;
        }
        inner = parent;
    }
    inner
}

/// Whether `node` is the page or the article (its element, its body, a
/// box around its headline).
fn is_landmark(node: &NodeRef) -> bool {
    ["body", "html", "main", "article"]
        .iter()
        .any(|n| node.has_name(n))
        || node
            .attr("itemprop")
            .is_some_and(|v| v.contains("articleBody"))
        || node
            .descendants_it()
            .any(|d| d.has_name("h1") || d.has_name("article") || d.has_name("main"))
}

/// Whether `node` holds, outside `inner`, two paragraphs or one of a
/// sentence's length: an article's body, however it is named (a
/// `paywall` around a short one), not a sign-up box's pitch.
fn holds_prose(node: &NodeRef, inner: &NodeRef) -> bool {
    let mut paragraphs = node
        .descendants_it()
        .filter(|d| d.has_name("p") && !d.ancestors_it(None).any(|a| a.id == inner.id));
    let Some(first) = paragraphs.next() else {
        return false;
    };
    paragraphs.next().is_some() || first.normalized_char_count() >= super::PROSE_CHARS
}

#[cfg(test)]
mod tests {
    use crate::extract::extracted;

    const PARAGRAPHS: &str = "<p>The council voted on Tuesday to close the harbour road for \
        repairs, after engineers found cracks in its sea wall.</p><p>Work will start in March \
        and last eight weeks, the council said, at a cost of about $2m.</p><p>Shops along the \
        road will stay open, with access from the car park behind them.</p>";

    fn page(body: &str) -> String {
        format!(
            "<html><head><title>Harbour road to close</title></head><body><header><a \
             href=\"/\">Gazette</a></header><article><h1>Harbour road to close</h1>{body}\
             </article></body></html>"
        )
    }

    fn texts(html: &str) -> Vec<String> {
        extracted(html).blocks.into_iter().map(|b| b.text).collect()
    }

    const GATE: &str = "<div class=\"article-gating gated-overlay\"><div \
        class=\"article-gating-title\">Join for access to this content</div><div \
        class=\"article-gating-subtitle\">Plus special access to select articles, free of \
        charge.</div><div class=\"message error hide\"><span>Please enter a valid email \
        address.</span></div><form><input type=\"email\" name=\"gate-email\"><input \
        type=\"submit\" value=\"Continue\"></form></div>";

    #[test]
    fn a_registration_gate_over_the_body_is_no_text_of_it() {
        let plain = texts(&page(PARAGRAPHS));
        assert_eq!(plain.len(), 3, "{plain:?}");
        let gated = page(&format!(
            "<div class=\"paywall gated-article-body\">{GATE}{PARAGRAPHS}</div>"
        ));
        assert_eq!(texts(&gated), plain);
    }

    #[test]
    fn a_page_inside_one_form_keeps_its_text_and_loses_its_newsletter_box() {
        // ASP.NET wraps the whole page in one form; the box's own form tag
        // is dropped by the parser.
        let boxed = page(&format!(
            "{PARAGRAPHS}<div class=\"newsletter-box\"><p>Get the morning briefing in your \
             inbox.</p><form><input type=\"text\" name=\"newsletter_email\" \
             placeholder=\"Your email\"></form></div>"
        ))
        .replace("<body>", "<body><form id=\"aspnetForm\" method=\"post\">")
        .replace("</body>", "</form></body>");
        assert_eq!(texts(&boxed), texts(&page(PARAGRAPHS)));
    }

    #[test]
    fn an_authors_contact_form_goes_and_her_byline_stays() {
        let contact = page(&format!(
            "<div class=\"byline\">By <a href=\"/staff/jane-doe\">Jane Doe</a></div><div \
             class=\"author-contact\"><form><label>Your email</label><input type=\"email\" \
             name=\"from\"><textarea name=\"message\"></textarea></form></div>{PARAGRAPHS}"
        ));
        let doc = extracted(&contact);
        assert_eq!(doc.bylines, ["Jane Doe"]);
        let blocks: Vec<String> = doc.blocks.into_iter().map(|b| b.text).collect();
        assert_eq!(blocks, texts(&page(PARAGRAPHS)));
    }
}
