//! Targets: what stet watches. A normalised URL or a local file path.

use std::fmt;
use std::path::{Component, Path, PathBuf};

use url::Url;

/// The longest source text accepted as a target (URLs longer than this are
/// rejected rather than truncated, so two targets can never collide).
pub const MAX_TARGET_LEN: usize = 8192;

/// What a target string was not.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TargetError {
    #[error("empty source")]
    Empty,
    #[error("source is {0} bytes long; the limit is {MAX_TARGET_LEN}")]
    TooLong(usize),
    #[error("malformed URL `{input}`: {reason}")]
    BadUrl { input: String, reason: String },
    #[error("unsupported URL scheme `{0}:` (stet fetches http, https and file)")]
    UnsupportedScheme(String),
    #[error("`{0}` contains a control character")]
    ControlCharacter(String),
}

/// A normalised target: an http(s) URL (scheme and host lower-cased, default
/// port and fragment dropped, IDNA hosts in punycode) or a local file path
/// (lexically normalised, `./` and `a/..` removed, kept relative when given
/// relative so that a store travels with its repository).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    Url(Url),
    File(PathBuf),
}

impl Target {
    /// Parse a command-line source: `http(s)://…`, `file://…`, or a path.
    pub fn parse(input: &str) -> Result<Target, TargetError> {
        if input.is_empty() {
            return Err(TargetError::Empty);
        }
        if input.len() > MAX_TARGET_LEN {
            return Err(TargetError::TooLong(input.len()));
        }
        if input.chars().any(char::is_control) {
            return Err(TargetError::ControlCharacter(
                input.escape_debug().to_string(),
            ));
        }
        match scheme_of(input) {
            Some(scheme)
                if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") =>
            {
                let mut url = Url::parse(input).map_err(|e| TargetError::BadUrl {
                    input: input.to_string(),
                    reason: e.to_string(),
                })?;
                if url.host_str().is_none_or(str::is_empty) {
                    return Err(TargetError::BadUrl {
                        input: input.to_string(),
                        reason: "no host".to_string(),
                    });
                }
                url.set_fragment(None);
                Ok(Target::Url(url))
            }
            Some(scheme) if scheme.eq_ignore_ascii_case("file") => {
                let url = Url::parse(input).map_err(|e| TargetError::BadUrl {
                    input: input.to_string(),
                    reason: e.to_string(),
                })?;
                let path = url.to_file_path().map_err(|()| TargetError::BadUrl {
                    input: input.to_string(),
                    reason: "not a local file path".to_string(),
                })?;
                // `%0A` and the like decode to control characters here.
                let shown = path.to_string_lossy();
                if shown.chars().any(char::is_control) {
                    return Err(TargetError::ControlCharacter(
                        shown.escape_debug().to_string(),
                    ));
                }
                Ok(Target::File(normalize_path(&path)))
            }
            Some(scheme) => Err(TargetError::UnsupportedScheme(scheme.to_ascii_lowercase())),
            None => Ok(Target::File(normalize_path(Path::new(input)))),
        }
    }

    /// The URL a fetch of this target starts from (`file://` for files,
    /// made absolute against the current directory).
    pub fn url(&self) -> Option<Url> {
        match self {
            Target::Url(url) => Some(url.clone()),
            Target::File(path) => {
                let abs = if path.is_absolute() {
                    path.clone()
                } else {
                    std::env::current_dir().ok()?.join(path)
                };
                Url::from_file_path(abs).ok()
            }
        }
    }

    pub fn is_file(&self) -> bool {
        matches!(self, Target::File(_))
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Url(url) => f.write_str(url.as_str()),
            Target::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// The scheme of `input` if it starts like a URL (`letters:`), but not a
/// Windows drive letter.
fn scheme_of(input: &str) -> Option<&str> {
    let colon = input.find(':')?;
    let scheme = &input[..colon];
    let valid = scheme.len() > 1
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(scheme)
}

/// Lexical normalisation: drops `.` components and resolves `..` against
/// preceding normal components (never above the start of a relative path).
fn normalize_path(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    let mut depth = 0usize;
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if depth > 0 => {
                out.pop();
                depth -= 1;
            }
            Component::Normal(part) => {
                out.push(part);
                depth += 1;
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    // A relative path that starts like a URL (`be:/x`, from `./be://x`)
    // keeps a leading `./`, so that its written form parses back to it.
    if out.is_relative() && scheme_of(&out.to_string_lossy()).is_some() {
        out = Path::new(".").join(out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> String {
        match Target::parse(s) {
            Ok(t) => t.to_string(),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn urls_are_normalised() {
        assert_eq!(
            url("HTTP://Example.COM:80/a/b?x=1#frag"),
            "http://example.com/a/b?x=1"
        );
        assert_eq!(url("https://example.com:443"), "https://example.com/");
        assert_eq!(
            url("https://bücher.example/ü"),
            "https://xn--bcher-kva.example/%C3%BC"
        );
        assert_eq!(
            url("https://example.com/a/../b/./c"),
            "https://example.com/b/c"
        );
        assert_eq!(
            url("https://example.com:8080/"),
            "https://example.com:8080/"
        );
    }

    #[test]
    fn bad_sources_are_named() {
        assert_eq!(
            url("ftp://example.com/x"),
            "error: unsupported URL scheme `ftp:` (stet fetches http, https and file)"
        );
        assert_eq!(
            url("javascript:alert(1)"),
            "error: unsupported URL scheme `javascript:` (stet fetches http, https and file)"
        );
        assert!(url("http://").starts_with("error: malformed URL"));
        assert!(url("http://exa mple.com/").starts_with("error: malformed URL"));
        assert_eq!(url(""), "error: empty source");
        assert!(url("a\u{1b}[31mb").starts_with("error:"));
        assert!(url(&format!("https://e.com/{}", "a".repeat(MAX_TARGET_LEN))).contains("limit"));
    }

    #[test]
    fn paths_are_normalised_lexically() {
        assert_eq!(url("./fixtures/../fixtures/a.html"), "fixtures/a.html");
        assert_eq!(url("../x/./y.html"), "../x/y.html");
        assert_eq!(url("/tmp/a/../b.html"), "/tmp/b.html");
        assert_eq!(url("file:///tmp/a/../b.html"), "/tmp/b.html");
        assert_eq!(url("C:x"), "C:x");
    }
}
