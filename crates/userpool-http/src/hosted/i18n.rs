//! The hosted pages' message catalogue: English and Japanese, chosen by `lang=` or by
//! `Accept-Language` (highest `q` among the languages we have; English otherwise).

use userpool::{ErrorKind, StandardAttribute};

/// A page language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lang {
    /// English.
    En,
    /// Japanese.
    Ja,
}

impl Lang {
    /// The `lang` attribute / query value.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Ja => "ja",
        }
    }

    fn parse(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Self::En),
            "ja" => Some(Self::Ja),
            _ => None,
        }
    }

    /// `lang=` if it names a language we have, else the best of `Accept-Language`.
    pub(crate) fn choose(lang_param: Option<&str>, accept_language: Option<&str>) -> Self {
        if let Some(l) = lang_param.and_then(Self::parse) {
            return l;
        }
        let mut best: Option<(f32, Self)> = None;
        for entry in accept_language.unwrap_or_default().split(',').take(32) {
            let mut parts = entry.split(';');
            let Some(lang) = parts.next().and_then(Self::parse) else {
                continue;
            };
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
                best = Some((q, lang));
            }
        }
        best.map_or(Self::En, |(_, l)| l)
    }
}

/// Every text the pages show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub(crate) enum Text {
    SignInTitle,
    SignInWith,
    SignInLead,
    Username,
    Email,
    Phone,
    Password,
    NewPassword,
    SignIn,
    SignUp,
    SignUpTitle,
    ForgotPassword,
    ForgotTitle,
    ForgotLead,
    SendCode,
    ResetTitle,
    ResetLead,
    ResetPassword,
    Code,
    ConfirmTitle,
    ConfirmLead,
    Confirm,
    ResendCode,
    CodeResent,
    Confirmed,
    PasswordChanged,
    BackToSignIn,
    NewPasswordTitle,
    NewPasswordLead,
    Continue,
    MfaTitle,
    TotpLead,
    SmsLead,
    EmailLead,
    SelectMfaTitle,
    Authenticator,
    Sms,
    EmailOtp,
    TotpSetupTitle,
    TotpSetupLead,
    TotpSecret,
    ErrorTitle,
    ErrorLead,
    FormExpired,
    SessionExpired,
    WrongCredentials,
    NotConfirmed,
    UserExists,
    WrongCode,
    ExpiredCode,
    BadPassword,
    TooMany,
    InvalidInput,
    Generic,
    FeedbackTitle,
    FeedbackValidLead,
    FeedbackInvalidLead,
    FeedbackValid,
    FeedbackInvalid,
    FeedbackDone,
    PasswordlessLead,
    EmailCodeButton,
    SmsCodeButton,
    PasskeyButton,
    SignInCodeTitle,
    PasskeyTitle,
    PasskeyLead,
    UsePasskey,
    PasskeyFailed,
    MethodUnavailable,
    AddPasskeyTitle,
    AddPasskeyLead,
    CreatePasskey,
    NotNow,
    Attribute(StandardAttribute),
}

