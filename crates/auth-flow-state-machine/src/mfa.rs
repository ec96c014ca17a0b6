//! The second factor: which one applies, its challenge, and each answer — `SMS_MFA`,
//! `EMAIL_OTP`, `SOFTWARE_TOKEN_MFA`, `SELECT_MFA_TYPE` and `MFA_SETUP` (with
//! AssociateSoftwareToken / VerifySoftwareToken in between).

use rand_core::CryptoRng;
use sha2::{Digest, Sha256};
use user_pool_model::{MfaConfiguration, MfaMethod, PoolConfig};

use crate::context::{Account, FlowContext};
use crate::continuation::{base_parameters, continue_flow};
use crate::error::{FlowError, Result};
use crate::flows::ChallengeName;
use crate::outcome::{Challenge, DeliveryMedium, Event, OneTimeCode, Step, Transition};
use crate::state::{
    AwaitMfaCode, AwaitMfaSelection, AwaitMfaSetupAnswer, AwaitSoftwareToken,
    AwaitTokenAssociation, AwaitTokenVerification, FlowState, MfaKind, Progress, SecondFactor,
    Secret,
};
use crate::totp::TotpSecret;

/// Digits in an SMS / email code.
pub const CODE_DIGITS: usize = 6;

/// What the pool and user require.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    None,
    One(MfaKind),
    Choose(Vec<MfaKind>),
    Setup,
}

pub(crate) fn destination(account: &Account<'_>, kind: MfaKind) -> Option<String> {
    match kind {
        MfaKind::Sms => account.user.attribute("phone_number"),
        MfaKind::Email => account.user.attribute("email"),
        MfaKind::Totp => None,
    }
}

/// The factors `account` could answer if risk demanded one: those the user enabled, plus a
/// phone number or email address the pool's factors allow, plus a registered software token.
fn answerable(account: &Account<'_>, pool: &PoolConfig) -> Vec<MfaKind> {
    let factors = pool.mfa_factors;
    let mut kinds = Vec::new();
    if factors.sms && destination(account, MfaKind::Sms).is_some() {
        kinds.push(MfaKind::Sms);
    }
    if factors.totp && account.totp.is_some() {
        kinds.push(MfaKind::Totp);
    }
    if factors.email && destination(account, MfaKind::Email).is_some() {
        kinds.push(MfaKind::Email);
    }
    kinds
}

/// Whether `account` could answer an MFA challenge that risk demands (threat protection's
/// `MFA_IF_CONFIGURED` / `MFA_REQUIRED`): a factor the pool allows for which the user has a
/// phone number, an email address or a software token.
pub fn can_answer_mfa(account: &Account<'_>, pool: &PoolConfig) -> bool {
    !answerable(account, pool).is_empty()
}

fn usable<R: ?Sized>(account: &Account<'_>, cx: &FlowContext<'_, R>) -> Vec<MfaKind> {
    let factors = cx.pool.mfa_factors;
    let enabled = |m: MfaMethod| account.user.mfa.enabled.contains(&m);
    let mut kinds = Vec::new();
    if factors.sms && enabled(MfaMethod::SmsMfa) && destination(account, MfaKind::Sms).is_some() {
        kinds.push(MfaKind::Sms);
    }
    if factors.totp && enabled(MfaMethod::SoftwareTokenMfa) && account.totp.is_some() {
        kinds.push(MfaKind::Totp);
    }
    if factors.email
        && enabled(MfaMethod::EmailOtp)
        && destination(account, MfaKind::Email).is_some()
    {
        kinds.push(MfaKind::Email);
    }
    kinds
}

/// Cognito's rule: OFF → none; OPTIONAL → only users with a factor; ON → everyone (a user
/// with a phone number falls back to SMS, otherwise sets up a software token).
pub(crate) fn decide<R: ?Sized>(
    account: &Account<'_>,
    cx: &FlowContext<'_, R>,
) -> Result<Decision> {
    let kinds = usable(account, cx);
    if cx.require_mfa && kinds.is_empty() {
        // Risk demands a second factor the user did not choose: any they can answer.
        return Ok(match answerable(account, cx.pool).as_slice() {
            [] => Decision::None,
            [one] => Decision::One(*one),
            several => Decision::Choose(several.to_vec()),
        });
    }
    if cx.pool.mfa == MfaConfiguration::Off && !cx.require_mfa {
        return Ok(Decision::None);
    }
    let preferred = account.user.mfa.preferred.map(|m| match m {
        MfaMethod::SmsMfa => MfaKind::Sms,
        MfaMethod::SoftwareTokenMfa => MfaKind::Totp,
        MfaMethod::EmailOtp => MfaKind::Email,
    });
    Ok(match kinds.as_slice() {
        [] if cx.pool.mfa == MfaConfiguration::Optional => Decision::None,
        [] if cx.pool.mfa_factors.sms && destination(account, MfaKind::Sms).is_some() => {
            Decision::One(MfaKind::Sms)
        }
        [] if cx.pool.mfa_factors.totp => Decision::Setup,
        [] => return Err(FlowError::NoMfaFactor),
        [one] => Decision::One(*one),
        _ => match preferred.filter(|p| kinds.contains(p)) {
            Some(p) => Decision::One(p),
            None => Decision::Choose(kinds),
        },
    })
}

