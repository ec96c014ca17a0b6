//! The world every facade test runs in: a service on a fixed clock and a seeded RNG, an
//! outbox, and helpers that act as a Cognito client would. `World::on(store)` runs the same
//! tests on any store backend.

#![allow(dead_code, unreachable_pub)]

use std::sync::Arc;

use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use userpool::wire::*;
use userpool::{Error, FixedClock, MasterKey, Outbox, Service};
use userpool_store::{MemoryStore, Store};
use userpool_store_sql::SqlStoreOptions;

use super::BACKEND;
use crate::Backend;

/// A new world on this suite's backend, or (backend unavailable) the test returns early.
macro_rules! world {
    () => {
        match World::try_new() {
            Some(w) => w,
            None => return,
        }
    };
}

static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn unique(prefix: &str) -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{prefix}_{secs}_{}_{n}", std::process::id())
}

/// A new, empty store of this suite's backend: memory, a new SQLite file, or a new schema in
/// the PostgreSQL database `USERPOOL_TEST_POSTGRES_URL` names (`None`, with a message, when it
/// is not set).
pub fn fresh_store() -> Option<Arc<dyn Store>> {
    match BACKEND {
        Backend::Memory => Some(Arc::new(MemoryStore::new())),
        Backend::Sqlite => {
            let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("facade-sqlite");
            std::fs::create_dir_all(&dir).expect("test dir");
            let path = dir.join(format!("{}.db", unique("f")));
            let store = SqlStoreOptions::new(format!("sqlite:{}", path.display()))
                .max_connections(4)
                .connect_lazy()
                .expect("sqlite store");
            Some(Arc::new(store))
        }
        Backend::Postgres => {
            let Ok(url) = std::env::var("USERPOOL_TEST_POSTGRES_URL") else {
                eprintln!(
                    "SKIPPED: USERPOOL_TEST_POSTGRES_URL is not set, so this facade test did \
                     not run on PostgreSQL (.ci/run starts PostgreSQL and sets it)"
                );
                return None;
            };
            let store = SqlStoreOptions::new(url)
                .schema(unique("up_t"))
                .max_connections(4)
                .connect_lazy()
                .expect("postgres store");
            Some(Arc::new(store))
        }
    }
}

/// A fresh store of this suite's backend behind a [`userpool_store::FaultyStore`], and the
/// handle that injects its failures.
pub fn fresh_faulty_store() -> Option<(Arc<dyn Store>, userpool_store::Faults)> {
    fn wrap<S: Store + 'static>(s: S) -> (Arc<dyn Store>, userpool_store::Faults) {
        let faulty = userpool_store::FaultyStore::new(s);
        let faults = faulty.faults();
        (Arc::new(faulty), faults)
    }
    match BACKEND {
        Backend::Memory => Some(wrap(MemoryStore::new())),
        Backend::Sqlite => {
            let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("facade-sqlite");
            std::fs::create_dir_all(&dir).expect("test dir");
            let path = dir.join(format!("{}.db", unique("faulty")));
            let store = SqlStoreOptions::new(format!("sqlite:{}", path.display()))
                .max_connections(4)
                .connect_lazy()
                .expect("sqlite store");
            Some(wrap(store))
        }
        Backend::Postgres => {
            let url = std::env::var("USERPOOL_TEST_POSTGRES_URL").ok()?;
            let store = SqlStoreOptions::new(url)
                .schema(unique("up_t"))
                .max_connections(4)
                .connect_lazy()
                .expect("postgres store");
            Some(wrap(store))
        }
    }
}

/// The virtual clock's start.
pub const NOW: i64 = 1_793_000_000;
/// A password that satisfies the default policy.
pub const PASSWORD: &str = "Corr3ct-Horse!";

pub struct World {
    pub service: Service,
    pub store: Arc<dyn Store>,
    pub outbox: Arc<Outbox>,
    pub clock: Arc<FixedClock>,
    pub rng: ChaCha20Rng,
}

impl World {
    /// A world on a fresh store of this copy of the suite's backend; `None` (after saying
    /// why) when that backend is not available here. Tests use `world!()`.
    pub fn try_new() -> Option<Self> {
        fresh_store().map(Self::on)
    }

    /// A world on `store`.
    pub fn on(store: Arc<dyn Store>) -> Self {
        Self::build(store, |b| b)
    }

    /// A world whose builder `f` adjusts (triggers, issuer, algorithm).
    pub fn build(
        store: Arc<dyn Store>,
        f: impl FnOnce(userpool::ServiceBuilder) -> userpool::ServiceBuilder,
    ) -> Self {
        Self::build_with_key(store, MasterKey::new([42; 32]), f)
    }

