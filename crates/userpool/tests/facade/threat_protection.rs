//! Threat protection: UserPoolAddOns, risk configurations, compromised credentials at sign-up,
//! password change and password sign-in, account-takeover actions by address, auth events and
//! their feedback.

use userpool::userpool_risk::{
    AccountTakeoverAction, AccountTakeoverActions, AccountTakeoverRiskConfiguration,
    AdvancedSecurityMode, CompromisedCredentialsActions, CompromisedCredentialsEventAction,
    CompromisedCredentialsRiskConfiguration, EventAction, RiskExceptionConfiguration,
};
use userpool::wire::*;

use super::support::*;

/// In the bundled breached-password list, and good enough for the default policy.
const BREACHED: &str = "P@ssw0rd";

async fn protected_pool(w: &World, mode: AdvancedSecurityMode) -> (String, String) {
    let pool = w
        .pool_with(|p| {
            p.user_pool_add_ons = Some(UserPoolAddOns {
                advanced_security_mode: mode,
                advanced_security_additional_flows: None,
            });
        })
        .await;
    let client = w.client(&pool).await;
    (pool, client)
}

fn block_compromised(pool: &str) -> SetRiskConfigurationRequest {
    SetRiskConfigurationRequest {
        user_pool_id: pool.into(),
        compromised_credentials_risk_configuration: Some(CompromisedCredentialsRiskConfiguration {
            event_filter: None,
            actions: CompromisedCredentialsActions {
                event_action: CompromisedCredentialsEventAction::Block,
            },
        }),
        ..Default::default()
    }
}

fn blocked_range(pool: &str, action: EventAction) -> SetRiskConfigurationRequest {
    SetRiskConfigurationRequest {
        user_pool_id: pool.into(),
        account_takeover_risk_configuration: Some(AccountTakeoverRiskConfiguration {
            notify_configuration: None,
            actions: AccountTakeoverActions {
                low_action: None,
                medium_action: Some(AccountTakeoverAction {
                    notify: false,
                    event_action: action,
                }),
                high_action: None,
            },
        }),
        risk_exception_configuration: Some(
            RiskExceptionConfiguration::parse(&["203.0.113.0/24"], &[]).expect("ranges"),
        ),
        ..Default::default()
    }
}

async fn admin_sign_in(
    w: &World,
    pool: &str,
    client: &str,
    password: &str,
    ip: &str,
    device: &str,
) -> Result<AuthResponse, userpool::Error> {
    w.service
        .sign_in()
        .admin_initiate_auth(InitiateAuthRequest {
            user_pool_id: Some(pool.into()),
            client_id: client.into(),
            auth_flow: "ADMIN_USER_PASSWORD_AUTH".into(),
            auth_parameters: SecretMap::of(&[("USERNAME", "alice"), ("PASSWORD", password)]),
            context_data: Some(ContextData {
                ip_address: ip.into(),
                server_name: "app.example.com".into(),
                server_path: "/login".into(),
                encoded_data: Some(device.into()),
                ..Default::default()
            }),
            ..Default::default()
        })
        .await
}

async fn events(w: &World, pool: &str) -> Vec<AuthEventType> {
    w.service
        .threat_protection()
        .admin_list_user_auth_events(AdminListUserAuthEventsRequest {
            user_pool_id: pool.into(),
            username: "alice".into(),
            ..Default::default()
        })
        .await
        .expect("events")
        .auth_events
}

