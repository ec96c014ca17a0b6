//! Answers to challenges, typed: the wire's `ChallengeResponses` map is read once, here, into
//! one variant per challenge with exactly its fields; the states take these. A missing or
//! malformed member is refused before any state is opened.

use std::collections::BTreeMap;

use user_pool_model::Attribute;

use crate::error::{FlowError, Result};
use crate::flows::ChallengeName;
use crate::state::MfaKind;
use crate::user_auth::FactorChoice;

/// `PASSWORD_CLAIM_SECRET_BLOCK`, `PASSWORD_CLAIM_SIGNATURE` and `TIMESTAMP`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordClaim {
    /// `PASSWORD_CLAIM_SECRET_BLOCK` (the `SECRET_BLOCK` issued with the challenge).
    pub secret_block: String,
    /// `PASSWORD_CLAIM_SIGNATURE`.
    pub signature: String,
    /// `TIMESTAMP` (`EEE MMM d HH:mm:ss UTC yyyy`).
    pub timestamp: String,
}

impl PasswordClaim {
    pub(crate) fn as_srp(&self) -> srp::PasswordClaim<'_> {
        srp::PasswordClaim {
            secret_block: &self.secret_block,
            signature: &self.signature,
            timestamp: &self.timestamp,
        }
    }
}

/// One challenge's answer, with its fields.
#[non_exhaustive]
#[derive(Debug)]
pub enum ChallengeResponse {
    /// `PASSWORD_VERIFIER`: the SRP password claim.
    PasswordVerifier(PasswordClaim),
    /// `NEW_PASSWORD_REQUIRED`: `NEW_PASSWORD` and `userAttributes.<name>` values.
    NewPasswordRequired {
        /// `NEW_PASSWORD`.
        new_password: srp::Password,
        /// `userAttributes.<name>` members, as attributes.
        attributes: Vec<Attribute>,
    },
    /// `SMS_MFA`: `SMS_MFA_CODE`.
    SmsMfa {
        /// The code.
        code: String,
    },
    /// `EMAIL_OTP`: `EMAIL_OTP_CODE`.
    EmailOtp {
        /// The code.
        code: String,
    },
    /// `SOFTWARE_TOKEN_MFA`: `SOFTWARE_TOKEN_MFA_CODE`.
    SoftwareTokenMfa {
        /// The code.
        code: String,
    },
    /// `SELECT_MFA_TYPE`: `ANSWER`, the factor chosen.
    SelectMfaType {
        /// The factor.
        choice: MfaKind,
    },
    /// `MFA_SETUP`: nothing beyond the session (VerifySoftwareToken verified the factor).
    MfaSetup,
    /// `CUSTOM_CHALLENGE`: `ANSWER`, for VerifyAuthChallengeResponse.
    CustomChallenge {
        /// The answer.
        answer: String,
    },
    /// `DEVICE_SRP_AUTH`: `DEVICE_KEY` and a fresh `SRP_A`.
    DeviceSrpAuth {
        /// `DEVICE_KEY`.
        device_key: String,
        /// `SRP_A`.
        srp_a: String,
    },
    /// `SELECT_CHALLENGE`: `ANSWER`, the first factor chosen, with its inputs.
    SelectChallenge(FactorChoice),
    /// `SMS_OTP`: `SMS_OTP_CODE`.
    SmsOtp {
        /// The code.
        code: String,
    },
    /// `WEB_AUTHN`: `CREDENTIAL`, the `AuthenticationResponseJSON` as a JSON string.
    WebAuthn {
        /// The JSON text.
        credential: String,
    },
    /// `DEVICE_PASSWORD_VERIFIER`: the device's password claim (and `DEVICE_KEY`, if sent).
    DevicePasswordVerifier {
        /// The claim.
        claim: PasswordClaim,
        /// `DEVICE_KEY`, when the client repeats it.
        device_key: Option<String>,
    },
}

impl ChallengeResponse {
    /// The challenge this answers.
    pub fn challenge(&self) -> ChallengeName {
        match self {
            Self::PasswordVerifier(_) => ChallengeName::PasswordVerifier,
            Self::NewPasswordRequired { .. } => ChallengeName::NewPasswordRequired,
            Self::SmsMfa { .. } => ChallengeName::SmsMfa,
            Self::EmailOtp { .. } => ChallengeName::EmailOtp,
            Self::SoftwareTokenMfa { .. } => ChallengeName::SoftwareTokenMfa,
            Self::SelectMfaType { .. } => ChallengeName::SelectMfaType,
            Self::MfaSetup => ChallengeName::MfaSetup,
            Self::CustomChallenge { .. } => ChallengeName::CustomChallenge,
            Self::DeviceSrpAuth { .. } => ChallengeName::DeviceSrpAuth,
            Self::DevicePasswordVerifier { .. } => ChallengeName::DevicePasswordVerifier,
            Self::SelectChallenge(_) => ChallengeName::SelectChallenge,
            Self::SmsOtp { .. } => ChallengeName::SmsOtp,
            Self::WebAuthn { .. } => ChallengeName::WebAuthn,
        }
    }

