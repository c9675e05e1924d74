//! Reading WARC files record by record, plain or one gzip member per record
//! (or several records in a member), in bounded memory: blocks are streamed
//! through their digests and only the ones asked for are kept.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use super::digest;
use super::WarcError;

/// The named fields of a record, in order, with the record's place.
#[derive(Debug, Clone, Default)]
pub struct RecordHead {
    pub fields: Vec<(String, String)>,
    /// Offset of the record (of its gzip member for a compressed file).
    pub offset: u64,
    pub length: u64,
}

impl RecordHead {
    /// A field's value (names compare case-insensitively).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn kind(&self) -> &str {
        self.get("WARC-Type").unwrap_or_default()
    }

    pub fn id(&self) -> &str {
        self.get("WARC-Record-ID").unwrap_or_default()
    }

    /// `WARC-Target-URI` without the angle brackets some writers add.
    pub fn target_uri(&self) -> Option<&str> {
        self.get("WARC-Target-URI")
            .map(|u| u.trim().trim_start_matches('<').trim_end_matches('>'))
    }
}

/// What a pass over a record found: its head and whether its block digest
/// held (`None`: no digest, or an algorithm stet does not know).
#[derive(Debug, Clone)]
pub struct Seen {
    pub head: RecordHead,
    pub block_digest_ok: Option<bool>,
}

/// Bytes read from a file, hashed on the way.
struct Hashing {
    file: File,
    hasher: crate::digest::Hasher,
}

impl Read for Hashing {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.file.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// A buffered reader that counts the bytes consumed (the offset).
struct Counting<R> {
    inner: R,
    pos: u64,
}

impl<R: BufRead> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.pos += amt as u64;
        self.inner.consume(amt);
    }
}

/// Largest record head read (fields of one record).
const MAX_HEAD: usize = 1 << 20;

fn malformed(path: &Path, offset: u64, detail: impl Into<String>) -> WarcError {
    WarcError::Malformed {
        path: path.to_path_buf(),
        offset,
        detail: detail.into(),
    }
}

/// One line, at most `MAX_HEAD` bytes, with its line ending. Empty at EOF.
fn read_line(r: &mut impl BufRead, out: &mut Vec<u8>) -> std::io::Result<usize> {
    out.clear();
    r.take(MAX_HEAD as u64).read_until(b'\n', out)
}

/// Read a record's head. `Ok(None)` at the end of the stream.
fn read_head(
    r: &mut impl BufRead,
    path: &Path,
    offset: u64,
) -> Result<Option<RecordHead>, WarcError> {
    let io = |e| WarcError::io(path, e);
    let mut line = Vec::new();
    // Blank lines between records are tolerated.
    loop {
        if read_line(r, &mut line).map_err(io)? == 0 {
            return Ok(None);
        }
        if !line.trim_ascii().is_empty() {
            break;
        }
    }
    let first = String::from_utf8_lossy(line.trim_ascii()).into_owned();
    match first.strip_prefix("WARC/") {
        Some("1.0" | "1.1") => {}
        Some(v) => {
            return Err(malformed(
                path,
                offset,
                format!(
                    "WARC/{} is not supported (stet reads WARC 1.0 and 1.1)",
                    v.escape_debug()
                ),
            ))
        }
        None if first.starts_with("filedesc:") || first.split(' ').count() == 5 => {
            return Err(malformed(
                path,
                offset,
                "an ARC file, not a WARC file (stet reads WARC 1.0 and 1.1)",
            ))
        }
        None => {
            let shown: String = first.chars().take(40).collect();
            return Err(malformed(
                path,
                offset,
                format!("not a WARC record: starts with `{}`", shown.escape_debug()),
            ));
        }
    }
    let mut head = RecordHead {
        offset,
        ..RecordHead::default()
    };
    let mut total = line.len();
    loop {
        let n = read_line(r, &mut line).map_err(io)?;
        total += n;
        if n == 0 {
            return Err(malformed(
                path,
                offset,
                "the file ends inside a record's fields (truncated)",
            ));
        }
        if total > MAX_HEAD {
            return Err(malformed(
                path,
                offset,
                "a record's fields are longer than 1 MiB",
            ));
        }
        let text = String::from_utf8_lossy(&line);
        let trimmed = text.trim_end_matches(['\r', '\n']);
        if trimmed.is_empty() {
            break;
        }
        if trimmed.starts_with([' ', '\t']) {
            if let Some(last) = head.fields.last_mut() {
                last.1.push(' ');
                last.1.push_str(trimmed.trim());
            }
            continue;
        }
        let Some((name, value)) = trimmed.split_once(':') else {
            return Err(malformed(
                path,
                offset,
                format!("a field line without `:`: `{}`", trimmed.escape_debug()),
            ));
        };
        head.fields
            .push((name.trim().to_string(), value.trim().to_string()));
    }
    head.length = match head.get("Content-Length").map(|v| v.parse::<u64>()) {
        Some(Ok(n)) => n,
        Some(Err(_)) => return Err(malformed(path, offset, "Content-Length is not a number")),
        None => return Err(malformed(path, offset, "a record without Content-Length")),
    };
    Ok(Some(head))
}

