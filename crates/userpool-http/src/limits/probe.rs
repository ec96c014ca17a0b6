//! The sources a JSON request names, for per-username and per-client limits: its `ClientId`
//! and, for credential and code operations, the username it is about (`Username`,
//! `AuthParameters.USERNAME` or `ChallengeResponses.USERNAME`). Read leniently — a body that is
//! not the operation's shape is refused later by the strict decoder, with its own error.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::Scope;

/// The operations whose username is limited on its own.
const USERNAME_LIMITED: [&str; 11] = [
    "InitiateAuth",
    "AdminInitiateAuth",
    "RespondToAuthChallenge",
    "AdminRespondToAuthChallenge",
    "SignUp",
    "ConfirmSignUp",
    "ResendConfirmationCode",
    "ForgotPassword",
    "ConfirmForgotPassword",
    "AdminResetUserPassword",
    "AdminSetUserPassword",
];

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct Probe {
    client_id: Option<String>,
    user_pool_id: Option<String>,
    username: Option<String>,
    auth_parameters: Option<BTreeMap<String, serde_json::Value>>,
    challenge_responses: Option<BTreeMap<String, serde_json::Value>>,
}

/// What a request is charged to besides its IP.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Named {
    pub(crate) client: Option<Scope>,
    pub(crate) username: Option<Scope>,
}

/// The client and username `body` names for `action`.
pub(crate) fn named(action: &str, body: &[u8]) -> Named {
    let Ok(probe) = serde_json::from_slice::<Probe>(body) else {
        return Named::default();
    };
    let from_map = |m: &Option<BTreeMap<String, serde_json::Value>>| {
        m.as_ref()
            .and_then(|m| m.get("USERNAME"))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let username = probe
        .username
        .clone()
        .or_else(|| from_map(&probe.auth_parameters))
        .or_else(|| from_map(&probe.challenge_responses))
        .filter(|u| !u.is_empty());
    let at = probe
        .client_id
        .clone()
        .or_else(|| probe.user_pool_id.clone())
        .unwrap_or_default();
    Named {
        client: probe
            .client_id
            .filter(|c| !c.is_empty())
            .map(|c| Scope::Client(c.chars().take(128).collect())),
        username: username
            .filter(|_| USERNAME_LIMITED.contains(&action))
            .map(|u| Scope::username(&at, &u)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_of_credential_operations() {
        let n = named(
            "InitiateAuth",
            br#"{"ClientId":"c1","AuthFlow":"USER_SRP_AUTH","AuthParameters":{"USERNAME":"Alice","SRP_A":"ab"}}"#,
        );
        assert_eq!(n.client, Some(Scope::Client("c1".into())));
        assert_eq!(n.username, Some(Scope::username("c1", "alice")));
        let n = named(
            "RespondToAuthChallenge",
            br#"{"ClientId":"c1","ChallengeResponses":{"USERNAME":"bob"}}"#,
        );
        assert_eq!(n.username, Some(Scope::username("c1", "bob")));
        let n = named("GetUser", br#"{"AccessToken":"t"}"#);
        assert_eq!(n, Named::default());
        let n = named(
            "SignUp",
            br#"{"ClientId":"c1","Username":"eve","Password":"p"}"#,
        );
        assert_eq!(n.username, Some(Scope::username("c1", "eve")));
        assert_eq!(named("SignUp", b"not json"), Named::default());
        let n = named(
            "InitiateAuth",
            br#"{"ClientId":"c1","AuthFlow":"REFRESH_TOKEN_AUTH","AuthParameters":{"REFRESH_TOKEN":"x"}}"#,
        );
        assert_eq!(n.username, None);
    }
}
