//! The crate's one error type.

/// Why a SAML message, metadata document or configuration was refused.
///
/// Every attack the response validator defends against has its own variant, so callers (and
/// tests) can tell a signature-wrapping attempt from an expired assertion.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Invalid configuration (metadata, signing key); the message is for the operator.
    #[error("{0}")]
    InvalidParameter(String),
    /// The message is larger than [`crate::MAX_RESPONSE_LEN`] characters.
    #[error("the SAML message is too large")]
    TooLarge,
    /// Not base64, not deflate, or not UTF-8.
    #[error("the SAML message is not encoded as its binding requires")]
    Encoding,
    /// The document has a DTD (`<!DOCTYPE`): refused, so no entity is ever declared or
    /// expanded (XXE, billion laughs).
    #[error("a DTD is not allowed")]
    Dtd,
    /// Not well-formed XML.
    #[error("malformed XML: {0}")]
    Xml(String),
    /// Well-formed, but not the SAML structure expected (what is missing or misplaced).
    #[error("unexpected SAML structure: {0}")]
    Structure(&'static str),
    /// The IdP answered with a status other than `Success` (its status code).
    #[error("the identity provider answered {0}")]
    Status(String),
    /// The response carries an `EncryptedAssertion`, and no decryption key was given.
    #[error("an encrypted assertion, and no decryption key")]
    EncryptedAssertion,
    /// `EncryptedResponses` is on, and the assertion is not encrypted.
    #[error("the assertion is not encrypted")]
    Unencrypted,
    /// An encryption algorithm outside the allow-lists (the algorithm).
    #[error("encryption algorithm {0} is not allowed")]
    EncryptionAlgorithm(String),
    /// The encrypted assertion did not decrypt with the pool's key (or is corrupt).
    #[error("decryption: {0}")]
    Decryption(String),
    /// Two elements share one `ID` (a signature-wrapping precondition).
    #[error("duplicate ID {0}")]
    DuplicateId(String),
    /// More than one assertion, a signature in an unexpected place, or a signature that does
    /// not cover exactly the element that holds it (XML signature wrapping).
    #[error("signature wrapping: {0}")]
    Wrapping(&'static str),
    /// Neither the response nor the assertion carries a signature.
    #[error("the response and its assertion are unsigned")]
    Unsigned,
    /// A reference transform other than enveloped-signature and canonicalization (which
    /// could sign only part of an element).
    #[error("transform {0} is not allowed")]
    Transform(String),
    /// A signature did not verify with the IdP's certificates.
    #[error("invalid signature: {0}")]
    BadSignature(String),
    /// The response or assertion `Issuer` is not the IdP's entity id.
    #[error("wrong issuer")]
    WrongIssuer,
    /// The response's `Destination` is not our assertion consumer service.
    #[error("wrong destination")]
    WrongDestination,
    /// No `AudienceRestriction`, or one that does not name our SP entity id.
    #[error("wrong audience")]
    WrongAudience,
    /// The bearer confirmation's `Recipient` is not our assertion consumer service.
    #[error("wrong recipient")]
    WrongRecipient,
    /// `InResponseTo` is not the id of the request we sent (or an unsolicited response
    /// carries one).
    #[error("InResponseTo does not match the request")]
    InResponseTo,
    /// `NotOnOrAfter` has passed (beyond the allowed skew).
    #[error("expired")]
    Expired,
    /// `NotBefore` lies in the future (beyond the allowed skew).
    #[error("not yet valid")]
    NotYetValid,
    /// The subject has no bearer `SubjectConfirmation` with its data.
    #[error("no bearer subject confirmation")]
    NoBearerConfirmation,
    /// A comment inside `NameID` or an attribute value (the comment-truncation attack).
    #[error("a comment inside a value")]
    CommentInValue,
    /// A timestamp that is not an `xs:dateTime` in UTC.
    #[error("malformed timestamp in {0}")]
    Timestamp(&'static str),
    /// Signing the request failed (the key cannot sign).
    #[error("signing: {0}")]
    Signing(String),
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
