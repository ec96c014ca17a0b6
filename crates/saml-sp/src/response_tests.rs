//! The classic SAML attacks, each refused with its own error.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::error::Error;
use crate::response::{MAX_RESPONSE_LEN, validate_response, validate_response_xml};
use crate::testing::*;

fn check(xml: &str) -> Result<crate::Assertion, Error> {
    let idp = idp();
    validate_response_xml(xml, &expected(&idp))
}

#[test]
fn a_signed_assertion_is_read() {
    let idp = idp();
    let xml = Fixture::default().response();
    let a = validate_response(&STANDARD.encode(&xml), &expected(&idp)).unwrap();
    assert_eq!(a.id, "_assert1");
    assert_eq!(a.issuer, IDP_ENTITY);
    assert_eq!(a.name_id, "alice@example.com");
    assert_eq!(
        a.name_id_format.as_deref(),
        Some("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress")
    );
    assert_eq!(a.session_index.as_deref(), Some("_session1"));
    assert_eq!(a.attributes["groups"], ["admins", "staff"]);
    assert_eq!(a.attributes["email"], ["alice@example.com"]);
    // 18:21:19 plus the skew.
    assert_eq!(a.expires_at, NOW + 300 + 60);
}

#[test]
fn a_signed_response_or_both_signed_is_accepted() {
    let response_only = Fixture {
        sign_assertion: false,
        sign_response: true,
        ..Fixture::default()
    };
    assert_eq!(
        check(&response_only.response()).unwrap().name_id,
        "alice@example.com"
    );
    let both = Fixture {
        sign_response: true,
        ..Fixture::default()
    };
    assert_eq!(
        check(&both.response()).unwrap().name_id,
        "alice@example.com"
    );
}

#[test]
fn unsigned_is_refused() {
    let f = Fixture {
        sign_assertion: false,
        ..Fixture::default()
    };
    assert_eq!(check(&f.response()), Err(Error::Unsigned));
}

#[test]
fn another_key_is_refused_even_with_its_certificate_inline() {
    let f = Fixture {
        key: ATTACKER_KEY,
        cert: ATTACKER_CERT,
        ..Fixture::default()
    };
    assert!(matches!(check(&f.response()), Err(Error::BadSignature(_))));
}

#[test]
fn a_changed_signed_value_is_refused() {
    let xml = Fixture::default()
        .response()
        .replace("<saml:AttributeValue>admins<", "<saml:AttributeValue>root<");
    assert!(matches!(check(&xml), Err(Error::BadSignature(_))));
}

#[test]
fn a_partially_signed_response_is_refused() {
    // The response is signed, the assertion inside it is not covered by any signature once
    // an attacker swaps it: the response digest breaks.
    let f = Fixture {
        sign_assertion: false,
        sign_response: true,
        ..Fixture::default()
    };
    let xml = f
        .response()
        .replace("alice@example.com", "mallory@example.com");
    assert!(matches!(check(&xml), Err(Error::BadSignature(_))));
}

/// An attacker's unsigned assertion for `mallory`.
fn evil_assertion(id: &str) -> String {
    Fixture {
        assertion_id: id.into(),
        name_id: "mallory@example.com".into(),
        sign_assertion: false,
        ..Fixture::default()
    }
    .assertion()
}

#[test]
fn xsw_duplicate_id_is_refused() {
    let f = Fixture::default();
    let both = format!("{}{}", evil_assertion("_assert1"), f.assertion());
    assert_eq!(
        check(&f.response_with(&both)),
        Err(Error::DuplicateId("_assert1".into()))
    );
}

