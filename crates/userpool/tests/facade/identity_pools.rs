//! Identity pools through the facade: pools and roles, user-pool ID tokens verified for real
//! (and what is refused), guests, the basic flow, identities' administration.

use std::collections::BTreeMap;

use serde_json::json;
use userpool::identity::wire::*;
use userpool::wire::*;
use userpool::{IdentityService, Issuer};

use super::identity_world::*;
use super::support::*;

#[tokio::test]
async fn identity_pools_and_roles() {
    let w = identity_world!();
    let (_, client, provider) = w.user_pool().await;
    assert_identity_error(
        w.ids
            .create_identity_pool(IdentityPoolRequest {
                identity_pool_name: "p".into(),
                ..Default::default()
            })
            .await,
        "InvalidParameterException",
        "1 validation error detected: Value null at 'allowUnauthenticatedIdentities' failed to satisfy constraint: Member must not be null",
    );
    assert_identity_error(
        w.ids
            .create_identity_pool(IdentityPoolRequest {
                identity_pool_name: "p".into(),
                allow_unauthenticated_identities: Some(false),
                open_id_connect_provider_arns: vec!["not-an-arn".into()],
                ..Default::default()
            })
            .await,
        "InvalidParameterException",
        "1 validation error detected: Value 'not-an-arn' at 'openIdConnectProviderARNs' failed to satisfy constraint: Member must be an IAM OIDC provider ARN (arn:aws:iam::<account>:oidc-provider/<issuer>)",
    );
    let id = w
        .identity_pool(&provider, &client, |r| {
            r.developer_provider_name = Some("login.example.app".into());
            r.identity_pool_tags = Some(BTreeMap::from([("env".into(), "test".into())]));
        })
        .await;
    assert!(id.starts_with("us-east-1:"), "{id}");
    let described = w
        .ids
        .describe_identity_pool(IdentityPoolIdRequest {
            identity_pool_id: id.clone(),
        })
        .await
        .unwrap();
    assert_eq!(
        described.cognito_identity_providers[0].provider_name,
        provider
    );
    assert_eq!(described.identity_pool_tags["env"], "test");

    let update = |dev: &str| IdentityPoolRequest {
        identity_pool_id: id.clone(),
        identity_pool_name: "renamed".into(),
        allow_unauthenticated_identities: Some(false),
        developer_provider_name: Some(dev.into()),
        ..Default::default()
    };
    assert_identity_error(
        w.ids.update_identity_pool(update("other.app")).await,
        "InvalidParameterException",
        "Developer provider name cannot be changed once set.",
    );
    let updated = w
        .ids
        .update_identity_pool(update("login.example.app"))
        .await
        .unwrap();
    assert_eq!(updated.identity_pool_name, "renamed");
    assert_eq!(
        updated.identity_pool_tags["env"], "test",
        "absent tags are kept"
    );
    assert!(
        updated.cognito_identity_providers.is_empty(),
        "the rest is replaced"
    );

    // Roles: the mapping keys must name the pool's providers.
    let with_client = w.identity_pool(&provider, &client, |_| {}).await;
    let key = format!("{provider}:{client}");
    w.roles(
        &with_client,
        json!({ key.clone(): {"Type": "Token", "AmbiguousRoleResolution": "Deny"} }),
    )
    .await
    .unwrap();
    let roles = w
        .ids
        .get_identity_pool_roles(IdentityPoolIdRequest {
            identity_pool_id: with_client.clone(),
        })
        .await
        .unwrap();
    assert_eq!(roles.roles["authenticated"], AUTH_ROLE);
    assert_eq!(roles.roles["unauthenticated"], GUEST_ROLE);
    assert_eq!(
        serde_json::to_value(&roles.role_mappings).unwrap(),
        json!({ key: {"Type": "Token", "AmbiguousRoleResolution": "Deny"} })
    );
    assert_identity_error(
        w.roles(
            &with_client,
            json!({"accounts.google.com": {"Type": "Token", "AmbiguousRoleResolution": "Deny"}}),
        )
        .await,
        "InvalidParameterException",
        "accounts.google.com is not a valid RoleMapping ProviderName or is not a configured provider.",
    );
    assert_identity_error(
        w.roles(&with_client, json!({ provider.clone(): {"Type": "Token"} }))
            .await,
        "InvalidParameterException",
        "AmbiguousRoleResolution must be specified for Token or Rules role mappings.",
    );

    // Listing, in pages.
    let first = w
        .ids
        .list_identity_pools(ListIdentityPoolsRequest {
            max_results: Some(1),
            next_token: None,
        })
        .await
        .unwrap();
    assert_eq!(first.identity_pools.len(), 1);
    let rest = w
        .ids
        .list_identity_pools(ListIdentityPoolsRequest {
            max_results: Some(60),
            next_token: first.next_token.clone(),
        })
        .await
        .unwrap();
    assert_eq!((rest.identity_pools.len(), rest.next_token), (1, None));
    assert_identity_error(
        w.ids
            .list_identity_pools(ListIdentityPoolsRequest {
                max_results: Some(61),
                next_token: None,
            })
            .await,
        "InvalidParameterException",
        "1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60",
    );

    w.ids
        .delete_identity_pool(IdentityPoolIdRequest {
            identity_pool_id: id.clone(),
        })
        .await
        .unwrap();
    let gone = format!("IdentityPool '{id}' not found.");
    assert_identity_error(
        w.ids
            .describe_identity_pool(IdentityPoolIdRequest {
                identity_pool_id: id.clone(),
            })
            .await,
        "ResourceNotFoundException",
        &gone,
    );
    assert_identity_error(
        w.ids
            .delete_identity_pool(IdentityPoolIdRequest {
                identity_pool_id: id,
            })
            .await,
        "ResourceNotFoundException",
        &gone,
    );
}

