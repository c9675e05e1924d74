//! WARC (and ARC) files into the store: every `response`, `revisit` and `resource`
//! record of an HTML page becomes a snapshot of its target, dated by its
//! `WARC-Date`, with an [`Origin`] naming the file, its sha256, the record
//! and its offset. Snapshots that stet itself exported are restored as they
//! were (same manifest, same id) when the store can take them back.
//! A history is a parent chain and only grows at its end: a capture dated
//! before the latest one of its target is skipped, not inserted.
//!
//! Two passes: the first reads every record (digests checked, nothing
//! written), so a damaged file is refused whole; the second reads the
//! records to import again, one at a time, from their offsets.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::export::SnapshotMetadata;
use super::message::{self, Response};
use super::read::{self, Format, RecordHead};
use super::{WarcError, STET_METADATA_TYPE};
use crate::digest::{canonical_json, sha256_hex};
use crate::model::{
    Exchange, ExtractSettings, FetchFacts, FileSummary, ImportReport, Manifest, ObjectRef, Origin,
    RecordOutcome, Tool, SCHEMA_VERSION,
};
use crate::store::{Store, StoreError, Writer};
use crate::target::Target;

/// Limits of an import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The largest block read into memory (and body kept), in bytes.
    pub max_body: u64,
}

/// Note written into the exchange of an imported capture.
pub const NOTE_IMPORTED: &str = "heads as the WARC record holds them";

/// A candidate record and whether its block digest held.
#[derive(Debug, Clone)]
struct Entry {
    head: RecordHead,
    digest_ok: Option<bool>,
}

/// The part of a stet metadata record the first pass keeps.
#[derive(Debug, Clone, Deserialize)]
struct Peek {
    manifest: PeekManifest,
}

#[derive(Debug, Clone, Deserialize)]
struct PeekManifest {
    target: String,
    fetched_at: String,
}

/// What the first pass learnt of one file.
pub struct Scanned {
    path: PathBuf,
    name: String,
    sha256: String,
    records: usize,
    candidates: Vec<Entry>,
    /// Record id → index in `candidates`.
    by_id: HashMap<String, usize>,
    /// (URI, date) → index in `candidates`.
    by_uri_date: HashMap<(String, String), usize>,
    /// Response id → its request record.
    requests: HashMap<String, RecordHead>,
    /// Main record id → stet metadata record, its target and date.
    metadata: HashMap<String, (RecordHead, String, String)>,
    /// The targets' journals and pinned references, in file order.
    states: Vec<super::state::StateRecord>,
    /// Signatures and timestamps, in file order.
    evidence: Vec<super::evidence::EvidenceRecord>,
}

const CANDIDATES: &[&str] = &["response", "revisit", "resource"];

fn scan(path: &Path, format: Format) -> Result<Scanned, WarcError> {
    let mut s = Scanned {
        path: path.to_path_buf(),
        name: read::file_name(path),
        sha256: String::new(),
        records: 0,
        candidates: Vec::new(),
        by_id: HashMap::new(),
        by_uri_date: HashMap::new(),
        requests: HashMap::new(),
        metadata: HashMap::new(),
        states: Vec::new(),
        evidence: Vec::new(),
    };
    let is_stet_metadata = |h: &RecordHead| {
        (h.kind() == "metadata"
            && h.get("Content-Type") == Some(STET_METADATA_TYPE)
            && h.length <= 16 << 20)
            || super::state::readable(h)
            || super::evidence::readable(h)
    };
    let sha = read::scan(
        path,
        format,
        |seen, block| {
            s.records += 1;
            let head = &seen.head;
            match head.kind() {
                // A redirect stet synthesised from a manifest: not a capture.
                k if CANDIDATES.contains(&k) && super::hops::is_synthesised(head) => {}
                k if CANDIDATES.contains(&k) => {
                    let i = s.candidates.len();
                    s.by_id.insert(head.id().to_string(), i);
                    if let (Some(uri), Some(date)) = (head.target_uri(), head.get("WARC-Date")) {
                        s.by_uri_date
                            .entry((uri.to_string(), date.to_string()))
                            .or_insert(i);
                    }
                    s.candidates.push(Entry {
                        head: head.clone(),
                        digest_ok: seen.block_digest_ok,
                    });
                }
                "request" => {
                    if let Some(to) = head.get("WARC-Concurrent-To") {
                        s.requests.insert(to.to_string(), head.clone());
                    }
                }
                "metadata" if super::evidence::is_evidence(head) => {
                    s.evidence
                        .push(super::evidence::scanned(head, block, seen.block_digest_ok));
                }
                "metadata" if super::state::is_state(head) => {
                    s.states
                        .push(super::state::scanned(head, block, seen.block_digest_ok));
                }
                "metadata" => {
                    let peek = block
                        .filter(|_| seen.block_digest_ok != Some(false))
                        .and_then(|b| serde_json::from_slice::<Peek>(&b).ok());
                    if let (Some(peek), Some(to)) = (peek, head.get("WARC-Concurrent-To")) {
                        s.metadata.insert(
                            to.to_string(),
                            (head.clone(), peek.manifest.target, peek.manifest.fetched_at),
                        );
                    }
                }
                _ => {}
            }
            Ok(())
        },
        is_stet_metadata,
    )?;
    s.sha256 = sha;
    Ok(s)
}

