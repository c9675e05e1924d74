//! Fields compared on their own: title, bylines, provenance claims,
//! canonical URL, provenance meta tags, JSON-LD records, images.

use std::collections::BTreeMap;

use super::classify::{classify, is_cosmetic, EditClass, QuoteIndex, SideRef};
pub use crate::model::diff::FieldChange;
use crate::model::{ArticleLd, Claim, Document, Image};

/// Meta tags that carry provenance (compared as fields); other meta tags are
/// presentation and are not compared.
fn is_provenance_meta(name: &str) -> bool {
    name.starts_with("article:")
        || matches!(
            name,
            "og:title" | "og:url" | "og:site_name" | "author" | "citation_title"
        )
}

pub(crate) fn compare_fields(old: &Document, new: &Document) -> Vec<FieldChange> {
    let mut out = Vec::new();
    provenance(
        &mut out,
        "title",
        old.title.as_deref(),
        new.title.as_deref(),
    );
    let (ob, nb) = (old.bylines.join("; "), new.bylines.join("; "));
    provenance(&mut out, "bylines", non_empty(&ob), non_empty(&nb));
    provenance(
        &mut out,
        "canonical_url",
        old.canonical_url.as_deref(),
        new.canonical_url.as_deref(),
    );
    claims(&mut out, &old.claims, &new.claims);
    meta(&mut out, &old.meta, &new.meta);
    json_ld(&mut out, &old.json_ld, &new.json_ld);
    images(&mut out, &old.images, &new.images);
    out
}

