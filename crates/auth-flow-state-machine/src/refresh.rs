//! `REFRESH_TOKEN_AUTH` / `REFRESH_TOKEN` (and GetTokensFromRefreshToken): the checks on a
//! refresh token the facade looked up by its hash.

use core::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::context::{Account, FlowContext};
use crate::error::{FlowError, Result};
use crate::outcome::Authenticated;

/// A refresh token as presented: zeroized, redacted in `Debug`; not `Clone`, not comparable
/// (it is looked up by its hash), not serializable.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct RefreshToken(String);

impl RefreshToken {
    /// Wraps a presented token.
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    /// The token (hash it to look it up).
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for RefreshToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RefreshToken(<redacted>)")
    }
}

/// What the store knows about a refresh token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefreshGrant<'a> {
    /// The client it was issued to.
    pub client_id: &'a str,
    /// The internal username.
    pub username: &'a str,
    /// Unix second it expires.
    pub expires_at: i64,
    /// Revoked (RevokeToken, GlobalSignOut, reuse detection).
    pub revoked: bool,
    /// The device it is bound to.
    pub device_key: Option<&'a str>,
}

/// A refresh request.
#[derive(Debug)]
pub struct RefreshRequest {
    token: RefreshToken,
    device_key: Option<String>,
}

impl RefreshRequest {
    /// A refresh with `token` and the request's `DEVICE_KEY`.
    pub fn new(token: &str, device_key: Option<String>) -> Self {
        Self::from_token(RefreshToken::new(token), device_key)
    }

    /// A refresh with an already wrapped `token`.
    pub fn from_token(token: RefreshToken, device_key: Option<String>) -> Self {
        Self { token, device_key }
    }

    /// The presented token.
    pub fn token(&self) -> &RefreshToken {
        &self.token
    }

    /// `DEVICE_KEY`, if sent.
    pub fn device_key(&self) -> Option<&str> {
        self.device_key.as_deref()
    }

    /// Checks the stored grant (`None`: no such token) and the user; success names the user and
    /// the device for the new tokens.
    pub fn check<R: ?Sized>(
        self,
        grant: Option<&RefreshGrant<'_>>,
        account: Option<&Account<'_>>,
        cx: &FlowContext<'_, R>,
    ) -> Result<Authenticated> {
        let grant = grant.ok_or(FlowError::InvalidRefreshToken)?;
        if grant.client_id != cx.client.id.as_str() {
            return Err(FlowError::InvalidRefreshToken);
        }
        if grant.revoked {
            return Err(FlowError::RefreshTokenRevoked);
        }
        if cx.now >= grant.expires_at {
            return Err(FlowError::RefreshTokenExpired);
        }
        let account = account
            .filter(|a| a.user.username == grant.username)
            .ok_or(FlowError::InvalidRefreshToken)?;
        if !account.user.enabled {
            return Err(FlowError::UserDisabled);
        }
        if let Some(bound) = grant.device_key
            && self.device_key.as_deref() != Some(bound)
        {
            return Err(FlowError::InvalidRefreshToken);
        }
        Ok(Authenticated::refreshed(
            account.user.username.clone(),
            grant.device_key.map(str::to_owned),
        ))
    }
}

#[cfg(test)]
mod secret_type_tests {
    use super::*;

    static_assertions::assert_not_impl_any!(RefreshToken: serde::Serialize, PartialEq, Clone);
    static_assertions::assert_not_impl_any!(
        crate::PhantomKey: serde::Serialize,
        PartialEq
    );
}
