//! How database failures become [`StoreError`]s, and which reads are retried.
//!
//! A failure reported here never carries a bound value: sqlx errors name the constraint or the
//! SQLSTATE, not the parameters, and [`backend`] keeps only the class and code.

use std::future::Future;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sqlx::error::ErrorKind;
use userpool_store::{StoreError, StoreResult};

/// How many times a read is retried after its connection broke.
const READ_RETRIES: u32 = 2;

/// For this long after a connection failed, pooled connections are tested before use.
const SUSPECT_FOR: Duration = Duration::from_secs(10);

/// Milliseconds after [`epoch`] when a connection last failed (0: never).
static LAST_CONNECTION_FAILURE: AtomicU64 = AtomicU64::new(0);

fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

fn since_epoch_ms() -> u64 {
    u64::try_from(epoch().elapsed().as_millis())
        .unwrap_or(u64::MAX)
        .max(1)
}

/// Remembers that a connection broke (the server restarted, the network dropped it), so the
/// connections still pooled get tested before they are used.
pub(crate) fn note_connection_failure() {
    LAST_CONNECTION_FAILURE.store(since_epoch_ms(), Ordering::Relaxed);
}

/// Whether a connection failed recently.
pub(crate) fn connections_suspect() -> bool {
    match LAST_CONNECTION_FAILURE.load(Ordering::Relaxed) {
        0 => false,
        at => {
            since_epoch_ms().saturating_sub(at)
                < u64::try_from(SUSPECT_FOR.as_millis()).unwrap_or(u64::MAX)
        }
    }
}

/// A backend failure as a fail-closed [`StoreError::Backend`].
pub(crate) fn backend(error: &sqlx::Error) -> StoreError {
    if is_connection_failure(error) {
        note_connection_failure();
    }
    let what = match error {
        sqlx::Error::Database(db) => match db.code() {
            Some(code) => format!("database error {code}"),
            None => "database error".to_owned(),
        },
        sqlx::Error::Io(_) => "database connection lost".to_owned(),
        sqlx::Error::PoolTimedOut => "timed out waiting for a database connection".to_owned(),
        sqlx::Error::PoolClosed => "the database pool is closed".to_owned(),
        sqlx::Error::Tls(_) => "database TLS failure".to_owned(),
        sqlx::Error::Protocol(_) => "database protocol error".to_owned(),
        sqlx::Error::ColumnDecode { .. } | sqlx::Error::Decode(_) => {
            "a stored value could not be decoded".to_owned()
        }
        _ => "database failure".to_owned(),
    };
    // The class and, for a database error, the constraint only: a driver's message can quote
    // a bound value (a username, a sealed blob), and the logs must not carry those.
    let constraint = match error {
        sqlx::Error::Database(db) => db.constraint().unwrap_or_default().to_owned(),
        _ => String::new(),
    };
    tracing::warn!(target: "userpool_store_sql", error = %what, constraint = %constraint, "database operation failed");
    StoreError::Backend(what)
}

/// `Result<T, sqlx::Error>` into `StoreResult<T>`.
pub(crate) trait OrBackend<T> {
    /// Maps the error with [`backend`].
    fn or_backend(self) -> StoreResult<T>;
}

impl<T> OrBackend<T> for Result<T, sqlx::Error> {
    fn or_backend(self) -> StoreResult<T> {
        self.map_err(|e| backend(&e))
    }
}

/// The outcome of a write: a unique violation is `taken` (for statements that can have one),
/// a foreign-key violation means the pool is gone, anything else is a backend failure.
pub(crate) fn written<T>(
    result: Result<T, sqlx::Error>,
    taken: Option<StoreError>,
) -> StoreResult<T> {
    match result {
        Ok(v) => Ok(v),
        Err(e) if is_unique_violation(&e) => Err(taken.unwrap_or_else(|| backend(&e))),
        Err(e) if is_foreign_key_violation(&e) => Err(StoreError::PoolNotFound),
        Err(e) => Err(backend(&e)),
    }
}

/// A unique or primary-key violation.
pub(crate) fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.kind() == ErrorKind::UniqueViolation)
}

/// A foreign-key violation (the referenced pool, user or group is gone).
pub(crate) fn is_foreign_key_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.kind() == ErrorKind::ForeignKeyViolation)
}

/// Whether the connection failed under the statement (so a read may run again on another).
///
/// Besides I/O errors: PostgreSQL's connection-exception class (`08…`) and the server ending
/// the session (`57P01` admin shutdown, `57P02` crash shutdown, `57P03` cannot connect now),
/// which arrive as an error message on the dying connection.
fn is_connection_failure(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_) | sqlx::Error::Protocol(_) | sqlx::Error::PoolTimedOut => true,
        sqlx::Error::Database(db) => db
            .code()
            .is_some_and(|c| c.starts_with("08") || c.starts_with("57P")),
        _ => false,
    }
}

