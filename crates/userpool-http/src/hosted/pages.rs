//! The hosted pages as HTML (maud templates: escaped by construction, no JavaScript but the
//! passkey pages' one script, in [`super::webauthn`]). The
//! elements carry the class names of Cognito's hosted UI (`banner-customizable`,
//! `submitButton-customizable`, `inputField-customizable`…), so CSS written for
//! SetUICustomization on Cognito styles them here too.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::i18n::{Lang, Text, text};
use userpool::StandardAttribute;

/// The built-in style sheet (a pool's own CSS is appended after it).
pub(crate) const STYLE: &str = "body{font-family:system-ui,-apple-system,'Hiragino Sans','Noto Sans JP',sans-serif;background:#f2f3f5;margin:0;color:#16191f}\
main{max-width:380px;margin:48px auto;background:#fff;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.15);padding:28px 32px}\
h1{font-size:1.3rem;margin:0 0 8px}p.lead{color:#545b64;margin:0 0 18px;font-size:.95rem}\
label{display:block;font-size:.85rem;font-weight:600;margin:12px 0 4px}\
input[type=text],input[type=password],input[type=email],input[type=tel]{width:100%;box-sizing:border-box;padding:9px 10px;border:1px solid #aab7b8;border-radius:4px;font-size:1rem}\
button{width:100%;margin-top:18px;padding:10px;border:0;border-radius:4px;background:#0972d3;color:#fff;font-size:1rem;font-weight:600;cursor:pointer}\
button.link{background:none;color:#0972d3;font-weight:400;margin-top:8px}\
button.secondary{background:#fff;color:#0972d3;border:1px solid #0972d3;margin-top:10px}p.or{text-align:center;color:#545b64;font-size:.85rem;margin:18px 0 0}\
.error{background:#fff0f0;border:1px solid #d91515;color:#d91515;padding:8px 10px;border-radius:4px;margin-bottom:12px}\
.notice{background:#f2f8fd;border:1px solid #0972d3;padding:8px 10px;border-radius:4px;margin-bottom:12px}\
nav{margin-top:18px;font-size:.9rem;display:flex;justify-content:space-between}a{color:#0972d3}\
.client{color:#545b64;font-size:.8rem;margin-bottom:14px}.qr svg{width:200px;height:200px;display:block;margin:8px auto}\
code.secret{display:block;word-break:break-all;background:#f2f3f5;padding:6px;border-radius:4px;font-size:.85rem}\
.lang{text-align:right;font-size:.8rem;margin-bottom:6px}img.logo-customizable{display:block;max-width:100%;max-height:80px;margin:0 auto 12px}";

/// What every page needs.
#[derive(Debug, Clone)]
pub(crate) struct Page<'a> {
    /// The language.
    pub(crate) lang: Lang,
    /// The CSRF token for the forms.
    pub(crate) csrf: &'a str,
    /// The authorization request's query, carried from page to page.
    pub(crate) query: &'a str,
    /// The client's name.
    pub(crate) client_name: &'a str,
    /// An error to show above the form.
    pub(crate) error: Option<Text>,
    /// A notice to show above the form.
    pub(crate) notice: Option<Text>,
    /// The pool's (or client's) CSS from SetUICustomization.
    pub(crate) css: Option<&'a str>,
    /// Where the customized logo is served.
    pub(crate) logo: Option<&'a str>,
    /// The client's external identity providers: a button each on the sign-in page.
    pub(crate) providers: &'a [String],
    /// The passwordless first factors offered: a button each on the sign-in page.
    pub(crate) first_factors: &'a [&'static str],
}

