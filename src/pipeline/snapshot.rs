//! Taking snapshots: fetch → extract → store, for one or many sources.
//! `stet snapshot` is this alone; `stet audit` starts with it.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use futures_util::stream::{self, StreamExt};

use crate::config::{Config, SnapshotOptions};
use crate::digest::{canonical_json, sha256_hex};
use crate::error::Error;
use crate::extract::{extract, ExtractError, ExtractOptions};
use crate::fetch::{FetchError, Fetched, Fetcher, Validators};
use crate::model::{
    Document, ExtractSettings, FetchFacts, Manifest, Outcome, SnapshotRow, SnapshotRun, Tool,
    SCHEMA_VERSION,
};
use crate::store::{LastCheck, Store, StoreError, Writer};
use crate::target::Target;

/// `stet snapshot SOURCE...`: snapshot every source (`as_target`: record
/// the one source under another target). Each row goes to `sink` as soon as
/// it is stored, so memory does not grow with the number of sources.
pub fn snapshot(
    config: &Config,
    sources: &[String],
    as_target: Option<&str>,
    extract: Option<&ExtractSettings>,
    options: &SnapshotOptions,
    mut sink: impl FnMut(SnapshotRow),
) -> Result<SnapshotRun, Error> {
    let as_target = as_target.map(Target::parse).transpose()?;
    if as_target.is_some() && sources.len() != 1 {
        return Err(Error::Usage("--as takes exactly one SOURCE".to_string()));
    }
    let mut jobs = Vec::with_capacity(sources.len());
    let mut failed_early = Vec::new();
    for s in sources {
        let failed = |error: String, reason: &str| SnapshotRow {
            target: s.clone(),
            source: s.clone(),
            outcome: Outcome::Failed {
                error,
                reason: reason.to_string(),
            },
        };
        match Target::parse(s) {
            Ok(source) if config.offline && !source.is_file() => {
                failed_early.push(failed(format!("{s}: not fetched (--offline)"), "offline"));
            }
            Ok(source) => {
                let target = as_target.clone().unwrap_or_else(|| source.clone());
                let extract = super::settings_for(config, &target, extract);
                let credentials = match config.target_settings(&target) {
                    Some(t) => t.request.credentials(&target_label(t))?,
                    None => None,
                };
                jobs.push(Job {
                    target,
                    source,
                    extract,
                    credentials,
                })
            }
            Err(e) => failed_early.push(failed(e.to_string(), "invalid_source")),
        }
    }
    let mut summary = SnapshotRun::default();
    let mut emit = |row: SnapshotRow| {
        summary.rows += 1;
        if matches!(row.outcome, Outcome::Failed { .. }) {
            summary.failed += 1;
        }
        sink(row);
    };
    failed_early.into_iter().for_each(&mut emit);
    if !jobs.is_empty() {
        let store = Store::open_or_create(&config.store)?;
        super::runtime(super::Threads::Many)?.block_on(run(&store, &jobs, options, &mut emit))?;
    }
    Ok(summary)
}

/// One source to snapshot: where to fetch from, and which target the
/// snapshot is recorded under (the same unless imported with `--as`).
#[derive(Debug, Clone)]
pub struct Job {
    pub source: Target,
    pub target: Target,
    /// The target's extraction settings (`selector`, `ignore`).
    pub extract: ExtractSettings,
    /// The target's own headers and cookies, sent with its page fetch.
    pub credentials: Option<Arc<crate::fetch::Credentials>>,
}

/// How a configured target is named in an error: its name, else its source.
pub(crate) fn target_label(t: &crate::config::file::TargetConfig) -> String {
    t.name.clone().unwrap_or_else(|| t.target.to_string())
}

impl Job {
    pub fn of(source: Target) -> Job {
        Job {
            target: source.clone(),
            source,
            extract: ExtractSettings::default(),
            credentials: None,
        }
    }
}

/// Errors that stop a whole run (per-source failures are [`Outcome::Failed`]).
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Fetch(#[from] FetchError),
}

impl From<SnapshotError> for Error {
    fn from(e: SnapshotError) -> Self {
        match e {
            SnapshotError::Store(e) => Error::Store(e),
            SnapshotError::Fetch(e) => Error::Fetch(e),
        }
    }
}

/// The fetches of one host: concurrency slots and their start times.
struct HostTurns {
    slots: tokio::sync::Semaphore,
    pace: crate::fetch::pace::Pace,
}

impl HostTurns {
    fn new(slots: usize) -> Self {
        HostTurns {
            slots: tokio::sync::Semaphore::new(slots.max(1)),
            pace: crate::fetch::pace::Pace::new(),
        }
    }

    /// A slot, then the next start time (`interval` after the previous
    /// one), slept until.
    async fn wait(&self, interval: Duration) -> Option<tokio::sync::SemaphorePermit<'_>> {
        let permit = self.slots.acquire().await.ok();
        if !interval.is_zero() {
            tokio::time::sleep_until(self.pace.reserve(interval).into()).await;
        }
        permit
    }
}