/// Runs a read, retrying on a fresh connection when the one it used broke (a PostgreSQL
/// restart or a dropped TCP connection). Reads change nothing, so running one twice is safe.
/// Writes are never retried here: a write whose connection broke may or may not have
/// committed, so it is reported ([`StoreError::Backend`]) instead.
pub(crate) async fn read<T, F, Fut>(mut attempt: F) -> StoreResult<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, sqlx::Error>>,
{
    let mut tries = 0;
    loop {
        match attempt().await {
            Ok(v) => return Ok(v),
            Err(e) if is_connection_failure(&e) && tries < READ_RETRIES => {
                note_connection_failure();
                tries += 1;
                tracing::info!(
                    target: "userpool_store_sql",
                    error = %e,
                    attempt = tries,
                    "retrying a read after a connection failure"
                );
                tokio::time::sleep(Duration::from_millis(20 * u64::from(tries))).await;
            }
            Err(e) => return Err(backend(&e)),
        }
    }
}

/// How many times a write is run again after the database aborted it as a serialization
/// failure or a deadlock victim.
const WRITE_RETRIES: u32 = 3;

/// The SQLSTATEs after which the database has rolled the whole transaction back and invites a
/// retry: `40001` serialization failure, `40P01` deadlock detected (PostgreSQL).
const RETRYABLE_STATES: [&str; 2] = ["40001", "40P01"];

/// Whether `error` is a write the database aborted and rolled back as a serialization failure
/// or deadlock victim ([`backend`] keeps the SQLSTATE in the message, and only that).
pub(crate) fn is_retryable(error: &StoreError) -> bool {
    matches!(error, StoreError::Backend(what)
        if RETRYABLE_STATES.iter().any(|state| what.strip_prefix("database error ") == Some(*state)))
}

/// A short pause before retry `n` (1-based): 5–15 ms times `n`, spread so that transactions
/// that collided do not collide again in step.
fn retry_pause(n: u32) -> Duration {
    use std::hash::{BuildHasher as _, Hasher as _};
    let spread = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish()
        % 11;
    Duration::from_millis((5 + spread) * u64::from(n))
}

/// Runs a write, and runs it again from the start (at most [`WRITE_RETRIES`] more times) when
/// the database aborted it as a serialization failure (`40001`) or deadlock victim (`40P01`).
///
/// Only for writes that are safe to re-run whole: a single conditional statement, or a
/// transaction that `attempt` begins itself. Either way the aborted attempt was rolled back
/// entirely, so nothing of it remains to be applied twice. Any other failure is returned at
/// once: a write whose connection broke may or may not have committed.
pub(crate) async fn retry_write<T, F, Fut>(mut attempt: F) -> StoreResult<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = StoreResult<T>>,
{
    let mut tries = 0;
    loop {
        match attempt().await {
            Err(e) if is_retryable(&e) && tries < WRITE_RETRIES => {
                tries += 1;
                tracing::info!(
                    target: "userpool_store_sql",
                    error = %e,
                    attempt = tries,
                    "re-running a write the database aborted"
                );
                tokio::time::sleep(retry_pause(tries)).await;
            }
            outcome => return outcome,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicU32;

    use super::*;

    fn aborted(state: &str) -> StoreError {
        StoreError::Backend(format!("database error {state}"))
    }

    #[test]
    fn only_aborted_transactions_are_retryable() {
        assert!(is_retryable(&aborted("40001")));
        assert!(is_retryable(&aborted("40P01")));
        for other in [
            aborted("23505"),
            aborted("57014"),
            aborted("4000"),
            StoreError::Backend("database connection lost".into()),
            StoreError::VersionConflict,
        ] {
            assert!(!is_retryable(&other), "{other:?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn aborted_writes_run_again_a_bounded_number_of_times() {
        let runs = AtomicU32::new(0);
        let twice_aborted = retry_write(|| async {
            match runs.fetch_add(1, Ordering::Relaxed) {
                0 => Err(aborted("40001")),
                1 => Err(aborted("40P01")),
                n => Ok(n),
            }
        })
        .await;
        assert_eq!((twice_aborted, runs.load(Ordering::Relaxed)), (Ok(2), 3));

        runs.store(0, Ordering::Relaxed);
        let always: StoreResult<()> = retry_write(|| async {
            runs.fetch_add(1, Ordering::Relaxed);
            Err(aborted("40001"))
        })
        .await;
        assert_eq!(always, Err(aborted("40001")));
        assert_eq!(runs.load(Ordering::Relaxed), 1 + WRITE_RETRIES);

        runs.store(0, Ordering::Relaxed);
        let conflict: StoreResult<()> = retry_write(|| async {
            runs.fetch_add(1, Ordering::Relaxed);
            Err(StoreError::VersionConflict)
        })
        .await;
        assert_eq!(conflict, Err(StoreError::VersionConflict));
        assert_eq!(runs.load(Ordering::Relaxed), 1, "a typed outcome is final");
    }
}
