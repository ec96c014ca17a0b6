//! Writing a dump: every user pool and identity pool of a store, read through the [`Store`]
//! trait (so any backend), one record per line.

use std::collections::BTreeMap;
use std::io::Write;

use rand_chacha::ChaCha20Rng;
use rand_core::{Rng as _, SeedableRng as _};
use userpool::{Keyring, Resealer};
use userpool_store::{Store, UserQuery};

use crate::error::{PortableError, Result};
use crate::format::{FORMAT, Header, Record, Secrets, VERSION};
use crate::passphrase::{KdfCosts, Passphrase, new_key};

/// Items per page when listing.
const PAGE: usize = 60;

/// How the secrets of a new dump are sealed.
#[derive(Debug)]
pub enum ExportSecrets<'a> {
    /// As the store holds them, under the source's master key (nothing is opened, no key is
    /// needed): the dump moves to a server with the same master key only.
    AsStored,
    /// Opened with the source's master key and sealed again under a key derived from a
    /// passphrase, so the dump moves to a server with any master key.
    Portable {
        /// The master key (or keyring) the source store's secrets are sealed under.
        source: Keyring,
        /// The passphrase.
        passphrase: &'a Passphrase,
        /// Argon2id's costs ([`KdfCosts::default`] unless tests need it cheap).
        costs: KdfCosts,
        /// 32 random bytes: the salt and every nonce come from them.
        seed: [u8; 32],
    },
}

/// What an export wrote or an import read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Records by kind.
    pub counts: BTreeMap<&'static str, u64>,
    /// Records in all (the header and the end record not counted).
    pub records: u64,
    /// What an import did not write as the dump has it, and why.
    pub notes: Vec<String>,
}

impl Summary {
    pub(crate) fn count(&mut self, record: &Record) {
        *self.counts.entry(record.kind()).or_default() += 1;
        self.records += 1;
    }

