//! Correction notices: a block that is a published correction, update,
//! clarification or editor's note (pure).
//!
//! A block is a notice when it *starts* with a marker ("Correction:",
//! "Update (Nov. 3):", "Editor's note —", "Korrektur:", "Rectificatif",
//! "Fe de erratas", "Rettifica:", "Correção:", "Correctie:", …), or states
//! that an earlier version of the article differed ("An earlier version of
//! this post misstated …", "In einer früheren Version dieses Artikels …") or
//! that the article was corrected or updated ("This story has been updated
//! …", also after a label: "Note: this story …"), or is a news agency's
//! advisory, a whole block in brackets ("(Corrects paragraph 3 to show
//! …)", "(Updates with comment …)"). English, German, French, Spanish,
//! Italian, Portuguese and Dutch. A marker word inside a sentence
//! ("Correction officers said …", "the update was …") is not one.
//!
//! [`corrections`] walks a diff's block alignment and reports each notice
//! that was added, changed or removed, with the date the notice states.

use std::sync::LazyLock;

use regex::Regex;

use super::{DocDiff, RowStatus};
use crate::extract::normalize::fold;
pub use crate::model::diff::{Notice, NoticeAction, NoticeChange, NoticeKind};
use crate::model::Document;

/// Blocks longer than this are article text, not notices.
const MAX_NOTICE_CHARS: usize = 1500;

/// Markers a notice starts with (lower case, quotes and dashes folded).
const MARKERS: &[(&str, NoticeKind)] = &[
    // English
    ("correction", NoticeKind::Correction),
    ("corrections", NoticeKind::Correction),
    ("clarification", NoticeKind::Clarification),
    ("update", NoticeKind::Update),
    ("updated", NoticeKind::Update),
    ("editor's note", NoticeKind::EditorsNote),
    ("editors' note", NoticeKind::EditorsNote),
    ("editors note", NoticeKind::EditorsNote),
    ("note from the editor", NoticeKind::EditorsNote),
    ("note from the editors", NoticeKind::EditorsNote),
    // "Correction appended": the notice follows at the end.
    ("correction appended", NoticeKind::Correction),
    ("clarification appended", NoticeKind::Clarification),
    // German
    ("korrektur", NoticeKind::Correction),
    ("berichtigung", NoticeKind::Correction),
    ("korrekturhinweis", NoticeKind::Correction),
    ("richtigstellung", NoticeKind::Correction),
    ("klarstellung", NoticeKind::Clarification),
    ("aktualisierung", NoticeKind::Update),
    ("aktualisiert", NoticeKind::Update),
    ("nachtrag", NoticeKind::Update),
    ("anmerkung der redaktion", NoticeKind::EditorsNote),
    ("hinweis der redaktion", NoticeKind::EditorsNote),
    ("anm. d. red.", NoticeKind::EditorsNote),
    ("transparenzhinweis", NoticeKind::EditorsNote),
    // French
    ("rectificatif", NoticeKind::Correction),
    ("rectification", NoticeKind::Correction),
    ("erratum", NoticeKind::Correction),
    ("précision", NoticeKind::Clarification),
    ("mise à jour", NoticeKind::Update),
    ("mis à jour", NoticeKind::Update),
    ("note de la rédaction", NoticeKind::EditorsNote),
    ("note de la redaction", NoticeKind::EditorsNote),
    ("n.d.l.r.", NoticeKind::EditorsNote),
    ("ndlr", NoticeKind::EditorsNote),
    // Spanish
    ("corrección", NoticeKind::Correction),
    ("correccion", NoticeKind::Correction),
    ("fe de erratas", NoticeKind::Correction),
    ("fe de errata", NoticeKind::Correction),
    ("fe de errores", NoticeKind::Correction),
    ("rectificación", NoticeKind::Correction),
    ("rectificacion", NoticeKind::Correction),
    ("aclaración", NoticeKind::Clarification),
    ("aclaracion", NoticeKind::Clarification),
    ("actualización", NoticeKind::Update),
    ("actualizacion", NoticeKind::Update),
    ("nota del editor", NoticeKind::EditorsNote),
    ("nota de los editores", NoticeKind::EditorsNote),
    ("nota de la redacción", NoticeKind::EditorsNote),
    ("nota de la redaccion", NoticeKind::EditorsNote),
    // Italian
    ("rettifica", NoticeKind::Correction),
    ("correzione", NoticeKind::Correction),
    ("errata corrige", NoticeKind::Correction),
    ("precisazione", NoticeKind::Clarification),
    ("aggiornamento", NoticeKind::Update),
    ("aggiornato", NoticeKind::Update),
    ("nota della redazione", NoticeKind::EditorsNote),
    ("n.d.r.", NoticeKind::EditorsNote),
    // Portuguese
    ("correção", NoticeKind::Correction),
    ("correcção", NoticeKind::Correction),
    ("errata", NoticeKind::Correction),
    ("esclarecimento", NoticeKind::Clarification),
    ("atualização", NoticeKind::Update),
    ("actualização", NoticeKind::Update),
    ("atualizado", NoticeKind::Update),
    ("nota da redação", NoticeKind::EditorsNote),
    ("nota da redacção", NoticeKind::EditorsNote),
    ("nota do editor", NoticeKind::EditorsNote),
    // Dutch
    ("correctie", NoticeKind::Correction),
    ("rectificatie", NoticeKind::Correction),
    ("verduidelijking", NoticeKind::Clarification),
    ("naschrift", NoticeKind::Update),
    ("noot van de redactie", NoticeKind::EditorsNote),
];

