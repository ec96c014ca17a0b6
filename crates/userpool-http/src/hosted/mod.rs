//! The hosted UI (spec §9.7): server-rendered sign-in, sign-up, confirmation, password reset,
//! new-password, MFA and TOTP-setup pages, in English or Japanese, with CSRF protection on
//! every form. The pages carry the authorization request's query from step to step and end
//! in the sign-in cookie and a redirect to the client.

mod cookies;
mod i18n;
mod pages;
mod qr;

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::Markup;
use userpool::wire::{AuthorizeOutcome, HostedRequest, HostedStep, SecretString};
use userpool::{Error, ErrorKind};

use crate::routes::AppState;
pub(crate) use cookies::{get as cookie, session_cookie_name, set as set_cookie};
pub(crate) use i18n::Lang;
use i18n::{Text, error_text};
use pages::Page;

/// Longest form body a page accepts.
const FORM_LIMIT: usize = 16 * 1024;

/// Per-request context of a page.
pub(crate) struct Ctx {
    pub(crate) lang: Lang,
    csrf: String,
    new_csrf: bool,
    pub(crate) query: String,
    pub(crate) host_pool: Option<String>,
    headers: HeaderMap,
}

impl Ctx {
    pub(crate) async fn new(state: &AppState, headers: &HeaderMap, query: Option<String>) -> Self {
        let query = query.unwrap_or_default();
        let lang_param = form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == "lang")
            .map(|(_, v)| v.into_owned());
        let lang = Lang::choose(
            lang_param.as_deref(),
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok()),
        );
        let existing = cookie(headers, cookies::CSRF_COOKIE).filter(|c| c.len() == 64);
        let new_csrf = existing.is_none();
        Self {
            lang,
            csrf: existing.unwrap_or_else(cookies::new_csrf_token),
            new_csrf,
            query,
            host_pool: host_pool(state, headers).await,
            headers: headers.clone(),
        }
    }

    fn page<'a>(&'a self, request: &'a HostedRequest) -> Page<'a> {
        Page {
            lang: self.lang,
            csrf: &self.csrf,
            query: &self.query,
            client_name: &request.client_name,
            error: None,
            notice: None,
            css: request.css.as_deref(),
            logo: request.logo_url.as_deref(),
        }
    }

    /// An HTML answer with the pages' security headers (and the CSRF cookie if new).
    pub(crate) fn html(&self, status: StatusCode, markup: Markup) -> Response {
        let mut response = (status, markup.into_string()).into_response();
        let h = response.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        security_headers(h);
        if self.new_csrf
            && let Ok(v) = HeaderValue::from_str(&cookies::set(
                cookies::CSRF_COOKIE,
                &self.csrf,
                3600,
                "Strict",
            ))
        {
            h.append(header::SET_COOKIE, v);
        }
        response
    }

    fn session_cookie(&self, pool_id: &str) -> Option<String> {
        cookie(&self.headers, &session_cookie_name(pool_id))
    }
}

/// No framing, no caching, no referrer, no scripts.
pub(crate) fn security_headers(h: &mut HeaderMap) {
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert(
        "content-security-policy",
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
}

/// The pool the `Host` header names (a domain prefix or custom domain), if any.
pub(crate) async fn host_pool(state: &AppState, headers: &HeaderMap) -> Option<String> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    state.service.pool_for_host(host).await.ok().flatten()
}

/// A redirect: 302 for GET navigations, 303 after a form post (never 307, RFC 9700 §4.12).
pub(crate) fn redirect(status: StatusCode, location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(v) => {
            let mut r = status.into_response();
            r.headers_mut().insert(header::LOCATION, v);
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        Err(_) => StatusCode::BAD_REQUEST.into_response(),
    }
}

/// The error page (status 400).
pub(crate) fn error_response(ctx: &Ctx, detail: &str) -> Response {
    ctx.html(StatusCode::BAD_REQUEST, pages::error_page(ctx.lang, detail))
}

fn outcome_response(ctx: &Ctx, outcome: AuthorizeOutcome) -> Response {
    match outcome {
        AuthorizeOutcome::Redirect(location) => redirect(StatusCode::FOUND, &location),
        AuthorizeOutcome::ErrorPage(code) => error_response(ctx, code),
        AuthorizeOutcome::SignIn(request) => {
            // Relative to `/oauth2/authorize`, so a nested router keeps its prefix.
            redirect(StatusCode::FOUND, &format!("../login?{}", request.query))
        }
    }
}

