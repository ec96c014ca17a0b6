//! Test fixtures: keys made once with openssl (tests/fixtures), metadata, and responses
//! signed with `bergshamra` from templates.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::metadata::IdpMetadata;
use crate::response::Expected;

pub(crate) const IDP_KEY: &str = include_str!("../tests/fixtures/idp.key.pem");
pub(crate) const IDP_CERT: &str = include_str!("../tests/fixtures/idp.cert.pem");
pub(crate) const ATTACKER_KEY: &str = include_str!("../tests/fixtures/attacker.key.pem");
pub(crate) const ATTACKER_CERT: &str = include_str!("../tests/fixtures/attacker.cert.pem");
pub(crate) const SP_KEY: &str = include_str!("../tests/fixtures/sp.key.pem");
pub(crate) const SP_CERT: &str = include_str!("../tests/fixtures/sp.cert.pem");

pub(crate) const IDP_ENTITY: &str = "https://idp.example/metadata";
pub(crate) const SP_ENTITY: &str = "urn:amazon:cognito:sp:us-east-1_Test";
pub(crate) const ACS: &str = "https://auth.example.com/saml2/idpresponse";
pub(crate) const REQUEST_ID: &str = "_req1";
/// 2026-12-02T18:16:19Z.
pub(crate) const NOW: i64 = 1_796_235_379;

/// The base64 body of a PEM.
pub(crate) fn pem_body(pem: &str) -> String {
    pem.lines().filter(|l| !l.starts_with("-----")).collect()
}

pub(crate) fn pem_der(pem: &str) -> Vec<u8> {
    STANDARD.decode(pem_body(pem)).unwrap()
}

pub(crate) fn idp_metadata() -> String {
    format!(
        r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{IDP_ENTITY}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>{}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example/slo"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"#,
        pem_body(IDP_CERT)
    )
}

pub(crate) fn idp() -> IdpMetadata {
    IdpMetadata::parse(&idp_metadata()).unwrap()
}

pub(crate) fn expected(idp: &IdpMetadata) -> Expected<'_> {
    Expected {
        idp,
        sp_entity_id: SP_ENTITY,
        acs_url: ACS,
        in_response_to: Some(REQUEST_ID),
        now: NOW,
        skew: crate::DEFAULT_SKEW_SECONDS,
        decryption: None,
        require_encryption: false,
    }
}

/// A signature template over `#id`, signed with `key_cert` (its certificate inline).
pub(crate) fn signature_template(id: &str, cert: &str, transforms: &[&str]) -> String {
    let transforms: String = transforms
        .iter()
        .map(|t| format!(r#"<ds:Transform Algorithm="{t}"/>"#))
        .collect();
    format!(
        r##"<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="#{id}"><ds:Transforms>{transforms}</ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue></ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>"##,
        pem_body(cert)
    )
}

pub(crate) const STANDARD_TRANSFORMS: [&str; 2] = [
    "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
    "http://www.w3.org/2001/10/xml-exc-c14n#",
];

/// Signs the first empty signature template in `xml` with `key`.
pub(crate) fn sign(xml: &str, key: &str) -> String {
    let mut keys = bergshamra::KeysManager::new();
    keys.add_key(bergshamra::keys::loader::load_pem_auto(key.as_bytes(), None).unwrap());
    let ctx = bergshamra::DsigContext::new_permissive(keys);
    let signed = bergshamra::sign(&ctx, xml).unwrap();
    signed
        .strip_prefix(r#"<?xml version="1.0"?>"#)
        .unwrap_or(&signed)
        .trim_start()
        .to_owned()
}

/// A response the tests vary field by field.
#[derive(Clone)]
pub(crate) struct Fixture {
    pub response_id: String,
    pub assertion_id: String,
    pub issuer: String,
    pub destination: Option<String>,
    pub in_response_to: Option<String>,
    pub status: String,
    pub name_id: String,
    pub audience: String,
    pub recipient: String,
    pub not_before: String,
    pub not_on_or_after: String,
    pub sign_assertion: bool,
    pub sign_response: bool,
    pub key: &'static str,
    pub cert: &'static str,
}

impl Default for Fixture {
    fn default() -> Self {
        Self {
            response_id: "_resp1".into(),
            assertion_id: "_assert1".into(),
            issuer: IDP_ENTITY.into(),
            destination: Some(ACS.into()),
            in_response_to: Some(REQUEST_ID.into()),
            status: "urn:oasis:names:tc:SAML:2.0:status:Success".into(),
            name_id: "alice@example.com".into(),
            audience: SP_ENTITY.into(),
            recipient: ACS.into(),
            not_before: "2026-12-02T18:11:19Z".into(),
            not_on_or_after: "2026-12-02T18:21:19Z".into(),
            sign_assertion: true,
            sign_response: false,
            key: IDP_KEY,
            cert: IDP_CERT,
        }
    }
}

impl Fixture {
    /// The assertion, signed if asked.
    pub(crate) fn assertion(&self) -> String {
        let irt = self
            .in_response_to
            .as_ref()
            .map(|v| format!(r#" InResponseTo="{v}""#))
            .unwrap_or_default();
        let signature = if self.sign_assertion {
            signature_template(&self.assertion_id, self.cert, &STANDARD_TRANSFORMS)
        } else {
            String::new()
        };
        let xml = format!(
            r#"<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{id}" Version="2.0" IssueInstant="2026-12-02T18:16:00Z"><saml:Issuer>{issuer}</saml:Issuer>{signature}<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{name}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData{irt} NotOnOrAfter="{nooa}" Recipient="{recipient}"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="{nb}" NotOnOrAfter="{nooa}"><saml:AudienceRestriction><saml:Audience>{aud}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="2026-12-02T18:16:00Z" SessionIndex="_session1"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement><saml:AttributeStatement><saml:Attribute Name="email"><saml:AttributeValue>{name}</saml:AttributeValue></saml:Attribute><saml:Attribute Name="groups"><saml:AttributeValue>admins</saml:AttributeValue><saml:AttributeValue>staff</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion>"#,
            id = self.assertion_id,
            issuer = self.issuer,
            name = self.name_id,
            nooa = self.not_on_or_after,
            recipient = self.recipient,
            nb = self.not_before,
            aud = self.audience,
        );
        if self.sign_assertion {
            sign(&xml, self.key)
        } else {
            xml
        }
    }

    /// The response around `assertion`, signed if asked.
    pub(crate) fn response_with(&self, assertion: &str) -> String {
        let destination = self
            .destination
            .as_ref()
            .map(|v| format!(r#" Destination="{v}""#))
            .unwrap_or_default();
        let irt = self
            .in_response_to
            .as_ref()
            .map(|v| format!(r#" InResponseTo="{v}""#))
            .unwrap_or_default();
        let signature = if self.sign_response {
            signature_template(&self.response_id, self.cert, &STANDARD_TRANSFORMS)
        } else {
            String::new()
        };
        let xml = format!(
            r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{id}" Version="2.0" IssueInstant="2026-12-02T18:16:00Z"{destination}{irt}><saml:Issuer>{issuer}</saml:Issuer>{signature}<samlp:Status><samlp:StatusCode Value="{status}"/></samlp:Status>{assertion}</samlp:Response>"#,
            id = self.response_id,
            issuer = self.issuer,
            status = self.status,
        );
        if self.sign_response {
            sign(&xml, self.key)
        } else {
            xml
        }
    }

    pub(crate) fn response(&self) -> String {
        self.response_with(&self.assertion())
    }
}
