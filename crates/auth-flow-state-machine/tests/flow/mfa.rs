//! The second factor: SMS, email, software token, the choice between them, and MFA_SETUP.

use auth_flow_state_machine::*;
use user_pool_model::{MfaConfiguration, MfaMethod, UserStatus};

use crate::world::*;

fn sign_in(w: &mut World, user: &str) -> ChallengeOutput {
    let params = map(&[("USERNAME", user), ("PASSWORD", "Passw0rd!")]);
    match w
        .initiate("USER_PASSWORD_AUTH", &params)
        .expect("first factor")
    {
        Reply::Challenge(c) => c,
        Reply::Tokens(_) => panic!("MFA was skipped"),
    }
}

fn tokens(reply: Result<Reply, FlowError>) -> Authenticated {
    match reply {
        Ok(Reply::Tokens(a)) => a,
        other => panic!("expected tokens, got {other:?}"),
    }
}

/// SMS_MFA: the code goes to the outbox, the destination is masked, a wrong code can be
/// retried on the same session, the right one signs in, and the session is then spent.
#[test]
fn sms_mfa() {
    let mut w = World::new(10).with_mfa(MfaConfiguration::Optional);
    w.add_user("alice", "Passw0rd!", UserStatus::Confirmed);
    w.enable_sms("alice");
    let c = sign_in(&mut w, "alice");
    assert_eq!(c.name, "SMS_MFA");
    assert_eq!(c.parameters["CODE_DELIVERY_DELIVERY_MEDIUM"], "SMS");
    assert_eq!(c.parameters["CODE_DELIVERY_DESTINATION"], "+*******1212");
    let (to, code) = w.outbox.last().cloned().expect("sent");
    assert_eq!(to, "+14155551212");
    assert_eq!(code.len(), CODE_DIGITS);
    let session = c.session.as_deref();
    let wrong = if code == "000000" { "000001" } else { "000000" };
    assert_eq!(
        w.respond(
            "SMS_MFA",
            session,
            &map(&[("USERNAME", "alice"), ("SMS_MFA_CODE", wrong)])
        )
        .err(),
        Some(FlowError::CodeMismatch)
    );
    // acij also sends SOFTWARE_TOKEN_MFA_CODE; unknown keys are ignored.
    let right = map(&[
        ("USERNAME", "alice"),
        ("SMS_MFA_CODE", &code),
        ("SOFTWARE_TOKEN_MFA_CODE", "1"),
    ]);
    let a = tokens(w.respond("SMS_MFA", session, &right));
    assert_eq!(
        a.second_factor(),
        Some(SecondFactor::Verified(MfaKind::Sms))
    );
    assert_eq!(
        w.respond("SMS_MFA", session, &right).err(),
        Some(FlowError::InvalidSession)
    );
}

/// Three wrong codes spend the session, even if the fourth is right.
#[test]
fn code_attempt_limit() {
    let mut w = World::new(11).with_mfa(MfaConfiguration::On);
    w.add_user("alice", "Passw0rd!", UserStatus::Confirmed);
    w.enable_sms("alice");
    let c = sign_in(&mut w, "alice");
    let code = w.outbox.last().cloned().expect("sent").1;
    let wrong = if code == "111111" { "222222" } else { "111111" };
    for _ in 0..3 {
        assert_eq!(
            w.respond(
                "SMS_MFA",
                c.session.as_deref(),
                &map(&[("USERNAME", "alice"), ("SMS_MFA_CODE", wrong)])
            )
            .err(),
            Some(FlowError::CodeMismatch)
        );
    }
    assert_eq!(
        w.respond(
            "SMS_MFA",
            c.session.as_deref(),
            &map(&[("USERNAME", "alice"), ("SMS_MFA_CODE", &code)])
        )
        .err(),
        Some(FlowError::CodeAttemptsExceeded)
    );
}

