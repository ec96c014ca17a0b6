//! A JSON webhook for SMS (or any message): `POST` of
//! `{"pool_id","username","destination","medium","kind","subject","body","sent_at"}` to a
//! configured URL, signed with HMAC-SHA256 under a shared secret.
//!
//! # The signature
//!
//! Header [`SIGNATURE_HEADER`] (`X-Userpool-Signature`) is `t=<unix seconds>,v1=<hex>`, where
//! `<hex>` is the lowercase hex HMAC-SHA256, keyed by the secret's UTF-8 bytes, of
//! `"<t>." || <the raw request body>`. A receiver recomputes it over the bytes it received,
//! compares in constant time, and rejects a `t` older than a few minutes (replays). In
//! Python:
//!
//! ```python
//! import hashlib, hmac, time
//! def verify(secret: bytes, header: str, body: bytes, tolerance=300) -> bool:
//!     parts = dict(p.split("=", 1) for p in header.split(","))
//!     expected = hmac.new(secret, parts["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
//!     return hmac.compare_digest(expected, parts["v1"]) and abs(time.time() - int(parts["t"])) <= tolerance
//! ```
//!
//! Any 2xx answer is success; anything else, a timeout or a refused connection is a failure
//! (retried by a [`DeliveryQueue`](crate::DeliveryQueue) around it).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use userpool::{DeliveryFailure, Message, MessageSender};
use zeroize::Zeroizing;

use crate::error::Error;

/// The signature header.
pub const SIGNATURE_HEADER: &str = "X-Userpool-Signature";

/// Posts messages to a webhook.
#[derive(Clone)]
pub struct WebhookSender {
    url: String,
    secret: Zeroizing<Vec<u8>>,
    http: reqwest::Client,
}

impl std::fmt::Debug for WebhookSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookSender")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl WebhookSender {
    /// A sender posting to `url` (http or https), signing with `secret`, giving up on a call
    /// after `timeout`.
    pub fn new(url: &str, secret: &[u8], timeout: Duration) -> Result<Self, Error> {
        url::Url::parse(url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| Error::Config("the webhook URL must be http(s)".into()))?;
        if secret.is_empty() {
            return Err(Error::Config("the webhook secret is empty".into()));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5).min(timeout))
            .timeout(timeout)
            .build()
            .map_err(|e| Error::Config(format!("HTTP client: {e}")))?;
        Ok(Self {
            url: url.to_owned(),
            secret: Zeroizing::new(secret.to_vec()),
            http,
        })
    }

    /// The body posted for `message`.
    pub fn payload(message: &Message) -> Zeroizing<Vec<u8>> {
        let value = serde_json::json!({
            "pool_id": message.pool_id,
            "username": message.username,
            "destination": message.destination,
            "medium": message.delivery_medium.as_str(),
            "kind": message.kind.as_str(),
            "subject": message.subject,
            "body": message.body,
            "sent_at": message.sent_at,
        });
        Zeroizing::new(serde_json::to_vec(&value).unwrap_or_default())
    }

    /// The [`SIGNATURE_HEADER`] value for `body` at `timestamp`.
    pub fn signature(&self, timestamp: i64, body: &[u8]) -> String {
        signature(&self.secret, timestamp, body)
    }
}

/// `t=<timestamp>,v1=<hex HMAC-SHA256(secret, "<timestamp>." || body)>`.
pub fn signature(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret)
        .unwrap_or_else(|_| <Hmac<Sha256> as KeyInit>::new(&Default::default()));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let tag = mac.finalize().into_bytes();
    let hex: String = tag.iter().map(|b| format!("{b:02x}")).collect();
    format!("t={timestamp},v1={hex}")
}

#[async_trait]
impl MessageSender for WebhookSender {
    async fn send(&self, message: Message) -> Result<(), DeliveryFailure> {
        let body = Self::payload(&message);
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        let response = self
            .http
            .post(&self.url)
            .header("content-type", "application/json")
            .header(SIGNATURE_HEADER, self.signature(now, &body))
            .body(body.to_vec())
            .send()
            .await
            .map_err(|e| Error::Unreachable {
                service: "webhook",
                reason: e.without_url().to_string(),
            })?;
        let status = response.status();
        if !status.is_success() {
            return Err(Error::Rejected {
                service: "webhook",
                reason: format!("HTTP {}", status.as_u16()),
            }
            .into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_known_answer() {
        // python3 -c 'import hmac,hashlib;print(hmac.new(b"key",b"1700000000.{}",hashlib.sha256).hexdigest())'
        assert_eq!(
            signature(b"key", 1_700_000_000, b"{}"),
            "t=1700000000,v1=9d713ed406bb7076d4123f0dc2c39d2df5c654ed4b0cd56b52c8b4c940bd63ae"
        );
    }
}
