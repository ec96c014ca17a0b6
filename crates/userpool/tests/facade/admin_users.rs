//! GetUser, AdminGetUser, attribute updates and verification, deletion, ListUsers.

use user_pool_model::Attribute;
use userpool::wire::*;

use super::support::*;

async fn alice(w: &mut World) -> (String, String, AuthenticationResult) {
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    w.user(&client, "alice", PASSWORD).await;
    let t = tokens(
        &w.srp_sign_in(&client, "alice", PASSWORD)
            .await
            .expect("sign in"),
    )
    .clone();
    (pool, client, t)
}

fn admin(pool: &str, username: &str) -> AdminUserRequest {
    AdminUserRequest {
        user_pool_id: pool.into(),
        username: username.into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn changing_the_email_unverifies_it_until_the_code_is_entered() {
    let mut w = world!();
    let (pool, _, t) = alice(&mut w).await;
    let out = w
        .service
        .accounts()
        .update_user_attributes(UpdateUserAttributesRequest {
            access_token: t.access_token.clone(),
            user_attributes: vec![
                Attribute::new("email", "new@example.org"),
                Attribute::new("name", "Alice"),
            ],
            ..Default::default()
        })
        .await
        .expect("update");
    assert_eq!(out.code_delivery_details_list.len(), 1);
    assert_eq!(out.code_delivery_details_list[0].destination, "n***@e***");
    let me = w
        .service
        .accounts()
        .get_user(AccessTokenRequest {
            access_token: t.access_token.clone(),
        })
        .await
        .unwrap();
    assert!(
        me.user_attributes
            .contains(&Attribute::new("email_verified", "false"))
    );
    assert!(
        me.user_attributes
            .contains(&Attribute::new("name", "Alice"))
    );
    let code = w.outbox.last_code(&pool, "alice").unwrap();
    let verify = |code: &str| VerifyUserAttributeRequest {
        access_token: t.access_token.clone(),
        attribute_name: "email".into(),
        code: code.into(),
    };
    let wrong = if code == "000000" { "000001" } else { "000000" };
    assert_kind(
        w.service
            .accounts()
            .verify_user_attribute(verify(wrong))
            .await,
        "CodeMismatchException",
    );
    w.service
        .accounts()
        .verify_user_attribute(verify(&code))
        .await
        .expect("verify");
    let me = w
        .service
        .accounts()
        .get_user(AccessTokenRequest {
            access_token: t.access_token.clone(),
        })
        .await
        .unwrap();
    assert!(
        me.user_attributes
            .contains(&Attribute::new("email_verified", "true"))
    );

    // A second code on request; unwritable and immutable attributes are refused.
    let sent = w
        .service
        .accounts()
        .get_user_attribute_verification_code(GetUserAttributeVerificationCodeRequest {
            access_token: t.access_token.clone(),
            attribute_name: "email".into(),
            ..Default::default()
        })
        .await
        .expect("code");
    assert_eq!(sent.code_delivery_details.attribute_name, "email");
    assert_error(
        w.service
            .accounts()
            .update_user_attributes(UpdateUserAttributesRequest {
                access_token: t.access_token.clone(),
                user_attributes: vec![Attribute::new("email_verified", "true")],
                ..Default::default()
            })
            .await,
        "NotAuthorizedException",
        "A client attempted to write unauthorized attribute email_verified",
    );
    assert_kind(
        w.service
            .accounts()
            .update_user_attributes(UpdateUserAttributesRequest {
                access_token: t.access_token.clone(),
                user_attributes: vec![Attribute::new("custom:nope", "x")],
                ..Default::default()
            })
            .await,
        "InvalidParameterException",
    );
}

#[tokio::test]
async fn admins_update_and_delete_attributes() {
    let mut w = world!();
    let (pool, _, t) = alice(&mut w).await;
    w.service
        .accounts()
        .admin_update_user_attributes(AdminUpdateUserAttributesRequest {
            user_pool_id: pool.clone(),
            username: "alice".into(),
            user_attributes: vec![
                Attribute::new("phone_number", "+14155550100"),
                Attribute::new("phone_number_verified", "true"),
            ],
            ..Default::default()
        })
        .await
        .expect("admin update");
    let user = w
        .service
        .accounts()
        .admin_get_user(admin(&pool, "alice"))
        .await
        .unwrap();
    assert!(
        user.user_attributes
            .contains(&Attribute::new("phone_number_verified", "true"))
    );
    w.service
        .accounts()
        .admin_delete_user_attributes(AdminDeleteUserAttributesRequest {
            user_pool_id: pool.clone(),
            username: "alice".into(),
            user_attribute_names: vec!["phone_number".into()],
        })
        .await
        .expect("admin delete");
    w.service
        .accounts()
        .delete_user_attributes(DeleteUserAttributesRequest {
            access_token: t.access_token.clone(),
            user_attribute_names: vec!["email".into()],
        })
        .await
        .expect("delete");
    let user = w
        .service
        .accounts()
        .admin_get_user(admin(&pool, "alice"))
        .await
        .unwrap();
    assert!(
        !user
            .user_attributes
            .iter()
            .any(|a| a.name == "phone_number" || a.name == "email")
    );
    assert_kind(
        w.service
            .accounts()
            .delete_user_attributes(DeleteUserAttributesRequest {
                access_token: t.access_token,
                user_attribute_names: vec!["sub".into()],
            })
            .await,
        "InvalidParameterException",
    );
}

#[tokio::test]
async fn deleted_users_are_gone_with_their_tokens() {
    let mut w = world!();
    let (pool, client, t) = alice(&mut w).await;
    w.service
        .accounts()
        .delete_user(AccessTokenRequest {
            access_token: t.access_token.clone(),
        })
        .await
        .expect("delete");
    assert_kind(
        w.service
            .accounts()
            .get_user(AccessTokenRequest {
                access_token: t.access_token.clone(),
            })
            .await,
        "NotAuthorizedException",
    );
    assert_error(
        w.service
            .accounts()
            .admin_get_user(admin(&pool, "alice"))
            .await,
        "UserNotFoundException",
        "User does not exist.",
    );
    w.user(&client, "bob", PASSWORD).await;
    w.service
        .accounts()
        .admin_delete_user(admin(&pool, "bob"))
        .await
        .expect("admin delete");
    assert_kind(
        w.service
            .accounts()
            .admin_delete_user(admin(&pool, "bob"))
            .await,
        "UserNotFoundException",
    );
    assert_kind(
        w.password_sign_in(&client, "bob", PASSWORD).await,
        "UserNotFoundException",
    );
}

#[tokio::test]
async fn list_users_filters_pages_and_projects() {
    let w = world!();
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    for name in ["ann", "bob", "cat", "dan", "eve"] {
        w.user(&client, name, PASSWORD).await;
    }
    let page = |limit: i64, token: Option<String>| ListUsersRequest {
        user_pool_id: pool.clone(),
        limit: Some(limit),
        pagination_token: token,
        ..Default::default()
    };
    let first = w
        .service
        .accounts()
        .list_users(page(2, None))
        .await
        .expect("first page");
    assert_eq!(
        first
            .users
            .iter()
            .map(|u| u.username.as_str())
            .collect::<Vec<_>>(),
        ["ann", "bob"]
    );
    let second = w
        .service
        .accounts()
        .list_users(page(2, first.pagination_token.clone()))
        .await
        .expect("second");
    assert_eq!(second.users[0].username, "cat");
    let filtered = w
        .service
        .accounts()
        .list_users(ListUsersRequest {
            user_pool_id: pool.clone(),
            filter: Some(r#"email ^= "d""#.into()),
            attributes_to_get: Some(vec!["email".into()]),
            ..Default::default()
        })
        .await
        .expect("filter");
    assert_eq!(filtered.users.len(), 1);
    assert_eq!(
        filtered.users[0].attributes,
        vec![Attribute::new("email", "dan@example.com")]
    );
    assert_error(
        w.service
            .accounts()
            .list_users(ListUsersRequest {
                user_pool_id: pool.clone(),
                filter: Some("email = ".into()),
                ..Default::default()
            })
            .await,
        "InvalidParameterException",
        "Error while parsing filter",
    );
    assert_kind(
        w.service.accounts().list_users(page(61, None)).await,
        "InvalidParameterException",
    );
    let json = serde_json::to_value(&first).unwrap();
    assert!(
        json["Users"][0]["UserCreateDate"].is_number()
            && json["Users"][0]["UserStatus"] == "CONFIRMED"
    );
}
