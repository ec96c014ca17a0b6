//! Moving the secrets a store keeps sealed at rest from one master key to another, record by
//! record, outside a running service: what `userpool-server export --portable` and `import
//! --portable` do with a key derived from a passphrase, and what an import does to check that
//! a dump opens under the target's master key.
//!
//! What is sealed, and what each value is bound to (the associated data; see [`Sealer`]), is
//! decided here and used by the service itself, so the two cannot drift apart. Every value is
//! sealed with [`Purpose::AtRest`]:
//!
//! | record | field | scope (in place of the pool id) | context |
//! | --- | --- | --- | --- |
//! | [`User`] | `password.verifier` | the user pool id | `verifier:<sub>` |
//! | [`User`] | `imported_password_hash` | the user pool id | `imported-hash:<sub>` |
//! | [`User`] | `mfa.totp_secret` | the user pool id | `totp:<sub>` |
//! | [`User`] | `mfa.pending_totp_secret` | the user pool id | `pending-totp:<sub>` |
//! | [`User`] | each `devices[].verifier` | the user pool id | `device:<device key>` |
//! | [`AppClient`] | `sealed_secret` | the user pool id | `client-secret:<client id>` |
//! | [`ProviderRecord`] | each `sealed_secrets[key]` | the user pool id | `idp:<pool id>:<provider name>:<key>` |
//! | [`StoredKeys`] of a pool | the whole record | the user pool id | `signing-keys` |
//! | [`StoredKeys`] of the identity service | the whole record | `cognito-identity` | `identity-signing-key` |
//!
//! So a sealed value moves only with its pool id, its owner's `sub`, device key, client id or
//! provider name unchanged.
//!
//! ```
//! use user_pool_model::{PasswordRecord, Sub, User, UserPoolId, UserStatus};
//! use userpool::{MasterKey, Purpose, Resealer, Sealer};
//!
//! let pool = UserPoolId::parse("us-east-1_AbCdEf123")?;
//! let mut alice = User::new("alice", Sub::from_bytes([1; 16]), UserStatus::Confirmed, 0);
//! let (old, new) = (MasterKey::new([1; 32]), MasterKey::new([2; 32]));
//! // A verifier as the service stores it, sealed under `old` (any bytes will do here).
//! let context = format!("verifier:{}", alice.sub);
//! let sealed = Sealer::new(&old, Purpose::AtRest, pool.as_str()).seal(b"v", context.as_bytes(), [9; 12]);
//! alice.password = Some(PasswordRecord { salt: vec![1], verifier: sealed, set_at: 0, expires_at: None });
//!
//! Resealer::new(old.clone(), new.clone(), [7; 32]).user(&pool, &mut alice)?;
//! // Now it opens under `new` only.
//! assert!(Resealer::new(old, new.clone(), [7; 32]).user(&pool, &mut alice.clone()).is_err());
//! assert!(Resealer::new(new.clone(), new, [7; 32]).user(&pool, &mut alice).is_ok());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use rand_chacha::ChaCha20Rng;
use rand_core::{Rng as _, SeedableRng as _};
use user_pool_model::{AppClient, Sub, User, UserPoolId};
use userpool_store::{ProviderRecord, StoredKeys};

use crate::seal::{Keyring, NONCE_BYTES, Purpose, Sealer, Unsealable};

/// The context of a user's password verifier.
pub(crate) fn verifier_context(sub: &Sub) -> String {
    format!("verifier:{sub}")
}

/// The context of a user's imported password hash.
pub(crate) fn imported_hash_context(sub: &Sub) -> String {
    format!("imported-hash:{sub}")
}

/// The context of a user's software token in `slot` (`totp` or `pending-totp`).
pub(crate) fn totp_context(slot: &str, sub: &Sub) -> String {
    format!("{slot}:{sub}")
}

/// The context of a device's verifier.
pub(crate) fn device_context(device_key: &str) -> String {
    format!("device:{device_key}")
}

/// The context of an app client's secret.
pub(crate) fn client_secret_context(client: &str) -> String {
    format!("client-secret:{client}")
}

/// The context of one secret of an identity provider's details.
pub(crate) fn provider_secret_context(pool: &str, provider: &str, key: &str) -> String {
    format!("idp:{pool}:{provider}:{key}")
}

/// The context of a pool's signing keys.
pub(crate) const SIGNING_KEYS_CONTEXT: &[u8] = b"signing-keys";

/// The scope the identity service's key is sealed in (no user pool id looks like it).
pub(crate) const IDENTITY_SCOPE: &str = "cognito-identity";

/// The context of the identity service's key.
pub(crate) const IDENTITY_KEYS_CONTEXT: &[u8] = b"identity-signing-key";

/// Opens every secret of a record under one keyring and seals it again under another (fresh
/// nonces from a ChaCha20 generator seeded by the caller). A value that does not open leaves
/// the record as it was and fails with [`Unsealable`]; records are changed in place only when
/// every one of their secrets opened.
pub struct Resealer {
    from: Keyring,
    to: Keyring,
    rng: ChaCha20Rng,
}