#[test]
fn xsw_signed_assertion_moved_into_extensions_is_refused() {
    let f = Fixture::default();
    let signed = f.assertion();
    // The signed assertion hidden in Extensions, the attacker's as the response's child.
    let xml = f.response_with(&evil_assertion("_evil")).replace(
        "<samlp:Status>",
        &format!("<samlp:Extensions>{signed}</samlp:Extensions><samlp:Status>"),
    );
    assert_eq!(check(&xml), Err(Error::Wrapping("more than one assertion")));
    // Moved alone: still not where it must be.
    let xml = f.response_with("").replace(
        "<samlp:Status>",
        &format!("<samlp:Extensions>{signed}</samlp:Extensions><samlp:Status>"),
    );
    assert_eq!(
        check(&xml),
        Err(Error::Wrapping(
            "the assertion is not a child of the response"
        ))
    );
}

#[test]
fn xsw_signed_response_wrapped_in_an_evil_one_is_refused() {
    // XSW1/2: the original signed response moves inside the signature's Object of a new
    // response (new ID) carrying the attacker's assertion.
    let signed = Fixture {
        sign_assertion: false,
        sign_response: true,
        ..Fixture::default()
    }
    .response();
    let start = signed.find("<ds:Signature").unwrap();
    let end = signed.find("</ds:Signature>").unwrap();
    let signature = &signed[start..end];
    let evil = Fixture {
        response_id: "_evil_response".into(),
        sign_assertion: false,
        ..Fixture::default()
    }
    .response_with(&evil_assertion("_evil"));
    let wrapped = evil.replace(
        "<samlp:Status>",
        &format!("{signature}<ds:Object>{signed}</ds:Object></ds:Signature><samlp:Status>"),
    );
    assert_eq!(
        check(&wrapped),
        Err(Error::Wrapping("more than one assertion"))
    );
    // Without the attacker's assertion the signature still points past its parent.
    let wrapped = Fixture {
        response_id: "_evil_response".into(),
        sign_assertion: false,
        ..Fixture::default()
    }
    .response_with("")
    .replace(
        "<samlp:Status>",
        &format!("{signature}<ds:Object>{signed}</ds:Object></ds:Signature><samlp:Status>"),
    );
    assert_eq!(
        check(&wrapped),
        Err(Error::Wrapping(
            "the assertion is not a child of the response"
        ))
    );
}

#[test]
fn xsw_signature_moved_to_another_element_is_refused() {
    // The response's signature (over #_resp1) moved into the assertion.
    let signed = Fixture {
        sign_assertion: false,
        sign_response: true,
        ..Fixture::default()
    }
    .response();
    let start = signed.find("<ds:Signature").unwrap();
    let end = signed.find("</ds:Signature>").unwrap() + "</ds:Signature>".len();
    let signature = signed[start..end].to_owned();
    let moved = signed.replace(&signature, "").replacen(
        "<saml:Subject>",
        &format!("{signature}<saml:Subject>"),
        1,
    );
    assert_eq!(
        check(&moved),
        Err(Error::Wrapping("the signature covers another element"))
    );
}

#[test]
fn a_signature_in_an_unexpected_place_is_refused() {
    let f = Fixture::default();
    let stray = signature_template("_assert1", IDP_CERT, &STANDARD_TRANSFORMS);
    let xml = f.response().replace(
        "<samlp:Status>",
        &format!("<samlp:Extensions>{stray}</samlp:Extensions><samlp:Status>"),
    );
    assert_eq!(
        check(&xml),
        Err(Error::Wrapping("a signature in an unexpected place"))
    );
}

#[test]
fn transforms_that_could_sign_less_are_refused() {
    let f = Fixture {
        sign_assertion: false,
        ..Fixture::default()
    };
    let xpath = "http://www.w3.org/TR/1999/REC-xpath-19991116";
    let template = signature_template("_assert1", IDP_CERT, &[xpath]);
    let xml = f.response().replacen(
        "</saml:Issuer><saml:Subject>",
        &format!("</saml:Issuer>{template}<saml:Subject>"),
        1,
    );
    assert_eq!(check(&xml), Err(Error::Transform(xpath.into())));
    let two = signature_template("_assert1", IDP_CERT, &STANDARD_TRANSFORMS).replace(
        "</ds:SignedInfo>",
        r##"<ds:Reference URI="#_resp1"><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo>"##,
    );
    let xml = f.response().replacen(
        "</saml:Issuer><saml:Subject>",
        &format!("</saml:Issuer>{two}<saml:Subject>"),
        1,
    );
    assert_eq!(
        check(&xml),
        Err(Error::Wrapping(
            "a signature must have exactly one reference"
        ))
    );
}

