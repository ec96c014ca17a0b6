//! Every rejection, with the exact error.

use cognito_srp6a::{
    ClaimIdentity, ClientHandshake, DeviceSecretVerifierConfig, Error, Password, PasswordClaim,
    PasswordVerifierChallenge, ServerHandshake, Verifier, WireValue, format_timestamp,
};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use time::{Duration, macros::datetime};

use crate::support::ReplayRng;

const WINDOW: Duration = Duration::minutes(5);

fn verifier() -> Verifier {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    cognito_srp6a::generate_verifier("AbCdEf123", "alice", &Password::new("Passw0rd!"), &mut rng).1
}

/// `n` times N, as lowercase hex with `zeros` leading zeros.
fn multiple_of_n(n: u32, zeros: usize) -> String {
    use num_bigint::BigUint;
    let modulus = BigUint::parse_bytes(cognito_srp6a::N_HEX.as_bytes(), 16).expect("N");
    format!("{}{}", "0".repeat(zeros), (modulus * n).to_str_radix(16))
}

fn start(srp_a: &str) -> Result<ServerHandshake, Error> {
    ServerHandshake::start(&verifier(), srp_a, &mut ChaCha20Rng::seed_from_u64(2))
}

#[test]
fn srp_a_that_is_not_a_valid_public_value() {
    let a = WireValue::SrpA;
    assert_eq!(start("").err(), Some(Error::Empty(a)));
    for bad in [
        "xyz", "12 34", "0x1234", "-1234", "+1234", "１２", "12\u{0}",
    ] {
        assert_eq!(start(bad).err(), Some(Error::NotHex(a)), "{bad:?}");
    }
    let long = "1".repeat(cognito_srp6a::MAX_PUBLIC_VALUE_HEX_LEN + 1);
    assert_eq!(
        start(&long).err(),
        Some(Error::TooLong {
            value: a,
            max: cognito_srp6a::MAX_PUBLIC_VALUE_HEX_LEN
        })
    );
    // A gigantic value is refused on length alone.
    let huge = "f".repeat(10_000_000);
    assert_eq!(
        start(&huge).err(),
        Some(Error::TooLong {
            value: a,
            max: cognito_srp6a::MAX_PUBLIC_VALUE_HEX_LEN
        })
    );
    for zero in [
        "0",
        "000000",
        &multiple_of_n(1, 0),
        &multiple_of_n(1, 20),
        &multiple_of_n(2, 0),
        &multiple_of_n(3, 0),
    ] {
        assert_eq!(start(zero).err(), Some(Error::ZeroModN(a)), "{zero}");
    }
    // The largest multiples of N that still fit the length bound: 2^124·N is 799 digits.
    let big_multiple = {
        use num_bigint::BigUint;
        let modulus = BigUint::parse_bytes(cognito_srp6a::N_HEX.as_bytes(), 16).expect("N");
        (modulus << 124u32).to_str_radix(16)
    };
    assert!(big_multiple.len() <= cognito_srp6a::MAX_PUBLIC_VALUE_HEX_LEN);
    assert_eq!(start(&big_multiple).err(), Some(Error::ZeroModN(a)));
    // k·N with k the SRP multiplier (a 256-bit number) no longer fits the length bound.
    let k_n = {
        use num_bigint::BigUint;
        let modulus = BigUint::parse_bytes(cognito_srp6a::N_HEX.as_bytes(), 16).expect("N");
        let k = BigUint::from_bytes_be(&cognito_srp6a::k().to_be_bytes());
        (modulus * k).to_str_radix(16)
    };
    assert_eq!(
        start(&k_n).err(),
        Some(Error::TooLong {
            value: a,
            max: cognito_srp6a::MAX_PUBLIC_VALUE_HEX_LEN
        })
    );
    let n_plus_one = {
        use num_bigint::BigUint;
        (BigUint::parse_bytes(cognito_srp6a::N_HEX.as_bytes(), 16).expect("N") + 1u32)
            .to_str_radix(16)
    };
    assert_eq!(start(&n_plus_one).err(), Some(Error::NotReduced(a)));
    assert!(
        start("1").is_ok(),
        "A = 1 is a valid (if silly) public value"
    );
}