    /// The claim whose `PASSWORD_CLAIM_SECRET_BLOCK` carries the sealed state (the SRP
    /// verifier steps: clients like pycognito send no `Session`).
    pub fn password_claim(&self) -> Option<&PasswordClaim> {
        match self {
            Self::PasswordVerifier(claim) | Self::DevicePasswordVerifier { claim, .. } => {
                Some(claim)
            }
            _ => None,
        }
    }
}

/// An answer: who answers (`USERNAME`) and what.
#[derive(Debug)]
pub struct ChallengeAnswer {
    /// `USERNAME`: the internal username or what the user typed at InitiateAuth.
    pub username: String,
    /// The answer.
    pub response: ChallengeResponse,
}

const ATTRIBUTE_PREFIX: &str = "userAttributes.";

fn required<'a>(map: &'a BTreeMap<String, String>, key: &'static str) -> Result<&'a str> {
    map.get(key)
        .map(String::as_str)
        .ok_or(FlowError::MissingParameter(key))
}

impl ChallengeAnswer {
    /// Reads `ChallengeName` and `ChallengeResponses` as they come over the wire.
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// use auth_flow_state_machine::{ChallengeAnswer, ChallengeResponse, FlowError};
    ///
    /// let map = BTreeMap::from([
    ///     ("USERNAME".to_owned(), "alice".to_owned()),
    ///     ("SOFTWARE_TOKEN_MFA_CODE".to_owned(), "123456".to_owned()),
    /// ]);
    /// let answer = ChallengeAnswer::from_wire("SOFTWARE_TOKEN_MFA", &map)?;
    /// assert!(matches!(answer.response, ChallengeResponse::SoftwareTokenMfa { ref code } if code == "123456"));
    /// assert_eq!(
    ///     ChallengeAnswer::from_wire("SMS_MFA", &map).unwrap_err(),
    ///     FlowError::MissingParameter("SMS_MFA_CODE")
    /// );
    /// # Ok::<(), FlowError>(())
    /// ```
    pub fn from_wire(challenge_name: &str, responses: &BTreeMap<String, String>) -> Result<Self> {
        let challenge = ChallengeName::parse(challenge_name).ok_or(FlowError::UnknownChallenge)?;
        let claim = || -> Result<PasswordClaim> {
            Ok(PasswordClaim {
                secret_block: required(responses, "PASSWORD_CLAIM_SECRET_BLOCK")?.to_owned(),
                signature: required(responses, "PASSWORD_CLAIM_SIGNATURE")?.to_owned(),
                timestamp: required(responses, "TIMESTAMP")?.to_owned(),
            })
        };
        let code = |key| required(responses, key).map(str::to_owned);
        let response = match challenge {
            ChallengeName::PasswordVerifier => ChallengeResponse::PasswordVerifier(claim()?),
            ChallengeName::NewPasswordRequired => ChallengeResponse::NewPasswordRequired {
                new_password: srp::Password::new(required(responses, "NEW_PASSWORD")?),
                attributes: responses
                    .iter()
                    .filter_map(|(k, v)| {
                        k.strip_prefix(ATTRIBUTE_PREFIX)
                            .map(|name| Attribute::new(name, v))
                    })
                    .collect(),
            },
            ChallengeName::SmsMfa => ChallengeResponse::SmsMfa {
                code: code("SMS_MFA_CODE")?,
            },
            ChallengeName::EmailOtp => ChallengeResponse::EmailOtp {
                code: code("EMAIL_OTP_CODE")?,
            },
            ChallengeName::SoftwareTokenMfa => ChallengeResponse::SoftwareTokenMfa {
                code: code("SOFTWARE_TOKEN_MFA_CODE")?,
            },
            ChallengeName::SelectMfaType => ChallengeResponse::SelectMfaType {
                choice: MfaKind::parse_answer(required(responses, "ANSWER")?).ok_or(
                    FlowError::InvalidParameter(
                        "The MFA type in ANSWER is not one the user can choose",
                    ),
                )?,
            },
            ChallengeName::MfaSetup => ChallengeResponse::MfaSetup,
            ChallengeName::CustomChallenge => ChallengeResponse::CustomChallenge {
                answer: code("ANSWER")?,
            },
            ChallengeName::DeviceSrpAuth => ChallengeResponse::DeviceSrpAuth {
                device_key: code("DEVICE_KEY")?,
                srp_a: code("SRP_A")?,
            },
            ChallengeName::DevicePasswordVerifier => ChallengeResponse::DevicePasswordVerifier {
                claim: claim()?,
                device_key: responses.get("DEVICE_KEY").cloned(),
            },
            ChallengeName::SelectChallenge => ChallengeResponse::SelectChallenge(
                FactorChoice::from_wire(required(responses, "ANSWER")?, responses, "ANSWER")?,
            ),
            ChallengeName::SmsOtp => ChallengeResponse::SmsOtp {
                code: code("SMS_OTP_CODE")?,
            },
            ChallengeName::Password | ChallengeName::PasswordSrp => {
                return Err(FlowError::InvalidParameter(
                    "PASSWORD and PASSWORD_SRP are answered through SELECT_CHALLENGE",
                ));
            }
            ChallengeName::WebAuthn => ChallengeResponse::WebAuthn {
                credential: code("CREDENTIAL")?,
            },
        };
        Ok(Self {
            username: required(responses, "USERNAME")?.to_owned(),
            response,
        })
    }

