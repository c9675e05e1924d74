//! S3-compatible object storage as a [`Backend`], through the
//! `object_store` crate: create-only puts are `If-None-Match: *`, swaps are
//! `If-Match: <ETag>`. Endpoint, region and credentials come from the
//! standard AWS environment variables (`AWS_ENDPOINT_URL`, `AWS_REGION`,
//! `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_ALLOW_HTTP`).
//!
//! The store's API is blocking; each call runs on this backend's own small
//! runtime (from a helper thread when the caller is itself inside one).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use futures_util::stream::{self, StreamExt, TryStreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::memory::InMemory;
use object_store::path::Path as ObjectPath;
use object_store::{
    Attribute, BackoffConfig, ClientOptions, GetOptions, ObjectStore, ObjectStoreExt, PutMode,
    PutOptions, PutPayload, RetryConfig, UpdateVersion,
};

use super::backend::{Backend, Versioned};
use super::StoreError;

/// Requests in flight at once for one batch (objects of a group commit).
const PARALLEL_REQUESTS: usize = 16;

/// What a request that got no answer in time says.
const TIMED_OUT: &str = "the S3 endpoint did not answer in time";

/// A bucket (and a prefix in it) of S3-compatible storage.
pub struct S3Backend {
    /// Set by the first request that got no answer in time: later ones
    /// fail at once with it, so that a stalled endpoint costs a run one
    /// timeout, not one a request.
    stalled: std::sync::OnceLock<String>,
    store: Arc<dyn ObjectStore>,
    /// `s3://bucket/prefix`, for messages.
    base: String,
    /// Key prefix inside the bucket, without slashes at either end.
    prefix: String,
    runtime: Option<tokio::runtime::Runtime>,
}

impl std::fmt::Debug for S3Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Backend")
            .field("base", &self.base)
            .finish()
    }
}

impl S3Backend {
    /// The bucket `bucket` under `prefix`, configured from the environment.
    pub fn from_env(bucket: &str, prefix: &str) -> Result<S3Backend, StoreError> {
        S3Backend::from_vars(bucket, prefix, std::env::vars_os())
    }

    /// As [`S3Backend::from_env`], with the `AWS_*` variables from `vars`.
    pub fn from_vars(
        bucket: &str,
        prefix: &str,
        vars: impl IntoIterator<Item = (std::ffi::OsString, std::ffi::OsString)>,
    ) -> Result<S3Backend, StoreError> {
        let base = super::location::s3_url(bucket, prefix);
        // object_store's HTTP client is rustls with ring, like stet's.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(bucket)
            .with_client_options(
                ClientOptions::new()
                    .with_connect_timeout(Duration::from_secs(5))
                    .with_timeout(Duration::from_secs(60)),
            )
            // A few quick retries: a store that is down is reported within
            // seconds, not after object_store's default three minutes.
            .with_retry(RetryConfig {
                backoff: BackoffConfig {
                    init_backoff: Duration::from_millis(50),
                    max_backoff: Duration::from_secs(1),
                    base: 2.0,
                },
                max_retries: 3,
                retry_timeout: Duration::from_secs(15),
            });
        // The AWS_* variables, as `AmazonS3Builder::from_env` reads them,
        // applied over the timeouts above (not replaced by them).
        let mut region = false;
        let (mut plain_endpoint, mut allow_http) = (None, false);
        for (name, value) in vars {
            let (Some(name), Some(value)) = (name.to_str(), value.to_str()) else {
                continue;
            };
            if name.starts_with("AWS_") {
                region |= matches!(name, "AWS_REGION" | "AWS_DEFAULT_REGION");
                if matches!(name, "AWS_ENDPOINT_URL" | "AWS_ENDPOINT") && !value.is_empty() {
                    check_endpoint(&base, name, value)?;
                    if value.starts_with("http://") {
                        plain_endpoint = Some(format!("{name}={value}"));
                    }
                }
                // object_store's own reading of a true value.
                allow_http |= name == "AWS_ALLOW_HTTP"
                    && ["true", "1", "on", "yes", "y"]
                        .iter()
                        .any(|t| value.eq_ignore_ascii_case(t));
                if let Ok(key) = name.to_ascii_lowercase().parse() {
                    builder = builder.with_config(key, value);
                }
            }
        }
        if !region {
            builder = builder.with_region("us-east-1");
        }
        if let (Some(endpoint), false) = (plain_endpoint, allow_http) {
            return Err(StoreError::Remote {
                url: base,
                detail: format!("{endpoint} is plain HTTP: set AWS_ALLOW_HTTP=true to allow it"),
            });
        }
        let store = builder.build().map_err(|e| StoreError::Remote {
            url: base.clone(),
            detail: format!("cannot configure S3 access: {}", one_line(&e.to_string())),
        })?;
        S3Backend::new(Arc::new(store), base, prefix)
    }

