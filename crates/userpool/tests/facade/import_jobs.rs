//! User-import jobs beyond Cognito's synchronous picture: password hashes imported with the
//! users (each algorithm signs in once, then the hash is gone), jobs that run in the
//! background, stop, keep their refused rows, and fail cleanly when their server is gone.

use password_hash::{CustomizedPasswordHasher as _, PasswordHasher as _};
use userpool::wire::*;
use userpool_store::ImportJob;

use super::support::*;

const SALT: &[u8] = b"0123456789abcdef";

/// One hash of `password` per algorithm, with small costs.
fn hashes(password: &str) -> [(&'static str, String); 4] {
    let argon = argon2::Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        argon2::Params::new(64, 1, 1, None).expect("params"),
    )
    .hash_password_with_salt(password.as_bytes(), SALT)
    .expect("argon2");
    let bcrypt = bcrypt::hash_with_salt(password, 4, [7; 16])
        .expect("bcrypt")
        .format_for_version(bcrypt::Version::TwoB);
    let scrypt = scrypt::Scrypt::new()
        .hash_password_with_params(
            password.as_bytes(),
            SALT,
            scrypt::Params::new(4, 8, 1).expect("params"),
        )
        .expect("scrypt");
    let pbkdf2 = pbkdf2::Pbkdf2::SHA256
        .hash_password_with_params(
            password.as_bytes(),
            SALT,
            pbkdf2::Params::new(1000).expect("params"),
        )
        .expect("pbkdf2");
    [
        ("argon", argon.to_string()),
        ("bcrypt", bcrypt),
        ("scrypt", scrypt.to_string()),
        ("pbkdf2", pbkdf2.to_string()),
    ]
}

/// A CSV file of `rows` (username, password hash), with the `password_hash` column.
async fn csv(w: &World, pool: &str, rows: &[(String, String)]) -> Vec<u8> {
    let mut header = w
        .service
        .admin()
        .get_csv_header(UserPoolIdRequest {
            user_pool_id: pool.into(),
        })
        .await
        .expect("header")
        .csv_header;
    header.push("password_hash".into());
    let mut out = header.join(",");
    for (username, hash) in rows {
        out.push_str("\r\n");
        let row: Vec<String> = header
            .iter()
            .map(|c| match c.as_str() {
                "cognito:username" => username.clone(),
                "email" => format!("{username}@example.com"),
                "email_verified" => "true".into(),
                "cognito:mfa_enabled" => "false".into(),
                // PHC strings hold commas (`m=64,t=1,p=1`): quoted.
                "password_hash" => format!("\"{hash}\""),
                _ => String::new(),
            })
            .collect();
        out.push_str(&row.join(","));
    }
    out.into_bytes()
}

/// Creates a job for `file`, uploads it and starts it; the job request.
async fn start(w: &World, pool: &str, file: Vec<u8>) -> UserImportJobRequest {
    let job = w
        .service
        .admin()
        .create_user_import_job(UserImportJobRequest {
            user_pool_id: pool.into(),
            job_name: Some("hashes".into()),
            ..Default::default()
        })
        .await
        .expect("create")
        .user_import_job;
    w.service
        .admin()
        .upload_user_import_csv(pool, &job.job_id, file)
        .await
        .expect("upload");
    let req = UserImportJobRequest {
        user_pool_id: pool.into(),
        job_id: Some(job.job_id),
        ..Default::default()
    };
    let started = w
        .service
        .admin()
        .start_user_import_job(req.clone())
        .await
        .expect("start");
    assert_eq!(started.user_import_job.status, "InProgress");
    req
}

fn admin_sign_in(pool: &str, client: &str, username: &str, password: &str) -> InitiateAuthRequest {
    InitiateAuthRequest {
        user_pool_id: Some(pool.into()),
        client_id: client.into(),
        auth_flow: "ADMIN_USER_PASSWORD_AUTH".into(),
        auth_parameters: SecretMap::of(&[("USERNAME", username), ("PASSWORD", password)]),
        ..Default::default()
    }
}

