//! Passwordless sign-in with CUSTOM_AUTH: DefineAuthChallenge, CreateAuthChallenge and
//! VerifyAuthChallengeResponse as Rust closures (a one-time code "emailed" to the user, three
//! tries), and a PreTokenGeneration trigger that adds a claim.
//!
//! ```sh
//! cargo run --example custom-auth
//! ```

use std::error::Error;
use std::sync::{Arc, Mutex};

use custom_auth_triggers::events::*;
use custom_auth_triggers::{
    CreateAuthChallenge, DefineAuthChallenge, PreTokenGeneration, TriggerKind, TriggerRegistry,
    VerifyAuthChallengeResponse, handler_fn,
};
use rand::RngExt as _;
use userpool::wire::*;
use userpool::{MasterKey, Service};
use userpool_store::MemoryStore;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    // Where CreateAuthChallenge "emails" the code (a real trigger would call a mail API).
    let mailbox: Arc<Mutex<Vec<String>>> = Arc::default();
    let sent = mailbox.clone();
    let triggers = TriggerRegistry::new()
        .with(
            TriggerKind::DefineAuthChallenge,
            handler_fn::<DefineAuthChallenge, _, _>(|event| async move {
                let session = &event.request.session;
                let answer = match session.last() {
                    _ if event.request.user_not_found == Some(true) => {
                        DefineAuthChallengeResponse {
                            fail_authentication: true,
                            ..Default::default()
                        }
                    }
                    Some(last)
                        if last.challenge_name == "CUSTOM_CHALLENGE" && last.challenge_result =>
                    {
                        DefineAuthChallengeResponse {
                            issue_tokens: true,
                            ..Default::default()
                        }
                    }
                    _ if session.len() >= 3 => DefineAuthChallengeResponse {
                        fail_authentication: true,
                        ..Default::default()
                    },
                    _ => DefineAuthChallengeResponse {
                        challenge_name: Some("CUSTOM_CHALLENGE".into()),
                        ..Default::default()
                    },
                };
                Ok(answer)
            }),
        )
        .with(
            TriggerKind::CreateAuthChallenge,
            handler_fn::<CreateAuthChallenge, _, _>(move |event| {
                let sent = sent.clone();
                async move {
                    // One code per sign-in: reuse it across retries, as the AWS sample does.
                    let previous = event
                        .request
                        .session
                        .iter()
                        .rev()
                        .find_map(|r| r.challenge_metadata.clone());
                    let code = previous
                        .and_then(|m| m.strip_prefix("CODE-").map(str::to_owned))
                        .unwrap_or_else(|| {
                            format!("{:06}", rand::rng().random_range(0..1_000_000))
                        });
                    let email = event
                        .request
                        .user_attributes
                        .get("email")
                        .cloned()
                        .unwrap_or_default();
                    sent.lock().map_err(|_| "mailbox")?.push(code.clone());
                    println!("   (CreateAuthChallenge: emailed a code to {email})");
                    Ok(CreateAuthChallengeResponse {
                        public_challenge_parameters: [("email".to_owned(), email)].into(),
                        private_challenge_parameters: [("code".to_owned(), code.clone())].into(),
                        challenge_metadata: Some(format!("CODE-{code}")),
                    })
                }
            }),
        )
        .with(
            TriggerKind::VerifyAuthChallengeResponse,
            handler_fn::<VerifyAuthChallengeResponse, _, _>(|event| async move {
                let expected = event.request.private_challenge_parameters.get("code");
                Ok(custom_auth_triggers::events::VerifyAuthChallengeResponse {
                    answer_correct: expected == Some(&event.request.challenge_answer),
                })
            }),
        )
        .with(
            TriggerKind::PreTokenGeneration,
            handler_fn::<PreTokenGeneration, _, _>(|_| async move {
                Ok(PreTokenGenerationResponse {
                    claims_override_details: Some(ClaimsOverrideDetails {
                        claims_to_add_or_override: Some(
                            [("login_method".to_owned(), "email-otp".to_owned())].into(),
                        ),
                        ..Default::default()
                    }),
                    ..Default::default()
                })
            }),
        );

    let service =
        Service::builder(Arc::new(MemoryStore::new()), MasterKey::new(rand::random())).build()?;
    let pool = service
        .admin()
        .create_user_pool(UserPoolRequest {
            pool_name: "passwordless".into(),
            ..Default::default()
        })
        .await?
        .user_pool
        .id;
    service.set_triggers(&pool, triggers)?;
    let client = service
        .admin()
        .create_user_pool_client(UserPoolClientRequest {
            user_pool_id: pool.clone(),
            client_name: Some("app".into()),
            explicit_auth_flows: Some(vec![
                "ALLOW_CUSTOM_AUTH".into(),
                "ALLOW_REFRESH_TOKEN_AUTH".into(),
            ]),
            ..Default::default()
        })
        .await?
        .user_pool_client
        .client_id;
    service
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
        .await?;
    service
        .accounts()
        .admin_set_user_password(AdminSetUserPasswordRequest {
            user_pool_id: pool.clone(),
            username: "alice".into(),
            password: "Unused-Passw0rd!".into(),
            permanent: true,
        })
        .await?;
    println!("1. pool {pool} with Define/Create/Verify/PreTokenGeneration closures; user alice");

    let start = service
        .sign_in()
        .initiate_auth(InitiateAuthRequest {
            client_id: client.clone(),
            auth_flow: "CUSTOM_AUTH".into(),
            auth_parameters: SecretMap::of(&[("USERNAME", "alice")]),
            ..Default::default()
        })
        .await?;
    println!(
        "2. InitiateAuth(CUSTOM_AUTH) → {} for {:?}",
        start.challenge_name.as_deref().unwrap_or("?"),
        start.challenge_parameters.get("email")
    );

    let answer = |session: Option<SecretString>, code: &str| RespondToAuthChallengeRequest {
        client_id: client.clone(),
        challenge_name: "CUSTOM_CHALLENGE".into(),
        session,
        challenge_responses: SecretMap::of(&[("USERNAME", "alice"), ("ANSWER", code)]),
        ..Default::default()
    };
    let retry = service
        .sign_in()
        .respond_to_auth_challenge(answer(start.session.clone(), "000000"))
        .await?;
    println!(
        "3. a wrong code → another {} round",
        retry.challenge_name.as_deref().unwrap_or("?")
    );
    let code = mailbox
        .lock()
        .map_err(|_| "mailbox")?
        .last()
        .cloned()
        .ok_or("no code")?;
    let done = service
        .sign_in()
        .respond_to_auth_challenge(answer(retry.session.clone(), &code))
        .await?;
    let tokens = done.authentication_result.ok_or("expected tokens")?;
    let view = service.user_pool(&pool).await?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let claims = view.verify_id_token(tokens.id_token.expose_secret(), &client, now)?;
    println!(
        "4. the right code → tokens; the ID token says login_method = {}",
        claims
            .get("login_method")
            .and_then(|v| v.as_str())
            .unwrap_or("?")
    );
    Ok(())
}
