//! The one orchestrator: for each target, a fresh snapshot (or, offline, the
//! latest stored one) against its reference: edits, captions, alt text,
//! provenance, the target's own death. Builds a report value; `report`
//! renders it.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::diff::{
    corrections, diff_documents, DiffOptions, Edit, EditClass, FieldChange, Notice, NoticeAction,
    NoticeChange, DIFF_VERSION, SIMILAR_VERSION,
};
use crate::extract::EXTRACTOR_VERSION;
use crate::links::{self, LinkOptions};
use crate::model::{Document, ExtractSettings, Image, Manifest, Provenance, Tool, SCHEMA_VERSION};
use crate::snapshot::{self, Job, Outcome, SnapshotError, SnapshotOptions};
use crate::store::{Store, StoreError};
use crate::target::Target;

/// What an audit is asked to do.
#[derive(Debug, Clone)]
pub struct AuditOptions {
    /// Use the latest stored snapshot instead of fetching.
    pub offline: bool,
    pub snapshot: SnapshotOptions,
    pub diff: DiffOptions,
    /// Report cosmetic edits too.
    pub strict: bool,
    /// Default policy for targets that set none.
    pub fail_on: FailPolicy,
    /// Check the links of targets that do not opt out (`None`: no link
    /// checking, as with `--offline`).
    pub links: Option<LinkOptions>,
}

/// One target to audit.
#[derive(Debug, Clone)]
pub struct AuditTarget {
    pub target: Target,
    pub name: Option<String>,
    pub extract: ExtractSettings,
    /// This target's own policy, if it has one.
    pub fail_on: Option<FailPolicy>,
    /// Check this target's links (when the audit checks links at all).
    pub links: bool,
}

/// The finding kinds that make a target fail.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FailPolicy {
    kinds: BTreeSet<FailOn>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum FailOn {
    Substantive,
    Minor,
    Cosmetic,
    Corrections,
    DeadLinks,
    MissingCaptions,
    PlaceholderAlt,
    CaptionChanged,
    Provenance,
    TargetDead,
}

/// The policy tokens, as written in `--fail-on` and `fail_on`.
pub const FAIL_ON_TOKENS: &[&str] = &[
    "substantive",
    "edits",
    "minor",
    "cosmetic",
    "corrections",
    "dead-links",
    "missing-captions",
    "placeholder-alt",
    "caption-changed",
    "provenance",
    "target-dead",
    "all",
    "none",
];

impl FailPolicy {
    /// Substantive edits, corrections, dead links, missing captions, a dead target.
    pub fn default_policy() -> Self {
        FailPolicy {
            kinds: [
                FailOn::Substantive,
                FailOn::Corrections,
                FailOn::DeadLinks,
                FailOn::MissingCaptions,
                FailOn::TargetDead,
            ]
            .into_iter()
            .collect(),
        }
    }

    /// Parse tokens (`edits` = substantive and minor edits; `all`; `none`).
    pub fn parse<S: AsRef<str>>(tokens: &[S]) -> Result<Self, String> {
        use FailOn::*;
        let mut kinds = BTreeSet::new();
        for token in tokens.iter().flat_map(|t| t.as_ref().split(',')) {
            let token = token.trim();
            let add: &[FailOn] = match token.replace('_', "-").as_str() {
                "substantive" => &[Substantive],
                "edits" => &[Substantive, Minor],
                "minor" => &[Minor],
                "cosmetic" => &[Cosmetic],
                "corrections" | "correction" => &[Corrections],
                "dead-links" | "dead-link" => &[DeadLinks],
                "missing-captions" | "missing-caption" => &[MissingCaptions],
                "placeholder-alt" => &[PlaceholderAlt],
                "caption-changed" => &[CaptionChanged],
                "provenance" | "provenance-changed" => &[Provenance],
                "target-dead" => &[TargetDead],
                "all" => &[
                    Substantive,
                    Minor,
                    Cosmetic,
                    Corrections,
                    DeadLinks,
                    MissingCaptions,
                    PlaceholderAlt,
                    CaptionChanged,
                    Provenance,
                    TargetDead,
                ],
                "none" | "" => &[],
                other => {
                    return Err(format!(
                        "unknown --fail-on kind `{other}` (known: {})",
                        FAIL_ON_TOKENS.join(", ")
                    ))
                }
            };
            kinds.extend(add.iter().copied());
        }
        Ok(FailPolicy { kinds })
    }

