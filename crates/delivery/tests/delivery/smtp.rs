//! The SMTP sender against aiosmtpd on loopback: a sign-up code sent through the facade arrives
//! as MIME that a parser nobody here wrote reads back intact (From, Reply-To, a Japanese
//! subject, text and HTML bodies), and confirms the sign-up; STARTTLS and implicit TLS with
//! AUTH; a refused login fails the send without the code in the reason.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use mail_parser::MessageParser;
use serde_json::Value;
use userpool::wire::*;
use userpool::{DeliveryMedium, Message, MessageKind, MessageSender};
use userpool_delivery::{SmtpSecurity, SmtpSender};

use crate::support::*;

const USER: &str = "sink user";
const PASSWORD: &str = "s3cret:p@ss";

/// aiosmtpd in `mode`, saving into a fresh directory: (server, its port, the directory).
async fn sink(python: &Path, mode: &str) -> (Server, u16, PathBuf) {
    let out = scratch(&format!("smtp-{mode}"));
    let script = py_dir().join("smtp_sink.py");
    let server = start(
        python,
        &[
            script.to_str().expect("path"),
            mode,
            out.to_str().expect("path"),
        ],
        &[("SINK_USER", USER), ("SINK_PASSWORD", PASSWORD)],
    )
    .await;
    let port = serde_json::from_str::<Value>(&server.first_line).expect("json")["port"]
        .as_u64()
        .and_then(|p| u16::try_from(p).ok())
        .expect("port");
    (server, port, out)
}

/// `smtp[s]://user:password@host:port` with the credentials percent-encoded.
fn url(scheme: &str, host: &str, port: u16) -> String {
    format!("{scheme}://sink%20user:s3cret%3Ap%40ss@{host}:{port}")
}

