//! Reading verified token claims strictly: a claim of the wrong JSON type is an error, never a
//! skipped check.

use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// A JWT claims set, already signature-verified by the caller.
pub type ClaimsMap = Map<String, Value>;

/// A required non-empty string claim.
pub(crate) fn string<'a>(claims: &'a ClaimsMap, name: &'static str) -> Result<&'a str> {
    match claims.get(name) {
        None => Err(Error::MissingClaim(name)),
        Some(Value::String(s)) if !s.is_empty() => Ok(s),
        Some(_) => Err(Error::InvalidClaim(name)),
    }
}

/// An optional NumericDate: an integer that fits `i64`; anything else is a type error.
pub(crate) fn numeric_date(claims: &ClaimsMap, name: &'static str) -> Result<Option<i64>> {
    match claims.get(name) {
        None => Ok(None),
        Some(Value::Number(n)) if !n.is_f64() => {
            n.as_i64().map(Some).ok_or(Error::InvalidClaim(name))
        }
        Some(_) => Err(Error::InvalidClaim(name)),
    }
}

/// `aud` as a list: a string, or an array of strings (RFC 7519 §4.1.3).
pub(crate) fn audiences(claims: &ClaimsMap) -> Result<Vec<&str>> {
    match claims.get("aud") {
        None => Err(Error::MissingClaim("aud")),
        Some(Value::String(s)) => Ok(vec![s.as_str()]),
        Some(Value::Array(items)) if !items.is_empty() => items
            .iter()
            .map(|v| v.as_str().ok_or(Error::InvalidClaim("aud")))
            .collect(),
        Some(_) => Err(Error::InvalidClaim("aud")),
    }
}

/// `exp` (required or not) and `nbf` against `now`.
pub(crate) fn check_time(claims: &ClaimsMap, now: i64, exp_required: bool) -> Result<()> {
    match numeric_date(claims, "exp")? {
        Some(exp) if exp <= now => return Err(Error::TokenExpired { now, exp }),
        Some(_) => {}
        None if exp_required => return Err(Error::MissingClaim("exp")),
        None => {}
    }
    if numeric_date(claims, "nbf")?.is_some_and(|nbf| nbf > now) {
        return Err(Error::TokenNotYetValid);
    }
    Ok(())
}

/// A string list claim that Cognito writes as a JSON array and documents as a
/// comma-separated string (`cognito:roles`): both are read. Absent → empty.
pub(crate) fn string_list(claims: &ClaimsMap, name: &'static str) -> Result<Vec<String>> {
    match claims.get(name) {
        None => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(s
            .split(',')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_owned)
            .collect()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or(Error::InvalidClaim(name))
            })
            .collect(),
        Some(_) => Err(Error::InvalidClaim(name)),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn map(v: Value) -> ClaimsMap {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn strings_are_strict() {
        let c = map(json!({"iss": "x", "n": 1, "e": ""}));
        assert_eq!(string(&c, "iss"), Ok("x"));
        assert_eq!(string(&c, "sub"), Err(Error::MissingClaim("sub")));
        assert_eq!(string(&c, "n"), Err(Error::InvalidClaim("n")));
        assert_eq!(string(&c, "e"), Err(Error::InvalidClaim("e")));
    }

    #[test]
    fn times() {
        let c = map(json!({"exp": 100, "nbf": 50}));
        assert_eq!(check_time(&c, 99, true), Ok(()));
        assert_eq!(
            check_time(&c, 100, true),
            Err(Error::TokenExpired { now: 100, exp: 100 })
        );
        assert_eq!(check_time(&c, 49, true), Err(Error::TokenNotYetValid));
        assert_eq!(
            check_time(&map(json!({})), 1, true),
            Err(Error::MissingClaim("exp"))
        );
        assert_eq!(check_time(&map(json!({})), 1, false), Ok(()));
        for bad in [
            json!({"exp": 1.5}),
            json!({"exp": "9"}),
            json!({"exp": u64::MAX}),
            json!({"nbf": null}),
        ] {
            assert!(matches!(
                check_time(&map(bad), 1, false),
                Err(Error::InvalidClaim(_))
            ));
        }
    }

    #[test]
    fn audience_forms() {
        assert_eq!(audiences(&map(json!({"aud": "a"}))), Ok(vec!["a"]));
        assert_eq!(
            audiences(&map(json!({"aud": ["a", "b"]}))),
            Ok(vec!["a", "b"])
        );
        assert_eq!(
            audiences(&map(json!({"aud": []}))),
            Err(Error::InvalidClaim("aud"))
        );
        assert_eq!(
            audiences(&map(json!({"aud": [1]}))),
            Err(Error::InvalidClaim("aud"))
        );
        assert_eq!(audiences(&map(json!({}))), Err(Error::MissingClaim("aud")));
    }

    #[test]
    fn role_lists_in_both_forms() {
        assert_eq!(
            string_list(&map(json!({"r": ["a", "b"]})), "r"),
            Ok(vec!["a".into(), "b".into()])
        );
        assert_eq!(
            string_list(&map(json!({"r": "a, b,"})), "r"),
            Ok(vec!["a".into(), "b".into()])
        );
        assert_eq!(string_list(&map(json!({})), "r"), Ok(vec![]));
        assert_eq!(
            string_list(&map(json!({"r": [1]})), "r"),
            Err(Error::InvalidClaim("r"))
        );
    }
}
