//! The hosted UI (spec §9.7): server-rendered sign-in, sign-up, confirmation, password reset,
//! new-password, MFA and TOTP-setup pages, passwordless sign-in (email or SMS code, passkey)
//! and passkey registration, in English or Japanese, with CSRF protection on
//! every form. The pages carry the authorization request's query from step to step and end
//! in the sign-in cookie and a redirect to the client.

mod context;
pub(crate) mod cookies;
mod endpoints;
mod federation;
mod feedback;
mod i18n;
mod pages;
mod qr;
mod recovery;
mod sign_in;
mod sign_up;
mod throttle;
mod webauthn;

use userpool::wire::HostedRequest;

pub(crate) use context::host_pool;
#[cfg(any(test, fuzzing))]
pub(crate) use context::redirect_origin;
pub(crate) use endpoints::{authorize_get, error_get, logo_get, logout_get, saml_logout_get};
pub(crate) use federation::{
    idp_response_get, idp_response_post, saml_metadata_get, saml_response_post,
};
pub(crate) use feedback::{feedback_get, feedback_post};
use i18n::Text;
pub(crate) use recovery::{forgot_get, forgot_post, reset_post};
pub(crate) use sign_in::{challenge_post, login_get, login_post};
pub(crate) use sign_up::{confirm_post, signup_get, signup_post};
pub(crate) use throttle::throttle;
pub(crate) use webauthn::{passkeys_add_get, passkeys_add_post};

/// What the sign-in form asks for: a username, an email or a phone number.
fn login_label(request: &HostedRequest) -> Text {
    let has = |a: &str| request.username_attributes.iter().any(|u| u == a);
    match (has("email"), has("phone_number")) {
        (true, _) => Text::Email,
        (false, true) => Text::Phone,
        _ => Text::Username,
    }
}
