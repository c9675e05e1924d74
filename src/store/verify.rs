//! `stet verify`: re-hash every object and manifest, check the parent chains
//! and references. Read-only: it never modifies the store.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::io::{ErrorKind, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::atomic::TEMP_PREFIX;
use super::journal;
use super::layout::{self, is_target_key, target_key};
use super::{codec, numbered_ids, Store, StoreError};
use crate::digest::{canonical_json, is_sha256_hex, sha256_hex, Hasher};
use crate::model::{Document, Manifest};
pub use crate::model::{Problem, VerifyReport};

/// Re-runs extraction on a stored raw body: `(manifest, body)` → the
/// document it gives now.
pub type Reextract<'a> = &'a (dyn Fn(&Manifest, &[u8]) -> Result<Reextracted, String> + Sync);

/// What re-extraction gives today.
pub struct Reextracted {
    /// sha256 of the document's canonical bytes.
    pub sha256: String,
    /// The extractor that made it.
    pub extractor_version: String,
}

#[derive(Default)]
pub struct VerifyOptions<'a> {
    /// Re-extract every raw body and compare the document hash.
    pub reextract: Option<Reextract<'a>>,
    /// Hashing threads (0: one per core).
    pub threads: usize,
}

struct Collector<'s> {
    root: &'s Path,
    problems: Mutex<Vec<Problem>>,
    notes: Mutex<Vec<Problem>>,
}

impl Collector<'_> {
    fn rel(&self, path: &Path) -> String {
        path.strip_prefix(self.root)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/")
    }

    fn problem(&self, path: &Path, kind: &str, detail: impl Into<String>) {
        let p = Problem {
            path: self.rel(path),
            kind: kind.to_string(),
            detail: detail.into(),
        };
        if let Ok(mut v) = self.problems.lock() {
            v.push(p);
        }
    }

    fn note(&self, path: &Path, kind: &str, detail: impl Into<String>) {
        let p = Problem {
            path: self.rel(path),
            kind: kind.to_string(),
            detail: detail.into(),
        };
        if let Ok(mut v) = self.notes.lock() {
            v.push(p);
        }
    }
}

impl Store {
    /// Check the whole store. `Err` only when the store cannot be read at
    /// all; damage is reported in the [`VerifyReport`].
    pub fn verify(&self, options: &VerifyOptions<'_>) -> Result<VerifyReport, StoreError> {
        let layout = self.layout();
        let c = Collector {
            root: layout.root(),
            problems: Mutex::new(Vec::new()),
            notes: Mutex::new(Vec::new()),
        };
        let mut report = VerifyReport::default();

        // Objects: every file's content must hash to its name.
        let objects = self.list_files(&layout.objects_dir())?;
        let mut object_sizes: BTreeMap<String, u64> = BTreeMap::new();
        let threads = if options.threads == 0 && self.backend().is_some() {
            // Requests wait on the network, not the CPU.
            SHARED_THREADS
        } else if options.threads == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            options.threads
        };
        let hashed = hash_files(self, &objects, threads);
        for ((path, name), result) in objects.iter().zip(hashed) {
            report.objects += 1;
            // `<sha256>` raw, or `<sha256>.zst` compressed (see `codec`).
            let name = name.strip_suffix(codec::SUFFIX).unwrap_or(name);
            let in_place = is_sha256_hex(name)
                && path
                    .parent()
                    .and_then(Path::file_name)
                    .and_then(|d| d.to_str())
                    == Some(&name[..2]);
            if !in_place {
                c.problem(
                    path,
                    "stray_object",
                    "not named by a sha256 in its fan-out directory",
                );
                continue;
            }
            match result {
                Ok((digest, size)) => {
                    report.bytes += size;
                    if digest != name {
                        c.problem(
                            path,
                            "object_corrupt",
                            format!("content hashes to {digest}"),
                        );
                    } else {
                        object_sizes.insert(name.to_string(), size);
                    }
                }
                Err(e) if e.kind() == ErrorKind::InvalidData => {
                    c.problem(path, "object_corrupt", e.to_string())
                }
                Err(e) => c.problem(path, "unreadable", e.to_string()),
            }
        }
        let local = self.backend().is_none();

