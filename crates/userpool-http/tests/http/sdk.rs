//! The official Rust AWS SDK (`aws-sdk-cognitoidentityprovider`) against the router served on a
//! loopback port, with only an endpoint override: admin calls SigV4-signed by the SDK, user
//! calls unsigned. Tokens are verified with `jsonwebtoken` and the JWKS fetched over HTTP.

use std::net::SocketAddr;
use std::sync::Arc;

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata;
use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, ChallengeNameType, SoftwareTokenMfaSettingsType,
};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use userpool::{Issuer, MasterKey, Outbox, Service};
use userpool_http::{AdminCredentials, HttpConfig, router_with};
use userpool_store::MemoryStore;

const PASSWORD: &str = "Corr3ct-Horse!";

pub struct Server {
    pub endpoint: String,
    pub service: Service,
    pub sdk: Client,
    pub http: reqwest::Client,
}

/// The router on 127.0.0.1:<ephemeral>, the SDK pointed at it; tokens issued by the server's
/// own URL.
pub async fn serve() -> Server {
    serve_with(|endpoint| Issuer::SelfHosted {
        base_url: endpoint.to_owned(),
    })
    .await
}

/// Like [`serve`] with the issuer mode `issuer` picks for the endpoint.
pub async fn serve_with(issuer: impl FnOnce(&str) -> Issuer) -> Server {
    serve_configured(issuer, |c| c).await
}

/// Like [`serve`], with the adapter's configuration adjusted by `configure`.
pub async fn serve_config(configure: impl FnOnce(HttpConfig) -> HttpConfig) -> Server {
    serve_configured(
        |endpoint| Issuer::SelfHosted {
            base_url: endpoint.to_owned(),
        },
        configure,
    )
    .await
}

async fn serve_configured(
    issuer: impl FnOnce(&str) -> Issuer,
    configure: impl FnOnce(HttpConfig) -> HttpConfig,
) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let endpoint = format!("http://{}", listener.local_addr().expect("addr"));
    let issuer = issuer(&endpoint);
    let outbox = Arc::new(Outbox::new());
    let service = Service::builder(Arc::new(MemoryStore::new()), MasterKey::new([5; 32]))
        .sender(outbox.clone())
        .issuer(issuer)
        .rng(ChaCha20Rng::seed_from_u64(11))
        .build()
        .expect("service");
    let config = configure(
        HttpConfig::default()
            .admin_credentials(vec![AdminCredentials::new("AKIDTEST", "test-secret-key")])
            .dev_outbox(outbox),
    );
    let app: axum::Router = router_with(service.clone(), config);
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .expect("serve");
    });
    let conf = aws_sdk_cognitoidentityprovider::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(&endpoint)
        .credentials_provider(Credentials::new(
            "AKIDTEST",
            "test-secret-key",
            None,
            None,
            "test",
        ))
        .build();
    Server {
        endpoint,
        service,
        sdk: Client::from_conf(conf),
        http: reqwest::Client::new(),
    }
}

impl Server {
    /// A pool (email auto-verified) and a client allowing every flow.
    pub async fn pool_and_client(&self) -> (String, String) {
        userpool_testkit::pool_and_client(&self.sdk, false).await
    }

    /// The latest code sent to `username`, read through `GET /_dev/messages`.
    pub async fn code(&self, pool: &str, username: &str) -> String {
        userpool_testkit::dev_code(&self.http, &self.endpoint, pool, username).await
    }

    /// Signs up and confirms `username` (email `<username>@example.com`).
    pub async fn user(&self, pool: &str, client: &str, username: &str) {
        let confirmed = userpool_testkit::sign_up(&self.sdk, client, username)
            .await
            .expect("SignUp");
        assert!(!confirmed);
        let code = self.code(pool, username).await;
        self.sdk
            .confirm_sign_up()
            .client_id(client)
            .username(username)
            .confirmation_code(code)
            .send()
            .await
            .expect("ConfirmSignUp");
    }

