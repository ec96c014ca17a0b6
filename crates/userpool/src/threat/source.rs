//! The address a request came from, as the adapter saw it: threat protection's default when a
//! request carries no context data (or one it may not trust).

use std::future::Future;
use std::net::IpAddr;

tokio::task_local! {
    static SOURCE_IP: Option<IpAddr>;
}

/// Runs `work` with `ip` as the address its requests came from (the HTTP adapter's peer, or
/// the client address a trusted proxy named). Threat protection scores sign-ins by it unless
/// an Admin* request's `ContextData` — or a `UserContextData` from a client with
/// `EnablePropagateAdditionalUserContextData` — names the end user's.
pub async fn with_source_ip<F: Future>(ip: Option<IpAddr>, work: F) -> F::Output {
    SOURCE_IP.scope(ip, work).await
}

/// The address set by [`with_source_ip`] for the running request, if any.
pub(crate) fn source_ip() -> Option<IpAddr> {
    SOURCE_IP.try_with(|ip| *ip).ok().flatten()
}
