//! SignUp, ConfirmSignUp, ResendConfirmationCode, AdminConfirmSignUp.

use user_pool_model::Attribute;
use userpool::wire::*;

use super::support::*;

fn sign_up(client: &str, username: &str, password: &str) -> SignUpRequest {
    SignUpRequest {
        client_id: client.into(),
        username: username.into(),
        password: password.into(),
        user_attributes: vec![Attribute::new("email", format!("{username}@example.com"))],
        ..Default::default()
    }
}

#[tokio::test]
async fn sign_up_sends_a_code_and_confirmation_verifies_the_email() {
    let w = world!();
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    let out = w
        .service
        .accounts()
        .sign_up(sign_up(&client, "alice", PASSWORD))
        .await
        .expect("sign up");
    assert!(!out.user_confirmed);
    let details = out.code_delivery_details.expect("delivery");
    assert_eq!(
        (
            details.destination.as_str(),
            details.delivery_medium.as_str(),
            details.attribute_name.as_str()
        ),
        ("a***@e***", "EMAIL", "email")
    );
    let messages = w.outbox.messages_for(&pool, "alice");
    assert_eq!(messages.len(), 1);
    let code = messages[0].code.clone();
    assert_eq!(code.len(), 6);
    assert_eq!(
        messages[0].body,
        format!("Your verification code is {code}. ")
    );

    let user = w
        .service
        .accounts()
        .admin_get_user(AdminUserRequest {
            user_pool_id: pool.clone(),
            username: "alice".into(),
            ..Default::default()
        })
        .await
        .expect("user");
    assert_eq!(user.user_status.as_deref(), Some("UNCONFIRMED"));
    assert_eq!(user.user_attributes[0].name, "sub");
    assert_eq!(user.user_attributes[0].value, out.user_sub);

    let confirm = |code: &str| ConfirmSignUpRequest {
        client_id: client.clone(),
        username: "alice".into(),
        confirmation_code: code.into(),
        ..Default::default()
    };
    let wrong = if code == "000000" { "111111" } else { "000000" };
    assert_error(
        w.service.accounts().confirm_sign_up(confirm(wrong)).await,
        "CodeMismatchException",
        "Invalid verification code provided, please try again.",
    );
    w.service
        .accounts()
        .confirm_sign_up(confirm(&code))
        .await
        .expect("confirm");
    let user = w
        .service
        .accounts()
        .admin_get_user(AdminUserRequest {
            user_pool_id: pool.clone(),
            username: "alice".into(),
            ..Default::default()
        })
        .await
        .expect("user");
    assert_eq!(user.user_status.as_deref(), Some("CONFIRMED"));
    assert!(
        user.user_attributes
            .contains(&Attribute::new("email_verified", "true"))
    );
    assert_error(
        w.service.accounts().confirm_sign_up(confirm(&code)).await,
        "NotAuthorizedException",
        "User cannot be confirmed. Current status is CONFIRMED",
    );
    assert_error(
        w.service
            .accounts()
            .resend_confirmation_code(ClientUserRequest {
                client_id: client.clone(),
                username: "alice".into(),
                ..Default::default()
            })
            .await,
        "InvalidParameterException",
        "User is already confirmed.",
    );
}

#[tokio::test]
async fn sign_up_errors_follow_cognito() {
    let w = world!();
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    w.service
        .accounts()
        .sign_up(sign_up(&client, "alice", PASSWORD))
        .await
        .expect("sign up");
    assert_error(
        w.service
            .accounts()
            .sign_up(sign_up(&client, "alice", PASSWORD))
            .await,
        "UsernameExistsException",
        "User already exists",
    );
    assert_error(
        w.service
            .accounts()
            .sign_up(sign_up(&client, "bob", "short"))
            .await,
        "InvalidPasswordException",
        "Password did not conform with policy: Password not long enough",
    );
    assert_kind(
        w.service
            .accounts()
            .sign_up(sign_up(&client, "bad name", PASSWORD))
            .await,
        "InvalidParameterException",
    );
    // A password that begins or ends with whitespace of any kind is malformed, not weak.
    for bad in [
        format!("{PASSWORD}\t"),
        format!("{PASSWORD}\n"),
        format!(" {PASSWORD}"),
        format!("{PASSWORD}\u{a0}"),
    ] {
        assert_error(
            w.service
                .accounts()
                .sign_up(sign_up(&client, "erin", &bad))
                .await,
            "InvalidParameterException",
            "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$",
        );
    }
    let mut bad_email = sign_up(&client, "carol", PASSWORD);
    bad_email.user_attributes = vec![Attribute::new("email", "not-an-email")];
    assert_error(
        w.service.accounts().sign_up(bad_email).await,
        "InvalidParameterException",
        "Invalid email address format.",
    );
    let mut verified = sign_up(&client, "dave", PASSWORD);
    verified
        .user_attributes
        .push(Attribute::new("email_verified", "true"));
    assert_error(
        w.service.accounts().sign_up(verified).await,
        "NotAuthorizedException",
        "A client attempted to write unauthorized attribute email_verified",
    );
    assert_error(
        w.service
            .accounts()
            .sign_up(sign_up("nosuchclient", "erin", PASSWORD))
            .await,
        "ResourceNotFoundException",
        "User pool client nosuchclient does not exist.",
    );
    // Nothing half-written: the refused sign-ups left no users.
    let users = w
        .service
        .accounts()
        .list_users(ListUsersRequest {
            user_pool_id: pool.clone(),
            ..Default::default()
        })
        .await
        .expect("list");
    assert_eq!(
        users
            .users
            .iter()
            .map(|u| u.username.as_str())
            .collect::<Vec<_>>(),
        ["alice"]
    );
}

