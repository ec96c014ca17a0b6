//! Cognito's sign-in flows and challenges as explicit, sans-IO state machines.
//!
//! InitiateAuth starts a flow ([`Initiate::parse`], then [`SignIn::start`] with the account the
//! facade resolved); every later request opens the sealed state ([`sealed_state`],
//! [`PendingChallenge::open`]) and answers it ([`PendingChallenge::respond`]). Each step is one
//! type waiting for one answer; a transition consumes it and yields a [`Transition`]: a
//! [`Challenge`] to return (its state sealed by the facade with an AEAD), a [`PendingTrigger`]
//! to run and resume, or [`Authenticated`] — which only a completed flow can build — together
//! with the [`Event`]s the facade must perform. No clock, RNG, storage or trigger is touched
//! here: they come in through [`FlowContext`] and go out as steps and events.
//!
//! # USER_SRP_AUTH, both requests
//!
//! ```
//! use std::collections::BTreeMap;
//! use auth_flow_state_machine::*;
//! use rand_chacha::ChaCha20Rng;
//! use rand_core::SeedableRng;
//! use user_pool_model::{AppClient, ClientId, PasswordRecord, PoolConfig, Sub, User, UserPoolId, UserStatus};
//!
//! let mut rng = ChaCha20Rng::seed_from_u64(1);
//! let pool = PoolConfig::new(UserPoolId::parse("us-east-1_AbCdEf123")?, "pool")?;
//! let client = AppClient::new(ClientId::parse("client1")?, "web", None)?;
//! let settings = FlowSettings::new(PhantomKey::new([7; 32]));
//! let now = 1_793_000_000;
//!
//! // SignUp stored a salt and verifier (the facade encrypts the verifier at rest).
//! let password = srp::Password::new("Passw0rd!");
//! let (salt, verifier) = srp::generate_verifier("AbCdEf123", "alice", &password, &mut rng);
//! let mut user = User::new("alice", Sub::generate(&mut rng), UserStatus::Confirmed, now);
//! user.password = Some(PasswordRecord { salt: salt.as_bytes().to_vec(), verifier: vec![], set_at: now, expires_at: None });
//! let account = Account { verifier: Some(verifier), ..Account::new(&user) };
//!
//! // A real facade seals with an AEAD under the pool's key; identity keeps the example short.
//! let seal = |bytes: &[u8]| bytes.to_vec();
//! let client_srp = srp::ClientHandshake::start(&mut rng)?;
//! let params = BTreeMap::from([("USERNAME".into(), "alice".into()), ("SRP_A".into(), client_srp.srp_a())]);
//!
//! let mut cx = FlowContext { now, rng: &mut rng, pool: &pool, client: &client, settings: &settings, admin: false, unknown_user_failures: Default::default(), require_mfa: false, relying_party: None };
//! let Initiate::SignIn(sign_in) = Initiate::parse("USER_SRP_AUTH", &params, &client, false)? else { unreachable!() };
//! let Step::Challenge(challenge) = sign_in.start(Some(&account), &mut cx)?.step else { unreachable!() };
//! let challenge = challenge.render(seal)?;
//! assert_eq!(challenge.name, "PASSWORD_VERIFIER");
//! assert_eq!(challenge.session, None); // Cognito returns none here; SECRET_BLOCK carries the state
//!
//! // The client signs; the server opens the state from the secret block and verifies.
//! let p = &challenge.parameters;
//! let timestamp = srp::format_timestamp(srp::time::OffsetDateTime::from_unix_timestamp(now)?);
//! let signature = client_srp.respond(
//!     &srp::ClaimIdentity::user("AbCdEf123", &p["USER_ID_FOR_SRP"]),
//!     &password,
//!     &srp::PasswordVerifierChallenge { salt: &p["SALT"], srp_b: &p["SRP_B"], secret_block: &p["SECRET_BLOCK"] },
//!     &timestamp,
//! )?;
//! let responses = BTreeMap::from([
//!     ("USERNAME".into(), "alice".into()),
//!     ("PASSWORD_CLAIM_SECRET_BLOCK".into(), p["SECRET_BLOCK"].clone()),
//!     ("PASSWORD_CLAIM_SIGNATURE".into(), signature),
//!     ("TIMESTAMP".into(), timestamp),
//! ]);
//! let answer = ChallengeAnswer::from_wire("PASSWORD_VERIFIER", &responses)?; // read once
//! let sealed = sealed_state(&answer, None)?;
//! let pending = PendingChallenge::open(&sealed, &cx)?; // the facade unseals first
//! let done = pending.respond(answer, Some(&account), 0, &mut cx)?;
//! let Step::Authenticated(signed_in) = done.step else { unreachable!() };
//! assert_eq!(signed_in.username(), "alice");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable
    )
)]

mod answer;
mod context;
mod continuation;
mod custom;
mod device;
mod error;
mod flows;
mod initiate;
mod lockout;
mod mfa;
mod new_password;
mod outcome;
mod password_verifier;
mod phantom;
mod refresh;
mod request;
mod respond;
mod session;
mod state;
mod totp;
mod user_auth;

pub use answer::{ChallengeAnswer, ChallengeResponse, PasswordClaim};
pub use context::{Account, FlowContext, FlowSettings, MAX_CUSTOM_ROUNDS, PhantomKey, TotpFactor};
pub use custom::{
    CreatedChallenge, DefineDecision, PendingCreate, PendingDefine, PendingTrigger, PendingVerify,
};
pub use error::{FlowError, Result};
pub use flows::{AuthFlow, ChallengeName};
pub use initiate::{Initiate, SignIn};
pub use lockout::{Failures, LockoutPolicy};
pub use mfa::{CODE_DIGITS, can_answer_mfa, mask_destination};
pub use outcome::{
    Authenticated, Challenge, ChallengeOutput, DeliveryMedium, Event, MAX_SESSION_LEN, OneTimeCode,
    Step, TokenSource, Transition,
};
pub use refresh::{RefreshGrant, RefreshRequest, RefreshToken};
pub use request::AuthRequest;
pub use respond::{PendingChallenge, sealed_session, sealed_state};
pub use session::{MIN_SESSION_LEN, SESSION_MINUTES, SessionEnvelope};
pub use state::{ChallengeRecord, FirstFactor, MfaKind, SecondFactor};
pub use totp::{SECRET_BYTES, TotpSecret};
pub use user_auth::FactorChoice;
pub use webauthn_rp::{RelyingParty, StoredCredential, UserVerification};
