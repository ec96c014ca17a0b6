//! Token issuance (spec §7) and the checks on presented tokens: minting ID and access tokens
//! with the pool's active keys after PreTokenGeneration, refresh-token families (opaque
//! tokens stored as hashes, rotation with a grace period, reuse detection), access-token
//! authorization of the token-authorized operations, GetTokensFromRefreshToken,
//! GlobalSignOut, AdminUserGlobalSignOut and RevokeToken.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use custom_auth_triggers::events::{
    GroupConfiguration, PreTokenGenerationRequest, TokenGeneration,
};
use custom_auth_triggers::{PreTokenGeneration, TriggerSource};
use jwt_tokens::{AccessTokenClaims, ClaimOverrides, IdTokenClaims, TokenUse, Validation};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use user_pool_model::{AppClient, Group, PoolConfig, User, UserPoolId, role_claims};
use userpool_store::{RefreshFamily, StoreError};

use crate::error::{Error, ErrorKind, Result};
use crate::hooks::{Caller, trigger_attributes};
use std::sync::Arc;

use crate::core::{Core, internal, missing};
use crate::wire::*;

/// Tokens: minting (after PreTokenGeneration), refresh-token families (rotation, reuse detection), the checks on presented access tokens, GetTokensFromRefreshToken, GlobalSignOut, AdminUserGlobalSignOut, RevokeToken.
pub struct Tokens {
    core: Arc<Core>,
}

impl Tokens {
    pub(crate) fn new(core: Arc<Core>) -> Self {
        Self { core }
    }
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens").finish_non_exhaustive()
    }
}

/// The scope of API-issued access tokens, required by the token-authorized operations.
pub const ADMIN_SCOPE: &str = "aws.cognito.signin.user.admin";

/// What a token issuance is for.
#[derive(Debug, Clone)]
pub(crate) struct Grant {
    /// When the user authenticated.
    pub(crate) auth_time: i64,
    /// The device the sign-in used, or the key issued to it (the access token's
    /// `device_key`, which ConfirmDevice checks).
    pub(crate) device_key: Option<String>,
    /// The remembered device that proved itself: refreshes must present it.
    pub(crate) bound_device: Option<String>,
    /// PreTokenGeneration's source.
    pub(crate) source: TriggerSource,
    /// OAuth scopes granted at the hosted domain; `None` for API sign-ins (whose access
    /// tokens carry [`ADMIN_SCOPE`]).
    pub(crate) scopes: Option<Vec<String>>,
    /// The authorization request's `nonce`, for the ID token.
    pub(crate) nonce: Option<String>,
    /// The refresh-token family's id, when the issuer decides it (authorization codes);
    /// otherwise a new random one.
    pub(crate) family_id: Option<String>,
}

/// Whether an attribute goes into an OAuth ID token or userInfo answer with `scopes`:
/// `profile` allows every readable attribute, `email` and `phone` their own two.
pub(crate) fn scope_allows_attribute(scopes: &[String], name: &str) -> bool {
    let has = |s: &str| scopes.iter().any(|g| g == s);
    has("profile")
        || match name {
            // A federated user's identities ride with `openid` (as Cognito's tokens show).
            "identities" => true,
            "email" | "email_verified" => has("email"),
            "phone_number" | "phone_number_verified" => has("phone"),
            _ => false,
        }
}

/// How a refresh request proves the client, when the client has a secret.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ClientProof<'a> {
    /// The plain secret was checked already (GetTokensFromRefreshToken).
    SecretChecked,
    /// `SECRET_HASH` from `AuthParameters` (REFRESH_TOKEN_AUTH), over the username or `sub`.
    SecretHash(Option<&'a str>),
}

/// An access token that passed every check.
#[derive(Debug)]
pub(crate) struct Authorized {
    pub(crate) pool: PoolConfig,
    pub(crate) user: User,
    pub(crate) client_id: String,
    pub(crate) claims: jwt_tokens::Claims,
}