#[test]
fn a_comment_in_the_name_id_is_refused() {
    // The attacker registers `alice@example.com.evil.example` at the IdP, then cuts the
    // signed name with a comment: the signature still verifies (canonicalization drops
    // comments) but a first-text-node reader would see `alice@example.com`.
    let f = Fixture {
        name_id: "alice@example.com.evil.example".into(),
        ..Fixture::default()
    };
    let signed = f.response();
    assert_eq!(
        check(&signed).unwrap().name_id,
        "alice@example.com.evil.example"
    );
    let cut = signed.replace(
        ">alice@example.com.evil.example</saml:NameID>",
        ">alice@example.com<!---->.evil.example</saml:NameID>",
    );
    assert_eq!(check(&cut), Err(Error::CommentInValue));
}

#[test]
fn wrong_audience_or_another_sp_is_refused() {
    let f = Fixture {
        audience: "urn:amazon:cognito:sp:us-east-1_Other".into(),
        ..Fixture::default()
    };
    assert_eq!(check(&f.response()), Err(Error::WrongAudience));
    let no_restriction = Fixture::default().response().replace(
        "<saml:AudienceRestriction>",
        "<saml:AudienceRestriction><saml:Audience>x</saml:Audience>",
    );
    // Changing a signed assertion breaks it: audience checks are on signed content only.
    assert!(matches!(
        check(&no_restriction),
        Err(Error::BadSignature(_))
    ));
}

#[test]
fn wrong_destination_or_recipient_is_refused() {
    let f = Fixture {
        destination: Some("https://other.example/saml2/idpresponse".into()),
        ..Fixture::default()
    };
    assert_eq!(check(&f.response()), Err(Error::WrongDestination));
    let f = Fixture {
        recipient: "https://other.example/saml2/idpresponse".into(),
        ..Fixture::default()
    };
    assert_eq!(check(&f.response()), Err(Error::WrongRecipient));
    // Destination is optional.
    let f = Fixture {
        destination: None,
        ..Fixture::default()
    };
    assert!(check(&f.response()).is_ok());
}

#[test]
fn wrong_issuer_is_refused() {
    let f = Fixture {
        issuer: "https://other-idp.example".into(),
        ..Fixture::default()
    };
    assert_eq!(check(&f.response()), Err(Error::WrongIssuer));
}

#[test]
fn the_time_window_has_a_documented_skew() {
    let idp = idp();
    let xml = Fixture::default().response();
    let at = |now| {
        let mut e = expected(&idp);
        e.now = now;
        validate_response_xml(&xml, &e)
    };
    // NotOnOrAfter 18:21:19 = NOW + 300; NotBefore 18:11:19 = NOW - 300; skew 60.
    assert!(at(NOW + 300 + 59).is_ok());
    assert_eq!(at(NOW + 300 + 60), Err(Error::Expired));
    assert!(at(NOW - 300 - 60).is_ok());
    assert_eq!(at(NOW - 300 - 61), Err(Error::NotYetValid));
}

#[test]
fn in_response_to_must_match() {
    let idp = idp();
    let xml = Fixture::default().response();
    let mut e = expected(&idp);
    e.in_response_to = Some("_another_request");
    assert_eq!(validate_response_xml(&xml, &e), Err(Error::InResponseTo));
    // A solicited response replayed as an unsolicited one.
    e.in_response_to = None;
    assert_eq!(validate_response_xml(&xml, &e), Err(Error::InResponseTo));
    // A genuinely unsolicited (IdP-initiated) one.
    let unsolicited = Fixture {
        in_response_to: None,
        ..Fixture::default()
    };
    assert!(validate_response_xml(&unsolicited.response(), &e).is_ok());
}

