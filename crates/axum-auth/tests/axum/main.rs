//! `userpool-axum` against a real service: a route protected by the extractor, called with a
//! valid, an expired, a revoked and a foreign token — in process (`Local`) and through the
//! pool's JWKS served over loopback HTTP by `userpool-http` (`Remote`).

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use axum::routing::get;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use tower::ServiceExt as _;
use userpool::wire::*;
use userpool::{FixedClock, Issuer, MasterKey, Service};
use userpool_axum::{AccessToken, AuthLayer, Local, Remote, RequireAccessToken};
use userpool_store::MemoryStore;

const NOW: i64 = 1_800_000_000;
const PASSWORD: &str = "Corr3ct-Horse!";

/// A service, its pool and client, and its clock.
struct World {
    service: Service,
    pool: String,
    client: String,
    clock: Arc<FixedClock>,
}

impl World {
    async fn new(seed: u64, base_url: String) -> Self {
        let clock = Arc::new(FixedClock::new(NOW));
        let service = Service::builder(
            Arc::new(MemoryStore::new()),
            MasterKey::new([seed as u8; 32]),
        )
        .clock(clock.clone())
        .rng(ChaCha20Rng::seed_from_u64(seed))
        .issuer(Issuer::SelfHosted { base_url })
        .build()
        .expect("service");
        let pool = service
            .admin()
            .create_user_pool(UserPoolRequest {
                pool_name: "app".into(),
                ..Default::default()
            })
            .await
            .expect("pool")
            .user_pool
            .id;
        let client = service
            .admin()
            .create_user_pool_client(UserPoolClientRequest {
                user_pool_id: pool.clone(),
                client_name: Some("web".into()),
                explicit_auth_flows: Some(vec!["ALLOW_USER_PASSWORD_AUTH".into()]),
                ..Default::default()
            })
            .await
            .expect("client")
            .user_pool_client
            .client_id;
        service
            .accounts()
            .admin_create_user(AdminCreateUserRequest {
                user_pool_id: pool.clone(),
                username: "alice".into(),
                message_action: Some("SUPPRESS".into()),
                ..Default::default()
            })
            .await
            .expect("user");
        service
            .accounts()
            .admin_set_user_password(AdminSetUserPasswordRequest {
                user_pool_id: pool.clone(),
                username: "alice".into(),
                password: PASSWORD.into(),
                permanent: true,
            })
            .await
            .expect("password");
        Self {
            service,
            pool,
            client,
            clock,
        }
    }

    async fn token(&self) -> String {
        let response = self
            .service
            .sign_in()
            .initiate_auth(InitiateAuthRequest {
                client_id: self.client.clone(),
                auth_flow: "USER_PASSWORD_AUTH".into(),
                auth_parameters: SecretMap::of(&[("USERNAME", "alice"), ("PASSWORD", PASSWORD)]),
                ..Default::default()
            })
            .await
            .expect("sign in");
        let result = response.authentication_result.expect("tokens");
        result.access_token.expose_secret().to_owned()
    }

    async fn sign_out(&self, token: &str) {
        self.service
            .tokens()
            .global_sign_out(AccessTokenRequest {
                access_token: token.into(),
            })
            .await
            .expect("signed out");
    }
}

async fn me(token: AccessToken) -> String {
    token.username().unwrap_or_default().to_owned()
}

