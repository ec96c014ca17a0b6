//! The triggers and every `triggerSource` value.

use core::fmt;

use serde::{Deserialize, Serialize};

/// A trigger, named as in `LambdaConfig`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TriggerKind {
    /// `PreSignUp`.
    PreSignUp,
    /// `PostConfirmation`.
    PostConfirmation,
    /// `PreAuthentication`.
    PreAuthentication,
    /// `PostAuthentication`.
    PostAuthentication,
    /// `DefineAuthChallenge`.
    DefineAuthChallenge,
    /// `CreateAuthChallenge`.
    CreateAuthChallenge,
    /// `VerifyAuthChallengeResponse`.
    VerifyAuthChallengeResponse,
    /// `PreTokenGeneration`.
    PreTokenGeneration,
    /// `UserMigration`.
    UserMigration,
    /// `CustomMessage`.
    CustomMessage,
    /// `CustomEmailSender`: delivers every email itself (the code arrives encrypted).
    CustomEmailSender,
    /// `CustomSMSSender`: delivers every SMS itself (the code arrives encrypted).
    CustomSmsSender,
}

impl TriggerKind {
    /// All twelve (the ten `ArnType` triggers and the two custom senders).
    pub const ALL: [Self; 12] = [
        Self::PreSignUp,
        Self::PostConfirmation,
        Self::PreAuthentication,
        Self::PostAuthentication,
        Self::DefineAuthChallenge,
        Self::CreateAuthChallenge,
        Self::VerifyAuthChallengeResponse,
        Self::PreTokenGeneration,
        Self::UserMigration,
        Self::CustomMessage,
        Self::CustomEmailSender,
        Self::CustomSmsSender,
    ];

    /// The `LambdaConfig` key (also used in Cognito's error messages).
    pub fn name(self) -> &'static str {
        match self {
            Self::PreSignUp => "PreSignUp",
            Self::PostConfirmation => "PostConfirmation",
            Self::PreAuthentication => "PreAuthentication",
            Self::PostAuthentication => "PostAuthentication",
            Self::DefineAuthChallenge => "DefineAuthChallenge",
            Self::CreateAuthChallenge => "CreateAuthChallenge",
            Self::VerifyAuthChallengeResponse => "VerifyAuthChallengeResponse",
            Self::PreTokenGeneration => "PreTokenGeneration",
            Self::UserMigration => "UserMigration",
            Self::CustomMessage => "CustomMessage",
            Self::CustomEmailSender => "CustomEmailSender",
            Self::CustomSmsSender => "CustomSMSSender",
        }
    }

    /// The trigger with `LambdaConfig` key `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }
}

