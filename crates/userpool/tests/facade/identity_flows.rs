//! Identity pools' harder paths: role mappings from user-pool groups (`cognito:roles`,
//! `cognito:preferred_role`) and rules, `CustomRoleArn`, STS refusing; the developer flow;
//! `ServerSideTokenCheck`; several logins on one identity; 50 concurrent GetIds; an external
//! OpenID Connect provider on loopback (discovery, JWKS, key rotation, outage).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use serde_json::json;
use userpool::identity::wire::*;
use userpool::wire::*;

use super::identity_world::*;
use super::support::*;

const ADMINS: &str = "arn:aws:iam::123456789012:role/Admins";
const STAFF: &str = "arn:aws:iam::123456789012:role/Staff";

async fn group(w: &IdentityWorld, pool: &str, name: &str, role: &str, precedence: u32) {
    w.world
        .service
        .admin()
        .create_group(GroupRequest {
            user_pool_id: pool.into(),
            group_name: name.into(),
            role_arn: Some(role.into()),
            precedence: Some(precedence),
            ..Default::default()
        })
        .await
        .expect("group");
}

async fn join(w: &IdentityWorld, pool: &str, user: &str, group: &str) {
    w.world
        .service
        .admin()
        .admin_add_user_to_group(GroupMemberRequest {
            user_pool_id: pool.into(),
            username: user.into(),
            group_name: group.into(),
        })
        .await
        .expect("member");
}

#[tokio::test]
async fn roles_from_groups_rules_and_custom_role_arns() {
    let w = identity_world!();
    let (up, client, provider) = w.user_pool().await;
    let pool = w.identity_pool(&provider, &client, |_| {}).await;
    group(&w, &up, "admins", ADMINS, 1).await;
    group(&w, &up, "staff", STAFF, 5).await;
    w.world.user(&client, "grace", PASSWORD).await;
    join(&w, &up, "grace", "admins").await;
    join(&w, &up, "grace", "staff").await;
    let grace = w.id_token(&client, "grace").await;
    assert_eq!(claims(&grace)["cognito:preferred_role"], ADMINS);
    let bob = w.id_token(&client, "bob").await;
    let grace_id = w.get_id(&pool, &[(&provider, &grace)]).await.unwrap();
    let bob_id = w.get_id(&pool, &[(&provider, &bob)]).await.unwrap();
    let key = format!("{provider}:{client}");

    // Token: the preferred role, a CustomRoleArn among cognito:roles, nothing else.
    w.roles(
        &pool,
        json!({ key.clone(): {"Type": "Token", "AmbiguousRoleResolution": "AuthenticatedRole"} }),
    )
    .await
    .unwrap();
    let role = |r: Result<(GetCredentialsForIdentityResponse, String), userpool::IdentityError>| {
        r.map(|(_, role)| role)
    };
    assert_eq!(
        role(w.credentials(&grace_id, &[(&provider, &grace)], None).await).unwrap(),
        ADMINS
    );
    assert_eq!(
        role(
            w.credentials(&grace_id, &[(&provider, &grace)], Some(STAFF))
                .await
        )
        .unwrap(),
        STAFF
    );
    let other = "arn:aws:iam::123456789012:role/Other";
    assert_identity_error(
        w.credentials(&grace_id, &[(&provider, &grace)], Some(other))
            .await,
        "NotAuthorizedException",
        &format!("The role {other} is not one of the roles this login may assume."),
    );
    assert_eq!(
        role(w.credentials(&bob_id, &[(&provider, &bob)], None).await).unwrap(),
        AUTH_ROLE
    );
    w.roles(
        &pool,
        json!({ key.clone(): {"Type": "Token", "AmbiguousRoleResolution": "Deny"} }),
    )
    .await
    .unwrap();
    assert_identity_error(
        w.credentials(&bob_id, &[(&provider, &bob)], None).await,
        "NotAuthorizedException",
        &format!("The ambiguous role mapping rules for: {provider} denied this request."),
    );

    // Rules, in order, on the provider without the client.
    let rules = json!({ provider.clone(): {"Type": "Rules", "AmbiguousRoleResolution": "AuthenticatedRole",
    "RulesConfiguration": {"Rules": [
        {"Claim": "cognito:groups", "MatchType": "Contains", "Value": "staf", "RoleARN": STAFF},
        {"Claim": "email", "MatchType": "StartsWith", "Value": "bob@", "RoleARN": ADMINS},
    ]}}});
    w.roles(&pool, rules).await.unwrap();
    assert_eq!(
        role(w.credentials(&grace_id, &[(&provider, &grace)], None).await).unwrap(),
        STAFF
    );
    assert_eq!(
        role(w.credentials(&bob_id, &[(&provider, &bob)], None).await).unwrap(),
        ADMINS
    );
    assert_identity_error(
        w.credentials(&bob_id, &[(&provider, &bob)], Some(STAFF))
            .await,
        "NotAuthorizedException",
        &format!("The role {STAFF} is not one of the roles this login may assume."),
    );

    // STS refusing the role is Cognito's configuration error.
    w.ids
        .set_identity_pool_roles(SetIdentityPoolRolesRequest {
            identity_pool_id: pool.clone(),
            roles: Some(BTreeMap::from([(
                "authenticated".to_owned(),
                "arn:aws:iam::123456789012:role/Denied".to_owned(),
            )])),
            role_mappings: BTreeMap::new(),
        })
        .await
        .unwrap();
    assert_identity_error(
        w.credentials(&bob_id, &[(&provider, &bob)], None).await,
        "InvalidIdentityPoolConfigurationException",
        "Invalid identity pool configuration. Check assigned IAM roles for this pool.",
    );
}

