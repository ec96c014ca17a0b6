//! SIGTERM during a burst of writes: requests in flight are answered, the process exits 0,
//! and every write it acknowledged is there after a restart.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use aws_sdk_cognitoidentityprovider::error::SdkError;
use aws_sdk_cognitoidentityprovider::types::MessageActionType;
use tokio::sync::Notify;

use crate::process::{self, Server};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_drains_and_loses_no_acknowledged_write() {
    let dir = process::data_dir("sigterm");
    let args = [
        "--data-dir",
        dir.to_str().unwrap(),
        "--log-level",
        "info",
        "--rate-limits",
        "off",
    ];
    let server = Server::start(&args);
    let (pool, _client) = process::pool_and_client(&server.sdk, false).await;

    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let count = Arc::new(AtomicUsize::new(0));
    let progress = Arc::new(Notify::new());
    let mut writers = Vec::new();
    for w in 0..16 {
        let sdk = server.sdk.clone();
        let pool = pool.clone();
        let (acked, count, progress) = (acked.clone(), count.clone(), progress.clone());
        writers.push(tokio::spawn(async move {
            for i in 0.. {
                let name = format!("w{w}n{i}");
                let r = sdk
                    .admin_create_user()
                    .user_pool_id(&pool)
                    .username(&name)
                    .message_action(MessageActionType::Suppress)
                    .send()
                    .await;
                match r {
                    Ok(_) => {
                        acked.lock().unwrap().push(name);
                        count.fetch_add(1, Ordering::SeqCst);
                        progress.notify_waiters();
                    }
                    // The server stopped answering: this writer is done.
                    Err(
                        SdkError::DispatchFailure(_)
                        | SdkError::ResponseError(_)
                        | SdkError::TimeoutError(_),
                    ) => {
                        return Ok(i);
                    }
                    Err(e) => return Err(format!("{name}: {e:?}")),
                }
            }
            Ok(0)
        }));
    }
    // SIGTERM once the burst is well under way.
    tokio::time::timeout(process::DEADLINE, async {
        while count.load(Ordering::SeqCst) < 40 {
            let notified = progress.notified();
            if count.load(Ordering::SeqCst) >= 40 {
                break;
            }
            notified.await;
        }
    })
    .await
    .expect("40 writes acknowledged in time");
    server.sigterm();
    for writer in writers {
        writer.await.unwrap().unwrap_or_else(|e| {
            panic!("a write failed with a service error during the drain: {e}")
        });
    }
    let (status, stderr) = server.exited().await;
    assert!(status.success(), "exit {status:?}\n{stderr}");
    assert!(
        stderr.contains("shutting down: finishing requests in flight"),
        "{stderr}"
    );
    assert!(stderr.contains("stopped"), "{stderr}");

    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= 40);
    let again = Server::start(&args);
    for name in &acked {
        again
            .sdk
            .admin_get_user()
            .user_pool_id(&pool)
            .username(name)
            .send()
            .await
            .unwrap_or_else(|e| panic!("acknowledged AdminCreateUser of {name} lost: {e:?}"));
    }
    eprintln!(
        "SIGTERM drain: {} acknowledged writes, all present after restart",
        acked.len()
    );
}
