//! ★ Log scrub: a full scenario traced at TRACE with sentinel secrets; no secret appears in
//! the logs, in any error, or in the `Debug` of any request or response.

use std::io::Write;
use std::sync::{Arc, Mutex};

use userpool::wire::*;

use super::support::*;

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

const SENTINEL: &str = "Sentinel-Pa55word-Zq9!";
const NEW_SENTINEL: &str = "Sentinel-N3w-Pa55-Xk7!";

#[test]
fn no_secret_reaches_logs_errors_or_debug() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .without_time()
        .finish();
    let mut secrets: Vec<String> = vec![SENTINEL.into(), NEW_SENTINEL.into()];
    let mut shown = String::new();
    // The global default, not a scoped one: tracing caches each callsite's interest
    // process-wide, and a callsite first reached by a concurrently running test under no
    // subscriber would otherwise stay silent here. Setting the global default rebuilds every
    // cached interest; other tests' events land in the capture too, which is harmless.
    tracing::subscriber::set_global_default(subscriber).expect("the only global subscriber");
    {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let mut w = world!();
            let pool = w.pool().await;
            let client = w
                .client_with(&pool, |c| c.generate_secret = false)
                .await
                .client_id;
            let secret_client = w.client_with(&pool, |c| c.generate_secret = true).await;
            secrets.push(
                secret_client
                    .client_secret
                    .as_ref()
                    .unwrap()
                    .expose_secret()
                    .to_owned(),
            );
            shown.push_str(&format!("{secret_client:?}"));

            w.user(&client, "alice", SENTINEL).await;
            secrets.extend(
                w.outbox
                    .messages_for(&pool, "alice")
                    .into_iter()
                    .map(|m| m.code.clone()),
            );
            let signed_in = w
                .srp_sign_in(&client, "alice", SENTINEL)
                .await
                .expect("sign in");
            shown.push_str(&format!("{signed_in:?}"));
            let t = tokens(&signed_in).clone();
            for s in [
                &t.access_token,
                &t.id_token,
                t.refresh_token.as_ref().unwrap(),
            ] {
                secrets.push(s.expose_secret().to_owned());
            }
            let errors = [
                w.srp_sign_in(&client, "alice", "Wrong-Sentinel-9!")
                    .await
                    .err(),
                w.password_sign_in(&client, "alice", "Wrong-Sentinel-9!")
                    .await
                    .err(),
                w.password_sign_in(&client, "ghost", SENTINEL).await.err(),
            ];
            secrets.push("Wrong-Sentinel-9!".into());
            let refreshed = w
                .service
                .tokens().get_tokens_from_refresh_token(GetTokensFromRefreshTokenRequest {
                    client_id: client.clone(),
                    refresh_token: t.refresh_token.clone().unwrap(),
                    ..Default::default()
                })
                .await
                .expect("refresh");
            shown.push_str(&format!("{refreshed:?}"));
            let change = ChangePasswordRequest {
                access_token: t.access_token.clone(),
                previous_password: SENTINEL.into(),
                proposed_password: NEW_SENTINEL.into(),
            };
            shown.push_str(&format!("{change:?}"));
            w.service.accounts().change_password(change).await.expect("change");
            w.service
                .accounts().forgot_password(ClientUserRequest {
                    client_id: client.clone(),
                    username: "alice".into(),
                    ..Default::default()
                })
                .await
                .expect("forgot");
            let code = w.outbox.last_code(&pool, "alice").unwrap();
            secrets.push(code.clone());
            let confirm = ConfirmForgotPasswordRequest {
                client_id: client.clone(),
                username: "alice".into(),
                confirmation_code: code.as_str().into(),
                password: SENTINEL.into(),
                ..Default::default()
            };
            shown.push_str(&format!("{confirm:?}"));
            w.service
                .accounts().confirm_forgot_password(confirm)
                .await
                .expect("reset");
            let created = AdminCreateUserRequest {
                user_pool_id: pool.clone(),
                username: "bob".into(),
                temporary_password: Some(NEW_SENTINEL.into()),
                message_action: Some("SUPPRESS".into()),
                ..Default::default()
            };
            shown.push_str(&format!("{created:?}"));
            w.service.accounts().admin_create_user(created).await.expect("bob");
            let challenge = w
                .password_sign_in(&client, "bob", NEW_SENTINEL)
                .await
                .expect("challenge");
            secrets.push(
                challenge
                    .session
                    .as_ref()
                    .unwrap()
                    .expose_secret()
                    .to_owned(),
            );
            shown.push_str(&format!("{challenge:?}"));
            let answer = RespondToAuthChallengeRequest {
                client_id: client.clone(),
                challenge_name: "NEW_PASSWORD_REQUIRED".into(),
                session: challenge.session.clone(),
                challenge_responses: SecretMap::of(&[
                    ("USERNAME", "bob"),
                    ("NEW_PASSWORD", SENTINEL),
                ]),
                ..Default::default()
            };
            shown.push_str(&format!("{answer:?}"));
            w.service
                .sign_in().respond_to_auth_challenge(answer)
                .await
                .expect("tokens");
            // The hosted domain: bob signs in at the hosted UI, the code is redeemed with PKCE.
            w.service
                .admin().create_user_pool_domain(UserPoolDomainRequest {
                    domain: "log-scrub".into(),
                    user_pool_id: pool.clone(),
                    ..Default::default()
                })
                .await
                .expect("domain");
            let web = w
                .client_with(&pool, |c| {
                    c.allowed_oauth_flows_user_pool_client = true;
                    c.allowed_oauth_flows = vec!["code".into()];
                    c.allowed_oauth_scopes = vec!["openid".into()];
                    c.callback_urls = vec!["https://app.example.com/cb".into()];
                })
                .await
                .client_id;
            let verifier = "Sentinel-Verifier-0123456789-abcdefghijklmnopqrstu";
            secrets.push(verifier.into());
            let hosted = w
                .service
                .hosted().hosted_request(
                    &format!(
                        "response_type=code&client_id={web}&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&code_challenge={}&code_challenge_method=S256",
                        s256(verifier)
                    ),
                    None,
                )
                .await
                .expect("hosted request");
            shown.push_str(&format!("{hosted:?}"));
            let step = w
                .service
                .hosted().hosted_sign_in(&hosted, "bob", &SENTINEL.into())
                .await
                .expect("hosted sign-in");
            shown.push_str(&format!("{step:?}"));
            let HostedStep::SignedIn { session, location } = step else {
                panic!("signed in");
            };
            secrets.push(session.cookie.expose_secret().to_owned());
            let code = location
                .split_once("code=")
                .map(|(_, c)| c.to_owned())
                .expect("code");
            secrets.push(code.clone());
            let wrong = w
                .service
                .hosted().hosted_sign_in(&hosted, "bob", &"Wrong-Sentinel-9!".into())
                .await
                .expect_err("wrong password");
            shown.push_str(&format!("{wrong:?} {wrong}"));
            let body = format!(
                "grant_type=authorization_code&client_id={web}&code={code}&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&code_verifier={verifier}"
            );
            let oauth = w
                .service
                .hosted().oauth_token(body.as_bytes(), &ClientAuthentication::default(), None)
                .await
                .expect("token");
            shown.push_str(&format!("{oauth:?}"));
            secrets.push(oauth.access_token.expose_secret().to_owned());
            secrets.push(oauth.refresh_token.as_ref().unwrap().expose_secret().to_owned());
            let again = w
                .service
                .hosted().oauth_token(body.as_bytes(), &ClientAuthentication::default(), None)
                .await
                .expect_err("reused");
            shown.push_str(&format!("{again:?}"));

            for e in errors.into_iter().flatten() {
                shown.push_str(&format!("{e:?} {e}"));
            }
            shown.push_str(&format!("{:?}", w.outbox.messages_for(&pool, "alice")));
        });
    }
    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).expect("utf8");
    assert!(
        logs.contains("userpool::audit"),
        "the scenario was traced:\n{logs}"
    );
    assert!(logs.contains("HIDDEN_DUE_TO_SECURITY_REASONS"));
    // Usernames are masked too (CloudTrail hides USERNAME); the audit trail names the `sub`.
    assert!(
        !logs.contains("alice") && !logs.contains("bob"),
        "a username reached the logs"
    );
    for secret in &secrets {
        assert!(!leaks(&logs, secret), "a secret reached the logs");
        assert!(
            !leaks(&shown, secret),
            "a secret reached an error or a Debug rendering"
        );
    }
}

/// PKCE's S256 of `verifier`.
fn s256(verifier: &str) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(verifier.as_bytes()))
}

/// Whether `secret` occurs in `text`; a numeric code counts only as a whole number (so a
/// six-digit code is not "found" inside a timestamp or a port).
fn leaks(text: &str, secret: &str) -> bool {
    if !secret.bytes().all(|b| b.is_ascii_digit()) {
        return text.contains(secret);
    }
    text.match_indices(secret).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + secret.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_ascii_digit())
    })
}
