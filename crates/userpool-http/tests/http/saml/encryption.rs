//! `EncryptedResponses` with samlify encrypting its assertions to the encryption certificate
//! of our SP metadata (RSA-OAEP key transport, AES-256-CBC or AES-128-GCM content): the
//! chain ends with tokens; a changed ciphertext is refused, and so is a plain assertion once
//! the provider requires encryption.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use userpool_testkit::oauth::{CALLBACK, location, param};

use super::{PROVIDER, Setup, browser, post_to_acs, redeem, setup, setup_with, to_idp_and_back};

async fn require_encryption(s: &Setup) {
    s.server
        .sdk
        .update_identity_provider()
        .user_pool_id(&s.pool)
        .provider_name(PROVIDER)
        .provider_details("MetadataURL", format!("{}/metadata", s.idp.base))
        .provider_details("EncryptedResponses", "true")
        .send()
        .await
        .expect("UpdateIdentityProvider");
}

fn refused_to_app(answer: &reqwest::Response) {
    assert_eq!(answer.status(), 302);
    let to_app = location(answer);
    assert!(to_app.starts_with(CALLBACK), "{to_app}");
    assert_eq!(param(&to_app, "error").as_deref(), Some("invalid_request"));
    assert!(param(&to_app, "code").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn samlify_encrypted_assertions_sign_users_in() {
    for content in [
        "http://www.w3.org/2001/04/xmlenc#aes256-cbc",
        "http://www.w3.org/2009/xmlenc11#aes128-gcm",
    ] {
        let s = setup_with(false, Some(content)).await;
        require_encryption(&s).await;
        let browser = browser();
        let (posted, verifier) = to_idp_and_back(&s, &browser, "erin").await;
        let xml =
            String::from_utf8(STANDARD.decode(&posted.response).expect("base64")).expect("xml");
        assert!(
            xml.contains("EncryptedAssertion") && xml.contains(content),
            "{xml}"
        );
        assert!(
            !xml.contains("erin@example.com"),
            "the assertion is not in clear"
        );
        let answer = post_to_acs(&browser, &posted).await;
        assert_eq!(
            answer.status(),
            302,
            "{}",
            answer.text().await.unwrap_or_default()
        );
        let id = redeem(&s, &location(&answer), &verifier).await;
        assert_eq!(
            id["cognito:username"],
            format!("{PROVIDER}_erin@example.com")
        );

        // One character of the content's ciphertext changed.
        let (mut posted, _) = to_idp_and_back(&s, &browser, "mallory").await;
        let xml =
            String::from_utf8(STANDARD.decode(&posted.response).expect("base64")).expect("xml");
        let at = xml.rfind("CipherValue>").expect("ciphertext") + 40;
        let mut bytes = xml.into_bytes();
        bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
        posted.response = STANDARD.encode(bytes);
        refused_to_app(&post_to_acs(&browser, &posted).await);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_assertion_is_refused_when_encryption_is_required() {
    let s = setup(false).await;
    let browser = browser();
    require_encryption(&s).await;

    // DescribeIdentityProvider shows what Cognito computes: the IdP's redirect endpoints and
    // the pool's encryption certificate (the one of the SP metadata); sent back, they are
    // ignored.
    let described = s
        .server
        .sdk
        .describe_identity_provider()
        .user_pool_id(&s.pool)
        .provider_name(PROVIDER)
        .send()
        .await
        .expect("DescribeIdentityProvider")
        .identity_provider
        .and_then(|p| p.provider_details)
        .expect("details");
    assert_eq!(
        described["SSORedirectBindingURI"],
        format!("{}/sso", s.idp.base)
    );
    assert_eq!(
        described["SLORedirectBindingURI"],
        format!("{}/slo", s.idp.base)
    );
    let metadata = reqwest::get(format!(
        "{}/saml2/metadata?user_pool_id={}",
        s.server.endpoint, s.pool
    ))
    .await
    .expect("metadata")
    .text()
    .await
    .expect("xml");
    let certificate = &described["ActiveEncryptionCertificate"];
    assert!(
        metadata.contains(&format!(
            r#"<md:KeyDescriptor use="encryption"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>{certificate}<"#
        )),
        "{metadata}"
    );
    s.server
        .sdk
        .update_identity_provider()
        .user_pool_id(&s.pool)
        .provider_name(PROVIDER)
        .set_provider_details(Some(described.clone()))
        .send()
        .await
        .expect("UpdateIdentityProvider with the described details");

    let (posted, _) = to_idp_and_back(&s, &browser, "frank").await;
    refused_to_app(&post_to_acs(&browser, &posted).await);
}