/// The text of `key` in `lang`.
pub(crate) fn text(lang: Lang, key: Text) -> &'static str {
    use Text::*;
    let (en, ja) = match key {
        SignInTitle => ("Sign in", "サインイン"),
        SignInWith => ("Continue with", "次でサインイン:"),
        SignInLead => (
            "Sign in with your username and password",
            "ユーザー名とパスワードでサインイン",
        ),
        Username => ("Username", "ユーザー名"),
        Email => ("Email", "メールアドレス"),
        Phone => ("Phone number", "電話番号"),
        Password => ("Password", "パスワード"),
        NewPassword => ("New password", "新しいパスワード"),
        SignIn => ("Sign in", "サインイン"),
        SignUp => ("Sign up", "新規登録"),
        SignUpTitle => ("Sign up with a new account", "新しいアカウントを登録"),
        ForgotPassword => ("Forgot your password?", "パスワードをお忘れですか？"),
        ForgotTitle => ("Forgot your password?", "パスワードの再設定"),
        ForgotLead => (
            "Enter your username and we will send you a code to reset your password.",
            "ユーザー名を入力してください。パスワード再設定用のコードを送信します。",
        ),
        SendCode => ("Send code", "コードを送信"),
        ResetTitle => ("Reset your password", "パスワードを再設定"),
        ResetLead => (
            "We have sent a code. Enter it and choose a new password.",
            "コードを送信しました。コードと新しいパスワードを入力してください。",
        ),
        ResetPassword => ("Change password", "パスワードを変更"),
        Code => ("Code", "確認コード"),
        ConfirmTitle => ("Confirm your account", "アカウントの確認"),
        ConfirmLead => (
            "We have sent a code. Enter it to confirm your account.",
            "確認コードを送信しました。コードを入力してアカウントを確認してください。",
        ),
        Confirm => ("Confirm account", "確認する"),
        ResendCode => ("Send a new code", "コードを再送信"),
        CodeResent => ("A new code has been sent.", "新しいコードを送信しました。"),
        Confirmed => (
            "Your account is confirmed. Please sign in.",
            "アカウントを確認しました。サインインしてください。",
        ),
        PasswordChanged => (
            "Your password has been changed. Please sign in.",
            "パスワードを変更しました。サインインしてください。",
        ),
        BackToSignIn => ("Back to sign in", "サインインに戻る"),
        NewPasswordTitle => ("Change password", "パスワードの変更"),
        NewPasswordLead => (
            "Please enter a new password.",
            "新しいパスワードを入力してください。",
        ),
        Continue => ("Continue", "続行"),
        MfaTitle => ("Multi-factor authentication", "多要素認証"),
        TotpLead => (
            "Enter the code from your authenticator app.",
            "認証アプリに表示されたコードを入力してください。",
        ),
        SmsLead => (
            "Enter the code we sent by SMS.",
            "SMS で送信したコードを入力してください。",
        ),
        EmailLead => (
            "Enter the code we sent by email.",
            "メールで送信したコードを入力してください。",
        ),
        SelectMfaTitle => ("Choose how to verify", "認証方法を選択"),
        Authenticator => ("Authenticator app", "認証アプリ"),
        Sms => ("Text message (SMS)", "SMS"),
        EmailOtp => ("Email", "メール"),
        TotpSetupTitle => ("Set up an authenticator app", "認証アプリの設定"),
        TotpSetupLead => (
            "Scan the QR code with your authenticator app (or enter the key), then enter the code it shows.",
            "認証アプリで QR コードを読み取るか、キーを入力し、表示されたコードを入力してください。",
        ),
        TotpSecret => ("Key", "キー"),
        ErrorTitle => (
            "An error was encountered with the requested page.",
            "要求されたページでエラーが発生しました。",
        ),
        ErrorLead => (
            "Check the link you followed, or go back to the application.",
            "リンクを確認するか、アプリケーションに戻ってください。",
        ),
        FormExpired => (
            "This form has expired. Please try again.",
            "フォームの有効期限が切れました。もう一度お試しください。",
        ),
        SessionExpired => (
            "Your session has expired. Please sign in again.",
            "セッションの有効期限が切れました。もう一度サインインしてください。",
        ),
        WrongCredentials => (
            "Incorrect username or password.",
            "ユーザー名またはパスワードが正しくありません。",
        ),
        NotConfirmed => (
            "Your account is not confirmed yet.",
            "アカウントがまだ確認されていません。",
        ),
        UserExists => (
            "An account with the given username already exists.",
            "このユーザー名のアカウントは既に存在します。",
        ),
        WrongCode => (
            "Invalid code provided, please try again.",
            "コードが正しくありません。もう一度お試しください。",
        ),
        ExpiredCode => (
            "The code has expired. Please request a new one.",
            "コードの有効期限が切れました。新しいコードを請求してください。",
        ),
        BadPassword => (
            "The password does not meet the requirements.",
            "パスワードが要件を満たしていません。",
        ),
        TooMany => (
            "Too many attempts. Please try again later.",
            "試行回数が多すぎます。しばらくしてからお試しください。",
        ),
        InvalidInput => (
            "Please check what you entered.",
            "入力内容を確認してください。",
        ),
        Generic => (
            "Something went wrong. Please try again.",
            "問題が発生しました。もう一度お試しください。",
        ),
        FeedbackTitle => ("Was this you?", "このサインインはご本人ですか？"),
        FeedbackValidLead => (
            "Confirm that the sign-in we told you about was you.",
            "お知らせしたサインインがご本人によるものであることを確認してください。",
        ),
        FeedbackInvalidLead => (
            "Report that the sign-in we told you about was not you. Change your password afterwards.",
            "お知らせしたサインインがご本人ではないことを報告してください。その後パスワードを変更してください。",
        ),
        FeedbackValid => ("Yes, this was me", "はい、本人です"),
        FeedbackInvalid => ("No, this was not me", "いいえ、本人ではありません"),
        FeedbackDone => (
            "Thank you. Your answer was recorded.",
            "ありがとうございます。回答を記録しました。",
        ),
        PasswordlessLead => (
            "Or sign in without a password",
            "またはパスワードなしでサインイン",
        ),
        EmailCodeButton => (
            "Email me a sign-in code",
            "サインインコードをメールで受け取る",
        ),
        SmsCodeButton => (
            "Text me a sign-in code",
            "サインインコードを SMS で受け取る",
        ),
        PasskeyButton => ("Sign in with a passkey", "パスキーでサインイン"),
        SignInCodeTitle => ("Enter your sign-in code", "サインインコードの入力"),
        PasskeyTitle => ("Sign in with a passkey", "パスキーでサインイン"),
        PasskeyLead => (
            "Use the passkey saved on this device or your security key.",
            "このデバイスに保存されたパスキーまたはセキュリティキーを使用してください。",
        ),
        UsePasskey => ("Use my passkey", "パスキーを使用"),
        PasskeyFailed => (
            "The passkey could not be used. Try again, or go back and choose another way to sign in.",
            "パスキーを使用できませんでした。もう一度試すか、戻って別の方法でサインインしてください。",
        ),
        MethodUnavailable => (
            "This sign-in method is not available for this account.",
            "このアカウントではこのサインイン方法を利用できません。",
        ),
        AddPasskeyTitle => ("Add a passkey", "パスキーの追加"),
        AddPasskeyLead => (
            "Create a passkey to sign in next time without a password.",
            "パスキーを作成すると、次回からパスワードなしでサインインできます。",
        ),
        CreatePasskey => ("Create a passkey", "パスキーを作成"),
        NotNow => ("Not now", "今はしない"),
        Attribute(name) => return attribute(lang, name),
    };
    match lang {
        Lang::En => en,
        Lang::Ja => ja,
    }
}