#[tokio::test]
async fn risk_operations_need_the_add_on_and_describe_what_was_set() {
    let w = world!();
    let (off, _) = protected_pool(&w, AdvancedSecurityMode::Off).await;
    assert_kind(
        w.service
            .threat_protection()
            .set_risk_configuration(block_compromised(&off))
            .await,
        "UserPoolAddOnNotEnabledException",
    );
    let (pool, client) = protected_pool(&w, AdvancedSecurityMode::Enforced).await;
    let described = w
        .service
        .admin()
        .describe_user_pool(UserPoolIdRequest {
            user_pool_id: pool.clone(),
        })
        .await
        .expect("describe")
        .user_pool;
    assert_eq!(
        described.user_pool_add_ons.advanced_security_mode,
        AdvancedSecurityMode::Enforced
    );
    let set = w
        .service
        .threat_protection()
        .set_risk_configuration(blocked_range(&pool, EventAction::Block))
        .await
        .expect("set")
        .risk_configuration;
    assert_eq!(set.client_id.as_deref(), Some("ALL"));
    assert!(set.last_modified_date.is_some());
    // A client without its own configuration gets the pool's; one with its own, its own.
    let tp = w.service.threat_protection();
    let for_client = tp
        .describe_risk_configuration(DescribeRiskConfigurationRequest {
            user_pool_id: pool.clone(),
            client_id: Some(client.clone()),
        })
        .await
        .expect("describe");
    assert_eq!(
        for_client.risk_configuration.risk_exception_configuration,
        set.risk_exception_configuration
    );
    let mut own = block_compromised(&pool);
    own.client_id = Some(client.clone());
    tp.set_risk_configuration(own).await.expect("client's own");
    let for_client = tp
        .describe_risk_configuration(DescribeRiskConfigurationRequest {
            user_pool_id: pool.clone(),
            client_id: Some(client.clone()),
        })
        .await
        .expect("describe")
        .risk_configuration;
    assert_eq!(for_client.client_id.as_deref(), Some(client.as_str()));
    assert!(for_client.risk_exception_configuration.is_none());
    assert!(
        for_client
            .compromised_credentials_risk_configuration
            .is_some()
    );
    assert_kind(
        tp.describe_risk_configuration(DescribeRiskConfigurationRequest {
            user_pool_id: pool.clone(),
            client_id: Some("nosuchclient".into()),
        })
        .await,
        "ResourceNotFoundException",
    );
}

#[tokio::test]
async fn breached_passwords_are_refused_and_a_breached_sign_in_ends_in_a_reset() {
    let w = world!();
    let (pool, client) = protected_pool(&w, AdvancedSecurityMode::Enforced).await;
    // Recorded only (no configuration yet): the breached password is accepted.
    w.user(&client, "alice", BREACHED).await;
    w.clock.advance(1);
    w.service
        .threat_protection()
        .set_risk_configuration(block_compromised(&pool))
        .await
        .expect("set");
    assert_error(
        w.service
            .accounts()
            .sign_up(SignUpRequest {
                client_id: client.clone(),
                username: "bob".into(),
                password: BREACHED.into(),
                ..Default::default()
            })
            .await,
        "InvalidPasswordException",
        "Password has been found in a previous data breach.",
    );
    // A wrong password is only wrong: no reset, whatever list it is on.
    assert_error(
        w.password_sign_in(&client, "alice", "Wr0ng-Horse!").await,
        "NotAuthorizedException",
        userpool::INCORRECT_CREDENTIALS,
    );
    // The right, breached one: the user must reset it.
    w.clock.advance(1);
    assert_kind(
        w.password_sign_in(&client, "alice", BREACHED).await,
        "PasswordResetRequiredException",
    );
    let user = w
        .service
        .accounts()
        .admin_get_user(AdminUserRequest {
            user_pool_id: pool.clone(),
            username: "alice".into(),
            ..Default::default()
        })
        .await
        .expect("user");
    assert_eq!(user.user_status.as_deref(), Some("RESET_REQUIRED"));
    let listed = events(&w, &pool).await;
    assert_eq!(listed.len(), 3, "{listed:?}");
    // The sign-up is an event too: it passed, with the breached password detected.
    assert_eq!(
        (
            listed[2].event_type.as_str(),
            listed[2].event_response.as_str(),
            listed[2].event_risk.compromised_credentials_detected
        ),
        ("SignUp", "Pass", true)
    );
    assert!(listed[0].event_risk.compromised_credentials_detected);
    assert_eq!(listed[0].event_response, "Fail");
    assert_eq!(
        listed[1].challenge_responses[0].challenge_response,
        "Failure"
    );
}

