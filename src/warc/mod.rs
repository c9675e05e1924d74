//! Web archives in and out: WARC 1.1 records ([`record`]), export of the
//! store as WARC ([`export`]) and WACZ ([`wacz`]), import of WARC files
//! written by any tool ([`read`], [`import`]). Everything written is
//! deterministic: the same store gives the same bytes.

pub mod digest;
mod error;
pub mod evidence;
pub mod export;
pub mod hops;
pub mod import;
mod message;
pub mod read;
pub mod record;
mod state;
pub mod surt;
pub mod wacz;

pub use error::WarcError;

/// The profile of a revisit record whose payload equals an earlier one.
pub const REVISIT_PROFILE: &str =
    "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest";

/// What the `format` field of a warcinfo record says.
pub const FORMAT: &str = "WARC File Format 1.1";

/// The specification the files conform to.
pub const CONFORMS_TO: &str =
    "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/";

/// `Content-Type` of the metadata record carrying stet's manifest and document.
pub const STET_METADATA_TYPE: &str = "application/vnd.stet.snapshot+json";

/// `Content-Type` of the metadata record carrying a target's journal and
/// pinned reference ([`crate::store::TargetState`]).
pub const STET_TARGET_TYPE: &str = "application/vnd.stet.target+json";

/// Write a file whole or not at all: into a temporary file beside it,
/// renamed over `path` once complete.
pub fn write_atomically<T>(
    path: &std::path::Path,
    write: impl FnOnce(&mut std::io::BufWriter<&std::fs::File>) -> Result<T, WarcError>,
) -> Result<T, WarcError> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    let tmp = crate::store::atomic::temp_file_in(dir, ".stet-export-")
        .map_err(|e| WarcError::io(path, e))?;
    let value = {
        let mut out = std::io::BufWriter::with_capacity(256 * 1024, tmp.as_file());
        let value = write(&mut out)?;
        out.flush().map_err(|e| WarcError::io(path, e))?;
        value
    };
    tmp.as_file()
        .sync_all()
        .map_err(|e| WarcError::io(path, e))?;
    tmp.persist(path)
        .map_err(|e| WarcError::io(path, e.error))?;
    Ok(value)
}
