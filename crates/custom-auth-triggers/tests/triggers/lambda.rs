//! The Lambda Invoke adapter against a real loopback HTTP server that speaks the Invoke API.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use custom_auth_triggers::events::*;
use custom_auth_triggers::*;
use serde_json::Value;

#[derive(Default)]
struct Seen {
    requests: Vec<(String, Option<String>, HeaderMap, Value)>,
}

async fn invoke(
    State(seen): State<Arc<Mutex<Seen>>>,
    Path(name): Path<String>,
    Query(q): Query<std::collections::HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let event: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    seen.lock().unwrap().requests.push((
        name.clone(),
        q.get("Qualifier").cloned(),
        headers,
        event.clone(),
    ));
    match name.as_str() {
        "AutoConfirm" => {
            let mut e = event;
            e["response"] = serde_json::json!({"autoConfirmUser": true, "autoVerifyEmail": true});
            axum::Json(e).into_response()
        }
        "Throws" => (
            [("x-amz-function-error", "Unhandled")],
            r#"{"errorMessage":"Email domain not allowed","errorType":"Error","trace":[]}"#,
        )
            .into_response(),
        "Slow" => {
            tokio::time::sleep(Duration::from_secs(3)).await;
            axum::Json(event).into_response()
        }
        "Garbage" => "<html>not json</html>".into_response(),
        "WrongShape" => {
            let mut e = event;
            e["response"] = serde_json::json!({"autoConfirmUser": "definitely"});
            axum::Json(e).into_response()
        }
        _ => (
            StatusCode::NOT_FOUND,
            r#"{"Type":"User","message":"Function not found"}"#,
        )
            .into_response(),
    }
}

async fn server() -> (String, Arc<Mutex<Seen>>) {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let app = Router::new()
        .route("/2015-03-31/functions/{name}/invocations", post(invoke))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), seen)
}

fn pre_sign_up() -> PreSignUpEvent {
    Event {
        version: "1".into(),
        trigger_source: TriggerSource::PreSignUpSignUp,
        region: "us-east-1".into(),
        user_pool_id: "us-east-1_AbCdEf123".into(),
        user_name: "alice".into(),
        caller_context: CallerContext {
            aws_sdk_version: "aws-sdk-unknown-unknown".into(),
            client_id: "c".into(),
        },
        request: PreSignUpRequest {
            user_attributes: [("email".to_owned(), "alice@example.com".to_owned())].into(),
            ..Default::default()
        },
        response: PreSignUpResponse::default(),
    }
}

fn registry(
    endpoint: &str,
    function: &str,
    credentials: Option<AwsCredentials>,
) -> TriggerRegistry {
    let client = LambdaClient::new(endpoint, "us-east-1", credentials).unwrap();
    TriggerRegistry::new()
        .with_timeout(Duration::from_millis(500))
        .with(TriggerKind::PreSignUp, client.function(function))
}

fn arn(name: &str) -> String {
    format!("arn:aws:lambda:us-east-1:123456789012:function:{name}")
}

#[tokio::test]
async fn an_existing_function_runs_unchanged() {
    let (endpoint, seen) = server().await;
    let r = registry(&endpoint, &arn("AutoConfirm"), None);
    let resp = r.invoke::<PreSignUp>(pre_sign_up()).await.unwrap().unwrap();
    assert!(resp.auto_confirm_user && resp.auto_verify_email);
    let seen = seen.lock().unwrap();
    let (name, qualifier, headers, event) = &seen.requests[0];
    assert_eq!(name, "AutoConfirm");
    assert_eq!(qualifier, &None);
    assert_eq!(headers["x-amz-invocation-type"], "RequestResponse");
    assert_eq!(event["triggerSource"], "PreSignUp_SignUp");
    assert_eq!(
        event["request"]["userAttributes"]["email"],
        "alice@example.com"
    );
    assert!(
        headers.get("authorization").is_none(),
        "unsigned without credentials"
    );
}

