//! Refresh, rotation and reuse, GlobalSignOut, AdminUserGlobalSignOut, RevokeToken, and the
//! checks on presented access tokens.

use userpool::wire::*;

use super::support::*;

async fn signed_in(w: &mut World, rotation: Option<u8>) -> (String, String, AuthenticationResult) {
    let pool = w.pool().await;
    let client = w
        .client_with(&pool, |c| {
            c.refresh_token_rotation = rotation.map(|g| RefreshTokenRotationType {
                feature: "ENABLED".into(),
                retry_grace_period_seconds: Some(g),
            });
        })
        .await
        .client_id;
    w.user(&client, "alice", PASSWORD).await;
    let t = tokens(
        &w.srp_sign_in(&client, "alice", PASSWORD)
            .await
            .expect("sign in"),
    )
    .clone();
    (pool, client, t)
}

fn refresh_req(client: &str, token: &SecretString) -> GetTokensFromRefreshTokenRequest {
    GetTokensFromRefreshTokenRequest {
        client_id: client.into(),
        refresh_token: token.clone(),
        ..Default::default()
    }
}

#[tokio::test]
async fn refresh_keeps_the_lineage_and_auth_time() {
    let mut w = world!();
    let (_, client, first) = signed_in(&mut w, None).await;
    w.clock.advance(600);
    let refreshed = w
        .service
        .sign_in()
        .initiate_auth(InitiateAuthRequest {
            client_id: client.clone(),
            auth_flow: "REFRESH_TOKEN_AUTH".into(),
            auth_parameters: SecretMap::of(&[(
                "REFRESH_TOKEN",
                first.refresh_token.as_ref().unwrap().expose_secret(),
            )]),
            ..Default::default()
        })
        .await
        .expect("refresh");
    let again = tokens(&refreshed);
    assert!(
        again.refresh_token.is_none(),
        "no rotation: no new refresh token"
    );
    let (a, b) = (
        claims(first.id_token.expose_secret()),
        claims(again.id_token.expose_secret()),
    );
    assert_eq!(a["origin_jti"], b["origin_jti"]);
    assert_eq!(a["auth_time"], b["auth_time"]);
    assert_eq!(b["iat"].as_i64(), Some(NOW + 600));
    assert_ne!(a["jti"], b["jti"]);
    let via_api = w
        .service
        .tokens()
        .get_tokens_from_refresh_token(refresh_req(&client, first.refresh_token.as_ref().unwrap()))
        .await
        .expect("GetTokensFromRefreshToken");
    assert!(via_api.authentication_result.refresh_token.is_none());
    assert_error(
        w.service
            .tokens()
            .get_tokens_from_refresh_token(refresh_req(&client, &"not-a-token".into()))
            .await,
        "NotAuthorizedException",
        "Invalid Refresh Token",
    );
    w.clock.advance(30 * 86_400);
    assert_error(
        w.service
            .tokens()
            .get_tokens_from_refresh_token(refresh_req(
                &client,
                first.refresh_token.as_ref().unwrap(),
            ))
            .await,
        "NotAuthorizedException",
        "Refresh Token has expired",
    );
}

#[tokio::test]
async fn rotation_grace_and_reuse_detection() {
    let mut w = world!();
    let (_, client, first) = signed_in(&mut w, Some(10)).await;
    let old = first.refresh_token.clone().unwrap();
    let rotated = w
        .service
        .tokens()
        .get_tokens_from_refresh_token(refresh_req(&client, &old))
        .await
        .expect("rotate");
    let new = rotated
        .authentication_result
        .refresh_token
        .clone()
        .expect("a new refresh token");
    assert_ne!(new, old);
    w.clock.advance(5);
    w.service
        .tokens()
        .get_tokens_from_refresh_token(refresh_req(&client, &old))
        .await
        .expect("the old one works within the grace period");
    w.clock.advance(10);
    assert_error(
        w.service
            .tokens()
            .get_tokens_from_refresh_token(refresh_req(&client, &old))
            .await,
        "RefreshTokenReuseException",
        "Refresh token has been reused.",
    );
    assert_error(
        w.service
            .tokens()
            .get_tokens_from_refresh_token(refresh_req(&client, &new))
            .await,
        "NotAuthorizedException",
        "Refresh Token has been revoked",
    );
    assert_error(
        w.service
            .accounts()
            .get_user(AccessTokenRequest {
                access_token: rotated.authentication_result.access_token.clone(),
            })
            .await,
        "NotAuthorizedException",
        "Access Token has been revoked",
    );
}

