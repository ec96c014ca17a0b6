//! Users packed into one allocation each, so a million of them stay small and a lookup touches
//! a few cache lines instead of chasing a pointer per attribute.
//!
//! Layout: username, status, enabled, created, modified, version, attributes (standard names
//! as one byte, others inline), the password record (salt and sealed verifier as raw bytes:
//! nearly every user has one, and a sign-in reads it), then the rarely-set parts (MFA, devices,
//! pending attributes, an imported hash) as JSON when any is set.
//! Corrupt bytes decode to an error, never a panic.

use user_pool_model::{PasswordRecord, StandardAttribute, Sub, User, UserStatus};

use crate::error::{StoreError, StoreResult};

/// Attribute names stored as one byte.
#[allow(
    clippy::indexing_slicing,
    reason = "built at compile time: an index out of range fails the build"
)]
const NAMES: [&str; 22] = {
    let standard = StandardAttribute::names(StandardAttribute::ALL);
    let mut out = [""; 22];
    let mut i = 0;
    while i < standard.len() {
        out[i] = standard[i];
        i += 1;
    }
    out[20] = "identities";
    out[21] = "custom:tier";
    out
};
const INLINE_NAME: u8 = u8::MAX;

const STATUSES: [UserStatus; 5] = [
    UserStatus::Unconfirmed,
    UserStatus::Confirmed,
    UserStatus::ResetRequired,
    UserStatus::ForceChangePassword,
    UserStatus::ExternalProvider,
];

/// The parts of a user that are usually empty, kept as JSON.
#[derive(serde::Serialize, serde::Deserialize)]
struct Rare {
    mfa: user_pool_model::MfaSettings,
    devices: Vec<user_pool_model::Device>,
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pending_attributes: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    session_epoch: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    imported_password_hash: Option<Vec<u8>>,
}

/// A packed user with its `sub` alongside (for the `sub` index).
pub(super) struct CompactUser {
    pub(super) sub: Sub,
    blob: Box<[u8]>,
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_bytes(out, s.as_bytes());
}

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    out.extend_from_slice(&u32::try_from(b.len()).unwrap_or(u32::MAX).to_le_bytes());
    out.extend_from_slice(b);
}

/// The password record, field by field (destructured, so a new field fails the build here).
fn put_password(out: &mut Vec<u8>, password: Option<&PasswordRecord>) {
    let Some(PasswordRecord {
        salt,
        verifier,
        set_at,
        expires_at,
    }) = password
    else {
        out.push(0);
        return;
    };
    out.push(1);
    put_bytes(out, salt);
    put_bytes(out, verifier);
    out.extend_from_slice(&set_at.to_le_bytes());
    match expires_at {
        Some(t) => {
            out.push(1);
            out.extend_from_slice(&t.to_le_bytes());
        }
        None => out.push(0),
    }
}

struct Reader<'a>(&'a [u8]);

fn corrupt() -> StoreError {
    StoreError::Backend("corrupt stored user".into())
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> StoreResult<&'a [u8]> {
        let (head, tail) = self.0.split_at_checked(n).ok_or_else(corrupt)?;
        self.0 = tail;
        Ok(head)
    }

    fn u8(&mut self) -> StoreResult<u8> {
        self.take(1)?.first().copied().ok_or_else(corrupt)
    }

    fn u64(&mut self) -> StoreResult<u64> {
        let b = self.take(8)?;
        Ok(u64::from_le_bytes(b.try_into().map_err(|_| corrupt())?))
    }

    fn bytes(&mut self) -> StoreResult<&'a [u8]> {
        let len = self.take(4)?;
        let len = u32::from_le_bytes(len.try_into().map_err(|_| corrupt())?) as usize;
        self.take(len)
    }

    fn str(&mut self) -> StoreResult<&'a str> {
        std::str::from_utf8(self.bytes()?).map_err(|_| corrupt())
    }

    fn password(&mut self) -> StoreResult<Option<PasswordRecord>> {
        if self.u8()? == 0 {
            return Ok(None);
        }
        let salt = self.bytes()?.to_vec();
        let verifier = self.bytes()?.to_vec();
        let set_at = self.u64()? as i64;
        let expires_at = match self.u8()? {
            0 => None,
            _ => Some(self.u64()? as i64),
        };
        Ok(Some(PasswordRecord {
            salt,
            verifier,
            set_at,
            expires_at,
        }))
    }
}

