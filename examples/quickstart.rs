//! Quickstart: a pool and an app client in memory, sign-up, confirmation with the code from
//! the development outbox, a USER_SRP_AUTH sign-in (the client side done with the `srp`
//! crate, as amazon-cognito-identity-js would), a refresh, and the ID token verified with
//! nothing but the pool's published JWKS.
//!
//! ```sh
//! cargo run --example quickstart
//! ```

use std::error::Error;
use std::sync::Arc;

use userpool::wire::*;
use userpool::{MasterKey, Outbox, Service, SystemClock};
use userpool_store::MemoryStore;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    let outbox = Arc::new(Outbox::new());
    // A real deployment loads the master key from its secret store.
    let master = MasterKey::new(rand::random());
    let service = Service::builder(Arc::new(MemoryStore::new()), master)
        .sender(outbox.clone())
        .clock(Arc::new(SystemClock))
        .build()?;

    let pool = service
        .admin()
        .create_user_pool(UserPoolRequest {
            pool_name: "quickstart".into(),
            auto_verified_attributes: vec!["email".into()],
            ..Default::default()
        })
        .await?
        .user_pool;
    println!(
        "1. created pool {} (RS256 keys generated and sealed)",
        pool.id
    );
    let client = service
        .admin()
        .create_user_pool_client(UserPoolClientRequest {
            user_pool_id: pool.id.clone(),
            client_name: Some("web".into()),
            ..Default::default()
        })
        .await?
        .user_pool_client;
    println!(
        "2. created app client {} with flows {:?}",
        client.client_id, client.explicit_auth_flows
    );

    let password = "Corr3ct-Horse-Battery!";
    let signed_up = service
        .accounts()
        .sign_up(SignUpRequest {
            client_id: client.client_id.clone(),
            username: "alice".into(),
            password: password.into(),
            user_attributes: vec![Attribute::new("email", "alice@example.com")],
            ..Default::default()
        })
        .await?;
    let delivery = signed_up.code_delivery_details.unwrap_or_default();
    println!(
        "3. signed up alice (sub {}); code sent by {} to {}",
        signed_up.user_sub, delivery.delivery_medium, delivery.destination
    );

    let code = outbox
        .last_code(&pool.id, "alice")
        .ok_or("no code in the outbox")?;
    service
        .accounts()
        .confirm_sign_up(ConfirmSignUpRequest {
            client_id: client.client_id.clone(),
            username: "alice".into(),
            confirmation_code: code.as_str().into(),
            ..Default::default()
        })
        .await?;
    println!("4. confirmed alice with the code from the outbox");

    // USER_SRP_AUTH: the password never leaves the client.
    let mut rng = rand::rng();
    let handshake = srp::ClientHandshake::start(&mut rng)?;
    let challenge = service
        .sign_in()
        .initiate_auth(InitiateAuthRequest {
            client_id: client.client_id.clone(),
            auth_flow: "USER_SRP_AUTH".into(),
            auth_parameters: SecretMap::of(&[("USERNAME", "alice"), ("SRP_A", &handshake.srp_a())]),
            ..Default::default()
        })
        .await?;
    let p = &challenge.challenge_parameters;
    println!(
        "5. InitiateAuth answered {}",
        challenge.challenge_name.as_deref().unwrap_or("?")
    );
    let user_id = p.get("USER_ID_FOR_SRP").unwrap_or_default().to_owned();
    let pool_name = pool.id.split_once('_').map_or("", |(_, n)| n).to_owned();
    let timestamp = srp::format_timestamp(time::OffsetDateTime::now_utc());
    let signature = handshake.respond(
        &srp::ClaimIdentity::user(&pool_name, &user_id),
        &srp::Password::new(password),
        &srp::PasswordVerifierChallenge {
            salt: p.get("SALT").unwrap_or_default(),
            srp_b: p.get("SRP_B").unwrap_or_default(),
            secret_block: p.get("SECRET_BLOCK").unwrap_or_default(),
        },
        &timestamp,
    )?;
    let signed_in = service
        .sign_in()
        .respond_to_auth_challenge(RespondToAuthChallengeRequest {
            client_id: client.client_id.clone(),
            challenge_name: "PASSWORD_VERIFIER".into(),
            challenge_responses: SecretMap::of(&[
                ("USERNAME", &user_id),
                (
                    "PASSWORD_CLAIM_SECRET_BLOCK",
                    p.get("SECRET_BLOCK").unwrap_or_default(),
                ),
                ("PASSWORD_CLAIM_SIGNATURE", &signature),
                ("TIMESTAMP", &timestamp),
            ]),
            ..Default::default()
        })
        .await?;
    let tokens = signed_in.authentication_result.ok_or("expected tokens")?;
    println!(
        "6. signed in with SRP: ID, access and refresh tokens (access expires in {} s)",
        tokens.expires_in
    );

    let refreshed = service
        .tokens()
        .get_tokens_from_refresh_token(GetTokensFromRefreshTokenRequest {
            client_id: client.client_id.clone(),
            refresh_token: tokens.refresh_token.clone().ok_or("no refresh token")?,
            ..Default::default()
        })
        .await?
        .authentication_result;
    println!("7. refreshed: new ID and access tokens in the same lineage");

    // A relying party in another process needs only the JWKS document.
    let view = service.user_pool(&pool.id).await?;
    let jwks_json = view.jwks().to_json();
    let verifier =
        jwt_tokens::Verifier::from_jwks(&jwt_tokens::Jwks::parse(jwks_json.as_bytes())?)?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let claims = verifier.verify(
        refreshed.id_token.expose_secret(),
        &jwt_tokens::Validation::id_token(view.issuer(), client.client_id.as_str()),
        now,
    )?;
    println!(
        "8. verified the ID token with the JWKS ({} keys): iss {}, cognito:username {}, email {}",
        view.jwks().keys.len(),
        view.issuer(),
        claims
            .get("cognito:username")
            .and_then(|v| v.as_str())
            .unwrap_or("?"),
        claims.get("email").and_then(|v| v.as_str()).unwrap_or("?"),
    );
    Ok(())
}