/// Words allowed between a marker and its colon: "Update (Nov. 3, 2026,
/// 5 p.m. ET):", "Korrektur vom 3. November 2026:", "Mise à jour le 3
/// novembre :".
const GAP_WORDS: &[&str] = &[
    "on", "at", "of", "am", "pm", "a", "p", "m", "et", "est", "edt", "pt", "pst", "pdt", "gmt",
    "utc", "bst", "cet", "cest", "vom", "am", "um", "uhr", "le", "du", "à", "h", "el", "del", "de",
    "the", "st", "nd", "rd", "th", "er", "delle", "alle", "ore", "di", "às", "do", "da", "om",
    "uur", "van", "op",
];

fn re(pattern: &str) -> Option<Regex> {
    Regex::new(pattern).ok()
}

type Re = LazyLock<Option<Regex>>;

/// "An earlier version of this article …" and its kin (anywhere in the block).
static EARLIER_VERSION: Re = LazyLock::new(|| {
    re(
        r"(?i)\b(?:(?:an?|the)\s+(?:earlier|previous|prior|older|original)\s+version|(?:earlier|previous|prior)\s+versions)\s+of\s+(?:this|the)\s+(?:article|story|post|blog\s+post|piece|report|column|item|headline|caption|photo\s+caption|essay|review|newsletter|graphic|video|episode|obituary|editorial)\b|\bin\s+einer\s+(?:früheren|vorherigen|älteren|ersten)\s+(?:version|fassung)\s+(?:dieses|des)\s+(?:artikels|textes|beitrags|berichts)\b|\bune\s+(?:précédente|ancienne|première)\s+version\s+de\s+cet\s+(?:article|texte)\b|\bune\s+version\s+(?:précédente|antérieure)\s+de\s+cet\s+(?:article|texte)\b|\buna\s+versión\s+(?:anterior|previa|original)\s+de\s+(?:este|esta)\s+(?:artículo|nota|noticia|texto|información)\b|\buna\s+(?:(?:precedente|prima|vecchia)\s+versione|versione\s+(?:precedente|originale|anteriore))\s+(?:di\s+questo|dell')\s*(?:articolo|pezzo|testo)\b|\buma\s+versão\s+(?:anterior|original)\s+dest[ae]\s+(?:reportagem|matéria|notícia|texto|artigo)\b|\bin\s+een\s+(?:eerdere|vorige|oudere)\s+versie\s+van\s+(?:dit|het)\s+(?:artikel|bericht|stuk)\b",
    )
});

/// "We have amended this article …", "The Times has corrected this story
/// …" at the start of a block.
static WE_HAVE: Re = LazyLock::new(|| {
    re(
        r"(?i)^(?:we|the\s+[\p{L}'.]+(?:\s+[\p{L}'.]+)?)\s+(?:have|has)\s+(?:since\s+)?(?P<verb>updated|corrected|amended|clarified|revised|edited)\s+(?:this|the|an\s+earlier\s+version\s+of\s+this)\s+(?:article|story|post|blog\s+post|piece|report|column|item|page|headline|caption)\b",
    )
});

