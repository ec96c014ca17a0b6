//! The ListUsers filter language: `attribute = "value"` or `attribute ^= "value"`.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::standard_attribute::StandardAttribute;
use crate::user::{User, UserStatus};
use crate::username::CaseRule;

/// Longest filter accepted, in characters.
pub const MAX_FILTER_LEN: usize = 256;

/// An attribute ListUsers can search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FilterAttribute {
    /// `username` (the internal username, never an alias).
    Username,
    /// `email`.
    Email,
    /// `phone_number`.
    PhoneNumber,
    /// `name`.
    Name,
    /// `given_name`.
    GivenName,
    /// `family_name`.
    FamilyName,
    /// `preferred_username`.
    PreferredUsername,
    /// `cognito:user_status` (case-insensitive).
    UserStatus,
    /// `status`: `Enabled` / `Disabled`.
    Status,
    /// `sub`.
    Sub,
}

impl FilterAttribute {
    /// The attribute named `name` in a filter.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "username" => Self::Username,
            "email" => Self::Email,
            "phone_number" => Self::PhoneNumber,
            "name" => Self::Name,
            "given_name" => Self::GivenName,
            "family_name" => Self::FamilyName,
            "preferred_username" => Self::PreferredUsername,
            "cognito:user_status" => Self::UserStatus,
            "status" => Self::Status,
            "sub" => Self::Sub,
            _ => return None,
        })
    }

    /// The standard attribute it reads (`None` for username, statuses).
    pub fn attribute(self) -> Option<StandardAttribute> {
        Some(match self {
            Self::Email => StandardAttribute::Email,
            Self::PhoneNumber => StandardAttribute::PhoneNumber,
            Self::Name => StandardAttribute::Name,
            Self::GivenName => StandardAttribute::GivenName,
            Self::FamilyName => StandardAttribute::FamilyName,
            Self::PreferredUsername => StandardAttribute::PreferredUsername,
            Self::Sub => StandardAttribute::Sub,
            Self::Username | Self::UserStatus | Self::Status => return None,
        })
    }

    /// The name of the user attribute it reads (`None` for username, statuses).
    pub fn attribute_name(self) -> Option<&'static str> {
        self.attribute().map(StandardAttribute::name)
    }
}

/// `=` or `^=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FilterOp {
    /// Exact match.
    Equals,
    /// Prefix match.
    StartsWith,
}

/// A parsed filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    /// What is searched.
    pub attribute: FilterAttribute,
    /// How.
    pub op: FilterOp,
    /// The value, unescaped.
    pub value: String,
}

impl Filter {
    /// Parses a filter; the empty (or all-whitespace) filter is `None` (all users).
    ///
    /// ```
    /// use user_pool_model::{Filter, FilterAttribute, FilterOp};
    /// let f = Filter::parse(r#"email ^= "user12""#).unwrap().unwrap();
    /// assert_eq!((f.attribute, f.op, f.value.as_str()), (FilterAttribute::Email, FilterOp::StartsWith, "user12"));
    /// assert_eq!(Filter::parse(r#"name = "say \"hi\"""#).unwrap().unwrap().value, r#"say "hi""#);
    /// assert!(Filter::parse("").unwrap().is_none());
    /// ```
    pub fn parse(s: &str) -> Result<Option<Self>> {
        if s.chars().count() > MAX_FILTER_LEN {
            return Err(Error::FilterSyntax);
        }
        let s = s.trim();
        if s.is_empty() {
            return Ok(None);
        }
        let name_end = s
            .find(|c: char| c.is_whitespace() || c == '=' || c == '^')
            .ok_or(Error::FilterSyntax)?;
        let (name, rest) = s.split_at(name_end);
        let rest = rest.trim_start();
        let (op, rest) = if let Some(r) = rest.strip_prefix("^=") {
            (FilterOp::StartsWith, r)
        } else if let Some(r) = rest.strip_prefix('=') {
            (FilterOp::Equals, r)
        } else {
            return Err(Error::FilterSyntax);
        };
        let attribute = FilterAttribute::from_name(name)
            .ok_or_else(|| Error::FilterAttribute(name.to_owned()))?;
        let mut chars = rest.trim_start().chars();
        if chars.next() != Some('"') {
            return Err(Error::FilterSyntax);
        }
        let mut value = String::new();
        loop {
            match chars.next() {
                None => return Err(Error::FilterSyntax),
                Some('"') => break,
                Some('\\') => match chars.next() {
                    Some('"') => value.push('"'),
                    Some('\\') => value.push('\\'),
                    Some(other) => {
                        value.push('\\');
                        value.push(other);
                    }
                    None => return Err(Error::FilterSyntax),
                },
                Some(c) => value.push(c),
            }
        }
        if !chars.as_str().trim().is_empty() {
            return Err(Error::FilterSyntax);
        }
        Ok(Some(Self {
            attribute,
            op,
            value,
        }))
    }

    /// Whether the filter compares case-insensitively in a pool with `case_rule`:
    /// `cognito:user_status` always; username, email and preferred_username when the pool is.
    pub fn case_insensitive(&self, case_rule: CaseRule) -> bool {
        match self.attribute {
            FilterAttribute::UserStatus => true,
            FilterAttribute::Username
            | FilterAttribute::Email
            | FilterAttribute::PreferredUsername => case_rule == CaseRule::Insensitive,
            _ => false,
        }
    }

    /// The form a value of the filtered attribute is compared in: a username, `email` or
    /// `preferred_username` folded with the pool's [`CaseRule::fold`] (the keys sign-in and
    /// uniqueness use: NFC, and case folding in case-insensitive pools); anything else as
    /// given.
    pub fn compared(&self, case_rule: CaseRule, value: &str) -> String {
        match self.attribute {
            FilterAttribute::Username
            | FilterAttribute::Email
            | FilterAttribute::PreferredUsername => case_rule.fold(value),
            _ => value.to_owned(),
        }
    }

