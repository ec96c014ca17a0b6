//! The hosted domain's token side (spec §9.3, §9.4, §9.6): `POST /oauth2/token` for the
//! `authorization_code`, `refresh_token` and `client_credentials` grants, `/oauth2/userInfo`
//! and `POST /oauth2/revoke`. Errors are OAuth's (`{"error": …}`), not Cognito exceptions.

use custom_auth_triggers::TriggerSource;
use jwt_tokens::{AccessTokenClaims, TokenUse};
use pkce_state::TokenRequest;
use serde_json::{Map, Value};
use user_pool_model::{AppClient, PoolConfig, Sub, UserStatus};

use crate::error::{Error, ErrorKind};
use crate::hooks::Caller;
use crate::hosted::Hosted;
use crate::hosted::authorize::{code_family_id, code_marker, oauth_enabled};
use crate::tokens::{ClientProof, Grant, check_client_secret, scope_allows_attribute};
use crate::wire::*;

type OAuthResult<T> = Result<T, OAuthError>;

/// Longest form body the token and revocation endpoints parse.
pub const MAX_FORM_BYTES: usize = 16 * 1024;

use pkce_state::param as get;

fn server_error() -> OAuthError {
    OAuthError::bad_request("server_error", "An internal error occurred.")
}

fn consumed() -> OAuthError {
    OAuthError::bad_request(
        "invalid_grant",
        "Authorization code has been consumed already or does not exist",
    )
}

fn parse_form(body: &[u8]) -> OAuthResult<Vec<(String, String)>> {
    let text = core::str::from_utf8(body)
        .map_err(|_| OAuthError::bad_request("invalid_request", "The body is not UTF-8."))?;
    if text.len() > MAX_FORM_BYTES {
        return Err(OAuthError::bad_request(
            "invalid_request",
            "The body is too large.",
        ));
    }
    pkce_state::parse_query(text)
        .map_err(|e| OAuthError::bad_request("invalid_request", e.to_string()))
}

impl Hosted {
    /// Authenticates the client of a token or revocation request: Basic header
    /// (`client_secret_basic`), or `client_id` (+ `client_secret`) in the body.
    async fn oauth_client_auth(
        &self,
        params: &[(String, String)],
        auth: &ClientAuthentication,
        host_pool: Option<&str>,
    ) -> OAuthResult<(PoolConfig, AppClient)> {
        let basic = auth.basic.is_some();
        let refuse = |description: &str| {
            if basic {
                OAuthError::unauthorized("invalid_client", description)
            } else {
                OAuthError::bad_request("invalid_client", description)
            }
        };
        let (client_id, secret) = match &auth.basic {
            Some((id, secret)) => {
                if get(params, "client_id").is_some_and(|c| c != id) {
                    return Err(OAuthError::bad_request(
                        "invalid_request",
                        "client_id differs from the authenticated client",
                    ));
                }
                (id.as_str(), Some(secret.clone()))
            }
            None => (
                get(params, "client_id").ok_or_else(|| refuse("Client authentication failed."))?,
                get(params, "client_secret").map(SecretString::from),
            ),
        };
        let (pool, client, _) = self
            .oauth_client(Some(client_id), host_pool)
            .await
            .ok_or_else(|| refuse("Client authentication failed."))?;
        match (&client.secret, &secret) {
            (Some(_), _) => check_client_secret(&client, secret.as_ref())
                .map_err(|_| refuse("Client authentication failed."))?,
            (None, Some(_)) => return Err(refuse("The client has no secret.")),
            (None, None) => {}
        }
        if !client.allowed_oauth_flows_user_pool_client {
            return Err(OAuthError::bad_request(
                "unauthorized_client",
                "The client may not use the OAuth endpoints.",
            ));
        }
        Ok((pool, client))
    }

