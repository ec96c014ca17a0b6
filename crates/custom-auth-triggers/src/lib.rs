//! Cognito's Lambda triggers (the ten classic ones and the two custom senders) as typed Rust
//! hooks — and existing Lambda functions, unchanged.
//!
//! * [`events`]: every trigger's event with exactly Cognito's JSON (envelope, request, response,
//!   every `triggerSource`); unknown response fields are ignored, wrong types rejected.
//! * [`TriggerHandler`]: the async handler contract (event JSON in, event JSON with `response`
//!   out); [`handler_fn`] makes one from a typed closure; with the `lambda` feature,
//!   `LambdaClient` makes one from a Lambda ARN (the Invoke API over reqwest and rustls,
//!   SigV4-signed when credentials are given). Without it the crate has no network code.
//! * [`TriggerRegistry`]: a pool's triggers with Cognito's failure semantics — a handler error
//!   is `UserLambdaValidationException` (`PreSignUp failed with error <message>.`), a timeout
//!   (5 s by default) or unreachable function `UnexpectedLambdaException`, a malformed answer
//!   `InvalidLambdaResponseException` ([`TriggerError::exception`]).
//!
//! ```
//! use custom_auth_triggers::events::{CallerContext, Event, PreSignUpRequest, PreSignUpResponse};
//! use custom_auth_triggers::{PreSignUp, TriggerKind, TriggerRegistry, TriggerSource, handler_fn};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let registry = TriggerRegistry::new().with(
//!     TriggerKind::PreSignUp,
//!     handler_fn::<PreSignUp, _, _>(|event| async move {
//!         if event.request.user_attributes.get("email").is_some_and(|e| e.ends_with("@example.com")) {
//!             Ok(PreSignUpResponse { auto_confirm_user: true, ..Default::default() })
//!         } else {
//!             Err("Sign-up is for example.com only".into())
//!         }
//!     }),
//! );
//! let event = |email: &str| Event {
//!     version: "1".into(),
//!     trigger_source: TriggerSource::PreSignUpSignUp,
//!     region: "us-east-1".into(),
//!     user_pool_id: "us-east-1_AbCdEf123".into(),
//!     user_name: "alice".into(),
//!     caller_context: CallerContext { aws_sdk_version: "aws-sdk-unknown-unknown".into(), client_id: "client".into() },
//!     request: PreSignUpRequest { user_attributes: [("email".into(), email.into())].into(), ..Default::default() },
//!     response: PreSignUpResponse::default(),
//! };
//! let ok = registry.invoke::<PreSignUp>(event("a@example.com")).await.unwrap();
//! assert!(ok.is_some_and(|r| r.auto_confirm_user));
//! let err = registry.invoke::<PreSignUp>(event("a@evil.example")).await.unwrap_err();
//! assert_eq!(err.exception(), "UserLambdaValidationException");
//! assert_eq!(err.to_string(), "PreSignUp failed with error Sign-up is for example.com only.");
//! # });
//! ```

#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable
    )
)]

mod credentials;
mod error;
pub mod events;
mod handler;
mod kind;
#[cfg(feature = "lambda")]
mod lambda;
mod registry;
mod trigger;

pub use credentials::AwsCredentials;
pub use error::{HandlerError, TriggerError};
pub use handler::{TriggerHandler, handler_fn};
pub use kind::{TriggerKind, TriggerSource};
#[cfg(feature = "lambda")]
pub use lambda::{LambdaClient, MAX_RESPONSE_BYTES, function_name};
pub use registry::{DEFAULT_TIMEOUT, TriggerRegistry};
pub use trigger::*;
