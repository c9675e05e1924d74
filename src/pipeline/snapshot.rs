//! Taking snapshots: fetch → extract → store, for one or many sources.
//! `stet snapshot` is this alone; `stet audit` starts with it.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use futures_util::stream::{self, StreamExt};

use crate::config::{Config, SnapshotOptions};
use crate::digest::{canonical_json, sha256_hex};
use crate::error::Error;
use crate::extract::{extract, ExtractError, ExtractOptions, EXTRACTOR_VERSION};
use crate::fetch::render::{RenderSpec, RenderedPage, Renderer};
use crate::fetch::{FetchError, Fetched, Fetcher, Validators};
use crate::model::{
    Document, Exchange, ExtractSettings, FetchFacts, Manifest, ObjectRef, Outcome, RenderWait,
    Rendered, ScreenshotRef, SnapshotRow, SnapshotRun, Tool, SCHEMA_VERSION,
};
use crate::store::{LastCheck, NewSnapshot, Recorded, Store, StoreError, Writer};
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
                let settings = config.target_settings(&target);
                // A stet.toml `path` target is read where the file is.
                let read = settings
                    .and_then(|t| t.read.clone())
                    .filter(|_| as_target.is_none());
                let credentials = match settings {
                    Some(t) => t.request.credentials(&target_label(t))?,
                    None => None,
                };
                let (render, robots) = fetch_settings(settings.map(|t| &t.fetch), &options.fetch);
                jobs.push(Job {
                    target,
                    source,
                    read,
                    extract,
                    credentials,
                    render,
                    robots,
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
        let store = Store::at_or_create(&config.store)?;
        super::runtime(super::Threads::Many)?.block_on(run(&store, jobs, options, &mut emit))?;
    }
    Ok(summary)
}

/// One source to snapshot: where to fetch from, and which target the
/// snapshot is recorded under (the same unless imported with `--as`).
#[derive(Debug, Clone)]
pub struct Job {
    pub source: Target,
    pub target: Target,
    /// Where a file `source` is read, when not at its path from the
    /// current directory (a stet.toml `path` target, stet.toml given from
    /// another directory); recorded as `source` all the same.
    pub read: Option<std::path::PathBuf>,
    /// The target's extraction settings (`selector`, `ignore`).
    pub extract: ExtractSettings,
    /// The target's own headers and cookies, sent with its page fetch.
    pub credentials: Option<Arc<crate::fetch::Credentials>>,
    /// Render the page in the browser too (`render = true`, `--render`).
    pub render: Option<RenderSpec>,
    /// The target's own `ignore_robots` (`Some(false)`: robots.txt ignored).
    pub robots: Option<bool>,
}

