//! Embedding: the Cognito-compatible API nested under `/cognito` in the embedder's own axum
//! app, next to the embedder's routes — one of which accepts the pool's access tokens through
//! `userpool-axum`'s extractor (one line: the handler takes an `AccessToken`). Runs the whole exchange in process
//! (`tower::ServiceExt::oneshot`), no port needed.
//!
//! ```sh
//! cargo run --example embed-axum
//! ```

use std::error::Error;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use axum::routing::get;
use tower::ServiceExt as _;
use userpool::wire::*;
use userpool::{MasterKey, Service};
use userpool_axum::{AccessToken, AuthLayer, Local};
use userpool_store::MemoryStore;

/// An embedder's handler: it runs only for a request with an acceptable
/// `Authorization: Bearer <access token>` of the pool (signature, expiry, revocation).
async fn hello(token: AccessToken) -> String {
    format!("hello, {}", token.username().unwrap_or("?"))
}

async fn get_hello(
    app: &Router,
    token: Option<&str>,
) -> Result<(axum::http::StatusCode, String), Box<dyn Error>> {
    let mut request = Request::get("/hello");
    if let Some(t) = token {
        request = request.header("authorization", format!("Bearer {t}"));
    }
    let response = app.clone().oneshot(request.body(Body::empty())?).await?;
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 1 << 16).await?;
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

async fn post_json(
    app: &Router,
    target: &str,
    body: serde_json::Value,
) -> Result<serde_json::Value, Box<dyn Error>> {
    let request = Request::post("/cognito")
        .header(
            "x-amz-target",
            format!("AWSCognitoIdentityProviderService.{target}"),
        )
        .header("content-type", "application/x-amz-json-1.1")
        .body(Body::from(body.to_string()))?;
    let response = app.clone().oneshot(request).await?;
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await?;
    Ok(serde_json::from_slice(&bytes)?)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    let service =
        Service::builder(Arc::new(MemoryStore::new()), MasterKey::new(rand::random())).build()?;
    // Administration through the library itself (no admin credentials on the HTTP side).
    let pool_id = service
        .admin()
        .create_user_pool(UserPoolRequest {
            pool_name: "embedded".into(),
            ..Default::default()
        })
        .await?
        .user_pool
        .id;
    let client = service
        .admin()
        .create_user_pool_client(UserPoolClientRequest {
            user_pool_id: pool_id.clone(),
            client_name: Some("web".into()),
            explicit_auth_flows: Some(vec![
                "ALLOW_USER_PASSWORD_AUTH".into(),
                "ALLOW_REFRESH_TOKEN_AUTH".into(),
            ]),
            ..Default::default()
        })
        .await?
        .user_pool_client
        .client_id;
    service
        .accounts()
        .admin_create_user(AdminCreateUserRequest {
            user_pool_id: pool_id.clone(),
            username: "alice".into(),
            message_action: Some("SUPPRESS".into()),
            ..Default::default()
        })
        .await?;
    service
        .accounts()
        .admin_set_user_password(AdminSetUserPasswordRequest {
            user_pool_id: pool_id.clone(),
            username: "alice".into(),
            password: "Corr3ct-Horse!".into(),
            permanent: true,
        })
        .await?;

    let app: Router = Router::new()
        .route("/hello", get(hello))
        .route_layer(AuthLayer::new(Local::new(service.clone(), pool_id.clone())))
        .nest("/cognito", userpool_http::router(service.clone()));
    println!("1. the embedder's app: GET /hello (its own) and POST /cognito (Cognito's API)");

    let signed_in = post_json(
        &app,
        "InitiateAuth",
        serde_json::json!({"ClientId": client, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": "alice", "PASSWORD": "Corr3ct-Horse!"}}),
    )
    .await?;
    let access = signed_in["AuthenticationResult"]["AccessToken"]
        .as_str()
        .ok_or("no access token")?
        .to_owned();
    println!(
        "2. POST /cognito InitiateAuth → an access token ({} bytes)",
        access.len()
    );

    for (label, token) in [("with the token", Some(access.as_str())), ("without", None)] {
        let (status, body) = get_hello(&app, token).await?;
        println!("3. GET /hello {label}: {status} {body}");
    }
    post_json(
        &app,
        "GlobalSignOut",
        serde_json::json!({"AccessToken": access}),
    )
    .await?;
    let (status, body) = get_hello(&app, Some(&access)).await?;
    println!("4. GET /hello after GlobalSignOut: {status} {body}");
    Ok(())
}
