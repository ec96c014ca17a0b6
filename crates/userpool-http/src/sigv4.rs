//! Verifying AWS Signature Version 4 on the actions Cognito signs (Admin*, pool management;
//! identity pools' management and developer operations): the canonical request is rebuilt
//! from what arrived, signed with the configured secret, and compared in constant time. The
//! credential scope must name the service the action belongs to (`cognito-idp` or
//! `cognito-identity`) and the service's region.

use core::fmt;
use std::borrow::Cow;

use axum::http::HeaderMap;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// An access key the server accepts for signed actions: zeroized on drop, redacted in
/// `Debug` (the secret), not comparable, not serializable. `Clone` stays: it is a long-lived
/// credential of the server's configuration, which the router's state holds.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct AdminCredentials {
    access_key_id: String,
    secret_access_key: String,
}

impl AdminCredentials {
    /// A key pair.
    pub fn new(access_key_id: impl Into<String>, secret_access_key: impl Into<String>) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
        }
    }

    /// `KEY:SECRET`, as the server example's `--admin-credentials` takes it.
    pub fn parse(pair: &str) -> Option<Self> {
        let (key, secret) = pair.split_once(':')?;
        (!key.is_empty() && !secret.is_empty()).then(|| Self::new(key, secret))
    }

    /// The access key id.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret (for the one place that hands a generated key to its operator: a 0600 file).
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }
}

impl fmt::Debug for AdminCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AdminCredentials")
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

/// The SigV4 service name of user-pool actions.
pub(crate) const USER_POOL_SERVICE: &str = "cognito-idp";
/// The SigV4 service name of identity-pool actions.
pub(crate) const IDENTITY_SERVICE: &str = "cognito-identity";

/// Why a signature was refused (each is an AWS common error).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignatureError {
    /// No `Authorization` header.
    Missing,
    /// Not a well-formed SigV4 `Authorization`, or a required header absent.
    Malformed,
    /// An access key this server does not know.
    UnknownKey,
    /// The signature does not match.
    Mismatch,
    /// `X-Amz-Date` is more than 15 minutes away.
    Expired,
    /// A header every signed Cognito request must sign is not among `SignedHeaders`.
    UnsignedHeader,
    /// The credential scope names another service than this one.
    WrongService(&'static str),
    /// The credential scope names another region.
    WrongRegion,
}

impl SignatureError {
    pub(crate) fn exception(self) -> (&'static str, Cow<'static, str>) {
        let (exception, message) = match self {
            Self::Missing => (
                "MissingAuthenticationTokenException",
                "Missing Authentication Token",
            ),
            Self::Malformed => (
                "IncompleteSignatureException",
                "The request signature does not conform to AWS standards.",
            ),
            Self::UnknownKey => (
                "UnrecognizedClientException",
                "The security token included in the request is invalid.",
            ),
            Self::Mismatch => (
                "InvalidSignatureException",
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
            ),
            Self::Expired => (
                "InvalidSignatureException",
                "Signature expired: the request time is too far from the server time.",
            ),
            Self::UnsignedHeader => (
                "InvalidSignatureException",
                "The request must sign the host, x-amz-date, x-amz-target and content-type headers.",
            ),
            Self::WrongService(service) => {
                return (
                    "InvalidSignatureException",
                    Cow::Owned(format!(
                        "Credential should be scoped to correct service: '{service}'."
                    )),
                );
            }
            Self::WrongRegion => (
                "InvalidSignatureException",
                "Credential should be scoped to a valid region.",
            ),
        };
        (exception, Cow::Borrowed(message))
    }
}

type HmacSha256 = Hmac<Sha256>;

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = <HmacSha256 as KeyInit>::new_from_slice(key)
        .unwrap_or_else(|_| <HmacSha256 as KeyInit>::new(&Default::default()));
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// RFC 3986 encoding of one path segment, as SigV4's canonical URI wants it.
fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Unix seconds of an `X-Amz-Date` (`YYYYMMDD'T'HHMMSS'Z'`).
fn parse_amz_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 16 || b.get(8) != Some(&b'T') || b.get(15) != Some(&b'Z') {
        return None;
    }
    let num = |r: core::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (h, mi, se) = (num(9..11)?, num(11..13)?, num(13..15)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3600 + mi * 60 + se)
}

/// The headers a signed Cognito request must have signed (the SDKs and the CLI sign them all):
/// without `x-amz-target` and `content-type` in the signature, a captured request could be
/// replayed as another action within its 15 minutes.
const REQUIRED_SIGNED_HEADERS: [&str; 4] = ["host", "x-amz-date", "x-amz-target", "content-type"];

