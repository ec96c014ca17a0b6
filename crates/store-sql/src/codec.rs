//! Encodings: records as JSON text, hashes as bytes, limits as SQL parameters.

use serde::Serialize;
use serde::de::DeserializeOwned;
use userpool_store::{StoreError, StoreResult};

/// A record as JSON text.
pub(crate) fn to_json<T: Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value)
        .map_err(|_| StoreError::Backend("a record could not be encoded".into()))
}

/// A record from JSON text; corrupt text is a backend failure, never a panic.
pub(crate) fn from_json<T: DeserializeOwned>(text: &str) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|_| StoreError::Backend("a stored record is corrupt".into()))
}

/// A 32-byte hash read back from a byte column.
pub(crate) fn hash32(bytes: &[u8]) -> StoreResult<[u8; 32]> {
    bytes
        .try_into()
        .map_err(|_| StoreError::Backend("a stored hash has the wrong length".into()))
}

/// `n` as a SQL `LIMIT` parameter.
pub(crate) fn limit_param(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}
