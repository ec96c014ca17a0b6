//! `NotifyConfigurationType` and `NotifyEmailType`: the messages threat protection sends when
//! an account-takeover action has `Notify` set.
//!
//! Constraints are Cognito's, from its API reference (`NotifyConfigurationType`:
//! `SourceArn` 20–2048 characters matching the ARN pattern and required, `From` and `ReplyTo`
//! at most 131,072; `NotifyEmailType`: `Subject` 1–140 and required, `HtmlBody` and `TextBody`
//! 6–20,000, all of printable characters and white space).

use serde::{Deserialize, Serialize};

use crate::config::EventAction;
use crate::error::{Error, Result};

/// `NotifyConfigurationType`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NotifyConfiguration {
    /// `From`: the sending address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// `ReplyTo`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    /// `SourceArn`: the identity allowed to send as `From` (required).
    pub source_arn: String,
    /// `BlockEmail`: sent when a risky attempt was blocked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block_email: Option<NotifyEmail>,
    /// `MfaEmail`: sent when MFA was required because of the risk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_email: Option<NotifyEmail>,
    /// `NoActionEmail`: sent when a risky attempt was allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_action_email: Option<NotifyEmail>,
}

/// `NotifyEmailType`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NotifyEmail {
    /// `Subject` (required).
    pub subject: String,
    /// `HtmlBody`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html_body: Option<String>,
    /// `TextBody`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_body: Option<String>,
}

const MAX_ADDRESS: usize = 131_072;

impl NotifyConfiguration {
    /// The template for a notification about an attempt answered with `action`: `BlockEmail`
    /// for `BLOCK`, `MfaEmail` for the MFA actions, `NoActionEmail` for `NO_ACTION`.
    pub fn email_for(&self, action: EventAction) -> Option<&NotifyEmail> {
        match action {
            EventAction::Block => self.block_email.as_ref(),
            EventAction::MfaIfConfigured | EventAction::MfaRequired => self.mfa_email.as_ref(),
            EventAction::NoAction => self.no_action_email.as_ref(),
        }
    }

    /// Checks Cognito's constraints.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidField`] naming the first member that breaks one.
    pub fn validate(&self) -> Result<()> {
        check_len("SourceArn", &self.source_arn, 20, 2048)?;
        if !is_arn(&self.source_arn) {
            return Err(Error::InvalidField {
                field: "SourceArn",
                reason: "must be an ARN",
            });
        }
        if let Some(from) = &self.from {
            check_len("From", from, 0, MAX_ADDRESS)?;
        }
        if let Some(reply_to) = &self.reply_to {
            check_len("ReplyTo", reply_to, 0, MAX_ADDRESS)?;
        }
        for email in [&self.block_email, &self.mfa_email, &self.no_action_email]
            .into_iter()
            .flatten()
        {
            email.validate()?;
        }
        Ok(())
    }
}

impl NotifyEmail {
    /// Checks Cognito's constraints.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidField`] naming the first member that breaks one.
    pub fn validate(&self) -> Result<()> {
        check_text("Subject", &self.subject, 1, 140)?;
        if let Some(html) = &self.html_body {
            check_text("HtmlBody", html, 6, 20_000)?;
        }
        if let Some(text) = &self.text_body {
            check_text("TextBody", text, 6, 20_000)?;
        }
        Ok(())
    }
}

fn check_len(field: &'static str, value: &str, min: usize, max: usize) -> Result<()> {
    let len = value.chars().count();
    if len < min {
        return Err(Error::InvalidField {
            field,
            reason: "is too short",
        });
    }
    if len > max {
        return Err(Error::InvalidField {
            field,
            reason: "is too long",
        });
    }
    Ok(())
}

/// Length, then Cognito's `[\p{L}\p{M}\p{S}\p{N}\p{P}\s]+`: no control or format characters
/// other than white space.
fn check_text(field: &'static str, value: &str, min: usize, max: usize) -> Result<()> {
    check_len(field, value, min, max)?;
    if value.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return Err(Error::InvalidField {
            field,
            reason: "contains a control character",
        });
    }
    Ok(())
}

