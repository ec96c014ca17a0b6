//! App clients: auth flows, token validity, attribute permissions, OAuth settings,
//! PreventUserExistenceErrors, and `SECRET_HASH`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::attributes::AttributePermissions;
use crate::error::{Error, Result};
use crate::ids::{ClientId, ClientSecret};

/// `ExplicitAuthFlowsType` (the `ALLOW_*` values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AuthFlow {
    /// `ALLOW_USER_SRP_AUTH`.
    AllowUserSrpAuth,
    /// `ALLOW_USER_PASSWORD_AUTH`.
    AllowUserPasswordAuth,
    /// `ALLOW_ADMIN_USER_PASSWORD_AUTH`.
    AllowAdminUserPasswordAuth,
    /// `ALLOW_CUSTOM_AUTH`.
    AllowCustomAuth,
    /// `ALLOW_REFRESH_TOKEN_AUTH`.
    AllowRefreshTokenAuth,
    /// `ALLOW_USER_AUTH`.
    AllowUserAuth,
}

/// `PreventUserExistenceErrors`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum PreventUserExistenceErrors {
    /// Say when a user does not exist (API default).
    #[default]
    Legacy,
    /// Answer as for a wrong password.
    Enabled,
}

/// A validity with its unit, as `TokenValidityUnits` expresses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ValidityUnit {
    /// `seconds`.
    #[serde(rename = "seconds")]
    Seconds,
    /// `minutes`.
    #[serde(rename = "minutes")]
    Minutes,
    /// `hours`.
    #[serde(rename = "hours")]
    Hours,
    /// `days`.
    #[serde(rename = "days")]
    Days,
}

impl ValidityUnit {
    fn seconds(self) -> u64 {
        match self {
            Self::Seconds => 1,
            Self::Minutes => 60,
            Self::Hours => 3600,
            Self::Days => 86_400,
        }
    }
}

/// Token lifetimes of a client, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenValidity {
    /// Access token (5 min – 1 day, default 1 h).
    pub access: u64,
    /// ID token (5 min – 1 day, default 1 h).
    pub id: u64,
    /// Refresh token (1 h – 3650 days, default 30 days).
    pub refresh: u64,
}

impl Default for TokenValidity {
    fn default() -> Self {
        Self {
            access: 3600,
            id: 3600,
            refresh: 30 * 86_400,
        }
    }
}

impl TokenValidity {
    /// From Cognito's values and units; `refresh` 0 means the default.
    pub fn from_units(
        access: (u64, ValidityUnit),
        id: (u64, ValidityUnit),
        refresh: (u64, ValidityUnit),
    ) -> Result<Self> {
        let mul = |(v, u): (u64, ValidityUnit)| {
            v.checked_mul(u.seconds())
                .ok_or_else(|| Error::InvalidParameter("Token validity out of range".into()))
        };
        let refresh = if refresh.0 == 0 {
            30 * 86_400
        } else {
            mul(refresh)?
        };
        let v = Self {
            access: mul(access)?,
            id: mul(id)?,
            refresh,
        };
        v.validate()?;
        Ok(v)
    }

    /// Checks Cognito's ranges and that refresh tokens outlive access and ID tokens.
    pub fn validate(&self) -> Result<()> {
        let short = 300..=86_400;
        if !short.contains(&self.access) {
            return Err(Error::InvalidParameter("Invalid range for token validity: access token validity must be between 5 minutes and 1 day.".into()));
        }
        if !short.contains(&self.id) {
            return Err(Error::InvalidParameter("Invalid range for token validity: ID token validity must be between 5 minutes and 1 day.".into()));
        }
        if !(3600..=3650 * 86_400).contains(&self.refresh) {
            return Err(Error::InvalidParameter("Invalid range for token validity: refresh token validity must be between 1 hour and 3650 days.".into()));
        }
        if self.refresh <= self.access.max(self.id) {
            return Err(Error::InvalidParameter(
                "Refresh token validity must be greater than access and ID token validity.".into(),
            ));
        }
        Ok(())
    }
}

