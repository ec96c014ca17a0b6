//! Helpers shared by the integration tests.

use rand_core::{Infallible, TryCryptoRng, TryRng};

/// Big-endian bytes of a hex string of any length (odd lengths get a leading zero nibble).
pub(crate) fn hex_bytes(hex: &str) -> Vec<u8> {
    let padded = if hex.len() % 2 == 1 {
        format!("0{hex}")
    } else {
        hex.to_owned()
    };
    (0..padded.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&padded[i..i + 2], 16).expect("test vector hex"))
        .collect()
}

/// An RNG that replays fixed bytes, then zeros: for pinning ephemerals and for broken-RNG tests.
pub(crate) struct ReplayRng(pub(crate) Vec<u8>);

impl TryRng for ReplayRng {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for d in dst.iter_mut() {
            *d = if self.0.is_empty() {
                0
            } else {
                self.0.remove(0)
            };
        }
        Ok(())
    }
}

impl TryCryptoRng for ReplayRng {}
