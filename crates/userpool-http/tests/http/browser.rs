//! The hosted UI in a real browser: headless Chromium driven over WebDriver (Debian's
//! `chromium` + `chromium-driver`, through `fantoccini`). Sign-up → code from the outbox →
//! sign-in → redirect with `code` and `state` → token exchange with PKCE; forgot password;
//! TOTP setup by reading the key off the page; second client single sign-on; logout — once in
//! English and once in Japanese, with a screenshot of every page in
//! `target/hosted-ui-screenshots/`.
//!
//! Without `/usr/bin/chromedriver` the test prints why it was skipped (`.ci/run` installs it).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use aws_sdk_cognitoidentityprovider::types::{
    OAuthFlowType, SoftwareTokenMfaConfigType, UserPoolMfaType,
};
use fantoccini::{Client, ClientBuilder, Locator};
use userpool_testkit::PASSWORD;
use userpool_testkit::oauth::{self, OAuthClient, param};

use crate::sdk::{Server, serve};

pub(crate) const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub(crate) const CHROMIUM: &str = "/usr/bin/chromium";
pub(crate) const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub(crate) const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/// chromedriver on a free port, killed on drop.
pub(crate) struct Driver {
    child: Child,
    pub(crate) url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) async fn driver() -> Driver {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    // Owned by `Driver` at once, so it is killed and reaped on every path.
    let driver = Driver {
        child: Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver"),
        url: format!("http://127.0.0.1:{port}"),
    };
    let http = reqwest::Client::new();
    // Ready when /status answers (bounded: 200 × 50 ms).
    for _ in 0..200 {
        if http
            .get(format!("{}/status", driver.url))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return driver;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("chromedriver did not start");
}

pub(crate) async fn browser(driver: &Driver, lang: &str) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=760,860", format!("--lang={lang}")],
            "prefs": { "intl.accept_languages": lang },
        }),
    );
    ClientBuilder::rustls()
        .expect("tls")
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a WebDriver session")
}

fn screenshots() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/hosted-ui-screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    dir
}

pub(crate) async fn shot(c: &Client, lang: &str, name: &str) {
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(screenshots().join(format!("{lang}-{name}.png")), png).expect("write png");
}

pub(crate) async fn fill(c: &Client, id: &str, value: &str) {
    let e = c
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|_| panic!("#{id}"));
    e.clear().await.expect("clear");
    e.send_keys(value).await.expect("type");
}

pub(crate) async fn click(c: &Client, id: &str) {
    c.find(Locator::Id(id))
        .await
        .unwrap_or_else(|_| panic!("#{id}"))
        .click()
        .await
        .expect("click");
}

/// Waits (at most 10 s) for the page showing `css`: a click returns before the next page
/// has loaded.
pub(crate) async fn wait_for(c: &Client, css: &str) {
    c.wait()
        .at_most(std::time::Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("waiting for {css}: {e}"));
}

pub(crate) async fn page_text(c: &Client) -> String {
    c.find(Locator::Css("body"))
        .await
        .expect("body")
        .text()
        .await
        .expect("text")
}

/// A stand-in relying party: `GET /cb` answers "signed in".
pub(crate) async fn relying_party() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let app: axum::Router = axum::Router::new().route(
        "/cb",
        axum::routing::get(|| async { "signed in at the relying party" }),
    );
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .expect("rp");
    });
    format!("http://localhost:{port}/cb")
}

struct World {
    server: Server,
    /// The server as the browser sees it (`localhost`, so cookies marked `Secure` are kept).
    origin: String,
    pool: String,
    client: OAuthClient,
    callback: String,
}

async fn world(prefix: &str) -> World {
    let server = serve().await;
    let callback = relying_party().await;
    let pool = oauth::pool_with_domain(&server.sdk, prefix).await;
    let client = oauth::client(
        &server.sdk,
        &pool,
        true,
        &[OAuthFlowType::Code],
        &["openid", "email", "profile"],
        &[&callback],
    )
    .await;
    server
        .sdk
        .set_ui_customization()
        .user_pool_id(&pool)
        .css(".banner-customizable { background-color: #e8f4f4; padding: 8px; } .submitButton-customizable { background-color: #007a7a; }")
        .image_file(aws_sdk_cognitoidentityprovider::primitives::Blob::new(
            include_bytes!("logo.png").as_slice(),
        ))
        .send()
        .await
        .expect("SetUICustomization");
    let origin = server.endpoint.replace("127.0.0.1", "localhost");
    World {
        server,
        origin,
        pool,
        client,
        callback,
    }
}

