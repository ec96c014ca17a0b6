//! The structure-aware fuzz driver of the sign-in state machine: an [`arbitrary`] script of
//! requests (flow starts, right and tampered answers, answers to the wrong step, replays of
//! older sessions, clock jumps, timestamps off by any amount, raw parameter maps) against the
//! miniature facade of `flow.rs` — one real user (`alice`, TOTP + SMS MFA required, a
//! remembered device), one in FORCE_CHANGE_PASSWORD (`bob`), no `ghost`.
//!
//! Properties, whatever the script: no panic; tokens only for alice and bob; alice's tokens
//! never outnumber the correct passwords presented and always carry a second factor; a
//! session answered with another step's name is refused; a claim whose signature, secret
//! block or timestamp was altered, or whose timestamp is outside the window, never verifies;
//! and (the SRP client/server differential) an unaltered claim with alice's password, signed
//! now for the challenge it answers, is never refused as incorrect credentials.
//!
//! `flow_driver` runs it with `srp::fuzzing::set_fast_arithmetic(true)` (fixed ephemerals,
//! memoised 3072-bit exponentiations: the same values, computed once per process);
//! `flow_driver_real` and the corpus replay in `cargo test` with the real cost.

#![allow(dead_code, unreachable_pub)]

use std::collections::BTreeMap;

use arbitrary::{Arbitrary, Unstructured};
use auth_flow_state_machine::{ChallengeOutput, FirstFactor, FlowError, SecondFactor, TotpSecret};
use user_pool_model::{MfaConfiguration, UserStatus};

use crate::world::{Reply, Tally, World, device_claim, map, password_claim, totp_code};

/// A whole fuzz input.
#[derive(Debug, Arbitrary)]
pub struct Script {
    pub seed: u8,
    pub optional_mfa: bool,
    pub admin: bool,
    pub quiz_tries: u8,
    pub steps: Vec<Action>,
}

/// Who signs in, with which password.
#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum Who {
    Alice,
    AliceWrongPassword,
    /// `ALICE`: usernames are case-insensitive by default.
    AliceUpper,
    Ghost,
    Bob,
}

/// A challenge name, right or wrong for the session it is sent with.
#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum Name {
    PasswordVerifier,
    NewPasswordRequired,
    SmsMfa,
    SoftwareTokenMfa,
    EmailOtp,
    SelectMfaType,
    MfaSetup,
    CustomChallenge,
    DeviceSrpAuth,
    DevicePasswordVerifier,
    SelectChallenge,
    Bogus,
}

/// Cognito's parameter names (and a few near misses), for raw parameter maps.
#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum Param {
    Username,
    Password,
    SrpA,
    Signature,
    SecretBlock,
    Timestamp,
    SecretHash,
    DeviceKey,
    Answer,
    SmsMfaCode,
    SoftwareTokenMfaCode,
    EmailOtpCode,
    NewPassword,
    ChallengeName,
    Other,
}

/// Which part of a PASSWORD_VERIFIER answer to alter.
#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum Tamper {
    Signature(u8),
    SecretBlock(u8),
    Timestamp,
    Username,
}

/// One request (or a clock jump).
#[derive(Debug, Arbitrary)]
pub enum Action {
    /// InitiateAuth USER_SRP_AUTH (optionally with the remembered device's key).
    SrpStart { who: Who, device: bool },
    /// InitiateAuth USER_PASSWORD_AUTH or CUSTOM_AUTH with a password.
    PasswordStart { who: Who, custom: bool },
    /// CUSTOM_AUTH with SRP_A (optionally `CHALLENGE_NAME=SRP_A`).
    CustomSrpStart { challenge_name: bool },
    /// The PASSWORD_VERIFIER answer to the last SRP start's challenge.
    PasswordClaim {
        right: bool,
        skew: i16,
        tamper: Option<Tamper>,
    },
    /// An MFA code (right or wrong) for the `back`-th latest challenge.
    MfaCode { right: bool, back: u8 },
    /// SELECT_MFA_TYPE.
    SelectMfa { totp: bool, back: u8 },
    /// Any step name with the `back`-th latest session: a wrong one must be refused.
    WrongStep { name: Name, back: u8 },
    /// A custom challenge answer.
    CustomAnswer { right: bool },
    /// The remembered device's DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER.
    Device { right: bool },
    /// NEW_PASSWORD_REQUIRED for bob.
    NewPassword { good: bool },
    /// The clock moves (seconds).
    Clock { seconds: u16 },
    /// A raw RespondToAuthChallenge: any name, any session (a known one or raw text), any
    /// parameters.
    Raw {
        name: Name,
        session: Option<u8>,
        raw_session: String,
        params: Vec<(Param, String)>,
    },
    /// A raw InitiateAuth.
    RawInitiate {
        flow: u8,
        params: Vec<(Param, String)>,
    },
}

