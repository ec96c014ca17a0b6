//! Signing in at the hosted UI: the sign-in page (or straight back to the client with a live
//! sign-in cookie), the password form and its passwordless buttons (`USER_AUTH` with an email
//! or SMS code or a passkey), the challenge pages (new password, MFA and sign-in codes, MFA
//! choice, TOTP setup with a QR code, the passkey ceremony) and the final cookie and
//! redirect.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::Response;
use userpool::wire::{HostedRequest, HostedStep, SecretString};
use userpool::{Error, ErrorKind};

use super::context::{Above, Ctx, HostedForm, HostedPage, redirect};
use super::i18n::{Text, error_text};
use super::{cookies, qr};
use crate::routes::AppState;

pub(crate) async fn login_get(State(state): State<Arc<AppState>>, page: HostedPage) -> Response {
    let HostedPage { ctx, request } = page;
    let cookie = ctx.session_cookie(&request.pool_id);
    if let Some(location) = state
        .service
        .hosted()
        .resume_session(&request, cookie.as_deref())
        .await
    {
        return redirect(StatusCode::FOUND, &location);
    }
    ctx.sign_in_page(StatusCode::OK, &request, "", Above::Nothing)
}

pub(crate) async fn login_post(
    State(state): State<Arc<AppState>>,
    HostedForm { ctx, hosted, form }: HostedForm,
) -> Response {
    let username = form.field("username").trim().to_owned();
    let factor = form.field("factor");
    if !factor.is_empty() {
        return passwordless(&state, &ctx, &hosted, &username, factor).await;
    }
    let password = SecretString::from(form.field("password"));
    match state
        .service
        .hosted()
        .hosted_sign_in(&hosted, &username, &password)
        .await
    {
        Ok(step) => step_response(&state, &ctx, &hosted, &username, step).await,
        Err(e) if e.kind() == ErrorKind::UserNotConfirmed => {
            let _ = state
                .service
                .hosted()
                .hosted_resend_code(&hosted, &username)
                .await;
            let mut page = ctx.page(&hosted);
            page.notice = Some(Text::NotConfirmed);
            ctx.html(StatusCode::OK, page.confirm(&username))
        }
        Err(e) => ctx.sign_in_page(
            StatusCode::OK,
            &hosted,
            &username,
            Above::Error(error_text(e.kind())),
        ),
    }
}

/// The sign-in page's passwordless buttons: a code by email or SMS, or a passkey.
async fn passwordless(
    state: &AppState,
    ctx: &Ctx,
    hosted: &HostedRequest,
    username: &str,
    factor: &str,
) -> Response {
    let outcome = if username.is_empty() {
        Err(Error::new(
            ErrorKind::InvalidParameter,
            "USERNAME is missing",
        ))
    } else {
        state
            .service
            .hosted()
            .hosted_passwordless(hosted, username, factor)
            .await
    };
    match outcome {
        Ok(step) => step_response(state, ctx, hosted, username, step).await,
        Err(e) => {
            let text = if e.kind() == ErrorKind::InvalidParameter && !username.is_empty() {
                Text::MethodUnavailable
            } else {
                error_text(e.kind())
            };
            ctx.sign_in_page(StatusCode::OK, hosted, username, Above::Error(text))
        }
    }
}

