//! The service's randomness: one ChaCha20 generator seeded from the OS (or by the embedder,
//! for reproducible tests), lent out for synchronous steps only.

use std::sync::Mutex;

use rand::RngExt as _;
use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use user_pool_model::Sub;

use crate::error::{Error, ErrorKind, Result};

/// The generator behind a lock.
pub(crate) struct Entropy(Mutex<ChaCha20Rng>);

impl Entropy {
    pub(crate) fn from_os() -> Result<Self> {
        ChaCha20Rng::try_from_rng(&mut rand::rngs::SysRng)
            .map(Self::seeded)
            .map_err(|_| Error::new(ErrorKind::InternalError, "no operating-system randomness"))
    }

    pub(crate) fn seeded(rng: ChaCha20Rng) -> Self {
        Self(Mutex::new(rng))
    }

    /// Runs `f` with the generator (never across an `.await`).
    pub(crate) fn with<T>(&self, f: impl FnOnce(&mut ChaCha20Rng) -> T) -> Result<T> {
        let mut rng = self
            .0
            .lock()
            .map_err(|_| Error::new(ErrorKind::InternalError, "Internal server error"))?;
        Ok(f(&mut rng))
    }

    /// A random UUID (v4), for `jti`, `event_id`, `origin_jti`, `sub`.
    pub(crate) fn uuid(&self) -> Result<String> {
        self.with(|rng| Sub::generate(rng).to_string())
    }

    /// `N` random bytes.
    pub(crate) fn bytes<const N: usize>(&self) -> Result<[u8; N]> {
        self.with(|rng| {
            let mut out = [0u8; N];
            rng.fill_bytes(&mut out);
            out
        })
    }

    /// A six-digit code.
    pub(crate) fn code(&self) -> Result<String> {
        self.with(|rng| format!("{:06}", rng.random_range(0..1_000_000u32)))
    }
}

impl std::fmt::Debug for Entropy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Entropy(<ChaCha20>)")
    }
}