/// "This article has been corrected / updated …" at the start of a block.
static THIS_ARTICLE: Re = LazyLock::new(|| {
    re(
        r"(?i)^(?:[\p{L}'.]+(?:\s+[\p{L}'.]+){0,2}\s*:\s*)?(?:this\s+(?:article|story|post|blog\s+post|piece|report|column|item|page)\s+(?:has\s+been|was|is\s+being|had\s+been)\s+(?:\w+\s+)?(?P<en>updated|corrected|amended|revised|changed|edited)|dieser\s+(?:artikel|text|beitrag|bericht)\s+wurde\s+(?:\w+\s+)?(?P<de>aktualisiert|korrigiert|geändert|ergänzt|berichtigt)|cet\s+(?:article|texte)\s+a\s+été\s+(?:\w+\s+)?(?P<fr>mis\s+à\s+jour|corrigé|modifié|actualisé|rectifié)|(?:este|esta)\s+(?:artículo|nota|noticia|texto)\s+(?:ha\s+sido|fue)\s+(?:\w+\s+)?(?P<es>actualizad[oa]|corregid[oa]|modificad[oa]|rectificad[oa])|questo\s+(?:articolo|pezzo|testo)\s+è\s+stato\s+(?:\w+\s+)?(?P<it>aggiornato|corretto|modificato|rettificato)|(?:este|esta)\s+(?:reportagem|matéria|notícia|texto|artigo)\s+foi\s+(?:\w+\s+)?(?P<pt>atualizad[oa]|corrigid[oa]|alterad[oa]|retificad[oa])|(?:dit|het)\s+(?:artikel|bericht|stuk)\s+(?:is|werd)\s+(?:\w+\s+)?(?P<nl>aangepast|bijgewerkt|gecorrigeerd|gewijzigd|geactualiseerd|rechtgezet))\b",
    )
});

/// The notice `text` is, if it is one.
pub fn notice(text: &str) -> Option<Notice> {
    if text.chars().count() > MAX_NOTICE_CHARS {
        return None;
    }
    let folded = fold(text);
    let kind = kind_of(&folded).or_else(|| {
        // A whole block in brackets: an agency's advisory (a notice in
        // brackets is one already: its opening bracket is not read).
        let inner = folded
            .trim()
            .strip_prefix(['(', '['])?
            .strip_suffix([')', ']'])?;
        advisory_kind(&inner.to_lowercase())
    })?;
    Some(Notice {
        kind,
        text: text.trim().to_string(),
        date: notice_date(&folded),
    })
}

/// A block without the bullets, stars and brackets a notice may open with.
fn lead_trimmed(text: &str) -> &str {
    text.trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, '*' | '_' | '[' | '(' | '-' | '•' | '·' | '>' | '#')
    })
}

fn kind_of(folded: &str) -> Option<NoticeKind> {
    marker_kind(folded).or_else(|| {
        let lower = folded.to_lowercase();
        phrase_kind(&lower).or_else(|| participle_kind(lead_trimmed(&lower)))
    })
}

/// A notice that opens with what was done to the article, and says when
/// or why: "Updated at 4 p.m. to add the council's response", "Corrected
/// to show the vote was on Monday", "Updated with comment from the
/// mayor". Not "Updated figures show …": the word after the participle
/// must be "with", "to" before a verb of the trade, or "at"/"on" before a
/// time or date.
fn participle_kind(lower: &str) -> Option<NoticeKind> {
    let mut words = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty());
    let kind = participle(words.next()?)?;
    let next = words.next()?;
    let then = words.next().unwrap_or("");
    let said_when = |w: &str| w.starts_with(|c: char| c.is_ascii_digit()) || month(w).is_some();
    let fits = match next {
        "with" => true,
        "to" => ADVISORY_VERBS.contains(&then),
        "at" | "on" => said_when(then),
        _ => false,
    };
    fits.then_some(kind)
}

/// What a participle that opens a notice says was done.
fn participle(word: &str) -> Option<NoticeKind> {
    match word {
        "updated" | "edited" | "revised" => Some(NoticeKind::Update),
        "corrected" | "amended" => Some(NoticeKind::Correction),
        "clarified" => Some(NoticeKind::Clarification),
        _ => None,
    }
}

/// Verbs after "to" in a notice: "Updated to *add* …", "Corrected to
/// *show* …".
const ADVISORY_VERBS: &[&str] = &[
    "add",
    "include",
    "reflect",
    "correct",
    "clarify",
    "remove",
    "show",
    "note",
    "update",
    "fix",
    "delete",
    "change",
    "state",
    "identify",
    "reflects",
    "incorporate",
    "insert",
    "replace",
];

