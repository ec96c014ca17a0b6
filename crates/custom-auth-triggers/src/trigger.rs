//! Each trigger as a type that names its request and response.

use core::fmt::Debug;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::events::*;
use crate::kind::TriggerKind;

/// A trigger: its kind and its request / response types.
pub trait Trigger: Send + Sync + 'static {
    /// Which trigger.
    const KIND: TriggerKind;
    /// The `request` member.
    type Request: Serialize + DeserializeOwned + Debug + Clone + Send + Sync + 'static;
    /// The `response` member.
    type Response: Serialize
        + DeserializeOwned
        + Debug
        + Clone
        + Default
        + ResponseRules
        + Send
        + Sync
        + 'static;
}

macro_rules! trigger {
    ($(#[$doc:meta] $name:ident, $event:ident: $req:ty => $resp:ty;)*) => {$(
        #[$doc]
        #[derive(Debug, Clone, Copy)]
        pub struct $name;

        impl Trigger for $name {
            const KIND: TriggerKind = TriggerKind::$name;
            type Request = $req;
            type Response = $resp;
        }

        #[doc = concat!("The full ", stringify!($name), " event.")]
        pub type $event = Event<$req, $resp>;
    )*};
}

trigger! {
    /// `PreSignUp`.
    PreSignUp, PreSignUpEvent: PreSignUpRequest => PreSignUpResponse;
    /// `PostConfirmation`.
    PostConfirmation, PostConfirmationEvent: PostConfirmationRequest => EmptyResponse;
    /// `PreAuthentication`.
    PreAuthentication, PreAuthenticationEvent: PreAuthenticationRequest => EmptyResponse;
    /// `PostAuthentication`.
    PostAuthentication, PostAuthenticationEvent: PostAuthenticationRequest => EmptyResponse;
    /// `DefineAuthChallenge`.
    DefineAuthChallenge, DefineAuthChallengeEvent: DefineAuthChallengeRequest => DefineAuthChallengeResponse;
    /// `CreateAuthChallenge`.
    CreateAuthChallenge, CreateAuthChallengeEvent: CreateAuthChallengeRequest => CreateAuthChallengeResponse;
    /// `VerifyAuthChallengeResponse`.
    VerifyAuthChallengeResponse, VerifyAuthChallengeResponseEvent: VerifyAuthChallengeRequest => crate::events::VerifyAuthChallengeResponse;
    /// `PreTokenGeneration` (V1, V2 and V3 share the shape).
    PreTokenGeneration, PreTokenGenerationEvent: PreTokenGenerationRequest => PreTokenGenerationResponse;
    /// `UserMigration`.
    UserMigration, UserMigrationEvent: UserMigrationRequest => UserMigrationResponse;
    /// `CustomMessage`.
    CustomMessage, CustomMessageEvent: CustomMessageRequest => CustomMessageResponse;
    /// `CustomEmailSender`.
    CustomEmailSender, CustomEmailSenderEvent: CustomSenderRequest => EmptyResponse;
    /// `CustomSMSSender`.
    CustomSmsSender, CustomSmsSenderEvent: CustomSenderRequest => EmptyResponse;
}