    /// `POST /oauth2/token` with a form `body`.
    pub async fn oauth_token(
        &self,
        body: &[u8],
        auth: &ClientAuthentication,
        host_pool: Option<&str>,
    ) -> OAuthResult<TokenEndpointResponse> {
        let params = parse_form(body)?;
        let grant_type = get(&params, "grant_type")
            .ok_or_else(|| OAuthError::bad_request("invalid_request", "grant_type is required"))?;
        if !matches!(
            grant_type,
            "authorization_code" | "refresh_token" | "client_credentials"
        ) {
            return Err(OAuthError::bad_request(
                "unsupported_grant_type",
                "unsupported grant_type",
            ));
        }
        let (pool, client) = self.oauth_client_auth(&params, auth, host_pool).await?;
        crate::audit!(operation = "Token", pool = %pool.id.as_str(), client = %client.id.as_str(), grant_type, parameters = "HIDDEN_DUE_TO_SECURITY_REASONS");
        match grant_type {
            "authorization_code" => self.redeem_code(&pool, &client, &params).await,
            "refresh_token" => self.oauth_refresh(&pool, &client, &params).await,
            _ => self.client_credentials(&pool, &client, &params).await,
        }
    }

    async fn redeem_code(
        &self,
        pool: &PoolConfig,
        client: &AppClient,
        params: &[(String, String)],
    ) -> OAuthResult<TokenEndpointResponse> {
        if !oauth_enabled(client, "code") {
            return Err(OAuthError::bad_request(
                "unauthorized_client",
                "The client may not use the authorization code grant.",
            ));
        }
        let code = get(params, "code")
            .ok_or_else(|| OAuthError::bad_request("invalid_request", "code is required"))?;
        let redirect_uri = get(params, "redirect_uri").ok_or_else(|| {
            OAuthError::bad_request("invalid_request", "redirect_uri is required")
        })?;
        let (id, record) = self
            .open_code(&pool.id, client, code)
            .ok_or_else(consumed)?;
        let now = self.core.now();
        if now > record.expires_at {
            return Err(OAuthError::bad_request(
                "invalid_grant",
                "Authorization code has expired",
            ));
        }
        // Burn the code before anything else is checked: one guess at the verifier per code.
        let first = self
            .core
            .store()
            .mark_used(&pool.id, &code_marker(&id), record.expires_at + 60)
            .await
            .map_err(|_| server_error())?;
        let family_id = code_family_id(&id);
        if !first {
            // Reuse (RFC 6749 §4.1.2, ASVS 10.4.2): the tokens of the first redemption are
            // revoked. A redemption still in flight (a parallel duplicate) has no family yet
            // and keeps its success: exactly one of N parallel redemptions wins.
            self.tokens
                .revoke_family_durably(&pool.id, &family_id)
                .await
                .map_err(|_| server_error())?;
            crate::audit!(warn: operation = "Token", pool = %pool.id.as_str(), "authorization code redeemed twice; its tokens are revoked");
            return Err(consumed());
        }
        let request = TokenRequest {
            client_id: client.id.as_str(),
            redirect_uri: Some(redirect_uri),
            code_verifier: get(params, "code_verifier"),
        };
        let record = record
            .redeem(&request, now)
            .map_err(|e| OAuthError::bad_request(e.code().as_str(), e.to_string()))?;
        let user = match Sub::parse(&record.user) {
            Ok(sub) => self
                .core
                .store()
                .find_by_sub(&pool.id, &sub)
                .await
                .map_err(|_| server_error())?,
            Err(_) => None,
        }
        .filter(|u| {
            u.enabled
                && matches!(
                    u.status,
                    UserStatus::Confirmed | UserStatus::ExternalProvider
                )
        })
        .ok_or_else(|| OAuthError::bad_request("invalid_grant", "The user is not active."))?;
        let grant = Grant {
            auth_time: record.auth_time,
            device_key: None,
            bound_device: None,
            source: TriggerSource::TokenGenerationHostedAuth,
            scopes: Some(record.scopes.clone()),
            nonce: record.nonce.clone(),
            family_id: Some(family_id),
            spends_session: None,
        };
        let caller = Caller::without_metadata(client.id.as_str());
        let result = self
            .tokens
            .issue_tokens(pool, client, &user, &grant, &caller)
            .await
            .map_err(|e| match e.kind() {
                ErrorKind::InternalError => server_error(),
                _ => OAuthError::bad_request("invalid_grant", e.message().to_owned()),
            })?;
        let openid = record.scopes.iter().any(|s| s == "openid");
        Ok(TokenEndpointResponse {
            access_token: result.access_token,
            id_token: openid.then_some(result.id_token),
            refresh_token: result.refresh_token,
            token_type: "Bearer",
            expires_in: result.expires_in,
        })
    }

