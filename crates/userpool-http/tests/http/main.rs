//! `userpool-http`'s integration tests.
#![allow(unreachable_pub)]

mod browser;
mod golden;
mod hardening;
mod js;
mod oauth;
mod py;
mod rp;
mod sdk;