/// Fetch every job (up to `concurrency` at once), extract, and store the
/// results in input order, holding the store lock for the whole run. Each
/// result goes to `sink` as soon as it is stored, so memory does not grow
/// with the number of jobs.
pub async fn run(
    store: &Store,
    jobs: &[Job],
    options: &SnapshotOptions,
    mut sink: impl FnMut(SnapshotRow),
) -> Result<(), SnapshotError> {
    let writer = store.writer(options.lock_timeout)?;
    let fetcher = Fetcher::new(options.fetch.clone())?;
    // One history is written by one job at a time (a target may be listed twice).
    let mut target_locks: HashMap<String, Arc<tokio::sync::Mutex<()>>> = HashMap::new();
    for job in jobs {
        target_locks.entry(job.target.to_string()).or_default();
    }
    let target_locks = &target_locks;
    // Politeness: at most `host_concurrency` fetches to one host at once,
    // their starts `host_interval` apart.
    let mut host_limits: HashMap<String, Arc<HostTurns>> = HashMap::new();
    for job in jobs {
        if let Target::Url(url) = &job.source {
            host_limits
                .entry(url.host_str().unwrap_or_default().to_string())
                .or_insert_with(|| Arc::new(HostTurns::new(options.host_concurrency)));
        }
    }
    let host_limits = &host_limits;
    let mut pending = stream::iter(jobs.iter().map(|job| {
        let fetcher = &fetcher;
        let writer = writer.clone();
        async move {
            let target = job.target.to_string();
            let guard = match target_locks.get(&target) {
                Some(lock) => Some(lock.lock().await),
                None => None,
            };
            let latest = latest_manifest(writer.store(), &job.target);
            let validators = match (&latest, options.conditional) {
                (Ok(Some(m)), true) => validators_of(m),
                _ => None,
            };
            let host = match &job.source {
                Target::Url(url) => host_limits.get(url.host_str().unwrap_or_default()),
                Target::File(_) => None,
            };
            let permit = match host {
                Some(turns) => turns.wait(options.host_interval).await,
                None => None,
            };
            let fetched = fetcher
                .fetch_with(&job.source, validators.as_ref(), job.credentials.as_deref())
                .await;
            drop(permit);
            let outcome = match fetched {
                Ok(fetched) => match prepare(fetched, job.extract.clone()).await {
                    Ok(p) => {
                        let outcome = store_prepared(
                            writer.clone(),
                            job.target.clone(),
                            p,
                            options.evidence.signer.clone(),
                        )
                        .await;
                        match (&outcome, &options.evidence.tsa) {
                            (Outcome::New { id, .. }, Some(tsa)) => {
                                match crate::evidence::seal::timestamp_manifest(
                                    &writer,
                                    tsa,
                                    id,
                                    &options.fetch,
                                )
                                .await
                                {
                                    Ok(_) => outcome,
                                    Err(e) => Outcome::Failed {
                                        error: format!(
                                            "snapshot {} is stored, but not timestamped: {e}",
                                            &id[..12]
                                        ),
                                        reason: "timestamp".to_string(),
                                    },
                                }
                            }
                            _ => outcome,
                        }
                    }
                    Err(e) => failed(&e),
                },
                Err(e) => failed(&e),
            };
            drop(guard);
            SnapshotRow {
                target,
                source: job.source.to_string(),
                outcome,
            }
        }
    }))
    .buffered(options.concurrency.max(1));
    while let Some(result) = pending.next().await {
        sink(result);
    }
    Ok(())
}

fn failed(e: &FetchError) -> Outcome {
    if let FetchError::Robots { .. } = e {
        return Outcome::Skipped {
            detail: e.to_string(),
            reason: e.reason().to_string(),
        };
    }
    Outcome::Failed {
        error: e.to_string(),
        reason: e.reason().to_string(),
    }
}

/// Store on a blocking thread, so that the fsyncs of several jobs overlap;
/// sign a new snapshot when a key is set.
async fn store_prepared(
    writer: Writer,
    target: Target,
    p: Prepared,
    signer: Option<Arc<crate::evidence::Signer>>,
) -> Outcome {
    let stored = tokio::task::spawn_blocking(move || {
        let outcome = record(&writer, &target, p)?;
        if let (Outcome::New { id, manifest }, Some(signer)) = (&outcome, signer) {
            if let Err(e) = crate::evidence::seal::sign_manifest(&writer, &signer, id, manifest) {
                return Ok(Outcome::Failed {
                    error: format!("snapshot {} is stored, but not signed: {e}", &id[..12]),
                    reason: "sign".to_string(),
                });
            }
        }
        Ok::<_, StoreError>(outcome)
    })
    .await;
    match stored {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(e)) => Outcome::Failed {
            error: e.to_string(),
            reason: "store".to_string(),
        },
        Err(e) => Outcome::Failed {
            error: format!("storing failed: {e}"),
            reason: "store".to_string(),
        },
    }
}

