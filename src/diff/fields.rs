//! Fields compared on their own: title, headline, bylines, provenance claims,
//! canonical URL, provenance meta tags, JSON-LD records, images.

use std::collections::{BTreeMap, VecDeque};

use super::classify::{classify, is_cosmetic, EditClass, QuoteIndex, SideRef};
use super::credits;
use super::resource::{is_url, resource_key, same_resource, ResourceKind};
use crate::extract::normalize::unspaced;
use crate::extract::promo::{is_page_of, site_of};
pub use crate::model::diff::FieldChange;
use crate::model::{ArticleLd, Claim, Document, Image, Link};

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
    title(&mut out, old, new);
    // A headline that is a block of both versions is compared as text;
    // otherwise, as the title is: any change of its words is substantive
    // (it is what most readers read of the article).
    let (a, b) = (old.headline.as_deref(), new.headline.as_deref());
    if !(is_block(old, a) && is_block(new, b)) {
        provenance(&mut out, "headline", a, b);
    }
    // The standfirst, the same way, but read as the article's words are.
    let (a, b) = (old.standfirst.as_deref(), new.standfirst.as_deref());
    if !(is_block(old, a) && is_block(new, b)) {
        text_field(&mut out, "standfirst", a, b);
    }
    // The page's description of itself (a search result's and a social
    // card's text), the same way, unless the page shows it (as the
    // standfirst or a block: its edits are reported there).
    let (a, b) = (description(old), description(new));
    if !(shows(old, a) && shows(new, b)) {
        text_field(&mut out, "description", a, b);
    }
    bylines(&mut out, &old.bylines, &new.bylines);
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
    let (old_links, new_links) = changed_links(old, new);
    links(&mut out, &old_links, &new_links, &own_sites(old, new));
    out
}

/// The page's description: its meta description, or its social card's
/// (`og:description`, `twitter:description`) when it has none.
fn description(d: &Document) -> Option<&str> {
    crate::model::descriptions(&d.meta).next()
}

/// Whether `value` is shown on the page: the standfirst or a block.
fn shows(d: &Document, value: Option<&str>) -> bool {
    is_block(d, value) || value.is_some_and(|v| d.standfirst.as_deref() == Some(v))
}

/// Whether `value` (a field of `d`) is one of its blocks: then its edits
/// are the text's.
fn is_block(d: &Document, value: Option<&str>) -> bool {
    value.is_some_and(|v| d.blocks.iter().any(|b| b.text == v))
}

/// The article's own site, as its canonical URL and `og:url` name it in
/// either version (a page moved to another host names both).
fn own_sites(old: &Document, new: &Document) -> Vec<String> {
    let mut sites: Vec<String> = [old, new]
        .iter()
        .flat_map(|d| {
            [
                d.canonical_url.as_deref(),
                d.meta.get("og:url").map(String::as_str),
            ]
        })
        .flatten()
        .filter_map(site_of)
        .collect();
    sites.sort_unstable();
    sites.dedup();
    sites
}

/// The links of each version to compare, with their indices: those not
/// in the other version with the same target and words, and whose words
/// are part of the article text. A link with no words (an icon, a share
/// button) or in a line the extractor left out as furniture (a "Read more:"
/// line, a related-stories rail) is still the article's link to check, but
/// its coming and going is not a change of the article: the rail rotates
/// on every page view. Nor is a link on a writer's name as the version's
/// bylines give it (a redesign links each name to the writer's page, or
/// to another one): the bylines are compared on their own.
fn changed_links<'a>(old: &'a Document, new: &'a Document) -> (Vec<Indexed<'a>>, Vec<Indexed<'a>>) {
    let mut waiting: BTreeMap<(&str, &str), VecDeque<usize>> = BTreeMap::new();
    for (i, l) in old.links.iter().enumerate() {
        waiting
            .entry((l.href.as_str(), l.text.as_str()))
            .or_default()
            .push_back(i);
    }
    let mut in_both = vec![false; old.links.len()];
    let mut new_left = Vec::new();
    for (j, l) in new.links.iter().enumerate() {
        match waiting
            .get_mut(&(l.href.as_str(), l.text.as_str()))
            .and_then(VecDeque::pop_front)
        {
            Some(i) => in_both[i] = true,
            None => new_left.push((j, l)),
        }
    }
    let old_left: Vec<Indexed<'a>> = old
        .links
        .iter()
        .enumerate()
        .filter(|(i, _)| !in_both[*i])
        .collect();
    (in_text(old, old_left), in_text(new, new_left))
}

