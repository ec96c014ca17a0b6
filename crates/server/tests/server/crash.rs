//! Crash safety: a `userpool-server` on SQLite is driven (sign-ups, attribute updates, refresh-token
//! rotations, revocations) and killed with SIGKILL at a random point, round after round. After
//! each kill the database passes `PRAGMA integrity_check` and holds every write the server
//! acknowledged; then the server starts again on it.
//!
//! CI runs a short version (`USERPOOL_CRASH_ROUNDS`, default 10 rounds); the long one is
//! `cargo test -p userpool-server --test server -- --ignored kill9_long` (120 rounds).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::error::SdkError;
use aws_sdk_cognitoidentityprovider::types::{AttributeType, AuthFlowType};
use rand::RngExt as _;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use sha2::{Digest, Sha256};
use user_pool_model::UserPoolId;
use userpool_store::{RefreshTokenStore as _, UserStore as _};
use userpool_store_sql::SqlStore;

use crate::process::{self, PASSWORD, Server};

/// What the server acknowledged, and what was in flight when it died.
#[derive(Default, Clone)]
struct Ledger {
    signed_up: Vec<String>,
    name_acked: Option<String>,
    name_in_flight: Option<String>,
    refresh: String,
    revoked: Vec<String>,
    operations: usize,
}

/// How an operation ended: acknowledged, the server was gone, or a real error.
enum Outcome {
    Ack,
    ServerGone,
}

fn outcome<T, E: std::fmt::Debug, R: std::fmt::Debug>(
    what: &str,
    r: Result<T, SdkError<E, R>>,
) -> Result<(Outcome, Option<T>), String> {
    match r {
        Ok(v) => Ok((Outcome::Ack, Some(v))),
        Err(SdkError::ServiceError(e)) => Err(format!("{what}: {:?}", e.err())),
        Err(_) => Ok((Outcome::ServerGone, None)),
    }
}

const ANCHOR: &str = "anchor";

/// Drives operations until the server stops answering; a service error is a failure.
async fn drive(
    sdk: Client,
    pool: String,
    client: String,
    round: usize,
    ledger: Arc<Mutex<Ledger>>,
) -> Result<(), String> {
    for i in 0.. {
        let step = match i % 4 {
            0 => {
                let name = format!("u{round}x{i}");
                let r = process::sign_up(&sdk, &client, &name).await;
                match r {
                    Ok(()) => {
                        ledger.lock().unwrap().signed_up.push(name);
                        Outcome::Ack
                    }
                    Err(e) if e.contains("DispatchFailure") || e.contains("Timeout") => {
                        Outcome::ServerGone
                    }
                    Err(e) if e.contains("ServiceError") || e.contains("Exception") => {
                        return Err(format!("SignUp: {e}"));
                    }
                    Err(_) => Outcome::ServerGone,
                }
            }
            1 => {
                let value = format!("v{round}x{i}");
                ledger.lock().unwrap().name_in_flight = Some(value.clone());
                let r = sdk
                    .admin_update_user_attributes()
                    .user_pool_id(&pool)
                    .username(ANCHOR)
                    .user_attributes(
                        AttributeType::builder()
                            .name("name")
                            .value(&value)
                            .build()
                            .unwrap(),
                    )
                    .send()
                    .await;
                let (o, _) = outcome("AdminUpdateUserAttributes", r)?;
                if matches!(o, Outcome::Ack) {
                    let mut l = ledger.lock().unwrap();
                    l.name_acked = Some(value);
                    l.name_in_flight = None;
                }
                o
            }
            2 => {
                let current = ledger.lock().unwrap().refresh.clone();
                let r = sdk
                    .get_tokens_from_refresh_token()
                    .client_id(&client)
                    .refresh_token(current)
                    .send()
                    .await;
                let (o, v) = outcome("GetTokensFromRefreshToken", r)?;
                if let Some(new) = v
                    .and_then(|v| v.authentication_result)
                    .and_then(|a| a.refresh_token)
                {
                    ledger.lock().unwrap().refresh = new;
                }
                o
            }
            _ => {
                let r = sdk
                    .initiate_auth()
                    .client_id(&client)
                    .auth_flow(AuthFlowType::UserPasswordAuth)
                    .auth_parameters("USERNAME", ANCHOR)
                    .auth_parameters("PASSWORD", PASSWORD)
                    .send()
                    .await;
                let (o, v) = outcome("InitiateAuth", r)?;
                match v
                    .and_then(|v| v.authentication_result)
                    .and_then(|a| a.refresh_token)
                {
                    Some(token) => {
                        let r = sdk
                            .revoke_token()
                            .client_id(&client)
                            .token(&token)
                            .send()
                            .await;
                        let (o, _) = outcome("RevokeToken", r)?;
                        if matches!(o, Outcome::Ack) {
                            ledger.lock().unwrap().revoked.push(token);
                        }
                        o
                    }
                    None => o,
                }
            }
        };
        match step {
            Outcome::Ack => ledger.lock().unwrap().operations += 1,
            Outcome::ServerGone => return Ok(()),
        }
    }
    Ok(())
}