#[tokio::test]
async fn user_pool_id_tokens_are_verified_for_real() {
    let w = identity_world!();
    let (_, client, provider) = w.user_pool().await;
    let pool = w.identity_pool(&provider, &client, |_| {}).await;
    w.roles(&pool, json!({})).await.unwrap();
    let token = w.id_token(&client, "alice").await;
    let sub = claims(&token)["sub"].as_str().unwrap().to_owned();
    let id = w.get_id(&pool, &[(&provider, &token)]).await.unwrap();
    let fresh = w.id_token(&client, "alice").await;
    assert_eq!(
        w.get_id(&pool, &[(&provider, &fresh)]).await.unwrap(),
        id,
        "one identity per login"
    );

    let (answer, role) = w
        .credentials(&id, &[(&provider, &token)], None)
        .await
        .unwrap();
    assert_eq!(
        (answer.identity_id.as_str(), role.as_str()),
        (id.as_str(), AUTH_ROLE)
    );
    assert!(answer.credentials.access_key_id.starts_with("ASIAMOCK"));
    assert_eq!(
        answer.credentials.secret_key.expose_secret(),
        format!("secret-{}", w.sts.calls.lock().unwrap().len())
    );
    let call = w.sts.last();
    assert_eq!(call.role_session_name, "CognitoIdentityCredentials");
    assert_eq!(call.duration_seconds.as_deref(), Some("3600"));
    // The token STS got is ours, verifiable with the published JWKS alone.
    let jwks = jwt_tokens::Jwks::parse(w.ids.jwks().await.unwrap().to_json().as_bytes()).unwrap();
    let verified = jwt_tokens::Verifier::from_jwks(&jwks)
        .unwrap()
        .verify_jws(&call.web_identity_token, NOW)
        .expect("signed by the identity service");
    let openid: serde_json::Value = serde_json::from_slice(&verified.payload).unwrap();
    assert_eq!(openid["iss"], "http://localhost:9229/identity");
    assert_eq!(openid["aud"], pool.as_str());
    assert_eq!(openid["sub"], id.as_str());
    assert_eq!(
        openid["amr"],
        json!([
            "authenticated",
            provider,
            format!("{provider}:CognitoSignIn:{sub}")
        ])
    );
    assert_eq!(
        openid["exp"].as_i64().unwrap() - openid["iat"].as_i64().unwrap(),
        600
    );
    assert_eq!(
        openid["https://cognito-identity.amazonaws.com/identity-pool-arn"],
        format!("arn:aws:cognito-identity:us-east-1:000000000000:identitypool/{pool}")
    );

    // What is refused, with Cognito's messages.
    let access = w.sign_in(&client, "alice").await.access_token;
    assert_identity_error(
        w.get_id(&pool, &[(&provider, access.expose_secret())])
            .await,
        "NotAuthorizedException",
        "Invalid login token. Missing a required claim: aud",
    );
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let mut forged = claims(&token);
    forged["sub"] = json!("someone-else");
    parts[1] = {
        use base64::Engine as _;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(forged.to_string())
    };
    assert_identity_error(
        w.get_id(&pool, &[(&provider, &parts.join("."))]).await,
        "NotAuthorizedException",
        "Invalid login token. Couldn't verify signed token.",
    );
    let (_, other_client, other_provider) = w.user_pool().await;
    let stranger = w.id_token(&other_client, "mallory").await;
    assert_identity_error(
        w.get_id(&pool, &[(&provider, &stranger)]).await,
        "NotAuthorizedException",
        "Invalid login token. Couldn't verify signed token.",
    );
    assert_identity_error(
        w.get_id(&pool, &[(&other_provider, &stranger)]).await,
        "NotAuthorizedException",
        "Token is not from a supported provider of this identity pool.",
    );
    let second_client = w.world.client(&w.world.pool_of(&client).await).await;
    let wrong_audience = w.id_token(&second_client, "alice").await;
    assert_identity_error(
        w.get_id(&pool, &[(&provider, &wrong_audience)]).await,
        "NotAuthorizedException",
        "Token is not from a supported provider of this identity pool.",
    );
    w.world.clock.advance(3600);
    let exp = claims(&token)["exp"].as_i64().unwrap();
    assert_identity_error(
        w.get_id(&pool, &[(&provider, &token)]).await,
        "NotAuthorizedException",
        &format!(
            "Invalid login token. Token expired: {} >= {exp}",
            w.world.now()
        ),
    );
}

