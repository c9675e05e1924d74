//! Resource identity: when two URLs, as two versions of a page serve them,
//! name the same image or the same linked page.
//!
//! Publishers redeploy with cache busters, CDN resize and format
//! parameters, tracking parameters, another scheme or a `www.` alias; none
//! of that changes which picture is shown or which page a link leads to.
//! [`resource_key`] folds those differences away; two URLs with the same key
//! are the same resource. The stored Document keeps every URL as it was
//! served: identity is a comparison rule, never a rewrite of the evidence.
//!
//! The rules (both kinds of resource):
//! - `http` and `https` are the same; a protocol-relative `//host/x` is too;
//! - host names compare without case and without a leading `www.`; a
//!   default port is no port; the fragment is ignored;
//! - percent-escapes compare without case, and an escaped unreserved
//!   character (`%41`) equals the character; `+` in a query is a space;
//! - a trailing `/` is ignored; query parameters compare in any order;
//! - a site's other name is its name ([`HOST_ALIASES`]: `x.com` is
//!   `twitter.com`, whose share parameters `s` and `t` are ignored);
//! - tracking parameters are ignored (`utm_*`, `pk_*`, `fbclid`, `gclid`,
//!   `mc_cid`, `mc_eid`, `igshid`, `ref`, `xtor`, `CMP`, [`TRACKING`],
//!   [`NEWSROOM_TRACKING`], [`TRACKING_PREFIXES`]).
//!
//! Images only (the same file at another size, quality or format, or
//! behind another cache key, or on another server of the same CDN):
//! - the server's number is ignored: the digits of a host's first label
//!   when a site's domain follows (`s1.` and `s2.`, `cdn4.img.` and
//!   `cdn5.img.`, `static01.` and `static02.`, `i.` and `i2.`,
//!   `1.bp.blogspot.com` and `2.bp.…`; not `site1.co.uk`, which names a
//!   site); the path still names the file;
//! - cache busters and signatures are ignored (`v`, `ver`, `_`, `t`, `ts`,
//!   `itok`, a bare `?1701234567`, [`IMAGE_ONLY`]);
//! - CDN transform parameters are ignored (`w`, `h`, `width`, `height`,
//!   `fit`, `crop`, `q`, `quality`, `auto`, `format`, `fm`, `dpr`,
//!   `resize`, Akamai's `imwidth`/`impolicy`, …);
//! - transforms in the path are ignored: Cloudinary's segments after
//!   `/image/upload/` (`w_640,c_fill,q_auto`, `v1712345678`), Cloudflare's
//!   `/cdn-cgi/image/OPTIONS/`, Drupal's `/styles/NAME/public/`, and a size
//!   suffix on the file name (`-640x426`, `_640x`, `@2x`, `-scaled`, also
//!   stacked: `-640x426-1024x683`), and a size as a directory (`/570x0/`);
//! - renditions in the path are ignored (see [`renditions`]): a width as a
//!   directory (`/image_960w/`, `/max/796/`, a bare width before two more
//!   directories as in the BBC's `/news/976/cpsprodpb/…`, a width and a
//!   height before the file, never a year or a zero-led number), a segment
//!   of transforms in Cloudinary's syntax anywhere (`w_240,c_limit`),
//!   MediaWiki's thumbnails (`/thumb/…/220px-File.jpg` is the file), The
//!   New York Times' crop names (`-articleLarge`, `-master768`), an empty
//!   directory; a server's number after a dash (`ichef-1.` is `ichef.`);
//! - the raster format is ignored: `photo.jpg`, `photo.webp`, `photo.avif`
//!   and `photo.jpg.webp` are the same picture encoded another way (a CDN
//!   or `<picture>` serving WebP); another file name is another image;
//! - a proxied image is the image it proxies: Next.js `/_next/image?url=`,
//!   any image service's `?url=https://…`, WordPress Photon
//!   `i0.wp.com/host/path`, a Thumbor server's signed path (`/thumbor/`,
//!   Arc XP's `/resizer/`), an address in the path (ShortPixel).
//!
//! Links keep their other query parameters: `?v=` names a video on
//! YouTube and `?q=` a search, so only tracking parameters are dropped.

use url::Url;

/// What a URL points at: the rules for images fold more away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceKind {
    /// An image the article shows (`img src`).
    Image,
    /// A page the article links to (`a href`).
    Link,
}

/// Query parameters that only say who sent the reader (both kinds).
pub const TRACKING: &[&str] = &[
    "fbclid",
    "gclid",
    "gclsrc",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "twclid",
    "ttclid",
    "yclid",
    "li_fat_id",
    "mc_cid",
    "mc_eid",
    "igshid",
    "igsh",
    "_ga",
    "_gl",
    "_hsenc",
    "_hsmi",
    "mkt_tok",
    "oly_anon_id",
    "oly_enc_id",
    "vero_id",
    "rb_clickid",
    "s_cid",
    "cmpid",
    "icid",
    "ocid",
    "smid",
    "smtyp",
    "sr_share",
    "spm",
    "at_medium",
    "at_campaign",
    "trk",
    "ref",
    "ref_src",
    "ref_url",
    "referrer",
    "share",
];

/// Newsrooms' tracking parameters (both kinds): AT Internet's (Le Monde,
/// France Télévisions), the Guardian's, the Telegraph's, Yahoo's and
/// Engadget's, Webtrends' (Microsoft). Keys of stet-extract/24 and
/// earlier kept them ([`earlier_resource_key`]).
pub const NEWSROOM_TRACKING: &[&str] = &[
    "xtor",
    "cmp",
    "ito",
    "ncid",
    "soc_src",
    "soc_trk",
    "guccounter",
    "guce_referrer",
    "guce_referrer_sig",
    "__twitter_impression",
    "wt.mc_id",
    "wt_mc",
];

/// One site under two names (both kinds): the alias, then the name keys
/// use. Twitter's links became x.com's; a tweet cited is the same tweet.
const HOST_ALIASES: &[(&str, &str)] = &[
    ("x.com", "twitter.com"),
    ("mobile.twitter.com", "twitter.com"),
    ("mobile.x.com", "twitter.com"),
];

