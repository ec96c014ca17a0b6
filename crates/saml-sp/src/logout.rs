//! Single logout (`IDPSignout`) by the HTTP-Redirect binding: the pool's signed
//! `LogoutRequest` to the IdP and the IdP's `LogoutResponse` back; an IdP-initiated
//! `LogoutRequest` and the pool's signed `LogoutResponse` to it.
//!
//! Incoming messages are accepted only signed by the binding's query-string signature
//! ([`verify_redirect`]: `SigAlg` RSA-SHA256 or RSA-SHA512, verified by `bergshamra` with the
//! IdP's metadata certificates alone, over the parameters exactly as they were received), and
//! then only for us: issuer the IdP, `Destination` our logout service, `InResponseTo` the
//! request we sent.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::error::{Error, Result};
use crate::metadata::IdpMetadata;
use crate::request::{SpKey, decode_redirect, redirect};
use crate::xml::{self, ASSERTION_NS, PROTOCOL_NS, attr, escape, format_instant, instant, value};

/// `SigAlg` values accepted on the IdP's redirects (SHA-1 is not).
pub const REDIRECT_SIGNATURE_ALGORITHMS: [&str; 2] = [
    crate::request::RSA_SHA256,
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
];

const SUCCESS: &str = "urn:oasis:names:tc:SAML:2.0:status:Success";

/// The pool's `LogoutRequest` for a user who signed in through the IdP.
#[derive(Debug, Clone, Copy)]
pub struct LogoutRequest<'a> {
    /// `ID` (from [`crate::request_id`]); the IdP's `LogoutResponse` must answer it.
    pub id: &'a str,
    /// `IssueInstant`, Unix seconds.
    pub issue_instant: i64,
    /// Our SP entity id (`Issuer`).
    pub sp_entity_id: &'a str,
    /// The IdP's single logout service (`Destination`).
    pub destination: &'a str,
    /// The `NameID` the IdP asserted at sign-in.
    pub name_id: &'a str,
    /// Its `Format`, if the assertion named one.
    pub name_id_format: Option<&'a str>,
    /// The assertion's `SessionIndex`, if it had one.
    pub session_index: Option<&'a str>,
}

impl LogoutRequest<'_> {
    /// The request as XML.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `issue_instant` is out of range.
    pub fn to_xml(&self) -> Result<String> {
        let format = self
            .name_id_format
            .map(|f| format!(r#" Format="{}""#, escape(f)))
            .unwrap_or_default();
        let session = self
            .session_index
            .map(|s| format!("<samlp:SessionIndex>{}</samlp:SessionIndex>", escape(s)))
            .unwrap_or_default();
        Ok(format!(
            concat!(
                r#"<samlp:LogoutRequest xmlns:samlp="{p}" xmlns:saml="{a}" ID="{id}" Version="2.0" IssueInstant="{at}" Destination="{dest}">"#,
                "<saml:Issuer>{issuer}</saml:Issuer>",
                "<saml:NameID{format}>{name}</saml:NameID>{session}",
                "</samlp:LogoutRequest>"
            ),
            p = PROTOCOL_NS,
            a = ASSERTION_NS,
            id = escape(self.id),
            at = format_instant(self.issue_instant)?,
            dest = escape(self.destination),
            issuer = escape(self.sp_entity_id),
            format = format,
            name = escape(self.name_id),
            session = session,
        ))
    }

    /// The URL that sends the browser to the IdP with this request, signed with `key`
    /// (HTTP-Redirect binding, RSA-SHA256).
    ///
    /// # Errors
    /// [`Error::Signing`] when `key` cannot sign; [`Error::InvalidParameter`] for an
    /// out-of-range instant.
    pub fn redirect_url(&self, relay_state: Option<&str>, key: &SpKey) -> Result<String> {
        redirect(
            self.destination,
            "SAMLRequest",
            &self.to_xml()?,
            relay_state,
            Some(key),
        )
    }
}

/// The pool's `LogoutResponse` to an IdP-initiated `LogoutRequest`.
#[derive(Debug, Clone, Copy)]
pub struct LogoutResponse<'a> {
    /// `ID` (from [`crate::request_id`]).
    pub id: &'a str,
    /// `IssueInstant`, Unix seconds.
    pub issue_instant: i64,
    /// Our SP entity id (`Issuer`).
    pub sp_entity_id: &'a str,
    /// The IdP's single logout service (`Destination`).
    pub destination: &'a str,
    /// The `ID` of the IdP's request.
    pub in_response_to: &'a str,
}

