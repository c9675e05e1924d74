//! The serde types that flow between the stages of the pipeline.
//!
//! `fetch` produces [`FetchFacts`] (plus the raw body), `extract` produces a
//! [`Document`], `store` writes a [`Manifest`]. Every JSON record carries a
//! `schema_version` so that stored evidence stays readable as the tool evolves.

pub mod archive;
pub mod audit;
pub mod diff;
pub mod history;
pub mod links;
pub mod policy;
pub mod report;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use archive::{ExportSummary, FileSummary, ImportReport, RecordOutcome, TimeMap};
pub use audit::{
    AuditReport, AuditTally, FieldFinding, Finding, FindingKind, Identity, Resolved, TargetAudit,
    TargetProvenance, Verdict, VersionRef,
};
pub use history::{
    Acknowledgement, HistoryPage, LogView, Step, TargetList, TargetRow, VersionScreenshot,
    PAGE_SCREENSHOTS,
};
pub use links::{LinkClass, LinkResult};
pub use policy::FailPolicy;
pub use report::{
    AckReport, Acknowledged, DiffReport, Entry, Format, History, KeygenReport, LastCheck,
    LinksReport, Outcome, PinReport, Problem, ProofBundle, Shown, Side, SnapshotRow, SnapshotRun,
    SnapshotView, VerifyReport,
};

/// Version of the JSON records written by this build (manifests, documents,
/// reports): the one schema constant.
pub const SCHEMA_VERSION: u32 = 1;

/// The tool's name, as recorded in every manifest and report.
pub const TOOL_NAME: &str = "stet";

/// The tool's version, as recorded in every manifest and report.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// One hop of a redirect chain: the URL that was requested and the status it
/// answered with (a 3xx for every hop but the last).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hop {
    pub url: String,
    pub status: u16,
}

/// The facts of one fetch, apart from its body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FetchFacts {
    /// The URL (or `file://` URL) that was asked for.
    pub requested_url: String,
    /// Where the redirect chain ended.
    pub final_url: String,
    /// Every hop that answered with a redirect, in order. Empty when the
    /// first answer was final.
    pub redirects: Vec<Hop>,
    /// HTTP status of the final answer; `None` for local files.
    pub status: Option<u16>,
    /// Selected response headers, names lower-cased.
    pub headers: BTreeMap<String, String>,
    /// When the fetch started, RFC 3339 UTC.
    pub fetched_at: String,
    /// Wall-clock duration of the fetch in milliseconds.
    pub elapsed_ms: u64,
    /// Names of the configured request headers sent (`Authorization`,
    /// `Cookie`, …), never their values. Absent when none were.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sent_headers: Vec<String>,
}

/// The response headers kept in a manifest (DESIGN.md).
pub const KEPT_HEADERS: &[&str] = &[
    "content-type",
    "etag",
    "last-modified",
    "date",
    "server",
    "content-length",
];

/// A content-addressed object: sha256 (hex) and size of its uncompressed bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectRef {
    pub sha256: String,
    pub size: u64,
}

/// Name and version of the program that wrote a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

impl Tool {
    /// This build of stet.
    pub fn current() -> Self {
        Tool {
            name: TOOL_NAME.to_string(),
            version: TOOL_VERSION.to_string(),
        }
    }
}

/// One stored version of a target. Its id is the sha256 of its canonical
/// JSON bytes (RFC 8785), so the manifest cannot change without its id
/// changing, and `parent` chains every version of a target to the previous one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub schema_version: u32,
    /// The normalised target this is a version of.
    pub target: String,
    #[serde(flatten)]
    pub fetch: FetchFacts,
    /// The raw body as received (after transfer decoding).
    pub body: ObjectRef,
    /// The extracted [`Document`], as canonical JSON.
    pub document: ObjectRef,
    /// sha256 of the document's normalised article text.
    pub text_sha256: String,
    pub tool: Tool,
    pub extractor_version: String,
    /// The per-target extraction settings used (absent when none).
    #[serde(default, skip_serializing_if = "ExtractSettings::is_default")]
    pub extract: ExtractSettings,
    /// Id of the previous snapshot of the same target, if any.
    pub parent: Option<String>,
    /// The whole HTTP exchange (request and response heads), for captures
    /// made since stet kept it. Absent on older snapshots and file imports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange: Option<Exchange>,
    /// Where an imported capture came from (a WARC record).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    /// The page as a browser rendered it (`render = true`): the document
    /// was extracted from this DOM, not from `body`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rendered: Option<Rendered>,
}

