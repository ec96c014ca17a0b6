//! The ★ items of `shared/spec/security.md` that belong to the flow engine: SRP_A ≡ 0,
//! unknown-user indistinguishability, lockout on a virtual clock, MFA replay, and session
//! binding (other client, pool, user, step, expiry, forgery).

use auth_flow_state_machine::*;
use user_pool_model::{PreventUserExistenceErrors, UserStatus};

use crate::world::*;

fn n_times(k: u32) -> String {
    use num_bigint::BigUint;
    let n = BigUint::parse_bytes(srp::N_HEX.as_bytes(), 16).expect("N");
    format!("{:x}", n * k)
}

/// ★1: SRP_A ≡ 0 (mod N) — 0, N, 2N, with leading zeros — is refused before any challenge,
/// for real and unknown users and at DEVICE_SRP_AUTH; a zero signature never signs in.
#[test]
fn srp_a_zero_mod_n() {
    let mut w = World::new(40).with_devices();
    w.add_user("alice", "Passw0rd!", UserStatus::Confirmed);
    let (key, _, _) = w.add_device("alice", true);
    let zeroes = [
        "0".to_owned(),
        "00".to_owned(),
        n_times(1),
        format!("0000{}", n_times(1)),
        n_times(2),
    ];
    for user in ["alice", "ghost"] {
        for a in &zeroes {
            assert_eq!(
                w.initiate("USER_SRP_AUTH", &map(&[("USERNAME", user), ("SRP_A", a)]))
                    .err(),
                Some(FlowError::InvalidParameter(
                    "SRP_A is not a valid SRP public value"
                )),
                "{user} {a}"
            );
        }
    }
    let client = srp::ClientHandshake::start(&mut w.rng).expect("client");
    let c = w
        .initiate(
            "USER_SRP_AUTH",
            &map(&[
                ("USERNAME", "alice"),
                ("SRP_A", &client.srp_a()),
                ("DEVICE_KEY", &key),
            ]),
        )
        .expect("challenge");
    let c = c.challenge().expect("challenge").clone();
    let mut forged = password_claim(client, &c, "Passw0rd!", w.now);
    forged.insert("PASSWORD_CLAIM_SIGNATURE".into(), "A".repeat(43) + "=");
    assert_eq!(
        w.respond("PASSWORD_VERIFIER", None, &forged).err(),
        Some(FlowError::IncorrectCredentials { counts: true })
    );
    let client = srp::ClientHandshake::start(&mut w.rng).expect("client");
    let c = w
        .initiate(
            "USER_SRP_AUTH",
            &map(&[
                ("USERNAME", "alice"),
                ("SRP_A", &client.srp_a()),
                ("DEVICE_KEY", &key),
            ]),
        )
        .expect("challenge");
    let mut claim = password_claim(
        client,
        c.challenge().expect("challenge"),
        "Passw0rd!",
        w.now,
    );
    claim.insert("DEVICE_KEY".into(), key.clone());
    let Ok(Reply::Challenge(device)) = w.respond("PASSWORD_VERIFIER", None, &claim) else {
        panic!("device step");
    };
    // The first bad SRP_A spends the device session; the refusal is the parameter error.
    let result = w.respond(
        "DEVICE_SRP_AUTH",
        device.session.as_deref(),
        &map(&[
            ("USERNAME", "alice"),
            ("DEVICE_KEY", &key),
            ("SRP_A", &n_times(3)),
        ]),
    );
    assert_eq!(
        result.err(),
        Some(FlowError::InvalidParameter(
            "SRP_A is not a valid SRP public value"
        ))
    );
}