#[tokio::test]
async fn hash_imported_users_of_each_algorithm_sign_in_once_with_their_password() {
    let mut w = world!();
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    let old = "Old-passw0rd!";
    let mut rows: Vec<(String, String)> = hashes(old)
        .into_iter()
        .map(|(name, hash)| (name.to_owned(), hash))
        .collect();
    let absurd = rows[1].1.replacen("$04$", "$20$", 1);
    rows.push(("greedy".into(), absurd));
    rows.push(("plain".into(), "md5:abc".into()));
    rows.push(("forgetful".into(), rows[0].1.clone()));
    let job = start(&w, &pool, csv(&w, &pool, &rows).await).await;
    let done = w
        .service
        .admin()
        .wait_user_import_job(job.clone())
        .await
        .expect("done")
        .user_import_job;
    assert_eq!(
        (done.status.as_str(), done.imported_users, done.failed_users),
        ("Succeeded", 5, 2)
    );
    let errors = w
        .service
        .admin()
        .list_user_import_job_errors(job)
        .await
        .expect("errors");
    assert_eq!(
        errors,
        UserImportJobErrorsResponse {
            errors: vec![
                UserImportJobErrorType {
                    line: 6,
                    message: "password_hash: bcrypt cost 20 is above the limit of 14.".into()
                },
                UserImportJobErrorType {
                    line: 7,
                    message: "password_hash must be an argon2id, bcrypt, scrypt or pbkdf2-sha256 hash in PHC format ($2b$ for bcrypt).".into()
                },
            ],
            failed_users: 2,
        }
    );
    for (name, _) in hashes(old) {
        let key = user_pool_model::CaseRule::Sensitive.username_key(name);
        // Before the first password sign-in: SRP answers as for any imported user.
        let handshake = srp::ClientHandshake::start(&mut w.rng).expect("client");
        assert_error(
            w.service
                .sign_in()
                .initiate_auth(InitiateAuthRequest {
                    client_id: client.clone(),
                    auth_flow: "USER_SRP_AUTH".into(),
                    auth_parameters: SecretMap::of(&[
                        ("USERNAME", name),
                        ("SRP_A", &handshake.srp_a()),
                    ]),
                    ..Default::default()
                })
                .await,
            "PasswordResetRequiredException",
            "Password reset required for the user",
        );
        assert_error(
            w.password_sign_in(&client, name, "Wrong-passw0rd!").await,
            "NotAuthorizedException",
            "Incorrect username or password.",
        );
        let stored = w
            .store
            .get_user(
                &user_pool_model::UserPoolId::parse(&pool).expect("id"),
                &key,
            )
            .await;
        let stored = stored.expect("store").expect("user");
        assert!(stored.imported_password_hash.is_some() && stored.password.is_none());
        // The first sign-in with the old password: through the admin flow for one of them.
        let signed_in = if name == "bcrypt" {
            w.service
                .sign_in()
                .admin_initiate_auth(admin_sign_in(&pool, &client, name, old))
                .await
        } else {
            w.password_sign_in(&client, name, old).await
        };
        tokens(&signed_in.expect("signs in"));
        let stored = w
            .store
            .get_user(
                &user_pool_model::UserPoolId::parse(&pool).expect("id"),
                &key,
            )
            .await;
        let stored = stored.expect("store").expect("user");
        assert_eq!(stored.imported_password_hash, None, "{name}: hash dropped");
        assert_eq!(stored.status, user_pool_model::UserStatus::Confirmed);
        assert!(stored.password.is_some());
        // From now on the password is an ordinary one: SRP works, a wrong one still fails.
        tokens(&w.srp_sign_in(&client, name, old).await.expect("srp"));
        assert_error(
            w.password_sign_in(&client, name, "Wrong-passw0rd!").await,
            "NotAuthorizedException",
            "Incorrect username or password.",
        );
    }
    // A reset works as for any imported user, and drops the hash too.
    w.service
        .accounts()
        .forgot_password(ClientUserRequest {
            client_id: client.clone(),
            username: "forgetful".into(),
            ..Default::default()
        })
        .await
        .expect("forgot");
    let code = w.outbox.last_code(&pool, "forgetful").expect("code");
    w.service
        .accounts()
        .confirm_forgot_password(ConfirmForgotPasswordRequest {
            client_id: client.clone(),
            username: "forgetful".into(),
            confirmation_code: code.as_str().into(),
            password: "New-passw0rd!".into(),
            ..Default::default()
        })
        .await
        .expect("reset");
    let stored = w
        .store
        .get_user(
            &user_pool_model::UserPoolId::parse(&pool).expect("id"),
            &user_pool_model::CaseRule::Sensitive.username_key("forgetful"),
        )
        .await;
    assert_eq!(
        stored.expect("store").expect("user").imported_password_hash,
        None
    );
    assert_error(
        w.password_sign_in(&client, "forgetful", old).await,
        "NotAuthorizedException",
        "Incorrect username or password.",
    );
    tokens(
        &w.password_sign_in(&client, "forgetful", "New-passw0rd!")
            .await
            .expect("new"),
    );
}