/// A news agency's advisory, the words inside its brackets: "Corrects
/// paragraph 3 to show …", "Updates with comment …", "Refiles to add a
/// dropped word" (Reuters, Bloomberg and the papers that print their copy).
/// A verb that says little alone ("Adds", "Updates") needs "with" after it
/// or a word of the trade in the advisory (paragraph, headline, quotes…).
fn advisory_kind(lower: &str) -> Option<NoticeKind> {
    let mut words = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    let first = words.next()?;
    // "[Updated at 3 p.m. with comment from the mayor]": a whole block in
    // brackets that says what was done is a notice, whatever follows.
    if let Some(kind) = participle(first) {
        return Some(kind);
    }
    match first {
        "corrects" | "amends" => return Some(NoticeKind::Correction),
        "clarifies" => return Some(NoticeKind::Clarification),
        "refiles" | "recasts" | "rewrites" => return Some(NoticeKind::Update),
        "updates" | "adds" | "fixes" | "removes" | "changes" | "inserts" | "replaces" => {}
        _ => return None,
    }
    let rest: Vec<&str> = words.collect();
    let trade = rest.first() == Some(&"with") || rest.iter().any(|w| ADVISORY_WORDS.contains(w));
    trade.then_some(NoticeKind::Update)
}

/// The words of an agency advisory's trade.
const ADVISORY_WORDS: &[&str] = &[
    "paragraph",
    "paragraphs",
    "para",
    "paras",
    "headline",
    "dateline",
    "byline",
    "story",
    "quote",
    "quotes",
    "comment",
    "comments",
    "details",
    "background",
    "graphic",
    "photo",
    "spelling",
    "typo",
    "dropped",
    "reaction",
    "statement",
    "context",
    "figures",
];

/// The kind of the marker `folded` starts with (in any case), if it starts
/// with one that stands as a label (followed by a colon or dash, a dated
/// or numbered label, or nothing at all).
fn marker_kind(folded: &str) -> Option<NoticeKind> {
    let start = lead_trimmed(folded);
    let mut best: Option<(usize, NoticeKind)> = None;
    for &(marker, kind) in MARKERS {
        // The marker's letters in the text's case ("UPDATE", "Update").
        let head: String = start.chars().take(marker.chars().count()).collect();
        if head.to_lowercase() != marker {
            continue;
        }
        let after = &start[head.len()..];
        // The marker is a whole word ("updates" is not "update").
        if after
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() && !marker.ends_with('.'))
        {
            continue;
        }
        if is_label(after) && best.is_none_or(|(len, _)| marker.len() > len) {
            best = Some((marker.len(), kind));
        }
    }
    best.map(|(_, kind)| kind)
}

/// What follows a marker makes it a label: punctuation that ends a label,
/// nothing, or a short date or number before such punctuation.
fn is_label(after: &str) -> bool {
    let rest = after.trim_start();
    let ends_label = |s: &str| {
        s.is_empty()
            || s.starts_with([':', ']', ')', '-', '|', '.', ',', '*', '_'])
            || s.trim_end_matches(['*', '_', '.', ' ']).is_empty()
    };
    if ends_label(rest) {
        // After a full stop or comma, a label is followed by the end, a
        // capital or a date ("Update, the mayor said" is a sentence).
        if let Some(tail) = rest.strip_prefix(['.', ',']) {
            let tail = tail.trim_start();
            return tail.is_empty()
                || tail.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
                || notice_date(tail).is_some()
                || dated_label(tail);
        }
        return true;
    }
    dated_label(rest)
}

/// A short date or number before a colon or dash: "(Nov. 3, 2026):",
/// "Nov. 3, 2026, 5 p.m. ET:", "2:", "le 5 mars à 14 h :".
fn dated_label(rest: &str) -> bool {
    let Some(colon) = rest.find([':', '-']) else {
        return false;
    };
    let gap = &rest[..colon];
    if gap.chars().count() > 48 || !gap.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    gap.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .all(|w| {
            let w = w.to_lowercase();
            GAP_WORDS.contains(&w.as_str()) || month(&w).is_some()
        })
}

fn phrase_kind(lower: &str) -> Option<NoticeKind> {
    if EARLIER_VERSION.as_ref().is_some_and(|r| r.is_match(lower)) {
        return Some(NoticeKind::Correction);
    }
    if let Some(c) = WE_HAVE.as_ref()?.captures(lead_trimmed(lower)) {
        let verb = c.name("verb").map_or("", |m| m.as_str());
        return participle(verb);
    }
    let c = THIS_ARTICLE.as_ref()?.captures(lead_trimmed(lower))?;
    let verb = ["en", "de", "fr", "es", "it", "pt", "nl"]
        .iter()
        .find_map(|g| c.name(g))
        .map_or("", |m| m.as_str());
    let correction = [
        "correct",
        "amend",
        "korrig",
        "berichtig",
        "corrig",
        "rectifi",
        "rettific",
        "retific",
        "gecorrigeerd",
        "rechtgezet",
    ]
    .iter()
    .any(|stem| verb.starts_with(stem));
    Some(if correction {
        NoticeKind::Correction
    } else {
        NoticeKind::Update
    })
}

