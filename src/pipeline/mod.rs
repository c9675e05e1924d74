//! The one orchestrator. Each entry point runs the stages a command needs
//! (fetch → extract → store → diff / links → audit) and returns one
//! complete value from the model; `commands` renders it with `report` and
//! exits with its [`exit_code`](crate::error::ExitStatus). Nothing here prints.

mod ack;
mod archive;
mod audit;
mod diff;
mod evidence;
mod gone_files;
mod journal;
mod links;
pub mod snapshot;
mod store;

pub use ack::ack;
pub use archive::{export, import, timemap};
pub use audit::{audit, audit_head, post_webhook};
pub use diff::diff;
pub use evidence::{keygen, prove};
pub use links::links;
pub use snapshot::snapshot;
pub use store::{history, history_page, pin, show, targets, verify};

use crate::config::Config;
use crate::error::Error;
use crate::fetch::{FetchError, FetchOptions, Fetched, Fetcher};
use crate::model::{Document, ExtractSettings, Manifest};
use crate::store::{Store, VersionSpec};
use crate::target::Target;

/// The async runtime of a command: built here alone. A single fetch needs
/// one thread; runs of many fetches (snapshot, audit, links) use several.
fn runtime(threads: Threads) -> Result<tokio::runtime::Runtime, Error> {
    match threads {
        Threads::One => tokio::runtime::Builder::new_current_thread(),
        Threads::Many => tokio::runtime::Builder::new_multi_thread(),
    }
    .enable_all()
    .build()
    .map_err(Error::Runtime)
}

#[derive(Clone, Copy)]
enum Threads {
    One,
    Many,
}

/// `stet extract`: the document of a source, fetched and extracted now.
pub fn extract(
    config: &Config,
    source: &str,
    extract: Option<&ExtractSettings>,
    fetch: &FetchOptions,
) -> Result<Document, Error> {
    let target = Target::parse(source)?;
    Ok(fetch_document(config, &target, extract, fetch)?.1)
}

/// The extraction settings of a target: those given on the command line,
/// else those stet.toml gives it.
fn settings_for(
    config: &Config,
    target: &Target,
    extract: Option<&ExtractSettings>,
) -> ExtractSettings {
    match extract {
        Some(e) => e.clone(),
        None => config
            .target_settings(target)
            .map(|t| t.extract_settings())
            .unwrap_or_default(),
    }
}

/// Fetch a source now and extract it (what `extract`, `links` and a live
/// side of `diff` share).
fn fetch_document(
    config: &Config,
    target: &Target,
    extract: Option<&ExtractSettings>,
    fetch: &FetchOptions,
) -> Result<(Fetched, Document), Error> {
    if config.offline && !target.is_file() {
        return Err(Error::Usage(format!("{target}: not fetched (--offline)")));
    }
    let fetcher = Fetcher::new(fetch.clone())?;
    let settings = settings_for(config, target, extract);
    match target {
        // A local file needs no runtime. A stet.toml `path` target is
        // read where the file is.
        Target::File(path) => {
            let fetched = match config.target_settings(target).and_then(|t| t.read.as_ref()) {
                Some(read) => fetcher.read_file_as(read, path)?,
                None => fetcher.read_file(path)?,
            };
            let document = extract_fetched(&fetched, &settings)?;
            Ok((fetched, document))
        }
        Target::Url(url) => {
            let own = config.target_settings(target);
            let credentials = match own {
                Some(t) => t.request.credentials(&snapshot::target_label(t))?,
                None => None,
            };
            let (render, robots) = snapshot::fetch_settings(own.map(|t| &t.fetch), fetch);
            let credentials = credentials.as_deref();
            Ok(runtime(Threads::One)?.block_on(async {
                let fetched = fetcher.fetch_for(target, None, credentials, robots).await?;
                let document = match render {
                    None => extract_fetched(&fetched, &settings)?,
                    Some(spec) => {
                        let browser = snapshot::Browser::new(fetch);
                        let page = browser.render(url, &spec, credentials).await;
                        browser.close().await;
                        let page = page?;
                        snapshot::document_for_rendered(&page.dom, &page.final_url, &settings)
                            .map_err(|e| FetchError::Extract {
                                url: page.final_url.clone(),
                                detail: e.to_string(),
                            })?
                    }
                };
                Ok::<_, FetchError>((fetched, document))
            })?)
        }
    }
}

/// The document of a fetched page, its extraction error one of the fetch.
fn extract_fetched(fetched: &Fetched, settings: &ExtractSettings) -> Result<Document, FetchError> {
    let page = &fetched.facts.final_url;
    snapshot::document_for(&fetched.body, &fetched.facts, page, settings).map_err(|e| {
        FetchError::Extract {
            url: fetched.facts.final_url.clone(),
            detail: e.to_string(),
        }
    })
}

/// The full id of a stored snapshot named by a version spec.
fn resolve_stored(store: &Store, spec: &str) -> Result<String, Error> {
    match VersionSpec::parse(spec) {
        VersionSpec::Id(prefix) => Ok(store.resolve_prefix(&prefix)?),
        VersionSpec::At { target, selector } => {
            let target = Target::parse(&target)?;
            Ok(store.resolve_at(&target.to_string(), selector)?)
        }
        VersionSpec::Source(s) => {
            // A stored target alone means its latest snapshot.
            if let Ok(target) = Target::parse(&s) {
                if let Some(id) = store.latest(&target.to_string())? {
                    return Ok(id);
                }
            }
            Err(Error::Usage(format!(
                "`{}` is not a stored snapshot: give an id (6+ hex digits), a stored target or TARGET@ref|latest|N|-N",
                crate::report::sanitize::line(&s)
            )))
        }
    }
}

/// Who runs this command, for the acknowledgements and pins it records:
/// `STET_USER`, else the login name, when it is a short printable word.
fn who() -> Option<String> {
    ["STET_USER", "USER", "LOGNAME"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty())
        .filter(|v| v.chars().count() <= 64 && !v.chars().any(char::is_control))
}

/// A target as the store knows it.
fn target_text(input: &str) -> Result<String, Error> {
    Ok(Target::parse(input)?.to_string())
}

/// sha256 of the document that extraction gives today for a stored body.
fn reextract_document_sha(
    manifest: &Manifest,
    body: &[u8],
) -> Result<crate::store::Reextracted, String> {
    let document = snapshot::document_of_stored(manifest, body, &manifest.extract)
        .map_err(|e| e.to_string())?;
    let sha256 = crate::digest::canonical_json(&document)
        .map(|bytes| crate::digest::sha256_hex(&bytes))
        .map_err(|e| e.to_string())?;
    Ok(crate::store::Reextracted {
        sha256,
        extractor_version: document.extractor_version,
    })
}

/// The text of an audit target that is a local file (for `--format github`
/// annotations, which point at lines), else `None`.
pub fn local_source(target: &str) -> Option<String> {
    (!target.contains("://"))
        .then(|| std::fs::read_to_string(std::path::Path::new(target)).ok())
        .flatten()
}
