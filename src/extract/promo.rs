//! Calls to action and rights lines: "Sign up for our newsletter", "Join
//! our forums", "© 2019 …". Publishers change them often and they are not
//! what the article says, so they are page furniture, not text to diff.
//!
//! The decision reads the block alone (its text and whether it links
//! somewhere), never where it stands: a paragraph added before or after it
//! cannot change its fate. Credit lines that name the reporters ("Reporting
//! by …; editing by …") are the article's own and stay text.

use std::sync::LazyLock;

use regex::Regex;

/// Longer blocks are article text whatever they say.
const MAX_CHARS: usize = 400;
/// Rights lines are short: a longer block that opens with a sign is a photo
/// credit run into the first paragraph ("© Provided by … Nintendo and
/// Apple shocked the world …").
const MAX_RIGHTS_CHARS: usize = 160;

/// Calls to action, at the start of a sentence: counted only in a block
/// that links somewhere.
static CALL_TO_ACTION: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:^|[.!?:]\s+)(?:sign up|subscribe (?:to|now|today|for)|follow (?:us|@)|join (?:our|us|the conversation)|click here|download (?:our|the) app|get (?:breaking news|the latest|access to)|have a (?:news )?tip\?|read more:|also (?:read|on)\b|see also\b|leggi anche|let our news|start your day with|if you enjoyed this)",
    )
    .ok()
});

/// Rights lines: a block that opens with one, link or not. "Copyright"
/// counts only before a year or a sign ("Copyright law …" is text).
static RIGHTS_LINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^[(\[]?\s*(?:©|\(c\)\s|copyright\s*(?:©|\(c\)|@|\d{4})|this document is subject to copyright|all rights reserved)",
    )
    .ok()
});

/// Labels that point the reader to another article, opening a block
/// ("Related: …", "[Related: …]", "MORE: …", "Lesen Sie auch: …"); the
/// rest of the block is the other article's headline, linked.
static POINTER_LINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^[\[(]?\s*(?:related(?: stories| articles?| coverage| content| reading| links?)?|more(?: on this(?: story)?)?|watch|listen|read next|read also|lesen sie (?:auch|mehr)|mehr zum thema|(?:à )?lire aussi|lee también|leer más|ver también|leia também|lees ook)\s*:",
    )
    .ok()
});

/// Whether a block is another article's headline behind a pointing label
/// (see [`POINTER_LINE`]): the label, then words mostly linked
/// (`linked_bytes`, counted only for a block with the label).
pub(crate) fn is_pointer(text: &str, linked_bytes: impl FnOnce() -> usize) -> bool {
    if text.len() > MAX_CHARS {
        return false;
    }
    let Some(label) = POINTER_LINE.as_ref().and_then(|r| r.find(text)) else {
        return false;
    };
    let rest = text[label.end()..].trim();
    !rest.is_empty() && linked_bytes() * 2 >= rest.len()
}

