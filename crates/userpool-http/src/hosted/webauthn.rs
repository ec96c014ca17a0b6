//! The hosted UI's passkey pages: the `WEB_AUTHN` sign-in challenge and `/passkeys/add`
//! (Cognito managed login's path for registering a passkey after a hosted sign-in). They are
//! the only pages with script: one static inline script, the same on both, admitted by its
//! hash in the page's Content-Security-Policy (no `'unsafe-inline'`, nothing loaded). It turns
//! the options in the form's `data-options` into the browser's WebAuthn call
//! (`navigator.credentials.get` or `.create`, per `data-ceremony`), writes the credential as
//! `AuthenticationResponseJSON` / `RegistrationResponseJSON` into the form's `credential`
//! field and posts the form, so the CSRF check and throttling of every other form apply.
//!
//! `/passkeys/add` takes the authorization request's query (`client_id`, `redirect_uri`,
//! `response_type`… as `/login` does); without a live sign-in cookie it sends the browser to
//! `/login` with that query. After a passkey is added (or "Not now") it completes the
//! authorization request with the live sign-in, so the app gets a code as after a sign-in.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use maud::{Markup, PreEscaped, html};
use sha2::{Digest as _, Sha256};
use userpool::ErrorKind;

use super::context::{HostedForm, HostedPage, redirect};
use super::i18n::Text;
use super::pages::Page;
use crate::routes::AppState;

/// The passkey pages' script (static: the page's data travels in `data-` attributes).
pub(crate) const SCRIPT: &str = "(function(){\
var f=document.getElementById('webauthn'),b=document.getElementById('passkey');\
function bin(s){s=s.replace(/-/g,'+').replace(/_/g,'/');while(s.length%4)s+='=';return Uint8Array.from(atob(s),function(c){return c.charCodeAt(0)}).buffer}\
function str(a){var s='';new Uint8Array(a).forEach(function(x){s+=String.fromCharCode(x)});return btoa(s).replace(/\\+/g,'-').replace(/\\//g,'_').replace(/=+$/,'')}\
b.addEventListener('click',function(e){e.preventDefault();\
var o=JSON.parse(f.dataset.options),make=f.dataset.ceremony==='create',p;\
o.challenge=bin(o.challenge);\
(o[make?'excludeCredentials':'allowCredentials']||[]).forEach(function(c){c.id=bin(c.id)});\
if(make){o.user.id=bin(o.user.id);p=navigator.credentials.create({publicKey:o})}else{p=navigator.credentials.get({publicKey:o})}\
p.then(function(c){var r=c.response,j={id:c.id,rawId:str(c.rawId),type:c.type,authenticatorAttachment:c.authenticatorAttachment,clientExtensionResults:c.getClientExtensionResults(),response:{clientDataJSON:str(r.clientDataJSON)}};\
if(make){j.response.attestationObject=str(r.attestationObject);j.response.transports=r.getTransports?r.getTransports():[]}\
else{j.response.authenticatorData=str(r.authenticatorData);j.response.signature=str(r.signature);if(r.userHandle)j.response.userHandle=str(r.userHandle)}\
f.elements.credential.value=JSON.stringify(j);f.submit()},\
function(){document.getElementById('passkey-failed').hidden=false})})})();";

/// The CSP source admitting [`SCRIPT`]: `sha256-<base64 of its SHA-256>`.
pub(crate) fn script_hash() -> String {
    format!(
        "sha256-{}",
        STANDARD.encode(Sha256::digest(SCRIPT.as_bytes()))
    )
}

