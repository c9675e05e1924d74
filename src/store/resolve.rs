//! Version specs: which stored snapshot a user means.
//!
//! `ID` or a unique prefix of at least 6 hex digits; `TARGET@ref`,
//! `TARGET@latest`, `TARGET@N` (N-th snapshot, 1-based), `TARGET@-N` (N-th
//! from the end). Anything else is a source to fetch (a file or a URL),
//! which is the caller's business.

use std::fs;
use std::io::ErrorKind;

use super::{Store, StoreError};

/// The shortest id prefix accepted.
pub const MIN_PREFIX: usize = 6;

/// Which snapshot of a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selector {
    Ref,
    Latest,
    /// 1-based from the start.
    Index(usize),
    /// 1-based from the end (`-1` is the latest).
    FromEnd(usize),
}

impl Selector {
    fn parse(s: &str) -> Option<Selector> {
        match s {
            "ref" | "reference" => Some(Selector::Ref),
            "latest" | "head" => Some(Selector::Latest),
            _ => {
                if let Some(n) = s.strip_prefix('-') {
                    n.parse().ok().map(Selector::FromEnd)
                } else if s.bytes().all(|b| b.is_ascii_digit()) {
                    s.parse().ok().map(Selector::Index)
                } else {
                    None
                }
            }
        }
    }
}

/// A parsed version spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionSpec {
    /// A snapshot id or prefix (lower-cased hex).
    Id(String),
    /// A target (as written) and a selector.
    At { target: String, selector: Selector },
    /// Not a stored version: a file or a URL to fetch now.
    Source(String),
}

impl VersionSpec {
    pub fn parse(input: &str) -> VersionSpec {
        if input.len() >= MIN_PREFIX
            && input.len() <= 64
            && input.bytes().all(|b| b.is_ascii_hexdigit())
        {
            return VersionSpec::Id(input.to_ascii_lowercase());
        }
        if let Some((target, sel)) = input.rsplit_once('@') {
            if let Some(selector) = Selector::parse(sel) {
                if !target.is_empty() {
                    return VersionSpec::At {
                        target: target.to_string(),
                        selector,
                    };
                }
            }
        }
        VersionSpec::Source(input.to_string())
    }
}

impl Store {
    /// The full id of the one snapshot whose id starts with `prefix`.
    pub fn resolve_prefix(&self, prefix: &str) -> Result<String, StoreError> {
        let prefix = prefix.to_ascii_lowercase();
        if prefix.len() < MIN_PREFIX || !prefix.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(StoreError::UnknownSnapshot(prefix));
        }
        let dir = self.layout().manifests_dir().join(&prefix[..2]);
        let names = match self.file_names(&dir) {
            Some(names) => names?,
            None => {
                let entries = match fs::read_dir(&dir) {
                    Ok(e) => e,
                    Err(e) if e.kind() == ErrorKind::NotFound => {
                        return Err(StoreError::UnknownSnapshot(prefix))
                    }
                    Err(e) => return Err(StoreError::io(dir, e)),
                };
                let mut names = Vec::new();
                for entry in entries {
                    let entry = entry.map_err(|e| StoreError::io(&dir, e))?;
                    names.push(entry.file_name().to_string_lossy().into_owned());
                }
                names
            }
        };
        let mut found = Vec::new();
        for name in names {
            let Some(id) = name.strip_suffix(".json") else {
                continue;
            };
            if id.starts_with(&prefix) && crate::digest::is_sha256_hex(id) {
                found.push(id.to_string());
            }
        }
        found.sort();
        match found.len() {
            0 => Err(StoreError::UnknownSnapshot(prefix)),
            1 => Ok(found.remove(0)),
            _ => Err(StoreError::AmbiguousPrefix {
                prefix,
                candidates: found.iter().map(|id| id[..12].to_string()).collect(),
            }),
        }
    }

    /// The id `selector` names among the snapshots of `target` (normalised).
    pub fn resolve_at(&self, target: &str, selector: Selector) -> Result<String, StoreError> {
        let history = self.history(target)?;
        if history.is_empty() {
            return Err(StoreError::UnknownTarget(target.to_string()));
        }
        let count = history.len();
        let missing = |index: String| StoreError::NoSuchVersion {
            target: target.to_string(),
            index,
            count,
        };
        match selector {
            Selector::Ref => self
                .reference_in(target, &history)?
                .ok_or_else(|| StoreError::UnknownTarget(target.to_string())),
            Selector::Latest => history
                .last()
                .cloned()
                .ok_or_else(|| StoreError::UnknownTarget(target.to_string())),
            Selector::Index(n) => n
                .checked_sub(1)
                .and_then(|i| history.get(i))
                .cloned()
                .ok_or_else(|| missing(n.to_string())),
            Selector::FromEnd(n) => count
                .checked_sub(n)
                .filter(|_| n > 0)
                .and_then(|i| history.get(i))
                .cloned()
                .ok_or_else(|| missing(format!("-{n}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse() {
        assert_eq!(
            VersionSpec::parse("ABCDEF12"),
            VersionSpec::Id("abcdef12".into())
        );
        assert_eq!(
            VersionSpec::parse("abcde"),
            VersionSpec::Source("abcde".into())
        );
        assert_eq!(
            VersionSpec::parse("https://medium.com/@user/post@-2"),
            VersionSpec::At {
                target: "https://medium.com/@user/post".into(),
                selector: Selector::FromEnd(2)
            }
        );
        assert_eq!(
            VersionSpec::parse("https://medium.com/@user/post"),
            VersionSpec::Source("https://medium.com/@user/post".into())
        );
        assert_eq!(
            VersionSpec::parse("fixtures/a.html@ref"),
            VersionSpec::At {
                target: "fixtures/a.html".into(),
                selector: Selector::Ref
            }
        );
        assert_eq!(
            VersionSpec::parse("x@3"),
            VersionSpec::At {
                target: "x".into(),
                selector: Selector::Index(3)
            }
        );
        assert_eq!(
            VersionSpec::parse("@latest"),
            VersionSpec::Source("@latest".into())
        );
        assert_eq!(
            VersionSpec::parse("x@99999999999999999999999"),
            VersionSpec::Source("x@99999999999999999999999".into())
        );
    }
}
