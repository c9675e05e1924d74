//! Hashing and canonical JSON: the two things every stored byte goes through.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// Lower-case hex of a byte string.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0x0f)] as char);
    }
    out
}

/// sha256 of `bytes`, as 64 lower-case hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// An incremental sha256 for streamed data.
#[derive(Default, Clone)]
pub struct Hasher(Sha256);

impl Hasher {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// The digest as 64 lower-case hex digits.
    pub fn finish_hex(self) -> String {
        hex(&self.0.finalize())
    }
}

/// True when `s` looks like a full sha256 hex digest.
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Canonical JSON (RFC 8785: sorted keys, no insignificant whitespace) of a
/// value. Hashed records hold no floats, so their bytes are the same on every
/// machine.
pub fn canonical_json<T: Serialize>(value: &T) -> Result<Vec<u8>, serde_json::Error> {
    serde_json_canonicalizer::to_vec(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_inputs() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let mut h = Hasher::new();
        h.update(b"a");
        h.update(b"bc");
        assert_eq!(h.finish_hex(), sha256_hex(b"abc"));
    }

    #[test]
    fn canonical_json_sorts_keys_at_every_level() -> Result<(), Box<dyn std::error::Error>> {
        #[derive(Serialize)]
        struct Inner {
            z: u32,
            a: &'static str,
        }
        #[derive(Serialize)]
        struct Outer {
            y: Inner,
            b: Vec<u32>,
        }
        let bytes = canonical_json(&Outer {
            y: Inner {
                z: 1,
                a: "é\u{2028}",
            },
            b: vec![3, 1],
        })?;
        assert_eq!(
            String::from_utf8(bytes)?,
            "{\"b\":[3,1],\"y\":{\"a\":\"é\u{2028}\",\"z\":1}}"
        );
        Ok(())
    }

    #[test]
    fn recognises_digests() {
        assert!(is_sha256_hex(&sha256_hex(b"x")));
        assert!(!is_sha256_hex("ABC"));
        assert!(!is_sha256_hex(&"g".repeat(64)));
    }
}
