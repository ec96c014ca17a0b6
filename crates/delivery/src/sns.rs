//! Amazon SNS `Publish` to a phone number (the query protocol, form-encoded, SigV4 service
//! `sns`), as Cognito sends SMS: `PhoneNumber`, `Message`, and
//! `AWS.SNS.SMS.SMSType` = `Transactional`.

use std::time::Duration;

use async_trait::async_trait;
use userpool::{DeliveryFailure, DeliveryMedium, Message, MessageSender};

use crate::aws::{AwsClient, AwsEndpoint, xml_text};
use crate::error::Error;

/// Sends SMS through SNS `Publish`.
#[derive(Debug, Clone)]
pub struct SnsSender {
    client: AwsClient,
    sender_id: Option<String>,
}

impl SnsSender {
    /// A sender publishing at `endpoint` (e.g. `https://sns.us-east-1.amazonaws.com`), with a
    /// 10-second limit per call.
    pub fn new(endpoint: AwsEndpoint) -> Result<Self, Error> {
        Ok(Self {
            client: AwsClient::new(endpoint, "sns", Duration::from_secs(10))?,
            sender_id: None,
        })
    }

    /// Sets `AWS.SNS.SMS.SenderID` (where the destination country supports one).
    #[must_use]
    pub fn sender_id(mut self, sender_id: &str) -> Self {
        self.sender_id = Some(sender_id.to_owned());
        self
    }

    /// The form-encoded `Publish` request.
    fn form(&self, message: &Message) -> String {
        let mut form = form_urlencoded::Serializer::new(String::new());
        form.append_pair("Action", "Publish")
            .append_pair("Version", "2010-03-31")
            .append_pair("PhoneNumber", &message.destination)
            .append_pair("Message", &message.body)
            .append_pair("MessageAttributes.entry.1.Name", "AWS.SNS.SMS.SMSType")
            .append_pair("MessageAttributes.entry.1.Value.DataType", "String")
            .append_pair(
                "MessageAttributes.entry.1.Value.StringValue",
                "Transactional",
            );
        if let Some(id) = &self.sender_id {
            form.append_pair("MessageAttributes.entry.2.Name", "AWS.SNS.SMS.SenderID")
                .append_pair("MessageAttributes.entry.2.Value.DataType", "String")
                .append_pair("MessageAttributes.entry.2.Value.StringValue", id);
        }
        form.finish()
    }

    /// Publishes one SMS; the SNS `MessageId`.
    pub async fn publish(&self, message: &Message) -> Result<String, Error> {
        if message.delivery_medium != DeliveryMedium::Sms {
            return Err(Error::WrongMedium {
                service: "SNS",
                medium: "EMAIL",
            });
        }
        let body = zeroize::Zeroizing::new(self.form(message));
        let answer = self
            .client
            .post(
                "/",
                &[(
                    "content-type",
                    "application/x-www-form-urlencoded; charset=utf-8",
                )],
                body.as_bytes().to_vec(),
            )
            .await?;
        let text = String::from_utf8_lossy(&answer.body);
        if !(200..300).contains(&answer.status) {
            return Err(Error::Rejected {
                service: "SNS",
                reason: format!(
                    "HTTP {} {}",
                    answer.status,
                    xml_text(&text, "Code").unwrap_or("(no error code)")
                ),
            });
        }
        Ok(xml_text(&text, "MessageId").unwrap_or_default().to_owned())
    }
}

#[async_trait]
impl MessageSender for SnsSender {
    async fn send(&self, message: Message) -> Result<(), DeliveryFailure> {
        self.publish(&message).await.map(|_| ()).map_err(Into::into)
    }
}
