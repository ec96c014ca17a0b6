//! The one error type of the server crate: what stops a command, said without secrets.

use std::path::PathBuf;

/// Why a command could not run. Messages name files and settings, never their secret
/// contents.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A setting has an unusable value (from the file, the environment or a flag).
    #[error("{0}")]
    Config(String),
    /// The configuration file could not be read or parsed.
    #[error("cannot read the configuration file {path}: {message}")]
    ConfigFile {
        /// The file.
        path: PathBuf,
        /// What went wrong (TOML's own message: which key, which line).
        message: String,
    },
    /// A secret file is missing, malformed or readable by others.
    #[error("{0}")]
    Secret(String),
    /// A file or socket operation failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The store (SQLite or PostgreSQL) refused or failed.
    #[error("store: {0}")]
    Store(#[from] userpool_store::StoreError),
    /// The facade refused (building the service, rotating keys).
    #[error("{0}")]
    Service(#[from] userpool::Error),
    /// The TLS certificate or key is unusable.
    #[error("TLS: {0}")]
    Tls(String),
    /// An export or import failed (what is wrong with the file, the passphrase or the target).
    #[error("{0}")]
    Portable(#[from] userpool_portable::PortableError),
    /// A check found a problem (`check`, `migrate status` on an unapplied schema).
    #[error("{0}")]
    CheckFailed(String),
}

impl Error {
    /// An I/O error with what was being done.
    pub(crate) fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> Self {
        let what = what.into();
        move |source| Self::Io { what, source }
    }
}

/// The crate's result.
pub type Result<T, E = Error> = std::result::Result<T, E>;