    /// Verifies an ID token with `jsonwebtoken` and the JWKS fetched over HTTP.
    pub async fn verify_id_token(
        &self,
        pool: &str,
        client: &str,
        token: &str,
    ) -> serde_json::Value {
        // Explicit, so the workspace's feature unification (another crate enables jsonwebtoken's
        // aws_lc_rs too) cannot leave jsonwebtoken without a provider.
        let _ = jsonwebtoken::crypto::CryptoProvider::install_default(
            &jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER,
        );
        let jwks: jsonwebtoken::jwk::JwkSet = self
            .http
            .get(format!("{}/{pool}/.well-known/jwks.json", self.endpoint))
            .send()
            .await
            .expect("jwks")
            .json()
            .await
            .expect("jwks json");
        let header = jsonwebtoken::decode_header(token).expect("header");
        let jwk = jwks
            .find(header.kid.as_deref().expect("kid"))
            .expect("the kid is published");
        let key = jsonwebtoken::DecodingKey::from_jwk(jwk).expect("key");
        let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
        validation.set_audience(&[client]);
        validation.set_issuer(&[format!("{}/{pool}", self.endpoint)]);
        jsonwebtoken::decode::<serde_json::Value>(token, &key, &validation)
            .expect("a valid ID token")
            .claims
    }
}

#[tokio::test]
async fn sign_up_sign_in_refresh_and_sign_out() {
    let s = serve().await;
    let (pool, client) = s.pool_and_client().await;
    let pools = s
        .sdk
        .list_user_pools()
        .max_results(10)
        .send()
        .await
        .expect("ListUserPools");
    assert_eq!(pools.user_pools().len(), 1);
    s.user(&pool, &client, "alice").await;

    // USER_PASSWORD_AUTH.
    let auth = s
        .sdk
        .initiate_auth()
        .client_id(&client)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "alice")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .expect("InitiateAuth");
    let result = auth.authentication_result.expect("tokens");
    let claims = s
        .verify_id_token(&pool, &client, result.id_token().unwrap())
        .await;
    assert_eq!(claims["cognito:username"], "alice");
    assert_eq!(claims["email_verified"], true);

    // USER_SRP_AUTH: the SRP math from our client, the calls through the SDK.
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let srp_tokens = userpool_testkit::srp_sign_in(
        &s.sdk,
        &s.sdk,
        &client,
        &pool,
        "alice",
        PASSWORD,
        s.service.now(),
        &mut rng,
    )
    .await;

    // Refresh, then GetUser, GlobalSignOut, and the refusal after it.
    let refreshed = s
        .sdk
        .initiate_auth()
        .client_id(&client)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", srp_tokens.refresh_token().unwrap())
        .send()
        .await
        .expect("refresh")
        .authentication_result
        .expect("tokens");
    let access = refreshed.access_token().unwrap().to_owned();
    let me = s
        .sdk
        .get_user()
        .access_token(&access)
        .send()
        .await
        .expect("GetUser");
    assert_eq!(me.username(), "alice");
    s.sdk
        .global_sign_out()
        .access_token(&access)
        .send()
        .await
        .expect("GlobalSignOut");
    let refused = s
        .sdk
        .get_user()
        .access_token(&access)
        .send()
        .await
        .expect_err("revoked");
    let refused = refused.into_service_error();
    assert_eq!(refused.code(), Some("NotAuthorizedException"));
    assert_eq!(refused.message(), Some("Access Token has been revoked"));
    assert!(refused.is_not_authorized_exception());

    // Errors as the SDK parses them.
    let dup = s
        .sdk
        .sign_up()
        .client_id(&client)
        .username("alice")
        .password(PASSWORD)
        .send()
        .await
        .expect_err("duplicate")
        .into_service_error();
    assert!(dup.is_username_exists_exception());
    assert_eq!(dup.message(), Some("User already exists"));
    let wrong = s
        .sdk
        .initiate_auth()
        .client_id(&client)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "alice")
        .auth_parameters("PASSWORD", "Wrong-passw0rd!")
        .send()
        .await
        .expect_err("wrong password")
        .into_service_error();
    assert!(wrong.is_not_authorized_exception());
    assert_eq!(wrong.message(), Some("Incorrect username or password."));
}

