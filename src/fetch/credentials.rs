//! Per-target request headers and cookies (`headers`, `cookies_file` in a
//! `[[target]]`). Values are secrets: they are sent, never shown. `Debug`
//! prints names only, errors name the header or variable, never the value,
//! and a manifest records only the names sent ([`Credentials::names_for`]).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use url::Url;

/// Request headers whose values are secrets wherever a request is
/// recorded (a stored request head must write `[redacted]` for these, and
/// for every header a target configures: see [`Credentials::redacts`]).
pub fn redact_request_header(name: &str) -> bool {
    ["authorization", "cookie", "proxy-authorization"]
        .iter()
        .any(|n| n.eq_ignore_ascii_case(name))
}

/// What is wrong with a target's headers or cookies file: one line, no value.
#[derive(Debug, thiserror::Error)]
pub enum CredentialsError {
    #[error(
        "target `{target}`: header `{header}` uses ${{{var}}}, which is not set in the environment"
    )]
    MissingVar {
        target: String,
        header: String,
        var: String,
    },
    #[error("target `{target}`: header `{header}`: unclosed ${{ in its value")]
    Unclosed { target: String, header: String },
    #[error("target `{target}`: header `{header}`: the name or its expanded value is not a valid HTTP header")]
    Invalid { target: String, header: String },
    #[error("target `{target}`: cookies file {path}: {detail}")]
    CookiesFile {
        target: String,
        path: String,
        detail: String,
    },
}

/// One cookie of a Netscape cookie file.
#[derive(Clone, PartialEq, Eq)]
struct Cookie {
    /// Lower-case, without a leading dot.
    domain: String,
    /// The cookie is sent to subdomains too.
    subdomains: bool,
    path: String,
    secure: bool,
    /// Unix seconds; 0 is a session cookie (never expires here).
    expires: i64,
    name: String,
    value: String,
}

/// Headers and cookies to send with one target's page fetch.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Credentials {
    headers: Vec<(reqwest::header::HeaderName, reqwest::header::HeaderValue)>,
    cookies: Vec<Cookie>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let headers: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        let cookies: Vec<&str> = self.cookies.iter().map(|c| c.name.as_str()).collect();
        f.debug_struct("Credentials")
            .field("headers", &headers)
            .field("cookies", &cookies)
            .finish_non_exhaustive()
    }
}

