//! Where a store is: a local directory (the default) or a bucket and
//! prefix of S3-compatible storage (`s3://bucket/prefix`).

use std::fmt;
use std::path::{Path, PathBuf};

/// A store's location, as given by `--store`, `STET_STORE` or `stet.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Local(PathBuf),
    S3 { bucket: String, prefix: String },
}

/// Why a `--store` value names no store stet can use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LocationError {
    #[error("--store {0}: unsupported store URL scheme `{1}://`; give a directory or s3://BUCKET/PREFIX")]
    Scheme(String, String),
    #[error("--store {0}: not a valid s3://BUCKET/PREFIX (bucket names are 3 to 63 lower-case letters, digits, dots and hyphens)")]
    Bucket(String),
    #[error("--store {0}: a prefix is segments of letters, digits and - _ . ! * ' ( ) (S3's safe key characters), none empty, `.` or `..`")]
    Prefix(String),
    #[error("--store {0}: did you mean s3://{1}? (an S3 store is s3://BUCKET/PREFIX)")]
    AlmostS3(String, String),
    #[error("--store {0}: this stet was built without S3 support (cargo feature `s3`)")]
    NoS3(String),
    #[error("--store {0}: not valid UTF-8")]
    NotUtf8(String),
}

impl Location {
    /// Parse a `--store` value. Anything of the form `scheme://…` is a URL
    /// (never a directory named `scheme:`); `file://` is a local path.
    pub fn parse(value: &Path) -> Result<Location, LocationError> {
        let shown = value.display().to_string();
        let Some(text) = value.to_str() else {
            // Not UTF-8, so no URL: a local directory.
            if value
                .as_os_str()
                .as_encoded_bytes()
                .windows(3)
                .any(|w| w == b"://")
            {
                return Err(LocationError::NotUtf8(shown));
            }
            return Ok(Location::Local(value.to_path_buf()));
        };
        let Some((scheme, rest)) = text.split_once("://") else {
            // `s3:/bucket`, `s3:bucket`: a slip, not a directory named `s3:`.
            if let Some((scheme, rest)) = text.split_once(':') {
                if scheme.eq_ignore_ascii_case("s3") {
                    let rest = rest.trim_start_matches('/').to_string();
                    return Err(LocationError::AlmostS3(shown, rest));
                }
            }
            return Ok(Location::Local(value.to_path_buf()));
        };
        let is_scheme = scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if !is_scheme {
            return Ok(Location::Local(value.to_path_buf()));
        }
        match scheme.to_ascii_lowercase().as_str() {
            "file" => Ok(Location::Local(PathBuf::from(rest))),
            "s3" if !cfg!(feature = "s3") => Err(LocationError::NoS3(shown)),
            "s3" => {
                let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
                let bucket_ok = (3..=63).contains(&bucket.len())
                    && bucket.bytes().all(|b| {
                        b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-'
                    })
                    && bucket
                        .bytes()
                        .next()
                        .is_some_and(|b| b.is_ascii_alphanumeric());
                if !bucket_ok {
                    return Err(LocationError::Bucket(shown));
                }
                let prefix = prefix.trim_matches('/');
                // Other characters are percent-encoded in keys, and listings
                // would then miss the store's own files.
                let safe = |b: u8| b.is_ascii_alphanumeric() || b"-_.!*'()".contains(&b);
                if !prefix.is_empty()
                    && prefix
                        .split('/')
                        .any(|s| s.is_empty() || s == "." || s == ".." || !s.bytes().all(safe))
                {
                    return Err(LocationError::Prefix(shown));
                }
                Ok(Location::S3 {
                    bucket: bucket.to_string(),
                    prefix: prefix.to_string(),
                })
            }
            other => Err(LocationError::Scheme(shown, other.to_string())),
        }
    }

    /// The local directory, if the store is one.
    pub fn local(&self) -> Option<&Path> {
        match self {
            Location::Local(p) => Some(p),
            Location::S3 { .. } => None,
        }
    }
}

/// `s3://bucket/prefix` (no trailing slash).
pub fn s3_url(bucket: &str, prefix: &str) -> String {
    if prefix.is_empty() {
        format!("s3://{bucket}")
    } else {
        format!("s3://{bucket}/{prefix}")
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Local(p) => write!(f, "{}", p.display()),
            Location::S3 { bucket, prefix } => f.write_str(&s3_url(bucket, prefix)),
        }
    }
}

impl From<PathBuf> for Location {
    fn from(p: PathBuf) -> Self {
        Location::Local(p)
    }
}

impl From<&Path> for Location {
    fn from(p: &Path) -> Self {
        Location::Local(p.to_path_buf())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Location, LocationError> {
        Location::parse(Path::new(s))
    }

    #[test]
    fn urls_are_never_directories() {
        assert_eq!(parse("snapshots"), Ok(Location::Local("snapshots".into())));
        assert_eq!(parse("./a:b/c"), Ok(Location::Local("./a:b/c".into())));
        assert_eq!(parse("file:///tmp/s"), Ok(Location::Local("/tmp/s".into())));
        assert!(matches!(parse("gs://b/p"), Err(LocationError::Scheme(_, s)) if s == "gs"));
        assert!(matches!(parse("S3x://b/p"), Err(LocationError::Scheme(..))));
        assert!(matches!(parse("s3://B/p"), Err(LocationError::Bucket(_))));
        assert!(matches!(parse("s3:///p"), Err(LocationError::Bucket(_))));
        // Slips of `s3://` are errors, never a directory named `s3:`.
        assert_eq!(
            parse("s3:/stet/x").map_err(|e| e.to_string()),
            Err(
                "--store s3:/stet/x: did you mean s3://stet/x? (an S3 store is s3://BUCKET/PREFIX)"
                    .to_string()
            )
        );
        assert!(matches!(parse("S3:stet"), Err(LocationError::AlmostS3(..))));
        assert!(matches!(
            parse("s3://stet/a/../b"),
            Err(LocationError::Prefix(_))
        ));
        if cfg!(feature = "s3") {
            // Keys outside S3's safe characters are percent-encoded, which
            // listings would not find.
            for bad in [
                "s3://stet/é",
                "s3://stet/a~b",
                "s3://stet/a#b",
                "s3://stet/a%20b",
                "s3://stet/a b",
                "s3://stet/[x]",
            ] {
                assert!(matches!(parse(bad), Err(LocationError::Prefix(_))), "{bad}");
            }
            assert_eq!(
                parse("s3://stet/x-1/Archive_2026.(a)").map(|l| l.to_string()),
                Ok("s3://stet/x-1/Archive_2026.(a)".to_string())
            );
            assert_eq!(
                parse("s3://stet/archive/"),
                Ok(Location::S3 {
                    bucket: "stet".into(),
                    prefix: "archive".into()
                })
            );
            assert_eq!(
                parse("s3://stet").map(|l| l.to_string()),
                Ok("s3://stet".to_string())
            );
        } else {
            assert!(matches!(parse("s3://stet/a"), Err(LocationError::NoS3(_))));
        }
    }
}