fn not_authorized(message: &str) -> Error {
    Error::new(ErrorKind::NotAuthorized, message)
}

pub(crate) fn hash_token(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// The pool an access token claims to come from (its `iss`, unverified: only to pick the
/// keys that then verify it).
fn claimed_pool(token: &str) -> Option<UserPoolId> {
    if token.len() > jwt_tokens::MAX_TOKEN_LEN {
        return None;
    }
    let payload = token.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload).ok()?;
    let value: Value = serde_json::from_slice(&bytes).ok()?;
    let iss = value.get("iss")?.as_str()?;
    UserPoolId::parse(iss.rsplit('/').next()?).ok()
}

fn overrides_of(generation: Option<TokenGeneration>) -> ClaimOverrides {
    let g = generation.unwrap_or_default();
    ClaimOverrides {
        claims_to_add_or_override: g.claims_to_add_or_override.unwrap_or_default(),
        claims_to_suppress: g.claims_to_suppress.unwrap_or_default(),
        scopes_to_add: g.scopes_to_add.unwrap_or_default(),
        scopes_to_suppress: g.scopes_to_suppress.unwrap_or_default(),
    }
}

impl Tokens {
    /// Runs PreTokenGeneration: the overrides for the ID and access token, and the groups.
    async fn pre_token_generation(
        &self,
        pool: &PoolConfig,
        client: &AppClient,
        user: &User,
        groups: &[Group],
        source: TriggerSource,
        caller: &Caller<'_>,
    ) -> Result<(
        ClaimOverrides,
        ClaimOverrides,
        Vec<String>,
        Vec<String>,
        Option<String>,
    )> {
        let names: Vec<String> = groups.iter().map(|g| g.name.clone()).collect();
        let (roles, preferred) = role_claims(groups);
        let request = PreTokenGenerationRequest {
            user_attributes: trigger_attributes(user),
            group_configuration: GroupConfiguration {
                groups_to_override: names.clone(),
                iam_roles_to_override: roles.clone(),
                preferred_role: preferred.clone(),
            },
            scopes: None,
            client_metadata: caller.metadata(),
        };
        let Some(response) = self
            .core
            .run_trigger::<PreTokenGeneration>(pool, source, &user.username, caller, request)
            .await?
        else {
            return Ok((
                ClaimOverrides::default(),
                ClaimOverrides::default(),
                names,
                roles,
                preferred,
            ));
        };
        let _ = client;
        if let Some(v2) = response.claims_and_scope_override_details {
            let groups = v2.group_override_details;
            let (names, roles, preferred) = match groups {
                Some(g) => (
                    g.groups_to_override,
                    g.iam_roles_to_override,
                    g.preferred_role,
                ),
                None => (names, roles, preferred),
            };
            return Ok((
                overrides_of(v2.id_token_generation),
                overrides_of(v2.access_token_generation),
                names,
                roles,
                preferred,
            ));
        }
        let v1 = response.claims_override_details.unwrap_or_default();
        let id = ClaimOverrides {
            claims_to_add_or_override: v1
                .claims_to_add_or_override
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect(),
            claims_to_suppress: v1.claims_to_suppress.unwrap_or_default(),
            ..ClaimOverrides::default()
        };
        let (names, roles, preferred) = match v1.group_override_details {
            Some(g) => (
                g.groups_to_override,
                g.iam_roles_to_override,
                g.preferred_role,
            ),
            None => (names, roles, preferred),
        };
        Ok((id, ClaimOverrides::default(), names, roles, preferred))
    }

