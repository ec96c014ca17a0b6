//! CustomEmailSender / CustomSMSSender through the facade: the trigger gets Cognito's event
//! with the code encrypted — by KMS `Encrypt` on moto (decrypted back with moto's KMS
//! `Decrypt`), or under a shared AES-256-GCM key (decrypted by the documented Python and
//! Node.js handlers) — and the sender is bypassed.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use custom_auth_triggers::events::{CustomSenderRequest, EmptyResponse, Event};
use custom_auth_triggers::{
    CustomEmailSender, LambdaClient, TriggerKind, TriggerRegistry, TriggerSource, handler_fn,
};
use serde_json::{Value, json};
use userpool::Outbox;
use userpool::wire::*;
use userpool_delivery::{AwsClient, KmsEncryptor, LocalKeyEncryptor};

use crate::moto::{endpoint, moto};
use crate::support::*;

type Seen = Arc<Mutex<Vec<Event<CustomSenderRequest, EmptyResponse>>>>;

/// Each invocation: the function name and the event.
type Invocations = Arc<Mutex<Vec<(String, Value)>>>;

fn sender_config(key: &str, arn: &str) -> BTreeMap<String, Value> {
    BTreeMap::from([
        (
            key.to_owned(),
            json!({"LambdaArn": arn, "LambdaVersion": "V1_0"}),
        ),
        (
            "KMSKeyID".to_owned(),
            json!("arn:aws:kms:us-east-1:123456789012:key/00000000-1111-2222-3333-444444444444"),
        ),
    ])
}

