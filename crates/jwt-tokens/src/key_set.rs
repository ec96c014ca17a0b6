//! Key sets: active signing keys (one for ID tokens, one for access tokens, as Cognito does),
//! retired keys kept for verification until their tokens expire, and verifiers.

use std::collections::HashMap;
use std::fmt;

use serde_json::{Map, Value};

use crate::algorithm::Algorithm;
use crate::backend::{Backend, Verify, default_backend};
use crate::claims::TokenUse;
use crate::error::{Error, Result};
use crate::jwk::{Jwk, Jwks};
use crate::jws;
use crate::key::{PublicKey, SigningKey};
use crate::validation::{Claims, Validation};

struct VerifyingEntry {
    public: PublicKey,
    alg: Algorithm,
    verifier: Box<dyn Verify>,
    /// Unix time after which the key no longer verifies (retired keys), if any.
    not_after: Option<i64>,
}

/// Public keys by `kid`, prepared for verification. Built from a [`KeySet`] or from a JWKS.
pub struct Verifier {
    keys: HashMap<String, VerifyingEntry>,
    order: Vec<String>,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("kids", &self.order)
            .finish()
    }
}

/// A JWS whose signature verified, with its payload bytes (any content).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedJws {
    /// The `kid` that verified it.
    pub kid: String,
    /// Its algorithm.
    pub alg: Algorithm,
    /// The payload, decoded from base64url.
    pub payload: Vec<u8>,
}

impl Verifier {
    /// An empty verifier.
    pub fn new() -> Self {
        Self {
            keys: HashMap::new(),
            order: Vec::new(),
        }
    }

    /// A verifier for every key of a (parsed, validated) JWKS, with the default backend.
    pub fn from_jwks(jwks: &Jwks) -> Result<Self> {
        Self::from_jwks_with(jwks, default_backend())
    }

    /// Like [`Verifier::from_jwks`] with an explicit backend.
    pub fn from_jwks_with(jwks: &Jwks, backend: &dyn Backend) -> Result<Self> {
        let mut v = Self::new();
        for jwk in &jwks.keys {
            v.insert(jwk.kid.clone(), jwk.key.clone(), None, backend)?;
        }
        Ok(v)
    }

    fn insert(
        &mut self,
        kid: String,
        public: PublicKey,
        not_after: Option<i64>,
        backend: &dyn Backend,
    ) -> Result<()> {
        if self.keys.contains_key(&kid) {
            return Err(Error::KeySet("duplicate kid"));
        }
        let entry = VerifyingEntry {
            alg: public.algorithm(),
            verifier: backend.verifier(&public)?,
            public,
            not_after,
        };
        self.order.push(kid.clone());
        self.keys.insert(kid, entry);
        Ok(())
    }

    fn remove(&mut self, kid: &str) {
        self.keys.remove(kid);
        self.order.retain(|k| k != kid);
    }

    /// The keys, in insertion order, as a JWKS document.
    pub fn jwks(&self) -> Jwks {
        Jwks {
            keys: self
                .order
                .iter()
                .filter_map(|kid| {
                    self.keys.get(kid).map(|e| Jwk {
                        kid: kid.clone(),
                        key: e.public.clone(),
                    })
                })
                .collect(),
        }
    }

    /// Verifies a compact JWS's signature and header rules only (no claims), at unix time
    /// `now` (retired keys stop verifying after their time). For non-token payloads.
    pub fn verify_jws(&self, token: &str, now: i64) -> Result<VerifiedJws> {
        let parsed = self.verify_signature(token, now)?;
        Ok(VerifiedJws {
            payload: jws::payload_bytes(parsed.payload_b64)?,
            kid: parsed.kid,
            alg: parsed.alg,
        })
    }

    /// Verifies a token: header rules, `kid` lookup, `alg` bound to the key, signature, then
    /// the claims against `validation` at unix time `now`.
    pub fn verify(&self, token: &str, validation: &Validation, now: i64) -> Result<Claims> {
        let parsed = self.verify_signature(token, now)?;
        let claims = jws::payload(parsed.payload_b64)?;
        validation.check(claims, now)
    }

    fn verify_signature<'t>(&self, token: &'t str, now: i64) -> Result<jws::Parsed<'t>> {
        let parsed = jws::parse(token)?;
        let entry = self.keys.get(&parsed.kid).ok_or(Error::UnknownKeyId)?;
        if entry.not_after.is_some_and(|t| now > t) {
            return Err(Error::UnknownKeyId);
        }
        if entry.alg != parsed.alg {
            return Err(Error::AlgorithmMismatch);
        }
        entry
            .verifier
            .verify(parsed.signing_input.as_bytes(), &parsed.signature)?;
        Ok(parsed)
    }
}

impl Default for Verifier {
    fn default() -> Self {
        Self::new()
    }
}

