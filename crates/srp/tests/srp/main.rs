//! The `srp` crate's (`cognito-srp6a`) integration tests: real-client known answers, properties, rejections and
//! the fuzz corpus replay.

// The fuzz harness (shared with `fuzz/`) names the crate as its dependents do.
extern crate cognito_srp6a as srp;

mod corpus;
mod normal_build;
mod properties;
mod rejections;
mod support;
mod vectors;