/// The parts of an `Authorization: AWS4-HMAC-SHA256 …` header.
struct Authorization<'a> {
    key_id: &'a str,
    date: &'a str,
    region: &'a str,
    service: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
}

/// What of a request a signature covers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SignedRequest<'a> {
    pub(crate) method: &'a str,
    pub(crate) path: &'a str,
    pub(crate) query: &'a str,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) body: &'a [u8],
}

/// Verifies a signed Cognito action: SigV4 for `service` ([`USER_POOL_SERVICE`] or
/// [`IDENTITY_SERVICE`]) in `region`, signing at least [`REQUIRED_SIGNED_HEADERS`]. Returns
/// the access key id that signed it.
pub(crate) fn verify(
    credentials: &[AdminCredentials],
    service: &'static str,
    region: &str,
    request: &SignedRequest<'_>,
    now: i64,
) -> Result<String, SignatureError> {
    let auth = parse_authorization(request.headers)?;
    if !credentials.iter().any(|c| c.access_key_id == auth.key_id) {
        return Err(SignatureError::UnknownKey);
    }
    let signed: Vec<&str> = auth.signed_headers.split(';').collect();
    if REQUIRED_SIGNED_HEADERS.iter().any(|h| !signed.contains(h)) {
        return Err(SignatureError::UnsignedHeader);
    }
    if auth.service != service {
        return Err(SignatureError::WrongService(service));
    }
    if auth.region != region {
        return Err(SignatureError::WrongRegion);
    }
    verify_signature(credentials, request, now)
}

fn parse_authorization(headers: &HeaderMap) -> Result<Authorization<'_>, SignatureError> {
    let authorization = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .ok_or(SignatureError::Missing)?;
    let rest = authorization
        .strip_prefix("AWS4-HMAC-SHA256 ")
        .ok_or(SignatureError::Malformed)?;
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for part in rest.split(',') {
        let part = part.trim();
        if let Some(v) = part.strip_prefix("Credential=") {
            credential = Some(v);
        } else if let Some(v) = part.strip_prefix("SignedHeaders=") {
            signed_headers = Some(v);
        } else if let Some(v) = part.strip_prefix("Signature=") {
            signature = Some(v);
        }
    }
    let (Some(credential), Some(signed_headers), Some(signature)) =
        (credential, signed_headers, signature)
    else {
        return Err(SignatureError::Malformed);
    };
    let mut scope_parts = credential.splitn(5, '/');
    let key_id = scope_parts.next().ok_or(SignatureError::Malformed)?;
    let date = scope_parts.next().ok_or(SignatureError::Malformed)?;
    let region = scope_parts.next().ok_or(SignatureError::Malformed)?;
    let service = scope_parts.next().ok_or(SignatureError::Malformed)?;
    if scope_parts.next() != Some("aws4_request") {
        return Err(SignatureError::Malformed);
    }
    Ok(Authorization {
        key_id,
        date,
        region,
        service,
        signed_headers,
        signature,
    })
}

