//! The account-takeover notification: which template, and the template filled.
//!
//! Placeholders (Cognito's adaptive-authentication templates, as its console's defaults use
//! them; the list is recalled from Cognito's documentation, not confirmed against a live pool):
//!
//! | Placeholder | Filled with |
//! |---|---|
//! | `{username}` | the user's username |
//! | `{ip-address}` | the address the attempt came from (`unknown` when none) |
//! | `{city}`, `{country}` | the attempt's location (`unknown`: this crate does no geolocation) |
//! | `{device-name}` | the device's name (`unknown` when the client sent none) |
//! | `{login-time}` | the attempt's time, RFC 3339 in UTC |
//! | `{one-click-link-valid}` | the link that reports "this was me" |
//! | `{one-click-link-invalid}` | the link that reports "this was not me" |
//!
//! In an HTML body every value is HTML-escaped; in a subject or a text body values go in as
//! they are. A template without a custom body gets [`default_email`]'s for the action.

use crate::config::EventAction;
use crate::notify::{NotifyConfiguration, NotifyEmail};

/// What a notification tells the user about one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationDetails<'a> {
    /// `{username}`.
    pub username: &'a str,
    /// `{ip-address}`.
    pub ip_address: Option<&'a str>,
    /// `{city}`.
    pub city: Option<&'a str>,
    /// `{country}`.
    pub country: Option<&'a str>,
    /// `{device-name}`.
    pub device_name: Option<&'a str>,
    /// `{login-time}`: Unix seconds.
    pub login_time: i64,
    /// `{one-click-link-valid}`.
    pub valid_link: &'a str,
    /// `{one-click-link-invalid}`.
    pub invalid_link: &'a str,
}

/// A notification ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedNotification {
    /// The subject.
    pub subject: String,
    /// The plain-text body.
    pub text_body: String,
    /// The HTML body, when the template has one.
    pub html_body: Option<String>,
}

/// The email for an attempt answered with `action`: the configured template when there is
/// one, else the default.
pub fn notification_email(
    config: Option<&NotifyConfiguration>,
    action: EventAction,
) -> NotifyEmail {
    config
        .and_then(|c| c.email_for(action))
        .cloned()
        .unwrap_or_else(|| default_email(action))
}

/// userpool's default template for `action` (plain text and HTML).
pub fn default_email(action: EventAction) -> NotifyEmail {
    let (subject, what) = match action {
        EventAction::Block => (
            "Blocked sign-in attempt",
            "We blocked an unrecognized sign-in to your account",
        ),
        EventAction::MfaIfConfigured | EventAction::MfaRequired => (
            "New sign-in attempt",
            "We asked for a second factor at an unrecognized sign-in to your account",
        ),
        EventAction::NoAction => (
            "New sign-in attempt",
            "We noticed an unrecognized sign-in to your account",
        ),
    };
    let facts =
        "{username}, from {ip-address} ({city}, {country}) on {device-name} at {login-time}.";
    NotifyEmail {
        subject: subject.to_owned(),
        text_body: Some(format!(
            "{what} {facts}\n\nIf this was you: {{one-click-link-valid}}\nIf this was not you: {{one-click-link-invalid}}\n"
        )),
        html_body: Some(format!(
            "<p>{what} {facts}</p><p><a href=\"{{one-click-link-valid}}\">This was me</a></p><p><a href=\"{{one-click-link-invalid}}\">This was not me</a></p>"
        )),
    }
}

/// Fills `email`'s placeholders with `details`. A template with only an HTML body gets a text
/// body made of the same facts and links (every message has a plain-text part).
pub fn render_notification(
    email: &NotifyEmail,
    details: &NotificationDetails<'_>,
) -> RenderedNotification {
    let text_template = email
        .text_body
        .clone()
        .or_else(|| default_email(EventAction::NoAction).text_body)
        .unwrap_or_default();
    RenderedNotification {
        subject: fill(&email.subject, details, false),
        text_body: fill(&text_template, details, false),
        html_body: email.html_body.as_deref().map(|h| fill(h, details, true)),
    }
}

