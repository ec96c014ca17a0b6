//! Secret newtypes: redacted `Debug`, zeroized on drop, compared in constant time.

use core::fmt;

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// A plaintext password (or a device's random password) on its way into a verifier or a proof.
///
/// Zeroized on drop, redacted in `Debug`, read only through [`Password::expose_secret`]. Single
/// use: not `Clone`, not comparable (`PartialEq`), not serializable.
///
/// ```
/// let p = cognito_srp6a::Password::new("hunter2");
/// assert_eq!(format!("{p:?}"), "Password(<redacted>)");
/// ```
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct Password(String);

impl Password {
    /// Wraps a password.
    pub fn new(password: impl Into<String>) -> Self {
        Self(password.into())
    }

    /// The password's text.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

impl From<&str> for Password {
    fn from(s: &str) -> Self {
        Self::new(s)
    }
}

/// Secret bytes that leave the crate (a serialized server state, a generated device password):
/// zeroized on drop, redacted in `Debug`, compared in constant time.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SecretBytes(Vec<u8>);

impl SecretBytes {
    pub(crate) fn new(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// The secret bytes.
    pub fn expose_secret(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretBytes(<{} bytes redacted>)", self.0.len())
    }
}

impl PartialEq for SecretBytes {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl Eq for SecretBytes {}

#[cfg(test)]
mod tests {
    use super::*;

    // A password is single use: no copies, no comparison outside the protocol, no serializing.
    static_assertions::assert_not_impl_any!(Password: serde::Serialize, PartialEq, Clone);
    // Secret bytes compare in constant time only (the impl above) and are never serialized.
    static_assertions::assert_not_impl_any!(SecretBytes: serde::Serialize);

    #[test]
    fn secret_bytes_compare_by_value() {
        assert_eq!(SecretBytes::new(vec![1, 2]), SecretBytes::new(vec![1, 2]));
        assert_ne!(SecretBytes::new(vec![1, 2]), SecretBytes::new(vec![1, 3]));
        assert_ne!(SecretBytes::new(vec![1, 2]), SecretBytes::new(vec![1]));
    }
}
