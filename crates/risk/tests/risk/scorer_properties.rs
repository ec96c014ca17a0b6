//! Properties of the default scorer: deterministic, independent of history order, and monotone
//! in failures (adding a failure never lowers the score or the level).

use proptest::prelude::*;
use userpool_risk::{
    AdvancedSecurityMode, Assessment, Attempt, AttemptOutcome, AuthEvent, DefaultScorer, DeviceId,
    EventContextData, EventFeedback, EventResponse, EventRisk, EventType, FeedbackValue,
    IpActivity, RiskConfiguration, RiskScorer, ScoringInput, evaluate,
};

const NOW: i64 = 1_790_000_000;
const ADDRESSES: [&str; 5] = [
    "198.51.100.20",
    "198.51.100.77",
    "203.0.113.9",
    "2001:db8:1::5",
    "2001:db8:2::5",
];
const DEVICES: [&str; 3] = ["laptop", "phone", "tablet"];

#[derive(Debug, Clone)]
struct Case {
    history: Vec<AuthEvent>,
    address: Option<usize>,
    device: Option<usize>,
    outcome: AttemptOutcome,
    activity: IpActivity,
}

fn response() -> impl Strategy<Value = EventResponse> {
    prop_oneof![
        Just(EventResponse::Pass),
        Just(EventResponse::Fail),
        Just(EventResponse::InProgress)
    ]
}

fn feedback() -> impl Strategy<Value = Option<(FeedbackValue, i64)>> {
    prop::option::weighted(
        0.2,
        (
            prop_oneof![Just(FeedbackValue::Valid), Just(FeedbackValue::Invalid)],
            0i64..5_000,
        ),
    )
}

fn events() -> impl Strategy<Value = Vec<AuthEvent>> {
    prop::collection::vec(
        (
            0i64..7_200,
            response(),
            prop::option::of(0..ADDRESSES.len()),
            prop::option::of(0..DEVICES.len()),
            feedback(),
        ),
        0..24,
    )
    .prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(
                |(i, (ago, response, address, device, feedback))| AuthEvent {
                    event_id: format!("e{i:02}"),
                    event_type: EventType::SignIn,
                    creation_date: NOW - ago,
                    event_response: response,
                    event_risk: EventRisk::NONE,
                    challenge_responses: vec![],
                    event_context_data: EventContextData {
                        ip_address: address.map(|a| ADDRESSES[a].parse().unwrap()),
                        ..EventContextData::default()
                    },
                    event_feedback: feedback.map(|(value, after)| EventFeedback {
                        feedback_value: value,
                        provider: "Admin".into(),
                        feedback_date: NOW - ago + after,
                    }),
                    device: device.map(|d| DeviceId::Key(DEVICES[d].into())),
                },
            )
            .collect()
    })
}

fn outcome() -> impl Strategy<Value = AttemptOutcome> {
    prop_oneof![
        Just(AttemptOutcome::Pending),
        Just(AttemptOutcome::Succeeded),
        Just(AttemptOutcome::Failed)
    ]
}

fn case() -> impl Strategy<Value = Case> {
    (
        events(),
        prop::option::of(0..ADDRESSES.len()),
        prop::option::of(0..DEVICES.len()),
        outcome(),
        (0u32..30, 0u32..80),
    )
        .prop_map(
            |(history, address, device, outcome, (users, failures))| Case {
                history,
                address,
                device,
                outcome,
                activity: IpActivity {
                    distinct_users: users,
                    failures,
                },
            },
        )
}

fn score(case: &Case) -> Assessment {
    let device = case.device.map(|d| DeviceId::Key(DEVICES[d].into()));
    DefaultScorer::default().assess(&ScoringInput {
        attempt: Attempt {
            user: "sub",
            event_type: EventType::SignIn,
            ip_address: case.address.map(|a| ADDRESSES[a].parse().unwrap()),
            device: device.as_ref(),
            now: NOW,
            outcome: case.outcome,
        },
        history: &case.history,
        ip_activity: case.activity,
    })
}

/// `after` is at least as risky as `before`.
fn not_lower(before: &Assessment, after: &Assessment) -> Result<(), TestCaseError> {
    prop_assert!(after.score >= before.score, "{before:?} -> {after:?}");
    prop_assert!(after.level >= before.level, "{before:?} -> {after:?}");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn deterministic_and_order_independent(case in case()) {
        let once = score(&case);
        prop_assert_eq!(&once, &score(&case));
        let mut reversed = case;
        reversed.history.reverse();
        prop_assert_eq!(&once, &score(&reversed));
        let total: i64 = once.reasons.iter().map(|r| i64::from(r.points)).sum();
        prop_assert_eq!(i64::from(once.score), total.max(0));
    }

    #[test]
    fn evaluation_is_deterministic(case in case()) {
        let device = case.device.map(|d| DeviceId::Key(DEVICES[d].into()));
        let input = ScoringInput {
            attempt: Attempt {
                user: "sub",
                event_type: EventType::SignIn,
                ip_address: case.address.map(|a| ADDRESSES[a].parse().unwrap()),
                device: device.as_ref(),
                now: NOW,
                outcome: case.outcome,
            },
            history: &case.history,
            ip_activity: case.activity,
        };
        let scorer = DefaultScorer::default();
        let config = RiskConfiguration::default();
        prop_assert_eq!(
            evaluate(AdvancedSecurityMode::Enforced, &config, &scorer, &input),
            evaluate(AdvancedSecurityMode::Enforced, &config, &scorer, &input)
        );
    }

    #[test]
    fn a_failed_event_in_the_history_never_lowers_the_risk(
        case in case(),
        ago in 0i64..7_200,
        address in prop::option::of(0..ADDRESSES.len()),
        device in prop::option::of(0..DEVICES.len()),
    ) {
        let before = score(&case);
        let mut more = case;
        more.history.push(AuthEvent {
            event_id: "added".into(),
            event_type: EventType::SignIn,
            creation_date: NOW - ago,
            event_response: EventResponse::Fail,
            event_risk: EventRisk::NONE,
            challenge_responses: vec![],
            event_context_data: EventContextData {
                ip_address: address.map(|a| ADDRESSES[a].parse().unwrap()),
                ..EventContextData::default()
            },
            event_feedback: None,
            device: device.map(|d| DeviceId::Key(DEVICES[d].into())),
        });
        not_lower(&before, &score(&more))?;
    }

    #[test]
    fn this_attempt_failing_never_lowers_the_risk(case in case()) {
        let mut failed = case.clone();
        failed.outcome = AttemptOutcome::Failed;
        not_lower(&score(&case), &score(&failed))?;
    }

    #[test]
    fn more_failures_from_the_address_never_lower_the_risk(case in case(), extra in 1u32..60) {
        let mut more = case.clone();
        more.activity.failures += extra;
        not_lower(&score(&case), &score(&more))?;
    }
}
