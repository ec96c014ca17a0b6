//! Federation against a real OpenID Provider we did not write: panva's `oidc-provider` (a
//! certified OP) under Node.js on loopback, installed from the npm registry the first time
//! (`npm ci` in `tests/oidc`, pinned by `package-lock.json`). The whole chain with a
//! cookie-jar HTTP client: the identity provider made through the AWS SDK → the app's
//! authorize with `identity_provider` → the provider's login and consent → `/oauth2/idpresponse`
//! → the app's callback with a code → `/oauth2/token` → an ID token with `identities` and the
//! provider's group; then the state's single use and binding, a provider error passed to the
//! app, and AdminLinkProviderForUser. Beside it: the same chain in headless Chromium
//! ([`browser`]), refresh and sign-out of federated users ([`sessions`]), and federated users
//! against the pool's users ([`users`]: deleted link targets, required attributes).

mod browser;
mod sessions;
mod users;

use std::io::{BufRead as _, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use aws_sdk_cognitoidentityprovider::types::{
    IdentityProviderTypeType, OAuthFlowType, ProviderUserIdentifierType,
};
use base64::Engine as _;
use openidconnect::PkceCodeChallenge;
use serde_json::Value;
use userpool_testkit::oauth::{self, CALLBACK, location, param};

use crate::sdk::{Server, serve};

const PROVIDER_CLIENT: &str = "userpool-rp";
const PROVIDER_SECRET: &str = "rp-secret-0123456789";

fn oidc_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oidc")
}

/// `npm ci` unless the pinned provider is installed already.
fn install() {
    crate::node::install(&oidc_dir(), "oidc-provider");
}

/// The provider process, killed when dropped.
struct Provider {
    child: Child,
    issuer: String,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `oidc-provider` for a relying party calling back to `redirect_uri`.
fn start_provider(redirect_uri: &str) -> Provider {
    install();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut child = Command::new("node")
        .arg("provider.mjs")
        .current_dir(oidc_dir())
        .env("PORT", port.to_string())
        .env("CLIENT_ID", PROVIDER_CLIENT)
        .env("CLIENT_SECRET", PROVIDER_SECRET)
        .env("REDIRECT_URI", redirect_uri)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("node");
    let stdout = child.stdout.take().expect("stdout");
    let mut reader = BufReader::new(stdout);
    let mut line = String::new();
    reader
        .read_line(&mut line)
        .expect("the provider's first line");
    // Its later notices go to stdout too: keep reading, or the closed pipe would end it.
    std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
    let ready: Value = serde_json::from_str(line.trim()).expect("one JSON line");
    Provider {
        child,
        issuer: ready["issuer"].as_str().expect("issuer").to_owned(),
    }
}

/// A browser: cookies kept per host, redirects followed by hand.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

fn absolute(base: &str, location: &str) -> String {
    if location.starts_with("http://") || location.starts_with("https://") {
        location.to_owned()
    } else {
        format!("{base}{location}")
    }
}

/// `action="…"` of the page's form.
fn form_action(html: &str) -> Option<String> {
    let start = html.find("action=\"")? + 8;
    let end = html.get(start..)?.find('"')? + start;
    Some(html.get(start..end)?.replace("&amp;", "&"))
}

/// Follows the chain from `url` through the provider's login (as `login`) and consent until a
/// redirect leaves for `stop` (a URL prefix); returns that location.
async fn through_provider(
    browser: &reqwest::Client,
    provider: &str,
    url: &str,
    login: &str,
    stop: &str,
) -> String {
    let mut next = url.to_owned();
    for _ in 0..20 {
        let response = browser.get(&next).send().await.expect("GET");
        if response.status().is_redirection() {
            let to = absolute(provider, &location(&response));
            if to.starts_with(stop) {
                return to;
            }
            next = to;
            continue;
        }
        assert_eq!(response.status(), 200, "a provider page at {next}");
        let html = response.text().await.expect("html");
        let action = absolute(provider, &form_action(&html).expect("a form"));
        let body = if html.contains("name=\"login\"") {
            format!("prompt=login&login={login}&password=anything")
        } else {
            "prompt=consent".to_owned()
        };
        let posted = browser
            .post(&action)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("POST");
        assert!(posted.status().is_redirection(), "the form redirects");
        let to = absolute(provider, &location(&posted));
        if to.starts_with(stop) {
            return to;
        }
        next = to;
    }
    panic!("the provider never sent the browser to {stop}");
}

fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).expect("payload");
    serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .expect("base64"),
    )
    .expect("json")
}

struct Setup {
    server: Server,
    pool: String,
    client: String,
    provider: Provider,
}