/// Labels a page sets between paragraphs, whole blocks on their own: an
/// ad slot's "Advertisement" (in the languages of the corpora), a reading
/// or listening time ("5 min read", "Listen to this article · 6 min"), a
/// comment count ("12 Comments", "Comments (12)"), the time since the
/// page was updated ("Updated 10 minutes ago", "3 hours ago", "vor 5
/// Minuten", "il y a 2 heures", "hace 3 horas"), which grows by itself.
/// Never a sentence of an article.
static LABEL_LINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(?:
            advertisement|advertising|sponsored(?:\ content)?|anzeige|werbung|publicidad|publicité
          | pubblicità|advertentie|reklama|reklame|mainos
          | (?:listen\ to\ (?:this|the)\ (?:article|story)\W*)?\d+\s*(?:min|mins|minutes?)(?:\s+(?:read|listen))?
          | listen\ to\ (?:this|the)\ (?:article|story)|skip\ (?:ad|advertisement)
          | \d+\s+(?:comments?|responses?|replies|reactions?)|(?:comments?|responses?|replies)\s*\(\d+\)
          | (?:(?:last\s+)?(?:updated|published|posted|modified|edited)(?:\s+on)?\s*:?\s*
              | aktualisiert\s*:?\s*|mis\s+à\s+jour\s*:?\s*|actualizado\s*:?\s*|atualizado\s*:?\s*
              | aggiornato\s*:?\s*|bijgewerkt\s*:?\s*)?
            (?: (?:\d+|an?|one|a\s+few)\s+(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago
              | \d+\s?[smhdw]\s+ago|just\s+now
              | vor\s+(?:\d+|einer|einem)\s+(?:sekunden?|minuten?|stunden?|tag(?:en)?|wochen?|monat(?:en)?|jahr(?:en)?)
              | il\s+y\s+a\s+(?:\d+|une?)\s+(?:secondes?|minutes?|heures?|jours?|semaines?|mois|ans?)
              | (?:hace|há)\s+(?:\d+|una?)\s+(?:segundos?|minutos?|horas?|días?|dias?|semanas?|mes(?:es)?|años?|anos?)
              | (?:\d+|un|una|un'|un’)\s*(?:secondi|secondo|minuti|minuto|ore|ora|giorni|giorno|settimane|mesi|mese|anni|anno)\s+fa
              | (?:\d+|een)\s+(?:seconden|minuten|minuut|uur|dagen|dag|weken|week|maanden|maand|jaar)\s+geleden )
        )\W*$",
    )
    .ok()
});

/// What a page's widgets say about the reader or the page, never what the
/// article says: an archive's age warning ("This article is more than 5
/// years old", which grows by itself), a paywall's meter ("You have read 3
/// of 5 free articles this month …"; not the wall itself, "You have read
/// all of your free articles", which says why the article is gone), a gift
/// counter ("You have 10 gift
/// articles to give each month"), a share button's words, an audio
/// player's duration ("7:42") and credit ("Audio generated by AI voice").
static WIDGET_LINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(?:
            this\s(?:article|story|piece|page|content)\sis\s(?:more\sthan|over|nearly|almost)\s
                (?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s(?:years?|months?|weeks?|days?)\sold\W*$
          | you(?:'ve|’ve|\shave)\s(?:read|viewed|used)\s\d+\s
                (?:(?:of|out\sof)\s\d+\s)?(?:free\s|complimentary\s)?(?:articles?|stories)
          | you\shave\s(?:\d+|no)\s(?:more\s)?gift\s(?:articles?|links?)
          | (?:gift|share)\s(?:this|the\sfull|full)\s(?:article|story)\W*$
          | \d{1,2}:\d{2}(?::\d{2})?\W*$
          | audio\s(?:generated|produced|narrated|created)\sby\s
        )",
    )
    .ok()
});

/// Whether a block is one of a widget's lines (see [`WIDGET_LINE`]).
pub(crate) fn is_widget_line(text: &str) -> bool {
    text.len() <= MAX_CHARS
        && WIDGET_LINE
            .as_ref()
            .is_some_and(|r| r.is_match(text.trim()))
}

/// Whether a block is a label alone (see [`LABEL_LINE`]).
pub(crate) fn is_label(text: &str) -> bool {
    text.len() <= 60 && LABEL_LINE.as_ref().is_some_and(|r| r.is_match(text.trim()))
}

/// Whether a block with `text` (linking somewhere when `has_link`) is a
/// call to action or a rights line.
pub(crate) fn is_promo(text: &str, has_link: bool) -> bool {
    let chars = text.chars().count();
    if chars > MAX_CHARS {
        return false;
    }
    let m = |re: &LazyLock<Option<Regex>>| re.as_ref().is_some_and(|r| r.is_match(text));
    (chars <= MAX_RIGHTS_CHARS && m(&RIGHTS_LINE)) || (has_link && m(&CALL_TO_ACTION))
}

/// A paragraph that is one link in capitals ("SALVADORAN MAN ARRESTED IN
/// …"): the headline of another article set between the paragraphs.
pub(crate) fn is_teaser(text: &str, linked_bytes: usize) -> bool {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let upper = text.chars().filter(|c| c.is_uppercase()).count();
    linked_bytes * 10 >= text.len() * 9
        && text.split_whitespace().count() >= 4
        && letters >= 12
        && upper * 10 >= letters * 9
}