/// Read (`keep`) or skip a block, checking its digest; then the two line
/// ends after it.
fn read_block(
    r: &mut impl BufRead,
    path: &Path,
    head: &RecordHead,
    keep: bool,
) -> Result<(Option<bool>, Option<Vec<u8>>), WarcError> {
    let mut checker = head.get("WARC-Block-Digest").and_then(digest::parse);
    let mut kept =
        keep.then(|| Vec::with_capacity(usize::try_from(head.length).unwrap_or(0).min(1 << 24)));
    let mut left = head.length;
    let mut buf = vec![0u8; 64 * 1024];
    while left > 0 {
        let want = usize::try_from(left).unwrap_or(usize::MAX).min(buf.len());
        let n = r
            .read(&mut buf[..want])
            .map_err(|e| malformed(path, head.offset, format!("record {}: {e}", head.id())))?;
        if n == 0 {
            return Err(malformed(
                path,
                head.offset,
                format!(
                    "the data ends inside record {} after {} of its {} bytes (truncated, or the record is split over gzip members)",
                    head.id(),
                    head.length - left,
                    head.length
                ),
            ));
        }
        if let Some((c, _)) = &mut checker {
            c.update(&buf[..n]);
        }
        if let Some(k) = &mut kept {
            k.extend_from_slice(&buf[..n]);
        }
        left -= n as u64;
    }
    // The block is followed by CRLF CRLF (LF LF from some writers); other
    // bytes mean the Content-Length is wrong.
    let mut ends = 0;
    loop {
        match r.fill_buf() {
            Ok([b'\r' | b'\n', ..]) if ends < 4 => {
                r.consume(1);
                ends += 1;
            }
            Ok([]) => break,
            Ok(_) if ends >= 2 => break,
            Ok(_) => {
                return Err(malformed(
                    path,
                    head.offset,
                    format!(
                        "record {} is not followed by an empty line: its Content-Length ({}) is wrong or the file is damaged",
                        head.id(),
                        head.length
                    ),
                ))
            }
            Err(e) => return Err(WarcError::io(path, e)),
        }
    }
    let ok = checker.map(|(c, want)| c.finish() == want);
    Ok((ok, kept))
}

fn open(path: &Path) -> Result<File, WarcError> {
    File::open(path).map_err(|e| WarcError::io(path, e))
}

fn is_gzip(path: &Path) -> Result<bool, WarcError> {
    let mut magic = [0u8; 2];
    let mut f = open(path)?;
    let n = f.read(&mut magic).map_err(|e| WarcError::io(path, e))?;
    Ok(n == 2 && magic == [0x1f, 0x8b])
}

