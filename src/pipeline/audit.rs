//! `stet audit`: snapshot every target (unless offline), then compare each
//! with its reference, once: the diff, the findings and the link check all
//! come from the versions read here, and the diff stays in the report.

use std::cell::RefCell;

use futures_util::stream::{self, StreamExt};

use crate::audit::{dead_link_findings, diff_findings, image_findings};
use crate::config::{AuditOptions, AuditTarget};
use crate::diff::{diff_documents, DiffOptions, DIFF_VERSION, SIMILAR_VERSION};
use crate::error::Error;
use crate::extract::EXTRACTOR_VERSION;
use crate::links;
use crate::model::{
    AuditReport, DiffReport, Document, ExtractSettings, FailPolicy, FindingKind, Manifest, Outcome,
    Provenance, Side, TargetAudit, TargetProvenance, Tool, Verdict, VersionRef, SCHEMA_VERSION,
};
use crate::store::journal::AuditRecord;
use crate::store::{Store, StoreError};

use super::journal::{self, Recorder};
use super::snapshot::{self, Job};

/// The report an audit with `options` makes, without its targets: its
/// settings and the versions of the tools.
pub fn audit_head(options: &AuditOptions) -> AuditReport {
    AuditReport {
        schema_version: SCHEMA_VERSION,
        tool: Tool::current(),
        extractor_version: EXTRACTOR_VERSION,
        diff_version: DIFF_VERSION,
        similar_version: SIMILAR_VERSION,
        offline: options.offline,
        new: options.new,
        targets: Vec::new(),
    }
}

/// Audit `targets` in the store at `store`: each target's audit goes to
/// `done` in the targets' order, as soon as it and those before it are
/// done (up to `-j` targets are audited at once, while others are still
/// being fetched). `tick` is called as each target is fetched (online) and
/// as each is audited, for a progress bar.
pub fn audit(
    store: &crate::store::Location,
    targets: &[AuditTarget],
    options: &AuditOptions,
    tick: &mut dyn FnMut(),
    done: &mut dyn FnMut(TargetAudit),
) -> Result<(), Error> {
    let store = if options.offline {
        Store::at(store)?
    } else {
        Store::at_or_create(store)?
    };
    let targets = super::gone_files::with_gone_files(&store, targets)?;
    super::runtime(super::Threads::Many)?.block_on(run(&store, &targets, options, tick, done))
}

/// Post a report's JSON to `url` (the report is printed already: a failed
/// post loses nothing, and is an error of the run).
pub fn post_webhook(
    url: &str,
    json: Vec<u8>,
    fetch: &crate::fetch::FetchOptions,
) -> Result<(), Error> {
    super::runtime(super::Threads::Many)?
        .block_on(crate::fetch::webhook::post_json(url, json, fetch))?;
    Ok(())
}

/// How a target was fetched: `new`, `unchanged`, `skipped_robots`, or
/// the error; `None` when it was not (offline).
type Fetched = Option<Result<&'static str, String>>;