impl Credentials {
    /// Expand `${VAR}` in every header value from `env`, and read the
    /// cookies file (already resolved against stet.toml's directory).
    pub fn build(
        target: &str,
        headers: &BTreeMap<String, String>,
        cookies_file: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Credentials, CredentialsError> {
        let mut out = Credentials::default();
        for (name, template) in headers {
            let value = expand(template, &env).map_err(|e| match e {
                Expand::Missing(var) => CredentialsError::MissingVar {
                    target: target.to_string(),
                    header: name.clone(),
                    var,
                },
                Expand::Unclosed => CredentialsError::Unclosed {
                    target: target.to_string(),
                    header: name.clone(),
                },
            })?;
            let invalid = || CredentialsError::Invalid {
                target: target.to_string(),
                header: name.clone(),
            };
            let name =
                reqwest::header::HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
            let mut value =
                reqwest::header::HeaderValue::from_str(&value).map_err(|_| invalid())?;
            value.set_sensitive(true);
            out.headers.push((name, value));
        }
        if let Some(path) = cookies_file {
            let text =
                std::fs::read_to_string(path).map_err(|e| CredentialsError::CookiesFile {
                    target: target.to_string(),
                    path: path.display().to_string(),
                    detail: e.kind().to_string(),
                })?;
            out.cookies = parse_cookies(&text);
        }
        Ok(out)
    }

    pub fn is_empty(&self) -> bool {
        self.headers.is_empty() && self.cookies.is_empty()
    }

    /// A header a stored request head must redact: a configured one, or
    /// one of [`redact_request_header`].
    pub fn redacts(&self, name: &str) -> bool {
        redact_request_header(name)
            || self
                .headers
                .iter()
                .any(|(n, _)| n.as_str().eq_ignore_ascii_case(name))
    }

    /// The headers to add to a request for `url` in a fetch that began at
    /// `start`: configured headers only within the start's origin (like a
    /// browser, nothing configured follows a cross-origin redirect), and
    /// the file's cookies matching `url` by domain, path, secure and
    /// expiry (`now`: Unix seconds).
    pub fn headers_for(
        &self,
        start: &Url,
        url: &Url,
        now: i64,
    ) -> Vec<(reqwest::header::HeaderName, reqwest::header::HeaderValue)> {
        let mut out = Vec::new();
        let same_origin = start.origin() == url.origin();
        if same_origin {
            out.extend(self.headers.iter().cloned());
        }
        let configured_cookie = out.iter().any(|(n, _)| n == reqwest::header::COOKIE);
        let jar: Vec<String> = self
            .cookies
            .iter()
            .filter(|c| same_origin && c.matches(url, now))
            .map(|c| format!("{}={}", c.name, c.value))
            .collect();
        if !jar.is_empty() {
            let mut line = jar.join("; ");
            if configured_cookie {
                if let Some((_, v)) = out.iter().find(|(n, _)| n == reqwest::header::COOKIE) {
                    line = format!("{}; {line}", String::from_utf8_lossy(v.as_bytes()));
                }
                out.retain(|(n, _)| n != reqwest::header::COOKIE);
            }
            if let Ok(mut v) = reqwest::header::HeaderValue::from_str(&line) {
                v.set_sensitive(true);
                out.push((reqwest::header::COOKIE, v));
            }
        }
        out
    }

    /// The names of the headers [`Self::headers_for`] sends to `start`,
    /// sorted, for the manifest (`Cookie` when any cookie is sent).
    pub fn names_for(&self, start: &Url, now: i64) -> Vec<String> {
        let names: BTreeSet<String> = self
            .headers_for(start, start, now)
            .iter()
            .map(|(n, _)| canonical_name(n.as_str()))
            .collect();
        names.into_iter().collect()
    }
}

/// Now as Unix seconds (`STET_NOW` fixes it, like every clock of stet).
pub(crate) fn unix_now() -> i64 {
    time::OffsetDateTime::parse(
        &super::now_rfc3339(),
        &time::format_description::well_known::Rfc3339,
    )
    .map(|t| t.unix_timestamp())
    .unwrap_or(0)
}

/// `authorization` → `Authorization`, `x-api-key` → `X-Api-Key`.
fn canonical_name(name: &str) -> String {
    name.split('-')
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

impl Cookie {
    fn matches(&self, url: &Url, now: i64) -> bool {
        let Some(host) = url.host_str() else {
            return false;
        };
        let host = host.to_ascii_lowercase();
        let domain_ok = host == self.domain
            || (self.subdomains && host.ends_with(&format!(".{}", self.domain)));
        let path = url.path();
        let path_ok = path == self.path
            || (path.starts_with(&self.path)
                && (self.path.ends_with('/') || path[self.path.len()..].starts_with('/')));
        let secure_ok = !self.secure || url.scheme() == "https";
        let fresh = self.expires == 0 || self.expires > now;
        domain_ok && path_ok && secure_ok && fresh
    }
}

/// Netscape cookie-file lines: domain, include-subdomains, path, secure,
/// expiry, name, value, tab-separated. `#HttpOnly_` prefixes are kept;
/// other comments, blank and malformed lines are skipped.
fn parse_cookies(text: &str) -> Vec<Cookie> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        let line = line.strip_prefix("#HttpOnly_").unwrap_or(line);
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [domain, subdomains, path, secure, expires, name, value] = fields[..] else {
            continue;
        };
        let Ok(expires) = expires.trim().parse::<i64>() else {
            continue;
        };
        let dotted = domain.starts_with('.');
        out.push(Cookie {
            domain: domain.trim_start_matches('.').to_ascii_lowercase(),
            subdomains: subdomains.eq_ignore_ascii_case("TRUE") || dotted,
            path: if path.is_empty() {
                "/".to_string()
            } else {
                path.to_string()
            },
            secure: secure.eq_ignore_ascii_case("TRUE"),
            expires,
            name: name.to_string(),
            value: value.to_string(),
        });
    }
    out
}

