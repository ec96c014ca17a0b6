//! Groups, memberships and the group claims.

use userpool::wire::*;

use super::support::*;

#[tokio::test]
async fn groups_memberships_and_claims() {
    let mut w = world!();
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    w.user(&client, "alice", PASSWORD).await;
    let group = |name: &str, precedence: Option<u32>, role: Option<&str>| GroupRequest {
        user_pool_id: pool.clone(),
        group_name: name.into(),
        precedence,
        role_arn: role.map(str::to_owned),
        ..Default::default()
    };
    let created = w
        .service
        .admin()
        .create_group(group(
            "admins",
            Some(1),
            Some("arn:aws:iam::123456789012:role/Admin"),
        ))
        .await
        .expect("create");
    assert_eq!(created.group.creation_date, NOW as f64);
    w.service
        .admin()
        .create_group(group(
            "readers",
            Some(5),
            Some("arn:aws:iam::123456789012:role/Reader"),
        ))
        .await
        .expect("create");
    assert_error(
        w.service
            .admin()
            .create_group(group("admins", None, None))
            .await,
        "GroupExistsException",
        "A group with the name already exists.",
    );
    assert_kind(
        w.service
            .admin()
            .create_group(group("has space", None, None))
            .await,
        "InvalidParameterException",
    );
    let updated = w
        .service
        .admin()
        .update_group(GroupRequest {
            description: Some("Administrators".into()),
            ..group("admins", None, None)
        })
        .await
        .expect("update");
    assert_eq!(
        (
            updated.group.description.as_deref(),
            updated.group.precedence
        ),
        (Some("Administrators"), Some(1))
    );
    assert_eq!(
        w.service
            .admin()
            .get_group(group("admins", None, None))
            .await
            .unwrap()
            .group,
        updated.group
    );

    let member = |g: &str| GroupMemberRequest {
        user_pool_id: pool.clone(),
        username: "alice".into(),
        group_name: g.into(),
    };
    w.service
        .admin()
        .admin_add_user_to_group(member("admins"))
        .await
        .expect("add");
    w.service
        .admin()
        .admin_add_user_to_group(member("readers"))
        .await
        .expect("add");
    w.service
        .admin()
        .admin_add_user_to_group(member("readers"))
        .await
        .expect("idempotent");
    assert_error(
        w.service
            .admin()
            .admin_add_user_to_group(member("nope"))
            .await,
        "ResourceNotFoundException",
        "Group not found.",
    );
    assert_kind(
        w.service
            .admin()
            .admin_add_user_to_group(GroupMemberRequest {
                username: "ghost".into(),
                ..member("admins")
            })
            .await,
        "UserNotFoundException",
    );
    let mine = w
        .service
        .admin()
        .admin_list_groups_for_user(ListRequest {
            user_pool_id: Some(pool.clone()),
            username: Some("alice".into()),
            ..Default::default()
        })
        .await
        .expect("groups of alice");
    assert_eq!(
        mine.groups
            .iter()
            .map(|g| g.group_name.as_str())
            .collect::<Vec<_>>(),
        ["admins", "readers"]
    );
    let members = w
        .service
        .admin()
        .list_users_in_group(ListRequest {
            user_pool_id: Some(pool.clone()),
            group_name: Some("admins".into()),
            ..Default::default()
        })
        .await
        .expect("members");
    assert_eq!(members.users[0].username, "alice");

    let t = tokens(&w.srp_sign_in(&client, "alice", PASSWORD).await.unwrap()).clone();
    let id = claims(t.id_token.expose_secret());
    assert_eq!(
        id["cognito:groups"],
        serde_json::json!(["admins", "readers"])
    );
    assert_eq!(
        id["cognito:preferred_role"],
        "arn:aws:iam::123456789012:role/Admin"
    );
    assert_eq!(id["cognito:roles"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        claims(t.access_token.expose_secret())["cognito:groups"],
        serde_json::json!(["admins", "readers"])
    );

    w.service
        .admin()
        .admin_remove_user_from_group(member("admins"))
        .await
        .expect("remove");
    w.service
        .admin()
        .delete_group(group("readers", None, None))
        .await
        .expect("delete");
    let listed = w
        .service
        .admin()
        .list_groups(ListRequest {
            user_pool_id: Some(pool.clone()),
            ..Default::default()
        })
        .await
        .expect("list");
    assert_eq!(listed.groups.len(), 1);
    let t = tokens(&w.srp_sign_in(&client, "alice", PASSWORD).await.unwrap()).clone();
    assert!(
        claims(t.id_token.expose_secret())
            .get("cognito:groups")
            .is_none(),
        "no groups, no claim"
    );
    assert_error(
        w.service
            .admin()
            .get_group(group("readers", None, None))
            .await,
        "ResourceNotFoundException",
        "Group not found.",
    );
}
