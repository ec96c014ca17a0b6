//! Import jobs.

use std::sync::Arc;

use user_pool_model::CaseRule;

use super::new_pool;
use crate::{ImportJob, Store, StoreError};

/// Import jobs.
pub async fn import_jobs(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    let job = ImportJob {
        id: "import-1".into(),
        name: "j".into(),
        status: "Created".into(),
        created: 0,
        imported: 0,
        skipped: 0,
        failed: 0,
        message: None,
        csv: Some(b"cognito:username\n".to_vec()),
        started: Some(1),
        completed: None,
        heartbeat: 2,
        errors: vec![user_pool_model::csv_import::RowError {
            line: 3,
            message: "m".into(),
        }],
    };
    store.put_import_job(&pool.id, job.clone()).await.unwrap();
    assert_eq!(
        store.get_import_job(&pool.id, "import-1").await.unwrap(),
        job
    );
    assert_eq!(
        store
            .list_import_jobs(&pool.id, 10, None)
            .await
            .unwrap()
            .items
            .len(),
        1
    );
    assert_eq!(
        store.get_import_job(&pool.id, "import-2").await,
        Err(StoreError::ImportJobNotFound)
    );
}
