//! A snapshot's redirect chain as WARC records: each hop the manifest
//! keeps (`{url, status}`) becomes a `response` record of the hop's URL
//! whose HTTP head answers with the hop's status and a `Location:` of the
//! next URL, its body empty. stet did not keep these answers' heads, so
//! each record says it was synthesised from the manifest
//! ([`SYNTHESISED_FIELD`]); with them a replay tool that looks up the
//! target's URL (a Memento URI-M, a page link) is redirected to the page.
//! An import of stet's own export passes over them: not captures.

use crate::model::Manifest;

/// The WARC field of a record stet synthesised rather than captured.
pub const SYNTHESISED_FIELD: &str = "WARC-Stet-Synthesised";

/// One hop of a redirect chain: its URL, status and HTTP head.
pub struct Hop {
    pub url: String,
    pub status: u16,
    pub head: Vec<u8>,
    /// What [`SYNTHESISED_FIELD`] says of it.
    pub note: String,
}

/// The hops of `manifest`'s redirect chain, in order.
pub fn hops(manifest: &Manifest) -> Vec<Hop> {
    let chain = &manifest.fetch.redirects;
    chain
        .iter()
        .enumerate()
        .map(|(i, hop)| {
            let next = chain
                .get(i + 1)
                .map_or(manifest.fetch.final_url.as_str(), |h| h.url.as_str());
            let reason = reqwest::StatusCode::from_u16(hop.status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or("Redirect");
            Hop {
                url: hop.url.clone(),
                status: hop.status,
                head: format!(
                    "HTTP/1.1 {} {reason}\r\nLocation: {}\r\nContent-Length: 0\r\n\r\n",
                    hop.status,
                    next.replace(['\r', '\n'], "")
                )
                .into_bytes(),
                note: format!(
                    "redirect {} of {} from the snapshot's manifest (its status and \
                     Location only)",
                    i + 1,
                    chain.len()
                ),
            }
        })
        .collect()
}

/// Whether a record is one stet synthesised.
pub fn is_synthesised(head: &super::read::RecordHead) -> bool {
    head.get(SYNTHESISED_FIELD).is_some()
}
