//! What the hosted domain's OAuth 2.0 / OIDC endpoints and pages exchange with the facade
//! (spec §9). These are not JSON 1.1 operations: the HTTP adapter renders them as redirects,
//! form posts, `application/json` token answers and HTML pages.

use std::collections::BTreeMap;

use serde::Serialize;

use super::SecretString;

/// An OAuth error answer: the RFC 6749 `error` code, its HTTP status and a description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    /// HTTP status (400, or 401 for client authentication and userInfo token failures).
    pub status: u16,
    /// `error`: `invalid_request`, `invalid_client`, `invalid_grant`, `unauthorized_client`,
    /// `unsupported_grant_type`, `invalid_scope`, `unsupported_token_type`, `invalid_token`,
    /// `server_error`.
    pub error: &'static str,
    /// `error_description`.
    pub description: String,
}

impl OAuthError {
    /// A 400 answer.
    pub fn bad_request(error: &'static str, description: impl Into<String>) -> Self {
        Self {
            status: 400,
            error,
            description: description.into(),
        }
    }

    /// A 401 answer.
    pub fn unauthorized(error: &'static str, description: impl Into<String>) -> Self {
        Self {
            status: 401,
            error,
            description: description.into(),
        }
    }

    /// The JSON body of the token and revocation endpoints: `{"error": …,
    /// "error_description": …}` (Amplify also reads `error_message`, which is not sent).
    pub fn to_json(&self) -> String {
        serde_json::json!({ "error": self.error, "error_description": self.description })
            .to_string()
    }
}

/// The client authentication a token or revocation request carried.
#[derive(Debug, Clone, Default)]
pub struct ClientAuthentication {
    /// From `Authorization: Basic` (client_secret_basic): id and secret.
    pub basic: Option<(String, SecretString)>,
}

/// `POST /oauth2/token`'s success body.
#[derive(Debug, Clone, Serialize)]
pub struct TokenEndpointResponse {
    /// `access_token`.
    pub access_token: SecretString,
    /// `id_token` (with the `openid` scope).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token: Option<SecretString>,
    /// `refresh_token` (authorization_code grants; refresh grants only when rotating).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<SecretString>,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Access-token lifetime in seconds.
    pub expires_in: u64,
}

/// A checked `/oauth2/authorize` (or `/login`) request, kept as its query string so every
/// hosted page can carry it on.
#[derive(Debug, Clone)]
pub struct HostedRequest {
    /// The pool.
    pub pool_id: String,
    /// The client.
    pub client_id: String,
    /// The client's name (shown on the pages).
    pub client_name: String,
    /// The original query, to pass on from page to page.
    pub query: String,
    /// The pool's username attributes (`email`, `phone_number`), for the pages' labels.
    pub username_attributes: Vec<String>,
    /// Required attributes a sign-up page must ask for (besides the password).
    pub required_attributes: Vec<String>,
    /// CSS from SetUICustomization (the client's, else the pool's), for the pages.
    pub css: Option<String>,
    /// Where the pages load the customized logo from.
    pub logo_url: Option<String>,
    /// The client's external identity providers (`SupportedIdentityProviders` without
    /// `COGNITO`): the sign-in page shows a button for each.
    pub identity_providers: Vec<String>,
    /// The passwordless first factors (`EMAIL_OTP`, `SMS_OTP`, `WEB_AUTHN`) the sign-in page
    /// offers: what the client's `ALLOW_USER_AUTH` and the pool's `AllowedFirstAuthFactors`
    /// allow.
    pub first_factors: Vec<&'static str>,
    pub(crate) request: pkce_state::AuthorizeRequest,
    /// The pool and client as the check read them (one HTTP request's steps reuse them).
    pub(crate) pool: user_pool_model::PoolConfig,
    pub(crate) client: user_pool_model::AppClient,
}

/// What `/oauth2/authorize` does. `Debug` hides the redirect's parameters (a code or tokens).
#[derive(Clone)]
pub enum AuthorizeOutcome {
    /// No session: show the sign-in page (`302 ../login?<same query>`).
    SignIn(Box<HostedRequest>),
    /// `302` to this location: the client's redirect URI with a code, tokens or an error.
    Redirect(String),
    /// Nothing may be sent to the client: show the error page with this code
    /// (`redirect_mismatch`, `invalid_request`, `unauthorized_client`).
    ErrorPage(&'static str),
}

impl core::fmt::Debug for AuthorizeOutcome {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::SignIn(r) => f.debug_tuple("SignIn").field(r).finish(),
            Self::Redirect(location) => f
                .debug_tuple("Redirect")
                .field(&redacted_location(location))
                .finish(),
            Self::ErrorPage(code) => f.debug_tuple("ErrorPage").field(code).finish(),
        }
    }
}

/// A redirect location without its query and fragment (which carry codes and tokens).
fn redacted_location(location: &str) -> String {
    match location.split_once(['?', '#']) {
        Some((base, _)) => format!("{base}?<redacted>"),
        None => location.to_owned(),
    }
}

/// A hosted-UI sign-in session (the browser's cookie): sealed under the pool's key, valid one
/// hour.
#[derive(Clone)]
pub struct HostedSession {
    /// The cookie value (sealed; opaque).
    pub cookie: SecretString,
    /// Seconds it is valid for (the cookie's `Max-Age`).
    pub max_age: i64,
}

impl core::fmt::Debug for HostedSession {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HostedSession")
            .field("max_age", &self.max_age)
            .finish_non_exhaustive()
    }
}

/// Where a hosted sign-in step leads. `Debug` hides the session and the redirect's parameters.
#[derive(Clone)]
pub enum HostedStep {
    /// Another challenge to answer on a page: its name, `Session`, parameters.
    Challenge {
        /// The challenge (`NEW_PASSWORD_REQUIRED`, `SOFTWARE_TOKEN_MFA`, `SMS_MFA`,
        /// `EMAIL_OTP`, `SELECT_MFA_TYPE`, `MFA_SETUP`).
        name: String,
        /// The sealed flow state for the next post.
        session: SecretString,
        /// The challenge parameters (e.g. `CODE_DELIVERY_DESTINATION`, `MFAS_CAN_SETUP`).
        parameters: BTreeMap<String, String>,
    },
    /// Signed in: set the session cookie and redirect to `location`.
    SignedIn {
        /// The cookie to set.
        session: HostedSession,
        /// The client's redirect URI with the code (or tokens).
        location: String,
    },
}

impl core::fmt::Debug for HostedStep {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Challenge {
                name, parameters, ..
            } => f
                .debug_struct("Challenge")
                .field("name", name)
                .field("parameters", &parameters.keys().collect::<Vec<_>>())
                .finish_non_exhaustive(),
            Self::SignedIn { session, location } => f
                .debug_struct("SignedIn")
                .field("session", session)
                .field("location", &redacted_location(location))
                .finish(),
        }
    }
}

/// What `/logout` does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogoutOutcome {
    /// Clear the session cookie and redirect here (`logout_uri`, or `login?…` — relative to
    /// `/logout` — when `redirect_uri` was given).
    Redirect(String),
    /// Clear the session cookie and show the error page with this message.
    ErrorPage(String),
}
