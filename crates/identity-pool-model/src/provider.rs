//! Identity providers as an identity pool sees them: the names that key `Logins`, role
//! mappings and `amr`, what each one's tokens must look like, and the deployment settings
//! that decide our own issuers.

use std::collections::BTreeMap;

use crate::arn::{OidcProviderArn, SamlProviderArn, is_provider_host};
use crate::error::{Error, Result};
use crate::ids::is_word;

/// Cognito's OpenID-token issuer (GetOpenIdToken's `iss`).
pub const COGNITO_IDENTITY_ISSUER: &str = "https://cognito-identity.amazonaws.com";

/// Deployment settings the pool configuration does not carry: the issuer of our OpenID tokens,
/// the issuer base of self-hosted user pools, and the audiences registered for each IAM OIDC
/// provider (IAM's `ClientIDList`, which Cognito reads from IAM, not from the pool).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    identity_issuer: String,
    user_pool_issuer_base: Option<String>,
    oidc_client_ids: BTreeMap<String, Vec<String>>,
}

impl Settings {
    /// AWS's issuers: OpenID tokens from `https://cognito-identity.amazonaws.com`, user pools
    /// only as `cognito-idp.<region>.amazonaws.com/<poolId>`, no OIDC audiences.
    pub fn new() -> Self {
        Self {
            identity_issuer: COGNITO_IDENTITY_ISSUER.to_owned(),
            user_pool_issuer_base: None,
            oidc_client_ids: BTreeMap::new(),
        }
    }

    /// Our OpenID tokens' issuer (`https://…` or, for loopback development, `http://…`). Its
    /// name without the scheme is the `Logins` key that presents such a token back.
    ///
    /// # Errors
    /// `InvalidParameter` unless it is `http(s)://host[:port][/path]` without a trailing `/`.
    pub fn with_identity_issuer(mut self, issuer: &str) -> Result<Self> {
        strip_scheme(issuer).ok_or_else(|| bad_issuer(issuer))?;
        self.identity_issuer = issuer.to_owned();
        Ok(self)
    }

    /// Also accept self-hosted user pools whose tokens' `iss` is `<base>/<poolId>` (our `self`
    /// issuer mode, e.g. `http://127.0.0.1:9229`); their provider name is the base without
    /// its scheme, `/`, the pool id (`127.0.0.1:9229/us-east-1_AbC123`). The AWS form
    /// `cognito-idp.<region>.amazonaws.com/<poolId>` is always accepted.
    ///
    /// # Errors
    /// `InvalidParameter` unless it is `http(s)://host[:port][/path]` without a trailing `/`.
    pub fn with_user_pool_issuer_base(mut self, base: &str) -> Result<Self> {
        strip_scheme(base).ok_or_else(|| bad_issuer(base))?;
        self.user_pool_issuer_base = Some(base.to_owned());
        Ok(self)
    }

    /// The audiences (client ids) accepted for an OIDC provider. A provider without any
    /// accepts no token.
    #[must_use]
    pub fn with_oidc_client_ids(mut self, arn: &OidcProviderArn, client_ids: Vec<String>) -> Self {
        self.oidc_client_ids
            .insert(arn.provider_name().to_owned(), client_ids);
        self
    }

    /// Our OpenID tokens' issuer.
    pub fn identity_issuer(&self) -> &str {
        &self.identity_issuer
    }

    /// The `Logins` key for our own OpenID tokens (`cognito-identity.amazonaws.com`).
    pub fn identity_provider_name(&self) -> &str {
        strip_scheme(&self.identity_issuer).unwrap_or_default()
    }

    pub(crate) fn oidc_client_ids(&self, provider_name: &str) -> &[String] {
        self.oidc_client_ids
            .get(provider_name)
            .map_or(&[], Vec::as_slice)
    }

