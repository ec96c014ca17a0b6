//! Strict base64url: no padding, no whitespace, canonical trailing bits (RFC 7515 §2).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Encodes without padding.
pub(crate) fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes canonical base64url without padding; anything else is `None`.
///
/// The engine already rejects padding, whitespace, characters outside the URL-safe alphabet
/// and non-zero trailing bits; a length of 1 mod 4 is rejected as impossible.
pub(crate) fn decode(s: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(s).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_non_canonical_forms() {
        assert_eq!(decode(&encode(b"foo")), Some(b"foo".to_vec()));
        assert_eq!(decode("Zm9v"), Some(b"foo".to_vec()));
        assert_eq!(decode(""), Some(vec![]));
        for bad in [
            "Zm8=", "Zm9v ", " Zm9v", "Zm\n9v", "Zm+v", "Zm/v", "Z", "Zm9v?", "Zm9v=",
        ] {
            assert_eq!(decode(bad), None, "{bad:?}");
        }
        assert_eq!(decode("Zm8"), Some(b"fo".to_vec()));
        assert_eq!(decode("Zm9"), None, "non-zero trailing bits");
    }
}
