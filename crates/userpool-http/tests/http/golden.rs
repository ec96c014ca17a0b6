//! The protocol edge with `tower::ServiceExt::oneshot`: golden bodies for the error cases,
//! headers, CORS, well-known documents.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response};
use tower::ServiceExt as _;
use userpool::{MasterKey, Service};
use userpool_http::{
    AdminAuth, AdminCredentials, Category, HttpConfig, Rate, RateLimits, router_with,
};
use userpool_store::MemoryStore;

pub fn service() -> Service {
    Service::builder(Arc::new(MemoryStore::new()), MasterKey::new([3; 32]))
        .signing_algorithm(jwt_tokens::Algorithm::ES256)
        .build()
        .expect("service")
}

fn app(config: HttpConfig) -> Router {
    router_with(service(), config)
}

fn call(target: Option<&str>, body: impl Into<Body>) -> Request<Body> {
    let mut b = Request::post("/").header("content-type", "application/x-amz-json-1.1");
    if let Some(t) = target {
        b = b.header(
            "x-amz-target",
            format!("AWSCognitoIdentityProviderService.{t}"),
        );
    }
    b.body(body.into()).unwrap()
}

async fn body(r: Response<Body>) -> String {
    String::from_utf8(
        axum::body::to_bytes(r.into_body(), 1 << 20)
            .await
            .unwrap()
            .to_vec(),
    )
    .unwrap()
}

async fn golden(app: Router, request: Request<Body>, status: u16, expected: &str) {
    let r = app.oneshot(request).await.unwrap();
    assert_eq!(r.status(), status);
    assert!(r.headers().contains_key("x-amzn-requestid"));
    assert_eq!(r.headers()["content-type"], "application/x-amz-json-1.1");
    assert_eq!(body(r).await, expected);
}

