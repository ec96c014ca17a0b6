//! ForgotPassword, ConfirmForgotPassword, ChangePassword, AdminSetUserPassword,
//! AdminResetUserPassword.

use userpool::wire::*;

use super::support::*;

fn forgot(client: &str, username: &str) -> ClientUserRequest {
    ClientUserRequest {
        client_id: client.into(),
        username: username.into(),
        ..Default::default()
    }
}

fn confirm(client: &str, code: &str, password: &str) -> ConfirmForgotPasswordRequest {
    ConfirmForgotPasswordRequest {
        client_id: client.into(),
        username: "alice".into(),
        confirmation_code: code.into(),
        password: password.into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn forgot_password_resets_with_the_emailed_code() {
    let mut w = world!();
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    w.user(&client, "alice", PASSWORD).await;
    let sent = w
        .service
        .accounts()
        .forgot_password(forgot(&client, "alice"))
        .await
        .expect("forgot");
    assert_eq!(sent.code_delivery_details.destination, "a***@e***");
    let code = w.outbox.last_code(&pool, "alice").unwrap();
    let wrong = if code == "000000" { "000001" } else { "000000" };
    assert_kind(
        w.service
            .accounts()
            .confirm_forgot_password(confirm(&client, wrong, "N3w-passw0rd!"))
            .await,
        "CodeMismatchException",
    );
    assert_kind(
        w.service
            .accounts()
            .confirm_forgot_password(confirm(&client, &code, "weak"))
            .await,
        "InvalidPasswordException",
    );
    w.service
        .accounts()
        .confirm_forgot_password(confirm(&client, &code, "N3w-passw0rd!"))
        .await
        .expect("confirm");
    tokens(
        &w.srp_sign_in(&client, "alice", "N3w-passw0rd!")
            .await
            .expect("new password"),
    );
    assert_kind(
        w.password_sign_in(&client, "alice", PASSWORD).await,
        "NotAuthorizedException",
    );
    assert_kind(
        w.service
            .accounts()
            .confirm_forgot_password(confirm(&client, &code, "Other-passw0rd!"))
            .await,
        "ExpiredCodeException",
    );

    assert_error(
        w.service
            .accounts()
            .forgot_password(forgot(&client, "ghost"))
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
    w.service
        .accounts()
        .forgot_password(forgot(&hidden, "ghost"))
        .await
        .expect("simulated delivery");
}

#[tokio::test]
async fn forgot_password_needs_a_verified_channel() {
    let w = world!();
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    w.service
        .accounts()
        .admin_create_user(AdminCreateUserRequest {
            user_pool_id: pool.clone(),
            username: "alice".into(),
            message_action: Some("SUPPRESS".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_error(
        w.service
            .accounts()
            .forgot_password(forgot(&client, "alice"))
            .await,
        "InvalidParameterException",
        "Cannot reset password for the user as there is no registered/verified email or phone_number",
    );
}

#[tokio::test]
async fn change_password_checks_the_previous_one() {
    let mut w = world!();
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    w.user(&client, "alice", PASSWORD).await;
    let t = tokens(&w.srp_sign_in(&client, "alice", PASSWORD).await.unwrap()).clone();
    let change = |previous: &str, proposed: &str| ChangePasswordRequest {
        access_token: t.access_token.clone(),
        previous_password: previous.into(),
        proposed_password: proposed.into(),
    };
    assert_error(
        w.service
            .accounts()
            .change_password(change("Wrong-passw0rd!", "N3w-passw0rd!"))
            .await,
        "NotAuthorizedException",
        "Incorrect username or password.",
    );
    assert_kind(
        w.service
            .accounts()
            .change_password(change(PASSWORD, "weak"))
            .await,
        "InvalidPasswordException",
    );
    w.service
        .accounts()
        .change_password(change(PASSWORD, "N3w-passw0rd!"))
        .await
        .expect("change");
    tokens(
        &w.password_sign_in(&client, "alice", "N3w-passw0rd!")
            .await
            .expect("new password works"),
    );
}

#[tokio::test]
async fn admins_set_and_reset_passwords() {
    let w = world!();
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    w.user(&client, "alice", PASSWORD).await;
    let set = |password: &str, permanent: bool| AdminSetUserPasswordRequest {
        user_pool_id: pool.clone(),
        username: "alice".into(),
        password: password.into(),
        permanent,
    };
    w.service
        .accounts()
        .admin_set_user_password(set("Temp-passw0rd!", false))
        .await
        .expect("temporary");
    let challenge = w
        .password_sign_in(&client, "alice", "Temp-passw0rd!")
        .await
        .expect("challenge");
    assert_eq!(
        challenge.challenge_name.as_deref(),
        Some("NEW_PASSWORD_REQUIRED")
    );
    w.service
        .accounts()
        .admin_set_user_password(set("Perm-passw0rd!", true))
        .await
        .expect("permanent");
    tokens(
        &w.password_sign_in(&client, "alice", "Perm-passw0rd!")
            .await
            .expect("signs in"),
    );
    assert_kind(
        w.service
            .accounts()
            .admin_set_user_password(set("weak", true))
            .await,
        "InvalidPasswordException",
    );

    let reset = AdminUserRequest {
        user_pool_id: pool.clone(),
        username: "alice".into(),
        ..Default::default()
    };
    w.service
        .accounts()
        .admin_reset_user_password(reset.clone())
        .await
        .expect("reset");
    assert_error(
        w.password_sign_in(&client, "alice", "Perm-passw0rd!").await,
        "PasswordResetRequiredException",
        "Password reset required for the user",
    );
    let code = w.outbox.last_code(&pool, "alice").unwrap();
    w.service
        .accounts()
        .confirm_forgot_password(confirm(&client, &code, "After-reset1!"))
        .await
        .expect("completes the reset");
    tokens(
        &w.password_sign_in(&client, "alice", "After-reset1!")
            .await
            .expect("signs in"),
    );

    w.service
        .accounts()
        .admin_set_user_password(set("Temp-passw0rd!", false))
        .await
        .unwrap();
    assert_error(
        w.service.accounts().admin_reset_user_password(reset).await,
        "NotAuthorizedException",
        "User password cannot be reset in the current state.",
    );
}
