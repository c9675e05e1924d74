//! Which addresses an untrusted link may reach. With `deny_private`, the
//! link checker refuses loopback, private, link-local (cloud metadata
//! endpoints live there), unique-local, carrier-grade NAT, unspecified,
//! multicast and broadcast addresses: after DNS resolution (a resolver
//! installed in the client) and, for IP literals, before every hop.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Marker placed in the resolver's error so the refusal can be told from a
/// DNS failure when reqwest hands it back.
pub(crate) const DENIED_MARKER: &str = "stet-denied-private-address";

/// True for addresses a public link must never point at.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_private_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private_v4(v4);
            }
            let seg0 = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (seg0 & 0xfe00) == 0xfc00 // unique local fc00::/7 (incl. fd00:ec2::254)
                || (seg0 & 0xffc0) == 0xfe80 // link-local fe80::/10
                || is_nat64_private(v6)
        }
    }
}

fn is_private_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local() // 169.254/16: 169.254.169.254 metadata
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // 100.64/10 carrier-grade NAT
        || (a == 192 && b == 0 && ip.octets()[2] == 0) // 192.0.0/24 IETF (incl. some metadata)
}

/// `64:ff9b::a.b.c.d` (NAT64) pointing at a private IPv4 address.
fn is_nat64_private(v6: Ipv6Addr) -> bool {
    let s = v6.segments();
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        let o = v6.octets();
        return is_private_v4(Ipv4Addr::new(o[12], o[13], o[14], o[15]));
    }
    false
}

/// A resolver that drops private addresses and fails when none is left.
#[derive(Debug, Default)]
pub(crate) struct PublicOnlyResolver;

impl reqwest::dns::Resolve for PublicOnlyResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs: Vec<std::net::SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<std::net::SocketAddr> = addrs
                .iter()
                .copied()
                .filter(|a| !is_private(a.ip()))
                .collect();
            if public.is_empty() {
                let shown = addrs
                    .first()
                    .map_or_else(String::new, |a| a.ip().to_string());
                let err: Box<dyn std::error::Error + Send + Sync> =
                    format!("{DENIED_MARKER} {host} resolves to {shown}").into();
                return Err(err);
            }
            let iter: reqwest::dns::Addrs = Box::new(public.into_iter());
            Ok(iter)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn private(s: &str) -> bool {
        s.parse::<IpAddr>().map(is_private).unwrap_or(false)
    }

    #[test]
    fn private_ranges() {
        for s in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fe80::1",
            "fd00:ec2::254",
            "::ffff:127.0.0.1",
            "64:ff9b::a9fe:a9fe",
        ] {
            assert!(private(s), "{s}");
        }
        for s in [
            "93.184.216.34",
            "2606:2800:220:1::1",
            "8.8.8.8",
            "100.128.0.1",
        ] {
            assert!(!private(s), "{s}");
        }
    }
}