/// A posted form. Its values (passwords, codes, sessions) are zeroized when it is dropped.
#[derive(Default)]
pub(crate) struct Form(BTreeMap<String, String>);

impl Drop for Form {
    fn drop(&mut self) {
        for value in self.0.values_mut() {
            zeroize::Zeroize::zeroize(value);
        }
    }
}

impl core::ops::Deref for Form {
    type Target = BTreeMap<String, String>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

async fn read_form(body: Body) -> Option<Form> {
    // The body's own buffer belongs to hyper (shared, immutable bytes) and is not zeroized.
    let bytes = axum::body::to_bytes(body, FORM_LIMIT).await.ok()?;
    let mut out = Form::default();
    for (k, v) in form_urlencoded::parse(&bytes) {
        if out.0.insert(k.into_owned(), v.into_owned()).is_some() {
            return None;
        }
    }
    Some(out)
}

fn field<'a>(form: &'a Form, name: &str) -> &'a str {
    form.get(name).map_or("", String::as_str)
}

fn login_label(request: &HostedRequest) -> Text {
    let has = |a: &str| request.username_attributes.iter().any(|u| u == a);
    match (has("email"), has("phone_number")) {
        (true, _) => Text::Email,
        (false, true) => Text::Phone,
        _ => Text::Username,
    }
}

/// Loads the request of a page, or answers with the error page / redirect.
async fn request_of(state: &AppState, ctx: &Ctx) -> Result<HostedRequest, Response> {
    state
        .service
        .hosted_request(&ctx.query, ctx.host_pool.as_deref())
        .await
        .map_err(|o| outcome_response(ctx, o))
}

/// A posted form after the CSRF check, or the page to show instead.
async fn checked_form(ctx: &Ctx, request: &HostedRequest, body: Body) -> Result<Form, Response> {
    let form = read_form(body).await;
    let cookie_token = cookie(&ctx.headers, cookies::CSRF_COOKIE);
    match form {
        Some(f)
            if cookies::csrf_ok(cookie_token.as_deref(), f.get("_csrf").map(String::as_str)) =>
        {
            Ok(f)
        }
        _ => {
            tracing::info!(target: "userpool::audit", page = "hosted", outcome = "csrf refused");
            let mut page = ctx.page(request);
            page.error = Some(Text::FormExpired);
            Err(ctx.html(
                StatusCode::FORBIDDEN,
                page.sign_in(login_label(request), ""),
            ))
        }
    }
}

/// A page's context and request for a GET, or the answer instead.
async fn page_of(
    state: &AppState,
    query: Option<String>,
    headers: &HeaderMap,
) -> Result<(Ctx, HostedRequest), Response> {
    let ctx = Ctx::new(state, headers, query).await;
    let request = request_of(state, &ctx).await?;
    Ok((ctx, request))
}

/// A page's context, request and CSRF-checked form for a POST, or the answer instead.
async fn posted(
    state: &AppState,
    query: Option<String>,
    request: Request,
) -> Result<(Ctx, HostedRequest, Form), Response> {
    let (parts, body) = request.into_parts();
    let ctx = Ctx::new(state, &parts.headers, query).await;
    let hosted = request_of(state, &ctx).await?;
    let form = checked_form(&ctx, &hosted, body).await?;
    Ok((ctx, hosted, form))
}

