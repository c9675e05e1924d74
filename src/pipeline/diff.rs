//! `stet diff OLD NEW`: two versions, each stored, read or fetched now,
//! and the diff of their documents.

use crate::config::Config;
use crate::diff::diff_documents;
use crate::error::Error;
use crate::fetch::FetchOptions;
use crate::model::{DiffReport, Document, ExtractSettings, Side};
use crate::store::{Store, VersionSpec};
use crate::target::Target;

/// Diff two versions (ids, `TARGET@ref|latest|N`, files or URLs).
pub fn diff(
    config: &Config,
    old: &str,
    new: &str,
    strict: bool,
    extract: Option<&ExtractSettings>,
    fetch: &FetchOptions,
) -> Result<DiffReport, Error> {
    // Whether each names a stored version, decided once (it may stat a file).
    let (old, new) = ((old, is_stored(old)), (new, is_stored(new)));
    let store = if old.1 || new.1 {
        Some(Store::at(&config.store)?)
    } else {
        None
    };
    let resolver = Resolver {
        config,
        store: store.as_ref(),
        extract,
        fetch,
    };
    let ((old_side, old_doc), (new_side, new_doc)) = resolver.both(old, new)?;
    let diff = diff_documents(&old_doc, &new_doc, &Default::default());
    Ok(DiffReport {
        old: old_side,
        new: new_side,
        old_doc,
        new_doc,
        diff,
        strict,
    })
}

/// True when `spec` names a stored version rather than a file or URL.
fn is_stored(spec: &str) -> bool {
    match VersionSpec::parse(spec) {
        // A hex-looking name that is a file is the file.
        VersionSpec::Id(_) => !std::path::Path::new(spec).is_file(),
        VersionSpec::Source(_) => false,
        VersionSpec::At { .. } => true,
    }
}

/// Local files below this many bytes in all are read one after the other:
/// a thread would cost more than it saves.
const PARALLEL_READ_BYTES: usize = 256 * 1024;

/// A resolved version: its side of the report and its document.
type Version = (Side, Document);

/// A version spec and whether it names a stored version.
type Spec<'a> = (&'a str, bool);

struct Resolver<'a> {
    config: &'a Config,
    store: Option<&'a Store>,
    extract: Option<&'a ExtractSettings>,
    fetch: &'a FetchOptions,
}

impl Resolver<'_> {
    /// Both versions: fetched, read and extracted at the same time (the
    /// old version's error first when both fail), except small local files.
    /// Each spec comes with whether it names a stored version.
    fn both(&self, old: Spec<'_>, new: Spec<'_>) -> Result<(Version, Version), Error> {
        // Local files weigh their size; anything else is worth a thread.
        let weight = |&(spec, stored): &Spec<'_>| -> usize {
            (!stored)
                .then(|| Target::parse(spec).ok())
                .flatten()
                .filter(Target::is_file)
                .and_then(|_| std::fs::metadata(spec).ok())
                .map_or(usize::MAX / 2, |m| {
                    usize::try_from(m.len()).unwrap_or(usize::MAX / 2)
                })
        };
        let mut versions =
            crate::parallel::map(&[old, new], 0, PARALLEL_READ_BYTES, weight, |&spec| {
                self.version(spec)
            })
            .into_iter();
        let missing = || Error::Usage("a version went missing".to_string());
        let o = versions.next().ok_or_else(missing)??;
        let n = versions.next().ok_or_else(missing)??;
        Ok((o, n))
    }

    fn store(&self) -> Result<&Store, Error> {
        self.store
            .ok_or_else(|| Error::Usage("no store".to_string()))
    }

    /// A version spec → its side and document. Stored versions come from the
    /// store; files and URLs are fetched and extracted now.
    fn version(&self, (spec, stored): Spec<'_>) -> Result<Version, Error> {
        let stored = if stored {
            Some(super::resolve_stored(self.store()?, spec)?)
        } else {
            None
        };
        if let Some(id) = stored {
            let store = self.store()?;
            let manifest = store.manifest(&id)?;
            let doc = store.document(&manifest)?;
            // A bare id says nothing the header's id does not: name the
            // version by its target instead (as stet.toml names it).
            let label = match VersionSpec::parse(spec) {
                VersionSpec::Id(_) => {
                    crate::config::names::name_of(&self.config.targets, &manifest.target)
                        .unwrap_or(&manifest.target)
                }
                _ => spec,
            };
            return Ok((Side::stored(label, &id, &manifest), doc));
        }
        let target = Target::parse(spec)?;
        let (fetched, doc) = super::fetch_document(self.config, &target, self.extract, self.fetch)?;
        let mut side = Side::from_document(spec, &doc);
        side.target = Some(target.to_string());
        // A live fetch has no stored time: keep the output reproducible for
        // files, and say when for URLs.
        if !target.is_file() {
            side.fetched_at = Some(fetched.facts.fetched_at.clone());
            side.status = fetched.facts.status;
            side.final_url = Some(fetched.facts.final_url.clone());
        }
        // The exact bytes compared: what names a file's or a page's version
        // (its article text's hash is the same for a headline-only edit).
        side.body_sha256 = Some(crate::digest::sha256_hex(&fetched.body));
        Ok((side, doc))
    }
}