/// A page rendered in a headless browser: what ran it, how long it waited,
/// where it ended, and what it left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rendered {
    /// The browser's product name and version (`Chrome/148.0.7778.167`).
    pub browser: String,
    /// Where the tab ended (after redirects and script navigations).
    pub final_url: String,
    /// The wait: quiet network needed and the cap, in milliseconds, and
    /// whether the network went quiet before the cap.
    pub wait: RenderWait,
    /// The rendered DOM (doctype and `outerHTML`), UTF-8.
    pub dom: ObjectRef,
    /// A PNG screenshot (`screenshot = true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screenshot: Option<ScreenshotRef>,
}

/// How long a rendered page was waited for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderWait {
    pub idle_ms: u64,
    pub timeout_ms: u64,
    /// `false`: the network never went quiet; the DOM was taken at the cap.
    pub settled: bool,
}

/// A stored PNG screenshot and its size in pixels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreenshotRef {
    #[serde(flatten)]
    pub object: ObjectRef,
    pub width: u32,
    pub height: u32,
    /// The whole page is in it (else it is cut at the height cap).
    pub full_page: bool,
}

impl Manifest {
    /// The object the document was extracted from: the rendered DOM when
    /// the page was rendered, else the body as received.
    pub fn extracted_from(&self) -> &ObjectRef {
        match &self.rendered {
            Some(r) => &r.dom,
            None => &self.body,
        }
    }

    /// Every object the manifest names, with what it is.
    pub fn objects(&self) -> Vec<(&'static str, &ObjectRef)> {
        let mut out = vec![("body", &self.body), ("document", &self.document)];
        if let Some(r) = &self.rendered {
            out.push(("rendered dom", &r.dom));
            if let Some(s) = &r.screenshot {
                out.push(("screenshot", &s.object));
            }
        }
        if let Some(x) = &self.exchange {
            out.push(("response head", &x.response_head));
            if let Some(r) = &x.request_head {
                out.push(("request head", r));
            }
            if let Some(e) = &x.encoded_body {
                out.push(("encoded body", e));
            }
        }
        out
    }
}

/// The HTTP exchange of a capture, as objects. The heads are written as
/// HTTP/1.1 message heads (start line, `name: value` lines, empty line);
/// `notes` says where they are not byte-for-byte what crossed the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exchange {
    /// The protocol the answer came in (`HTTP/1.1`, `HTTP/2.0`).
    pub http_version: String,
    /// The request head stet sent (absent when an import had no request record).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_head: Option<ObjectRef>,
    /// The response head: status line and every header, in order of receipt.
    pub response_head: ObjectRef,
    /// The body as received, before its `Content-Encoding` was decoded
    /// (absent when the body was not content-encoded; `body` is then both).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoded_body: Option<ObjectRef>,
    /// Where the heads are not byte-for-byte what crossed the wire.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// The archive record an imported snapshot was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// The WARC file's name, as given to `stet import`.
    pub warc: String,
    /// sha256 (hex) of the whole WARC file.
    pub warc_sha256: String,
    /// `WARC-Record-ID` of the record the body came from.
    pub record_id: String,
    /// `WARC-Type` of that record (`response`, `resource`, `revisit`).
    pub record_type: String,
    /// Byte offset of the record in the file (of its gzip member, if any).
    pub offset: u64,
}

/// Per-target control of extraction, recorded in the manifest so that a
/// re-extraction repeats exactly what was done.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ExtractSettings {
    /// CSS selector of the article body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<String>,
    /// CSS selectors of elements removed before extraction.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore_selectors: Vec<String>,
    /// Regexes whose matches are removed from the text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore_patterns: Vec<String>,
}

impl ExtractSettings {
    pub fn is_default(&self) -> bool {
        self == &ExtractSettings::default()
    }
}

