//! `stet.toml`: defaults and the list of watched targets.
//!
//! ```toml
//! [defaults]
//! store = "snapshots"
//! timeout = 30
//!
//! [[target]]
//! name = "soft-power"
//! url = "https://www.example.org/2011/04/27/soft-power/"
//! selector = "article"
//! ignore = [".ad", "/^Advertisement$/"]   # CSS selectors; /regex/ for text
//! tags = ["china"]
//!
//! [[target]]
//! path = "archive/**/*.html"              # a glob: one target per file
//! ```
//!
//! Unknown keys are errors naming the line and the closest known key.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::target::Target;

/// The file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    #[serde(default)]
    pub defaults: Defaults,
    #[serde(default, rename = "target")]
    pub targets: Vec<TargetEntry>,
    /// `[links]`: defaults of the link checker (`stet links`, `audit`).
    #[serde(default)]
    pub links: LinksFile,
    /// `[sign]`: signing key, timestamp authority, what `verify` trusts.
    #[serde(default)]
    pub sign: SignFile,
    /// `[archive]`: web archive export and Memento settings.
    #[serde(default)]
    pub archive: ArchiveFile,
}

/// `[sign]`. Paths are relative to the configuration file.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignFile {
    /// An unencrypted ed25519 OpenSSH private key (mode 0600).
    pub key: Option<PathBuf>,
    /// The principal signatures are made as [default: the key's comment].
    pub identity: Option<String>,
    /// RFC 3161 timestamp authority URL.
    pub tsa: Option<String>,
    /// The `allowed_signers` file `verify` trusts.
    pub allowed_signers: Option<PathBuf>,
    /// PEM certificates of the timestamp CAs `verify` trusts.
    pub tsa_ca: Option<PathBuf>,
}

/// `[archive]`: what WARC exports and Memento TimeMaps say.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArchiveFile {
    /// `operator` of the warcinfo record (who made the captures).
    pub operator: Option<String>,
    /// Replay URL prefix of mementos: URI-M is PREFIX + 14-digit time + `/` + URL.
    pub replay_prefix: Option<String>,
    /// TimeGate URL prefix (TimeGate = PREFIX + URL), when there is one.
    pub timegate: Option<String>,
}

/// `[links]`: the link checker's settings; the flags of `stet links` win.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinksFile {
    pub concurrency: Option<usize>,
    pub host_concurrency: Option<usize>,
    /// Milliseconds.
    pub host_interval: Option<u64>,
    /// Seconds.
    pub timeout: Option<u64>,
    pub connect_timeout: Option<u64>,
    pub retries: Option<u32>,
    /// Milliseconds.
    pub backoff: Option<u64>,
    pub max_retry_after: Option<u64>,
    pub max_redirects: Option<usize>,
    pub deny_private: Option<bool>,
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub include: Vec<String>,
    pub archive_endpoint: Option<String>,
    pub cache: Option<bool>,
    pub max_age: Option<u64>,
    pub confirm: Option<u32>,
    pub fail_on: Option<Vec<String>>,
}

/// `[defaults]`: values used when the command line does not give one.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    pub store: Option<PathBuf>,
    pub format: Option<String>,
    /// Seconds allowed for one fetch.
    pub timeout: Option<u64>,
    pub connect_timeout: Option<u64>,
    pub max_body: Option<u64>,
    pub max_redirects: Option<usize>,
    pub concurrency: Option<usize>,
    /// Fetches in flight to one host at once.
    pub host_concurrency: Option<usize>,
    /// Milliseconds between the starts of two page fetches from one host.
    pub host_interval: Option<u64>,
    pub lock_timeout: Option<u64>,
    pub user_agent: Option<String>,
    /// Fetch pages robots.txt disallows (for your own sites).
    pub ignore_robots: Option<bool>,
    /// Finding kinds that make `audit` exit 1.
    pub fail_on: Option<Vec<String>>,
    /// Check the links of every target unless the target says otherwise.
    pub links: Option<bool>,
    /// Request headers of every target's page fetch (a target's own
    /// `headers` add to and override these).
    #[serde(default)]
    pub headers: std::collections::BTreeMap<String, String>,
    /// A Netscape cookie file for every target without its own.
    pub cookies_file: Option<PathBuf>,
    /// Render every target in headless Chromium unless it says otherwise.
    pub render: Option<bool>,
    /// Keep a screenshot of every rendered target unless it says otherwise.
    pub screenshot: Option<bool>,
    /// Seconds a rendered page has to load and go quiet.
    pub render_timeout: Option<u64>,
    /// Tabs rendering at once.
    pub render_concurrency: Option<usize>,
}