/// ★9: an unknown user gets a PASSWORD_VERIFIER of the same shape, with a salt and
/// USER_ID_FOR_SRP stable per pool + name and different across names; the answer fails as a
/// wrong password does; LEGACY says `UserNotFoundException` at once.
#[test]
fn unknown_users_are_indistinguishable() {
    let mut w = World::new(41);
    w.add_user("alice", "Passw0rd!", UserStatus::Confirmed);
    let start = |w: &mut World, user: &str| {
        let client = srp::ClientHandshake::start(&mut w.rng).expect("client");
        let c = w
            .initiate(
                "USER_SRP_AUTH",
                &map(&[("USERNAME", user), ("SRP_A", &client.srp_a())]),
            )
            .expect("challenge");
        (client, c.challenge().expect("challenge").clone())
    };
    let (_, real) = start(&mut w, "alice");
    let (client, ghost) = start(&mut w, "ghost");
    let (_, ghost_again) = start(&mut w, "ghost");
    let (_, other) = start(&mut w, "ghost2");
    let keys = |c: &ChallengeOutput| c.parameters.keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&real), keys(&ghost));
    assert_eq!(real.session, ghost.session);
    assert_eq!(ghost.parameters["SALT"], ghost_again.parameters["SALT"]);
    assert_eq!(
        ghost.parameters["USER_ID_FOR_SRP"],
        ghost_again.parameters["USER_ID_FOR_SRP"]
    );
    assert_ne!(ghost.parameters["SALT"], other.parameters["SALT"]);
    for c in [&real, &ghost, &other] {
        assert!(
            (32..=34).contains(&c.parameters["SALT"].len()),
            "a padHex'd 16-byte salt"
        );
        assert!(c.parameters["SRP_B"].len() > 760, "a full-size B");
    }
    let secret_len = |c: &ChallengeOutput| c.parameters["SECRET_BLOCK"].len();
    assert!(
        secret_len(&real).abs_diff(secret_len(&ghost)) < 16,
        "same-sized state"
    );
    assert_eq!(
        w.respond(
            "PASSWORD_VERIFIER",
            None,
            &password_claim(client, &ghost, "Passw0rd!", w.now)
        )
        .err(),
        Some(FlowError::IncorrectCredentials { counts: true }),
        "counted against what was typed, as a real user's failure is"
    );
    assert_eq!(
        w.initiate(
            "USER_PASSWORD_AUTH",
            &map(&[("USERNAME", "ghost"), ("PASSWORD", "x")])
        )
        .err(),
        Some(FlowError::IncorrectCredentials { counts: true })
    );
    w.client.prevent_user_existence_errors = PreventUserExistenceErrors::Legacy;
    let client = srp::ClientHandshake::start(&mut w.rng).expect("client");
    assert_eq!(
        w.initiate(
            "USER_SRP_AUTH",
            &map(&[("USERNAME", "ghost"), ("SRP_A", &client.srp_a())])
        )
        .err(),
        Some(FlowError::UserNotFound)
    );
}

/// ★9 in a username-attribute pool: the phantom's USER_ID_FOR_SRP is a UUID like a real
/// user's `sub`.
#[test]
fn unknown_user_ids_look_like_subs() {
    let mut w = World::new(42);
    w.pool.username_attributes = vec!["email".into()];
    let client = srp::ClientHandshake::start(&mut w.rng).expect("client");
    let c = w
        .initiate(
            "USER_SRP_AUTH",
            &map(&[
                ("USERNAME", "nobody@example.com"),
                ("SRP_A", &client.srp_a()),
            ]),
        )
        .expect("challenge");
    let id = &c.challenge().expect("challenge").parameters["USER_ID_FOR_SRP"];
    assert_eq!(id.len(), 36);
    assert_eq!(id.matches('-').count(), 4);
}

