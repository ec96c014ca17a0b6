//! Identity pools over HTTP with the official Rust SDK (`aws-sdk-cognitoidentity`), endpoint
//! override only: pool management, roles and developer operations SigV4-signed by the SDK
//! (service `cognito-identity`), GetId / GetOpenIdToken / GetCredentialsForIdentity /
//! UnlinkIdentity unsigned; user-pool ID tokens from the same listener; the OpenID token
//! verified by `jsonwebtoken` with the JWKS fetched from `/identity/.well-known/jwks.json`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::SystemTime;

use aws_sdk_cognitoidentity::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_cognitoidentity::error::ProvideErrorMetadata;
use aws_sdk_cognitoidentity::types::CognitoIdentityProvider;
use aws_sdk_cognitoidentityprovider::types::AuthFlowType;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use userpool::{IdentityService, Issuer, MasterKey, Outbox, Service};
use userpool_http::{AdminCredentials, HttpConfig, router_with};
use userpool_store::{IdentityPools, MemoryStore, Store};

pub const KEY: &str = "AKIDTEST";
pub const SECRET: &str = "test-secret-key";
pub const ACCOUNT_ROLE: &str = "arn:aws:iam::123456789012:role";

pub struct IdentityServer {
    pub endpoint: String,
    pub identity: IdentityService,
    pub idp: aws_sdk_cognitoidentityprovider::Client,
    pub ids: aws_sdk_cognitoidentity::Client,
    pub http: reqwest::Client,
}

/// User pools and identity pools on one loopback listener; credentials from STS at `sts`
/// (local development credentials without one).
pub async fn serve_identity(sts: Option<&str>) -> IdentityServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let endpoint = format!("http://{}", listener.local_addr().expect("addr"));
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let outbox = Arc::new(Outbox::new());
    let service = Service::builder(store.clone(), MasterKey::new([5; 32]))
        .sender(outbox.clone())
        .issuer(Issuer::SelfHosted {
            base_url: endpoint.clone(),
        })
        .rng(ChaCha20Rng::seed_from_u64(11))
        .build()
        .expect("service");
    let identity_store: Arc<dyn IdentityPools> = store;
    let mut builder = IdentityService::builder(identity_store, MasterKey::new([5; 32]))
        .user_pools(service.clone())
        .rng(ChaCha20Rng::seed_from_u64(12));
    if let Some(sts) = sts {
        builder = builder.sts_endpoint(sts);
    }
    let identity = builder.build().expect("identity service");
    let config = HttpConfig::default()
        .admin_credentials(vec![AdminCredentials::new(KEY, SECRET)])
        .dev_outbox(outbox)
        .identity(identity.clone());
    let app: axum::Router = router_with(service, config);
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .expect("serve");
    });
    let credentials = Credentials::new(KEY, SECRET, None, None, "test");
    let idp = aws_sdk_cognitoidentityprovider::Client::from_conf(
        aws_sdk_cognitoidentityprovider::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .endpoint_url(&endpoint)
            .credentials_provider(credentials.clone())
            .build(),
    );
    let ids = aws_sdk_cognitoidentity::Client::from_conf(
        aws_sdk_cognitoidentity::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .endpoint_url(&endpoint)
            .credentials_provider(credentials)
            .build(),
    );
    IdentityServer {
        endpoint,
        identity,
        idp,
        ids,
        http: reqwest::Client::new(),
    }
}

impl IdentityServer {
    /// A user pool and client: `(pool, client, provider name)` — the provider name of our
    /// `self` issuer mode is the endpoint without its scheme, `/`, the pool id.
    pub async fn user_pool(&self) -> (String, String, String) {
        let (pool, client) = userpool_testkit::pool_and_client(&self.idp, false).await;
        let provider = format!(
            "{}/{pool}",
            self.endpoint.strip_prefix("http://").expect("http")
        );
        (pool, client, provider)
    }