async fn setup() -> Setup {
    let server = serve().await;
    let pool = oauth::pool_with_domain(&server.sdk, "fed-test").await;
    let redirect = format!("{}/oauth2/idpresponse", server.endpoint);
    let provider = tokio::task::spawn_blocking(move || start_provider(&redirect))
        .await
        .expect("join");
    let created = server
        .sdk
        .create_identity_provider()
        .user_pool_id(&pool)
        .provider_name("corp")
        .provider_type(IdentityProviderTypeType::Oidc)
        .provider_details("client_id", PROVIDER_CLIENT)
        .provider_details("client_secret", PROVIDER_SECRET)
        .provider_details("authorize_scopes", "openid email profile")
        .provider_details("attributes_request_method", "GET")
        .provider_details("oidc_issuer", &provider.issuer)
        .attribute_mapping("email", "email")
        .attribute_mapping("name", "name")
        .idp_identifiers("corp.example")
        .send()
        .await
        .expect("CreateIdentityProvider")
        .identity_provider
        .expect("provider");
    let details = created.provider_details.expect("details");
    assert_eq!(details["client_id"], PROVIDER_CLIENT);
    assert_ne!(
        details["client_secret"], PROVIDER_SECRET,
        "the secret is masked"
    );
    assert_eq!(
        created.attribute_mapping.expect("mapping")["username"],
        "sub"
    );
    let client = server
        .sdk
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("federated-app")
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_scopes("openid")
        .allowed_o_auth_scopes("email")
        .allowed_o_auth_scopes("profile")
        .allowed_o_auth_scopes("aws.cognito.signin.user.admin")
        .callback_urls(CALLBACK)
        .supported_identity_providers("COGNITO")
        .supported_identity_providers("corp")
        .send()
        .await
        .expect("CreateUserPoolClient")
        .user_pool_client
        .expect("client");
    assert_eq!(
        client.supported_identity_providers(),
        ["COGNITO".to_owned(), "corp".to_owned()]
    );
    Setup {
        server,
        pool,
        client: client.client_id.expect("id"),
        provider,
    }
}

/// The scopes the app asks for.
const SCOPES: &str = "openid+email+profile";

/// The app's authorize query through `via` (`identity_provider=corp` or `idp_identifier=…`;
/// empty for none).
fn app_query(client: &str, challenge: &PkceCodeChallenge, via: &str) -> String {
    app_query_for(client, challenge, via, SCOPES)
}

/// [`app_query`] asking for `scope` (`+`-separated).
fn app_query_for(client: &str, challenge: &PkceCodeChallenge, via: &str, scope: &str) -> String {
    let mut query = format!(
        "response_type=code&client_id={client}&redirect_uri={}&scope={scope}&state=app-state&code_challenge={}&code_challenge_method=S256",
        oauth::encode(CALLBACK),
        challenge.as_str()
    );
    if !via.is_empty() {
        query.push('&');
        query.push_str(via);
    }
    query
}

/// The whole chain for `login`; the app's callback location and the PKCE verifier.
async fn sign_in_through_provider(s: &Setup, login: &str, via: &str) -> (String, String) {
    sign_in_in(&browser(), s, login, via, SCOPES).await
}

/// [`sign_in_through_provider`] in `browser` (whose cookies then hold the pool's session),
/// asking for `scope`.
async fn sign_in_in(
    browser: &reqwest::Client,
    s: &Setup,
    login: &str,
    via: &str,
    scope: &str,
) -> (String, String) {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let start = browser
        .get(format!(
            "{}/oauth2/authorize?{}",
            s.server.endpoint,
            app_query_for(&s.client, &challenge, via, scope)
        ))
        .send()
        .await
        .expect("authorize");
    assert_eq!(start.status(), 302);
    let to_provider = location(&start);
    assert!(
        to_provider.starts_with(&format!("{}/auth?", s.provider.issuer)),
        "to the provider: {to_provider}"
    );
    assert_eq!(
        param(&to_provider, "client_id").as_deref(),
        Some(PROVIDER_CLIENT)
    );
    assert_eq!(
        param(&to_provider, "code_challenge_method").as_deref(),
        Some("S256")
    );
    assert!(param(&to_provider, "nonce").is_some());
    let back = through_provider(
        browser,
        &s.provider.issuer,
        &to_provider,
        login,
        &format!("{}/oauth2/idpresponse", s.server.endpoint),
    )
    .await;
    let answer = browser.get(&back).send().await.expect("idpresponse");
    assert_eq!(
        answer.status(),
        302,
        "{}",
        answer.text().await.unwrap_or_default()
    );
    let app = location(&answer);
    // The provider's answer cannot be used twice.
    let again = browser.get(&back).send().await.expect("idpresponse again");
    assert_eq!(again.status(), 400, "a replayed state gets the error page");
    (app, verifier.secret().to_owned())
}