#[tokio::test]
async fn aws_issuer_mode_names_pools_as_cognito_does() {
    let Some(store) = fresh_store() else { return };
    let world = World::build(store.clone(), |b| b.issuer(Issuer::Aws));
    let w = IdentityWorld::with_world(world, store, |b| b).await;
    let pool = w.world.pool().await;
    let client = w.world.client(&pool).await;
    let provider = format!("cognito-idp.us-east-1.amazonaws.com/{pool}");
    let ipool = w
        .identity_pool(&provider, &client, |r| r.allow_classic_flow = Some(true))
        .await;
    let token = w.id_token(&client, "carol").await;
    let id = w.get_id(&ipool, &[(&provider, &token)]).await.unwrap();
    let openid = w
        .ids
        .get_open_id_token(GetOpenIdTokenRequest {
            identity_id: id,
            logins: Some(SecretMap::of(&[(&provider, &token)])),
        })
        .await
        .unwrap();
    assert_eq!(
        claims(openid.token.expose_secret())["iss"],
        "https://cognito-identity.amazonaws.com"
    );
    assert_identity_error(
        w.get_id(&ipool, &[(&format!("localhost:9229/{pool}"), &token)])
            .await,
        "NotAuthorizedException",
        "Token is not from a supported provider of this identity pool.",
    );
}

