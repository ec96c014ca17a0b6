//! base64url as WebAuthn's JSON forms use it: written without padding, read with or without.

use base64::Engine as _;
use base64::alphabet::URL_SAFE;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use crate::error::{Result, WebAuthnError};

const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// base64url without padding.
pub fn encode(bytes: &[u8]) -> String {
    LENIENT.encode(bytes)
}

/// base64url, padded or not; `what` names the member for the error.
pub fn decode(text: &str, what: &'static str) -> Result<Vec<u8>> {
    LENIENT
        .decode(text.as_bytes())
        .map_err(|_| WebAuthnError::Malformed(what))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_accepts_padding() {
        assert_eq!(encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(decode("-_8", "x"), Ok(vec![0xfb, 0xff]));
        assert_eq!(decode("-_8=", "x"), Ok(vec![0xfb, 0xff]));
        assert_eq!(decode("+/8", "x"), Err(WebAuthnError::Malformed("x")));
    }
}
