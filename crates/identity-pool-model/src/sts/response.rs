//! The answer to `AssumeRoleWithWebIdentity`: credentials and who STS saw, or an
//! `ErrorResponse`.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::StsErrorResponse;
use super::xml::{self, Element};
use crate::credentials::{Credentials, SecretKey, SessionToken};
use crate::error::{Error, Result};

/// Largest STS answer read (session tokens are a few KiB; STS makes no size promise, so the
/// bound is generous).
pub const MAX_STS_RESPONSE_LEN: usize = 64 * 1024;
/// STS's XML namespace. A root that declares another default namespace is refused.
pub const STS_NAMESPACE: &str = "https://sts.amazonaws.com/doc/2011-06-15/";

/// The role session STS created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumedRoleUser {
    /// `Arn` (`arn:aws:sts::<acct>:assumed-role/<role>/<session>`).
    pub arn: String,
    /// `AssumedRoleId` (`<role id>:<session>`).
    pub assumed_role_id: String,
}

/// `AssumeRoleWithWebIdentityResult`.
#[derive(Debug, PartialEq, Eq)]
pub struct AssumeRoleWithWebIdentityResult {
    /// `Credentials` (STS's `SecretAccessKey` becomes [`Credentials::secret_key`]).
    pub credentials: Credentials,
    /// `SubjectFromWebIdentityToken`: the token's `sub` (the identity id). Real STS always
    /// sends it; some emulators do not.
    pub subject_from_web_identity_token: Option<String>,
    /// `AssumedRoleUser`.
    pub assumed_role_user: Option<AssumedRoleUser>,
    /// `Provider`: the token's `iss` (without the scheme).
    pub provider: Option<String>,
    /// `Audience`: the token's `aud`.
    pub audience: Option<String>,
    /// `PackedPolicySize`.
    pub packed_policy_size: Option<u32>,
    /// `SourceIdentity`.
    pub source_identity: Option<String>,
    /// `ResponseMetadata/RequestId`.
    pub request_id: Option<String>,
}

/// Parses STS's answer to `AssumeRoleWithWebIdentity`, whatever the HTTP status was.
///
/// # Errors
/// [`Error::StsRefused`] for an `ErrorResponse`; [`Error::StsMalformed`] for anything else
/// that is not exactly a well-formed answer (larger than [`MAX_STS_RESPONSE_LEN`], not UTF-8,
/// a DTD or unknown entity, another root or namespace, a required member missing or
/// repeated, an `Expiration` that is not RFC 3339).
pub fn parse_assume_role_with_web_identity_response(
    body: &[u8],
) -> Result<AssumeRoleWithWebIdentityResult> {
    if body.len() > MAX_STS_RESPONSE_LEN {
        return Err(Error::StsMalformed("the response is too large"));
    }
    let text =
        std::str::from_utf8(body).map_err(|_| Error::StsMalformed("the response is not UTF-8"))?;
    let root = xml::parse(text).map_err(Error::StsMalformed)?;
    if root.xmlns.as_deref().is_some_and(|ns| ns != STS_NAMESPACE) {
        return Err(Error::StsMalformed(
            "the response is not in the STS namespace",
        ));
    }
    match root.name.as_str() {
        "AssumeRoleWithWebIdentityResponse" => result(&root).map_err(Error::StsMalformed),
        "ErrorResponse" => {
            Err(error_response(&root).map_or_else(Error::StsMalformed, Error::StsRefused))
        }
        _ => Err(Error::StsMalformed("unexpected root element")),
    }
}

fn result(root: &Element) -> core::result::Result<AssumeRoleWithWebIdentityResult, &'static str> {
    let r = root.required("AssumeRoleWithWebIdentityResult")?;
    let c = r.required("Credentials")?;
    let expiration = c.required_text("Expiration")?;
    let expiration = OffsetDateTime::parse(expiration.trim(), &Rfc3339)
        .map_err(|_| "Expiration is not an RFC 3339 time")?
        .unix_timestamp();
    let access_key_id = non_empty(c.required_text("AccessKeyId")?)?;
    let credentials = Credentials {
        access_key_id,
        secret_key: SecretKey::new(non_empty(c.required_text("SecretAccessKey")?)?),
        session_token: SessionToken::new(non_empty(c.required_text("SessionToken")?)?),
        expiration,
    };
    let assumed_role_user = match r.child("AssumedRoleUser")? {
        None => None,
        Some(u) => Some(AssumedRoleUser {
            arn: u.required_text("Arn")?,
            assumed_role_id: u.required_text("AssumedRoleId")?,
        }),
    };
    let packed_policy_size = match r.text_of("PackedPolicySize")? {
        None => None,
        Some(n) => Some(
            n.trim()
                .parse()
                .map_err(|_| "PackedPolicySize is not a number")?,
        ),
    };
    let request_id = match root.child("ResponseMetadata")? {
        None => None,
        Some(m) => m.text_of("RequestId")?,
    };
    Ok(AssumeRoleWithWebIdentityResult {
        credentials,
        subject_from_web_identity_token: r.text_of("SubjectFromWebIdentityToken")?,
        assumed_role_user,
        provider: r.text_of("Provider")?,
        audience: r.text_of("Audience")?,
        packed_policy_size,
        source_identity: r.text_of("SourceIdentity")?,
        request_id,
    })
}

