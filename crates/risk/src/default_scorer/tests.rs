//! One test per signal of the default scorer, and the table's thresholds.

use std::net::IpAddr;

use super::*;
use crate::event::{
    DeviceId, EventContextData, EventFeedback, EventResponse, EventRisk, EventType, FeedbackValue,
};
use crate::scorer::{Attempt, IpActivity};

const NOW: i64 = 1_790_000_000;

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn key(name: &str) -> DeviceId {
    DeviceId::Key(name.into())
}

fn event(id: &str, at: i64, response: EventResponse, addr: &str, device: &str) -> AuthEvent {
    AuthEvent {
        event_id: id.into(),
        event_type: EventType::SignIn,
        creation_date: at,
        event_response: response,
        event_risk: EventRisk::NONE,
        challenge_responses: vec![],
        event_context_data: EventContextData {
            ip_address: Some(ip(addr)),
            ..EventContextData::default()
        },
        event_feedback: None,
        device: Some(key(device)),
    }
}

fn with_feedback(mut e: AuthEvent, value: FeedbackValue, date: i64) -> AuthEvent {
    e.event_feedback = Some(EventFeedback {
        feedback_value: value,
        provider: "Admin".into(),
        feedback_date: date,
    });
    e
}

/// The user's usual sign-in: laptop, home network, a day ago.
fn usual() -> AuthEvent {
    event(
        "usual",
        NOW - 86_400,
        EventResponse::Pass,
        "198.51.100.20",
        "laptop",
    )
}

fn assess(
    history: &[AuthEvent],
    addr: &str,
    device: &DeviceId,
    outcome: AttemptOutcome,
    activity: IpActivity,
) -> Assessment {
    DefaultScorer::default().assess(&ScoringInput {
        attempt: Attempt {
            user: "sub",
            event_type: EventType::SignIn,
            ip_address: Some(ip(addr)),
            device: Some(device),
            now: NOW,
            outcome,
        },
        history,
        ip_activity: activity,
    })
}

fn simple(history: &[AuthEvent], addr: &str, device: &str) -> Assessment {
    assess(
        history,
        addr,
        &key(device),
        AttemptOutcome::Pending,
        IpActivity::default(),
    )
}

fn reasons(a: &Assessment) -> Vec<(RiskReason, i32)> {
    a.reasons.iter().map(|r| (r.reason, r.points)).collect()
}

#[test]
fn the_usual_device_and_network_are_no_risk() {
    let a = simple(&[usual()], "198.51.100.99", "laptop");
    assert_eq!(a, Assessment::no_risk(), "same /24, same device");
}

#[test]
fn a_new_device_is_low() {
    let a = simple(&[usual()], "198.51.100.20", "phone");
    assert_eq!(reasons(&a), [(RiskReason::NewDevice, 20)]);
    assert_eq!((a.score, a.level), (20, Some(RiskLevel::Low)));
}

#[test]
fn a_new_ipv4_network_is_its_slash_24() {
    let a = simple(&[usual()], "198.51.101.20", "laptop");
    assert_eq!(reasons(&a), [(RiskReason::NewNetwork, 20)]);
    assert_eq!(a.level, Some(RiskLevel::Low));
}

#[test]
fn a_new_ipv6_network_is_its_slash_48() {
    let home = event(
        "v6",
        NOW - 100,
        EventResponse::Pass,
        "2001:db8:1:2::1",
        "laptop",
    );
    assert_eq!(
        simple(std::slice::from_ref(&home), "2001:db8:1:ffff::9", "laptop"),
        Assessment::no_risk(),
        "another /64 of the same /48"
    );
    assert_eq!(
        reasons(&simple(&[home], "2001:db8:2::1", "laptop")),
        [(RiskReason::NewNetwork, 20)]
    );
}

#[test]
fn ipv4_mapped_addresses_are_ipv4() {
    let a = simple(&[usual()], "::ffff:198.51.100.7", "laptop");
    assert_eq!(a, Assessment::no_risk());
}

#[test]
fn new_device_on_new_network_is_medium() {
    let a = simple(&[usual()], "203.0.113.9", "phone");
    assert_eq!(
        reasons(&a),
        [(RiskReason::NewDevice, 20), (RiskReason::NewNetwork, 20)]
    );
    assert_eq!((a.score, a.level), (40, Some(RiskLevel::Medium)));
}

#[test]
fn without_a_successful_event_newness_is_not_scored() {
    assert_eq!(simple(&[], "203.0.113.9", "phone"), Assessment::no_risk());
    let failed_only = event(
        "f",
        NOW - 86_400,
        EventResponse::Fail,
        "198.51.100.20",
        "laptop",
    );
    assert_eq!(
        simple(&[failed_only], "203.0.113.9", "phone"),
        Assessment::no_risk()
    );
}

