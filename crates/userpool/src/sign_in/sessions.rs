//! Challenge sessions: sealing a challenge's state into its `Session`, opening one that comes
//! back, and spending it once.

use super::*;

/// Longest a session marker must be kept (the longest session plus the timestamp window).
pub(crate) const MARKER_SECONDS: i64 = 16 * 60;

/// The replay marker of session `id`.
pub(crate) fn session_marker(id: &[u8; 16]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(b"userpool/v1/session-marker");
    hasher.update(id);
    hasher.finalize().into()
}

impl SignIn {
    /// Opens a sealed session (or SECRET_BLOCK) for this pool and client.
    pub(crate) fn open_pending(
        &self,
        cx: &SignInContext<'_>,
        sealed: &[u8],
    ) -> Result<PendingChallenge> {
        let invalid = || cx.flow_error(&FlowError::InvalidSession);
        let (pool_id, blob) = split_session(sealed).ok_or_else(invalid)?;
        if pool_id != cx.pool.id.as_str() {
            return Err(invalid());
        }
        let plain = self
            .core
            .sealer(&cx.pool.id, Purpose::Session)
            .open(blob, b"")
            .map_err(|_| invalid())?;
        self.with_flow(cx, |flow| PendingChallenge::open(&plain, flow))?
            .map_err(|e| cx.flow_error(&e))
    }

    /// Marks a session used; a second use (or a concurrent one that lost) is refused.
    pub(crate) async fn spend_session(&self, cx: &SignInContext<'_>, id: &[u8; 16]) -> Result<()> {
        let marker = session_marker(id);
        let first = self
            .core
            .store()
            .mark_used(&cx.pool.id, &marker, self.core.now() + MARKER_SECONDS)
            .await?;
        if first {
            Ok(())
        } else {
            Err(cx.flow_error(&FlowError::InvalidSession))
        }
    }

    /// Seals and renders a challenge.
    pub(crate) fn render(
        &self,
        cx: &SignInContext<'_>,
        challenge: Challenge,
    ) -> Result<AuthResponse> {
        let nonce = self.core.entropy.bytes::<12>()?;
        let sealer = self.core.sealer(&cx.pool.id, Purpose::Session);
        let pool_id = cx.pool.id.as_str().as_bytes();
        let out = challenge
            .render(|bytes| {
                // The pool id travels in clear ahead of the sealed state, so requests that
                // carry only a `Session` (AssociateSoftwareToken) find their pool.
                let mut out = Vec::with_capacity(
                    1 + pool_id.len() + HEADER_BYTES + NONCE_BYTES + bytes.len() + TAG_BYTES,
                );
                out.push(u8::try_from(pool_id.len()).unwrap_or(0));
                out.extend_from_slice(pool_id);
                out.extend_from_slice(&sealer.seal(bytes, b"", nonce));
                out
            })
            .map_err(|e| cx.flow_error(&e))?;
        Ok(AuthResponse {
            challenge_name: Some(out.name.to_string()),
            session: out.session.clone().map(Into::into),
            challenge_parameters: SecretMap(out.parameters),
            authentication_result: None,
            available_challenges: out
                .available_challenges
                .iter()
                .map(|c| (*c).to_owned())
                .collect(),
        })
    }
}
