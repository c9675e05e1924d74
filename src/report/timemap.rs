//! `stet log --format timemap`: a Memento TimeMap (RFC 7089) in
//! application/link-format.

use std::fmt::Write as _;

use crate::model::TimeMap;

/// `YYYYMMDDhhmmss` of an RFC 3339 time, as replay URLs write it.
fn timestamp14(date: &str) -> String {
    date.chars().filter(char::is_ascii_digit).take(14).collect()
}

/// RFC 1123 date of an RFC 3339 time (`Tue, 20 Mar 2012 10:00:00 GMT`).
pub fn http_date(rfc3339: &str) -> Option<String> {
    use time::format_description::well_known::Rfc3339;
    let t = time::OffsetDateTime::parse(rfc3339, &Rfc3339)
        .ok()?
        .to_offset(time::UtcOffset::UTC);
    let f = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    t.format(&f).ok()
}

/// Link-format values hold no `>`, `"` or line ends.
fn clean(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '<' | '>' | '"' | '\r' | '\n'))
        .collect()
}

pub fn render(map: &TimeMap) -> String {
    let h = &map.history;
    let original = clean(&h.target);
    let prefix = clean(&map.replay_prefix);
    let mut mementos: Vec<(&str, String)> = h
        .entries
        .iter()
        .filter_map(|e| Some((e.fetched_at.as_str(), http_date(&e.fetched_at)?)))
        .collect();
    mementos.sort_by(|a, b| a.0.cmp(b.0));
    let mut links = vec![format!("<{original}>; rel=\"original\"")];
    let mut self_link = format!(
        "<{prefix}timemap/link/{original}>; rel=\"self\"; type=\"application/link-format\""
    );
    if let (Some(first), Some(last)) = (mementos.first(), mementos.last()) {
        let _ = write!(self_link, "; from=\"{}\"; until=\"{}\"", first.1, last.1);
    }
    links.push(self_link);
    if let Some(tg) = &map.timegate {
        links.push(format!("<{}{original}>; rel=\"timegate\"", clean(tg)));
    }
    let n = mementos.len();
    for (i, (at, date)) in mementos.iter().enumerate() {
        let rel = match (i == 0, i + 1 == n) {
            (true, true) => "first last memento",
            (true, false) => "first memento",
            (false, true) => "last memento",
            (false, false) => "memento",
        };
        links.push(format!(
            "<{prefix}{}/{original}>; rel=\"{rel}\"; datetime=\"{date}\"",
            timestamp14(at)
        ));
    }
    let mut out = links.join(",\n");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Entry, History};

    fn entry(at: &str) -> Entry {
        Entry {
            id: "a".repeat(64),
            fetched_at: at.to_string(),
            status: Some(200),
            body_size: 1,
            text_chars: 1,
            text_delta: 0,
            same_text: false,
            headline_changed: false,
            is_reference: false,
            body_sha256: "b".repeat(64),
            document_sha256: "d".repeat(64),
            text_sha256: "t".repeat(64),
        }
    }

    #[test]
    fn a_timemap_names_the_original_itself_and_every_memento() {
        let mut h = History::new("http://example.org/a".to_string(), None);
        h.entries = vec![
            entry("2026-01-02T03:04:05Z"),
            entry("2026-02-01T00:00:00Z"),
            entry("2026-03-01T12:00:00Z"),
        ];
        let mut map = TimeMap {
            history: h,
            replay_prefix: "https://archive.example/web/".to_string(),
            timegate: Some("https://archive.example/web/".to_string()),
        };
        let out = render(&map);
        assert_eq!(
            out,
            "<http://example.org/a>; rel=\"original\",\n\
             <https://archive.example/web/timemap/link/http://example.org/a>; rel=\"self\"; type=\"application/link-format\"; from=\"Fri, 02 Jan 2026 03:04:05 GMT\"; until=\"Sun, 01 Mar 2026 12:00:00 GMT\",\n\
             <https://archive.example/web/http://example.org/a>; rel=\"timegate\",\n\
             <https://archive.example/web/20260102030405/http://example.org/a>; rel=\"first memento\"; datetime=\"Fri, 02 Jan 2026 03:04:05 GMT\",\n\
             <https://archive.example/web/20260201000000/http://example.org/a>; rel=\"memento\"; datetime=\"Sun, 01 Feb 2026 00:00:00 GMT\",\n\
             <https://archive.example/web/20260301120000/http://example.org/a>; rel=\"last memento\"; datetime=\"Sun, 01 Mar 2026 12:00:00 GMT\"\n"
        );
        map.history.entries.truncate(1);
        map.timegate = None;
        let one = render(&map);
        assert!(one.contains("rel=\"first last memento\""), "{one}");
        assert!(!one.contains("timegate"), "{one}");
    }
}
