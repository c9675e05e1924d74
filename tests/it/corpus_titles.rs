//! Titles over every page of the three corpora (`../shared/corpus`): a
//! site's title template changing around the article's unchanged headline
//! (a section or the site's name added, dropped or renamed) is a minor
//! change of the title; another headline in it is substantive.

use crate::common;

use stet::diff::EditClass;
use stet::model::Document;

/// The classes of the field changes of `doc` against itself with `title`.
fn title_classes(doc: &Document, title: String) -> Vec<EditClass> {
    common::corpus::field_classes(doc, |d| d.title = Some(title))
}

#[test]
fn a_title_template_around_the_same_headline_is_a_minor_change() {
    let Some(documents) = common::corpus::documents_or_skip() else {
        return;
    };
    let (mut cases, mut wrong) = (0, Vec::new());
    for (name, doc) in &documents {
        let (Some(title), Some(headline)) = (doc.title.clone(), doc.headline.clone()) else {
            continue;
        };
        // Pages whose title shows the headline (as it is or with the
        // site's name): the others' titles are written apart from it.
        if headline.split_whitespace().count() < 3 || !title.starts_with(headline.as_str()) {
            continue;
        }
        cases += 1;
        let template = |t: String| (t, vec![EditClass::Minor]);
        let rewritten = headline.replacen(' ', " not ", 1);
        for (after, want) in [
            template(format!("{title} | Local News")),
            template(format!("{headline} – The Daily Post")),
            template(format!("{headline} | Opinion | The Daily Post")),
            (
                format!("{rewritten} | The Daily Post"),
                vec![EditClass::Substantive],
            ),
            (format!("{headline} again"), vec![EditClass::Substantive]),
        ] {
            if after == title {
                continue;
            }
            let got = title_classes(doc, after.clone());
            if got != want {
                wrong.push(format!("{name}: {title:?} → {after:?}: {got:?}"));
            }
        }
    }
    println!("titles that show the headline: {cases} pages");
    assert_eq!(wrong, Vec::<String>::new());
    assert!(cases >= 100, "{cases} pages whose title shows the headline");
}
