//! `userpool-http`'s integration tests.
#![allow(unreachable_pub)]

mod golden;
mod js;
mod py;
mod sdk;
