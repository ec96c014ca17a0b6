//! The store traits' methods, listed once, for the decorators that forward every one of them
//! ([`ObservedStore`](crate::ObservedStore), and `FaultyStore` under the `faults` feature).

/// Calls the macro `$m` with every store trait and its methods:
/// `Trait { fn name(&self, arg: Type, …) -> Return; … } …`.
macro_rules! store_methods {
    ($m:ident) => {
        $m! {
    PoolStore {
        fn create_pool(&self, pool: PoolConfig) -> StoreResult<()>;
        fn get_pool(&self, id: &UserPoolId) -> StoreResult<PoolConfig>;
        fn put_pool(&self, pool: PoolConfig) -> StoreResult<()>;
        fn delete_pool(&self, id: &UserPoolId) -> StoreResult<()>;
        fn list_pools(&self, limit: usize, token: Option<&str>) -> StoreResult<Page<PoolConfig>>;
    }
    ClientStore {
        fn create_client(&self, pool: &UserPoolId, client: AppClient) -> StoreResult<()>;
        fn get_client(&self, pool: &UserPoolId, id: &ClientId) -> StoreResult<AppClient>;
        fn put_client(&self, pool: &UserPoolId, client: AppClient) -> StoreResult<()>;
        fn find_client(&self, id: &ClientId) -> StoreResult<Option<(PoolConfig, AppClient)>>;
        fn delete_client(&self, pool: &UserPoolId, id: &ClientId) -> StoreResult<()>;
        fn list_clients(&self, pool: &UserPoolId, limit: usize, token: Option<&str>) -> StoreResult<Page<AppClient>>;
    }
    UserStore {
        fn insert_user(&self, pool: &UserPoolId, user: User, keys: &UserKeys) -> StoreResult<User>;
        fn insert_users(&self, pool: &UserPoolId, users: &[(User, UserKeys)]) -> StoreResult<()>;
        fn get_user(&self, pool: &UserPoolId, username_key: &FoldedUsername) -> StoreResult<Option<User>>;
        fn find_by_alias(&self, pool: &UserPoolId, attribute: &str, value_key: &str) -> StoreResult<Option<User>>;
        fn find_by_sub(&self, pool: &UserPoolId, sub: &Sub) -> StoreResult<Option<User>>;
        fn update_user(&self, pool: &UserPoolId, user: User, keys: &UserKeys) -> StoreResult<User>;
        fn delete_user(&self, pool: &UserPoolId, username_key: &FoldedUsername) -> StoreResult<()>;
        fn list_users(&self, pool: &UserPoolId, query: &UserQuery) -> StoreResult<Page<User>>;
        fn count_users(&self, pool: &UserPoolId) -> StoreResult<u64>;
    }
    GroupStore {
        fn create_group(&self, pool: &UserPoolId, group: Group) -> StoreResult<()>;
        fn get_group(&self, pool: &UserPoolId, name: &str) -> StoreResult<Group>;
        fn put_group(&self, pool: &UserPoolId, group: Group) -> StoreResult<()>;
        fn delete_group(&self, pool: &UserPoolId, name: &str) -> StoreResult<()>;
        fn list_groups(&self, pool: &UserPoolId, limit: usize, token: Option<&str>) -> StoreResult<Page<Group>>;
        fn add_to_group(&self, pool: &UserPoolId, group: &str, username_key: &FoldedUsername) -> StoreResult<()>;
        fn remove_from_group(&self, pool: &UserPoolId, group: &str, username_key: &FoldedUsername) -> StoreResult<()>;
        fn groups_for_user(&self, pool: &UserPoolId, username_key: &FoldedUsername, limit: usize, token: Option<&str>) -> StoreResult<Page<Group>>;
        fn users_in_group(&self, pool: &UserPoolId, group: &str, limit: usize, token: Option<&str>) -> StoreResult<Page<User>>;
    }
    CodeStore {
        fn put_code(&self, pool: &UserPoolId, code: CodeRecord) -> StoreResult<()>;
        fn consume_code(&self, pool: &UserPoolId, purpose: &CodePurpose, user: &str, candidate_hash: &[u8; 32], now: i64) -> StoreResult<()>;
        fn purge_expired_codes(&self, now: i64) -> StoreResult<usize>;
    }
    ReplayStore {
        fn mark_used(&self, pool: &UserPoolId, marker: &[u8; 32], expires_at: i64) -> StoreResult<bool>;
        fn purge_expired_markers(&self, now: i64) -> StoreResult<usize>;
    }
    RefreshTokenStore {
        fn create_family(&self, pool: &UserPoolId, family: RefreshFamily) -> StoreResult<()>;
        fn create_family_spending(&self, pool: &UserPoolId, family: RefreshFamily, marker: &[u8; 32], marker_expires_at: i64) -> StoreResult<bool>;
        fn find_family(&self, pool: &UserPoolId, hash: &[u8; 32]) -> StoreResult<Option<RefreshFamily>>;
        fn get_family(&self, pool: &UserPoolId, id: &str) -> StoreResult<Option<RefreshFamily>>;
        fn rotate_family(&self, pool: &UserPoolId, id: &str, expected: &[u8; 32], new_hash: [u8; 32], now: i64) -> StoreResult<RefreshFamily>;
        fn revoke_family(&self, pool: &UserPoolId, id: &str) -> StoreResult<()>;
        fn revoke_user_families(&self, pool: &UserPoolId, user: &FoldedUsername) -> StoreResult<usize>;
    }
    KeyStore {
        fn put_signing_keys(&self, pool: &UserPoolId, keys: StoredKeys) -> StoreResult<()>;
        fn get_signing_keys(&self, pool: &UserPoolId) -> StoreResult<Option<StoredKeys>>;
        fn insert_signing_keys_if_absent(&self, pool: &UserPoolId, keys: StoredKeys) -> StoreResult<StoredKeys>;
        fn replace_signing_keys(&self, pool: &UserPoolId, expected: &StoredKeys, keys: StoredKeys) -> StoreResult<()>;
    }
    LockoutStore {
        fn record_failure(&self, pool: &UserPoolId, user: &str, now: i64) -> StoreResult<LockoutState>;
        fn lockout_state(&self, pool: &UserPoolId, user: &str) -> StoreResult<LockoutState>;
        fn reset_failures(&self, pool: &UserPoolId, user: &str) -> StoreResult<()>;
        fn purge_failures(&self, prefix: &str, before: i64) -> StoreResult<usize>;
    }
    ImportJobStore {
        fn put_import_job(&self, pool: &UserPoolId, job: ImportJob) -> StoreResult<()>;
        fn get_import_job(&self, pool: &UserPoolId, id: &str) -> StoreResult<ImportJob>;
        fn list_import_jobs(&self, pool: &UserPoolId, limit: usize, token: Option<&str>) -> StoreResult<Page<ImportJob>>;
    }
    ResourceServerStore {
        fn create_resource_server(&self, pool: &UserPoolId, server: ResourceServer) -> StoreResult<()>;
        fn get_resource_server(&self, pool: &UserPoolId, identifier: &str) -> StoreResult<ResourceServer>;
        fn put_resource_server(&self, pool: &UserPoolId, server: ResourceServer) -> StoreResult<()>;
        fn delete_resource_server(&self, pool: &UserPoolId, identifier: &str) -> StoreResult<()>;
        fn list_resource_servers(&self, pool: &UserPoolId, limit: usize, token: Option<&str>) -> StoreResult<Page<ResourceServer>>;
    }
    DomainStore {
        fn create_domain(&self, record: DomainRecord) -> StoreResult<()>;
        fn get_domain(&self, domain: &str) -> StoreResult<Option<DomainRecord>>;
        fn put_domain(&self, record: DomainRecord) -> StoreResult<()>;
        fn delete_domain(&self, domain: &str) -> StoreResult<()>;
        fn pool_domains(&self, pool: &UserPoolId) -> StoreResult<Vec<DomainRecord>>;
    }
    ProviderStore {
        fn create_provider(&self, pool: &UserPoolId, record: ProviderRecord) -> StoreResult<()>;
        fn get_provider(&self, pool: &UserPoolId, name: &str) -> StoreResult<Option<ProviderRecord>>;
        fn provider_by_identifier(&self, pool: &UserPoolId, identifier: &str) -> StoreResult<Option<ProviderRecord>>;
        fn put_provider(&self, pool: &UserPoolId, record: ProviderRecord) -> StoreResult<()>;
        fn delete_provider(&self, pool: &UserPoolId, name: &str) -> StoreResult<()>;
        fn list_providers(&self, pool: &UserPoolId, limit: usize, token: Option<&str>) -> StoreResult<Page<ProviderRecord>>;
        fn link_provider_user(&self, pool: &UserPoolId, link: ProviderLink) -> StoreResult<()>;
        fn find_provider_link(&self, pool: &UserPoolId, provider_name: &str, attribute_value: &str) -> StoreResult<Option<ProviderLink>>;
        fn unlink_provider_user(&self, pool: &UserPoolId, provider_name: &str, attribute_value: &str) -> StoreResult<bool>;
        fn provider_links_of(&self, pool: &UserPoolId, username: &FoldedUsername) -> StoreResult<Vec<ProviderLink>>;
    }
    IdentityPoolStore {
        fn create_identity_pool(&self, pool: IdentityPool) -> StoreResult<()>;
        fn get_identity_pool(&self, id: &IdentityPoolId) -> StoreResult<IdentityPoolRecord>;
        fn put_identity_pool(&self, pool: IdentityPool) -> StoreResult<()>;
        fn set_identity_pool_roles(&self, id: &IdentityPoolId, roles: IdentityPoolRoles, role_mappings: RoleMappings) -> StoreResult<()>;
        fn delete_identity_pool(&self, id: &IdentityPoolId) -> StoreResult<()>;
        fn list_identity_pools(&self, limit: usize, token: Option<&str>) -> StoreResult<Page<IdentityPool>>;
        fn get_identity_keys(&self) -> StoreResult<Option<StoredKeys>>;
        fn create_identity_keys(&self, keys: StoredKeys) -> StoreResult<StoredKeys>;
    }
    IdentityStore {
        fn create_identity(&self, identity: IdentityRecord) -> StoreResult<()>;
        fn get_identity(&self, id: &IdentityId) -> StoreResult<Option<IdentityRecord>>;
        fn find_identity_by_login(&self, pool: &IdentityPoolId, login: &LoginKey) -> StoreResult<Option<IdentityRecord>>;
        fn link_logins(&self, id: &IdentityId, logins: &[LoginKey], now: i64) -> StoreResult<IdentityRecord>;
        fn unlink_logins(&self, id: &IdentityId, logins: &[LoginKey], now: i64) -> StoreResult<IdentityRecord>;
        fn delete_identity(&self, id: &IdentityId) -> StoreResult<()>;
        fn list_identities(&self, pool: &IdentityPoolId, hide_disabled: bool, limit: usize, token: Option<&str>) -> StoreResult<Page<IdentityRecord>>;
    }
    AuthEventStore {
        fn put_auth_event(&self, pool: &UserPoolId, event: AuthEventRecord, retention: AuthEventRetention) -> StoreResult<()>;
        fn get_auth_event(&self, pool: &UserPoolId, user: &FoldedUsername, event_id: &str) -> StoreResult<Option<AuthEventRecord>>;
        fn list_auth_events(&self, pool: &UserPoolId, user: &FoldedUsername, limit: usize, token: Option<&str>) -> StoreResult<Page<AuthEventRecord>>;
    }
    WebAuthnStore {
        fn insert_webauthn_credential(&self, pool: &UserPoolId, credential: WebAuthnCredential) -> StoreResult<()>;
        fn list_webauthn_credentials(&self, pool: &UserPoolId, username_key: &FoldedUsername) -> StoreResult<Vec<WebAuthnCredential>>;
        fn update_webauthn_counter(&self, pool: &UserPoolId, credential_id: &[u8], expected: u32, sign_count: u32, backed_up: bool) -> StoreResult<()>;
        fn delete_webauthn_credential(&self, pool: &UserPoolId, username_key: &FoldedUsername, credential_id: &[u8]) -> StoreResult<()>;
    }
        }
    };
}

pub(crate) use store_methods;
