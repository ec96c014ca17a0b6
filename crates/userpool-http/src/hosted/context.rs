//! What every hosted page handler starts from, as axum extractors: [`Ctx`] (language, CSRF
//! token, the authorization request's query, the pool the `Host` names, the scheme),
//! [`HostedPage`] (a GET with its checked authorization request) and [`HostedForm`] (a POST
//! whose body arrived in time, within the size limit, with a CSRF token the facade issued and
//! the cookie's copy echoed). A request that fails any of that is answered by the extractor.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cookie::SameSite;
use maud::Markup;
use userpool::wire::{AuthorizeOutcome, HostedRequest};

use super::cookies;
use super::i18n::{Lang, Text};
use super::pages::{self, Page};
use crate::client_info::ClientInfo;
use crate::routes::AppState;

/// Longest form body a page accepts.
const FORM_LIMIT: usize = 16 * 1024;
/// How long the CSRF cookie lives.
const CSRF_SECONDS: i64 = 3600;

/// Per-request context of a page.
pub(crate) struct Ctx {
    pub(crate) lang: Lang,
    csrf: String,
    new_csrf: bool,
    pub(crate) query: String,
    pub(crate) host_pool: Option<String>,
    pub(crate) headers: HeaderMap,
    /// Whether the request came over https (cookie attributes).
    pub(crate) https: bool,
    /// Where a form of this page may post or be redirected after posting (CSP `form-action`).
    form_targets: Vec<String>,
}

impl FromRequestParts<Arc<AppState>> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Response> {
        let query = parts.uri.query().unwrap_or_default().to_owned();
        let lang_param = form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == "lang")
            .map(|(_, v)| v.into_owned());
        let lang = Lang::choose(
            lang_param.as_deref(),
            parts
                .headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok()),
        );
        let https = parts
            .extensions
            .get::<ClientInfo>()
            .is_some_and(|c| c.https);
        // Only a token this deployment issued is kept; anything else is replaced.
        let existing = cookies::get(&parts.headers, &cookies::csrf_name(https))
            .filter(|c| state.service.hosted().hosted_csrf_valid(c));
        let new_csrf = existing.is_none();
        let csrf = match existing {
            Some(c) => c,
            None => state
                .service
                .hosted()
                .hosted_csrf_token()
                .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())?,
        };
        Ok(Self {
            lang,
            csrf,
            new_csrf,
            host_pool: host_pool(state, &parts.headers).await,
            form_targets: redirect_origin(&query).into_iter().collect(),
            query,
            headers: parts.headers.clone(),
            https,
        })
    }
}

/// What the sign-in page shows above its form.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Above {
    /// Nothing.
    Nothing,
    /// A notice (after a confirmation or a reset).
    Notice(Text),
    /// An error.
    Error(Text),
}

impl Ctx {
    /// The sign-in page with `username` filled in and `above` over the form.
    pub(crate) fn sign_in_page(
        &self,
        status: StatusCode,
        request: &HostedRequest,
        username: &str,
        above: Above,
    ) -> Response {
        let mut page = self.page(request);
        match above {
            Above::Nothing => {}
            Above::Notice(text) => page.notice = Some(text),
            Above::Error(text) => page.error = Some(text),
        }
        self.html(status, page.sign_in(super::login_label(request), username))
    }

    pub(crate) fn page<'a>(&'a self, request: &'a HostedRequest) -> Page<'a> {
        Page {
            lang: self.lang,
            csrf: &self.csrf,
            query: &self.query,
            client_name: &request.client_name,
            error: None,
            notice: None,
            css: request.css.as_deref(),
            logo: request.logo_url.as_deref(),
            providers: &request.identity_providers,
            first_factors: &request.first_factors,
        }
    }

    /// An HTML answer with the pages' security headers (and the CSRF cookie if new).
    pub(crate) fn html(&self, status: StatusCode, markup: Markup) -> Response {
        self.answer(status, markup, None)
    }

    /// The same for a page running the passkey script: the policy admits that one inline
    /// script by its hash ([`super::webauthn::SCRIPT`]) and nothing else.
    pub(crate) fn html_with_passkey_script(&self, status: StatusCode, markup: Markup) -> Response {
        self.answer(status, markup, Some(&super::webauthn::script_hash()))
    }

