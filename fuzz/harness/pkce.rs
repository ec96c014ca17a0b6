//! Fuzz harness for `pkce-state`: authorization-request parsing against a fixed client.

use pkce_state::{ClientPolicy, check_authorize, error_redirect, parse_query};

/// Whatever the query, an accepted request names a registered redirect URI exactly, and
/// only redirectable errors are sent to it.
pub(crate) fn authorize(data: &[u8]) {
    let query = String::from_utf8_lossy(data);
    let callbacks = vec![
        "https://app.example.com/callback".to_owned(),
        "myapp://cb".to_owned(),
    ];
    let scopes = vec!["openid".to_owned(), "email".to_owned()];
    let client = ClientPolicy {
        client_id: "abc",
        callback_urls: &callbacks,
        allow_code: true,
        allow_implicit: true,
        allowed_scopes: &scopes,
        require_pkce: false,
    };
    let Ok(params) = parse_query(&query) else {
        return;
    };
    match check_authorize(&params, &client) {
        Ok(request) => {
            assert!(callbacks.contains(&request.redirect_uri));
            assert!(
                !request.scopes.is_empty() && request.scopes.iter().all(|s| scopes.contains(s))
            );
        }
        Err(e) if e.redirectable() => {
            let redirect = params
                .iter()
                .find(|(k, _)| k == "redirect_uri")
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            assert!(
                callbacks.contains(&redirect),
                "a redirectable error must have a registered redirect URI"
            );
            assert!(error_redirect(&redirect, &e, None).starts_with(redirect.as_str()));
        }
        Err(_) => {}
    }
}