/// `+*******1212` / `a***@e***`: a delivery destination as Cognito shows it
/// (`CODE_DELIVERY_DESTINATION`, `CodeDeliveryDetails.Destination`).
pub fn mask_destination(medium: DeliveryMedium, value: &str) -> String {
    let kind = match medium {
        DeliveryMedium::Email => MfaKind::Email,
        DeliveryMedium::Sms => MfaKind::Sms,
    };
    mask(kind, value)
}

/// `+*******1212` / `a***@e***`, as Cognito masks a delivery destination.
pub(crate) fn mask(kind: MfaKind, value: &str) -> String {
    match kind {
        MfaKind::Email => {
            let (local, domain) = value.split_once('@').unwrap_or((value, ""));
            let first = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
            format!("{}***@{}***", first(local), first(domain))
        }
        _ => {
            let count = value.chars().count();
            value
                .chars()
                .enumerate()
                .map(|(i, c)| if c == '+' || i + 4 >= count { c } else { '*' })
                .collect()
        }
    }
}

pub(crate) fn digest(code: &str) -> Secret {
    Secret::new(Sha256::digest(code.as_bytes()).to_vec())
}

/// A uniformly random code of [`CODE_DIGITS`] digits.
pub(crate) fn new_code<R: CryptoRng + ?Sized>(rng: &mut R) -> OneTimeCode {
    loop {
        let v = rng.next_u32();
        // Rejection sampling keeps the digits uniform.
        if v < u32::MAX - u32::MAX % 1_000_000 {
            return OneTimeCode::new(format!("{:06}", v % 1_000_000));
        }
    }
}

/// The challenge for a decision other than [`Decision::None`].
pub(crate) fn challenge<R: CryptoRng + ?Sized>(
    decision: Decision,
    progress: Progress,
    account: &Account<'_>,
    cx: &mut FlowContext<'_, R>,
) -> Transition {
    let mut parameters = base_parameters(&progress);
    let (name, state, events) = match decision {
        Decision::One(MfaKind::Totp) => {
            if let Some(name) = account.totp.as_ref().and_then(|t| t.friendly_name.clone()) {
                parameters.insert("FRIENDLY_DEVICE_NAME".into(), name);
            }
            let state = FlowState::SoftwareToken(AwaitSoftwareToken { progress });
            (ChallengeName::SoftwareTokenMfa, state, Vec::new())
        }
        Decision::One(kind) => {
            let to = destination(account, kind).unwrap_or_default();
            let medium = if kind == MfaKind::Sms {
                DeliveryMedium::Sms
            } else {
                DeliveryMedium::Email
            };
            parameters.insert(
                "CODE_DELIVERY_DELIVERY_MEDIUM".into(),
                medium.as_str().into(),
            );
            parameters.insert("CODE_DELIVERY_DESTINATION".into(), mask(kind, &to));
            let code = new_code(&mut *cx.rng);
            let state = FlowState::MfaCode(AwaitMfaCode {
                progress,
                kind,
                code_digest: digest(code.expose_secret()),
            });
            let send = Event::SendCode {
                medium,
                destination: to,
                code,
            };
            (kind.challenge(), state, vec![send])
        }
        Decision::Choose(choices) => {
            let names: Vec<&str> = choices.iter().map(|k| k.challenge().as_str()).collect();
            parameters.insert(
                "MFAS_CAN_CHOOSE".into(),
                serde_json::to_string(&names).unwrap_or_default(),
            );
            let state = FlowState::MfaSelection(AwaitMfaSelection { progress, choices });
            (ChallengeName::SelectMfaType, state, Vec::new())
        }
        Decision::Setup | Decision::None => {
            parameters.insert("MFAS_CAN_SETUP".into(), "[\"SOFTWARE_TOKEN_MFA\"]".into());
            let state = FlowState::TokenAssociation(AwaitTokenAssociation { progress });
            (ChallengeName::MfaSetup, state, Vec::new())
        }
    };
    Transition::new(Step::Challenge(Challenge::new(
        name, parameters, &state, cx,
    )))
    .with(events)
}

