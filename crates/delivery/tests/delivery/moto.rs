//! SNS `Publish` and SES v2 `SendEmail` against moto's server on loopback, read back from
//! moto's inspection endpoint `GET /moto-api/data.json` (every tracked model: `sns.SMS` with
//! `phone_number` and `message`, `ses.Message` with `source`, `subject`, `body`,
//! `destinations`).

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};
use userpool::{DeliveryMedium, Message, MessageKind, MessageSender};
use userpool_delivery::{AwsClient, AwsCredentials, AwsEndpoint, SesSender, SnsSender};

use crate::support::*;

/// moto on a free loopback port: (the server, its endpoint URL).
pub(crate) async fn moto(python: &Path) -> (Server, String) {
    let script = py_dir().join("moto_on_loopback.py");
    let server = start(python, &[script.to_str().expect("path")], &[]).await;
    let port = serde_json::from_str::<Value>(&server.first_line).expect("json")["port"]
        .as_u64()
        .expect("port");
    (server, format!("http://127.0.0.1:{port}"))
}

pub(crate) fn endpoint(url: &str) -> AwsEndpoint {
    AwsEndpoint {
        url: url.to_owned(),
        region: "us-east-1".into(),
        credentials: AwsCredentials {
            access_key_id: "AKIDMOTOTEST".into(),
            secret_access_key: "moto-secret".into(),
            session_token: None,
        },
    }
}

async fn inspect(url: &str) -> Value {
    let body = reqwest::get(format!("{url}/moto-api/data.json"))
        .await
        .expect("moto-api")
        .bytes()
        .await
        .expect("body");
    serde_json::from_slice(&body).expect("json")
}

fn message(medium: DeliveryMedium, destination: &str, body: &str) -> Message {
    Message {
        pool_id: "us-east-1_AbCdEf123".into(),
        username: "hanako".into(),
        destination: destination.into(),
        delivery_medium: medium,
        kind: MessageKind::SignUp,
        code: "314159".into(),
        subject: "確認コード".into(),
        body: body.into(),
        sent_at: 0,
        from: None,
        reply_to: None,
        html_body: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sns_publishes_sms_and_ses_sends_email() {
    let Some(python) = venv_or_skip("SNS and SES on moto").await else {
        return;
    };
    let (_moto, url) = moto(&python).await;

    let sns = SnsSender::new(endpoint(&url)).expect("sns");
    let sms = message(
        DeliveryMedium::Sms,
        "+819012345678",
        "確認コードは 314159 です。",
    );
    let id = sns.publish(&sms).await.expect("publish");
    assert!(!id.is_empty());
    let data = inspect(&url).await;
    let published = data["sns"]["SMS"].as_array().expect("SMS models");
    assert_eq!(published.len(), 1);
    let first = published.first().expect("one");
    assert_eq!(first["phone_number"], "+819012345678");
    assert_eq!(first["message"], "確認コードは 314159 です。");
    assert_eq!(first["message_id"], id.as_str());

    let ses_client = AwsClient::new(endpoint(&url), "ses", Duration::from_secs(5)).expect("ses");
    let unverified = SesSender::new(endpoint(&url), "no-reply@example.com").expect("ses");
    let email = message(
        DeliveryMedium::Email,
        "hanako@example.jp",
        "確認コードは 314159 です。",
    );
    let refused = unverified.send(email.clone()).await.unwrap_err();
    assert!(
        refused.0.starts_with("SES refused the message: HTTP 400"),
        "{refused}"
    );
    assert!(!refused.0.contains("314159"));
    let verified = ses_client
        .post(
            "/v2/email/identities",
            &[("content-type", "application/json")],
            serde_json::to_vec(&json!({"EmailIdentity": "no-reply@example.com"})).expect("json"),
        )
        .await
        .expect("CreateEmailIdentity");
    assert_eq!(
        verified.status,
        200,
        "{}",
        String::from_utf8_lossy(&verified.body)
    );
    unverified.send(email).await.expect("SendEmail");
    let mut html = message(DeliveryMedium::Email, "jiro@example.jp", "text 271828");
    html.html_body = Some("<p>確認コード <b>271828</b></p>".into());
    html.from = Some("ユーザープール <no-reply@example.com>".into());
    html.reply_to = Some("support@example.com".into());
    unverified.send(html).await.expect("SendEmail with HTML");

    let data = inspect(&url).await;
    let sent = data["ses"]["Message"].as_array().expect("SES messages");
    assert_eq!(sent.len(), 2);
    let plain = sent.first().expect("first");
    assert_eq!(plain["source"], "no-reply@example.com");
    assert_eq!(plain["subject"], "確認コード");
    assert_eq!(plain["body"], "確認コードは 314159 です。");
    assert_eq!(
        plain["destinations"]["ToAddresses"],
        json!(["hanako@example.jp"])
    );
    let rich = sent.get(1).expect("second");
    assert_eq!(
        rich["body"], "<p>確認コード <b>271828</b></p>",
        "moto keeps the HTML part"
    );
    assert_eq!(
        rich["source"],
        "=?utf-8?B?44Om44O844K244O844OX44O844Or?= <no-reply@example.com>"
    );
    assert_eq!(
        rich["destinations"]["ToAddresses"],
        json!(["jiro@example.jp"])
    );

    let wrong = message(DeliveryMedium::Email, "a@example.com", "x");
    assert_eq!(
        sns.send(wrong).await.unwrap_err().0,
        "SNS does not deliver EMAIL messages"
    );
}
