//! Identifiers in Cognito's formats: pool ids, app client ids and secrets, `sub`.

use core::fmt;

use rand_core::CryptoRng;
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq as _;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::error::{Result, constraint};

const ALNUM: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const LOWER_ALNUM: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";

/// Uniform characters from `alphabet` by rejection sampling (no modulo bias).
fn random_string(rng: &mut impl CryptoRng, alphabet: &[u8], len: usize) -> String {
    let limit = 256 - 256 % alphabet.len();
    let mut out = String::with_capacity(len);
    let mut byte = [0u8; 1];
    while out.len() < len {
        rng.fill_bytes(&mut byte);
        let b = usize::from(byte[0]);
        if b < limit
            && let Some(&c) = alphabet.get(b % alphabet.len())
        {
            out.push(char::from(c));
        }
    }
    out
}

/// A user pool id: `<region>_<9 alphanumerics>`, e.g. `us-east-1_AbCdEf123`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UserPoolId(String);

impl UserPoolId {
    /// A new id in `region`.
    pub fn generate(region: &str, rng: &mut impl CryptoRng) -> Result<Self> {
        Self::parse(&format!("{region}_{}", random_string(rng, ALNUM, 9)))
    }

    /// Parses an id (`[\w-]+_[0-9a-zA-Z]+`, at most 55 characters).
    pub fn parse(s: &str) -> Result<Self> {
        let ok = s.len() <= 55
            && s.split_once('_').is_some_and(|(region, name)| {
                !region.is_empty()
                    && region
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                    && !name.is_empty()
                    && name.bytes().all(|b| b.is_ascii_alphanumeric())
            });
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(constraint(
                "userPoolId",
                Some(s),
                "Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+",
            ))
        }
    }

    /// The region part (`us-east-1`).
    pub fn region(&self) -> &str {
        self.0.split_once('_').map_or("", |(r, _)| r)
    }

    /// The pool name part (`AbCdEf123`), which Cognito's SRP hashes into `x`.
    pub fn pool_name(&self) -> &str {
        self.0.split_once('_').map_or("", |(_, n)| n)
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `arn:aws:cognito-idp:<region>:<account>:userpool/<id>`.
    pub fn arn(&self, account: &str) -> String {
        format!(
            "arn:aws:cognito-idp:{}:{account}:userpool/{}",
            self.region(),
            self.0
        )
    }
}

impl TryFrom<String> for UserPoolId {
    type Error = crate::Error;
    fn try_from(s: String) -> Result<Self> {
        Self::parse(&s)
    }
}

impl From<UserPoolId> for String {
    fn from(id: UserPoolId) -> Self {
        id.0
    }
}

impl fmt::Display for UserPoolId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An app client id: 26 lowercase alphanumerics when generated (Cognito's form); any
/// `[\w+]+` of 1..128 characters is accepted when parsed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClientId(String);

impl ClientId {
    /// A new id.
    pub fn generate(rng: &mut impl CryptoRng) -> Self {
        Self(random_string(rng, LOWER_ALNUM, 26))
    }

    /// Parses an id.
    pub fn parse(s: &str) -> Result<Self> {
        if (1..=128).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'+')
        {
            Ok(Self(s.to_owned()))
        } else {
            Err(constraint(
                "clientId",
                Some(s),
                "Member must satisfy regular expression pattern: [\\w+]+",
            ))
        }
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ClientId {
    type Error = crate::Error;
    fn try_from(s: String) -> Result<Self> {
        Self::parse(&s)
    }
}

impl From<ClientId> for String {
    fn from(id: ClientId) -> Self {
        id.0
    }
}

impl fmt::Display for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An app client secret: 51 lowercase alphanumerics when generated (Cognito's form; the model
/// allows `[\w+]+` of 24..64). A secret: zeroized, redacted in `Debug`, compared in constant
/// time, never serialized (stores keep it sealed: [`AppClient::sealed_secret`](crate::AppClient::sealed_secret)).
///
/// `Clone` stays: it is a long-lived credential of the client record, which stores and the
/// facade copy (it is not single use).
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct ClientSecret(String);

impl ClientSecret {
    /// A new secret (51 characters, ~263 bits).
    pub fn generate(rng: &mut impl CryptoRng) -> Self {
        Self(random_string(rng, LOWER_ALNUM, 51))
    }

    /// Parses a secret chosen by the caller (`CreateUserPoolClient{ClientSecret}`).
    pub fn parse(s: &str) -> Result<Self> {
        if (24..=64).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'+')
        {
            Ok(Self(s.to_owned()))
        } else {
            Err(constraint(
                "clientSecret",
                None,
                "Member must satisfy regular expression pattern: [\\w+]+",
            ))
        }
    }

    /// The secret.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// Whether `given` is this secret, compared in constant time (for the length of the
    /// secret; only the lengths of the two are revealed by the time taken).
    pub fn matches(&self, given: &str) -> bool {
        self.0.as_bytes().ct_eq(given.as_bytes()).into()
    }
}

impl PartialEq for ClientSecret {
    fn eq(&self, other: &Self) -> bool {
        self.matches(&other.0)
    }
}

impl Eq for ClientSecret {}

impl fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientSecret(<redacted>)")
    }
}