    /// The tokens of this policy, for the report.
    pub fn tokens(&self) -> Vec<&'static str> {
        self.kinds
            .iter()
            .map(|k| match k {
                FailOn::Substantive => "substantive",
                FailOn::Minor => "minor",
                FailOn::Cosmetic => "cosmetic",
                FailOn::Corrections => "corrections",
                FailOn::DeadLinks => "dead-links",
                FailOn::MissingCaptions => "missing-captions",
                FailOn::PlaceholderAlt => "placeholder-alt",
                FailOn::CaptionChanged => "caption-changed",
                FailOn::Provenance => "provenance",
                FailOn::TargetDead => "target-dead",
            })
            .collect()
    }

    fn fails(&self, f: &Finding) -> bool {
        let on = |k| self.kinds.contains(&k);
        match f.kind {
            FindingKind::Edit => match f.class {
                Some(EditClass::Substantive) => on(FailOn::Substantive),
                Some(EditClass::Minor) => on(FailOn::Minor),
                Some(EditClass::Cosmetic) => on(FailOn::Cosmetic),
                None => false,
            },
            FindingKind::Correction => on(FailOn::Corrections),
            FindingKind::DeadLink => on(FailOn::DeadLinks),
            FindingKind::MissingCaption => on(FailOn::MissingCaptions),
            FindingKind::PlaceholderAlt => on(FailOn::PlaceholderAlt),
            FindingKind::CaptionChanged => on(FailOn::CaptionChanged),
            FindingKind::ProvenanceChanged => on(FailOn::Provenance),
            FindingKind::TargetDead => on(FailOn::TargetDead),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    Edit,
    /// A correction, update, clarification or editor's note added, changed
    /// or removed.
    Correction,
    DeadLink,
    MissingCaption,
    PlaceholderAlt,
    CaptionChanged,
    ProvenanceChanged,
    TargetDead,
}

impl FindingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Edit => "edit",
            FindingKind::Correction => "correction",
            FindingKind::DeadLink => "dead_link",
            FindingKind::MissingCaption => "missing_caption",
            FindingKind::PlaceholderAlt => "placeholder_alt",
            FindingKind::CaptionChanged => "caption_changed",
            FindingKind::ProvenanceChanged => "provenance_changed",
            FindingKind::TargetDead => "target_dead",
        }
    }
}

/// One finding, with the facts that prove it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub kind: FindingKind,
    /// Whether this finding fails the target under its policy.
    pub fails: bool,
    /// For edits and field changes: cosmetic, minor, substantive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<EditClass>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// Where: `block 6 (paragraph)`, a field path, an image's src.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The whole edit (offsets in both versions, context, reasons).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edit: Option<Edit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Link class / reason, for dead links.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link_class: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alt: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// For corrections: the notice (its kind, text and stated date).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<Notice>,
    /// For corrections: `added`, `changed` or `removed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<NoticeAction>,
}

impl Finding {
    fn new(kind: FindingKind) -> Self {
        Finding {
            kind,
            fails: false,
            class: None,
            before: None,
            after: None,
            location: None,
            edit: None,
            url: None,
            status: None,
            link_class: None,
            reason: None,
            alt: None,
            suggestion: None,
            notice: None,
            action: None,
        }
    }
}

/// A stored version, named by its hashes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionRef {
    pub id: String,
    pub fetched_at: String,
    pub status: Option<u16>,
    pub final_url: String,
    pub body_sha256: String,
    pub document_sha256: String,
    pub text_sha256: String,
    pub extractor_version: String,
}

