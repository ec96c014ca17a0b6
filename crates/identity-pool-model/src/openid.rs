//! The claims of the OpenID token GetOpenIdToken and GetOpenIdTokenForDeveloperIdentity
//! return (and the enhanced flow hands to STS): ready for the facade to sign.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::error::{Error, Result, constraint, length};
use crate::ids::{IdentityId, IdentityPoolId};
use crate::login::Principal;

/// GetOpenIdToken's token lifetime: "The OpenID token is valid for 10 minutes."
pub const OPEN_ID_TOKEN_SECONDS: u32 = 600;
/// GetOpenIdTokenForDeveloperIdentity's default `TokenDuration`: "If you don't provide an
/// expiration time, the token is valid for 15 minutes."
pub const DEFAULT_DEVELOPER_TOKEN_SECONDS: u32 = 900;
/// Longest `TokenDuration`: "The maximum token duration you can set is 24 hours" (86400).
pub const MAX_TOKEN_DURATION_SECONDS: u32 = 86_400;
/// Most principal tags (`PrincipalTags`, `max` 50).
pub const MAX_PRINCIPAL_TAGS: usize = 50;
/// The claim naming the identity pool's ARN.
pub const IDENTITY_POOL_ARN_CLAIM: &str =
    "https://cognito-identity.amazonaws.com/identity-pool-arn";
/// The claim carrying session tags for STS.
pub const TAGS_CLAIM: &str = "https://aws.amazon.com/tags";

/// A token lifetime in seconds, 1..=86400.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TokenDuration(u32);

impl TokenDuration {
    /// GetOpenIdToken's fixed 10 minutes.
    pub const OPEN_ID_TOKEN: Self = Self(OPEN_ID_TOKEN_SECONDS);
    /// The developer flow's default 15 minutes.
    pub const DEVELOPER_DEFAULT: Self = Self(DEFAULT_DEVELOPER_TOKEN_SECONDS);

    /// `TokenDuration` from a request (`long`, 1..=86400).
    ///
    /// # Errors
    /// `InvalidParameter` with AWS's range sentence.
    pub fn parse(seconds: i64) -> Result<Self> {
        match u32::try_from(seconds) {
            Ok(s) if (1..=MAX_TOKEN_DURATION_SECONDS).contains(&s) => Ok(Self(s)),
            _ if seconds < 1 => Err(constraint(
                "tokenDuration",
                Some(&seconds.to_string()),
                "Member must have value greater than or equal to 1",
            )),
            _ => Err(constraint(
                "tokenDuration",
                Some(&seconds.to_string()),
                "Member must have value less than or equal to 86400",
            )),
        }
    }

    /// The seconds.
    pub fn seconds(self) -> u32 {
        self.0
    }
}

/// `PrincipalTags` (developer flow): tag → value, ≤ 50, keys 1..=128, values 1..=256. Sent
/// to STS as session tags in the `https://aws.amazon.com/tags` claim.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrincipalTags(BTreeMap<String, String>);

impl PrincipalTags {
    /// Tags from a request.
    ///
    /// # Errors
    /// `InvalidParameter` with AWS's validation sentences.
    pub fn parse(tags: impl IntoIterator<Item = (String, String)>) -> Result<Self> {
        let mut map = BTreeMap::new();
        for (k, v) in tags {
            if map.len() == MAX_PRINCIPAL_TAGS {
                return Err(length(
                    "principalTags",
                    None,
                    0,
                    MAX_PRINCIPAL_TAGS,
                    MAX_PRINCIPAL_TAGS + 1,
                ));
            }
            if !(1..=128).contains(&k.len()) {
                return Err(length("principalTags", Some(&k), 1, 128, k.len()));
            }
            if !(1..=256).contains(&v.len()) {
                return Err(length("principalTags", Some(&v), 1, 256, v.len()));
            }
            map.insert(k, v);
        }
        Ok(Self(map))
    }

