//! The crate's one error type.

/// Everything that can go wrong when parsing, verifying, minting or loading keys.
///
/// Messages never contain a token, a key or a claim value. The facade maps every verification
/// error to Cognito's `NotAuthorizedException` (`Invalid Access Token`, `Access Token has
/// expired`, …) and the OAuth endpoints to `401 invalid_token`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The token is longer than [`MAX_TOKEN_LEN`](crate::MAX_TOKEN_LEN); checked before decoding.
    #[error("token is longer than {max} bytes")]
    TokenTooLong {
        /// The limit.
        max: usize,
    },
    /// Not exactly three `.`-separated segments (JWE, JSON serialization, garbage…).
    #[error("token is not a compact JWS of three segments")]
    Malformed,
    /// A segment is not canonical base64url without padding (padding, whitespace, `+`/`/`,
    /// non-zero trailing bits…).
    #[error("{0} is not canonical base64url")]
    Base64(Segment),
    /// The header or payload is not a JSON object: invalid UTF-8 or JSON, a BOM, a duplicate
    /// member, nesting deeper than the limit, or not an object.
    #[error("{0} is not a valid JSON object")]
    Json(Segment),
    /// The header has no `alg`, or it is not a string.
    #[error("the header has no string alg")]
    MissingAlgorithm,
    /// `alg` is `none` in any spelling, or empty: unsigned tokens are never accepted.
    #[error("unsigned tokens (alg none) are not accepted")]
    UnsignedToken,
    /// `alg` names an algorithm this crate does not verify (HS*, PS*, RS384, ES512, …).
    #[error("algorithm is not supported")]
    UnsupportedAlgorithm,
    /// The header has no `kid`, or it is not a string.
    #[error("the header has no string kid")]
    MissingKeyId,
    /// No key with this `kid` in the key set.
    #[error("no key with this kid")]
    UnknownKeyId,
    /// `alg` is not the algorithm bound to the key found by `kid`.
    #[error("alg does not match the key's algorithm")]
    AlgorithmMismatch,
    /// The header carries a member that would make us fetch or trust a key (`jku`, `x5u`,
    /// `jwk`, `x5c`, `x5t`, `x5t#S256`), asks for a critical extension (`crit`), or an
    /// unencoded payload (`b64`).
    #[error("the header member {0} is not accepted")]
    ForbiddenHeader(&'static str),
    /// A header member has the wrong JSON type (`typ`, `cty` not a string…).
    #[error("the header member {0} has the wrong type")]
    InvalidHeader(&'static str),
    /// The signature has the wrong length for the key, or does not verify.
    #[error("the signature does not verify")]
    InvalidSignature,
    /// A claim is missing.
    #[error("the claim {0} is missing")]
    MissingClaim(&'static str),
    /// A claim has the wrong JSON type (a string, float or huge number as `exp`, an array as
    /// `aud`…). Never treated as absent.
    #[error("the claim {0} has the wrong type")]
    InvalidClaimType(&'static str),
    /// `exp` (plus leeway) is in the past.
    #[error("the token has expired")]
    Expired,
    /// `exp` is further in the future than the policy's maximum lifetime (a day by default).
    #[error("the token's expiry is too far in the future")]
    ExpiryTooFar,
    /// `nbf` (minus leeway) is in the future.
    #[error("the token is not valid yet")]
    NotYetValid,
    /// `iat` (minus leeway) is in the future.
    #[error("the token was issued in the future")]
    IssuedInFuture,
    /// `iss` is not the expected issuer.
    #[error("the token was issued by another issuer")]
    WrongIssuer,
    /// `token_use` is not the expected purpose (an ID token where an access token is required,
    /// or the reverse).
    #[error("the token has the wrong token_use")]
    WrongTokenUse,
    /// `aud` (ID token) or `client_id` (access token) is not an accepted client.
    #[error("the token was issued to another client")]
    WrongAudience,
    /// The access token lacks a required scope.
    #[error("the token lacks a required scope")]
    MissingScope,
    /// A key could not be loaded: bad PEM/DER/JWK, wrong type, too small, bad exponent, a point
    /// not on the curve.
    #[error("invalid key: {0}")]
    InvalidKey(&'static str),
    /// A JWKS is not acceptable: not an object with `keys`, a duplicate `kid`, a private or
    /// symmetric key, a key without `kid`, a key for encryption…
    #[error("invalid JWKS: {0}")]
    InvalidJwks(&'static str),
    /// A key set operation named a `kid` that is not in the set, or an active key was retired.
    #[error("key set: {0}")]
    KeySet(&'static str),
    /// Claims could not be serialized, or an override touched a claim Cognito protects.
    #[error("claims: {0}")]
    Claims(&'static str),
    /// The signing backend failed (should not happen with a valid key).
    #[error("signing failed")]
    SigningFailed,
}

/// Which part of a token an error is about.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment {
    /// The protected header.
    Header,
    /// The payload (claims).
    Payload,
    /// The signature.
    Signature,
    /// A JWK or JWKS document.
    Jwk,
}

impl core::fmt::Display for Segment {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Header => "header",
            Self::Payload => "payload",
            Self::Signature => "signature",
            Self::Jwk => "JWK",
        })
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