impl VersionRef {
    fn of(id: &str, m: &Manifest) -> Self {
        VersionRef {
            id: id.to_string(),
            fetched_at: m.fetch.fetched_at.clone(),
            status: m.fetch.status,
            final_url: m.fetch.final_url.clone(),
            body_sha256: m.body.sha256.clone(),
            document_sha256: m.document.sha256.clone(),
            text_sha256: m.text_sha256.clone(),
            extractor_version: m.extractor_version.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Nothing found.
    Clean,
    /// Findings below the failure policy.
    Changed,
    /// Findings at or above the failure policy.
    Fail,
    /// The target could not be audited.
    Error,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Clean => "clean",
            Verdict::Changed => "changed",
            Verdict::Fail => "fail",
            Verdict::Error => "error",
        }
    }
}

/// The manifest facts and the page's claims about itself.
#[derive(Debug, Clone, Serialize)]
pub struct TargetProvenance {
    pub requested_url: String,
    pub final_url: String,
    pub redirects: Vec<crate::model::Hop>,
    pub status: Option<u16>,
    pub headers: std::collections::BTreeMap<String, String>,
    pub fetched_at: String,
    pub claims: Provenance,
}

/// The audit of one target.
#[derive(Debug, Clone, Serialize)]
pub struct TargetAudit {
    pub target: String,
    pub name: Option<String>,
    pub verdict: Verdict,
    pub fail_on: Vec<&'static str>,
    pub reference: Option<VersionRef>,
    pub current: Option<VersionRef>,
    /// `new`, `unchanged` (a fresh fetch), or `stored` (offline).
    pub fetch: Option<&'static str>,
    /// When the current text is one seen before in the history (A→B→A),
    /// the earliest snapshot that had it.
    pub seen_before: Option<String>,
    pub provenance: Option<TargetProvenance>,
    pub findings: Vec<Finding>,
    /// The diff fell back to a coarser level on a size bound, and why.
    pub coarse: Vec<String>,
    pub error: Option<String>,
}

impl TargetAudit {
    fn error(target: String, name: Option<String>, fail_on: &FailPolicy, error: String) -> Self {
        TargetAudit {
            target,
            name,
            verdict: Verdict::Error,
            fail_on: fail_on.tokens(),
            reference: None,
            current: None,
            fetch: None,
            seen_before: None,
            provenance: None,
            findings: Vec::new(),
            coarse: Vec::new(),
            error: Some(error),
        }
    }
}

/// The whole audit: every input named by hash, and the versions of the tools.
#[derive(Debug, Clone, Serialize)]
pub struct AuditReport {
    pub schema_version: u32,
    pub tool: Tool,
    pub extractor_version: &'static str,
    pub diff_version: &'static str,
    pub similar_version: &'static str,
    pub offline: bool,
    pub targets: Vec<TargetAudit>,
}

impl AuditReport {
    pub fn count(&self, v: Verdict) -> usize {
        self.targets.iter().filter(|t| t.verdict == v).count()
    }

    /// The worst verdict of all targets.
    pub fn worst(&self) -> Verdict {
        self.targets
            .iter()
            .map(|t| t.verdict)
            .max()
            .unwrap_or(Verdict::Clean)
    }
}

/// Errors that stop the whole audit (per-target trouble is a verdict).
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Snapshot(#[from] SnapshotError),
}