/// The first pass over every file: read through, digests checked, nothing
/// written. A damaged file is an error here, before the store is touched.
pub fn scan_all(files: &[(PathBuf, Format)]) -> Result<Vec<Scanned>, WarcError> {
    files.iter().map(|(p, f)| scan(p, *f)).collect()
}

/// The second pass: store the pages of scanned files.
pub fn import(
    writer: &Writer,
    scanned: &[Scanned],
    options: &ImportOptions,
    settings: &dyn Fn(&Target) -> ExtractSettings,
) -> Result<ImportReport, WarcError> {
    let mut report = ImportReport::default();
    let mut order: Vec<(String, When, usize, usize)> = Vec::new();
    for (f, s) in scanned.iter().enumerate() {
        report.files.push(FileSummary {
            file: s.path.display().to_string(),
            sha256: s.sha256.clone(),
            records: s.records,
        });
        for (i, e) in s.candidates.iter().enumerate() {
            let (target, when) = place(s, e);
            order.push((target, when, f, i));
        }
    }
    order.sort();
    let mut known: HashMap<String, Known> = HashMap::new();
    for (_, _, f, i) in order {
        let s = &scanned[f];
        let entry = &s.candidates[i];
        let mut outcome = RecordOutcome {
            uri: entry.head.target_uri().map(str::to_string),
            ..outcome_of(&s.path.display().to_string(), &entry.head)
        };
        match import_one(writer, s, entry, options, settings, &mut known) {
            Ok(Done::Stored {
                id,
                restored,
                detail,
            }) => {
                outcome.outcome = if restored { "restored" } else { "new" }.to_string();
                outcome.snapshot = Some(id);
                outcome.detail = detail;
            }
            Ok(Done::Present(id)) => {
                outcome.outcome = "present".to_string();
                outcome.snapshot = Some(id);
            }
            Ok(Done::Skipped(why)) => {
                outcome.outcome = "skipped".to_string();
                outcome.detail = Some(why);
            }
            Err(Refusal::Refused(why)) => {
                outcome.outcome = "refused".to_string();
                outcome.detail = Some(why);
            }
            Err(Refusal::Fatal(e)) => return Err(e),
        }
        report.records.push(outcome);
    }
    // The journals and pins, once their targets' snapshots are in.
    for s in scanned {
        let file = s.path.display().to_string();
        report
            .records
            .extend(super::state::restore_all(writer, &file, &s.states)?);
    }
    // The signatures and timestamps, once what they sign is in.
    for s in scanned {
        let file = s.path.display().to_string();
        report
            .records
            .extend(super::evidence::restore_all(writer, &file, &s.evidence)?);
    }
    Ok(report)
}

/// The outcome of record `head` of `file` until it is known: `refused`,
/// with no URI, snapshot or detail.
pub(super) fn outcome_of(file: &str, head: &RecordHead) -> RecordOutcome {
    RecordOutcome {
        file: file.to_string(),
        record_id: head.id().to_string(),
        record_type: head.kind().to_string(),
        offset: head.offset,
        uri: None,
        evidence: None,
        outcome: "refused".to_string(),
        snapshot: None,
        detail: None,
    }
}

