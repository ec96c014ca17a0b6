//! The identity tests' world: a user-pool service and an identity service on one store of the
//! suite's backend, a mock STS on loopback that records every `AssumeRoleWithWebIdentity`
//! (so a test sees which role was resolved and the token sent) and answers like STS, and
//! helpers that sign users in.

#![allow(dead_code, unreachable_pub)]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use userpool::identity::wire::*;
use userpool::wire::*;
use userpool::{IdentityError, IdentityService, IdentityServiceBuilder, MasterKey};
use userpool_store::{IdentityPools, Store};

use super::support::*;

/// A new identity world on this suite's backend, or the test returns early.
macro_rules! identity_world {
    () => {
        identity_world!(|b| b)
    };
    ($f:expr) => {
        match IdentityWorld::try_new($f).await {
            Some(w) => w,
            None => return,
        }
    };
}

/// One `AssumeRoleWithWebIdentity` the mock STS received.
#[derive(Debug, Clone)]
pub struct StsCall {
    pub role_arn: String,
    pub role_session_name: String,
    pub web_identity_token: String,
    pub duration_seconds: Option<String>,
}

/// STS on loopback: records calls; refuses roles whose name contains `Denied` as STS does
/// (`AccessDenied`).
pub struct MockSts {
    pub url: String,
    pub calls: Arc<Mutex<Vec<StsCall>>>,
}

async fn assume(
    axum::extract::State(calls): axum::extract::State<Arc<Mutex<Vec<StsCall>>>>,
    axum::Form(form): axum::Form<BTreeMap<String, String>>,
) -> (axum::http::StatusCode, String) {
    let call = StsCall {
        role_arn: form.get("RoleArn").cloned().unwrap_or_default(),
        role_session_name: form.get("RoleSessionName").cloned().unwrap_or_default(),
        web_identity_token: form.get("WebIdentityToken").cloned().unwrap_or_default(),
        duration_seconds: form.get("DurationSeconds").cloned(),
    };
    let n = {
        let mut calls = calls.lock().unwrap();
        calls.push(call.clone());
        calls.len()
    };
    if call.role_arn.contains("Denied") {
        return (
            axum::http::StatusCode::FORBIDDEN,
            r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>Not authorized to perform sts:AssumeRoleWithWebIdentity</Message></Error><RequestId>r</RequestId></ErrorResponse>"#.into(),
        );
    }
    let body = format!(
        r#"<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <Credentials>
      <SessionToken>session-{n}</SessionToken>
      <SecretAccessKey>secret-{n}</SecretAccessKey>
      <Expiration>2026-11-01T01:00:00Z</Expiration>
      <AccessKeyId>ASIAMOCK{n:08}</AccessKeyId>
    </Credentials>
    <AssumedRoleUser><Arn>{}/CognitoIdentityCredentials</Arn><AssumedRoleId>AROA:x</AssumedRoleId></AssumedRoleUser>
  </AssumeRoleWithWebIdentityResult>
</AssumeRoleWithWebIdentityResponse>"#,
        call.role_arn
    );
    (axum::http::StatusCode::OK, body)
}

impl MockSts {
    pub async fn start() -> Self {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let app = axum::Router::new()
            .route("/", axum::routing::post(assume))
            .with_state(calls.clone());
        let url = serve(app).await;
        Self { url, calls }
    }

    /// The last call.
    pub fn last(&self) -> StsCall {
        self.calls
            .lock()
            .unwrap()
            .last()
            .cloned()
            .expect("an STS call")
    }
}

/// Serves `app` on 127.0.0.1:<ephemeral>; its base URL.
pub async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    url
}

pub struct IdentityWorld {
    pub world: World,
    pub ids: IdentityService,
    pub sts: MockSts,
    pub store: Arc<dyn Store>,
}

pub const AUTH_ROLE: &str = "arn:aws:iam::123456789012:role/Cognito_Auth";
pub const GUEST_ROLE: &str = "arn:aws:iam::123456789012:role/Cognito_Guest";

impl IdentityWorld {
    /// Both services on a fresh store of this suite's backend (user pools in `self` issuer
    /// mode at `http://localhost:9229`), the identity service calling the mock STS; `f`
    /// adjusts the identity builder.
    pub async fn try_new(
        f: impl FnOnce(IdentityServiceBuilder) -> IdentityServiceBuilder,
    ) -> Option<Self> {
        let store = fresh_store()?;
        Some(Self::on(store, f).await)
    }

    pub async fn on(
        store: Arc<dyn Store>,
        f: impl FnOnce(IdentityServiceBuilder) -> IdentityServiceBuilder,
    ) -> Self {
        let world = World::on(store.clone());
        Self::with_world(world, store, f).await
    }