impl Page<'_> {
    /// Shows `e` above the form, in words for a person.
    pub(crate) fn failed(&mut self, e: &userpool::Error) {
        self.error = Some(super::i18n::error_text(e.kind()));
    }

    pub(super) fn t(&self, key: Text) -> &'static str {
        text(self.lang, key)
    }

    /// A sibling page with the request's query, as a relative reference (`login?…`), so the
    /// pages also work when the router is nested under a prefix.
    /// `/oauth2/authorize` with this request, through `provider` (relative to the pages).
    fn provider_link(&self, provider: &str) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (k, v) in form_urlencoded::parse(self.query.as_bytes()) {
            if k != "identity_provider" && k != "idp_identifier" {
                query.append_pair(&k, &v);
            }
        }
        query.append_pair("identity_provider", provider);
        format!("oauth2/authorize?{}", query.finish())
    }

    pub(super) fn action(&self, path: &str) -> String {
        format!("{}?{}", path.trim_start_matches('/'), self.query)
    }

    fn other_lang_link(&self, path: &str) -> (String, &'static str) {
        let (other, label) = match self.lang {
            Lang::En => ("ja", "日本語"),
            Lang::Ja => ("en", "English"),
        };
        let rest: Vec<(String, String)> = form_urlencoded::parse(self.query.as_bytes())
            .filter(|(k, _)| k != "lang")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &rest {
            q.append_pair(k, v);
        }
        q.append_pair("lang", other);
        (
            format!("{}?{}", path.trim_start_matches('/'), q.finish()),
            label,
        )
    }

    pub(super) fn layout(&self, path: &str, title: Text, body: Markup) -> Markup {
        let (switch, label) = self.other_lang_link(path);
        html! {
            (DOCTYPE)
            html lang=(self.lang.code()) {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    meta name="referrer" content="no-referrer";
                    title { (self.t(title)) }
                    style { (PreEscaped(STYLE)) }
                    @if let Some(css) = self.css {
                        // SetUICustomization refuses `<`, so this cannot leave the element.
                        style #custom { (PreEscaped(css)) }
                    }
                }
                body.background-customizable {
                    main {
                        div.lang { a href=(switch) { (label) } }
                        @if let Some(logo) = self.logo {
                            div.banner-customizable { img.logo-customizable src=(logo) alt=""; }
                        }
                        @if !self.client_name.is_empty() {
                            div.client { (self.client_name) }
                        }
                        h1 { (self.t(title)) }
                        @if let Some(e) = self.error {
                            div.error.errorMessage-customizable role="alert" { (self.t(e)) }
                        }
                        @if let Some(n) = self.notice {
                            div.notice role="status" { (self.t(n)) }
                        }
                        (body)
                    }
                }
            }
        }
    }

    pub(super) fn csrf_field(&self) -> Markup {
        html! { input type="hidden" name="_csrf" value=(self.csrf); }
    }

    /// The sign-in page.
    pub(crate) fn sign_in(&self, login_label: Text, username: &str) -> Markup {
        self.layout(
            "/login",
            Text::SignInTitle,
            html! {
                @if !self.providers.is_empty() {
                    div.idp-buttons {
                        @for provider in self.providers {
                            a.idpButton-customizable.provider href=(self.provider_link(provider)) data-provider=(provider) {
                                (self.t(Text::SignInWith)) " " (provider)
                            }
                        }
                    }
                }
                p.lead.textDescription-customizable { (self.t(Text::SignInLead)) }
                form method="post" action=(self.action("/login")) {
                    (self.csrf_field())
                    label.label-customizable for="username" { (self.t(login_label)) }
                    input.inputField-customizable #username type="text" name="username" value=(username) autocomplete="username" autocapitalize="none" required;
                    label.label-customizable for="password" { (self.t(Text::Password)) }
                    input.inputField-customizable #password type="password" name="password" autocomplete="current-password" required;
                    button.submitButton-customizable #signin type="submit" { (self.t(Text::SignIn)) }
                    @if !self.first_factors.is_empty() {
                        p.or { (self.t(Text::PasswordlessLead)) }
                        @for factor in self.first_factors {
                            // No password needed: these skip the form's `required` checks.
                            button.secondary.passwordless-customizable type="submit" name="factor" value=(factor) formnovalidate
                                id=(match *factor { "EMAIL_OTP" => "signin-email", "SMS_OTP" => "signin-sms", _ => "signin-passkey" }) {
                                (self.t(match *factor {
                                    "EMAIL_OTP" => Text::EmailCodeButton,
                                    "SMS_OTP" => Text::SmsCodeButton,
                                    _ => Text::PasskeyButton,
                                }))
                            }
                        }
                    }
                }
                nav {
                    a #forgot href=(self.action("/forgotPassword")) { (self.t(Text::ForgotPassword)) }
                    a #signup href=(self.action("/signup")) { (self.t(Text::SignUp)) }
                }
            },
        )
    }

    /// The sign-up page: username (unless the pool signs in by email or phone), password,
    /// and the pool's required attributes.
    pub(crate) fn sign_up(
        &self,
        login_label: Option<Text>,
        attributes: &[String],
        values: &[(String, String)],
    ) -> Markup {
        let value = |name: &str| {
            values
                .iter()
                .find(|(k, _)| k == name)
                .map_or("", |(_, v)| v.as_str())
        };
        self.layout(
            "/signup",
            Text::SignUpTitle,
            html! {
                form method="post" action=(self.action("/signup")) {
                    (self.csrf_field())
                    @if let Some(label) = login_label {
                        label.label-customizable for="username" { (self.t(label)) }
                        input.inputField-customizable #username type="text" name="username" value=(value("username")) autocomplete="username" autocapitalize="none" required;
                    }
                    @for name in attributes {
                        @let known = StandardAttribute::parse(name);
                        label.label-customizable for=(format!("attr_{name}")) {
                            @match known {
                                Some(k) => (self.t(Text::Attribute(k))),
                                None => (name),
                            }
                        }
                        input.inputField-customizable id=(format!("attr_{name}")) type=(if name == "email" { "email" } else if name == "phone_number" { "tel" } else { "text" })
                            name=(format!("attr_{name}")) value=(value(name)) required;
                    }
                    label.label-customizable for="password" { (self.t(Text::Password)) }
                    input.inputField-customizable #password type="password" name="password" autocomplete="new-password" required;
                    button.submitButton-customizable #signup type="submit" { (self.t(Text::SignUp)) }
                }
                nav { a href=(self.action("/login")) { (self.t(Text::BackToSignIn)) } }
            },
        )
    }

    /// The account confirmation page.
    pub(crate) fn confirm(&self, username: &str) -> Markup {
        self.layout(
            "/login",
            Text::ConfirmTitle,
            html! {
                p.lead.textDescription-customizable { (self.t(Text::ConfirmLead)) }
                form method="post" action=(self.action("/confirm")) {
                    (self.csrf_field())
                    input type="hidden" name="username" value=(username);
                    label.label-customizable for="code" { (self.t(Text::Code)) }
                    input.inputField-customizable #code type="text" name="code" inputmode="numeric" autocomplete="one-time-code" required;
                    button.submitButton-customizable #confirm type="submit" { (self.t(Text::Confirm)) }
                }
                form method="post" action=(self.action("/confirm")) {
                    (self.csrf_field())
                    input type="hidden" name="username" value=(username);
                    input type="hidden" name="resend" value="1";
                    button.link #resend type="submit" { (self.t(Text::ResendCode)) }
                }
            },
        )
    }

    /// The forgot-password page.
    pub(crate) fn forgot(&self, login_label: Text) -> Markup {
        self.layout(
            "/forgotPassword",
            Text::ForgotTitle,
            html! {
                p.lead.textDescription-customizable { (self.t(Text::ForgotLead)) }
                form method="post" action=(self.action("/forgotPassword")) {
                    (self.csrf_field())
                    label.label-customizable for="username" { (self.t(login_label)) }
                    input.inputField-customizable #username type="text" name="username" autocomplete="username" autocapitalize="none" required;
                    button.submitButton-customizable #send type="submit" { (self.t(Text::SendCode)) }
                }
                nav { a href=(self.action("/login")) { (self.t(Text::BackToSignIn)) } }
            },
        )
    }

    /// The password-reset page (code + new password).
    pub(crate) fn reset(&self, username: &str) -> Markup {
        self.layout(
            "/forgotPassword",
            Text::ResetTitle,
            html! {
                p.lead.textDescription-customizable { (self.t(Text::ResetLead)) }
                form method="post" action=(self.action("/confirmForgotPassword")) {
                    (self.csrf_field())
                    input type="hidden" name="username" value=(username);
                    label.label-customizable for="code" { (self.t(Text::Code)) }
                    input.inputField-customizable #code type="text" name="code" inputmode="numeric" autocomplete="one-time-code" required;
                    label.label-customizable for="password" { (self.t(Text::NewPassword)) }
                    input.inputField-customizable #password type="password" name="password" autocomplete="new-password" required;
                    button.submitButton-customizable #reset type="submit" { (self.t(Text::ResetPassword)) }
                }
            },
        )
    }

    pub(super) fn challenge_form(
        &self,
        challenge: &str,
        session: &str,
        username: &str,
        fields: Markup,
    ) -> Markup {
        html! {
            form method="post" action=(self.action("/challenge")) {
                (self.csrf_field())
                input type="hidden" name="challenge" value=(challenge);
                input type="hidden" name="session" value=(session);
                input type="hidden" name="username" value=(username);
                (fields)
            }
        }
    }

    /// A sign-in challenge page: new password, an MFA code, or the choice of factor.
    pub(crate) fn challenge(
        &self,
        challenge: &str,
        session: &str,
        username: &str,
        options: &[String],
    ) -> Markup {
        let code_field = |lead: Text| {
            html! {
                p.lead.textDescription-customizable { (self.t(lead)) }
                label.label-customizable for="code" { (self.t(Text::Code)) }
                input.inputField-customizable #code type="text" name="code" inputmode="numeric" autocomplete="one-time-code" required;
                button.submitButton-customizable #verify type="submit" { (self.t(Text::SignIn)) }
            }
        };
        let (title, fields) = match challenge {
            "NEW_PASSWORD_REQUIRED" => (
                Text::NewPasswordTitle,
                html! {
                    p.lead.textDescription-customizable { (self.t(Text::NewPasswordLead)) }
                    label.label-customizable for="password" { (self.t(Text::NewPassword)) }
                    input.inputField-customizable #password type="password" name="new_password" autocomplete="new-password" required;
                    button.submitButton-customizable #change type="submit" { (self.t(Text::Continue)) }
                },
            ),
            "SMS_MFA" => (Text::MfaTitle, code_field(Text::SmsLead)),
            "SMS_OTP" => (Text::SignInCodeTitle, code_field(Text::SmsLead)),
            "EMAIL_OTP" => (Text::SignInCodeTitle, code_field(Text::EmailLead)),
            "SELECT_MFA_TYPE" => (
                Text::SelectMfaTitle,
                html! {
                    @for option in options {
                        button.submitButton-customizable type="submit" name="answer" value=(option) {
                            @match option.as_str() {
                                "SOFTWARE_TOKEN_MFA" => (self.t(Text::Authenticator)),
                                "SMS_MFA" => (self.t(Text::Sms)),
                                "EMAIL_OTP" => (self.t(Text::EmailOtp)),
                                other => (other),
                            }
                        }
                    }
                },
            ),
            _ => (Text::MfaTitle, code_field(Text::TotpLead)),
        };
        self.layout(
            "/login",
            title,
            self.challenge_form(challenge, session, username, fields),
        )
    }

    /// The TOTP setup page: QR code and key, then the first code.
    pub(crate) fn totp_setup(
        &self,
        session: &str,
        username: &str,
        secret: &str,
        qr_svg: &str,
    ) -> Markup {
        self.layout(
            "/login",
            Text::TotpSetupTitle,
            html! {
                p.lead.textDescription-customizable { (self.t(Text::TotpSetupLead)) }
                div.qr { (PreEscaped(qr_svg)) }
                label.label-customizable { (self.t(Text::TotpSecret)) }
                code.secret #secret { (secret) }
                (self.challenge_form("MFA_SETUP", session, username, html! {
                    input type="hidden" name="step" value="verify";
                    label.label-customizable for="code" { (self.t(Text::Code)) }
                    input.inputField-customizable #code type="text" name="code" inputmode="numeric" autocomplete="one-time-code" required;
                    button.submitButton-customizable #verify type="submit" { (self.t(Text::Continue)) }
                }))
            },
        )
    }
}

/// A page without the client's branding or a form: a title and `body`.
pub(crate) fn plain_page(lang: Lang, title: Text, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (text(lang, title)) }
                style { (PreEscaped(STYLE)) }
            }
            body { main { h1 { (text(lang, title)) } (body) } }
        }
    }
}

/// The error page (no form, nothing the client sent is echoed but the code).
pub(crate) fn error_page(lang: Lang, detail: &str) -> Markup {
    plain_page(
        lang,
        Text::ErrorTitle,
        html! {
            p.lead.textDescription-customizable { (text(lang, Text::ErrorLead)) }
            p.error #detail { (detail) }
        },
    )
}