/// Audit `targets`: snapshot them (unless offline), then compare each with
/// its reference. `tick` is called as each target is fetched and as each is
/// audited (for a progress bar).
pub async fn run(
    store: &Store,
    targets: &[AuditTarget],
    options: &AuditOptions,
    tick: &mut dyn FnMut(),
) -> Result<AuditReport, AuditError> {
    let mut fetched: Vec<Option<Result<&'static str, String>>> = vec![None; targets.len()];
    if !options.offline {
        let jobs: Vec<Job> = targets
            .iter()
            .map(|t| Job {
                source: t.target.clone(),
                target: t.target.clone(),
                extract: t.extract.clone(),
            })
            .collect();
        let mut i = 0;
        snapshot::run(store, &jobs, &options.snapshot, |result| {
            tick();
            if let Some(slot) = fetched.get_mut(i) {
                *slot = Some(match result.outcome {
                    Outcome::New { .. } => Ok("new"),
                    Outcome::Unchanged { .. } => Ok("unchanged"),
                    Outcome::Failed { error, .. } => Err(error),
                });
            }
            i += 1;
        })
        .await?;
    }
    let mut report = AuditReport {
        schema_version: SCHEMA_VERSION,
        tool: Tool::current(),
        extractor_version: EXTRACTOR_VERSION,
        diff_version: DIFF_VERSION,
        similar_version: SIMILAR_VERSION,
        offline: options.offline,
        targets: Vec::with_capacity(targets.len()),
    };
    for (t, fetch) in targets.iter().zip(fetched) {
        tick();
        let policy = t.fail_on.as_ref().unwrap_or(&options.fail_on);
        let name = t.name.clone();
        let target = t.target.to_string();
        let audit = match fetch {
            Some(Err(error)) => TargetAudit::error(target, name, policy, error),
            other => {
                let how = other.and_then(Result::ok).unwrap_or("stored");
                let mut audit = audit_stored(store, &target, name.clone(), how, policy, options)
                    .unwrap_or_else(|e| {
                        TargetAudit::error(target.clone(), name.clone(), policy, e.to_string())
                    });
                if let (Some(link_options), true) = (&options.links, t.links) {
                    if let Err(e) = add_link_findings(store, &mut audit, link_options, policy).await
                    {
                        audit =
                            TargetAudit::error(target, name, policy, format!("link check: {e}"));
                    }
                }
                audit
            }
        };
        report.targets.push(audit);
    }
    Ok(report)
}

/// Check the links of the current version; dead ones become findings.
async fn add_link_findings(
    store: &Store,
    audit: &mut TargetAudit,
    options: &LinkOptions,
    policy: &FailPolicy,
) -> Result<(), String> {
    let Some(current) = &audit.current else {
        return Ok(());
    };
    if audit.verdict == Verdict::Error || current.status.is_some_and(|s| s >= 400) {
        return Ok(());
    }
    let manifest = store.manifest(&current.id).map_err(|e| e.to_string())?;
    let document = store.document(&manifest).map_err(|e| e.to_string())?;
    let page_url = url::Url::parse(&manifest.fetch.final_url).ok();
    let results = links::check_document(&document, page_url.as_ref(), options)
        .await
        .map_err(|e| e.to_string())?;
    let link_policy = links::FailPolicy::default();
    for r in links::dead_links(&results, &link_policy) {
        let mut f = Finding::new(FindingKind::DeadLink);
        f.url = Some(r.url.clone());
        f.status = r.status;
        f.link_class = Some(r.class.as_str().to_string());
        f.reason = r.reason.map(|x| x.as_str().to_string());
        f.suggestion = r.archive.as_ref().map(|a| a.url.clone());
        f.location = document
            .links
            .iter()
            .find(|l| l.href == r.url)
            .map(|l| format!("link “{}”", l.text));
        f.fails = policy.fails(&f);
        audit.findings.push(f);
    }
    if audit.findings.iter().any(|f| f.fails) {
        audit.verdict = Verdict::Fail;
    } else if !audit.findings.is_empty() && audit.verdict == Verdict::Clean {
        audit.verdict = Verdict::Changed;
    }
    Ok(())
}