/// An app client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppClient {
    /// `ClientId`.
    pub id: ClientId,
    /// `ClientName` (1..128).
    pub name: String,
    /// `ClientSecret`, when the client is confidential. In memory only: a stored client carries
    /// it sealed ([`AppClient::sealed_secret`]), which the facade opens when it loads the
    /// client. Serializing a client whose secret is here fails (it is never written in
    /// plaintext: seal it and set this to `None` first). Records written before secrets were
    /// sealed hold it in plaintext under this name: it is read from them (and the facade
    /// re-seals it).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "refuse_plaintext",
        deserialize_with = "legacy_secret"
    )]
    pub secret: Option<ClientSecret>,
    /// The client secret as the facade stores it (encrypted, bound to the client id); opaque
    /// here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed_secret: Option<Vec<u8>>,
    /// `ExplicitAuthFlows`.
    pub explicit_auth_flows: Vec<AuthFlow>,
    /// Token lifetimes.
    pub token_validity: TokenValidity,
    /// `ReadAttributes` / `WriteAttributes`.
    pub attribute_permissions: AttributePermissions,
    /// `CallbackURLs`.
    pub callback_urls: Vec<String>,
    /// `LogoutURLs`.
    pub logout_urls: Vec<String>,
    /// `DefaultRedirectURI` (one of the callback URLs).
    #[serde(default)]
    pub default_redirect_uri: Option<String>,
    /// `AllowedOAuthFlows` (`code`, `implicit`, `client_credentials`).
    pub allowed_oauth_flows: Vec<String>,
    /// `AllowedOAuthScopes`.
    pub allowed_oauth_scopes: Vec<String>,
    /// `AllowedOAuthFlowsUserPoolClient`.
    pub allowed_oauth_flows_user_pool_client: bool,
    /// `SupportedIdentityProviders` (`COGNITO` and the pool's provider names). Clients stored
    /// before federation have none recorded: they mean `COGNITO`.
    #[serde(default)]
    pub supported_identity_providers: Vec<String>,
    /// `PreventUserExistenceErrors`.
    pub prevent_user_existence_errors: PreventUserExistenceErrors,
    /// `EnableTokenRevocation` (default true).
    pub enable_token_revocation: bool,
    /// `EnablePropagateAdditionalUserContextData`: threat protection uses the end user's address
    /// from `UserContextData` (otherwise the caller's own address counts).
    #[serde(default)]
    pub enable_propagate_additional_user_context_data: bool,
    /// `AuthSessionValidity` in minutes (3..15, default 3).
    pub auth_session_validity_minutes: u8,
    /// `RefreshTokenRotation`: `Some` when the feature is `ENABLED` (each refresh returns a new
    /// refresh token and retires the presented one after the grace period).
    #[serde(default)]
    pub refresh_token_rotation: Option<RefreshTokenRotation>,
    /// Created (unix seconds).
    #[serde(default)]
    pub created: i64,
    /// Last modified (unix seconds).
    #[serde(default)]
    pub modified: i64,
}

/// `RefreshTokenRotation` with `Feature = ENABLED`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RefreshTokenRotation {
    /// `RetryGracePeriodSeconds` (0..=60): how long the replaced token still works.
    pub retry_grace_period_seconds: u8,
}

impl AppClient {
    /// A client with Cognito's defaults: SRP, custom auth and refresh enabled, 1 h tokens,
    /// 30-day refresh tokens, revocation on, LEGACY existence errors, 3-minute sessions.
    pub fn new(id: ClientId, name: &str, secret: Option<ClientSecret>) -> Result<Self> {
        if !(1..=128).contains(&name.chars().count()) {
            return Err(crate::error::constraint(
                "clientName",
                Some(name),
                "Member must have length between 1 and 128",
            ));
        }
        Ok(Self {
            id,
            name: name.to_owned(),
            secret,
            sealed_secret: None,
            explicit_auth_flows: vec![
                AuthFlow::AllowRefreshTokenAuth,
                AuthFlow::AllowUserSrpAuth,
                AuthFlow::AllowCustomAuth,
            ],
            token_validity: TokenValidity::default(),
            attribute_permissions: AttributePermissions::default(),
            callback_urls: Vec::new(),
            logout_urls: Vec::new(),
            default_redirect_uri: None,
            allowed_oauth_flows: Vec::new(),
            allowed_oauth_scopes: Vec::new(),
            allowed_oauth_flows_user_pool_client: false,
            supported_identity_providers: Vec::new(),
            prevent_user_existence_errors: PreventUserExistenceErrors::Legacy,
            enable_token_revocation: true,
            enable_propagate_additional_user_context_data: false,
            auth_session_validity_minutes: 3,
            refresh_token_rotation: None,
            created: 0,
            modified: 0,
        })
    }

