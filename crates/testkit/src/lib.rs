//! What userpool's end-to-end tests share: a running server driven by the real Rust AWS SDK.
//!
//! * [`pool_and_client`]: a pool (email auto-verified) and a client allowing SRP, password,
//!   custom and refresh sign-in (optionally with refresh-token rotation).
//! * [`sign_up`]: SignUp with an email attribute.
//! * [`dev_code`]: the latest code the server sent, read from its development outbox
//!   ([`dev_messages_url`]).
//! * [`srp_sign_in`]: USER_SRP_AUTH with our SRP client and the SDK's calls — step 1 and step 2
//!   may go to different servers.
//! * [`oauth`]: a pool with a domain, OAuth clients, confirmed users, and the hosted sign-in
//!   driven over plain HTTP (CSRF token and cookies included).
//!
//! Test support: failures panic with what failed.
//!
//! ```
//! assert_eq!(
//!     userpool_testkit::dev_messages_url("http://127.0.0.1:9229", "us-east-1_Ab1", "alice"),
//!     "http://127.0.0.1:9229/_dev/messages?pool_id=us-east-1_Ab1&username=alice"
//! );
//! ```

#![forbid(unsafe_code)]
#![allow(clippy::expect_used, clippy::panic, reason = "test support")]

pub mod oauth;

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::types::{
    AttributeType, AuthFlowType, AuthenticationResultType, ChallengeNameType,
    ExplicitAuthFlowsType, FeatureType, RefreshTokenRotationType, VerifiedAttributeType,
};

/// A password the default policy accepts.
pub const PASSWORD: &str = "Corr3ct-Horse!";

/// Where the development outbox lists the messages sent to `username`.
pub fn dev_messages_url(endpoint: &str, pool: &str, username: &str) -> String {
    format!("{endpoint}/_dev/messages?pool_id={pool}&username={username}")
}

/// The latest code sent to `username`, from the server's development outbox.
pub async fn dev_code(
    http: &reqwest::Client,
    endpoint: &str,
    pool: &str,
    username: &str,
) -> String {
    let body: serde_json::Value = http
        .get(dev_messages_url(endpoint, pool, username))
        .send()
        .await
        .expect("outbox")
        .json()
        .await
        .expect("json");
    body["messages"]
        .as_array()
        .and_then(|m| m.last())
        .and_then(|m| m["code"].as_str())
        .expect("a code")
        .to_owned()
}

/// A pool (email auto-verified) and a client allowing SRP, password, custom and refresh
/// sign-in; with `rotation`, refresh tokens rotate (60 s grace).
pub async fn pool_and_client(sdk: &Client, rotation: bool) -> (String, String) {
    let pool = sdk
        .create_user_pool()
        .pool_name("testkit-pool")
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .send()
        .await
        .expect("CreateUserPool")
        .user_pool
        .and_then(|p| p.id)
        .expect("pool id");
    let mut client = sdk
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("testkit-client")
        .set_explicit_auth_flows(Some(vec![
            ExplicitAuthFlowsType::AllowUserSrpAuth,
            ExplicitAuthFlowsType::AllowUserPasswordAuth,
            ExplicitAuthFlowsType::AllowCustomAuth,
            ExplicitAuthFlowsType::AllowRefreshTokenAuth,
        ]));
    if rotation {
        client = client.refresh_token_rotation(
            RefreshTokenRotationType::builder()
                .feature(FeatureType::Enabled)
                .retry_grace_period_seconds(60)
                .build()
                .expect("rotation"),
        );
    }
    let client = client
        .send()
        .await
        .expect("CreateUserPoolClient")
        .user_pool_client
        .and_then(|c| c.client_id)
        .expect("client id");
    (pool, client)
}

/// SignUp with [`PASSWORD`] and the email `<username>@example.com`; whether the user came
/// out confirmed, or the error as text.
pub async fn sign_up(sdk: &Client, client: &str, username: &str) -> Result<bool, String> {
    sdk.sign_up()
        .client_id(client)
        .username(username)
        .password(PASSWORD)
        .user_attributes(
            AttributeType::builder()
                .name("email")
                .value(format!("{username}@example.com"))
                .build()
                .expect("attribute"),
        )
        .send()
        .await
        .map(|out| out.user_confirmed)
        .map_err(|e| format!("{:?}", e.into_service_error()))
}

/// USER_SRP_AUTH for `username` with `password`: InitiateAuth through `step1`, the
/// PASSWORD_VERIFIER answer (signed for `now`, unix seconds) through `step2`.
#[allow(
    clippy::too_many_arguments,
    reason = "one call per sign-in, every part named"
)]
pub async fn srp_sign_in(
    step1: &Client,
    step2: &Client,
    client: &str,
    pool: &str,
    username: &str,
    password: &str,
    now: i64,
    rng: &mut impl rand_core::CryptoRng,
) -> AuthenticationResultType {
    let handshake = srp::ClientHandshake::start(rng).expect("SRP client");
    let challenge = step1
        .initiate_auth()
        .client_id(client)
        .auth_flow(AuthFlowType::UserSrpAuth)
        .auth_parameters("USERNAME", username)
        .auth_parameters("SRP_A", handshake.srp_a())
        .send()
        .await
        .expect("InitiateAuth USER_SRP_AUTH");
    assert_eq!(
        challenge.challenge_name,
        Some(ChallengeNameType::PasswordVerifier)
    );
    let p = challenge.challenge_parameters.unwrap_or_default();
    let param = |name: &str| p.get(name).map(String::as_str).unwrap_or_default();
    let timestamp = srp::format_timestamp(
        srp::time::OffsetDateTime::from_unix_timestamp(now).expect("timestamp"),
    );
    let pool_name = pool.split_once('_').map_or("", |(_, n)| n);
    let signature = handshake
        .respond(
            &srp::ClaimIdentity::user(pool_name, param("USER_ID_FOR_SRP")),
            &srp::Password::new(password),
            &srp::PasswordVerifierChallenge {
                salt: param("SALT"),
                srp_b: param("SRP_B"),
                secret_block: param("SECRET_BLOCK"),
            },
            &timestamp,
        )
        .expect("PASSWORD_CLAIM_SIGNATURE");
    step2
        .respond_to_auth_challenge()
        .client_id(client)
        .challenge_name(ChallengeNameType::PasswordVerifier)
        .challenge_responses("USERNAME", param("USER_ID_FOR_SRP"))
        .challenge_responses("PASSWORD_CLAIM_SECRET_BLOCK", param("SECRET_BLOCK"))
        .challenge_responses("PASSWORD_CLAIM_SIGNATURE", signature)
        .challenge_responses("TIMESTAMP", timestamp)
        .send()
        .await
        .expect("RespondToAuthChallenge PASSWORD_VERIFIER")
        .authentication_result
        .expect("tokens")
}
