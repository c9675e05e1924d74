//! Local files as sources: read with the same size cap as HTTP bodies.

use std::io::Read;
use std::path::Path;

use super::{now_rfc3339, FetchError, Fetched};
use crate::model::FetchFacts;

/// `path` read, recorded as read from `recorded` (the same path, or the
/// one a stet.toml `path` target has from the file's directory).
pub(super) fn read(path: &Path, recorded: &Path, max_body: u64) -> Result<Fetched, FetchError> {
    let fetched_at = now_rfc3339();
    let shown = path.display().to_string();
    let fail = |detail: String| FetchError::File {
        path: shown.clone(),
        detail,
    };
    let meta = std::fs::metadata(path).map_err(|e| fail(io_detail(&e)))?;
    if meta.is_dir() {
        return Err(fail("is a directory, not a file".to_string()));
    }
    if meta.len() > max_body {
        return Err(fail(format!(
            "file of {} bytes is larger than the limit of {max_body} bytes (raise --max-body)",
            meta.len()
        )));
    }
    let mut body = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    std::fs::File::open(path)
        .and_then(|f| f.take(max_body + 1).read_to_end(&mut body))
        .map_err(|e| fail(io_detail(&e)))?;
    if body.len() as u64 > max_body {
        return Err(fail(format!("larger than the limit of {max_body} bytes")));
    }
    let url = file_url(recorded);
    Ok(Fetched {
        facts: FetchFacts {
            requested_url: url.clone(),
            final_url: url,
            redirects: Vec::new(),
            status: None,
            headers: Default::default(),
            fetched_at,
            // Reading a file takes no time worth recording, and a fixed
            // value keeps imported snapshots reproducible.
            elapsed_ms: 0,
            sent_headers: Vec::new(),
        },
        body,
        captured: None,
    })
}

/// The `file:` URL recorded for a local source. Relative paths stay relative
/// (`file:fixtures/a.html`) so that a store made in one checkout reads the
/// same in every other.
fn file_url(path: &Path) -> String {
    if path.is_absolute() {
        if let Ok(url) = url::Url::from_file_path(path) {
            return url.to_string();
        }
    }
    let mut out = String::from("file:");
    for (i, part) in path.components().enumerate() {
        if i > 0 {
            out.push('/');
        }
        let text = part.as_os_str().to_string_lossy();
        out.extend(
            url::form_urlencoded::byte_serialize(text.as_bytes()).map(|s| s.replace('+', "%20")),
        );
    }
    out
}

fn io_detail(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}