    /// The value `user` has for the filtered attribute, as compared.
    pub fn subject(&self, user: &User) -> Option<String> {
        match self.attribute {
            FilterAttribute::Username => Some(user.username.clone()),
            FilterAttribute::UserStatus => Some(user.status.as_str().to_owned()),
            FilterAttribute::Status => {
                Some(if user.enabled { "Enabled" } else { "Disabled" }.to_owned())
            }
            other => other.attribute_name().and_then(|a| user.attribute(a)),
        }
    }

    /// Whether `user` matches.
    pub fn matches(&self, user: &User, case_rule: CaseRule) -> bool {
        let Some(subject) = self.subject(user) else {
            return false;
        };
        if self.attribute == FilterAttribute::UserStatus {
            return match self.op {
                FilterOp::Equals => UserStatus::parse_ignore_case(&self.value) == Some(user.status),
                FilterOp::StartsWith => subject
                    .to_lowercase()
                    .starts_with(&self.value.to_lowercase()),
            };
        }
        let (subject, value) = (
            self.compared(case_rule, &subject),
            self.compared(case_rule, &self.value),
        );
        match self.op {
            FilterOp::Equals => subject == value,
            FilterOp::StartsWith => subject.starts_with(&value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::Sub;

    #[test]
    fn grammar() {
        let f = |s: &str| Filter::parse(s);
        assert_eq!(
            f(r#"username="bob""#).expect("ok").expect("some").value,
            "bob"
        );
        assert_eq!(
            f(r#"  email   ^=   "a@""#).expect("ok").expect("some").op,
            FilterOp::StartsWith
        );
        assert_eq!(
            f(r#"cognito:user_status = "confirmed""#)
                .expect("ok")
                .expect("some")
                .attribute,
            FilterAttribute::UserStatus
        );
        assert_eq!(
            f(r#"name = "a\\b""#).expect("ok").expect("some").value,
            "a\\b"
        );
        assert_eq!(
            f(r#"name = "a\b""#).expect("ok").expect("some").value,
            "a\\b"
        );
        assert_eq!(
            f(r#"custom:tier = "x""#),
            Err(Error::FilterAttribute("custom:tier".into()))
        );
        assert_eq!(
            f(r#"address = "x""#),
            Err(Error::FilterAttribute("address".into()))
        );
        for bad in [
            r#"email"#,
            r#"email = x"#,
            r#"email = "x"#,
            r#"email == "x""#,
            r#"email != "x""#,
            r#"email = "x" and"#,
            r#"email ~= "x""#,
            r#"email = "x\"#,
            "=\"x\"",
        ] {
            let r = f(bad);
            assert!(
                matches!(r, Err(Error::FilterSyntax) | Err(Error::FilterAttribute(_))),
                "{bad}: {r:?}"
            );
        }
        assert_eq!(
            f(&format!("email = \"{}\"", "x".repeat(250))),
            Err(Error::FilterSyntax)
        );
        assert_eq!(
            Error::FilterSyntax.to_string(),
            "Error while parsing filter"
        );
    }

    #[test]
    fn matching_rules() {
        let mut u = User::new("Alice", Sub::from_bytes([1; 16]), UserStatus::Confirmed, 0);
        u.attributes
            .insert("email".into(), "Alice@Example.com".into());
        u.attributes.insert("name".into(), "Alice Liddell".into());
        let m = |s: &str, rule| {
            Filter::parse(s)
                .expect("ok")
                .expect("some")
                .matches(&u, rule)
        };
        assert!(m(r#"username = "Alice""#, CaseRule::Sensitive));
        assert!(!m(r#"username = "alice""#, CaseRule::Sensitive));
        assert!(m(r#"username = "alice""#, CaseRule::Insensitive));
        assert!(m(r#"email ^= "alice@""#, CaseRule::Insensitive));
        assert!(!m(r#"email ^= "alice@""#, CaseRule::Sensitive));
        assert!(
            !m(r#"name ^= "alice""#, CaseRule::Insensitive),
            "name is case-sensitive"
        );
        assert!(m(
            r#"cognito:user_status = "Confirmed""#,
            CaseRule::Sensitive
        ));
        assert!(m(r#"status = "Enabled""#, CaseRule::Sensitive));
        assert!(!m(r#"status = "enabled""#, CaseRule::Sensitive));
        assert!(
            !m(r#"phone_number ^= "+1""#, CaseRule::Sensitive),
            "missing attribute never matches"
        );
        assert!(m(&format!(r#"sub = "{}""#, u.sub), CaseRule::Sensitive));
    }

    #[test]
    fn names_compare_in_their_folded_form() {
        let u = User::new("Straße", Sub::from_bytes([1; 16]), UserStatus::Confirmed, 0);
        let m = |s: &str, rule| {
            Filter::parse(s)
                .expect("ok")
                .expect("some")
                .matches(&u, rule)
        };
        assert!(m(r#"username = "STRASSE""#, CaseRule::Insensitive));
        assert!(m(r#"username ^= "strass""#, CaseRule::Insensitive));
        assert!(!m(r#"username = "STRASSE""#, CaseRule::Sensitive));
        let decomposed = User::new(
            "Cafe\u{301}",
            Sub::from_bytes([2; 16]),
            UserStatus::Confirmed,
            0,
        );
        assert!(
            Filter::parse("username = \"Caf\u{e9}\"")
                .expect("ok")
                .expect("some")
                .matches(&decomposed, CaseRule::Sensitive),
            "NFC and NFD spellings are one name"
        );
    }
}
