//! The hosted UI's cookies: the sign-in session (one per pool) and the CSRF token
//! (double-submit: the cookie's value must come back in every form, compared in constant time).

use axum::http::HeaderMap;
use subtle::ConstantTimeEq as _;

/// The CSRF cookie's name.
pub(crate) const CSRF_COOKIE: &str = "userpool_csrf";

/// The sign-in cookie's name for `pool_id` (one listener can serve many pools).
pub(crate) fn session_cookie_name(pool_id: &str) -> String {
    format!("userpool_session_{pool_id}")
}

/// A cookie's value from the request's `Cookie` headers.
pub(crate) fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all("cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// A `Set-Cookie` value: `Secure`, `HttpOnly`, `Path=/`, with `same_site`.
pub(crate) fn set(name: &str, value: &str, max_age: i64, same_site: &str) -> String {
    format!("{name}={value}; Max-Age={max_age}; Path=/; Secure; HttpOnly; SameSite={same_site}")
}

/// A new random CSRF token (two v4 UUIDs' worth of OS randomness, 244 bits).
pub(crate) fn new_csrf_token() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// Whether the form's `_csrf` equals the cookie's token.
pub(crate) fn csrf_ok(cookie: Option<&str>, form: Option<&str>) -> bool {
    match (cookie, form) {
        (Some(c), Some(f)) if !c.is_empty() => c.as_bytes().ct_eq(f.as_bytes()).into(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn cookies_are_found_by_exact_name() {
        let mut h = HeaderMap::new();
        h.append(
            "cookie",
            HeaderValue::from_static("a=1; userpool_csrf=tok; b=2"),
        );
        assert_eq!(get(&h, CSRF_COOKIE).as_deref(), Some("tok"));
        assert_eq!(get(&h, "userpool"), None);
    }

    #[test]
    fn csrf_needs_a_cookie_and_an_equal_form_value() {
        assert!(csrf_ok(Some("abc"), Some("abc")));
        assert!(!csrf_ok(Some("abc"), Some("abd")));
        assert!(!csrf_ok(None, Some("abc")));
        assert!(!csrf_ok(Some(""), Some("")));
        assert!(!csrf_ok(Some("abc"), None));
        assert_eq!(new_csrf_token().len(), 64);
    }
}
