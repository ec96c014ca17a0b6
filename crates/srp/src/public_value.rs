//! Parsing and checking the public ephemerals `A` and `B`.

use crypto_bigint::{NonZero, U3072, U4096};

use crate::error::{Error, Result, WireValue};
use crate::group::N;
use crate::pad_hex::parse_hex;
use crate::uint::from_be_bytes;

/// Longest `SRP_A` / `SRP_B` accepted, in hex digits: the modulus' 768 plus 32 leading zeros.
/// Anything longer is rejected before any big-integer work.
pub const MAX_PUBLIC_VALUE_HEX_LEN: usize = 800;

/// Parses `SRP_A` or `SRP_B` and requires a value in `[1, N)`.
///
/// Multiples of `N` (`0`, `N`, `2N`, …, with or without leading zeros) are reported as
/// [`Error::ZeroModN`] — the classic SRP bypass — and other values `≥ N` as
/// [`Error::NotReduced`]. Values are public, so the checks need not be constant-time.
pub(crate) fn parse_public_value(hex: &str, which: WireValue) -> Result<U3072> {
    let bytes = parse_hex(hex, which, MAX_PUBLIC_VALUE_HEX_LEN)?;
    // 800 hex digits are 400 bytes, well inside 4096 bits.
    let wide = from_be_bytes::<{ U4096::LIMBS }>(&bytes).ok_or(Error::NotReduced(which))?;
    let modulus = NonZero::new(N.resize::<{ U4096::LIMBS }>())
        .into_option()
        .ok_or(Error::NotReduced(which))?;
    if bool::from(wide.rem_vartime(&modulus).is_zero()) {
        return Err(Error::ZeroModN(which));
    }
    if wide >= *modulus.as_ref() {
        return Err(Error::NotReduced(which));
    }
    Ok(wide.resize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::group::N_HEX;

    #[test]
    fn rejects_multiples_of_n() {
        let v = WireValue::SrpA;
        let two_n = crate::pad_hex::to_plain_hex(
            &N.resize::<{ U4096::LIMBS }>().shl_vartime(1).to_be_bytes(),
        );
        for bad in ["0", "00000", N_HEX, &format!("0000{N_HEX}"), &two_n] {
            assert_eq!(parse_public_value(bad, v), Err(Error::ZeroModN(v)), "{bad}");
        }
    }

    #[test]
    fn rejects_unreduced_values() {
        let v = WireValue::SrpA;
        let n_plus_one = crate::pad_hex::to_plain_hex(
            &N.resize::<{ U4096::LIMBS }>()
                .wrapping_add(&U4096::ONE)
                .to_be_bytes(),
        );
        assert_eq!(
            parse_public_value(&n_plus_one, v),
            Err(Error::NotReduced(v))
        );
        let too_big = "f".repeat(MAX_PUBLIC_VALUE_HEX_LEN);
        assert_eq!(parse_public_value(&too_big, v), Err(Error::NotReduced(v)));
    }

    #[test]
    fn bounds_the_length_before_parsing() {
        let v = WireValue::SrpA;
        let long = "z".repeat(MAX_PUBLIC_VALUE_HEX_LEN + 1);
        assert_eq!(
            parse_public_value(&long, v),
            Err(Error::TooLong {
                value: v,
                max: MAX_PUBLIC_VALUE_HEX_LEN
            })
        );
    }

    #[test]
    fn accepts_small_and_padded_values() {
        let v = WireValue::SrpA;
        assert_eq!(parse_public_value("1", v), Ok(U3072::ONE));
        let padded = format!("{}2", "0".repeat(MAX_PUBLIC_VALUE_HEX_LEN - 1));
        assert_eq!(parse_public_value(&padded, v), Ok(U3072::from_u8(2)));
    }
}
