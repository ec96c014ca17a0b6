//! `PASSWORD_VERIFIER`: the SRP password claim, for real and phantom users alike.

use rand_core::CryptoRng;
use srp::time::Duration;

use crate::answer::PasswordClaim;
use crate::context::{Account, FlowContext};
use crate::continuation::after_first_factor;
use crate::custom::{self, PendingTrigger};
use crate::device::datetime;
use crate::error::{FlowError, Result};
use crate::initiate::{credentials, failed_claim};
use crate::outcome::{Event, Step, Transition};
use crate::phantom::Phantom;
use crate::state::{AwaitPasswordVerifier, CustomProgress, FirstFactor, Progress, SecondFactor};

impl AwaitPasswordVerifier {
    /// Verifies `PASSWORD_CLAIM_SIGNATURE` over `PASSWORD_CLAIM_SECRET_BLOCK` and `TIMESTAMP`.
    ///
    /// The facade opened this state from `PASSWORD_CLAIM_SECRET_BLOCK` itself, so the block
    /// signed over is the one this server issued. A phantom user does the same work and fails;
    /// a locked-out user (or phantom) is refused before the proof is looked at, without
    /// counting.
    pub(crate) fn respond<R: CryptoRng + ?Sized>(
        self,
        claim: &PasswordClaim,
        account: Option<&Account<'_>>,
        cx: &mut FlowContext<'_, R>,
    ) -> Result<Transition> {
        let claim = claim.as_srp();
        let handshake = srp::ServerHandshake::from_bytes(self.handshake.expose_secret())
            .map_err(|_| FlowError::InvalidSession)?;
        let account = account.filter(|_| !self.user.phantom);
        // A phantom locks out after the same failures as a real user (its failures are
        // counted against what was typed), so the lockout does not tell them apart.
        let failures = account.map_or(cx.unknown_user_failures, |a| a.failures);
        cx.settings.lockout.check(failures, cx.now)?;
        let (verifier, counts) = match account {
            Some(account) => (credentials(account, cx).1, account.verifier.is_some()),
            None => (Phantom::for_login(cx, &self.user.login).verifier, true),
        };
        let pool_name = srp::pool_name(cx.pool.id.as_str());
        let verified = handshake.verify(
            &verifier,
            &srp::ClaimIdentity::user(pool_name, &self.user.username),
            &claim,
            datetime(cx.now)?,
            Duration::seconds(cx.settings.timestamp_window_secs),
        );
        let account = match (verified, account) {
            (Ok(_), Some(account)) if counts => account,
            (Err(e), _) => return Err(failed_claim(&e, true)),
            (Ok(_), _) => return Err(FlowError::IncorrectCredentials { counts }),
        };
        let passed = vec![Event::PasswordVerified];
        if let Some(mut history) = self.custom {
            history.push(custom::record("PASSWORD_VERIFIER", true, None));
            let progress = CustomProgress {
                user: self.user,
                history,
                srp: None,
                device_key: self.device_key,
                device_tracking: self.device_tracking,
            };
            return Ok(
                Transition::new(Step::RunTrigger(PendingTrigger::define(progress))).with(passed),
            );
        }
        let progress = Progress {
            user: self.user,
            first: FirstFactor::Srp,
            new_password: false,
            mfa: SecondFactor::Pending,
            device_key: self.device_key,
            device_verified: false,
            device_tracking: self.device_tracking,
        };
        Ok(after_first_factor(progress, account, cx)?.with(passed))
    }
}