#[test]
fn email_otp() {
    let mut w = World::new(12).with_mfa(MfaConfiguration::Optional);
    w.add_user("alice", "Passw0rd!", UserStatus::Confirmed);
    w.users
        .get_mut("alice")
        .expect("alice")
        .user
        .mfa
        .enabled
        .push(MfaMethod::EmailOtp);
    let c = sign_in(&mut w, "alice");
    assert_eq!(c.name, "EMAIL_OTP");
    assert_eq!(c.parameters["CODE_DELIVERY_DELIVERY_MEDIUM"], "EMAIL");
    assert_eq!(c.parameters["CODE_DELIVERY_DESTINATION"], "a***@e***");
    let code = w.outbox.last().cloned().expect("sent").1;
    let a = tokens(w.respond(
        "EMAIL_OTP",
        c.session.as_deref(),
        &map(&[("USERNAME", "alice"), ("EMAIL_OTP_CODE", &code)]),
    ));
    assert_eq!(
        a.second_factor(),
        Some(SecondFactor::Verified(MfaKind::Email))
    );
}

/// SOFTWARE_TOKEN_MFA: the friendly name is shown; a code is accepted once for the user,
/// even in a later sign-in.
#[test]
fn software_token_mfa_and_replay() {
    let mut w = World::new(13).with_mfa(MfaConfiguration::Optional);
    w.add_user("alice", "Passw0rd!", UserStatus::Confirmed);
    let secret = w.enable_totp("alice");
    let c = sign_in(&mut w, "alice");
    assert_eq!(c.name, "SOFTWARE_TOKEN_MFA");
    assert_eq!(c.parameters["FRIENDLY_DEVICE_NAME"], "phone");
    let code = totp_code(&secret, w.now);
    let answer = map(&[("USERNAME", "alice"), ("SOFTWARE_TOKEN_MFA_CODE", &code)]);
    tokens(w.respond("SOFTWARE_TOKEN_MFA", c.session.as_deref(), &answer));
    let again = sign_in(&mut w, "alice");
    assert_eq!(
        w.respond("SOFTWARE_TOKEN_MFA", again.session.as_deref(), &answer)
            .err(),
        Some(FlowError::TotpMismatch),
        "a used code is never accepted again"
    );
    w.now += 30;
    let next = totp_code(&secret, w.now);
    tokens(w.respond(
        "SOFTWARE_TOKEN_MFA",
        again.session.as_deref(),
        &map(&[("USERNAME", "alice"), ("SOFTWARE_TOKEN_MFA_CODE", &next)]),
    ));
}

/// Two factors and no preference: SELECT_MFA_TYPE, then the chosen one.
#[test]
fn select_mfa_type() {
    let mut w = World::new(14).with_mfa(MfaConfiguration::On);
    w.add_user("alice", "Passw0rd!", UserStatus::Confirmed);
    w.enable_sms("alice");
    let secret = w.enable_totp("alice");
    let c = sign_in(&mut w, "alice");
    assert_eq!(c.name, "SELECT_MFA_TYPE");
    assert_eq!(
        c.parameters["MFAS_CAN_CHOOSE"],
        "[\"SMS_MFA\",\"SOFTWARE_TOKEN_MFA\"]"
    );
    assert_eq!(
        w.respond(
            "SELECT_MFA_TYPE",
            c.session.as_deref(),
            &map(&[("USERNAME", "alice"), ("ANSWER", "EMAIL_OTP")])
        )
        .err(),
        Some(FlowError::InvalidParameter(
            "The MFA type in ANSWER is not one the user can choose"
        ))
    );
    let Ok(Reply::Challenge(totp)) = w.respond(
        "SELECT_MFA_TYPE",
        c.session.as_deref(),
        &map(&[("USERNAME", "alice"), ("ANSWER", "SOFTWARE_TOKEN_MFA")]),
    ) else {
        panic!("totp challenge");
    };
    assert_eq!(totp.name, "SOFTWARE_TOKEN_MFA");
    let code = totp_code(&secret, w.now);
    tokens(w.respond(
        "SOFTWARE_TOKEN_MFA",
        totp.session.as_deref(),
        &map(&[("USERNAME", "alice"), ("SOFTWARE_TOKEN_MFA_CODE", &code)]),
    ));
    // With a preference there is no choice.
    w.users.get_mut("alice").expect("alice").user.mfa.preferred = Some(MfaMethod::SmsMfa);
    assert_eq!(sign_in(&mut w, "alice").name, "SMS_MFA");
}

