//! The `auth-flow-state-machine` crate's integration tests: its building blocks through the
//! public API, as the facade will use them.

use auth_flow_state_machine::*;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

/// A software-token MFA step: the pending challenge travels in a session envelope; the code is
/// checked once; the same code (or an older one) is refused afterwards.
#[test]
fn totp_step_through_a_session() {
    let secret = TotpSecret::generate(&mut ChaCha20Rng::seed_from_u64(5));
    let now = 1_790_000_000;
    let envelope = SessionEnvelope {
        id: [1; 16],
        pool_id: "us-east-1_AbCdEf123".into(),
        client_id: "client".into(),
        username: "alice".into(),
        challenge: ChallengeName::SoftwareTokenMfa,
        expires_at: now + 180,
        state: Vec::new(),
    };
    let restored = SessionEnvelope::decode(&envelope.encode()).expect("round trip");
    restored
        .check(
            "us-east-1_AbCdEf123",
            "client",
            ChallengeName::SoftwareTokenMfa,
            now + 10,
        )
        .expect("bound");
    assert_eq!(
        restored.check("us-east-1_AbCdEf123", "client", ChallengeName::SmsMfa, now),
        Err(FlowError::WrongStep {
            expected: ChallengeName::SoftwareTokenMfa,
            got: ChallengeName::SmsMfa
        })
    );
    assert_eq!(
        restored.check(
            "us-east-1_AbCdEf123",
            "client",
            ChallengeName::SoftwareTokenMfa,
            now + 181
        ),
        Err(FlowError::SessionExpired)
    );
    // An authenticator app computes the code from the base32 SecretCode; we accept it once.
    let code = app_code(&secret.secret_code(), now);
    let step = secret.verify(&code, now + 10, None).expect("accepted");
    assert_eq!(
        secret.verify(&code, now + 10, Some(step)),
        Err(FlowError::TotpMismatch)
    );
}

/// What an authenticator app does with `SecretCode` (RFC 6238, SHA-1, 6 digits, 30 s).
fn app_code(secret_code: &str, now: i64) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret_code).expect("base32");
    totp_rs::Builder::new()
        .with_secret(secret)
        .build()
        .expect("totp")
        .generate(now as u64)
        .to_string()
}

/// Lockout spans attempts: a locked user's attempts are refused without being recorded.
#[test]
fn lockout_refusals_do_not_count() {
    let policy = LockoutPolicy::default();
    let mut failures = Failures::default();
    let now = 50;
    for _ in 0..5 {
        failures = policy.record_failure(failures, now);
    }
    for _ in 0..100 {
        assert!(matches!(
            policy.check(failures, now),
            Err(FlowError::PasswordAttemptsExceeded { .. })
        ));
    }
    assert_eq!(failures.count, 5, "refused attempts were not recorded");
    assert_eq!(policy.check(failures, now + 1), Ok(()));
}

#[test]
fn flows_by_wire_name() {
    for (name, flow) in [
        ("USER_SRP_AUTH", AuthFlow::UserSrpAuth),
        ("CUSTOM_AUTH", AuthFlow::CustomAuth),
        ("REFRESH_TOKEN_AUTH", AuthFlow::RefreshTokenAuth),
    ] {
        assert_eq!(AuthFlow::parse(name), Ok(flow));
    }
    assert_eq!(
        ChallengeName::parse("NEW_PASSWORD_REQUIRED").map(ChallengeName::as_str),
        Some("NEW_PASSWORD_REQUIRED")
    );
    assert!(MIN_SESSION_LEN >= 20 && SESSION_MINUTES.contains(&3) && SESSION_MINUTES.contains(&15));
}

#[path = "../../../../fuzz/harness/flow_driver.rs"]
mod driver;
#[path = "../../../../fuzz/harness/flow.rs"]
mod world;

mod corpus;
mod custom;
mod devices;
mod mfa;
mod properties;
mod security;
mod sign_in;
mod user_auth;
