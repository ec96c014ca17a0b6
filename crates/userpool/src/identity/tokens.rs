//! OpenID tokens and credentials: GetOpenIdToken (the basic flow's step, only with
//! `AllowClassicFlow`), GetOpenIdTokenForDeveloperIdentity (SigV4-signed), and
//! GetCredentialsForIdentity (the enhanced flow: role resolution, our OpenID token, STS).

use identity_pool_model::{
    IdentityId, IdentityPool, OpenIdTokenParams, Principal, PrincipalTags, RoleArn, TokenDuration,
    open_id_token_claims, resolve_role,
};

use super::error::{IdentityError, IdentityResult};
use super::logins::LoginsKind;
use super::pools::pool_id;
use super::resolve::Linking;
use super::service::IdentityService;
use super::wire::*;
use crate::wire::SecretString;

impl IdentityService {
    /// Signs the OpenID token of `identity` for `principal`.
    async fn open_id_token(
        &self,
        pool: &IdentityPool,
        identity: &IdentityId,
        principal: &Principal,
        tags: Option<&PrincipalTags>,
        duration: TokenDuration,
        now: i64,
    ) -> IdentityResult<String> {
        let claims = open_id_token_claims(&OpenIdTokenParams {
            issuer: self.inner.settings.identity_issuer(),
            identity_pool_id: &pool.identity_pool_id,
            identity_id: identity,
            principal,
            account_id: Some(&self.inner.account_id),
            principal_tags: tags,
            now,
            duration,
        })?;
        self.sign(&claims).await
    }

    /// GetOpenIdToken: a 10-minute OpenID token for an identity (the basic flow: the client
    /// calls STS itself), only where `AllowClassicFlow` is on and no role mapping would be
    /// bypassed.
    pub async fn get_open_id_token(
        &self,
        req: GetOpenIdTokenRequest,
    ) -> IdentityResult<OpenIdTokenResponse> {
        let identity = self.named_identity(&req.identity_id).await?;
        let record = self.pool_record(&identity.identity_pool_id).await?;
        if !record.pool.allow_classic_flow {
            return Err(IdentityError::invalid(
                "Basic (classic) flow is not enabled, please use enhanced flow.",
            ));
        }
        if !record.role_mappings.is_empty() {
            return Err(IdentityError::invalid(
                "Basic (classic) flow is not supported with RoleMappings, please use enhanced flow.",
            ));
        }
        let logins = self.parse_logins(req.logins.as_ref())?;
        let now = self.now();
        let principal = self
            .authenticate(&record.pool, &logins, LoginsKind::Tokens, now)
            .await?;
        let identity = self
            .resolve_named(&record.pool, identity, &principal, Linking::Proven, now)
            .await?;
        let token = self
            .open_id_token(
                &record.pool,
                &identity.identity_id,
                &principal,
                None,
                TokenDuration::OPEN_ID_TOKEN,
                now,
            )
            .await?;
        crate::audit!(operation = "GetOpenIdToken", identity = %identity.identity_id);
        Ok(OpenIdTokenResponse {
            identity_id: identity.identity_id.to_string(),
            token: SecretString::new(token),
        })
    }

    /// GetOpenIdTokenForDeveloperIdentity: the developer's backend (SigV4-signed) vouches for
    /// a user of its own (`Logins[DeveloperProviderName]`); the identity is found, linked or
    /// created, and its OpenID token (15 minutes unless `TokenDuration` says otherwise, with
    /// `PrincipalTags` as session tags) returned.
    pub async fn get_open_id_token_for_developer_identity(
        &self,
        req: GetOpenIdTokenForDeveloperIdentityRequest,
    ) -> IdentityResult<OpenIdTokenResponse> {
        let id = pool_id(&req.identity_pool_id)?;
        let record = self.pool_record(&id).await?;
        let logins = req
            .logins
            .as_ref()
            .ok_or_else(|| IdentityError::missing("logins"))?;
        let logins = self.parse_logins(Some(logins))?;
        let tags = PrincipalTags::parse(req.principal_tags.unwrap_or_default())?;
        let duration = req
            .token_duration
            .map(TokenDuration::parse)
            .transpose()?
            .unwrap_or(TokenDuration::DEVELOPER_DEFAULT);
        let now = self.now();
        let principal = self
            .authenticate(&record.pool, &logins, LoginsKind::Developer, now)
            .await?;
        let identity = match req.identity_id.as_deref() {
            Some(named) => {
                let identity = self.named_identity(named).await?;
                if identity.identity_pool_id != id {
                    return Err(IdentityError::identity_not_found(named));
                }
                self.resolve_named(&record.pool, identity, &principal, Linking::Trusted, now)
                    .await?
            }
            None => self.find_or_create(&record.pool, &principal, now).await?,
        };
        let token = self
            .open_id_token(
                &record.pool,
                &identity.identity_id,
                &principal,
                Some(&tags),
                duration,
                now,
            )
            .await?;
        crate::audit!(operation = "GetOpenIdTokenForDeveloperIdentity", pool = %id, identity = %identity.identity_id);
        Ok(OpenIdTokenResponse {
            identity_id: identity.identity_id.to_string(),
            token: SecretString::new(token),
        })
    }

    /// GetCredentialsForIdentity (the enhanced flow): the logins checked and linked, the role
    /// resolved (default roles, `Token` / `Rules` mappings, `CustomRoleArn`), our OpenID token
    /// exchanged at STS with `AssumeRoleWithWebIdentity` for one-hour credentials.
    pub async fn get_credentials_for_identity(
        &self,
        req: GetCredentialsForIdentityRequest,
    ) -> IdentityResult<GetCredentialsForIdentityResponse> {
        let identity = self.named_identity(&req.identity_id).await?;
        let record = self.pool_record(&identity.identity_pool_id).await?;
        let custom = req
            .custom_role_arn
            .as_deref()
            .map(|a| RoleArn::parse_member(a, "customRoleArn"))
            .transpose()?;
        let logins = self.parse_logins(req.logins.as_ref())?;
        let now = self.now();
        let principal = self
            .authenticate(&record.pool, &logins, LoginsKind::Tokens, now)
            .await?;
        let identity = self
            .resolve_named(&record.pool, identity, &principal, Linking::Proven, now)
            .await?;
        let role = resolve_role(
            &record.roles,
            &record.role_mappings,
            &principal,
            custom.as_ref(),
        )?;
        let token = self
            .open_id_token(
                &record.pool,
                &identity.identity_id,
                &principal,
                None,
                TokenDuration::OPEN_ID_TOKEN,
                now,
            )
            .await?;
        let credentials = self.credentials_for(role.clone(), token).await?;
        crate::audit!(operation = "GetCredentialsForIdentity", identity = %identity.identity_id, role = %role.as_str(), authenticated = principal.is_authenticated());
        Ok(GetCredentialsForIdentityResponse {
            identity_id: identity.identity_id.to_string(),
            credentials,
        })
    }
}