/// Compare the latest stored snapshot of `target` with its reference.
fn audit_stored(
    store: &Store,
    target: &str,
    name: Option<String>,
    how: &'static str,
    policy: &FailPolicy,
    options: &AuditOptions,
) -> Result<TargetAudit, StoreError> {
    let history = store.history(target)?;
    let current_id = history
        .last()
        .cloned()
        .ok_or_else(|| StoreError::UnknownTarget(target.to_string()))?;
    let reference_id = store
        .reference(target)?
        .unwrap_or_else(|| current_id.clone());
    let current_m = store.manifest(&current_id)?;
    let reference_m = store.manifest(&reference_id)?;
    let current_doc = store.document(&current_m)?;
    let reference_doc = store.document(&reference_m)?;

    let mut findings = Vec::new();
    let mut coarse = Vec::new();
    let status = current_m.fetch.status;
    if matches!(status, Some(404 | 410)) {
        let mut f = Finding::new(FindingKind::TargetDead);
        f.status = status;
        f.url = Some(current_m.fetch.final_url.clone());
        f.location = Some(format!("answered {}", status.unwrap_or_default()));
        findings.push(f);
    } else if let Some(code) = status.filter(|s| *s >= 400) {
        let mut audit = TargetAudit::error(
            target.to_string(),
            name,
            policy,
            format!(
                "{} answered {code}; not compared with the reference",
                current_m.fetch.final_url
            ),
        );
        audit.current = Some(VersionRef::of(&current_id, &current_m));
        audit.reference = Some(VersionRef::of(&reference_id, &reference_m));
        return Ok(audit);
    } else {
        if current_m.document.sha256 != reference_m.document.sha256 {
            let diff = diff_documents(&reference_doc, &current_doc, &options.diff);
            coarse = diff.coarse_reasons.clone();
            let notices = corrections(&reference_doc, &current_doc, &diff);
            // An edit of a notice's block is reported as the notice.
            let of_notice = |e: &Edit| {
                notices.iter().any(|n| {
                    (e.new_block.is_some() && e.new_block == n.new_block)
                        || (e.old_block.is_some() && e.old_block == n.old_block)
                })
            };
            let edits: Vec<Edit> = diff.edits.into_iter().filter(|e| !of_notice(e)).collect();
            findings.extend(notices.into_iter().map(correction_finding));
            for edit in edits {
                if edit.class == EditClass::Cosmetic && !options.strict {
                    continue;
                }
                findings.push(edit_finding(edit));
            }
            for field in diff.fields {
                if field.class == EditClass::Cosmetic && !options.strict {
                    continue;
                }
                if let Some(f) = field_finding(field) {
                    findings.push(f);
                }
            }
        }
        findings.extend(image_findings(&current_doc));
    }
    for f in &mut findings {
        f.fails = policy.fails(f);
    }
    let verdict = if findings.iter().any(|f| f.fails) {
        Verdict::Fail
    } else if findings.is_empty() {
        Verdict::Clean
    } else {
        Verdict::Changed
    };
    let seen_before = seen_before(store, &history, &current_m)?;
    Ok(TargetAudit {
        target: target.to_string(),
        name,
        verdict,
        fail_on: policy.tokens(),
        reference: Some(VersionRef::of(&reference_id, &reference_m)),
        current: Some(VersionRef::of(&current_id, &current_m)),
        fetch: Some(how),
        seen_before,
        provenance: Some(TargetProvenance {
            requested_url: current_m.fetch.requested_url.clone(),
            final_url: current_m.fetch.final_url.clone(),
            redirects: current_m.fetch.redirects.clone(),
            status: current_m.fetch.status,
            headers: current_m.fetch.headers.clone(),
            fetched_at: current_m.fetch.fetched_at.clone(),
            claims: Provenance::of(&current_doc),
        }),
        findings,
        coarse,
        error: None,
    })
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

fn edit_finding(edit: Edit) -> Finding {
    let mut f = Finding::new(FindingKind::Edit);
    f.class = Some(edit.class);
    f.before = Some(edit.before.clone());
    f.after = Some(edit.after.clone());
    let block = match (edit.old_block, edit.new_block) {
        (_, Some(n)) => format!("block {} ({})", n + 1, edit.kind.as_str()),
        (Some(o), None) => format!("old block {} ({})", o + 1, edit.kind.as_str()),
        (None, None) => edit.kind.as_str().to_string(),
    };
    f.location = Some(block);
    f.edit = Some(edit);
    f
}

/// A notice added, changed or removed: `before`/`after` are the whole
/// notice blocks.
fn correction_finding(change: NoticeChange) -> Finding {
    let mut f = Finding::new(FindingKind::Correction);
    f.location = Some(match (change.old_block, change.new_block) {
        (_, Some(n)) => format!("block {}", n + 1),
        (Some(o), None) => format!("old block {}", o + 1),
        (None, None) => String::new(),
    });
    f.before = change.before;
    f.after = change.after;
    f.action = Some(change.action);
    f.notice = Some(change.notice);
    f
}

/// Field changes: captions are `caption_changed`; everything else outside
/// the text (title, bylines, claims, canonical URL, dates, credits) is
/// `provenance_changed`. Alt text changes are judged by the alt check.
fn field_finding(field: FieldChange) -> Option<Finding> {
    let is_image = field.field.starts_with("images[");
    if is_image && field.field.ends_with(".alt") {
        return None;
    }
    let kind = if is_image && field.field.ends_with(".caption") {
        FindingKind::CaptionChanged
    } else {
        FindingKind::ProvenanceChanged
    };
    let mut f = Finding::new(kind);
    f.class = Some(field.class);
    f.location = Some(field.field);
    f.before = field.before;
    f.after = field.after;
    Some(f)
}

/// `missing_caption` and `placeholder_alt` for the images of the article.
fn image_findings(doc: &Document) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, image) in doc.images.iter().enumerate() {
        let location = format!("images[{i}]");
        if image.caption.as_deref().is_none_or(|c| c.trim().is_empty()) {
            let mut f = Finding::new(FindingKind::MissingCaption);
            f.url = Some(image.src.clone());
            f.alt = image.alt.clone();
            f.location = Some(location.clone());
            out.push(f);
        }
        if is_placeholder_alt(image) {
            let mut f = Finding::new(FindingKind::PlaceholderAlt);
            f.url = Some(image.src.clone());
            f.alt = Some(image.alt.clone().unwrap_or_default());
            f.location = Some(location);
            out.push(f);
        }
    }
    out
}