/// What Twitter's share buttons add to a tweet's link (`?s=20&t=…`).
const TWITTER_SHARE: &[&str] = &["s", "t"];

/// Families of tracking parameters (both kinds): Google Analytics' `utm_*`,
/// Matomo's `pk_*` and `mtm_*`, HubSpot's ad parameters `hsa_*`.
pub const TRACKING_PREFIXES: &[&str] = &["utm_", "pk_", "mtm_", "hsa_"];

/// The families keys of stet-extract/24 and earlier knew.
const EARLIER_TRACKING_PREFIXES: &[&str] = &["utm_"];

/// Query parameters ignored on images only: cache busters, signatures and
/// CDN transforms (size, crop, quality, format, pixel density).
pub const IMAGE_ONLY: &[&str] = &[
    // cache busters and versions
    "v",
    "ver",
    "version",
    "_",
    "t",
    "ts",
    "time",
    "timestamp",
    "cb",
    "cache",
    "cachebuster",
    "cache_buster",
    "bust",
    "nocache",
    "rev",
    "hash",
    "build",
    "mtime",
    "lastmod",
    "modified",
    "updated",
    "itok",
    // signatures and expiring access
    "s",
    "sig",
    "signature",
    "token",
    "expires",
    "key-pair-id",
    "policy",
    "x-amz-algorithm",
    "x-amz-credential",
    "x-amz-date",
    "x-amz-expires",
    "x-amz-signedheaders",
    "x-amz-signature",
    "x-amz-security-token",
    // CDN transforms: imgix, Fastly IO, Cloudflare, Akamai, Photon, Sanity,
    // Contentful, Shopify, WordPress
    "w",
    "h",
    "width",
    "height",
    "fit",
    "crop",
    "quality",
    "q",
    "auto",
    "format",
    "fm",
    "dpr",
    "resize",
    "ar",
    "rect",
    "max-w",
    "max-h",
    "min-w",
    "min-h",
    "maxwidth",
    "maxheight",
    "mw",
    "mh",
    "size",
    "sz",
    "scale",
    "zoom",
    "strip",
    "ssl",
    "lossy",
    "compress",
    "optimize",
    "lb",
    "cs",
    "ch",
    "fp-x",
    "fp-y",
    "fp-z",
    "ixlib",
    "impolicy",
    "imwidth",
    "imheight",
    "im",
    "output-quality",
    "output-format",
    "fl",
];

/// Whether `a` and `b` name the same resource (see the module rules).
pub fn same_resource(a: &str, b: &str, kind: ResourceKind) -> bool {
    a == b || resource_key(a, kind) == resource_key(b, kind)
}

/// Second-level labels of country domains (`co.uk`, `com.au`, `ac.jp`):
/// the label before one names a site (`site1.co.uk`), not a server.
const SUFFIX_LABELS: &[&str] = &[
    "ac", "co", "com", "edu", "go", "gob", "gov", "gv", "ltd", "mil", "ne", "net", "nhs", "nic",
    "or", "org", "plc", "sch",
];

/// Whether a value (a field's, a finding's) is a web address, compared by
/// the resource it names.
pub fn is_url(s: &str) -> bool {
    let s = s.trim();
    s.starts_with("http://") || s.starts_with("https://") || s.starts_with("//")
}

/// The identity of a URL: equal keys are the same resource. Not a URL
/// (no scheme, no default port): a key is for comparing, never fetching.
pub fn resource_key(url: &str, kind: ResourceKind) -> String {
    key_at_depth(url, kind, 0, Rules::Current)
}

/// [`resource_key`] as stet-extract/6 to /24 computed it, before a CDN's
/// servers counted as one and newsrooms' tracking parameters were known:
/// journals written then name findings by it.
pub(crate) fn earlier_resource_key(url: &str, kind: ResourceKind) -> String {
    key_at_depth(url, kind, 0, Rules::Earlier)
}

/// [`resource_key`] as stet-extract/25 to /48 computed it, before an
/// image's renditions in the path (a width directory, a transform segment,
/// a Thumbor or MediaWiki thumbnail, an image service's `url=`) and a
/// server's number after a dash (`ichef-1.`) counted as the same picture.
pub(crate) fn before_renditions_key(url: &str, kind: ResourceKind) -> String {
    key_at_depth(url, kind, 0, Rules::BeforeRenditions)
}

/// Which rule set a key is made by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rules {
    Current,
    /// stet-extract/25 to /48.
    BeforeRenditions,
    /// stet-extract/6 to /24.
    Earlier,
}

