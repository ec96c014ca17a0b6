//! Existing Lambda functions, unchanged: the AWS Lambda Invoke API
//! (`POST /2015-03-31/functions/{FunctionName}/invocations`) against real Lambda,
//! `sam local start-lambda`, serverless-offline or LocalStack, SigV4-signed when credentials
//! are given.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use serde_json::Value;

use crate::credentials::AwsCredentials;
use crate::error::HandlerError;
use crate::handler::TriggerHandler;

/// Largest response read (Lambda's synchronous payload limit).
pub const MAX_RESPONSE_BYTES: usize = 6 * 1024 * 1024;

/// Where and how to invoke functions.
#[derive(Debug, Clone)]
pub struct LambdaClient {
    endpoint: String,
    region: String,
    credentials: Option<AwsCredentials>,
    http: reqwest::Client,
}

impl LambdaClient {
    /// A client for `endpoint` (e.g. `https://lambda.us-east-1.amazonaws.com` or
    /// `http://127.0.0.1:3001` for `sam local start-lambda`) in `region`.
    pub fn new(
        endpoint: impl Into<String>,
        region: impl Into<String>,
        credentials: Option<AwsCredentials>,
    ) -> Result<Self, HandlerError> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .build()
            .map_err(|e| HandlerError::Unreachable(format!("HTTP client: {e}")))?;
        Ok(Self {
            endpoint: endpoint.into().trim_end_matches('/').to_owned(),
            region: region.into(),
            credentials,
            http,
        })
    }

    /// A handler that invokes the function named by `arn` (or a bare function name).
    pub fn function(&self, arn: &str) -> Arc<dyn TriggerHandler> {
        let (name, qualifier) = function_name(arn);
        let mut url = format!(
            "{}/2015-03-31/functions/{}/invocations",
            self.endpoint,
            encode_path(&name)
        );
        if let Some(q) = qualifier {
            url.push_str("?Qualifier=");
            url.push_str(&encode_path(&q));
        }
        Arc::new(LambdaFunction {
            client: self.clone(),
            url,
        })
    }

    /// Signs a request's headers with SigV4 (service `lambda`), at `time`.
    fn signed_headers(
        &self,
        url: &str,
        headers: &[(&str, String)],
        body: &[u8],
        time: SystemTime,
    ) -> Result<Vec<(String, String)>, HandlerError> {
        let Some(creds) = &self.credentials else {
            return Ok(Vec::new());
        };
        let identity = Credentials::new(
            &creds.access_key_id,
            &creds.secret_access_key,
            creds.session_token.clone(),
            None,
            "userpool",
        )
        .into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(&self.region)
            .name("lambda")
            .time(time)
            .settings(SigningSettings::default())
            .build()
            .map_err(|e| HandlerError::Unreachable(format!("SigV4: {e}")))?
            .into();
        let request = SignableRequest::new(
            "POST",
            url,
            headers.iter().map(|(k, v)| (*k, v.as_str())),
            SignableBody::Bytes(body),
        )
        .map_err(|e| HandlerError::Unreachable(format!("SigV4: {e}")))?;
        let (instructions, _) = sign(request, &params)
            .map_err(|e| HandlerError::Unreachable(format!("SigV4: {e}")))?
            .into_parts();
        Ok(instructions
            .headers()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect())
    }
}

/// `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]` → name and qualifier;
/// anything else is taken as the function name.
pub fn function_name(arn: &str) -> (String, Option<String>) {
    let parts: Vec<&str> = arn.split(':').collect();
    match parts.as_slice() {
        ["arn", _, "lambda", _, _, "function", name] => ((*name).to_owned(), None),
        ["arn", _, "lambda", _, _, "function", name, qualifier] => {
            ((*name).to_owned(), Some((*qualifier).to_owned()))
        }
        _ => (arn.to_owned(), None),
    }
}

fn encode_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

struct LambdaFunction {
    client: LambdaClient,
    url: String,
}

#[async_trait]
impl TriggerHandler for LambdaFunction {
    async fn handle(&self, event: Value) -> Result<Value, HandlerError> {
        let body = serde_json::to_vec(&event)
            .map_err(|e| HandlerError::Unreachable(format!("event encoding: {e}")))?;
        let host = reqwest::Url::parse(&self.url)
            .ok()
            .and_then(|u| {
                u.host_str().map(|h| {
                    u.port()
                        .map_or_else(|| h.to_owned(), |p| format!("{h}:{p}"))
                })
            })
            .ok_or_else(|| HandlerError::Unreachable("invalid Lambda endpoint URL".into()))?;
        let headers = vec![
            ("host", host),
            ("content-type", "application/json".to_owned()),
            ("x-amz-invocation-type", "RequestResponse".to_owned()),
        ];
        let signed = self
            .client
            .signed_headers(&self.url, &headers, &body, SystemTime::now())?;
        let mut request = self.client.http.post(&self.url).body(body);
        for (k, v) in headers.iter().filter(|(k, _)| *k != "host") {
            request = request.header(*k, v);
        }
        for (k, v) in &signed {
            request = request.header(k.as_str(), v.as_str());
        }
        let response = request.send().await.map_err(|e| {
            HandlerError::Unreachable(format!("Lambda invoke: {}", e.without_url()))
        })?;
        let status = response.status();
        let function_error = response.headers().contains_key("x-amz-function-error");
        if let Some(len) = response.content_length()
            && len > MAX_RESPONSE_BYTES as u64
        {
            return Err(HandlerError::InvalidResponse(
                "response is larger than 6 MB".into(),
            ));
        }
        let bytes = response.bytes().await.map_err(|e| {
            HandlerError::Unreachable(format!("Lambda invoke: {}", e.without_url()))
        })?;
        if bytes.len() > MAX_RESPONSE_BYTES {
            return Err(HandlerError::InvalidResponse(
                "response is larger than 6 MB".into(),
            ));
        }
        if !status.is_success() {
            return Err(HandlerError::Unreachable(format!(
                "Lambda invoke answered HTTP {}",
                status.as_u16()
            )));
        }
        if function_error {
            let message = serde_json::from_slice::<Value>(&bytes)
                .ok()
                .and_then(|v| {
                    v.get("errorMessage")
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                })
                .unwrap_or_else(|| "Unhandled".to_owned());
            return Err(HandlerError::Failed(message));
        }
        serde_json::from_slice(&bytes)
            .map_err(|_| HandlerError::InvalidResponse("the function's answer is not JSON".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_names_from_arns() {
        assert_eq!(
            function_name("arn:aws:lambda:us-east-1:123456789012:function:PreSignUp"),
            ("PreSignUp".into(), None)
        );
        assert_eq!(
            function_name("arn:aws:lambda:us-east-1:123456789012:function:f:live"),
            ("f".into(), Some("live".into()))
        );
        assert_eq!(function_name("MyFunction"), ("MyFunction".into(), None));
        assert_eq!(encode_path("a:b/c d"), "a%3Ab%2Fc%20d");
        let debug = format!(
            "{:?}",
            AwsCredentials {
                access_key_id: "AKID".into(),
                secret_access_key: "SECRET".into(),
                session_token: None
            }
        );
        assert!(!debug.contains("SECRET"));
    }
}
