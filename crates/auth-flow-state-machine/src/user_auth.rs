//! `USER_AUTH`, Cognito's choice-based sign-in: the first factors a user can use
//! (`PASSWORD`, `PASSWORD_SRP`, `EMAIL_OTP`, `SMS_OTP`, `WEB_AUTHN`), the preferred one at
//! once or `SELECT_CHALLENGE` with `AvailableChallenges`, and the passwordless answers
//! (`EMAIL_OTP_CODE` / `SMS_OTP_CODE`, a passkey's `CREDENTIAL`).
//!
//! Choices this module makes where Cognito's documentation is silent:
//! * Unknown users (PreventUserExistenceErrors) are offered every factor the pool allows;
//!   their one-time-code challenges look alike (nothing is sent; every code is a mismatch)
//!   and their passkey challenge lists no credentials.
//! * `EMAIL_OTP` / `SMS_OTP` need a verified address; `WEB_AUTHN` a registered passkey.
//! * A passwordless first factor settles MFA (no second factor follows), and pools whose
//!   MFA is `ON` offer only the password factors.

use std::collections::BTreeMap;

use rand_core::CryptoRng;
use user_pool_model::{AuthFactor, MfaConfiguration};
use webauthn_rp::{AuthenticationResponse, CredentialDescriptor, verify_assertion};

use crate::context::{Account, FlowContext};
use crate::continuation::after_first_factor;
use crate::error::{FlowError, Result};
use crate::flows::ChallengeName;
use crate::initiate::{password_first_factor, password_verifier_challenge, srp_handshake};
use crate::mfa::{destination, digest, mask, new_code};
use crate::outcome::{Challenge, DeliveryMedium, Event, Step, Transition};
use crate::phantom::Phantom;
use crate::state::{
    AwaitFirstOtp, AwaitPasswordVerifier, AwaitSelectChallenge, AwaitWebAuthn, FirstFactor,
    FlowState, MfaKind, Progress, SecondFactor, Secret, Start,
};

/// Bytes of a `WEB_AUTHN` challenge.
const WEBAUTHN_CHALLENGE_BYTES: usize = 32;

/// A first factor chosen (`PREFERRED_CHALLENGE`, or `SELECT_CHALLENGE`'s `ANSWER`), with the
/// inputs sent beside it.
#[non_exhaustive]
#[derive(Debug)]
pub enum FactorChoice {
    /// `PASSWORD` with `PASSWORD`.
    Password(srp::Password),
    /// `PASSWORD_SRP` with `SRP_A`.
    PasswordSrp {
        /// `SRP_A`.
        srp_a: String,
    },
    /// `EMAIL_OTP`: send a code by email.
    EmailOtp,
    /// `SMS_OTP`: send a code by SMS.
    SmsOtp,
    /// `WEB_AUTHN`: sign in with a passkey.
    WebAuthn,
}

impl FactorChoice {
    /// Reads the factor named `name` (the value of `member`) and its inputs from `params`.
    pub(crate) fn from_wire(
        name: &str,
        params: &BTreeMap<String, String>,
        member: &'static str,
    ) -> Result<Self> {
        let needed = |key: &'static str| {
            params
                .get(key)
                .cloned()
                .ok_or(FlowError::MissingParameter(key))
        };
        Ok(match name {
            "PASSWORD" => Self::Password(srp::Password::new(needed("PASSWORD")?)),
            "PASSWORD_SRP" => Self::PasswordSrp {
                srp_a: needed("SRP_A")?,
            },
            "EMAIL_OTP" => Self::EmailOtp,
            "SMS_OTP" => Self::SmsOtp,
            "WEB_AUTHN" => Self::WebAuthn,
            _ if member == "ANSWER" => {
                return Err(FlowError::InvalidParameter(
                    "The challenge in ANSWER is not one the user can choose",
                ));
            }
            _ => {
                return Err(FlowError::InvalidParameter(
                    "PREFERRED_CHALLENGE is not a valid challenge",
                ));
            }
        })
    }

    /// The name in `AvailableChallenges`.
    pub fn challenge(&self) -> &'static str {
        match self {
            Self::Password(_) => "PASSWORD",
            Self::PasswordSrp { .. } => "PASSWORD_SRP",
            Self::EmailOtp => "EMAIL_OTP",
            Self::SmsOtp => "SMS_OTP",
            Self::WebAuthn => "WEB_AUTHN",
        }
    }
}

fn verified(account: &Account<'_>, attribute: &str) -> bool {
    account.user.attribute(attribute).is_some()
        && account
            .user
            .attribute(&format!("{attribute}_verified"))
            .is_some_and(|v| v == "true")
}

