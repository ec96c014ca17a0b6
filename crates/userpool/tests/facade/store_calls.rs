//! The store calls a sign-in makes: each record read once per request (pool, client, user),
//! the writes a sign-in needs and no more. A new read or write on these paths fails here, on
//! purpose: it costs a round trip on SQLite and PostgreSQL for every sign-in.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use userpool::wire::*;
use userpool_store::{ObservedStore, StoreError, StoreObserver};

use super::support::*;

#[derive(Default)]
struct Calls(Mutex<Vec<&'static str>>);

impl StoreObserver for Calls {
    fn observe(&self, method: &'static str, _took: Duration, _error: Option<&StoreError>) {
        if let Ok(mut calls) = self.0.lock() {
            calls.push(method);
        }
    }
}

impl Calls {
    /// The calls so far, sorted (independent reads run concurrently, in no fixed order).
    fn take(&self) -> Vec<&'static str> {
        let mut calls = self
            .0
            .lock()
            .map(|mut c| std::mem::take(&mut *c))
            .unwrap_or_default();
        calls.sort_unstable();
        calls
    }
}

#[tokio::test]
async fn a_sign_in_reads_each_record_once() {
    let Some(store) = fresh_store() else { return };
    let calls = Arc::new(Calls::default());
    let mut w = World::on(Arc::new(ObservedStore::new(store, calls.clone())));
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    w.user(&client, "alice", PASSWORD).await;
    // Warm: the first sign-in makes the pool's signing keys.
    w.srp_sign_in(&client, "alice", PASSWORD)
        .await
        .expect("warm");
    calls.take();

    let (handshake, challenge) = w.srp_challenge(&client, "alice").await.expect("challenge");
    let step1 = calls.take();
    let responses = w.password_claim(&pool, handshake, &challenge, PASSWORD);
    let signed_in = w
        .service
        .sign_in()
        .respond_to_auth_challenge(RespondToAuthChallengeRequest {
            client_id: client.clone(),
            challenge_name: "PASSWORD_VERIFIER".into(),
            challenge_responses: responses,
            ..Default::default()
        })
        .await
        .expect("tokens");
    let step2 = calls.take();
    let result = tokens(&signed_in).clone();
    w.service
        .sign_in()
        .initiate_auth(InitiateAuthRequest {
            client_id: client.clone(),
            auth_flow: "REFRESH_TOKEN_AUTH".into(),
            auth_parameters: SecretMap::of(&[(
                "REFRESH_TOKEN",
                result
                    .refresh_token
                    .as_ref()
                    .expect("refresh token")
                    .expose_secret(),
            )]),
            ..Default::default()
        })
        .await
        .expect("refresh");
    let refresh = calls.take();
    w.service
        .accounts()
        .get_user(AccessTokenRequest {
            access_token: result.access_token.clone(),
        })
        .await
        .expect("get user");
    let get_user = calls.take();

    assert_eq!(
        step1,
        ["find_client", "get_user", "lockout_state"],
        "USER_SRP_AUTH, InitiateAuth"
    );
    // The session's wrong-answer counter and the user's lockout counter; one write: the new
    // refresh-token family with the session's replay marker. No lockout reset: there were no
    // failures to clear.
    assert_eq!(
        step2,
        [
            "create_family_spending",
            "find_client",
            "get_user",
            "groups_for_user",
            "lockout_state",
            "lockout_state",
        ],
        "USER_SRP_AUTH, RespondToAuthChallenge"
    );
    assert_eq!(
        refresh,
        ["find_client", "find_family", "get_user", "groups_for_user"],
        "REFRESH_TOKEN_AUTH"
    );
    assert_eq!(
        get_user,
        ["find_by_sub", "get_client", "get_family", "get_pool"],
        "GetUser (the family: revocation)"
    );
}
