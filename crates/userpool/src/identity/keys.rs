//! The identity service's own signing key: one RSA-2048 key (RS256), generated on first use,
//! stored sealed under the master key (of several instances starting at once, the first key
//! stored wins), cached once opened. It signs the OpenID tokens; its JWKS and discovery
//! document let anyone — IAM registering the issuer as an OIDC provider, STS — verify them.

use std::sync::Arc;

use identity_pool_model::ClaimsMap;
use jwt_tokens::{Algorithm, Jwks, SigningKey, Verifier};
use rand_core::SeedableRng as _;
use serde_json::{Value, json};
use userpool_store::StoredKeys;
use zeroize::Zeroizing;

use super::error::{IdentityError, IdentityResult};
use super::service::IdentityService;
use crate::seal::{Purpose, Sealer};

// The sealing scope of the key (in place of a user pool id: no pool id looks like it) and the
// associated data of the sealed key.
use crate::reseal::IDENTITY_KEYS_CONTEXT as CONTEXT;
use crate::reseal::IDENTITY_SCOPE as SEAL_SCOPE;

/// The key and a verifier of its signatures.
pub(crate) struct IdentityKeys {
    key: SigningKey,
    verifier: Verifier,
}

impl IdentityService {
    fn sealer(&self) -> Sealer {
        Sealer::new(&self.inner.master, Purpose::AtRest, SEAL_SCOPE)
    }

    /// The key (opened from the store, or generated and stored, on first use).
    pub(crate) async fn keys(&self) -> IdentityResult<Arc<IdentityKeys>> {
        self.inner
            .keys
            .get_or_try_init(|| self.load_keys())
            .await
            .cloned()
    }

    async fn load_keys(&self) -> IdentityResult<Arc<IdentityKeys>> {
        let store = self.store();
        let stored = match store
            .get_identity_keys()
            .await
            .map_err(|e| IdentityError::from_store(&e))?
        {
            Some(stored) => stored,
            None => {
                let fresh = self.generate_sealed()?;
                store
                    .create_identity_keys(fresh)
                    .await
                    .map_err(|e| IdentityError::from_store(&e))?
            }
        };
        let pem = self.sealer().open(&stored.0, CONTEXT).map_err(|_| {
            tracing::error!(target: "userpool::identity", "the identity signing key does not open under this master key");
            IdentityError::internal()
        })?;
        let pem = std::str::from_utf8(&pem).map_err(|_| IdentityError::internal())?;
        let key = SigningKey::from_pkcs8_pem_with(pem, self.inner.backend)
            .map_err(|_| IdentityError::internal())?;
        let jwks = Jwks {
            keys: vec![jwt_tokens::Jwk {
                kid: key.kid().to_owned(),
                key: key.public_key().clone(),
            }],
        };
        let verifier = Verifier::from_jwks_with(&jwks, self.inner.backend)
            .map_err(|_| IdentityError::internal())?;
        Ok(Arc::new(IdentityKeys { key, verifier }))
    }

    /// A new RSA-2048 key, sealed. Generated on a generator of its own (seeded from the
    /// service's), so the shared one is not held meanwhile.
    fn generate_sealed(&self) -> IdentityResult<StoredKeys> {
        let entropy = &self.inner.entropy;
        let seed = Zeroizing::new(
            entropy
                .bytes::<32>()
                .map_err(|_| IdentityError::internal())?,
        );
        let mut rng = rand_chacha::ChaCha20Rng::from_seed(*seed);
        let key = SigningKey::generate_with(Algorithm::RS256, &mut rng, self.inner.backend)
            .map_err(|_| IdentityError::internal())?;
        let pem = key.to_pkcs8_pem().map_err(|_| IdentityError::internal())?;
        let nonce = entropy
            .bytes::<12>()
            .map_err(|_| IdentityError::internal())?;
        Ok(StoredKeys(self.sealer().seal(
            pem.as_bytes(),
            CONTEXT,
            nonce,
        )))
    }

    /// Signs OpenID-token claims.
    pub(crate) async fn sign(&self, claims: &ClaimsMap) -> IdentityResult<String> {
        self.keys()
            .await?
            .key
            .sign_claims(claims)
            .map_err(|_| IdentityError::internal())
    }

    /// The claims of one of our own OpenID tokens whose signature verifies (`None` otherwise);
    /// the claims themselves are the caller's to check.
    pub(crate) async fn verify_own(
        &self,
        token: &str,
        now: i64,
    ) -> IdentityResult<Option<ClaimsMap>> {
        let keys = self.keys().await?;
        Ok(keys
            .verifier
            .verify_jws(token, now)
            .ok()
            .and_then(|jws| jwt_tokens::strict_json::parse_object(&jws.payload)))
    }

    /// The JWKS of the OpenID tokens (`<issuer>/.well-known/jwks.json`).
    ///
    /// # Errors
    /// `InternalErrorException` if the key cannot be read or made.
    pub async fn jwks(&self) -> IdentityResult<Jwks> {
        Ok(self.keys().await?.verifier.jwks())
    }

    /// The discovery document (`<issuer>/.well-known/openid-configuration`): enough for IAM to
    /// register the issuer as an OIDC provider and for any relying party to find the keys.
    ///
    /// # Errors
    /// `InternalErrorException` if the key cannot be read or made.
    pub async fn openid_configuration(&self) -> IdentityResult<Value> {
        let keys = self.keys().await?;
        let issuer = self.issuer();
        Ok(json!({
            "issuer": issuer,
            "jwks_uri": format!("{issuer}/.well-known/jwks.json"),
            "response_types_supported": ["id_token"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": [keys.key.algorithm().name()],
            "claims_supported": ["sub", "aud", "iss", "amr", "iat", "exp",
                identity_pool_model::IDENTITY_POOL_ARN_CLAIM, identity_pool_model::TAGS_CLAIM],
        }))
    }
}
