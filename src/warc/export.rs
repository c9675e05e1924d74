//! The store as a WARC 1.1 file: a warcinfo record, then per snapshot a
//! `request` and a `response` (or a `revisit` when its payload was already
//! written, or a `resource` when the snapshot has no HTTP exchange), and a
//! `metadata` record carrying stet's manifest and document (and, when the
//! snapshot is signed or timestamped, a record of each: see [`evidence`]).

use std::collections::HashMap;
use std::io::Write;

use serde::Serialize;

use super::digest::sha256_label;
use super::evidence;
use super::hops;
use super::record::{warc_fields, Record};
use super::{
    WarcError, CONFORMS_TO, FORMAT, REVISIT_PROFILE, STET_METADATA_TYPE, STET_TARGET_TYPE,
};
use crate::model::{Document, Manifest};
use crate::store::Store;

/// The type of a body of no known type.
const OCTET_STREAM: &str = "application/octet-stream";

/// What the warcinfo record says about who wrote the file.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// `WARC-Filename` (the file's own name).
    pub filename: String,
    /// `operator` of the warcinfo record (from stet.toml).
    pub operator: Option<String>,
}

/// One written record, for indexes (CDXJ) and counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub kind: &'static str,
    pub url: String,
    pub date: String,
    pub mime: String,
    pub status: Option<u16>,
    /// `sha256:BASE32` of the payload.
    pub digest: String,
    pub offset: u64,
    pub length: u64,
    /// The snapshot it belongs to.
    pub snapshot: String,
    /// The article title, for page lists.
    pub title: Option<String>,
    /// A redirect hop stet synthesised from the manifest (see [`hops`]):
    /// indexed, not a page.
    pub hop: bool,
}

/// The outcome of an export.
#[derive(Debug, Clone, Default)]
pub struct Exported {
    pub snapshots: usize,
    /// Targets whose journal and pinned reference were written.
    pub states: usize,
    pub bytes: u64,
    /// Every response, revisit and resource record written, in file order.
    pub captures: Vec<Written>,
}

impl Exported {
    pub fn count(&self, kind: &str) -> usize {
        self.captures
            .iter()
            .filter(|w| w.kind == kind && !w.hop)
            .count()
    }
}

/// What the metadata record of a snapshot carries.
#[derive(Debug, Serialize, serde::Deserialize)]
pub struct SnapshotMetadata {
    pub id: String,
    pub manifest: Manifest,
    pub document: Document,
    /// The response head as stored, when the one in the response record
    /// differs from it (its `Transfer-Encoding` line removed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_head: Option<String>,
}

/// A response head without its `Transfer-Encoding` lines: the record holds
/// the body de-chunked, so the head must not announce chunks. Returns the
/// head and whether a line was removed.
pub fn head_for_record(head: &[u8]) -> (Vec<u8>, bool) {
    let mut out = Vec::with_capacity(head.len());
    let mut removed = false;
    for line in head.split_inclusive(|&b| b == b'\n') {
        let name = line.split(|&b| b == b':').next().unwrap_or_default();
        if line.contains(&b':') && name.trim_ascii().eq_ignore_ascii_case(b"transfer-encoding") {
            removed = true;
            continue;
        }
        out.extend_from_slice(line);
    }
    (out, removed)
}

/// The `WARC-Target-URI` of a snapshot's metadata record: a name of its
/// own, not the page's URL, so that indexers and replay tools (pywb,
/// cdxj-indexer) do not take stet's manifest for the page. The record is
/// tied to the page's record by `WARC-Concurrent-To`.
pub fn metadata_uri(id: &str) -> String {
    format!("urn:stet:snapshot:{id}")
}

/// The `WARC-Target-URI` of a target's state record (its journal and
/// pinned reference): the target's key in the store, a name of its own.
pub fn state_uri(target: &str) -> String {
    format!("urn:stet:target:{}", crate::store::target_key(target))
}

/// The snapshots to export: every version of each target, targets sorted.
pub fn snapshots_of(store: &Store, targets: &[String]) -> Result<Vec<String>, WarcError> {
    let all;
    let targets = if targets.is_empty() {
        all = store.targets()?;
        &all
    } else {
        targets
    };
    let mut ids = Vec::new();
    for target in targets {
        let history = store.history(target)?;
        if history.is_empty() {
            return Err(crate::store::StoreError::UnknownTarget(target.clone()).into());
        }
        ids.extend(history);
    }
    Ok(ids)
}