struct Fixture {
    verifier: Verifier,
    server: ServerHandshake,
    block: &'static str,
    signature: String,
    timestamp: String,
}

const BLOCK: &str =
    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==";
const NOW: time::OffsetDateTime = datetime!(2026-11-03 09:05:07 UTC);

fn fixture() -> Fixture {
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let password = Password::new("Passw0rd!");
    let (salt, verifier) =
        cognito_srp6a::generate_verifier("AbCdEf123", "alice", &password, &mut rng);
    let client = ClientHandshake::start(&mut rng).expect("client");
    let server = ServerHandshake::start(&verifier, &client.srp_a(), &mut rng).expect("server");
    let timestamp = format_timestamp(NOW);
    let challenge = PasswordVerifierChallenge {
        salt: &salt.to_wire_hex(),
        srp_b: &server.srp_b(),
        secret_block: BLOCK,
    };
    let signature = client
        .respond(
            &ClaimIdentity::user("AbCdEf123", "alice"),
            &password,
            &challenge,
            &timestamp,
        )
        .expect("respond");
    Fixture {
        verifier,
        server,
        block: BLOCK,
        signature,
        timestamp,
    }
}

fn verify_with(block: &str, signature: &str, timestamp: &str) -> Result<(), Error> {
    let f = fixture();
    let claim = PasswordClaim {
        secret_block: block,
        signature,
        timestamp,
    };
    f.server
        .verify(
            &f.verifier,
            &ClaimIdentity::user("AbCdEf123", "alice"),
            &claim,
            NOW,
            WINDOW,
        )
        .map(drop)
}

#[test]
fn the_fixture_itself_verifies() {
    let f = fixture();
    assert_eq!(verify_with(f.block, &f.signature, &f.timestamp), Ok(()));
}

#[test]
fn signatures_that_are_not_32_bytes_of_base64() {
    let f = fixture();
    let s = WireValue::Signature;
    assert_eq!(verify_with(f.block, "", &f.timestamp), Err(Error::Empty(s)));
    for bad in [
        "not base64!",
        "wY0jdyzfxuiSxKZbdXwah/7pieEgiK668s602hFOVGw",
        "wY0jdyzfxuiSxKZbdXwah_7pieEgiK668s602hFOVGw=",
        " wY0jdyzfxuiSxKZbdXwah/7pieEgiK668s602hFOVGw=",
    ] {
        assert_eq!(
            verify_with(f.block, bad, &f.timestamp),
            Err(Error::NotBase64(s)),
            "{bad:?}"
        );
    }
    assert_eq!(
        verify_with(f.block, "AAAA", &f.timestamp),
        Err(Error::SignatureLength(3))
    );
    let thirty_three = "A".repeat(44);
    assert_eq!(
        verify_with(f.block, &thirty_three, &f.timestamp),
        Err(Error::SignatureLength(33))
    );
    let long = "A".repeat(cognito_srp6a::MAX_SIGNATURE_LEN + 4);
    assert_eq!(
        verify_with(f.block, &long, &f.timestamp),
        Err(Error::TooLong {
            value: s,
            max: cognito_srp6a::MAX_SIGNATURE_LEN
        })
    );
}

#[test]
fn timestamps_cognito_refuses() {
    let f = fixture();
    let format_error = verify_with(f.block, &f.signature, "Tue Nov 3 09:05:07 2026");
    assert_eq!(format_error, Err(Error::TimestampFormat));
    assert_eq!(
        Error::TimestampFormat.to_string(),
        "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english."
    );
    assert_eq!(
        verify_with(f.block, &f.signature, "Tue Nov 03 09:05:07 UTC 2026"),
        Err(Error::TimestampNotCanonical)
    );
    assert_eq!(
        verify_with(f.block, &f.signature, "Wed Nov 3 09:05:07 UTC 2026"),
        Err(Error::TimestampNotCanonical)
    );
    let late = format_timestamp(NOW + Duration::minutes(6));
    assert_eq!(
        verify_with(f.block, &f.signature, &late),
        Err(Error::TimestampOutsideWindow)
    );
    let early = format_timestamp(NOW - Duration::minutes(6));
    assert_eq!(
        verify_with(f.block, &f.signature, &early),
        Err(Error::TimestampOutsideWindow)
    );
}