#[test]
fn a_failed_event_does_not_make_a_device_known() {
    let history = [
        usual(),
        event(
            "f",
            NOW - 3_600,
            EventResponse::Fail,
            "203.0.113.9",
            "phone",
        ),
        event(
            "p",
            NOW - 3_500,
            EventResponse::InProgress,
            "203.0.113.9",
            "phone",
        ),
    ];
    assert_eq!(
        simple(&history, "203.0.113.9", "phone").level,
        Some(RiskLevel::Medium)
    );
}

#[test]
fn failure_velocity_counts_the_window_and_this_attempt() {
    let fail = |id: &str, ago: i64| {
        event(
            id,
            NOW - ago,
            EventResponse::Fail,
            "198.51.100.20",
            "laptop",
        )
    };
    let history = [usual(), fail("a", 60), fail("b", 120), fail("old", 15 * 60)];
    // Two failures in the window: free.
    assert_eq!(
        simple(&history, "198.51.100.20", "laptop"),
        Assessment::no_risk()
    );
    // This attempt failing makes three.
    let a = assess(
        &history,
        "198.51.100.20",
        &key("laptop"),
        AttemptOutcome::Failed,
        IpActivity::default(),
    );
    assert_eq!(
        reasons(&a),
        [(RiskReason::FailureVelocity { failures: 3 }, 10)]
    );
    assert_eq!(a.level, Some(RiskLevel::Low));
}

#[test]
fn failure_velocity_is_capped() {
    let mut history = vec![usual()];
    history.extend((0..20).map(|i| {
        event(
            &format!("f{i}"),
            NOW - i,
            EventResponse::Fail,
            "198.51.100.20",
            "laptop",
        )
    }));
    let a = simple(&history, "198.51.100.20", "laptop");
    assert_eq!(
        reasons(&a),
        [(RiskReason::FailureVelocity { failures: 20 }, 40)]
    );
    assert_eq!(a.level, Some(RiskLevel::Medium));
}

#[test]
fn failed_challenges_count_as_failures() {
    use crate::event::{ChallengeName, ChallengeResponse, ChallengeResult};
    let mut history = vec![usual()];
    for i in 0..3 {
        let mut e = event(
            &format!("m{i}"),
            NOW - 10 - i,
            EventResponse::InProgress,
            "198.51.100.20",
            "laptop",
        );
        e.challenge_responses.push(ChallengeResult {
            challenge_name: ChallengeName::Mfa,
            challenge_response: ChallengeResponse::Failure,
        });
        history.push(e);
    }
    assert!(
        simple(&history, "198.51.100.20", "laptop")
            .has(RiskReason::FailureVelocity { failures: 3 })
    );
}

#[test]
fn new_everything_with_failures_is_high() {
    let fail = |id: &str| event(id, NOW - 30, EventResponse::Fail, "203.0.113.9", "phone");
    let history = [usual(), fail("a"), fail("b")];
    let a = assess(
        &history,
        "203.0.113.9",
        &key("phone"),
        AttemptOutcome::Failed,
        IpActivity::default(),
    );
    assert_eq!(a.score, 50);
    assert_eq!(a.level, Some(RiskLevel::Medium));
    let a = assess(
        &[usual(), fail("a"), fail("b"), fail("c"), fail("d")],
        "203.0.113.9",
        &key("phone"),
        AttemptOutcome::Failed,
        IpActivity::default(),
    );
    assert_eq!((a.score, a.level), (70, Some(RiskLevel::High)));
}

#[test]
fn many_users_from_one_address() {
    let activity = IpActivity {
        distinct_users: 10,
        failures: 0,
    };
    let a = assess(
        &[usual()],
        "198.51.100.20",
        &key("laptop"),
        AttemptOutcome::Pending,
        activity,
    );
    assert_eq!(
        reasons(&a),
        [(RiskReason::ManyUsersFromIp { distinct_users: 10 }, 15)]
    );
    let below = IpActivity {
        distinct_users: 9,
        failures: 0,
    };
    assert_eq!(
        assess(
            &[usual()],
            "198.51.100.20",
            &key("laptop"),
            AttemptOutcome::Pending,
            below
        ),
        Assessment::no_risk()
    );
}

#[test]
fn credential_stuffing_from_one_address() {
    let stuffing = IpActivity {
        distinct_users: 40,
        failures: 12,
    };
    let a = assess(
        &[],
        "203.0.113.9",
        &key("bot"),
        AttemptOutcome::Pending,
        stuffing,
    );
    assert_eq!(
        reasons(&a),
        [
            (RiskReason::ManyUsersFromIp { distinct_users: 40 }, 15),
            (RiskReason::IpFailureVolume { failures: 12 }, 30)
        ]
    );
    assert_eq!(a.level, Some(RiskLevel::Medium));
    let flood = IpActivity {
        distinct_users: 1,
        failures: 50,
    };
    let a = assess(
        &[],
        "203.0.113.9",
        &key("bot"),
        AttemptOutcome::Pending,
        flood,
    );
    assert_eq!(
        reasons(&a),
        [(RiskReason::IpFailureVolume { failures: 50 }, 60)]
    );
    assert_eq!(a.level, Some(RiskLevel::High));
}

