//! Resource identity over many URL forms: the noise publishers add on a
//! redeploy never changes which image or page a URL names, and another file
//! or page always does.

use proptest::prelude::*;
use stet::diff::resource::{same_resource, ResourceKind};

/// A URL as a reference version served it, in parts.
#[derive(Debug, Clone)]
struct Parts {
    host: String,
    dirs: Vec<String>,
    stem: String,
    ext: &'static str,
    /// Parameters that name the resource (kept by every rule).
    params: Vec<(String, String)>,
}

impl Parts {
    fn url(&self) -> String {
        let mut u = format!("https://www.{}/{}", self.host, self.dirs.join("/"));
        if !self.dirs.is_empty() {
            u.push('/');
        }
        u.push_str(&self.stem);
        u.push_str(self.ext);
        if !self.params.is_empty() {
            let q: Vec<String> = self
                .params
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            u.push('?');
            u.push_str(&q.join("&"));
        }
        u
    }
}

fn word() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9]{1,9}"
}

fn parts() -> impl Strategy<Value = Parts> {
    (
        (
            word(),
            prop::sample::select(vec!["com", "org", "co.uk", "news"]),
        ),
        prop::collection::vec(word(), 0..4),
        "[a-z][a-z0-9-]{0,12}[a-z0-9]",
        prop::sample::select(vec![".jpg", ".png", ".webp", ".html", ""]),
        prop::collection::vec(
            (
                prop::sample::select(vec!["id", "page", "p", "lang", "article"]),
                "[a-z0-9]{1,6}",
            ),
            0..3,
        ),
    )
        .prop_map(|((h, tld), dirs, stem, ext, params)| {
            let mut params: Vec<(String, String)> = params
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
            params.sort();
            params.dedup_by(|a, b| a.0 == b.0);
            Parts {
                host: format!("{h}.{tld}"),
                dirs,
                stem,
                ext,
                params,
            }
        })
}

/// One kind of redeploy noise, for both images and links.
#[derive(Debug, Clone, Copy)]
enum Noise {
    Http,
    ProtocolRelative,
    NoWww,
    UpperHost,
    DefaultPort,
    TrailingSlash,
    EscapedLetter,
    ReorderParams,
    Utm,
    Fbclid,
    Fragment,
}

/// Noise that only images shrug off.
#[derive(Debug, Clone, Copy)]
enum ImageNoise {
    CacheBuster,
    Timestamp,
    Resize,
    Format,
    WordPressSize,
    Retina,
    Itok,
    /// The same picture served in another format (`.jpg` → `.avif`) or
    /// converted beside it (`.jpg.webp`).
    Reencode,
}

fn add_param(url: &str, param: &str) -> String {
    let (head, frag) = url
        .split_once('#')
        .map_or((url, None), |(h, f)| (h, Some(f)));
    let sep = if head.contains('?') { '&' } else { '?' };
    let mut s = format!("{head}{sep}{param}");
    if let Some(f) = frag {
        s.push('#');
        s.push_str(f);
    }
    s
}

fn apply(p: &Parts, url: String, n: Noise) -> String {
    match n {
        Noise::Http => url.replacen("https://", "http://", 1),
        Noise::ProtocolRelative => url.replacen("https://", "//", 1),
        Noise::NoWww => url.replacen("://www.", "://", 1),
        Noise::UpperHost => url.replacen(&p.host, &p.host.to_uppercase(), 1),
        Noise::DefaultPort => {
            let port = if url.starts_with("http://") { 80 } else { 443 };
            url.replacen(&p.host, &format!("{}:{port}", p.host), 1)
        }
        Noise::TrailingSlash => {
            if url.contains('?') || url.contains('#') || p.ext.is_empty() && url.ends_with('/') {
                url
            } else {
                format!("{url}/")
            }
        }
        Noise::EscapedLetter => {
            // The first letter of the file name written as %XX.
            let at = url.rfind(&p.stem).unwrap_or(0);
            let first = p.stem.as_bytes()[0];
            format!("{}%{:02x}{}", &url[..at], first, &url[at + 1..])
        }
        Noise::ReorderParams => {
            if p.params.len() < 2 {
                return url;
            }
            let mut q: Vec<String> = p.params.iter().map(|(k, v)| format!("{k}={v}")).collect();
            q.reverse();
            let base = url.split('?').next().unwrap_or(&url).to_string();
            format!("{base}?{}", q.join("&"))
        }
        Noise::Utm => add_param(&url, "utm_source=newsletter&utm_medium=email"),
        Noise::Fbclid => add_param(&url, "fbclid=IwAR3x9q"),
        Noise::Fragment => {
            if url.contains('#') {
                url
            } else {
                format!("{url}#top")
            }
        }
    }
}