    /// Mints an ID and an access token for `user` in the lineage `origin_jti`.
    pub(crate) async fn mint(
        &self,
        pool: &PoolConfig,
        client: &AppClient,
        user: &User,
        grant: &Grant,
        origin_jti: &str,
        caller: &Caller<'_>,
    ) -> Result<(String, String)> {
        let groups = self
            .core
            .store()
            .groups_for_user(&pool.id, &pool.case_rule.fold(&user.username), 100, None)
            .await
            .map_err(|e| self.core.store_error(&e))?
            .items;
        let (id_over, access_over, group_names, roles, preferred) = self
            .pre_token_generation(pool, client, user, &groups, grant.source, caller)
            .await?;
        let keys = self.core.key_set(&pool.id).await?;
        let now = self.core.now();
        let iss = self.core.issuer.for_pool(&pool.id);
        let event_id = self.core.entropy.uuid()?;
        let validity = client.token_validity;
        let attributes: Map<String, Value> = user
            .attributes
            .iter()
            .filter(|(name, _)| client.attribute_permissions.can_read(name))
            .filter(|(name, _)| {
                grant
                    .scopes
                    .as_ref()
                    .is_none_or(|s| scope_allows_attribute(s, name))
            })
            .map(|(name, value)| (name.clone(), jwt_tokens::attribute_claim(name, value)))
            .collect();
        let id_claims = IdTokenClaims {
            sub: user.sub.to_string(),
            iss: iss.clone(),
            aud: client.id.as_str().to_owned(),
            cognito_username: user.username.clone(),
            auth_time: grant.auth_time,
            iat: now,
            exp: now + i64::try_from(validity.id).map_err(|_| internal())?,
            jti: self.core.entropy.uuid()?,
            origin_jti: Some(origin_jti.to_owned()),
            event_id: Some(event_id.clone()),
            groups: group_names.clone(),
            roles,
            preferred_role: preferred,
            attributes,
            nonce: grant.nonce.clone(),
            at_hash: None,
        };
        let access_claims = AccessTokenClaims {
            sub: user.sub.to_string(),
            iss,
            client_id: client.id.as_str().to_owned(),
            username: Some(user.username.clone()),
            auth_time: grant.auth_time,
            iat: now,
            exp: now + i64::try_from(validity.access).map_err(|_| internal())?,
            jti: self.core.entropy.uuid()?,
            origin_jti: Some(origin_jti.to_owned()),
            event_id: Some(event_id),
            groups: group_names,
            scopes: grant
                .scopes
                .clone()
                .unwrap_or_else(|| vec![ADMIN_SCOPE.to_owned()]),
            device_key: grant.device_key.clone(),
            version: grant.scopes.as_ref().map(|_| 2),
        };
        let invalid = |_| {
            Error::new(
                ErrorKind::InvalidLambdaResponse,
                "Invalid PreTokenGeneration Lambda response: claims cannot be applied",
            )
        };
        let id_map = id_claims.to_claims(Some(&id_over)).map_err(invalid)?;
        let access_map = access_claims
            .to_claims(Some(&access_over))
            .map_err(invalid)?;
        let id_token = keys.sign(TokenUse::Id, &id_map).map_err(|_| internal())?;
        let access_token = keys
            .sign(TokenUse::Access, &access_map)
            .map_err(|_| internal())?;
        Ok((id_token, access_token))
    }

    /// A new opaque refresh token (stored only as its hash).
    fn new_refresh_token(&self) -> Result<(String, [u8; 32])> {
        let bytes = self.core.entropy.bytes::<48>()?;
        let token = URL_SAFE_NO_PAD.encode(bytes);
        let hash = hash_token(&token);
        Ok((token, hash))
    }

    /// Revokes a family as a punishment (reuse of a refresh token or an authorization code):
    /// retried twice, then the request fails — never silently skipped, never allowed.
    pub(crate) async fn revoke_family_durably(&self, pool: &UserPoolId, id: &str) -> Result<()> {
        let mut last = None;
        for _ in 0..3 {
            match self.core.store().revoke_family(pool, id).await {
                Ok(()) | Err(StoreError::RefreshTokenNotFound) => return Ok(()),
                Err(e) => last = Some(e),
            }
        }
        Err(last.map_or_else(internal, |e| self.core.store_error(&e)))
    }

