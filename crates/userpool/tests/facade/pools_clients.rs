//! CreateUserPool … ListUserPoolClients, SetUserPoolMfaConfig, GetCSVHeader.

use userpool::wire::*;
use userpool::{SoftwareTokenMfaConfiguration, UserPoolMfaConfig};

use super::support::*;

#[tokio::test]
async fn pools_are_created_described_updated_listed_and_deleted() {
    let w = world!();
    let created = w
        .service
        .admin()
        .create_user_pool(UserPoolRequest {
            pool_name: "Main pool".into(),
            alias_attributes: vec!["email".into()],
            ..Default::default()
        })
        .await
        .expect("create");
    let pool = created.user_pool;
    assert!(
        pool.id.starts_with("us-east-1_") && pool.id.len() == "us-east-1_".len() + 9,
        "{}",
        pool.id
    );
    assert_eq!(
        pool.arn,
        format!(
            "arn:aws:cognito-idp:us-east-1:000000000000:userpool/{}",
            pool.id
        )
    );
    assert_eq!(pool.mfa_configuration, "OFF");
    assert_eq!(pool.creation_date, NOW as f64);
    assert!(pool.schema_attributes.iter().any(|a| a.name == "email"));
    let json = serde_json::to_value(&pool).expect("json");
    assert!(
        json.get("SchemaAttributes").is_some() && json.get("Policies").is_some(),
        "PascalCase on the wire"
    );

    w.service
        .admin()
        .update_user_pool(UserPoolRequest {
            user_pool_id: Some(pool.id.clone()),
            mfa_configuration: Some("OPTIONAL".into()),
            deletion_protection: Some("ACTIVE".into()),
            ..Default::default()
        })
        .await
        .expect("update");
    let described = w
        .service
        .admin()
        .describe_user_pool(UserPoolIdRequest {
            user_pool_id: pool.id.clone(),
        })
        .await
        .expect("describe");
    assert_eq!(described.user_pool.mfa_configuration, "OPTIONAL");
    assert_eq!(described.user_pool.estimated_number_of_users, 0);
    // More users than one ListUsers page: the count comes from the store, not a page.
    for i in 0..61 {
        w.service
            .accounts()
            .admin_create_user(AdminCreateUserRequest {
                user_pool_id: pool.id.clone(),
                username: format!("user{i}"),
                message_action: Some("SUPPRESS".into()),
                ..Default::default()
            })
            .await
            .expect("user");
    }
    let counted = w
        .service
        .admin()
        .describe_user_pool(UserPoolIdRequest {
            user_pool_id: pool.id.clone(),
        })
        .await
        .expect("describe");
    assert_eq!(counted.user_pool.estimated_number_of_users, 61);
    assert_eq!(
        described.user_pool.alias_attributes,
        vec!["email".to_owned()],
        "sign-in attributes stay"
    );
    assert_kind(
        w.service
            .admin()
            .delete_user_pool(UserPoolIdRequest {
                user_pool_id: pool.id.clone(),
            })
            .await,
        "InvalidParameterException",
    );

    let listed = w
        .service
        .admin()
        .list_user_pools(ListRequest {
            max_results: Some(10),
            ..Default::default()
        })
        .await
        .expect("list");
    assert_eq!(listed.user_pools.len(), 1);
    assert_error(
        w.service
            .admin()
            .list_user_pools(ListRequest::default())
            .await,
        "InvalidParameterException",
        "1 validation error detected: Value 'null' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 60",
    );

    w.service
        .admin()
        .update_user_pool(UserPoolRequest {
            user_pool_id: Some(pool.id.clone()),
            ..Default::default()
        })
        .await
        .expect("protection off");
    w.service
        .admin()
        .delete_user_pool(UserPoolIdRequest {
            user_pool_id: pool.id.clone(),
        })
        .await
        .expect("delete");
    assert_error(
        w.service
            .admin()
            .describe_user_pool(UserPoolIdRequest {
                user_pool_id: pool.id.clone(),
            })
            .await,
        "ResourceNotFoundException",
        "User pool does not exist.",
    );
    assert_kind(
        w.service
            .admin()
            .describe_user_pool(UserPoolIdRequest {
                user_pool_id: "not a pool".into(),
            })
            .await,
        "InvalidParameterException",
    );
}

#[tokio::test]
async fn invalid_pool_settings_are_refused() {
    let w = world!();
    let both = UserPoolRequest {
        pool_name: "p".into(),
        alias_attributes: vec!["email".into()],
        username_attributes: vec!["email".into()],
        ..Default::default()
    };
    assert_error(
        w.service.admin().create_user_pool(both).await,
        "InvalidParameterException",
        "Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.",
    );
    assert_kind(
        w.service
            .admin()
            .create_user_pool(UserPoolRequest {
                pool_name: "bad/name".into(),
                ..Default::default()
            })
            .await,
        "InvalidParameterException",
    );
    let bad_mfa = UserPoolRequest {
        pool_name: "p".into(),
        mfa_configuration: Some("SOMETIMES".into()),
        ..Default::default()
    };
    assert_kind(
        w.service.admin().create_user_pool(bad_mfa).await,
        "InvalidParameterException",
    );
}

