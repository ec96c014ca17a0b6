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

mod refresh;
mod revocation;
mod verify;

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
    /// The replay marker of the single-use sign-in session these tokens end, spent in the
    /// same write as the refresh-token family (`None`: spent before, or no session).
    pub(crate) spends_session: Option<[u8; 32]>,
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

    /// Mints an ID and an access token for `user` in the lineage `origin_jti`, with the
    /// user's `groups` when the caller read them already.
    #[allow(
        clippy::too_many_arguments,
        reason = "one call site each, all inputs of a token"
    )]
    pub(crate) async fn mint(
        &self,
        pool: &PoolConfig,
        client: &AppClient,
        user: &User,
        grant: &Grant,
        origin_jti: &str,
        caller: &Caller<'_>,
        groups: Option<Vec<Group>>,
    ) -> Result<(String, String)> {
        let groups = match groups {
            Some(groups) => groups,
            None => {
                self.core
                    .store()
                    .groups_for_user(
                        &pool.id,
                        &pool.case_rule.username_key(&user.username),
                        100,
                        None,
                    )
                    .await?
                    .items
            }
        };
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
        Err(last.map_or_else(internal, Error::from))
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
            .mint(pool, client, user, grant, &origin_jti, caller, None)
            .await?;
        let (refresh, hash) = self.new_refresh_token()?;
        let now = self.core.now();
        let family = RefreshFamily {
            id: origin_jti.clone(),
            user: pool.case_rule.username_key(&user.username),
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
        match grant.spends_session {
            None => self.core.store().create_family(&pool.id, family).await?,
            Some(marker) => {
                let expires_at = now + crate::sign_in::MARKER_SECONDS;
                let spent = self
                    .core
                    .store()
                    .create_family_spending(&pool.id, family, &marker, expires_at)
                    .await?;
                if !spent {
                    return Err(Error::from_flow(
                        &auth_flow_state_machine::FlowError::InvalidSession,
                        client.prevent_user_existence_errors,
                    ));
                }
            }
        }
        Ok(AuthenticationResult {
            access_token: access_token.into(),
            expires_in: client.token_validity.access,
            token_type: "Bearer".into(),
            refresh_token: Some(refresh.into()),
            id_token: id_token.into(),
            new_device_metadata: None,
        })
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