    /// Signs `username` up, confirms and signs in: the ID token.
    pub async fn id_token(&self, pool: &str, client: &str, username: &str) -> String {
        if userpool_testkit::sign_up(&self.idp, client, username)
            .await
            .is_ok()
        {
            let code = userpool_testkit::dev_code(&self.http, &self.endpoint, pool, username).await;
            self.idp
                .confirm_sign_up()
                .client_id(client)
                .username(username)
                .confirmation_code(code)
                .send()
                .await
                .expect("ConfirmSignUp");
        }
        self.idp
            .initiate_auth()
            .client_id(client)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", username)
            .auth_parameters("PASSWORD", userpool_testkit::PASSWORD)
            .send()
            .await
            .expect("InitiateAuth")
            .authentication_result
            .and_then(|r| r.id_token)
            .expect("an ID token")
    }

    /// An identity pool (created through the SDK, signed) trusting `client` of `provider`.
    pub async fn identity_pool(&self, provider: &str, client: &str, classic: bool) -> String {
        self.ids
            .create_identity_pool()
            .identity_pool_name("sdk pool")
            .allow_unauthenticated_identities(true)
            .allow_classic_flow(classic)
            .developer_provider_name("login.example.app")
            .cognito_identity_providers(
                CognitoIdentityProvider::builder()
                    .provider_name(provider)
                    .client_id(client)
                    .server_side_token_check(false)
                    .build(),
            )
            .send()
            .await
            .expect("CreateIdentityPool")
            .identity_pool_id
    }
}

