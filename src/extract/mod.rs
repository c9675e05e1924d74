//! The `extract` stage (interim: until the extractor lands, a document is
//! the decoded text of the body, one paragraph per blank-line-separated run).

pub mod interim;

/// Version of the extractor and text normalisation.
pub const EXTRACTOR_VERSION: &str = "stet-extract/0";
