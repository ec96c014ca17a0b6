//! The registry's failure semantics and response rules, with Rust hooks.

use std::sync::Arc;
use std::time::Duration;

use custom_auth_triggers::events::*;
use custom_auth_triggers::*;
use serde_json::{Value, json};

fn event<Req: Default, Resp: Default>(source: TriggerSource) -> Event<Req, Resp> {
    Event {
        version: "1".into(),
        trigger_source: source,
        region: "us-east-1".into(),
        user_pool_id: "us-east-1_AbCdEf123".into(),
        user_name: "alice".into(),
        caller_context: CallerContext {
            aws_sdk_version: "aws-sdk-unknown-unknown".into(),
            client_id: "c".into(),
        },
        request: Req::default(),
        response: Resp::default(),
    }
}

/// A raw handler that answers with `response` set to `value` (or the whole answer replaced).
struct Raw(Value, bool);

#[async_trait::async_trait]
impl TriggerHandler for Raw {
    async fn handle(&self, mut event: Value) -> Result<Value, HandlerError> {
        if self.1 {
            return Ok(self.0.clone());
        }
        event["response"] = self.0.clone();
        Ok(event)
    }
}

fn with_response(kind: TriggerKind, value: Value) -> TriggerRegistry {
    TriggerRegistry::new().with(kind, Arc::new(Raw(value, false)))
}

#[tokio::test]
async fn unconfigured_triggers_do_nothing() {
    let r = TriggerRegistry::new();
    assert_eq!(
        r.invoke::<PreSignUp>(event(TriggerSource::PreSignUpSignUp))
            .await,
        Ok(None)
    );
    assert!(!r.is_configured(TriggerKind::PreSignUp));
}

#[tokio::test]
async fn handler_errors_are_user_lambda_validation_exceptions() {
    let r = TriggerRegistry::new().with(
        TriggerKind::DefineAuthChallenge,
        handler_fn::<DefineAuthChallenge, _, _>(|_| async {
            Err("'challengeMetaData'".to_owned())
        }),
    );
    let err = r
        .invoke::<DefineAuthChallenge>(event(TriggerSource::DefineAuthChallengeAuthentication))
        .await
        .unwrap_err();
    assert_eq!(err.exception(), "UserLambdaValidationException");
    assert_eq!(
        err.to_string(),
        "DefineAuthChallenge failed with error 'challengeMetaData'."
    );
}

#[tokio::test]
async fn a_slow_handler_times_out() {
    let r = TriggerRegistry::new()
        .with_timeout(Duration::from_millis(50))
        .with(
            TriggerKind::PreAuthentication,
            handler_fn::<PreAuthentication, _, _>(|_| async {
                tokio::time::sleep(Duration::from_secs(5)).await;
                Ok(EmptyResponse {})
            }),
        );
    let err = r
        .invoke::<PreAuthentication>(event(TriggerSource::PreAuthenticationAuthentication))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        TriggerError::Timeout {
            trigger: TriggerKind::PreAuthentication
        }
    );
    assert_eq!(err.exception(), "UnexpectedLambdaException");
}

#[tokio::test]
async fn unknown_fields_are_ignored_and_nulls_are_defaults() {
    let r = with_response(
        TriggerKind::PreSignUp,
        json!({"autoConfirmUser": true, "autoVerifyEmail": null, "somethingNew": [1, 2]}),
    );
    let resp = r
        .invoke::<PreSignUp>(event(TriggerSource::PreSignUpSignUp))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        resp,
        PreSignUpResponse {
            auto_confirm_user: true,
            auto_verify_email: false,
            auto_verify_phone: false
        }
    );
    let r = with_response(TriggerKind::PreSignUp, Value::Null);
    assert_eq!(
        r.invoke::<PreSignUp>(event(TriggerSource::PreSignUpSignUp))
            .await,
        Ok(Some(PreSignUpResponse::default()))
    );
}

