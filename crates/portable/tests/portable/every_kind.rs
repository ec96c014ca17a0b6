//! One record of every kind the dump holds survives memory → SQLite unchanged: the target's
//! export is the source's, byte for byte.

use std::collections::BTreeMap;
use std::sync::Arc;

use identity_pool_model::{IdentityId, IdentityPool, IdentityPoolId, LoginKey, RoleMappings};
use serde_json::json;
use user_pool_model::{
    AppClient, ClientId, Group, PoolConfig, ResourceServer, ResourceServerScope, Sub, User,
    UserPoolId, UserStatus,
};
use userpool::MasterKey;
use userpool_portable::{ExportSecrets, export, import, read};
use userpool_store::{
    DomainRecord, IdentityRecord, MemoryStore, ProviderLink, ProviderRecord, Store,
    UiCustomization, UserKeys, WebAuthnCredential,
};
use userpool_store_sql::SqlStoreOptions;

use crate::support::NOW;

async fn fill(store: &dyn Store) {
    let id = UserPoolId::parse("us-east-1_AbCdEf123").unwrap();
    let mut pool = PoolConfig::new(id.clone(), "every").unwrap();
    pool.alias_attributes = vec!["email".into(), "preferred_username".into()];
    pool.created = NOW;
    store.create_pool(pool.clone()).await.unwrap();
    let mut client = AppClient::new(ClientId::parse("client1").unwrap(), "web", None).unwrap();
    client.callback_urls = vec!["https://app.example.com/cb".into()];
    store.create_client(&id, client).await.unwrap();
    store
        .create_domain(DomainRecord {
            domain: "every".into(),
            pool: id.clone(),
            certificate_arn: None,
            managed_login_version: 2,
            created: NOW,
            ui: BTreeMap::from([(
                "ALL".to_owned(),
                UiCustomization {
                    css: Some(".banner-customizable { color: red; }".into()),
                    image_base64: Some("iVBORw0KGgo=".into()),
                    image_type: Some("image/png".into()),
                    created: NOW,
                    modified: NOW,
                },
            )]),
        })
        .await
        .unwrap();
    store
        .create_resource_server(
            &id,
            ResourceServer {
                identifier: "https://api.example.com".into(),
                name: "api".into(),
                scopes: vec![ResourceServerScope {
                    scope_name: "read".into(),
                    scope_description: "Read".into(),
                }],
            },
        )
        .await
        .unwrap();
    store
        .create_group(
            &id,
            Group {
                name: "admins".into(),
                description: Some("the admins".into()),
                role_arn: None,
                precedence: Some(1),
                created: NOW,
                modified: NOW,
            },
        )
        .await
        .unwrap();
    store
        .create_provider(
            &id,
            ProviderRecord {
                name: "Corp".into(),
                provider_type: "OIDC".into(),
                details: BTreeMap::from([
                    ("client_id".to_owned(), "abc".to_owned()),
                    (
                        "oidc_issuer".to_owned(),
                        "https://idp.example.com".to_owned(),
                    ),
                ]),
                sealed_secrets: BTreeMap::new(),
                attribute_mapping: BTreeMap::from([("email".to_owned(), "email".to_owned())]),
                idp_identifiers: vec!["corp.example.com".into()],
                created: NOW,
                last_modified: NOW,
            },
        )
        .await
        .unwrap();
    let mut alice = User::new(
        "alice",
        Sub::from_bytes([1; 16]),
        UserStatus::Confirmed,
        NOW,
    );
    alice.attributes = BTreeMap::from([
        ("email".to_owned(), "alice@example.com".to_owned()),
        ("email_verified".to_owned(), "true".to_owned()),
        ("preferred_username".to_owned(), "ally".to_owned()),
        ("custom:team".to_owned(), "blue".to_owned()),
    ]);
    let mut bob = User::new(
        "Bob",
        Sub::from_bytes([2; 16]),
        UserStatus::Unconfirmed,
        NOW,
    );
    bob.enabled = false;
    for user in [alice, bob] {
        let keys = UserKeys::for_user(&user, &pool);
        store.insert_user(&id, user, &keys).await.unwrap();
    }
    let alice_key = pool.case_rule.username_key("alice");
    store
        .link_provider_user(
            &id,
            ProviderLink {
                provider_name: "Corp".into(),
                attribute_name: "Cognito_Subject".into(),
                attribute_value: "corp-123".into(),
                username: alice_key.clone(),
                created: NOW,
            },
        )
        .await
        .unwrap();
    store
        .insert_webauthn_credential(
            &id,
            WebAuthnCredential {
                username_key: alice_key.clone(),
                credential_id: vec![1, 2, 3],
                public_key: vec![4, 5, 6],
                sign_count: 7,
                friendly_name: "laptop".into(),
                relying_party_id: "example.com".into(),
                authenticator_attachment: Some("platform".into()),
                transports: vec!["internal".into()],
                aaguid: vec![0; 16],
                backup_eligible: true,
                backed_up: true,
                created: NOW,
            },
        )
        .await
        .unwrap();
    store.add_to_group(&id, "admins", &alice_key).await.unwrap();

    let identity_pool: IdentityPool = serde_json::from_value(json!({
        "IdentityPoolId": "us-east-1:0d0e0f10-1112-4314-8516-171819202122",
        "IdentityPoolName": "ids",
        "AllowUnauthenticatedIdentities": true,
        "SupportedLoginProviders": {"accounts.google.com": "app-id"},
    }))
    .unwrap();
    let pool_id = identity_pool.identity_pool_id.clone();
    store.create_identity_pool(identity_pool).await.unwrap();
    store
        .set_identity_pool_roles(
            &pool_id,
            serde_json::from_value(json!({"authenticated": "arn:aws:iam::123456789012:role/auth"}))
                .unwrap(),
            RoleMappings::default(),
        )
        .await
        .unwrap();
    for (n, logins) in [
        (
            1,
            vec![LoginKey {
                provider: "accounts.google.com".into(),
                subject: "g-1".into(),
            }],
        ),
        (2, Vec::new()),
    ] {
        store
            .create_identity(IdentityRecord {
                identity_id: IdentityId::parse(&format!(
                    "us-east-1:11111111-2222-4333-8444-55555555555{n}"
                ))
                .unwrap(),
                identity_pool_id: IdentityPoolId::parse(pool_id.as_str()).unwrap(),
                logins,
                created: NOW,
                last_modified: NOW,
                disabled: false,
            })
            .await
            .unwrap();
    }
}

