//! InitiateAuth's request, typed: the wire's `AuthFlow` and `AuthParameters` read once, here,
//! into one variant per flow with exactly its parameters.

use std::collections::BTreeMap;

use crate::error::{FlowError, Result};
use crate::flows::AuthFlow;
use crate::refresh::RefreshToken;
use crate::user_auth::FactorChoice;

/// What a sign-in asks for.
#[non_exhaustive]
#[derive(Debug)]
pub enum AuthRequest {
    /// `USER_SRP_AUTH`: `USERNAME`, `SRP_A`.
    UserSrp {
        /// `USERNAME` as typed (a username, alias, email or phone number).
        username: String,
        /// `SRP_A`.
        srp_a: String,
        /// `DEVICE_KEY`, for a remembered device.
        device_key: Option<String>,
    },
    /// `USER_PASSWORD_AUTH`, or (`admin`) `ADMIN_USER_PASSWORD_AUTH` / `ADMIN_NO_SRP_AUTH`.
    Password {
        /// The admin flow.
        admin: bool,
        /// `USERNAME` as typed.
        username: String,
        /// `PASSWORD`.
        password: srp::Password,
        /// `DEVICE_KEY`.
        device_key: Option<String>,
    },
    /// `CUSTOM_AUTH`, with `SRP_A` when the custom flow starts with a password check.
    Custom {
        /// `USERNAME` as typed.
        username: String,
        /// `SRP_A` (with `CHALLENGE_NAME=SRP_A`).
        srp_a: Option<String>,
        /// `DEVICE_KEY`.
        device_key: Option<String>,
    },
    /// `USER_AUTH`: `USERNAME`, optional `PREFERRED_CHALLENGE` with its inputs (`PASSWORD`,
    /// `SRP_A`).
    UserAuth {
        /// `USERNAME` as typed.
        username: String,
        /// `PREFERRED_CHALLENGE`.
        preferred: Option<FactorChoice>,
        /// `DEVICE_KEY`.
        device_key: Option<String>,
    },
    /// `REFRESH_TOKEN_AUTH` / `REFRESH_TOKEN`.
    Refresh {
        /// `REFRESH_TOKEN`.
        token: RefreshToken,
        /// `DEVICE_KEY`.
        device_key: Option<String>,
    },
}

fn required(params: &BTreeMap<String, String>, key: &'static str) -> Result<String> {
    params
        .get(key)
        .cloned()
        .ok_or(FlowError::MissingParameter(key))
}

impl AuthRequest {
    /// Reads `AuthFlow` and `AuthParameters` as they come over the wire.
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// use auth_flow_state_machine::{AuthFlow, AuthRequest, FlowError};
    ///
    /// let params = BTreeMap::from([("USERNAME".to_owned(), "alice".to_owned())]);
    /// assert_eq!(
    ///     AuthRequest::from_wire("USER_SRP_AUTH", &params).unwrap_err(),
    ///     FlowError::MissingParameter("SRP_A")
    /// );
    /// let custom = AuthRequest::from_wire("CUSTOM_AUTH", &params)?;
    /// assert_eq!(custom.flow(), AuthFlow::CustomAuth);
    /// # Ok::<(), FlowError>(())
    /// ```
    pub fn from_wire(flow: &str, params: &BTreeMap<String, String>) -> Result<Self> {
        let flow = AuthFlow::parse(flow)?;
        let device_key = params.get("DEVICE_KEY").cloned();
        if flow == AuthFlow::RefreshTokenAuth {
            return Ok(Self::Refresh {
                token: RefreshToken::new(required(params, "REFRESH_TOKEN")?),
                device_key,
            });
        }
        let username = required(params, "USERNAME")?;
        Ok(match flow {
            AuthFlow::UserSrpAuth => Self::UserSrp {
                username,
                srp_a: required(params, "SRP_A")?,
                device_key,
            },
            AuthFlow::UserPasswordAuth | AuthFlow::AdminUserPasswordAuth => Self::Password {
                admin: flow == AuthFlow::AdminUserPasswordAuth,
                username,
                password: srp::Password::new(required(params, "PASSWORD")?),
                device_key,
            },
            AuthFlow::UserAuth => Self::UserAuth {
                username,
                preferred: match params.get("PREFERRED_CHALLENGE") {
                    Some(name) => Some(FactorChoice::from_wire(
                        name,
                        params,
                        "PREFERRED_CHALLENGE",
                    )?),
                    None => None,
                },
                device_key,
            },
            AuthFlow::CustomAuth | AuthFlow::RefreshTokenAuth => {
                let srp_a = params.get("SRP_A").cloned();
                if srp_a.is_none() && params.get("CHALLENGE_NAME").is_some_and(|c| c == "SRP_A") {
                    return Err(FlowError::MissingParameter("SRP_A"));
                }
                Self::Custom {
                    username,
                    srp_a,
                    device_key,
                }
            }
        })
    }

    /// The flow asked for.
    pub fn flow(&self) -> AuthFlow {
        match self {
            Self::UserSrp { .. } => AuthFlow::UserSrpAuth,
            Self::Password { admin: false, .. } => AuthFlow::UserPasswordAuth,
            Self::Password { admin: true, .. } => AuthFlow::AdminUserPasswordAuth,
            Self::Custom { .. } => AuthFlow::CustomAuth,
            Self::UserAuth { .. } => AuthFlow::UserAuth,
            Self::Refresh { .. } => AuthFlow::RefreshTokenAuth,
        }
    }

    /// The plain password, in the password flows (the facade's UserMigration trigger needs
    /// it when the user is not found).
    pub fn password(&self) -> Option<&srp::Password> {
        match self {
            Self::Password { password, .. }
            | Self::UserAuth {
                preferred: Some(FactorChoice::Password(password)),
                ..
            } => Some(password),
            _ => None,
        }
    }
}
