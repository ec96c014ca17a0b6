//! IAM ARNs an identity pool names: roles, OpenID Connect providers and SAML providers.

use core::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, constraint};
use crate::ids::is_word;

/// Shortest and longest ARN (`ARNString` in the service model).
pub const ARN_LEN: core::ops::RangeInclusive<usize> = 20..=2048;

/// Splits `arn:<partition>:iam::<12 digits>:<kind>/<rest>` and returns `(account, rest)`.
/// The partition is `aws` or `aws-<suffix>` (`aws-cn`, `aws-us-gov`, …).
fn split_iam_arn<'a>(s: &'a str, kind: &str) -> Option<(&'a str, &'a str)> {
    if !ARN_LEN.contains(&s.len()) {
        return None;
    }
    let rest = s.strip_prefix("arn:")?;
    let (partition, rest) = rest.split_once(':')?;
    let partition_ok = partition == "aws"
        || partition.strip_prefix("aws-").is_some_and(|p| {
            !p.is_empty()
                && p.split('-')
                    .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        });
    if !partition_ok {
        return None;
    }
    let rest = rest.strip_prefix("iam::")?;
    let (account, resource) = rest.split_once(':')?;
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let rest = resource.strip_prefix(kind)?.strip_prefix('/')?;
    Some((account, rest))
}

/// An IAM role ARN: `arn:aws:iam::<12 digits>:role/<path/>name`, the name and each path
/// segment `[\w+=,.@-]+` (IAM's role-name alphabet), the name at most 64 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RoleArn(String);

impl RoleArn {
    /// Parses a role ARN; errors name the member `roleARN`.
    ///
    /// # Errors
    /// `InvalidParameter` if it is not an IAM role ARN.
    pub fn parse(s: &str) -> Result<Self> {
        Self::parse_member(s, "roleARN")
    }

    /// Parses a role ARN; errors name `member` (`roles.authenticated`, `customRoleArn`…).
    ///
    /// # Errors
    /// `InvalidParameter` if it is not an IAM role ARN.
    pub fn parse_member(s: &str, member: &str) -> Result<Self> {
        let ok = split_iam_arn(s, "role").is_some_and(|(_, path)| {
            let mut segments = path.split('/');
            let name = segments.next_back().unwrap_or_default();
            (1..=64).contains(&name.len())
                && path.split('/').all(|seg| {
                    !seg.is_empty() && seg.bytes().all(|b| is_word(b) || b"+=,.@-".contains(&b))
                })
        });
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(constraint(
                member,
                Some(s),
                "Member must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)",
            ))
        }
    }

    /// The 12-digit account.
    pub fn account(&self) -> &str {
        split_iam_arn(&self.0, "role").map_or("", |(a, _)| a)
    }

    /// The ARN.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An IAM OpenID Connect provider ARN:
/// `arn:aws:iam::<12 digits>:oidc-provider/<issuer without https://>`, e.g.
/// `…:oidc-provider/token.actions.githubusercontent.com`. The part after the slash is the
/// provider's name in `Logins`, role mappings and `amr`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OidcProviderArn(String);

impl OidcProviderArn {
    /// Parses an OIDC provider ARN.
    ///
    /// # Errors
    /// `InvalidParameter` (member `openIdConnectProviderARNs`).
    pub fn parse(s: &str) -> Result<Self> {
        let ok = split_iam_arn(s, "oidc-provider").is_some_and(|(_, name)| is_provider_host(name));
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(constraint(
                "openIdConnectProviderARNs",
                Some(s),
                "Member must be an IAM OIDC provider ARN (arn:aws:iam::<account>:oidc-provider/<issuer>)",
            ))
        }
    }

    /// The provider name: the issuer URL without `https://` (`host[:port][/path]`).
    pub fn provider_name(&self) -> &str {
        split_iam_arn(&self.0, "oidc-provider").map_or("", |(_, n)| n)
    }

    /// The issuer its ID tokens carry in `iss`: `https://` + the provider name.
    pub fn issuer(&self) -> String {
        format!("https://{}", self.provider_name())
    }

    /// The ARN.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An IAM SAML provider ARN: `arn:aws:iam::<12 digits>:saml-provider/<name>`. In `Logins`
/// the key is the ARN itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SamlProviderArn(String);