/// Month names and abbreviations in English, German, French, Spanish,
/// Italian, Portuguese and Dutch.
const MONTHS: &[(&str, u32)] = &[
    ("gennaio", 1),
    ("janeiro", 1),
    ("januari", 1),
    ("febbraio", 2),
    ("fevereiro", 2),
    ("februari", 2),
    ("março", 3),
    ("maart", 3),
    ("aprile", 4),
    ("maggio", 5),
    ("maio", 5),
    ("mei", 5),
    ("giugno", 6),
    ("junho", 6),
    ("luglio", 7),
    ("julho", 7),
    ("augustus", 8),
    ("settembre", 9),
    ("setembro", 9),
    ("ottobre", 10),
    ("outubro", 10),
    ("novembro", 11),
    ("dicembre", 12),
    ("dezembro", 12),
    ("january", 1),
    ("januar", 1),
    ("jänner", 1),
    ("janvier", 1),
    ("enero", 1),
    ("february", 2),
    ("februar", 2),
    ("février", 2),
    ("fevrier", 2),
    ("febrero", 2),
    ("march", 3),
    ("märz", 3),
    ("maerz", 3),
    ("mars", 3),
    ("marzo", 3),
    ("april", 4),
    ("avril", 4),
    ("abril", 4),
    ("may", 5),
    ("mai", 5),
    ("mayo", 5),
    ("june", 6),
    ("juni", 6),
    ("juin", 6),
    ("junio", 6),
    ("july", 7),
    ("juli", 7),
    ("juillet", 7),
    ("julio", 7),
    ("august", 8),
    ("août", 8),
    ("aout", 8),
    ("agosto", 8),
    ("september", 9),
    ("septembre", 9),
    ("septiembre", 9),
    ("setiembre", 9),
    ("october", 10),
    ("oktober", 10),
    ("octobre", 10),
    ("octubre", 10),
    ("november", 11),
    ("novembre", 11),
    ("noviembre", 11),
    ("december", 12),
    ("dezember", 12),
    ("décembre", 12),
    ("decembre", 12),
    ("diciembre", 12),
];

/// The month a word names: a full name, or an abbreviation of at least three
/// letters that every month it abbreviates agrees on ("Nov", "Sept", "déc").
fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w.chars().count() < 3 {
        return None;
    }
    if let Some(&(_, m)) = MONTHS.iter().find(|(name, _)| *name == w) {
        return Some(m);
    }
    let mut found = MONTHS
        .iter()
        .filter(|(name, _)| name.starts_with(&w))
        .map(|&(_, m)| m);
    let first = found.next()?;
    found.all(|m| m == first).then_some(first)
}

static DATE_ISO: Re = LazyLock::new(|| re(r"\b(\d{4})-(\d{2})-(\d{2})\b"));
static DATE_MDY: Re =
    LazyLock::new(|| re(r"\b(\p{L}{3,10})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b"));
static DATE_DMY: Re = LazyLock::new(|| {
    re(
        r"\b(\d{1,2})(?:\.|er|st|nd|rd|th)?\s+(?:de\s+|of\s+)?(\p{L}{3,10})\.?,?\s+(?:de\s+)?(\d{4})\b",
    )
});

fn ymd(y: &str, m: u32, d: &str) -> Option<String> {
    crate::extract::iso_date(y.parse().ok()?, m, d.parse().ok()?)
}

/// The first date written in a notice, as `YYYY-MM-DD`: "Nov. 3, 2026",
/// "3 November 2026", "2026-11-03", "3. November 2026", "3 novembre 2026",
/// "3 de noviembre de 2026".
pub fn notice_date(text: &str) -> Option<String> {
    let mut best: Option<(usize, String)> = None;
    let mut consider = |at: usize, date: Option<String>| {
        if let Some(date) = date {
            if best.as_ref().is_none_or(|(p, _)| at < *p) {
                best = Some((at, date));
            }
        }
    };
    for c in DATE_ISO.iter().flat_map(|r| r.captures_iter(text)) {
        let (Some(at), Some(y), Some(m), Some(d)) = (c.get(0), c.get(1), c.get(2), c.get(3)) else {
            continue;
        };
        if let Ok(m) = m.as_str().parse() {
            consider(at.start(), ymd(y.as_str(), m, d.as_str()));
        }
    }
    for c in DATE_MDY.iter().flat_map(|r| r.captures_iter(text)) {
        let (Some(at), Some(mw), Some(d), Some(y)) = (c.get(0), c.get(1), c.get(2), c.get(3))
        else {
            continue;
        };
        if let Some(m) = month(mw.as_str()) {
            consider(at.start(), ymd(y.as_str(), m, d.as_str()));
        }
    }
    for c in DATE_DMY.iter().flat_map(|r| r.captures_iter(text)) {
        let (Some(at), Some(d), Some(mw), Some(y)) = (c.get(0), c.get(1), c.get(2), c.get(3))
        else {
            continue;
        };
        if let Some(m) = month(mw.as_str()) {
            consider(at.start(), ymd(y.as_str(), m, d.as_str()));
        }
    }
    best.map(|(_, d)| d)
}