    /// Checks the settings.
    pub fn validate(&self) -> Result<()> {
        self.token_validity.validate()?;
        if !(3..=15).contains(&self.auth_session_validity_minutes) {
            return Err(crate::error::constraint(
                "authSessionValidity",
                Some(&self.auth_session_validity_minutes.to_string()),
                "Member must have value between 3 and 15",
            ));
        }
        if let Some(bad) = self
            .allowed_oauth_flows
            .iter()
            .find(|f| !matches!(f.as_str(), "code" | "implicit" | "client_credentials"))
        {
            return Err(Error::InvalidParameter(format!(
                "Invalid OAuth flow: {bad}"
            )));
        }
        if self
            .allowed_oauth_flows
            .iter()
            .any(|f| f == "client_credentials")
            && self.secret.is_none()
        {
            return Err(Error::InvalidParameter("client_credentials flow can not be selected if client does not have a client secret.".into()));
        }
        if let Some(rotation) = self.refresh_token_rotation
            && rotation.retry_grace_period_seconds > 60
        {
            return Err(crate::error::constraint(
                "refreshTokenRotation.retryGracePeriodSeconds",
                Some(&rotation.retry_grace_period_seconds.to_string()),
                "Member must have value less than or equal to 60",
            ));
        }
        if self.callback_urls.len() > 100 || self.logout_urls.len() > 100 {
            return Err(Error::InvalidParameter(
                "At most 100 callback and 100 logout URLs.".into(),
            ));
        }
        for url in &self.callback_urls {
            crate::check_registered_url(url, "CallbackURLs")?;
        }
        for url in &self.logout_urls {
            crate::check_registered_url(url, "LogoutURLs")?;
        }
        if let Some(default) = &self.default_redirect_uri {
            crate::check_registered_url(default, "DefaultRedirectURI")?;
            if !self.callback_urls.contains(default) {
                return Err(Error::InvalidParameter(
                    "DefaultRedirectURI must be one of the CallbackURLs.".into(),
                ));
            }
        }
        Ok(())
    }

    /// Whether the client allows `flow`.
    pub fn allows(&self, flow: AuthFlow) -> bool {
        self.explicit_auth_flows.contains(&flow)
    }

    /// Checks a `SECRET_HASH` computed over `username` in constant time. Clients without a
    /// secret need none; with one, a missing hash is refused.
    pub fn check_secret_hash(&self, username: &str, secret_hash: Option<&str>) -> Result<()> {
        let Some(secret) = &self.secret else {
            return Ok(());
        };
        let Some(given) = secret_hash else {
            return Err(Error::NotAuthorized(format!(
                "Client {} is configured with secret but SECRET_HASH was not received",
                self.id
            )));
        };
        let expected = secret_hash_bytes(secret, username, &self.id);
        let given = STANDARD.decode(given).unwrap_or_default();
        if subtle::ConstantTimeEq::ct_eq(expected.as_slice(), given.as_slice()).into() {
            Ok(())
        } else {
            Err(Error::NotAuthorized(format!(
                "Unable to verify secret hash for client {}",
                self.id
            )))
        }
    }
}

/// A client secret is serialized only sealed ([`AppClient::sealed_secret`]).
fn refuse_plaintext<S: serde::Serializer>(
    _: &Option<ClientSecret>,
    _: S,
) -> core::result::Result<S::Ok, S::Error> {
    Err(serde::ser::Error::custom(
        "a client secret is serialized only sealed",
    ))
}

/// Reads the plaintext `secret` of a record written before secrets were sealed.
fn legacy_secret<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> core::result::Result<Option<ClientSecret>, D::Error> {
    let text = zeroize::Zeroizing::new(Option::<String>::deserialize(deserializer)?);
    text.as_deref()
        .map(ClientSecret::parse)
        .transpose()
        .map_err(|_| serde::de::Error::custom("a stored client secret is malformed"))
}

