//! Cognito's Lambda event JSON, as typed Rust values.
//!
//! Field names are exactly Cognito's (camelCase); unknown response fields are ignored; a
//! response field of the wrong type is an error. `null` where a response member is expected
//! counts as absent, as Lambda code often returns it.

mod auth;
mod custom_sender;
mod sign_up;
mod token;

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

pub use auth::*;
pub use custom_sender::*;
pub use sign_up::*;
pub use token::*;

use crate::kind::TriggerSource;

/// A string → string map (`userAttributes`, `clientMetadata`, challenge parameters…).
pub type StringMap = BTreeMap<String, String>;

/// `callerContext`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallerContext {
    /// The caller's SDK (`aws-sdk-unknown-unknown` when unknown).
    pub aws_sdk_version: String,
    /// The app client (empty for admin calls without one).
    pub client_id: String,
}

/// The common envelope every trigger receives and returns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    rename_all = "camelCase",
    bound(deserialize = "Req: Deserialize<'de>, Resp: Deserialize<'de> + Default")
)]
pub struct Event<Req, Resp> {
    /// `"1"` for classic triggers; `"2"` / `"3"` for PreTokenGeneration V2 / V3.
    pub version: String,
    /// Why the trigger fired.
    pub trigger_source: TriggerSource,
    /// The pool's region.
    pub region: String,
    /// The pool id.
    pub user_pool_id: String,
    /// The internal username (for UserMigration: what the user typed).
    pub user_name: String,
    /// Who called.
    pub caller_context: CallerContext,
    /// The trigger's request.
    pub request: Req,
    /// The trigger's response (filled in by the handler).
    #[serde(default, deserialize_with = "null_as_default")]
    pub response: Resp,
}

/// What every response type checks beyond its JSON shape.
pub trait ResponseRules {
    /// Values Cognito refuses (an unknown `finalUserStatus`, …), as a reason.
    fn check(&self) -> Result<(), String> {
        Ok(())
    }
}

/// `null` or absent → `Default`.
pub(crate) fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// A response that carries nothing (PostConfirmation, Pre/PostAuthentication, the custom
/// senders).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EmptyResponse {}

impl ResponseRules for EmptyResponse {}
