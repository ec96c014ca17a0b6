//! Combining senders: [`Fanout`] sends each message to several (the dev outbox beside a real
//! sender); [`ByMedium`] routes email and SMS to different ones.

use std::sync::Arc;

use async_trait::async_trait;
use userpool::{DeliveryFailure, DeliveryMedium, Message, MessageSender};

/// Sends every message to each sender in turn; fails with the first failure after trying
/// them all.
#[derive(Clone, Default)]
pub struct Fanout {
    senders: Vec<Arc<dyn MessageSender>>,
}

impl std::fmt::Debug for Fanout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fanout")
            .field("senders", &self.senders.len())
            .finish()
    }
}

impl Fanout {
    /// No senders yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a sender.
    #[must_use]
    pub fn with(mut self, sender: Arc<dyn MessageSender>) -> Self {
        self.senders.push(sender);
        self
    }
}

#[async_trait]
impl MessageSender for Fanout {
    async fn send(&self, message: Message) -> Result<(), DeliveryFailure> {
        let mut first = None;
        for sender in &self.senders {
            if let Err(e) = sender.send(message.clone()).await {
                first.get_or_insert(e);
            }
        }
        first.map_or(Ok(()), Err)
    }
}

/// Email to one sender, SMS to another; a medium without a sender fails.
#[derive(Clone, Default)]
pub struct ByMedium {
    email: Option<Arc<dyn MessageSender>>,
    sms: Option<Arc<dyn MessageSender>>,
}

impl std::fmt::Debug for ByMedium {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ByMedium")
            .field("email", &self.email.is_some())
            .field("sms", &self.sms.is_some())
            .finish()
    }
}

impl ByMedium {
    /// No routes yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Email goes to `sender`.
    #[must_use]
    pub fn email(mut self, sender: Arc<dyn MessageSender>) -> Self {
        self.email = Some(sender);
        self
    }

    /// SMS goes to `sender`.
    #[must_use]
    pub fn sms(mut self, sender: Arc<dyn MessageSender>) -> Self {
        self.sms = Some(sender);
        self
    }
}

#[async_trait]
impl MessageSender for ByMedium {
    async fn send(&self, message: Message) -> Result<(), DeliveryFailure> {
        let route = match message.delivery_medium {
            DeliveryMedium::Email => &self.email,
            _ => &self.sms,
        };
        match route {
            Some(sender) => sender.send(message).await,
            None => Err(DeliveryFailure(format!(
                "no sender is configured for {} messages",
                message.delivery_medium.as_str()
            ))),
        }
    }
}
