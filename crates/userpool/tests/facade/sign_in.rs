//! InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge, AdminRespondToAuthChallenge.

use userpool::wire::*;

use super::support::*;

#[tokio::test]
async fn srp_sign_in_issues_tokens_that_verify_with_the_jwks() {
    let mut w = world!();
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    w.user(&client, "alice", PASSWORD).await;
    let signed_in = w
        .srp_sign_in(&client, "alice", PASSWORD)
        .await
        .expect("sign in");
    assert!(signed_in.challenge_name.is_none() && signed_in.session.is_none());
    let t = tokens(&signed_in);
    assert_eq!((t.token_type.as_str(), t.expires_in), ("Bearer", 3600));
    assert!(t.refresh_token.is_some());

    let view = w.service.user_pool(&pool).await.expect("view");
    assert_eq!(view.issuer(), format!("http://localhost:9229/{pool}"));
    let jwks = jwt_tokens::Jwks::parse(view.jwks().to_json().as_bytes()).expect("jwks");
    let verifier = jwt_tokens::Verifier::from_jwks(&jwks).expect("verifier");
    let id = verifier
        .verify(
            t.id_token.expose_secret(),
            &jwt_tokens::Validation::id_token(view.issuer(), client.as_str()),
            w.now(),
        )
        .expect("id token");
    assert_eq!(
        id.get("cognito:username").and_then(|v| v.as_str()),
        Some("alice")
    );
    assert_eq!(
        id.get("email_verified"),
        Some(&serde_json::Value::Bool(true)),
        "a JSON boolean"
    );
    assert_eq!(
        id.get("email").and_then(|v| v.as_str()),
        Some("alice@example.com")
    );
    let access = view
        .verify_access_token(t.access_token.expose_secret(), w.now())
        .expect("access token");
    assert_eq!(access.scopes(), vec![userpool::ADMIN_SCOPE]);
    assert_eq!(access.username(), Some("alice"));
    assert_eq!(access.client_id(), Some(client.as_str()));
    let (id_claims, access_claims) = (
        claims(t.id_token.expose_secret()),
        claims(t.access_token.expose_secret()),
    );
    assert_eq!(id_claims["origin_jti"], access_claims["origin_jti"]);
    assert_eq!(id_claims["event_id"], access_claims["event_id"]);
    assert_ne!(id_claims["jti"], access_claims["jti"]);
    assert!(id_claims.get("scope").is_none() && access_claims.get("aud").is_none());

    let me = w
        .service
        .accounts()
        .get_user(AccessTokenRequest {
            access_token: t.access_token.clone(),
        })
        .await
        .expect("get user");
    assert_eq!(me.username, "alice");
    assert!(me.user_status.is_none(), "GetUser has no admin members");
}

#[tokio::test]
async fn wrong_passwords_and_missing_users_answer_like_cognito() {
    let mut w = world!();
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    w.user(&client, "alice", PASSWORD).await;
    assert_error(
        w.srp_sign_in(&client, "alice", "Wrong-passw0rd").await,
        "NotAuthorizedException",
        "Incorrect username or password.",
    );
    assert_error(
        w.password_sign_in(&client, "alice", "Wrong-passw0rd").await,
        "NotAuthorizedException",
        "Incorrect username or password.",
    );
    tokens(
        &w.password_sign_in(&client, "alice", PASSWORD)
            .await
            .expect("password flow"),
    );

    let ghost = w
        .service
        .sign_in()
        .initiate_auth(InitiateAuthRequest {
            client_id: client.clone(),
            auth_flow: "USER_SRP_AUTH".into(),
            auth_parameters: SecretMap::of(&[
                ("USERNAME", "ghost"),
                (
                    "SRP_A",
                    &srp::ClientHandshake::start(&mut w.rng).unwrap().srp_a(),
                ),
            ]),
            ..Default::default()
        })
        .await;
    assert_error(ghost, "UserNotFoundException", "User does not exist.");

    // With PreventUserExistenceErrors the SRP flow simulates a user and fails at the answer.
    let hidden = w
        .client_with(&pool, |c| {
            c.prevent_user_existence_errors = Some("ENABLED".into())
        })
        .await
        .client_id;
    assert_error(
        w.srp_sign_in(&hidden, "ghost", PASSWORD).await,
        "NotAuthorizedException",
        "Incorrect username or password.",
    );
    assert_error(
        w.password_sign_in(&hidden, "ghost", PASSWORD).await,
        "NotAuthorizedException",
        "Incorrect username or password.",
    );
}

