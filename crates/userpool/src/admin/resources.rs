//! CreateResourceServer, DescribeResourceServer, ListResourceServers, UpdateResourceServer,
//! DeleteResourceServer; CreateUserImportJob, StartUserImportJob, DescribeUserImportJob,
//! ListUserImportJobs (with the CSV uploaded through [`Admin::upload_user_import_csv`]).

use user_pool_model::csv_import::{ImportRules, parse_file};
use user_pool_model::{
    MfaConfiguration, MfaMethod, PoolConfig, ResourceServer, Sub, User, UserPoolId, UserStatus,
};
use userpool_store::{ImportJob, StoreError, UserKeys};

use crate::error::{Error, ErrorKind, Result};

/// Largest CSV file a user-import job accepts (Cognito's 100 MB).
pub const MAX_IMPORT_CSV_BYTES: usize = user_pool_model::csv_import::MAX_FILE_BYTES;
/// How long a job's `PreSignedUrl` accepts the upload, from the job's creation.
pub const IMPORT_URL_SECONDS: i64 = 3600;
use crate::admin::Admin;
use crate::admin::pools::page_limit;
use crate::core::missing;
use crate::service::Issuer;
use crate::wire::*;

fn server_type(pool: &PoolConfig, s: &ResourceServer) -> ResourceServerType {
    ResourceServerType {
        user_pool_id: pool.id.as_str().to_owned(),
        identifier: s.identifier.clone(),
        name: s.name.clone(),
        scopes: s.scopes.clone(),
    }
}

impl Admin {
    fn resource_error(&self, e: StoreError) -> Error {
        match e {
            StoreError::ResourceServerNotFound => {
                Error::new(ErrorKind::ResourceNotFound, "Resource server not found.")
            }
            StoreError::ResourceServerExists => Error::new(
                ErrorKind::InvalidParameter,
                "A resource server with this identifier already exists.",
            ),
            StoreError::ImportJobNotFound => {
                Error::new(ErrorKind::ResourceNotFound, "Import job not found.")
            }
            other => self.core.store_error(&other),
        }
    }

    fn resource_server_of(req: &ResourceServerRequest) -> Result<ResourceServer> {
        let server = ResourceServer {
            identifier: req.identifier.clone(),
            name: req.name.clone().unwrap_or_default(),
            scopes: req.scopes.clone(),
        };
        server.validate()?;
        Ok(server)
    }

    /// CreateResourceServer.
    pub async fn create_resource_server(
        &self,
        req: ResourceServerRequest,
    ) -> Result<ResourceServerResponse> {
        crate::audit::event("CreateResourceServer");
        let pool = self.core.pool(&req.user_pool_id).await?;
        let server = Self::resource_server_of(&req)?;
        let existing = self
            .core
            .store()
            .list_resource_servers(&pool.id, 26, None)
            .await
            .map_err(|e| self.resource_error(e))?;
        if existing.items.len() >= 25 {
            return Err(Error::new(
                ErrorKind::LimitExceeded,
                "A user pool can have at most 25 resource servers.",
            ));
        }
        self.core
            .store()
            .create_resource_server(&pool.id, server.clone())
            .await
            .map_err(|e| self.resource_error(e))?;
        Ok(ResourceServerResponse {
            resource_server: server_type(&pool, &server),
        })
    }

    /// DescribeResourceServer.
    pub async fn describe_resource_server(
        &self,
        req: ResourceServerRequest,
    ) -> Result<ResourceServerResponse> {
        crate::audit::event("DescribeResourceServer");
        let pool = self.core.pool(&req.user_pool_id).await?;
        let server = self
            .core
            .store()
            .get_resource_server(&pool.id, &req.identifier)
            .await
            .map_err(|e| self.resource_error(e))?;
        Ok(ResourceServerResponse {
            resource_server: server_type(&pool, &server),
        })
    }

    /// UpdateResourceServer (name and scopes replaced).
    pub async fn update_resource_server(
        &self,
        req: ResourceServerRequest,
    ) -> Result<ResourceServerResponse> {
        crate::audit::event("UpdateResourceServer");
        let pool = self.core.pool(&req.user_pool_id).await?;
        let server = Self::resource_server_of(&req)?;
        self.core
            .store()
            .put_resource_server(&pool.id, server.clone())
            .await
            .map_err(|e| self.resource_error(e))?;
        Ok(ResourceServerResponse {
            resource_server: server_type(&pool, &server),
        })
    }

