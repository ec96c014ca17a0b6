//! Usernames and the case rule: validation and the folded form used for uniqueness and lookup.

use serde::{Deserialize, Serialize};

use crate::attributes::{is_valid_email, is_valid_phone};
use crate::error::{Error, Result, constraint};

/// Longest username, in characters.
pub const MAX_USERNAME_LEN: usize = 128;

/// Whether names compare case-sensitively (`UsernameConfiguration.CaseSensitive`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum CaseRule {
    /// API default: `Alice` and `alice` are different users.
    #[default]
    Sensitive,
    /// `Alice` and `alice` are the same user (username, `email`, `preferred_username`).
    Insensitive,
}

impl CaseRule {
    /// The key a name is stored and looked up under.
    pub fn fold(self, name: &str) -> String {
        match self {
            Self::Sensitive => name.to_owned(),
            Self::Insensitive => name.to_lowercase(),
        }
    }

    /// The key of an alias value: phone numbers never fold; emails and preferred usernames
    /// fold in case-insensitive pools.
    pub fn fold_alias(self, attribute: &str, value: &str) -> String {
        if attribute == "phone_number" {
            value.to_owned()
        } else {
            self.fold(value)
        }
    }
}

/// Checks a username: 1..128 characters, letters, marks, symbols, numbers or punctuation, no
/// whitespace or control characters.
pub fn validate_username(username: &str) -> Result<()> {
    let len = username.chars().count();
    let ok = (1..=MAX_USERNAME_LEN).contains(&len)
        && !username
            .chars()
            .any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(())
    } else {
        Err(constraint(
            "username",
            Some(username),
            "Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
        ))
    }
}

/// In an alias pool, a username must not look like an email (resp. phone) when email (resp.
/// phone_number) is an alias.
pub fn check_not_alias_shaped(username: &str, aliases: &[String]) -> Result<()> {
    if aliases.iter().any(|a| a == "email") && is_valid_email(username) {
        return Err(Error::InvalidParameter(
            "Username cannot be of email format, since user pool is configured for email alias."
                .into(),
        ));
    }
    if aliases.iter().any(|a| a == "phone_number") && is_valid_phone(username) {
        return Err(Error::InvalidParameter("Username cannot be of phone number format, since user pool is configured for phone_number alias.".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        for ok in ["alice", "Ålice", "日本", "a.b-c_d@e", "x"] {
            assert!(validate_username(ok).is_ok(), "{ok}");
        }
        for bad in ["", "a b", "a\tb", "a\u{0}", &"x".repeat(129)] {
            assert!(validate_username(bad).is_err(), "{bad:?}");
        }
        assert_eq!(CaseRule::Insensitive.fold("ÅLICE"), "ålice");
        assert_eq!(CaseRule::Sensitive.fold("ÅLICE"), "ÅLICE");
        assert_eq!(
            CaseRule::Insensitive.fold_alias("phone_number", "+1555"),
            "+1555"
        );
        assert!(check_not_alias_shaped("a@b.co", &["email".into()]).is_err());
        assert!(check_not_alias_shaped("a@b.co", &["phone_number".into()]).is_ok());
    }
}
