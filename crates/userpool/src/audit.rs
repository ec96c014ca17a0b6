//! Audit events: one per operation on the `userpool::audit` tracing target. Parameters are
//! never logged raw: opaque identifiers (pool, client, the user's `sub`) are; usernames and
//! secrets (passwords, codes, tokens, `SRP_A`, sessions) are not, as CloudTrail masks them
//! (`HIDDEN_DUE_TO_SECURITY_REASONS`).

/// Records that `operation` was called.
pub(crate) fn event(operation: &'static str) {
    tracing::info!(target: "userpool::audit", operation, parameters = "HIDDEN_DUE_TO_SECURITY_REASONS");
}