async fn kms_call(kms: &AwsClient, target: &str, body: Value) -> (u16, Value) {
    let answer = kms
        .post(
            "/",
            &[
                ("content-type", "application/x-amz-json-1.1"),
                ("x-amz-target", target),
            ],
            serde_json::to_vec(&body).expect("json"),
        )
        .await
        .expect(target);
    (
        answer.status,
        serde_json::from_slice(&answer.body).unwrap_or(Value::Null),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custom_email_sender_gets_a_kms_encrypted_code() {
    let Some(python) = venv_or_skip("KMS custom email sender on moto").await else {
        return;
    };
    let (_moto, url) = moto(&python).await;
    let kms = AwsClient::new(endpoint(&url), "kms", Duration::from_secs(5)).expect("kms");
    let (status, created) = kms_call(&kms, "TrentService.CreateKey", json!({})).await;
    assert_eq!(status, 200, "{created}");
    let key_arn = created["KeyMetadata"]["Arn"]
        .as_str()
        .expect("arn")
        .to_owned();

    let outbox = Arc::new(Outbox::new());
    let encryptor = Arc::new(KmsEncryptor::new(endpoint(&url)).expect("encryptor"));
    let service = service(outbox.clone(), Some(encryptor), None);
    let mut lambda_config = sender_config(
        "CustomEmailSender",
        "arn:aws:lambda:us-east-1:123456789012:function:email-sender",
    );
    lambda_config.insert("KMSKeyID".into(), json!(key_arn));
    let (pool, client) = pool_and_client(
        &service,
        UserPoolRequest {
            pool_name: "kms".into(),
            auto_verified_attributes: vec!["email".into()],
            lambda_config,
            ..Default::default()
        },
    )
    .await;
    let described = service
        .admin()
        .describe_user_pool(UserPoolIdRequest {
            user_pool_id: pool.clone(),
        })
        .await
        .expect("describe")
        .user_pool
        .lambda_config;
    assert_eq!(
        described.get("CustomEmailSender"),
        Some(&json!({
            "LambdaArn": "arn:aws:lambda:us-east-1:123456789012:function:email-sender",
            "LambdaVersion": "V1_0"
        }))
    );
    assert_eq!(described.get("KMSKeyID"), Some(&json!(key_arn)));

    let seen: Seen = Arc::default();
    let record = seen.clone();
    service
        .set_triggers(
            &pool,
            TriggerRegistry::new().with(
                TriggerKind::CustomEmailSender,
                handler_fn::<CustomEmailSender, _, _>(move |event| {
                    let record = record.clone();
                    async move {
                        record.lock().expect("lock").push(event);
                        Ok(EmptyResponse {})
                    }
                }),
            ),
        )
        .expect("triggers");
    sign_up(&service, &client, "kumiko", ("email", "kumiko@example.jp"))
        .await
        .expect("sign-up");
    assert!(
        outbox.messages_for(&pool, "kumiko").is_empty(),
        "the custom sender replaces the sender"
    );
    let event = seen.lock().expect("lock").pop().expect("the trigger ran");
    assert_eq!(event.trigger_source, TriggerSource::CustomEmailSenderSignUp);
    assert_eq!(event.user_pool_id, pool);
    assert_eq!(event.user_name, "kumiko");
    assert_eq!(event.caller_context.client_id, client);
    assert_eq!(event.request.request_type, "customEmailSenderRequestV1");
    assert_eq!(
        event
            .request
            .user_attributes
            .get("email")
            .map(String::as_str),
        Some("kumiko@example.jp")
    );
    let ciphertext = event.request.code.clone().expect("code");
    let (status, wrong_context) = kms_call(
        &kms,
        "TrentService.Decrypt",
        json!({"CiphertextBlob": ciphertext, "EncryptionContext": {"userpool-id": "us-east-1_Other0000"}}),
    )
    .await;
    assert_eq!(status, 400, "bound to the pool: {wrong_context}");
    let (status, decrypted) = kms_call(
        &kms,
        "TrentService.Decrypt",
        json!({"CiphertextBlob": ciphertext, "EncryptionContext": {"userpool-id": pool}}),
    )
    .await;
    assert_eq!(status, 200, "{decrypted}");
    let code = String::from_utf8(
        STANDARD
            .decode(decrypted["Plaintext"].as_str().expect("plaintext"))
            .expect("base64"),
    )
    .expect("utf-8");
    assert_eq!(code.len(), 6);
    assert!(!ciphertext.contains(&code));
    confirm(&service, &pool, &client, "kumiko", &code).await;
}

/// A stand-in for the Lambda Invoke API that records each event and returns it.
async fn lambda_invoke_api() -> (String, Invocations) {
    use axum::extract::{Path as UrlPath, State};
    let calls: Invocations = Arc::default();
    let app =
        axum::Router::new()
            .route(
                "/2015-03-31/functions/{name}/invocations",
                axum::routing::post(
                    |State(calls): State<Invocations>,
                     UrlPath(name): UrlPath<String>,
                     body: String| async move {
                        let event: Value = serde_json::from_str(&body).expect("event JSON");
                        calls.lock().expect("lock").push((name, event));
                        body
                    },
                ),
            )
            .with_state(calls.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, calls)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custom_sms_sender_lambda_decrypts_a_local_key_code_in_python_and_node() {
    let Some(python) = venv_or_skip("local-key custom SMS sender").await else {
        return;
    };
    let key = [0x5au8; 32];
    let key_b64 = STANDARD.encode(key);
    let (lambda_url, calls) = lambda_invoke_api().await;
    let outbox = Arc::new(Outbox::new());
    let service = service(
        outbox.clone(),
        Some(Arc::new(
            LocalKeyEncryptor::from_base64(&key_b64).expect("key"),
        )),
        Some(LambdaClient::new(lambda_url, "us-east-1", None).expect("lambda")),
    );
    let (pool, client) = pool_and_client(
        &service,
        UserPoolRequest {
            pool_name: "local-key".into(),
            auto_verified_attributes: vec!["phone_number".into()],
            lambda_config: sender_config(
                "CustomSMSSender",
                "arn:aws:lambda:us-east-1:123456789012:function:sms-sender",
            ),
            ..Default::default()
        },
    )
    .await;
    let sent = sign_up(
        &service,
        &client,
        "ichiro",
        ("phone_number", "+819012345678"),
    )
    .await
    .expect("sign-up");
    assert_eq!(
        sent.code_delivery_details
            .map(|d| d.delivery_medium)
            .as_deref(),
        Some("SMS")
    );
    assert!(outbox.messages_for(&pool, "ichiro").is_empty());
    let (function, event) = calls.lock().expect("lock").pop().expect("invoked");
    assert_eq!(function, "sms-sender");
    assert_eq!(event["triggerSource"], "CustomSMSSender_SignUp");
    assert_eq!(event["request"]["type"], "customSMSSenderRequestV1");
    assert_eq!(
        event["request"]["userAttributes"]["phone_number"],
        "+819012345678"
    );
    let code = event["request"]["code"].as_str().expect("code").to_owned();

    let in_rust = LocalKeyEncryptor::new(&key)
        .expect("key")
        .open(&code, &pool)
        .expect("open");
    let script = handlers_dir().join("decrypt_code.py");
    let out = tokio::process::Command::new(&python)
        .arg(&script)
        .args([&code, &key_b64, &pool])
        .output()
        .await
        .expect("python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        in_rust.as_str()
    );
    match tokio::process::Command::new("node")
        .arg(handlers_dir().join("decrypt_code.mjs"))
        .args([&code, &key_b64, &pool])
        .output()
        .await
    {
        Ok(out) => {
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(
                String::from_utf8_lossy(&out.stdout).trim(),
                in_rust.as_str()
            );
        }
        Err(_) => println!("SKIPPED: the Node.js decrypt example: node is not installed"),
    }
    confirm(&service, &pool, &client, "ichiro", &in_rust).await;
}

#[tokio::test]
async fn without_an_encryptor_the_message_goes_to_the_sender() {
    let outbox = Arc::new(Outbox::new());
    let service = service(outbox.clone(), None, None);
    let (pool, client) = pool_and_client(
        &service,
        UserPoolRequest {
            pool_name: "no-encryptor".into(),
            auto_verified_attributes: vec!["email".into()],
            lambda_config: sender_config(
                "CustomEmailSender",
                "arn:aws:lambda:us-east-1:123456789012:function:email-sender",
            ),
            ..Default::default()
        },
    )
    .await;
    sign_up(&service, &client, "saburo", ("email", "saburo@example.jp"))
        .await
        .expect("sign-up");
    let code = outbox.last_code(&pool, "saburo").expect("sent normally");
    confirm(&service, &pool, &client, "saburo", &code).await;

    let refused = service
        .admin()
        .create_user_pool(UserPoolRequest {
            pool_name: "no-key".into(),
            lambda_config: BTreeMap::from([(
                "CustomEmailSender".to_owned(),
                json!({"LambdaArn": "arn:aws:lambda:us-east-1:123456789012:function:f"}),
            )]),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(
        (refused.exception_name(), refused.message()),
        (
            "InvalidParameterException",
            "1 validation error detected: Value null at 'lambdaConfig.customEmailSender.lambdaVersion' failed to satisfy constraint: Member must not be null"
        )
    );
}
