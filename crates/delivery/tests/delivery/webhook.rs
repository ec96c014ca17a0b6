//! The webhook sender against a receiver on loopback that checks the documented signature;
//! a refusing receiver and a slow one (the timeout) fail the send.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use serde_json::Value;
use userpool::{DeliveryMedium, Message, MessageKind, MessageSender};
use userpool_delivery::webhook::signature;
use userpool_delivery::{SIGNATURE_HEADER, WebhookSender};

const SECRET: &[u8] = b"shared-webhook-secret";

type Received = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

/// A receiver answering `status` after `delay`, recording (signature header, body).
async fn receiver(status: StatusCode, delay: Duration) -> (String, Received) {
    let received: Received = Arc::default();
    let record = received.clone();
    let app = axum::Router::new().route(
        "/sms",
        axum::routing::post(move |headers: HeaderMap, body: axum::body::Bytes| {
            let record = record.clone();
            async move {
                let header = headers
                    .get(SIGNATURE_HEADER)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                record.lock().expect("lock").push((header, body.to_vec()));
                tokio::time::sleep(delay).await;
                status
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/sms", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, received)
}

fn sms() -> Message {
    Message {
        pool_id: "us-east-1_AbCdEf123".into(),
        username: "yuki".into(),
        destination: "+819012345678".into(),
        delivery_medium: DeliveryMedium::Sms,
        kind: MessageKind::Authentication,
        code: "112358".into(),
        subject: String::new(),
        body: "認証コード: 112358".into(),
        sent_at: 1_700_000_000,
        from: None,
        reply_to: None,
        html_body: None,
    }
}

#[tokio::test]
async fn a_signed_json_post_per_message() {
    let (url, received) = receiver(StatusCode::NO_CONTENT, Duration::ZERO).await;
    let sender = WebhookSender::new(&url, SECRET, Duration::from_secs(5)).expect("sender");
    sender.send(sms()).await.expect("delivered");
    let (header, body) = received.lock().expect("lock").pop().expect("one post");
    let json: Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!(json["destination"], "+819012345678");
    assert_eq!(json["body"], "認証コード: 112358");
    assert_eq!(json["kind"], "authentication");
    assert_eq!(json["medium"], "SMS");
    assert_eq!(json["pool_id"], "us-east-1_AbCdEf123");
    assert_eq!(json["username"], "yuki");
    assert!(json.get("code").is_none(), "only the body carries the code");
    let timestamp: i64 = header
        .strip_prefix("t=")
        .and_then(|h| h.split(',').next())
        .and_then(|t| t.parse().ok())
        .expect("t=");
    assert_eq!(header, signature(SECRET, timestamp, &body));
    assert_ne!(header, signature(b"another secret", timestamp, &body));
}

#[tokio::test]
async fn a_refusal_or_a_timeout_fails_the_send() {
    let (url, _) = receiver(StatusCode::SERVICE_UNAVAILABLE, Duration::ZERO).await;
    let sender = WebhookSender::new(&url, SECRET, Duration::from_secs(5)).expect("sender");
    assert_eq!(
        sender.send(sms()).await.unwrap_err().0,
        "webhook refused the message: HTTP 503"
    );
    let (url, _) = receiver(StatusCode::OK, Duration::from_secs(30)).await;
    let sender = WebhookSender::new(&url, SECRET, Duration::from_millis(200)).expect("sender");
    let failure = sender.send(sms()).await.unwrap_err();
    assert!(failure.0.starts_with("webhook unreachable: "), "{failure}");
    assert!(!failure.0.contains("112358"));
    assert!(WebhookSender::new("ftp://x", SECRET, Duration::from_secs(1)).is_err());
    assert!(WebhookSender::new(&url, b"", Duration::from_secs(1)).is_err());
}
