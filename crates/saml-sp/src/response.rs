//! Validating the IdP's `Response` (HTTP-POST binding) and reading its one assertion.
//!
//! The order is the defence: size, encoding, a DTD-free parse, unique `ID`s, exactly one
//! assertion as a direct child of the response and no signature anywhere but directly in
//! the response or the assertion, each signature covering exactly the element that holds it
//! (one `Reference` to that element's `ID`, enveloped-signature and canonicalization
//! transforms only), then the signatures themselves with the IdP's certificates alone
//! (`bergshamra`: inline keys ignored, reference positions checked), and only then the
//! content: issuer, destination, status, `InResponseTo`, the time window, the audience and
//! the bearer confirmation. Values are read from the element the signature covered, never
//! looked up again by `ID`.

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bergshamra::{DsigContext, KeysManager, VerifyResult};
use uppsala::{Document, NodeId};

use crate::decrypt;
use crate::error::{Error, Result};
use crate::metadata::IdpMetadata;
use crate::request::SpKey;
use crate::xml::{self, ASSERTION_NS, DSIG_NS, PROTOCOL_NS, attr, instant, value};

/// The largest `SAMLResponse` accepted, in characters (Cognito's limit).
pub const MAX_RESPONSE_LEN: usize = 100_000;

/// The clock skew allowed on `NotBefore` and `NotOnOrAfter`, in seconds.
pub const DEFAULT_SKEW_SECONDS: i64 = 60;

const SUCCESS: &str = "urn:oasis:names:tc:SAML:2.0:status:Success";
const BEARER: &str = "urn:oasis:names:tc:SAML:2.0:cm:bearer";

/// Transforms a signed reference may use: enveloped-signature and the canonicalizations.
/// Anything else (XPath, XSLT, base64) could sign less than the whole element.
const ALLOWED_TRANSFORMS: [&str; 5] = [
    "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
    "http://www.w3.org/2001/10/xml-exc-c14n#",
    "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
    "http://www.w3.org/2006/12/xml-c14n11",
];

/// What a response must match.
#[derive(Debug, Clone, Copy)]
pub struct Expected<'a> {
    /// The IdP (its entity id is the issuer; its certificates verify).
    pub idp: &'a IdpMetadata,
    /// Our SP entity id (`urn:amazon:cognito:sp:<poolId>`): the audience.
    pub sp_entity_id: &'a str,
    /// Our assertion consumer service: the destination and the recipient.
    pub acs_url: &'a str,
    /// The id of the request we sent; `None` for an IdP-initiated (unsolicited) response,
    /// which must then carry no `InResponseTo`.
    pub in_response_to: Option<&'a str>,
    /// Unix seconds now.
    pub now: i64,
    /// Allowed skew, seconds ([`DEFAULT_SKEW_SECONDS`]).
    pub skew: i64,
    /// The pool's encryption key, to decrypt an `EncryptedAssertion` with; without it an
    /// encrypted assertion is [`Error::EncryptedAssertion`].
    pub decryption: Option<&'a SpKey>,
    /// `EncryptedResponses`: a plain assertion is [`Error::Unencrypted`].
    pub require_encryption: bool,
}

/// The validated assertion.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Assertion {
    /// The assertion `ID` (remember it until [`Assertion::expires_at`] to refuse replays).
    pub id: String,
    /// The IdP's entity id.
    pub issuer: String,
    /// `Subject/NameID`, whole.
    pub name_id: String,
    /// `NameID/@Format`, if given.
    pub name_id_format: Option<String>,
    /// `AuthnStatement/@SessionIndex`, if given.
    pub session_index: Option<String>,
    /// The attribute statement: each attribute's `Name` and its values in order.
    pub attributes: BTreeMap<String, Vec<String>>,
    /// Unix seconds after which the assertion is refused anyway (the earliest
    /// `NotOnOrAfter`, plus the skew): how long a replay marker must live.
    pub expires_at: i64,
}

/// Validates a base64 `SAMLResponse` form value against `expected`.
///
/// # Errors
/// The variant names the check that failed; see [`Error`].
pub fn validate_response(saml_response: &str, expected: &Expected<'_>) -> Result<Assertion> {
    if saml_response.len() > MAX_RESPONSE_LEN {
        return Err(Error::TooLarge);
    }
    let compact: String = saml_response
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let bytes = STANDARD.decode(compact).map_err(|_| Error::Encoding)?;
    let text = String::from_utf8(bytes).map_err(|_| Error::Encoding)?;
    validate_response_xml(&text, expected)
}

