//! Reading WARC files record by record, plain or one gzip member per record,
//! in bounded memory: blocks are streamed through their digests and only the
//! ones asked for are kept.
//!
//! ARC files (the Internet Archive's format before WARC, versions 1 and 2,
//! plain or `.arc.gz`) are read when asked for (`--arc`), each record given the fields of the
//! WARC record it would be, as `warcio` converts them: the file's version
//! block a `warcinfo`, a capture of an `http(s)` URL a `response` (its block
//! the HTTP response), anything else a `resource`. ARC records have no id;
//! the file and the offset name them.

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
    /// How the record's file is written (read again by [`block_at`]).
    dialect: Dialect,
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

/// What a file is said to be (`stet import --warc` or `--arc`): a file of
/// the other format is refused, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Warc,
    Arc,
}

/// How a file's records are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Dialect {
    #[default]
    Warc,
    /// ARC: a header line of `fields` values a record (5 in version 1, 10
    /// in version 2), the URL first and the length last.
    Arc { fields: usize },
}

/// The dialect of a file, from its first record: an ARC file starts with
/// its version block (`filedesc://…`, a version line, the fields' names).
fn dialect(path: &Path, gz: bool) -> Result<Dialect, WarcError> {
    let file = BufReader::new(open(path)?);
    let mut r: Box<dyn BufRead> = if gz {
        Box::new(BufReader::new(flate2::bufread::GzDecoder::new(file)))
    } else {
        Box::new(file)
    };
    let mut line = Vec::new();
    loop {
        // Damage here is reported by the pass that reads the records.
        match read_line(&mut r, &mut line) {
            Ok(0) | Err(_) => return Ok(Dialect::Warc),
            Ok(_) if line.trim_ascii().is_empty() => continue,
            Ok(_) => break,
        }
    }
    if !line.starts_with(b"filedesc://") {
        return Ok(Dialect::Warc);
    }
    let not_arc = |detail: &str| malformed(path, 0, format!("an ARC file whose {detail}"));
    let mut version = Vec::new();
    let mut names = Vec::new();
    for out in [&mut version, &mut names] {
        read_line(&mut r, out).map_err(|_| not_arc("version block is cut short"))?;
    }
    let names = String::from_utf8_lossy(&names);
    let names: Vec<&str> = names.split_ascii_whitespace().collect();
    let version = String::from_utf8_lossy(&version);
    let fields = match (version.split_ascii_whitespace().next(), names.len()) {
        (Some("1"), 5) | (Some("2"), 10) => names.len(),
        _ => {
            return Err(not_arc(
                "version block is neither ARC 1 (5 fields) nor ARC 2 (10 fields)",
            ))
        }
    };
    if names.first() != Some(&"URL") || names.last() != Some(&"Archive-length") {
        return Err(not_arc(&format!(
            "fields are not URL … Archive-length: `{}`",
            names.join(" ").escape_debug()
        )));
    }
    Ok(Dialect::Arc { fields })
}

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
    dialect: Dialect,
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
    if let Dialect::Arc { fields } = dialect {
        return arc_head(&first, fields, offset)
            .map(Some)
            .map_err(|detail| malformed(path, offset, detail));
    }
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
        None if first.split(' ').count() == 5 => {
            return Err(malformed(
                path,
                offset,
                "an ARC record, but the file does not start with an ARC version block \
                 (`filedesc://`)",
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

/// The WARC fields of an ARC record from its header line (`URL IP-address
/// Archive-date Content-type … Archive-length`; a URL with spaces in it
/// keeps them: the other fields are counted from the end).
fn arc_head(line: &str, fields: usize, offset: u64) -> Result<RecordHead, String> {
    let mut parts: Vec<&str> = line.rsplitn(fields, ' ').collect();
    if parts.len() != fields {
        return Err(format!(
            "an ARC record header with {} fields, not {fields}: `{}`",
            parts.len(),
            line.escape_debug()
        ));
    }
    parts.reverse();
    let [url, ip, date, content_type, ..] = parts[..] else {
        return Err("an ARC record header with too few fields".to_string());
    };
    let length = parts[fields - 1].parse::<u64>().map_err(|_| {
        format!(
            "an ARC record whose length is not a number: `{}`",
            parts[fields - 1].escape_debug()
        )
    })?;
    let date = arc_date(date).ok_or_else(|| {
        format!(
            "an ARC record whose date is not YYYYMMDDhhmmss: `{}`",
            date.escape_debug()
        )
    })?;
    let url = url.trim();
    let scheme = url.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
    let (kind, block_type) = match scheme.as_deref() {
        Some("filedesc") => ("warcinfo", "text/plain"),
        Some("http" | "https") => ("response", "application/http; msgtype=response"),
        _ => ("resource", content_type),
    };
    let mut head = RecordHead {
        offset,
        length,
        dialect: Dialect::Arc { fields },
        ..RecordHead::default()
    };
    let mut field = |name: &str, value: &str| head.fields.push((name.into(), value.into()));
    field("WARC-Type", kind);
    match url.strip_prefix("filedesc://") {
        Some(name) => field("WARC-Filename", name),
        None => field("WARC-Target-URI", url),
    }
    field("WARC-Date", &date);
    field("WARC-IP-Address", ip);
    field("Content-Type", block_type);
    field("Content-Length", &length.to_string());
    Ok(head)
}

/// An ARC date (`YYYYMMDDhhmmss`, UTC; some writers add digits after the
/// seconds) as a WARC-Date; `None` when it is not a date (the header line
/// is then not what the file's version block says).
fn arc_date(date: &str) -> Option<String> {
    let digits = date
        .get(..14)
        .filter(|d| d.bytes().all(|b| b.is_ascii_digit()))?;
    if !date.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let format = time::macros::format_description!("[year][month][day][hour][minute][second]");
    let t = time::PrimitiveDateTime::parse(digits, &format).ok()?;
    let out = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    t.format(&out).ok()
}

/// Read (`keep`) or skip a block, checking its digest; then the two line
/// ends after it.
fn read_block(
    r: &mut impl BufRead,
    path: &Path,
    head: &RecordHead,
    keep: bool,
    dialect: Dialect,
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
            .map_err(|e| malformed(path, head.offset, format!("record {}: {e}", name(head))))?;
        if n == 0 {
            return Err(malformed(
                path,
                head.offset,
                format!(
                    "the data ends inside record {} after {} of its {} bytes (truncated, or the record is split over gzip members)",
                    name(head),
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
    // The block is followed by CRLF CRLF (LF LF from some writers; one LF
    // in ARC); other bytes mean the Content-Length is wrong.
    let needed = match dialect {
        Dialect::Warc => 2,
        Dialect::Arc { .. } => 1,
    };
    let mut ends = 0;
    loop {
        match r.fill_buf() {
            Ok([b'\r' | b'\n', ..]) if ends < 4 => {
                r.consume(1);
                ends += 1;
            }
            Ok([]) => break,
            Ok(_) if ends >= needed => break,
            Ok(_) => {
                return Err(malformed(
                    path,
                    head.offset,
                    format!(
                        "record {} is not followed by an empty line: its Content-Length ({}) is wrong or the file is damaged",
                        name(head),
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

/// How errors name a record: its id, or (ARC) its URL.
fn name(head: &RecordHead) -> &str {
    match head.id() {
        "" => head.target_uri().unwrap_or("without id"),
        id => id,
    }
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
    format: Format,
    mut visit: impl FnMut(&Seen, Option<Vec<u8>>) -> Result<(), WarcError>,
    mut keep: impl FnMut(&RecordHead) -> bool,
) -> Result<String, WarcError> {
    let gz = is_gzip(path)?;
    let dialect = dialect(path, gz)?;
    match (format, dialect) {
        (Format::Warc, Dialect::Arc { .. }) => {
            return Err(malformed(
                path,
                0,
                "an ARC file, not a WARC file (`stet import --arc FILE` reads ARC files)",
            ))
        }
        (Format::Arc, Dialect::Warc) => {
            return Err(malformed(
                path,
                0,
                "not an ARC file: it does not start with an ARC version block \
                 (`filedesc://`); WARC files go to --warc",
            ))
        }
        _ => {}
    }
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
        let Some(head) = read_head(&mut r, path, offset, dialect)? else {
            return Ok(false);
        };
        let wanted = keep(&head);
        let (ok, block) = read_block(&mut r, path, &head, wanted, dialect)?;
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
    let dialect = head.dialect;
    let mut file = open(path)?;
    file.seek(SeekFrom::Start(head.offset))
        .map_err(|e| WarcError::io(path, e))?;
    let file = BufReader::with_capacity(64 * 1024, file);
    let mut reader: Box<dyn BufRead> = if gz {
        Box::new(BufReader::new(flate2::bufread::GzDecoder::new(file)))
    } else {
        Box::new(file)
    };
    match read_head(&mut reader, path, head.offset, dialect)? {
        Some(h) if h.id() == head.id() && h.target_uri() == head.target_uri() => {
            let (_, block) = read_block(&mut reader, path, &h, true, dialect)?;
            Ok(block.unwrap_or_default())
        }
        _ => Err(malformed(
            path,
            head.offset,
            format!("record {} is no longer there", name(head)),
        )),
    }
}

/// The file name recorded in provenance.
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arc_dates_are_utc_seconds_and_nothing_else() {
        assert_eq!(
            arc_date("20140216050221").as_deref(),
            Some("2014-02-16T05:02:21Z")
        );
        // Milliseconds after the seconds, as some crawlers wrote them.
        assert_eq!(
            arc_date("20140216050221123").as_deref(),
            Some("2014-02-16T05:02:21Z")
        );
        for bad in ["2014021605022", "20141316050221", "2014021605022x", "-", ""] {
            assert_eq!(arc_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn arc_headers_count_their_fields_from_the_end() {
        let head = arc_head(
            "http://example.com/a b?c=d e 93.184.216.119 20140216050221 text/html 1591",
            5,
            7,
        )
        .unwrap();
        assert_eq!(head.kind(), "response");
        assert_eq!(head.target_uri(), Some("http://example.com/a b?c=d e"));
        assert_eq!(head.get("WARC-Date"), Some("2014-02-16T05:02:21Z"));
        assert_eq!(
            head.get("Content-Type"),
            Some("application/http; msgtype=response")
        );
        assert_eq!((head.offset, head.length), (7, 1591));
        let dns = arc_head("dns:example.com 1.2.3.4 20140216050221 text/dns 0", 5, 0).unwrap();
        assert_eq!(
            (dns.kind(), dns.get("Content-Type")),
            ("resource", Some("text/dns"))
        );
        let v2 = "filedesc://x.arc 0.0.0.0 20140216050221 text/plain 200 - - 0 x.arc 75";
        let desc = arc_head(v2, 10, 0).unwrap();
        assert_eq!(
            (desc.kind(), desc.get("WARC-Filename")),
            ("warcinfo", Some("x.arc"))
        );
        assert!(
            arc_head(v2, 5, 0).is_err(),
            "a version 2 line read as version 1"
        );
        assert!(arc_head(
            "http://example.com/ 1.2.3.4 20140216050221 text/html -1",
            5,
            0
        )
        .is_err());
        assert!(arc_head("http://example.com/ 20140216050221 text/html 10", 5, 0).is_err());
    }
}
