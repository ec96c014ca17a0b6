//! CUSTOM_AUTH: the Define/Create/Verify loop, with and without SRP first.

use auth_flow_state_machine::*;
use user_pool_model::UserStatus;

use crate::world::*;

#[test]
fn custom_challenge_loop() {
    let mut w = World::new(30);
    w.add_user("alice", "Passw0rd!", UserStatus::Confirmed);
    let Ok(Reply::Challenge(c)) = w.initiate("CUSTOM_AUTH", &map(&[("USERNAME", "alice")])) else {
        panic!("custom challenge");
    };
    assert_eq!(c.name, "CUSTOM_CHALLENGE");
    assert_eq!(c.parameters["question"], "6 x 7?");
    assert_eq!(c.parameters["USERNAME"], "alice");
    let Ok(Reply::Challenge(c2)) = w.respond(
        "CUSTOM_CHALLENGE",
        c.session.as_deref(),
        &map(&[("USERNAME", "alice"), ("ANSWER", "41")]),
    ) else {
        panic!("asked again");
    };
    assert_eq!(
        w.respond(
            "CUSTOM_CHALLENGE",
            c.session.as_deref(),
            &map(&[("USERNAME", "alice"), ("ANSWER", "42")])
        )
        .err(),
        Some(FlowError::InvalidSession),
        "each session answers once"
    );
    let Ok(Reply::Tokens(a)) = w.respond(
        "CUSTOM_CHALLENGE",
        c2.session.as_deref(),
        &map(&[("USERNAME", "alice"), ("ANSWER", "42")]),
    ) else {
        panic!("tokens");
    };
    assert_eq!(a.first_factor(), Some(FirstFactor::Custom));
}

#[test]
fn define_fails_after_too_many_wrong_answers() {
    let mut w = World::new(31);
    w.quiz.tries = 0;
    w.add_user("alice", "Passw0rd!", UserStatus::Confirmed);
    let Ok(Reply::Challenge(c)) = w.initiate("CUSTOM_AUTH", &map(&[("USERNAME", "alice")])) else {
        panic!("custom challenge");
    };
    assert_eq!(
        w.respond(
            "CUSTOM_CHALLENGE",
            c.session.as_deref(),
            &map(&[("USERNAME", "alice"), ("ANSWER", "41")])
        )
        .err(),
        Some(FlowError::IncorrectCredentials { counts: false })
    );
}

/// A DefineAuthChallenge that never decides (always one more challenge): the sign-in ends after
/// `MAX_CUSTOM_ROUNDS` answered challenges, whatever the trigger says.
#[test]
fn a_define_that_never_decides_is_cut_off() {
    assert_eq!(MAX_CUSTOM_ROUNDS, 10);
    let mut w = World::new(32);
    w.quiz.tries = usize::MAX;
    w.add_user("alice", "Passw0rd!", UserStatus::Confirmed);
    let Ok(Reply::Challenge(mut c)) = w.initiate("CUSTOM_AUTH", &map(&[("USERNAME", "alice")]))
    else {
        panic!("custom challenge");
    };
    for round in 1..MAX_CUSTOM_ROUNDS {
        match w.respond(
            "CUSTOM_CHALLENGE",
            c.session.as_deref(),
            &map(&[("USERNAME", "alice"), ("ANSWER", "41")]),
        ) {
            Ok(Reply::Challenge(next)) => c = next,
            other => panic!("round {round}: {:?}", other.err()),
        }
    }
    assert_eq!(
        w.respond(
            "CUSTOM_CHALLENGE",
            c.session.as_deref(),
            &map(&[("USERNAME", "alice"), ("ANSWER", "41")])
        )
        .err(),
        Some(FlowError::IncorrectCredentials { counts: false }),
        "the tenth answer ends the sign-in"
    );
}

