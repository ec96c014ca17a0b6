//! CreateUserImportJob, StartUserImportJob (which returns at once: the rows are imported in
//! the background, see [`import_worker`](super::import_worker)), DescribeUserImportJob,
//! ListUserImportJobs, StopUserImportJob, and the refused rows of a job (a userpool
//! extension), with the CSV uploaded through [`Admin::upload_user_import_csv`].

use std::sync::atomic::Ordering;

use user_pool_model::{PoolConfig, UserPoolId};
use userpool_store::{ImportJob, StoreError};

use crate::admin::Admin;
use crate::admin::import_worker::{self, STALE_SECONDS};
use crate::admin::pools::page_limit;
use crate::core::missing;
use crate::error::{Error, ErrorKind, Result};
use crate::service::Issuer;
use crate::wire::*;

/// Largest CSV file a user-import job accepts (Cognito's 100 MB).
pub const MAX_IMPORT_CSV_BYTES: usize = user_pool_model::csv_import::MAX_FILE_BYTES;
/// How long a job's `PreSignedUrl` accepts the upload, from the job's creation.
pub const IMPORT_URL_SECONDS: i64 = 3600;

impl Admin {
    fn import_error(&self, e: StoreError) -> Error {
        match e {
            StoreError::ImportJobNotFound => {
                Error::new(ErrorKind::ResourceNotFound, "Import job not found.")
            }
            other => Error::from(other),
        }
    }

    fn job_type(&self, pool: &PoolConfig, job: &ImportJob) -> UserImportJobType {
        let base = match &self.core.issuer {
            Issuer::SelfHosted { base_url } => base_url.trim_end_matches('/').to_owned(),
            Issuer::Aws => crate::service::DEFAULT_BASE_URL.to_owned(),
        };
        let expires = job.created + IMPORT_URL_SECONDS;
        let signature = self.import_url_signature(&pool.id, &job.id, expires);
        UserImportJobType {
            job_name: job.name.clone(),
            job_id: job.id.clone(),
            user_pool_id: pool.id.as_str().to_owned(),
            pre_signed_url: format!(
                "{base}/_userpool/import/{}/{}?expires={expires}&signature={signature}",
                pool.id.as_str(),
                job.id
            ),
            creation_date: job.created as f64,
            status: job.status.clone(),
            imported_users: job.imported,
            skipped_users: job.skipped,
            failed_users: job.failed,
            completion_message: job.message.clone(),
            start_date: job.started.map(|t| t as f64),
            completion_date: job.completed.map(|t| t as f64),
        }
    }

    async fn job(&self, pool: &PoolConfig, id: Option<&str>) -> Result<ImportJob> {
        let id = id
            .filter(|i| !i.is_empty())
            .ok_or_else(|| missing("jobId"))?;
        let job = self
            .core
            .store()
            .get_import_job(&pool.id, id)
            .await
            .map_err(|e| self.import_error(e))?;
        self.unless_stale(pool, job).await
    }

    /// `job`, or, when it is still `InProgress` / `Stopping` but no task runs it and its
    /// heartbeat is older than [`STALE_SECONDS`] (its server stopped), the job failed.
    async fn unless_stale(&self, pool: &PoolConfig, mut job: ImportJob) -> Result<ImportJob> {
        let running = matches!(job.status.as_str(), "InProgress" | "Stopping");
        if !running
            || self.core.now() - job.heartbeat <= STALE_SECONDS
            || self
                .core
                .import_jobs
                .get(pool.id.as_str(), &job.id)
                .is_some()
        {
            return Ok(job);
        }
        job.status = "Failed".into();
        job.completed = Some(self.core.now());
        job.message = Some(format!(
            "The import job ended with its server. {} users were imported; start a new job to import the rest.",
            job.imported
        ));
        self.core
            .store()
            .put_import_job(&pool.id, job.clone())
            .await
            .map_err(|e| self.import_error(e))?;
        Ok(job)
    }

    /// CreateUserImportJob: a job waiting for its CSV file.
    pub async fn create_user_import_job(
        &self,
        req: UserImportJobRequest,
    ) -> Result<UserImportJobResponse> {
        crate::audit::event("CreateUserImportJob");
        let pool = self.core.pool(&req.user_pool_id).await?;
        let name = req
            .job_name
            .clone()
            .filter(|n| (1..=128).contains(&n.chars().count()))
            .ok_or_else(|| missing("jobName"))?;
        let id: String = self
            .core
            .entropy
            .uuid()?
            .chars()
            .filter(|c| *c != '-')
            .take(10)
            .collect();
        let id = format!("import-{id}");
        let job = ImportJob {
            id,
            name,
            status: "Created".into(),
            created: self.core.now(),
            imported: 0,
            skipped: 0,
            failed: 0,
            message: None,
            csv: None,
            started: None,
            completed: None,
            heartbeat: 0,
            errors: Vec::new(),
        };
        self.core
            .store()
            .put_import_job(&pool.id, job.clone())
            .await
            .map_err(|e| self.import_error(e))?;
        Ok(UserImportJobResponse {
            user_import_job: self.job_type(&pool, &job),
        })
    }