/// Alt text that describes nothing: missing or empty on a content image,
/// a generic word ("Responsive Image", "image", "photo 3"), or a file name.
pub fn is_placeholder_alt(image: &Image) -> bool {
    let Some(alt) = image.alt.as_deref() else {
        return true;
    };
    let alt = alt.trim().to_lowercase();
    if alt.is_empty() {
        return true;
    }
    const GENERIC: &[&str] = &[
        "image",
        "img",
        "photo",
        "photograph",
        "picture",
        "pic",
        "placeholder",
        "thumbnail",
        "graphic",
        "untitled",
        "alt",
        "alt text",
        "figure",
        "responsive image",
        "featured image",
        "hero image",
        "article image",
        "main image",
        "lead image",
        "default image",
        "image placeholder",
        "null",
        "undefined",
    ];
    let stripped =
        alt.trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ' || c == '-' || c == '_');
    if GENERIC.contains(&alt.as_str()) || GENERIC.contains(&stripped) {
        return true;
    }
    let file_like = [
        ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".avif", ".bmp", ".tif", ".tiff",
    ]
    .iter()
    .any(|ext| alt.ends_with(ext))
        || ["img_", "dsc_", "dscn", "dsc0", "image0", "screenshot"]
            .iter()
            .any(|p| alt.starts_with(p))
            && alt.chars().any(|c| c.is_ascii_digit());
    file_like
}

#[cfg(test)]
mod tests {
    use super::*;

    fn img(alt: Option<&str>) -> Image {
        Image {
            src: "https://e.org/a.jpg".into(),
            alt: alt.map(String::from),
            caption: None,
            credit: None,
        }
    }

    #[test]
    fn placeholder_alt_texts() {
        for alt in [
            None,
            Some(""),
            Some("Responsive Image"),
            Some("image"),
            Some("Photo 3"),
            Some("IMG_2041.JPG"),
            Some("DSC_0042"),
            Some("banner.png"),
        ] {
            assert!(is_placeholder_alt(&img(alt)), "{alt:?}");
        }
        for alt in [
            Some("Protesters hold a banner of Ai Weiwei in Hong Kong"),
            Some("Photo of the Beijing skyline at dusk"),
        ] {
            assert!(!is_placeholder_alt(&img(alt)), "{alt:?}");
        }
    }

    #[test]
    fn fail_policy_tokens() {
        let p = FailPolicy::parse(&["edits,dead-links", "target_dead"]);
        assert_eq!(
            p.map(|p| p.tokens()),
            Ok(vec!["substantive", "minor", "dead-links", "target-dead"])
        );
        assert!(FailPolicy::parse(&["edit"]).is_err());
        assert_eq!(
            FailPolicy::parse(&["none"]).map(|p| p.tokens().len()),
            Ok(0)
        );
        assert_eq!(
            FailPolicy::default_policy().tokens(),
            vec![
                "substantive",
                "corrections",
                "dead-links",
                "missing-captions",
                "target-dead"
            ]
        );
    }
}
