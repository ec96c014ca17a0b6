//! Paging mechanics every backend shares: the page size a request gets, opaque page tokens
//! naming where a page ended, and the page made from an over-fetch of one row.
//!
//! A backend reads up to `size + 1` rows after the token's position; [`page`] keeps `size`
//! of them and, when the extra row shows that more follow, names the last kept row's
//! position in the next token. Positions are any serializable cursor (a key, or a
//! `(value, key)` pair); tokens are URL-safe base64 of its JSON and are only ever read back
//! by the store that issued them.
//!
//! ```
//! use userpool_store::paging::{cursor, page, page_size};
//!
//! let size = page_size(2);
//! let rows = vec![("a".to_owned(), 1), ("b".to_owned(), 2), ("c".to_owned(), 3)];
//! let first = page(rows, size);
//! assert_eq!(first.items, [1, 2]);
//! let after: Option<String> = cursor(first.next.as_deref())?;
//! assert_eq!(after.as_deref(), Some("b"));
//! assert_eq!(page_size(0), 60);
//! # Ok::<(), userpool_store::StoreError>(())
//! ```

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{StoreError, StoreResult};
use crate::records::Page;

/// The page size of a request that names none (`limit` 0).
pub const DEFAULT_PAGE_SIZE: usize = 60;

/// The largest page any listing returns.
pub const MAX_PAGE_SIZE: usize = 1000;

/// Page size from a requested limit (0 means [`DEFAULT_PAGE_SIZE`]; at most
/// [`MAX_PAGE_SIZE`]).
pub fn page_size(limit: usize) -> usize {
    if limit == 0 {
        DEFAULT_PAGE_SIZE
    } else {
        limit.min(MAX_PAGE_SIZE)
    }
}

/// An opaque token naming a position.
pub fn token<C: Serialize>(position: &C) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(position).unwrap_or_default())
}

/// The position a token names; anything this module did not issue (or that names another
/// kind of position) is [`InvalidPaginationToken`](StoreError::InvalidPaginationToken).
pub fn cursor<C: DeserializeOwned>(token: Option<&str>) -> StoreResult<Option<C>> {
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

/// A page from an over-fetch: `rows` holds up to `size + 1` `(position, item)` pairs in
/// listing order; the first `size` items are kept and, if a row beyond them was read, the
/// next token names the last kept position.
pub fn page<C: Serialize, T>(rows: impl IntoIterator<Item = (C, T)>, size: usize) -> Page<T> {
    let mut rows = rows.into_iter();
    let mut items = Vec::new();
    let mut last = None;
    for (position, item) in rows.by_ref().take(size) {
        items.push(item);
        last = Some(position);
    }
    let more = rows.next().is_some();
    Page {
        items,
        next: if more { last.map(|p| token(&p)) } else { None },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_over_fetch_names_the_last_kept_position() {
        let rows = |n: usize| (0..n).map(|i| (format!("k{i}"), i)).collect::<Vec<_>>();
        let full = page(rows(4), 3);
        assert_eq!(full.items, [0, 1, 2]);
        assert_eq!(
            cursor::<String>(full.next.as_deref()),
            Ok(Some("k2".into()))
        );
        let last = page(rows(3), 3);
        assert_eq!((last.items.len(), last.next), (3, None));
        assert_eq!(
            page(rows(0), 3),
            Page {
                items: vec![],
                next: None
            }
        );
        let pair = token(&("v".to_owned(), 7u32));
        assert_eq!(
            cursor::<(String, u32)>(Some(&pair)),
            Ok(Some(("v".into(), 7)))
        );
        assert_eq!(
            cursor::<String>(Some(&pair)),
            Err(StoreError::InvalidPaginationToken),
            "a token of another kind of position"
        );
        assert_eq!(
            cursor::<String>(Some("%%%")),
            Err(StoreError::InvalidPaginationToken)
        );
        assert_eq!((page_size(0), page_size(5), page_size(5000)), (60, 5, 1000));
    }
}
