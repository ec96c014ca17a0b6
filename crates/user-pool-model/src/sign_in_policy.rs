//! Choice-based sign-in settings: `Policies.SignInPolicy.AllowedFirstAuthFactors`,
//! `WebAuthnConfiguration` and the feature tier (`UserPoolTier`).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// `AuthFactorType`: a first factor of `USER_AUTH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AuthFactor {
    /// `PASSWORD` (covers the `PASSWORD` and `PASSWORD_SRP` challenges).
    Password,
    /// `EMAIL_OTP`.
    EmailOtp,
    /// `SMS_OTP`.
    SmsOtp,
    /// `WEB_AUTHN` (passkeys).
    WebAuthn,
}

impl AuthFactor {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Password => "PASSWORD",
            Self::EmailOtp => "EMAIL_OTP",
            Self::SmsOtp => "SMS_OTP",
            Self::WebAuthn => "WEB_AUTHN",
        }
    }

    /// The factor named `name`.
    pub fn parse(name: &str) -> Result<Self> {
        Ok(match name {
            "PASSWORD" => Self::Password,
            "EMAIL_OTP" => Self::EmailOtp,
            "SMS_OTP" => Self::SmsOtp,
            "WEB_AUTHN" => Self::WebAuthn,
            _ => {
                return Err(crate::error::constraint(
                    "policies.signInPolicy.allowedFirstAuthFactors",
                    Some(name),
                    "Member must satisfy enum value set: [PASSWORD, EMAIL_OTP, SMS_OTP, WEB_AUTHN]",
                ));
            }
        })
    }
}

/// Cognito's default `AllowedFirstAuthFactors`: `[PASSWORD]`.
pub fn default_first_factors() -> Vec<AuthFactor> {
    vec![AuthFactor::Password]
}

/// `WebAuthnConfiguration` of SetUserPoolMfaConfig.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct WebAuthnConfig {
    /// `RelyingPartyId` (≤ 127); without it the pool's domain is the RP id.
    #[serde(default)]
    pub relying_party_id: Option<String>,
    /// `UserVerification`: `required` or `preferred` (the default).
    #[serde(default)]
    pub user_verification_required: bool,
    /// `FactorConfiguration` (`SINGLE_FACTOR`, the default, or
    /// `MULTI_FACTOR_WITH_USER_VERIFICATION`), kept and echoed.
    #[serde(default)]
    pub factor_configuration: Option<String>,
}

impl WebAuthnConfig {
    /// Checks `RelyingPartyId`: 1–127 characters of a host name.
    pub fn validate(&self) -> Result<()> {
        if let Some(id) = &self.relying_party_id {
            let ok = (1..=127).contains(&id.len())
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
            if !ok {
                return Err(Error::InvalidParameter(
                    "RelyingPartyId must be a domain name of at most 127 characters".into(),
                ));
            }
        }
        if let Some(f) = &self.factor_configuration
            && !matches!(
                f.as_str(),
                "SINGLE_FACTOR" | "MULTI_FACTOR_WITH_USER_VERIFICATION"
            )
        {
            return Err(crate::error::constraint(
                "webAuthnConfiguration.factorConfiguration",
                Some(f),
                "Member must satisfy enum value set: [SINGLE_FACTOR, MULTI_FACTOR_WITH_USER_VERIFICATION]",
            ));
        }
        Ok(())
    }
}

/// `UserPoolTierType`: accepted and echoed; every feature works in every tier here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PoolTier {
    /// `LITE`.
    Lite,
    /// `ESSENTIALS` (Cognito's default for new pools).
    #[default]
    Essentials,
    /// `PLUS`.
    Plus,
}

impl PoolTier {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Lite => "LITE",
            Self::Essentials => "ESSENTIALS",
            Self::Plus => "PLUS",
        }
    }

    /// The tier named `name`.
    pub fn parse(name: &str) -> Result<Self> {
        Ok(match name {
            "LITE" => Self::Lite,
            "ESSENTIALS" => Self::Essentials,
            "PLUS" => Self::Plus,
            _ => {
                return Err(crate::error::constraint(
                    "userPoolTier",
                    Some(name),
                    "Member must satisfy enum value set: [LITE, ESSENTIALS, PLUS]",
                ));
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_bad_values_are_refused() {
        for f in [
            AuthFactor::Password,
            AuthFactor::EmailOtp,
            AuthFactor::SmsOtp,
            AuthFactor::WebAuthn,
        ] {
            assert_eq!(AuthFactor::parse(f.as_str()), Ok(f));
        }
        assert!(AuthFactor::parse("SOFTWARE_TOKEN").is_err());
        assert_eq!(PoolTier::parse("PLUS"), Ok(PoolTier::Plus));
        assert!(PoolTier::parse("GOLD").is_err());
        let bad = WebAuthnConfig {
            relying_party_id: Some("exa mple.com".into()),
            ..WebAuthnConfig::default()
        };
        assert!(bad.validate().is_err());
        let good = WebAuthnConfig {
            relying_party_id: Some("auth.example.com".into()),
            ..WebAuthnConfig::default()
        };
        assert_eq!(good.validate(), Ok(()));
    }
}