    /// Reads a user pool provider name (`CognitoIdentityProviders[].ProviderName`, a `Logins`
    /// key): the AWS form, or the self-hosted form when a base is configured.
    pub fn user_pool_provider(&self, name: &str) -> Option<UserPoolProvider> {
        if let Some(rest) = name.strip_prefix("cognito-idp.")
            && let Some((region, pool)) = rest.split_once(".amazonaws.com/")
            && !region.is_empty()
            && region.bytes().all(|b| is_word(b) || b == b'-')
            && is_user_pool_id(pool)
        {
            return Some(UserPoolProvider {
                name: name.to_owned(),
                user_pool_id: pool.to_owned(),
                issuer: format!("https://{name}"),
            });
        }
        let base = self.user_pool_issuer_base.as_deref()?;
        let pool = name.strip_prefix(strip_scheme(base)?)?.strip_prefix('/')?;
        is_user_pool_id(pool).then(|| UserPoolProvider {
            name: name.to_owned(),
            user_pool_id: pool.to_owned(),
            issuer: format!("{base}/{pool}"),
        })
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self::new()
    }
}

fn bad_issuer(issuer: &str) -> Error {
    Error::InvalidParameter(format!("Invalid issuer: {issuer}"))
}

/// `https://x` or `http://x` → `x`, when `x` is a provider host.
pub(crate) fn strip_scheme(issuer: &str) -> Option<&str> {
    let rest = issuer
        .strip_prefix("https://")
        .or_else(|| issuer.strip_prefix("http://"))?;
    (is_provider_host(rest) && !rest.ends_with('/')).then_some(rest)
}

/// A user pool id: `[\w-]+_[0-9a-zA-Z]+`, at most 55 characters.
fn is_user_pool_id(s: &str) -> bool {
    s.len() <= 55
        && s.split_once('_').is_some_and(|(region, name)| {
            !region.is_empty()
                && region.bytes().all(|b| is_word(b) || b == b'-')
                && !name.is_empty()
                && name.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

/// A Cognito user pool as an identity provider.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UserPoolProvider {
    name: String,
    user_pool_id: String,
    issuer: String,
}

impl UserPoolProvider {
    /// The provider name (`cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The user pool id (`us-east-1_AbC123`).
    pub fn user_pool_id(&self) -> &str {
        &self.user_pool_id
    }

    /// The `iss` its ID tokens carry.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }
}

/// The social providers of `SupportedLoginProviders`, and — our extension for deployments
/// without IAM — any other OIDC issuer host configured there with its client id.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SocialProvider {
    /// `graph.facebook.com`: an access token; the facade resolves it with Facebook.
    Facebook,
    /// `accounts.google.com`: an ID token.
    Google,
    /// `www.amazon.com` (Login with Amazon): an access token; the facade resolves it.
    Amazon,
    /// `appleid.apple.com`: an ID token.
    Apple,
    /// Any other issuer host (`login.example.com`): an ID token with `iss` `https://<host>`.
    OidcHost,
}

impl SocialProvider {
    /// The provider for a `SupportedLoginProviders` key, if the key is one.
    pub fn from_key(key: &str) -> Option<Self> {
        match key {
            "graph.facebook.com" => Some(Self::Facebook),
            "accounts.google.com" => Some(Self::Google),
            "www.amazon.com" => Some(Self::Amazon),
            "appleid.apple.com" => Some(Self::Apple),
            _ if is_provider_host(key) && key.contains('.') => Some(Self::OidcHost),
            _ => None,
        }
    }

    /// Whether `Logins` carries an ID token (whose `iss` and `aud` we check) rather than an
    /// opaque access token the facade exchanges for the user's id and the app's id.
    pub fn sends_id_token(self) -> bool {
        match self {
            Self::Google | Self::Apple | Self::OidcHost => true,
            Self::Facebook | Self::Amazon => false,
        }
    }

    /// The `iss` values its ID tokens may carry (Google issues both spellings).
    pub(crate) fn issuers(self, name: &str) -> Vec<String> {
        match self {
            Self::Google => vec![
                "https://accounts.google.com".to_owned(),
                "accounts.google.com".to_owned(),
            ],
            Self::Apple | Self::OidcHost => vec![format!("https://{name}")],
            Self::Facebook | Self::Amazon => Vec::new(),
        }
    }
}

/// Which provider a `Logins` key names, for one pool.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Provider {
    /// A Cognito user pool (`CognitoIdentityProviders`).
    UserPool(UserPoolProvider),
    /// A `SupportedLoginProviders` entry: the provider, its key and its app (client) id.
    Social {
        /// Which one.
        provider: SocialProvider,
        /// The key (`accounts.google.com`).
        name: String,
        /// The configured app id.
        app_id: String,
    },
    /// An IAM OIDC provider (`OpenIdConnectProviderARNs`), keyed by its name.
    Oidc(OidcProviderArn),
    /// An IAM SAML provider (`SamlProviderARNs`), keyed by its ARN.
    Saml(SamlProviderArn),
    /// The pool's `DeveloperProviderName`.
    Developer(String),
    /// Our own OpenID token (`cognito-identity.amazonaws.com`), as the developer flow sends it
    /// to GetCredentialsForIdentity.
    CognitoIdentity(String),
}