impl fmt::Display for TriggerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `triggerSource`: why a trigger fired.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TriggerSource {
    /// `PreSignUp_SignUp`.
    #[serde(rename = "PreSignUp_SignUp")]
    PreSignUpSignUp,
    /// `PreSignUp_AdminCreateUser`.
    #[serde(rename = "PreSignUp_AdminCreateUser")]
    PreSignUpAdminCreateUser,
    /// `PreSignUp_ExternalProvider`.
    #[serde(rename = "PreSignUp_ExternalProvider")]
    PreSignUpExternalProvider,
    /// `PostConfirmation_ConfirmSignUp`.
    #[serde(rename = "PostConfirmation_ConfirmSignUp")]
    PostConfirmationConfirmSignUp,
    /// `PostConfirmation_ConfirmForgotPassword`.
    #[serde(rename = "PostConfirmation_ConfirmForgotPassword")]
    PostConfirmationConfirmForgotPassword,
    /// `PreAuthentication_Authentication`.
    #[serde(rename = "PreAuthentication_Authentication")]
    PreAuthenticationAuthentication,
    /// `PostAuthentication_Authentication`.
    #[serde(rename = "PostAuthentication_Authentication")]
    PostAuthenticationAuthentication,
    /// `DefineAuthChallenge_Authentication`.
    #[serde(rename = "DefineAuthChallenge_Authentication")]
    DefineAuthChallengeAuthentication,
    /// `CreateAuthChallenge_Authentication`.
    #[serde(rename = "CreateAuthChallenge_Authentication")]
    CreateAuthChallengeAuthentication,
    /// `VerifyAuthChallengeResponse_Authentication`.
    #[serde(rename = "VerifyAuthChallengeResponse_Authentication")]
    VerifyAuthChallengeResponseAuthentication,
    /// `TokenGeneration_HostedAuth`.
    #[serde(rename = "TokenGeneration_HostedAuth")]
    TokenGenerationHostedAuth,
    /// `TokenGeneration_Authentication`.
    #[serde(rename = "TokenGeneration_Authentication")]
    TokenGenerationAuthentication,
    /// `TokenGeneration_NewPasswordChallenge`.
    #[serde(rename = "TokenGeneration_NewPasswordChallenge")]
    TokenGenerationNewPasswordChallenge,
    /// `TokenGeneration_AuthenticateDevice`.
    #[serde(rename = "TokenGeneration_AuthenticateDevice")]
    TokenGenerationAuthenticateDevice,
    /// `TokenGeneration_RefreshTokens`.
    #[serde(rename = "TokenGeneration_RefreshTokens")]
    TokenGenerationRefreshTokens,
    /// `TokenGeneration_ClientCredentials` (V3 only).
    #[serde(rename = "TokenGeneration_ClientCredentials")]
    TokenGenerationClientCredentials,
    /// `UserMigration_Authentication`.
    #[serde(rename = "UserMigration_Authentication")]
    UserMigrationAuthentication,
    /// `UserMigration_ForgotPassword`.
    #[serde(rename = "UserMigration_ForgotPassword")]
    UserMigrationForgotPassword,
    /// `CustomMessage_SignUp`.
    #[serde(rename = "CustomMessage_SignUp")]
    CustomMessageSignUp,
    /// `CustomMessage_AdminCreateUser`.
    #[serde(rename = "CustomMessage_AdminCreateUser")]
    CustomMessageAdminCreateUser,
    /// `CustomMessage_ResendCode`.
    #[serde(rename = "CustomMessage_ResendCode")]
    CustomMessageResendCode,
    /// `CustomMessage_ForgotPassword`.
    #[serde(rename = "CustomMessage_ForgotPassword")]
    CustomMessageForgotPassword,
    /// `CustomMessage_UpdateUserAttribute`.
    #[serde(rename = "CustomMessage_UpdateUserAttribute")]
    CustomMessageUpdateUserAttribute,
    /// `CustomMessage_VerifyUserAttribute`.
    #[serde(rename = "CustomMessage_VerifyUserAttribute")]
    CustomMessageVerifyUserAttribute,
    /// `CustomMessage_Authentication` (SMS MFA code).
    #[serde(rename = "CustomMessage_Authentication")]
    CustomMessageAuthentication,
    /// `CustomEmailSender_SignUp`.
    #[serde(rename = "CustomEmailSender_SignUp")]
    CustomEmailSenderSignUp,
    /// `CustomEmailSender_ResendCode`.
    #[serde(rename = "CustomEmailSender_ResendCode")]
    CustomEmailSenderResendCode,
    /// `CustomEmailSender_ForgotPassword`.
    #[serde(rename = "CustomEmailSender_ForgotPassword")]
    CustomEmailSenderForgotPassword,
    /// `CustomEmailSender_UpdateUserAttribute`.
    #[serde(rename = "CustomEmailSender_UpdateUserAttribute")]
    CustomEmailSenderUpdateUserAttribute,
    /// `CustomEmailSender_VerifyUserAttribute`.
    #[serde(rename = "CustomEmailSender_VerifyUserAttribute")]
    CustomEmailSenderVerifyUserAttribute,
    /// `CustomEmailSender_AdminCreateUser`.
    #[serde(rename = "CustomEmailSender_AdminCreateUser")]
    CustomEmailSenderAdminCreateUser,
    /// `CustomEmailSender_AccountTakeOverNotification`.
    #[serde(rename = "CustomEmailSender_AccountTakeOverNotification")]
    CustomEmailSenderAccountTakeOverNotification,
    /// `CustomEmailSender_Authentication`.
    #[serde(rename = "CustomEmailSender_Authentication")]
    CustomEmailSenderAuthentication,
    /// `CustomSMSSender_SignUp`.
    #[serde(rename = "CustomSMSSender_SignUp")]
    CustomSmsSenderSignUp,
    /// `CustomSMSSender_ResendCode`.
    #[serde(rename = "CustomSMSSender_ResendCode")]
    CustomSmsSenderResendCode,
    /// `CustomSMSSender_ForgotPassword`.
    #[serde(rename = "CustomSMSSender_ForgotPassword")]
    CustomSmsSenderForgotPassword,
    /// `CustomSMSSender_UpdateUserAttribute`.
    #[serde(rename = "CustomSMSSender_UpdateUserAttribute")]
    CustomSmsSenderUpdateUserAttribute,
    /// `CustomSMSSender_VerifyUserAttribute`.
    #[serde(rename = "CustomSMSSender_VerifyUserAttribute")]
    CustomSmsSenderVerifyUserAttribute,
    /// `CustomSMSSender_AdminCreateUser`.
    #[serde(rename = "CustomSMSSender_AdminCreateUser")]
    CustomSmsSenderAdminCreateUser,
    /// `CustomSMSSender_Authentication`.
    #[serde(rename = "CustomSMSSender_Authentication")]
    CustomSmsSenderAuthentication,
}

