//! Per-pool signing keys: two active keys (ID and access tokens sign with different keys, as on
//! Cognito) and the retired public keys that still verify the tokens they signed. One sealed
//! record per pool in the store, shared by every service on that store; each service caches
//! it and looks at the store again every [`KEY_CACHE_SECONDS`], when a retired key expires,
//! and when a token names a `kid` it does not know.
//!
//! The first keys are created with an insert-if-absent (two services racing to create them
//! end up with the winner's), rotations with a compare-and-swap (two concurrent rotations both
//! land, the second retiring the first's keys, so no key that signed a live token is lost).
//!
//! # Rotation ([`Admin::rotate_signing_keys`], a userpool extension)
//!
//! Cognito has no API for this (it rotates its keys itself), so it is a library call, not on
//! the JSON wire. It makes new ID and access keys, which sign every token from then on and are
//! in the JWKS at once; the old ones stay in the JWKS, verification only, until the longest
//! token lifetime of the pool's clients (plus the cache period, for services that sign with the
//! old keys until they next look at the store) has passed, and are dropped then.

use std::sync::Arc;

use jwt_tokens::{Jwk, Jwks, KeySet, SigningKey};
use rand_core::SeedableRng as _;
use serde::{Deserialize, Serialize};
use user_pool_model::{TokenValidity, UserPoolId};
use userpool_store::{StoreError, StoredKeys};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::core::Core;
use crate::core::internal;
use crate::error::{Error, ErrorKind, Result};
use crate::seal::Purpose;

/// How long a service signs and verifies with its cached copy of a pool's keys before it
/// looks at the store again (seconds).
pub const KEY_CACHE_SECONDS: i64 = 60;

use crate::reseal::SIGNING_KEYS_CONTEXT as CONTEXT;

/// How many times a rotation re-reads the record after another rotation changed it.
mod saml;

const ROTATION_ATTEMPTS: usize = 5;

/// What is sealed: both private keys as PKCS#8 PEM, the retired public keys (records
/// written before rotations existed have none), and the pool's SAML signing key with its
/// certificate once SAML needed it.
#[derive(Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
struct KeyRecord {
    id: String,
    access: String,
    #[serde(default)]
    retired: Vec<RetiredKey>,
    #[serde(default)]
    saml: Option<SamlKeyRecord>,
}

/// The pool's SAML signing key (PKCS#8 PEM) and its self-signed certificate (base64 DER).
/// Not rotated with the token keys: IdPs hold the certificate.
#[derive(Clone, Serialize, Deserialize, Zeroize)]
struct SamlKeyRecord {
    key: String,
    certificate: String,
    /// The encryption key pair (`EncryptedResponses`), apart from the signing key; records
    /// written before encryption existed have none until SAML next needs its keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    encryption: Option<SamlKeyPair>,
}

/// An RSA key (PKCS#8 PEM) and its self-signed certificate (base64 DER).
#[derive(Clone, Serialize, Deserialize, Zeroize)]
struct SamlKeyPair {
    key: String,
    certificate: String,
}

/// The pool's SAML signing key and certificate (DER), and its encryption key and
/// certificate, opened.
pub(crate) struct SamlSigning {
    pub(crate) key: userpool_saml::SpKey,
    pub(crate) certificate: Vec<u8>,
    /// Decrypts assertions the IdP encrypted to [`SamlSigning::encryption_certificate`].
    pub(crate) decryption: userpool_saml::SpKey,
    pub(crate) encryption_certificate: Vec<u8>,
}

/// A retired key: verification only, until `until`.
#[derive(Clone, Serialize, Deserialize, Zeroize)]
struct RetiredKey {
    /// The public key, as a JWKS document of that one key.
    jwk: String,
    /// Unix second after which it verifies nothing.
    until: i64,
}

/// A pool's keys as one service holds them.
pub(crate) struct CachedKeys {
    set: Arc<KeySet>,
    /// The record they came from: a change in the store is a different record.
    sealed: StoredKeys,
    /// When the first retired key in the set expires (the set is rebuilt without it then).
    first_expiry: Option<i64>,
    /// When to look at the store again.
    recheck_at: i64,
}

/// What [`Admin::rotate_signing_keys`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SigningKeyRotation {
    /// The `kid` of the new ID-token key.
    pub id_token_kid: String,
    /// The `kid` of the new access-token key.
    pub access_token_kid: String,
    /// The `kid`s of the keys this rotation retired.
    pub retired_kids: Vec<String>,
    /// Unix second until which the retired keys still verify (and are in the JWKS).
    pub retired_until: i64,
}

fn public_jwks(key: &SigningKey) -> String {
    Jwks {
        keys: vec![Jwk {
            kid: key.kid().to_owned(),
            key: key.public_key().clone(),
        }],
    }
    .to_json()
}