/// One `[[target]]` section, parsed alone.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OneTarget {
    target: Vec<TargetEntry>,
}

/// One `[[target]]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetEntry {
    pub name: Option<String>,
    pub url: Option<String>,
    pub path: Option<String>,
    pub selector: Option<String>,
    #[serde(default)]
    pub ignore: Vec<String>,
    pub links: Option<bool>,
    pub fail_on: Option<Vec<String>>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Request headers of the page fetch; values may use `${VAR}`.
    #[serde(default)]
    pub headers: std::collections::BTreeMap<String, String>,
    /// A Netscape cookie file, relative to stet.toml.
    pub cookies_file: Option<PathBuf>,
    /// Render the page in headless Chromium (extraction reads the rendered DOM).
    pub render: Option<bool>,
    /// Keep a PNG screenshot of each rendered version (implies `render`).
    pub screenshot: Option<bool>,
    /// Seconds the page has to load and go quiet in the browser.
    pub render_timeout: Option<u64>,
    /// Fetch this target even where robots.txt disallows it (your own site).
    pub ignore_robots: Option<bool>,
}

/// A configured target, resolved: one per URL or per file a glob matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetConfig {
    pub name: Option<String>,
    /// What snapshots are recorded under. A `path` target is its path
    /// relative to stet.toml's directory, as it reads from there, so that
    /// `--config` from anywhere names the same target.
    pub target: Target,
    /// Where a `path` target's file is read, when not at `target` from the
    /// current directory (stet.toml given from elsewhere).
    pub read: Option<PathBuf>,
    pub selector: Option<String>,
    /// CSS selectors removed before extraction.
    pub ignore_selectors: Vec<String>,
    /// Regexes (written `/…/`) whose matches are removed from the text.
    pub ignore_patterns: Vec<String>,
    pub links: Option<bool>,
    pub fail_on: Option<Vec<String>>,
    pub tags: Vec<String>,
    /// Headers and cookies of the page fetch.
    pub request: RequestAuth,
    /// Rendering and robots.txt settings of the page fetch.
    pub fetch: TargetFetch,
    /// The `path` glob this target's file was found by, if any.
    pub glob: Option<std::sync::Arc<GlobOrigin>>,
}

/// A `path` glob of stet.toml: what its stored targets are matched by once
/// their files are gone.
#[derive(Debug, PartialEq, Eq)]
pub struct GlobOrigin {
    /// The glob, from stet.toml's directory when it is relative.
    pub pattern: glob::Pattern,
    /// stet.toml's directory, when the glob is relative to it (its targets
    /// are paths from there).
    pub base: Option<PathBuf>,
}

impl GlobOrigin {
    /// Where the file of the stored target `target` (a path, as stored)
    /// is read, if this glob would take it.
    pub fn file_of(&self, target: &Path) -> Option<PathBuf> {
        let file = match &self.base {
            Some(base) if target.is_relative() => base.join(target),
            _ => target.to_path_buf(),
        };
        let options = glob::MatchOptions {
            require_literal_separator: true,
            ..glob::MatchOptions::new()
        };
        self.pattern
            .matches_path_with(&file, options)
            .then_some(file)
    }
}

/// A target's own rendering and robots.txt settings (`None`: the run's).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TargetFetch {
    pub render: Option<bool>,
    pub screenshot: Option<bool>,
    /// Seconds.
    pub render_timeout: Option<u64>,
    pub ignore_robots: Option<bool>,
}

/// A target's request headers (values unexpanded: `${VAR}` is read when
/// the page is fetched) and cookie file (resolved against stet.toml).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestAuth {
    pub headers: std::collections::BTreeMap<String, String>,
    pub cookies_file: Option<PathBuf>,
}

impl RequestAuth {
    /// The headers and cookies to send, `${VAR}` read from the environment
    /// now; `None` when the target configures none.
    pub fn credentials(
        &self,
        target: &str,
    ) -> Result<Option<std::sync::Arc<crate::fetch::Credentials>>, crate::fetch::CredentialsError>
    {
        if self.headers.is_empty() && self.cookies_file.is_none() {
            return Ok(None);
        }
        let built = crate::fetch::Credentials::build(
            target,
            &self.headers,
            self.cookies_file.as_deref(),
            |v| std::env::var(v).ok(),
        )?;
        Ok(Some(std::sync::Arc::new(built)))
    }
}

