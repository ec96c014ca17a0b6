//! Every `triggerSource`: its golden event parses into the typed event of its trigger and
//! serializes back to the identical JSON.

use std::collections::BTreeSet;

use custom_auth_triggers::events::Event;
use custom_auth_triggers::*;
use serde_json::Value;

fn load(source: &str) -> Value {
    let path = format!("{}/tests/golden/{source}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}")))
        .expect("json")
}

fn round_trip<T: Trigger>(json: &Value) -> Value {
    let event: Event<T::Request, T::Response> =
        serde_json::from_value(json.clone()).expect("typed event");
    serde_json::to_value(&event).expect("serialize")
}

fn source_name(source: TriggerSource) -> String {
    serde_json::to_value(source)
        .expect("source")
        .as_str()
        .expect("string")
        .to_owned()
}

#[test]
fn every_trigger_source_round_trips_exactly() {
    let mut covered = BTreeSet::new();
    for source in TriggerSource::ALL {
        let name = source_name(source);
        let golden = load(&name);
        assert_eq!(golden["triggerSource"], name.as_str());
        let again = match source.kind() {
            TriggerKind::PreSignUp => round_trip::<PreSignUp>(&golden),
            TriggerKind::PostConfirmation => round_trip::<PostConfirmation>(&golden),
            TriggerKind::PreAuthentication => round_trip::<PreAuthentication>(&golden),
            TriggerKind::PostAuthentication => round_trip::<PostAuthentication>(&golden),
            TriggerKind::DefineAuthChallenge => round_trip::<DefineAuthChallenge>(&golden),
            TriggerKind::CreateAuthChallenge => round_trip::<CreateAuthChallenge>(&golden),
            TriggerKind::VerifyAuthChallengeResponse => {
                round_trip::<VerifyAuthChallengeResponse>(&golden)
            }
            TriggerKind::PreTokenGeneration => round_trip::<PreTokenGeneration>(&golden),
            TriggerKind::UserMigration => round_trip::<UserMigration>(&golden),
            TriggerKind::CustomMessage => round_trip::<CustomMessage>(&golden),
            TriggerKind::CustomEmailSender => round_trip::<CustomEmailSender>(&golden),
            TriggerKind::CustomSmsSender => round_trip::<CustomSmsSender>(&golden),
        };
        assert_eq!(again, golden, "{name}");
        covered.insert((source.kind(), name));
    }
    assert_eq!(covered.len(), 40);
    let kinds: BTreeSet<TriggerKind> = covered.iter().map(|(k, _)| *k).collect();
    assert_eq!(kinds.len(), 12, "all twelve triggers");
}

#[test]
fn envelope_fields_are_cognitos() {
    let golden = load("PreSignUp_SignUp");
    let keys: BTreeSet<&str> = golden
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        BTreeSet::from([
            "version",
            "triggerSource",
            "region",
            "userPoolId",
            "userName",
            "callerContext",
            "request",
            "response"
        ])
    );
    let event: PreSignUpEvent = serde_json::from_value(golden).expect("event");
    assert_eq!(
        event.caller_context.aws_sdk_version,
        "aws-sdk-unknown-unknown"
    );
    assert_eq!(event.trigger_source.kind(), TriggerKind::PreSignUp);
    assert_eq!(
        TriggerKind::from_name("PreTokenGeneration"),
        Some(TriggerKind::PreTokenGeneration)
    );
    assert_eq!(load("TokenGeneration_ClientCredentials")["version"], "3");
}

#[test]
fn secrets_in_events_are_redacted() {
    let migration: UserMigrationEvent =
        serde_json::from_value(load("UserMigration_Authentication")).expect("event");
    assert!(!format!("{migration:?}").contains("Passw0rd!"));
    let verify: VerifyAuthChallengeResponseEvent =
        serde_json::from_value(load("VerifyAuthChallengeResponse_Authentication")).expect("event");
    let debug = format!("{verify:?}");
    assert!(!debug.contains("\"4\""), "{debug}");
    let create: CreateAuthChallengeEvent =
        serde_json::from_value(load("CreateAuthChallenge_Authentication")).expect("event");
    assert!(!format!("{:?}", create.response).contains("\"4\""));
}

#[test]
fn custom_sender_requests_carry_the_encrypted_code() {
    let email: CustomEmailSenderEvent =
        serde_json::from_value(load("CustomEmailSender_SignUp")).expect("event");
    assert_eq!(
        email.request.request_type,
        events::CUSTOM_EMAIL_SENDER_REQUEST_V1
    );
    assert_eq!(
        email.request.code.as_deref(),
        Some("AYADeBgAAQ4AB0V4YW1wbGUtY2lwaGVydGV4dA==")
    );
    assert_eq!(email.trigger_source.kind(), TriggerKind::CustomEmailSender);
    let sms: CustomSmsSenderEvent =
        serde_json::from_value(load("CustomSMSSender_Authentication")).expect("event");
    assert_eq!(
        sms.request.request_type,
        events::CUSTOM_SMS_SENDER_REQUEST_V1
    );
    assert_eq!(sms.request.user_attributes["phone_number"], "+12065550100");
    assert_eq!(
        TriggerKind::from_name("CustomSMSSender"),
        Some(TriggerKind::CustomSmsSender)
    );
    assert_eq!(TriggerKind::CustomSmsSender.name(), "CustomSMSSender");
}
