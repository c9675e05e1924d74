//! `stet.toml` cut into its `[[target]]` sections, so that a file of
//! 100,000 targets is parsed one target at a time: a TOML document parsed
//! whole is held as a table of tables, about 1.7 KB a target before a
//! single target is read.
//!
//! The cut follows TOML's own tokens (`toml_parser`'s lexer), so brackets
//! inside strings, multi-line strings and array values are never taken for
//! headers. A section runs from a `[[target]]` header to the next header
//! that is not one of that target's own tables (`[target.headers]`).

use std::ops::Range;

use toml_parser::lexer::{Token, TokenKind};
use toml_parser::Source;

/// The file without its `[[target]]` sections (each replaced by as many
/// newlines, so that lines keep their numbers), and the byte ranges of the
/// sections in the file, in order.
pub struct Sections {
    pub head: String,
    pub targets: Vec<Range<usize>>,
}

/// Cut `text` into its head and its `[[target]]` sections.
pub fn split(text: &str) -> Sections {
    let source = Source::new(text);
    let mut tokens = source.lex().peekable();
    let mut targets: Vec<Range<usize>> = Vec::new();
    // The section being read: where it starts.
    let mut open: Option<usize> = None;
    // Brackets and braces of values still open (an array over lines).
    let mut depth = 0usize;
    let mut line_start = true;
    while let Some(token) = tokens.next() {
        match token.kind() {
            TokenKind::Newline => line_start = true,
            TokenKind::Whitespace | TokenKind::Comment => {}
            TokenKind::LeftSquareBracket if line_start && depth == 0 => {
                let start = token.span().start();
                let header = read_header(text, &mut tokens);
                line_start = false;
                match header {
                    Header::Target => {
                        if let Some(from) = open.replace(start) {
                            targets.push(from..start);
                        }
                    }
                    // One of the open target's own tables.
                    Header::TargetTable => {}
                    Header::Other => {
                        if let Some(from) = open.take() {
                            targets.push(from..start);
                        }
                    }
                }
            }
            TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => {
                depth += 1;
                line_start = false;
            }
            TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => {
                depth = depth.saturating_sub(1);
                line_start = false;
            }
            _ => line_start = false,
        }
    }
    if let Some(from) = open {
        targets.push(from..text.len());
    }
    let mut head = String::with_capacity(text.len().min(1 << 16));
    let mut at = 0;
    for range in &targets {
        head.push_str(&text[at..range.start]);
        let lines = text[range.clone()].bytes().filter(|&b| b == b'\n').count();
        head.extend(std::iter::repeat_n('\n', lines));
        at = range.end;
    }
    head.push_str(&text[at..]);
    Sections { head, targets }
}

/// What a table header names.
enum Header {
    /// `[[target]]`: a new target.
    Target,
    /// `[target.…]` or `[[target.…]]`: a table of the target above.
    TargetTable,
    Other,
}

/// Read a header whose first `[` was just read, up to its last `]`.
fn read_header(
    text: &str,
    tokens: &mut std::iter::Peekable<impl Iterator<Item = Token>>,
) -> Header {
    let array = tokens
        .next_if(|t| t.kind() == TokenKind::LeftSquareBracket)
        .is_some();
    let mut keys: Vec<&str> = Vec::new();
    for token in tokens.by_ref() {
        let span = token.span();
        let raw = text.get(span.start()..span.end()).unwrap_or_default();
        match token.kind() {
            TokenKind::RightSquareBracket => break,
            TokenKind::Newline => break,
            TokenKind::Atom => keys.push(raw),
            TokenKind::BasicString | TokenKind::LiteralString => {
                keys.push(raw.get(1..raw.len().saturating_sub(1)).unwrap_or_default());
            }
            _ => {}
        }
    }
    if array {
        tokens.next_if(|t| t.kind() == TokenKind::RightSquareBracket);
    }
    match keys.as_slice() {
        ["target"] if array => Header::Target,
        ["target", _, ..] => Header::TargetTable,
        _ => Header::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(text: &str) -> (String, Vec<&str>) {
        let s = split(text);
        let targets = s.targets.iter().map(|r| &text[r.clone()]).collect();
        (s.head, targets)
    }

    #[test]
    fn sections_run_from_one_target_header_to_the_next_other_header() {
        let text = "\
[defaults]
timeout = 5

[[target]]
url = \"https://a.example/\"
ignore = [
  \".ad\",
  [\"x\"],
]
[target.headers]
x = \"[[target]]\"

[[ target ]]  # second
url = \"https://b.example/\"
note = '''
[[target]]
'''
[links]
timeout = 3
[[\"target\"]]
url = \"https://c.example/\"
";
        let (head, targets) = cut(text);
        assert_eq!(
            targets,
            [
                "[[target]]\nurl = \"https://a.example/\"\nignore = [\n  \".ad\",\n  [\"x\"],\n]\n[target.headers]\nx = \"[[target]]\"\n\n",
                "[[ target ]]  # second\nurl = \"https://b.example/\"\nnote = '''\n[[target]]\n'''\n",
                "[[\"target\"]]\nurl = \"https://c.example/\"\n",
            ]
        );
        assert_eq!(
            head,
            "[defaults]\ntimeout = 5\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n[links]\ntimeout = 3\n\n\n"
        );
        assert_eq!(head.lines().count(), text.lines().count());
    }

    #[test]
    fn a_file_without_targets_is_all_head() {
        for text in [
            "",
            "[defaults]\nstore = \"s\"\n",
            "target = [{ url = \"x\" }]\n",
            "[[targets]]\n",
        ] {
            let (head, targets) = cut(text);
            assert_eq!((head.as_str(), targets.len()), (text, 0));
        }
    }
}
