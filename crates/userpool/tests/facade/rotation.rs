//! Refresh-token rotation at its edges (security.md ★41): grace 0 retires the presented token
//! at once, a retired token presented again revokes the whole family (its successor too),
//! and of many parallel refreshes with one token exactly one wins — never a server error.

use userpool::wire::*;

use super::support::*;

async fn rotating_client(w: &mut World, grace: u8) -> (String, AuthenticationResult) {
    let pool = w.pool().await;
    let client = w
        .client_with(&pool, |c| {
            c.refresh_token_rotation = Some(RefreshTokenRotationType {
                feature: "ENABLED".into(),
                retry_grace_period_seconds: Some(grace),
            });
        })
        .await
        .client_id;
    w.user(&client, "alice", PASSWORD).await;
    let signed_in = w.password_sign_in(&client, "alice", PASSWORD).await;
    (client, tokens(&signed_in.expect("sign in")).clone())
}

fn refresh(client: &str, token: &SecretString) -> GetTokensFromRefreshTokenRequest {
    GetTokensFromRefreshTokenRequest {
        client_id: client.into(),
        refresh_token: token.clone(),
        ..Default::default()
    }
}

#[tokio::test]
async fn grace_zero_retires_the_old_token_at_once_and_reuse_revokes_the_family() {
    let mut w = world!();
    let (client, first) = rotating_client(&mut w, 0).await;
    let old = first.refresh_token.clone().expect("refresh token");
    let rotated = w
        .service
        .tokens()
        .get_tokens_from_refresh_token(refresh(&client, &old))
        .await
        .expect("rotate")
        .authentication_result;
    let new = rotated.refresh_token.clone().expect("a successor");
    // Same second, no grace: the old token is a reuse.
    assert_error(
        w.service
            .tokens()
            .get_tokens_from_refresh_token(refresh(&client, &old))
            .await,
        "RefreshTokenReuseException",
        "Refresh token has been reused.",
    );
    // … which revoked the family: the successor and its access token are dead too.
    assert_error(
        w.service
            .tokens()
            .get_tokens_from_refresh_token(refresh(&client, &new))
            .await,
        "NotAuthorizedException",
        "Refresh Token has been revoked",
    );
    assert_error(
        w.service
            .accounts()
            .get_user(AccessTokenRequest {
                access_token: rotated.access_token.clone(),
            })
            .await,
        "NotAuthorizedException",
        "Access Token has been revoked",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_parallel_refreshes_with_one_token_have_one_winner() {
    let mut w = world!();
    let (client, first) = rotating_client(&mut w, 0).await;
    let old = first.refresh_token.clone().expect("refresh token");
    let calls = (0..50).map(|_| {
        let service = w.service.clone();
        let request = refresh(&client, &old);
        tokio::spawn(async move {
            service
                .tokens()
                .get_tokens_from_refresh_token(request)
                .await
        })
    });
    let mut wins = 0;
    for call in calls {
        match call.await.expect("task") {
            Ok(_) => wins += 1,
            Err(e) => assert!(
                matches!(
                    e.exception_name(),
                    "NotAuthorizedException" | "RefreshTokenReuseException"
                ),
                "a loser is refused, never a server error: {e}"
            ),
        }
    }
    assert_eq!(wins, 1, "exactly one refresh wins");
}
