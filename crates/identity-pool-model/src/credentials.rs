//! Temporary AWS credentials as GetCredentialsForIdentity returns them.

use core::fmt;

use serde_json::{Value, json};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

macro_rules! secret_string {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Zeroize, ZeroizeOnDrop)]
        pub struct $name(String);

        impl $name {
            /// Wraps a secret.
            pub fn new(secret: impl Into<String>) -> Self {
                Self(secret.into())
            }

            /// The secret text.
            pub fn expose_secret(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "(<redacted>)"))
            }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
            }
        }

        impl Eq for $name {}
    };
}

secret_string!(
    /// The secret half of an access key (`SecretKey` in Cognito, `SecretAccessKey` in STS).
    SecretKey
);

secret_string!(
    /// The session token of temporary credentials.
    SessionToken
);

/// Temporary credentials: `AccessKeyId`, `SecretKey`, `SessionToken`, `Expiration`.
///
/// No `Serialize`: the secrets leave only through [`Credentials::to_wire_json`].
#[derive(Debug, PartialEq, Eq)]
pub struct Credentials {
    /// `AccessKeyId` (not secret: it names the key).
    pub access_key_id: String,
    /// `SecretKey`.
    pub secret_key: SecretKey,
    /// `SessionToken`.
    pub session_token: SessionToken,
    /// `Expiration`, unix seconds.
    pub expiration: i64,
}

impl Credentials {
    /// The `Credentials` member of GetCredentialsForIdentity's response, Cognito's JSON 1.1
    /// shape (`Expiration` as epoch seconds). The one place the secrets are written out; the
    /// caller serializes the value at once and drops it.
    pub fn to_wire_json(&self) -> Value {
        json!({
            "AccessKeyId": self.access_key_id,
            "SecretKey": self.secret_key.expose_secret(),
            "SessionToken": self.session_token.expose_secret(),
            "Expiration": self.expiration,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> Credentials {
        Credentials {
            access_key_id: "ASIAEXAMPLEKEY".into(),
            secret_key: SecretKey::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            session_token: SessionToken::new("IQoJb3JpZ2luX2VjEXAMPLE"),
            expiration: 1_790_003_600,
        }
    }

    #[test]
    fn debug_hides_the_secrets() {
        let dbg = format!("{:?}", creds());
        assert!(dbg.contains("ASIAEXAMPLEKEY"));
        assert!(dbg.contains("SecretKey(<redacted>)"));
        assert!(dbg.contains("SessionToken(<redacted>)"));
        assert!(!dbg.contains("wJalr"));
        assert!(!dbg.contains("IQoJ"));
    }

    #[test]
    fn wire_shape_is_cognitos() {
        assert_eq!(
            creds().to_wire_json(),
            json!({
                "AccessKeyId": "ASIAEXAMPLEKEY",
                "SecretKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "SessionToken": "IQoJb3JpZ2luX2VjEXAMPLE",
                "Expiration": 1_790_003_600,
            })
        );
    }

    #[test]
    fn secrets_compare_by_value() {
        assert_eq!(SecretKey::new("a"), SecretKey::new("a"));
        assert_ne!(SecretKey::new("a"), SecretKey::new("b"));
        assert_ne!(SessionToken::new("a"), SessionToken::new("ab"));
    }
}
