//! An identity pool's configuration (CreateIdentityPool / UpdateIdentityPool /
//! DescribeIdentityPool's `IdentityPool` shape) and its validation.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::arn::{OidcProviderArn, SamlProviderArn};
use crate::error::{Error, Result, constraint, length};
use crate::ids::{IdentityPoolId, is_word};
use crate::provider::{Settings, SocialProvider};

/// Most `SupportedLoginProviders` entries (`IdentityProviders` map, `max` 10).
pub const MAX_SUPPORTED_LOGIN_PROVIDERS: usize = 10;
/// Most tags on a pool ("An identity pool can have as many as 50 tags", TagResource).
pub const MAX_TAGS: usize = 50;

/// A user pool app client an identity pool accepts tokens from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CognitoIdentityProvider {
    /// `cognito-idp.<region>.amazonaws.com/<poolId>` (or the self-hosted
    /// `<host>/<poolId>`, see [`Settings::with_user_pool_issuer_base`]).
    pub provider_name: String,
    /// The app client id (`[\w_]+`, 1..=128): the ID token's `aud`.
    pub client_id: String,
    /// Check with the user pool that the user is not signed out or deleted (the facade's
    /// job; carried here as configuration).
    #[serde(default)]
    pub server_side_token_check: bool,
}

/// An identity pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityPool {
    /// `IdentityPoolId`.
    pub identity_pool_id: IdentityPoolId,
    /// `IdentityPoolName`: 1..=128, `[\w\s+=,.@-]+`.
    pub identity_pool_name: String,
    /// `AllowUnauthenticatedIdentities` (required on create).
    pub allow_unauthenticated_identities: bool,
    /// `AllowClassicFlow`: GetOpenIdToken + STS by the client itself (off by default).
    #[serde(default)]
    pub allow_classic_flow: bool,
    /// `SupportedLoginProviders`: provider key → app id (≤ 10).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub supported_login_providers: BTreeMap<String, String>,
    /// `DeveloperProviderName`: 1..=128, `[\w._-]+`; cannot change once set (the facade's
    /// check, see [`IdentityPool::check_update`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub developer_provider_name: Option<String>,
    /// `OpenIdConnectProviderARNs`.
    #[serde(
        default,
        rename = "OpenIdConnectProviderARNs",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub open_id_connect_provider_arns: Vec<OidcProviderArn>,
    /// `CognitoIdentityProviders`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cognito_identity_providers: Vec<CognitoIdentityProvider>,
    /// `SamlProviderARNs`.
    #[serde(
        default,
        rename = "SamlProviderARNs",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub saml_provider_arns: Vec<SamlProviderArn>,
    /// `IdentityPoolTags` (≤ 50; key 1..=128, value 0..=256).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub identity_pool_tags: BTreeMap<String, String>,
}

impl IdentityPool {
    /// A pool with no providers.
    ///
    /// # Errors
    /// `InvalidParameter` if the name breaks Cognito's rule.
    pub fn new(
        identity_pool_id: IdentityPoolId,
        identity_pool_name: &str,
        allow_unauthenticated_identities: bool,
    ) -> Result<Self> {
        check_name(identity_pool_name)?;
        Ok(Self {
            identity_pool_id,
            identity_pool_name: identity_pool_name.to_owned(),
            allow_unauthenticated_identities,
            allow_classic_flow: false,
            supported_login_providers: BTreeMap::new(),
            developer_provider_name: None,
            open_id_connect_provider_arns: Vec::new(),
            cognito_identity_providers: Vec::new(),
            saml_provider_arns: Vec::new(),
            identity_pool_tags: BTreeMap::new(),
        })
    }