#[tokio::test]
async fn global_sign_out_revokes_every_token() {
    let mut w = world!();
    let (pool, client, first) = signed_in(&mut w, None).await;
    let second = tokens(&w.srp_sign_in(&client, "alice", PASSWORD).await.unwrap()).clone();
    w.service
        .tokens()
        .global_sign_out(AccessTokenRequest {
            access_token: first.access_token.clone(),
        })
        .await
        .expect("sign out");
    for t in [&first, &second] {
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
        assert_error(
            w.service
                .tokens()
                .get_tokens_from_refresh_token(refresh_req(
                    &client,
                    t.refresh_token.as_ref().unwrap(),
                ))
                .await,
            "NotAuthorizedException",
            "Refresh Token has been revoked",
        );
    }
    let third = tokens(&w.srp_sign_in(&client, "alice", PASSWORD).await.unwrap()).clone();
    w.service
        .tokens()
        .admin_user_global_sign_out(AdminUserRequest {
            user_pool_id: pool,
            username: "alice".into(),
            ..Default::default()
        })
        .await
        .expect("admin sign out");
    assert_kind(
        w.service
            .accounts()
            .get_user(AccessTokenRequest {
                access_token: third.access_token,
            })
            .await,
        "NotAuthorizedException",
    );
}

#[tokio::test]
async fn revoke_token_revokes_one_lineage() {
    let mut w = world!();
    let (_, client, first) = signed_in(&mut w, None).await;
    let second = tokens(&w.srp_sign_in(&client, "alice", PASSWORD).await.unwrap()).clone();
    let revoke = |token: &SecretString| RevokeTokenRequest {
        token: token.clone(),
        client_id: client.clone(),
        client_secret: None,
    };
    w.service
        .tokens()
        .revoke_token(revoke(first.refresh_token.as_ref().unwrap()))
        .await
        .expect("revoke");
    assert_kind(
        w.service
            .accounts()
            .get_user(AccessTokenRequest {
                access_token: first.access_token.clone(),
            })
            .await,
        "NotAuthorizedException",
    );
    w.service
        .accounts()
        .get_user(AccessTokenRequest {
            access_token: second.access_token.clone(),
        })
        .await
        .expect("the other sign-in lives");
    w.service
        .tokens()
        .revoke_token(revoke(first.refresh_token.as_ref().unwrap()))
        .await
        .expect("revoking twice succeeds");
    w.service
        .tokens()
        .revoke_token(revoke(&"unknown".into()))
        .await
        .expect("an unknown token succeeds");
    assert_kind(
        w.service
            .tokens()
            .revoke_token(revoke(&first.access_token))
            .await,
        "UnsupportedTokenTypeException",
    );
}

#[tokio::test]
async fn presented_access_tokens_are_checked() {
    let mut w = world!();
    let (_, _, t) = signed_in(&mut w, None).await;
    let get = |token: &SecretString| AccessTokenRequest {
        access_token: token.clone(),
    };
    assert_error(
        w.service.accounts().get_user(get(&t.id_token)).await,
        "NotAuthorizedException",
        "Invalid Access Token",
    );
    assert_error(
        w.service.accounts().get_user(get(&"garbage".into())).await,
        "NotAuthorizedException",
        "Invalid Access Token",
    );
    // One signature character changed (in the middle: the last one may carry only padding).
    let mut forged = t.access_token.expose_secret().as_bytes().to_vec();
    let at = forged.len() - 10;
    forged[at] = if forged[at] == b'A' { b'B' } else { b'A' };
    let forged = String::from_utf8(forged).unwrap();
    assert_error(
        w.service.accounts().get_user(get(&forged.into())).await,
        "NotAuthorizedException",
        "Invalid Access Token",
    );
    assert_kind(
        w.service
            .accounts()
            .get_user(get(&SecretString::default()))
            .await,
        "InvalidParameterException",
    );
    w.clock.advance(3601);
    assert_error(
        w.service.accounts().get_user(get(&t.access_token)).await,
        "NotAuthorizedException",
        "Access Token has expired",
    );
}

#[tokio::test]
async fn a_token_from_another_pool_does_not_pass() {
    let mut w = world!();
    let (_, _, t) = signed_in(&mut w, None).await;
    // The same claims signed by another service's keys (another master key) are refused.
    let other = World::build(fresh_store().expect("the suite's store"), |b| {
        b.rng(<rand_chacha::ChaCha20Rng as rand_core::SeedableRng>::seed_from_u64(8))
    });
    let pool = other.pool().await;
    let client = other.client(&pool).await;
    other.user(&client, "mallory", PASSWORD).await;
    let theirs = tokens(
        &other
            .password_sign_in(&client, "mallory", PASSWORD)
            .await
            .unwrap(),
    )
    .clone();
    assert_kind(
        w.service
            .accounts()
            .get_user(AccessTokenRequest {
                access_token: theirs.access_token,
            })
            .await,
        "NotAuthorizedException",
    );
    w.service
        .accounts()
        .get_user(AccessTokenRequest {
            access_token: t.access_token,
        })
        .await
        .expect("ours passes");
}

