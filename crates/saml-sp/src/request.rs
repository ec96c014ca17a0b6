//! The `AuthnRequest` towards the IdP, sent by the HTTP-Redirect binding (raw deflate,
//! base64, URL-encoded; optionally signed with RSA-SHA256 over the query string).

use std::io::Write as _;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rand_core::Rng;

use crate::error::{Error, Result};
use crate::metadata::POST_BINDING;
use crate::xml::{ASSERTION_NS, PROTOCOL_NS, escape, format_instant};

/// `SigAlg` of a redirect signed with RSA-SHA256 (`RequestSigningAlgorithm` `rsa-sha256`).
pub const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";

/// The pool's SAML signing (or encryption) key: an RSA private key. `Debug` is redacted; the PEM it was
/// read from is the caller's to keep sealed.
pub struct SpKey(bergshamra::Key);

impl SpKey {
    /// Reads an RSA private key from PKCS#8 (or PKCS#1) PEM.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when it is not an RSA private key.
    pub fn from_pem(pem: &str) -> Result<Self> {
        let key = bergshamra::keys::loader::load_pem_auto(pem.as_bytes(), None)
            .map_err(|_| Error::InvalidParameter("not an RSA private key".into()))?;
        if !key.has_private_key() || key.algorithm_name() != "RSA" {
            return Err(Error::InvalidParameter("not an RSA private key".into()));
        }
        Ok(Self(key))
    }

    /// The key, for decryption.
    pub(crate) fn key(&self) -> &bergshamra::Key {
        &self.0
    }

    /// Signs `data` with RSA PKCS#1 v1.5 and SHA-256.
    ///
    /// # Errors
    /// [`Error::Signing`] when the key cannot sign.
    pub fn sign(&self, data: &[u8]) -> Result<Vec<u8>> {
        let key = self
            .0
            .to_signing_key()
            .map_err(|e| Error::Signing(e.to_string()))?
            .ok_or_else(|| Error::Signing("no signing key".into()))?;
        bergshamra::crypto::sign::from_uri(RSA_SHA256)
            .and_then(|alg| alg.sign(&key, data))
            .map_err(|e| Error::Signing(e.to_string()))
    }
}

impl std::fmt::Debug for SpKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SpKey(<redacted>)")
    }
}

/// A fresh request id: `_` and 40 hex digits from `rng` (an `ID` must not start with a
/// digit).
pub fn request_id(rng: &mut impl Rng) -> String {
    let mut bytes = [0u8; 20];
    rng.fill_bytes(&mut bytes);
    let mut id = String::with_capacity(41);
    id.push('_');
    for b in bytes {
        id.push_str(&format!("{b:02x}"));
    }
    id
}

/// What an `AuthnRequest` says.
#[derive(Debug, Clone, Copy)]
pub struct AuthnRequest<'a> {
    /// `ID` (from [`request_id`]); the response's `InResponseTo` must be this.
    pub id: &'a str,
    /// `IssueInstant`, Unix seconds.
    pub issue_instant: i64,
    /// Our SP entity id (`Issuer`).
    pub sp_entity_id: &'a str,
    /// Our assertion consumer service (`AssertionConsumerServiceURL`, HTTP-POST).
    pub acs_url: &'a str,
    /// The IdP's single sign-on service (`Destination`).
    pub destination: &'a str,
}

impl AuthnRequest<'_> {
    /// The request as XML.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `issue_instant` is out of range.
    pub fn to_xml(&self) -> Result<String> {
        Ok(format!(
            concat!(
                r#"<samlp:AuthnRequest xmlns:samlp="{p}" xmlns:saml="{a}" ID="{id}" Version="2.0" IssueInstant="{at}" Destination="{dest}" AssertionConsumerServiceURL="{acs}" ProtocolBinding="{post}">"#,
                r#"<saml:Issuer>{issuer}</saml:Issuer>"#,
                r#"<samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified" AllowCreate="true"/>"#,
                r#"</samlp:AuthnRequest>"#
            ),
            p = PROTOCOL_NS,
            a = ASSERTION_NS,
            id = escape(self.id),
            at = format_instant(self.issue_instant)?,
            dest = escape(self.destination),
            acs = escape(self.acs_url),
            post = POST_BINDING,
            issuer = escape(self.sp_entity_id),
        ))
    }

    /// The URL that sends the browser to the IdP with this request (HTTP-Redirect binding):
    /// `SAMLRequest`, `RelayState` and, with `key`, `SigAlg` and `Signature` over the three
    /// as the binding defines.
    ///
    /// # Errors
    /// [`Error::Signing`] when `key` cannot sign; [`Error::InvalidParameter`] for an
    /// out-of-range instant.
    pub fn redirect_url(&self, relay_state: Option<&str>, key: Option<&SpKey>) -> Result<String> {
        redirect(
            self.destination,
            "SAMLRequest",
            &self.to_xml()?,
            relay_state,
            key,
        )
    }
}