/// Cognito's `SourceArn` pattern:
/// `arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?`.
fn is_arn(s: &str) -> bool {
    let parts: Vec<&str> = s.split(':').collect();
    let word = |p: &str| {
        p.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=/,.@-".contains(c))
    };
    match parts.as_slice() {
        ["arn", partition, service, region, account, rest @ ..] => {
            !partition.is_empty()
                && !service.is_empty()
                && !account.is_empty()
                && account.chars().all(|c| c.is_ascii_digit())
                && (1..=3).contains(&rest.len())
                && rest.iter().all(|p| !p.is_empty() && word(p))
                && [partition, service, region].iter().all(|p| word(p))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str = "arn:aws:ses:us-east-1:123456789012:identity/example.com";

    fn config() -> NotifyConfiguration {
        NotifyConfiguration {
            from: Some("security@example.com".into()),
            reply_to: None,
            source_arn: ARN.into(),
            block_email: Some(NotifyEmail {
                subject: "Blocked sign-in".into(),
                html_body: Some("<p>We blocked a sign-in.</p>".into()),
                text_body: Some("We blocked a sign-in.".into()),
            }),
            mfa_email: None,
            no_action_email: None,
        }
    }

    #[test]
    fn a_full_configuration_is_valid_and_round_trips() {
        let config = config();
        config.validate().unwrap();
        let json = serde_json::to_value(&config).unwrap();
        assert_eq!(json["SourceArn"], ARN);
        assert_eq!(json["BlockEmail"]["Subject"], "Blocked sign-in");
        assert!(json.get("ReplyTo").is_none());
        assert_eq!(
            serde_json::from_value::<NotifyConfiguration>(json).unwrap(),
            config
        );
    }

    #[test]
    fn templates_are_chosen_by_action() {
        let config = config();
        assert_eq!(
            config
                .email_for(EventAction::Block)
                .map(|e| e.subject.as_str()),
            Some("Blocked sign-in")
        );
        assert_eq!(config.email_for(EventAction::MfaRequired), None);
        assert_eq!(config.email_for(EventAction::NoAction), None);
    }

    #[test]
    fn arns_follow_cognitos_pattern() {
        assert!(is_arn(ARN));
        assert!(is_arn("arn:aws:ses::123456789012:identity/a:b:c"));
        for bad in [
            "arn:aws:ses:us-east-1:account:identity/x",
            "arn::ses:us-east-1:123456789012:identity/x",
            "arn:aws:ses:us-east-1:123456789012:",
            "arn:aws:ses:us-east-1:123456789012:a:b:c:d",
            "arn:aws:ses:us-east-1:123456789012:identity x",
            "urn:aws:ses:us-east-1:123456789012:identity/x",
        ] {
            assert!(!is_arn(bad), "{bad}");
        }
    }

    #[test]
    fn constraints_name_the_member() {
        let mut c = config();
        c.source_arn = "arn:aws:s:r:1:x".into();
        assert_eq!(
            c.validate().unwrap_err(),
            Error::InvalidField {
                field: "SourceArn",
                reason: "is too short"
            }
        );
        let mut c = config();
        c.block_email = Some(NotifyEmail {
            subject: String::new(),
            html_body: None,
            text_body: None,
        });
        assert_eq!(
            c.validate().unwrap_err(),
            Error::InvalidField {
                field: "Subject",
                reason: "is too short"
            }
        );
        let mut c = config();
        c.mfa_email = Some(NotifyEmail {
            subject: "s".into(),
            html_body: None,
            text_body: Some("short".into()),
        });
        assert_eq!(
            c.validate().unwrap_err(),
            Error::InvalidField {
                field: "TextBody",
                reason: "is too short"
            }
        );
        let mut c = config();
        c.no_action_email = Some(NotifyEmail {
            subject: "bell\u{7}".into(),
            html_body: None,
            text_body: None,
        });
        assert_eq!(
            c.validate().unwrap_err(),
            Error::InvalidField {
                field: "Subject",
                reason: "contains a control character"
            }
        );
        let mut c = config();
        c.block_email = Some(NotifyEmail {
            subject: "x".repeat(141),
            html_body: None,
            text_body: None,
        });
        assert_eq!(
            c.validate().unwrap_err(),
            Error::InvalidField {
                field: "Subject",
                reason: "is too long"
            }
        );
    }
}
