//! The first sign-in of a user imported with a password hash (beyond Cognito): a password
//! sign-in (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH / ADMIN_NO_SRP_AUTH, USER_AUTH with
//! `PASSWORD`, the hosted UI) checks the password against the imported hash; when it matches,
//! the user gets an SRP verifier from that password, becomes `CONFIRMED` and the hash is
//! dropped, then the sign-in goes on as any other (MFA, tokens). A wrong password is an
//! ordinary failed attempt (`NotAuthorizedException`, counted by the lockout). Until then the
//! user is `RESET_REQUIRED` without a password, so SRP and other flows answer as Cognito does
//! for an imported user (`PasswordResetRequiredException`).

use auth_flow_state_machine::FlowError;
use user_pool_model::UserStatus;
use zeroize::Zeroizing;

use super::{Loaded, SignIn, SignInContext};
use crate::error::Result;
use crate::imported_hash;
use crate::wire::InitiateAuthRequest;

/// The flows whose `PASSWORD` may adopt an imported hash.
fn password_of(req: &InitiateAuthRequest) -> Option<&str> {
    let password_flow = match req.auth_flow.as_str() {
        "USER_PASSWORD_AUTH" | "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH" => true,
        "USER_AUTH" => req.auth_parameters.get("PREFERRED_CHALLENGE") == Some("PASSWORD"),
        _ => false,
    };
    password_flow
        .then(|| req.auth_parameters.get("PASSWORD"))
        .flatten()
}

/// Runs `check` on a blocking thread when a runtime is there (hash verification is
/// deliberately slow), inline otherwise.
async fn off_thread(hash: Zeroizing<String>, password: Zeroizing<String>) -> bool {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) => handle
            .spawn_blocking(move || imported_hash::verify(&hash, &password))
            .await
            .unwrap_or(false),
        Err(_) => imported_hash::verify(&hash, &password),
    }
}

impl SignIn {
    /// `loaded` as the flow engine should see it: unchanged unless it is a user waiting for
    /// their first sign-in with an imported hash and `req` is a password sign-in; then the
    /// user migrated (`Ok`), or the failure the sign-in ends with (`Err`: locked out, or a
    /// wrong password).
    pub(crate) async fn adopt_imported_hash(
        &self,
        cx: &SignInContext<'_>,
        req: &InitiateAuthRequest,
        loaded: Option<Loaded>,
    ) -> Result<std::result::Result<Option<Loaded>, FlowError>> {
        let (Some(l), Some(password)) = (&loaded, password_of(req)) else {
            return Ok(Ok(loaded));
        };
        if l.user.imported_password_hash.is_none()
            || l.user.password.is_some()
            || l.user.status != UserStatus::ResetRequired
        {
            return Ok(Ok(loaded));
        }
        if let Err(e) = self
            .core
            .settings
            .lockout
            .check(l.failures, self.core.now())
        {
            return Ok(Err(e));
        }
        let Some(hash) = self.core.open_imported_hash(&cx.pool.id, &l.user)? else {
            return Ok(Ok(loaded));
        };
        if !off_thread(hash, Zeroizing::new(password.to_owned())).await {
            return Ok(Err(FlowError::IncorrectCredentials { counts: true }));
        }
        let mut user = l.user.clone();
        user.password = Some(self.core.password_record(&cx.pool, &user, password, None)?);
        user.status = UserStatus::Confirmed;
        user.imported_password_hash = None;
        let user = match self.core.save_user(&cx.pool, user).await {
            Ok(user) => user,
            // Another sign-in migrated (or a reset changed) the user meanwhile: take theirs.
            Err(_) => self
                .core
                .store()
                .get_user(
                    &cx.pool.id,
                    &cx.pool.case_rule.username_key(&l.user.username),
                )
                .await?
                .ok_or_else(|| cx.flow_error(&FlowError::UserNotFound))?,
        };
        crate::audit!(operation = "ImportedPasswordHashAdopted", pool = %cx.pool.id.as_str(), sub = %user.sub);
        let device_key = req.auth_parameters.get("DEVICE_KEY");
        Ok(Ok(Some(self.load(&cx.pool, user, device_key).await?)))
    }
}