/// A link of a version and its index there.
type Indexed<'a> = (usize, &'a Link);

/// `links` without those whose words are not in `doc`'s text, and
/// without those whose words are one of its bylines ("By" aside).
fn in_text<'a>(doc: &Document, links: Vec<Indexed<'a>>) -> Vec<Indexed<'a>> {
    if links.is_empty() {
        return links;
    }
    let text = collapse(&doc.text());
    links
        .into_iter()
        .filter(|(_, l)| {
            let words = collapse(&l.text);
            !words.is_empty()
                && !super::bylines::is_byline(doc, &words)
                && memchr::memmem::find(text.as_bytes(), words.as_bytes()).is_some()
        })
        .collect()
}

/// The label of a compared image or link: `images[N]` of the new version
/// when it is there; a removed one is `images[N] (removed)`, N of the old
/// version, and an added one `images[N] (added)`, so that a removal and an
/// addition at the same position read apart.
fn label(list: &str, old_at: Option<usize>, new_at: Option<usize>) -> String {
    match (old_at, new_at) {
        (Some(_), Some(j)) => format!("{list}[{j}]"),
        (None, Some(j)) => format!("{list}[{j}] (added)"),
        (Some(i), None) => format!("{list}[{i}] (removed)"),
        (None, None) => list.to_string(),
    }
}

/// `s` with its runs of whitespace written as one space, trimmed.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether two values differ only in where whitespace falls: a byline
/// read from an element's text content runs its parts together or apart
/// ("Jane Roe22 Dec 2016" / "Jane Roe 22 Dec 2016") as the markup between
/// them is indented, with the same words.
fn same_but_spacing(a: &str, b: &str) -> bool {
    unspaced(a) == unspaced(b)
}

fn non_empty(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

/// Whether two timestamps name the same instant: a CMS or a plugin update
/// writes one publication time as `…Z` or `…+00:00`, with milliseconds or
/// without, in UTC or in the newsroom's zone. They are compared to the
/// coarser of the two precisions written (the second, or the minute when
/// one gives none): `11:51:32.556Z` and `06:51:32-05:00` are one time
/// written twice, `11:51:32Z` and `11:52:32Z` are two.
fn same_instant(a: &str, b: &str) -> bool {
    use time::format_description::well_known::{Iso8601, Rfc3339};
    const SECOND: i128 = 1_000_000_000;
    let instant = |s: &str| {
        let s = s.trim();
        let t = time::OffsetDateTime::parse(s, &Rfc3339)
            .or_else(|_| time::OffsetDateTime::parse(s, &Iso8601::DEFAULT))
            .ok()?;
        // Seconds written: a third `:`-separated field after the `T`.
        let seconds = s
            .split_once(['T', 't', ' '])
            .is_some_and(|(_, clock)| clock.split(':').nth(2).is_some());
        let unit = if seconds { SECOND } else { 60 * SECOND };
        Some((t.unix_timestamp_nanos(), unit))
    };
    match (instant(a), instant(b)) {
        (Some((x, ux)), Some((y, uy))) => {
            let unit = ux.max(uy);
            x.div_euclid(unit) == y.div_euclid(unit)
        }
        _ => false,
    }
}

/// A "last modified" stamp: a CMS moves it on every save and redeploy, with
/// or without a change of the article, so it is shown but never counts as
/// a change by itself (the article's own edits do).
fn is_modified_stamp(field: &str) -> bool {
    field.ends_with(".date_modified")
        || matches!(
            field,
            "meta.article:modified_time" | "meta.article:modified" | "meta.og:updated_time"
        )
}

/// A provenance field: any change that is not cosmetic is substantive. A
/// URL (canonical, source, `og:url`) naming the same page is cosmetic, and
/// so is a moved "last modified" stamp.
/// Returns the change pushed, if any, for a caller with a finer rule.
fn provenance<'a>(
    out: &'a mut Vec<FieldChange>,
    field: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> Option<&'a mut FieldChange> {
    if before == after {
        return None;
    }
    let class = match (before, after) {
        _ if is_modified_stamp(field) => EditClass::Cosmetic,
        (Some(a), Some(b)) if is_cosmetic(a, b) || same_but_spacing(a, b) || same_instant(a, b) => {
            EditClass::Cosmetic
        }
        (Some(a), Some(b))
            if is_url(a) && is_url(b) && same_resource(a.trim(), b.trim(), ResourceKind::Link) =>
        {
            EditClass::Cosmetic
        }
        _ => EditClass::Substantive,
    };
    out.push(FieldChange {
        field: field.to_string(),
        before: before.map(str::to_string),
        after: after.map(str::to_string),
        class,
    });
    out.last_mut()
}

