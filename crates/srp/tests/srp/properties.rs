//! Invariants over arbitrary inputs: our client and server always agree, and any change to what
//! the signature covers is rejected.

use cognito_srp6a::{
    ClaimIdentity, ClientHandshake, Error, Password, PasswordClaim, PasswordVerifierChallenge,
    ServerHandshake, format_timestamp,
};
use proptest::prelude::*;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use time::{Duration, OffsetDateTime};

const WINDOW: Duration = Duration::minutes(5);

/// One full sign-in; returns the values a tampering test perturbs.
struct SignIn {
    pool: String,
    user: String,
    salt: cognito_srp6a::Salt,
    verifier: cognito_srp6a::Verifier,
    server_state: Vec<u8>,
    secret_block: String,
    timestamp: String,
    signature: String,
    now: OffsetDateTime,
}

fn sign_in(seed: u64, pool: &str, user: &str, password: &str, block: &[u8], unix: i64) -> SignIn {
    use base64::Engine as _;
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let password = Password::new(password);
    let (salt, verifier) = cognito_srp6a::generate_verifier(pool, user, &password, &mut rng);
    let client = ClientHandshake::start(&mut rng).expect("client");
    let server = ServerHandshake::start(&verifier, &client.srp_a(), &mut rng).expect("server");
    let now = OffsetDateTime::from_unix_timestamp(unix).expect("time");
    let timestamp = format_timestamp(now);
    let secret_block = base64::engine::general_purpose::STANDARD.encode(block);
    let identity = ClaimIdentity::user(pool, user);
    let challenge = PasswordVerifierChallenge {
        salt: &salt.to_wire_hex(),
        srp_b: &server.srp_b(),
        secret_block: &secret_block,
    };
    let signature = client
        .respond(&identity, &password, &challenge, &timestamp)
        .expect("respond");
    SignIn {
        pool: pool.to_owned(),
        user: user.to_owned(),
        salt,
        verifier,
        server_state: server.to_bytes().expose_secret().to_vec(),
        secret_block,
        timestamp,
        signature,
        now,
    }
}

impl SignIn {
    fn verify(
        &self,
        pool: &str,
        user: &str,
        block: &str,
        timestamp: &str,
        signature: &str,
    ) -> Result<(), Error> {
        let server = ServerHandshake::from_bytes(&self.server_state).expect("state");
        let claim = PasswordClaim {
            secret_block: block,
            signature,
            timestamp,
        };
        server
            .verify(
                &self.verifier,
                &ClaimIdentity::user(pool, user),
                &claim,
                self.now,
                WINDOW,
            )
            .map(drop)
    }
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 48,
        ..ProptestConfig::default()
    }
}

/// 2000-01-01 .. 2099-12-31.
const UNIX_RANGE: core::ops::Range<i64> = 946_684_800..4_102_444_800;