#[tokio::test]
async fn the_developer_flow() {
    let w = identity_world!();
    let (_, client, provider) = w.user_pool().await;
    let pool = w
        .identity_pool(&provider, &client, |r| {
            r.developer_provider_name = Some("login.example.app".into());
            r.allow_unauthenticated_identities = Some(false);
        })
        .await;
    w.roles(&pool, json!({})).await.unwrap();
    let developer =
        |user: &str, identity: Option<&str>| GetOpenIdTokenForDeveloperIdentityRequest {
            identity_pool_id: pool.clone(),
            identity_id: identity.map(str::to_owned),
            logins: Some(SecretMap::of(&[("login.example.app", user)])),
            principal_tags: Some(BTreeMap::from([("team".into(), "blue".into())])),
            token_duration: Some(3600),
        };
    let first = w
        .ids
        .get_open_id_token_for_developer_identity(developer("user-42", None))
        .await
        .unwrap();
    let x = first.identity_id.clone();
    let openid = claims(first.token.expose_secret());
    assert_eq!(
        openid["amr"],
        json!([
            "authenticated",
            "login.example.app",
            "login.example.app:user-42"
        ])
    );
    assert_eq!(openid["exp"].as_i64().unwrap(), NOW + 3600);
    assert_eq!(
        openid["https://aws.amazon.com/tags"],
        json!({"principal_tags": {"team": ["blue"]}})
    );
    let again = w
        .ids
        .get_open_id_token_for_developer_identity(developer("user-42", None))
        .await
        .unwrap();
    assert_eq!(again.identity_id, x);

    // The backend links a second user identifier to the identity; a third has its own.
    w.ids
        .get_open_id_token_for_developer_identity(developer("user-43", Some(&x)))
        .await
        .unwrap();
    let y = w
        .ids
        .get_open_id_token_for_developer_identity(developer("user-44", None))
        .await
        .unwrap()
        .identity_id;
    assert_ne!(x, y);
    assert_identity_error(
        w.ids
            .get_open_id_token_for_developer_identity(developer("user-44", Some(&x)))
            .await,
        "DeveloperUserAlreadyRegisteredException",
        "This developer user identifier is already registered with Cognito.",
    );
    let lookup = |identity: Option<&str>,
                  user: Option<&str>,
                  max: Option<i64>,
                  next: Option<String>| LookupDeveloperIdentityRequest {
        identity_pool_id: pool.clone(),
        identity_id: identity.map(str::to_owned),
        developer_user_identifier: user.map(str::to_owned),
        max_results: max,
        next_token: next,
    };
    let by_user = w
        .ids
        .lookup_developer_identity(lookup(None, Some("user-43"), None, None))
        .await
        .unwrap();
    assert_eq!(by_user.identity_id, x);
    let page = w
        .ids
        .lookup_developer_identity(lookup(Some(&x), None, Some(1), None))
        .await
        .unwrap();
    assert_eq!(page.developer_user_identifier_list, ["user-42"]);
    let rest = w
        .ids
        .lookup_developer_identity(lookup(Some(&x), None, Some(1), page.next_token))
        .await
        .unwrap();
    assert_eq!(
        (rest.developer_user_identifier_list, rest.next_token),
        (vec!["user-43".to_owned()], None)
    );
    assert_identity_error(
        w.ids
            .lookup_developer_identity(lookup(Some(&y), Some("user-42"), None, None))
            .await,
        "ResourceConflictException",
        "The developer user identifier is not linked to this identity.",
    );

    // The client trades the token for credentials, under Cognito's provider name or ours.
    let token = first.token.expose_secret().to_owned();
    let (answer, role) = w
        .credentials(&x, &[("cognito-identity.amazonaws.com", &token)], None)
        .await
        .unwrap();
    assert_eq!(
        (answer.identity_id.as_str(), role.as_str()),
        (x.as_str(), AUTH_ROLE)
    );
    assert!(
        w.credentials(&x, &[("localhost:9229/identity", &token)], None)
            .await
            .is_ok()
    );
    assert_identity_error(
        w.credentials(&y, &[("cognito-identity.amazonaws.com", &token)], None)
            .await,
        "NotAuthorizedException",
        "Logins don't match. Please include at least one valid login for this identity or identity pool.",
    );
    w.ids
        .unlink_developer_identity(UnlinkDeveloperIdentityRequest {
            identity_id: x.clone(),
            identity_pool_id: pool.clone(),
            developer_provider_name: "login.example.app".into(),
            developer_user_identifier: "user-43".into(),
        })
        .await
        .unwrap();
    let left = w
        .ids
        .lookup_developer_identity(lookup(Some(&x), None, None, None))
        .await
        .unwrap();
    assert_eq!(left.developer_user_identifier_list, ["user-42"]);
    let mut bad = developer("user-1", None);
    bad.token_duration = Some(0);
    assert_identity_error(
        w.ids.get_open_id_token_for_developer_identity(bad).await,
        "InvalidParameterException",
        "1 validation error detected: Value '0' at 'tokenDuration' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
}

#[tokio::test]
async fn server_side_token_check_asks_the_user_pool() {
    let w = identity_world!();
    let (_, client, provider) = w.user_pool().await;
    let pool = w
        .identity_pool(&provider, &client, |r| {
            r.cognito_identity_providers[0].server_side_token_check = Some(true);
        })
        .await;
    let token = w.id_token(&client, "heidi").await;
    let session = w.sign_in(&client, "heidi").await;
    assert!(w.get_id(&pool, &[(&provider, &token)]).await.is_ok());
    w.world
        .service
        .tokens()
        .global_sign_out(AccessTokenRequest {
            access_token: session.access_token,
        })
        .await
        .unwrap();
    assert_identity_error(
        w.get_id(&pool, &[(&provider, &token)]).await,
        "NotAuthorizedException",
        "Invalid login token. Token has been revoked",
    );
    let unchecked = w.identity_pool(&provider, &client, |_| {}).await;
    assert!(
        w.get_id(&unchecked, &[(&provider, &token)]).await.is_ok(),
        "without the check the token stands until it expires"
    );
}

#[tokio::test]
async fn several_logins_make_one_identity_and_conflicts_are_refused() {
    let w = identity_world!();
    let (_, a_client, a) = w.user_pool().await;
    let (_, b_client, b) = w.user_pool().await;
    let pool = w
        .identity_pool(&a, &a_client, |r| {
            r.cognito_identity_providers
                .push(CognitoIdentityProviderRequest {
                    provider_name: b.clone(),
                    client_id: b_client.clone(),
                    server_side_token_check: None,
                });
        })
        .await;
    let ivan_a = w.id_token(&a_client, "ivan").await;
    let ivan_b = w.id_token(&b_client, "ivan").await;
    let one = w
        .get_id(&pool, &[(&a, &ivan_a), (&b, &ivan_b)])
        .await
        .unwrap();
    assert_eq!(w.get_id(&pool, &[(&b, &ivan_b)]).await.unwrap(), one);
    let mut logins = w
        .ids
        .describe_identity(IdentityIdRequest {
            identity_id: one.clone(),
        })
        .await
        .unwrap()
        .logins;
    logins.sort();
    let mut expected = vec![a.clone(), b.clone()];
    expected.sort();
    assert_eq!(logins, expected);

    let judy_a = w.id_token(&a_client, "judy").await;
    let judy_b = w.id_token(&b_client, "judy").await;
    let x = w.get_id(&pool, &[(&a, &judy_a)]).await.unwrap();
    let y = w.get_id(&pool, &[(&b, &judy_b)]).await.unwrap();
    assert_ne!(x, y);
    assert_identity_error(
        w.get_id(&pool, &[(&a, &judy_a), (&b, &judy_b)]).await,
        "ResourceConflictException",
        "The login is already linked to another identity.",
    );
    w.roles(&pool, json!({})).await.unwrap();
    assert_identity_error(
        w.credentials(&x, &[(&a, &judy_a), (&b, &judy_b)], None)
            .await,
        "ResourceConflictException",
        "The login is already linked to another identity.",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_get_ids_make_one_identity() {
    let w = identity_world!();
    let (_, client, provider) = w.user_pool().await;
    let pool = w.identity_pool(&provider, &client, |_| {}).await;
    let token = w.id_token(&client, "ken").await;
    let ids = Arc::new(w.ids.clone());
    let handles: Vec<_> = (0..50)
        .map(|_| {
            let (ids, pool, provider, token) =
                (ids.clone(), pool.clone(), provider.clone(), token.clone());
            tokio::spawn(async move {
                ids.get_id(GetIdRequest {
                    identity_pool_id: pool,
                    logins: Some(SecretMap::of(&[(&provider, &token)])),
                    ..Default::default()
                })
                .await
                .map(|r| r.identity_id)
            })
        })
        .collect();
    let mut got = Vec::new();
    for h in handles {
        got.push(h.await.unwrap().expect("GetId"));
    }
    assert!(got.iter().all(|g| *g == got[0]), "{got:?}");
    let listed = w
        .ids
        .list_identities(ListIdentitiesRequest {
            identity_pool_id: pool,
            max_results: Some(60),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(listed.identities.len(), 1);
}

/// An OpenID Connect provider on loopback: discovery and a JWKS that can be rotated.
struct Provider {
    url: String,
    key: Arc<Mutex<jwt_tokens::SigningKey>>,
}

const ISSUER: &str = "https://login.example.test";
const ARN: &str = "arn:aws:iam::123456789012:oidc-provider/login.example.test";

impl Provider {
    async fn start() -> Self {
        let key = Arc::new(Mutex::new(new_key(1)));
        let jwks_key = key.clone();
        let url_cell = Arc::new(Mutex::new(String::new()));
        let discovery_url = url_cell.clone();
        let app = axum::Router::new()
            .route(
                "/.well-known/openid-configuration",
                axum::routing::get(move || {
                    let base = discovery_url.lock().unwrap().clone();
                    async move {
                        axum::Json(json!({"issuer": ISSUER, "jwks_uri": format!("{base}/jwks")}))
                    }
                }),
            )
            .route(
                "/jwks",
                axum::routing::get(move || {
                    let k = jwks_key.lock().unwrap();
                    let jwks = jwt_tokens::Jwks {
                        keys: vec![jwt_tokens::Jwk {
                            kid: k.kid().to_owned(),
                            key: k.public_key().clone(),
                        }],
                    };
                    let body = jwks.to_json();
                    async move { body }
                }),
            );
        let url = serve(app).await;
        *url_cell.lock().unwrap() = url.clone();
        Self { url, key }
    }

    fn token(&self, sub: &str, aud: &str, exp: i64) -> String {
        let claims = json!({"iss": ISSUER, "aud": aud, "sub": sub, "iat": NOW, "exp": exp});
        self.key
            .lock()
            .unwrap()
            .sign_claims(claims.as_object().unwrap())
            .unwrap()
    }
}

fn new_key(seed: u64) -> jwt_tokens::SigningKey {
    jwt_tokens::SigningKey::generate(
        jwt_tokens::Algorithm::ES256,
        &mut ChaCha20Rng::seed_from_u64(seed),
    )
    .unwrap()
}

#[tokio::test]
async fn external_oidc_providers_by_their_jwks() {
    let idp = Provider::start().await;
    let discovery = format!("{}/.well-known/openid-configuration", idp.url);
    let w = identity_world!(|b| b
        .oidc_client_ids(ARN, vec!["my-app".into()])
        .oidc_discovery_url(ISSUER, &discovery)
        .oidc_discovery_url("https://down.example.test", "http://127.0.0.1:9/nothing"));
    let (_, client, provider) = w.user_pool().await;
    let pool = w
        .identity_pool(&provider, &client, |r| {
            r.open_id_connect_provider_arns = vec![
                ARN.into(),
                "arn:aws:iam::123456789012:oidc-provider/down.example.test".into(),
            ];
        })
        .await;
    let name = "login.example.test";
    let token = idp.token("oidc-user-1", "my-app", NOW + 300);
    let id = w.get_id(&pool, &[(name, &token)]).await.unwrap();
    assert_eq!(
        w.get_id(
            &pool,
            &[(name, &idp.token("oidc-user-1", "my-app", NOW + 60))]
        )
        .await
        .unwrap(),
        id
    );
    assert_identity_error(
        w.get_id(
            &pool,
            &[(name, &idp.token("oidc-user-1", "other-app", NOW + 60))],
        )
        .await,
        "NotAuthorizedException",
        "Token is not from a supported provider of this identity pool.",
    );
    let foreign = {
        let claims = json!({"iss": ISSUER, "aud": "my-app", "sub": "x", "exp": NOW + 60});
        new_key(77)
            .sign_claims(claims.as_object().unwrap())
            .unwrap()
    };
    assert_identity_error(
        w.get_id(&pool, &[(name, &foreign)]).await,
        "NotAuthorizedException",
        "Invalid login token. Couldn't verify signed token.",
    );

    // The provider rotates its key: an unknown kid refetches, but not more than every 30 s.
    *idp.key.lock().unwrap() = new_key(2);
    let rotated = idp.token("oidc-user-2", "my-app", NOW + 600);
    assert_identity_error(
        w.get_id(&pool, &[(name, &rotated)]).await,
        "NotAuthorizedException",
        "Invalid login token. Couldn't verify signed token.",
    );
    w.world.clock.advance(31);
    assert!(w.get_id(&pool, &[(name, &rotated)]).await.is_ok());

    let down = {
        let claims =
            json!({"iss": "https://down.example.test", "aud": "a", "sub": "x", "exp": NOW + 600});
        new_key(5).sign_claims(claims.as_object().unwrap()).unwrap()
    };
    assert_identity_error(
        w.get_id(&pool, &[("down.example.test", &down)]).await,
        "ExternalServiceException",
        "The identity provider https://down.example.test could not be reached.",
    );
}