    /// Around an existing user-pool world on `store`.
    pub async fn with_world(
        world: World,
        store: Arc<dyn Store>,
        f: impl FnOnce(IdentityServiceBuilder) -> IdentityServiceBuilder,
    ) -> Self {
        let sts = MockSts::start().await;
        let ids = f(Self::builder(&store, &world).sts_endpoint(&sts.url))
            .build()
            .expect("identity service");
        Self {
            world,
            ids,
            sts,
            store,
        }
    }

    /// The identity builder of this world (same store, clock and master key).
    pub fn builder(store: &Arc<dyn Store>, world: &World) -> IdentityServiceBuilder {
        let identity_store: Arc<dyn IdentityPools> = store.clone();
        IdentityService::builder(identity_store, MasterKey::new([42; 32]))
            .user_pools(world.service.clone())
            .clock(world.clock.clone())
            .rng(ChaCha20Rng::seed_from_u64(3))
    }

    /// A user pool and an app client: `(pool id, client id, provider name)`.
    pub async fn user_pool(&self) -> (String, String, String) {
        let pool = self.world.pool().await;
        let client = self.world.client(&pool).await;
        let provider = format!("localhost:9229/{pool}");
        (pool, client, provider)
    }

    /// Signs `username` up (once) and in; the ID token.
    pub async fn id_token(&self, client: &str, username: &str) -> String {
        let pool = self.world.pool_of(client).await;
        if self
            .world
            .service
            .accounts()
            .admin_get_user(AdminUserRequest {
                user_pool_id: pool,
                username: username.into(),
                ..Default::default()
            })
            .await
            .is_err()
        {
            self.world.user(client, username, PASSWORD).await;
        }
        self.sign_in(client, username)
            .await
            .id_token
            .expose_secret()
            .to_owned()
    }

    /// A password sign-in's tokens.
    pub async fn sign_in(&self, client: &str, username: &str) -> AuthenticationResult {
        let r = self
            .world
            .password_sign_in(client, username, PASSWORD)
            .await
            .expect("sign in");
        tokens(&r).clone()
    }

    /// An identity pool trusting `client` of the user pool `provider` (and what `f` sets).
    pub async fn identity_pool(
        &self,
        provider: &str,
        client: &str,
        f: impl FnOnce(&mut IdentityPoolRequest),
    ) -> String {
        let mut req = IdentityPoolRequest {
            identity_pool_name: "identities".into(),
            allow_unauthenticated_identities: Some(true),
            cognito_identity_providers: vec![CognitoIdentityProviderRequest {
                provider_name: provider.into(),
                client_id: client.into(),
                server_side_token_check: None,
            }],
            ..Default::default()
        };
        f(&mut req);
        self.ids
            .create_identity_pool(req)
            .await
            .expect("identity pool")
            .identity_pool_id
            .to_string()
    }

    /// Sets the default roles and the role mappings (`RoleMappings` as its JSON).
    pub async fn roles(
        &self,
        pool: &str,
        mappings: serde_json::Value,
    ) -> Result<(), IdentityError> {
        let mappings: BTreeMap<String, serde_json::Value> =
            serde_json::from_value(mappings).expect("mappings object");
        self.ids
            .set_identity_pool_roles(SetIdentityPoolRolesRequest {
                identity_pool_id: pool.into(),
                roles: Some(BTreeMap::from([
                    ("authenticated".to_owned(), AUTH_ROLE.to_owned()),
                    ("unauthenticated".to_owned(), GUEST_ROLE.to_owned()),
                ])),
                role_mappings: mappings,
            })
            .await
            .map(drop)
    }

    /// GetId.
    pub async fn get_id(
        &self,
        pool: &str,
        logins: &[(&str, &str)],
    ) -> Result<String, IdentityError> {
        self.ids
            .get_id(GetIdRequest {
                identity_pool_id: pool.into(),
                logins: Some(SecretMap::of(logins)),
                ..Default::default()
            })
            .await
            .map(|r| r.identity_id)
    }

    /// GetCredentialsForIdentity; the role the mock STS was asked for.
    pub async fn credentials(
        &self,
        identity: &str,
        logins: &[(&str, &str)],
        custom_role: Option<&str>,
    ) -> Result<(GetCredentialsForIdentityResponse, String), IdentityError> {
        let answer = self
            .ids
            .get_credentials_for_identity(GetCredentialsForIdentityRequest {
                identity_id: identity.into(),
                logins: Some(SecretMap::of(logins)),
                custom_role_arn: custom_role.map(str::to_owned),
            })
            .await?;
        Ok((answer, self.sts.last().role_arn))
    }
}

/// Asserts an identity error's exception name and message.
#[track_caller]
pub fn assert_identity_error<T: std::fmt::Debug>(
    r: Result<T, IdentityError>,
    name: &str,
    message: &str,
) {
    match r {
        Err(e) => assert_eq!((e.exception_name(), e.message()), (name, message)),
        Ok(v) => panic!("expected {name}: {message}, got {v:?}"),
    }
}
