//! Reading a token **without verifying it**. For debugging and logging tools only: nothing read
//! here may be trusted, and no code path of this project's servers calls it.

use serde_json::{Map, Value};

use crate::error::{Error, Result, Segment};
use crate::{base64url, strict_json};

/// The header and payload of a compact JWS, decoded strictly but **not verified**.
pub fn decode_unverified(token: &str) -> Result<(Map<String, Value>, Map<String, Value>)> {
    if token.len() > crate::MAX_TOKEN_LEN {
        return Err(Error::TokenTooLong {
            max: crate::MAX_TOKEN_LEN,
        });
    }
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Error::Malformed);
    };
    let header = base64url::decode(h).ok_or(Error::Base64(Segment::Header))?;
    let payload = base64url::decode(p).ok_or(Error::Base64(Segment::Payload))?;
    Ok((
        strict_json::parse_object(&header).ok_or(Error::Json(Segment::Header))?,
        strict_json::parse_object(&payload).ok_or(Error::Json(Segment::Payload))?,
    ))
}
