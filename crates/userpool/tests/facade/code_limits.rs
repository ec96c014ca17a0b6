//! Hourly caps on one-time codes (security review, high): re-requesting codes does not buy
//! fresh guesses — 1,000 guesses through re-requests evaluate at most
//! `CODE_GUESSES_PER_HOUR`, sends stop at `CODES_SENT_PER_HOUR`, and an unknown user under
//! PreventUserExistenceErrors hits both caps at exactly the same requests as a real one.

use userpool::wire::*;
use userpool::{CODE_GUESSES_PER_HOUR, CODES_SENT_PER_HOUR};

use super::support::*;

/// One attacker's run against `login`: re-request a code, try five wrong guesses, again, until
/// 1,000 guesses were made. Returns every answer's exception name in order ("ok" for
/// success) and how many guesses were compared (`CodeMismatchException`).
async fn guess_through_re_requests(w: &World, client: &str, login: &str) -> (Vec<String>, usize) {
    let mut answers = Vec::new();
    let mut compared = 0;
    let mut guesses = 0;
    while guesses < 1_000 {
        let sent = w
            .service
            .accounts()
            .forgot_password(ClientUserRequest {
                client_id: client.into(),
                username: login.into(),
                ..Default::default()
            })
            .await;
        answers.push(sent.map_or_else(|e| e.exception_name().to_owned(), |_| "ok".into()));
        for n in 0..5 {
            guesses += 1;
            let r = w
                .service
                .accounts()
                .confirm_forgot_password(ConfirmForgotPasswordRequest {
                    client_id: client.into(),
                    username: login.into(),
                    confirmation_code: format!("{:06}", 900_000 + guesses + n).as_str().into(),
                    password: "N3w-Passw0rd!".into(),
                    ..Default::default()
                })
                .await;
            let name = r.map_or_else(|e| e.exception_name().to_owned(), |_| "ok".into());
            if name == "CodeMismatchException" {
                compared += 1;
            }
            assert_ne!(name, "ok", "a wrong guess never succeeds");
            answers.push(name);
        }
    }
    (answers, compared)
}

#[tokio::test]
async fn re_requested_codes_do_not_buy_fresh_guesses() {
    let w = world!();
    let pool = w.pool().await;
    let client = w
        .client_with(&pool, |c| {
            c.prevent_user_existence_errors = Some("ENABLED".into());
        })
        .await
        .client_id;
    // A user with a verified email and no code sent or guessed yet this hour.
    w.service
        .accounts()
        .admin_create_user(AdminCreateUserRequest {
            user_pool_id: pool.clone(),
            username: "alice".into(),
            user_attributes: vec![
                Attribute::new("email", "alice@example.com"),
                Attribute::new("email_verified", "true"),
            ],
            message_action: Some("SUPPRESS".into()),
            ..Default::default()
        })
        .await
        .expect("user");
    w.service
        .accounts()
        .admin_set_user_password(AdminSetUserPasswordRequest {
            user_pool_id: pool.clone(),
            username: "alice".into(),
            password: PASSWORD.into(),
            permanent: true,
        })
        .await
        .expect("password");
    let (real, compared) = guess_through_re_requests(&w, &client, "alice").await;
    assert!(
        compared <= CODE_GUESSES_PER_HOUR as usize,
        "{compared} guesses compared in an hour"
    );
    let sends: Vec<&String> = real.iter().step_by(6).collect();
    let allowed = CODES_SENT_PER_HOUR as usize;
    assert!(sends[..allowed].iter().all(|s| *s == "ok"), "{sends:?}");
    assert!(
        sends[allowed..]
            .iter()
            .all(|s| *s == "LimitExceededException"),
        "{sends:?}"
    );
    assert_eq!(
        real.last().map(String::as_str),
        Some("LimitExceededException")
    );
    // An unknown user answers exactly the same, request by request.
    let (ghost, ghost_compared) = guess_through_re_requests(&w, &client, "ghost").await;
    let first_difference = real.iter().zip(&ghost).position(|(a, b)| a != b);
    assert_eq!(
        first_difference.map(|i| (i, &real[i], &ghost[i])),
        None,
        "unknown users answer as real ones, request by request"
    );
    assert_eq!(real.len(), ghost.len());
    assert_eq!(compared, ghost_compared);
    // A new hour: the caps are fresh; the old counters are purged.
    w.clock.advance(2 * 3600 + 1);
    let purged = w.service.purge_expired().await.expect("purge");
    assert!(purged.code_counters >= 4, "{purged:?}");
    w.service
        .accounts()
        .forgot_password(ClientUserRequest {
            client_id: client.clone(),
            username: "alice".into(),
            ..Default::default()
        })
        .await
        .expect("codes again");
    let code = w.outbox.last_code(&pool, "alice").expect("code");
    w.service
        .accounts()
        .confirm_forgot_password(ConfirmForgotPasswordRequest {
            client_id: client,
            username: "alice".into(),
            confirmation_code: code.as_str().into(),
            password: "N3w-Passw0rd!".into(),
            ..Default::default()
        })
        .await
        .expect("the right code works");
}