/// A fetched page with its document, ready to store.
struct Prepared {
    fetched: Fetched,
    document: Document,
    document_bytes: Vec<u8>,
    settings: ExtractSettings,
}

async fn prepare(fetched: Fetched, settings: ExtractSettings) -> Result<Prepared, FetchError> {
    if fetched.not_modified() {
        return Ok(Prepared {
            fetched,
            document: Document::default(),
            document_bytes: Vec::new(),
            settings,
        });
    }
    // Extraction is CPU work: keep it off the I/O threads.
    tokio::task::spawn_blocking(move || {
        let document = document_for(&fetched.body, &fetched.facts, &settings).map_err(|e| {
            FetchError::Extract {
                url: fetched.facts.final_url.clone(),
                detail: e.to_string(),
            }
        })?;
        let document_bytes = canonical_json(&document).map_err(|e| FetchError::Protocol {
            url: fetched.facts.final_url.clone(),
            detail: format!("could not encode the document: {e}"),
        })?;
        Ok(Prepared {
            fetched,
            document,
            document_bytes,
            settings,
        })
    })
    .await
    .map_err(|e| FetchError::Client(format!("extraction task failed: {e}")))?
}

/// The document of a fetched page: the one place extraction is called, so
/// that `verify --reextract` repeats exactly what `snapshot` did.
pub fn document_for(
    body: &[u8],
    facts: &FetchFacts,
    settings: &ExtractSettings,
) -> Result<Document, ExtractError> {
    // Relative file URLs (`file:fixtures/a.html`) become absolute ones rooted
    // at `/`, so that links resolve the same way in every checkout.
    let base = url::Url::parse(&facts.final_url)
        .map(String::from)
        .unwrap_or_else(|_| facts.final_url.clone());
    extract(
        body,
        facts.headers.get("content-type").map(String::as_str),
        &base,
        &ExtractOptions::from(settings),
    )
}

fn latest_manifest(store: &Store, target: &Target) -> Result<Option<Manifest>, StoreError> {
    match store.latest(&target.to_string())? {
        Some(id) => store.manifest(&id).map(Some),
        None => Ok(None),
    }
}

fn validators_of(manifest: &Manifest) -> Option<Validators> {
    let v = Validators {
        etag: manifest.fetch.headers.get("etag").cloned(),
        last_modified: manifest.fetch.headers.get("last-modified").cloned(),
    };
    (!v.is_empty()).then_some(v)
}

/// Store a prepared fetch under `target`, or record that nothing changed.
fn record(writer: &Writer, target: &Target, p: Prepared) -> Result<Outcome, StoreError> {
    let store = writer.store();
    let target_text = target.to_string();
    let latest_id = store.latest(&target_text)?;
    let latest = match &latest_id {
        Some(id) => Some(store.manifest(id)?),
        None => None,
    };
    let facts = &p.fetched.facts;
    if let (Some(id), Some(latest)) = (&latest_id, &latest) {
        let not_modified = p.fetched.not_modified();
        let same = not_modified
            || (latest.body.sha256 == sha256_hex(&p.fetched.body)
                && latest.fetch.status == facts.status
                && latest.fetch.final_url == facts.final_url
                && latest.document.sha256 == sha256_hex(&p.document_bytes));
        if same {
            writer.record_check(
                &target_text,
                &LastCheck {
                    schema_version: SCHEMA_VERSION,
                    checked_at: facts.fetched_at.clone(),
                    status: facts.status,
                    outcome: if not_modified {
                        "not_modified"
                    } else {
                        "unchanged"
                    }
                    .to_string(),
                    snapshot: id.clone(),
                },
            )?;
            return Ok(Outcome::Unchanged {
                id: id.clone(),
                manifest: Box::new(latest.clone()),
                not_modified,
            });
        }
    } else if p.fetched.not_modified() {
        return Err(StoreError::Corrupt {
            path: store.root().to_path_buf(),
            detail: format!("{target_text} answered 304 but the store has no snapshot of it"),
        });
    }
    let body = writer.put_object(&p.fetched.body)?;
    let document = writer.put_object(&p.document_bytes)?;
    let manifest = Manifest {
        schema_version: SCHEMA_VERSION,
        target: target_text,
        fetch: p.fetched.facts,
        body,
        document,
        text_sha256: p.document.text_sha256(),
        tool: Tool::current(),
        extractor_version: p.document.extractor_version.clone(),
        extract: p.settings,
        parent: latest_id,
    };
    let id = writer.commit_snapshot(&manifest)?;
    Ok(Outcome::New {
        id,
        manifest: Box::new(manifest),
    })
}
