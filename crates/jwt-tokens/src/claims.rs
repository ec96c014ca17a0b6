//! Cognito's ID-token and access-token claim sets, and PreTokenGeneration overrides.

use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// What a token is for: Cognito's `token_use` claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenUse {
    /// `token_use: id`, `aud` = the app client.
    Id,
    /// `token_use: access`, `client_id` = the app client, no `aud`.
    Access,
}

impl TokenUse {
    /// The claim value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::Access => "access",
        }
    }
}

/// Claims a PreTokenGeneration trigger may not add, override or suppress. Cognito documents
/// `acr amr aud at_hash auth_time azp cognito:username exp iat identities iss jti nbf nonce
/// origin_jti sub token_use`; we also protect what only dedicated fields change
/// (`event_id`, `client_id`, `username`, `scope`, `version`, `device_key`, and the groups and
/// roles claims, which `groupOverrideDetails` replaces). Attempts on these are ignored.
pub const PROTECTED_CLAIMS: [&str; 25] = [
    "acr",
    "amr",
    "aud",
    "at_hash",
    "auth_time",
    "azp",
    "cognito:username",
    "exp",
    "iat",
    "identities",
    "iss",
    "jti",
    "nbf",
    "nonce",
    "origin_jti",
    "sub",
    "token_use",
    "event_id",
    "client_id",
    "username",
    "scope",
    "version",
    "device_key",
    "cognito:groups",
    "cognito:roles",
];

/// ID-token claims that may not take an object or array value (Cognito's V2 rule).
const SCALAR_ONLY: [&str; 4] = [
    "email_verified",
    "phone_number_verified",
    "updated_at",
    "address",
];

/// A PreTokenGeneration response for one token: `claimsToAddOrOverride`, `claimsToSuppress`
/// and, for access tokens (V2), `scopesToAdd` / `scopesToSuppress`. Suppression wins.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClaimOverrides {
    /// Claims to add or replace.
    pub claims_to_add_or_override: Map<String, Value>,
    /// Claims to remove.
    pub claims_to_suppress: Vec<String>,
    /// Scopes to add (access tokens).
    pub scopes_to_add: Vec<String>,
    /// Scopes to remove (access tokens).
    pub scopes_to_suppress: Vec<String>,
}

/// Claims of a Cognito ID token.
#[derive(Debug, Clone, PartialEq)]
pub struct IdTokenClaims {
    /// `sub`: the user's UUID.
    pub sub: String,
    /// `iss`.
    pub iss: String,
    /// `aud`: the app client id.
    pub aud: String,
    /// `cognito:username`: the internal username.
    pub cognito_username: String,
    /// `auth_time`: when the user authenticated (unchanged on refresh).
    pub auth_time: i64,
    /// `iat`.
    pub iat: i64,
    /// `exp`.
    pub exp: i64,
    /// `jti`: unique per token.
    pub jti: String,
    /// `origin_jti`: the sign-in's lineage, shared with the access token and refreshes.
    pub origin_jti: Option<String>,
    /// `event_id`: shared by the ID and access token issued together.
    pub event_id: Option<String>,
    /// `cognito:groups` (omitted when empty).
    pub groups: Vec<String>,
    /// `cognito:roles` (omitted when empty).
    pub roles: Vec<String>,
    /// `cognito:preferred_role`.
    pub preferred_role: Option<String>,
    /// User attributes the client may read, already as claims (see [`attribute_claim`]).
    pub attributes: Map<String, Value>,
    /// `nonce` (OAuth issuance only).
    pub nonce: Option<String>,
    /// `at_hash` (OAuth issuance only).
    pub at_hash: Option<String>,
}

/// Claims of a Cognito access token.
#[derive(Debug, Clone, PartialEq)]
pub struct AccessTokenClaims {
    /// `sub`.
    pub sub: String,
    /// `iss`.
    pub iss: String,
    /// `client_id`.
    pub client_id: String,
    /// `username`: the internal username (`None` for client-credentials tokens, which stand
    /// for the client itself).
    pub username: Option<String>,
    /// `auth_time`.
    pub auth_time: i64,
    /// `iat`.
    pub iat: i64,
    /// `exp`.
    pub exp: i64,
    /// `jti`.
    pub jti: String,
    /// `origin_jti`.
    pub origin_jti: Option<String>,
    /// `event_id`.
    pub event_id: Option<String>,
    /// `cognito:groups` (omitted when empty).
    pub groups: Vec<String>,
    /// `scope`, space-separated on the wire (`aws.cognito.signin.user.admin` for API sign-ins).
    pub scopes: Vec<String>,
    /// `device_key`, when the sign-in used or confirmed a device.
    pub device_key: Option<String>,
    /// `version` (`2` for OAuth-issued tokens).
    pub version: Option<u8>,
}

