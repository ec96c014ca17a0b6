//! The handler trait (Lambda's contract: event JSON in, event JSON with `response` out) and
//! the adapter for plain Rust closures.

use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;

use async_trait::async_trait;
use serde_json::Value;

use crate::error::HandlerError;
use crate::events::Event;
use crate::trigger::Trigger;

/// Something that runs a trigger: a Rust hook, a Lambda function, …
#[async_trait]
pub trait TriggerHandler: Send + Sync {
    /// Receives the whole event and returns it with `response` filled in.
    async fn handle(&self, event: Value) -> Result<Value, HandlerError>;
}

struct FnHandler<T, F> {
    f: F,
    _trigger: PhantomData<fn() -> T>,
}

#[async_trait]
impl<T, F, Fut> TriggerHandler for FnHandler<T, F>
where
    T: Trigger,
    F: Fn(Event<T::Request, T::Response>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<T::Response, String>> + Send + 'static,
{
    async fn handle(&self, event: Value) -> Result<Value, HandlerError> {
        let mut typed: Event<T::Request, T::Response> =
            serde_json::from_value(event).map_err(|e| {
                HandlerError::InvalidResponse(format!("event does not fit {}: {e}", T::KIND))
            })?;
        typed.response = (self.f)(typed.clone())
            .await
            .map_err(HandlerError::Failed)?;
        serde_json::to_value(typed).map_err(|e| HandlerError::InvalidResponse(e.to_string()))
    }
}

/// A handler from a typed Rust closure: it gets the event and returns the response, or an
/// error message (which Cognito reports as `UserLambdaValidationException`).
///
/// ```
/// use custom_auth_triggers::events::PreSignUpResponse;
/// use custom_auth_triggers::{PreSignUp, handler_fn};
/// let auto_confirm = handler_fn::<PreSignUp, _, _>(|event| async move {
///     let corporate = event.request.user_attributes.get("email").is_some_and(|e| e.ends_with("@example.com"));
///     if !corporate {
///         return Err("only example.com addresses may sign up".to_owned());
///     }
///     Ok(PreSignUpResponse { auto_confirm_user: true, auto_verify_email: true, ..Default::default() })
/// });
/// # let _ = auto_confirm;
/// ```
pub fn handler_fn<T, F, Fut>(f: F) -> Arc<dyn TriggerHandler>
where
    T: Trigger,
    F: Fn(Event<T::Request, T::Response>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<T::Response, String>> + Send + 'static,
{
    Arc::new(FnHandler::<T, F> {
        f,
        _trigger: PhantomData,
    })
}
