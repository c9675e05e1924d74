//! Rendering pages in headless Chromium over the DevTools protocol
//! (`chromiumoxide`): one browser per run, one tab (in its own browser
//! context, so no cookie or cache crosses between targets) per page, a
//! bounded number of tabs at once. A tab that hangs or crashes is given up
//! after its timeout: an error of that target alone.
//!
//! The browser is started with a fresh profile in a temporary directory and
//! without any background networking; [`Renderer::close`] (or, on an early
//! return, dropping the [`Renderer`]) kills it and removes the profile.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chromiumoxide::cdp::browser_protocol::{browser, fetch, network, page, target};
use chromiumoxide::{Browser, BrowserConfig, Page};
use futures_util::stream::StreamExt;
use url::Url;

use super::credentials::{unix_now, Credentials};
use super::FetchError;

/// Default time a page has to load and go quiet.
pub const DEFAULT_RENDER_TIMEOUT: Duration = Duration::from_secs(20);
/// How long the network must stay quiet before the DOM is taken.
pub const DEFAULT_IDLE: Duration = Duration::from_millis(500);
/// Default number of tabs rendering at once.
pub const DEFAULT_RENDER_CONCURRENCY: usize = 4;
/// Time allowed to take the DOM and the screenshot once the page is loaded.
const CAPTURE_TIMEOUT: Duration = Duration::from_secs(10);
/// Time allowed to start the browser and to close a tab or the browser.
const BROWSER_TIMEOUT: Duration = Duration::from_secs(20);
const CLOSE_TIMEOUT: Duration = Duration::from_secs(5);
/// The window pages are laid out in (CSS pixels).
pub const WINDOW_WIDTH: u32 = 1280;
pub const WINDOW_HEIGHT: u32 = 960;
/// The tallest screenshot taken: a longer page is cut at this height.
pub const MAX_SCREENSHOT_HEIGHT: u32 = 8000;

/// Where the browser is: `STET_CHROMIUM`, else the first of Debian's
/// `chromium` and the usual other names found on `PATH`.
pub fn find_browser() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("STET_CHROMIUM").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome", "chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|p| p.is_file())
}

/// What a run renders with: the defaults and limits of every rendered page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderOptions {
    /// Render every URL source (`--render`), whatever stet.toml says.
    pub all: bool,
    /// Render targets that do not say (`[defaults] render`).
    pub default: bool,
    /// Take a screenshot of targets that do not say (`--screenshot`,
    /// `[defaults] screenshot`).
    pub screenshot: bool,
    /// Time a page has to load and go quiet.
    pub timeout: Duration,
    /// Quiet network needed before the DOM is taken.
    pub idle: Duration,
    /// Tabs rendering at once.
    pub concurrency: usize,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            all: false,
            default: false,
            screenshot: false,
            timeout: DEFAULT_RENDER_TIMEOUT,
            idle: DEFAULT_IDLE,
            concurrency: DEFAULT_RENDER_CONCURRENCY,
        }
    }
}

/// How one target is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderSpec {
    pub screenshot: bool,
    pub timeout: Duration,
    pub idle: Duration,
}

impl RenderOptions {
    /// The rendering of a target that says `render`, `screenshot` and
    /// `render_timeout` (seconds) or not; `None`: fetched raw only.
    pub fn spec(
        &self,
        render: Option<bool>,
        screenshot: Option<bool>,
        timeout: Option<u64>,
    ) -> Option<RenderSpec> {
        let screenshot = screenshot.unwrap_or(self.screenshot);
        let render = self.all || render.unwrap_or(self.default) || screenshot;
        render.then(|| RenderSpec {
            screenshot,
            timeout: timeout.map_or(self.timeout, |s| Duration::from_secs(s.max(1))),
            idle: self.idle,
        })
    }
}

/// A page as the browser left it.
#[derive(Debug, Clone)]
pub struct RenderedPage {
    /// `document.doctype` + `document.documentElement.outerHTML`, UTF-8.
    pub dom: Vec<u8>,
    /// PNG bytes, when asked for.
    pub screenshot: Option<Screenshot>,
    /// The browser's product name and version (`Chrome/148.0.7778.167`).
    pub browser: String,
    /// Where the tab ended (after redirects and script navigations).
    pub final_url: String,
    /// The quiet period waited for, in milliseconds.
    pub idle_ms: u64,
    /// The cap on loading and waiting, in milliseconds.
    pub timeout_ms: u64,
    /// The network went quiet before the cap (else the DOM was taken at it).
    pub settled: bool,
}