/// MFA ON, no factor: MFA_SETUP → AssociateSoftwareToken → VerifySoftwareToken → MFA_SETUP
/// answer → tokens; the token is then the user's.
#[test]
fn mfa_setup() {
    let mut w = World::new(15).with_mfa(MfaConfiguration::On);
    w.pool.mfa_factors.sms = false;
    w.add_user("alice", "Passw0rd!", UserStatus::Confirmed);
    let c = sign_in(&mut w, "alice");
    assert_eq!(c.name, "MFA_SETUP");
    assert_eq!(c.parameters["MFAS_CAN_SETUP"], "[\"SOFTWARE_TOKEN_MFA\"]");
    let setup = c.session.expect("session");
    let answer = map(&[("USERNAME", "alice")]);
    assert!(
        matches!(
            w.respond("MFA_SETUP", Some(&setup), &answer).err(),
            Some(FlowError::InvalidParameter(_))
        ),
        "MFA_SETUP cannot be answered before a token is verified"
    );
    let c = sign_in(&mut w, "alice");
    let (secret, session) = w
        .associate(c.session.as_deref().expect("session"))
        .expect("associate");
    assert_eq!(secret.secret_code().len(), 52);
    assert_eq!(
        w.verify_token(&session, "000000x").err(),
        Some(FlowError::InvalidTotp("the code must be 6 digits"))
    );
    let done = w
        .verify_token(&session, &totp_code(&secret, w.now))
        .expect("verified");
    let a = tokens(w.respond("MFA_SETUP", Some(&done), &answer));
    assert_eq!(
        a.second_factor(),
        Some(SecondFactor::Verified(MfaKind::Totp))
    );
    assert_eq!(
        w.users["alice"].user.mfa.enabled,
        vec![MfaMethod::SoftwareTokenMfa]
    );
    // The next sign-in asks for the new token; the setup code itself cannot be reused.
    let next = sign_in(&mut w, "alice");
    assert_eq!(next.name, "SOFTWARE_TOKEN_MFA");
    assert_eq!(
        w.respond(
            "SOFTWARE_TOKEN_MFA",
            next.session.as_deref(),
            &map(&[
                ("USERNAME", "alice"),
                ("SOFTWARE_TOKEN_MFA_CODE", &totp_code(&secret, w.now))
            ])
        )
        .err(),
        Some(FlowError::TotpMismatch)
    );
}

/// MFA ON with SMS offered and a phone number: SMS without any setup.
#[test]
fn mfa_on_falls_back_to_sms_for_a_phone_number() {
    let mut w = World::new(16).with_mfa(MfaConfiguration::On);
    w.add_user("alice", "Passw0rd!", UserStatus::Confirmed)
        .user
        .attributes
        .insert("phone_number".into(), "+14155550000".into());
    assert_eq!(sign_in(&mut w, "alice").name, "SMS_MFA");
    w.pool.mfa_factors.sms = false;
    w.pool.mfa_factors.totp = false;
    assert_eq!(
        w.initiate(
            "USER_PASSWORD_AUTH",
            &map(&[("USERNAME", "alice"), ("PASSWORD", "Passw0rd!")])
        )
        .err(),
        Some(FlowError::NoMfaFactor)
    );
}

/// NEW_PASSWORD_REQUIRED comes before MFA.
#[test]
fn new_password_then_mfa() {
    let mut w = World::new(17).with_mfa(MfaConfiguration::On);
    w.add_user("dave", "Passw0rd!", UserStatus::ForceChangePassword);
    w.enable_sms("dave");
    let c = sign_in(&mut w, "dave");
    assert_eq!(c.name, "NEW_PASSWORD_REQUIRED");
    let Ok(Reply::Challenge(sms)) = w.respond(
        "NEW_PASSWORD_REQUIRED",
        c.session.as_deref(),
        &map(&[("USERNAME", "dave"), ("NEW_PASSWORD", "N3wPassw0rd!")]),
    ) else {
        panic!("sms");
    };
    assert_eq!(sms.name, "SMS_MFA");
    let code = w.outbox.last().cloned().expect("sent").1;
    let a = tokens(w.respond(
        "SMS_MFA",
        sms.session.as_deref(),
        &map(&[("USERNAME", "dave"), ("SMS_MFA_CODE", &code)]),
    ));
    assert_eq!(a.token_source(), TokenSource::NewPasswordChallenge);
}