proptest! {
    #![proptest_config(config())]

    #[test]
    fn client_and_server_agree(
        seed in any::<u64>(),
        pool in "[A-Za-z0-9]{1,12}",
        user in any::<String>(),
        password in any::<String>(),
        block in proptest::collection::vec(any::<u8>(), 1..300),
        unix in UNIX_RANGE,
    ) {
        let s = sign_in(seed, &pool, &user, &password, &block, unix);
        prop_assert_eq!(s.verify(&s.pool, &s.user, &s.secret_block, &s.timestamp, &s.signature), Ok(()));
        prop_assert!(cognito_srp6a::verify_password(&pool, &user, &Password::new(password.as_str()), &s.salt, &s.verifier));
    }

    #[test]
    fn the_verifier_s_powers_change_the_speed_not_the_answer(seed in any::<u64>(), password in ".{1,40}") {
        let mut s = sign_in(seed, "Pool", "user", &password, b"block", 1_790_000_000);
        prop_assert!(s.verifier.has_powers(), "generate_verifier keeps the powers");
        let stored = s.verifier.to_stored_bytes();
        prop_assert_eq!(stored.len(), 1536);
        let restored = cognito_srp6a::Verifier::from_bytes(&stored).expect("stored form");
        prop_assert!(restored.has_powers());
        prop_assert!(restored == s.verifier);
        // Without the powers (the wire form), the generic exponentiation: the same answer.
        s.verifier = cognito_srp6a::Verifier::from_bytes(&s.verifier.to_bytes()).expect("wire form");
        prop_assert!(!s.verifier.has_powers());
        prop_assert_eq!(s.verify(&s.pool, &s.user, &s.secret_block, &s.timestamp, &s.signature), Ok(()));
        // Decoy powers (phantom users) never verify, even with the right password.
        s.verifier = s.verifier.clone().with_decoy_powers();
        prop_assert_eq!(
            s.verify(&s.pool, &s.user, &s.secret_block, &s.timestamp, &s.signature),
            Err(Error::SignatureMismatch)
        );
        // And the real powers, restored from storage, verify.
        s.verifier = restored;
        prop_assert_eq!(s.verify(&s.pool, &s.user, &s.secret_block, &s.timestamp, &s.signature), Ok(()));
    }

    #[test]
    fn a_wrong_password_fails(seed in any::<u64>(), password in ".{1,40}", other in ".{1,40}") {
        prop_assume!(password != other);
        let right = sign_in(seed, "Pool", "user", &password, b"block", 1_790_000_000);
        let wrong = sign_in(seed, "Pool", "user", &other, b"block", 1_790_000_000);
        // The wrong password's signature, checked against the right verifier and state.
        prop_assert_eq!(
            right.verify(&right.pool, &right.user, &right.secret_block, &right.timestamp, &wrong.signature),
            Err(Error::SignatureMismatch)
        );
        prop_assert!(!cognito_srp6a::verify_password("Pool", "user", &Password::new(other.as_str()), &right.salt, &right.verifier));
    }

    #[test]
    fn any_change_to_what_is_signed_fails(
        seed in any::<u64>(),
        user in "[a-z]{1,10}",
        block in proptest::collection::vec(any::<u8>(), 1..64),
        which in 0usize..5,
        bit in 0usize..256,
    ) {
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::STANDARD;
        let s = sign_in(seed, "AbCdEf123", &user, "Passw0rd!", &block, 1_790_000_000);
        let result = match which {
            0 => s.verify("AbCdEf124", &s.user, &s.secret_block, &s.timestamp, &s.signature),
            1 => s.verify(&s.pool, &format!("{user}x"), &s.secret_block, &s.timestamp, &s.signature),
            2 => {
                let mut other = block;
                let len = other.len();
                other[bit % len] ^= 1 << (bit % 8);
                s.verify(&s.pool, &s.user, &b64.encode(other), &s.timestamp, &s.signature)
            }
            3 => {
                let later = format_timestamp(s.now + Duration::seconds(1 + (bit as i64 % 200)));
                s.verify(&s.pool, &s.user, &s.secret_block, &later, &s.signature)
            }
            _ => {
                let mut sig = b64.decode(&s.signature).expect("b64");
                sig[bit / 8] ^= 1 << (bit % 8);
                s.verify(&s.pool, &s.user, &s.secret_block, &s.timestamp, &b64.encode(sig))
            }
        };
        prop_assert_eq!(result, Err(Error::SignatureMismatch));
    }

    #[test]
    fn timestamps_round_trip(unix in UNIX_RANGE) {
        let at = OffsetDateTime::from_unix_timestamp(unix).expect("time");
        prop_assert_eq!(cognito_srp6a::parse_timestamp(&format_timestamp(at)), Ok(at));
    }
}

#[test]
fn device_secret_round_trip() {
    use base64::Engine as _;
    let mut rng = ChaCha20Rng::seed_from_u64(99);
    let (group_key, device_key) = (
        "-Xy7kLmNo",
        "us-east-1_2f8e6b0c-1234-4abc-9def-0123456789ab",
    );
    let (password, config) = cognito_srp6a::generate_device_secret(group_key, device_key, &mut rng);
    assert_eq!(
        base64::engine::general_purpose::STANDARD
            .decode(password.expose_secret())
            .expect("b64")
            .len(),
        40
    );
    let (salt, verifier) = config.decode().expect("decode");
    let identity = ClaimIdentity::device(group_key, device_key);
    let client = ClientHandshake::start(&mut rng).expect("client");
    let server = ServerHandshake::start(&verifier, &client.srp_a(), &mut rng).expect("server");
    let now = OffsetDateTime::from_unix_timestamp(1_790_000_000).expect("time");
    let ts = format_timestamp(now);
    let block = "yMnKy8zNzs/Q0dLT1NXW19jZ2tvc3d7f4OHi4+Tl5uc=";
    let challenge = PasswordVerifierChallenge {
        salt: &salt.to_wire_hex(),
        srp_b: &server.srp_b(),
        secret_block: block,
    };
    let signature = client
        .respond(&identity, &password, &challenge, &ts)
        .expect("respond");
    let claim = PasswordClaim {
        secret_block: block,
        signature: &signature,
        timestamp: &ts,
    };
    assert_eq!(
        server
            .verify(&verifier, &identity, &claim, now, WINDOW)
            .map(drop),
        Ok(())
    );
}
