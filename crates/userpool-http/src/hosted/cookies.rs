//! The hosted UI's cookies: the sign-in session (one per pool) and the CSRF token (issued and
//! MAC'd by the facade; every form must echo the cookie's value, compared in constant time).
//!
//! Over https (see [`ClientInfo::https`](crate::client_info::ClientInfo)) the cookies carry
//! `Secure` and the `__Host-` prefix (bound to this host, path `/`, https only). Over plain
//! http they carry neither — otherwise a scripted client (curl, Python `requests`, Java's
//! HttpClient) on `http://localhost` would never send them back. Always `HttpOnly`.

use axum::http::HeaderMap;
use cookie::{Cookie, SameSite};
use subtle::ConstantTimeEq as _;

const HOST_PREFIX: &str = "__Host-";
const CSRF: &str = "userpool_csrf";
const SESSION: &str = "userpool_session_";
const IDP_BINDING: &str = "userpool_idp_";

/// The CSRF cookie's name.
pub(crate) fn csrf_name(https: bool) -> String {
    prefixed(CSRF, https)
}

/// The sign-in cookie's name for `pool_id` (one listener can serve many pools).
pub(crate) fn session_name(pool_id: &str, https: bool) -> String {
    prefixed(&format!("{SESSION}{pool_id}"), https)
}

/// The cookie binding a sign-in through an identity provider to this browser, per pool.
pub(crate) fn idp_binding_name(pool_id: &str, https: bool) -> String {
    prefixed(&format!("{IDP_BINDING}{pool_id}"), https)
}

/// Whether `name` is a sign-in cookie of any pool (either scheme).
pub(crate) fn is_session(name: &str) -> bool {
    name.trim_start_matches(HOST_PREFIX).starts_with(SESSION)
}

/// The pool of a sign-in cookie's name (either scheme).
pub(crate) fn session_pool(name: &str) -> Option<&str> {
    name.trim_start_matches(HOST_PREFIX)
        .strip_prefix(SESSION)
        .filter(|p| !p.is_empty())
}

fn prefixed(name: &str, https: bool) -> String {
    if https {
        format!("{HOST_PREFIX}{name}")
    } else {
        name.to_owned()
    }
}

/// Every cookie of the request's `Cookie` headers.
pub(crate) fn all(headers: &HeaderMap) -> Vec<Cookie<'static>> {
    headers
        .get_all("cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| Cookie::split_parse(v.to_owned()))
        .filter_map(Result::ok)
        .collect()
}

/// A cookie's value.
pub(crate) fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    all(headers)
        .into_iter()
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

/// A `Set-Cookie` value: `HttpOnly`, `Path=/`, `same_site`; `Secure` over https.
pub(crate) fn set(
    name: &str,
    value: &str,
    max_age: i64,
    same_site: SameSite,
    https: bool,
) -> String {
    Cookie::build((name.to_owned(), value.to_owned()))
        .path("/")
        .http_only(true)
        .secure(https)
        .same_site(same_site)
        .max_age(cookie::time::Duration::seconds(max_age))
        .build()
        .to_string()
}

/// Whether the form's `_csrf` equals the cookie's token (the facade checked the cookie's MAC).
pub(crate) fn csrf_ok(cookie: Option<&str>, form: Option<&str>) -> bool {
    match (cookie, form) {
        (Some(c), Some(f)) if !c.is_empty() => c.as_bytes().ct_eq(f.as_bytes()).into(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn cookies_are_found_by_exact_name() {
        let mut h = HeaderMap::new();
        h.append(
            "cookie",
            HeaderValue::from_static("a=1; userpool_csrf=tok; b=2"),
        );
        h.append(
            "cookie",
            HeaderValue::from_static("__Host-userpool_csrf=sec"),
        );
        assert_eq!(get(&h, &csrf_name(false)).as_deref(), Some("tok"));
        assert_eq!(get(&h, &csrf_name(true)).as_deref(), Some("sec"));
        assert_eq!(get(&h, "userpool"), None);
    }

    #[test]
    fn attributes_follow_the_scheme() {
        let plain = set(&session_name("p", false), "v", 60, SameSite::Lax, false);
        assert!(plain.starts_with("userpool_session_p=v;"), "{plain}");
        assert!(!plain.contains("Secure"), "{plain}");
        assert!(
            plain.contains("HttpOnly") && plain.contains("Path=/"),
            "{plain}"
        );
        assert!(
            plain.contains("SameSite=Lax") && plain.contains("Max-Age=60"),
            "{plain}"
        );
        let tls = set(&csrf_name(true), "v", 60, SameSite::Strict, true);
        assert!(tls.starts_with("__Host-userpool_csrf=v;"), "{tls}");
        assert!(
            tls.contains("Secure") && tls.contains("SameSite=Strict"),
            "{tls}"
        );
        assert!(is_session("__Host-userpool_session_p") && is_session("userpool_session_p"));
        assert!(!is_session("userpool_csrf"));
        assert_eq!(session_pool("__Host-userpool_session_p"), Some("p"));
        assert_eq!(session_pool("userpool_session_p"), Some("p"));
        assert_eq!(session_pool("userpool_csrf"), None);
    }

    #[test]
    fn csrf_needs_a_cookie_and_an_equal_form_value() {
        assert!(csrf_ok(Some("abc"), Some("abc")));
        assert!(!csrf_ok(Some("abc"), Some("abd")));
        assert!(!csrf_ok(None, Some("abc")));
        assert!(!csrf_ok(Some(""), Some("")));
        assert!(!csrf_ok(Some("abc"), None));
    }
}
