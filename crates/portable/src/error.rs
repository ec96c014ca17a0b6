//! The crate's one error type.

use userpool_store::StoreError;

/// Why an export or import did not happen. An import that fails with any of these before
/// [`Import`](PortableError::Import) wrote nothing.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PortableError {
    /// Reading or writing the dump failed.
    #[error("cannot {what} the dump: {source}")]
    Io {
        /// `read` or `write`.
        what: &'static str,
        /// The cause.
        source: std::io::Error,
    },
    /// The first line is not a userpool export header.
    #[error("not a userpool export (the first line is not a userpool-export header)")]
    NotAnExport,
    /// The dump's format version is not one this build reads.
    #[error("unsupported export version {found} (this build reads version {supported})")]
    UnsupportedVersion {
        /// The dump's version.
        found: u64,
        /// What this build reads.
        supported: u64,
    },
    /// A line does not parse, or names something the dump does not hold.
    #[error("line {line}: {message}")]
    Malformed {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The dump ends before its `end` record (cut short in transit or while written).
    #[error("the dump is truncated: it ends after {records} record(s) without its end record")]
    Truncated {
        /// Records read before it ended.
        records: u64,
    },
    /// The `end` record counts another number of records than the dump holds.
    #[error("the dump's end record counts {expected} record(s) but the dump holds {found}")]
    CountMismatch {
        /// What the end record says.
        expected: u64,
        /// What was read.
        found: u64,
    },
    /// The dump's secrets are sealed under a passphrase and none was given.
    #[error(
        "the dump is portable: its secrets are sealed under a passphrase (give it with --portable)"
    )]
    PassphraseRequired,
    /// A passphrase was given for a dump whose secrets are sealed under a master key.
    #[error(
        "the dump is not portable: its secrets are sealed under the source's master key (import it without --portable, with that master key)"
    )]
    NotPortable,
    /// The passphrase does not open the dump.
    #[error("the passphrase does not open this dump")]
    WrongPassphrase,
    /// A passphrase is empty.
    #[error("the passphrase is empty")]
    EmptyPassphrase,
    /// The key-derivation settings are out of range.
    #[error("key derivation: {0}")]
    Kdf(String),
    /// A sealed secret does not open under the key it should be sealed under.
    #[error("the secrets of {record} do not open under {key}")]
    Unsealable {
        /// Which record (`user alice in us-east-1_AbCdEf123`).
        record: String,
        /// Which key (`the source's master key`, `the target's master key`, `the passphrase`).
        key: &'static str,
    },
    /// An app client still holds its secret in plaintext (a record written before secrets
    /// were sealed): only a portable export re-seals it.
    #[error(
        "app client {client} in {pool} holds its secret in plaintext: export with --portable, or start the server once (it seals such secrets as it reads them)"
    )]
    PlaintextSecret {
        /// The pool.
        pool: String,
        /// The client id.
        client: String,
    },
    /// The target store already holds user pools or identity pools.
    #[error("the target store is not empty ({0}): import only into an empty store")]
    NotEmpty(String),
    /// Reading the source store, or checking the target, failed.
    #[error("store: {0}")]
    Store(#[from] StoreError),
    /// Writing into the target failed; what was written was deleted again.
    #[error("import failed at line {line} ({record}): {source}; nothing was kept")]
    Import {
        /// The dump line that failed.
        line: usize,
        /// The record it holds.
        record: String,
        /// The store's error.
        source: StoreError,
    },
    /// Writing into the target failed and deleting what was written failed too.
    #[error(
        "import failed at line {line} ({record}): {source}; removing what was written failed as well ({cleanup}): the target store is partly written, empty it before trying again"
    )]
    ImportNotUndone {
        /// The dump line that failed.
        line: usize,
        /// The record it holds.
        record: String,
        /// The store's error.
        source: StoreError,
        /// Why the clean-up failed.
        cleanup: StoreError,
    },
}

/// The crate's result.
pub type Result<T, E = PortableError> = std::result::Result<T, E>;
