//! The operations, one async method on [`Service`](crate::Service) per Cognito action,
//! grouped by subject.

pub(crate) mod clients;
pub(crate) mod codes;
pub(crate) mod pools;
pub(crate) mod sign_in;
pub(crate) mod tokens;