fn attribute(lang: Lang, a: StandardAttribute) -> &'static str {
    use StandardAttribute as A;
    let (en, ja) = match a {
        A::Email => ("Email", "メールアドレス"),
        A::PhoneNumber => ("Phone number", "電話番号"),
        A::Name => ("Name", "氏名"),
        A::GivenName => ("Given name", "名"),
        A::FamilyName => ("Family name", "姓"),
        A::MiddleName => ("Middle name", "ミドルネーム"),
        A::Nickname => ("Nickname", "ニックネーム"),
        A::PreferredUsername => ("Preferred username", "表示名"),
        A::Birthdate => ("Birthdate (YYYY-MM-DD)", "生年月日 (YYYY-MM-DD)"),
        A::Address => ("Address", "住所"),
        A::Gender => ("Gender", "性別"),
        A::Locale => ("Locale", "ロケール"),
        A::Zoneinfo => ("Time zone", "タイムゾーン"),
        A::Website => ("Website", "ウェブサイト"),
        A::Profile => ("Profile page", "プロフィールページ"),
        A::Picture => ("Picture (URL)", "写真 (URL)"),
        A::UpdatedAt => ("Updated at", "更新日時"),
        other => (other.name(), other.name()),
    };
    match lang {
        Lang::En => en,
        Lang::Ja => ja,
    }
}

/// The message for a failed step: Cognito's exception, said for a person.
pub(crate) fn error_text(kind: ErrorKind) -> Text {
    match kind {
        ErrorKind::NotAuthorized | ErrorKind::UserNotFound | ErrorKind::PasswordResetRequired => {
            Text::WrongCredentials
        }
        ErrorKind::UserNotConfirmed => Text::NotConfirmed,
        ErrorKind::UsernameExists | ErrorKind::AliasExists => Text::UserExists,
        ErrorKind::CodeMismatch | ErrorKind::EnableSoftwareTokenMfa => Text::WrongCode,
        ErrorKind::ExpiredCode => Text::ExpiredCode,
        ErrorKind::InvalidPassword => Text::BadPassword,
        ErrorKind::LimitExceeded | ErrorKind::TooManyFailedAttempts => Text::TooMany,
        ErrorKind::InvalidParameter => Text::InvalidInput,
        _ => Text::Generic,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lang_parameter_wins_then_the_best_accept_language() {
        assert_eq!(Lang::choose(Some("ja"), Some("en")), Lang::Ja);
        assert_eq!(Lang::choose(Some("xx"), Some("ja-JP,en;q=0.5")), Lang::Ja);
        assert_eq!(Lang::choose(None, Some("fr, en;q=0.4, ja;q=0.8")), Lang::Ja);
        assert_eq!(Lang::choose(None, Some("ja;q=0, en")), Lang::En);
        assert_eq!(Lang::choose(None, Some("de")), Lang::En);
        assert_eq!(Lang::choose(None, None), Lang::En);
    }

    #[test]
    fn every_text_exists_in_both_languages_and_they_differ() {
        for key in [
            Text::SignInTitle,
            Text::WrongCredentials,
            Text::TotpSetupLead,
        ] {
            assert_ne!(text(Lang::En, key), text(Lang::Ja, key));
        }
        assert_eq!(
            text(Lang::Ja, Text::Attribute(StandardAttribute::Email)),
            "メールアドレス"
        );
    }
}
