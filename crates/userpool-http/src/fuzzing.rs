//! Fuzzing entry points for the adapter's own parsers of attacker input, built only for
//! cargo-fuzz (`--cfg fuzzing`) and for this crate's tests (which replay the committed corpora
//! of `fuzz/corpus/sigv4` and `fuzz/corpus/hosted_http`). A normal build has no such module.
//!
//! Each function must return normally for every input; its assertions are properties.

#![allow(
    clippy::panic,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "fuzz properties assert"
)]

use std::collections::BTreeMap;

use axum::http::{HeaderMap, HeaderName, HeaderValue};
use cookie::{Cookie, SameSite};

use crate::hosted::{cookies, redirect_origin};
use crate::sigv4::{AdminCredentials, SignatureError, SignedRequest, USER_POOL_SERVICE, verify};

const NOW: i64 = 1_790_000_000;

/// How many distinct cookie names `hosted_http` looks up with `cookies::get` (a request looks
/// up a fixed handful).
const GET_CHECKS: usize = 16;

/// `name: value` lines into a header map (lines that are not a valid header are skipped).
fn headers<'a>(lines: impl Iterator<Item = &'a str>) -> HeaderMap {
    let mut map = HeaderMap::new();
    for line in lines {
        if let Some((name, value)) = line.split_once(':')
            && let Ok(name) = HeaderName::from_bytes(name.trim().as_bytes())
            && let Ok(value) = HeaderValue::from_str(value.trim_start())
        {
            map.append(name, value);
        }
    }
    map
}

/// SigV4: the input is `METHOD\nPATH?QUERY\n` header lines, a blank line, then the body.
/// Nothing the fuzzer writes is signed with the server's secret, so nothing verifies; the
/// refusal is the exact one the header's shape calls for.
pub fn sigv4(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let method = lines.next().unwrap_or_default();
    let target = lines.next().unwrap_or_default();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let map = headers(lines);
    let request = SignedRequest {
        method,
        path,
        query,
        headers: &map,
        body: body.as_bytes(),
    };
    let credentials = [AdminCredentials::new("AKIDEXAMPLE", "secret")];
    let result = verify(&credentials, USER_POOL_SERVICE, "us-east-1", &request, NOW);
    let authorization = map.get("authorization");
    match authorization.map(HeaderValue::to_str) {
        None | Some(Err(_)) => assert_eq!(result, Err(SignatureError::Missing)),
        Some(Ok(a)) if !a.starts_with("AWS4-HMAC-SHA256 ") => {
            assert_eq!(result, Err(SignatureError::Malformed));
        }
        Some(Ok(_)) => assert!(result.is_err(), "a signature nobody made verified"),
    }
}

/// The hosted UI's `Cookie` header and form-action origin: cookies read back as the adapter
/// writes them, and a form-action source never carries what would split or end the CSP
/// directive.
pub fn hosted_http(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (cookie_header, query) = text.split_once('\n').unwrap_or((&text, ""));
    let mut map = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(cookie_header) {
        map.append("cookie", value);
    }
    let read = cookies::all(&map);
    // `get` parses the whole header again, so checking it for every cookie would make the
    // harness quadratic in the header's length: it is checked against the first occurrence
    // of at most `GET_CHECKS` distinct names; every cookie still round-trips through `set`.
    let mut first: BTreeMap<&str, &str> = BTreeMap::new();
    for cookie in &read {
        first.entry(cookie.name()).or_insert_with(|| cookie.value());
    }
    for (name, value) in first.iter().take(GET_CHECKS) {
        assert_eq!(
            cookies::get(&map, name).as_deref(),
            Some(*value),
            "a cookie read is not found by name, or not its first occurrence"
        );
    }
    for cookie in &read {
        let written = cookies::set(cookie.name(), cookie.value(), 60, SameSite::Lax, true);
        if let Ok(back) = Cookie::parse(written.as_str()) {
            assert_eq!(
                (back.name(), back.value()),
                (cookie.name(), cookie.value()),
                "a cookie does not read back as written"
            );
        }
    }
    let csrf = cookies::get(&map, &cookies::csrf_name(true));
    assert_eq!(
        cookies::csrf_ok(csrf.as_deref(), csrf.as_deref()),
        csrf.as_deref().is_some_and(|c| !c.is_empty())
    );
    if let Some(origin) = redirect_origin(query) {
        assert!(
            !origin.contains(|c: char| c.is_whitespace()
                || c.is_control()
                || matches!(c, ';' | ',' | '\'' | '"')),
            "a form-action source that splits the directive: {origin:?}"
        );
    }
}

#[cfg(test)]
mod tests {
    /// Replays `fuzz/corpus/<target>` through `run`.
    fn replay(target: &str, run: fn(&[u8])) -> usize {
        let dir = format!("{}/../../fuzz/corpus/{target}", env!("CARGO_MANIFEST_DIR"));
        let mut count = 0;
        for entry in std::fs::read_dir(&dir).expect("corpus directory") {
            run(&std::fs::read(entry.expect("entry").path()).expect("corpus file"));
            count += 1;
        }
        count
    }

    #[test]
    fn sigv4_corpus() {
        assert!(replay("sigv4", super::sigv4) >= 8);
    }

    #[test]
    fn hosted_http_corpus() {
        assert!(replay("hosted_http", super::hosted_http) >= 8);
    }
}
