//! Reading a dump back: the whole file is parsed and checked first ([`read`]), every secret
//! opened and sealed again under the target's master key in memory, the target checked to be
//! empty, and only then is anything written ([`import`]). The [`Store`] trait has no
//! transaction spanning many records, so a write that fails after that (the database went
//! away) is undone by deleting the pools written so far, which the target did not hold
//! before.

use std::collections::{BTreeMap, BTreeSet};
use std::io::BufRead;

use user_pool_model::{FoldedUsername, PoolConfig, UserPoolId};
use userpool::{Keyring, Resealer};
use userpool_store::{Store, StoreError, StoredKeys, UserKeys};

use crate::error::{PortableError, Result};
use crate::export::Summary;
use crate::format::{FORMAT, Header, Record, Secrets, VERSION};
use crate::passphrase::{Passphrase, open_key};

/// A dump read whole and checked: a header, records that parse and name only pools, groups,
/// providers and users the dump holds before them, and an end record that counts them.
#[derive(Debug)]
pub struct Dump {
    /// The header.
    pub header: Header,
    /// The records, each with its line number.
    records: Vec<(usize, Record)>,
    /// What it holds.
    pub summary: Summary,
}

fn malformed(line: usize, message: impl Into<String>) -> PortableError {
    PortableError::Malformed {
        line,
        message: message.into(),
    }
}

/// What the records named so far, to check that each names only what came before it.
#[derive(Default)]
struct Seen {
    pools: BTreeMap<UserPoolId, PoolConfig>,
    groups: BTreeSet<(UserPoolId, String)>,
    providers: BTreeSet<(UserPoolId, String)>,
    users: BTreeSet<(UserPoolId, FoldedUsername)>,
    identity_pools: BTreeSet<String>,
}

impl Seen {
    fn check(&mut self, line: usize, record: &Record) -> Result<()> {
        if let Record::Pool { pool } = record {
            if self
                .pools
                .insert(pool.id.clone(), (**pool).clone())
                .is_some()
            {
                return Err(malformed(
                    line,
                    format!("user pool {} appears twice", pool.id.as_str()),
                ));
            }
            return Ok(());
        }
        let pool = match record.pool_id() {
            Some(id) => Some(self.pools.get(id).ok_or_else(|| {
                malformed(
                    line,
                    format!(
                        "{} names user pool {}, which no earlier line holds",
                        record.kind(),
                        id.as_str()
                    ),
                )
            })?),
            None => None,
        };
        let missing = |what: &str, name: &str| {
            malformed(
                line,
                format!(
                    "{} names {what} {name}, which no earlier line holds",
                    record.kind()
                ),
            )
        };
        match (record, pool) {
            (Record::Group { pool_id, group }, _) => {
                self.groups.insert((pool_id.clone(), group.name.clone()));
            }
            (Record::Provider { pool_id, provider }, _) => {
                self.providers
                    .insert((pool_id.clone(), provider.name.clone()));
            }
            (Record::User { pool_id, user }, Some(pool)) => {
                let key = pool.case_rule.username_key(&user.username);
                if !self.users.insert((pool_id.clone(), key)) {
                    return Err(malformed(
                        line,
                        format!("user {} appears twice", user.username),
                    ));
                }
            }
            (
                Record::Membership {
                    pool_id,
                    group,
                    username,
                },
                _,
            ) => {
                if !self.groups.contains(&(pool_id.clone(), group.clone())) {
                    return Err(missing("group", group));
                }
                if !self.users.contains(&(pool_id.clone(), username.clone())) {
                    return Err(missing("user", username));
                }
            }
            (Record::ProviderLink { pool_id, link }, _) => {
                if !self
                    .providers
                    .contains(&(pool_id.clone(), link.provider_name.clone()))
                {
                    return Err(missing("identity provider", &link.provider_name));
                }
                if !self
                    .users
                    .contains(&(pool_id.clone(), link.username.clone()))
                {
                    return Err(missing("user", &link.username));
                }
            }
            (
                Record::WebauthnCredential {
                    pool_id,
                    credential,
                },
                _,
            ) if !self
                .users
                .contains(&(pool_id.clone(), credential.username_key.clone())) =>
            {
                return Err(missing("user", &credential.username_key));
            }
            (Record::IdentityPool { identity_pool, .. }, _) => {
                let id = identity_pool.identity_pool_id.as_str();
                if !self.identity_pools.insert(id.to_owned()) {
                    return Err(malformed(line, format!("identity pool {id} appears twice")));
                }
            }
            (Record::Identity { identity }, _)
                if !self
                    .identity_pools
                    .contains(identity.identity_pool_id.as_str()) =>
            {
                return Err(missing("identity pool", identity.identity_pool_id.as_str()));
            }
            _ => {}
        }
        Ok(())
    }
}

