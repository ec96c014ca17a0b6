//! The validation policy: purpose, issuer, client, time and scope — with strict claim types.

use serde_json::{Map, Value};

use crate::claims::TokenUse;
use crate::error::{Error, Result};

/// Largest leeway accepted, in seconds.
pub const MAX_LEEWAY_SECONDS: u32 = 300;
/// Default longest token lifetime accepted: Cognito's ID and access tokens live at most a day.
pub const DEFAULT_MAX_LIFETIME_SECONDS: u32 = 24 * 60 * 60;

/// What a token must be to be accepted. Every check is explicit; nothing is skipped because
/// a claim has an unexpected type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validation {
    issuer: String,
    token_use: TokenUse,
    clients: Vec<String>,
    any_client: bool,
    leeway: u32,
    max_lifetime: u32,
    required_scopes: Vec<String>,
}

impl Validation {
    /// An ID token from `issuer` for the app client `client_id` (checked against `aud`).
    pub fn id_token(issuer: impl Into<String>, client_id: impl Into<String>) -> Self {
        Self::new(issuer, TokenUse::Id).client(client_id)
    }

    /// An access token from `issuer`; name the accepted clients with [`Validation::client`]
    /// (checked against `client_id`) or accept any with [`Validation::any_client`].
    pub fn access_token(issuer: impl Into<String>) -> Self {
        Self::new(issuer, TokenUse::Access)
    }

    fn new(issuer: impl Into<String>, token_use: TokenUse) -> Self {
        Self {
            issuer: issuer.into(),
            token_use,
            clients: Vec::new(),
            any_client: false,
            leeway: 0,
            max_lifetime: DEFAULT_MAX_LIFETIME_SECONDS,
            required_scopes: Vec::new(),
        }
    }

    /// Accepts tokens issued to `client_id` too.
    #[must_use]
    pub fn client(mut self, client_id: impl Into<String>) -> Self {
        self.clients.push(client_id.into());
        self
    }

    /// Accepts tokens for any client of the issuer (the caller checks the client itself).
    #[must_use]
    pub fn any_client(mut self) -> Self {
        self.any_client = true;
        self
    }

    /// Clock-skew leeway for `exp`, `nbf` and `iat`, at most [`MAX_LEEWAY_SECONDS`].
    #[must_use]
    pub fn leeway(mut self, seconds: u32) -> Self {
        self.leeway = seconds.min(MAX_LEEWAY_SECONDS);
        self
    }

    /// The longest remaining lifetime accepted (`exp − now`), default one day: a token that
    /// claims to live longer was not minted by a Cognito-style pool.
    #[must_use]
    pub fn max_lifetime(mut self, seconds: u32) -> Self {
        self.max_lifetime = seconds;
        self
    }

    /// Requires `scope` in an access token (e.g. `aws.cognito.signin.user.admin`).
    #[must_use]
    pub fn require_scope(mut self, scope: impl Into<String>) -> Self {
        self.required_scopes.push(scope.into());
        self
    }

    /// Checks verified claims at unix time `now`.
    pub(crate) fn check(&self, claims: Map<String, Value>, now: i64) -> Result<Claims> {
        let token_use = string(&claims, "token_use")?;
        if token_use != self.token_use.as_str() {
            return Err(Error::WrongTokenUse);
        }
        if string(&claims, "iss")? != self.issuer {
            return Err(Error::WrongIssuer);
        }
        let client = match self.token_use {
            TokenUse::Id => string(&claims, "aud")?,
            TokenUse::Access => string(&claims, "client_id")?,
        };
        if !self.any_client && !self.clients.iter().any(|c| c == client) {
            return Err(Error::WrongAudience);
        }
        string(&claims, "sub")?;
        let leeway = i64::from(self.leeway);
        let exp = integer(&claims, "exp")?.ok_or(Error::MissingClaim("exp"))?;
        // `now` is ours and small; never add to an attacker's number.
        if exp < now.saturating_sub(leeway) {
            return Err(Error::Expired);
        }
        if exp
            > now
                .saturating_add(i64::from(self.max_lifetime))
                .saturating_add(leeway)
        {
            return Err(Error::ExpiryTooFar);
        }
        if integer(&claims, "nbf")?.is_some_and(|nbf| nbf > now.saturating_add(leeway)) {
            return Err(Error::NotYetValid);
        }
        if integer(&claims, "iat")?.is_some_and(|iat| iat > now.saturating_add(leeway)) {
            return Err(Error::IssuedInFuture);
        }
        if self.token_use == TokenUse::Access && !self.required_scopes.is_empty() {
            let scopes: Vec<&str> = string(&claims, "scope")?.split(' ').collect();
            if !self
                .required_scopes
                .iter()
                .all(|s| scopes.contains(&s.as_str()))
            {
                return Err(Error::MissingScope);
            }
        }
        Ok(Claims(claims))
    }
}