fn key_at_depth(raw: &str, kind: ResourceKind, depth: u8, rules: Rules) -> String {
    let raw = raw.trim();
    if raw.starts_with("data:") {
        return raw.to_owned();
    }
    let parsed = if raw.starts_with("//") {
        Url::parse(&format!("https:{raw}"))
    } else {
        Url::parse(raw)
    };
    let Ok(url) = parsed else {
        return raw.to_owned();
    };
    if !matches!(url.scheme(), "http" | "https" | "file") {
        let mut url = url;
        url.set_fragment(None);
        return url.into();
    }
    if kind == ResourceKind::Image && depth < 3 {
        if let Some(inner) = proxied(&url, rules) {
            return key_at_depth(&inner, kind, depth + 1, rules);
        }
    }
    let host = url.host_str().unwrap_or("").to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let host = match HOST_ALIASES.iter().find(|(alias, _)| *alias == host) {
        Some((_, name)) if rules != Rules::Earlier => name,
        _ => host,
    };
    let share_params: &[&str] = match host {
        "twitter.com" if rules != Rules::Earlier => TWITTER_SHARE,
        _ => &[],
    };
    let mut out = String::with_capacity(raw.len());
    match host.split_once('.') {
        Some((first, rest))
            if rules != Rules::Earlier
                && kind == ResourceKind::Image
                && rest
                    .split_once('.')
                    .is_some_and(|(second, _)| !SUFFIX_LABELS.contains(&second))
                && matches!(url.host(), Some(url::Host::Domain(_))) =>
        {
            let server: String = first.chars().filter(|c| !c.is_ascii_digit()).collect();
            // `ichef-1.` is `ichef.`'s server 1.
            let server = match rules {
                Rules::Current => server.trim_end_matches(['-', '_']),
                _ => &server,
            };
            out.push_str(server);
            out.push('.');
            out.push_str(rest);
        }
        _ => out.push_str(host),
    }
    if let Some(port) = url.port() {
        out.push(':');
        out.push_str(&port.to_string());
    }
    let path = normalize_escapes(url.path(), false);
    // `file:///C|/x` is the old spelling of `file:///C:/x`.
    let path = match path.as_bytes() {
        [b'/', d, b'|', ..] if url.scheme() == "file" && d.is_ascii_alphabetic() => {
            format!("/{}:{}", char::from(*d), &path[3..])
        }
        _ => path,
    };
    let path = path.trim_end_matches('/');
    match kind {
        ResourceKind::Image => {
            let path = image_path(path, rules);
            let path = match rules {
                Rules::Current if host.ends_with("nyt.com") => nyt_crop(&path),
                _ => &path,
            };
            out.push_str(path);
        }
        ResourceKind::Link => out.push_str(path),
    }
    let mut params: Vec<String> = url
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|p| {
            let p = normalize_escapes(p, true);
            let name = p.split('=').next().unwrap_or("").to_ascii_lowercase();
            let prefixes = match rules {
                Rules::Current | Rules::BeforeRenditions => TRACKING_PREFIXES,
                Rules::Earlier => EARLIER_TRACKING_PREFIXES,
            };
            let ignored = prefixes.iter().any(|t| name.starts_with(t))
                || TRACKING.contains(&name.as_str())
                || share_params.contains(&name.as_str())
                || rules != Rules::Earlier && NEWSROOM_TRACKING.contains(&name.as_str())
                || kind == ResourceKind::Image
                    && (IMAGE_ONLY.contains(&name.as_str()) || is_bare_stamp(&p));
            (!ignored).then_some(p)
        })
        .collect();
    params.sort_unstable();
    params.dedup();
    if !params.is_empty() {
        out.push('?');
        out.push_str(&params.join("&"));
    }
    out
}

/// The image behind an image proxy: Next.js `/_next/image?url=…` and
/// WordPress Photon `i0.wp.com/example.org/path.jpg`.
fn proxied(url: &Url, rules: Rules) -> Option<String> {
    let inner = || {
        url.query_pairs()
            .find(|(k, _)| k == "url")
            .map(|(_, v)| v.into_owned())
    };
    if url.path().ends_with("/_next/image") {
        return url.join(&inner()?).ok().map(String::from);
    }
    if rules == Rules::Current {
        // An image service given the picture's address (Brightspot's
        // `/dims4/…?url=`, imgproxy's and Vercel's forms of Next.js').
        if let Some(inner) =
            inner().filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        {
            return Some(inner);
        }
        if let Some(inner) = thumbor(url.path()) {
            return Some(inner);
        }
        // The picture's address in the path (ShortPixel's
        // `/client/q_lossy,w_400/https://host/file.jpg`).
        let path = url.path();
        if let Some(at) = path.find("/http:/").or_else(|| path.find("/https:/")) {
            let inner = path[at + 1..]
                .replacen(":/", "://", 1)
                .replacen(":///", "://", 1);
            if Url::parse(&inner).is_ok_and(|u| u.host_str().is_some()) {
                return Some(inner);
            }
        }
    }
    let host = url.host_str()?;
    let photon = host.len() == 9
        && host.starts_with('i')
        && host.as_bytes().get(1).is_some_and(u8::is_ascii_digit)
        && host.ends_with(".wp.com");
    if photon {
        let rest = url.path().trim_start_matches('/');
        if rest.contains('.') && rest.contains('/') {
            return Some(format!("https://{rest}"));
        }
    }
    None
}

/// The picture a Thumbor server resizes (Vox's `/thumbor/`, Arc XP's
/// `/resizer/`): after the signature (`unsafe`, or an HMAC such as
/// `Y0ngHKDeSHd_A54_DBf_QFbbKO4=`), the options (a crop `0x0:2268x1517`,
/// `fit-in`, a size `480x0`, an alignment, `smart`, `filters:…`), then the
/// image's own address, its host first.
fn thumbor(path: &str) -> Option<String> {
    let segs: Vec<&str> = path.split('/').collect();
    let at = segs.iter().position(|s| {
        *s == "unsafe"
            || s.len() == 28
                && s.ends_with('=')
                && s[..27]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })?;
    let option = |s: &str| {
        let size = |d: &str| {
            d.trim_start_matches('-')
                .split_once('x')
                .is_some_and(|(w, h)| {
                    let n = |v: &str| {
                        v.trim_start_matches('-')
                            .bytes()
                            .all(|b| b.is_ascii_digit())
                    };
                    n(w) && n(h)
                })
        };
        matches!(
            s,
            "trim"
                | "meta"
                | "fit-in"
                | "full-fit-in"
                | "adaptive-fit-in"
                | "smart"
                | "left"
                | "right"
                | "center"
                | "top"
                | "middle"
                | "bottom"
        ) || s.starts_with("filters:")
            || size(s)
            || s.split_once(':').is_some_and(|(a, b)| size(a) && size(b))
    };
    let rest: Vec<&str> = segs[at + 1..]
        .iter()
        .copied()
        .skip_while(|s| option(s))
        .collect();
    match rest.as_slice() {
        [host, _, ..] if host.contains('.') && !host.contains(':') => {
            Some(format!("https://{}", rest.join("/")))
        }
        _ => None,
    }
}