#[test]
fn ip_activity_needs_an_address() {
    let scorer = DefaultScorer::default();
    let a = scorer.assess(&ScoringInput {
        attempt: Attempt {
            user: "sub",
            event_type: EventType::SignIn,
            ip_address: None,
            device: None,
            now: NOW,
            outcome: AttemptOutcome::Pending,
        },
        history: &[usual()],
        ip_activity: IpActivity {
            distinct_users: 99,
            failures: 99,
        },
    });
    assert_eq!(a, Assessment::no_risk());
}

#[test]
fn valid_feedback_trusts_a_device() {
    let phone_seen = with_feedback(
        event("x", NOW - 500, EventResponse::Fail, "203.0.113.9", "phone"),
        FeedbackValue::Valid,
        NOW - 400,
    );
    let a = simple(&[usual(), phone_seen], "203.0.113.9", "phone");
    assert_eq!(
        reasons(&a),
        [
            (RiskReason::TrustedDevice, -10),
            (RiskReason::TrustedNetwork, -10)
        ]
    );
    assert_eq!((a.score, a.level), (0, None));
}

#[test]
fn trust_offsets_other_signals() {
    let phone_ok = with_feedback(
        event(
            "x",
            NOW - 500,
            EventResponse::Pass,
            "198.51.100.20",
            "phone",
        ),
        FeedbackValue::Valid,
        NOW - 400,
    );
    // Trusted device (−10) on a new network (+20): Low, 10.
    let a = simple(&[usual(), phone_ok], "203.0.113.9", "phone");
    assert_eq!((a.score, a.level), (10, Some(RiskLevel::Low)));
}

#[test]
fn invalid_feedback_distrusts_and_can_push_to_high() {
    let attacker = with_feedback(
        event(
            "bad",
            NOW - 500,
            EventResponse::Pass,
            "203.0.113.9",
            "stolen",
        ),
        FeedbackValue::Invalid,
        NOW - 400,
    );
    let a = simple(&[usual(), attacker.clone()], "203.0.113.9", "stolen");
    assert_eq!(
        reasons(&a),
        [
            (RiskReason::DistrustedDevice, 40),
            (RiskReason::DistrustedNetwork, 40)
        ]
    );
    assert_eq!(a.level, Some(RiskLevel::High));
    // A distrusted network with a new device: 40 + 20 = High.
    let a = simple(&[usual(), attacker], "203.0.113.50", "another");
    assert_eq!((a.score, a.level), (60, Some(RiskLevel::High)));
}

#[test]
fn the_latest_feedback_wins() {
    let earlier_invalid = with_feedback(
        event("a", NOW - 900, EventResponse::Pass, "203.0.113.9", "phone"),
        FeedbackValue::Invalid,
        NOW - 800,
    );
    let later_valid = with_feedback(
        event(
            "b",
            NOW - 1_000,
            EventResponse::Pass,
            "203.0.113.9",
            "phone",
        ),
        FeedbackValue::Valid,
        NOW - 700,
    );
    let history = [usual(), earlier_invalid.clone(), later_valid.clone()];
    assert!(simple(&history, "203.0.113.9", "phone").has(RiskReason::TrustedDevice));
    let reversed = [later_valid, earlier_invalid, usual()];
    assert_eq!(
        simple(&history, "203.0.113.9", "phone"),
        simple(&reversed, "203.0.113.9", "phone"),
        "history order does not matter"
    );
}

#[test]
fn levels_follow_the_table() {
    let s = DefaultScorer::default();
    assert_eq!(s.level(0), None);
    assert_eq!(s.level(1), Some(RiskLevel::Low));
    assert_eq!(s.level(29), Some(RiskLevel::Low));
    assert_eq!(s.level(30), Some(RiskLevel::Medium));
    assert_eq!(s.level(59), Some(RiskLevel::Medium));
    assert_eq!(s.level(60), Some(RiskLevel::High));
    assert_eq!(s.level(u32::MAX), Some(RiskLevel::High));
}

#[test]
fn the_documented_defaults() {
    // The table in the module docs and the README show these numbers: change all three together.
    assert_eq!(
        DefaultScorer::default(),
        DefaultScorer {
            new_device: 20,
            new_network: 20,
            trusted: -10,
            distrusted: 40,
            failure_window_seconds: 900,
            free_failures: 2,
            per_failure: 10,
            max_failure_points: 40,
            many_users: 10,
            many_users_points: 15,
            ip_failures: 10,
            ip_failures_points: 30,
            ip_failures_flood: 50,
            ip_failures_flood_points: 60,
            medium_from: 30,
            high_from: 60,
        }
    );
}
