//! Common English words, for telling a capitalised word that starts a
//! sentence ("Security was tight", "Critics say") from a name ("Brown
//! said"): the word list is SCOWL's common words less every word it also
//! lists as a name (`common_words.txt`, with its notices).

use std::collections::HashSet;
use std::sync::LazyLock;

/// Longest word on the list: a longer word is not on it.
const LONGEST: usize = 32;

static WORDS: LazyLock<HashSet<&'static str, super::FxBuild>> = LazyLock::new(|| {
    include_str!("common_words.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty() && l.len() <= LONGEST)
        .collect()
});

/// True when `word`, in lower case, is a common English word that is not
/// also a name (ASCII letters only; anything else is not on the list).
pub(crate) fn is_common(word: &[u8]) -> bool {
    let mut buf = [0u8; LONGEST];
    let Some(lower) = buf.get_mut(..word.len()) else {
        return false;
    };
    lower.copy_from_slice(word);
    lower.make_ascii_lowercase();
    std::str::from_utf8(lower).is_ok_and(|l| WORDS.contains(l))
}

#[cfg(test)]
mod tests {
    use super::is_common;

    #[test]
    fn common_words_are_listed_and_names_are_not() {
        for w in [
            "Security",
            "critics",
            "Meanwhile",
            "OPPONENTS",
            "the",
            "analysts",
        ] {
            assert!(is_common(w.as_bytes()), "{w}");
        }
        // Names that are also words, names, and what is no word.
        for w in [
            "Brown", "Bush", "May", "Will", "China", "Monday", "Xqzt", "", "café",
        ] {
            assert!(!is_common(w.as_bytes()), "{w}");
        }
    }
}
