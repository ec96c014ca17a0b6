//! Secrets at rest: SRP verifiers, device verifiers, TOTP seeds and app client secrets are
//! stored sealed under the pool's at-rest key, each bound to its owner (the user's `sub`, the
//! device key, the client id), so a sealed value copied to another record does not open.

use auth_flow_state_machine::{TotpFactor, TotpSecret};
use user_pool_model::{AppClient, ClientSecret, Device, User, UserPoolId};
use zeroize::Zeroizing;

use crate::core::Core;
use crate::core::internal;
use crate::error::Result;
use crate::reseal::{
    client_secret_context, device_context, imported_hash_context, totp_context, verifier_context,
};
use crate::seal::Purpose;

/// No step used yet.
const NO_STEP: u64 = u64::MAX;

impl Core {
    pub(crate) fn seal_at_rest(
        &self,
        pool: &UserPoolId,
        context: &[u8],
        plain: &[u8],
    ) -> Result<Vec<u8>> {
        let nonce = self.entropy.bytes::<12>()?;
        Ok(self
            .sealer(pool, Purpose::AtRest)
            .seal(plain, context, nonce))
    }

    pub(crate) fn open_at_rest(
        &self,
        pool: &UserPoolId,
        context: &[u8],
        sealed: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>> {
        self.sealer(pool, Purpose::AtRest)
            .open(sealed, context)
            .map_err(|_| {
                tracing::error!(target: "userpool::at_rest", pool = %pool.as_str(), "a sealed secret does not open");
                internal()
            })
    }

    /// Seals `user`'s password verifier.
    pub(crate) fn seal_verifier(
        &self,
        pool: &UserPoolId,
        user: &User,
        verifier: &srp::Verifier,
    ) -> Result<Vec<u8>> {
        let context = verifier_context(&user.sub);
        self.seal_at_rest(pool, context.as_bytes(), &verifier.to_stored_bytes())
    }

    /// Seals a password hash imported for `user` (bound to their `sub`).
    pub(crate) fn seal_imported_hash(
        &self,
        pool: &UserPoolId,
        user: &User,
        hash: &str,
    ) -> Result<Vec<u8>> {
        let context = imported_hash_context(&user.sub);
        self.seal_at_rest(pool, context.as_bytes(), hash.as_bytes())
    }

    /// `user`'s imported password hash, if one waits for their first sign-in.
    pub(crate) fn open_imported_hash(
        &self,
        pool: &UserPoolId,
        user: &User,
    ) -> Result<Option<Zeroizing<String>>> {
        let Some(sealed) = user.imported_password_hash.as_deref() else {
            return Ok(None);
        };
        let context = imported_hash_context(&user.sub);
        let plain = self.open_at_rest(pool, context.as_bytes(), sealed)?;
        let text = std::str::from_utf8(&plain).map_err(|_| internal())?;
        Ok(Some(Zeroizing::new(text.to_owned())))
    }

    /// `user`'s password verifier, if they have a password.
    pub(crate) fn open_verifier(
        &self,
        pool: &UserPoolId,
        user: &User,
    ) -> Result<Option<srp::Verifier>> {
        let Some(record) = user.password.as_ref() else {
            return Ok(None);
        };
        let context = verifier_context(&user.sub);
        let plain = self.open_at_rest(pool, context.as_bytes(), &record.verifier)?;
        srp::Verifier::from_bytes(&plain)
            .map(Some)
            .map_err(|_| internal())
    }

    /// Re-seals `username`'s verifier with its powers (`srp::Verifier::with_powers`) when it
    /// is still `legacy`, the one stored before verifiers kept them: after one successful SRP
    /// sign-in, the user's next ones take the fast path. Best effort: a concurrent change
    /// (password reset, another sign-in's upgrade) wins, and failures are only logged.
    pub(crate) async fn upgrade_verifier(
        &self,
        pool: &user_pool_model::PoolConfig,
        username: &str,
        legacy: srp::Verifier,
    ) {
        let key = pool.case_rule.username_key(username);
        let Ok(Some(mut user)) = self.store().get_user(&pool.id, &key).await else {
            return;
        };
        let still = matches!(self.open_verifier(&pool.id, &user), Ok(Some(v)) if !v.has_powers() && v == legacy);
        if !still {
            return;
        }
        let upgraded = legacy.with_powers();
        let Ok(sealed) = self.seal_verifier(&pool.id, &user, &upgraded) else {
            return;
        };
        if let Some(record) = user.password.as_mut() {
            record.verifier = sealed;
        }
        match self.save_user(pool, user).await {
            Ok(_) => {
                crate::audit!(debug: pool = %pool.id.as_str(), "verifier upgraded with its powers");
            }
            Err(e) => {
                crate::audit!(debug: pool = %pool.id.as_str(), error = %e.exception_name(), "verifier upgrade skipped");
            }
        }
    }

    /// Seals a verified software token: the seed, its friendly name and the last step
    /// accepted.
    pub(crate) fn seal_totp(
        &self,
        pool: &UserPoolId,
        user: &User,
        factor: &TotpFactor,
    ) -> Result<Vec<u8>> {
        self.seal_totp_slot(pool, user, factor, "totp")
    }

    /// Seals an associated but not yet verified software token (its own context, so it can
    /// never be read as the verified one).
    pub(crate) fn seal_pending_totp(
        &self,
        pool: &UserPoolId,
        user: &User,
        factor: &TotpFactor,
    ) -> Result<Vec<u8>> {
        self.seal_totp_slot(pool, user, factor, "pending-totp")
    }

    fn seal_totp_slot(
        &self,
        pool: &UserPoolId,
        user: &User,
        factor: &TotpFactor,
        slot: &str,
    ) -> Result<Vec<u8>> {
        let name = factor.friendly_name.as_deref().unwrap_or("");
        let name = name.get(..name.len().min(255)).unwrap_or("");
        let mut plain = Zeroizing::new(Vec::with_capacity(9 + name.len() + 32));
        plain.extend_from_slice(&factor.last_step.unwrap_or(NO_STEP).to_be_bytes());
        plain.push(u8::try_from(name.len()).unwrap_or(0));
        plain.extend_from_slice(name.as_bytes());
        plain.extend_from_slice(factor.secret.expose_secret());
        let context = totp_context(slot, &user.sub);
        self.seal_at_rest(pool, context.as_bytes(), &plain)
    }

    /// The user's verified software token.
    pub(crate) fn open_totp(&self, pool: &UserPoolId, user: &User) -> Result<Option<TotpFactor>> {
        self.open_totp_slot(pool, user, user.mfa.totp_secret.as_deref(), "totp")
    }

    /// The user's associated, unverified software token.
    pub(crate) fn open_pending_totp(
        &self,
        pool: &UserPoolId,
        user: &User,
    ) -> Result<Option<TotpFactor>> {
        self.open_totp_slot(
            pool,
            user,
            user.mfa.pending_totp_secret.as_deref(),
            "pending-totp",
        )
    }

    fn open_totp_slot(
        &self,
        pool: &UserPoolId,
        user: &User,
        sealed: Option<&[u8]>,
        slot: &str,
    ) -> Result<Option<TotpFactor>> {
        let Some(sealed) = sealed else {
            return Ok(None);
        };
        let context = totp_context(slot, &user.sub);
        let plain = self.open_at_rest(pool, context.as_bytes(), sealed)?;
        let (step, rest) = plain.split_at_checked(8).ok_or_else(internal)?;
        let step = u64::from_be_bytes(step.try_into().map_err(|_| internal())?);
        let (len, rest) = rest.split_first().ok_or_else(internal)?;
        let (name, secret) = rest
            .split_at_checked(usize::from(*len))
            .ok_or_else(internal)?;
        Ok(Some(TotpFactor {
            secret: TotpSecret::from_bytes(secret.to_vec()),
            friendly_name: (!name.is_empty()).then(|| String::from_utf8_lossy(name).into_owned()),
            last_step: (step != NO_STEP).then_some(step),
        }))
    }

    /// Seals a device's verifier.
    pub(crate) fn seal_device_verifier(
        &self,
        pool: &UserPoolId,
        device_key: &str,
        verifier: &srp::Verifier,
    ) -> Result<Vec<u8>> {
        let context = device_context(device_key);
        self.seal_at_rest(pool, context.as_bytes(), &verifier.to_bytes())
    }

    /// A device's verifier.
    pub(crate) fn open_device_verifier(
        &self,
        pool: &UserPoolId,
        device: &Device,
    ) -> Result<srp::Verifier> {
        let context = device_context(&device.key);
        let plain = self.open_at_rest(pool, context.as_bytes(), &device.verifier)?;
        srp::Verifier::from_bytes(&plain).map_err(|_| internal())
    }

    /// `client` as it is stored: its secret sealed (bound to the client id), no plaintext.
    pub(crate) fn seal_client(&self, pool: &UserPoolId, client: &AppClient) -> Result<AppClient> {
        let mut stored = client.clone();
        let context = client_secret_context(client.id.as_str());
        stored.sealed_secret = stored
            .secret
            .take()
            .map(|s| self.seal_at_rest(pool, context.as_bytes(), s.expose_secret().as_bytes()))
            .transpose()?;
        Ok(stored)
    }

    /// Opens the secret of a `client` loaded from the store; `true` when it was stored in
    /// plaintext (a record from before secrets were sealed).
    fn open_client(&self, pool: &UserPoolId, client: &mut AppClient) -> Result<bool> {
        let Some(sealed) = client.sealed_secret.take() else {
            return Ok(client.secret.is_some());
        };
        let context = client_secret_context(client.id.as_str());
        let plain = self.open_at_rest(pool, context.as_bytes(), &sealed)?;
        let text = std::str::from_utf8(&plain).map_err(|_| internal())?;
        client.secret = Some(ClientSecret::parse(text).map_err(|_| internal())?);
        Ok(false)
    }

    /// A client loaded from the store with its secret opened. A secret an earlier version
    /// stored in plaintext is sealed now, unless the record changed since it was read.
    pub(crate) async fn opened_client(
        &self,
        pool: &UserPoolId,
        mut client: AppClient,
    ) -> Result<AppClient> {
        if self.open_client(pool, &mut client)? {
            self.seal_legacy_client(pool, &client).await;
        }
        Ok(client)
    }

    /// Best effort (failures are logged; the client works either way): re-reads the record
    /// and replaces it with its sealed form if it still is the plaintext one just read. (A
    /// client updated between the two reads keeps its update; one updated between the second
    /// read and the write, a window of one statement, loses it.)
    async fn seal_legacy_client(&self, pool: &UserPoolId, client: &AppClient) {
        let unchanged = matches!(
            self.store().get_client(pool, &client.id).await,
            Ok(current) if current.sealed_secret.is_none() && current == *client
        );
        if !unchanged {
            return;
        }
        let stored = match self.seal_client(pool, client) {
            Ok(stored) => stored,
            Err(e) => {
                tracing::warn!(target: "userpool::at_rest", pool = %pool.as_str(), client = %client.id.as_str(), error = %e.exception_name(), "a plaintext client secret was not sealed");
                return;
            }
        };
        match self.store().put_client(pool, stored).await {
            Ok(()) => {
                tracing::info!(target: "userpool::at_rest", pool = %pool.as_str(), client = %client.id.as_str(), "a client secret stored in plaintext was sealed");
            }
            Err(e) => {
                tracing::warn!(target: "userpool::at_rest", pool = %pool.as_str(), client = %client.id.as_str(), error = %e, "a plaintext client secret was not sealed");
            }
        }
    }
}
