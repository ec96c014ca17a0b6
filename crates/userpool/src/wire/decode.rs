//! Decoding a request body into an operation's request type, strictly: one JSON object, no
//! duplicated member at any depth (serde_json alone keeps the last one silently), bounded
//! nesting; `null` members count as absent (clients send them: amazon-cognito-identity-js's
//! `ValidationData: null`), an empty body as `{}`.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// Why a body is not the operation's JSON shape (Cognito's `SerializationException`). The
/// message names no value from the body.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// Not one JSON object, a duplicated member, nesting too deep, or trailing data.
    #[error("Unable to parse the request body as JSON")]
    Syntax,
    /// A member has the wrong type (or a required one is missing).
    #[error("A member has the wrong type, or the body is not a JSON object")]
    Shape,
}

/// Decodes `body` as `T` (see the module docs).
///
/// ```
/// use userpool::wire::{DecodeError, InitiateAuthRequest, decode};
/// let ok: InitiateAuthRequest = decode(br#"{"ClientId":"c","AuthFlow":"USER_SRP_AUTH","ClientMetadata":null}"#).unwrap();
/// assert_eq!(ok.client_id, "c");
/// let twice = decode::<InitiateAuthRequest>(br#"{"ClientId":"a","ClientId":"b"}"#);
/// assert_eq!(twice.unwrap_err(), DecodeError::Syntax);
/// ```
pub fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeError> {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    };
    let map = jwt_tokens::strict_json::parse_object(body).ok_or(DecodeError::Syntax)?;
    let mut value = Value::Object(map);
    strip_nulls(&mut value);
    serde_json::from_value(value).map_err(|_| DecodeError::Shape)
}

/// Removes `null` members from every object, recursively.
fn strip_nulls(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{ChangePasswordRequest, RespondToAuthChallengeRequest, UserPoolRequest};

    #[test]
    fn duplicates_at_any_depth_are_refused() {
        for body in [
            r#"{"AccessToken":"t","PreviousPassword":"a","ProposedPassword":"b","ProposedPassword":"c"}"#,
            r#"{"ChallengeName":"X","ClientId":"c","ChallengeResponses":{"USERNAME":"a","USERNAME":"b"}}"#,
            r#"{"PoolName":"p","Schema":[{"Name":"a","Name":"b"}]}"#,
            r#"{"ClientId":"c","\u0043lientId":"d"}"#,
        ] {
            let a = decode::<ChangePasswordRequest>(body.as_bytes()).err();
            let b = decode::<RespondToAuthChallengeRequest>(body.as_bytes()).err();
            let c = decode::<UserPoolRequest>(body.as_bytes()).err();
            assert!(
                [a, b, c].iter().all(|e| *e == Some(DecodeError::Syntax)),
                "{body}"
            );
        }
    }

    #[test]
    fn nulls_are_absent_empty_is_an_object_types_are_checked() {
        let r: ChangePasswordRequest =
            decode(br#"{"AccessToken":"t","PreviousPassword":null,"ProposedPassword":"b"}"#)
                .expect("nulls are absent");
        assert_eq!(r.proposed_password.expose_secret(), "b");
        assert!(
            decode::<UserPoolRequest>(b" \n").is_ok(),
            "an empty body is {{}}"
        );
        assert_eq!(
            decode::<ChangePasswordRequest>(br#"{"AccessToken":5}"#).unwrap_err(),
            DecodeError::Shape
        );
        assert_eq!(
            decode::<ChangePasswordRequest>(b"[1]").unwrap_err(),
            DecodeError::Syntax
        );
    }
}
