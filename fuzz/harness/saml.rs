//! The SAML response validator on arbitrary input, both as the decoded XML and as the base64
//! form value, with and without the SP's decryption key, and the single-logout parsers
//! (redirect query, `LogoutResponse`, `LogoutRequest`), against fixed IdP metadata and a
//! fixed clock: it must refuse (or accept)
//! without panicking, whatever the bytes. Shared by the cargo-fuzz target and the corpus replay
//! in `userpool-saml`'s tests.

use std::sync::OnceLock;

use userpool_saml::{
    Expected, IdpMetadata, LogoutExpected, SpKey, validate_logout_request,
    validate_logout_response, validate_response, validate_response_xml, verify_redirect,
};

const CERT: &str = include_str!("../../crates/saml-sp/tests/fixtures/idp.cert.pem");
const SP_KEY: &str = include_str!("../../crates/saml-sp/tests/fixtures/sp.key.pem");

fn sp_key() -> &'static SpKey {
    static KEY: OnceLock<SpKey> = OnceLock::new();
    KEY.get_or_init(|| SpKey::from_pem(SP_KEY).expect("fixture key"))
}

fn idp() -> &'static IdpMetadata {
    static IDP: OnceLock<IdpMetadata> = OnceLock::new();
    IDP.get_or_init(|| {
        let body: String = CERT.lines().filter(|l| !l.starts_with("-----")).collect();
        let xml = format!(
            r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example/metadata"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>{body}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>"#
        );
        IdpMetadata::parse(&xml).expect("fixture metadata")
    })
}

/// One input.
pub(crate) fn response(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let expected = Expected {
        idp: idp(),
        sp_entity_id: "urn:amazon:cognito:sp:us-east-1_Test",
        acs_url: "https://auth.example.com/saml2/idpresponse",
        in_response_to: Some("_req1"),
        // 2026-12-02T18:16:19Z, the fixtures' clock.
        now: 1_796_235_379,
        skew: userpool_saml::DEFAULT_SKEW_SECONDS,
        decryption: None,
        require_encryption: false,
    };
    let _ = validate_response_xml(text, &expected);
    let _ = validate_response(text, &expected);
    let _ = IdpMetadata::parse(text);
    // Encrypted assertions, decrypted with the fixtures' SP key.
    let encrypted = Expected {
        decryption: Some(sp_key()),
        require_encryption: true,
        ..expected
    };
    let _ = validate_response_xml(text, &encrypted);
    // Single logout: the redirect binding's query, and the messages.
    let logout = LogoutExpected {
        idp: idp(),
        logout_url: "https://auth.example.com/saml2/logout",
        now: expected.now,
        skew: expected.skew,
    };
    let _ = verify_redirect(text, idp());
    let _ = validate_logout_response(text, "_req1", &logout);
    let _ = validate_logout_request(text, &logout);
}
