//! Federated users and the pool's users: deleting a native user drops the provider links to
//! it (a later user of the same name is not reached through them), and a first sign-in that
//! lacks an attribute the schema requires fails to the app without creating anyone.

use aws_sdk_cognitoidentityprovider::types::ProviderUserIdentifierType;
use userpool_testkit::oauth::{self, CALLBACK, param};

use super::{redeem, setup, sign_in_through_provider};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_linked_user_drops_its_links() {
    let s = setup().await;
    let sdk = &s.server.sdk;
    oauth::confirmed_user(sdk, &s.pool, "erin").await;
    sdk.admin_link_provider_for_user()
        .user_pool_id(&s.pool)
        .destination_user(
            ProviderUserIdentifierType::builder()
                .provider_name("Cognito")
                .provider_attribute_value("erin")
                .build(),
        )
        .source_user(
            ProviderUserIdentifierType::builder()
                .provider_name("corp")
                .provider_attribute_name("Cognito_Subject")
                .provider_attribute_value("erin-at-corp")
                .build(),
        )
        .send()
        .await
        .expect("AdminLinkProviderForUser");
    let (callback, verifier) =
        sign_in_through_provider(&s, "erin-at-corp", "identity_provider=corp").await;
    let linked = redeem(&s, &callback, &verifier).await;
    assert_eq!(linked["cognito:username"], "erin");

    sdk.admin_delete_user()
        .user_pool_id(&s.pool)
        .username("erin")
        .send()
        .await
        .expect("AdminDeleteUser");
    // Someone else takes the name; the provider user must not become them.
    oauth::confirmed_user(sdk, &s.pool, "erin").await;
    let (callback, verifier) =
        sign_in_through_provider(&s, "erin-at-corp", "identity_provider=corp").await;
    let id = redeem(&s, &callback, &verifier).await;
    assert_eq!(
        id["cognito:username"], "corp_erin-at-corp",
        "a fresh federated user, not the new erin"
    );
    assert_ne!(id["sub"], linked["sub"]);
    let new_erin = sdk
        .admin_get_user()
        .user_pool_id(&s.pool)
        .username("erin")
        .send()
        .await
        .expect("AdminGetUser");
    assert!(
        !new_erin
            .user_attributes()
            .iter()
            .any(|a| a.name() == "identities"),
        "the new erin has no linked identities"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_required_attribute_fails_to_the_app() {
    let s = setup().await;
    let sdk = &s.server.sdk;
    // The pool requires email (oauth::pool_with_domain); the mapping stops supplying it.
    let mapping = |with_email: bool| {
        let mut update = sdk
            .update_identity_provider()
            .user_pool_id(&s.pool)
            .provider_name("corp")
            .attribute_mapping("name", "name");
        if with_email {
            update = update.attribute_mapping("email", "email");
        }
        update.send()
    };
    mapping(false).await.expect("UpdateIdentityProvider");
    let (callback, _) = sign_in_through_provider(&s, "frank", "identity_provider=corp").await;
    assert!(callback.starts_with(CALLBACK), "to the app: {callback}");
    assert_eq!(
        param(&callback, "error").as_deref(),
        Some("invalid_request")
    );
    assert_eq!(
        param(&callback, "error_description").as_deref(),
        Some("attributes required: [email]")
    );
    assert_eq!(param(&callback, "state").as_deref(), Some("app-state"));
    assert_eq!(param(&callback, "code"), None);
    // Nobody was created, not even the provider's group.
    let err = sdk
        .admin_get_user()
        .user_pool_id(&s.pool)
        .username("corp_frank")
        .send()
        .await
        .expect_err("no user");
    assert_eq!(
        err.into_service_error().meta().code(),
        Some("UserNotFoundException")
    );
    let users = sdk
        .list_users()
        .user_pool_id(&s.pool)
        .send()
        .await
        .expect("ListUsers");
    assert!(users.users().is_empty());
    let groups = sdk
        .list_groups()
        .user_pool_id(&s.pool)
        .send()
        .await
        .expect("ListGroups");
    assert!(groups.groups().is_empty());

    // With email mapped again, the same provider user signs up.
    mapping(true).await.expect("UpdateIdentityProvider");
    let (callback, verifier) =
        sign_in_through_provider(&s, "frank", "identity_provider=corp").await;
    let id = redeem(&s, &callback, &verifier).await;
    assert_eq!(id["cognito:username"], "corp_frank");
    assert_eq!(id["email"], "frank@idp.example");
}
