//! JSON logs on stderr: one object per line; a request's line carries its request id (echoed
//! from `x-request-id` / `X-Amzn-Trace-Id`, as the `x-amzn-RequestId` answer header says),
//! operation, pool and client; and no secret at any level: passwords, codes, tokens, the admin
//! secret and the master key never appear.

use aws_sdk_cognitoidentityprovider::types::AuthFlowType;
use serde_json::Value;

use crate::process::{self, ADMIN_SECRET, Launch};

const SENTINEL: &str = "Sentinel-Pa55word-Zq9!";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_logs_carry_request_ids_and_no_secret() {
    let dir = process::data_dir("logs");
    let server = Launch::admin(&[
        "--data-dir",
        dir.to_str().unwrap(),
        "--log-format",
        "json",
        "--log-level",
        "debug,userpool=trace,userpool_http=trace,userpool_server=trace,userpool_store_sql=trace",
    ])
    .start();
    let (pool, client) = process::pool_and_client(&server.sdk, false).await;
    server
        .sdk
        .sign_up()
        .client_id(&client)
        .username("alice")
        .password(SENTINEL)
        .user_attributes(
            aws_sdk_cognitoidentityprovider::types::AttributeType::builder()
                .name("email")
                .value("alice@example.com")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let code = server.code(&pool, "alice").await;
    server
        .sdk
        .confirm_sign_up()
        .client_id(&client)
        .username("alice")
        .confirmation_code(&code)
        .send()
        .await
        .unwrap();
    let tokens = server
        .sdk
        .initiate_auth()
        .client_id(&client)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "alice")
        .auth_parameters("PASSWORD", SENTINEL)
        .send()
        .await
        .unwrap()
        .authentication_result
        .unwrap();
    let access = tokens.access_token().unwrap().to_owned();
    let refresh = tokens.refresh_token().unwrap().to_owned();
    server
        .sdk
        .get_user()
        .access_token(&access)
        .send()
        .await
        .unwrap();

    // A caller's request id is echoed in the answer and the log line.
    let answer = server
        .http
        .post(&server.endpoint)
        .header("x-amz-target", "AWSCognitoIdentityProviderService.InitiateAuth")
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-request-id", "caller-chose-this-id")
        .body(format!(
            r#"{{"ClientId":"{client}","AuthFlow":"USER_PASSWORD_AUTH","AuthParameters":{{"USERNAME":"alice","PASSWORD":"{SENTINEL}"}}}}"#
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 200);
    assert_eq!(answer.headers()["x-amzn-requestid"], "caller-chose-this-id");
    let trace = server
        .http
        .get(format!("{}/health/live", server.endpoint))
        .header(
            "x-amzn-trace-id",
            "Root=1-5759e988-bd862e3fe1be46a994272793",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        trace.headers()["x-amzn-requestid"],
        "Root=1-5759e988-bd862e3fe1be46a994272793"
    );
    let fresh = server.get("/health/live").await;
    assert_eq!(fresh.0, 200);

    let master_key = std::fs::read_to_string(dir.join("master.key")).unwrap();
    let (status, stderr) = {
        server.sigterm();
        server.exited().await
    };
    assert!(status.success(), "{stderr}");
    let mut request_lines = 0;
    let mut found_echo = false;
    for line in stderr.lines() {
        let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        if v["fields"]["message"] == "answered" && v["span"]["name"] == "request" {
            request_lines += 1;
            assert!(v["span"]["request_id"].is_string(), "{line}");
            if v["span"]["request_id"] == "caller-chose-this-id" {
                found_echo = true;
                assert_eq!(v["span"]["operation"], "InitiateAuth", "{line}");
                assert_eq!(v["span"]["pool"], pool.as_str(), "{line}");
                assert_eq!(v["span"]["client"], client.as_str(), "{line}");
                assert_eq!(v["fields"]["outcome"], "Success", "{line}");
            }
        }
    }
    assert!(found_echo && request_lines >= 6, "{stderr}");
    for secret in [
        SENTINEL,
        code.as_str(),
        access.as_str(),
        refresh.as_str(),
        ADMIN_SECRET,
        master_key.trim(),
    ] {
        assert!(!stderr.contains(secret), "a secret reached the logs");
    }
    // Nor a token's signature or payload alone.
    for part in access.split('.').skip(1) {
        assert!(!stderr.contains(part), "part of a token reached the logs");
    }
}