impl Core {
    /// A new ID key and access key. RSA key generation takes a while: it runs on its own
    /// generator, seeded from the service's, so the shared one is not held (and sign-ins not
    /// stalled) meanwhile.
    fn generate_keys(&self) -> Result<(SigningKey, SigningKey)> {
        let inner = self;
        let seed = Zeroizing::new(inner.entropy.bytes::<32>()?);
        let mut rng = rand_chacha::ChaCha20Rng::from_seed(*seed);
        let id_key = SigningKey::generate_with(inner.algorithm, &mut rng, inner.backend);
        let access_key = SigningKey::generate_with(inner.algorithm, &mut rng, inner.backend);
        Ok((
            id_key.map_err(|_| internal())?,
            access_key.map_err(|_| internal())?,
        ))
    }

    fn seal_record(&self, pool: &UserPoolId, record: &KeyRecord) -> Result<StoredKeys> {
        let plain = Zeroizing::new(serde_json::to_vec(record).map_err(|_| internal())?);
        let nonce = self.entropy.bytes::<12>()?;
        Ok(StoredKeys(
            self.sealer(pool, Purpose::AtRest)
                .seal(&plain, CONTEXT, nonce),
        ))
    }

    fn open_record(&self, pool: &UserPoolId, stored: &StoredKeys) -> Result<KeyRecord> {
        let plain = self
            .sealer(pool, Purpose::AtRest)
            .open(&stored.0, CONTEXT)
            .map_err(|_| {
                tracing::error!(target: "userpool::keys", pool = %pool.as_str(), "signing keys do not open under this master key");
                internal()
            })?;
        serde_json::from_slice(&plain).map_err(|_| internal())
    }

    /// Builds the key set of `stored` at `now` (retired keys expired by then left out) and
    /// makes it this service's copy.
    fn install(&self, pool: &UserPoolId, stored: StoredKeys, now: i64) -> Result<Arc<KeySet>> {
        let record = self.open_record(pool, &stored)?;
        let backend = self.backend;
        let id_key =
            SigningKey::from_pkcs8_pem_with(&record.id, backend).map_err(|_| internal())?;
        let access_key =
            SigningKey::from_pkcs8_pem_with(&record.access, backend).map_err(|_| internal())?;
        let mut set = KeySet::with_backend(id_key, access_key, backend).map_err(|_| internal())?;
        let mut first_expiry: Option<i64> = None;
        for retired in record.retired.iter().filter(|r| r.until >= now) {
            let jwks = Jwks::parse(retired.jwk.as_bytes()).map_err(|_| internal())?;
            for jwk in jwks.keys {
                set.insert_retired(jwk.kid, jwk.key, retired.until)
                    .map_err(|_| internal())?;
            }
            first_expiry = Some(first_expiry.map_or(retired.until, |t| t.min(retired.until)));
        }
        let set = Arc::new(set);
        let cached = CachedKeys {
            set: Arc::clone(&set),
            sealed: stored,
            first_expiry,
            recheck_at: recheck_at(now, first_expiry),
        };
        self.keys
            .write()
            .map_err(|_| internal())?
            .insert(pool.as_str().to_owned(), cached);
        Ok(set)
    }

    /// Creates a new pool's keys, unless another service got there first: then its keys are
    /// the pool's keys here too.
    pub(crate) async fn create_keys(&self, pool: &UserPoolId) -> Result<Arc<KeySet>> {
        let (id_key, access_key) = self.generate_keys()?;
        let record = KeyRecord {
            id: id_key.to_pkcs8_pem().map_err(|_| internal())?.to_string(),
            access: access_key
                .to_pkcs8_pem()
                .map_err(|_| internal())?
                .to_string(),
            retired: Vec::new(),
            saml: None,
        };
        let sealed = self.seal_record(pool, &record)?;
        let stored = self
            .store()
            .insert_signing_keys_if_absent(pool, sealed)
            .await?;
        self.install(pool, stored, self.now())
    }

    /// A pool's keys: this service's copy while it is fresh, else as the store has them.
    pub(crate) async fn key_set(&self, pool: &UserPoolId) -> Result<Arc<KeySet>> {
        let now = self.now();
        if let Some(cached) = self.keys.read().map_err(|_| internal())?.get(pool.as_str())
            && now < cached.recheck_at
        {
            return Ok(Arc::clone(&cached.set));
        }
        self.reload_keys(pool).await
    }

