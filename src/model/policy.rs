//! Which findings fail a run: the one failure policy of `audit` (finding
//! kinds) and `links` (the link classes that count as dead).

use std::collections::BTreeSet;

use super::audit::{Finding, FindingKind};
use super::links::{LinkClass, LinkResult};
use crate::model::diff::EditClass;

/// The finding kinds that make a target fail, and the link classes that
/// make a link dead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailPolicy {
    kinds: BTreeSet<FailOn>,
    /// Link classes that fail (`dead` unless `stet links --fail-on` says
    /// otherwise), so CI fails on what is really gone.
    link_classes: Vec<LinkClass>,
}

impl Default for FailPolicy {
    /// No finding kind fails; a link fails when it is `dead`.
    fn default() -> Self {
        FailPolicy {
            kinds: BTreeSet::new(),
            link_classes: vec![LinkClass::Dead],
        }
    }
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
    ImageChanged,
    HeadlineChanged,
    Provenance,
    TargetDead,
    ArticleGone,
    RobotsDisallowed,
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
    "image-changed",
    "headline-changed",
    "provenance",
    "target-dead",
    "article-gone",
    "robots-disallowed",
    "all",
    "none",
];

impl FailPolicy {
    /// Substantive edits (of the text or a caption), corrections, dead
    /// links, missing captions, a dead target, an article gone from its
    /// page, a page robots.txt no longer lets stet watch.
    pub fn default_policy() -> Self {
        FailPolicy {
            kinds: [
                FailOn::Substantive,
                FailOn::Corrections,
                FailOn::DeadLinks,
                FailOn::MissingCaptions,
                FailOn::TargetDead,
                FailOn::ArticleGone,
                FailOn::RobotsDisallowed,
            ]
            .into_iter()
            .collect(),
            ..FailPolicy::default()
        }
    }

    /// `stet links --fail-on`: links of these classes fail the run.
    pub fn links(classes: Vec<LinkClass>) -> Self {
        FailPolicy {
            kinds: [FailOn::DeadLinks].into_iter().collect(),
            link_classes: classes,
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
                "image-changed" => &[ImageChanged],
                "headline-changed" => &[HeadlineChanged],
                "provenance" | "provenance-changed" => &[Provenance],
                "target-dead" => &[TargetDead],
                "article-gone" => &[ArticleGone],
                "robots-disallowed" | "robots" => &[RobotsDisallowed],
                "all" => &[
                    Substantive,
                    Minor,
                    Cosmetic,
                    Corrections,
                    DeadLinks,
                    MissingCaptions,
                    PlaceholderAlt,
                    CaptionChanged,
                    ImageChanged,
                    HeadlineChanged,
                    Provenance,
                    TargetDead,
                    ArticleGone,
                    RobotsDisallowed,
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
        Ok(FailPolicy {
            kinds,
            ..FailPolicy::default()
        })
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
                FailOn::ImageChanged => "image-changed",
                FailOn::HeadlineChanged => "headline-changed",
                FailOn::Provenance => "provenance",
                FailOn::TargetDead => "target-dead",
                FailOn::ArticleGone => "article-gone",
                FailOn::RobotsDisallowed => "robots-disallowed",
            })
            .collect()
    }

    /// Whether a finding fails its target.
    pub fn fails(&self, f: &FindingKind) -> bool {
        let on = |k| self.kinds.contains(&k);
        let class = |c: EditClass| match c {
            EditClass::Substantive => on(FailOn::Substantive),
            EditClass::Minor => on(FailOn::Minor),
            EditClass::Cosmetic => on(FailOn::Cosmetic),
        };
        match f {
            FindingKind::Edit { class: c, .. } => class(*c),
            FindingKind::Correction { .. } => on(FailOn::Corrections),
            FindingKind::DeadLink { .. } => on(FailOn::DeadLinks),
            FindingKind::MissingCaption { .. } => on(FailOn::MissingCaptions),
            FindingKind::PlaceholderAlt { .. } => on(FailOn::PlaceholderAlt),
            // A caption is the article's words: its edit is an edit of its
            // class too (a rewritten caption must not pass a nightly run).
            FindingKind::CaptionChanged(c) => on(FailOn::CaptionChanged) || class(c.class),
            // And the pictures it shows: a swapped photo fails as an edit of
            // its class.
            FindingKind::ImageChanged(c) => on(FailOn::ImageChanged) || class(c.class),
            // So is the headline.
            FindingKind::HeadlineChanged(c) => on(FailOn::HeadlineChanged) || class(c.class),
            FindingKind::ProvenanceChanged(_) => on(FailOn::Provenance),
            FindingKind::TargetDead { .. } => on(FailOn::TargetDead),
            FindingKind::ArticleGone { .. } => on(FailOn::ArticleGone),
            FindingKind::RobotsDisallowed { .. } => on(FailOn::RobotsDisallowed),
        }
    }

    /// A finding with whether it fails under this policy.
    pub fn judge(&self, kind: FindingKind) -> Finding {
        Finding {
            fails: self.fails(&kind),
            fingerprint: kind.fingerprint(),
            acknowledged: false,
            kind,
        }
    }

    /// Whether a checked link is dead under this policy (a failure not yet
    /// confirmed with `--confirm N` is not).
    pub fn fails_link(&self, r: &LinkResult) -> bool {
        self.link_classes.contains(&r.class) && !r.unconfirmed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
                "target-dead",
                "article-gone",
                "robots-disallowed"
            ]
        );
    }
}