/// What is wrong with a configuration file: one line, with the place.
#[derive(Debug, thiserror::Error)]
#[error("{path}{place}: {message}")]
pub struct ConfigError {
    pub path: String,
    /// `:LINE:COL` when known.
    pub place: String,
    pub message: String,
}

impl ConfigError {
    fn new(path: &Path, message: impl Into<String>) -> Self {
        ConfigError {
            path: path.display().to_string(),
            place: String::new(),
            message: message.into(),
        }
    }
}

/// Read and check a configuration file. Relative paths and globs are taken
/// relative to the file's directory.
pub fn load(path: &Path) -> Result<(FileConfig, Vec<TargetConfig>), ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError::new(path, e.to_string()))?;
    parse(path, &text)
}

/// Check the text of a configuration file read from `path` (which names it
/// in errors and anchors relative paths and globs; globs are expanded).
pub fn parse(path: &Path, text: &str) -> Result<(FileConfig, Vec<TargetConfig>), ConfigError> {
    // Parsed a section at a time: memory follows the targets, not TOML's
    // table of them (see `sections`).
    let sections = super::sections::split(text);
    let mut file: FileConfig =
        toml::from_str(&sections.head).map_err(|e| toml_error(path, &sections.head, 0, &e))?;
    let base = path.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(base) = base {
        // A store directory, not an `s3://` location (nor a near miss,
        // which `Location::parse` reports as it was written).
        if let Some(store) = &mut file.defaults.store {
            let text = store.to_string_lossy();
            let url_like = text.contains("://")
                || text.get(..3).is_some_and(|s| s.eq_ignore_ascii_case("s3:"));
            if store.is_relative() && !url_like {
                *store = base.join(&*store);
            }
        }
        let sign = &mut file.sign;
        for p in [&mut sign.key, &mut sign.allowed_signers, &mut sign.tsa_ca]
            .into_iter()
            .flatten()
        {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        }
    }
    // `target = [...]` written inline, or `[[target]]` sections: not both.
    let inline = std::mem::take(&mut file.targets);
    if let (false, Some(section)) = (inline.is_empty(), sections.targets.first()) {
        return Err(ConfigError {
            path: path.display().to_string(),
            place: place(text, section.start),
            message: "`target` is defined twice (an inline array and `[[target]]`)".to_string(),
        });
    }
    let entries = inline
        .into_iter()
        .map(Ok)
        .chain(sections.targets.iter().map(|range| {
            let one: OneTarget = toml::from_str(&text[range.clone()])
                .map_err(|e| toml_error(path, text, range.start, &e))?;
            Ok(one.target.into_iter().next().unwrap_or_default())
        }));
    let mut targets = Vec::new();
    // The entry each target was written in (an entry's glob may give
    // several); its place is worked out only for an error.
    let mut origins: Vec<usize> = Vec::new();
    let at = |i: usize| inline_or_section(text, &sections.targets, i);
    for (i, entry) in entries.enumerate() {
        let mut entry: TargetEntry = entry?;
        for (k, v) in &file.defaults.headers {
            if !entry.headers.keys().any(|h| h.eq_ignore_ascii_case(k)) {
                entry.headers.insert(k.clone(), v.clone());
            }
        }
        if entry.cookies_file.is_none() {
            entry.cookies_file.clone_from(&file.defaults.cookies_file);
        }
        resolve_entry(path, i + 1, &entry, base, &mut targets).map_err(|mut e| {
            e.place = at(i);
            e
        })?;
        origins.resize(targets.len(), i);
    }
    let mut names = std::collections::BTreeMap::new();
    let mut seen = std::collections::HashMap::with_capacity(targets.len());
    for (t, &i) in targets.iter().zip(&origins) {
        let located = |message: String| ConfigError {
            path: path.display().to_string(),
            place: at(i),
            message,
        };
        // One page is one target: one history, one journal, one report.
        if let Some(first) = seen.insert(&t.target, i) {
            return Err(located(format!(
                "`{}` is listed twice{}; give each page one [[target]]",
                t.target,
                first_at(&at(first))
            )));
        }
        if let Some(name) = &t.name {
            if let Some(first) = names.insert(name.clone(), i) {
                return Err(located(format!(
                    "two targets are named `{name}`{}",
                    first_at(&at(first))
                )));
            }
        }
    }
    Ok((file, targets))
}