#[tokio::test]
async fn blocked_addresses_are_refused_in_enforced_mode_and_only_recorded_in_audit() {
    let w = world!();
    for (mode, blocked) in [
        (AdvancedSecurityMode::Enforced, true),
        (AdvancedSecurityMode::Audit, false),
    ] {
        let (pool, client) = protected_pool(&w, mode).await;
        w.user(&client, "alice", PASSWORD).await;
        w.service
            .threat_protection()
            .set_risk_configuration(blocked_range(&pool, EventAction::Block))
            .await
            .expect("set");
        let from_blocked = admin_sign_in(&w, &pool, &client, PASSWORD, "203.0.113.9", "d1").await;
        if blocked {
            assert_error(
                from_blocked,
                "NotAuthorizedException",
                "Unable to login because of security reasons.",
            );
        } else {
            tokens(&from_blocked.expect("audit only records"));
        }
        w.clock.advance(1);
        tokens(
            &admin_sign_in(&w, &pool, &client, PASSWORD, "198.51.100.4", "d1")
                .await
                .expect("elsewhere"),
        );
        let listed: Vec<_> = events(&w, &pool)
            .await
            .into_iter()
            .filter(|e| e.event_type == "SignIn")
            .collect();
        assert_eq!(listed.len(), 2);
        let (newest, first) = (&listed[0], &listed[1]);
        // After a blocked first attempt there is no baseline (no risk); after an audited one
        // that passed, the second address is a new network (a low risk, recorded).
        assert_eq!(
            (
                newest.event_response.as_str(),
                newest.event_risk.risk_decision.as_str()
            ),
            ("Pass", if blocked { "NoRisk" } else { "AccountTakeover" })
        );
        assert_eq!(first.event_risk.risk_decision, "Block");
        assert_eq!(first.event_risk.risk_level.as_deref(), Some("High"));
        assert_eq!(first.event_response, if blocked { "Fail" } else { "Pass" });
        assert_eq!(
            first
                .event_context_data
                .as_ref()
                .and_then(|c| c.ip_address.as_deref()),
            Some("203.0.113.9")
        );
    }
}

#[tokio::test]
async fn a_new_device_on_a_new_network_must_answer_mfa_and_feedback_is_kept() {
    let w = world!();
    let (pool, client) = protected_pool(&w, AdvancedSecurityMode::Enforced).await;
    w.service
        .admin()
        .set_user_pool_mfa_config(UserPoolMfaConfig {
            user_pool_id: pool.clone(),
            sms_mfa_configuration: Some(SmsMfaConfiguration::default()),
            mfa_configuration: Some("OPTIONAL".into()),
            ..Default::default()
        })
        .await
        .expect("mfa config");
    w.user(&client, "alice", PASSWORD).await;
    w.service
        .threat_protection()
        .set_risk_configuration(blocked_range(&pool, EventAction::MfaRequired))
        .await
        .expect("set");
    // The first success sets the baseline: no risk.
    tokens(
        &admin_sign_in(&w, &pool, &client, PASSWORD, "198.51.100.4", "laptop")
            .await
            .expect("baseline"),
    );
    w.clock.advance(1);
    // A new device on a new network is a medium risk: MFA_REQUIRED, and alice has no phone
    // number to answer it with, so the attempt is blocked.
    assert_error(
        admin_sign_in(&w, &pool, &client, PASSWORD, "192.0.2.77", "phone").await,
        "NotAuthorizedException",
        "Unable to login because of security reasons.",
    );
    // With a phone number the same attempt is asked for an SMS code.
    w.service
        .accounts()
        .admin_update_user_attributes(AdminUpdateUserAttributesRequest {
            user_pool_id: pool.clone(),
            username: "alice".into(),
            user_attributes: vec![
                Attribute::new("phone_number", "+15555550123"),
                Attribute::new("phone_number_verified", "true"),
            ],
            ..Default::default()
        })
        .await
        .expect("phone");
    let challenged = admin_sign_in(&w, &pool, &client, PASSWORD, "192.0.2.77", "phone")
        .await
        .expect("challenge");
    assert_eq!(challenged.challenge_name.as_deref(), Some("SMS_MFA"));
    // Feedback on the blocked attempt.
    let listed = events(&w, &pool).await;
    let blocked = listed
        .iter()
        .find(|e| e.event_response == "Fail")
        .expect("the blocked attempt");
    assert_eq!(blocked.event_risk.risk_decision, "AccountTakeover");
    assert_eq!(blocked.event_risk.risk_level.as_deref(), Some("Medium"));
    w.service
        .threat_protection()
        .admin_update_auth_event_feedback(AuthEventFeedbackRequest {
            user_pool_id: pool.clone(),
            username: "alice".into(),
            event_id: blocked.event_id.clone(),
            feedback_value: "Invalid".into(),
        })
        .await
        .expect("feedback");
    let listed = events(&w, &pool).await;
    let again = listed
        .iter()
        .find(|e| e.event_id == blocked.event_id)
        .expect("still listed");
    let feedback = again.event_feedback.as_ref().expect("feedback");
    assert_eq!(
        (feedback.feedback_value.as_str(), feedback.provider.as_str()),
        ("Invalid", "Admin")
    );
    assert_kind(
        w.service
            .threat_protection()
            .admin_update_auth_event_feedback(AuthEventFeedbackRequest {
                user_pool_id: pool.clone(),
                username: "alice".into(),
                event_id: "no-such-event".into(),
                feedback_value: "Valid".into(),
            })
            .await,
        "ResourceNotFoundException",
    );
    assert_kind(
        w.service
            .threat_protection()
            .admin_update_auth_event_feedback(AuthEventFeedbackRequest {
                user_pool_id: pool,
                username: "alice".into(),
                event_id: blocked.event_id.clone(),
                feedback_value: "valid".into(),
            })
            .await,
        "InvalidParameterException",
    );
}

