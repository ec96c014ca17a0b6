//! `ProviderDetails`: Cognito's string map, checked per provider type, with the social
//! presets filled in and the secrets (`client_secret`, Apple's `private_key`) held apart.

use std::collections::BTreeMap;
use std::fmt;

use subtle::ConstantTimeEq as _;
use zeroize::Zeroizing;

use crate::error::{Result, invalid};
use crate::presets::{default_jwks_uri, preset};
use crate::provider::ProviderType;

/// The detail keys that are secrets: stored sealed, never described in plain text.
pub const SECRET_KEYS: [&str; 2] = ["client_secret", "private_key"];

/// What DescribeIdentityProvider shows instead of a secret. (?) Cognito's exact masking is
/// unconfirmed; an update that sends this value back (or omits the key) keeps the secret.
pub const SECRET_MASK: &str = "*****";

/// A provider secret (`client_secret`, `private_key`): zeroized, redacted in `Debug`,
/// compared in constant time, never serialized.
#[derive(Clone)]
pub struct ProviderSecret(Zeroizing<String>);

impl ProviderSecret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Self(Zeroizing::new(value.into()))
    }

    /// The secret text.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl PartialEq for ProviderSecret {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
    }
}

impl Eq for ProviderSecret {}

impl fmt::Debug for ProviderSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ProviderSecret(<redacted>)")
    }
}

/// How the provider's user-info endpoint is called (`attributes_request_method`), and how
/// Cognito calls token endpoints (`token_request_method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestMethod {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
}

/// Where the provider's endpoints are. `None` for an OIDC provider's endpoint that its
/// discovery document must supply.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Endpoints {
    /// `authorize_url`.
    pub authorize_url: Option<String>,
    /// `token_url`.
    pub token_url: Option<String>,
    /// `attributes_url` (user info / profile).
    pub attributes_url: Option<String>,
    /// `jwks_uri`.
    pub jwks_uri: Option<String>,
    /// `oidc_issuer`: the ID tokens' `iss`.
    pub issuer: Option<String>,
}

impl Endpoints {
    /// Whether an OIDC discovery document is needed to sign in.
    pub fn incomplete(&self, id_tokens: bool) -> bool {
        self.authorize_url.is_none()
            || self.token_url.is_none()
            || (id_tokens && self.jwks_uri.is_none())
    }
}

/// Keys a type accepts (besides the secrets it takes).
fn allowed_keys(t: ProviderType) -> &'static [&'static str] {
    const URLS: [&str; 7] = [
        "authorize_url",
        "token_url",
        "attributes_url",
        "jwks_uri",
        "oidc_issuer",
        "attributes_url_add_attributes",
        "token_request_method",
    ];
    match t {
        ProviderType::Oidc => &[
            "client_id",
            "client_secret",
            "authorize_scopes",
            "attributes_request_method",
            "authorize_url",
            "token_url",
            "attributes_url",
            "jwks_uri",
            "oidc_issuer",
            "attributes_url_add_attributes",
            "token_request_method",
        ],
        ProviderType::Facebook => &[
            "client_id",
            "client_secret",
            "authorize_scopes",
            "api_version",
            URLS[0],
            URLS[1],
            URLS[2],
            URLS[3],
            URLS[4],
            URLS[5],
            URLS[6],
        ],
        ProviderType::SignInWithApple => &[
            "client_id",
            "team_id",
            "key_id",
            "private_key",
            "authorize_scopes",
            URLS[0],
            URLS[1],
            URLS[2],
            URLS[3],
            URLS[4],
            URLS[5],
            URLS[6],
        ],
        ProviderType::Saml => &SAML_KEYS,
        ProviderType::Google | ProviderType::LoginWithAmazon => &[
            "client_id",
            "client_secret",
            "authorize_scopes",
            URLS[0],
            URLS[1],
            URLS[2],
            URLS[3],
            URLS[4],
            URLS[5],
            URLS[6],
        ],
    }
}

fn required_keys(t: ProviderType) -> &'static [&'static str] {
    match t {
        ProviderType::Oidc => &[
            "client_id",
            "authorize_scopes",
            "attributes_request_method",
            "oidc_issuer",
        ],
        ProviderType::SignInWithApple => &[
            "client_id",
            "team_id",
            "key_id",
            "private_key",
            "authorize_scopes",
        ],
        ProviderType::Saml => &[],
        _ => &["client_id", "client_secret", "authorize_scopes"],
    }
}