#[tokio::test]
async fn guests_only_where_the_pool_allows_them() {
    let w = identity_world!();
    let (_, client, provider) = w.user_pool().await;
    let closed = w
        .identity_pool(&provider, &client, |r| {
            r.allow_unauthenticated_identities = Some(false)
        })
        .await;
    assert_identity_error(
        w.get_id(&closed, &[]).await,
        "NotAuthorizedException",
        "Unauthenticated access is not supported for this identity pool.",
    );
    let open = w.identity_pool(&provider, &client, |_| {}).await;
    let guest = w.get_id(&open, &[]).await.unwrap();
    let other_guest = w.get_id(&open, &[]).await.unwrap();
    assert_ne!(
        guest, other_guest,
        "every GetId without logins is a new guest"
    );
    assert_identity_error(
        w.credentials(&guest, &[], None).await,
        "InvalidIdentityPoolConfigurationException",
        "Invalid identity pool configuration. Check assigned IAM roles for this pool.",
    );
    w.roles(&open, json!({})).await.unwrap();
    let (_, role) = w.credentials(&guest, &[], None).await.unwrap();
    assert_eq!(role, GUEST_ROLE);

    // The guest signs in: the login is linked to it, which is now authenticated.
    let token = w.id_token(&client, "dave").await;
    let (answer, role) = w
        .credentials(&guest, &[(&provider, &token)], None)
        .await
        .unwrap();
    assert_eq!(
        (answer.identity_id.as_str(), role.as_str()),
        (guest.as_str(), AUTH_ROLE)
    );
    assert_eq!(
        w.get_id(&open, &[(&provider, &token)]).await.unwrap(),
        guest
    );
    assert_identity_error(
        w.credentials(&guest, &[], None).await,
        "NotAuthorizedException",
        &format!("Access to Identity '{guest}' is forbidden."),
    );
    // Another guest signing in to the same account gets that account's identity.
    let (answer, _) = w
        .credentials(&other_guest, &[(&provider, &token)], None)
        .await
        .unwrap();
    assert_eq!(answer.identity_id, guest);
    // Someone else's login does not open an identity that has logins of its own.
    let eve = w.id_token(&client, "eve").await;
    assert_identity_error(
        w.credentials(&guest, &[(&provider, &eve)], None).await,
        "NotAuthorizedException",
        "Logins don't match. Please include at least one valid login for this identity or identity pool.",
    );
    assert_identity_error(
        w.credentials("us-east-1:00000000-0000-4000-8000-000000000000", &[], None)
            .await,
        "ResourceNotFoundException",
        "Identity 'us-east-1:00000000-0000-4000-8000-000000000000' not found.",
    );
}

#[tokio::test]
async fn the_basic_flow_needs_allow_classic_flow() {
    let w = identity_world!();
    let (_, client, provider) = w.user_pool().await;
    let enhanced = w.identity_pool(&provider, &client, |_| {}).await;
    let token = w.id_token(&client, "erin").await;
    let id = w.get_id(&enhanced, &[(&provider, &token)]).await.unwrap();
    let ask = |id: &str| GetOpenIdTokenRequest {
        identity_id: id.into(),
        logins: Some(SecretMap::of(&[(&provider, &token)])),
    };
    assert_identity_error(
        w.ids.get_open_id_token(ask(&id)).await,
        "InvalidParameterException",
        "Basic (classic) flow is not enabled, please use enhanced flow.",
    );
    let classic = w
        .identity_pool(&provider, &client, |r| r.allow_classic_flow = Some(true))
        .await;
    let id = w.get_id(&classic, &[(&provider, &token)]).await.unwrap();
    let answer = w.ids.get_open_id_token(ask(&id)).await.unwrap();
    assert_eq!(answer.identity_id, id);
    let openid = claims(answer.token.expose_secret());
    assert_eq!(
        (openid["aud"].as_str(), openid["sub"].as_str()),
        (Some(classic.as_str()), Some(id.as_str()))
    );
    assert_eq!(openid["exp"].as_i64().unwrap(), NOW + 600);
    let document = w.ids.openid_configuration().await.unwrap();
    assert_eq!(document["issuer"], "http://localhost:9229/identity");
    assert_eq!(
        document["jwks_uri"],
        "http://localhost:9229/identity/.well-known/jwks.json"
    );
    w.roles(
        &classic,
        json!({ provider.clone(): {"Type": "Token", "AmbiguousRoleResolution": "AuthenticatedRole"} }),
    )
    .await
    .unwrap();
    assert_identity_error(
        w.ids.get_open_id_token(ask(&id)).await,
        "InvalidParameterException",
        "Basic (classic) flow is not supported with RoleMappings, please use enhanced flow.",
    );
}

