//! The breached-password filter: a union of static Binary Fuse filters (16-bit fingerprints)
//! over the SHA-1 hashes of known-breached passwords.
//!
//! # Keys
//!
//! A password's key is the first 8 bytes (big-endian) of the SHA-1 of its UTF-8 bytes — the same
//! hash Have I Been Pwned publishes, so operator lists need no password in the clear. SHA-1 is
//! uniform, so 64 bits of it are a uniform key; two different breached hashes sharing a prefix
//! only merge two entries (never a false negative).
//!
//! # Fingerprint width
//!
//! Measured on the bundled list (92,856 keys) against 1,000,000 random passwords (seeded, see
//! the crate README): `BinaryFuse8` 108 KiB and 3,970 false positives (0.40 %), `BinaryFuse16`
//! 216 KiB and 18 (0.0018 %), `BinaryFuse32` 432 KiB and 0. A false positive tells a user whose
//! password never leaked that it did — under a `BLOCK` action that is a forced password reset —
//! so 8 bits is too coarse; 16 bits costs about 19 bits per entry (about 2.2 GiB for a
//! billion-entry HIBP dump, half of what 32 bits needs) and wrongly flags roughly one password
//! in 65,536. This filter uses `BinaryFuse16`.
//!
//! # Secrets
//!
//! [`BreachFilter::contains_password`] hashes the password and forgets it: nothing is stored,
//! logged or kept in `Debug`, and the hasher's buffer and the digest are wiped.

use std::fmt;
use std::io::Read;

use sha1::{Digest, Sha1};
use xorf::{BinaryFuse16, Filter};
use zeroize::Zeroize;

use crate::bundled;
use crate::error::{Error, Result};
use crate::hibp;

/// The expected false-positive rate of one part of the filter: 2⁻¹⁶.
pub const EXPECTED_FALSE_POSITIVE_RATE: f64 = 1.0 / 65_536.0;

/// The documented bound on the false-positive rate of one part of the filter: 2⁻¹⁵, twice the
/// expected rate (the tests measure under it; [`BreachFilter::false_positive_bound`] scales it
/// by the number of parts).
pub const FALSE_POSITIVE_BOUND: f64 = 1.0 / 32_768.0;

/// A set of breached passwords, as a compact probabilistic filter over their SHA-1 hashes.
///
/// No false negatives: every password (or hash) it was built from is reported. A password that
/// is not in it is reported with probability at most [`BreachFilter::false_positive_bound`].
///
/// The filter is static: [`extend_hibp`](Self::extend_hibp) and [`merge`](Self::merge) add
/// whole parts, and a lookup consults every part (so the bound grows with the number of parts;
/// build one list with [`from_sha1_hashes`](Self::from_sha1_hashes) to keep it at one).
#[derive(Clone, Default)]
pub struct BreachFilter {
    parts: Vec<Part>,
}

#[derive(Clone)]
struct Part {
    filter: BinaryFuse16,
    entries: usize,
}

impl BreachFilter {
    /// A filter that contains nothing.
    pub fn empty() -> Self {
        Self::default()
    }

    /// The list bundled with this crate: the 49,233 common passwords of
    /// `@zxcvbn-ts/language-common` 4.1.3 (MIT; Mark Burnett's 10-million-password corpus),
    /// each as listed (lower case) and with its first letter capitalised — 92,856 distinct
    /// hashes. Provenance: `data/README.md`.
    ///
    /// # Errors
    ///
    /// [`Error::FilterConstruction`] if the filter cannot be built (it is built the same way
    /// every time, and the tests build it).
    pub fn bundled() -> Result<Self> {
        Self::from_keys(
            bundled::passwords_with_variants()
                .map(|p| password_key(&p))
                .collect(),
        )
    }

    /// A filter over a list in Have I Been Pwned's format: one `SHA1HEX` or `SHA1HEX:count` per
    /// line, upper- or lower-case hex, `\n` or `\r\n` line ends, blank lines ignored. The count
    /// is checked to be a decimal number and otherwise ignored.
    ///
    /// Memory while building is about 8 bytes per line plus about 25 bytes per distinct entry
    /// of construction space; the result keeps about 2.4 bytes per entry.
    ///
    /// # Errors
    ///
    /// [`Error::MalformedHibpLine`] (with the line number, never its text), [`Error::Io`], or
    /// [`Error::FilterConstruction`].
    pub fn from_hibp<R: Read>(reader: R) -> Result<Self> {
        Self::from_keys(hibp::read_keys(reader)?)
    }

    /// A filter over SHA-1 hashes of passwords.
    ///
    /// # Errors
    ///
    /// [`Error::FilterConstruction`].
    pub fn from_sha1_hashes<I>(hashes: I) -> Result<Self>
    where
        I: IntoIterator<Item = [u8; 20]>,
    {
        Self::from_keys(hashes.into_iter().map(|h| sha1_key(&h)).collect())
    }

    /// Adds the entries of a Have-I-Been-Pwned style list (see [`from_hibp`](Self::from_hibp))
    /// as one more part, and returns how many distinct entries it had.
    ///
    /// # Errors
    ///
    /// As [`from_hibp`](Self::from_hibp); on error the filter is unchanged.
    pub fn extend_hibp<R: Read>(&mut self, reader: R) -> Result<usize> {
        let added = Self::from_hibp(reader)?;
        let entries = added.len();
        self.merge(added);
        Ok(entries)
    }