    /// The MAC that makes a job's `PreSignedUrl` a capability (HMAC-SHA256 under a key derived
    /// from the master key, over pool, job and expiry; base64url).
    fn import_url_signature(&self, pool: &UserPoolId, job: &str, expires: i64) -> String {
        use base64::Engine as _;
        use hmac::{KeyInit, Mac};
        let derived = crate::core::derive(&self.core.keyring, b"userpool/v1/import-url");
        let mut mac = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(derived.as_ref())
            .unwrap_or_else(|_| <hmac::Hmac<sha2::Sha256> as KeyInit>::new(&Default::default()));
        for part in [pool.as_str(), job, &expires.to_string()] {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part.as_bytes());
        }
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    /// Checks a `PUT` to a `PreSignedUrl` before its body is read: the signature (constant
    /// time), the expiry, and that the job still waits for its file. `query` is the URL's query
    /// string. Any failure is `NotAuthorizedException` without saying which part failed.
    pub async fn check_import_upload(
        &self,
        pool_id: &str,
        job_id: &str,
        query: &str,
    ) -> Result<()> {
        let refuse = || Error::new(ErrorKind::NotAuthorized, "The upload URL is not valid.");
        let mut expires = None;
        let mut signature = None;
        for (k, v) in form_urlencoded::parse(query.as_bytes()) {
            match k.as_ref() {
                "expires" if expires.is_none() => expires = v.parse::<i64>().ok(),
                "signature" if signature.is_none() => signature = Some(v.into_owned()),
                _ => return Err(refuse()),
            }
        }
        let (Some(expires), Some(signature)) = (expires, signature) else {
            return Err(refuse());
        };
        let pool_id = UserPoolId::parse(pool_id).map_err(|_| refuse())?;
        let expected = self.import_url_signature(&pool_id, job_id, expires);
        let valid: bool =
            subtle::ConstantTimeEq::ct_eq(expected.as_bytes(), signature.as_bytes()).into();
        if !valid || self.core.now() > expires {
            return Err(refuse());
        }
        let job = self
            .core
            .store()
            .get_import_job(&pool_id, job_id)
            .await
            .map_err(|_| refuse())?;
        if job.status != "Created" || job.csv.is_some() {
            return Err(refuse());
        }
        Ok(())
    }

    /// The CSV upload (what a `PUT` to `PreSignedUrl` does): stored with the job until it
    /// starts. Once per job: a second upload (or one racing the first) is refused.
    pub async fn upload_user_import_csv(
        &self,
        pool_id: &str,
        job_id: &str,
        csv: Vec<u8>,
    ) -> Result<()> {
        crate::audit::event("UploadUserImportCsv");
        let pool = self.core.pool(pool_id).await?;
        let mut job = self.job(&pool, Some(job_id)).await?;
        if job.status != "Created" {
            return Err(Error::new(
                ErrorKind::InvalidParameter,
                "The import job has already started.",
            ));
        }
        let marker: [u8; 32] = <sha2::Sha256 as sha2::Digest>::digest(
            format!("userpool/v1/import-upload/{job_id}").as_bytes(),
        )
        .into();
        let first = self
            .core
            .store()
            .mark_used(&pool.id, &marker, job.created + IMPORT_URL_SECONDS + 86_400)
            .await?;
        if !first || job.csv.is_some() {
            return Err(Error::new(
                ErrorKind::InvalidParameter,
                "The file of this import job was uploaded already.",
            ));
        }
        if csv.len() > MAX_IMPORT_CSV_BYTES {
            return Err(Error::new(
                ErrorKind::InvalidParameter,
                "The CSV file is too large.",
            ));
        }
        job.csv = Some(csv);
        self.core
            .store()
            .put_import_job(&pool.id, job)
            .await
            .map_err(|e| self.import_error(e))
    }

    /// ListUserImportJobs.
    pub async fn list_user_import_jobs(
        &self,
        req: ListUserImportJobsRequest,
    ) -> Result<ListUserImportJobsResponse> {
        crate::audit::event("ListUserImportJobs");
        let pool = self.core.pool(&req.user_pool_id).await?;
        let limit = page_limit(req.max_results, "maxResults", true)?;
        let page = self
            .core
            .store()
            .list_import_jobs(&pool.id, limit, req.pagination_token.as_deref())
            .await
            .map_err(|e| self.import_error(e))?;
        let mut jobs = Vec::with_capacity(page.items.len());
        for job in page.items {
            jobs.push(self.job_type(&pool, &self.unless_stale(&pool, job).await?));
        }
        Ok(ListUserImportJobsResponse {
            user_import_jobs: jobs,
            pagination_token: page.next,
        })
    }

