//! Remembered devices: DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER with the device's own
//! secret, instead of MFA when the device is remembered.

use auth_flow_state_machine::*;
use user_pool_model::{MfaConfiguration, UserStatus};

use crate::world::*;

fn srp_start(w: &mut World, device_key: Option<&str>) -> (srp::ClientHandshake, ChallengeOutput) {
    let client = srp::ClientHandshake::start(&mut w.rng).expect("client");
    let mut params = map(&[("USERNAME", "alice"), ("SRP_A", &client.srp_a())]);
    if let Some(key) = device_key {
        params.insert("DEVICE_KEY".into(), key.into());
    }
    let c = w.initiate("USER_SRP_AUTH", &params).expect("challenge");
    (client, c.challenge().expect("challenge").clone())
}

#[test]
fn remembered_device_replaces_mfa() {
    let mut w = World::new(20).with_mfa(MfaConfiguration::On).with_devices();
    w.add_user("alice", "Passw0rd!", UserStatus::Confirmed);
    w.enable_sms("alice");
    let (key, group, device_password) = w.add_device("alice", true);
    let (client, c) = srp_start(&mut w, Some(&key));
    let mut claim = password_claim(client, &c, "Passw0rd!", w.now);
    claim.insert("DEVICE_KEY".into(), key.clone());
    let Ok(Reply::Challenge(device)) = w.respond("PASSWORD_VERIFIER", None, &claim) else {
        panic!("device challenge");
    };
    assert_eq!(device.name, "DEVICE_SRP_AUTH");
    assert!(device.parameters.is_empty());
    let device_client = srp::ClientHandshake::start(&mut w.rng).expect("client");
    let Ok(Reply::Challenge(verifier)) = w.respond(
        "DEVICE_SRP_AUTH",
        device.session.as_deref(),
        &map(&[
            ("USERNAME", "alice"),
            ("DEVICE_KEY", &key),
            ("SRP_A", &device_client.srp_a()),
        ]),
    ) else {
        panic!("device verifier");
    };
    assert_eq!(verifier.name, "DEVICE_PASSWORD_VERIFIER");
    for k in ["USERNAME", "SALT", "SRP_B", "SECRET_BLOCK"] {
        assert!(verifier.parameters.contains_key(k), "{k}");
    }
    assert!(
        verifier.session.is_some(),
        "acij and Amplify forward the Session"
    );
    let answer = device_claim(
        device_client,
        &verifier,
        &group,
        &key,
        &device_password,
        w.now,
    );
    // pycognito sends no Session at this step.
    let Ok(Reply::Tokens(a)) = w.respond("DEVICE_PASSWORD_VERIFIER", None, &answer) else {
        panic!("tokens");
    };
    assert_eq!(a.device_key(), Some(key.as_str()));
    assert_eq!(a.second_factor(), Some(SecondFactor::RememberedDevice));
    assert_eq!(a.token_source(), TokenSource::AuthenticateDevice);
    assert!(!a.issue_new_device());
    assert!(w.outbox.is_empty(), "no SMS was sent");
}

#[test]
fn wrong_device_secret_is_refused() {
    let mut w = World::new(21).with_devices();
    w.add_user("alice", "Passw0rd!", UserStatus::Confirmed);
    let (key, group, _) = w.add_device("alice", false);
    let (client, c) = srp_start(&mut w, Some(&key));
    let Ok(Reply::Challenge(device)) = w.respond(
        "PASSWORD_VERIFIER",
        None,
        &password_claim(client, &c, "Passw0rd!", w.now),
    ) else {
        panic!("device challenge");
    };
    let device_client = srp::ClientHandshake::start(&mut w.rng).expect("client");
    let Ok(Reply::Challenge(verifier)) = w.respond(
        "DEVICE_SRP_AUTH",
        device.session.as_deref(),
        &map(&[
            ("USERNAME", "alice"),
            ("DEVICE_KEY", &key),
            ("SRP_A", &device_client.srp_a()),
        ]),
    ) else {
        panic!("device verifier");
    };
    let answer = device_claim(
        device_client,
        &verifier,
        &group,
        &key,
        "not-the-secret",
        w.now,
    );
    assert_eq!(
        w.respond(
            "DEVICE_PASSWORD_VERIFIER",
            verifier.session.as_deref(),
            &answer
        )
        .err(),
        Some(FlowError::IncorrectCredentials { counts: false })
    );
}

/// A device key the user does not have: `ResourceNotFoundException` at PASSWORD_VERIFIER
/// (acij then retries without it). With no key at all, a new device is created.
#[test]
fn unknown_device_and_new_device() {
    let mut w = World::new(22).with_devices();
    w.add_user("alice", "Passw0rd!", UserStatus::Confirmed);
    let (client, c) = srp_start(
        &mut w,
        Some("us-east-1_00000000-0000-4000-8000-000000000000"),
    );
    assert_eq!(
        w.respond(
            "PASSWORD_VERIFIER",
            None,
            &password_claim(client, &c, "Passw0rd!", w.now)
        )
        .err(),
        Some(FlowError::DeviceNotFound)
    );
    let (client, c) = srp_start(&mut w, None);
    let Ok(Reply::Tokens(a)) = w.respond(
        "PASSWORD_VERIFIER",
        None,
        &password_claim(client, &c, "Passw0rd!", w.now),
    ) else {
        panic!("tokens");
    };
    assert!(a.issue_new_device());
    assert_eq!(a.device_key(), None);
}

/// Admin flows do not track devices.
#[test]
fn admin_flows_skip_devices() {
    let mut w = World::new(23).with_devices();
    w.admin = true;
    w.add_user("alice", "Passw0rd!", UserStatus::Confirmed);
    let (key, _, _) = w.add_device("alice", true);
    let params = map(&[
        ("USERNAME", "alice"),
        ("PASSWORD", "Passw0rd!"),
        ("DEVICE_KEY", &key),
    ]);
    let Ok(Reply::Tokens(a)) = w.initiate("ADMIN_USER_PASSWORD_AUTH", &params) else {
        panic!("tokens");
    };
    assert!(!a.issue_new_device());
    assert_eq!(a.device_key(), None);
}
