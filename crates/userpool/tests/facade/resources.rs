//! Resource servers, user pool domains and CSV user-import jobs.

use user_pool_model::ResourceServerScope;
use userpool::wire::*;

use super::support::*;

#[tokio::test]
async fn resource_servers_are_managed() {
    let w = world!();
    let pool = w.pool().await;
    let req = |id: &str, scopes: &[&str]| ResourceServerRequest {
        user_pool_id: pool.clone(),
        identifier: id.into(),
        name: Some("API".into()),
        scopes: scopes
            .iter()
            .map(|s| ResourceServerScope {
                scope_name: (*s).into(),
                scope_description: format!("{s} access"),
            })
            .collect(),
    };
    let created = w
        .service
        .admin()
        .create_resource_server(req("https://api.example.com", &["read"]))
        .await
        .expect("create");
    assert_eq!(created.resource_server.scopes.len(), 1);
    assert_kind(
        w.service
            .admin()
            .create_resource_server(req("https://api.example.com", &[]))
            .await,
        "InvalidParameterException",
    );
    assert_kind(
        w.service
            .admin()
            .create_resource_server(req("has space", &[]))
            .await,
        "InvalidParameterException",
    );
    w.service
        .admin()
        .update_resource_server(req("https://api.example.com", &["read", "write"]))
        .await
        .expect("update");
    let described = w
        .service
        .admin()
        .describe_resource_server(req("https://api.example.com", &[]))
        .await
        .expect("describe");
    assert_eq!(described.resource_server.scopes.len(), 2);
    let listed = w
        .service
        .admin()
        .list_resource_servers(ListRequest {
            user_pool_id: Some(pool.clone()),
            max_results: Some(10),
            ..Default::default()
        })
        .await
        .expect("list");
    assert_eq!(listed.resource_servers.len(), 1);
    w.service
        .admin()
        .delete_resource_server(req("https://api.example.com", &[]))
        .await
        .expect("delete");
    assert_error(
        w.service
            .admin()
            .describe_resource_server(req("https://api.example.com", &[]))
            .await,
        "ResourceNotFoundException",
        "Resource server not found.",
    );
}

#[tokio::test]
async fn domains_name_one_pool_each() {
    let w = world!();
    let pool = w.pool().await;
    let other = w.pool().await;
    let req = |domain: &str, pool: &str| UserPoolDomainRequest {
        domain: domain.into(),
        user_pool_id: pool.into(),
        ..Default::default()
    };
    let created = w
        .service
        .admin()
        .create_user_pool_domain(req("my-app", &pool))
        .await
        .expect("prefix");
    assert_eq!(
        created.cloud_front_domain, None,
        "a prefix has no alias target"
    );
    assert_eq!(created.managed_login_version, Some(1));
    let described = w
        .service
        .admin()
        .describe_user_pool_domain(DescribeUserPoolDomainRequest {
            domain: "my-app".into(),
        })
        .await
        .unwrap()
        .domain_description;
    assert_eq!(described.user_pool_id.as_deref(), Some(pool.as_str()));
    assert_eq!(described.status.as_deref(), Some("ACTIVE"));
    assert_eq!(described.aws_account_id.as_deref(), Some("000000000000"));
    assert_error(
        w.service
            .admin()
            .create_user_pool_domain(req("my-app", &other))
            .await,
        "InvalidParameterException",
        "Domain already associated with another user pool.",
    );
    assert_error(
        w.service
            .admin()
            .create_user_pool_domain(req("second-prefix", &pool))
            .await,
        "InvalidParameterException",
        "User pool already has a domain configured.",
    );
    for bad in ["My_App", "-x", "awsome"] {
        assert_kind(
            w.service
                .admin()
                .create_user_pool_domain(req(bad, &other))
                .await,
            "InvalidParameterException",
        );
    }
    assert_kind(
        w.service
            .admin()
            .create_user_pool_domain(req("auth.example.com", &pool))
            .await,
        "InvalidParameterException",
    );
    let custom = UserPoolDomainRequest {
        custom_domain_config: Some(CustomDomainConfigType {
            certificate_arn: "arn:aws:acm:us-east-1:123456789012:certificate/abc".into(),
        }),
        ..req("auth.example.com", &pool)
    };
    let created = w
        .service
        .admin()
        .create_user_pool_domain(custom)
        .await
        .unwrap();
    assert_eq!(created.cloud_front_domain.as_deref(), Some("localhost"));
    let shown = w
        .service
        .admin()
        .describe_user_pool(UserPoolIdRequest {
            user_pool_id: pool.clone(),
        })
        .await
        .unwrap()
        .user_pool;
    assert_eq!(shown.domain.as_deref(), Some("my-app"));
    assert_eq!(shown.custom_domain.as_deref(), Some("auth.example.com"));
    let updated = w
        .service
        .admin()
        .update_user_pool_domain(UserPoolDomainRequest {
            managed_login_version: Some(2),
            ..req("my-app", &pool)
        })
        .await
        .unwrap();
    assert_eq!(updated.managed_login_version, Some(2));
    assert_error(
        w.service
            .admin()
            .delete_user_pool_domain(req("my-app", &other))
            .await,
        "InvalidParameterException",
        "No such domain or user pool exists.",
    );
    w.service
        .admin()
        .delete_user_pool_domain(req("my-app", &pool))
        .await
        .unwrap();
    let gone = w
        .service
        .admin()
        .describe_user_pool_domain(DescribeUserPoolDomainRequest {
            domain: "my-app".into(),
        })
        .await
        .unwrap();
    assert_eq!(
        gone,
        DescribeUserPoolDomainResponse::default(),
        "empty, not an error"
    );
    // The prefix is free again, for another pool.
    w.service
        .admin()
        .create_user_pool_domain(req("my-app", &other))
        .await
        .unwrap();
}