const ALICE: &str = "Passw0rd!";
const BOB: &str = "Bobpassw0rd";

fn name(n: Name) -> &'static str {
    match n {
        Name::PasswordVerifier => "PASSWORD_VERIFIER",
        Name::NewPasswordRequired => "NEW_PASSWORD_REQUIRED",
        Name::SmsMfa => "SMS_MFA",
        Name::SoftwareTokenMfa => "SOFTWARE_TOKEN_MFA",
        Name::EmailOtp => "EMAIL_OTP",
        Name::SelectMfaType => "SELECT_MFA_TYPE",
        Name::MfaSetup => "MFA_SETUP",
        Name::CustomChallenge => "CUSTOM_CHALLENGE",
        Name::DeviceSrpAuth => "DEVICE_SRP_AUTH",
        Name::DevicePasswordVerifier => "DEVICE_PASSWORD_VERIFIER",
        Name::SelectChallenge => "SELECT_CHALLENGE",
        Name::Bogus => "BOGUS",
    }
}

fn param(p: Param) -> &'static str {
    match p {
        Param::Username => "USERNAME",
        Param::Password => "PASSWORD",
        Param::SrpA => "SRP_A",
        Param::Signature => "PASSWORD_CLAIM_SIGNATURE",
        Param::SecretBlock => "PASSWORD_CLAIM_SECRET_BLOCK",
        Param::Timestamp => "TIMESTAMP",
        Param::SecretHash => "SECRET_HASH",
        Param::DeviceKey => "DEVICE_KEY",
        Param::Answer => "ANSWER",
        Param::SmsMfaCode => "SMS_MFA_CODE",
        Param::SoftwareTokenMfaCode => "SOFTWARE_TOKEN_MFA_CODE",
        Param::EmailOtpCode => "EMAIL_OTP_CODE",
        Param::NewPassword => "NEW_PASSWORD",
        Param::ChallengeName => "CHALLENGE_NAME",
        Param::Other => "userAttributes.email",
    }
}

fn login(who: Who) -> (&'static str, &'static str) {
    match who {
        Who::Alice => ("alice", ALICE),
        Who::AliceWrongPassword => ("alice", "wrong"),
        Who::AliceUpper => ("ALICE", ALICE),
        Who::Ghost => ("ghost", ALICE),
        Who::Bob => ("bob", BOB),
    }
}

fn raw_map(params: &[(Param, String)]) -> BTreeMap<String, String> {
    params
        .iter()
        .map(|(p, v)| (param(*p).to_owned(), v.clone()))
        .collect()
}

