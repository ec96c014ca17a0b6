//! The lines of a dump: the header, one record per line, the end record.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use identity_pool_model::{
    IdentityId, IdentityPool, IdentityPoolId, IdentityPoolRoles, LoginKey, RoleMappings,
};
use serde::{Deserialize, Serialize};
use user_pool_model::{
    AppClient, FoldedUsername, Group, PoolConfig, ResourceServer, User, UserPoolId,
};
use userpool_store::{
    DomainRecord, IdentityRecord, ProviderLink, ProviderRecord, StoredKeys, WebAuthnCredential,
};

/// The header's `format`.
pub const FORMAT: &str = "userpool-export";

/// The format version this build writes and reads.
pub const VERSION: u64 = 1;

/// The first line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`VERSION`].
    pub version: u64,
    /// When the dump was made (unix seconds).
    pub created: i64,
    /// What made it (`userpool-portable <version>`).
    pub generator: String,
    /// How the secrets are sealed.
    pub secrets: Secrets,
}

/// How the secrets in the dump are sealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "sealed_under", rename_all = "snake_case")]
pub enum Secrets {
    /// As the source stored them: under its master key (the dump moves to a server with the
    /// same master key only).
    MasterKey,
    /// Under a key derived from a passphrase with Argon2id.
    Passphrase(crate::passphrase::KdfSettings),
}

/// Bytes as standard base64 in the dump.
#[derive(Clone, PartialEq, Eq)]
pub struct Base64(pub Vec<u8>);

impl std::fmt::Debug for Base64 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<{} bytes>", self.0.len())
    }
}

impl Serialize for Base64 {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Base64 {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD
            .decode(text.as_bytes())
            .map(Self)
            .map_err(|_| serde::de::Error::custom("invalid base64"))
    }
}

impl From<StoredKeys> for Base64 {
    fn from(keys: StoredKeys) -> Self {
        Self(keys.0)
    }
}

/// A login linked to an identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Login {
    /// The provider name (`Logins` key).
    pub provider: String,
    /// The subject there.
    pub subject: String,
}

/// An identity of an identity pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// Its id.
    pub identity_id: IdentityId,
    /// Its pool.
    pub identity_pool_id: IdentityPoolId,
    /// Linked logins.
    pub logins: Vec<Login>,
    /// Unix seconds.
    pub created: i64,
    /// Unix seconds.
    pub last_modified: i64,
    /// Inaccessible since its last login was unlinked.
    pub disabled: bool,
}

impl From<IdentityRecord> for Identity {
    fn from(r: IdentityRecord) -> Self {
        Self {
            identity_id: r.identity_id,
            identity_pool_id: r.identity_pool_id,
            logins: r
                .logins
                .into_iter()
                .map(|l| Login {
                    provider: l.provider,
                    subject: l.subject,
                })
                .collect(),
            created: r.created,
            last_modified: r.last_modified,
            disabled: r.disabled,
        }
    }
}

impl From<Identity> for IdentityRecord {
    fn from(i: Identity) -> Self {
        Self {
            identity_id: i.identity_id,
            identity_pool_id: i.identity_pool_id,
            logins: i
                .logins
                .into_iter()
                .map(|l| LoginKey {
                    provider: l.provider,
                    subject: l.subject,
                })
                .collect(),
            created: i.created,
            last_modified: i.last_modified,
            disabled: i.disabled,
        }
    }
}

/// One line after the header. Records of a pool follow its `pool` record; users follow the
/// groups and identity providers they are in or linked to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Record {
    /// A user pool's configuration (`PoolConfig`: schema, policies, MFA, messages, triggers,
    /// threat protection, passkeys, tier).
    Pool {
        /// The configuration.
        pool: Box<PoolConfig>,
    },
    /// A pool's signing keys (sealed).
    SigningKeys {
        /// The pool.
        pool_id: UserPoolId,
        /// The sealed record.
        sealed: Base64,
    },
    /// An app client (its secret sealed).
    Client {
        /// The pool.
        pool_id: UserPoolId,
        /// The client.
        client: Box<AppClient>,
    },
    /// A domain with its hosted-UI customizations.
    Domain {
        /// The domain (it names its pool).
        domain: DomainRecord,
    },
    /// A resource server.
    ResourceServer {
        /// The pool.
        pool_id: UserPoolId,
        /// The resource server.
        resource_server: ResourceServer,
    },
    /// A group.
    Group {
        /// The pool.
        pool_id: UserPoolId,
        /// The group.
        group: Group,
    },
    /// An external identity provider (its secrets sealed).
    Provider {
        /// The pool.
        pool_id: UserPoolId,
        /// The provider.
        provider: ProviderRecord,
    },
    /// A user: attributes, status, password verifier, MFA settings and devices (secrets
    /// sealed).
    User {
        /// The pool.
        pool_id: UserPoolId,
        /// The user.
        user: Box<User>,
    },
    /// A provider user linked to a pool user.
    ProviderLink {
        /// The pool.
        pool_id: UserPoolId,
        /// The link.
        link: ProviderLink,
    },
    /// A passkey.
    WebauthnCredential {
        /// The pool.
        pool_id: UserPoolId,
        /// The credential.
        credential: WebAuthnCredential,
    },
    /// A user in a group.
    Membership {
        /// The pool.
        pool_id: UserPoolId,
        /// The group's name.
        group: String,
        /// The user's folded username.
        username: FoldedUsername,
    },
    /// An identity pool with its roles.
    IdentityPool {
        /// The configuration.
        identity_pool: IdentityPool,
        /// The default roles.
        roles: IdentityPoolRoles,
        /// The role mappings.
        role_mappings: RoleMappings,
    },
    /// An identity.
    Identity {
        /// The identity.
        identity: Identity,
    },
    /// The identity service's signing key (sealed).
    IdentityKeys {
        /// The sealed record.
        sealed: Base64,
    },
    /// The last line: how many records came before it (the header not counted).
    End {
        /// Records between the header and this line.
        records: u64,
    },
}

