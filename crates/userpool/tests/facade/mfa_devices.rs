//! Software tokens, MFA preferences and sign-in with TOTP; remembered devices.

use userpool::wire::*;

use super::support::*;

fn totp_code(secret_code: &str, now: i64) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret_code).expect("base32");
    totp_rs::Builder::new()
        .with_secret(secret)
        .build()
        .expect("totp")
        .generate(u64::try_from(now).expect("time"))
        .to_string()
}

#[tokio::test]
async fn totp_setup_preference_and_sign_in() {
    let mut w = world!();
    let pool = w
        .pool_with(|p| p.mfa_configuration = Some("OPTIONAL".into()))
        .await;
    let client = w.client(&pool).await;
    w.user(&client, "alice", PASSWORD).await;
    let t = tokens(&w.srp_sign_in(&client, "alice", PASSWORD).await.unwrap()).clone();
    let associated = w
        .service
        .sign_in()
        .associate_software_token(AssociateSoftwareTokenRequest {
            access_token: Some(t.access_token.clone()),
            session: None,
        })
        .await
        .expect("associate");
    let secret = associated.secret_code.expose_secret().to_owned();
    assert!(secret.len() >= 16);
    assert_error(
        w.service
            .sign_in()
            .set_user_mfa_preference(SetUserMfaPreferenceRequest {
                access_token: Some(t.access_token.clone()),
                software_token_mfa_settings: Some(MfaSettingsType {
                    enabled: true,
                    preferred_mfa: true,
                }),
                ..Default::default()
            })
            .await,
        "InvalidParameterException",
        "User has not verified software token mfa",
    );
    assert_kind(
        w.service
            .sign_in()
            .verify_software_token(VerifySoftwareTokenRequest {
                access_token: Some(t.access_token.clone()),
                user_code: "000000".into(),
                ..Default::default()
            })
            .await,
        "EnableSoftwareTokenMFAException",
    );
    let verified = w
        .service
        .sign_in()
        .verify_software_token(VerifySoftwareTokenRequest {
            access_token: Some(t.access_token.clone()),
            user_code: totp_code(&secret, w.now()).into(),
            friendly_device_name: Some("phone".into()),
            ..Default::default()
        })
        .await
        .expect("verify");
    assert_eq!(verified.status, "SUCCESS");
    w.service
        .sign_in()
        .set_user_mfa_preference(SetUserMfaPreferenceRequest {
            access_token: Some(t.access_token.clone()),
            software_token_mfa_settings: Some(MfaSettingsType {
                enabled: true,
                preferred_mfa: true,
            }),
            ..Default::default()
        })
        .await
        .expect("preference");
    let me = w
        .service
        .accounts()
        .get_user(AccessTokenRequest {
            access_token: t.access_token.clone(),
        })
        .await
        .unwrap();
    assert_eq!(
        me.preferred_mfa_setting.as_deref(),
        Some("SOFTWARE_TOKEN_MFA")
    );
    assert_eq!(me.user_mfa_setting_list, ["SOFTWARE_TOKEN_MFA"]);

    w.clock.advance(60);
    let challenge = w
        .password_sign_in(&client, "alice", PASSWORD)
        .await
        .expect("challenge");
    assert_eq!(
        challenge.challenge_name.as_deref(),
        Some("SOFTWARE_TOKEN_MFA")
    );
    let answer = |code: String, session: &SecretString| RespondToAuthChallengeRequest {
        client_id: client.clone(),
        challenge_name: "SOFTWARE_TOKEN_MFA".into(),
        session: Some(session.clone()),
        challenge_responses: SecretMap::of(&[
            ("USERNAME", "alice"),
            ("SOFTWARE_TOKEN_MFA_CODE", &code),
        ]),
        ..Default::default()
    };
    let session = challenge.session.clone().unwrap();
    assert_kind(
        w.service
            .sign_in()
            .respond_to_auth_challenge(answer("000000".into(), &session))
            .await,
        "CodeMismatchException",
    );
    let code = totp_code(&secret, w.now());
    tokens(
        &w.service
            .sign_in()
            .respond_to_auth_challenge(answer(code.clone(), &session))
            .await
            .expect("tokens after the second factor"),
    );
    // The same code cannot be used for another sign-in.
    let again = w
        .password_sign_in(&client, "alice", PASSWORD)
        .await
        .unwrap();
    assert_kind(
        w.service
            .sign_in()
            .respond_to_auth_challenge(answer(code, again.session.as_ref().unwrap()))
            .await,
        "CodeMismatchException",
    );
    // The two wrong answers left one counter per session; once no session can be answered
    // any more, maintenance removes them.
    assert_eq!(w.service.purge_expired().await.unwrap().session_counters, 0);
    w.clock.advance(2 * 3600);
    assert_eq!(w.service.purge_expired().await.unwrap().session_counters, 2);
}

