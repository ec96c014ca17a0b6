//! Request and response shapes of resource servers and CSV user-import jobs.

use serde::{Deserialize, Serialize};
use user_pool_model::ResourceServerScope;

/// `CreateResourceServer` / `UpdateResourceServer` / `DescribeResourceServer` /
/// `DeleteResourceServer`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ResourceServerRequest {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `Identifier`.
    pub identifier: String,
    /// `Name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Scopes`.
    pub scopes: Vec<ResourceServerScope>,
}

/// `ResourceServerType`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceServerType {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `Identifier`.
    pub identifier: String,
    /// `Name`.
    pub name: String,
    /// `Scopes`.
    pub scopes: Vec<ResourceServerScope>,
}

/// `{ResourceServer}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceServerResponse {
    /// The resource server.
    pub resource_server: ResourceServerType,
}

/// `ListResourceServers` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListResourceServersResponse {
    /// The page.
    pub resource_servers: Vec<ResourceServerType>,
    /// The next page's token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `CreateUserImportJob`, `StartUserImportJob`, `DescribeUserImportJob`, `StopUserImportJob`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UserImportJobRequest {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `JobName` (create).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_name: Option<String>,
    /// `JobId` (start, describe).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_id: Option<String>,
    /// `CloudWatchLogsRoleArn` (create; required by the API, unused here).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cloud_watch_logs_role_arn: Option<String>,
}

/// `UserImportJobType`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserImportJobType {
    /// `JobName`.
    pub job_name: String,
    /// `JobId`.
    pub job_id: String,
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `PreSignedUrl`: where to `PUT` the CSV file (served by the HTTP adapter).
    pub pre_signed_url: String,
    /// `CreationDate`.
    pub creation_date: f64,
    /// `Status`.
    pub status: String,
    /// `ImportedUsers`.
    pub imported_users: u64,
    /// `SkippedUsers`.
    pub skipped_users: u64,
    /// `FailedUsers`.
    pub failed_users: u64,
    /// `CompletionMessage`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completion_message: Option<String>,
    /// `StartDate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<f64>,
    /// `CompletionDate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_date: Option<f64>,
}

/// `{UserImportJob}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserImportJobResponse {
    /// The job.
    pub user_import_job: UserImportJobType,
}

/// `ListUserImportJobs` request.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ListUserImportJobsRequest {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `MaxResults` (1..60, required).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i64>,
    /// `PaginationToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}

/// `ListUserImportJobs` response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserImportJobsResponse {
    /// The page.
    pub user_import_jobs: Vec<UserImportJobType>,
    /// The next page's token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}

/// One refused row of an import job (`ListUserImportJobErrors`, a userpool extension).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserImportJobErrorType {
    /// The file line the row starts on (the header is line 1).
    pub line: u64,
    /// Why it was refused.
    pub message: String,
}

/// `ListUserImportJobErrors` response (a userpool extension: Cognito writes refused rows to
/// CloudWatch Logs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserImportJobErrorsResponse {
    /// The refused rows kept with the job, in file order.
    pub errors: Vec<UserImportJobErrorType>,
    /// `FailedUsers`: every refused row, kept or not.
    pub failed_users: u64,
}
