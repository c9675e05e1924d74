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
    // Every document stet writes goes straight from `Serialize` to bytes
    // (`jcs`); the general canonicaliser stays for what that writer leaves
    // to it (floats, integers beyond 2^53, keys that are not ASCII).
    match crate::jcs::to_vec(value) {
        Ok(bytes) => Ok(bytes),
        Err(crate::jcs::Error::Unsupported(_)) => serde_json_canonicalizer::to_vec(value),
        Err(crate::jcs::Error::Custom(msg)) => Err(serde::ser::Error::custom(msg)),
    }
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

    fn json_value() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        use serde_json::Value;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            (0u64..(1 << 54)).prop_map(Value::from),
            (-1e30f64..1e30).prop_map(Value::from),
            "[a-zé\u{0}-\u{1f}\u{7f}\u{2028}\u{1f600}\u{e000}\\\"/ ]{0,8}".prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::btree_map("[a-zA-Z_\u{e000}\u{1f600}]{0,4}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, .. Default::default() })]
        /// The fast path gives the general canonicaliser's bytes.
        #[test]
        fn canonical_json_is_rfc_8785(v in json_value()) {
            let fast = canonical_json(&v);
            let general = serde_json_canonicalizer::to_vec(&v);
            proptest::prop_assert_eq!(fast.ok(), general.ok());
        }
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
