//! The router: the JSON 1.1 endpoint, the well-known documents, the CSV upload and the
//! development outbox.

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{OriginalUri, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde::Deserialize;
use tower_http::cors::{AllowOrigin, CorsLayer};
use userpool::Service;

use crate::client_info::{self, ClientInfo};
use crate::config::{AdminAuth, HttpConfig};
use crate::identity_api::{self, IDENTITY_TARGET_PREFIX};
use crate::limits::{Category, Limiter, Scope, named};
use crate::operations::{describe, dispatch};
use crate::protocol::{Failure, success, with_request_id};
use crate::sigv4::{self, SignatureError};
use crate::{hosted, oauth};

/// `X-Amz-Target` prefix of every user-pool action.
const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";

pub(crate) struct AppState {
    pub(crate) service: Service,
    pub(crate) config: HttpConfig,
    pub(crate) limiter: Limiter,
}

/// The router with [`HttpConfig::default`]: every action, but signed (admin) actions refused
/// until credentials are configured with [`router_with`].
pub fn router<S: Clone + Send + Sync + 'static>(service: Service) -> Router<S> {
    router_with(service, HttpConfig::default())
}

/// CORS for the JSON API: any origin (browser SDKs), the headers the SDKs send.
pub(crate) fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_methods([Method::POST, Method::GET, Method::OPTIONS])
        .allow_headers(
            [
                "content-type",
                "x-amz-target",
                "x-amz-user-agent",
                "cache-control",
                "authorization",
                "x-amz-date",
                "x-amz-security-token",
                "amz-sdk-invocation-id",
                "amz-sdk-request",
                "x-amz-content-sha256",
            ]
            .map(axum::http::HeaderName::from_static),
        )
        .expose_headers(
            [
                "x-amzn-requestid",
                "x-amzn-errortype",
                "x-amzn-errormessage",
                "date",
            ]
            .map(axum::http::HeaderName::from_static),
        )
        .max_age(std::time::Duration::from_secs(600))
}

/// The router with `config`.
pub fn router_with<S: Clone + Send + Sync + 'static>(
    service: Service,
    config: HttpConfig,
) -> Router<S> {
    let state = Arc::new(AppState {
        limiter: Limiter::new(config.rate_limits.clone()),
        service,
        config,
    });
    let cors = cors();
    // The hosted domain: no CORS on the authorization endpoint or the pages (RFC 9700 §2);
    // the token, userInfo and revocation endpoints are called from browsers (SPAs) too.
    let hosted = Router::new()
        .route("/oauth2/authorize", get(hosted::authorize_get))
        .route(
            "/oauth2/idpresponse",
            get(hosted::idp_response_get).post(hosted::idp_response_post),
        )
        .route("/saml2/idpresponse", post(hosted::saml_response_post))
        .route("/saml2/metadata", get(hosted::saml_metadata_get))
        .route("/saml2/logout", get(hosted::saml_logout_get))
        .route("/login", get(hosted::login_get).post(hosted::login_post))
        .route("/challenge", post(hosted::challenge_post))
        .route(
            "/passkeys/add",
            get(hosted::passkeys_add_get).post(hosted::passkeys_add_post),
        )
        .route("/signup", get(hosted::signup_get).post(hosted::signup_post))
        .route("/confirm", post(hosted::confirm_post))
        .route(
            "/forgotPassword",
            get(hosted::forgot_get).post(hosted::forgot_post),
        )
        .route("/confirmForgotPassword", post(hosted::reset_post))
        .route("/logout", get(hosted::logout_get))
        .route("/error", get(hosted::error_get))
        .route(
            "/risk/feedback",
            get(hosted::feedback_get).post(hosted::feedback_post),
        )
        .route("/logo/{pool_id}/{key}", get(hosted::logo_get));
    let api = Router::new()
        .route("/", post(api))
        .route(
            "/identity/.well-known/jwks.json",
            get(identity_api::combined_jwks),
        )
        .route(
            "/identity/.well-known/openid-configuration",
            get(identity_api::combined_openid_configuration),
        )
        .route("/{pool_id}/.well-known/jwks.json", get(jwks))
        .route(
            "/{pool_id}/.well-known/openid-configuration",
            get(openid_configuration),
        )
        .route("/oauth2/token", post(oauth::token))
        .route("/oauth2/revoke", post(oauth::revoke))
        .route(
            "/oauth2/userInfo",
            get(oauth::user_info).post(oauth::user_info),
        )
        .route("/_userpool/import/{pool_id}/{job_id}", put(upload_csv))
        .layer(cors);
    // The development outbox: never readable cross-origin (no CORS), loopback only.
    let dev = Router::new().route("/_dev/messages", get(dev_messages));
    hosted
        .merge(api)
        .merge(dev)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            hosted::throttle,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            client_info::resolve,
        ))
        .with_state(state)
}

