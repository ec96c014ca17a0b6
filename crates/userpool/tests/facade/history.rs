//! A randomized concurrent history (security review; Jepsen-style): six tasks run seeded random
//! operations — sign-up of case variants of a few names, sign-in, refresh with rotation
//! (grace 0), revocation, attribute updates — against one service, with store faults
//! injected at random calls and a restart (a new service on the same store) halfway. Every
//! call's start and end are stamped on one logical clock; afterwards the history is checked:
//!
//! * a name (folded) is signed up at most once, and every acknowledged sign-up exists;
//! * a refresh token is redeemed at most once;
//! * a family revoked (acknowledged) is never refreshed by a call that started after;
//! * no acknowledged attribute write is lost (each task writes its own attribute in order,
//!   so the final value is at least its last acknowledged one).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use rand::RngExt as _;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use userpool::Service;
use userpool::wire::*;

use super::support::*;

const TASKS: u64 = 6;
const OPS_PER_PHASE: usize = 30;
const NAMES: [&str; 6] = ["ann", "Ann", "ANN", "bob", "Bob", "cid"];
const ATTRIBUTES: [&str; 6] = [
    "given_name",
    "family_name",
    "nickname",
    "locale",
    "website",
    "profile",
];

#[derive(Debug, Clone)]
enum Event {
    SignedUp {
        name: String,
    },
    Refreshed {
        token: String,
        family: u64,
        start: u64,
        end: u64,
    },
    Revoked {
        family: u64,
        start: u64,
        end: u64,
    },
    Wrote {
        user: String,
        attribute: String,
        n: u32,
    },
}

/// A refresh token someone holds, with the family (lineage) it belongs to.
#[derive(Debug, Clone)]
struct Held {
    token: String,
    family: u64,
}

#[derive(Default)]
struct Shared {
    clock: AtomicU64,
    families: AtomicU64,
    held: Mutex<Vec<Held>>,
    /// Each family's newest token (what its holder would revoke).
    latest: Mutex<HashMap<u64, String>>,
    events: Mutex<Vec<Event>>,
}

impl Shared {
    fn tick(&self) -> u64 {
        self.clock.fetch_add(1, Ordering::SeqCst)
    }

    fn record(&self, e: Event) {
        self.events.lock().expect("events").push(e);
    }
}

