//! Remembered devices: `DeviceSecretVerifierConfig` (ConfirmDevice) and its device secret.
//!
//! Device SRP is user SRP with the device group key as the pool name, the device key as the
//! user id and a random password: the server side is the same [`ServerHandshake`](crate::ServerHandshake)
//! with [`ClaimIdentity::device`](crate::ClaimIdentity::device).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rand_core::CryptoRng;

use crate::error::{Error, Result, WireValue};
use crate::secret::Password;
use crate::verifier::{Salt, Verifier, compute_verifier};

/// Bytes of randomness in a device password (Base64 of 40 bytes, as every client makes it).
pub const DEVICE_PASSWORD_BYTES: usize = 40;
/// Longest `PasswordVerifier` accepted, in Base64 characters (a 385-byte verifier is 516).
pub const MAX_PASSWORD_VERIFIER_LEN: usize = 600;
/// Longest device `Salt` accepted, in Base64 characters.
pub const MAX_DEVICE_SALT_LEN: usize = 128;

/// `DeviceSecretVerifierConfig` as `ConfirmDevice` carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceSecretVerifierConfig {
    /// `PasswordVerifier`: standard Base64 of `padHex(v)`.
    pub password_verifier: String,
    /// `Salt`: standard Base64 of the salt bytes that were hashed.
    pub salt: String,
}

impl DeviceSecretVerifierConfig {
    /// Decodes and checks the config: the salt's bytes, and a verifier in `[1, N)`.
    pub fn decode(&self) -> Result<(Salt, Verifier)> {
        let verifier = decode_b64(
            &self.password_verifier,
            WireValue::PasswordVerifier,
            MAX_PASSWORD_VERIFIER_LEN,
        )?;
        let salt = decode_b64(&self.salt, WireValue::Salt, MAX_DEVICE_SALT_LEN)?;
        Ok((Salt::from_bytes(salt), Verifier::from_bytes(&verifier)?))
    }
}

fn decode_b64(s: &str, value: WireValue, max: usize) -> Result<Vec<u8>> {
    if s.is_empty() {
        return Err(Error::Empty(value));
    }
    if s.len() > max {
        return Err(Error::TooLong { value, max });
    }
    let bytes = STANDARD.decode(s).map_err(|_| Error::NotBase64(value))?;
    if bytes.is_empty() {
        return Err(Error::Empty(value));
    }
    Ok(bytes)
}

/// What a client does after `NewDeviceMetadata` (acij's `generateHashDevice`): a random
/// device password and the verifier config to send in `ConfirmDevice`.
pub fn generate_device_secret(
    device_group_key: &str,
    device_key: &str,
    rng: &mut impl CryptoRng,
) -> (Password, DeviceSecretVerifierConfig) {
    let mut raw = zeroize::Zeroizing::new([0u8; DEVICE_PASSWORD_BYTES]);
    rng.fill_bytes(raw.as_mut_slice());
    let password = Password::new(STANDARD.encode(raw.as_slice()));
    let salt = Salt::generate(rng);
    let verifier = compute_verifier(device_group_key, device_key, &password, &salt);
    let config = DeviceSecretVerifierConfig {
        password_verifier: STANDARD.encode(verifier.to_bytes().as_slice()),
        salt: STANDARD.encode(salt.as_bytes()),
    };
    (password, config)
}