fn request_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

async fn api(
    State(state): State<Arc<AppState>>,
    OriginalUri(uri): OriginalUri,
    request: Request,
) -> Response {
    let id = request_id();
    let answer = handle(&state, &uri, request).await;
    with_request_id(answer, &id)
}

/// `TooManyRequestsException`, counted.
pub(crate) fn throttled(action: &str) -> Response {
    tracing::info!(target: "userpool::metrics", counter = "throttled", action = %action);
    Failure::new(
        StatusCode::TOO_MANY_REQUESTS,
        "TooManyRequestsException",
        "Rate exceeded",
    )
    .into_response()
}

async fn handle(state: &AppState, uri: &axum::http::Uri, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let target = parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if let Some(action) = target.strip_prefix(IDENTITY_TARGET_PREFIX) {
        return match &state.config.identity {
            Some(identity) => {
                let endpoint = identity_api::Endpoint {
                    identity,
                    config: &state.config,
                    limiter: &state.limiter,
                };
                endpoint.handle(action, uri, parts, body).await
            }
            None => Failure::unknown_operation().into_response(),
        };
    }
    let Some(action) = target.strip_prefix(TARGET_PREFIX).map(str::to_owned) else {
        return Failure::unknown_operation().into_response();
    };
    let Some((signed, category)) = describe(&action) else {
        return Failure::unknown_operation().into_response();
    };
    let signer = Signer {
        service: sigv4::USER_POOL_SERVICE,
        region: state.service.region(),
        now: state.service.now(),
    };
    let admission = Admission {
        config: &state.config,
        limiter: &state.limiter,
        category,
        action: &action,
    };
    let body = match admission
        .body(&parts, uri, body, signed.then_some(signer))
        .await
    {
        Ok(body) => body,
        Err(refused) => return refused,
    };
    // Then the username a credential or code operation names (the same for unknown and
    // existing users: nothing is looked up) and the app client; then Cognito's account-wide
    // quota, when that profile is chosen.
    let names = named(&action, &body);
    let scopes = [names.username, names.client, Some(Scope::Account)];
    if scopes
        .into_iter()
        .flatten()
        .any(|scope| !state.limiter.admit(category, scope))
    {
        return throttled(&action);
    }
    let client = parts.extensions.get::<ClientInfo>().copied();
    let work = userpool::with_source_ip(
        client.and_then(|c| c.ip),
        dispatch(&state.service, &action, &body),
    );
    answer(state.config.request_timeout, work).await
}

/// The action's answer: its JSON, its exception, or `RequestTimeoutException` when it takes
/// longer than `timeout`.
pub(crate) async fn answer(
    timeout: std::time::Duration,
    work: impl Future<Output = Result<Vec<u8>, Failure>>,
) -> Response {
    match tokio::time::timeout(timeout, work).await {
        Ok(Ok(bytes)) => success(bytes),
        Ok(Err(f)) => f.into_response(),
        Err(_) => Failure::new(
            StatusCode::REQUEST_TIMEOUT,
            "RequestTimeoutException",
            "The request took too long.",
        )
        .into_response(),
    }
}

/// What a JSON 1.1 action must pass before its work starts, in order: the caller's address's
/// quota (before any work), the body within its size and time limits, then for a signed action
/// its signature and the signing key's quota (only once the signature verified, so an
/// unauthenticated flood cannot spend it).
pub(crate) struct Admission<'a> {
    pub(crate) config: &'a HttpConfig,
    pub(crate) limiter: &'a Limiter,
    pub(crate) category: Category,
    pub(crate) action: &'a str,
}

impl Admission<'_> {
    /// The request's body once admitted (signed for `signer` when given), or the answer to give
    /// instead.
    pub(crate) async fn body(
        &self,
        parts: &axum::http::request::Parts,
        uri: &axum::http::Uri,
        body: Body,
        signer: Option<Signer<'_>>,
    ) -> Result<Bytes, Response> {
        let client = parts.extensions.get::<ClientInfo>().copied();
        if let Some(ip) = client.and_then(|c| c.ip)
            && !self.limiter.admit(self.category, Scope::ip(ip))
        {
            return Err(throttled(self.action));
        }
        let body = read_body(body, self.config.body_limit, self.config.request_timeout)
            .await
            .map_err(IntoResponse::into_response)?;
        if let Some(signer) = signer {
            let key = authenticate(
                self.config,
                &signer,
                &parts.method,
                uri,
                &parts.headers,
                &body,
            )
            .map_err(IntoResponse::into_response)?;
            if let Some(key) = key
                && !self.limiter.admit(self.category, Scope::AccessKey(key))
            {
                return Err(throttled(self.action));
            }
        }
        Ok(body)
    }
}

