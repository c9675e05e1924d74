//! `stet ack TARGET FINDING…`: which findings the given fingerprint
//! prefixes name. Pure: the caller passes the fingerprints of the target's
//! last audit.

/// Fewest hex digits accepted as a fingerprint prefix.
pub const MIN_PREFIX: usize = 4;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    #[error("`{0}` is not a finding's fingerprint: give at least {MIN_PREFIX} hex digits as shown in the report")]
    NotAPrefix(String),
    #[error("no finding of the last audit has a fingerprint starting with `{0}`")]
    NoMatch(String),
    #[error("`{prefix}` is ambiguous: it matches {}", .candidates.join(", "))]
    Ambiguous {
        prefix: String,
        candidates: Vec<String>,
    },
}

/// Indices of the fingerprints the prefixes name, in fingerprint order,
/// each once (the same fingerprint listed twice is one finding). No prefix:
/// every fingerprint.
pub fn select<F: AsRef<str>, P: AsRef<str>>(
    fingerprints: &[F],
    prefixes: &[P],
) -> Result<Vec<usize>, SelectError> {
    let first_of = |i: usize| {
        let fp = fingerprints[i].as_ref();
        fingerprints.iter().position(|f| f.as_ref() == fp) == Some(i)
    };
    if prefixes.is_empty() {
        return Ok((0..fingerprints.len()).filter(|&i| first_of(i)).collect());
    }
    let mut chosen = Vec::new();
    for prefix in prefixes {
        let prefix = prefix.as_ref().trim().to_ascii_lowercase();
        if prefix.len() < MIN_PREFIX || !prefix.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(SelectError::NotAPrefix(prefix.escape_debug().to_string()));
        }
        let matches: Vec<usize> = (0..fingerprints.len())
            .filter(|&i| first_of(i) && fingerprints[i].as_ref().starts_with(&prefix))
            .collect();
        match matches.as_slice() {
            [] => return Err(SelectError::NoMatch(prefix)),
            [one] => chosen.push(*one),
            many => {
                return Err(SelectError::Ambiguous {
                    candidates: many
                        .iter()
                        .map(|&i| super::short_fingerprint(fingerprints[i].as_ref()).to_string())
                        .collect(),
                    prefix,
                })
            }
        }
    }
    chosen.sort_unstable();
    chosen.dedup();
    Ok(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FPS: [&str; 4] = ["abcd1111", "abcd2222", "ef001234", "abcd1111"];

    #[test]
    fn no_prefix_is_every_finding_once() {
        assert_eq!(select::<_, &str>(&FPS, &[]), Ok(vec![0, 1, 2]));
    }

    #[test]
    fn prefixes_name_findings() {
        assert_eq!(select(&FPS, &["EF00"]), Ok(vec![2]));
        assert_eq!(select(&FPS, &["abcd2", "ef00", "abcd22"]), Ok(vec![1, 2]));
        assert_eq!(
            select(&FPS, &["abcd1"]),
            Ok(vec![0]),
            "a repeated fingerprint is one finding"
        );
    }

    #[test]
    fn bad_prefixes_are_errors() {
        assert!(matches!(
            select(&FPS, &["abcd"]),
            Err(SelectError::Ambiguous { .. })
        ));
        assert_eq!(
            select(&FPS, &["0000"]),
            Err(SelectError::NoMatch("0000".into()))
        );
        assert!(matches!(
            select(&FPS, &["ab"]),
            Err(SelectError::NotAPrefix(_))
        ));
        assert!(matches!(
            select(&FPS, &["xyzw"]),
            Err(SelectError::NotAPrefix(_))
        ));
    }
}
