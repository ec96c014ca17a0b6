//! `userpool-http`'s integration tests.
#![allow(unreachable_pub)]

mod amplify;
mod browser;
mod federation;
mod golden;
mod hardening;
mod hosted_passkeys;
mod hosted_passwordless;
mod identity;
mod js;
mod moto;
mod node;
mod oauth;
mod passkey_browser;
mod passwordless;
mod py;
mod rp;
mod saml;
mod sdk;
mod threat;
