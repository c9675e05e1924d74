//! The author's note at an article's end: the author's name set alone
//! ("Jane Roe") and a line or two about them ("Jane Roe is a staff writer
//! who covers …"), which author-box plugins print after the text (often
//! twice, for two screen sizes). They are about the writer, not what the
//! article says, so they are page furniture.
//!
//! The decision reads the block alone against the page's author names
//! (from its metadata and byline), never where the block stands: a
//! paragraph added before or after it cannot change its fate.

/// Longer blocks are article text whatever they say.
const MAX_CHARS: usize = 600;

/// Verbs that, after the author's name, open a note about the author.
const NOTE_VERBS: &[&str] = &["is", "was", "has", "covers", "writes"];

/// The words of the page's author names (metadata, JSON-LD, byline).
pub(crate) struct Authors {
    names: Vec<String>,
    words: Vec<String>,
}

impl Authors {
    pub(crate) fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Authors {
        let names: Vec<String> = names
            .into_iter()
            .map(|n| {
                apart_at_digits(n)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .filter(|n| !n.is_empty())
            .collect();
        let mut words: Vec<String> = names
            .iter()
            .flat_map(|n| n.split(|c: char| !c.is_alphanumeric()))
            .filter(|w| w.chars().count() >= 2)
            .map(str::to_lowercase)
            .collect();
        words.sort();
        words.dedup();
        Authors { names, words }
    }

    /// Whether the capitalised words `name` name one of the authors: every
    /// word after the first is one of the authors' words, and the first is
    /// one too or shares its first four letters with one ("Steph" for
    /// "Stephanie"). In capitals or not ("JOHN NICHOLS is …").
    fn names_author(&self, name: &[&str]) -> bool {
        let [first, rest @ ..] = name else {
            return false;
        };
        if rest.is_empty()
            || !rest.iter().all(|w| {
                let w = w.to_lowercase();
                self.words.contains(&w)
            })
        {
            return false;
        }
        let stem = |w: &str| w.chars().take(4).collect::<String>();
        let first = first.to_lowercase();
        let first = first.trim_end_matches("'s").trim_end_matches("’s");
        self.words.iter().any(|a| {
            a == first
                || (a.chars().count() >= 4 && first.chars().count() >= 4 && stem(a) == stem(first))
        })
    }

    /// Whether an image is an author's picture (a portrait, an agency's
    /// logo beside its byline): its `alt`, or its file's name, spells a
    /// whole author name of two words or more ("Brooke Singman",
    /// `Associated-Press-115x115.png`, `alt="PatrickAllan"`), case and
    /// punctuation aside.
    pub(crate) fn pictured(&self, alt: Option<&str>, src: &str) -> bool {
        let letters = |s: &str| -> String {
            s.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect()
        };
        let path = src.split(['?', '#']).next().unwrap_or(src);
        let file = letters(path.rsplit('/').next().unwrap_or(path));
        let alt = alt.map(letters);
        // Each name of a byline naming several ("Jane Roe and Associated
        // Press").
        self.names
            .iter()
            .flat_map(|n| n.split(" and ").flat_map(|n| n.split([',', '&'])))
            .filter(|n| n.split_whitespace().nth(1).is_some())
            .map(letters)
            .filter(|n| n.chars().count() >= 6)
            .any(|n| alt.as_deref() == Some(n.as_str()) || file.contains(&n))
    }

    /// Whether a block is the author's name alone, or a note about the
    /// author: their name (two to four capitalised words) followed by one
    /// of [`NOTE_VERBS`].
    pub(crate) fn is_note(&self, text: &str) -> bool {
        if self.names.is_empty() || text.chars().count() > MAX_CHARS {
            return false;
        }
        // The name alone: an author's name, or the start of a byline whose
        // rest is a date ("Jane Roe February 28, 2024").
        let lower = text.to_lowercase();
        if self.names.iter().any(|n| {
            n.to_lowercase().strip_prefix(&lower).is_some_and(|rest| {
                rest.is_empty() || rest.starts_with(' ') && rest.chars().any(|c| c.is_ascii_digit())
            })
        }) && text.split(' ').count() >= 2
        {
            return true;
        }
        let words: Vec<&str> = text.split(' ').take(5).collect();
        let Some(verb) = words.iter().position(|w| NOTE_VERBS.contains(w)) else {
            return false;
        };
        let name = &words[..verb];
        (2..=4).contains(&name.len())
            && name
                .iter()
                .all(|w| w.chars().next().is_some_and(char::is_uppercase))
            && self.names_author(name)
    }
}

/// `s` with a space where letters and digits meet: a byline read from the
/// page's text content runs a name into the date beside it when the markup
/// sets them in adjacent elements ("Lucas Nolan22 Dec 2016", re-indented
/// "Lucas Nolan 22 Dec 2016"); both read as the same name.
fn apart_at_digits(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    let mut prev: Option<char> = None;
    for c in s.chars() {
        if let Some(p) = prev {
            if p.is_alphabetic() && c.is_numeric() || p.is_numeric() && c.is_alphabetic() {
                out.push(' ');
            }
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::Authors;

    #[test]
    fn the_authors_name_and_note_are_furniture() {
        let a = Authors::new(["Stephanie Bazzle February 28, 2024"]);
        assert!(a.is_note("Stephanie Bazzle"));
        assert!(a.is_note("Steph Bazzle is a news writer who covers politics and theocracy."));
        let b = Authors::new(["John Nichols"]);
        assert!(b.is_note("John Nichols"));
        assert!(b.is_note("John Nichols is a national affairs correspondent for The Nation."));
        // In capitals.
        assert!(b.is_note("JOHN NICHOLS"));
        assert!(b.is_note("JOHN NICHOLS is a national affairs correspondent."));
        assert!(Authors::new(["JOHN NICHOLS"]).is_note("John Nichols is a correspondent."));
    }

    #[test]
    fn a_byline_run_into_its_date_names_the_same_author() {
        for byline in ["Lucas Nolan22 Dec 2016651", "Lucas Nolan 22 Dec 2016 651"] {
            let a = Authors::new([byline]);
            assert!(a.is_note("Lucas Nolan"), "{byline}");
            assert!(
                a.is_note("Lucas Nolan is a reporter for Breitbart Tech."),
                "{byline}"
            );
            assert!(!a.is_note("Lucas Smith is a reporter."), "{byline}");
        }
    }

    #[test]
    fn the_article_text_is_not() {
        let a = Authors::new(["John Nichols"]);
        // Someone else, or the author's name within a sentence.
        assert!(!a.is_note("Jane Nichols is a nurse at the county hospital."));
        assert!(!a.is_note("Mary Smith is a nurse."));
        assert!(!a.is_note("As John Nichols wrote last year, the vote was close."));
        assert!(!a.is_note("Nichols"));
        // The start of a name that is not a byline with a date.
        let la = Authors::new(["Los Angeles Times"]);
        assert!(!la.is_note("Los Angeles"));
        // No authors known: nothing is a note.
        assert!(!Authors::new([]).is_note("John Nichols"));
        let long = format!("John Nichols is {}", "a word ".repeat(100));
        assert!(!a.is_note(&long));
    }
}