    async fn oauth_refresh(
        &self,
        pool: &PoolConfig,
        client: &AppClient,
        params: &[(String, String)],
    ) -> OAuthResult<TokenEndpointResponse> {
        let token = get(params, "refresh_token").ok_or_else(|| {
            OAuthError::bad_request("invalid_request", "refresh_token is required")
        })?;
        let caller = Caller::without_metadata(client.id.as_str());
        let family = self
            .core
            .store()
            .find_family(&pool.id, &crate::tokens::hash_token(token))
            .await
            .map_err(|_| server_error())?;
        let result = self
            .tokens
            .refresh(
                pool,
                client,
                token,
                None,
                ClientProof::SecretChecked,
                &caller,
            )
            .await
            .map_err(|e| match e.kind() {
                ErrorKind::InvalidParameter => OAuthError::bad_request(
                    "unauthorized_client",
                    "Refresh tokens are disabled for this client.",
                ),
                ErrorKind::InternalError => server_error(),
                _ => OAuthError::bad_request("invalid_grant", "Invalid Refresh Token"),
            })?;
        let openid = family
            .and_then(|f| f.scopes)
            .is_none_or(|s| s.iter().any(|s| s == "openid"));
        Ok(TokenEndpointResponse {
            access_token: result.access_token,
            id_token: openid.then_some(result.id_token),
            refresh_token: result.refresh_token,
            token_type: "Bearer",
            expires_in: result.expires_in,
        })
    }

    async fn client_credentials(
        &self,
        pool: &PoolConfig,
        client: &AppClient,
        params: &[(String, String)],
    ) -> OAuthResult<TokenEndpointResponse> {
        if !oauth_enabled(client, "client_credentials") || client.secret.is_none() {
            return Err(OAuthError::bad_request(
                "unauthorized_client",
                "The client may not use the client credentials grant.",
            ));
        }
        let live = self
            .core
            .live_scopes(pool, client)
            .await
            .map_err(|_| server_error())?;
        let custom: Vec<&String> = live.iter().filter(|s| s.contains('/')).collect();
        let scopes: Vec<String> = match get(params, "scope") {
            None => custom.iter().map(|s| (*s).clone()).collect(),
            Some(requested) => {
                let mut granted: Vec<String> = Vec::new();
                for s in requested.split(' ').filter(|s| !s.is_empty()) {
                    if !custom.iter().any(|c| *c == s) {
                        return Err(OAuthError::bad_request(
                            "invalid_scope",
                            format!("scope {s} is not allowed for this client"),
                        ));
                    }
                    if !granted.iter().any(|g| g == s) {
                        granted.push(s.to_owned());
                    }
                }
                granted
            }
        };
        if scopes.is_empty() {
            return Err(OAuthError::bad_request(
                "invalid_scope",
                "the client has no custom scopes",
            ));
        }
        let keys = self
            .core
            .key_set(&pool.id)
            .await
            .map_err(|_| server_error())?;
        let now = self.core.now();
        let validity = i64::try_from(client.token_validity.access).map_err(|_| server_error())?;
        let claims = AccessTokenClaims {
            sub: client.id.as_str().to_owned(),
            iss: self.core.issuer.for_pool(&pool.id),
            client_id: client.id.as_str().to_owned(),
            username: None,
            auth_time: now,
            iat: now,
            exp: now + validity,
            jti: self.core.entropy.uuid().map_err(|_| server_error())?,
            origin_jti: None,
            event_id: None,
            groups: Vec::new(),
            scopes,
            device_key: None,
            version: Some(2),
        };
        let map = claims.to_claims(None).map_err(|_| server_error())?;
        let token = keys
            .sign(TokenUse::Access, &map)
            .map_err(|_| server_error())?;
        Ok(TokenEndpointResponse {
            access_token: token.into(),
            id_token: None,
            refresh_token: None,
            token_type: "Bearer",
            expires_in: client.token_validity.access,
        })
    }

