//! What a SQLite file holds after a sign-up and an SRP sign-in: no password and no token a
//! reader of the file (or its WAL) could use. (Codes are six digits, which a file full of
//! timestamps may hold by chance; the store contract only ever sees their keyed hashes.)

use std::sync::Arc;

use userpool_store_sql::SqlStoreOptions;

use super::support::*;

/// Every byte of the database: the main file and its write-ahead log.
fn database_bytes(path: &std::path::Path) -> Vec<u8> {
    let mut bytes = std::fs::read(path).unwrap_or_default();
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    bytes.extend(std::fs::read(std::path::Path::new(&wal)).unwrap_or_default());
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn no_secret_is_stored_in_plaintext() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("facade-sqlite");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("at-rest-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let store = SqlStoreOptions::new(format!("sqlite:{}", path.display()))
        .connect()
        .await
        .unwrap();
    let mut w = World::on(Arc::new(store));
    let pool = w.pool().await;
    let client = w.client(&pool).await;
    let password = "Sentinel-Pa55word!";
    w.user(&client, "carol", password).await;
    let signed_in = w.srp_sign_in(&client, "carol", password).await.unwrap();
    let t = tokens(&signed_in);
    let bytes = database_bytes(&path);
    assert!(
        contains(&bytes, "carol"),
        "the scan reads the data it should"
    );
    assert!(!contains(&bytes, password), "password");
    let refresh = t.refresh_token.as_ref().unwrap().expose_secret();
    assert!(!contains(&bytes, refresh), "refresh token");
    let access = t.access_token.expose_secret();
    assert!(!contains(&bytes, access), "access token");
}