#[tokio::test]
async fn mfa_setup_inside_the_sign_in() {
    let w = world!();
    let pool = w
        .pool_with(|p| p.mfa_configuration = Some("ON".into()))
        .await;
    let client = w.client(&pool).await;
    w.user(&client, "alice", PASSWORD).await;
    let challenge = w
        .password_sign_in(&client, "alice", PASSWORD)
        .await
        .expect("challenge");
    assert_eq!(challenge.challenge_name.as_deref(), Some("MFA_SETUP"));
    let associated = w
        .service
        .sign_in()
        .associate_software_token(AssociateSoftwareTokenRequest {
            access_token: None,
            session: challenge.session.clone(),
        })
        .await
        .expect("associate with the session");
    let session = associated.session.clone().expect("a new session");
    let verified = w
        .service
        .sign_in()
        .verify_software_token(VerifySoftwareTokenRequest {
            session: Some(session),
            user_code: totp_code(associated.secret_code.expose_secret(), w.now()).into(),
            ..Default::default()
        })
        .await
        .expect("verify");
    let done = w
        .service
        .sign_in()
        .respond_to_auth_challenge(RespondToAuthChallengeRequest {
            client_id: client.clone(),
            challenge_name: "MFA_SETUP".into(),
            session: verified.session,
            challenge_responses: SecretMap::of(&[("USERNAME", "alice")]),
            ..Default::default()
        })
        .await
        .expect("tokens");
    tokens(&done);
    assert_kind(
        w.service
            .sign_in()
            .associate_software_token(AssociateSoftwareTokenRequest {
                access_token: None,
                session: Some("bogus-session-value-xxxxxxxx".into()),
            })
            .await,
        "NotAuthorizedException",
    );
}

