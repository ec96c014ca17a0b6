//! The `Logins` map of GetId, GetCredentialsForIdentity and GetOpenIdToken: provider name →
//! provider token, at most 10 entries.

use core::fmt;
use std::collections::BTreeMap;

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::error::{Error, Result, length};

/// Most entries in `Logins` (`LoginsMap`, `max` 10).
pub const MAX_LOGINS: usize = 10;
/// Longest `Logins` key (`IdentityProviderName`, `max` 128).
pub const MAX_PROVIDER_NAME_LEN: usize = 128;
/// Longest `Logins` value (`IdentityProviderToken`, `max` 50000, sensitive).
pub const MAX_LOGIN_TOKEN_LEN: usize = 50_000;

/// A provider token from `Logins` (an ID token, an access token, a developer user
/// identifier). Secret: redacted `Debug`, zeroized on drop, compared in constant time.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct LoginToken(String);

impl LoginToken {
    /// The token text, for the facade's signature verification.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for LoginToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LoginToken(<redacted>)")
    }
}

impl PartialEq for LoginToken {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
    }
}

impl Eq for LoginToken {}

/// A checked `Logins` map: 0..=10 entries, keys 1..=128 characters, tokens 1..=50000. Kept in
/// key order, so everything derived from it is deterministic.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Logins(BTreeMap<String, LoginToken>);

impl Logins {
    /// Reads `Logins` from the request's pairs. Stops at the 11th entry without reading on.
    ///
    /// # Errors
    /// `InvalidParameter` with AWS's validation sentence (the token value is never quoted),
    /// or for a key given twice.
    pub fn parse<I, K, V>(pairs: I) -> Result<Self>
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let mut map = BTreeMap::new();
        for (key, token) in pairs {
            if map.len() == MAX_LOGINS {
                return Err(length("logins", None, 0, MAX_LOGINS, MAX_LOGINS + 1));
            }
            let key = key.into();
            let token = LoginToken(token.into());
            if !(1..=MAX_PROVIDER_NAME_LEN).contains(&key.len()) {
                return Err(length(
                    "logins",
                    Some(&key),
                    1,
                    MAX_PROVIDER_NAME_LEN,
                    key.len(),
                ));
            }
            if !(1..=MAX_LOGIN_TOKEN_LEN).contains(&token.0.len()) {
                return Err(length(
                    "logins",
                    None,
                    1,
                    MAX_LOGIN_TOKEN_LEN,
                    token.0.len(),
                ));
            }
            if map.contains_key(&key) {
                return Err(Error::InvalidParameter(format!(
                    "The provider {key} appears more than once in Logins."
                )));
            }
            map.insert(key, token);
        }
        Ok(Self(map))
    }

    /// No logins: an unauthenticated request.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The token for a provider.
    pub fn get(&self, provider: &str) -> Option<&LoginToken> {
        self.0.get(provider)
    }

    /// The entries in provider-name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &LoginToken)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The provider names in order (`DescribeIdentity`'s `Logins` list).
    pub fn provider_names(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_up_to_ten() {
        let logins = Logins::parse((0..10).map(|i| (format!("p{i}.example.com"), "t"))).unwrap();
        assert_eq!(logins.len(), 10);
        assert_eq!(logins.provider_names().next(), Some("p0.example.com"));
        assert_eq!(
            Logins::parse((0..11).map(|i| (format!("p{i}"), "t")))
                .unwrap_err()
                .to_string(),
            "1 validation error detected: Value at 'logins' failed to satisfy constraint: Member must have length less than or equal to 10"
        );
        assert!(
            Logins::parse(Vec::<(String, String)>::new())
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn bounds_keys_and_tokens_without_quoting_tokens() {
        assert!(Logins::parse([("", "t")]).is_err());
        assert!(Logins::parse([("k".repeat(129), "t".to_owned())]).is_err());
        let err = Logins::parse([("k", "")]).unwrap_err().to_string();
        assert_eq!(
            err,
            "1 validation error detected: Value at 'logins' failed to satisfy constraint: Member must have length greater than or equal to 1"
        );
        let huge = "s3cr3t".repeat(10_000);
        let err = Logins::parse([("k".to_owned(), huge)])
            .unwrap_err()
            .to_string();
        assert!(!err.contains("s3cr3t"));
        assert!(Logins::parse([("k", "a"), ("k", "b")]).is_err());
    }

    #[test]
    fn tokens_are_redacted_and_compared_by_value() {
        let logins = Logins::parse([("k", "eyJ.secret.sig")]).unwrap();
        assert_eq!(
            format!("{logins:?}"),
            r#"Logins({"k": LoginToken(<redacted>)})"#
        );
        let token = logins.get("k").unwrap();
        assert_eq!(token.expose_secret(), "eyJ.secret.sig");
        assert_eq!(token, &LoginToken("eyJ.secret.sig".into()));
        assert_ne!(token, &LoginToken("eyJ.secret.sif".into()));
    }
}
