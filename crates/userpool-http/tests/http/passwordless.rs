//! USER_AUTH through the official Rust AWS SDK: a one-time code by email (read from the dev
//! outbox), passkey registration and sign-in with a software authenticator (`none` and
//! `packed` attestation), SELECT_CHALLENGE, GetUserAuthFactors, and the WebAuthn errors.

use std::collections::HashMap;

use aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata;
use aws_sdk_cognitoidentityprovider::types::{
    AuthFactorType, AuthFlowType, ChallengeNameType, ExplicitAuthFlowsType, SignInPolicyType,
    UserPoolPolicyType, WebAuthnConfigurationType,
};
use aws_smithy_types::{Document, Number};
use webauthn_rp::{SoftAttestation, SoftAuthenticator};

use crate::sdk::{Server, serve};

/// The origin of the app the passkeys are used from (the client's callback origin).
pub const ORIGIN: &str = "http://localhost:3000";

fn to_json(d: &Document) -> serde_json::Value {
    match d {
        Document::Object(m) => m.iter().map(|(k, v)| (k.clone(), to_json(v))).collect(),
        Document::Array(a) => a.iter().map(to_json).collect(),
        Document::Number(Number::PosInt(n)) => (*n).into(),
        Document::Number(Number::NegInt(n)) => (*n).into(),
        Document::Number(Number::Float(f)) => (*f).into(),
        Document::String(s) => s.clone().into(),
        Document::Bool(b) => (*b).into(),
        Document::Null => serde_json::Value::Null,
    }
}

fn to_document(v: &serde_json::Value) -> Document {
    match v {
        serde_json::Value::Object(m) => Document::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), to_document(v)))
                .collect::<HashMap<_, _>>(),
        ),
        serde_json::Value::Array(a) => Document::Array(a.iter().map(to_document).collect()),
        serde_json::Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Document::Number(Number::PosInt(u)),
            (None, Some(i)) => Document::Number(Number::NegInt(i)),
            _ => Document::Number(Number::Float(n.as_f64().unwrap_or_default())),
        },
        serde_json::Value::String(s) => Document::String(s.clone()),
        serde_json::Value::Bool(b) => Document::Bool(*b),
        serde_json::Value::Null => Document::Null,
    }
}