#[tokio::test]
async fn devices_are_issued_confirmed_listed_and_forgotten() {
    let mut w = world!();
    let pool = w
        .pool_with(|p| {
            p.device_configuration = Some(DeviceConfigurationType {
                challenge_required_on_new_device: false,
                device_only_remembered_on_user_prompt: true,
            })
        })
        .await;
    let client = w.client(&pool).await;
    w.user(&client, "alice", PASSWORD).await;
    let t = tokens(&w.srp_sign_in(&client, "alice", PASSWORD).await.unwrap()).clone();
    let metadata = t.new_device_metadata.clone().expect("NewDeviceMetadata");
    assert!(metadata.device_key.starts_with("us-east-1_"));
    assert_eq!(
        claims(t.access_token.expose_secret())["device_key"],
        metadata.device_key.as_str()
    );
    let (_, config) =
        srp::generate_device_secret(&metadata.device_group_key, &metadata.device_key, &mut w.rng);
    let confirm = |key: &str| ConfirmDeviceRequest {
        access_token: t.access_token.clone(),
        device_key: key.into(),
        device_secret_verifier_config: Some(DeviceSecretVerifierConfig {
            password_verifier: config.password_verifier.clone(),
            salt: config.salt.clone(),
        }),
        device_name: Some("laptop".into()),
    };
    assert_kind(
        w.service
            .accounts()
            .confirm_device(confirm("us-east-1_someone-elses"))
            .await,
        "NotAuthorizedException",
    );
    let confirmed = w
        .service
        .accounts()
        .confirm_device(confirm(&metadata.device_key))
        .await
        .expect("confirm");
    assert!(confirmed.user_confirmation_necessary);
    let device = |status: Option<&str>| DeviceRequest {
        access_token: Some(t.access_token.clone()),
        device_key: metadata.device_key.clone(),
        device_remembered_status: status.map(str::to_owned),
        ..Default::default()
    };
    let got = w
        .service
        .accounts()
        .get_device(device(None))
        .await
        .expect("get");
    assert!(
        got.device
            .device_attributes
            .contains(&Attribute::new("device_name", "laptop"))
    );
    w.service
        .accounts()
        .update_device_status(device(Some("remembered")))
        .await
        .expect("remember");
    let listed = w
        .service
        .accounts()
        .admin_list_devices(ListDevicesRequest {
            user_pool_id: Some(pool.clone()),
            username: Some("alice".into()),
            ..Default::default()
        })
        .await
        .expect("admin list");
    assert_eq!(listed.devices.len(), 1);
    assert!(
        listed.devices[0]
            .device_attributes
            .contains(&Attribute::new("device_status", "valid"))
    );
    assert_kind(
        w.service
            .accounts()
            .get_device(DeviceRequest {
                user_pool_id: Some(pool.clone()),
                username: Some("alice".into()),
                device_key: metadata.device_key.clone(),
                ..Default::default()
            })
            .await,
        "InvalidParameterException",
    );
    w.service
        .accounts()
        .forget_device(device(None))
        .await
        .expect("forget");
    assert_error(
        w.service.accounts().get_device(device(None)).await,
        "ResourceNotFoundException",
        "Device does not exist.",
    );

    // A second device, managed by the user's ListDevices and the Admin device operations.
    let t2 = tokens(&w.srp_sign_in(&client, "alice", PASSWORD).await.unwrap()).clone();
    let second = t2.new_device_metadata.clone().expect("a second device");
    let (_, config2) =
        srp::generate_device_secret(&second.device_group_key, &second.device_key, &mut w.rng);
    w.service
        .accounts()
        .confirm_device(ConfirmDeviceRequest {
            access_token: t2.access_token.clone(),
            device_key: second.device_key.clone(),
            device_secret_verifier_config: Some(DeviceSecretVerifierConfig {
                password_verifier: config2.password_verifier.clone(),
                salt: config2.salt.clone(),
            }),
            device_name: None,
        })
        .await
        .expect("confirm the second device");
    let mine = w
        .service
        .accounts()
        .list_devices(ListDevicesRequest {
            access_token: Some(t2.access_token.clone()),
            ..Default::default()
        })
        .await
        .expect("ListDevices");
    assert_eq!(
        mine.devices
            .iter()
            .map(|d| d.device_key.as_str())
            .collect::<Vec<_>>(),
        [second.device_key.as_str()]
    );
    let admin = |status: Option<&str>| DeviceRequest {
        user_pool_id: Some(pool.clone()),
        username: Some("alice".into()),
        device_key: second.device_key.clone(),
        device_remembered_status: status.map(str::to_owned),
        ..Default::default()
    };
    w.service
        .accounts()
        .admin_update_device_status(admin(Some("remembered")))
        .await
        .expect("AdminUpdateDeviceStatus");
    let got = w
        .service
        .accounts()
        .admin_get_device(admin(None))
        .await
        .expect("AdminGetDevice");
    assert!(
        got.device
            .device_attributes
            .contains(&Attribute::new("device_status", "valid"))
    );
    w.service
        .accounts()
        .admin_update_device_status(admin(Some("not_remembered")))
        .await
        .expect("AdminUpdateDeviceStatus");
    assert!(
        w.service
            .accounts()
            .admin_get_device(admin(None))
            .await
            .expect("AdminGetDevice")
            .device
            .device_attributes
            .contains(&Attribute::new("device_status", "not_remembered"))
    );
    assert_kind(
        w.service
            .accounts()
            .admin_update_device_status(admin(Some("sometimes")))
            .await,
        "InvalidParameterException",
    );
    w.service
        .accounts()
        .admin_forget_device(admin(None))
        .await
        .expect("AdminForgetDevice");
    assert_error(
        w.service.accounts().admin_get_device(admin(None)).await,
        "ResourceNotFoundException",
        "Device does not exist.",
    );
}

