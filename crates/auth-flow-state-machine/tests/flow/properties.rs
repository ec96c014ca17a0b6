//! Properties over arbitrary request sequences: success never comes without every required
//! proof; any answer to another step is the wrong-step error; sealed states round-trip.

use auth_flow_state_machine::*;
use proptest::prelude::*;
use user_pool_model::{MfaConfiguration, UserStatus};

use crate::world::*;

const NAMES: [&str; 10] = [
    "PASSWORD_VERIFIER",
    "NEW_PASSWORD_REQUIRED",
    "SMS_MFA",
    "SOFTWARE_TOKEN_MFA",
    "EMAIL_OTP",
    "SELECT_MFA_TYPE",
    "MFA_SETUP",
    "CUSTOM_CHALLENGE",
    "DEVICE_SRP_AUTH",
    "DEVICE_PASSWORD_VERIFIER",
];

/// A world with one pending challenge of each kind that uses a `Session`.
fn pending_challenges(seed: u64) -> (World, Vec<ChallengeOutput>) {
    let mut w = World::new(seed)
        .with_mfa(MfaConfiguration::Optional)
        .with_devices();
    w.add_user("alice", "Passw0rd!", UserStatus::Confirmed);
    w.add_user("sms", "Passw0rd!", UserStatus::Confirmed);
    w.enable_sms("sms");
    w.add_user("both", "Passw0rd!", UserStatus::Confirmed);
    w.enable_sms("both");
    w.enable_totp("both");
    w.add_user("new", "Passw0rd!", UserStatus::ForceChangePassword);
    let (key, _, _) = w.add_device("alice", false);
    let mut out = Vec::new();
    for user in ["sms", "both", "new"] {
        let reply = w.initiate(
            "USER_PASSWORD_AUTH",
            &map(&[("USERNAME", user), ("PASSWORD", "Passw0rd!")]),
        );
        out.push(
            reply
                .expect("challenge")
                .challenge()
                .expect("challenge")
                .clone(),
        );
    }
    let reply = w.initiate("CUSTOM_AUTH", &map(&[("USERNAME", "alice")]));
    out.push(
        reply
            .expect("challenge")
            .challenge()
            .expect("challenge")
            .clone(),
    );
    let reply = w.initiate(
        "USER_PASSWORD_AUTH",
        &map(&[
            ("USERNAME", "alice"),
            ("PASSWORD", "Passw0rd!"),
            ("DEVICE_KEY", &key),
        ]),
    );
    out.push(
        reply
            .expect("challenge")
            .challenge()
            .expect("challenge")
            .clone(),
    );
    (w, out)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// The fuzz driver's invariants over random scripts (see `fuzz/harness/flow_driver.rs`).
    #[test]
    fn no_success_without_every_proof(script in proptest::collection::vec(any::<u8>(), 0..400)) {
        crate::driver::drive_bytes(&script);
    }

    /// Any challenge name other than the pending one is `WrongStep` with both names, and the
    /// session survives for the right answer.
    #[test]
    fn wrong_steps_are_typed(seed in 0u64..4, which in 0usize..5, other in 0usize..NAMES.len()) {
        let (mut w, pending) = pending_challenges(seed);
        let c = &pending[which];
        let got = NAMES[other];
        prop_assume!(got != c.name && got != "PASSWORD_VERIFIER" && got != "DEVICE_PASSWORD_VERIFIER");
        // A well-formed answer to the other challenge (every member any of them reads).
        let answer = map(&[
            ("USERNAME", "alice"),
            ("NEW_PASSWORD", "N3w-Passw0rd!"),
            ("SMS_MFA_CODE", "000000"),
            ("EMAIL_OTP_CODE", "000000"),
            ("SOFTWARE_TOKEN_MFA_CODE", "000000"),
            ("ANSWER", "SMS_MFA"),
            ("DEVICE_KEY", "d"),
            ("SRP_A", "02"),
        ]);
        let result = w.respond(got, c.session.as_deref(), &answer);
        prop_assert_eq!(
            result.err(),
            Some(FlowError::WrongStep {
                expected: ChallengeName::parse(c.name).expect("name"),
                got: ChallengeName::parse(got).expect("name"),
            })
        );
    }

    /// A rendered challenge's sealed state opens to the same step, user and marker, with the
    /// client's session validity.
    #[test]
    fn sealed_states_round_trip(name in "[a-zA-Z0-9._@+-]{1,64}", minutes in 0u8..20) {
        let mut w = World::new(9).with_mfa(MfaConfiguration::On);
        w.client.auth_session_validity_minutes = minutes;
        w.add_user(&name, "Passw0rd!", UserStatus::Confirmed);
        w.enable_sms(&name);
        let stored = w.users[&name].clone();
        let account = Account { verifier: stored.verifier.clone(), ..Account::new(&stored.user) };
        let mut rng = w.rng.clone();
        let mut cx = FlowContext { now: w.now, rng: &mut rng, pool: &w.pool, client: &w.client, settings: &w.settings, admin: false, unknown_user_failures: Default::default(), require_mfa: false, relying_party: None };
        let Initiate::SignIn(sign_in) = Initiate::parse("USER_PASSWORD_AUTH", &map(&[("USERNAME", &name), ("PASSWORD", "Passw0rd!")]), &w.client, false).expect("parse") else {
            panic!("sign in");
        };
        let Step::Challenge(challenge) = sign_in.start(Some(&account), &mut cx).expect("start").step else {
            panic!("challenge");
        };
        let id = challenge.session_id();
        prop_assert_eq!(challenge.expires_at(), w.now + i64::from(minutes.clamp(3, 15)) * 60);
        let out = challenge.render(|b| b.to_vec()).expect("render");
        let session = out.session.expect("session");
        prop_assert!(session.len() >= MIN_SESSION_LEN && session.len() <= MAX_SESSION_LEN);
        let opened = PendingChallenge::open(&sealed_session(&session).expect("decode"), &cx).expect("open");
        prop_assert_eq!(opened.session_id(), id);
        prop_assert_eq!(opened.username(), name.as_str());
        prop_assert_eq!(opened.challenge(), ChallengeName::SmsMfa);
        prop_assert!(!opened.user_not_found());
    }
}
