//! `import-users` and `import-errors` beside a live server on the same SQLite database: the
//! job the command runs is the server's too (ListUserImportJobs shows it), imported users
//! are the server's users, a refused row is printed with its line, an existing user is
//! skipped, and a failed job exits 1.

use userpool_testkit::oauth::confirmed_user;

use crate::process::{self, Server};

/// Cognito's CSV (the pool's GetCSVHeader columns) for users `user00000…`, then one row with a
/// bad `email_verified` and one for the existing `alice`.
async fn csv(server: &Server, pool: &str, users: usize) -> String {
    let header = server
        .sdk
        .get_csv_header()
        .user_pool_id(pool)
        .send()
        .await
        .unwrap()
        .csv_header
        .unwrap();
    let row = |name: &str, verified: &str| {
        header
            .iter()
            .map(|c| match c.as_str() {
                "cognito:username" => name.to_owned(),
                "email" => format!("{name}@example.com"),
                "email_verified" => verified.to_owned(),
                "cognito:mfa_enabled" => "false".into(),
                _ => String::new(),
            })
            .collect::<Vec<_>>()
            .join(",")
    };
    let mut out = header.join(",");
    for i in 0..users {
        out.push('\n');
        out.push_str(&row(&format!("user{i:05}"), "true"));
    }
    out.push('\n');
    out.push_str(&row("badrow", "maybe"));
    out.push('\n');
    out.push_str(&row("alice", "true"));
    out.push('\n');
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_users_runs_a_job_the_live_server_sees() {
    let root = process::data_dir("import-users");
    let dir = root.join("data").to_str().unwrap().to_owned();
    let server = Server::start(&["--data-dir", &dir]);
    let (pool, _client) = process::pool_and_client(&server.sdk, false).await;
    confirmed_user(&server.sdk, &pool, "alice").await;
    let file = root.join("users.csv");
    std::fs::write(&file, csv(&server, &pool, 2_500).await).unwrap();
    let file = file.to_str().unwrap();

    let (code, stdout, stderr) =
        process::run(&["import-users", file, "--pool", &pool, "--data-dir", &dir]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    let first = stdout.lines().next().unwrap();
    let job = first
        .strip_prefix("job ")
        .and_then(|rest| rest.split(' ').next())
        .unwrap()
        .to_owned();
    assert_eq!(
        first,
        format!("job {job} into {pool}: Succeeded — 2500 imported, 1 skipped, 1 failed")
    );
    assert!(
        stdout.contains("line 2502: email_verified must be TRUE or FALSE."),
        "{stdout}"
    );
    // Not a terminal: no progress bar drawn.
    assert!(!stderr.contains("rows ·"), "{stderr}");

    // The live server sees the job and the users.
    let jobs = server
        .sdk
        .list_user_import_jobs()
        .user_pool_id(&pool)
        .max_results(10)
        .send()
        .await
        .unwrap()
        .user_import_jobs
        .unwrap();
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].job_id.as_deref(), Some(job.as_str()));
    assert_eq!(
        (
            jobs[0].imported_users,
            jobs[0].skipped_users,
            jobs[0].failed_users
        ),
        (2_500, 1, 1)
    );
    let user = server
        .sdk
        .admin_get_user()
        .user_pool_id(&pool)
        .username("user02499")
        .send()
        .await
        .unwrap();
    assert_eq!(
        user.user_status,
        Some(aws_sdk_cognitoidentityprovider::types::UserStatusType::ResetRequired)
    );

    let (code, stdout, stderr) = process::run(&[
        "import-errors",
        "--pool",
        &pool,
        "--job",
        &job,
        "--data-dir",
        &dir,
    ]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert_eq!(stdout, "line 2502: email_verified must be TRUE or FALSE.\n");

    // A file without a header the pool accepts: the job fails, the command exits 1.
    let bad = root.join("bad.csv");
    std::fs::write(&bad, "cognito:username,shoe_size\nbob,42\n").unwrap();
    let (code, stdout, stderr) = process::run(&[
        "import-users",
        bad.to_str().unwrap(),
        "--pool",
        &pool,
        "--data-dir",
        &dir,
    ]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert!(
        stdout.contains(": Failed — 0 imported, 0 skipped, 0 failed"),
        "{stdout}"
    );
    assert!(stderr.contains("the import job ended Failed"), "{stderr}");
}
