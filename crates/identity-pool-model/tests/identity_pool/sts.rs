//! STS fixtures (`tests/vectors/`, provenance in each file's header comment).

use identity_pool_model::sts::*;
use identity_pool_model::{Error, RoleArn};

const SUCCESS: &str = include_str!("../vectors/sts_assume_role_with_web_identity.xml");
const REFUSAL: &str = include_str!("../vectors/sts_error_response.xml");

#[test]
fn success_fixture() {
    let r = parse_assume_role_with_web_identity_response(SUCCESS.as_bytes()).unwrap();
    assert_eq!(r.credentials.access_key_id, "ASIAIOSFODNN7EXAMPLE");
    assert_eq!(
        r.credentials.secret_key.expose_secret(),
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
    );
    assert_eq!(
        r.credentials.session_token.expose_secret(),
        "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQDEXAMPLE+sessiontoken/Q=="
    );
    // 2026-07-14T09:30:00Z
    assert_eq!(r.credentials.expiration, 1_784_021_400);
    assert_eq!(
        r.subject_from_web_identity_token.as_deref(),
        Some("us-east-1:0d7f4c1e-3b5a-4c89-9f3e-1a2b3c4d5e6f")
    );
    assert_eq!(
        r.assumed_role_user,
        Some(AssumedRoleUser {
            arn: "arn:aws:sts::123456789012:assumed-role/Cognito_DemoAuth_Role/CognitoIdentityCredentials".into(),
            assumed_role_id: "AROACLKWSDQRAOEXAMPLE:CognitoIdentityCredentials".into(),
        })
    );
    assert_eq!(
        r.provider.as_deref(),
        Some("cognito-identity.amazonaws.com")
    );
    assert_eq!(
        r.audience.as_deref(),
        Some("us-east-1:4a1c8bd2-3f57-4a3e-9b0b-5d8c1c7e2f10")
    );
    assert_eq!(r.packed_policy_size, Some(6));
    assert_eq!(r.source_identity.as_deref(), Some("alice&co"));
    assert_eq!(
        r.request_id.as_deref(),
        Some("ad4156e9-bce1-11e2-82e6-6b6efEXAMPLE")
    );
    // The secrets stay out of Debug.
    let dbg = format!("{r:?}");
    assert!(!dbg.contains("wJalr") && !dbg.contains("IQoJ"));
    // And reach Cognito's wire shape only through the explicit function.
    let wire = r.credentials.to_wire_json();
    assert_eq!(
        wire["SecretKey"],
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
    );
    assert_eq!(wire["Expiration"], 1_784_021_400);
}

#[test]
fn error_fixture() {
    let err = parse_assume_role_with_web_identity_response(REFUSAL.as_bytes()).unwrap_err();
    assert_eq!(
        err,
        Error::StsRefused(StsErrorResponse {
            kind: Some("Sender".into()),
            code: "AccessDenied".into(),
            message: "Not authorized to perform sts:AssumeRoleWithWebIdentity".into(),
            request_id: Some("4fc0d3ee-efef-11e9-9282-3b7bffe54a9b".into()),
        })
    );
    assert_eq!(
        err.exception_name(),
        "InvalidIdentityPoolConfigurationException"
    );
    assert_eq!(
        err.to_string(),
        "Invalid identity pool configuration. Check assigned IAM roles for this pool."
    );
}

#[test]
fn hostile_variants_of_the_fixture() {
    let variants = [
        SUCCESS.replacen("<AssumeRoleWithWebIdentityResponse", "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><AssumeRoleWithWebIdentityResponse", 1),
        SUCCESS.replace("alice&amp;co", "&e;"),
        SUCCESS.replace("<AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>", "<AccessKeyId>A</AccessKeyId><AccessKeyId>B</AccessKeyId>"),
        format!("{SUCCESS}<AssumeRoleWithWebIdentityResponse/>"),
        SUCCESS.replace("</AssumeRoleWithWebIdentityResponse>", ""),
    ];
    for body in variants {
        assert!(
            matches!(
                parse_assume_role_with_web_identity_response(body.as_bytes()),
                Err(Error::StsMalformed(_))
            ),
            "{body}"
        );
    }
}

#[test]
fn the_request_cognito_sends() {
    let req = AssumeRoleWithWebIdentityRequest::cognito(
        RoleArn::parse("arn:aws:iam::123456789012:role/Cognito_DemoAuth_Role").unwrap(),
        WebIdentityToken::new("eyJraWQiOiJ1cy1lYXN0LTEtNiIsImFsZyI6IlJTNTEyIn0.e30.c2ln"),
    );
    let body = req.form_body();
    let pairs: Vec<(String, String)> = form_urlencoded_pairs(&body);
    assert_eq!(
        pairs[0],
        ("Action".into(), "AssumeRoleWithWebIdentity".into())
    );
    assert_eq!(pairs[1], ("Version".into(), STS_VERSION.into()));
    assert_eq!(
        pairs[3],
        ("RoleSessionName".into(), COGNITO_ROLE_SESSION_NAME.into())
    );
    assert_eq!(
        pairs[4].1,
        "eyJraWQiOiJ1cy1lYXN0LTEtNiIsImFsZyI6IlJTNTEyIn0.e30.c2ln"
    );
    assert_eq!(pairs[5], ("DurationSeconds".into(), "3600".into()));
}

/// Splits `a=b&c=d` with percent-decoding, independently of the crate's encoder.
fn form_urlencoded_pairs(body: &str) -> Vec<(String, String)> {
    fn decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'%' => {
                    out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                    i += 3;
                }
                b'+' => {
                    out.push(b' ');
                    i += 1;
                }
                b => {
                    out.push(b);
                    i += 1;
                }
            }
        }
        String::from_utf8(out).unwrap()
    }
    body.split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (decode(k), decode(v))
        })
        .collect()
}