/// Split `ignore` rules into regexes (written `/…/`, returned without the
/// slashes) and CSS selectors: `(patterns, selectors)`.
pub fn split_ignore_rules(rules: &[String]) -> (Vec<String>, Vec<String>) {
    let (patterns, selectors): (Vec<String>, Vec<String>) = rules
        .iter()
        .cloned()
        .partition(|s| s.len() >= 2 && s.starts_with('/') && s.ends_with('/'));
    let patterns = patterns
        .into_iter()
        .map(|p| p[1..p.len() - 1].to_string())
        .collect();
    (patterns, selectors)
}

impl TargetConfig {
    /// A target given on the command line that stet.toml does not list.
    pub fn bare(target: Target) -> Self {
        TargetConfig {
            name: None,
            target,
            read: None,
            selector: None,
            ignore_selectors: Vec::new(),
            ignore_patterns: Vec::new(),
            links: None,
            fail_on: None,
            tags: Vec::new(),
            request: RequestAuth::default(),
            fetch: TargetFetch::default(),
            glob: None,
        }
    }

    /// The extraction settings of this target.
    pub fn extract_settings(&self) -> crate::model::ExtractSettings {
        crate::model::ExtractSettings {
            selector: self.selector.clone(),
            ignore_selectors: self.ignore_selectors.clone(),
            ignore_patterns: self.ignore_patterns.clone(),
        }
    }
}

fn resolve_entry(
    path: &Path,
    index: usize,
    entry: &TargetEntry,
    base: Option<&Path>,
    out: &mut Vec<TargetConfig>,
) -> Result<(), ConfigError> {
    let err = |m: String| ConfigError::new(path, format!("target #{index}: {m}"));
    let (ignore_patterns, ignore_selectors): (Vec<String>, Vec<String>) = entry
        .ignore
        .iter()
        .cloned()
        .partition(|s| s.len() >= 2 && s.starts_with('/') && s.ends_with('/'));
    let ignore_patterns: Vec<String> = ignore_patterns
        .into_iter()
        .map(|p| p[1..p.len() - 1].to_string())
        .collect();
    for p in &ignore_patterns {
        regex::Regex::new(p).map_err(|e| {
            err(format!(
                "ignore regex /{p}/: {}",
                crate::extract::regex_message(&e)
            ))
        })?;
    }
    // Selectors are checked now, not when a page first needs them.
    crate::extract::check_options(&crate::extract::ExtractOptions {
        selector: entry.selector.clone(),
        ignore_selectors: ignore_selectors.clone(),
        ignore_patterns: Vec::new(),
    })
    .map_err(|e| err(e.to_string()))?;
    let make = |target: Target,
                read: Option<PathBuf>,
                name: Option<String>,
                glob: Option<&std::sync::Arc<GlobOrigin>>| TargetConfig {
        glob: glob.cloned(),
        name,
        target,
        read,
        selector: entry.selector.clone(),
        ignore_selectors: ignore_selectors.clone(),
        ignore_patterns: ignore_patterns.clone(),
        links: entry.links,
        fail_on: entry.fail_on.clone(),
        tags: entry.tags.clone(),
        request: RequestAuth {
            headers: entry.headers.clone(),
            cookies_file: entry.cookies_file.as_ref().map(|p| match base {
                Some(b) if p.is_relative() => b.join(p),
                _ => p.clone(),
            }),
        },
        fetch: TargetFetch {
            render: entry.render,
            screenshot: entry.screenshot,
            render_timeout: entry.render_timeout,
            ignore_robots: entry.ignore_robots,
        },
    };
    match (&entry.url, &entry.path) {
        (Some(url), None) => {
            let target = Target::parse(url).map_err(|e| err(e.to_string()))?;
            if target.is_file() {
                return Err(err(format!(
                    "url `{url}` is not an http(s) URL; use `path`"
                )));
            }
            out.push(make(target, None, entry.name.clone(), None));
        }
        (None, Some(pattern)) => {
            let full = match base {
                Some(b) if !Path::new(pattern).is_absolute() => b.join(pattern),
                _ => PathBuf::from(pattern),
            };
            // The target is the file's path from stet.toml's directory;
            // it is read where it is.
            let targets = |file: &Path| -> Result<(Target, Option<PathBuf>), ConfigError> {
                let parse = |p: &Path| Target::parse(&p.to_string_lossy());
                let at = parse(file).map_err(|e| err(e.to_string()))?;
                let key = match base {
                    Some(b) if !Path::new(pattern).is_absolute() => {
                        file.strip_prefix(b).ok().and_then(|r| parse(r).ok())
                    }
                    _ => None,
                };
                Ok(match key {
                    Some(key) if key != at => (key, Some(file.to_path_buf())),
                    _ => (at, None),
                })
            };
            let is_glob = pattern.contains(['*', '?', '[']);
            if !is_glob {
                let (target, source) = targets(&full)?;
                out.push(make(target, source, entry.name.clone(), None));
                return Ok(());
            }
            let full = full.to_string_lossy().into_owned();
            let bad_glob = |e: glob::PatternError| err(format!("path glob `{pattern}`: {e}"));
            let origin = std::sync::Arc::new(GlobOrigin {
                pattern: glob::Pattern::new(&full).map_err(bad_glob)?,
                base: base
                    .filter(|_| !Path::new(pattern).is_absolute())
                    .map(Path::to_path_buf),
            });
            let paths = glob::glob(&full).map_err(bad_glob)?;
            let mut matched: Vec<PathBuf> = paths
                .filter_map(Result::ok)
                .filter(|p| p.is_file())
                .collect();
            matched.sort();
            if matched.is_empty() {
                return Err(err(format!("path glob `{pattern}` matches no file")));
            }
            for (n, p) in matched.iter().enumerate() {
                let (target, source) = targets(p)?;
                // A glob's name applies to all its files: number them.
                let name = entry.name.as_ref().map(|base| format!("{base}/{}", n + 1));
                out.push(make(target, source, name, Some(&origin)));
            }
        }
        (Some(_), Some(_)) => return Err(err("give `url` or `path`, not both".to_string())),
        (None, None) => return Err(err("needs `url` or `path`".to_string())),
    }
    Ok(())
}

