//! The background side of user-import jobs: StartUserImportJob hands the uploaded file to a
//! task that reads it row by row and inserts the users of every batch of [`BATCH_ROWS`] rows in
//! one store write ([`UserStore::insert_users`](userpool_store::UserStore::insert_users)), then
//! saves the job's counts, its refused rows and a heartbeat, so DescribeUserImportJob shows the
//! progress. A stop (StopUserImportJob, here or on another server sharing the store) is
//! seen between batches.
//!
//! A job does not survive its server: the file lives only in the task once the job started.
//! A job still `InProgress` (or `Stopping`) whose heartbeat is older than [`STALE_SECONDS`]
//! and that no task of this service runs is failed when next read, with the users imported
//! so far kept and counted; importing the rest takes a new job (rows already imported are
//! then skipped as existing users).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use user_pool_model::csv_import::{CsvImport, ImportRules, ImportedUser, RowError};
use user_pool_model::{MfaConfiguration, MfaMethod, PoolConfig, Sub, User, UserStatus};
use userpool_store::{ImportJob, StoreError, UserKeys};

use crate::core::Core;
use crate::error::Result;
use crate::imported_hash;

/// Rows read and inserted between two saves of the job.
pub const BATCH_ROWS: usize = 1_000;
/// Refused rows kept with a job (`FailedUsers` counts them all).
pub const MAX_KEPT_ERRORS: usize = 1_000;
/// A running job saves at least this often; one silent for longer lost its server.
pub const STALE_SECONDS: i64 = 120;

/// One running job's controls.
#[derive(Debug)]
pub(crate) struct JobControl {
    /// StopUserImportJob asked this job to stop.
    pub(crate) stop: AtomicBool,
    /// Orders the job record's writes (the worker's and StopUserImportJob's).
    pub(crate) writes: tokio::sync::Mutex<()>,
    /// Becomes `true` when the job ended.
    done: tokio::sync::watch::Sender<bool>,
}

/// The jobs this service runs, by `pool/job`.
#[derive(Debug, Default)]
pub(crate) struct RunningJobs(Mutex<HashMap<String, Arc<JobControl>>>);

fn key(pool: &str, job: &str) -> String {
    format!("{pool}/{job}")
}

impl RunningJobs {
    /// The controls of job `job` of `pool`, if this service runs it.
    pub(crate) fn get(&self, pool: &str, job: &str) -> Option<Arc<JobControl>> {
        self.0.lock().ok()?.get(&key(pool, job)).cloned()
    }

    fn register(&self, pool: &str, job: &str) -> Arc<JobControl> {
        let control = Arc::new(JobControl {
            stop: AtomicBool::new(false),
            writes: tokio::sync::Mutex::new(()),
            done: tokio::sync::watch::channel(false).0,
        });
        if let Ok(mut jobs) = self.0.lock() {
            jobs.insert(key(pool, job), control.clone());
        }
        control
    }

    fn finish(&self, pool: &str, job: &str, control: &JobControl) {
        if let Ok(mut jobs) = self.0.lock() {
            jobs.remove(&key(pool, job));
        }
        control.done.send_replace(true);
    }
}

impl JobControl {
    /// Waits until the job ended.
    pub(crate) async fn finished(&self) {
        let mut rx = self.done.subscribe();
        let _ = rx.wait_for(|done| *done).await;
    }
}

/// Starts `job` (already saved `InProgress`) on `csv`: on the runtime's task pool when there
/// is one, else to completion before returning.
pub(crate) async fn spawn(core: Arc<Core>, pool: PoolConfig, job: ImportJob, csv: Vec<u8>) {
    let control = core.import_jobs.register(pool.id.as_str(), &job.id);
    let run = async move {
        let (pool_id, job_id) = (pool.id.as_str().to_owned(), job.id.clone());
        Worker {
            core: core.clone(),
            pool,
            job,
            control: control.clone(),
        }
        .run(&csv)
        .await;
        core.import_jobs.finish(&pool_id, &job_id, &control);
    };
    match tokio::runtime::Handle::try_current() {
        Ok(handle) => drop(handle.spawn(run)),
        Err(_) => run.await,
    }
}

/// A user that a stored one (or another of the same batch) leaves no room for.
fn is_conflict(e: &StoreError) -> bool {
    matches!(
        e,
        StoreError::UsernameExists | StoreError::AliasExists(_) | StoreError::SubExists
    )
}

struct Worker {
    core: Arc<Core>,
    pool: PoolConfig,
    job: ImportJob,
    control: Arc<JobControl>,
}