#[tokio::test]
async fn mfa_config_and_csv_header() {
    let w = world!();
    let pool = w.pool().await;
    let set = w
        .service
        .admin()
        .set_user_pool_mfa_config(UserPoolMfaConfig {
            user_pool_id: pool.clone(),
            software_token_mfa_configuration: Some(SoftwareTokenMfaConfiguration { enabled: true }),
            mfa_configuration: Some("ON".into()),
            ..Default::default()
        })
        .await
        .expect("set");
    assert_eq!(set.mfa_configuration.as_deref(), Some("ON"));
    let got = w
        .service
        .admin()
        .get_user_pool_mfa_config(UserPoolIdRequest {
            user_pool_id: pool.clone(),
        })
        .await
        .expect("get");
    assert_eq!(got, set);
    assert_eq!(
        serde_json::to_value(&got).unwrap()["SoftwareTokenMfaConfiguration"]["Enabled"],
        true
    );
    let header = w
        .service
        .admin()
        .get_csv_header(UserPoolIdRequest {
            user_pool_id: pool.clone(),
        })
        .await
        .expect("header");
    assert!(header.csv_header.contains(&"cognito:username".to_owned()));
    assert_eq!(
        serde_json::to_value(&header).unwrap()["UserPoolId"],
        pool.as_str()
    );
}

