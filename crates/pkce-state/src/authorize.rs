//! `GET /oauth2/authorize` requests: parsing and checking against a client's settings.

use crate::error::{Error, Result};
use crate::pkce::CodeChallenge;
use crate::redirect::match_redirect_uri;

/// Longest `state` or `nonce` accepted.
pub const MAX_OPAQUE_LEN: usize = 2048;
/// Longest query string parsed.
pub const MAX_QUERY_LEN: usize = 16 * 1024;

/// `response_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseType {
    /// Authorization code grant (`code`).
    Code,
    /// Implicit grant (`token`).
    Token,
}

/// What the authorization endpoint needs to know about a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientPolicy<'a> {
    /// The client id.
    pub client_id: &'a str,
    /// `CallbackURLs`.
    pub callback_urls: &'a [String],
    /// `AllowedOAuthFlows` includes `code`.
    pub allow_code: bool,
    /// `AllowedOAuthFlows` includes `implicit`.
    pub allow_implicit: bool,
    /// `AllowedOAuthScopes`.
    pub allowed_scopes: &'a [String],
    /// Refuse code requests without PKCE (public clients).
    pub require_pkce: bool,
}

/// A checked authorization request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizeRequest {
    /// `response_type`.
    pub response_type: ResponseType,
    /// `client_id`.
    pub client_id: String,
    /// `redirect_uri` (one of the registered ones, exactly).
    pub redirect_uri: String,
    /// `state`, echoed back.
    pub state: Option<String>,
    /// `nonce`, put into the ID token.
    pub nonce: Option<String>,
    /// The granted scopes (the requested ones, all allowed; all allowed when none requested).
    pub scopes: Vec<String>,
    /// The PKCE challenge.
    pub code_challenge: Option<CodeChallenge>,
    /// `identity_provider`.
    pub identity_provider: Option<String>,
}

/// The parameters of a query string, refusing repeated names (RFC 6749 §3.1).
pub fn parse_query(query: &str) -> Result<Vec<(String, String)>> {
    if query.len() > MAX_QUERY_LEN {
        return Err(Error::InvalidRequest("request too large"));
    }
    let mut out: Vec<(String, String)> = Vec::new();
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        if out.iter().any(|(seen, _)| *seen == k) {
            return Err(Error::InvalidRequest("a parameter is repeated"));
        }
        out.push((k.into_owned(), v.into_owned()));
    }
    Ok(out)
}

/// A parameter's value from [`parse_query`]'s output; an empty value counts as absent.
pub fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

fn opaque(value: Option<&str>, what: &'static str) -> Result<Option<String>> {
    match value {
        Some(v) if v.len() > MAX_OPAQUE_LEN || v.chars().any(char::is_control) => {
            Err(Error::InvalidRequest(what))
        }
        other => Ok(other.map(str::to_owned)),
    }
}

/// A scope token: printable ASCII except `"` and `\` (RFC 6749 §3.3).
fn scope_token_ok(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| (0x21..=0x7e).contains(&b) && b != b'"' && b != b'\\')
}

/// Checks an authorization request against `client` (the facade found it by `client_id`).
///
/// Errors with [`Error::redirectable`] `false` (unknown client, unregistered redirect URI)
/// must be shown as an error page; the others go to the redirect URI with `state`.
pub fn check_authorize(
    params: &[(String, String)],
    client: &ClientPolicy<'_>,
) -> Result<AuthorizeRequest> {
    if param(params, "client_id") != Some(client.client_id) {
        return Err(Error::UnknownClient);
    }
    let redirect_uri = match_redirect_uri(
        client.callback_urls,
        param(params, "redirect_uri").ok_or(Error::RedirectMismatch)?,
    )?
    .to_owned();
    let response_type = match param(params, "response_type") {
        None => return Err(Error::InvalidRequest("response_type is required")),
        Some("code") => ResponseType::Code,
        Some("token") => ResponseType::Token,
        Some(_) => return Err(Error::UnsupportedResponseType),
    };
    let allowed = match response_type {
        ResponseType::Code => client.allow_code,
        ResponseType::Token => client.allow_implicit,
    };
    if !allowed {
        return Err(Error::UnauthorizedClient);
    }
    let state = opaque(
        param(params, "state"),
        "state is too long or has control characters",
    )?;
    let nonce = opaque(
        param(params, "nonce"),
        "nonce is too long or has control characters",
    )?;
    let code_challenge = match (
        param(params, "code_challenge"),
        param(params, "code_challenge_method"),
    ) {
        (Some(c), method) => Some(CodeChallenge::parse(c, method)?),
        (None, Some(_)) => {
            return Err(Error::InvalidRequest(
                "code_challenge_method without code_challenge",
            ));
        }
        (None, None) => None,
    };
    if response_type == ResponseType::Code && client.require_pkce && code_challenge.is_none() {
        return Err(Error::InvalidRequest("code_challenge is required"));
    }
    let scopes = match param(params, "scope") {
        None => client.allowed_scopes.to_vec(),
        Some(s) => {
            let requested: Vec<&str> = s.split(' ').filter(|t| !t.is_empty()).collect();
            if requested.iter().any(|t| !scope_token_ok(t)) {
                return Err(Error::InvalidScope);
            }
            // Every requested scope must be one the client may ask for (RFC 6749 §3.3 lets a
            // server narrow silently; Cognito and RFC 9700-minded servers refuse instead).
            let mut granted: Vec<String> = Vec::new();
            for t in requested {
                if !client.allowed_scopes.iter().any(|a| a == t) {
                    return Err(Error::InvalidScope);
                }
                if !granted.iter().any(|g| g == t) {
                    granted.push(t.to_owned());
                }
            }
            if granted.is_empty() {
                return Err(Error::InvalidScope);
            }
            granted
        }
    };
    Ok(AuthorizeRequest {
        response_type,
        client_id: client.client_id.to_owned(),
        redirect_uri,
        state,
        nonce,
        scopes,
        code_challenge,
        identity_provider: param(params, "identity_provider").map(str::to_owned),
    })
}

/// The `Location` of an error redirect: `<redirect_uri>?error=<code>[&state=<state>]`.
pub fn error_redirect(redirect_uri: &str, error: &Error, state: Option<&str>) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("error", error.code().as_str());
    if let Some(s) = state {
        query.append_pair("state", s);
    }
    let sep = if redirect_uri.contains('?') { '&' } else { '?' };
    format!("{redirect_uri}{sep}{}", query.finish())
}