fn fill(template: &str, d: &NotificationDetails<'_>, html: bool) -> String {
    let unknown = "unknown";
    let time = rfc3339(d.login_time);
    let values: [(&str, &str); 8] = [
        ("{username}", d.username),
        ("{ip-address}", d.ip_address.unwrap_or(unknown)),
        ("{city}", d.city.unwrap_or(unknown)),
        ("{country}", d.country.unwrap_or(unknown)),
        ("{device-name}", d.device_name.unwrap_or(unknown)),
        ("{login-time}", &time),
        ("{one-click-link-valid}", d.valid_link),
        ("{one-click-link-invalid}", d.invalid_link),
    ];
    // One pass, so a value that looks like a placeholder is never expanded again.
    let mut out = String::with_capacity(template.len() + 256);
    let mut rest = template;
    'scan: while let Some(start) = rest.find('{') {
        out.push_str(rest.get(..start).unwrap_or_default());
        let tail = rest.get(start..).unwrap_or_default();
        for (name, value) in values {
            if let Some(after) = tail.strip_prefix(name) {
                if html {
                    out.push_str(&escape_html(value));
                } else {
                    out.push_str(value);
                }
                rest = after;
                continue 'scan;
            }
        }
        out.push('{');
        rest = tail.get(1..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

fn escape_html(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Unix seconds as RFC 3339 in UTC (`1970-01-01T00:00:00Z`), proleptic Gregorian.
fn rfc3339(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details() -> NotificationDetails<'static> {
        NotificationDetails {
            username: "alice",
            ip_address: Some("203.0.113.9"),
            city: None,
            country: None,
            device_name: Some("<script>"),
            login_time: 1_790_000_000,
            valid_link: "https://auth.example/risk/feedback?v=1&t=x",
            invalid_link: "https://auth.example/risk/feedback?v=0&t=x",
        }
    }

    #[test]
    fn times_are_rfc3339_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_790_000_000), "2026-09-21T14:13:20Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(-1), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn placeholders_are_filled_once_and_escaped_in_html() {
        let email = NotifyEmail {
            subject: "Sign-in by {username}".into(),
            html_body: Some("<p>{device-name} {ip-address} {city}</p><a href=\"{one-click-link-invalid}\">no</a> {other}".into()),
            text_body: Some("{login-time} {one-click-link-valid} {".into()),
        };
        let out = render_notification(&email, &details());
        assert_eq!(out.subject, "Sign-in by alice");
        assert_eq!(
            out.html_body.as_deref(),
            Some(
                "<p>&lt;script&gt; 203.0.113.9 unknown</p><a href=\"https://auth.example/risk/feedback?v=0&amp;t=x\">no</a> {other}"
            )
        );
        assert_eq!(
            out.text_body,
            "2026-09-21T14:13:20Z https://auth.example/risk/feedback?v=1&t=x {"
        );
        let sneaky = NotificationDetails {
            username: "{ip-address}",
            ..details()
        };
        let out = render_notification(&email, &sneaky);
        assert_eq!(out.subject, "Sign-in by {ip-address}");
    }

    #[test]
    fn configured_templates_win_and_the_default_has_both_links() {
        let config = NotifyConfiguration {
            from: None,
            reply_to: None,
            source_arn: "arn:aws:ses:us-east-1:123456789012:identity/example.com".into(),
            block_email: Some(NotifyEmail {
                subject: "Blocked".into(),
                html_body: None,
                text_body: None,
            }),
            mfa_email: None,
            no_action_email: None,
        };
        let blocked = notification_email(Some(&config), EventAction::Block);
        assert_eq!(blocked.subject, "Blocked");
        let out = render_notification(&blocked, &details());
        assert!(out.text_body.contains(details().valid_link));
        assert!(out.text_body.contains(details().invalid_link));
        assert_eq!(out.html_body, None);
        let mfa = notification_email(Some(&config), EventAction::MfaRequired);
        assert_eq!(mfa, default_email(EventAction::MfaRequired));
        let out = render_notification(&mfa, &details());
        assert!(out.html_body.is_some_and(|h| h.contains("This was not me")));
    }
}