#[test]
fn secret_blocks_that_do_not_decode() {
    let f = fixture();
    let b = WireValue::SecretBlock;
    assert_eq!(
        verify_with("", &f.signature, &f.timestamp),
        Err(Error::Empty(b))
    );
    assert_eq!(
        verify_with("%%%", &f.signature, &f.timestamp),
        Err(Error::NotBase64(b))
    );
    let long = "A".repeat(cognito_srp6a::MAX_SECRET_BLOCK_LEN + 4);
    assert_eq!(
        verify_with(&long, &f.signature, &f.timestamp),
        Err(Error::TooLong {
            value: b,
            max: cognito_srp6a::MAX_SECRET_BLOCK_LEN
        })
    );
    // A different, well-formed block: the signature no longer matches.
    assert_eq!(
        verify_with("AAAA", &f.signature, &f.timestamp),
        Err(Error::SignatureMismatch)
    );
}

#[test]
fn the_wrong_identity_or_verifier_fails() {
    let f = fixture();
    let claim = PasswordClaim {
        secret_block: f.block,
        signature: &f.signature,
        timestamp: &f.timestamp,
    };
    let state = f.server.to_bytes();
    let again = || ServerHandshake::from_bytes(state.expose_secret()).expect("state");
    for identity in [
        ClaimIdentity::user("AbCdEf123", "bob"),
        ClaimIdentity::user("AbCdEf124", "alice"),
        ClaimIdentity::user("AbCdEf123", "Alice"),
    ] {
        assert_eq!(
            again()
                .verify(&f.verifier, &identity, &claim, NOW, WINDOW)
                .map(drop),
            Err(Error::SignatureMismatch)
        );
    }
    let other = verifier();
    assert_eq!(
        again()
            .verify(
                &other,
                &ClaimIdentity::user("AbCdEf123", "alice"),
                &claim,
                NOW,
                WINDOW
            )
            .map(drop),
        Err(Error::SignatureMismatch)
    );
}

#[test]
fn malformed_server_state() {
    let f = fixture();
    let good = f.server.to_bytes().expose_secret().to_vec();
    assert!(ServerHandshake::from_bytes(&good).is_ok());
    let mut cases: Vec<Vec<u8>> = vec![
        vec![],
        vec![1],
        good[..good.len() - 1].to_vec(),
        [good.clone(), vec![0]].concat(),
    ];
    let mut bad_version = good.clone();
    bad_version[0] = 2;
    cases.push(bad_version);
    let mut zero_b = good.clone();
    zero_b[3..35].fill(0);
    cases.push(zero_b);
    let mut zero_a = good.clone();
    zero_a[35..35 + 384].fill(0);
    cases.push(zero_a);
    let mut big_b = good;
    big_b[35 + 384..].fill(0xff);
    cases.push(big_b);
    for (i, bytes) in cases.iter().enumerate() {
        assert_eq!(
            ServerHandshake::from_bytes(bytes).err(),
            Some(Error::MalformedState),
            "case {i}"
        );
    }
}

#[test]
fn broken_rngs_are_refused_not_looped_on() {
    let v = verifier();
    assert_eq!(
        ServerHandshake::start(&v, "2", &mut ReplayRng(vec![])).err(),
        Some(Error::BadRandomness)
    );
    assert_eq!(
        ClientHandshake::start(&mut ReplayRng(vec![])).err(),
        Some(Error::BadRandomness)
    );
}

