//! Fuzz harnesses for the `srp` crate, shared by the cargo-fuzz targets and by the `srp`
//! integration test that replays the committed corpus. Every function must return normally
//! for every input; the assertions are invariants that hold for all inputs.

use std::sync::OnceLock;

use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use srp::{ClaimIdentity, Password, PasswordClaim, ServerHandshake, Verifier, WireValue};

fn verifier() -> &'static Verifier {
    static V: OnceLock<Verifier> = OnceLock::new();
    V.get_or_init(|| {
        let mut rng = ChaCha20Rng::seed_from_u64(0);
        srp::generate_verifier("AbCdEf123", "alice", &Password::new("Passw0rd!"), &mut rng).1
    })
}

fn field<'a>(fields: &mut impl Iterator<Item = &'a [u8]>) -> String {
    String::from_utf8_lossy(fields.next().unwrap_or_default()).into_owned()
}

/// Server-side parsing and verification: `SRP_A`, `SECRET_BLOCK`, `PASSWORD_CLAIM_SIGNATURE`
/// and `TIMESTAMP` (newline-separated) against a fixed verifier; also the raw bytes as a
/// serialized server state.
pub(crate) fn server(data: &[u8]) {
    let mut fields = data.split(|&b| b == b'\n');
    let (srp_a, block, signature, timestamp) = (
        field(&mut fields),
        field(&mut fields),
        field(&mut fields),
        field(&mut fields),
    );
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    if let Ok(server) = ServerHandshake::start(verifier(), &srp_a, &mut rng) {
        let round_trip = ServerHandshake::from_bytes(server.to_bytes().expose_secret());
        assert!(round_trip.is_ok(), "a state we wrote must read back");
        let claim = PasswordClaim {
            secret_block: &block,
            signature: &signature,
            timestamp: &timestamp,
        };
        let now = srp::parse_timestamp(&timestamp).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        let result = server.verify(
            verifier(),
            &ClaimIdentity::user("AbCdEf123", "alice"),
            &claim,
            now,
            time::Duration::minutes(5),
        );
        assert!(result.is_err(), "a forged claim was accepted");
    }
    let _ = ServerHandshake::from_bytes(data);
}

/// The hex and padHex codecs: parse, re-encode, and compare.
pub(crate) fn hex(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    if let Ok(bytes) = srp::pad_hex::parse_hex(&s, WireValue::SrpA, 4096) {
        let plain = srp::pad_hex::to_plain_hex(&bytes);
        let lower = s.to_ascii_lowercase();
        let trimmed = lower.trim_start_matches('0');
        assert_eq!(plain, if trimmed.is_empty() { "0" } else { trimmed });
        let padded = srp::pad_hex(&bytes);
        assert!(
            padded.first().is_some_and(|&b| b < 0x80),
            "padHex keeps a sign bit clear"
        );
        assert!(
            padded.len() == 1
                || padded.first() != Some(&0)
                || padded.get(1).is_some_and(|&b| b >= 0x80),
            "padHex is minimal"
        );
    }
    if let Ok(salt) = srp::Salt::from_wire_hex(&s) {
        assert_eq!(srp::Salt::from_wire_hex(&salt.to_wire_hex()), Ok(salt));
    }
    let mut parts = s.splitn(2, '\n');
    let config = srp::DeviceSecretVerifierConfig {
        password_verifier: parts.next().unwrap_or_default().to_owned(),
        salt: parts.next().unwrap_or_default().to_owned(),
    };
    let _ = config.decode();
    let _ = srp::decode_secret_block(&s);
}

/// `TIMESTAMP`: whatever parses re-renders to exactly the input.
pub(crate) fn timestamp(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    if let Ok(at) = srp::parse_timestamp(&s) {
        assert_eq!(srp::format_timestamp(at), s);
    }
}
