//! Checking logins: which provider each `Logins` key names for a pool, and whether the
//! (already signature-verified) token claims fit it — issuer, audience, `token_use`, time.

use serde_json::Value;

use crate::claims::{ClaimsMap, audiences, check_time, string};
use crate::error::{Error, Result, length};
use crate::ids::IdentityId;
use crate::logins::{LoginToken, Logins};
use crate::pool::IdentityPool;
use crate::provider::{Provider, Settings, SocialProvider};

/// Longest developer user identifier (`DeveloperUserIdentifier`, 1..=1024).
pub const MAX_DEVELOPER_USER_IDENTIFIER_LEN: usize = 1024;

/// A login that passed its checks: the provider, the user's subject there and the claims.
#[derive(Debug, Clone, PartialEq)]
pub struct Login {
    provider: Provider,
    subject: String,
    client_id: Option<String>,
    claims: ClaimsMap,
}

impl Login {
    /// The provider.
    pub fn provider(&self) -> &Provider {
        &self.provider
    }

    /// The user's subject at the provider: `sub` (the developer user identifier for a
    /// developer login, the identity id for our own OpenID token).
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The app client the token was issued to, for user pool logins (`aud`).
    pub fn client_id(&self) -> Option<&str> {
        self.client_id.as_deref()
    }

    /// The token's claims (empty for a developer login).
    pub fn claims(&self) -> &ClaimsMap {
        &self.claims
    }

    /// What identifies this user in the pool's identity index: one identity per
    /// (pool, provider, subject).
    pub fn key(&self) -> LoginKey {
        LoginKey {
            provider: self.provider.name().to_owned(),
            subject: self.subject.clone(),
        }
    }

    /// The `RoleMappings` keys that apply, most specific first: for a user pool
    /// `<provider>:<clientId>` then `<provider>`; otherwise `<provider>`.
    pub fn role_mapping_keys(&self) -> Vec<String> {
        let name = self.provider.name();
        match (&self.provider, &self.client_id) {
            (Provider::UserPool(_), Some(client)) => {
                vec![format!("{name}:{client}"), name.to_owned()]
            }
            _ => vec![name.to_owned()],
        }
    }

    /// The two `amr` entries this login adds to an OpenID token: the provider name, then
    /// `<provider>:<kind>:<subject>` — `CognitoSignIn` for user pools, `OIDC` after the
    /// provider's ARN for OIDC providers. Our own OpenID token passes its `amr` on.
    pub(crate) fn amr(&self) -> Vec<String> {
        let name = self.provider.name();
        let subject = &self.subject;
        let detail = match &self.provider {
            Provider::UserPool(_) => format!("{name}:CognitoSignIn:{subject}"),
            Provider::Oidc(arn) => format!("{}:OIDC:{subject}", arn.as_str()),
            Provider::Saml(arn) => format!("{}:SAML:{subject}", arn.as_str()),
            Provider::Social { app_id, .. } => format!("{name}:{app_id}:{subject}"),
            Provider::Developer(_) => format!("{name}:{subject}"),
            Provider::CognitoIdentity(_) => {
                return self
                    .claims
                    .get("amr")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .filter(|v| *v != "authenticated")
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default();
            }
        };
        vec![name.to_owned(), detail]
    }
}

/// A user at a provider: the identity-lookup key (store it as two columns).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LoginKey {
    /// The provider name (`Logins` key).
    pub provider: String,
    /// The subject there.
    pub subject: String,
}

/// Who is asking: a guest (only when the pool allows unauthenticated identities) or the
/// checked logins, in provider-name order. Only [`LoginChecker`] makes one.
#[derive(Debug, Clone, PartialEq)]
pub struct Principal(Option<Vec<Login>>);

impl Principal {
    /// Whether any login was presented.
    pub fn is_authenticated(&self) -> bool {
        self.0.is_some()
    }

    /// The logins (empty for a guest).
    pub fn logins(&self) -> &[Login] {
        self.0.as_deref().unwrap_or_default()
    }
}

/// Checks logins against one pool under the deployment's [`Settings`].
#[derive(Debug, Clone, Copy)]
pub struct LoginChecker<'a> {
    pool: &'a IdentityPool,
    settings: &'a Settings,
}

impl<'a> LoginChecker<'a> {
    /// A checker for `pool`.
    pub fn new(pool: &'a IdentityPool, settings: &'a Settings) -> Self {
        Self { pool, settings }
    }