#[test]
fn client_rejects_bad_server_values() {
    let mut rng = ChaCha20Rng::seed_from_u64(4);
    let identity = ClaimIdentity::user("AbCdEf123", "alice");
    let password = Password::new("x");
    let respond = |srp_b: &str, salt: &str, block: &str| {
        let client = ClientHandshake::start(&mut ChaCha20Rng::seed_from_u64(5)).expect("client");
        let challenge = PasswordVerifierChallenge {
            salt,
            srp_b,
            secret_block: block,
        };
        client.respond(
            &identity,
            &password,
            &challenge,
            "Tue Nov 3 09:05:07 UTC 2026",
        )
    };
    assert_eq!(
        respond(&multiple_of_n(1, 0), "01", BLOCK).err(),
        Some(Error::ZeroModN(WireValue::SrpB))
    );
    assert_eq!(
        respond("0", "01", BLOCK).err(),
        Some(Error::ZeroModN(WireValue::SrpB))
    );
    assert_eq!(
        respond("zz", "01", BLOCK).err(),
        Some(Error::NotHex(WireValue::SrpB))
    );
    assert_eq!(
        respond("1234", "", BLOCK).err(),
        Some(Error::Empty(WireValue::Salt))
    );
    assert_eq!(
        respond("1234", "0g", BLOCK).err(),
        Some(Error::NotHex(WireValue::Salt))
    );
    assert_eq!(
        respond("1234", "01", "***").err(),
        Some(Error::NotBase64(WireValue::SecretBlock))
    );
    let _ = &mut rng;
    assert_eq!(
        ClientHandshake::from_ephemeral_secret(&[0, 0]).err(),
        Some(Error::ZeroModN(WireValue::EphemeralSecret))
    );
    assert!(ClientHandshake::from_ephemeral_secret(&[0u8; 385]).is_err());
}

#[test]
fn device_configs_that_do_not_decode() {
    let cfg = |pv: &str, salt: &str| {
        DeviceSecretVerifierConfig {
            password_verifier: pv.into(),
            salt: salt.into(),
        }
        .decode()
        .err()
    };
    let pv = WireValue::PasswordVerifier;
    assert_eq!(cfg("", "AAAA"), Some(Error::Empty(pv)));
    assert_eq!(cfg("!!", "AAAA"), Some(Error::NotBase64(pv)));
    assert_eq!(cfg("AAAA", "AAAA"), Some(Error::ZeroModN(pv)));
    let n_bytes = {
        use base64::Engine as _;
        let n = num_bigint::BigUint::parse_bytes(cognito_srp6a::N_HEX.as_bytes(), 16).expect("N");
        base64::engine::general_purpose::STANDARD.encode(n.to_bytes_be())
    };
    assert_eq!(cfg(&n_bytes, "AAAA"), Some(Error::NotReduced(pv)));
    assert_eq!(cfg("Ag==", ""), Some(Error::Empty(WireValue::Salt)));
    assert_eq!(cfg("Ag==", "A"), Some(Error::NotBase64(WireValue::Salt)));
    let long = "A".repeat(cognito_srp6a::device::MAX_PASSWORD_VERIFIER_LEN + 4);
    assert_eq!(
        cfg(&long, "AAAA"),
        Some(Error::TooLong {
            value: pv,
            max: cognito_srp6a::device::MAX_PASSWORD_VERIFIER_LEN
        })
    );
}

#[test]
fn secrets_never_show_in_debug_or_errors() {
    let f = fixture();
    let password = Password::new("Passw0rd!");
    let state = f.server.to_bytes();
    for text in [
        format!("{password:?}"),
        format!("{:?}", f.verifier),
        format!("{:?}", f.server),
        format!("{state:?}"),
        format!(
            "{:?}",
            PasswordClaim {
                secret_block: f.block,
                signature: &f.signature,
                timestamp: &f.timestamp
            }
        ),
    ] {
        assert!(!text.contains("Passw0rd"), "{text}");
        assert!(!text.contains(&f.signature), "{text}");
        assert!(!text.contains(f.block), "{text}");
        let hex = cognito_srp6a::pad_hex::to_hex(&state.expose_secret()[3..35]);
        assert!(!text.contains(&hex), "{text}");
        assert!(text.contains("redacted"), "{text}");
    }
    let err = verify_with(f.block, "AAAA", &f.timestamp).expect_err("short");
    assert!(!err.to_string().contains("AAAA"));
}
