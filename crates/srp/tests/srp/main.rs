//! The `srp` crate's integration tests: real-client known answers, properties, rejections and
//! the fuzz corpus replay.

mod corpus;
mod normal_build;
mod properties;
mod rejections;
mod support;
mod vectors;
