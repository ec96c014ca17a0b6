//! Identifiers in Cognito's formats: identity pool ids and identity ids, both `<region>:<uuid>`.

use core::fmt;

use rand_core::CryptoRng;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, constraint};

/// Longest identity pool id or identity id (the model's `max`).
pub const MAX_ID_LEN: usize = 55;

/// `\w` as AWS's (Java) patterns mean it: ASCII letters, digits and `_`.
pub(crate) fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// `[\w-]+:[0-9a-f-]+`, 1..=55 characters.
fn is_region_uuid(s: &str) -> bool {
    s.len() <= MAX_ID_LEN
        && s.split_once(':').is_some_and(|(region, id)| {
            !region.is_empty()
                && region.bytes().all(|b| is_word(b) || b == b'-')
                && !id.is_empty()
                && id
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b) || b == b'-')
        })
}

/// A fresh `<region>:<lowercase uuid v4>` from the caller's RNG.
fn generate(region: &str, rng: &mut impl CryptoRng) -> String {
    let mut bytes = [0u8; 16];
    rng.fill_bytes(&mut bytes);
    let uuid = uuid::Builder::from_random_bytes(bytes).into_uuid();
    format!("{region}:{}", uuid.hyphenated())
}

fn parse(s: &str, member: &str) -> Result<()> {
    if is_region_uuid(s) {
        Ok(())
    } else if s.is_empty() || s.len() > MAX_ID_LEN {
        Err(crate::error::length(
            member,
            Some(s),
            1,
            MAX_ID_LEN,
            s.len(),
        ))
    } else {
        Err(constraint(
            member,
            Some(s),
            "Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+",
        ))
    }
}

fn check_region(region: &str) -> Result<()> {
    if !region.is_empty()
        && region.len() < MAX_ID_LEN - 36
        && region.bytes().all(|b| is_word(b) || b == b'-')
    {
        Ok(())
    } else {
        Err(Error::InvalidParameter(format!("Invalid region: {region}")))
    }
}

macro_rules! region_uuid_id {
    ($(#[$doc:meta])* $name:ident, $member:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// A new id in `region` (`us-east-1:` + a random lowercase UUID).
            ///
            /// # Errors
            /// `InvalidParameter` if `region` is not `[\w-]+` (short enough for the id).
            pub fn generate(region: &str, rng: &mut impl CryptoRng) -> Result<Self> {
                check_region(region)?;
                Ok(Self(generate(region, rng)))
            }

            /// Parses an id: `[\w-]+:[0-9a-f-]+`, 1..=55 characters (the service model's rule).
            ///
            /// # Errors
            /// `InvalidParameter` with AWS's validation sentence.
            pub fn parse(s: &str) -> Result<Self> {
                parse(s, $member)?;
                Ok(Self(s.to_owned()))
            }

            /// The region part (`us-east-1`).
            pub fn region(&self) -> &str {
                self.0.split_once(':').map_or("", |(r, _)| r)
            }

            /// The id.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl TryFrom<String> for $name {
            type Error = Error;
            fn try_from(s: String) -> Result<Self> {
                parse(&s, $member)?;
                Ok(Self(s))
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }
    };
}

region_uuid_id!(
    /// An identity pool id: `<region>:<uuid>`, e.g. `us-east-1:4a1c8bd2-3f57-4a3e-9b0b-5d8c1c7e2f10`.
    IdentityPoolId,
    "identityPoolId"
);

region_uuid_id!(
    /// An identity id: `<region>:<uuid>`. One per (pool, provider subject); the `sub` of the
    /// OpenID tokens the pool issues.
    IdentityId,
    "identityId"
);

impl IdentityPoolId {
    /// The pool's ARN, `arn:aws:cognito-identity:<region>:<account>:identitypool/<id>` (the
    /// `https://cognito-identity.amazonaws.com/identity-pool-arn` claim).
    pub fn arn(&self, account_id: &str) -> String {
        format!(
            "arn:aws:cognito-identity:{}:{account_id}:identitypool/{}",
            self.region(),
            self.0
        )
    }
}

#[cfg(test)]
mod tests {
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    use super::*;

    #[test]
    fn parses_the_model_pattern() {
        let id = IdentityPoolId::parse("us-east-1:4a1c8bd2-3f57-4a3e-9b0b-5d8c1c7e2f10").unwrap();
        assert_eq!(id.region(), "us-east-1");
        assert_eq!(
            id.arn("123456789012"),
            "arn:aws:cognito-identity:us-east-1:123456789012:identitypool/us-east-1:4a1c8bd2-3f57-4a3e-9b0b-5d8c1c7e2f10"
        );
        assert_eq!(
            IdentityPoolId::parse("us-east-1:ABC")
                .unwrap_err()
                .to_string(),
            "1 validation error detected: Value 'us-east-1:ABC' at 'identityPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+"
        );
        for bad in [
            "",
            ":abc",
            "us-east-1:",
            "us east-1:abc",
            "us-east-1_abc",
            "a:b:c",
        ] {
            assert!(IdentityId::parse(bad).is_err(), "{bad:?}");
        }
        let long = format!("us-east-1:{}", "a".repeat(50));
        assert_eq!(
            IdentityId::parse(&long).unwrap_err().to_string(),
            format!(
                "1 validation error detected: Value '{long}' at 'identityId' failed to satisfy constraint: Member must have length less than or equal to 55"
            )
        );
    }

    #[test]
    fn generates_lowercase_v4_uuids_from_the_given_rng() {
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        let a = IdentityId::generate("eu-west-1", &mut rng).unwrap();
        let b = IdentityId::generate("eu-west-1", &mut rng).unwrap();
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), "eu-west-1:".len() + 36);
        assert_eq!(IdentityId::parse(a.as_str()).unwrap(), a);
        let uuid = a.as_str().split_once(':').unwrap().1;
        assert_eq!(uuid.as_bytes()[14], b'4', "version nibble");
        // Same seed, same id: nothing but the RNG feeds it.
        let again = IdentityId::generate("eu-west-1", &mut ChaCha20Rng::seed_from_u64(7)).unwrap();
        assert_eq!(again, a);
        assert!(IdentityPoolId::generate("bad region", &mut rng).is_err());
    }

    #[test]
    fn serde_validates() {
        let ok: IdentityPoolId = serde_json::from_str("\"us-east-1:0a-1b\"").unwrap();
        assert_eq!(ok.as_str(), "us-east-1:0a-1b");
        assert!(serde_json::from_str::<IdentityPoolId>("\"nope\"").is_err());
    }
}