    /// Like [`World::build`] under another master key or keyring.
    pub fn build_with_key(
        store: Arc<dyn Store>,
        key: impl Into<userpool::Keyring>,
        f: impl FnOnce(userpool::ServiceBuilder) -> userpool::ServiceBuilder,
    ) -> Self {
        let outbox = Arc::new(Outbox::new());
        let clock = Arc::new(FixedClock::new(NOW));
        let builder = Service::builder(store.clone(), key)
            .clock(clock.clone())
            .rng(ChaCha20Rng::seed_from_u64(7))
            .sender(outbox.clone())
            .signing_algorithm(jwt_tokens::Algorithm::ES256);
        let service = f(builder).build().expect("service");
        Self {
            service,
            store,
            outbox,
            clock,
            rng: ChaCha20Rng::seed_from_u64(99),
        }
    }

    pub fn now(&self) -> i64 {
        userpool::Clock::now(self.clock.as_ref())
    }

    /// A pool with email auto-verified (and whatever `f` sets).
    pub async fn pool_with(&self, f: impl FnOnce(&mut UserPoolRequest)) -> String {
        let mut req = UserPoolRequest {
            pool_name: "test-pool".into(),
            auto_verified_attributes: vec!["email".into()],
            ..Default::default()
        };
        f(&mut req);
        self.service
            .admin()
            .create_user_pool(req)
            .await
            .expect("pool")
            .user_pool
            .id
    }

    pub async fn pool(&self) -> String {
        self.pool_with(|_| {}).await
    }

    /// A client allowing every flow (and whatever `f` sets).
    pub async fn client_with(
        &self,
        pool: &str,
        f: impl FnOnce(&mut UserPoolClientRequest),
    ) -> UserPoolClientType {
        let mut req = UserPoolClientRequest {
            user_pool_id: pool.into(),
            client_name: Some("web".into()),
            explicit_auth_flows: Some(
                [
                    "ALLOW_USER_SRP_AUTH",
                    "ALLOW_USER_PASSWORD_AUTH",
                    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
                    "ALLOW_CUSTOM_AUTH",
                    "ALLOW_REFRESH_TOKEN_AUTH",
                ]
                .map(String::from)
                .to_vec(),
            ),
            ..Default::default()
        };
        f(&mut req);
        self.service
            .admin()
            .create_user_pool_client(req)
            .await
            .expect("client")
            .user_pool_client
    }

    pub async fn client(&self, pool: &str) -> String {
        self.client_with(pool, |_| {}).await.client_id
    }

    /// Signs `username` up with an email and confirms them with the code from the outbox.
    pub async fn user(&self, client: &str, username: &str, password: &str) {
        let email = format!("{username}@example.com");
        let out = self
            .service
            .accounts()
            .sign_up(SignUpRequest {
                client_id: client.into(),
                username: username.into(),
                password: password.into(),
                user_attributes: vec![Attribute::new("email", email)],
                ..Default::default()
            })
            .await
            .expect("sign up");
        let pool = self.pool_of(client).await;
        let code = self
            .outbox
            .last_code(&pool, &self.username_of(&pool, username).await)
            .expect("code");
        assert!(!out.user_confirmed);
        self.service
            .accounts()
            .confirm_sign_up(ConfirmSignUpRequest {
                client_id: client.into(),
                username: username.into(),
                confirmation_code: code.as_str().into(),
                ..Default::default()
            })
            .await
            .expect("confirm");
    }

    /// The pool a client belongs to.
    pub async fn pool_of(&self, client: &str) -> String {
        let pools = self
            .service
            .admin()
            .list_user_pools(ListRequest {
                max_results: Some(60),
                ..Default::default()
            })
            .await
            .expect("pools");
        for p in pools.user_pools {
            let clients = self
                .service
                .admin()
                .list_user_pool_clients(ListRequest {
                    user_pool_id: Some(p.id.clone()),
                    ..Default::default()
                })
                .await
                .expect("clients");
            if clients
                .user_pool_clients
                .iter()
                .any(|c| c.client_id == client)
            {
                return p.id;
            }
        }
        panic!("no pool for {client}");
    }

    /// The internal username of a login.
    pub async fn username_of(&self, pool: &str, login: &str) -> String {
        self.service
            .accounts()
            .admin_get_user(AdminUserRequest {
                user_pool_id: pool.into(),
                username: login.into(),
                ..Default::default()
            })
            .await
            .map(|u| u.username)
            .unwrap_or_else(|_| login.to_owned())
    }

    /// USER_SRP_AUTH's InitiateAuth: the client's handshake and the answer.
    pub async fn srp_challenge(
        &mut self,
        client: &str,
        login: &str,
    ) -> Result<(srp::ClientHandshake, AuthResponse), Error> {
        let handshake = srp::ClientHandshake::start(&mut self.rng).expect("client");
        let challenge = self
            .service
            .sign_in()
            .initiate_auth(InitiateAuthRequest {
                client_id: client.into(),
                auth_flow: "USER_SRP_AUTH".into(),
                auth_parameters: SecretMap::of(&[
                    ("USERNAME", login),
                    ("SRP_A", &handshake.srp_a()),
                ]),
                ..Default::default()
            })
            .await?;
        Ok((handshake, challenge))
    }

