//! Happy paths and status rules of the password flows (SRP, plain, admin), refresh, and
//! NEW_PASSWORD_REQUIRED.

use auth_flow_state_machine::*;
use user_pool_model::UserStatus;

use crate::world::*;

/// USER_SRP_AUTH with the `srp` crate's client, answered without a `Session` (pycognito) and
/// shaped as Cognito shapes it.
#[test]
fn user_srp_auth() {
    let mut w = World::new(1);
    w.add_user("alice", "Passw0rd!", UserStatus::Confirmed);
    let client = srp::ClientHandshake::start(&mut w.rng).expect("client");
    let reply = w
        .initiate(
            "USER_SRP_AUTH",
            &map(&[("USERNAME", "alice"), ("SRP_A", &client.srp_a())]),
        )
        .expect("challenge");
    let c = reply.challenge().expect("challenge").clone();
    assert_eq!(c.name, "PASSWORD_VERIFIER");
    assert_eq!(
        c.session, None,
        "Cognito returns no Session with PASSWORD_VERIFIER"
    );
    let keys: Vec<&str> = c.parameters.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "SALT",
            "SECRET_BLOCK",
            "SRP_B",
            "USERNAME",
            "USER_ID_FOR_SRP"
        ]
    );
    assert_eq!(c.parameters["USERNAME"], "alice");
    let responses = password_claim(client, &c, "Passw0rd!", w.now);
    let Reply::Tokens(a) = w
        .respond("PASSWORD_VERIFIER", None, &responses)
        .expect("tokens")
    else {
        panic!("expected tokens");
    };
    assert_eq!(a.username(), "alice");
    assert_eq!(a.first_factor(), Some(FirstFactor::Srp));
    assert_eq!(a.second_factor(), Some(SecondFactor::NotRequired));
    assert_eq!(a.token_source(), TokenSource::Authentication);
    assert!(!a.issue_new_device(), "device tracking is off");
}

/// A `Session` sent along (Amplify forwards one when present) does not matter: the state is
/// found from the secret block.
#[test]
fn password_verifier_with_a_stray_session() {
    let mut w = World::new(2);
    w.add_user("alice", "Passw0rd!", UserStatus::Confirmed);
    let client = srp::ClientHandshake::start(&mut w.rng).expect("client");
    let c = w
        .initiate(
            "USER_SRP_AUTH",
            &map(&[("USERNAME", "alice"), ("SRP_A", &client.srp_a())]),
        )
        .expect("challenge");
    let c = c.challenge().expect("challenge").clone();
    let responses = password_claim(client, &c, "Passw0rd!", w.now);
    assert!(matches!(
        w.respond(
            "PASSWORD_VERIFIER",
            Some("AYABeMa1f0rmedButIgnoredSession"),
            &responses
        ),
        Ok(Reply::Tokens(_))
    ));
}

#[test]
fn user_password_and_admin_flows() {
    let mut w = World::new(3);
    w.add_user("alice", "Passw0rd!", UserStatus::Confirmed);
    let params = map(&[("USERNAME", "alice"), ("PASSWORD", "Passw0rd!")]);
    let Reply::Tokens(a) = w.initiate("USER_PASSWORD_AUTH", &params).expect("tokens") else {
        panic!("tokens");
    };
    assert_eq!(a.first_factor(), Some(FirstFactor::Password));
    assert_eq!(
        w.initiate("ADMIN_USER_PASSWORD_AUTH", &params).err(),
        Some(FlowError::AdminOnlyFlow)
    );
    w.admin = true;
    for flow in ["ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"] {
        assert!(
            matches!(w.initiate(flow, &params), Ok(Reply::Tokens(_))),
            "{flow}"
        );
    }
    let wrong = map(&[("USERNAME", "alice"), ("PASSWORD", "Passw0rd?")]);
    assert_eq!(
        w.initiate("ADMIN_USER_PASSWORD_AUTH", &wrong).err(),
        Some(FlowError::IncorrectCredentials { counts: true })
    );
    assert_eq!(
        w.initiate("USER_PASSWORD_AUTH", &map(&[("USERNAME", "alice")]))
            .err(),
        Some(FlowError::MissingParameter("PASSWORD"))
    );
}

