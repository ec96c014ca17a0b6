//! The hosted domain through the facade on the virtual clock (and on every store backend):
//! an authorization code lives five minutes, the sign-in cookie one hour, and both belong to
//! their pool and client.

use userpool::wire::*;

use super::support::*;

const CALLBACK: &str = "https://app.example.com/cb";
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/// A pool with a domain, a code-flow client and a confirmed user `alice`.
async fn hosted(w: &World, prefix: &str) -> (String, String) {
    let pool = w.pool().await;
    w.service
        .admin()
        .create_user_pool_domain(UserPoolDomainRequest {
            domain: prefix.into(),
            user_pool_id: pool.clone(),
            ..Default::default()
        })
        .await
        .expect("domain");
    let client = w
        .client_with(&pool, |c| {
            c.allowed_oauth_flows_user_pool_client = true;
            c.allowed_oauth_flows = vec!["code".into()];
            c.allowed_oauth_scopes = vec!["openid".into(), "email".into()];
            c.callback_urls = vec![CALLBACK.into()];
            c.supported_identity_providers = vec!["COGNITO".into()];
        })
        .await
        .client_id;
    w.user(&client, "alice", PASSWORD).await;
    (pool, client)
}

fn query(client: &str) -> String {
    format!(
        "response_type=code&client_id={client}&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&state=s&code_challenge={CHALLENGE}&code_challenge_method=S256"
    )
}

/// The code of a redirect (codes are base64url: nothing in them is percent-encoded).
fn code_of(location: &str) -> String {
    location
        .split_once("code=")
        .and_then(|(_, rest)| rest.split('&').next())
        .expect("a code")
        .to_owned()
}

async fn sign_in(w: &World, client: &str) -> (String, HostedSession) {
    let request = w
        .service
        .hosted()
        .hosted_request(&query(client), None)
        .await
        .expect("a valid request");
    match w
        .service
        .hosted()
        .hosted_sign_in(&request, "alice", &PASSWORD.into())
        .await
        .expect("signed in")
    {
        HostedStep::SignedIn { session, location } => (code_of(&location), session),
        other => panic!("{other:?}"),
    }
}

async fn redeem(w: &World, client: &str, code: &str) -> Result<TokenEndpointResponse, OAuthError> {
    let body = format!(
        "grant_type=authorization_code&client_id={client}&code={code}&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&code_verifier={VERIFIER}"
    );
    w.service
        .hosted()
        .oauth_token(body.as_bytes(), &ClientAuthentication::default(), None)
        .await
}

#[tokio::test]
async fn a_code_works_for_five_minutes_and_only_once() {
    let w = world!();
    let (_, client) = hosted(&w, "five-minutes").await;
    let (code, _) = sign_in(&w, &client).await;
    w.clock.advance(300);
    let tokens = redeem(&w, &client, &code).await.expect("at 300 s");
    assert!(tokens.id_token.is_some());
    let again = redeem(&w, &client, &code).await.unwrap_err();
    assert_eq!(again.error, "invalid_grant");

    let (late, _) = sign_in(&w, &client).await;
    w.clock.advance(301);
    let expired = redeem(&w, &client, &late).await.unwrap_err();
    assert_eq!(
        (expired.error, expired.description.as_str()),
        ("invalid_grant", "Authorization code has expired")
    );
}

#[tokio::test]
async fn the_sign_in_cookie_lasts_an_hour_and_only_for_its_pool() {
    let w = world!();
    let (_, client) = hosted(&w, "an-hour").await;
    let (_, session) = sign_in(&w, &client).await;
    assert_eq!(session.max_age, 3600);
    let request = w
        .service
        .hosted()
        .hosted_request(&query(&client), None)
        .await
        .expect("request");
    let cookie = session.cookie.expose_secret();
    w.clock.advance(3599);
    let resumed = w
        .service
        .hosted()
        .resume_session(&request, Some(cookie))
        .await
        .expect("resumed within the hour");
    assert!(resumed.starts_with(&format!("{CALLBACK}?code=")));
    w.clock.advance(2);
    assert_eq!(
        w.service
            .hosted()
            .resume_session(&request, Some(cookie))
            .await,
        None
    );

    // Another pool's client does not accept it, even fresh.
    let (_, other) = hosted(&w, "another-pool").await;
    let (_, fresh) = sign_in(&w, &client).await;
    let other_request = w
        .service
        .hosted()
        .hosted_request(&query(&other), None)
        .await
        .expect("request");
    assert_eq!(
        w.service
            .hosted()
            .resume_session(&other_request, Some(fresh.cookie.expose_secret()))
            .await,
        None
    );
    // A disabled user's cookie is dead.
    let pool = w.pool_of(&client).await;
    w.service
        .accounts()
        .admin_disable_user(AdminUserRequest {
            user_pool_id: pool,
            username: "alice".into(),
            ..Default::default()
        })
        .await
        .expect("disable");
    assert_eq!(
        w.service
            .hosted()
            .resume_session(&request, Some(fresh.cookie.expose_secret()))
            .await,
        None
    );
}

#[tokio::test]
async fn a_code_issued_to_one_client_is_refused_to_another() {
    let w = world!();
    let (pool, client) = hosted(&w, "two-clients").await;
    let other = w
        .client_with(&pool, |c| {
            c.allowed_oauth_flows_user_pool_client = true;
            c.allowed_oauth_flows = vec!["code".into()];
            c.allowed_oauth_scopes = vec!["openid".into()];
            c.callback_urls = vec![CALLBACK.into()];
        })
        .await
        .client_id;
    let (code, _) = sign_in(&w, &client).await;
    assert_eq!(
        redeem(&w, &other, &code).await.unwrap_err().error,
        "invalid_grant"
    );
    // It never opened for the other client, so it was not spent: its own client redeems it.
    assert!(redeem(&w, &client, &code).await.is_ok());
}
