//! Encodings: records as JSON text, hashes as bytes, page tokens as opaque strings.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
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

/// A page token naming a cursor (any serializable position).
pub(crate) fn token<T: Serialize>(cursor: &T) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(cursor).unwrap_or_default())
}

/// The cursor a token names; anything this store did not issue is
/// [`InvalidPaginationToken`](StoreError::InvalidPaginationToken).
pub(crate) fn cursor<T: DeserializeOwned>(token: Option<&str>) -> StoreResult<Option<T>> {
    token
        .map(|t| {
            URL_SAFE_NO_PAD
                .decode(t)
                .ok()
                .and_then(|b| serde_json::from_slice(&b).ok())
                .ok_or(StoreError::InvalidPaginationToken)
        })
        .transpose()
}

/// Page size from a requested limit (0 means the default of 60; at most 1,000).
pub(crate) fn page_size(limit: usize) -> usize {
    if limit == 0 { 60 } else { limit.min(1000) }
}

/// `n` as a SQL `LIMIT` parameter.
pub(crate) fn limit_param(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}