#[test]
fn flows_the_client_does_not_allow_are_refused() {
    let mut w = World::new(4);
    w.add_user("alice", "Passw0rd!", UserStatus::Confirmed);
    w.client.explicit_auth_flows = vec![user_pool_model::AuthFlow::AllowUserSrpAuth];
    assert_eq!(
        w.initiate(
            "USER_PASSWORD_AUTH",
            &map(&[("USERNAME", "alice"), ("PASSWORD", "x")])
        )
        .err(),
        Some(FlowError::FlowNotEnabled(
            "USER_PASSWORD_AUTH flow not enabled for this client"
        ))
    );
    assert_eq!(
        w.initiate("CUSTOM_AUTH", &map(&[("USERNAME", "alice")]))
            .err(),
        Some(FlowError::FlowNotEnabled(
            "Custom auth lambda trigger is not configured for the user pool."
        ))
    );
    assert_eq!(
        w.initiate("USER_AUTH_X", &map(&[])).err(),
        Some(FlowError::UnknownFlow)
    );
}

/// Status rules come after the password check, with Cognito's errors.
#[test]
fn status_rules() {
    let mut w = World::new(5);
    let params = |u: &str| map(&[("USERNAME", u), ("PASSWORD", "Passw0rd!")]);
    w.add_user("unconfirmed", "Passw0rd!", UserStatus::Unconfirmed);
    w.add_user("reset", "Passw0rd!", UserStatus::ResetRequired);
    w.add_user("disabled", "Passw0rd!", UserStatus::Confirmed)
        .user
        .enabled = false;
    w.add_user("temp", "Passw0rd!", UserStatus::ForceChangePassword);
    assert_eq!(
        w.initiate("USER_PASSWORD_AUTH", &params("unconfirmed"))
            .err(),
        Some(FlowError::UserNotConfirmed)
    );
    assert_eq!(
        w.initiate("USER_PASSWORD_AUTH", &params("reset")).err(),
        Some(FlowError::PasswordResetRequired)
    );
    assert_eq!(
        w.initiate("USER_PASSWORD_AUTH", &params("disabled")).err(),
        Some(FlowError::UserDisabled)
    );
    // A wrong password is a wrong password whatever the status.
    assert_eq!(
        w.initiate(
            "USER_PASSWORD_AUTH",
            &map(&[("USERNAME", "disabled"), ("PASSWORD", "no")])
        )
        .err(),
        Some(FlowError::IncorrectCredentials { counts: true })
    );
    w.now += 8 * 86_400;
    assert_eq!(
        w.initiate("USER_PASSWORD_AUTH", &params("temp")).err(),
        Some(FlowError::TemporaryPasswordExpired)
    );
}

/// FORCE_CHANGE_PASSWORD → NEW_PASSWORD_REQUIRED with Cognito's JSON-string parameters; the
/// policy and the required attributes are enforced; afterwards the new password works.
#[test]
fn new_password_required() {
    let mut w = World::new(6);
    w.add_user("carol", "Temp0rary!", UserStatus::ForceChangePassword);
    let params = map(&[("USERNAME", "carol"), ("PASSWORD", "Temp0rary!")]);
    let c = w
        .initiate("USER_PASSWORD_AUTH", &params)
        .expect("challenge");
    let c = c.challenge().expect("challenge").clone();
    assert_eq!(c.name, "NEW_PASSWORD_REQUIRED");
    assert_eq!(c.parameters["requiredAttributes"], "[]");
    assert_eq!(
        c.parameters["userAttributes"],
        "{\"email\":\"carol@example.com\"}"
    );
    assert_eq!(c.parameters["USER_ID_FOR_SRP"], "carol");
    let session = c.session.expect("session");
    assert!(session.len() >= MIN_SESSION_LEN);
    assert_eq!(
        w.respond(
            "NEW_PASSWORD_REQUIRED",
            Some(&session),
            &map(&[("USERNAME", "carol"), ("NEW_PASSWORD", "short")])
        )
        .err(),
        Some(FlowError::Model(user_pool_model::Error::InvalidPassword(
            "Password not long enough"
        )))
    );
    assert_eq!(
        w.respond(
            "NEW_PASSWORD_REQUIRED",
            Some(&session),
            &map(&[
                ("USERNAME", "carol"),
                ("NEW_PASSWORD", "N3wPassw0rd!"),
                ("userAttributes.sub", "x")
            ])
        )
        .err()
        .map(|e| e.to_string()),
        Some("Cannot modify the non-mutable attribute sub".to_owned()),
        "a refused new password leaves the session usable"
    );
}