/// A PNG screenshot and its size in pixels.
#[derive(Debug, Clone)]
pub struct Screenshot {
    pub png: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// The whole page is in it (not cut at [`MAX_SCREENSHOT_HEIGHT`]).
    pub full_page: bool,
}

/// One headless Chromium and the task that drives its DevTools connection.
pub struct Renderer {
    browser: Browser,
    handler: tokio::task::JoinHandle<()>,
    version: String,
    slots: tokio::sync::Semaphore,
    user_agent: String,
    /// The fresh profile; removed after the browser is gone.
    profile: Option<tempfile::TempDir>,
}

impl std::fmt::Debug for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renderer")
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

/// The flags the browser is started with, without their `--` (besides the
/// profile directory and the DevTools port). Without the background-networking ones it stalls
/// on a closed network.
const BROWSER_FLAGS: &[&str] = &[
    "headless",
    "no-sandbox",
    "disable-gpu",
    "disable-quic",
    "no-first-run",
    "disable-background-networking",
    "disable-component-update",
    "disable-sync",
    "disable-default-apps",
    "hide-scrollbars",
    "mute-audio",
];

impl Renderer {
    /// Start the browser at `executable`.
    pub async fn launch(
        executable: &Path,
        concurrency: usize,
        user_agent: &str,
    ) -> Result<Renderer, FetchError> {
        let failed = |detail: String| FetchError::Browser {
            detail: format!("{}: {detail}", executable.display()),
        };
        let profile = tempfile::Builder::new()
            .prefix("stet-chromium-")
            .tempdir()
            .map_err(|e| failed(format!("no temporary profile directory: {e}")))?;
        let mut flags: Vec<String> = BROWSER_FLAGS.iter().map(|f| f.to_string()).collect();
        flags.push(format!("window-size={WINDOW_WIDTH},{WINDOW_HEIGHT}"));
        let config = BrowserConfig::builder()
            .chrome_executable(executable)
            .disable_default_args()
            .with_head()
            .user_data_dir(profile.path())
            .args(flags)
            .viewport(None)
            .launch_timeout(BROWSER_TIMEOUT)
            .request_timeout(BROWSER_TIMEOUT)
            .build()
            .map_err(failed)?;
        let (mut browser, mut handler) = Browser::launch(config)
            .await
            .map_err(|e| failed(first_line(&e.to_string())))?;
        let handler = tokio::spawn(async move {
            while let Some(event) = handler.next().await {
                // A broken connection ends the handler; single bad messages do not.
                if let Err(chromiumoxide::error::CdpError::Ws(_)) = event {
                    break;
                }
            }
        });
        let version = match tokio::time::timeout(
            BROWSER_TIMEOUT,
            browser.execute(browser::GetVersionParams::default()),
        )
        .await
        {
            Ok(Ok(v)) => v.result.product.clone(),
            Ok(Err(e)) => {
                let _ = browser.kill().await;
                handler.abort();
                return Err(failed(first_line(&e.to_string())));
            }
            Err(_) => {
                let _ = browser.kill().await;
                handler.abort();
                return Err(failed("no answer from the browser".to_string()));
            }
        };
        Ok(Renderer {
            browser,
            handler,
            version,
            slots: tokio::sync::Semaphore::new(concurrency.max(1)),
            user_agent: user_agent.to_string(),
            profile: Some(profile),
        })
    }