/// A SAML provider's keys (as the CDK's `UserPoolIdentityProviderSaml` writes them).
pub const SAML_KEYS: [&str; 6] = [
    "MetadataFile",
    "MetadataURL",
    "IDPSignout",
    "IDPInit",
    "EncryptedResponses",
    "RequestSigningAlgorithm",
];

/// A SAML provider's own rules: exactly one of `MetadataFile` and `MetadataURL` (an https
/// URL), the flags `true`/`false`, `RequestSigningAlgorithm` `rsa-sha256`. Whether the
/// metadata itself is usable is the SAML layer's to say.
fn check_saml(map: &BTreeMap<String, String>) -> Result<()> {
    match (map.get("MetadataFile"), map.get("MetadataURL")) {
        (Some(_), Some(_)) => {
            return Err(invalid(
                "ProviderDetails for provider type SAML must contain either MetadataFile or MetadataURL, not both.",
            ));
        }
        (None, None) => {
            return Err(invalid(
                "ProviderDetails for provider type SAML must contain MetadataFile or MetadataURL.",
            ));
        }
        (None, Some(url)) if !valid_url(url) => {
            return Err(invalid("ProviderDetails MetadataURL must be an https URL."));
        }
        _ => {}
    }
    for key in ["IDPSignout", "IDPInit", "EncryptedResponses"] {
        if let Some(v) = map.get(key)
            && v != "true"
            && v != "false"
        {
            return Err(invalid(format!(
                "ProviderDetails {key} must be true or false."
            )));
        }
    }
    if let Some(v) = map.get("RequestSigningAlgorithm")
        && v != "rsa-sha256"
    {
        return Err(invalid(
            "ProviderDetails RequestSigningAlgorithm must be rsa-sha256.",
        ));
    }
    Ok(())
}

/// An absolute `https` URL, or `http` on a loopback host (local providers and tests).
pub fn valid_url(url: &str) -> bool {
    let rest = if let Some(r) = url.strip_prefix("https://") {
        r
    } else if let Some(r) = url.strip_prefix("http://") {
        let host = r.split(['/', '?', '#']).next().unwrap_or_default();
        let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
        if !matches!(host, "127.0.0.1" | "localhost" | "[::1]") {
            return false;
        }
        r
    } else {
        return false;
    };
    !rest.is_empty()
        && !rest.starts_with('/')
        && url.len() <= 2048
        && !url.chars().any(|c| c.is_control() || c.is_whitespace())
}

/// A provider's checked details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderDetails {
    provider_type: ProviderType,
    public: BTreeMap<String, String>,
    secrets: BTreeMap<String, ProviderSecret>,
}