/// A pool allowing every first factor, passkeys for RP `localhost`, a client with USER_AUTH
/// and a callback on ORIGIN, and a confirmed user `alice` (verified email).
pub async fn passwordless_pool(s: &Server) -> (String, String) {
    let pool = s
        .sdk
        .create_user_pool()
        .pool_name("passwordless")
        .auto_verified_attributes(
            aws_sdk_cognitoidentityprovider::types::VerifiedAttributeType::Email,
        )
        .user_pool_tier(aws_sdk_cognitoidentityprovider::types::UserPoolTierType::Essentials)
        .policies(
            UserPoolPolicyType::builder()
                .sign_in_policy(
                    SignInPolicyType::builder()
                        .allowed_first_auth_factors(AuthFactorType::Password)
                        .allowed_first_auth_factors(AuthFactorType::EmailOtp)
                        .allowed_first_auth_factors(AuthFactorType::WebAuthn)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("CreateUserPool")
        .user_pool
        .and_then(|p| p.id)
        .expect("pool id");
    let described = s
        .sdk
        .describe_user_pool()
        .user_pool_id(&pool)
        .send()
        .await
        .expect("DescribeUserPool")
        .user_pool
        .expect("pool");
    assert_eq!(
        described.user_pool_tier,
        Some(aws_sdk_cognitoidentityprovider::types::UserPoolTierType::Essentials)
    );
    assert_eq!(
        described
            .policies
            .and_then(|p| p.sign_in_policy)
            .map(|p| p.allowed_first_auth_factors.unwrap_or_default()),
        Some(vec![
            AuthFactorType::Password,
            AuthFactorType::EmailOtp,
            AuthFactorType::WebAuthn
        ])
    );
    let mfa = s
        .sdk
        .set_user_pool_mfa_config()
        .user_pool_id(&pool)
        .web_authn_configuration(
            WebAuthnConfigurationType::builder()
                .relying_party_id("localhost")
                .user_verification(
                    aws_sdk_cognitoidentityprovider::types::UserVerificationType::Preferred,
                )
                .build(),
        )
        .send()
        .await
        .expect("SetUserPoolMfaConfig");
    assert_eq!(
        mfa.web_authn_configuration.and_then(|w| w.relying_party_id),
        Some("localhost".into())
    );
    let client = s
        .sdk
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("web")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .callback_urls(format!("{ORIGIN}/callback"))
        .send()
        .await
        .expect("CreateUserPoolClient")
        .user_pool_client
        .and_then(|c| c.client_id)
        .expect("client id");
    s.user(&pool, &client, "alice").await;
    (pool, client)
}

#[tokio::test]
async fn email_otp_and_passkeys_through_the_sdk() {
    let s = serve().await;
    let (pool, client) = passwordless_pool(&s).await;

    // EMAIL_OTP as the preferred challenge, the code from the dev outbox.
    let otp = s
        .sdk
        .initiate_auth()
        .client_id(&client)
        .auth_flow(AuthFlowType::UserAuth)
        .auth_parameters("USERNAME", "alice")
        .auth_parameters("PREFERRED_CHALLENGE", "EMAIL_OTP")
        .send()
        .await
        .expect("InitiateAuth");
    assert_eq!(otp.challenge_name, Some(ChallengeNameType::EmailOtp));
    let params = otp.challenge_parameters.clone().unwrap_or_default();
    assert_eq!(params["CODE_DELIVERY_DELIVERY_MEDIUM"], "EMAIL");
    let code = s.code(&pool, "alice").await;
    let wrong = s
        .sdk
        .respond_to_auth_challenge()
        .client_id(&client)
        .challenge_name(ChallengeNameType::EmailOtp)
        .session(otp.session.clone().expect("session"))
        .challenge_responses("USERNAME", "alice")
        .challenge_responses(
            "EMAIL_OTP_CODE",
            if code == "000000" { "000001" } else { "000000" },
        )
        .send()
        .await
        .expect_err("a wrong code");
    assert_eq!(wrong.code(), Some("CodeMismatchException"));
    let tokens = s
        .sdk
        .respond_to_auth_challenge()
        .client_id(&client)
        .challenge_name(ChallengeNameType::EmailOtp)
        .session(otp.session.expect("session"))
        .challenge_responses("USERNAME", "alice")
        .challenge_responses("EMAIL_OTP_CODE", code)
        .send()
        .await
        .expect("RespondToAuthChallenge")
        .authentication_result
        .expect("tokens");
    let access = tokens.access_token.expect("access token");

    // Register passkeys: `none`, then `packed`.
    let mut authenticators = Vec::new();
    for (i, attestation) in [SoftAttestation::None, SoftAttestation::Packed]
        .into_iter()
        .enumerate()
    {
        let start = s
            .sdk
            .start_web_authn_registration()
            .access_token(&access)
            .send()
            .await
            .expect("StartWebAuthnRegistration");
        let options = to_json(&start.credential_creation_options);
        assert_eq!(options["rp"]["id"], "localhost");
        assert_eq!(options["authenticatorSelection"]["residentKey"], "required");
        let auth = SoftAuthenticator::new([7 + i as u8; 32], format!("passkey-{i}").as_bytes());
        let credential = auth.register(&options, ORIGIN, attestation, None);
        s.sdk
            .complete_web_authn_registration()
            .access_token(&access)
            .credential(to_document(&credential))
            .send()
            .await
            .expect("CompleteWebAuthnRegistration");
        // The same challenge twice: spent.
        let again = s
            .sdk
            .complete_web_authn_registration()
            .access_token(&access)
            .credential(to_document(&credential))
            .send()
            .await
            .expect_err("single use");
        assert_eq!(again.code(), Some("WebAuthnChallengeNotFoundException"));
        authenticators.push(auth);
    }
    // A page on another origin cannot register one.
    let start = s
        .sdk
        .start_web_authn_registration()
        .access_token(&access)
        .send()
        .await
        .expect("StartWebAuthnRegistration");
    let options = to_json(&start.credential_creation_options);
    let elsewhere = SoftAuthenticator::new([20; 32], b"elsewhere").register(
        &options,
        "https://evil.example",
        SoftAttestation::None,
        None,
    );
    let refused = s
        .sdk
        .complete_web_authn_registration()
        .access_token(&access)
        .credential(to_document(&elsewhere))
        .send()
        .await
        .expect_err("origin");
    assert_eq!(refused.code(), Some("WebAuthnOriginNotAllowedException"));
    let wrong_rp = SoftAuthenticator::new([21; 32], b"wrong-rp").register(
        &options,
        ORIGIN,
        SoftAttestation::None,
        Some("example.com"),
    );
    let refused = s
        .sdk
        .complete_web_authn_registration()
        .access_token(&access)
        .credential(to_document(&wrong_rp))
        .send()
        .await
        .expect_err("rp id");
    assert_eq!(
        refused.code(),
        Some("WebAuthnRelyingPartyMismatchException")
    );

    let listed = s
        .sdk
        .list_web_authn_credentials()
        .access_token(&access)
        .send()
        .await
        .expect("ListWebAuthnCredentials");
    assert_eq!(listed.credentials.len(), 2);
    assert_eq!(listed.credentials[0].relying_party_id, "localhost");
    assert_eq!(
        listed.credentials[0].authenticator_attachment.as_deref(),
        Some("platform")
    );
    let factors = s
        .sdk
        .get_user_auth_factors()
        .access_token(&access)
        .send()
        .await
        .expect("GetUserAuthFactors");
    assert_eq!(
        factors.configured_user_auth_factors.unwrap_or_default(),
        vec![
            AuthFactorType::Password,
            AuthFactorType::EmailOtp,
            AuthFactorType::WebAuthn
        ]
    );

    // Sign in with each passkey through SELECT_CHALLENGE.
    for auth in &mut authenticators {
        let select = s
            .sdk
            .initiate_auth()
            .client_id(&client)
            .auth_flow(AuthFlowType::UserAuth)
            .auth_parameters("USERNAME", "alice")
            .send()
            .await
            .expect("InitiateAuth");
        assert_eq!(
            select.challenge_name,
            Some(ChallengeNameType::SelectChallenge)
        );
        assert_eq!(
            select.available_challenges.clone().unwrap_or_default(),
            vec![
                ChallengeNameType::Password,
                ChallengeNameType::PasswordSrp,
                ChallengeNameType::EmailOtp,
                ChallengeNameType::WebAuthn
            ]
        );
        let web = s
            .sdk
            .respond_to_auth_challenge()
            .client_id(&client)
            .challenge_name(ChallengeNameType::SelectChallenge)
            .session(select.session.expect("session"))
            .challenge_responses("USERNAME", "alice")
            .challenge_responses("ANSWER", "WEB_AUTHN")
            .send()
            .await
            .expect("SELECT_CHALLENGE");
        assert_eq!(web.challenge_name, Some(ChallengeNameType::WebAuthn));
        let options: serde_json::Value = serde_json::from_str(
            &web.challenge_parameters.unwrap_or_default()["CREDENTIAL_REQUEST_OPTIONS"],
        )
        .expect("options");
        assert_eq!(
            options["allowCredentials"].as_array().map(Vec::len),
            Some(2)
        );
        let assertion = auth.authenticate(&options, ORIGIN, None);
        let done = s
            .sdk
            .respond_to_auth_challenge()
            .client_id(&client)
            .challenge_name(ChallengeNameType::WebAuthn)
            .session(web.session.expect("session"))
            .challenge_responses("USERNAME", "alice")
            .challenge_responses("CREDENTIAL", assertion.to_string())
            .send()
            .await
            .expect("WEB_AUTHN");
        assert!(
            done.authentication_result
                .and_then(|r| r.id_token)
                .is_some()
        );
    }

    // A replayed assertion (counter did not grow) is refused.
    let web = s
        .sdk
        .initiate_auth()
        .client_id(&client)
        .auth_flow(AuthFlowType::UserAuth)
        .auth_parameters("USERNAME", "alice")
        .auth_parameters("PREFERRED_CHALLENGE", "WEB_AUTHN")
        .send()
        .await
        .expect("InitiateAuth");
    let options: serde_json::Value = serde_json::from_str(
        &web.challenge_parameters.unwrap_or_default()["CREDENTIAL_REQUEST_OPTIONS"],
    )
    .expect("options");
    let mut stale = authenticators[0].clone();
    stale.counter -= 1;
    let refused = s
        .sdk
        .respond_to_auth_challenge()
        .client_id(&client)
        .challenge_name(ChallengeNameType::WebAuthn)
        .session(web.session.expect("session"))
        .challenge_responses("USERNAME", "alice")
        .challenge_responses(
            "CREDENTIAL",
            stale.authenticate(&options, ORIGIN, None).to_string(),
        )
        .send()
        .await
        .expect_err("cloned authenticator");
    assert_eq!(refused.code(), Some("NotAuthorizedException"));

    // Delete one.
    s.sdk
        .delete_web_authn_credential()
        .access_token(&access)
        .credential_id(&listed.credentials[0].credential_id)
        .send()
        .await
        .expect("DeleteWebAuthnCredential");
    let gone = s
        .sdk
        .delete_web_authn_credential()
        .access_token(&access)
        .credential_id(&listed.credentials[0].credential_id)
        .send()
        .await
        .expect_err("gone");
    assert_eq!(gone.code(), Some("ResourceNotFoundException"));
    let listed = s
        .sdk
        .list_web_authn_credentials()
        .access_token(&access)
        .send()
        .await
        .expect("ListWebAuthnCredentials");
    assert_eq!(listed.credentials.len(), 1);
}

#[tokio::test]
async fn passkeys_need_the_factor_enabled() {
    let s = serve().await;
    let (pool, client) = s.pool_and_client().await;
    s.user(&pool, &client, "bob").await;
    let tokens = s
        .sdk
        .initiate_auth()
        .client_id(&client)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "bob")
        .auth_parameters("PASSWORD", "Corr3ct-Horse!")
        .send()
        .await
        .expect("sign-in")
        .authentication_result
        .expect("tokens");
    let refused = s
        .sdk
        .start_web_authn_registration()
        .access_token(tokens.access_token.expect("access"))
        .send()
        .await
        .expect_err("not enabled");
    assert_eq!(refused.code(), Some("WebAuthnNotEnabledException"));
}