impl TriggerSource {
    /// Every source.
    pub const ALL: [Self; 40] = [
        Self::PreSignUpSignUp,
        Self::PreSignUpAdminCreateUser,
        Self::PreSignUpExternalProvider,
        Self::PostConfirmationConfirmSignUp,
        Self::PostConfirmationConfirmForgotPassword,
        Self::PreAuthenticationAuthentication,
        Self::PostAuthenticationAuthentication,
        Self::DefineAuthChallengeAuthentication,
        Self::CreateAuthChallengeAuthentication,
        Self::VerifyAuthChallengeResponseAuthentication,
        Self::TokenGenerationHostedAuth,
        Self::TokenGenerationAuthentication,
        Self::TokenGenerationNewPasswordChallenge,
        Self::TokenGenerationAuthenticateDevice,
        Self::TokenGenerationRefreshTokens,
        Self::TokenGenerationClientCredentials,
        Self::UserMigrationAuthentication,
        Self::UserMigrationForgotPassword,
        Self::CustomMessageSignUp,
        Self::CustomMessageAdminCreateUser,
        Self::CustomMessageResendCode,
        Self::CustomMessageForgotPassword,
        Self::CustomMessageUpdateUserAttribute,
        Self::CustomMessageVerifyUserAttribute,
        Self::CustomMessageAuthentication,
        Self::CustomEmailSenderSignUp,
        Self::CustomEmailSenderResendCode,
        Self::CustomEmailSenderForgotPassword,
        Self::CustomEmailSenderUpdateUserAttribute,
        Self::CustomEmailSenderVerifyUserAttribute,
        Self::CustomEmailSenderAdminCreateUser,
        Self::CustomEmailSenderAccountTakeOverNotification,
        Self::CustomEmailSenderAuthentication,
        Self::CustomSmsSenderSignUp,
        Self::CustomSmsSenderResendCode,
        Self::CustomSmsSenderForgotPassword,
        Self::CustomSmsSenderUpdateUserAttribute,
        Self::CustomSmsSenderVerifyUserAttribute,
        Self::CustomSmsSenderAdminCreateUser,
        Self::CustomSmsSenderAuthentication,
    ];

    /// The trigger this source belongs to.
    pub fn kind(self) -> TriggerKind {
        use TriggerSource::*;
        match self {
            PreSignUpSignUp | PreSignUpAdminCreateUser | PreSignUpExternalProvider => {
                TriggerKind::PreSignUp
            }
            PostConfirmationConfirmSignUp | PostConfirmationConfirmForgotPassword => {
                TriggerKind::PostConfirmation
            }
            PreAuthenticationAuthentication => TriggerKind::PreAuthentication,
            PostAuthenticationAuthentication => TriggerKind::PostAuthentication,
            DefineAuthChallengeAuthentication => TriggerKind::DefineAuthChallenge,
            CreateAuthChallengeAuthentication => TriggerKind::CreateAuthChallenge,
            VerifyAuthChallengeResponseAuthentication => TriggerKind::VerifyAuthChallengeResponse,
            TokenGenerationHostedAuth
            | TokenGenerationAuthentication
            | TokenGenerationNewPasswordChallenge
            | TokenGenerationAuthenticateDevice
            | TokenGenerationRefreshTokens
            | TokenGenerationClientCredentials => TriggerKind::PreTokenGeneration,
            UserMigrationAuthentication | UserMigrationForgotPassword => TriggerKind::UserMigration,
            CustomMessageSignUp
            | CustomMessageAdminCreateUser
            | CustomMessageResendCode
            | CustomMessageForgotPassword
            | CustomMessageUpdateUserAttribute
            | CustomMessageVerifyUserAttribute
            | CustomMessageAuthentication => TriggerKind::CustomMessage,
            CustomEmailSenderSignUp
            | CustomEmailSenderResendCode
            | CustomEmailSenderForgotPassword
            | CustomEmailSenderUpdateUserAttribute
            | CustomEmailSenderVerifyUserAttribute
            | CustomEmailSenderAdminCreateUser
            | CustomEmailSenderAccountTakeOverNotification
            | CustomEmailSenderAuthentication => TriggerKind::CustomEmailSender,
            CustomSmsSenderSignUp
            | CustomSmsSenderResendCode
            | CustomSmsSenderForgotPassword
            | CustomSmsSenderUpdateUserAttribute
            | CustomSmsSenderVerifyUserAttribute
            | CustomSmsSenderAdminCreateUser
            | CustomSmsSenderAuthentication => TriggerKind::CustomSmsSender,
        }
    }
}