/// [`validate_response`] on the decoded XML.
///
/// # Errors
/// As [`validate_response`].
pub fn validate_response_xml(text: &str, expected: &Expected<'_>) -> Result<Assertion> {
    if text.len() > MAX_RESPONSE_LEN {
        return Err(Error::TooLarge);
    }
    let doc = xml::parse(text)?;
    let response = the_response(&doc)?;
    unique_ids(&doc)?;
    if xml::all(&doc, ASSERTION_NS, "EncryptedAssertion").is_empty() {
        let assertion = the_assertion(&doc, response)?;
        if expected.require_encryption {
            return Err(Error::Unencrypted);
        }
        let signed = check_signatures(&doc, text, response, Some(assertion), expected, false)?;
        if !signed {
            return Err(Error::Unsigned);
        }
        check_response(&doc, response, expected)?;
        return read_assertion(&doc, assertion, expected);
    }
    // Encrypted: the response's own signature (over the ciphertext) is verified before
    // anything is decrypted; the assertion's, after.
    let key = expected.decryption.ok_or(Error::EncryptedAssertion)?;
    decrypt::check_encrypted(&doc, response)?;
    let response_signed = check_signatures(&doc, text, response, None, expected, false)?;
    check_response(&doc, response, expected)?;
    let plain = decrypt::decrypt(text, key)?;
    let doc = xml::parse(&plain)?;
    let response = the_response(&doc)?;
    unique_ids(&doc)?;
    let assertion = decrypt::the_decrypted_assertion(&doc, response)?;
    let assertion_signed =
        check_signatures(&doc, &plain, response, Some(assertion), expected, true)?;
    if !(response_signed || assertion_signed) {
        return Err(Error::Unsigned);
    }
    read_assertion(&doc, assertion, expected)
}

/// The document element: a `samlp:Response` of version 2.0.
fn the_response(doc: &Document<'_>) -> Result<NodeId> {
    let response = doc
        .document_element()
        .filter(|r| xml::is(doc, *r, PROTOCOL_NS, "Response"))
        .ok_or(Error::Structure("the document is not a samlp:Response"))?;
    if attr(doc, response, "Version") != Some("2.0") {
        return Err(Error::Structure("Version is not 2.0"));
    }
    Ok(response)
}

/// No two elements share an `ID`/`Id`/`id`/`AssertionID`.
fn unique_ids(doc: &Document<'_>) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    for node in doc.descendants(doc.root()) {
        let Some(element) = doc.element(node) else {
            continue;
        };
        for a in &element.attributes {
            if matches!(&*a.name.local_name, "ID" | "Id" | "id" | "AssertionID")
                && !seen.insert(a.value.to_string())
            {
                return Err(Error::DuplicateId(a.value.to_string()));
            }
        }
    }
    Ok(())
}

/// The one assertion: a direct child of the response and the only one in the document.
fn the_assertion(doc: &Document<'_>, response: NodeId) -> Result<NodeId> {
    let everywhere = xml::all(doc, ASSERTION_NS, "Assertion");
    let direct = xml::children(doc, response, ASSERTION_NS, "Assertion");
    match (everywhere.as_slice(), direct.as_slice()) {
        ([], _) => {
            // No assertion: a failed status says why; otherwise it is malformed.
            status_ok(doc, response)?;
            Err(Error::Structure("no assertion"))
        }
        ([one], [direct]) if one == direct => Ok(*one),
        ([_], _) => Err(Error::Wrapping(
            "the assertion is not a child of the response",
        )),
        _ => Err(Error::Wrapping("more than one assertion")),
    }
}