        // Manifests: content hashes to the id, canonical form, objects present.
        let mut manifests: BTreeMap<String, Manifest> = BTreeMap::new();
        let listed_manifests = self.list_files(&layout.manifests_dir())?;
        // Read ahead in chunks, on `threads` threads (bounded memory).
        let mut chunk_bytes = Vec::new().into_iter();
        for (i, (path, name)) in listed_manifests.iter().enumerate() {
            if i % MANIFEST_CHUNK == 0 {
                let end = (i + MANIFEST_CHUNK).min(listed_manifests.len());
                chunk_bytes = read_files(self, &listed_manifests[i..end], threads).into_iter();
            }
            let read = chunk_bytes.next();
            report.manifests += 1;
            let Some(id) = name.strip_suffix(".json").filter(|id| is_sha256_hex(id)) else {
                c.problem(path, "stray_manifest", "not named <sha256>.json");
                continue;
            };
            let path = path.clone();
            let bytes = match read {
                Some(Ok(Some(b))) => b,
                Some(Ok(None)) | None => {
                    c.problem(&path, "unreadable", "removed while verifying");
                    continue;
                }
                Some(Err(e)) => {
                    c.problem(&path, "unreadable", e.to_string());
                    continue;
                }
            };
            let digest = sha256_hex(&bytes);
            if digest != id {
                c.problem(
                    &path,
                    "manifest_corrupt",
                    format!("content hashes to {digest}"),
                );
                continue;
            }
            let manifest: Manifest = match serde_json::from_slice(&bytes) {
                Ok(m) => m,
                Err(e) => {
                    c.problem(&path, "manifest_invalid", e.to_string());
                    continue;
                }
            };
            if canonical_json(&manifest).ok().as_deref() != Some(&bytes[..]) {
                c.problem(
                    &path,
                    "manifest_not_canonical",
                    "bytes are not the canonical JSON of the record",
                );
            }
            check_manifest_objects(self, &c, &path, &manifest, &object_sizes, options);
            if options.reextract.is_some() {
                report.reextracted += 1;
            }
            manifests.insert(id.to_string(), manifest);
        }
        if local {
            // Left by killed runs (the next writer removes them).
            for path in super::leftovers::temp_files(layout) {
                c.note(&path, "temporary_file", "left by an interrupted writer");
            }
        }

        // Targets: history chains, references.
        let mut listed: BTreeSet<String> = BTreeSet::new();
        for dir in self.target_dirs()? {
            let name = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if name.starts_with(TEMP_PREFIX) {
                // On a local store, noted with the other temporary files.
                if !local {
                    c.note(&dir, "temporary_file", "left by an interrupted writer");
                }
                continue;
            }
            if (local && !dir.is_dir()) || !is_target_key(&name) {
                c.problem(&dir, "stray_target", "not a target directory");
                continue;
            }
            report.targets += 1;
            check_target(self, &c, &dir, &name, &manifests, &mut listed);
        }
        report.snapshots = listed.len();
        for id in manifests.keys().filter(|id| !listed.contains(*id)) {
            if let Some(path) = layout.manifest(id) {
                c.note(
                    &path,
                    "unlisted_manifest",
                    "no target history names it (an interrupted snapshot)",
                );
            }
        }

        report.problems = c.problems.into_inner().unwrap_or_default();
        report.notes = c.notes.into_inner().unwrap_or_default();
        report.problems.sort();
        report.notes.sort();
        Ok(report)
    }
}