/// Exports `source`, imports the dump into `target`, exports that, and compares.
async fn survives(target: Arc<dyn Store>) {
    let source: Arc<dyn Store> = Arc::new(MemoryStore::new());
    fill(source.as_ref()).await;
    let mut first = Vec::new();
    let summary = export(source.as_ref(), &mut first, ExportSecrets::AsStored, NOW)
        .await
        .unwrap();
    assert_eq!(
        summary.describe(),
        "1 client, 1 domain, 1 group, 2 identity, 1 identity_pool, 1 membership, 1 pool, \
         1 provider, 1 provider_link, 1 resource_server, 2 user, 1 webauthn_credential"
    );
    import(
        target.as_ref(),
        read(&mut first.as_slice()).unwrap(),
        MasterKey::new([1; 32]).into(),
        None,
        [2; 32],
    )
    .await
    .unwrap();
    let mut second = Vec::new();
    export(target.as_ref(), &mut second, ExportSecrets::AsStored, NOW)
        .await
        .unwrap();
    let (first, second) = (
        String::from_utf8(first).unwrap(),
        String::from_utf8(second).unwrap(),
    );
    for (a, b) in first.lines().zip(second.lines()) {
        assert_eq!(a, b);
    }
    assert_eq!(first, second);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_survives_memory_to_sqlite_unchanged() {
    survives(Arc::new(
        SqlStoreOptions::new("sqlite::memory:")
            .connect()
            .await
            .unwrap(),
    ))
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_survives_memory_to_postgres_unchanged() {
    let Ok(url) = std::env::var("USERPOOL_TEST_POSTGRES_URL") else {
        eprintln!(
            "SKIPPED: USERPOOL_TEST_POSTGRES_URL is not set, so the PostgreSQL target did not run"
        );
        return;
    };
    let schema = format!("up_t_every_kind_{}", std::process::id());
    survives(Arc::new(
        SqlStoreOptions::new(url)
            .schema(schema)
            .connect()
            .await
            .unwrap(),
    ))
    .await;
}