/// Flips one byte of `value` (an ASCII-preserving change that always alters it).
fn altered(value: &str, at: u8) -> String {
    let mut bytes = value.as_bytes().to_vec();
    if bytes.is_empty() {
        return "A".into();
    }
    let i = usize::from(at) % bytes.len();
    if let Some(b) = bytes.get_mut(i) {
        *b = if *b == b'A' { b'B' } else { b'A' };
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

thread_local! {
    /// The accounts (salts, verifiers, TOTP secret, remembered device) are the same for every
    /// script: built once per thread and cloned (the script's seed drives everything after).
    static TEMPLATE: (World, TotpSecret, String, String, String) = {
        let mut world = World::new(0).with_mfa(MfaConfiguration::On).with_devices();
        world.quiz.with_password = true;
        world.add_user("alice", ALICE, UserStatus::Confirmed);
        let secret = world.enable_totp("alice");
        world.enable_sms("alice");
        world.add_user("bob", BOB, UserStatus::ForceChangePassword);
        let (device_key, group, device_password) = world.add_device("alice", true);
        (world, secret, device_key, group, device_password)
    };
}

/// Decodes `data` as a [`Script`] (as libFuzzer's typed targets do) and runs it.
pub fn drive_bytes(data: &[u8]) -> Tally {
    match Script::arbitrary_take_rest(Unstructured::new(data)) {
        Ok(script) => drive(&script),
        Err(_) => Tally::default(),
    }
}

/// Runs a script; panics only when a property fails.
pub fn drive(script: &Script) -> Tally {
    let (mut world, secret, device_key, group, device_password) = TEMPLATE.with(Clone::clone);
    world.pool.mfa = if script.optional_mfa {
        MfaConfiguration::Optional
    } else {
        MfaConfiguration::On
    };
    world.quiz.tries = usize::from(script.quiz_tries % 4);
    world.rng = rand_core::SeedableRng::seed_from_u64(u64::from(script.seed));

    let mut pending: Vec<ChallengeOutput> = Vec::new();
    // The SRP client of the latest PASSWORD_VERIFIER / DEVICE_* challenge, with its index.
    let mut client: Option<(srp::ClientHandshake, usize)> = None;
    let mut proofs = 0usize;
    let mut second = 0usize;
    let mut tokens = 0usize;
    let mut tally = Tally::default();
    for action in script.steps.iter().take(64) {
        let back = |n: u8| {
            pending
                .len()
                .checked_sub(1 + usize::from(n) % pending.len().max(1))
                .and_then(|i| pending.get(i))
                .cloned()
        };
        let last = pending.last().cloned();
        let mut srp_started: Option<srp::ClientHandshake> = None;
        let result = match *action {
            Action::SrpStart { who, device } => {
                let (user, _) = login(who);
                let handshake = srp::ClientHandshake::start(&mut world.rng).expect("client");
                let mut params = map(&[("USERNAME", user), ("SRP_A", &handshake.srp_a())]);
                if device {
                    params.insert("DEVICE_KEY".into(), device_key.clone());
                }
                srp_started = Some(handshake);
                world.admin = false;
                world.initiate("USER_SRP_AUTH", &params)
            }
            Action::PasswordStart { who, custom } => {
                let (user, password) = login(who);
                if user.eq_ignore_ascii_case("alice") && password == ALICE {
                    proofs += 1;
                }
                let flow = match (custom, script.admin) {
                    (true, _) => "CUSTOM_AUTH",
                    (false, true) => "ADMIN_USER_PASSWORD_AUTH",
                    (false, false) => "USER_PASSWORD_AUTH",
                };
                world.admin = script.admin && !custom;
                let params = map(&[("USERNAME", user), ("PASSWORD", password)]);
                let result = world.initiate(flow, &params);
                world.admin = false;
                result
            }
            Action::CustomSrpStart { challenge_name } => {
                let handshake = srp::ClientHandshake::start(&mut world.rng).expect("client");
                let mut params = map(&[("USERNAME", "alice"), ("SRP_A", &handshake.srp_a())]);
                if challenge_name {
                    params.insert("CHALLENGE_NAME".into(), "SRP_A".into());
                }
                srp_started = Some(handshake);
                world.initiate("CUSTOM_AUTH", &params)
            }
            Action::PasswordClaim {
                right,
                skew,
                tamper,
            } => {
                let Some(c) = last.as_ref().filter(|c| c.name == "PASSWORD_VERIFIER") else {
                    continue;
                };
                let Some((handshake, _)) = client.take().filter(|(_, i)| *i + 1 == pending.len())
                else {
                    continue;
                };
                let for_alice =
                    c.parameters.get("USER_ID_FOR_SRP").map(String::as_str) == Some("alice");
                let signed_at = world.now + i64::from(skew);
                let password = if right { ALICE } else { "Passw0rd?" };
                let mut responses = password_claim(handshake, c, password, signed_at);
                let mut changed = false;
                if let Some(t) = tamper {
                    let (key, value) = match t {
                        Tamper::Signature(at) => ("PASSWORD_CLAIM_SIGNATURE", at),
                        Tamper::SecretBlock(at) => ("PASSWORD_CLAIM_SECRET_BLOCK", at),
                        Tamper::Timestamp => ("TIMESTAMP", 0),
                        Tamper::Username => ("USERNAME", 0),
                    };
                    if let Some(v) = responses.get_mut(key) {
                        let new = match t {
                            // Still a well-formed timestamp, one second later than signed.
                            Tamper::Timestamp => srp::format_timestamp(
                                srp::time::OffsetDateTime::from_unix_timestamp(signed_at + 1)
                                    .expect("time"),
                            ),
                            _ => altered(v, value),
                        };
                        changed = *v != new;
                        *v = new;
                    }
                }
                let in_window = i64::from(skew).abs() <= world.settings.timestamp_window_secs;
                if right && for_alice && !changed && in_window {
                    proofs += 1;
                }
                let result = world.respond("PASSWORD_VERIFIER", c.session.as_deref(), &responses);
                if changed || !in_window || !right {
                    assert!(
                        result.is_err(),
                        "an altered, stale or wrong claim verified: {tamper:?} skew {skew}"
                    );
                }
                if right && for_alice && !changed && in_window {
                    assert!(
                        !matches!(result, Err(FlowError::IncorrectCredentials { .. })),
                        "the server refused the client's correct claim"
                    );
                }
                result
            }
            Action::MfaCode { right, back: n } => {
                let Some(c) = back(n) else { continue };
                let (key, code) = match c.name {
                    "SOFTWARE_TOKEN_MFA" => {
                        ("SOFTWARE_TOKEN_MFA_CODE", totp_code(&secret, world.now))
                    }
                    "SMS_MFA" => (
                        "SMS_MFA_CODE",
                        world.outbox.last().map(|m| m.1.clone()).unwrap_or_default(),
                    ),
                    _ => ("SMS_MFA_CODE", "000000".to_owned()),
                };
                let code = if right { code } else { "123456".to_owned() };
                if right && c.name != "CUSTOM_CHALLENGE" {
                    second += 1;
                }
                world.respond(
                    c.name,
                    c.session.as_deref(),
                    &map(&[("USERNAME", "alice"), (key, &code)]),
                )
            }
            Action::SelectMfa { totp, back: n } => {
                let Some(c) = back(n) else { continue };
                let answer = if totp {
                    "SOFTWARE_TOKEN_MFA"
                } else {
                    "SMS_MFA"
                };
                world.respond(
                    "SELECT_MFA_TYPE",
                    c.session.as_deref(),
                    &map(&[("USERNAME", "alice"), ("ANSWER", answer)]),
                )
            }
            Action::WrongStep { name: n, back: b } => {
                let Some(c) = back(b) else { continue };
                let sent = name(n);
                let result = world.respond(
                    sent,
                    c.session.as_deref(),
                    &map(&[
                        ("USERNAME", "alice"),
                        ("ANSWER", "42"),
                        ("SMS_MFA_CODE", "000000"),
                    ]),
                );
                if sent != c.name
                    && c.session.is_some()
                    && sent != "PASSWORD_VERIFIER"
                    && sent != "DEVICE_PASSWORD_VERIFIER"
                {
                    assert!(result.is_err(), "{sent} answered a {} session", c.name);
                }
                result
            }
            Action::CustomAnswer { right } => {
                let Some(c) = last.as_ref().filter(|c| c.name == "CUSTOM_CHALLENGE") else {
                    continue;
                };
                let answer = if right { "42" } else { "41" };
                world.respond(
                    c.name,
                    c.session.as_deref(),
                    &map(&[("USERNAME", "alice"), ("ANSWER", answer)]),
                )
            }
            Action::Device { right } => match last.as_ref() {
                Some(c) if c.name == "DEVICE_SRP_AUTH" => {
                    let handshake = srp::ClientHandshake::start(&mut world.rng).expect("client");
                    let responses = map(&[
                        ("USERNAME", "alice"),
                        ("DEVICE_KEY", &device_key),
                        ("SRP_A", &handshake.srp_a()),
                    ]);
                    srp_started = Some(handshake);
                    world.respond(c.name, c.session.as_deref(), &responses)
                }
                Some(c) if c.name == "DEVICE_PASSWORD_VERIFIER" => {
                    let Some((handshake, _)) =
                        client.take().filter(|(_, i)| *i + 1 == pending.len())
                    else {
                        continue;
                    };
                    let password = if right {
                        device_password.as_str()
                    } else {
                        "nope"
                    };
                    let responses =
                        device_claim(handshake, c, &group, &device_key, password, world.now);
                    let result = world.respond(c.name, c.session.as_deref(), &responses);
                    if !right {
                        assert!(result.is_err(), "a wrong device password verified");
                    }
                    result
                }
                _ => continue,
            },
            Action::NewPassword { good } => {
                let Some(c) = last.as_ref().filter(|c| c.name == "NEW_PASSWORD_REQUIRED") else {
                    continue;
                };
                let password = if good { "N3wpassword" } else { "short" };
                world.respond(
                    c.name,
                    c.session.as_deref(),
                    &map(&[("USERNAME", "bob"), ("NEW_PASSWORD", password)]),
                )
            }
            Action::Clock { seconds } => {
                world.now += i64::from(seconds);
                continue;
            }
            Action::Raw {
                name: n,
                session,
                ref raw_session,
                ref params,
            } => {
                let known = session.and_then(back).and_then(|c| c.session);
                let session = known.as_deref().unwrap_or(raw_session);
                let responses = raw_map(params);
                // Codes typed by the fuzzer count as presented second factors.
                second += responses.keys().filter(|k| k.ends_with("_CODE")).count();
                world.respond(name(n), Some(session), &responses)
            }
            Action::RawInitiate { flow, ref params } => {
                let flows = [
                    "USER_SRP_AUTH",
                    "USER_PASSWORD_AUTH",
                    "CUSTOM_AUTH",
                    "REFRESH_TOKEN_AUTH",
                    "REFRESH_TOKEN",
                    "ADMIN_USER_PASSWORD_AUTH",
                    "USER_AUTH",
                    "user_srp_auth",
                ];
                let flow = flows[usize::from(flow) % flows.len()];
                let params = raw_map(params);
                // A correct password the fuzzer found counts as a proof.
                if params.get("PASSWORD").map(String::as_str) == Some(ALICE) {
                    proofs += 1;
                }
                let result = world.initiate(flow, &params);
                if flow.starts_with("REFRESH") {
                    assert!(
                        result.is_err(),
                        "a refresh token nobody issued was accepted"
                    );
                }
                result
            }
        };
        match result {
            Ok(Reply::Challenge(c)) => {
                tally.challenges += 1;
                assert!(
                    c.session
                        .as_ref()
                        .is_none_or(|s| s.len() >= auth_flow_state_machine::MIN_SESSION_LEN)
                );
                let expects_claim =
                    c.name == "PASSWORD_VERIFIER" || c.name == "DEVICE_PASSWORD_VERIFIER";
                pending.push(c);
                if expects_claim && let Some(handshake) = srp_started {
                    client = Some((handshake, pending.len() - 1));
                }
            }
            Ok(Reply::Tokens(a)) => {
                tally.tokens += 1;
                tokens += usize::from(a.username() == "alice");
                assert!(
                    a.username() == "alice" || a.username() == "bob",
                    "tokens for {}",
                    a.username()
                );
                if a.username() == "alice" && a.first_factor() != Some(FirstFactor::Custom) {
                    assert!(tokens <= proofs, "tokens without a password proof");
                }
                if a.username() == "alice" {
                    assert!(
                        matches!(
                            a.second_factor(),
                            Some(SecondFactor::Verified(_) | SecondFactor::RememberedDevice)
                        ),
                        "MFA is required: {:?}",
                        a.second_factor()
                    );
                    if let Some(SecondFactor::Verified(_)) = a.second_factor() {
                        assert!(second > 0, "tokens without a second factor");
                    }
                }
            }
            Err(_) => tally.errors += 1,
        }
    }
    tally
}
