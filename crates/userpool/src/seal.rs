//! Sealing: authenticated encryption under keys derived per pool and per purpose from the
//! service's master keys. Sessions (the flow state in `Session` / `SECRET_BLOCK`) and secrets
//! at rest (verifiers, TOTP seeds, signing keys, client secrets) each get their own key, so a
//! value sealed for one purpose or pool never opens as another.
//!
//! ChaCha20-Poly1305 (RustCrypto `chacha20poly1305`). A sealed value is
//! `version ‖ key id ‖ nonce ‖ ciphertext ‖ tag`: a format byte ([`FORMAT_V1`]), the id of the
//! [`Keyring`] key that sealed it (4 bytes, big-endian), a 96-bit random nonce and the AEAD
//! output; the purpose, pool, header and a caller-given context are the associated data.
//!
//! Values sealed before key ids existed are `nonce ‖ ciphertext ‖ tag` alone; they open under
//! the keyring's key [`Keyring::LEGACY_KEY_ID`] (0), which is the id a lone [`MasterKey`]
//! gets, so existing databases keep working.
//!
//! # Rotating the master key
//!
//! 1. Build the service with a keyring whose active key is the new one and which keeps the old
//!    one: `Keyring::new(1, new_key).with_old_key(0, old_key)?`. New values are sealed under
//!    key 1; values under key 0 (or header-less ones) still open.
//! 2. Values are re-sealed under the active key as they are written: a password change or
//!    reset, a new TOTP device, a client update, a signing-key rotation
//!    ([`Admin::rotate_signing_keys`](crate::Admin::rotate_signing_keys)); sessions,
//!    authorization codes and the hosted-UI cookie live minutes to hours.
//! 3. Keep the old key in the ring until every stored value was re-sealed; a value whose key
//!    left the ring no longer opens ([`Unsealable`], logged, an internal error to the caller).
//!
//! The keys derived for keyed hashes (one-time codes, device group keys, the simulated users of
//! PreventUserExistenceErrors) come from the active key: codes sent before a rotation no longer
//! match (users ask for a new one), and a device confirmed across the rotation gets a new group
//! key.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::{Error, ErrorKind, Result};

/// Bytes of the nonce in every sealed value.
pub const NONCE_BYTES: usize = 12;
/// Bytes of the authentication tag appended by the AEAD.
pub const TAG_BYTES: usize = 16;
/// Bytes of the header of a sealed value: the format byte and the key id.
pub const HEADER_BYTES: usize = 5;
/// The format byte of values sealed with a key id.
pub const FORMAT_V1: u8 = 1;

/// A master key (32 bytes from the embedder's secret store).
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct MasterKey([u8; 32]);

impl MasterKey {
    /// A master key from 32 secret bytes.
    pub fn new(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    pub(crate) fn expose_secret(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MasterKey(<redacted>)")
    }
}

/// The service's master keys by id: one active key that seals, and old keys that still open
/// what they sealed (see the module documentation for how a rotation goes). A lone
/// [`MasterKey`] converts into the keyring `{0: key}`.
///
/// ```
/// use userpool::{Keyring, MasterKey};
///
/// let ring = Keyring::new(2, MasterKey::new([2; 32]))
///     .with_old_key(1, MasterKey::new([1; 32]))?
///     .with_old_key(Keyring::LEGACY_KEY_ID, MasterKey::new([0; 32]))?;
/// assert_eq!(ring.active_id(), 2);
/// assert_eq!(ring.key_ids().collect::<Vec<_>>(), [0, 1, 2]);
/// assert!(ring.clone().with_old_key(1, MasterKey::new([9; 32])).is_err(), "ids are unique");
/// # Ok::<(), userpool::Error>(())
/// ```
#[derive(Clone)]
pub struct Keyring {
    active_id: u32,
    keys: Arc<Keys>,
}

struct Keys {
    active: MasterKey,
    old: BTreeMap<u32, MasterKey>,
}

impl Keyring {
    /// The id of the key that opens values sealed before key ids existed (no header), and
    /// the id a lone [`MasterKey`] gets.
    pub const LEGACY_KEY_ID: u32 = 0;

