//! Authorization codes: issued once, bound to everything the request named, redeemed once.

use core::fmt;

use rand_core::CryptoRng;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::authorize::AuthorizeRequest;
use crate::error::{Error, Result};
use crate::pkce::{CodeChallenge, CodeVerifier};

/// How long a code lives (Cognito: five minutes).
pub const CODE_LIFETIME_SECONDS: i64 = 300;

/// The code handed to the client: a secret, zeroized and redacted; single use (not `Clone`),
/// not comparable, not serializable.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct AuthorizationCode(String);

impl AuthorizationCode {
    /// The code as it goes into the redirect.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// A code as the client presents it.
    pub fn from_client(code: &str) -> Self {
        Self(code.to_owned())
    }

    /// The key a code is stored under: SHA-256, so the store never holds the code itself.
    pub fn storage_key(&self) -> [u8; 32] {
        Sha256::digest(self.0.as_bytes()).into()
    }
}

impl fmt::Debug for AuthorizationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuthorizationCode(<redacted>)")
    }
}

/// What a code stands for (stored under [`AuthorizationCode::storage_key`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeRecord {
    /// The client it was issued to.
    pub client_id: String,
    /// The exact redirect URI of the authorization request.
    pub redirect_uri: String,
    /// The PKCE challenge, if the request had one.
    pub code_challenge: Option<CodeChallenge>,
    /// Granted scopes.
    pub scopes: Vec<String>,
    /// The request's `nonce`.
    pub nonce: Option<String>,
    /// The signed-in user (`sub` or internal username; the facade decides).
    pub user: String,
    /// When the user authenticated.
    pub auth_time: i64,
    /// Unix seconds after which it is refused.
    pub expires_at: i64,
}

/// A `grant_type=authorization_code` token request.
#[derive(Debug, Clone)]
pub struct TokenRequest<'a> {
    /// The authenticated (or, for public clients, named) client.
    pub client_id: &'a str,
    /// `redirect_uri`, which must equal the authorization request's.
    pub redirect_uri: Option<&'a str>,
    /// `code_verifier`.
    pub code_verifier: Option<&'a str>,
}

/// Issues a code for a checked request and the user who signed in, at `now`: 128 random
/// bits in UUID form (what Cognito's codes look like).
pub fn issue_code(
    request: &AuthorizeRequest,
    user: &str,
    auth_time: i64,
    now: i64,
    rng: &mut impl CryptoRng,
) -> (AuthorizationCode, CodeRecord) {
    let mut b = [0u8; 16];
    rng.fill_bytes(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let mut code = String::with_capacity(36);
    for (i, x) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            code.push('-');
        }
        code.push_str(&format!("{x:02x}"));
    }
    b.zeroize();
    let record = CodeRecord {
        client_id: request.client_id.clone(),
        redirect_uri: request.redirect_uri.clone(),
        code_challenge: request.code_challenge.clone(),
        scopes: request.scopes.clone(),
        nonce: request.nonce.clone(),
        user: user.to_owned(),
        auth_time,
        expires_at: now + CODE_LIFETIME_SECONDS,
    };
    (AuthorizationCode(code), record)
}

impl CodeRecord {
    /// Redeems the record (already removed from the store, so a second redemption finds
    /// nothing) for `request` at `now`. Every mismatch is `invalid_grant`, except a malformed
    /// verifier, which is `invalid_request`. A verifier sent for a code issued without a
    /// challenge is refused (PKCE downgrade).
    pub fn redeem(self, request: &TokenRequest<'_>, now: i64) -> Result<Self> {
        if now > self.expires_at {
            return Err(Error::InvalidGrant("authorization code has expired"));
        }
        if request.client_id != self.client_id {
            return Err(Error::InvalidGrant(
                "authorization code was issued to another client",
            ));
        }
        if request.redirect_uri != Some(self.redirect_uri.as_str()) {
            return Err(Error::InvalidGrant(
                "redirect_uri does not match the authorization request",
            ));
        }
        match (&self.code_challenge, request.code_verifier) {
            (Some(challenge), Some(v)) => {
                let verifier = CodeVerifier::parse(v)?;
                if !challenge.verify(&verifier) {
                    return Err(Error::InvalidGrant("code_verifier does not match"));
                }
            }
            (Some(_), None) => return Err(Error::InvalidGrant("code_verifier is required")),
            (None, Some(_)) => {
                return Err(Error::InvalidGrant(
                    "code_verifier sent for a code issued without a challenge",
                ));
            }
            (None, None) => {}
        }
        Ok(self)
    }
}
