//! The password policy and its check, with Cognito's messages.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Cognito's symbol set (space counts as a symbol too).
pub const SYMBOLS: &str = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";
/// Longest password accepted.
pub const MAX_PASSWORD_LEN: usize = 256;

/// `PasswordPolicyType`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PasswordPolicy {
    /// 6..99, default 8.
    pub minimum_length: u8,
    /// Require an uppercase Basic Latin letter.
    pub require_uppercase: bool,
    /// Require a lowercase Basic Latin letter.
    pub require_lowercase: bool,
    /// Require a digit.
    pub require_numbers: bool,
    /// Require one of [`SYMBOLS`].
    pub require_symbols: bool,
    /// 0..24: how many previous passwords may not be reused.
    #[serde(default)]
    pub password_history_size: u8,
    /// Days a temporary password stays valid (1..365, default 7).
    pub temporary_password_validity_days: u16,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self {
            minimum_length: 8,
            require_uppercase: true,
            require_lowercase: true,
            require_numbers: true,
            require_symbols: true,
            password_history_size: 0,
            temporary_password_validity_days: 7,
        }
    }
}

impl PasswordPolicy {
    /// Checks the policy's own ranges (CreateUserPool / UpdateUserPool).
    pub fn validate(&self) -> Result<()> {
        if !(6..=99).contains(&self.minimum_length) {
            return Err(crate::error::constraint(
                "policies.passwordPolicy.minimumLength",
                Some(&self.minimum_length.to_string()),
                "Member must have value between 6 and 99",
            ));
        }
        if self.password_history_size > 24 {
            return Err(crate::error::constraint(
                "policies.passwordPolicy.passwordHistorySize",
                Some(&self.password_history_size.to_string()),
                "Member must have value less than or equal to 24",
            ));
        }
        if self.temporary_password_validity_days > 365 {
            return Err(crate::error::constraint(
                "policies.passwordPolicy.temporaryPasswordValidityDays",
                Some(&self.temporary_password_validity_days.to_string()),
                "Member must have value less than or equal to 365",
            ));
        }
        Ok(())
    }

    /// Checks a password, in Cognito's order: length, then lowercase, uppercase, numbers,
    /// symbols. Empty, all-whitespace, over-long passwords and passwords that begin or end with
    /// whitespace of any kind (space, tab, newline, NBSP…) are `InvalidParameterException`s,
    /// as Cognito's `^[\S]+.*[\S]+$` constraint makes them.
    pub fn check(&self, password: &str) -> Result<()> {
        if password.trim().is_empty()
            || password.chars().count() > MAX_PASSWORD_LEN
            || password.starts_with(char::is_whitespace)
            || password.ends_with(char::is_whitespace)
        {
            return Err(crate::error::constraint(
                "password",
                None,
                "Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$",
            ));
        }
        if password.chars().count() < usize::from(self.minimum_length) {
            return Err(Error::InvalidPassword("Password not long enough"));
        }
        if self.require_lowercase && !password.bytes().any(|b| b.is_ascii_lowercase()) {
            return Err(Error::InvalidPassword(
                "Password must have lowercase characters",
            ));
        }
        if self.require_uppercase && !password.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(Error::InvalidPassword(
                "Password must have uppercase characters",
            ));
        }
        if self.require_numbers && !password.bytes().any(|b| b.is_ascii_digit()) {
            return Err(Error::InvalidPassword(
                "Password must have numeric characters",
            ));
        }
        if self.require_symbols && !password.chars().any(|c| SYMBOLS.contains(c)) {
            return Err(Error::InvalidPassword(
                "Password must have symbol characters",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cognito_messages_in_order() {
        let p = PasswordPolicy::default();
        assert_eq!(
            p.check("Ab1!"),
            Err(Error::InvalidPassword("Password not long enough"))
        );
        assert_eq!(
            p.check("ABCDEFG1!"),
            Err(Error::InvalidPassword(
                "Password must have lowercase characters"
            ))
        );
        assert_eq!(
            p.check("abcdefg1!"),
            Err(Error::InvalidPassword(
                "Password must have uppercase characters"
            ))
        );
        assert_eq!(
            p.check("Abcdefgh!"),
            Err(Error::InvalidPassword(
                "Password must have numeric characters"
            ))
        );
        assert_eq!(
            p.check("Abcdefgh1"),
            Err(Error::InvalidPassword(
                "Password must have symbol characters"
            ))
        );
        assert!(p.check("Abcdefg1!").is_ok());
        assert!(p.check("Abc defg1").is_ok(), "an inner space is a symbol");
        assert!(matches!(
            p.check(" Abcdefg1!"),
            Err(Error::InvalidParameter(_))
        ));
        assert!(matches!(p.check("   "), Err(Error::InvalidParameter(_))));
        for edge in ["\t", "\n", "\r", " ", "\u{a0}", "\u{2003}", "\u{3000}"] {
            for bad in [format!("Abcdefg1!{edge}"), format!("{edge}Abcdefg1!")] {
                assert!(
                    matches!(p.check(&bad), Err(Error::InvalidParameter(_))),
                    "{bad:?}"
                );
            }
        }
        assert!(
            p.check("Abc\tdefg1!").is_ok(),
            "inner whitespace is allowed"
        );
        assert_eq!(
            Error::InvalidPassword("Password not long enough").to_string(),
            "Password did not conform with policy: Password not long enough"
        );
        let lax = PasswordPolicy {
            minimum_length: 6,
            require_uppercase: false,
            require_lowercase: false,
            require_numbers: false,
            require_symbols: false,
            ..PasswordPolicy::default()
        };
        assert!(lax.check("ümläut").is_ok());
        assert!(
            PasswordPolicy {
                minimum_length: 5,
                ..PasswordPolicy::default()
            }
            .validate()
            .is_err()
        );
    }
}