fn received(dir: &Path) -> Vec<Vec<u8>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read(p).expect("eml"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_up_code_arrives_by_smtp_and_confirms_the_user() {
    let Some(python) = venv_or_skip("SMTP sign-up").await else {
        return;
    };
    let (_server, port, out) = sink(&python, "plain").await;
    let smtp = SmtpSender::builder(
        &url("smtp", "127.0.0.1", port),
        "Default <default@example.com>",
    )
    .plaintext_on_loopback()
    .build()
    .expect("sender");
    assert_eq!(smtp.security(), SmtpSecurity::Plaintext);
    let service = service(Arc::new(smtp), None, None);
    let (pool, client) = pool_and_client(
        &service,
        UserPoolRequest {
            pool_name: "smtp".into(),
            auto_verified_attributes: vec!["email".into()],
            verification_message_template: Some(VerificationMessageTemplate {
                email_subject: Some("【ユーザープール】確認コードのお知らせ".into()),
                email_message: Some(
                    "<html><body><p>ご登録ありがとうございます。</p><p>確認コードは <b>{####}</b> です。</p></body></html>".into(),
                ),
                ..Default::default()
            }),
            email_configuration: Some(EmailConfigurationType {
                source_arn: Some(
                    "arn:aws:ses:us-east-1:123456789012:identity/no-reply@example.com".into(),
                ),
                reply_to_email_address: Some("support@example.com".into()),
                email_sending_account: Some("DEVELOPER".into()),
                from: Some("ユーザープール <no-reply@example.com>".into()),
                configuration_set: None,
            }),
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
        .email_configuration
        .expect("email configuration");
    assert_eq!(
        described.email_sending_account.as_deref(),
        Some("DEVELOPER")
    );
    assert_eq!(
        described.reply_to_email_address.as_deref(),
        Some("support@example.com")
    );

    sign_up(&service, &client, "taro", ("email", "taro@example.jp"))
        .await
        .expect("sign-up");
    let mails = received(&out);
    assert_eq!(mails.len(), 1);
    let raw = mails.first().expect("one mail");
    let head_end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("header section");
    assert!(
        raw.get(..head_end).expect("head").is_ascii(),
        "headers are 7-bit (RFC 2047 encoded words)"
    );
    let parsed = MessageParser::default().parse(raw).expect("MIME");
    let from = parsed.from().and_then(|a| a.first()).expect("From");
    assert_eq!(from.address(), Some("no-reply@example.com"));
    assert_eq!(from.name(), Some("ユーザープール"));
    let reply_to = parsed.reply_to().and_then(|a| a.first()).expect("Reply-To");
    assert_eq!(reply_to.address(), Some("support@example.com"));
    let to = parsed.to().and_then(|a| a.first()).expect("To");
    assert_eq!(to.address(), Some("taro@example.jp"));
    assert_eq!(
        parsed.subject(),
        Some("【ユーザープール】確認コードのお知らせ")
    );
    assert!(parsed.message_id().is_some_and(|id| !id.is_empty()));
    let text = parsed.body_text(0).expect("text part").into_owned();
    let html = parsed.body_html(0).expect("HTML part").into_owned();
    assert!(text.contains("ご登録ありがとうございます。"), "{text}");
    assert!(!text.contains("<p>"), "the text part has no markup: {text}");
    let code = six_digits(&text);
    assert!(html.contains(&format!("<b>{code}</b>")), "{html}");
    assert!(html.contains("確認コードは"), "{html}");
    confirm(&service, &pool, &client, "taro", &code).await;
}

fn message(code: &str) -> Message {
    Message {
        pool_id: "us-east-1_AbCdEf123".into(),
        username: "alice".into(),
        destination: "alice@example.com".into(),
        delivery_medium: DeliveryMedium::Email,
        kind: MessageKind::ForgotPassword,
        code: code.into(),
        subject: "Reset".into(),
        body: format!("Your code is {code}."),
        sent_at: 0,
        from: None,
        reply_to: None,
        html_body: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starttls_and_implicit_tls_with_auth() {
    let Some(python) = venv_or_skip("SMTP over TLS").await else {
        return;
    };
    for (mode, scheme, security) in [
        ("starttls", "smtp", SmtpSecurity::StartTls),
        ("tls", "smtps", SmtpSecurity::ImplicitTls),
    ] {
        let (_server, port, out) = sink(&python, mode).await;
        let cert = std::fs::read(out.join("cert.pem")).expect("cert");
        let smtp = SmtpSender::builder(&url(scheme, "localhost", port), "Pool <pool@example.com>")
            .add_root_certificate_pem(&cert)
            .build()
            .expect("sender");
        assert_eq!(smtp.security(), security);
        smtp.send(message("246810")).await.expect(mode);
        let mails = received(&out);
        let parsed = MessageParser::default()
            .parse(mails.first().expect("one mail"))
            .expect("MIME");
        let from = parsed.from().and_then(|a| a.first()).expect("From");
        assert_eq!(from.address(), Some("pool@example.com"), "the default From");
        assert_eq!(
            parsed.body_text(0).as_deref().map(str::trim_end),
            Some("Your code is 246810.")
        );
        assert!(parsed.reply_to().is_none());

        // The relay's certificate is not trusted without the root: the send fails.
        let untrusted = SmtpSender::builder(&url(scheme, "localhost", port), "pool@example.com")
            .build()
            .expect("sender");
        let failure = untrusted.send(message("135791")).await.unwrap_err();
        assert!(!failure.0.contains("135791"), "{failure}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_login_fails_the_send_without_the_code() {
    let Some(python) = venv_or_skip("SMTP AUTH refused").await else {
        return;
    };
    let (_server, port, out) = sink(&python, "plain").await;
    let smtp = SmtpSender::builder(
        &format!("smtp://sink%20user:wrong@127.0.0.1:{port}"),
        "pool@example.com",
    )
    .plaintext_on_loopback()
    .build()
    .expect("sender");
    let failure = smtp.send(message("975310")).await.unwrap_err();
    assert!(
        failure.0.starts_with("SMTP refused the message: "),
        "{failure}"
    );
    assert!(failure.0.contains("535"), "the relay's answer: {failure}");
    assert!(!failure.0.contains("975310"));
    assert!(received(&out).is_empty());
    let mut sms = message("1");
    sms.delivery_medium = DeliveryMedium::Sms;
    sms.destination = "+12065550100".into();
    assert_eq!(
        smtp.send(sms).await.unwrap_err().0,
        "SMTP does not deliver SMS messages"
    );
}