async fn run_task(
    service: Service,
    client: String,
    pool: String,
    shared: Arc<Shared>,
    task: u64,
    phase: u64,
) {
    let mut rng = ChaCha20Rng::seed_from_u64(1_000 * phase + task);
    let attribute = ATTRIBUTES[task as usize % ATTRIBUTES.len()];
    let mut written = (phase as u32) * 1_000;
    for _ in 0..OPS_PER_PHASE {
        let name = NAMES[rng.random_range(0..NAMES.len())];
        match rng.random_range(0..5) {
            0 => {
                let r = service
                    .accounts()
                    .sign_up(SignUpRequest {
                        client_id: client.clone(),
                        username: name.into(),
                        password: PASSWORD.into(),
                        ..Default::default()
                    })
                    .await;
                if r.is_ok() {
                    shared.record(Event::SignedUp { name: name.into() });
                    let _ = service
                        .accounts()
                        .admin_confirm_sign_up(AdminUserRequest {
                            user_pool_id: pool.clone(),
                            username: name.into(),
                            ..Default::default()
                        })
                        .await;
                }
            }
            1 => {
                let r = service
                    .sign_in()
                    .initiate_auth(InitiateAuthRequest {
                        client_id: client.clone(),
                        auth_flow: "USER_PASSWORD_AUTH".into(),
                        auth_parameters: SecretMap::of(&[
                            ("USERNAME", name),
                            ("PASSWORD", PASSWORD),
                        ]),
                        ..Default::default()
                    })
                    .await;
                if let Some(token) = r
                    .ok()
                    .and_then(|r| r.authentication_result)
                    .and_then(|a| a.refresh_token)
                {
                    let family = shared.families.fetch_add(1, Ordering::SeqCst);
                    let token = token.expose_secret().to_owned();
                    shared
                        .latest
                        .lock()
                        .expect("latest")
                        .insert(family, token.clone());
                    shared
                        .held
                        .lock()
                        .expect("held")
                        .push(Held { token, family });
                }
            }
            2 | 3 => {
                let held = {
                    let held = shared.held.lock().expect("held");
                    (!held.is_empty()).then(|| held[rng.random_range(0..held.len())].clone())
                };
                let Some(held) = held else { continue };
                if rng.random_range(0..3) == 0 {
                    // Revoking an old, forgotten token of a family is an unknown token: it
                    // succeeds and revokes nothing (Cognito). Only a revocation of the newest
                    // token is an acknowledged revocation of the family.
                    let newest = shared.latest.lock().expect("latest").get(&held.family)
                        == Some(&held.token);
                    let start = shared.tick();
                    let r = service
                        .tokens()
                        .revoke_token(RevokeTokenRequest {
                            token: held.token.as_str().into(),
                            client_id: client.clone(),
                            client_secret: None,
                        })
                        .await;
                    let end = shared.tick();
                    if r.is_ok() && newest {
                        shared.record(Event::Revoked {
                            family: held.family,
                            start,
                            end,
                        });
                    }
                } else {
                    let start = shared.tick();
                    let r = service
                        .tokens()
                        .get_tokens_from_refresh_token(GetTokensFromRefreshTokenRequest {
                            client_id: client.clone(),
                            refresh_token: held.token.as_str().into(),
                            ..Default::default()
                        })
                        .await;
                    let end = shared.tick();
                    if let Ok(r) = r {
                        shared.record(Event::Refreshed {
                            token: held.token.clone(),
                            family: held.family,
                            start,
                            end,
                        });
                        let next = r.authentication_result.refresh_token;
                        assert!(
                            next.is_some(),
                            "a rotating client's refresh returns a successor"
                        );
                        if let Some(next) = next {
                            let next = next.expose_secret().to_owned();
                            shared
                                .latest
                                .lock()
                                .expect("latest")
                                .insert(held.family, next.clone());
                            shared.held.lock().expect("held").push(Held {
                                token: next,
                                family: held.family,
                            });
                        }
                    }
                }
            }
            _ => {
                written += 1;
                let r = service
                    .accounts()
                    .admin_update_user_attributes(AdminUpdateUserAttributesRequest {
                        user_pool_id: pool.clone(),
                        username: name.into(),
                        user_attributes: vec![Attribute::new(attribute, format!("v{written}"))],
                        ..Default::default()
                    })
                    .await;
                if r.is_ok() {
                    shared.record(Event::Wrote {
                        user: name.to_lowercase(),
                        attribute: attribute.into(),
                        n: written,
                    });
                }
            }
        }
    }
}

