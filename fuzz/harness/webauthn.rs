//! Fuzz harness for `webauthn-rp`: authenticator data, COSE keys, attestation objects (CBOR),
//! `clientDataJSON` and whole registration / authentication responses, shared by the
//! `webauthn_rp` target and the crate's corpus replay.
//!
//! Properties: no panic; parsed authenticator data re-reads its own fields from the bytes; a
//! COSE key parsed from any bytes never verifies a signature nobody made; a registration that
//! verifies yields a key that parses; and an authentication response made by a real (software)
//! authenticator verifies, but never once a byte of its client data, authenticator data or
//! signature is altered.

use std::sync::OnceLock;

use serde_json::Value;
use webauthn_rp::{
    AuthenticationResponse, AuthenticatorData, CredentialPublicKey, RegistrationResponse,
    RelyingParty, SoftAttestation, SoftAuthenticator, StoredCredential, UserVerification, b64,
    challenge_of, verify_assertion, verify_registration,
};

const CHALLENGE: &[u8] = b"0123456789abcdef0123456789abcdef";
const ORIGIN: &str = "https://app.example.com";

fn rp() -> &'static RelyingParty {
    static RP: OnceLock<RelyingParty> = OnceLock::new();
    RP.get_or_init(|| RelyingParty {
        id: "example.com".into(),
        name: "Example".into(),
        origins: vec![ORIGIN.into()],
        user_verification: UserVerification::Preferred,
    })
}

/// The software authenticator's registered credential.
fn registered() -> &'static StoredCredential {
    static STORED: OnceLock<StoredCredential> = OnceLock::new();
    STORED.get_or_init(|| {
        let soft = SoftAuthenticator::new([7; 32], b"credential-1");
        let options = rp().creation_options(CHALLENGE, b"user", "alice", "Alice", &[]);
        let response = soft.register(&options, ORIGIN, SoftAttestation::Packed, None);
        let response = RegistrationResponse::from_json(&response).expect("soft registration");
        let new = verify_registration(&response, CHALLENGE, rp()).expect("soft registration");
        StoredCredential {
            credential_id: new.credential_id,
            public_key: new.public_key,
            sign_count: new.sign_count,
        }
    })
}

/// One input, its kind chosen by the first byte.
pub(crate) fn webauthn(data: &[u8]) {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    match which % 6 {
        0 => auth_data(rest),
        1 => cose_key(rest),
        2 => registration(rest),
        3 => {
            let text = String::from_utf8_lossy(rest);
            if let Ok(response) = AuthenticationResponse::from_json_str(&text) {
                assert!(
                    verify_assertion(&response, CHALLENGE, rp(), registered()).is_err(),
                    "an assertion nobody signed verified"
                );
            }
            let _ = challenge_of(&text);
        }
        _ => altered_assertion(which, rest),
    }
}

fn auth_data(bytes: &[u8]) {
    if let Ok(data) = AuthenticatorData::parse(bytes) {
        assert_eq!(bytes.get(..32), Some(&data.rp_id_hash[..]));
        let flags = bytes.get(32).copied().unwrap_or_default();
        assert_eq!(data.flags.user_present, flags & 0x01 != 0);
        assert_eq!(data.flags.user_verified, flags & 0x04 != 0);
        let count = bytes.get(33..37).expect("parsed data has a counter");
        assert_eq!(data.sign_count.to_be_bytes(), count);
        if let Some(credential) = data.credential {
            assert_eq!(flags & 0x40, 0x40, "attested data without the AT flag");
            assert_eq!(
                CredentialPublicKey::from_cose(&credential.public_key_cose).as_ref(),
                Ok(&credential.public_key)
            );
        }
    }
}

fn cose_key(bytes: &[u8]) {
    if let Ok(key) = CredentialPublicKey::from_cose(bytes) {
        assert!(matches!(
            key.algorithm(),
            webauthn_rp::ES256 | webauthn_rp::RS256
        ));
        assert!(
            key.verify(b"a message nobody signed", bytes).is_err(),
            "a signature nobody made verified under {:?}",
            key.algorithm()
        );
    }
}

fn registration(bytes: &[u8]) {
    let Ok(value) = serde_json::from_slice::<Value>(bytes) else {
        return;
    };
    let Ok(response) = RegistrationResponse::from_json(&value) else {
        return;
    };
    let _ = response.challenge();
    if let Ok(new) = verify_registration(&response, CHALLENGE, rp()) {
        let key = CredentialPublicKey::from_cose(&new.public_key).expect("a verified key parses");
        assert_eq!(key.algorithm(), new.algorithm);
    }
}

/// A genuine assertion, then `rest` as a list of `(field, position, xor)` alterations.
fn altered_assertion(which: u8, rest: &[u8]) {
    let mut soft = SoftAuthenticator::new([7; 32], b"credential-1");
    let options = rp().request_options(CHALLENGE, &[]);
    let mut response = soft.authenticate(&options, ORIGIN, None);
    let fields = ["clientDataJSON", "authenticatorData", "signature"];
    let mut changed = false;
    for edit in rest.chunks_exact(3).take(8) {
        let (field, at, xor) = (edit[0], edit[1], edit[2]);
        let name = fields[usize::from(field) % fields.len()];
        let Some(slot) = response.get_mut("response").and_then(|r| r.get_mut(name)) else {
            continue;
        };
        let mut bytes = b64::decode(slot.as_str().unwrap_or_default(), name).expect("ours");
        if bytes.is_empty() {
            continue;
        }
        let i = usize::from(at) % bytes.len();
        bytes[i] ^= xor;
        changed |= xor != 0;
        *slot = Value::from(b64::encode(&bytes));
    }
    let text = response.to_string();
    let parsed = AuthenticationResponse::from_json_str(&text).expect("ours parses");
    let result = verify_assertion(&parsed, CHALLENGE, rp(), registered());
    if changed {
        // Two edits of one byte may cancel out; only a net change must fail.
        let original = soft_reference(which);
        if original != text {
            assert!(result.is_err(), "an altered assertion verified");
        }
    } else {
        assert!(result.is_ok(), "a genuine assertion failed: {result:?}");
    }
}

/// The unaltered response (the software authenticator is deterministic).
fn soft_reference(_which: u8) -> String {
    let mut soft = SoftAuthenticator::new([7; 32], b"credential-1");
    let options = rp().request_options(CHALLENGE, &[]);
    soft.authenticate(&options, ORIGIN, None).to_string()
}
