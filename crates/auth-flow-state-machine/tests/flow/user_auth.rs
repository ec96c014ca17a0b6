//! USER_AUTH: the preferred challenge, SELECT_CHALLENGE with only what the user can do, the
//! one-time codes, passkeys, MFA after a password, and unknown users.

use auth_flow_state_machine::*;
use user_pool_model::{AuthFactor, AuthFlow as Allow, MfaConfiguration, MfaMethod, UserStatus};
use webauthn_rp::{
    NewCredential, RegistrationResponse, SoftAttestation, SoftAuthenticator, verify_registration,
};

use crate::world::*;

const ORIGIN: &str = "https://app.example.com";

fn world(seed: u64) -> World {
    let mut w = World::new(seed);
    w.client.explicit_auth_flows.push(Allow::AllowUserAuth);
    w.pool.allowed_first_auth_factors = vec![
        AuthFactor::Password,
        AuthFactor::EmailOtp,
        AuthFactor::SmsOtp,
        AuthFactor::WebAuthn,
    ];
    w.relying_party = Some(RelyingParty {
        id: "example.com".into(),
        name: "pool".into(),
        origins: vec![ORIGIN.into()],
        user_verification: UserVerification::Preferred,
    });
    w.add_user("alice", "Passw0rd!", UserStatus::Confirmed);
    w.users
        .get_mut("alice")
        .expect("alice")
        .user
        .attributes
        .insert("email_verified".into(), "true".into());
    w
}

fn passkey(w: &mut World, user: &str) -> SoftAuthenticator {
    let auth = SoftAuthenticator::new([9; 32], b"alice-passkey");
    let rp = w.relying_party.clone().expect("rp");
    let options = rp.creation_options(&[1; 32], b"handle", user, user, &[]);
    let answer = auth.register(&options, ORIGIN, SoftAttestation::None, None);
    let new: NewCredential = verify_registration(
        &RegistrationResponse::from_json(&answer).expect("json"),
        &[1; 32],
        &rp,
    )
    .expect("registered");
    w.users
        .get_mut(user)
        .expect("user")
        .passkeys
        .push(StoredCredential {
            credential_id: new.credential_id,
            public_key: new.public_key,
            sign_count: new.sign_count,
        });
    auth
}

fn challenge(reply: Result<Reply, FlowError>) -> ChallengeOutput {
    reply
        .expect("reply")
        .challenge()
        .expect("a challenge")
        .clone()
}

#[test]
fn select_challenge_offers_only_what_the_user_can_do() {
    let mut w = world(1);
    let c = challenge(w.initiate("USER_AUTH", &map(&[("USERNAME", "alice")])));
    assert_eq!(c.name, "SELECT_CHALLENGE");
    assert!(c.session.is_some());
    // No verified phone, no passkey.
    assert_eq!(
        c.available_challenges,
        ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]
    );
    // Asking for SMS_OTP, which alice cannot use, gets the choice instead.
    let c2 = challenge(w.initiate(
        "USER_AUTH",
        &map(&[("USERNAME", "alice"), ("PREFERRED_CHALLENGE", "SMS_OTP")]),
    ));
    assert_eq!(c2.name, "SELECT_CHALLENGE");
    // Answering with a factor that was not offered.
    assert!(matches!(
        w.respond(
            "SELECT_CHALLENGE",
            c.session.as_deref(),
            &map(&[("USERNAME", "alice"), ("ANSWER", "WEB_AUTHN")])
        ),
        Err(FlowError::InvalidParameter(_))
    ));
    // The password, chosen in the same call.
    let Reply::Tokens(a) = w
        .respond(
            "SELECT_CHALLENGE",
            c.session.as_deref(),
            &map(&[
                ("USERNAME", "alice"),
                ("ANSWER", "PASSWORD"),
                ("PASSWORD", "Passw0rd!"),
            ]),
        )
        .expect("tokens")
    else {
        panic!("tokens");
    };
    assert_eq!(a.first_factor(), Some(FirstFactor::Password));
    // The session is spent.
    assert_eq!(
        w.respond(
            "SELECT_CHALLENGE",
            c.session.as_deref(),
            &map(&[
                ("USERNAME", "alice"),
                ("ANSWER", "PASSWORD"),
                ("PASSWORD", "Passw0rd!")
            ]),
        )
        .err(),
        Some(FlowError::InvalidSession)
    );
    // Not enabled for the client.
    w.client
        .explicit_auth_flows
        .retain(|f| *f != Allow::AllowUserAuth);
    assert_eq!(
        w.initiate("USER_AUTH", &map(&[("USERNAME", "alice")]))
            .err(),
        Some(FlowError::FlowNotEnabled(
            "USER_AUTH flow not enabled for this client"
        ))
    );
}

