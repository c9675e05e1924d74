//! The value `stet audit` builds: per target a verdict, the versions
//! compared, and the findings that prove it.

use serde::Serialize;

use super::report::DiffReport;
use super::{Hop, Manifest, Provenance, Tool};
use crate::model::diff::{Edit, EditClass, Notice, NoticeAction};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Nothing found, and the article is its reference.
    Clean,
    /// Only standing findings below the failure policy (a placeholder alt
    /// text, an acknowledged finding); the article is its reference.
    Notice,
    /// The article differs from its reference, below the failure policy.
    Changed,
    /// Findings at or above the failure policy.
    Fail,
    /// The target could not be audited.
    Error,
}

impl Verdict {
    /// The verdict of a target that could be audited.
    pub fn of(any_fails: bool, differs: bool, any_findings: bool) -> Self {
        if any_fails {
            Verdict::Fail
        } else if differs {
            Verdict::Changed
        } else if any_findings {
            Verdict::Notice
        } else {
            Verdict::Clean
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Clean => "clean",
            Verdict::Notice => "notice",
            Verdict::Changed => "changed",
            Verdict::Fail => "fail",
            Verdict::Error => "error",
        }
    }
}

/// One finding, with whether it fails its target under the target's policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Whether it fails its target (an acknowledged finding does not).
    pub fails: bool,
    /// The same finding has the same fingerprint in every audit
    /// ([`crate::watch::fingerprint`]).
    pub fingerprint: String,
    /// An acknowledgement (`stet ack`) covers it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub acknowledged: bool,
    #[serde(flatten)]
    pub kind: FindingKind,
}

/// What was found, with the facts that prove it (`kind` in JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FindingKind {
    /// A change of the article text.
    Edit {
        class: EditClass,
        before: String,
        after: String,
        /// `block 6 (paragraph)`.
        location: String,
        /// The whole edit (offsets in both versions, context, reasons).
        edit: Box<Edit>,
    },
    /// A correction, update, clarification or editor's note added, changed
    /// or removed.
    Correction {
        action: NoticeAction,
        /// The notice (its kind, text and stated date): as it is now, or as
        /// it was when removed.
        notice: Notice,
        /// `block 14`, or `old block 14` when removed.
        location: String,
        /// The old block's whole text (changed and removed notices).
        #[serde(skip_serializing_if = "Option::is_none")]
        before: Option<String>,
        /// The new block's whole text (added and changed notices).
        #[serde(skip_serializing_if = "Option::is_none")]
        after: Option<String>,
    },
    /// A link of the current version that is gone.
    DeadLink {
        url: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        status: Option<u16>,
        link_class: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// An archived copy of the page.
        #[serde(skip_serializing_if = "Option::is_none")]
        suggestion: Option<String>,
        /// `link “its text”`.
        #[serde(skip_serializing_if = "Option::is_none")]
        location: Option<String>,
    },
    MissingCaption {
        url: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        alt: Option<String>,
        location: String,
    },
    PlaceholderAlt {
        url: String,
        alt: String,
        location: String,
    },
    CaptionChanged(FieldFinding),
    /// An image of the article replaced by another picture (not the same
    /// one at another address), added or removed.
    ImageChanged(FieldFinding),
    /// The headline as the page shows it (its `<h1>`).
    HeadlineChanged(FieldFinding),
    /// Title, bylines, claims, canonical URL, dates, credits.
    ProvenanceChanged(FieldFinding),
    /// The target answered 404 or 410, or its file (a target of stet.toml,
    /// stored before) is gone: no `status`.
    TargetDead {
        url: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        status: Option<u16>,
        location: String,
    },
    /// robots.txt disallows fetching the target: what is stored was
    /// compared, and the page's changes are no longer seen.
    RobotsDisallowed {
        url: String,
        /// `robots.txt`.
        location: String,
    },
    /// The target answered, but not with the article: a page a fraction of
    /// its size that keeps almost none of its text (a paywall, a consent or
    /// login wall, a notice that the article was removed, an empty page),
    /// or only a preview: the article's opening and a wall after it.
    ArticleGone {
        url: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        status: Option<u16>,
        /// How much of the reference's text is left ("2% of the text left";
        /// "14% of the text left, its opening" for a preview).
        location: String,
        /// What the page shows instead: the first words of what it adds (or
        /// of all it shows), or its title.
        after: String,
    },
}