fn apply_image(p: &Parts, url: String, n: ImageNoise) -> String {
    match n {
        ImageNoise::CacheBuster => add_param(&url, "v=4256"),
        ImageNoise::Timestamp => add_param(&url, "_=1701234567890"),
        ImageNoise::Resize => add_param(&url, "w=640&h=426&fit=crop&dpr=2"),
        ImageNoise::Format => add_param(&url, "auto=format,compress&q=75&fm=webp"),
        ImageNoise::Itok => add_param(&url, "itok=Ab12Cd34"),
        ImageNoise::Reencode if matches!(p.ext, ".jpg" | ".png" | ".webp") => {
            let end = url.find(['?', '#']).unwrap_or(url.len());
            let path = url[..end].trim_end_matches('/');
            let to = if p.ext == ".webp" { ".avif" } else { ".webp" };
            // `.jpg` becomes `.jpg.webp`; the others are replaced.
            match path.strip_suffix(p.ext) {
                Some(_) if p.ext == ".jpg" => format!("{path}{to}{}", &url[path.len()..]),
                Some(stem) => format!("{stem}{to}{}", &url[path.len()..]),
                None => url,
            }
        }
        ImageNoise::WordPressSize | ImageNoise::Retina if !p.ext.is_empty() => {
            let suffix = if matches!(n, ImageNoise::Retina) {
                "@2x"
            } else {
                "-640x426"
            };
            // Before the extension at the end of the path (the suffixes
            // stack in the order listed: `-640x426@2x.jpg`).
            let end = url.find(['?', '#']).unwrap_or(url.len());
            let path = url[..end].trim_end_matches('/');
            match path.strip_suffix(p.ext) {
                Some(stem) => format!("{stem}{suffix}{}{}", p.ext, &url[path.len()..]),
                None => url,
            }
        }
        _ => url,
    }
}

fn noise() -> impl Strategy<Value = Vec<Noise>> {
    // Each kind at most once (applying one twice is not a redeploy).
    prop::sample::subsequence(
        vec![
            Noise::Http,
            Noise::ProtocolRelative,
            Noise::NoWww,
            Noise::UpperHost,
            Noise::DefaultPort,
            Noise::TrailingSlash,
            Noise::EscapedLetter,
            Noise::ReorderParams,
            Noise::Utm,
            Noise::Fbclid,
            Noise::Fragment,
        ],
        1..5,
    )
}

fn image_noise() -> impl Strategy<Value = Vec<ImageNoise>> {
    prop::sample::subsequence(
        vec![
            ImageNoise::CacheBuster,
            ImageNoise::Timestamp,
            ImageNoise::Resize,
            ImageNoise::Format,
            ImageNoise::WordPressSize,
            ImageNoise::Retina,
            ImageNoise::Itok,
            ImageNoise::Reencode,
        ],
        0..3,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn url_noise_keeps_the_link(p in parts(), ns in noise()) {
        let original = p.url();
        let mut noisy = original.clone();
        // Order matters little, but protocol-relative goes last (it has no scheme to rewrite).
        let mut ns = ns;
        ns.sort_by_key(|n| matches!(n, Noise::ProtocolRelative));
        for n in ns {
            noisy = apply(&p, noisy, n);
        }
        prop_assert!(same_resource(&original, &noisy, ResourceKind::Link), "{original} vs {noisy}");
        prop_assert!(same_resource(&original, &noisy, ResourceKind::Image), "{original} vs {noisy}");
    }

    #[test]
    fn image_noise_keeps_the_image(p in parts(), ins in image_noise(), ns in noise()) {
        let original = p.url();
        let mut noisy = original.clone();
        for n in ins {
            noisy = apply_image(&p, noisy, n);
        }
        let mut ns = ns;
        ns.sort_by_key(|n| matches!(n, Noise::ProtocolRelative));
        for n in ns {
            noisy = apply(&p, noisy, n);
        }
        prop_assert!(same_resource(&original, &noisy, ResourceKind::Image), "{original} vs {noisy}");
    }

    #[test]
    fn another_server_of_a_cdn_is_the_same_image_not_the_same_page(
        p in parts(),
        name in "[a-z]{0,6}",
        (a, b) in (0..100u32, 0..100u32).prop_filter("two servers", |(a, b)| a != b),
        ins in image_noise(),
    ) {
        // `s1.media.example.org`: a server of the site's media domain.
        let on = |n: u32| p.url().replacen("://www.", &format!("://{name}{n}.media."), 1);
        let original = on(a);
        let mut noisy = on(b);
        for n in ins {
            noisy = apply_image(&p, noisy, n);
        }
        prop_assert!(same_resource(&original, &noisy, ResourceKind::Image), "{original} vs {noisy}");
        prop_assert!(!same_resource(&original, &on(b), ResourceKind::Link), "{original} vs {noisy}");
    }

    #[test]
    fn another_file_or_page_is_another_resource(
        p in parts(),
        other in "[a-z][a-z0-9]{2,8}",
        what in 0..4usize,
        ns in noise(),
    ) {
        let original = p.url();
        let mut q = p.clone();
        match what {
            0 => q.stem = format!("{}{other}", q.stem),
            1 => q.dirs.push(other),
            2 => q.host = format!("{other}.{}", q.host),
            _ => q.params.push(("id".into(), format!("{other}0"))),
        }
        let mut changed = q.url();
        let mut ns = ns;
        ns.sort_by_key(|n| matches!(n, Noise::ProtocolRelative));
        for n in ns {
            changed = apply(&q, changed, n);
        }
        prop_assert!(!same_resource(&original, &changed, ResourceKind::Link), "{original} vs {changed}");
        prop_assert!(!same_resource(&original, &changed, ResourceKind::Image), "{original} vs {changed}");
    }
}
