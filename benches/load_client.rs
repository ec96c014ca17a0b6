//! The load bench's client: Cognito's JSON 1.1 actions sent over HTTP (reqwest, keep-alive)
//! or handed to a [`Service`] directly (the facade), the bench pool created through the wire
//! API, and the four timed operations.
//!
//! Every operation returns the time spent waiting for the server (the request round trips;
//! for the facade, the `Service` calls) apart from the client's own SRP math.

use std::time::{Duration, Instant};

use rand_chacha::ChaCha20Rng;
use serde_json::{Value, json};
use userpool::wire::{AccessTokenRequest, AuthResponse, InitiateAuthRequest};
use userpool::wire::{RespondToAuthChallengeRequest, SecretString};
use userpool::{Service, SrpSignIn};

use crate::sigv4::{CONTENT_TYPE, Signer};

/// The password of every bench user.
pub const PASSWORD: &str = "Corr3ct-Horse!";

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallError {
    /// No HTTP answer (connection refused, reset, timeout).
    Transport(String),
    /// An error answer: the HTTP status (0 for the facade) and the body or message.
    Service(u16, String),
    /// A success answer without what the operation expects.
    Unexpected(String),
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Transport(e) => write!(f, "transport: {e}"),
            Self::Service(status, body) => write!(f, "status {status}: {body}"),
            Self::Unexpected(what) => write!(f, "unexpected answer: {what}"),
        }
    }
}

impl std::error::Error for CallError {}

/// Where the actions go.
#[derive(Debug, Clone)]
pub enum Transport {
    /// An endpoint over HTTP; admin actions are SigV4-signed when there is a signer.
    Http {
        /// The connection pool (keep-alive).
        http: reqwest::Client,
        /// `http://host:port`.
        url: String,
        /// `host:port`, as signed.
        host: String,
        /// The admin key pair.
        signer: Option<Signer>,
    },
    /// The service in this process.
    Facade(Service),
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
}

fn from_value<T: serde::de::DeserializeOwned>(body: Value) -> Result<T, CallError> {
    serde_json::from_value(body).map_err(|e| CallError::Unexpected(e.to_string()))
}

fn to_value<T: serde::Serialize>(value: &T) -> Result<Value, CallError> {
    serde_json::to_value(value).map_err(|e| CallError::Unexpected(e.to_string()))
}

fn facade_error(e: userpool::Error) -> CallError {
    CallError::Service(0, e.to_string())
}

impl Transport {
    /// HTTP to `url` (`http://host:port`), signing admin actions with `signer`.
    pub fn http(url: &str, signer: Option<Signer>) -> Self {
        let url = url.trim_end_matches('/').to_owned();
        let host = url
            .split_once("://")
            .map_or(url.as_str(), |(_, rest)| rest)
            .to_owned();
        Self::Http {
            http: reqwest::Client::new(),
            url,
            host,
            signer,
        }
    }