impl Provider {
    /// The provider's name: its `Logins` key.
    pub fn name(&self) -> &str {
        match self {
            Self::UserPool(p) => p.name(),
            Self::Social { name, .. } | Self::Developer(name) | Self::CognitoIdentity(name) => name,
            Self::Oidc(arn) => arn.provider_name(),
            Self::Saml(arn) => arn.as_str(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_pool_provider_names() {
        let settings = Settings::new();
        let p = settings
            .user_pool_provider("cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123")
            .unwrap();
        assert_eq!(p.user_pool_id(), "us-east-1_AbC123");
        assert_eq!(
            p.issuer(),
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123"
        );
        for bad in [
            "cognito-idp.us-east-1.amazonaws.com/",
            "cognito-idp.us-east-1.amazonaws.com/us-east-1-AbC",
            "cognito-idp..amazonaws.com/us-east-1_AbC",
            "127.0.0.1:9229/us-east-1_AbC123",
        ] {
            assert_eq!(settings.user_pool_provider(bad), None, "{bad}");
        }
        let hosted = Settings::new()
            .with_user_pool_issuer_base("http://127.0.0.1:9229")
            .unwrap();
        let p = hosted
            .user_pool_provider("127.0.0.1:9229/us-east-1_AbC123")
            .unwrap();
        assert_eq!(p.issuer(), "http://127.0.0.1:9229/us-east-1_AbC123");
        assert!(
            hosted
                .user_pool_provider("127.0.0.1:9230/us-east-1_AbC123")
                .is_none()
        );
        // The AWS form still works beside it.
        assert!(
            hosted
                .user_pool_provider("cognito-idp.eu-west-1.amazonaws.com/eu-west-1_X1")
                .is_some()
        );
    }

    #[test]
    fn issuers_must_be_urls() {
        assert_eq!(
            Settings::new().identity_provider_name(),
            "cognito-identity.amazonaws.com"
        );
        let s = Settings::new()
            .with_identity_issuer("https://id.example.com/identity")
            .unwrap();
        assert_eq!(s.identity_provider_name(), "id.example.com/identity");
        for bad in [
            "id.example.com",
            "https://",
            "https://a b",
            "ftp://x",
            "https://x/",
        ] {
            assert_eq!(
                Settings::new().with_identity_issuer(bad),
                Err(Error::InvalidParameter(format!("Invalid issuer: {bad}")))
            );
        }
    }

    #[test]
    fn social_keys() {
        assert_eq!(
            SocialProvider::from_key("graph.facebook.com"),
            Some(SocialProvider::Facebook)
        );
        assert_eq!(
            SocialProvider::from_key("appleid.apple.com"),
            Some(SocialProvider::Apple)
        );
        assert_eq!(
            SocialProvider::from_key("login.example.com"),
            Some(SocialProvider::OidcHost)
        );
        assert_eq!(SocialProvider::from_key("localhost"), None);
        assert_eq!(SocialProvider::from_key("a b.com"), None);
        assert!(!SocialProvider::Facebook.sends_id_token());
        assert_eq!(
            SocialProvider::Google.issuers("accounts.google.com"),
            ["https://accounts.google.com", "accounts.google.com"]
        );
    }
}