/// What makes a finding the same finding from one audit to the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity<'a> {
    pub kind: &'static str,
    pub location: String,
    pub before: Option<&'a str>,
    pub after: Option<String>,
}

/// A change of a field outside the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldFinding {
    pub class: EditClass,
    /// The field path.
    pub location: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

impl FindingKind {
    /// The name of [`FindingKind::TargetDead`] (journals keep kinds by name).
    pub const TARGET_DEAD: &'static str = "target_dead";
    /// Why a [`FindingKind::TargetDead`] target is dead: the status it
    /// answered, or, for a file, that it is gone.
    pub fn dead_because(status: Option<u16>) -> String {
        match status {
            Some(code) => format!("answered {code}"),
            None => "is gone (no such file)".to_string(),
        }
    }

    /// The name of [`FindingKind::ArticleGone`].
    pub const ARTICLE_GONE: &'static str = "article_gone";
    /// The name of [`FindingKind::RobotsDisallowed`].
    pub const ROBOTS_DISALLOWED: &'static str = "robots_disallowed";
    /// The name of [`FindingKind::DeadLink`].
    pub const DEAD_LINK: &'static str = "dead_link";
    /// The name of [`FindingKind::PlaceholderAlt`].
    pub const PLACEHOLDER_ALT: &'static str = "placeholder_alt";