    /// Sends `action` with `body`; returns the answer and the time the server took (the round
    /// trip, or the facade call alone). The facade knows the four timed actions only; set-up
    /// always goes over HTTP.
    pub async fn call(&self, action: &str, body: Value) -> Result<(Value, Duration), CallError> {
        match self {
            Self::Http {
                http,
                url,
                host,
                signer,
            } => {
                let target = format!("AWSCognitoIdentityProviderService.{action}");
                let bytes = body.to_string().into_bytes();
                let mut request = http
                    .post(url.as_str())
                    .header("content-type", CONTENT_TYPE)
                    .header("x-amz-target", &target);
                if let Some(signer) = signer {
                    for (name, value) in signer.sign(host, &target, &bytes, unix_now()) {
                        request = request.header(name, value);
                    }
                }
                let t0 = Instant::now();
                let response = request
                    .body(bytes)
                    .send()
                    .await
                    .map_err(|e| CallError::Transport(e.to_string()))?;
                let status = response.status();
                let text = response
                    .text()
                    .await
                    .map_err(|e| CallError::Transport(e.to_string()))?;
                let took = t0.elapsed();
                if !status.is_success() {
                    return Err(CallError::Service(status.as_u16(), text));
                }
                let value = if text.is_empty() {
                    Value::Null
                } else {
                    serde_json::from_str(&text).map_err(|e| CallError::Unexpected(e.to_string()))?
                };
                Ok((value, took))
            }
            Self::Facade(service) => {
                let sign_in = service.sign_in();
                match action {
                    "InitiateAuth" => {
                        let request: InitiateAuthRequest = from_value(body)?;
                        let t0 = Instant::now();
                        let answer = sign_in.initiate_auth(request).await;
                        let took = t0.elapsed();
                        Ok((to_value(&answer.map_err(facade_error)?)?, took))
                    }
                    "RespondToAuthChallenge" => {
                        let request: RespondToAuthChallengeRequest = from_value(body)?;
                        let t0 = Instant::now();
                        let answer = sign_in.respond_to_auth_challenge(request).await;
                        let took = t0.elapsed();
                        Ok((to_value(&answer.map_err(facade_error)?)?, took))
                    }
                    "GetUser" => {
                        let request: AccessTokenRequest = from_value(body)?;
                        let t0 = Instant::now();
                        let answer = service.accounts().get_user(request).await;
                        let took = t0.elapsed();
                        Ok((to_value(&answer.map_err(facade_error)?)?, took))
                    }
                    other => Err(CallError::Unexpected(format!(
                        "no facade route for {other}"
                    ))),
                }
            }
        }
    }
}

/// The bench pool: its id, its app client and its users (`load-user-0@example.com`, …:
/// email-shaped, as cognito-local's default pools require).
#[derive(Debug, Clone)]
pub struct BenchPool {
    /// `UserPoolId`.
    pub pool_id: String,
    /// `ClientId`.
    pub client_id: String,
    /// The usernames.
    pub users: Vec<String>,
}

/// One simulated client's state: its user and that user's current tokens.
#[derive(Debug, Clone)]
pub struct Session {
    /// The username.
    pub username: String,
    /// The latest refresh token (empty until [`sign_in_session`]).
    pub refresh_token: String,
    /// The latest access token (empty until [`sign_in_session`]).
    pub access_token: String,
}

/// Creates a pool, an app client allowing the three flows, and `users` confirmed users with
/// [`PASSWORD`] (AdminCreateUser with `SUPPRESS`, then AdminSetUserPassword permanent).
pub async fn create_pool(t: &Transport, users: usize) -> Result<BenchPool, CallError> {
    let name = format!("load{}", unix_now());
    let (pool, _) = t.call("CreateUserPool", json!({"PoolName": name})).await?;
    let pool_id = pool["UserPool"]["Id"]
        .as_str()
        .ok_or_else(|| CallError::Unexpected(format!("CreateUserPool: {pool}")))?
        .to_owned();
    let flows = [
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
    ];
    let (client, _) = t
        .call(
            "CreateUserPoolClient",
            json!({"UserPoolId": pool_id, "ClientName": "load", "ExplicitAuthFlows": flows}),
        )
        .await?;
    let client_id = client["UserPoolClient"]["ClientId"]
        .as_str()
        .ok_or_else(|| CallError::Unexpected(format!("CreateUserPoolClient: {client}")))?
        .to_owned();
    let mut names = Vec::with_capacity(users);
    for i in 0..users {
        let username = format!("load-user-{i}@example.com");
        t.call(
            "AdminCreateUser",
            json!({"UserPoolId": pool_id, "Username": username, "MessageAction": "SUPPRESS",
                   "TemporaryPassword": "Temp0rary-Pass!"}),
        )
        .await?;
        t.call(
            "AdminSetUserPassword",
            json!({"UserPoolId": pool_id, "Username": username, "Password": PASSWORD,
                   "Permanent": true}),
        )
        .await?;
        names.push(username);
    }
    Ok(BenchPool {
        pool_id,
        client_id,
        users: names,
    })
}

/// The four timed operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// USER_SRP_AUTH: InitiateAuth + RespondToAuthChallenge (PASSWORD_VERIFIER).
    Srp,
    /// USER_PASSWORD_AUTH: one InitiateAuth.
    Password,
    /// REFRESH_TOKEN_AUTH: one InitiateAuth (keeps a rotated refresh token).
    Refresh,
    /// GetUser with the access token.
    GetUser,
}