    /// Checks the whole configuration. Every provider must be recognisable under `settings`
    /// and no name may stand for two providers.
    ///
    /// # Errors
    /// `InvalidParameter` with the first rule broken.
    pub fn validate(&self, settings: &Settings) -> Result<()> {
        check_name(&self.identity_pool_name)?;
        let mut names = BTreeSet::new();
        let mut claim = |name: &str| {
            if names.insert(name.to_owned()) {
                Ok(())
            } else {
                Err(Error::InvalidParameter(format!(
                    "The provider {name} is configured more than once."
                )))
            }
        };
        self.check_login_providers()?;
        for key in self.supported_login_providers.keys() {
            claim(key)?;
        }
        if let Some(dev) = &self.developer_provider_name {
            check_developer_provider_name(dev)?;
            claim(dev)?;
        }
        let mut user_pools = BTreeSet::new();
        let mut pairs = BTreeSet::new();
        for p in &self.cognito_identity_providers {
            check_cognito_identity_provider(p, settings)?;
            if !pairs.insert((&p.provider_name, &p.client_id)) {
                return Err(Error::InvalidParameter(format!(
                    "The provider {} is configured more than once with client {}.",
                    p.provider_name, p.client_id
                )));
            }
            user_pools.insert(p.provider_name.as_str());
        }
        for name in user_pools {
            claim(name)?;
        }
        for arn in &self.open_id_connect_provider_arns {
            claim(arn.provider_name())?;
        }
        for arn in &self.saml_provider_arns {
            claim(arn.as_str())?;
        }
        claim(settings.identity_provider_name())?;
        self.check_tags()
    }

    /// Rules for an update of `self` into `next`: the id stays, and a developer provider
    /// name, once set, never changes ("Once you have set a developer provider name, you
    /// cannot change it").
    ///
    /// # Errors
    /// `InvalidParameter`.
    pub fn check_update(&self, next: &Self) -> Result<()> {
        if next.identity_pool_id != self.identity_pool_id {
            return Err(Error::InvalidParameter(
                "IdentityPoolId cannot be changed.".to_owned(),
            ));
        }
        match (&self.developer_provider_name, &next.developer_provider_name) {
            (Some(old), new) if new.as_ref() != Some(old) => Err(Error::InvalidParameter(
                "Developer provider name cannot be changed once set.".to_owned(),
            )),
            _ => Ok(()),
        }
    }

    /// The app client ids configured for the user pool provider `provider_name`.
    pub fn user_pool_clients<'a>(
        &'a self,
        provider_name: &'a str,
    ) -> impl Iterator<Item = &'a str> {
        self.cognito_identity_providers
            .iter()
            .filter(move |p| p.provider_name == provider_name)
            .map(|p| p.client_id.as_str())
    }

    fn check_login_providers(&self) -> Result<()> {
        let n = self.supported_login_providers.len();
        if n > MAX_SUPPORTED_LOGIN_PROVIDERS {
            return Err(length(
                "supportedLoginProviders",
                None,
                0,
                MAX_SUPPORTED_LOGIN_PROVIDERS,
                n,
            ));
        }
        for (key, app_id) in &self.supported_login_providers {
            if !(1..=128).contains(&key.len()) {
                return Err(length(
                    "supportedLoginProviders",
                    Some(key),
                    1,
                    128,
                    key.len(),
                ));
            }
            if SocialProvider::from_key(key).is_none() {
                return Err(Error::InvalidParameter(format!(
                    "{key} is not a supported login provider."
                )));
            }
            if !(1..=128).contains(&app_id.len()) {
                return Err(length(
                    "supportedLoginProviders",
                    Some(app_id),
                    1,
                    128,
                    app_id.len(),
                ));
            }
            if !app_id.bytes().all(|b| is_word(b) || b".;_/-".contains(&b)) {
                return Err(constraint(
                    "supportedLoginProviders",
                    Some(app_id),
                    "Member must satisfy regular expression pattern: [\\w.;_/-]+",
                ));
            }
        }
        Ok(())
    }

    fn check_tags(&self) -> Result<()> {
        let n = self.identity_pool_tags.len();
        if n > MAX_TAGS {
            return Err(length("identityPoolTags", None, 0, MAX_TAGS, n));
        }
        for (key, value) in &self.identity_pool_tags {
            if !(1..=128).contains(&key.len()) {
                return Err(length("identityPoolTags", Some(key), 1, 128, key.len()));
            }
            if value.len() > 256 {
                return Err(length("identityPoolTags", Some(value), 0, 256, value.len()));
            }
        }
        Ok(())
    }
}