impl SamlProviderArn {
    /// Parses a SAML provider ARN (name `[\w._-]+`).
    ///
    /// # Errors
    /// `InvalidParameter` (member `samlProviderARNs`).
    pub fn parse(s: &str) -> Result<Self> {
        let ok = split_iam_arn(s, "saml-provider").is_some_and(|(_, name)| {
            !name.is_empty() && name.bytes().all(|b| is_word(b) || b"._-".contains(&b))
        });
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(constraint(
                "samlProviderARNs",
                Some(s),
                "Member must be an IAM SAML provider ARN (arn:aws:iam::<account>:saml-provider/<name>)",
            ))
        }
    }

    /// The ARN.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `host[:port][/path]` as an issuer without its scheme: no whitespace, no query or fragment,
/// a non-empty host of letters, digits, `.` and `-`.
pub(crate) fn is_provider_host(name: &str) -> bool {
    let (authority, path) = name.split_once('/').unwrap_or((name, ""));
    let host = authority.split_once(':').map_or(authority, |(h, port)| {
        if !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit()) {
            h
        } else {
            ""
        }
    });
    !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        && path
            .bytes()
            .all(|b| b.is_ascii_graphic() && !b"?#".contains(&b))
}

macro_rules! string_newtype {
    ($($name:ident),*) => {$(
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl TryFrom<String> for $name {
            type Error = Error;
            fn try_from(s: String) -> Result<Self> {
                Self::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }
    )*};
}

string_newtype!(RoleArn, OidcProviderArn, SamlProviderArn);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_arns() {
        for ok in [
            "arn:aws:iam::123456789012:role/Admin",
            "arn:aws:iam::123456789012:role/service-role/GhaCognito",
            "arn:aws-cn:iam::123456789012:role/a+b=c,d.e@f-g_h",
            "arn:aws-us-gov:iam::123456789012:role/first/second/role-name",
        ] {
            let arn = RoleArn::parse(ok).unwrap();
            assert_eq!(arn.account(), "123456789012");
            assert_eq!(arn.to_string(), ok);
        }
        for bad in [
            "arn:aws:iam::12345678901:role/Admin",
            "arn:aws:iam::123456789012:user/Admin",
            "arn:aws:iam::123456789012:role/",
            "arn:aws:iam::123456789012:role//x",
            "arn:aws:iam::123456789012:role/a b",
            "arn:aws:sts::123456789012:role/Admin",
            "arn:azure:iam::123456789012:role/Admin",
            "arn:aws-:iam::123456789012:role/Admin",
            "Admin",
        ] {
            assert!(RoleArn::parse(bad).is_err(), "{bad}");
        }
        let long = format!("arn:aws:iam::123456789012:role/{}", "r".repeat(65));
        assert!(RoleArn::parse(&long).is_err());
        assert_eq!(
            RoleArn::parse_member("x", "customRoleArn")
                .unwrap_err()
                .to_string(),
            "1 validation error detected: Value 'x' at 'customRoleArn' failed to satisfy constraint: Member must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)"
        );
    }

    #[test]
    fn oidc_provider_arns() {
        let arn =
            OidcProviderArn::parse("arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com/github_org")
                .unwrap();
        assert_eq!(
            arn.provider_name(),
            "token.actions.githubusercontent.com/github_org"
        );
        assert_eq!(
            arn.issuer(),
            "https://token.actions.githubusercontent.com/github_org"
        );
        assert!(
            OidcProviderArn::parse("arn:aws:iam::123456789012:oidc-provider/localhost:8443")
                .is_ok()
        );
        for bad in [
            "arn:aws:iam::123456789012:oidc-provider/",
            "arn:aws:iam::123456789012:oidc-provider/a b",
            "arn:aws:iam::123456789012:oidc-provider/host?x=1",
            "arn:aws:iam::123456789012:oidc-provider/host:port",
            "arn:aws:iam::123456789012:saml-provider/host",
        ] {
            assert!(OidcProviderArn::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn saml_provider_arns() {
        assert!(SamlProviderArn::parse("arn:aws:iam::123456789012:saml-provider/Okta_1").is_ok());
        assert!(SamlProviderArn::parse("arn:aws:iam::123456789012:saml-provider/a/b").is_err());
    }

    #[test]
    fn serde_round_trip_validates() {
        let arn: RoleArn = serde_json::from_str("\"arn:aws:iam::123456789012:role/R\"").unwrap();
        assert_eq!(
            serde_json::to_string(&arn).unwrap(),
            "\"arn:aws:iam::123456789012:role/R\""
        );
        assert!(serde_json::from_str::<RoleArn>("\"arn:aws:iam::1:role/R\"").is_err());
    }
}
