//! Keys: signing-key rotation on the virtual clock (retention, new kids, services sharing a
//! store, races), and the master keyring (values sealed under an old master key still open).

use std::collections::BTreeSet;

use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use userpool::wire::*;
use userpool::{KEY_CACHE_SECONDS, Keyring, MasterKey};

use super::support::*;

/// The `kid` in a JWT's header.
fn kid(token: &str) -> String {
    use base64::Engine as _;
    let header = token.split('.').next().expect("header");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header)
        .expect("b64");
    let header: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
    header["kid"].as_str().expect("kid").to_owned()
}

async fn jwks_kids(w: &World, pool: &str) -> Vec<String> {
    w.service
        .user_pool(pool)
        .await
        .expect("pool")
        .jwks()
        .keys
        .into_iter()
        .map(|k| k.kid)
        .collect()
}

/// A second service on `w`'s store (its own clock at the same time, its own RNG).
fn twin(w: &World, seed: u64) -> World {
    let store = w.store.clone();
    World::build(store, |b| b.rng(ChaCha20Rng::seed_from_u64(seed)))
}

async fn signed_in(w: &mut World, client: &str) -> AuthenticationResult {
    let r = w.password_sign_in(client, "alice", PASSWORD).await.unwrap();
    tokens(&r).clone()
}

#[tokio::test]
async fn a_token_signed_before_a_rotation_verifies_until_the_retention_passes() {
    let mut w = world!();
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    // Another client's ID tokens live two hours: the retention follows the longest.
    w.client_with(&pool, |r| {
        r.id_token_validity = Some(2);
        r.token_validity_units = Some(TokenValidityUnits {
            id_token: Some("hours".into()),
            ..Default::default()
        });
    })
    .await;
    w.user(&client, "alice", PASSWORD).await;
    let before = signed_in(&mut w, &client).await;
    let old_kids = jwks_kids(&w, &pool).await;
    assert_eq!(old_kids.len(), 2);
    assert!(old_kids.contains(&kid(before.id_token.expose_secret())));
    assert!(old_kids.contains(&kid(before.access_token.expose_secret())));

    let rotation = w.service.admin().rotate_signing_keys(&pool).await.unwrap();
    assert_eq!(rotation.retired_until, NOW + 7200 + KEY_CACHE_SECONDS);
    assert_eq!(
        rotation.retired_kids.iter().collect::<BTreeSet<_>>(),
        old_kids.iter().collect::<BTreeSet<_>>()
    );
    // The new keys are published at once, first; the old ones stay.
    assert_eq!(
        jwks_kids(&w, &pool).await,
        [
            rotation.id_token_kid.clone(),
            rotation.access_token_kid.clone(),
            old_kids[0].clone(),
            old_kids[1].clone()
        ]
    );
    // New tokens carry the new kids; the old access token still works.
    let after = signed_in(&mut w, &client).await;
    assert_eq!(kid(after.id_token.expose_secret()), rotation.id_token_kid);
    assert_eq!(
        kid(after.access_token.expose_secret()),
        rotation.access_token_kid
    );
    let me = w
        .service
        .accounts()
        .get_user(AccessTokenRequest {
            access_token: before.access_token.clone(),
        })
        .await
        .expect("an access token from before the rotation");
    assert_eq!(me.username, "alice");

    // Up to the last second of the retention the old ID token verifies (checked as of its
    // own lifetime, so only the key's retirement can refuse it) …
    let checked_at = NOW + 60;
    w.clock.set(rotation.retired_until);
    let pool_view = w.service.user_pool(&pool).await.unwrap();
    assert_eq!(pool_view.jwks().keys.len(), 4);
    pool_view
        .verify_id_token(before.id_token.expose_secret(), &client, checked_at)
        .expect("still verifies");
    // … and after it, the old keys are gone from the JWKS and verify nothing.
    w.clock.set(rotation.retired_until + 1);
    assert_eq!(
        jwks_kids(&w, &pool).await,
        [
            rotation.id_token_kid.clone(),
            rotation.access_token_kid.clone()
        ]
    );
    let pool_view = w.service.user_pool(&pool).await.unwrap();
    assert_eq!(
        pool_view
            .verify_id_token(before.id_token.expose_secret(), &client, checked_at)
            .unwrap_err(),
        jwt_tokens::Error::UnknownKeyId
    );
    pool_view
        .verify_id_token(after.id_token.expose_secret(), &client, checked_at)
        .expect("the new key verifies");
    assert_error(
        w.service
            .accounts()
            .get_user(AccessTokenRequest {
                access_token: before.access_token.clone(),
            })
            .await,
        "NotAuthorizedException",
        "Invalid Access Token",
    );
}

