//! Email over SMTP with `lettre`: STARTTLS (`smtp://`, required) or implicit TLS
//! (`smtps://`), AUTH from the URL's user and password, a connection pool, timeouts; plain
//! text, or `multipart/alternative` with the HTML body; UTF-8 subjects as RFC 2047 encoded
//! words and bodies in quoted-printable or base64, as lettre chooses.
//!
//! Configured from a URL: `smtp://user:pass@host:587` (STARTTLS is required: a relay that
//! does not offer it is refused), `smtps://user:pass@host:465`; the user and password are
//! percent-decoded (`smtp://me%40example.com:p%40ss@…`). Plain SMTP without TLS only with
//! [`SmtpSenderBuilder::plaintext_on_loopback`], and only to a loopback host (tests, a local
//! relay).

use std::net::IpAddr;
use std::time::Duration;

use async_trait::async_trait;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::PoolConfig;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use percent_encoding::percent_decode_str;
use userpool::{DeliveryFailure, DeliveryMedium, Message, MessageSender};
use zeroize::Zeroizing;

use crate::error::Error;

/// How the connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// `smtp://`: STARTTLS, required.
    StartTls,
    /// `smtps://`: TLS from the first byte.
    ImplicitTls,
    /// No TLS (loopback only, opted into).
    Plaintext,
}

/// Builds an [`SmtpSender`].
#[derive(Debug)]
pub struct SmtpSenderBuilder {
    url: String,
    default_from: String,
    timeout: Duration,
    pool_size: u32,
    plaintext_on_loopback: bool,
    roots: Vec<Vec<u8>>,
}

impl SmtpSenderBuilder {
    /// Per-command timeout (connect, each SMTP exchange); 10 seconds by default.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Most pooled connections (4 by default).
    #[must_use]
    pub fn pool_size(mut self, size: u32) -> Self {
        self.pool_size = size.max(1);
        self
    }

    /// Allows `smtp://` without TLS when the host is loopback (`127.0.0.0/8`, `::1`,
    /// `localhost`); refused for any other host.
    #[must_use]
    pub fn plaintext_on_loopback(mut self) -> Self {
        self.plaintext_on_loopback = true;
        self
    }

    /// Trusts this PEM certificate as a root, besides the platform's (a private relay).
    #[must_use]
    pub fn add_root_certificate_pem(mut self, pem: &[u8]) -> Self {
        self.roots.push(pem.to_vec());
        self
    }

    /// The sender (inside a tokio runtime: the connection pool runs a task on it).
    pub fn build(self) -> Result<SmtpSender, Error> {
        tokio::runtime::Handle::try_current()
            .map_err(|_| Error::Config("the SMTP sender needs a tokio runtime".into()))?;
        let url = url::Url::parse(&self.url)
            .map_err(|_| Error::Config("the SMTP URL does not parse".into()))?;
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| Error::Config("the SMTP URL has no host".into()))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let mut security = match url.scheme() {
            "smtp" => SmtpSecurity::StartTls,
            "smtps" => SmtpSecurity::ImplicitTls,
            other => {
                return Err(Error::Config(format!(
                    "the SMTP URL scheme must be smtp or smtps, not {other}"
                )));
            }
        };
        if self.plaintext_on_loopback && security == SmtpSecurity::StartTls {
            if !is_loopback(&host) {
                return Err(Error::Config(
                    "plain SMTP without TLS is only allowed to a loopback host".into(),
                ));
            }
            security = SmtpSecurity::Plaintext;
        }
        let port = url.port().unwrap_or(match security {
            SmtpSecurity::ImplicitTls => 465,
            _ => 587,
        });
        let default_from: Mailbox = self
            .default_from
            .parse()
            .map_err(|_| Error::Config("the default From is not an address".into()))?;
        let tls = || -> Result<TlsParameters, Error> {
            let mut params = TlsParameters::builder(host.clone());
            for pem in &self.roots {
                let cert = Certificate::from_pem(pem)
                    .map_err(|e| Error::Config(format!("root certificate: {e}")))?;
                params = params.add_root_certificate(cert);
            }
            params
                .build_rustls()
                .map_err(|e| Error::Config(format!("TLS: {e}")))
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host.clone())
            .port(port)
            .timeout(Some(self.timeout))
            .pool_config(
                PoolConfig::new()
                    .max_size(self.pool_size)
                    .idle_timeout(Duration::from_secs(60)),
            )
            .tls(match security {
                SmtpSecurity::StartTls => Tls::Required(tls()?),
                SmtpSecurity::ImplicitTls => Tls::Wrapper(tls()?),
                SmtpSecurity::Plaintext => Tls::None,
            });
        if !url.username().is_empty() {
            let decode = |s: &str| {
                percent_decode_str(s)
                    .decode_utf8()
                    .map(|c| c.into_owned())
                    .map_err(|_| Error::Config("the SMTP credentials are not UTF-8".into()))
            };
            let user = decode(url.username())?;
            let password = Zeroizing::new(decode(url.password().unwrap_or_default())?);
            builder = builder.credentials(Credentials::new(user, password.to_string()));
        }
        Ok(SmtpSender {
            transport: builder.build(),
            default_from,
            security,
            host,
            port,
        })
    }
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Sends email over SMTP.
#[derive(Clone)]
pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    default_from: Mailbox,
    security: SmtpSecurity,
    host: String,
    port: u16,
}