fn error_response(root: &Element) -> core::result::Result<StsErrorResponse, &'static str> {
    let e = root.required("Error")?;
    Ok(StsErrorResponse {
        kind: e.text_of("Type")?,
        code: non_empty(e.required_text("Code")?)?,
        message: e.text_of("Message")?.unwrap_or_default(),
        request_id: root.text_of("RequestId")?,
    })
}

fn non_empty(s: String) -> core::result::Result<String, &'static str> {
    let trimmed = s.trim();
    if trimmed.is_empty() {
        Err("a required element is empty")
    } else if trimmed.len() == s.len() {
        Ok(s)
    } else {
        Ok(trimmed.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &str = r#"<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <Credentials>
      <SessionToken>FwoGZXIvYXdzEXAMPLE</SessionToken>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY</SecretAccessKey>
      <Expiration>2026-01-01T01:00:00Z</Expiration>
      <AccessKeyId>ASIAEXAMPLE</AccessKeyId>
    </Credentials>
    <SubjectFromWebIdentityToken>us-east-1:1111</SubjectFromWebIdentityToken>
  </AssumeRoleWithWebIdentityResult>
</AssumeRoleWithWebIdentityResponse>"#;

    #[test]
    fn minimal_answer() {
        let r = parse_assume_role_with_web_identity_response(OK.as_bytes()).unwrap();
        assert_eq!(r.credentials.access_key_id, "ASIAEXAMPLE");
        assert_eq!(r.credentials.expiration, 1_767_229_200);
        assert_eq!(
            r.subject_from_web_identity_token.as_deref(),
            Some("us-east-1:1111")
        );
        assert_eq!(r.assumed_role_user, None);
    }

    #[test]
    fn malformed_answers() {
        let cases = [
            (OK.replace("2026-01-01T01:00:00Z", "2026-01-01 01:00"), "Expiration is not an RFC 3339 time"),
            (OK.replace("<AccessKeyId>ASIAEXAMPLE</AccessKeyId>", ""), "a required element is missing"),
            (OK.replace("<AccessKeyId>ASIAEXAMPLE</AccessKeyId>", "<AccessKeyId> </AccessKeyId>"), "a required element is empty"),
            (OK.replace("sts.amazonaws.com/doc/2011-06-15/", "evil.example/"), "the response is not in the STS namespace"),
            (OK.replace("AssumeRoleWithWebIdentityResponse", "AssumeRoleResponse"), "unexpected root element"),
            (OK.replace("<SubjectFromWebIdentityToken>", "<SubjectFromWebIdentityToken>x</SubjectFromWebIdentityToken><SubjectFromWebIdentityToken>"), "an element appears twice"),
        ];
        for (body, why) in cases {
            assert_eq!(
                parse_assume_role_with_web_identity_response(body.as_bytes()).unwrap_err(),
                Error::StsMalformed(why)
            );
        }
        assert_eq!(
            parse_assume_role_with_web_identity_response(&[0xff, 0xfe]).unwrap_err(),
            Error::StsMalformed("the response is not UTF-8")
        );
        let big = vec![b' '; MAX_STS_RESPONSE_LEN + 1];
        assert_eq!(
            parse_assume_role_with_web_identity_response(&big).unwrap_err(),
            Error::StsMalformed("the response is too large")
        );
    }

    #[test]
    fn error_without_code_is_malformed() {
        let body = "<ErrorResponse><Error><Message>m</Message></Error></ErrorResponse>";
        assert_eq!(
            parse_assume_role_with_web_identity_response(body.as_bytes()).unwrap_err(),
            Error::StsMalformed("a required element is missing")
        );
    }
}