/// The title: as [`provenance`], but when both titles still show the
/// article's unchanged headline as one of their parts, what changed is the
/// site's title template (a section or the site's name added, dropped or
/// renamed: "Headline | Local News | Daily Post"): a minor change.
fn title(out: &mut Vec<FieldChange>, old: &Document, new: &Document) {
    let Some(change) = provenance(out, "title", old.title.as_deref(), new.title.as_deref()) else {
        return;
    };
    let folded = |s: &str| crate::extract::normalize::fold(s).to_lowercase();
    let (Some(a), Some(b)) = (old.headline.as_deref(), new.headline.as_deref()) else {
        return;
    };
    let headline = folded(a);
    // The headline set apart by a separator ("|", "-", ":", "·", "/") or
    // brackets ("Headline [Site]").
    let separators = ['|', '-', ':', '·', '•', '/'];
    let shows = |title: &Option<String>| {
        title.as_deref().is_some_and(|t| {
            let t = folded(t);
            t.match_indices(&headline).any(|(at, h)| {
                let (before, after) = (t[..at].trim_end(), t[at + h.len()..].trim_start());
                (before.is_empty() || before.ends_with(separators) || before.ends_with([']', ')']))
                    && (after.is_empty()
                        || after.starts_with(separators)
                        || after.starts_with(['[', '(']))
            })
        })
    };
    if change.class == EditClass::Substantive
        && !headline.is_empty()
        && headline == folded(b)
        && shows(&old.title)
        && shows(&new.title)
    {
        change.class = EditClass::Minor;
    }
}

/// The bylines: as [`provenance`], but the same names joined another way
/// ("Jane Roe and John Doe", "Jane Roe, John Doe", "Jane Roe & John Doe"),
/// in capitals or not, with a "By" or without, are the same byline, and
/// the same names in another order a minor change.
fn bylines(out: &mut Vec<FieldChange>, old: &[String], new: &[String]) {
    let (before, after) = (old.join("; "), new.join("; "));
    let Some(change) = provenance(out, "bylines", non_empty(&before), non_empty(&after)) else {
        return;
    };
    if change.class != EditClass::Substantive {
        return;
    }
    let (mut a, mut b) = (names(&before), names(&after));
    if a == b {
        change.class = EditClass::Cosmetic;
    } else {
        a.sort();
        b.sort();
        if a == b {
            change.class = EditClass::Minor;
        }
    }
}

/// Words that open a byline before its names ("By", "Posted by"). Not
/// "Von" or "Par": names start so too ("Von Miller").
const BYLINE_OPENERS: &[&str] = &["posted by ", "written by ", "words by ", "story by ", "by "];

/// The names of a byline, in order, folded and without case, without the
/// words that open it ([`BYLINE_OPENERS`]): cut at commas, semicolons,
/// `&`, `|` and "and" (also "und", "et", "y", "e").
fn names(byline: &str) -> Vec<String> {
    let folded = crate::extract::normalize::fold(byline).to_lowercase();
    folded
        .split([',', ';', '&', '|'])
        .flat_map(|part| {
            part.split(' ')
                .collect::<Vec<_>>()
                .split(|w| matches!(*w, "and" | "und" | "et" | "y" | "e"))
                .map(|words| {
                    let name = words
                        .iter()
                        .copied()
                        .filter(|w| !w.is_empty())
                        .collect::<Vec<_>>()
                        .join(" ");
                    match BYLINE_OPENERS.iter().find_map(|o| name.strip_prefix(o)) {
                        Some(rest) => rest.to_owned(),
                        None => name,
                    }
                })
                .collect::<Vec<_>>()
        })
        .filter(|name| !name.is_empty())
        .collect()
}

