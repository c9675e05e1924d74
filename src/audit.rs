//! The audit's rules, pure: which findings a reference-to-current diff, a
//! document's images and a link check give, and the verdict they add up to.
//! `pipeline::audit` gathers the inputs; `report` renders the result.

use crate::model::diff::{DocDiff, Edit, EditClass, FieldChange, NoticeChange, RowStatus};
use crate::model::{Document, FailPolicy, FieldFinding, FindingKind, Image, LinkResult};

/// The findings of a diff of `old` and `new`: the correction notices added,
/// changed or removed, then the other edits and the field changes (cosmetic
/// ones only when `strict`). An edit of a notice's block is reported as the
/// notice, not also as an edit.
pub fn diff_findings(
    old: &Document,
    new: &Document,
    diff: &DocDiff,
    strict: bool,
) -> Vec<FindingKind> {
    let shown = |class: EditClass| strict || class != EditClass::Cosmetic;
    let notices = crate::diff::corrections(old, new, diff);
    let of_notice = |e: &Edit| {
        notices.iter().any(|n| {
            (e.new_block.is_some() && e.new_block == n.new_block)
                || (e.old_block.is_some() && e.old_block == n.old_block)
        })
    };
    let edits: Vec<FindingKind> = diff
        .edits
        .iter()
        .filter(|e| shown(e.class) && !of_notice(e))
        .map(|e| edit_finding(e.clone()))
        .collect();
    let edits = notices.into_iter().map(correction_finding).chain(edits);
    let fields = diff
        .fields
        .iter()
        .filter(|f| shown(f.class))
        .filter_map(|f| field_finding(f.clone()));
    edits.chain(fields).collect()
}

fn edit_finding(edit: Edit) -> FindingKind {
    let location = match (edit.old_block, edit.new_block) {
        (_, Some(n)) => format!("block {} ({})", n + 1, edit.kind.as_str()),
        (Some(o), None) => format!("old block {} ({})", o + 1, edit.kind.as_str()),
        (None, None) => edit.kind.as_str().to_string(),
    };
    FindingKind::Edit {
        class: edit.class,
        before: edit.before.clone(),
        after: edit.after.clone(),
        location,
        edit: Box::new(edit),
    }
}

/// A notice added, changed or removed: `before`/`after` are the whole
/// notice blocks.
fn correction_finding(change: NoticeChange) -> FindingKind {
    let location = match (change.old_block, change.new_block) {
        (_, Some(n)) => format!("block {}", n + 1),
        (Some(o), None) => format!("old block {}", o + 1),
        (None, None) => String::new(),
    };
    FindingKind::Correction {
        action: change.action,
        notice: change.notice,
        location,
        before: change.before,
        after: change.after,
    }
}

/// Field changes: captions are `caption_changed`, the headline and the
/// standfirst under it `headline_changed`; everything else outside
/// the text (title, bylines, claims, canonical URL, dates, credits) is
/// `provenance_changed`. Alt text changes are judged by the alt check.
fn field_finding(field: FieldChange) -> Option<FindingKind> {
    let is_image = field.field.starts_with("images[");
    if is_image && field.field.ends_with(".alt") {
        return None;
    }
    let caption = is_image && field.field.ends_with(".caption");
    // The picture itself (`images[N].src`, or `images[N]` added or
    // removed), not its credit (provenance).
    let picture = is_image && !field.field.ends_with(".credit");
    let f = FieldFinding {
        class: field.class,
        location: field.field,
        before: field.before,
        after: field.after,
    };
    Some(if caption {
        FindingKind::CaptionChanged(f)
    } else if picture {
        FindingKind::ImageChanged(f)
    } else if f.location == "headline" || f.location == "standfirst" {
        FindingKind::HeadlineChanged(f)
    } else {
        FindingKind::ProvenanceChanged(f)
    })
}

/// The least text a reference must have to be judged gone (in chars):
/// a page of a few lines changes wholesale by editing.
const GONE_MIN_CHARS: usize = 500;

/// The page is another page when it is under half the reference's size
/// (or at another address) and keeps under a tenth of its text, or under a
/// quarter of it taken from its opening (at least four fifths of what it
/// keeps from the reference's first third).
const GONE_SIZE: usize = 2;
const GONE_KEPT: usize = 10;
const PREVIEW_KEPT: usize = 4;
const PREVIEW_OPENING: usize = 3;

/// How much of what the page shows now a finding quotes (chars).
const GONE_QUOTE: usize = 120;