/// A query part with no value that is a timestamp or a hash (`?1701234567`,
/// `?a81f3c9d`): a cache buster.
fn is_bare_stamp(part: &str) -> bool {
    !part.contains('=') && part.len() >= 6 && part.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Percent-escapes upper-cased, escaped unreserved characters decoded; in a
/// query, `+` written as `%20`.
fn normalize_escapes(s: &str, query: bool) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = s
                    .get(i + 1..i + 3)
                    .filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()))
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(v)
                        if v.is_ascii_alphanumeric() || matches!(v, b'-' | b'.' | b'_' | b'~') =>
                    {
                        out.push(char::from(v));
                    }
                    Some(_) => {
                        out.push('%');
                        out.push_str(&s[i + 1..i + 3].to_ascii_uppercase());
                    }
                    None => {
                        out.push('%');
                        i += 1;
                        continue;
                    }
                }
                i += 3;
            }
            b'+' if query => {
                out.push_str("%20");
                i += 1;
            }
            _ => {
                // Copy one whole character (the path may hold non-ASCII).
                let len = s[i..].chars().next().map_or(1, char::len_utf8);
                out.push_str(&s[i..i + len]);
                i += len;
            }
        }
    }
    out
}

/// An image path without the transforms a CDN or CMS writes into it.
fn image_path(path: &str, rules: Rules) -> String {
    let mut segs: Vec<&str> = path.split('/').collect();
    if rules == Rules::Current {
        // `current//2019/` is `current/2019/`.
        let mut first = true;
        segs.retain(|s| std::mem::take(&mut first) || !s.is_empty());
        renditions(&mut segs);
    }
    // Cloudflare Images: /cdn-cgi/image/OPTIONS/rest
    if segs.get(1) == Some(&"cdn-cgi") && segs.get(2) == Some(&"image") && segs.len() > 4 {
        segs.drain(1..4);
    }
    // Cloudinary: …/image/upload/TRANSFORMS/v123/public_id
    if let Some(at) = segs.windows(2).position(|w| {
        matches!(w[0], "image" | "video")
            && matches!(w[1], "upload" | "fetch" | "private" | "authenticated")
    }) {
        let start = at + 2;
        let mut end = start;
        while end + 1 < segs.len() && is_cloudinary_step(segs[end]) {
            end += 1;
        }
        segs.drain(start..end);
    }
    // Drupal image styles: /styles/NAME/public/rest
    if let Some(at) = segs
        .windows(3)
        .position(|w| w[0] == "styles" && matches!(w[2], "public" | "private" | "s3"))
    {
        if at + 3 < segs.len() {
            segs.drain(at..at + 3);
        }
    }
    // A size as a directory (`/640x426/`, `/570x0/`): the same file resized.
    let last = segs.len().saturating_sub(1);
    let mut at = 0;
    segs.retain(|seg| {
        at += 1;
        at - 1 == last || !is_size_segment(seg)
    });
    let mut out = segs.join("/");
    if let Some(slash) = out.rfind('/') {
        let file = strip_size_suffix(&out[slash + 1..]);
        out.truncate(slash + 1);
        out.push_str(&file);
    }
    out
}

/// Removes from an image's path segments what names a rendition of the
/// picture rather than the picture: MediaWiki's thumbnails
/// (`/thumb/9/94/File.jpg/220px-File.jpg` is `/9/94/File.jpg`); a width
/// as a directory (`/image_960w/`, `/640w/`, `/max/796/`, `/fit/800/`, a
/// bare width before at least two more directories, as in
/// `/news/976/cpsprodpb/…`, a width and a height before the file,
/// `/343/192/file.jpg`; never a year or a number written with a leading
/// zero, which date a file); a segment of image transforms anywhere
/// (`w_240,c_limit`, `ar_16:9,c_fill,q_auto:good,w_768`).
fn renditions(segs: &mut Vec<&str>) {
    let last = segs.len().saturating_sub(1);
    // MediaWiki: …/thumb/A/AB/Name.ext/220px-Name.ext(.png)
    if let Some(t) = segs.iter().position(|s| *s == "thumb") {
        let thumbnail = segs[last]
            .split_once("px-")
            .is_some_and(|(w, _)| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()));
        if thumbnail && last > t + 1 {
            segs.truncate(last);
            segs.remove(t);
            return;
        }
    }
    let width = |s: &str| {
        s.len() <= 4
            && !s.starts_with('0')
            && s.parse::<u16>()
                .is_ok_and(|n| (16..=4096).contains(&n) && !(1900..=2100).contains(&n))
    };
    let size_word = |s: &str| {
        matches!(
            s,
            "max"
                | "fit"
                | "resize"
                | "width"
                | "w"
                | "h"
                | "fill"
                | "scale-to-width"
                | "scale-to-width-down"
        )
    };
    let mut drop = vec![false; segs.len()];
    // A width as the last segment, after its word (Fandom's
    // `/revision/latest/scale-to-width-down/400`).
    if last >= 2 && size_word(segs[last - 1]) && width(segs[last]) {
        drop[last - 1] = true;
        drop[last] = true;
    }
    for i in 0..last {
        let s = segs[i];
        let w_dir = s
            .strip_suffix('w')
            .map(|d| {
                d.rsplit_once('_').map_or(d, |(name, n)| {
                    if name.bytes().all(|b| b.is_ascii_lowercase()) {
                        n
                    } else {
                        ""
                    }
                })
            })
            .is_some_and(width);
        let after_word = i > 0 && size_word(segs[i - 1]) && width(s);
        if after_word {
            drop[i - 1] = true;
        }
        let bare = width(s) && (last - i > 2 || last - i == 2 && width(segs[i + 1]));
        let pair_tail = i + 1 == last && width(s) && i > 0 && drop[i - 1];
        drop[i] = drop[i] || w_dir || after_word || bare || pair_tail || is_transform_segment(s);
    }
    let mut i = 0;
    segs.retain(|_| {
        i += 1;
        !drop[i - 1]
    });
}