#[tokio::test]
async fn a_stopped_job_ends_after_its_batch_and_keeps_what_it_imported() {
    let w = world!();
    let pool = w.pool().await;
    let rows: Vec<(String, String)> = (0..2_500)
        .map(|i| (format!("user{i:05}"), String::new()))
        .collect();
    let job = start(&w, &pool, csv(&w, &pool, &rows).await).await;
    let stopping = w
        .service
        .admin()
        .stop_user_import_job(job.clone())
        .await
        .expect("stop")
        .user_import_job;
    assert_eq!(stopping.status, "Stopping");
    let done = w
        .service
        .admin()
        .wait_user_import_job(job.clone())
        .await
        .expect("ends")
        .user_import_job;
    // Stopped after the batch the stop found in progress: the first, or (on a store whose
    // reads let the job run ahead of the stop) the second — never the whole file.
    let imported = done.imported_users;
    assert!(
        imported > 0 && imported < 2_500 && imported % userpool::BATCH_ROWS as u64 == 0,
        "{done:?}"
    );
    assert_eq!(
        (done.status.as_str(), done.completion_message),
        (
            "Stopped",
            Some(format!(
                "Import Job Stopped. {imported} users were imported."
            ))
        )
    );
    assert_error(
        w.service.admin().stop_user_import_job(job).await,
        "PreconditionNotMetException",
        "The import job is Stopped, not InProgress.",
    );
}

#[tokio::test]
async fn a_job_whose_server_stopped_fails_cleanly() {
    let w = world!();
    let pool = w.pool().await;
    let id: user_pool_model::UserPoolId = user_pool_model::UserPoolId::parse(&pool).expect("id");
    let orphan = ImportJob {
        id: "import-orphan0001".into(),
        name: "left behind".into(),
        status: "InProgress".into(),
        created: w.now() - 1_000,
        imported: 3_000,
        skipped: 0,
        failed: 0,
        message: None,
        csv: None,
        started: Some(w.now() - 900),
        completed: None,
        heartbeat: w.now() - userpool::STALE_SECONDS - 1,
        errors: Vec::new(),
    };
    w.store.put_import_job(&id, orphan).await.expect("put");
    let req = UserImportJobRequest {
        user_pool_id: pool.clone(),
        job_id: Some("import-orphan0001".into()),
        ..Default::default()
    };
    let job = w
        .service
        .admin()
        .describe_user_import_job(req)
        .await
        .expect("describe")
        .user_import_job;
    assert_eq!(
        (
            job.status.as_str(),
            job.imported_users,
            job.completion_message.as_deref()
        ),
        (
            "Failed",
            3_000,
            Some(
                "The import job ended with its server. 3000 users were imported; start a new job to import the rest."
            )
        )
    );
    assert_eq!(job.completion_date, Some(w.now() as f64));
}

/// The hosted UI's sign-in page adopts an imported hash too: the old password signs in there,
/// the hash becomes an SRP verifier, and a wrong password is refused as for anyone.
#[tokio::test]
async fn a_hash_imported_user_signs_in_on_the_hosted_ui() {
    let mut w = world!();
    let pool = w.pool().await;
    w.service
        .admin()
        .create_user_pool_domain(UserPoolDomainRequest {
            domain: format!("hash-{}", pool.to_lowercase().replace('_', "-")),
            user_pool_id: pool.clone(),
            ..Default::default()
        })
        .await
        .expect("domain");
    let client = w
        .client_with(&pool, |c| {
            c.allowed_oauth_flows_user_pool_client = true;
            c.allowed_oauth_flows = vec!["code".into()];
            c.allowed_oauth_scopes = vec!["openid".into()];
            c.callback_urls = vec!["https://app.example.com/cb".into()];
            c.supported_identity_providers = vec!["COGNITO".into()];
        })
        .await
        .client_id;
    let old = "Old-passw0rd!";
    let [_, _, _, (name, hash)] = hashes(old);
    let job = start(&w, &pool, csv(&w, &pool, &[(name.to_owned(), hash)]).await).await;
    w.service
        .admin()
        .wait_user_import_job(job)
        .await
        .expect("done");
    let request = w
        .service
        .hosted()
        .hosted_request(
            &format!(
                "response_type=code&client_id={client}&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&scope=openid"
            ),
            None,
        )
        .await
        .expect("a valid request");
    let wrong = w
        .service
        .hosted()
        .hosted_sign_in(&request, name, &"Wrong-passw0rd!".into())
        .await;
    assert_error(
        wrong,
        "NotAuthorizedException",
        "Incorrect username or password.",
    );
    match w
        .service
        .hosted()
        .hosted_sign_in(&request, name, &old.into())
        .await
        .expect("signed in")
    {
        HostedStep::SignedIn { location, .. } => {
            assert!(
                location.starts_with("https://app.example.com/cb?code="),
                "{location}"
            );
        }
        other => panic!("{other:?}"),
    }
    let stored = w
        .store
        .get_user(
            &user_pool_model::UserPoolId::parse(&pool).expect("id"),
            &user_pool_model::CaseRule::Sensitive.username_key(name),
        )
        .await
        .expect("store")
        .expect("user");
    assert_eq!(stored.imported_password_hash, None);
    assert_eq!(stored.status, user_pool_model::UserStatus::Confirmed);
    tokens(&w.srp_sign_in(&client, name, old).await.expect("srp"));
}
