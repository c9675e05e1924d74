//! Why a fetch got no answer. A 404 is not an error: it is an answer.

use std::error::Error as _;

/// A fetch that did not produce an answer to record.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("could not set up the HTTP client: {0}")]
    Client(String),
    #[error("{url}: timed out after {seconds} s")]
    Timeout { url: String, seconds: u64 },
    #[error("{url}: host name does not resolve")]
    Dns { url: String },
    #[error("{url}: connection refused")]
    Refused { url: String },
    #[error("{url}: TLS failure: {detail}")]
    Tls { url: String, detail: String },
    #[error("{url}: could not connect: {detail}")]
    Connect { url: String, detail: String },
    #[error("{url}: more than {limit} redirects")]
    TooManyRedirects { url: String, limit: usize },
    #[error("{url}: redirect loop back to {to}")]
    RedirectLoop { url: String, to: String },
    #[error("{url}: redirect without a usable Location header ({detail})")]
    BadRedirect { url: String, detail: String },
    #[error("{url}: redirect to unsupported scheme `{scheme}:`")]
    RedirectScheme { url: String, scheme: String },
    #[error("{url}: body larger than the limit of {limit} bytes (raise --max-body)")]
    BodyTooLarge { url: String, limit: u64 },
    #[error("{url}: broken response: {detail}")]
    Protocol { url: String, detail: String },
    #[error("{path}: {detail}")]
    File { path: String, detail: String },
    #[error("{url}: cannot extract: {detail}")]
    Extract { url: String, detail: String },
    #[error(
        "{url}: refused: {detail} is a private, loopback or link-local address (--deny-private)"
    )]
    PrivateAddress { url: String, detail: String },
    #[error(
        "{url}: skipped: robots.txt disallows it for `stet` (--ignore-robots for your own sites)"
    )]
    Robots { url: String },
    #[error("could not start the browser: {detail}")]
    Browser { detail: String },
    #[error("{url}: the page did not load in the browser within {seconds} s (tab given up)")]
    RenderTimeout { url: String, seconds: u64 },
    #[error("{url}: rendering failed: {detail}")]
    Render { url: String, detail: String },
}

impl FetchError {
    /// A short machine-readable reason, shared with the link checker.
    pub fn reason(&self) -> &'static str {
        match self {
            FetchError::Client(_) => "client",
            FetchError::Timeout { .. } => "timeout",
            FetchError::Dns { .. } => "dns",
            FetchError::Refused { .. } => "refused",
            FetchError::Tls { .. } => "tls",
            FetchError::Connect { .. } => "connect",
            FetchError::TooManyRedirects { .. } | FetchError::RedirectLoop { .. } => {
                "too_many_redirects"
            }
            FetchError::BadRedirect { .. } => "bad_redirect",
            FetchError::RedirectScheme { .. } => "unsupported_scheme",
            FetchError::BodyTooLarge { .. } => "body_too_large",
            FetchError::Protocol { .. } => "protocol",
            FetchError::File { .. } => "file",
            FetchError::Extract { .. } => "extract",
            FetchError::PrivateAddress { .. } => "private_address",
            FetchError::Robots { .. } => "robots",
            FetchError::Browser { .. } => "browser",
            FetchError::RenderTimeout { .. } => "render_timeout",
            FetchError::Render { .. } => "render",
        }
    }

    /// Classify a reqwest error for `url`.
    pub(crate) fn from_reqwest(url: &str, err: &reqwest::Error, timeout_secs: u64) -> Self {
        let url = url.to_string();
        if err.is_timeout() {
            return FetchError::Timeout {
                url,
                seconds: timeout_secs,
            };
        }
        let chain = error_chain(err);
        if let Some(at) = chain.find(super::address::DENIED_MARKER) {
            let detail = chain[at + super::address::DENIED_MARKER.len()..]
                .trim()
                .to_string();
            return FetchError::PrivateAddress { url, detail };
        }
        // rustls' own error anywhere in the chain is a TLS failure, whatever
        // its text says ("received corrupt message of type ..." names no TLS).
        if let Some(tls) = rustls_cause(err) {
            let detail = match tls {
                rustls::Error::InvalidMessage(_) => {
                    format!("the server's answer is not TLS (plain HTTP on an https URL?): {chain}")
                }
                _ => chain,
            };
            return FetchError::Tls { url, detail };
        }
        let lower = chain.to_ascii_lowercase();
        if err.is_connect() {
            match name_lookup(&lower) {
                Some(Lookup::NoSuchName) => return FetchError::Dns { url },
                // A resolver that did not answer in time says nothing of
                // the name: retried, and never a dead link.
                Some(Lookup::NoAnswer) => return FetchError::Connect { url, detail: chain },
                None => {}
            }
            if lower.contains("connection refused") {
                return FetchError::Refused { url };
            }
            if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake")
            {
                return FetchError::Tls { url, detail: chain };
            }
            return FetchError::Connect { url, detail: chain };
        }
        if lower.contains("certificate") || lower.contains("tls handshake") {
            return FetchError::Tls { url, detail: chain };
        }
        FetchError::Protocol { url, detail: chain }
    }
}

