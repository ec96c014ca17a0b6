//! The end of a sign-in step: the engine's events performed, triggers run until a challenge
//! or tokens come out, PostAuthentication, tokens (or the hosted UI's sign-in cookie) and the
//! attempt's auth event.

use super::*;

impl SignIn {
    /// Performs a transition: its events, then the next step (triggers run here, in a loop,
    /// until a challenge or tokens come out).
    pub(crate) async fn finish(
        &self,
        cx: &SignInContext<'_>,
        mut result: std::result::Result<Transition, FlowError>,
        mut subject: Option<Subject>,
    ) -> Result<AuthResponse> {
        loop {
            let transition = match result {
                Ok(t) => t,
                Err(e) => {
                    let key = match (&subject, &cx.unknown) {
                        (Some(s), _) => Some(cx.pool.case_rule.fold(&s.username)),
                        (None, Some(unknown)) => Some(unknown.key.clone()),
                        (None, None) => None,
                    };
                    if e.counts_as_failed_attempt()
                        && let Some(key) = &key
                    {
                        self.core
                            .store()
                            .record_failure(&cx.pool.id, key, self.core.now())
                            .await?;
                    }
                    if let Some(key) = &key {
                        self.record_outcome(cx, key, false, e.counts_as_failed_attempt())
                            .await?;
                    }
                    crate::audit!(pool = %cx.pool.id.as_str(), outcome = "failure", error = ?e);
                    return Err(cx.flow_error(&e));
                }
            };
            if let Some(subject) = &mut subject {
                self.apply_events(cx, subject, transition.events).await?;
            }
            match transition.step {
                Step::Challenge(challenge) => return self.render(cx, challenge),
                Step::Authenticated(authenticated) => {
                    return self.signed_in(cx, authenticated, subject).await;
                }
                Step::RunTrigger(trigger) => {
                    let name = subject.as_ref().map(|s| s.username.as_str());
                    result = self.custom_trigger(cx, trigger, name).await?;
                }
                _ => return Err(internal()),
            }
        }
    }

    async fn signed_in(
        &self,
        cx: &SignInContext<'_>,
        authenticated: Authenticated,
        subject: Option<Subject>,
    ) -> Result<AuthResponse> {
        let key = cx.pool.case_rule.username_key(authenticated.username());
        let read = subject
            .and_then(|s| s.user)
            .filter(|user| cx.pool.case_rule.username_key(&user.username) == key);
        let user = match read {
            Some(user) => user,
            None => self.account(cx, &key).await?,
        };
        let request = custom_auth_triggers::events::PostAuthenticationRequest {
            user_attributes: trigger_attributes(&user),
            new_device_used: authenticated.issue_new_device(),
            client_metadata: cx.caller().metadata(),
        };
        self.core
            .run_trigger::<custom_auth_triggers::PostAuthentication>(
                &cx.pool,
                TriggerSource::PostAuthenticationAuthentication,
                &user.username,
                &cx.caller(),
                request,
            )
            .await?;
        if cx.hosted {
            let session = self.core.new_session(&cx.pool, &user, None)?;
            return Ok(AuthResponse {
                session: Some(session.cookie),
                ..AuthResponse::default()
            });
        }
        let source = serde_json::from_value(serde_json::Value::String(
            authenticated.token_source().trigger_source().to_owned(),
        ))
        .unwrap_or(TriggerSource::TokenGenerationAuthentication);
        let new_device = match cx.pool.devices {
            Some(_) if authenticated.issue_new_device() => {
                Some(self.core.new_device_key(&cx.pool)?)
            }
            _ => None,
        };
        let grant = Grant {
            auth_time: self.core.now(),
            device_key: new_device
                .clone()
                .or_else(|| authenticated.device_key().map(str::to_owned)),
            bound_device: authenticated.device_key().map(str::to_owned),
            source,
            scopes: None,
            nonce: None,
            family_id: None,
            spends_session: cx.spends_session,
        };
        let mut result = self
            .tokens
            .issue_tokens(&cx.pool, &cx.client, &user, &grant, &cx.caller())
            .await?;
        result.new_device_metadata = new_device.map(|key| NewDeviceMetadata {
            device_group_key: self.core.device_group_key(&key),
            device_key: key,
        });
        self.record_outcome(cx, &cx.pool.case_rule.fold(&user.username), true, false)
            .await?;
        tracing::info!(target: "userpool::metrics", counter = "sign_in", pool = %cx.pool.id.as_str(), sub = %user.sub);
        Ok(AuthResponse {
            authentication_result: Some(result),
            ..AuthResponse::default()
        })
    }
}
