//! Cognito's sign-in flows and challenges, sans-IO.
//!
//! **Built so far** (the building blocks the state machine stands on): flow and challenge
//! names and which client setting enables which flow ([`AuthFlow`], [`ChallengeName`]);
//! Cognito's lockout back-off ([`LockoutPolicy`]); software-token MFA with one step of skew and
//! replay refusal ([`TotpSecret`]); and the versioned, bound `Session` envelope the facade
//! seals ([`SessionEnvelope`]). The per-flow state types follow.
//!
//! ```
//! use auth_flow_state_machine::{Failures, FlowError, LockoutPolicy};
//!
//! let policy = LockoutPolicy::default();
//! let mut failures = Failures::default();
//! for _ in 0..5 {
//!     policy.check(failures, 100)?;
//!     failures = policy.record_failure(failures, 100);
//! }
//! assert_eq!(policy.check(failures, 100), Err(FlowError::PasswordAttemptsExceeded { until: 101 }));
//! assert_eq!(policy.check(failures, 101), Ok(()));
//! # Ok::<(), FlowError>(())
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

mod error;
mod flows;
mod lockout;
mod session;
mod totp;

pub use error::{FlowError, Result};
pub use flows::{AuthFlow, ChallengeName};
pub use lockout::{Failures, LockoutPolicy};
pub use session::{MIN_SESSION_LEN, SESSION_MINUTES, SessionEnvelope};
pub use totp::{SECRET_BYTES, TotpSecret};