fn secret_hash_bytes(secret: &ClientSecret, username: &str, client_id: &ClientId) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.expose_secret().as_bytes())
        .unwrap_or_else(|_| <Hmac<Sha256> as KeyInit>::new(&Default::default()));
    mac.update(username.as_bytes());
    mac.update(client_id.as_str().as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// `SECRET_HASH = Base64(HMAC-SHA256(client secret, username ‖ client id))`.
pub fn secret_hash(secret: &ClientSecret, username: &str, client_id: &ClientId) -> String {
    STANDARD.encode(secret_hash_bytes(secret, username, client_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vector_h_from_the_spec() {
        let secret = ClientSecret::parse("1k4ph7b2q3v8m9n0c5x6z7l8k9j0h1g2f3d4s5a6p7o8i9u0y")
            .expect("secret");
        let id = ClientId::parse("3n4b5urk1ft4fl3mg5e62d9ado").expect("id");
        assert_eq!(
            secret_hash(&secret, "alice", &id),
            "NIz4bKWxP5TMHVfKAcmWcGRBgiVSFTeo4v8nNk7ChXo="
        );
        let client = AppClient::new(id, "web", Some(secret)).expect("client");
        assert!(
            client
                .check_secret_hash(
                    "alice",
                    Some("NIz4bKWxP5TMHVfKAcmWcGRBgiVSFTeo4v8nNk7ChXo=")
                )
                .is_ok()
        );
        assert_eq!(
            client.check_secret_hash("bob", Some("NIz4bKWxP5TMHVfKAcmWcGRBgiVSFTeo4v8nNk7ChXo=")),
            Err(Error::NotAuthorized(
                "Unable to verify secret hash for client 3n4b5urk1ft4fl3mg5e62d9ado".into()
            ))
        );
        assert!(client.check_secret_hash("alice", None).is_err());
        assert!(
            client
                .check_secret_hash("alice", Some("not base64!"))
                .is_err()
        );
    }

    #[test]
    fn the_secret_is_never_serialized_and_a_plaintext_one_from_before_is_read() {
        let text = "1k4ph7b2q3v8m9n0c5x6z7l8k9j0h1g2f3d4s5a6p7o8i9u0y";
        let secret = ClientSecret::parse(text).expect("secret");
        let mut c = AppClient::new(ClientId::parse("abc").expect("id"), "web", Some(secret))
            .expect("client");
        let refused = serde_json::to_value(&c).expect_err("a plaintext secret");
        assert!(refused.to_string().contains("serialized only sealed"));
        c.secret = None;
        let json = serde_json::to_value(&c).expect("json");
        assert!(json.get("secret").is_none() && json.get("sealed_secret").is_none());

        c.sealed_secret = Some(vec![1, 2, 3]);
        let json = serde_json::to_value(&c).expect("json");
        assert_eq!(json["sealed_secret"], serde_json::json!([1, 2, 3]));
        let stored: AppClient = serde_json::from_value(json.clone()).expect("read back");
        assert_eq!(
            (stored.secret, stored.sealed_secret),
            (None, Some(vec![1, 2, 3]))
        );

        // A record from before secrets were sealed.
        let mut legacy = json;
        legacy
            .as_object_mut()
            .expect("object")
            .remove("sealed_secret");
        legacy["secret"] = text.into();
        let read: AppClient = serde_json::from_value(legacy.clone()).expect("legacy record");
        assert_eq!(
            read.secret.as_ref().map(ClientSecret::expose_secret),
            Some(text)
        );
        assert_eq!(read.sealed_secret, None);
        legacy["secret"] = "short".into();
        assert!(serde_json::from_value::<AppClient>(legacy).is_err());
    }

    #[test]
    fn defaults_and_validity() {
        let c = AppClient::new(ClientId::parse("abc").expect("id"), "app", None).expect("client");
        assert!(c.allows(AuthFlow::AllowUserSrpAuth) && !c.allows(AuthFlow::AllowUserPasswordAuth));
        assert!(c.validate().is_ok());
        assert!(c.check_secret_hash("x", None).is_ok());
        assert!(
            TokenValidity::from_units(
                (60, ValidityUnit::Minutes),
                (1, ValidityUnit::Hours),
                (0, ValidityUnit::Days)
            )
            .is_ok()
        );
        assert!(
            TokenValidity::from_units(
                (2, ValidityUnit::Days),
                (1, ValidityUnit::Hours),
                (30, ValidityUnit::Days)
            )
            .is_err()
        );
        assert!(
            TokenValidity::from_units(
                (1, ValidityUnit::Hours),
                (1, ValidityUnit::Hours),
                (1, ValidityUnit::Hours)
            )
            .is_err()
        );
        assert!(
            TokenValidity::from_units(
                (u64::MAX, ValidityUnit::Days),
                (1, ValidityUnit::Hours),
                (1, ValidityUnit::Days)
            )
            .is_err()
        );
        let mut cc = c;
        cc.allowed_oauth_flows = vec!["client_credentials".into()];
        assert!(cc.validate().is_err());
    }
}
