//! Fault injection (security review): when the store fails, the checks that protect accounts
//! deny — revocation, lockout, one-time codes, refresh — and no token is handed out for state
//! that could not be persisted. Never a success, never a panic.

use userpool::wire::*;

use super::support::*;

/// A world on a fault-injecting store of this suite's backend, with a pool, a client (refresh
/// rotation off) and a confirmed user alice who has signed in once.
async fn faulty_world() -> Option<(World, userpool_store::Faults, String, AuthenticationResult)> {
    let (store, faults) = fresh_faulty_store()?;
    let w = World::on(store);
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    w.user(&client, "alice", PASSWORD).await;
    let signed_in = w.password_sign_in(&client, "alice", PASSWORD).await;
    let tokens = tokens(&signed_in.expect("sign in")).clone();
    Some((w, faults, client, tokens))
}

macro_rules! faulty_world {
    () => {
        match faulty_world().await {
            Some(x) => x,
            None => return,
        }
    };
}

fn refresh(client: &str, t: &AuthenticationResult) -> GetTokensFromRefreshTokenRequest {
    GetTokensFromRefreshTokenRequest {
        client_id: client.into(),
        refresh_token: t.refresh_token.clone().expect("refresh token"),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_failing_revocation_check_denies_the_token() {
    let (w, faults, _, t) = faulty_world!();
    faults.fail("get_family");
    assert_kind(
        w.service
            .accounts()
            .get_user(AccessTokenRequest {
                access_token: t.access_token.clone(),
            })
            .await,
        "InternalErrorException",
    );
    faults.clear();
    w.service
        .accounts()
        .get_user(AccessTokenRequest {
            access_token: t.access_token,
        })
        .await
        .expect("works again once the store does");
}

#[tokio::test]
async fn a_failing_lockout_read_or_write_gives_no_tokens() {
    let (w, faults, client, _) = faulty_world!();
    faults.fail("lockout_state");
    assert_kind(
        w.password_sign_in(&client, "alice", PASSWORD).await,
        "InternalErrorException",
    );
    faults.clear();
    faults.fail("record_failure");
    assert_kind(
        w.password_sign_in(&client, "alice", "Wrong-Passw0rd!")
            .await,
        "InternalErrorException",
    );
}

#[tokio::test]
async fn tokens_are_not_issued_when_their_family_cannot_be_stored() {
    let (w, faults, client, _) = faulty_world!();
    faults.fail("create_family");
    assert_kind(
        w.password_sign_in(&client, "alice", PASSWORD).await,
        "InternalErrorException",
    );
}

#[tokio::test]
async fn a_failing_refresh_check_or_rotation_denies_the_refresh() {
    let (w, faults, client, t) = faulty_world!();
    faults.fail("find_family");
    assert_kind(
        w.service
            .tokens()
            .get_tokens_from_refresh_token(refresh(&client, &t))
            .await,
        "InternalErrorException",
    );
    faults.clear();
    w.service
        .tokens()
        .get_tokens_from_refresh_token(refresh(&client, &t))
        .await
        .expect("refresh works again");
}

#[tokio::test]
async fn a_revocation_that_cannot_be_stored_is_not_acknowledged() {
    let (w, faults, client, t) = faulty_world!();
    faults.fail("revoke_family");
    assert_kind(
        w.service
            .tokens()
            .revoke_token(RevokeTokenRequest {
                token: t.refresh_token.clone().expect("refresh token"),
                client_id: client.clone(),
                client_secret: None,
            })
            .await,
        "InternalErrorException",
    );
    faults.fail("revoke_user_families");
    assert_kind(
        w.service
            .tokens()
            .global_sign_out(AccessTokenRequest {
                access_token: t.access_token.clone(),
            })
            .await,
        "InternalErrorException",
    );
}

#[tokio::test]
async fn a_failing_code_check_leaves_the_user_unconfirmed() {
    let Some((store, faults)) = fresh_faulty_store() else {
        return;
    };
    let w = World::on(store);
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    w.service
        .accounts()
        .sign_up(SignUpRequest {
            client_id: client.clone(),
            username: "bob".into(),
            password: PASSWORD.into(),
            user_attributes: vec![Attribute::new("email", "bob@example.com")],
            ..Default::default()
        })
        .await
        .expect("sign up");
    let code = w.outbox.last_code(&pool, "bob").expect("code");
    let confirm = ConfirmSignUpRequest {
        client_id: client.clone(),
        username: "bob".into(),
        confirmation_code: code.as_str().into(),
        ..Default::default()
    };
    faults.fail("consume_code");
    assert_kind(
        w.service.accounts().confirm_sign_up(confirm.clone()).await,
        "InternalErrorException",
    );
    faults.clear();
    let status = w
        .service
        .accounts()
        .admin_get_user(AdminUserRequest {
            user_pool_id: pool.clone(),
            username: "bob".into(),
            ..Default::default()
        })
        .await
        .expect("user")
        .user_status;
    assert_eq!(status.as_deref(), Some("UNCONFIRMED"));
    w.service
        .accounts()
        .confirm_sign_up(confirm)
        .await
        .expect("the code still works once the store does");
}

/// A refresh-token reuse whose punishment (revoking the family) cannot be stored fails the
/// request after retries; it is never skipped, and the reused token gets nothing.
#[tokio::test]
async fn a_punishment_that_cannot_be_stored_fails_the_request() {
    let Some((store, faults)) = fresh_faulty_store() else {
        return;
    };
    let w = World::on(store);
    let pool = w.pool().await;
    let client = w
        .client_with(&pool, |c| {
            c.refresh_token_rotation = Some(RefreshTokenRotationType {
                feature: "ENABLED".into(),
                retry_grace_period_seconds: Some(0),
            });
        })
        .await
        .client_id;
    w.user(&client, "alice", PASSWORD).await;
    let t = tokens(
        &w.password_sign_in(&client, "alice", PASSWORD)
            .await
            .expect("sign in"),
    )
    .clone();
    let rotated = w
        .service
        .tokens()
        .get_tokens_from_refresh_token(refresh(&client, &t))
        .await
        .expect("rotate")
        .authentication_result;
    faults.fail("revoke_family");
    assert_kind(
        w.service
            .tokens()
            .get_tokens_from_refresh_token(refresh(&client, &t))
            .await,
        "InternalErrorException",
    );
    assert_eq!(faults.calls("revoke_family"), 3, "retried, then failed");
    faults.clear();
    assert_kind(
        w.service
            .tokens()
            .get_tokens_from_refresh_token(refresh(&client, &t))
            .await,
        "RefreshTokenReuseException",
    );
    assert_kind(
        w.service
            .tokens()
            .get_tokens_from_refresh_token(refresh(&client, &rotated))
            .await,
        "NotAuthorizedException",
    );
}

/// Every write failing (a full or read-only database): sign-ins fail closed — no tokens.
#[tokio::test]
async fn no_tokens_when_nothing_can_be_written() {
    let (mut w, faults, client, _) = faulty_world!();
    for method in [
        "create_family",
        "create_family_spending",
        "rotate_family",
        "mark_used",
        "record_failure",
        "reset_failures",
        "update_user",
        "insert_user",
        "put_code",
    ] {
        faults.fail(method);
    }
    for password in [PASSWORD, "Wrong-Passw0rd!"] {
        assert_kind(
            w.password_sign_in(&client, "alice", password).await,
            "InternalErrorException",
        );
    }
    let srp = w.srp_sign_in(&client, "alice", PASSWORD).await;
    assert_kind(srp, "InternalErrorException");
}
