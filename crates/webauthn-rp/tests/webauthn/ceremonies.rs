use proptest::prelude::*;
use userpool_webauthn::*;

const ORIGIN: &str = "https://app.example.com";

fn rp(uv: UserVerification) -> RelyingParty {
    RelyingParty {
        id: "example.com".into(),
        name: "Example".into(),
        origins: vec![ORIGIN.into(), "https://auth.example.com".into()],
        user_verification: uv,
    }
}

fn registered(attestation: SoftAttestation) -> (SoftAuthenticator, NewCredential, RelyingParty) {
    let rp = rp(UserVerification::Preferred);
    let auth = SoftAuthenticator::new([3; 32], b"credential-1");
    let options = rp.creation_options(&[9; 32], b"user-handle", "alice", "alice", &[]);
    let answer = auth.register(&options, ORIGIN, attestation, None);
    let response = RegistrationResponse::from_json(&answer).unwrap();
    assert_eq!(response.challenge().unwrap(), vec![9; 32]);
    let new = verify_registration(&response, &[9; 32], &rp).unwrap();
    (auth, new, rp)
}

#[test]
fn none_and_packed_register_and_sign_in() {
    for attestation in [SoftAttestation::None, SoftAttestation::Packed] {
        let (mut auth, new, rp) = registered(attestation);
        assert_eq!(new.credential_id, b"credential-1");
        assert_eq!(new.algorithm, ES256);
        assert!(new.backup_eligible && new.backed_up && new.user_verified);
        assert_eq!(new.transports, vec!["internal", "hybrid"]);
        assert_eq!(new.authenticator_attachment.as_deref(), Some("platform"));
        let stored = StoredCredential {
            credential_id: new.credential_id.clone(),
            public_key: new.public_key.clone(),
            sign_count: new.sign_count,
        };
        let options = rp.request_options(
            &[5; 32],
            &[CredentialDescriptor {
                id: new.credential_id.clone(),
                transports: vec![],
            }],
        );
        assert_eq!(
            options["allowCredentials"][0]["id"],
            b64::encode(b"credential-1")
        );
        let answer = auth.authenticate(&options, ORIGIN, Some(b"user-handle"));
        let response = AuthenticationResponse::from_json_str(&answer.to_string()).unwrap();
        let ok = verify_assertion(&response, &[5; 32], &rp, &stored).unwrap();
        assert_eq!(ok.sign_count, 2);
        // The same assertion again: the counter did not grow (a replay or a clone).
        let stored = StoredCredential {
            sign_count: ok.sign_count,
            ..stored
        };
        assert_eq!(
            verify_assertion(&response, &[5; 32], &rp, &stored),
            Err(WebAuthnError::CounterRegressed)
        );
    }
}

#[test]
fn registration_refusals() {
    let rp_preferred = rp(UserVerification::Preferred);
    let auth = SoftAuthenticator::new([3; 32], b"credential-1");
    let options = rp_preferred.creation_options(&[9; 32], b"h", "alice", "alice", &[]);
    let check = |answer: serde_json::Value, rp: &RelyingParty| {
        verify_registration(
            &RegistrationResponse::from_json(&answer).unwrap(),
            &[9; 32],
            rp,
        )
    };
    assert_eq!(
        check(
            auth.register(
                &options,
                "https://evil.example",
                SoftAttestation::None,
                None
            ),
            &rp_preferred
        ),
        Err(WebAuthnError::OriginNotAllowed)
    );
    assert_eq!(
        check(
            auth.register(
                &options,
                ORIGIN,
                SoftAttestation::None,
                Some("evil.example")
            ),
            &rp_preferred
        ),
        Err(WebAuthnError::RelyingPartyMismatch)
    );
    let other_challenge = rp_preferred.creation_options(&[8; 32], b"h", "alice", "alice", &[]);
    assert_eq!(
        check(
            auth.register(&other_challenge, ORIGIN, SoftAttestation::Packed, None),
            &rp_preferred
        ),
        Err(WebAuthnError::ChallengeMismatch)
    );
    let mut lazy = auth.clone();
    lazy.user_verified = false;
    assert_eq!(
        check(
            lazy.register(&options, ORIGIN, SoftAttestation::None, None),
            &rp(UserVerification::Required)
        ),
        Err(WebAuthnError::UserVerificationRequired)
    );
    assert!(
        check(
            lazy.register(&options, ORIGIN, SoftAttestation::None, None),
            &rp_preferred
        )
        .is_ok()
    );
    lazy.user_present = false;
    assert_eq!(
        check(
            lazy.register(&options, ORIGIN, SoftAttestation::None, None),
            &rp_preferred
        ),
        Err(WebAuthnError::UserNotPresent)
    );
    // A packed statement signed by another key.
    let mut answer = auth.register(&options, ORIGIN, SoftAttestation::Packed, None);
    let forged = SoftAuthenticator::new([4; 32], b"credential-1").register(
        &options,
        ORIGIN,
        SoftAttestation::Packed,
        None,
    );
    let (real, fake) = (
        b64::decode(
            answer["response"]["attestationObject"].as_str().unwrap(),
            "x",
        )
        .unwrap(),
        b64::decode(
            forged["response"]["attestationObject"].as_str().unwrap(),
            "x",
        )
        .unwrap(),
    );
    // Swap the credential key (and so the authData) but keep the other statement.
    let real: ciborium::Value = ciborium::from_reader(real.as_slice()).unwrap();
    let fake: ciborium::Value = ciborium::from_reader(fake.as_slice()).unwrap();
    let mut mixed = real.as_map().unwrap().clone();
    mixed[1].1 = fake.as_map().unwrap()[1].1.clone();
    let mut bytes = Vec::new();
    ciborium::into_writer(&ciborium::Value::Map(mixed), &mut bytes).unwrap();
    answer["response"]["attestationObject"] = b64::encode(&bytes).into();
    assert_eq!(
        check(answer, &rp_preferred),
        Err(WebAuthnError::InvalidAttestation)
    );
    // An unknown format.
    let mut answer = auth.register(&options, ORIGIN, SoftAttestation::None, None);
    let object = b64::decode(
        answer["response"]["attestationObject"].as_str().unwrap(),
        "x",
    )
    .unwrap();
    let object: ciborium::Value = ciborium::from_reader(object.as_slice()).unwrap();
    let mut map = object.as_map().unwrap().clone();
    map[0].1 = ciborium::Value::from("tpm");
    let mut bytes = Vec::new();
    ciborium::into_writer(&ciborium::Value::Map(map), &mut bytes).unwrap();
    answer["response"]["attestationObject"] = b64::encode(&bytes).into();
    assert_eq!(
        check(answer, &rp_preferred),
        Err(WebAuthnError::UnsupportedAttestation)
    );
}