    pub fn as_str(&self) -> &'static str {
        match self {
            FindingKind::Edit { .. } => "edit",
            FindingKind::Correction { .. } => "correction",
            FindingKind::DeadLink { .. } => Self::DEAD_LINK,
            FindingKind::MissingCaption { .. } => "missing_caption",
            FindingKind::PlaceholderAlt { .. } => Self::PLACEHOLDER_ALT,
            FindingKind::CaptionChanged(_) => "caption_changed",
            FindingKind::ImageChanged(_) => "image_changed",
            FindingKind::HeadlineChanged(_) => "headline_changed",
            FindingKind::ProvenanceChanged(_) => "provenance_changed",
            FindingKind::TargetDead { .. } => Self::TARGET_DEAD,
            FindingKind::ArticleGone { .. } => Self::ARTICLE_GONE,
            FindingKind::RobotsDisallowed { .. } => Self::ROBOTS_DISALLOWED,
        }
    }

    /// Cosmetic, minor or substantive, for edits and field changes.
    pub fn class(&self) -> Option<EditClass> {
        match self {
            FindingKind::Edit { class, .. } => Some(*class),
            FindingKind::CaptionChanged(f)
            | FindingKind::ImageChanged(f)
            | FindingKind::HeadlineChanged(f)
            | FindingKind::ProvenanceChanged(f) => Some(f.class),
            _ => None,
        }
    }

    /// Where: `block 6 (paragraph)`, a field path, an image, a link.
    pub fn location(&self) -> Option<&str> {
        match self {
            FindingKind::Edit { location, .. }
            | FindingKind::Correction { location, .. }
            | FindingKind::MissingCaption { location, .. }
            | FindingKind::PlaceholderAlt { location, .. }
            | FindingKind::TargetDead { location, .. }
            | FindingKind::ArticleGone { location, .. }
            | FindingKind::RobotsDisallowed { location, .. } => Some(location),
            FindingKind::CaptionChanged(f)
            | FindingKind::ImageChanged(f)
            | FindingKind::HeadlineChanged(f)
            | FindingKind::ProvenanceChanged(f) => Some(&f.location),
            FindingKind::DeadLink { location, .. } => location.as_deref(),
        }
    }

    /// The text before, for edits and field changes.
    pub fn before(&self) -> Option<&str> {
        match self {
            FindingKind::Edit { before, .. } => Some(before),
            FindingKind::Correction { before, .. } => before.as_deref(),
            FindingKind::CaptionChanged(f)
            | FindingKind::ImageChanged(f)
            | FindingKind::HeadlineChanged(f)
            | FindingKind::ProvenanceChanged(f) => f.before.as_deref(),
            _ => None,
        }
    }

    /// The text after, for edits and field changes.
    pub fn after(&self) -> Option<&str> {
        match self {
            FindingKind::Edit { after, .. } => Some(after),
            FindingKind::Correction { after, .. } => after.as_deref(),
            FindingKind::CaptionChanged(f)
            | FindingKind::ImageChanged(f)
            | FindingKind::HeadlineChanged(f)
            | FindingKind::ProvenanceChanged(f) => f.after.as_deref(),
            FindingKind::ArticleGone { after, .. } => Some(after),
            _ => None,
        }
    }

    /// The URL of a link, an image or the target.
    pub fn url(&self) -> Option<&str> {
        match self {
            FindingKind::DeadLink { url, .. }
            | FindingKind::MissingCaption { url, .. }
            | FindingKind::PlaceholderAlt { url, .. }
            | FindingKind::TargetDead { url, .. }
            | FindingKind::ArticleGone { url, .. }
            | FindingKind::RobotsDisallowed { url, .. } => Some(url),
            _ => None,
        }
    }

    /// The HTTP status of a dead link or target.
    pub fn status(&self) -> Option<u16> {
        match self {
            FindingKind::DeadLink { status, .. }
            | FindingKind::TargetDead { status, .. }
            | FindingKind::ArticleGone { status, .. } => *status,
            _ => None,
        }
    }

    /// What the fingerprint is taken over: the kind, a location (the block
    /// kind of an edit, a field path, a link's or an image's URL; never an
    /// offset or a block number that an insertion elsewhere would shift),
    /// before and after. The field path keeps a picture's place in the list
    /// (`images[1].caption`), for the journal to show; the fingerprint drops
    /// it, and takes URLs by resource (see [`fingerprint`](Self::fingerprint)).
    pub fn identity(&self) -> Identity<'_> {
        let (location, before, after) = match self {
            FindingKind::Edit {
                before,
                after,
                edit,
                ..
            } => (
                edit.kind.as_str().to_string(),
                Some(before.as_str()),
                Some(after.clone()),
            ),
            // Where a notice stands shifts with the text above it: it is
            // known by its kind, what happened to it, and its text.
            FindingKind::Correction {
                action,
                notice,
                before,
                after,
                ..
            } => (
                format!("{} {}", notice.kind.as_str(), action.as_str()),
                before.as_deref(),
                after.clone(),
            ),
            FindingKind::CaptionChanged(f)
            | FindingKind::ImageChanged(f)
            | FindingKind::HeadlineChanged(f)
            | FindingKind::ProvenanceChanged(f) => {
                (f.location.clone(), f.before.as_deref(), f.after.clone())
            }
            FindingKind::DeadLink { url, .. } | FindingKind::MissingCaption { url, .. } => {
                (url.clone(), None, None)
            }
            // Another placeholder is another finding.
            FindingKind::PlaceholderAlt { url, alt, .. } => (url.clone(), None, Some(alt.clone())),
            FindingKind::TargetDead { url, status, .. } => {
                (url.clone(), None, status.map(|s| s.to_string()))
            }
            // Whatever the wall says tonight: the article is gone, one
            // finding until it is back.
            FindingKind::ArticleGone { url, .. } => (url.clone(), None, None),
            // Disallowed until it is allowed again: one finding.
            FindingKind::RobotsDisallowed { url, .. } => (url.clone(), None, None),
        };
        Identity {
            kind: self.as_str(),
            location,
            before,
            after,
        }
    }

    /// The fingerprint of this finding ([`crate::watch::fingerprint`] of
    /// its [`identity`](Self::identity)). An image's or a link's URL counts
    /// by the resource it names ([`crate::diff::resource`]), and so do the
    /// addresses an image change names: a redeploy that adds a cache
    /// buster or a tracking parameter leaves the finding the same one,
    /// acknowledged or not, and `--new` does not report it again.
    ///
    /// An edit counts by the words around it too (folded, so a change of
    /// quote style beside it is no new edit): "reportedly" inserted at two
    /// places of one paragraph is two edits, and acknowledging one leaves
    /// a third one failing.
    pub fn fingerprint(&self) -> String {
        self.fingerprint_by(crate::diff::resource::resource_key)
    }

    /// [`fingerprint`](Self::fingerprint) with URLs keyed by `key`.
    fn fingerprint_by(
        &self,
        key: fn(&str, crate::diff::resource::ResourceKind) -> String,
    ) -> String {
        let id = self.identity();
        let location = match self {
            FindingKind::Edit { edit, .. } => format!(
                "{}\n{}\n{}",
                id.location,
                crate::extract::fold(&edit.context_before),
                crate::extract::fold(&edit.context_after)
            ),
            // A picture's field by what it is of a picture, not by which
            // one in the list: a picture added above shifts the index.
            FindingKind::CaptionChanged(_) | FindingKind::ImageChanged(_) => {
                without_index(&id.location)
            }
            _ => self
                .resource()
                .map_or(id.location, |(url, kind)| key(url, kind)),
        };
        let (before, after) = match self {
            FindingKind::ImageChanged(_) => (
                id.before.map(|v| picture_key(v, key)),
                id.after.as_deref().map(|v| picture_key(v, key)),
            ),
            _ => (id.before.map(str::to_owned), id.after),
        };
        crate::watch::fingerprint(id.kind, &location, before.as_deref(), after.as_deref())
    }

    /// The fingerprints this finding had in journals written by earlier
    /// versions, where they differ from [`fingerprint`](Self::fingerprint):
    /// by its raw URL (stet-extract/5 and earlier), by the resource as
    /// stet-extract/6 to /24 named it (before a CDN's servers counted as one
    /// and newsrooms' tracking parameters were known), and as /25 to /48
    /// named it (before a picture's renditions in the path counted as the
    /// picture); an edit, by its words without the words around it.
    /// An acknowledgement or a journal record made then still names it.
    pub fn legacy_fingerprints(&self) -> Vec<String> {
        let id = self.identity();
        // An edit, by its words alone: how journals and acknowledgements
        // named it before the words around it counted; a picture's change,
        // by its place in the list and the addresses as written.
        if matches!(
            self,
            FindingKind::Edit { .. }
                | FindingKind::ImageChanged(_)
                | FindingKind::CaptionChanged(_)
        ) {
            let current = self.fingerprint();
            let mut out = Vec::new();
            for old in [
                crate::watch::fingerprint(id.kind, &id.location, id.before, id.after.as_deref()),
                self.fingerprint_by(crate::diff::resource::before_renditions_key),
            ] {
                if old != current && !out.contains(&old) {
                    out.push(old);
                }
            }
            return out;
        }
        let Some((url, kind)) = self.resource() else {
            return Vec::new();
        };
        let current = self.fingerprint();
        let mut out: Vec<String> = Vec::new();
        for location in [
            id.location.clone(),
            crate::diff::resource::earlier_resource_key(url, kind),
            crate::diff::resource::before_renditions_key(url, kind),
        ] {
            let old = crate::watch::fingerprint(id.kind, &location, id.before, id.after.as_deref());
            if old != current && !out.contains(&old) {
                out.push(old);
            }
        }
        out
    }

    /// The URL this finding is about and what it names, for the findings
    /// known by a resource (an image, a linked page).
    fn resource(&self) -> Option<(&str, crate::diff::resource::ResourceKind)> {
        use crate::diff::resource::ResourceKind;
        match self {
            FindingKind::MissingCaption { url, .. } | FindingKind::PlaceholderAlt { url, .. } => {
                Some((url, ResourceKind::Image))
            }
            FindingKind::DeadLink { url, .. } => Some((url, ResourceKind::Link)),
            _ => None,
        }
    }

    /// Whether the finding is a change of the article since its reference
    /// (accepted by moving the reference), rather than a standing fact of
    /// the current version (accepted by acknowledging it).
    pub fn changes(&self) -> bool {
        matches!(
            self,
            FindingKind::Edit { .. }
                | FindingKind::Correction { .. }
                | FindingKind::ProvenanceChanged(_)
                | FindingKind::CaptionChanged(_)
                | FindingKind::ImageChanged(_)
                | FindingKind::HeadlineChanged(_)
        )
    }

    /// The alt text of an image.
    pub fn alt(&self) -> Option<&str> {
        match self {
            FindingKind::MissingCaption { alt, .. } => alt.as_deref(),
            FindingKind::PlaceholderAlt { alt, .. } => Some(alt),
            _ => None,
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
    pub fn of(id: &str, m: &Manifest) -> Self {
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

/// The manifest facts and the page's claims about itself.
#[derive(Debug, Clone, Serialize)]
pub struct TargetProvenance {
    pub requested_url: String,
    pub final_url: String,
    pub redirects: Vec<Hop>,
    pub status: Option<u16>,
    pub headers: std::collections::BTreeMap<String, String>,
    pub fetched_at: String,
    pub claims: Provenance,
    /// How the page was rendered in a browser, when it was (`render = true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rendered: Option<super::Rendered>,
}

impl TargetProvenance {
    /// The fetch facts of `m`, with the claims of its document.
    pub fn of(m: &Manifest, claims: Provenance) -> Self {
        TargetProvenance {
            requested_url: m.fetch.requested_url.clone(),
            final_url: m.fetch.final_url.clone(),
            redirects: m.fetch.redirects.clone(),
            status: m.fetch.status,
            headers: m.fetch.headers.clone(),
            fetched_at: m.fetch.fetched_at.clone(),
            claims,
            rendered: m.rendered.clone(),
        }
    }
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
    /// The reference-to-current diff the findings came from, when the
    /// documents differ (for the HTML page; not part of the JSON).
    #[serde(skip)]
    pub diff: Option<Box<DiffReport>>,
    /// With `--new`: findings of the previous audit that are gone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved: Option<Vec<Resolved>>,
    /// With `--new`: how many findings stand from the previous audit (not
    /// listed again).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub standing: Option<usize>,
    /// What the reader should know about how the versions were compared
    /// (a version made by an older extractor, extracted again).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Whether the compared documents differ as the diff judges them (not
    /// only cosmetically, unless strict); `None`: by their stored hashes.
    #[serde(skip)]
    pub documents_differ: Option<bool>,
}

/// A finding of the previous audit that is gone, as the journal kept it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resolved {
    pub fingerprint: String,
    pub kind: String,
    pub location: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// It failed the policy when last recorded (so a quiet run told of it).
    pub failed: bool,
}

impl TargetAudit {
    /// A target that could not be audited.
    pub fn error(
        target: String,
        name: Option<String>,
        fail_on: Vec<&'static str>,
        error: String,
    ) -> Self {
        TargetAudit {
            target,
            name,
            verdict: Verdict::Error,
            fail_on,
            reference: None,
            current: None,
            fetch: None,
            seen_before: None,
            provenance: None,
            findings: Vec::new(),
            coarse: Vec::new(),
            error: Some(error),
            diff: None,
            resolved: None,
            standing: None,
            notes: Vec::new(),
            documents_differ: None,
        }
    }

    /// Decide the verdict again from the findings (after link checks and
    /// acknowledgements). An error stays an error.
    pub fn judge(&mut self) {
        if self.verdict == Verdict::Error {
            return;
        }
        let differs = self
            .documents_differ
            .unwrap_or(match (&self.reference, &self.current) {
                (Some(r), Some(c)) => r.document_sha256 != c.document_sha256,
                _ => false,
            });
        self.verdict = Verdict::of(
            self.findings.iter().any(|f| f.fails),
            differs,
            !self.findings.is_empty(),
        );
    }

    /// Whether this run could not fetch the page because robots.txt
    /// disallows it: what is stored was compared, and nothing newer is
    /// watched until the target is allowed (or `ignore_robots` is set).
    pub fn not_fetched(&self) -> bool {
        self.fetch == Some(Self::SKIPPED_ROBOTS) && self.verdict != Verdict::Error
    }

    /// The `fetch` of a target robots.txt kept stet from fetching.
    pub const SKIPPED_ROBOTS: &'static str = "skipped_robots";

    /// With `--new`: whether there is anything to tell since the previous
    /// audit: an error, a new finding, or a resolved one.
    pub fn has_news(&self) -> bool {
        self.verdict == Verdict::Error
            || !self.findings.is_empty()
            || self.resolved.as_ref().is_some_and(|v| !v.is_empty())
    }

    /// Whether there is anything to tell: findings or an error.
    pub fn has_findings(&self) -> bool {
        !self.findings.is_empty() || self.error.is_some()
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
    /// `--new`: each target's findings are those new since its previous
    /// audit, with the resolved ones.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub new: bool,
    pub targets: Vec<TargetAudit>,
}

impl AuditReport {
    /// The report's settings and versions, without its targets: what a
    /// streamed report starts from.
    pub fn head(&self) -> AuditReport {
        AuditReport {
            schema_version: self.schema_version,
            tool: self.tool.clone(),
            extractor_version: self.extractor_version,
            diff_version: self.diff_version,
            similar_version: self.similar_version,
            offline: self.offline,
            new: self.new,
            targets: Vec::new(),
        }
    }

    /// The counts of its targets.
    pub fn tally(&self) -> AuditTally {
        let mut tally = AuditTally::default();
        for t in &self.targets {
            tally.add(self.new, t);
        }
        tally
    }

    pub fn count(&self, v: Verdict) -> usize {
        self.tally().count(v)
    }

    /// Whether a target must be told about: it errs, or it has a finding
    /// that fails (with `--new`: a new one).
    pub fn alerts(&self, t: &TargetAudit) -> bool {
        alerts(self.new, t)
    }

    /// What the exit status follows: an error, a failure (with `--new`:
    /// of a new finding), or neither.
    pub fn outcome(&self) -> Verdict {
        self.tally().outcome()
    }

    /// The worst verdict of all targets.
    pub fn worst(&self) -> Verdict {
        self.targets
            .iter()
            .map(|t| t.verdict)
            .max()
            .unwrap_or(Verdict::Clean)
    }

    /// Whether any target has findings or an error.
    pub fn has_findings(&self) -> bool {
        self.targets.iter().any(TargetAudit::has_findings)
    }
}

/// Whether `t` must be told about (see [`AuditReport::alerts`]).
fn alerts(new: bool, t: &TargetAudit) -> bool {
    t.verdict == Verdict::Error
        || if new {
            t.findings.iter().any(|f| f.fails)
        } else {
            t.verdict == Verdict::Fail
        }
}

/// What a report's summary, exit status and webhook need from its targets,
/// counted as each target is done (a streamed report keeps this, not the
/// targets).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditTally {
    pub targets: usize,
    /// Targets by verdict, in [`Verdict`] order.
    by_verdict: [usize; 5],
    /// Targets that must be told about ([`AuditReport::alerts`]).
    pub alerting: usize,
    /// Targets with something new or resolved (with `--new`).
    pub with_news: usize,
    /// Findings, and those that fail.
    pub findings: usize,
    pub failing: usize,
    /// Resolved findings (with `--new`).
    pub resolved: usize,
    /// Targets with findings or an error.
    pub with_findings: usize,
    /// Targets robots.txt kept from being fetched ([`TargetAudit::not_fetched`])
    /// that do not fail otherwise: JUnit's skipped tests.
    pub not_fetched: usize,
}

impl AuditTally {
    /// Count target `t` of a report (`new`: of `--new`).
    pub fn add(&mut self, new: bool, t: &TargetAudit) {
        self.targets += 1;
        self.by_verdict[t.verdict as usize] += 1;
        self.alerting += usize::from(alerts(new, t));
        self.with_news += usize::from(t.has_news());
        self.findings += t.findings.len();
        self.failing += t.findings.iter().filter(|f| f.fails).count();
        self.resolved += t.resolved.as_ref().map_or(0, Vec::len);
        self.with_findings += usize::from(t.has_findings());
        self.not_fetched += usize::from(t.not_fetched() && !alerts(new, t));
    }

    pub fn count(&self, v: Verdict) -> usize {
        self.by_verdict[v as usize]
    }

    /// See [`AuditReport::outcome`].
    pub fn outcome(&self) -> Verdict {
        if self.count(Verdict::Error) > 0 {
            Verdict::Error
        } else if self.alerting > 0 {
            Verdict::Fail
        } else {
            Verdict::Clean
        }
    }

    /// Whether any target has findings or an error.
    pub fn has_findings(&self) -> bool {
        self.with_findings > 0
    }
}

/// Hex digits of a fingerprint shown in reports and accepted by `stet ack`.
pub const SHORT_FINGERPRINT: usize = 12;

/// A field path without its list indexes: `images[3].caption` →
/// `images.caption`, `images[6] (added)` → `images (added)`.
fn without_index(location: &str) -> String {
    let mut out = String::with_capacity(location.len());
    let mut rest = location;
    while let Some(open) = rest.find('[') {
        let (head, tail) = rest.split_at(open);
        out.push_str(head);
        match tail[1..].find(']') {
            Some(close) if tail[1..=close].bytes().all(|b| b.is_ascii_digit()) => {
                rest = &tail[close + 2..];
            }
            _ => {
                out.push('[');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A value of an image change as it counts in the finding's fingerprint:
/// an address by the picture it names, anything else as it is.
fn picture_key(
    value: &str,
    key: fn(&str, crate::diff::resource::ResourceKind) -> String,
) -> String {
    use crate::diff::resource::{is_url, ResourceKind};
    if is_url(value) {
        key(value.trim(), ResourceKind::Image)
    } else {
        value.to_owned()
    }
}

/// The part of a fingerprint shown in reports.
pub fn short_fingerprint(fingerprint: &str) -> &str {
    fingerprint.get(..SHORT_FINGERPRINT).unwrap_or(fingerprint)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alt(location: &str, alt: &str) -> FindingKind {
        FindingKind::PlaceholderAlt {
            url: "https://e.org/banner.jpg".into(),
            alt: alt.into(),
            location: location.into(),
        }
    }

    #[test]
    fn an_image_finding_is_known_by_its_url_not_its_index() {
        // Another image inserted before it moves it to images[1]: same finding.
        assert_eq!(
            alt("images[0]", "Responsive Image").fingerprint(),
            alt("images[1]", "Responsive Image").fingerprint()
        );
        // Another placeholder is another finding.
        assert_ne!(
            alt("images[0]", "Responsive Image").fingerprint(),
            alt("images[0]", "image").fingerprint()
        );
    }

    /// The fingerprint `f` has when its location is written `location`.
    fn fingerprint_at(f: &FindingKind, location: &str) -> String {
        let id = f.identity();
        crate::watch::fingerprint(id.kind, location, id.before, id.after.as_deref())
    }

    #[test]
    fn an_image_finding_survives_a_cache_buster_and_keeps_its_old_name() {
        let busted = FindingKind::PlaceholderAlt {
            url: "https://e.org/banner.jpg?v=1700000018".into(),
            alt: "Responsive Image".into(),
            location: "images[0]".into(),
        };
        let plain = alt("images[0]", "Responsive Image");
        assert_eq!(busted.fingerprint(), plain.fingerprint());
        // Journals written before name it by its raw URL.
        let raw = fingerprint_at(&plain, &plain.identity().location);
        assert_eq!(plain.legacy_fingerprints(), vec![raw]);
        // Another picture is another finding.
        let other = FindingKind::PlaceholderAlt {
            url: "https://e.org/other.jpg".into(),
            alt: "Responsive Image".into(),
            location: "images[0]".into(),
        };
        assert_ne!(other.fingerprint(), plain.fingerprint());
    }

    #[test]
    fn list_indexes_leave_a_field_path() {
        assert_eq!(without_index("images[3].caption"), "images.caption");
        assert_eq!(without_index("images[12] (added)"), "images (added)");
        assert_eq!(without_index("meta.og:image"), "meta.og:image");
        assert_eq!(without_index("claims[x]"), "claims[x]");
    }

    /// The first picture's address changed from `before` to `after`.
    fn changed(before: &str, after: &str) -> FindingKind {
        FindingKind::ImageChanged(FieldFinding {
            class: EditClass::Substantive,
            location: "images[0].src".into(),
            before: Some(before.into()),
            after: Some(after.into()),
        })
    }

    #[test]
    fn an_image_change_survives_a_cache_buster_on_either_picture() {
        let seen = changed("https://e.org/harbour.jpg", "https://e.org/crowd.jpg");
        // A redeploy's cache buster on the new picture, or the old one's
        // address as the reference wrote it: the change already reported.
        let busted = changed("https://e.org/harbour.jpg", "https://e.org/crowd.jpg?v=123");
        assert_eq!(busted.fingerprint(), seen.fingerprint());
        assert_eq!(
            changed(
                "https://e.org/harbour.jpg?itok=9x",
                "https://e.org/crowd.jpg"
            )
            .fingerprint(),
            seen.fingerprint()
        );
        // Journals written before name it by the addresses as written.
        let raw = fingerprint_at(&busted, "images[0].src");
        assert_eq!(busted.legacy_fingerprints(), vec![raw]);
        // Another picture is another change.
        assert_ne!(
            changed("https://e.org/harbour.jpg", "https://e.org/pier.jpg").fingerprint(),
            seen.fingerprint()
        );
    }

    #[test]
    fn a_picture_at_another_width_is_the_same_finding_and_keeps_its_name_of_before() {
        let at = |url: &str| FindingKind::MissingCaption {
            url: url.into(),
            alt: None,
            location: "images[0]".into(),
        };
        let narrow =
            at("https://ichef-1.bbci.co.uk/news/555/cpsprodpb/3D8B/production/_84455751.jpg");
        let wide = at("https://ichef.bbci.co.uk/news/976/cpsprodpb/3D8B/production/_84455751.jpg");
        assert_eq!(narrow.fingerprint(), wide.fingerprint());
        // Journals named it by its raw URL, by the resource before servers
        // counted as one, and (stet-extract/25 to /48) with the width and
        // the server's dash in its key: an acknowledgement made then holds.
        let by = |location: &str| fingerprint_at(&narrow, location);
        assert_eq!(
            narrow.legacy_fingerprints(),
            vec![
                by("https://ichef-1.bbci.co.uk/news/555/cpsprodpb/3D8B/production/_84455751.jpg"),
                by("ichef-1.bbci.co.uk/news/555/cpsprodpb/3D8B/production/_84455751"),
                by("ichef-.bbci.co.uk/news/555/cpsprodpb/3D8B/production/_84455751"),
            ]
        );
        // An image change reported then is the same one now.
        let then = changed(
            "https://img.example.com/rf/image_606w/2015/03/harbour.jpg",
            "https://img.example.com/rf/image_606w/2015/03/crowd.jpg",
        );
        let now = changed(
            "https://img.example.com/rf/image_960w/2015/03/harbour.jpg",
            "https://img.example.com/rf/image_960w/2015/03/crowd.jpg",
        );
        assert_eq!(then.fingerprint(), now.fingerprint());
        assert!(then
            .legacy_fingerprints()
            .contains(&then.fingerprint_by(crate::diff::resource::before_renditions_key)));
    }

    #[test]
    fn an_image_finding_survives_another_cdn_server_and_keeps_its_earlier_names() {
        let on = |server: &str| FindingKind::PlaceholderAlt {
            url: format!("https://{server}.media.e.org/banner.jpg?v=17"),
            alt: "Responsive Image".into(),
            location: "images[0]".into(),
        };
        assert_eq!(on("s1").fingerprint(), on("s2").fingerprint());
        // Journals written before name it by its raw URL, or by the
        // resource before servers counted as one.
        let f = on("s1");
        let by = |location: &str| fingerprint_at(&f, location);
        assert_eq!(
            f.legacy_fingerprints(),
            vec![
                by("https://s1.media.e.org/banner.jpg?v=17"),
                by("s1.media.e.org/banner")
            ]
        );
        // A dead link's newsroom tracking parameter: ignored now, kept then.
        let dead = |url: &str| FindingKind::DeadLink {
            url: url.into(),
            status: Some(404),
            link_class: "dead".into(),
            reason: None,
            suggestion: None,
            location: None,
        };
        let tracked = dead("https://e.org/report?xtor=RSS-3208");
        assert_eq!(
            tracked.fingerprint(),
            dead("https://e.org/report").fingerprint()
        );
        let by = |location: &str| fingerprint_at(&tracked, location);
        assert_eq!(
            tracked.legacy_fingerprints(),
            vec![
                by("https://e.org/report?xtor=RSS-3208"),
                by("e.org/report?xtor=RSS-3208")
            ]
        );
    }

    #[test]
    fn verdicts_say_what_they_mean() {
        assert_eq!(Verdict::of(true, true, true), Verdict::Fail);
        assert_eq!(Verdict::of(false, true, true), Verdict::Changed);
        assert_eq!(Verdict::of(false, true, false), Verdict::Changed);
        assert_eq!(Verdict::of(false, false, true), Verdict::Notice);
        assert_eq!(Verdict::of(false, false, false), Verdict::Clean);
        assert!(Verdict::Clean < Verdict::Notice && Verdict::Notice < Verdict::Changed);
    }
}