/// A pool's keys: the active ID-token and access-token signing keys (Cognito signs the two
/// with different keys) and retired public keys still accepted until their tokens expire.
///
/// Sans-IO: rotation and pruning take the time from the caller; persisting keys (encrypted)
/// is the caller's job ([`SigningKey::to_pkcs8_pem`], [`KeySet::retired`]).
pub struct KeySet {
    id_key: SigningKey,
    access_key: SigningKey,
    retired: Vec<(String, PublicKey, i64)>,
    verifier: Verifier,
    backend: &'static dyn Backend,
}

impl fmt::Debug for KeySet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeySet")
            .field("id_key", &self.id_key.kid())
            .field("access_key", &self.access_key.kid())
            .field(
                "retired",
                &self
                    .retired
                    .iter()
                    .map(|(k, _, t)| (k, t))
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl KeySet {
    /// A key set with distinct keys for ID and access tokens, default backend.
    pub fn new(id_key: SigningKey, access_key: SigningKey) -> Result<Self> {
        Self::with_backend(id_key, access_key, default_backend())
    }

    /// Like [`KeySet::new`] with an explicit backend for verification.
    pub fn with_backend(
        id_key: SigningKey,
        access_key: SigningKey,
        backend: &'static dyn Backend,
    ) -> Result<Self> {
        if id_key.kid() == access_key.kid() {
            return Err(Error::KeySet("ID and access keys need distinct kids"));
        }
        let mut verifier = Verifier::new();
        verifier.insert(
            id_key.kid().to_owned(),
            id_key.public_key().clone(),
            None,
            backend,
        )?;
        verifier.insert(
            access_key.kid().to_owned(),
            access_key.public_key().clone(),
            None,
            backend,
        )?;
        Ok(Self {
            id_key,
            access_key,
            retired: Vec::new(),
            verifier,
            backend,
        })
    }

    /// The active key for `token_use`.
    pub fn active(&self, token_use: TokenUse) -> &SigningKey {
        match token_use {
            TokenUse::Id => &self.id_key,
            TokenUse::Access => &self.access_key,
        }
    }

    /// Makes `key` the active key for `token_use`. The previous key stops signing at once and
    /// keeps verifying until `old_valid_until` (unix seconds: the expiry of the last token it
    /// signed, i.e. now plus the longest token validity).
    pub fn rotate(
        &mut self,
        token_use: TokenUse,
        key: SigningKey,
        old_valid_until: i64,
    ) -> Result<()> {
        if self.verifier.keys.contains_key(key.kid()) {
            return Err(Error::KeySet("kid already in the set"));
        }
        self.verifier.insert(
            key.kid().to_owned(),
            key.public_key().clone(),
            None,
            self.backend,
        )?;
        let old = match token_use {
            TokenUse::Id => std::mem::replace(&mut self.id_key, key),
            TokenUse::Access => std::mem::replace(&mut self.access_key, key),
        };
        self.verifier.remove(old.kid());
        self.insert_retired(
            old.kid().to_owned(),
            old.public_key().clone(),
            old_valid_until,
        )
    }

    /// Adds a retired public key (for example when loading a pool's keys from storage).
    pub fn insert_retired(&mut self, kid: String, key: PublicKey, valid_until: i64) -> Result<()> {
        self.verifier
            .insert(kid.clone(), key.clone(), Some(valid_until), self.backend)?;
        self.retired.push((kid, key, valid_until));
        Ok(())
    }

    /// Forgets retired keys whose tokens have all expired by `now`.
    pub fn prune(&mut self, now: i64) {
        let (keep, drop): (Vec<_>, Vec<_>) = std::mem::take(&mut self.retired)
            .into_iter()
            .partition(|(_, _, t)| *t >= now);
        for (kid, _, _) in drop {
            self.verifier.remove(&kid);
        }
        self.retired = keep;
    }

    /// The retired keys: `(kid, public key, valid until)`.
    pub fn retired(&self) -> &[(String, PublicKey, i64)] {
        &self.retired
    }

    /// The JWKS: active keys first (ID, then access), then retired ones not yet pruned.
    pub fn jwks(&self) -> Jwks {
        self.verifier.jwks()
    }

    /// The verifier for this set's keys.
    pub fn verifier(&self) -> &Verifier {
        &self.verifier
    }

    /// Signs a claims object as a token of `token_use` with the active key for that use.
    pub fn sign(&self, token_use: TokenUse, claims: &Map<String, Value>) -> Result<String> {
        let payload = serde_json::to_vec(claims).map_err(|_| Error::Claims("serialization"))?;
        jws::sign(self.active(token_use), &payload)
    }

    /// Verifies a token (see [`Verifier::verify`]).
    pub fn verify(&self, token: &str, validation: &Validation, now: i64) -> Result<Claims> {
        self.verifier.verify(token, validation, now)
    }
}