#[tokio::test]
async fn a_rotation_reaches_the_other_services_on_the_store() {
    let mut a = world!();
    let pool = a.pool().await;
    let client = a.client(&pool).await;
    a.user(&client, "alice", PASSWORD).await;
    let mut b = twin(&a, 8);
    let old_kids = jwks_kids(&b, &pool).await;

    let rotation = a.service.admin().rotate_signing_keys(&pool).await.unwrap();
    let fresh = signed_in(&mut a, &client).await;
    assert_eq!(
        kid(fresh.access_token.expose_secret()),
        rotation.access_token_kid
    );
    // B has not looked at the store since: the new kid makes it look before refusing.
    assert_eq!(jwks_kids(&b, &pool).await, old_kids, "B's copy is fresh");
    let me = b
        .service
        .accounts()
        .get_user(AccessTokenRequest {
            access_token: fresh.access_token.clone(),
        })
        .await
        .expect("B verifies A's new token");
    assert_eq!(me.username, "alice");
    assert_eq!(jwks_kids(&b, &pool).await.len(), 4);

    // A second rotation: B signs with its copy until the cache period ends, then with the
    // new keys (and A accepts both).
    let second = a.service.admin().rotate_signing_keys(&pool).await.unwrap();
    let stale = signed_in(&mut b, &client).await;
    assert_eq!(
        kid(stale.access_token.expose_secret()),
        rotation.access_token_kid
    );
    b.clock.advance(KEY_CACHE_SECONDS);
    a.clock.advance(KEY_CACHE_SECONDS);
    let current = signed_in(&mut b, &client).await;
    assert_eq!(
        kid(current.access_token.expose_secret()),
        second.access_token_kid
    );
    for token in [stale.access_token, current.access_token] {
        a.service
            .accounts()
            .get_user(AccessTokenRequest {
                access_token: token,
            })
            .await
            .expect("A verifies B's tokens");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_services_creating_a_pools_first_keys_at_once_agree() {
    let a = world!();
    let b = twin(&a, 8);
    // A pool whose keys nobody made yet (as a store shared with a version that made them
    // lazily would hold it).
    let config = user_pool_model::PoolConfig::new(
        user_pool_model::UserPoolId::parse("us-east-1_NoKeys001").unwrap(),
        "no-keys",
    )
    .unwrap();
    a.store.create_pool(config).await.unwrap();
    let (sa, sb) = (a.service.clone(), b.service.clone());
    let ta = tokio::spawn(async move { sa.user_pool("us-east-1_NoKeys001").await });
    let tb = tokio::spawn(async move { sb.user_pool("us-east-1_NoKeys001").await });
    let (ja, jb) = (
        ta.await.unwrap().unwrap().jwks(),
        tb.await.unwrap().unwrap().jwks(),
    );
    assert_eq!(ja, jb, "one key set");
    assert_eq!(ja.keys.len(), 2);
    let c = twin(&a, 9);
    assert_eq!(
        c.service
            .user_pool("us-east-1_NoKeys001")
            .await
            .unwrap()
            .jwks(),
        ja
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_rotations_lose_no_key() {
    let a = world!();
    let pool = a.pool().await;
    let b = twin(&a, 8);
    let original = jwks_kids(&a, &pool).await;
    let (sa, sb) = (a.service.clone(), b.service.clone());
    let (pa, pb) = (pool.clone(), pool.clone());
    let ra = tokio::spawn(async move { sa.admin().rotate_signing_keys(&pa).await });
    let rb = tokio::spawn(async move { sb.admin().rotate_signing_keys(&pb).await });
    let (ra, rb) = (ra.await.unwrap().unwrap(), rb.await.unwrap().unwrap());
    let c = twin(&a, 9);
    let kids: BTreeSet<String> = jwks_kids(&c, &pool).await.into_iter().collect();
    let expected: BTreeSet<String> = original
        .into_iter()
        .chain([
            ra.id_token_kid,
            ra.access_token_kid,
            rb.id_token_kid,
            rb.access_token_kid,
        ])
        .collect();
    assert_eq!(kids, expected);
}

#[tokio::test]
async fn rotations_stop_before_the_jwks_outgrows_what_verifiers_read() {
    let w = world!();
    let pool = w.pool().await;
    for _ in 0..(jwt_tokens::MAX_JWKS_KEYS - 2) / 2 {
        w.service.admin().rotate_signing_keys(&pool).await.unwrap();
    }
    assert_eq!(jwks_kids(&w, &pool).await.len(), jwt_tokens::MAX_JWKS_KEYS);
    assert_error(
        w.service.admin().rotate_signing_keys(&pool).await,
        "LimitExceededException",
        "Too many signing-key rotations within the token lifetime; try again when older keys have expired.",
    );
    // Once the retired keys expired, rotations go on.
    w.clock.advance(3600 + KEY_CACHE_SECONDS + 1);
    w.service.admin().rotate_signing_keys(&pool).await.unwrap();
    assert_eq!(jwks_kids(&w, &pool).await.len(), 4);
    assert_error(
        w.service
            .admin()
            .rotate_signing_keys("us-east-1_Missing00")
            .await,
        "ResourceNotFoundException",
        "User pool does not exist.",
    );
}

#[tokio::test]
async fn a_master_key_rotation_keeps_every_sealed_value_open() {
    let w = world!();
    let pool = w.pool().await;
    let client = w.client_with(&pool, |r| r.generate_secret = true).await;
    let secret = client.client_secret.clone().unwrap();
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
    w.service
        .accounts()
        .admin_set_user_password(AdminSetUserPasswordRequest {
            user_pool_id: pool.clone(),
            username: "alice".into(),
            password: PASSWORD.into(),
            permanent: true,
        })
        .await
        .unwrap();
    let hash = |username: &str| {
        user_pool_model::secret_hash(
            &user_pool_model::ClientSecret::parse(secret.expose_secret()).unwrap(),
            username,
            &user_pool_model::ClientId::parse(&client.client_id).unwrap(),
        )
    };
    let sign_in = |w: &World| {
        let (client_id, hash) = (client.client_id.clone(), hash("alice"));
        let service = w.service.clone();
        async move {
            service
                .sign_in()
                .initiate_auth(InitiateAuthRequest {
                    client_id,
                    auth_flow: "USER_PASSWORD_AUTH".into(),
                    auth_parameters: SecretMap::of(&[
                        ("USERNAME", "alice"),
                        ("PASSWORD", PASSWORD),
                        ("SECRET_HASH", &hash),
                    ]),
                    ..Default::default()
                })
                .await
        }
    };
    sign_in(&w).await.expect("under the first master key");

    // The support world's master key is key 0; the new one is key 1.
    let ring = Keyring::new(1, MasterKey::new([43; 32]))
        .with_old_key(Keyring::LEGACY_KEY_ID, MasterKey::new([42; 32]))
        .unwrap();
    let rotated = World::build_with_key(w.store.clone(), ring, |b| {
        b.rng(ChaCha20Rng::seed_from_u64(3))
    });
    sign_in(&rotated)
        .await
        .expect("verifier, client secret and signing keys still open");
    // A new password is sealed under key 1.
    rotated
        .service
        .accounts()
        .admin_set_user_password(AdminSetUserPasswordRequest {
            user_pool_id: pool.clone(),
            username: "alice".into(),
            password: "N3w-Passw0rd!".into(),
            permanent: true,
        })
        .await
        .unwrap();
    let user = stored_user(w.store.as_ref(), &pool, "alice").await;
    let verifier = &user.password.unwrap().verifier;
    assert_eq!(
        verifier[..userpool::HEADER_BYTES],
        [userpool::FORMAT_V1, 0, 0, 0, 1]
    );

    // Without key 0 the client secret and signing keys do not open: an internal error.
    let only_new = World::build_with_key(w.store.clone(), MasterKey::new([43; 32]), |b| b);
    assert_kind(sign_in(&only_new).await, "InternalErrorException");
}
