//! The code exchange and the user-info call, as requests the caller sends (sans-IO), and
//! the provider's answers parsed; Apple's client secret (an ES256 JWT) and OIDC discovery.

use serde_json::{Map, Value};
use zeroize::Zeroizing;

use crate::details::{Endpoints, ProviderDetails, RequestMethod, valid_url};
use crate::error::{Error, Result};
use crate::provider::ProviderType;

/// Largest token, user-info or discovery answer read.
pub const MAX_ANSWER_LEN: usize = 256 * 1024;

/// How long Apple client secrets made here last (Apple allows up to six months).
pub const APPLE_SECRET_SECONDS: i64 = 300;

/// An outbound HTTP request to make (no redirects followed, with timeouts).
#[derive(Debug)]
pub struct OutboundRequest {
    /// `GET` or `POST`.
    pub method: RequestMethod,
    /// The URL (for `GET`, with the parameters in its query).
    pub url: String,
    /// A form body (`POST`), zeroized (it holds the code, verifier and client secret).
    pub form: Option<Zeroizing<String>>,
    /// A bearer token for `Authorization`.
    pub bearer: Option<Zeroizing<String>>,
}

/// The token request for `code`: `grant_type=authorization_code`, `code`, `redirect_uri`,
/// `client_id`, `code_verifier`, and the client secret in the body (`client_secret_post`;
/// (?) what Cognito sends for OIDC providers is unconfirmed beyond "client_secret_post").
/// `client_secret` is the configured one, or Apple's JWT from [`apple_client_secret`].
pub fn token_request(
    details: &ProviderDetails,
    token_url: &str,
    code: &str,
    redirect_uri: &str,
    verifier: &str,
    client_secret: Option<&str>,
) -> OutboundRequest {
    let mut form = form_urlencoded::Serializer::new(String::new());
    form.append_pair("grant_type", "authorization_code")
        .append_pair("code", code)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("client_id", details.client_id())
        .append_pair("code_verifier", verifier);
    if let Some(secret) = client_secret {
        form.append_pair("client_secret", secret);
    }
    let body = Zeroizing::new(form.finish());
    match details.token_request_method() {
        RequestMethod::Get => {
            let sep = if token_url.contains('?') { '&' } else { '?' };
            OutboundRequest {
                method: RequestMethod::Get,
                url: format!("{token_url}{sep}{}", body.as_str()),
                form: None,
                bearer: None,
            }
        }
        RequestMethod::Post => OutboundRequest {
            method: RequestMethod::Post,
            url: token_url.to_owned(),
            form: Some(body),
            bearer: None,
        },
    }
}

/// What the provider's token endpoint answered.
#[derive(Debug)]
pub struct TokenResponse {
    /// `access_token`.
    pub access_token: Zeroizing<String>,
    /// `id_token`, if any.
    pub id_token: Option<String>,
}

/// Parses the token endpoint's answer (`status` and body): the tokens on success, the
/// provider's `error` otherwise.
pub fn parse_token_response(status: u16, body: &[u8]) -> Result<TokenResponse> {
    if body.len() > MAX_ANSWER_LEN {
        return Err(Error::TokenResponse("too large"));
    }
    let object: Map<String, Value> = jwt_tokens::strict_json::parse_object(body)
        .ok_or(Error::TokenResponse("not a JSON object"))?;
    if let Some(error) = object.get("error").and_then(Value::as_str) {
        return Err(Error::ProviderError {
            error: error
                .chars()
                .filter(char::is_ascii_graphic)
                .take(64)
                .collect(),
            description: object
                .get("error_description")
                .and_then(Value::as_str)
                .map(|d| d.chars().filter(|c| !c.is_control()).take(256).collect()),
        });
    }
    if !(200..300).contains(&status) {
        return Err(Error::TokenResponse("unsuccessful status"));
    }
    if let Some(t) = object.get("token_type").and_then(Value::as_str)
        && !t.eq_ignore_ascii_case("bearer")
    {
        return Err(Error::TokenResponse("token_type is not Bearer"));
    }
    let access_token = object
        .get("access_token")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or(Error::TokenResponse("no access_token"))?;
    let id_token = match object.get("id_token") {
        None | Some(Value::Null) => None,
        Some(Value::String(t)) => Some(t.clone()),
        Some(_) => return Err(Error::TokenResponse("id_token is not a string")),
    };
    Ok(TokenResponse {
        access_token: Zeroizing::new(access_token.to_owned()),
        id_token,
    })
}