impl Page<'_> {
    fn ceremony(
        &self,
        action: &str,
        ceremony: &str,
        options: &str,
        button: Text,
        hidden: Markup,
    ) -> Markup {
        html! {
            div.error.errorMessage-customizable #passkey-failed role="alert" hidden { (self.t(Text::PasskeyFailed)) }
            form #webauthn method="post" action=(action) data-ceremony=(ceremony) data-options=(options) {
                (self.csrf_field())
                (hidden)
                input #credential type="hidden" name="credential";
                button.submitButton-customizable #passkey type="submit" { (self.t(button)) }
            }
            script { (PreEscaped(SCRIPT)) }
        }
    }

    /// The `WEB_AUTHN` challenge page: the passkey ceremony with the challenge's
    /// `CREDENTIAL_REQUEST_OPTIONS`, posting `CREDENTIAL` to `/challenge`.
    pub(crate) fn passkey_sign_in(&self, session: &str, username: &str, options: &str) -> Markup {
        self.layout(
            "/login",
            Text::PasskeyTitle,
            html! {
                p.lead.textDescription-customizable { (self.t(Text::PasskeyLead)) }
                (self.ceremony(&self.action("/challenge"), "get", options, Text::UsePasskey, html! {
                    input type="hidden" name="challenge" value="WEB_AUTHN";
                    input type="hidden" name="session" value=(session);
                    input type="hidden" name="username" value=(username);
                }))
                nav { a #back href=(self.action("/login")) { (self.t(Text::BackToSignIn)) } }
            },
        )
    }

    /// `/passkeys/add`: the registration ceremony with `CredentialCreationOptions`.
    pub(crate) fn passkey_add(&self, options: &str) -> Markup {
        // Relative to `/passkeys/add`.
        self.layout(
            "add",
            Text::AddPasskeyTitle,
            html! {
                p.lead.textDescription-customizable { (self.t(Text::AddPasskeyLead)) }
                (self.ceremony(&self.action("add"), "create", options, Text::CreatePasskey, html! {}))
                nav { a #skip href=(format!("../oauth2/authorize?{}", self.query)) { (self.t(Text::NotNow)) } }
            },
        )
    }
}

/// `GET /passkeys/add`.
pub(crate) async fn passkeys_add_get(
    State(state): State<Arc<AppState>>,
    page: HostedPage,
) -> Response {
    let HostedPage { ctx, request } = page;
    let cookie = ctx.session_cookie(&request.pool_id);
    match state
        .service
        .hosted()
        .hosted_passkey_options(&request, cookie.as_deref())
        .await
    {
        Ok(options) => {
            let logo = request.logo_url.as_ref().map(|l| format!("../{l}"));
            let mut page = ctx.page(&request);
            page.logo = logo.as_deref();
            ctx.html_with_passkey_script(StatusCode::OK, page.passkey_add(&options.to_string()))
        }
        Err(e) if e.kind() == ErrorKind::NotAuthorized => {
            redirect(StatusCode::FOUND, &format!("../login?{}", request.query))
        }
        Err(e) => {
            userpool::audit!(page = "passkeys/add", outcome = "unavailable", kind = ?e.kind());
            ctx.error("passkeys_unavailable")
        }
    }
}

/// `POST /passkeys/add`: the credential the script posted; then on to the client.
pub(crate) async fn passkeys_add_post(
    State(state): State<Arc<AppState>>,
    posted: HostedForm,
) -> Response {
    let HostedForm {
        ctx,
        hosted: request,
        form,
    } = posted;
    let cookie = ctx.session_cookie(&request.pool_id);
    let hosted = state.service.hosted();
    let registered = hosted
        .hosted_passkey_register(&request, cookie.as_deref(), form.field("credential"))
        .await;
    match registered {
        Ok(()) => match hosted.resume_session(&request, cookie.as_deref()).await {
            Some(location) => redirect(StatusCode::SEE_OTHER, &location),
            None => redirect(
                StatusCode::SEE_OTHER,
                &format!("../login?{}", request.query),
            ),
        },
        Err(e) if e.kind() == ErrorKind::NotAuthorized => redirect(
            StatusCode::SEE_OTHER,
            &format!("../login?{}", request.query),
        ),
        Err(e) => {
            userpool::audit!(page = "passkeys/add", outcome = "refused", kind = ?e.kind());
            // A fresh ceremony (the failed one's challenge may be spent).
            let options = hosted
                .hosted_passkey_options(&request, cookie.as_deref())
                .await
                .map(|o| o.to_string())
                .unwrap_or_default();
            let logo = request.logo_url.as_ref().map(|l| format!("../{l}"));
            let mut page = ctx.page(&request);
            page.logo = logo.as_deref();
            page.error = Some(Text::PasskeyFailed);
            ctx.html_with_passkey_script(StatusCode::OK, page.passkey_add(&options))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_hash_is_its_sha256_and_the_policy_admits_only_it() {
        let hash = script_hash();
        assert!(
            hash.starts_with("sha256-") && hash.len() == 7 + 44,
            "{hash}"
        );
        let mut h = axum::http::HeaderMap::new();
        super::super::context::security_headers(&mut h, &[], Some(&hash));
        let csp = h["content-security-policy"].to_str().unwrap_or_default();
        assert!(csp.contains(&format!("script-src '{hash}';")), "{csp}");
        assert!(!csp.contains("script-src 'unsafe-inline'"), "{csp}");
        let mut plain = axum::http::HeaderMap::new();
        super::super::context::security_headers(&mut plain, &[], None);
        let csp = plain["content-security-policy"]
            .to_str()
            .unwrap_or_default();
        assert!(!csp.contains("script-src"), "no script elsewhere: {csp}");
        // The script reads its data from the page, never from a template.
        assert!(!SCRIPT.contains("</"));
    }
}
