//! A finding's fingerprint: the sha256 of what it is (kind), where it is
//! (a stable location: a block kind, a field path, a URL, an image's src;
//! never an offset or an index that an unrelated insertion would shift) and
//! what it says (before and after). The same finding in the next audit has
//! the same fingerprint; a finding whose words change gets a new one.

use crate::digest::sha256_hex;
pub use crate::model::audit::{short_fingerprint, SHORT_FINGERPRINT};

/// Version of the fingerprint recipe, hashed in: a change of recipe makes
/// every fingerprint new rather than silently colliding with old ones.
const RECIPE: &str = "stet-finding/1";

/// The fingerprint of a finding, as 64 lower-case hex digits.
///
/// Each part is length-prefixed, so no two different inputs give the same
/// bytes (`("a", "bc")` and `("ab", "c")` differ); `None` and `Some("")`
/// differ too (an absent alt text is not an empty one).
pub fn fingerprint(
    kind: &str,
    location: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> String {
    let mut bytes = Vec::with_capacity(
        64 + kind.len() + location.len() + before.map_or(0, str::len) + after.map_or(0, str::len),
    );
    for part in [Some(RECIPE), Some(kind), Some(location), before, after] {
        match part {
            None => bytes.push(b'-'),
            Some(s) => {
                bytes.extend_from_slice(s.len().to_string().as_bytes());
                bytes.push(b':');
                bytes.extend_from_slice(s.as_bytes());
            }
        }
        bytes.push(b'\n');
    }
    sha256_hex(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_finding_same_fingerprint() {
        let a = fingerprint("edit", "paragraph", Some("2004"), Some("2005"));
        assert_eq!(
            a,
            fingerprint("edit", "paragraph", Some("2004"), Some("2005"))
        );
        assert_eq!(a.len(), 64);
        assert_eq!(short_fingerprint(&a).len(), SHORT_FINGERPRINT);
    }

    #[test]
    fn every_part_counts() {
        let base = fingerprint(
            "placeholder_alt",
            "https://e.org/a.jpg",
            None,
            Some("Responsive Image"),
        );
        let others = [
            fingerprint(
                "missing_caption",
                "https://e.org/a.jpg",
                None,
                Some("Responsive Image"),
            ),
            fingerprint(
                "placeholder_alt",
                "https://e.org/b.jpg",
                None,
                Some("Responsive Image"),
            ),
            fingerprint(
                "placeholder_alt",
                "https://e.org/a.jpg",
                Some(""),
                Some("Responsive Image"),
            ),
            fingerprint(
                "placeholder_alt",
                "https://e.org/a.jpg",
                None,
                Some("Responsive image"),
            ),
            fingerprint("placeholder_alt", "https://e.org/a.jpg", None, None),
        ];
        for other in others {
            assert_ne!(base, other);
        }
    }

    #[test]
    fn parts_do_not_run_into_each_other() {
        assert_ne!(
            fingerprint("edit", "ab", Some("c"), None),
            fingerprint("edit", "a", Some("bc"), None)
        );
        assert_ne!(
            fingerprint("edit", "a", Some("b\n"), Some("c")),
            fingerprint("edit", "a", Some("b"), Some("\nc"))
        );
        assert_ne!(
            fingerprint("edit", "a", None, Some("")),
            fingerprint("edit", "a", Some(""), None)
        );
    }
}
