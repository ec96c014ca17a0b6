//! Password recovery at the hosted UI: the forgot-password form and the reset form (code and
//! new password).

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use userpool::wire::SecretString;

use super::context::{Above, HostedForm, HostedPage};
use super::i18n::Text;
use super::login_label;
use crate::routes::AppState;

pub(crate) async fn forgot_get(page: HostedPage) -> Response {
    let HostedPage { ctx, request } = page;
    ctx.html(
        StatusCode::OK,
        ctx.page(&request).forgot(login_label(&request)),
    )
}

pub(crate) async fn forgot_post(
    State(state): State<Arc<AppState>>,
    HostedForm { ctx, hosted, form }: HostedForm,
) -> Response {
    let username = form.field("username").trim().to_owned();
    match state
        .service
        .hosted()
        .hosted_forgot_password(&hosted, &username)
        .await
    {
        Ok(_) => ctx.html(StatusCode::OK, ctx.page(&hosted).reset(&username)),
        Err(e) => {
            let mut page = ctx.page(&hosted);
            page.failed(&e);
            ctx.html(StatusCode::OK, page.forgot(login_label(&hosted)))
        }
    }
}

pub(crate) async fn reset_post(
    State(state): State<Arc<AppState>>,
    HostedForm { ctx, hosted, form }: HostedForm,
) -> Response {
    let username = form.field("username").to_owned();
    let code = SecretString::from(form.field("code").trim());
    let password = SecretString::from(form.field("password"));
    let mut page = ctx.page(&hosted);
    match state
        .service
        .hosted()
        .hosted_confirm_forgot_password(&hosted, &username, &code, &password)
        .await
    {
        Ok(()) => ctx.sign_in_page(
            StatusCode::OK,
            &hosted,
            &username,
            Above::Notice(Text::PasswordChanged),
        ),
        Err(e) => {
            page.failed(&e);
            ctx.html(StatusCode::OK, page.reset(&username))
        }
    }
}
