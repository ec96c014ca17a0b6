//! `DEVICE_SRP_AUTH` → `DEVICE_PASSWORD_VERIFIER`: a remembered device proves its own secret
//! with SRP (identity: device group key and device key).

use std::collections::BTreeMap;

use rand_core::CryptoRng;
use srp::time::{Duration, OffsetDateTime};

use crate::answer::PasswordClaim;
use crate::context::{Account, FlowContext};
use crate::continuation::continue_flow;
use crate::error::{FlowError, Result};
use crate::flows::ChallengeName;
use crate::initiate::{bad_public_value, failed_claim};
use crate::outcome::{Challenge, Event, Step, Transition};
use crate::state::{AwaitDevicePasswordVerifier, AwaitDeviceSrp, FlowState, Secret};

fn device<'a>(
    account: &'a Account<'_>,
    key: &str,
) -> Result<(&'a user_pool_model::Device, &'a srp::Verifier)> {
    let device = account
        .user
        .devices
        .iter()
        .find(|d| d.key == key)
        .ok_or(FlowError::DeviceNotFound)?;
    let verifier = account
        .device_verifier
        .as_ref()
        .ok_or(FlowError::DeviceNotFound)?;
    Ok((device, verifier))
}

/// The `now` of a context as the SRP crate takes it.
pub(crate) fn datetime(now: i64) -> Result<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(now).map_err(|_| FlowError::InvalidSession)
}

impl AwaitDeviceSrp {
    /// `DEVICE_KEY` and a fresh `SRP_A`; answers with the device's salt and `SRP_B`.
    pub(crate) fn respond<R: CryptoRng + ?Sized>(
        self,
        key: &str,
        srp_a: &str,
        account: &Account<'_>,
        cx: &mut FlowContext<'_, R>,
    ) -> Result<Transition> {
        if self.progress.device_key.as_deref() != Some(key) {
            return Err(FlowError::DeviceNotFound);
        }
        let (device, verifier) = device(account, key)?;
        let handshake = srp::ServerHandshake::start(verifier, srp_a, &mut &mut *cx.rng)
            .map_err(bad_public_value)?;
        let parameters = BTreeMap::from([
            ("USERNAME".to_owned(), self.progress.user.username.clone()),
            ("DEVICE_KEY".to_owned(), key.to_owned()),
            ("SALT".to_owned(), srp::pad_hex::to_hex(&device.salt)),
            ("SRP_B".to_owned(), handshake.srp_b()),
        ]);
        let state = FlowState::DevicePasswordVerifier(AwaitDevicePasswordVerifier {
            progress: self.progress,
            handshake: Secret::new(handshake.to_bytes().expose_secret().to_vec()),
        });
        Ok(Transition::new(Step::Challenge(Challenge::new(
            ChallengeName::DevicePasswordVerifier,
            parameters,
            &state,
            cx,
        ))))
    }
}

impl AwaitDevicePasswordVerifier {
    /// The device's password claim, verified in constant time.
    pub(crate) fn respond<R: CryptoRng + ?Sized>(
        self,
        claim: &PasswordClaim,
        sent_key: Option<&str>,
        account: &Account<'_>,
        cx: &mut FlowContext<'_, R>,
    ) -> Result<Transition> {
        let claim = claim.as_srp();
        let key = self
            .progress
            .device_key
            .clone()
            .ok_or(FlowError::InvalidSession)?;
        if sent_key.is_some_and(|k| k != key) {
            return Err(FlowError::DeviceNotFound);
        }
        let (device, verifier) = device(account, &key)?;
        let handshake = srp::ServerHandshake::from_bytes(self.handshake.expose_secret())
            .map_err(|_| FlowError::InvalidSession)?;
        handshake
            .verify(
                verifier,
                &srp::ClaimIdentity::device(&device.group_key, &key),
                &claim,
                datetime(cx.now)?,
                Duration::seconds(cx.settings.timestamp_window_secs),
            )
            .map_err(|e| failed_claim(&e, false))?;
        let mut progress = self.progress;
        progress.device_verified = true;
        Ok(continue_flow(progress, account, cx)?
            .with(vec![Event::DeviceAuthenticated { device_key: key }]))
    }
}
