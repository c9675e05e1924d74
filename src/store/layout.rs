//! Where things live in the store. Every path is built here, from hashes
//! (hex only) and from target keys (a sanitised slug plus a hash), so no
//! input can name a path outside the store.
//!
//! ```text
//! STET-STORE                 marker and layout version
//! lock                       the writers' lock file
//! objects/ab/abcdef…         raw bodies and documents, named by sha256
//! objects/ab/abcdef….zst     the same, one zstd frame (named by the sha256 of the uncompressed bytes)
//! manifests/ab/abcdef….json  one canonical JSON manifest per snapshot
//! signatures/ab/abcdef….sig  SSH signature of the bytes whose sha256 names it
//! timestamps/ab/abcdef….tsr  RFC 3161 answer over that sha256 (DER)
//! targets/<key>/target       the target, as text
//! targets/<key>/history      snapshot ids, oldest first, one per line
//! targets/<key>/reference    the pinned reference snapshot id
//! targets/<key>/last-check   the last fetch that found nothing new (JSON)
//! targets/<key>/journal      audits, acknowledgements and pins, chained (see `journal`)
//! targets/<key>/journal-pending  runs that repeated the journal's last outcome, not yet in it (a hint)
//! ```

use std::path::{Path, PathBuf};

use crate::digest::{is_sha256_hex, sha256_hex};

pub const MARKER: &str = "STET-STORE";
pub const LAYOUT_VERSION: u32 = 1;
pub const OBJECTS: &str = "objects";
pub const MANIFESTS: &str = "manifests";
pub const TARGETS: &str = "targets";
pub const SIGNATURES: &str = "signatures";
pub const TIMESTAMPS: &str = "timestamps";
pub const LOCK: &str = "lock";
pub const TARGET_FILE: &str = "target";
pub const HISTORY_FILE: &str = "history";
pub const REFERENCE_FILE: &str = "reference";
pub const LAST_CHECK_FILE: &str = "last-check";
pub const JOURNAL_FILE: &str = "journal";
pub const JOURNAL_PENDING_FILE: &str = "journal-pending";

/// Longest readable part of a target key; the hash suffix makes keys unique.
const SLUG_MAX: usize = 80;

/// The directory name of a target: a readable slug of ASCII letters, digits,
/// `.`, `-` and `_` (never starting with a dot), then `-` and 16 hex digits
/// of the target's sha256.
pub fn target_key(target: &str) -> String {
    let body = target
        .strip_prefix("https://")
        .or_else(|| target.strip_prefix("http://"))
        .unwrap_or(target);
    let mut slug = String::with_capacity(SLUG_MAX);
    let mut last_sep = true;
    for c in body.chars() {
        if slug.len() >= SLUG_MAX {
            break;
        }
        if c.is_ascii_alphanumeric() || c == '-' {
            slug.push(c);
            last_sep = false;
        } else if c == '.' && !last_sep {
            slug.push('.');
            last_sep = true;
        } else if !last_sep {
            slug.push('_');
            last_sep = true;
        }
    }
    while slug.ends_with(['_', '.']) {
        slug.pop();
    }
    let hash = sha256_hex(target.as_bytes());
    if slug.is_empty() {
        format!("t-{}", &hash[..16])
    } else {
        format!("{slug}-{}", &hash[..16])
    }
}