#[test]
fn email_otp_first_factor_is_single_use_and_capped() {
    let mut w = world(2);
    let c = challenge(w.initiate(
        "USER_AUTH",
        &map(&[("USERNAME", "alice"), ("PREFERRED_CHALLENGE", "EMAIL_OTP")]),
    ));
    assert_eq!(c.name, "EMAIL_OTP");
    assert_eq!(c.parameters["CODE_DELIVERY_DELIVERY_MEDIUM"], "EMAIL");
    assert_eq!(c.parameters["CODE_DELIVERY_DESTINATION"], "a***@e***");
    let (to, code) = w.outbox.last().cloned().expect("a code was sent");
    assert_eq!(to, "alice@example.com");
    let wrong = if code == "000000" { "000001" } else { "000000" };
    assert_eq!(
        w.respond(
            "EMAIL_OTP",
            c.session.as_deref(),
            &map(&[("USERNAME", "alice"), ("EMAIL_OTP_CODE", wrong)])
        )
        .err(),
        Some(FlowError::CodeMismatch)
    );
    let Reply::Tokens(a) = w
        .respond(
            "EMAIL_OTP",
            c.session.as_deref(),
            &map(&[("USERNAME", "alice"), ("EMAIL_OTP_CODE", &code)]),
        )
        .expect("tokens")
    else {
        panic!("tokens");
    };
    assert_eq!(a.first_factor(), Some(FirstFactor::EmailOtp));
    assert_eq!(a.second_factor(), Some(SecondFactor::NotRequired));
    assert_eq!(
        w.respond(
            "EMAIL_OTP",
            c.session.as_deref(),
            &map(&[("USERNAME", "alice"), ("EMAIL_OTP_CODE", &code)])
        )
        .err(),
        Some(FlowError::InvalidSession),
        "single use"
    );
    // Three wrong codes spend a session, even before the right one.
    let c = challenge(w.initiate(
        "USER_AUTH",
        &map(&[("USERNAME", "alice"), ("PREFERRED_CHALLENGE", "EMAIL_OTP")]),
    ));
    let (_, code) = w.outbox.last().cloned().expect("code");
    let wrong = if code == "000000" { "000001" } else { "000000" };
    for _ in 0..3 {
        let _ = w.respond(
            "EMAIL_OTP",
            c.session.as_deref(),
            &map(&[("USERNAME", "alice"), ("EMAIL_OTP_CODE", wrong)]),
        );
    }
    assert_eq!(
        w.respond(
            "EMAIL_OTP",
            c.session.as_deref(),
            &map(&[("USERNAME", "alice"), ("EMAIL_OTP_CODE", &code)])
        )
        .err(),
        Some(FlowError::CodeAttemptsExceeded)
    );
}

#[test]
fn sms_otp_through_select_challenge() {
    let mut w = world(3);
    let alice = w.users.get_mut("alice").expect("alice");
    alice
        .user
        .attributes
        .insert("phone_number".into(), "+14155551212".into());
    alice
        .user
        .attributes
        .insert("phone_number_verified".into(), "true".into());
    let c = challenge(w.initiate("USER_AUTH", &map(&[("USERNAME", "alice")])));
    assert_eq!(
        c.available_challenges,
        ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"]
    );
    let c = challenge(w.respond(
        "SELECT_CHALLENGE",
        c.session.as_deref(),
        &map(&[("USERNAME", "alice"), ("ANSWER", "SMS_OTP")]),
    ));
    assert_eq!(c.name, "SMS_OTP");
    assert_eq!(c.parameters["CODE_DELIVERY_DESTINATION"], "+*******1212");
    let (_, code) = w.outbox.last().cloned().expect("code");
    assert!(matches!(
        w.respond(
            "SMS_OTP",
            c.session.as_deref(),
            &map(&[("USERNAME", "alice"), ("SMS_OTP_CODE", &code)])
        ),
        Ok(Reply::Tokens(_))
    ));
}