impl Op {
    /// All four, in table order.
    pub const ALL: [Self; 4] = [Self::Srp, Self::Password, Self::Refresh, Self::GetUser];

    /// The name used in tables and in `LOAD_OPS`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Srp => "srp",
            Self::Password => "password",
            Self::Refresh => "refresh",
            Self::GetUser => "getuser",
        }
    }

    /// The operation named `name`.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| op.name() == name.trim())
    }
}

/// One completed operation: the server's time and the client's SRP math.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sample {
    /// The request round trips (or facade calls).
    pub server: Duration,
    /// The client-side SRP computation (zero for the other operations).
    pub client_math: Duration,
}

fn tokens(answer: &Value) -> Result<(&str, Option<&str>), CallError> {
    let result = &answer["AuthenticationResult"];
    let access = result["AccessToken"]
        .as_str()
        .ok_or_else(|| CallError::Unexpected(format!("no AccessToken in {answer}")))?;
    Ok((access, result["RefreshToken"].as_str()))
}

/// Signs `session`'s user in with USER_PASSWORD_AUTH and keeps its tokens.
pub async fn sign_in_session(
    t: &Transport,
    pool: &BenchPool,
    session: &mut Session,
) -> Result<(), CallError> {
    run(t, pool, session, Op::Password, None).await.map(|_| ())
}

/// Runs `op` once for `session` (`rng` is needed for [`Op::Srp`]).
pub async fn run(
    t: &Transport,
    pool: &BenchPool,
    session: &mut Session,
    op: Op,
    rng: Option<&mut ChaCha20Rng>,
) -> Result<Sample, CallError> {
    let client_id = pool.client_id.as_str();
    match op {
        Op::Srp => {
            let rng = rng.ok_or_else(|| CallError::Unexpected("SRP needs an rng".into()))?;
            let t0 = Instant::now();
            let srp = SrpSignIn::start(rng, client_id, &session.username).map_err(facade_error)?;
            let first = to_value(&srp.initiate_request())?;
            let mut client_math = t0.elapsed();
            let (challenge, s1) = t.call("InitiateAuth", first).await?;
            let t1 = Instant::now();
            let challenge: AuthResponse = from_value(challenge)?;
            let answer = srp
                .answer(&pool.pool_id, &challenge, PASSWORD, unix_now())
                .map_err(facade_error)?;
            let second = to_value(&answer)?;
            client_math += t1.elapsed();
            let (done, s2) = t.call("RespondToAuthChallenge", second).await?;
            tokens(&done)?;
            Ok(Sample {
                server: s1 + s2,
                client_math,
            })
        }
        Op::Password => {
            let body = json!({"ClientId": client_id, "AuthFlow": "USER_PASSWORD_AUTH",
                "AuthParameters": {"USERNAME": session.username, "PASSWORD": PASSWORD}});
            let (answer, server) = t.call("InitiateAuth", body).await?;
            let (access, refresh) = tokens(&answer)?;
            session.access_token = access.to_owned();
            if let Some(refresh) = refresh {
                session.refresh_token = refresh.to_owned();
            }
            Ok(Sample {
                server,
                client_math: Duration::ZERO,
            })
        }
        Op::Refresh => {
            let body = json!({"ClientId": client_id, "AuthFlow": "REFRESH_TOKEN_AUTH",
                "AuthParameters": {"REFRESH_TOKEN": session.refresh_token}});
            let (answer, server) = t.call("InitiateAuth", body).await?;
            let (access, refresh) = tokens(&answer)?;
            session.access_token = access.to_owned();
            if let Some(refresh) = refresh {
                session.refresh_token = refresh.to_owned();
            }
            Ok(Sample {
                server,
                client_math: Duration::ZERO,
            })
        }
        Op::GetUser => {
            let request = AccessTokenRequest {
                access_token: SecretString::new(session.access_token.clone()),
            };
            let (answer, server) = t.call("GetUser", to_value(&request)?).await?;
            if answer["Username"].as_str().is_none() {
                return Err(CallError::Unexpected(format!("GetUser: {answer}")));
            }
            Ok(Sample {
                server,
                client_math: Duration::ZERO,
            })
        }
    }
}