    /// Tokens for a completed sign-in: a new refresh-token family and its first tokens.
    pub(crate) async fn issue_tokens(
        &self,
        pool: &PoolConfig,
        client: &AppClient,
        user: &User,
        grant: &Grant,
        caller: &Caller<'_>,
    ) -> Result<AuthenticationResult> {
        let origin_jti = match &grant.family_id {
            Some(id) => id.clone(),
            None => self.core.entropy.uuid()?,
        };
        let (id_token, access_token) = self
            .mint(pool, client, user, grant, &origin_jti, caller)
            .await?;
        let (refresh, hash) = self.new_refresh_token()?;
        let now = self.core.now();
        let family = RefreshFamily {
            id: origin_jti.clone(),
            user: pool.case_rule.fold(&user.username),
            client_id: client.id.clone(),
            origin_jti,
            device_key: grant.bound_device.clone(),
            auth_time: grant.auth_time,
            token_hash: hash,
            previous: None,
            created: now,
            expires_at: now
                + i64::try_from(client.token_validity.refresh).map_err(|_| internal())?,
            revoked: false,
            scopes: grant.scopes.clone(),
        };
        self.core
            .store()
            .create_family(&pool.id, family)
            .await
            .map_err(|e| self.core.store_error(&e))?;
        Ok(AuthenticationResult {
            access_token: access_token.into(),
            expires_in: client.token_validity.access,
            token_type: "Bearer".into(),
            refresh_token: Some(refresh.into()),
            id_token: id_token.into(),
            new_device_metadata: None,
        })
    }

    /// Refreshes: checks the token's family, the client, the user and the device binding,
    /// rotates when the client asks for it, and mints new tokens in the same lineage.
    pub(crate) async fn refresh(
        &self,
        pool: &PoolConfig,
        client: &AppClient,
        token: &str,
        device_key: Option<String>,
        proof: ClientProof<'_>,
        caller: &Caller<'_>,
    ) -> Result<AuthenticationResult> {
        let invalid = || not_authorized("Invalid Refresh Token");
        if !client.allows(user_pool_model::AuthFlow::AllowRefreshTokenAuth) {
            return Err(Error::new(
                ErrorKind::InvalidParameter,
                "Refresh Token has been disabled for this client",
            ));
        }
        let hash = hash_token(token);
        let family = self
            .core
            .store()
            .find_family(&pool.id, &hash)
            .await
            .map_err(|e| self.core.store_error(&e))?
            .ok_or_else(invalid)?;
        let now = self.core.now();
        let presented_previous = family.token_hash != hash;
        if presented_previous {
            // A replaced token: usable again only inside a positive grace period (a client
            // retrying a refresh whose answer it lost); with grace 0 it died at rotation.
            // Presented after that, it is a reuse: the whole family (its successor too) is
            // revoked (ASVS 10.4.5; stricter than Cognito documents).
            let grace = client
                .refresh_token_rotation
                .map_or(0, |r| i64::from(r.retry_grace_period_seconds));
            let replaced_at = family.previous.map_or(i64::MIN, |(_, at)| at);
            if grace == 0 || now > replaced_at.saturating_add(grace) {
                self.revoke_family_durably(&pool.id, &family.id).await?;
                tracing::warn!(target: "userpool::audit", operation = "GetTokensFromRefreshToken", pool = %pool.id.as_str(), "refresh token reuse detected; family revoked");
                return Err(Error::new(
                    ErrorKind::RefreshTokenReuse,
                    "Refresh token has been reused.",
                ));
            }
        }
        let user = self
            .core
            .store()
            .get_user(&pool.id, &family.user)
            .await
            .map_err(|e| self.core.store_error(&e))?;
        if let (Some(_), ClientProof::SecretHash(hash), Some(u)) = (&client.secret, proof, &user) {
            // Cognito computes it over the username; apps of username-attribute pools use the sub.
            let sub = u.sub.to_string();
            if client.check_secret_hash(&u.username, hash).is_err() {
                client.check_secret_hash(&sub, hash)?;
            }
        }
        let grant = auth_flow_state_machine::RefreshGrant {
            client_id: family.client_id.as_str(),
            username: user.as_ref().map_or("", |u| u.username.as_str()),
            expires_at: family.expires_at,
            revoked: family.revoked,
            device_key: family.device_key.as_deref(),
        };
        let request = auth_flow_state_machine::RefreshRequest::new(token, device_key);
        let account = user.as_ref().map(auth_flow_state_machine::Account::new);
        let authenticated = {
            let settings = &self.core.settings;
            self.core.entropy.with(|rng| {
                let cx = auth_flow_state_machine::FlowContext {
                    now,
                    rng,
                    pool,
                    client,
                    settings,
                    admin: false,
                    unknown_user_failures: Default::default(),
                    require_mfa: false,
                    relying_party: None,
                };
                request.check(Some(&grant), account.as_ref(), &cx)
            })?
        }
        .map_err(|e| Error::from_flow(&e, client.prevent_user_existence_errors))?;
        let user = user.ok_or_else(invalid)?;
        let new_refresh = match client.refresh_token_rotation {
            Some(_) if !presented_previous => {
                let (fresh, fresh_hash) = self.new_refresh_token()?;
                self.core
                    .store()
                    .rotate_family(&pool.id, &family.id, &hash, fresh_hash, now)
                    .await
                    .map_err(|e| match e {
                        StoreError::VersionConflict => invalid(),
                        StoreError::FamilyRevoked => {
                            not_authorized("Refresh Token has been revoked")
                        }
                        other => self.core.store_error(&other),
                    })?;
                Some(fresh)
            }
            _ => None,
        };
        let grant = Grant {
            auth_time: family.auth_time,
            device_key: authenticated.device_key().map(str::to_owned),
            bound_device: authenticated.device_key().map(str::to_owned),
            source: TriggerSource::TokenGenerationRefreshTokens,
            scopes: family.scopes.clone(),
            nonce: None,
            family_id: None,
        };
        let (id_token, access_token) = self
            .mint(pool, client, &user, &grant, &family.origin_jti, caller)
            .await?;
        tracing::info!(target: "userpool::metrics", counter = "token_refresh", pool = %pool.id.as_str());
        Ok(AuthenticationResult {
            access_token: access_token.into(),
            expires_in: client.token_validity.access,
            token_type: "Bearer".into(),
            refresh_token: new_refresh.map(Into::into),
            id_token: id_token.into(),
            new_device_metadata: None,
        })
    }