#[tokio::test]
async fn unconfirmed_and_disabled_users_cannot_sign_in() {
    let mut w = world!();
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    w.service
        .accounts()
        .sign_up(SignUpRequest {
            client_id: client.clone(),
            username: "bob".into(),
            password: PASSWORD.into(),
            ..Default::default()
        })
        .await
        .expect("sign up");
    assert_error(
        w.password_sign_in(&client, "bob", PASSWORD).await,
        "UserNotConfirmedException",
        "User is not confirmed.",
    );
    w.user(&client, "alice", PASSWORD).await;
    let t = tokens(
        &w.srp_sign_in(&client, "alice", PASSWORD)
            .await
            .expect("sign in"),
    )
    .clone();
    w.service
        .accounts()
        .admin_disable_user(AdminUserRequest {
            user_pool_id: pool.clone(),
            username: "alice".into(),
            ..Default::default()
        })
        .await
        .expect("disable");
    assert_error(
        w.password_sign_in(&client, "alice", PASSWORD).await,
        "NotAuthorizedException",
        "User is disabled.",
    );
    assert_error(
        w.service
            .accounts()
            .get_user(AccessTokenRequest {
                access_token: t.access_token.clone(),
            })
            .await,
        "NotAuthorizedException",
        "Access Token has been revoked",
    );
    w.service
        .accounts()
        .admin_enable_user(AdminUserRequest {
            user_pool_id: pool.clone(),
            username: "alice".into(),
            ..Default::default()
        })
        .await
        .expect("enable");
    assert_error(
        w.service
            .accounts()
            .get_user(AccessTokenRequest {
                access_token: t.access_token,
            })
            .await,
        "NotAuthorizedException",
        "Access Token has been revoked",
    );
    tokens(
        &w.srp_sign_in(&client, "alice", PASSWORD)
            .await
            .expect("signs in again"),
    );
}

/// Concurrent copies of one PASSWORD_VERIFIER answer: exactly one gets tokens (the session is
/// spent in the same store write as the refresh-token family), the rest are refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_copies_of_one_answer_sign_in_once() {
    let mut w = world!();
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    w.user(&client, "alice", PASSWORD).await;
    let (handshake, challenge) = w.srp_challenge(&client, "alice").await.expect("challenge");
    let answer = RespondToAuthChallengeRequest {
        client_id: client.clone(),
        challenge_name: "PASSWORD_VERIFIER".into(),
        challenge_responses: w.password_claim(&pool, handshake, &challenge, PASSWORD),
        ..Default::default()
    };
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (service, answer) = (w.service.clone(), answer.clone());
            tokio::spawn(async move { service.sign_in().respond_to_auth_challenge(answer).await })
        })
        .collect();
    let mut signed_in = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(r) => {
                tokens(&r);
                signed_in += 1;
            }
            Err(e) => assert_eq!(
                (e.exception_name(), e.message()),
                ("NotAuthorizedException", "Invalid session for the user.")
            ),
        }
    }
    assert_eq!(signed_in, 1);
}

#[tokio::test]
async fn a_password_verifier_answer_is_single_use() {
    let mut w = world!();
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    w.user(&client, "alice", PASSWORD).await;
    let (handshake, challenge) = w.srp_challenge(&client, "alice").await.expect("challenge");
    let responses = w.password_claim(&pool, handshake, &challenge, PASSWORD);
    let answer = RespondToAuthChallengeRequest {
        client_id: client.clone(),
        challenge_name: "PASSWORD_VERIFIER".into(),
        challenge_responses: responses,
        ..Default::default()
    };
    tokens(
        &w.service
            .sign_in()
            .respond_to_auth_challenge(answer.clone())
            .await
            .expect("first"),
    );
    assert_error(
        w.service
            .sign_in()
            .respond_to_auth_challenge(answer.clone())
            .await,
        "NotAuthorizedException",
        "Invalid session for the user.",
    );
    // Another client cannot use it either, nor can a tampered block open.
    let other = w.client(&pool).await;
    assert_kind(
        w.service
            .sign_in()
            .respond_to_auth_challenge(RespondToAuthChallengeRequest {
                client_id: other,
                ..answer.clone()
            })
            .await,
        "NotAuthorizedException",
    );
    let mut tampered = answer.clone();
    let block = tampered
        .challenge_responses
        .0
        .get_mut("PASSWORD_CLAIM_SECRET_BLOCK")
        .unwrap();
    block.replace_range(10..14, "AAAA");
    assert_kind(
        w.service
            .sign_in()
            .respond_to_auth_challenge(tampered)
            .await,
        "NotAuthorizedException",
    );
    // A session older than the client's AuthSessionValidity is refused.
    let (handshake, challenge) = w.srp_challenge(&client, "alice").await.expect("challenge");
    w.clock.advance(181);
    let responses = w.password_claim(&pool, handshake, &challenge, PASSWORD);
    assert_error(
        w.service
            .sign_in()
            .respond_to_auth_challenge(RespondToAuthChallengeRequest {
                client_id: client,
                challenge_name: "PASSWORD_VERIFIER".into(),
                challenge_responses: responses,
                ..Default::default()
            })
            .await,
        "NotAuthorizedException",
        "Invalid session for the user, session is expired.",
    );
}

