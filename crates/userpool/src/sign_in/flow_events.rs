//! The engine's side effects, performed on the user record in one conditional update:
//! lockout reset, codes sent, TOTP steps used, new passwords, attributes, software tokens,
//! device use.

use auth_flow_state_machine::{Event, FlowError, TotpFactor};
use user_pool_model::{FoldedUsername, MfaMethod};

use crate::core::codes::Destination;
use crate::error::Result;
use crate::messages::MessageKind;
use crate::sign_in::{SignIn, SignInContext, Subject};

impl SignIn {
    /// Performs the engine's side effects on the user record (one conditional update), on
    /// the record `subject` holds when this request read it; afterwards `subject` holds the
    /// record as written.
    pub(crate) async fn apply_events(
        &self,
        cx: &SignInContext<'_>,
        subject: &mut Subject,
        events: Vec<Event>,
    ) -> Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        let key = cx.pool.case_rule.username_key(&subject.username);
        // A verified password alone (every plain sign-in) touches only the lockout counter,
        // and only when it counts failures.
        if events.iter().all(|e| matches!(e, Event::PasswordVerified)) {
            return self.reset_failures(cx, &key, subject).await;
        }
        let mut user = match subject.user.take() {
            Some(user) => user,
            None => self.account(cx, &key).await?,
        };
        let mut changed = false;
        for event in events {
            match event {
                Event::PasswordVerified => self.reset_failures(cx, &key, subject).await?,
                Event::SendCode {
                    medium,
                    destination,
                    code,
                } => {
                    let destination = match medium {
                        auth_flow_state_machine::DeliveryMedium::Email => {
                            Destination::email(&destination)
                        }
                        _ => Destination::sms(&destination),
                    };
                    self.core
                        .deliver(
                            &cx.pool,
                            &user,
                            code.expose_secret(),
                            None,
                            &destination,
                            MessageKind::Authentication,
                            &cx.caller(),
                        )
                        .await?;
                }
                Event::TotpStepUsed { step } => {
                    let mut factor = self
                        .core
                        .open_totp(&cx.pool.id, &user)?
                        .ok_or_else(|| cx.flow_error(&FlowError::TotpMismatch))?;
                    if factor.last_step.is_some_and(|last| last >= step) {
                        return Err(cx.flow_error(&FlowError::TotpMismatch));
                    }
                    factor.last_step = Some(step);
                    user.mfa.totp_secret =
                        Some(self.core.seal_totp(&cx.pool.id, &user, &factor)?);
                    changed = true;
                }
                Event::PasswordChanged {
                    salt,
                    verifier,
                    status,
                } => {
                    let sealed = self.core.seal_verifier(&cx.pool.id, &user, &verifier)?;
                    user.password = Some(user_pool_model::PasswordRecord {
                        salt: salt.as_bytes().to_vec(),
                        verifier: sealed,
                        set_at: self.core.now(),
                        expires_at: None,
                    });
                    user.status = status;
                    changed = true;
                }
                Event::AttributesSet(attributes) => {
                    for a in attributes {
                        if a.value.is_empty() {
                            user.attributes.remove(&a.name);
                        } else {
                            user.attributes.insert(a.name, a.value);
                        }
                    }
                    changed = true;
                }
                Event::SoftwareTokenVerified {
                    secret,
                    friendly_name,
                    step,
                } => {
                    let factor = TotpFactor {
                        secret,
                        friendly_name,
                        last_step: Some(step),
                    };
                    user.mfa.totp_secret =
                        Some(self.core.seal_totp(&cx.pool.id, &user, &factor)?);
                    if !user.mfa.enabled.contains(&MfaMethod::SoftwareTokenMfa) {
                        user.mfa.enabled.push(MfaMethod::SoftwareTokenMfa);
                    }
                    changed = true;
                }
                Event::PasskeyUsed {
                    credential_id,
                    sign_count,
                    previous_count,
                    backed_up,
                } => {
                    // Conditional: a concurrent sign-in with the same counter loses.
                    match self
                        .core
                        .store()
                        .update_webauthn_counter(
                            &cx.pool.id,
                            &credential_id,
                            previous_count,
                            sign_count,
                            backed_up,
                        )
                        .await
                    {
                        Ok(()) => {}
                        Err(userpool_store::StoreError::VersionConflict) => {
                            return Err(cx.flow_error(&FlowError::InvalidSession));
                        }
                        Err(e) => return Err(crate::Error::from(e)),
                    }
                }
                Event::DeviceAuthenticated { device_key } => {
                    if let Some(device) = user.devices.iter_mut().find(|d| d.key == device_key) {
                        device.last_authenticated = Some(self.core.now());
                        changed = true;
                    }
                }
                _ => {}
            }
        }
        if changed {
            user.modified = self.core.now();
            if user.password.is_some() {
                user.imported_password_hash = None;
            }
            let keys = userpool_store::UserKeys::for_user(&user, &cx.pool);
            user = self
                .core
                .store()
                .update_user(&cx.pool.id, user, &keys)
                .await
                .map_err(|e| match e {
                    userpool_store::StoreError::VersionConflict => {
                        cx.flow_error(&FlowError::CodeMismatch)
                    }
                    other => crate::Error::from(other),
                })?;
        }
        subject.user = Some(user);
        Ok(())
    }

    /// The account under folded username `key`, read now; gone is `UserNotFound`.
    pub(crate) async fn account(
        &self,
        cx: &SignInContext<'_>,
        key: &FoldedUsername,
    ) -> Result<user_pool_model::User> {
        self.core
            .store()
            .get_user(&cx.pool.id, key)
            .await?
            .ok_or_else(|| cx.flow_error(&FlowError::UserNotFound))
    }

    /// A verified password clears the account's lockout failures — a write only when there
    /// are failures to clear (or this request did not see the count).
    async fn reset_failures(
        &self,
        cx: &SignInContext<'_>,
        key: &str,
        subject: &mut Subject,
    ) -> Result<()> {
        if subject.failures != Some(0) {
            self.core.store().reset_failures(&cx.pool.id, key).await?;
            subject.failures = Some(0);
        }
        Ok(())
    }
}
