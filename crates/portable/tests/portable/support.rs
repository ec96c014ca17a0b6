//! A populated source service and sign-ins against a target.

use std::sync::Arc;

use user_pool_model::Attribute;
use userpool::wire::*;
use userpool::{FixedClock, MasterKey, Service};
use userpool_store::Store;

/// The fixed time every service here runs at.
pub(crate) const NOW: i64 = 1_767_225_600;
/// Alice's password.
pub(crate) const PASSWORD: &str = "Corr3ct-Horse-Battery!";

/// What the source holds.
pub(crate) struct Source {
    pub(crate) pool: String,
    /// A public client allowing USER_PASSWORD_AUTH.
    pub(crate) client: String,
    /// A confidential client and its secret.
    pub(crate) confidential: (String, String),
    /// Alice's TOTP seed (base32).
    pub(crate) totp: String,
}

pub(crate) fn service(store: Arc<dyn Store>, key: [u8; 32], clock: Arc<FixedClock>) -> Service {
    Service::builder(store, MasterKey::new(key))
        .clock(clock)
        .signing_algorithm(jwt_tokens::Algorithm::ES256)
        .build()
        .expect("service")
}

pub(crate) fn totp_code(secret_code: &str, now: i64) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret_code).expect("base32");
    totp_rs::Builder::new()
        .with_secret(secret)
        .build()
        .expect("totp")
        .generate(u64::try_from(now).expect("time"))
        .to_string()
}

async fn password_sign_in(
    service: &Service,
    client: &str,
) -> Result<AuthResponse, userpool::Error> {
    service
        .sign_in()
        .initiate_auth(InitiateAuthRequest {
            client_id: client.into(),
            auth_flow: "USER_PASSWORD_AUTH".into(),
            auth_parameters: SecretMap::of(&[("USERNAME", "alice"), ("PASSWORD", PASSWORD)]),
            ..Default::default()
        })
        .await
}

/// A pool (MFA optional) with a public and a confidential client, a group `admins`, and
/// alice: a permanent password, a verified software token she prefers, in `admins`.
pub(crate) async fn populate(service: &Service, clock: &FixedClock) -> Source {
    let admin = service.admin();
    let pool = admin
        .create_user_pool(UserPoolRequest {
            pool_name: "moving".into(),
            mfa_configuration: Some("OPTIONAL".into()),
            ..Default::default()
        })
        .await
        .expect("pool")
        .user_pool
        .id;
    let client = admin
        .create_user_pool_client(UserPoolClientRequest {
            user_pool_id: pool.clone(),
            client_name: Some("web".into()),
            explicit_auth_flows: Some(vec![
                "ALLOW_USER_PASSWORD_AUTH".into(),
                "ALLOW_REFRESH_TOKEN_AUTH".into(),
            ]),
            ..Default::default()
        })
        .await
        .expect("client")
        .user_pool_client;
    let confidential = admin
        .create_user_pool_client(UserPoolClientRequest {
            user_pool_id: pool.clone(),
            client_name: Some("backend".into()),
            generate_secret: true,
            ..Default::default()
        })
        .await
        .expect("confidential client")
        .user_pool_client;
    let secret = confidential
        .client_secret
        .as_ref()
        .expect("a secret")
        .expose_secret()
        .to_owned();
    service
        .accounts()
        .admin_create_user(AdminCreateUserRequest {
            user_pool_id: pool.clone(),
            username: "alice".into(),
            user_attributes: vec![Attribute::new("email", "alice@example.com")],
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
    admin
        .create_group(GroupRequest {
            user_pool_id: pool.clone(),
            group_name: "admins".into(),
            ..Default::default()
        })
        .await
        .expect("group");
    admin
        .admin_add_user_to_group(GroupMemberRequest {
            user_pool_id: pool.clone(),
            username: "alice".into(),
            group_name: "admins".into(),
        })
        .await
        .expect("membership");

    let signed_in = password_sign_in(service, &client.client_id)
        .await
        .expect("sign-in");
    let access = signed_in
        .authentication_result
        .expect("no MFA yet")
        .access_token;
    let totp = service
        .sign_in()
        .associate_software_token(AssociateSoftwareTokenRequest {
            access_token: Some(access.clone()),
            session: None,
        })
        .await
        .expect("associate")
        .secret_code
        .expose_secret()
        .to_owned();
    service
        .sign_in()
        .verify_software_token(VerifySoftwareTokenRequest {
            access_token: Some(access.clone()),
            user_code: totp_code(&totp, clock_now(clock)).as_str().into(),
            ..Default::default()
        })
        .await
        .expect("verify");
    service
        .sign_in()
        .set_user_mfa_preference(SetUserMfaPreferenceRequest {
            access_token: Some(access),
            software_token_mfa_settings: Some(MfaSettingsType {
                enabled: true,
                preferred_mfa: true,
            }),
            ..Default::default()
        })
        .await
        .expect("preference");
    Source {
        pool,
        client: client.client_id,
        confidential: (confidential.client_id, secret),
        totp,
    }
}

fn clock_now(clock: &FixedClock) -> i64 {
    userpool::Clock::now(clock)
}

/// On `target`: alice signs in with her old password, is asked for her software token and
/// gets tokens with a code from her old seed; she is still in `admins`; the confidential
/// client's secret is the old one.
pub(crate) async fn assert_everything_moved(target: &Service, clock: &FixedClock, source: &Source) {
    clock.advance(60);
    let challenge = password_sign_in(target, &source.client)
        .await
        .expect("the old password works");
    assert_eq!(
        challenge.challenge_name.as_deref(),
        Some("SOFTWARE_TOKEN_MFA"),
        "the TOTP setting moved"
    );
    let answered = target
        .sign_in()
        .respond_to_auth_challenge(RespondToAuthChallengeRequest {
            client_id: source.client.clone(),
            challenge_name: "SOFTWARE_TOKEN_MFA".into(),
            session: challenge.session.clone(),
            challenge_responses: SecretMap::of(&[
                ("USERNAME", "alice"),
                (
                    "SOFTWARE_TOKEN_MFA_CODE",
                    &totp_code(&source.totp, clock_now(clock)),
                ),
            ]),
            ..Default::default()
        })
        .await
        .expect("the old seed's code works");
    assert!(answered.authentication_result.is_some());

    let groups = target
        .admin()
        .admin_list_groups_for_user(ListRequest {
            user_pool_id: Some(source.pool.clone()),
            username: Some("alice".into()),
            ..Default::default()
        })
        .await
        .expect("groups");
    let names: Vec<&str> = groups
        .groups
        .iter()
        .map(|g| g.group_name.as_str())
        .collect();
    assert_eq!(names, ["admins"]);

    let described = target
        .admin()
        .describe_user_pool_client(UserPoolClientIdRequest {
            user_pool_id: source.pool.clone(),
            client_id: source.confidential.0.clone(),
        })
        .await
        .expect("client");
    assert_eq!(
        described
            .user_pool_client
            .client_secret
            .as_ref()
            .map(|s| s.expose_secret().to_owned()),
        Some(source.confidential.1.clone())
    );
}