fn check_manifest_objects(
    store: &Store,
    c: &Collector<'_>,
    path: &Path,
    manifest: &Manifest,
    object_sizes: &BTreeMap<String, u64>,
    options: &VerifyOptions<'_>,
) {
    for (what, object) in manifest.objects() {
        match object_sizes.get(&object.sha256) {
            None => c.problem(
                path,
                "missing_object",
                format!("{what} object {} is missing or damaged", object.sha256),
            ),
            Some(&size) if size != object.size => c.problem(
                path,
                "object_size",
                format!(
                    "{what} object is {size} bytes, the manifest says {}",
                    object.size
                ),
            ),
            Some(_) => {}
        }
    }
    if object_sizes.contains_key(&manifest.document.sha256) {
        match store
            .object(&manifest.document.sha256)
            .ok()
            .and_then(|b| serde_json::from_slice::<Document>(&b).ok())
        {
            Some(doc) => {
                if doc.text_sha256() != manifest.text_sha256 {
                    c.problem(
                        path,
                        "text_hash",
                        "the document's text does not hash to text_sha256",
                    );
                }
            }
            None => c.problem(
                path,
                "document_invalid",
                "the document object is not a valid document",
            ),
        }
    }
    if let Some(reextract) = options.reextract {
        if let Ok(body) = store.object(&manifest.extracted_from().sha256) {
            match reextract(manifest, &body) {
                Ok(r) if r.sha256 == manifest.document.sha256 => {}
                // Another extractor gives another document: expected, not damage.
                Ok(r) if r.extractor_version != manifest.extractor_version => c.note(
                    path,
                    "extractor_changed",
                    format!(
                        "made by extractor {}, today {}: re-extraction gives document {}, stored {}",
                        manifest.extractor_version,
                        r.extractor_version,
                        r.sha256,
                        manifest.document.sha256
                    ),
                ),
                Ok(r) => c.problem(
                    path,
                    "reextract_differs",
                    format!(
                        "re-extraction gives document {}, stored {}",
                        r.sha256, manifest.document.sha256
                    ),
                ),
                Err(e) => c.problem(path, "reextract_failed", e),
            }
        }
    }
}