impl World {
    fn authorize_url(&self, client: &str, lang: &str, state: &str) -> String {
        format!(
            "{}/oauth2/authorize?response_type=code&client_id={client}&redirect_uri={}&state={state}&scope=openid+email&code_challenge={CHALLENGE}&code_challenge_method=S256&lang={lang}",
            self.origin,
            oauth::encode(&self.callback)
        )
    }

    async fn code_of(&self, username: &str) -> String {
        self.server.code(&self.pool, username).await
    }

    /// Asserts the browser is at the relying party with a code and `state`, and redeems it.
    async fn redeem_at_callback(
        &self,
        c: &Client,
        client: &OAuthClient,
        state: &str,
    ) -> serde_json::Value {
        let mut url = String::new();
        for _ in 0..200 {
            url = c.current_url().await.expect("url").to_string();
            if url.starts_with(&self.callback) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(
            url.starts_with(&self.callback),
            "at the relying party: {url}"
        );
        assert_eq!(param(&url, "state").as_deref(), Some(state));
        let code = param(&url, "code").unwrap_or_else(|| panic!("a code: {url}"));
        let response = reqwest::Client::new()
            .post(format!("{}/oauth2/token", self.server.endpoint))
            .basic_auth(&client.id, client.secret.as_ref())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!(
                "grant_type=authorization_code&code={}&redirect_uri={}&code_verifier={VERIFIER}",
                oauth::encode(&code),
                oauth::encode(&self.callback)
            ))
            .send()
            .await
            .expect("token");
        assert_eq!(response.status(), 200);
        response.json().await.expect("tokens")
    }
}

fn totp(secret: &str, at: u64) -> String {
    totp_rs::Builder::new()
        .with_secret(totp_rs::Secret::try_from_base32(secret).expect("base32"))
        .build()
        .expect("totp")
        .generate(at)
        .to_string()
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs()
}

/// Sign-up, confirmation, sign-in with PKCE, single sign-on, logout, forgot password.
async fn accounts(driver: &Driver, lang: &str) {
    let w = world(&format!("accounts-{lang}")).await;
    let c = browser(driver, lang).await;
    let username = format!("bob-{lang}");

    c.goto(&w.authorize_url(&w.client.id, lang, "s1"))
        .await
        .expect("authorize");
    let url = c.current_url().await.expect("url").to_string();
    assert!(url.contains("/login?"), "{url}");
    wait_for(&c, "#signin").await;
    shot(&c, lang, "01-sign-in").await;
    click(&c, "signup").await;
    wait_for(&c, "#attr_email").await;
    shot(&c, lang, "02-sign-up").await;
    fill(&c, "username", &username).await;
    fill(&c, "attr_email", &format!("{username}@example.com")).await;
    fill(&c, "password", "short").await;
    click(&c, "signup").await;
    wait_for(&c, ".error").await;
    shot(&c, lang, "03-sign-up-error").await;
    let expected = if lang == "ja" {
        "パスワードが要件を満たしていません。"
    } else {
        "The password does not meet the requirements."
    };
    assert!(
        page_text(&c).await.contains(expected),
        "{}",
        page_text(&c).await
    );
    fill(&c, "password", PASSWORD).await;
    click(&c, "signup").await;
    wait_for(&c, "#confirm").await;
    shot(&c, lang, "04-confirm").await;
    fill(&c, "code", &w.code_of(&username).await).await;
    click(&c, "confirm").await;
    wait_for(&c, ".notice").await;
    shot(&c, lang, "05-confirmed").await;
    fill(&c, "password", PASSWORD).await;
    click(&c, "signin").await;
    let tokens = w.redeem_at_callback(&c, &w.client, "s1").await;
    assert!(tokens["id_token"].is_string() && tokens["refresh_token"].is_string());

    // Single sign-on: a second client in the same browser gets a code without a form.
    let second = oauth::client(
        &w.server.sdk,
        &w.pool,
        true,
        &[OAuthFlowType::Code],
        &["openid", "email"],
        &[&w.callback],
    )
    .await;
    c.goto(&w.authorize_url(&second.id, lang, "s2"))
        .await
        .expect("authorize 2");
    w.redeem_at_callback(&c, &second, "s2").await;

    // Logout ends it: the next authorization asks for the password again. (The browser is
    // sent on to the client's sign-out URL, which does not resolve here: that navigation
    // fails after the cookie was cleared.)
    let _ = c
        .goto(&format!(
            "{}/logout?client_id={}&logout_uri={}",
            w.origin,
            w.client.id,
            oauth::encode(oauth::LOGOUT)
        ))
        .await;
    c.goto(&w.authorize_url(&second.id, lang, "s3"))
        .await
        .expect("authorize 3");
    assert!(
        c.current_url()
            .await
            .expect("url")
            .to_string()
            .contains("/login?")
    );

    // Forgot password.
    wait_for(&c, "#forgot").await;
    click(&c, "forgot").await;
    wait_for(&c, "#send").await;
    shot(&c, lang, "06-forgot-password").await;
    fill(&c, "username", &username).await;
    click(&c, "send").await;
    wait_for(&c, "#reset").await;
    shot(&c, lang, "07-reset-password").await;
    fill(&c, "code", "000000").await;
    fill(&c, "password", "N3w-Passw0rd!").await;
    click(&c, "reset").await;
    wait_for(&c, ".error").await;
    let wrong = if lang == "ja" {
        "コードが正しくありません。"
    } else {
        "Invalid code provided"
    };
    assert!(
        page_text(&c).await.contains(wrong),
        "{}",
        page_text(&c).await
    );
    fill(&c, "code", &w.code_of(&username).await).await;
    fill(&c, "password", "N3w-Passw0rd!").await;
    click(&c, "reset").await;
    wait_for(&c, ".notice").await;
    shot(&c, lang, "08-password-changed").await;
    fill(&c, "password", "N3w-Passw0rd!").await;
    click(&c, "signin").await;
    w.redeem_at_callback(&c, &second, "s3").await;

    // The error page for an unregistered redirect URI.
    c.goto(&format!(
        "{}/oauth2/authorize?response_type=code&client_id={}&redirect_uri=https%3A%2F%2Fevil.example%2F&lang={lang}",
        w.origin, w.client.id
    ))
    .await
    .expect("bad authorize");
    assert!(page_text(&c).await.contains("redirect_mismatch"));
    shot(&c, lang, "09-error").await;
    c.close().await.expect("close");
}

