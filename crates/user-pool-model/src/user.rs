//! Users: identity, status and its transitions, attributes, password verifier, MFA, devices.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::ids::Sub;

/// `UserStatusType` (the values Cognito still uses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UserStatus {
    /// Signed up, not confirmed.
    Unconfirmed,
    /// Confirmed.
    Confirmed,
    /// Imported or reset by an admin: must reset the password.
    ResetRequired,
    /// Created by an admin: must replace the temporary password.
    ForceChangePassword,
    /// Federated user.
    ExternalProvider,
}

impl UserStatus {
    /// The wire name (`CONFIRMED`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unconfirmed => "UNCONFIRMED",
            Self::Confirmed => "CONFIRMED",
            Self::ResetRequired => "RESET_REQUIRED",
            Self::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
            Self::ExternalProvider => "EXTERNAL_PROVIDER",
        }
    }

    /// The status named `s`, ignoring case (as the ListUsers filter compares it).
    pub fn parse_ignore_case(s: &str) -> Option<Self> {
        [
            Self::Unconfirmed,
            Self::Confirmed,
            Self::ResetRequired,
            Self::ForceChangePassword,
            Self::ExternalProvider,
        ]
        .into_iter()
        .find(|st| st.as_str().eq_ignore_ascii_case(s))
    }

    /// ConfirmSignUp / AdminConfirmSignUp.
    pub fn confirm_sign_up(self) -> Result<Self> {
        match self {
            Self::Unconfirmed => Ok(Self::Confirmed),
            Self::Confirmed => Err(Error::InvalidTransition(
                "User cannot be confirmed. Current status is CONFIRMED",
            )),
            _ => Err(Error::InvalidTransition(
                "User cannot be confirmed in the current state.",
            )),
        }
    }

    /// A `NEW_PASSWORD_REQUIRED` challenge answered.
    pub fn new_password_set(self) -> Result<Self> {
        match self {
            Self::ForceChangePassword => Ok(Self::Confirmed),
            _ => Err(Error::InvalidTransition(
                "User is not in FORCE_CHANGE_PASSWORD state.",
            )),
        }
    }

    /// AdminSetUserPassword: `Permanent` → CONFIRMED, else FORCE_CHANGE_PASSWORD.
    pub fn admin_set_password(self, permanent: bool) -> Self {
        if permanent {
            Self::Confirmed
        } else {
            Self::ForceChangePassword
        }
    }

    /// AdminResetUserPassword.
    pub fn admin_reset_password(self) -> Result<Self> {
        match self {
            Self::ForceChangePassword => Err(Error::InvalidTransition(
                "User password cannot be reset in the current state.",
            )),
            Self::ExternalProvider => Err(Error::InvalidTransition(
                "User password cannot be reset in the current state.",
            )),
            _ => Ok(Self::ResetRequired),
        }
    }

    /// ConfirmForgotPassword succeeded.
    pub fn forgot_password_confirmed(self) -> Result<Self> {
        match self {
            Self::ExternalProvider => Err(Error::InvalidTransition(
                "User password cannot be reset in the current state.",
            )),
            _ => Ok(Self::Confirmed),
        }
    }
}

/// The stored password: an SRP salt and verifier (encrypted at rest by the facade).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordRecord {
    /// The salt bytes hashed into `x`.
    pub salt: Vec<u8>,
    /// The verifier, as the facade stores it (encrypted).
    pub verifier: Vec<u8>,
    /// When it was set (unix seconds).
    pub set_at: i64,
    /// For temporary passwords, when they stop working (unix seconds).
    pub expires_at: Option<i64>,
}

impl fmt::Debug for PasswordRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordRecord")
            .field("set_at", &self.set_at)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// A second factor a user may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MfaMethod {
    /// `SMS_MFA`.
    SmsMfa,
    /// `SOFTWARE_TOKEN_MFA`.
    SoftwareTokenMfa,
    /// `EMAIL_OTP`.
    EmailOtp,
}

/// A user's MFA settings (`UserMFASettingList`, `PreferredMfaSetting`).
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MfaSettings {
    /// Enabled methods.
    pub enabled: Vec<MfaMethod>,
    /// The preferred one.
    pub preferred: Option<MfaMethod>,
    /// The verified TOTP secret (encrypted at rest by the facade).
    pub totp_secret: Option<Vec<u8>>,
    /// A TOTP secret associated but not yet verified.
    pub pending_totp_secret: Option<Vec<u8>>,
}

impl fmt::Debug for MfaSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MfaSettings")
            .field("enabled", &self.enabled)
            .field("preferred", &self.preferred)
            .field("totp", &self.totp_secret.as_ref().map(|_| "<redacted>"))
            .finish_non_exhaustive()
    }
}

/// A remembered device.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    /// `DeviceKey` (`<region>_<uuid>`).
    pub key: String,
    /// `DeviceGroupKey`.
    pub group_key: String,
    /// The device SRP salt.
    pub salt: Vec<u8>,
    /// The device SRP verifier (encrypted at rest by the facade).
    pub verifier: Vec<u8>,
    /// `device_name`.
    pub name: Option<String>,
    /// `remembered` / `not_remembered`.
    pub remembered: bool,
    /// Created, modified, last authenticated (unix seconds).
    pub created: i64,
    /// Last change.
    pub modified: i64,
    /// Last sign-in with it.
    pub last_authenticated: Option<i64>,
    /// Last IP.
    pub last_ip: Option<String>,
}

