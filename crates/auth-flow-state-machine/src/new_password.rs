//! `NEW_PASSWORD_REQUIRED`: a user in FORCE_CHANGE_PASSWORD replaces the temporary password
//! and supplies the required attributes still missing.

use rand_core::CryptoRng;
use user_pool_model::{Attribute, UserStatus};

use crate::context::{Account, FlowContext};
use crate::continuation::continue_flow;
use crate::error::{FlowError, Result};
use crate::outcome::{Event, Transition};
use crate::state::AwaitNewPassword;

impl AwaitNewPassword {
    /// `NEW_PASSWORD` (checked against the pool's policy) and `userAttributes.<name>`.
    pub(crate) fn respond<R: CryptoRng + ?Sized>(
        self,
        password: srp::Password,
        attributes: Vec<Attribute>,
        account: &Account<'_>,
        cx: &mut FlowContext<'_, R>,
    ) -> Result<Transition> {
        cx.pool.password_policy.check(password.expose_secret())?;
        cx.client
            .attribute_permissions
            .check_write(&cx.pool.schema, &attributes, false)?;
        for required in cx.pool.schema.required() {
            let present = account.user.attributes.contains_key(&required.name)
                || attributes.iter().any(|a| a.name == required.name);
            if required.name != "sub" && !present {
                return Err(FlowError::Model(user_pool_model::Error::InvalidParameter(
                    format!("Missing required attribute {}", required.name),
                )));
            }
        }
        let (salt, verifier) = srp::generate_verifier(
            srp::pool_name(cx.pool.id.as_str()),
            &self.progress.user.username,
            &password,
            &mut &mut *cx.rng,
        );
        let status = account.user.status.new_password_set()?;
        let mut progress = self.progress;
        progress.new_password = true;
        // The rest of the flow sees the user as they will be once the facade stores this.
        let mut user = account.user.clone();
        user.status = UserStatus::Confirmed;
        for a in &attributes {
            user.attributes.insert(a.name.clone(), a.value.clone());
        }
        let updated = Account {
            user: &user,
            ..account.clone()
        };
        let mut events = vec![Event::PasswordChanged {
            salt,
            verifier: Box::new(verifier),
            status,
        }];
        if !attributes.is_empty() {
            events.push(Event::AttributesSet(attributes));
        }
        Ok(continue_flow(progress, &updated, cx)?.with(events))
    }
}
