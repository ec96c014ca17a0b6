//! The `Session` a challenge response must carry: a versioned envelope that binds the pending
//! step to a pool, client, user, challenge and expiry. The facade seals the encoded bytes with
//! an AEAD under a per-pool key and base64url-encodes them; this module builds and checks
//! what is inside. Single use is the facade's replay marker over [`SessionEnvelope::id`].

use crate::error::{FlowError, Result};
use crate::flows::ChallengeName;

/// Shortest `Session` string a client accepts (boto3 refuses shorter ones).
pub const MIN_SESSION_LEN: usize = 20;
/// `AuthSessionValidity` bounds, in minutes.
pub const SESSION_MINUTES: core::ops::RangeInclusive<u8> = 3..=15;
const VERSION: u8 = 1;

/// Everything a pending step is bound to, plus the step's own state (opaque here).
#[derive(Clone, PartialEq, Eq)]
pub struct SessionEnvelope {
    /// Random id; the replay marker.
    pub id: [u8; 16],
    /// The pool id.
    pub pool_id: String,
    /// The app client id.
    pub client_id: String,
    /// The internal username.
    pub username: String,
    /// The challenge the response must answer.
    pub challenge: ChallengeName,
    /// Unix second after which the session is refused.
    pub expires_at: i64,
    /// The step's state (SRP ephemeral, custom-auth history, …); secret.
    pub state: Vec<u8>,
}

impl core::fmt::Debug for SessionEnvelope {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SessionEnvelope")
            .field("pool_id", &self.pool_id)
            .field("client_id", &self.client_id)
            .field("username", &self.username)
            .field("challenge", &self.challenge)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

fn put(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&u32::try_from(bytes.len()).unwrap_or(u32::MAX).to_be_bytes());
    out.extend_from_slice(bytes);
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let (head, tail) = self
            .0
            .split_at_checked(n)
            .ok_or(FlowError::InvalidSession)?;
        self.0 = tail;
        Ok(head)
    }

    fn field(&mut self) -> Result<&'a [u8]> {
        let len: [u8; 4] = self
            .take(4)?
            .try_into()
            .map_err(|_| FlowError::InvalidSession)?;
        self.take(u32::from_be_bytes(len) as usize)
    }

    fn text(&mut self) -> Result<String> {
        String::from_utf8(self.field()?.to_vec()).map_err(|_| FlowError::InvalidSession)
    }
}

impl SessionEnvelope {
    /// The bytes to seal: version, id, bindings, expiry, state.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 + self.state.len());
        out.push(VERSION);
        out.extend_from_slice(&self.id);
        put(&mut out, self.pool_id.as_bytes());
        put(&mut out, self.client_id.as_bytes());
        put(&mut out, self.username.as_bytes());
        put(&mut out, self.challenge.as_str().as_bytes());
        out.extend_from_slice(&self.expires_at.to_be_bytes());
        put(&mut out, &self.state);
        out
    }

    /// Reads unsealed bytes back; anything malformed is [`FlowError::InvalidSession`].
    pub fn decode(bytes: &[u8]) -> Result<Self> {
        let mut r = Reader(bytes);
        if r.take(1)? != [VERSION] {
            return Err(FlowError::InvalidSession);
        }
        let id: [u8; 16] = r
            .take(16)?
            .try_into()
            .map_err(|_| FlowError::InvalidSession)?;
        let pool_id = r.text()?;
        let client_id = r.text()?;
        let username = r.text()?;
        let challenge = ChallengeName::parse(&r.text()?).ok_or(FlowError::InvalidSession)?;
        let expires_at = i64::from_be_bytes(
            r.take(8)?
                .try_into()
                .map_err(|_| FlowError::InvalidSession)?,
        );
        let state = r.field()?.to_vec();
        if !r.0.is_empty() {
            return Err(FlowError::InvalidSession);
        }
        Ok(Self {
            id,
            pool_id,
            client_id,
            username,
            challenge,
            expires_at,
            state,
        })
    }

    /// Checks that this session may answer `challenge` for `pool_id` / `client_id` at `now`.
    pub fn check(
        &self,
        pool_id: &str,
        client_id: &str,
        challenge: ChallengeName,
        now: i64,
    ) -> Result<()> {
        if self.pool_id != pool_id || self.client_id != client_id {
            return Err(FlowError::InvalidSession);
        }
        if now > self.expires_at {
            return Err(FlowError::SessionExpired);
        }
        if self.challenge != challenge {
            return Err(FlowError::WrongStep {
                expected: self.challenge,
                got: challenge,
            });
        }
        Ok(())
    }
}

impl Drop for SessionEnvelope {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn envelope() -> SessionEnvelope {
        SessionEnvelope {
            id: [7; 16],
            pool_id: "us-east-1_AbCdEf123".into(),
            client_id: "client".into(),
            username: "alice".into(),
            challenge: ChallengeName::SoftwareTokenMfa,
            expires_at: 1_000,
            state: vec![1, 2, 3],
        }
    }

    #[test]
    fn bindings_are_checked() {
        let e = envelope();
        assert_eq!(
            e.check(
                "us-east-1_AbCdEf123",
                "client",
                ChallengeName::SoftwareTokenMfa,
                1_000
            ),
            Ok(())
        );
        assert_eq!(
            e.check(
                "us-east-1_Other0000",
                "client",
                ChallengeName::SoftwareTokenMfa,
                0
            ),
            Err(FlowError::InvalidSession)
        );
        assert_eq!(
            e.check(
                "us-east-1_AbCdEf123",
                "other",
                ChallengeName::SoftwareTokenMfa,
                0
            ),
            Err(FlowError::InvalidSession)
        );
        assert_eq!(
            e.check(
                "us-east-1_AbCdEf123",
                "client",
                ChallengeName::SoftwareTokenMfa,
                1_001
            ),
            Err(FlowError::SessionExpired)
        );
        assert_eq!(
            e.check("us-east-1_AbCdEf123", "client", ChallengeName::SmsMfa, 0),
            Err(FlowError::WrongStep {
                expected: ChallengeName::SoftwareTokenMfa,
                got: ChallengeName::SmsMfa
            })
        );
        assert!(!format!("{e:?}").contains("[1, 2, 3]"));
    }

    proptest! {
        #[test]
        fn envelopes_round_trip(id in any::<[u8; 16]>(), user in ".{0,40}", exp in any::<i64>(), state in proptest::collection::vec(any::<u8>(), 0..200)) {
            let base = envelope();
            let e = SessionEnvelope {
                id,
                pool_id: base.pool_id.clone(),
                client_id: base.client_id.clone(),
                username: user,
                challenge: base.challenge,
                expires_at: exp,
                state,
            };
            prop_assert_eq!(SessionEnvelope::decode(&e.encode()), Ok(e));
        }

        #[test]
        fn garbage_never_decodes_into_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = SessionEnvelope::decode(&bytes);
        }

        #[test]
        fn any_truncation_or_extension_is_refused(cut in 0usize..60, extra in 1u8..5) {
            let bytes = envelope().encode();
            let cut = cut.min(bytes.len() - 1);
            prop_assert_eq!(SessionEnvelope::decode(&bytes[..cut]), Err(FlowError::InvalidSession));
            let mut longer = bytes;
            longer.extend(std::iter::repeat_n(0, usize::from(extra)));
            prop_assert_eq!(SessionEnvelope::decode(&longer), Err(FlowError::InvalidSession));
        }
    }
}
