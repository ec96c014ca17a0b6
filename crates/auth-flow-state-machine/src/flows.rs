//! Flow and challenge names, and which client setting enables which flow.

use user_pool_model::{AppClient, AuthFlow as Allow};

use crate::error::{FlowError, Result};

/// `AuthFlowType`.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthFlow {
    /// `USER_SRP_AUTH`.
    UserSrpAuth,
    /// `USER_PASSWORD_AUTH`.
    UserPasswordAuth,
    /// `ADMIN_USER_PASSWORD_AUTH` (and its legacy name `ADMIN_NO_SRP_AUTH`).
    AdminUserPasswordAuth,
    /// `REFRESH_TOKEN_AUTH` (and its synonym `REFRESH_TOKEN`).
    RefreshTokenAuth,
    /// `CUSTOM_AUTH`.
    CustomAuth,
    /// `USER_AUTH`: choice-based sign-in (passwords, one-time codes, passkeys).
    UserAuth,
}

impl AuthFlow {
    /// The flow named `name` on the wire (synonyms folded).
    pub fn parse(name: &str) -> Result<Self> {
        Ok(match name {
            "USER_SRP_AUTH" => Self::UserSrpAuth,
            "USER_PASSWORD_AUTH" => Self::UserPasswordAuth,
            "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH" => Self::AdminUserPasswordAuth,
            "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => Self::RefreshTokenAuth,
            "CUSTOM_AUTH" => Self::CustomAuth,
            "USER_AUTH" => Self::UserAuth,
            _ => return Err(FlowError::UnknownFlow),
        })
    }

    /// Whether `client` allows this flow through InitiateAuth (`admin == false`) or
    /// AdminInitiateAuth (`admin == true`), with Cognito's messages when not.
    pub fn check_enabled(self, client: &AppClient, admin: bool) -> Result<()> {
        let (needed, message) = match self {
            Self::UserSrpAuth => (
                Allow::AllowUserSrpAuth,
                "USER_SRP_AUTH is not enabled for the client.",
            ),
            Self::UserPasswordAuth => (
                Allow::AllowUserPasswordAuth,
                "USER_PASSWORD_AUTH flow not enabled for this client",
            ),
            Self::AdminUserPasswordAuth => {
                if !admin {
                    return Err(FlowError::AdminOnlyFlow);
                }
                (
                    Allow::AllowAdminUserPasswordAuth,
                    "Auth flow not enabled for this client",
                )
            }
            Self::RefreshTokenAuth => (
                Allow::AllowRefreshTokenAuth,
                "Refresh Token has been disabled for this client",
            ),
            Self::CustomAuth => (
                Allow::AllowCustomAuth,
                "Custom auth lambda trigger is not configured for the user pool.",
            ),
            Self::UserAuth => (
                Allow::AllowUserAuth,
                "USER_AUTH flow not enabled for this client",
            ),
        };
        if client.allows(needed) {
            Ok(())
        } else {
            Err(FlowError::FlowNotEnabled(message))
        }
    }
}

/// `ChallengeNameType` values this project issues.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ChallengeName {
    /// `PASSWORD_VERIFIER`.
    PasswordVerifier,
    /// `NEW_PASSWORD_REQUIRED`.
    NewPasswordRequired,
    /// `SMS_MFA`.
    SmsMfa,
    /// `SOFTWARE_TOKEN_MFA`.
    SoftwareTokenMfa,
    /// `EMAIL_OTP`.
    EmailOtp,
    /// `SELECT_MFA_TYPE`.
    SelectMfaType,
    /// `MFA_SETUP`.
    MfaSetup,
    /// `CUSTOM_CHALLENGE`.
    CustomChallenge,
    /// `DEVICE_SRP_AUTH`.
    DeviceSrpAuth,
    /// `DEVICE_PASSWORD_VERIFIER`.
    DevicePasswordVerifier,
    /// `SELECT_CHALLENGE` (USER_AUTH: choose a first factor).
    SelectChallenge,
    /// `SMS_OTP` (USER_AUTH first factor).
    SmsOtp,
    /// `WEB_AUTHN` (USER_AUTH first factor: a passkey).
    WebAuthn,
    /// `PASSWORD` (offered in `AvailableChallenges`; answered through SELECT_CHALLENGE).
    Password,
    /// `PASSWORD_SRP` (offered in `AvailableChallenges`; answered through SELECT_CHALLENGE).
    PasswordSrp,
}

impl ChallengeName {
    const ALL: [(Self, &'static str); 15] = [
        (Self::PasswordVerifier, "PASSWORD_VERIFIER"),
        (Self::NewPasswordRequired, "NEW_PASSWORD_REQUIRED"),
        (Self::SmsMfa, "SMS_MFA"),
        (Self::SoftwareTokenMfa, "SOFTWARE_TOKEN_MFA"),
        (Self::EmailOtp, "EMAIL_OTP"),
        (Self::SelectMfaType, "SELECT_MFA_TYPE"),
        (Self::MfaSetup, "MFA_SETUP"),
        (Self::CustomChallenge, "CUSTOM_CHALLENGE"),
        (Self::DeviceSrpAuth, "DEVICE_SRP_AUTH"),
        (Self::DevicePasswordVerifier, "DEVICE_PASSWORD_VERIFIER"),
        (Self::SelectChallenge, "SELECT_CHALLENGE"),
        (Self::SmsOtp, "SMS_OTP"),
        (Self::WebAuthn, "WEB_AUTHN"),
        (Self::Password, "PASSWORD"),
        (Self::PasswordSrp, "PASSWORD_SRP"),
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(c, _)| *c == self)
            .map_or("", |(_, n)| n)
    }

    /// The challenge named `name`.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(c, _)| *c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use user_pool_model::ClientId;

    #[test]
    fn names_and_enablement() {
        assert_eq!(
            AuthFlow::parse("REFRESH_TOKEN"),
            Ok(AuthFlow::RefreshTokenAuth)
        );
        assert_eq!(
            AuthFlow::parse("ADMIN_NO_SRP_AUTH"),
            Ok(AuthFlow::AdminUserPasswordAuth)
        );
        assert_eq!(
            AuthFlow::parse("user_srp_auth"),
            Err(FlowError::UnknownFlow)
        );
        let client =
            AppClient::new(ClientId::parse("abc").expect("id"), "c", None).expect("client");
        assert_eq!(AuthFlow::UserSrpAuth.check_enabled(&client, false), Ok(()));
        assert_eq!(
            AuthFlow::UserPasswordAuth.check_enabled(&client, false),
            Err(FlowError::FlowNotEnabled(
                "USER_PASSWORD_AUTH flow not enabled for this client"
            ))
        );
        assert_eq!(
            AuthFlow::AdminUserPasswordAuth.check_enabled(&client, false),
            Err(FlowError::AdminOnlyFlow)
        );
        assert_eq!(
            FlowError::AdminOnlyFlow.to_string(),
            "Initiate Auth method not supported"
        );
        for (c, n) in ChallengeName::ALL {
            assert_eq!(ChallengeName::parse(n), Some(c));
            assert_eq!(c.as_str(), n);
        }
    }
}