/// When a record is imported among the records of its target. Per target,
/// stet's own records come first, in the order of the files (an export
/// writes each target's history in chain order, which need not be date
/// order), then the others by the instant of their `WARC-Date`; files and
/// records keep their order within an instant.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum When {
    Ours,
    /// `None`: no valid date (the record is refused).
    Dated(Option<time::OffsetDateTime>),
}

/// The target a candidate record is of, and when it is imported.
fn place(s: &Scanned, e: &Entry) -> (String, When) {
    match s.metadata.get(e.head.id()) {
        Some((_, target, _)) => (target.clone(), When::Ours),
        None => (
            e.head
                .target_uri()
                .and_then(|u| Target::parse(u).ok())
                .map(|t| t.to_string())
                .unwrap_or_default(),
            When::Dated(e.head.get("WARC-Date").and_then(instant)),
        ),
    }
}

enum Done {
    Stored {
        id: String,
        restored: bool,
        /// Why a snapshot stet exported was not restored as it was.
        detail: Option<String>,
    },
    Present(String),
    Skipped(String),
}

enum Refusal {
    /// This record is damaged; the others go on.
    Refused(String),
    /// The store could not be written: stop.
    Fatal(WarcError),
}

impl From<WarcError> for Refusal {
    fn from(e: WarcError) -> Self {
        match e {
            WarcError::Malformed { detail, .. } => Refusal::Refused(detail),
            other => Refusal::Fatal(other),
        }
    }
}

impl From<StoreError> for Refusal {
    fn from(e: StoreError) -> Self {
        Refusal::Fatal(e.into())
    }
}

fn refused(why: impl Into<String>) -> Refusal {
    Refusal::Refused(why.into())
}

/// A page read out of a record: the facts and bytes a snapshot needs.
struct Page {
    uri: String,
    date: String,
    status: Option<u16>,
    headers: std::collections::BTreeMap<String, String>,
    body: Vec<u8>,
    /// `(http version, response head, encoded body)` for HTTP records.
    http: Option<(String, Vec<u8>, Option<Vec<u8>>)>,
}