/// The article is gone from a page that answered (`status`) when the
/// current version is a fraction of the reference's size ([`GONE_SIZE`])
/// or was reached at another address (`elsewhere`: the article's URL now
/// redirects to the front page or a section), and keeps almost none of its
/// text ([`GONE_KEPT`]): a paywall, a consent or login wall, a notice that
/// the article was removed, an empty page, a redirect away; or keeps only
/// its opening paragraphs ([`PREVIEW_KEPT`]): a metered paywall after the
/// lede, a "continue reading" teaser.
/// Its edits would be every later paragraph deleted and the wall's words
/// inserted, and, the night the article is back, all of them again: one
/// finding says what happened. A rewrite that keeps a tenth of the text,
/// or a quarter of it from its opening, or a page that is not much smaller,
/// is edits; so is a cut that keeps other parts than the opening.
/// `media` is the current body's media type when it is no HTML page (a PDF,
/// an image, plain text): the location says so, as the page shows no words.
pub fn article_gone(
    (url, status, elsewhere, media): (&str, Option<u16>, bool, Option<&str>),
    old: &Document,
    new: &Document,
    diff: &DocDiff,
) -> Option<FindingKind> {
    let sizes =
        |d: &Document| -> Vec<usize> { d.blocks.iter().map(|b| b.text.chars().count()).collect() };
    let old_sizes = sizes(old);
    let old_chars: usize = old_sizes.iter().sum();
    let new_chars: usize = sizes(new).iter().sum();
    if old_chars < GONE_MIN_CHARS {
        return None;
    }
    // The reference's blocks the page keeps (edited or not, moved or not).
    let mut kept_old = vec![false; old.blocks.len()];
    for r in &diff.rows {
        if matches!(
            r.status,
            RowStatus::Equal | RowStatus::Changed | RowStatus::MovedFrom
        ) {
            if let Some(k) = r.old.and_then(|i| kept_old.get_mut(i)) {
                *k = true;
            }
        }
    }
    // What it keeps, and how much of that opens the article.
    let (mut kept, mut opening, mut start) = (0, 0, 0);
    for (size, k) in old_sizes.iter().zip(&kept_old) {
        if *k {
            kept += size;
            if start * PREVIEW_OPENING < old_chars {
                opening += size;
            }
        }
        start += size;
    }
    let shrunk = new_chars * GONE_SIZE < old_chars || elsewhere;
    let emptied = kept * GONE_KEPT < old_chars;
    let preview = !emptied && kept * PREVIEW_KEPT < old_chars && opening * 5 >= kept * 4;
    if !shrunk || !(emptied || preview) {
        return None;
    }
    // What stands where the article stood: what the page adds (the wall
    // after a preview's opening), or all it shows. The article's headline,
    // bylines and origin lines, shown as text now, are not new.
    let known = |t: &str| {
        [&old.headline, &old.title]
            .into_iter()
            .flatten()
            .any(|h| h == t)
            || old.bylines.iter().any(|b| b == t)
            || old.claims.iter().any(|c| c.text == t)
    };
    let added: Vec<&str> = diff
        .rows
        .iter()
        .filter(|r| r.status == RowStatus::Inserted)
        .filter_map(|r| new.blocks.get(r.new?).map(|b| b.text.as_str()))
        .filter(|t| !known(t))
        .collect();
    let text = if added.is_empty() {
        new.text()
    } else {
        added.join(" ")
    };
    let shows = match text.split_whitespace().collect::<Vec<_>>().join(" ") {
        t if t.is_empty() => new.title.clone().unwrap_or_default(),
        t => t,
    };
    let after = match shows.char_indices().nth(GONE_QUOTE) {
        Some((at, _)) => format!("{}…", &shows[..at]),
        None => shows,
    };
    let left = kept * 100 / old_chars;
    let mut location = if preview {
        format!("{left}% of the text left, its opening")
    } else {
        format!("{left}% of the text left")
    };
    if let Some(media) = media {
        location.push_str(&format!(", now {media}"));
    }
    Some(FindingKind::ArticleGone {
        url: url.to_string(),
        status,
        location,
        after,
    })
}

/// `missing_caption` and `placeholder_alt` for the images of the article.
pub fn image_findings(doc: &Document) -> Vec<FindingKind> {
    let mut out = Vec::new();
    for (i, image) in doc.images.iter().enumerate() {
        let location = format!("images[{i}]");
        if image.caption.as_deref().is_none_or(|c| c.trim().is_empty()) {
            out.push(FindingKind::MissingCaption {
                url: image.src.clone(),
                alt: image.alt.clone(),
                location: location.clone(),
            });
        }
        if is_placeholder_alt(image) {
            out.push(FindingKind::PlaceholderAlt {
                url: image.src.clone(),
                alt: image.alt.clone().unwrap_or_default(),
                location,
            });
        }
    }
    out
}

/// The links of `doc` that are dead under `policy`, as `dead_link` findings.
pub fn dead_link_findings(
    results: &[LinkResult],
    doc: &Document,
    policy: &FailPolicy,
) -> Vec<FindingKind> {
    crate::links::dead_links(results, policy)
        .map(|r| FindingKind::DeadLink {
            url: r.url.clone(),
            status: r.status,
            link_class: r.class.as_str().to_string(),
            reason: r.reason.map(|x| x.as_str().to_string()),
            suggestion: r.archive.as_ref().map(|a| a.url.clone()),
            location: doc
                .links
                .iter()
                .find(|l| l.href == r.url)
                .map(|l| format!("link “{}”", l.text)),
        })
        .collect()
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
}
