//! `stet audit` output: text for a person reading cron mail, canonical JSON
//! for machines, and a self-contained HTML page.

use std::fmt::Write as _;

use super::html::{esc, page_start, PAGE_END};
use super::sanitize::line;
use super::{clip, json_line, short_id, Styles, SHOWN_CHARS};
use crate::model::audit::short_fingerprint;
use crate::model::audit::Resolved;
use crate::model::diff::NoticeAction;
use crate::model::{AuditReport, AuditTally, Finding, FindingKind, TargetAudit, Verdict};

/// The one-line summary: `3 targets: 1 fail, 1 changed, 1 clean`.
pub fn summary(r: &AuditReport) -> String {
    summary_of(r, &r.tally())
}

/// The summary of a report's `head` (settings and versions) whose targets
/// came to `tally`.
pub(crate) fn summary_of(r: &AuditReport, tally: &AuditTally) -> String {
    if r.new {
        return new_summary(r, tally);
    }
    let mut parts = Vec::new();
    for v in [
        Verdict::Error,
        Verdict::Fail,
        Verdict::Changed,
        Verdict::Notice,
        Verdict::Clean,
    ] {
        let n = tally.count(v);
        if n > 0 {
            parts.push(format!("{n} {}", v.as_str()));
        }
    }
    let n = tally.targets;
    format!(
        "stet audit{}: {n} target{}: {}",
        if r.offline { " (offline)" } else { "" },
        if n == 1 { "" } else { "s" },
        if parts.is_empty() {
            "none".to_string()
        } else {
            parts.join(", ")
        }
    )
}

/// With `--new`: `stet audit --new: 3 targets: 2 new findings (1 failing), 5 resolved`.
fn new_summary(r: &AuditReport, tally: &AuditTally) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let (new, failing, resolved) = (tally.findings, tally.failing, tally.resolved);
    let errors = tally.count(Verdict::Error);
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(plural(errors, "error", "errors"));
    }
    if new > 0 {
        parts.push(format!(
            "{} ({failing} failing)",
            plural(new, "new finding", "new findings")
        ));
    }
    if resolved > 0 {
        parts.push(format!("{resolved} resolved"));
    }
    let n = tally.targets;
    format!(
        "stet audit --new{}: {}: {}",
        if r.offline { " (offline)" } else { "" },
        plural(n, "target", "targets"),
        if parts.is_empty() {
            "nothing new".to_string()
        } else {
            parts.join(", ")
        }
    )
}

/// Summary first, then each target. With `--new`, only targets with
/// something new or resolved. `quiet`: only the targets that fail or err
/// (with `--new`: that have a new finding that fails), and nothing else.
pub fn text(r: &AuditReport, color: bool, quiet: bool) -> String {
    let mut out = text_head(r, &r.tally(), color, quiet);
    let mut first = true;
    for t in &r.targets {
        out.push_str(&text_target(r, t, color, quiet, &mut first));
    }
    out
}

/// The text report's first line: the summary (none when `quiet`).
pub(crate) fn text_head(r: &AuditReport, tally: &AuditTally, color: bool, quiet: bool) -> String {
    if quiet {
        return String::new();
    }
    let s = Styles::new(color);
    format!("{}{}{:#}\n", s.strong, summary_of(r, tally), s.strong)
}

/// One target of the text report of `r` (its head), or nothing when it is
/// not shown. `first`: no target was shown before (cleared when this one is).
pub(crate) fn text_target(
    r: &AuditReport,
    t: &TargetAudit,
    color: bool,
    quiet: bool,
    first: &mut bool,
) -> String {
    let shown = if quiet {
        r.alerts(t)
    } else if r.new {
        t.has_news()
    } else {
        true
    };
    let mut out = String::new();
    if !shown {
        return out;
    }
    target_text(&mut out, &Styles::new(color), t, quiet);
    // Quiet output has no summary to lead it: no blank line either.
    if quiet && std::mem::take(first) {
        out.remove(0);
    }
    out
}