/// The New York Times' image path without its crop's name, the last part
/// of the file name (`…-articleLarge`, `…-master768`, `…-superJumbo`,
/// `…-jumbo`): the same photo cut for another place or width.
fn nyt_crop(path: &str) -> &str {
    if !path.starts_with("/images/") {
        return path;
    }
    let file = path.rfind('/').map_or(0, |i| i + 1);
    match path[file..].rfind('-') {
        Some(dash) => {
            let crop = &path[file + dash + 1..];
            let named = crop.bytes().all(|b| b.is_ascii_alphanumeric())
                && crop.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
                && (crop.bytes().any(|b| b.is_ascii_uppercase())
                    || crop.bytes().last().is_some_and(|b| b.is_ascii_digit())
                        && crop.bytes().any(|b| b.is_ascii_lowercase())
                        && crop.len() > 4
                    || matches!(crop, "jumbo" | "popup" | "thumbstandard"));
            if named {
                &path[..file + dash]
            } else {
                path
            }
        }
        None => path,
    }
}

/// A path segment of image transforms, Cloudinary's syntax wherever it
/// stands (Condé Nast's `w_240,c_limit`, `ar_16:9,c_fill,q_auto:good,w_768`
/// with its commas escaped, ShortPixel's `q_lossy,ret_img,w_400`): every
/// part a short key, `_`, a value, and one of them a size, crop, quality or
/// format.
fn is_transform_segment(seg: &str) -> bool {
    let parts: Vec<&str> = seg.split(',').flat_map(|p| p.split("%2C")).collect();
    let steps = parts.iter().all(|part| {
        part.split_once('_').is_some_and(|(k, v)| {
            (1..=3).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_lowercase()) && !v.is_empty()
        })
    });
    steps
        && parts.iter().any(|p| {
            p.split_once('_').is_some_and(|(k, _)| {
                matches!(k, "w" | "h" | "c" | "q" | "ar" | "dpr" | "f" | "fl")
            })
        })
}

/// `640x426`, `570x0`: a width and height, each of 1 to 5 digits.
fn is_size_segment(seg: &str) -> bool {
    let digits = |s: &str| (1..=5).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    seg.split_once('x')
        .is_some_and(|(w, h)| digits(w) && digits(h))
}

/// A Cloudinary path segment that transforms (`w_640,h_426,c_fill`) or
/// versions (`v1712345678`) rather than names the asset.
fn is_cloudinary_step(seg: &str) -> bool {
    let version =
        seg.len() > 1 && seg.starts_with('v') && seg[1..].bytes().all(|b| b.is_ascii_digit());
    let transforms = !seg.is_empty()
        && seg.split(',').all(|part| {
            part.split_once('_').is_some_and(|(k, v)| {
                (1..=3).contains(&k.len())
                    && k.bytes().all(|b| b.is_ascii_lowercase())
                    && !v.is_empty()
            })
        });
    version || transforms
}

/// Raster formats a CDN converts between: the same picture either way.
const RASTER: &[&str] = &[
    "jpg", "jpeg", "jpe", "png", "gif", "webp", "avif", "jxl", "heic", "heif", "bmp", "tif", "tiff",
];

/// `photo-640x426.jpg`, `photo_640x.jpg`, `photo@2x.jpg`,
/// `photo-scaled.jpg`, `photo.webp`, `photo.jpg.webp` → `photo`; a file
/// of another type keeps its extension (`diagram.svg`).
fn strip_size_suffix(file: &str) -> String {
    let mut stem = file;
    let mut raster = false;
    // Format extensions, stacked ones too (`photo.jpg.webp`).
    while let Some(dot) = stem.rfind('.').filter(|&d| d > 0) {
        if !RASTER.contains(&stem[dot + 1..].to_ascii_lowercase().as_str()) {
            break;
        }
        stem = &stem[..dot];
        raster = true;
    }
    let (mut stem, ext) = if raster {
        (stem, "")
    } else {
        match file.rfind('.') {
            Some(dot) if dot > 0 => (&file[..dot], &file[dot..]),
            _ => return file.to_owned(),
        }
    };
    // Size suffixes, stacked ones too (`-640x426-1024x683@2x`).
    loop {
        let before = stem.len();
        stem = strip_one_size(stem);
        if stem.len() == before {
            break;
        }
    }
    format!("{stem}{ext}")
}