/// A target's rendering and robots.txt settings: its own (from stet.toml)
/// over the run's.
pub(crate) fn fetch_settings(
    t: Option<&crate::config::file::TargetFetch>,
    fetch: &crate::fetch::FetchOptions,
) -> (Option<RenderSpec>, Option<bool>) {
    let render = fetch.render.spec(
        t.and_then(|t| t.render),
        t.and_then(|t| t.screenshot),
        t.and_then(|t| t.render_timeout),
    );
    (
        render,
        t.and_then(|t| t.ignore_robots).map(|ignore| !ignore),
    )
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
            read: None,
            extract: ExtractSettings::default(),
            credentials: None,
            render: None,
            robots: None,
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

/// The targets held by the jobs in flight, each by one job at a time: a
/// target listed twice is fetched again only once its first result is
/// committed. Only targets in flight have an entry.
#[derive(Default)]
struct Holds(std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>);

/// A job's hold on its target, let go when dropped (once committed).
struct Hold {
    guard: Option<tokio::sync::OwnedMutexGuard<()>>,
    target: String,
    holds: Arc<Holds>,
}

impl Holds {
    /// Wait until no other job holds `target`, and hold it.
    async fn hold(holds: &Arc<Holds>, target: &str) -> Hold {
        let lock = holds
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(target.to_string())
            .or_default()
            .clone();
        Hold {
            guard: Some(lock.lock_owned().await),
            target: target.to_string(),
            holds: holds.clone(),
        }
    }
}

impl Drop for Hold {
    fn drop(&mut self) {
        drop(self.guard.take());
        let mut map = self
            .holds
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Entries are cloned under this lock: a count of one is the map's
        // own, so no job holds or waits for the target.
        if map
            .get(&self.target)
            .is_some_and(|lock| Arc::strong_count(lock) == 1)
        {
            map.remove(&self.target);
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

/// Most snapshots committed together (one group commit: three flushes).
const GROUP_MAX: usize = 64;

/// Fetch every job (up to `concurrency` at once), extract, and store the
/// results in input order, holding the store lock for the whole run. New
/// snapshots are committed in groups (whatever is ready while the previous
/// group commits), and each row goes to `sink` once its snapshot is
/// durable, so a printed `new` row is never lost. Jobs are taken from
/// `jobs` as they start: memory does not grow with the number of jobs.
pub async fn run(
    store: &Store,
    jobs: impl IntoIterator<Item = Job>,
    options: &SnapshotOptions,
    sink: impl FnMut(SnapshotRow),
) -> Result<(), SnapshotError> {
    let writer = store.writer(options.lock_timeout)?;
    run_locked(&writer, jobs, options, sink).await
}

/// [`run`], under a store lock the caller holds (an audit records its
/// journals under the same lock while the snapshot runs).
pub async fn run_locked(
    writer: &Writer,
    jobs: impl IntoIterator<Item = Job>,
    options: &SnapshotOptions,
    mut sink: impl FnMut(SnapshotRow),
) -> Result<(), SnapshotError> {
    let store = writer.store();
    let fetcher = Fetcher::new(options.fetch.clone())?;
    // One browser for the run, started by the first page to render.
    let browser = Browser::new(&options.fetch);
    // One history is written by one job at a time (a target may be listed
    // twice): a job holds its target until its result is committed.
    let holds = Arc::new(Holds::default());
    let holds = &holds;
    // Politeness: at most `host_concurrency` fetches to one host at once,
    // their starts `host_interval` apart.
    let host_limits: std::sync::Mutex<HashMap<String, Arc<HostTurns>>> = Default::default();
    let host_limits = &host_limits;
    let result: Result<(), SnapshotError> = async {
        let ready = stream::iter(jobs.into_iter().map(|job| {
            let fetcher = &fetcher;
            let browser = &browser;
            let store = writer.store().clone();
            async move {
                let target = job.target.to_string();
                let guard = Holds::hold(holds, &target).await;
                // A rendered page is rendered anew whatever the server says of the raw one.
                let conditional = options.conditional && job.render.is_none();
                // A shared store answers over the network: off the I/O threads.
                let latest = match store.backend() {
                    Some(_) => {
                        let (store, target) = (store.clone(), job.target.clone());
                        let url = store.root().display().to_string();
                        tokio::task::spawn_blocking(move || {
                            latest_manifest(&store, &target, conditional)
                        })
                        .await
                        .unwrap_or_else(|e| {
                            Err(StoreError::Remote {
                                url,
                                detail: format!("read task failed: {e}"),
                            })
                        })
                    }
                    None => latest_manifest(&store, &job.target, conditional),
                };
                let validators = match &latest {
                    Ok(Some((_, _, v))) => v.clone(),
                    _ => None,
                };
                let latest = latest.map(|l| l.map(|(id, m, _)| (id, m)));
                let host = match &job.source {
                    Target::Url(url) => Some(
                        host_limits
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .entry(url.host_str().unwrap_or_default().to_string())
                            .or_insert_with(|| Arc::new(HostTurns::new(options.host_concurrency)))
                            .clone(),
                    ),
                    Target::File(_) => None,
                };
                let permit = match &host {
                    Some(turns) => turns.wait(options.host_interval).await,
                    None => None,
                };
                let fetched = match (&job.read, &job.source) {
                    (Some(read), Target::File(recorded)) => fetcher.read_file_as(read, recorded),
                    _ => {
                        fetcher
                            .fetch_for(
                                &job.source,
                                validators.as_ref(),
                                job.credentials.as_deref(),
                                job.robots,
                            )
                            .await
                    }
                };
                let fetched = match (fetched, &job.render, &job.source) {
                    (Ok(fetched), Some(spec), Target::Url(url)) => browser
                        .render(url, spec, job.credentials.as_deref())
                        .await
                        .map(|page| (fetched, Some(page))),
                    (fetched, ..) => fetched.map(|f| (f, None)),
                };
                drop(permit);
                let step = match (fetched, latest) {
                    (Ok((fetched, rendered)), Ok(latest)) => {
                        let (target, settings) = (job.target.clone(), job.extract.clone());
                        let sent = validators.clone();
                        // Extraction is CPU work: keep it off the I/O threads.
                        tokio::task::spawn_blocking(move || {
                            decide(&target, fetched, rendered, settings, latest, sent)
                        })
                        .await
                        .unwrap_or_else(|e| {
                            Step::Failed(failed_store(format!("extraction task failed: {e}")))
                        })
                    }
                    (Err(e), _) => Step::Failed(failed(&e)),
                    (_, Err(e)) => Step::Failed(failed_store(e.to_string())),
                };
                Ready {
                    row: SnapshotRow {
                        target,
                        source: job.source.to_string(),
                        outcome: Outcome::Failed {
                            error: String::new(),
                            reason: String::new(),
                        },
                    },
                    step,
                    _guard: guard,
                }
            }
        }))
        .buffered(options.concurrency.max(1))
        .ready_chunks(GROUP_MAX);
        let mut ready = std::pin::pin!(ready);
        let mut waiting: Vec<Ready> = Vec::new();
        let mut committing: Option<tokio::task::JoinHandle<Vec<SnapshotRow>>> = None;
        let mut fetching = true;
        loop {
            if committing.is_none() && !waiting.is_empty() {
                let group = std::mem::take(&mut waiting);
                let writer = writer.clone();
                let signer = options.evidence.signer.clone();
                committing = Some(tokio::task::spawn_blocking(move || {
                    commit(&writer, group, signer.as_deref())
                }));
            }
            let Some(handle) = committing.as_mut() else {
                if !fetching {
                    break;
                }
                match ready.next().await {
                    Some(group) => waiting.extend(group),
                    None => fetching = false,
                }
                continue;
            };
            tokio::select! {
                rows = handle => {
                    committing = None;
                    match rows {
                        Ok(rows) => {
                            for row in rows {
                                sink(timestamp(writer, row, options).await);
                            }
                        }
                        Err(e) => return Err(SnapshotError::Store(StoreError::Io {
                            path: store.root().to_path_buf(),
                            source: std::io::Error::other(format!("storing failed: {e}")),
                        })),
                    }
                }
                // At most about two groups wait: fetching pauses behind a slow disk.
                group = ready.next(), if fetching && waiting.len() < GROUP_MAX => match group {
                    Some(group) => waiting.extend(group),
                    None => fetching = false,
                },
            }
        }
        Ok(())
    }
    .await;
    browser.close().await;
    result
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

/// Ask the timestamp authority (when one is set) for a token over a new,
/// committed snapshot; a refusal leaves the snapshot stored and says so.
async fn timestamp(
    writer: &Writer,
    mut row: SnapshotRow,
    options: &SnapshotOptions,
) -> SnapshotRow {
    if let (Outcome::New { id, .. }, Some(tsa)) = (&row.outcome, &options.evidence.tsa) {
        if let Err(e) =
            crate::evidence::seal::timestamp_manifest(writer, tsa, id, &options.fetch).await
        {
            row.outcome = Outcome::Failed {
                error: format!(
                    "snapshot {} is stored, but not timestamped: {e}",
                    id.get(..12).unwrap_or(id)
                ),
                reason: "timestamp".to_string(),
            };
        }
    }
    row
}

fn failed_store(error: String) -> Outcome {
    Outcome::Failed {
        error,
        reason: "store".to_string(),
    }
}

/// A job done fetching, waiting to be committed (holding its target).
struct Ready {
    /// The row, its outcome filled in by [`commit`].
    row: SnapshotRow,
    step: Step,
    _guard: Hold,
}

/// What a fetch leads to.
enum Step {
    /// Nothing new: record the check (a hint, not synced).
    Unchanged {
        id: String,
        manifest: Box<Manifest>,
        check: LastCheck,
        not_modified: bool,
    },
    New(Box<NewSnapshot>),
    Failed(Outcome),
}

/// Commit a group of fetched jobs: the new snapshots together, then the
/// checks of the unchanged ones; sign the new ones when a key is set.
/// Returns their rows, in order.
fn commit(
    writer: &Writer,
    group: Vec<Ready>,
    signer: Option<&crate::evidence::Signer>,
) -> Vec<SnapshotRow> {
    // Targets stay held until their results are committed.
    let mut guards = Vec::with_capacity(group.len());
    let mut new = Vec::new();
    let steps: Vec<(SnapshotRow, Option<Step>)> = group
        .into_iter()
        .map(|ready| {
            guards.push(ready._guard);
            match ready.step {
                Step::New(snapshot) => {
                    new.push(*snapshot);
                    (ready.row, None)
                }
                step => (ready.row, Some(step)),
            }
        })
        .collect();
    // A group that fails (a full disk) is retried one snapshot at a time,
    // so those that fit are stored.
    let ids: Vec<Result<Recorded, String>> = match writer.commit_group(&new) {
        Ok(ids) => ids.into_iter().map(Ok).collect(),
        Err(e) if new.len() < 2 => vec![Err(e.to_string())],
        Err(_) => new
            .iter()
            .map(|one| match writer.commit_group(std::slice::from_ref(one)) {
                Ok(mut ids) => ids
                    .pop()
                    .ok_or_else(|| "snapshot not committed".to_string()),
                Err(e) => Err(e.to_string()),
            })
            .collect(),
    };
    let mut ids = ids.into_iter();
    let mut new = new.into_iter();
    let rows = steps
        .into_iter()
        .map(|(mut row, step)| {
            row.outcome = match step {
                Some(Step::Failed(outcome)) => outcome,
                Some(Step::Unchanged {
                    id,
                    manifest,
                    check,
                    not_modified,
                }) => match writer.record_check(&row.target, &check) {
                    Ok(()) => Outcome::Unchanged {
                        id,
                        manifest,
                        not_modified,
                    },
                    Err(e) => failed_store(e.to_string()),
                },
                Some(Step::New(_)) | None => match (ids.next(), new.next()) {
                    // On a shared store another worker may have stored the
                    // same response first (see `store::shared`).
                    (
                        Some(Ok(Recorded {
                            id,
                            by_another: true,
                        })),
                        Some(_),
                    ) => match writer.store().manifest(&id) {
                        Ok(manifest) => Outcome::Unchanged {
                            id,
                            manifest: Box::new(manifest),
                            not_modified: false,
                        },
                        Err(e) => failed_store(e.to_string()),
                    },
                    (Some(Ok(Recorded { id, .. })), Some(snapshot)) => match signer.map(|s| {
                        crate::evidence::seal::sign_manifest(writer, s, &id, &snapshot.manifest)
                    }) {
                        Some(Err(e)) => Outcome::Failed {
                            error: format!(
                                "snapshot {} is stored, but not signed: {e}",
                                id.get(..12).unwrap_or(&id)
                            ),
                            reason: "sign".to_string(),
                        },
                        _ => Outcome::New {
                            manifest: Box::new(recorded(writer, &id, snapshot.manifest)),
                            id,
                        },
                    },
                    (Some(Err(e)), _) => failed_store(e),
                    _ => failed_store("snapshot not committed".to_string()),
                },
            };
            row
        })
        .collect();
    drop(guards);
    rows
}

/// The manifest stored under `id`: on a shared store, `manifest`
/// re-parented when another worker's snapshot of the target came first.
fn recorded(writer: &Writer, id: &str, manifest: Manifest) -> Manifest {
    match writer.store().backend() {
        Some(_) => writer.store().manifest(id).unwrap_or(manifest),
        None => manifest,
    }
}

/// Decide what a fetch means for `target` given its latest snapshot:
/// nothing new (without extracting when the page is byte-identical and
/// would be extracted the same way), or a new snapshot to commit.
fn decide(
    target: &Target,
    fetched: Fetched,
    rendered: Option<RenderedPage>,
    settings: ExtractSettings,
    latest: Option<(String, Manifest)>,
    sent: Option<Validators>,
) -> Step {
    let facts = &fetched.facts;
    // The validators of this answer; a 304 that does not repeat them
    // confirms the ones sent.
    let seen = validators_in(&facts.headers).unwrap_or_default();
    let validators = match sent.filter(|_| fetched.not_modified()) {
        Some(sent) => Validators {
            etag: seen.etag.or(sent.etag),
            last_modified: seen.last_modified.or(sent.last_modified),
        },
        None => seen,
    };
    let check = |id: &str, not_modified: bool| LastCheck {
        schema_version: SCHEMA_VERSION,
        checked_at: facts.fetched_at.clone(),
        status: facts.status,
        outcome: if not_modified {
            "not_modified"
        } else {
            "unchanged"
        }
        .to_string(),
        snapshot: id.to_string(),
        etag: validators.etag.clone(),
        last_modified: validators.last_modified.clone(),
    };
    let unchanged = |id: &String, manifest: &Manifest, not_modified: bool| Step::Unchanged {
        check: check(id, not_modified),
        id: id.clone(),
        manifest: Box::new(manifest.clone()),
        not_modified,
    };
    let body_sha = sha256_hex(&fetched.body);
    let dom_sha = rendered.as_ref().map(|r| sha256_hex(&r.dom));
    let same_fetch = |m: &Manifest| {
        m.body.sha256 == body_sha
            && m.fetch.status == facts.status
            && m.fetch.final_url == facts.final_url
            && m.rendered.as_ref().map(|r| &r.dom.sha256) == dom_sha.as_ref()
    };
    match &latest {
        Some((id, m)) if fetched.not_modified() => return unchanged(id, m, true),
        Some((id, m))
            if same_fetch(m)
                && m.extractor_version == EXTRACTOR_VERSION
                && m.extract == settings
                && m.fetch.headers.get("content-type") == facts.headers.get("content-type") =>
        {
            return unchanged(id, m, false)
        }
        None if fetched.not_modified() => {
            return Step::Failed(failed_store(format!(
                "{target} answered 304 but the store has no snapshot of it"
            )))
        }
        _ => {}
    }
    let document = match &rendered {
        Some(r) => document_for_rendered(&r.dom, &r.final_url, &settings),
        None => document_for(&fetched.body, facts, &target.to_string(), &settings),
    };
    let document = match document {
        Ok(d) => d,
        Err(e) => {
            return Step::Failed(failed(&FetchError::Extract {
                url: facts.final_url.clone(),
                detail: e.to_string(),
            }))
        }
    };
    let document_bytes = match canonical_json(&document) {
        Ok(b) => b,
        Err(e) => {
            return Step::Failed(failed(&FetchError::Protocol {
                url: facts.final_url.clone(),
                detail: format!("could not encode the document: {e}"),
            }))
        }
    };
    let document_sha = sha256_hex(&document_bytes);
    if let Some((id, m)) = &latest {
        if same_fetch(m) && m.document.sha256 == document_sha {
            return unchanged(id, m, false);
        }
    }
    let body = ObjectRef {
        sha256: body_sha,
        size: fetched.body.len() as u64,
    };
    let document_ref = ObjectRef {
        sha256: document_sha,
        size: document_bytes.len() as u64,
    };
    let mut objects = Vec::with_capacity(5);
    let mut put = |bytes: Vec<u8>| {
        let r = ObjectRef {
            sha256: sha256_hex(&bytes),
            size: bytes.len() as u64,
        };
        objects.push((r.clone(), bytes));
        r
    };
    let exchange = fetched.captured.map(|c| Exchange {
        http_version: c.http_version,
        request_head: Some(put(c.request_head)),
        response_head: put(c.response_head),
        encoded_body: c.encoded_body.map(&mut put),
        notes: c.notes,
    });
    let rendered = rendered.map(|r| Rendered {
        browser: r.browser,
        final_url: r.final_url,
        wait: RenderWait {
            idle_ms: r.idle_ms,
            timeout_ms: r.timeout_ms,
            settled: r.settled,
        },
        dom: put(r.dom),
        screenshot: r.screenshot.map(|s| ScreenshotRef {
            object: put(s.png),
            width: s.width,
            height: s.height,
            full_page: s.full_page,
        }),
    });
    let manifest = Manifest {
        schema_version: SCHEMA_VERSION,
        target: target.to_string(),
        text_sha256: document.text_sha256(),
        tool: Tool::current(),
        extractor_version: document.extractor_version.clone(),
        extract: settings,
        parent: latest.map(|(id, _)| id),
        body: body.clone(),
        document: document_ref.clone(),
        fetch: fetched.facts,
        exchange,
        origin: None,
        rendered,
    };
    objects.push((body, fetched.body));
    objects.push((document_ref, document_bytes));
    Step::New(Box::new(NewSnapshot { objects, manifest }))
}

/// The document of a fetched page, recorded as a version of `target`: the
/// one place extraction is called, so that `verify --reextract` repeats
/// exactly what `snapshot` did.
pub fn document_for(
    body: &[u8],
    facts: &FetchFacts,
    target: &str,
    settings: &ExtractSettings,
) -> Result<Document, ExtractError> {
    let base = base_url(&facts.final_url, target);
    extract(
        body,
        facts.headers.get("content-type").map(String::as_str),
        &base,
        &ExtractOptions::from(settings),
    )
}

/// The address a page's relative links resolve against. A saved copy of a
/// web page imported as a version of it (`snapshot --as URL FILE`) links
/// where the page does, not beside the file: the same copy imported from
/// two directories is the same page. Relative file URLs
/// (`file:fixtures/a.html`) become absolute ones rooted at `/`, so that
/// links resolve the same way in every checkout.
fn base_url(final_url: &str, target: &str) -> String {
    let web = |u: &str| {
        url::Url::parse(u)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
    };
    match url::Url::parse(final_url) {
        Ok(u) if u.scheme() == "file" => web(target).map_or_else(|| String::from(u), String::from),
        Ok(u) => String::from(u),
        Err(_) => final_url.to_string(),
    }
}

/// The document of a page rendered in a browser: its DOM is UTF-8 HTML,
/// its links resolve against where the tab ended.
pub fn document_for_rendered(
    dom: &[u8],
    final_url: &str,
    settings: &ExtractSettings,
) -> Result<Document, ExtractError> {
    extract(
        dom,
        Some("text/html; charset=utf-8"),
        final_url,
        &ExtractOptions::from(settings),
    )
}

/// The document a stored snapshot's source gives today with `settings`
/// (`source`: the bytes of [`Manifest::extracted_from`]).
pub fn document_of_stored(
    manifest: &Manifest,
    source: &[u8],
    settings: &ExtractSettings,
) -> Result<Document, ExtractError> {
    match &manifest.rendered {
        Some(r) => document_for_rendered(source, &r.final_url, settings),
        None => document_for(source, &manifest.fetch, &manifest.target, settings),
    }
}

/// The run's browser: started by the first page that needs it, closed
/// (and its profile removed) at the end of the run, or when dropped.
pub(crate) struct Browser {
    options: crate::fetch::render::RenderOptions,
    user_agent: String,
    started: tokio::sync::OnceCell<Result<Renderer, String>>,
}

impl Browser {
    pub(crate) fn new(fetch: &crate::fetch::FetchOptions) -> Self {
        Browser {
            options: fetch.render.clone(),
            user_agent: fetch.user_agent.clone(),
            started: tokio::sync::OnceCell::new(),
        }
    }

    /// Render one page; a browser that cannot start fails every page.
    pub(crate) async fn render(
        &self,
        url: &url::Url,
        spec: &RenderSpec,
        credentials: Option<&crate::fetch::Credentials>,
    ) -> Result<RenderedPage, FetchError> {
        let started = self
            .started
            .get_or_init(|| async {
                let Some(path) = crate::fetch::render::find_browser() else {
                    return Err("chromium not found (install it, or set STET_CHROMIUM to a Chromium or Chrome binary)".to_string());
                };
                Renderer::launch(&path, self.options.concurrency, &self.user_agent)
                    .await
                    .map_err(|e| match e {
                        FetchError::Browser { detail } => detail,
                        e => e.to_string(),
                    })
            })
            .await;
        match started {
            Ok(renderer) => renderer.render(url, spec, credentials).await,
            Err(detail) => Err(FetchError::Browser {
                detail: detail.clone(),
            }),
        }
    }

    pub(crate) async fn close(self) {
        if let Some(Ok(renderer)) = self.started.into_inner() {
            renderer.close().await;
        }
    }
}

/// The latest snapshot of `target` and, for a `conditional` fetch, the
/// validators to send: those of its last check when that answer had any (a
/// server may start sending them on a page that did not change), else the
/// snapshot's own.
fn latest_manifest(
    store: &Store,
    target: &Target,
    conditional: bool,
) -> Result<Option<(String, Manifest, Option<Validators>)>, StoreError> {
    let target = target.to_string();
    let Some(id) = store.latest(&target)? else {
        return Ok(None);
    };
    let manifest = store.manifest(&id)?;
    if !conditional {
        return Ok(Some((id, manifest, None)));
    }
    let checked = store.last_check_of(&target, &id)?.and_then(|c| {
        let v = Validators {
            etag: c.etag,
            last_modified: c.last_modified,
        };
        (!v.is_empty()).then_some(v)
    });
    let validators = checked.or_else(|| validators_in(&manifest.fetch.headers));
    Ok(Some((id, manifest, validators)))
}

/// The validators among a response's headers.
fn validators_in(headers: &std::collections::BTreeMap<String, String>) -> Option<Validators> {
    let v = Validators {
        etag: headers.get("etag").cloned(),
        last_modified: headers
            .get("last-modified")
            .filter(|modified| !same_second(modified, headers.get("date")))
            .cloned(),
    };
    (!v.is_empty()).then_some(v)
}

/// True when a response's `Last-Modified` is not before its `Date`: HTTP
/// dates count whole seconds, so a change later in that second carries the
/// same date, and a server would answer `If-Modified-Since` with 304 for it
/// (RFC 9110, 8.8.2.2: such a date is a weak validator). Without a `Date`
/// there is nothing to tell.
fn same_second(last_modified: &str, date: Option<&String>) -> bool {
    use time::format_description::well_known::Rfc2822;
    let parse = |d: &str| time::OffsetDateTime::parse(d.trim(), &Rfc2822).ok();
    match (parse(last_modified), date.and_then(|d| parse(d))) {
        (Some(modified), Some(date)) => modified >= date,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_last_modified_in_the_second_of_its_response_is_not_sent() {
        let at = "Wed, 27 Apr 2011 10:00:00 GMT".to_string();
        let later = "Wed, 27 Apr 2011 10:00:01 GMT".to_string();
        assert!(same_second(&at, Some(&at)));
        assert!(same_second(&later, Some(&at)));
        assert!(!same_second(&at, Some(&later)));
        assert!(!same_second(&at, None));
        assert!(!same_second(&at, Some(&"soon".to_string())));
    }
}