pub(crate) async fn read_body(
    body: Body,
    limit: usize,
    timeout: std::time::Duration,
) -> Result<Bytes, Failure> {
    match tokio::time::timeout(timeout, axum::body::to_bytes(body, limit)).await {
        Err(_) => Err(Failure::new(
            StatusCode::REQUEST_TIMEOUT,
            "RequestTimeoutException",
            "The request body did not arrive in time.",
        )),
        Ok(Err(_)) => Err(Failure::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "SerializationException",
            format!("The request body is larger than {limit} bytes."),
        )),
        Ok(Ok(bytes)) => Ok(bytes),
    }
}

/// Whom a signed action must be signed for: the service's SigV4 name and region, and its
/// clock.
pub(crate) struct Signer<'a> {
    pub(crate) service: &'static str,
    pub(crate) region: &'a str,
    pub(crate) now: i64,
}

/// Checks a signed action's signature: the access key that signed it (`None` when admin
/// actions are unauthenticated), or the answer to give instead.
pub(crate) fn authenticate(
    config: &HttpConfig,
    signer: &Signer<'_>,
    method: &Method,
    uri: &axum::http::Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Option<String>, Failure> {
    let credentials = match &config.admin {
        AdminAuth::Unauthenticated => return Ok(None),
        AdminAuth::Credentials(c) => c,
    };
    let request = sigv4::SignedRequest {
        method: method.as_str(),
        path: uri.path(),
        query: uri.query().unwrap_or(""),
        headers,
        body,
    };
    sigv4::verify(
        credentials,
        signer.service,
        signer.region,
        &request,
        signer.now,
    )
    .map(Some)
    .map_err(|e| {
        let (exception, message) = e.exception();
        let status = if e == SignatureError::Missing {
            StatusCode::FORBIDDEN
        } else {
            StatusCode::BAD_REQUEST
        };
        userpool::audit!(outcome = "signature refused", exception);
        Failure::new(status, exception, message)
    })
}

pub(crate) fn json(body: String) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    response
        .headers_mut()
        .insert("content-type", HeaderValue::from_static("application/json"));
    response
}

async fn jwks(State(state): State<Arc<AppState>>, Path(pool_id): Path<String>) -> Response {
    match state.service.user_pool(&pool_id).await {
        Ok(pool) => json(pool.jwks().to_json()),
        Err(e) => Failure::from(e).into_response(),
    }
}

async fn openid_configuration(
    State(state): State<Arc<AppState>>,
    Path(pool_id): Path<String>,
) -> Response {
    let pool = match state.service.user_pool(&pool_id).await {
        Ok(p) => p,
        Err(e) => return Failure::from(e).into_response(),
    };
    let issuer = pool.issuer();
    let algorithms: Vec<String> = pool
        .jwks()
        .keys
        .iter()
        .map(|k| k.key.algorithm().name().to_owned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut document = serde_json::json!({
        "issuer": issuer,
        "jwks_uri": format!("{issuer}/.well-known/jwks.json"),
        "subject_types_supported": ["public"],
        "response_types_supported": ["code", "token"],
        "id_token_signing_alg_values_supported": algorithms,
        "scopes_supported": ["openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"],
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "token_use", "cognito:username", "cognito:groups", "email", "email_verified", "phone_number", "phone_number_verified"],
    });
    // The OAuth endpoints exist once the pool has a domain.
    if let Ok(Some(base)) = state.service.hosted().hosted_base_url(&pool_id).await
        && let Some(map) = document.as_object_mut()
    {
        for (key, value) in [
            ("authorization_endpoint", format!("{base}/oauth2/authorize")),
            ("token_endpoint", format!("{base}/oauth2/token")),
            ("userinfo_endpoint", format!("{base}/oauth2/userInfo")),
            ("revocation_endpoint", format!("{base}/oauth2/revoke")),
            ("end_session_endpoint", format!("{base}/logout")),
        ] {
            map.insert(key.into(), value.into());
        }
        for (key, value) in [
            (
                "grant_types_supported",
                serde_json::json!([
                    "authorization_code",
                    "implicit",
                    "refresh_token",
                    "client_credentials"
                ]),
            ),
            (
                "code_challenge_methods_supported",
                serde_json::json!(["S256"]),
            ),
            (
                "token_endpoint_auth_methods_supported",
                serde_json::json!(["client_secret_basic", "client_secret_post"]),
            ),
            ("ui_locales_supported", serde_json::json!(["en", "ja"])),
        ] {
            map.insert(key.into(), value);
        }
    }
    json(document.to_string())
}