fn import_one(
    writer: &Writer,
    s: &Scanned,
    entry: &Entry,
    options: &ImportOptions,
    settings: &dyn Fn(&Target) -> ExtractSettings,
    known: &mut HashMap<String, Known>,
) -> Result<Done, Refusal> {
    let page = match read_page(s, entry, options)? {
        Ok(page) => page,
        Err(skip) => return Ok(Done::Skipped(skip)),
    };
    let own = match s.metadata.get(entry.head.id()) {
        Some((meta_head, _, _)) => own_metadata(s, meta_head)?,
        None => None,
    };
    // Why a snapshot stet exported is taken as a new capture.
    let mut not_restored = None;
    if let Some(meta) = &own {
        match restore(writer, s, entry, meta, &page)? {
            Ok(done) => {
                // What was read of the target's history is out of date.
                known.remove(&meta.manifest.target);
                return Ok(done);
            }
            Err(why) => not_restored = Some(why),
        }
    }
    // A capture stet exported stays a version of the target its manifest
    // names (where `place` ordered it), fetched as its manifest says: the
    // record's URI is only where the redirects ended.
    let (named, what) = match &own {
        Some(meta) => (meta.manifest.target.as_str(), "its manifest's target"),
        None => (page.uri.as_str(), "WARC-Target-URI"),
    };
    let target = match Target::parse(named) {
        Ok(t) if own.is_none() || t.to_string() == named => t,
        _ => {
            return Ok(Done::Skipped(format!(
                "{what} `{}` is not a URL stet can store",
                named.escape_debug()
            )))
        }
    };
    // Another tool's record names a web page; a path or a file: URL would
    // make a target of a local file.
    if target.is_file() && !s.metadata.contains_key(entry.head.id()) {
        return Ok(Done::Skipped(format!(
            "WARC-Target-URI `{}` is not an http(s) URL: not a web capture",
            page.uri.escape_debug()
        )));
    }
    let target_text = target.to_string();
    let store = writer.store();
    let k = match known.entry(target_text.clone()) {
        std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
        std::collections::hash_map::Entry::Vacant(e) => e.insert(Known::read(store, &target_text)?),
    };
    let body_sha = sha256_hex(&page.body);
    let key = (page.date.clone(), body_sha.clone());
    if k.captures.contains(&key) {
        let id = find_present(writer, &target_text, &key)?;
        return Ok(Done::Present(id));
    }
    // A history only grows at its end: a capture dated before the latest
    // one would become the current version, and the history would run
    // backwards in time.
    if let Some(latest) = k.latest.as_deref().filter(|l| later(l, &page.date)) {
        return Ok(Done::Skipped(format!(
            "older than the store's latest capture of this target ({latest}): it would \
             become the current version; import older archives first, or into a new store"
        )));
    }
    let facts = match &own {
        Some(meta) => FetchFacts {
            fetched_at: page.date.clone(),
            ..meta.manifest.fetch.clone()
        },
        None => FetchFacts {
            requested_url: page.uri.clone(),
            final_url: page.uri.clone(),
            redirects: Vec::new(),
            status: page.status,
            headers: page.headers.clone(),
            fetched_at: page.date.clone(),
            elapsed_ms: 0,
            sent_headers: Vec::new(),
        },
    };
    let extract = settings(&target);
    let document =
        crate::pipeline::snapshot::document_for(&page.body, &facts, &target_text, &extract)
            .map_err(|e| refused(format!("could not extract the page: {e}")))?;
    let document_bytes = canonical_json(&document).map_err(|e| {
        Refusal::Fatal(WarcError::Encode {
            what: "a document",
            detail: e.to_string(),
        })
    })?;
    let body = writer.put_object(&page.body)?;
    let document_ref = writer.put_object(&document_bytes)?;
    let exchange = match &page.http {
        Some((version, head, encoded)) => {
            let request = match s.requests.get(entry.head.id()) {
                Some(h) => Some(writer.put_object(&read::block_at(&s.path, h)?)?),
                None => None,
            };
            Some(Exchange {
                http_version: version.clone(),
                request_head: request,
                response_head: writer.put_object(head)?,
                encoded_body: match encoded {
                    Some(e) => Some(writer.put_object(e)?),
                    None => None,
                },
                notes: vec![NOTE_IMPORTED.to_string()],
            })
        }
        None => None,
    };
    let manifest = Manifest {
        schema_version: SCHEMA_VERSION,
        target: target_text.clone(),
        fetch: facts,
        body,
        document: document_ref,
        text_sha256: document.text_sha256(),
        tool: Tool::current(),
        extractor_version: document.extractor_version.clone(),
        extract,
        parent: store.latest(&target_text)?,
        exchange,
        origin: Some(Origin {
            warc: s.name.clone(),
            warc_sha256: s.sha256.clone(),
            record_id: entry.head.id().to_string(),
            record_type: entry.head.kind().to_string(),
            offset: entry.head.offset,
        }),
        rendered: None,
    };
    let id = writer.commit_snapshot(&manifest)?;
    if let Some(k) = known.get_mut(&target_text) {
        k.latest = Some(page.date.clone());
        k.captures.insert(key);
    }
    Ok(Done::Stored {
        id,
        restored: false,
        detail: not_restored.map(|why| {
            format!("taken as a new capture of {target_text}, not restored as it was: {why}")
        }),
    })
}

/// What the store holds of a target, read once an import: its captures
/// (date in UTC, body sha256) and the date of its latest one.
struct Known {
    captures: HashSet<(String, String)>,
    latest: Option<String>,
}

impl Known {
    fn read(store: &Store, target: &str) -> Result<Known, StoreError> {
        let mut known = Known {
            captures: HashSet::new(),
            latest: None,
        };
        for id in store.history(target)? {
            let m = store.manifest(&id)?;
            known.latest = Some(m.fetch.fetched_at.clone());
            known
                .captures
                .insert((utc(&m.fetch.fetched_at), m.body.sha256));
        }
        Ok(known)
    }
}

/// Whether date `a` is after date `b` (as instants; unreadable: no).
fn later(a: &str, b: &str) -> bool {
    matches!((instant(a), instant(b)), (Some(a), Some(b)) if a > b)
}