/// A pool that requires MFA: TOTP set up from the key on the page, then a TOTP sign-in.
async fn totp_setup(driver: &Driver, lang: &str) {
    let w = world(&format!("mfa-{lang}")).await;
    w.server
        .sdk
        .set_user_pool_mfa_config()
        .user_pool_id(&w.pool)
        .mfa_configuration(UserPoolMfaType::On)
        .software_token_mfa_configuration(
            SoftwareTokenMfaConfigType::builder().enabled(true).build(),
        )
        .send()
        .await
        .expect("SetUserPoolMfaConfig");
    oauth::confirmed_user(&w.server.sdk, &w.pool, "carol").await;
    let c = browser(driver, lang).await;
    c.goto(&w.authorize_url(&w.client.id, lang, "t1"))
        .await
        .expect("authorize");
    fill(&c, "username", "carol").await;
    fill(&c, "password", PASSWORD).await;
    click(&c, "signin").await;
    wait_for(&c, "#secret").await;
    shot(&c, lang, "10-totp-setup").await;
    let secret = c
        .find(Locator::Id("secret"))
        .await
        .expect("the key is on the page")
        .text()
        .await
        .expect("key");
    assert!(c.find(Locator::Css(".qr svg")).await.is_ok(), "a QR code");
    let t = now();
    fill(&c, "code", &totp(&secret, t)).await;
    click(&c, "verify").await;
    w.redeem_at_callback(&c, &w.client, "t1").await;

    // Signed out, the next sign-in asks for a TOTP code (the next time step: a step's
    // code is accepted once).
    c.delete_all_cookies().await.expect("cookies");
    c.goto(&w.authorize_url(&w.client.id, lang, "t2"))
        .await
        .expect("authorize");
    fill(&c, "username", "carol").await;
    fill(&c, "password", PASSWORD).await;
    click(&c, "signin").await;
    wait_for(&c, "#verify").await;
    shot(&c, lang, "11-totp-code").await;
    fill(&c, "code", &totp(&secret, t + 30)).await;
    click(&c, "verify").await;
    w.redeem_at_callback(&c, &w.client, "t2").await;
    c.close().await.expect("close");
}

#[tokio::test]
async fn hosted_ui_in_headless_chromium_in_english_and_japanese() {
    if !Path::new(CHROMEDRIVER).exists() || !Path::new(CHROMIUM).exists() {
        eprintln!(
            "SKIPPED: hosted UI browser test: {CHROMEDRIVER} or {CHROMIUM} is missing \
             (apt-get install -y chromium chromium-driver; .ci/run does this)"
        );
        return;
    }
    let driver = driver().await;
    for lang in ["en", "ja"] {
        accounts(&driver, lang).await;
        totp_setup(&driver, lang).await;
    }
    eprintln!("screenshots in {}", screenshots().display());
}