    fn answer(&self, status: StatusCode, markup: Markup, script_hash: Option<&str>) -> Response {
        let mut response = (status, markup.into_string()).into_response();
        let h = response.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        security_headers(h, &self.form_targets, script_hash);
        if self.new_csrf
            && let Ok(v) = HeaderValue::from_str(&cookies::set(
                &cookies::csrf_name(self.https),
                &self.csrf,
                CSRF_SECONDS,
                SameSite::Strict,
                self.https,
            ))
        {
            h.append(header::SET_COOKIE, v);
        }
        response
    }

    /// The error page (status 400).
    pub(crate) fn error(&self, detail: &str) -> Response {
        self.html(
            StatusCode::BAD_REQUEST,
            pages::error_page(self.lang, detail),
        )
    }

    /// The sign-in cookie of `pool_id` this browser sent.
    pub(crate) fn session_cookie(&self, pool_id: &str) -> Option<String> {
        cookies::get(&self.headers, &cookies::session_name(pool_id, self.https))
    }

    /// A `Set-Cookie` for the sign-in cookie of `pool_id` (an empty value with age 0 clears).
    pub(crate) fn set_session_cookie(
        &self,
        name: &str,
        value: &str,
        max_age: i64,
    ) -> Option<HeaderValue> {
        HeaderValue::from_str(&cookies::set(
            name,
            value,
            max_age,
            SameSite::Lax,
            self.https,
        ))
        .ok()
    }

    /// The answer to an authorization outcome.
    pub(crate) fn outcome(&self, outcome: AuthorizeOutcome) -> Response {
        match outcome {
            AuthorizeOutcome::Redirect(location) => redirect(StatusCode::FOUND, &location),
            AuthorizeOutcome::ErrorPage(code) => self.error(code),
            AuthorizeOutcome::SignIn(request) => {
                // Relative to `/oauth2/authorize`, so a nested router keeps its prefix.
                redirect(StatusCode::FOUND, &format!("../login?{}", request.query))
            }
        }
    }
}

/// The origin a form's redirect goes to after a post: the authorization request's
/// `redirect_uri` (already matched against the client's callbacks by the facade before any
/// form is shown) — `scheme://authority` for web URLs, `scheme:` for an app's own scheme.
pub(crate) fn redirect_origin(query: &str) -> Option<String> {
    let uri = form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "redirect_uri")
        .map(|(_, v)| v.into_owned())?;
    let (scheme, rest) = uri.split_once(':')?;
    let scheme_ok = scheme
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok || scheme.is_empty() {
        return None;
    }
    let origin = match rest.strip_prefix("//") {
        Some(after) if matches!(scheme, "http" | "https") => {
            let authority = after.split(['/', '?', '#']).next().unwrap_or_default();
            format!("{scheme}://{authority}")
        }
        _ => format!("{scheme}:"),
    };
    // A source expression must not carry what would end or split the directive: separators,
    // quotes, and any whitespace or control character (a tab splits the source list; a line
    // break makes the header invalid, and the page would go out without its policy).
    (!origin.contains(|c: char| {
        matches!(c, ';' | ',' | '\'' | '"') || c.is_whitespace() || c.is_control()
    }))
    .then_some(origin)
}

/// No framing, no caching, no referrer, no scripts (but the one whose `sha256-…` source
/// `script_hash` is, on the passkey pages); forms post only to this origin (and its redirect
/// after a post goes only to the client's registered callback).
pub(crate) fn security_headers(
    h: &mut HeaderMap,
    form_targets: &[String],
    script_hash: Option<&str>,
) {
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    let mut form_action = String::from("'self'");
    for target in form_targets {
        form_action.push(' ');
        form_action.push_str(target);
    }
    let script_src = script_hash
        .map(|hash| format!("script-src '{hash}'; "))
        .unwrap_or_default();
    let csp = format!(
        "default-src 'none'; {script_src}style-src 'unsafe-inline'; img-src 'self' data:; form-action {form_action}; frame-ancestors 'none'; base-uri 'none'"
    );
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert("content-security-policy", v);
    }
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
    state
        .service
        .hosted()
        .pool_for_host(host)
        .await
        .ok()
        .flatten()
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

/// A hosted page's GET: its context and checked authorization request.
pub(crate) struct HostedPage {
    pub(crate) ctx: Ctx,
    pub(crate) request: HostedRequest,
}

