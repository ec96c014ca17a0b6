//! Redirect URIs: registration rules and exact matching.

use crate::error::{Error, Result};

/// Schemes that must never be a redirect target.
const FORBIDDEN_SCHEMES: [&str; 4] = ["javascript", "data", "file", "vbscript"];

/// Longest redirect URI accepted.
pub const MAX_REDIRECT_URI_LEN: usize = 1024;

/// Checks a URI for registration as a callback or sign-out URL: absolute, no fragment, no
/// whitespace; `https`, or `http` only for `localhost`, `127.0.0.1` and `[::1]` (any port); a
/// custom scheme (`myapp://…`) for native apps, but never `javascript:`, `data:`, `file:`.
pub fn validate_redirect_uri(uri: &str) -> Result<()> {
    if uri.is_empty()
        || uri.len() > MAX_REDIRECT_URI_LEN
        || uri.chars().any(|c| c.is_whitespace() || c.is_control())
        || uri.contains('#')
    {
        return Err(Error::RedirectMismatch);
    }
    let (scheme, rest) = uri.split_once(':').ok_or(Error::RedirectMismatch)?;
    let scheme_ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok || FORBIDDEN_SCHEMES.contains(&scheme.to_ascii_lowercase().as_str()) {
        return Err(Error::RedirectMismatch);
    }
    let Some(after) = rest.strip_prefix("//") else {
        return Err(Error::RedirectMismatch);
    };
    let authority = after.split(['/', '?']).next().unwrap_or_default();
    if authority.is_empty() && matches!(scheme, "http" | "https") {
        return Err(Error::RedirectMismatch);
    }
    if authority.contains('@') {
        return Err(Error::RedirectMismatch);
    }
    match scheme {
        "https" => Ok(()),
        "http" => {
            let host = if authority.starts_with('[') {
                authority.split_inclusive(']').next().unwrap_or_default()
            } else {
                authority.split(':').next().unwrap_or_default()
            };
            if matches!(host, "localhost" | "127.0.0.1" | "[::1]") {
                Ok(())
            } else {
                Err(Error::RedirectMismatch)
            }
        }
        s if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https") => {
            Err(Error::RedirectMismatch)
        }
        _ => Ok(()),
    }
}

/// The registered URI that `requested` names: exact string equality (scheme, host case, path,
/// trailing slash, query — everything), never prefix or pattern matching.
pub fn match_redirect_uri<'a>(registered: &'a [String], requested: &str) -> Result<&'a str> {
    registered
        .iter()
        .find(|r| r.as_str() == requested)
        .map(String::as_str)
        .ok_or(Error::RedirectMismatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_rules() {
        for ok in [
            "https://app.example.com/callback",
            "https://app.example.com/callback?x=1",
            "http://localhost:3000/callback",
            "http://127.0.0.1/cb",
            "http://[::1]:8080/cb",
            "myapp://callback",
            "com.example.app://oauth",
        ] {
            assert_eq!(validate_redirect_uri(ok), Ok(()), "{ok}");
        }
        for bad in [
            "http://app.example.com/callback",
            "http://localhost.evil.com/cb",
            "https://app.example.com/cb#frag",
            "javascript://alert(1)",
            "JavaScript://x",
            "data://text/html",
            "file:///etc/passwd",
            "https://good@evil.example/",
            "/relative",
            "https:/app.example.com",
            "https://",
            "https://app.example.com/ cb",
            "HTTP://app.example.com/cb",
            "",
        ] {
            assert_eq!(
                validate_redirect_uri(bad),
                Err(Error::RedirectMismatch),
                "{bad}"
            );
        }
    }
}
