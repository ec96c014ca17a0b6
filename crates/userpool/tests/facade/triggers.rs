//! Triggers as Rust closures: PreSignUp, PostConfirmation, PreTokenGeneration, CustomMessage
//! and the custom-auth trio, with Cognito's failure semantics.

use custom_auth_triggers::events::*;
use custom_auth_triggers::{
    CreateAuthChallenge, CustomMessage, DefineAuthChallenge, PostConfirmation, PreSignUp,
    PreTokenGeneration, TriggerKind, TriggerRegistry, VerifyAuthChallengeResponse, handler_fn,
};
use userpool::wire::*;

use super::support::*;

fn sign_up(client: &str, username: &str) -> SignUpRequest {
    SignUpRequest {
        client_id: client.into(),
        username: username.into(),
        password: PASSWORD.into(),
        user_attributes: vec![Attribute::new("email", format!("{username}@example.com"))],
        ..Default::default()
    }
}

async fn world_with(w: World, registry: TriggerRegistry) -> (World, String, String) {
    let pool = w.pool().await;
    w.service.set_triggers(&pool, registry).unwrap();
    let client = w.client(&pool).await;
    (w, pool, client)
}

#[tokio::test]
async fn pre_sign_up_rejects_without_a_trace_and_auto_confirms() {
    let registry = TriggerRegistry::new().with(
        TriggerKind::PreSignUp,
        handler_fn::<PreSignUp, _, _>(|event| async move {
            if event.user_name.starts_with("bad") {
                Err("no bad users".into())
            } else {
                Ok(PreSignUpResponse {
                    auto_confirm_user: true,
                    auto_verify_email: true,
                    ..Default::default()
                })
            }
        }),
    );
    let (w, pool, client) = world_with(world!(), registry).await;
    assert_error(
        w.service
            .accounts()
            .sign_up(sign_up(&client, "badguy"))
            .await,
        "UserLambdaValidationException",
        "PreSignUp failed with error no bad users.",
    );
    assert_kind(
        w.service
            .accounts()
            .admin_get_user(AdminUserRequest {
                user_pool_id: pool.clone(),
                username: "badguy".into(),
                ..Default::default()
            })
            .await,
        "UserNotFoundException",
    );
    let out = w
        .service
        .accounts()
        .sign_up(sign_up(&client, "good"))
        .await
        .expect("sign up");
    assert!(out.user_confirmed && out.code_delivery_details.is_none());
    assert!(
        w.outbox.messages_for(&pool, "good").is_empty(),
        "no code for a confirmed user"
    );
    tokens(
        &w.password_sign_in(&client, "good", PASSWORD)
            .await
            .expect("signs in at once"),
    );
}