/// Checks every signature's place and shape, then verifies them all; whether the assertion
/// is covered (by its own signature or the response's). Without an `assertion` (still
/// encrypted) only the response may hold a signature. With `response_verified` (the
/// decrypted document, whose response signature was verified over the ciphertext and cannot
/// verify now) the response's signature is not checked again, and covers nothing here.
fn check_signatures(
    doc: &Document<'_>,
    text: &str,
    response: NodeId,
    assertion: Option<NodeId>,
    expected: &Expected<'_>,
    response_verified: bool,
) -> Result<bool> {
    let idp = expected.idp;
    let signatures = xml::all(doc, DSIG_NS, "Signature");
    if signatures.is_empty() {
        return Ok(false);
    }
    let mut covered = Vec::new();
    for signature in &signatures {
        let parent = doc
            .parent(*signature)
            .filter(|p| *p == response || Some(*p) == assertion)
            .ok_or(Error::Wrapping("a signature in an unexpected place"))?;
        check_reference(doc, *signature, parent)?;
        covered.push((*signature, parent));
    }
    let mut keys = KeysManager::new();
    for der in &idp.signing_certificates {
        let key = bergshamra::keys::loader::load_x509_cert_der(der)
            .map_err(|e| Error::InvalidParameter(format!("IdP certificate: {e}")))?;
        keys.add_key(key);
    }
    let mut ctx = DsigContext::new(keys);
    ctx.trusted_keys_only = true;
    ctx.strict_verification = true;
    ctx.skip_time_checks = true;
    let results = bergshamra::dsig::verify::verify_all_document_with_source(&ctx, doc, Some(text))
        .map_err(|e| Error::BadSignature(e.to_string()))?;
    if results.len() != covered.len() {
        return Err(Error::Wrapping("signatures were counted twice"));
    }
    let mut verified = false;
    for (result, (signature, parent)) in results.iter().zip(&covered) {
        if response_verified && *parent == response {
            continue;
        }
        verified = true;
        match result {
            VerifyResult::Valid {
                signature_node,
                references,
                ..
            } => {
                let exact = *signature_node == *signature
                    && matches!(references.as_slice(), [r] if r.resolved_node == Some(*parent) && r.digest_verified);
                if !exact {
                    return Err(Error::Wrapping("the signature covers another element"));
                }
            }
            VerifyResult::Invalid { reason } => return Err(Error::BadSignature(reason.clone())),
        }
    }
    Ok(verified)
}

/// One `Reference`, to `#<the parent's ID>`, with allowed transforms only.
fn check_reference(doc: &Document<'_>, signature: NodeId, parent: NodeId) -> Result<()> {
    let signed_info = xml::child(doc, signature, DSIG_NS, "SignedInfo", "two SignedInfo")?
        .ok_or(Error::Structure("a signature without SignedInfo"))?;
    let references = xml::children(doc, signed_info, DSIG_NS, "Reference");
    let [reference] = references.as_slice() else {
        return Err(Error::Wrapping(
            "a signature must have exactly one reference",
        ));
    };
    let id = attr(doc, parent, "ID").ok_or(Error::Structure("a signed element without ID"))?;
    let uri = attr(doc, *reference, "URI").unwrap_or_default();
    if uri.strip_prefix('#') != Some(id) {
        return Err(Error::Wrapping("the signature covers another element"));
    }
    if let Some(transforms) = xml::child(doc, *reference, DSIG_NS, "Transforms", "two Transforms")?
    {
        for t in xml::children(doc, transforms, DSIG_NS, "Transform") {
            let algorithm = attr(doc, t, "Algorithm").unwrap_or_default();
            if !ALLOWED_TRANSFORMS.contains(&algorithm) {
                return Err(Error::Transform(algorithm.to_owned()));
            }
        }
    }
    Ok(())
}

/// The response's status is `Success`.
fn status_ok(doc: &Document<'_>, response: NodeId) -> Result<()> {
    let code = xml::child(doc, response, PROTOCOL_NS, "Status", "two Status")?
        .and_then(|s| doc.first_child_element_by_name_ns(s, PROTOCOL_NS, "StatusCode"))
        .and_then(|c| attr(doc, c, "Value"))
        .ok_or(Error::Structure("no StatusCode"))?;
    if code == SUCCESS {
        Ok(())
    } else {
        Err(Error::Status(code.to_owned()))
    }
}

/// The response envelope: issuer (if given), destination (if given), status,
/// `InResponseTo`.
fn check_response(doc: &Document<'_>, response: NodeId, expected: &Expected<'_>) -> Result<()> {
    if let Some(issuer) = xml::child(doc, response, ASSERTION_NS, "Issuer", "two Issuer")?
        && value(doc, issuer)? != expected.idp.entity_id
    {
        return Err(Error::WrongIssuer);
    }
    if let Some(destination) = attr(doc, response, "Destination")
        && destination != expected.acs_url
    {
        return Err(Error::WrongDestination);
    }
    status_ok(doc, response)?;
    in_response_to(attr(doc, response, "InResponseTo"), expected)
}

fn in_response_to(found: Option<&str>, expected: &Expected<'_>) -> Result<()> {
    match (found, expected.in_response_to) {
        (None, _) => Ok(()),
        (Some(f), Some(e)) if f == e => Ok(()),
        _ => Err(Error::InResponseTo),
    }
}

