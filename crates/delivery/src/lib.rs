//! `userpool-delivery`: messages that reach people. Each sender is a
//! [`userpool::MessageSender`] (or, for the custom sender triggers, a
//! [`userpool::CodeEncryptor`]) given to the service builder.
//!
//! * [`SmtpSender`]: email over SMTP (`smtp://` STARTTLS, `smtps://` implicit TLS, AUTH, a
//!   connection pool; text, or text and HTML as `multipart/alternative`; UTF-8 throughout).
//! * [`WebhookSender`]: a signed JSON `POST` per message, for an SMS gateway
//!   ([`webhook`] documents the signature).
//! * [`SnsSender`] (SNS `Publish` to a phone number) and [`SesSender`] (SES v2 `SendEmail`),
//!   SigV4-signed ([`AwsClient`]) at any endpoint: AWS, or moto / LocalStack.
//! * [`DeliveryQueue`]: bounded, retrying, with backoff and jitter, counted ([`QueueStats`]);
//!   [`queue`] explains what a request answers when delivery is queued.
//! * [`Fanout`] (several senders for each message, e.g. the dev outbox beside a real one) and
//!   [`ByMedium`] (email and SMS to different senders).
//! * [`KmsEncryptor`] and [`LocalKeyEncryptor`]: the encrypted `request.code` of
//!   `CustomEmailSender` / `CustomSMSSender` ([`local_key`] documents the format).
//!
//! ```
//! use std::sync::Arc;
//! use userpool::{DeliveryMedium, Message, MessageKind, MessageSender, Outbox};
//! use userpool_delivery::{ByMedium, DeliveryQueue, Fanout, QueueConfig};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let outbox = Arc::new(Outbox::new());
//! // In a server: SmtpSender::builder("smtps://user:pass@mail.example.com", "no-reply@example.com").build()?
//! let email: Arc<dyn MessageSender> = Arc::new(Fanout::new().with(outbox.clone()));
//! let queue = Arc::new(DeliveryQueue::start(Arc::new(ByMedium::new().email(email)), QueueConfig::default())?);
//! queue
//!     .send(Message {
//!         pool_id: "us-east-1_AbCdEf123".into(),
//!         username: "alice".into(),
//!         destination: "alice@example.com".into(),
//!         delivery_medium: DeliveryMedium::Email,
//!         kind: MessageKind::SignUp,
//!         code: "123456".into(),
//!         subject: "Your verification code".into(),
//!         body: "Your verification code is 123456.".into(),
//!         sent_at: 0,
//!         from: None,
//!         reply_to: None,
//!         html_body: None,
//!     })
//!     .await?;
//! queue.shutdown().await;
//! assert_eq!(outbox.last_code("us-east-1_AbCdEf123", "alice").as_deref(), Some("123456"));
//! assert_eq!(queue.stats().snapshot().sent, 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```

#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable
    )
)]

mod aws;
mod error;
mod fanout;
mod kms;
pub mod local_key;
pub mod queue;
mod ses;
mod smtp;
mod sns;
pub mod webhook;

pub use aws::{AwsAnswer, AwsClient, AwsCredentials, AwsEndpoint};
pub use error::Error;
pub use fanout::{ByMedium, Fanout};
pub use kms::{ENCRYPTION_CONTEXT_KEY, KmsEncryptor};
pub use local_key::LocalKeyEncryptor;
pub use queue::{DeliveryQueue, QueueConfig, QueueStats, StatsSnapshot};
pub use ses::SesSender;
pub use smtp::{SmtpSecurity, SmtpSender, SmtpSenderBuilder};
pub use sns::SnsSender;
pub use webhook::{SIGNATURE_HEADER, WebhookSender};