    /// `/oauth2/userInfo` with the bearer token: `sub`, `username` and the attributes the
    /// token's scopes and its client's read permissions allow, every value a string.
    pub async fn oauth_user_info(&self, bearer: &str) -> OAuthResult<Map<String, Value>> {
        let invalid = || {
            OAuthError::unauthorized(
                "invalid_token",
                "Access token is expired, disabled, or deleted, or the user has globally signed out.",
            )
        };
        let authorized =
            self.tokens
                .verify_access(bearer, "openid")
                .await
                .map_err(|e: Error| match e.kind() {
                    ErrorKind::InternalError => server_error(),
                    _ => invalid(),
                })?;
        let client = self
            .core
            .pool_client(&authorized.pool, &authorized.client_id)
            .await
            .map_err(|_| invalid())?;
        let scopes: Vec<String> = authorized
            .claims
            .scopes()
            .into_iter()
            .map(str::to_owned)
            .collect();
        let user = authorized.user;
        let mut out = Map::new();
        out.insert("sub".into(), user.sub.to_string().into());
        for (name, value) in &user.attributes {
            if name != "sub"
                && client.attribute_permissions.can_read(name)
                && scope_allows_attribute(&scopes, name)
            {
                out.insert(name.clone(), value.clone().into());
            }
        }
        out.insert("username".into(), user.username.into());
        Ok(out)
    }

    /// `POST /oauth2/revoke`: revokes a refresh token (and the access tokens minted from it).
    /// Unknown or already revoked tokens succeed.
    pub async fn oauth_revoke(
        &self,
        body: &[u8],
        auth: &ClientAuthentication,
        host_pool: Option<&str>,
    ) -> OAuthResult<()> {
        let params = parse_form(body)?;
        let token = get(&params, "token")
            .ok_or_else(|| OAuthError::bad_request("invalid_request", "token is required"))?;
        // The client authenticated just above (Basic or body secret).
        let (pool, client) = self.oauth_client_auth(&params, auth, host_pool).await?;
        self.tokens
            .revoke_for_client(&pool, &client, token)
            .await
            .map_err(|e| match e.kind() {
                ErrorKind::UnsupportedTokenType => OAuthError::bad_request(
                    "unsupported_token_type",
                    "Only refresh tokens can be revoked.",
                ),
                ErrorKind::UnsupportedOperation => OAuthError::bad_request(
                    "invalid_request",
                    "Token revocation is not enabled for this client.",
                ),
                // RFC 7009 §2.1: a token issued to another client is refused.
                ErrorKind::Unauthorized => OAuthError::bad_request(
                    "unauthorized_client",
                    "The token was not issued to this client.",
                ),
                _ => server_error(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_with_repeated_parameters_or_bad_utf8_are_invalid_requests() {
        assert_eq!(
            parse_form(b"grant_type=a&grant_type=b").unwrap_err().error,
            "invalid_request"
        );
        assert_eq!(
            parse_form(&[0xff, 0xfe]).unwrap_err().error,
            "invalid_request"
        );
        assert_eq!(
            parse_form(b"code=a%20b").unwrap(),
            vec![("code".to_owned(), "a b".to_owned())]
        );
    }
}
