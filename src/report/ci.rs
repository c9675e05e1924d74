//! Audit output for CI systems: JUnit XML (one testsuite per run, one
//! testcase per target), GitHub workflow annotations, and a Markdown job
//! summary.

use std::fmt::Write as _;

use super::clip;
use crate::model::audit::{short_fingerprint, Resolved};
use crate::model::{AuditReport, AuditTally, Finding, FindingKind, TargetAudit, Verdict};

/// A one-line description of a finding, for annotations and summaries;
/// an acknowledged one says so, as in the text report.
pub fn describe(f: &Finding) -> String {
    match f.acknowledged {
        true => format!("acknowledged {}", describe_kind(f)),
        false => describe_kind(f),
    }
}

fn describe_kind(f: &Finding) -> String {
    let q = quoted;
    let k = &f.kind;
    let class = super::class_label(k, true)
        .map(|c| format!(" ({c})"))
        .unwrap_or_default();
    let at = k.location().map(|l| format!(" at {l}")).unwrap_or_default();
    match k {
        FindingKind::Edit { .. }
        | FindingKind::ProvenanceChanged(_)
        | FindingKind::CaptionChanged(_)
        | FindingKind::ImageChanged(_)
        | FindingKind::HeadlineChanged(_) => {
            format!(
                "{}{class}{at}: {} → {}",
                k.as_str(),
                q(k.before()),
                q(k.after())
            )
        }
        FindingKind::Correction {
            action,
            notice,
            before,
            after,
            ..
        } => {
            let dated = notice
                .date
                .as_deref()
                .map(|d| format!(" (dated {d})"))
                .unwrap_or_default();
            let action = action.as_str();
            match action {
                "changed" => format!(
                    "correction {action}{at}{dated}: {} → {}",
                    q(before.as_deref()),
                    q(after.as_deref())
                ),
                _ => format!(
                    "correction {action}{at}{dated}: {}",
                    q(Some(notice.text.as_str()))
                ),
            }
        }
        FindingKind::DeadLink {
            url,
            status,
            reason,
            ..
        } => format!(
            "dead_link: {url} ({})",
            status.map_or_else(|| reason.clone().unwrap_or_default(), |s| s.to_string())
        ),
        FindingKind::MissingCaption { url, .. } => {
            format!("missing_caption: image {url} has no caption")
        }
        FindingKind::PlaceholderAlt { url, alt, .. } => match alt.as_str() {
            "" => format!("placeholder_alt: image {url} has no alt text"),
            alt => format!(
                "placeholder_alt: image {url} has the placeholder alt text {}",
                q(Some(alt))
            ),
        },
        FindingKind::TargetDead { url, status, .. } => {
            format!("target_dead: {url} {}", FindingKind::dead_because(*status))
        }
        FindingKind::ArticleGone { url, after, .. } if after.is_empty() => {
            format!("article_gone: {url} no longer shows the article; it shows no text")
        }
        FindingKind::ArticleGone { url, after, .. } => format!(
            "article_gone: {url} no longer shows the article; it shows {}",
            q(Some(after))
        ),
        FindingKind::RobotsDisallowed { url, .. } => {
            format!("robots_disallowed: robots.txt disallows {url}; its changes are no longer seen")
        }
    }
}

/// XML 1.0 text: escaped, with characters XML cannot carry dropped.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn case_name(t: &TargetAudit) -> String {
    t.name.clone().unwrap_or_else(|| t.target.clone())
}

/// JUnit XML: a target that fails is a `<failure>`, one that could not be
/// audited an `<error>`; findings below the policy go to `<system-out>`.
pub fn junit(r: &AuditReport) -> String {
    let mut out = junit_head(r, &r.tally());
    for t in &r.targets {
        out.push_str(&junit_target(r, t));
    }
    out.push_str(JUNIT_END);
    out
}

/// After the last testcase.
pub(crate) const JUNIT_END: &str = "  </testsuite>\n</testsuites>\n";

/// The JUnit document up to its first testcase.
pub(crate) fn junit_head(r: &AuditReport, tally: &AuditTally) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    // A failure is a target that fails (with `--new`: by a new finding):
    // every alerting target but those in error.
    let errors = tally.count(Verdict::Error);
    let (tests, failures) = (tally.targets, tally.alerting - errors);
    let _ = writeln!(
        out,
        "<testsuites name=\"stet audit\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">"
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"stet audit\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{}\">",
        tally.not_fetched
    );
    let _ = writeln!(
        out,
        "    <properties><property name=\"tool\" value=\"{} {}\"/><property name=\"extractor\" value=\"{}\"/><property name=\"offline\" value=\"{}\"/></properties>",
        xml(&r.tool.name),
        xml(&r.tool.version),
        xml(r.extractor_version),
        r.offline
    );
    out
}