/// The user-info (profile) request: `attributes_url` with the access token as a bearer,
/// by `attributes_request_method`; with `attributes_url_add_attributes`, the mapped provider
/// attributes are appended comma-separated (Facebook's `fields=`, Google's `personFields=`).
pub fn user_info_request(
    details: &ProviderDetails,
    attributes_url: &str,
    access_token: &str,
    provider_attributes: &[&str],
) -> OutboundRequest {
    let mut url = attributes_url.to_owned();
    if details.get("attributes_url_add_attributes") == Some("true") {
        let mut fields: Vec<&str> = provider_attributes.to_vec();
        let subject = details.provider_type().subject_attribute();
        if !fields.contains(&subject) {
            fields.insert(0, subject);
        }
        url.push_str(
            &form_urlencoded::byte_serialize(fields.join(",").as_bytes()).collect::<String>(),
        );
    }
    OutboundRequest {
        method: details.attributes_request_method(),
        url,
        form: None,
        bearer: Some(Zeroizing::new(access_token.to_owned())),
    }
}

/// Parses a user-info answer: a JSON object (Login with Amazon's profile as is).
pub fn parse_user_info(status: u16, body: &[u8]) -> Result<Map<String, Value>> {
    if !(200..300).contains(&status) {
        return Err(Error::UserInfo("unsuccessful status"));
    }
    if body.len() > MAX_ANSWER_LEN {
        return Err(Error::UserInfo("too large"));
    }
    jwt_tokens::strict_json::parse_object(body).ok_or(Error::UserInfo("not a JSON object"))
}

/// Apple's client secret: an ES256 JWT under the Sign in with Apple key (`private_key`, PKCS#8
/// PEM; header `kid` = `key_id`), `iss` = `team_id`, `sub` = `client_id`,
/// `aud` = `https://appleid.apple.com`, valid [`APPLE_SECRET_SECONDS`] from `now`.
pub fn apple_client_secret(details: &ProviderDetails, now: i64) -> Result<Zeroizing<String>> {
    let pem = details
        .secret("private_key")
        .ok_or(Error::TokenResponse("no Apple private key"))?;
    let key = jwt_tokens::SigningKey::from_pkcs8_pem(pem.expose_secret())
        .map_err(|_| Error::TokenResponse("the Apple private key is not a P-256 PKCS#8 key"))?
        .with_kid(details.get("key_id").unwrap_or_default());
    let mut claims = Map::new();
    claims.insert(
        "iss".into(),
        details.get("team_id").unwrap_or_default().into(),
    );
    claims.insert("iat".into(), now.into());
    claims.insert("exp".into(), (now + APPLE_SECRET_SECONDS).into());
    claims.insert("aud".into(), "https://appleid.apple.com".into());
    claims.insert("sub".into(), details.client_id().into());
    key.sign_claims(&claims)
        .map(Zeroizing::new)
        .map_err(|_| Error::TokenResponse("the Apple client secret could not be signed"))
}

