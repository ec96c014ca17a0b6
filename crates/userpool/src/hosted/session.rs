//! The hosted UI's sign-in cookie: who signed in and when, sealed under the pool's key, and
//! (for single logout) the SAML sign-in it came from.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use user_pool_model::{PoolConfig, Sub, User, UserStatus};

use crate::core::Core;
use crate::core::internal;
use crate::error::Result;
use crate::hosted::authorize::HOSTED_SESSION_SECONDS;
use crate::seal::Purpose;
use crate::wire::*;

/// What the sign-in cookie holds (sealed).
#[derive(Serialize, Deserialize)]
struct SessionClaims {
    /// The user's `sub`.
    s: String,
    /// When they authenticated.
    t: i64,
    /// Unix seconds after which the cookie is refused.
    e: i64,
    /// The user's session epoch when it was issued.
    #[serde(default)]
    v: u64,
    /// The SAML sign-in this session came from, for single logout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    f: Option<SamlSession>,
}

/// What a sign-in cookie remembers of a sign-in through a SAML IdP, for single logout
/// (`IDPSignout`): the provider, the asserted `NameID` (and its format) and `SessionIndex`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SamlSession {
    /// The provider's name.
    pub(crate) p: String,
    /// `NameID`.
    pub(crate) n: String,
    /// `NameID/@Format`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) m: Option<String>,
    /// `SessionIndex`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) x: Option<String>,
}

/// The longest SAML session a sign-in cookie remembers (bytes of its JSON): longer ones are
/// left out (no single logout) so the cookie stays well under browsers' 4 KiB.
const MAX_SAML_SESSION_LEN: usize = 1024;

/// The longest sign-in cookie opened.
const MAX_SESSION_COOKIE_LEN: usize = 3072;

impl Core {
    /// A new sign-in cookie for `user`, authenticated now.
    /// `saml` is the SAML sign-in it came from, if any (kept for single logout when small
    /// enough).
    pub(crate) fn new_session(
        &self,
        pool: &PoolConfig,
        user: &User,
        saml: Option<SamlSession>,
    ) -> Result<HostedSession> {
        let now = self.now();
        let saml = saml
            .filter(|f| serde_json::to_vec(f).is_ok_and(|json| json.len() <= MAX_SAML_SESSION_LEN));
        let claims = SessionClaims {
            s: user.sub.to_string(),
            t: now,
            e: now + HOSTED_SESSION_SECONDS,
            v: user.session_epoch,
            f: saml,
        };
        let plain = serde_json::to_vec(&claims).map_err(|_| internal())?;
        let nonce = self.entropy.bytes::<12>()?;
        let sealed = self
            .sealer(&pool.id, Purpose::HostedSession)
            .seal(&plain, b"", nonce);
        Ok(HostedSession {
            cookie: URL_SAFE_NO_PAD.encode(sealed).into(),
            max_age: HOSTED_SESSION_SECONDS,
        })
    }

    /// The user a sign-in cookie stands for and when they authenticated, if the cookie is
    /// genuine, unexpired, and the user still exists, is confirmed and enabled, and was not
    /// signed out everywhere (GlobalSignOut, AdminUserGlobalSignOut, a password reset) since.
    pub(crate) async fn open_session(
        &self,
        pool: &PoolConfig,
        cookie: &str,
    ) -> Option<(User, i64)> {
        let claims = self.session_claims(pool, cookie)?;
        let sub = Sub::parse(&claims.s).ok()?;
        let user = self.store().find_by_sub(&pool.id, &sub).await.ok()??;
        let signed_out = claims.v != user.session_epoch;
        (user.enabled
            && matches!(
                user.status,
                UserStatus::Confirmed | UserStatus::ExternalProvider
            )
            && !signed_out)
            .then_some((user, claims.t))
    }

    /// The claims of a genuine, unexpired sign-in cookie.
    fn session_claims(&self, pool: &PoolConfig, cookie: &str) -> Option<SessionClaims> {
        if cookie.len() > MAX_SESSION_COOKIE_LEN {
            return None;
        }
        let sealed = URL_SAFE_NO_PAD.decode(cookie).ok()?;
        let plain = self
            .sealer(&pool.id, Purpose::HostedSession)
            .open(&sealed, b"")
            .ok()?;
        let claims: SessionClaims = serde_json::from_slice(&plain).ok()?;
        (self.now() <= claims.e).then_some(claims)
    }

    /// The SAML sign-in a genuine, unexpired sign-in cookie came from, if it came from one.
    pub(crate) fn saml_session(&self, pool: &PoolConfig, cookie: &str) -> Option<SamlSession> {
        self.session_claims(pool, cookie)?.f
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng as _;
    use user_pool_model::UserPoolId;
    use userpool_store::{MemoryStore, Store};

    use super::*;
    use crate::{FixedClock, MasterKey, Service};

    fn core() -> Arc<Core> {
        let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        Service::builder(store, MasterKey::new([1; 32]))
            .clock(Arc::new(FixedClock::new(1_800_000_000)))
            .rng(ChaCha20Rng::seed_from_u64(5))
            .build()
            .unwrap()
            .core()
            .clone()
    }

    fn saml(name_id: &str) -> SamlSession {
        SamlSession {
            p: "corp".into(),
            n: name_id.into(),
            m: Some("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress".into()),
            x: Some("_s1".into()),
        }
    }

    #[test]
    fn the_cookie_remembers_a_saml_sign_in_that_fits() {
        let core = core();
        let pool = PoolConfig::new(UserPoolId::parse("us-east-1_Sess00001").unwrap(), "p").unwrap();
        let other =
            PoolConfig::new(UserPoolId::parse("us-east-1_Sess00002").unwrap(), "q").unwrap();
        let user = User::new(
            "corp_alice",
            Sub::from_bytes([7; 16]),
            UserStatus::ExternalProvider,
            1_800_000_000,
        );
        let cookie = core
            .new_session(&pool, &user, Some(saml("alice@example.com")))
            .unwrap();
        let value = cookie.cookie.expose_secret();
        assert_eq!(
            core.saml_session(&pool, value),
            Some(saml("alice@example.com"))
        );
        // Sealed for its pool only, and not readable when altered.
        assert_eq!(core.saml_session(&other, value), None);
        assert_eq!(core.saml_session(&pool, &format!("{value}A")), None);
        // A sign-in without SAML, and a NameID too long to keep, remember nothing.
        let plain = core.new_session(&pool, &user, None).unwrap();
        assert_eq!(core.saml_session(&pool, plain.cookie.expose_secret()), None);
        let long = core
            .new_session(&pool, &user, Some(saml(&"a".repeat(2000))))
            .unwrap();
        assert_eq!(core.saml_session(&pool, long.cookie.expose_secret()), None);
        assert!(long.cookie.expose_secret().len() < MAX_SESSION_COOKIE_LEN);
    }
}