    /// DeleteResourceServer.
    pub async fn delete_resource_server(&self, req: ResourceServerRequest) -> Result<Empty> {
        crate::audit::event("DeleteResourceServer");
        let pool = self.core.pool(&req.user_pool_id).await?;
        self.core
            .store()
            .delete_resource_server(&pool.id, &req.identifier)
            .await
            .map_err(|e| self.resource_error(e))?;
        Ok(Empty {})
    }

    /// ListResourceServers (`MaxResults` 1..50).
    pub async fn list_resource_servers(
        &self,
        req: ListRequest,
    ) -> Result<ListResourceServersResponse> {
        crate::audit::event("ListResourceServers");
        let pool = self
            .core
            .pool(req.user_pool_id.as_deref().unwrap_or_default())
            .await?;
        let limit = page_limit(req.max_results, "maxResults", true)?;
        let page = self
            .core
            .store()
            .list_resource_servers(&pool.id, limit, req.next_token.as_deref())
            .await
            .map_err(|e| self.resource_error(e))?;
        Ok(ListResourceServersResponse {
            resource_servers: page.items.iter().map(|s| server_type(&pool, s)).collect(),
            next_token: page.next,
        })
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
        }
    }

    async fn job(&self, pool: &PoolConfig, id: Option<&str>) -> Result<ImportJob> {
        let id = id
            .filter(|i| !i.is_empty())
            .ok_or_else(|| missing("jobId"))?;
        self.core
            .store()
            .get_import_job(&pool.id, id)
            .await
            .map_err(|e| self.resource_error(e))
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
        };
        self.core
            .store()
            .put_import_job(&pool.id, job.clone())
            .await
            .map_err(|e| self.resource_error(e))?;
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
            .await
            .map_err(|e| self.core.store_error(&e))?;
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
            .map_err(|e| self.resource_error(e))
    }

    /// StartUserImportJob: imports every valid row as a `RESET_REQUIRED` user (no password;
    /// they complete with ForgotPassword), counting imported, skipped (existing) and failed
    /// rows.
    pub async fn start_user_import_job(
        &self,
        req: UserImportJobRequest,
    ) -> Result<UserImportJobResponse> {
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
        let rules = ImportRules {
            schema: &pool.schema,
            mfa_required: match pool.mfa {
                MfaConfiguration::On => Some(true),
                MfaConfiguration::Off => Some(false),
                _ => None,
            },
            auto_verified: &pool.auto_verified_attributes,
        };
        match parse_file(&csv, &rules) {
            Err(e) => {
                job.status = "Failed".into();
                job.message = Some(e.to_string());
            }
            Ok(report) => {
                job.failed = report.errors.len() as u64;
                for row in report.users {
                    let sub = self.core.entropy.with(Sub::generate)?;
                    let mut user = User::new(
                        &row.username,
                        sub,
                        UserStatus::ResetRequired,
                        self.core.now(),
                    );
                    user.attributes = row.attributes;
                    if row.mfa_enabled && user.attributes.contains_key("phone_number") {
                        user.mfa.enabled.push(MfaMethod::SmsMfa);
                    }
                    let keys = UserKeys::for_user(&user, &pool);
                    match self.core.store().insert_user(&pool.id, user, &keys).await {
                        Ok(_) => job.imported += 1,
                        Err(
                            StoreError::UsernameExists
                            | StoreError::AliasExists(_)
                            | StoreError::SubExists,
                        ) => job.skipped += 1,
                        Err(e) => return Err(self.core.store_error(&e)),
                    }
                }
                job.status = "Succeeded".into();
                job.message = Some(format!(
                    "Import Job Completed Successfully. {} errors.",
                    job.failed
                ));
            }
        }
        self.core
            .store()
            .put_import_job(&pool.id, job.clone())
            .await
            .map_err(|e| self.resource_error(e))?;
        tracing::info!(target: "userpool::audit", operation = "StartUserImportJob", pool = %pool.id.as_str(), imported = job.imported, skipped = job.skipped, failed = job.failed);
        Ok(UserImportJobResponse {
            user_import_job: self.job_type(&pool, &job),
        })
    }

    /// DescribeUserImportJob.
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
            .map_err(|e| self.resource_error(e))?;
        Ok(ListUserImportJobsResponse {
            user_import_jobs: page.items.iter().map(|j| self.job_type(&pool, j)).collect(),
            pagination_token: page.next,
        })
    }
}
