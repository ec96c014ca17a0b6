use std::sync::Arc;

use crate::{Store, StoreError, UserKeys, WebAuthnCredential};

use super::{key, new_pool, user};

fn credential(owner: &str, id: &[u8], created: i64) -> WebAuthnCredential {
    WebAuthnCredential {
        username_key: key(owner),
        credential_id: id.to_vec(),
        public_key: vec![0xa5, 1, 2],
        sign_count: 0,
        friendly_name: "phone".into(),
        relying_party_id: "example.com".into(),
        authenticator_attachment: Some("platform".into()),
        transports: vec!["internal".into(), "hybrid".into()],
        aaguid: vec![0; 16],
        backup_eligible: true,
        backed_up: false,
        created,
    }
}

/// Credentials: unique per pool by id, listed per user oldest first, counters moved only from
/// the expected value, deleted by their owner only, gone with the user.
pub async fn webauthn_credentials(store: Arc<dyn Store>) {
    let pool = new_pool(&store, user_pool_model::CaseRule::Sensitive).await;
    let id = &pool.id;
    for name in ["alice", "bob"] {
        let u = user(name, 1 + u64::from(name == "bob"), None, false);
        store
            .insert_user(id, u.clone(), &UserKeys::for_user(&u, &pool))
            .await
            .unwrap();
    }
    assert_eq!(
        store
            .insert_webauthn_credential(id, credential("nobody", b"c0", 1))
            .await,
        Err(StoreError::UserNotFound)
    );
    store
        .insert_webauthn_credential(id, credential("alice", b"c2", 2))
        .await
        .unwrap();
    store
        .insert_webauthn_credential(id, credential("alice", b"c1", 1))
        .await
        .unwrap();
    assert_eq!(
        store
            .insert_webauthn_credential(id, credential("bob", b"c1", 3))
            .await,
        Err(StoreError::WebAuthnCredentialExists)
    );
    store
        .insert_webauthn_credential(id, credential("bob", b"c3", 3))
        .await
        .unwrap();
    let ids: Vec<Vec<u8>> = store
        .list_webauthn_credentials(id, &key("alice"))
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.credential_id)
        .collect();
    assert_eq!(ids, vec![b"c1".to_vec(), b"c2".to_vec()]);
    assert_eq!(
        store
            .list_webauthn_credentials(id, &key("alice"))
            .await
            .unwrap()[0],
        credential("alice", b"c1", 1)
    );
    store
        .update_webauthn_counter(id, b"c1", 0, 5, true)
        .await
        .unwrap();
    assert_eq!(
        store.update_webauthn_counter(id, b"c1", 0, 6, true).await,
        Err(StoreError::VersionConflict)
    );
    let c1 = &store
        .list_webauthn_credentials(id, &key("alice"))
        .await
        .unwrap()[0];
    assert_eq!((c1.sign_count, c1.backed_up), (5, true));
    assert_eq!(
        store
            .delete_webauthn_credential(id, &key("bob"), b"c1")
            .await,
        Err(StoreError::WebAuthnCredentialNotFound)
    );
    store
        .delete_webauthn_credential(id, &key("alice"), b"c1")
        .await
        .unwrap();
    assert_eq!(
        store
            .delete_webauthn_credential(id, &key("alice"), b"c1")
            .await,
        Err(StoreError::WebAuthnCredentialNotFound)
    );
    store.delete_user(id, &key("alice")).await.unwrap();
    assert!(
        store
            .list_webauthn_credentials(id, &key("alice"))
            .await
            .unwrap()
            .is_empty()
    );
    // A deleted user's credential id may be registered again.
    let u = user("carol", 4, None, false);
    store
        .insert_user(id, u.clone(), &UserKeys::for_user(&u, &pool))
        .await
        .unwrap();
    store
        .insert_webauthn_credential(id, credential("carol", b"c2", 4))
        .await
        .unwrap();
    assert_eq!(
        store
            .list_webauthn_credentials(id, &key("bob"))
            .await
            .unwrap()
            .len(),
        1
    );
}