#[test]
fn passkey_sign_in() {
    let mut w = world(4);
    let mut auth = passkey(&mut w, "alice");
    let c = challenge(w.initiate(
        "USER_AUTH",
        &map(&[("USERNAME", "alice"), ("PREFERRED_CHALLENGE", "WEB_AUTHN")]),
    ));
    assert_eq!(c.name, "WEB_AUTHN");
    let options: serde_json::Value =
        serde_json::from_str(&c.parameters["CREDENTIAL_REQUEST_OPTIONS"]).expect("json");
    assert_eq!(options["rpId"], "example.com");
    assert_eq!(
        options["allowCredentials"][0]["id"],
        webauthn_rp::b64::encode(b"alice-passkey")
    );
    let credential = auth.authenticate(&options, ORIGIN, None).to_string();
    // Another origin is refused (and spends the session).
    let evil = auth
        .authenticate(&options, "https://evil.example", None)
        .to_string();
    assert_eq!(
        w.respond(
            "WEB_AUTHN",
            c.session.as_deref(),
            &map(&[("USERNAME", "alice"), ("CREDENTIAL", &evil)])
        )
        .err(),
        Some(FlowError::WebAuthn(
            webauthn_rp::WebAuthnError::OriginNotAllowed
        ))
    );
    let c = challenge(w.initiate(
        "USER_AUTH",
        &map(&[("USERNAME", "alice"), ("PREFERRED_CHALLENGE", "WEB_AUTHN")]),
    ));
    // The old assertion answers another challenge: refused.
    assert_eq!(
        w.respond(
            "WEB_AUTHN",
            c.session.as_deref(),
            &map(&[("USERNAME", "alice"), ("CREDENTIAL", &credential)])
        )
        .err(),
        Some(FlowError::WebAuthn(
            webauthn_rp::WebAuthnError::ChallengeMismatch
        ))
    );
    let c = challenge(w.initiate(
        "USER_AUTH",
        &map(&[("USERNAME", "alice"), ("PREFERRED_CHALLENGE", "WEB_AUTHN")]),
    ));
    let options: serde_json::Value =
        serde_json::from_str(&c.parameters["CREDENTIAL_REQUEST_OPTIONS"]).expect("json");
    let credential = auth.authenticate(&options, ORIGIN, None).to_string();
    let Reply::Tokens(a) = w
        .respond(
            "WEB_AUTHN",
            c.session.as_deref(),
            &map(&[("USERNAME", "alice"), ("CREDENTIAL", &credential)]),
        )
        .expect("tokens")
    else {
        panic!("tokens");
    };
    assert_eq!(a.first_factor(), Some(FirstFactor::WebAuthn));
    assert_eq!(
        w.users["alice"].passkeys[0].sign_count, auth.counter,
        "counter stored"
    );
}

