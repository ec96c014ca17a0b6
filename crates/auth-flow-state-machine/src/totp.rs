//! Software-token MFA (RFC 6238 via `totp-rs`): SHA-1, 6 digits, 30-second steps, one step
//! of skew either way, and a code once accepted never accepted again.

use core::fmt;

use rand_core::CryptoRng;
use totp_rs::{Algorithm, Builder, Secret};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::error::{FlowError, Result};

/// Bytes of a generated secret (Cognito's `SecretCode` is 52 base32 characters).
pub const SECRET_BYTES: usize = 32;

/// A TOTP shared secret: zeroized, redacted in `Debug`, not comparable (`PartialEq`) and not
/// serializable. `Clone` stays: it is the user's long-lived seed (stored sealed, not single
/// use), carried in [`TotpFactor`](crate::TotpFactor) by the [`Account`](crate::Account) a
/// transition may copy.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct TotpSecret(Vec<u8>);

impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpSecret(<redacted>)")
    }
}

impl TotpSecret {
    /// A new secret for `AssociateSoftwareToken`.
    pub fn generate(rng: &mut impl CryptoRng) -> Self {
        let mut bytes = vec![0u8; SECRET_BYTES];
        rng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// A stored secret.
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// The raw bytes (store them encrypted).
    pub fn expose_secret(&self) -> &[u8] {
        &self.0
    }

    /// `SecretCode`: the secret in base32 without padding, as authenticator apps read it.
    pub fn secret_code(&self) -> String {
        Secret::from(self.0.clone()).to_base32()
    }

    /// Checks `code` at unix time `now`, refusing codes from steps at or before
    /// `last_used_step` (a replay). Returns the step to remember on success.
    pub fn verify(&self, code: &str, now: i64, last_used_step: Option<u64>) -> Result<u64> {
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FlowError::InvalidTotp("the code must be 6 digits"));
        }
        let now = u64::try_from(now).map_err(|_| FlowError::TotpMismatch)?;
        let totp = Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(6)
            .with_skew(1)
            .with_step_duration(30)
            .with_secret(self.0.clone())
            .build()
            .map_err(|_| FlowError::InvalidTotp("the secret is too short"))?;
        let step = totp.check(code, now).ok_or(FlowError::TotpMismatch)?;
        if last_used_step.is_some_and(|last| step <= last) {
            return Err(FlowError::TotpMismatch);
        }
        Ok(step)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static_assertions::assert_not_impl_any!(TotpSecret: serde::Serialize, PartialEq);
    static_assertions::assert_not_impl_any!(crate::TotpFactor: serde::Serialize, PartialEq);
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    fn code_at(secret: &TotpSecret, t: u64) -> String {
        Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(6)
            .with_skew(0)
            .with_step_duration(30)
            .with_secret(secret.0.clone())
            .build()
            .expect("totp")
            .generate(t)
            .to_string()
    }

    /// RFC 6238 Appendix B (SHA-1 column, last six digits of the eight-digit values).
    #[test]
    fn rfc6238_vectors() {
        let secret = TotpSecret::from_bytes(b"12345678901234567890".to_vec());
        for (t, eight) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
        ] {
            assert_eq!(code_at(&secret, t), &eight[2..], "T={t}");
            assert!(secret.verify(&eight[2..], t as i64, None).is_ok());
        }
    }

    #[test]
    fn skew_and_replay() {
        let secret = TotpSecret::generate(&mut ChaCha20Rng::seed_from_u64(1));
        assert_eq!(secret.secret_code().len(), 52);
        let now = 1_790_000_010;
        let current = code_at(&secret, now as u64);
        let step = secret.verify(&current, now, None).expect("current step");
        assert_eq!(
            secret.verify(&current, now, Some(step)),
            Err(FlowError::TotpMismatch),
            "a used code is refused"
        );
        let previous = code_at(&secret, now as u64 - 30);
        assert!(
            secret.verify(&previous, now, None).is_ok(),
            "one step early"
        );
        assert_eq!(
            secret.verify(&previous, now, Some(step)),
            Err(FlowError::TotpMismatch),
            "older than the last used"
        );
        let next = code_at(&secret, now as u64 + 30);
        assert!(
            secret.verify(&next, now, Some(step)).is_ok(),
            "one step late"
        );
        let far = code_at(&secret, now as u64 + 90);
        assert_eq!(secret.verify(&far, now, None), Err(FlowError::TotpMismatch));
        assert!(matches!(
            secret.verify("12345", now, None),
            Err(FlowError::InvalidTotp(_))
        ));
        assert!(matches!(
            secret.verify("12a456", now, None),
            Err(FlowError::InvalidTotp(_))
        ));
        assert_eq!(format!("{secret:?}"), "TotpSecret(<redacted>)");
    }
}