/// The time window `[not_before, not_on_or_after)` with skew; the expiry.
fn window(
    doc: &Document<'_>,
    node: NodeId,
    now: i64,
    skew: i64,
    what: &'static str,
) -> Result<Option<i64>> {
    if let Some(nb) = attr(doc, node, "NotBefore")
        && instant(nb, what)? > now + skew
    {
        return Err(Error::NotYetValid);
    }
    match attr(doc, node, "NotOnOrAfter") {
        Some(na) => {
            let na = instant(na, what)?;
            if now - skew >= na {
                return Err(Error::Expired);
            }
            Ok(Some(na + skew))
        }
        None => Ok(None),
    }
}

fn read_assertion(
    doc: &Document<'_>,
    assertion: NodeId,
    expected: &Expected<'_>,
) -> Result<Assertion> {
    let id = attr(doc, assertion, "ID")
        .ok_or(Error::Structure("an assertion without ID"))?
        .to_owned();
    if attr(doc, assertion, "Version") != Some("2.0") {
        return Err(Error::Structure("Version is not 2.0"));
    }
    let issuer = xml::child(doc, assertion, ASSERTION_NS, "Issuer", "two Issuer")?
        .ok_or(Error::Structure("an assertion without Issuer"))?;
    let issuer = value(doc, issuer)?;
    if issuer != expected.idp.entity_id {
        return Err(Error::WrongIssuer);
    }
    let now = expected.now;
    let skew = expected.skew;
    let mut expires_at = now + crate::MAX_ASSERTION_LIFETIME_SECONDS;

    // Conditions: the window, and every AudienceRestriction must name us.
    let conditions = xml::child(doc, assertion, ASSERTION_NS, "Conditions", "two Conditions")?
        .ok_or(Error::WrongAudience)?;
    if let Some(end) = window(doc, conditions, now, skew, "Conditions")? {
        expires_at = expires_at.min(end);
    }
    let restrictions = xml::children(doc, conditions, ASSERTION_NS, "AudienceRestriction");
    if restrictions.is_empty() {
        return Err(Error::WrongAudience);
    }
    for r in restrictions {
        let mut ours = false;
        for a in xml::children(doc, r, ASSERTION_NS, "Audience") {
            ours |= value(doc, a)? == expected.sp_entity_id;
        }
        if !ours {
            return Err(Error::WrongAudience);
        }
    }

    // Subject: the NameID and a bearer confirmation for our ACS.
    let subject = xml::child(doc, assertion, ASSERTION_NS, "Subject", "two Subject")?
        .ok_or(Error::Structure("an assertion without Subject"))?;
    let name = xml::child(doc, subject, ASSERTION_NS, "NameID", "two NameID")?
        .ok_or(Error::Structure("a subject without NameID"))?;
    let name_id = value(doc, name)?;
    if name_id.is_empty() {
        return Err(Error::Structure("an empty NameID"));
    }
    let bearer = xml::children(doc, subject, ASSERTION_NS, "SubjectConfirmation")
        .into_iter()
        .find(|c| attr(doc, *c, "Method") == Some(BEARER))
        .and_then(|c| {
            doc.first_child_element_by_name_ns(c, ASSERTION_NS, "SubjectConfirmationData")
        })
        .ok_or(Error::NoBearerConfirmation)?;
    if attr(doc, bearer, "Recipient") != Some(expected.acs_url) {
        return Err(Error::WrongRecipient);
    }
    in_response_to(attr(doc, bearer, "InResponseTo"), expected)?;
    match window(doc, bearer, now, skew, "SubjectConfirmationData")? {
        Some(end) => expires_at = expires_at.min(end),
        None => {
            return Err(Error::Structure(
                "a bearer confirmation without NotOnOrAfter",
            ));
        }
    }

    let session_index = xml::children(doc, assertion, ASSERTION_NS, "AuthnStatement")
        .first()
        .and_then(|s| attr(doc, *s, "SessionIndex"))
        .map(str::to_owned);
    let mut attributes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for statement in xml::children(doc, assertion, ASSERTION_NS, "AttributeStatement") {
        for a in xml::children(doc, statement, ASSERTION_NS, "Attribute") {
            let Some(name) = attr(doc, a, "Name") else {
                continue;
            };
            let values = attributes.entry(name.to_owned()).or_default();
            for v in xml::children(doc, a, ASSERTION_NS, "AttributeValue") {
                values.push(value(doc, v)?);
            }
        }
    }
    Ok(Assertion {
        id,
        issuer,
        name_id,
        name_id_format: attr(doc, name, "Format").map(str::to_owned),
        session_index,
        attributes,
        expires_at,
    })
}
