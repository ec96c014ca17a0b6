//! The `userpool` crate's integration tests: its building blocks composed as the operations
//! will compose them.

use std::collections::BTreeMap;

use auth_flow_state_machine::{
    Account, FlowContext, FlowError, FlowSettings, Initiate, PendingChallenge, PhantomKey, Step,
    sealed_state,
};
use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use user_pool_model::{
    AppClient, ClientId, PasswordRecord, PoolConfig, PreventUserExistenceErrors, Sub, User,
    UserPoolId, UserStatus,
};
use userpool::{Error, MasterKey, Purpose, Sealer};

/// A PASSWORD_VERIFIER challenge sealed with the session sealer travels in SECRET_BLOCK; a
/// client's unchanged echo opens and verifies; a block sealed for another pool does not
/// open; every refusal maps to Cognito's exception.
#[test]
fn sealed_srp_sign_in() {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let pool =
        PoolConfig::new(UserPoolId::parse("us-east-1_AbCdEf123").expect("id"), "p").expect("pool");
    let client =
        AppClient::new(ClientId::parse("client1").expect("id"), "web", None).expect("client");
    let settings = FlowSettings::new(PhantomKey::new([1; 32]));
    let master = MasterKey::new([9; 32]);
    let sealer = Sealer::new(&master, Purpose::Session, pool.id.as_str());
    let now = 1_793_000_000;
    let password = srp::Password::new("Passw0rd!");
    let (salt, verifier) = srp::generate_verifier("AbCdEf123", "alice", &password, &mut rng);
    let mut user = User::new("alice", Sub::generate(&mut rng), UserStatus::Confirmed, now);
    user.password = Some(PasswordRecord {
        salt: salt.as_bytes().to_vec(),
        verifier: Vec::new(),
        set_at: now,
        expires_at: None,
    });
    let account = Account {
        verifier: Some(verifier),
        ..Account::new(&user)
    };

    let client_srp = srp::ClientHandshake::start(&mut rng).expect("client");
    let params: BTreeMap<String, String> = [
        ("USERNAME", "alice".to_owned()),
        ("SRP_A", client_srp.srp_a()),
    ]
    .map(|(k, v)| (k.to_owned(), v))
    .into();
    let mut nonce = [0u8; 12];
    rng.fill_bytes(&mut nonce);
    let mut rng2 = rng.clone();
    let mut cx = FlowContext {
        now,
        rng: &mut rng2,
        pool: &pool,
        client: &client,
        settings: &settings,
        admin: false,
    };
    let Ok(Initiate::SignIn(sign_in)) = Initiate::parse("USER_SRP_AUTH", &params, &client, false)
    else {
        panic!("sign in");
    };
    let Step::Challenge(challenge) = sign_in.start(Some(&account), &mut cx).expect("start").step
    else {
        panic!("challenge");
    };
    let out = challenge
        .render(|b| sealer.seal(b, b"", nonce))
        .expect("render");
    let p = &out.parameters;
    let timestamp =
        srp::format_timestamp(srp::time::OffsetDateTime::from_unix_timestamp(now).expect("time"));
    let signature = client_srp
        .respond(
            &srp::ClaimIdentity::user("AbCdEf123", &p["USER_ID_FOR_SRP"]),
            &password,
            &srp::PasswordVerifierChallenge {
                salt: &p["SALT"],
                srp_b: &p["SRP_B"],
                secret_block: &p["SECRET_BLOCK"],
            },
            &timestamp,
        )
        .expect("sign");
    let responses: BTreeMap<String, String> = [
        ("USERNAME", "alice".to_owned()),
        ("PASSWORD_CLAIM_SECRET_BLOCK", p["SECRET_BLOCK"].clone()),
        ("PASSWORD_CLAIM_SIGNATURE", signature),
        ("TIMESTAMP", timestamp),
    ]
    .map(|(k, v)| (k.to_owned(), v))
    .into();
    let sealed = sealed_state("PASSWORD_VERIFIER", None, &responses).expect("locate");
    let foreign = Sealer::new(&master, Purpose::Session, "us-east-1_Other0000");
    assert!(
        foreign.open(&sealed, b"").is_err(),
        "another pool's key does not open it"
    );
    let opened = sealer.open(&sealed, b"").expect("open");
    let pending = PendingChallenge::open(&opened, &cx).expect("pending");
    let done = pending
        .respond("PASSWORD_VERIFIER", &responses, Some(&account), 0, &mut cx)
        .expect("verified");
    assert!(matches!(done.step, Step::Authenticated(_)));

    let refused = Error::from_flow(
        &FlowError::InvalidSession,
        PreventUserExistenceErrors::Enabled,
    );
    assert_eq!(
        (refused.exception_name(), refused.message()),
        ("NotAuthorizedException", "Invalid session for the user.")
    );
}