fn check_target(
    store: &Store,
    c: &Collector<'_>,
    dir: &Path,
    name: &str,
    manifests: &BTreeMap<String, Manifest>,
    listed: &mut BTreeSet<String>,
) {
    let target_path = dir.join(layout::TARGET_FILE);
    let history_path = dir.join(layout::HISTORY_FILE);
    let history_text = store
        .read(&history_path)
        .map(|b| b.map(|b| String::from_utf8_lossy(&b).into_owned()));
    // A line that is not a snapshot id is a problem of its own; the other
    // lines are checked all the same.
    let lines: Vec<(usize, Result<&str, &str>)> = match &history_text {
        Ok(Some(t)) => numbered_ids(t).collect(),
        _ => Vec::new(),
    };
    let history: Vec<(usize, String)> = lines
        .iter()
        .filter_map(|(n, l)| l.ok().map(|id| (*n, id.to_string())))
        .collect();
    let history_ids: Vec<String> = history.iter().map(|(_, id)| id.clone()).collect();
    let pinned = check_journal(store, c, &dir.join(layout::JOURNAL_FILE), &history_ids);
    // A first snapshot writes the target's files before its history: a
    // directory without a history is an interrupted first snapshot.
    if matches!(history_text, Ok(None)) {
        c.note(
            dir,
            "no_history",
            "no snapshot recorded yet (an interrupted first snapshot)",
        );
        return;
    }
    let target = match store.read(&target_path) {
        Ok(Some(t)) => String::from_utf8_lossy(&t)
            .trim_end_matches('\n')
            .to_string(),
        Ok(None) => {
            c.problem(&target_path, "unreadable", "missing");
            return;
        }
        Err(e) => {
            c.problem(&target_path, "unreadable", e.to_string());
            return;
        }
    };
    if target_key(&target) != name {
        c.problem(
            &target_path,
            "target_mismatch",
            "the directory name is not this target's key",
        );
    }
    if let Err(e) = &history_text {
        c.problem(&history_path, "unreadable", e.to_string());
        return;
    }
    for (n, line) in &lines {
        if let Err(bad) = line {
            c.problem(
                &history_path,
                "history_invalid",
                format!("line {n}: `{}` is not a snapshot id", bad.escape_debug()),
            );
        }
    }
    let mut previous: Option<&String> = None;
    for (line, id) in &history {
        listed.insert(id.clone());
        match manifests.get(id) {
            None => c.problem(
                &history_path,
                "missing_snapshot",
                format!("snapshot {id} (line {line}) is missing or damaged"),
            ),
            Some(m) => {
                if m.target != target {
                    c.problem(
                        &history_path,
                        "wrong_target",
                        format!("snapshot {id} is of {}", m.target),
                    );
                }
                if m.parent.as_ref() != previous {
                    c.problem(
                        &history_path,
                        "broken_chain",
                        format!(
                            "snapshot {id} (line {line}) has parent {}, expected {}",
                            m.parent.as_deref().unwrap_or("none"),
                            previous.map_or("none", String::as_str)
                        ),
                    );
                }
            }
        }
        previous = Some(id);
    }
    let reference_path = dir.join(layout::REFERENCE_FILE);
    let reference = match store.read(&reference_path) {
        Ok(Some(text)) => {
            let text = String::from_utf8_lossy(&text);
            let id = super::reference_id(&text);
            if !history_ids.iter().any(|h| h == id) {
                c.problem(
                    &reference_path,
                    "bad_reference",
                    format!("`{}` is not in the target's history", id.escape_debug()),
                );
            } else if pinned.as_ref().is_some_and(|p| !p.iter().any(|p| p == id)) {
                // Only a pin writes the reference, after its journal line.
                c.problem(
                    &reference_path,
                    "pin_not_in_journal",
                    format!(
                        "the reference is {}, but the journal records no pin of it \
                         (the journal, or its last lines, deleted)",
                        crate::report::short_id(id)
                    ),
                );
            }
            Some(id.to_string())
        }
        // Nothing pinned: the first snapshot is the reference.
        Ok(None) => history_ids.first().cloned(),
        Err(e) => {
            c.problem(&reference_path, "unreadable", e.to_string());
            return;
        }
    };
    // A pin writes its journal line, then the reference (see `pin`).
    let last_pin = pinned.as_ref().and_then(|p| p.last());
    if let Some(pinned) = last_pin.filter(|p| Some(*p) != reference.as_ref()) {
        c.note(
            &reference_path,
            "reference_behind_pin",
            format!(
                "the journal's last pin is {}, the reference {} (an interrupted pin: pin again)",
                crate::report::short_id(pinned),
                reference.as_deref().map_or("none", crate::report::short_id)
            ),
        );
    }
}

/// The audit journal: every line's hash, the chain, and the snapshots its
/// records name. Returns the snapshots its pins name, in order (`None`:
/// a journal that could not be read, a problem already).
fn check_journal(
    store: &Store,
    c: &Collector<'_>,
    path: &Path,
    history: &[String],
) -> Option<Vec<String>> {
    let bytes = match store.read(path) {
        Ok(Some(b)) => b,
        Ok(None) => return Some(Vec::new()),
        Err(e) => {
            c.problem(path, "unreadable", e.to_string());
            return None;
        }
    };
    let journal = match journal::parse(&bytes) {
        Ok(j) => j,
        Err(d) => {
            c.problem(path, d.kind, format!("line {}: {}", d.line, d.detail));
            return None;
        }
    };
    for (i, line) in journal.lines.iter().enumerate() {
        for id in line.entry.record.snapshots() {
            if !history.contains(id) {
                c.problem(
                    path,
                    "journal_unknown_snapshot",
                    format!(
                        "line {}: snapshot `{}` is not in the target's history",
                        i + 1,
                        id.escape_debug()
                    ),
                );
            }
        }
    }
    Some(journal.pins().iter().map(|p| p.reference.clone()).collect())
}

