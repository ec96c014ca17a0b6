//! Pre/PostAuthentication and the custom-challenge triggers.

use core::fmt;

use serde::{Deserialize, Serialize};

use super::{ResponseRules, StringMap, null_as_default};

/// PreAuthentication request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreAuthenticationRequest {
    /// The user's attributes.
    pub user_attributes: StringMap,
    /// Set when PreventUserExistenceErrors hides a missing user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_not_found: Option<bool>,
    /// `ValidationData` of the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_data: Option<StringMap>,
    /// `ClientMetadata` of the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<StringMap>,
}

/// PostAuthentication request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostAuthenticationRequest {
    /// The user's attributes.
    pub user_attributes: StringMap,
    /// A device was used for the first time.
    pub new_device_used: bool,
    /// `ClientMetadata` of the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<StringMap>,
}

/// One step of a custom-auth session, as DefineAuthChallenge and CreateAuthChallenge see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChallengeResult {
    /// `CUSTOM_CHALLENGE`, `SRP_A`, `PASSWORD_VERIFIER`, `SMS_MFA`, …
    pub challenge_name: String,
    /// Whether it was answered correctly.
    pub challenge_result: bool,
    /// CreateAuthChallenge's `challengeMetadata` (custom challenges only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge_metadata: Option<String>,
}

/// DefineAuthChallenge request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DefineAuthChallengeRequest {
    /// The user's attributes.
    pub user_attributes: StringMap,
    /// The session so far.
    pub session: Vec<ChallengeResult>,
    /// Set when PreventUserExistenceErrors hides a missing user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_not_found: Option<bool>,
    /// `ClientMetadata` of the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<StringMap>,
}

/// DefineAuthChallenge response.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DefineAuthChallengeResponse {
    /// The next challenge, if any.
    #[serde(default)]
    pub challenge_name: Option<String>,
    /// Issue tokens now.
    #[serde(default, deserialize_with = "null_as_default")]
    pub issue_tokens: bool,
    /// End the sign-in with `NotAuthorizedException`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub fail_authentication: bool,
}

impl ResponseRules for DefineAuthChallengeResponse {
    fn check(&self) -> Result<(), String> {
        if self.issue_tokens && self.fail_authentication {
            return Err("issueTokens and failAuthentication cannot both be true".into());
        }
        Ok(())
    }
}

/// CreateAuthChallenge request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateAuthChallengeRequest {
    /// The user's attributes.
    pub user_attributes: StringMap,
    /// The challenge DefineAuthChallenge chose.
    pub challenge_name: String,
    /// The session so far.
    pub session: Vec<ChallengeResult>,
    /// Set when PreventUserExistenceErrors hides a missing user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_not_found: Option<bool>,
    /// `ClientMetadata` of the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<StringMap>,
}

/// CreateAuthChallenge response. The private parameters (often the expected answer) are a
/// secret: redacted in `Debug`.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateAuthChallengeResponse {
    /// Sent to the client as `ChallengeParameters`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub public_challenge_parameters: StringMap,
    /// Kept server-side for VerifyAuthChallengeResponse.
    #[serde(default, deserialize_with = "null_as_default")]
    pub private_challenge_parameters: StringMap,
    /// Recorded in the session.
    #[serde(default)]
    pub challenge_metadata: Option<String>,
}

impl fmt::Debug for CreateAuthChallengeResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateAuthChallengeResponse")
            .field(
                "public_challenge_parameters",
                &self.public_challenge_parameters,
            )
            .field("private_challenge_parameters", &"<redacted>")
            .field("challenge_metadata", &self.challenge_metadata)
            .finish()
    }
}

impl ResponseRules for CreateAuthChallengeResponse {}

/// VerifyAuthChallengeResponse request. The answer and the private parameters are secrets:
/// redacted in `Debug`.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyAuthChallengeRequest {
    /// The user's attributes.
    pub user_attributes: StringMap,
    /// CreateAuthChallenge's private parameters.
    pub private_challenge_parameters: StringMap,
    /// What the user answered.
    pub challenge_answer: String,
    /// Set when PreventUserExistenceErrors hides a missing user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_not_found: Option<bool>,
    /// `ClientMetadata` of the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<StringMap>,
}

impl fmt::Debug for VerifyAuthChallengeRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyAuthChallengeRequest")
            .field("user_attributes", &self.user_attributes)
            .field("private_challenge_parameters", &"<redacted>")
            .field("challenge_answer", &"<redacted>")
            .field("user_not_found", &self.user_not_found)
            .finish_non_exhaustive()
    }
}

/// VerifyAuthChallengeResponse response.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyAuthChallengeResponse {
    /// Whether the answer was right.
    #[serde(default, deserialize_with = "null_as_default")]
    pub answer_correct: bool,
}

impl ResponseRules for VerifyAuthChallengeResponse {}
