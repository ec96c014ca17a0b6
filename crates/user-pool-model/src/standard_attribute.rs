//! The standard attributes every pool has: OpenID Connect's standard claims as Cognito keeps
//! them, and `sub`. Spelled once here; the schema, the CSV header, the stores' indexes and the
//! ListUsers filter take their names from it.

/// A standard attribute, in the order Cognito lists them (DescribeUserPool's `SchemaAttributes`,
/// GetCSVHeader).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum StandardAttribute {
    /// `sub`: the user's immutable id.
    Sub,
    /// `name`.
    Name,
    /// `given_name`.
    GivenName,
    /// `family_name`.
    FamilyName,
    /// `middle_name`.
    MiddleName,
    /// `nickname`.
    Nickname,
    /// `preferred_username`.
    PreferredUsername,
    /// `profile`.
    Profile,
    /// `picture`.
    Picture,
    /// `website`.
    Website,
    /// `email`.
    Email,
    /// `email_verified`.
    EmailVerified,
    /// `gender`.
    Gender,
    /// `birthdate`.
    Birthdate,
    /// `zoneinfo`.
    Zoneinfo,
    /// `locale`.
    Locale,
    /// `phone_number`.
    PhoneNumber,
    /// `phone_number_verified`.
    PhoneNumberVerified,
    /// `address`.
    Address,
    /// `updated_at`.
    UpdatedAt,
}

impl StandardAttribute {
    /// Every standard attribute, in Cognito's order.
    pub const ALL: [Self; 20] = [
        Self::Sub,
        Self::Name,
        Self::GivenName,
        Self::FamilyName,
        Self::MiddleName,
        Self::Nickname,
        Self::PreferredUsername,
        Self::Profile,
        Self::Picture,
        Self::Website,
        Self::Email,
        Self::EmailVerified,
        Self::Gender,
        Self::Birthdate,
        Self::Zoneinfo,
        Self::Locale,
        Self::PhoneNumber,
        Self::PhoneNumberVerified,
        Self::Address,
        Self::UpdatedAt,
    ];

    /// The attribute's name on the wire.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Sub => "sub",
            Self::Name => "name",
            Self::GivenName => "given_name",
            Self::FamilyName => "family_name",
            Self::MiddleName => "middle_name",
            Self::Nickname => "nickname",
            Self::PreferredUsername => "preferred_username",
            Self::Profile => "profile",
            Self::Picture => "picture",
            Self::Website => "website",
            Self::Email => "email",
            Self::EmailVerified => "email_verified",
            Self::Gender => "gender",
            Self::Birthdate => "birthdate",
            Self::Zoneinfo => "zoneinfo",
            Self::Locale => "locale",
            Self::PhoneNumber => "phone_number",
            Self::PhoneNumberVerified => "phone_number_verified",
            Self::Address => "address",
            Self::UpdatedAt => "updated_at",
        }
    }

    /// The standard attribute named `name`, if it is one.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    /// The names of `attributes`, in order (for `const` tables of names).
    #[allow(
        clippy::indexing_slicing,
        reason = "i < N indexes two arrays of length N; const tables are built at compile time"
    )]
    pub const fn names<const N: usize>(attributes: [Self; N]) -> [&'static str; N] {
        let mut out = [""; N];
        let mut i = 0;
        while i < N {
            out[i] = attributes[i].name();
            i += 1;
        }
        out
    }
}

impl core::fmt::Display for StandardAttribute {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::StandardAttribute;

    #[test]
    fn names_round_trip_and_are_distinct() {
        let names = StandardAttribute::names(StandardAttribute::ALL);
        for (a, name) in StandardAttribute::ALL.into_iter().zip(names) {
            assert_eq!(StandardAttribute::parse(name), Some(a));
            assert_eq!(a.to_string(), name);
        }
        let mut sorted = names.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 20);
        assert_eq!(StandardAttribute::parse("custom:tier"), None);
        assert_eq!(StandardAttribute::parse("Email"), None);
    }
}