/// `quiet`: of the resolved findings, only those that failed (a quiet run
/// never told of the others).
fn target_text(out: &mut String, s: &Styles, t: &TargetAudit, quiet: bool) {
    let style = match t.verdict {
        Verdict::Fail | Verdict::Error => s.bad,
        Verdict::Changed | Verdict::Notice => s.strong,
        Verdict::Clean => s.good,
    };
    let name = t
        .name
        .as_deref()
        .map(|n| format!("{} ", line(n)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "\n{style}{:<7}{style:#} {name}{}",
        t.verdict.as_str().to_uppercase(),
        line(&t.target)
    );
    if let Some(e) = &t.error {
        let _ = writeln!(out, "        {}", line(e));
    }
    if let (Some(reference), Some(current)) = (&t.reference, &t.current) {
        let _ = writeln!(
            out,
            "        {}reference {} {} → current {} {}{}{:#}",
            s.dim,
            short_id(&reference.id),
            reference.fetched_at,
            short_id(&current.id),
            current.fetched_at,
            t.fetch.map(|f| format!(" ({f})")).unwrap_or_default(),
            s.dim
        );
    }
    if let Some(seen) = &t.seen_before {
        let _ = writeln!(
            out,
            "        the current text is the one of {} (changed back)",
            short_id(seen)
        );
    }
    for note in &t.notes {
        let _ = writeln!(out, "        {}note: {}{:#}", s.dim, line(note), s.dim);
    }
    for reason in &t.coarse {
        let _ = writeln!(out, "        coarse diff: {}", line(reason));
    }
    for f in &t.findings {
        finding_text(out, s, f);
    }
    for f in t.resolved.iter().flatten().filter(|f| f.failed || !quiet) {
        let was = super::resolved_was(f, shown);
        let _ = writeln!(
            out,
            "        {}resolved {}{:#} {}: {was} {}[{}]{:#}",
            s.good,
            f.kind,
            s.good,
            line(&f.location),
            s.dim,
            short_fingerprint(&f.fingerprint),
            s.dim
        );
    }
    accept_hint(out, s, t);
    if let Some(n) = t.standing.filter(|n| *n > 0) {
        let _ = writeln!(
            out,
            "        {}{n} finding{} standing since the previous audit (not repeated){:#}",
            s.dim,
            if n == 1 { "" } else { "s" },
            s.dim
        );
    }
}

/// How to accept what fails, naming the target as stet.toml does: `pin`
/// for changes of the article, `ack` for standing findings.
fn accept_hint(out: &mut String, s: &Styles, t: &TargetAudit) {
    let failing: Vec<&Finding> = t.findings.iter().filter(|f| f.fails).collect();
    if failing.is_empty() {
        return;
    }
    let who = shell_word(t.name.as_deref().unwrap_or(&t.target));
    let changes = failing.iter().any(|f| f.kind.changes());
    let standing: Vec<&&Finding> = failing.iter().filter(|f| !f.kind.changes()).collect();
    let mut ways = Vec::new();
    if changes {
        ways.push(format!("`stet pin {who}` accepts the changes"));
    }
    match standing.as_slice() {
        [] => {}
        [one] => ways.push(format!(
            "`stet ack {who} {} --note WHY` accepts the {}",
            short_fingerprint(&one.fingerprint),
            one.kind.as_str()
        )),
        _ => ways.push(format!(
            "`stet ack {who} FINDING… --note WHY` accepts standing findings"
        )),
    }
    let _ = writeln!(
        out,
        "        {}hint: {}{:#}",
        s.dim,
        line(&ways.join("; ")),
        s.dim
    );
}

/// `word` as one shell word: quoted when it holds anything but letters,
/// digits and `-_./:@`.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || "-_./:@".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// A before or after text: quoted and clipped, `∅` when empty.
fn shown(x: Option<&str>) -> String {
    match x {
        None | Some("") => "∅".to_string(),
        Some(t) => format!("“{}”", line(&clip(t, SHOWN_CHARS))),
    }
}

/// The last `max` characters of `s` (all of it when shorter).
fn last_chars(s: &str, max: usize) -> &str {
    let skip = s.chars().count().saturating_sub(max);
    s.char_indices().nth(skip).map_or("", |(at, _)| &s[at..])
}

fn finding_text(out: &mut String, s: &Styles, f: &Finding) {
    let mark = if f.fails { s.bad } else { s.strong };
    let kind = &f.kind;
    let class = match kind {
        FindingKind::Correction { action, .. } => format!(" {}", action.as_str()),
        _ => super::class_label(kind, false)
            .map(|c| format!(" {c}"))
            .unwrap_or_default(),
    };
    let location = kind
        .location()
        .map(|l| format!(" {}", line(l)))
        .unwrap_or_default();
    let detail = match kind {
        FindingKind::Edit { edit, .. } => {
            // The context nearest the change is kept; a space stands
            // between them only where the text has one.
            let (cb, ca) = (
                line(last_chars(edit.context_before.trim(), 80)).into_owned(),
                line(&clip(edit.context_after.trim(), 80)).into_owned(),
            );
            let gap = |yes: bool| if yes { " " } else { "" };
            if !cb.is_empty() || !ca.is_empty() {
                format!(
                    "…{cb}{}[{} → {}]{}{ca}…",
                    gap(!cb.is_empty() && edit.context_before.ends_with(char::is_whitespace)),
                    shown(kind.before()),
                    shown(kind.after()),
                    gap(!ca.is_empty() && edit.context_after.starts_with(char::is_whitespace)),
                )
            } else {
                format!("{} → {}", shown(kind.before()), shown(kind.after()))
            }
        }
        FindingKind::ProvenanceChanged(c)
        | FindingKind::CaptionChanged(c)
        | FindingKind::ImageChanged(c)
        | FindingKind::HeadlineChanged(c) => format!(
            "{} → {}",
            shown(c.before.as_deref()),
            shown(c.after.as_deref())
        ),
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
                .map(|d| format!("(dated {d}) "))
                .unwrap_or_default();
            match action {
                NoticeAction::Changed => format!(
                    "{dated}{} → {}",
                    shown(before.as_deref()),
                    shown(after.as_deref())
                ),
                _ => format!("{dated}{}", shown(Some(&notice.text))),
            }
        }
        FindingKind::DeadLink {
            url,
            status,
            reason,
            suggestion,
            ..
        } => format!(
            "{} ({}{})",
            line(url),
            status.map_or_else(|| reason.clone().unwrap_or_default(), |c| c.to_string()),
            suggestion
                .as_deref()
                .map(|a| format!("; archived: {}", line(a)))
                .unwrap_or_default()
        ),
        FindingKind::MissingCaption { url, .. } => format!("image {} has no caption", line(url)),
        FindingKind::PlaceholderAlt { url, alt, .. } => match alt.as_str() {
            "" => format!("image {} has no alt text", line(url)),
            alt => format!(
                "image {} has the placeholder alt text “{}”",
                line(url),
                line(alt)
            ),
        },
        FindingKind::TargetDead { url, status, .. } => {
            format!("{} {}", line(url), FindingKind::dead_because(*status))
        }
        FindingKind::ArticleGone { url, after, .. } if after.is_empty() => format!(
            "{} no longer shows the article; it shows no text",
            line(url)
        ),
        FindingKind::ArticleGone { url, after, .. } => format!(
            "{} no longer shows the article; it shows “{}”",
            line(url),
            line(after)
        ),
        FindingKind::RobotsDisallowed { url, .. } => {
            format!("disallows {}; its changes are no longer seen", line(url))
        }
    };
    let _ = writeln!(
        out,
        "        {mark}{}{}{class}{:#}{location}: {detail} {}[{}]{:#}",
        if f.acknowledged { "acknowledged " } else { "" },
        kind.as_str(),
        mark,
        s.dim,
        short_fingerprint(&f.fingerprint),
        s.dim
    );
}