#[tokio::test]
async fn csv_import_creates_reset_required_users() {
    let w = world!();
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    w.user(&client, "existing", PASSWORD).await;
    let header = w
        .service
        .admin()
        .get_csv_header(UserPoolIdRequest {
            user_pool_id: pool.clone(),
        })
        .await
        .unwrap()
        .csv_header;
    let row = |username: &str, email: &str| {
        header
            .iter()
            .map(|c| match c.as_str() {
                "cognito:username" => username.to_owned(),
                "email" => email.to_owned(),
                "email_verified" => "true".to_owned(),
                "cognito:mfa_enabled" => "false".to_owned(),
                "phone_number_verified" => "false".to_owned(),
                _ => String::new(),
            })
            .collect::<Vec<_>>()
            .join(",")
    };
    let csv = [
        header.join(","),
        row("imported1", "i1@example.com"),
        row("imported2", "i2@example.com"),
        row("existing", "e@example.com"),
        row("bad user", "x@example.com"),
    ]
    .join("\n");

    let job = w
        .service
        .admin()
        .create_user_import_job(UserImportJobRequest {
            user_pool_id: pool.clone(),
            job_name: Some("first".into()),
            cloud_watch_logs_role_arn: Some("arn:aws:iam::1:role/logs".into()),
            ..Default::default()
        })
        .await
        .expect("create")
        .user_import_job;
    assert!(job.job_id.starts_with("import-") && job.status == "Created");
    assert!(
        job.pre_signed_url
            .contains(&format!("/_userpool/import/{pool}/{}?expires=", job.job_id))
    );
    let start = UserImportJobRequest {
        user_pool_id: pool.clone(),
        job_id: Some(job.job_id.clone()),
        ..Default::default()
    };
    assert_error(
        w.service.admin().start_user_import_job(start.clone()).await,
        "InvalidParameterException",
        "No CSV file was uploaded for this job.",
    );
    w.service
        .admin()
        .upload_user_import_csv(&pool, &job.job_id, csv.into_bytes())
        .await
        .expect("upload");
    let started = w
        .service
        .admin()
        .start_user_import_job(start.clone())
        .await
        .expect("start")
        .user_import_job;
    assert_eq!(
        (started.status.as_str(), started.imported_users),
        ("InProgress", 0),
        "StartUserImportJob returns before the rows are read"
    );
    let done = w
        .service
        .admin()
        .wait_user_import_job(start.clone())
        .await
        .expect("ends")
        .user_import_job;
    assert_eq!(done.start_date, Some(w.now() as f64));
    assert_eq!(
        (
            done.status.as_str(),
            done.imported_users,
            done.skipped_users,
            done.failed_users
        ),
        ("Succeeded", 2, 1, 1)
    );
    assert_eq!(
        w.service
            .admin()
            .describe_user_import_job(start.clone())
            .await
            .unwrap()
            .user_import_job,
        done
    );
    assert_kind(
        w.service.admin().start_user_import_job(start).await,
        "InvalidParameterException",
    );
    let listed = w
        .service
        .admin()
        .list_user_import_jobs(ListUserImportJobsRequest {
            user_pool_id: pool.clone(),
            max_results: Some(10),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(listed.user_import_jobs.len(), 1);

    assert_error(
        w.password_sign_in(&client, "imported1", "Anything-1!")
            .await,
        "PasswordResetRequiredException",
        "Password reset required for the user",
    );
    let hidden = w
        .client_with(&pool, |c| {
            c.prevent_user_existence_errors = Some("ENABLED".into())
        })
        .await
        .client_id;
    assert_error(
        w.password_sign_in(&hidden, "imported2", "Anything-1!")
            .await,
        "NotAuthorizedException",
        "Incorrect username or password.",
    );
    w.service
        .accounts()
        .forgot_password(ClientUserRequest {
            client_id: client.clone(),
            username: "imported1".into(),
            ..Default::default()
        })
        .await
        .expect("forgot");
    let code = w.outbox.last_code(&pool, "imported1").unwrap();
    w.service
        .accounts()
        .confirm_forgot_password(ConfirmForgotPasswordRequest {
            client_id: client.clone(),
            username: "imported1".into(),
            confirmation_code: code.as_str().into(),
            password: "Imported-passw0rd!".into(),
            ..Default::default()
        })
        .await
        .expect("set a password");
    tokens(
        &w.password_sign_in(&client, "imported1", "Imported-passw0rd!")
            .await
            .expect("signs in"),
    );
}
