//! SAML federation against a real SAML identity provider we did not write: `samlify`'s
//! IdentityProvider under Node.js on loopback (`tests/saml/idp.mjs`, installed with `npm ci`
//! from its lock file once per test run), signing with an RSA key and certificate this test
//! makes. The whole chain with a cookie-jar HTTP client: the pool's SP metadata from
//! `/saml2/metadata` → the IdP → CreateIdentityProvider (SAML, `MetadataURL`) through the AWS
//! SDK → the app's authorize with `identity_provider` → an `AuthnRequest` by HTTP-Redirect →
//! the IdP's login → its auto-posting form → `POST /saml2/idpresponse` → the app's code →
//! tokens with the federated user's `identities` and group; then the replayed response, a
//! tampered one, and IdP-initiated sign-in (refused until `IDPInit` is on). The first test's
//! IdP wants signed requests and verifies ours with the certificate of the SP metadata (the
//! one GetSigningCertificate returns).

use std::io::{BufRead as _, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use aws_sdk_cognitoidentityprovider::types::{IdentityProviderTypeType, OAuthFlowType};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use openidconnect::PkceCodeChallenge;
use rand_core::SeedableRng as _;
use serde_json::Value;
use userpool_testkit::oauth::{self, CALLBACK, location, param};

use crate::sdk::{Server, serve};

mod browser;
mod encryption;
mod logout;

const PROVIDER: &str = "corp-saml";

fn saml_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/saml")
}

/// `npm ci` unless the pinned IdP library is installed already.
fn install() {
    crate::node::install(&saml_dir(), "samlify");
}

/// The IdP process, killed when dropped.
struct Idp {
    child: Child,
    base: String,
}

impl Drop for Idp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An RSA key (PKCS#8 PEM) and a self-signed certificate for it (PEM).
fn idp_key_and_certificate() -> (String, String) {
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(23);
    let key =
        jwt_tokens::SigningKey::generate(jwt_tokens::Algorithm::RS256, &mut rng).expect("RSA key");
    let pem = key.to_pkcs8_pem().expect("PKCS#8").to_string();
    let pair =
        rcgen::KeyPair::from_pem_and_sign_algo(&pem, &rcgen::PKCS_RSA_SHA256).expect("rcgen key");
    let cert = rcgen::CertificateParams::new(vec!["idp.saml.test".to_owned()])
        .expect("params")
        .self_signed(&pair)
        .expect("certificate");
    (pem, cert.pem())
}

/// Starts the IdP for the SP of `sp_metadata`; with `signed`, it wants signed requests and
/// checks them with the SP's certificate; with `encrypt`, it encrypts its assertions to the
/// SP's encryption certificate with that content algorithm.
fn start_idp(sp_metadata: &str, signed: bool, encrypt: Option<&str>) -> Idp {
    install();
    let (key, cert) = idp_key_and_certificate();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut child = Command::new("node")
        .arg("idp.mjs")
        .current_dir(saml_dir())
        .env("PORT", port.to_string())
        .env("IDP_KEY", key)
        .env("IDP_CERT", cert)
        .env("SP_METADATA", sp_metadata)
        .env("WANT_SIGNED", if signed { "1" } else { "0" })
        .env("ENCRYPT", if encrypt.is_some() { "1" } else { "0" })
        .env("ENCRYPT_DATA", encrypt.unwrap_or_default())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("node");
    let stdout = child.stdout.take().expect("stdout");
    let mut reader = BufReader::new(stdout);
    let mut line = String::new();
    reader.read_line(&mut line).expect("the IdP's first line");
    std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
    let ready: Value = serde_json::from_str(line.trim()).expect("one JSON line");
    Idp {
        child,
        base: ready["base"].as_str().expect("base").to_owned(),
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

/// `name="…" value="…"` of a hidden input, unescaped.
fn input(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\" value=\""))? + name.len() + 15;
    let end = html.get(at..)?.find('"')? + at;
    Some(
        html.get(at..end)?
            .replace("&#38;", "&")
            .replace("&#34;", "\"")
            .replace("&#39;", "'")
            .replace("&#60;", "<")
            .replace("&#62;", ">"),
    )
}

fn form_action(html: &str) -> Option<String> {
    let start = html.find("action=\"")? + 8;
    let end = html.get(start..)?.find('"')? + start;
    Some(html.get(start..end)?.replace("&#38;", "&"))
}

fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).expect("payload");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64")).expect("json")
}

/// The IdP's auto-posting form: its action, `SAMLResponse` and `RelayState`.
struct Posted {
    action: String,
    response: String,
    relay_state: Option<String>,
}

async fn auto_post(page: reqwest::Response) -> Posted {
    let status = page.status();
    let html = page.text().await.expect("html");
    assert_eq!(status, 200, "the IdP's form: {html}");
    Posted {
        action: form_action(&html).expect("an action"),
        response: input(&html, "SAMLResponse").expect("a SAMLResponse"),
        relay_state: input(&html, "RelayState"),
    }
}

