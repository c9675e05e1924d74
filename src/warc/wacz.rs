//! WACZ 1.1.1 packages: `archive/data.warc.gz`, `indexes/index.cdxj`,
//! `pages/pages.jsonl`, `datapackage.json` (sha256 of every file) and
//! `datapackage-digest.json`. Every entry is stored uncompressed (the WARC
//! must be, for range requests; its records are gzip already), with a fixed
//! date, so the same store gives the same package.

use std::io::{Read, Seek, Write};
use std::path::Path;

use serde::Serialize;

use super::export::{write_warc, ExportOptions, Exported, Written};
use super::surt::surt;
use super::WarcError;
use crate::store::Store;

/// The WARC's name inside the package.
pub const WARC_NAME: &str = "data.warc.gz";

/// The WACZ version written.
pub const WACZ_VERSION: &str = "1.1.1";

/// `YYYYMMDDhhmmss` of an RFC 3339 time.
pub fn timestamp14(date: &str) -> String {
    date.chars().filter(char::is_ascii_digit).take(14).collect()
}

#[derive(Serialize)]
struct CdxjFields<'a> {
    url: &'a str,
    /// None for a record of no type (a redirect), as cdxj-indexer writes it.
    #[serde(skip_serializing_if = "str::is_empty")]
    mime: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<String>,
    digest: &'a str,
    length: String,
    offset: String,
    filename: &'a str,
}

/// The CDXJ index of the written captures, sorted.
pub fn cdxj(captures: &[Written], filename: &str) -> Result<Vec<u8>, WarcError> {
    let mut lines = Vec::with_capacity(captures.len());
    for w in captures {
        let mime = if w.kind == "revisit" {
            "warc/revisit"
        } else {
            w.mime.split(';').next().unwrap_or_default().trim()
        };
        let fields = CdxjFields {
            url: &w.url,
            mime,
            status: w.status.map(|s| s.to_string()),
            digest: &w.digest,
            length: w.length.to_string(),
            offset: w.offset.to_string(),
            filename,
        };
        let json = crate::digest::canonical_json(&fields).map_err(|e| WarcError::Encode {
            what: "the CDXJ index",
            detail: e.to_string(),
        })?;
        let mut line = format!("{} {} ", surt(&w.url), timestamp14(&w.date)).into_bytes();
        line.extend_from_slice(&json);
        line.push(b'\n');
        lines.push(line);
    }
    lines.sort();
    Ok(lines.concat())
}

#[derive(Serialize)]
struct PageLine<'a> {
    id: &'a str,
    url: &'a str,
    ts: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
}

/// `pages/pages.jsonl`: a header line, then one page per snapshot.
pub fn pages(captures: &[Written]) -> Result<Vec<u8>, WarcError> {
    let enc = |e: serde_json::Error| WarcError::Encode {
        what: "the page list",
        detail: e.to_string(),
    };
    let mut out = br#"{"format":"json-pages-1.0","id":"pages","title":"All Pages"}"#.to_vec();
    out.push(b'\n');
    for w in captures.iter().filter(|w| !w.hop) {
        out.extend_from_slice(
            &crate::digest::canonical_json(&PageLine {
                id: &w.snapshot,
                url: &w.url,
                ts: &w.date,
                title: w.title.as_deref(),
            })
            .map_err(enc)?,
        );
        out.push(b'\n');
    }
    Ok(out)
}

#[derive(Serialize)]
struct Resource {
    name: String,
    path: String,
    hash: String,
    bytes: u64,
}

#[derive(Serialize)]
struct DataPackage<'a> {
    profile: &'a str,
    resources: Vec<Resource>,
    wacz_version: &'a str,
    software: String,
    created: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct Digest<'a> {
    path: &'a str,
    hash: String,
}

/// Write the WACZ of `ids` at `path` (whole or not at all).
pub fn write(
    store: &Store,
    ids: &[String],
    options: &ExportOptions,
    path: &Path,
) -> Result<Exported, WarcError> {
    let mut warc = tempfile::tempfile().map_err(|e| WarcError::io(path, e))?;
    let exported = {
        let mut out = std::io::BufWriter::with_capacity(256 * 1024, &warc);
        let exported = write_warc(store, ids, options, &mut out)?;
        out.flush().map_err(|e| WarcError::io(path, e))?;
        exported
    };
    let index = cdxj(&exported.captures, WARC_NAME)?;
    let page_list = pages(&exported.captures)?;
    let created = exported
        .captures
        .iter()
        .map(|w| w.date.as_str())
        .max()
        .unwrap_or_default()
        .to_string();
    super::write_atomically(path, |out| {
        write_zip(out, &mut warc, &index, &page_list, &created, path)
    })?;
    Ok(exported)
}

fn write_zip<W: Write + Seek>(
    out: W,
    warc: &mut std::fs::File,
    index: &[u8],
    page_list: &[u8],
    created: &str,
    path: &Path,
) -> Result<(), WarcError> {
    let zerr = |e: zip::result::ZipError| WarcError::io(path, std::io::Error::other(e));
    let io = |e| WarcError::io(path, e);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644)
        .large_file(false);
    let mut zip = zip::ZipWriter::new(out);
    let mut resources = Vec::new();
    // The WARC, streamed from its temporary file and hashed on the way.
    let warc_path = format!("archive/{WARC_NAME}");
    let warc_len = warc.seek(std::io::SeekFrom::End(0)).map_err(io)?;
    warc.seek(std::io::SeekFrom::Start(0)).map_err(io)?;
    zip.start_file(
        warc_path.as_str(),
        options.large_file(warc_len >= u64::from(u32::MAX)),
    )
    .map_err(zerr)?;
    let mut hasher = crate::digest::Hasher::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = warc.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        zip.write_all(&buf[..n]).map_err(io)?;
    }
    resources.push(Resource {
        name: WARC_NAME.to_string(),
        path: warc_path,
        hash: format!("sha256:{}", hasher.finish_hex()),
        bytes: warc_len,
    });
    for (path_in_zip, bytes) in [
        ("indexes/index.cdxj", index),
        ("pages/pages.jsonl", page_list),
    ] {
        zip.start_file(path_in_zip, options).map_err(zerr)?;
        zip.write_all(bytes).map_err(io)?;
        resources.push(Resource {
            name: path_in_zip
                .rsplit('/')
                .next()
                .unwrap_or(path_in_zip)
                .to_string(),
            path: path_in_zip.to_string(),
            hash: format!("sha256:{}", crate::digest::sha256_hex(bytes)),
            bytes: bytes.len() as u64,
        });
    }
    let enc = |e: serde_json::Error| WarcError::Encode {
        what: "datapackage.json",
        detail: e.to_string(),
    };
    let package = crate::digest::canonical_json(&DataPackage {
        profile: "data-package",
        resources,
        wacz_version: WACZ_VERSION,
        software: format!("{}/{}", crate::model::TOOL_NAME, crate::model::TOOL_VERSION),
        created,
        title: "stet snapshots",
    })
    .map_err(enc)?;
    let digest = crate::digest::canonical_json(&Digest {
        path: "datapackage.json",
        hash: format!("sha256:{}", crate::digest::sha256_hex(&package)),
    })
    .map_err(enc)?;
    for (name, bytes) in [
        ("datapackage.json", &package),
        ("datapackage-digest.json", &digest),
    ] {
        zip.start_file(name, options).map_err(zerr)?;
        zip.write_all(bytes).map_err(io)?;
    }
    zip.finish().map_err(zerr)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::timestamp14;

    #[test]
    fn timestamps() {
        assert_eq!(timestamp14("2026-01-02T03:04:05Z"), "20260102030405");
    }
}