async fn phase(
    service: &Service,
    client: &str,
    pool: &str,
    shared: &Arc<Shared>,
    faults: &userpool_store::Faults,
    number: u64,
) {
    // Faults at seeded random calls while the tasks run.
    let mut rng = ChaCha20Rng::seed_from_u64(77 + number);
    for _ in 0..8 {
        faults.fail_nth_call(rng.random_range(1..400));
    }
    let tasks: Vec<_> = (0..TASKS)
        .map(|task| {
            tokio::spawn(run_task(
                service.clone(),
                client.to_owned(),
                pool.to_owned(),
                shared.clone(),
                task,
                number,
            ))
        })
        .collect();
    for t in tasks {
        t.await.expect("a task panicked");
    }
    faults.clear();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_random_concurrent_history_keeps_every_invariant() {
    let Some((store, faults)) = fresh_faulty_store() else {
        return;
    };
    let w = World::on(store.clone());
    let pool = w
        .pool_with(|p| {
            p.auto_verified_attributes = Vec::new();
            p.username_configuration = Some(UsernameConfiguration {
                case_sensitive: false,
            });
        })
        .await;
    let client = w
        .client_with(&pool, |c| {
            c.refresh_token_rotation = Some(RefreshTokenRotationType {
                feature: "ENABLED".into(),
                retry_grace_period_seconds: Some(0),
            });
        })
        .await
        .client_id;
    let shared = Arc::new(Shared::default());
    phase(&w.service, &client, &pool, &shared, &faults, 1).await;
    // A restart: a new service (nothing cached) on the same store. A restarted process draws
    // fresh randomness: another seed (the same seed would issue phase 1's tokens again).
    let restarted = World::build(store, |b| b.rng(ChaCha20Rng::seed_from_u64(8)));
    phase(&restarted.service, &client, &pool, &shared, &faults, 2).await;

    let events = shared.events.lock().expect("events").clone();
    let mut sign_ups: HashMap<String, usize> = HashMap::new();
    let mut redemptions: HashMap<String, usize> = HashMap::new();
    let mut last_write: HashMap<(String, String), u32> = HashMap::new();
    for e in &events {
        match e {
            Event::SignedUp { name } => *sign_ups.entry(name.to_lowercase()).or_default() += 1,
            Event::Refreshed { token, .. } => {
                *redemptions.entry(token.clone()).or_default() += 1;
            }
            Event::Wrote { user, attribute, n } => {
                let last = last_write
                    .entry((user.clone(), attribute.clone()))
                    .or_default();
                *last = (*last).max(*n);
            }
            Event::Revoked { .. } => {}
        }
    }
    let revocations = events
        .iter()
        .filter(|e| matches!(e, Event::Revoked { .. }))
        .count();
    eprintln!(
        "history: {} events, {} names, {} refreshes, {} revocations, {} writes, {} faults",
        events.len(),
        sign_ups.len(),
        redemptions.len(),
        revocations,
        last_write.len(),
        faults.injected()
    );
    assert!(
        !sign_ups.is_empty()
            && redemptions.len() >= 3
            && revocations >= 1
            && !last_write.is_empty(),
        "the history exercised every kind of operation"
    );
    assert!(faults.injected() >= 4, "faults were injected");
    for (name, n) in &sign_ups {
        assert_eq!(*n, 1, "{name} signed up {n} times");
    }
    for (token, n) in &redemptions {
        assert_eq!(
            *n,
            1,
            "a refresh token redeemed {n} times ({} chars)",
            token.len()
        );
    }
    for e in &events {
        let Event::Revoked {
            family,
            start: r_start,
            end: r_end,
        } = e
        else {
            continue;
        };
        let refreshes = || {
            events.iter().filter_map(|r| match r {
                Event::Refreshed {
                    family: f,
                    start,
                    end,
                    ..
                } if f == family => Some((*start, *end)),
                _ => None,
            })
        };
        // A rotation that completed while the revocation ran may have made its token two steps
        // old (forgotten): then the revocation revoked nothing, and that is not a violation.
        if refreshes().any(|(_, end)| end > *r_start && end < *r_end) {
            continue;
        }
        for (start, _) in refreshes() {
            assert!(
                start < *r_end,
                "family {family} refreshed at {start} after its revocation ended at {r_end}"
            );
        }
    }
    for name in sign_ups.keys() {
        let user = restarted
            .service
            .accounts()
            .admin_get_user(AdminUserRequest {
                user_pool_id: pool.clone(),
                username: name.clone(),
                ..Default::default()
            })
            .await
            .unwrap_or_else(|e| panic!("acknowledged sign-up of {name} lost: {e}"));
        for a in ATTRIBUTES {
            if let Some(acked) = last_write.get(&(name.clone(), a.to_owned())) {
                let stored = user
                    .user_attributes
                    .iter()
                    .find(|x| x.name == a)
                    .and_then(|x| x.value.strip_prefix('v')?.parse::<u32>().ok())
                    .unwrap_or_else(|| panic!("acknowledged {a} of {name} lost"));
                assert!(
                    stored >= *acked,
                    "{a} of {name}: {stored} < acknowledged {acked}"
                );
            }
        }
    }
}
