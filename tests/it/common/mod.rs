//! Helpers shared by the integration tests.
//!
//! `benches/` include `server.rs` on its own (`#[path]`), so items a bench
//! does not use must not warn (see the `allow` in each submodule).

pub mod cli;
pub mod corpus;
pub mod example;
pub mod markup;
pub mod require;
pub mod server;

pub use cli::{assert_ok, read_object, stet, store_files, Json};
pub use require::{program, require_or_skip, shared};

use std::path::PathBuf;

/// Absolute path of a file under `fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}
