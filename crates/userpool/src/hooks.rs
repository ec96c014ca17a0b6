//! Running a pool's triggers: building Cognito's event envelope, mapping failures to
//! Cognito's exceptions. A trigger that is not configured is skipped (`Ok(None)`).

use std::collections::BTreeMap;

use custom_auth_triggers::events::{CallerContext, Event, StringMap};
use custom_auth_triggers::{Trigger, TriggerSource};
use user_pool_model::{PoolConfig, User};

use crate::core::Core;
use crate::error::Result;

/// Who called: the app client (empty for admin calls without one) and the metadata passed.
#[derive(Debug, Clone, Default)]
pub(crate) struct Caller<'a> {
    pub(crate) client_id: &'a str,
    pub(crate) metadata: Option<&'a BTreeMap<String, String>>,
}

impl<'a> Caller<'a> {
    /// A caller that sent no `ClientMetadata` (the hosted UI, the OAuth endpoints).
    pub(crate) fn without_metadata(client_id: &'a str) -> Self {
        Self {
            client_id,
            metadata: None,
        }
    }

    pub(crate) fn metadata(&self) -> Option<StringMap> {
        self.metadata.filter(|m| !m.is_empty()).cloned()
    }
}

/// A user's attributes as triggers see them (`sub`, `cognito:user_status`, the rest).
pub(crate) fn trigger_attributes(user: &User) -> StringMap {
    let mut map: StringMap = user.attributes.clone();
    map.insert("sub".into(), user.sub.to_string());
    map.insert("cognito:user_status".into(), user.status.as_str().into());
    map
}

impl Core {
    /// Runs trigger `T` for `user_name` in `pool`; `Ok(None)` when the pool has no such
    /// trigger.
    pub(crate) async fn run_trigger<T: Trigger>(
        &self,
        pool: &PoolConfig,
        source: TriggerSource,
        user_name: &str,
        caller: &Caller<'_>,
        request: T::Request,
    ) -> Result<Option<T::Response>> {
        let Some(registry) = self.registry(pool) else {
            return Ok(None);
        };
        if !registry.is_configured(T::KIND) {
            return Ok(None);
        }
        let event = Event {
            version: "1".into(),
            trigger_source: source,
            region: pool.id.region().to_owned(),
            user_pool_id: pool.id.as_str().to_owned(),
            user_name: user_name.to_owned(),
            caller_context: CallerContext {
                aws_sdk_version: "aws-sdk-unknown-unknown".into(),
                client_id: caller.client_id.to_owned(),
            },
            request,
            response: T::Response::default(),
        };
        tracing::debug!(target: "userpool::triggers", trigger = T::KIND.name(), pool = %pool.id.as_str(), "invoking trigger");
        let started = std::time::Instant::now();
        let result = registry.invoke::<T>(event).await;
        let seconds = started.elapsed().as_secs_f64();
        match result {
            Ok(response) => {
                tracing::debug!(target: "userpool::metrics", counter = "trigger", trigger = T::KIND.name(), pool = %pool.id.as_str(), outcome = "Success", seconds);
                Ok(response)
            }
            Err(e) => {
                tracing::info!(target: "userpool::triggers", trigger = T::KIND.name(), exception = e.exception(), "trigger failed");
                tracing::debug!(target: "userpool::metrics", counter = "trigger", trigger = T::KIND.name(), pool = %pool.id.as_str(), outcome = e.exception(), seconds);
                Err(e.into())
            }
        }
    }
}
