//! A SigV4-signed HTTP client for AWS query, JSON and REST-JSON APIs (SNS, SES v2, KMS), at a
//! configurable endpoint: AWS itself, or a compatible service such as moto or LocalStack.

use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
pub use custom_auth_triggers::AwsCredentials;

use crate::error::Error;

/// Largest answer read from a service.
const MAX_ANSWER_BYTES: usize = 1024 * 1024;

/// Where a service is and how to sign for it.
#[derive(Debug, Clone)]
pub struct AwsEndpoint {
    /// e.g. `https://sns.us-east-1.amazonaws.com` or `http://127.0.0.1:5000`.
    pub url: String,
    /// The signing region (`us-east-1`).
    pub region: String,
    /// The signing credentials.
    pub credentials: AwsCredentials,
}

/// An answer: the HTTP status, AWS's error type header if any, and the body.
#[derive(Debug, Clone)]
pub struct AwsAnswer {
    /// The HTTP status.
    pub status: u16,
    /// `x-amzn-ErrorType` (REST-JSON errors), without its `:`-suffix.
    pub error_type: Option<String>,
    /// The body.
    pub body: Vec<u8>,
}

/// A signed client for one service (`sns`, `ses`, `kms`, …) at one endpoint.
#[derive(Debug, Clone)]
pub struct AwsClient {
    endpoint: AwsEndpoint,
    service: String,
    http: reqwest::Client,
}

impl AwsClient {
    /// A client for `service` (the SigV4 signing name) at `endpoint`, with a 5-second connect
    /// and `timeout` overall limit per call.
    pub fn new(endpoint: AwsEndpoint, service: &str, timeout: Duration) -> Result<Self, Error> {
        url::Url::parse(&endpoint.url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
            .ok_or_else(|| Error::Config(format!("{service} endpoint must be an http(s) URL")))?;
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(timeout)
            .build()
            .map_err(|e| Error::Config(format!("HTTP client: {e}")))?;
        Ok(Self {
            endpoint: AwsEndpoint {
                url: endpoint.url.trim_end_matches('/').to_owned(),
                ..endpoint
            },
            service: service.to_owned(),
            http,
        })
    }

    /// The signing region.
    pub fn region(&self) -> &str {
        &self.endpoint.region
    }

    /// POSTs `body` to `path` (`/`, `/v2/email/outbound-emails`, …) with `headers`, signed.
    pub async fn post(
        &self,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Result<AwsAnswer, Error> {
        let url = format!("{}{path}", self.endpoint.url);
        let parsed = url::Url::parse(&url)
            .map_err(|_| Error::Config(format!("{} endpoint URL", self.service)))?;
        let host = parsed
            .host_str()
            .map(|h| {
                parsed
                    .port()
                    .map_or_else(|| h.to_owned(), |p| format!("{h}:{p}"))
            })
            .ok_or_else(|| Error::Config(format!("{} endpoint URL", self.service)))?;
        let mut all: Vec<(&str, &str)> = vec![("host", host.as_str())];
        all.extend_from_slice(headers);
        let signed = self.sign(&url, &all, &body, SystemTime::now())?;
        let mut request = self.http.post(&url).body(body);
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        for (k, v) in &signed {
            request = request.header(k.as_str(), v.as_str());
        }
        let service = self.service_label();
        let response = request.send().await.map_err(|e| Error::Unreachable {
            service,
            reason: e.without_url().to_string(),
        })?;
        let status = response.status().as_u16();
        let error_type = response
            .headers()
            .get("x-amzn-errortype")
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(':').next().unwrap_or(v).to_owned());
        let body = response.bytes().await.map_err(|e| Error::Unreachable {
            service,
            reason: e.without_url().to_string(),
        })?;
        if body.len() > MAX_ANSWER_BYTES {
            return Err(Error::Rejected {
                service,
                reason: "the answer is too large".into(),
            });
        }
        Ok(AwsAnswer {
            status,
            error_type,
            body: body.to_vec(),
        })
    }

    fn service_label(&self) -> &'static str {
        match self.service.as_str() {
            "sns" => "SNS",
            "ses" => "SES",
            "kms" => "KMS",
            _ => "AWS",
        }
    }

    fn sign(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        body: &[u8],
        time: SystemTime,
    ) -> Result<Vec<(String, String)>, Error> {
        let creds = &self.endpoint.credentials;
        let identity = Credentials::new(
            &creds.access_key_id,
            &creds.secret_access_key,
            creds.session_token.clone(),
            None,
            "userpool-delivery",
        )
        .into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(&self.endpoint.region)
            .name(&self.service)
            .time(time)
            .settings(SigningSettings::default())
            .build()
            .map_err(|e| Error::Config(format!("SigV4: {e}")))?
            .into();
        let request = SignableRequest::new(
            "POST",
            url,
            headers.iter().copied(),
            SignableBody::Bytes(body),
        )
        .map_err(|e| Error::Config(format!("SigV4: {e}")))?;
        let (instructions, _) = sign(request, &params)
            .map_err(|e| Error::Config(format!("SigV4: {e}")))?
            .into_parts();
        Ok(instructions
            .headers()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect())
    }
}

/// The text of the first `<tag>…</tag>` in an XML answer (SNS's `MessageId`, `Code`).
pub(crate) fn xml_text<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}>");
    let start = xml.find(&open)? + open.len();
    let end = xml.get(start..)?.find(&format!("</{tag}>"))?;
    xml.get(start..start + end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_fields() {
        let xml = "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code></Error></ErrorResponse>";
        assert_eq!(xml_text(xml, "Code"), Some("InvalidParameter"));
        assert_eq!(xml_text(xml, "MessageId"), None);
    }

    #[test]
    fn endpoints_must_be_http_urls() {
        let endpoint = |url: &str| AwsEndpoint {
            url: url.into(),
            region: "us-east-1".into(),
            credentials: AwsCredentials {
                access_key_id: "AKID".into(),
                secret_access_key: "secret".into(),
                session_token: None,
            },
        };
        assert!(
            AwsClient::new(
                endpoint("http://127.0.0.1:5000/"),
                "sns",
                Duration::from_secs(1)
            )
            .is_ok()
        );
        assert_eq!(
            AwsClient::new(endpoint("ftp://x"), "sns", Duration::from_secs(1)).unwrap_err(),
            Error::Config("sns endpoint must be an http(s) URL".into())
        );
    }
}
