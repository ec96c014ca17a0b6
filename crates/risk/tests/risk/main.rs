//! Integration tests of `userpool-risk`, through its public API only.

mod breach;
mod config;
mod scorer_properties;