/// The caption, credit and alt text of an image in both versions, as
/// [`text_field`]s read for what they say (see [`credits`]): a credit
/// naming the same people is a cosmetic change, and so is a caption that
/// differs only in that credit; an alt text is read without a label a CMS
/// set before it ("Image: ").
fn image_texts(out: &mut Vec<FieldChange>, base: &str, a: &Image, b: &Image) {
    let (cap_a, cap_b) = (a.caption.as_deref(), b.caption.as_deref());
    let (cred_a, cred_b) = (a.credit.as_deref(), b.credit.as_deref());
    let same_credit = matches!((cred_a, cred_b), (Some(x), Some(y)) if credits::same_credit(x, y));
    // The captions without their credits, when both hold the same one.
    let said = match (cap_a, cap_b, cred_a, cred_b) {
        (Some(x), Some(y), Some(cx), Some(cy)) if same_credit => {
            credits::without_credit(x, cx).zip(credits::without_credit(y, cy))
        }
        _ => None,
    };
    let said = said
        .as_ref()
        .map(|(x, y)| (Some(x.as_str()), Some(y.as_str())));
    text_field_read_as(out, &format!("{base}.caption"), cap_a, cap_b, said);
    let same = same_credit.then_some((cred_a, cred_a));
    text_field_read_as(out, &format!("{base}.credit"), cred_a, cred_b, same);
    let (alt_a, alt_b) = (a.alt.as_deref(), b.alt.as_deref());
    let unlabelled = (
        alt_a.map(credits::unlabelled),
        alt_b.map(credits::unlabelled),
    );
    text_field_read_as(out, &format!("{base}.alt"), alt_a, alt_b, Some(unlabelled));
}

/// A descriptive text field (caption, credit, alt): classified like article text.
fn text_field(out: &mut Vec<FieldChange>, field: &str, before: Option<&str>, after: Option<&str>) {
    text_field_read_as(out, field, before, after, None);
}