/// The answer to a sign-in step: the cookie and the redirect, or the next challenge page.
async fn step_response(
    state: &AppState,
    ctx: &Ctx,
    hosted: &HostedRequest,
    username: &str,
    step: HostedStep,
) -> Response {
    match step {
        HostedStep::SignedIn { session, location } => {
            let mut r = redirect(StatusCode::SEE_OTHER, &location);
            if let Some(v) = ctx.set_session_cookie(
                &cookies::session_name(&hosted.pool_id, ctx.https),
                session.cookie.expose_secret(),
                session.max_age,
            ) {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            r
        }
        HostedStep::Challenge { name, session, .. } if name == "MFA_SETUP" => {
            totp_setup(state, ctx, hosted, username, &session).await
        }
        HostedStep::Challenge {
            name,
            session,
            parameters,
        } if name == "WEB_AUTHN" => {
            let options = parameters
                .get("CREDENTIAL_REQUEST_OPTIONS")
                .map_or("{}", String::as_str);
            ctx.html_with_passkey_script(
                StatusCode::OK,
                ctx.page(hosted)
                    .passkey_sign_in(session.expose_secret(), username, options),
            )
        }
        HostedStep::Challenge {
            name,
            session,
            parameters,
        } => {
            let options: Vec<String> = parameters
                .get("MFAS_CAN_CHOOSE")
                .and_then(|v| serde_json::from_str(v).ok())
                .unwrap_or_default();
            ctx.html(
                StatusCode::OK,
                ctx.page(hosted)
                    .challenge(&name, session.expose_secret(), username, &options),
            )
        }
    }
}

async fn totp_setup(
    state: &AppState,
    ctx: &Ctx,
    hosted: &HostedRequest,
    username: &str,
    session: &SecretString,
) -> Response {
    match state
        .service
        .hosted()
        .hosted_associate_software_token(session)
        .await
    {
        Ok(associated) => {
            let next = associated
                .session
                .clone()
                .unwrap_or_else(|| session.clone());
            let secret = associated.secret_code.expose_secret();
            let uri = qr::otpauth_uri(&hosted.client_name, username, secret);
            ctx.html(
                StatusCode::OK,
                ctx.page(hosted)
                    .totp_setup(next.expose_secret(), username, secret, &qr::svg(&uri)),
            )
        }
        Err(e) => sign_in_again(ctx, hosted, &e),
    }
}

fn sign_in_again(ctx: &Ctx, hosted: &HostedRequest, e: &Error) -> Response {
    let text = match e.kind() {
        ErrorKind::NotAuthorized => Text::SessionExpired,
        other => error_text(other),
    };
    ctx.sign_in_page(StatusCode::OK, hosted, "", Above::Error(text))
}

pub(crate) async fn challenge_post(
    State(state): State<Arc<AppState>>,
    HostedForm { ctx, hosted, form }: HostedForm,
) -> Response {
    let challenge = form.field("challenge").to_owned();
    let username = form.field("username").to_owned();
    let session = SecretString::from(form.field("session"));
    let code = SecretString::from(form.field("code").trim());
    if challenge == "MFA_SETUP" {
        let verified = match state
            .service
            .hosted()
            .hosted_verify_software_token(&session, &code)
            .await
        {
            Ok(v) => v,
            Err(e) => return sign_in_again(&ctx, &hosted, &e),
        };
        let next = verified.session.unwrap_or(session);
        return match state
            .service
            .hosted()
            .hosted_respond(&hosted, "MFA_SETUP", &next, &username, BTreeMap::new())
            .await
        {
            Ok(step) => step_response(&state, &ctx, &hosted, &username, step).await,
            Err(e) => sign_in_again(&ctx, &hosted, &e),
        };
    }
    let (key, value) = match challenge.as_str() {
        "NEW_PASSWORD_REQUIRED" => ("NEW_PASSWORD", form.field("new_password").to_owned()),
        "SOFTWARE_TOKEN_MFA" => ("SOFTWARE_TOKEN_MFA_CODE", code.expose_secret().to_owned()),
        "SMS_MFA" => ("SMS_MFA_CODE", code.expose_secret().to_owned()),
        "EMAIL_OTP" => ("EMAIL_OTP_CODE", code.expose_secret().to_owned()),
        "SMS_OTP" => ("SMS_OTP_CODE", code.expose_secret().to_owned()),
        "WEB_AUTHN" => ("CREDENTIAL", form.field("credential").to_owned()),
        "SELECT_MFA_TYPE" => ("ANSWER", form.field("answer").to_owned()),
        _ => return sign_in_again(&ctx, &hosted, &Error::new(ErrorKind::NotAuthorized, "")),
    };
    let responses = BTreeMap::from([(key.to_owned(), value)]);
    match state
        .service
        .hosted()
        .hosted_respond(&hosted, &challenge, &session, &username, responses)
        .await
    {
        Ok(step) => step_response(&state, &ctx, &hosted, &username, step).await,
        Err(_) if challenge == "WEB_AUTHN" => {
            // A refused or missing passkey: back to the sign-in page (a new ceremony needs a
            // new challenge).
            ctx.sign_in_page(
                StatusCode::OK,
                &hosted,
                &username,
                Above::Error(Text::PasskeyFailed),
            )
        }
        Err(e)
            if matches!(
                e.kind(),
                ErrorKind::CodeMismatch | ErrorKind::InvalidPassword | ErrorKind::InvalidParameter
            ) =>
        {
            let mut page = ctx.page(&hosted);
            page.failed(&e);
            ctx.html(
                StatusCode::OK,
                page.challenge(&challenge, session.expose_secret(), &username, &[]),
            )
        }
        Err(e) => sign_in_again(&ctx, &hosted, &e),
    }
}
