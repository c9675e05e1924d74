//! Input layout shared by the targets: optional header lines, then a body.

#![allow(dead_code)]

/// Splits off the first line of `data` (up to `\n`, at most 200 bytes
/// taken), returning it as text (lossy) and the rest.
pub fn line(data: &[u8]) -> (String, &[u8]) {
    let end = data.iter().position(|&b| b == b'\n').unwrap_or(data.len());
    let text = String::from_utf8_lossy(&data[..end.min(200)]).into_owned();
    (text, data.get(end + 1..).unwrap_or(&[]))
}

/// Content types the extract and decode targets pick from by index; an
/// index past the end means "the next line is the content type".
pub const CONTENT_TYPES: &[Option<&str>] = &[
    None,
    Some("text/html"),
    Some("text/html; charset=utf-8"),
    Some("text/plain"),
    Some("text/plain; charset=windows-1252"),
    Some("application/xhtml+xml"),
    Some("text/html; charset=Shift_JIS"),
    Some("text/html; charset=\"euc-kr\""),
    Some("text/html;charset=gbk"),
    Some("text/html; charset=utf-16le"),
    Some("text/html; charset=utf-16be"),
    Some("text/html; charset=iso-2022-kr"),
    Some("text/html; charset=x-user-defined"),
    Some("image/png"),
    Some("text/html; charset=bogus-charset"),
];

/// The content type chosen by `selector` (see [`CONTENT_TYPES`]) and the
/// rest of the input.
pub fn content_type(selector: u8, rest: &[u8]) -> (Option<String>, &[u8]) {
    match CONTENT_TYPES.get(usize::from(selector)) {
        Some(ct) => (ct.map(str::to_string), rest),
        None => {
            let (ct, rest) = line(rest);
            (Some(ct), rest)
        }
    }
}
