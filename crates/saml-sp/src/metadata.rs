//! The identity provider's metadata (`MetadataFile`, or what `MetadataURL` answered) and the
//! pool's own service-provider metadata.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::error::{Error, Result};
use crate::xml::{self, DSIG_NS, METADATA_NS, attr, escape};

/// The HTTP-Redirect binding.
pub const REDIRECT_BINDING: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
/// The HTTP-POST binding.
pub const POST_BINDING: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
/// The largest metadata document accepted (Cognito: `MetadataFile` up to 131,072 characters).
pub const MAX_METADATA_LEN: usize = 131_072;

/// What the pool needs from an IdP's metadata: its entity id, where to send requests, and the
/// certificates its signatures must verify with.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct IdpMetadata {
    /// `EntityDescriptor/@entityID`: every response and assertion `Issuer` must be this.
    pub entity_id: String,
    /// `SingleSignOnService` with the HTTP-Redirect binding.
    pub sso_redirect: Option<String>,
    /// `SingleSignOnService` with the HTTP-POST binding (informational: requests go by
    /// redirect).
    pub sso_post: Option<String>,
    /// `SingleLogoutService` with the HTTP-Redirect binding.
    pub slo_redirect: Option<String>,
    /// DER certificates of `KeyDescriptor`s for signing (or for any use).
    pub signing_certificates: Vec<Vec<u8>>,
    /// `WantAuthnRequestsSigned`.
    pub want_requests_signed: bool,
}

impl IdpMetadata {
    /// Parses an `EntityDescriptor` (or an `EntitiesDescriptor` holding exactly one entity
    /// with an `IDPSSODescriptor`).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] with a message for the operator when the document is not
    /// usable IdP metadata (too large, a DTD, no entity id, no signing certificate, no
    /// single sign-on service).
    pub fn parse(text: &str) -> Result<Self> {
        let bad = |m: &str| Error::InvalidParameter(format!("Invalid SAML metadata: {m}"));
        if text.len() > MAX_METADATA_LEN {
            return Err(bad("the document is too large"));
        }
        let doc = xml::parse(text).map_err(|e| bad(&e.to_string()))?;
        let root = doc
            .document_element()
            .ok_or_else(|| bad("empty document"))?;
        let idps: Vec<_> = xml::all(&doc, METADATA_NS, "IDPSSODescriptor");
        let [idp] = idps.as_slice() else {
            return Err(bad("exactly one IDPSSODescriptor is required"));
        };
        let entity = doc.parent(*idp).ok_or_else(|| bad("no EntityDescriptor"))?;
        if !xml::is(&doc, entity, METADATA_NS, "EntityDescriptor")
            || !(entity == root || xml::is(&doc, root, METADATA_NS, "EntitiesDescriptor"))
        {
            return Err(bad("the IDPSSODescriptor is not in an EntityDescriptor"));
        }
        let entity_id = attr(&doc, entity, "entityID")
            .filter(|s| !s.is_empty())
            .ok_or_else(|| bad("no entityID"))?
            .to_owned();
        let service = |local: &str, binding: &str| {
            xml::children(&doc, *idp, METADATA_NS, local)
                .into_iter()
                .find(|s| attr(&doc, *s, "Binding") == Some(binding))
                .and_then(|s| attr(&doc, s, "Location"))
                .map(str::to_owned)
        };
        let sso_redirect = service("SingleSignOnService", REDIRECT_BINDING);
        let sso_post = service("SingleSignOnService", POST_BINDING);
        if sso_redirect.is_none() && sso_post.is_none() {
            return Err(bad("no SingleSignOnService"));
        }
        let mut signing_certificates = Vec::new();
        for key in xml::children(&doc, *idp, METADATA_NS, "KeyDescriptor") {
            if attr(&doc, key, "use").is_some_and(|u| u != "signing") {
                continue;
            }
            for cert in xml::all(&doc, DSIG_NS, "X509Certificate") {
                if !doc.ancestors(cert).contains(&key) {
                    continue;
                }
                let b64: String = xml::value(&doc, cert)
                    .map_err(|e| bad(&e.to_string()))?
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                let der = STANDARD
                    .decode(b64)
                    .map_err(|_| bad("a certificate is not base64"))?;
                bergshamra::keys::loader::load_x509_cert_der(&der)
                    .map_err(|_| bad("a certificate cannot be read"))?;
                signing_certificates.push(der);
            }
        }
        if signing_certificates.is_empty() {
            return Err(bad("no signing certificate"));
        }
        Ok(Self {
            entity_id,
            sso_redirect,
            sso_post,
            slo_redirect: service("SingleLogoutService", REDIRECT_BINDING),
            signing_certificates,
            want_requests_signed: attr(&doc, *idp, "WantAuthnRequestsSigned") == Some("true"),
        })
    }
}