/// Calls `GET /me` on `app` with `token`: the status, the body and the challenge.
async fn call(app: &Router, token: Option<&str>) -> (StatusCode, String, Option<String>) {
    let mut request = Request::get("/me");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("answer");
    let status = response.status();
    let challenge = response
        .headers()
        .get(header::WWW_AUTHENTICATE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = axum::body::to_bytes(response.into_body(), 1 << 16)
        .await
        .expect("body");
    (
        status,
        String::from_utf8_lossy(&body).into_owned(),
        challenge,
    )
}

fn invalid(why: &str) -> Option<String> {
    Some(format!(
        r#"Bearer realm="userpool", error="invalid_token", error_description="{why}""#
    ))
}

#[tokio::test]
async fn local_verification_sees_expiry_revocation_and_foreign_pools() {
    let w = World::new(1, "http://127.0.0.1:9".into()).await;
    let foreign = World::new(2, "http://127.0.0.1:9".into()).await;
    let app = Router::new()
        .route("/me", get(me))
        .layer(AuthLayer::new(Local::new(
            w.service.clone(),
            w.pool.clone(),
        )));

    let token = w.token().await;
    assert_eq!(
        call(&app, Some(&token)).await,
        (StatusCode::OK, "alice".into(), None)
    );

    let (status, _, challenge) = call(&app, None).await;
    assert_eq!(
        (status, challenge.as_deref()),
        (StatusCode::UNAUTHORIZED, Some(r#"Bearer realm="userpool""#))
    );

    let (status, _, challenge) = call(&app, Some(&foreign.token().await)).await;
    assert_eq!(
        (status, challenge),
        (StatusCode::UNAUTHORIZED, invalid("Invalid Access Token"))
    );

    let (status, _, challenge) = call(&app, Some("not.a.token")).await;
    assert_eq!(
        (status, challenge),
        (StatusCode::UNAUTHORIZED, invalid("Invalid Access Token"))
    );

    w.clock.advance(3601);
    let (status, _, challenge) = call(&app, Some(&token)).await;
    assert_eq!(
        (status, challenge),
        (
            StatusCode::UNAUTHORIZED,
            invalid("Access Token has expired")
        )
    );

    let fresh = w.token().await;
    assert_eq!(call(&app, Some(&fresh)).await.0, StatusCode::OK);
    w.sign_out(&fresh).await;
    let (status, _, challenge) = call(&app, Some(&fresh)).await;
    assert_eq!(
        (status, challenge),
        (
            StatusCode::UNAUTHORIZED,
            invalid("Access Token has been revoked")
        )
    );
}

#[tokio::test]
async fn scopes_clients_and_the_refusing_layer() {
    let w = World::new(3, "http://127.0.0.1:9".into()).await;
    let token = w.token().await;
    let scoped = Router::new().route("/me", get(me)).layer(AuthLayer::new(
        Local::new(w.service.clone(), w.pool.clone()).require_scope("orders/write"),
    ));
    let (status, _, challenge) = call(&scoped, Some(&token)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(challenge.is_some_and(|c| c.contains(r#"error="insufficient_scope""#)));

    let other_client = Router::new().route("/me", get(me)).layer(AuthLayer::new(
        Local::new(w.service.clone(), w.pool.clone()).clients(["some-other-client"]),
    ));
    let (status, _, challenge) = call(&other_client, Some(&token)).await;
    assert_eq!(
        (status, challenge),
        (
            StatusCode::UNAUTHORIZED,
            invalid("the token was issued to another app client")
        )
    );

    // The refusing layer answers before any handler runs, extractor or not.
    let open_handler = Router::new()
        .route("/me", get(|| async { "handler ran" }))
        .layer(RequireAccessToken::new(Local::new(
            w.service.clone(),
            w.pool.clone(),
        )));
    assert_eq!(call(&open_handler, None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        call(&open_handler, Some(&token)).await,
        (StatusCode::OK, "handler ran".into(), None)
    );
}

/// The remote verifier's clock (a `fn() -> i64` cannot capture).
static REMOTE_NOW: AtomicI64 = AtomicI64::new(NOW);

fn remote_now() -> i64 {
    REMOTE_NOW.load(Ordering::SeqCst)
}

#[tokio::test]
async fn remote_verification_through_the_served_jwks() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let w = World::new(4, base.clone()).await;
    let served: Router = userpool_http::router(w.service.clone());
    tokio::spawn(async move { axum::serve(listener, served).await });
    let foreign = World::new(5, base.clone()).await;

    let issuer = format!("{base}/{}", w.pool);
    let app = Router::new().route("/me", get(me)).layer(AuthLayer::new(
        Remote::for_issuer(issuer)
            .clients([w.client.clone()])
            .clock(remote_now),
    ));
    let token = w.token().await;
    assert_eq!(
        call(&app, Some(&token)).await,
        (StatusCode::OK, "alice".into(), None)
    );

    // Another pool's token on the same host: a kid the set lacks — one refetch, then refused.
    let (status, _, challenge) = call(&app, Some(&foreign.token().await)).await;
    assert_eq!(
        (status, challenge),
        (StatusCode::UNAUTHORIZED, invalid("Invalid Access Token"))
    );

    // A JWKS cannot show revocation: a signed-out token stays good until it expires (as with
    // Cognito's own JWKS); `Local` refuses it (above).
    w.sign_out(&token).await;
    assert_eq!(call(&app, Some(&token)).await.0, StatusCode::OK);

    REMOTE_NOW.store(NOW + 3601, Ordering::SeqCst);
    let (status, _, challenge) = call(&app, Some(&token)).await;
    assert_eq!(
        (status, challenge),
        (
            StatusCode::UNAUTHORIZED,
            invalid("Access Token has expired")
        )
    );
}

#[tokio::test]
async fn an_unreachable_jwks_is_unavailable_not_unauthorized() {
    let w = World::new(6, "http://127.0.0.1:9".into()).await;
    let token = w.token().await;
    // Port 9 (discard) on loopback: nothing listens.
    let app = Router::new().route("/me", get(me)).layer(AuthLayer::new(
        Remote::new(
            format!("http://127.0.0.1:9/{}", w.pool),
            "http://127.0.0.1:9/jwks.json",
        )
        .clock(remote_now),
    ));
    let (status, _, challenge) = call(&app, Some(&token)).await;
    assert_eq!((status, challenge), (StatusCode::SERVICE_UNAVAILABLE, None));
}
