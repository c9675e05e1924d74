//! How objects are kept: raw, or compressed with zstd. Pure: bytes in,
//! bytes out; the store decides where they go.
//!
//! An object is always named by the sha256 of its **uncompressed** bytes,
//! so ids, manifests and signatures do not depend on the encoding. The
//! file name says the encoding, never the content: `objects/ab/<sha256>`
//! holds the raw bytes, `objects/ab/<sha256>.zst` a compressed object:
//!
//! ```text
//! one zstd frame (the object)  ·  a zstd skippable frame: magic 0x184D2A5A,
//!                                 length 32, the sha256 of the frame bytes
//! ```
//!
//! Both are standard zstd (`zstd -d` reads the file and skips the second
//! frame). The seal is there because zstd does not notice every damaged
//! byte: some bits of a frame (an unused header flag, slack in its entropy
//! tables) can flip and still decode to the same bytes, and `verify`
//! promises that any single flipped byte is found. A reader checks the
//! seal, decodes, then checks the name.
//!
//! The level is chosen by measurement (BENCHMARKS.md, "Object
//! compression"): on the corpora's article HTML, level 3 keeps pages at
//! under a fifth of their size at about 230 MB/s; the higher levels save
//! a few percent more for two to ten times the CPU.

use std::io::{self, Read};

use sha2::{Digest, Sha256};

/// Suffix of a compressed object's file name.
pub const SUFFIX: &str = ".zst";

/// zstd level for new objects.
pub const LEVEL: i32 = 3;

/// Objects below this size are kept raw: a frame's fixed costs (header,
/// block headers, seal) eat what little compression finds in them.
pub const MIN_SIZE: usize = 256;

/// The largest object [`decode`] gives back by default (stet's body caps
/// are far below; a damaged or hostile frame cannot make a reader
/// allocate more).
pub const MAX_DECODED: u64 = 1 << 32;

/// Magic number of the seal, a zstd skippable frame (0x184D2A50..5F).
const SEAL_MAGIC: u32 = 0x184D_2A5A;
const SEAL_LEN: usize = 8 + 32;

#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    #[error("zstd: {0}")]
    Zstd(#[from] io::Error),
    #[error("the compressed bytes do not match their seal (damaged)")]
    Seal,
    #[error("decodes to more than {limit} bytes")]
    TooLarge { limit: u64 },
}

/// What to store for `raw`: a sealed zstd frame, or `None` when the raw
/// bytes should be stored as they are (small objects, or ones compression
/// does not shrink by at least an eighth).
pub fn encode(raw: &[u8]) -> Result<Option<Vec<u8>>, CodecError> {
    if raw.len() < MIN_SIZE {
        return Ok(None);
    }
    let mut out = zstd::bulk::compress(raw, LEVEL)?;
    if out.len() + SEAL_LEN > raw.len() - raw.len() / 8 {
        return Ok(None);
    }
    let seal = Sha256::digest(&out);
    out.extend_from_slice(&SEAL_MAGIC.to_le_bytes());
    out.extend_from_slice(&32u32.to_le_bytes());
    out.extend_from_slice(&seal);
    Ok(Some(out))
}

/// The zstd frame of a stored compressed object, once its seal is checked.
pub fn unseal(stored: &[u8]) -> Result<&[u8], CodecError> {
    let split = stored.len().checked_sub(SEAL_LEN).ok_or(CodecError::Seal)?;
    let (frame, seal) = stored.split_at(split);
    let (head, digest) = seal.split_at(8);
    let mut expected = SEAL_MAGIC.to_le_bytes().to_vec();
    expected.extend_from_slice(&32u32.to_le_bytes());
    if head != expected.as_slice() || Sha256::digest(frame).as_slice() != digest {
        return Err(CodecError::Seal);
    }
    Ok(frame)
}

/// The bytes of a stored compressed object, at most `limit` of them.
pub fn decode(stored: &[u8], limit: u64) -> Result<Vec<u8>, CodecError> {
    let frame = unseal(stored)?;
    let mut out = Vec::with_capacity(frame.len().saturating_mul(4));
    decoder(frame)?
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)?;
    if out.len() as u64 > limit {
        return Err(CodecError::TooLarge { limit });
    }
    Ok(out)
}

/// A reader of the decoded bytes of an unsealed `frame` (see [`unseal`]),
/// for hashing large objects in pieces. Anything but complete frames is an
/// error when read.
pub fn decoder<'a>(frame: &'a [u8]) -> Result<impl Read + 'a, CodecError> {
    Ok(zstd::stream::read::Decoder::with_buffer(frame)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> Vec<u8> {
        let mut html = b"<!doctype html><html><head><title>t</title></head><body>".to_vec();
        for i in 0..200 {
            html.extend_from_slice(
                format!("<p class=\"para\">Paragraph {i} of the article, with its words.</p>\n")
                    .as_bytes(),
            );
        }
        html.extend_from_slice(b"</body></html>");
        html
    }

    #[test]
    fn round_trip_of_a_page() -> Result<(), Box<dyn std::error::Error>> {
        let raw = page();
        let Some(frame) = encode(&raw)? else {
            panic!("a repetitive page should compress")
        };
        assert!(
            frame.len() * 4 < raw.len(),
            "{} of {}",
            frame.len(),
            raw.len()
        );
        assert_eq!(decode(&frame, MAX_DECODED)?, raw);
        Ok(())
    }

    #[test]
    fn small_and_incompressible_objects_stay_raw() -> Result<(), Box<dyn std::error::Error>> {
        assert!(encode(b"{\"a\":1}")?.is_none());
        // Bytes from a hash chain do not compress.
        let mut noise = Vec::new();
        let mut h = crate::digest::sha256_hex(b"seed");
        while noise.len() < 4096 {
            h = crate::digest::sha256_hex(h.as_bytes());
            noise.extend((0..32).filter_map(|i| u8::from_str_radix(&h[2 * i..2 * i + 2], 16).ok()));
        }
        assert!(encode(&noise)?.is_none());
        Ok(())
    }

    #[test]
    fn damage_and_bombs_are_errors() -> Result<(), Box<dyn std::error::Error>> {
        let raw = page();
        let Some(frame) = encode(&raw)? else {
            panic!("a repetitive page should compress")
        };
        // Cut short, trailing garbage, and raw bytes are not objects.
        assert!(decode(&frame[..frame.len() - 3], MAX_DECODED).is_err());
        let mut trailing = frame.clone();
        trailing.extend_from_slice(b"garbage");
        assert!(decode(&trailing, MAX_DECODED).is_err());
        assert!(decode(&raw, MAX_DECODED).is_err());
        // Every flipped bit is an error (zstd alone decodes some of them,
        // an unused header flag for one, to the very same bytes).
        for i in 0..frame.len() {
            for bit in 0..8 {
                let mut bad = frame.clone();
                bad[i] ^= 1 << bit;
                assert!(decode(&bad, MAX_DECODED).is_err(), "bit {bit} of byte {i}");
            }
        }
        let Ok(sealed) = unseal(&frame) else {
            panic!("a fresh object is sealed")
        };
        let mut bare = Vec::new();
        decoder(sealed)?.read_to_end(&mut bare)?;
        assert_eq!(bare, raw);
        // A frame decoding to more than the limit stops at the limit.
        let Some(zeros) = encode(&vec![0u8; 1 << 20])? else {
            panic!("zeros compress")
        };
        assert!(matches!(
            decode(&zeros, 1000),
            Err(CodecError::TooLarge { limit: 1000 })
        ));
        Ok(())
    }
}