/// Sign headers for a raw request with SigV4 (`service`, us-east-1), as an SDK would.
pub fn sign(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    service: &str,
    credentials: (&str, &str, Option<&str>),
) -> Vec<(String, String)> {
    use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
    let identity = Credentials::new(
        credentials.0,
        credentials.1,
        credentials.2.map(str::to_owned),
        None,
        "test",
    )
    .into();
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name(service)
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .expect("params")
        .into();
    let request = SignableRequest::new(
        method,
        url,
        headers.iter().copied(),
        SignableBody::Bytes(body),
    )
    .expect("signable");
    let (instructions, _) = sign(request, &params).expect("sign").into_parts();
    instructions
        .headers()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rust_sdk_drives_identity_pools() {
    let s = serve_identity(None).await;
    let (pool, client, provider) = s.user_pool().await;
    let ipool = s.identity_pool(&provider, &client, true).await;
    assert!(ipool.starts_with("us-east-1:"));
    let described = s
        .ids
        .describe_identity_pool()
        .identity_pool_id(&ipool)
        .send()
        .await
        .expect("Describe");
    assert_eq!(
        described.developer_provider_name(),
        Some("login.example.app")
    );
    let listed = s
        .ids
        .list_identity_pools()
        .max_results(10)
        .send()
        .await
        .expect("List");
    assert_eq!(listed.identity_pools().len(), 1);
    s.ids
        .update_identity_pool()
        .identity_pool_id(&ipool)
        .identity_pool_name("renamed")
        .allow_unauthenticated_identities(true)
        .allow_classic_flow(true)
        .developer_provider_name("login.example.app")
        .cognito_identity_providers(
            CognitoIdentityProvider::builder()
                .provider_name(&provider)
                .client_id(&client)
                .build(),
        )
        .send()
        .await
        .expect("UpdateIdentityPool");
    s.ids
        .set_identity_pool_roles()
        .identity_pool_id(&ipool)
        .roles("authenticated", format!("{ACCOUNT_ROLE}/Auth"))
        .roles("unauthenticated", format!("{ACCOUNT_ROLE}/Guest"))
        .send()
        .await
        .expect("SetIdentityPoolRoles");
    let roles = s
        .ids
        .get_identity_pool_roles()
        .identity_pool_id(&ipool)
        .send()
        .await
        .expect("Get roles");
    assert_eq!(
        roles
            .roles()
            .and_then(|r| r.get("authenticated"))
            .map(String::as_str),
        Some("arn:aws:iam::123456789012:role/Auth")
    );

    // GetId, GetOpenIdToken, GetCredentialsForIdentity: unsigned, with a real ID token.
    let token = s.id_token(&pool, &client, "sdkuser").await;
    let id = s
        .ids
        .get_id()
        .identity_pool_id(&ipool)
        .logins(&provider, &token)
        .send()
        .await
        .expect("GetId")
        .identity_id
        .expect("id");
    let again = s
        .ids
        .get_id()
        .identity_pool_id(&ipool)
        .logins(&provider, &token)
        .send()
        .await
        .expect("GetId")
        .identity_id;
    assert_eq!(again.as_deref(), Some(id.as_str()));
    let openid = s
        .ids
        .get_open_id_token()
        .identity_id(&id)
        .logins(&provider, &token)
        .send()
        .await
        .expect("GetOpenIdToken")
        .token
        .expect("token");
    let claims = verify_with_published_jwks(&s, &openid, &ipool).await;
    assert_eq!(claims["sub"], id.as_str());
    assert_eq!(claims["amr"][0], "authenticated");
    assert_eq!(claims["iss"], format!("{}/identity", s.endpoint));
    assert_eq!(claims["iss"], s.identity.issuer());
    let credentials = s
        .ids
        .get_credentials_for_identity()
        .identity_id(&id)
        .logins(&provider, &token)
        .send()
        .await
        .expect("GetCredentialsForIdentity");
    let c = credentials.credentials().expect("credentials");
    assert!(
        c.access_key_id().is_some_and(|k| k.starts_with("ASIA")),
        "local development credentials"
    );
    assert!(c.secret_key().is_some_and(|k| k.len() == 40));
    assert!(c.expiration().is_some());

    // Refusals carry Cognito's exception through the SDK.
    let forged = format!("{}x", token.trim_end_matches(|c: char| c != '.'));
    let refused = s
        .ids
        .get_id()
        .identity_pool_id(&ipool)
        .logins(&provider, &forged)
        .send()
        .await
        .unwrap_err();
    let refused = refused.into_service_error();
    assert!(refused.is_not_authorized_exception(), "{refused:?}");
    assert_eq!(
        refused.message(),
        Some("Invalid login token. Couldn't verify signed token.")
    );
    let unknown = s
        .ids
        .get_credentials_for_identity()
        .identity_id("us-east-1:00000000-0000-4000-8000-000000000000")
        .send()
        .await
        .unwrap_err();
    assert!(
        unknown
            .into_service_error()
            .is_resource_not_found_exception()
    );

    // The developer flow and the identity administration (signed).
    let developer = s
        .ids
        .get_open_id_token_for_developer_identity()
        .identity_pool_id(&ipool)
        .logins("login.example.app", "user-7")
        .token_duration(600)
        .send()
        .await
        .expect("GetOpenIdTokenForDeveloperIdentity");
    let dev_id = developer.identity_id.expect("id");
    let found = s
        .ids
        .lookup_developer_identity()
        .identity_pool_id(&ipool)
        .developer_user_identifier("user-7")
        .max_results(10)
        .send()
        .await
        .expect("LookupDeveloperIdentity");
    assert_eq!(found.identity_id(), Some(dev_id.as_str()));
    let taken = s
        .ids
        .get_open_id_token_for_developer_identity()
        .identity_pool_id(&ipool)
        .identity_id(&id)
        .logins("login.example.app", "user-7")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        taken.is_developer_user_already_registered_exception(),
        "{taken:?}"
    );
    let d = s
        .ids
        .describe_identity()
        .identity_id(&id)
        .send()
        .await
        .expect("DescribeIdentity");
    assert_eq!(d.logins(), std::slice::from_ref(&provider));
    assert!(d.creation_date().is_some());
    let all = s
        .ids
        .list_identities()
        .identity_pool_id(&ipool)
        .max_results(60)
        .send()
        .await
        .expect("ListIdentities");
    assert_eq!(all.identities().len(), 2);
    s.ids
        .unlink_identity()
        .identity_id(&id)
        .logins(&provider, &token)
        .logins_to_remove(&provider)
        .send()
        .await
        .expect("UnlinkIdentity");
    let visible = s
        .ids
        .list_identities()
        .identity_pool_id(&ipool)
        .max_results(60)
        .hide_disabled(true)
        .send()
        .await
        .expect("ListIdentities");
    assert_eq!(visible.identities().len(), 1);
    let deleted = s
        .ids
        .delete_identities()
        .identity_ids_to_delete(&id)
        .identity_ids_to_delete(&dev_id)
        .send()
        .await
        .expect("DeleteIdentities");
    assert!(deleted.unprocessed_identity_ids().is_empty());
    s.ids
        .delete_identity_pool()
        .identity_pool_id(&ipool)
        .send()
        .await
        .expect("DeleteIdentityPool");
    let gone = s
        .ids
        .describe_identity_pool()
        .identity_pool_id(&ipool)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(gone.is_resource_not_found_exception());
    assert_eq!(
        gone.message(),
        Some(format!("IdentityPool '{ipool}' not found.").as_str())
    );
}