#[tokio::test]
async fn secret_clients_prove_themselves_on_refresh() {
    let w = world!();
    let pool = w.pool().await;
    let client = w
        .client_with(&pool, |c| {
            c.generate_secret = true;
            c.explicit_auth_flows = Some(vec![
                "ALLOW_ADMIN_USER_PASSWORD_AUTH".into(),
                "ALLOW_REFRESH_TOKEN_AUTH".into(),
            ]);
        })
        .await;
    let id = client.client_id.clone();
    let secret = client.client_secret.clone().unwrap();
    let plain = w.client(&pool).await;
    w.user(&plain, "alice", PASSWORD).await;
    let hash = |name: &str| {
        user_pool_model::secret_hash(
            &user_pool_model::ClientSecret::parse(secret.expose_secret()).unwrap(),
            name,
            &user_pool_model::ClientId::parse(&id).unwrap(),
        )
    };
    let signed_in = w
        .service
        .sign_in()
        .admin_initiate_auth(InitiateAuthRequest {
            user_pool_id: Some(pool.clone()),
            client_id: id.clone(),
            auth_flow: "ADMIN_USER_PASSWORD_AUTH".into(),
            auth_parameters: SecretMap::of(&[
                ("USERNAME", "alice"),
                ("PASSWORD", PASSWORD),
                ("SECRET_HASH", &hash("alice")),
            ]),
            ..Default::default()
        })
        .await
        .expect("sign in");
    let refresh_token = tokens(&signed_in).refresh_token.clone().unwrap();
    let refresh = |params: &[(&str, &str)]| InitiateAuthRequest {
        client_id: id.clone(),
        auth_flow: "REFRESH_TOKEN_AUTH".into(),
        auth_parameters: SecretMap::of(params),
        ..Default::default()
    };
    assert_error(
        w.service
            .sign_in()
            .initiate_auth(refresh(&[("REFRESH_TOKEN", refresh_token.expose_secret())]))
            .await,
        "NotAuthorizedException",
        &format!("Client {id} is configured with secret but SECRET_HASH was not received"),
    );
    assert_kind(
        w.service
            .sign_in()
            .initiate_auth(refresh(&[
                ("REFRESH_TOKEN", refresh_token.expose_secret()),
                ("SECRET_HASH", &hash("bob")),
            ]))
            .await,
        "NotAuthorizedException",
    );
    tokens(
        &w.service
            .sign_in()
            .initiate_auth(refresh(&[
                ("REFRESH_TOKEN", refresh_token.expose_secret()),
                ("SECRET_HASH", &hash("alice")),
            ]))
            .await
            .expect("refresh"),
    );
    let get = |secret: Option<SecretString>| GetTokensFromRefreshTokenRequest {
        client_id: id.clone(),
        refresh_token: refresh_token.clone(),
        client_secret: secret,
        ..Default::default()
    };
    assert_kind(
        w.service
            .tokens()
            .get_tokens_from_refresh_token(get(None))
            .await,
        "NotAuthorizedException",
    );
    assert_kind(
        w.service
            .tokens()
            .get_tokens_from_refresh_token(get(Some("not-the-secret-at-all-0000".into())))
            .await,
        "NotAuthorizedException",
    );
    w.service
        .tokens()
        .get_tokens_from_refresh_token(get(Some(secret.clone())))
        .await
        .expect("with the secret");
}

/// RevokeToken names the client: a refresh token of another client is refused
/// (`UnauthorizedException`) and keeps working.
#[tokio::test]
async fn revoke_token_refuses_another_clients_token() {
    let mut w = world!();
    let (pool, client, first) = signed_in(&mut w, None).await;
    let other = w.client(&pool).await;
    let refresh_token = first.refresh_token.clone().expect("refresh token");
    assert_error(
        w.service
            .tokens()
            .revoke_token(RevokeTokenRequest {
                token: refresh_token.clone(),
                client_id: other,
                client_secret: None,
            })
            .await,
        "UnauthorizedException",
        "Token not issued for this client.",
    );
    w.service
        .tokens()
        .get_tokens_from_refresh_token(refresh_req(&client, &refresh_token))
        .await
        .expect("the token still works");
    w.service
        .accounts()
        .get_user(AccessTokenRequest {
            access_token: first.access_token.clone(),
        })
        .await
        .expect("and so do its access tokens");
}
