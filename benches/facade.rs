//! A facade fixture shared by the sign-in benches: a `Service` on any store, with one pool,
//! one client and a user `alice`, and a timed USER_SRP_AUTH sign-in and sign-up.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use time::OffsetDateTime;
use userpool::wire::*;
use userpool::{Clock as _, FixedClock, MasterKey, Service};
use userpool_store::Store;

/// The fixture's virtual clock.
pub const NOW: i64 = 1_793_000_000;
/// `alice`'s password.
pub const PASSWORD: &str = "Corr3ct-Horse!";

/// A service, its pool and client, and the client's RNG.
#[derive(Debug)]
pub struct Fixture {
    /// The runtime the service's futures run on.
    pub runtime: tokio::runtime::Runtime,
    /// The service.
    pub service: Service,
    /// The pool id.
    pub pool: String,
    /// The app client id.
    pub client: String,
    /// The client's RNG.
    pub rng: ChaCha20Rng,
    /// The service's clock (starts at [`NOW`]).
    pub clock: Arc<FixedClock>,
    signed_up: u64,
    /// The refresh token of the last sign-in.
    refresh_token: Option<SecretString>,
}

impl Fixture {
    /// A fixture on a current-thread runtime and `MemoryStore`.
    pub fn in_memory() -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        Self::new(runtime, Arc::new(userpool_store::MemoryStore::new()))
    }

    /// A fixture on `store` (created inside `runtime`).
    pub fn new(runtime: tokio::runtime::Runtime, store: Arc<dyn Store>) -> Self {
        Self::with_pool(runtime, store, |_| {})
    }

    /// A fixture on `store` whose pool is created with what `pool` sets.
    pub fn with_pool(
        runtime: tokio::runtime::Runtime,
        store: Arc<dyn Store>,
        pool: impl FnOnce(&mut UserPoolRequest),
    ) -> Self {
        let clock = Arc::new(FixedClock::new(NOW));
        let service = Service::builder(store, MasterKey::new([7; 32]))
            .clock(clock.clone())
            .rng(ChaCha20Rng::seed_from_u64(1))
            .signing_algorithm(jwt_tokens::Algorithm::RS256)
            .build()
            .expect("service");
        let (pool, client) = runtime.block_on(async {
            let mut request = UserPoolRequest {
                pool_name: "bench".into(),
                ..Default::default()
            };
            pool(&mut request);
            let pool = service
                .admin()
                .create_user_pool(request)
                .await
                .expect("pool")
                .user_pool
                .id;
            let client = service
                .admin()
                .create_user_pool_client(UserPoolClientRequest {
                    user_pool_id: pool.clone(),
                    client_name: Some("bench".into()),
                    ..Default::default()
                })
                .await
                .expect("client")
                .user_pool_client
                .client_id;
            service
                .accounts()
                .admin_create_user(AdminCreateUserRequest {
                    user_pool_id: pool.clone(),
                    username: "alice".into(),
                    message_action: Some("SUPPRESS".into()),
                    ..Default::default()
                })
                .await
                .expect("user");
            service
                .accounts()
                .admin_set_user_password(AdminSetUserPasswordRequest {
                    user_pool_id: pool.clone(),
                    username: "alice".into(),
                    password: PASSWORD.into(),
                    permanent: true,
                })
                .await
                .expect("password");
            (pool, client)
        });
        Self {
            runtime,
            service,
            pool,
            client,
            rng: ChaCha20Rng::seed_from_u64(2),
            clock,
            signed_up: 0,
            refresh_token: None,
        }
    }

    /// One sign-in; returns the server's time (the two calls), not the client's.
    pub fn sign_in(&mut self) -> Duration {
        let f = self;
        let handshake = srp::ClientHandshake::start(&mut f.rng).expect("client");
        let request = InitiateAuthRequest {
            client_id: f.client.clone(),
            auth_flow: "USER_SRP_AUTH".into(),
            auth_parameters: SecretMap::of(&[("USERNAME", "alice"), ("SRP_A", &handshake.srp_a())]),
            ..Default::default()
        };
        let t0 = Instant::now();
        let challenge = f
            .runtime
            .block_on(f.service.sign_in().initiate_auth(request))
            .expect("challenge");
        let first = t0.elapsed();
        let p = &challenge.challenge_parameters;
        let user = p.get("USER_ID_FOR_SRP").unwrap_or_default().to_owned();
        let pool_name = f.pool.split_once('_').map_or("", |(_, n)| n).to_owned();
        let timestamp = srp::format_timestamp(
            OffsetDateTime::from_unix_timestamp(f.clock.now()).expect("time"),
        );
        let signature = handshake
            .respond(
                &srp::ClaimIdentity::user(&pool_name, &user),
                &srp::Password::new(PASSWORD),
                &srp::PasswordVerifierChallenge {
                    salt: p.get("SALT").unwrap_or_default(),
                    srp_b: p.get("SRP_B").unwrap_or_default(),
                    secret_block: p.get("SECRET_BLOCK").unwrap_or_default(),
                },
                &timestamp,
            )
            .expect("signature");
        let answer = RespondToAuthChallengeRequest {
            client_id: f.client.clone(),
            challenge_name: "PASSWORD_VERIFIER".into(),
            challenge_responses: SecretMap::of(&[
                ("USERNAME", &user),
                (
                    "PASSWORD_CLAIM_SECRET_BLOCK",
                    p.get("SECRET_BLOCK").unwrap_or_default(),
                ),
                ("PASSWORD_CLAIM_SIGNATURE", &signature),
                ("TIMESTAMP", &timestamp),
            ]),
            ..Default::default()
        };
        let t1 = Instant::now();
        let done = f
            .runtime
            .block_on(f.service.sign_in().respond_to_auth_challenge(answer))
            .expect("tokens");
        let second = t1.elapsed();
        f.refresh_token = done
            .authentication_result
            .and_then(|r| r.refresh_token)
            .or_else(|| f.refresh_token.take());
        assert!(f.refresh_token.is_some());
        first + second
    }

    /// One REFRESH_TOKEN_AUTH with the last sign-in's refresh token (signs in first if there
    /// was none); returns the server's time.
    pub fn refresh(&mut self) -> Duration {
        if self.refresh_token.is_none() {
            self.sign_in();
        }
        let token = self
            .refresh_token
            .as_ref()
            .map(|t| t.expose_secret().to_owned())
            .unwrap_or_default();
        let request = InitiateAuthRequest {
            client_id: self.client.clone(),
            auth_flow: "REFRESH_TOKEN_AUTH".into(),
            auth_parameters: SecretMap::of(&[("REFRESH_TOKEN", &token)]),
            ..Default::default()
        };
        let t0 = Instant::now();
        let done = self
            .runtime
            .block_on(self.service.sign_in().initiate_auth(request))
            .expect("refresh");
        let took = t0.elapsed();
        assert!(done.authentication_result.is_some());
        took
    }

    /// One SignUp of a new user (with an email); returns the server's time.
    pub fn sign_up(&mut self) -> Duration {
        self.signed_up += 1;
        let username = format!("bench-user-{}", self.signed_up);
        let request = SignUpRequest {
            client_id: self.client.clone(),
            username: username.clone(),
            password: PASSWORD.into(),
            user_attributes: vec![Attribute::new("email", format!("{username}@example.com"))],
            ..Default::default()
        };
        let t0 = Instant::now();
        self.runtime
            .block_on(self.service.accounts().sign_up(request))
            .expect("sign-up");
        t0.elapsed()
    }
}