/// The outbox's account-takeover notification for alice, and its "this was not me" link's
/// query.
fn notification(w: &World, pool: &str) -> (userpool::Message, Vec<(String, String)>) {
    let message = w
        .outbox
        .messages_for(pool, "alice")
        .into_iter()
        .rev()
        .find(|m| m.kind == userpool::MessageKind::AccountTakeoverNotification)
        .expect("a notification");
    let link = message
        .body
        .split_whitespace()
        .find(|word| word.contains("feedback_value=Invalid"))
        .expect("the invalid link")
        .to_owned();
    let query = link.split_once('?').expect("a query").1.to_owned();
    let pairs = form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    (message, pairs)
}

#[tokio::test]
async fn a_notified_block_carries_links_that_only_its_token_can_answer() {
    let w = world!();
    let (pool, client) = protected_pool(&w, AdvancedSecurityMode::Enforced).await;
    w.user(&client, "alice", PASSWORD).await;
    let mut config = blocked_range(&pool, EventAction::Block);
    if let Some(ato) = &mut config.account_takeover_risk_configuration {
        ato.actions.high_action = Some(AccountTakeoverAction {
            notify: true,
            event_action: EventAction::Block,
        });
    }
    w.service
        .threat_protection()
        .set_risk_configuration(config)
        .await
        .expect("set");
    assert_error(
        admin_sign_in(&w, &pool, &client, PASSWORD, "203.0.113.9", "d1").await,
        "NotAuthorizedException",
        "Unable to login because of security reasons.",
    );
    let (message, link) = notification(&w, &pool);
    assert_eq!(message.destination, "alice@example.com");
    assert_eq!(message.subject, "Blocked sign-in attempt");
    assert!(message.body.contains("203.0.113.9"), "{}", message.body);
    assert!(
        message
            .html_body
            .as_deref()
            .is_some_and(|h| h.contains("This was not me"))
    );
    let field = |name: &str| {
        link.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .expect(name)
    };
    assert_eq!(field("user_pool_id"), pool);
    let token = field("feedback_token");
    assert_eq!(token.len(), 43, "32 random bytes, base64url");
    let event_id = field("event_id");
    let update = |token: Option<&str>, value: &str| UpdateAuthEventFeedbackRequest {
        user_pool_id: pool.clone(),
        username: "alice".into(),
        event_id: event_id.clone(),
        feedback_token: token.map(Into::into),
        feedback_value: value.into(),
    };
    let tp = w.service.threat_protection();
    let mut wrong = token.clone();
    wrong.replace_range(0..1, if wrong.starts_with('A') { "B" } else { "A" });
    assert_error(
        tp.update_auth_event_feedback(update(Some(&wrong), "Invalid"))
            .await,
        "NotAuthorizedException",
        "The feedback token is not valid for this event.",
    );
    assert_kind(
        tp.update_auth_event_feedback(update(None, "Invalid")).await,
        "InvalidParameterException",
    );
    tp.update_auth_event_feedback(update(Some(&token), "Invalid"))
        .await
        .expect("the user's verdict");
    let listed = events(&w, &pool).await;
    let answered = listed
        .iter()
        .find(|e| e.event_id == event_id)
        .expect("the blocked event");
    let feedback = answered.event_feedback.as_ref().expect("feedback");
    assert_eq!(
        (feedback.feedback_value.as_str(), feedback.provider.as_str()),
        ("Invalid", "User")
    );
    // The token is for that event only.
    let other = listed
        .iter()
        .find(|e| e.event_id != event_id)
        .expect("the sign-up event");
    assert_error(
        tp.update_auth_event_feedback(UpdateAuthEventFeedbackRequest {
            event_id: other.event_id.clone(),
            ..update(Some(&token), "Valid")
        })
        .await,
        "NotAuthorizedException",
        "The feedback token is not valid for this event.",
    );
}