/// One line for a TOML error: `file:line:col: message (did you mean …?)`.
/// `e`, found in the part of `text` that starts at byte `offset`.
fn toml_error(path: &Path, text: &str, offset: usize, e: &toml::de::Error) -> ConfigError {
    let place = e
        .span()
        .map(|span| place(text, offset + span.start))
        .unwrap_or_default();
    let message = e.message().trim().replace('\n', " ");
    let message = match unknown_field(&message) {
        Some((field, expected)) => match closest(&field, &expected) {
            Some(best) => format!("unknown key `{field}` (did you mean `{best}`?)"),
            None => format!("unknown key `{field}`; known keys: {}", expected.join(", ")),
        },
        None => message,
    };
    ConfigError {
        path: path.display().to_string(),
        place,
        message,
    }
}

/// The place of the `i`th `[[target]]` section (none for an inline array).
fn inline_or_section(text: &str, sections: &[std::ops::Range<usize>], i: usize) -> String {
    sections
        .get(i)
        .map(|r| place(text, r.start))
        .unwrap_or_default()
}

/// ` (first at line N)` for a `:LINE:COL` place, nothing when unknown.
fn first_at(place: &str) -> String {
    place
        .split(':')
        .nth(1)
        .map(|line| format!(" (first at line {line})"))
        .unwrap_or_default()
}

/// `:LINE:COL` of byte `at` of `text`.
fn place(text: &str, at: usize) -> String {
    let before = text.get(..at.min(text.len())).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!(":{line}:{col}")
}

/// Parse serde's "unknown field `x`, expected one of `a`, `b`" (or "expected `a`").
fn unknown_field(message: &str) -> Option<(String, Vec<String>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, rest) = rest.split_once('`')?;
    let expected = rest
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    Some((field.to_string(), expected))
}

/// The candidate nearest to `word` by edit distance, if it is near enough.
fn closest(word: &str, candidates: &[String]) -> Option<String> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.clone())
}