async fn post_to_acs(browser: &reqwest::Client, posted: &Posted) -> reqwest::Response {
    let mut body = form_urlencoded::Serializer::new(String::new());
    body.append_pair("SAMLResponse", &posted.response);
    if let Some(relay) = &posted.relay_state {
        body.append_pair("RelayState", relay);
    }
    browser
        .post(&posted.action)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.finish())
        .send()
        .await
        .expect("POST /saml2/idpresponse")
}

struct Setup {
    server: Server,
    pool: String,
    client: String,
    idp: Idp,
    signed: bool,
}

/// A pool, its SAML provider (requests signed with `signed`) and an app.
async fn setup(signed: bool) -> Setup {
    setup_with(signed, None).await
}

/// [`setup`] with an IdP that encrypts its assertions with `encrypt`'s content algorithm.
async fn setup_with(signed: bool, encrypt: Option<&'static str>) -> Setup {
    let server = serve().await;
    let pool = oauth::pool_with_domain(&server.sdk, "saml-test").await;
    let metadata = oauth::no_redirects()
        .get(format!(
            "{}/saml2/metadata?user_pool_id={pool}",
            server.endpoint
        ))
        .send()
        .await
        .expect("SP metadata");
    assert_eq!(metadata.status(), 200);
    let metadata = metadata.text().await.expect("xml");
    assert!(metadata.contains(&format!("entityID=\"urn:amazon:cognito:sp:{pool}\"")));
    // The signing certificate in the metadata is GetSigningCertificate's.
    let certificate = server
        .sdk
        .get_signing_certificate()
        .user_pool_id(&pool)
        .send()
        .await
        .expect("GetSigningCertificate")
        .certificate
        .expect("a certificate");
    assert!(metadata.contains(&format!("<ds:X509Certificate>{certificate}<")));
    assert!(metadata.contains(r#"<md:KeyDescriptor use="encryption">"#));
    assert!(metadata.contains(&format!(
        "<md:SingleLogoutService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\" Location=\"{}/saml2/logout\"/>",
        server.endpoint
    )));
    assert!(metadata.contains(&format!(
        "Location=\"{}/saml2/idpresponse\"",
        server.endpoint
    )));
    let idp = tokio::task::spawn_blocking(move || start_idp(&metadata, signed, encrypt))
        .await
        .expect("join");
    let mut create = server
        .sdk
        .create_identity_provider()
        .user_pool_id(&pool)
        .provider_name(PROVIDER)
        .provider_type(IdentityProviderTypeType::Saml)
        .provider_details("MetadataURL", format!("{}/metadata", idp.base))
        .provider_details("IDPSignout", "false");
    if signed {
        create = create.provider_details("RequestSigningAlgorithm", "rsa-sha256");
    }
    let created = create
        .attribute_mapping("email", "email")
        .attribute_mapping("name", "name")
        .send()
        .await
        .expect("CreateIdentityProvider")
        .identity_provider
        .expect("provider");
    assert_eq!(created.provider_type, Some(IdentityProviderTypeType::Saml));
    let details = created.provider_details.expect("details");
    assert_eq!(details["MetadataURL"], format!("{}/metadata", idp.base));
    let client = server
        .sdk
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("saml-app")
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_scopes("openid")
        .allowed_o_auth_scopes("email")
        .callback_urls(CALLBACK)
        .supported_identity_providers("COGNITO")
        .supported_identity_providers(PROVIDER)
        .send()
        .await
        .expect("CreateUserPoolClient")
        .user_pool_client
        .expect("client");
    Setup {
        server,
        pool,
        client: client.client_id.expect("id"),
        idp,
        signed,
    }
}

fn app_query(client: &str, challenge: &PkceCodeChallenge) -> String {
    format!(
        "response_type=code&client_id={client}&redirect_uri={}&scope=openid+email&state=app-state&code_challenge={}&code_challenge_method=S256&identity_provider={PROVIDER}",
        oauth::encode(CALLBACK),
        challenge.as_str()
    )
}

/// The app's authorize through the IdP's login as `username`: the IdP's posting form.
async fn to_idp_and_back(s: &Setup, browser: &reqwest::Client, username: &str) -> (Posted, String) {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let start = browser
        .get(format!(
            "{}/oauth2/authorize?{}",
            s.server.endpoint,
            app_query(&s.client, &challenge)
        ))
        .send()
        .await
        .expect("authorize");
    assert_eq!(start.status(), 302);
    let to_idp = location(&start);
    assert!(
        to_idp.starts_with(&format!("{}/sso?SAMLRequest=", s.idp.base)),
        "to the IdP: {to_idp}"
    );
    assert!(param(&to_idp, "RelayState").is_some());
    assert_eq!(
        param(&to_idp, "SigAlg").is_some(),
        s.signed,
        "signed as the IdP wants"
    );
    let login = browser.get(&to_idp).send().await.expect("the IdP's login");
    assert_eq!(
        login.status(),
        200,
        "{}",
        login.text().await.unwrap_or_default()
    );
    let html = login.text().await.expect("html");
    let pending = input(&html, "pending").expect("pending");
    let page = browser
        .post(format!("{}/login", s.idp.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("pending={pending}&username={username}"))
        .send()
        .await
        .expect("the IdP's login POST");
    let posted = auto_post(page).await;
    assert_eq!(
        posted.action,
        format!("{}/saml2/idpresponse", s.server.endpoint)
    );
    (posted, verifier.secret().to_owned())
}

async fn redeem(s: &Setup, callback: &str, verifier: &str) -> Value {
    assert!(callback.starts_with(CALLBACK), "to the app: {callback}");
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
    claims(tokens["id_token"].as_str().expect("an ID token"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn samlify_signs_users_in_through_the_hosted_domain() {
    // samlify wants signed requests and checks them with the pool's certificate.
    let s = setup(true).await;
    let browser = browser();
    let (posted, verifier) = to_idp_and_back(&s, &browser, "alice").await;
    let answer = post_to_acs(&browser, &posted).await;
    assert_eq!(
        answer.status(),
        302,
        "{}",
        answer.text().await.unwrap_or_default()
    );
    let callback = location(&answer);
    assert_eq!(param(&callback, "state").as_deref(), Some("app-state"));
    let id = redeem(&s, &callback, &verifier).await;
    assert_eq!(
        id["cognito:username"],
        format!("{PROVIDER}_alice@example.com")
    );
    assert_eq!(id["email"], "alice@example.com");
    let identities = id["identities"].as_array().expect("identities");
    assert_eq!(identities[0]["providerName"], PROVIDER);
    assert_eq!(identities[0]["providerType"], "SAML");
    assert_eq!(identities[0]["userId"], "alice@example.com");
    // A SAML identity's issuer is the IdP's entity id.
    assert_eq!(identities[0]["issuer"], format!("{}/metadata", s.idp.base));
    assert!(
        id["cognito:groups"]
            .as_array()
            .expect("groups")
            .contains(&Value::String(format!("{}_{PROVIDER}", s.pool)))
    );

    // The same answer again: its state is spent.
    let again = post_to_acs(&browser, &posted).await;
    assert_eq!(again.status(), 400, "a replayed answer gets the error page");

    // A tampered assertion (another user's name in the signed XML) goes to the app as an
    // error, never as a code.
    let (mut posted, _) = to_idp_and_back(&s, &browser, "mallory").await;
    let xml = String::from_utf8(STANDARD.decode(&posted.response).expect("base64")).expect("xml");
    posted.response = STANDARD.encode(xml.replace("mallory@example.com<", "alice@example.com<"));
    let refused = post_to_acs(&browser, &posted).await;
    assert_eq!(refused.status(), 302);
    let to_app = location(&refused);
    assert!(to_app.starts_with(CALLBACK), "{to_app}");
    assert_eq!(param(&to_app, "error").as_deref(), Some("invalid_request"));
    assert_eq!(
        param(&to_app, "error_description").as_deref(),
        Some("Invalid samlResponse or relayState from identity provider")
    );
    assert!(param(&to_app, "code").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idp_initiated_sign_in_needs_idp_init() {
    let s = setup(false).await;
    let browser = browser();
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let relay = app_query(&s.client, &challenge);
    let initiate = || {
        browser
            .get(format!(
                "{}/initiate?username=bob&RelayState={}",
                s.idp.base,
                oauth::encode(&relay)
            ))
            .send()
    };
    let posted = auto_post(initiate().await.expect("initiate")).await;
    let refused = post_to_acs(&browser, &posted).await;
    assert_eq!(refused.status(), 400, "IDPInit is off");

    s.server
        .sdk
        .update_identity_provider()
        .user_pool_id(&s.pool)
        .provider_name(PROVIDER)
        .provider_details("MetadataURL", format!("{}/metadata", s.idp.base))
        .provider_details("IDPInit", "true")
        .send()
        .await
        .expect("UpdateIdentityProvider");
    let posted = auto_post(initiate().await.expect("initiate")).await;
    let answer = post_to_acs(&browser, &posted).await;
    assert_eq!(
        answer.status(),
        302,
        "{}",
        answer.text().await.unwrap_or_default()
    );
    let id = redeem(&s, &location(&answer), verifier.secret()).await;
    assert_eq!(
        id["cognito:username"],
        format!("{PROVIDER}_bob@example.com")
    );
    // An unsolicited assertion is single use too.
    let replayed = post_to_acs(&browser, &posted).await;
    assert_eq!(replayed.status(), 302);
    assert_eq!(
        param(&location(&replayed), "error").as_deref(),
        Some("invalid_request")
    );
}