/// A [`text_field`] whose change is classified as the change between
/// `read_as`, when given: what the two values say.
fn text_field_read_as(
    out: &mut Vec<FieldChange>,
    field: &str,
    before: Option<&str>,
    after: Option<&str>,
    read_as: Option<(Option<&str>, Option<&str>)>,
) {
    if before == after {
        return;
    }
    let (a, b) = read_as.unwrap_or((before, after));
    let (a, b) = (a.unwrap_or(""), b.unwrap_or(""));
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

/// Images are matched by resource (see [`resource`](super::resource)); the
/// ones left over are matched in order. A `src` that names the same image
/// another way (a cache buster, a CDN size) is a cosmetic change.
fn images(out: &mut Vec<FieldChange>, old: &[Image], new: &[Image]) {
    let key = |i: &Image| resource_key(&i.src, ResourceKind::Image);
    let (ok, nk): (Vec<String>, Vec<String>) =
        (old.iter().map(key).collect(), new.iter().map(key).collect());
    let mut pairs = match_by_key(&ok, &nk);
    let unmatched_new: Vec<usize> = unique(&nk, unmatched(&pairs, new.len(), |p| p.1));
    let mut left_old = unique(&ok, unmatched(&pairs, old.len(), |p| p.0)).into_iter();
    for j in unmatched_new {
        pairs.push((left_old.next(), Some(j)));
    }
    pairs.extend(left_old.map(|i| (Some(i), None)));
    pairs.sort_by_key(|&(i, j)| (j.unwrap_or(usize::MAX), i));
    for (i, j) in pairs {
        let (a, b) = (i.and_then(|i| old.get(i)), j.and_then(|j| new.get(j)));
        let base = label("images", i, j);
        match (a, b) {
            (Some(a), Some(b)) => {
                resource(
                    out,
                    &format!("{base}.src"),
                    &a.src,
                    &b.src,
                    ResourceKind::Image,
                );
                image_texts(out, &base, a, b);
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

/// The article's links (those [`changed_links`] gives) are matched by
/// resource, then the ones left over by
/// their text (a link whose words stayed and whose target moved). A link to
/// another resource, and a link added or removed, is substantive; the same
/// resource written another way (`utm_*`, `https`, `www.`) is cosmetic. A
/// link added or removed that goes to a page of the article's own site
/// (`sites`) is minor: a CMS links names and places to its topic pages by
/// itself; a source elsewhere is what a reader follows.
fn links(out: &mut Vec<FieldChange>, old: &[Indexed<'_>], new: &[Indexed<'_>], sites: &[String]) {
    let key = |l: &Indexed<'_>| resource_key(&l.1.href, ResourceKind::Link);
    let (ok, nk): (Vec<String>, Vec<String>) =
        (old.iter().map(key).collect(), new.iter().map(key).collect());
    let mut pairs = match_by_key(&ok, &nk);
    let (ot, nt): (Vec<String>, Vec<String>) = (
        old.iter().map(|l| l.1.text.clone()).collect(),
        new.iter().map(|l| l.1.text.clone()).collect(),
    );
    let left_old = unique(&ok, unmatched(&pairs, old.len(), |p| p.0));
    let left_new = unique(&nk, unmatched(&pairs, new.len(), |p| p.1));
    let mut by_text = match_by_key(
        &left_old.iter().map(|&i| ot[i].clone()).collect::<Vec<_>>(),
        &left_new.iter().map(|&j| nt[j].clone()).collect::<Vec<_>>(),
    );
    by_text.retain(|&(i, _)| i.is_some_and(|i| !ot[left_old[i]].is_empty()));
    pairs.extend(
        by_text
            .into_iter()
            .map(|(i, j)| (i.map(|i| left_old[i]), j.map(|j| left_new[j]))),
    );
    let gone = unique(&ok, unmatched(&pairs, old.len(), |p| p.0));
    let added = unique(&nk, unmatched(&pairs, new.len(), |p| p.1));
    pairs.extend(gone.into_iter().map(|i| (Some(i), None)));
    pairs.extend(added.into_iter().map(|j| (None, Some(j))));
    pairs.sort_by_key(|&(i, j)| (j.unwrap_or(usize::MAX), i));
    for (i, j) in pairs {
        let (a, b) = (i.and_then(|i| old.get(i)), j.and_then(|j| new.get(j)));
        let base = label("links", a.map(|l| l.0), b.map(|l| l.0));
        let (a, b) = (a.map(|l| l.1), b.map(|l| l.1));
        match (a, b) {
            (Some(a), Some(b)) => resource(
                out,
                &format!("{base}.href"),
                &a.href,
                &b.href,
                ResourceKind::Link,
            ),
            (a, b) => {
                let own = a.or(b).is_some_and(|l| is_page_of(&l.href, sites));
                out.push(FieldChange {
                    field: base,
                    before: a.map(|x| x.href.clone()),
                    after: b.map(|x| x.href.clone()),
                    class: if own {
                        EditClass::Minor
                    } else {
                        EditClass::Substantive
                    },
                })
            }
        }
    }
}

/// An old and a new index (one of them absent: removed or added).
type Pair = (Option<usize>, Option<usize>);

/// Pairs of equal keys, each index used once, in new order.
fn match_by_key(old: &[String], new: &[String]) -> Vec<Pair> {
    let mut waiting: BTreeMap<&str, VecDeque<usize>> = BTreeMap::new();
    for (i, k) in old.iter().enumerate() {
        waiting.entry(k.as_str()).or_default().push_back(i);
    }
    new.iter()
        .enumerate()
        .filter_map(|(j, k)| {
            let i = waiting.get_mut(k.as_str())?.pop_front()?;
            Some((Some(i), Some(j)))
        })
        .collect()
}

/// `left` without the indices whose key a version has earlier too (the
/// same image or link twice is one resource: only where it first appears
/// is compared).
fn unique(keys: &[String], left: Vec<usize>) -> Vec<usize> {
    let mut first: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, k) in keys.iter().enumerate() {
        first.entry(k.as_str()).or_insert(i);
    }
    left.into_iter()
        .filter(|&i| keys.get(i).and_then(|k| first.get(k.as_str())) == Some(&i))
        .collect()
}

/// Indices in `0..n` that no pair uses on the side `side` picks.
fn unmatched(pairs: &[Pair], n: usize, side: fn(&Pair) -> Option<usize>) -> Vec<usize> {
    let mut used = vec![false; n];
    for p in pairs {
        if let Some(u) = side(p).and_then(|i| used.get_mut(i)) {
            *u = true;
        }
    }
    (0..n).filter(|&i| !used[i]).collect()
}

/// A resource URL (image `src`, link `href`): the same resource written
/// another way is cosmetic, another resource substantive.
fn resource(
    out: &mut Vec<FieldChange>,
    field: &str,
    before: &str,
    after: &str,
    kind: ResourceKind,
) {
    if before == after {
        return;
    }
    let class = if same_resource(before, after, kind) {
        EditClass::Cosmetic
    } else {
        EditClass::Substantive
    };
    out.push(FieldChange {
        field: field.to_string(),
        before: Some(before.to_string()),
        after: Some(after.to_string()),
        class,
    });
}