#[tokio::test]
async fn lockout_counts_failures_across_flows_on_the_virtual_clock() {
    let mut w = world!();
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    w.user(&client, "alice", PASSWORD).await;
    for _ in 0..5 {
        assert_kind(
            w.password_sign_in(&client, "alice", "Wrong-passw0rd").await,
            "NotAuthorizedException",
        );
    }
    assert_kind(
        w.srp_sign_in(&client, "alice", "Wrong-passw0rd").await,
        "NotAuthorizedException",
    );
    assert_error(
        w.password_sign_in(&client, "alice", PASSWORD).await,
        "NotAuthorizedException",
        "Password attempts exceeded",
    );
    w.clock.advance(900);
    tokens(
        &w.password_sign_in(&client, "alice", PASSWORD)
            .await
            .expect("after the lockout"),
    );
}

#[tokio::test]
async fn admin_flows_are_admin_only() {
    let w = world!();
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    w.user(&client, "alice", PASSWORD).await;
    let req = InitiateAuthRequest {
        user_pool_id: Some(pool.clone()),
        client_id: client.clone(),
        auth_flow: "ADMIN_USER_PASSWORD_AUTH".into(),
        auth_parameters: SecretMap::of(&[("USERNAME", "alice"), ("PASSWORD", PASSWORD)]),
        ..Default::default()
    };
    assert_error(
        w.service.sign_in().initiate_auth(req.clone()).await,
        "InvalidParameterException",
        "Initiate Auth method not supported",
    );
    tokens(
        &w.service
            .sign_in()
            .admin_initiate_auth(req.clone())
            .await
            .expect("admin"),
    );
    let not_enabled = w
        .client_with(&pool, |c| {
            c.explicit_auth_flows = Some(vec!["ALLOW_USER_SRP_AUTH".into()])
        })
        .await
        .client_id;
    assert_kind(
        w.password_sign_in(&not_enabled, "alice", PASSWORD).await,
        "InvalidParameterException",
    );
    assert_kind(
        w.service
            .sign_in()
            .admin_initiate_auth(InitiateAuthRequest {
                auth_flow: "NOPE".into(),
                ..req
            })
            .await,
        "InvalidParameterException",
    );
}

/// Enum members are checked before anything is looked up: an unknown `AuthFlow` or
/// `ChallengeName` is `InvalidParameterException` even with a client that does not exist.
#[tokio::test]
async fn unknown_flow_and_challenge_names_are_refused_before_the_client_is_looked_up() {
    let w = world!();
    let pool = w.pool().await;
    let missing = "1example23456789abcdefghij".to_owned();
    let initiate = InitiateAuthRequest {
        client_id: missing.clone(),
        auth_flow: "USER_PASSWORD_AUTH\u{0}".into(),
        auth_parameters: SecretMap::of(&[("USERNAME", "alice"), ("PASSWORD", PASSWORD)]),
        ..Default::default()
    };
    let flow_message = "1 validation error detected: Value at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set";
    assert_error(
        w.service.sign_in().initiate_auth(initiate.clone()).await,
        "InvalidParameterException",
        flow_message,
    );
    assert_error(
        w.service
            .sign_in()
            .admin_initiate_auth(InitiateAuthRequest {
                user_pool_id: Some("us-east-1_Missing123".into()),
                ..initiate.clone()
            })
            .await,
        "InvalidParameterException",
        flow_message,
    );
    // A known flow with the same missing client is the lookup's answer.
    assert_kind(
        w.service
            .sign_in()
            .initiate_auth(InitiateAuthRequest {
                auth_flow: "USER_PASSWORD_AUTH".into(),
                ..initiate
            })
            .await,
        "ResourceNotFoundException",
    );
    let respond = RespondToAuthChallengeRequest {
        client_id: missing,
        challenge_name: "NOPE".into(),
        ..Default::default()
    };
    let challenge_message = "1 validation error detected: Value at 'challengeName' failed to satisfy constraint: Member must satisfy enum value set";
    assert_error(
        w.service
            .sign_in()
            .respond_to_auth_challenge(respond.clone())
            .await,
        "InvalidParameterException",
        challenge_message,
    );
    assert_error(
        w.service
            .sign_in()
            .admin_respond_to_auth_challenge(RespondToAuthChallengeRequest {
                user_pool_id: Some(pool),
                ..respond.clone()
            })
            .await,
        "InvalidParameterException",
        challenge_message,
    );
    for known in ["PASSWORD_VERIFIER", "ADMIN_NO_SRP_AUTH"] {
        assert_kind(
            w.service
                .sign_in()
                .respond_to_auth_challenge(RespondToAuthChallengeRequest {
                    challenge_name: known.into(),
                    ..respond.clone()
                })
                .await,
            "ResourceNotFoundException",
        );
    }
}

