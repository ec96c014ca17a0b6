//! A pool's triggers: which handler runs each one, with what timeout, and Cognito's failure
//! semantics around it.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::error::{HandlerError, TriggerError};
use crate::events::{Event, ResponseRules};
use crate::handler::TriggerHandler;
use crate::kind::TriggerKind;
use crate::trigger::Trigger;

/// Cognito's trigger timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// The triggers of one pool (never global): one handler per trigger kind.
#[derive(Clone)]
pub struct TriggerRegistry {
    handlers: BTreeMap<TriggerKind, Arc<dyn TriggerHandler>>,
    timeout: Duration,
}

impl std::fmt::Debug for TriggerRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TriggerRegistry")
            .field("configured", &self.handlers.keys().collect::<Vec<_>>())
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl Default for TriggerRegistry {
    fn default() -> Self {
        Self::new()
    }
}

impl TriggerRegistry {
    /// No triggers, 5-second timeout.
    pub fn new() -> Self {
        Self {
            handlers: BTreeMap::new(),
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// Sets the timeout for every invocation.
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    #[cfg(feature = "lambda")]
    /// The registry a pool's `LambdaConfig` describes: each `TriggerKind` key's ARN becomes a
    /// Lambda handler through `client`. An unknown key is refused (returned as `Err`).
    pub fn from_lambda_config<'a>(
        lambda_config: impl IntoIterator<Item = (&'a String, &'a String)>,
        client: &crate::lambda::LambdaClient,
    ) -> Result<Self, String> {
        let mut registry = Self::new();
        for (key, arn) in lambda_config {
            let kind =
                TriggerKind::from_name(key).ok_or_else(|| format!("unknown trigger {key}"))?;
            registry.handlers.insert(kind, client.function(arn));
        }
        Ok(registry)
    }

    /// Runs `handler` for `kind`, replacing any previous one.
    #[must_use]
    pub fn with(mut self, kind: TriggerKind, handler: Arc<dyn TriggerHandler>) -> Self {
        self.handlers.insert(kind, handler);
        self
    }

    /// Removes the handler of `kind`.
    pub fn remove(&mut self, kind: TriggerKind) {
        self.handlers.remove(&kind);
    }

    /// Whether `kind` has a handler.
    pub fn is_configured(&self, kind: TriggerKind) -> bool {
        self.handlers.contains_key(&kind)
    }

    /// Runs trigger `T` on `event`: `Ok(None)` when it is not configured, the parsed and
    /// checked response otherwise. Errors carry Cognito's exception (see [`TriggerError`]).
    pub async fn invoke<T: Trigger>(
        &self,
        event: Event<T::Request, T::Response>,
    ) -> Result<Option<T::Response>, TriggerError> {
        let trigger = T::KIND;
        let Some(handler) = self.handlers.get(&trigger) else {
            return Ok(None);
        };
        let value = serde_json::to_value(&event).map_err(|e| TriggerError::Unreachable {
            trigger,
            reason: format!("event encoding: {e}"),
        })?;
        let answer = match tokio::time::timeout(self.timeout, handler.handle(value)).await {
            Err(_) => return Err(TriggerError::Timeout { trigger }),
            Ok(Err(HandlerError::Failed(message))) => {
                return Err(TriggerError::HandlerFailed { trigger, message });
            }
            Ok(Err(HandlerError::Unreachable(reason))) => {
                return Err(TriggerError::Unreachable { trigger, reason });
            }
            Ok(Err(HandlerError::InvalidResponse(reason))) => {
                return Err(TriggerError::InvalidResponse { trigger, reason });
            }
            Ok(Ok(answer)) => answer,
        };
        let response = parse_response::<T>(answer)
            .map_err(|reason| TriggerError::InvalidResponse { trigger, reason })?;
        Ok(Some(response))
    }
}

/// The `response` member of a returned event: absent or `null` is the default; the wrong
/// shape or a value Cognito refuses is an error that names the problem without echoing values.
fn parse_response<T: Trigger>(answer: Value) -> Result<T::Response, String> {
    let Value::Object(mut event) = answer else {
        return Err("the function did not return an event object".into());
    };
    let response = match event.remove("response") {
        None | Some(Value::Null) => T::Response::default(),
        Some(v) => {
            let parsed: T::Response = serde_json::from_value(v.clone()).map_err(|e| {
                format!(
                    "response has the wrong shape: {}",
                    without_quoted(&e.to_string())
                )
            })?;
            // serde also builds structs from arrays; Cognito's shapes are objects.
            let canonical = serde_json::to_value(&parsed).map_err(|e| e.to_string())?;
            same_shape(&v, &canonical, "response")?;
            parsed
        }
    };
    response.check()?;
    Ok(response)
}

/// Wherever the parsed value has an object (or array), the input must have one too (or `null`).
fn same_shape(input: &Value, parsed: &Value, path: &str) -> Result<(), String> {
    match (input, parsed) {
        (Value::Null, _) => Ok(()),
        (Value::Object(i), Value::Object(p)) => {
            for (k, pv) in p {
                if let Some(iv) = i.get(k) {
                    same_shape(iv, pv, &format!("{path}.{k}"))?;
                }
            }
            Ok(())
        }
        (Value::Array(i), Value::Array(p)) => i
            .iter()
            .zip(p)
            .try_for_each(|(iv, pv)| same_shape(iv, pv, path)),
        (_, Value::Object(_)) => Err(format!("{path} must be an object")),
        (_, Value::Array(_)) => Err(format!("{path} must be an array")),
        _ => Ok(()),
    }
}

/// A serde message with every quoted value removed (a response may carry secrets, such as
/// private challenge parameters; the reason must not repeat them).
fn without_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut inside = false;
    for c in message.chars() {
        if c == '"' {
            inside = !inside;
            if inside {
                out.push_str("\"…\"");
            }
        } else if !inside {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_do_not_repeat_values() {
        assert_eq!(
            without_quoted(r#"invalid type: string "s3cret", expected a boolean"#),
            "invalid type: string \"…\", expected a boolean"
        );
    }
}
