//! What follows a passed first factor, in Cognito's order: the user's status, a new password
//! if one is required, then MFA (unless a remembered device stands in), then the device's own
//! SRP proof, then success.

use std::collections::BTreeMap;

use rand_core::CryptoRng;
use user_pool_model::UserStatus;

use crate::context::{Account, FlowContext};
use crate::error::{FlowError, Result};
use crate::flows::ChallengeName;
use crate::mfa;
use crate::outcome::{Authenticated, Challenge, Step, Transition};
use crate::state::{AwaitDeviceSrp, AwaitNewPassword, FlowState, Progress, SecondFactor};

/// `USER_ID_FOR_SRP`, present on every challenge after the first.
pub(crate) fn base_parameters(progress: &Progress) -> BTreeMap<String, String> {
    BTreeMap::from([("USER_ID_FOR_SRP".to_owned(), progress.user.username.clone())])
}

/// The status checks that come right after a verified first factor, then the rest.
pub(crate) fn after_first_factor<R: CryptoRng + ?Sized>(
    progress: Progress,
    account: &Account<'_>,
    cx: &mut FlowContext<'_, R>,
) -> Result<Transition> {
    let user = account.user;
    if !user.enabled {
        return Err(FlowError::UserDisabled);
    }
    match user.status {
        UserStatus::Unconfirmed => return Err(FlowError::UserNotConfirmed),
        UserStatus::ResetRequired => return Err(FlowError::PasswordResetRequired),
        UserStatus::ForceChangePassword
            if user
                .password
                .as_ref()
                .and_then(|p| p.expires_at)
                .is_some_and(|t| cx.now > t) =>
        {
            return Err(FlowError::TemporaryPasswordExpired);
        }
        UserStatus::Confirmed | UserStatus::ForceChangePassword | UserStatus::ExternalProvider => {}
    }
    if let Some(key) = &progress.device_key
        && !user.devices.iter().any(|d| &d.key == key)
    {
        return Err(FlowError::DeviceNotFound);
    }
    continue_flow(progress, account, cx)
}

/// The next missing step of a flow, or success.
pub(crate) fn continue_flow<R: CryptoRng + ?Sized>(
    mut progress: Progress,
    account: &Account<'_>,
    cx: &mut FlowContext<'_, R>,
) -> Result<Transition> {
    let user = account.user;
    if user.status == UserStatus::ForceChangePassword && !progress.new_password {
        return Ok(new_password_challenge(progress, account, cx));
    }
    if progress.mfa == SecondFactor::Pending {
        let remembered = progress.device_tracking
            && progress
                .device_key
                .as_ref()
                .is_some_and(|key| user.devices.iter().any(|d| &d.key == key && d.remembered))
            && account.device_verifier.is_some();
        if remembered {
            progress.mfa = SecondFactor::RememberedDevice;
        } else {
            match mfa::decide(account, cx)? {
                mfa::Decision::None => progress.mfa = SecondFactor::NotRequired,
                decision => return Ok(mfa::challenge(decision, progress, account, cx)),
            }
        }
    }
    if progress.device_tracking && progress.device_key.is_some() && !progress.device_verified {
        let state = FlowState::DeviceSrp(AwaitDeviceSrp { progress });
        return Ok(Transition::new(Step::Challenge(Challenge::new(
            ChallengeName::DeviceSrpAuth,
            BTreeMap::new(),
            &state,
            cx,
        ))));
    }
    Ok(Transition::new(Step::Authenticated(
        Authenticated::from_progress(progress)?,
    )))
}

fn new_password_challenge<R: CryptoRng + ?Sized>(
    progress: Progress,
    account: &Account<'_>,
    cx: &mut FlowContext<'_, R>,
) -> Transition {
    let user = account.user;
    let required: Vec<String> = cx
        .pool
        .schema
        .required()
        .filter(|a| a.name != "sub" && !user.attributes.contains_key(&a.name))
        .map(|a| format!("userAttributes.{}", a.name))
        .collect();
    let attributes: BTreeMap<&str, &str> = user
        .attributes
        .iter()
        .filter(|(k, _)| k.as_str() != "sub")
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut parameters = base_parameters(&progress);
    parameters.insert(
        "requiredAttributes".into(),
        serde_json::to_string(&required).unwrap_or_else(|_| "[]".into()),
    );
    parameters.insert(
        "userAttributes".into(),
        serde_json::to_string(&attributes).unwrap_or_else(|_| "{}".into()),
    );
    let state = FlowState::NewPassword(AwaitNewPassword { progress });
    Transition::new(Step::Challenge(Challenge::new(
        ChallengeName::NewPasswordRequired,
        parameters,
        &state,
        cx,
    )))
}
