//! The three article-extraction corpora in `../shared/corpus` (Mozilla
//! Readability's test pages, the article-extraction-benchmark, the
//! fundus-evaluation pages), read for tests that run over every page.

use std::io::Read;
use std::path::{Path, PathBuf};

use stet::diff::{diff_documents, DiffOptions, EditClass};
use stet::extract::{extract, ExtractOptions};
use stet::model::Document;

/// The URL corpus pages are extracted as (Readability's tests use it).
pub const BASE: &str = "http://fakehost/test/page.html";

/// A page's document, with the default options (`None`: extraction failed).
pub fn document(html: &str) -> Option<Document> {
    extract(
        html.as_bytes(),
        Some("text/html"),
        BASE,
        &ExtractOptions::default(),
    )
    .ok()
}

/// Every page of the corpora that extracts, with its document, or `None`
/// after saying why the corpora are missing.
pub fn documents_or_skip() -> Option<Vec<(String, Document)>> {
    let pages = pages_or_skip()?;
    Some(
        pages
            .into_iter()
            .filter_map(|(name, html)| document(&html).map(|d| (name, d)))
            .collect(),
    )
}

/// The classes of the field changes from `doc` to a copy changed by `edit`
/// (its title, its bylines …).
pub fn field_classes(doc: &Document, edit: impl FnOnce(&mut Document)) -> Vec<EditClass> {
    let mut other = doc.clone();
    edit(&mut other);
    diff_documents(doc, &other, &DiffOptions::default())
        .fields
        .into_iter()
        .map(|f| f.class)
        .collect()
}

/// Every page of the corpora, or `None` after saying why they are missing
/// (see [`super::require_or_skip`]).
pub fn pages_or_skip() -> Option<Vec<(String, String)>> {
    match pages() {
        Ok(p) => Some(p),
        Err(why) => {
            super::require_or_skip(false, "the corpora in ../shared/corpus", &why);
            None
        }
    }
}

/// Every page of the corpora: (name, html), or why there are none.
pub fn pages() -> Result<Vec<(String, String)>, String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let readability = root.join("readability/test/test-pages");
    let aeb = root.join("article-extraction-benchmark/html");
    let fundus = root.join("fundus-evaluation/dataset/html");
    for d in [&readability, &aeb, &fundus] {
        if !d.is_dir() {
            return Err(format!("{} is missing", d.display()));
        }
    }
    let mut out = Vec::new();
    for dir in sorted(&readability)? {
        let path = dir.join("source.html");
        if path.is_file() {
            out.push((name_of(&dir), read(&path, false)?));
        }
    }
    for dir in [&aeb, &fundus] {
        for path in sorted(dir)? {
            if path.to_string_lossy().ends_with(".html.gz") {
                out.push((name_of(&path), read(&path, true)?));
            }
        }
    }
    Ok(out)
}

fn sorted(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .collect();
    v.sort();
    Ok(v)
}

fn name_of(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn read(path: &Path, gz: bool) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if !gz {
        return Ok(String::from_utf8_lossy(&bytes).into_owned());
    }
    let mut s = Vec::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_end(&mut s)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(String::from_utf8_lossy(&s).into_owned())
}
