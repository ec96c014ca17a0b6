//! Secret request and response members: passwords, codes, tokens, sessions, client secrets.
//! They travel as plain JSON strings but never show in `Debug`, are zeroized on drop and
//! compare in constant time.

use core::fmt;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// A secret string member (`Password`, `AccessToken`, `Session`, `ConfirmationCode`, …).
///
/// The one secret type that is `Serialize`, `Deserialize` and `Clone`, on purpose: it is a
/// member of the wire shapes, which are deserialized from requests and serialized into
/// responses (tokens, `Session`, the `ClientSecret` Describe returns), and which derive
/// `Clone`. Its `PartialEq` is constant-time; `Debug` is redacted.
#[derive(Clone, Default, Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
#[serde(transparent)]
pub struct SecretString(String);

impl SecretString {
    /// Wraps `value`.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value, for the one place that needs it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&str> for SecretString {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl From<String> for SecretString {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl PartialEq for SecretString {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
    }
}

impl Eq for SecretString {}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// `AuthParameters` / `ChallengeResponses` / `ChallengeParameters`: a string map whose
/// `Debug` shows the keys only (values include `PASSWORD`, `SRP_A`, codes and answers), whose
/// values are zeroized on drop and compared in constant time. `Serialize`, `Deserialize` and
/// `Clone` as [`SecretString`], for the same reason.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SecretMap(pub BTreeMap<String, String>);

impl SecretMap {
    /// A map of `pairs`.
    pub fn of(pairs: &[(&str, &str)]) -> Self {
        Self(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    /// A value.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }
}

impl PartialEq for SecretMap {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .zip(&other.0)
                .fold(true, |same, ((k1, v1), (k2, v2))| {
                    same & (k1 == k2) & bool::from(v1.as_bytes().ct_eq(v2.as_bytes()))
                })
    }
}

impl Eq for SecretMap {}

impl Drop for SecretMap {
    fn drop(&mut self) {
        for value in self.0.values_mut() {
            value.zeroize();
        }
    }
}

impl fmt::Debug for SecretMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted_and_serde_is_transparent() {
        let s = SecretString::new("hunter2");
        assert_eq!(format!("{s:?}"), "<redacted>");
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"hunter2\"");
        let m = SecretMap::of(&[("PASSWORD", "hunter2"), ("USERNAME", "a")]);
        let shown = format!("{m:?}");
        assert!(shown.contains("PASSWORD") && !shown.contains("hunter2"));
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"PASSWORD":"hunter2","USERNAME":"a"}"#
        );
        assert_eq!(SecretString::new("a"), SecretString::new("a"));
        assert_ne!(SecretString::new("a"), SecretString::new("b"));
        assert_eq!(
            m,
            SecretMap::of(&[("USERNAME", "a"), ("PASSWORD", "hunter2")])
        );
        assert_ne!(
            m,
            SecretMap::of(&[("PASSWORD", "hunter3"), ("USERNAME", "a")])
        );
        assert_ne!(
            m,
            SecretMap::of(&[("PASSWORD", "hunter2"), ("USERNAMF", "a")])
        );
        assert_ne!(m, SecretMap::of(&[("PASSWORD", "hunter2")]));
    }
}