    /// Checks an access token presented to a token-authorized operation: signature, issuer,
    /// `token_use`, expiry, scope, revocation (its `origin_jti` family), and that the user
    /// still exists and is enabled.
    pub(crate) async fn authorize(&self, token: &SecretString) -> Result<Authorized> {
        self.verify_access(token.expose_secret(), ADMIN_SCOPE).await
    }

    /// Checks an access token that must carry `scope` (see [`Tokens::authorize`](crate::Tokens::authorize)).
    pub(crate) async fn verify_access(&self, token: &str, scope: &str) -> Result<Authorized> {
        if token.is_empty() {
            return Err(missing("accessToken"));
        }
        let invalid = || not_authorized("Invalid Access Token");
        let pool_id = claimed_pool(token).ok_or_else(invalid)?;
        let pool = match self.core.store().get_pool(&pool_id).await {
            Ok(p) => p,
            Err(StoreError::PoolNotFound) => return Err(invalid()),
            Err(e) => return Err(self.core.store_error(&e)),
        };
        let keys = self.core.key_set(&pool.id).await?;
        let validation = Validation::access_token(self.core.issuer.for_pool(&pool.id))
            .any_client()
            .require_scope(scope);
        let claims = match keys.verify(token, &validation, self.core.now()) {
            // A key another service made since this one last looked: look again, once.
            Err(jwt_tokens::Error::UnknownKeyId) => {
                self.core
                    .reload_keys(&pool.id)
                    .await?
                    .verify(token, &validation, self.core.now())
            }
            checked => checked,
        };
        let claims = claims.map_err(|e| match e {
            jwt_tokens::Error::Expired => not_authorized("Access Token has expired"),
            jwt_tokens::Error::MissingScope => {
                not_authorized("Access Token does not have required scopes")
            }
            _ => invalid(),
        })?;
        let revoked = || not_authorized("Access Token has been revoked");
        let origin = claims.origin_jti().ok_or_else(revoked)?;
        let family = self
            .core
            .store()
            .get_family(&pool.id, origin)
            .await
            .map_err(|e| self.core.store_error(&e))?
            .ok_or_else(revoked)?;
        if family.revoked {
            return Err(revoked());
        }
        let user = self
            .core
            .store()
            .find_by_sub(
                &pool.id,
                &user_pool_model::Sub::parse(claims.sub()).map_err(|_| invalid())?,
            )
            .await
            .map_err(|e| self.core.store_error(&e))?
            .ok_or_else(|| Error::new(ErrorKind::UserNotFound, "User does not exist."))?;
        if !user.enabled {
            return Err(not_authorized("User is disabled."));
        }
        Ok(Authorized {
            client_id: claims.client_id().unwrap_or_default().to_owned(),
            pool,
            user,
            claims,
        })
    }

