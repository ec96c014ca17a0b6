//! The `userpool-delivery` crate's integration tests: real servers nobody here wrote, on
//! loopback — aiosmtpd for SMTP, moto for SNS, SES and KMS (both from PyPI, installed into a
//! virtualenv under the target directory the first time; without Python the tests print
//! `SKIPPED: …` and pass) — and the queue's retry rules on a paused clock.

mod custom_sender;
mod facade;
mod moto;
mod queue;
mod smtp;
mod support;
mod webhook;
