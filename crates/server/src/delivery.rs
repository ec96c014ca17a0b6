//! Where codes and temporary passwords go: SMTP or SES for email, a signed webhook or SNS for
//! SMS, behind a bounded retrying queue — and, with `--dev-outbox`, also the development
//! outbox. Without any sender and without the outbox, messages are dropped (and the log says
//! so at start).

use std::sync::Arc;
use std::time::Duration;

use userpool::{MessageSender, NoDelivery, Outbox};
use userpool_delivery::{
    AwsCredentials, AwsEndpoint, ByMedium, DeliveryQueue, Fanout, QueueConfig, SesSender,
    SmtpSender, SnsSender, WebhookSender,
};

use crate::error::{Error, Result};
use crate::secrets::Secret;

/// The delivery settings, resolved.
#[derive(Debug, Clone, Default)]
pub struct DeliverySettings {
    /// `smtp://` or `smtps://` URL (may hold a password).
    pub smtp_url: Option<Secret>,
    /// The default `From` address (pools' `EmailConfiguration.From` wins).
    pub email_from: Option<String>,
    /// SES v2 endpoint (credentials from `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`).
    pub ses_endpoint: Option<String>,
    /// Webhook URL for SMS.
    pub sms_webhook: Option<String>,
    /// The webhook's HMAC secret.
    pub sms_webhook_secret: Option<Secret>,
    /// SNS endpoint for SMS.
    pub sns_endpoint: Option<String>,
}

impl DeliverySettings {
    /// Whether any real sender is configured.
    pub fn any(&self) -> bool {
        self.smtp_url.is_some()
            || self.ses_endpoint.is_some()
            || self.sms_webhook.is_some()
            || self.sns_endpoint.is_some()
    }
}

/// AWS credentials from the standard environment variables.
fn aws_credentials() -> Result<AwsCredentials> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    match (var("AWS_ACCESS_KEY_ID"), var("AWS_SECRET_ACCESS_KEY")) {
        (Some(access_key_id), Some(secret_access_key)) => Ok(AwsCredentials {
            access_key_id,
            secret_access_key,
            session_token: var("AWS_SESSION_TOKEN"),
        }),
        _ => Err(Error::Config(
            "--ses-endpoint and --sns-endpoint sign with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the environment; set both".into(),
        )),
    }
}

fn config_error(what: &str) -> impl Fn(userpool_delivery::Error) -> Error + '_ {
    move |e| Error::Config(format!("{what}: {e}"))
}

/// A sender and its queue.
pub type Delivery = (Arc<dyn MessageSender>, Option<Arc<DeliveryQueue>>);

/// The service's sender, and the queue behind it (to drain at shutdown) when one is used.
pub fn sender(
    settings: &DeliverySettings,
    region: &str,
    outbox: Option<Arc<Outbox>>,
) -> Result<Delivery> {
    let endpoint = |url: &str| -> Result<AwsEndpoint> {
        Ok(AwsEndpoint {
            url: url.to_owned(),
            region: region.to_owned(),
            credentials: aws_credentials()?,
        })
    };
    let mut by_medium = ByMedium::new();
    let from = || {
        settings
            .email_from
            .clone()
            .ok_or_else(|| Error::Config("--email-from is needed to send email".into()))
    };
    let email: Option<Arc<dyn MessageSender>> = match (&settings.smtp_url, &settings.ses_endpoint) {
        (Some(_), Some(_)) => {
            return Err(Error::Config(
                "give --smtp-url or --ses-endpoint, not both".into(),
            ));
        }
        (Some(url), None) => Some(Arc::new(
            SmtpSender::builder(url.expose(), &from()?)
                .plaintext_on_loopback()
                .build()
                .map_err(config_error("--smtp-url"))?,
        )),
        (None, Some(url)) => Some(Arc::new(
            SesSender::new(endpoint(url)?, &from()?).map_err(config_error("--ses-endpoint"))?,
        )),
        (None, None) => None,
    };
    let sms: Option<Arc<dyn MessageSender>> = match (&settings.sms_webhook, &settings.sns_endpoint)
    {
        (Some(_), Some(_)) => {
            return Err(Error::Config(
                "give --sms-webhook or --sns-endpoint, not both".into(),
            ));
        }
        (Some(url), None) => {
            let secret = settings.sms_webhook_secret.as_ref().ok_or_else(|| {
                Error::Config(
                    "--sms-webhook needs its signing secret (USERPOOL_SMS_WEBHOOK_SECRET)".into(),
                )
            })?;
            Some(Arc::new(
                WebhookSender::new(url, secret.expose().as_bytes(), Duration::from_secs(10))
                    .map_err(config_error("--sms-webhook"))?,
            ))
        }
        (None, Some(url)) => Some(Arc::new(
            SnsSender::new(endpoint(url)?).map_err(config_error("--sns-endpoint"))?,
        )),
        (None, None) => None,
    };
    if email.is_none() && sms.is_none() {
        return Ok(match outbox {
            Some(outbox) => (outbox, None),
            None => {
                tracing::warn!(
                    "no message sender is configured: codes are not delivered (--smtp-url, --ses-endpoint, --sms-webhook, --sns-endpoint; --dev-outbox for development)"
                );
                (Arc::new(NoDelivery), None)
            }
        });
    }
    if let Some(email) = email {
        by_medium = by_medium.email(email);
    }
    if let Some(sms) = sms {
        by_medium = by_medium.sms(sms);
    }
    let queue = Arc::new(
        DeliveryQueue::start(Arc::new(by_medium), QueueConfig::default())
            .map_err(config_error("delivery queue"))?,
    );
    let sender: Arc<dyn MessageSender> = match outbox {
        Some(outbox) => Arc::new(Fanout::new().with(outbox).with(queue.clone())),
        None => queue.clone(),
    };
    Ok((sender, Some(queue)))
}