    /// StartUserImportJob: checks the job can start, marks it `InProgress` and returns at
    /// once; a background task imports every valid row as a `RESET_REQUIRED` user (no
    /// password: they complete with ForgotPassword, or sign in with the password of an
    /// imported `password_hash`), counting imported, skipped (existing) and failed rows.
    pub async fn start_user_import_job(
        &self,
        req: UserImportJobRequest,
    ) -> Result<UserImportJobResponse> {
        crate::audit::event("StartUserImportJob");
        let pool = self.core.pool(&req.user_pool_id).await?;
        let mut job = self.job(&pool, req.job_id.as_deref()).await?;
        if job.status != "Created" {
            return Err(Error::new(
                ErrorKind::InvalidParameter,
                "The import job has already started.",
            ));
        }
        let csv = job.csv.take().ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidParameter,
                "No CSV file was uploaded for this job.",
            )
        })?;
        job.status = "InProgress".into();
        job.started = Some(self.core.now());
        job.heartbeat = self.core.now();
        self.core
            .store()
            .put_import_job(&pool.id, job.clone())
            .await
            .map_err(|e| self.import_error(e))?;
        let response = UserImportJobResponse {
            user_import_job: self.job_type(&pool, &job),
        };
        import_worker::spawn(self.core.clone(), pool, job, csv).await;
        Ok(response)
    }

    /// DescribeUserImportJob: the job with its progress so far.
    pub async fn describe_user_import_job(
        &self,
        req: UserImportJobRequest,
    ) -> Result<UserImportJobResponse> {
        crate::audit::event("DescribeUserImportJob");
        let pool = self.core.pool(&req.user_pool_id).await?;
        let job = self.job(&pool, req.job_id.as_deref()).await?;
        Ok(UserImportJobResponse {
            user_import_job: self.job_type(&pool, &job),
        })
    }

    /// StopUserImportJob: a job `InProgress` becomes `Stopping`; its task ends it `Stopped`
    /// after the batch it is in (the users of finished batches stay). Any other status is
    /// `PreconditionNotMetException`.
    pub async fn stop_user_import_job(
        &self,
        req: UserImportJobRequest,
    ) -> Result<UserImportJobResponse> {
        crate::audit::event("StopUserImportJob");
        let pool = self.core.pool(&req.user_pool_id).await?;
        let control = req
            .job_id
            .as_deref()
            .and_then(|id| self.core.import_jobs.get(pool.id.as_str(), id));
        let _order = match &control {
            Some(c) => Some(c.writes.lock().await),
            None => None,
        };
        let mut job = self.job(&pool, req.job_id.as_deref()).await?;
        if job.status != "InProgress" {
            return Err(Error::new(
                ErrorKind::PreconditionNotMet,
                format!("The import job is {}, not InProgress.", job.status),
            ));
        }
        job.status = "Stopping".into();
        self.core
            .store()
            .put_import_job(&pool.id, job.clone())
            .await
            .map_err(|e| self.import_error(e))?;
        if let Some(c) = &control {
            c.stop.store(true, Ordering::Release);
        }
        Ok(UserImportJobResponse {
            user_import_job: self.job_type(&pool, &job),
        })
    }

    /// ListUserImportJobErrors (a userpool extension: Cognito writes them to CloudWatch
    /// Logs): the rows a job refused so far, in file order, with their line and reason. At
    /// most [`MAX_KEPT_ERRORS`](import_worker::MAX_KEPT_ERRORS) are kept; `FailedUsers`
    /// counts all.
    pub async fn list_user_import_job_errors(
        &self,
        req: UserImportJobRequest,
    ) -> Result<UserImportJobErrorsResponse> {
        crate::audit::event("ListUserImportJobErrors");
        let pool = self.core.pool(&req.user_pool_id).await?;
        let job = self.job(&pool, req.job_id.as_deref()).await?;
        Ok(UserImportJobErrorsResponse {
            errors: job
                .errors
                .into_iter()
                .map(|e| UserImportJobErrorType {
                    line: e.line as u64,
                    message: e.message,
                })
                .collect(),
            failed_users: job.failed,
        })
    }

    /// Waits until a job this service runs has ended (at once for any other job) and
    /// describes it. For tools and tests; polling DescribeUserImportJob works as well.
    pub async fn wait_user_import_job(
        &self,
        req: UserImportJobRequest,
    ) -> Result<UserImportJobResponse> {
        let pool = self.core.pool(&req.user_pool_id).await?;
        let control = req
            .job_id
            .as_deref()
            .and_then(|id| self.core.import_jobs.get(pool.id.as_str(), id));
        if let Some(control) = control {
            control.finished().await;
        }
        self.describe_user_import_job(req).await
    }
}