/// `IdentityPoolName`: 1..=128 characters of `[\w\s+=,.@-]`.
fn check_name(name: &str) -> Result<()> {
    if !(1..=128).contains(&name.len()) {
        return Err(length("identityPoolName", Some(name), 1, 128, name.len()));
    }
    let ok = name
        .bytes()
        .all(|b| is_word(b) || b" \t\n\x0B\x0C\r+=,.@-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(constraint(
            "identityPoolName",
            Some(name),
            "Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+",
        ))
    }
}

/// `DeveloperProviderName`: 1..=128 characters of `[\w._-]`.
pub(crate) fn check_developer_provider_name(name: &str) -> Result<()> {
    if !(1..=128).contains(&name.len()) {
        return Err(length(
            "developerProviderName",
            Some(name),
            1,
            128,
            name.len(),
        ));
    }
    if name.bytes().all(|b| is_word(b) || b"._-".contains(&b)) {
        Ok(())
    } else {
        Err(constraint(
            "developerProviderName",
            Some(name),
            "Member must satisfy regular expression pattern: [\\w._-]+",
        ))
    }
}

fn check_cognito_identity_provider(p: &CognitoIdentityProvider, settings: &Settings) -> Result<()> {
    let name = &p.provider_name;
    if !(1..=128).contains(&name.len()) {
        return Err(length(
            "cognitoIdentityProviders.providerName",
            Some(name),
            1,
            128,
            name.len(),
        ));
    }
    if !name.bytes().all(|b| is_word(b) || b"._:/-".contains(&b)) {
        return Err(constraint(
            "cognitoIdentityProviders.providerName",
            Some(name),
            "Member must satisfy regular expression pattern: [\\w._:/-]+",
        ));
    }
    if settings.user_pool_provider(name).is_none() {
        return Err(Error::InvalidParameter(format!(
            "Invalid Cognito Identity Provider: {name}"
        )));
    }
    let client = &p.client_id;
    if !(1..=128).contains(&client.len()) {
        return Err(length(
            "cognitoIdentityProviders.clientId",
            Some(client),
            1,
            128,
            client.len(),
        ));
    }
    if !client.bytes().all(is_word) {
        return Err(constraint(
            "cognitoIdentityProviders.clientId",
            Some(client),
            "Member must satisfy regular expression pattern: [\\w_]+",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const UP: &str = "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123";

    fn pool() -> IdentityPool {
        IdentityPool::new(
            IdentityPoolId::parse("us-east-1:4a1c8bd2-3f57-4a3e-9b0b-5d8c1c7e2f10").unwrap(),
            "My pool",
            false,
        )
        .unwrap()
    }

    #[test]
    fn names() {
        assert!(check_name("a+b=c,d.e@f-g_h i").is_ok());
        assert_eq!(
            check_name("no/slash").unwrap_err().to_string(),
            "1 validation error detected: Value 'no/slash' at 'identityPoolName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+"
        );
        assert!(check_name("").is_err());
        assert!(check_name(&"n".repeat(129)).is_err());
        assert!(check_name(&"n".repeat(128)).is_ok());
    }

    #[test]
    fn a_full_pool_validates_and_round_trips() {
        let mut p = pool();
        p.supported_login_providers.insert(
            "accounts.google.com".into(),
            "123.apps.googleusercontent.com".into(),
        );
        p.developer_provider_name = Some("login.mycompany.myapp".into());
        p.cognito_identity_providers.push(CognitoIdentityProvider {
            provider_name: UP.into(),
            client_id: "6tj4ekuni1b9sb91284hvkrb1u".into(),
            server_side_token_check: false,
        });
        p.open_id_connect_provider_arns.push(
            OidcProviderArn::parse(
                "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
            )
            .unwrap(),
        );
        p.identity_pool_tags.insert("env".into(), String::new());
        p.validate(&Settings::new()).unwrap();
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(
            json["OpenIdConnectProviderARNs"][0],
            "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
        );
        assert_eq!(
            json["CognitoIdentityProviders"][0]["ServerSideTokenCheck"],
            false
        );
        assert_eq!(json["AllowUnauthenticatedIdentities"], false);
        let back: IdentityPool = serde_json::from_value(json).unwrap();
        assert_eq!(back, p);
    }

    #[test]
    fn refusals() {
        let s = Settings::new();
        let mut p = pool();
        p.supported_login_providers
            .insert("not a host".into(), "x".into());
        assert_eq!(
            p.validate(&s).unwrap_err().to_string(),
            "not a host is not a supported login provider."
        );

        let mut p = pool();
        for i in 0..11 {
            p.supported_login_providers
                .insert(format!("login{i}.example.com"), "x".into());
        }
        assert_eq!(
            p.validate(&s).unwrap_err().to_string(),
            "1 validation error detected: Value at 'supportedLoginProviders' failed to satisfy constraint: Member must have length less than or equal to 10"
        );

        let mut p = pool();
        p.supported_login_providers
            .insert("graph.facebook.com".into(), "bad id!".into());
        assert!(p.validate(&s).is_err());

        let mut p = pool();
        p.developer_provider_name = Some("bad name".into());
        assert!(p.validate(&s).is_err());

        let mut p = pool();
        p.cognito_identity_providers.push(CognitoIdentityProvider {
            provider_name: "127.0.0.1:9229/us-east-1_AbC123".into(),
            client_id: "abc".into(),
            server_side_token_check: false,
        });
        assert_eq!(
            p.validate(&s).unwrap_err().to_string(),
            "Invalid Cognito Identity Provider: 127.0.0.1:9229/us-east-1_AbC123"
        );
        let hosted = Settings::new()
            .with_user_pool_issuer_base("http://127.0.0.1:9229")
            .unwrap();
        p.validate(&hosted).unwrap();
        p.cognito_identity_providers[0].client_id = "a-b".into();
        assert!(p.validate(&hosted).is_err());

        let mut p = pool();
        let up = CognitoIdentityProvider {
            provider_name: UP.into(),
            client_id: "abc".into(),
            server_side_token_check: true,
        };
        p.cognito_identity_providers.push(up.clone());
        p.cognito_identity_providers.push(up);
        assert!(p.validate(&s).is_err());

        // A name may stand for one provider only.
        let mut p = pool();
        p.supported_login_providers
            .insert("token.actions.githubusercontent.com".into(), "x".into());
        p.open_id_connect_provider_arns.push(
            OidcProviderArn::parse(
                "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
            )
            .unwrap(),
        );
        assert_eq!(
            p.validate(&s).unwrap_err().to_string(),
            "The provider token.actions.githubusercontent.com is configured more than once."
        );

        let mut p = pool();
        for i in 0..51 {
            p.identity_pool_tags.insert(format!("k{i}"), String::new());
        }
        assert!(p.validate(&s).is_err());
    }

    #[test]
    fn developer_provider_name_is_immutable_once_set() {
        let mut a = pool();
        let mut b = a.clone();
        b.developer_provider_name = Some("login.example".into());
        assert!(a.check_update(&b).is_ok(), "setting it the first time");
        a.developer_provider_name = Some("login.example".into());
        assert!(a.check_update(&b).is_ok());
        b.developer_provider_name = None;
        assert!(a.check_update(&b).is_err());
        b.developer_provider_name = Some("login.other".into());
        assert!(a.check_update(&b).is_err());
    }

    #[test]
    fn user_pool_clients_lists_every_client() {
        let mut p = pool();
        for c in ["a", "b"] {
            p.cognito_identity_providers.push(CognitoIdentityProvider {
                provider_name: UP.into(),
                client_id: c.into(),
                server_side_token_check: false,
            });
        }
        assert_eq!(p.user_pool_clients(UP).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(p.user_pool_clients("other").count(), 0);
    }
}