    /// The provider a `Logins` key names in this pool.
    ///
    /// # Errors
    /// [`Error::UnsupportedProvider`] for a key that is none of the pool's providers.
    pub fn classify(&self, key: &str) -> Result<Provider> {
        let pool = self.pool;
        if key == self.settings.identity_provider_name() {
            return Ok(Provider::CognitoIdentity(key.to_owned()));
        }
        if pool.user_pool_clients(key).next().is_some()
            && let Some(p) = self.settings.user_pool_provider(key)
        {
            return Ok(Provider::UserPool(p));
        }
        if let Some(app_id) = pool.supported_login_providers.get(key)
            && let Some(provider) = SocialProvider::from_key(key)
        {
            return Ok(Provider::Social {
                provider,
                name: key.to_owned(),
                app_id: app_id.clone(),
            });
        }
        if pool.developer_provider_name.as_deref() == Some(key) {
            return Ok(Provider::Developer(key.to_owned()));
        }
        if let Some(arn) = pool
            .open_id_connect_provider_arns
            .iter()
            .find(|a| a.provider_name() == key)
        {
            return Ok(Provider::Oidc(arn.clone()));
        }
        if let Some(arn) = pool.saml_provider_arns.iter().find(|a| a.as_str() == key) {
            return Ok(Provider::Saml(arn.clone()));
        }
        Err(Error::UnsupportedProvider)
    }

    /// Checks one login: `claims` are the provider token's claims, signature already
    /// verified by the caller (for Facebook and Login with Amazon, whose tokens are opaque:
    /// the `sub` (user id) and `aud` (app id) the provider confirmed). `now` is unix seconds.
    ///
    /// # Errors
    /// `NotAuthorized` variants: [`Error::UnsupportedProvider`] (unknown key, or an audience
    /// none of the provider's clients; also developer and SAML keys, which carry no token we
    /// can check here), [`Error::IssuerMismatch`], [`Error::MissingClaim`] (`aud` is what a
    /// user pool *access* token lacks), [`Error::NotAnIdToken`], [`Error::TokenExpired`]…
    pub fn check(&self, key: &str, claims: &ClaimsMap, now: i64) -> Result<Login> {
        let provider = self.classify(key)?;
        let (subject, client_id) = match &provider {
            Provider::UserPool(p) => {
                expect_issuer(claims, &[p.issuer()])?;
                let aud = string(claims, "aud")?;
                if claims.get("token_use").and_then(Value::as_str) != Some("id") {
                    return Err(Error::NotAnIdToken);
                }
                if !self.pool.user_pool_clients(key).any(|c| c == aud) {
                    return Err(Error::UnsupportedProvider);
                }
                check_time(claims, now, true)?;
                (string(claims, "sub")?, Some(aud.to_owned()))
            }
            Provider::Social {
                provider,
                name,
                app_id,
            } => {
                if provider.sends_id_token() {
                    let issuers = provider.issuers(name);
                    expect_issuer(
                        claims,
                        &issuers.iter().map(String::as_str).collect::<Vec<_>>(),
                    )?;
                }
                expect_audience(claims, [app_id.as_str()])?;
                check_time(claims, now, provider.sends_id_token())?;
                (string(claims, "sub")?, None)
            }
            Provider::Oidc(arn) => {
                expect_issuer(claims, &[&arn.issuer()])?;
                let accepted = self.settings.oidc_client_ids(arn.provider_name());
                expect_audience(claims, accepted.iter().map(String::as_str))?;
                check_time(claims, now, true)?;
                (string(claims, "sub")?, None)
            }
            Provider::CognitoIdentity(_) => {
                expect_issuer(claims, &[self.settings.identity_issuer()])?;
                expect_audience(claims, [self.pool.identity_pool_id.as_str()])?;
                check_time(claims, now, true)?;
                let sub = string(claims, "sub")?;
                IdentityId::parse(sub).map_err(|_| Error::InvalidClaim("sub"))?;
                let authenticated = claims
                    .get("amr")
                    .and_then(Value::as_array)
                    .is_some_and(|a| a.iter().any(|v| v == "authenticated"));
                if !authenticated {
                    return Err(Error::InvalidClaim("amr"));
                }
                (sub, None)
            }
            Provider::Developer(_) | Provider::Saml(_) => return Err(Error::UnsupportedProvider),
        };
        Ok(Login {
            subject: subject.to_owned(),
            provider,
            client_id,
            claims: claims.clone(),
        })
    }

