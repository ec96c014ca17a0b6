//! Federated users and the pool's users: deleting a native user drops the provider links to
//! it (a later user of the same name is not reached through them).

use aws_sdk_cognitoidentityprovider::types::ProviderUserIdentifierType;
use userpool_testkit::oauth;

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
