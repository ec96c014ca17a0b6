//! Audit events: one per operation on the `userpool::audit` tracing target, all written by the
//! [`audit!`](crate::audit!) macro. Parameters are never logged raw: opaque identifiers (pool,
//! client, the user's `sub`) are; usernames and secrets (passwords, codes, tokens, `SRP_A`,
//! sessions) are not, as CloudTrail masks them (`HIDDEN_DUE_TO_SECURITY_REASONS`).

/// The tracing target every audit event is written to.
pub const TARGET: &str = "userpool::audit";

/// Writes an audit event on the `userpool::audit` target with the fields given (tracing's field
/// syntax): at `info`, or at the level named first (`warn:`, `error:`, `debug:`). The facade,
/// the HTTP adapter and an embedder's own handlers use it, so one filter
/// (`userpool::audit=info`) sees every event.
///
/// ```
/// let pool = "us-east-1_example";
/// userpool::audit!(operation = "ExportPool", pool = %pool, "pool exported");
/// userpool::audit!(warn: operation = "ExportPool", pool = %pool, "export refused");
/// ```
#[macro_export]
macro_rules! audit {
    (warn: $($fields:tt)+) => {
        $crate::__tracing::warn!(target: "userpool::audit", $($fields)+)
    };
    (error: $($fields:tt)+) => {
        $crate::__tracing::error!(target: "userpool::audit", $($fields)+)
    };
    (debug: $($fields:tt)+) => {
        $crate::__tracing::debug!(target: "userpool::audit", $($fields)+)
    };
    ($($fields:tt)+) => {
        $crate::__tracing::info!(target: "userpool::audit", $($fields)+)
    };
}

/// Records that `operation` was called, its parameters masked.
pub(crate) fn event(operation: &'static str) {
    crate::audit!(operation, parameters = "HIDDEN_DUE_TO_SECURITY_REASONS");
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_macro_writes_to_the_audit_target() {
        // The literal in the macro and the public constant name the same target.
        assert_eq!(super::TARGET, "userpool::audit");
    }
}