/// One testcase: the target `t` of the report `r` (its head).
pub(crate) fn junit_target(r: &AuditReport, t: &TargetAudit) -> String {
    let fails = |t: &TargetAudit| t.verdict != Verdict::Error && r.alerts(t);
    let mut out = String::new();
    let _ = write!(
        out,
        "    <testcase name=\"{}\" classname=\"stet.audit\" file=\"{}\"",
        xml(&case_name(t)),
        xml(&t.target)
    );
    let failing: Vec<&Finding> = t.findings.iter().filter(|f| f.fails).collect();
    let other: Vec<&Finding> = t.findings.iter().filter(|f| !f.fails).collect();
    if t.not_fetched() && !r.alerts(t) {
        out.push_str(">\n      <skipped message=\"not fetched: robots.txt disallows it; what is stored was compared\"/>\n");
        if t.verdict == Verdict::Clean {
            out.push_str("    </testcase>\n");
            return out;
        }
    } else if t.verdict == Verdict::Clean {
        out.push_str("/>\n");
        return out;
    } else {
        out.push_str(">\n");
    }
    match t.verdict {
        Verdict::Error => {
            let msg = t.error.clone().unwrap_or_default();
            let _ = writeln!(
                out,
                "      <error message=\"{}\" type=\"error\">{}</error>",
                xml(&msg),
                xml(&msg)
            );
        }
        Verdict::Fail if fails(t) => {
            let body: Vec<String> = failing.iter().map(|f| describe(f)).collect();
            let _ = writeln!(
                out,
                "      <failure message=\"{} finding{} at or above the policy\" type=\"{}\">{}</failure>",
                failing.len(),
                if failing.len() == 1 { "" } else { "s" },
                xml(&t.fail_on.join(",")),
                xml(&body.join("\n"))
            );
        }
        _ => {}
    }
    if !other.is_empty() {
        let body: Vec<String> = other.iter().map(|f| describe(f)).collect();
        let _ = writeln!(
            out,
            "      <system-out>{}</system-out>",
            xml(&body.join("\n"))
        );
    }
    out.push_str("    </testcase>\n");
    out
}

