//! Helpers shared by the integration tests.
//!
//! Every test binary that says `mod common;` compiles this module on its own,
//! so items one binary does not use must not warn (see the `allow` in each
//! submodule).

#![allow(dead_code)]

pub mod cli;
pub mod corpus;
pub mod example;
pub mod markup;
pub mod require;
pub mod server;

#[allow(unused_imports)]
pub use cli::{assert_ok, read_object, stet, store_files, Json};
#[allow(unused_imports)]
pub use require::{program, require_or_skip, shared};

use std::path::PathBuf;

/// Absolute path of a file under `fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}