fn find_present(writer: &Writer, target: &str, key: &(String, String)) -> Result<String, Refusal> {
    let store = writer.store();
    for id in store.history(target)? {
        let m = store.manifest(&id)?;
        if utc(&m.fetch.fetched_at) == key.0 && m.body.sha256 == key.1 {
            return Ok(id);
        }
    }
    Ok(String::new())
}

/// The page a record holds; `Ok(Err(why))` when it holds none to import.
fn read_page(
    s: &Scanned,
    entry: &Entry,
    options: &ImportOptions,
) -> Result<Result<Page, String>, Refusal> {
    let head = &entry.head;
    if entry.digest_ok == Some(false) {
        return Err(refused("its WARC-Block-Digest does not match its block"));
    }
    let Some(uri) = head.target_uri().map(str::to_string) else {
        return Ok(Err("no WARC-Target-URI".to_string()));
    };
    let Some(date) = head.get("WARC-Date").and_then(rfc3339) else {
        return Err(refused("no valid WARC-Date"));
    };
    let limit = options.max_body.saturating_add(1 << 20);
    if head.length > limit {
        return Ok(Err(format!(
            "a record of {} bytes, larger than the limit of {} bytes",
            head.length, options.max_body
        )));
    }
    let content_type = head.get("Content-Type").unwrap_or_default();
    // stet's own records are taken back whatever they hold.
    let ours = s.metadata.contains_key(head.id());
    if head.kind() == "resource" {
        if !ours && !message::is_html(Some(content_type)) {
            return Ok(Err(format!(
                "not an HTML page ({})",
                message::mime(content_type)
            )));
        }
        if let Some(why) = not_whole(head) {
            return Err(refused(why));
        }
        let body = read::block_at(&s.path, head)?;
        return Ok(Ok(Page {
            uri,
            date,
            status: None,
            headers: Some(("content-type".to_string(), content_type.to_string()))
                .filter(|_| !ours)
                .into_iter()
                .collect(),
            body,
            http: None,
        }));
    }
    if !message::mime(content_type).starts_with("application/http") {
        return Ok(Err(format!(
            "not an HTTP response ({})",
            message::mime(content_type)
        )));
    }
    let block = read::block_at(&s.path, head)?;
    // A revisit holds its own head; its payload is the referred record's.
    let (revisit_block, payload_block, payload_record) = if head.kind() == "revisit" {
        let Some(referred) = referred(s, head) else {
            return Ok(Err(
                "a revisit of a record that is not in the file".to_string()
            ));
        };
        if referred.digest_ok == Some(false) {
            return Err(refused(format!(
                "a revisit of {}, whose digest does not match",
                referred.head.id()
            )));
        }
        if referred.head.length > limit {
            return Ok(Err(
                "a revisit of a record larger than the limit".to_string()
            ));
        }
        (
            Some(block),
            read::block_at(&s.path, &referred.head)?,
            &referred.head,
        )
    } else {
        (None, block, head)
    };
    let Some(full) = message::parse_response(&payload_block) else {
        return Err(refused("its block is not an HTTP response"));
    };
    check_payload_digest(payload_record, &full)?;
    let response: Response<'_> = revisit_block
        .as_deref()
        .and_then(message::parse_response)
        .filter(|r| r.status == full.status)
        .unwrap_or_else(|| full.clone());
    if !ours && ((300..400).contains(&response.status) || response.status < 200) {
        return Ok(Err(format!("status {}, not a page", response.status)));
    }
    if !ours && !message::is_html(response.header("content-type")) {
        return Ok(Err(format!(
            "not an HTML page ({})",
            response
                .header("content-type")
                .map(message::mime)
                .unwrap_or_else(|| "no Content-Type".to_string())
        )));
    }
    if let Some(why) = cut_short(head, payload_record, &full, ours) {
        return Err(refused(why));
    }
    let raw = if full.is_chunked() {
        message::dechunk(full.payload).unwrap_or_else(|| full.payload.to_vec())
    } else {
        full.payload.to_vec()
    };
    let codings: Vec<String> = full
        .header("content-encoding")
        .map(|v| {
            v.split(',')
                .map(|c| c.trim().to_ascii_lowercase())
                .filter(|c| !c.is_empty() && c != "identity")
                .collect()
        })
        .unwrap_or_default();
    let (body, encoded) = if codings.is_empty() || raw.is_empty() {
        (raw, None)
    } else {
        match crate::fetch::decode_body(&uri, &codings, &raw, options.max_body) {
            Ok(Some(decoded)) => (decoded, Some(raw)),
            Ok(None) => return Ok(Err("the decoded body is larger than the limit".to_string())),
            Err(e) => return Err(refused(e.to_string())),
        }
    };
    Ok(Ok(Page {
        uri,
        date,
        status: Some(response.status),
        headers: response.kept(),
        body,
        http: Some((response.version.clone(), response.head.to_vec(), encoded)),
    }))
}