    /// No tags.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// What the OpenID token is for.
#[derive(Debug, Clone, Copy)]
pub struct OpenIdTokenParams<'a> {
    /// Our issuer (`https://cognito-identity.amazonaws.com`, [`crate::Settings::identity_issuer`]).
    pub issuer: &'a str,
    /// `aud`.
    pub identity_pool_id: &'a IdentityPoolId,
    /// `sub`.
    pub identity_id: &'a IdentityId,
    /// Who: a guest (`amr: ["unauthenticated"]`) or the logins.
    pub principal: &'a Principal,
    /// The account owning the pool, for the `identity-pool-arn` claim (left out when `None`).
    pub account_id: Option<&'a str>,
    /// Session tags (developer flow).
    pub principal_tags: Option<&'a PrincipalTags>,
    /// Unix seconds (`iat`).
    pub now: i64,
    /// `exp − iat`.
    pub duration: TokenDuration,
}

/// The OpenID token's claims, in the shape Cognito emits:
///
/// ```json
/// { "iss": "https://cognito-identity.amazonaws.com", "aud": "<pool id>", "sub": "<identity id>",
///   "amr": ["authenticated", "<provider>", "<provider>:CognitoSignIn:<sub>"],
///   "https://cognito-identity.amazonaws.com/identity-pool-arn": "arn:aws:cognito-identity:…",
///   "https://aws.amazon.com/tags": {"principal_tags": {"tag": ["value"]}},
///   "iat": 1790000000, "exp": 1790000600 }
/// ```
///
/// `amr` is `["unauthenticated"]` for a guest; otherwise `"authenticated"` followed, per login
/// in provider-name order, by the provider's name and its subject entry (see
/// [`crate::Login`]).
///
/// # Errors
/// `InvalidParameter` if the identity belongs to another region than the pool.
pub fn open_id_token_claims(p: &OpenIdTokenParams<'_>) -> Result<Map<String, Value>> {
    if p.identity_id.region() != p.identity_pool_id.region() {
        return Err(Error::InvalidParameter(format!(
            "Identity {} is not in the region of identity pool {}.",
            p.identity_id, p.identity_pool_id
        )));
    }
    let amr: Vec<String> = if p.principal.is_authenticated() {
        std::iter::once("authenticated".to_owned())
            .chain(p.principal.logins().iter().flat_map(|l| l.amr()))
            .collect()
    } else {
        vec!["unauthenticated".to_owned()]
    };
    let mut claims = Map::new();
    claims.insert("sub".into(), p.identity_id.as_str().into());
    claims.insert("aud".into(), p.identity_pool_id.as_str().into());
    claims.insert("amr".into(), amr.into());
    claims.insert("iss".into(), p.issuer.into());
    if let Some(account) = p.account_id {
        claims.insert(
            IDENTITY_POOL_ARN_CLAIM.into(),
            p.identity_pool_id.arn(account).into(),
        );
    }
    if let Some(tags) = p.principal_tags.filter(|t| !t.is_empty()) {
        let tags: Map<String, Value> = tags
            .0
            .iter()
            .map(|(k, v)| (k.clone(), json!([v])))
            .collect();
        claims.insert(TAGS_CLAIM.into(), json!({ "principal_tags": tags }));
    }
    claims.insert("iat".into(), p.now.into());
    claims.insert(
        "exp".into(),
        p.now.saturating_add(i64::from(p.duration.0)).into(),
    );
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(TokenDuration::parse(1).unwrap().seconds(), 1);
        assert_eq!(TokenDuration::parse(86_400).unwrap().seconds(), 86_400);
        assert_eq!(
            TokenDuration::parse(86_401).unwrap_err().to_string(),
            "1 validation error detected: Value '86401' at 'tokenDuration' failed to satisfy constraint: Member must have value less than or equal to 86400"
        );
        assert!(TokenDuration::parse(0).is_err());
        assert!(TokenDuration::parse(i64::MIN).is_err());
        assert!(TokenDuration::parse(i64::MAX).is_err());
        assert_eq!(TokenDuration::OPEN_ID_TOKEN.seconds(), 600);
        assert_eq!(TokenDuration::DEVELOPER_DEFAULT.seconds(), 900);
    }

    #[test]
    fn principal_tags_bounds() {
        assert!(PrincipalTags::parse([("k".to_owned(), String::new())]).is_err());
        assert!(PrincipalTags::parse((0..51).map(|i| (format!("k{i}"), "v".to_owned()))).is_err());
        assert!(PrincipalTags::parse((0..50).map(|i| (format!("k{i}"), "v".to_owned()))).is_ok());
    }
}
