//! CreateUserPoolClient, DescribeUserPoolClient, UpdateUserPoolClient, DeleteUserPoolClient,
//! ListUserPoolClients.

use user_pool_model::{
    AppClient, AttributePermissions, AuthFlow, ClientId, ClientSecret, PoolConfig,
    PreventUserExistenceErrors, RefreshTokenRotation, TokenValidity, ValidityUnit,
};

use crate::admin::Admin;
use crate::admin::pools::page_limit;
use crate::error::{Error, ErrorKind, Result};
use crate::wire::*;

fn unit(name: Option<&str>, default: ValidityUnit) -> Result<ValidityUnit> {
    match name {
        None => Ok(default),
        Some("seconds") => Ok(ValidityUnit::Seconds),
        Some("minutes") => Ok(ValidityUnit::Minutes),
        Some("hours") => Ok(ValidityUnit::Hours),
        Some("days") => Ok(ValidityUnit::Days),
        Some(other) => Err(Error::new(
            ErrorKind::InvalidParameter,
            format!(
                "1 validation error detected: Value '{other}' at 'tokenValidityUnits' failed to satisfy constraint: Member must satisfy enum value set: [seconds, minutes, hours, days]"
            ),
        )),
    }
}

/// The largest unit that expresses `seconds` exactly, as the value Describe shows.
fn in_units(seconds: u64, largest: ValidityUnit) -> (u64, &'static str) {
    let units: &[(u64, &str)] = match largest {
        ValidityUnit::Days => &[(86_400, "days"), (3_600, "hours"), (60, "minutes")],
        _ => &[(3_600, "hours"), (60, "minutes")],
    };
    units
        .iter()
        .find(|(size, _)| seconds.is_multiple_of(*size))
        .map_or((seconds, "seconds"), |(size, name)| (seconds / size, *name))
}

fn auth_flow(name: &str) -> Result<AuthFlow> {
    serde_json::from_value(serde_json::Value::String(name.to_owned())).map_err(|_| {
        Error::new(
            ErrorKind::InvalidParameter,
            format!("1 validation error detected: Value '[{name}]' at 'explicitAuthFlows' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [ALLOW_ADMIN_USER_PASSWORD_AUTH, ALLOW_CUSTOM_AUTH, ALLOW_USER_PASSWORD_AUTH, ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_AUTH]]"),
        )
    })
}