#[tokio::test]
async fn post_confirmation_failure_is_reported_after_the_confirmation() {
    let registry = TriggerRegistry::new().with(
        TriggerKind::PostConfirmation,
        handler_fn::<PostConfirmation, _, _>(|_| async move { Err("welcome mail failed".into()) }),
    );
    let (w, pool, client) = world_with(world!(), registry).await;
    w.service
        .accounts()
        .sign_up(sign_up(&client, "alice"))
        .await
        .unwrap();
    let code = w.outbox.last_code(&pool, "alice").unwrap();
    assert_error(
        w.service
            .accounts()
            .confirm_sign_up(ConfirmSignUpRequest {
                client_id: client.clone(),
                username: "alice".into(),
                confirmation_code: code.as_str().into(),
                ..Default::default()
            })
            .await,
        "UserLambdaValidationException",
        "PostConfirmation failed with error welcome mail failed.",
    );
    let user = w
        .service
        .accounts()
        .admin_get_user(AdminUserRequest {
            user_pool_id: pool,
            username: "alice".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(user.user_status.as_deref(), Some("CONFIRMED"));
}

#[tokio::test]
async fn pre_token_generation_and_custom_message_shape_the_output() {
    let registry = TriggerRegistry::new()
        .with(
            TriggerKind::PreTokenGeneration,
            handler_fn::<PreTokenGeneration, _, _>(|event| async move {
                let mut add = StringMap::new();
                add.insert("tenant".into(), format!("t-{}", event.user_name));
                Ok(PreTokenGenerationResponse {
                    claims_override_details: Some(ClaimsOverrideDetails {
                        claims_to_add_or_override: Some(add),
                        claims_to_suppress: Some(vec!["email".into(), "sub".into()]),
                        group_override_details: None,
                    }),
                    ..Default::default()
                })
            }),
        )
        .with(
            TriggerKind::CustomMessage,
            handler_fn::<CustomMessage, _, _>(|event| async move {
                Ok(CustomMessageResponse {
                    email_message: Some(format!("Welcome! Code: {}", event.request.code_parameter)),
                    email_subject: Some("Welcome".into()),
                    ..Default::default()
                })
            }),
        );
    let (w, pool, client) = world_with(world!(), registry).await;
    w.user(&client, "alice", PASSWORD).await;
    let message = w.outbox.messages_for(&pool, "alice").pop().unwrap();
    assert_eq!(
        (message.subject.as_str(), message.body.clone()),
        ("Welcome", format!("Welcome! Code: {}", message.code))
    );
    let t = tokens(
        &w.password_sign_in(&client, "alice", PASSWORD)
            .await
            .unwrap(),
    )
    .clone();
    let id = claims(t.id_token.expose_secret());
    assert_eq!(id["tenant"], "t-alice");
    assert!(id.get("email").is_none(), "suppressed");
    assert!(
        id.get("sub").is_some(),
        "protected claims cannot be suppressed"
    );
}

#[tokio::test]
async fn custom_auth_with_closures() {
    let registry = TriggerRegistry::new()
        .with(
            TriggerKind::DefineAuthChallenge,
            handler_fn::<DefineAuthChallenge, _, _>(|event| async move {
                let session = &event.request.session;
                Ok(match session.last() {
                    Some(r) if r.challenge_name == "CUSTOM_CHALLENGE" && r.challenge_result => {
                        DefineAuthChallengeResponse {
                            issue_tokens: true,
                            ..Default::default()
                        }
                    }
                    _ if session.len() >= 3 => DefineAuthChallengeResponse {
                        fail_authentication: true,
                        ..Default::default()
                    },
                    _ => DefineAuthChallengeResponse {
                        challenge_name: Some("CUSTOM_CHALLENGE".into()),
                        ..Default::default()
                    },
                })
            }),
        )
        .with(
            TriggerKind::CreateAuthChallenge,
            handler_fn::<CreateAuthChallenge, _, _>(|_| async move {
                Ok(CreateAuthChallengeResponse {
                    public_challenge_parameters: [("question".to_owned(), "6 x 7?".to_owned())]
                        .into(),
                    private_challenge_parameters: [("answer".to_owned(), "42".to_owned())].into(),
                    challenge_metadata: Some("QUIZ".into()),
                })
            }),
        )
        .with(
            TriggerKind::VerifyAuthChallengeResponse,
            handler_fn::<VerifyAuthChallengeResponse, _, _>(|event| async move {
                Ok(custom_auth_triggers::events::VerifyAuthChallengeResponse {
                    answer_correct: event.request.private_challenge_parameters.get("answer")
                        == Some(&event.request.challenge_answer),
                })
            }),
        );
    let (w, _pool, client) = world_with(world!(), registry).await;
    w.user(&client, "alice", PASSWORD).await;
    let start = w
        .service
        .sign_in()
        .initiate_auth(InitiateAuthRequest {
            client_id: client.clone(),
            auth_flow: "CUSTOM_AUTH".into(),
            auth_parameters: SecretMap::of(&[("USERNAME", "alice")]),
            ..Default::default()
        })
        .await
        .expect("challenge");
    assert_eq!(start.challenge_name.as_deref(), Some("CUSTOM_CHALLENGE"));
    assert_eq!(start.challenge_parameters.get("question"), Some("6 x 7?"));
    assert!(
        start.challenge_parameters.get("answer").is_none(),
        "private parameters stay private"
    );
    let answer = |session: &SecretString, a: &str| RespondToAuthChallengeRequest {
        client_id: client.clone(),
        challenge_name: "CUSTOM_CHALLENGE".into(),
        session: Some(session.clone()),
        challenge_responses: SecretMap::of(&[("USERNAME", "alice"), ("ANSWER", a)]),
        ..Default::default()
    };
    let retry = w
        .service
        .sign_in()
        .respond_to_auth_challenge(answer(start.session.as_ref().unwrap(), "41"))
        .await
        .expect("another round");
    assert_eq!(retry.challenge_name.as_deref(), Some("CUSTOM_CHALLENGE"));
    tokens(
        &w.service
            .sign_in()
            .respond_to_auth_challenge(answer(retry.session.as_ref().unwrap(), "42"))
            .await
            .expect("tokens"),
    );

    let unconfigured = World::on(fresh_store().expect("the suite's store"));
    let pool = unconfigured.pool().await;
    let client = unconfigured.client(&pool).await;
    unconfigured.user(&client, "bob", PASSWORD).await;
    assert_error(
        unconfigured
            .service
            .sign_in()
            .initiate_auth(InitiateAuthRequest {
                client_id: client,
                auth_flow: "CUSTOM_AUTH".into(),
                auth_parameters: SecretMap::of(&[("USERNAME", "bob")]),
                ..Default::default()
            })
            .await,
        "NotAuthorizedException",
        "Custom auth lambda trigger is not configured for the user pool.",
    );
}

#[tokio::test]
async fn user_migration_at_sign_in_and_forgot_password() {
    let registry = TriggerRegistry::new().with(
        TriggerKind::UserMigration,
        handler_fn::<custom_auth_triggers::UserMigration, _, _>(|event| async move {
            if event.user_name != "legacy" && event.user_name != "forgetful" {
                return Ok(UserMigrationResponse::default());
            }
            if let Some(password) = &event.request.password
                && password != "Legacy-passw0rd!"
            {
                return Err("Bad password".into());
            }
            let attributes: StringMap = [
                (
                    "email".to_owned(),
                    format!("{}@old.example", event.user_name),
                ),
                ("email_verified".to_owned(), "true".to_owned()),
            ]
            .into();
            Ok(UserMigrationResponse {
                user_attributes: attributes,
                final_user_status: event
                    .request
                    .password
                    .as_ref()
                    .map(|_| "CONFIRMED".to_owned()),
                message_action: Some("SUPPRESS".into()),
                ..Default::default()
            })
        }),
    );
    let (w, pool, client) = world_with(world!(), registry).await;
    assert_error(
        w.password_sign_in(&client, "legacy", "Wrong-passw0rd!")
            .await,
        "UserLambdaValidationException",
        "UserMigration failed with error Bad password.",
    );
    tokens(
        &w.password_sign_in(&client, "legacy", "Legacy-passw0rd!")
            .await
            .expect("migrated at sign-in"),
    );
    let user = w
        .service
        .accounts()
        .admin_get_user(AdminUserRequest {
            user_pool_id: pool.clone(),
            username: "legacy".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(user.user_status.as_deref(), Some("CONFIRMED"));
    tokens(
        &w.password_sign_in(&client, "legacy", "Legacy-passw0rd!")
            .await
            .expect("now a local user"),
    );
    assert_kind(
        w.password_sign_in(&client, "nobody", "Legacy-passw0rd!")
            .await,
        "UserNotFoundException",
    );

    let sent = w
        .service
        .accounts()
        .forgot_password(ClientUserRequest {
            client_id: client.clone(),
            username: "forgetful".into(),
            ..Default::default()
        })
        .await
        .expect("migrated at ForgotPassword");
    assert_eq!(sent.code_delivery_details.destination, "f***@o***");
    let user = w
        .service
        .accounts()
        .admin_get_user(AdminUserRequest {
            user_pool_id: pool,
            username: "forgetful".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(user.user_status.as_deref(), Some("RESET_REQUIRED"));
}

/// A DefineAuthChallenge that never decides (always one more challenge) cannot keep a sign-in
/// alive: after `MAX_CUSTOM_ROUNDS` (10) answered challenges the sign-in ends with
/// `NotAuthorizedException`.
#[tokio::test]
async fn a_define_that_never_decides_is_cut_off_after_ten_rounds() {
    let registry = TriggerRegistry::new()
        .with(
            TriggerKind::DefineAuthChallenge,
            handler_fn::<DefineAuthChallenge, _, _>(|_| async move {
                Ok(DefineAuthChallengeResponse {
                    challenge_name: Some("CUSTOM_CHALLENGE".into()),
                    ..Default::default()
                })
            }),
        )
        .with(
            TriggerKind::CreateAuthChallenge,
            handler_fn::<CreateAuthChallenge, _, _>(|_| async move {
                Ok(CreateAuthChallengeResponse {
                    public_challenge_parameters: [("q".to_owned(), "?".to_owned())].into(),
                    ..Default::default()
                })
            }),
        )
        .with(
            TriggerKind::VerifyAuthChallengeResponse,
            handler_fn::<VerifyAuthChallengeResponse, _, _>(|_| async move {
                Ok(custom_auth_triggers::events::VerifyAuthChallengeResponse {
                    answer_correct: true,
                })
            }),
        );
    let (w, _pool, client) = world_with(world!(), registry).await;
    w.user(&client, "alice", PASSWORD).await;
    let mut step = w
        .service
        .sign_in()
        .initiate_auth(InitiateAuthRequest {
            client_id: client.clone(),
            auth_flow: "CUSTOM_AUTH".into(),
            auth_parameters: SecretMap::of(&[("USERNAME", "alice")]),
            ..Default::default()
        })
        .await
        .expect("challenge");
    let mut rounds = 0;
    let refused = loop {
        let answer = RespondToAuthChallengeRequest {
            client_id: client.clone(),
            challenge_name: "CUSTOM_CHALLENGE".into(),
            session: step.session.clone(),
            challenge_responses: SecretMap::of(&[("USERNAME", "alice"), ("ANSWER", "x")]),
            ..Default::default()
        };
        rounds += 1;
        match w.service.sign_in().respond_to_auth_challenge(answer).await {
            Ok(next) => {
                assert_eq!(next.challenge_name.as_deref(), Some("CUSTOM_CHALLENGE"));
                step = next;
            }
            Err(e) => break e,
        }
        assert!(rounds < 50, "never cut off");
    };
    assert_eq!(rounds, auth_flow_state_machine::MAX_CUSTOM_ROUNDS);
    assert_eq!(
        (refused.exception_name(), refused.message()),
        ("NotAuthorizedException", "Incorrect username or password.")
    );
}