pub fn json(r: &AuditReport) -> String {
    let (start, end) = json_ends(r);
    let mut out = start;
    for (i, t) in r.targets.iter().enumerate() {
        out.push_str(&json_target(t, i == 0));
    }
    out.push_str(&end);
    out
}

/// The canonical JSON of `r` (its head) around its targets: what comes
/// before the first and after the last. Keys are sorted: `targets` comes
/// after the versions and before `tool`.
pub(crate) fn json_ends(r: &AuditReport) -> (String, String) {
    const TARGETS: &str = "\"targets\":[";
    let whole = json_line(&r.head());
    // A string value holds no bare quote: the first match is the key.
    match whole.find(TARGETS) {
        Some(at) => {
            let (start, end) = whole.split_at(at + TARGETS.len());
            (start.to_string(), end.to_string())
        }
        None => (whole, String::new()),
    }
}

/// One target in the report's `targets` array (`first`: no comma before).
pub(crate) fn json_target(t: &TargetAudit, first: bool) -> String {
    let mut out = json_line(t);
    out.pop();
    if !first {
        out.insert(0, ',');
    }
    out
}

/// The findings as a table: what, where, the facts, and whether it fails.
/// Each kind says what it found in words: a placeholder alt text is shown as
/// the text that is there, not as a deletion.
pub(crate) fn findings_table(out: &mut String, findings: &[Finding]) {
    if findings.is_empty() {
        return;
    }
    out.push_str("<table class=\"findings\">\n<tr><th>finding</th><th>where</th><th>what</th><th>fails</th></tr>\n");
    for f in findings {
        let k = &f.kind;
        let kind = match (k, super::class_label(k, true)) {
            (FindingKind::Correction { action, .. }, _) => {
                format!("{} ({})", k.as_str(), action.as_str())
            }
            (_, Some(c)) => format!("{} ({c})", k.as_str()),
            (_, None) => k.as_str().to_string(),
        };
        let location = k.location().or(k.url()).unwrap_or_default();
        let _ = writeln!(
            out,
            "<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td class=\"nowrap\">{}</td></tr>",
            if f.fails { "fails" } else { "below" },
            esc(&kind),
            esc(location),
            finding_html(k),
            if f.fails {
                "yes"
            } else if f.acknowledged {
                "no (acknowledged)"
            } else {
                "no"
            }
        );
    }
    out.push_str("</table>\n");
}