/// Hashing and reading threads on a shared store (each holds one object).
const SHARED_THREADS: usize = 16;
/// Manifests read ahead at once.
const MANIFEST_CHUNK: usize = 512;

/// The bytes of each file, on `threads` threads, in input order.
fn read_files(
    store: &Store,
    files: &[(PathBuf, String)],
    threads: usize,
) -> Vec<Result<Option<Vec<u8>>, StoreError>> {
    each_file(files, threads, |path, _| store.read(path))
        .into_iter()
        .map(|r| r.unwrap_or(Ok(None)))
        .collect()
}

/// sha256 and size of each file, on `threads` threads, in input order.
type Hashed = std::io::Result<(String, u64)>;

fn hash_files(store: &Store, files: &[(PathBuf, String)], threads: usize) -> Vec<Hashed> {
    each_file(files, threads, |path, buf| match store.backend() {
        // One object in memory a thread: bounded by `threads`.
        Some(_) => match store.read(path) {
            Ok(Some(bytes)) => hash_stored(path, bytes, buf),
            Ok(None) => Err(std::io::Error::other("removed while verifying")),
            Err(e) => Err(std::io::Error::other(e.to_string())),
        },
        None => hash_file(path, buf),
    })
    .into_iter()
    .map(|r| r.unwrap_or_else(|| Err(std::io::Error::other("not hashed"))))
    .collect()
}

/// `f` of each file (with a 1 MiB buffer of its thread), on `threads`
/// threads, in input order.
fn each_file<T: Send>(
    files: &[(PathBuf, String)],
    threads: usize,
    f: impl Fn(&Path, &mut [u8]) -> T + Sync,
) -> Vec<Option<T>> {
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<T>>> = files.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..threads.clamp(1, files.len().max(1)) {
            scope.spawn(|| {
                let mut buf = vec![0u8; 1 << 20];
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((path, _)) = files.get(i) else { break };
                    let r = f(path, &mut buf);
                    if let Ok(mut slot) = results[i].lock() {
                        *slot = Some(r);
                    }
                }
            });
        }
    });
    results
        .into_iter()
        .map(|m| m.into_inner().ok().flatten())
        .collect()
}

/// The sha256 and size of a file's content, decoded first if it is a
/// compressed object (whose seal is checked: see `codec`).
fn hash_file(path: &Path, buf: &mut [u8]) -> std::io::Result<(String, u64)> {
    if !is_compressed(path) {
        return hash_reader(File::open(path)?, buf);
    }
    hash_stored(path, fs::read(path)?, buf)
}

fn is_compressed(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(codec::SUFFIX))
}

/// The sha256 and size of an object's content from its stored bytes (on
/// either backend), decoded first if it is compressed.
fn hash_stored(path: &Path, stored: Vec<u8>, buf: &mut [u8]) -> std::io::Result<(String, u64)> {
    if !is_compressed(path) {
        return Ok((sha256_hex(&stored), stored.len() as u64));
    }
    let corrupt =
        |e: &dyn std::fmt::Display| std::io::Error::new(ErrorKind::InvalidData, e.to_string());
    let frame = codec::unseal(&stored).map_err(|e| corrupt(&e))?;
    let decoder = codec::decoder(frame).map_err(|e| corrupt(&e))?;
    hash_reader(decoder, buf).map_err(|e| corrupt(&format!("not a valid zstd frame: {e}")))
}

fn hash_reader(mut file: impl Read, buf: &mut [u8]) -> std::io::Result<(String, u64)> {
    let mut hasher = Hasher::new();
    let mut size = 0u64;
    loop {
        let n = file.read(buf)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((hasher.finish_hex(), size))
}