/// Longest pause between two pieces of an upload's body.
const UPLOAD_IDLE: std::time::Duration = std::time::Duration::from_secs(30);

/// `PUT` to a user-import job's `PreSignedUrl`. The URL is the capability: its signature,
/// expiry and the job are checked before a byte of the body is read; the body is then read in
/// pieces, bounded in size, each within [`UPLOAD_IDLE`]; the job takes one file only.
async fn upload_csv(
    State(state): State<Arc<AppState>>,
    Path((pool_id, job_id)): Path<(String, String)>,
    request: Request,
) -> Response {
    // Unauthenticated until the URL is checked: limited per address before anything.
    if let Some(ip) = request.extensions().get::<ClientInfo>().and_then(|c| c.ip)
        && !state
            .limiter
            .admit(Category::UserPoolResource, Scope::ip(ip))
    {
        return throttled("UploadCsv");
    }
    let query = request.uri().query().unwrap_or_default().to_owned();
    if let Err(e) = state
        .service
        .admin()
        .check_import_upload(&pool_id, &job_id, &query)
        .await
    {
        return Failure::new(StatusCode::FORBIDDEN, e.exception_name(), e.message())
            .into_response();
    }
    let csv = match read_upload(request.into_body(), userpool::MAX_IMPORT_CSV_BYTES).await {
        Ok(csv) => csv,
        Err(f) => return f.into_response(),
    };
    match state
        .service
        .admin()
        .upload_user_import_csv(&pool_id, &job_id, csv)
        .await
    {
        Ok(()) => StatusCode::OK.into_response(),
        Err(e) => Failure::from(e).into_response(),
    }
}

/// Reads an upload's body piece by piece: at most `limit` bytes, each piece within
/// [`UPLOAD_IDLE`].
async fn read_upload(body: Body, limit: usize) -> Result<Vec<u8>, Failure> {
    use futures_util::StreamExt as _;
    let mut stream = body.into_data_stream();
    let mut out = Vec::new();
    loop {
        match tokio::time::timeout(UPLOAD_IDLE, stream.next()).await {
            Err(_) => {
                return Err(Failure::new(
                    StatusCode::REQUEST_TIMEOUT,
                    "RequestTimeoutException",
                    "The upload stalled.",
                ));
            }
            Ok(None) => return Ok(out),
            Ok(Some(Err(_))) => {
                return Err(Failure::new(
                    StatusCode::BAD_REQUEST,
                    "SerializationException",
                    "The upload was interrupted.",
                ));
            }
            Ok(Some(Ok(piece))) => {
                if out.len() + piece.len() > limit {
                    return Err(Failure::new(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "SerializationException",
                        "The CSV file is too large.",
                    ));
                }
                out.extend_from_slice(&piece);
            }
        }
    }
}

#[derive(Debug, Deserialize)]
struct MessagesQuery {
    pool_id: String,
    username: String,
}

/// Whether a `Host` header names this machine's loopback interface.
fn loopback_host(headers: &HeaderMap) -> bool {
    let Some(host) = headers
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(h, _)| h),
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The development outbox: only for a loopback peer that asked for a loopback `Host` (a DNS
/// rebinding page in a browser names another host) and sent no forwarding header (a proxy on
/// this machine may be relaying someone else).
async fn dev_messages(
    State(state): State<Arc<AppState>>,
    Query(query): Query<MessagesQuery>,
    request: Request,
) -> Response {
    let Some(outbox) = &state.config.dev_outbox else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let local = request
        .extensions()
        .get::<ClientInfo>()
        .is_some_and(|c| c.peer.is_some_and(|p| p.is_loopback()) && !c.forwarded)
        && loopback_host(request.headers());
    if !local {
        return StatusCode::FORBIDDEN.into_response();
    }
    let messages: Vec<serde_json::Value> = outbox
        .messages_for(&query.pool_id, &query.username)
        .iter()
        .map(|m| {
            serde_json::json!({
                "pool_id": m.pool_id, "username": m.username, "destination": m.destination,
                "delivery_medium": m.delivery_medium.as_str(), "kind": m.kind.as_str(), "code": m.code,
                "subject": m.subject, "body": m.body, "sent_at": m.sent_at,
            })
        })
        .collect();
    json(serde_json::json!({ "messages": messages }).to_string())
}