/// A stored attribute value as Cognito renders it in an ID token: `*_verified` as booleans,
/// `updated_at` as a number, `address` as `{"formatted": …}`, everything else (including every
/// `custom:` attribute) as a string.
pub fn attribute_claim(name: &str, value: &str) -> Value {
    match name {
        "email_verified" | "phone_number_verified" => match value {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            other => Value::String(other.to_owned()),
        },
        "updated_at" => value
            .parse::<i64>()
            .map_or_else(|_| Value::String(value.to_owned()), Value::from),
        "address" => serde_json::json!({ "formatted": value }),
        // A federated user's identities: a JSON array in the attribute, an array in the token.
        "identities" => serde_json::from_str::<Value>(value)
            .ok()
            .filter(Value::is_array)
            .unwrap_or_else(|| Value::String(value.to_owned())),
        _ => Value::String(value.to_owned()),
    }
}

fn put_common(
    m: &mut Map<String, Value>,
    sub: &str,
    iss: &str,
    times: (i64, i64, i64),
    ids: (&str, Option<&String>, Option<&String>),
) {
    let (auth_time, iat, exp) = times;
    let (jti, origin_jti, event_id) = ids;
    m.insert("sub".into(), sub.into());
    m.insert("iss".into(), iss.into());
    if let Some(v) = origin_jti {
        m.insert("origin_jti".into(), v.as_str().into());
    }
    if let Some(v) = event_id {
        m.insert("event_id".into(), v.as_str().into());
    }
    m.insert("auth_time".into(), auth_time.into());
    m.insert("exp".into(), exp.into());
    m.insert("iat".into(), iat.into());
    m.insert("jti".into(), jti.into());
}

fn apply_overrides(
    m: &mut Map<String, Value>,
    overrides: &ClaimOverrides,
    token_use: TokenUse,
) -> Result<()> {
    for (name, value) in &overrides.claims_to_add_or_override {
        if PROTECTED_CLAIMS.contains(&name.as_str()) {
            continue;
        }
        if token_use == TokenUse::Id
            && SCALAR_ONLY.contains(&name.as_str())
            && (value.is_object() || value.is_array())
        {
            return Err(Error::Claims(
                "a verified flag, updated_at or address cannot take a complex value",
            ));
        }
        m.insert(name.clone(), value.clone());
    }
    for name in &overrides.claims_to_suppress {
        if !PROTECTED_CLAIMS.contains(&name.as_str()) {
            m.remove(name);
        }
    }
    Ok(())
}

impl IdTokenClaims {
    /// The claims object, with `overrides` applied (protected claims untouched).
    pub fn to_claims(&self, overrides: Option<&ClaimOverrides>) -> Result<Map<String, Value>> {
        let mut m = Map::new();
        for (name, value) in &self.attributes {
            // `identities` is protected from triggers, not from the user's own attributes.
            if !PROTECTED_CLAIMS.contains(&name.as_str()) || name == "identities" {
                m.insert(name.clone(), value.clone());
            }
        }
        if let Some(o) = overrides {
            apply_overrides(&mut m, o, TokenUse::Id)?;
        }
        put_common(
            &mut m,
            &self.sub,
            &self.iss,
            (self.auth_time, self.iat, self.exp),
            (&self.jti, self.origin_jti.as_ref(), self.event_id.as_ref()),
        );
        m.insert("aud".into(), self.aud.as_str().into());
        m.insert(
            "cognito:username".into(),
            self.cognito_username.as_str().into(),
        );
        m.insert("token_use".into(), "id".into());
        if !self.groups.is_empty() {
            m.insert("cognito:groups".into(), self.groups.clone().into());
        }
        if !self.roles.is_empty() {
            m.insert("cognito:roles".into(), self.roles.clone().into());
        }
        if let Some(r) = &self.preferred_role {
            m.insert("cognito:preferred_role".into(), r.as_str().into());
        }
        if let Some(n) = &self.nonce {
            m.insert("nonce".into(), n.as_str().into());
        }
        if let Some(h) = &self.at_hash {
            m.insert("at_hash".into(), h.as_str().into());
        }
        Ok(m)
    }
}

impl AccessTokenClaims {
    /// The claims object, with `overrides` applied (protected claims untouched; scopes
    /// added, then suppressed).
    pub fn to_claims(&self, overrides: Option<&ClaimOverrides>) -> Result<Map<String, Value>> {
        let mut m = Map::new();
        let mut scopes = self.scopes.clone();
        if let Some(o) = overrides {
            apply_overrides(&mut m, o, TokenUse::Access)?;
            for s in &o.scopes_to_add {
                if !scopes.contains(s) {
                    scopes.push(s.clone());
                }
            }
            scopes.retain(|s| !o.scopes_to_suppress.contains(s));
        }
        put_common(
            &mut m,
            &self.sub,
            &self.iss,
            (self.auth_time, self.iat, self.exp),
            (&self.jti, self.origin_jti.as_ref(), self.event_id.as_ref()),
        );
        m.insert("client_id".into(), self.client_id.as_str().into());
        if let Some(u) = &self.username {
            m.insert("username".into(), u.as_str().into());
        }
        m.insert("token_use".into(), "access".into());
        m.insert("scope".into(), scopes.join(" ").into());
        if !self.groups.is_empty() {
            m.insert("cognito:groups".into(), self.groups.clone().into());
        }
        if let Some(d) = &self.device_key {
            m.insert("device_key".into(), d.as_str().into());
        }
        if let Some(v) = self.version {
            m.insert("version".into(), v.into());
        }
        Ok(m)
    }
}