    /// Whether the pool still honours a token it issued whose signature and claims the caller
    /// verified (an identity pool's `ServerSideTokenCheck`): the refresh-token family the token
    /// came from (`origin_jti`) is not revoked — GlobalSignOut, AdminUserGlobalSignOut,
    /// RevokeToken — and its user (`sub`) still exists and is enabled.
    ///
    /// # Errors
    /// `NotAuthorizedException` (`Token has been revoked`, `User does not exist.`, `User is
    /// disabled.`); `ResourceNotFoundException` for an unknown pool.
    pub async fn check_token_not_revoked(
        &self,
        pool_id: &str,
        origin_jti: Option<&str>,
        sub: &str,
    ) -> Result<()> {
        let pool = self.core.pool(pool_id).await?;
        let revoked = || not_authorized("Token has been revoked");
        let origin = origin_jti.ok_or_else(revoked)?;
        let family = self
            .core
            .store()
            .get_family(&pool.id, origin)
            .await
            .map_err(|e| self.core.store_error(&e))?
            .ok_or_else(revoked)?;
        if family.revoked {
            return Err(revoked());
        }
        let sub = user_pool_model::Sub::parse(sub).map_err(|_| revoked())?;
        let user = self
            .core
            .store()
            .find_by_sub(&pool.id, &sub)
            .await
            .map_err(|e| self.core.store_error(&e))?
            .ok_or_else(|| not_authorized("User does not exist."))?;
        if !user.enabled {
            return Err(not_authorized("User is disabled."));
        }
        Ok(())
    }

    /// GetTokensFromRefreshToken.
    pub async fn get_tokens_from_refresh_token(
        &self,
        req: GetTokensFromRefreshTokenRequest,
    ) -> Result<GetTokensFromRefreshTokenResponse> {
        crate::audit::event("GetTokensFromRefreshToken");
        let (pool, client) = self.core.client(&req.client_id).await?;
        check_client_secret(&client, req.client_secret.as_ref())?;
        let caller = Caller {
            client_id: client.id.as_str(),
            metadata: Some(&req.client_metadata),
        };
        let result = self
            .refresh(
                &pool,
                &client,
                req.refresh_token.expose_secret(),
                req.device_key.clone(),
                ClientProof::SecretChecked,
                &caller,
            )
            .await?;
        Ok(GetTokensFromRefreshTokenResponse {
            authentication_result: result,
        })
    }

    /// GlobalSignOut: revokes every refresh token of the user (every client) and so every
    /// access token minted from them.
    pub async fn global_sign_out(&self, req: AccessTokenRequest) -> Result<Empty> {
        crate::audit::event("GlobalSignOut");
        let auth = self.authorize(&req.access_token).await?;
        self.sign_out_everywhere(&auth.pool, &auth.user).await
    }

