//! Errors of the tool itself (not findings) and the exit codes.

use crate::fetch::FetchError;
use crate::snapshot::SnapshotError;
use crate::store::StoreError;
use crate::target::TargetError;

/// Exit codes, decided in one place ([`crate::run`]) and documented in the README.
pub mod exit {
    /// Success: nothing to report (same / intact / clean).
    pub const OK: u8 = 0;
    /// Findings: versions differ, the store is damaged, the audit failed its policy.
    pub const FINDINGS: u8 = 1;
    /// stet could not do its job (bad input, unreachable source, unreadable store).
    pub const ERROR: u8 = 2;
}

/// Why stet could not do what it was asked.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error(transparent)]
    Target(#[from] TargetError),
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Config(#[from] crate::config::file::ConfigError),
    #[error("could not write output: {0}")]
    Output(#[source] std::io::Error),
    #[error("could not start the async runtime: {0}")]
    Runtime(#[source] std::io::Error),
    #[error(transparent)]
    Archive(#[from] crate::warc::WarcError),
}

impl From<SnapshotError> for Error {
    fn from(e: SnapshotError) -> Self {
        match e {
            SnapshotError::Store(e) => Error::Store(e),
            SnapshotError::Fetch(e) => Error::Fetch(e),
        }
    }
}

impl Error {
    /// What the user can do about it, when there is something to say.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            Error::Store(StoreError::Missing(_)) => {
                Some("take a first snapshot with `stet snapshot URL`, or point --store / STET_STORE at a store")
            }
            Error::Store(StoreError::LockTimeout { .. }) => {
                Some("another stet is writing to this store; wait for it or raise --lock-timeout")
            }
            Error::Store(StoreError::Corrupt { .. }) => Some("run `stet verify` to see what is damaged"),
            Error::Store(StoreError::AmbiguousPrefix { .. }) => Some("give more digits of the id"),
            Error::Store(StoreError::UnknownTarget(_)) => {
                Some("`stet log` lists nothing for it; check the URL (normalised: lower-case host, no fragment) or path")
            }
            _ => None,
        }
    }

    /// True for a closed stdout (`stet log | head`): not worth a message.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

/// A regex error on one line. The regex crate's syntax errors take several
/// lines (the pattern, a line of carets under the fault, `error: …`), which
/// would reach the terminal as escaped `\u{a}`s: keep the message, and the
/// text under the carets.
pub fn regex_message(e: &regex::Error) -> String {
    let text = e.to_string();
    let lines: Vec<&str> = text.lines().collect();
    let Some(message) = lines.iter().rev().find_map(|l| l.strip_prefix("error: ")) else {
        return lines
            .iter()
            .map(|l| l.trim())
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
    };
    let at = lines.windows(2).find_map(|w| {
        let (start, end) = (w[1].find('^')?, w[1].rfind('^')? + 1);
        w[1].trim_start().starts_with('^').then(|| {
            w[0].chars()
                .skip(start)
                .take(end - start)
                .collect::<String>()
        })
    });
    match at {
        Some(at) if !at.trim().is_empty() => format!("{message} (at `{at}`)"),
        _ => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::regex_message;

    #[test]
    fn regex_errors_are_one_line() {
        let cases = [
            ("[9-0] views", "invalid character class range"),
            ("(", "unclosed group"),
            ("a{5,2}", "invalid repetition"),
            ("\\p{Nope}", "Unicode property not found"),
        ];
        for (pattern, says) in cases {
            let Err(e) = regex::Regex::new(pattern) else {
                panic!("{pattern} compiled");
            };
            let m = regex_message(&e);
            assert!(!m.contains('\n'), "{m:?}");
            assert!(m.contains(says), "{pattern}: {m}");
        }
        // Through a variable: clippy checks literal patterns.
        let bad = String::from("[9-0]");
        let Err(e) = regex::Regex::new(&bad) else {
            panic!("compiled");
        };
        assert!(
            regex_message(&e).ends_with("(at `9-0`)"),
            "{}",
            regex_message(&e)
        );
        let Err(e) = regex::RegexBuilder::new("a{1000}{1000}")
            .size_limit(1000)
            .build()
        else {
            panic!("compiled");
        };
        assert!(!regex_message(&e).contains('\n'));
    }
}
