//! The `AssumeRoleWithWebIdentity` request, as `application/x-www-form-urlencoded` pairs.

use core::fmt;
use std::borrow::Cow;

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::arn::RoleArn;
use crate::error::{Error, Result, constraint, length};
use crate::ids::is_word;

/// The STS API version every query-protocol request names.
pub const STS_VERSION: &str = "2011-06-15";
/// The session name Cognito's enhanced flow uses (CloudTrail shows
/// `roleSessionName: CognitoIdentityCredentials`).
pub const COGNITO_ROLE_SESSION_NAME: &str = "CognitoIdentityCredentials";
/// How long the enhanced flow's credentials last: one hour.
pub const COGNITO_CREDENTIALS_SECONDS: u32 = 3600;
/// `DurationSeconds` bounds: 15 minutes to 12 hours (the role's maximum may be lower).
pub const DURATION_SECONDS: core::ops::RangeInclusive<u32> = 900..=43_200;

/// The web identity token sent to STS (our OpenID token). Secret.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct WebIdentityToken(String);

impl WebIdentityToken {
    /// Wraps a token.
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    /// The token.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for WebIdentityToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebIdentityToken(<redacted>)")
    }
}

impl PartialEq for WebIdentityToken {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
    }
}

impl Eq for WebIdentityToken {}

/// `RoleSessionName`: 2..=64 characters of `[\w+=,.@-]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RoleSessionName(String);

impl RoleSessionName {
    /// Cognito's `CognitoIdentityCredentials`.
    pub fn cognito() -> Self {
        Self(COGNITO_ROLE_SESSION_NAME.to_owned())
    }

    /// Parses a session name.
    ///
    /// # Errors
    /// `InvalidParameter`.
    pub fn parse(s: &str) -> Result<Self> {
        if !(2..=64).contains(&s.len()) {
            return Err(length("roleSessionName", Some(s), 2, 64, s.len()));
        }
        if s.bytes().all(|b| is_word(b) || b"+=,.@-".contains(&b)) {
            Ok(Self(s.to_owned()))
        } else {
            Err(constraint(
                "roleSessionName",
                Some(s),
                "Member must satisfy regular expression pattern: [\\w+=,.@-]*",
            ))
        }
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `Action=AssumeRoleWithWebIdentity`.
#[derive(Debug, PartialEq, Eq)]
pub struct AssumeRoleWithWebIdentityRequest {
    /// `RoleArn`: the resolved role.
    pub role_arn: RoleArn,
    /// `RoleSessionName`.
    pub role_session_name: RoleSessionName,
    /// `WebIdentityToken`: the OpenID token.
    pub web_identity_token: WebIdentityToken,
    /// `DurationSeconds` (STS's default, one hour, when `None`).
    pub duration_seconds: Option<u32>,
}

impl AssumeRoleWithWebIdentityRequest {
    /// The request Cognito's enhanced flow makes: session `CognitoIdentityCredentials`,
    /// one hour.
    pub fn cognito(role_arn: RoleArn, web_identity_token: WebIdentityToken) -> Self {
        Self {
            role_arn,
            role_session_name: RoleSessionName::cognito(),
            web_identity_token,
            duration_seconds: Some(COGNITO_CREDENTIALS_SECONDS),
        }
    }

    /// With another `DurationSeconds`.
    ///
    /// # Errors
    /// `InvalidParameter` outside 900..=43200.
    pub fn with_duration_seconds(mut self, seconds: u32) -> Result<Self> {
        if !DURATION_SECONDS.contains(&seconds) {
            return Err(Error::InvalidParameter(format!(
                "1 validation error detected: Value '{seconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200"
            )));
        }
        self.duration_seconds = Some(seconds);
        Ok(self)
    }

    /// The form pairs, in this order: `Action`, `Version`, `RoleArn`, `RoleSessionName`,
    /// `WebIdentityToken`, `DurationSeconds`. They borrow the token; nothing is copied.
    pub fn form_pairs(&self) -> Vec<(&'static str, Cow<'_, str>)> {
        let mut pairs = vec![
            ("Action", Cow::Borrowed("AssumeRoleWithWebIdentity")),
            ("Version", Cow::Borrowed(STS_VERSION)),
            ("RoleArn", Cow::Borrowed(self.role_arn.as_str())),
            (
                "RoleSessionName",
                Cow::Borrowed(self.role_session_name.as_str()),
            ),
            (
                "WebIdentityToken",
                Cow::Borrowed(self.web_identity_token.expose_secret()),
            ),
        ];
        if let Some(seconds) = self.duration_seconds {
            pairs.push(("DurationSeconds", Cow::Owned(seconds.to_string())));
        }
        pairs
    }

    /// The urlencoded body (it contains the token: zeroized when dropped).
    pub fn form_body(&self) -> Zeroizing<String> {
        let mut body = form_urlencoded::Serializer::new(String::new());
        for (k, v) in self.form_pairs() {
            body.append_pair(k, &v);
        }
        Zeroizing::new(body.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> AssumeRoleWithWebIdentityRequest {
        AssumeRoleWithWebIdentityRequest::cognito(
            RoleArn::parse("arn:aws:iam::123456789012:role/Cognito_Auth").unwrap(),
            WebIdentityToken::new("eyJ.a+b/c=.sig"),
        )
    }

    #[test]
    fn pairs_and_body() {
        let r = request();
        let pairs: Vec<(&str, String)> = r
            .form_pairs()
            .into_iter()
            .map(|(k, v)| (k, v.into_owned()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("Action", "AssumeRoleWithWebIdentity".to_owned()),
                ("Version", "2011-06-15".to_owned()),
                (
                    "RoleArn",
                    "arn:aws:iam::123456789012:role/Cognito_Auth".to_owned()
                ),
                ("RoleSessionName", "CognitoIdentityCredentials".to_owned()),
                ("WebIdentityToken", "eyJ.a+b/c=.sig".to_owned()),
                ("DurationSeconds", "3600".to_owned()),
            ]
        );
        assert_eq!(
            r.form_body().as_str(),
            "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FCognito_Auth&RoleSessionName=CognitoIdentityCredentials&WebIdentityToken=eyJ.a%2Bb%2Fc%3D.sig&DurationSeconds=3600"
        );
        assert!(!format!("{r:?}").contains("eyJ"));
    }

    #[test]
    fn durations_and_session_names() {
        assert!(request().with_duration_seconds(899).is_err());
        assert!(request().with_duration_seconds(43_201).is_err());
        assert_eq!(
            request()
                .with_duration_seconds(900)
                .unwrap()
                .duration_seconds,
            Some(900)
        );
        let mut r = request();
        r.duration_seconds = None;
        assert!(r.form_pairs().iter().all(|(k, _)| *k != "DurationSeconds"));
        assert!(RoleSessionName::parse("a").is_err());
        assert!(RoleSessionName::parse("a b").is_err());
        assert!(RoleSessionName::parse(&"a".repeat(65)).is_err());
        assert_eq!(
            RoleSessionName::parse("user@example.com").unwrap().as_str(),
            "user@example.com"
        );
    }
}