#[tokio::test]
async fn identities_are_described_listed_unlinked_and_deleted() {
    let w = identity_world!();
    let (_, client, provider) = w.user_pool().await;
    let pool = w.identity_pool(&provider, &client, |_| {}).await;
    w.roles(&pool, json!({})).await.unwrap();
    let token = w.id_token(&client, "frank").await;
    let frank = w.get_id(&pool, &[(&provider, &token)]).await.unwrap();
    let guests = [
        w.get_id(&pool, &[]).await.unwrap(),
        w.get_id(&pool, &[]).await.unwrap(),
    ];
    let described = w
        .ids
        .describe_identity(IdentityIdRequest {
            identity_id: frank.clone(),
        })
        .await
        .unwrap();
    assert_eq!(described.logins, std::slice::from_ref(&provider));
    assert_eq!(
        (described.creation_date, described.last_modified_date),
        (NOW, NOW)
    );

    let list = |max: i64, next: Option<String>, hide: bool| ListIdentitiesRequest {
        identity_pool_id: pool.clone(),
        max_results: Some(max),
        next_token: next,
        hide_disabled: Some(hide),
    };
    let first = w.ids.list_identities(list(2, None, false)).await.unwrap();
    let rest = w
        .ids
        .list_identities(list(2, first.next_token.clone(), false))
        .await
        .unwrap();
    let mut all: Vec<String> = first
        .identities
        .iter()
        .chain(&rest.identities)
        .map(|i| i.identity_id.clone())
        .collect();
    all.sort();
    let mut expected = vec![frank.clone(), guests[0].clone(), guests[1].clone()];
    expected.sort();
    assert_eq!((all, rest.next_token), (expected, None));

    // Unlinking the last login disables the identity; the login is new again.
    w.world.clock.advance(5);
    let unlink = |remove: Vec<String>| UnlinkIdentityRequest {
        identity_id: frank.clone(),
        logins: Some(SecretMap::of(&[(&provider, &token)])),
        logins_to_remove: Some(remove),
    };
    w.ids
        .unlink_identity(unlink(vec![provider.clone()]))
        .await
        .unwrap();
    let described = w
        .ids
        .describe_identity(IdentityIdRequest {
            identity_id: frank.clone(),
        })
        .await
        .unwrap();
    assert!(described.logins.is_empty());
    assert_eq!(described.last_modified_date, NOW + 5);
    let shown = w.ids.list_identities(list(60, None, true)).await.unwrap();
    assert!(
        shown.identities.iter().all(|i| i.identity_id != frank),
        "disabled: hidden"
    );
    assert_identity_error(
        w.credentials(&frank, &[(&provider, &token)], None).await,
        "NotAuthorizedException",
        &format!("Access to Identity '{frank}' is forbidden."),
    );
    let renewed = w.get_id(&pool, &[(&provider, &token)]).await.unwrap();
    assert_ne!(renewed, frank);

    let deleted = w
        .ids
        .delete_identities(DeleteIdentitiesRequest {
            identity_ids_to_delete: vec![
                renewed.clone(),
                "us-east-1:00000000-0000-4000-8000-00000000dead".into(),
            ],
        })
        .await
        .unwrap();
    assert!(deleted.unprocessed_identity_ids.is_empty());
    assert_identity_error(
        w.ids
            .describe_identity(IdentityIdRequest {
                identity_id: renewed.clone(),
            })
            .await,
        "ResourceNotFoundException",
        &format!("Identity '{renewed}' not found."),
    );
    assert_identity_error(
        w.ids
            .delete_identities(DeleteIdentitiesRequest {
                identity_ids_to_delete: vec![],
            })
            .await,
        "InvalidParameterException",
        "1 validation error detected: Value at 'identityIdsToDelete' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
}

#[tokio::test]
async fn the_signing_key_is_sealed_in_the_store_and_shared() {
    let w = identity_world!();
    let first = w.ids.jwks().await.unwrap();
    assert_eq!(first.keys.len(), 1);
    assert_eq!(first.keys[0].key.algorithm(), jwt_tokens::Algorithm::RS256);
    let again = IdentityWorld::builder(&w.store, &w.world).build().unwrap();
    assert_eq!(
        again.jwks().await.unwrap(),
        first,
        "a second instance uses the stored key"
    );
    let identity_store: std::sync::Arc<dyn userpool_store::IdentityPools> = w.store.clone();
    let wrong_master = IdentityService::builder(identity_store, userpool::MasterKey::new([1; 32]))
        .build()
        .unwrap();
    assert_identity_error(
        wrong_master.jwks().await,
        "InternalErrorException",
        "Internal server error",
    );
}