#[tokio::test]
async fn password_changes_and_resets_are_events_and_breached_ones_are_refused() {
    let w = world!();
    let (pool, client) = protected_pool(&w, AdvancedSecurityMode::Enforced).await;
    w.user(&client, "alice", PASSWORD).await;
    w.service
        .threat_protection()
        .set_risk_configuration(block_compromised(&pool))
        .await
        .expect("set");
    w.clock.advance(1);
    let access = tokens(
        &w.password_sign_in(&client, "alice", PASSWORD)
            .await
            .expect("signed in"),
    )
    .access_token
    .clone();
    w.clock.advance(1);
    let change = |proposed: &str| ChangePasswordRequest {
        access_token: access.clone(),
        previous_password: PASSWORD.into(),
        proposed_password: proposed.into(),
    };
    assert_error(
        w.service.accounts().change_password(change(BREACHED)).await,
        "InvalidPasswordException",
        "Password has been found in a previous data breach.",
    );
    w.clock.advance(1);
    w.service
        .accounts()
        .change_password(change("Another-Good-Passw0rd!"))
        .await
        .expect("a fresh password");
    let kinds: Vec<_> = events(&w, &pool)
        .await
        .iter()
        .map(|e| {
            (
                e.event_type.clone(),
                e.event_response.clone(),
                e.event_risk.compromised_credentials_detected,
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("PasswordChange".to_owned(), "Pass".to_owned(), false),
            ("PasswordChange".to_owned(), "Fail".to_owned(), true),
            ("SignIn".to_owned(), "Pass".to_owned(), false),
            ("SignUp".to_owned(), "Pass".to_owned(), false),
        ]
    );
}

#[tokio::test]
async fn events_written_by_another_process_on_the_same_store_are_scored() {
    use rand::SeedableRng;
    let a = world!();
    let (pool, client) = protected_pool(&a, AdvancedSecurityMode::Enforced).await;
    a.user(&client, "alice", PASSWORD).await;
    let block = Some(AccountTakeoverAction {
        notify: false,
        event_action: EventAction::Block,
    });
    a.service
        .threat_protection()
        .set_risk_configuration(SetRiskConfigurationRequest {
            user_pool_id: pool.clone(),
            account_takeover_risk_configuration: Some(AccountTakeoverRiskConfiguration {
                notify_configuration: None,
                actions: AccountTakeoverActions {
                    low_action: block,
                    medium_action: block,
                    high_action: block,
                },
            }),
            ..Default::default()
        })
        .await
        .expect("set");
    // A second service on the same store: another process of the same deployment.
    let b = World::build(a.store.clone(), |builder| {
        builder.rng(rand_chacha::ChaCha20Rng::seed_from_u64(8))
    });
    // B scores (and keeps) alice's history with a successful sign-in.
    tokens(
        &admin_sign_in(&b, &pool, &client, PASSWORD, "198.51.100.4", "laptop")
            .await
            .expect("baseline"),
    );
    // A sees three wrong passwords from the same device and network.
    for _ in 0..3 {
        assert_error(
            admin_sign_in(
                &a,
                &pool,
                &client,
                "Wrong-password-1",
                "198.51.100.4",
                "laptop",
            )
            .await,
            "NotAuthorizedException",
            "Incorrect username or password.",
        );
    }
    // B's next sign-in counts A's failures (failure velocity: Low, and Low blocks here).
    assert_error(
        admin_sign_in(&b, &pool, &client, PASSWORD, "198.51.100.4", "laptop").await,
        "NotAuthorizedException",
        "Unable to login because of security reasons.",
    );
}