fn flow_name(flow: AuthFlow) -> String {
    serde_json::to_value(flow)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Applies the replaceable settings of `req` to `client`.
fn apply(client: &mut AppClient, pool: &PoolConfig, req: &UserPoolClientRequest) -> Result<()> {
    let units = req.token_validity_units.clone().unwrap_or_default();
    client.token_validity = TokenValidity::from_units(
        (
            req.access_token_validity.unwrap_or(1),
            unit(units.access_token.as_deref(), ValidityUnit::Hours)?,
        ),
        (
            req.id_token_validity.unwrap_or(1),
            unit(units.id_token.as_deref(), ValidityUnit::Hours)?,
        ),
        (
            req.refresh_token_validity.unwrap_or(30),
            unit(units.refresh_token.as_deref(), ValidityUnit::Days)?,
        ),
    )?;
    client.attribute_permissions = AttributePermissions {
        read: req.read_attributes.clone(),
        write: req.write_attributes.clone(),
    };
    if let Some(write) = &client.attribute_permissions.write
        && let Some(bad) = write.iter().find(|a| pool.schema.get(a).is_none())
    {
        return Err(Error::new(
            ErrorKind::InvalidParameter,
            format!("Invalid write attributes specified while creating a client: {bad}"),
        ));
    }
    if let Some(flows) = &req.explicit_auth_flows {
        client.explicit_auth_flows = flows.iter().map(|f| auth_flow(f)).collect::<Result<_>>()?;
    }
    client.callback_urls = req.callback_urls.clone();
    client.logout_urls = req.logout_urls.clone();
    client.default_redirect_uri = req.default_redirect_uri.clone();
    client.allowed_oauth_flows = req.allowed_oauth_flows.clone();
    client.allowed_oauth_scopes = req.allowed_oauth_scopes.clone();
    client.allowed_oauth_flows_user_pool_client = req.allowed_oauth_flows_user_pool_client;
    client.supported_identity_providers = req.supported_identity_providers.clone();
    client.prevent_user_existence_errors = match req.prevent_user_existence_errors.as_deref() {
        None | Some("LEGACY") => PreventUserExistenceErrors::Legacy,
        Some("ENABLED") => PreventUserExistenceErrors::Enabled,
        Some(other) => {
            return Err(Error::new(
                ErrorKind::InvalidParameter,
                format!(
                    "1 validation error detected: Value '{other}' at 'preventUserExistenceErrors' failed to satisfy constraint: Member must satisfy enum value set: [LEGACY, ENABLED]"
                ),
            ));
        }
    };
    client.enable_token_revocation = req.enable_token_revocation.unwrap_or(true);
    client.enable_propagate_additional_user_context_data = req
        .enable_propagate_additional_user_context_data
        .unwrap_or(false);
    client.auth_session_validity_minutes = req.auth_session_validity.unwrap_or(3);
    client.refresh_token_rotation = match &req.refresh_token_rotation {
        Some(r) if r.feature == "ENABLED" => Some(RefreshTokenRotation {
            retry_grace_period_seconds: r.retry_grace_period_seconds.unwrap_or(0),
        }),
        _ => None,
    };
    client.validate()?;
    Ok(())
}

pub(crate) fn client_type(pool: &PoolConfig, c: &AppClient) -> UserPoolClientType {
    let v = c.token_validity;
    let (access, access_unit) = in_units(v.access, ValidityUnit::Hours);
    let (id, id_unit) = in_units(v.id, ValidityUnit::Hours);
    let (refresh, refresh_unit) = in_units(v.refresh, ValidityUnit::Days);
    UserPoolClientType {
        user_pool_id: pool.id.as_str().to_owned(),
        client_name: c.name.clone(),
        client_id: c.id.as_str().to_owned(),
        client_secret: c
            .secret
            .as_ref()
            .map(|s| SecretString::new(s.expose_secret())),
        last_modified_date: c.modified as f64,
        creation_date: c.created as f64,
        refresh_token_validity: refresh,
        access_token_validity: access,
        id_token_validity: id,
        token_validity_units: TokenValidityUnits {
            access_token: Some(access_unit.into()),
            id_token: Some(id_unit.into()),
            refresh_token: Some(refresh_unit.into()),
        },
        read_attributes: c.attribute_permissions.read.clone(),
        write_attributes: c.attribute_permissions.write.clone(),
        explicit_auth_flows: c
            .explicit_auth_flows
            .iter()
            .map(|f| flow_name(*f))
            .collect(),
        supported_identity_providers: if c.supported_identity_providers.is_empty() {
            vec!["COGNITO".into()]
        } else {
            c.supported_identity_providers.clone()
        },
        callback_urls: c.callback_urls.clone(),
        logout_urls: c.logout_urls.clone(),
        default_redirect_uri: c.default_redirect_uri.clone(),
        allowed_oauth_flows: c.allowed_oauth_flows.clone(),
        allowed_oauth_scopes: c.allowed_oauth_scopes.clone(),
        allowed_oauth_flows_user_pool_client: c.allowed_oauth_flows_user_pool_client,
        prevent_user_existence_errors: match c.prevent_user_existence_errors {
            PreventUserExistenceErrors::Enabled => "ENABLED",
            _ => "LEGACY",
        }
        .into(),
        enable_token_revocation: c.enable_token_revocation,
        enable_propagate_additional_user_context_data: c
            .enable_propagate_additional_user_context_data,
        auth_session_validity: c.auth_session_validity_minutes,
        refresh_token_rotation: RefreshTokenRotationType {
            feature: if c.refresh_token_rotation.is_some() {
                "ENABLED"
            } else {
                "DISABLED"
            }
            .into(),
            retry_grace_period_seconds: c
                .refresh_token_rotation
                .map(|r| r.retry_grace_period_seconds),
        },
    }
}

impl Admin {
    /// CreateUserPoolClient.
    pub async fn create_user_pool_client(
        &self,
        req: UserPoolClientRequest,
    ) -> Result<UserPoolClientResponse> {
        let pool = self.core.pool(&req.user_pool_id).await?;
        let name = req.client_name.clone().unwrap_or_default();
        let (id, generated) = self.core.entropy.with(|rng| {
            (
                ClientId::generate(rng),
                req.generate_secret.then(|| ClientSecret::generate(rng)),
            )
        })?;
        let secret = match (&req.client_secret, generated) {
            (Some(explicit), _) => Some(ClientSecret::parse(explicit.expose_secret())?),
            (None, generated) => generated,
        };
        let mut client = AppClient::new(id, &name, secret)?;
        apply(&mut client, &pool, &req)?;
        self.core
            .check_scopes_exist(&pool, &client.allowed_oauth_scopes)
            .await?;
        self.core
            .check_providers_exist(&pool, &client.supported_identity_providers)
            .await?;
        let now = self.core.now();
        client.created = now;
        client.modified = now;
        self.core
            .store()
            .create_client(&pool.id, self.core.seal_client(&pool.id, &client)?)
            .await?;
        crate::audit!(operation = "CreateUserPoolClient", pool = %pool.id.as_str(), client = %client.id.as_str());
        Ok(UserPoolClientResponse {
            user_pool_client: client_type(&pool, &client),
        })
    }

    /// DescribeUserPoolClient.
    pub async fn describe_user_pool_client(
        &self,
        req: UserPoolClientIdRequest,
    ) -> Result<UserPoolClientResponse> {
        crate::audit::event("DescribeUserPoolClient");
        let pool = self.core.pool(&req.user_pool_id).await?;
        let client = self.core.pool_client(&pool, &req.client_id).await?;
        Ok(UserPoolClientResponse {
            user_pool_client: client_type(&pool, &client),
        })
    }

    /// UpdateUserPoolClient (full replacement: omitted members return to their defaults; the
    /// secret is kept, sealed again under the active master key).
    pub async fn update_user_pool_client(
        &self,
        req: UserPoolClientRequest,
    ) -> Result<UserPoolClientResponse> {
        let pool = self.core.pool(&req.user_pool_id).await?;
        let existing = self
            .core
            .pool_client(&pool, req.client_id.as_deref().unwrap_or_default())
            .await?;
        let name = req
            .client_name
            .clone()
            .unwrap_or_else(|| existing.name.clone());
        let mut client = AppClient::new(existing.id.clone(), &name, existing.secret.clone())?;
        client.created = existing.created;
        apply(&mut client, &pool, &req)?;
        self.core
            .check_scopes_exist(&pool, &client.allowed_oauth_scopes)
            .await?;
        self.core
            .check_providers_exist(&pool, &client.supported_identity_providers)
            .await?;
        client.modified = self.core.now();
        self.core
            .store()
            .put_client(&pool.id, self.core.seal_client(&pool.id, &client)?)
            .await?;
        crate::audit!(operation = "UpdateUserPoolClient", pool = %pool.id.as_str(), client = %client.id.as_str());
        Ok(UserPoolClientResponse {
            user_pool_client: client_type(&pool, &client),
        })
    }

    /// DeleteUserPoolClient.
    pub async fn delete_user_pool_client(&self, req: UserPoolClientIdRequest) -> Result<Empty> {
        let pool = self.core.pool(&req.user_pool_id).await?;
        let client = self.core.pool_client(&pool, &req.client_id).await?;
        self.core
            .store()
            .delete_client(&pool.id, &client.id)
            .await?;
        crate::audit!(operation = "DeleteUserPoolClient", pool = %pool.id.as_str(), client = %client.id.as_str());
        Ok(Empty {})
    }

    /// ListUserPoolClients.
    pub async fn list_user_pool_clients(
        &self,
        req: ListRequest,
    ) -> Result<ListUserPoolClientsResponse> {
        crate::audit::event("ListUserPoolClients");
        let pool = self
            .core
            .pool(req.user_pool_id.as_deref().unwrap_or_default())
            .await?;
        let limit = page_limit(req.max_results, "maxResults", false)?;
        let page = self
            .core
            .store()
            .list_clients(&pool.id, limit, req.next_token.as_deref())
            .await?;
        Ok(ListUserPoolClientsResponse {
            user_pool_clients: page
                .items
                .iter()
                .map(|c| UserPoolClientDescription {
                    client_id: c.id.as_str().to_owned(),
                    user_pool_id: pool.id.as_str().to_owned(),
                    client_name: c.name.clone(),
                })
                .collect(),
            next_token: page.next,
        })
    }
}
