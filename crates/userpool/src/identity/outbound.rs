//! Outbound HTTP of the identity component (STS, OIDC discovery, JWKS): bounded answers. The
//! client itself carries the timeouts and the redirect limit (see the builder).

use zeroize::Zeroizing;

use super::error::{IdentityError, IdentityErrorKind};

/// Why an outbound call gave nothing usable; logged by the caller, answered as
/// `ExternalServiceException`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outbound {
    /// No answer in time, or the connection failed.
    Unreachable,
    /// An answer larger than allowed.
    TooLarge,
}

impl Outbound {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Self::Unreachable => "unreachable or too slow",
            Self::TooLarge => "answer too large",
        }
    }
}

/// `ExternalServiceException` with `message`.
pub(crate) fn external(message: impl Into<String>) -> IdentityError {
    IdentityError::new(IdentityErrorKind::ExternalService, message)
}

/// The status and at most `limit` bytes of the body (zeroized when dropped: STS answers hold
/// credentials).
pub(crate) async fn read_bounded(
    response: reqwest::Result<reqwest::Response>,
    limit: usize,
) -> Result<(u16, Zeroizing<Vec<u8>>), Outbound> {
    let mut response = response.map_err(|_| Outbound::Unreachable)?;
    if response
        .content_length()
        .is_some_and(|n| n > u64::try_from(limit).unwrap_or(u64::MAX))
    {
        return Err(Outbound::TooLarge);
    }
    let status = response.status().as_u16();
    let mut body = Zeroizing::new(Vec::new());
    while let Some(chunk) = response.chunk().await.map_err(|_| Outbound::Unreachable)? {
        if body.len() + chunk.len() > limit {
            return Err(Outbound::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok((status, body))
}
