//! Signing up at the hosted UI: the form (a username unless the pool signs in by email or
//! phone, plus the schema's required attributes) and the confirmation-code page.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use userpool::wire::{Attribute, HostedRequest, SecretString};

use super::context::{Above, HostedForm, HostedPage};
use super::i18n::Text;
use crate::routes::AppState;

fn sign_up_fields(hosted: &HostedRequest) -> (Option<Text>, Vec<String>) {
    let mut attributes = hosted.required_attributes.clone();
    for a in &hosted.username_attributes {
        if !attributes.contains(a) {
            attributes.insert(0, a.clone());
        }
    }
    let login = hosted
        .username_attributes
        .is_empty()
        .then_some(Text::Username);
    (login, attributes)
}

pub(crate) async fn signup_get(page: HostedPage) -> Response {
    let HostedPage { ctx, request } = page;
    let (login, attributes) = sign_up_fields(&request);
    ctx.html(
        StatusCode::OK,
        ctx.page(&request).sign_up(login, &attributes, &[]),
    )
}

pub(crate) async fn signup_post(
    State(state): State<Arc<AppState>>,
    HostedForm { ctx, hosted, form }: HostedForm,
) -> Response {
    let (login, names) = sign_up_fields(&hosted);
    let attributes: Vec<Attribute> = names
        .iter()
        .map(|n| Attribute {
            name: n.clone(),
            value: form.field(&format!("attr_{n}")).trim().to_owned(),
        })
        .filter(|a| !a.value.is_empty())
        .collect();
    let username = match hosted.username_attributes.first() {
        Some(a) => form.field(&format!("attr_{a}")).trim().to_owned(),
        None => form.field("username").trim().to_owned(),
    };
    let password = SecretString::from(form.field("password"));
    match state
        .service
        .hosted()
        .hosted_sign_up(&hosted, &username, &password, attributes)
        .await
    {
        Ok(r) if r.user_confirmed => ctx.sign_in_page(
            StatusCode::OK,
            &hosted,
            &username,
            Above::Notice(Text::Confirmed),
        ),
        Ok(_) => ctx.html(StatusCode::OK, ctx.page(&hosted).confirm(&username)),
        Err(e) => {
            let values: Vec<(String, String)> = form
                .iter()
                .filter(|(k, _)| k.as_str() == "username" || k.starts_with("attr_"))
                .map(|(k, v)| (k.trim_start_matches("attr_").to_owned(), v.clone()))
                .collect();
            let mut page = ctx.page(&hosted);
            page.failed(&e);
            ctx.html(StatusCode::OK, page.sign_up(login, &names, &values))
        }
    }
}

pub(crate) async fn confirm_post(
    State(state): State<Arc<AppState>>,
    HostedForm { ctx, hosted, form }: HostedForm,
) -> Response {
    let username = form.field("username").to_owned();
    let mut page = ctx.page(&hosted);
    if form.field("resend") == "1" {
        match state
            .service
            .hosted()
            .hosted_resend_code(&hosted, &username)
            .await
        {
            Ok(()) => page.notice = Some(Text::CodeResent),
            Err(e) => page.failed(&e),
        }
        return ctx.html(StatusCode::OK, page.confirm(&username));
    }
    let code = SecretString::from(form.field("code").trim());
    match state
        .service
        .hosted()
        .hosted_confirm_sign_up(&hosted, &username, &code)
        .await
    {
        Ok(()) => ctx.sign_in_page(
            StatusCode::OK,
            &hosted,
            &username,
            Above::Notice(Text::Confirmed),
        ),
        Err(e) => {
            page.failed(&e);
            ctx.html(StatusCode::OK, page.confirm(&username))
        }
    }
}
