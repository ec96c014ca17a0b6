//! TLS: a self-signed certificate made here (rcgen); the server speaks https only, a client
//! that trusts the certificate completes the handshake, and hosted-UI cookies are `Secure`.

use userpool_testkit::oauth::{self, CALLBACK};

use crate::process::{self, Server};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_with_a_self_signed_certificate() {
    let dir = process::data_dir("tls");
    let data = dir.to_str().unwrap();
    // A pool with a hosted domain and an app client, made over plain http first.
    let plain = Server::start(&["--data-dir", data]);
    let pool = oauth::pool_with_domain(&plain.sdk, "tls-test").await;
    let client = oauth::client(
        &plain.sdk,
        &pool,
        false,
        &[aws_sdk_cognitoidentityprovider::types::OAuthFlowType::Code],
        &["openid"],
        &[],
    )
    .await;
    plain.sigterm();
    assert!(plain.exited().await.0.success());

    let certified =
        rcgen::generate_simple_self_signed(vec!["localhost".into(), "127.0.0.1".into()])
            .expect("self-signed certificate");
    let cert = dir.join("cert.pem");
    let key = dir.join("key.pem");
    std::fs::write(&cert, certified.cert.pem()).unwrap();
    std::fs::write(&key, certified.signing_key.serialize_pem()).unwrap();
    let server = Server::start(&[
        "--data-dir",
        data,
        "--tls-cert",
        cert.to_str().unwrap(),
        "--tls-key",
        key.to_str().unwrap(),
    ]);
    assert!(
        server.endpoint.starts_with("https://127.0.0.1:"),
        "{}",
        server.endpoint
    );

    let trusting = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(certified.cert.pem().as_bytes()).unwrap()])
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let live = format!("{}/health/live", server.endpoint);
    assert_eq!(process::poll_status(&trusting, &live, 200).await, 200);
    let ready = trusting
        .get(format!("{}/health/ready", server.endpoint))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status().as_u16(), 200);
    assert_eq!(ready.version(), reqwest::Version::HTTP_11);

    // Hosted-UI cookies over TLS: Secure, with the __Host- prefix.
    let login = trusting
        .get(format!(
            "{}/login?response_type=code&client_id={}&redirect_uri={}",
            server.endpoint,
            client.id,
            oauth::encode(CALLBACK)
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status().as_u16(), 200);
    let cookies: Vec<String> = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert!(!cookies.is_empty());
    for cookie in &cookies {
        assert!(
            cookie.starts_with("__Host-") && cookie.contains("Secure"),
            "{cookie}"
        );
    }

    // A client that does not trust the certificate fails the handshake; plain http is not
    // served on the TLS port.
    let untrusting = reqwest::Client::builder()
        .tls_certs_only([])
        .build()
        .unwrap();
    assert!(untrusting.get(&live).send().await.is_err());
    let plain_url = live.replacen("https://", "http://", 1);
    assert!(
        reqwest::get(&plain_url).await.is_err(),
        "no plain http on the TLS port"
    );
    // And the server still answers after those failed handshakes.
    assert_eq!(
        trusting.get(&live).send().await.unwrap().status().as_u16(),
        200
    );
}
