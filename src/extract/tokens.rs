//! Lists of class tokens, matched against an element's `class` or `id`.
//!
//! A list holds whole tokens (`ad`, `share`) and prefixes written with a
//! trailing `-` (`ad-` matches `ad-slot` and `ad_unit`, not `adrian`); case
//! is ignored. Every element of a page is checked against these lists, so a
//! list is kept as two hash sets of lower-cased bytes with a bitmap of the
//! lengths in each: a token whose length (or whose `-`/`_` positions) no
//! entry has costs no lookup, any other one lookup per candidate, however
//! long the list.

use rustc_hash::FxHashSet as HashSet;

/// Tokens in a list are shorter than this (lengths are bits of a `u64`).
const MAX: usize = 64;

/// The longest suffix taken for a build's (a hash of 5 characters in
/// css-loader's and Next.js's default, `v2`, `b1d5`).
const MAX_SUFFIX: usize = 8;

/// Whether `suffix`, after the separator `sep`, looks generated, not
/// written: characters of a base64 or hex hash, at least one a digit or a
/// capital. After a `-`, a version or a number (`sidebar-v2`): one part
/// (`hidden-lg-v2` is not `hidden`) that does not end in a word of four
/// lower-case letters or more. After a `_`, CSS modules' separator, a
/// hash, which may hold `-` and `_` and end like a word
/// (`visually-hidden_xulrF`). A word such as `body` in `article__body` has
/// neither digit nor capital.
fn generated(suffix: &[u8], sep: u8) -> bool {
    let mut run = 0;
    let mut marked = false;
    for &b in suffix {
        let separator = matches!(b, b'-' | b'_');
        if !(b.is_ascii_alphanumeric() || separator) || separator && sep == b'-' {
            return false;
        }
        marked |= b.is_ascii_digit() || b.is_ascii_uppercase();
        run = if b.is_ascii_lowercase() { run + 1 } else { 0 };
    }
    marked && (sep == b'_' || run < 4)
}

/// Whether one of `words` (lower-case) is a word of a class list or id:
/// its tokens split at `-`, `_` and a lower-case letter before a capital
/// (`c-entry-summary`, `m-detail-header--dek`, `ContentHeaderDek-bIqFFZ`,
/// `dynamicMpu`). For words that name one thing wherever they stand in a
/// compound name; [`ClassTokens`] matches whole tokens.
pub(crate) fn has_word(value: &str, words: &[&str]) -> bool {
    // Bytes, not chars: the words are ASCII, and a part holding another
    // letter (a UTF-8 byte from 0x80) is none of them.
    let b = value.as_bytes();
    let is_word = |c: u8| c.is_ascii_alphanumeric() || c >= 0x80;
    let mut start = 0;
    for i in 0..=b.len() {
        let camel =
            i > 0 && i < b.len() && b[i].is_ascii_uppercase() && b[i - 1].is_ascii_lowercase();
        if i < b.len() && is_word(b[i]) && !camel {
            continue;
        }
        let part = &b[start..i];
        if !part.is_empty()
            && words
                .iter()
                .any(|w| w.len() == part.len() && w.as_bytes().eq_ignore_ascii_case(part))
        {
            return true;
        }
        start = if camel { i } else { i + 1 };
    }
    false
}

/// A list of class tokens and prefixes, ready for matching.
pub(crate) struct ClassTokens {
    whole: HashSet<&'static [u8]>,
    prefixes: HashSet<&'static [u8]>,
    /// Bit `n` set when the list has a whole token (a prefix) of `n` bytes:
    /// most tokens of a page are ruled out by their length alone.
    whole_lens: u64,
    prefix_lens: u64,
}