#[tokio::test]
async fn admin_users_groups_lists_and_new_password() {
    let s = serve().await;
    let (pool, client) = s.pool_and_client().await;
    for name in ["ann", "bob", "cat"] {
        s.user(&pool, &client, name).await;
    }
    s.sdk
        .create_group()
        .user_pool_id(&pool)
        .group_name("admins")
        .precedence(1)
        .send()
        .await
        .expect("CreateGroup");
    s.sdk
        .admin_add_user_to_group()
        .user_pool_id(&pool)
        .username("ann")
        .group_name("admins")
        .send()
        .await
        .expect("AdminAddUserToGroup");
    let tokens = s
        .sdk
        .initiate_auth()
        .client_id(&client)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "ann")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .unwrap()
        .authentication_result
        .unwrap();
    let claims = s
        .verify_id_token(&pool, &client, tokens.id_token().unwrap())
        .await;
    assert_eq!(claims["cognito:groups"], serde_json::json!(["admins"]));

    let page = s
        .sdk
        .list_users()
        .user_pool_id(&pool)
        .limit(2)
        .send()
        .await
        .expect("ListUsers");
    assert_eq!(page.users().len(), 2);
    let rest = s
        .sdk
        .list_users()
        .user_pool_id(&pool)
        .limit(2)
        .pagination_token(page.pagination_token().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(rest.users().len(), 1);
    let filtered = s
        .sdk
        .list_users()
        .user_pool_id(&pool)
        .filter("email ^= \"b\"")
        .send()
        .await
        .unwrap();
    assert_eq!(
        filtered
            .users()
            .iter()
            .map(|u| u.username().unwrap_or_default())
            .collect::<Vec<_>>(),
        ["bob"]
    );
    let bad_filter = s
        .sdk
        .list_users()
        .user_pool_id(&pool)
        .filter("email = ")
        .send()
        .await
        .expect_err("bad filter")
        .into_service_error();
    assert!(bad_filter.is_invalid_parameter_exception());

    // AdminCreateUser → NEW_PASSWORD_REQUIRED.
    s.sdk
        .admin_create_user()
        .user_pool_id(&pool)
        .username("dan")
        .temporary_password("Temp-passw0rd!")
        .message_action(aws_sdk_cognitoidentityprovider::types::MessageActionType::Suppress)
        .send()
        .await
        .expect("AdminCreateUser");
    let challenge = s
        .sdk
        .initiate_auth()
        .client_id(&client)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "dan")
        .auth_parameters("PASSWORD", "Temp-passw0rd!")
        .send()
        .await
        .unwrap();
    assert_eq!(
        challenge.challenge_name,
        Some(ChallengeNameType::NewPasswordRequired)
    );
    let done = s
        .sdk
        .respond_to_auth_challenge()
        .client_id(&client)
        .challenge_name(ChallengeNameType::NewPasswordRequired)
        .session(challenge.session().unwrap())
        .challenge_responses("USERNAME", "dan")
        .challenge_responses("NEW_PASSWORD", "N3w-passw0rd!")
        .send()
        .await
        .expect("new password");
    assert!(done.authentication_result.is_some());
    let user = s
        .sdk
        .admin_get_user()
        .user_pool_id(&pool)
        .username("dan")
        .send()
        .await
        .unwrap();
    assert_eq!(user.user_status().map(|s| s.as_str()), Some("CONFIRMED"));
}

#[tokio::test]
async fn totp_mfa_through_the_sdk() {
    let s = serve().await;
    let (pool, client) = s.pool_and_client().await;
    s.sdk
        .set_user_pool_mfa_config()
        .user_pool_id(&pool)
        .software_token_mfa_configuration(
            aws_sdk_cognitoidentityprovider::types::SoftwareTokenMfaConfigType::builder()
                .enabled(true)
                .build(),
        )
        .mfa_configuration(aws_sdk_cognitoidentityprovider::types::UserPoolMfaType::Optional)
        .send()
        .await
        .expect("SetUserPoolMfaConfig");
    s.user(&pool, &client, "alice").await;
    let sign_in = || {
        s.sdk
            .initiate_auth()
            .client_id(&client)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", "alice")
            .auth_parameters("PASSWORD", PASSWORD)
            .send()
    };
    let access = sign_in()
        .await
        .unwrap()
        .authentication_result
        .unwrap()
        .access_token
        .unwrap();
    let secret = s
        .sdk
        .associate_software_token()
        .access_token(&access)
        .send()
        .await
        .expect("associate")
        .secret_code
        .unwrap();
    let code = |t: i64| {
        totp_rs::Builder::new()
            .with_secret(totp_rs::Secret::try_from_base32(&secret).unwrap())
            .build()
            .unwrap()
            .generate(u64::try_from(t).unwrap())
            .to_string()
    };
    let now = s.service.now();
    s.sdk
        .verify_software_token()
        .access_token(&access)
        .user_code(code(now))
        .send()
        .await
        .expect("verify");
    s.sdk
        .set_user_mfa_preference()
        .access_token(&access)
        .software_token_mfa_settings(
            SoftwareTokenMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(true)
                .build(),
        )
        .send()
        .await
        .expect("preference");
    let challenge = sign_in().await.unwrap();
    assert_eq!(
        challenge.challenge_name,
        Some(ChallengeNameType::SoftwareTokenMfa)
    );
    // The code of the next 30-second step (the one just used for verification is spent).
    let later = code(s.service.now() + 30);
    let answer = s
        .sdk
        .respond_to_auth_challenge()
        .client_id(&client)
        .challenge_name(ChallengeNameType::SoftwareTokenMfa)
        .session(challenge.session().unwrap())
        .challenge_responses("USERNAME", "alice")
        .challenge_responses("SOFTWARE_TOKEN_MFA_CODE", later)
        .send()
        .await;
    assert!(
        answer
            .expect("second factor")
            .authentication_result
            .is_some()
    );
}

