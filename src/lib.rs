//! stet: a reproducible document-diff and provenance auditor.
//!
//! The pipeline (see `DESIGN.md`): `fetch` → `extract` → `store` → `diff`
//! / `links` → `audit` → `report`. Data flows one way; each stage takes the
//! previous stage's types and knows nothing of the later ones.

pub mod diff;
pub mod digest;
pub mod extract;
pub mod model;
pub mod report;