#[tokio::test]
async fn admin_only_pools_refuse_sign_up() {
    let w = world!();
    let pool = w
        .pool_with(|p| {
            p.admin_create_user_config = Some(AdminCreateUserConfigType {
                allow_admin_create_user_only: Some(true),
                ..Default::default()
            })
        })
        .await;
    let client = w.client(&pool).await;
    assert_error(
        w.service
            .accounts()
            .sign_up(sign_up(&client, "alice", PASSWORD))
            .await,
        "NotAuthorizedException",
        "SignUp is not permitted for this user pool",
    );
}

#[tokio::test]
async fn secret_clients_need_the_secret_hash() {
    let w = world!();
    let pool = w.pool().await;
    let client = w.client_with(&pool, |c| c.generate_secret = true).await;
    let id = client.client_id.clone();
    assert_error(
        w.service
            .accounts()
            .sign_up(sign_up(&id, "alice", PASSWORD))
            .await,
        "NotAuthorizedException",
        &format!("Client {id} is configured with secret but SECRET_HASH was not received"),
    );
    let secret = user_pool_model::ClientSecret::parse(
        client.client_secret.as_ref().unwrap().expose_secret(),
    )
    .unwrap();
    let hash = user_pool_model::secret_hash(
        &secret,
        "alice",
        &user_pool_model::ClientId::parse(&id).unwrap(),
    );
    let mut req = sign_up(&id, "alice", PASSWORD);
    req.secret_hash = Some(hash.into());
    w.service
        .accounts()
        .sign_up(req)
        .await
        .expect("with the hash");
    let mut wrong = sign_up(&id, "bob", PASSWORD);
    wrong.secret_hash = Some(
        user_pool_model::secret_hash(
            &secret,
            "alice",
            &user_pool_model::ClientId::parse(&id).unwrap(),
        )
        .into(),
    );
    assert_error(
        w.service.accounts().sign_up(wrong).await,
        "NotAuthorizedException",
        &format!("Unable to verify secret hash for client {id}"),
    );
}

#[tokio::test]
async fn resend_replaces_the_code_and_unknown_users_follow_the_client_setting() {
    let w = world!();
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    w.service
        .accounts()
        .sign_up(sign_up(&client, "alice", PASSWORD))
        .await
        .expect("sign up");
    let first = w.outbox.last_code(&pool, "alice").unwrap();
    let resent = w
        .service
        .accounts()
        .resend_confirmation_code(ClientUserRequest {
            client_id: client.clone(),
            username: "alice".into(),
            ..Default::default()
        })
        .await
        .expect("resend");
    assert_eq!(resent.code_delivery_details.delivery_medium, "EMAIL");
    let second = w.outbox.last_code(&pool, "alice").unwrap();
    let confirm = |code: &str| ConfirmSignUpRequest {
        client_id: client.clone(),
        username: "alice".into(),
        confirmation_code: code.into(),
        ..Default::default()
    };
    if first != second {
        assert_kind(
            w.service.accounts().confirm_sign_up(confirm(&first)).await,
            "CodeMismatchException",
        );
    }
    w.service
        .accounts()
        .confirm_sign_up(confirm(&second))
        .await
        .expect("the new code works");

    let ghost = ClientUserRequest {
        client_id: client.clone(),
        username: "ghost".into(),
        ..Default::default()
    };
    assert_error(
        w.service
            .accounts()
            .resend_confirmation_code(ghost.clone())
            .await,
        "UserNotFoundException",
        "Username/client id combination not found.",
    );
    let hidden = w
        .client_with(&pool, |c| {
            c.prevent_user_existence_errors = Some("ENABLED".into())
        })
        .await
        .client_id;
    let simulated = w
        .service
        .accounts()
        .resend_confirmation_code(ClientUserRequest {
            client_id: hidden.clone(),
            ..ghost
        })
        .await
        .expect("simulated");
    assert_eq!(simulated.code_delivery_details.delivery_medium, "EMAIL");
    assert_kind(
        w.service
            .accounts()
            .confirm_sign_up(ConfirmSignUpRequest {
                client_id: hidden,
                username: "ghost".into(),
                confirmation_code: "123456".into(),
                ..Default::default()
            })
            .await,
        "CodeMismatchException",
    );
}