#[test]
fn dtds_are_refused() {
    let xml = format!(
        "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>{}",
        Fixture::default().response()
    );
    assert_eq!(check(&xml), Err(Error::Dtd));
}

#[test]
fn oversized_and_malformed_are_refused() {
    let idp = idp();
    let big = "A".repeat(MAX_RESPONSE_LEN + 1);
    assert_eq!(
        validate_response(&big, &expected(&idp)),
        Err(Error::TooLarge)
    );
    let padded = format!(
        "{}{}",
        Fixture::default().response(),
        " ".repeat(MAX_RESPONSE_LEN)
    );
    assert_eq!(check(&padded), Err(Error::TooLarge));
    assert_eq!(
        validate_response("%%%", &expected(&idp)),
        Err(Error::Encoding)
    );
    assert!(matches!(check("<a"), Err(Error::Xml(_))));
    assert_eq!(
        check("<a/>"),
        Err(Error::Structure("the document is not a samlp:Response"))
    );
}

#[test]
fn a_failed_status_is_reported() {
    let f = Fixture {
        status: "urn:oasis:names:tc:SAML:2.0:status:Responder".into(),
        ..Fixture::default()
    };
    assert_eq!(
        check(&f.response_with("")),
        Err(Error::Status(
            "urn:oasis:names:tc:SAML:2.0:status:Responder".into()
        ))
    );
}

#[test]
fn encrypted_assertions_without_a_key_are_refused() {
    let xml = Fixture::default().response_with(
        r#"<saml:EncryptedAssertion><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#"/></saml:EncryptedAssertion>"#,
    );
    assert_eq!(check(&xml), Err(Error::EncryptedAssertion));
}

#[test]
fn replays_are_recognisable_by_id() {
    let xml = Fixture::default().response();
    let a = check(&xml).unwrap();
    let b = check(&xml).unwrap();
    assert_eq!((a.id.as_str(), a.expires_at), (b.id.as_str(), b.expires_at));
}

/// Writes the fuzz seed corpus (`fuzz/corpus/saml_response`) from these fixtures:
/// `cargo test -p userpool-saml -- --ignored write_fuzz_seeds`.
#[test]
#[ignore = "regenerates the committed fuzz seeds"]
fn write_fuzz_seeds() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fuzz/corpus/saml_response"
    );
    std::fs::create_dir_all(dir).unwrap();
    let signed = Fixture::default().response();
    let both = Fixture {
        sign_response: true,
        ..Fixture::default()
    }
    .response();
    let f = Fixture::default();
    let xsw = f.response_with(&evil_assertion("_evil")).replace(
        "<samlp:Status>",
        &format!(
            "<samlp:Extensions>{}</samlp:Extensions><samlp:Status>",
            f.assertion()
        ),
    );
    let comment = signed.replace(
        "alice@example.com</saml:NameID>",
        "alice@example.com<!---->.x</saml:NameID>",
    );
    let seeds = [
        ("signed_assertion.xml", signed.clone()),
        ("signed_assertion.b64", STANDARD.encode(&signed)),
        ("signed_both.xml", both),
        ("xsw_extensions.xml", xsw),
        ("comment_name_id.xml", comment),
        (
            "dtd.xml",
            format!("<!DOCTYPE r [<!ENTITY a \"b\">]>{signed}"),
        ),
        ("metadata.xml", idp_metadata()),
        (
            "status_failed.xml",
            Fixture {
                status: "urn:oasis:names:tc:SAML:2.0:status:Requester".into(),
                ..Fixture::default()
            }
            .response_with(""),
        ),
    ];
    for (name, text) in seeds {
        std::fs::write(format!("{dir}/{name}"), text).unwrap();
    }
}