impl LogoutResponse<'_> {
    /// The response (status `Success`) as XML.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `issue_instant` is out of range.
    pub fn to_xml(&self) -> Result<String> {
        Ok(format!(
            concat!(
                r#"<samlp:LogoutResponse xmlns:samlp="{p}" xmlns:saml="{a}" ID="{id}" Version="2.0" IssueInstant="{at}" Destination="{dest}" InResponseTo="{irt}">"#,
                "<saml:Issuer>{issuer}</saml:Issuer>",
                r#"<samlp:Status><samlp:StatusCode Value="{ok}"/></samlp:Status>"#,
                "</samlp:LogoutResponse>"
            ),
            p = PROTOCOL_NS,
            a = ASSERTION_NS,
            id = escape(self.id),
            at = format_instant(self.issue_instant)?,
            dest = escape(self.destination),
            irt = escape(self.in_response_to),
            issuer = escape(self.sp_entity_id),
            ok = SUCCESS,
        ))
    }

    /// The URL that sends the browser back to the IdP with this response, signed with `key`.
    ///
    /// # Errors
    /// As [`LogoutRequest::redirect_url`].
    pub fn redirect_url(&self, relay_state: Option<&str>, key: &SpKey) -> Result<String> {
        redirect(
            self.destination,
            "SAMLResponse",
            &self.to_xml()?,
            relay_state,
            Some(key),
        )
    }
}

/// Which message a redirect carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MessageKind {
    /// `SAMLRequest`.
    Request,
    /// `SAMLResponse`.
    Response,
}

/// A redirect whose signature verified: the message (inflated XML, not yet validated) and
/// its `RelayState`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Redirected {
    /// `SAMLRequest` or `SAMLResponse`.
    pub kind: MessageKind,
    /// The message.
    pub xml: String,
    /// `RelayState`, decoded.
    pub relay_state: Option<String>,
}

/// The parameters of a redirect's query, raw (as received) and decoded.
#[derive(Default)]
struct RawQuery<'q> {
    message: Option<(MessageKind, &'q str)>,
    relay_state: Option<&'q str>,
    sig_alg: Option<&'q str>,
    signature: Option<&'q str>,
}

fn decoded(raw: &str) -> String {
    form_urlencoded::parse(format!("v={raw}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

fn split_query(query: &str) -> Result<RawQuery<'_>> {
    let mut q = RawQuery::default();
    for pair in query.split('&') {
        let (name, raw) = pair.split_once('=').unwrap_or((pair, ""));
        let slot = match name {
            "SAMLRequest" | "SAMLResponse" => {
                if q.message.is_some() {
                    return Err(Error::Structure("two SAML messages"));
                }
                let kind = if name == "SAMLRequest" {
                    MessageKind::Request
                } else {
                    MessageKind::Response
                };
                q.message = Some((kind, raw));
                continue;
            }
            "RelayState" => &mut q.relay_state,
            "SigAlg" => &mut q.sig_alg,
            "Signature" => &mut q.signature,
            _ => continue,
        };
        if slot.replace(raw).is_some() {
            return Err(Error::Structure("a repeated redirect parameter"));
        }
    }
    Ok(q)
}

/// Verifies a redirect from the IdP (the raw query string of `GET /saml2/logout`): the
/// binding's signature over `SAMLRequest`/`SAMLResponse`, `RelayState` and `SigAlg` exactly
/// as received, with the IdP's certificates; then inflates the message.
///
/// # Errors
/// [`Error::Structure`] without a message or with a repeated parameter; [`Error::Unsigned`]
/// without `SigAlg` and `Signature`; [`Error::BadSignature`] for another algorithm or a
/// signature that does not verify; [`Error::TooLarge`] or [`Error::Encoding`] for the
/// message.
pub fn verify_redirect(query: &str, idp: &IdpMetadata) -> Result<Redirected> {
    if query.len() > crate::MAX_RESPONSE_LEN * 2 {
        return Err(Error::TooLarge);
    }
    let q = split_query(query)?;
    let (kind, raw_message) = q.message.ok_or(Error::Structure("no SAML message"))?;
    let (Some(raw_alg), Some(raw_signature)) = (q.sig_alg, q.signature) else {
        return Err(Error::Unsigned);
    };
    let alg = decoded(raw_alg);
    if !REDIRECT_SIGNATURE_ALGORITHMS.contains(&alg.as_str()) {
        return Err(Error::BadSignature(format!(
            "algorithm {alg} is not allowed"
        )));
    }
    let compact: String = decoded(raw_signature)
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let signature = STANDARD.decode(compact).map_err(|_| Error::Encoding)?;
    let parameter = match kind {
        MessageKind::Request => "SAMLRequest",
        MessageKind::Response => "SAMLResponse",
    };
    let mut signed = format!("{parameter}={raw_message}");
    if let Some(relay) = q.relay_state {
        signed.push_str("&RelayState=");
        signed.push_str(relay);
    }
    signed.push_str("&SigAlg=");
    signed.push_str(raw_alg);
    let algorithm =
        bergshamra::crypto::sign::from_uri(&alg).map_err(|e| Error::BadSignature(e.to_string()))?;
    let mut verified = false;
    for der in &idp.signing_certificates {
        let key = bergshamra::keys::loader::load_x509_cert_der(der)
            .ok()
            .and_then(|c| c.to_signing_key().ok().flatten())
            .ok_or_else(|| Error::InvalidParameter("IdP certificate".into()))?;
        if algorithm
            .verify(&key, signed.as_bytes(), &signature)
            .unwrap_or(false)
        {
            verified = true;
            break;
        }
    }
    if !verified {
        return Err(Error::BadSignature(
            "the redirect signature does not verify".into(),
        ));
    }
    Ok(Redirected {
        kind,
        xml: decode_redirect(&decoded(raw_message))?,
        relay_state: q.relay_state.map(decoded),
    })
}

/// What a logout message from the IdP must match.
#[derive(Debug, Clone, Copy)]
pub struct LogoutExpected<'a> {
    /// The IdP (its entity id is the issuer).
    pub idp: &'a IdpMetadata,
    /// Our single logout service (`…/saml2/logout`): the `Destination`.
    pub logout_url: &'a str,
    /// Unix seconds now.
    pub now: i64,
    /// Allowed skew, seconds ([`crate::DEFAULT_SKEW_SECONDS`]).
    pub skew: i64,
}

/// The IdP's `LogoutRequest`, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct IdpLogoutRequest {
    /// Its `ID` (our response's `InResponseTo`).
    pub id: String,
    /// The `NameID` whose session ends.
    pub name_id: String,
    /// The `SessionIndex`es named, if any.
    pub session_indexes: Vec<String>,
}