impl AwaitMfaSelection {
    /// `SELECT_MFA_TYPE`: `ANSWER` names one of the offered factors.
    pub(crate) fn respond<R: CryptoRng + ?Sized>(
        self,
        choice: MfaKind,
        account: &Account<'_>,
        cx: &mut FlowContext<'_, R>,
    ) -> Result<Transition> {
        let kind = Some(choice).filter(|k| self.choices.contains(k)).ok_or(
            FlowError::InvalidParameter("The MFA type in ANSWER is not one the user can choose"),
        )?;
        Ok(challenge(Decision::One(kind), self.progress, account, cx))
    }
}

impl AwaitMfaCode {
    /// `SMS_MFA_CODE` / `EMAIL_OTP_CODE`, compared in constant time.
    pub(crate) fn respond<R: CryptoRng + ?Sized>(
        self,
        code: &str,
        account: &Account<'_>,
        cx: &mut FlowContext<'_, R>,
    ) -> Result<Transition> {
        if digest(code) != self.code_digest {
            return Err(FlowError::CodeMismatch);
        }
        let mut progress = self.progress;
        progress.mfa = SecondFactor::Verified(self.kind);
        continue_flow(progress, account, cx)
    }
}

impl AwaitSoftwareToken {
    /// `SOFTWARE_TOKEN_MFA_CODE`: ±1 step, never a step at or before the last one accepted.
    pub(crate) fn respond<R: CryptoRng + ?Sized>(
        self,
        code: &str,
        account: &Account<'_>,
        cx: &mut FlowContext<'_, R>,
    ) -> Result<Transition> {
        let totp = account.totp.as_ref().ok_or(FlowError::TotpMismatch)?;
        let step = match totp.secret.verify(code, cx.now, totp.last_step) {
            Err(FlowError::InvalidTotp(_)) => return Err(FlowError::TotpMismatch),
            other => other?,
        };
        let mut progress = self.progress;
        progress.mfa = SecondFactor::Verified(MfaKind::Totp);
        Ok(continue_flow(progress, account, cx)?.with(vec![Event::TotpStepUsed { step }]))
    }
}

impl AwaitTokenAssociation {
    /// AssociateSoftwareToken with the MFA_SETUP session: a new secret and the session that
    /// VerifySoftwareToken must bring back.
    pub(crate) fn associate<R: CryptoRng + ?Sized>(
        self,
        cx: &mut FlowContext<'_, R>,
    ) -> (TotpSecret, Challenge) {
        let secret = TotpSecret::generate(&mut &mut *cx.rng);
        let parameters = base_parameters(&self.progress);
        let state = FlowState::TokenVerification(AwaitTokenVerification {
            progress: self.progress,
            secret: Secret::new(secret.expose_secret().to_vec()),
        });
        let next = Challenge::new(ChallengeName::MfaSetup, parameters, &state, cx);
        (secret, next)
    }
}

impl AwaitTokenVerification {
    /// VerifySoftwareToken with the session from AssociateSoftwareToken: on a right code the
    /// secret becomes the user's token and the returned session answers MFA_SETUP.
    pub(crate) fn verify<R: CryptoRng + ?Sized>(
        self,
        code: &str,
        friendly_name: Option<String>,
        cx: &mut FlowContext<'_, R>,
    ) -> Result<Transition> {
        let secret = TotpSecret::from_bytes(self.secret.expose_secret().to_vec());
        let step = secret.verify(code, cx.now, None)?;
        let parameters = base_parameters(&self.progress);
        let mut progress = self.progress;
        progress.mfa = SecondFactor::Verified(MfaKind::Totp);
        let state = FlowState::MfaSetupAnswer(AwaitMfaSetupAnswer { progress });
        let next = Challenge::new(ChallengeName::MfaSetup, parameters, &state, cx);
        Ok(
            Transition::new(Step::Challenge(next)).with(vec![Event::SoftwareTokenVerified {
                secret,
                friendly_name,
                step,
            }]),
        )
    }
}

impl AwaitMfaSetupAnswer {
    /// The `MFA_SETUP` answer after a verified token: the flow goes on.
    pub(crate) fn respond<R: CryptoRng + ?Sized>(
        self,
        account: &Account<'_>,
        cx: &mut FlowContext<'_, R>,
    ) -> Result<Transition> {
        continue_flow(self.progress, account, cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_like_cognito() {
        assert_eq!(mask(MfaKind::Sms, "+14155551212"), "+*******1212");
        assert_eq!(mask(MfaKind::Email, "jane@example.com"), "j***@e***");
        assert_eq!(mask(MfaKind::Email, "x"), "x***@***");
        assert_eq!(mask(MfaKind::Sms, "12"), "12");
    }
}