/// The HTTP-Redirect binding: `xml` deflated and base64-encoded as the `parameter`
/// (`SAMLRequest` or `SAMLResponse`) of `destination`, with `RelayState` and, with `key`,
/// `SigAlg` and `Signature` over the three as the binding defines.
pub(crate) fn redirect(
    destination: &str,
    parameter: &str,
    xml: &str,
    relay_state: Option<&str>,
    key: Option<&SpKey>,
) -> Result<String> {
    let mut deflater =
        flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    deflater
        .write_all(xml.as_bytes())
        .map_err(|_| Error::Encoding)?;
    let deflated = deflater.finish().map_err(|_| Error::Encoding)?;
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair(parameter, &STANDARD.encode(deflated));
    if let Some(relay) = relay_state {
        query.append_pair("RelayState", relay);
    }
    let mut query = query.finish();
    if let Some(key) = key {
        query.push('&');
        query.push_str(
            &form_urlencoded::Serializer::new(String::new())
                .append_pair("SigAlg", RSA_SHA256)
                .finish(),
        );
        let signature = key.sign(query.as_bytes())?;
        query.push('&');
        query.push_str(
            &form_urlencoded::Serializer::new(String::new())
                .append_pair("Signature", &STANDARD.encode(signature))
                .finish(),
        );
    }
    let separator = if destination.contains('?') { '&' } else { '?' };
    Ok(format!("{destination}{separator}{query}"))
}

/// Decodes a `SAMLRequest` (or `SAMLResponse`) of the HTTP-Redirect binding: base64, then
/// raw inflate, bounded to [`crate::MAX_RESPONSE_LEN`] characters each way.
///
/// # Errors
/// [`Error::TooLarge`] or [`Error::Encoding`].
pub fn decode_redirect(value: &str) -> Result<String> {
    use std::io::Read as _;
    if value.len() > crate::MAX_RESPONSE_LEN {
        return Err(Error::TooLarge);
    }
    let deflated = STANDARD.decode(value).map_err(|_| Error::Encoding)?;
    let limit = u64::try_from(crate::MAX_RESPONSE_LEN).map_err(|_| Error::TooLarge)?;
    let mut inflated = Vec::new();
    flate2::read::DeflateDecoder::new(deflated.as_slice())
        .take(limit + 1)
        .read_to_end(&mut inflated)
        .map_err(|_| Error::Encoding)?;
    if inflated.len() > crate::MAX_RESPONSE_LEN {
        return Err(Error::TooLarge);
    }
    String::from_utf8(inflated).map_err(|_| Error::Encoding)
}

#[cfg(test)]
mod tests {
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    use super::*;
    use crate::testing::{SP_CERT, SP_KEY};

    fn request(id: &str) -> AuthnRequest<'_> {
        AuthnRequest {
            id,
            issue_instant: 1_796_235_379,
            sp_entity_id: "urn:amazon:cognito:sp:us-east-1_abc",
            acs_url: "https://a.example/saml2/idpresponse",
            destination: "https://idp.example/sso?tenant=1",
        }
    }

    #[test]
    fn ids_come_from_the_rng() {
        let a = request_id(&mut ChaCha20Rng::seed_from_u64(1));
        assert_eq!(a, request_id(&mut ChaCha20Rng::seed_from_u64(1)));
        assert_ne!(a, request_id(&mut ChaCha20Rng::seed_from_u64(2)));
        assert!(a.starts_with('_') && a.len() == 41);
    }

    #[test]
    fn the_redirect_carries_the_deflated_request() {
        let url = request("_r1").redirect_url(Some("relay"), None).unwrap();
        assert!(url.starts_with("https://idp.example/sso?tenant=1&SAMLRequest="));
        let query = url.split_once('?').unwrap().1;
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        assert_eq!(pairs[2], ("RelayState".into(), "relay".into()));
        let xml = decode_redirect(&pairs[1].1).unwrap();
        assert!(xml.contains(r#"ID="_r1""#));
        assert!(xml.contains(r#"IssueInstant="2026-12-02T18:16:19Z""#));
        assert!(xml.contains("<saml:Issuer>urn:amazon:cognito:sp:us-east-1_abc</saml:Issuer>"));
        assert!(!url.contains("Signature="));
    }

    #[test]
    fn a_signed_redirect_verifies_with_the_certificate() {
        let key = SpKey::from_pem(SP_KEY).unwrap();
        assert_eq!(format!("{key:?}"), "SpKey(<redacted>)");
        let url = request("_r2").redirect_url(Some("r"), Some(&key)).unwrap();
        let query = url.split_once('?').unwrap().1;
        let (signed, signature) = query.rsplit_once("&Signature=").unwrap();
        let signed = signed.strip_prefix("tenant=1&").unwrap();
        assert!(
            signed.ends_with(
                "&SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256"
            )
        );
        let signature: String = form_urlencoded::parse(format!("s={signature}").as_bytes())
            .next()
            .unwrap()
            .1
            .into_owned();
        let signature = STANDARD.decode(signature).unwrap();
        let cert = bergshamra::keys::loader::load_x509_cert_pem(SP_CERT.as_bytes()).unwrap();
        let public = cert.to_signing_key().unwrap().unwrap();
        let alg = bergshamra::crypto::sign::from_uri(RSA_SHA256).unwrap();
        assert!(alg.verify(&public, signed.as_bytes(), &signature).unwrap());
        assert!(!alg.verify(&public, b"other", &signature).unwrap());
    }

    #[test]
    fn only_rsa_private_keys_sign() {
        assert!(matches!(
            SpKey::from_pem(SP_CERT),
            Err(Error::InvalidParameter(_))
        ));
        assert!(matches!(
            SpKey::from_pem("junk"),
            Err(Error::InvalidParameter(_))
        ));
    }
}