async fn redeem(s: &Setup, callback: &str, verifier: &str) -> Value {
    let tokens = redeem_tokens(s, callback, verifier).await;
    claims(tokens["id_token"].as_str().expect("an ID token"))
}

/// The app's code redeemed: the token endpoint's answer.
async fn redeem_tokens(s: &Setup, callback: &str, verifier: &str) -> Value {
    assert!(callback.starts_with(CALLBACK), "to the app: {callback}");
    assert_eq!(param(callback, "state").as_deref(), Some("app-state"));
    let code = param(callback, "code").expect("a code");
    let tokens: Value = oauth::no_redirects()
        .post(format!("{}/oauth2/token", s.server.endpoint))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "grant_type=authorization_code&client_id={}&code={}&redirect_uri={}&code_verifier={}",
            s.client,
            oauth::encode(&code),
            oauth::encode(CALLBACK),
            oauth::encode(verifier)
        ))
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("json");
    assert!(tokens["refresh_token"].is_string(), "{tokens}");
    tokens
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oidc_provider_signs_users_in_through_the_hosted_domain() {
    let s = setup().await;
    let (callback, verifier) =
        sign_in_through_provider(&s, "alice", "identity_provider=corp").await;
    let id = redeem(&s, &callback, &verifier).await;
    assert_eq!(id["cognito:username"], "corp_alice");
    assert_eq!(id["email"], "alice@idp.example");
    assert_eq!(id["name"], "Federated alice");
    assert_eq!(
        id["cognito:groups"],
        serde_json::json!([format!("{}_corp", s.pool)])
    );
    let identities = id["identities"].as_array().expect("identities is an array");
    assert_eq!(identities.len(), 1);
    assert_eq!(identities[0]["userId"], "alice");
    assert_eq!(identities[0]["providerName"], "corp");
    assert_eq!(identities[0]["providerType"], "OIDC");
    assert_eq!(identities[0]["primary"], "true");

    let user = s
        .server
        .sdk
        .admin_get_user()
        .user_pool_id(&s.pool)
        .username("corp_alice")
        .send()
        .await
        .expect("AdminGetUser");
    assert_eq!(
        user.user_status().map(|u| u.as_str()),
        Some("EXTERNAL_PROVIDER")
    );

    // A second sign-in, by IdP identifier, is the same user.
    let (callback, verifier) =
        sign_in_through_provider(&s, "alice", "idp_identifier=corp.example").await;
    let again = redeem(&s, &callback, &verifier).await;
    assert_eq!(again["sub"], id["sub"]);

    // The other operations over the wire.
    let listed = s
        .server
        .sdk
        .list_identity_providers()
        .user_pool_id(&s.pool)
        .send()
        .await
        .expect("ListIdentityProviders");
    assert_eq!(listed.providers().len(), 1);
    let by_identifier = s
        .server
        .sdk
        .get_identity_provider_by_identifier()
        .user_pool_id(&s.pool)
        .idp_identifier("corp.example")
        .send()
        .await
        .expect("GetIdentityProviderByIdentifier");
    assert_eq!(
        by_identifier
            .identity_provider()
            .and_then(|p| p.provider_name()),
        Some("corp")
    );
    let duplicate = s
        .server
        .sdk
        .create_identity_provider()
        .user_pool_id(&s.pool)
        .provider_name("corp")
        .provider_type(IdentityProviderTypeType::Oidc)
        .provider_details("client_id", "x")
        .provider_details("authorize_scopes", "openid")
        .provider_details("attributes_request_method", "GET")
        .provider_details("oidc_issuer", "https://other.example")
        .send()
        .await
        .expect_err("a second corp");
    assert_eq!(
        duplicate.into_service_error().meta().code(),
        Some("DuplicateProviderException")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tampered_states_and_provider_errors() {
    let s = setup().await;
    let browser = browser();
    let (challenge, _) = PkceCodeChallenge::new_random_sha256();
    let start = browser
        .get(format!(
            "{}/oauth2/authorize?{}",
            s.server.endpoint,
            app_query(&s.client, &challenge, "identity_provider=corp")
        ))
        .send()
        .await
        .expect("authorize");
    let state = param(&location(&start), "state").expect("state");
    let idp_response = |query: String| {
        let (browser, endpoint) = (browser.clone(), s.server.endpoint.clone());
        async move {
            browser
                .get(format!("{endpoint}/oauth2/idpresponse?{query}"))
                .send()
                .await
                .expect("idpresponse")
        }
    };
    // Altered state: the error page, never the app.
    let mut tampered = state.clone();
    tampered.push('A');
    let r = idp_response(format!("code=c&state={}", oauth::encode(&tampered))).await;
    assert_eq!(r.status(), 400);
    // Another browser (no binding cookie): the error page.
    let stranger = oauth::no_redirects()
        .get(format!(
            "{}/oauth2/idpresponse?code=c&state={}",
            s.server.endpoint,
            oauth::encode(&state)
        ))
        .send()
        .await
        .expect("idpresponse");
    assert_eq!(stranger.status(), 400);
    // The provider's refusal goes to the app with the app's state.
    let denied = idp_response(format!(
        "error=access_denied&error_description=End-User+aborted&state={}",
        oauth::encode(&state)
    ))
    .await;
    assert_eq!(denied.status(), 302);
    let to = location(&denied);
    assert!(to.starts_with(CALLBACK), "{to}");
    assert_eq!(param(&to, "error").as_deref(), Some("access_denied"));
    assert_eq!(param(&to, "state").as_deref(), Some("app-state"));
    assert_eq!(param(&to, "code"), None);
    // That state is spent.
    let replay = idp_response(format!("code=c&state={}", oauth::encode(&state))).await;
    assert_eq!(replay.status(), 400);
    // A provider the client does not support: an error to the app, no redirect to anyone.
    let unknown = browser
        .get(format!(
            "{}/oauth2/authorize?{}",
            s.server.endpoint,
            app_query(&s.client, &challenge, "identity_provider=Google")
        ))
        .send()
        .await
        .expect("authorize");
    assert_eq!(unknown.status(), 302);
    assert!(location(&unknown).starts_with(CALLBACK));
    assert_eq!(
        param(&location(&unknown), "error").as_deref(),
        Some("invalid_request")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn linked_native_users_win() {
    let s = setup().await;
    oauth::confirmed_user(&s.server.sdk, &s.pool, "bob").await;
    let link = |value: &str| {
        s.server
            .sdk
            .admin_link_provider_for_user()
            .user_pool_id(&s.pool)
            .destination_user(
                ProviderUserIdentifierType::builder()
                    .provider_name("Cognito")
                    .provider_attribute_value("bob")
                    .build(),
            )
            .source_user(
                ProviderUserIdentifierType::builder()
                    .provider_name("corp")
                    .provider_attribute_name("Cognito_Subject")
                    .provider_attribute_value(value)
                    .build(),
            )
            .send()
    };
    link("bob-at-corp").await.expect("AdminLinkProviderForUser");
    let err = link("bob-at-corp").await.expect_err("linked twice");
    assert_eq!(
        err.into_service_error().meta().code(),
        Some("AliasExistsException")
    );

    let (callback, verifier) =
        sign_in_through_provider(&s, "bob-at-corp", "identity_provider=corp").await;
    let id = redeem(&s, &callback, &verifier).await;
    assert_eq!(id["cognito:username"], "bob", "the native user signs in");
    assert_eq!(id["identities"][0]["userId"], "bob-at-corp");

    // Unlinked, the provider user is a federated user of their own.
    s.server
        .sdk
        .admin_disable_provider_for_user()
        .user_pool_id(&s.pool)
        .user(
            ProviderUserIdentifierType::builder()
                .provider_name("corp")
                .provider_attribute_name("Cognito_Subject")
                .provider_attribute_value("bob-at-corp")
                .build(),
        )
        .send()
        .await
        .expect("AdminDisableProviderForUser");
    let (callback, verifier) =
        sign_in_through_provider(&s, "bob-at-corp", "identity_provider=corp").await;
    let id = redeem(&s, &callback, &verifier).await;
    assert_eq!(id["cognito:username"], "corp_bob-at-corp");
    // A provider user who has a user of their own is not linked.
    let err = link("bob-at-corp")
        .await
        .expect_err("already a federated user");
    assert_eq!(
        err.into_service_error().meta().code(),
        Some("AliasExistsException")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sign_in_page_has_a_button_per_provider() {
    let s = setup().await;
    let browser = browser();
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let query = app_query(&s.client, &challenge, "");
    let page = browser
        .get(format!("{}/login?{query}", s.server.endpoint))
        .send()
        .await
        .expect("login page")
        .text()
        .await
        .expect("html");
    let start = page.find("data-provider=\"corp\"").expect("a corp button");
    let href_at = page
        .get(..start)
        .and_then(|p| p.rfind("href=\""))
        .expect("href")
        + 6;
    let href = page
        .get(href_at..)
        .and_then(|h| h.split('"').next())
        .expect("href value")
        .replace("&amp;", "&");
    assert!(href.starts_with("oauth2/authorize?"), "{href}");
    let back = through_provider(
        &browser,
        &s.provider.issuer,
        &format!("{}/{href}", s.server.endpoint),
        "carol",
        &format!("{}/oauth2/idpresponse", s.server.endpoint),
    )
    .await;
    let answer = browser.get(&back).send().await.expect("idpresponse");
    let id = redeem(&s, &location(&answer), verifier.secret()).await;
    assert_eq!(id["cognito:username"], "corp_carol");
}