    /// A pool's keys as the store has them now (another service may have rotated them): the
    /// cached set is kept if the record is unchanged and none of its retired keys expired.
    pub(crate) async fn reload_keys(&self, pool: &UserPoolId) -> Result<Arc<KeySet>> {
        let Some(stored) = self.store().get_signing_keys(pool).await? else {
            return self.create_keys(pool).await;
        };
        let now = self.now();
        {
            let mut keys = self.keys.write().map_err(|_| internal())?;
            if let Some(cached) = keys.get_mut(pool.as_str())
                && cached.sealed == stored
                && cached.first_expiry.is_none_or(|t| now <= t)
            {
                cached.recheck_at = recheck_at(now, cached.first_expiry);
                return Ok(Arc::clone(&cached.set));
            }
        }
        self.install(pool, stored, now)
    }

    /// Forgets a deleted pool's cached keys.
    pub(crate) fn forget_keys(&self, pool: &UserPoolId) {
        if let Ok(mut keys) = self.keys.write() {
            keys.remove(pool.as_str());
        }
    }

    /// The longest ID or access token lifetime of the pool's clients (Cognito's default,
    /// one hour, when it has none).
    async fn longest_token_lifetime(&self, pool: &UserPoolId) -> Result<i64> {
        let default = TokenValidity::default();
        let mut longest = default.id.max(default.access);
        let mut token: Option<String> = None;
        loop {
            let page = self.store().list_clients(pool, 0, token.as_deref()).await?;
            for client in &page.items {
                let v = client.token_validity;
                longest = longest.max(v.id).max(v.access);
            }
            match page.next {
                Some(next) => token = Some(next),
                None => break,
            }
        }
        i64::try_from(longest).map_err(|_| internal())
    }

    /// Rotates pool `pool_id`'s signing keys (a userpool extension; Cognito has no such
    /// action): new ID and access keys sign every token from now on and are in the JWKS at
    /// once; the keys they replace stay in the JWKS and keep verifying the tokens they
    /// signed for the longest token lifetime of the pool's clients plus
    /// [`KEY_CACHE_SECONDS`], then are dropped. Every service sharing the store picks the
    /// new keys up within [`KEY_CACHE_SECONDS`] (at once for a token with a new `kid`).
    ///
    /// `ResourceNotFoundException` for an unknown pool; `LimitExceededException` when the
    /// retired keys still live would make the JWKS longer than
    /// [`jwt_tokens::MAX_JWKS_KEYS`] (rotate again once older ones expired);
    /// `ConcurrentModificationException` if other rotations kept changing the keys.
    pub(crate) async fn rotate_signing_keys(&self, pool_id: &str) -> Result<SigningKeyRotation> {
        let pool = self.pool(pool_id).await?;
        let retention = self.longest_token_lifetime(&pool.id).await? + KEY_CACHE_SECONDS;
        let (id_key, access_key) = self.generate_keys()?;
        let id_pem = id_key.to_pkcs8_pem().map_err(|_| internal())?;
        let access_pem = access_key.to_pkcs8_pem().map_err(|_| internal())?;
        for _ in 0..ROTATION_ATTEMPTS {
            let Some(current) = self.store().get_signing_keys(&pool.id).await? else {
                self.create_keys(&pool.id).await?;
                continue;
            };
            let old = self.open_record(&pool.id, &current)?;
            let now = self.now();
            let until = now + retention;
            let mut retired: Vec<RetiredKey> = old
                .retired
                .iter()
                .filter(|r| r.until >= now)
                .cloned()
                .collect();
            let mut retired_kids = Vec::with_capacity(2);
            for pem in [&old.id, &old.access] {
                let key =
                    SigningKey::from_pkcs8_pem_with(pem, self.backend).map_err(|_| internal())?;
                retired_kids.push(key.kid().to_owned());
                retired.push(RetiredKey {
                    jwk: public_jwks(&key),
                    until,
                });
            }
            if retired.len() + 2 > jwt_tokens::MAX_JWKS_KEYS {
                return Err(Error::new(
                    ErrorKind::LimitExceeded,
                    "Too many signing-key rotations within the token lifetime; try again when older keys have expired.",
                ));
            }
            let record = KeyRecord {
                id: id_pem.to_string(),
                access: access_pem.to_string(),
                retired,
                saml: old.saml.clone(),
            };
            let sealed = self.seal_record(&pool.id, &record)?;
            match self
                .store()
                .replace_signing_keys(&pool.id, &current, sealed.clone())
                .await
            {
                Ok(()) => {
                    self.install(&pool.id, sealed, now)?;
                    crate::audit!(operation = "RotateSigningKeys", pool = %pool.id.as_str(), id_kid = %id_key.kid(), access_kid = %access_key.kid(), retired_until = until);
                    return Ok(SigningKeyRotation {
                        id_token_kid: id_key.kid().to_owned(),
                        access_token_kid: access_key.kid().to_owned(),
                        retired_kids,
                        retired_until: until,
                    });
                }
                Err(StoreError::VersionConflict) => {}
                Err(e) => return Err(Error::from(e)),
            }
        }
        Err(Error::new(
            ErrorKind::ConcurrentModification,
            "The signing keys kept changing during the rotation; try again.",
        ))
    }
}