impl FromRequestParts<Arc<AppState>> for HostedPage {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Response> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        let request = state
            .service
            .hosted()
            .hosted_request(&ctx.query, ctx.host_pool.as_deref())
            .await
            .map_err(|o| ctx.outcome(o))?;
        Ok(Self { ctx, request })
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

impl Form {
    /// A field's value, or empty.
    pub(crate) fn field(&self, name: &str) -> &str {
        self.0.get(name).map_or("", String::as_str)
    }

    /// Every field.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.0.iter()
    }
}

/// A hosted form's POST: context, checked authorization request and the CSRF-checked form.
pub(crate) struct HostedForm {
    pub(crate) ctx: Ctx,
    pub(crate) hosted: HostedRequest,
    pub(crate) form: Form,
}

impl FromRequest<Arc<AppState>> for HostedForm {
    type Rejection = Response;

    async fn from_request(request: Request, state: &Arc<AppState>) -> Result<Self, Response> {
        let (mut parts, body) = request.into_parts();
        let HostedPage { ctx, request } = HostedPage::from_request_parts(&mut parts, state).await?;
        // Bounded in size and in time: a slow body is not waited for.
        let read = tokio::time::timeout(
            state.config.request_timeout,
            axum::body::to_bytes(body, FORM_LIMIT),
        )
        .await;
        let form = match read {
            Ok(Ok(bytes)) => parse_form(&bytes),
            _ => None,
        };
        let cookie = cookies::get(&ctx.headers, &cookies::csrf_name(ctx.https))
            .filter(|c| state.service.hosted().hosted_csrf_valid(c));
        match form {
            Some(form)
                if cookies::csrf_ok(cookie.as_deref(), form.0.get("_csrf").map(String::as_str)) =>
            {
                Ok(Self {
                    ctx,
                    hosted: request,
                    form,
                })
            }
            _ => {
                userpool::audit!(page = "hosted", outcome = "csrf refused");
                if parts.uri.path().ends_with("/passkeys/add") {
                    // That page again, with a fresh token (its links are relative to it).
                    return Err(redirect(
                        StatusCode::SEE_OTHER,
                        &format!("add?{}", request.query),
                    ));
                }
                Err(ctx.sign_in_page(
                    StatusCode::FORBIDDEN,
                    &request,
                    "",
                    Above::Error(Text::FormExpired),
                ))
            }
        }
    }
}

/// A form body, refusing repeated names.
fn parse_form(bytes: &[u8]) -> Option<Form> {
    // The body's own buffer belongs to hyper (shared, immutable bytes) and is not zeroized.
    let mut out = Form::default();
    for (k, v) in form_urlencoded::parse(bytes) {
        if out.0.insert(k.into_owned(), v.into_owned()).is_some() {
            return None;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_targets_are_the_redirect_origin() {
        assert_eq!(
            redirect_origin(
                "client_id=c&redirect_uri=https%3A%2F%2Fapp.example.com%3A8443%2Fcb%3Fx%3D1"
            ),
            Some("https://app.example.com:8443".into())
        );
        assert_eq!(
            redirect_origin("redirect_uri=myapp%3A%2F%2Fcb"),
            Some("myapp:".into())
        );
        assert_eq!(redirect_origin("client_id=c"), None);
        // Found by the hosted_http fuzz oracle: a tab or line break in the authority.
        for split in ["%09", "%0A", "%0D", "%0C", "%C2%A0", "%00"] {
            assert_eq!(
                redirect_origin(&format!(
                    "redirect_uri=https%3A%2F%2Fa.example{split}b.example"
                )),
                None,
                "{split}"
            );
        }
        assert_eq!(
            redirect_origin("redirect_uri=https%3A%2F%2Fa.example%3B%20script-src%20*"),
            None,
            "nothing that ends the directive"
        );
        let mut h = HeaderMap::new();
        security_headers(&mut h, &["https://app.example.com".into()], None);
        let csp = h["content-security-policy"].to_str().unwrap_or_default();
        assert!(
            csp.contains("form-action 'self' https://app.example.com;"),
            "{csp}"
        );
    }

    #[test]
    fn repeated_fields_are_refused() {
        assert!(parse_form(b"a=1&b=2").is_some());
        assert!(parse_form(b"a=1&a=2").is_none());
    }
}
