//! Unknown users under PreventUserExistenceErrors: a salt, verifier and `USER_ID_FOR_SRP` that
//! are stable per pool and login, look like a real user's, and that no password matches.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::context::{FlowContext, PhantomKey};

/// A stand-in for a user that does not exist.
pub(crate) struct Phantom {
    pub(crate) user_id: String,
    pub(crate) salt: srp::Salt,
    pub(crate) verifier: srp::Verifier,
}

fn prf(key: &PhantomKey, label: &[u8], pool_id: &str, login: &str) -> Zeroizing<[u8; 32]> {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key.expose_secret())
        .unwrap_or_else(|_| <Hmac<Sha256> as KeyInit>::new(&Default::default()));
    for part in [label, pool_id.as_bytes(), login.as_bytes()] {
        mac.update(&u32::try_from(part.len()).unwrap_or(u32::MAX).to_be_bytes());
        mac.update(part);
    }
    Zeroizing::new(mac.finalize().into_bytes().into())
}

fn uuid_v4(bytes: &[u8; 32]) -> String {
    let mut b = [0u8; 16];
    b.copy_from_slice(bytes.get(..16).unwrap_or(&[0; 16]));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        hex.get(0..8).unwrap_or_default(),
        hex.get(8..12).unwrap_or_default(),
        hex.get(12..16).unwrap_or_default(),
        hex.get(16..20).unwrap_or_default(),
        hex.get(20..32).unwrap_or_default()
    )
}

impl Phantom {
    /// The phantom for what an unknown user typed at sign-in, in the context's pool.
    pub(crate) fn for_login<R: ?Sized>(cx: &FlowContext<'_, R>, login: &str) -> Self {
        Self::derive(
            &cx.settings.phantom_key,
            cx.pool.id.as_str(),
            &cx.pool.case_rule.fold(login),
            !cx.pool.username_attributes.is_empty(),
        )
    }

    /// The phantom for `login` (already folded by the pool's case rule) in `pool_id`.
    /// In pools whose usernames are email / phone, real users' `USER_ID_FOR_SRP` is a UUID
    /// (their `sub`), so the phantom's is one too; otherwise it is the login itself.
    pub(crate) fn derive(
        key: &PhantomKey,
        pool_id: &str,
        login: &str,
        uuid_usernames: bool,
    ) -> Self {
        let user_id = if uuid_usernames {
            uuid_v4(&prf(key, b"user-id", pool_id, login))
        } else {
            login.to_owned()
        };
        let salt_bytes = prf(key, b"salt", pool_id, login);
        let salt = srp::Salt::from_bytes(srp::pad_hex(salt_bytes.get(..16).unwrap_or(&[1; 16])));
        let password = prf(key, b"password", pool_id, login);
        let password = srp::Password::new(srp::pad_hex::to_hex(password.as_slice()));
        // Decoy powers: the second step then costs what a real user's costs (whose stored
        // verifier has its powers), so its timing says nothing about the user's existence.
        let verifier = srp::compute_verifier(srp::pool_name(pool_id), &user_id, &password, &salt)
            .with_decoy_powers();
        Self {
            user_id,
            salt,
            verifier,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_per_login_distinct_across_logins() {
        let key = PhantomKey::new([9; 32]);
        let a = Phantom::derive(&key, "us-east-1_AbCdEf123", "ghost", false);
        let b = Phantom::derive(&key, "us-east-1_AbCdEf123", "ghost", false);
        let c = Phantom::derive(&key, "us-east-1_AbCdEf123", "ghost2", false);
        let other_pool = Phantom::derive(&key, "us-east-1_Other0000", "ghost", false);
        assert_eq!(a.salt, b.salt);
        assert_eq!(a.verifier, b.verifier);
        assert_ne!(a.salt, c.salt);
        assert_ne!(a.salt, other_pool.salt);
        assert_eq!(a.user_id, "ghost");
        let u = Phantom::derive(&key, "us-east-1_AbCdEf123", "g@example.com", true);
        assert_eq!(u.user_id.len(), 36);
        assert_eq!(u.user_id.as_bytes()[14], b'4');
        assert_eq!(
            u.user_id,
            Phantom::derive(&key, "us-east-1_AbCdEf123", "g@example.com", true).user_id
        );
    }
}
