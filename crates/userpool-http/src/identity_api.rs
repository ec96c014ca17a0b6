//! Identity pools on the wire: `POST /` with `X-Amz-Target: AWSCognitoIdentityService.<Op>`,
//! the same JSON 1.1 framing, errors, limits and SigV4 rules as the user pools (service
//! `cognito-identity` in the identity service's region for the actions Cognito signs), and
//! the OpenID tokens' keys at `/identity/.well-known/jwks.json` and
//! `/identity/.well-known/openid-configuration`. Served beside the user pools
//! ([`HttpConfig::identity`]) or alone ([`identity_router`]).

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{OriginalUri, Request, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Serialize;
use serde::de::DeserializeOwned;
use userpool::identity::wire::*;
use userpool::wire::decode;
use userpool::{IdentityError, IdentityService};

use crate::config::HttpConfig;
use crate::limits::{Category, Limiter, Scope};
use crate::protocol::{Failure, with_request_id};
use crate::routes::{Admission, AppState, Signer, answer, cors, json, throttled};
use crate::sigv4;

/// `X-Amz-Target` prefix of every identity-pool action.
pub(crate) const IDENTITY_TARGET_PREFIX: &str = "AWSCognitoIdentityService.";

/// Decodes `body` as `Req`, runs the operation, encodes its answer.
async fn call<Req, Resp, Fut>(body: &[u8], op: impl FnOnce(Req) -> Fut) -> Result<Vec<u8>, Failure>
where
    Req: DeserializeOwned,
    Resp: Serialize,
    Fut: Future<Output = Result<Resp, IdentityError>>,
{
    let request: Req = decode(body).map_err(|e| Failure::serialization(&e))?;
    let response = op(request).await.map_err(Failure::from)?;
    serde_json::to_vec(&response).map_err(|_| Failure::internal())
}

macro_rules! identity_operations {
    ($($name:literal => $method:ident($req:ty), $signed:literal, $category:ident;)*) => {
        /// Every identity-pool action the adapter serves, by `X-Amz-Target` name.
        pub const IDENTITY_OPERATIONS: &[&str] = &[$($name),*];

        /// Whether Cognito signs `action` with SigV4, and its quota category.
        fn describe(action: &str) -> Option<(bool, Category)> {
            match action {
                $($name => Some(($signed, Category::$category)),)*
                _ => None,
            }
        }

        /// Runs `action` on `identity` with the JSON `body` (each action's future boxed where
        /// it is made, as in [`crate::operations`]).
        fn dispatch<'a>(identity: &'a IdentityService, action: &str, body: &'a [u8]) -> crate::operations::Answer<'a> {
            match action {
                $($name => (|identity: &'a IdentityService, body: &'a [u8]| -> crate::operations::Answer<'a> {
                    Box::pin(call(body, move |r: $req| identity.$method(r)))
                })(identity, body),)*
                _ => Box::pin(std::future::ready(Err(Failure::unknown_operation()))),
            }
        }
    };
}

// Which actions Cognito signs: botocore's `cognito-identity` model marks GetId,
// GetOpenIdToken, GetCredentialsForIdentity and UnlinkIdentity `"authtype": "none"`; every
// other action is SigV4-signed ("You must use AWS Developer credentials to call this API").
identity_operations! {
    "CreateIdentityPool" => create_identity_pool(IdentityPoolRequest), true, UserPoolResource;
    "DescribeIdentityPool" => describe_identity_pool(IdentityPoolIdRequest), true, UserPoolResource;
    "UpdateIdentityPool" => update_identity_pool(IdentityPoolRequest), true, UserPoolResource;
    "DeleteIdentityPool" => delete_identity_pool(IdentityPoolIdRequest), true, UserPoolResource;
    "ListIdentityPools" => list_identity_pools(ListIdentityPoolsRequest), true, UserPoolResource;
    "SetIdentityPoolRoles" => set_identity_pool_roles(SetIdentityPoolRolesRequest), true, UserPoolResource;
    "GetIdentityPoolRoles" => get_identity_pool_roles(IdentityPoolIdRequest), true, UserPoolResource;
    "GetId" => get_id(GetIdRequest), false, UserAuthentication;
    "GetOpenIdToken" => get_open_id_token(GetOpenIdTokenRequest), false, UserAuthentication;
    "GetCredentialsForIdentity" => get_credentials_for_identity(GetCredentialsForIdentityRequest), false, UserAuthentication;
    "UnlinkIdentity" => unlink_identity(UnlinkIdentityRequest), false, UserUpdate;
    "GetOpenIdTokenForDeveloperIdentity" => get_open_id_token_for_developer_identity(GetOpenIdTokenForDeveloperIdentityRequest), true, UserAuthentication;
    "LookupDeveloperIdentity" => lookup_developer_identity(LookupDeveloperIdentityRequest), true, UserRead;
    "UnlinkDeveloperIdentity" => unlink_developer_identity(UnlinkDeveloperIdentityRequest), true, UserUpdate;
    "DescribeIdentity" => describe_identity(IdentityIdRequest), true, UserRead;
    "ListIdentities" => list_identities(ListIdentitiesRequest), true, UserList;
    "DeleteIdentities" => delete_identities(DeleteIdentitiesRequest), true, UserUpdate;
}

