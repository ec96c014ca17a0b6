//! The data commands: `migrate apply|status`, `check`, `rotate-keys`, `export`, `import`,
//! `backup`, and `--help` for each.

use crate::process::{self, Server};

#[test]
fn every_command_has_help() {
    for command in [
        &["--help"][..],
        &["serve", "--help"],
        &["migrate", "--help"],
        &["check", "--help"],
        &["import-users", "--help"],
        &["import-errors", "--help"],
        &["rotate-keys", "--help"],
        &["export", "--help"],
        &["import", "--help"],
        &["backup", "--help"],
    ] {
        let (code, stdout, stderr) = process::run(command);
        assert_eq!(code, Some(0), "{command:?}: {stderr}");
        assert!(
            stdout.contains("Usage: userpool-server"),
            "{command:?}: {stdout}"
        );
        assert!(stdout.contains("--config"), "{command:?}: {stdout}");
    }
    let (_, stdout, _) = process::run(&["--help"]);
    for command in [
        "serve",
        "migrate",
        "check",
        "rotate-keys",
        "export",
        "import",
        "backup",
        "import-users",
        "import-errors",
    ] {
        assert!(stdout.contains(command), "{stdout}");
    }
}

#[test]
fn migrate_status_apply_and_check_on_sqlite() {
    let dir = process::data_dir("migrate");
    let data = dir.to_str().unwrap();
    let (code, stdout, stderr) = process::run(&["migrate", "status", "--data-dir", data]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert!(
        stdout.contains("initial") && stdout.contains("pending"),
        "{stdout}"
    );
    assert!(
        stderr.contains("pending: run `userpool-server migrate apply`"),
        "{stderr}"
    );
    let (code, _, stderr) = process::run(&["check", "--data-dir", data]);
    assert_eq!(
        code,
        Some(1),
        "an unmigrated database fails the check: {stderr}"
    );

    let (code, stdout, stderr) = process::run(&["migrate", "apply", "--data-dir", data]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("schema migrated from version 0 to"),
        "{stdout}"
    );
    let (code, stdout, _) = process::run(&["migrate", "--data-dir", data]);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("nothing to apply"), "{stdout}");
    let (code, stdout, stderr) = process::run(&["migrate", "status", "--data-dir", data]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stdout.contains("pending"), "{stdout}");
    let (code, stdout, stderr) = process::run(&["check", "--data-dir", data]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("integrity ok; schema version"), "{stdout}");
}

#[test]
fn migrate_and_check_on_postgres() {
    let Some(url) = process::postgres_url("migrate_and_check_on_postgres") else {
        return;
    };
    let schema = format!("up_t_migrate_{}", std::process::id());
    let store = [
        "--database-url",
        url.as_str(),
        "--database-schema",
        schema.as_str(),
    ];
    let with = |command: &[&'static str]| {
        let mut all: Vec<&str> = command.to_vec();
        all.extend_from_slice(&store);
        process::run(&all)
    };
    let (code, stdout, stderr) = with(&["migrate", "apply"]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    let (code, stdout, stderr) = with(&["check"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("Postgres database: integrity ok (connected)"),
        "{stdout}"
    );
    assert!(!stdout.contains(&url), "the URL is never printed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotate_keys_replaces_every_pools_signing_keys() {
    let dir = process::data_dir("rotate");
    let data = dir.to_str().unwrap();
    let server = Server::start(&["--data-dir", data]);
    let (pool, _) = process::pool_and_client(&server.sdk, false).await;
    let jwks_path = format!("/{pool}/.well-known/jwks.json");
    let (_, before) = server.get(&jwks_path).await;
    server.sigterm();
    assert!(server.exited().await.0.success());

    let (code, stdout, stderr) = process::run(&["rotate-keys", "--data-dir", data]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains(&format!("{pool}: new keys")), "{stdout}");
    assert!(
        stdout.contains("rotated the signing keys of 1 pool(s)"),
        "{stdout}"
    );

    let server = Server::start(&["--data-dir", data]);
    let (_, after) = server.get(&jwks_path).await;
    let kids = |jwks: &str| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_str(jwks).unwrap();
        v["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["kid"].as_str().unwrap().to_owned())
            .collect()
    };
    let (before, after) = (kids(&before), kids(&after));
    assert_eq!(
        after.len(),
        before.len() * 2,
        "new keys beside the retired ones"
    );
    assert!(before.iter().all(|k| after.contains(k)));

    let (code, _, stderr) = process::run(&[
        "rotate-keys",
        "--data-dir",
        data,
        "--pool",
        "us-east-1_Nope00000",
    ]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("ResourceNotFoundException") || stderr.contains("does not exist"),
        "{stderr}"
    );
}