#[test]
fn assertion_refusals() {
    let (mut auth, new, rp) = registered(SoftAttestation::None);
    let stored = StoredCredential {
        credential_id: new.credential_id.clone(),
        public_key: new.public_key,
        sign_count: 0,
    };
    let options = rp.request_options(&[5; 32], &[]);
    let verify = |answer: serde_json::Value,
                  challenge: &[u8],
                  stored: &StoredCredential,
                  rp: &RelyingParty| {
        let response = AuthenticationResponse::from_json_str(&answer.to_string()).unwrap();
        verify_assertion(&response, challenge, rp, stored)
    };
    let answer = auth.authenticate(&options, ORIGIN, None);
    assert_eq!(
        verify(answer.clone(), &[6; 32], &stored, &rp),
        Err(WebAuthnError::ChallengeMismatch)
    );
    let other = StoredCredential {
        credential_id: b"other".to_vec(),
        ..stored.clone()
    };
    assert_eq!(
        verify(answer.clone(), &[5; 32], &other, &rp),
        Err(WebAuthnError::CredentialMismatch)
    );
    // Another key under the same id: the signature fails.
    let (_, impostor, _) = {
        let auth = SoftAuthenticator::new([4; 32], b"credential-1");
        let options = rp.creation_options(&[9; 32], b"h", "a", "a", &[]);
        let new = verify_registration(
            &RegistrationResponse::from_json(&auth.register(
                &options,
                ORIGIN,
                SoftAttestation::None,
                None,
            ))
            .unwrap(),
            &[9; 32],
            &rp,
        )
        .unwrap();
        (auth, new, ())
    };
    let wrong_key = StoredCredential {
        public_key: impostor.public_key,
        ..stored.clone()
    };
    assert_eq!(
        verify(answer, &[5; 32], &wrong_key, &rp),
        Err(WebAuthnError::InvalidSignature)
    );
    let mut strict = rp.clone();
    strict.user_verification = UserVerification::Required;
    auth.user_verified = false;
    let unverified = auth.authenticate(&options, ORIGIN, None);
    assert_eq!(
        verify(unverified.clone(), &[5; 32], &stored, &strict),
        Err(WebAuthnError::UserVerificationRequired)
    );
    assert!(verify(unverified, &[5; 32], &stored, &rp).is_ok());
    let elsewhere = auth.authenticate(&options, "https://evil.example", None);
    assert_eq!(
        verify(elsewhere, &[5; 32], &stored, &rp),
        Err(WebAuthnError::OriginNotAllowed)
    );
    // Authenticators without counters send 0 every time.
    auth.counter = 0;
    assert!(
        verify(
            auth.authenticate(&options, ORIGIN, None),
            &[5; 32],
            &stored,
            &rp
        )
        .is_ok()
    );
    let mut create = options.clone();
    create["rpId"] = "evil.example".into();
    assert_eq!(
        verify(
            auth.authenticate(&create, ORIGIN, None),
            &[5; 32],
            &stored,
            &rp
        ),
        Err(WebAuthnError::RelyingPartyMismatch)
    );
}

proptest! {
    /// Arbitrary bytes never panic the parsers.
    #[test]
    fn parsers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = AuthenticatorData::parse(&bytes);
        let _ = CredentialPublicKey::from_cose(&bytes);
        let _ = AuthenticationResponse::from_json_str(&String::from_utf8_lossy(&bytes));
    }
}
