//! Audit events: one per operation on the `userpool::audit` tracing target. Parameters are
//! never logged raw: identifiers (pool, client, internal username) are, secrets (passwords,
//! codes, tokens, `SRP_A`, sessions) are not, as CloudTrail masks them
//! (`HIDDEN_DUE_TO_SECURITY_REASONS`).

/// Records that `operation` was called.
pub(crate) fn event(operation: &'static str) {
    tracing::info!(target: "userpool::audit", operation, parameters = "HIDDEN_DUE_TO_SECURITY_REASONS");
}
