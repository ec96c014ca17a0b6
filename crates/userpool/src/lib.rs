//! `userpool`: Amazon-Cognito-style user pools as a library — the facade an embedder adds.
//!
//! **Built so far** (the parts every operation stands on): Cognito's exception vocabulary and
//! the one place crate errors collapse into it, with PreventUserExistenceErrors
//! ([`Error`], [`ErrorKind`]); per-pool, per-purpose authenticated encryption for sessions
//! and secrets at rest ([`Sealer`]); the clock ([`Clock`]); and outgoing messages
//! ([`MessageSender`], the development [`Outbox`]). The operations (`Service`, `UserPool`)
//! are the open part of the issue and do not exist in the API yet.
//!
//! ```
//! use userpool::{Error, MasterKey, Purpose, Sealer};
//! use user_pool_model::PreventUserExistenceErrors;
//!
//! // A session sealed for one pool opens only there.
//! let master = MasterKey::new([7; 32]);
//! let sealer = Sealer::new(&master, Purpose::Session, "us-east-1_AbCdEf123");
//! let sealed = sealer.seal(b"flow state", b"", [1; 12]);
//! assert_eq!(sealer.open(&sealed, b"").unwrap().as_slice(), b"flow state");
//! assert!(Sealer::new(&master, Purpose::Session, "us-east-1_Other0000").open(&sealed, b"").is_err());
//!
//! // A missing user, as each client setting reports it.
//! let e = Error::user_not_found(PreventUserExistenceErrors::Enabled, "User does not exist.");
//! assert_eq!((e.exception_name(), e.message()), ("NotAuthorizedException", "Incorrect username or password."));
//! ```

#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable
    )
)]

mod at_rest;
mod clock;
mod entropy;
mod error;
mod hooks;
mod keys;
mod messages;
mod ops;
mod seal;
mod service;
pub mod wire;

pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{Error, ErrorKind, INCORRECT_CREDENTIALS, Result};
pub use messages::{
    DeliveryFailure, DeliveryMedium, Message, MessageKind, MessageSender, Outbox, render_template,
};
pub use ops::pools::{
    CsvHeaderResponse, EmailMfaConfiguration, SmsMfaConfiguration, SoftwareTokenMfaConfiguration,
    UserPoolMfaConfig,
};
pub use ops::tokens::ADMIN_SCOPE;
pub use seal::{MasterKey, NONCE_BYTES, Purpose, Sealer, TAG_BYTES, Unsealable};
pub use service::{Issuer, Service, ServiceBuilder, UserPool};
