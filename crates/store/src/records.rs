//! What the store keeps besides the model's types: uniqueness keys, pages, codes, refresh-token
//! families, lockout counters, import jobs and encrypted signing keys.

use core::fmt;

use serde::{Deserialize, Serialize};
use user_pool_model::{
    CaseRule, ClientId, FoldedUsername, PoolConfig, StandardAttribute, User, UserPoolId,
};

/// One page of a listing and the opaque token for the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// Present when more may follow.
    pub next: Option<String>,
}

/// The keys a user is unique under: the folded username and every active sign-in alias, all
/// folded with the pool's [`CaseRule::fold`] / [`CaseRule::fold_alias`] (the one folding every
/// backend and the facade use). The store enforces uniqueness on exactly these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserKeys {
    /// The folded internal username.
    pub username: FoldedUsername,
    /// `(attribute, folded value)` for each alias the user holds.
    pub aliases: Vec<(String, String)>,
}

impl UserKeys {
    /// The keys of `user` in `pool`: username-attribute pools make `email`/`phone_number`
    /// unique as given; alias pools make verified `email`/`phone_number` and any
    /// `preferred_username` unique.
    pub fn for_user(user: &User, pool: &PoolConfig) -> Self {
        let rule = pool.case_rule;
        let mut aliases: Vec<(String, String)> = pool
            .username_attributes
            .iter()
            .filter_map(|a| {
                user.attributes
                    .get(a)
                    .map(|v| (a.clone(), rule.fold_alias(a, v)))
            })
            .collect();
        aliases.extend(
            user.active_aliases(&pool.alias_attributes)
                .into_iter()
                .map(|(a, v)| {
                    let folded = rule.fold_alias(&a, &v);
                    (a, folded)
                }),
        );
        Self {
            username: rule.username_key(&user.username),
            aliases,
        }
    }
}

/// What a one-time code is for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CodePurpose {
    /// ConfirmSignUp (24 h).
    SignUpConfirmation,
    /// ConfirmForgotPassword (1 h).
    PasswordReset,
    /// VerifyUserAttribute for this attribute (24 h).
    AttributeVerification(String),
    /// An SMS / email MFA code (the auth session's lifetime).
    Mfa,
}

/// A one-time code, stored as a hash.
#[derive(Clone, PartialEq, Eq)]
pub struct CodeRecord {
    /// Purpose.
    pub purpose: CodePurpose,
    /// Whom it belongs to: the folded username, or the facade's stand-in key for a login
    /// that names no user (so an unknown user gets the same answers).
    pub user: String,
    /// A keyed hash of the code (the facade computes it).
    pub code_hash: [u8; 32],
    /// Unix seconds after which it no longer works.
    pub expires_at: i64,
    /// Wrong guesses left before it is burned.
    pub attempts_left: u32,
}

impl fmt::Debug for CodeRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CodeRecord")
            .field("purpose", &self.purpose)
            .field("user", &self.user)
            .field("expires_at", &self.expires_at)
            .field("attempts_left", &self.attempts_left)
            .finish_non_exhaustive()
    }
}

/// A refresh-token family: one sign-in's lineage of refresh tokens, stored as hashes.
#[derive(Clone, PartialEq, Eq)]
pub struct RefreshFamily {
    /// Family id (also the `origin_jti` lineage key).
    pub id: String,
    /// The folded username.
    pub user: FoldedUsername,
    /// The client it was issued to.
    pub client_id: ClientId,
    /// `origin_jti` of the tokens it mints.
    pub origin_jti: String,
    /// The device it is bound to.
    pub device_key: Option<String>,
    /// When the user authenticated.
    pub auth_time: i64,
    /// Hash of the current refresh token.
    pub token_hash: [u8; 32],
    /// Hash of the token it replaced, and when (for a rotation grace period).
    pub previous: Option<([u8; 32], i64)>,
    /// Created (unix seconds).
    pub created: i64,
    /// Expires (unix seconds).
    pub expires_at: i64,
    /// Revoked (sign-out, RevokeToken, reuse detected).
    pub revoked: bool,
    /// The OAuth scopes its tokens carry (hosted-domain sign-ins); `None` for API sign-ins,
    /// whose access tokens carry `aws.cognito.signin.user.admin`.
    pub scopes: Option<Vec<String>>,
}

impl fmt::Debug for RefreshFamily {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefreshFamily")
            .field("id", &self.id)
            .field("user", &self.user)
            .field("client_id", &self.client_id)
            .field("expires_at", &self.expires_at)
            .field("revoked", &self.revoked)
            .finish_non_exhaustive()
    }
}