/// When a set built at `now` is checked against the store again: after the cache period, or
/// just after its first retired key expires.
fn recheck_at(now: i64, first_expiry: Option<i64>) -> i64 {
    let fresh_until = now.saturating_add(KEY_CACHE_SECONDS);
    first_expiry.map_or(fresh_until, |t| fresh_until.min(t.saturating_add(1)))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::Service;

    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng as _;
    use user_pool_model::{PoolConfig, UserPoolId};
    use userpool_store::{MemoryStore, Store};

    use super::*;
    use crate::{FixedClock, MasterKey};

    pub(super) fn service(store: &Arc<dyn Store>, seed: u64) -> Arc<Core> {
        Service::builder(store.clone(), MasterKey::new([1; 32]))
            .clock(Arc::new(FixedClock::new(1_800_000_000)))
            .rng(ChaCha20Rng::seed_from_u64(seed))
            .signing_algorithm(jwt_tokens::Algorithm::ES256)
            .build()
            .unwrap()
            .core()
            .clone()
    }

    pub(super) async fn pool(store: &Arc<dyn Store>) -> UserPoolId {
        let id = UserPoolId::parse("us-east-1_Keys00001").unwrap();
        store
            .create_pool(PoolConfig::new(id.clone(), "keys").unwrap())
            .await
            .unwrap();
        id
    }

    /// The race two services run when both found no keys: the second to store its keys is
    /// handed the first's, so both sign and verify with one set.
    #[tokio::test]
    async fn the_second_first_key_creation_takes_the_first_ones() {
        let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        let id = pool(&store).await;
        let (a, b) = (service(&store, 1), service(&store, 2));
        let first = a.create_keys(&id).await.unwrap();
        let second = b.create_keys(&id).await.unwrap();
        assert_eq!(first.jwks(), second.jwks());
        assert_eq!(a.key_set(&id).await.unwrap().jwks(), first.jwks());
        let stored = store.get_signing_keys(&id).await.unwrap().unwrap();
        assert_eq!(
            service(&store, 3).install(&id, stored, 0).unwrap().jwks(),
            first.jwks()
        );
    }

    /// A record sealed before rotations existed (`{"id", "access"}` alone) still loads.
    #[tokio::test]
    async fn a_record_without_retired_keys_loads() {
        let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        let id = pool(&store).await;
        let s = service(&store, 1);
        let (id_key, access_key) = s.generate_keys().unwrap();
        let legacy = serde_json::json!({
            "id": id_key.to_pkcs8_pem().unwrap().as_str(),
            "access": access_key.to_pkcs8_pem().unwrap().as_str(),
        });
        let plain = serde_json::to_vec(&legacy).unwrap();
        let sealed = s
            .sealer(&id, Purpose::AtRest)
            .seal(&plain, CONTEXT, [4; 12]);
        store
            .put_signing_keys(&id, StoredKeys(sealed))
            .await
            .unwrap();
        let kids: Vec<String> = s
            .key_set(&id)
            .await
            .unwrap()
            .jwks()
            .keys
            .into_iter()
            .map(|k| k.kid)
            .collect();
        assert_eq!(kids, [id_key.kid(), access_key.kid()]);
        let rotation = s.rotate_signing_keys(id.as_str()).await.unwrap();
        assert_eq!(rotation.retired_kids, kids);
    }

    /// The SAML key is made once, shared by the services on a store, and survives a
    /// rotation of the token keys.
    #[tokio::test]
    async fn the_saml_key_is_made_once_and_kept_across_rotations() {
        let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        let id = pool(&store).await;
        let s = service(&store, 1);
        let first = s.saml_signing(&id).await.unwrap();
        let again = service(&store, 2).saml_signing(&id).await.unwrap();
        assert_eq!(first.certificate, again.certificate);
        let jwks = s.key_set(&id).await.unwrap().jwks();
        s.rotate_signing_keys(id.as_str()).await.unwrap();
        assert_ne!(s.key_set(&id).await.unwrap().jwks(), jwks);
        let after = s.saml_signing(&id).await.unwrap();
        assert_eq!(after.certificate, first.certificate);
        let signature = after.key.sign(b"data").unwrap();
        assert_eq!(signature, first.key.sign(b"data").unwrap());
    }

    #[test]
    fn rechecks_come_after_the_cache_period_or_the_first_expiry() {
        assert_eq!(recheck_at(100, None), 100 + KEY_CACHE_SECONDS);
        assert_eq!(recheck_at(100, Some(110)), 111);
        assert_eq!(recheck_at(100, Some(1_000)), 100 + KEY_CACHE_SECONDS);
    }
}
