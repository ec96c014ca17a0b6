//! The authorization request towards the provider: `state`, `nonce` and PKCE (S256), made
//! from randomness the caller passes in.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use pkce_state::CodeVerifier;
use rand_core::CryptoRng;

use crate::details::ProviderDetails;
use crate::error::{Error, Result};
use crate::provider::ProviderType;

/// The per-sign-in secrets of one authorization request: they travel sealed in the
/// relying party's own state and come back to check the provider's answer.
#[derive(Debug)]
pub struct FlowSecrets {
    /// The `state` sent to the provider: 32 random bytes, base64url. The sealed relying-party
    /// state is bound to it (and to the browser by a cookie).
    pub state: String,
    /// The `nonce` the ID token must carry.
    pub nonce: String,
    /// The PKCE verifier; its S256 challenge goes to the provider.
    pub verifier: CodeVerifier,
}

impl FlowSecrets {
    /// Fresh secrets from `rng`.
    pub fn generate(rng: &mut impl CryptoRng) -> Self {
        let mut random = || {
            let mut b = [0u8; 32];
            rng.fill_bytes(&mut b);
            URL_SAFE_NO_PAD.encode(b)
        };
        let state = random();
        let nonce = random();
        Self {
            state,
            nonce,
            verifier: CodeVerifier::generate(rng),
        }
    }
}

/// The `Location` that sends the browser to the provider: `authorize_url` with
/// `response_type=code`, `client_id`, `redirect_uri` (our `/oauth2/idpresponse`), `scope`,
/// `state`, `nonce` (providers that sign in with ID tokens), `code_challenge` (S256), and
/// Apple's `response_mode=form_post` (Apple posts the answer when scopes are requested).
pub fn authorize_url(
    details: &ProviderDetails,
    authorize_endpoint: &str,
    redirect_uri: &str,
    secrets: &FlowSecrets,
) -> Result<String> {
    if authorize_endpoint.is_empty() {
        return Err(Error::Discovery("no authorization endpoint"));
    }
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("response_type", "code")
        .append_pair("client_id", details.client_id())
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("scope", details.authorize_scopes())
        .append_pair("state", &secrets.state);
    if details.provider_type().uses_id_token() {
        q.append_pair("nonce", &secrets.nonce);
    }
    q.append_pair("code_challenge", secrets.verifier.challenge().as_str())
        .append_pair("code_challenge_method", "S256");
    if details.provider_type() == ProviderType::SignInWithApple {
        q.append_pair("response_mode", "form_post");
    }
    let sep = if authorize_endpoint.contains('?') {
        '&'
    } else {
        '?'
    };
    Ok(format!("{authorize_endpoint}{sep}{}", q.finish()))
}

/// What the provider sent back to `/oauth2/idpresponse` (query or form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderAnswer {
    /// `code` with `state` (and `iss` when the provider says who it is, RFC 9207).
    Code {
        /// The authorization code.
        code: String,
        /// `state`.
        state: String,
        /// `iss`, if sent.
        issuer: Option<String>,
    },
    /// `error` (e.g. `access_denied`) with `state`.
    Error {
        /// `error`.
        error: String,
        /// `error_description`.
        description: Option<String>,
        /// `state`, if sent.
        state: Option<String>,
    },
}

/// Reads the provider's answer from its parameters; `None` when it is neither a code with a
/// state nor an error (a request nobody should act on).
pub fn parse_answer(params: &[(String, String)]) -> Option<ProviderAnswer> {
    let get = |n: &str| pkce_state::param(params, n).map(str::to_owned);
    let bounded = |v: &Option<String>| v.as_ref().is_none_or(|s| s.len() <= 4096);
    let (code, state, error) = (get("code"), get("state"), get("error"));
    if !bounded(&code) || !bounded(&state) || !bounded(&error) {
        return None;
    }
    if let Some(error) = error {
        let error: String = error
            .chars()
            .filter(|c| c.is_ascii_graphic())
            .take(64)
            .collect();
        return Some(ProviderAnswer::Error {
            error,
            description: get("error_description")
                .map(|d| d.chars().filter(|c| !c.is_control()).take(256).collect()),
            state,
        });
    }
    Some(ProviderAnswer::Code {
        code: code?,
        state: state?,
        issuer: get("iss"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    fn oidc() -> ProviderDetails {
        ProviderDetails::parse(
            ProviderType::Oidc,
            &[
                ("client_id", "rp"),
                ("client_secret", "s"),
                ("authorize_scopes", "openid email"),
                ("attributes_request_method", "GET"),
                ("oidc_issuer", "https://idp.example"),
            ]
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        )
        .unwrap()
    }

    #[test]
    fn the_authorize_url_carries_state_nonce_and_s256() {
        let s = FlowSecrets::generate(&mut ChaCha20Rng::seed_from_u64(3));
        let url = authorize_url(
            &oidc(),
            "https://idp.example/auth",
            "https://pool.example/oauth2/idpresponse",
            &s,
        )
        .unwrap();
        let (base, query) = url.split_once('?').unwrap();
        assert_eq!(base, "https://idp.example/auth");
        let params = pkce_state::parse_query(query).unwrap();
        let get = |n| pkce_state::param(&params, n).unwrap();
        assert_eq!(get("response_type"), "code");
        assert_eq!(get("client_id"), "rp");
        assert_eq!(get("scope"), "openid email");
        assert_eq!(get("state"), s.state);
        assert_eq!(get("nonce"), s.nonce);
        assert_eq!(get("code_challenge"), s.verifier.challenge().as_str());
        assert_eq!(get("code_challenge_method"), "S256");
        assert_ne!(s.state, s.nonce);
    }

    #[test]
    fn answers_are_codes_or_errors() {
        let p = |q: &str| parse_answer(&pkce_state::parse_query(q).unwrap());
        assert_eq!(
            p("code=c&state=s&iss=https%3A%2F%2Fidp"),
            Some(ProviderAnswer::Code {
                code: "c".into(),
                state: "s".into(),
                issuer: Some("https://idp".into())
            })
        );
        assert_eq!(
            p("error=access_denied&state=s"),
            Some(ProviderAnswer::Error {
                error: "access_denied".into(),
                description: None,
                state: Some("s".into())
            })
        );
        assert_eq!(p("code=c"), None);
    }
}