/// The first factors `account` can use in this pool (`None`: an unknown user, offered
/// everything the pool allows).
pub(crate) fn available<R: ?Sized>(
    account: Option<&Account<'_>>,
    cx: &FlowContext<'_, R>,
) -> Vec<&'static str> {
    let allowed = |f: AuthFactor| cx.pool.allowed_first_auth_factors.contains(&f);
    let passwordless = cx.pool.mfa != MfaConfiguration::On;
    let mut out = Vec::new();
    if allowed(AuthFactor::Password) && account.is_none_or(|a| a.verifier.is_some()) {
        out.extend(["PASSWORD", "PASSWORD_SRP"]);
    }
    if passwordless && allowed(AuthFactor::EmailOtp) && account.is_none_or(|a| verified(a, "email"))
    {
        out.push("EMAIL_OTP");
    }
    if passwordless
        && allowed(AuthFactor::SmsOtp)
        && account.is_none_or(|a| verified(a, "phone_number"))
    {
        out.push("SMS_OTP");
    }
    if passwordless
        && allowed(AuthFactor::WebAuthn)
        && cx.relying_party.is_some()
        && account.is_none_or(|a| !a.passkeys.is_empty())
    {
        out.push("WEB_AUTHN");
    }
    if out.is_empty() {
        // A user with no usable factor gets what an unknown user gets (and fails the same).
        out.extend(["PASSWORD", "PASSWORD_SRP"]);
    }
    out
}

/// InitiateAuth `USER_AUTH`: the preferred challenge if the user can use it, otherwise
/// `SELECT_CHALLENGE`.
pub(crate) fn start<R: CryptoRng + ?Sized>(
    preferred: Option<FactorChoice>,
    start: Start,
    account: Option<&Account<'_>>,
    phantom: Option<&Phantom>,
    cx: &mut FlowContext<'_, R>,
) -> Result<Transition> {
    let available = available(account, cx);
    match preferred {
        Some(choice) if available.contains(&choice.challenge()) => {
            begin(choice, start, account, phantom, cx)
        }
        _ => {
            let names: Vec<ChallengeName> = available
                .iter()
                .filter_map(|n| ChallengeName::parse(n))
                .collect();
            let state = FlowState::SelectChallenge(AwaitSelectChallenge {
                start,
                available: names,
            });
            let challenge =
                Challenge::new(ChallengeName::SelectChallenge, BTreeMap::new(), &state, cx)
                    .with_available_names(available);
            Ok(Transition::new(Step::Challenge(challenge)))
        }
    }
}

/// Starts the chosen first factor.
fn begin<R: CryptoRng + ?Sized>(
    choice: FactorChoice,
    start: Start,
    account: Option<&Account<'_>>,
    phantom: Option<&Phantom>,
    cx: &mut FlowContext<'_, R>,
) -> Result<Transition> {
    match choice {
        FactorChoice::Password(password) => {
            password_first_factor(&password, start, account, phantom, cx)
        }
        FactorChoice::PasswordSrp { srp_a } => {
            let handshake = srp_handshake(account, phantom, &srp_a, cx)?;
            let state = AwaitPasswordVerifier {
                user: start.user,
                handshake: handshake.bytes,
                device_key: start.device_key,
                device_tracking: start.device_tracking,
                custom: None,
            };
            Ok(password_verifier_challenge(
                state,
                &handshake.salt,
                handshake.srp_b,
                cx,
            ))
        }
        FactorChoice::EmailOtp => Ok(one_time_code(MfaKind::Email, start, account, cx)),
        FactorChoice::SmsOtp => Ok(one_time_code(MfaKind::Sms, start, account, cx)),
        FactorChoice::WebAuthn => passkey_challenge(start, account, cx),
    }
}

/// `EMAIL_OTP` / `SMS_OTP` as a first factor: a fresh code, sent to a real user only.
fn one_time_code<R: CryptoRng + ?Sized>(
    kind: MfaKind,
    start: Start,
    account: Option<&Account<'_>>,
    cx: &mut FlowContext<'_, R>,
) -> Transition {
    let medium = if kind == MfaKind::Sms {
        DeliveryMedium::Sms
    } else {
        DeliveryMedium::Email
    };
    let to = account.and_then(|a| destination(a, kind));
    // What an unknown user "receives": the login itself when it is shaped like the
    // destination (email-as-username pools), otherwise a stand-in of the same shape.
    let shown = to.clone().unwrap_or_else(|| match kind {
        MfaKind::Email if start.user.login.contains('@') => start.user.login.clone(),
        MfaKind::Email => format!("{}@example.com", start.user.login),
        _ => "+10000000000".to_owned(),
    });
    let code = new_code(&mut *cx.rng);
    let parameters = BTreeMap::from([
        (
            "CODE_DELIVERY_DELIVERY_MEDIUM".to_owned(),
            medium.as_str().to_owned(),
        ),
        ("CODE_DELIVERY_DESTINATION".to_owned(), mask(kind, &shown)),
    ]);
    let state = FlowState::FirstOtp(AwaitFirstOtp {
        start,
        kind,
        code_digest: digest(code.expose_secret()),
    });
    let name = state.challenge();
    let events = match to {
        Some(destination) => vec![Event::SendCode {
            medium,
            destination,
            code,
        }],
        None => Vec::new(),
    };
    Transition::new(Step::Challenge(Challenge::new(
        name, parameters, &state, cx,
    )))
    .with(events)
}

