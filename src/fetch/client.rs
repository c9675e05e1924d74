//! The one place HTTP clients are built.

use std::sync::Once;

use super::{FetchError, FetchOptions};

static CRYPTO_PROVIDER: Once = Once::new();

/// A reqwest client that follows no redirects by itself (the hop loop records
/// each one), decodes gzip and brotli, and names stet in its User-Agent.
pub fn build_client(options: &FetchOptions) -> Result<reqwest::Client, FetchError> {
    build_client_with(options, false)
}

/// [`build_client`] for snapshot fetches, which keep the whole exchange:
/// the body arrives as sent (still gzip or brotli encoded, with its
/// `Content-Encoding` and `Content-Length` headers) and is decoded by the
/// fetch itself.
pub fn build_capture_client(options: &FetchOptions) -> Result<reqwest::Client, FetchError> {
    build(options, false, false)
}

/// [`build_client`], and with `deny_private` a resolver that refuses names
/// resolving only to loopback, private, link-local or metadata addresses
/// (IP literals are checked by the hop loop, see [`super::RequestSpec`]).
pub fn build_client_with(
    options: &FetchOptions,
    deny_private: bool,
) -> Result<reqwest::Client, FetchError> {
    build(options, deny_private, true)
}

fn build(
    options: &FetchOptions,
    deny_private: bool,
    decode: bool,
) -> Result<reqwest::Client, FetchError> {
    CRYPTO_PROVIDER.call_once(|| {
        // Fails only if another provider was installed first, which is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    let mut builder = reqwest::Client::builder();
    if deny_private {
        builder = builder.dns_resolver(std::sync::Arc::new(super::address::PublicOnlyResolver));
    }
    builder
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(options.connect_timeout)
        .read_timeout(options.timeout)
        .user_agent(options.user_agent.clone())
        .gzip(decode)
        .brotli(decode)
        .pool_max_idle_per_host(32)
        .build()
        .map_err(|e| FetchError::Client(e.to_string()))
}
