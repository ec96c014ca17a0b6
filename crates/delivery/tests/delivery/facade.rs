//! What the facade puts in a `Message` for the senders: From and Reply-To from the pool's
//! `EmailConfiguration` (only with `DEVELOPER`), the HTML body of an HTML template beside its
//! text rendering, nothing of either for SMS.

use std::sync::Arc;

use userpool::Outbox;
use userpool::wire::*;

use crate::support::*;

#[tokio::test]
async fn from_reply_to_and_html_come_from_the_pool() {
    let outbox = Arc::new(Outbox::new());
    let service = service(outbox.clone(), None, None);
    let configuration = |account: &str| EmailConfigurationType {
        source_arn: Some("arn:aws:ses:us-east-1:123456789012:identity/no-reply@example.com".into()),
        reply_to_email_address: Some("help@example.com".into()),
        email_sending_account: Some(account.into()),
        from: None,
        configuration_set: Some("transactional".into()),
    };
    let (pool, client) = pool_and_client(
        &service,
        UserPoolRequest {
            pool_name: "fields".into(),
            auto_verified_attributes: vec!["email".into()],
            email_verification_message: Some(
                "<p>Hello &amp; welcome</p><p>Code: {####}</p>".into(),
            ),
            email_configuration: Some(configuration("DEVELOPER")),
            ..Default::default()
        },
    )
    .await;
    sign_up(&service, &client, "mika", ("email", "mika@example.com"))
        .await
        .expect("sign-up");
    let sent = outbox.messages_for(&pool, "mika");
    let m = sent.first().expect("one message");
    assert_eq!(
        m.from.as_deref(),
        Some("no-reply@example.com"),
        "the SourceArn identity"
    );
    assert_eq!(m.reply_to.as_deref(), Some("help@example.com"));
    assert_eq!(m.body, format!("Hello & welcome\nCode: {}", m.code));
    assert_eq!(
        m.html_body.as_deref(),
        Some(format!("<p>Hello &amp; welcome</p><p>Code: {}</p>", m.code).as_str())
    );

    service
        .admin()
        .update_user_pool(UserPoolRequest {
            user_pool_id: Some(pool.clone()),
            auto_verified_attributes: vec!["email".into()],
            email_configuration: Some(configuration("COGNITO_DEFAULT")),
            ..Default::default()
        })
        .await
        .expect("update");
    service
        .accounts()
        .resend_confirmation_code(ClientUserRequest {
            client_id: client.clone(),
            username: "mika".into(),
            ..Default::default()
        })
        .await
        .expect("resend");
    let sent = outbox.messages_for(&pool, "mika");
    let m = sent.last().expect("resent");
    assert_eq!(
        m.from, None,
        "Cognito's own account: the sender's default From"
    );
    assert_eq!(m.reply_to.as_deref(), Some("help@example.com"));
    assert_eq!(m.html_body, None, "the default template is text");

    let refused = service
        .admin()
        .update_user_pool(UserPoolRequest {
            user_pool_id: Some(pool),
            email_configuration: Some(EmailConfigurationType {
                email_sending_account: Some("SES".into()),
                ..Default::default()
            }),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(
        refused.message(),
        "1 validation error detected: Value 'SES' at 'emailConfiguration.emailSendingAccount' failed to satisfy constraint: Member must satisfy enum value set: [COGNITO_DEFAULT, DEVELOPER]"
    );
}
