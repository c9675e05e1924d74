//! stet: a reproducible document-diff and provenance auditor.
//!
//! The stages (see `DESIGN.md`): `fetch` → `extract` → `store` → `diff`
//! / `links` → `audit` → `report`. Data flows one way; each stage takes the
//! previous stage's types and knows nothing of the later ones. `pipeline`
//! alone runs them, and hands `report` one value of the `model` per command.

pub mod audit;
pub mod cli;
mod commands;
pub mod config;
pub mod diff;
pub mod digest;
pub mod error;
pub mod evidence;
pub mod extract;
pub mod fetch;
mod jcs;
pub mod links;
pub mod model;
mod parallel;
pub mod pipeline;
pub mod report;
pub mod store;
pub mod target;
pub mod warc;
pub mod watch;

pub use commands::run;