/// Optimal-string-alignment distance: insertions, deletions, substitutions
/// and transpositions of neighbours (`tgas` → `tags` is 1).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = best;
        }
    }
    d[a.len() * w + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, text: &str) -> PathBuf {
        let p = dir.join("stet.toml");
        std::fs::write(&p, text).map_err(|e| e.to_string()).ok();
        p
    }

    #[test]
    fn sign_paths_are_relative_to_the_file() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let sub = dir.path().join("conf");
        std::fs::create_dir(&sub)?;
        let p = write(
            &sub,
            "[sign]\nkey = \"keys/id\"\nallowed_signers = \"/etc/stet/allowed\"\ntsa = \"https://tsa.example/\"\n",
        );
        let (file, _) = load(&p)?;
        assert_eq!(file.sign.key, Some(sub.join("keys/id")));
        assert_eq!(
            file.sign.allowed_signers,
            Some(PathBuf::from("/etc/stet/allowed"))
        );
        assert_eq!(file.sign.tsa.as_deref(), Some("https://tsa.example/"));
        let e = parse(&p, "[sign]\nkeyfile = \"x\"\n").expect_err("unknown key");
        assert!(e.to_string().contains("keyfile"), "{e}");
        Ok(())
    }

    #[test]
    fn a_store_directory_is_relative_to_the_file() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        for (store, want) in [
            ("snapshots", dir.path().join("snapshots")),
            ("/var/stet", PathBuf::from("/var/stet")),
            ("s3://bucket/news", PathBuf::from("s3://bucket/news")),
            // A near miss stays as written, for its error to name it.
            ("S3:/bucket", PathBuf::from("S3:/bucket")),
        ] {
            let p = write(dir.path(), &format!("[defaults]\nstore = \"{store}\"\n"));
            let (file, _) = load(&p)?;
            assert_eq!(file.defaults.store, Some(want));
        }
        Ok(())
    }

    #[test]
    fn unknown_keys_name_the_line_and_a_suggestion() {
        let dir = tempfile::tempdir().map_err(|e| e.to_string());
        let Ok(dir) = dir else { return };
        let p = write(dir.path(), "[defaults]\ntimeout = 3\ntimout = 4\n");
        let e = load(&p).map(|_| ()).map_err(|e| e.to_string());
        assert_eq!(
            e,
            Err(format!(
                "{}:3:1: unknown key `timout` (did you mean `timeout`?)",
                p.display()
            ))
        );
        let p = write(
            dir.path(),
            "[[target]]\nurl = \"https://e.org/\"\nselectr = \"x\"\n",
        );
        let e = load(&p).map(|_| ()).map_err(|e| e.to_string());
        assert_eq!(
            e,
            Err(format!(
                "{}:3:1: unknown key `selectr` (did you mean `selector`?)",
                p.display()
            ))
        );
    }

    #[test]
    fn targets_resolve_with_globs_and_ignore_rules() {
        let Ok(dir) = tempfile::tempdir() else { return };
        for f in ["a.html", "b.html", "c.txt"] {
            std::fs::write(dir.path().join(f), "x").ok();
        }
        let p = write(
            dir.path(),
            "[[target]]\nname = \"page\"\nurl = \"HTTPS://Example.org/a#x\"\nignore = [\".ad\", \"/^Advert.*$/\"]\ntags = [\"t\"]\n\n[[target]]\nname = \"local\"\npath = \"*.html\"\n",
        );
        let (_, targets) = match load(&p) {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(targets.len(), 3);
        assert_eq!(targets[0].target.to_string(), "https://example.org/a");
        assert_eq!(targets[0].ignore_selectors, vec![".ad".to_string()]);
        assert_eq!(targets[0].ignore_patterns, vec!["^Advert.*$".to_string()]);
        assert_eq!(targets[1].name.as_deref(), Some("local/1"));
        assert!(targets[1].target.to_string().ends_with("a.html"));
        assert!(targets[2].target.to_string().ends_with("b.html"));
    }

    #[test]
    fn bad_targets_are_errors() {
        let Ok(dir) = tempfile::tempdir() else { return };
        for (text, expected) in [
            ("[[target]]\nname = \"x\"\n", "target #1: needs `url` or `path`"),
            ("[[target]]\nurl = \"ftp://x/\"\n", "unsupported URL scheme"),
            ("[[target]]\npath = \"*.nothing\"\n", "matches no file"),
            ("[[target]]\nurl = \"https://a/\"\nignore = [\"/(/\"]\n", ":1:1: target #1: ignore regex"),
            ("[[target]]\nname = \"a\"\nurl = \"https://a/\"\n[[target]]\nname = \"a\"\nurl = \"https://b/\"\n", ":4:1: two targets are named `a` (first at line 1)"),
            ("[[target]]\nurl = \"https://a/\"\n\n[[target]]\nurl = \"https://b/\"\n[[target]]\nurl = \"https://a/\"\n", ":6:1: `https://a/` is listed twice (first at line 1)"),
            ("target = [{url = \"https://a/\"}, {url = \"https://a/\"}]\n", "toml: `https://a/` is listed twice; give"),
            ("[defaults]\ntimeout = \"soon\"\n", ":2:11: invalid type"),
        ] {
            let p = write(dir.path(), text);
            let e = load(&p).map(|_| ()).map_err(|e| e.to_string());
            assert!(matches!(&e, Err(m) if m.contains(expected)), "{text}: {e:?}");
        }
    }
}