/// What a failed name lookup says of the name.
#[derive(Debug, PartialEq, Eq)]
enum Lookup {
    /// The name does not resolve (NXDOMAIN, no address): a dead host.
    NoSuchName,
    /// The resolver gave no answer (glibc's `EAI_AGAIN`, "Temporary
    /// failure in name resolution", what a lookup that times out returns).
    NoAnswer,
}

/// The name lookup failure in a lower-cased error chain, if it is one.
fn name_lookup(lower: &str) -> Option<Lookup> {
    // glibc's and musl's words for `EAI_AGAIN`.
    if lower.contains("temporary failure in name resolution")
        || lower.contains("could not be resolved at this time")
    {
        return Some(Lookup::NoAnswer);
    }
    (lower.contains("dns error")
        || lower.contains("failed to lookup address")
        || lower.contains("name or service not known")
        || lower.contains("no address associated"))
    .then_some(Lookup::NoSuchName)
}

/// The rustls error under `err`, if any. hyper and tokio-rustls wrap it in
/// `io::Error`s (two deep), whose `source()` skips the wrapped error itself,
/// so each `io::Error` met is opened with `get_ref()`.
fn rustls_cause(err: &reqwest::Error) -> Option<&rustls::Error> {
    let mut next: Option<&(dyn std::error::Error + 'static)> = err.source();
    while let Some(e) = next {
        if let Some(tls) = rustls_inside(e, 0) {
            return Some(tls);
        }
        next = e.source();
    }
    None
}

fn rustls_inside<'a>(
    e: &'a (dyn std::error::Error + 'static),
    depth: usize,
) -> Option<&'a rustls::Error> {
    if let Some(tls) = e.downcast_ref::<rustls::Error>() {
        return Some(tls);
    }
    let inner = e.downcast_ref::<std::io::Error>()?.get_ref()?;
    if depth < 8 {
        rustls_inside(inner, depth + 1)
    } else {
        None
    }
}

/// `err: cause: cause`, deduplicated (reqwest repeats messages down the chain).
fn error_chain(err: &reqwest::Error) -> String {
    let mut parts: Vec<String> = vec![err.to_string()];
    let mut source = err.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lookup_without_answer_is_not_a_name_that_does_not_resolve() {
        // reqwest's chains, as glibc and musl word `getaddrinfo`'s errors.
        let chain = |cause: &str| {
            format!(
                "error sending request for url (https://news.example/a): client error \
                 (connect): dns error: failed to lookup address information: {cause}"
            )
            .to_ascii_lowercase()
        };
        for (cause, want) in [
            ("Name or service not known", Some(Lookup::NoSuchName)),
            (
                "No address associated with hostname",
                Some(Lookup::NoSuchName),
            ),
            (
                "Temporary failure in name resolution",
                Some(Lookup::NoAnswer),
            ),
            (
                "Name could not be resolved at this time",
                Some(Lookup::NoAnswer),
            ),
        ] {
            assert_eq!(name_lookup(&chain(cause)), want, "{cause}");
        }
        assert_eq!(name_lookup("tcp connect error: connection refused"), None);
    }
}