/// Escape workflow-command data (`%`, CR, LF) or properties (also `:` `,`).
fn gh(s: &str, property: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c if super::sanitize::is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// GitHub workflow annotations: `::error` for findings that fail, `::warning`
/// for the others, with `file=` and `line=` for local files where the text
/// can be found in the HTML. `source` gives a target's file text, if local.
pub fn github(r: &AuditReport, source: &dyn Fn(&str) -> Option<String>) -> String {
    r.targets.iter().map(|t| github_target(t, source)).collect()
}

/// The annotations of one target.
pub(crate) fn github_target(t: &TargetAudit, source: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::new();
    let file = source(&t.target).map(|text| (t.target.clone(), text));
    let title = format!("stet: {}", case_name(t));
    if let Some(e) = &t.error {
        let _ = writeln!(out, "::error title={}::{}", gh(&title, true), gh(e, false));
    }
    for f in &t.findings {
        let level = if f.fails { "error" } else { "warning" };
        let mut props = String::new();
        if let Some((path, text)) = &file {
            let _ = write!(props, "file={}", gh(path, true));
            if let Some(line) = line_of(text, f) {
                let _ = write!(props, ",line={line}");
            }
            props.push(',');
        }
        let _ = writeln!(
            out,
            "::{level} {props}title={}::{}",
            gh(&title, true),
            gh(&describe(f), false)
        );
    }
    // With `--new`: what went away since the previous audit.
    for f in t.resolved.iter().flatten() {
        let _ = writeln!(
            out,
            "::notice title={}::{}",
            gh(&title, true),
            gh(&describe_resolved(f), false)
        );
    }
    out
}

/// A before or after text, quoted and clipped; `∅` when empty.
fn quoted(x: Option<&str>) -> String {
    match x {
        None | Some("") => "∅".to_string(),
        Some(t) => format!("“{}”", clip(t, super::SHOWN_CHARS)),
    }
}

/// A resolved finding in one line: `resolved edit block 5: “a” → “b”`.
fn describe_resolved(f: &Resolved) -> String {
    let was = super::resolved_was(f, quoted);
    format!(
        "resolved {} ({}): {was} [{}]",
        f.kind,
        f.location,
        short_fingerprint(&f.fingerprint)
    )
}

/// The 1-based line of the HTML where the finding's text (or image) is.
fn line_of(html: &str, f: &Finding) -> Option<usize> {
    let needles = [f.kind.after(), f.kind.before(), f.kind.url()];
    for needle in needles.into_iter().flatten() {
        // A distinctive prefix: HTML may split or entity-encode the rest.
        let probe: String = needle.chars().take(40).collect();
        let probe = probe.trim();
        if probe.len() < 3 {
            continue;
        }
        let probe = probe.rsplit('/').find(|p| p.len() >= 3).unwrap_or(probe);
        if let Some(at) = html.find(probe) {
            return Some(html[..at].matches('\n').count() + 1);
        }
    }
    None
}

/// A Markdown job summary: a table of targets and their findings.
pub fn markdown(r: &AuditReport) -> String {
    let mut out = markdown_head(r, &r.tally());
    for t in &r.targets {
        out.push_str(&markdown_target(r, t));
    }
    out.push_str(&markdown_foot(r));
    out
}

/// Page text as one table cell of Markdown that shows it as it is:
/// control and bidi characters escaped ([`super::sanitize::line`]), and
/// Markdown's and HTML's own characters too, so that a page's `**`, `|` or
/// `<img …>` reaches `$GITHUB_STEP_SUMMARY` as text, not markup (`_`
/// within words is no emphasis in GitHub's Markdown: `placeholder_alt`
/// stays as it is).
fn cell(s: &str) -> String {
    let one_line = s.replace(['\n', '\r'], " ");
    let safe = super::sanitize::line(&one_line);
    let mut out = String::with_capacity(safe.len() + 8);
    for c in safe.chars() {
        match c {
            '\\' | '|' | '*' | '`' | '[' | ']' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
    out
}

/// The summary, and the table's head when it has rows.
pub(crate) fn markdown_head(r: &AuditReport, tally: &AuditTally) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## {}\n", cell(&super::audit::summary_of(r, tally)));
    // With `--new`: only the targets with something new or resolved, and
    // the findings are the new ones.
    let heading = if r.new { "new findings" } else { "findings" };
    let shown = if r.new {
        tally.with_news
    } else {
        tally.targets
    };
    // Nothing new: the summary says so, and there is no table to show.
    if shown > 0 {
        let _ = writeln!(out, "| verdict | target | {heading} |\n| --- | --- | --- |");
    }
    out
}

/// The table row of target `t` of the report `r` (its head), if shown.
pub(crate) fn markdown_target(r: &AuditReport, t: &TargetAudit) -> String {
    let mut out = String::new();
    if r.new && !t.has_news() {
        return out;
    }
    let mut lines: Vec<String> = t
        .findings
        .iter()
        .map(|f| {
            format!(
                "{}{}",
                if f.fails { "**✗** " } else { "" },
                cell(&describe(f))
            )
        })
        .collect();
    lines.extend(
        t.resolved
            .iter()
            .flatten()
            .map(|f| format!("✓ {}", cell(&describe_resolved(f)))),
    );
    if let Some(n) = t.standing.filter(|n| *n > 0) {
        lines.push(format!(
            "<sub>{n} finding{} standing since the previous audit</sub>",
            if n == 1 { "" } else { "s" }
        ));
    }
    let findings = if let Some(e) = &t.error {
        cell(e)
    } else if lines.is_empty() {
        "–".to_string()
    } else {
        lines.join("<br>")
    };
    let _ = writeln!(
        out,
        "| {} | {} | {} |",
        t.verdict.as_str(),
        cell(&case_name(t)),
        findings
    );
    out
}

/// The line of versions under the table.
pub(crate) fn markdown_foot(r: &AuditReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n<sub>{} {} · extractor {} · {}</sub>",
        r.tool.name, r.tool.version, r.extractor_version, r.diff_version
    );
    out
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn a_markdown_cell_shows_page_text_as_text() {
        assert_eq!(
            cell("a **bold** | claim\u{1b}[31m <img src=x onerror=alert(1)> & `code`\nnext"),
            "a \\*\\*bold\\*\\* \\| claim\\\\u{1b}\\[31m &lt;img src=x onerror=alert(1)&gt; &amp; \\`code\\` next"
        );
        assert_eq!(cell("“2004” → “2005”"), "“2004” → “2005”");
    }
}