fn hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Opens the database the dead server left and checks it against the ledger.
async fn verify(db: &std::path::Path, pool: &UserPoolId, ledger: &Ledger) {
    let store = SqlStore::connect(&format!("sqlite:{}", db.display()))
        .await
        .expect("the database opens after SIGKILL");
    assert_eq!(store.integrity_check().await.as_deref(), Ok("ok"));
    for name in &ledger.signed_up {
        assert!(
            store
                .get_user(
                    pool,
                    &user_pool_model::CaseRule::Sensitive.username_key(name)
                )
                .await
                .unwrap()
                .is_some(),
            "acknowledged sign-up of {name} lost"
        );
    }
    let anchor = store
        .get_user(
            pool,
            &user_pool_model::CaseRule::Sensitive.username_key(ANCHOR),
        )
        .await
        .unwrap()
        .expect("anchor");
    let name = anchor.attributes.get("name").cloned();
    assert!(
        name == ledger.name_acked || (name.is_some() && name == ledger.name_in_flight),
        "name is {name:?}; acknowledged {:?}, in flight {:?}",
        ledger.name_acked,
        ledger.name_in_flight
    );
    let family = store
        .find_family(pool, &hash(&ledger.refresh))
        .await
        .unwrap()
        .expect("the acknowledged refresh token's family");
    assert!(!family.revoked, "the live refresh token was revoked");
    for token in &ledger.revoked {
        let family = store
            .find_family(pool, &hash(token))
            .await
            .unwrap()
            .expect("a revoked token's family");
        assert!(family.revoked, "an acknowledged revocation was lost");
    }
    store.close().await;
}

async fn kill9_rounds(rounds: usize, seed: u64) {
    let dir = process::data_dir(&format!("crash-{seed}"));
    let db = dir.join("userpool.db");
    let args = ["--data-dir", dir.to_str().unwrap()];
    let mut rng = ChaCha20Rng::seed_from_u64(seed);

    // Setup, acknowledged before the first kill.
    let server = Server::start(&args);
    let (pool, client) = process::pool_and_client(&server.sdk, true).await;
    process::sign_up(&server.sdk, &client, ANCHOR)
        .await
        .unwrap();
    server
        .sdk
        .admin_confirm_sign_up()
        .user_pool_id(&pool)
        .username(ANCHOR)
        .send()
        .await
        .unwrap();
    let first = server
        .sdk
        .initiate_auth()
        .client_id(&client)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", ANCHOR)
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .unwrap();
    let ledger = Arc::new(Mutex::new(Ledger {
        refresh: first
            .authentication_result
            .and_then(|a| a.refresh_token)
            .unwrap(),
        ..Ledger::default()
    }));
    server.kill9();
    let pool_id = UserPoolId::parse(&pool).unwrap();

    for round in 0..rounds {
        let server = Server::start(&args);
        let driver = tokio::spawn(drive(
            server.sdk.clone(),
            pool.clone(),
            client.clone(),
            round,
            Arc::clone(&ledger),
        ));
        tokio::time::sleep(Duration::from_millis(rng.random_range(20..400))).await;
        server.kill9();
        driver
            .await
            .unwrap()
            .unwrap_or_else(|e| panic!("round {round}: {e}"));
        let snapshot = ledger.lock().unwrap().clone();
        verify(&db, &pool_id, &snapshot).await;
    }
    let l = ledger.lock().unwrap();
    eprintln!(
        "kill -9: {rounds} rounds, {} acknowledged operations ({} sign-ups, {} revocations), all present",
        l.operations,
        l.signed_up.len(),
        l.revoked.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill9_short() {
    let rounds = std::env::var("USERPOOL_CRASH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    kill9_rounds(rounds, 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "long: 120 rounds (run it with --ignored)"]
async fn kill9_long() {
    kill9_rounds(120, 2).await;
}
