//! The pool's SAML keys: made the first time SAML needs them, sealed in the key record.

use rand_core::SeedableRng as _;
use zeroize::Zeroizing;

use super::*;

impl Core {
    /// The pool's SAML signing key and certificate, and its encryption key and certificate,
    /// made (RSA-2048 each, ten-year self-signed certificates named by the SP entity id) and
    /// stored beside the token keys the first time a pool needs them; a concurrent first use
    /// ends up with one of the two.
    pub(crate) async fn saml_signing(&self, pool: &UserPoolId) -> Result<SamlSigning> {
        let open = |saml: &SamlKeyRecord| -> Result<SamlSigning> {
            use base64::Engine as _;
            let der = |b64: &str| {
                base64::engine::general_purpose::STANDARD
                    .decode(b64)
                    .map_err(|_| internal())
            };
            let encryption = saml.encryption.as_ref().ok_or_else(internal)?;
            Ok(SamlSigning {
                key: userpool_saml::SpKey::from_pem(&saml.key).map_err(|_| internal())?,
                certificate: der(&saml.certificate)?,
                decryption: userpool_saml::SpKey::from_pem(&encryption.key)
                    .map_err(|_| internal())?,
                encryption_certificate: der(&encryption.certificate)?,
            })
        };
        for _ in 0..ROTATION_ATTEMPTS {
            let Some(current) = self.store().get_signing_keys(pool).await? else {
                self.create_keys(pool).await?;
                continue;
            };
            let record = self.open_record(pool, &current)?;
            if let Some(saml) = &record.saml
                && saml.encryption.is_some()
            {
                return open(saml);
            }
            let now = self.now();
            // A pool whose signing key predates encryption keeps it.
            let signing = match &record.saml {
                Some(saml) => SamlKeyPair {
                    key: saml.key.clone(),
                    certificate: saml.certificate.clone(),
                },
                None => self.saml_key_pair(pool, now)?,
            };
            let saml = SamlKeyRecord {
                key: signing.key.clone(),
                certificate: signing.certificate.clone(),
                encryption: Some(self.saml_key_pair(pool, now)?),
            };
            let updated = KeyRecord {
                id: record.id.clone(),
                access: record.access.clone(),
                retired: record.retired.clone(),
                saml: Some(saml.clone()),
            };
            let sealed = self.seal_record(pool, &updated)?;
            match self
                .store()
                .replace_signing_keys(pool, &current, sealed.clone())
                .await
            {
                Ok(()) => {
                    self.install(pool, sealed, now)?;
                    crate::audit!(operation = "CreateSamlKeys", pool = %pool.as_str());
                    return open(&saml);
                }
                Err(StoreError::VersionConflict) => {}
                Err(e) => return Err(Error::from(e)),
            }
        }
        Err(Error::new(
            ErrorKind::ConcurrentModification,
            "The signing keys kept changing; try again.",
        ))
    }

    /// A fresh RSA-2048 key and its self-signed certificate, named by the SP entity id.
    fn saml_key_pair(&self, pool: &UserPoolId, now: i64) -> Result<SamlKeyPair> {
        use base64::Engine as _;
        let seed = Zeroizing::new(self.entropy.bytes::<32>()?);
        let mut rng = rand_chacha::ChaCha20Rng::from_seed(*seed);
        let key = SigningKey::generate_with(jwt_tokens::Algorithm::RS256, &mut rng, self.backend)
            .map_err(|_| internal())?;
        let pem = key.to_pkcs8_pem().map_err(|_| internal())?;
        let certificate = userpool_saml::sp_certificate(
            &pem,
            &userpool_saml::sp_entity_id(pool.as_str()),
            now,
            self.entropy.bytes::<16>()?,
        )
        .map_err(|_| internal())?;
        Ok(SamlKeyPair {
            key: pem.to_string(),
            certificate: base64::engine::general_purpose::STANDARD.encode(&certificate),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use userpool_store::{MemoryStore, Store};

    use super::*;
    use crate::keys::tests::{pool, service};

    /// SAML keys: a signing and an encryption key, apart; a record whose SAML signing key
    /// predates encryption keeps it and gains an encryption key.
    #[tokio::test]
    async fn saml_keys_are_made_once_and_apart() {
        let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        let id = pool(&store).await;
        let s = service(&store, 1);
        let (id_key, access_key) = s.generate_keys().unwrap();
        let signing = s.saml_key_pair(&id, 1_800_000_000).unwrap();
        let legacy = serde_json::json!({
            "id": id_key.to_pkcs8_pem().unwrap().as_str(),
            "access": access_key.to_pkcs8_pem().unwrap().as_str(),
            "saml": { "key": signing.key, "certificate": signing.certificate },
        });
        let plain = serde_json::to_vec(&legacy).unwrap();
        let sealed = s
            .sealer(&id, Purpose::AtRest)
            .seal(&plain, CONTEXT, [4; 12]);
        store
            .put_signing_keys(&id, StoredKeys(sealed))
            .await
            .unwrap();
        let keys = s.saml_signing(&id).await.unwrap();
        use base64::Engine as _;
        let kept = base64::engine::general_purpose::STANDARD
            .decode(&signing.certificate)
            .unwrap();
        assert_eq!(keys.certificate, kept);
        assert_ne!(keys.encryption_certificate, keys.certificate);
        // Stored: a second service finds the same keys.
        let again = service(&store, 2).saml_signing(&id).await.unwrap();
        assert_eq!(again.certificate, keys.certificate);
        assert_eq!(again.encryption_certificate, keys.encryption_certificate);
    }
}
