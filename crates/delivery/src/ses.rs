//! Amazon SES v2 `SendEmail` (`POST /v2/email/outbound-emails`, REST-JSON, SigV4 service
//! `ses`): simple content with a UTF-8 subject, the text body and, for HTML templates, the
//! HTML body; `From` and `Reply-To` from the message, else the configured default.

use std::time::Duration;

use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use lettre::message::Mailbox;
use serde_json::json;
use userpool::{DeliveryFailure, DeliveryMedium, Message, MessageSender};

use crate::aws::{AwsClient, AwsEndpoint};
use crate::error::Error;

/// Sends email through SES v2.
#[derive(Debug, Clone)]
pub struct SesSender {
    client: AwsClient,
    default_from: String,
    configuration_set: Option<String>,
}

impl SesSender {
    /// A sender at `endpoint` (e.g. `https://email.us-east-1.amazonaws.com`) sending from
    /// `default_from` (a verified identity) unless the message names its own From.
    pub fn new(endpoint: AwsEndpoint, default_from: &str) -> Result<Self, Error> {
        if !default_from.contains('@') {
            return Err(Error::Config("the default From must be an address".into()));
        }
        Ok(Self {
            client: AwsClient::new(endpoint, "ses", Duration::from_secs(10))?,
            default_from: default_from.to_owned(),
            configuration_set: None,
        })
    }

    /// Sends through this SES configuration set.
    #[must_use]
    pub fn configuration_set(mut self, name: &str) -> Self {
        self.configuration_set = Some(name.to_owned());
        self
    }

    /// Sends one email; the SES `MessageId`.
    pub async fn send_email(&self, message: &Message) -> Result<String, Error> {
        if message.delivery_medium != DeliveryMedium::Email {
            return Err(Error::WrongMedium {
                service: "SES",
                medium: "SMS",
            });
        }
        let mut body = serde_json::Map::new();
        body.insert(
            "Text".into(),
            json!({"Data": message.body, "Charset": "UTF-8"}),
        );
        if let Some(html) = &message.html_body {
            body.insert("Html".into(), json!({"Data": html, "Charset": "UTF-8"}));
        }
        let from = header_address(message.from.as_deref().unwrap_or(&self.default_from))?;
        let mut request = serde_json::Map::new();
        request.insert("FromEmailAddress".into(), json!(from));
        request.insert(
            "Destination".into(),
            json!({"ToAddresses": [message.destination]}),
        );
        request.insert(
            "Content".into(),
            json!({"Simple": {
                "Subject": {"Data": message.subject, "Charset": "UTF-8"},
                "Body": body,
            }}),
        );
        if let Some(reply_to) = &message.reply_to {
            request.insert("ReplyToAddresses".into(), json!([reply_to]));
        }
        if let Some(set) = &self.configuration_set {
            request.insert("ConfigurationSetName".into(), json!(set));
        }
        let bytes = zeroize::Zeroizing::new(
            serde_json::to_vec(&request).map_err(|e| Error::Config(e.to_string()))?,
        );
        let answer = self
            .client
            .post(
                "/v2/email/outbound-emails",
                &[("content-type", "application/json")],
                bytes.to_vec(),
            )
            .await?;
        if !(200..300).contains(&answer.status) {
            return Err(Error::Rejected {
                service: "SES",
                reason: format!(
                    "HTTP {} {}",
                    answer.status,
                    answer.error_type.as_deref().unwrap_or("(no error type)")
                ),
            });
        }
        Ok(serde_json::from_slice::<serde_json::Value>(&answer.body)
            .ok()
            .and_then(|v| {
                v.get("MessageId")
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_owned)
            })
            .unwrap_or_default())
    }
}

/// An address as SES wants it in `FromEmailAddress`: a non-ASCII display name as RFC 2047
/// encoded words (each at most 75 characters), an ASCII one quoted.
fn header_address(value: &str) -> Result<String, Error> {
    let mailbox: Mailbox = value
        .parse()
        .map_err(|_| Error::Config("the From is not an address".into()))?;
    let Some(name) = mailbox.name.as_deref().filter(|n| !n.is_empty()) else {
        return Ok(mailbox.email.to_string());
    };
    if name.is_ascii() {
        let quoted = name.replace('\\', "\\\\").replace('"', "\\\"");
        return Ok(format!("\"{quoted}\" <{}>", mailbox.email));
    }
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in name.chars() {
        if chunk.len() + c.len_utf8() > 45 {
            words.push(format!("=?utf-8?B?{}?=", STANDARD.encode(&chunk)));
            chunk.clear();
        }
        chunk.push(c);
    }
    words.push(format!("=?utf-8?B?{}?=", STANDARD.encode(&chunk)));
    Ok(format!("{} <{}>", words.join(" "), mailbox.email))
}

#[async_trait]
impl MessageSender for SesSender {
    async fn send(&self, message: Message) -> Result<(), DeliveryFailure> {
        self.send_email(&message)
            .await
            .map(|_| ())
            .map_err(Into::into)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_addresses_are_header_safe() {
        assert_eq!(
            header_address("a@example.com").expect("plain"),
            "a@example.com"
        );
        assert_eq!(
            header_address("Example Pool <a@example.com>").expect("ascii"),
            "\"Example Pool\" <a@example.com>"
        );
        assert_eq!(
            header_address("ユーザープール <a@example.com>").expect("utf-8"),
            "=?utf-8?B?44Om44O844K244O844OX44O844Or?= <a@example.com>"
        );
        let long = header_address(&format!("{} <a@example.com>", "あ".repeat(40))).expect("long");
        assert!(long.split(' ').all(|w| w.len() <= 75), "{long}");
        assert_eq!(long.matches("=?utf-8?B?").count(), 3);
    }
}
