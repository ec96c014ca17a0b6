//! Checked conversions between big-endian bytes and fixed-width integers.

use crypto_bigint::{Limb, Uint};

/// The integer with these big-endian bytes (leading zeros allowed), or `None` if it does not
/// fit in `LIMBS` limbs. Never panics.
pub(crate) fn from_be_bytes<const LIMBS: usize>(bytes: &[u8]) -> Option<Uint<LIMBS>> {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    let digits = bytes.get(start..)?;
    let width = Limb::BYTES * LIMBS;
    let pad = width.checked_sub(digits.len())?;
    let mut buf = vec![0u8; width];
    buf.get_mut(pad..)?.copy_from_slice(digits);
    let value = Uint::from_be_slice(&buf);
    zeroize::Zeroize::zeroize(&mut buf);
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crypto_bigint::U256;

    #[test]
    fn converts_and_bounds() {
        assert_eq!(
            from_be_bytes::<{ U256::LIMBS }>(&[1, 2]),
            Some(U256::from_u16(0x0102))
        );
        assert_eq!(from_be_bytes::<{ U256::LIMBS }>(&[]), Some(U256::ZERO));
        let mut wide = vec![0u8; 40];
        assert_eq!(from_be_bytes::<{ U256::LIMBS }>(&wide), Some(U256::ZERO));
        wide[7] = 1;
        assert_eq!(from_be_bytes::<{ U256::LIMBS }>(&wide), None);
    }
}