impl Record {
    /// The record's `kind`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Pool { .. } => "pool",
            Self::SigningKeys { .. } => "signing_keys",
            Self::Client { .. } => "client",
            Self::Domain { .. } => "domain",
            Self::ResourceServer { .. } => "resource_server",
            Self::Group { .. } => "group",
            Self::Provider { .. } => "provider",
            Self::User { .. } => "user",
            Self::ProviderLink { .. } => "provider_link",
            Self::WebauthnCredential { .. } => "webauthn_credential",
            Self::Membership { .. } => "membership",
            Self::IdentityPool { .. } => "identity_pool",
            Self::Identity { .. } => "identity",
            Self::IdentityKeys { .. } => "identity_keys",
            Self::End { .. } => "end",
        }
    }

    /// What the record is, for messages (`user alice in us-east-1_AbCdEf123`).
    pub fn describe(&self) -> String {
        match self {
            Self::Pool { pool } => format!("user pool {}", pool.id.as_str()),
            Self::SigningKeys { pool_id, .. } => format!("signing keys of {}", pool_id.as_str()),
            Self::Client { pool_id, client } => {
                format!("app client {} in {}", client.id.as_str(), pool_id.as_str())
            }
            Self::Domain { domain } => format!("domain {}", domain.domain),
            Self::ResourceServer {
                pool_id,
                resource_server,
            } => format!(
                "resource server {} in {}",
                resource_server.identifier,
                pool_id.as_str()
            ),
            Self::Group { pool_id, group } => {
                format!("group {} in {}", group.name, pool_id.as_str())
            }
            Self::Provider { pool_id, provider } => {
                format!(
                    "identity provider {} in {}",
                    provider.name,
                    pool_id.as_str()
                )
            }
            Self::User { pool_id, user } => {
                format!("user {} in {}", user.username, pool_id.as_str())
            }
            Self::ProviderLink { pool_id, link } => format!(
                "link of {} user {} in {}",
                link.provider_name,
                link.attribute_value,
                pool_id.as_str()
            ),
            Self::WebauthnCredential {
                pool_id,
                credential,
            } => format!(
                "passkey of {} in {}",
                credential.username_key,
                pool_id.as_str()
            ),
            Self::Membership {
                pool_id,
                group,
                username,
            } => format!(
                "membership of {username} in {group} in {}",
                pool_id.as_str()
            ),
            Self::IdentityPool { identity_pool, .. } => {
                format!("identity pool {}", identity_pool.identity_pool_id.as_str())
            }
            Self::Identity { identity } => {
                format!("identity {}", identity.identity_id.as_str())
            }
            Self::IdentityKeys { .. } => "the identity service's signing key".into(),
            Self::End { .. } => "end".into(),
        }
    }

    /// The user pool the record belongs to, if any.
    pub fn pool_id(&self) -> Option<&UserPoolId> {
        match self {
            Self::Pool { pool } => Some(&pool.id),
            Self::Domain { domain } => Some(&domain.pool),
            Self::SigningKeys { pool_id, .. }
            | Self::Client { pool_id, .. }
            | Self::ResourceServer { pool_id, .. }
            | Self::Group { pool_id, .. }
            | Self::Provider { pool_id, .. }
            | Self::User { pool_id, .. }
            | Self::ProviderLink { pool_id, .. }
            | Self::WebauthnCredential { pool_id, .. }
            | Self::Membership { pool_id, .. } => Some(pool_id),
            Self::IdentityPool { .. }
            | Self::Identity { .. }
            | Self::IdentityKeys { .. }
            | Self::End { .. } => None,
        }
    }
}