#[tokio::test]
async fn wrong_types_are_invalid_lambda_responses() {
    let cases = [
        with_response(TriggerKind::PreSignUp, json!({"autoConfirmUser": "yes"})),
        with_response(TriggerKind::PreSignUp, json!([true])),
        with_response(TriggerKind::PreSignUp, json!("true")),
        TriggerRegistry::new().with(
            TriggerKind::PreSignUp,
            Arc::new(Raw(json!("not an event"), true)),
        ),
    ];
    for r in cases {
        let err = r
            .invoke::<PreSignUp>(event(TriggerSource::PreSignUpSignUp))
            .await
            .unwrap_err();
        assert_eq!(err.exception(), "InvalidLambdaResponseException", "{err}");
        assert!(
            !err.to_string().contains("yes"),
            "reasons do not echo values: {err}"
        );
    }
}

#[tokio::test]
async fn response_rules() {
    let bad_status = with_response(
        TriggerKind::UserMigration,
        json!({"userAttributes": {"email": "a@b.co"}, "finalUserStatus": "ACTIVE"}),
    );
    let err = bad_status
        .invoke::<UserMigration>(event(TriggerSource::UserMigrationAuthentication))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        TriggerError::InvalidResponse {
            trigger: TriggerKind::UserMigration,
            reason: "finalUserStatus must be CONFIRMED or RESET_REQUIRED".into()
        }
    );
    let both = with_response(
        TriggerKind::DefineAuthChallenge,
        json!({"issueTokens": true, "failAuthentication": true}),
    );
    assert!(
        both.invoke::<DefineAuthChallenge>(event(TriggerSource::DefineAuthChallengeAuthentication))
            .await
            .is_err()
    );
    let complex = with_response(
        TriggerKind::PreTokenGeneration,
        json!({"claimsAndScopeOverrideDetails": {"idTokenGeneration": {"claimsToAddOrOverride": {"email_verified": {"x": 1}}}}}),
    );
    assert!(
        complex
            .invoke::<PreTokenGeneration>(event(TriggerSource::TokenGenerationAuthentication))
            .await
            .is_err()
    );
    let nested_array = with_response(
        TriggerKind::PreTokenGeneration,
        json!({"claimsOverrideDetails": {"groupOverrideDetails": [["a"], [], null]}}),
    );
    let err = nested_array
        .invoke::<PreTokenGeneration>(event(TriggerSource::TokenGenerationAuthentication))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        TriggerError::InvalidResponse {
            trigger: TriggerKind::PreTokenGeneration,
            reason: "response.claimsOverrideDetails.groupOverrideDetails must be an object".into()
        }
    );
    let v1_not_string = with_response(
        TriggerKind::PreTokenGeneration,
        json!({"claimsOverrideDetails": {"claimsToAddOrOverride": {"n": 1}}}),
    );
    assert!(
        v1_not_string
            .invoke::<PreTokenGeneration>(event(TriggerSource::TokenGenerationAuthentication))
            .await
            .is_err(),
        "V1 claims are strings"
    );
    let request = CustomMessageRequest {
        code_parameter: "{####}".into(),
        username_parameter: Some("{username}".into()),
        ..Default::default()
    };
    let ok = CustomMessageResponse {
        sms_message: Some("Hi {username}, {####}".into()),
        ..Default::default()
    };
    assert_eq!(ok.check_placeholders(&request), Ok(()));
    let missing = CustomMessageResponse {
        email_message: Some("Hi {username}".into()),
        ..Default::default()
    };
    assert!(missing.check_placeholders(&request).is_err());
}

#[tokio::test]
async fn registries_are_per_pool() {
    let a = TriggerRegistry::new().with(
        TriggerKind::PreSignUp,
        handler_fn::<PreSignUp, _, _>(|_| async {
            Ok(PreSignUpResponse {
                auto_confirm_user: true,
                ..Default::default()
            })
        }),
    );
    let b = TriggerRegistry::new();
    assert!(
        a.invoke::<PreSignUp>(event(TriggerSource::PreSignUpSignUp))
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        b.invoke::<PreSignUp>(event(TriggerSource::PreSignUpSignUp))
            .await
            .unwrap()
            .is_none()
    );
}