/// The OpenID token verified by `jsonwebtoken`, with the key found through the discovery
/// document and JWKS fetched over HTTP.
async fn verify_with_published_jwks(
    s: &IdentityServer,
    token: &str,
    audience: &str,
) -> serde_json::Value {
    let _ = jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER.install_default();
    let discovery: serde_json::Value = s
        .http
        .get(format!(
            "{}/identity/.well-known/openid-configuration",
            s.endpoint
        ))
        .send()
        .await
        .expect("discovery")
        .json()
        .await
        .expect("json");
    assert_eq!(discovery["issuer"], format!("{}/identity", s.endpoint));
    let jwks_uri = discovery["jwks_uri"].as_str().expect("jwks_uri");
    let set: jsonwebtoken::jwk::JwkSet = s
        .http
        .get(jwks_uri)
        .send()
        .await
        .expect("jwks")
        .json()
        .await
        .expect("json");
    let header = jsonwebtoken::decode_header(token).expect("header");
    let key = jsonwebtoken::DecodingKey::from_jwk(
        set.find(header.kid.as_deref().expect("kid"))
            .expect("kid in JWKS"),
    )
    .expect("key");
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_audience(&[audience]);
    validation.set_issuer(&[discovery["issuer"].as_str().expect("issuer")]);
    validation.validate_exp = false;
    jsonwebtoken::decode::<serde_json::Value>(token, &key, &validation)
        .expect("verified")
        .claims
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_identity_actions_need_a_cognito_identity_signature() {
    let s = serve_identity(None).await;
    let body = br#"{"MaxResults":10}"#;
    let url = format!("{}/", s.endpoint);
    let host = s.endpoint.strip_prefix("http://").expect("http").to_owned();
    let send = |service: &str, target: &str| {
        let headers = [
            ("host", host.as_str()),
            ("content-type", "application/x-amz-json-1.1"),
            ("x-amz-target", target),
        ];
        let signed = sign("POST", &url, &headers, body, service, (KEY, SECRET, None));
        let mut request = s.http.post(&url).body(body.to_vec());
        for (k, v) in headers.iter().filter(|(k, _)| *k != "host") {
            request = request.header(*k, *v);
        }
        for (k, v) in signed {
            request = request.header(k, v);
        }
        request.send()
    };
    let ok = send(
        "cognito-identity",
        "AWSCognitoIdentityService.ListIdentityPools",
    )
    .await
    .expect("send");
    assert_eq!(ok.status(), 200);
    let wrong = send("cognito-idp", "AWSCognitoIdentityService.ListIdentityPools")
        .await
        .expect("send");
    assert_eq!(wrong.status(), 400);
    assert_eq!(
        wrong.headers()["x-amzn-errortype"],
        "InvalidSignatureException"
    );
    let answer: serde_json::Value = wrong.json().await.expect("json");
    assert_eq!(
        answer["message"],
        "Credential should be scoped to correct service: 'cognito-identity'."
    );
    let user_pool_action = send(
        "cognito-identity",
        "AWSCognitoIdentityProviderService.ListUserPools",
    )
    .await
    .expect("send");
    let answer: serde_json::Value = user_pool_action.json().await.expect("json");
    assert_eq!(
        answer["message"],
        "Credential should be scoped to correct service: 'cognito-idp'."
    );
    let unsigned = s
        .http
        .post(&url)
        .header("content-type", "application/x-amz-json-1.1")
        .header(
            "x-amz-target",
            "AWSCognitoIdentityService.ListIdentityPools",
        )
        .body(body.to_vec())
        .send()
        .await
        .expect("send");
    assert_eq!(unsigned.status(), 403);
    assert_eq!(
        unsigned.headers()["x-amzn-errortype"],
        "MissingAuthenticationTokenException"
    );
    let unknown = s
        .http
        .post(&url)
        .header(
            "x-amz-target",
            "AWSCognitoIdentityService.MergeDeveloperIdentities",
        )
        .body("{}")
        .send()
        .await
        .expect("send");
    assert_eq!(
        unknown.headers()["x-amzn-errortype"],
        "UnknownOperationException"
    );
}