    /// USER_SRP_AUTH through InitiateAuth and the PASSWORD_VERIFIER answer, as
    /// amazon-cognito-identity-js does it (the answer carries no `Session`).
    pub async fn srp_sign_in(
        &mut self,
        client: &str,
        login: &str,
        password: &str,
    ) -> Result<AuthResponse, Error> {
        let (handshake, challenge) = self.srp_challenge(client, login).await?;
        assert_eq!(
            challenge.challenge_name.as_deref(),
            Some("PASSWORD_VERIFIER")
        );
        let pool = self.pool_of(client).await;
        let responses = self.password_claim(&pool, handshake, &challenge, password);
        self.service
            .sign_in()
            .respond_to_auth_challenge(RespondToAuthChallengeRequest {
                client_id: client.into(),
                challenge_name: "PASSWORD_VERIFIER".into(),
                challenge_responses: responses,
                ..Default::default()
            })
            .await
    }

    /// The PASSWORD_VERIFIER answer to `challenge` for `password`.
    pub fn password_claim(
        &self,
        pool: &str,
        handshake: srp::ClientHandshake,
        challenge: &AuthResponse,
        password: &str,
    ) -> SecretMap {
        let p = &challenge.challenge_parameters;
        let user_id = p.get("USER_ID_FOR_SRP").unwrap_or_default().to_owned();
        let pool_name = pool.split_once('_').map_or("", |(_, n)| n).to_owned();
        let timestamp = srp::format_timestamp(
            srp::time::OffsetDateTime::from_unix_timestamp(self.now()).expect("time"),
        );
        let signature = handshake
            .respond(
                &srp::ClaimIdentity::user(&pool_name, &user_id),
                &srp::Password::new(password),
                &srp::PasswordVerifierChallenge {
                    salt: p.get("SALT").unwrap_or_default(),
                    srp_b: p.get("SRP_B").unwrap_or_default(),
                    secret_block: p.get("SECRET_BLOCK").unwrap_or_default(),
                },
                &timestamp,
            )
            .unwrap_or_default();
        SecretMap::of(&[
            ("USERNAME", &user_id),
            (
                "PASSWORD_CLAIM_SECRET_BLOCK",
                p.get("SECRET_BLOCK").unwrap_or_default(),
            ),
            ("PASSWORD_CLAIM_SIGNATURE", &signature),
            ("TIMESTAMP", &timestamp),
        ])
    }

    /// USER_PASSWORD_AUTH.
    pub async fn password_sign_in(
        &self,
        client: &str,
        login: &str,
        password: &str,
    ) -> Result<AuthResponse, Error> {
        self.service
            .sign_in()
            .initiate_auth(InitiateAuthRequest {
                client_id: client.into(),
                auth_flow: "USER_PASSWORD_AUTH".into(),
                auth_parameters: SecretMap::of(&[("USERNAME", login), ("PASSWORD", password)]),
                ..Default::default()
            })
            .await
    }
}

/// The stored record of `username` (a case-sensitive pool's user), read from the store itself.
pub async fn stored_user(store: &dyn Store, pool: &str, username: &str) -> user_pool_model::User {
    let id = user_pool_model::UserPoolId::parse(pool).unwrap();
    let key = user_pool_model::CaseRule::Sensitive.username_key(username);
    store.get_user(&id, &key).await.unwrap().unwrap()
}

/// The tokens of a completed sign-in.
pub fn tokens(r: &AuthResponse) -> &AuthenticationResult {
    r.authentication_result.as_ref().expect("tokens")
}

/// Asserts an error's exception name and message.
#[track_caller]
pub fn assert_error<T: std::fmt::Debug>(r: Result<T, Error>, name: &str, message: &str) {
    match r {
        Err(e) => assert_eq!((e.exception_name(), e.message()), (name, message)),
        Ok(v) => panic!("expected {name}, got {v:?}"),
    }
}

/// Asserts only the exception name.
#[track_caller]
pub fn assert_kind<T: std::fmt::Debug>(r: Result<T, Error>, name: &str) {
    match r {
        Err(e) => assert_eq!(e.exception_name(), name, "{e}"),
        Ok(v) => panic!("expected {name}, got {v:?}"),
    }
}

/// The claims of a JWT, unverified (to look at them).
pub fn claims(token: &str) -> serde_json::Value {
    use base64::Engine as _;
    let payload = token.split('.').nth(1).expect("payload");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("b64");
    serde_json::from_slice(&bytes).expect("json")
}