    /// Adds every part of `other`.
    pub fn merge(&mut self, other: Self) {
        self.parts.extend(other.parts);
    }

    /// Whether the SHA-1 of `password`'s UTF-8 bytes is in the set. The password is not kept.
    pub fn contains_password(&self, password: &str) -> bool {
        let mut digest = sha1_digest(password.as_bytes());
        let found = self.contains_sha1(&digest);
        digest.zeroize();
        found
    }

    /// Whether a SHA-1 hash is in the set.
    pub fn contains_sha1(&self, sha1: &[u8; 20]) -> bool {
        let key = sha1_key(sha1);
        self.parts.iter().any(|part| part.filter.contains(&key))
    }

    /// How many distinct entries the filter was built from (summed over parts).
    pub fn len(&self) -> usize {
        self.parts.iter().map(|part| part.entries).sum()
    }

    /// Whether the filter contains nothing.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// How many parts (lists added separately) the filter has.
    pub fn parts(&self) -> usize {
        self.parts.len()
    }

    /// The size of the fingerprint tables, in bytes.
    pub fn size_bytes(&self) -> usize {
        self.parts
            .iter()
            .map(|part| part.filter.fingerprints.len() * 2)
            .sum()
    }

    /// The bound on the probability that a password not in the set is reported:
    /// [`FALSE_POSITIVE_BOUND`] per part (0 when empty).
    pub fn false_positive_bound(&self) -> f64 {
        FALSE_POSITIVE_BOUND * self.parts.len() as f64
    }

    fn from_keys(mut keys: Vec<u64>) -> Result<Self> {
        keys.sort_unstable();
        keys.dedup();
        if keys.is_empty() {
            return Ok(Self::empty());
        }
        let filter = BinaryFuse16::try_from(&keys).map_err(|_| Error::FilterConstruction)?;
        Ok(Self {
            parts: vec![Part {
                filter,
                entries: keys.len(),
            }],
        })
    }
}

impl fmt::Debug for BreachFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BreachFilter")
            .field("entries", &self.len())
            .field("parts", &self.parts())
            .field("size_bytes", &self.size_bytes())
            .finish()
    }
}

/// The SHA-1 of `bytes`, with the hasher's buffer wiped.
pub(crate) fn sha1_digest(bytes: &[u8]) -> [u8; 20] {
    Sha1::digest(bytes).into()
}

/// The filter key of a SHA-1 hash: its first 8 bytes, big-endian.
pub(crate) fn sha1_key(sha1: &[u8; 20]) -> u64 {
    let [a, b, c, d, e, f, g, h, ..] = *sha1;
    u64::from_be_bytes([a, b, c, d, e, f, g, h])
}

fn password_key(password: &str) -> u64 {
    let mut digest = sha1_digest(password.as_bytes());
    let key = sha1_key(&digest);
    digest.zeroize();
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    // SHA-1("password"), as published by Have I Been Pwned.
    const PASSWORD_SHA1: &str = "5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8";

    fn hex20(s: &str) -> [u8; 20] {
        let mut out = [0u8; 20];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
        }
        out
    }

    #[test]
    fn sha1_of_a_password_is_the_hibp_hash() {
        assert_eq!(sha1_digest(b"password"), hex20(PASSWORD_SHA1));
        assert_eq!(sha1_key(&hex20(PASSWORD_SHA1)), 0x5BAA_61E4_C9B9_3F3F);
    }

    #[test]
    fn empty_filter_contains_nothing() {
        let filter = BreachFilter::empty();
        assert!(filter.is_empty());
        assert!(!filter.contains_password("password"));
        assert_eq!(filter.false_positive_bound(), 0.0);
        assert_eq!(
            BreachFilter::from_sha1_hashes([]).unwrap().parts(),
            0,
            "an empty list adds no part"
        );
    }

    #[test]
    fn tiny_sets_are_exact_members() {
        for n in 1..=5u8 {
            let hashes: Vec<[u8; 20]> = (0..n).map(|i| sha1_digest(&[i])).collect();
            let filter = BreachFilter::from_sha1_hashes(hashes.clone()).unwrap();
            assert_eq!(filter.len(), usize::from(n));
            assert!(hashes.iter().all(|h| filter.contains_sha1(h)));
        }
    }

    #[test]
    fn duplicates_count_once() {
        let h = sha1_digest(b"x");
        let filter = BreachFilter::from_sha1_hashes([h, h, h]).unwrap();
        assert_eq!(filter.len(), 1);
        assert!(filter.contains_sha1(&h));
    }

    #[test]
    fn merge_keeps_both_parts() {
        let mut a = BreachFilter::from_sha1_hashes([sha1_digest(b"alpha")]).unwrap();
        let b = BreachFilter::from_sha1_hashes([sha1_digest(b"beta")]).unwrap();
        a.merge(b);
        assert_eq!((a.parts(), a.len()), (2, 2));
        assert!(a.contains_password("alpha") && a.contains_password("beta"));
        assert_eq!(a.false_positive_bound(), 2.0 * FALSE_POSITIVE_BOUND);
    }

    #[test]
    fn debug_shows_only_sizes() {
        let filter = BreachFilter::from_sha1_hashes([sha1_digest(b"hunter2")]).unwrap();
        let shown = format!("{filter:?}");
        assert!(shown.starts_with("BreachFilter { entries: 1, parts: 1, size_bytes: "));
        assert!(!shown.contains("hunter2"));
    }
}