/// With `--new`: the findings of the previous audit that are gone.
fn resolved_table(out: &mut String, resolved: &[Resolved]) {
    if resolved.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<h3>Resolved since the previous audit</h3>\n<table class=\"findings resolved\">\n<tr><th>finding</th><th>where</th><th>what it was</th><th>fingerprint</th></tr>"
    );
    let cell = |x: Option<&str>, tag: &str| match x {
        None | Some("") => "<em>(none)</em>".to_string(),
        Some(t) => format!("<{tag}>{}</{tag}>", esc(t)),
    };
    for f in resolved {
        let _ = writeln!(
            out,
            "<tr class=\"resolved\"><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
            esc(&f.kind),
            esc(&f.location),
            match super::resolved_state(f) {
                Some((what, value)) => format!("{what} {}", cell(Some(value), "q")),
                None => format!(
                    "{} → {}",
                    cell(f.before.as_deref(), "del"),
                    cell(f.after.as_deref(), "ins")
                ),
            },
            esc(short_fingerprint(&f.fingerprint))
        );
    }
    out.push_str("</table>\n");
}

/// The facts of one finding, as HTML.
fn finding_html(k: &FindingKind) -> String {
    let del = |x: Option<&str>| match x {
        None | Some("") => "<em>(none)</em>".to_string(),
        Some(t) => format!("<del>{}</del>", esc(t)),
    };
    let ins = |x: Option<&str>| match x {
        None | Some("") => "<em>(none)</em>".to_string(),
        Some(t) => format!("<ins>{}</ins>", esc(t)),
    };
    match k {
        FindingKind::Edit { .. }
        | FindingKind::ProvenanceChanged(_)
        | FindingKind::CaptionChanged(_)
        | FindingKind::ImageChanged(_)
        | FindingKind::HeadlineChanged(_) => {
            format!("{} → {}", del(k.before()), ins(k.after()))
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
                .map(|d| format!(" <span class=\"tag\">dated {}</span>", esc(d)))
                .unwrap_or_default();
            let body = match action {
                NoticeAction::Added => ins(after.as_deref()),
                NoticeAction::Removed => del(before.as_deref()),
                NoticeAction::Changed => {
                    format!("{} → {}", del(before.as_deref()), ins(after.as_deref()))
                }
            };
            format!("{body}{dated}")
        }
        FindingKind::DeadLink {
            url,
            status,
            reason,
            suggestion,
            ..
        } => format!(
            "<code>{}</code> ({}){}",
            esc(url),
            esc(&status.map_or_else(|| reason.clone().unwrap_or_default(), |c| c.to_string())),
            suggestion
                .as_deref()
                .map(|a| format!("; archived: <code>{}</code>", esc(a)))
                .unwrap_or_default()
        ),
        FindingKind::MissingCaption { url, .. } => {
            format!("image <code>{}</code> has no caption", esc(url))
        }
        FindingKind::PlaceholderAlt { url, alt, .. } => match alt.as_str() {
            "" => format!("image <code>{}</code> has no alt text", esc(url)),
            alt => format!(
                "image <code>{}</code> has the placeholder alt text <q>{}</q>, which describes nothing",
                esc(url),
                esc(alt)
            ),
        },
        FindingKind::TargetDead { url, status, .. } => format!(
            "<code>{}</code> {}",
            esc(url),
            FindingKind::dead_because(*status)
        ),
        FindingKind::ArticleGone { url, after, .. } if after.is_empty() => format!(
            "<code>{}</code> no longer shows the article; it shows no text",
            esc(url)
        ),
        FindingKind::ArticleGone { url, after, .. } => format!(
            "<code>{}</code> no longer shows the article; it shows <q>{}</q>",
            esc(url),
            esc(after)
        ),
        FindingKind::RobotsDisallowed { url, .. } => format!(
            "robots.txt disallows <code>{}</code>; its changes are no longer seen",
            esc(url)
        ),
    }
}

