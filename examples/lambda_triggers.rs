//! Existing Lambda code, unchanged: the pool's `LambdaConfig` names functions by ARN, a tiny
//! local Invoke-API shim (`examples/lambda/invoke_shim.js`, Node.js) runs the plain handler
//! file `examples/lambda/handler.js` (`exports.handler = async (event) => …`), and the
//! service invokes it exactly as Cognito invokes Lambda.
//!
//! ```sh
//! cargo run --example lambda-triggers     # needs `node` on PATH
//! ```

use std::error::Error;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use custom_auth_triggers::{LambdaClient, TriggerRegistry};
use userpool::wire::*;
use userpool::{MasterKey, Service};
use userpool_store::MemoryStore;

const ARN: &str = "arn:aws:lambda:us-east-1:000000000000:function:handler";

/// The shim, killed when dropped.
struct Shim(Child);

impl Drop for Shim {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_shim() -> Result<(Shim, u16), Box<dyn Error>> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("lambda/invoke_shim.js");
    let mut child = Command::new("node")
        .arg(script)
        .arg("0")
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start `node` (install Node.js): {e}"))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let shim = Shim(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line)?;
    let port = line
        .trim()
        .strip_prefix("listening ")
        .and_then(|p| p.parse().ok())
        .ok_or_else(|| format!("unexpected shim output {line:?}"))?;
    Ok((shim, port))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    let (_shim, port) = start_shim()?;
    println!("1. Invoke-API shim for examples/lambda/handler.js on 127.0.0.1:{port}");

    let service =
        Service::builder(Arc::new(MemoryStore::new()), MasterKey::new(rand::random())).build()?;
    let lambda_config = [("PreSignUp", ARN), ("PreTokenGeneration", ARN)]
        .map(|(k, v)| (k.to_owned(), serde_json::Value::String(v.to_owned())))
        .into_iter()
        .collect();
    let pool = service
        .admin()
        .create_user_pool(UserPoolRequest {
            pool_name: "lambda".into(),
            lambda_config,
            ..Default::default()
        })
        .await?
        .user_pool;
    // The pool's LambdaConfig, pointed at the local endpoint instead of lambda.<region>.amazonaws.com.
    let client = LambdaClient::new(format!("http://127.0.0.1:{port}"), "us-east-1", None)?;
    // LambdaConfig members are ARNs, except the custom senders' `{LambdaArn, LambdaVersion}`.
    let functions: std::collections::BTreeMap<String, String> = pool
        .lambda_config
        .iter()
        .filter_map(|(k, v)| v.as_str().map(|arn| (k.clone(), arn.to_owned())))
        .collect();
    service.set_triggers(
        &pool.id,
        TriggerRegistry::from_lambda_config(&functions, &client)?,
    )?;
    println!(
        "2. pool {} with LambdaConfig {:?}",
        pool.id,
        pool.lambda_config.keys().collect::<Vec<_>>()
    );
    let app = service
        .admin()
        .create_user_pool_client(UserPoolClientRequest {
            user_pool_id: pool.id.clone(),
            client_name: Some("app".into()),
            explicit_auth_flows: Some(vec![
                "ALLOW_USER_PASSWORD_AUTH".into(),
                "ALLOW_REFRESH_TOKEN_AUTH".into(),
            ]),
            ..Default::default()
        })
        .await?
        .user_pool_client
        .client_id;

    let sign_up = |username: &str, email: &str| SignUpRequest {
        client_id: app.clone(),
        username: username.into(),
        password: "Corr3ct-Horse!".into(),
        user_attributes: vec![Attribute::new("email", email)],
        ..Default::default()
    };
    let refused = service
        .accounts()
        .sign_up(sign_up("eve", "eve@evil.test"))
        .await
        .err()
        .ok_or("eve was let in")?;
    println!(
        "3. eve@evil.test → {}: {}",
        refused.exception_name(),
        refused.message()
    );
    let alice = service
        .accounts()
        .sign_up(sign_up("alice", "alice@example.com"))
        .await?;
    println!(
        "4. alice@example.com → confirmed by PreSignUp: {}",
        alice.user_confirmed
    );

    let signed_in = service
        .sign_in()
        .initiate_auth(InitiateAuthRequest {
            client_id: app.clone(),
            auth_flow: "USER_PASSWORD_AUTH".into(),
            auth_parameters: SecretMap::of(&[
                ("USERNAME", "alice"),
                ("PASSWORD", "Corr3ct-Horse!"),
            ]),
            ..Default::default()
        })
        .await?;
    let tokens = signed_in.authentication_result.ok_or("expected tokens")?;
    let view = service.user_pool(&pool.id).await?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let claims = view.verify_id_token(tokens.id_token.expose_secret(), &app, now)?;
    println!(
        "5. signed in; PreTokenGeneration added department = {}",
        claims
            .get("department")
            .and_then(|v| v.as_str())
            .unwrap_or("?")
    );
    Ok(())
}
