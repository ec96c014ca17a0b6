//! Operations on refresh-token families: GetTokensFromRefreshToken, GlobalSignOut,
//! AdminUserGlobalSignOut and RevokeToken.

use super::*;

impl Tokens {
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
            .revoke_user_families(&pool.id, &pool.case_rule.username_key(&user.username))
            .await?;
        // The hosted UI's sign-in cookies issued until now die too.
        self.core
            .modify_user(pool, user.clone(), |u| {
                u.session_epoch = u.session_epoch.wrapping_add(1);
                Ok(())
            })
            .await?;
        crate::audit!(operation = "GlobalSignOut", pool = %pool.id.as_str(), families = revoked);
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
        let Some(family) = self.core.store().find_family(&pool.id, &hash).await? else {
            return Ok(());
        };
        if family.client_id != client.id {
            crate::audit!(warn: operation = "RevokeToken", pool = %pool.id.as_str(), client = %client.id.as_str(), "refresh token of another client presented; not revoked");
            return Err(Error::new(
                ErrorKind::Unauthorized,
                "Token not issued for this client.",
            ));
        }
        self.core
            .store()
            .revoke_family(&pool.id, &family.id)
            .await?;
        crate::audit!(operation = "RevokeToken", pool = %pool.id.as_str());
        Ok(())
    }
}