pub(crate) async fn login_get(
    State(state): State<Arc<AppState>>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let (ctx, request) = match page_of(&state, q, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let cookie = ctx.session_cookie(&request.pool_id);
    if let Some(location) = state
        .service
        .resume_session(&request, cookie.as_deref())
        .await
    {
        return redirect(StatusCode::FOUND, &location);
    }
    ctx.html(
        StatusCode::OK,
        ctx.page(&request).sign_in(login_label(&request), ""),
    )
}

pub(crate) async fn login_post(
    State(state): State<Arc<AppState>>,
    RawQuery(q): RawQuery,
    request: Request,
) -> Response {
    let (ctx, hosted, form) = match posted(&state, q, request).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let username = field(&form, "username").trim().to_owned();
    let password = SecretString::from(field(&form, "password"));
    match state
        .service
        .hosted_sign_in(&hosted, &username, &password)
        .await
    {
        Ok(step) => step_response(&state, &ctx, &hosted, &username, step).await,
        Err(e) if e.kind() == ErrorKind::UserNotConfirmed => {
            let _ = state.service.hosted_resend_code(&hosted, &username).await;
            let mut page = ctx.page(&hosted);
            page.notice = Some(Text::NotConfirmed);
            ctx.html(StatusCode::OK, page.confirm(&username))
        }
        Err(e) => {
            let mut page = ctx.page(&hosted);
            page.failed(&e);
            ctx.html(
                StatusCode::OK,
                page.sign_in(login_label(&hosted), &username),
            )
        }
    }
}

/// The answer to a sign-in step: the cookie and the redirect, or the next challenge page.
async fn step_response(
    state: &AppState,
    ctx: &Ctx,
    hosted: &HostedRequest,
    username: &str,
    step: HostedStep,
) -> Response {
    match step {
        HostedStep::SignedIn { session, location } => {
            let mut r = redirect(StatusCode::SEE_OTHER, &location);
            if let Ok(v) = HeaderValue::from_str(&set_cookie(
                &session_cookie_name(&hosted.pool_id),
                session.cookie.expose_secret(),
                session.max_age,
                "Lax",
            )) {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            r
        }
        HostedStep::Challenge { name, session, .. } if name == "MFA_SETUP" => {
            totp_setup(state, ctx, hosted, username, &session).await
        }
        HostedStep::Challenge {
            name,
            session,
            parameters,
        } => {
            let options: Vec<String> = parameters
                .get("MFAS_CAN_CHOOSE")
                .and_then(|v| serde_json::from_str(v).ok())
                .unwrap_or_default();
            ctx.html(
                StatusCode::OK,
                ctx.page(hosted)
                    .challenge(&name, session.expose_secret(), username, &options),
            )
        }
    }
}

async fn totp_setup(
    state: &AppState,
    ctx: &Ctx,
    hosted: &HostedRequest,
    username: &str,
    session: &SecretString,
) -> Response {
    match state.service.hosted_associate_software_token(session).await {
        Ok(associated) => {
            let next = associated
                .session
                .clone()
                .unwrap_or_else(|| session.clone());
            let secret = associated.secret_code.expose_secret();
            let uri = qr::otpauth_uri(&hosted.client_name, username, secret);
            ctx.html(
                StatusCode::OK,
                ctx.page(hosted)
                    .totp_setup(next.expose_secret(), username, secret, &qr::svg(&uri)),
            )
        }
        Err(e) => sign_in_again(ctx, hosted, &e),
    }
}

fn sign_in_again(ctx: &Ctx, hosted: &HostedRequest, e: &Error) -> Response {
    let mut page = ctx.page(hosted);
    page.error = Some(match e.kind() {
        ErrorKind::NotAuthorized => Text::SessionExpired,
        other => error_text(other),
    });
    ctx.html(StatusCode::OK, page.sign_in(login_label(hosted), ""))
}

pub(crate) async fn challenge_post(
    State(state): State<Arc<AppState>>,
    RawQuery(q): RawQuery,
    request: Request,
) -> Response {
    let (ctx, hosted, form) = match posted(&state, q, request).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let challenge = field(&form, "challenge").to_owned();
    let username = field(&form, "username").to_owned();
    let session = SecretString::from(field(&form, "session"));
    let code = SecretString::from(field(&form, "code").trim());
    if challenge == "MFA_SETUP" {
        let verified = match state
            .service
            .hosted_verify_software_token(&session, &code)
            .await
        {
            Ok(v) => v,
            Err(e) => return sign_in_again(&ctx, &hosted, &e),
        };
        let next = verified.session.unwrap_or(session);
        return match state
            .service
            .hosted_respond(&hosted, "MFA_SETUP", &next, &username, BTreeMap::new())
            .await
        {
            Ok(step) => step_response(&state, &ctx, &hosted, &username, step).await,
            Err(e) => sign_in_again(&ctx, &hosted, &e),
        };
    }
    let (key, value) = match challenge.as_str() {
        "NEW_PASSWORD_REQUIRED" => ("NEW_PASSWORD", field(&form, "new_password").to_owned()),
        "SOFTWARE_TOKEN_MFA" => ("SOFTWARE_TOKEN_MFA_CODE", code.expose_secret().to_owned()),
        "SMS_MFA" => ("SMS_MFA_CODE", code.expose_secret().to_owned()),
        "EMAIL_OTP" => ("EMAIL_OTP_CODE", code.expose_secret().to_owned()),
        "SELECT_MFA_TYPE" => ("ANSWER", field(&form, "answer").to_owned()),
        _ => return sign_in_again(&ctx, &hosted, &Error::new(ErrorKind::NotAuthorized, "")),
    };
    let responses = BTreeMap::from([(key.to_owned(), value)]);
    match state
        .service
        .hosted_respond(&hosted, &challenge, &session, &username, responses)
        .await
    {
        Ok(step) => step_response(&state, &ctx, &hosted, &username, step).await,
        Err(e)
            if matches!(
                e.kind(),
                ErrorKind::CodeMismatch | ErrorKind::InvalidPassword | ErrorKind::InvalidParameter
            ) =>
        {
            let mut page = ctx.page(&hosted);
            page.failed(&e);
            ctx.html(
                StatusCode::OK,
                page.challenge(&challenge, session.expose_secret(), &username, &[]),
            )
        }
        Err(e) => sign_in_again(&ctx, &hosted, &e),
    }
}

fn sign_up_fields(hosted: &HostedRequest) -> (Option<Text>, Vec<String>) {
    let mut attributes = hosted.required_attributes.clone();
    for a in &hosted.username_attributes {
        if !attributes.contains(a) {
            attributes.insert(0, a.clone());
        }
    }
    let login = hosted
        .username_attributes
        .is_empty()
        .then_some(Text::Username);
    (login, attributes)
}

pub(crate) async fn signup_get(
    State(state): State<Arc<AppState>>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let (ctx, hosted) = match page_of(&state, q, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let (login, attributes) = sign_up_fields(&hosted);
    ctx.html(
        StatusCode::OK,
        ctx.page(&hosted).sign_up(login, &attributes, &[]),
    )
}

pub(crate) async fn signup_post(
    State(state): State<Arc<AppState>>,
    RawQuery(q): RawQuery,
    request: Request,
) -> Response {
    let (ctx, hosted, form) = match posted(&state, q, request).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let (login, names) = sign_up_fields(&hosted);
    let attributes: Vec<userpool::wire::Attribute> = names
        .iter()
        .map(|n| userpool::wire::Attribute {
            name: n.clone(),
            value: field(&form, &format!("attr_{n}")).trim().to_owned(),
        })
        .filter(|a| !a.value.is_empty())
        .collect();
    let username = match hosted.username_attributes.first() {
        Some(a) => field(&form, &format!("attr_{a}")).trim().to_owned(),
        None => field(&form, "username").trim().to_owned(),
    };
    let password = SecretString::from(field(&form, "password"));
    match state
        .service
        .hosted_sign_up(&hosted, &username, &password, attributes)
        .await
    {
        Ok(r) if r.user_confirmed => {
            let mut page = ctx.page(&hosted);
            page.notice = Some(Text::Confirmed);
            ctx.html(
                StatusCode::OK,
                page.sign_in(login_label(&hosted), &username),
            )
        }
        Ok(_) => ctx.html(StatusCode::OK, ctx.page(&hosted).confirm(&username)),
        Err(e) => {
            let values: Vec<(String, String)> = form
                .iter()
                .filter(|(k, _)| k.as_str() == "username" || k.starts_with("attr_"))
                .map(|(k, v)| (k.trim_start_matches("attr_").to_owned(), v.clone()))
                .collect();
            let mut page = ctx.page(&hosted);
            page.failed(&e);
            ctx.html(StatusCode::OK, page.sign_up(login, &names, &values))
        }
    }
}

pub(crate) async fn confirm_post(
    State(state): State<Arc<AppState>>,
    RawQuery(q): RawQuery,
    request: Request,
) -> Response {
    let (ctx, hosted, form) = match posted(&state, q, request).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let username = field(&form, "username").to_owned();
    let mut page = ctx.page(&hosted);
    if field(&form, "resend") == "1" {
        match state.service.hosted_resend_code(&hosted, &username).await {
            Ok(()) => page.notice = Some(Text::CodeResent),
            Err(e) => page.failed(&e),
        }
        return ctx.html(StatusCode::OK, page.confirm(&username));
    }
    let code = SecretString::from(field(&form, "code").trim());
    match state
        .service
        .hosted_confirm_sign_up(&hosted, &username, &code)
        .await
    {
        Ok(()) => {
            page.notice = Some(Text::Confirmed);
            ctx.html(
                StatusCode::OK,
                page.sign_in(login_label(&hosted), &username),
            )
        }
        Err(e) => {
            page.failed(&e);
            ctx.html(StatusCode::OK, page.confirm(&username))
        }
    }
}

pub(crate) async fn forgot_get(
    State(state): State<Arc<AppState>>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let (ctx, hosted) = match page_of(&state, q, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    ctx.html(
        StatusCode::OK,
        ctx.page(&hosted).forgot(login_label(&hosted)),
    )
}

pub(crate) async fn forgot_post(
    State(state): State<Arc<AppState>>,
    RawQuery(q): RawQuery,
    request: Request,
) -> Response {
    let (ctx, hosted, form) = match posted(&state, q, request).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let username = field(&form, "username").trim().to_owned();
    match state
        .service
        .hosted_forgot_password(&hosted, &username)
        .await
    {
        Ok(_) => ctx.html(StatusCode::OK, ctx.page(&hosted).reset(&username)),
        Err(e) => {
            let mut page = ctx.page(&hosted);
            page.failed(&e);
            ctx.html(StatusCode::OK, page.forgot(login_label(&hosted)))
        }
    }
}

pub(crate) async fn reset_post(
    State(state): State<Arc<AppState>>,
    RawQuery(q): RawQuery,
    request: Request,
) -> Response {
    let (ctx, hosted, form) = match posted(&state, q, request).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let username = field(&form, "username").to_owned();
    let code = SecretString::from(field(&form, "code").trim());
    let password = SecretString::from(field(&form, "password"));
    let mut page = ctx.page(&hosted);
    match state
        .service
        .hosted_confirm_forgot_password(&hosted, &username, &code, &password)
        .await
    {
        Ok(()) => {
            page.notice = Some(Text::PasswordChanged);
            ctx.html(
                StatusCode::OK,
                page.sign_in(login_label(&hosted), &username),
            )
        }
        Err(e) => {
            page.failed(&e);
            ctx.html(StatusCode::OK, page.reset(&username))
        }
    }
}

pub(crate) async fn error_get(
    State(state): State<Arc<AppState>>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let ctx = Ctx::new(&state, &headers, q).await;
    let code = form_urlencoded::parse(ctx.query.as_bytes())
        .find(|(k, _)| k == "error")
        .map(|(_, v)| {
            v.chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                .take(64)
                .collect::<String>()
        })
        .unwrap_or_default();
    error_response(&ctx, &code)
}

pub(crate) async fn authorize_get(
    State(state): State<Arc<AppState>>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let ctx = Ctx::new(&state, &headers, q).await;
    let outcome = state
        .service
        .oauth_authorize(&ctx.query, ctx.host_pool.as_deref(), |pool| {
            ctx.session_cookie(pool)
        })
        .await;
    outcome_response(&ctx, outcome)
}

pub(crate) async fn logout_get(
    State(state): State<Arc<AppState>>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let ctx = Ctx::new(&state, &headers, q).await;
    let outcome = state
        .service
        .oauth_logout(&ctx.query, ctx.host_pool.as_deref())
        .await;
    let mut response = match outcome {
        userpool::wire::LogoutOutcome::Redirect(location) => redirect(StatusCode::FOUND, &location),
        userpool::wire::LogoutOutcome::ErrorPage(message) => error_response(&ctx, &message),
    };
    // Every pool's sign-in cookie this browser sent is cleared.
    let names: Vec<String> = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|p| p.trim().split_once('=').map(|(k, _)| k.to_owned()))
        .filter(|k| k.starts_with("userpool_session_"))
        .collect();
    for name in names {
        if let Ok(v) = HeaderValue::from_str(&set_cookie(&name, "", 0, "Lax")) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

pub(crate) async fn logo_get(
    State(state): State<Arc<AppState>>,
    axum::extract::Path((pool_id, key)): axum::extract::Path<(String, String)>,
) -> Response {
    match state.service.ui_logo(&pool_id, &key).await {
        Some((kind, bytes)) => {
            let mut r = bytes.into_response();
            let h = r.headers_mut();
            if let Ok(v) = HeaderValue::from_str(&kind) {
                h.insert(header::CONTENT_TYPE, v);
            }
            h.insert(
                "x-content-type-options",
                HeaderValue::from_static("nosniff"),
            );
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=300"),
            );
            r
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