/// The article as extracted from a page.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Document {
    pub schema_version: u32,
    /// Version of the extractor and text normalisation that produced this.
    pub extractor_version: String,
    pub title: Option<String>,
    /// The headline as the page shows it (its `<h1>`), which content
    /// detection leaves out of the text when it repeats the title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
    /// The summary set right under the headline (a dek, a standfirst),
    /// which content detection often leaves out of the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standfirst: Option<String>,
    pub bylines: Vec<String>,
    /// The page's own provenance claims, in document order.
    pub claims: Vec<Claim>,
    pub canonical_url: Option<String>,
    /// `og:*`, `article:*` and other descriptive meta tags, by name.
    pub meta: BTreeMap<String, String>,
    /// JSON-LD `NewsArticle` / `Article` records found in the page.
    pub json_ld: Vec<ArticleLd>,
    pub lang: Option<String>,
    /// The article body, in order.
    pub blocks: Vec<Block>,
    pub images: Vec<Image>,
    pub links: Vec<Link>,
    /// Remarks of the extractor a reader should know about (for example
    /// "no article content found", "selector matched nothing").
    pub notes: Vec<String>,
}

/// Meta tags in which a page describes itself (a search result's text,
/// a social card's), most telling first.
const DESCRIPTION_NAMES: [&str; 3] = ["description", "og:description", "twitter:description"];

/// The descriptions a page gives of itself among its meta tags (`meta`,
/// by name), most telling first, trimmed, empty ones left out.
pub fn descriptions(meta: &BTreeMap<String, String>) -> impl Iterator<Item = &str> {
    DESCRIPTION_NAMES
        .into_iter()
        .filter_map(|k| meta.get(k))
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
}

impl Document {
    /// The article text: one block per line.
    pub fn text(&self) -> String {
        let len = self.blocks.iter().map(|b| b.text.len() + 1).sum();
        let mut out = String::with_capacity(len);
        for block in &self.blocks {
            out.push_str(&block.text);
            out.push('\n');
        }
        out
    }

    /// sha256 of [`Document::text`] (hex), without building the text.
    pub fn text_sha256(&self) -> String {
        let mut h = crate::digest::Hasher::new();
        for block in &self.blocks {
            h.update(block.text.as_bytes());
            h.update(b"\n");
        }
        h.finish_hex()
    }
}

/// The page's claims about itself, from its document.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
    pub bylines: Vec<String>,
    pub claims: Vec<Claim>,
    pub canonical_url: Option<String>,
    pub json_ld: Vec<ArticleLd>,
    pub meta: BTreeMap<String, String>,
}

impl Provenance {
    pub fn of(doc: &Document) -> Self {
        Provenance {
            title: doc.title.clone(),
            headline: doc.headline.clone(),
            bylines: doc.bylines.clone(),
            claims: doc.claims.clone(),
            canonical_url: doc.canonical_url.clone(),
            json_ld: doc.json_ld.clone(),
            meta: doc.meta.clone(),
        }
    }
}

/// A block of article text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    Heading,
    Paragraph,
    ListItem,
    Quote,
    Caption,
    Preformatted,
}

impl BlockKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BlockKind::Heading => "heading",
            BlockKind::Paragraph => "paragraph",
            BlockKind::ListItem => "list_item",
            BlockKind::Quote => "quote",
            BlockKind::Caption => "caption",
            BlockKind::Preformatted => "preformatted",
        }
    }
}

/// An image of the article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    /// Absolute URL.
    pub src: String,
    /// The `alt` attribute as written; `None` when absent.
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

/// A link of the article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// Absolute URL (resolved against `<base href>` and the page URL).
    pub href: String,
    pub text: String,
}

/// A claim the page makes about its own origin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    pub kind: ClaimKind,
    /// The claim as written on the page.
    pub text: String,
    pub publisher: Option<String>,
    /// ISO 8601 date (`YYYY-MM-DD`) when one could be parsed.
    pub date: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    OriginallyPublished,
    ReprintedFrom,
    Source,
    Via,
    IsBasedOn,
}

/// The fields of a JSON-LD `NewsArticle` / `Article` record that matter for provenance.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ArticleLd {
    #[serde(rename = "type")]
    pub kind: String,
    pub headline: Option<String>,
    pub authors: Vec<String>,
    pub publisher: Option<String>,
    pub date_published: Option<String>,
    pub date_modified: Option<String>,
    pub is_based_on: Option<String>,
    pub url: Option<String>,
}
