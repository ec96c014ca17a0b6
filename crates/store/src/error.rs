//! The storage error type.

/// What a store operation can report. A failed precondition is one of these, never a silent
/// overwrite; anything the backend itself fails at is [`StoreError::Backend`] (fail closed).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// No such user pool.
    #[error("user pool not found")]
    PoolNotFound,
    /// A pool with this id exists.
    #[error("user pool already exists")]
    PoolExists,
    /// No such app client.
    #[error("app client not found")]
    ClientNotFound,
    /// An app client with this id exists.
    #[error("app client already exists")]
    ClientExists,
    /// No such user.
    #[error("user not found")]
    UserNotFound,
    /// The (folded) username is taken.
    #[error("username already exists")]
    UsernameExists,
    /// An alias (folded) is held by another user; the attribute name is given.
    #[error("an account with the {0} already exists")]
    AliasExists(String),
    /// The `sub` is taken.
    #[error("sub already exists")]
    SubExists,
    /// The record changed since it was read (version precondition failed).
    #[error("the record was modified concurrently")]
    VersionConflict,
    /// No such group.
    #[error("group not found")]
    GroupNotFound,
    /// A group with this name exists.
    #[error("group already exists")]
    GroupExists,
    /// No code of this purpose for this user (never requested, superseded or used).
    #[error("no such code")]
    CodeNotFound,
    /// The code expired (it is removed).
    #[error("code expired")]
    CodeExpired,
    /// Wrong code; attempts remain.
    #[error("code mismatch")]
    CodeMismatch,
    /// Wrong code and no attempts remain (the code is removed).
    #[error("too many failed attempts")]
    TooManyAttempts,
    /// No refresh-token family with this id or token hash.
    #[error("refresh token not found")]
    RefreshTokenNotFound,
    /// The family was revoked.
    #[error("refresh token family revoked")]
    FamilyRevoked,
    /// No such resource server.
    #[error("resource server not found")]
    ResourceServerNotFound,
    /// A resource server with this identifier exists.
    #[error("resource server already exists")]
    ResourceServerExists,
    /// No such domain.
    #[error("domain not found")]
    DomainNotFound,
    /// The domain is taken (by this or another pool).
    #[error("domain already exists")]
    DomainExists,
    /// The WebAuthn credential id is registered in the pool.
    #[error("webauthn credential already exists")]
    WebAuthnCredentialExists,
    /// No such WebAuthn credential for the user.
    #[error("webauthn credential not found")]
    WebAuthnCredentialNotFound,
    /// No such import job.
    #[error("import job not found")]
    ImportJobNotFound,
    /// No such identity pool.
    #[error("identity pool not found")]
    IdentityPoolNotFound,
    /// An identity pool with this id exists.
    #[error("identity pool already exists")]
    IdentityPoolExists,
    /// No such identity.
    #[error("identity not found")]
    IdentityNotFound,
    /// An identity with this id exists.
    #[error("identity already exists")]
    IdentityExists,
    /// A login is linked to another identity of the pool.
    #[error("the login is linked to another identity")]
    LoginLinked,
    /// No such identity provider.
    #[error("identity provider not found")]
    ProviderNotFound,
    /// An identity provider with this name exists in the pool.
    #[error("identity provider already exists")]
    ProviderExists,
    /// An IdP identifier is held by another provider of the pool.
    #[error("IdP identifier already exists")]
    IdpIdentifierExists,
    /// The provider user is linked to a pool user already.
    #[error("the provider user is linked already")]
    ProviderLinkExists,
    /// A pagination token this store did not issue, or for another query.
    #[error("invalid pagination token")]
    InvalidPaginationToken,
    /// A schema migration that re-folds stored keys found users of `pool` that the current
    /// [`CaseRule::fold`](user_pool_model::CaseRule::fold) makes one: two usernames (`what`
    /// is `"username"`) or two sign-in aliases (`"alias"`) with the same key. Nothing was
    /// changed: the database stays at its previous schema version until they are told apart.
    /// Names the pool, never the users.
    #[error(
        "stored users of pool {pool} share a {what} under the current username folding; \
         the database was left unmigrated"
    )]
    FoldCollision {
        /// The pool's id.
        pool: String,
        /// `"username"` or `"alias"`.
        what: &'static str,
    },
    /// The backend failed; nothing was written.
    #[error("storage backend failure: {0}")]
    Backend(String),
}

/// `Result` with [`StoreError`].
pub type StoreResult<T> = Result<T, StoreError>;
