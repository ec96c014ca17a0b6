//! The request and response types of every operation, shaped exactly like the service's JSON
//! (PascalCase members, absent optionals omitted, timestamps as epoch seconds), so an HTTP
//! adapter is a thin dispatch.

mod admin;
mod auth;
mod client;
mod decode;
mod device;
mod domain;
mod federation;
mod group;
mod mfa;
mod oauth;
mod passkeys;
mod pool;
mod risk;
mod secret;
mod user;

pub use admin::*;
pub use auth::*;
pub use client::*;
pub use decode::{DecodeError, decode};
pub use device::*;
pub use domain::*;
pub use federation::*;
pub use group::*;
pub use mfa::*;
pub use oauth::*;
pub use passkeys::*;
pub use pool::*;
pub use risk::*;
pub use secret::{SecretMap, SecretString};
pub use user::*;
/// A user attribute (`Name`, `Value`), as every operation carries it.
pub use user_pool_model::Attribute;