    /// A keyring whose active key, `key`, has the id `id`.
    pub fn new(id: u32, key: MasterKey) -> Self {
        Self {
            active_id: id,
            keys: Arc::new(Keys {
                active: key,
                old: BTreeMap::new(),
            }),
        }
    }

    /// Adds an old key, which opens what it sealed but seals nothing new.
    /// `InvalidParameterException` if the ring has a key with this id already.
    pub fn with_old_key(self, id: u32, key: MasterKey) -> Result<Self> {
        if self.get(id).is_some() {
            return Err(Error::new(
                ErrorKind::InvalidParameter,
                format!("The keyring already has a key with id {id}."),
            ));
        }
        let mut old = self.keys.old.clone();
        old.insert(id, key);
        Ok(Self {
            active_id: self.active_id,
            keys: Arc::new(Keys {
                active: self.keys.active.clone(),
                old,
            }),
        })
    }

    /// The id of the key new values are sealed under.
    pub fn active_id(&self) -> u32 {
        self.active_id
    }

    /// Every key id, in order.
    pub fn key_ids(&self) -> impl Iterator<Item = u32> + '_ {
        let mut ids: Vec<u32> = self.keys.old.keys().copied().collect();
        ids.push(self.active_id);
        ids.sort_unstable();
        ids.into_iter()
    }

    /// The active key.
    pub(crate) fn active_key(&self) -> &MasterKey {
        &self.keys.active
    }

    fn get(&self, id: u32) -> Option<&MasterKey> {
        if id == self.active_id {
            Some(&self.keys.active)
        } else {
            self.keys.old.get(&id)
        }
    }
}

impl From<MasterKey> for Keyring {
    fn from(key: MasterKey) -> Self {
        Self::new(Self::LEGACY_KEY_ID, key)
    }
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keyring")
            .field("active", &self.active_id)
            .field("ids", &self.key_ids().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// What a sealed value is for (part of the key derivation and of the associated data).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Flow state in `Session` / `SECRET_BLOCK`.
    Session,
    /// A secret stored in the database (verifier, TOTP seed, signing key, client secret).
    AtRest,
    /// An OAuth authorization code (its record, sealed into the code itself).
    AuthorizationCode,
    /// The hosted UI's sign-in cookie.
    HostedSession,
    /// The state of a sign-in through an external identity provider.
    FederationState,
    /// The state of a single logout through a SAML identity provider.
    SamlLogout,
}

impl Purpose {
    fn label(self) -> &'static [u8] {
        match self {
            Self::Session => b"userpool/v1/session",
            Self::AtRest => b"userpool/v1/at-rest",
            Self::AuthorizationCode => b"userpool/v1/authorization-code",
            Self::HostedSession => b"userpool/v1/hosted-session",
            Self::FederationState => b"userpool/v1/federation-state",
            Self::SamlLogout => b"userpool/v1/saml-logout",
        }
    }
}

/// A sealed value did not open: forged, altered, truncated, for another pool or purpose, or
/// sealed under a key the keyring does not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the sealed value could not be opened")]
pub struct Unsealable;

/// Seals and opens values for one pool and purpose.
pub struct Sealer {
    ring: Keyring,
    info: Vec<u8>,
}

impl fmt::Debug for Sealer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sealer")
            .field("key", &self.ring.active_id)
            .finish_non_exhaustive()
    }
}

impl Sealer {
    /// The sealer of `purpose` for `pool_id` under one master key (the keyring `{0: master}`).
    pub fn new(master: &MasterKey, purpose: Purpose, pool_id: &str) -> Self {
        Self::with_keyring(&Keyring::from(master.clone()), purpose, pool_id)
    }