async fn run(
    store: &Store,
    targets: &[AuditTarget],
    options: &AuditOptions,
    tick: &mut dyn FnMut(),
    done: &mut dyn FnMut(TargetAudit),
) -> Result<(), Error> {
    let at = crate::fetch::now_rfc3339();
    // One checker for the run: its per-host politeness holds across targets.
    let checker = options
        .links
        .as_ref()
        .map(|o| links::Checker::new(o).map_err(|e| e.to_string()));
    let tick = RefCell::new(tick);
    let signer = options.snapshot.evidence.signer.as_deref();
    // One store lock for the run: the snapshot's, under which each audit's
    // journal record is written as soon as the audit is done.
    let (writer, mut recorder) = if options.offline {
        (
            None,
            Recorder::open(store, options.snapshot.lock_timeout, signer)?,
        )
    } else {
        let writer = store.writer(options.snapshot.lock_timeout)?;
        let recorder = Recorder::with_writer(Some(writer.clone()), signer);
        (Some(writer), recorder)
    };
    let (sent, mut received) = tokio::sync::mpsc::unbounded_channel::<Fetched>();
    let fetch = async {
        let Some(writer) = &writer else {
            return Ok(());
        };
        // Every target's headers and cookies are read (and checked) before
        // anything is fetched; the jobs themselves are made as they start.
        let credentials = targets
            .iter()
            .map(|t| {
                let label = t.name.clone().unwrap_or_else(|| t.target.to_string());
                t.request.credentials(&label)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let jobs = targets.iter().zip(credentials).map(|(t, credentials)| {
            let (render, robots) =
                snapshot::fetch_settings(Some(&t.fetch), &options.snapshot.fetch);
            Job {
                source: t.target.clone(),
                read: t.read.clone(),
                target: t.target.clone(),
                extract: t.extract.clone(),
                credentials,
                render,
                robots,
            }
        });
        let sent = sent;
        snapshot::run_locked(writer, jobs, &options.snapshot, |result| {
            (tick.borrow_mut())();
            let _ = sent.send(Some(match result.outcome {
                Outcome::New { .. } => Ok("new"),
                Outcome::Unchanged { .. } => Ok("unchanged"),
                // robots.txt refused the fetch: audit what is stored.
                Outcome::Skipped { .. } => Ok(TargetAudit::SKIPPED_ROBOTS),
                Outcome::Failed { error, .. } => Err(error),
            }));
        })
        .await?;
        Ok::<(), Error>(())
    };
    let audit = async {
        let fetched = stream::poll_fn(|cx| match options.offline {
            true => std::task::Poll::Ready(Some(None)),
            // A row missing (the snapshot stopped): what is stored.
            false => received.poll_recv(cx).map(|r| Some(r.flatten())),
        });
        let mut audits = std::pin::pin!(stream::iter(targets)
            .zip(fetched)
            .map(|(t, fetched)| audit_one(store, t, fetched, options, checker.as_ref(), &at))
            .buffered(options.snapshot.concurrency.max(1)));
        while let Some(one) = audits.next().await {
            let (audit, record) = one?;
            (tick.borrow_mut())();
            if let Some(record) = record {
                recorder.push(audit.target.clone(), record)?;
            }
            done(audit);
        }
        Ok::<_, Error>(())
    };
    tokio::try_join!(fetch, audit)?;
    recorder.finish()
}

/// Audit one target: compare it with its reference, check its links, and
/// judge it by its journal; the record for its journal.
async fn audit_one(
    store: &Store,
    t: &AuditTarget,
    fetched: Fetched,
    options: &AuditOptions,
    checker: Option<&Result<links::Checker<'_>, String>>,
    at: &str,
) -> Result<(TargetAudit, Option<AuditRecord>), Error> {
    let policy = t.fail_on.as_ref().unwrap_or(&options.fail_on);
    let name = t.name.clone();
    let target = t.target.to_string();
    let failed =
        |error: String| TargetAudit::error(target.clone(), name.clone(), policy.tokens(), error);
    // Whether the page's links were checked: if not, its dead links are
    // unknown, not gone.
    let mut links_checked = false;
    // A file of stet.toml that is gone is dead, if it was ever stored.
    let file_gone = super::gone_files::file_is_gone(t);
    let mut audit = match fetched {
        Some(Err(error)) if !file_gone => failed(error),
        other => {
            let how = other.and_then(Result::ok).unwrap_or("stored");
            let compared = {
                let (store, target, name) = (store.clone(), target.clone(), name.clone());
                let (policy, diff, strict) = (policy.clone(), options.diff.clone(), options.strict);
                let settings = t.listed.then(|| t.extract.clone());
                tokio::task::spawn_blocking(move || {
                    let compare = Compare {
                        how,
                        settings: settings.as_ref(),
                        strict,
                        file_gone,
                    };
                    audit_stored(&store, &target, name, &compare, &policy, &diff)
                })
                .await
            };
            match compared {
                Err(e) => failed(format!("audit task failed: {e}")),
                Ok(Err(StoreError::UnknownTarget(_))) if file_gone => {
                    failed(format!("{target}: no such file"))
                }
                Ok(Err(e)) => failed(e.to_string()),
                Ok(Ok((mut audit, current))) => {
                    if let (Some(checker), true, Some(current)) = (checker, t.links, current) {
                        match add_link_findings(&mut audit, &current, checker, policy).await {
                            Ok(()) => links_checked = true,
                            Err(e) => audit = failed(format!("link check: {e}")),
                        }
                    }
                    audit
                }
            }
        }
    };
    let (store, at, new) = (store.clone(), at.to_string(), options.new);
    let judged = tokio::task::spawn_blocking(move || {
        let record = journal::judge(&store, &mut audit, &at, new, links_checked);
        record.map(|r| (audit, r))
    })
    .await;
    match judged {
        Ok(judged) => Ok(judged?),
        Err(e) => Ok((failed(format!("audit task failed: {e}")), None)),
    }
}

/// The offline audit of one stored target against its reference, with
/// its acknowledgements applied and nothing written (for pages that only
/// read, such as `stet log --format html`).
pub(super) fn audit_unrecorded(
    store: &Store,
    target: &str,
    name: Option<String>,
    policy: &FailPolicy,
) -> Result<TargetAudit, Error> {
    let diff = DiffOptions::default();
    let compare = Compare {
        how: "stored",
        settings: None,
        strict: false,
        file_gone: false,
    };
    let (mut audit, _) = audit_stored(store, target, name, &compare, policy, &diff)?;
    super::journal::acknowledged(store, &mut audit)?;
    Ok(audit)
}

/// The current version, when it was compared: its document and final URL.
struct Current {
    document: Document,
    final_url: String,
}

/// Check the links of the current version; dead ones become findings.
async fn add_link_findings(
    audit: &mut TargetAudit,
    current: &Current,
    checker: &Result<links::Checker<'_>, String>,
    policy: &FailPolicy,
) -> Result<(), String> {
    let checker = checker.as_ref().map_err(Clone::clone)?;
    let page_url = url::Url::parse(&current.final_url).ok();
    let results = links::check_document(checker, &current.document, page_url.as_ref()).await;
    let found = dead_link_findings(&results, &current.document, policy);
    audit
        .findings
        .extend(found.into_iter().map(|f| policy.judge(f)));
    audit.judge();
    Ok(())
}

/// How an audit compares a target's stored versions.
struct Compare<'a> {
    /// How the current version came: `new`, `unchanged`, `stored` …
    how: &'static str,
    /// The extraction settings both versions are read with (stet.toml's
    /// for the target); `None`: each as it was snapshotted.
    settings: Option<&'a ExtractSettings>,
    strict: bool,
    /// The target is a file of stet.toml that is gone.
    file_gone: bool,
}

/// Compare the latest stored snapshot of `target` with its reference. The
/// current version comes back too when its links may be checked.
fn audit_stored(
    store: &Store,
    target: &str,
    name: Option<String>,
    compare: &Compare<'_>,
    policy: &FailPolicy,
    diff_options: &DiffOptions,
) -> Result<(TargetAudit, Option<Current>), StoreError> {
    let (how, strict) = (compare.how, compare.strict);
    let history = store.history(target)?;
    let current_id = history
        .last()
        .cloned()
        .ok_or_else(|| StoreError::UnknownTarget(target.to_string()))?;
    let reference_id = store
        .reference_in(target, &history)?
        .unwrap_or_else(|| current_id.clone());
    let current_m = store.manifest(&current_id)?;
    let reference_m = store.manifest(&reference_id)?;
    // Both versions as today's extractor reads them: an extractor upgrade
    // is not a change of the page.
    let mut notes = Vec::new();
    if how == TargetAudit::SKIPPED_ROBOTS {
        notes.push(
            "not fetched: robots.txt disallows it (`ignore_robots = true` for your own sites); \
             what is stored was compared"
                .to_string(),
        );
    }
    let read = |role, id: &str, m: &Manifest, notes: &mut Vec<String>| {
        extracted_now(
            store,
            role,
            id,
            m,
            compare.settings.unwrap_or(&m.extract),
            notes,
        )
    };
    let (current_doc, current_again) = read("current", &current_id, &current_m, &mut notes)?;
    let (reference_doc, reference_again) = if reference_id == current_id {
        (current_doc.clone(), current_again)
    } else {
        read("reference", &reference_id, &reference_m, &mut notes)?
    };
    let mut documents_differ = if current_again || reference_again {
        Some(current_doc != reference_doc)
    } else {
        None
    };

    let mut found = Vec::new();
    let mut coarse = Vec::new();
    let mut diff = None;
    let status = current_m.fetch.status;
    // Dead: the file is gone, or the page answers 404 or 410.
    let alive = !compare.file_gone && status.is_none_or(|s| s < 400);
    if compare.file_gone {
        found.push(FindingKind::TargetDead {
            url: target.to_string(),
            status: None,
            location: "file gone".to_string(),
        });
    } else if matches!(status, Some(404 | 410)) {
        found.push(FindingKind::TargetDead {
            url: current_m.fetch.final_url.clone(),
            status,
            location: format!("answered {}", status.unwrap_or_default()),
        });
    } else if let Some(code) = status.filter(|s| *s >= 400) {
        let mut audit = TargetAudit::error(
            target.to_string(),
            name,
            policy.tokens(),
            format!(
                "{} answered {code}; not compared with the reference",
                current_m.fetch.final_url
            ),
        );
        audit.current = Some(VersionRef::of(&current_id, &current_m));
        audit.reference = Some(VersionRef::of(&reference_id, &reference_m));
        return Ok((audit, None));
    } else {
        let differ =
            documents_differ.unwrap_or(current_m.document.sha256 != reference_m.document.sha256);
        if differ {
            let d = diff_documents(&reference_doc, &current_doc, diff_options);
            // Documents that differ only cosmetically (an image's cache
            // buster, markup the text does not show) are the same article:
            // no `CHANGED` with nothing under it.
            // (The HTML report still shows the diff, marked "same".)
            documents_differ = Some(d.differs(strict) || !d.coarse_reasons.is_empty());
            coarse = d.coarse_reasons.clone();
            let url = &current_m.fetch.final_url;
            // Reached at another page than the reference (a redirect to the
            // front page), as links are compared: scheme, `www.`, a trailing
            // `/` or tracking parameters do not count, an article id does.
            let elsewhere = !crate::diff::resource::same_resource(
                &reference_m.fetch.final_url,
                url,
                crate::diff::resource::ResourceKind::Link,
            );
            // A body that is no HTML page (a PDF, an image) shows no words:
            // the finding names what it is.
            let media = crate::extract::mime_essence(
                current_m
                    .fetch
                    .headers
                    .get("content-type")
                    .map(String::as_str),
            )
            .filter(|m| m != "text/html" && m != "application/xhtml+xml");
            match crate::audit::article_gone(
                (url, status, elsewhere, media.as_deref()),
                &reference_doc,
                &current_doc,
                &d,
            ) {
                Some(finding) => found.push(finding),
                None => found.extend(diff_findings(&reference_doc, &current_doc, &d, strict)),
            }
            diff = Some(Box::new(DiffReport {
                old: Side::stored("reference", &reference_id, &reference_m),
                new: Side::stored("current", &current_id, &current_m),
                old_doc: reference_doc,
                new_doc: current_doc.clone(),
                diff: d,
                strict,
            }));
        }
    }
    // The images of a page that no longer shows the article are not its.
    let gone = found
        .iter()
        .any(|f| matches!(f, FindingKind::ArticleGone { .. }));
    if alive && !gone {
        found.extend(image_findings(&current_doc));
    }
    // The watch stopped: said once by `--new`, standing while it lasts.
    if how == TargetAudit::SKIPPED_ROBOTS {
        found.push(FindingKind::RobotsDisallowed {
            url: target.to_string(),
            location: "robots.txt".to_string(),
        });
    }
    let findings: Vec<_> = found.into_iter().map(|f| policy.judge(f)).collect();
    let seen_before = seen_before(store, &history, &current_m)?;
    let provenance = TargetProvenance::of(&current_m, Provenance::of(&current_doc));
    // A dead target, or a page without the article, has no links worth
    // checking.
    let current = (alive && !gone).then(|| Current {
        final_url: current_m.fetch.final_url.clone(),
        document: current_doc,
    });
    let mut audit = TargetAudit {
        target: target.to_string(),
        name,
        verdict: Verdict::Clean,
        fail_on: policy.tokens(),
        reference: Some(VersionRef::of(&reference_id, &reference_m)),
        current: Some(VersionRef::of(&current_id, &current_m)),
        fetch: Some(how),
        seen_before,
        provenance: Some(provenance),
        findings,
        coarse,
        error: None,
        diff,
        resolved: None,
        standing: None,
        notes,
        documents_differ,
    };
    audit.judge();
    Ok((audit, current))
}

/// The document of a stored snapshot as the current extractor makes it
/// with `settings`: the stored one, or, when an older extractor or other
/// settings made that, the document extracted again from the stored raw
/// body (with a note saying so). The flag tells whether it was extracted
/// again. When the body is missing or no longer extracts, the stored
/// document is used and a note says why.
fn extracted_now(
    store: &Store,
    role: &str,
    id: &str,
    m: &Manifest,
    settings: &ExtractSettings,
    notes: &mut Vec<String>,
) -> Result<(Document, bool), StoreError> {
    let stored = store.document(m)?;
    let same_settings = m.extract == *settings;
    if stored.extractor_version == EXTRACTOR_VERSION && same_settings {
        return Ok((stored, false));
    }
    let short = crate::report::short_id(id);
    let made = match (stored.extractor_version == EXTRACTOR_VERSION, same_settings) {
        (false, true) => format!("was extracted by {}", stored.extractor_version),
        (true, _) => "was extracted with other settings".to_string(),
        (false, false) => format!(
            "was extracted by {} with other settings",
            stored.extractor_version
        ),
    };
    // What the stored document was extracted from: the body, or the DOM
    // of a rendered page.
    let again = store
        .object(&m.extracted_from().sha256)
        .map_err(|e| e.to_string())
        .and_then(|source| {
            snapshot::document_of_stored(m, &source, settings).map_err(|e| e.to_string())
        });
    match again {
        Ok(doc) => {
            let how = if same_settings {
                format!("compared as {EXTRACTOR_VERSION} extracts its stored body")
            } else {
                format!("compared as {EXTRACTOR_VERSION} extracts its stored body with the target's settings in stet.toml")
            };
            notes.push(format!("the {role} {short} {made}; {how}"));
            Ok((doc, true))
        }
        Err(e) => {
            notes.push(format!(
                "the {role} {short} {made} and could not be extracted again ({e}); compared as stored"
            ));
            Ok((stored, false))
        }
    }
}

/// A→B→A: the current text differs from its parent's but equals an earlier
/// snapshot's. Returns the earliest such snapshot.
fn seen_before(
    store: &Store,
    history: &[String],
    current: &Manifest,
) -> Result<Option<String>, StoreError> {
    let Some(parent_id) = &current.parent else {
        return Ok(None);
    };
    let parent = store.manifest(parent_id)?;
    if parent.text_sha256 == current.text_sha256 {
        return Ok(None);
    }
    let earlier = history.len().saturating_sub(2);
    for id in &history[..earlier] {
        if store.manifest(id)?.text_sha256 == current.text_sha256 {
            return Ok(Some(id.clone()));
        }
    }
    Ok(None)
}