/// `WEB_AUTHN`: `CREDENTIAL_REQUEST_OPTIONS` over a fresh challenge, allowing the user's
/// passkeys.
fn passkey_challenge<R: CryptoRng + ?Sized>(
    start: Start,
    account: Option<&Account<'_>>,
    cx: &mut FlowContext<'_, R>,
) -> Result<Transition> {
    let rp = cx.relying_party.ok_or(FlowError::InvalidParameter(
        "WebAuthn is not configured for the user pool",
    ))?;
    let mut challenge = [0u8; WEBAUTHN_CHALLENGE_BYTES];
    cx.rng.fill_bytes(&mut challenge);
    let allow: Vec<CredentialDescriptor> = account
        .map(|a| {
            a.passkeys
                .iter()
                .map(|p| CredentialDescriptor {
                    id: p.credential_id.clone(),
                    transports: Vec::new(),
                })
                .collect()
        })
        .unwrap_or_default();
    let options = rp.request_options(&challenge, &allow);
    let parameters =
        BTreeMap::from([("CREDENTIAL_REQUEST_OPTIONS".to_owned(), options.to_string())]);
    let state = FlowState::WebAuthn(AwaitWebAuthn {
        start,
        challenge: Secret::new(challenge.to_vec()),
    });
    Ok(Transition::new(Step::Challenge(Challenge::new(
        ChallengeName::WebAuthn,
        parameters,
        &state,
        cx,
    ))))
}

/// The account a passwordless answer is checked against: the state's own user, never an
/// unknown one.
fn own<'a, 'b>(start: &Start, account: Option<&'a Account<'b>>) -> Option<&'a Account<'b>> {
    account.filter(|a| !start.user.phantom && a.user.username == start.user.username)
}

fn passwordless(start: Start, first: FirstFactor) -> Progress {
    Progress {
        user: start.user,
        first,
        new_password: false,
        mfa: SecondFactor::NotRequired,
        device_key: start.device_key,
        device_verified: false,
        device_tracking: start.device_tracking,
    }
}

impl AwaitSelectChallenge {
    /// `SELECT_CHALLENGE`: `ANSWER` must be one of the challenges offered.
    pub(crate) fn respond<R: CryptoRng + ?Sized>(
        self,
        choice: FactorChoice,
        account: Option<&Account<'_>>,
        cx: &mut FlowContext<'_, R>,
    ) -> Result<Transition> {
        if !self
            .available
            .iter()
            .any(|c| c.as_str() == choice.challenge())
        {
            return Err(FlowError::InvalidParameter(
                "The challenge in ANSWER is not one the user can choose",
            ));
        }
        let account = own(&self.start, account);
        let phantom = self
            .start
            .user
            .phantom
            .then(|| Phantom::for_login(cx, &self.start.user.login));
        begin(choice, self.start, account, phantom.as_ref(), cx)
    }
}

impl AwaitFirstOtp {
    /// `EMAIL_OTP_CODE` / `SMS_OTP_CODE`, compared in constant time. An unknown user's
    /// answers are all mismatches (until the session's attempts run out).
    pub(crate) fn respond<R: CryptoRng + ?Sized>(
        self,
        code: &str,
        account: Option<&Account<'_>>,
        cx: &mut FlowContext<'_, R>,
    ) -> Result<Transition> {
        let matches = digest(code) == self.code_digest;
        let Some(account) = own(&self.start, account).filter(|_| matches) else {
            return Err(FlowError::CodeMismatch);
        };
        let first = if self.kind == MfaKind::Sms {
            FirstFactor::SmsOtp
        } else {
            FirstFactor::EmailOtp
        };
        after_first_factor(passwordless(self.start, first), account, cx)
    }
}

impl AwaitWebAuthn {
    /// `CREDENTIAL`: an assertion by one of the user's passkeys over this challenge.
    pub(crate) fn respond<R: CryptoRng + ?Sized>(
        self,
        credential: &str,
        account: Option<&Account<'_>>,
        cx: &mut FlowContext<'_, R>,
    ) -> Result<Transition> {
        let response =
            AuthenticationResponse::from_json_str(credential).map_err(FlowError::WebAuthn)?;
        let Some(account) = own(&self.start, account) else {
            return Err(FlowError::IncorrectCredentials { counts: false });
        };
        let id = response.credential_id().map_err(FlowError::WebAuthn)?;
        let stored = account
            .passkeys
            .iter()
            .find(|p| p.credential_id == id)
            .ok_or(FlowError::WebAuthn(
                webauthn_rp::WebAuthnError::CredentialMismatch,
            ))?;
        let rp = cx.relying_party.ok_or(FlowError::InvalidSession)?;
        let verified = verify_assertion(&response, self.challenge.expose_secret(), rp, stored)
            .map_err(FlowError::WebAuthn)?;
        let used = Event::PasskeyUsed {
            credential_id: id,
            sign_count: verified.sign_count,
            previous_count: stored.sign_count,
            backed_up: verified.backed_up,
        };
        Ok(
            after_first_factor(passwordless(self.start, FirstFactor::WebAuthn), account, cx)?
                .with(vec![used]),
        )
    }
}
