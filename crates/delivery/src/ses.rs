//! Amazon SES v2 `SendEmail` (`POST /v2/email/outbound-emails`, REST-JSON, SigV4 service
//! `ses`): simple content with a UTF-8 subject, the text body and, for HTML templates, the
//! HTML body; `From` and `Reply-To` from the message, else the configured default.

use std::time::Duration;

use async_trait::async_trait;
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
        let mut body = json!({"Text": {"Data": message.body, "Charset": "UTF-8"}});
        if let Some(html) = &message.html_body {
            body["Html"] = json!({"Data": html, "Charset": "UTF-8"});
        }
        let mut request = json!({
            "FromEmailAddress": message.from.as_deref().unwrap_or(&self.default_from),
            "Destination": {"ToAddresses": [message.destination]},
            "Content": {"Simple": {
                "Subject": {"Data": message.subject, "Charset": "UTF-8"},
                "Body": body,
            }},
        });
        if let Some(reply_to) = &message.reply_to {
            request["ReplyToAddresses"] = json!([reply_to]);
        }
        if let Some(set) = &self.configuration_set {
            request["ConfigurationSetName"] = json!(set);
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
            .and_then(|v| v["MessageId"].as_str().map(str::to_owned))
            .unwrap_or_default())
    }
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