#[test]
fn new_password_then_sign_in_with_it() {
    let mut w = World::new(7);
    w.add_user("carol", "Temp0rary!", UserStatus::ForceChangePassword);
    let c = w
        .initiate(
            "USER_PASSWORD_AUTH",
            &map(&[("USERNAME", "carol"), ("PASSWORD", "Temp0rary!")]),
        )
        .expect("challenge");
    let session = c
        .challenge()
        .and_then(|c| c.session.clone())
        .expect("session");
    let Reply::Tokens(a) = w
        .respond(
            "NEW_PASSWORD_REQUIRED",
            Some(&session),
            &map(&[
                ("USERNAME", "carol"),
                ("NEW_PASSWORD", "N3wPassw0rd!"),
                ("userAttributes.name", "Carol"),
            ]),
        )
        .expect("tokens")
    else {
        panic!("tokens");
    };
    assert_eq!(a.token_source(), TokenSource::NewPasswordChallenge);
    assert_eq!(w.users["carol"].user.status, UserStatus::Confirmed);
    assert_eq!(w.users["carol"].user.attributes["name"], "Carol");
    assert!(matches!(
        w.initiate(
            "USER_PASSWORD_AUTH",
            &map(&[("USERNAME", "carol"), ("PASSWORD", "N3wPassw0rd!")])
        ),
        Ok(Reply::Tokens(_))
    ));
    assert_eq!(
        w.initiate(
            "USER_PASSWORD_AUTH",
            &map(&[("USERNAME", "carol"), ("PASSWORD", "Temp0rary!")])
        )
        .err(),
        Some(FlowError::IncorrectCredentials { counts: true })
    );
}

/// REFRESH_TOKEN_AUTH: the grant's client, revocation, expiry, user and device binding.
#[test]
fn refresh_checks() {
    let mut w = World::new(8);
    w.add_user("alice", "Passw0rd!", UserStatus::Confirmed);
    let Initiate::Refresh(request) = Initiate::parse(
        "REFRESH_TOKEN",
        &map(&[("REFRESH_TOKEN", "opaque"), ("DEVICE_KEY", "dev1")]),
        &w.client,
        false,
    )
    .expect("parse") else {
        panic!("refresh");
    };
    assert_eq!(format!("{:?}", request.token()), "RefreshToken(<redacted>)");
    let stored = w.users["alice"].clone();
    let account = Account::new(&stored.user);
    let grant = RefreshGrant {
        client_id: CLIENT_ID,
        username: "alice",
        expires_at: w.now + 10,
        revoked: false,
        device_key: Some("dev1"),
    };
    let mut rng = w.rng.clone();
    let cx = FlowContext {
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
    let check =
        |g: Option<RefreshGrant<'_>>, device: Option<&str>, account: Option<&Account<'_>>| {
            RefreshRequest::new("opaque", device.map(str::to_owned)).check(g.as_ref(), account, &cx)
        };
    let ok = check(Some(grant), Some("dev1"), Some(&account)).expect("refreshed");
    assert_eq!(ok.token_source(), TokenSource::RefreshTokens);
    assert_eq!(ok.device_key(), Some("dev1"));
    assert_eq!(
        check(None, None, Some(&account)).err(),
        Some(FlowError::InvalidRefreshToken)
    );
    assert_eq!(
        check(
            Some(RefreshGrant {
                client_id: "other",
                ..grant
            }),
            Some("dev1"),
            Some(&account)
        )
        .err(),
        Some(FlowError::InvalidRefreshToken)
    );
    assert_eq!(
        check(
            Some(RefreshGrant {
                revoked: true,
                ..grant
            }),
            Some("dev1"),
            Some(&account)
        )
        .err(),
        Some(FlowError::RefreshTokenRevoked)
    );
    assert_eq!(
        check(
            Some(RefreshGrant {
                expires_at: w.now,
                ..grant
            }),
            Some("dev1"),
            Some(&account)
        )
        .err(),
        Some(FlowError::RefreshTokenExpired)
    );
    assert_eq!(
        check(Some(grant), None, Some(&account)).err(),
        Some(FlowError::InvalidRefreshToken)
    );
    assert_eq!(
        check(Some(grant), Some("dev1"), None).err(),
        Some(FlowError::InvalidRefreshToken)
    );
    let mut disabled = stored.user.clone();
    disabled.enabled = false;
    assert_eq!(
        check(Some(grant), Some("dev1"), Some(&Account::new(&disabled))).err(),
        Some(FlowError::UserDisabled)
    );
}
