//! The URLs an app client registers (`CallbackURLs`, `LogoutURLs`, `DefaultRedirectURI`) and
//! Cognito's rule for them: an absolute URL without a fragment, `https` — or `http` only for
//! `localhost` (for development) — or an app's own scheme (`myapp://callback`, for native
//! apps); never a scheme that runs or embeds content (`javascript:`, `data:`, `vbscript:`,
//! `file:`).

use crate::error::{Error, Result};

/// Longest registered URL (`RedirectUrlType`).
pub const MAX_REDIRECT_URL_LEN: usize = 1024;

const FORBIDDEN_SCHEMES: [&str; 4] = ["javascript", "data", "vbscript", "file"];

/// Checks one registered URL; `member` names the setting in the error
/// (`CallbackURLs`, `LogoutURLs`, `DefaultRedirectURI`).
///
/// ```
/// use user_pool_model::check_registered_url;
/// assert!(check_registered_url("https://app.example.com/cb", "CallbackURLs").is_ok());
/// assert!(check_registered_url("http://localhost:3000/cb", "CallbackURLs").is_ok());
/// assert!(check_registered_url("myapp://signed-in", "CallbackURLs").is_ok());
/// assert!(check_registered_url("http://app.example.com/cb", "CallbackURLs").is_err());
/// ```
pub fn check_registered_url(value: &str, member: &str) -> Result<()> {
    let refuse = |why: &str| Err(Error::InvalidParameter(format!("Invalid {member}: {why}")));
    if value.is_empty() || value.chars().count() > MAX_REDIRECT_URL_LEN {
        return refuse("a URL must have 1 to 1024 characters.");
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return refuse("a URL must not contain whitespace or control characters.");
    }
    let Ok(url) = url::Url::parse(value) else {
        return refuse("a URL must be absolute.");
    };
    if url.fragment().is_some() {
        return refuse("a URL must not contain a fragment.");
    }
    let scheme = url.scheme();
    if FORBIDDEN_SCHEMES.contains(&scheme) {
        return refuse("this URL scheme is not allowed.");
    }
    match scheme {
        "https" if url.host_str().is_some_and(|h| !h.is_empty()) => Ok(()),
        "https" => refuse("an https URL must have a host."),
        "http" if url.host_str() == Some("localhost") => Ok(()),
        "http" => refuse("http is only allowed for localhost; use https."),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cognito_rule() {
        for ok in [
            "https://app.example.com/cb",
            "https://app.example.com:8443/cb?x=1",
            "http://localhost/cb",
            "http://localhost:3000/cb",
            "HTTP://LOCALHOST:3000/cb",
            "myapp://callback",
            "com.example.app:/oauth2redirect",
        ] {
            assert_eq!(check_registered_url(ok, "CallbackURLs"), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "/relative/cb",
            "app.example.com/cb",
            "http://app.example.com/cb",
            "http://127.0.0.1:3000/cb",
            "http://localhost.evil.com/cb",
            "https://app.example.com/cb#frag",
            "javascript:alert(1)",
            "data:text/html,hi",
            "file:///etc/passwd",
            "https://app.example.com/c b",
            "https://",
        ] {
            assert!(
                matches!(check_registered_url(bad, "LogoutURLs"), Err(Error::InvalidParameter(m)) if m.starts_with("Invalid LogoutURLs: ")),
                "{bad}"
            );
        }
        let long = format!("https://a.example/{}", "x".repeat(1010));
        assert!(check_registered_url(&long, "CallbackURLs").is_err());
    }
}