    /// An in-memory store with the same semantics (conditional puts and
    /// ETags), for tests.
    pub fn in_memory(prefix: &str) -> Result<S3Backend, StoreError> {
        S3Backend::new(
            Arc::new(InMemory::new()),
            format!("memory:///{prefix}"),
            prefix,
        )
    }

    fn new(
        store: Arc<dyn ObjectStore>,
        base: String,
        prefix: &str,
    ) -> Result<S3Backend, StoreError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("stet-s3")
            .enable_all()
            .build()
            .map_err(|e| StoreError::Remote {
                url: base.clone(),
                detail: format!("could not start the S3 client's runtime: {e}"),
            })?;
        Ok(S3Backend {
            stalled: std::sync::OnceLock::new(),
            store,
            base,
            prefix: prefix.trim_matches('/').to_string(),
            runtime: Some(runtime),
        })
    }

    fn path(&self, key: &str) -> ObjectPath {
        if self.prefix.is_empty() {
            ObjectPath::from(key)
        } else {
            ObjectPath::from(format!("{}/{key}", self.prefix))
        }
    }

    /// `key` of an object path listed under the prefix.
    fn key_of<'p>(&self, path: &'p ObjectPath) -> Option<&'p str> {
        let p = path.as_ref();
        if self.prefix.is_empty() {
            Some(p)
        } else {
            p.strip_prefix(self.prefix.as_str())?.strip_prefix('/')
        }
    }

    /// Run `f` to completion on this backend's runtime.
    fn block<T: Send>(
        &self,
        f: impl Future<Output = Result<T, StoreError>> + Send,
    ) -> Result<T, StoreError> {
        let Some(runtime) = &self.runtime else {
            return Err(self.error("", "the S3 client has shut down"));
        };
        if let Some(url) = self.stalled.get() {
            return Err(StoreError::Remote {
                url: url.clone(),
                detail: TIMED_OUT.to_string(),
            });
        }
        let result = if tokio::runtime::Handle::try_current().is_err() {
            runtime.block_on(f)
        } else {
            // Inside another runtime, block_on would panic: wait on a
            // helper thread instead.
            std::thread::scope(|s| {
                s.spawn(|| runtime.block_on(f))
                    .join()
                    .unwrap_or_else(|_| Err(self.error("", "an S3 request thread failed")))
            })
        };
        if let Err(StoreError::Remote { url, detail }) = &result {
            if detail == TIMED_OUT {
                let _ = self.stalled.set(url.clone());
            }
        }
        result
    }

    fn error(&self, key: &str, detail: &str) -> StoreError {
        StoreError::Remote {
            url: self.url(key),
            detail: detail.to_string(),
        }
    }

    /// One clear line for an `object_store` error.
    fn fail(&self, key: &str, e: &object_store::Error) -> StoreError {
        self.error(key, &describe(e))
    }
}