/// ★46: five failures are free, then 1 s doubling; during a lockout even the right password
/// fails with "Password attempts exceeded" and does not count; the counter spans SRP,
/// plain-password and admin flows.
#[test]
fn lockout_on_a_virtual_clock_across_flows() {
    let mut w = World::new(43);
    w.add_user("alice", "Passw0rd!", UserStatus::Confirmed);
    let wrong = map(&[("USERNAME", "alice"), ("PASSWORD", "nope")]);
    let right = map(&[("USERNAME", "alice"), ("PASSWORD", "Passw0rd!")]);
    for i in 0..5 {
        let result = match i % 3 {
            0 => w.initiate("USER_PASSWORD_AUTH", &wrong),
            1 => {
                let client = srp::ClientHandshake::start(&mut w.rng).expect("client");
                let c = w
                    .initiate(
                        "USER_SRP_AUTH",
                        &map(&[("USERNAME", "alice"), ("SRP_A", &client.srp_a())]),
                    )
                    .expect("challenge");
                let claim =
                    password_claim(client, c.challenge().expect("challenge"), "nope", w.now);
                w.respond("PASSWORD_VERIFIER", None, &claim)
            }
            _ => {
                w.admin = true;
                let r = w.initiate("ADMIN_USER_PASSWORD_AUTH", &wrong);
                w.admin = false;
                r
            }
        };
        assert_eq!(
            result.err(),
            Some(FlowError::IncorrectCredentials { counts: true }),
            "attempt {i}"
        );
    }
    let locked = w.initiate("USER_PASSWORD_AUTH", &right).err();
    assert_eq!(
        locked,
        Some(FlowError::PasswordAttemptsExceeded { until: w.now + 1 })
    );
    assert_eq!(
        locked.map(|e| e.to_string()).as_deref(),
        Some("Password attempts exceeded")
    );
    assert_eq!(
        w.users["alice"].failures.count, 5,
        "the refused attempt did not count"
    );
    // The SRP path is locked too, at the proof.
    let client = srp::ClientHandshake::start(&mut w.rng).expect("client");
    let c = w
        .initiate(
            "USER_SRP_AUTH",
            &map(&[("USERNAME", "alice"), ("SRP_A", &client.srp_a())]),
        )
        .expect("challenge");
    let claim = password_claim(
        client,
        c.challenge().expect("challenge"),
        "Passw0rd!",
        w.now,
    );
    assert!(matches!(
        w.respond("PASSWORD_VERIFIER", None, &claim).err(),
        Some(FlowError::PasswordAttemptsExceeded { .. })
    ));
    w.now += 1;
    assert_eq!(
        w.initiate("USER_PASSWORD_AUTH", &wrong).err(),
        Some(FlowError::IncorrectCredentials { counts: true })
    );
    assert_eq!(
        w.initiate("USER_PASSWORD_AUTH", &right).err(),
        Some(FlowError::PasswordAttemptsExceeded { until: w.now + 2 })
    );
    w.now += 2;
    assert!(matches!(
        w.initiate("USER_PASSWORD_AUTH", &right),
        Ok(Reply::Tokens(_))
    ));
    assert_eq!(
        w.users["alice"].failures,
        Failures::default(),
        "a success clears the count"
    );
}

/// Session bindings: another client or pool, another user, the wrong step, expiry, forgery
/// and replay are each refused with their own error.
#[test]
fn session_bindings() {
    let mut w = World::new(44).with_mfa(user_pool_model::MfaConfiguration::On);
    // Shape errors keep the session but count against it; allow the many probes below.
    w.settings.max_code_attempts = 10;
    w.add_user("alice", "Passw0rd!", UserStatus::Confirmed);
    w.add_user("bob", "Passw0rd!", UserStatus::Confirmed);
    w.enable_sms("alice");
    let c = w
        .initiate(
            "USER_PASSWORD_AUTH",
            &map(&[("USERNAME", "alice"), ("PASSWORD", "Passw0rd!")]),
        )
        .expect("challenge");
    let c = c.challenge().expect("challenge").clone();
    let session = c.session.expect("session");
    let code = w.outbox.last().cloned().expect("sent").1;
    let answer = map(&[
        ("USERNAME", "alice"),
        ("SMS_MFA_CODE", &code),
        ("SOFTWARE_TOKEN_MFA_CODE", &code),
    ]);
    assert_eq!(
        w.respond("SOFTWARE_TOKEN_MFA", Some(&session), &answer)
            .err(),
        Some(FlowError::WrongStep {
            expected: ChallengeName::SmsMfa,
            got: ChallengeName::SoftwareTokenMfa
        })
    );
    assert_eq!(
        w.respond("NOT_A_CHALLENGE", Some(&session), &answer).err(),
        Some(FlowError::UnknownChallenge)
    );
    assert_eq!(
        w.respond(
            "SMS_MFA",
            Some(&session),
            &map(&[("USERNAME", "bob"), ("SMS_MFA_CODE", &code)])
        )
        .err(),
        Some(FlowError::OtherUser)
    );
    assert_eq!(
        w.respond("SMS_MFA", Some(&session), &map(&[("SMS_MFA_CODE", &code)]))
            .err(),
        Some(FlowError::MissingParameter("USERNAME"))
    );
    let mut forged = session.clone().into_bytes();
    forged[3] ^= 1;
    let forged = String::from_utf8(forged).expect("ascii");
    assert_eq!(
        w.respond("SMS_MFA", Some(&forged), &answer).err(),
        Some(FlowError::InvalidSession)
    );
    assert_eq!(
        w.respond("SMS_MFA", Some("short"), &answer).err(),
        Some(FlowError::InvalidSession)
    );
    assert_eq!(
        w.respond("SMS_MFA", None, &answer).err(),
        Some(FlowError::InvalidSession)
    );
    let original = w.client.clone();
    w.client.id = user_pool_model::ClientId::parse("client2").expect("id");
    assert_eq!(
        w.respond("SMS_MFA", Some(&session), &answer).err(),
        Some(FlowError::InvalidSession)
    );
    w.client = original;
    let saved_now = w.now;
    w.now += 181;
    assert_eq!(
        w.respond("SMS_MFA", Some(&session), &answer).err(),
        Some(FlowError::SessionExpired)
    );
    w.now = saved_now;
    assert!(matches!(
        w.respond("SMS_MFA", Some(&session), &answer),
        Ok(Reply::Tokens(_))
    ));
    assert_eq!(
        w.respond("SMS_MFA", Some(&session), &answer).err(),
        Some(FlowError::InvalidSession),
        "replay"
    );
}

