//! The hosted domain in tests: a pool with a domain, OAuth clients, confirmed users, PKCE
//! pairs, and the hosted sign-in over plain HTTP (a browser's cookies and CSRF token by hand).

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::types::{
    AttributeDataType, AttributeType, OAuthFlowType, ResourceServerScopeType, SchemaAttributeType,
    VerifiedAttributeType,
};

use crate::PASSWORD;

/// A client's credentials.
#[derive(Debug, Clone)]
pub struct OAuthClient {
    /// The pool.
    pub pool: String,
    /// The client id.
    pub id: String,
    /// The secret, for confidential clients.
    pub secret: Option<String>,
}

/// A callback URL every test client registers.
pub const CALLBACK: &str = "https://app.example.com/callback";
/// A loopback callback URL every test client registers too.
pub const LOCAL_CALLBACK: &str = "http://localhost:3000/cb";
/// The sign-out URL every test client registers.
pub const LOGOUT: &str = "https://app.example.com/signed-out";

/// A pool (email required and auto-verified) with the domain prefix `prefix`.
pub async fn pool_with_domain(sdk: &Client, prefix: &str) -> String {
    let pool = sdk
        .create_user_pool()
        .pool_name("oauth-pool")
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .schema(
            SchemaAttributeType::builder()
                .name("email")
                .attribute_data_type(AttributeDataType::String)
                .required(true)
                .mutable(true)
                .build(),
        )
        .send()
        .await
        .expect("CreateUserPool")
        .user_pool
        .and_then(|p| p.id)
        .expect("pool id");
    sdk.create_user_pool_domain()
        .user_pool_id(&pool)
        .domain(prefix)
        .send()
        .await
        .expect("CreateUserPoolDomain");
    pool
}

/// A client of `pool` for `flows` and `scopes`, calling back to [`CALLBACK`] and
/// [`LOCAL_CALLBACK`] (plus `extra_callbacks`).
pub async fn client(
    sdk: &Client,
    pool: &str,
    secret: bool,
    flows: &[OAuthFlowType],
    scopes: &[&str],
    extra_callbacks: &[&str],
) -> OAuthClient {
    let mut callbacks = vec![CALLBACK.to_owned(), LOCAL_CALLBACK.to_owned()];
    callbacks.extend(extra_callbacks.iter().map(|s| (*s).to_owned()));
    let out = sdk
        .create_user_pool_client()
        .user_pool_id(pool)
        .client_name("oauth-client")
        .generate_secret(secret)
        .allowed_o_auth_flows_user_pool_client(true)
        .set_allowed_o_auth_flows(Some(flows.to_vec()))
        .set_allowed_o_auth_scopes(Some(scopes.iter().map(|s| (*s).to_owned()).collect()))
        .set_callback_urls(Some(callbacks))
        .logout_urls(LOGOUT)
        .supported_identity_providers("COGNITO")
        .send()
        .await
        .expect("CreateUserPoolClient")
        .user_pool_client
        .expect("client");
    OAuthClient {
        pool: pool.to_owned(),
        id: out.client_id.expect("id"),
        secret: out.client_secret,
    }
}

/// A resource server `identifier` with the scopes `names`.
pub async fn resource_server(sdk: &Client, pool: &str, identifier: &str, names: &[&str]) {
    let scopes = names
        .iter()
        .map(|n| {
            ResourceServerScopeType::builder()
                .scope_name(*n)
                .scope_description(*n)
                .build()
                .expect("scope")
        })
        .collect();
    sdk.create_resource_server()
        .user_pool_id(pool)
        .identifier(identifier)
        .name(identifier)
        .set_scopes(Some(scopes))
        .send()
        .await
        .expect("CreateResourceServer");
}

/// A confirmed user with [`PASSWORD`] and a verified email `<username>@example.com`.
pub async fn confirmed_user(sdk: &Client, pool: &str, username: &str) {
    sdk.admin_create_user()
        .user_pool_id(pool)
        .username(username)
        .user_attributes(
            AttributeType::builder()
                .name("email")
                .value(format!("{username}@example.com"))
                .build()
                .expect("attribute"),
        )
        .user_attributes(
            AttributeType::builder()
                .name("email_verified")
                .value("true")
                .build()
                .expect("attribute"),
        )
        .message_action(aws_sdk_cognitoidentityprovider::types::MessageActionType::Suppress)
        .send()
        .await
        .expect("AdminCreateUser");
    sdk.admin_set_user_password()
        .user_pool_id(pool)
        .username(username)
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .expect("AdminSetUserPassword");
}

/// The value of `name="<field>" value="…"` in a page.
pub fn form_value(html: &str, field: &str) -> Option<String> {
    let marker = format!("name=\"{field}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html.get(start..)?.find('"')? + start;
    html.get(start..end)
        .map(|s| s.replace("&amp;", "&").replace("&quot;", "\""))
}

/// `name=value` pairs of every `Set-Cookie` of a response.
pub fn set_cookies(response: &reqwest::Response) -> Vec<(String, String)> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// A browser's cookie jar for one origin, by hand.
#[derive(Debug, Default, Clone)]
pub struct Jar(pub Vec<(String, String)>);

impl Jar {
    /// Takes the response's cookies (an empty value deletes).
    pub fn absorb(&mut self, response: &reqwest::Response) {
        for (k, v) in set_cookies(response) {
            self.0.retain(|(name, _)| *name != k);
            if !v.is_empty() {
                self.0.push((k, v));
            }
        }
    }

    /// The `Cookie` header.
    pub fn header(&self) -> String {
        self.0
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A client that does not follow redirects.
pub fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client")
}

/// The `Location` of a response.
pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// One query parameter of a URL (query or fragment).
pub fn param(url: &str, name: &str) -> Option<String> {
    let rest = url.split_once(['?', '#'])?.1;
    rest.split(['&', '#'])
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| percent_decode(v))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.replace('+', " ").into_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%'
            && let Some(hex) = bytes.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(&String::from_utf8_lossy(hex), 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Signs in at the hosted UI: `GET /oauth2/authorize?<query>` → `/login` → posts the form with
/// its CSRF token. Returns the final response (a 303 to the client on success) and updates
/// `jar` like a browser.
pub async fn hosted_sign_in(
    http: &reqwest::Client,
    endpoint: &str,
    query: &str,
    jar: &mut Jar,
    username: &str,
    password: &str,
) -> reqwest::Response {
    let authorize = http
        .get(format!("{endpoint}/oauth2/authorize?{query}"))
        .header("cookie", jar.header())
        .send()
        .await
        .expect("authorize");
    assert_eq!(authorize.status(), 302, "authorize redirects");
    let login_path = location(&authorize).replacen("../login?", "/login?", 1);
    assert!(
        login_path.starts_with("/login?"),
        "to the sign-in page: {login_path}"
    );
    let page = http
        .get(format!("{endpoint}{login_path}"))
        .header("cookie", jar.header())
        .send()
        .await
        .expect("login page");
    jar.absorb(&page);
    let html = page.text().await.expect("html");
    let csrf = form_value(&html, "_csrf").expect("a CSRF field");
    let body = format!(
        "_csrf={csrf}&username={}&password={}",
        encode(username),
        encode(password)
    );
    let response = http
        .post(format!("{endpoint}{login_path}"))
        .header("cookie", jar.header())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("login post");
    jar.absorb(&response);
    response
}

/// `application/x-www-form-urlencoded` encoding of one value.
pub fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
