//! Authorization requests, redirect URIs (★33), PKCE (★35) and codes (★36).

use pkce_state::*;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

const CALLBACK: &str = "https://app.example.com/callback";
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const NOW: i64 = 1_790_000_000;

fn callbacks() -> Vec<String> {
    vec![CALLBACK.to_owned(), "http://localhost:3000/cb".to_owned()]
}

fn scopes() -> Vec<String> {
    ["openid", "email", "profile", "https://api.example.com/read"]
        .map(str::to_owned)
        .to_vec()
}

fn check(query: &str, require_pkce: bool) -> Result<AuthorizeRequest, Error> {
    let (c, s) = (callbacks(), scopes());
    let client = ClientPolicy {
        client_id: "abc",
        callback_urls: &c,
        allow_code: true,
        allow_implicit: false,
        allowed_scopes: &s,
        require_pkce,
    };
    check_authorize(&parse_query(query)?, &client)
}

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn query(redirect: &str, extra: &str) -> String {
    format!(
        "response_type=code&client_id=abc&redirect_uri={}&state=s1{extra}",
        enc(redirect)
    )
}

/// ★33: every variant of a registered URI is an error page, never a redirect.
#[test]
fn redirect_uri_variants_are_refused_without_redirecting() {
    let variants = [
        "https://app.example.com/callback/",
        "https://App.example.com/callback",
        "https://app.example.com/Callback",
        "https://app.example.com/callback?x=1",
        "https://app.example.com/callback#frag",
        "https://app.example.com@evil.example/callback",
        "https://good@evil.example/callback",
        "https://app.example.com/%2e%2e/callback",
        "https://app.example.com/callback/%2e%2e",
        "https://app.example.com:8443/callback",
        "http://app.example.com/callback",
        "https://evil.app.example.com/callback",
        "https://app.example.com.evil.example/callback",
        "https://xn--pp-8cd.example.com/callback",
        "https://аpp.example.com/callback",
        "https%3A%2F%2Fapp.example.com%2Fcallback",
        "https://app.example.com/callback%2F",
        "//app.example.com/callback",
        "http://localhost:3001/cb",
        "",
    ];
    for v in variants {
        let err = check(&query(v, ""), false).unwrap_err();
        assert_eq!(err, Error::RedirectMismatch, "{v}");
        assert!(!err.redirectable(), "{v}");
    }
    let ok = check(&query(CALLBACK, ""), false).expect("exact match");
    assert_eq!(ok.redirect_uri, CALLBACK);
    assert!(check(&query("http://localhost:3000/cb", ""), false).is_ok());
    // Double encoding is compared after one decoding only.
    assert_eq!(
        check(
            &format!(
                "response_type=code&client_id=abc&redirect_uri={}",
                enc(&enc(CALLBACK))
            ),
            false
        ),
        Err(Error::RedirectMismatch)
    );
}

#[test]
fn unknown_clients_get_an_error_page() {
    let err = check(
        &query(CALLBACK, "").replace("client_id=abc", "client_id=other"),
        false,
    )
    .unwrap_err();
    assert_eq!(err, Error::UnknownClient);
    assert!(!err.redirectable());
}

#[test]
fn request_errors_are_redirected_with_state() {
    let err = check(
        &query(CALLBACK, "").replace("response_type=code&", ""),
        false,
    )
    .unwrap_err();
    assert_eq!(err, Error::InvalidRequest("response_type is required"));
    assert!(err.redirectable());
    assert_eq!(
        error_redirect(CALLBACK, &err, Some("s 1&x")),
        "https://app.example.com/callback?error=invalid_request&state=s+1%26x"
    );
    assert_eq!(
        error_redirect("https://a.example/cb?k=v", &Error::InvalidScope, None),
        "https://a.example/cb?k=v&error=invalid_scope"
    );
    assert_eq!(
        check(
            &query(CALLBACK, "").replace("response_type=code", "response_type=id_token"),
            false
        ),
        Err(Error::UnsupportedResponseType)
    );
    assert_eq!(
        check(
            &query(CALLBACK, "").replace("response_type=code", "response_type=token"),
            false
        ),
        Err(Error::UnauthorizedClient)
    );
    assert_eq!(
        check(&format!("{}&state=again", query(CALLBACK, "")), false),
        Err(Error::InvalidRequest("a parameter is repeated"))
    );
    assert!(
        check(
            &query(CALLBACK, &format!("&nonce={}", "n".repeat(3000))),
            false
        )
        .is_err()
    );
}

#[test]
fn scope_rules() {
    assert_eq!(
        check(&query(CALLBACK, ""), false).expect("ok").scopes,
        scopes(),
        "no scope: all allowed"
    );
    assert_eq!(
        check(&query(CALLBACK, "&scope=openid+email+openid"), false)
            .expect("ok")
            .scopes,
        ["openid", "email"],
        "no repeats"
    );
    assert_eq!(
        check(&query(CALLBACK, "&scope=openid+phone+email"), false),
        Err(Error::InvalidScope),
        "one scope the client may not ask for refuses the request"
    );
    assert_eq!(
        check(&query(CALLBACK, "&scope=phone"), false),
        Err(Error::InvalidScope)
    );
    assert_eq!(
        check(&query(CALLBACK, "&scope=open%22id"), false),
        Err(Error::InvalidScope)
    );
    assert_eq!(
        check(
            &query(CALLBACK, "&scope=https%3A%2F%2Fapi.example.com%2Fread"),
            false
        )
        .expect("ok")
        .scopes,
        ["https://api.example.com/read"]
    );
}

