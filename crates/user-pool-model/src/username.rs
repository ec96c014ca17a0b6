//! Usernames and the case rule: validation and the folded form used for uniqueness and lookup.

use caseless::Caseless as _;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization as _;

use crate::attributes::{is_valid_email, is_valid_phone};
use crate::error::{Error, Result, constraint};

/// Longest username, in characters.
pub const MAX_USERNAME_LEN: usize = 128;

/// Whether names compare case-sensitively (`UsernameConfiguration.CaseSensitive`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum CaseRule {
    /// API default: `Alice` and `alice` are different users.
    #[default]
    Sensitive,
    /// `Alice` and `alice` are the same user (username, `email`, `preferred_username`).
    Insensitive,
}

impl CaseRule {
    /// The key a name is stored, looked up and kept unique under: the one folding every
    /// sign-up, sign-in, alias and uniqueness check goes through, on every store.
    ///
    /// * Every pool: Unicode NFC, so a name typed precomposed (`é`, U+00E9) and decomposed
    ///   (`e` + U+0301) is one name.
    /// * Case-insensitive pools, then: Unicode's full default case folding (`CaseFolding.txt`
    ///   statuses C and F, no Turkic tailoring), and NFC again so the key is itself in NFC:
    ///   `Straße`, `STRASSE` and `strasse` are one name, the Kelvin sign `K` (U+212A) folds
    ///   to `k`, and `İ` (U+0130) to `i̇` (`i` + U+0307) as in every locale but Turkish.
    ///
    /// Idempotent: a key folds to itself.
    ///
    /// ```
    /// use user_pool_model::CaseRule;
    ///
    /// assert_eq!(CaseRule::Insensitive.fold("Straße"), CaseRule::Insensitive.fold("STRASSE"));
    /// assert_eq!(CaseRule::Insensitive.fold("\u{212A}elvin"), "kelvin");
    /// assert_eq!(CaseRule::Sensitive.fold("Cafe\u{301}"), "Caf\u{e9}");
    /// assert_ne!(CaseRule::Sensitive.fold("Straße"), CaseRule::Sensitive.fold("strasse"));
    /// ```
    pub fn fold(self, name: &str) -> String {
        match self {
            Self::Sensitive => name.nfc().collect(),
            Self::Insensitive => name.nfc().default_case_fold().nfc().collect(),
        }
    }

    /// The key a username is stored, looked up and kept unique under: [`CaseRule::fold`] as a
    /// [`FoldedUsername`], the type every store method that finds a user by name takes.
    ///
    /// ```
    /// use user_pool_model::CaseRule;
    ///
    /// let key = CaseRule::Insensitive.username_key("ALICE");
    /// assert_eq!(key.as_str(), "alice");
    /// assert_eq!(key, CaseRule::Insensitive.username_key("alice"));
    /// ```
    pub fn username_key(self, name: &str) -> FoldedUsername {
        FoldedUsername(self.fold(name))
    }

    /// The key of an alias value: phone numbers never fold (not even to NFC); emails and
    /// preferred usernames fold like usernames ([`CaseRule::fold`]).
    pub fn fold_alias(self, attribute: &str, value: &str) -> String {
        if attribute == "phone_number" {
            value.to_owned()
        } else {
            self.fold(value)
        }
    }
}

/// A username in its folded form ([`CaseRule::username_key`]): the key a store finds, deletes
/// and keeps a user unique under. Made by folding, or read back from a record that stored one
/// ([`FoldedUsername::from_stored`]), so a name as typed is never used as a key by mistake.
/// Serialized as the plain string.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FoldedUsername(String);

