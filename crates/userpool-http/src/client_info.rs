//! Who is calling, and over what: the client's address (the peer's, or — when the peer is a
//! proxy the operator trusts — the address it forwarded in `X-Forwarded-For`) and whether the
//! request reached the service over https (TLS on this listener, an https public URL in front
//! of it, or `X-Forwarded-Proto: https` from a trusted proxy). A middleware resolves it once
//! per request and puts it in the request's extensions.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;

use crate::config::HttpConfig;
use crate::routes::AppState;

/// The resolved caller of one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ClientInfo {
    /// The client's address, when known (an embedder serving without connect info has none).
    pub(crate) ip: Option<IpAddr>,
    /// The peer's own address (a proxy's, when there is one).
    pub(crate) peer: Option<IpAddr>,
    /// Whether the request reached us over https (cookies get `Secure` and `__Host-`).
    pub(crate) https: bool,
    /// Whether a forwarding header was present at all (from anyone).
    pub(crate) forwarded: bool,
}

impl ClientInfo {
    pub(crate) fn resolve(config: &HttpConfig, peer: Option<IpAddr>, headers: &HeaderMap) -> Self {
        let trusted = peer.is_some_and(|p| config.is_trusted_proxy(p));
        let forwarded = [
            "x-forwarded-for",
            "x-forwarded-proto",
            "forwarded",
            "x-real-ip",
        ]
        .iter()
        .any(|h| headers.contains_key(*h));
        let ip = if trusted {
            forwarded_client(config, headers).or(peer)
        } else {
            peer
        };
        let proxied_https = trusted
            && headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"));
        Self {
            ip,
            peer,
            https: config.https || proxied_https,
            forwarded,
        }
    }
}

/// The client address in `X-Forwarded-For`: walking from the right (the hop nearest us), the
/// first address that is not itself a trusted proxy. Anything unparsable ends the walk.
fn forwarded_client(config: &HttpConfig, headers: &HeaderMap) -> Option<IpAddr> {
    let hops: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|h| h.trim().parse::<IpAddr>().ok())
        .collect::<Option<Vec<_>>>()?;
    let mut last = None;
    for hop in hops.iter().rev() {
        if !config.is_trusted_proxy(*hop) {
            return Some(*hop);
        }
        last = Some(*hop);
    }
    last
}

/// The middleware: resolves the caller and stores it in the request's extensions.
pub(crate) async fn resolve(
    State(state): State<Arc<AppState>>,
    mut request: Request,
    next: Next,
) -> Response {
    note(&state.config, &mut request);
    next.run(request).await
}

/// Resolves who sent `request` (its peer address and, from trusted proxies, the forwarded
/// headers) and notes it in the request's extensions as a [`ClientInfo`].
pub(crate) fn note(config: &HttpConfig, request: &mut Request) {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    let info = ClientInfo::resolve(config, peer, request.headers());
    request.extensions_mut().insert(info);
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn forwarded_headers_count_only_from_trusted_proxies() {
        let config =
            HttpConfig::default().trusted_proxies(vec!["10.0.0.0/8".parse().expect("net")]);
        let peer: IpAddr = "10.1.2.3".parse().expect("ip");
        let stranger: IpAddr = "203.0.113.9".parse().expect("ip");
        let h = headers(&[
            ("x-forwarded-for", "198.51.100.7, 10.9.9.9"),
            ("x-forwarded-proto", "https"),
        ]);
        let via_proxy = ClientInfo::resolve(&config, Some(peer), &h);
        assert_eq!(via_proxy.ip, Some("198.51.100.7".parse().expect("ip")));
        assert!(via_proxy.https);
        let direct = ClientInfo::resolve(&config, Some(stranger), &h);
        assert_eq!(
            direct.ip,
            Some(stranger),
            "a stranger cannot pick its address"
        );
        assert!(!direct.https, "nor claim https");
        assert!(direct.forwarded);
        let spoofed = headers(&[("x-forwarded-for", "1.2.3.4, junk")]);
        assert_eq!(
            ClientInfo::resolve(&config, Some(peer), &spoofed).ip,
            Some(peer),
            "an unparsable chain is ignored"
        );
        let plain = ClientInfo::resolve(&HttpConfig::default(), Some(stranger), &HeaderMap::new());
        assert!(!plain.https && !plain.forwarded);
        let tls = ClientInfo::resolve(&HttpConfig::default().https(true), None, &HeaderMap::new());
        assert!(tls.https);
    }
}