impl CompactUser {
    pub(super) fn pack(user: &User) -> StoreResult<Self> {
        let mut out = Vec::with_capacity(
            64 + user
                .attributes
                .iter()
                .map(|(k, v)| k.len() + v.len() + 10)
                .sum::<usize>(),
        );
        put_str(&mut out, &user.username);
        out.push(
            STATUSES
                .iter()
                .position(|s| *s == user.status)
                .and_then(|p| u8::try_from(p).ok())
                .unwrap_or(0),
        );
        out.push(u8::from(user.enabled));
        out.extend_from_slice(&user.created.to_le_bytes());
        out.extend_from_slice(&user.modified.to_le_bytes());
        out.extend_from_slice(&user.version.to_le_bytes());
        out.extend_from_slice(
            &u16::try_from(user.attributes.len())
                .unwrap_or(u16::MAX)
                .to_le_bytes(),
        );
        for (name, value) in &user.attributes {
            match NAMES
                .iter()
                .position(|n| n == name)
                .and_then(|p| u8::try_from(p).ok())
            {
                Some(id) => out.push(id),
                None => {
                    out.push(INLINE_NAME);
                    put_str(&mut out, name);
                }
            }
            put_str(&mut out, value);
        }
        put_password(&mut out, user.password.as_ref());
        let rare = user.mfa != Default::default()
            || !user.devices.is_empty()
            || !user.pending_attributes.is_empty()
            || user.session_epoch != 0
            || user.imported_password_hash.is_some();
        if rare {
            let json = serde_json::to_vec(&Rare {
                mfa: user.mfa.clone(),
                devices: user.devices.clone(),
                pending_attributes: user.pending_attributes.clone(),
                session_epoch: user.session_epoch,
                imported_password_hash: user.imported_password_hash.clone(),
            })
            .map_err(|e| StoreError::Backend(e.to_string()))?;
            out.extend_from_slice(&json);
        }
        Ok(Self {
            sub: user.sub,
            blob: out.into_boxed_slice(),
        })
    }

    pub(super) fn unpack(&self) -> StoreResult<User> {
        let mut r = Reader(&self.blob);
        let username = r.str()?;
        let status = *STATUSES.get(usize::from(r.u8()?)).ok_or_else(corrupt)?;
        let enabled = r.u8()? != 0;
        let created = r.u64()? as i64;
        let modified = r.u64()? as i64;
        let version = r.u64()?;
        let count = u16::from_le_bytes(r.take(2)?.try_into().map_err(|_| corrupt())?);
        let mut user = User::new(username, self.sub, status, created);
        user.enabled = enabled;
        user.modified = modified;
        user.version = version;
        for _ in 0..count {
            let id = r.u8()?;
            let name = if id == INLINE_NAME {
                r.str()?
            } else {
                NAMES.get(usize::from(id)).copied().ok_or_else(corrupt)?
            };
            user.attributes.insert(name.to_owned(), r.str()?.to_owned());
        }
        user.password = r.password()?;
        if !r.0.is_empty() {
            let rare: Rare = serde_json::from_slice(r.0).map_err(|_| corrupt())?;
            user.mfa = rare.mfa;
            user.devices = rare.devices;
            user.pending_attributes = rare.pending_attributes;
            user.session_epoch = rare.session_epoch;
            user.imported_password_hash = rare.imported_password_hash;
        }
        Ok(user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let mut u = User::new(
            "ålice",
            Sub::from_bytes([3; 16]),
            UserStatus::ForceChangePassword,
            -5,
        );
        u.enabled = false;
        u.version = 7;
        u.modified = 99;
        u.attributes.insert("email".into(), "a@b.co".into());
        u.attributes.insert("custom:colour".into(), "blue".into());
        let packed = CompactUser::pack(&u).expect("pack");
        assert_eq!(packed.unpack().expect("unpack"), u);
        u.password = Some(PasswordRecord {
            salt: vec![1],
            verifier: vec![2; 384],
            set_at: 1,
            expires_at: Some(2),
        });
        let with_password = CompactUser::pack(&u).expect("pack");
        assert_eq!(with_password.unpack().expect("unpack"), u);
        // The password is raw bytes, no JSON: its salt and verifier plus 25 bytes of framing
        // (two lengths, `set_at`, the expiry's flag and value).
        let mut no_password = u.clone();
        no_password.password = None;
        let without = CompactUser::pack(&no_password).expect("pack");
        assert_eq!(with_password.blob.len(), without.blob.len() + 1 + 384 + 25);
        u.password = Some(PasswordRecord {
            expires_at: None,
            ..u.password.clone().expect("set above")
        });
        assert_eq!(
            CompactUser::pack(&u)
                .expect("pack")
                .unpack()
                .expect("unpack"),
            u
        );
        u.imported_password_hash = Some(vec![4; 40]);
        assert_eq!(
            CompactUser::pack(&u)
                .expect("pack")
                .unpack()
                .expect("unpack"),
            u
        );
        let broken = CompactUser {
            sub: u.sub,
            blob: vec![255, 255].into_boxed_slice(),
        };
        assert!(broken.unpack().is_err());
    }
}