/// True if `name` could have been made by [`target_key`].
pub fn is_target_key(name: &str) -> bool {
    let Some((slug, hash)) = name.rsplit_once('-') else {
        return false;
    };
    hash.len() == 16
        && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        && !slug.starts_with('.')
        && slug
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

#[derive(Debug, Clone)]
pub struct Layout {
    root: PathBuf,
}

impl Layout {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Layout { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn marker(&self) -> PathBuf {
        self.root.join(MARKER)
    }

    pub fn lock(&self) -> PathBuf {
        self.root.join(LOCK)
    }

    pub fn objects_dir(&self) -> PathBuf {
        self.root.join(OBJECTS)
    }

    pub fn manifests_dir(&self) -> PathBuf {
        self.root.join(MANIFESTS)
    }

    pub fn targets_dir(&self) -> PathBuf {
        self.root.join(TARGETS)
    }

    /// `objects/ab/<sha256>`. `sha256` must be a full hex digest.
    pub fn object(&self, sha256: &str) -> Option<PathBuf> {
        is_sha256_hex(sha256).then(|| self.objects_dir().join(&sha256[..2]).join(sha256))
    }

    /// `objects/ab/<sha256>.zst`: the object as a zstd frame (see `codec`).
    pub fn object_zst(&self, sha256: &str) -> Option<PathBuf> {
        is_sha256_hex(sha256).then(|| {
            self.objects_dir()
                .join(&sha256[..2])
                .join(format!("{sha256}{}", super::codec::SUFFIX))
        })
    }

    /// `manifests/ab/<id>.json`. `id` must be a full hex digest.
    pub fn manifest(&self, id: &str) -> Option<PathBuf> {
        is_sha256_hex(id).then(|| {
            self.manifests_dir()
                .join(&id[..2])
                .join(format!("{id}.json"))
        })
    }

    pub fn signatures_dir(&self) -> PathBuf {
        self.root.join(SIGNATURES)
    }

    pub fn timestamps_dir(&self) -> PathBuf {
        self.root.join(TIMESTAMPS)
    }

    /// `signatures/ab/<sha256>.sig`: the signature of the bytes hashing to
    /// `sha256` (a manifest's id names its signature).
    pub fn signature(&self, sha256: &str) -> Option<PathBuf> {
        is_sha256_hex(sha256).then(|| {
            self.signatures_dir()
                .join(&sha256[..2])
                .join(format!("{sha256}.sig"))
        })
    }

    /// `timestamps/ab/<sha256>.tsr`: an RFC 3161 answer over `sha256`.
    pub fn timestamp(&self, sha256: &str) -> Option<PathBuf> {
        is_sha256_hex(sha256).then(|| {
            self.timestamps_dir()
                .join(&sha256[..2])
                .join(format!("{sha256}.tsr"))
        })
    }

    pub fn target_dir(&self, target: &str) -> PathBuf {
        self.targets_dir().join(target_key(target))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_readable_and_unique() {
        let a = target_key("https://example.com/2011/04/27/soft-power-gone-hard/");
        assert!(
            a.starts_with("example.com_2011_04_27_soft-power-gone-hard-"),
            "{a}"
        );
        assert!(is_target_key(&a));
        assert_ne!(
            a,
            target_key("http://example.com/2011/04/27/soft-power-gone-hard/")
        );
        assert!(target_key("fixtures/article-v1.html").starts_with("fixtures_article-v1.html-"));
    }

    #[test]
    fn hostile_targets_stay_inside_one_directory() {
        let hostile = [
            "../../etc/passwd",
            "/etc/passwd",
            "https://example.com/%2e%2e/%2e%2e/etc/passwd",
            "https://example.com/../../x",
            "..",
            ".",
            "",
            "...",
            "https://xn--bcher-kva.example/ü/\u{202e}gnp.exe",
            "C:\\Windows\\system32",
            "a/\0/b",
        ];
        let long = format!("https://example.com/{}", "a/".repeat(5000));
        let layout = Layout::new("/store");
        for t in hostile.iter().copied().chain([long.as_str()]) {
            let key = target_key(t);
            assert!(is_target_key(&key), "{t:?} → {key:?}");
            assert!(key.len() <= SLUG_MAX + 17, "{key}");
            assert!(!key.contains('/') && !key.contains('\\') && !key.starts_with('.'));
            let dir = layout.target_dir(t);
            assert_eq!(dir.parent(), Some(Path::new("/store/targets")), "{t:?}");
        }
    }

    #[test]
    fn only_hex_names_map_to_objects() {
        let layout = Layout::new("/s");
        assert!(layout.object("../../etc/passwd").is_none());
        assert!(layout.manifest(&"A".repeat(64)).is_none());
        let id = sha256_hex(b"x");
        assert_eq!(
            layout.manifest(&id),
            Some(PathBuf::from(format!(
                "/s/manifests/{}/{id}.json",
                &id[..2]
            )))
        );
    }
}
