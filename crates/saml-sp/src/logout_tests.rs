//! Single logout: our signed requests and responses, and the IdP's redirects refused unless
//! signed by it, for us, and answering our request.

use super::*;
use crate::testing::{
    ATTACKER_KEY, IDP_ENTITY, IDP_KEY, NOW, SP_CERT, SP_ENTITY, SP_KEY, idp, pem_der,
};

const SLO: &str = "https://auth.example.com/saml2/logout";

fn expected(idp: &IdpMetadata) -> LogoutExpected<'_> {
    LogoutExpected {
        idp,
        logout_url: SLO,
        now: NOW,
        skew: crate::DEFAULT_SKEW_SECONDS,
    }
}

/// The IdP's `LogoutResponse` XML.
fn idp_response(in_response_to: &str, destination: &str, issuer: &str, status: &str) -> String {
    format!(
        r#"<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_lr1" Version="2.0" IssueInstant="2026-12-02T18:16:00Z" Destination="{destination}" InResponseTo="{in_response_to}"><saml:Issuer>{issuer}</saml:Issuer><samlp:Status><samlp:StatusCode Value="{status}"/></samlp:Status></samlp:LogoutResponse>"#
    )
}

/// The query of a redirect to our logout service carrying `xml`, signed with `key`.
fn query(parameter: &str, xml: &str, relay: Option<&str>, key: Option<&str>) -> String {
    let key = key.map(|k| SpKey::from_pem(k).unwrap());
    let url = redirect(SLO, parameter, xml, relay, key.as_ref()).unwrap();
    url.split_once('?').unwrap().1.to_owned()
}

fn response_query(xml: &str) -> String {
    query("SAMLResponse", xml, Some("relay"), Some(IDP_KEY))
}