impl ProviderDetails {
    /// Checks `map` (the wire `ProviderDetails`) for `provider_type`: only the type's keys,
    /// the required ones present and non-empty, URLs absolute (`https`, or `http` on
    /// loopback), `attributes_request_method` `GET`/`POST`; a social provider's Cognito
    /// endpoints are filled in where the map does not override them.
    pub fn parse(provider_type: ProviderType, map: &BTreeMap<String, String>) -> Result<Self> {
        let allowed = allowed_keys(provider_type);
        if let Some(key) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
            return Err(invalid(format!(
                "Invalid ProviderDetails key {key} for provider type {}.",
                provider_type.as_str()
            )));
        }
        for key in required_keys(provider_type) {
            if map.get(*key).is_none_or(|v| v.trim().is_empty()) {
                return Err(invalid(format!(
                    "ProviderDetails for provider type {} must contain {key}.",
                    provider_type.as_str()
                )));
            }
        }
        if provider_type == ProviderType::Saml {
            check_saml(map)?;
        }
        let mut public = BTreeMap::new();
        for (k, v) in preset(provider_type, map.get("api_version").map(String::as_str)) {
            public.insert(k.to_owned(), v);
        }
        let mut secrets = BTreeMap::new();
        for (k, v) in map {
            if v.len() > 131_072
                || (k != "private_key" && k != "MetadataFile" && v.chars().any(char::is_control))
            {
                return Err(invalid(format!(
                    "Invalid value for ProviderDetails key {k}."
                )));
            }
            if SECRET_KEYS.contains(&k.as_str()) {
                secrets.insert(k.clone(), ProviderSecret::new(v.clone()));
            } else {
                public.insert(k.clone(), v.clone());
            }
        }
        for key in [
            "authorize_url",
            "token_url",
            "attributes_url",
            "jwks_uri",
            "oidc_issuer",
        ] {
            if let Some(url) = public.get(key)
                && !valid_url(url)
            {
                return Err(invalid(format!(
                    "ProviderDetails {key} must be an https URL."
                )));
            }
        }
        for key in ["attributes_request_method", "token_request_method"] {
            if let Some(m) = public.get(key)
                && m != "GET"
                && m != "POST"
            {
                return Err(invalid(format!(
                    "ProviderDetails {key} must be GET or POST."
                )));
            }
        }
        if let Some(v) = public.get("attributes_url_add_attributes")
            && v != "true"
            && v != "false"
        {
            return Err(invalid(
                "ProviderDetails attributes_url_add_attributes must be true or false.",
            ));
        }
        Ok(Self {
            provider_type,
            public,
            secrets,
        })
    }

    /// Like [`parse`](Self::parse) for UpdateIdentityProvider: a secret the update omits, or
    /// sends back as [`SECRET_MASK`], keeps its value from `previous`.
    pub fn parse_update(
        provider_type: ProviderType,
        map: &BTreeMap<String, String>,
        previous: &Self,
    ) -> Result<Self> {
        let mut merged = map.clone();
        for (k, v) in &previous.secrets {
            let keep = merged.get(k).is_none_or(|sent| sent == SECRET_MASK);
            if keep && allowed_keys(provider_type).contains(&k.as_str()) {
                merged.insert(k.clone(), v.expose_secret().to_owned());
            }
        }
        Self::parse(provider_type, &merged)
    }

    /// The type.
    pub fn provider_type(&self) -> ProviderType {
        self.provider_type
    }

    /// Every detail that is not a secret (Cognito's preset keys included).
    pub fn public(&self) -> &BTreeMap<String, String> {
        &self.public
    }

    /// The secrets by key.
    pub fn secrets(&self) -> &BTreeMap<String, ProviderSecret> {
        &self.secrets
    }

    /// A secret by key.
    pub fn secret(&self, key: &str) -> Option<&ProviderSecret> {
        self.secrets.get(key)
    }

    /// The details as DescribeIdentityProvider shows them: secrets as [`SECRET_MASK`].
    pub fn described(&self) -> BTreeMap<String, String> {
        let mut out = self.public.clone();
        for k in self.secrets.keys() {
            out.insert(k.clone(), SECRET_MASK.to_owned());
        }
        out
    }

    /// A public detail.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.public.get(key).map(String::as_str)
    }

    /// `client_id` at the provider.
    pub fn client_id(&self) -> &str {
        self.get("client_id").unwrap_or_default()
    }

    /// `authorize_scopes`, verbatim (sent as `scope`).
    pub fn authorize_scopes(&self) -> &str {
        self.get("authorize_scopes").unwrap_or_default()
    }

    /// Whether `openid` is among the scopes (separated by spaces or commas).
    pub fn requests_openid(&self) -> bool {
        self.authorize_scopes()
            .split([' ', ','])
            .any(|s| s.trim() == "openid")
    }

    /// `attributes_request_method` (GET by default).
    pub fn attributes_request_method(&self) -> RequestMethod {
        match self.get("attributes_request_method") {
            Some("POST") => RequestMethod::Post,
            _ => RequestMethod::Get,
        }
    }

    /// `token_request_method` (POST by default; Facebook's preset is GET).
    pub fn token_request_method(&self) -> RequestMethod {
        match self.get("token_request_method") {
            Some("GET") => RequestMethod::Get,
            _ => RequestMethod::Post,
        }
    }

    /// A SAML flag (`IDPSignout`, `IDPInit`, `EncryptedResponses`): whether it is `true`.
    pub fn flag(&self, key: &str) -> bool {
        self.get(key) == Some("true")
    }

    /// The configured endpoints (presets and overrides).
    pub fn endpoints(&self) -> Endpoints {
        let url = |k: &str| self.get(k).map(str::to_owned);
        Endpoints {
            authorize_url: url("authorize_url"),
            token_url: url("token_url"),
            attributes_url: url("attributes_url"),
            jwks_uri: url("jwks_uri")
                .or_else(|| default_jwks_uri(self.provider_type).map(str::to_owned)),
            issuer: url("oidc_issuer"),
        }
    }
}

#[cfg(test)]
#[path = "details_tests.rs"]
mod tests;