/// ★35: PKCE.
#[test]
fn pkce_rules() {
    let with = |extra: &str| check(&query(CALLBACK, extra), true);
    assert_eq!(
        with(""),
        Err(Error::InvalidRequest("code_challenge is required"))
    );
    assert_eq!(
        with(&format!("&code_challenge={CHALLENGE}")),
        Err(Error::InvalidRequest(
            "code_challenge_method is required (S256)"
        ))
    );
    assert_eq!(
        with(&format!(
            "&code_challenge={CHALLENGE}&code_challenge_method=plain"
        )),
        Err(Error::InvalidRequest("code_challenge_method must be S256"))
    );
    assert_eq!(
        with("&code_challenge_method=S256"),
        Err(Error::InvalidRequest(
            "code_challenge_method without code_challenge"
        ))
    );
    let request = with(&format!(
        "&code_challenge={CHALLENGE}&code_challenge_method=S256"
    ))
    .expect("ok");
    let (_, record) = issue_code(
        &request,
        "alice",
        NOW,
        NOW,
        &mut ChaCha20Rng::seed_from_u64(1),
    );
    let redeem = |v: Option<&str>| {
        record.clone().redeem(
            &TokenRequest {
                client_id: "abc",
                redirect_uri: Some(CALLBACK),
                code_verifier: v,
            },
            NOW + 10,
        )
    };
    assert!(redeem(Some(VERIFIER)).is_ok(), "RFC 7636 Appendix B");
    for bad in [
        "a".repeat(42),
        "a".repeat(129),
        format!("{}+", "a".repeat(43)),
        format!("{} ", "a".repeat(43)),
    ] {
        assert_eq!(
            redeem(Some(&bad)).unwrap_err().code(),
            OAuthErrorCode::InvalidRequest,
            "{bad}"
        );
    }
    assert_eq!(
        redeem(None),
        Err(Error::InvalidGrant("code_verifier is required"))
    );
    assert_eq!(
        redeem(Some(&"a".repeat(43))),
        Err(Error::InvalidGrant("code_verifier does not match"))
    );
    // Downgrade: a verifier for a code issued without a challenge.
    let plain = check(&query(CALLBACK, ""), false).expect("ok");
    let (_, record) = issue_code(
        &plain,
        "alice",
        NOW,
        NOW,
        &mut ChaCha20Rng::seed_from_u64(2),
    );
    let err = record
        .redeem(
            &TokenRequest {
                client_id: "abc",
                redirect_uri: Some(CALLBACK),
                code_verifier: Some(VERIFIER),
            },
            NOW,
        )
        .unwrap_err();
    assert_eq!(
        err,
        Error::InvalidGrant("code_verifier sent for a code issued without a challenge")
    );
}

/// ★36 (the crate's part; single use is the store's consume-once).
#[test]
fn codes_are_bound_and_expire() {
    let request = check(&query(CALLBACK, "&nonce=n-1&scope=openid"), false).expect("ok");
    let (code, record) = issue_code(
        &request,
        "alice",
        NOW - 30,
        NOW,
        &mut ChaCha20Rng::seed_from_u64(3),
    );
    assert_eq!(code.expose_secret().len(), 36);
    assert_eq!(code.expose_secret().as_bytes()[14], b'4');
    assert_eq!(
        AuthorizationCode::from_client(code.expose_secret()).storage_key(),
        code.storage_key()
    );
    assert_eq!(format!("{code:?}"), "AuthorizationCode(<redacted>)");
    assert_eq!(
        (record.nonce.as_deref(), record.auth_time, record.expires_at),
        (Some("n-1"), NOW - 30, NOW + 300)
    );
    let good = TokenRequest {
        client_id: "abc",
        redirect_uri: Some(CALLBACK),
        code_verifier: None,
    };
    assert!(record.clone().redeem(&good, NOW + 300).is_ok());
    assert_eq!(
        record.clone().redeem(&good, NOW + 301),
        Err(Error::InvalidGrant("authorization code has expired"))
    );
    assert_eq!(
        record.clone().redeem(
            &TokenRequest {
                client_id: "other",
                ..good.clone()
            },
            NOW
        ),
        Err(Error::InvalidGrant(
            "authorization code was issued to another client"
        ))
    );
    for r in [
        None,
        Some("http://localhost:3000/cb"),
        Some("https://app.example.com/callback/"),
    ] {
        assert_eq!(
            record.clone().redeem(
                &TokenRequest {
                    redirect_uri: r,
                    ..good.clone()
                },
                NOW
            ),
            Err(Error::InvalidGrant(
                "redirect_uri does not match the authorization request"
            ))
        );
    }
    let (other, _) = issue_code(
        &request,
        "alice",
        NOW,
        NOW,
        &mut ChaCha20Rng::seed_from_u64(4),
    );
    assert_ne!(other.expose_secret(), code.expose_secret());
}