/// `stem` without one trailing size suffix (`@2x`, `-640x426`, `_640x`,
/// `-scaled`), or as it is.
fn strip_one_size(stem: &str) -> &str {
    // Retina suffix: @2x, @3x, @1.5x
    if let Some(at) = stem.rfind('@') {
        let d = &stem[at + 1..];
        if at > 0
            && d.len() >= 2
            && d.ends_with('x')
            && d[..d.len() - 1]
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.')
        {
            return &stem[..at];
        }
    }
    // WordPress (-640x426) and Shopify (_640x, _x426, _640x426) sizes.
    if let Some(cut) = stem.rfind(['-', '_']) {
        let dims = &stem[cut + 1..];
        if let Some((w, h)) = dims.split_once('x') {
            let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
            let wordpress = stem.as_bytes()[cut] == b'-' && !w.is_empty() && !h.is_empty();
            let shopify = stem.as_bytes()[cut] == b'_' && !(w.is_empty() && h.is_empty());
            if digits(w) && digits(h) && (wordpress || shopify) && cut > 0 {
                return &stem[..cut];
            }
        }
    }
    stem.strip_suffix("-scaled")
        .filter(|s| !s.is_empty())
        .unwrap_or(stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same_image(a: &str, b: &str) -> bool {
        same_resource(a, b, ResourceKind::Image)
    }

    fn same_link(a: &str, b: &str) -> bool {
        same_resource(a, b, ResourceKind::Link)
    }

    const IMG: &str = "https://www.example.org/wp-content/uploads/2024/05/server-crash.jpg";

    #[test]
    fn image_url_noise_is_the_same_image() {
        for noisy in [
            "https://www.example.org/wp-content/uploads/2024/05/server-crash.jpg?v=4256",
            "https://www.example.org/wp-content/uploads/2024/05/server-crash-640x426.jpg",
            "https://www.example.org/wp-content/uploads/2024/05/server-crash-640x426.jpg?ver=6.4.2",
            "http://example.org/wp-content/uploads/2024/05/server-crash.jpg",
            "//www.example.org/wp-content/uploads/2024/05/server-crash.jpg",
            "https://WWW.Example.ORG:443/wp-content/uploads/2024/05/server-crash.jpg",
            "https://www.example.org/wp-content/uploads/2024/05/server%2Dcrash.jpg",
            "https://www.example.org/wp-content/uploads/2024/05/server-crash.jpg?w=640&h=426&fit=crop&auto=format,compress&q=75",
            "https://www.example.org/wp-content/uploads/2024/05/server-crash.jpg?_=1701234567890",
            "https://www.example.org/wp-content/uploads/2024/05/server-crash.jpg?1701234567",
            "https://www.example.org/wp-content/uploads/2024/05/server-crash@2x.jpg",
            "https://www.example.org/wp-content/uploads/2024/05/server-crash-scaled.jpg",
            "https://www.example.org/wp-content/uploads/2024/05/server-crash.jpg#main",
            "https://www.example.org/wp-content/uploads/2024/05/server-crash.jpg?utm_source=x&fbclid=abc",
            "https://i0.wp.com/www.example.org/wp-content/uploads/2024/05/server-crash.jpg?resize=640%2C426&ssl=1",
            "https://www.example.org/_next/image?url=%2Fwp-content%2Fuploads%2F2024%2F05%2Fserver-crash.jpg&w=1080&q=75",
            "https://www.example.org/cdn-cgi/image/width=640,quality=75,format=auto/wp-content/uploads/2024/05/server-crash.jpg",
            "https://www.example.org/wp-content/uploads/2024/05/server-crash.webp",
            "https://www.example.org/wp-content/uploads/2024/05/server-crash.jpg.webp",
            "https://www.example.org/wp-content/uploads/2024/05/server-crash.png",
            "https://www.example.org/wp-content/uploads/2024/05/server-crash-640x426-1024x683.avif",
            "https://www.example.org/wp-content/uploads/640x426/2024/05/server-crash.jpg",
        ] {
            assert!(same_image(IMG, noisy), "{noisy}");
        }
    }

    #[test]
    fn another_file_is_another_image() {
        for other in [
            "https://www.example.org/wp-content/uploads/2024/05/server-fire.jpg",
            "https://www.example.org/wp-content/uploads/2024/06/server-crash.jpg",
            "https://cdn.example.net/wp-content/uploads/2024/05/server-crash.jpg",
            "https://www.example.org/wp-content/uploads/2024/05/server-crash.svg",
            "https://www.example.org/wp-content/uploads/2024/05/640x426.jpg",
            "https://www.example.org/wp-content/uploads/2024/05/server-crash-2.jpg",
            "https://www.example.org/image.php?id=41",
            "data:image/gif;base64,R0lGODlhAQABAAAAACw=",
        ] {
            assert!(!same_image(IMG, other), "{other}");
        }
        assert!(!same_image(
            "https://www.example.org/image.php?id=41",
            "https://www.example.org/image.php?id=42"
        ));
    }

    #[test]
    fn another_server_of_a_cdn_serves_the_same_image() {
        for (a, b) in [
            (
                "https://s1.freebeacon.com/up/2024/02/collage.jpg",
                "https://s2.freebeacon.com/up/2024/02/collage.jpg",
            ),
            (
                "https://cdn4.img.sputniknews.com/images/107734/34/1077343445.jpg",
                "https://cdn5.img.sputniknews.com/images/107734/34/1077343445.jpg",
            ),
            (
                "https://static01.nyt.com/images/2024/05/crash.jpg",
                "https://static02.nyt.com/images/2024/05/crash.jpg",
            ),
            (
                "https://i.guim.co.uk/img/media/aa94/master/3253.jpg",
                "https://i2.guim.co.uk/img/media/aa94/master/3253.jpg",
            ),
            (
                "https://1.bp.blogspot.com/-abc/s1600/crash.png",
                "https://4.bp.blogspot.com/-abc/s1600/crash.png",
            ),
        ] {
            assert!(same_image(a, b), "{a} {b}");
        }
        // Another file on another server, another site, an address, a link.
        assert!(!same_image(
            "https://s1.freebeacon.com/up/2024/02/collage.jpg",
            "https://s2.freebeacon.com/up/2024/02/portrait.jpg"
        ));
        assert!(!same_image(
            "https://static01.nyt.com/images/crash.jpg",
            "https://static01.nyt.org/images/crash.jpg"
        ));
        for (a, b) in [
            ("site1.com", "site2.com"),
            ("site1.co.uk", "site2.co.uk"),
            ("news1.com.au", "news2.com.au"),
        ] {
            assert!(!same_image(
                &format!("https://{a}/images/crash.jpg"),
                &format!("https://{b}/images/crash.jpg")
            ));
        }
        assert!(!same_image(
            "http://10.0.0.1/images/crash.jpg",
            "http://10.0.0.2/images/crash.jpg"
        ));
        assert!(!same_link(
            "https://s1.example.org/article",
            "https://s2.example.org/article"
        ));
    }

    #[test]
    fn cdn_path_transforms_are_the_same_image() {
        assert!(same_image(
            "https://res.cloudinary.com/demo/image/upload/w_640,h_426,c_fill,q_auto,f_auto/v1712345678/news/crash.jpg",
            "https://res.cloudinary.com/demo/image/upload/v1700000000/news/crash.jpg"
        ));
        assert!(!same_image(
            "https://res.cloudinary.com/demo/image/upload/v1/news/crash.jpg",
            "https://res.cloudinary.com/demo/image/upload/v1/news/fire.jpg"
        ));
        assert!(same_image(
            "https://example.org/sites/default/files/styles/large/public/2024-05/crash.jpg?itok=Ab12Cd34",
            "https://example.org/sites/default/files/2024-05/crash.jpg"
        ));
        assert!(same_image(
            "https://cdn.shopify.com/s/files/1/0/products/crash_640x.jpg?v=1699",
            "https://cdn.shopify.com/s/files/1/0/products/crash.jpg"
        ));
        assert!(same_image(
            "https://images.example.com/crash.jpg?imwidth=640&impolicy=resize",
            "https://images.example.com/crash.jpg"
        ));
    }

    #[test]
    fn renditions_of_a_picture_in_its_path_are_the_picture() {
        // Each pair: one picture as a page's `srcset` lists it at two
        // widths (the corpora's pages), or as a redeploy serves it.
        for (a, b) in [
            // Arc XP (The Washington Post): a width directory.
            (
                "https://img.washingtonpost.com/rf/image_606w/2010-2019/WashingtonPost/2015/03/18/Foreign/Images/Nic6429732.jpg",
                "https://img.washingtonpost.com/rf/image_960w/2010-2019/WashingtonPost/2015/03/18/Foreign/Images/Nic6429732.jpg",
            ),
            // The BBC: a bare width, and server 1 of `ichef`.
            (
                "https://ichef.bbci.co.uk/news/555/cpsprodpb/3D8B/production/_84455751_84455749.jpg",
                "https://ichef-1.bbci.co.uk/news/976/cpsprodpb/3D8B/production/_84455751_84455749.jpg",
            ),
            // Fox: a width and a height before the file.
            (
                "https://a57.foxnews.com/static.foxnews.com/foxnews.com/content/uploads/2024/02/348/196/Andy-Kim.jpg?ve=1&tl=1",
                "https://a57.foxnews.com/static.foxnews.com/foxnews.com/content/uploads/2024/02/1200/675/Andy-Kim.jpg?ve=1&tl=1",
            ),
            // Medium: a size word and a width.
            (
                "https://miro.medium.com/max/3788/1*5o3M5niyi911waUrKWVZ0Q.png",
                "https://miro.medium.com/max/60/1*5o3M5niyi911waUrKWVZ0Q.png?q=20",
            ),
            // Transforms in Cloudinary's syntax outside Cloudinary, commas
            // escaped or not.
            (
                "https://media.newyorker.com/photos/65e0a335d87dcdf1bf54e752/master/w_120,c_limit/Mayer-Crystal-Clanton-Final.jpg",
                "https://media.newyorker.com/photos/65e0a335d87dcdf1bf54e752/master/w_240,c_limit/Mayer-Crystal-Clanton-Final.jpg",
            ),
            (
                "https://dealbreaker.com/.image/ar_16:9%2Cc_fill%2Ccs_srgb%2Cg_faces:center%2Cq_auto:good%2Cw_768/MTYxMjc3NzI4OTQ2MjAyNTg4/spotify-fire.webp",
                "https://dealbreaker.com/.image/ar_16:9%2Cc_fill%2Ccs_srgb%2Cg_faces:center%2Cq_auto:good%2Cw_960/MTYxMjc3NzI4OTQ2MjAyNTg4/spotify-fire.webp",
            ),
            // MediaWiki's thumbnails and the file itself.
            (
                "https://upload.wikimedia.org/wikipedia/commons/thumb/3/3e/Flag_of_New_Zealand.svg/23px-Flag_of_New_Zealand.svg.png",
                "https://upload.wikimedia.org/wikipedia/commons/3/3e/Flag_of_New_Zealand.svg",
            ),
            // Thumbor, signed, and the picture it resizes.
            (
                "https://cdn.vox-cdn.com/thumbor/mCC2ypkF1QFq7dEwV2LTkz4aZmk=/0x0:2268x1517/320x213/filters:focal(560x560:922x922):format(webp)/cdn.vox-cdn.com/uploads/chorus_image/image/65664956/GettyImages_1180855514.0.jpg",
                "https://cdn.vox-cdn.com/uploads/chorus_image/image/65664956/GettyImages_1180855514.0.jpg",
            ),
            (
                "https://www.reuters.com/resizer/Y0ngHKDeSHd_A54_DBf_QFbbKO4=/480x0/filters:quality(80)/cloudfront-us-east-2.images.arcpublishing.com/reuters/43NZ5RTFEJOW7KNGZH2WZNTYFY.jpg",
                "https://cloudfront-us-east-2.images.arcpublishing.com/reuters/43NZ5RTFEJOW7KNGZH2WZNTYFY.jpg",
            ),
            // An image service given the picture's address.
            (
                "https://ca-times.brightspotcdn.com/dims4/default/418594f/2147483647/strip/true/crop/3276x2184+132+0/resize/2400x1600!/quality/75/?url=https%3A%2F%2Fcalifornia-times-brightspot.s3.amazonaws.com%2Fzbk%2Fphoto.JPG",
                "https://ca-times.brightspotcdn.com/dims4/default/04bdec0/2147483647/strip/true/crop/3276x2184+132+0/resize/320x213!/quality/75/?url=https%3A%2F%2Fcalifornia-times-brightspot.s3.amazonaws.com%2Fzbk%2Fphoto.JPG",
            ),
            (
                "https://cdn.shortpixel.ai/client/q_lossy,ret_img,w_400/https://www.morebikes.co.uk/wp-content/uploads/2018/02/logo.png",
                "https://www.morebikes.co.uk/wp-content/uploads/2018/02/logo.png",
            ),
            // The New York Times' crops.
            (
                "https://static01.nyt.com/images/2015/03/18/world/18tunisia/18tunisia-master768.jpg",
                "https://static01.nyt.com/images/2015/03/18/world/18tunisia/18tunisia-articleLarge.jpg",
            ),
            // Fandom's width at the end, and an empty directory.
            (
                "https://vignette.wikia.nocookie.net/e80dae8a-b955-43f6-8ada-f023385e622b/scale-to-width-down/627",
                "https://vignette.wikia.nocookie.net/e80dae8a-b955-43f6-8ada-f023385e622b/scale-to-width-down/400",
            ),
            (
                "https://assets.vg247.com/current//2019/06/jedi_fallen_order_060919-4.jpg",
                "https://assets.vg247.com/current/2019/06/jedi_fallen_order_060919-4.jpg",
            ),
        ] {
            assert!(same_image(a, b), "{a}\n{b}");
        }
        // Another picture stays another one: the file, a date's
        // directories, a photo's number, another Thumbor source, another
        // MediaWiki file, a directory whose name only looks like a step.
        for (a, b) in [
            (
                "https://ichef.bbci.co.uk/news/976/cpsprodpb/3D8B/production/_84455751_84455749.jpg",
                "https://ichef.bbci.co.uk/news/976/cpsprodpb/6D3D/production/_84456972_p072315al-0500.jpg",
            ),
            (
                "https://example.org/wp-content/uploads/2018/02/photo.jpg",
                "https://example.org/wp-content/uploads/2019/02/photo.jpg",
            ),
            (
                "https://example.org/wp-content/uploads/2018/02/photo.jpg",
                "https://example.org/wp-content/uploads/2018/03/photo.jpg",
            ),
            (
                "https://example.org/media/4567/image.jpg",
                "https://example.org/media/4568/image.jpg",
            ),
            (
                "https://cdn.vox-cdn.com/thumbor/mCC2ypkF1QFq7dEwV2LTkz4aZmk=/320x213/cdn.vox-cdn.com/uploads/a.jpg",
                "https://cdn.vox-cdn.com/thumbor/mCC2ypkF1QFq7dEwV2LTkz4aZmk=/320x213/cdn.vox-cdn.com/uploads/b.jpg",
            ),
            (
                "https://upload.wikimedia.org/wikipedia/commons/thumb/3/3e/Flag_of_New_Zealand.svg/23px-Flag_of_New_Zealand.svg.png",
                "https://upload.wikimedia.org/wikipedia/commons/thumb/4/4a/Flag_of_Australia.svg/23px-Flag_of_Australia.svg.png",
            ),
            (
                "https://example.org/my_photos/crash.jpg",
                "https://example.org/crash.jpg",
            ),
            (
                "https://static01.nyt.com/images/2015/03/18/world/18tunisia/18tunisia-master768.jpg",
                "https://static01.nyt.com/images/2015/03/18/world/18libya/18libya-master768.jpg",
            ),
        ] {
            assert!(!same_image(a, b), "{a}\n{b}");
        }
    }

    #[test]
    fn a_tweet_on_x_com_is_the_tweet_on_twitter() {
        let tweet =
            "https://twitter.com/cityofficials/status/1757012345678901234?ref_src=twsrc%5Etfw";
        for same in [
            "https://x.com/cityofficials/status/1757012345678901234",
            "https://mobile.twitter.com/cityofficials/status/1757012345678901234?s=20&t=AbCdEf",
            "https://www.x.com/cityofficials/status/1757012345678901234",
        ] {
            assert!(same_resource(tweet, same, ResourceKind::Link), "{same}");
        }
        for other in [
            "https://x.com/cityofficials/status/1757012345678901235",
            "https://x.com/cityofficials/status/1757012345678901234/photo/1",
            "https://nitter.net/cityofficials/status/1757012345678901234",
        ] {
            assert!(!same_resource(tweet, other, ResourceKind::Link), "{other}");
        }
        // Elsewhere, `s` and `t` are the page's own parameters.
        assert!(!same_resource(
            "https://example.org/search?s=harbour",
            "https://example.org/search",
            ResourceKind::Link
        ));
    }

    #[test]
    fn link_noise_is_the_same_page_but_other_parameters_are_not() {
        let page = "https://www.example.org/2024/05/article/";
        for noisy in [
            "http://example.org/2024/05/article",
            "//www.example.org/2024/05/article/",
            "https://www.example.org/2024/05/article/?utm_source=twitter&utm_medium=social",
            "https://www.example.org/2024/05/article/?fbclid=IwAR0abc&gclid=x&mc_cid=1&mc_eid=2",
            "https://www.example.org/2024/05/article/?igshid=abc&ref=home",
            "https://www.example.org/2024/05/article/?xtor=RSS-3208&CMP=share_btn_tw",
            "https://www.example.org/2024/05/article/?pk_campaign=x&mtm_source=y&ito=z",
            "https://www.example.org:443/2024/05/article/#comments",
            "https://www.example.org/2024/05/%61rticle/",
        ] {
            assert!(same_link(page, noisy), "{noisy}");
        }
        assert!(same_link(
            "https://example.org/search?q=a%2fb&page=2",
            "https://example.org/search?page=2&q=a%2Fb&utm_campaign=x"
        ));
        for other in [
            "https://www.example.org/2024/05/another-article/",
            "https://www.example.org/2024/05/article/?page=2",
            "https://archive.example.org/2024/05/article/",
            "https://www.example.org:8443/2024/05/article/",
        ] {
            assert!(!same_link(page, other), "{other}");
        }
        assert!(!same_link(
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube.com/watch?v=9bZkp7q19f0"
        ));
        // Size suffixes are an image rule: on links they are other pages.
        assert!(!same_link(
            "https://example.org/pics/a-640x426.jpg",
            "https://example.org/pics/a.jpg"
        ));
    }

    #[test]
    fn odd_input_is_compared_as_written() {
        assert!(same_image("file:///C:/site/a.gif", "file:///C|/site/a.gif"));
        assert!(same_link("mailto:a@example.org", "mailto:a@example.org#x"));
        assert!(!same_link("not a url", "not a url either"));
        assert_eq!(resource_key("%", ResourceKind::Link), "%");
        assert_eq!(
            resource_key("https://example.org/a%2", ResourceKind::Link),
            "example.org/a%2"
        );
        assert_eq!(
            resource_key("https://example.org/caf%C3%A9", ResourceKind::Link),
            "example.org/caf%C3%A9"
        );
    }
}
