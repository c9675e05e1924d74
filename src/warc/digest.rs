//! WARC digests: `sha256:` and the base32 of the hash, as warcio writes
//! them; hex, base32 and base64 are all read.

use sha2::{Digest, Sha256};

/// `sha256:BASE32` of `bytes`.
pub fn sha256_label(bytes: &[u8]) -> String {
    label(&Sha256::digest(bytes))
}

/// `sha256:BASE32` of a finished hash.
pub fn label(hash: &[u8]) -> String {
    format!("sha256:{}", data_encoding::BASE32.encode(hash))
}

/// `sha256:BASE32` from a hex sha256 (the store's object names).
pub fn label_of_hex(hex: &str) -> Option<String> {
    let bytes = data_encoding::HEXLOWER_PERMISSIVE
        .decode(hex.as_bytes())
        .ok()?;
    Some(label(&bytes))
}

/// An incremental hash for checking a digest field of a record.
pub enum Checker {
    Sha1(sha1::Sha1),
    Sha256(Sha256),
}

/// A digest field: its algorithm's hasher and the expected hash bytes.
/// `None` when the algorithm is not one stet knows (it is then not checked).
pub fn parse(field: &str) -> Option<(Checker, Vec<u8>)> {
    let (algorithm, value) = field.trim().split_once(':')?;
    let (checker, len) = match algorithm.to_ascii_lowercase().as_str() {
        "sha1" => (Checker::Sha1(sha1::Sha1::new()), 20),
        "sha256" => (Checker::Sha256(Sha256::new()), 32),
        _ => return None,
    };
    let value = value.trim();
    let decoded = [
        &data_encoding::BASE32,
        &data_encoding::HEXLOWER_PERMISSIVE,
        &data_encoding::BASE64,
        &data_encoding::BASE64URL,
        &data_encoding::BASE32_NOPAD,
        &data_encoding::BASE64_NOPAD,
    ]
    .iter()
    .filter_map(|e| e.decode(value.as_bytes()).ok())
    .find(|bytes| bytes.len() == len)?;
    Some((checker, decoded))
}

impl Checker {
    pub fn update(&mut self, bytes: &[u8]) {
        match self {
            Checker::Sha1(h) => h.update(bytes),
            Checker::Sha256(h) => h.update(bytes),
        }
    }

    pub fn finish(self) -> Vec<u8> {
        match self {
            Checker::Sha1(h) => h.finalize().to_vec(),
            Checker::Sha256(h) => h.finalize().to_vec(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_base32_and_every_encoding_is_read() {
        let label = sha256_label(b"hello world");
        assert_eq!(
            label,
            "sha256:XFGSPOMTJU7ARJJOKLL5U7NL7LCIJ37DPJJYB3UQRD32ZYXPZXUQ===="
        );
        let hex = crate::digest::sha256_hex(b"hello world");
        assert_eq!(label_of_hex(&hex).as_deref(), Some(label.as_str()));
        for field in [label.clone(), format!("SHA256:{hex}")] {
            let (mut checker, want) = parse(&field).unwrap_or_else(|| panic!("{field}"));
            checker.update(b"hello world");
            assert_eq!(checker.finish(), want);
        }
        // warcio's own example: sha1 in base32.
        let (mut checker, want) =
            parse("sha1:FKXGYNOJJ7H3IFO35FPUBC445EPOQRXN").unwrap_or_else(|| panic!("sha1"));
        checker.update(b"hello world");
        assert_eq!(checker.finish(), want);
        assert!(parse("md5:abc").is_none());
    }
}

/// sha256 over several pieces, labelled at the end.
#[derive(Default)]
pub struct Sha256Stream(Sha256);

impl Sha256Stream {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    pub fn label(self) -> String {
        label(&self.0.finalize())
    }
}