/// Why a record does not hold a whole capture, by its WARC fields: it was
/// cut short by the tool that wrote it, or it is one segment of a
/// segmented record (stet does not join `continuation` records).
fn not_whole(head: &RecordHead) -> Option<String> {
    if let Some(why) = head.get("WARC-Truncated") {
        return Some(format!(
            "truncated by the tool that wrote it (WARC-Truncated: {}): not a whole capture",
            why.trim().escape_debug()
        ));
    }
    head.get("WARC-Segment-Number").map(|n| {
        format!(
            "one segment of a segmented record (WARC-Segment-Number: {}); stet does not \
             join segments: not a whole capture",
            n.trim().escape_debug()
        )
    })
}

/// Why a page record (`page`, holding the HTTP response `full` of record
/// `payload`: itself, or the record a revisit refers to) is not a whole
/// capture. stet's own records (`ours`) are checked against their
/// manifest instead of the HTTP length.
fn cut_short(
    page: &RecordHead,
    payload: &RecordHead,
    full: &Response<'_>,
    ours: bool,
) -> Option<String> {
    if let Some(why) = not_whole(page) {
        return Some(why);
    }
    let why = match not_whole(payload) {
        Some(why) => why,
        None if ours => return None,
        None => payload_cut_short(full)?,
    };
    Some(if std::ptr::eq(page, payload) {
        why
    } else {
        format!("a revisit of {}: {why}", payload.id())
    })
}

/// Why an HTTP payload is not whole: it is shorter than the response's
/// `Content-Length` (a chunked payload is not measured by it).
fn payload_cut_short(response: &Response<'_>) -> Option<String> {
    if response.is_chunked() {
        return None;
    }
    let declared: u64 = response.header("content-length")?.trim().parse().ok()?;
    let found = response.payload.len() as u64;
    (found < declared).then(|| {
        format!(
            "its HTTP body is {found} bytes, shorter than its Content-Length ({declared}): \
             not a whole capture"
        )
    })
}

/// The record a revisit refers to: by id, else by URI and date.
fn referred<'a>(s: &'a Scanned, head: &RecordHead) -> Option<&'a Entry> {
    let by_id = head
        .get("WARC-Refers-To")
        .and_then(|id| s.by_id.get(id.trim()));
    let by_uri = || {
        let uri = head
            .get("WARC-Refers-To-Target-URI")
            .map(|u| u.trim_start_matches('<').trim_end_matches('>'))?;
        let date = head.get("WARC-Refers-To-Date")?;
        s.by_uri_date.get(&(uri.to_string(), date.to_string()))
    };
    let i = by_id.or_else(by_uri)?;
    let e = &s.candidates[*i];
    (e.head.kind() == "response").then_some(e)
}

/// `WARC-Payload-Digest` over the payload as warcio reads it (the bytes
/// after the head), or de-chunked as the WARC specification reads it.
fn check_payload_digest(head: &RecordHead, response: &Response<'_>) -> Result<(), Refusal> {
    let Some(field) = head.get("WARC-Payload-Digest") else {
        return Ok(());
    };
    let Some((mut checker, want)) = super::digest::parse(field) else {
        return Ok(());
    };
    let Some((mut again, _)) = super::digest::parse(field) else {
        return Ok(());
    };
    checker.update(response.payload);
    if checker.finish() == want {
        return Ok(());
    }
    if let Some(dechunked) = message::dechunk(response.payload) {
        again.update(&dechunked);
        if again.finish() == want {
            return Ok(());
        }
    }
    Err(refused(format!(
        "record {}: its WARC-Payload-Digest does not match its payload",
        head.id()
    )))
}

