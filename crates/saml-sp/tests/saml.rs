//! `userpool-saml`'s integration tests: the public API end to end (metadata, request, a
//! response refused), and the committed fuzz corpus replayed through the fuzz harness.

#[path = "../../../fuzz/harness/saml.rs"]
mod harness;
#[path = "../../../fuzz/harness/replay.rs"]
mod replay;

use userpool_saml::{AuthnRequest, Error, Expected, IdpMetadata, decode_redirect, sp_entity_id};

const CERT: &str = include_str!("fixtures/idp.cert.pem");

fn metadata() -> IdpMetadata {
    let body: String = CERT.lines().filter(|l| !l.starts_with("-----")).collect();
    IdpMetadata::parse(&format!(
        r#"<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"><md:EntityDescriptor entityID="https://idp.example"><md:IDPSSODescriptor WantAuthnRequestsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>
{body}
</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example/post"/></md:IDPSSODescriptor></md:EntityDescriptor></md:EntitiesDescriptor>"#
    ))
    .expect("metadata")
}

#[test]
fn an_entities_descriptor_with_one_idp_is_read() {
    let m = metadata();
    assert_eq!(m.entity_id, "https://idp.example");
    assert_eq!(m.sso_redirect, None);
    assert_eq!(m.sso_post.as_deref(), Some("https://idp.example/post"));
    assert!(m.want_requests_signed);
    assert_eq!(m.signing_certificates.len(), 1);
}

#[test]
fn a_request_round_trips_and_a_forged_response_is_refused() {
    let sp = sp_entity_id("us-east-1_Abc");
    let url = AuthnRequest {
        id: "_r",
        issue_instant: 1_796_235_379,
        sp_entity_id: &sp,
        acs_url: "https://auth.example/saml2/idpresponse",
        destination: "https://idp.example/sso",
    }
    .redirect_url(None, None)
    .expect("url");
    let value = url.split_once("SAMLRequest=").expect("param").1;
    let value: String = form_urlencoded::parse(format!("v={value}").as_bytes())
        .next()
        .expect("pair")
        .1
        .into_owned();
    assert!(decode_redirect(&value).expect("xml").contains(r#"ID="_r""#));

    let m = metadata();
    let expected = Expected {
        idp: &m,
        sp_entity_id: &sp,
        acs_url: "https://auth.example/saml2/idpresponse",
        in_response_to: Some("_r"),
        now: 1_796_235_379,
        skew: userpool_saml::DEFAULT_SKEW_SECONDS,
        decryption: None,
        require_encryption: false,
    };
    let forged = r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_x" Version="2.0"><saml:Assertion ID="_a" Version="2.0"><saml:Issuer>https://idp.example</saml:Issuer></saml:Assertion><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/></samlp:Response>"#;
    assert_eq!(
        userpool_saml::validate_response_xml(forged, &expected),
        Err(Error::Structure("a signature without SignedInfo"))
    );
}

#[test]
fn saml_response_corpus() {
    assert!(
        replay::replay(
            env!("CARGO_MANIFEST_DIR"),
            "saml_response",
            harness::response
        ) >= 8
    );
}