/// Reads a whole dump from `input` and checks it; nothing is written anywhere.
///
/// # Errors
/// [`PortableError::NotAnExport`], [`PortableError::UnsupportedVersion`],
/// [`PortableError::Malformed`] (with the line), [`PortableError::Truncated`],
/// [`PortableError::CountMismatch`], [`PortableError::Io`].
pub fn read(input: &mut dyn BufRead) -> Result<Dump> {
    let mut line_no = 0usize;
    let mut text = String::new();
    let mut next_line = |text: &mut String, line_no: &mut usize| -> Result<Option<bool>> {
        text.clear();
        *line_no += 1;
        match input.read_line(text) {
            Ok(0) => Ok(None),
            Ok(_) => {
                let complete = text.ends_with('\n');
                let trimmed = text.trim_end_matches(['\n', '\r']).len();
                text.truncate(trimmed);
                Ok(Some(complete))
            }
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                Err(malformed(*line_no, "the line is not UTF-8"))
            }
            Err(source) => Err(PortableError::Io {
                what: "read",
                source,
            }),
        }
    };

    if next_line(&mut text, &mut line_no)?.is_none() {
        return Err(PortableError::NotAnExport);
    }
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|_| PortableError::NotAnExport)?;
    if value.get("format").and_then(serde_json::Value::as_str) != Some(FORMAT) {
        return Err(PortableError::NotAnExport);
    }
    match value.get("version").and_then(serde_json::Value::as_u64) {
        Some(VERSION) => {}
        Some(found) => {
            return Err(PortableError::UnsupportedVersion {
                found,
                supported: VERSION,
            });
        }
        None => return Err(malformed(1, "the header has no numeric version")),
    }
    let header: Header = serde_json::from_value(value).map_err(|e| malformed(1, e.to_string()))?;

    let mut records = Vec::new();
    let mut summary = Summary::default();
    let mut seen = Seen::default();
    loop {
        let Some(complete) = next_line(&mut text, &mut line_no)? else {
            return Err(PortableError::Truncated {
                records: summary.records,
            });
        };
        let record: Record = match serde_json::from_str(&text) {
            Ok(record) => record,
            // A last line cut short: the file was truncated.
            Err(_) if !complete => {
                return Err(PortableError::Truncated {
                    records: summary.records,
                });
            }
            Err(e) => return Err(malformed(line_no, e.to_string())),
        };
        if let Record::End { records: expected } = record {
            if expected != summary.records {
                return Err(PortableError::CountMismatch {
                    expected,
                    found: summary.records,
                });
            }
            break;
        }
        seen.check(line_no, &record)?;
        summary.count(&record);
        records.push((line_no, record));
    }
    loop {
        match next_line(&mut text, &mut line_no)? {
            None => break,
            Some(_) if text.trim().is_empty() => {}
            Some(_) => return Err(malformed(line_no, "a line after the end record")),
        }
    }
    Ok(Dump {
        header,
        records,
        summary,
    })
}

impl Dump {
    /// Whether the dump's secrets are sealed under a passphrase.
    pub fn is_portable(&self) -> bool {
        matches!(self.header.secrets, Secrets::Passphrase(_))
    }

