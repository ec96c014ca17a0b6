//! Cognito's integer encodings: `padHex` and the plain hex that `SRP_A` / `SRP_B` use.
//!
//! `padHex(n)` is Java's `BigInteger.toByteArray()` for `n ≥ 0`: the minimal big-endian bytes,
//! with one `0x00` in front when the top bit is set, and `00` for zero. Every hash input in
//! Cognito's SRP goes through it; getting it wrong fails roughly one sign-in in 256.

use crate::error::{Error, Result, WireValue};

/// `padHex` of a non-negative integer given as big-endian bytes (leading zeros allowed).
///
/// ```
/// assert_eq!(cognito_srp6a::pad_hex(&[0x00, 0x80]), vec![0x00, 0x80]);
/// assert_eq!(cognito_srp6a::pad_hex(&[0x7f]), vec![0x7f]);
/// assert_eq!(cognito_srp6a::pad_hex(&[0x00, 0x00, 0x01, 0x00]), vec![0x01, 0x00]);
/// assert_eq!(cognito_srp6a::pad_hex(&[]), vec![0x00]);
/// ```
pub fn pad_hex(be_bytes: &[u8]) -> Vec<u8> {
    let start = be_bytes
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(be_bytes.len());
    let digits = be_bytes.get(start..).unwrap_or_default();
    match digits.first() {
        None => vec![0x00],
        Some(&top) if top & 0x80 != 0 => {
            let mut out = Vec::with_capacity(digits.len() + 1);
            out.push(0x00);
            out.extend_from_slice(digits);
            out
        }
        Some(_) => digits.to_vec(),
    }
}

/// Lowercase hex of bytes, two digits per byte.
pub fn to_hex(bytes: &[u8]) -> String {
    use core::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        // Writing to a String cannot fail.
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The integer's lowercase hex without leading zeros (`0` → `"0"`), as `SRP_A` / `SRP_B` are
/// sent by every client (`BigInteger.toString(16)`; may be odd-length).
pub fn to_plain_hex(be_bytes: &[u8]) -> String {
    let full = to_hex(be_bytes);
    let trimmed = full.trim_start_matches('0');
    if trimmed.is_empty() {
        "0".to_owned()
    } else {
        trimmed.to_owned()
    }
}

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Parses an unsigned hex integer of any length up to `max_len` digits (odd lengths allowed,
/// either case, no sign, prefix or whitespace) into big-endian bytes.
///
/// The length is checked before anything else, so an oversized input costs nothing.
pub fn parse_hex(s: &str, value: WireValue, max_len: usize) -> Result<Vec<u8>> {
    let digits = s.as_bytes();
    if digits.is_empty() {
        return Err(Error::Empty(value));
    }
    if digits.len() > max_len {
        return Err(Error::TooLong {
            value,
            max: max_len,
        });
    }
    let mut out = Vec::with_capacity(digits.len().div_ceil(2));
    let (head, rest) = if digits.len() % 2 == 1 {
        digits.split_at(1)
    } else {
        digits.split_at(0)
    };
    if let Some(&c) = head.first() {
        out.push(nibble(c).ok_or(Error::NotHex(value))?);
    }
    for pair in rest.chunks_exact(2) {
        let (hi, lo) = match pair {
            [hi, lo] => (nibble(*hi), nibble(*lo)),
            _ => (None, None),
        };
        match (hi, lo) {
            (Some(hi), Some(lo)) => out.push(hi << 4 | lo),
            _ => return Err(Error::NotHex(value)),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// acij's own `padHex` table (non-negative rows), re-verified in the spec §1.2.
    #[test]
    fn pad_hex_matches_the_acij_table() {
        let cases: &[(&[u8], &str)] = &[
            (&[0], "00"),
            (&[1], "01"),
            (&[0x7f], "7f"),
            (&[0x80], "0080"),
            (&[0xff], "00ff"),
            (&[0x01, 0x00], "0100"),
            (&[0x80, 0x00], "008000"),
            (&[20], "14"),
            (&[236], "00ec"),
            (&[0x0a, 0xbc], "0abc"),
        ];
        for (n, want) in cases {
            assert_eq!(to_hex(&pad_hex(n)), *want, "padHex({n:?})");
        }
    }

    #[test]
    fn plain_hex_has_no_padding() {
        assert_eq!(to_plain_hex(&[0x00, 0x0a, 0xbc]), "abc");
        assert_eq!(to_plain_hex(&[0, 0]), "0");
        assert_eq!(to_plain_hex(&[0xf0]), "f0");
    }

    #[test]
    fn parse_hex_accepts_odd_lengths_and_either_case() {
        assert_eq!(parse_hex("abc", WireValue::SrpA, 10), Ok(vec![0x0a, 0xbc]));
        assert_eq!(parse_hex("00FF", WireValue::SrpA, 10), Ok(vec![0x00, 0xff]));
        assert_eq!(parse_hex("7", WireValue::SrpA, 10), Ok(vec![0x07]));
    }

    #[test]
    fn parse_hex_rejects_exactly() {
        let v = WireValue::SrpA;
        assert_eq!(parse_hex("", v, 10), Err(Error::Empty(v)));
        assert_eq!(
            parse_hex("abcdef", v, 5),
            Err(Error::TooLong { value: v, max: 5 })
        );
        for bad in ["0x12", "-12", "+1", "12 ", " 12", "g1", "1g", "é1", "12\n"] {
            assert_eq!(parse_hex(bad, v, 10), Err(Error::NotHex(v)), "{bad:?}");
        }
    }
}