#[tokio::test]
async fn admin_created_users_set_a_new_password_at_first_sign_in() {
    let w = world!();
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    let created = w
        .service
        .accounts()
        .admin_create_user(AdminCreateUserRequest {
            user_pool_id: pool.clone(),
            username: "carol".into(),
            user_attributes: vec![
                Attribute::new("email", "carol@example.com"),
                Attribute::new("email_verified", "true"),
            ],
            desired_delivery_mediums: vec!["EMAIL".into()],
            ..Default::default()
        })
        .await
        .expect("create");
    assert_eq!(created.user.user_status, "FORCE_CHANGE_PASSWORD");
    let invitation = w
        .outbox
        .messages_for(&pool, "carol")
        .pop()
        .expect("invitation");
    assert_eq!(invitation.subject, "Your temporary password");
    assert!(
        invitation
            .body
            .starts_with("Your username is carol and temporary password is ")
    );
    let temporary = invitation.code.clone();
    let challenge = w
        .password_sign_in(&client, "carol", &temporary)
        .await
        .expect("challenge");
    assert_eq!(
        challenge.challenge_name.as_deref(),
        Some("NEW_PASSWORD_REQUIRED")
    );
    let session = challenge.session.clone().expect("session");
    assert!(
        session.expose_secret().len() >= 20,
        "boto3 needs at least 20 characters"
    );
    let answer = |password: &str| RespondToAuthChallengeRequest {
        client_id: client.clone(),
        challenge_name: "NEW_PASSWORD_REQUIRED".into(),
        session: Some(session.clone()),
        challenge_responses: SecretMap::of(&[("USERNAME", "carol"), ("NEW_PASSWORD", password)]),
        ..Default::default()
    };
    assert_kind(
        w.service
            .sign_in()
            .respond_to_auth_challenge(answer("short"))
            .await,
        "InvalidPasswordException",
    );
    tokens(
        &w.service
            .sign_in()
            .respond_to_auth_challenge(answer("N3w-passw0rd!"))
            .await
            .expect("tokens after the new password"),
    );
    let user = w
        .service
        .accounts()
        .admin_get_user(AdminUserRequest {
            user_pool_id: pool.clone(),
            username: "carol".into(),
            ..Default::default()
        })
        .await
        .expect("user");
    assert_eq!(user.user_status.as_deref(), Some("CONFIRMED"));
    tokens(
        &w.password_sign_in(&client, "carol", "N3w-passw0rd!")
            .await
            .expect("new password"),
    );
    assert_kind(
        w.password_sign_in(&client, "carol", &temporary).await,
        "NotAuthorizedException",
    );

    // RESEND is for invited users only; a temporary password expires.
    assert_kind(
        w.service
            .accounts()
            .admin_create_user(AdminCreateUserRequest {
                user_pool_id: pool.clone(),
                username: "carol".into(),
                message_action: Some("RESEND".into()),
                ..Default::default()
            })
            .await,
        "UnsupportedUserStateException",
    );
    w.service
        .accounts()
        .admin_create_user(AdminCreateUserRequest {
            user_pool_id: pool.clone(),
            username: "dan".into(),
            temporary_password: Some("Temp-passw0rd!".into()),
            message_action: Some("SUPPRESS".into()),
            ..Default::default()
        })
        .await
        .expect("dan");
    assert!(
        w.outbox.messages_for(&pool, "dan").is_empty(),
        "SUPPRESS sends nothing"
    );
    w.clock.advance(7 * 86_400 + 1);
    assert_error(
        w.password_sign_in(&client, "dan", "Temp-passw0rd!").await,
        "NotAuthorizedException",
        "Temporary password has expired and must be reset by an administrator.",
    );
    assert_kind(
        w.service
            .accounts()
            .admin_create_user(AdminCreateUserRequest {
                user_pool_id: pool.clone(),
                username: "dan".into(),
                ..Default::default()
            })
            .await,
        "UsernameExistsException",
    );
}

