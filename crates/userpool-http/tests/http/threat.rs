//! Threat protection through the Rust AWS SDK: UserPoolAddOns, SetRiskConfiguration, a sign-in
//! blocked by the caller's own (loopback) address whatever `UserContextData` claims from a
//! client that may not propagate it, an Admin* sign-in scored by the `ContextData` the app's
//! server vouches for, AdminListUserAuthEvents, and the account-takeover notification's
//! feedback link and UpdateAuthEventFeedback.

use aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata;
use aws_sdk_cognitoidentityprovider::types::{
    AccountTakeoverActionType, AccountTakeoverActionsType, AccountTakeoverEventActionType,
    AccountTakeoverRiskConfigurationType, AdvancedSecurityModeType, AuthFlowType, ContextDataType,
    ExplicitAuthFlowsType, RiskExceptionConfigurationType, UserContextDataType, UserPoolAddOnsType,
    VerifiedAttributeType,
};

use super::sdk::serve;

const PASSWORD: &str = userpool_testkit::PASSWORD;

#[tokio::test]
async fn sign_ins_are_scored_by_the_address_that_counts() {
    let s = serve().await;
    let (pool, client) = s.pool_and_client().await;
    s.user(&pool, &client, "alice").await;
    s.sdk
        .update_user_pool()
        .user_pool_id(&pool)
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .user_pool_add_ons(
            UserPoolAddOnsType::builder()
                .advanced_security_mode(AdvancedSecurityModeType::Enforced)
                .build()
                .expect("add-ons"),
        )
        .send()
        .await
        .expect("UpdateUserPool");
    let described = s
        .sdk
        .describe_user_pool()
        .user_pool_id(&pool)
        .send()
        .await
        .expect("DescribeUserPool");
    assert_eq!(
        described
            .user_pool()
            .and_then(|p| p.user_pool_add_ons())
            .map(|a| a.advanced_security_mode()),
        Some(&AdvancedSecurityModeType::Enforced)
    );
    let set = s
        .sdk
        .set_risk_configuration()
        .user_pool_id(&pool)
        .risk_exception_configuration(
            RiskExceptionConfigurationType::builder()
                .blocked_ip_range_list("127.0.0.0/8")
                .build(),
        )
        .send()
        .await
        .expect("SetRiskConfiguration");
    assert_eq!(
        set.risk_configuration()
            .and_then(|r| r.risk_exception_configuration())
            .map(|e| e.blocked_ip_range_list().to_vec()),
        Some(vec!["127.0.0.0/8".to_owned()])
    );

    // The caller's address is loopback; a client without EnablePropagateAdditionalUserContextData
    // cannot claim another one.
    let blocked = s
        .sdk
        .initiate_auth()
        .client_id(&client)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "alice")
        .auth_parameters("PASSWORD", PASSWORD)
        .user_context_data(
            UserContextDataType::builder()
                .ip_address("198.51.100.8")
                .build(),
        )
        .send()
        .await
        .expect_err("blocked");
    assert_eq!(
        (blocked.code(), blocked.message()),
        (
            Some("NotAuthorizedException"),
            Some("Unable to login because of security reasons.")
        )
    );

    // The app's server vouches for the end user's address.
    s.sdk
        .update_user_pool_client()
        .user_pool_id(&pool)
        .client_id(&client)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .expect("UpdateUserPoolClient");
    let signed_in = s
        .sdk
        .admin_initiate_auth()
        .user_pool_id(&pool)
        .client_id(&client)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", "alice")
        .auth_parameters("PASSWORD", PASSWORD)
        .context_data(
            ContextDataType::builder()
                .ip_address("198.51.100.7")
                .server_name("app.example.com")
                .server_path("/login")
                .set_http_headers(Some(vec![]))
                .build()
                .expect("context data"),
        )
        .send()
        .await
        .expect("AdminInitiateAuth");
    assert!(signed_in.authentication_result().is_some());

    let listed = s
        .sdk
        .admin_list_user_auth_events()
        .user_pool_id(&pool)
        .username("alice")
        .send()
        .await
        .expect("AdminListUserAuthEvents");
    let summary: Vec<(String, String, String)> = listed
        .auth_events()
        .iter()
        .map(|e| {
            (
                e.event_response()
                    .map(|r| r.as_str().to_owned())
                    .unwrap_or_default(),
                e.event_risk()
                    .and_then(|r| r.risk_decision())
                    .map(|d| d.as_str().to_owned())
                    .unwrap_or_default(),
                e.event_context_data()
                    .and_then(|c| c.ip_address())
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect();
    let owned = |a: &str, b: &str, c: &str| (a.to_owned(), b.to_owned(), c.to_owned());
    let mut expected = vec![
        owned("Pass", "NoRisk", "198.51.100.7"),
        owned("Fail", "Block", "127.0.0.1"),
    ];
    // Both in one second: their order within it is by id.
    let mut got = summary.clone();
    got.sort();
    expected.sort();
    assert_eq!(got, expected, "{summary:?}");
}

/// The notified block's email, read through the dev outbox, and its "this was not me" link.
async fn notification_link(s: &super::sdk::Server, pool: &str) -> String {
    let listed: serde_json::Value = s
        .http
        .get(format!(
            "{}/_dev/messages?pool_id={pool}&username=alice",
            s.endpoint
        ))
        .send()
        .await
        .expect("outbox")
        .json()
        .await
        .expect("json");
    let body = listed["messages"]
        .as_array()
        .and_then(|m| {
            m.iter()
                .rev()
                .find(|m| m["kind"] == "account_takeover_notification")
        })
        .and_then(|m| m["body"].as_str())
        .expect("a notification")
        .to_owned();
    body.split_whitespace()
        .find(|w| w.contains("feedback_value=Invalid"))
        .expect("the link")
        .to_owned()
}

#[tokio::test]
async fn the_notification_link_asks_first_then_records_the_users_verdict() {
    let s = serve().await;
    let (pool, client) = s.pool_and_client().await;
    s.user(&pool, &client, "alice").await;
    s.sdk
        .update_user_pool()
        .user_pool_id(&pool)
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .user_pool_add_ons(
            UserPoolAddOnsType::builder()
                .advanced_security_mode(AdvancedSecurityModeType::Enforced)
                .build()
                .expect("add-ons"),
        )
        .send()
        .await
        .expect("UpdateUserPool");
    s.sdk
        .set_risk_configuration()
        .user_pool_id(&pool)
        .risk_exception_configuration(
            RiskExceptionConfigurationType::builder()
                .blocked_ip_range_list("127.0.0.0/8")
                .build(),
        )
        .account_takeover_risk_configuration(
            AccountTakeoverRiskConfigurationType::builder()
                .actions(
                    AccountTakeoverActionsType::builder()
                        .high_action(
                            AccountTakeoverActionType::builder()
                                .notify(true)
                                .event_action(AccountTakeoverEventActionType::Block)
                                .build()
                                .expect("action"),
                        )
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("SetRiskConfiguration");
    let blocked = s
        .sdk
        .initiate_auth()
        .client_id(&client)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "alice")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .expect_err("blocked");
    assert_eq!(blocked.code(), Some("NotAuthorizedException"));
    let link = notification_link(&s, &pool).await;
    assert!(
        link.starts_with(&format!("{}/risk/feedback?", s.endpoint)),
        "{link}"
    );

    let feedback = || async {
        let listed = s
            .sdk
            .admin_list_user_auth_events()
            .user_pool_id(&pool)
            .username("alice")
            .send()
            .await
            .expect("AdminListUserAuthEvents");
        listed
            .auth_events()
            .iter()
            .find_map(|e| e.event_feedback().cloned())
            .map(|f| {
                (
                    f.feedback_value().as_str().to_owned(),
                    f.provider().to_owned(),
                )
            })
    };
    // Following the link (as a mail scanner would) records nothing: it shows a form.
    let page = s.http.get(&link).send().await.expect("GET");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(html.contains("No, this was not me"), "{html}");
    assert_eq!(feedback().await, None);
    // The form posts the link's fields back.
    let query = link.split_once('?').expect("query").1.to_owned();
    let posted = s
        .http
        .post(format!("{}/risk/feedback", s.endpoint))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(query.clone())
        .send()
        .await
        .expect("POST");
    assert_eq!(posted.status(), 200);
    assert!(
        posted
            .text()
            .await
            .expect("html")
            .contains("Your answer was recorded")
    );
    assert_eq!(
        feedback().await,
        Some(("Invalid".to_owned(), "User".to_owned()))
    );
    // UpdateAuthEventFeedback over the API, unsigned, with a forged token.
    let field = |name: &str| {
        form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
            .expect(name)
    };
    let forged = s
        .sdk
        .update_auth_event_feedback()
        .user_pool_id(&pool)
        .username("alice")
        .event_id(field("event_id"))
        .feedback_token("A".repeat(43))
        .feedback_value(aws_sdk_cognitoidentityprovider::types::FeedbackValueType::Valid)
        .send()
        .await
        .expect_err("forged");
    assert_eq!(
        (forged.code(), forged.message()),
        (
            Some("NotAuthorizedException"),
            Some("The feedback token is not valid for this event.")
        )
    );
    s.sdk
        .update_auth_event_feedback()
        .user_pool_id(&pool)
        .username("alice")
        .event_id(field("event_id"))
        .feedback_token(field("feedback_token"))
        .feedback_value(aws_sdk_cognitoidentityprovider::types::FeedbackValueType::Valid)
        .send()
        .await
        .expect("UpdateAuthEventFeedback");
    assert_eq!(
        feedback().await,
        Some(("Valid".to_owned(), "User".to_owned()))
    );
}