/// The notices added, changed or removed between `old` and `new`, in the
/// order of `diff.rows`. Moved notices whose text did not change are not
/// changes.
pub fn corrections(old: &Document, new: &Document, diff: &DocDiff) -> Vec<NoticeChange> {
    fn text(d: &Document, i: Option<usize>) -> Option<&String> {
        i.and_then(|i| d.blocks.get(i)).map(|b| &b.text)
    }
    let mut out = Vec::new();
    for row in &diff.rows {
        let (before, after) = match row.status {
            RowStatus::Inserted => (None, text(new, row.new)),
            RowStatus::Deleted => (text(old, row.old), None),
            RowStatus::Changed => (text(old, row.old), text(new, row.new)),
            RowStatus::Equal | RowStatus::MovedFrom | RowStatus::MovedTo => continue,
        };
        let was = before.and_then(|t| notice(t));
        let is = after.and_then(|t| notice(t));
        let (action, notice) = match (was, is) {
            (None, Some(n)) => (NoticeAction::Added, n),
            (Some(_), Some(n)) => (NoticeAction::Changed, n),
            (Some(n), None) => (NoticeAction::Removed, n),
            (None, None) => continue,
        };
        out.push(NoticeChange {
            action,
            notice,
            before: before.cloned(),
            after: after.cloned(),
            old_block: row.old,
            new_block: row.new,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, BlockKind};

    fn kind(text: &str) -> Option<NoticeKind> {
        notice(text).map(|n| n.kind)
    }

    #[test]
    fn notices_in_seven_languages() {
        use NoticeKind::*;
        let cases = [
            ("Correction: An earlier version of this post misstated the year the talks were suspended.", Correction),
            ("CORRECTION: The mayor's name was misspelled.", Correction),
            ("*Correction* — The study was published in 2019, not 2018.", Correction),
            ("Correction (Nov. 3, 2026): The bridge is 40 metres long.", Correction),
            ("Corrections: Two names were misspelled.", Correction),
            ("Update: The company responded after publication.", Update),
            ("UPDATE 2: Police have released the names.", Update),
            ("Updated Nov. 3, 2026, 5:10 p.m. ET: Adds comment from the minister.", Update),
            ("Updated: 2026-11-03", Update),
            ("Editor's note: This article has been updated to include a response.", EditorsNote),
            ("Editor’s Note — The author is a former adviser to the campaign.", EditorsNote),
            ("Editors' note: A source's name was withheld.", EditorsNote),
            ("Clarification: The report was commissioned, not written, by the ministry.", Clarification),
            ("An earlier version of this article incorrectly stated the date of the vote.", Correction),
            ("A previous version of this story misidentified the winner.", Correction),
            ("This article has been updated to reflect the court's ruling.", Update),
            ("This story was corrected on Nov. 3, 2026, to fix a quote.", Correction),
            ("[Updated at 3 p.m. with comment from the mayor]", Update),
            ("(Corrected at 5 p.m. ET)", Correction),
            ("Updated at 4pm to add the council's response", Update),
            ("*Updated with the mayor's comment in paragraph 4.", Update),
            ("Corrected to show the vote was on Monday, not Sunday.", Correction),
            ("Updated on March 5 with the final results.", Update),
            ("We have amended this article to remove a reference to the mayor's age.", Correction),
            ("The Guardian has corrected this article since it was first published.", Correction),
            ("We have updated this story with a statement from the police.", Update),
            ("Korrektur: In einer früheren Version hieß es, die Brücke sei 50 Meter lang.", Correction),
            ("Berichtigung: Der Minister heißt Müller, nicht Möller.", Correction),
            ("Anmerkung der Redaktion: Der Autor ist Mitglied der Partei.", EditorsNote),
            ("Korrektur vom 3. November 2026: Die Zahl wurde berichtigt.", Correction),
            ("In einer früheren Version dieses Artikels stand, der Vertrag sei unterzeichnet.", Correction),
            ("Dieser Artikel wurde aktualisiert.", Update),
            ("Correction : une erreur s'était glissée dans le titre.", Correction),
            ("Rectificatif", Correction),
            ("Rectificatif : le pont mesure 40 mètres.", Correction),
            ("Mise à jour : la mairie a répondu à nos questions.", Update),
            ("Note de la rédaction : l'auteur a travaillé pour le ministère.", EditorsNote),
            ("Une version précédente de cet article indiquait une mauvaise date.", Correction),
            ("Cet article a été mis à jour le 3 novembre 2026.", Update),
            ("Corrección: una versión anterior de este artículo decía 2005.", Correction),
            ("Fe de erratas: el nombre correcto es García.", Correction),
            ("Actualización: el ministerio respondió tras la publicación.", Update),
            ("Nota del editor: el autor es asesor del partido.", EditorsNote),
            ("Nota de la redacción: se ha corregido el titular.", EditorsNote),
            ("Una versión anterior de este artículo atribuía la cita al ministro.", Correction),
            ("Este artículo fue actualizado el 3 de noviembre de 2026.", Update),
            ("Fe de errores: el nombre correcto del ministro es García.", Correction),
            ("Korrekturhinweis: In einer früheren Version hieß es, die Brücke sei 40 Meter lang.", Correction),
            ("Mise à jour, le 5 mars à 14 h : la police a interpellé deux suspects.", Update),
            ("Correction appended", Correction),
            ("Earlier versions of this article misstated the date of the vote.", Correction),
            // A label before the statement, and the label's own case.
            ("Note: This story has been corrected to fix the minister's title.", Correction),
            ("Editor’s note, March 5: This story was updated with the ministry's response.", EditorsNote),
            ("Update. The company responded after publication.", Update),
            // News agencies' advisories, a block in brackets.
            ("(Corrects paragraph 3 to show the vote was on Tuesday, not Monday)", Correction),
            ("(Updates with comment from the ministry in paragraphs 4-6)", Update),
            ("(Refiles to add dropped word in paragraph 2)", Update),
            ("(Clarifies that the report was commissioned by the ministry)", Clarification),
            ("(This story has been corrected to fix the spelling of the minister's name)", Correction),
            ("[Update: police have named the victim.]", Update),
            ("• This article was amended on 5 March 2024 to correct a name.", Correction),
            ("*This story has been updated with comment from the ministry.", Update),
            ("— This article was corrected on March 5.", Correction),
            ("Clarification appended", Clarification),
            ("Rectificación: el nombre correcto del ministro es García.", Correction),
            // Italian
            ("Rettifica: il nome corretto del ministro è Rossi.", Correction),
            ("Errata corrige: il ponte è lungo 40 metri.", Correction),
            ("Aggiornamento delle 14:30: la polizia ha arrestato due sospetti.", Update),
            ("Nota della redazione: l'autore è consulente del ministero.", EditorsNote),
            ("Una versione precedente di questo articolo riportava un nome errato.", Correction),
            ("Questo articolo è stato aggiornato il 3 novembre 2026.", Update),
            // Portuguese
            ("Correção: o nome correto do ministro é Silva.", Correction),
            ("Atualização: a polícia prendeu dois suspeitos.", Update),
            ("Nota da redação: o autor é assessor do partido.", EditorsNote),
            ("Uma versão anterior desta reportagem informava incorretamente o nome do ministro.", Correction),
            ("Esta reportagem foi corrigida às 14h.", Correction),
            // Dutch
            ("Correctie: de brug is 40 meter lang, niet 50.", Correction),
            ("In een eerdere versie van dit artikel stond een verkeerde naam.", Correction),
            ("Naschrift: de politie heeft twee verdachten aangehouden.", Update),
            ("Noot van de redactie: de auteur werkt voor het ministerie.", EditorsNote),
            ("Dit artikel is aangepast op 5 maart.", Update),
        ];
        let wrong: Vec<_> = cases
            .iter()
            .filter(|(text, want)| kind(text) != Some(*want))
            .map(|(text, _)| (text, kind(text)))
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn not_notices() {
        let wrong = [
            "Correction officers said the prison was understaffed.",
            "The update was pushed to millions of phones overnight.",
            "Updates to the law take effect in January.",
            "Update the software to version 2: then restart.",
            "Update, the company said, would come later.",
            "Corrections Department spokesman Tom Reed declined to comment.",
            "An earlier version of the bill was rejected in 2019.",
            "The editor's note in the magazine caused a stir.",
            "Clarifications were demanded by the opposition.",
            "Die Korrekturen am Haushalt wurden abgelehnt.",
            "La mise à jour du logiciel est disponible.",
            "La corrección del examen tardó semanas.",
            "Rectificatifs et erratums sont rares dans cette revue.",
            "This article's author lives in Berlin.",
            "Update. the company said nothing.",
            "(Photo: Reuters)",
            "(Adds to a long list of complaints, residents say)",
            "Updated figures show that inflation rose in March.",
            "Updated to the latest version, the app crashed.",
            "Corrected for inflation, wages fell by 2%.",
            "Edited at the last minute, the film lost ten minutes.",
            "We have updated our privacy policy.",
            "This story will be updated.",
            "Last updated: 5 March 2024",
            "Aggiornamento software disponibile: scaricalo subito.",
            "La rettifica del confine è stata approvata.",
            "Correção de rota: o governo mudou de ideia.",
            "Uma versão anterior do projeto foi rejeitada.",
            "De correctie op de begroting werd verworpen.",
            "In een eerdere versie van het plan stond niets.",
            "",
        ]
        .into_iter()
        .filter(|t| kind(t).is_some())
        .collect::<Vec<_>>();
        assert!(wrong.is_empty(), "{wrong:#?}");
        let long = format!("Correction: {}", "word ".repeat(400));
        assert_eq!(kind(&long), None);
    }

    #[test]
    fn stated_dates() {
        let cases = [
            (
                "Correction, Nov. 3, 2026: the year was 2005.",
                Some("2026-11-03"),
            ),
            ("Updated November 3, 2026.", Some("2026-11-03")),
            ("Update (3 November 2026): more.", Some("2026-11-03")),
            ("Updated: 2026-11-03", Some("2026-11-03")),
            ("Korrektur vom 3. November 2026: mehr.", Some("2026-11-03")),
            ("Mise à jour le 3 novembre 2026 : plus.", Some("2026-11-03")),
            (
                "Mise à jour le 1er décembre 2026 : plus.",
                Some("2026-12-01"),
            ),
            (
                "Aggiornamento del 3 novembre 2026: altro.",
                Some("2026-11-03"),
            ),
            (
                "Atualização em 3 de novembro de 2026: mais.",
                Some("2026-11-03"),
            ),
            ("Correctie 3 maart 2026: meer.", Some("2026-03-03")),
            (
                "Actualización del 3 de noviembre de 2026: más.",
                Some("2026-11-03"),
            ),
            (
                "Update, Sept. 30, 2026: the vote passed.",
                Some("2026-09-30"),
            ),
            ("Correction: the talks were suspended in 2005.", None),
            ("Update (Feb. 30, 2026): impossible date.", None),
        ];
        for (text, want) in cases {
            assert_eq!(notice_date(text).as_deref(), want, "{text}");
        }
        let n = notice("Correction, Nov. 3, 2026: the year was 2005.");
        assert_eq!(n.and_then(|n| n.date).as_deref(), Some("2026-11-03"));
    }

    fn doc(texts: &[&str]) -> Document {
        Document {
            blocks: texts
                .iter()
                .map(|t| Block {
                    kind: BlockKind::Paragraph,
                    text: t.to_string(),
                })
                .collect(),
            ..Document::default()
        }
    }

    #[test]
    fn added_changed_removed() {
        let a = doc(&[
            "The talks were suspended in 2004 in protest.",
            "Security took precedence.",
        ]);
        let b = doc(&[
            "The talks were suspended in 2005 in protest.",
            "Security took precedence.",
            "Correction: An earlier version of this post misstated the year.",
        ]);
        let changes = corrections(
            &a,
            &b,
            &super::super::diff_documents(&a, &b, &Default::default()),
        );
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(changes[0].action, NoticeAction::Added);
        assert_eq!(changes[0].new_block, Some(2));
        assert_eq!(changes[0].before, None);

        let c = doc(&[
            "The talks were suspended in 2005 in protest.",
            "Security took precedence.",
            "Correction, Nov. 3, 2026: An earlier version of this post misstated the year the talks were suspended.",
        ]);
        let changes = corrections(
            &b,
            &c,
            &super::super::diff_documents(&b, &c, &Default::default()),
        );
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(changes[0].action, NoticeAction::Changed);
        assert_eq!(changes[0].notice.date.as_deref(), Some("2026-11-03"));
        assert!(changes[0]
            .before
            .as_deref()
            .is_some_and(|t| t.ends_with("the year.")));

        let changes = corrections(
            &c,
            &a,
            &super::super::diff_documents(&c, &a, &Default::default()),
        );
        let removed: Vec<_> = changes
            .iter()
            .filter(|c| c.action == NoticeAction::Removed)
            .collect();
        assert_eq!(removed.len(), 1, "{changes:?}");
        assert_eq!(removed[0].old_block, Some(2));
        assert_eq!(removed[0].after, None);

        // An ordinary edit is no notice.
        assert!(corrections(
            &a,
            &a,
            &super::super::diff_documents(&a, &a, &Default::default())
        )
        .is_empty());
    }
}
