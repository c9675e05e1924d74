//! Writing WARC 1.1 records, each as its own gzip member (so that a reader
//! can seek to any record by its offset).

use std::io::Write;

/// One record: its WARC-Type, named fields in the order written (without
/// `Content-Length`, which is computed), and its block in parts.
#[derive(Debug, Clone)]
pub struct Record<'a> {
    pub kind: &'static str,
    pub id: String,
    pub fields: Vec<(&'static str, String)>,
    pub block: Vec<&'a [u8]>,
}

/// `<urn:uuid:…>` derived from `parts` (a hash, not random: the same
/// parts give the same id). The UUID is version 8 (RFC 9562, custom).
pub fn record_id(parts: &[&str]) -> String {
    let mut hasher = crate::digest::Hasher::new();
    hasher.update(b"stet-warc-record");
    for part in parts {
        hasher.update(b"\0");
        hasher.update(part.as_bytes());
    }
    let hex = hasher.finish_hex();
    let mut b: Vec<u8> = data_encoding::HEXLOWER
        .decode(&hex.as_bytes()[..32])
        .unwrap_or_else(|_| vec![0; 16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = crate::digest::hex(&b);
    format!(
        "<urn:uuid:{}-{}-{}-{}-{}>",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

impl<'a> Record<'a> {
    /// A record of `of` (the snapshot or target it belongs to; empty for
    /// the file's own) whose id is derived from everything that makes it
    /// what it is: its type and its fields (its `WARC-Block-Digest` among
    /// them; its block itself when no field gives its digest). The same
    /// record written again gets the same id, so that exports stay
    /// deterministic; two records that differ in anything never share one,
    /// as WARC 1.1 requires of ids (globally unique). `of` keeps apart
    /// records alike in every field that belong to two snapshots (two
    /// targets redirected to one page in the same second).
    pub fn new(
        kind: &'static str,
        of: &str,
        fields: Vec<(&'static str, String)>,
        block: Vec<&'a [u8]>,
    ) -> Self {
        let mut parts = vec![kind.to_string(), of.to_string()];
        parts.extend(
            fields
                .iter()
                .map(|(name, value)| format!("{name}: {value}")),
        );
        if !fields.iter().any(|(name, _)| *name == "WARC-Block-Digest") {
            let mut digest = super::digest::Sha256Stream::new();
            for part in &block {
                digest.update(part);
            }
            parts.push(digest.label());
        }
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        Record {
            kind,
            id: record_id(&parts),
            fields,
            block,
        }
    }

    pub fn block_len(&self) -> usize {
        self.block.iter().map(|p| p.len()).sum()
    }

    /// The record's bytes, uncompressed.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.block_len() + 512);
        out.extend_from_slice(b"WARC/1.1\r\n");
        push_field(&mut out, "WARC-Type", self.kind);
        push_field(&mut out, "WARC-Record-ID", &self.id);
        for (name, value) in &self.fields {
            push_field(&mut out, name, value);
        }
        push_field(&mut out, "Content-Length", &self.block_len().to_string());
        out.extend_from_slice(b"\r\n");
        for part in &self.block {
            out.extend_from_slice(part);
        }
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    /// Write the record as one gzip member; returns the compressed length.
    pub fn write_gzip(&self, out: &mut impl Write) -> std::io::Result<u64> {
        let bytes = gzip_member(&self.to_bytes())?;
        out.write_all(&bytes)?;
        Ok(bytes.len() as u64)
    }
}

/// One gzip member with a fixed header (no name, mtime 0, OS unknown), so
/// that the same bytes compress to the same bytes on every machine.
pub fn gzip_member(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut gz = flate2::GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(
            Vec::with_capacity(bytes.len() / 3 + 64),
            flate2::Compression::new(6),
        );
    gz.write_all(bytes)?;
    gz.finish()
}

fn push_field(out: &mut Vec<u8>, name: &str, value: &str) {
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b": ");
    // Field values are one line: a CR or LF would end the field early.
    for &b in value.as_bytes() {
        out.push(if b == b'\r' || b == b'\n' { b' ' } else { b });
    }
    out.extend_from_slice(b"\r\n");
}

/// `application/warc-fields` text from name/value pairs.
pub fn warc_fields(pairs: &[(&str, &str)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, value) in pairs {
        push_field(&mut out, name, value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_ids_are_uuids_derived_from_their_parts() {
        let a = record_id(&["response", "abc"]);
        assert_eq!(a, record_id(&["response", "abc"]));
        assert_ne!(a, record_id(&["request", "abc"]));
        assert_eq!(a.len(), "<urn:uuid:>".len() + 36);
        assert_eq!(&a[24..25], "8", "version nibble of {a}");
    }

    #[test]
    fn a_records_id_is_its_fields_and_block() {
        let id = |kind, uri: &str, block: &'static [u8]| {
            Record::new(
                kind,
                "s",
                vec![("WARC-Target-URI", uri.to_string())],
                vec![block],
            )
            .id
        };
        let a = id("resource", "http://a/", b"x");
        assert_eq!(a, id("resource", "http://a/", b"x"));
        assert_ne!(a, id("metadata", "http://a/", b"x"));
        assert_ne!(a, id("resource", "http://b/", b"x"));
        assert_ne!(a, id("resource", "http://a/", b"y"));
        let of = |of| Record::new("resource", of, Vec::new(), vec![b"x"]).id;
        assert_ne!(of("s"), of("t"));
        let digest = |d: &str| {
            Record::new(
                "resource",
                "s",
                vec![("WARC-Block-Digest", d.to_string())],
                vec![b"x"],
            )
            .id
        };
        assert_ne!(digest("sha256:A"), digest("sha256:B"));
    }

    #[test]
    fn a_record_is_its_fields_then_its_block() -> std::io::Result<()> {
        let r = Record {
            kind: "resource",
            id: "<urn:uuid:x>".to_string(),
            fields: vec![("WARC-Target-URI", "http://a/\r\nb".to_string())],
            block: vec![b"ab", b"c"],
        };
        let bytes = r.to_bytes();
        assert_eq!(
            String::from_utf8_lossy(&bytes),
            "WARC/1.1\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:x>\r\nWARC-Target-URI: http://a/  b\r\nContent-Length: 3\r\n\r\nabc\r\n\r\n"
        );
        let mut gz = Vec::new();
        r.write_gzip(&mut gz)?;
        let mut plain = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(gz.as_slice()), &mut plain)?;
        assert_eq!(plain, bytes);
        let mut again = Vec::new();
        r.write_gzip(&mut again)?;
        assert_eq!(gz, again);
        Ok(())
    }
}
