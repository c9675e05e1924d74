//! Calls to action and credit lines at the edges of an article: "Sign up
//! for our newsletter", "Join our forums", "Reporting by …; editing by …",
//! "© 2019 …". Publishers change them often and they are not what the
//! article says, so they are page furniture, not text to diff.

use std::sync::LazyLock;

use regex::Regex;

/// Blocks at the start and at the end of the text that are looked at.
const HEAD: usize = 2;
const TAIL: usize = 4;
/// Longer blocks are article text whatever they say.
const MAX_CHARS: usize = 400;

/// Calls to action, at the start of a sentence: counted only in a block
/// that links somewhere.
static CALL_TO_ACTION: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:^|[.!?:]\s+)(?:sign up|subscribe (?:to|now|today|for)|follow (?:us|@)|join (?:our|us|the conversation)|click here|download (?:our|the) app|get (?:breaking news|the latest|access to)|have a (?:news )?tip\?|read more:|also (?:read|on)\b|see also\b|leggi anche|let our news|start your day with|if you enjoyed this)",
    )
    .ok()
});

/// Credit and rights lines: a block of these alone, link or not.
static CREDIT_LINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^[(\[]?\s*(?:(?:additional )?reporting by|writing by|editing by|compiled by|©|\(c\)\s|copyright\b|this document is subject to copyright|all rights reserved)",
    )
    .ok()
});

/// Whether the block at `index` of `count` text blocks, with `text` and
/// `has_link`, is a call to action or a credit line at an edge.
pub(crate) fn is_promo(index: usize, count: usize, text: &str, has_link: bool) -> bool {
    let at_edge = index < HEAD || index + TAIL >= count;
    if !at_edge || text.chars().count() > MAX_CHARS {
        return false;
    }
    let m = |re: &LazyLock<Option<Regex>>| re.as_ref().is_some_and(|r| r.is_match(text));
    // A credit line opens a block only at the end: at the start, a photo
    // credit ("© Provided by …") may run into the first paragraph.
    let at_tail = index + TAIL >= count;
    (at_tail && m(&CREDIT_LINE)) || (has_link && m(&CALL_TO_ACTION))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_compile() {
        assert!(CALL_TO_ACTION.is_some());
        assert!(CREDIT_LINE.is_some());
    }

    #[test]
    fn calls_to_action_at_the_edges_with_a_link() {
        let cta = "Join our Space Forums to keep talking space on the latest missions!";
        assert!(is_promo(9, 10, cta, true));
        assert!(
            !is_promo(9, 10, cta, false),
            "no link: could be article text"
        );
        assert!(!is_promo(5, 12, cta, true), "mid-article");
        assert!(is_promo(
            0,
            12,
            "Get breaking news alerts and special reports.",
            true
        ));
    }

    #[test]
    fn credit_lines() {
        assert!(is_promo(
            18,
            19,
            "(Reporting by Greg Roumeliotis; Editing by Megan Davies)",
            false
        ));
        assert!(is_promo(
            5,
            6,
            "© 2019 Capitol Hill Publishing Corp.",
            false
        ));
        assert!(
            !is_promo(
                0,
                9,
                "© Provided by Business Insider Nintendo and Apple shocked the world",
                false
            ),
            "a credit at the start may hold the first paragraph"
        );
        assert!(!is_promo(
            5,
            6,
            "The reporting by the newspaper was later confirmed.",
            false
        ));
    }

    #[test]
    fn long_blocks_are_text() {
        let long = format!("Subscribe {}", "word ".repeat(100));
        assert!(!is_promo(0, 1, &long, true));
    }
}