/// AuthSessionValidity: 3 minutes by default, up to 15.
#[test]
fn session_validity_is_the_clients() {
    let mut w = World::new(45).with_mfa(user_pool_model::MfaConfiguration::On);
    w.client.auth_session_validity_minutes = 15;
    w.add_user("alice", "Passw0rd!", UserStatus::Confirmed);
    w.enable_sms("alice");
    let c = w
        .initiate(
            "USER_PASSWORD_AUTH",
            &map(&[("USERNAME", "alice"), ("PASSWORD", "Passw0rd!")]),
        )
        .expect("challenge");
    let session = c
        .challenge()
        .and_then(|c| c.session.clone())
        .expect("session");
    let code = w.outbox.last().cloned().expect("sent").1;
    w.now += 14 * 60;
    assert!(matches!(
        w.respond(
            "SMS_MFA",
            Some(&session),
            &map(&[("USERNAME", "alice"), ("SMS_MFA_CODE", &code)])
        ),
        Ok(Reply::Tokens(_))
    ));
}

/// Secrets never show in `Debug`.
#[test]
fn debug_output_is_redacted() {
    let request = Initiate::parse(
        "USER_PASSWORD_AUTH",
        &map(&[("USERNAME", "alice"), ("PASSWORD", "S3ntinel-password")]),
        &World::new(46).client,
        false,
    )
    .expect("parse");
    assert!(!format!("{request:?}").contains("S3ntinel"));
    assert_eq!(
        format!("{:?}", PhantomKey::new([1; 32])),
        "PhantomKey(<redacted>)"
    );
}

/// PreventUserExistenceErrors: an unknown user locks out after the same failures as a real one
/// (the facade counts a phantom's failures against what was typed), in the password flow and
/// at PASSWORD_VERIFIER, refused before any proof is checked.
#[test]
fn phantoms_lock_out_like_users() {
    let mut w = World::new(43);
    w.add_user("alice", "Passw0rd!", UserStatus::Confirmed);
    let (policy, now) = (LockoutPolicy::default(), w.now);
    for _ in 0..5 {
        w.unknown_failures = policy.record_failure(w.unknown_failures, now);
        let stored = w.users.get_mut("alice").expect("alice");
        stored.failures = policy.record_failure(stored.failures, now);
    }
    for user in ["alice", "ghost"] {
        assert_eq!(
            w.initiate(
                "USER_PASSWORD_AUTH",
                &map(&[("USERNAME", user), ("PASSWORD", "Passw0rd!")])
            )
            .err(),
            Some(FlowError::PasswordAttemptsExceeded { until: w.now + 1 }),
            "{user}"
        );
        let client = srp::ClientHandshake::start(&mut w.rng).expect("client");
        let challenge = w
            .initiate(
                "USER_SRP_AUTH",
                &map(&[("USERNAME", user), ("SRP_A", &client.srp_a())]),
            )
            .expect("a challenge, locked or not");
        let challenge = challenge.challenge().expect("challenge").clone();
        assert_eq!(
            w.respond(
                "PASSWORD_VERIFIER",
                None,
                &password_claim(client, &challenge, "Passw0rd!", w.now)
            )
            .err(),
            Some(FlowError::PasswordAttemptsExceeded { until: w.now + 1 }),
            "{user} at PASSWORD_VERIFIER"
        );
    }
}