/// The identity service with what the listener gives it.
pub(crate) struct Endpoint<'a> {
    pub(crate) identity: &'a IdentityService,
    pub(crate) config: &'a HttpConfig,
    pub(crate) limiter: &'a Limiter,
}

impl Endpoint<'_> {
    /// Answers one identity-pool action (`action` without the target prefix).
    pub(crate) async fn handle(
        &self,
        action: &str,
        uri: &axum::http::Uri,
        parts: Parts,
        body: Body,
    ) -> Response {
        let Some((signed, category)) = describe(action) else {
            return Failure::unknown_operation().into_response();
        };
        let signer = Signer {
            service: sigv4::IDENTITY_SERVICE,
            region: self.identity.region(),
            now: self.identity.now(),
        };
        let admission = Admission {
            config: self.config,
            limiter: self.limiter,
            category,
            action,
        };
        let body = match admission
            .body(&parts, uri, body, signed.then_some(signer))
            .await
        {
            Ok(body) => body,
            Err(refused) => return refused,
        };
        if !self.limiter.admit(category, Scope::Account) {
            return throttled(action);
        }
        let work = dispatch(self.identity, action, &body);
        answer(self.config.request_timeout, work).await
    }
}

/// The JWKS document of `identity`'s OpenID tokens.
async fn jwks_of(identity: &IdentityService) -> Response {
    match identity.jwks().await {
        Ok(jwks) => json(jwks.to_json()),
        Err(e) => Failure::from(e).into_response(),
    }
}

/// The discovery document of `identity`'s issuer.
async fn openid_configuration_of(identity: &IdentityService) -> Response {
    match identity.openid_configuration().await {
        Ok(document) => json(document.to_string()),
        Err(e) => Failure::from(e).into_response(),
    }
}

/// `GET /identity/.well-known/jwks.json` beside the user pools (404 without identity pools).
pub(crate) async fn combined_jwks(State(state): State<Arc<AppState>>) -> Response {
    match &state.config.identity {
        Some(identity) => jwks_of(identity).await,
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `GET /identity/.well-known/openid-configuration` beside the user pools.
pub(crate) async fn combined_openid_configuration(State(state): State<Arc<AppState>>) -> Response {
    match &state.config.identity {
        Some(identity) => openid_configuration_of(identity).await,
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The state of an identity-only router.
struct Alone {
    identity: IdentityService,
    config: HttpConfig,
    limiter: Limiter,
}

/// Identity pools alone on a listener (no user pools): `POST /` for the
/// `AWSCognitoIdentityService.*` actions and the two well-known documents under `/identity`.
/// `config` says how signed actions are authenticated and limited, as for [`router_with`]
/// (`HttpConfig::identity` is not needed here).
///
/// [`router_with`]: crate::router_with
pub fn identity_router<S: Clone + Send + Sync + 'static>(
    identity: IdentityService,
    config: HttpConfig,
) -> Router<S> {
    let state = Arc::new(Alone {
        limiter: Limiter::new(config.rate_limits.clone()),
        identity,
        config,
    });
    Router::new()
        .route("/", post(alone_api))
        .route(
            "/identity/.well-known/jwks.json",
            get(|State(s): State<Arc<Alone>>| async move { jwks_of(&s.identity).await }),
        )
        .route(
            "/identity/.well-known/openid-configuration",
            get(|State(s): State<Arc<Alone>>| async move {
                openid_configuration_of(&s.identity).await
            }),
        )
        .layer(cors())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            alone_client_info,
        ))
        .with_state(state)
}

/// Who is calling (the same resolution as the combined router's).
async fn alone_client_info(
    State(state): State<Arc<Alone>>,
    mut request: Request,
    next: Next,
) -> Response {
    crate::client_info::note(&state.config, &mut request);
    next.run(request).await
}

async fn alone_api(
    State(state): State<Arc<Alone>>,
    OriginalUri(uri): OriginalUri,
    request: Request,
) -> Response {
    let id = uuid::Uuid::new_v4().to_string();
    let (parts, body) = request.into_parts();
    let target = parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .and_then(|t| t.strip_prefix(IDENTITY_TARGET_PREFIX))
        .map(str::to_owned);
    let answer = match target {
        Some(action) => {
            let endpoint = Endpoint {
                identity: &state.identity,
                config: &state.config,
                limiter: &state.limiter,
            };
            endpoint.handle(&action, &uri, parts, body).await
        }
        None => Failure::unknown_operation().into_response(),
    };
    with_request_id(answer, &id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unsigned_actions_are_those_botocore_marks_authtype_none() {
        let unsigned: Vec<&str> = IDENTITY_OPERATIONS
            .iter()
            .copied()
            .filter(|a| describe(a).is_some_and(|(signed, _)| !signed))
            .collect();
        assert_eq!(
            unsigned,
            [
                "GetId",
                "GetOpenIdToken",
                "GetCredentialsForIdentity",
                "UnlinkIdentity"
            ]
        );
        assert_eq!(IDENTITY_OPERATIONS.len(), 17);
        assert_eq!(describe("AdminGetUser"), None);
    }
}