    /// The browser's product name and version.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Load `url` in a new tab, wait for its network to go quiet (at most
    /// `spec.timeout`), and take its DOM (and screenshot). The target's
    /// headers and cookies are added to the requests to its own origin only.
    pub async fn render(
        &self,
        url: &Url,
        spec: &RenderSpec,
        credentials: Option<&Credentials>,
    ) -> Result<RenderedPage, FetchError> {
        let _slot = self.slots.acquire().await.ok();
        let failed = |detail: String| FetchError::Render {
            url: url.to_string(),
            detail,
        };
        let context = tokio::time::timeout(
            CLOSE_TIMEOUT,
            self.browser
                .execute(target::CreateBrowserContextParams::default()),
        )
        .await
        .map_err(|_| failed("the browser did not open a tab".to_string()))?
        .map_err(|e| failed(first_line(&e.to_string())))?
        .result
        .browser_context_id
        .clone();
        let opened = tokio::time::timeout(CLOSE_TIMEOUT, async {
            let mut params = target::CreateTargetParams::new("about:blank");
            params.browser_context_id = Some(context.clone());
            self.browser.new_page(params).await
        })
        .await;
        let result = match opened {
            Ok(Ok(page)) => {
                let result = self.render_in(&page, url, spec, credentials).await;
                if result.is_err() {
                    // A looping tab ignores Page.close; crash its renderer.
                    let _ = tokio::time::timeout(
                        Duration::from_secs(1),
                        page.execute(page::CrashParams::default()),
                    )
                    .await;
                }
                result
            }
            Ok(Err(e)) => Err(failed(first_line(&e.to_string()))),
            Err(_) => Err(failed("the browser did not open a tab".to_string())),
        };
        // Disposing of the context closes its tab, hung or not.
        let _ = tokio::time::timeout(
            CLOSE_TIMEOUT,
            self.browser
                .execute(target::DisposeBrowserContextParams::new(context)),
        )
        .await;
        result
    }

    async fn render_in(
        &self,
        tab: &Page,
        url: &Url,
        spec: &RenderSpec,
        credentials: Option<&Credentials>,
    ) -> Result<RenderedPage, FetchError> {
        let failed = |detail: String| FetchError::Render {
            url: url.to_string(),
            detail,
        };
        let cdp = |e: chromiumoxide::error::CdpError| failed(first_line(&e.to_string()));
        let started = Instant::now();
        let deadline = started + spec.timeout;
        let timed_out = || FetchError::RenderTimeout {
            url: url.to_string(),
            seconds: spec.timeout.as_secs(),
        };
        tab.execute(network::SetUserAgentOverrideParams::new(
            self.user_agent.clone(),
        ))
        .await
        .map_err(cdp)?;
        let credentials = credentials.filter(|c| !c.is_empty());
        let interceptor = match credentials {
            Some(c) => Some(intercept(tab, url, c).await.map_err(cdp)?),
            None => None,
        };
        let mut network = NetworkWatch::start(tab).await.map_err(cdp)?;
        let loaded = tokio::time::timeout_at(deadline.into(), tab.goto(url.as_str())).await;
        let outcome = match loaded {
            Err(_) => Err(timed_out()),
            Ok(Err(e)) => Err(cdp(e)),
            Ok(Ok(_)) => Ok(network.quiet(spec.idle, deadline).await),
        };
        let settled = match outcome {
            Ok(settled) => settled,
            Err(e) => {
                if let Some(i) = interceptor {
                    i.abort();
                }
                return Err(e);
            }
        };
        let captured = tokio::time::timeout(CAPTURE_TIMEOUT, async {
            let dom = tab.content().await?;
            let final_url = tab.url().await?.unwrap_or_else(|| url.to_string());
            let screenshot = match spec.screenshot {
                true => Some(screenshot(tab).await?),
                false => None,
            };
            Ok::<_, chromiumoxide::error::CdpError>((dom, final_url, screenshot))
        })
        .await;
        if let Some(i) = interceptor {
            i.abort();
        }
        let (dom, final_url, screenshot) = captured.map_err(|_| timed_out())?.map_err(cdp)?;
        Ok(RenderedPage {
            dom: dom.into_bytes(),
            screenshot,
            browser: self.version.clone(),
            final_url,
            idle_ms: millis(spec.idle),
            timeout_ms: millis(spec.timeout),
            settled,
        })
    }

