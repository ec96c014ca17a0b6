//! Per-pool signing keys: two keys (ID and access tokens sign with different keys, as on
//! Cognito), generated when the pool is created, stored sealed under the master key, cached
//! in memory once opened.

use std::sync::Arc;

use jwt_tokens::{KeySet, SigningKey};
use rand_core::SeedableRng as _;
use serde::{Deserialize, Serialize};
use user_pool_model::UserPoolId;
use userpool_store::StoredKeys;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::Result;
use crate::seal::Purpose;
use crate::service::{Service, internal};

const CONTEXT: &[u8] = b"signing-keys";

/// What is sealed: both private keys as PKCS#8 PEM.
#[derive(Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
struct KeyPems {
    id: String,
    access: String,
}

impl Service {
    /// Generates and stores a new pool's keys.
    pub(crate) async fn create_keys(&self, pool: &UserPoolId) -> Result<Arc<KeySet>> {
        let inner = &self.inner;
        // RSA key generation takes a while: it runs on its own generator, seeded from the
        // service's, so the shared one is not held (and sign-ins not stalled) meanwhile.
        let seed = Zeroizing::new(inner.entropy.bytes::<32>()?);
        let mut rng = rand_chacha::ChaCha20Rng::from_seed(*seed);
        let id_key = SigningKey::generate_with(inner.algorithm, &mut rng, inner.backend);
        let access_key = SigningKey::generate_with(inner.algorithm, &mut rng, inner.backend);
        let (id_key, access_key) = (
            id_key.map_err(|_| internal())?,
            access_key.map_err(|_| internal())?,
        );
        let pems = KeyPems {
            id: id_key.to_pkcs8_pem().map_err(|_| internal())?.to_string(),
            access: access_key
                .to_pkcs8_pem()
                .map_err(|_| internal())?
                .to_string(),
        };
        let plain = Zeroizing::new(serde_json::to_vec(&pems).map_err(|_| internal())?);
        let nonce = inner.entropy.bytes::<12>()?;
        let sealed = self
            .sealer(pool, Purpose::AtRest)
            .seal(&plain, CONTEXT, nonce);
        self.store()
            .put_signing_keys(pool, StoredKeys(sealed))
            .await
            .map_err(|e| self.store_error(&e))?;
        let set = Arc::new(
            KeySet::with_backend(id_key, access_key, inner.backend).map_err(|_| internal())?,
        );
        inner
            .keys
            .write()
            .map_err(|_| internal())?
            .insert(pool.as_str().to_owned(), Arc::clone(&set));
        Ok(set)
    }

    /// A pool's keys (cached; opened from the store on first use).
    pub(crate) async fn key_set(&self, pool: &UserPoolId) -> Result<Arc<KeySet>> {
        if let Some(set) = self
            .inner
            .keys
            .read()
            .map_err(|_| internal())?
            .get(pool.as_str())
        {
            return Ok(Arc::clone(set));
        }
        let Some(stored) = self
            .store()
            .get_signing_keys(pool)
            .await
            .map_err(|e| self.store_error(&e))?
        else {
            return self.create_keys(pool).await;
        };
        let plain = self
            .sealer(pool, Purpose::AtRest)
            .open(&stored.0, CONTEXT)
            .map_err(|_| {
                tracing::error!(target: "userpool::keys", pool = %pool.as_str(), "signing keys do not open under this master key");
                internal()
            })?;
        let pems: KeyPems = serde_json::from_slice(&plain).map_err(|_| internal())?;
        let backend = self.inner.backend;
        let id_key = SigningKey::from_pkcs8_pem_with(&pems.id, backend).map_err(|_| internal())?;
        let access_key =
            SigningKey::from_pkcs8_pem_with(&pems.access, backend).map_err(|_| internal())?;
        let set =
            Arc::new(KeySet::with_backend(id_key, access_key, backend).map_err(|_| internal())?);
        self.inner
            .keys
            .write()
            .map_err(|_| internal())?
            .insert(pool.as_str().to_owned(), Arc::clone(&set));
        Ok(set)
    }

    /// Forgets a deleted pool's cached keys.
    pub(crate) fn forget_keys(&self, pool: &UserPoolId) {
        if let Ok(mut keys) = self.inner.keys.write() {
            keys.remove(pool.as_str());
        }
    }
}