#[tokio::test]
async fn protocol_errors_are_cognito_shaped() {
    let open = || app(HttpConfig::default().admin_auth(AdminAuth::Unauthenticated));
    golden(
        open(),
        call(None, "{}"),
        400,
        r#"{"__type":"UnknownOperationException","message":""}"#,
    )
    .await;
    golden(
        open(),
        call(Some("DescribeEverything"), "{}"),
        400,
        r#"{"__type":"UnknownOperationException","message":""}"#,
    )
    .await;
    golden(
        open(),
        call(Some("ListUserPools"), "{not json"),
        400,
        r#"{"__type":"SerializationException","message":"Unable to parse the request body as JSON"}"#,
    )
    .await;
    golden(
        open(),
        call(Some("ListUserPools"), r#"{"MaxResults":"ten"}"#),
        400,
        r#"{"__type":"SerializationException","message":"A member has the wrong type, or the body is not a JSON object"}"#,
    )
    .await;
    golden(
        open(),
        call(Some("ListUserPools"), "{}"),
        400,
        r#"{"__type":"InvalidParameterException","message":"1 validation error detected: Value 'null' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 60"}"#,
    )
    .await;
    golden(
        open(),
        call(Some("InitiateAuth"), r#"{"ClientId":"nope","AuthFlow":"USER_SRP_AUTH"}"#),
        400,
        r#"{"__type":"ResourceNotFoundException","message":"User pool client nope does not exist."}"#,
    )
    .await;
    golden(
        open(),
        call(Some("GetUser"), r#"{"AccessToken":"abc.def.ghi"}"#),
        400,
        r#"{"__type":"NotAuthorizedException","message":"Invalid Access Token"}"#,
    )
    .await;
    golden(
        app(HttpConfig::default().admin_auth(AdminAuth::Unauthenticated).body_limit(64)),
        call(Some("ListUserPools"), format!(r#"{{"MaxResults":10,"NextToken":"{}"}}"#, "x".repeat(100))),
        413,
        r#"{"__type":"SerializationException","message":"The request body is larger than 64 bytes."}"#,
    )
    .await;
    // A `null` member is an absent one, as on Cognito.
    let r = open()
        .oneshot(call(
            Some("ListUserPools"),
            r#"{"MaxResults":10,"NextToken":null}"#,
        ))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = open()
        .oneshot(call(Some("ListUserPools"), r#"{"MaxResults":10}"#))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(body(r).await, r#"{"UserPools":[]}"#);
}

#[tokio::test]
async fn a_body_that_never_arrives_times_out() {
    let slow = app(HttpConfig::default()
        .admin_auth(AdminAuth::Unauthenticated)
        .request_timeout(std::time::Duration::from_millis(100)));
    let never = futures_util::stream::pending::<Result<axum::body::Bytes, std::io::Error>>();
    golden(
        slow,
        call(Some("ListUserPools"), Body::from_stream(never)),
        408,
        r#"{"__type":"RequestTimeoutException","message":"The request body did not arrive in time."}"#,
    )
    .await;
}

#[tokio::test]
async fn signed_actions_need_a_signature_and_user_actions_do_not() {
    let secured = || {
        app(HttpConfig::default()
            .admin_credentials(vec![AdminCredentials::new("AKIDLOCAL", "local-secret")]))
    };
    golden(
        secured(),
        call(Some("ListUserPools"), r#"{"MaxResults":10}"#),
        403,
        r#"{"__type":"MissingAuthenticationTokenException","message":"Missing Authentication Token"}"#,
    )
    .await;
    let forged = Request::post("/")
        .header("host", "localhost")
        .header("x-amz-target", "AWSCognitoIdentityProviderService.ListUserPools")
        .header("x-amz-date", "20261122T000000Z")
        .header("authorization", "AWS4-HMAC-SHA256 Credential=AKIDOTHER/20261122/us-east-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date, Signature=00")
        .body(Body::from(r#"{"MaxResults":10}"#))
        .unwrap();
    let r = secured().oneshot(forged).await.unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.headers()["x-amzn-errortype"],
        "UnrecognizedClientException"
    );
    // A user action passes without any signature.
    golden(
        secured(),
        call(Some("SignUp"), r#"{"ClientId":"nope","Username":"a","Password":"p"}"#),
        400,
        r#"{"__type":"ResourceNotFoundException","message":"User pool client nope does not exist."}"#,
    )
    .await;
}

#[tokio::test]
async fn throttling_answers_too_many_requests() {
    let throttled = app(HttpConfig::default()
        .admin_auth(AdminAuth::Unauthenticated)
        .rate_limits(RateLimits::off().account(Category::UserPoolResource, Rate::per_second(2))));
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let r = throttled
            .clone()
            .oneshot(call(Some("ListUserPools"), r#"{"MaxResults":1}"#))
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
        if r.status() == 429 {
            assert_eq!(
                body(r).await,
                r#"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#
            );
        }
    }
    assert_eq!(&statuses[..2], &[200, 200]);
    assert!(statuses[2..].contains(&429));
}

#[tokio::test]
async fn cors_and_well_known_documents() {
    let open = app(HttpConfig::default().admin_auth(AdminAuth::Unauthenticated));
    let preflight = Request::options("/")
        .header("origin", "http://localhost:3000")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type,x-amz-target,x-amz-user-agent",
        )
        .body(Body::empty())
        .unwrap();
    let r = open.clone().oneshot(preflight).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "http://localhost:3000"
    );
    let created = open
        .clone()
        .oneshot(call(Some("CreateUserPool"), r#"{"PoolName":"p"}"#))
        .await
        .unwrap();
    let created: serde_json::Value = serde_json::from_str(&body(created).await).unwrap();
    let pool = created["UserPool"]["Id"].as_str().unwrap().to_owned();
    let r = open
        .clone()
        .oneshot(
            Request::get(format!("/{pool}/.well-known/jwks.json"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let jwks: serde_json::Value = serde_json::from_str(&body(r).await).unwrap();
    assert_eq!(jwks["keys"].as_array().map(Vec::len), Some(2));
    let r = open
        .clone()
        .oneshot(
            Request::get(format!("/{pool}/.well-known/openid-configuration"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let config: serde_json::Value = serde_json::from_str(&body(r).await).unwrap();
    assert_eq!(config["issuer"], format!("http://localhost:9229/{pool}"));
    assert_eq!(
        config["jwks_uri"],
        format!("http://localhost:9229/{pool}/.well-known/jwks.json")
    );
    assert_eq!(
        config["id_token_signing_alg_values_supported"],
        serde_json::json!(["ES256"])
    );
    let r = open
        .oneshot(
            Request::get("/us-east-1_Nope00000/.well-known/jwks.json")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn the_hosted_domain_is_throttled_too() {
    let throttled = app(HttpConfig::default()
        .admin_auth(AdminAuth::Unauthenticated)
        .rate_limits(RateLimits::off().account(Category::UserToken, Rate::per_second(2))));
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let r = throttled
            .clone()
            .oneshot(
                Request::post("/oauth2/token")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(Body::from("grant_type=client_credentials&client_id=nope"))
                    .unwrap(),
            )
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
        if r.status() == 429 {
            assert_eq!(r.headers()["retry-after"], "1");
        }
    }
    assert_eq!(
        &statuses[..2],
        &[400, 400],
        "invalid_client, within the quota"
    );
    assert!(statuses[2..].contains(&429), "{statuses:?}");
}