/// Verifies any SigV4 signature (whatever its scope and signed headers): the canonical
/// request rebuilt from what arrived, signed with the key's secret, compared in constant time.
fn verify_signature(
    credentials: &[AdminCredentials],
    request: &SignedRequest<'_>,
    now: i64,
) -> Result<String, SignatureError> {
    let SignedRequest {
        method,
        path,
        query,
        headers,
        body,
    } = *request;
    let Authorization {
        key_id,
        date,
        region,
        service,
        signed_headers,
        signature,
    } = parse_authorization(headers)?;
    let secret = credentials
        .iter()
        .find(|c| c.access_key_id == key_id)
        .ok_or(SignatureError::UnknownKey)?;
    let amz_date = headers
        .get("x-amz-date")
        .and_then(|v| v.to_str().ok())
        .ok_or(SignatureError::Malformed)?;
    let when = parse_amz_date(amz_date).ok_or(SignatureError::Malformed)?;
    if (now - when).abs() > 15 * 60 {
        return Err(SignatureError::Expired);
    }
    if !amz_date.starts_with(date) {
        return Err(SignatureError::Malformed);
    }
    let names: Vec<&str> = signed_headers.split(';').collect();
    if !names.contains(&"host") {
        return Err(SignatureError::Malformed);
    }
    let mut canonical_headers = String::new();
    for name in &names {
        let values: Vec<String> = headers
            .get_all(*name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        if values.is_empty() {
            return Err(SignatureError::Malformed);
        }
        canonical_headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    let canonical_uri = if path.is_empty() {
        "/".to_owned()
    } else {
        path.split('/')
            .map(encode_segment)
            .collect::<Vec<_>>()
            .join("/")
    };
    let mut query_pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|q| !q.is_empty())
        .map(|q| {
            let (k, v) = q.split_once('=').unwrap_or((q, ""));
            (k.to_owned(), v.to_owned())
        })
        .collect();
    query_pairs.sort();
    let canonical_query = query_pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let payload_hash = hex::encode(Sha256::digest(body));
    let canonical_request = format!(
        "{method}\n{canonical_uri}\n{canonical_query}\n{canonical_headers}\n{signed_headers}\n{payload_hash}"
    );
    let scope = format!("{date}/{region}/{service}/aws4_request");
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex::encode(Sha256::digest(canonical_request.as_bytes()))
    );
    let k_date = hmac(
        format!("AWS4{}", secret.secret_access_key).as_bytes(),
        date.as_bytes(),
    );
    let k_region = hmac(&k_date, region.as_bytes());
    let k_service = hmac(&k_region, service.as_bytes());
    let k_signing = hmac(&k_service, b"aws4_request");
    let expected = hex::encode(hmac(&k_signing, string_to_sign.as_bytes()));
    if bool::from(expected.as_bytes().ct_eq(signature.as_bytes())) {
        Ok(key_id.to_owned())
    } else {
        Err(SignatureError::Mismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get<'a>(headers: &'a HeaderMap, body: &'a [u8]) -> SignedRequest<'a> {
        SignedRequest {
            method: "GET",
            path: "/",
            query: "",
            headers,
            body,
        }
    }

    static_assertions::assert_not_impl_any!(AdminCredentials: serde::Serialize, PartialEq);
    static_assertions::assert_impl_all!(AdminCredentials: ZeroizeOnDrop);

    /// AWS's documented example (the `get-vanilla` test of the SigV4 suite).
    #[test]
    fn aws_test_suite_get_vanilla() {
        let mut headers = HeaderMap::new();
        headers.insert("host", "example.amazonaws.com".parse().unwrap());
        headers.insert("x-amz-date", "20150830T123600Z".parse().unwrap());
        headers.insert(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
                .parse()
                .unwrap(),
        );
        let creds = [AdminCredentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        )];
        let now = parse_amz_date("20150830T123600Z").unwrap();
        assert_eq!(
            verify_signature(&creds, &get(&headers, b""), now).as_deref(),
            Ok("AKIDEXAMPLE")
        );
        assert_eq!(
            verify_signature(&creds, &get(&headers, b"x"), now),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify_signature(&creds, &get(&headers, b""), now + 3600),
            Err(SignatureError::Expired)
        );
        let other = [AdminCredentials::new("AKIDOTHER", "x")];
        assert_eq!(
            verify_signature(&other, &get(&headers, b""), now),
            Err(SignatureError::UnknownKey)
        );
        assert_eq!(
            verify(
                &creds,
                USER_POOL_SERVICE,
                "us-east-1",
                &get(&headers, b""),
                now
            ),
            Err(SignatureError::UnsignedHeader),
            "a Cognito action must sign x-amz-target and content-type"
        );
        headers.remove("authorization");
        assert_eq!(
            verify_signature(&creds, &get(&headers, b""), now),
            Err(SignatureError::Missing)
        );
        assert_eq!(parse_amz_date("20150830T123600Z"), Some(1_440_938_160));
        assert_eq!(parse_amz_date("2015-08-30"), None);
    }

    /// The scope must name the service the action belongs to: a user-pool signature is not an
    /// identity-pool one, and the refusal names the service expected.
    #[test]
    fn the_scope_names_the_expected_service() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/cognito-idp/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=00"
                .parse()
                .unwrap(),
        );
        let creds = [AdminCredentials::new("AKIDEXAMPLE", "secret")];
        let refused = verify(
            &creds,
            IDENTITY_SERVICE,
            "us-east-1",
            &get(&headers, b""),
            0,
        );
        assert_eq!(refused, Err(SignatureError::WrongService(IDENTITY_SERVICE)));
        assert_eq!(
            refused.unwrap_err().exception(),
            (
                "InvalidSignatureException",
                Cow::Borrowed(
                    "Credential should be scoped to correct service: 'cognito-identity'."
                )
            )
        );
        assert_eq!(
            verify(
                &creds,
                USER_POOL_SERVICE,
                "eu-west-1",
                &get(&headers, b""),
                0
            ),
            Err(SignatureError::WrongRegion)
        );
    }
}