impl Drop for S3Backend {
    fn drop(&mut self) {
        // Dropping a runtime inside another one would panic.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// An endpoint is an http(s) URL with a host: object_store panics on
/// some that are not (`127.0.0.1:8333`, no scheme).
fn check_endpoint(base: &str, name: &str, value: &str) -> Result<(), StoreError> {
    match url::Url::parse(value) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(()),
        _ => Err(StoreError::Remote {
            url: base.to_string(),
            detail: format!(
                "{name}={value} is not an http:// or https:// URL (say http://HOST:PORT)"
            ),
        }),
    }
}

/// What went wrong, in words a user can act on.
fn describe(e: &object_store::Error) -> String {
    let full = one_line(&format!("{e}"));
    let chain = error_chain(e);
    let has = |needle: &str| chain.contains(needle) || full.contains(needle);
    if matches!(
        e,
        object_store::Error::PermissionDenied { .. } | object_store::Error::Unauthenticated { .. }
    ) || has("SignatureDoesNotMatch")
        || has("InvalidAccessKeyId")
        || has("AccessDenied")
        || has("403 Forbidden")
    {
        return "access denied: check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY".to_string();
    }
    if has("NoSuchBucket") {
        return "no such bucket".to_string();
    }
    if has("dns error") || has("failed to lookup address") {
        return "cannot resolve the S3 endpoint's host name (AWS_ENDPOINT_URL)".to_string();
    }
    if has("Connection refused") || has("error trying to connect") || has("tcp connect error") {
        return "cannot connect to the S3 endpoint (connection refused); is it running? (AWS_ENDPOINT_URL)".to_string();
    }
    if has("timed out") || has("Timeout") {
        return TIMED_OUT.to_string();
    }
    if has("error sending request")
        || has("onnection reset")
        || has("roken pipe")
        || has("connection closed")
        || has("IncompleteMessage")
    {
        return "lost the connection to the S3 endpoint; is it running? (AWS_ENDPOINT_URL)"
            .to_string();
    }
    if has("Missing region") || has("credentials") && has("Missing") {
        return format!("S3 is not configured: {full}");
    }
    // Something else at that address (a web server, a proxy's error page):
    // its page is no message.
    let lower = full.to_ascii_lowercase();
    if lower.contains("<html") || lower.contains("<!doctype") {
        return "the endpoint answered with a web page, not as S3 does: \
                is AWS_ENDPOINT_URL an S3 endpoint?"
            .to_string();
    }
    shortened(full)
}

/// Longest error detail kept (a server may answer with a page of text).
const MAX_DETAIL: usize = 300;

fn shortened(mut s: String) -> String {
    if s.len() > MAX_DETAIL {
        let mut end = MAX_DETAIL;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
        s.push('…');
    }
    s
}

fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = String::new();
    let mut next = e.source();
    while let Some(s) = next {
        out.push_str(&s.to_string());
        out.push(' ');
        next = s.source();
    }
    out
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Backend for S3Backend {
    fn url(&self, key: &str) -> String {
        if key.is_empty() {
            self.base.clone()
        } else {
            format!("{}/{key}", self.base.trim_end_matches('/'))
        }
    }

    fn get(&self, key: &str) -> Result<Option<Versioned>, StoreError> {
        let path = self.path(key);
        self.block(async {
            let result = match self.store.get(&path).await {
                Ok(r) => r,
                Err(object_store::Error::NotFound { .. }) => return Ok(None),
                Err(e) => return Err(self.fail(key, &e)),
            };
            let version = result.meta.e_tag.clone();
            let bytes = result.bytes().await.map_err(|e| self.fail(key, &e))?;
            Ok(Some(Versioned {
                bytes: bytes.to_vec(),
                version,
            }))
        })
    }

    fn exists(&self, key: &str) -> Result<bool, StoreError> {
        let path = self.path(key);
        self.block(async {
            match self.store.head(&path).await {
                Ok(_) => Ok(true),
                Err(object_store::Error::NotFound { .. }) => Ok(false),
                Err(e) => Err(self.fail(key, &e)),
            }
        })
    }

    fn create(&self, key: &str, bytes: &[u8]) -> Result<bool, StoreError> {
        let put = create(self.store.clone(), self.path(key), bytes.to_vec());
        self.block(async { put.await.map_err(|e| self.fail(key, &e)) })
    }

    fn create_all(&self, items: &[(String, &[u8])]) -> Result<(), StoreError> {
        let puts: Vec<_> = items
            .iter()
            .map(|(key, bytes)| {
                let put = create(self.store.clone(), self.path(key), bytes.to_vec());
                let key = key.clone();
                async move { put.await.map_err(|e| (key, e)) }
            })
            .collect();
        self.block(async {
            stream::iter(puts)
                .buffer_unordered(PARALLEL_REQUESTS)
                .try_collect::<Vec<bool>>()
                .await
                .map(|_| ())
                .map_err(|(key, e)| self.fail(&key, &e))
        })
    }

    fn swap(&self, key: &str, expected: Option<&str>, bytes: &[u8]) -> Result<bool, StoreError> {
        let path = self.path(key);
        let mode = match expected {
            Some(e_tag) => PutMode::Update(UpdateVersion {
                e_tag: Some(e_tag.to_string()),
                version: None,
            }),
            None => PutMode::Create,
        };
        let payload = PutPayload::from(bytes.to_vec());
        let tag = writer_tag();
        self.block(async {
            let options = PutOptions {
                mode,
                attributes: [(Attribute::Metadata(WRITER.into()), tag.clone())]
                    .into_iter()
                    .collect(),
                ..PutOptions::default()
            };
            match self.store.put_opts(&path, payload, options).await {
                Ok(_) => Ok(true),
                // Refused: another writer's, or this very write's own when
                // it landed and its answer was lost (a 5xx from a proxy,
                // retried by the client): the object's writer tag tells.
                Err(
                    object_store::Error::AlreadyExists { .. }
                    | object_store::Error::Precondition { .. }
                    | object_store::Error::NotModified { .. },
                ) => self.written_by(key, &path, &tag).await,
                Err(e) => Err(self.fail(key, &e)),
            }
        })
    }

    fn put(&self, key: &str, bytes: &[u8]) -> Result<(), StoreError> {
        let path = self.path(key);
        let payload = PutPayload::from(bytes.to_vec());
        self.block(async {
            self.store
                .put(&path, payload)
                .await
                .map(|_| ())
                .map_err(|e| self.fail(key, &e))
        })
    }

    fn delete(&self, key: &str) -> Result<(), StoreError> {
        let path = self.path(key);
        self.block(async {
            match self.store.delete(&path).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
                Err(e) => Err(self.fail(key, &e)),
            }
        })
    }

