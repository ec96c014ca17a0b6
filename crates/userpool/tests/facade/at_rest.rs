//! What a SQLite file holds after a sign-up and an SRP sign-in: no password, no token and no
//! app client secret a reader of the file (or its WAL) could use. (Codes are six digits, which
//! a file full of timestamps may hold by chance; the store contract only ever sees their keyed
//! hashes.) A client secret an earlier version stored in plaintext keeps working.

use std::sync::Arc;

use userpool::wire::*;
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

/// A new SQLite database file for one test, and a world on it.
async fn world_on_file(name: &str) -> (World, std::path::PathBuf) {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("facade-sqlite");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let store = SqlStoreOptions::new(format!("sqlite:{}", path.display()))
        .connect()
        .await
        .unwrap();
    (World::on(Arc::new(store)), path)
}

/// A public client for sign-up, a confidential one with a generated secret, and alice.
async fn pool_with_secret_client(w: &World) -> (String, UserPoolClientType) {
    let pool = w.pool().await;
    let public = w.client(&pool).await;
    let confidential = w
        .client_with(&pool, |r| {
            r.client_name = Some("confidential".into());
            r.generate_secret = true;
        })
        .await;
    w.user(&public, "alice", PASSWORD).await;
    (pool, confidential)
}

/// USER_PASSWORD_AUTH through the confidential client, with SECRET_HASH of `secret`.
async fn sign_in_with_secret(
    w: &World,
    client: &UserPoolClientType,
    secret: &str,
) -> Result<AuthResponse, userpool::Error> {
    let hash = user_pool_model::secret_hash(
        &user_pool_model::ClientSecret::parse(secret).unwrap(),
        "alice",
        &user_pool_model::ClientId::parse(&client.client_id).unwrap(),
    );
    w.service
        .sign_in()
        .initiate_auth(InitiateAuthRequest {
            client_id: client.client_id.clone(),
            auth_flow: "USER_PASSWORD_AUTH".into(),
            auth_parameters: SecretMap::of(&[
                ("USERNAME", "alice"),
                ("PASSWORD", PASSWORD),
                ("SECRET_HASH", &hash),
            ]),
            ..Default::default()
        })
        .await
}

async fn described_secret(w: &World, pool: &str, client: &str) -> String {
    w.service
        .admin()
        .describe_user_pool_client(UserPoolClientIdRequest {
            user_pool_id: pool.into(),
            client_id: client.into(),
        })
        .await
        .unwrap()
        .user_pool_client
        .client_secret
        .unwrap()
        .expose_secret()
        .to_owned()
}

#[tokio::test]
async fn no_client_secret_is_stored_in_plaintext() {
    let (w, path) = world_on_file("client-secret").await;
    let (pool, client) = pool_with_secret_client(&w).await;
    let secret = client.client_secret.clone().unwrap();
    let secret = secret.expose_secret();
    assert_eq!(secret.len(), 51);
    let bytes = database_bytes(&path);
    assert!(
        contains(&bytes, &client.client_id),
        "the scan reads the clients"
    );
    assert!(!contains(&bytes, secret), "client secret");

    // Cognito still returns it, and it still checks SECRET_HASH.
    assert_eq!(described_secret(&w, &pool, &client.client_id).await, secret);
    sign_in_with_secret(&w, &client, secret)
        .await
        .expect("sign-in with SECRET_HASH");
    let wrong = "0".repeat(51);
    assert_error(
        sign_in_with_secret(&w, &client, &wrong).await,
        "NotAuthorizedException",
        &format!(
            "Unable to verify secret hash for client {}",
            client.client_id
        ),
    );
    // An update keeps the secret, sealed.
    w.service
        .admin()
        .update_user_pool_client(UserPoolClientRequest {
            user_pool_id: pool.clone(),
            client_id: Some(client.client_id.clone()),
            explicit_auth_flows: Some(vec!["ALLOW_USER_PASSWORD_AUTH".into()]),
            ..Default::default()
        })
        .await
        .unwrap();
    sign_in_with_secret(&w, &client, secret)
        .await
        .expect("sign-in after the update");
    assert!(!contains(&database_bytes(&path), secret), "client secret");
}

/// The record of client `id` as JSON, straight from the file.
async fn client_record(db: &sqlx::SqlitePool, id: &str) -> serde_json::Value {
    let data: String = sqlx::query_scalar("SELECT data FROM up_clients WHERE id = ?")
        .bind(id)
        .fetch_one(db)
        .await
        .unwrap();
    serde_json::from_str(&data).unwrap()
}

#[tokio::test]
async fn a_client_secret_stored_in_plaintext_before_still_works_and_is_sealed_on_load() {
    let (w, path) = world_on_file("legacy-client-secret").await;
    let (pool, client) = pool_with_secret_client(&w).await;
    let secret = client.client_secret.clone().unwrap();
    let secret = secret.expose_secret();

    // Rewrite the record as a version before sealing stored it: the secret in plaintext.
    let db = sqlx::SqlitePool::connect(&format!("sqlite:{}", path.display()))
        .await
        .unwrap();
    let mut record = client_record(&db, &client.client_id).await;
    assert!(record.get("secret").is_none());
    assert!(record["sealed_secret"].is_array());
    let fields = record.as_object_mut().unwrap();
    fields.remove("sealed_secret");
    fields.insert("secret".into(), secret.into());
    sqlx::query("UPDATE up_clients SET data = ? WHERE id = ?")
        .bind(record.to_string())
        .bind(&client.client_id)
        .execute(&db)
        .await
        .unwrap();

    sign_in_with_secret(&w, &client, secret)
        .await
        .expect("sign-in with the plaintext record");
    let record = client_record(&db, &client.client_id).await;
    assert!(record.get("secret").is_none(), "sealed on load");
    assert!(record["sealed_secret"].is_array());
    assert!(!record.to_string().contains(secret));
    assert_eq!(described_secret(&w, &pool, &client.client_id).await, secret);
    sign_in_with_secret(&w, &client, secret)
        .await
        .expect("sign-in with the sealed record");
    db.close().await;
}
