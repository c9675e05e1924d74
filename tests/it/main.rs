//! The integration tests, one binary: each module was a test binary of its own;
//! linked once, and tests that wait on servers run beside those that compute.

mod common;

mod archive_repo;
mod article_gone;
mod audit;
mod audit_stream;
mod config;
mod corpus_bylines;
mod corpus_titles;
mod credentials;
mod daily;
mod diff_fixtures;
mod edit_classes;
mod edit_detection;
mod evidence;
mod example;
mod extract_bad_input;
mod extract_fixtures;
mod furniture_stability;
mod golden;
mod hardening;
mod html_render;
mod links;
mod markup_stability;
mod names;
mod properties;
mod readme;
mod render;
mod resource_identity;
mod robots;
mod s3;
mod snapshot;
mod store;
mod test_server;
mod tls;
mod warc;