    /// Close the browser, wait for it to exit (killing it if it does not),
    /// and remove its profile.
    pub async fn close(mut self) {
        let closed = tokio::time::timeout(CLOSE_TIMEOUT, async {
            self.browser.close().await.ok()?;
            self.browser.wait().await.ok()
        })
        .await;
        if !matches!(closed, Ok(Some(_))) {
            let _ = tokio::time::timeout(CLOSE_TIMEOUT, self.browser.kill()).await;
        }
        self.handler.abort();
        if let Some(profile) = self.profile.take() {
            let _ = profile.close();
        }
    }
}

impl Drop for Renderer {
    /// An early return: kill the browser and wait (briefly) for it to exit
    /// before its profile is removed.
    fn drop(&mut self) {
        self.handler.abort();
        if let Some(child) = self.browser.get_mut_child() {
            if matches!(child.inner.try_wait(), Ok(None)) {
                let _ = child.inner.start_kill();
                for _ in 0..100 {
                    if !matches!(child.inner.try_wait(), Ok(None)) {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
            }
        }
        if let Some(profile) = self.profile.take() {
            let _ = profile.close();
        }
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// The first line of an error, at most 300 characters (a browser that
/// fails to start quotes its whole stderr).
fn first_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or_default().trim();
    match line.char_indices().nth(300) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line.to_string(),
    }
}

/// Requests in flight in a tab, from the Network domain's events.
struct NetworkWatch {
    events: futures_util::stream::BoxStream<'static, NetEvent>,
    in_flight: std::collections::HashSet<String>,
    last_activity: Instant,
}

enum NetEvent {
    Started(String),
    Ended(String),
}

impl NetworkWatch {
    async fn start(tab: &Page) -> Result<Self, chromiumoxide::error::CdpError> {
        let started = tab
            .event_listener::<network::EventRequestWillBeSent>()
            .await?
            .map(|e| NetEvent::Started(e.request_id.inner().clone()));
        let finished = tab
            .event_listener::<network::EventLoadingFinished>()
            .await?
            .map(|e| NetEvent::Ended(e.request_id.inner().clone()));
        let failed = tab
            .event_listener::<network::EventLoadingFailed>()
            .await?
            .map(|e| NetEvent::Ended(e.request_id.inner().clone()));
        let events =
            futures_util::stream::select(started, futures_util::stream::select(finished, failed));
        Ok(NetworkWatch {
            events: events.boxed(),
            in_flight: Default::default(),
            last_activity: Instant::now(),
        })
    }

    fn apply(&mut self, event: NetEvent) {
        self.last_activity = Instant::now();
        match event {
            NetEvent::Started(id) => {
                self.in_flight.insert(id);
            }
            NetEvent::Ended(id) => {
                self.in_flight.remove(&id);
            }
        }
    }

    /// Wait until no request has been in flight for `idle`; `false` when
    /// `deadline` came first.
    async fn quiet(&mut self, idle: Duration, deadline: Instant) -> bool {
        loop {
            while let Some(Some(event)) = futures_util::FutureExt::now_or_never(self.events.next())
            {
                self.apply(event);
            }
            let now = Instant::now();
            if self.in_flight.is_empty() && now >= self.last_activity + idle {
                return true;
            }
            if now >= deadline {
                return false;
            }
            let wake = if self.in_flight.is_empty() {
                (self.last_activity + idle).min(deadline)
            } else {
                deadline
            };
            match tokio::time::timeout_at(wake.into(), self.events.next()).await {
                Ok(Some(event)) => self.apply(event),
                // The tab's event stream ended: nothing more will load.
                Ok(None) => return self.in_flight.is_empty(),
                Err(_) => {}
            }
        }
    }
}

/// Pause every request to the target's origin and continue it with the
/// target's headers and cookies added ([`Credentials::headers_for`] decides,
/// as for a raw fetch). Returns the task doing it.
async fn intercept(
    tab: &Page,
    start: &Url,
    credentials: &Credentials,
) -> Result<tokio::task::JoinHandle<()>, chromiumoxide::error::CdpError> {
    let mut paused = tab.event_listener::<fetch::EventRequestPaused>().await?;
    let origin = start.origin().ascii_serialization();
    let pattern = fetch::RequestPattern::builder()
        .url_pattern(format!("{}/*", escape_pattern(&origin)))
        .request_stage(fetch::RequestStage::Request)
        .build();
    tab.execute(fetch::EnableParams {
        patterns: Some(vec![pattern]),
        handle_auth_requests: None,
    })
    .await?;
    let tab = tab.clone();
    let start = start.clone();
    let credentials = Arc::new(credentials.clone());
    Ok(tokio::spawn(async move {
        while let Some(event) = paused.next().await {
            let mut headers: Vec<fetch::HeaderEntry> = match event.request.headers.inner() {
                serde_json::Value::Object(map) => map
                    .iter()
                    .map(|(k, v)| {
                        fetch::HeaderEntry::new(k.clone(), v.as_str().unwrap_or_default())
                    })
                    .collect(),
                _ => Vec::new(),
            };
            if let Ok(url) = Url::parse(&event.request.url) {
                for (name, value) in credentials.headers_for(&start, &url, unix_now()) {
                    headers.retain(|h| !h.name.eq_ignore_ascii_case(name.as_str()));
                    if let Ok(value) = value.to_str() {
                        headers.push(fetch::HeaderEntry::new(name.as_str(), value));
                    }
                }
            }
            let mut next = fetch::ContinueRequestParams::new(event.request_id.clone());
            next.headers = Some(headers);
            if tab.execute(next).await.is_err() {
                break;
            }
        }
    }))
}

/// A Fetch URL pattern matching `text` literally (`*`, `?` and `\` escaped).
fn escape_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '?' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A PNG of the page, the width of the window and as tall as the page up
/// to [`MAX_SCREENSHOT_HEIGHT`].
async fn screenshot(tab: &Page) -> Result<Screenshot, chromiumoxide::error::CdpError> {
    let metrics = tab.layout_metrics().await?;
    let content = metrics.css_content_size;
    let width = clamp_px(content.width, 1, WINDOW_WIDTH);
    let page_height = clamp_px(content.height, 1, u32::MAX);
    let height = page_height.min(MAX_SCREENSHOT_HEIGHT);
    let params = page::CaptureScreenshotParams {
        format: Some(page::CaptureScreenshotFormat::Png),
        clip: Some(page::Viewport {
            x: 0.0,
            y: 0.0,
            width: f64::from(width),
            height: f64::from(height),
            scale: 1.0,
        }),
        capture_beyond_viewport: Some(true),
        ..Default::default()
    };
    let shot = tab.execute(params).await?;
    let data: &str = shot.result.data.as_ref();
    let png = data_encoding::BASE64
        .decode(data.as_bytes())
        .map_err(|e| chromiumoxide::error::CdpError::msg(format!("screenshot: {e}")))?;
    Ok(Screenshot {
        png,
        width,
        height,
        full_page: height == page_height,
    })
}

/// CSS pixels (a float from the browser) as a whole number within bounds.
fn clamp_px(v: f64, min: u32, max: u32) -> u32 {
    if v.is_finite() {
        (v.ceil().max(f64::from(min))).min(f64::from(max)) as u32
    } else {
        min
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_the_origin_literally() {
        assert_eq!(escape_pattern("http://a?b*c\\"), "http://a\\?b\\*c\\\\");
    }

    #[test]
    fn screenshot_sizes_are_bounded() {
        assert_eq!(clamp_px(f64::NAN, 1, 10), 1);
        assert_eq!(clamp_px(12.2, 1, 100), 13);
        assert_eq!(
            clamp_px(1e12, 1, MAX_SCREENSHOT_HEIGHT),
            MAX_SCREENSHOT_HEIGHT
        );
        assert_eq!(clamp_px(-5.0, 1, 10), 1);
    }

    #[test]
    fn a_screenshot_or_a_flag_turns_rendering_on() {
        let o = RenderOptions::default();
        assert_eq!(o.spec(None, None, None), None);
        assert!(o
            .spec(Some(true), None, None)
            .is_some_and(|s| !s.screenshot));
        assert!(o.spec(None, Some(true), None).is_some_and(|s| s.screenshot));
        let all = RenderOptions {
            all: true,
            ..RenderOptions::default()
        };
        assert!(all
            .spec(Some(false), None, Some(3))
            .is_some_and(|s| s.timeout == Duration::from_secs(3)));
    }
}