impl ClassTokens {
    /// `tokens` are lower-case; a trailing `-` makes a prefix.
    pub(crate) fn new(tokens: &[&'static str]) -> ClassTokens {
        let mut t = ClassTokens {
            whole: HashSet::default(),
            prefixes: HashSet::default(),
            whole_lens: 0,
            prefix_lens: 0,
        };
        for token in tokens {
            debug_assert!(token.len() < MAX && !token.bytes().any(|b| b.is_ascii_uppercase()));
            match token.strip_suffix('-') {
                Some(p) => {
                    t.prefixes.insert(p.as_bytes());
                    t.prefix_lens |= 1 << p.len();
                }
                None => {
                    t.whole.insert(token.as_bytes());
                    t.whole_lens |= 1 << token.len();
                }
            }
        }
        t
    }

    /// Whether a whitespace-separated token of `class` is in the list, or
    /// starts with one of its prefixes followed by `-` or `_`.
    pub(crate) fn matches(&self, class: &str) -> bool {
        class
            .split_ascii_whitespace()
            .any(|t| self.matches_decorated(t))
    }

    /// Whether `token` is a listed one that a build or a redesign
    /// decorated: a generated suffix (CSS modules' `visually-hidden_b1d5`,
    /// Next.js's `styles_sidebar__x7Yz1` with its file's name in front, a
    /// version's `sidebar-v2`) or a state or hook namespace (`is-hidden`,
    /// `js-sidebar`, `u-hidden`), or named as a BEM element of a block
    /// (`c-article__share`); or listed as it is. Renaming classes is not an
    /// edit.
    fn matches_decorated(&self, token: &str) -> bool {
        let bytes = token.as_bytes();
        for ns in ["is-", "js-", "u-"] {
            if bytes.len() > ns.len() && bytes[..ns.len()].eq_ignore_ascii_case(ns.as_bytes()) {
                let rest = &token[ns.len()..];
                return self.matches_token(token)
                    || self.matches_element(rest)
                    || self.matches_suffixed(rest);
            }
        }
        self.matches_element(token) || self.matches_suffixed(token)
    }

    /// The token, or its BEM element (`c-article__share`,
    /// `sdc-article-image__visually-hidden`: the block is where it is).
    fn matches_element(&self, token: &str) -> bool {
        self.matches_token(token)
            || token
                .rsplit_once("__")
                .is_some_and(|(_, element)| self.matches_token(element))
    }

    /// [`Self::matches_decorated`] for a generated suffix.
    fn matches_suffixed(&self, token: &str) -> bool {
        let bytes = token.as_bytes();
        // Each `-`/`_` followed by a generated suffix, shortest suffix first.
        for i in (1..bytes.len()).rev() {
            if bytes.len() - i - 1 > MAX_SUFFIX {
                break;
            }
            if !matches!(bytes[i], b'-' | b'_') || !generated(&bytes[i + 1..], bytes[i]) {
                continue;
            }
            let local = token[..i].trim_end_matches('_');
            if local.is_empty() {
                continue;
            }
            // `[name]_[local]`: the module's file name before the class,
            // after one `_` (two are BEM's element).
            let module_local = local
                .split_once('_')
                .map(|(_, l)| l)
                .filter(|l| !l.starts_with('_'));
            if self.matches_element(local) || module_local.is_some_and(|l| self.matches_element(l))
            {
                return true;
            }
        }
        false
    }

    fn matches_token(&self, token: &str) -> bool {
        let bytes = token.as_bytes();
        let len = bytes.len();
        let whole = len < MAX && self.whole_lens & (1 << len) != 0;
        // Prefix lengths followed by `-` or `_` in the token.
        let mut cuts = self.prefix_lens;
        if len < MAX {
            cuts &= (1 << len) - 1;
        }
        let mut left = cuts;
        while left != 0 {
            let i = left.trailing_zeros() as usize;
            left &= left - 1;
            if !matches!(bytes[i], b'-' | b'_') {
                cuts &= !(1 << i);
            }
        }
        if !whole && cuts == 0 {
            return false;
        }
        // Bytes to lower-case: the whole token, or up to the last cut.
        let n = if whole {
            len
        } else {
            (u64::BITS - cuts.leading_zeros()) as usize
        };
        let mut lower = [0u8; MAX];
        for (l, b) in lower.iter_mut().zip(&bytes[..n]) {
            *l = b.to_ascii_lowercase();
        }
        if whole && self.whole.contains(&lower[..len]) {
            return true;
        }
        let mut left = cuts;
        while left != 0 {
            let i = left.trailing_zeros() as usize;
            left &= left - 1;
            if self.prefixes.contains(&lower[..i]) {
                return true;
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rule as it was written before the sets: every token of the list
    /// compared with every token of the class.
    fn by_scan(class: &str, tokens: &[&str]) -> bool {
        class.split_ascii_whitespace().any(|tok| {
            tokens.iter().any(|b| match b.strip_suffix('-') {
                Some(prefix) => {
                    tok.get(..prefix.len())
                        .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
                        && tok[prefix.len()..].starts_with(['-', '_'])
                }
                None => tok.eq_ignore_ascii_case(b),
            })
        })
    }

    #[test]
    fn whole_tokens_and_prefixes_ignore_case() {
        let t = ClassTokens::new(&["ad", "ad-", "share", "jp-relatedposts", "print-"]);
        for (class, want) in [
            ("ad", true),
            ("AD", true),
            ("x ad y", true),
            ("ad-slot", true),
            ("Ad_Unit", true),
            ("adrian", false),
            ("ad-", true),
            ("-ad", false),
            ("shares", false),
            ("JP-RelatedPosts", true),
            ("jp-relatedposts-list", false),
            ("print-only", true),
            ("print", false),
            ("", false),
            ("   ", false),
        ] {
            assert_eq!(t.matches(class), want, "{class:?}");
        }
    }

    #[test]
    fn decorated_tokens_are_the_listed_ones() {
        let t = ClassTokens::new(&["visually-hidden", "hidden", "sidebar", "ad-"]);
        for (class, want) in [
            // CSS modules, css-loader and Vite: `[local]_[hash:base64:5]`.
            ("visually-hidden_b1d5", true),
            ("visually-hidden_Xk-9q", true),
            ("visually-hidden_xulrF", true),
            ("sidebar-abcd3", true),
            ("sidebar_a_B3c", true),
            // Next.js: `[file]_[local]__[hash]`.
            ("styles_sidebar__x7Yz1", true),
            ("Article_visually-hidden__Kq_2p", true),
            ("styles_ad_unit__Ab1cD", true),
            // A version, a number.
            ("sidebar-v2", true),
            ("sidebar-2", true),
            ("ad-slot_Zz9x1", true),
            // State and hook namespaces.
            ("is-hidden", true),
            ("JS-Sidebar", true),
            ("u-visually-hidden_b1d5", true),
            // Words are not hashes: BEM elements and modifiers, responsive
            // variants, other classes that end in a listed one.
            ("sidebar__body", false),
            ("sidebar-toggle", false),
            ("hidden-xs", false),
            ("article__sidebar", true),
            ("sdc-article-image__visually-hidden", true),
            ("c-article__sidebar-v2", true),
            ("has-sidebar", false),
            ("not-hidden", false),
            ("hidden_", false),
            ("_b1d5", false),
            ("sidebar-layout-2col", false),
            ("sidebar-image-v2", false),
            ("hidden-lg-v2", false),
            ("hidden-lg_Ab1cD", false),
            ("is-", false),
            ("is-article", false),
        ] {
            assert_eq!(t.matches(class), want, "{class:?}");
        }
    }

    #[test]
    fn agrees_with_a_scan_of_the_list() {
        let lists: [&[&'static str]; 3] = [
            super::super::content::BOILERPLATE_TOKENS,
            &["related", "related-", "relatedposts", "relatedlinks"],
            &["ad-", "x-y-"],
        ];
        let parts = [
            "ad", "AD", "ads", "related", "posts", "-", "_", "x", "y", "share", "é", "nav", "Menu",
            "print", "tags", "ad-slot", "a",
        ];
        // Every class of up to three parts joined by nothing, `-`, `_` or a
        // space, and tokens longer than the buffer.
        let mut classes = vec!["ad-".repeat(30), format!("{}-x", "a".repeat(70))];
        for a in parts {
            for b in parts {
                for sep in ["", "-", "_", " "] {
                    classes.push(format!("{a}{sep}{b}"));
                    for c in ["", "-x", " ad", "_related"] {
                        classes.push(format!("{a}{sep}{b}{c}"));
                    }
                }
            }
        }
        for list in lists {
            let t = ClassTokens::new(list);
            for class in &classes {
                let undecorated = class
                    .split_ascii_whitespace()
                    .any(|tok| t.matches_token(tok));
                assert_eq!(undecorated, by_scan(class, list), "{class:?} {list:?}");
            }
        }
    }
}