impl FoldedUsername {
    /// A key that was folded when it was written: a store's column, or a record's field
    /// (a refresh-token family's or a provider link's user). Not for names from a request.
    pub fn from_stored(key: String) -> Self {
        Self(key)
    }

    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key, owned.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl core::ops::Deref for FoldedUsername {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<&str> for FoldedUsername {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl core::fmt::Display for FoldedUsername {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Checks a username: 1..128 characters, letters, marks, symbols, numbers or punctuation, no
/// whitespace or control characters.
pub fn validate_username(username: &str) -> Result<()> {
    let len = username.chars().count();
    let ok = (1..=MAX_USERNAME_LEN).contains(&len)
        && !username
            .chars()
            .any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(())
    } else {
        Err(constraint(
            "username",
            Some(username),
            "Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
        ))
    }
}

/// In an alias pool, a username must not look like an email (resp. phone) when email (resp.
/// phone_number) is an alias.
pub fn check_not_alias_shaped(username: &str, aliases: &[String]) -> Result<()> {
    if aliases.iter().any(|a| a == "email") && is_valid_email(username) {
        return Err(Error::InvalidParameter(
            "Username cannot be of email format, since user pool is configured for email alias."
                .into(),
        ));
    }
    if aliases.iter().any(|a| a == "phone_number") && is_valid_phone(username) {
        return Err(Error::InvalidParameter("Username cannot be of phone number format, since user pool is configured for phone_number alias.".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn usernames() {
        for ok in ["alice", "Ålice", "日本", "a.b-c_d@e", "x"] {
            assert!(validate_username(ok).is_ok(), "{ok}");
        }
        for bad in ["", "a b", "a\tb", "a\u{0}", &"x".repeat(129)] {
            assert!(validate_username(bad).is_err(), "{bad:?}");
        }
        assert_eq!(CaseRule::Insensitive.fold("ÅLICE"), "ålice");
        assert_eq!(CaseRule::Sensitive.fold("ÅLICE"), "ÅLICE");
        assert_eq!(
            CaseRule::Insensitive.fold_alias("phone_number", "+1555"),
            "+1555"
        );
        assert!(check_not_alias_shaped("a@b.co", &["email".into()]).is_err());
        assert!(check_not_alias_shaped("a@b.co", &["phone_number".into()]).is_ok());
    }

    /// Known answers from Unicode 16.0's `CaseFolding.txt` (status C and F lines) and
    /// `UnicodeData.txt` decompositions.
    #[test]
    fn folding_known_answers() {
        let ci = |s: &str| CaseRule::Insensitive.fold(s);
        let cs = |s: &str| CaseRule::Sensitive.fold(s);
        // 00DF; F; 0073 0073 (ß), 1E9E; F; 0073 0073 (ẞ).
        assert_eq!(ci("Straße"), "strasse");
        assert_eq!(ci("STRASSE"), "strasse");
        assert_eq!(ci("STRA\u{1E9E}E"), "strasse");
        // 212A; C; 006B (Kelvin sign), 2126; C; 03C9 (Ohm sign).
        assert_eq!(ci("\u{212A}"), "k");
        assert_eq!(ci("\u{2126}"), "\u{3C9}");
        // 0130; F; 0069 0307 (no Turkic tailoring: that is status T).
        assert_eq!(ci("İstanbul"), "i\u{307}stanbul");
        assert_eq!(ci("ISTANBUL"), "istanbul");
        // 03A3 and 03C2 both fold to 03C3 (final sigma is not special).
        assert_eq!(ci("ΟΔΟΣ"), ci("οδος"));
        assert_eq!(ci("οδος"), "οδοσ");
        // 01F0; F; 006A 030C: the folded key is recomposed to NFC.
        assert_eq!(ci("\u{1F0}"), "\u{1F0}");
        assert_eq!(ci("J\u{30C}"), "\u{1F0}");
        // Canonical equivalents are one name in both kinds of pool.
        assert_eq!(cs("Cafe\u{301}"), cs("Caf\u{E9}"));
        assert_eq!(ci("CAFE\u{301}"), ci("caf\u{E9}"));
        assert_eq!(cs("A\u{30A}"), "\u{C5}");
        // Case-sensitive pools only normalize.
        assert_eq!(cs("Straße"), "Straße");
        assert_eq!(
            cs("\u{212A}"),
            "K",
            "NFC maps the Kelvin sign to K, it does not lower it"
        );
        assert_ne!(cs("Straße"), cs("strasse"));
        // Phone numbers are never folded.
        assert_eq!(
            CaseRule::Insensitive.fold_alias("phone_number", "+1555\u{301}"),
            "+1555\u{301}"
        );
        assert_eq!(
            CaseRule::Insensitive.fold_alias("email", "Jo@Straße.de"),
            "jo@strasse.de"
        );
    }

    fn names() -> impl Strategy<Value = String> {
        // Letters of many scripts, combining marks, and the characters whose folding is
        // special (ß, ẞ, İ, ı, Kelvin, Ohm, ǰ, ΐ, ypogegrammeni, final sigma, ligatures).
        let special = prop::sample::select(vec![
            'ß', 'ẞ', 'İ', 'ı', '\u{212A}', '\u{2126}', 'ǰ', 'ΐ', '\u{345}', 'ς', 'Σ', 'ﬀ', 'ﬅ',
            'ŉ', 'Å', '\u{30A}', '\u{301}', '\u{323}', '\u{307}', 'ᾳ', 'ᾼ', 'Ǆ', 'ǅ',
        ]);
        let any_char = prop::char::range('\u{20}', '\u{2FFFF}');
        prop::collection::vec(prop_oneof![special, any_char], 0..12)
            .prop_map(|cs| cs.into_iter().collect())
    }

    proptest! {
        #[test]
        fn folding_is_idempotent(name in names()) {
            for rule in [CaseRule::Sensitive, CaseRule::Insensitive] {
                let key = rule.fold(&name);
                prop_assert_eq!(rule.fold(&key), key.clone());
            }
        }

        #[test]
        fn nfc_and_nfd_spellings_fold_equal(name in names()) {
            let nfc: String = name.nfc().collect();
            let nfd: String = name.nfd().collect();
            for rule in [CaseRule::Sensitive, CaseRule::Insensitive] {
                prop_assert_eq!(rule.fold(&nfc), rule.fold(&nfd));
                prop_assert_eq!(rule.fold(&nfc), rule.fold(&name));
            }
        }

        #[test]
        fn ascii_names_fold_as_they_always_did(name in "[A-Za-z0-9._@+-]{1,40}") {
            // Keys stored before full case folding stay valid for every ASCII name.
            prop_assert_eq!(CaseRule::Insensitive.fold(&name), name.to_lowercase());
            prop_assert_eq!(CaseRule::Insensitive.fold(&name.to_uppercase()), name.to_lowercase());
            prop_assert_eq!(CaseRule::Sensitive.fold(&name), name);
        }
    }
}