    /// Checks that a passphrase is given exactly when the dump needs one (before any key is
    /// looked for).
    ///
    /// # Errors
    /// [`PortableError::PassphraseRequired`], [`PortableError::NotPortable`].
    pub fn check_passphrase_given(&self, given: bool) -> Result<()> {
        match (self.is_portable(), given) {
            (true, false) => Err(PortableError::PassphraseRequired),
            (false, true) => Err(PortableError::NotPortable),
            _ => Ok(()),
        }
    }
}

/// Opens every secret of `records` under `from` and seals it under `to`, in memory.
fn reseal_all(
    records: &mut [(usize, Record)],
    resealer: &mut Resealer,
    key: &'static str,
) -> Result<()> {
    for (_, record) in records.iter_mut() {
        let described = record.describe();
        let outcome = match record {
            Record::SigningKeys { pool_id, sealed } => {
                let mut keys = StoredKeys(std::mem::take(&mut sealed.0));
                let outcome = resealer.signing_keys(pool_id, &mut keys);
                sealed.0 = keys.0;
                outcome
            }
            Record::IdentityKeys { sealed } => {
                let mut keys = StoredKeys(std::mem::take(&mut sealed.0));
                let outcome = resealer.identity_keys(&mut keys);
                sealed.0 = keys.0;
                outcome
            }
            Record::Client { pool_id, client } => resealer.client(pool_id, client),
            Record::Provider { pool_id, provider } => resealer.provider(pool_id, provider),
            Record::User { pool_id, user } => resealer.user(pool_id, user),
            _ => Ok(()),
        };
        outcome.map_err(|_| PortableError::Unsealable {
            record: described,
            key,
        })?;
    }
    Ok(())
}

/// What the import wrote, to delete it again if a later write fails.
#[derive(Default)]
struct Written {
    pools: Vec<UserPoolId>,
    identity_pools: Vec<identity_pool_model::IdentityPoolId>,
}

impl Written {
    async fn undo(&self, store: &dyn Store) -> Result<(), StoreError> {
        for id in &self.identity_pools {
            store.delete_identity_pool(id).await?;
        }
        for id in &self.pools {
            store.delete_pool(id).await?;
        }
        Ok(())
    }
}

/// Imports `dump` into `store`, which must hold no user pool and no identity pool, sealing
/// every secret under `target` (the master key of the servers that will use the store).
/// A dump sealed under a passphrase needs it; one sealed as stored must have been made on a
/// server whose master key is `target` (every secret is opened to check). `seed`: 32 random
/// bytes for the nonces.
///
/// Pool ids, client ids, `sub`s and device keys stay as they were (sealed secrets are bound
/// to them). The target's identity-service key, if it has one already, is kept.
///
/// # Errors
/// [`PortableError::PassphraseRequired`], [`PortableError::NotPortable`],
/// [`PortableError::WrongPassphrase`], [`PortableError::Unsealable`],
/// [`PortableError::NotEmpty`], [`PortableError::Store`] (all before anything is written);
/// [`PortableError::Import`] (a write failed; what was written is deleted again) or
/// [`PortableError::ImportNotUndone`].
pub async fn import(
    store: &dyn Store,
    dump: Dump,
    target: Keyring,
    passphrase: Option<&Passphrase>,
    seed: [u8; 32],
) -> Result<Summary> {
    dump.check_passphrase_given(passphrase.is_some())?;
    let Dump {
        header,
        mut records,
        mut summary,
    } = dump;
    let (from, key): (Keyring, &'static str) = match (&header.secrets, passphrase) {
        (Secrets::MasterKey, None) => (target.clone(), "the target's master key"),
        (Secrets::Passphrase(settings), Some(p)) => {
            (open_key(p, settings)?.into(), "the passphrase's key")
        }
        (Secrets::Passphrase(_), None) => return Err(PortableError::PassphraseRequired),
        (Secrets::MasterKey, Some(_)) => return Err(PortableError::NotPortable),
    };
    reseal_all(&mut records, &mut Resealer::new(from, target, seed), key)?;

    let pools = store.list_pools(1, None).await?;
    let identity_pools = store.list_identity_pools(1, None).await?;
    if let Some(pool) = pools.items.first() {
        return Err(PortableError::NotEmpty(format!(
            "it holds user pool {}",
            pool.id.as_str()
        )));
    }
    if let Some(pool) = identity_pools.items.first() {
        return Err(PortableError::NotEmpty(format!(
            "it holds identity pool {}",
            pool.identity_pool_id.as_str()
        )));
    }

    let mut written = Written::default();
    let mut configs: BTreeMap<UserPoolId, PoolConfig> = BTreeMap::new();
    for (line, record) in records {
        let outcome = write(store, &record, &mut configs, &mut written).await;
        match outcome {
            Ok(None) => {}
            Ok(Some(note)) => summary.notes.push(note),
            Err(source) => {
                let record = record.describe();
                return Err(match written.undo(store).await {
                    Ok(()) => PortableError::Import {
                        line,
                        record,
                        source,
                    },
                    Err(cleanup) => PortableError::ImportNotUndone {
                        line,
                        record,
                        source,
                        cleanup,
                    },
                });
            }
        }
    }
    Ok(summary)
}

