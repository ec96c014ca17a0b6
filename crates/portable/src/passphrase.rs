//! Portable dumps: a key derived from a passphrase with Argon2id (RustCrypto `argon2`), used
//! as the master key the dump's secrets are sealed under (the service's own sealing,
//! ChaCha20-Poly1305 with per-pool keys; see `userpool::reseal`).

use std::fmt;

use argon2::{Algorithm, Argon2, Params, Version};
use serde::{Deserialize, Serialize};
use userpool::{MasterKey, Purpose, Sealer};
use zeroize::Zeroizing;

use crate::error::{PortableError, Result};
use crate::format::Base64;

/// The only key-derivation function a dump names.
pub const KDF: &str = "argon2id";

/// The largest Argon2 memory a dump may ask for (KiB): 1 GiB, so a crafted header cannot
/// exhaust the importer's memory.
pub const MAX_MEMORY_KIB: u32 = 1 << 20;
/// The most Argon2 passes a dump may ask for.
pub const MAX_ITERATIONS: u32 = 16;
/// The most Argon2 lanes a dump may ask for.
pub const MAX_PARALLELISM: u32 = 16;

/// The scope and context of the check value (no pool id looks like the scope).
const CHECK_SCOPE: &str = "userpool-export";
const CHECK_CONTEXT: &[u8] = b"passphrase-check";
const CHECK_PLAIN: &[u8] = b"userpool-export passphrase check";

/// A passphrase: redacted `Debug`, zeroed on drop, no `Serialize`.
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    /// A passphrase from text (a file's content: a trailing line break is not part of it).
    ///
    /// # Errors
    /// [`PortableError::EmptyPassphrase`].
    pub fn new(text: &str) -> Result<Self> {
        let text = text.trim_end_matches(['\n', '\r']);
        if text.is_empty() {
            return Err(PortableError::EmptyPassphrase);
        }
        Ok(Self(Zeroizing::new(text.to_owned())))
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(<redacted>)")
    }
}

/// Argon2id's costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfCosts {
    /// Memory, KiB.
    pub memory_kib: u32,
    /// Passes.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
}

impl Default for KdfCosts {
    /// RFC 9106's second recommended setting: 64 MiB, 3 passes, 4 lanes (computed one after
    /// the other here).
    fn default() -> Self {
        Self {
            memory_kib: 64 * 1024,
            iterations: 3,
            parallelism: 4,
        }
    }
}

/// What the header of a portable dump says about its key: the function, its costs, the salt
/// and a check value that only the right passphrase opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfSettings {
    /// [`KDF`].
    pub kdf: String,
    /// The costs.
    #[serde(flatten)]
    pub costs: KdfCosts,
    /// The salt (16 random bytes).
    pub salt: Base64,
    /// A known text sealed under the derived key, so a wrong passphrase is told before
    /// anything else is read.
    pub check: Base64,
}

fn derive(passphrase: &Passphrase, costs: KdfCosts, salt: &[u8]) -> Result<MasterKey> {
    if costs.memory_kib > MAX_MEMORY_KIB
        || costs.iterations > MAX_ITERATIONS
        || costs.parallelism > MAX_PARALLELISM
    {
        return Err(PortableError::Kdf(format!(
            "costs {costs:?} exceed the limits ({MAX_MEMORY_KIB} KiB, {MAX_ITERATIONS} passes, {MAX_PARALLELISM} lanes)"
        )));
    }
    let params = Params::new(
        costs.memory_kib,
        costs.iterations,
        costs.parallelism,
        Some(32),
    )
    .map_err(|e| PortableError::Kdf(e.to_string()))?;
    let mut key = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.0.as_bytes(), salt, key.as_mut_slice())
        .map_err(|e| PortableError::Kdf(e.to_string()))?;
    Ok(MasterKey::new(*key))
}

/// The key of a new portable dump and the header settings that name it.
///
/// # Errors
/// [`PortableError::Kdf`] for costs out of range.
pub(crate) fn new_key(
    passphrase: &Passphrase,
    costs: KdfCosts,
    salt: [u8; 16],
    check_nonce: [u8; 12],
) -> Result<(MasterKey, KdfSettings)> {
    let key = derive(passphrase, costs, &salt)?;
    let check = Sealer::new(&key, Purpose::AtRest, CHECK_SCOPE).seal(
        CHECK_PLAIN,
        CHECK_CONTEXT,
        check_nonce,
    );
    Ok((
        key,
        KdfSettings {
            kdf: KDF.into(),
            costs,
            salt: Base64(salt.to_vec()),
            check: Base64(check),
        },
    ))
}

/// The key of an existing portable dump.
///
/// # Errors
/// [`PortableError::Kdf`] for an unknown function or costs out of range,
/// [`PortableError::WrongPassphrase`].
pub(crate) fn open_key(passphrase: &Passphrase, settings: &KdfSettings) -> Result<MasterKey> {
    if settings.kdf != KDF {
        return Err(PortableError::Kdf(format!(
            "unknown key-derivation function {:?}",
            settings.kdf
        )));
    }
    let key = derive(passphrase, settings.costs, &settings.salt.0)?;
    match Sealer::new(&key, Purpose::AtRest, CHECK_SCOPE).open(&settings.check.0, CHECK_CONTEXT) {
        Ok(plain) if plain.as_slice() == CHECK_PLAIN => Ok(key),
        _ => Err(PortableError::WrongPassphrase),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static_assertions::assert_not_impl_any!(Passphrase: Serialize, Clone, PartialEq);

    const CHEAP: KdfCosts = KdfCosts {
        memory_kib: 64,
        iterations: 1,
        parallelism: 1,
    };

    #[test]
    fn the_right_passphrase_opens_and_a_wrong_one_is_told() {
        let p = Passphrase::new("correct horse\n").unwrap();
        let (_, settings) = new_key(&p, CHEAP, [1; 16], [2; 12]).unwrap();
        assert!(open_key(&Passphrase::new("correct horse").unwrap(), &settings).is_ok());
        assert!(matches!(
            open_key(&Passphrase::new("wrong horse").unwrap(), &settings),
            Err(PortableError::WrongPassphrase)
        ));
        assert_eq!(format!("{p:?}"), "Passphrase(<redacted>)");
        assert!(matches!(
            Passphrase::new("\r\n"),
            Err(PortableError::EmptyPassphrase)
        ));
    }

    #[test]
    fn costs_out_of_range_and_unknown_functions_are_refused() {
        let p = Passphrase::new("x").unwrap();
        let (_, mut settings) = new_key(&p, CHEAP, [1; 16], [2; 12]).unwrap();
        settings.costs.memory_kib = MAX_MEMORY_KIB + 1;
        let e = open_key(&p, &settings).unwrap_err().to_string();
        assert!(e.starts_with("key derivation: costs"), "{e}");
        settings.costs = CHEAP;
        settings.kdf = "scrypt".into();
        assert_eq!(
            open_key(&p, &settings).unwrap_err().to_string(),
            "key derivation: unknown key-derivation function \"scrypt\""
        );
    }
}