#[tokio::test]
async fn clients_have_cognito_defaults_and_full_replacement_updates() {
    let w = world!();
    let pool = w.pool().await;
    let created = w
        .service
        .admin()
        .create_user_pool_client(UserPoolClientRequest {
            user_pool_id: pool.clone(),
            client_name: Some("app".into()),
            generate_secret: true,
            ..Default::default()
        })
        .await
        .expect("create")
        .user_pool_client;
    assert_eq!(
        created.client_id.len(),
        26,
        "26 lowercase alphanumerics like Cognito's"
    );
    assert!(
        created
            .client_secret
            .as_ref()
            .is_some_and(|s| s.expose_secret().len() >= 24)
    );
    assert_eq!(
        created.explicit_auth_flows,
        [
            "ALLOW_REFRESH_TOKEN_AUTH",
            "ALLOW_USER_SRP_AUTH",
            "ALLOW_CUSTOM_AUTH"
        ]
    );
    assert_eq!(
        (
            created.access_token_validity,
            created.refresh_token_validity
        ),
        (1, 30)
    );
    assert_eq!(
        created.token_validity_units.refresh_token.as_deref(),
        Some("days")
    );
    assert_eq!(
        (
            created.auth_session_validity,
            created.enable_token_revocation
        ),
        (3, true)
    );
    assert_eq!(created.prevent_user_existence_errors, "LEGACY");
    let json = serde_json::to_value(&created).unwrap();
    assert!(
        json.get("ReadAttributes").is_none(),
        "ReadAttributes only when set"
    );
    assert!(
        !format!("{created:?}").contains(created.client_secret.as_ref().unwrap().expose_secret()),
        "secret not in Debug"
    );

    let updated = w
        .service
        .admin()
        .update_user_pool_client(UserPoolClientRequest {
            user_pool_id: pool.clone(),
            client_id: Some(created.client_id.clone()),
            access_token_validity: Some(30),
            token_validity_units: Some(TokenValidityUnits {
                access_token: Some("minutes".into()),
                ..Default::default()
            }),
            prevent_user_existence_errors: Some("ENABLED".into()),
            ..Default::default()
        })
        .await
        .expect("update")
        .user_pool_client;
    assert_eq!(
        (
            updated.access_token_validity,
            updated.token_validity_units.access_token.as_deref()
        ),
        (30, Some("minutes"))
    );
    assert_eq!(updated.client_name, "app", "name kept when omitted");
    assert_eq!(
        updated.client_secret, created.client_secret,
        "the secret is kept"
    );
    assert_eq!(updated.prevent_user_existence_errors, "ENABLED");

    let bad = UserPoolClientRequest {
        user_pool_id: pool.clone(),
        client_name: Some("x".into()),
        access_token_validity: Some(2),
        token_validity_units: Some(TokenValidityUnits {
            access_token: Some("days".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    assert_kind(
        w.service.admin().create_user_pool_client(bad).await,
        "InvalidParameterException",
    );
    let bad_flow = UserPoolClientRequest {
        user_pool_id: pool.clone(),
        client_name: Some("x".into()),
        explicit_auth_flows: Some(vec!["USER_SRP_AUTH_PLEASE".into()]),
        ..Default::default()
    };
    assert_kind(
        w.service.admin().create_user_pool_client(bad_flow).await,
        "InvalidParameterException",
    );

    let list = w
        .service
        .admin()
        .list_user_pool_clients(ListRequest {
            user_pool_id: Some(pool.clone()),
            ..Default::default()
        })
        .await
        .expect("list");
    assert_eq!(list.user_pool_clients.len(), 1);
    let id = UserPoolClientIdRequest {
        user_pool_id: pool.clone(),
        client_id: created.client_id.clone(),
    };
    assert_eq!(
        w.service
            .admin()
            .describe_user_pool_client(id.clone())
            .await
            .expect("describe")
            .user_pool_client,
        updated
    );
    w.service
        .admin()
        .delete_user_pool_client(id.clone())
        .await
        .expect("delete");
    assert_error(
        w.service.admin().describe_user_pool_client(id).await,
        "ResourceNotFoundException",
        &format!("User pool client {} does not exist.", created.client_id),
    );
}

/// Cognito's rule for the URLs a client registers: https, http only for localhost, an app's
/// own scheme, no fragment; `DefaultRedirectURI` must be one of the callback URLs.
#[tokio::test]
async fn registered_urls_follow_cognitos_rule() {
    let w = world!();
    let pool = w.pool().await;
    let create = |callbacks: &[&str], logouts: &[&str], default: Option<&str>| {
        w.service
            .admin()
            .create_user_pool_client(UserPoolClientRequest {
                user_pool_id: pool.clone(),
                client_name: Some("urls".into()),
                callback_urls: callbacks.iter().map(|s| (*s).to_owned()).collect(),
                logout_urls: logouts.iter().map(|s| (*s).to_owned()).collect(),
                default_redirect_uri: default.map(str::to_owned),
                ..Default::default()
            })
    };
    let ok = create(
        &[
            "https://app.example.com/cb",
            "http://localhost:3000/cb",
            "myapp://cb",
        ],
        &["https://app.example.com/out"],
        Some("https://app.example.com/cb"),
    )
    .await
    .expect("valid URLs");
    assert_eq!(
        ok.user_pool_client.default_redirect_uri.as_deref(),
        Some("https://app.example.com/cb")
    );
    for (callbacks, logouts, default, member) in [
        (
            &["http://app.example.com/cb"][..],
            &[][..],
            None,
            "CallbackURLs",
        ),
        (
            &["http://127.0.0.1:3000/cb"][..],
            &[][..],
            None,
            "CallbackURLs",
        ),
        (
            &["https://app.example.com/cb#x"][..],
            &[][..],
            None,
            "CallbackURLs",
        ),
        (&["javascript:alert(1)"][..], &[][..], None, "CallbackURLs"),
        (
            &["https://app.example.com/cb"][..],
            &["http://app.example.com/out"][..],
            None,
            "LogoutURLs",
        ),
        (
            &["https://app.example.com/cb"][..],
            &[][..],
            Some("http://evil.example.com/cb"),
            "DefaultRedirectURI",
        ),
    ] {
        let e = create(callbacks, logouts, default).await.expect_err(member);
        assert_eq!(e.exception_name(), "InvalidParameterException", "{member}");
        assert!(
            e.message().starts_with(&format!("Invalid {member}: ")),
            "{e}"
        );
    }
    let e = create(
        &["https://app.example.com/cb"],
        &[],
        Some("https://app.example.com/other"),
    )
    .await
    .expect_err("default not among the callbacks");
    assert_eq!(
        (e.exception_name(), e.message()),
        (
            "InvalidParameterException",
            "DefaultRedirectURI must be one of the CallbackURLs."
        )
    );
}

/// A client may only be given scopes that exist: the standard ones and those a resource
/// server defines.
#[tokio::test]
async fn client_scopes_must_exist() {
    let w = world!();
    let pool = w.pool().await;
    let create = |scopes: &[&str]| {
        w.service
            .admin()
            .create_user_pool_client(UserPoolClientRequest {
                user_pool_id: pool.clone(),
                client_name: Some("scopes".into()),
                allowed_oauth_scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
                ..Default::default()
            })
    };
    create(&[
        "openid",
        "email",
        "phone",
        "profile",
        "aws.cognito.signin.user.admin",
    ])
    .await
    .expect("standard scopes");
    assert_error(
        create(&["openid", "https://api.example.com/read"]).await,
        "ScopeDoesNotExistException",
        "Invalid scope requested: https://api.example.com/read",
    );
    w.service
        .admin()
        .create_resource_server(ResourceServerRequest {
            user_pool_id: pool.clone(),
            identifier: "https://api.example.com".into(),
            name: Some("api".into()),
            scopes: vec![user_pool_model::ResourceServerScope {
                scope_name: "read".into(),
                scope_description: "read".into(),
            }],
        })
        .await
        .expect("resource server");
    create(&["openid", "https://api.example.com/read"])
        .await
        .expect("defined now");
    assert_kind(
        create(&["https://api.example.com/write"]).await,
        "ScopeDoesNotExistException",
    );
}
