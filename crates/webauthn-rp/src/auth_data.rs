//! Authenticator data (WebAuthn §6.1): RP id hash, flags, signature counter and, at
//! registration, the attested credential.

use ciborium::Value;

use crate::cose::CredentialPublicKey;
use crate::error::{Result, WebAuthnError};

const UP: u8 = 0x01;
const UV: u8 = 0x04;
const BE: u8 = 0x08;
const BS: u8 = 0x10;
const AT: u8 = 0x40;
const ED: u8 = 0x80;

/// The flags byte, read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flags {
    /// UP: the user was present.
    pub user_present: bool,
    /// UV: the user was verified (PIN, biometrics).
    pub user_verified: bool,
    /// BE: the credential may be backed up (a synced passkey).
    pub backup_eligible: bool,
    /// BS: the credential is backed up now.
    pub backed_up: bool,
}

/// The credential created at registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttestedCredential {
    /// The authenticator model (all zero for most synced passkeys).
    pub aaguid: [u8; 16],
    /// The credential id.
    pub credential_id: Vec<u8>,
    /// The public key as its COSE bytes (what is stored).
    pub public_key_cose: Vec<u8>,
    /// The public key, read.
    pub public_key: CredentialPublicKey,
}

/// Authenticator data, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthenticatorData {
    /// SHA-256 of the RP id the authenticator scoped the credential to.
    pub rp_id_hash: [u8; 32],
    /// The flags.
    pub flags: Flags,
    /// The signature counter (0: the authenticator keeps none).
    pub sign_count: u32,
    /// The attested credential (registration only).
    pub credential: Option<AttestedCredential>,
}

fn take<'a>(bytes: &mut &'a [u8], n: usize) -> Result<&'a [u8]> {
    let (head, rest) = bytes
        .split_at_checked(n)
        .ok_or(WebAuthnError::Malformed("authenticator data"))?;
    *bytes = rest;
    Ok(head)
}

fn array<const N: usize>(bytes: &mut &[u8]) -> Result<[u8; N]> {
    take(bytes, N)?
        .try_into()
        .map_err(|_| WebAuthnError::Malformed("authenticator data"))
}

impl AuthenticatorData {
    /// Reads `bytes`; anything left over or missing is [`WebAuthnError::Malformed`].
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        let mut rest = bytes;
        let rp_id_hash = array::<32>(&mut rest)?;
        let [flags] = array::<1>(&mut rest)?;
        let sign_count = u32::from_be_bytes(array::<4>(&mut rest)?);
        let credential = if flags & AT != 0 {
            let aaguid = array::<16>(&mut rest)?;
            let len = u16::from_be_bytes(array::<2>(&mut rest)?);
            if len > 1023 {
                return Err(WebAuthnError::Malformed("credential id"));
            }
            let credential_id = take(&mut rest, usize::from(len))?.to_vec();
            let before = rest;
            let value: Value = ciborium::from_reader(&mut rest)
                .map_err(|_| WebAuthnError::Malformed("COSE key"))?;
            let used = before.len() - rest.len();
            let public_key_cose = before
                .get(..used)
                .ok_or(WebAuthnError::Malformed("COSE key"))?
                .to_vec();
            Some(AttestedCredential {
                aaguid,
                credential_id,
                public_key: CredentialPublicKey::from_value(&value)?,
                public_key_cose,
            })
        } else {
            None
        };
        if flags & ED != 0 {
            let _extensions: Value = ciborium::from_reader(&mut rest)
                .map_err(|_| WebAuthnError::Malformed("extensions"))?;
        }
        if !rest.is_empty() {
            return Err(WebAuthnError::Malformed("authenticator data"));
        }
        Ok(Self {
            rp_id_hash,
            flags: Flags {
                user_present: flags & UP != 0,
                user_verified: flags & UV != 0,
                backup_eligible: flags & BE != 0,
                backed_up: flags & BS != 0,
            },
            sign_count,
            credential,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_flags_and_counter_and_refuses_trailing_bytes() {
        let mut bytes = vec![7u8; 32];
        bytes.push(UP | UV | BE | BS);
        bytes.extend_from_slice(&9u32.to_be_bytes());
        let data = AuthenticatorData::parse(&bytes).expect("parsed");
        assert_eq!(data.sign_count, 9);
        assert!(data.flags.user_present && data.flags.user_verified);
        assert!(data.flags.backup_eligible && data.flags.backed_up);
        assert!(data.credential.is_none());
        bytes.push(0);
        assert_eq!(
            AuthenticatorData::parse(&bytes),
            Err(WebAuthnError::Malformed("authenticator data"))
        );
        assert_eq!(
            AuthenticatorData::parse(&bytes[..20]),
            Err(WebAuthnError::Malformed("authenticator data"))
        );
    }
}