/// A required string claim.
fn string<'a>(claims: &'a Map<String, Value>, name: &'static str) -> Result<&'a str> {
    match claims.get(name) {
        None => Err(Error::MissingClaim(name)),
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(Error::InvalidClaimType(name)),
    }
}

/// An optional NumericDate claim: an integer that fits `i64`; floats, strings, `null`,
/// booleans, arrays, objects and out-of-range numbers are type errors.
fn integer(claims: &Map<String, Value>, name: &'static str) -> Result<Option<i64>> {
    match claims.get(name) {
        None => Ok(None),
        Some(Value::Number(n)) if !n.is_f64() => {
            n.as_i64().map(Some).ok_or(Error::InvalidClaimType(name))
        }
        Some(_) => Err(Error::InvalidClaimType(name)),
    }
}

/// The claims of a token that passed verification and validation.
#[derive(Debug, Clone, PartialEq)]
pub struct Claims(Map<String, Value>);

impl Claims {
    /// A claim by name.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name)
    }

    fn str(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(Value::as_str)
    }

    /// `sub`.
    pub fn sub(&self) -> &str {
        self.str("sub").unwrap_or_default()
    }

    /// `token_use`.
    pub fn token_use(&self) -> Option<TokenUse> {
        match self.str("token_use") {
            Some("id") => Some(TokenUse::Id),
            Some("access") => Some(TokenUse::Access),
            _ => None,
        }
    }

    /// The app client: `aud` (ID token) or `client_id` (access token).
    pub fn client_id(&self) -> Option<&str> {
        self.str("client_id").or_else(|| self.str("aud"))
    }

    /// The internal username: `username` (access) or `cognito:username` (ID).
    pub fn username(&self) -> Option<&str> {
        self.str("username")
            .or_else(|| self.str("cognito:username"))
    }

    /// `exp`.
    pub fn exp(&self) -> i64 {
        self.0
            .get("exp")
            .and_then(Value::as_i64)
            .unwrap_or_default()
    }

    /// `iat`, if present.
    pub fn iat(&self) -> Option<i64> {
        self.0.get("iat").and_then(Value::as_i64)
    }

    /// `auth_time`, if present and an integer.
    pub fn auth_time(&self) -> Option<i64> {
        self.0.get("auth_time").and_then(Value::as_i64)
    }

    /// `jti`.
    pub fn jti(&self) -> Option<&str> {
        self.str("jti")
    }

    /// `origin_jti` (for revocation checks).
    pub fn origin_jti(&self) -> Option<&str> {
        self.str("origin_jti")
    }

    /// The access token's scopes.
    pub fn scopes(&self) -> Vec<&str> {
        self.str("scope")
            .map(|s| s.split(' ').filter(|x| !x.is_empty()).collect())
            .unwrap_or_default()
    }

    /// `cognito:groups`.
    pub fn groups(&self) -> Vec<&str> {
        self.0
            .get("cognito:groups")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    /// All claims.
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.0
    }

    /// All claims, owned.
    pub fn into_map(self) -> Map<String, Value> {
        self.0
    }
}
