//! Attribute updates: `AttributesRequireVerificationBeforeUpdate` keeps the verified value
//! active until the new one is verified, and concurrent updates of one user never fail the
//! caller (the version-conditional write is retried).

use userpool::wire::*;

use super::support::*;

async fn signed_in(w: &mut World, pool: &str, client: &str, login: &str) -> SecretString {
    let _ = pool;
    tokens(
        &w.password_sign_in(client, login, PASSWORD)
            .await
            .expect("sign in"),
    )
    .access_token
    .clone()
}

fn email_of(user: &GetUserResponse) -> Option<String> {
    user.user_attributes
        .iter()
        .find(|a| a.name == "email")
        .map(|a| a.value.clone())
}

#[tokio::test]
async fn the_verified_email_stays_until_the_new_one_is_verified() {
    let mut w = world!();
    let pool = w
        .pool_with(|p| {
            p.alias_attributes = vec!["email".into()];
            p.user_attribute_update_settings = Some(UserAttributeUpdateSettings {
                attributes_require_verification_before_update: vec!["email".into()],
            });
        })
        .await;
    let client = w.client(&pool).await;
    w.user(&client, "alice", PASSWORD).await;
    let access = signed_in(&mut w, &pool, &client, "alice@example.com").await;
    let out = w
        .service
        .accounts()
        .update_user_attributes(UpdateUserAttributesRequest {
            access_token: access.clone(),
            user_attributes: vec![Attribute::new("email", "alice@new.example.com")],
            ..Default::default()
        })
        .await
        .expect("update");
    assert_eq!(out.code_delivery_details_list.len(), 1);
    assert_eq!(
        out.code_delivery_details_list[0].destination, "a***@n***",
        "the code goes to the new address"
    );
    let admin = AdminUserRequest {
        user_pool_id: pool.clone(),
        username: "alice".into(),
        ..Default::default()
    };
    let before = w
        .service
        .accounts()
        .admin_get_user(admin.clone())
        .await
        .expect("user");
    assert_eq!(email_of(&before).as_deref(), Some("alice@example.com"));
    assert!(
        before
            .user_attributes
            .iter()
            .any(|a| a.name == "email_verified" && a.value == "true")
    );
    // The old address is still the sign-in alias and what tokens carry.
    let t = tokens(
        &w.password_sign_in(&client, "alice@example.com", PASSWORD)
            .await
            .expect("old alias"),
    )
    .clone();
    assert_eq!(
        claims(t.id_token.expose_secret())["email"],
        "alice@example.com"
    );
    assert_kind(
        w.password_sign_in(&client, "alice@new.example.com", PASSWORD)
            .await,
        "UserNotFoundException",
    );
    let code = w
        .outbox
        .last_code(&pool, "alice")
        .expect("a code for the new address");
    w.service
        .accounts()
        .verify_user_attribute(VerifyUserAttributeRequest {
            access_token: access.clone(),
            attribute_name: "email".into(),
            code: code.as_str().into(),
        })
        .await
        .expect("verify");
    let after = w
        .service
        .accounts()
        .admin_get_user(admin)
        .await
        .expect("user");
    assert_eq!(email_of(&after).as_deref(), Some("alice@new.example.com"));
    w.password_sign_in(&client, "alice@new.example.com", PASSWORD)
        .await
        .expect("the new alias");
    assert_kind(
        w.password_sign_in(&client, "alice@example.com", PASSWORD)
            .await,
        "UserNotFoundException",
    );
}

#[tokio::test]
async fn without_the_setting_the_new_email_applies_at_once_unverified() {
    let mut w = world!();
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    w.user(&client, "bob", PASSWORD).await;
    let access = signed_in(&mut w, &pool, &client, "bob").await;
    w.service
        .accounts()
        .update_user_attributes(UpdateUserAttributesRequest {
            access_token: access.clone(),
            user_attributes: vec![Attribute::new("email", "bob@new.example.com")],
            ..Default::default()
        })
        .await
        .expect("update");
    let me = w
        .service
        .accounts()
        .get_user(AccessTokenRequest {
            access_token: access,
        })
        .await
        .expect("me");
    assert_eq!(email_of(&me).as_deref(), Some("bob@new.example.com"));
    assert!(
        me.user_attributes
            .iter()
            .any(|a| a.name == "email_verified" && a.value == "false")
    );
}

#[tokio::test]
async fn the_setting_needs_auto_verified_attributes() {
    let w = world!();
    let e = w
        .service
        .admin()
        .create_user_pool(UserPoolRequest {
            pool_name: "p".into(),
            user_attribute_update_settings: Some(UserAttributeUpdateSettings {
                attributes_require_verification_before_update: vec!["email".into()],
            }),
            ..Default::default()
        })
        .await
        .expect_err("email is not auto-verified");
    assert_eq!(e.exception_name(), "InvalidParameterException");
}

/// Many clients updating different attributes of one user at once all succeed, and every
/// value is there afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_updates_of_one_user_all_succeed() {
    let mut w = world!();
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    w.user(&client, "carol", PASSWORD).await;
    let access = signed_in(&mut w, &pool, &client, "carol").await;
    let names = [
        "given_name",
        "family_name",
        "middle_name",
        "nickname",
        "profile",
        "website",
        "gender",
        "locale",
        "zoneinfo",
        "picture",
    ];
    let mut calls = Vec::new();
    for round in 0..3 {
        for name in names {
            let service = w.service.clone();
            let access = access.clone();
            let pool = pool.clone();
            calls.push(tokio::spawn(async move {
                let value = format!("{name}-{round}");
                if round % 2 == 0 {
                    service
                        .accounts()
                        .update_user_attributes(UpdateUserAttributesRequest {
                            access_token: access,
                            user_attributes: vec![Attribute::new(name, value)],
                            ..Default::default()
                        })
                        .await
                        .map(drop)
                } else {
                    service
                        .accounts()
                        .admin_update_user_attributes(AdminUpdateUserAttributesRequest {
                            user_pool_id: pool,
                            username: "carol".into(),
                            user_attributes: vec![Attribute::new(name, value)],
                            ..Default::default()
                        })
                        .await
                        .map(drop)
                }
            }));
        }
    }
    for call in calls {
        call.await.expect("task").expect("every update succeeds");
    }
    let me = w
        .service
        .accounts()
        .get_user(AccessTokenRequest {
            access_token: access,
        })
        .await
        .expect("me");
    for name in names {
        let value = me
            .user_attributes
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.clone());
        assert!(
            value.as_deref().is_some_and(|v| v.starts_with(name)),
            "{name}: {value:?}"
        );
    }
}