    /// The challenge this answers.
    pub fn challenge(&self) -> ChallengeName {
        self.response.challenge()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn every_challenge_reads_its_members_and_nothing_else() {
        let m = map(&[
            ("USERNAME", "u"),
            ("NEW_PASSWORD", "N3w-Passw0rd!"),
            ("userAttributes.name", "Ann"),
            ("ANSWER", "SMS_MFA"),
        ]);
        let a = ChallengeAnswer::from_wire("NEW_PASSWORD_REQUIRED", &m).expect("parsed");
        let ChallengeResponse::NewPasswordRequired { attributes, .. } = &a.response else {
            panic!("variant");
        };
        assert_eq!(attributes, &vec![Attribute::new("name", "Ann")]);
        assert!(matches!(
            ChallengeAnswer::from_wire("SELECT_MFA_TYPE", &m)
                .expect("parsed")
                .response,
            ChallengeResponse::SelectMfaType {
                choice: MfaKind::Sms
            }
        ));
        assert_eq!(
            ChallengeAnswer::from_wire("PASSWORD_VERIFIER", &m).unwrap_err(),
            FlowError::MissingParameter("PASSWORD_CLAIM_SECRET_BLOCK")
        );
        assert_eq!(
            ChallengeAnswer::from_wire("NOPE", &m).unwrap_err(),
            FlowError::UnknownChallenge
        );
        assert_eq!(
            ChallengeAnswer::from_wire("MFA_SETUP", &map(&[])).unwrap_err(),
            FlowError::MissingParameter("USERNAME")
        );
        assert!(matches!(
            ChallengeAnswer::from_wire(
                "SELECT_MFA_TYPE",
                &map(&[("USERNAME", "u"), ("ANSWER", "CARRIER_PIGEON")])
            ),
            Err(FlowError::InvalidParameter(_))
        ));
        for name in [
            "PASSWORD_VERIFIER",
            "DEVICE_PASSWORD_VERIFIER",
            "SMS_MFA",
            "EMAIL_OTP",
            "SOFTWARE_TOKEN_MFA",
            "CUSTOM_CHALLENGE",
            "DEVICE_SRP_AUTH",
            "MFA_SETUP",
        ] {
            let full = map(&[
                ("USERNAME", "u"),
                ("PASSWORD_CLAIM_SECRET_BLOCK", "b"),
                ("PASSWORD_CLAIM_SIGNATURE", "s"),
                ("TIMESTAMP", "t"),
                ("SMS_MFA_CODE", "1"),
                ("EMAIL_OTP_CODE", "2"),
                ("SOFTWARE_TOKEN_MFA_CODE", "3"),
                ("ANSWER", "a"),
                ("DEVICE_KEY", "d"),
                ("SRP_A", "ab"),
            ]);
            let a = ChallengeAnswer::from_wire(name, &full).expect(name);
            assert_eq!(a.challenge().as_str(), name);
            assert_eq!(
                a.response.password_claim().is_some(),
                name.ends_with("PASSWORD_VERIFIER")
            );
        }
    }
}