#[tokio::test]
async fn custom_auth_with_triggers_through_the_sdk() {
    use custom_auth_triggers::events::*;
    use custom_auth_triggers::{
        CreateAuthChallenge, DefineAuthChallenge, TriggerKind, TriggerRegistry,
        VerifyAuthChallengeResponse, handler_fn,
    };
    let s = serve().await;
    let (pool, client) = s.pool_and_client().await;
    let registry = TriggerRegistry::new()
        .with(
            TriggerKind::DefineAuthChallenge,
            handler_fn::<DefineAuthChallenge, _, _>(|event| async move {
                Ok(match event.request.session.last() {
                    Some(r) if r.challenge_result => DefineAuthChallengeResponse {
                        issue_tokens: true,
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
                    public_challenge_parameters: [("question".to_owned(), "2 + 2?".to_owned())]
                        .into(),
                    private_challenge_parameters: [("answer".to_owned(), "4".to_owned())].into(),
                    challenge_metadata: None,
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
    s.service.set_triggers(&pool, registry).unwrap();
    s.user(&pool, &client, "alice").await;
    let challenge = s
        .sdk
        .initiate_auth()
        .client_id(&client)
        .auth_flow(AuthFlowType::CustomAuth)
        .auth_parameters("USERNAME", "alice")
        .send()
        .await
        .expect("CUSTOM_AUTH");
    assert_eq!(
        challenge.challenge_name,
        Some(ChallengeNameType::CustomChallenge)
    );
    assert_eq!(
        challenge
            .challenge_parameters
            .as_ref()
            .and_then(|p| p.get("question"))
            .map(String::as_str),
        Some("2 + 2?")
    );
    let done = s
        .sdk
        .respond_to_auth_challenge()
        .client_id(&client)
        .challenge_name(ChallengeNameType::CustomChallenge)
        .session(challenge.session().unwrap())
        .challenge_responses("USERNAME", "alice")
        .challenge_responses("ANSWER", "4")
        .send()
        .await
        .expect("answer");
    assert!(done.authentication_result.is_some());
}

#[tokio::test]
async fn user_pool_domains_through_the_sdk() {
    let s = serve().await;
    let (pool, _) = s.pool_and_client().await;
    let created = s
        .sdk
        .create_user_pool_domain()
        .user_pool_id(&pool)
        .domain("sdk-app")
        .send()
        .await
        .expect("CreateUserPoolDomain");
    assert_eq!(created.managed_login_version(), Some(1));
    let described = s
        .sdk
        .describe_user_pool_domain()
        .domain("sdk-app")
        .send()
        .await
        .expect("DescribeUserPoolDomain");
    let d = described.domain_description().expect("description");
    assert_eq!(d.user_pool_id(), Some(pool.as_str()));
    assert_eq!(
        d.status(),
        Some(&aws_sdk_cognitoidentityprovider::types::DomainStatusType::Active)
    );
    let shown = s
        .sdk
        .describe_user_pool()
        .user_pool_id(&pool)
        .send()
        .await
        .expect("DescribeUserPool");
    assert_eq!(shown.user_pool().and_then(|p| p.domain()), Some("sdk-app"));
    let taken = s
        .sdk
        .create_user_pool_domain()
        .user_pool_id(&pool)
        .domain("sdk-app")
        .send()
        .await
        .expect_err("taken")
        .into_service_error();
    assert!(taken.is_invalid_parameter_exception(), "{taken:?}");
    s.sdk
        .delete_user_pool_domain()
        .user_pool_id(&pool)
        .domain("sdk-app")
        .send()
        .await
        .expect("DeleteUserPoolDomain");
    let empty = s
        .sdk
        .describe_user_pool_domain()
        .domain("sdk-app")
        .send()
        .await
        .expect("an unknown domain is described as empty");
    assert!(
        empty
            .domain_description()
            .is_none_or(|d| d.user_pool_id().is_none())
    );
}