/// Write the WARC of `ids` to `out`, one gzip member per record.
pub fn write_warc(
    store: &Store,
    ids: &[String],
    options: &ExportOptions,
    out: &mut impl Write,
) -> Result<Exported, WarcError> {
    if ids.is_empty() {
        return Err(WarcError::Nothing("no snapshots to export".to_string()));
    }
    let io = |e| WarcError::io(&options.filename, e);
    let mut manifests = Vec::with_capacity(ids.len());
    for id in ids {
        manifests.push((id.clone(), store.manifest(id)?));
    }
    let date = manifests
        .iter()
        .map(|(_, m)| m.fetch.fetched_at.as_str())
        .max()
        .unwrap_or_default()
        .to_string();
    let software = format!(
        "{}/{} (+https://github.com/stet-archive/stet)",
        crate::model::TOOL_NAME,
        crate::model::TOOL_VERSION
    );
    let mut info = vec![
        ("software", software.as_str()),
        ("format", FORMAT),
        ("conformsTo", CONFORMS_TO),
    ];
    if let Some(op) = &options.operator {
        info.push(("operator", op.as_str()));
    }
    let info = warc_fields(&info);
    let mut offset = 0u64;
    let mut exported = Exported::default();
    let warcinfo = Record::new(
        "warcinfo",
        "",
        vec![
            ("WARC-Date", date),
            ("WARC-Filename", options.filename.clone()),
            ("Content-Type", "application/warc-fields".to_string()),
            ("WARC-Block-Digest", sha256_label(&info)),
        ],
        vec![&info],
    );
    let warcinfo_id = warcinfo.id.clone();
    offset += warcinfo.write_gzip(out).map_err(io)?;
    // Payload digest → (record id, URI, date) of the first record with it.
    let mut first: HashMap<String, (String, String, String)> = HashMap::new();
    for (id, manifest) in &manifests {
        let document_bytes = store.object(&manifest.document.sha256)?;
        let document: Document = serde_json::from_slice(&document_bytes).map_err(|e| {
            crate::store::StoreError::Corrupt {
                path: store.root().to_path_buf(),
                detail: format!("document of {id}: {e}"),
            }
        })?;
        let uri = manifest.fetch.final_url.clone();
        let date = manifest.fetch.fetched_at.clone();
        // The fields every record of the snapshot has, for a record of
        // `target_uri`.
        let common_of = |target_uri: String, extra: Vec<(&'static str, String)>| {
            common_fields(date.clone(), target_uri, &warcinfo_id, extra)
        };
        let common = |extra| common_of(uri.clone(), extra);
        let main_id;
        let mut stored_head = None;
        let mut written = Written {
            kind: "resource",
            url: uri.clone(),
            date: date.clone(),
            mime: manifest
                .fetch
                .headers
                .get("content-type")
                .cloned()
                .unwrap_or_else(|| OCTET_STREAM.to_string()),
            status: manifest.fetch.status,
            digest: String::new(),
            offset: 0,
            length: 0,
            snapshot: id.clone(),
            title: document.title.clone(),
            hop: false,
        };
        match (&manifest.exchange, manifest.fetch.status) {
            (Some(x), Some(_)) => {
                let head = store.object(&x.response_head.sha256)?;
                let (head_written, removed) = head_for_record(&head);
                if removed {
                    stored_head = Some(String::from_utf8_lossy(&head).into_owned());
                }
                let payload = match &x.encoded_body {
                    Some(e) => store.object(&e.sha256)?,
                    None => store.object(&manifest.body.sha256)?,
                };
                let payload_digest = sha256_label(&payload);
                let record = match first.get(&payload_digest) {
                    Some((refers, refers_uri, refers_date)) => Record::new(
                        "revisit",
                        id,
                        common(vec![
                            ("WARC-Profile", REVISIT_PROFILE.to_string()),
                            ("WARC-Refers-To", refers.clone()),
                            ("WARC-Refers-To-Target-URI", refers_uri.clone()),
                            ("WARC-Refers-To-Date", refers_date.clone()),
                            (
                                "Content-Type",
                                "application/http;msgtype=response".to_string(),
                            ),
                            ("WARC-Payload-Digest", payload_digest.clone()),
                            ("WARC-Block-Digest", sha256_label(&head_written)),
                        ]),
                        vec![&head_written],
                    ),
                    None => {
                        let mut block_hash = crate::warc::digest::Sha256Stream::new();
                        block_hash.update(&head_written);
                        block_hash.update(&payload);
                        Record::new(
                            "response",
                            id,
                            common(vec![
                                (
                                    "Content-Type",
                                    "application/http;msgtype=response".to_string(),
                                ),
                                ("WARC-Payload-Digest", payload_digest.clone()),
                                ("WARC-Block-Digest", block_hash.label()),
                            ]),
                            vec![&head_written, &payload],
                        )
                    }
                };
                main_id = record.id.clone();
                // The redirects that led to the page, each a response of its own.
                for hop in hops::hops(manifest) {
                    let digest = sha256_label(b"");
                    let length = Record::new(
                        "response",
                        id,
                        common_of(
                            hop.url.clone(),
                            vec![
                                (
                                    "Content-Type",
                                    "application/http;msgtype=response".to_string(),
                                ),
                                ("WARC-Payload-Digest", digest.clone()),
                                ("WARC-Block-Digest", sha256_label(&hop.head)),
                                (hops::SYNTHESISED_FIELD, hop.note),
                            ],
                        ),
                        vec![&hop.head],
                    )
                    .write_gzip(out)
                    .map_err(io)?;
                    exported.captures.push(Written {
                        kind: "response",
                        url: hop.url,
                        date: date.clone(),
                        mime: String::new(),
                        status: Some(hop.status),
                        digest,
                        offset,
                        length,
                        snapshot: id.clone(),
                        title: None,
                        hop: true,
                    });
                    offset += length;
                }
                if let Some(req) = &x.request_head {
                    let request = store.object(&req.sha256)?;
                    offset += Record::new(
                        "request",
                        id,
                        common(vec![
                            ("WARC-Concurrent-To", main_id.clone()),
                            (
                                "Content-Type",
                                "application/http;msgtype=request".to_string(),
                            ),
                            ("WARC-Block-Digest", sha256_label(&request)),
                        ]),
                        vec![&request],
                    )
                    .write_gzip(out)
                    .map_err(io)?;
                }
                if record.kind == "response" {
                    first.insert(
                        payload_digest.clone(),
                        (main_id.clone(), uri.clone(), date.clone()),
                    );
                }
                written.kind = record.kind;
                written.digest = payload_digest;
                written.offset = offset;
                written.length = record.write_gzip(out).map_err(io)?;
                offset += written.length;
            }
            _ => {
                let body = store.object(&manifest.body.sha256)?;
                // A local file declares no type: the one stet read it as.
                if !manifest.fetch.headers.contains_key("content-type") {
                    written.mime = crate::extract::undeclared_content_type(&body)
                        .unwrap_or_else(|| OCTET_STREAM.to_string());
                }
                let digest = sha256_label(&body);
                let record = Record::new(
                    "resource",
                    id,
                    common(vec![
                        ("Content-Type", written.mime.clone()),
                        ("WARC-Payload-Digest", digest.clone()),
                        ("WARC-Block-Digest", digest.clone()),
                    ]),
                    vec![&body],
                );
                main_id = record.id.clone();
                written.digest = digest;
                written.offset = offset;
                written.length = record.write_gzip(out).map_err(io)?;
                offset += written.length;
            }
        }
        let metadata = crate::digest::canonical_json(&SnapshotMetadata {
            id: id.clone(),
            manifest: manifest.clone(),
            document,
            response_head: stored_head,
        })
        .map_err(|e| WarcError::Encode {
            what: "a metadata record",
            detail: e.to_string(),
        })?;
        let record = Record::new(
            "metadata",
            id,
            common_of(
                metadata_uri(id),
                vec![
                    ("WARC-Concurrent-To", main_id.clone()),
                    ("Content-Type", STET_METADATA_TYPE.to_string()),
                    ("WARC-Block-Digest", sha256_label(&metadata)),
                ],
            ),
            vec![&metadata],
        );
        offset += record.write_gzip(out).map_err(io)?;
        // Its signature and timestamp, each referring to the manifest.
        for (content_type, block) in evidence::of_snapshot(store, id)? {
            offset += Record::new(
                "metadata",
                id,
                common_of(
                    metadata_uri(id),
                    vec![
                        ("WARC-Refers-To", record.id.clone()),
                        ("WARC-Concurrent-To", main_id.clone()),
                        ("Content-Type", content_type.to_string()),
                        ("WARC-Block-Digest", sha256_label(&block)),
                    ],
                ),
                vec![&block],
            )
            .write_gzip(out)
            .map_err(io)?;
        }
        exported.captures.push(written);
        exported.snapshots += 1;
    }
    // Then each target's journal and pinned reference, targets in the
    // order of their snapshots.
    let mut targets: Vec<(&str, &str)> = Vec::new();
    for (_, m) in &manifests {
        match targets.iter_mut().find(|(t, _)| *t == m.target) {
            Some((_, latest)) => *latest = (*latest).max(m.fetch.fetched_at.as_str()),
            None => targets.push((&m.target, &m.fetch.fetched_at)),
        }
    }
    for (target, latest) in targets {
        let Some(state) = store.target_state(target)? else {
            continue;
        };
        let block = crate::digest::canonical_json(&state).map_err(|e| WarcError::Encode {
            what: "a target's journal",
            detail: e.to_string(),
        })?;
        let date = state
            .last_at()
            .filter(|at| valid_date(at))
            .unwrap_or_else(|| latest.to_string());
        let record = Record::new(
            "metadata",
            target,
            common_fields(
                date.clone(),
                state_uri(target),
                &warcinfo_id,
                vec![
                    ("Content-Type", STET_TARGET_TYPE.to_string()),
                    ("WARC-Block-Digest", sha256_label(&block)),
                ],
            ),
            vec![&block],
        );
        offset += record.write_gzip(out).map_err(io)?;
        exported.states += 1;
        // The signatures of its journal's lines.
        if let Some(signed) = evidence::of_journal(store, &state)? {
            let block = crate::digest::canonical_json(&signed).map_err(|e| WarcError::Encode {
                what: "a journal's signatures",
                detail: e.to_string(),
            })?;
            offset += Record::new(
                "metadata",
                target,
                common_fields(
                    date,
                    state_uri(target),
                    &warcinfo_id,
                    vec![
                        ("WARC-Refers-To", record.id.clone()),
                        (
                            "Content-Type",
                            evidence::JOURNAL_SIGNATURES_TYPE.to_string(),
                        ),
                        ("WARC-Block-Digest", sha256_label(&block)),
                    ],
                ),
                vec![&block],
            )
            .write_gzip(out)
            .map_err(io)?;
        }
    }
    exported.bytes = offset;
    Ok(exported)
}

/// The fields every record of a snapshot or target has, then `extra`.
fn common_fields(
    date: String,
    target_uri: String,
    warcinfo_id: &str,
    extra: Vec<(&'static str, String)>,
) -> Vec<(&'static str, String)> {
    let mut fields = vec![
        ("WARC-Date", date),
        ("WARC-Target-URI", target_uri),
        ("WARC-Warcinfo-ID", warcinfo_id.to_string()),
    ];
    fields.extend(extra);
    fields
}

/// Whether `at` is a UTC date a WARC-Date may be (W3C ISO 8601).
fn valid_date(at: &str) -> bool {
    at.ends_with('Z')
        && time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_transfer_encoding_lines_leave_the_head() {
        let head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nx-transfer-encoding-note: y\r\ncontent-type: text/html\r\n\r\n";
        let (out, removed) = head_for_record(head);
        assert!(removed);
        assert_eq!(
            String::from_utf8_lossy(&out),
            "HTTP/1.1 200 OK\r\nx-transfer-encoding-note: y\r\ncontent-type: text/html\r\n\r\n"
        );
        let (same, removed) = head_for_record(&out);
        assert!(!removed);
        assert_eq!(same, out);
    }
}