/// One self-contained page: the summary, then per target its provenance,
/// findings, and (with edits) the side-by-side diff `diff_section` makes.
pub fn html(r: &AuditReport) -> String {
    let mut out = html_head(r, &r.tally());
    for t in &r.targets {
        out.push_str(&html_target(t));
    }
    out.push_str(PAGE_END);
    out
}

/// The page's start, up to its first target.
pub(crate) fn html_head(r: &AuditReport, tally: &AuditTally) -> String {
    let summary = summary_of(r, tally);
    let mut out = page_start(&summary);
    let _ = writeln!(out, "<h1>{}</h1>", esc(&summary));
    let _ = writeln!(
        out,
        "<p class=\"note\">{} {} · extractor {} · {} · similar {}</p>",
        esc(&r.tool.name),
        esc(&r.tool.version),
        esc(r.extractor_version),
        esc(r.diff_version),
        esc(r.similar_version)
    );
    out
}

/// One target of the page: provenance, findings, and the diff.
pub(crate) fn html_target(t: &TargetAudit) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<h2 class=\"{}\">{} {}</h2>",
        t.verdict.as_str(),
        t.verdict.as_str().to_uppercase(),
        esc(t.name.as_deref().unwrap_or(&t.target))
    );
    let _ = writeln!(out, "<p>{}</p>", esc(&t.target));
    if let Some(e) = &t.error {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", esc(e));
    }
    for note in &t.notes {
        let _ = writeln!(out, "<p class=\"note\">note: {}</p>", esc(note));
    }
    findings_table(&mut out, &t.findings);
    resolved_table(&mut out, t.resolved.as_deref().unwrap_or_default());
    if let Some(d) = &t.diff {
        super::html::diff_section(&mut out, d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::last_chars;

    #[test]
    fn last_chars_keeps_the_end() {
        assert_eq!(last_chars("abcdef", 3), "def");
        assert_eq!(last_chars("ab", 3), "ab");
        assert_eq!(last_chars("", 3), "");
        assert_eq!(last_chars("žluťoučký", 4), "učký");
        assert_eq!(last_chars("abc", 0), "");
    }
}