impl fmt::Debug for Device {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Device")
            .field("key", &self.key)
            .field("name", &self.name)
            .field("remembered", &self.remembered)
            .finish_non_exhaustive()
    }
}

#[allow(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// A user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// The internal username (immutable; the `sub` in username-attribute pools).
    pub username: String,
    /// `sub`.
    pub sub: Sub,
    /// Status.
    pub status: UserStatus,
    /// `Enabled`.
    pub enabled: bool,
    /// Attributes other than `sub`, by name.
    pub attributes: BTreeMap<String, String>,
    /// Created (unix seconds).
    pub created: i64,
    /// Last modified (unix seconds).
    pub modified: i64,
    /// Password verifier, if a password is set.
    pub password: Option<PasswordRecord>,
    /// MFA.
    pub mfa: MfaSettings,
    /// Devices.
    pub devices: Vec<Device>,
    /// New values of `email` / `phone_number` waiting for verification while the verified old
    /// value stays active (`AttributesRequireVerificationBeforeUpdate`), by attribute name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pending_attributes: BTreeMap<String, String>,
    /// Bumped whenever every session of the user ends (GlobalSignOut, AdminUserGlobalSignOut,
    /// a password reset): hosted sign-in cookies carry the epoch they were issued in and die
    /// when it moves on.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub session_epoch: u64,
    /// A password hash imported with the user (a CSV import's `password_hash`), sealed by the
    /// facade, until the first sign-in with the password replaces it by an SRP verifier. Never
    /// kept beside a password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported_password_hash: Option<Vec<u8>>,
    /// Optimistic-concurrency version, bumped by the store on every update.
    pub version: u64,
}

impl User {
    /// A new user with no password yet.
    pub fn new(username: &str, sub: Sub, status: UserStatus, now: i64) -> Self {
        Self {
            username: username.to_owned(),
            sub,
            status,
            enabled: true,
            attributes: BTreeMap::new(),
            created: now,
            modified: now,
            password: None,
            mfa: MfaSettings::default(),
            devices: Vec::new(),
            pending_attributes: BTreeMap::new(),
            session_epoch: 0,
            imported_password_hash: None,
            version: 0,
        }
    }

    /// An attribute's value (`sub` included).
    pub fn attribute(&self, name: &str) -> Option<String> {
        if name == "sub" {
            Some(self.sub.to_string())
        } else {
            self.attributes.get(name).cloned()
        }
    }

    /// Whether `email_verified` / `phone_number_verified` is `true` for `attribute`.
    pub fn is_verified(&self, attribute: &str) -> bool {
        self.attributes
            .get(&format!("{attribute}_verified"))
            .is_some_and(|v| v == "true")
    }

    /// The sign-in aliases this user holds in a pool with `aliases` (`email` and `phone_number`
    /// only once verified; `preferred_username` always): `(attribute, value)`.
    pub fn active_aliases(&self, aliases: &[String]) -> Vec<(String, String)> {
        aliases
            .iter()
            .filter_map(|a| {
                let value = self.attributes.get(a)?;
                let active = a == "preferred_username" || self.is_verified(a);
                active.then(|| (a.clone(), value.clone()))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitions_follow_cognito() {
        use UserStatus::*;
        assert_eq!(Unconfirmed.confirm_sign_up(), Ok(Confirmed));
        assert_eq!(
            Confirmed.confirm_sign_up(),
            Err(Error::InvalidTransition(
                "User cannot be confirmed. Current status is CONFIRMED"
            ))
        );
        assert_eq!(ForceChangePassword.new_password_set(), Ok(Confirmed));
        assert!(Confirmed.new_password_set().is_err());
        assert_eq!(Confirmed.admin_set_password(false), ForceChangePassword);
        assert_eq!(ExternalProvider.admin_set_password(true), Confirmed);
        assert_eq!(Confirmed.admin_reset_password(), Ok(ResetRequired));
        assert_eq!(
            ForceChangePassword.admin_reset_password(),
            Err(Error::InvalidTransition(
                "User password cannot be reset in the current state."
            ))
        );
        assert_eq!(ResetRequired.forgot_password_confirmed(), Ok(Confirmed));
        assert_eq!(UserStatus::parse_ignore_case("confirmed"), Some(Confirmed));
        assert_eq!(UserStatus::parse_ignore_case("ARCHIVED"), None);
    }

    #[test]
    fn aliases_need_verification_except_preferred_username() {
        let mut u = User::new("alice", Sub::from_bytes([7; 16]), UserStatus::Confirmed, 0);
        u.attributes.insert("email".into(), "a@b.co".into());
        u.attributes
            .insert("preferred_username".into(), "ally".into());
        let aliases = vec!["email".into(), "preferred_username".into()];
        assert_eq!(
            u.active_aliases(&aliases),
            vec![("preferred_username".to_owned(), "ally".to_owned())]
        );
        u.attributes.insert("email_verified".into(), "true".into());
        assert_eq!(u.active_aliases(&aliases).len(), 2);
        assert_eq!(u.attribute("sub").map(|s| s.len()), Some(36));
        let dbg = format!(
            "{:?}",
            PasswordRecord {
                salt: vec![1],
                verifier: vec![9, 9],
                set_at: 1,
                expires_at: None
            }
        );
        assert!(!dbg.contains("verifier"));
    }
}