#[test]
fn mfa_still_follows_a_password_and_on_pools_offer_only_passwords() {
    let mut w = world(5).with_mfa(MfaConfiguration::Optional);
    w.enable_sms("alice");
    let c = challenge(w.initiate(
        "USER_AUTH",
        &map(&[
            ("USERNAME", "alice"),
            ("PREFERRED_CHALLENGE", "PASSWORD"),
            ("PASSWORD", "Passw0rd!"),
        ]),
    ));
    assert_eq!(c.name, "SMS_MFA");
    // Email MFA as the second factor.
    let mut w = world(6).with_mfa(MfaConfiguration::Optional);
    w.users
        .get_mut("alice")
        .expect("alice")
        .user
        .mfa
        .enabled
        .push(MfaMethod::EmailOtp);
    let c = challenge(w.initiate(
        "USER_AUTH",
        &map(&[
            ("USERNAME", "alice"),
            ("PREFERRED_CHALLENGE", "PASSWORD"),
            ("PASSWORD", "Passw0rd!"),
        ]),
    ));
    assert_eq!(c.name, "EMAIL_OTP");
    let (_, code) = w.outbox.last().cloned().expect("code");
    let Reply::Tokens(a) = w
        .respond(
            "EMAIL_OTP",
            c.session.as_deref(),
            &map(&[("USERNAME", "alice"), ("EMAIL_OTP_CODE", &code)]),
        )
        .expect("tokens")
    else {
        panic!("tokens");
    };
    assert_eq!(
        a.second_factor(),
        Some(SecondFactor::Verified(MfaKind::Email))
    );
    // MFA ON: passwordless factors are not offered.
    let mut w = world(7).with_mfa(MfaConfiguration::On);
    let c = challenge(w.initiate("USER_AUTH", &map(&[("USERNAME", "alice")])));
    assert_eq!(c.available_challenges, ["PASSWORD", "PASSWORD_SRP"]);
}

#[test]
fn password_srp_through_user_auth() {
    let mut w = world(8);
    let client = srp::ClientHandshake::start(&mut w.rng).expect("client");
    let c = challenge(w.initiate(
        "USER_AUTH",
        &map(&[
            ("USERNAME", "alice"),
            ("PREFERRED_CHALLENGE", "PASSWORD_SRP"),
            ("SRP_A", &client.srp_a()),
        ]),
    ));
    assert_eq!(c.name, "PASSWORD_VERIFIER");
    let responses = password_claim(client, &c, "Passw0rd!", w.now);
    let Reply::Tokens(a) = w
        .respond("PASSWORD_VERIFIER", None, &responses)
        .expect("tokens")
    else {
        panic!("tokens");
    };
    assert_eq!(a.first_factor(), Some(FirstFactor::Srp));
}

#[test]
fn unknown_users_get_the_same_choice_and_never_succeed() {
    let mut w = world(9);
    let c = challenge(w.initiate("USER_AUTH", &map(&[("USERNAME", "nobody@example.com")])));
    assert_eq!(c.name, "SELECT_CHALLENGE");
    assert_eq!(
        c.available_challenges,
        [
            "PASSWORD",
            "PASSWORD_SRP",
            "EMAIL_OTP",
            "SMS_OTP",
            "WEB_AUTHN"
        ]
    );
    let sent = w.outbox.len();
    let otp = challenge(w.respond(
        "SELECT_CHALLENGE",
        c.session.as_deref(),
        &map(&[("USERNAME", "nobody@example.com"), ("ANSWER", "EMAIL_OTP")]),
    ));
    assert_eq!(otp.name, "EMAIL_OTP");
    assert_eq!(otp.parameters["CODE_DELIVERY_DESTINATION"], "n***@e***");
    assert_eq!(w.outbox.len(), sent, "nothing is sent to nobody");
    assert_eq!(
        w.respond(
            "EMAIL_OTP",
            otp.session.as_deref(),
            &map(&[
                ("USERNAME", "nobody@example.com"),
                ("EMAIL_OTP_CODE", "123456")
            ])
        )
        .err(),
        Some(FlowError::CodeMismatch)
    );
    let passkey = challenge(w.initiate(
        "USER_AUTH",
        &map(&[
            ("USERNAME", "nobody@example.com"),
            ("PREFERRED_CHALLENGE", "WEB_AUTHN"),
        ]),
    ));
    assert_eq!(passkey.name, "WEB_AUTHN");
    assert_eq!(
        w.initiate(
            "USER_AUTH",
            &map(&[
                ("USERNAME", "nobody"),
                ("PREFERRED_CHALLENGE", "PASSWORD"),
                ("PASSWORD", "x")
            ]),
        )
        .err(),
        Some(FlowError::IncorrectCredentials { counts: true })
    );
    // Legacy errors say so.
    w.client.prevent_user_existence_errors = user_pool_model::PreventUserExistenceErrors::Legacy;
    assert_eq!(
        w.initiate("USER_AUTH", &map(&[("USERNAME", "nobody")]))
            .err(),
        Some(FlowError::UserNotFound)
    );
}