impl Worker {
    async fn run(mut self, csv: &[u8]) {
        let pool = self.pool.clone();
        let rules = ImportRules {
            schema: &pool.schema,
            mfa_required: match pool.mfa {
                MfaConfiguration::On => Some(true),
                MfaConfiguration::Off => Some(false),
                _ => None,
            },
            auto_verified: &pool.auto_verified_attributes,
        };
        let mut file = match CsvImport::new(csv, rules) {
            Ok(file) => file,
            Err(e) => return self.end("Failed", e.to_string()).await,
        };
        loop {
            let mut end = false;
            let mut batch = Vec::with_capacity(BATCH_ROWS);
            for _ in 0..BATCH_ROWS {
                match file.next_row() {
                    None => {
                        end = true;
                        break;
                    }
                    Some(Err(e)) => self.refuse(e),
                    Some(Ok(row)) => match self.prepare(row) {
                        Ok(Some(user)) => batch.push(user),
                        Ok(None) => {}
                        Err(e) => return self.stopped_by(&e).await,
                    },
                }
            }
            if let Err(e) = self.commit(batch).await {
                return self.stopped_by(&e).await;
            }
            if end {
                let message = format!(
                    "Import Job Completed Successfully. {} errors.",
                    self.job.failed
                );
                return self.end("Succeeded", message).await;
            }
            // A stop seen now, or one that came in while the progress was being saved, ends
            // the job after this batch.
            if self.stop_requested().await || !self.save().await {
                let message = format!(
                    "Import Job Stopped. {} users were imported.",
                    self.job.imported
                );
                return self.end("Stopped", message).await;
            }
            tokio::task::yield_now().await;
        }
    }

    fn refuse(&mut self, error: RowError) {
        self.job.failed += 1;
        if self.job.errors.len() < MAX_KEPT_ERRORS {
            self.job.errors.push(error);
        }
    }

    /// The user a row describes, ready to insert; `None` for a row refused here (counted).
    fn prepare(&mut self, row: ImportedUser) -> Result<Option<(User, UserKeys)>> {
        let core = &self.core;
        let sub = core.entropy.with(Sub::generate)?;
        let mut user = User::new(&row.username, sub, UserStatus::ResetRequired, core.now());
        user.attributes = row.attributes;
        if row.mfa_enabled && user.attributes.contains_key("phone_number") {
            user.mfa.enabled.push(MfaMethod::SmsMfa);
        }
        if let Some(hash) = row.password_hash.as_deref() {
            if let Err(message) = imported_hash::check(hash) {
                self.refuse(RowError {
                    line: row.line,
                    message,
                });
                return Ok(None);
            }
            user.imported_password_hash =
                Some(core.seal_imported_hash(&self.pool.id, &user, hash)?);
        }
        let keys = UserKeys::for_user(&user, &self.pool);
        Ok(Some((user, keys)))
    }

    /// Inserts a batch's users in one store write. A batch that clashes with existing users
    /// (or within itself) goes in again one user at a time, so each clashing row is counted as
    /// skipped and the rest imported; only a store failure is an error.
    async fn commit(&mut self, batch: Vec<(User, UserKeys)>) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let store = self.core.store();
        match store.insert_users(&self.pool.id, &batch).await {
            Ok(()) => {
                self.job.imported += batch.len() as u64;
                return Ok(());
            }
            Err(e) if !is_conflict(&e) => return Err(e.into()),
            Err(_) => {}
        }
        for (user, keys) in batch {
            match store.insert_user(&self.pool.id, user, &keys).await {
                Ok(_) => self.job.imported += 1,
                Err(e) if is_conflict(&e) => self.job.skipped += 1,
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    /// Ends the job after a failure that is not one row's.
    async fn stopped_by(self, error: &crate::Error) {
        let message = format!(
            "The import stopped: {}. {} users were imported.",
            error.message(),
            self.job.imported
        );
        self.end("Failed", message).await;
    }

    /// Whether StopUserImportJob asked for a stop, here or (through the store) elsewhere.
    async fn stop_requested(&self) -> bool {
        if self.control.stop.load(Ordering::Acquire) {
            return true;
        }
        matches!(
            self.core.store().get_import_job(&self.pool.id, &self.job.id).await,
            Ok(stored) if stored.status == "Stopping"
        )
    }

    /// Saves the job's progress; `false` (nothing saved) when a stop came in since the last
    /// check, whose `Stopping` stays in place.
    async fn save(&mut self) -> bool {
        let _order = self.control.writes.lock().await;
        if self.control.stop.load(Ordering::Acquire) && self.job.status == "InProgress" {
            return false;
        }
        self.job.heartbeat = self.core.now();
        if let Err(e) = self
            .core
            .store()
            .put_import_job(&self.pool.id, self.job.clone())
            .await
        {
            crate::audit!(error: pool = %self.pool.id.as_str(), job = %self.job.id, error = %e, "import job progress not saved");
        }
        true
    }

    async fn end(mut self, status: &str, message: String) {
        self.job.status = status.to_owned();
        self.job.message = Some(message);
        self.job.completed = Some(self.core.now());
        self.control.stop.store(false, Ordering::Release);
        self.save().await;
        crate::audit!(operation = "UserImportJob", pool = %self.pool.id.as_str(), job = %self.job.id, status, imported = self.job.imported, skipped = self.job.skipped, failed = self.job.failed);
    }
}