    fn list(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        let path = self.path(prefix.trim_end_matches('/'));
        self.block(async {
            let metas: Vec<_> = self
                .store
                .list(Some(&path))
                .try_collect()
                .await
                .map_err(|e| self.fail(prefix, &e))?;
            let mut keys: Vec<String> = metas
                .iter()
                .filter_map(|m| self.key_of(&m.location).map(str::to_string))
                .collect();
            keys.sort();
            Ok(keys)
        })
    }

    fn list_dirs(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        let path = self.path(prefix.trim_end_matches('/'));
        self.block(async {
            let listed = self
                .store
                .list_with_delimiter(Some(&path))
                .await
                .map_err(|e| self.fail(prefix, &e))?;
            let mut dirs: Vec<String> = listed
                .common_prefixes
                .iter()
                .filter_map(|p| self.key_of(p).map(|k| format!("{k}/")))
                .collect();
            dirs.sort();
            Ok(dirs)
        })
    }
}

/// The user metadata (`x-amz-meta-stet-writer`) naming the swap that
/// wrote an object.
const WRITER: &str = "stet-writer";

/// A tag no other swap has: random bits (the OS's, as `RandomState` seeds
/// its keys), the time and a count of this process's swaps.
fn writer_tag() -> String {
    use std::hash::BuildHasher;
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let count = COUNT.fetch_add(1, Ordering::Relaxed);
    let random = std::collections::hash_map::RandomState::new().hash_one(count);
    format!("{random:016x}-{nanos:x}-{count}")
}

impl S3Backend {
    /// Whether the object at `path` was written by the swap tagged `tag`
    /// (a HEAD request: the tag is a header, the body is not needed).
    async fn written_by(
        &self,
        key: &str,
        path: &ObjectPath,
        tag: &str,
    ) -> Result<bool, StoreError> {
        let head = GetOptions {
            head: true,
            ..GetOptions::default()
        };
        match self.store.get_opts(path, head).await {
            Ok(r) => Ok(r
                .attributes
                .get(&Attribute::Metadata(WRITER.into()))
                .is_some_and(|v| v.as_ref() == tag)),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(self.fail(key, &e)),
        }
    }
}