impl fmt::Debug for Resealer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Resealer")
            .field("from", &self.from)
            .field("to", &self.to)
            .finish_non_exhaustive()
    }
}

impl Resealer {
    /// Re-seals what `from` sealed under `to`'s active key; `seed` (32 random bytes) seeds the
    /// nonces.
    pub fn new(from: impl Into<Keyring>, to: impl Into<Keyring>, seed: [u8; 32]) -> Self {
        Self {
            from: from.into(),
            to: to.into(),
            rng: ChaCha20Rng::from_seed(seed),
        }
    }

    fn reseal(
        &mut self,
        scope: &str,
        context: &[u8],
        sealed: &[u8],
    ) -> Result<Vec<u8>, Unsealable> {
        let plain =
            Sealer::with_keyring(&self.from, Purpose::AtRest, scope).open(sealed, context)?;
        Ok(self.seal(scope, context, &plain))
    }

    fn seal(&mut self, scope: &str, context: &[u8], plain: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_BYTES];
        self.rng.fill_bytes(&mut nonce);
        Sealer::with_keyring(&self.to, Purpose::AtRest, scope).seal(plain, context, nonce)
    }

    /// A user's password verifier, imported password hash, software tokens (verified and
    /// pending) and device verifiers.
    pub fn user(&mut self, pool: &UserPoolId, user: &mut User) -> Result<(), Unsealable> {
        let scope = pool.as_str();
        let mut out = user.clone();
        if let Some(password) = out.password.as_mut() {
            password.verifier = self.reseal(
                scope,
                verifier_context(&user.sub).as_bytes(),
                &password.verifier,
            )?;
        }
        if let Some(hash) = out.imported_password_hash.as_mut() {
            *hash = self.reseal(scope, imported_hash_context(&user.sub).as_bytes(), hash)?;
        }
        for (slot, value) in [
            ("totp", &mut out.mfa.totp_secret),
            ("pending-totp", &mut out.mfa.pending_totp_secret),
        ] {
            if let Some(sealed) = value.as_mut() {
                *sealed = self.reseal(scope, totp_context(slot, &user.sub).as_bytes(), sealed)?;
            }
        }
        for device in &mut out.devices {
            device.verifier = self.reseal(
                scope,
                device_context(&device.key).as_bytes(),
                &device.verifier,
            )?;
        }
        *user = out;
        Ok(())
    }

    /// An app client's secret. A secret in plaintext (a record written before secrets were
    /// sealed) is sealed under `to`.
    pub fn client(&mut self, pool: &UserPoolId, client: &mut AppClient) -> Result<(), Unsealable> {
        let context = client_secret_context(client.id.as_str());
        if let Some(sealed) = &client.sealed_secret {
            client.sealed_secret = Some(self.reseal(pool.as_str(), context.as_bytes(), sealed)?);
        } else if let Some(secret) = client.secret.take() {
            client.sealed_secret = Some(self.seal(
                pool.as_str(),
                context.as_bytes(),
                secret.expose_secret().as_bytes(),
            ));
        }
        Ok(())
    }

    /// The secrets of an identity provider's details.
    pub fn provider(
        &mut self,
        pool: &UserPoolId,
        record: &mut ProviderRecord,
    ) -> Result<(), Unsealable> {
        let mut sealed_secrets = record.sealed_secrets.clone();
        for (key, sealed) in &mut sealed_secrets {
            let context = provider_secret_context(pool.as_str(), &record.name, key);
            *sealed = self.reseal(pool.as_str(), context.as_bytes(), sealed)?;
        }
        record.sealed_secrets = sealed_secrets;
        Ok(())
    }

    /// A pool's signing keys.
    pub fn signing_keys(
        &mut self,
        pool: &UserPoolId,
        keys: &mut StoredKeys,
    ) -> Result<(), Unsealable> {
        keys.0 = self.reseal(pool.as_str(), SIGNING_KEYS_CONTEXT, &keys.0)?;
        Ok(())
    }

    /// The identity service's signing key.
    pub fn identity_keys(&mut self, keys: &mut StoredKeys) -> Result<(), Unsealable> {
        keys.0 = self.reseal(IDENTITY_SCOPE, IDENTITY_KEYS_CONTEXT, &keys.0)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use user_pool_model::{ClientId, ClientSecret, Device, UserStatus};

    use super::*;
    use crate::seal::MasterKey;

    const POOL: &str = "us-east-1_AbCdEf123";

    fn keys() -> (MasterKey, MasterKey) {
        (MasterKey::new([1; 32]), MasterKey::new([2; 32]))
    }

    fn seal(master: &MasterKey, scope: &str, context: &str, plain: &[u8]) -> Vec<u8> {
        Sealer::new(master, Purpose::AtRest, scope).seal(plain, context.as_bytes(), [3; 12])
    }

    fn open(master: &MasterKey, scope: &str, context: &str, sealed: &[u8]) -> Vec<u8> {
        Sealer::new(master, Purpose::AtRest, scope)
            .open(sealed, context.as_bytes())
            .expect("opens")
            .to_vec()
    }

    #[test]
    fn every_secret_of_a_user_moves_and_a_bad_one_leaves_the_user_unchanged() {
        let (a, b) = keys();
        let pool = UserPoolId::parse(POOL).unwrap();
        let mut user = User::new("alice", Sub::from_bytes([5; 16]), UserStatus::Confirmed, 0);
        let sub = user.sub.to_string();
        user.password = Some(user_pool_model::PasswordRecord {
            salt: vec![1],
            verifier: seal(&a, POOL, &format!("verifier:{sub}"), b"v"),
            set_at: 0,
            expires_at: None,
        });
        user.mfa.totp_secret = Some(seal(&a, POOL, &format!("totp:{sub}"), b"t"));
        user.mfa.pending_totp_secret = Some(seal(&a, POOL, &format!("pending-totp:{sub}"), b"p"));
        user.devices.push(Device {
            key: "us-east-1_dev".into(),
            group_key: "g".into(),
            salt: vec![2],
            verifier: seal(&a, POOL, "device:us-east-1_dev", b"d"),
            name: None,
            remembered: true,
            created: 0,
            modified: 0,
            last_authenticated: None,
            last_ip: None,
        });
        let original = user.clone();
        let mut moved = user.clone();
        Resealer::new(a.clone(), b.clone(), [0; 32])
            .user(&pool, &mut moved)
            .unwrap();
        let password = moved.password.as_ref().unwrap();
        assert_eq!(
            open(&b, POOL, &format!("verifier:{sub}"), &password.verifier),
            b"v"
        );
        let totp = moved.mfa.totp_secret.as_ref().unwrap();
        assert_eq!(open(&b, POOL, &format!("totp:{sub}"), totp), b"t");
        let pending = moved.mfa.pending_totp_secret.as_ref().unwrap();
        assert_eq!(
            open(&b, POOL, &format!("pending-totp:{sub}"), pending),
            b"p"
        );
        assert_eq!(
            open(&b, POOL, "device:us-east-1_dev", &moved.devices[0].verifier),
            b"d"
        );

        // Under the wrong key: an error, and the record untouched.
        let mut again = original.clone();
        assert_eq!(
            Resealer::new(b.clone(), a.clone(), [0; 32]).user(&pool, &mut again),
            Err(Unsealable)
        );
        assert_eq!(again, original);
        // A device verifier copied onto another device does not open.
        let mut swapped = original;
        swapped.devices[0].key = "us-east-1_other".into();
        assert_eq!(
            Resealer::new(a, b, [0; 32]).user(&pool, &mut swapped),
            Err(Unsealable)
        );
    }

    #[test]
    fn clients_providers_and_keys_move() {
        let (a, b) = keys();
        let pool = UserPoolId::parse(POOL).unwrap();
        let mut r = Resealer::new(a.clone(), b.clone(), [1; 32]);

        let id = ClientId::parse("client1").unwrap();
        let mut client = AppClient::new(id.clone(), "web", None).unwrap();
        client.sealed_secret = Some(seal(&a, POOL, "client-secret:client1", b"s3cr3t"));
        r.client(&pool, &mut client).unwrap();
        let sealed = client.sealed_secret.as_ref().unwrap();
        assert_eq!(open(&b, POOL, "client-secret:client1", sealed), b"s3cr3t");
        // A legacy plaintext secret is sealed under the target.
        let secret = ClientSecret::parse(&"x".repeat(51)).unwrap();
        let mut legacy = AppClient::new(id, "web", Some(secret)).unwrap();
        r.client(&pool, &mut legacy).unwrap();
        assert!(legacy.secret.is_none());
        let sealed = legacy.sealed_secret.as_ref().unwrap();
        assert_eq!(
            open(&b, POOL, "client-secret:client1", sealed),
            "x".repeat(51).as_bytes()
        );

        let context = format!("idp:{POOL}:Google:client_secret");
        let mut provider = ProviderRecord {
            name: "Google".into(),
            provider_type: "Google".into(),
            details: BTreeMap::new(),
            sealed_secrets: BTreeMap::from([(
                "client_secret".to_owned(),
                seal(&a, POOL, &context, b"g"),
            )]),
            attribute_mapping: BTreeMap::new(),
            idp_identifiers: Vec::new(),
            created: 0,
            last_modified: 0,
        };
        r.provider(&pool, &mut provider).unwrap();
        assert_eq!(
            open(
                &b,
                POOL,
                &context,
                &provider.sealed_secrets["client_secret"]
            ),
            b"g"
        );

        let mut signing = StoredKeys(seal(&a, POOL, "signing-keys", b"k"));
        r.signing_keys(&pool, &mut signing).unwrap();
        assert_eq!(open(&b, POOL, "signing-keys", &signing.0), b"k");
        let mut identity = StoredKeys(seal(&a, "cognito-identity", "identity-signing-key", b"i"));
        r.identity_keys(&mut identity).unwrap();
        assert_eq!(
            open(&b, "cognito-identity", "identity-signing-key", &identity.0),
            b"i"
        );
        // Another pool's keys do not open as this pool's.
        let mut foreign = StoredKeys(seal(&a, "us-east-1_Other0000", "signing-keys", b"k"));
        assert_eq!(r.signing_keys(&pool, &mut foreign), Err(Unsealable));
    }
}
