//! The hosted UI's CSRF tokens: a random nonce and an HMAC over it under a key derived from
//! the master key, so a token is accepted only if a server of this deployment issued it (not
//! any 64-character value an attacker planted in a cookie), and servers sharing the master key
//! accept each other's tokens. The pages compare the cookie's and the form's copy in constant
//! time as well (double submit).

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq as _;

use crate::error::Result;
use crate::hosted::Hosted;

const LABEL: &[u8] = b"userpool/v1/hosted-csrf";
/// Length of a token: 16 bytes of nonce and 16 of MAC, in hex.
pub(crate) const CSRF_TOKEN_LEN: usize = 64;

impl Hosted {
    fn csrf_mac(&self, nonce: &[u8]) -> [u8; 16] {
        let derived = crate::core::derive(&self.core.keyring, LABEL);
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(derived.as_ref())
            .unwrap_or_else(|_| <Hmac<Sha256> as KeyInit>::new(&Default::default()));
        mac.update(nonce);
        let full = mac.finalize().into_bytes();
        let mut out = [0u8; 16];
        out.copy_from_slice(full.get(..16).unwrap_or(&[0; 16]));
        out
    }

    /// A new CSRF token for the hosted pages.
    pub fn hosted_csrf_token(&self) -> Result<String> {
        let nonce = self.core.entropy.bytes::<16>()?;
        let mac = self.csrf_mac(&nonce);
        Ok(format!("{}{}", hex(&nonce), hex(&mac)))
    }

    /// Whether `token` is one this deployment issued.
    pub fn hosted_csrf_valid(&self, token: &str) -> bool {
        if token.len() != CSRF_TOKEN_LEN {
            return false;
        }
        let (Some(nonce), Some(mac)) = (
            token.get(..32).and_then(unhex),
            token.get(32..).and_then(unhex),
        ) else {
            return false;
        };
        bool::from(self.csrf_mac(&nonce).ct_eq(mac.as_slice()))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::Service;

    use super::*;
    use crate::MasterKey;

    fn service(key: u8) -> Service {
        Service::builder(
            Arc::new(userpool_store::MemoryStore::new()),
            MasterKey::new([key; 32]),
        )
        .build()
        .expect("service")
    }

    #[test]
    fn only_issued_tokens_pass() {
        let (a, b) = (service(1), service(1));
        let token = a.hosted().hosted_csrf_token().expect("token");
        assert_eq!(token.len(), CSRF_TOKEN_LEN);
        assert!(a.hosted().hosted_csrf_valid(&token));
        assert!(
            b.hosted().hosted_csrf_valid(&token),
            "same master key, same deployment"
        );
        assert!(
            !service(2).hosted().hosted_csrf_valid(&token),
            "another deployment's"
        );
        let mut flipped = token.clone().into_bytes();
        flipped[63] = if flipped[63] == b'0' { b'1' } else { b'0' };
        assert!(
            !a.hosted()
                .hosted_csrf_valid(&String::from_utf8(flipped).expect("hex"))
        );
        assert!(
            !a.hosted().hosted_csrf_valid(&"a".repeat(64)),
            "any 64 characters"
        );
        assert!(!a.hosted().hosted_csrf_valid(""));
        assert!(!a.hosted().hosted_csrf_valid(&format!("{token}00")));
    }
}