#[tokio::test]
async fn codes_burn_after_five_wrong_guesses() {
    let w = world!();
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    w.service
        .accounts()
        .sign_up(sign_up(&client, "alice", PASSWORD))
        .await
        .expect("sign up");
    let code = w.outbox.last_code(&pool, "alice").unwrap();
    let wrong = if code == "999999" { "999998" } else { "999999" };
    let confirm = |code: &str| ConfirmSignUpRequest {
        client_id: client.clone(),
        username: "alice".into(),
        confirmation_code: code.into(),
        ..Default::default()
    };
    for _ in 0..4 {
        assert_kind(
            w.service.accounts().confirm_sign_up(confirm(wrong)).await,
            "CodeMismatchException",
        );
    }
    assert_kind(
        w.service.accounts().confirm_sign_up(confirm(wrong)).await,
        "TooManyFailedAttemptsException",
    );
    assert_kind(
        w.service.accounts().confirm_sign_up(confirm(&code)).await,
        "ExpiredCodeException",
    );
}

#[tokio::test]
async fn codes_expire_after_a_day() {
    let w = world!();
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    w.service
        .accounts()
        .sign_up(sign_up(&client, "alice", PASSWORD))
        .await
        .expect("sign up");
    let code = w.outbox.last_code(&pool, "alice").unwrap();
    assert_eq!(
        w.service.purge_expired().await.unwrap(),
        userpool::Purged::default(),
        "nothing expired yet"
    );
    w.clock.advance(24 * 3600 + 1);
    assert_error(
        w.service
            .accounts()
            .confirm_sign_up(ConfirmSignUpRequest {
                client_id: client,
                username: "alice".into(),
                confirmation_code: code.as_str().into(),
                ..Default::default()
            })
            .await,
        "ExpiredCodeException",
        "Invalid code provided, please request a code again.",
    );
}

#[tokio::test]
async fn expired_codes_and_markers_are_purged() {
    let mut w = world!();
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    w.user(&client, "alice", PASSWORD).await;
    w.service
        .accounts()
        .sign_up(sign_up(&client, "bob", PASSWORD))
        .await
        .expect("bob's code");
    tokens(
        &w.srp_sign_in(&client, "alice", PASSWORD)
            .await
            .expect("one session marker"),
    );
    assert_eq!(
        w.service.purge_expired().await.unwrap(),
        userpool::Purged::default()
    );
    w.clock.advance(24 * 3600 + 1);
    let purged = w.service.purge_expired().await.unwrap();
    assert_eq!(
        (purged.codes, purged.markers),
        (1, 1),
        "bob's code and the sign-in's marker"
    );
}

#[tokio::test]
async fn username_attribute_pools_name_users_by_uuid() {
    let w = world!();
    let pool = w
        .pool_with(|p| p.username_attributes = vec!["email".into()])
        .await;
    let client = w.client(&pool).await;
    let req = |username: &str| SignUpRequest {
        client_id: client.clone(),
        username: username.into(),
        password: PASSWORD.into(),
        ..Default::default()
    };
    let out = w
        .service
        .accounts()
        .sign_up(req("Alice@Example.com"))
        .await
        .expect("sign up");
    let user = w
        .service
        .accounts()
        .admin_get_user(AdminUserRequest {
            user_pool_id: pool.clone(),
            username: "Alice@Example.com".into(),
            ..Default::default()
        })
        .await
        .expect("by email");
    assert_eq!(
        user.username, out.user_sub,
        "the internal username is the sub"
    );
    assert!(
        user.user_attributes
            .contains(&Attribute::new("email", "Alice@Example.com"))
    );
    assert_error(
        w.service.accounts().sign_up(req("Alice@Example.com")).await,
        "UsernameExistsException",
        "An account with the given email already exists.",
    );
    assert_error(
        w.service.accounts().sign_up(req("alice")).await,
        "InvalidParameterException",
        "Username should be an email.",
    );
}

#[tokio::test]
async fn admin_confirm_sign_up_confirms_without_verifying() {
    let w = world!();
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    w.service
        .accounts()
        .sign_up(sign_up(&client, "alice", PASSWORD))
        .await
        .expect("sign up");
    let req = AdminUserRequest {
        user_pool_id: pool.clone(),
        username: "alice".into(),
        ..Default::default()
    };
    w.service
        .accounts()
        .admin_confirm_sign_up(req.clone())
        .await
        .expect("confirm");
    let user = w
        .service
        .accounts()
        .admin_get_user(req.clone())
        .await
        .expect("user");
    assert_eq!(user.user_status.as_deref(), Some("CONFIRMED"));
    assert!(
        !user
            .user_attributes
            .iter()
            .any(|a| a.name == "email_verified")
    );
    assert_kind(
        w.service.accounts().admin_confirm_sign_up(req).await,
        "NotAuthorizedException",
    );
    assert_error(
        w.service
            .accounts()
            .admin_confirm_sign_up(AdminUserRequest {
                user_pool_id: pool,
                username: "ghost".into(),
                ..Default::default()
            })
            .await,
        "UserNotFoundException",
        "User does not exist.",
    );
}