    /// The sealer of `purpose` for `pool_id` under `ring`: the key of each master key `k` is
    /// HKDF-SHA256(k, info = purpose ‖ 0 ‖ pool).
    pub fn with_keyring(ring: &Keyring, purpose: Purpose, pool_id: &str) -> Self {
        let mut info = purpose.label().to_vec();
        info.push(0);
        info.extend_from_slice(pool_id.as_bytes());
        Self {
            ring: ring.clone(),
            info,
        }
    }

    fn cipher(&self, master: &MasterKey) -> ChaCha20Poly1305 {
        let mut key = Zeroizing::new([0u8; 32]);
        // 32 bytes is far below HKDF-SHA256's output limit, so expand cannot fail.
        let _ = Hkdf::<Sha256>::new(None, master.expose_secret())
            .expand(&self.info, key.as_mut_slice());
        ChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(key.as_slice()))
    }

    /// The associated data: info ‖ 0 ‖ header ‖ context (no header for legacy values).
    fn aad(&self, header: &[u8], context: &[u8]) -> Vec<u8> {
        [self.info.as_slice(), &[0], header, context].concat()
    }

    /// Seals `plaintext` bound to `context` (e.g. the username for an at-rest secret) under
    /// the keyring's active key, with the given fresh random `nonce`.
    pub fn seal(&self, plaintext: &[u8], context: &[u8], nonce: [u8; NONCE_BYTES]) -> Vec<u8> {
        let mut header = [0u8; HEADER_BYTES];
        header[0] = FORMAT_V1;
        header[1..].copy_from_slice(&self.ring.active_id.to_be_bytes());
        let sealed = self
            .cipher(self.ring.active_key())
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: &self.aad(&header, context),
                },
            )
            .unwrap_or_default();
        [header.as_slice(), nonce.as_slice(), &sealed].concat()
    }

    /// Opens what [`Sealer::seal`] made with the same `context` under a key of the ring, or a
    /// value sealed before key ids existed under the ring's key [`Keyring::LEGACY_KEY_ID`].
    pub fn open(&self, sealed: &[u8], context: &[u8]) -> Result<Zeroizing<Vec<u8>>, Unsealable> {
        if let Some((header, body)) = sealed.split_at_checked(HEADER_BYTES)
            && let [FORMAT_V1, id @ ..] = header
            && let Ok(id) = <[u8; 4]>::try_from(id)
            && let Some(master) = self.ring.get(u32::from_be_bytes(id))
            && let Ok(plain) = self.open_body(master, header, body, context)
        {
            return Ok(plain);
        }
        // A header-less value (whose random nonce may happen to look like a header).
        let legacy = self.ring.get(Keyring::LEGACY_KEY_ID).ok_or(Unsealable)?;
        self.open_body(legacy, &[], sealed, context)
    }

    fn open_body(
        &self,
        master: &MasterKey,
        header: &[u8],
        body: &[u8],
        context: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, Unsealable> {
        let (nonce, ciphertext) = body.split_at_checked(NONCE_BYTES).ok_or(Unsealable)?;
        if ciphertext.len() < TAG_BYTES {
            return Err(Unsealable);
        }
        self.cipher(master)
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: &self.aad(header, context),
                },
            )
            .map(Zeroizing::new)
            .map_err(|_| Unsealable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // `Clone` stays (a keyring shares its keys; sealers copy the ring): master keys are
    // long-lived, not single use.
    static_assertions::assert_not_impl_any!(MasterKey: serde::Serialize, PartialEq);
    static_assertions::assert_not_impl_any!(Keyring: serde::Serialize, PartialEq);

    const POOL: &str = "us-east-1_AbCdEf123";

    /// What `Sealer::seal` wrote before key ids: `nonce ‖ AEAD(info ‖ 0 ‖ context)` under the
    /// HKDF key of the one master key (the code of that version, kept as the reference).
    fn legacy_seal(master: &MasterKey, purpose: Purpose, plain: &[u8], context: &[u8]) -> Vec<u8> {
        let mut info = purpose.label().to_vec();
        info.push(0);
        info.extend_from_slice(POOL.as_bytes());
        let mut key = [0u8; 32];
        Hkdf::<Sha256>::new(None, &master.0)
            .expand(&info, &mut key)
            .unwrap();
        let cipher = ChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(&key));
        let aad = [info.as_slice(), &[0], context].concat();
        let nonce = [7u8; NONCE_BYTES];
        let sealed = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plain,
                    aad: &aad,
                },
            )
            .unwrap();
        [nonce.as_slice(), &sealed].concat()
    }

    #[test]
    fn round_trip_and_every_binding() {
        let master = MasterKey::new([3; 32]);
        let s = Sealer::new(&master, Purpose::Session, POOL);
        let sealed = s.seal(b"state", b"", [1; NONCE_BYTES]);
        assert_eq!(sealed.len(), HEADER_BYTES + NONCE_BYTES + 5 + TAG_BYTES);
        assert_eq!(sealed[..HEADER_BYTES], [FORMAT_V1, 0, 0, 0, 0]);
        assert_eq!(s.open(&sealed, b"").expect("opens").as_slice(), b"state");
        assert_eq!(s.open(&sealed, b"other").err(), Some(Unsealable));
        let other_pool = Sealer::new(&master, Purpose::Session, "us-east-1_Other0000");
        assert_eq!(other_pool.open(&sealed, b"").err(), Some(Unsealable));
        let at_rest = Sealer::new(&master, Purpose::AtRest, POOL);
        assert_eq!(at_rest.open(&sealed, b"").err(), Some(Unsealable));
        let other_master = Sealer::new(&MasterKey::new([4; 32]), Purpose::Session, POOL);
        assert_eq!(other_master.open(&sealed, b"").err(), Some(Unsealable));
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 0x80;
            assert_eq!(s.open(&bad, b"").err(), Some(Unsealable), "byte {i}");
        }
        for cut in 0..sealed.len() {
            assert_eq!(s.open(&sealed[..cut], b"").err(), Some(Unsealable));
        }
        assert_eq!(format!("{master:?}"), "MasterKey(<redacted>)");
    }

    #[test]
    fn fresh_nonces_give_different_ciphertexts() {
        let s = Sealer::new(&MasterKey::new([3; 32]), Purpose::AtRest, POOL);
        assert_ne!(
            s.seal(b"v", b"alice", [1; 12]),
            s.seal(b"v", b"alice", [2; 12])
        );
    }

    #[test]
    fn a_value_sealed_under_an_old_key_opens_with_the_ring_that_kept_it() {
        let (a, b) = (MasterKey::new([0xA; 32]), MasterKey::new([0xB; 32]));
        let under_a = Sealer::with_keyring(&Keyring::new(1, a.clone()), Purpose::AtRest, POOL)
            .seal(b"verifier", b"alice", [5; NONCE_BYTES]);
        assert_eq!(under_a[..HEADER_BYTES], [FORMAT_V1, 0, 0, 0, 1]);

        let rotated = Keyring::new(2, b.clone()).with_old_key(1, a).unwrap();
        let s = Sealer::with_keyring(&rotated, Purpose::AtRest, POOL);
        assert_eq!(s.open(&under_a, b"alice").unwrap().as_slice(), b"verifier");
        assert_eq!(s.open(&under_a, b"bob").err(), Some(Unsealable));
        // New values go under B.
        let under_b = s.seal(b"new", b"alice", [6; NONCE_BYTES]);
        assert_eq!(under_b[..HEADER_BYTES], [FORMAT_V1, 0, 0, 0, 2]);
        let only_b = Sealer::with_keyring(&Keyring::new(2, b), Purpose::AtRest, POOL);
        assert_eq!(only_b.open(&under_b, b"alice").unwrap().as_slice(), b"new");
        // A key id the ring does not hold: the typed error, whatever else the ring holds.
        assert_eq!(only_b.open(&under_a, b"alice").err(), Some(Unsealable));
        let other = Keyring::new(3, MasterKey::new([3; 32]))
            .with_old_key(Keyring::LEGACY_KEY_ID, MasterKey::new([0xA; 32]))
            .unwrap();
        let other = Sealer::with_keyring(&other, Purpose::AtRest, POOL);
        assert_eq!(other.open(&under_a, b"alice").err(), Some(Unsealable));
        // The header is authenticated: relabelling A's value as B's fails.
        let mut relabelled = under_a;
        relabelled[4] = 2;
        assert_eq!(s.open(&relabelled, b"alice").err(), Some(Unsealable));
    }

    #[test]
    fn a_legacy_value_opens_under_key_zero() {
        let old = MasterKey::new([0xA; 32]);
        let legacy = legacy_seal(&old, Purpose::AtRest, b"seed", b"totp:sub");
        assert_eq!(legacy.len(), NONCE_BYTES + 4 + TAG_BYTES, "no header");
        // A lone master key is key 0.
        let alone = Sealer::new(&old, Purpose::AtRest, POOL);
        assert_eq!(
            alone.open(&legacy, b"totp:sub").unwrap().as_slice(),
            b"seed"
        );
        assert_eq!(alone.open(&legacy, b"totp:other").err(), Some(Unsealable));
        // After a rotation that keeps key 0.
        let ring = Keyring::new(1, MasterKey::new([0xB; 32]))
            .with_old_key(Keyring::LEGACY_KEY_ID, old)
            .unwrap();
        let rotated = Sealer::with_keyring(&ring, Purpose::AtRest, POOL);
        assert_eq!(
            rotated.open(&legacy, b"totp:sub").unwrap().as_slice(),
            b"seed"
        );
        // Not once key 0 is gone, and not under another key 0.
        let gone = Sealer::with_keyring(
            &Keyring::new(1, MasterKey::new([0xB; 32])),
            Purpose::AtRest,
            POOL,
        );
        assert_eq!(gone.open(&legacy, b"totp:sub").err(), Some(Unsealable));
        let wrong = Sealer::new(&MasterKey::new([0xC; 32]), Purpose::AtRest, POOL);
        assert_eq!(wrong.open(&legacy, b"totp:sub").err(), Some(Unsealable));
    }

    #[test]
    fn a_legacy_nonce_that_looks_like_a_header_still_opens() {
        let old = MasterKey::new([0xA; 32]);
        let mut info = Purpose::AtRest.label().to_vec();
        info.push(0);
        info.extend_from_slice(POOL.as_bytes());
        let mut key = [0u8; 32];
        Hkdf::<Sha256>::new(None, &old.0)
            .expand(&info, &mut key)
            .unwrap();
        let cipher = ChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(&key));
        // The nonce starts like a v1 header naming key 0.
        let nonce = [FORMAT_V1, 0, 0, 0, 0, 9, 9, 9, 9, 9, 9, 9];
        let aad = [info.as_slice(), &[0], b"ctx"].concat();
        let body = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: b"x",
                    aad: &aad,
                },
            )
            .unwrap();
        let legacy = [nonce.as_slice(), &body].concat();
        let s = Sealer::new(&old, Purpose::AtRest, POOL);
        assert_eq!(s.open(&legacy, b"ctx").unwrap().as_slice(), b"x");
    }

    #[test]
    fn keyring_ids_are_unique_and_debug_shows_ids_only() {
        let ring = Keyring::new(5, MasterKey::new([1; 32]));
        assert_eq!(
            ring.clone()
                .with_old_key(5, MasterKey::new([2; 32]))
                .unwrap_err()
                .message(),
            "The keyring already has a key with id 5."
        );
        let ring = ring.with_old_key(4, MasterKey::new([2; 32])).unwrap();
        assert_eq!(
            format!("{ring:?}"),
            "Keyring { active: 5, ids: [4, 5], .. }"
        );
        assert_eq!(Keyring::from(MasterKey::new([1; 32])).active_id(), 0);
    }
}