/// A list item that is one link and nothing else, worded like a headline
/// ("Council approves new budget after marathon session"). When it links
/// to the page's own site (see [`site_of`]) it is an entry of a "most
/// read" or "related" rail, whose headlines rotate from one page view to
/// the next; a list of links elsewhere (sources, bug reports, references)
/// is the article's.
pub(crate) fn is_headline_link(text: &str, linked_bytes: usize) -> bool {
    linked_bytes > 0 && linked_bytes * 10 >= text.len() * 9 && text.split_whitespace().count() >= 2
}

/// The site of a URL: an http(s) URL's host without a leading `www.`;
/// for a local file, the files beside it (where its relative links go).
/// A protocol-relative link (`//host/path`) of a local file resolves to
/// `file://host/path`: its site is that host, as it is for the page served.
pub(crate) fn site_of(url: &str) -> Option<String> {
    let u = url::Url::parse(url).ok()?;
    let host = u.host_str().filter(|h| !h.is_empty());
    match (u.scheme(), host) {
        ("http" | "https" | "file", Some(host)) => Some(
            host.strip_prefix("www.")
                .unwrap_or(host)
                .to_ascii_lowercase(),
        ),
        ("file", None) => Some("file:".to_string()),
        _ => None,
    }
}

/// Whether `href` is a page of one of the `sites` (see [`site_of`]).
pub(crate) fn is_page_of(href: &str, sites: &[String]) -> bool {
    site_of(href).is_some_and(|h| sites.contains(&h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_headline_linking_to_the_site_is_a_rail_entry_and_a_link_elsewhere_is_not() {
        let site = vec![site_of("https://www.example.com/2026/story").unwrap_or_default()];
        let headline = "Council approves new budget after marathon session";
        assert!(is_headline_link(headline, headline.len()));
        assert!(!is_headline_link(headline, 10), "a sentence with a link");
        assert!(!is_headline_link("Politics", 8), "one word: a tag");
        assert!(is_page_of("https://example.com/n/1", &site));
        assert!(is_page_of("http://www.EXAMPLE.com/n/1?utm_source=x", &site));
        assert!(!is_page_of("https://bugzilla.example.org/1677080", &site));
        assert!(is_page_of("https://example.com/n/1#comments", &site));
        let local = vec![site_of("file:///srv/pages/a.html").unwrap_or_default()];
        assert!(
            is_page_of("file:///n/0", &local),
            "a relative link of a file"
        );
        assert!(!is_page_of("https://example.com/n/1", &local));
        assert!(
            !is_page_of("file://example.com/n/1", &local),
            "a protocol-relative link of a file is of its host"
        );
        assert!(is_page_of("file://example.com/n/1", &site));
    }

    #[test]
    fn labels_alone_are_furniture_and_in_a_sentence_are_not() {
        for label in [
            "Advertisement",
            "ADVERTISEMENT",
            "Anzeige",
            "Publicité",
            "Sponsored content",
            "5 min read",
            "12 minutes read",
            "Listen to this article · 6 min",
            "Listen to the story",
            "12 Comments",
            "Comments (3)",
            "Updated 10 minutes ago",
            "Last updated: 3 hours ago",
            "Published 1 hour ago",
            "2 days ago",
            "5h ago",
            "an hour ago",
            "a few seconds ago",
            "Updated just now",
            "vor 5 Minuten",
            "Aktualisiert vor einer Stunde",
            "il y a 3 heures",
            "hace 2 horas",
            "há 4 dias",
            "3 ore fa",
            "5 minuten geleden",
        ] {
            assert!(is_label(label), "{label}");
        }
        for text in [
            "Advertisement revenue fell by 12 per cent.",
            "The meeting lasted 5 min.",
            "5 minutes later, the police arrived.",
            "Sponsored by the city council, the fair opened on Friday.",
            "12 comments were removed by the moderators.",
            "The first shots were fired 10 minutes ago, witnesses said.",
            "Two days ago the mayor resigned.",
            "He arrived 3 hours ago",
        ] {
            assert!(!is_label(text), "{text}");
        }
    }

    #[test]
    fn patterns_compile() {
        assert!(LABEL_LINE.is_some());
        assert!(POINTER_LINE.is_some());
        assert!(CALL_TO_ACTION.is_some());
        assert!(RIGHTS_LINE.is_some());
    }

    #[test]
    fn calls_to_action_with_a_link() {
        let cta = "Join our Space Forums to keep talking space on the latest missions!";
        assert!(is_promo(cta, true));
        assert!(!is_promo(cta, false), "no link: could be article text");
        assert!(is_promo(
            "Get breaking news alerts and special reports.",
            true
        ));
    }

    #[test]
    fn pointers_to_other_articles_when_linked() {
        for (text, linked) in [
            ("Related: The 15 Weirdest Galaxies in Our Universe", 40),
            (
                "[Related: Salesforce Dreamforce Keynote: AI, Integration]",
                44,
            ),
            (
                "MORE: Senate passes the budget after a marathon session",
                47,
            ),
            ("Lesen Sie auch: Der Bundestag stimmt ab", 23),
        ] {
            assert!(is_pointer(text, || linked), "{text}");
        }
        for (text, linked) in [
            ("Related: The 15 Weirdest Galaxies in Our Universe", 0),
            (
                "Watch: the minister said the talks would resume in May, and a spokesman later confirmed it.",
                8,
            ),
            ("Related:", 0),
            ("Relatedly: the court ruled on Friday", 10),
            ("The related case: Smith v. Jones", 14),
        ] {
            assert!(!is_pointer(text, || linked), "{text}");
        }
    }

    #[test]
    fn a_pointer_paragraph_is_no_text_and_its_link_the_articles() {
        let para = "The council met on Tuesday to discuss the harbour plan, which has divided \
                    residents for years and drawn objections from fishermen and shop owners.";
        let page = |pointer: &str| {
            let paras: Vec<String> = (0..6)
                .map(|i| format!("<p>{para} Point {i}.</p>"))
                .collect();
            format!(
                "<html><head><title>Harbour</title></head><body><nav><a href=\"/\">Home</a></nav>\
                 <article><h1>Harbour</h1>{}{pointer}{}</article></body></html>",
                paras[..2].concat(),
                paras[2..].concat()
            )
        };
        let plain = crate::extract::extracted(&page(""));
        let pointed = crate::extract::extracted(&page(
            "<p><strong>Related:</strong> <a href=\"/news/harbour-vote\">Harbour vote delayed again</a></p>",
        ));
        assert_eq!(pointed.text(), plain.text());
        let hrefs: Vec<&str> = pointed.links.iter().map(|l| l.href.as_str()).collect();
        assert_eq!(hrefs, ["https://x.example/news/harbour-vote"]);
    }

    #[test]
    fn rights_lines_but_not_credits() {
        assert!(is_promo("© 2019 Capitol Hill Publishing Corp.", false));
        assert!(is_promo(
            "Copyright 2019 Hawaii News Now. All rights reserved.",
            false
        ));
        assert!(!is_promo(
            "(Reporting by Greg Roumeliotis; Editing by Megan Davies)",
            false
        ));
        assert!(!is_promo(
            "Copyright law protects the expression of an idea.",
            false
        ));
        assert!(!is_promo(
            "The reporting by the newspaper was later confirmed.",
            false
        ));
    }

    #[test]
    fn a_photo_credit_run_into_a_paragraph_is_text() {
        assert!(!is_promo(
            "© Provided by Business Insider Inc Nintendo/Apple Nintendo and Apple shocked the world \
             earlier this year by announcing \"Super Mario Run,\" the legendary gaming company's \
             first foray into mobile gaming.",
            false
        ));
    }

    #[test]
    fn long_blocks_are_text() {
        let long = format!("Subscribe {}", "word ".repeat(100));
        assert!(!is_promo(&long, true));
    }
}
