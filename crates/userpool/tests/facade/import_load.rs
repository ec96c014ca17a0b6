//! 100,000 users imported in the background while sign-ins go on (`#[ignore]`d: run it in
//! release with `cargo test --release -p userpool --test facade import_load -- --ignored
//! --nocapture`; it prints both rates).

use std::sync::atomic::{AtomicU64, Ordering};

use userpool::wire::*;

use super::support::*;

const USERS: usize = 100_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a load run: 100,000 users; run in release"]
async fn a_hundred_thousand_users_import_while_sign_ins_continue() {
    let w = world!();
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    for i in 0..4 {
        w.user(&client, &format!("signer{i}"), PASSWORD).await;
    }
    let header = w
        .service
        .admin()
        .get_csv_header(UserPoolIdRequest {
            user_pool_id: pool.clone(),
        })
        .await
        .expect("header")
        .csv_header;
    let mut csv = header.join(",");
    for i in 0..USERS {
        csv.push('\n');
        let row: Vec<String> = header
            .iter()
            .map(|c| match c.as_str() {
                "cognito:username" => format!("bulk{i:06}"),
                "email" => format!("bulk{i:06}@example.com"),
                "email_verified" => "true".into(),
                "cognito:mfa_enabled" => "false".into(),
                _ => String::new(),
            })
            .collect();
        csv.push_str(&row.join(","));
    }
    let job = w
        .service
        .admin()
        .create_user_import_job(UserImportJobRequest {
            user_pool_id: pool.clone(),
            job_name: Some("load".into()),
            ..Default::default()
        })
        .await
        .expect("create")
        .user_import_job;
    w.service
        .admin()
        .upload_user_import_csv(&pool, &job.job_id, csv.into_bytes())
        .await
        .expect("upload");
    let req = UserImportJobRequest {
        user_pool_id: pool.clone(),
        job_id: Some(job.job_id),
        ..Default::default()
    };
    let signed_in = AtomicU64::new(0);
    let started = std::time::Instant::now();
    let first = w
        .service
        .admin()
        .start_user_import_job(req.clone())
        .await
        .expect("start");
    assert_eq!(first.user_import_job.status, "InProgress");
    let answered = started.elapsed();
    let sign_ins = async {
        let mut i = 0usize;
        loop {
            let name = format!("signer{}", i % 4);
            tokens(
                &w.password_sign_in(&client, &name, PASSWORD)
                    .await
                    .expect("sign-in during the import"),
            );
            signed_in.fetch_add(1, Ordering::Relaxed);
            i += 1;
            // A memory store never makes a sign-in wait: let `select!` see the job end.
            tokio::task::yield_now().await;
        }
    };
    let done = tokio::select! {
        done = w.service.admin().wait_user_import_job(req) => done.expect("job"),
        () = sign_ins => unreachable!("sign-ins never end"),
    }
    .user_import_job;
    let elapsed = started.elapsed().as_secs_f64();
    let sign_ins = signed_in.load(Ordering::Relaxed);
    assert_eq!(
        (done.status.as_str(), done.imported_users, done.failed_users),
        ("Succeeded", USERS as u64, 0)
    );
    assert!(sign_ins > 0, "sign-ins went on during the import");
    println!(
        "StartUserImportJob answered in {:.1} ms; {USERS} users imported in {elapsed:.2} s ({:.0} users/s) while {sign_ins} sign-ins succeeded ({:.0} sign-ins/s)",
        answered.as_secs_f64() * 1000.0,
        USERS as f64 / elapsed,
        sign_ins as f64 / elapsed
    );
}