/// `CHALLENGE_NAME=SRP_A`: Define sees `SRP_A`, asks PASSWORD_VERIFIER, then the quiz; the
/// password proof is checked by this crate, not by a trigger.
#[test]
fn custom_auth_with_srp_first() {
    let mut w = World::new(32);
    w.quiz.with_password = true;
    w.add_user("alice", "Passw0rd!", UserStatus::Confirmed);
    for (password, expect_ok) in [("Passw0rd?", false), ("Passw0rd!", true)] {
        let client = srp::ClientHandshake::start(&mut w.rng).expect("client");
        let params = map(&[
            ("USERNAME", "alice"),
            ("SRP_A", &client.srp_a()),
            ("CHALLENGE_NAME", "SRP_A"),
        ]);
        let Ok(Reply::Challenge(c)) = w.initiate("CUSTOM_AUTH", &params) else {
            panic!("verifier");
        };
        assert_eq!(c.name, "PASSWORD_VERIFIER");
        let result = w.respond(
            "PASSWORD_VERIFIER",
            None,
            &password_claim(client, &c, password, w.now),
        );
        if !expect_ok {
            assert_eq!(
                result.err(),
                Some(FlowError::IncorrectCredentials { counts: true })
            );
            continue;
        }
        let Ok(Reply::Challenge(quiz)) = result else {
            panic!("quiz");
        };
        assert_eq!(quiz.name, "CUSTOM_CHALLENGE");
        assert_eq!(quiz.parameters["USERNAME"], "alice");
        assert!(matches!(
            w.respond(
                "CUSTOM_CHALLENGE",
                quiz.session.as_deref(),
                &map(&[("USERNAME", "alice"), ("ANSWER", "42")])
            ),
            Ok(Reply::Tokens(_))
        ));
    }
    assert_eq!(
        w.initiate(
            "CUSTOM_AUTH",
            &map(&[("USERNAME", "alice"), ("CHALLENGE_NAME", "SRP_A")])
        )
        .err(),
        Some(FlowError::MissingParameter("SRP_A"))
    );
}

/// An unknown user (PreventUserExistenceErrors) goes through the triggers with
/// `userNotFound` and never gets tokens, even with the right answer.
#[test]
fn unknown_user_custom_auth_never_succeeds() {
    let mut w = World::new(33);
    let Ok(Reply::Challenge(c)) = w.initiate("CUSTOM_AUTH", &map(&[("USERNAME", "ghost")])) else {
        panic!("a challenge like any other");
    };
    assert_eq!(c.name, "CUSTOM_CHALLENGE");
    assert_eq!(
        w.respond(
            "CUSTOM_CHALLENGE",
            c.session.as_deref(),
            &map(&[("USERNAME", "ghost"), ("ANSWER", "42")])
        )
        .err(),
        Some(FlowError::IncorrectCredentials { counts: false })
    );
}

/// Define answering something Cognito would not accept.
#[test]
fn invalid_define_answers() {
    let w = World::new(34);
    let stored_user = user_pool_model::User::new(
        "alice",
        user_pool_model::Sub::from_bytes([1; 16]),
        UserStatus::Confirmed,
        0,
    );
    let account = Account::new(&stored_user);
    let mut rng = w.rng.clone();
    let mut cx = FlowContext {
        now: w.now,
        rng: &mut rng,
        pool: &w.pool,
        client: &w.client,
        settings: &w.settings,
        admin: false,
        unknown_user_failures: Default::default(),
        require_mfa: false,
        relying_party: None,
    };
    for (name, expected) in [
        (
            Some("SMS_MFA"),
            FlowError::InvalidLambdaResponse("Unrecognizable lambda output"),
        ),
        (
            None,
            FlowError::InvalidLambdaResponse("Unrecognizable lambda output"),
        ),
        (
            Some("PASSWORD_VERIFIER"),
            FlowError::InvalidLambdaResponse(
                "PASSWORD_VERIFIER requires SRP_A in the InitiateAuth request",
            ),
        ),
    ] {
        let Initiate::SignIn(sign_in) = Initiate::parse(
            "CUSTOM_AUTH",
            &map(&[("USERNAME", "alice")]),
            &w.client,
            false,
        )
        .expect("parse") else {
            panic!("sign in");
        };
        let Step::RunTrigger(PendingTrigger::DefineAuthChallenge(define)) =
            sign_in.start(Some(&account), &mut cx).expect("define").step
        else {
            panic!("define");
        };
        assert!(define.session().is_empty());
        assert!(!define.user_not_found());
        let decision = DefineDecision {
            challenge_name: name.map(str::to_owned),
            ..DefineDecision::default()
        };
        assert_eq!(
            define.resume(decision, Some(&account), &mut cx).err(),
            Some(expected)
        );
    }
}
