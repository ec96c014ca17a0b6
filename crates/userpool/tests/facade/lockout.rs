//! Lockout under PreventUserExistenceErrors (security.md §4.4, ASVS 6.3.8): after the same
//! wrong passwords an unknown username answers exactly as a real one — "Password attempts
//! exceeded" at the same attempt, in the password flow and with SRP — and its counters are
//! purged like session counters.

use super::support::*;

/// What every attempt of a run answered: the exception name and message, or "tokens".
async fn password_run(w: &World, client: &str, login: &str, tries: usize) -> Vec<String> {
    let mut out = Vec::new();
    for _ in 0..tries {
        out.push(
            match w.password_sign_in(client, login, "Wrong-Passw0rd!").await {
                Ok(_) => "tokens".to_owned(),
                Err(e) => format!("{}: {}", e.exception_name(), e.message()),
            },
        );
    }
    out
}

#[tokio::test]
async fn unknown_users_lock_out_at_the_same_attempt_as_real_ones() {
    let mut w = world!();
    let pool = w.pool().await;
    let client = w
        .client_with(&pool, |c| {
            c.prevent_user_existence_errors = Some("ENABLED".into());
        })
        .await
        .client_id;
    w.user(&client, "alice", PASSWORD).await;
    let real = password_run(&w, &client, "alice", 8).await;
    let ghost = password_run(&w, &client, "ghost", 8).await;
    assert_eq!(real, ghost, "the same answers, attempt by attempt");
    assert_eq!(
        real[4],
        "NotAuthorizedException: Incorrect username or password."
    );
    assert_eq!(
        real[5],
        "NotAuthorizedException: Password attempts exceeded"
    );
    // With SRP, during the lockout: the same refusal at PASSWORD_VERIFIER, even with the
    // right password for the real user.
    for login in ["alice", "ghost"] {
        assert_error(
            w.srp_sign_in(&client, login, PASSWORD).await,
            "NotAuthorizedException",
            "Password attempts exceeded",
        );
    }
    // Both lockouts end together; the counters of unknown names are purged once forgotten.
    w.clock.advance(2);
    for login in ["alice", "ghost"] {
        assert_error(
            w.password_sign_in(&client, login, "Wrong-Passw0rd!").await,
            "NotAuthorizedException",
            "Incorrect username or password.",
        );
    }
    w.clock.advance(16 * 60);
    let purged = w.service.purge_expired().await.expect("purge");
    assert_eq!(purged.unknown_counters, 1, "ghost's counter");
    w.password_sign_in(&client, "alice", PASSWORD)
        .await
        .expect("alice signs in after the quiet period");
}

#[tokio::test]
async fn legacy_clients_keep_saying_the_user_does_not_exist() {
    let w = world!();
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    for _ in 0..7 {
        assert_error(
            w.password_sign_in(&client, "ghost", "Wrong-Passw0rd!")
                .await,
            "UserNotFoundException",
            "User does not exist.",
        );
    }
    let purged = w.service.purge_expired().await.expect("purge");
    assert_eq!(purged.unknown_counters, 0, "nothing was counted");
}