#[test]
fn our_logout_request_is_signed_and_names_the_session() {
    let request = LogoutRequest {
        id: "_out1",
        issue_instant: NOW,
        sp_entity_id: SP_ENTITY,
        destination: "https://idp.example/slo",
        name_id: "alice@example.com",
        name_id_format: Some("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"),
        session_index: Some("_s1"),
    };
    let url = request
        .redirect_url(Some("st"), &SpKey::from_pem(SP_KEY).unwrap())
        .unwrap();
    assert!(url.starts_with("https://idp.example/slo?SAMLRequest="));
    // The IdP verifies it with the certificate of our metadata.
    let mut us = idp();
    us.signing_certificates = vec![pem_der(SP_CERT)];
    let got = verify_redirect(url.split_once('?').unwrap().1, &us).unwrap();
    assert_eq!(got.kind, MessageKind::Request);
    assert_eq!(got.relay_state.as_deref(), Some("st"));
    assert_eq!(got.xml, request.to_xml().unwrap());
    assert!(got.xml.contains(r#"<saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">alice@example.com</saml:NameID><samlp:SessionIndex>_s1</samlp:SessionIndex>"#));
    assert!(
        got.xml
            .contains(&format!("<saml:Issuer>{SP_ENTITY}</saml:Issuer>"))
    );
    assert!(matches!(
        verify_redirect(url.split_once('?').unwrap().1, &idp()),
        Err(Error::BadSignature(_))
    ));
}

#[test]
fn the_idps_logout_response_is_accepted() {
    let idp = idp();
    let got = verify_redirect(
        &response_query(&idp_response("_out1", SLO, IDP_ENTITY, SUCCESS)),
        &idp,
    )
    .unwrap();
    assert_eq!(got.kind, MessageKind::Response);
    assert_eq!(got.relay_state.as_deref(), Some("relay"));
    assert_eq!(
        validate_logout_response(&got.xml, "_out1", &expected(&idp)),
        Ok(())
    );
}

#[test]
fn logout_redirects_must_be_signed_by_the_idp() {
    let idp = idp();
    let xml = idp_response("_out1", SLO, IDP_ENTITY, SUCCESS);
    // Signed by another key.
    assert_eq!(
        verify_redirect(
            &query("SAMLResponse", &xml, Some("relay"), Some(ATTACKER_KEY)),
            &idp
        ),
        Err(Error::BadSignature(
            "the redirect signature does not verify".into()
        ))
    );
    // Unsigned.
    assert_eq!(
        verify_redirect(&query("SAMLResponse", &xml, Some("relay"), None), &idp),
        Err(Error::Unsigned)
    );
    // A signed redirect whose RelayState (or message) was changed.
    let signed = response_query(&xml);
    assert!(matches!(
        verify_redirect(
            &signed.replace("RelayState=relay", "RelayState=other"),
            &idp
        ),
        Err(Error::BadSignature(_))
    ));
    let other = response_query(&idp_response("_out2", SLO, IDP_ENTITY, SUCCESS));
    let forged = format!(
        "{}&{}",
        other.split('&').next().unwrap(),
        signed.split_once('&').unwrap().1
    );
    assert!(matches!(
        verify_redirect(&forged, &idp),
        Err(Error::BadSignature(_))
    ));
    // SHA-1, and repeated parameters.
    let sha1 = signed.replace(
        "SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256",
        "SigAlg=http%3A%2F%2Fwww.w3.org%2F2000%2F09%2Fxmldsig%23rsa-sha1",
    );
    assert_eq!(
        verify_redirect(&sha1, &idp),
        Err(Error::BadSignature(
            "algorithm http://www.w3.org/2000/09/xmldsig#rsa-sha1 is not allowed".into()
        ))
    );
    assert_eq!(
        verify_redirect(&format!("{signed}&RelayState=x"), &idp),
        Err(Error::Structure("a repeated redirect parameter"))
    );
    assert_eq!(
        verify_redirect("RelayState=x", &idp),
        Err(Error::Structure("no SAML message"))
    );
}

#[test]
fn logout_responses_must_answer_our_request_for_us() {
    let idp = idp();
    let e = expected(&idp);
    let check = |xml: &str, id: &str| validate_logout_response(xml, id, &e);
    assert_eq!(
        check(&idp_response("_out1", SLO, IDP_ENTITY, SUCCESS), "_out2"),
        Err(Error::InResponseTo)
    );
    assert_eq!(
        check(
            &idp_response("_out1", SLO, IDP_ENTITY, SUCCESS)
                .replace(r#" InResponseTo="_out1""#, ""),
            "_out1"
        ),
        Err(Error::InResponseTo)
    );
    assert_eq!(
        check(
            &idp_response(
                "_out1",
                "https://evil.example/saml2/logout",
                IDP_ENTITY,
                SUCCESS
            ),
            "_out1"
        ),
        Err(Error::WrongDestination)
    );
    assert_eq!(
        check(
            &idp_response("_out1", SLO, "https://evil.example", SUCCESS),
            "_out1"
        ),
        Err(Error::WrongIssuer)
    );
    let denied = "urn:oasis:names:tc:SAML:2.0:status:Requester";
    assert_eq!(
        check(&idp_response("_out1", SLO, IDP_ENTITY, denied), "_out1"),
        Err(Error::Status(denied.into()))
    );
    let stale = idp_response("_out1", SLO, IDP_ENTITY, SUCCESS)
        .replace("2026-12-02T18:16:00Z", "2026-12-02T10:00:00Z");
    assert_eq!(check(&stale, "_out1"), Err(Error::Expired));
    let future = idp_response("_out1", SLO, IDP_ENTITY, SUCCESS)
        .replace("2026-12-02T18:16:00Z", "2026-12-02T19:00:00Z");
    assert_eq!(check(&future, "_out1"), Err(Error::NotYetValid));
    assert_eq!(
        check(
            &idp_response("_out1", SLO, IDP_ENTITY, SUCCESS)
                .replace("LogoutResponse", "LogoutRequest"),
            "_out1"
        ),
        Err(Error::Structure("not the logout message expected"))
    );
    assert_eq!(check("<!DOCTYPE x><x/>", "_out1"), Err(Error::Dtd));
}

#[test]
fn idp_initiated_logout_requests_are_read_and_answered() {
    let idp = idp();
    let xml = format!(
        r#"<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_in1" Version="2.0" IssueInstant="2026-12-02T18:16:00Z" NotOnOrAfter="2026-12-02T18:21:00Z" Destination="{SLO}"><saml:Issuer>{IDP_ENTITY}</saml:Issuer><saml:NameID>alice@example.com</saml:NameID><samlp:SessionIndex>_s1</samlp:SessionIndex></samlp:LogoutRequest>"#
    );
    let got = verify_redirect(&query("SAMLRequest", &xml, None, Some(IDP_KEY)), &idp).unwrap();
    assert_eq!(got.kind, MessageKind::Request);
    assert_eq!(got.relay_state, None);
    let request = validate_logout_request(&got.xml, &expected(&idp)).unwrap();
    assert_eq!(request.id, "_in1");
    assert_eq!(request.name_id, "alice@example.com");
    assert_eq!(request.session_indexes, ["_s1"]);
    let mut late = expected(&idp);
    late.now = NOW + 3600;
    assert_eq!(validate_logout_request(&xml, &late), Err(Error::Expired));
    assert_eq!(
        validate_logout_request(
            &xml.replace("<saml:NameID>alice@example.com</saml:NameID>", ""),
            &expected(&idp)
        ),
        Err(Error::Structure("a LogoutRequest without NameID"))
    );
    assert_eq!(
        validate_logout_request(
            &xml.replace("alice@example.com<", "alice@example.com<!---->.evil<"),
            &expected(&idp)
        ),
        Err(Error::CommentInValue)
    );

    // Our answer, signed, to the IdP's logout service.
    let answer = LogoutResponse {
        id: "_ans1",
        issue_instant: NOW,
        sp_entity_id: SP_ENTITY,
        destination: "https://idp.example/slo",
        in_response_to: &request.id,
    };
    let url = answer
        .redirect_url(None, &SpKey::from_pem(SP_KEY).unwrap())
        .unwrap();
    let mut us = idp.clone();
    us.signing_certificates = vec![pem_der(SP_CERT)];
    let back = verify_redirect(url.split_once('?').unwrap().1, &us).unwrap();
    assert_eq!(back.kind, MessageKind::Response);
    assert!(back.xml.contains(r#"InResponseTo="_in1""#));
    assert!(back.xml.contains(SUCCESS));
}