/// Failed sign-in attempts of one user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LockoutState {
    /// Consecutive failures.
    pub failures: u32,
    /// When the last one happened (unix seconds).
    pub last_failure: i64,
}

/// A CSV import job.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportJob {
    /// `JobId` (`import-…`).
    pub id: String,
    /// `JobName`.
    pub name: String,
    /// `Status`.
    pub status: String,
    /// Created (unix seconds).
    pub created: i64,
    /// `ImportedUsers`.
    pub imported: u64,
    /// `SkippedUsers`.
    pub skipped: u64,
    /// `FailedUsers`.
    pub failed: u64,
    /// `CompletionMessage`.
    pub message: Option<String>,
    /// The uploaded CSV file, until the job starts (its worker then holds it).
    #[serde(default)]
    pub csv: Option<Vec<u8>>,
    /// `StartDate` (unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<i64>,
    /// `CompletionDate` (unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed: Option<i64>,
    /// When the worker last saved progress (unix seconds): a job still `InProgress` long
    /// after that lost its worker (the server stopped) and is failed.
    #[serde(default)]
    pub heartbeat: i64,
    /// The rows refused so far, in file order (the first ones only; `failed` counts all).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<user_pool_model::csv_import::RowError>,
}

impl fmt::Debug for ImportJob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImportJob")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("status", &self.status)
            .field("imported", &self.imported)
            .field("skipped", &self.skipped)
            .field("failed", &self.failed)
            .field("csv", &self.csv.as_ref().map(Vec::len))
            .field("errors", &self.errors.len())
            .finish_non_exhaustive()
    }
}

/// A pool's signing keys, encrypted by the facade; opaque here.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredKeys(pub Vec<u8>);

impl fmt::Debug for StoredKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StoredKeys(<{} bytes>)", self.0.len())
    }
}

/// Attributes ListUsers' `=` and `^=` filters are served from an ordered index for (besides
/// the username, which every store keeps in order anyway).
pub const INDEXED_ATTRIBUTES: [&str; 7] = StandardAttribute::names([
    StandardAttribute::Email,
    StandardAttribute::PhoneNumber,
    StandardAttribute::Name,
    StandardAttribute::GivenName,
    StandardAttribute::FamilyName,
    StandardAttribute::PreferredUsername,
    StandardAttribute::Sub,
]);

/// The form an indexed attribute value is stored and compared under: `email` and
/// `preferred_username` folded with the pool's [`CaseRule::fold`] (as
/// [`Filter::compared`](user_pool_model::Filter::compared) compares them), anything else as
/// given.
pub fn indexed_value(rule: CaseRule, attribute: &str, value: &str) -> String {
    if matches!(attribute, "email" | "preferred_username") {
        rule.fold(value)
    } else {
        value.to_owned()
    }
}

/// A ListUsers query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserQuery {
    /// The parsed filter, if any.
    pub filter: Option<user_pool_model::Filter>,
    /// Page size (ListUsers allows 0..60; 0 means 60).
    pub limit: usize,
    /// The previous page's token.
    pub token: Option<String>,
}

/// A user pool domain: a prefix (`myprefix`, served as
/// `myprefix.auth.<region>.amazoncognito.com`) or a custom domain (`auth.example.com`), unique
/// across every pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainRecord {
    /// The prefix or the fully-qualified custom domain.
    pub domain: String,
    /// The pool it serves.
    pub pool: UserPoolId,
    /// A custom domain's certificate (`CustomDomainConfig.CertificateArn`).
    pub certificate_arn: Option<String>,
    /// `ManagedLoginVersion` (1: hosted UI classic, 2: managed login).
    pub managed_login_version: u8,
    /// Created (unix seconds).
    pub created: i64,
    /// The hosted pages' customizations (SetUICustomization), by client id or `ALL`.
    #[serde(default)]
    pub ui: std::collections::BTreeMap<String, UiCustomization>,
}

/// One hosted-UI customization: CSS added to the pages and a logo.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct UiCustomization {
    /// CSS appended to the pages' style sheet.
    pub css: Option<String>,
    /// The logo, base64.
    pub image_base64: Option<String>,
    /// The logo's media type (`image/png`, `image/jpeg`).
    pub image_type: Option<String>,
    /// Created (unix seconds).
    pub created: i64,
    /// Last modified (unix seconds).
    pub modified: i64,
}

impl DomainRecord {
    /// A custom domain (it has a dot), as opposed to a prefix.
    pub fn is_custom(&self) -> bool {
        self.domain.contains('.')
    }
}