/// The pool's service-provider metadata: its entity id, the assertion consumer service
/// (HTTP-POST), the logout service (HTTP-Redirect), its signing certificate (DER) when it
/// signs its requests, and its encryption certificate (DER, with the content and
/// key-transport algorithms it accepts) for IdPs that encrypt assertions; the operator gives
/// it to the IdP.
pub fn sp_metadata(
    entity_id: &str,
    acs_url: &str,
    logout_url: &str,
    signing_certificate: Option<&[u8]>,
    encryption_certificate: Option<&[u8]>,
) -> String {
    let descriptor = |usage: &str, der: &[u8], methods: &str| {
        format!(
            r#"<md:KeyDescriptor use="{usage}"><ds:KeyInfo xmlns:ds="{DSIG_NS}"><ds:X509Data><ds:X509Certificate>{}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>{methods}</md:KeyDescriptor>"#,
            STANDARD.encode(der)
        )
    };
    let mut key =
        signing_certificate.map_or_else(String::new, |der| descriptor("signing", der, ""));
    if let Some(der) = encryption_certificate {
        let methods: String = crate::decrypt::CONTENT_ALGORITHMS
            .iter()
            .chain(&crate::decrypt::KEY_TRANSPORT_ALGORITHMS)
            .map(|a| format!(r#"<md:EncryptionMethod Algorithm="{a}"/>"#))
            .collect();
        key.push_str(&descriptor("encryption", der, &methods));
    }
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            r#"<md:EntityDescriptor xmlns:md="{md}" entityID="{entity}">"#,
            r#"<md:SPSSODescriptor AuthnRequestsSigned="{signed}" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">"#,
            "{key}",
            r#"<md:SingleLogoutService Binding="{redirect}" Location="{logout}"/>"#,
            r#"<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>"#,
            r#"<md:AssertionConsumerService Binding="{post}" Location="{acs}" index="1" isDefault="true"/>"#,
            r#"</md:SPSSODescriptor></md:EntityDescriptor>"#
        ),
        md = METADATA_NS,
        entity = escape(entity_id),
        signed = signing_certificate.is_some(),
        key = key,
        redirect = REDIRECT_BINDING,
        logout = escape(logout_url),
        post = POST_BINDING,
        acs = escape(acs_url),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{IDP_ENTITY, idp_metadata, pem_der};

    #[test]
    fn idp_metadata_is_read() {
        let m = IdpMetadata::parse(&idp_metadata()).unwrap();
        assert_eq!(m.entity_id, IDP_ENTITY);
        assert_eq!(m.sso_redirect.as_deref(), Some("https://idp.example/sso"));
        assert_eq!(m.slo_redirect.as_deref(), Some("https://idp.example/slo"));
        assert_eq!(m.signing_certificates, [pem_der(crate::testing::IDP_CERT)]);
        assert!(!m.want_requests_signed);
    }

    #[test]
    fn unusable_metadata_is_an_invalid_parameter() {
        for text in [
            "<a/>",
            "not xml",
            r#"<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>"#,
            &idp_metadata().replace("entityID=", "other="),
            &idp_metadata().replace("X509Certificate>", "Y>"),
        ] {
            assert!(
                matches!(IdpMetadata::parse(text), Err(Error::InvalidParameter(_))),
                "{text}"
            );
        }
        let big = " ".repeat(MAX_METADATA_LEN) + &idp_metadata();
        assert!(
            matches!(IdpMetadata::parse(&big), Err(Error::InvalidParameter(m)) if m.contains("too large"))
        );
    }

    #[test]
    fn sp_metadata_round_trips_through_a_parser() {
        let cert = pem_der(crate::testing::SP_CERT);
        let text = sp_metadata(
            "urn:amazon:cognito:sp:us-east-1_abc",
            "https://a.example/saml2/idpresponse",
            "https://a.example/saml2/logout",
            Some(&cert),
            Some(&pem_der(crate::testing::ATTACKER_CERT)),
        );
        let doc = xml::parse(&text).unwrap();
        let root = doc.document_element().unwrap();
        assert_eq!(
            attr(&doc, root, "entityID"),
            Some("urn:amazon:cognito:sp:us-east-1_abc")
        );
        assert!(text.contains(r#"Location="https://a.example/saml2/idpresponse""#));
        assert!(text.contains(&STANDARD.encode(&cert)));
        assert!(text.contains(r#"AuthnRequestsSigned="true""#));
        assert!(text.contains(&format!(
            r#"<md:KeyDescriptor use="encryption"><ds:KeyInfo xmlns:ds="{DSIG_NS}"><ds:X509Data><ds:X509Certificate>{}</ds:X509Certificate>"#,
            STANDARD.encode(pem_der(crate::testing::ATTACKER_CERT))
        )));
        assert!(text.contains(
            r#"<md:EncryptionMethod Algorithm="http://www.w3.org/2009/xmlenc11#aes128-gcm"/>"#
        ));
        assert!(text.contains(r#"<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://a.example/saml2/logout"/>"#));
        let unsigned = sp_metadata("e", "https://a/acs", "https://a/slo", None, None);
        assert!(!unsigned.contains("KeyDescriptor"));
        assert!(xml::parse(&unsigned).is_ok());
    }
}
