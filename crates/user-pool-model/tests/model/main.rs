//! The `user-pool-model` crate's integration tests: invariants and the fuzz corpus replay.

mod corpus;
mod properties;