#[tokio::test]
async fn qualified_arns_and_signing() {
    let (endpoint, seen) = server().await;
    let creds = AwsCredentials {
        access_key_id: "AKIDEXAMPLE".into(),
        secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
        session_token: Some("token".into()),
    };
    let r = registry(
        &endpoint,
        &format!("{}:live", arn("AutoConfirm")),
        Some(creds),
    );
    r.invoke::<PreSignUp>(pre_sign_up()).await.unwrap();
    let seen = seen.lock().unwrap();
    let (_, qualifier, headers, _) = &seen.requests[0];
    assert_eq!(qualifier.as_deref(), Some("live"));
    let auth = headers["authorization"].to_str().unwrap();
    assert!(
        auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"),
        "{auth}"
    );
    assert!(auth.contains("/us-east-1/lambda/aws4_request"), "{auth}");
    assert!(
        auth.contains("SignedHeaders=") && auth.contains("host") && auth.contains("x-amz-date"),
        "{auth}"
    );
    assert!(headers.contains_key("x-amz-date"));
    assert_eq!(headers["x-amz-security-token"], "token");
    assert!(!auth.contains("wJalrXUtnFEMI"), "the secret never travels");
}

#[tokio::test]
async fn a_throwing_function_is_a_user_lambda_validation_exception() {
    let (endpoint, _) = server().await;
    let err = registry(&endpoint, &arn("Throws"), None)
        .invoke::<PreSignUp>(pre_sign_up())
        .await
        .unwrap_err();
    assert_eq!(err.exception(), "UserLambdaValidationException");
    assert_eq!(
        err.to_string(),
        "PreSignUp failed with error Email domain not allowed."
    );
}

#[tokio::test]
async fn timeouts_bad_answers_and_unreachable_endpoints() {
    let (endpoint, _) = server().await;
    let slow = registry(&endpoint, &arn("Slow"), None)
        .invoke::<PreSignUp>(pre_sign_up())
        .await
        .unwrap_err();
    assert_eq!(
        slow,
        TriggerError::Timeout {
            trigger: TriggerKind::PreSignUp
        }
    );
    assert_eq!(slow.exception(), "UnexpectedLambdaException");
    let garbage = registry(&endpoint, &arn("Garbage"), None)
        .invoke::<PreSignUp>(pre_sign_up())
        .await
        .unwrap_err();
    assert_eq!(garbage.exception(), "InvalidLambdaResponseException");
    let shape = registry(&endpoint, &arn("WrongShape"), None)
        .invoke::<PreSignUp>(pre_sign_up())
        .await
        .unwrap_err();
    assert_eq!(shape.exception(), "InvalidLambdaResponseException");
    let missing = registry(&endpoint, &arn("Missing"), None)
        .invoke::<PreSignUp>(pre_sign_up())
        .await
        .unwrap_err();
    assert_eq!(
        missing,
        TriggerError::Unreachable {
            trigger: TriggerKind::PreSignUp,
            reason: "Lambda invoke answered HTTP 404".into()
        }
    );
    // A port nothing listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let refused = registry(&closed, &arn("AutoConfirm"), None)
        .invoke::<PreSignUp>(pre_sign_up())
        .await
        .unwrap_err();
    assert_eq!(refused.exception(), "UnexpectedLambdaException");
}

#[tokio::test]
async fn a_registry_from_the_pools_lambda_config() {
    let (endpoint, seen) = server().await;
    let client = LambdaClient::new(&endpoint, "us-east-1", None).unwrap();
    let config: std::collections::BTreeMap<String, String> = [
        ("PreSignUp".to_owned(), arn("AutoConfirm")),
        ("PostConfirmation".to_owned(), arn("Missing")),
    ]
    .into();
    let registry = TriggerRegistry::from_lambda_config(&config, &client).unwrap();
    assert!(
        registry.is_configured(TriggerKind::PreSignUp)
            && registry.is_configured(TriggerKind::PostConfirmation)
    );
    assert!(!registry.is_configured(TriggerKind::PreAuthentication));
    assert!(
        registry
            .invoke::<PreSignUp>(pre_sign_up())
            .await
            .unwrap()
            .unwrap()
            .auto_confirm_user
    );
    assert_eq!(seen.lock().unwrap().requests[0].0, "AutoConfirm");
    let bad: std::collections::BTreeMap<String, String> =
        [("PreSignup".to_owned(), arn("x"))].into();
    assert_eq!(
        TriggerRegistry::from_lambda_config(&bad, &client).unwrap_err(),
        "unknown trigger PreSignup"
    );
}
