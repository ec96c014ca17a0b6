//! Refresh: a presented refresh token's family, client, user and device binding checked,
//! rotation when the client asks for it, and new tokens in the same lineage.

use super::*;

impl Tokens {
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
            .await?
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
                crate::audit!(warn: operation = "GetTokensFromRefreshToken", pool = %pool.id.as_str(), "refresh token reuse detected; family revoked");
                return Err(Error::new(
                    ErrorKind::RefreshTokenReuse,
                    "Refresh token has been reused.",
                ));
            }
        }
        // The account and its groups (for the tokens), at once; a failed group read is read
        // again (and answered) when the tokens are minted.
        let store = self.core.store();
        let (user, groups) = tokio::join!(
            store.get_user(&pool.id, &family.user),
            store.groups_for_user(&pool.id, &family.user, 100, None),
        );
        let user = user?;
        let groups = groups.ok().map(|page| page.items);
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
                        other => Error::from(other),
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
            spends_session: None,
        };
        let (id_token, access_token) = self
            .mint(
                pool,
                client,
                &user,
                &grant,
                &family.origin_jti,
                caller,
                groups,
            )
            .await?;
        tracing::info!(target: "userpool::metrics", counter = "token_refresh", pool = %pool.id.as_str(), sub = %user.sub);
        Ok(AuthenticationResult {
            access_token: access_token.into(),
            expires_in: client.token_validity.access,
            token_type: "Bearer".into(),
            refresh_token: new_refresh.map(Into::into),
            id_token: id_token.into(),
            new_device_metadata: None,
        })
    }
}