/// Writes one record; a note when something was not written as it is in the dump.
async fn write(
    store: &dyn Store,
    record: &Record,
    configs: &mut BTreeMap<UserPoolId, PoolConfig>,
    written: &mut Written,
) -> Result<Option<String>, StoreError> {
    match record {
        Record::Pool { pool } => {
            store.create_pool((**pool).clone()).await?;
            written.pools.push(pool.id.clone());
            configs.insert(pool.id.clone(), (**pool).clone());
        }
        Record::SigningKeys { pool_id, sealed } => {
            store
                .put_signing_keys(pool_id, StoredKeys(sealed.0.clone()))
                .await?;
        }
        Record::Client { pool_id, client } => {
            store.create_client(pool_id, (**client).clone()).await?;
        }
        Record::Domain { domain } => store.create_domain(domain.clone()).await?,
        Record::ResourceServer {
            pool_id,
            resource_server,
        } => {
            store
                .create_resource_server(pool_id, resource_server.clone())
                .await?;
        }
        Record::Group { pool_id, group } => store.create_group(pool_id, group.clone()).await?,
        Record::Provider { pool_id, provider } => {
            store.create_provider(pool_id, provider.clone()).await?;
        }
        Record::User { pool_id, user } => {
            let pool = configs.get(pool_id).ok_or(StoreError::PoolNotFound)?;
            let keys = UserKeys::for_user(user, pool);
            store.insert_user(pool_id, (**user).clone(), &keys).await?;
        }
        Record::ProviderLink { pool_id, link } => {
            store.link_provider_user(pool_id, link.clone()).await?;
        }
        Record::WebauthnCredential {
            pool_id,
            credential,
        } => {
            store
                .insert_webauthn_credential(pool_id, credential.clone())
                .await?;
        }
        Record::Membership {
            pool_id,
            group,
            username,
        } => store.add_to_group(pool_id, group, username).await?,
        Record::IdentityPool {
            identity_pool,
            roles,
            role_mappings,
        } => {
            store.create_identity_pool(identity_pool.clone()).await?;
            written
                .identity_pools
                .push(identity_pool.identity_pool_id.clone());
            store
                .set_identity_pool_roles(
                    &identity_pool.identity_pool_id,
                    roles.clone(),
                    role_mappings.clone(),
                )
                .await?;
        }
        Record::Identity { identity } => {
            store.create_identity(identity.clone().into()).await?;
        }
        Record::IdentityKeys { sealed } => {
            let stored = store
                .create_identity_keys(StoredKeys(sealed.0.clone()))
                .await?;
            if stored.0 != sealed.0 {
                return Ok(Some(
                    "the target already had an identity-service signing key: it was kept (OpenID tokens the source issued no longer verify)".into(),
                ));
            }
        }
        Record::End { .. } => {}
    }
    Ok(None)
}