/// A WARC-Date as RFC 3339 UTC, as WARC 1.1 requires: as written when it
/// is in UTC already (`Z`), so that round trips keep its bytes; else
/// converted (`2024-01-02T00:00:00+02:00` → `2024-01-01T22:00:00Z`).
fn rfc3339(date: &str) -> Option<String> {
    let date = date.trim();
    let at = instant(date)?;
    if date.ends_with(['Z', 'z']) {
        return Some(date.to_string());
    }
    at.to_offset(time::UtcOffset::UTC)
        .format(&time::format_description::well_known::Rfc3339)
        .ok()
}

/// A stored date as an import writes it now (one an older stet imported
/// with an offset is in UTC), so that a capture imported again is found.
fn utc(date: &str) -> String {
    rfc3339(date).unwrap_or_else(|| date.to_string())
}

/// The instant an RFC 3339 date names (dates compare as instants, not as
/// text: `+02:00` and fractions of seconds order as they should).
fn instant(date: &str) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::parse(date.trim(), &time::format_description::well_known::Rfc3339).ok()
}

/// The metadata record stet wrote beside a capture, read whole; `None`
/// when it is not one this stet reads (the capture imports as any other).
fn own_metadata(s: &Scanned, meta_head: &RecordHead) -> Result<Option<SnapshotMetadata>, Refusal> {
    let bytes = read::block_at(&s.path, meta_head)?;
    Ok(serde_json::from_slice::<SnapshotMetadata>(&bytes).ok())
}

/// Take back a snapshot stet exported, exactly: every object its manifest
/// names must be found in the records and hash to its name, and the
/// target's latest snapshot must be its parent. `Err(why)`: it cannot be
/// restored as it was.
fn restore(
    writer: &Writer,
    s: &Scanned,
    entry: &Entry,
    meta: &SnapshotMetadata,
    page: &Page,
) -> Result<Result<Done, String>, Refusal> {
    let Ok(manifest_bytes) = canonical_json(&meta.manifest) else {
        return Ok(Err("its manifest cannot be encoded".to_string()));
    };
    if sha256_hex(&manifest_bytes) != meta.id {
        return Ok(Err(format!(
            "its manifest does not hash to its id {}",
            meta.id
        )));
    }
    let store = writer.store();
    let target = meta.manifest.target.clone();
    let history = store.history(&target)?;
    if history.contains(&meta.id) {
        return Ok(Ok(Done::Present(meta.id.clone())));
    }
    if history.last() != meta.manifest.parent.as_ref() {
        return Ok(Err(if meta.manifest.parent.is_none() {
            "it was the first version of its target, of which the store holds versions already"
        } else {
            "the store's history of its target does not end with the version it followed"
        }
        .to_string()));
    }
    let mut found: Vec<Vec<u8>> = vec![page.body.clone()];
    if let Ok(doc) = canonical_json(&meta.document) {
        found.push(doc);
    }
    if let Some((_, head, encoded)) = &page.http {
        found.push(head.clone());
        if let Some(e) = encoded {
            found.push(e.clone());
        }
    }
    if let Some(h) = &meta.response_head {
        found.push(h.clone().into_bytes());
    }
    if let Some(h) = s.requests.get(entry.head.id()) {
        found.push(read::block_at(&s.path, h)?);
    }
    let hashed: HashMap<String, &Vec<u8>> = found.iter().map(|b| (sha256_hex(b), b)).collect();
    let mut objects: Vec<(&ObjectRef, &Vec<u8>)> = Vec::new();
    for (what, object) in meta.manifest.objects() {
        match hashed.get(&object.sha256) {
            Some(bytes) if bytes.len() as u64 == object.size => objects.push((object, bytes)),
            _ => return Ok(Err(format!("its records do not hold its {what}"))),
        }
    }
    for (_, bytes) in objects {
        writer.put_object(bytes)?;
    }
    let id = writer.commit_snapshot(&meta.manifest)?;
    Ok(Ok(Done::Stored {
        id,
        restored: true,
        detail: None,
    }))
}