impl std::fmt::Debug for SmtpSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSender")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("default_from", &self.default_from.email.to_string())
            .finish_non_exhaustive()
    }
}

impl SmtpSender {
    /// A builder from `url` (see the module docs) sending from `default_from` (an address or
    /// `Name <address>`) unless a message names its own From.
    pub fn builder(url: &str, default_from: &str) -> SmtpSenderBuilder {
        SmtpSenderBuilder {
            url: url.to_owned(),
            default_from: default_from.to_owned(),
            timeout: Duration::from_secs(10),
            pool_size: 4,
            plaintext_on_loopback: false,
            roots: Vec::new(),
        }
    }

    /// How connections are secured.
    pub fn security(&self) -> SmtpSecurity {
        self.security
    }

    /// The MIME message for `message`.
    pub fn email(&self, message: &Message) -> Result<lettre::Message, Error> {
        if message.delivery_medium != DeliveryMedium::Email {
            return Err(Error::WrongMedium {
                service: "SMTP",
                medium: "SMS",
            });
        }
        let from = match &message.from {
            Some(f) => f
                .parse::<Mailbox>()
                .map_err(|_| Error::Config("the pool's From is not an address".into()))?,
            None => self.default_from.clone(),
        };
        let to: Mailbox = message
            .destination
            .parse()
            .map_err(|_| Error::Config("the destination is not an address".into()))?;
        let mut builder = lettre::Message::builder()
            .from(from)
            .to(to)
            .subject(message.subject.clone())
            .message_id(None);
        if let Some(reply_to) = &message.reply_to {
            builder = builder.reply_to(
                reply_to
                    .parse()
                    .map_err(|_| Error::Config("the pool's Reply-To is not an address".into()))?,
            );
        }
        let built = match &message.html_body {
            Some(html) => builder.multipart(MultiPart::alternative_plain_html(
                message.body.clone(),
                html.clone(),
            )),
            None => builder.singlepart(SinglePart::plain(message.body.clone())),
        };
        built.map_err(|e| Error::Config(format!("email: {e}")))
    }
}

#[async_trait]
impl MessageSender for SmtpSender {
    async fn send(&self, message: Message) -> Result<(), DeliveryFailure> {
        let email = self.email(&message)?;
        self.transport.send(email).await.map(|_| ()).map_err(|e| {
            let reason = e.to_string();
            let error = if e.is_permanent() || e.is_transient() {
                Error::Rejected {
                    service: "SMTP",
                    reason,
                }
            } else {
                Error::Unreachable {
                    service: "SMTP",
                    reason,
                }
            };
            error.into()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_a_runtime_is_an_error_not_a_panic() {
        assert_eq!(
            SmtpSender::builder("smtp://mail.example.com", "a@example.com")
                .build()
                .unwrap_err(),
            Error::Config("the SMTP sender needs a tokio runtime".into())
        );
    }

    #[tokio::test]
    async fn urls_and_security() {
        let b = |url: &str| SmtpSender::builder(url, "Pool <no-reply@example.com>");
        assert_eq!(
            b("smtp://u:p@mail.example.com")
                .build()
                .expect("starttls")
                .security(),
            SmtpSecurity::StartTls
        );
        let implicit = b("smtps://u:p@mail.example.com").build().expect("tls");
        assert_eq!(
            (implicit.security(), implicit.port),
            (SmtpSecurity::ImplicitTls, 465)
        );
        assert_eq!(
            b("smtp://127.0.0.1:2525")
                .plaintext_on_loopback()
                .build()
                .expect("plain")
                .security(),
            SmtpSecurity::Plaintext
        );
        assert_eq!(
            b("smtp://mail.example.com")
                .plaintext_on_loopback()
                .build()
                .unwrap_err(),
            Error::Config("plain SMTP without TLS is only allowed to a loopback host".into())
        );
        assert_eq!(
            b("http://mail.example.com").build().unwrap_err(),
            Error::Config("the SMTP URL scheme must be smtp or smtps, not http".into())
        );
        assert!(
            SmtpSender::builder("smtp://h", "not an address")
                .build()
                .is_err()
        );
        assert!(is_loopback("::1") && is_loopback("127.0.0.2") && !is_loopback("10.0.0.1"));
    }
}