    /// AdminUserGlobalSignOut.
    pub async fn admin_user_global_sign_out(&self, req: AdminUserRequest) -> Result<Empty> {
        crate::audit::event("AdminUserGlobalSignOut");
        let pool = self.core.pool(&req.user_pool_id).await?;
        let user = self.core.require_user(&pool, &req.username).await?;
        self.sign_out_everywhere(&pool, &user).await
    }

    pub(crate) async fn sign_out_everywhere(
        &self,
        pool: &PoolConfig,
        user: &User,
    ) -> Result<Empty> {
        let revoked = self
            .core
            .store()
            .revoke_user_families(&pool.id, &pool.case_rule.fold(&user.username))
            .await
            .map_err(|e| self.core.store_error(&e))?;
        // The hosted UI's sign-in cookies issued until now die too.
        self.core
            .modify_user(pool, user.clone(), |u| {
                u.session_epoch = u.session_epoch.wrapping_add(1);
                Ok(())
            })
            .await?;
        tracing::info!(target: "userpool::audit", operation = "GlobalSignOut", pool = %pool.id.as_str(), families = revoked);
        Ok(Empty {})
    }

    /// RevokeToken: revokes a refresh token's family and so every access token minted from
    /// it. An unknown or already revoked token succeeds, as on Cognito; a token issued to
    /// another client is refused (`UnauthorizedException`) and keeps working.
    pub async fn revoke_token(&self, req: RevokeTokenRequest) -> Result<Empty> {
        if req.token.is_empty() {
            return Err(missing("token"));
        }
        let (pool, client) = self.core.client(&req.client_id).await?;
        if client.secret.is_some() {
            check_client_secret(&client, req.client_secret.as_ref())
                .map_err(|_| Error::new(ErrorKind::Unauthorized, "Client secret is invalid."))?;
        }
        self.revoke_for_client(&pool, &client, req.token.expose_secret())
            .await?;
        Ok(Empty {})
    }

    /// Revokes `token`'s family for an authenticated `client` (RevokeToken and
    /// `/oauth2/revoke`). `Unauthorized` means the token belongs to another client.
    pub(crate) async fn revoke_for_client(
        &self,
        pool: &PoolConfig,
        client: &AppClient,
        token: &str,
    ) -> Result<()> {
        if !client.enable_token_revocation {
            return Err(Error::new(
                ErrorKind::UnsupportedOperation,
                "Token revocation is not enabled for this client.",
            ));
        }
        if claimed_pool(token).is_some() {
            return Err(Error::new(
                ErrorKind::UnsupportedTokenType,
                "Only refresh tokens can be revoked.",
            ));
        }
        let hash = hash_token(token);
        let Some(family) = self
            .core
            .store()
            .find_family(&pool.id, &hash)
            .await
            .map_err(|e| self.core.store_error(&e))?
        else {
            return Ok(());
        };
        if family.client_id != client.id {
            tracing::warn!(target: "userpool::audit", operation = "RevokeToken", pool = %pool.id.as_str(), client = %client.id.as_str(), "refresh token of another client presented; not revoked");
            return Err(Error::new(
                ErrorKind::Unauthorized,
                "Token not issued for this client.",
            ));
        }
        self.core
            .store()
            .revoke_family(&pool.id, &family.id)
            .await
            .map_err(|e| self.core.store_error(&e))?;
        tracing::info!(target: "userpool::audit", operation = "RevokeToken", pool = %pool.id.as_str());
        Ok(())
    }
}

/// The plain client secret some operations send (GetTokensFromRefreshToken, RevokeToken),
/// compared in constant time.
pub(crate) fn check_client_secret(client: &AppClient, given: Option<&SecretString>) -> Result<()> {
    let Some(secret) = &client.secret else {
        return Ok(());
    };
    let ok = given.is_some_and(|g| secret.matches(g.expose_secret()));
    if ok {
        Ok(())
    } else {
        Err(not_authorized(&format!(
            "Client {} is configured with secret but the secret was not received or is invalid",
            client.id
        )))
    }
}