/// Alice's sealed verifier as the store holds it, opened: its length says whether it has
/// its powers (1,536 bytes) or not (384).
async fn stored_verifier_len(store: &dyn userpool_store::Store, pool: &str) -> usize {
    let user = stored_user(store, pool, "alice").await;
    let sealer = userpool::Sealer::new(
        &userpool::MasterKey::new([42; 32]),
        userpool::Purpose::AtRest,
        pool,
    );
    let context = format!("verifier:{}", user.sub);
    sealer
        .open(&user.password.unwrap().verifier, context.as_bytes())
        .unwrap()
        .len()
}

#[tokio::test]
async fn a_verifier_stored_without_its_powers_gets_them_at_the_next_sign_in() {
    let Some(store) = fresh_store() else {
        return;
    };
    let mut w = World::on(store.clone());
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    w.user(&client, "alice", PASSWORD).await;
    assert_eq!(stored_verifier_len(store.as_ref(), &pool).await, 1536);

    // Make it what a version before the powers stored: `v` alone.
    let id = user_pool_model::UserPoolId::parse(&pool).unwrap();
    let mut user = stored_user(store.as_ref(), &pool, "alice").await;
    let sealer = userpool::Sealer::new(
        &userpool::MasterKey::new([42; 32]),
        userpool::Purpose::AtRest,
        &pool,
    );
    let context = format!("verifier:{}", user.sub);
    let record = user.password.as_mut().unwrap();
    let plain = sealer.open(&record.verifier, context.as_bytes()).unwrap();
    record.verifier = sealer.seal(plain.get(..384).unwrap(), context.as_bytes(), [9; 12]);
    let config = store.get_pool(&id).await.unwrap();
    let keys = userpool_store::UserKeys::for_user(&user, &config);
    store.update_user(&id, user, &keys).await.unwrap();
    assert_eq!(stored_verifier_len(store.as_ref(), &pool).await, 384);

    // The legacy verifier signs in (generic path), and is upgraded by it.
    w.srp_sign_in(&client, "alice", PASSWORD)
        .await
        .expect("sign-in with the legacy verifier");
    assert_eq!(stored_verifier_len(store.as_ref(), &pool).await, 1536);
    w.srp_sign_in(&client, "alice", PASSWORD)
        .await
        .expect("sign-in with the upgraded verifier");
    // A wrong password upgrades nothing and is refused as before.
    assert_kind(
        w.srp_sign_in(&client, "alice", "Wrong-Passw0rd!").await,
        "NotAuthorizedException",
    );
}

#[tokio::test]
async fn the_srp_client_helper_signs_in_in_three_calls_with_a_client_secret() {
    use rand_core::SeedableRng as _;
    let w = world!();
    let pool = w.pool().await;
    let client = w.client_with(&pool, |c| c.generate_secret = true).await;
    let secret = client
        .client_secret
        .as_ref()
        .expect("a secret")
        .expose_secret()
        .to_owned();
    let id = client.client_id.clone();
    let plain = w.client(&pool).await;
    w.user(&plain, "alice", PASSWORD).await;
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(5);

    let start = userpool::SrpSignIn::start(&mut rng, &id, "alice")
        .expect("start")
        .client_secret(&secret);
    let challenge = w
        .service
        .sign_in()
        .initiate_auth(start.initiate_request())
        .await
        .expect("challenge");
    let answer = start
        .answer(&pool, &challenge, PASSWORD, w.now())
        .expect("answer");
    let done = w
        .service
        .sign_in()
        .respond_to_auth_challenge(answer)
        .await
        .expect("tokens");
    assert!(done.authentication_result.is_some());

    // A wrong password is the server's refusal, not the helper's.
    let start = userpool::SrpSignIn::start(&mut rng, &id, "alice")
        .expect("start")
        .client_secret(&secret);
    let challenge = w
        .service
        .sign_in()
        .initiate_auth(start.initiate_request())
        .await
        .expect("challenge");
    let answer = start
        .answer(&pool, &challenge, "Wrong-password-1", w.now())
        .expect("answer");
    assert_error(
        w.service.sign_in().respond_to_auth_challenge(answer).await,
        "NotAuthorizedException",
        "Incorrect username or password.",
    );

    // Anything but a PASSWORD_VERIFIER is not answered.
    let start = userpool::SrpSignIn::start(&mut rng, &id, "alice").expect("start");
    assert_error(
        start.answer(&pool, &AuthResponse::default(), PASSWORD, w.now()),
        "InvalidParameterException",
        "the answer is not a PASSWORD_VERIFIER challenge",
    );
}