/// Fills what `endpoints` lacks from an OIDC discovery document, whose `issuer` must be
/// `oidc_issuer` exactly; configured endpoints win.
pub fn apply_discovery(endpoints: &Endpoints, body: &[u8]) -> Result<Endpoints> {
    if body.len() > MAX_ANSWER_LEN {
        return Err(Error::Discovery("too large"));
    }
    let doc =
        jwt_tokens::strict_json::parse_object(body).ok_or(Error::Discovery("not a JSON object"))?;
    let issuer = doc.get("issuer").and_then(Value::as_str);
    if issuer.is_none() || issuer != endpoints.issuer.as_deref() {
        return Err(Error::Discovery("the document names another issuer"));
    }
    let url = |k: &str| -> Result<Option<String>> {
        match doc.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(u)) if valid_url(u) => Ok(Some(u.clone())),
            Some(_) => Err(Error::Discovery("an endpoint is not an absolute URL")),
        }
    };
    Ok(Endpoints {
        authorize_url: endpoints
            .authorize_url
            .clone()
            .or(url("authorization_endpoint")?),
        token_url: endpoints.token_url.clone().or(url("token_endpoint")?),
        attributes_url: endpoints
            .attributes_url
            .clone()
            .or(url("userinfo_endpoint")?),
        jwks_uri: endpoints.jwks_uri.clone().or(url("jwks_uri")?),
        issuer: endpoints.issuer.clone(),
    })
}

/// The discovery document's URL for an issuer.
pub fn discovery_url(issuer: &str) -> String {
    format!(
        "{}/.well-known/openid-configuration",
        issuer.trim_end_matches('/')
    )
}

/// Whether the provider's claims are read from the user-info endpoint (besides or instead
/// of an ID token): Facebook and Login with Amazon always; OIDC providers when they have
/// one (`attributes_request_method` says how); Google and Apple sign in with the ID token.
pub fn calls_user_info(details: &ProviderDetails, endpoints: &Endpoints) -> bool {
    match details.provider_type() {
        ProviderType::Facebook | ProviderType::LoginWithAmazon => true,
        ProviderType::Oidc => endpoints.attributes_url.is_some(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_answers_are_parsed_strictly() {
        let ok = parse_token_response(
            200,
            br#"{"access_token":"at","token_type":"Bearer","id_token":"a.b.c","expires_in":3600}"#,
        )
        .unwrap();
        assert_eq!(ok.access_token.as_str(), "at");
        assert_eq!(ok.id_token.as_deref(), Some("a.b.c"));
        assert_eq!(
            parse_token_response(400, br#"{"error":"invalid_grant"}"#).unwrap_err(),
            Error::ProviderError {
                error: "invalid_grant".into(),
                description: None
            }
        );
        assert_eq!(
            parse_token_response(200, br#"{"token_type":"Bearer"}"#).unwrap_err(),
            Error::TokenResponse("no access_token")
        );
        assert_eq!(
            parse_token_response(200, br#"{"access_token":"a","token_type":"mac"}"#).unwrap_err(),
            Error::TokenResponse("token_type is not Bearer")
        );
        assert_eq!(
            parse_token_response(200, b"<html>").unwrap_err(),
            Error::TokenResponse("not a JSON object")
        );
    }

    #[test]
    fn discovery_fills_only_what_is_missing_and_checks_the_issuer() {
        let configured = Endpoints {
            token_url: Some("https://idp.example/custom-token".into()),
            issuer: Some("https://idp.example".into()),
            ..Endpoints::default()
        };
        let doc = br#"{"issuer":"https://idp.example","authorization_endpoint":"https://idp.example/auth","token_endpoint":"https://idp.example/token","jwks_uri":"https://idp.example/jwks","userinfo_endpoint":"https://idp.example/me"}"#;
        let e = apply_discovery(&configured, doc).unwrap();
        assert_eq!(e.authorize_url.as_deref(), Some("https://idp.example/auth"));
        assert_eq!(
            e.token_url.as_deref(),
            Some("https://idp.example/custom-token")
        );
        assert_eq!(e.jwks_uri.as_deref(), Some("https://idp.example/jwks"));
        let other = br#"{"issuer":"https://evil.example","authorization_endpoint":"https://evil.example/a"}"#;
        assert_eq!(
            apply_discovery(&configured, other),
            Err(Error::Discovery("the document names another issuer"))
        );
        assert_eq!(
            discovery_url("https://idp.example/"),
            "https://idp.example/.well-known/openid-configuration"
        );
    }
}
