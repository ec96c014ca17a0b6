//! `export`, `import` and `backup` as an operator runs them: a live SQLite server exported
//! and backed up, the dump imported into new data directories (same master key; portable to
//! a new key) and into PostgreSQL, servers started on each, and the old password signing in.

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

use aws_sdk_cognitoidentityprovider::types::AuthFlowType;
use userpool_testkit::oauth::confirmed_user;

use crate::process::{self, PASSWORD, Server};

/// USER_PASSWORD_AUTH for alice: whether she got tokens.
async fn alice_signs_in(server: &Server, client: &str) -> bool {
    server
        .sdk
        .initiate_auth()
        .client_id(client)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "alice")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .map(|out| out.authentication_result.is_some())
        .unwrap_or(false)
}

fn private_file(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

fn ok(args: &[&str]) -> String {
    let (code, stdout, stderr) = process::run(args);
    assert_eq!(code, Some(0), "{args:?}: {stdout}{stderr}");
    stdout
}

fn refused(args: &[&str]) -> String {
    let (code, stdout, stderr) = process::run(args);
    assert_eq!(code, Some(1), "{args:?}: {stdout}{stderr}");
    stderr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_import_and_backup_move_a_live_sqlite_server() {
    let root = process::data_dir("data-commands");
    let path = |name: &str| root.join(name).to_str().unwrap().to_owned();
    let source = path("source");
    let server = Server::start(&["--data-dir", &source]);
    let (pool, client) = process::pool_and_client(&server.sdk, false).await;
    confirmed_user(&server.sdk, &pool, "alice").await;
    assert!(alice_signs_in(&server, &client).await);

    // While it serves: an export (read from an online backup) and a backup.
    let dump = path("dump.jsonl");
    let out = ok(&["export", "--data-dir", &source, "--out", &dump]);
    assert!(
        out.starts_with(&format!(
            "exported 4 record(s) (1 client, 1 pool, 1 signing_keys, 1 user) to {dump}; secrets sealed under this server's master key"
        )),
        "{out}"
    );
    let mode = std::fs::metadata(&dump).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let first = std::fs::read_to_string(&dump).unwrap();
    assert!(first.starts_with(r#"{"format":"userpool-export","version":1,"#));
    let backup = path("backup");
    let out = ok(&["backup", "--data-dir", &source, "--out", &backup]);
    assert_eq!(
        out.trim(),
        format!(
            "backup written to {backup} (userpool.db and master.key); restore with: userpool-server --data-dir {backup}"
        )
    );
    let passphrase = path("passphrase");
    private_file(Path::new(&passphrase), "a long and private passphrase\n");
    let portable = path("portable.jsonl");
    let out = ok(&[
        "export",
        "--data-dir",
        &source,
        "--out",
        &portable,
        "--portable",
        &passphrase,
    ]);
    assert!(
        out.contains("secrets portable: sealed under the passphrase"),
        "{out}"
    );
    server.sigterm();
    assert!(server.exited().await.0.success());

    let e = refused(&["export", "--data-dir", &source, "--out", &dump]);
    assert!(e.contains("exists: export writes a new file"), "{e}");
    let e = refused(&["backup", "--data-dir", &source, "--out", &backup]);
    assert!(e.contains("is not an empty directory"), "{e}");

    // Same master key: the source's key copied beside the new database.
    let same = path("same-key");
    std::fs::create_dir_all(&same).unwrap();
    let e = refused(&["import", &dump, "--data-dir", &same]);
    assert!(e.contains("master.key"), "no master key, no import: {e}");
    let key = std::fs::read_to_string(root.join("source/master.key")).unwrap();
    private_file(&root.join("same-key/master.key"), &key);
    let out = ok(&["import", &dump, "--data-dir", &same]);
    assert!(out.starts_with("imported 4 record(s)"), "{out}");
    let e = refused(&["import", &dump, "--data-dir", &same]);
    assert!(
        e.contains(&format!(
            "the target store is not empty (it holds user pool {pool}): import only into an empty store"
        )),
        "{e}"
    );
    // Under another master key, a dump sealed as stored does not open.
    let other = path("other-key");
    std::fs::create_dir_all(&other).unwrap();
    private_file(&root.join("other-key/master.key"), &"ab".repeat(32));
    let e = refused(&["import", &dump, "--data-dir", &other]);
    assert!(
        e.contains(&format!(
            "the secrets of signing keys of {pool} do not open under the target's master key"
        )),
        "{e}"
    );

    // Portable: a new data directory, a new master key.
    let moved = path("moved");
    let e = refused(&["import", &portable, "--data-dir", &moved]);
    assert!(e.contains("the dump is portable"), "{e}");
    let wrong = path("wrong-passphrase");
    private_file(Path::new(&wrong), "not it\n");
    let e = refused(&[
        "import",
        &portable,
        "--data-dir",
        &moved,
        "--portable",
        &wrong,
    ]);
    assert!(e.contains("the passphrase does not open this dump"), "{e}");
    let out = ok(&[
        "import",
        &portable,
        "--data-dir",
        &moved,
        "--portable",
        &passphrase,
    ]);
    assert!(out.starts_with("imported 4 record(s)"), "{out}");
    assert_ne!(
        std::fs::read_to_string(root.join("moved/master.key")).unwrap(),
        key,
        "the new server has its own master key"
    );

    // Broken files: typed errors, nothing written.
    let truncated = path("truncated.jsonl");
    std::fs::write(&truncated, &first[..first.len() - 10]).unwrap();
    let fresh = path("fresh");
    std::fs::create_dir_all(&fresh).unwrap();
    private_file(&root.join("fresh/master.key"), &key);
    let e = refused(&["import", &truncated, "--data-dir", &fresh]);
    assert!(
        e.contains("the dump is truncated: it ends after 4 record(s) without its end record"),
        "{e}"
    );
    let newer = path("newer.jsonl");
    std::fs::write(&newer, first.replacen("\"version\":1", "\"version\":9", 1)).unwrap();
    let e = refused(&["import", &newer, "--data-dir", &fresh]);
    assert!(
        e.contains("unsupported export version 9 (this build reads version 1)"),
        "{e}"
    );

    // Every copy serves alice with her old password.
    for dir in [&same, &moved, &backup, &source] {
        let server = Server::start(&["--data-dir", dir]);
        assert!(
            alice_signs_in(&server, &client).await,
            "{dir}: {}",
            server.stderr()
        );
        server.sigterm();
        assert!(server.exited().await.0.success());
    }
    // The fresh directory got nothing from the refused imports.
    let (code, stdout, _) = process::run(&[
        "export",
        "--data-dir",
        &fresh,
        "--out",
        &path("empty.jsonl"),
    ]);
    assert_eq!(code, Some(0));
    assert!(stdout.starts_with("exported 0 record(s)"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_export_imports_into_postgres() {
    let Some(url) = process::postgres_url("a_sqlite_export_imports_into_postgres") else {
        return;
    };
    let root = process::data_dir("data-to-postgres");
    let source = root.join("source").to_str().unwrap().to_owned();
    let server = Server::start(&["--data-dir", &source]);
    let (pool, client) = process::pool_and_client(&server.sdk, false).await;
    confirmed_user(&server.sdk, &pool, "alice").await;
    server.sigterm();
    assert!(server.exited().await.0.success());
    let dump = root.join("dump.jsonl").to_str().unwrap().to_owned();
    ok(&["export", "--data-dir", &source, "--out", &dump]);

    let schema = format!("up_t_import_{}", std::process::id());
    let key = root.join("source/master.key").to_str().unwrap().to_owned();
    let target = [
        "--database-url",
        url.as_str(),
        "--database-schema",
        schema.as_str(),
        "--master-key-file",
        key.as_str(),
    ];
    let mut import = vec!["import", dump.as_str()];
    import.extend_from_slice(&target);
    let out = ok(&import);
    assert!(out.starts_with("imported 4 record(s)"), "{out}");
    assert!(!out.contains(&url), "the URL is never printed");
    let mut backup = vec!["backup", "--out", "unused"];
    backup.extend_from_slice(&target);
    let e = refused(&backup);
    assert!(
        e.contains("backup is for SQLite; back PostgreSQL up with pg_dump"),
        "{e}"
    );

    let server = Server::start(&target);
    assert!(alice_signs_in(&server, &client).await);
}