/// Pass over every record of a file: `visit` sees each head and says
/// whether to keep its block (it then gets the block). Returns the sha256
/// (hex) of the whole file. Any damage ends the pass with an error.
pub fn scan(
    path: &Path,
    mut visit: impl FnMut(&Seen, Option<Vec<u8>>) -> Result<(), WarcError>,
    mut keep: impl FnMut(&RecordHead) -> bool,
) -> Result<String, WarcError> {
    let gz = is_gzip(path)?;
    let hashing = Hashing {
        file: open(path)?,
        hasher: crate::digest::Hasher::new(),
    };
    let mut counting = Counting {
        inner: BufReader::with_capacity(64 * 1024, hashing),
        pos: 0,
    };
    let mut one = |r: &mut dyn BufRead, offset: u64| -> Result<bool, WarcError> {
        let mut r = r;
        let Some(head) = read_head(&mut r, path, offset)? else {
            return Ok(false);
        };
        let wanted = keep(&head);
        let (ok, block) = read_block(&mut r, path, &head, wanted)?;
        visit(
            &Seen {
                head,
                block_digest_ok: ok,
            },
            block,
        )?;
        Ok(true)
    };
    if gz {
        loop {
            let at_end = counting
                .fill_buf()
                .map_err(|e| WarcError::io(path, e))?
                .is_empty();
            if at_end {
                break;
            }
            let offset = counting.pos;
            let member = flate2::bufread::GzDecoder::new(&mut counting);
            let mut member = BufReader::with_capacity(64 * 1024, member);
            if !one(&mut member, offset).map_err(|e| gzip_context(e, path, offset))? {
                return Err(malformed(path, offset, "an empty gzip member"));
            }
            let rest = member
                .fill_buf()
                .map_err(|e| gzip_context(WarcError::io(path, e), path, offset))?;
            if !rest.is_empty() {
                return Err(malformed(
                    path,
                    offset,
                    "a gzip member holds more than one record: a WARC.gz must compress each \
                     record as its own member (`warcio recompress` rewrites it so)",
                ));
            }
        }
    } else {
        loop {
            // Skip blank lines so that the offset is the record's first byte.
            loop {
                match counting.fill_buf() {
                    Ok([b'\r' | b'\n', ..]) => counting.consume(1),
                    Ok(_) => break,
                    Err(e) => return Err(WarcError::io(path, e)),
                }
            }
            let offset = counting.pos;
            if !one(&mut counting, offset)? {
                break;
            }
        }
    }
    Ok(counting.inner.into_inner().hasher.finish_hex())
}

/// A gzip decoding failure is damage in the file, not an I/O problem.
fn gzip_context(e: WarcError, path: &Path, offset: u64) -> WarcError {
    match e {
        WarcError::Io { source, .. } => malformed(
            path,
            offset,
            format!("damaged or truncated gzip member ({source})"),
        ),
        other => other,
    }
}

/// The block of the record `head` names, read again from its offset.
pub fn block_at(path: &Path, head: &RecordHead) -> Result<Vec<u8>, WarcError> {
    let gz = is_gzip(path)?;
    let mut file = open(path)?;
    file.seek(SeekFrom::Start(head.offset))
        .map_err(|e| WarcError::io(path, e))?;
    let file = BufReader::with_capacity(64 * 1024, file);
    let mut reader: Box<dyn BufRead> = if gz {
        Box::new(BufReader::new(flate2::bufread::GzDecoder::new(file)))
    } else {
        Box::new(file)
    };
    match read_head(&mut reader, path, head.offset)? {
        Some(h) if h.id() == head.id() => {
            let (_, block) = read_block(&mut reader, path, &h, true)?;
            Ok(block.unwrap_or_default())
        }
        _ => Err(malformed(
            path,
            head.offset,
            format!("record {} is no longer there", head.id()),
        )),
    }
}

/// The file name recorded in provenance.
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
