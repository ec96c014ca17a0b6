//! `/risk/feedback`: where the one-click links of an account-takeover notification land.
//! `GET` only shows what will be recorded and a button (so a mail scanner that follows the
//! link records nothing); `POST` records it with `UpdateAuthEventFeedback`. The feedback
//! token in the form is what authorizes the answer (no sign-in, no CSRF cookie needed: a
//! page that has the token can call the operation directly).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use maud::html;
use userpool::wire::{SecretString, UpdateAuthEventFeedbackRequest};
use zeroize::Zeroizing;

use super::context::Ctx;
use super::i18n::{Text, error_text, text};
use super::pages::plain_page as page;
use crate::routes::AppState;

/// The fields a link carries (and the form posts back).
const FIELDS: [&str; 5] = [
    "user_pool_id",
    "username",
    "event_id",
    "feedback_token",
    "feedback_value",
];
/// Longest body or query accepted.
const LIMIT: usize = 4096;

struct Feedback {
    values: Vec<(&'static str, Zeroizing<String>)>,
}

impl Feedback {
    /// The five fields, each exactly once; `None` otherwise.
    fn parse(raw: &[u8]) -> Option<Self> {
        if raw.len() > LIMIT {
            return None;
        }
        let mut values: Vec<(&'static str, Zeroizing<String>)> = Vec::with_capacity(5);
        for (k, v) in form_urlencoded::parse(raw) {
            let name = FIELDS.iter().find(|f| **f == k)?;
            if values.iter().any(|(n, _)| n == name) {
                return None;
            }
            values.push((name, Zeroizing::new(v.into_owned())));
        }
        (values.len() == FIELDS.len()).then_some(Self { values })
    }

    fn get(&self, name: &str) -> &str {
        self.values
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    fn valid(&self) -> bool {
        self.get("feedback_value") == "Valid"
    }
}

pub(crate) async fn feedback_get(ctx: Ctx) -> Response {
    let Some(feedback) = Feedback::parse(ctx.query.as_bytes()) else {
        return ctx.error("invalid_request");
    };
    let (lead, button) = if feedback.valid() {
        (Text::FeedbackValidLead, Text::FeedbackValid)
    } else {
        (Text::FeedbackInvalidLead, Text::FeedbackInvalid)
    };
    let lang = ctx.lang;
    let body = html! {
        p.lead { (text(lang, lead)) }
        form method="post" action="feedback" {
            @for (name, value) in &feedback.values {
                input type="hidden" name=(name) value=(value.as_str());
            }
            button type="submit" { (text(lang, button)) }
        }
    };
    ctx.html(StatusCode::OK, page(lang, Text::FeedbackTitle, body))
}

pub(crate) async fn feedback_post(
    State(state): State<Arc<AppState>>,
    ctx: Ctx,
    body: Bytes,
) -> Response {
    let Some(feedback) = Feedback::parse(&body) else {
        return ctx.error("invalid_request");
    };
    let request = UpdateAuthEventFeedbackRequest {
        user_pool_id: feedback.get("user_pool_id").to_owned(),
        username: feedback.get("username").to_owned(),
        event_id: feedback.get("event_id").to_owned(),
        feedback_token: Some(SecretString::from(feedback.get("feedback_token"))),
        feedback_value: feedback.get("feedback_value").to_owned(),
    };
    let lang = ctx.lang;
    match state
        .service
        .threat_protection()
        .update_auth_event_feedback(request)
        .await
    {
        Ok(_) => ctx.html(
            StatusCode::OK,
            page(
                lang,
                Text::FeedbackTitle,
                html! { p.notice { (text(lang, Text::FeedbackDone)) } },
            ),
        ),
        Err(e) => ctx.html(
            StatusCode::BAD_REQUEST,
            page(
                lang,
                Text::ErrorTitle,
                html! { p.error { (text(lang, error_text(e.kind()))) } },
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_exactly_once() {
        let ok = b"user_pool_id=p&username=u&event_id=e&feedback_token=t&feedback_value=Valid";
        let parsed = Feedback::parse(ok).expect("all five");
        assert!(parsed.valid());
        assert_eq!(parsed.get("feedback_token"), "t");
        assert!(
            Feedback::parse(b"user_pool_id=p&username=u&event_id=e&feedback_token=t").is_none()
        );
        assert!(
            Feedback::parse(
                b"user_pool_id=p&username=u&event_id=e&feedback_token=t&feedback_value=Valid&username=v"
            )
            .is_none()
        );
        assert!(
            Feedback::parse(
                b"user_pool_id=p&username=u&event_id=e&feedback_token=t&feedback_value=Valid&x=1"
            )
            .is_none()
        );
        assert!(Feedback::parse(&[b'a'; LIMIT + 1]).is_none());
    }
}