/// The root `{protocol}local` with `Version` 2.0, its `Issuer` the IdP, its `Destination`
/// ours, and its `IssueInstant` neither in the future nor older than an assertion may live.
fn envelope(
    doc: &uppsala::Document<'_>,
    local: &str,
    expected: &LogoutExpected<'_>,
) -> Result<uppsala::NodeId> {
    let root = doc
        .document_element()
        .filter(|r| xml::is(doc, *r, PROTOCOL_NS, local))
        .ok_or(Error::Structure("not the logout message expected"))?;
    if attr(doc, root, "Version") != Some("2.0") {
        return Err(Error::Structure("Version is not 2.0"));
    }
    let issuer =
        xml::child(doc, root, ASSERTION_NS, "Issuer", "two Issuer")?.ok_or(Error::WrongIssuer)?;
    if value(doc, issuer)? != expected.idp.entity_id {
        return Err(Error::WrongIssuer);
    }
    if attr(doc, root, "Destination") != Some(expected.logout_url) {
        return Err(Error::WrongDestination);
    }
    let issued = instant(
        attr(doc, root, "IssueInstant").ok_or(Error::Timestamp("IssueInstant"))?,
        "IssueInstant",
    )?;
    if issued > expected.now + expected.skew {
        return Err(Error::NotYetValid);
    }
    if issued + crate::MAX_ASSERTION_LIFETIME_SECONDS + expected.skew < expected.now {
        return Err(Error::Expired);
    }
    Ok(root)
}

/// Validates the IdP's `LogoutResponse` to our request `request_id`: issuer, destination,
/// `InResponseTo`, issue instant, and status `Success`.
///
/// # Errors
/// The variant names the check that failed ([`Error::Status`] for a failed logout).
pub fn validate_logout_response(
    text: &str,
    request_id: &str,
    expected: &LogoutExpected<'_>,
) -> Result<()> {
    let doc = xml::parse(text)?;
    let root = envelope(&doc, "LogoutResponse", expected)?;
    if attr(&doc, root, "InResponseTo") != Some(request_id) {
        return Err(Error::InResponseTo);
    }
    let code = xml::child(&doc, root, PROTOCOL_NS, "Status", "two Status")?
        .and_then(|s| doc.first_child_element_by_name_ns(s, PROTOCOL_NS, "StatusCode"))
        .and_then(|c| attr(&doc, c, "Value"))
        .ok_or(Error::Structure("no StatusCode"))?;
    if code != SUCCESS {
        return Err(Error::Status(code.to_owned()));
    }
    Ok(())
}

/// Validates an IdP-initiated `LogoutRequest`: issuer, destination, issue instant,
/// `NotOnOrAfter`, and a plain `NameID` (an `EncryptedID` is refused).
///
/// # Errors
/// The variant names the check that failed.
pub fn validate_logout_request(
    text: &str,
    expected: &LogoutExpected<'_>,
) -> Result<IdpLogoutRequest> {
    let doc = xml::parse(text)?;
    let root = envelope(&doc, "LogoutRequest", expected)?;
    let id = attr(&doc, root, "ID")
        .filter(|s| !s.is_empty())
        .ok_or(Error::Structure("a LogoutRequest without ID"))?
        .to_owned();
    if let Some(end) = attr(&doc, root, "NotOnOrAfter")
        && expected.now - expected.skew >= instant(end, "NotOnOrAfter")?
    {
        return Err(Error::Expired);
    }
    let name = xml::child(&doc, root, ASSERTION_NS, "NameID", "two NameID")?
        .ok_or(Error::Structure("a LogoutRequest without NameID"))?;
    let name_id = value(&doc, name)?;
    let mut session_indexes = Vec::new();
    for s in xml::children(&doc, root, PROTOCOL_NS, "SessionIndex") {
        session_indexes.push(value(&doc, s)?);
    }
    Ok(IdpLogoutRequest {
        id,
        name_id,
        session_indexes,
    })
}

#[cfg(test)]
#[path = "logout_tests.rs"]
mod tests;