enum Expand {
    Missing(String),
    Unclosed,
}

/// `${VAR}` replaced by the variable's value; `$$` is a literal `$`.
fn expand(template: &str, env: &impl Fn(&str) -> Option<String>) -> Result<String, Expand> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(tail) = after.strip_prefix('{') {
            let end = tail.find('}').ok_or(Expand::Unclosed)?;
            let var = &tail[..end];
            out.push_str(&env(var).ok_or_else(|| Expand::Missing(var.to_string()))?);
            rest = &tail[end + 1..];
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        (name == "TOKEN").then(|| "s3cret".to_string())
    }

    #[test]
    fn expands_and_names_missing_variables() -> Result<(), Box<dyn std::error::Error>> {
        let mut h = BTreeMap::new();
        h.insert("Authorization".to_string(), "Bearer ${TOKEN}".to_string());
        let c = Credentials::build("t", &h, None, env)?;
        let url = Url::parse("https://a.example/x")?;
        let sent = c.headers_for(&url, &url, 0);
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].1.as_bytes(), b"Bearer s3cret");
        assert!(!format!("{c:?}").contains("s3cret"));
        h.insert("X-Other".to_string(), "${NOPE}".to_string());
        let Err(e) = Credentials::build("t", &h, None, env) else {
            panic!("a missing variable must fail");
        };
        assert_eq!(
            e.to_string(),
            "target `t`: header `X-Other` uses ${NOPE}, which is not set in the environment"
        );
        Ok(())
    }

    #[test]
    fn cookies_match_domain_path_secure_expiry() -> Result<(), Box<dyn std::error::Error>> {
        let file = "# Netscape HTTP Cookie File\n\
            .example.com\tTRUE\t/\tFALSE\t0\tall\t1\n\
            example.com\tFALSE\t/news\tFALSE\t0\tnews\t2\n\
            example.com\tFALSE\t/\tTRUE\t0\tsec\t3\n\
            example.com\tFALSE\t/\tFALSE\t100\told\t4\n\
            #HttpOnly_other.org\tFALSE\t/\tFALSE\t0\tother\t5\n";
        let c = Credentials {
            headers: Vec::new(),
            cookies: parse_cookies(file),
        };
        let cookie = |u: &str| -> Result<String, Box<dyn std::error::Error>> {
            let url = Url::parse(u)?;
            Ok(c.headers_for(&url, &url, 1000)
                .iter()
                .map(|(_, v)| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .collect())
        };
        assert_eq!(cookie("http://example.com/news/a")?, "all=1; news=2");
        assert_eq!(cookie("http://example.com/newsroom")?, "all=1");
        assert_eq!(cookie("https://www.example.com/")?, "all=1");
        assert_eq!(cookie("https://example.com/")?, "all=1; sec=3");
        assert_eq!(cookie("http://other.org/")?, "other=5");
        assert_eq!(cookie("http://example.org/")?, "");
        Ok(())
    }

    #[test]
    fn nothing_follows_a_cross_origin_redirect() -> Result<(), Box<dyn std::error::Error>> {
        let mut h = BTreeMap::new();
        h.insert("cookie".to_string(), "a=${TOKEN}".to_string());
        let c = Credentials::build("t", &h, None, env)?;
        let start = Url::parse("http://a.example/")?;
        assert_eq!(c.names_for(&start, 0), vec!["Cookie".to_string()]);
        let elsewhere = Url::parse("http://b.example/")?;
        assert!(c.headers_for(&start, &elsewhere, 0).is_empty());
        assert!(c.redacts("COOKIE") && c.redacts("authorization") && !c.redacts("accept"));
        Ok(())
    }
}