fn non_empty(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

/// A provenance field: any change that is not cosmetic is substantive.
fn provenance(out: &mut Vec<FieldChange>, field: &str, before: Option<&str>, after: Option<&str>) {
    if before == after {
        return;
    }
    let class = match (before, after) {
        (Some(a), Some(b)) if is_cosmetic(a, b) => EditClass::Cosmetic,
        _ => EditClass::Substantive,
    };
    out.push(FieldChange {
        field: field.to_string(),
        before: before.map(str::to_string),
        after: after.map(str::to_string),
        class,
    });
}

/// A descriptive text field (caption, credit, alt): classified like article text.
fn text_field(out: &mut Vec<FieldChange>, field: &str, before: Option<&str>, after: Option<&str>) {
    if before == after {
        return;
    }
    let (a, b) = (before.unwrap_or(""), after.unwrap_or(""));
    let (qa, qb) = (QuoteIndex::new(a), QuoteIndex::new(b));
    let (mut class, _) = classify(
        &SideRef {
            text: a,
            quotes: &qa,
            range: 0..a.len(),
        },
        &SideRef {
            text: b,
            quotes: &qb,
            range: 0..b.len(),
        },
    );
    // A caption or credit appearing or vanishing is never cosmetic.
    if class == EditClass::Cosmetic && before.is_some() != after.is_some() {
        class = EditClass::Minor;
    }
    out.push(FieldChange {
        field: field.to_string(),
        before: before.map(str::to_string),
        after: after.map(str::to_string),
        class,
    });
}

fn claims(out: &mut Vec<FieldChange>, old: &[Claim], new: &[Claim]) {
    let mut kinds: Vec<_> = old.iter().chain(new).map(|c| c.kind).collect();
    kinds.sort_unstable();
    kinds.dedup();
    for kind in kinds {
        let o: Vec<&Claim> = old.iter().filter(|c| c.kind == kind).collect();
        let n: Vec<&Claim> = new.iter().filter(|c| c.kind == kind).collect();
        let name = serde_json::to_value(kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        for i in 0..o.len().max(n.len()) {
            let base = format!("claims.{name}[{i}]");
            let (a, b) = (o.get(i).copied(), n.get(i).copied());
            provenance(
                out,
                &format!("{base}.text"),
                a.map(|c| c.text.as_str()),
                b.map(|c| c.text.as_str()),
            );
            provenance(
                out,
                &format!("{base}.publisher"),
                a.and_then(|c| c.publisher.as_deref()),
                b.and_then(|c| c.publisher.as_deref()),
            );
            provenance(
                out,
                &format!("{base}.date"),
                a.and_then(|c| c.date.as_deref()),
                b.and_then(|c| c.date.as_deref()),
            );
            provenance(
                out,
                &format!("{base}.url"),
                a.and_then(|c| c.url.as_deref()),
                b.and_then(|c| c.url.as_deref()),
            );
        }
    }
}

fn meta(
    out: &mut Vec<FieldChange>,
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
) {
    let mut keys: Vec<&String> = old
        .keys()
        .chain(new.keys())
        .filter(|k| is_provenance_meta(k))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    for k in keys {
        provenance(
            out,
            &format!("meta.{k}"),
            old.get(k).map(String::as_str),
            new.get(k).map(String::as_str),
        );
    }
}

/// Reads one field of a JSON-LD record.
type LdGetter = fn(&ArticleLd) -> Option<String>;

fn json_ld(out: &mut Vec<FieldChange>, old: &[ArticleLd], new: &[ArticleLd]) {
    for i in 0..old.len().max(new.len()) {
        let (a, b) = (old.get(i), new.get(i));
        let base = format!("json_ld[{i}]");
        let get = |r: Option<&ArticleLd>, f: LdGetter| r.and_then(f);
        let fields: [(&str, LdGetter); 8] = [
            ("type", |r| Some(r.kind.clone())),
            ("headline", |r| r.headline.clone()),
            ("authors", |r| {
                non_empty(&r.authors.join("; ")).map(str::to_string)
            }),
            ("publisher", |r| r.publisher.clone()),
            ("date_published", |r| r.date_published.clone()),
            ("date_modified", |r| r.date_modified.clone()),
            ("is_based_on", |r| r.is_based_on.clone()),
            ("url", |r| r.url.clone()),
        ];
        for (name, f) in fields {
            let (x, y) = (get(a, f), get(b, f));
            provenance(out, &format!("{base}.{name}"), x.as_deref(), y.as_deref());
        }
    }
}

/// Images are matched by `src`; the ones left over are matched in order.
fn images(out: &mut Vec<FieldChange>, old: &[Image], new: &[Image]) {
    let mut pairs: Vec<(Option<usize>, Option<usize>)> = Vec::new();
    let mut used_old = vec![false; old.len()];
    let mut unmatched_new = Vec::new();
    for (j, img) in new.iter().enumerate() {
        match old
            .iter()
            .enumerate()
            .position(|(i, o)| !used_old[i] && o.src == img.src)
        {
            Some(i) => {
                used_old[i] = true;
                pairs.push((Some(i), Some(j)));
            }
            None => unmatched_new.push(j),
        }
    }
    let mut left_old = (0..old.len()).filter(|&i| !used_old[i]);
    for j in unmatched_new {
        pairs.push((left_old.next(), Some(j)));
    }
    pairs.extend(left_old.map(|i| (Some(i), None)));
    pairs.sort_by_key(|&(i, j)| (j.unwrap_or(usize::MAX), i));
    for (i, j) in pairs {
        let (a, b) = (i.and_then(|i| old.get(i)), j.and_then(|j| new.get(j)));
        let base = format!("images[{}]", j.or(i).unwrap_or(0));
        match (a, b) {
            (Some(a), Some(b)) => {
                if a.src != b.src {
                    provenance(out, &format!("{base}.src"), Some(&a.src), Some(&b.src));
                }
                text_field(
                    out,
                    &format!("{base}.caption"),
                    a.caption.as_deref(),
                    b.caption.as_deref(),
                );
                text_field(
                    out,
                    &format!("{base}.credit"),
                    a.credit.as_deref(),
                    b.credit.as_deref(),
                );
                text_field(
                    out,
                    &format!("{base}.alt"),
                    a.alt.as_deref(),
                    b.alt.as_deref(),
                );
            }
            (a, b) => out.push(FieldChange {
                field: base,
                before: a.map(|x| x.src.clone()),
                after: b.map(|x| x.src.clone()),
                class: EditClass::Substantive,
            }),
        }
    }
}
