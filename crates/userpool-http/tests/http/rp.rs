//! A relying-party library we did not write — the `openidconnect` crate — against the hosted
//! domain: discovery → authorize (code, PKCE, nonce, state) → token → ID-token verification
//! with the JWKS → userInfo. `openidconnect` is built with `accept-string-booleans`: Cognito's
//! userInfo sends `"email_verified": "true"` as a string, and so do we.

use aws_sdk_cognitoidentityprovider::types::OAuthFlowType;
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreProviderMetadata, CoreUserInfoClaims,
};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce,
    OAuth2TokenResponse as _, PkceCodeChallenge, RedirectUrl, Scope, TokenResponse as _,
};
use userpool_testkit::PASSWORD;
use userpool_testkit::oauth::{self, CALLBACK, Jar, location, param};

use crate::sdk::serve;

/// The library's HTTP calls, made with reqwest (no redirects followed, as the library asks).
async fn http_call(
    request: openidconnect::HttpRequest,
) -> Result<openidconnect::HttpResponse, reqwest::Error> {
    let client = oauth::no_redirects();
    let (parts, body) = request.into_parts();
    let mut builder = client
        .request(parts.method, parts.uri.to_string())
        .body(body);
    for (name, value) in &parts.headers {
        builder = builder.header(name, value);
    }
    let response = builder.send().await?;
    let mut out = openidconnect::http::Response::builder().status(response.status());
    for (name, value) in response.headers() {
        out = out.header(name, value);
    }
    let bytes = response.bytes().await?;
    Ok(out.body(bytes.to_vec()).expect("response"))
}

#[tokio::test]
async fn openidconnect_crate_discovery_authorize_token_user_info() {
    let server = serve().await;
    let pool = oauth::pool_with_domain(&server.sdk, "rp-test").await;
    let client = oauth::client(
        &server.sdk,
        &pool,
        true,
        &[OAuthFlowType::Code],
        &["openid", "email", "profile"],
        &[],
    )
    .await;
    oauth::confirmed_user(&server.sdk, &pool, "alice").await;

    let issuer = IssuerUrl::new(format!("{}/{pool}", server.endpoint)).expect("issuer");
    let metadata = CoreProviderMetadata::discover_async(issuer, &http_call)
        .await
        .expect("discovery");
    let rp = CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(client.id.clone()),
        client.secret.clone().map(ClientSecret::new),
    )
    .set_redirect_uri(RedirectUrl::new(CALLBACK.to_owned()).expect("redirect"));
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state, nonce) = rp
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .set_pkce_challenge(challenge)
        .url();
    assert!(
        url.as_str()
            .starts_with(&format!("{}/oauth2/authorize?", server.endpoint))
    );

    let http = oauth::no_redirects();
    let mut jar = Jar::default();
    let response = oauth::hosted_sign_in(
        &http,
        &server.endpoint,
        url.query().expect("query"),
        &mut jar,
        "alice",
        PASSWORD,
    )
    .await;
    assert_eq!(response.status(), 303);
    let to = location(&response);
    assert_eq!(
        param(&to, "state").as_deref(),
        Some(state.secret().as_str())
    );
    let code = param(&to, "code").expect("code");

    let tokens = rp
        .exchange_code(AuthorizationCode::new(code))
        .expect("token endpoint")
        .set_pkce_verifier(verifier)
        .request_async(&http_call)
        .await
        .expect("token exchange");
    let id_token = tokens.id_token().expect("an ID token");
    let claims = id_token
        .claims(&rp.id_token_verifier(), &nonce)
        .expect("the ID token verifies: signature, iss, aud, exp, nonce");
    assert_eq!(
        claims.email().map(|e| e.as_str()),
        Some("alice@example.com")
    );
    assert!(tokens.refresh_token().is_some());

    let info: CoreUserInfoClaims = rp
        .user_info(
            tokens.access_token().clone(),
            Some(claims.subject().clone()),
        )
        .expect("userinfo endpoint")
        .request_async(&http_call)
        .await
        .expect("userInfo");
    assert_eq!(info.email().map(|e| e.as_str()), Some("alice@example.com"));
    assert_eq!(info.email_verified(), Some(true));
    assert_eq!(info.subject(), claims.subject());
}