/// Create-only put (`If-None-Match: *`); an existing key is success:
/// every key created this way is named by its content.
async fn create(
    store: Arc<dyn ObjectStore>,
    path: ObjectPath,
    bytes: Vec<u8>,
) -> Result<bool, object_store::Error> {
    let options = PutOptions {
        mode: PutMode::Create,
        ..PutOptions::default()
    };
    match store
        .put_opts(&path, PutPayload::from(bytes), options)
        .await
    {
        Ok(_) => Ok(true),
        Err(
            object_store::Error::AlreadyExists { .. } | object_store::Error::Precondition { .. },
        ) => Ok(false),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_detail_is_cut_at_a_character() {
        let long = "é".repeat(400);
        let cut = shortened(long.clone());
        assert_eq!(cut, format!("{}…", "é".repeat(MAX_DETAIL / 2)));
        assert_eq!(shortened("short".to_string()), "short");
    }

    #[test]
    fn an_endpoint_without_scheme_is_one_error_not_a_panic() {
        for endpoint in [
            "127.0.0.1:8333",
            "localhost",
            "ftp://127.0.0.1:8333",
            "http://",
        ] {
            let vars = [("AWS_ENDPOINT_URL", endpoint), ("AWS_ACCESS_KEY_ID", "k")]
                .map(|(k, v)| (k.into(), v.into()));
            let Err(e) = S3Backend::from_vars("stet", "p", vars) else {
                panic!("{endpoint} was taken");
            };
            assert_eq!(
                e.to_string(),
                format!(
                    "s3://stet/p: AWS_ENDPOINT_URL={endpoint} is not an http:// or https:// URL (say http://HOST:PORT)"
                )
            );
        }
    }

    #[test]
    fn a_host_that_does_not_resolve_says_so() -> Result<(), Box<dyn std::error::Error>> {
        // `.invalid` never resolves (RFC 6761).
        let vars = [
            ("AWS_ENDPOINT_URL", "http://stet-test.invalid:8333"),
            ("AWS_ALLOW_HTTP", "true"),
            ("AWS_ACCESS_KEY_ID", "k"),
            ("AWS_SECRET_ACCESS_KEY", "s"),
        ]
        .map(|(k, v)| (k.into(), v.into()));
        let b = S3Backend::from_vars("stet", "p", vars)?;
        let Err(e) = b.get("STET-STORE") else {
            panic!("a .invalid host answered");
        };
        assert_eq!(
            e.to_string(),
            "s3://stet/p/STET-STORE: cannot resolve the S3 endpoint's host name (AWS_ENDPOINT_URL)"
        );
        Ok(())
    }

    #[test]
    fn a_plain_http_endpoint_needs_allow_http() {
        let vars = |allow: &str| {
            [
                ("AWS_ENDPOINT_URL", "http://127.0.0.1:8333"),
                ("AWS_ALLOW_HTTP", allow),
            ]
            .map(|(k, v)| (k.into(), v.into()))
        };
        let Err(e) = S3Backend::from_vars("stet", "p", vars("false")) else {
            panic!("plain HTTP was taken without AWS_ALLOW_HTTP");
        };
        assert_eq!(
            e.to_string(),
            "s3://stet/p: AWS_ENDPOINT_URL=http://127.0.0.1:8333 is plain HTTP: set AWS_ALLOW_HTTP=true to allow it"
        );
        assert!(S3Backend::from_vars("stet", "p", vars("true")).is_ok());
    }

    #[test]
    fn conditional_writes_on_the_memory_store() -> Result<(), Box<dyn std::error::Error>> {
        let b = S3Backend::in_memory("p")?;
        assert!(b.create("a/x", b"one")?);
        assert!(!b.create("a/x", b"two")?);
        let Some(got) = b.get("a/x")? else {
            panic!("a/x is missing")
        };
        assert_eq!(got.bytes, b"one");
        let Some(version) = got.version else {
            panic!("no ETag")
        };
        assert!(!b.swap("a/x", None, b"three")?);
        assert!(!b.swap("a/x", Some("\"nope\""), b"three")?);
        assert!(b.swap("a/x", Some(&version), b"four")?);
        assert!(!b.swap("a/x", Some(&version), b"five")?);
        assert!(b.exists("a/x")? && !b.exists("a/y")?);
        b.put("a/b/c", b"")?;
        b.put("b/c", b"")?;
        assert_eq!(b.list("a/")?, vec!["a/b/c".to_string(), "a/x".to_string()]);
        assert_eq!(b.list_dirs("a/")?, vec!["a/b/".to_string()]);
        b.delete("a/x")?;
        b.delete("a/x")?;
        assert!(b.get("a/x")?.is_none());
        Ok(())
    }
}