    /// `3 pool, 120 user, …` in kind order.
    pub fn describe(&self) -> String {
        self.counts
            .iter()
            .map(|(kind, n)| format!("{n} {kind}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

struct Writer<'a> {
    out: &'a mut dyn Write,
    summary: Summary,
}

impl Writer<'_> {
    fn line<T: serde::Serialize>(&mut self, value: &T) -> Result<()> {
        let io = |source| PortableError::Io {
            what: "write",
            source,
        };
        serde_json::to_writer(&mut *self.out, value).map_err(|e| io(e.into()))?;
        self.out.write_all(b"\n").map_err(io)
    }

    fn put(&mut self, record: &Record) -> Result<()> {
        self.line(record)?;
        self.summary.count(record);
        Ok(())
    }
}

/// Every item of a paged listing.
macro_rules! all_pages {
    ($token:ident => $call:expr) => {{
        let mut items = Vec::new();
        let mut next: Option<String> = None;
        loop {
            let $token = next.as_deref();
            let page = $call.await?;
            items.extend(page.items);
            match page.next {
                Some(token) => next = Some(token),
                None => break items,
            }
        }
    }};
}

/// Writes a dump of everything in `store` to `out` (`created`: unix seconds, for the header).
///
/// Not a snapshot: records are read a page at a time, so a record changed meanwhile is
/// written either way (export a copy for a consistent dump: `userpool-server export` reads
/// SQLite from an online backup).
///
/// # Errors
/// [`PortableError::Store`], [`PortableError::Io`], [`PortableError::PlaintextSecret`] (an
/// export as stored of a client whose secret was never sealed),
/// [`PortableError::Unsealable`] (a portable export of a secret the source key does not
/// open), [`PortableError::Kdf`].
pub async fn export(
    store: &dyn Store,
    out: &mut dyn Write,
    secrets: ExportSecrets<'_>,
    created: i64,
) -> Result<Summary> {
    let (mut resealer, header_secrets) = match secrets {
        ExportSecrets::AsStored => (None, Secrets::MasterKey),
        ExportSecrets::Portable {
            source,
            passphrase,
            costs,
            seed,
        } => {
            let mut rng = ChaCha20Rng::from_seed(seed);
            let mut salt = [0u8; 16];
            let mut check_nonce = [0u8; 12];
            let mut reseal_seed = [0u8; 32];
            rng.fill_bytes(&mut salt);
            rng.fill_bytes(&mut check_nonce);
            rng.fill_bytes(&mut reseal_seed);
            let (key, settings) = new_key(passphrase, costs, salt, check_nonce)?;
            (
                Some(Resealer::new(source, key, reseal_seed)),
                Secrets::Passphrase(settings),
            )
        }
    };
    let mut w = Writer {
        out,
        summary: Summary::default(),
    };
    w.line(&Header {
        format: FORMAT.into(),
        version: VERSION,
        created,
        generator: concat!("userpool-portable ", env!("CARGO_PKG_VERSION")).into(),
        secrets: header_secrets,
    })?;
    let unsealable = |record: &Record| PortableError::Unsealable {
        record: record.describe(),
        key: "the source's master key",
    };

    let pools = all_pages!(token => store.list_pools(PAGE, token));
    for pool in pools {
        let id = pool.id.clone();
        let rule = pool.case_rule;
        w.put(&Record::Pool {
            pool: Box::new(pool),
        })?;
        if let Some(mut keys) = store.get_signing_keys(&id).await? {
            if let Some(r) = resealer.as_mut() {
                r.signing_keys(&id, &mut keys).map_err(|_| {
                    unsealable(&Record::SigningKeys {
                        pool_id: id.clone(),
                        sealed: crate::format::Base64(Vec::new()),
                    })
                })?;
            }
            w.put(&Record::SigningKeys {
                pool_id: id.clone(),
                sealed: keys.into(),
            })?;
        }
        for mut client in all_pages!(token => store.list_clients(&id, PAGE, token)) {
            match resealer.as_mut() {
                Some(r) => {
                    let mut sealed = client.clone();
                    r.client(&id, &mut sealed).map_err(|_| {
                        unsealable(&Record::Client {
                            pool_id: id.clone(),
                            client: Box::new(client.clone()),
                        })
                    })?;
                    client = sealed;
                }
                None if client.secret.is_some() => {
                    return Err(PortableError::PlaintextSecret {
                        pool: id.as_str().into(),
                        client: client.id.as_str().into(),
                    });
                }
                None => {}
            }
            w.put(&Record::Client {
                pool_id: id.clone(),
                client: Box::new(client),
            })?;
        }
        for domain in store.pool_domains(&id).await? {
            w.put(&Record::Domain { domain })?;
        }
        for resource_server in all_pages!(token => store.list_resource_servers(&id, PAGE, token)) {
            w.put(&Record::ResourceServer {
                pool_id: id.clone(),
                resource_server,
            })?;
        }
        let groups = all_pages!(token => store.list_groups(&id, PAGE, token));
        for group in &groups {
            w.put(&Record::Group {
                pool_id: id.clone(),
                group: group.clone(),
            })?;
        }
        for mut provider in all_pages!(token => store.list_providers(&id, PAGE, token)) {
            if let Some(r) = resealer.as_mut() {
                let record = Record::Provider {
                    pool_id: id.clone(),
                    provider: provider.clone(),
                };
                r.provider(&id, &mut provider)
                    .map_err(|_| unsealable(&record))?;
            }
            w.put(&Record::Provider {
                pool_id: id.clone(),
                provider,
            })?;
        }
        let mut next: Option<String> = None;
        loop {
            let query = UserQuery {
                filter: None,
                limit: PAGE,
                token: next.take(),
            };
            let page = store.list_users(&id, &query).await?;
            for mut user in page.items {
                if let Some(r) = resealer.as_mut() {
                    let record = Record::User {
                        pool_id: id.clone(),
                        user: Box::new(user.clone()),
                    };
                    r.user(&id, &mut user).map_err(|_| unsealable(&record))?;
                }
                let key = rule.username_key(&user.username);
                w.put(&Record::User {
                    pool_id: id.clone(),
                    user: Box::new(user),
                })?;
                for link in store.provider_links_of(&id, &key).await? {
                    w.put(&Record::ProviderLink {
                        pool_id: id.clone(),
                        link,
                    })?;
                }
                for credential in store.list_webauthn_credentials(&id, &key).await? {
                    w.put(&Record::WebauthnCredential {
                        pool_id: id.clone(),
                        credential,
                    })?;
                }
            }
            match page.next {
                Some(token) => next = Some(token),
                None => break,
            }
        }
        for group in &groups {
            let members = all_pages!(token => store.users_in_group(&id, &group.name, PAGE, token));
            for user in members {
                w.put(&Record::Membership {
                    pool_id: id.clone(),
                    group: group.name.clone(),
                    username: rule.username_key(&user.username),
                })?;
            }
        }
    }

    if let Some(mut keys) = store.get_identity_keys().await? {
        if let Some(r) = resealer.as_mut() {
            r.identity_keys(&mut keys).map_err(|_| {
                unsealable(&Record::IdentityKeys {
                    sealed: crate::format::Base64(Vec::new()),
                })
            })?;
        }
        w.put(&Record::IdentityKeys {
            sealed: keys.into(),
        })?;
    }
    let identity_pools = all_pages!(token => store.list_identity_pools(PAGE, token));
    for listed in identity_pools {
        let id = listed.identity_pool_id.clone();
        let record = store.get_identity_pool(&id).await?;
        w.put(&Record::IdentityPool {
            identity_pool: record.pool,
            roles: record.roles,
            role_mappings: record.role_mappings,
        })?;
        for identity in all_pages!(token => store.list_identities(&id, false, PAGE, token)) {
            w.put(&Record::Identity {
                identity: identity.into(),
            })?;
        }
    }
    let records = w.summary.records;
    w.line(&Record::End { records })?;
    w.out.flush().map_err(|source| PortableError::Io {
        what: "write",
        source,
    })?;
    Ok(w.summary)
}