#[tokio::test]
async fn admin_challenge_answers_and_admin_mfa_preferences() {
    let w = world!();
    let pool = w
        .pool_with(|p| {
            p.mfa_configuration = Some("OPTIONAL".into());
        })
        .await;
    let client = w.client(&pool).await;
    w.service
        .accounts()
        .admin_create_user(AdminCreateUserRequest {
            user_pool_id: pool.clone(),
            username: "erin".into(),
            user_attributes: vec![
                Attribute::new("email", "erin@example.com"),
                Attribute::new("phone_number", "+15555550100"),
                Attribute::new("phone_number_verified", "true"),
            ],
            temporary_password: Some("Temp-Passw0rd!".into()),
            message_action: Some("SUPPRESS".into()),
            ..Default::default()
        })
        .await
        .expect("AdminCreateUser");
    let first = w
        .service
        .sign_in()
        .admin_initiate_auth(InitiateAuthRequest {
            user_pool_id: Some(pool.clone()),
            client_id: client.clone(),
            auth_flow: "ADMIN_USER_PASSWORD_AUTH".into(),
            auth_parameters: SecretMap::of(&[("USERNAME", "erin"), ("PASSWORD", "Temp-Passw0rd!")]),
            ..Default::default()
        })
        .await
        .expect("AdminInitiateAuth");
    assert_eq!(
        first.challenge_name.as_deref(),
        Some("NEW_PASSWORD_REQUIRED")
    );
    let answer = |password: &str| RespondToAuthChallengeRequest {
        user_pool_id: Some(pool.clone()),
        client_id: client.clone(),
        challenge_name: "NEW_PASSWORD_REQUIRED".into(),
        session: first.session.clone(),
        challenge_responses: SecretMap::of(&[("USERNAME", "erin"), ("NEW_PASSWORD", password)]),
        ..Default::default()
    };
    assert_kind(
        w.service
            .sign_in()
            .admin_respond_to_auth_challenge(answer("weak"))
            .await,
        "InvalidPasswordException",
    );
    let done = w
        .service
        .sign_in()
        .admin_respond_to_auth_challenge(answer(PASSWORD))
        .await
        .expect("AdminRespondToAuthChallenge");
    assert!(done.authentication_result.is_some());

    let preference =
        |sms: Option<MfaSettingsType>, totp: Option<MfaSettingsType>| SetUserMfaPreferenceRequest {
            user_pool_id: Some(pool.clone()),
            username: Some("erin".into()),
            sms_mfa_settings: sms,
            software_token_mfa_settings: totp,
            ..Default::default()
        };
    let on = Some(MfaSettingsType {
        enabled: true,
        preferred_mfa: true,
    });
    assert_error(
        w.service
            .sign_in()
            .admin_set_user_mfa_preference(preference(None, on))
            .await,
        "InvalidParameterException",
        "User has not verified software token mfa",
    );
    w.service
        .sign_in()
        .admin_set_user_mfa_preference(preference(on, None))
        .await
        .expect("AdminSetUserMFAPreference");
    let user = w
        .service
        .accounts()
        .admin_get_user(AdminUserRequest {
            user_pool_id: pool.clone(),
            username: "erin".into(),
            ..Default::default()
        })
        .await
        .expect("AdminGetUser");
    assert_eq!(user.preferred_mfa_setting.as_deref(), Some("SMS_MFA"));
    assert_eq!(user.user_mfa_setting_list, ["SMS_MFA"]);
}