/// A user's `sub`: a lowercase UUIDv4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Sub(uuid::Uuid);

impl Sub {
    /// A new random `sub`.
    pub fn generate(rng: &mut impl CryptoRng) -> Self {
        let mut bytes = [0u8; 16];
        rng.fill_bytes(&mut bytes);
        Self(uuid::Builder::from_random_bytes(bytes).into_uuid())
    }

    /// Parses a UUID.
    pub fn parse(s: &str) -> Result<Self> {
        uuid::Uuid::try_parse(s)
            .map(Self)
            .map_err(|_| constraint("sub", Some(s), "Member must be a UUID"))
    }

    /// A UUIDv4 derived deterministically from 16 bytes (for simulated users).
    pub fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(uuid::Builder::from_random_bytes(bytes).into_uuid())
    }
}

impl fmt::Display for Sub {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.hyphenated())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    // Stores hold it sealed: no serde; equality is the constant-time `matches`.
    static_assertions::assert_not_impl_any!(
        ClientSecret: Serialize,
        serde::de::DeserializeOwned
    );

    #[test]
    fn client_secrets_compare_by_value() {
        let a = ClientSecret::parse("abcdefghijklmnopqrstuvwxyz").expect("secret");
        assert!(a.matches("abcdefghijklmnopqrstuvwxyz"));
        assert!(!a.matches("abcdefghijklmnopqrstuvwxyZ"));
        assert!(!a.matches("abcdefghijklmnopqrstuvwxy"));
        assert!(!a.matches(""));
        assert_eq!(
            a,
            ClientSecret::parse("abcdefghijklmnopqrstuvwxyz").expect("secret")
        );
        assert_ne!(
            a,
            ClientSecret::parse("abcdefghijklmnopqrstuvwxyZ").expect("secret")
        );
    }

    #[test]
    fn formats() {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        let pool = UserPoolId::generate("us-east-1", &mut rng).expect("pool");
        assert_eq!(pool.region(), "us-east-1");
        assert_eq!(pool.pool_name().len(), 9);
        assert!(
            pool.arn("123456789012")
                .starts_with("arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_")
        );
        assert_eq!(ClientId::generate(&mut rng).as_str().len(), 26);
        assert_eq!(ClientSecret::generate(&mut rng).expose_secret().len(), 51);
        let sub = Sub::generate(&mut rng).to_string();
        assert_eq!(sub.len(), 36);
        assert_eq!(sub.as_bytes()[14], b'4', "UUIDv4");
        assert_eq!(
            format!("{:?}", ClientSecret::generate(&mut rng)),
            "ClientSecret(<redacted>)"
        );
    }

    #[test]
    fn parsing() {
        assert!(UserPoolId::parse("us-east-1_AbCdEf123").is_ok());
        for bad in [
            "",
            "nounderscore",
            "_abc",
            "us-east-1_",
            "us-east-1_ab-c",
            "us east_1",
        ] {
            assert!(UserPoolId::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            UserPoolId::parse("YOUR_USER_POOL_ID").map(|p| p.pool_name().to_owned()),
            Err(crate::Error::InvalidParameter("1 validation error detected: Value 'YOUR_USER_POOL_ID' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+".into()))
        );
        assert!(ClientSecret::parse("short").is_err());
    }
}
