//! The operations, one async method on [`Service`](crate::Service) per Cognito action,
//! grouped by subject.

pub(crate) mod clients;
pub(crate) mod code_limits;
pub(crate) mod codes;
pub(crate) mod csrf;
pub(crate) mod custom_auth;
pub(crate) mod custom_sender;
pub(crate) mod devices;
pub(crate) mod domains;
pub(crate) mod flow_events;
pub(crate) mod groups;
pub(crate) mod hosted;
pub(crate) mod mfa;
pub(crate) mod migration;
pub(crate) mod oauth;
pub(crate) mod oauth_token;
pub(crate) mod passwords;
pub(crate) mod pool_delivery;
pub(crate) mod pools;
pub(crate) mod resources;
pub(crate) mod scopes;
pub(crate) mod sign_in;
pub(crate) mod sign_up;
pub(crate) mod tokens;
pub(crate) mod ui;
pub(crate) mod user_update;
pub(crate) mod users;