    /// A developer login (GetOpenIdTokenForDeveloperIdentity): the pool's developer provider
    /// and a user identifier from the developer's backend.
    ///
    /// # Errors
    /// [`Error::UnsupportedProvider`] if `provider_name` is not the pool's developer provider;
    /// `InvalidParameter` for an identifier outside 1..=1024 characters.
    pub fn developer(&self, provider_name: &str, user_identifier: &str) -> Result<Login> {
        if self.pool.developer_provider_name.as_deref() != Some(provider_name) {
            return Err(Error::UnsupportedProvider);
        }
        let n = user_identifier.len();
        if !(1..=MAX_DEVELOPER_USER_IDENTIFIER_LEN).contains(&n) {
            return Err(length(
                "developerUserIdentifier",
                None,
                1,
                MAX_DEVELOPER_USER_IDENTIFIER_LEN,
                n,
            ));
        }
        Ok(Login {
            provider: Provider::Developer(provider_name.to_owned()),
            subject: user_identifier.to_owned(),
            client_id: None,
            claims: ClaimsMap::new(),
        })
    }

    /// GetId / GetCredentialsForIdentity / GetOpenIdToken: a guest when `Logins` is empty
    /// (if the pool allows it), else every login checked. `verified(key, token)` gives that
    /// entry's claims once the facade has verified the token's signature with the provider's
    /// keys (`None`: it did not verify). Keys the pool does not know are refused before
    /// `verified` is asked.
    ///
    /// # Errors
    /// [`Error::UnauthenticatedNotSupported`]; the first failing login's error;
    /// [`Error::SignatureNotVerified`] when `verified` says `None`.
    pub fn authenticate<F>(&self, logins: &Logins, now: i64, mut verified: F) -> Result<Principal>
    where
        F: FnMut(&str, &LoginToken) -> Option<ClaimsMap>,
    {
        if logins.is_empty() {
            return self.guest();
        }
        let mut checked = Vec::with_capacity(logins.len());
        for (key, token) in logins.iter() {
            self.classify(key)?;
            let claims = verified(key, token).ok_or(Error::SignatureNotVerified)?;
            checked.push(self.check(key, &claims, now)?);
        }
        Ok(Principal(Some(checked)))
    }

    /// GetOpenIdTokenForDeveloperIdentity: the developer provider's entry is a user
    /// identifier, every other entry a token checked as in [`LoginChecker::authenticate`].
    ///
    /// # Errors
    /// `InvalidParameter` if the developer provider is missing from `logins`; as
    /// [`LoginChecker::authenticate`] otherwise.
    pub fn authenticate_developer<F>(
        &self,
        logins: &Logins,
        now: i64,
        mut verified: F,
    ) -> Result<Principal>
    where
        F: FnMut(&str, &LoginToken) -> Option<ClaimsMap>,
    {
        let dev = self
            .pool
            .developer_provider_name
            .as_deref()
            .unwrap_or_default();
        if logins.get(dev).is_none() {
            return Err(Error::InvalidParameter(
                "Logins must contain the identity pool's developer provider.".to_owned(),
            ));
        }
        let mut checked = Vec::with_capacity(logins.len());
        for (key, token) in logins.iter() {
            if key == dev {
                checked.push(self.developer(key, token.expose_secret())?);
            } else {
                self.classify(key)?;
                let claims = verified(key, token).ok_or(Error::SignatureNotVerified)?;
                checked.push(self.check(key, &claims, now)?);
            }
        }
        Ok(Principal(Some(checked)))
    }

    /// A guest, if the pool allows unauthenticated identities.
    ///
    /// # Errors
    /// [`Error::UnauthenticatedNotSupported`].
    pub fn guest(&self) -> Result<Principal> {
        if self.pool.allow_unauthenticated_identities {
            Ok(Principal(None))
        } else {
            Err(Error::UnauthenticatedNotSupported)
        }
    }
}

fn expect_issuer(claims: &ClaimsMap, accepted: &[&str]) -> Result<()> {
    let iss = string(claims, "iss")?;
    if accepted.contains(&iss) {
        Ok(())
    } else {
        Err(Error::IssuerMismatch)
    }
}

fn expect_audience<'a>(
    claims: &ClaimsMap,
    accepted: impl IntoIterator<Item = &'a str>,
) -> Result<()> {
    let auds = audiences(claims)?;
    if accepted.into_iter().any(|a| auds.contains(&a)) {
        Ok(())
    } else {
        Err(Error::UnsupportedProvider)
    }
}

#[cfg(test)]
mod tests;
